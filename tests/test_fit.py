"""Fitting a rush title (插单) into a plan: options, the titles in the way, TITLE.csv, the command.

Pairs: a rush title with free room gets options moving nobody (kept) / one whose only
room is held by a lower-priority title moves or drops exactly that title (broken);
a title whose only other room is held by a title that can move elsewhere moves in a chain
of two and nothing is dropped (broken) / one with free room of its own moves alone (kept),
and no chain moves a published title or runs without time; each rule that puts a planned
title in the way — the crew's or an actor's day, travel,
the crew's days in a row, the base's max_crews — does so (broken) and does not once the
rule is kept; an option the checker rejects is not offered; an accepted option stores a
plan the checker passes (kept) and a stale version stores nothing (broken); a bad
TITLE.csv lists every problem at its row and column.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scheduler.check.checker import Violation, check_plan
from scheduler.cli.main import main
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Base, FilmSet, Scenario, Title
from scheduler.domain.plan import Plan
from scheduler.io.plan_io import write_plan
from scheduler.io.rush_title import read_rush_title, rush_title_from_row, with_rush_title
from scheduler.services.fitting import accept_option, fit_rush_title, outcome_json
from scheduler.storage import ScenarioInfo, ScenarioStore, StaleScenarioError
from solver.result import PlanChecker
from solver.slate.choices import Placement
from solver.slate.fit import Board, FitResult, fit_title
from solver.slate.greedy import greedy_plan
from tests.factories import (
    SAMPLES,
    day,
    numbered_actors,
    rush_row,
    shoot_plan,
    shoot_run,
    small_crew,
    small_scenario,
    small_title,
    write_rush_title,
)


def fit(
    scenario: Scenario, plan: Plan, rush: Title, checker: PlanChecker = check_plan
) -> FitResult:
    """The options for ``rush`` (not yet in ``scenario``) in ``plan``."""
    return fit_title(with_rush_title(scenario, rush), plan, rush, checker)


# -- free room / held room --------------------------------------------------------------


def one_set_scenario(days: int, t1_last: int) -> tuple[Scenario, Plan]:
    """One base, one 办公室 set S1, one crew C1; T1 (priority 1, days 0…t1_last) on day 0."""
    scenario = small_scenario([small_title("T1", priority=1, first=0, last=t1_last)], days=days)
    return scenario, shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"))


def test_a_rush_title_with_free_room_gets_options_moving_nobody() -> None:
    # days 1 and 2 are free: two options, each gaining the rush title's priority 3
    # at the cost of one crew day (10000) and one set day (1000)
    scenario, plan = one_set_scenario(days=3, t1_last=2)
    found = fit(scenario, plan, small_title("R1", priority=3, first=1, last=2))
    assert [o.start for o in found.options] == [day(1), day(2)]
    assert all(o.moves == () for o in found.options)
    assert all(o.delta_priority == 3 and o.delta_cost == 11000 for o in found.options)
    assert found.shortfall is not None and "只找到 2 个方案" in found.shortfall
    rushed = with_rush_title(scenario, small_title("R1", priority=3, first=1, last=2))
    assert all(check_plan(rushed, o.plan) == [] for o in found.options)


def test_a_rush_title_whose_only_room_is_held_moves_exactly_that_title() -> None:
    # day 0 is the rush title's only day and T1 holds the one set; T1 may shoot on day 1
    scenario, plan = one_set_scenario(days=2, t1_last=1)
    found = fit(scenario, plan, small_title("R1", priority=3, first=0, last=0))
    [option] = found.options
    [move] = option.moves
    assert move.title_id == "T1" and move.after is not None
    assert move.after.placement.start == 1
    assert option.delta_priority == 3
    assert option.plan.shoots_of("T1")[0].date == day(1)


def test_a_published_title_in_the_way_is_never_moved() -> None:
    # the same held room, but T1 was sent out: no option is left
    scenario, plan = one_set_scenario(days=2, t1_last=1)
    rush = small_title("R1", priority=3, first=0, last=0)
    found = fit_title(
        with_rush_title(scenario, rush), plan, rush, check_plan, published=frozenset({"T1"})
    )
    assert found.options == ()
    assert found.shortfall is not None and "只找到 0 个方案" in found.shortfall


def test_a_rush_title_whose_only_room_is_held_drops_that_title_when_it_cannot_move() -> None:
    # a one-day horizon: T1 has nowhere else to go, so it is dropped: Δ priority 3 - 1
    scenario, plan = one_set_scenario(days=1, t1_last=0)
    found = fit(scenario, plan, small_title("R1", priority=3, first=0, last=0))
    [option] = found.options
    assert [m.title_id for m in option.moves] == ["T1"] and option.moves[0].dropped
    assert option.delta_priority == 2
    assert "插单" in option.plan.unscheduled["T1"]
    assert option.plan.scheduled_title_ids == {"R1"}


def test_an_option_the_checker_rejects_is_not_offered() -> None:
    # a stricter checker that refuses any shoot on day 1 leaves only the day-2 option
    scenario, plan = one_set_scenario(days=3, t1_last=2)

    def no_shoots_on_day_1(scenario: Scenario, plan: Plan) -> Sequence[Violation]:
        found = [
            Violation(5, s.title_id, "", s.date, "closed on day 1", "第 1 天停工")
            for s in plan.shoots
            if s.date == day(1)
        ]
        return [*check_plan(scenario, plan), *found]

    found = fit(scenario, plan, small_title("R1", 3, 1, 2), checker=no_shoots_on_day_1)
    assert [o.start for o in found.options] == [day(2)]
    assert found.rejected == 1
    assert found.shortfall is not None and "未通过独立检查" in found.shortfall


# -- chains of moves ----------------------------------------------------------------------


def chain_scenario(x_last: int) -> tuple[Scenario, Plan]:
    """One set S1 and one crew C1 over days 0-2: X (days 0…``x_last``) on day 0, Y (days 1-2) on
    day 1, day 2 free; each priority 1."""
    titles = [
        small_title("X", priority=1, first=0, last=x_last),
        small_title("Y", priority=1, first=1, last=2),
    ]
    plan = shoot_plan(shoot_run("X", 1, "B1", ["S1"], "C1"), shoot_run("Y", 2, "B1", ["S1"], "C1"))
    return small_scenario(titles, days=3), plan


RUSH_ON_DAY_0 = small_title("R1", priority=3, first=0, last=0)


def test_a_title_whose_only_other_room_is_held_moves_in_a_chain_instead_of_being_dropped() -> None:
    # R1 can only shoot on day 0, held by X; X's only other day, 1, is held by Y; Y may
    # shoot on day 2, which is free: X 0 → 1 and Y 1 → 2, nothing dropped, Δ priority +3
    # (one step alone would drop X: +2)
    scenario, plan = chain_scenario(x_last=1)
    [option] = fit(scenario, plan, RUSH_ON_DAY_0).options
    assert option.dropped == () and option.delta_priority == 3 and option.chained
    after = {m.title_id: m.after.placement.start for m in option.moves if m.after is not None}
    assert after == {"X": 1, "Y": 2}
    assert option.plan.scheduled_title_ids == {"R1", "X", "Y"} and option.plan.unscheduled == {}
    assert check_plan(with_rush_title(scenario, RUSH_ON_DAY_0), option.plan) == []


def test_a_title_with_free_room_of_its_own_moves_alone() -> None:
    # X may also shoot on day 2, which is free: one move, and Y stays on day 1
    scenario, plan = chain_scenario(x_last=2)
    [option] = fit(scenario, plan, RUSH_ON_DAY_0).options
    assert [(m.title_id, m.after and m.after.placement.start) for m in option.moves] == [("X", 2)]
    assert option.delta_priority == 3 and not option.chained


@pytest.mark.parametrize(
    ("published", "seconds"),
    [
        (frozenset({"Y"}), 3.0),  # Y was sent out: it never moves, so X cannot
        (frozenset(), 0.0),  # no time for chains
    ],
)
def test_a_chain_needs_time_and_titles_that_may_move(
    published: frozenset[str], seconds: float
) -> None:
    # the chain scenario again, but Y may not move or there is no time: X is dropped (+2)
    scenario, plan = chain_scenario(x_last=1)
    rushed = with_rush_title(scenario, RUSH_ON_DAY_0)
    found = fit_title(
        rushed, plan, RUSH_ON_DAY_0, check_plan, published=published, seconds=seconds
    )
    [option] = found.options
    assert option.dropped == ("X",) and option.delta_priority == 2 and not option.chained
    assert option.plan.shoots_of("Y")[0].date == day(1)
    assert found.chains == (1 if seconds else 0)


# -- the rules that put a planned title in the way --------------------------------------


def in_the_way(
    scenario: Scenario, plan: Plan, rush: Title, placement: Placement, crew: str
) -> frozenset[str] | None:
    """The titles of ``plan`` in the way of ``rush`` at ``placement`` with ``crew`` (the
    rush title's whole cast booked every day, as a title without scenes books them)."""
    rushed = with_rush_title(scenario, rush)
    placement = replace(placement, booked=(frozenset(rush.cast),) * placement.length)
    return Board.of_plan(rushed, plan).in_the_way(rush, placement, rushed.crew_by_id[crew])


def two_set_scenario(t1_days: int = 1, **changes: Any) -> Scenario:
    """B1 郑州 with two 办公室 sets S1, S2; crews C1, C2; actors A1, A2; T1 (cast A1)
    needing ``t1_days`` 办公室 days in days 0…3."""
    options: dict[str, Any] = {
        "days": 4,
        "sets": (FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "办公室", 1000)),
        "crews": (small_crew("C1"), small_crew("C2")),
        "actors": numbered_actors(2),
    }
    options.update(changes)
    t1 = small_title("T1", first=0, last=3, needs=[("办公室", t1_days)], cast=["A1"])
    return small_scenario([t1], **options)


def office(start: int, base: str = "B1", city: str = "郑州", days: int = 1) -> Placement:
    return Placement("R1", base, city, start, ("办公室",) * days)


TUTORIAL = str(SAMPLES / "tutorial")

T1_DAY_0 = shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"))


@pytest.mark.parametrize(
    ("crew", "cast", "expected"),
    [
        ("C1", (), {"T1"}),  # the crew shoots T1 that day
        ("C2", ("A1",), {"T1"}),  # the actor shoots T1 that day
        ("C2", ("A2",), set()),  # another crew and actor, a free set: nobody
    ],
)
def test_the_crew_or_an_actor_on_the_same_day_puts_a_title_in_the_way(
    crew: str, cast: tuple[str, ...], expected: set[str]
) -> None:
    rush = small_title("R1", first=0, last=0, cast=cast)
    assert in_the_way(two_set_scenario(), T1_DAY_0, rush, office(0), crew) == expected


def test_travel_days_put_a_title_in_the_way() -> None:
    # C1 shoots T1 in 郑州 on day 0; 开封 needs a free travel day (unlisted: 1 between cities)
    scenario = two_set_scenario(
        bases=(Base("B1", "金水基地", "郑州"), Base("B2", "开封基地", "开封")),
        sets=(FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B2", "办公室", 1000)),
    )
    rush = small_title("R1", first=0, last=3)
    assert in_the_way(scenario, T1_DAY_0, rush, office(1, "B2", "开封"), "C1") == {"T1"}
    assert in_the_way(scenario, T1_DAY_0, rush, office(2, "B2", "开封"), "C1") == set()


@pytest.mark.parametrize(("limit", "expected"), [(2, {"T1"}), (3, set())])
def test_the_crews_days_in_a_row_put_a_title_in_the_way(limit: int, expected: set[str]) -> None:
    # C1 shoots T1 on days 0-1; the rush title on day 2 makes 3 days in a row
    scenario = two_set_scenario(2, crews=(small_crew("C1", max_days_in_row=limit),))
    plan = shoot_plan(shoot_run("T1", 1, "B1", ["S1", "S1"], "C1"))
    rush = small_title("R1", first=0, last=3)
    assert in_the_way(scenario, plan, rush, office(2), "C1") == expected


@pytest.mark.parametrize(("cap", "expected"), [(1, {"T1"}), (2, set())])
def test_the_bases_max_crews_puts_a_title_in_the_way(cap: int, expected: set[str]) -> None:
    # T1 shoots at B1 on day 0 on S1; S2 is free, but B1 takes `cap` titles a day
    scenario = two_set_scenario(bases=(Base("B1", "金水基地", "郑州", max_crews=cap),))
    rush = small_title("R1", first=0, last=0)
    assert in_the_way(scenario, T1_DAY_0, rush, office(0), "C2") == expected


# -- accepting an option ------------------------------------------------------------------


@pytest.fixture
def tutorial_with_plan(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> tuple[ScenarioStore, ScenarioInfo, Scenario, Plan]:
    store, info = tutorial_db
    scenario, _version = store.load(info.scenario_id)
    plan = greedy_plan(scenario)
    assert check_plan(scenario, plan) == []
    return store, info, scenario, plan


def test_an_accepted_option_stores_the_title_and_a_plan_the_checker_passes(
    tutorial_with_plan: tuple[ScenarioStore, ScenarioInfo, Scenario, Plan],
) -> None:
    store, info, scenario, plan = tutorial_with_plan
    rush = rush_title_from_row(scenario, rush_row(), "TITLE.csv")
    outcome = fit_rush_title(scenario, plan, rush)
    assert outcome.options
    option = outcome.options[0]
    accepted = accept_option(
        store, info.scenario_id, info.version, outcome, option, lambda v: f"插单 v{v}"
    )
    stored, version = store.load(info.scenario_id)
    assert version == accepted.scenario_version == info.version + 1
    assert "R1" in stored.title_by_id
    plan_back, kpis, plan_info = store.load_plan(accepted.plan_id)
    assert plan_info.label == f"插单 v{version}" and plan_info.scenario_version == version
    assert check_plan(stored, plan_back) == []
    assert "R1" in plan_back.scheduled_title_ids
    assert kpis["fit"]["delta_priority"] == option.delta_priority


def test_accepting_on_a_stale_version_stores_nothing(
    tutorial_with_plan: tuple[ScenarioStore, ScenarioInfo, Scenario, Plan],
) -> None:
    store, info, scenario, plan = tutorial_with_plan
    outcome = fit_rush_title(scenario, plan, rush_title_from_row(scenario, rush_row(), "x"))
    store.save(info.scenario_id, scenario, info.version)  # someone saved in between
    with pytest.raises(StaleScenarioError):
        accept_option(store, info.scenario_id, info.version, outcome, outcome.options[0], str)
    assert store.list_plans(info.scenario_id) == []
    assert "R1" not in store.load(info.scenario_id)[0].title_by_id


# -- TITLE.csv ----------------------------------------------------------------------------


def test_a_good_title_csv_reads_as_the_rush_title(tutorial: Scenario, tmp_path: Path) -> None:
    path = write_rush_title(tmp_path / "TITLE.csv", rush_row(needs="办公室:1；医院：2"))
    title = read_rush_title(path, tutorial)
    assert title.days_by_set_type() == {"办公室": 1, "医院": 2}
    assert title.cast == ("A4",) and title.priority == 3


def test_a_bad_title_csv_lists_every_problem_at_its_row_and_column(
    tutorial: Scenario, tmp_path: Path
) -> None:
    bad = rush_row(
        title_id="T1",  # the tutorial's 闪婚后霸总他真香了
        priority="0",
        earliest_start="2027-01-02",  # after the tutorial's week
        due_date="2027-01-05",
        cast="A4;A99",
        needs="办公室:2;宇宙飞船:1;别墅",
    )
    path = write_rush_title(tmp_path / "TITLE.csv", bad, rush_row(title_id="R2"))
    with pytest.raises(ScenarioError) as raised:
        read_rush_title(path, tutorial)
    found = [(p.file, p.row, p.column) for p in raised.value.problems]
    assert found == [
        ("TITLE.csv", 2, "title_id"),
        ("TITLE.csv", 2, "priority"),
        ("TITLE.csv", 2, "earliest_start"),
        ("TITLE.csv", 2, "due_date"),
        ("TITLE.csv", 2, "cast"),
        ("TITLE.csv", 2, "needs"),  # 别墅 without days
        ("TITLE.csv", 2, "needs"),  # 宇宙飞船: no base has it
        ("TITLE.csv", 3, "*"),  # a second title
    ]
    messages = " ".join(p.format("zh") for p in raised.value.problems)
    assert "A99" in messages and "宇宙飞船" in messages and "排期范围" in messages


def test_a_title_csv_without_needs_names_the_missing_column(
    tutorial: Scenario, tmp_path: Path
) -> None:
    header = ("title_id", "name", "genre", "priority", "earliest_start", "due_date")
    path = write_rush_title(tmp_path / "TITLE.csv", rush_row(), header=header)
    with pytest.raises(ScenarioError) as raised:
        read_rush_title(path, tutorial)
    assert [(p.row, p.column) for p in raised.value.problems] == [(1, "needs")]


# -- the command ---------------------------------------------------------------------------


def test_fit_json_round_trips_the_options(
    tutorial: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = greedy_plan(tutorial)
    write_plan(tmp_path / "plan", plan)
    path = write_rush_title(tmp_path / "TITLE.csv", rush_row())
    code = main(["fit", TUTORIAL, str(tmp_path / "plan"), str(path), "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    expected = outcome_json(fit_rush_title(tutorial, plan, read_rush_title(path, tutorial)))
    assert printed["options"] == expected["options"]
    assert 1 <= len(printed["options"]) <= 5
    assert printed["title"]["title_id"] == "R1" and printed["seconds"] >= 0


def test_fit_prints_a_chinese_table_and_exits_1_on_a_bad_title(
    tutorial: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_plan(tmp_path / "plan", greedy_plan(tutorial))
    good = write_rush_title(tmp_path / "TITLE.csv", rush_row())
    assert main(["fit", TUTORIAL, str(tmp_path / "plan"), str(good)]) == 0
    table = capsys.readouterr().out
    assert "方案\t基地\t剧组\t开机\tΔ优先级\tΔ成本\t挪动的剧目" in table
    bad = write_rush_title(tmp_path / "BAD.csv", rush_row(cast="A99"))
    assert main(["fit", TUTORIAL, str(tmp_path / "plan"), str(bad)]) == 1
    assert "BAD.csv:2:cast" in capsys.readouterr().out
