"""What the 插单 Rush-title section of the Plan page says and does, kept free of Streamlit.

The section's form (name, genre, priority, window, cast by name, set-type needs
as a small table) becomes a TITLE.csv row (:func:`form_row`) checked like one;
:func:`find_options` fits it into the plan shown; :func:`options_table` lays
out the options; :func:`accept` stores the scenario with the rush title and
the chosen option's plan, named as a fitted plan (插单). Both act as the signed-in
user: finding options is a computation (``solve``), accepting one a ``save``, each
checked on the server and leaving one row in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from scheduler.app.plan_view import PlanMessage, plan_name
from scheduler.domain.accounts import Account, Action
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.io.rush_title import NEEDS, next_rush_id, rush_title_from_row
from scheduler.services.accounts import acting
from scheduler.services.fitting import (
    AcceptedFit,
    FitOutcome,
    accept_option,
    fit_rush_title,
    move_text,
)
from scheduler.storage import ScenarioStore

FORM_LABEL = "插单表单 rush-title form"
"""How problems name the form (as a file: ``插单表单 rush-title form:2:cast``)."""

SET_TYPE = "场景类型 set type"
DAYS = "天数 days"
NEEDS_COLUMNS = (SET_TYPE, DAYS)
"""Columns of the needs table: one row per set type with its set-days."""

OPTION_COLUMNS = (
    "方案 option",
    "基地 base",
    "剧组 crew",
    "开机 start",
    "杀青 end",
    "Δ优先级 Δ priority",
    "Δ成本 Δ cost (元)",
    "挪动的剧目 titles moved",
)


@dataclass(frozen=True)
class RushForm:
    """What the producer typed: the rush title without an id (one is made up)."""

    name: str
    genre: str
    priority: int
    earliest_start: date
    due_date: date
    cast: tuple[str, ...]
    needs: pd.DataFrame


@dataclass(frozen=True)
class KeptFit:
    """An outcome shown on the page, with the scenario version and plan it was made from."""

    scenario_id: int
    version: int
    plan_id: int
    outcome: FitOutcome

    def belongs_to(self, scenario_id: int, version: int, plan_id: int) -> bool:
        """Whether the outcome was made for this scenario version and plan."""
        return (self.scenario_id, self.version, self.plan_id) == (scenario_id, version, plan_id)


def genre_choices(scenario: Scenario) -> list[str]:
    """Genres the scenario's titles and crews name, sorted."""
    genres = {t.genre for t in scenario.titles} | {g for c in scenario.crews for g in c.genres}
    return sorted(genres)


def actor_label(scenario: Scenario, actor_id: str) -> str:
    """``林婉儿（A1）``: an actor as the cast picker shows it."""
    return f"{scenario.actor_by_id[actor_id].name}（{actor_id}）"


def empty_needs(scenario: Scenario) -> pd.DataFrame:
    """The needs table to start from: one day of the first set type."""
    first = scenario.set_types[0] if scenario.set_types else ""
    return pd.DataFrame({SET_TYPE: [first], DAYS: [1]})


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN: a blank cell
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def needs_text(needs: pd.DataFrame) -> str:
    """The needs table as TITLE.csv's needs cell: ``医院:2;别墅:1`` (blank rows skipped)."""
    items = []
    for set_type, days in needs.loc[:, list(NEEDS_COLUMNS)].itertuples(index=False, name=None):
        kind, count = _cell(set_type), _cell(days)
        if kind or count:
            items.append(f"{kind}:{count}")
    return ";".join(items)


def form_row(scenario: Scenario, form: RushForm) -> dict[str, str]:
    """The form as a TITLE.csv row, with a title id the scenario does not use yet."""
    return {
        "title_id": next_rush_id(scenario),
        "name": form.name.strip(),
        "genre": form.genre,
        "priority": str(form.priority),
        "earliest_start": form.earliest_start.isoformat(),
        "due_date": form.due_date.isoformat(),
        "cast": ";".join(form.cast),
        NEEDS: needs_text(form.needs),
    }


def find_options(
    store: ScenarioStore,
    account: Account,
    scenario: Scenario,
    plan: Plan,
    row: dict[str, str],
    published: frozenset[str] = frozenset(),
    *,
    scenario_id: int,
    version: int,
    plan_id: int,
) -> FitOutcome:
    """The best options for the rush title of ``row`` in ``plan``; ``published`` never move.

    Found as ``account``'s ``solve`` of stored scenario ``scenario_id`` at ``version``
    and its plan ``plan_id``: one audit row, failed if the row has problems.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not solve.
    scheduler.domain.errors.ScenarioError
        Every problem of the row, naming the form's field.
    """
    with acting(
        store,
        account,
        Action.SOLVE,
        scenario_id=scenario_id,
        scenario_version=version,
        plan_id=plan_id,
        detail=f"插单 rush title「{row.get('name', '')}」",
    ):
        title = rush_title_from_row(scenario, row, FORM_LABEL)
        return fit_rush_title(scenario, plan, title, label=FORM_LABEL, published=published)


def options_table(outcome: FitOutcome) -> pd.DataFrame:
    """One row per option, best first: where the rush title goes, the Δs, what moves."""
    scenario = outcome.scenario
    rows = []
    for rank, option in enumerate(outcome.options, 1):
        p = option.choice.placement
        rows.append(
            (
                rank,
                f"{scenario.base_by_id[option.base_id].name}（{option.base_id}）",
                f"{scenario.crew_by_id[option.crew_id].name}（{option.crew_id}）",
                f"{option.start:%m-%d}",
                f"{scenario.date_of(p.last_day):%m-%d}",
                option.delta_priority,
                option.delta_cost,
                "；".join(move_text(scenario, m) for m in option.moves) or "无 none",
            )
        )
    return pd.DataFrame(rows, columns=list(OPTION_COLUMNS))


def option_label(outcome: FitOutcome, index: int) -> str:
    """``方案 1：12-07 B06 C21，Δ优先级 +1，挪动 2 部，取消 1 部``: an option as the radio
    shows it (titles moved elsewhere and titles dropped counted apart)."""
    option = outcome.options[index]
    dropped = len(option.dropped)
    shifted = len(option.moves) - dropped
    parts = [f"挪动 {shifted} 部"] if shifted else []
    parts += [f"取消 {dropped} 部"] if dropped else []
    moved = "，".join(parts) or "不挪动其他剧目"
    return (
        f"方案 {index + 1}：{option.start:%m-%d} {option.base_id} {option.crew_id}，"
        f"Δ优先级 {option.delta_priority:+d}，{moved}"
    )


def summary_line(outcome: FitOutcome) -> str:
    """How long the search took and how much it looked at."""
    return (
        f"用时 {outcome.seconds:.2f} 秒，可行组合 {outcome.tried} 个，评估 {outcome.evaluated} 个"
        f" / {outcome.seconds:.2f} s, {outcome.tried} combinations, "
        f"{outcome.evaluated} worked out"
    )


def accept(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    version: int,
    outcome: FitOutcome,
    index: int,
) -> AcceptedFit:
    """Store the scenario with the rush title and option ``index``'s plan (named 插单 fitted).

    A ``save`` as ``account``: its audit row is stored with the scenario and the plan.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not save; nothing is stored.
    scheduler.services.planning.UncheckedPlanError
        The checker rejects the option's plan; nothing is stored.
    scheduler.storage.StorageError
        The scenario was saved in between (a stale version) or deleted.
    """
    made_at = datetime.now(UTC)

    def label(new_version: int) -> str:
        return plan_name("fitted", new_version, made_at, round(outcome.seconds, 1))

    title = outcome.title
    with acting(
        store,
        account,
        Action.SAVE,
        scenario_id=scenario_id,
        scenario_version=version,
        detail=f"采用插单方案 {index + 1} accept rush title {title.name}（{title.title_id}）",
    ):
        return accept_option(store, scenario_id, version, outcome, outcome.options[index], label)


def accepted_message(outcome: FitOutcome, accepted: AcceptedFit) -> PlanMessage:
    """The message for the stored plan of an accepted option, shown with that plan."""
    title = outcome.title
    return PlanMessage(
        accepted.plan_id,
        f"已采用插单方案：{title.name}（{title.title_id}）已加入场景（v{accepted.scenario_version}），"
        f"新方案 #{accepted.plan_id} 已保存 / rush title added, saved as plan #{accepted.plan_id}",
    )
