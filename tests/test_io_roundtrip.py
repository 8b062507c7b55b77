"""Round trips: a scenario written as CSV or .xlsx and read back is the same scenario."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from factories import tiny_scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
)
from scheduler.io.tables import SHEETS, read_tables, write_scenario, write_tables
from scheduler.io.validation import load_scenario

SHEET_FILES = ["scenario.toml", *(f"{spec.name}.csv" for spec in SHEETS)]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- the tiny scenario ------------------------------------------------------------------


def test_csv_folder_round_trip(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "tiny")
    assert load_scenario(tmp_path / "tiny") == tiny_scenario()


def test_workbook_round_trip(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "tiny.xlsx")
    assert load_scenario(tmp_path / "tiny.xlsx") == tiny_scenario()


def test_csv_to_workbook_to_csv_keeps_every_byte(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "first")
    write_tables(read_tables(tmp_path / "first"), tmp_path / "tiny.xlsx")
    write_tables(read_tables(tmp_path / "tiny.xlsx"), tmp_path / "second")
    first = folder_bytes(tmp_path / "first")
    assert sorted(first) == sorted(SHEET_FILES)
    assert folder_bytes(tmp_path / "second") == first


def test_unknown_columns_survive_both_formats(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    write_scenario(tiny_scenario(), folder)
    # A producer's own columns: one in the middle of bases.csv, one at the end of sets.csv.
    bases = folder / "bases.csv"
    bases.write_text(
        "base_id,name,联系人,city,max_crews\n"
        "B01,郑州影视基地,赵经理,郑州,2\n"
        "B02,开封清明上河园基地,,开封,\n",
        encoding="utf-8",
    )
    sets = folder / "sets.csv"
    lines = sets.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",面积㎡", *(line + f",{100 * n}" for n, line in enumerate(lines[1:], 1))]
    sets.write_text("\n".join(lines) + "\n", encoding="utf-8")

    scenario = load_scenario(folder)
    assert scenario.bases[0].extra == {"联系人": "赵经理"}
    assert scenario.bases[1].extra == {"联系人": ""}
    assert [film_set.extra["面积㎡"] for film_set in scenario.sets] == ["100", "200", "300", "400"]

    # Raw sheets keep the column where it stood, through a workbook and back.
    write_tables(read_tables(folder), tmp_path / "copy.xlsx")
    write_tables(read_tables(tmp_path / "copy.xlsx"), tmp_path / "copy")
    assert folder_bytes(tmp_path / "copy") == folder_bytes(folder)

    # The scenario keeps the values (extra columns are written after the known ones).
    write_scenario(scenario, tmp_path / "again.xlsx")
    assert load_scenario(tmp_path / "again.xlsx") == scenario


def test_extra_settings_with_lists_survive_both_formats(tmp_path: Path) -> None:
    # TOML allows arrays in scenario.toml; the workbook keeps them as TOML text.
    scenario = replace(tiny_scenario(), settings_extra={"标签": ["甲", "乙"], "版本": 3})
    for target in (tmp_path / "folder", tmp_path / "book.xlsx"):
        write_scenario(scenario, target)
        assert load_scenario(target) == scenario


def test_csv_files_with_a_byte_order_mark_read(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    write_scenario(tiny_scenario(), folder)
    for path in folder.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as Excel's "CSV UTF-8" saves
    assert load_scenario(folder) == tiny_scenario()


# -- random small scenarios ---------------------------------------------------------------

HANZI = (
    "张王李刘陈杨赵黄周吴郑州开封洛阳影视基地城宫殿别墅总裁新娘重生穿越凤鸣九天闪婚傅少宠甜大老板"
)
SET_TYPES = ("办公室", "别墅", "医院", "古装宫殿", "街道", "学校")
GENRES = ("都市", "甜宠", "古装", "悬疑", "战神")
EXTRA_COLUMNS = ("备注", "联系人", "platform")

names = st.text(alphabet=HANZI + " ·", min_size=1, max_size=8).map(str.strip).filter(bool)
notes = st.text(alphabet=HANZI + " ", max_size=6).map(str.strip)
day_rates = st.integers(0, 30_000)


def ids(prefix: str, min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    """Unique ids such as ``基地3`` or ``棚郑A``: a prefix and any short text, not only digits."""
    one = st.text(alphabet=HANZI + "0123456789ABC-_", min_size=1, max_size=3).map(
        lambda text: prefix + text
    )
    return st.lists(one, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def extras(draw: st.DrawFn, count: int) -> list[dict[str, str]]:
    """Extra columns of one sheet: the same columns on every row, values may be blank."""
    columns = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), max_size=2, unique=True))
    return [{column: draw(notes) for column in columns} for _ in range(count)]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario with Chinese names and ids, and some unknown columns."""
    start = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
    days = draw(st.integers(1, 60))

    def some_date() -> date:
        return start + timedelta(days=draw(st.integers(-10, 70)))

    cities = draw(
        st.lists(
            st.sampled_from(("郑州", "开封", "洛阳", "横店")), min_size=1, max_size=3, unique=True
        )
    )
    base_ids = draw(ids("基地", 1, 3))
    base_extra = draw(extras(len(base_ids)))
    bases = tuple(
        Base(
            base_id,
            draw(names),
            draw(st.sampled_from(cities)),
            draw(st.none() | st.integers(1, 5)),
            extra,
        )
        for base_id, extra in zip(base_ids, base_extra, strict=True)
    )

    set_ids = draw(ids("棚", 1, 6))
    set_extra = draw(extras(len(set_ids)))
    sets = tuple(
        FilmSet(
            set_id,
            draw(st.sampled_from(base_ids)),
            draw(st.sampled_from(SET_TYPES)),
            draw(day_rates),
            extra,
        )
        for set_id, extra in zip(set_ids, set_extra, strict=True)
    )
    present_types = sorted({film_set.set_type for film_set in sets})

    crew_ids = draw(ids("组", 1, 3))
    crews = tuple(
        Crew(
            crew_id,
            draw(names) + "剧组",
            draw(st.sampled_from(base_ids)),
            draw(day_rates),
            genres=tuple(draw(st.lists(st.sampled_from(GENRES), max_size=3, unique=True))),
            max_days_in_row=draw(st.none() | st.integers(1, 7)),
        )
        for crew_id in crew_ids
    )

    actor_ids = draw(ids("演员", 0, 4))
    actors = tuple(Actor(actor_id, draw(names), draw(day_rates)) for actor_id in actor_ids)

    title_ids = draw(ids("剧", 1, 5))
    title_extra = draw(extras(len(title_ids)))
    need_columns = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), max_size=1, unique=True))
    titles = []
    for title_id, extra in zip(title_ids, title_extra, strict=True):
        earliest = some_date()
        types = draw(st.lists(st.sampled_from(present_types), min_size=1, unique=True))
        cast = draw(st.lists(st.sampled_from(actor_ids), unique=True)) if actor_ids else []
        needs = tuple(
            Need(
                set_type, draw(st.integers(1, 5)), {column: draw(notes) for column in need_columns}
            )
            for set_type in types
        )
        titles.append(
            Title(
                title_id,
                draw(names),
                draw(st.sampled_from(GENRES)),
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
                draw(notes),
            )
        )

    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(cities), st.sampled_from(cities)), max_size=3, unique=True
        )
    )
    travel = tuple(Travel(a, b, draw(st.integers(0, 3))) for a, b in pairs)

    pinned = draw(st.lists(st.sampled_from(title_ids), max_size=2, unique=True))
    pins = tuple(
        Pin(
            title_id,
            draw(st.none() | st.just(some_date())),
            draw(st.none() | st.sampled_from(base_ids)),
            draw(st.none() | st.sampled_from(crew_ids)),
        )
        for title_id in pinned
    )

    return Scenario(
        name=draw(names),
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
        settings_extra=draw(st.just({}) | st.builds(lambda note: {"备注": note}, names)),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_round_trip_through_csv_and_xlsx(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder, workbook = Path(temp) / "csv", Path(temp) / "scenario.xlsx"
        write_scenario(scenario, folder)
        assert load_scenario(folder) == scenario
        write_scenario(scenario, workbook)
        assert load_scenario(workbook) == scenario
        write_tables(read_tables(workbook), Path(temp) / "again")
        assert folder_bytes(Path(temp) / "again") == folder_bytes(folder)
