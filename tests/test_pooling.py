"""The pooling dividend (issue 16): rule 11, the solver under city groups, the service, the CLI.

Most tests use :func:`factories.pooling_scenario`, 10 days from 12-01 (day n is 12-(n+1)):

- B1 (郑州) S1, B2 (开封) S2, B3 (洛阳) S3, one 办公室 set each;
- C1 lives at B1 (郑州), C2 at B2 (开封); no crew lives in 洛阳;
- A1 lives in 郑州, A2 in 洛阳, A3 has no home city;
- T1 (priority 3, cast A1), T2 (2, A2), T3 (1, A3), T4 (1, no cast): 2 办公室 days each.

With each city alone T2 cannot shoot (A2 may work only in 洛阳, where no crew lives), so
the best plan of the cities alone has priority 3 + 1 + 1 = 5 (two crews, four days
each: all of T1, T3, T4 fit); pooled, C1 or C2 may shoot T2 (A2 travels), priority 7.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.check.checker import Violation, check, check_plan
from scheduler.cli.main import main
from scheduler.domain.model import Crew, Pin, Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.pooling import pins_against_groups, with_pooling
from scheduler.domain.sweep import ALONE, POOLED
from scheduler.io.tables import write_scenario
from scheduler.services.planning import plan_scenario
from scheduler.services.pooling import Dividend, plan_pooling
from solver.slate import solve as solve_module
from solver.slate.candidates import enumerate_candidates
from solver.slate.greedy import greedy_plan
from solver.slate.slices import make_groups
from solver.status import SolveStatus
from tests.factories import (
    dec,
    pooling_random_scenario,
    pooling_scenario,
    priority_of,
    shoot_plan,
    shoot_run,
    small_crew,
)

ALL_OUT = {"T1": "—", "T2": "—", "T3": "—", "T4": "—"}


def alone() -> Scenario:
    return with_pooling(pooling_scenario(), ALONE)


def paired() -> Scenario:
    """郑州 and 开封 share crews and actors; 洛阳 is a group of its own."""
    return with_pooling(pooling_scenario(), (("郑州", "开封"),))


def only(title_id: str, base_id: str, set_id: str, crew_id: str) -> Plan:
    """``title_id`` on 12-01 and 12-02 at ``base_id`` with ``crew_id``; the rest left out."""
    out = {t: r for t, r in ALL_OUT.items() if t != title_id}
    return shoot_plan(shoot_run(title_id, 1, base_id, [set_id, set_id], crew_id), unscheduled=out)


def rule_11(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.rule == 11]


# -- rule 11: crews ---------------------------------------------------------------------------


def test_rule_11_kept_by_a_crew_at_a_base_of_its_home_city() -> None:
    # C1 lives at B1 in 郑州 and shoots T4 (no cast) at B1: its own city
    assert check_plan(alone(), only("T4", "B1", "S1", "C1")) == []


def test_rule_11_broken_by_a_crew_at_a_base_of_another_city() -> None:
    # C1 (郑州) shoots T4 at B3 in 洛阳, each city alone: C1 may not leave 郑州
    (violation,) = check_plan(alone(), only("T4", "B3", "S3", "C1"))
    assert (violation.rule, violation.title_id, violation.resource, violation.date) == (
        11,
        "T4",
        "crew C1",
        dec(1),
    )
    assert violation.message == (
        "rule 11: crew C1 (home 郑州, group 郑州) shoots title T4 at base B3 in 洛阳; "
        "a crew shoots only in its home city's group"
    )
    assert violation.message_zh.startswith(
        "规则11：剧组 C1（常驻郑州，城市组 郑州）在洛阳的基地 B3"
    )


def test_rule_11_kept_by_a_crew_at_a_base_of_its_group() -> None:
    # 郑州 and 开封 share: C1 (郑州) may shoot T4 at B2 in 开封
    assert check_plan(paired(), only("T4", "B2", "S2", "C1")) == []


def test_rule_11_broken_by_a_crew_outside_its_group_names_the_group() -> None:
    (violation,) = check_plan(paired(), only("T4", "B3", "S3", "C2"))
    assert "crew C2 (home 开封, group 开封+郑州) shoots title T4 at base B3 in 洛阳" in str(
        violation
    )


# -- rule 11: actors --------------------------------------------------------------------------


def test_rule_11_kept_by_an_actor_in_their_home_city() -> None:
    # T1's A1 lives in 郑州; T1 at B1 (郑州) with C1 (郑州)
    assert check_plan(alone(), only("T1", "B1", "S1", "C1")) == []


def test_rule_11_broken_by_an_actor_away_from_home() -> None:
    # T1 at B2 in 开封 with C2, who lives there: only A1 (郑州) is out of place
    (violation,) = check_plan(alone(), only("T1", "B2", "S2", "C2"))
    assert (violation.rule, violation.title_id, violation.resource) == (11, "T1", "actor A1")
    assert violation.message == (
        "rule 11: actor A1 (home 郑州, group 郑州) appears in title T1 at base B2 in 开封; "
        "an actor works only in their home city's group"
    )


def test_rule_11_kept_by_an_actor_without_a_home_city_anywhere() -> None:
    # A3 has no home city: T3 may shoot in 开封 with C2, or in 郑州 with C1
    assert check_plan(alone(), only("T3", "B2", "S2", "C2")) == []
    assert check_plan(alone(), only("T3", "B1", "S1", "C1")) == []


def test_rule_11_broken_by_crew_and_actor_together_names_both() -> None:
    # T1 at B3 (洛阳) with C1: neither C1 nor A1 (both 郑州) may work there
    found = rule_11(check_plan(alone(), only("T1", "B3", "S3", "C1")))
    assert [v.resource for v in found] == ["crew C1", "actor A1"]


def test_rule_11_is_kept_by_anything_when_every_city_is_pooled() -> None:
    # the plans that break rule 11 above, with every city sharing
    for plan in (only("T4", "B3", "S3", "C1"), only("T1", "B2", "S2", "C2")):
        assert check_plan(pooling_scenario(), plan) == []


def test_the_check_summary_counts_rules_1_to_11() -> None:
    assert "rules 1-11" in check(alone(), only("T4", "B1", "S1", "C1")).summary()


# -- the solver under city groups -------------------------------------------------------------


def assert_each_city_alone(scenario: Scenario, plan: Plan) -> None:
    """Every shoot's crew lives in the base's city, and so does every actor with a home."""
    city = {b.base_id: b.city for b in scenario.bases}
    for shoot in plan.shoots:
        crew = scenario.crew_by_id[shoot.crew_id]
        assert city[crew.home_base_id] == city[shoot.base_id], shoot
        for actor_id in scenario.title_by_id[shoot.title_id].actors:
            home = scenario.actor_by_id[actor_id].home_city
            assert home in ("", city[shoot.base_id]), (shoot, actor_id, home)


def test_the_greedy_plan_of_the_cities_alone_keeps_rule_11_and_says_why_t2_is_out() -> None:
    plan = greedy_plan(alone())
    assert check_plan(alone(), plan) == []
    assert plan.scheduled_title_ids == {"T1", "T3", "T4"}
    assert "洛阳" in plan.unscheduled["T2"]


def test_candidates_of_the_cities_alone_offer_only_home_crews_and_cities() -> None:
    candidates = enumerate_candidates(alone())
    t1 = candidates.by_title["T1"]
    assert {p.city for p in t1.placements} == {"郑州"}  # A1 lives in 郑州
    assert {o.crew_id for o in t1.crew_options} == {"C1"}
    t2 = candidates.by_title["T2"]
    assert not t2.possible and "洛阳" in (t2.reason or "")
    t4 = candidates.by_title["T4"]
    assert {(o.crew_id, o.city) for o in t4.crew_options} == {("C1", "郑州"), ("C2", "开封")}


@pytest.mark.parametrize("seed", range(6))
def test_a_plan_of_the_cities_alone_never_uses_another_citys_crew_or_actor(seed: int) -> None:
    scenario = with_pooling(pooling_random_scenario(seed), ALONE)
    outcome = plan_scenario(scenario, time_limit=3.0, workers=1)
    assert outcome.ok, outcome.problems
    assert rule_11(check_plan(scenario, outcome.plan)) == []
    assert_each_city_alone(scenario, outcome.plan)


def test_the_slice_path_keeps_the_cities_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # forced onto the path cluster-x10 takes (too big for the exact model)
    monkeypatch.setattr(solve_module, "EXACT_MAX_TITLE_CREW_PAIRS", 0)
    for seed in range(3):
        scenario = with_pooling(pooling_random_scenario(seed), ALONE)
        result = solve_module.solve(scenario, checker=check_plan, time_limit=2.0, workers=1)
        assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), result.problems
        assert_each_city_alone(scenario, result.plan)


def test_slices_deal_a_crew_only_to_its_own_city_when_cities_plan_alone() -> None:
    # three crews all living in 郑州, one base in each city: pooled, two of them go to the
    # cities short of crews; alone, all three stay in 郑州
    scenario = pooling_scenario(
        crews=tuple(small_crew(f"C{n}", home_base_id="B1") for n in (1, 2, 3))
    )
    crews_of = {g.city: len(g.crew_ids) for g in make_groups(scenario)}
    assert crews_of == {"郑州": 1, "开封": 1, "洛阳": 1}
    crews_of = {g.city: len(g.crew_ids) for g in make_groups(with_pooling(scenario, ALONE))}
    assert crews_of == {"郑州": 3, "开封": 0, "洛阳": 0}


def test_revising_a_pooled_plan_for_the_cities_alone_moves_what_breaks_rule_11() -> None:
    pooled = plan_scenario(pooling_scenario(), time_limit=3.0, workers=1)
    assert pooled.ok and rule_11(check_plan(alone(), pooled.plan)), "pooled T2 leaves 洛阳"
    revised = plan_scenario(alone(), time_limit=3.0, workers=1, reference=pooled.plan)
    assert revised.ok, revised.problems
    assert_each_city_alone(alone(), revised.plan)
    assert revised.kpis["priority_scheduled"] == 5


# -- the warm start -----------------------------------------------------------------------------


def test_a_hint_is_never_returned_worse_even_when_the_search_finds_nothing() -> None:
    scenario = pooling_scenario()
    hint = plan_scenario(alone(), time_limit=3.0, workers=1).plan  # priority 5
    # no greedy, almost no time: the search has nothing better than the hint
    result = solve_module.solve(
        scenario, checker=check_plan, time_limit=0.05, workers=1, warm_start=False, hint=hint
    )
    assert result.priority_scheduled >= priority_of(scenario, hint) == 5
    assert check_plan(scenario, result.plan) == []
    assert any("hint: priority 5" in line for line in result.log), result.log


def test_a_hint_that_breaks_a_rule_is_not_used() -> None:
    broken = only("T4", "B3", "S3", "C1")  # rule 11 under the cities alone
    result = solve_module.solve(
        alone(), checker=check_plan, time_limit=3.0, workers=1, hint=broken
    )
    assert any("hint breaks 1 rule(s)" in line for line in result.log), result.log
    assert result.priority_scheduled == 5 and check_plan(alone(), result.plan) == []


# -- the service --------------------------------------------------------------------------------


def test_pooling_schedules_the_title_the_cities_alone_cannot() -> None:
    report = plan_pooling(pooling_scenario(), time_limit=3.0, workers=1)
    assert list(report.policies) == [ALONE, POOLED]
    assert report.ok
    by = report.policies
    assert (by[ALONE].priority_scheduled, by[POOLED].priority_scheduled) == (5, 7)
    assert (by[ALONE].scheduled_titles, by[POOLED].scheduled_titles) == (3, 4)
    assert by[POOLED].hinted_by == ALONE
    dividend = report.dividend
    assert dividend is not None
    # 3 and 4 titles finish in 10 days: 9 and 12 a month, +3 (+33.33%)
    assert (dividend.titles_per_month, dividend.share) == (3.0, 0.3333)
    assert report.dividend_sentence().startswith(
        "区域协同（共享剧组和演员）比各城独立每月多排 3 部剧（+33.3%），总优先级 +2，成本多"
    )
    city = {c.city: c for c in by[ALONE].by_city}
    assert city["洛阳"].titles == 0 and city["洛阳"].idle_set_days == 10
    assert sum(c.titles for c in by[ALONE].by_city) == 3


@pytest.mark.parametrize("seed", range(4))
def test_pooled_is_never_worse_than_the_cities_alone(seed: int) -> None:
    report = plan_pooling(pooling_random_scenario(seed), time_limit=2.0, workers=1)
    assert report.ok
    alone_result, pooled_result = report.policies[ALONE], report.policies[POOLED]
    assert pooled_result.priority_scheduled >= alone_result.priority_scheduled


def test_groups_between_are_planned_between_alone_and_pooled() -> None:
    groups = (("郑州", "开封"),)
    report = plan_pooling(pooling_scenario(), policies=(ALONE, groups, POOLED), time_limit=3.0)
    assert list(report.policies) == [ALONE, "郑州+开封", POOLED]
    middle = report.policies["郑州+开封"]
    assert middle.groups == groups and middle.ok
    # T2's actor lives in 洛阳, a group of its own without a crew: still out
    assert middle.priority_scheduled == 5


def test_a_pin_that_breaks_rule_11_under_a_policy_is_dropped_for_it_only() -> None:
    # T4 pinned to C1 at B2 (开封): C1 lives in 郑州, so alone no plan keeps the pin
    scenario = pooling_scenario(pins=(Pin("T4", dec(1), "B2", "C1"),))
    assert list(pins_against_groups(with_pooling(scenario, ALONE))) == ["T4"]
    report = plan_pooling(scenario, time_limit=3.0, workers=1)
    assert report.ok
    assert list(report.policies[ALONE].unpinned) == ["T4"]
    assert report.policies[POOLED].unpinned == {}
    pooled_plan = report.policies[POOLED].outcome.plan
    assert {(s.base_id, s.crew_id) for s in pooled_plan.shoots_of("T4")} == {("B2", "C1")}


def test_an_unknown_city_in_the_groups_is_refused_before_planning() -> None:
    with pytest.raises(ValueError, match="'北京'"):
        plan_pooling(pooling_scenario(), policies=(ALONE, (("北京",),)), time_limit=1.0)


def test_a_stopped_comparison_plans_no_further_policy() -> None:
    import threading

    stop = threading.Event()
    stop.set()
    report = plan_pooling(pooling_scenario(), time_limit=1.0, stop=stop)
    assert report.stopped and report.policies == {} and report.dividend is None


@pytest.mark.parametrize(
    ("gain", "share", "cost", "words"),
    [
        (3.0, 0.25, 12000, "每月多排 3 部剧（+25.0%），总优先级 +4，成本多 1.2 万元"),
        (0.0, 0.0, 0, "与各城独立每月排的剧一样多，总优先级 +4，成本相同"),
        (-1.5, -0.1, -800, "每月少排 1.5 部剧（-10.0%），总优先级 +4，成本少 ¥800"),
    ],
)
def test_the_dividend_says_more_as_many_or_fewer(
    gain: float, share: float, cost: int, words: str
) -> None:
    dividend = Dividend(ALONE, POOLED, gain, share, 1, 4, cost)
    assert words in dividend.sentence()
    assert "求解时限" not in dividend.sentence()
    assert "差异可能部分来自求解时限" in dividend.sentence(proven=False)


# -- the command line ---------------------------------------------------------------------------


def test_the_pooling_command_writes_every_policy_and_the_dividend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_scenario(pooling_scenario(), tmp_path / "scenario")
    out = tmp_path / "pooling.json"
    code = main(
        [
            "pooling",
            str(tmp_path / "scenario"),
            "--time-limit",
            "3",
            "--workers",
            "1",
            "--groups",
            "郑州，开封",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "协同方式 policy" in printed and "区域协同 pooled" in printed
    assert (
        "协同红利 pooling dividend: 区域协同（共享剧组和演员）比各城独立每月多排 3 部剧" in printed
    )
    written = json.loads(out.read_text(encoding="utf-8"))
    assert list(written["policies"]) == ["alone", "郑州+开封", "pooled"]
    for policy in written["policies"].values():
        assert {"scheduled_titles", "priority_scheduled", "cost", "by_city"} <= policy.keys()
        assert set(policy["by_city"]) == {"郑州", "开封", "洛阳"}
        assert policy["checked"] is True
    assert written["policies"]["alone"]["priority_scheduled"] == 5
    assert written["policies"]["pooled"]["priority_scheduled"] == 7
    assert written["dividend"]["titles_per_month"] == 3.0


def test_the_pooling_command_refuses_unknown_cities_and_invalid_scenarios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_scenario(pooling_scenario(), tmp_path / "scenario")
    assert main(["pooling", str(tmp_path / "scenario"), "--groups", "郑州,北京"]) == 1
    assert "'北京'" in capsys.readouterr().out
    crews = (*pooling_scenario().crews, Crew("C9", "无基地组", "B9", 1000))
    write_scenario(replace(pooling_scenario(), crews=crews), tmp_path / "broken")
    assert main(["pooling", str(tmp_path / "broken")]) == 1
    assert "crews.csv:4:home_base_id" in capsys.readouterr().out
