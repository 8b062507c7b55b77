"""导出 Export: the plan as CSV and .xlsx, per-crew daily schedules and per-base booking sheets."""

from __future__ import annotations

from functools import partial

import streamlit as st

from scheduler.app import exports
from ui.current import require_plan

st.title("导出 Export")
current, chosen = require_plan()

scenario, plan, kpis = current.scenario, chosen.plan, chosen.kpis
plan_id = chosen.info.plan_id
scenario_name = current.info.name


def name(what: str, extension: str) -> str:
    return exports.file_name(scenario_name, what, plan_id, extension, chosen.info.created_at)


# Workbooks are built when the button is pressed (a callable), so the page stays quick.
st.subheader("排期方案 The plan")
st.caption(
    f"{len(plan.shoots)} 场拍摄 shoots · {len(plan.unscheduled)} 部未排 unscheduled。"
    " plan.csv / unscheduled.csv 按 SPEC 的列（文件名带场景、方案号和日期；"
    "改回 plan.csv 后可用 `python -m scheduler check` 检查）。"
)
plan_csv, unscheduled_csv, plan_xlsx = st.columns(3)
plan_csv.download_button(
    "plan.csv",
    exports.plan_csv(plan),
    file_name=name("plan", "csv"),
    mime=exports.CSV_MIME,
    on_click="ignore",
    key="dl_plan_csv",
)
unscheduled_csv.download_button(
    "unscheduled.csv",
    exports.unscheduled_csv(plan),
    file_name=name("unscheduled", "csv"),
    mime=exports.CSV_MIME,
    on_click="ignore",
    key="dl_unscheduled_csv",
)
plan_xlsx.download_button(
    "排期 plan .xlsx（排期 / 未排 / KPI）",
    partial(exports.plan_workbook, scenario, plan, kpis, plan_id),
    file_name=name("排期", "xlsx"),
    mime=exports.XLSX_MIME,
    on_click="ignore",
    key="dl_plan_xlsx",
)

st.subheader("剧组日程 Crew daily schedules")
schedule = exports.crew_schedule(scenario, plan)
crews = {crew.crew_id: f"{crew.name}（{crew.crew_id}）" for crew in scenario.crews}
crew_id = st.selectbox("剧组 Crew", list(crews), format_func=crews.__getitem__, key="export_crew")
st.dataframe(schedule[schedule["剧组编号 crew id"] == crew_id], hide_index=True)
one_crew, all_crews = st.columns(2)
one_crew.download_button(
    f"{crews[crew_id]} 日程 .csv",
    partial(exports.crew_schedule_csv, scenario, plan, crew_id),
    file_name=name(f"剧组日程_{crew_id}", "csv"),
    mime=exports.CSV_MIME,
    on_click="ignore",
    key="dl_crew_csv",
)
all_crews.download_button(
    "全部剧组日程 all crews .xlsx（每个剧组一页 a sheet per crew）",
    partial(exports.crew_schedule_workbook, scenario, plan, plan_id),
    file_name=name("剧组日程", "xlsx"),
    mime=exports.XLSX_MIME,
    on_click="ignore",
    key="dl_crews_xlsx",
)

st.subheader("基地排期表 Base booking sheets")
bases = {base.base_id: f"{base.name}（{base.base_id}）" for base in scenario.bases}
base_id = st.selectbox("基地 Base", list(bases), format_func=bases.__getitem__, key="export_base")
st.dataframe(exports.booking_sheet(scenario, plan, base_id), hide_index=True)
one_base, all_bases = st.columns(2)
one_base.download_button(
    f"{bases[base_id]} 排期表 .xlsx",
    partial(exports.booking_workbook, scenario, plan, [base_id], plan_id),
    file_name=name(f"排期表_{base_id}", "xlsx"),
    mime=exports.XLSX_MIME,
    on_click="ignore",
    key="dl_base_xlsx",
)
all_bases.download_button(
    "全部基地排期表 all bases .xlsx（每个基地一页 a sheet per base）",
    partial(exports.booking_workbook, scenario, plan, plan_id=plan_id),
    file_name=name("排期表", "xlsx"),
    mime=exports.XLSX_MIME,
    on_click="ignore",
    key="dl_bases_xlsx",
)
