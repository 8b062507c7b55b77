"""对比 What-if.

A reference plan and the plans compared with it: KPIs (value and Δ in one cell, short
plan names with a legend), the spread over seeds when the plans are runs of a sweep,
titles the what-if forced to move apart from reshuffles, utilisation by base.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import compare, sweep_results
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
first = compare.default_reference(choices, current.info.scenario_id)
assert first is not None  # there are plans
reference_id = st.selectbox(
    "基准方案 reference（默认：当前场景最新的方案 the current scenario's newest plan）",
    list(by_id),
    index=list(by_id).index(first.plan.plan_id),
    format_func=lambda plan_id: by_id[plan_id].long_label,
    key=f"whatif_reference_{current.info.scenario_id}",  # its own default per scenario
)
picked_ids = st.multiselect(
    "与基准比较的方案 Plans to compare with it（默认：其他场景各自最新的方案，最多 3 个）",
    [plan_id for plan_id in by_id if plan_id != reference_id],
    default=[c.plan.plan_id for c in compare.default_others(choices, by_id[reference_id])],
    format_func=lambda plan_id: by_id[plan_id].long_label,
    key=f"whatif_plans_{reference_id}",  # new defaults for each reference
)
if not picked_ids:
    st.info("请至少选一个方案与基准比较 / choose at least one plan to compare.")
    st.stop()

with st.spinner("读取方案 / loading the plans…"):
    compared = compare.load_compared(
        current.store, [by_id[i] for i in [reference_id, *picked_ids]]
    )
names = [plan.name for plan in compared]
short = compare.short_names(names)
named_kpis = {short[plan.name]: plan.kpis for plan in compared}
reference = compared[0]
shorts = list(named_kpis)

st.dataframe(compare.plan_legend(names), hide_index=True)

st.subheader("指标对比 KPIs side by side")
st.caption("每格：数值（与基准之差 Δ） / each cell: value (Δ = plan − reference)")
kpi_numbers = compare.compare_kpis(named_kpis)
st.dataframe(
    charts.style_compact_table(
        compare.compact(kpi_numbers, [compare.KPI_COLUMN], shorts), kpi_numbers
    ),
    hide_index=True,
    height="content",  # every KPI in view, no scrolling inside the table
)
target = reference.kpis.get("targets", {}).get("parallel_shoots_per_day")
st.plotly_chart(charts.parallel_compare_chart(compare.parallel_shoots_by_plan(named_kpis), target))

sweeps = sweep_results.sweeps_of(plan.kpis for plan in compared)
if not sweeps:
    st.caption(compare.SINGLE_SOLVE_NOTE)
else:
    st.subheader("按变体（多种子） by variant over seeds")
    all_kpis = current.store.plan_kpis(list(by_id))
    for sweep_id, sweep_name in sweeps.items():
        results = sweep_results.results_from_plans(
            all_kpis, sweep_id, sweep_results.variant_of(reference.kpis, sweep_id)
        )
        st.markdown(f"**{md(sweep_name)}** · 基准变体 reference variant：{md(results.reference)}")
        st.table(results.table(), hide_index=True)  # a static table wraps the verdict words
        st.markdown("\n".join(f"- {md(line)}" for line in results.sentences()))
        st.plotly_chart(results.figure(), key=f"whatif_sweep_{sweep_id}")

st.subheader("变动剧目 Changed titles")
others = {plan.name: plan for plan in compared[1:]}
other_name = (
    st.selectbox(
        "与基准比较 Compare the reference with",
        list(others),
        format_func=lambda name: f"{short[name]} · {name}",
        key="whatif_other",
    )
    if len(others) > 1
    else next(iter(others))
)
other = others[other_name]
changes = compare.what_if_changes(reference.plan, other.plan, reference.scenario, other.scenario)
counts = compare.what_if_counts(changes)
for column, (kind, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(kind, count)
st.caption(
    "必要变动：原安排在该方案的场景里违反规则（原因列出规则）；重排：原安排仍可行，求解器换了安排。"
    " / Forced: the reference placement breaks a rule of this plan's scenario (the rule is the"
    " reason); reshuffle: it still keeps every rule, the solver moved it anyway. "
    + compare.REVISE_NOTE
)
if changes.empty:
    st.success("两个方案的剧组、基地和日期完全相同 / same crews, bases and dates in both plans")
else:
    main, reshuffles = compare.split_reshuffles(changes)
    if not main.empty:
        st.dataframe(
            main,
            hide_index=True,
            column_config={compare.WHY_COLUMN: st.column_config.TextColumn(width="medium")},
        )
    if not reshuffles.empty:
        titles = counts[compare.RESHUFFLE]
        with st.expander(f"重排 reshuffles：{titles} 部剧目（求解器的选择 the solver's choice）"):
            st.dataframe(reshuffles, hide_index=True)

st.subheader("各基地场景利用率 Set utilisation by base (%)")
base_names = {b.base_id: b.name for plan in compared for b in plan.scenario.bases}
by_base = compare.utilisation_by_base_delta(named_kpis, base_names)
st.plotly_chart(
    charts.utilisation_delta_chart(by_base, [compare.delta_label(n) for n in shorts[1:]])
)
st.dataframe(
    charts.style_compact_table(
        compare.compact(by_base, [compare.BASE_ID_COLUMN, compare.BASE_COLUMN], shorts), by_base
    ),
    hide_index=True,
)
