"""产能 Utilisation.

KPI cards against the targets, heatmaps, idle set-days, the base manager's view.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import utilisation as u
from ui import kpi_charts as charts
from ui.current import require_plan

PERCENT = st.column_config.NumberColumn(format="percent")
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

heatmap_tab, base_tab, idle_tab, daily_tab = st.tabs(
    [
        "基地 × 日期 Bases by day",
        "基地视图 Base manager",
        "闲置 Idle sets",
        "并行与剧组 Parallel & crews",
    ]
)

with heatmap_tab:
    st.subheader("已订 / 可用场景 Booked / available sets")
    st.caption("每格：已订场景数 / 可用场景数，颜色为利用率。Each cell: booked / available sets.")
    st.plotly_chart(charts.base_day_heatmap(u.set_days_by_base_day(scenario, plan)))

with base_tab:
    st.subheader("基地负责人视图 Base manager's view")
    names = {base.base_id: f"{base.name}（{base.base_id}）" for base in scenario.bases}
    base_id = st.selectbox(
        "基地 Base", list(names), format_func=names.__getitem__, key="util_base"
    )
    grid = u.base_grid(scenario, plan, base_id)
    st.caption(
        "绿：已订（悬停看剧目、剧组、演员）；浅灰：闲置；深灰：停用。"
        " Green booked (hover for title, crew, cast) · light idle · dark closed."
    )
    st.plotly_chart(charts.base_grid_figure(grid))
    st.markdown(
        "**按场景类型 By set type**（闲置天即可出租的产能 idle days are capacity to sell）"
    )
    st.dataframe(
        u.labelled(u.base_summary(grid)),
        hide_index=True,
        column_config={u.COLUMN_LABELS["utilisation"]: PERCENT},
    )
    with st.expander("已订明细 Bookings"):
        booked = grid[grid["state"] == u.BOOKED].drop(columns=["state"])
        st.dataframe(u.labelled(booked), hide_index=True)

with idle_tab:
    st.subheader("闲置场景天 Idle set-days")
    idle = u.idle_set_days_frame(kpis, scenario)
    weeks = list(dict.fromkeys(idle["week"]))
    week = st.selectbox("周 Week", [ALL_WEEKS, *weeks], key="util_week")
    shown = idle if week == ALL_WEEKS else idle[idle["week"] == week]
    st.plotly_chart(charts.idle_bars(shown))
    st.dataframe(u.labelled(u.idle_set_days_table(idle)), hide_index=True)

with daily_tab:
    st.subheader("每日并行拍摄 Parallel shoots per day")
    st.plotly_chart(charts.parallel_shoots_chart(u.parallel_shoots_frame(kpis)))
    st.subheader("剧组利用率 Crew utilisation")
    crews = u.crew_utilisation_frame(kpis, scenario)
    st.plotly_chart(charts.crew_utilisation_chart(crews))
