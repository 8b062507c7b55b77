"""Time the exact scene sequencer: ``python -m scheduler.cli.sequence_benchmark [DIR]``.

Solves every talent scheduling instance (``*.json``) in DIR (default
``tests/data/talent``) ``--runs`` times (default 3) and prints a table: scenes,
actors, the literature's optimum (``known_optimum``, total cost), our cost,
whether it is proven, and the median wall-clock seconds. Issue 15's targets:
every instance at its known optimum and proven; the real films (MobStory,
film103…film119) within 1 s each and every other instance within 10 s, on
the 2-core development machine with nothing else heavy running. The exit
code is 1 if any cost differs from the known optimum or is not proven.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

from scheduler.cli.sequence import TalentFileError, read_talent_file
from solver.sequence import sequence

REAL_FILMS = frozenset(
    ["MobStory", "film103", "film105", "film114", "film116", "film117", "film118", "film119"]
)
FILM_SECONDS = 1.0
OTHER_SECONDS = 10.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.sequence_benchmark", description=__doc__
    )
    parser.add_argument(
        "directory", nargs="?", default="tests/data/talent", help="folder of instances"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per instance (default 3)")
    args = parser.parse_args(argv)
    paths = sorted(Path(args.directory).glob("*.json"))
    if not paths:
        print(f"{args.directory}: no *.json instances found")
        return 1
    print(
        "| instance | scenes | actors | known optimum | our cost | proven | seconds (median) "
        "| target s | met |"
    )
    print("| --- " * 9 + "|")
    failures = 0
    for path in paths:
        try:
            problem = read_talent_file(path)
        except TalentFileError as error:
            print("\n".join(error.problems))
            failures += 1
            continue
        known = json.loads(path.read_text(encoding="utf-8")).get("known_optimum")
        results = [sequence(problem) for _ in range(max(args.runs, 1))]
        seconds = statistics.median(r.seconds for r in results)
        result = results[0]
        target = FILM_SECONDS if path.stem in REAL_FILMS else OTHER_SECONDS
        met = result.proven and result.cost == known and seconds <= target
        failures += not (result.proven and result.cost == known)
        print(
            f"| {path.stem} | {problem.scene_count} | {problem.actor_count} | {known} "
            f"| {result.cost} | {'yes' if result.proven else 'no'} | {seconds:.3f} "
            f"| {target:g} | {'yes' if met else 'NO'} |",
            flush=True,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
