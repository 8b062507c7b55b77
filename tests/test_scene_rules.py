"""Rule 10 in the independent checker and the KPIs: scenes shot once, actors only on their days.

Every test starts from :func:`tests.factories.scene_scenario` (T01 and T03 share
the supporting actor A09 in one scene each) and the valid plan ``BASELINE``,
then changes one thing; kept and broken come in pairs.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.check.bookings import actor_bookings
from scheduler.check.checker import Violation, check_plan
from scheduler.check.kpis import compute_kpis
from scheduler.domain.model import Base, FilmSet, Scenario, Unavailability
from scheduler.domain.plan import Plan
from tests.factories import dec as d
from tests.factories import scene_run as run
from tests.factories import scene_scenario as scenario
from tests.factories import shoot_plan as plan

# T01 12-01…12-03: scene 2 (A01, A09), scene 1, scene 3 — A09 booked 12-01 only.
T01 = run("T01", 1, ["S01", "S01", "S02"], "C01", [["2"], ["1"], ["3"]])
# T03 12-02…12-03: scene 1 (A03, A09), scene 2 — A09 booked 12-02 only.
T03 = run("T03", 2, ["S03", "S04"], "C03", [["1"], ["2"]])
BASELINE = plan(T01, T03)


def rules(violations: list[Violation]) -> list[tuple[int, str]]:
    return [(v.rule, v.resource) for v in violations]


def with_scene(sc: Scenario, title_id: str, scene_id: str, **changes: object) -> Scenario:
    """``sc`` with one scene of one title changed."""
    titles = []
    for title in sc.titles:
        if title.title_id == title_id:
            scenes = tuple(
                replace(s, **changes) if s.scene_id == scene_id else s  # type: ignore[arg-type]
                for s in title.scenes
            )
            title = replace(title, scenes=scenes)
        titles.append(title)
    return replace(sc, titles=tuple(titles))


def test_an_actor_shared_by_two_titles_on_different_days_of_them_is_allowed() -> None:
    # A09 works T01 on 12-01 and T03 on 12-02: each title books them one day only
    assert check_plan(scenario(), BASELINE) == []


def test_an_actor_shared_by_two_titles_on_the_same_day_is_not() -> None:
    # T01 shoots scene 2 (with A09) on 12-02, the day T03 shoots its A09 scene
    t01 = run("T01", 1, ["S01", "S01", "S02"], "C01", [["1"], ["2"], ["3"]])
    found = check_plan(scenario(), plan(t01, T03))
    assert rules(found) == [(4, "actor A09")]
    assert found[0].date == d(2)


def test_a_hold_day_between_two_scenes_books_the_actor() -> None:
    # A09 also in T01's scene 3 (12-03): held on 12-02, which T03 books for its scene 1
    sc = with_scene(scenario(), "T01", "3", cast=("A01", "A09"))
    found = check_plan(sc, BASELINE)
    assert rules(found) == [(4, "actor A09")] and found[0].date == d(2)


def test_without_the_hold_the_same_plan_keeps_the_rule() -> None:
    sc = with_scene(scenario(), "T01", "1", cast=("A01", "A09"))  # A09 on 12-01, 12-02
    t03 = run("T03", 3, ["S03", "S04"], "C03", [["1"], ["2"]])  # T03 books A09 on 12-03
    assert check_plan(sc, plan(T01, t03)) == []


def test_an_actor_away_on_a_day_the_title_does_not_book_them_is_allowed() -> None:
    away = Unavailability("actor", "A09", d(3), d(3), "另有档期")
    assert check_plan(scenario(unavailable=(away,)), BASELINE) == []


def test_an_actor_away_on_their_scene_day_is_not() -> None:
    away = Unavailability("actor", "A09", d(2), d(2), "另有档期")
    found = check_plan(scenario(unavailable=(away,)), BASELINE)
    assert rules(found) == [(5, "actor A09")]


def test_travel_counts_from_the_actor_s_last_booked_day() -> None:
    # T03 moves to 东阳 on 12-02…12-03 (sets S05/S06 there); A09 leaves T01 after 12-01:
    # 0 free days before 12-02 — needs 1 (unlisted pair between cities)
    sc = scenario()
    sc = replace(
        sc,
        bases=(*sc.bases, Base("B02", "横店影视城", "东阳")),
        sets=(*sc.sets, FilmSet("S05", "B02", "办公室", 900), FilmSet("S06", "B02", "医院", 900)),
    )
    t03 = run("T03", 2, ["S05", "S06"], "C03", [["1"], ["2"]], base_id="B02")
    assert rules(check_plan(sc, plan(T01, t03))) == [(7, "actor A09")]
    t03_later = run("T03", 3, ["S05", "S06"], "C03", [["1"], ["2"]], base_id="B02")
    assert check_plan(sc, plan(T01, t03_later)) == []  # 12-02 free: travel day


def test_every_scene_shot_once() -> None:
    twice = run("T01", 1, ["S01", "S01", "S02"], "C01", [["2"], ["1", "2"], ["3"]])
    found = check_plan(scenario(), plan(twice, T03))
    assert (10, "") in rules(found)
    assert any("scene 2" in v.message and "2 time(s)" in v.message for v in found)


def test_a_scene_left_out_and_a_day_without_scenes() -> None:
    missing = run("T01", 1, ["S01", "S01", "S02"], "C01", [["2"], [], ["3"]])
    found = [v for v in check_plan(scenario(), plan(missing, T03)) if v.rule == 10]
    assert len(found) == 2  # day 12-02 shoots nothing; scene 1 shot 0 times


def test_a_scene_on_a_set_of_another_type() -> None:
    # scene 3 (医院) on 12-02 at S01 (办公室), scene 1 (办公室) on 12-03 at S02 (医院)
    swapped = run("T01", 1, ["S01", "S01", "S02"], "C01", [["2"], ["3"], ["1"]])
    found = [v for v in check_plan(scenario(), plan(swapped, T03)) if v.rule == 10]
    assert [v.resource for v in found] == ["set S01", "set S02"]


def test_a_day_longer_than_the_working_minutes() -> None:
    # scenes 1 and 2 (600 + 500 min) on one day; the second 办公室 day then shoots scene 3
    long_day = run("T01", 1, ["S01", "S01", "S02"], "C01", [["1", "2"], ["3"], []])
    found = check_plan(scenario(), plan(long_day, T03))
    assert any(v.rule == 10 and "1100 minutes" in v.message for v in found)
    within = [v for v in check_plan(scenario(day_minutes=1100), plan(long_day, T03))]
    assert not any("minutes" in v.message for v in within)  # 1100 fits a 1100-minute day


def test_an_unknown_scene_and_scenes_on_a_title_without_a_breakdown() -> None:
    unknown = run("T01", 1, ["S01", "S01", "S02"], "C01", [["2"], ["1"], ["3", "99"]])
    assert any("unknown scene 99" in v.message for v in check_plan(scenario(), plan(unknown, T03)))
    plain = scenario()
    plain = replace(plain, titles=(replace(plain.titles[0], scenes=()), plain.titles[1]))
    assert check_plan(plain, BASELINE)[0].rule == 10  # T01 has no breakdown, lists scenes
    bare = Plan((*(replace(s, scenes=()) for s in T01), *T03))
    assert check_plan(plain, bare) == []


def test_cost_counts_actors_on_their_booked_days_only() -> None:
    sc = scenario()
    booked = {(b.actor_id, b.title_id): len(b.dates) for b in actor_bookings(sc, BASELINE)}
    assert booked == {("A01", "T01"): 3, ("A09", "T01"): 1, ("A03", "T03"): 2, ("A09", "T03"): 1}
    kpis = compute_kpis(sc, BASELINE, status="feasible", priority_bound=None, solve_seconds=0)
    assert kpis["cost_split"]["actors"] == 3 * 3000 + 2 * 2000 + 2 * 800
    held = with_scene(sc, "T01", "3", cast=("A01", "A09"))  # A09: 12-01 work, 12-02 hold, 12-03
    kpis = compute_kpis(held, BASELINE, status="feasible", priority_bound=None, solve_seconds=0)
    assert kpis["cost_split"]["actors"] == 3 * 3000 + 2 * 2000 + 4 * 800


def test_a_day_shoots_one_of_the_packed_days_in_any_order() -> None:
    # T01 packs into {1}, {2}, {3}: those days in another order keep the rule
    reordered = run("T01", 1, ["S02", "S01", "S01"], "C01", [["3"], ["1"], ["2"]])
    t03 = run("T03", 4, ["S03", "S04"], "C03", [["1"], ["2"]])
    assert check_plan(scenario(), plan(reordered, t03)) == []


def test_a_day_that_is_not_one_of_the_packed_days() -> None:
    # with 1,200 working minutes T01 packs scenes 1 and 2 into one day; two days of one
    # scene each are not that packing (and scene 2's 500 minutes alone would fit anyway)
    sc = scenario(day_minutes=1200)
    found = [v for v in check_plan(sc, BASELINE) if v.rule == 10]
    assert found and all("packed days" in v.message for v in found)
