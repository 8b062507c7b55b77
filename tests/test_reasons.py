"""Reasons for titles left out: each claim a fact of the plan and the scenario.

Claims are made by :mod:`solver.slate.reasons` against a plan and checked by the
independent :mod:`scheduler.check.reasons`. Per claim kind a pair: the claim made
on a small case passes the fact check; the same claim doctored (a day, a holder, a
limit changed) fails it. Then: an ill actor is named with the dates; a
displacement one drop repairs is offered and verified; on random scenarios and on
the month every reason names a resource and no claim fails.
"""

from __future__ import annotations

from dataclasses import replace

from factories import (
    SAMPLES,
    dec,
    outage,
    random_scenarios,
    shoot_plan,
    shoot_run,
    small_crew,
    small_scenario,
    small_title,
)
from hypothesis import HealthCheck, given, settings

from scheduler.check.checker import check_plan
from scheduler.check.reasons import check_reasons
from scheduler.domain.model import Actor, Base, FilmSet, Scenario, Travel
from scheduler.domain.plan import Plan
from scheduler.domain.reasons import (
    BaseFull,
    Busy,
    DayHolders,
    Displace,
    NoCrewFree,
    Reason,
    RestDue,
    SetTypeFull,
    TravelTooShort,
    Unavailable,
)
from scheduler.io.validation import load_scenario
from solver.slate.candidates import enumerate_candidates
from solver.slate.greedy import greedy_plan
from solver.slate.reasons import explain_unscheduled, take_free_room
from solver.slate.solve import solve

OFFICES = (FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B1", "办公室", 1000))
TWO_CREWS = (small_crew("C1"), small_crew("C2"))
ACTOR = (Actor("A1", "邵强宇", 1000),)


def explain(scenario: Scenario, plan: Plan, proven: bool = False) -> dict[str, Reason]:
    """The reasons of ``plan``'s left-out titles, as a solve makes them."""
    return explain_unscheduled(
        scenario, plan, enumerate_candidates(scenario), proven=proven, checker=check_plan
    )


def claim_of(reason: Reason, kind: type) -> object:
    found = [c for c in reason.claims if isinstance(c, kind)]
    assert found, f"no {kind.__name__} in {reason.text()}"
    return found[0]


def failures_with(scenario: Scenario, plan: Plan, reason: Reason, claim: object) -> list[str]:
    """Fact-check ``reason`` with its first claim of ``claim``'s kind replaced by ``claim``."""
    claims = list(reason.claims)
    at = next(i for i, c in enumerate(claims) if type(c) is type(claim))
    claims[at] = claim  # type: ignore[call-overload]
    doctored = replace(reason, claims=tuple(claims))
    return [f.why for f in check_reasons(scenario, plan, {reason.title_id: doctored})]


# -- an actor: ill, then shooting another title ---------------------------------------


def actor_case() -> tuple[Scenario, Plan]:
    # T2 (cast A1) may shoot one day on 12-01 … 12-02; A1 is ill on 12-01 and shoots T1 on
    # 12-02, so T2 has no day, though a set and a crew are free.
    s = small_scenario(
        [
            small_title("T1", priority=3, first=1, last=1, cast=("A1",)),
            small_title("T2", priority=1, first=0, last=1, cast=("A1",)),
        ],
        days=2,
        sets=OFFICES,
        crews=TWO_CREWS,
        actors=ACTOR,
        unavailable=[outage("actor", "A1", 0)],
    )
    return s, shoot_plan(shoot_run("T1", 2, "B1", ["S1"], "C1"))


def test_an_ill_actor_is_named_with_the_dates() -> None:
    s, plan = actor_case()
    reason = explain(s, plan, proven=True)["T2"]
    assert reason.text().startswith("已证最优")
    assert "主演 邵强宇（A1）12-01 请假/不可用，12-02 在拍《T1 剧目T1》" in reason.text()
    assert check_reasons(s, plan, {"T2": reason}) == []


def test_an_actor_off_on_a_day_it_works_fails_the_check() -> None:
    s, plan = actor_case()
    reason = explain(s, plan)["T2"]
    off = claim_of(reason, Unavailable)
    assert isinstance(off, Unavailable)
    assert failures_with(s, plan, reason, replace(off, days=(dec(2),)))


def test_an_actor_busy_on_a_day_the_holder_does_not_shoot_fails_the_check() -> None:
    s, plan = actor_case()
    reason = explain(s, plan)["T2"]
    busy = claim_of(reason, Busy)
    assert isinstance(busy, Busy)
    assert failures_with(s, plan, reason, replace(busy, days=(dec(1),)))


def test_a_reason_of_a_title_in_the_plan_fails_the_check() -> None:
    s, plan = actor_case()
    reason = explain(s, plan)["T2"]
    assert check_reasons(s, plan, {"T1": replace(reason, title_id="T1")})


# -- travel -----------------------------------------------------------------------------


def travel_case() -> tuple[Scenario, Plan]:
    # A1 shoots T1 in 开封 on 12-01; T2 (cast A1) can shoot only in 郑州 on 12-02, and
    # 开封→郑州 takes one free day: T2 does not fit.
    s = small_scenario(
        [
            small_title("T1", priority=3, first=0, last=0, cast=("A1",), needs=(("街道", 1),)),
            small_title("T2", priority=1, first=1, last=1, cast=("A1",)),
        ],
        days=2,
        bases=(Base("B1", "金水基地", "郑州"), Base("B2", "清明上河园基地", "开封")),
        sets=(*OFFICES, FilmSet("S3", "B2", "街道", 1000)),
        crews=TWO_CREWS,
        actors=ACTOR,
        travel=(Travel("开封", "郑州", 1),),
    )
    return s, shoot_plan(shoot_run("T1", 1, "B2", ["S3"], "C1"))


def test_a_travel_clash_is_claimed_and_holds() -> None:
    s, plan = travel_case()
    reason = explain(s, plan)["T2"]
    travel = claim_of(reason, TravelTooShort)
    assert isinstance(travel, TravelTooShort)
    assert (travel.holder.title_id, travel.holder_city, travel.city) == ("T1", "开封", "郑州")
    assert check_reasons(s, plan, {"T2": reason}) == []


def test_a_travel_clash_from_the_wrong_city_fails_the_check() -> None:
    s, plan = travel_case()
    reason = explain(s, plan)["T2"]
    travel = claim_of(reason, TravelTooShort)
    assert isinstance(travel, TravelTooShort)
    assert failures_with(s, plan, reason, replace(travel, holder_city="郑州", city="开封"))


# -- sets and bases -----------------------------------------------------------------------


def set_case() -> tuple[Scenario, Plan]:
    # One 办公室 set, held by T1 on 12-01; T2 needs it that day.
    s = small_scenario(
        [small_title("T1", priority=3, first=0, last=0), small_title("T2", first=0, last=0)],
        days=1,
        crews=TWO_CREWS,
    )
    return s, shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"))


def test_a_full_set_type_names_the_base_day_and_holder() -> None:
    s, plan = set_case()
    reason = explain(s, plan, proven=True)["T2"]
    assert "B1 金水基地无空闲办公室棚：12-01 被 T1 占用" in reason.text()
    assert check_reasons(s, plan, {"T2": reason}) == []


def test_a_full_set_type_with_the_wrong_holder_fails_the_check() -> None:
    s, plan = set_case()
    reason = explain(s, plan)["T2"]
    full = claim_of(reason, SetTypeFull)
    assert isinstance(full, SetTypeFull)
    nobody = replace(full, days=(DayHolders(dec(1), ()),))
    assert failures_with(s, plan, reason, nobody)


def base_case() -> tuple[Scenario, Plan]:
    # Two 办公室 sets but the base takes one crew a day; T1 shoots there on 12-01.
    s = small_scenario(
        [small_title("T1", priority=3, first=0, last=0), small_title("T2", first=0, last=0)],
        days=1,
        bases=(Base("B1", "金水基地", "郑州", max_crews=1),),
        sets=OFFICES,
        crews=TWO_CREWS,
    )
    return s, shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"))


def test_a_full_base_is_claimed_and_holds() -> None:
    s, plan = base_case()
    reason = explain(s, plan)["T2"]
    full = claim_of(reason, BaseFull)
    assert isinstance(full, BaseFull) and full.max_crews == 1
    assert check_reasons(s, plan, {"T2": reason}) == []


def test_a_full_base_with_a_higher_cap_fails_the_check() -> None:
    s, plan = base_case()
    reason = explain(s, plan)["T2"]
    full = claim_of(reason, BaseFull)
    assert isinstance(full, BaseFull)
    assert failures_with(s, plan, reason, replace(full, max_crews=2))


# -- crews ------------------------------------------------------------------------------


def crew_case() -> tuple[Scenario, Plan]:
    # One crew, C1 (at most 2 days in a row), shoots T1 on 12-01 … 12-02; T3 (古装, which
    # C1 does not shoot) has C2; T2 (都市) may shoot only on 12-03: C1 would shoot 3 in a row.
    s = small_scenario(
        [
            small_title("T1", priority=3, first=0, last=1, needs=(("办公室", 2),)),
            small_title("T2", first=2, last=2),
        ],
        days=3,
        sets=OFFICES,
        crews=(small_crew("C1", ("都市",), max_days_in_row=2), small_crew("C2", ("古装",))),
    )
    return s, shoot_plan(shoot_run("T1", 1, "B1", ["S1", "S1"], "C1"))


def test_no_crew_free_lists_every_crew_of_the_genre() -> None:
    s, plan = crew_case()
    reason = explain(s, plan)["T2"]
    crews = claim_of(reason, NoCrewFree)
    assert isinstance(crews, NoCrewFree)
    assert [c.crew_id for c in crews.crews] == ["C1"]
    assert isinstance(crews.crews[0].facts[0], RestDue)
    assert "没有会拍都市的剧组" in reason.text()
    assert check_reasons(s, plan, {"T2": reason}) == []


def test_no_crew_free_missing_a_crew_or_with_a_wrong_limit_fails_the_check() -> None:
    s, plan = crew_case()
    reason = explain(s, plan)["T2"]
    crews = claim_of(reason, NoCrewFree)
    assert isinstance(crews, NoCrewFree)
    assert failures_with(s, plan, reason, replace(crews, crews=()))
    rest = crews.crews[0].facts[0]
    assert isinstance(rest, RestDue)
    loose = replace(crews.crews[0], facts=(replace(rest, max_days_in_row=3),))
    assert failures_with(s, plan, reason, replace(crews, crews=(loose,)))


def test_a_crew_busy_with_another_title_blocks_and_holds() -> None:
    # One crew, shooting T1 on 12-01; T2 needs a crew that day.
    s = small_scenario(
        [small_title("T1", priority=3, first=0, last=0), small_title("T2", first=0, last=0)],
        days=1,
        sets=OFFICES,
    )
    plan = shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"))
    reason = explain(s, plan)["T2"]
    crews = claim_of(reason, NoCrewFree)
    assert isinstance(crews, NoCrewFree)
    busy = crews.crews[0].facts[0]
    assert isinstance(busy, Busy) and busy.holder.title_id == "T1"
    assert check_reasons(s, plan, {"T2": reason}) == []
    idle = replace(crews.crews[0], facts=(replace(busy, days=(dec(2),)),))
    assert failures_with(s, plan, reason, replace(crews, crews=(idle,)))


# -- displacement ---------------------------------------------------------------------------


def displacement_case() -> tuple[Scenario, Plan]:
    # The one 办公室 set on 12-01 is held by T1 (priority 1); T2 (priority 3) needs it that
    # day. Dropping T1 lets T2 in: +2.
    s = small_scenario(
        [small_title("T1", priority=1, first=0, last=0), small_title("T2", 3, 0, 0)],
        days=1,
    )
    return s, shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"))


def test_a_displacement_one_drop_repairs_is_offered_and_verified() -> None:
    s, plan = displacement_case()
    reason = explain(s, plan)["T2"]
    move = reason.displacement
    assert move is not None and [h.title_id for h in move.removed] == ["T1"]
    assert move.gain == 2
    assert "挪走 T1《剧目T1》（优先级 1）即可排入" in reason.text()
    assert reason.text().startswith("在给定时间内未找到")
    assert check_reasons(s, plan, {"T2": reason}) == []


def test_a_displacement_that_keeps_the_holder_fails_the_check() -> None:
    s, plan = displacement_case()
    reason = explain(s, plan)["T2"]
    move = claim_of(reason, Displace)
    assert isinstance(move, Displace)
    assert failures_with(s, plan, reason, replace(move, removed=()))


def test_a_proven_plan_offers_no_displacement() -> None:
    s, plan = displacement_case()
    reason = explain(s, plan, proven=True)["T2"]
    assert reason.displacement is None
    assert reason.text().startswith("已证最优")


# -- random scenarios and the month ---------------------------------------------------------


def assert_truthful(scenario: Scenario, plan: Plan, reasons: dict[str, Reason]) -> None:
    left_out = set(scenario.title_by_id) - plan.scheduled_title_ids
    alone = enumerate_candidates(scenario)
    assert {t for t in left_out if alone.by_title[t].possible} == set(reasons)
    nameless = [r.text() for r in reasons.values() if not r.names_resource()]
    assert nameless == []
    failures = check_reasons(scenario, plan, reasons)
    assert failures == [], [str(f) for f in failures]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios())
def test_reasons_on_random_scenarios_name_a_resource_and_hold(scenario: Scenario) -> None:
    plan = greedy_plan(scenario)
    assert_truthful(scenario, plan, explain(scenario, plan))


def test_reasons_on_the_month_name_a_resource_and_hold() -> None:
    s = load_scenario(SAMPLES / "zhengzhou-month")
    result = solve(s, checker=check_plan, time_limit=12)
    assert result.reasons
    assert_truthful(s, result.plan, dict(result.reasons))
    for title_id, reason in result.reasons.items():
        assert result.plan.unscheduled[title_id] == reason.text()


# -- room the search left free ---------------------------------------------------------------


def free_room_case() -> tuple[Scenario, Plan]:
    # one set and one crew; T1 shoots 12-01; T2 (priority 2) and T3 (priority 1) both want
    # 12-02, the one free day: either fits as the plan stands, not both
    s = small_scenario(
        [
            small_title("T1", priority=1, first=0, last=0),
            small_title("T2", priority=2, first=1, last=1),
            small_title("T3", priority=1, first=1, last=1),
        ],
        days=2,
    )
    left_out = {"T2": "未排", "T3": "未排"}
    return s, shoot_plan(shoot_run("T1", 1, "B1", ["S1"], "C1"), unscheduled=left_out)


def test_a_title_that_fits_as_the_plan_stands_is_put_in() -> None:
    s, plan = free_room_case()
    reasons = explain(s, plan)
    assert "不挪任何剧目即可排入" in reasons["T3"].text()
    filled, taken = take_free_room(s, plan, {"T3": reasons["T3"]}, check_plan)
    assert taken == ["T3"] and filled.scheduled_title_ids == {"T1", "T3"}
    assert dict(filled.unscheduled) == {"T2": "未排"}
    assert check_plan(s, filled) == []


def test_two_titles_wanting_the_same_free_room_get_one_the_higher_priority() -> None:
    s, plan = free_room_case()
    filled, taken = take_free_room(s, plan, explain(s, plan), check_plan)
    assert taken == ["T2"] and filled.scheduled_title_ids == {"T1", "T2"}
    assert check_plan(s, filled) == []
