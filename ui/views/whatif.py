"""对比 What-if.

Two or more plans side by side: KPI deltas, changed titles, utilisation by base.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import compare
from scheduler.app.text import markdown_text as md
from ui import kpi_charts as charts
from ui.current import pick_scenario

st.title("对比 What-if")
current = pick_scenario()
if current is None:
    st.info("还没有场景：请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
    st.stop()

choices = compare.plan_choices(current.store)
if len(choices) < 2:
    st.info(
        "至少需要两个已保存的方案。做法：在「场景 Scenarios」页克隆场景，在「输入 Inputs」页改它"
        "（例如让一个剧组休三天），再在「排期 Plan」页为两个场景各排一次。"
        " / Compare needs two stored plans: clone the scenario, change the clone (a crew off for"
        " three days), and solve both on the Plan page."
    )
    st.stop()

by_id = {choice.plan.plan_id: choice for choice in choices}
picked_ids = st.multiselect(
    "方案 Plans（第一个为基准 the first is the reference）",
    list(by_id),
    default=[
        choice.plan.plan_id
        for choice in compare.default_choices(choices, current.info.scenario_id)
    ],
    format_func=lambda plan_id: by_id[plan_id].long_label,
    key="whatif_plans",
)
if len(picked_ids) < 2:
    st.info("请至少选两个方案 / choose at least two plans.")
    st.stop()

with st.spinner("读取方案 / loading the plans…"):
    compared = compare.load_compared(current.store, [by_id[i] for i in picked_ids])
named_kpis = {plan.name: plan.kpis for plan in compared}
reference = compared[0]

st.subheader("指标对比 KPIs side by side")
st.caption(f"Δ = 该方案 − 基准「{md(reference.name)}」 / Δ = plan minus the reference")
st.dataframe(charts.style_kpi_table(compare.compare_kpis(named_kpis)), hide_index=True)
target = reference.kpis.get("targets", {}).get("parallel_shoots_per_day")
st.plotly_chart(charts.parallel_compare_chart(compare.parallel_shoots_by_plan(named_kpis), target))

st.subheader("变动剧目 Changed titles")
others = {plan.name: plan for plan in compared[1:]}
other_name = (
    st.selectbox("与基准比较 Compare the reference with", list(others), key="whatif_other")
    if len(others) > 1
    else next(iter(others))
)
other = others[other_name]
changes = compare.changed_titles(reference.plan, other.plan, reference.scenario, other.scenario)
counts = compare.change_counts(changes)
for column, (kind, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(kind, count)
if changes.empty:
    st.success("两个方案的剧组、基地和日期完全相同 / same crews, bases and dates in both plans")
else:
    st.dataframe(changes, hide_index=True)

st.subheader("各基地场景利用率 Set utilisation by base (%)")
base_names = {b.base_id: b.name for plan in compared for b in plan.scenario.bases}
by_base = compare.utilisation_by_base_delta(named_kpis, base_names)
st.plotly_chart(
    charts.utilisation_delta_chart(by_base, [compare.delta_label(n) for n in list(named_kpis)[1:]])
)
st.dataframe(by_base, hide_index=True)
