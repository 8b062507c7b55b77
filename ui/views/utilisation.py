"""产能 Utilisation.

KPI cards against the targets, heatmaps, idle set-days; one base's week is 基地视图.
Every base shows booked / available counts only; crews are named as
:mod:`scheduler.app.visibility` lets the signed-in account see them.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import utilisation as u
from scheduler.app import visibility as v
from ui import kpi_charts as charts
from ui.current import require_plan, user

ALL_WEEKS = "全部 all weeks"

st.title("产能 Utilisation")
current, chosen = require_plan()

scenario, plan, kpis = current.scenario, chosen.plan, chosen.kpis
if chosen.info.scenario_version != current.version:
    st.warning(
        f"此方案基于场景 v{chosen.info.scenario_version}，当前场景为 v{current.version}；"
        "指标按排期时计算，图表按当前的基地和场景显示。"
        f" / This plan was made for version {chosen.info.scenario_version}; the KPIs are as "
        "solved, the charts use the current bases and sets."
    )

cards = u.kpi_cards(kpis)
for row in (cards[:4], cards[4:]):
    for column, card in zip(st.columns(len(row)), row, strict=True):
        column.metric(
            card.label,
            card.value,
            card.delta,
            card.delta_color,
            help=card.help,
            border=True,
            delta_arrow=card.delta_arrow,
        )

heatmap_tab, idle_tab, daily_tab = st.tabs(
    [
        "基地 × 日期 Bases by day",
        "闲置 Idle sets",
        "并行与剧组 Parallel & crews",
    ]
)

with heatmap_tab:
    st.subheader("已订 / 可用场景 Booked / available sets")
    st.caption("每格：已订场景数 / 可用场景数，颜色为利用率。Each cell: booked / available sets.")
    st.plotly_chart(charts.base_day_heatmap(u.set_days_by_base_day(scenario, plan)))

with idle_tab:
    st.subheader("闲置场景天 Idle set-days")
    idle = u.idle_set_days_frame(kpis, scenario)
    weeks = list(dict.fromkeys(idle["week"]))
    week = st.selectbox("周 Week", [ALL_WEEKS, *weeks], key="util_week")
    shown = idle if week == ALL_WEEKS else idle[idle["week"] == week]
    st.caption(
        "闲置 = 当前方案没有用到的开放棚日，出租不影响方案；某个基地逐日的情况见「基地视图」页。"
        " Idle set-days are open and unused by this plan."
    )
    st.plotly_chart(charts.idle_bars(shown))
    st.dataframe(u.labelled(u.idle_set_days_table(shown)), hide_index=True)

with daily_tab:
    st.subheader("每日并行拍摄 Parallel shoots per day")
    st.plotly_chart(charts.parallel_shoots_chart(u.parallel_shoots_frame(kpis)))
    st.subheader("剧组利用率 Crew utilisation")
    account = user()
    if not v.sees_whole_plan(account, scenario, plan):
        st.caption("只列出在你的基地拍摄的剧组。 Only crews that shoot at your bases are listed.")
    crews = v.crew_utilisation(account, scenario, plan, kpis)
    st.plotly_chart(charts.crew_utilisation_chart(crews))
