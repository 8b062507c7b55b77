"""区域协同 Pooling.

What sharing crews and actors between cities is worth: the current scenario planned with
each city alone (crews and actors only in their home city) and with every city pooled
(travel days apply), and groups of cities in between if typed, each plan checked. 开始
plans in the background (:mod:`scheduler.services.pooling_jobs`) with the policy under way
and its best priority shown; 停止 keeps the best plan so far. Then titles a month,
priority, cost, set utilisation and idle set-days per policy and per city, and the
dividend in words; the rest is shaped by :mod:`scheduler.app.pooling`. Planning is the
signed-in user's ``solve`` (the progress line names them; only they or a head may stop it)
and the result file an ``export``, checked on the server and audited.
"""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from scheduler.app.pooling import (
    CITY_COLUMNS,
    chosen_policies,
    city_table,
    dividend_text,
    metric_cards,
    one_city_note,
    policy_table,
    report_file_name,
    report_json,
)
from scheduler.domain.accounts import Action
from scheduler.domain.model import Scenario
from scheduler.services.background import stop_job
from scheduler.services.pooling import PoolingReport
from scheduler.services.pooling_jobs import (
    PoolingInputs,
    job_for,
    last_report,
    progress_line,
    start_pooling,
)
from ui.actions import ACTION_ERRORS, allowed, show_error, stop_allowed
from ui.current import Current, pick_scenario, user
from ui.downloads import download_button

LIVE_KEY = "pooling_page_live_job"  # the job the progress fragment last saw running


def live_progress(key: tuple[int, int]) -> None:
    """The policy being planned while the job runs; a full rerun when it ends."""
    job = job_for(key)
    if job is None:
        return
    if job.running:
        st.session_state[LIVE_KEY] = job.job_id
        st.info(progress_line(job), icon=":material/hourglass_top:")
    elif st.session_state.get(LIVE_KEY) == job.job_id:
        st.session_state.pop(LIVE_KEY, None)
        st.rerun(scope="app")  # the page shows the new report


def titles_chart(report: PoolingReport) -> None:
    """Titles a month per city, one bar per policy."""
    table = city_table(report)
    figure = px.bar(
        table,
        x=CITY_COLUMNS[0],
        y=CITY_COLUMNS[3],
        color=CITY_COLUMNS[1],
        barmode="group",
        height=320,
    )
    figure.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend_title_text="")
    st.plotly_chart(figure)


def show_report(
    report: PoolingReport, inputs: PoolingInputs, scenario: Scenario, current: Current
) -> None:
    """The dividend first, then the policies side by side, then each city."""
    cards = metric_cards(report)
    if cards:
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
    st.success(dividend_text(report), icon=":material/hub:")
    if report.stopped:
        st.warning(
            "已停止：正在规划的方式保留了停止时的最好方案，未开始的方式没有结果。"
            " / Stopped: the policy under way kept its best plan; the rest were not planned."
        )
    for name, result in report.policies.items():
        if not result.ok:
            st.error(
                f"{name} 的方案未通过独立检查 / the plan of {name} was not confirmed:\n\n"
                + "\n".join(f"- {problem}" for problem in result.outcome.problems[:10])
            )

    st.subheader("各协同方式 By policy")
    st.dataframe(policy_table(report), hide_index=True)
    st.subheader("各城市 By city")
    st.caption(
        "剧目按所在基地的城市计；成本为在该城拍摄的场景、剧组日价与这些剧目演员的日价；"
        "闲置棚天为开放但没人用的棚天；外地剧组为常驻基地在别的城市的剧组。"
    )
    titles_chart(report)
    st.dataframe(city_table(report), hide_index=True)
    st.caption(
        f"每种方式求解 {inputs.time_limit:g} 秒，随机种子 {inputs.seed}，"
        f"{inputs.workers} 个工作线程；细分组的方案也是粗分组的方案，所以粗分组从它出发，"
        "不会更差。 / Each policy solved with the same limit and seed; coarser groups start "
        "from the finer groups' plans, so they are never worse."
    )
    download_button(
        "下载结果 JSON / download the comparison",
        lambda: report_json(report),
        file_name=report_file_name(scenario),
        mime="application/json",
        action=Action.EXPORT,
        scenario_id=current.info.scenario_id,
        scenario_version=current.version,
        icon=":material/download:",
        key="pooling_download",
    )


# -- the page -------------------------------------------------------------------------------

st.title("区域协同 Pooling")
st.caption(
    "各城各自为战，还是共享剧组和演员？分别排期，比较每月剧目、优先级、成本和闲置棚天。"
    " / Each city alone, or crews and actors shared between cities: plan both and compare."
)
current = pick_scenario()
if current is None:
    st.info("还没有场景：请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
    st.stop()

account = user()
scenario = current.scenario
job_key = (current.info.scenario_id, current.version)
job = job_for(job_key)
running = job is not None and job.running

st.caption(f"城市 cities：{'、'.join(scenario.cities)}")
note = one_city_note(scenario)
if note:
    st.info(note)
alone_column, pooled_column, groups_column = st.columns([1, 1, 2])
alone = alone_column.checkbox("各城独立 alone", value=True, key="pooling_alone")
pooled = pooled_column.checkbox("区域协同 pooled", value=True, key="pooling_pooled")
groups_text = groups_column.text_input(
    "另加城市分组 groups（可不填）",
    placeholder="郑州,开封;洛阳",
    key="pooling_groups",
    help="分号隔开各组，逗号隔开组内城市；没列出的城市各自一组"
    " / ; between groups, a comma between cities; a city not listed is a group of its own",
)
limit_column, seed_column, workers_column = st.columns(3)
time_limit = limit_column.number_input(
    "每种方式求解秒数 seconds per policy",
    min_value=1.0,
    max_value=3600.0,
    value=60.0,
    step=10.0,
    key="pooling_time_limit",
)
seed = seed_column.number_input("随机种子 seed", min_value=0, value=0, step=1, key="pooling_seed")
workers = workers_column.number_input(
    "工作线程 workers", min_value=1, max_value=16, value=2, step=1, key="pooling_workers"
)
policies, problems = chosen_policies(scenario, alone, pooled, groups_text)
for problem in problems:
    st.error(problem)
inputs = PoolingInputs(policies, float(time_limit), int(seed), int(workers))

start_column, stop_column = st.columns([1, 4])
start = start_column.button(
    "开始 Plan",
    type="primary",
    icon=":material/play_arrow:",
    key="pooling_start",
    **allowed(Action.SOLVE, account=account, disabled=running or bool(problems)),
)
stop = stop_column.button(
    "停止 Stop",
    icon=":material/stop:",
    key="pooling_stop",
    **stop_allowed(job, account=account),
)
if start and not problems:
    try:
        start_pooling(
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
        st.rerun()
if stop and job is not None:
    try:
        stop_job(
            current.store,
            job,
            account,
            scenario_id=current.info.scenario_id,
            scenario_version=current.version,
        )
    except ACTION_ERRORS as error:
        show_error(error)
if job is not None and not job.running:
    st.session_state.pop(LIVE_KEY, None)
    if job.error is not None:
        st.error(f"区域协同计算出错 / the comparison failed: {job.error}")
st.fragment(live_progress, run_every=1.0 if running else None)(job_key)

kept = last_report(job_key)
if kept is None or kept.report is None:
    if not running:
        st.info("选好协同方式后点「开始」。/ Pick the policies, then press Plan.")
    st.stop()
if kept.inputs != inputs:
    st.info(
        "协同方式或求解设置已修改：下面仍是上次的结果，点「开始」重新规划。"
        " / The inputs changed: below is the last comparison; press Plan to redo it."
    )
show_report(kept.report, kept.inputs, scenario, current)
