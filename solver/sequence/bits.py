"""Sets as bit masks, and look-up tables that answer a question about a set a byte at a time.

The search asks two things of a set millions of times: the actors a set of
scenes needs (a union) and the day rate of a set of actors (a sum). A table
per byte of the mask holds the answer for each of its 256 values, so either
question costs one look-up per byte instead of one step per member.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

BYTE = 8
BYTE_VALUES = 1 << BYTE


def _byte_tables(
    values: Sequence[int], combine: Callable[[int, int], int]
) -> tuple[tuple[int, ...], ...]:
    """Per byte of a mask, the combination of ``values`` over each of the byte's 256 subsets."""
    tables = []
    for start in range(0, max(len(values), 1), BYTE):
        chunk = values[start : start + BYTE]
        table = [0] * BYTE_VALUES
        for subset in range(1, BYTE_VALUES):
            lowest = subset & -subset
            position = lowest.bit_length() - 1
            value = chunk[position] if position < len(chunk) else 0
            table[subset] = combine(table[subset ^ lowest], value)
        tables.append(tuple(table))
    return tuple(tables)


class UnionTable:
    """The union of ``sets[i]`` over the members ``i`` of a mask."""

    def __init__(self, sets: Sequence[int]) -> None:
        self.tables = _byte_tables(sets, int.__or__)

    def __call__(self, mask: int) -> int:
        union = 0
        for table in self.tables:
            union |= table[mask & 0xFF]
            mask >>= BYTE
            if not mask:
                break
        return union


class SumTable:
    """The sum of ``weights[i]`` over the members ``i`` of a mask."""

    def __init__(self, weights: Sequence[int]) -> None:
        self.tables = _byte_tables(weights, int.__add__)

    def __call__(self, mask: int) -> int:
        total = 0
        for table in self.tables:
            total += table[mask & 0xFF]
            mask >>= BYTE
            if not mask:
                break
        return total


class MemberTable:
    """The members of a mask as a tuple of positions, a byte at a time."""

    def __init__(self, size: int) -> None:
        self.chunks = tuple(
            (
                start,
                tuple(
                    tuple(start + b for b in range(BYTE) if subset >> b & 1 and start + b < size)
                    for subset in range(BYTE_VALUES)
                ),
            )
            for start in range(0, max(size, 1), BYTE)
        )

    def __call__(self, mask: int) -> list[int]:
        found: list[int] = []
        for start, table in self.chunks:
            found.extend(table[(mask >> start) & 0xFF])
        return found
