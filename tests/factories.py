"""Small hand-built scenarios for tests, made directly from the model classes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Targets,
    Title,
    Travel,
    Unavailability,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
"""The committed sample scenarios (tutorial, zhengzhou-month, zhengzhou-full, cluster-x10)."""

START = date(2026, 12, 1)
"""Day 0 of the small scenarios."""


def day(n: int) -> date:
    """Date of day ``n`` of the horizon (day 0 is 12-01)."""
    return START + timedelta(days=n)


def small_title(
    title_id: str,
    priority: int = 1,
    first: int = 0,
    last: int = 9,
    needs: Sequence[tuple[str, int]] = (("办公室", 1),),
    cast: Sequence[str] = (),
    genre: str = "都市",
) -> Title:
    """A title that may shoot on days ``first`` … ``last`` (one 办公室 day by default)."""
    return Title(
        title_id,
        f"剧目{title_id}",
        genre,
        priority,
        day(first),
        day(last),
        tuple(Need(t, n) for t, n in needs),
        tuple(cast),
    )


def small_scenario(
    titles: Sequence[Title],
    *,
    days: int = 3,
    bases: Sequence[Base] = (Base("B1", "金水基地", "郑州"),),
    sets: Sequence[FilmSet] = (FilmSet("S1", "B1", "办公室", 1000),),
    crews: Sequence[Crew] = (Crew("C1", "张导剧组", "B1", 10000),),
    actors: Sequence[Actor] = (),
    unavailable: Sequence[Unavailability] = (),
    travel: Sequence[Travel] = (),
    pins: Sequence[Pin] = (),
) -> Scenario:
    """``titles`` over ``days`` days; by default one base, one 办公室 set and one crew."""
    return Scenario(
        name="测试",
        start_date=START,
        days=days,
        bases=tuple(bases),
        sets=tuple(sets),
        crews=tuple(crews),
        actors=tuple(actors),
        titles=tuple(titles),
        unavailable=tuple(unavailable),
        travel=tuple(travel),
        pins=tuple(pins),
    )


def tiny_scenario() -> Scenario:
    """A valid 14-day scenario: 2 bases (2 cities), 4 sets of 3 types, 2 crews, 3 actors, 4 titles.

    Written as CSV, the rows land on these lines (header = line 1):

    - bases: B01 郑州 (line 2), B02 开封 (3)
    - sets: S01 B01 办公室 (2), S02 B01 别墅 (3), S03 B02 古装宫殿 (4), S04 B02 办公室 (5)
    - crews: C01 都市;甜宠, at most 6 days in a row (2), C02 any genre (3)
    - actors: A01 (2), A02 (3), A03 (4)
    - titles (extra column ``platform``): T01 (2), T02 (3), T03 (4), T04 (5)
    - title_needs: T01 办公室 (2), T01 别墅 (3), T02 古装宫殿 (4), T03 办公室 (5),
      T03 别墅 (6), T04 办公室 (7)
    - unavailable: actor A01 on 12-08 … 12-09 (2); travel: 郑州 → 开封 (2); pins: T02 (2)
    """
    return Scenario(
        name="郑州开封基地群 测试",
        start_date=date(2026, 12, 1),
        days=14,
        bases=(
            Base("B01", "郑州影视基地", "郑州", max_crews=2),
            Base("B02", "开封清明上河园基地", "开封"),
        ),
        sets=(
            FilmSet("S01", "B01", "办公室", 3000),
            FilmSet("S02", "B01", "别墅", 5000),
            FilmSet("S03", "B02", "古装宫殿", 8000),
            FilmSet("S04", "B02", "办公室", 2500),
        ),
        crews=(
            Crew("C01", "王导剧组", "B01", 12000, genres=("都市", "甜宠"), max_days_in_row=6),
            Crew("C02", "李导剧组", "B02", 10000),
        ),
        actors=(
            Actor("A01", "张雨桐", 3000),
            Actor("A02", "刘子轩", 2500),
            Actor("A03", "陈思琪", 2000),
        ),
        titles=(
            Title(
                "T01",
                "总裁的契约新娘",
                "都市",
                3,
                date(2026, 12, 1),
                date(2026, 12, 10),
                needs=(Need("办公室", 2), Need("别墅", 1)),
                cast=("A01", "A02"),
                extra={"platform": "抖音"},
            ),
            Title(
                "T02",
                "穿越之凤鸣九天",
                "古装",
                2,
                date(2026, 12, 1),
                date(2026, 12, 12),
                needs=(Need("古装宫殿", 3),),
                cast=("A03",),
                extra={"platform": "快手"},
            ),
            Title(
                "T03",
                "重生之我是大老板",
                "都市",
                1,
                date(2026, 12, 3),
                date(2026, 12, 14),
                needs=(Need("办公室", 1), Need("别墅", 2)),
                cast=("A02",),
                extra={"platform": "抖音"},
            ),
            Title(
                "T04",
                "闪婚后傅少宠上天",
                "甜宠",
                2,
                date(2026, 12, 5),
                date(2026, 12, 14),
                needs=(Need("办公室", 2),),
                extra={"platform": ""},
            ),
        ),
        unavailable=(
            Unavailability("actor", "A01", date(2026, 12, 8), date(2026, 12, 9), note="请假"),
        ),
        travel=(Travel("郑州", "开封", 2),),
        pins=(Pin("T02", start_date=date(2026, 12, 2), base_id="B02"),),
        targets=Targets(parallel_shoots_per_day=2, titles_per_month=8),
    )
