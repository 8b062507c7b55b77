"""审计 Audit trail: who did what and when, filtered, newest first, and its export.

Head only (制片主管); the exports are audited themselves (导出 export). The rows and the
files come from :mod:`scheduler.app.audit_view`.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from scheduler.app import audit_view as view
from scheduler.app.exports import CSV_MIME, XLSX_MIME
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Action
from scheduler.domain.local_time import display_timezone, local_today
from ui.current import user
from ui.downloads import download_button
from ui.resources import scenario_store

ANY = None  # the 全部 all choice of a picker

st.title("审计 Audit trail")
if not view.may_read(user()):
    st.error(view.NOT_PERMITTED_NOTE)
    st.stop()
store = scenario_store()
today = local_today()
first_default, last_default = view.default_days(today)

dates, outcome_column = st.columns([2, 1])
first_day, last_day = dates.columns(2)
first = first_day.date_input("从 From", value=first_default, key="audit_first_day")
last = last_day.date_input("到 To", value=last_default, key="audit_last_day")
outcome = outcome_column.radio(
    "结果 Result", list(view.Outcome), format_func=lambda o: o.value, key="audit_outcome"
)
in_days = view.AuditFilter(first_day=first, last_day=last)
problems = view.date_problems(in_days)
if problems:
    st.error("\n".join(md(problem) for problem in problems))
    st.stop()
events = view.events_in_days(store, in_days)

who_column, what_column = st.columns(2)
who = who_column.selectbox(
    "用户 User",
    [ANY, *view.user_options(store, events)],
    format_func=lambda name: "全部 all" if name is ANY else name,
    key="audit_user",
)
what = what_column.selectbox(
    "操作 Action",
    [ANY, *Action],
    format_func=lambda action: "全部 all" if action is ANY else view.action_label(action),
    key="audit_action",
)
chosen = view.AuditFilter(who, what, outcome or view.Outcome.ALL, first, last)
shown = view.filtered(events, chosen)

st.caption(
    f"共 {len(shown)} 条记录 rows · 最新在前 newest first · "
    f"时间为 times in {md(display_timezone())}"
)
st.dataframe(view.on_screen(view.audit_table(shown, view.scenario_names(store))), hide_index=True)

csv_column, xlsx_column = st.columns(2)
download_button(
    "导出 CSV Export",
    partial(view.export_csv, store, chosen),
    file_name=view.export_name(chosen, "csv", today),
    mime=CSV_MIME,
    action=Action.EXPORT,
    container=csv_column,
    key="audit_csv",
)
download_button(
    "导出 .xlsx Export",
    partial(view.export_workbook, store, chosen),
    file_name=view.export_name(chosen, "xlsx", today),
    mime=XLSX_MIME,
    action=Action.EXPORT,
    container=xlsx_column,
    key="audit_xlsx",
)
