"""The 排期 Plan page in Streamlit's AppTest, on the tutorial scenario in a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from scheduler.app.change_view import change_csv, change_file_name, change_table
from scheduler.app.plan_view import plan_name
from scheduler.app.support import open_store
from scheduler.domain.changes import Change, published_titles
from scheduler.domain.model import Scenario, Unavailability
from scheduler.io.validation import load_scenario
from scheduler.services.solve_jobs import forget_job, job_for
from scheduler.storage import ScenarioStore
from tests.factories import dec
from ui.current import PLAN_KEY

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "sample_data" / "tutorial"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScenarioStore]:
    """A database holding only the tutorial, so the app opens on it (and skips the month)."""
    url = f"sqlite:///{tmp_path}/t.db"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    store.create(load_scenario(TUTORIAL))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield store
    forget_job()
    st.cache_resource.clear()
    st.cache_data.clear()


def plan_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=30)
    at.switch_page("views/plan.py")
    at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str) -> Button:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0]


def solve(at: AppTest, store: ScenarioStore, seconds: int = 3) -> int:
    """Press Solve with a time limit, wait for the background job, rerun; the scenario id."""
    scenario_id = store.list()[0].scenario_id
    at.number_input(key=f"plan_time_limit_{scenario_id}").set_value(seconds)
    button(at, "开始排期 Solve").click()
    at.run()
    assert not at.exception, at.exception
    job = job_for(scenario_id)
    assert job is not None and job.time_limit == seconds
    assert job.wait(30)
    at.run()
    assert not at.exception, at.exception
    return scenario_id


def test_the_plan_page_loads_on_the_tutorial_without_a_plan(store: ScenarioStore) -> None:
    at = plan_page()
    assert at.title[0].value == "排期 Plan"
    assert any("还没有排期方案" in info.value for info in at.info)
    assert at.number_input[0].value == 30  # a week-long scenario: the default 30 s
    assert not at.get("plotly_chart")


def test_a_short_solve_runs_saves_a_plan_and_draws_its_charts(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    plans = store.list_plans(scenario_id)
    assert len(plans) == 1 and plans[0].status == "optimal"
    assert any(f"#{plans[0].plan_id}" in s.value for s in at.success)
    assert len(at.get("plotly_chart")) == 4  # crews, bases → sets, titles, actors
    assert [t.label for t in at.tabs] == [
        "剧组 Crews",
        "基地/场景 Bases → sets",
        "剧目 Titles",
        "演员 Actors",
    ]
    assert any("已排 scheduled 6/6" in m.value for m in at.markdown)
    # another rerun neither saves the plan again nor loses it
    at.run()
    assert len(store.list_plans(scenario_id)) == 1
    assert len(at.get("plotly_chart")) == 4


def test_filters_that_match_nothing_say_so(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    # 悬疑 (消失的新娘) is shot by 李导剧组 C2 only, so C1 and 悬疑 together match nothing
    at.multiselect(key=f"plan_crews_{scenario_id}").set_value(["C1"])
    at.multiselect(key=f"plan_genres_{scenario_id}").set_value(["悬疑"])
    at.run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert sum("没有符合筛选条件" in i.value for i in at.info) == 4


def test_a_pin_from_the_plan_is_saved_into_the_scenario(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    at.selectbox(key="plan_pin_title").set_value("T2")
    at.checkbox(key="pin_start").check()
    button(at, "钉住 Pin").click()
    at.run()
    assert not at.exception, at.exception
    scenario, version = store.load(scenario_id)
    assert version == 2
    pin = scenario.pin_by_title["T2"]
    assert (pin.crew_id, pin.base_id, pin.start_date) == ("C1", "B2", scenario.date_of(1))
    assert any("已钉住" in s.value for s in at.success)


def test_a_pin_on_a_stale_scenario_is_refused(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    at.selectbox(key="plan_pin_title").set_value("T2")
    at.run()
    real_save = ScenarioStore.save

    def someone_saves_first(
        self: ScenarioStore, scenario_id: int, scenario: Scenario, expected_version: int
    ) -> int:
        # another producer saves between this page's load and its save
        theirs, version = self.load(scenario_id)
        real_save(self, scenario_id, theirs, version)
        return real_save(self, scenario_id, scenario, expected_version)

    monkeypatch.setattr(ScenarioStore, "save", someone_saves_first)
    button(at, "钉住 Pin").click()
    at.run()
    assert not at.exception, at.exception
    assert any("版本" in e.value and "nothing was saved" in e.value for e in at.error)
    scenario, version = store.load(scenario_id)
    assert version == 2 and scenario.pins == ()  # their save stands; the pin was not written


def test_without_a_stored_plan_there_is_nothing_to_revise(store: ScenarioStore) -> None:
    at = plan_page()
    assert not [r for r in at.radio if r.label == "方式 Mode"]


def test_revise_mode_hands_the_stored_plan_to_the_solve(store: ScenarioStore) -> None:
    # After one plan is stored, "revise" solves again keeping what still works: the
    # job carries that plan, the solver says it revised, and a second plan is stored.
    at = plan_page()
    scenario_id = solve(at, store)
    first = store.list_plans(scenario_id)[0]
    at.run()  # the page's next run offers the stored plan (the live page reruns by itself)
    at.radio(key=f"plan_mode_{scenario_id}").set_value("revise")
    at.run()
    assert at.selectbox(key=f"plan_reference_{scenario_id}").value == first.plan_id
    solve(at, store)
    job = job_for(scenario_id)
    assert job is not None and job.reference is not None
    assert job.outcome is not None and job.outcome.ok
    assert any(line.startswith("[") and "revise:" in line for line in job.outcome.result.log)
    assert len(store.list_plans(scenario_id)) == 2
    first_label, second_label = (info.label for info in store.list_plans(scenario_id))
    assert first_label.startswith("全新排期 fresh · 场景 v1 · ")
    assert second_label.startswith("修改 revised · 场景 v1 · ")
    assert first_label.endswith(" · 3s") and second_label.endswith(" · 3s")


def test_a_plan_name_says_how_it_was_made_for_which_version_and_when() -> None:
    made = datetime(2026, 12, 3, 1, 14, tzinfo=UTC)  # 09:14 in Beijing
    assert plan_name("revised", 3, made, 30.0) == "修改 revised · 场景 v3 · 12-03 09:14 · 30s"
    assert plan_name("fresh", 1, made, 7.5, stopped=True) == (
        "全新排期 fresh · 场景 v1 · 12-03 09:14 · 7.5s · 已停止 stopped"
    )


STALE = "此方案是按场景版本"


def test_a_plan_of_the_current_version_shows_no_version_warning(store: ScenarioStore) -> None:
    at = plan_page()
    solve(at, store)
    assert not [w for w in at.warning if STALE in w.value]


def test_a_plan_made_for_an_older_version_is_warned_about(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    scenario, version = store.load(scenario_id)
    store.save(scenario_id, replace(scenario, name="教程 改过"), version)  # v2, e.g. an outage
    at.run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning if STALE in w.value]
    assert len(warnings) == 1
    assert "v1" in warnings[0] and "当前场景已是 v2" in warnings[0]
    assert warnings[0].index("此方案") < warnings[0].index("This plan")  # Chinese first


def test_a_saved_message_shows_only_with_its_plan(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    first = store.list_plans(scenario_id)[0].plan_id
    solve(at, store)
    second = store.list_plans(scenario_id)[-1].plan_id
    assert any(f"#{second}" in s.value for s in at.success)  # the new plan is shown
    at.selectbox(key=PLAN_KEY).set_value(first).run()
    assert not at.exception, at.exception
    assert not [s for s in at.success if "已保存为方案" in s.value]
    at.selectbox(key=PLAN_KEY).set_value(second).run()
    assert any(f"已保存为方案 #{second}" in s.value for s in at.success)


def test_the_time_limit_is_kept_across_pages(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = store.list()[0].scenario_id
    at.number_input(key=f"plan_time_limit_{scenario_id}").set_value(7).run()
    at.switch_page("views/scenarios.py").run()
    assert not at.exception, at.exception
    at.switch_page("views/plan.py").run()
    assert not at.exception, at.exception
    assert at.number_input(key=f"plan_time_limit_{scenario_id}").value == 7


# -- publishing and the change list -------------------------------------------------


def publish_shown(at: AppTest, scenario_id: int, until: date, who: str) -> None:
    """Set the publish date and name, press 发布 for the plan shown, rerun."""
    at.date_input(key=f"plan_publish_until_{scenario_id}").set_value(until)
    at.text_input(key="plan_publish_who").set_value(who)
    at.button(key="plan_publish").click()
    at.run()
    assert not at.exception, at.exception


def test_the_publish_control_publishes_the_plan_shown_and_says_so(store: ScenarioStore) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    assert any("尚未发布" in c.value for c in at.caption)
    plan_id = store.list_plans(scenario_id)[0].plan_id
    plan = store.load_plan(plan_id)[0]

    publish_shown(at, scenario_id, dec(3), "张三")

    (publication,) = store.list_publications(scenario_id)
    assert (publication.plan_id, publication.until, publication.published_by) == (
        plan_id,
        dec(3),
        "张三",
    )
    titles = len(published_titles(plan, dec(3)))
    assert publication.title_count == titles
    line = next(i.value for i in at.info if "已发布至" in i.value)
    assert line.startswith(f"已发布至 12-03 · 方案 #{plan_id} · 由 张三 于 ")
    assert line.endswith(f" 发布 · {titles} 部剧")
    assert any(f"已发布至 12-03：{titles} 部剧" in s.value for s in at.success)
    # the name typed is kept while other pages run
    at.switch_page("views/scenarios.py").run()
    at.switch_page("views/plan.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key="plan_publish_who").value == "张三"


def test_a_plan_of_an_older_version_is_not_published_from_the_page(
    store: ScenarioStore,
) -> None:
    at = plan_page()
    scenario_id = solve(at, store)
    scenario, version = store.load(scenario_id)
    store.save(scenario_id, replace(scenario, name="教程 改过"), version)  # v2
    at.run()

    publish_shown(at, scenario_id, dec(3), "张三")

    assert store.list_publications(scenario_id) == []
    assert any("场景版本 v1 排出的，当前已是 v2" in e.value for e in at.error)
    assert not [i for i in at.info if "已发布至" in i.value]


def test_a_revised_plan_shows_its_change_list_with_published_titles_for_approval(
    store: ScenarioStore,
) -> None:
    # Publish the first week's start, then take the actor of a published title off on
    # that title's first day and revise: the new plan's 变更单 lists that title for
    # approval, and belongs to the new plan only (a fresh plan has none).
    at = plan_page()
    scenario_id = solve(at, store)
    first = store.list_plans(scenario_id)[0].plan_id
    assert not [h for h in at.subheader if "变更单" in h.value]
    publish_shown(at, scenario_id, dec(3), "张三")
    plan = store.load_plan(first)[0]
    scenario, version = store.load(scenario_id)
    title_id = max(published_titles(plan, dec(3)))
    shoot = plan.shoots_of(title_id)[0]
    actor = scenario.title_by_id[title_id].cast[0]
    off = Unavailability("actor", actor, shoot.date, shoot.date, "请假")
    store.save(scenario_id, replace(scenario, unavailable=(off,)), version)
    at.run()
    at.radio(key=f"plan_mode_{scenario_id}").set_value("revise").run()

    solve(at, store)

    second = store.list_plans(scenario_id)[-1].plan_id
    changes = store.load_changes(second)
    assert changes and any(
        c.title_id == title_id and c.why.startswith("已发布，需审批") for c in changes
    )
    assert any(h.value == f"变更单 Change list（{len(changes)}）" for h in at.subheader)
    table = at.table[0].value
    assert list(table.columns) == ["剧目", "变更", "原安排", "新安排", "原因"]
    assert table.equals(change_table(scenario, changes))
    assert any("需审批" in c.value for c in at.caption)
    (download,) = at.get("download_button")
    assert "变更单" in download.proto.label
    # a new session (a page reload) still shows it with the plan; the fresh plan has none
    again = plan_page()
    assert any(h.value.startswith("变更单") for h in again.subheader)
    again.selectbox(key=PLAN_KEY).set_value(first).run()
    assert not again.exception, again.exception
    assert not [h for h in again.subheader if "变更单" in h.value]


def test_the_change_list_downloads_as_csv_that_excel_reads_in_chinese(
    tutorial: Scenario,
) -> None:
    moved = Change("T1", "日期 days", "12-04–12-05 B1 C1", "12-05–12-06 B1 C1", "已发布，需审批")
    changes = [moved]
    data = change_csv(tutorial, changes)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel looks for
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "剧目,变更,原安排,新安排,原因"
    assert lines[1].startswith("T1 闪婚后霸总他真香了,日期 days,12-04–12-05 B1 C1,")
    assert change_file_name(12) == "变更单_方案12.csv"


def test_the_plan_page_offers_the_rush_title_section_under_the_plan_shown(
    store: ScenarioStore,
) -> None:
    at = plan_page()
    assert "插单 Rush title" not in [h.value for h in at.subheader]  # no plan yet
    solve(at, store)
    assert "插单 Rush title" in [h.value for h in at.subheader]
    at.button(key="fit_find").click()
    at.run()
    assert not at.exception, at.exception
    # the tutorial's plan is full: each option drops one title, and its label says so
    options = at.radio(key="fit_pick").options
    assert len(options) == 5
    assert all("取消 1 部" in label and "挪动" not in label for label in options), options
