"""基地视图 Base manager.

One base of the chosen plan, under the plan's headline figures, and one calendar week of
it: each set × day booked (by whom) or free, what is free by set type, and — from the
capacity report, when one was computed on 产能规划 — what the capacity bound could give up.
A base manager picks among their own bases only (:mod:`scheduler.app.visibility`). Shaped
by :mod:`scheduler.app.base_view`.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import base_view as b
from scheduler.app import utilisation as u
from scheduler.app import visibility as v
from scheduler.app.text import markdown_text as md
from scheduler.domain.local_time import local_today
from scheduler.services.capacity_jobs import last_report
from scheduler.services.capacity_report import IDLE_DIFFERENCE
from ui import kpi_charts as charts
from ui.current import require_plan, user

st.title("基地视图 Base manager")
current, chosen = require_plan()
scenario, plan = current.scenario, chosen.plan
if chosen.info.scenario_version != current.version:
    st.warning(
        f"此方案基于场景 v{chosen.info.scenario_version}，当前场景为 v{current.version}；"
        "下表按当前的基地和场景显示该方案的预订。"
        f" / This plan was made for version {chosen.info.scenario_version}."
    )

account = user()
seen = v.visible_bases(account, scenario)
names = {
    base.base_id: f"{base.name}（{base.base_id}）"
    for base in scenario.bases
    if base.base_id in seen
}
if not names:
    st.info(
        f"这个场景里没有你的基地（{'、'.join(account.bases) or '—'}）。"
        " / None of your bases is in this scenario."
    )
    st.stop()
weeks = b.weeks_of(scenario)
base_column, week_column = st.columns([2, 3])
base_id = base_column.selectbox(
    "基地 Base", list(names), format_func=names.__getitem__, key="base_view_base"
)
week_index = week_column.selectbox(
    "周 Week（周一至周日 Mon–Sun）",
    [week.index for week in weeks],
    index=b.default_week(weeks, local_today()),
    format_func=lambda index: weeks[index].label,
    key="base_view_week",
)
week = weeks[week_index]

cards = b.plan_cards(chosen.kpis, base_id)
for column, card in zip(st.columns(len(cards)), cards, strict=True):
    column.metric(card.label, card.value, help=card.help, border=True)

grid = b.week_grid(v.base_grid(account, scenario, plan, base_id), week)
free = b.free_by_set_type(grid, week)
st.markdown(md(b.base_week(scenario, base_id, free, week).sentence()))

st.subheader("场景 × 日期 Sets by day")
st.caption(
    "绿：已订（格内为剧名，悬停看剧组、演员）；浅灰：空闲；深灰：停用。"
    " Green booked (hover for crew and cast) · light free · dark closed."
)
st.plotly_chart(charts.base_grid_figure(grid))

st.subheader("按场景类型的空闲 Free by set type")
st.caption(
    "「不影响现排期可出租」= 该周开放、当前方案没有用到的棚日：出租给别人不影响当前方案。"
    " Sellable without breaking the current plan: open and unused by this plan."
)
st.dataframe(free.rename(columns=b.FREE_COLUMNS), hide_index=True)

with st.expander("已订明细 Bookings"):
    booked = grid[grid["state"] == u.BOOKED].drop(columns=["state"])
    st.dataframe(u.labelled(booked), hide_index=True)

st.subheader("容量上界 What the capacity bound allows")
kept = last_report((current.info.scenario_id, current.version))
if kept is None or kept.report is None:
    st.info(
        "在「产能规划」页计算容量报告后，这里显示按容量上界可让出的棚日。"
        " Compute the capacity report on 产能规划 to see what the bound allows."
    )
else:
    st.caption(
        "「产能上界允许出租」按容量上界（理论值，不是当前方案）：让出这些棚日不会降低任何方案"
        "能达到的最高优先级，但可能要重排正在用它们的剧目。「无剧目能用」的棚日任何方案都用不到。"
        " From the capacity bound, not this plan: renting these may need a re-plan."
    )
    st.caption(IDLE_DIFFERENCE)
    bound = b.bound_by_set_type(kept.report.idle_frame(), base_id, week)
    st.dataframe(bound.rename(columns=b.BOUND_COLUMNS), hide_index=True)
