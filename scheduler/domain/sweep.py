"""A sweep: one base scenario, several variations of it, each planned with several seeds.

A head of production asks many what-ifs at once (one to five more crews × a base
closed in turn × a rush order or not) and wants to know which differences are
real. A :class:`Sweep` names the base scenario, the :class:`Variant` s and the
seeds; :func:`expand` turns it into :class:`SweepRun` s, one per variant and
seed, which the services plan (on Ray) and store as plans. How a variant
changes the scenario is :func:`scheduler.domain.variations.apply_variant`.

Immutable and free of I/O: the file format is :mod:`scheduler.io.sweep_file`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

POOLED = "pooled"
"""Pooling policy: every city shares crews and actors (travel days apply, rule 7)."""
ALONE = "alone"
"""Pooling policy: each city plans with its own crews and actors only."""

PoolingPolicy = str | tuple[tuple[str, ...], ...]
"""``"pooled"``, ``"alone"`` or explicit groups of cities that share crews and actors."""


@dataclass(frozen=True)
class BaseClosure:
    """A base closed from ``from_date`` to ``to_date`` inclusive (all its sets)."""

    base_id: str
    from_date: date
    to_date: date


@dataclass(frozen=True)
class Variant:
    """One what-if: changes to the base scenario, all optional.

    ``crews``: +k adds k crews (copies of existing crews with new ids), -k removes k.
    ``closures``: bases closed for dates. ``rush_titles``: a rush order of this many
    new titles. ``targets``: target keys to override (``parallel_shoots_per_day``,
    ``titles_per_month``). ``pooling``: the pooling policy, or ``None`` for the
    scenario's own. A variant with no change is the base scenario itself.
    """

    name: str
    crews: int = 0
    closures: tuple[BaseClosure, ...] = ()
    rush_titles: int = 0
    targets: Mapping[str, int] = field(default_factory=dict)
    pooling: PoolingPolicy | None = None

    @property
    def is_base(self) -> bool:
        """Whether the variant changes nothing."""
        return (
            not (self.crews or self.closures or self.rush_titles or self.targets)
            and self.pooling is None
        )


@dataclass(frozen=True)
class SweepRun:
    """One variant planned with one seed: the unit of work of a sweep."""

    variant: Variant
    seed: int
    revises: str | None = None
    """Name of the variant whose plan (same seed) this run revises, or ``None`` to plan afresh."""

    @property
    def key(self) -> str:
        """A name unique in the sweep: ``variant#seed``."""
        return f"{self.variant.name}#{self.seed}"


@dataclass(frozen=True)
class Sweep:
    """A base scenario, its variants and the seeds to plan each with.

    ``scenario`` is a folder or .xlsx path (relative to the sweep file) or the
    name of a stored scenario. ``reference`` names the variant the others are
    compared with (the first when blank). With ``revise`` every other variant
    revises the reference variant's plan of the same seed with fewest changes
    instead of planning afresh.
    """

    name: str
    scenario: str
    variants: tuple[Variant, ...]
    seeds: tuple[int, ...] = (0, 1, 2)
    time_limit: float = 30.0
    workers: int = 1
    reference: str = ""
    revise: bool = False

    @property
    def reference_variant(self) -> Variant:
        """The variant the others are compared with."""
        by_name = {variant.name: variant for variant in self.variants}
        return by_name.get(self.reference, self.variants[0])


def expand(sweep: Sweep) -> list[SweepRun]:
    """Every run of the sweep: each variant with each seed, reference variant first.

    The reference variant's runs come first (one per seed, in seed order), then
    every other variant's in file order. With ``sweep.revise`` each other run
    revises the reference variant's plan of the same seed.

    Raises
    ------
    ValueError
        When the sweep has no variant or no seed, repeats a variant name or a seed,
        or names an unknown reference (:func:`scheduler.io.sweep_file.read_sweep`
        reports these per key).
    """
    if not sweep.variants:
        raise ValueError(f"sweep {sweep.name!r} has no variant; expected at least one")
    if not sweep.seeds:
        raise ValueError(f"sweep {sweep.name!r} has no seed; expected at least one")
    names = [variant.name for variant in sweep.variants]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(
            f"sweep {sweep.name!r} repeats variant name(s) {', '.join(repeated)}; "
            "expected each name once"
        )
    seeds = [seed for seed in sweep.seeds if sweep.seeds.count(seed) > 1]
    if seeds:
        raise ValueError(
            f"sweep {sweep.name!r} repeats seed(s) {sorted(set(seeds))}; expected each seed once"
        )
    if sweep.reference and sweep.reference not in names:
        raise ValueError(
            f"sweep {sweep.name!r}: reference {sweep.reference!r} is not a variant; "
            f"expected one of {', '.join(names)}"
        )
    reference = sweep.reference_variant
    others = [variant for variant in sweep.variants if variant.name != reference.name]
    revises = reference.name if sweep.revise else None
    runs = [SweepRun(reference, seed) for seed in sweep.seeds]
    runs.extend(SweepRun(variant, seed, revises) for variant in others for seed in sweep.seeds)
    return runs


__all__: Sequence[str] = (
    "ALONE",
    "POOLED",
    "BaseClosure",
    "PoolingPolicy",
    "Sweep",
    "SweepRun",
    "Variant",
    "expand",
)
