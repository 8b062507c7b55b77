"""产能规划 Capacity planning.

How much the bases can shoot (a proven upper bound), what binds it (and which binding
actors' days off could be bought out), what one more set, crew or actor-day would add,
the cheapest additions that reach the targets (the most titles for a budget, what a rush
order takes), and the idle set-days each base could sell — without breaking the chosen
plan, and as the capacity bound allows. The targets, the budget, the rush order and the
candidate additions are edited above (the suggested candidates include buy-outs of the
binding actors' days off, found by one LP solve, cached per scenario version); 计算
starts the report in the background (:mod:`scheduler.services.capacity_jobs`), the page
shows 计算中… until it is done, and the last report of each scenario version is kept
there, so reruns and visits to other pages do not compute it again. Computing is the
signed-in user's ``solve`` and the report download an ``export``, both checked on the server
and audited (greyed out for a role that may not); the progress line names who computes.
Candidates are read by :mod:`scheduler.services.candidates`, the rest is shaped by
:mod:`scheduler.app.capacity`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scheduler.app.capacity import (
    COLUMN_LABELS,
    binding_actors_note,
    budget_yuan,
    bullet_markdown,
    editor_candidates,
    idle_by_base_table,
    metric_cards,
    report_file_name,
    report_json,
    weekly_targets,
)
from scheduler.domain.accounts import Action
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.services.candidates import (
    KIND_SHOWN,
    Suggestions,
    actor_labels,
    base_labels,
    candidate_table,
    suggested_candidates,
)
from scheduler.services.capacity_jobs import (
    CapacityInputs,
    CapacityJob,
    job_for,
    last_report,
    progress_line,
    start_capacity,
)
from scheduler.services.capacity_report import IDLE_DIFFERENCE, CapacityReport, per_month
from ui import capacity_charts as charts
from ui.actions import ACTION_ERRORS, allowed, show_error
from ui.current import Current, pick_plan, pick_scenario, user
from ui.downloads import download_button

LIVE_KEY = "capacity_page_live_job"  # the job the progress fragment last saw running


# -- the inputs -----------------------------------------------------------------------------


@st.cache_data(show_spinner="找档期卡住的演员 / finding the binding actors…", max_entries=16)
def suggestions_of(_scenario: Scenario, scenario_id: int, version: int) -> Suggestions:
    """The suggested candidates of a scenario version (one LP solve, kept per version)."""
    return suggested_candidates(_scenario)


def candidate_editor(
    prefix: str, scenario: Scenario, suggestions: Suggestions
) -> tuple[pd.DataFrame, int]:
    """The table of candidate additions; the edited frame and the last row number drawn.

    The editor keeps its edits relative to the frame it was first given, so it is given
    that frame for as long as the widget lives, and the last edited frame when the
    widget is new (back from another page), so no edit is lost or applied twice.
    """
    key = f"{prefix}_candidates"
    if key not in st.session_state or f"{prefix}_given" not in st.session_state:
        edited = st.session_state.get(f"{prefix}_edited")
        st.session_state[f"{prefix}_given"] = (
            candidate_table(scenario, suggestions.candidates) if edited is None else edited
        )
    given: pd.DataFrame = st.session_state[f"{prefix}_given"]
    set_types = sorted({s.set_type for s in scenario.sets})
    edited = st.data_editor(
        given,
        key=key,
        num_rows="dynamic",
        hide_index=False,
        width="stretch",
        height=min(420, 38 + 35 * (len(given) + 1)),
        column_config={
            "_index": st.column_config.NumberColumn("行 row", format="%d"),
            "kind": st.column_config.SelectboxColumn(
                COLUMN_LABELS["kind"],
                options=list(KIND_SHOWN.values()),
                help="棚：某基地再加一个该类型的棚；剧组：再加一个什么题材都能拍的剧组；"
                "演员档期：买断演员停用日（unavailable.csv）里的档期，按天计价",
            ),
            "base_id": st.column_config.SelectboxColumn(
                COLUMN_LABELS["base_id"],
                options=list(base_labels(scenario).values()),
                help="棚加在哪个基地；剧组则为其常驻基地（不限制它去哪拍）",
            ),
            "set_type": st.column_config.SelectboxColumn(
                COLUMN_LABELS["set_type"],
                options=set_types,
                help="剧组、演员档期不填 / blank for a crew or actor days",
            ),
            "actor_id": st.column_config.SelectboxColumn(
                COLUMN_LABELS["actor_id"],
                options=list(actor_labels(scenario).values()),
                help="只有演员档期填：买断谁的停用日 / actor days only: whose days off",
            ),
            "day_rate": st.column_config.NumberColumn(
                COLUMN_LABELS["day_rate"],
                step=1,
                format="%d",
                help="棚、剧组：整个排期每天都付；演员档期：每买断一天付一次 / sets and crews: "
                "paid every day; actor days: paid per day bought",
            ),
            "max_count": st.column_config.NumberColumn(
                COLUMN_LABELS["max_count"],
                step=1,
                format="%d",
                help="棚、剧组最多几个；演员档期最多几天 / at most this many (days, for an actor)",
            ),
            "from_date": st.column_config.DateColumn(
                COLUMN_LABELS["from_date"],
                min_value=scenario.start_date,
                max_value=scenario.end_date,
                format="YYYY-MM-DD",
                help="演员档期：只买这段日期里的停用日；空着为整个排期 / blank: the whole horizon",
            ),
            "to_date": st.column_config.DateColumn(
                COLUMN_LABELS["to_date"],
                min_value=scenario.start_date,
                max_value=scenario.end_date,
                format="YYYY-MM-DD",
            ),
        },
    )
    st.session_state[f"{prefix}_edited"] = edited
    last_row = int(given.index.max()) if len(given) else 0
    return edited, last_row


def reset_candidates(prefix: str) -> None:
    """Back to the scenario's default candidates (a new editor widget)."""
    for part in ("candidates", "given", "edited"):
        st.session_state.pop(f"{prefix}_{part}", None)


def page_inputs(
    prefix: str, current: Current
) -> tuple[int, int, int | None, int, tuple[int | None, Plan | None]]:
    """Targets, budget (yuan), the rush order's size, and the compared plan with its priority
    (None, None without a usable plan)."""
    targets = current.scenario.targets
    titles_column, parallel_column, budget_column, rush_column, plan_column = st.columns(
        [1, 1, 1, 1, 2]
    )
    titles = titles_column.number_input(
        "目标 每月剧目数 titles / month",
        min_value=1,
        step=10,
        value=targets.titles_per_month,
        key=f"{prefix}_titles",
    )
    parallel = parallel_column.number_input(
        "目标 日均并行场数 parallel shoots / day",
        min_value=1,
        step=1,
        value=targets.parallel_shoots_per_day,
        key=f"{prefix}_parallel",
    )
    budget = budget_column.number_input(
        "预算（万元）budget (10k CNY)",
        min_value=0.0,
        step=10.0,
        value=None,
        placeholder="可不填 optional",
        key=f"{prefix}_budget",
        help="填了则另算：花这么多钱最多能多拍多少 / also: the most titles for this money",
    )
    rush = rush_column.number_input(
        "急单 剧目数 rush order (titles)",
        min_value=0,
        step=5,
        value=0,
        key=f"{prefix}_rush",
        help="另算：再接这么多部急单（照现有剧目生成）要追加什么 / also: what a rush order "
        "of this many titles takes",
    )
    with plan_column:
        compared = compared_plan(current)
    return int(titles), int(parallel), budget_yuan(budget), int(rush), compared


def compared_plan(current: Current) -> tuple[int | None, Plan | None]:
    """The chosen stored plan's Σ priority (to report as a share of the bound) and the plan
    (whose free set-days are sellable without breaking it); None, None without one."""
    chosen = pick_plan(current, "对照方案 Plan to compare with the bound")
    if chosen is None:
        st.caption(
            "这个场景还没有排期方案，无法显示「当前方案 / 上界」和不影响现排期可出租的棚日。"
            "/ No plan yet to compare."
        )
        return None, None
    if chosen.info.scenario_version != current.version:
        st.caption(
            f"此方案基于场景 v{chosen.info.scenario_version}，上界按当前 v{current.version} 计算，"
            "不作比较。/ The plan is of another version: not compared."
        )
        return None, None
    priority = chosen.kpis.get("priority_scheduled")
    return (None if priority is None else int(priority)), chosen.plan


# -- the report -----------------------------------------------------------------------------


def bullets(lines: list[str]) -> None:
    """Sentences as a list; a numbered step (``1. 新剧组 ×4…``) keeps its number as text."""
    st.markdown(bullet_markdown(lines))


def steps_table(frame: pd.DataFrame) -> None:
    money = st.column_config.NumberColumn(format="%.1f")
    st.dataframe(
        frame,
        hide_index=True,
        column_config={"费用（万元）": money, "累计费用（万元）": money},
    )


def metrics(report: CapacityReport, first: int, last: int) -> None:
    """Cards ``first`` … ``last - 1`` of :func:`metric_cards`, one column each."""
    cards = metric_cards(report)[first:last]
    for column, card in zip(st.columns(len(cards)), cards, strict=True):
        column.metric(
            card.label,
            card.value,
            card.note,
            delta_color="off",
            delta_arrow="off",
            help=card.help,
            border=True,
        )


def show_report(report: CapacityReport, inputs: CapacityInputs, current: Current) -> None:
    """Every answer of the report, in the order a base manager asks them."""
    answer, scenario = report.answer, report.scenario
    if answer.priority_bound is None:
        st.error("\n\n".join(report.headline()))
        return
    metrics(report, 0, 3)
    st.caption("；".join(report.headline()))
    if not answer.proven:
        st.warning("求解器未证明上界（时限内未算完），数字仅供参考 / the bound is not proven")

    st.subheader("每周产能 Capacity by week")
    st.caption(
        "开放棚日：各基地开放的棚 × 天；剧组可拍日：剧组 × 可拍的天；需求拍摄日："
        "剧目可在本周拍的天数之和（上限）；上界拍摄日：达到剧目数上界时本周的拍摄天数；"
        "虚线为目标（日均并行场数 × 天数）。"
    )
    loads = report.loads_frame()
    target = weekly_targets(report, inputs.parallel_shoots)
    st.plotly_chart(charts.weekly_capacity_chart(loads, target))

    bottleneck_column, gain_column = st.columns(2)
    with bottleneck_column:
        st.subheader("瓶颈 What binds")
        bullets(report.bottleneck_sentences() or ["没有约束卡住：上界等于全部剧目"])
        if answer.binding_actors:
            st.markdown("**演员档期 Actor days**")
            bullets(report.actor_day_sentences())
    with gain_column:
        st.subheader("再加一个会怎样 One more")
        bullets(report.gain_sentences())
        with st.expander("全部候选的估计 Every candidate"):
            st.dataframe(report.gains_frame(), hide_index=True)

    st.subheader("达标所需最省追加 Cheapest additions to reach the targets")
    bullets(report.expansion_sentences())
    expansion = answer.expansion
    if expansion is not None and expansion.steps:
        steps = report.steps_frame(expansion.steps)
        table_column, chart_column = st.columns([3, 2])
        with table_column:
            steps_table(steps)
        with chart_column:
            st.plotly_chart(
                charts.expansion_chart(
                    steps,
                    per_month(scenario, expansion.baseline_titles),
                    per_month(scenario, expansion.target_titles),
                )
            )

    if answer.budget is not None:
        st.subheader("按预算 With the budget")
        bullets(report.budget_sentences())
        if answer.budget.steps:
            steps_table(report.steps_frame(answer.budget.steps))

    if answer.rush is not None:
        st.subheader("急单 Rush order")
        st.caption(
            "按容量上界：急单照现有剧目生成（题材、场景、演员相同，窗口在排期前半段），"
            "原有剧目保持上界能排进的数量。/ From the capacity bound, the other titles kept."
        )
        bullets(report.rush_sentences())

    st.subheader("闲置产能 Idle capacity")
    st.caption(IDLE_DIFFERENCE)
    metrics(report, 3, 5)
    st.caption(
        report.sellable_sentence()
        + f"。其中「无人需要」是没有任何剧目能用的棚日。热力图每格：{charts.BOUND_SELLABLE}"
        " / 开放棚日。"
    )
    idle = report.idle_frame()
    if idle.empty:
        st.info("没有开放的棚日 / no open set-days")
    else:
        st.dataframe(idle_by_base_table(report), hide_index=True)
        heatmap_column, bars_column = st.columns([3, 2])
        with heatmap_column:
            st.markdown(
                f"**{charts.BOUND_SELLABLE}棚日 · 基地 × 周** sellable as the bound allows, "
                "by base × week"
            )
            st.plotly_chart(charts.sellable_heatmap(idle))
        with bars_column:
            st.markdown("**各基地可出租棚日（两种口径）** sellable per base, two ways")
            st.plotly_chart(charts.sellable_by_base_chart(report.sellable_by_base()))
        with st.expander("闲置明细 · 基地 × 场景类型 × 周 Idle by base, set type and week"):
            st.dataframe(idle, hide_index=True)

    seconds = answer.seconds.get("total", 0.0)
    st.caption(
        f"容量模型 {answer.columns} 列 × {answer.rows} 行，{answer.solver}，{seconds:.1f} 秒；"
        f"{len(inputs.candidates)} 个候选追加。 / capacity model size, solver and time."
    )
    download_button(
        "下载报告 JSON / download the report",
        lambda: report_json(report),
        file_name=report_file_name(scenario),
        mime="application/json",
        action=Action.EXPORT,
        scenario_id=current.info.scenario_id,
        scenario_version=current.version,
        icon=":material/download:",
        key="capacity_download",
    )


def live_progress(key: tuple[int, int]) -> None:
    """计算中… while the job runs; a full rerun when it ends, so the page shows the report."""
    job = job_for(key)
    if job is None:
        return
    if job.running:
        st.session_state[LIVE_KEY] = job.job_id
        st.info(progress_line(job), icon=":material/hourglass_top:")
    elif st.session_state.get(LIVE_KEY) == job.job_id:
        st.session_state.pop(LIVE_KEY, None)
        st.rerun(scope="app")  # the page shows the new report


def finished_job(job: CapacityJob) -> None:
    """A job that has ended: this run shows it, and what went wrong if it raised."""
    st.session_state.pop(LIVE_KEY, None)
    if job.error is not None:
        st.error(f"产能计算出错 / the capacity computation failed: {job.error}")


# -- the page -------------------------------------------------------------------------------

st.title("产能规划 Capacity planning")
st.caption(
    "基地群最多能拍多少、卡在哪里、加什么最省钱能达标、哪些棚日可以出租。"
    " / How much the bases can shoot, what binds, the cheapest additions, what to sell."
)
current = pick_scenario()
if current is None:
    st.info("还没有场景：请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
    st.stop()

account = user()
scenario = current.scenario
prefix = f"capacity_{current.info.scenario_id}_v{current.version}"
job_key = (current.info.scenario_id, current.version)
job = job_for(job_key)
running = job is not None and job.running

st.subheader("目标与候选追加 Targets and candidate additions")
titles, parallel, budget, rush, (plan_priority, plan) = page_inputs(prefix, current)
st.caption(
    "候选追加：可增加的棚（某基地、某场景类型）和剧组，按日租整个排期计费；"
    "「演员档期」买断演员的停用日，按买断的天数计费；可改价格、数量，可增删行。"
    "/ Additions the planner may choose — sets, crews, and actor days bought out of other "
    "commitments: edit prices and counts, add or delete rows."
)
suggestions = suggestions_of(scenario, current.info.scenario_id, current.version)
note = binding_actors_note(suggestions, scenario)
if note:
    st.caption(note)
edited, last_row = candidate_editor(prefix, scenario, suggestions)
candidates, problems = editor_candidates(edited, scenario, last_row)
if problems:
    st.error(
        f"候选追加有 {len(problems)} 个问题，修正后才能计算 / "
        f"{len(problems)} problem(s) in the candidate additions; fix them to compute:\n\n"
        + "\n".join(f"- {line}" for line in problems)
    )

kept = last_report(job_key)
inputs = CapacityInputs(tuple(candidates), titles, parallel, budget, rush)
compute_column, reset_column = st.columns([1, 4])
compute = compute_column.button(
    "计算 Compute" if kept is None else "重新计算 Re-compute",
    type="primary",
    icon=":material/calculate:",
    key="capacity_compute",
    **allowed(Action.SOLVE, account=account, disabled=running),
)
reset_column.button(
    "恢复默认候选 Default candidates",
    key="capacity_reset",
    on_click=reset_candidates,
    args=(prefix,),
)
if compute and not problems:
    try:
        start_capacity(
            current.store,
            account,
            job_key,
            scenario,
            inputs,
            scenario_id=current.info.scenario_id,
            scenario_version=current.version,
        )
    except ACTION_ERRORS as error:
        show_error(error)
    except RuntimeError:
        st.rerun()  # another session's job runs (its refusal recorded): the page shows it
    else:
        st.rerun()  # the progress line, then the report
if job is not None and not job.running:
    finished_job(job)
st.fragment(live_progress, run_every=1.0 if running else None)(job_key)

if kept is None or kept.report is None:
    if not running:  # while it computes, the progress line says enough
        st.info(
            "设好目标和候选后点「计算」。/ Set the targets and candidates, then press Compute."
        )
    st.stop()
report, shown_inputs = kept.report, kept.inputs
if shown_inputs != inputs:
    st.info(
        "目标、预算、急单或候选已修改：下面仍是上次计算的结果，点「重新计算」更新。"
        " / The inputs changed: below is the last report; press Re-compute."
    )
show_report(report.with_plan(plan, plan_priority), shown_inputs, current)
