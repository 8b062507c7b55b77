"""``python -m scheduler sequence INSTANCE.json``: the cheapest order of a shoot's scenes.

Reads a talent scheduling instance (the JSON of ``tests/data/talent``: keys
``n_scenes``, ``n_actors``, ``durations``, ``costs`` and ``requires``, whose
rows are actors and columns scenes; other keys are ignored), runs the exact
sequencer and prints the order (scenes numbered from 1), the total cost and
whether it is proven optimal. With ``--json`` it prints one JSON object
instead: ``{"order": [...], "cost": N, "proven": true|false, "seconds": S}``,
the order in scene indices from 0 as in the file.

A file with mistakes is not solved: every mistake is listed at once, one a
line, as ``FILE: key: what is wrong, expected …`` (to standard error with
``--json``), and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scheduler.cli.solve import positive_float
from solver.sequence import SequenceResult, TalentProblem, sequence


class TalentFileError(ValueError):
    """A talent instance file cannot be used; ``problems`` lists every mistake, one a line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object) -> str:
    """A value as the file writes it, cut short if long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _count(
    data: dict[str, Any], key: str, what: str, problems: list[str], name: str
) -> int | None:
    """``data[key]`` if it is a whole number ≥ 0, else None with the mistake noted."""
    if key not in data:
        problems.append(f"{name}: {key}: missing, expected the number of {what}")
        return None
    value = data[key]
    if not _is_whole(value) or value < 0:
        problems.append(f"{name}: {key}: {_shown(value)}, expected a whole number ≥ 0 ({what})")
        return None
    return int(value)


def _numbers(
    data: dict[str, Any],
    key: str,
    length: int | None,
    length_from: str,
    problems: list[str],
    name: str,
) -> list[int] | None:
    """``data[key]`` if it is a list of whole numbers ≥ 0 of the expected length, else None."""
    if key not in data:
        problems.append(f"{name}: {key}: missing, expected a list of whole numbers ≥ 0")
        return None
    values = data[key]
    if not isinstance(values, list):
        problems.append(f"{name}: {key}: {_shown(values)}, expected a list of whole numbers ≥ 0")
        return None
    fine = True
    if length is not None and len(values) != length:
        problems.append(
            f"{name}: {key}: {len(values)} entries, expected {length} (one per {length_from})"
        )
        fine = False
    for index, value in enumerate(values):
        if not _is_whole(value) or value < 0:
            problems.append(
                f"{name}: {key}[{index}]: {_shown(value)}, expected a whole number ≥ 0"
            )
            fine = False
    return values if fine else None


def _requires(
    data: dict[str, Any],
    actors: int | None,
    scenes: int | None,
    problems: list[str],
    name: str,
) -> list[list[int]] | None:
    """``data["requires"]`` if it is one row of 0s and 1s per actor, one column per scene."""
    if "requires" not in data:
        problems.append(f"{name}: requires: missing, expected one row of 0/1 per actor")
        return None
    rows = data["requires"]
    if not isinstance(rows, list):
        problems.append(f"{name}: requires: {_shown(rows)}, expected one row of 0/1 per actor")
        return None
    fine = True
    if actors is not None and len(rows) != actors:
        problems.append(
            f"{name}: requires: {len(rows)} rows, expected {actors} (one per actor, n_actors)"
        )
        fine = False
    for actor, row in enumerate(rows):
        if not isinstance(row, list):
            problems.append(f"{name}: requires[{actor}]: {_shown(row)}, expected a list of 0/1")
            fine = False
            continue
        if scenes is not None and len(row) != scenes:
            problems.append(
                f"{name}: requires[{actor}]: {len(row)} entries, "
                f"expected {scenes} (one per scene, n_scenes)"
            )
            fine = False
        for scene, value in enumerate(row):
            if not _is_whole(value) or value not in (0, 1):
                problems.append(
                    f"{name}: requires[{actor}][{scene}]: {_shown(value)}, expected 0 or 1"
                )
                fine = False
    return rows if fine else None


def read_talent_file(path: Path) -> TalentProblem:
    """The talent scheduling instance in a JSON file.

    Raises
    ------
    TalentFileError
        The file cannot be read or has mistakes; every one is listed.
    """
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TalentFileError(
            [f"{name}: *: cannot be read ({error.strerror}), expected a readable file"]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TalentFileError([f"{name}: *: not JSON ({error}), expected a JSON object"]) from None
    if not isinstance(data, dict):
        raise TalentFileError([f"{name}: *: a JSON {type(data).__name__}, expected an object"])
    problems: list[str] = []
    scenes = _count(data, "n_scenes", "scenes", problems, name)
    actors = _count(data, "n_actors", "actors", problems, name)
    durations = _numbers(data, "durations", scenes, "scene, n_scenes", problems, name)
    costs = _numbers(data, "costs", actors, "actor, n_actors", problems, name)
    # without a usable count, still check the rows of requires against the lists
    if scenes is None and durations is not None:
        scenes = len(durations)
    if actors is None and costs is not None:
        actors = len(costs)
    requires = _requires(data, actors, scenes, problems, name)
    if problems or durations is None or costs is None or requires is None:
        raise TalentFileError(problems)
    scene_actors = tuple(
        frozenset(actor for actor, row in enumerate(requires) if row[scene])
        for scene in range(len(durations))
    )
    return TalentProblem(tuple(durations), tuple(costs), scene_actors)


def _text(problem: TalentProblem, result: SequenceResult) -> str:
    """The answer in a few lines, Chinese then English on each."""
    order = " ".join(str(scene + 1) for scene in result.order)
    idle = result.cost - problem.working_cost
    if result.proven:
        proof = "已证最优 proven optimal"
    else:
        proof = f"未证最优 not proven optimal（下界 lower bound {result.lower_bound}）"
    return "\n".join(
        [
            f"场景 scenes: {problem.scene_count}，演员 actors: {problem.actor_count}",
            f"拍摄顺序 order: {order}",
            f"总成本 total cost: {result.cost}"
            f"（等待 idle {idle} + 工作 working {problem.working_cost}）",
            f"{proof}，用时 time {result.seconds:.2f} s",
        ]
    )


def _cmd_sequence(args: argparse.Namespace) -> int:
    try:
        problem = read_talent_file(Path(args.instance))
    except TalentFileError as error:
        out = sys.stderr if args.json else sys.stdout
        for line in error.problems:
            print(line, file=out)
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 文件无效 / the file is invalid", file=out)
        return 1
    result = sequence(problem, time_limit=args.time_limit)
    if args.json:
        answer = {
            "order": list(result.order),
            "cost": result.cost,
            "proven": result.proven,
            "seconds": round(result.seconds, 3),
        }
        print(json.dumps(answer))
    else:
        print(_text(problem, result))
    return 0


def add_sequence_command(commands: Any) -> None:
    """Add ``sequence`` to the command line's subparsers."""
    command = commands.add_parser(
        "sequence",
        help="cheapest order of a shoot's scenes (talent scheduling JSON; exit 1 on a bad file)",
    )
    command.add_argument("instance", help="talent scheduling instance, JSON")
    command.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: order (scene indices from 0), cost, proven, seconds",
    )
    command.add_argument(
        "--time-limit",
        type=positive_float,
        default=None,
        help="stop the proof after this many seconds and print the best order found "
        "(default: no limit)",
    )
    command.set_defaults(run=_cmd_sequence)
