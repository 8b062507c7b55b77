"""What an account may see of a plan (scheduler.app.visibility), in pairs: a base manager of
甲地 BJ sees who books BJ and only booked / free at 乙地 BY; a producer sees every base.

The office is :func:`tests.factories.base_manager_scenario`: 《甲地公开剧》 by 甲地张导组 at
BJ and 《乙地秘密剧》 by 乙地王导组 at BY, both on 12-01 … 12-02.
"""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
import pytest

from scheduler.app import base_view
from scheduler.app import visibility as v
from scheduler.app.exports import CLOSED_CELL, day_label
from scheduler.check.kpis import compute_kpis
from scheduler.domain.accounts import Account, Role
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.services.accounts import NotPermittedError
from tests.factories import base_manager_scenario, dec, outage

MANAGER = Account("甲地经理", Role.BASE_MANAGER, ("BJ",))
PRODUCER = Account("统筹小王", Role.PRODUCER)
OTHER_BASE = ("TYI7", "乙地秘密剧", "CYI7", "乙地王导组", "乙地秘密演员")
FIRST_DAY = day_label(dec(1))


@pytest.fixture
def office() -> tuple[Scenario, Plan]:
    return base_manager_scenario()


def book_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    return "\n".join([*book.sheetnames, *cells])


def test_a_base_manager_sees_their_own_bases_only(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    assert v.visible_bases(MANAGER, scenario) == ("BJ",)
    assert not v.sees_whole_plan(MANAGER, scenario, plan)


def test_a_producer_sees_every_base(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    assert v.visible_bases(PRODUCER, scenario) == ("BJ", "BY")
    assert v.sees_whole_plan(PRODUCER, scenario, plan)


def test_a_manager_of_every_base_sees_the_whole_plan(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    both = Account("两地经理", Role.BASE_MANAGER, ("BJ", "BY"))
    assert v.sees_whole_plan(both, scenario, plan)


def test_a_base_only_an_older_plan_books_is_not_the_managers(
    office: tuple[Scenario, Plan],
) -> None:
    # a plan made before base BZ was removed from the scenario still books it
    scenario, plan = office
    older = replace(plan, shoots=(*plan.shoots, Shoot("TLEFT7", dec(3), "BZ", "SZ1", "CJIA7")))
    both = Account("两地经理", Role.BASE_MANAGER, ("BJ", "BY"))
    assert v.plan_bases(scenario, older) == ("BJ", "BY", "BZ")
    assert not v.sees_whole_plan(both, scenario, older)


def test_the_grid_of_the_managers_base_names_who_books_it(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    grid = v.base_grid(MANAGER, scenario, plan, "BJ")
    booked = grid[grid["state"] == "booked"]
    assert set(booked["title"]) == {"甲地公开剧"}
    assert set(booked["crew"]) == {"甲地张导组"}
    assert set(booked["cast"]) == {"甲地演员"}


def test_the_grid_of_another_base_shows_booked_or_free_only(
    office: tuple[Scenario, Plan],
) -> None:
    scenario, plan = office
    grid = v.base_grid(MANAGER, scenario, plan, "BY")
    assert (grid["state"] == "booked").sum() == 2  # still booked on 12-01 and 12-02
    assert not grid[list(v.NAME_COLUMNS)].to_numpy().any()
    assert set(v.base_grid(PRODUCER, scenario, plan, "BY")["title"]) == {"", "乙地秘密剧"}


def test_a_booking_sheet_of_another_base_says_booked_not_who(
    office: tuple[Scenario, Plan],
) -> None:
    scenario, plan = office
    scenario = replace(scenario, unavailable=(outage("set", "SY1", 0),))
    sheet = v.booking_sheet(MANAGER, scenario, plan, "BY").set_index("场景 set")
    assert sheet.at["SY2", FIRST_DAY] == v.HIDDEN_BOOKING
    assert sheet.at["SY1", FIRST_DAY] == CLOSED_CELL  # closed stays closed
    assert sheet.at["SY2", day_label(dec(3))] == ""  # free stays free


def test_a_booking_sheet_of_the_managers_base_says_who(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    sheet = v.booking_sheet(MANAGER, scenario, plan, "BJ").set_index("场景 set")
    assert sheet.at["SJ1", FIRST_DAY] == "甲地公开剧 / 甲地张导组"
    other = v.booking_sheet(PRODUCER, scenario, plan, "BY").set_index("场景 set")
    assert other.at["SY2", FIRST_DAY] == "乙地秘密剧 / 乙地王导组"


def test_booking_workbooks_of_the_managers_bases_are_made(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    text = book_text(v.booking_workbook(MANAGER, scenario, plan))  # all the manager's bases
    assert "BJ 甲地影视基地" in text
    assert "甲地公开剧 / 甲地张导组" in text
    assert [name for name in OTHER_BASE if name in text] == []
    assert "乙地影视基地" not in text


def test_a_booking_workbook_of_another_base_is_refused(office: tuple[Scenario, Plan]) -> None:
    scenario, plan = office
    with pytest.raises(NotPermittedError, match="BY"):
        v.booking_workbook(MANAGER, scenario, plan, ["BJ", "BY"])
    assert "乙地秘密剧" in book_text(v.booking_workbook(PRODUCER, scenario, plan, ["BY"]))


def test_a_manager_of_no_base_here_gets_no_booking_workbook(
    office: tuple[Scenario, Plan],
) -> None:
    scenario, plan = office
    elsewhere = Account("外地经理", Role.BASE_MANAGER, ("B99",))
    with pytest.raises(NotPermittedError):
        v.booking_workbook(elsewhere, scenario, plan)


def test_crew_utilisation_lists_the_crews_at_the_managers_bases(
    office: tuple[Scenario, Plan],
) -> None:
    scenario, plan = office
    kpis = compute_kpis(scenario, plan, status="feasible", priority_bound=None, solve_seconds=0)
    assert list(v.crew_utilisation(MANAGER, scenario, plan, kpis)["crew_id"]) == ["CJIA7"]
    assert sorted(v.crew_utilisation(PRODUCER, scenario, plan, kpis)["crew_id"]) == [
        "CJIA7",
        "CYI7",
    ]


def test_a_file_of_the_whole_plan_is_refused_before_it_is_made(
    office: tuple[Scenario, Plan],
) -> None:
    scenario, plan = office
    made: list[str] = []

    def make() -> bytes:
        made.append("plan.csv")
        return b"title_id"

    with pytest.raises(NotPermittedError, match=r"plan\.csv"):
        v.whole_plan_only(MANAGER, scenario, plan, "plan.csv", make)()
    assert made == []
    assert v.whole_plan_only(PRODUCER, scenario, plan, "plan.csv", make)() == b"title_id"
    assert made == ["plan.csv"]


def test_the_base_page_heads_a_base_with_the_plans_figures(
    office: tuple[Scenario, Plan],
) -> None:
    scenario, plan = office
    kpis = compute_kpis(scenario, plan, status="feasible", priority_bound=None, solve_seconds=0)
    cards = {card.label: card.value for card in base_view.plan_cards(kpis, "BJ")}
    # BJ: 2 of 14 open set-days booked; both bases: 4 of 28
    assert cards == {
        "已排/未排 titles": "2 / 1",
        "拍摄场次 shoots": "4",
        "场景利用率 set utilisation": "14.3%",
        "本基地利用率 BJ utilisation": "14.3%",
    }
    unknown = {card.label: card.value for card in base_view.plan_cards(kpis, "B99")}
    assert unknown["本基地利用率 B99 utilisation"] == "–"
