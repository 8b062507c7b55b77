"""Names are text on screen: a scenario named with Markdown, KaTeX, a colour directive and an
image shows literally on the Scenarios and What-if pages (no image fetched), through one
escaping function, scheduler.app.text.markdown_text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from scheduler.app.text import markdown_text
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import (
    open_page,
    tutorial_db,  # noqa: F401  (fixture)
)

EVIL = "**粗体** $x^2$ :red[红] ![px](http://127.0.0.1:9/p.png)"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("教程：两个基地一周", "教程：两个基地一周"),  # kept: Chinese punctuation untouched
        ("T01 剧组", "T01 剧组"),
        ("**粗体**", r"\*\*粗体\*\*"),  # broken: each mark escaped
        ("$x^2$", r"\$x\^2\$"),
        (":red[红]", r"\:red\[红\]"),
        ("![px](http://a/p.png)", r"\!\[px\]\(http\://a/p\.png\)"),
        ("<img src=x>", r"\<img src\=x\>"),
        ("# 标题\n- 列表", r"\# 标题 \- 列表"),
        ("a\\b", r"a\\b"),
    ],
)
def test_markdown_text_escapes_what_markdown_reads(text: str, shown: str) -> None:
    assert markdown_text(text) == shown


def bodies(app: AppTest) -> list[str]:
    found = []
    for kind in ("markdown", "caption", "success", "error", "warning", "info"):
        found.extend(str(element.value) for element in getattr(app, kind))
    return found


def unescaped_image(text: str) -> bool:
    return "![" in text.replace("\\![", "").replace("\\!\\[", "")


def test_a_markdown_scenario_name_shows_literally(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],  # noqa: F811
) -> None:
    store, info = tutorial_db
    scenario, _ = store.load(info.scenario_id)
    evil = store.create(replace(scenario, name=EVIL))
    app = open_page(evil, "scenarios.py")
    assert not app.exception, [e.value for e in app.exception]
    shown = bodies(app)
    assert any(markdown_text(EVIL) in body for body in shown), shown
    assert not any(unescaped_image(body) for body in shown), shown
