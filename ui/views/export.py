"""导出 Export: the plan as CSV and .xlsx, per-crew daily schedules, per-base booking sheets,
call sheets (通告单) and the actors' Day-out-of-Days (演员日程表).

Every file is made on click as the signed-in user (:func:`ui.downloads.download_button`: role
checked, one 下载 download row in the audit trail). A base manager gets the booking sheets of
their own bases only; the files that span every base are neither offered to them nor made
for them (:mod:`scheduler.app.visibility`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from scheduler.app import call_sheet_files, call_sheet_pdf, call_sheets, dood, exports
from scheduler.app import visibility as v
from scheduler.app.text import markdown_text as md
from ui.current import require_plan, user
from ui.downloads import Contents, download_button

st.title("导出 Export")
current, chosen = require_plan()

scenario, plan, kpis = current.scenario, chosen.plan, chosen.kpis
plan_id = chosen.info.plan_id
scenario_name = current.info.name
account = user()
whole_plan = v.sees_whole_plan(account, scenario, plan)


def name(what: str, extension: str) -> str:
    return exports.file_name(scenario_name, what, plan_id, extension, chosen.info.created_at)


def offer(
    container: Any, label: str, make: Callable[[], Contents], file_name: str, **options: Any
) -> None:
    """A download of this plan, made on click (so the page stays quick), checked and audited."""
    download_button(
        label,
        make,
        file_name=file_name,
        scenario_id=current.info.scenario_id,
        scenario_version=chosen.info.scenario_version,
        plan_id=plan_id,
        container=container,
        **options,
    )


def spanning(what: str, make: Callable[[], Contents]) -> Callable[[], Contents]:
    """``make``, refused on the server for an account that may not see every base."""
    return v.whole_plan_only(account, scenario, plan, what, make)


def plan_files() -> None:
    """plan.csv, unscheduled.csv and the plan workbook."""
    st.subheader("排期方案 The plan")
    st.caption(
        f"{len(plan.shoots)} 场拍摄 shoots · {len(plan.unscheduled)} 部未排 unscheduled。"
        " plan.csv / unscheduled.csv 按 SPEC 的列（文件名带场景、方案号和日期；"
        "改回 plan.csv 后可用 `python -m scheduler check` 检查）。"
    )
    plan_csv, unscheduled_csv, plan_xlsx = st.columns(3)
    offer(
        plan_csv,
        "plan.csv",
        spanning("plan.csv", partial(exports.plan_csv, plan)),
        name("plan", "csv"),
        mime=exports.CSV_MIME,
        key="dl_plan_csv",
    )
    offer(
        unscheduled_csv,
        "unscheduled.csv",
        spanning("unscheduled.csv", partial(exports.unscheduled_csv, plan)),
        name("unscheduled", "csv"),
        mime=exports.CSV_MIME,
        key="dl_unscheduled_csv",
    )
    offer(
        plan_xlsx,
        "排期 plan .xlsx（排期 / 未排 / KPI）",
        spanning("排期 plan .xlsx", partial(exports.plan_workbook, scenario, plan, kpis, plan_id)),
        name("排期", "xlsx"),
        mime=exports.XLSX_MIME,
        key="dl_plan_xlsx",
    )


def crew_schedules() -> None:
    """One crew's days (preview and .csv), and every crew's in one workbook."""
    st.subheader("剧组日程 Crew daily schedules")
    schedule = exports.crew_schedule(scenario, plan)
    crews = {crew.crew_id: f"{crew.name}（{crew.crew_id}）" for crew in scenario.crews}
    crew_id = st.selectbox(
        "剧组 Crew", list(crews), format_func=crews.__getitem__, key="export_crew"
    )
    st.dataframe(schedule[schedule["剧组编号 crew id"] == crew_id], hide_index=True)
    one_crew, all_crews = st.columns(2)
    offer(
        one_crew,
        f"{crews[crew_id]} 日程 .csv",
        spanning(
            "剧组日程 crew schedule", partial(exports.crew_schedule_csv, scenario, plan, crew_id)
        ),
        name(f"剧组日程_{crew_id}", "csv"),
        mime=exports.CSV_MIME,
        key="dl_crew_csv",
    )
    offer(
        all_crews,
        "全部剧组日程 all crews .xlsx（每个剧组一页 a sheet per crew）",
        spanning(
            "剧组日程 crew schedules",
            partial(exports.crew_schedule_workbook, scenario, plan, plan_id),
        ),
        name("剧组日程", "xlsx"),
        mime=exports.XLSX_MIME,
        key="dl_crews_xlsx",
    )


def booking_sheets() -> None:
    """The booking sheets (排期表) of the bases whose bookings the user sees."""
    st.subheader("基地排期表 Base booking sheets")
    seen = v.visible_bases(account, scenario)
    if not seen:
        st.info(
            f"这个场景里没有你的基地（{'、'.join(account.bases) or '—'}）。"
            " / None of your bases is in this scenario."
        )
        return
    bases = {b.base_id: f"{b.name}（{b.base_id}）" for b in scenario.bases if b.base_id in seen}
    base_id = st.selectbox(
        "基地 Base", list(bases), format_func=bases.__getitem__, key="export_base"
    )
    st.dataframe(v.booking_sheet(account, scenario, plan, base_id), hide_index=True)
    one_base, all_bases = st.columns(2)
    offer(
        one_base,
        f"{bases[base_id]} 排期表 .xlsx",
        partial(v.booking_workbook, account, scenario, plan, [base_id], plan_id),
        name(f"排期表_{base_id}", "xlsx"),
        mime=exports.XLSX_MIME,
        key="dl_base_xlsx",
    )
    every = "全部基地排期表 all bases" if whole_plan else "我的全部基地排期表 all my bases"
    offer(
        all_bases,
        f"{every} .xlsx（每个基地一页 a sheet per base）",
        partial(v.booking_workbook, account, scenario, plan, list(seen), plan_id),
        name("排期表", "xlsx"),
        mime=exports.XLSX_MIME,
        key="dl_bases_xlsx",
    )


def call_sheet_downloads() -> None:
    """One crew's call sheet of a day (.xlsx, PDF), and the day's for every crew (.zip)."""
    st.subheader("通告单 Call sheets")
    shoot_dates = call_sheets.shoot_dates(plan)
    font_problem = call_sheet_pdf.font_problem()
    if font_problem:
        st.warning(md(font_problem))
    if not shoot_dates:
        st.info("本方案没有拍摄 / the plan has no shoots")
        return
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
        return
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
        return
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
    offer(
        sheet_xlsx,
        "通告单 .xlsx",
        spanning(
            "通告单 call sheet", partial(call_sheet_files.call_sheet_workbook, sheet, plan_id)
        ),
        call_sheet_files.call_sheet_file_name(sheet, plan_id, "xlsx"),
        mime=call_sheet_files.XLSX_MIME,
        key="dl_call_sheet_xlsx",
    )
    pdfs = (
        (
            sheet_pdf,
            "通告单 .pdf",
            partial(call_sheet_files.call_sheet_pdf, sheet, plan_id),
            call_sheet_files.call_sheet_file_name(sheet, plan_id, "pdf"),
            call_sheet_files.PDF_MIME,
            "dl_call_sheet_pdf",
        ),
        (
            day_zip,
            "下载当天全部剧组通告单 (.zip)",
            partial(call_sheet_files.day_zip, scenario, plan, when, plan_id),
            call_sheet_files.day_zip_name(scenario, plan_id, when),
            call_sheet_files.ZIP_MIME,
            "dl_call_sheets_zip",
        ),
    )
    for column, label, make, file_name, mime, key in pdfs:
        if font_problem is None:
            offer(
                column, label, spanning("通告单 call sheets", make), file_name, mime=mime, key=key
            )
        else:  # no CJK font on the server: the PDF cannot be made
            column.button(label, disabled=True, key=key, help=font_problem)


def actor_days() -> None:
    """The actors' Day-out-of-Days: totals, by title, by actor, and the workbook."""
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
    offer(
        None,
        "演员日程表 DOOD .xlsx（按剧目 / 按演员 / 图例）",
        spanning("演员日程表 DOOD", partial(dood.dood_workbook, scenario, plan, plan_id)),
        name("演员日程表DOOD", "xlsx"),
        mime=exports.XLSX_MIME,
        key="dl_dood_xlsx",
    )


if not whole_plan:
    st.info(
        f"基地负责人只能下载自己基地（{'、'.join(account.bases)}）的排期表；方案全表、未排清单、"
        "剧组日程、通告单和演员日程表跨越所有基地，不提供。"
        " / A base manager gets their own bases' booking sheets only: files spanning"
        " every base are not offered."
    )
if whole_plan:
    plan_files()
    crew_schedules()
booking_sheets()
if whole_plan:
    call_sheet_downloads()
    actor_days()
