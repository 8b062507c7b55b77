"""The priority bound: never below a plan we know, exact on tiny hand-reasoned scenarios."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest

from scheduler.domain.model import Base, Crew, Pin, Scenario
from scheduler.samples.generate import generate, generate_with_reference
from solver.capacity.bound import BoundResult, priority_upper_bound
from solver.slate.greedy import greedy_plan
from tests.factories import (
    START,
    numbered_actors,
    numbered_sets,
    priority_of,
    small_scenario,
    small_title,
)

# One-day titles on day 0 (one 办公室 day by default), in a one-day scenario at B01 in 郑州
# with two 办公室 sets S01 and S02, one crew C01 and actors A01–A03.
_title = partial(small_title, last=0)
_scenario = partial(
    small_scenario,
    days=1,
    bases=(Base("B01", "郑州金水影视基地", "郑州"),),
    sets=numbered_sets(["办公室", "办公室"], base_id="B01", width=2),
    crews=(Crew("C01", "张导组", "B01", 1000),),
    actors=numbered_actors(3, day_rate=500, width=2),
)


def _bound(scenario: Scenario, **options: object) -> int:
    result = priority_upper_bound(scenario, **options)  # type: ignore[arg-type]
    assert result is not None
    return result.bound


# -- tiny scenarios, the optimum reasoned by hand ----------------------------------------


def test_titles_sharing_an_actor_on_one_day_give_the_higher_priority() -> None:
    # one day, two crews, two sets: only actor A01 keeps T2 and T5 apart -> 5
    scenario = _scenario(
        (_title("T2", 2, cast=("A01",)), _title("T5", 5, cast=("A01",))),
        crews=(Crew("C01", "张导组", "B01", 1000), Crew("C02", "李导组", "B01", 1000)),
    )
    assert _bound(scenario) == 5


def test_titles_with_different_actors_both_shoot_with_two_crews() -> None:
    # same as above, different actors: both shoot -> 2 + 5
    scenario = _scenario(
        (_title("T2", 2, cast=("A01",)), _title("T5", 5, cast=("A02",))),
        crews=(Crew("C01", "张导组", "B01", 1000), Crew("C02", "李导组", "B01", 1000)),
    )
    assert _bound(scenario) == 7


def test_one_crew_shoots_one_title_a_day() -> None:
    # one crew, one day: only one of the two titles -> 5
    scenario = _scenario((_title("T2", 2), _title("T5", 5)))
    assert _bound(scenario) == 5


def test_crew_genres_limit_what_shoots() -> None:
    # the only crew shoots 都市, so the 古装 title (priority 5) never shoots -> 2
    scenario = _scenario(
        (_title("T2", 2), _title("T5", 5, genre="古装")),
        crews=(Crew("C01", "张导组", "B01", 1000, genres=("都市",)),),
    )
    assert _bound(scenario) == 2


def test_one_set_hosts_one_shoot_a_day() -> None:
    # two crews but one office set -> 5
    scenario = _scenario(
        (_title("T2", 2), _title("T5", 5)),
        crews=(Crew("C01", "张导组", "B01", 1000), Crew("C02", "李导组", "B01", 1000)),
        sets=numbered_sets(["办公室"], base_id="B01", width=2),
    )
    assert _bound(scenario) == 5


def test_title_needing_a_set_type_the_base_lacks_never_shoots() -> None:
    # T5 needs 办公室 + 别墅 over two days; the base has offices only -> 2
    scenario = _scenario(
        (
            _title("T2", 2, first=0, last=1),
            _title("T5", 5, first=0, last=1, needs=(("办公室", 1), ("别墅", 1))),
        ),
        days=2,
    )
    assert _bound(scenario) == 2


def test_base_max_crews_caps_titles_a_day() -> None:
    # two crews, two sets, but the base hosts one title a day -> 5
    scenario = _scenario(
        (_title("T2", 2), _title("T5", 5)),
        crews=(Crew("C01", "张导组", "B01", 1000), Crew("C02", "李导组", "B01", 1000)),
        bases=(Base("B01", "郑州金水影视基地", "郑州", max_crews=1),),
    )
    assert _bound(scenario) == 5


def test_max_days_in_row_forces_a_rest_day() -> None:
    # one crew that shoots at most 1 day in a row, two days, two 1-day titles: one shoots -> 5
    titles = (_title("T2", 2, first=0, last=1), _title("T5", 5, first=0, last=1))
    rested = Crew("C01", "张导组", "B01", 1000, max_days_in_row=1)
    assert _bound(_scenario(titles, days=2, crews=(rested,))) == 5
    # without the limit both shoot -> 7
    assert _bound(_scenario(titles, days=2)) == 7


def test_pinned_title_is_scheduled() -> None:
    # T2 and T5 share A01 on one day; T2 is pinned, so it shoots and T5 cannot -> 2
    titles = (_title("T2", 2, cast=("A01",)), _title("T5", 5, cast=("A01",)))
    crews = (Crew("C01", "张导组", "B01", 1000), Crew("C02", "李导组", "B01", 1000))
    assert _bound(_scenario(titles, crews=crews, pins=(Pin("T2", start_date=START),))) == 2


def test_pins_that_cannot_be_kept_prove_nothing() -> None:
    # T2 is pinned to start on day 1, outside its one-day window: no plan exists
    scenario = _scenario(
        (_title("T2", 2),), days=2, pins=(Pin("T2", start_date=START + timedelta(days=1)),)
    )
    assert priority_upper_bound(scenario) is None


def test_two_day_title_and_one_day_title_sharing_an_actor() -> None:
    # two days; T4 shoots both, T3 one of them, both with A01: one of them -> 4
    scenario = _scenario(
        (
            _title("T4", 4, needs=[("办公室", 2)], cast=("A01",), first=0, last=1),
            _title("T3", 3, cast=("A01",), first=0, last=1),
        ),
        days=2,
        crews=(Crew("C01", "张导组", "B01", 1000), Crew("C02", "李导组", "B01", 1000)),
    )
    assert _bound(scenario) == 4


def test_mip_closes_the_odd_cycle_the_lp_leaves_open() -> None:
    # three titles pairwise sharing an actor on one day: one shoots -> 2; the LP
    # takes half of each (3 × 2 / 2 = 3), the MIP proves 2
    titles = (
        _title("T1", 2, cast=("A01", "A02")),
        _title("T2", 2, cast=("A02", "A03")),
        _title("T3", 2, cast=("A01", "A03")),
    )
    crews = tuple(Crew(f"C0{i}", f"导演{i}组", "B01", 1000) for i in (1, 2, 3))
    scenario = _scenario(
        titles, crews=crews, sets=numbered_sets(["办公室"] * 3, base_id="B01", width=2)
    )
    lp = priority_upper_bound(scenario)
    mip = priority_upper_bound(scenario, integer=True)
    assert lp is not None and mip is not None
    assert (lp.bound, lp.method) == (3, "lp-highs")
    assert (mip.bound, mip.method) == (2, "mip-highs")


def test_highs_and_cbc_agree() -> None:
    scenario = generate("tutorial")
    highs = priority_upper_bound(scenario, solver="highs")
    cbc = priority_upper_bound(scenario, solver="cbc")
    assert highs is not None and cbc is not None
    assert highs.lp_value == pytest.approx(cbc.lp_value, abs=1e-6)
    assert (highs.bound, cbc.bound, cbc.method) == (17, 17, "lp-cbc")


# -- samples: never below a plan we know ---------------------------------------------------


def test_tutorial_bound_is_its_optimum() -> None:
    # the tutorial's best plan schedules all six titles (SPEC sample README): 17
    result = priority_upper_bound(generate("tutorial"))
    assert isinstance(result, BoundResult)
    assert result.bound == 17
    assert result.columns > 0 and result.rows > 0


@pytest.mark.parametrize("kind", ["zhengzhou-month", "zhengzhou-full"])
def test_month_bound_is_above_every_known_plan(kind: str) -> None:
    scenario, reference = generate_with_reference(kind)
    result = priority_upper_bound(scenario, time_limit=15.0)
    assert result is not None
    total = sum(t.priority for t in scenario.titles)
    assert priority_of(scenario, reference) <= result.bound <= total
    assert priority_of(scenario, greedy_plan(scenario)) <= result.bound
