"""The greedy baseline keeps every rule of the spec, on tiny hand-made cases and on the samples.

Each small case (2–6 titles, one week from 2026-12-01, day 0 = 12-01) says in
a comment why the greedy must place the titles as asserted. The plans are
also run through the independent checker (scheduler.check.checker), which shares no
code with the greedy.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import partial

import pytest

from scheduler.check.checker import check_plan
from scheduler.domain.model import (
    Base,
    Crew,
    FilmSet,
    Pin,
    Scenario,
    Title,
    Travel,
    UnavailableKind,
)
from scheduler.domain.plan import Plan
from scheduler.samples.generate import generate
from solver.slate.greedy import greedy_plan
from tests.factories import day, days_of, numbered_actors, outage, small_scenario, small_title

# Titles of priority 3 that may shoot all week (one 办公室 day by default), in a week at
# B1 in 郑州 with one 办公室 set S1, one crew C1 and actors A1–A3.
title = partial(small_title, priority=3, last=6)
scenario = partial(
    small_scenario,
    days=7,
    bases=(Base("B1", "郑州金水影视基地", "郑州"),),
    crews=(Crew("C1", "张导剧组", "B1", 20000),),
    actors=numbered_actors(3),
)


def plan_of(s: Scenario) -> Plan:
    """The greedy plan, after the independent checker has confirmed rules 1–11."""
    plan = greedy_plan(s)
    assert [str(v) for v in check_plan(s, plan)] == []
    assert set(plan.scheduled_title_ids) | set(plan.unscheduled) == {t.title_id for t in s.titles}
    return plan


def where(plan: Plan, title_id: str) -> tuple[str, str, list[str]]:
    """Base, crew and set of each day of a title."""
    shoots = plan.shoots_of(title_id)
    return shoots[0].base_id, shoots[0].crew_id, [shoot.set_id for shoot in shoots]


# -- order and earliest start ----------------------------------------------------


def test_titles_go_by_priority_then_due_date_each_at_its_earliest_start() -> None:
    # One set, one crew: one title a day. T3 (priority 5) goes first, on day 0;
    # T1 and T2 tie on priority 2, T2 is due earlier so it takes day 1, T1 day 2.
    s = scenario(
        [
            title("T1", priority=2, first=0, last=6),
            title("T2", priority=2, first=0, last=4),
            title("T3", priority=5, first=0, last=6),
        ]
    )
    plan = plan_of(s)
    assert days_of(plan, "T3") == [0]
    assert days_of(plan, "T2") == [1]
    assert days_of(plan, "T1") == [2]


# -- rule 1 -------------------------------------------------------------------------


def test_rule1_shoot_days_are_consecutive_and_skip_a_closed_day() -> None:
    # The only set is closed on day 1, so a 3-day shoot cannot start on day 0
    # (it would straddle day 1): the earliest consecutive run is days 2-4.
    s = scenario(
        [title("T1", needs=[("办公室", 3)])],
        unavailable=[outage("set", "S1", 1, 1)],
    )
    assert days_of(plan_of(s), "T1") == [2, 3, 4]


def test_rule1_window_shorter_than_the_shoot_is_unscheduled_with_a_reason() -> None:
    # Three shoot days do not fit in a two-day window, whatever else is free.
    s = scenario([title("T1", first=2, last=3, needs=[("办公室", 3)])])
    plan = plan_of(s)
    assert plan.unscheduled["T1"] == "可拍期 12-03 至 12-04 只有 2 天，不够拍 3 天"


def test_rule1_shoots_stay_inside_the_window_or_not_at_all() -> None:
    # T1 (priority 5) holds the only set on days 2-3; T2 may only shoot on
    # days 2-3, so it is left out rather than moved outside its window.
    s = scenario(
        [
            title("T1", priority=5, first=2, last=3, needs=[("办公室", 2)]),
            title("T2", priority=1, first=2, last=3),
        ]
    )
    plan = plan_of(s)
    assert days_of(plan, "T1") == [2, 3]
    assert plan.unscheduled["T2"] == "12-03 至 12-04 之间没有空闲的办公室场景"


# -- rule 2 -------------------------------------------------------------------------


def test_rule2_one_base_that_has_every_needed_set_type() -> None:
    # T1 needs 医院 and 别墅: B1 has only 医院, B2 only 别墅, B3 both -> B3,
    # one day on each of B3's sets.
    s = scenario(
        [title("T1", needs=[("医院", 1), ("别墅", 1)])],
        bases=[Base(b, f"基地{b}", "郑州") for b in ("B1", "B2", "B3")],
        sets=[
            FilmSet("S1", "B1", "医院", 1000),
            FilmSet("S2", "B2", "别墅", 1000),
            FilmSet("S3", "B3", "医院", 3000),
            FilmSet("S4", "B3", "别墅", 3000),
        ],
    )
    base_id, _, set_ids = where(plan_of(s), "T1")
    assert base_id == "B3"
    assert sorted(set_ids) == ["S3", "S4"]


def test_rule2_no_base_with_all_set_types_is_unscheduled_with_a_reason() -> None:
    s = scenario(
        [title("T1", needs=[("医院", 1), ("别墅", 1)])],
        bases=[Base(b, f"基地{b}", "郑州") for b in ("B1", "B2")],
        sets=[FilmSet("S1", "B1", "医院", 1000), FilmSet("S2", "B2", "别墅", 1000)],
    )
    assert plan_of(s).unscheduled["T1"] == "没有一个基地同时有医院、别墅场景"


def test_rule2_set_type_order_inside_a_title_is_chosen_to_fit() -> None:
    # T1 (priority 5) takes the only 别墅 on day 0. T2 must shoot days 0-1 and
    # needs 别墅 + 办公室: only the order 办公室 (day 0) then 别墅 (day 1) fits.
    s = scenario(
        [
            title("T1", priority=5, first=0, last=0, needs=[("别墅", 1)]),
            title("T2", priority=1, first=0, last=1, needs=[("别墅", 1), ("办公室", 1)]),
        ],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "别墅", 3000)],
        crews=[Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B1", 20000)],
    )
    plan = plan_of(s)
    assert where(plan, "T2")[2] == ["S1", "S2"]


def test_rule2_set_types_may_interleave_when_no_grouped_order_fits() -> None:
    # T1 (priority 5) takes the only 别墅 on day 1. T2 needs 别墅 ×2 + 办公室
    # within days 0-2: neither 别墅-别墅-办公室 nor 办公室-别墅-别墅 fits, but
    # 别墅 (day 0), 办公室 (day 1), 别墅 (day 2) does.
    s = scenario(
        [
            title("T1", priority=5, first=1, last=1, needs=[("别墅", 1)]),
            title("T2", priority=1, first=0, last=2, needs=[("别墅", 2), ("办公室", 1)]),
        ],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "别墅", 3000)],
        crews=[Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B1", 20000)],
    )
    assert where(plan_of(s), "T2")[2] == ["S2", "S1", "S2"]


def test_rule2_prefers_the_cheaper_base() -> None:
    # Both bases have a free 办公室 on day 0; B2's is cheaper.
    s = scenario(
        [title("T1")],
        bases=[Base("B1", "基地一", "郑州"), Base("B2", "基地二", "郑州")],
        sets=[FilmSet("S1", "B1", "办公室", 2500), FilmSet("S2", "B2", "办公室", 1200)],
    )
    assert where(plan_of(s), "T1")[:1] == ("B2",)


# -- rule 3 -------------------------------------------------------------------------


def test_rule3_crew_must_shoot_the_genre() -> None:
    # C1 shoots only 都市 and is cheaper; the 古装 title can only go to C2.
    s = scenario(
        [title("T1", genre="古装")],
        crews=[
            Crew("C1", "张导剧组", "B1", 10000, genres=("都市",)),
            Crew("C2", "李导剧组", "B1", 30000),
        ],
    )
    assert where(plan_of(s), "T1")[1] == "C2"


def test_rule3_narrow_crews_are_used_before_generalists() -> None:
    # Both crews can shoot 都市; C2 shoots anything, so the greedy keeps it
    # free (for titles only it can shoot) and picks C1 although C1 costs more.
    s = scenario(
        [title("T1", genre="都市")],
        crews=[
            Crew("C1", "张导剧组", "B1", 30000, genres=("都市", "甜宠")),
            Crew("C2", "李导剧组", "B1", 10000),
        ],
    )
    assert where(plan_of(s), "T1")[1] == "C1"


def test_rule3_no_crew_for_the_genre_is_unscheduled_with_a_reason() -> None:
    s = scenario(
        [title("T1", genre="古装")],
        crews=[Crew("C1", "张导剧组", "B1", 10000, genres=("都市",))],
    )
    assert plan_of(s).unscheduled["T1"] == "没有可拍古装剧的剧组"


# -- rule 4 -------------------------------------------------------------------------


def test_rule4_an_actor_shared_by_two_titles_never_shoots_both_the_same_day() -> None:
    # Two crews and two sets would let both titles shoot on day 0, but A1 is in
    # both casts: T1 (higher priority) takes days 0-1, T2 waits until day 2.
    s = scenario(
        [
            title("T1", priority=5, needs=[("办公室", 2)], cast=("A1", "A2")),
            title("T2", priority=3, cast=("A1", "A3")),
        ],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "办公室", 1000)],
        crews=[Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B1", 20000)],
    )
    plan = plan_of(s)
    assert days_of(plan, "T1") == [0, 1]
    assert days_of(plan, "T2") == [2]


def test_rule4_one_crew_and_one_set_host_one_shoot_a_day() -> None:
    # Three one-day titles, one crew, one set: days 0, 1 and 2.
    s = scenario([title(f"T{n}", priority=6 - n) for n in (1, 2, 3)])
    plan = plan_of(s)
    assert [days_of(plan, f"T{n}") for n in (1, 2, 3)] == [[0], [1], [2]]


def test_rule4_a_busy_actor_in_a_tight_window_is_named_in_the_reason() -> None:
    # A1 shoots T1 on days 0-1; T2 needs A1 within days 0-1 as well.
    s = scenario(
        [
            title("T1", priority=5, first=0, last=1, needs=[("办公室", 2)], cast=("A1",)),
            title("T2", priority=1, first=0, last=1, cast=("A1",)),
        ],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "办公室", 1000)],
        crews=[Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B1", 20000)],
    )
    assert plan_of(s).unscheduled["T2"] == "演员演员1在 12-01 至 12-02 之间没有空档"


# -- rule 5 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "resource"),
    [("set", "S1"), ("base", "B1"), ("crew", "C1"), ("actor", "A1")],
)
def test_rule5_nothing_is_booked_while_unavailable(kind: UnavailableKind, resource: str) -> None:
    # Whichever of set, base, crew or cast member is out on days 0-2, the
    # 2-day shoot starts on day 3, the first day everything is back.
    s = scenario(
        [title("T1", needs=[("办公室", 2)], cast=("A1",))],
        unavailable=[outage(kind, resource, 0, 2)],
    )
    assert days_of(plan_of(s), "T1") == [3, 4]


# -- rule 6 -------------------------------------------------------------------------


def test_rule6_base_hosts_at_most_max_crews_titles_a_day() -> None:
    # B1 has two sets and two crews but max_crews = 1: T2 cannot join T1 on
    # day 0 at B1 and goes to B2 (dearer, but free) on day 0.
    s = scenario(
        [title("T1", priority=5), title("T2", priority=3)],
        bases=[Base("B1", "基地一", "郑州", max_crews=1), Base("B2", "基地二", "郑州")],
        sets=[
            FilmSet("S1", "B1", "办公室", 1000),
            FilmSet("S2", "B1", "办公室", 1000),
            FilmSet("S3", "B2", "办公室", 5000),
        ],
        crews=[Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B1", 20000)],
    )
    plan = plan_of(s)
    assert where(plan, "T1")[0] == "B1"
    assert (where(plan, "T2")[0], days_of(plan, "T2")) == ("B2", [0])


# -- rule 7 -------------------------------------------------------------------------


def two_cities(titles: list[Title], **options: object) -> Scenario:
    """B1 in 郑州 (an 办公室), B2 in 开封 (a 古装宫殿); 郑州→开封 takes 2 free days."""
    return scenario(
        titles,
        bases=[Base("B1", "郑州金水影视基地", "郑州"), Base("B2", "开封宋都影视城", "开封")],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B2", "古装宫殿", 4000)],
        travel=[Travel("郑州", "开封", 2)],
        **options,  # type: ignore[arg-type]
    )


def test_rule7_crew_needs_travel_days_before_a_title_in_another_city() -> None:
    # One crew. T1 shoots in 郑州 on day 0; T2 needs the 古装宫殿 in 开封, and
    # 郑州→开封 takes 2 free days: T2 starts on day 3, not day 1.
    s = two_cities(
        [
            title("T1", priority=5, first=0, last=0),
            title("T2", priority=3, needs=[("古装宫殿", 1)], genre="古装"),
        ]
    )
    assert days_of(plan_of(s), "T2") == [3]


def test_rule7_an_actor_needs_travel_days_before_a_later_title_in_another_city() -> None:
    # Two crews, so only the actor links them. T1 (priority 5) is in 开封 on
    # day 5. T2 with the same actor may shoot in 郑州 on days 3-6: day 3 leaves
    # one free day before 开封 (needs 2), day 4 none, day 5 is taken, and day 6
    # follows 开封 with no free day. So T2 is left out, and the reason says why.
    s = two_cities(
        [
            title("T1", priority=5, first=5, last=5, needs=[("古装宫殿", 1)], cast=("A1",)),
            title("T2", priority=3, first=3, last=6, cast=("A1",)),
        ],
        crews=[Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B2", 20000)],
    )
    plan = plan_of(s)
    assert days_of(plan, "T1") == [5]
    assert plan.unscheduled["T2"] == (
        "12-04 至 12-07 之间剧组、场景和演员都有空的日子里，演员演员1在外地拍摄，转场间隔天数不够"
    )


def test_rule7_same_city_needs_no_travel_days() -> None:
    # Both titles in 郑州 with one crew: back to back on days 0 and 1.
    s = two_cities([title("T1", priority=5), title("T2", priority=3)])
    plan = plan_of(s)
    assert (days_of(plan, "T1"), days_of(plan, "T2")) == ([0], [1])


# -- rule 8 -------------------------------------------------------------------------


def test_rule8_pins_are_kept_and_pinned_titles_go_first() -> None:
    # T2 has priority 1 but is pinned to start on day 0 with crew C1 at B2: it
    # is placed first, so T1 (priority 5, wants day 0 too) takes the other crew
    # and base; the pinned fields are exactly as pinned.
    s = scenario(
        [title("T1", priority=5), title("T2", priority=1)],
        bases=[Base("B1", "基地一", "郑州"), Base("B2", "基地二", "郑州")],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B2", "办公室", 5000)],
        crews=[Crew("C1", "张导剧组", "B1", 10000), Crew("C2", "李导剧组", "B1", 30000)],
        pins=[Pin("T2", start_date=day(0), base_id="B2", crew_id="C1")],
    )
    plan = plan_of(s)
    assert (days_of(plan, "T2"), where(plan, "T2")[:2]) == ([0], ("B2", "C1"))
    assert (days_of(plan, "T1"), where(plan, "T1")[:2]) == ([0], ("B1", "C2"))


def test_rule8_a_pin_outside_the_window_is_unscheduled_with_a_reason() -> None:
    # A 2-day shoot pinned to start on the last day of its window cannot be
    # placed by anyone (the checker counts an unscheduled pin as a broken rule
    # 8, so no plan is valid here); the greedy says why instead of moving it.
    s = scenario(
        [title("T1", first=0, last=2, needs=[("办公室", 2)])],
        pins=[Pin("T1", start_date=day(2))],
    )
    plan = greedy_plan(s)
    assert plan.shoots == ()
    assert plan.unscheduled["T1"] == "指定开机日 12-03 拍 2 天，超出可拍期 12-01 至 12-03"


# -- rule 9 -------------------------------------------------------------------------


def test_rule9_crew_with_max_two_days_in_row_rests() -> None:
    # One crew with max_days_in_row = 2, three one-day titles, two sets: it
    # shoots days 0 and 1, must rest on day 2, and shoots the third on day 3.
    s = scenario(
        [title(f"T{n}", priority=6 - n) for n in (1, 2, 3)],
        sets=[FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "办公室", 1000)],
        crews=[Crew("C1", "张导剧组", "B1", 20000, max_days_in_row=2)],
    )
    plan = plan_of(s)
    assert [days_of(plan, f"T{n}") for n in (1, 2, 3)] == [[0], [1], [3]]


def test_rule9_runs_count_across_neighbouring_titles() -> None:
    # max_days_in_row = 3. T1 (priority 5) is fixed on days 2-3. T2 (2 days)
    # on days 0-1 would make a run of 4 with T1, so it goes to days 5-6 (days
    # 4-5 would join T1's run: 2 + 2 = 4).
    s = scenario(
        [
            title("T1", priority=5, first=2, last=3, needs=[("办公室", 2)]),
            title("T2", priority=3, needs=[("办公室", 2)]),
        ],
        crews=[Crew("C1", "张导剧组", "B1", 20000, max_days_in_row=3)],
    )
    plan = plan_of(s)
    assert days_of(plan, "T2") == [5, 6]


def test_rule9_a_crew_that_may_not_shoot_long_enough_is_not_used() -> None:
    s = scenario(
        [title("T1", needs=[("办公室", 3)])],
        crews=[Crew("C1", "张导剧组", "B1", 20000, max_days_in_row=2)],
    )
    assert plan_of(s).unscheduled["T1"] == "可拍都市剧的剧组最多连拍不到 3 天"


# -- the samples ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["tutorial", "zhengzhou-month", "zhengzhou-full"])
def test_sample_plans_double_book_nothing_and_give_each_title_exactly_its_needs(
    kind: str,
) -> None:
    s = generate(kind)
    plan = greedy_plan(s)
    assert [str(v) for v in check_plan(s, plan)] == []
    # no set, crew or actor is booked twice on one day
    booked: Counter[tuple[str, str, date]] = Counter()
    for shoot in plan.shoots:
        booked[("set", shoot.set_id, shoot.date)] += 1
        booked[("crew", shoot.crew_id, shoot.date)] += 1
        for actor_id in s.title_by_id[shoot.title_id].cast:
            booked[("actor", actor_id, shoot.date)] += 1
    assert [key for key, count in booked.items() if count > 1] == []
    # every scheduled title gets exactly its set-days by type, at one base, with one crew
    for title_id in plan.scheduled_title_ids:
        shoots = plan.shoots_of(title_id)
        got = Counter(s.set_by_id[shoot.set_id].set_type for shoot in shoots)
        assert got == Counter(s.title_by_id[title_id].days_by_set_type())
        assert len({shoot.base_id for shoot in shoots}) == 1
        assert len({shoot.crew_id for shoot in shoots}) == 1
    # every title is either scheduled or has a reason, never both
    assert plan.scheduled_title_ids.isdisjoint(plan.unscheduled)
    assert len(plan.scheduled_title_ids) + len(plan.unscheduled) == len(s.titles)
    assert all(reason for reason in plan.unscheduled.values())


def test_tutorial_greedy_misses_the_title_the_best_plan_holds() -> None:
    # See sample_data/tutorial/README.md: the greedy gives 林婉儿's days 1-2
    # to the top title, so 消失的新娘 (window 12-01..12-02) cannot shoot.
    s = generate("tutorial")
    plan = greedy_plan(s)
    assert sorted(plan.unscheduled) == ["T3"]
    assert plan.unscheduled["T3"] == "演员林婉儿在 12-01 至 12-02 之间没有连续 2 天空档"


@pytest.mark.benchmark
def test_cluster_x10_plans_in_well_under_ten_seconds() -> None:
    import time

    s = generate("cluster-x10")
    started = time.perf_counter()
    plan = greedy_plan(s)
    elapsed = time.perf_counter() - started
    assert check_plan(s, plan) == []
    assert elapsed < 5.0, f"greedy took {elapsed:.1f} s on the x10 cluster"
