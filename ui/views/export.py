"""导出 Export: the plan as CSV and .xlsx, per-crew daily schedules, per-base booking sheets,
call sheets (通告单) and the actors' Day-out-of-Days (演员日程表)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from scheduler.app import call_sheet_files, call_sheet_pdf, call_sheets, dood, exports
from scheduler.app.text import markdown_text as md
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

st.subheader("通告单 Call sheets")
shoot_dates = call_sheets.shoot_dates(plan)
font_problem = call_sheet_pdf.font_problem()
if font_problem:
    st.warning(md(font_problem))
if not shoot_dates:
    st.info("本方案没有拍摄 / the plan has no shoots")
else:
    when = st.date_input(
        "日期 Date",
        value=shoot_dates[0],
        min_value=min(shoot_dates[0], scenario.start_date),
        max_value=max(shoot_dates[-1], scenario.end_date),
        key="call_sheet_date",
    )
    crews_today = call_sheets.crews_on(scenario, plan, when)
    if not crews_today:
        st.info(f"{when.isoformat()} 没有拍摄 / no shoots that day")
    else:
        crew_of_day = st.selectbox(
            "剧组 Crew",
            list(crews_today),
            format_func=crews_today.__getitem__,
            key="call_sheet_crew",
        )
        try:
            sheet = call_sheets.call_sheet(scenario, plan, crew_of_day, when)
        except ValueError as error:
            st.error(md(str(error)))
        else:
            st.caption(
                md(
                    f"{sheet.day_text} · {sheet.base_name} · {sheet.sets_text} · "
                    f"集合 {call_sheets.clock(sheet.crew_call)} · 开机 "
                    f"{call_sheets.clock(sheet.first_shot)} · "
                    f"预计收工 {call_sheets.clock(sheet.wrap)}"
                )
            )
            if sheet.has_scenes:
                st.dataframe(call_sheets.timetable_frame(sheet), hide_index=True)
            else:
                st.info(f"{call_sheets.NO_SCENES}：全组演员全天待拍")
            st.dataframe(call_sheets.cast_frame(sheet), hide_index=True)
            sheet_xlsx, sheet_pdf, day_zip = st.columns(3)
            sheet_xlsx.download_button(
                "通告单 .xlsx",
                partial(call_sheet_files.call_sheet_workbook, sheet, plan_id),
                file_name=call_sheet_files.call_sheet_file_name(sheet, plan_id, "xlsx"),
                mime=call_sheet_files.XLSX_MIME,
                on_click="ignore",
                key="dl_call_sheet_xlsx",
            )
            sheet_pdf.download_button(
                "通告单 .pdf",
                partial(call_sheet_files.call_sheet_pdf, sheet, plan_id),
                file_name=call_sheet_files.call_sheet_file_name(sheet, plan_id, "pdf"),
                mime=call_sheet_files.PDF_MIME,
                on_click="ignore",
                disabled=font_problem is not None,
                key="dl_call_sheet_pdf",
            )
            day_zip.download_button(
                "下载当天全部剧组通告单 (.zip)",
                partial(call_sheet_files.day_zip, scenario, plan, when, plan_id),
                file_name=call_sheet_files.day_zip_name(scenario, plan_id, when),
                mime=call_sheet_files.ZIP_MIME,
                on_click="ignore",
                disabled=font_problem is not None,
                key="dl_call_sheets_zip",
            )

st.subheader("演员日程表 DOOD（Day-out-of-Days）")
st.caption(dood.legend_text())
totals = dood.dood_totals(scenario, plan)
for column, (label, value) in zip(st.columns(len(totals)), totals.items(), strict=True):
    column.metric(label, f"{value:,}")
titles = dood.planned_titles(scenario, plan)
if titles:
    title_id = st.selectbox(
        "剧目 Title", list(titles), format_func=titles.__getitem__, key="dood_title"
    )
    st.dataframe(dood.title_dood(scenario, plan, title_id), hide_index=True)
st.markdown("**按演员 By actor**（跨剧目 across titles）")
st.dataframe(dood.actor_dood(scenario, plan), hide_index=True)
st.download_button(
    "演员日程表 DOOD .xlsx（按剧目 / 按演员 / 图例）",
    partial(dood.dood_workbook, scenario, plan, plan_id),
    file_name=name("演员日程表DOOD", "xlsx"),
    mime=exports.XLSX_MIME,
    on_click="ignore",
    key="dl_dood_xlsx",
)
