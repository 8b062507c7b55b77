"""The sweep file (what-if 批量方案): a small TOML file naming a scenario, its variants and seeds.

::

    name = "一月：加剧组 × 停基地 × 急单"
    scenario = "../zhengzhou-month"   # folder or .xlsx relative to this file, or a stored name
    seeds = 3                          # or a list [0, 1, 2]; default 3 → [0, 1, 2]
    time_limit = 30                    # seconds per run
    workers = 1                        # CP-SAT workers per run
    reference = "现状"                 # default: the first variant
    revise = false                     # true: what-ifs revise the reference plan
    [[variant]]
    name = "加1个剧组"
    crews = 1
    close = [{ base = "B06", from = 2026-12-07, to = 2026-12-13 }]
    rush_titles = 30
    targets = { parallel_shoots_per_day = 22 }
    pooling = "alone"                  # or "pooled" or [["郑州", "开封"], ["洛阳"]]
    [grid]                             # every combination of the axes is one variant
    crews = [1, 2, 3]
    rush_titles = [0, 30]

:func:`read_sweep` reads one into a :class:`~scheduler.domain.sweep.Sweep`,
reporting every problem at once as a :class:`~scheduler.domain.errors.ScenarioError`
at ``file:line:key path`` (``variant[3].crews``, variants counted from 1 in file
order). :func:`sweep_to_toml` writes one back (the grid as its variants).
:func:`check_against` finds what a sweep asks of a scenario that the scenario
cannot give, and :func:`scenario_path` finds the scenario it names on disk.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.storable import MAX_KEY_LENGTH, text_problem
from scheduler.domain.sweep import (
    ALONE,
    POOLED,
    BaseClosure,
    PoolingPolicy,
    Sweep,
    Variant,
)
from scheduler.domain.variations import (
    TARGET_KEYS,
    apply_variant,
    change_words,
    target_faults,
    variant_faults,
)
from scheduler.io.tables import scenario_to_tables
from scheduler.io.validation import build_scenario

SWEEP_KEYS = ("name", "scenario", "seeds", "time_limit", "workers", "reference", "revise")
"""Keys of a sweep file's top level, besides ``[[variant]]`` and ``[grid]``."""

VARIANT_KEYS = ("name", "crews", "close", "rush_titles", "targets", "pooling")
"""Keys of one ``[[variant]]``."""

GRID_KEYS = VARIANT_KEYS[1:]
"""Axes a ``[grid]`` may have: every variant key but the name."""

CLOSE_KEYS = ("base", "from", "to")
"""Keys of one base closure in ``close``."""

DEFAULT_SEEDS = 3
MAX_SWEEP_BYTES = 1_000_000
MAX_SEEDS = 100
MAX_SEED = 2**31 - 1
"""CP-SAT takes a 32-bit seed."""
MAX_WORKERS = 256
MAX_TIME_LIMIT = 86_400.0
"""A run may take up to a day."""
MAX_CREW_CHANGE = 1_000
MAX_RUSH_TITLES = 10_000
MAX_RUNS = 10_000
"""Variants × seeds: more is a mistake in a grid, not a sweep."""

_TOML_LINE = re.compile(r"at line (\d+)")


class _Report:
    """Problems of one sweep file, each at the line of its key."""

    def __init__(self, label: str, lines: _Lines) -> None:
        self.label = label
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, message_zh: str) -> None:
        self.problems.append(
            Problem(self.label, self.lines.line_of(path), path, message, message_zh)
        )


# -- where a key is ---------------------------------------------------------------------


_HEADER = re.compile(r"^\s*\[")
_VARIANT_HEADER = re.compile(r"^\s*\[\[\s*variant\s*\]\]")
_GRID_HEADER = re.compile(r"^\s*\[\s*grid\s*\]")
_PATH_PART = re.compile(r"^([^.\[]+)(?:\[(\d+)\])?")


@dataclass
class _Lines:
    """Line numbers of a sweep file's keys, found in its lines (tomllib gives none)."""

    text: str
    _lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self._lines = self.text.splitlines()

    def _block(self, start: int) -> range:
        """Lines after line index ``start`` up to the next table header."""
        end = start + 1
        while end < len(self._lines) and not _HEADER.match(self._lines[end]):
            end += 1
        return range(start + 1, end)

    def _key_in(self, lines: range, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for index in lines:
            if pattern.match(self._lines[index]):
                return index + 1
        return None

    def line_of(self, path: str) -> int:
        """Line of the key that ``path`` starts with (``variant[3].crews``); 0 if not found."""
        match = _PATH_PART.match(path)
        if not match:
            return 0
        head, number = match.group(1), match.group(2)
        inner = _PATH_PART.match(path[match.end() :].lstrip("."))
        key = inner.group(1) if inner else ""
        top = self._block(-1)
        if head == "variant" and number:
            headers = [i for i, line in enumerate(self._lines) if _VARIANT_HEADER.match(line)]
            if int(number) <= len(headers):
                start = headers[int(number) - 1]
                return (self._key_in(self._block(start), key) if key else None) or start + 1
        if head == "grid":
            headers = [i for i, line in enumerate(self._lines) if _GRID_HEADER.match(line)]
            if headers:
                return (self._key_in(self._block(headers[0]), key) if key else None) or (
                    headers[0] + 1
                )
        return self._key_in(top, head) or 0


# -- reading ----------------------------------------------------------------------------


def read_sweep(path: Path) -> Sweep:
    """The sweep in the TOML file ``path``.

    Raises
    ------
    ScenarioError
        Every problem, at ``<file name>:line:key path``.
    """
    path = Path(path)
    label = path.name
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SWEEP_BYTES + 1)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(
            [
                Problem(
                    label,
                    0,
                    "*",
                    f"cannot be read ({error}); expected a TOML file saved as UTF-8",
                    f"无法读取（{error}），应为 UTF-8 编码的 TOML 文件",
                )
            ]
        ) from error
    if len(data) > MAX_SWEEP_BYTES:
        raise ScenarioError(
            [
                Problem(
                    label,
                    0,
                    "*",
                    f"is over {MAX_SWEEP_BYTES:,} bytes; expected a small sweep file",
                    f"文件超过 {MAX_SWEEP_BYTES:,} 字节，批量方案文件应很小",
                )
            ]
        )
    return sweep_from_toml(text, label=label, default_name=path.stem)


def sweep_from_toml(text: str, label: str = "sweep.toml", default_name: str = "") -> Sweep:
    """The sweep in TOML ``text`` (the app's upload), problems named at ``label``.

    ``default_name`` is the sweep's name when the text has none (else ``label``'s stem).

    Raises
    ------
    ScenarioError
        Every problem, at ``label:line:key path``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        raise ScenarioError(
            [
                Problem(
                    label,
                    int(found.group(1)) if found else 0,
                    "*",
                    f"is not valid TOML ({error}); expected key = value lines "
                    "as in sample_data/sweeps/",
                    f"不是有效的 TOML（{error}），应为 键 = 值 的写法，参见 sample_data/sweeps/",
                )
            ]
        ) from error
    report = _Report(label, _Lines(text))
    sweep = _sweep(data, report, default_name or Path(label).stem)
    if report.problems or sweep is None:
        raise ScenarioError(sorted(report.problems, key=lambda p: p.row))
    return sweep


def _sweep(data: Mapping[str, object], report: _Report, default_name: str) -> Sweep | None:
    """The sweep of a parsed file, or ``None`` when ``report`` got a problem."""
    for key in data:
        if key not in (*SWEEP_KEYS, "variant", "grid"):
            expected = ", ".join((*SWEEP_KEYS, "[[variant]]", "[grid]"))
            report.add(
                key,
                f"unknown key; expected one of {expected}",
                f"未知的键 {key}，应为 {expected} 之一",
            )
    name = _text(data.get("name", default_name), "name", report, "批量方案名称")
    scenario = ""
    if "scenario" not in data:
        report.add(
            "scenario",
            "missing; expected the scenario: a folder or .xlsx path relative to this file, "
            "or a stored scenario's name",
            "缺少 scenario：应为场景文件夹或 .xlsx 的路径（相对本文件），或已保存场景的名称",
        )
    else:
        scenario = _text(data["scenario"], "scenario", report, "场景") or ""
    seeds = _seeds(data.get("seeds", DEFAULT_SEEDS), report)
    time_limit = _time_limit(data.get("time_limit", 30.0), report)
    workers = _whole(data.get("workers", 1), "workers", report, 1, MAX_WORKERS, "每个求解的线程数")
    revise = data.get("revise", False)
    if not isinstance(revise, bool):
        report.add(
            "revise",
            f"is {revise!r}; expected true or false",
            f"revise 为 {revise!r}，应为 true 或 false",
        )
    variants = _variants(data.get("variant", []), report)
    if "grid" in data:
        variants.extend(_grid(data["grid"], variants, report))
    _check_names(variants, report)
    reference = data.get("reference", "")
    if reference != "":
        reference = _text(reference, "reference", report, "参照方案") or ""
        names = list(dict.fromkeys(read.name for read in variants if read.name is not None))
        if reference and names and reference not in names:
            report.add(
                "reference",
                f"{reference} is not a variant; expected one of {', '.join(names)}",
                f"参照方案「{reference}」不在方案中，应为 {'、'.join(names)} 之一",
            )
    if not data.get("variant") and "grid" not in data:
        report.add(
            "variant",
            "the sweep has no variant; expected at least one [[variant]] or a [grid]",
            "批量方案中没有方案，至少需要一个 [[variant]] 或 [grid]",
        )
    if seeds is not None and len(variants) * len(seeds) > MAX_RUNS:
        report.add(
            "seeds",
            f"{len(variants)} variant(s) × {len(seeds)} seed(s) make "
            f"{len(variants) * len(seeds):,} runs; expected at most {MAX_RUNS:,}",
            f"{len(variants)} 个方案 × {len(seeds)} 个种子共 "
            f"{len(variants) * len(seeds):,} 次求解，最多 {MAX_RUNS:,} 次",
        )
    if report.problems:
        return None
    assert name is not None and seeds is not None and time_limit is not None
    assert workers is not None and isinstance(revise, bool) and isinstance(reference, str)
    return Sweep(
        name=name,
        scenario=scenario,
        variants=tuple(read.variant for read in variants if read.variant is not None),
        seeds=seeds,
        time_limit=time_limit,
        workers=workers,
        reference=reference,
        revise=revise,
    )


def _text(value: object, path: str, report: _Report, what_zh: str) -> str | None:
    """Non-blank text that the database can store as a key."""
    found = text_problem(value, MAX_KEY_LENGTH)
    if found is None and isinstance(value, str) and not value.strip():
        found = ("is blank; expected text", "为空，应填写文字")
    if found is None and isinstance(value, str) and re.search(r"[\x00-\x1f\x7f]", value):
        found = (
            "contains a control character (a line break or the like); expected one line of text",
            "含有换行等控制字符，应为一行文字",
        )
    if found:
        report.add(path, f"{found[0]}", f"{what_zh} {found[1]}")
        return None
    assert isinstance(value, str)
    return value.strip()


def _whole(
    value: object, path: str, report: _Report, low: int, high: int, what_zh: str
) -> int | None:
    """A whole number ``low`` … ``high`` (a TOML integer, not true/false)."""
    if isinstance(value, bool) or not isinstance(value, int):
        report.add(
            path,
            f"is {value!r}; expected a whole number {low:,} … {high:,}",
            f"{what_zh}为 {value!r}，应为 {low:,} 到 {high:,} 之间的整数",
        )
        return None
    if not low <= value <= high:
        report.add(
            path,
            f"{value:,} is outside {low:,} … {high:,}; expected a whole number in that range",
            f"{what_zh} {value:,} 超出 {low:,} 到 {high:,} 的范围",
        )
        return None
    return value


def _seeds(value: object, report: _Report) -> tuple[int, ...] | None:
    """``seeds = n`` (n ≥ 1: seeds 0 … n−1) or a list of distinct seeds."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            report.add(
                "seeds",
                f"{value} is less than 1; expected a count ≥ 1 or a list of seeds",
                f"种子数 {value} 小于 1，应为 ≥1 的个数或种子列表",
            )
            return None
        count = _whole(value, "seeds", report, 1, MAX_SEEDS, "种子数")
        return None if count is None else tuple(range(count))
    if not isinstance(value, list):
        report.add(
            "seeds",
            f"is {value!r}; expected a count such as 3 or a list such as [0, 1, 2]",
            f"种子为 {value!r}，应为个数（如 3）或列表（如 [0, 1, 2]）",
        )
        return None
    if not value:
        report.add(
            "seeds",
            "is an empty list; expected at least one seed",
            "种子列表为空，至少需要一个种子",
        )
        return None
    seeds = [
        _whole(seed, f"seeds[{n}]", report, 0, MAX_SEED, "种子") for n, seed in enumerate(value, 1)
    ]
    if len(value) > MAX_SEEDS:
        report.add(
            "seeds",
            f"lists {len(value)} seeds; expected at most {MAX_SEEDS}",
            f"列出了 {len(value)} 个种子，最多 {MAX_SEEDS} 个",
        )
        return None
    repeated = sorted({s for s in seeds if s is not None and seeds.count(s) > 1})
    if repeated:
        report.add(
            "seeds",
            f"repeats {', '.join(map(str, repeated))}; expected each seed once",
            f"种子 {'、'.join(map(str, repeated))} 重复，每个种子只写一次",
        )
        return None
    if any(seed is None for seed in seeds):
        return None
    return tuple(seed for seed in seeds if seed is not None)


def _time_limit(value: object, report: _Report) -> float | None:
    """Seconds per run: a number > 0, at most a day."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        report.add(
            "time_limit",
            f"is {value!r}; expected seconds per run, a number > 0 such as 30",
            f"time_limit 为 {value!r}，应为每次求解的秒数，大于 0，如 30",
        )
        return None
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        report.add(
            "time_limit",
            f"{value} is not > 0 and ≤ {MAX_TIME_LIMIT:,.0f}; expected seconds per run such as 30",
            f"time_limit {value} 应大于 0 且不超过 {MAX_TIME_LIMIT:,.0f} 秒",
        )
        return None
    return float(value)


# -- variants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """A variant as read: its name and the variant (each ``None`` when it had a problem),
    and where it came from (``variant[3]`` or ``grid``)."""

    name: str | None
    variant: Variant | None
    origin: str


def _variants(value: object, report: _Report) -> list[_Read]:
    """The ``[[variant]]`` tables, each with its key path."""
    if not isinstance(value, list):
        report.add(
            "variant",
            f"is {type(value).__name__}; expected [[variant]] tables",
            "variant 应写成 [[variant]] 表",
        )
        return []
    found: list[_Read] = []
    for number, table in enumerate(value, 1):
        where = f"variant[{number}]"
        if not isinstance(table, dict):
            report.add(
                where,
                f"is {table!r}; expected a table with name = …",
                f"第 {number} 个方案应为一个表（含 name = …）",
            )
            continue
        found.append(_variant(table, where, report))
    return found


def _variant(table: Mapping[str, object], where: str, report: _Report) -> _Read:
    """One ``[[variant]]``, its variant ``None`` when it has a problem (reported)."""
    before = len(report.problems)
    for key in table:
        if key not in VARIANT_KEYS:
            report.add(
                f"{where}.{key}",
                f"unknown key; expected one of {', '.join(VARIANT_KEYS)}",
                f"未知的键 {key}，应为 {'、'.join(VARIANT_KEYS)} 之一",
            )
    name = None
    if "name" not in table:
        report.add(
            f"{where}.name",
            "missing; expected the variant's name, such as 加1个剧组",
            "缺少方案名称 name，如 加1个剧组",
        )
    else:
        name = _text(table["name"], f"{where}.name", report, "方案名称")
    changes = _changes(table, where, report)
    if len(report.problems) > before or name is None or changes is None:
        return _Read(name, None, where)
    return _Read(name, replace(Variant(name=name), **changes), where)


_Changes = dict[str, Any]
"""Changes of a variant as :class:`Variant` keyword arguments."""


def _changes(table: Mapping[str, object], where: str, report: _Report) -> _Changes | None:
    """The changes of a ``[[variant]]`` table, or ``None`` when one has a problem (reported)."""
    before = len(report.problems)
    changes: _Changes = {}
    for key, (argument, reader) in _READERS.items():
        if key in table:
            changes[argument] = reader(table[key], f"{where}.{key}", report)
    return None if len(report.problems) > before else changes


def _crews(value: object, path: str, report: _Report) -> int | None:
    """Crews to add (+k) or remove (−k)."""
    return _whole(value, path, report, -MAX_CREW_CHANGE, MAX_CREW_CHANGE, "剧组增减")


def _rush_titles(value: object, path: str, report: _Report) -> int | None:
    """Titles in the rush order."""
    return _whole(value, path, report, 0, MAX_RUSH_TITLES, "急单部数")


def _date(value: object, path: str, report: _Report) -> date | None:
    """A TOML date (2026-12-07) or the same written as a quoted ISO date."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    if isinstance(value, datetime) or not isinstance(value, date):
        report.add(
            path,
            f"is {value!r}; expected a date such as 2026-12-07",
            f"日期为 {value!r}，应写成 2026-12-07 这样的日期",
        )
        return None
    return value


def _closures(value: object, path: str, report: _Report) -> tuple[BaseClosure, ...] | None:
    """``[{ base = "B06", from = 2026-12-07, to = 2026-12-13 }, …]``."""
    if not isinstance(value, list):
        report.add(
            path,
            f"is {value!r}; expected a list such as "
            '[{ base = "B06", from = 2026-12-07, to = 2026-12-13 }]',
            '停用基地应写成列表，如 [{ base = "B06", from = 2026-12-07, to = 2026-12-13 }]',
        )
        return None
    closures: list[BaseClosure] = []
    for number, item in enumerate(value, 1):
        where = f"{path}[{number}]"
        if not isinstance(item, dict):
            report.add(
                where,
                f"is {item!r}; expected {{ base = …, from = …, to = … }}",
                "应写成 { base = …, from = …, to = … }",
            )
            continue
        for key in item:
            if key not in CLOSE_KEYS:
                report.add(
                    f"{where}.{key}",
                    f"unknown key; expected {', '.join(CLOSE_KEYS)}",
                    f"未知的键 {key}，应为 {'、'.join(CLOSE_KEYS)}",
                )
        for key in CLOSE_KEYS:
            if key not in item:
                report.add(
                    f"{where}.{key}",
                    f"missing; expected {key} = … (base id, first and last day closed)",
                    f"缺少 {key}（停用的基地编号、开始日、结束日）",
                )
        base = _text(item["base"], f"{where}.base", report, "基地编号") if "base" in item else None
        first = _date(item["from"], f"{where}.from", report) if "from" in item else None
        last = _date(item["to"], f"{where}.to", report) if "to" in item else None
        if first and last and last < first:
            report.add(
                f"{where}.to",
                f"{last.isoformat()} is before from {first.isoformat()}; expected to ≥ from",
                f"结束日 {last.isoformat()} 早于开始日 {first.isoformat()}",
            )
        elif base and first and last:
            closures.append(BaseClosure(base, first, last))
    return tuple(closures)


def _targets(value: object, path: str, report: _Report) -> dict[str, int] | None:
    """``{ parallel_shoots_per_day = 22 }``: target keys to override."""
    if not isinstance(value, dict):
        report.add(
            path,
            f"is {value!r}; expected a table such as {{ parallel_shoots_per_day = 22 }}",
            "目标应写成表，如 { parallel_shoots_per_day = 22 }",
        )
        return None
    for fault in target_faults(value):
        report.add(f"{path}.{fault.key.removeprefix('targets.')}", fault.message, fault.message_zh)
    return {key: item for key, item in value.items() if key in TARGET_KEYS}


def _pooling(value: object, path: str, report: _Report) -> PoolingPolicy | None:
    """``"alone"``, ``"pooled"`` or groups of cities ``[["郑州", "开封"], ["洛阳"]]``."""
    if isinstance(value, str):
        if value in (ALONE, POOLED):
            return value
        report.add(
            path,
            f"{value!r} is not a pooling policy; expected {ALONE!r}, {POOLED!r} or groups of "
            'cities such as [["郑州", "开封"], ["洛阳"]]',
            f"{value!r} 不是协同方式，应为 {ALONE}（各城独立）、{POOLED}（跨城共享）"
            '或城市分组，如 [["郑州", "开封"], ["洛阳"]]',
        )
        return None
    if not isinstance(value, list) or not value:
        report.add(
            path,
            f"is {value!r}; expected {ALONE!r}, {POOLED!r} or groups of cities such as "
            '[["郑州", "开封"], ["洛阳"]]',
            f"协同方式为 {value!r}，应为 {ALONE}、{POOLED} 或城市分组",
        )
        return None
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for number, group in enumerate(value, 1):
        where = f"{path}[{number}]"
        if not isinstance(group, list) or not group:
            report.add(
                where,
                f"is {group!r}; expected a non-empty list of cities such as ['郑州', '开封']",
                '每组应为非空的城市列表，如 ["郑州", "开封"]',
            )
            continue
        cities = [_text(city, where, report, "城市") for city in group]
        for city in cities:
            if city is not None and city in seen:
                report.add(
                    where,
                    f"{city} is in two groups; expected each city in one group",
                    f"城市 {city} 出现在两个分组里，每个城市只能属于一组",
                )
            if city is not None:
                seen.add(city)
        groups.append(tuple(city for city in cities if city is not None))
    return tuple(groups)


_READERS: dict[str, tuple[str, Callable[[object, str, _Report], object]]] = {
    "crews": ("crews", _crews),
    "close": ("closures", _closures),
    "rush_titles": ("rush_titles", _rush_titles),
    "targets": ("targets", _targets),
    "pooling": ("pooling", _pooling),
}
"""Each variant key: the Variant field it sets and its reader."""


# -- the grid ---------------------------------------------------------------------------


def _grid(value: object, variants: Sequence[_Read], report: _Report) -> list[_Read]:
    """Every combination of the grid's axes, named by :func:`change_words`; a combination
    that equals a listed variant of the same name is that variant, not a second one."""
    if not isinstance(value, dict):
        report.add("grid", f"is {value!r}; expected a [grid] table", "grid 应写成 [grid] 表")
        return []
    axes: list[tuple[str, list[object]]] = []
    for key, values in value.items():
        if key not in GRID_KEYS:
            report.add(
                f"grid.{key}",
                f"unknown axis; expected one of {', '.join(GRID_KEYS)}",
                f"未知的轴 {key}，应为 {'、'.join(GRID_KEYS)} 之一",
            )
        elif not isinstance(values, list) or not values:
            report.add(
                f"grid.{key}",
                f"is {values!r}; expected a non-empty list of values, such as [1, 2, 3]",
                "网格的每个轴应为非空列表，如 [1, 2, 3]",
            )
        else:
            axes.append((key, values))
    if not axes or len(axes) < len(value):
        if not value:
            report.add("grid", "has no axis; expected such as crews = [1, 2, 3]", "网格没有任何轴")
        return []
    choices: list[list[_Changes]] = []
    for key, values in axes:
        argument, reader = _READERS[key]
        before = len(report.problems)
        read = [reader(item, f"grid.{key}[{n}]", report) for n, item in enumerate(values, 1)]
        if len(report.problems) > before:
            return []
        choices.append([{argument: item} for item in read])
    combinations = math.prod(len(options) for options in choices)
    if combinations > MAX_RUNS:
        report.add(
            "grid",
            f"makes {combinations:,} variants; expected at most {MAX_RUNS:,}",
            f"网格组合出 {combinations:,} 个方案，最多 {MAX_RUNS:,} 个",
        )
        return []
    listed = {read.name: read.variant for read in variants}
    found: list[_Read] = []
    for combination in itertools.product(*choices):
        merged: _Changes = {}
        for changes in combination:
            merged.update(changes)
        unnamed = replace(Variant(name=""), **merged)
        variant = replace(unnamed, name=change_words(unnamed))
        if listed.get(variant.name) == variant:
            continue
        found.append(_Read(variant.name, variant, "grid"))
    return found


def _check_names(variants: Sequence[_Read], report: _Report) -> None:
    """Each variant name once."""
    first: dict[str, str] = {}
    for read in variants:
        if read.name is None:
            continue
        if read.name in first:
            report.add(
                f"{read.origin}.name" if read.origin != "grid" else "grid",
                f"{read.name} is also the name of {first[read.name]}; "
                "expected each variant name once",
                f"方案名称「{read.name}」与 {first[read.name]} 重复，每个方案名称只能用一次",
            )
        else:
            first[read.name] = read.origin


# -- writing ----------------------------------------------------------------------------


def _string(text: str) -> str:
    # JSON's escapes are TOML's; DEL is the one control character JSON leaves bare
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(key: str) -> str:
    # a bare TOML key is ASCII letters, digits, - and _; anything else is quoted
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _pooling_toml(policy: PoolingPolicy) -> str:
    if isinstance(policy, str):
        return _string(policy)
    groups = ", ".join("[" + ", ".join(_string(city) for city in group) + "]" for group in policy)
    return f"[{groups}]"


def sweep_to_toml(sweep: Sweep) -> str:
    """The sweep file of ``sweep`` (:func:`read_sweep` reads it back as an equal Sweep).

    Every variant is written as a ``[[variant]]`` with only the keys it changes.
    """
    seeds = sweep.seeds
    lines = [
        f"name = {_string(sweep.name)}",
        f"scenario = {_string(sweep.scenario)}",
        "seeds = "
        + (
            str(len(seeds))
            if seeds and seeds == tuple(range(len(seeds)))
            else "[" + ", ".join(map(str, seeds)) + "]"
        ),
        f"time_limit = {_number(sweep.time_limit)}",
        f"workers = {sweep.workers}",
    ]
    if sweep.reference:
        lines.append(f"reference = {_string(sweep.reference)}")
    lines.append(f"revise = {'true' if sweep.revise else 'false'}")
    for variant in sweep.variants:
        lines += ["", "[[variant]]", f"name = {_string(variant.name)}"]
        if variant.crews:
            lines.append(f"crews = {variant.crews}")
        if variant.closures:
            closures = ", ".join(
                f"{{ base = {_string(c.base_id)}, from = {c.from_date.isoformat()}, "
                f"to = {c.to_date.isoformat()} }}"
                for c in variant.closures
            )
            lines.append(f"close = [{closures}]")
        if variant.rush_titles:
            lines.append(f"rush_titles = {variant.rush_titles}")
        if variant.targets:
            targets = ", ".join(f"{_key(k)} = {v}" for k, v in variant.targets.items())
            lines.append(f"targets = {{ {targets} }}")
        if variant.pooling is not None:
            lines.append(f"pooling = {_pooling_toml(variant.pooling)}")
    return "\n".join(lines) + "\n"


def write_sweep(sweep: Sweep, path: Path) -> None:
    """Write ``sweep`` to ``path`` as a sweep file (UTF-8)."""
    Path(path).write_text(sweep_to_toml(sweep), encoding="utf-8")


# -- against a scenario -----------------------------------------------------------------


def scenario_path(sweep: Sweep, sweep_file: Path) -> Path | None:
    """The scenario folder or .xlsx the sweep names, relative to ``sweep_file``'s folder (or
    absolute); ``None`` when no such path exists (then it names a stored scenario)."""
    candidate = Path(sweep.scenario).expanduser()
    if not candidate.is_absolute():
        candidate = Path(sweep_file).resolve().parent / candidate
    return candidate.resolve() if candidate.exists() else None


def check_against(sweep: Sweep, scenario: Scenario, label: str = "sweep.toml") -> list[Problem]:
    """What each variant asks of ``scenario`` that it cannot give, all at once.

    Unknown bases, closures outside the horizon, more crews removed than pins leave
    free, unknown cities in pooling; and a variant that applies cleanly but makes a
    scenario that validation refuses. Each problem is at ``label:0:variant[i].key``,
    ``i`` counting the sweep's variants from 1 (listed variants first, then the grid's),
    and names the variant.
    """
    problems: list[Problem] = []
    for number, variant in enumerate(sweep.variants, 1):
        where = f"variant[{number}]"
        faults = variant_faults(scenario, variant)
        for fault in faults:
            problems.append(
                Problem(
                    label,
                    0,
                    f"{where}.{fault.key}",
                    f"{variant.name}: {fault.message}",
                    f"方案「{variant.name}」：{fault.message_zh}",
                )
            )
        if faults:
            continue
        try:
            build_scenario(scenario_to_tables(apply_variant(scenario, variant)))
        except (ScenarioError, ValueError) as error:
            found = error.problems if isinstance(error, ScenarioError) else ()
            for problem in found or (Problem(label, 0, "*", str(error)),):
                problems.append(
                    Problem(
                        label,
                        0,
                        where,
                        f"{variant.name} makes a scenario that does not validate: {problem}",
                        f"方案「{variant.name}」得到的场景未通过校验：{problem.format('zh')}",
                    )
                )
    return problems


__all__: Sequence[str] = (
    "CLOSE_KEYS",
    "GRID_KEYS",
    "SWEEP_KEYS",
    "VARIANT_KEYS",
    "check_against",
    "read_sweep",
    "scenario_path",
    "sweep_from_toml",
    "sweep_to_toml",
    "write_sweep",
)
