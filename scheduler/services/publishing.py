"""Publishing a plan up to a date, and re-planning around what was published.

A producer publishes (发布) a stored plan up to a date: every shoot of each title
that shoots on or before that date goes out to crews and bases, and is stored as
sent (:meth:`scheduler.storage.ScenarioStore.create_publication`). Only a plan
made for the scenario's current version that the checker confirms may go out.

A later re-plan keeps every published shoot unless a rule now breaks it; a
changed published title is listed in the change list as needing approval
(「已发布，需审批」), never moved silently. :func:`revision_reference` builds
what the solver gets for that: the plan to revise with the newest publication's
shoots in it, and the published titles.

The app publishes as the signed-in user with :func:`publish_as`: the role is checked on
the server, and the publication and its ``publish`` row in the audit trail are stored
together (a refused or failed publication leaves a failed row and publishes nothing).

>>> published = publish(store, scenario_id, plan_id, date(2026, 12, 7), "张三")  # doctest: +SKIP
>>> newest = latest_publication(store, scenario_id)                          # doctest: +SKIP
>>> reference, titles = revision_reference(scenario, plan, newest)          # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from scheduler.check.bookings import actor_bookings
from scheduler.check.checker import check_plan
from scheduler.domain.accounts import LOCAL_USER, Account, Action
from scheduler.domain.changes import published_titles
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.services.accounts import acting
from scheduler.storage import PublicationInfo, ScenarioStore

__all__ = [
    "DEFAULT_PUBLISHER",
    "Publication",
    "PublishError",
    "default_publisher",
    "latest_publication",
    "publish",
    "publish_as",
    "publisher_of",
    "revision_reference",
]

DEFAULT_PUBLISHER = "统筹"
"""Who publishes when nobody is named and the system user is unknown."""


class PublishError(ValueError):
    """A plan that may not be published, said in Chinese and English."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh}（{message_en}）")


@dataclass(frozen=True)
class Publication:
    """A publication and its shoots as sent (a plan that leaves nothing out)."""

    info: PublicationInfo
    shoots: Plan

    @property
    def titles(self) -> frozenset[str]:
        """The titles published."""
        return self.shoots.scheduled_title_ids


def default_publisher() -> str:
    """The name a publication carries unless the producer types one: ``$USER``, else 统筹."""
    return os.environ.get("USER", "").strip() or DEFAULT_PUBLISHER


def publish(
    store: ScenarioStore, scenario_id: int, plan_id: int, until: date, who: str = ""
) -> PublicationInfo:
    """Publish a stored plan of the scenario up to ``until``, as ``who`` (a name typed).

    Raises
    ------
    PublishError
        The plan was made for another version of the scenario than the current one
        (only the current version is stored, so it could not be checked against
        its own), the checker finds a rule broken, or nothing shoots by ``until``.
        Nothing is stored.
    scheduler.storage.StorageError
        No such scenario or plan, or the plan belongs to another scenario.
    """
    plan, _kpis, info = store.load_plan(plan_id)
    scenario, version = store.load(scenario_id)
    if info.scenario_version != version:
        raise PublishError(
            f"方案 #{plan_id} 是按场景版本 v{info.scenario_version} 排出的，当前已是 v{version}："
            "请先在当前版本上重新排期（可选「在已有方案上修改」），再发布",
            f"plan #{plan_id} was made for scenario version {info.scenario_version}, the "
            f"scenario is now at version {version}: plan again (or revise), then publish",
        )
    _refuse_broken(scenario, plan, plan_id)
    if not published_titles(plan, until):
        raise PublishError(
            f"方案 #{plan_id} 在 {until:%m-%d} 及之前没有拍摄，没有可发布的内容",
            f"plan #{plan_id} shoots nothing on or before {until}: nothing to publish",
        )
    return store.create_publication(
        scenario_id, plan_id, until, who.strip() or default_publisher()
    )


def publisher_of(account: Account) -> str:
    """The name a publication carries unless another is typed: the signed-in account's,
    or :func:`default_publisher` for the local user while no account exists."""
    return default_publisher() if account == LOCAL_USER else account.name


def publish_as(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    plan_id: int,
    until: date,
    who: str = "",
) -> PublicationInfo:
    """:func:`publish` as ``account`` (``publish``): checked, and one audit row.

    ``who`` is the name the publication carries; blank: :func:`publisher_of` the account.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not publish; nothing is published.
    PublishError, scheduler.storage.StorageError
        As :func:`publish`; a failed row is recorded.
    """
    with acting(
        store,
        account,
        Action.PUBLISH,
        scenario_id=scenario_id,
        plan_id=plan_id,
        detail=f"发布至 until {until.isoformat()}",
    ):
        return publish(store, scenario_id, plan_id, until, who.strip() or publisher_of(account))


def _refuse_broken(scenario: Scenario, plan: Plan, plan_id: int) -> None:
    """Rule: a plan goes out only if the checker finds every rule kept."""
    violations = check_plan(scenario, plan)
    if not violations:
        return
    listed = "；".join(v.message_zh for v in violations[:5])
    more = f" 等 {len(violations)} 处" if len(violations) > 5 else ""
    raise PublishError(
        f"方案 #{plan_id} 未通过独立检查，不能发布：{listed}{more}",
        f"plan #{plan_id} breaks {len(violations)} rule(s) in the checker; not published",
    )


def latest_publication(store: ScenarioStore, scenario_id: int) -> Publication | None:
    """The scenario's newest publication with its shoots, or ``None`` before the first."""
    infos = store.list_publications(scenario_id)
    if not infos:
        return None
    shoots, info = store.load_publication(infos[-1].publication_id)
    return Publication(info, shoots)


def revision_reference(
    scenario: Scenario, plan: Plan, publication: Publication | None
) -> tuple[Plan, frozenset[str]]:
    """The plan a re-plan revises, with the published shoots in it, and the published titles.

    A published title takes its shoots from the publication, whatever ``plan``
    holds for it, so the re-plan keeps what crews were sent and the change list
    compares with that. A title of ``plan`` that was not published and shares a
    set, crew or actor on a day with a published shoot is left out of the
    reference (the published shoot keeps its place; that title is planned again).
    Without a publication: ``plan`` and no published titles.
    """
    if publication is None:
        return plan, frozenset()
    titles = publication.titles
    busy = _holds(scenario, publication.shoots.shoots)
    others = [s for s in plan.shoots if s.title_id not in titles]
    held_by = _holds(scenario, others, by_title=True)
    clashing = {title_id for title_id, *held in held_by if tuple(held) in busy}
    kept = [s for s in plan.shoots if s.title_id not in titles | clashing]
    unscheduled = {t: r for t, r in plan.unscheduled.items() if t not in titles}
    for title_id in sorted(clashing):
        unscheduled[title_id] = "与已发布的拍摄冲突，重新排期 (clashes with a published shoot)"
    return Plan((*publication.shoots.shoots, *kept), unscheduled), titles


def _holds(
    scenario: Scenario, shoots: Sequence[Shoot], *, by_title: bool = False
) -> set[tuple[str, ...]]:
    """What shoots hold, by day: each shoot's set and crew, and the actors its title books
    that day (rule 10); ``by_title`` puts the holding title's id in front of each."""
    held: set[tuple[str, ...]] = set()
    for shoot in shoots:
        when = shoot.date.isoformat()
        for item in (("set", shoot.set_id, when), ("crew", shoot.crew_id, when)):
            held.add((shoot.title_id, *item) if by_title else item)
    for booking in actor_bookings(scenario, Plan(tuple(shoots))):
        for booked_on in booking.dates:
            item = ("actor", booking.actor_id, booked_on.isoformat())
            held.add((booking.title_id, *item) if by_title else item)
    return held
