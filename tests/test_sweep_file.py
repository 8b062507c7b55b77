"""The sweep file: reading (every problem at its key), writing back, expansion into runs,
checking against a scenario, and the sample sweep files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.domain.errors import ScenarioError
from scheduler.domain.sweep import ALONE, BaseClosure, SweepRun, Variant, expand
from scheduler.io.sweep_file import (
    MAX_SWEEP_BYTES,
    check_against,
    read_sweep,
    scenario_path,
    sweep_from_toml,
    sweep_to_toml,
    write_sweep,
)
from scheduler.io.validation import load_scenario
from tests.factories import (
    SAMPLES,
    SWEEPS,
    checker_scenario,
    dec,
    pooling_scenario,
    sweep_of,
    write_sweep_file,
)

EXAMPLE = """
name = "一月：加剧组 × 停基地 × 急单"
scenario = "../zhengzhou-month"   # folder or .xlsx relative to this file
seeds = 3                          # or a list [0, 1, 2]
time_limit = 30                    # seconds per run
workers = 1                        # CP-SAT workers per run
reference = "现状"
revise = false
[[variant]]
name = "现状"
[[variant]]
name = "加1个剧组"
crews = 1
[[variant]]
name = "B06停一周"
close = [{ base = "B06", from = 2026-12-07, to = 2026-12-13 }]
[[variant]]
name = "急单30部"
rush_titles = 30
[[variant]]
name = "各城独立"
pooling = "alone"                  # 或 "pooled" 或 [["郑州","开封"],["洛阳"]]
[[variant]]
name = "目标22"
targets = { parallel_shoots_per_day = 22 }
[grid]
crews = [1, 2, 3]
close = [[], [{ base = "B01", from = 2026-12-07, to = 2026-12-13 }]]
rush_titles = [0, 30]
"""
"""The example of SPEC.md's "Sweep file"."""

GOOD = """scenario = "../tutorial"
[[variant]]
name = "现状"
"""
"""The smallest good file: a scenario and one variant, everything else by default."""


def problems_of(text: str) -> list[tuple[int, str]]:
    """(line, key path) of every problem in the sweep file ``text``."""
    with pytest.raises(ScenarioError) as raised:
        sweep_from_toml(text, label="bad.toml")
    assert {p.file for p in raised.value.problems} == {"bad.toml"}
    return [(p.row, p.column) for p in raised.value.problems]


# -- reading ---------------------------------------------------------------------------


def test_the_spec_example_reads(tmp_path: Path) -> None:
    sweep = read_sweep(write_sweep_file(tmp_path, EXAMPLE))
    assert (sweep.name, sweep.scenario) == ("一月：加剧组 × 停基地 × 急单", "../zhengzhou-month")
    assert (sweep.seeds, sweep.time_limit, sweep.workers) == ((0, 1, 2), 30.0, 1)
    assert (sweep.reference, sweep.revise) == ("现状", False)
    listed = {v.name: v for v in sweep.variants[:6]}
    assert listed["加1个剧组"] == Variant("加1个剧组", crews=1)
    assert listed["B06停一周"].closures == (BaseClosure("B06", dec(7), dec(13)),)
    assert listed["急单30部"].rush_titles == 30
    assert listed["各城独立"].pooling == ALONE
    assert listed["目标22"].targets == {"parallel_shoots_per_day": 22}
    assert listed["现状"].is_base


def test_defaults_fill_what_a_file_leaves_out(tmp_path: Path) -> None:
    sweep = read_sweep(write_sweep_file(tmp_path, GOOD, "我的扫描.toml"))
    assert sweep.name == "我的扫描"  # the file's stem
    assert (sweep.seeds, sweep.time_limit, sweep.workers) == ((0, 1, 2), 30.0, 1)
    assert (sweep.reference, sweep.revise) == ("", False)
    assert sweep.reference_variant.name == "现状"


def test_seeds_may_be_listed() -> None:
    sweep = sweep_from_toml(GOOD + "\n", default_name="x")
    assert sweep.seeds == (0, 1, 2)
    listed = sweep_from_toml("seeds = [7, 3]\n" + GOOD)
    assert listed.seeds == (7, 3)


def test_dates_may_be_quoted_iso_dates() -> None:
    text = GOOD + 'close = [{ base = "B1", from = "2026-12-02", to = 2026-12-03 }]\n'
    (variant,) = sweep_from_toml(text).variants
    assert variant.closures == (BaseClosure("B1", dec(2), dec(3)),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # top level
        ('colour = "red"\n' + GOOD, [(1, "colour")]),
        ("seeds = 0\n" + GOOD, [(1, "seeds")]),
        ("seeds = []\n" + GOOD, [(1, "seeds")]),
        ("seeds = [1, 1]\n" + GOOD, [(1, "seeds")]),
        ('seeds = [1, "2"]\n' + GOOD, [(1, "seeds[2]")]),
        ("seeds = 2.5\n" + GOOD, [(1, "seeds")]),
        ("time_limit = 0\n" + GOOD, [(1, "time_limit")]),
        ("time_limit = -5\n" + GOOD, [(1, "time_limit")]),
        ("time_limit = inf\n" + GOOD, [(1, "time_limit")]),
        ('time_limit = "30"\n' + GOOD, [(1, "time_limit")]),
        ("workers = 0\n" + GOOD, [(1, "workers")]),
        ("workers = true\n" + GOOD, [(1, "workers")]),
        ('reference = "没有"\n' + GOOD, [(1, "reference")]),
        ('revise = "yes"\n' + GOOD, [(1, "revise")]),
        ('name = ""\n' + GOOD, [(1, "name")]),
        ("[[variant]]\nname = 'a'\n", [(0, "scenario")]),
        ('scenario = "../tutorial"\n', [(0, "variant")]),
        ('seeds = 0\nscenario = "../tutorial"\n', [(0, "variant"), (1, "seeds")]),
        # a variant
        (GOOD + "colour = 1\n", [(4, "variant[1].colour")]),
        (GOOD.replace('name = "现状"', "crews = 1"), [(2, "variant[1].name")]),
        (GOOD + 'crews = "two"\n', [(4, "variant[1].crews")]),
        (GOOD + "crews = 1.5\n", [(4, "variant[1].crews")]),
        (GOOD + "rush_titles = -3\n", [(4, "variant[1].rush_titles")]),
        (GOOD + "targets = { nope = 3 }\n", [(4, "variant[1].targets.nope")]),
        (
            GOOD + "targets = { titles_per_month = 0 }\n",
            [(4, "variant[1].targets.titles_per_month")],
        ),
        (GOOD + "targets = 22\n", [(4, "variant[1].targets")]),
        (GOOD + 'pooling = "sometimes"\n', [(4, "variant[1].pooling")]),
        (GOOD + 'pooling = [["郑州"], ["郑州"]]\n', [(4, "variant[1].pooling[2]")]),
        (GOOD + "pooling = [[]]\n", [(4, "variant[1].pooling[1]")]),
        (GOOD + 'close = "B1"\n', [(4, "variant[1].close")]),
        (
            GOOD + 'close = [{ base = "B1", from = 2026-12-02 }]\n',
            [(4, "variant[1].close[1].to")],
        ),
        (
            GOOD + 'close = [{ base = "B1", from = 2026-12-02, to = "soon" }]\n',
            [(4, "variant[1].close[1].to")],
        ),
        (
            GOOD + 'close = [{ base = "B1", from = 2026-12-05, to = 2026-12-02 }]\n',
            [(4, "variant[1].close[1].to")],
        ),
        (
            GOOD + 'close = [{ base = "B1", from = 2026-12-02T10:00:00, to = 2026-12-03 }]\n',
            [(4, "variant[1].close[1].from")],
        ),
        (
            GOOD + 'close = [{ base = "B1", from = 2026-12-02, to = 2026-12-03, why = 1 }]\n',
            [(4, "variant[1].close[1].why")],
        ),
        (GOOD + '[[variant]]\nname = "现状"\n', [(5, "variant[2].name")]),
        (GOOD + '[[variant]]\nname = "a\\nb"\n', [(5, "variant[2].name")]),
        # the grid
        (GOOD + "[grid]\nstaff = [1]\n", [(5, "grid.staff")]),
        (GOOD + "[grid]\ncrews = 2\n", [(5, "grid.crews")]),
        (GOOD + "[grid]\ncrews = []\n", [(5, "grid.crews")]),
        (GOOD + '[grid]\ncrews = [1, "x"]\n', [(5, "grid.crews[2]")]),
        (GOOD + "[grid]\n", [(4, "grid")]),
        (GOOD + '[[variant]]\nname = "加1个剧组"\n[grid]\ncrews = [1]\n', [(6, "grid")]),
    ],
)
def test_each_bad_file_names_its_key_and_line(text: str, expected: list[tuple[int, str]]) -> None:
    assert problems_of(text) == expected


def test_the_good_file_of_those_pairs_reads() -> None:
    # the kept half of every pair above: the same file without the fault
    assert sweep_from_toml(GOOD).variants == (Variant("现状"),)


def test_every_problem_is_listed_at_once_in_line_order() -> None:
    text = """
    seeds = 0
    time_limit = 0
    workers = 0
    reference = "没有"
    [[variant]]
    name = "a"
    crews = "x"
    [[variant]]
    name = "a"
    pooling = "sometimes"
    """
    assert problems_of("\n".join(line.strip() for line in text.splitlines()[1:])) == [
        (0, "scenario"),
        (1, "seeds"),
        (2, "time_limit"),
        (3, "workers"),
        (4, "reference"),
        (7, "variant[1].crews"),
        (9, "variant[2].name"),
        (10, "variant[2].pooling"),
    ]


def test_messages_say_what_was_expected_in_both_languages() -> None:
    with pytest.raises(ScenarioError) as raised:
        sweep_from_toml("workers = 0\n" + GOOD, label="s.toml")
    (problem,) = raised.value.problems
    assert problem.format("en") == (
        "s.toml:1:workers: 0 is outside 1 … 256; expected a whole number in that range"
    )
    assert problem.format("zh") == "s.toml:1:workers: 每个求解的线程数 0 超出 1 到 256 的范围"


def test_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = write_sweep_file(tmp_path, 'name = "x"\nscenario = \n')
    with pytest.raises(ScenarioError) as raised:
        read_sweep(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.row, problem.column) == ("sweep.toml", 2, "*")
    assert "is not valid TOML" in problem.message


def test_a_file_that_is_not_utf8_or_too_big_is_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin\.toml:0:\*: cannot be read"):
        read_sweep(latin)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_SWEEP_BYTES + 1))
    with pytest.raises(ScenarioError, match=r"big\.toml:0:\*: is over"):
        read_sweep(big)
    with pytest.raises(ScenarioError, match=r"missing\.toml:0:\*: cannot be read"):
        read_sweep(tmp_path / "missing.toml")


# -- the grid --------------------------------------------------------------------------


def test_a_grid_makes_every_combination_named_from_its_values() -> None:
    text = GOOD + (
        "[grid]\ncrews = [1, 2]\n"
        'close = [[], [{ base = "B1", from = 2026-12-02, to = 2026-12-03 }]]\n'
        "rush_titles = [0, 5]\n"
    )
    names = [v.name for v in sweep_from_toml(text).variants]
    # the first axis changes slowest; a value that changes nothing adds no words
    assert names == [
        "现状",
        "加1个剧组",
        "加1个剧组 × 急单5部",
        "加1个剧组 × B1停12-02…12-03",
        "加1个剧组 × B1停12-02…12-03 × 急单5部",
        "加2个剧组",
        "加2个剧组 × 急单5部",
        "加2个剧组 × B1停12-02…12-03",
        "加2个剧组 × B1停12-02…12-03 × 急单5部",
    ]
    last = sweep_from_toml(text).variants[-1]
    assert (last.crews, last.rush_titles) == (2, 5)
    assert last.closures == (BaseClosure("B1", dec(2), dec(3)),)


def test_a_grid_combination_equal_to_a_listed_variant_is_that_variant() -> None:
    # 现状 is listed and the grid's crews = 0 combination is the same what-if: it is kept once
    text = GOOD + "[grid]\ncrews = [0, 1]\n"
    assert [v.name for v in sweep_from_toml(text).variants] == ["现状", "加1个剧组"]


def test_the_spec_example_expands_into_its_listed_and_grid_variants(tmp_path: Path) -> None:
    sweep = read_sweep(write_sweep_file(tmp_path, EXAMPLE))
    # 6 listed + 3 × 2 × 2 = 12 grid combinations, less 加1个剧组 (listed with the same change)
    assert len(sweep.variants) == 17
    assert len(expand(sweep)) == 17 * 3


# -- expansion -------------------------------------------------------------------------


def test_expand_runs_every_variant_with_every_seed_reference_first() -> None:
    a, b, c = Variant("现状"), Variant("加1个剧组", crews=1), Variant("急单", rush_titles=2)
    runs = expand(sweep_of(a, b, c, seeds=(5, 6), reference="加1个剧组"))
    assert [(r.variant.name, r.seed) for r in runs] == [
        ("加1个剧组", 5),
        ("加1个剧组", 6),
        ("现状", 5),
        ("现状", 6),
        ("急单", 5),
        ("急单", 6),
    ]
    assert {r.revises for r in runs} == {None}  # planned afresh
    assert len({r.key for r in runs}) == 6 and runs[0].key == "加1个剧组#5"


def test_expand_with_revise_links_every_other_run_to_the_reference() -> None:
    a, b = Variant("现状"), Variant("加1个剧组", crews=1)
    runs = expand(sweep_of(a, b, seeds=(0, 1), revise=True))
    assert runs == [
        SweepRun(a, 0),
        SweepRun(a, 1),
        SweepRun(b, 0, revises="现状"),
        SweepRun(b, 1, revises="现状"),
    ]


def test_expand_refuses_a_sweep_it_cannot_run() -> None:
    a = Variant("现状")
    with pytest.raises(ValueError, match="repeats variant name"):
        expand(sweep_of(a, Variant("现状", crews=1)))
    with pytest.raises(ValueError, match="reference '没有' is not a variant"):
        expand(sweep_of(a, reference="没有"))
    with pytest.raises(ValueError, match="no seed"):
        expand(sweep_of(a, seeds=()))
    with pytest.raises(ValueError, match="repeats seed"):
        expand(sweep_of(a, seeds=(1, 1)))
    assert len(expand(sweep_of(a, seeds=(1,)))) == 1


# -- writing ---------------------------------------------------------------------------


def test_a_sweep_written_reads_back_equal(tmp_path: Path) -> None:
    sweep = sweep_of(
        Variant("现状"),
        Variant("减1个剧组", crews=-1),
        Variant(
            '带"引号"\\和反斜杠',
            crews=2,
            closures=(
                BaseClosure("B1", dec(2), dec(3)),
                BaseClosure("B2", date(2026, 12, 5), date(2026, 12, 5)),
            ),
            rush_titles=4,
            targets={"parallel_shoots_per_day": 3, "titles_per_month": 9},
            pooling=(("郑州", "开封"), ("洛阳",)),
        ),
        Variant("各城独立", pooling=ALONE),
        name="往返",
        seeds=(3, 1),
        time_limit=2.5,
        workers=2,
        reference="各城独立",
        revise=True,
    )
    assert sweep_from_toml(sweep_to_toml(sweep), default_name="x") == sweep
    path = tmp_path / "out.toml"
    write_sweep(sweep, path)
    assert read_sweep(path) == sweep
    # seeds 0 … n-1 are written as a count, as people write them
    assert "seeds = 3\n" in sweep_to_toml(sweep_of())


def test_a_grid_sweep_is_written_as_its_variants(tmp_path: Path) -> None:
    sweep = read_sweep(write_sweep_file(tmp_path, EXAMPLE))
    text = sweep_to_toml(sweep)
    assert "[grid]" not in text and text.count("[[variant]]") == 17
    assert sweep_from_toml(text) == sweep


# -- against a scenario ----------------------------------------------------------------


def test_a_sweep_that_fits_its_scenario_has_no_problem() -> None:
    sweep = sweep_of(
        Variant("现状"),
        Variant("减2个剧组", crews=-2),
        Variant("B01停", closures=(BaseClosure("B01", dec(1), dec(10)),)),
        Variant("急单", rush_titles=3),
    )
    assert check_against(sweep, checker_scenario()) == []


def test_check_against_names_every_variant_the_scenario_cannot_take() -> None:
    sweep = sweep_of(
        Variant("现状"),
        Variant("减4个剧组", crews=-4),
        Variant("B09停", closures=(BaseClosure("B09", dec(2), dec(3)),)),
        Variant("跨年", closures=(BaseClosure("B01", dec(9), date(2027, 1, 2)),)),
        Variant("上海", pooling=(("郑州", "上海"),)),
    )
    problems = check_against(sweep, pooling_scenario(), label="s.toml")
    assert [(p.file, p.column) for p in problems] == [
        ("s.toml", "variant[2].crews"),
        ("s.toml", "variant[3].close[1].base"),
        ("s.toml", "variant[4].close[1].base"),  # pooling_scenario's bases are B1 … B3
        ("s.toml", "variant[4].close[1].to"),
        ("s.toml", "variant[5].pooling"),
    ]
    assert problems[0].message.startswith("减4个剧组: -4: only 2 of 2 crew(s)")
    assert problems[0].message_zh.startswith("方案「减4个剧组」")


def test_check_against_names_a_variant_whose_scenario_does_not_validate() -> None:
    # a scenario name at the database's 200-character limit: 「… · 现状」 runs past it
    s = checker_scenario(name="剧" * 200)
    (problem,) = check_against(sweep_of(Variant("现状")), s)
    assert problem.column == "variant[1]"
    assert "does not validate" in problem.message and "name" in problem.message


# -- the sample sweep files ------------------------------------------------------------


def test_the_month_sample_sweep_is_24_runs_of_its_scenario() -> None:
    path = SWEEPS / "month-whatifs.toml"
    sweep = read_sweep(path)
    assert [v.name for v in sweep.variants] == [
        "现状",
        "加1个剧组",
        "加2个剧组",
        "加3个剧组",
        "B06停一周",
        "B09停一周",
        "急单30部",
        "加2个剧组接急单30部",
    ]
    assert [v.crews for v in sweep.variants] == [0, 1, 2, 3, 0, 0, 0, 2]
    assert [v.rush_titles for v in sweep.variants] == [0, 0, 0, 0, 0, 0, 30, 30]
    assert (sweep.seeds, sweep.time_limit, sweep.workers) == ((0, 1, 2), 30.0, 1)
    assert len(expand(sweep)) == 24
    assert scenario_path(sweep, path) == (SAMPLES / "zhengzhou-month").resolve()
    assert check_against(sweep, load_scenario(SAMPLES / "zhengzhou-month")) == []


def test_the_tutorial_sample_sweep_is_quick() -> None:
    path = SWEEPS / "tutorial-quick.toml"
    sweep = read_sweep(path)
    assert (len(sweep.variants), sweep.seeds, sweep.time_limit) == (3, (0, 1), 5.0)
    assert len(expand(sweep)) == 6
    scenario = scenario_path(sweep, path)
    assert scenario == (SAMPLES / "tutorial").resolve()
    assert check_against(sweep, load_scenario(scenario)) == []


def test_a_scenario_that_is_no_path_is_a_stored_scenario_name(tmp_path: Path) -> None:
    sweep = sweep_of(scenario="郑州基地群 2026年12月")
    assert scenario_path(sweep, tmp_path / "sweep.toml") is None
    assert (
        scenario_path(sweep_of(scenario=str(SAMPLES / "tutorial")), tmp_path / "s.toml")
        == (SAMPLES / "tutorial").resolve()
    )
