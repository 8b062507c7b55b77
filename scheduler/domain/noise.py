"""Differences over seeds: is a what-if's effect real, or solver noise?

A time-limited solve is not repeatable: the same scenario planned with another
seed schedules a few titles more or fewer. A sweep therefore plans every
variant with several seeds, and a difference between two variants counts only
when it is larger than that run-to-run variation.

The rule
--------
For each variant and KPI (:data:`NOISE_KPIS`) the *range over seeds* is the
closed interval [min, max] of the values its runs gave, with their median.
A variant is compared with the reference variant KPI by KPI:

- either side has fewer than two seeds → 「只有一个种子，无法判断是否为波动」
  (one seed: noise cannot be told from a difference);
- the two ranges overlap (the closed intervals share at least one value, so
  touching ends and ties count) → 「差异在求解波动范围内」 (within solver noise);
- they do not overlap → 「差异超出求解波动」 (beyond solver noise), with the
  signed difference of the medians (variant − reference).

The difference of medians is given in every case. Beside the verdict on
``priority_scheduled`` stands the best proven bound of the variant: the least
``priority_bound`` over its seeds (「上界 1294」), or 「无已证上界」 when no run
proved one. Pure: no I/O, no clock; the command line and the app both use it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from scheduler.domain.money import format_cny

__all__ = [
    "BEYOND_NOISE_WORDS",
    "NOISE_KPIS",
    "NOISE_WORDS",
    "ONE_SEED_WORDS",
    "KpiRange",
    "KpiVerdict",
    "NoiseReport",
    "VariantRanges",
    "Verdict",
    "compare_with_reference",
    "format_difference",
    "format_value",
    "judge",
    "kpi_verdict",
    "ranges_over_seeds",
    "runs_by_variant",
    "seed_of",
    "variant_ranges",
]

NOISE_KPIS: tuple[str, ...] = (
    "scheduled_titles",
    "priority_scheduled",
    "cost",
    "titles_per_30_days",
    "set_utilisation",
)
"""The KPIs (keys of kpis.json) whose range over seeds is taken."""

KPI_LABELS: Mapping[str, str] = {
    "scheduled_titles": "已排剧目 scheduled titles",
    "priority_scheduled": "优先级 priority",
    "cost": "成本 cost",
    "titles_per_30_days": "每30天剧目 titles / 30 days",
    "set_utilisation": "场景利用率 set utilisation",
}
"""Chinese-first names of :data:`NOISE_KPIS`."""

NOISE_WORDS = "差异在求解波动范围内"
BEYOND_NOISE_WORDS = "差异超出求解波动"
ONE_SEED_WORDS = "只有一个种子，无法判断是否为波动"
NO_DATA_WORDS = "没有结果，无法比较"


class Verdict(Enum):
    """What a difference between a variant and the reference is."""

    NOISE = "noise"
    """The ranges over seeds overlap: within solver noise."""
    REAL = "real"
    """The ranges do not overlap: beyond solver noise."""
    ONE_SEED = "one_seed"
    """A side has a single seed: no range to judge by."""
    NO_DATA = "no_data"
    """A side has no value of the KPI (no finished run)."""

    @property
    def words(self) -> str:
        """The verdict as the app and the command line say it, Chinese first."""
        return {
            Verdict.NOISE: f"{NOISE_WORDS} within solver noise",
            Verdict.REAL: f"{BEYOND_NOISE_WORDS} beyond solver noise",
            Verdict.ONE_SEED: f"{ONE_SEED_WORDS} one seed only",
            Verdict.NO_DATA: f"{NO_DATA_WORDS} no result",
        }[self]


@dataclass(frozen=True)
class KpiRange:
    """The values one KPI took over the seeds of one variant, in seed order."""

    kpi: str
    values: tuple[float, ...]
    seeds: tuple[int | None, ...] = ()

    @property
    def n(self) -> int:
        """How many seeds gave a value."""
        return len(self.values)

    @property
    def min(self) -> float:
        """The least value (NaN without values)."""
        return min(self.values) if self.values else float("nan")

    @property
    def max(self) -> float:
        """The greatest value (NaN without values)."""
        return max(self.values) if self.values else float("nan")

    @property
    def median(self) -> float:
        """The median value (NaN without values)."""
        return float(statistics.median(self.values)) if self.values else float("nan")

    def overlaps(self, other: KpiRange) -> bool:
        """Whether the closed intervals [min, max] of both share a value."""
        return bool(self.values and other.values) and (
            self.min <= other.max and other.min <= self.max
        )

    @property
    def text(self) -> str:
        """``1248–1260（中位 1255）``, or the one value, or ``—`` without values."""
        if not self.values:
            return "—"
        low, high = format_value(self.kpi, self.min), format_value(self.kpi, self.max)
        if self.min == self.max:
            return low
        return f"{low}–{high}（中位 {format_value(self.kpi, self.median)}）"


@dataclass(frozen=True)
class VariantRanges:
    """Every KPI's range over the seeds of one variant, and its best proven bound."""

    variant: str
    seeds: tuple[int | None, ...]
    ranges: Mapping[str, KpiRange]
    bound: int | None
    """The least ``priority_bound`` over the seeds (the best proof); ``None`` if none."""

    @property
    def n(self) -> int:
        """How many runs the variant has."""
        return len(self.seeds)

    @property
    def bound_text(self) -> str:
        """``上界 1294`` or ``无已证上界``."""
        return "无已证上界" if self.bound is None else f"上界 {self.bound}"


@dataclass(frozen=True)
class KpiVerdict:
    """One KPI of a variant judged against the reference variant."""

    kpi: str
    variant: str
    reference: str
    verdict: Verdict
    difference: float
    """Median of the variant minus median of the reference (NaN without data)."""
    variant_range: KpiRange
    reference_range: KpiRange
    bound: int | None = None
    """The variant's best proven priority bound; shown only beside ``priority_scheduled``."""

    @property
    def words(self) -> str:
        """The verdict's words alone: 「差异在求解波动范围内」 and the like (Chinese only)."""
        return {
            Verdict.NOISE: NOISE_WORDS,
            Verdict.REAL: BEYOND_NOISE_WORDS,
            Verdict.ONE_SEED: ONE_SEED_WORDS,
            Verdict.NO_DATA: NO_DATA_WORDS,
        }[self.verdict]

    @property
    def short(self) -> str:
        """The verdict with the difference of medians and, for priority, the bound:
        ``差异超出求解波动 +12（上界 1294）``."""
        difference = format_difference(self.kpi, self.difference)
        head, parts = self.words, []
        if self.verdict is Verdict.REAL:
            head = f"{BEYOND_NOISE_WORDS} {difference}"
        elif self.verdict is not Verdict.NO_DATA:
            parts.append(f"中位数差 {difference}")
        if self.kpi == "priority_scheduled":
            parts.append("无已证上界" if self.bound is None else f"上界 {self.bound}")
        return f"{head}（{'，'.join(parts)}）" if parts else head

    @property
    def text(self) -> str:
        """The whole sentence: KPI, the verdict, both ranges and the bound."""
        label = KPI_LABELS.get(self.kpi, self.kpi)
        ranges = (
            f"{self.variant}（{self.variant_range.n} 个种子）{self.variant_range.text}，"
            f"{self.reference}（{self.reference_range.n} 个种子）{self.reference_range.text}"
        )
        return f"{label}：{self.short}。{ranges}"


def seed_of(kpis: Mapping[str, Any]) -> int | None:
    """The seed of a run: ``kpis["seed"]``, else ``kpis["sweep"]["seed"]``, else ``None``."""
    seed = kpis.get("seed")
    sweep = kpis.get("sweep")
    if seed is None and isinstance(sweep, Mapping):
        seed = sweep.get("seed")
    return None if seed is None else int(seed)


def _number(value: Any) -> float | None:
    """A KPI value as a number; ``None`` for missing, null, NaN or text."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return None if number != number else number


def _seed_order(run: tuple[int, Mapping[str, Any]]) -> tuple[int, int, int]:
    index, kpis = run
    seed = seed_of(kpis)
    return (seed is None, seed if seed is not None else 0, index)


def variant_ranges(variant: str, runs: Sequence[Mapping[str, Any]]) -> VariantRanges:
    """The ranges over seeds of one variant's runs (KPI mappings as kpis.json holds them).

    A run without a KPI (or with null) gives no value to that KPI's range.
    """
    ordered = [kpis for _, kpis in sorted(enumerate(runs), key=_seed_order)]
    seeds = tuple(seed_of(kpis) for kpis in ordered)
    ranges = {}
    for kpi in NOISE_KPIS:
        pairs = [(seed_of(k), _number(k.get(kpi))) for k in ordered]
        kept = [(seed, value) for seed, value in pairs if value is not None]
        ranges[kpi] = KpiRange(
            kpi, tuple(value for _, value in kept), tuple(seed for seed, _ in kept)
        )
    bounds = [_number(kpis.get("priority_bound")) for kpis in ordered]
    proven = [int(b) for b in bounds if b is not None]
    return VariantRanges(variant, seeds, ranges, min(proven) if proven else None)


def ranges_over_seeds(
    runs: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, VariantRanges]:
    """:func:`variant_ranges` of every variant, in the order given."""
    return {variant: variant_ranges(variant, kpis) for variant, kpis in runs.items()}


def kpi_verdict(variant: VariantRanges, reference: VariantRanges, kpi: str) -> KpiVerdict:
    """Judge one KPI of ``variant`` against ``reference`` by the rule of this module."""
    mine, theirs = variant.ranges[kpi], reference.ranges[kpi]
    difference = mine.median - theirs.median
    if not (mine.n and theirs.n):
        verdict = Verdict.NO_DATA
    elif mine.n < 2 or theirs.n < 2:
        verdict = Verdict.ONE_SEED
    elif mine.overlaps(theirs):
        verdict = Verdict.NOISE
    else:
        verdict = Verdict.REAL
    return KpiVerdict(
        kpi, variant.variant, reference.variant, verdict, difference, mine, theirs, variant.bound
    )


def compare_with_reference(
    variant: VariantRanges, reference: VariantRanges
) -> dict[str, KpiVerdict]:
    """Every KPI of :data:`NOISE_KPIS` of ``variant`` judged against ``reference``."""
    return {kpi: kpi_verdict(variant, reference, kpi) for kpi in NOISE_KPIS}


@dataclass(frozen=True)
class NoiseReport:
    """Ranges over seeds of every variant and the verdicts of each against the reference."""

    reference: str
    variants: Mapping[str, VariantRanges]
    verdicts: Mapping[str, Mapping[str, KpiVerdict]] = field(default_factory=dict)
    """Variant (the reference excepted) → KPI → verdict."""

    def lines(self, kpis: Sequence[str] = ("scheduled_titles", "priority_scheduled")) -> list[str]:
        """One line per variant and KPI in ``kpis``, for a terminal or a report."""
        out = []
        for variant, by_kpi in self.verdicts.items():
            for kpi in kpis:
                out.append(f"{variant} 对比 vs {self.reference} · {by_kpi[kpi].text}")
        return out


def judge(
    runs: Mapping[str, Sequence[Mapping[str, Any]]], reference: str | None = None
) -> NoiseReport:
    """Ranges over seeds and verdicts of every variant against the reference variant.

    Parameters
    ----------
    runs
        Variant name → the KPI mappings of its runs (as kpis.json holds them),
        each with its ``"seed"`` (or ``kpis["sweep"]["seed"]``).
    reference
        The variant the others are compared with; the first when ``None``.

    Raises
    ------
    ValueError
        When there are no variants, or ``reference`` is not one of them.
    """
    if not runs:
        raise ValueError("no variants to compare: runs is empty")
    reference = next(iter(runs)) if reference is None else reference
    if reference not in runs:
        known = "、".join(runs)
        raise ValueError(f"reference variant {reference!r} is not among the variants: {known}")
    ranges = ranges_over_seeds(runs)
    verdicts = {
        name: compare_with_reference(ranges[name], ranges[reference])
        for name in ranges
        if name != reference
    }
    return NoiseReport(reference, ranges, verdicts)


def runs_by_variant(
    kpis_of_runs: Iterable[Mapping[str, Any]],
) -> tuple[dict[str, list[Mapping[str, Any]]], str | None]:
    """Group runs of a sweep by variant, from ``kpis["sweep"]`` of each.

    Returns the variant → runs mapping (variants in the order first met) and
    the reference variant (the first run marked ``"reference": true``, else
    ``None``). KPI mappings without a ``"sweep"`` entry are left out.
    """
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    reference = None
    for kpis in kpis_of_runs:
        sweep = kpis.get("sweep")
        if not isinstance(sweep, Mapping) or sweep.get("variant") is None:
            continue
        variant = str(sweep["variant"])
        grouped.setdefault(variant, []).append(kpis)
        if reference is None and sweep.get("reference"):
            reference = variant
    return grouped, reference


def format_value(kpi: str, value: float) -> str:
    """A KPI value as people read it: titles and priority whole, cost in CNY, utilisation in %."""
    if value != value:
        return "—"
    if kpi == "cost":
        return format_cny(value)
    if kpi == "set_utilisation":
        return f"{value:.1%}"
    if kpi == "titles_per_30_days":
        return f"{value:.1f}"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def format_difference(kpi: str, difference: float) -> str:
    """A signed difference: ``+12``, ``−7``, ``±0``, ``+¥8,500``, ``+1.2 个百分点``."""
    if difference != difference:
        return "—"
    if difference == 0:
        return "±0"
    sign = "+" if difference > 0 else "−"
    size = abs(difference)
    if kpi == "set_utilisation":
        return f"{sign}{size * 100:.1f} 个百分点"
    return f"{sign}{format_value(kpi, size)}"
