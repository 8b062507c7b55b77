"""Publishing a plan up to a date, and re-planning around what was published.

The scenario: one base B1 with one 办公室 set S1, one crew C1, two days (12-01, 12-02);
T1 (priority 1, 林婉儿 A1) and T2 (priority 5, 陈子轩 A2), one 办公室 day each, either
day. The plan shoots T1 on 12-01 and T2 on 12-02; publishing up to 12-01 sends out T1.

Pairs: 陈子轩 off on 12-02 breaks T2 only; the one free day for T2 is T1's, so an
unpublished T1 moves to make room (priority 6 against 1), a published T1 stays and
T2 is left out (kept). An outage on T1's actor, crew or set on 12-01 breaks the
published T1: it is listed for approval 「已发布，需审批」 (broken).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scheduler.domain.changes import Change
from scheduler.domain.model import Scenario, UnavailableKind
from scheduler.domain.plan import Plan
from scheduler.services.planning import plan_scenario
from scheduler.services.publishing import (
    DEFAULT_PUBLISHER,
    PublishError,
    latest_publication,
    publish,
    revision_reference,
)
from scheduler.storage import ScenarioStore, get_engine
from tests.factories import dec, outage, publish_plan, publish_scenario, shoot_plan, shoot_run

APPROVAL = "已发布，需审批"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScenarioStore]:
    engine = get_engine(f"sqlite:///{tmp_path / 'publish.db'}")
    yield ScenarioStore(engine)
    engine.dispose()


@pytest.fixture
def stored(store: ScenarioStore) -> tuple[int, int]:
    """The scenario (version 1) and its first plan, stored: (scenario id, plan id)."""
    info = store.create(publish_scenario())
    return info.scenario_id, store.save_plan(info.scenario_id, 1, publish_plan(), {}, "第一版")


def with_outage(
    store: ScenarioStore, scenario_id: int, kind: UnavailableKind, resource_id: str, day: int
) -> Scenario:
    """Store the scenario with ``resource_id`` off on day ``day``; the changed scenario."""
    scenario, version = store.load(scenario_id)
    changed = replace(scenario, unavailable=(outage(kind, resource_id, day),))
    store.save(scenario_id, changed, version)
    return changed


def replan(
    store: ScenarioStore, scenario_id: int, scenario: Scenario, plan: Plan
) -> tuple[Plan, dict[str, Change]]:
    """Revise ``plan`` as the Plan page does, around the newest publication; the change list."""
    reference, published = revision_reference(
        scenario, plan, latest_publication(store, scenario_id)
    )
    outcome = plan_scenario(scenario, time_limit=5.0, reference=reference, published=published)
    assert outcome.ok, outcome.problems
    return outcome.plan, {c.title_id: c for c in outcome.changes}


# -- publishing ---------------------------------------------------------------------


def test_publishing_sends_out_the_titles_shooting_up_to_the_date(
    store: ScenarioStore, stored: tuple[int, int]
) -> None:
    scenario_id, plan_id = stored
    assert latest_publication(store, scenario_id) is None

    info = publish(store, scenario_id, plan_id, dec(1), "张三")

    newest = latest_publication(store, scenario_id)
    assert newest is not None and newest.info == info
    assert newest.titles == {"T1"}  # T2 shoots on 12-02, after the date
    assert newest.shoots.shoots == publish_plan().shoots_of("T1")
    assert (info.plan_id, info.published_by, info.until) == (plan_id, "张三", dec(1))
    later = publish(store, scenario_id, plan_id, dec(2), "李四")
    newest = latest_publication(store, scenario_id)
    assert newest is not None and newest.info == later and newest.titles == {"T1", "T2"}


def test_without_a_name_the_system_user_publishes_else_the_producer(
    store: ScenarioStore, stored: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario_id, plan_id = stored
    monkeypatch.setenv("USER", "wangtongchou")
    assert publish(store, scenario_id, plan_id, dec(1), "  ").published_by == "wangtongchou"
    monkeypatch.delenv("USER")
    assert publish(store, scenario_id, plan_id, dec(1)).published_by == DEFAULT_PUBLISHER == "统筹"


def test_a_plan_the_checker_rejects_is_not_published(store: ScenarioStore) -> None:
    # both titles on S1 with C1 on 12-01: rule 4 (one shoot a set, one title a crew, a day)
    info = store.create(publish_scenario())
    clash = shoot_plan(
        shoot_run("T1", 1, "B1", ["S1"], "C1"), shoot_run("T2", 1, "B1", ["S1"], "C1")
    )
    plan_id = store.save_plan(info.scenario_id, 1, clash, {}, "手工")

    with pytest.raises(PublishError, match=f"方案 #{plan_id} 未通过独立检查，不能发布") as refused:
        publish(store, info.scenario_id, plan_id, dec(2), "张三")
    assert "S1" in refused.value.message_zh  # the rule broken, named
    assert store.list_publications(info.scenario_id) == []


def test_a_plan_of_an_older_scenario_version_is_not_published(
    store: ScenarioStore, stored: tuple[int, int]
) -> None:
    scenario_id, plan_id = stored
    with_outage(store, scenario_id, "actor", "A2", 1)  # version 2, T2 now broken

    with pytest.raises(PublishError, match="场景版本 v1 排出的，当前已是 v2"):
        publish(store, scenario_id, plan_id, dec(1), "张三")
    assert store.list_publications(scenario_id) == []


def test_a_date_before_every_shoot_publishes_nothing(
    store: ScenarioStore, stored: tuple[int, int]
) -> None:
    scenario_id, plan_id = stored
    with pytest.raises(PublishError, match="11-30 及之前没有拍摄"):
        publish(store, scenario_id, plan_id, date(2026, 11, 30))
    assert store.list_publications(scenario_id) == []


# -- re-planning around a publication -----------------------------------------------


def test_an_unpublished_title_moves_to_let_a_broken_one_in(
    store: ScenarioStore, stored: tuple[int, int]
) -> None:
    # nothing published: T2 (priority 5) takes 12-01 and T1 moves to 12-02
    scenario_id, _plan_id = stored
    changed = with_outage(store, scenario_id, "actor", "A2", 1)

    plan, changes = replan(store, scenario_id, changed, publish_plan())

    assert [s.date for s in plan.shoots_of("T2")] == [dec(1)]
    assert [s.date for s in plan.shoots_of("T1")] == [dec(2)]
    assert set(changes) == {"T1", "T2"}
    assert not any(c.why.startswith(APPROVAL) for c in changes.values())


def test_a_published_shoot_never_moves_unless_broken(
    store: ScenarioStore, stored: tuple[int, int]
) -> None:
    # the same outage with T1 published: T1 stays on 12-01, T2 has nowhere to go
    scenario_id, plan_id = stored
    publish(store, scenario_id, plan_id, dec(1), "张三")
    changed = with_outage(store, scenario_id, "actor", "A2", 1)

    plan, changes = replan(store, scenario_id, changed, publish_plan())

    assert plan.shoots_of("T1") == publish_plan().shoots_of("T1")
    assert plan.shoots_of("T2") == ()
    assert set(changes) == {"T2"}  # T1 unchanged, so not on the change list
    assert changes["T2"].why.startswith("原安排不再可行")


@pytest.mark.parametrize(("kind", "resource_id"), [("actor", "A1"), ("crew", "C1"), ("set", "S1")])
def test_a_published_shoot_that_breaks_is_listed_for_approval(
    store: ScenarioStore, stored: tuple[int, int], kind: UnavailableKind, resource_id: str
) -> None:
    # T1's actor, crew or set off on 12-01, the day T1 was published for
    scenario_id, plan_id = stored
    publish(store, scenario_id, plan_id, dec(1), "张三")
    changed = with_outage(store, scenario_id, kind, resource_id, 0)

    plan, changes = replan(store, scenario_id, changed, publish_plan())

    assert plan.shoots_of("T1") != publish_plan().shoots_of("T1")
    assert changes["T1"].why.startswith(f"{APPROVAL}：原安排不再可行")
    assert changes["T1"].before == "12-01 B1 C1"


def test_the_published_shoots_replace_the_plans_own_in_the_reference(
    store: ScenarioStore, stored: tuple[int, int]
) -> None:
    # The producer revises a plan that has T1 on 12-02 and T2 on 12-01, while the
    # publication sent T1 out for 12-01: T1 is revised from what was sent, and T2,
    # on T1's published set and crew that day, is planned again.
    scenario_id, plan_id = stored
    publish(store, scenario_id, plan_id, dec(1), "张三")
    swapped = shoot_plan(
        shoot_run("T2", 1, "B1", ["S1"], "C1"), shoot_run("T1", 2, "B1", ["S1"], "C1")
    )
    newest = latest_publication(store, scenario_id)
    scenario = publish_scenario()

    reference, published = revision_reference(scenario, swapped, newest)

    assert published == {"T1"}
    assert reference.shoots_of("T1") == publish_plan().shoots_of("T1")
    assert reference.shoots_of("T2") == ()
    assert "已发布" in reference.unscheduled["T2"]
    assert revision_reference(scenario, swapped, None) == (swapped, frozenset())
