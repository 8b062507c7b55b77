"""Figures as people count them: whole titles (halves up), shares with one decimal."""

from __future__ import annotations

import pytest

from scheduler.app.utilisation import kpi_cards
from scheduler.domain.figures import percent, titles, whole


@pytest.mark.parametrize(("value", "said"), [(421.94, 422), (439.5, 440), (440.5, 441), (0.4, 0)])
def test_titles_are_whole_with_halves_up(value: float, said: int) -> None:
    assert whole(value) == said  # round() would say 440 for 440.5 (to even)


def test_a_title_count_reads_as_people_write_it() -> None:
    assert titles(1234.4) == "1,234 部"


def test_a_share_has_one_decimal() -> None:
    assert percent(0.82349) == "82.3%"
    assert percent(1) == "100.0%"


def test_the_card_and_its_delta_say_the_same_whole_number() -> None:
    kpis = {"titles_per_30_days": 439.52, "targets": {"titles_per_month": 400}}
    card = next(c for c in kpi_cards(kpis) if c.label.startswith("每30天剧目"))
    assert (card.value, card.delta) == ("440", "+40 vs 目标 400")


def test_a_card_never_shows_a_fraction_of_a_title() -> None:
    kpis = {"titles_per_30_days": 421.94, "targets": {"titles_per_month": 400}}
    card = next(c for c in kpi_cards(kpis) if c.label.startswith("每30天剧目"))
    assert "." not in card.value and card.value == "422"
