"""The exact scene sequencer (issue 15, talent scheduling): optima, proofs, small cases, CLI.

Every cost is recomputed here by :func:`paid`, written from the problem's
statement and sharing no code with the solver. Optima come from the
literature (``tests/data/talent/*.json``, ``known_optimum``: total cost) or
from trying every order of a small random instance.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.cli.main import main
from scheduler.cli.sequence import read_talent_file
from solver.sequence import TalentProblem, best_orders, sequence
from solver.sequence.reduction import reduce_problem

TALENT = Path(__file__).parent / "data" / "talent"
INSTANCES = sorted(path.stem for path in TALENT.glob("*.json"))


def paid(problem: TalentProblem, order: Sequence[int]) -> int:
    """Each actor's day rate times the days from the first day of their first scene to the
    last day of their last scene, summed over the actors."""
    start = {}
    day = 0
    for scene in order:
        start[scene] = day
        day += problem.durations[scene]
    total = 0
    for actor, rate in enumerate(problem.costs):
        scenes = [s for s in order if actor in problem.scene_actors[s]]
        if scenes:
            arrive = min(start[s] for s in scenes)
            leave = max(start[s] + problem.durations[s] for s in scenes)
            total += rate * (leave - arrive)
    return total


def every_order(problem: TalentProblem) -> list[tuple[int, tuple[int, ...]]]:
    """All orders of the scenes with their cost, cheapest first, ties by scene numbers."""
    return sorted(
        (paid(problem, order), order)
        for order in itertools.permutations(range(problem.scene_count))
    )


def known(name: str) -> tuple[TalentProblem, int]:
    path = TALENT / f"{name}.json"
    return read_talent_file(path), json.loads(path.read_text())["known_optimum"]


def tiny() -> TalentProblem:
    """Four scenes of 1, 1, 2 and 3 days; actor 0 (rate 1) in scenes 0 and 2, actor 1
    (rate 2) in scenes 1 and 3, actor 2 (rate 3) in scenes 0 and 3."""
    return TalentProblem(
        durations=(1, 1, 2, 3),
        costs=(1, 2, 3),
        scene_actors=(frozenset({0, 2}), frozenset({1}), frozenset({0}), frozenset({1, 2})),
    )


# --- the problem and its cost ------------------------------------------------------------


def test_cost_counts_waiting_days() -> None:
    # order 0 1 2 3 runs days [0,1) [1,2) [2,4) [4,7): actor 0 from 0 to 4 (4 days, 1 waiting),
    # actor 1 from 1 to 7 (6 days, 2 waiting), actor 2 from 0 to 7 (7 days, 3 waiting):
    # 4·1 + 6·2 + 7·3 = 37, of which working 3·1 + 4·2 + 4·3 = 23
    problem = tiny()
    assert problem.cost([0, 1, 2, 3]) == 37 == paid(problem, (0, 1, 2, 3))
    assert problem.working_cost == 23
    assert problem.idle_cost([0, 1, 2, 3]) == 14


def test_cost_of_an_order_and_its_reverse_agree() -> None:
    problem = tiny()
    for order in itertools.permutations(range(4)):
        assert problem.cost(order) == problem.cost(order[::-1]) == paid(problem, order)


def test_cost_rejects_an_order_that_is_not_a_permutation() -> None:
    with pytest.raises(ValueError, match="each once"):
        tiny().cost([0, 1, 1, 3])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"durations": (1, -1, 2, 3)}, r"durations\[1\] is -1"),
        ({"costs": (1, 2.5, 3)}, r"costs\[1\] is 2.5"),
        ({"scene_actors": (frozenset({0}),)}, "scene_actors has 1 scenes; expected 4"),
        ({"scene_actors": (frozenset({3}),) * 4}, r"names actor\(s\) \[3\]"),
        ({"names": ("a", "b")}, "names has 2 entries; expected 4"),
    ],
)
def test_problem_rejects_wrong_data(changes: dict[str, object], message: str) -> None:
    data: dict[str, object] = {
        "durations": (1, 1, 2, 3),
        "costs": (1, 2, 3),
        "scene_actors": tiny().scene_actors,
    }
    data.update(changes)
    with pytest.raises(ValueError, match=message):
        TalentProblem(**data)  # type: ignore[arg-type]


def test_reduction_drops_actors_who_never_wait_and_merges_alike_scenes() -> None:
    # actor 0 is in every scene and actor 3 in one: neither can wait. Scenes 0 and 2 then both
    # need {1}, scene 4 needs nobody (shot first), scenes 1 and 3 need {1, 2} and {2}.
    problem = TalentProblem(
        durations=(1, 2, 3, 4, 5),
        costs=(5, 1, 1, 9),
        scene_actors=(
            frozenset({0, 1}),
            frozenset({0, 1, 2}),
            frozenset({0, 1, 3}),
            frozenset({0, 2}),
            frozenset({0}),
        ),
    )
    reduced = reduce_problem(problem)
    assert reduced.costs == (1, 1)
    assert reduced.lead == (4,)
    assert sorted(zip(reduced.members, reduced.durations, strict=True)) == [
        ((0, 2), 4),
        ((1,), 2),
        ((3,), 4),
    ]


# --- the literature's instances -----------------------------------------------------------


@pytest.mark.parametrize("name", INSTANCES)
def test_known_optimum_is_found_and_proven(name: str) -> None:
    problem, optimum = known(name)
    result = sequence(problem)
    assert sorted(result.order) == list(range(problem.scene_count))
    assert paid(problem, result.order) == result.cost == optimum
    assert result.proven
    assert result.lower_bound == optimum


def test_all_instances_are_here() -> None:
    assert len(INSTANCES) == 20


def test_a_time_limit_of_zero_returns_a_valid_order_unproven() -> None:
    problem, optimum = known("Shaw2020")
    result = sequence(problem, time_limit=0.0)
    assert not result.proven
    assert sorted(result.order) == list(range(problem.scene_count))
    assert paid(problem, result.order) == result.cost >= optimum
    assert problem.working_cost <= result.lower_bound <= optimum


def test_a_negative_time_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="time_limit"):
        sequence(tiny(), time_limit=-1)


# --- small random instances against every order ---------------------------------------------


@st.composite
def small_problems(draw: st.DrawFn, most_scenes: int = 7) -> TalentProblem:
    """Up to ``most_scenes`` scenes of 0–4 days, 1–5 actors at 0–9 a day; scenes may repeat
    an actor set, need nobody or everybody, so that every preprocessing rule is exercised."""
    actors = draw(st.integers(1, 5))
    scenes = draw(st.integers(0, most_scenes))
    actor_sets = st.frozensets(st.integers(0, actors - 1), max_size=actors)
    return TalentProblem(
        durations=tuple(draw(st.lists(st.integers(0, 4), min_size=scenes, max_size=scenes))),
        costs=tuple(draw(st.lists(st.integers(0, 9), min_size=actors, max_size=actors))),
        scene_actors=tuple(draw(st.lists(actor_sets, min_size=scenes, max_size=scenes))),
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(small_problems())
def test_sequence_matches_trying_every_order(problem: TalentProblem) -> None:
    result = sequence(problem)
    assert result.proven
    assert sorted(result.order) == list(range(problem.scene_count))
    assert paid(problem, result.order) == result.cost == every_order(problem)[0][0]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(small_problems(most_scenes=6), st.integers(1, 30))
def test_best_orders_are_the_cheapest_orders(problem: TalentProblem, k: int) -> None:
    expected = [(order, cost) for cost, order in every_order(problem)[:k]]
    found = best_orders(problem, k)
    assert list(found) == expected
    assert all(paid(problem, order) == cost for order, cost in found)


def test_best_orders_come_in_mirror_pairs() -> None:
    # the tiny problem has 24 orders; an order and its reverse cost the same
    found = best_orders(tiny(), 24)
    assert len({order for order, _ in found}) == 24
    costs = dict(found)
    assert all(costs[order[::-1]] == cost for order, cost in found)
    assert found[0][1] == sequence(tiny()).cost


def test_best_orders_refuses_more_than_twelve_scenes() -> None:
    problem, _ = known("csplib_film2")  # 13 scenes
    with pytest.raises(ValueError, match="at most 12 scenes"):
        best_orders(problem, 3)
    assert best_orders(known("film12")[0], 2)[0][1] == known("film12")[1]


# --- the command line ------------------------------------------------------------------------


def test_cli_json_prints_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sequence", str(TALENT / "film105.json"), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer) == {"order", "cost", "proven", "seconds"}
    problem, optimum = known("film105")
    assert sorted(answer["order"]) == list(range(problem.scene_count))
    assert paid(problem, answer["order"]) == answer["cost"] == optimum
    assert answer["proven"] is True


def test_cli_text_counts_scenes_from_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sequence", str(TALENT / "tiny.json")]) == 0
    printed = capsys.readouterr().out
    order_line = next(line for line in printed.splitlines() if "order" in line)
    assert sorted(int(n) for n in order_line.split(":")[1].split()) == [1, 2, 3, 4]
    assert "总成本 total cost: 29" in printed
    assert "已证最优 proven optimal" in printed


def test_cli_lists_every_problem_of_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "n_scenes": 3,
                "durations": [1, -2, 1.5, 4],
                "costs": [1, "x"],
                "requires": [[1, 0, 1], [0, 2]],
            }
        )
    )
    assert main(["sequence", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{bad}: n_actors: missing, expected the number of actors" in lines
    assert f"{bad}: durations: 4 entries, expected 3 (one per scene, n_scenes)" in lines
    assert f"{bad}: durations[1]: -2, expected a whole number ≥ 0" in lines
    assert f"{bad}: durations[2]: 1.5, expected a whole number ≥ 0" in lines
    assert f'{bad}: costs[1]: "x", expected a whole number ≥ 0' in lines
    assert f"{bad}: requires[1]: 2 entries, expected 3 (one per scene, n_scenes)" in lines
    assert f"{bad}: requires[1][1]: 2, expected 0 or 1" in lines
    assert "7 个问题 / 7 problem(s): 文件无效 / the file is invalid" in lines


def test_cli_refuses_a_file_that_is_not_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["sequence", str(bad), "--json"]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith(f"{bad}: *: not JSON")
