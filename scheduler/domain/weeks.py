"""Calendar weeks of a horizon: Monday to Sunday, numbered as ISO 8601 numbers them.

Chinese offices count weeks Monday–Sunday with ISO week numbers (第50周 is
2026-12-07 … 2026-12-13). A horizon that starts mid-week begins with the rest
of that week, and one that ends mid-week ends with its first days: each
:class:`Week` holds only the horizon's days of its calendar week, and its
label says which (``第49周 12-01~12-06``). Every week a page, a KPI or an
export shows comes from :func:`calendar_weeks`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

__all__ = ["Week", "calendar_weeks", "week_index_of_days"]


@dataclass(frozen=True, slots=True)
class Week:
    """The horizon's days ``first_day`` … ``last_day`` (day numbers) of one calendar week."""

    index: int
    iso_year: int
    number: int
    first: date
    last: date
    first_day: int
    last_day: int
    with_year: bool = False

    @property
    def label(self) -> str:
        """``第50周 12-07~12-13``: the ISO week number and the horizon's dates in it, with the
        ISO year in front (``2028年第1周 01-03~01-09``) when the horizon spans two."""
        year = f"{self.iso_year}年" if self.with_year else ""
        return f"{year}第{self.number}周 {self.first:%m-%d}~{self.last:%m-%d}"

    @property
    def days(self) -> range:
        return range(self.first_day, self.last_day + 1)

    def __len__(self) -> int:
        return self.last_day - self.first_day + 1


def calendar_weeks(start: date, days: int) -> list[Week]:
    """The calendar weeks (Mon–Sun) that the ``days`` days from ``start`` fall in, in order."""
    weeks: list[Week] = []
    day = 0
    while day < days:
        first = start + timedelta(days=day)
        length = min(7 - first.weekday(), days - day)
        last = first + timedelta(days=length - 1)
        iso_year, number, _ = first.isocalendar()
        weeks.append(Week(len(weeks), iso_year, number, first, last, day, day + length - 1))
        day += length
    if len({week.iso_year for week in weeks}) > 1:
        weeks = [replace(week, with_year=True) for week in weeks]
    return weeks


def week_index_of_days(weeks: list[Week]) -> list[int]:
    """For each day number of the horizon, the index of its week in ``weeks``."""
    return [week.index for week in weeks for _ in week.days]
