"""Counts and shares as people say them: whole titles, percentages with one decimal.

One place rounds, so a card and the sentence beside it never disagree (a card's
439 beside a sentence's 440 was truncation on one side and rounding on the other).
Halves round up, as people round, not to even as :func:`round` does.
"""

from __future__ import annotations

import math

__all__ = ["percent", "titles", "whole"]


def whole(value: float) -> int:
    """``value`` to the nearest whole number, halves up: 421.94 → 422, 439.5 → 440."""
    return math.floor(value + 0.5)


def titles(value: float) -> str:
    """A number of titles as people count them: ``"422 部"``."""
    return f"{whole(value):,} 部"


def percent(share: float) -> str:
    """A share 0…1 as a percentage with one decimal: ``0.8234`` → ``"82.3%"``."""
    return f"{share:.1%}"
