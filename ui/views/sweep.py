"""批量推演 Sweeps.

Many what-ifs at once, each planned with several seeds, so that a difference shows
whether it is real or solver noise. 构建: the sweep's name, seeds, seconds and
CP-SAT workers per run, and a table of variants (crews ±k, a base closed, a rush
order, a target, pooling), which a grid can fill; every problem is listed before
anything runs. 运行: the runs go to Ray in the background
(:mod:`scheduler.services.sweep_jobs`), a table shows each run as it goes, and 停止
stops the rest. 结果: a stored sweep's ranges over seeds per variant with the noise
verdict against the reference, and the chart; the rest is :mod:`scheduler.app.sweep_view`.
Running is the signed-in user's ``solve`` (the progress line names them; only they or a
head may stop it) and the sweep files an ``export``, checked on the server and audited.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scheduler.app import sweep_view as view
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Action
from scheduler.domain.model import Scenario
from scheduler.io.sweep_file import sweep_to_toml
from scheduler.services.background import stop_job
from scheduler.services.sweep_jobs import start_sweep, sweep_job_for
from scheduler.services.sweeps import SweepError
from scheduler.storage import ScenarioStore
from ui.actions import ACTION_ERRORS, allowed, show_error, stop_allowed
from ui.current import pick_scenario, user
from ui.downloads import download_button

LIVE_KEY = "sweep_page_live_job"  # the job the progress fragment last saw running
HISTORY_KEY = "sweep_history"  # the stored sweep the results show
SHOWN_JOB_KEY = "sweep_history_job"  # the job whose sweep the picker last moved to
RAY_ERROR_KEY = "sweep_ray_error"  # why Ray did not start, shown until a start succeeds


RUN_CONFIG = {
    column: st.column_config.Column(label, help=help_text, width=width)
    for column, (label, help_text, width) in view.RUN_HEADERS.items()
}


def header(column: str) -> dict[str, Any]:
    """A variants-table column's short label, English help and width."""
    label, help_text, width = view.VARIANT_HEADERS[column]
    return {"label": label, "help": help_text, "width": width}


@st.cache_data(show_spinner="检查变体 / checking the variants…", max_entries=8)
def checked(
    _scenario: Scenario, scenario_key: tuple[int, int], form: view.SweepForm, table: Any
) -> view.BuiltSweep:
    # every variant applied and validated: a fraction of a second each on a month
    return view.build_sweep(form, table, _scenario, _scenario.name)


def live_runs(key: int) -> None:
    """The runs by state and each run as it stands; a full rerun when the sweep ends."""
    job = sweep_job_for(key)
    if job is None:
        st.caption("还没有运行 / nothing has run yet.")
        return
    runs = job.runs()
    for column, (label, count) in zip(st.columns(5), view.count_cards(job.counts()), strict=True):
        column.metric(label, count)
    st.caption(job.progress_line())
    st.dataframe(
        view.run_table(runs),
        hide_index=True,
        column_config=RUN_CONFIG,
        placeholder="",
        key=f"sweep_runs_{job.job_id}",
    )
    for line in view.failed_lines(runs):
        st.error(line)
    if job.running:
        st.session_state[LIVE_KEY] = job.job_id
    elif st.session_state.get(LIVE_KEY) == job.job_id:
        st.session_state.pop(LIVE_KEY, None)
        st.rerun(scope="app")  # the results show the finished sweep


def show_stored(store: ScenarioStore, sweep_id: int) -> None:
    """A stored sweep: its runs, the ranges over seeds and verdicts, the chart, downloads."""
    info = store.sweep_info(sweep_id)
    runs = store.sweep_runs(sweep_id)
    kpis = store.plan_kpis([run.plan_id for run in runs if run.plan_id is not None])
    reports = view.stored_reports(runs, kpis)
    for line in view.failed_lines(reports):
        st.error(line)
    variants = list(dict.fromkeys(report.variant for report in reports))
    marked = next((report.variant for report in reports if report.reference), None)
    picked_key = f"sweep_result_reference_{sweep_id}"
    if st.session_state.get(picked_key) not in variants:  # picked while runs were still missing
        st.session_state.pop(picked_key, None)
    reference = st.selectbox(
        "基准变体 Reference（其他变体与它比较 the others are compared with it）",
        variants,
        index=variants.index(marked) if marked in variants else 0,
        key=picked_key,
    )
    results = view.results_of_runs(reports, reference, info.name)
    if results is None:
        st.info("这个批量推演还没有完成的运行 / no run of this sweep has finished yet.")
    else:
        st.caption(
            "每格：各种子结果的 最少–最多（中位）；"
            "判断：两个变体的范围重叠即「差异在求解波动范围内」。"
            " / Each cell: least–greatest (median) over seeds; overlapping ranges are noise."
        )
        st.table(results.table(), hide_index=True)  # a static table wraps the verdict words
        st.markdown("\n".join(f"- {md(line)}" for line in results.sentences()))
        st.plotly_chart(results.figure(), key=f"sweep_chart_{sweep_id}")
    with st.expander(f"各次运行 Runs（{len(reports)}）"):
        st.dataframe(
            view.run_table(reports), hide_index=True, column_config=RUN_CONFIG, placeholder=""
        )
    toml_column, csv_column, _rest = st.columns([1, 1, 2])
    download_button(
        "下载 sweep 文件 TOML",
        lambda: info.source,
        file_name=f"sweep_{sweep_id}.toml",
        mime="application/toml",
        action=Action.EXPORT,
        scenario_id=info.base_scenario_id,
        container=toml_column,
        icon=":material/download:",
        key=f"sweep_toml_{sweep_id}",
    )
    download_button(
        "下载 runs.csv",
        lambda: view.runs_csv(reports),
        file_name=f"sweep_{sweep_id}_runs.csv",
        mime="text/csv",
        action=Action.EXPORT,
        scenario_id=info.base_scenario_id,
        container=csv_column,
        icon=":material/download:",
        key=f"sweep_csv_{sweep_id}",
    )
    st.page_link(
        "views/whatif.py",
        label="到「对比 What-if」逐一比较这些方案 / compare the stored plans",
        icon=":material/compare_arrows:",
    )
    st.caption(
        "每次完成的运行都已存为方案，名为「变体 · 种子N」，属于场景「批量推演名 · 变体」。"
        " / Every finished run is a stored plan 「variant · 种子N」 of the scenario "
        "「sweep · variant」."
    )


# -- the page -------------------------------------------------------------------------------

st.title("批量推演 Sweeps")
st.caption(
    "一次试多个假设（加剧组、停基地、急单……），每个用几个随机种子求解：差异超出求解波动才算数。"
    " / Many what-ifs at once, each solved with several seeds: a difference counts only"
    " beyond the solver's run-to-run variation."
)
current = pick_scenario()
if current is None:
    st.info("还没有场景：请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
    st.stop()

account = user()
scenario = current.scenario
scenario_id = current.info.scenario_id
table_key = f"sweep_variants_{scenario_id}"
round_key = f"sweep_variants_round_{scenario_id}"
if table_key not in st.session_state:
    st.session_state[table_key] = view.variants_frame(scenario, view.default_variants())
    st.session_state[round_key] = 0

st.subheader("1 构建 Build")
name = st.text_input(
    "名称 Name", value=f"{scenario.name} 批量推演", key=f"sweep_name_{scenario_id}"
)
seeds_column, limit_column, workers_column, revise_column = st.columns([1, 1, 1, 1.2])
seeds = seeds_column.number_input(
    "种子数 seeds", min_value=1, max_value=view.MAX_SEEDS, value=3, step=1, key="sweep_seeds"
)
time_limit = limit_column.number_input(
    "每次秒数 seconds per run",
    min_value=1.0,
    max_value=3600.0,
    value=30.0,
    step=5.0,
    key="sweep_time_limit",
)
workers = workers_column.number_input(
    "每次线程 workers per run", min_value=1, max_value=64, value=1, step=1, key="sweep_workers"
)
revise = revise_column.checkbox(
    "修改基准方案 revise",
    key="sweep_revise",
    help="勾选：其他变体在基准变体同一种子的方案上做最少的修改，而不是重新排期，"
    "对比时只剩真正受影响的剧目。 / Each other variant revises the reference variant's plan of"
    " the same seed with fewest changes instead of planning afresh.",
)

with st.expander("网格生成 Grid：加剧组 1…k × 各基地轮流停用 × 急单有/无"):
    crews_column, bases_column, rush_column = st.columns([1, 2, 1])
    grid_crews = crews_column.number_input(
        "加剧组最多 k（0：不加）crews up to",
        min_value=0,
        max_value=10,
        value=2,
        step=1,
        key="sweep_grid_crews",
    )
    grid_bases = bases_column.multiselect(
        "轮流停用的基地 bases closed in turn",
        [base.base_id for base in scenario.bases],
        format_func=lambda base_id: view.base_label(scenario, base_id),
        key="sweep_grid_bases",
    )
    grid_rush = rush_column.number_input(
        "急单部数（0：不试）rush titles",
        min_value=0,
        max_value=1000,
        value=0,
        step=5,
        key="sweep_grid_rush",
    )
    week = view.first_week(scenario)
    from_column, to_column, _rest = st.columns([1, 1, 2])
    closed_from = from_column.date_input(
        "停用起 from",
        value=week[0],
        min_value=scenario.start_date,
        max_value=scenario.end_date,
        key="sweep_grid_from",
    )
    closed_to = to_column.date_input(
        "停用止 to",
        value=week[1],
        min_value=scenario.start_date,
        max_value=scenario.end_date,
        key="sweep_grid_to",
    )
    grid = view.grid_variants(
        scenario, int(grid_crews), grid_bases, closed_from, closed_to, int(grid_rush)
    )
    st.caption(
        f"将生成 {len(grid)} 个变体（含「现状」），替换下面的变体表。"
        f" / Makes {len(grid)} variants (现状 included), replacing the table below."
    )
    if st.button("生成变体表 Fill the table", icon=":material/grid_on:", key="sweep_grid_fill"):
        st.session_state[table_key] = view.variants_frame(scenario, grid)
        st.session_state[round_key] += 1

st.caption(
    "变体表：每行一个假设，可增删行；「现状」不改任何东西。加减剧组：+k 照现有剧组加 k 个，"
    "−k 减去最后 k 个；停用基地：该基地所有棚在起止日内不可用；"
    "急单：按现有剧目加一批高优先级剧目；"
    "目标：日并行拍摄目标；协同：留空按场景设定。 / One what-if a row; blank cells change nothing."
)
table = st.data_editor(
    st.session_state[table_key],
    key=f"sweep_editor_{scenario_id}_{st.session_state[round_key]}",
    num_rows="dynamic",
    hide_index=True,
    placeholder="",
    column_config={
        view.NAME: st.column_config.TextColumn(**header(view.NAME), required=True, max_chars=200),
        view.CREWS: st.column_config.NumberColumn(
            **header(view.CREWS), min_value=-100, max_value=100, step=1, default=0
        ),
        view.BASE: st.column_config.SelectboxColumn(
            **header(view.BASE), options=view.base_options(scenario)
        ),
        view.FROM: st.column_config.DateColumn(
            **header(view.FROM),
            min_value=scenario.start_date,
            max_value=scenario.end_date,
            format="MM-DD",
        ),
        view.TO: st.column_config.DateColumn(
            **header(view.TO),
            min_value=scenario.start_date,
            max_value=scenario.end_date,
            format="MM-DD",
        ),
        view.RUSH: st.column_config.NumberColumn(**header(view.RUSH), min_value=0, step=1),
        view.TARGET: st.column_config.NumberColumn(**header(view.TARGET), min_value=1, step=1),
        view.POOLING: st.column_config.SelectboxColumn(
            **header(view.POOLING), options=list(view.POOLING_CHOICES)
        ),
    },
)
names = list(
    dict.fromkeys(
        str(value).strip()
        for value in table[view.NAME]
        if isinstance(value, str) and value.strip()
    )
)
reference = st.selectbox(
    "基准变体 Reference（默认第一行 the first row）",
    names,
    key=f"sweep_reference_{scenario_id}",
)
form = view.SweepForm(
    name=name,
    seeds=int(seeds),
    time_limit=float(time_limit),
    workers=int(workers),
    revise=bool(revise),
    reference=reference or "",
)
built = checked(scenario, (scenario_id, current.version), form, table)
if built.problems:
    st.error(
        f"有 {len(built.problems)} 个问题，改好后才能运行 / fix these to run:\n\n"
        + "\n".join(f"- {md(problem)}" for problem in built.problems)
    )
if built.sweep is not None:
    preview, warning = view.preview_text(built.sweep)
    st.info(preview, icon=":material/schedule:")
    if warning:
        st.warning(warning)
    built_sweep = built.sweep
    download_button(
        "下载 sweep 文件 TOML（可用命令行运行 python -m scheduler sweep）",
        lambda: sweep_to_toml(built_sweep),
        file_name=view.sweep_file_name(built_sweep),
        mime="application/toml",
        action=Action.EXPORT,
        scenario_id=scenario_id,
        scenario_version=current.version,
        icon=":material/download:",
        key="sweep_toml_download",
    )

st.subheader("2 运行 Run")
job = sweep_job_for(scenario_id)
running = job is not None and job.running
start_column, stop_column = st.columns([1, 4])
start = start_column.button(
    "开始 Run",
    type="primary",
    icon=":material/play_arrow:",
    key="sweep_start",
    **allowed(Action.SOLVE, account=account, disabled=running or not built.ok),
)
stop = stop_column.button(
    "停止 Stop", icon=":material/stop:", key="sweep_stop", **stop_allowed(job, account=account)
)
start_error: Exception | None = None
if start and built.sweep is not None and not built.problems:
    try:
        with st.spinner("正在启动 Ray / starting Ray…"):
            start_sweep(
                current.store,
                account,
                scenario_id,
                built.sweep,
                scenario,
                connect=view.connect_ray,  # before the sweep's thread: Ray must outlive it
                source=sweep_to_toml(built.sweep),
                base_scenario_id=scenario_id,
            )
    except SweepError as error:
        st.session_state[RAY_ERROR_KEY] = str(error)
    except ACTION_ERRORS as error:
        start_error = error
    except RuntimeError:
        pass  # another session's sweep runs (its refusal recorded): the page shows it
    else:
        st.session_state.pop(RAY_ERROR_KEY, None)
    if start_error is None:
        st.rerun()
if start_error is not None:
    show_error(start_error)
if RAY_ERROR_KEY in st.session_state:
    st.error(f"批量推演未能运行 / the sweep could not run：{st.session_state[RAY_ERROR_KEY]}")
if stop and job is not None:
    try:
        stop_job(current.store, job, account, scenario_id=scenario_id)
    except ACTION_ERRORS as error:
        show_error(error)
if job is not None and not job.running:
    st.session_state.pop(LIVE_KEY, None)
    if job.error is not None:
        st.error(f"批量推演未能运行 / the sweep could not run：{job.error}")
st.fragment(live_runs, run_every=1.0 if running else None)(scenario_id)

st.subheader("3 结果 Results")
stored = current.store.list_sweeps()
if not stored:
    st.info(
        "还没有已保存的批量推演：构建后点「开始」。/ No stored sweep yet: build one, press Run."
    )
    st.stop()
by_id = {info.sweep_id: info for info in stored}
if job is not None and job.sweep_id in by_id and st.session_state.get(SHOWN_JOB_KEY) != job.job_id:
    st.session_state[SHOWN_JOB_KEY] = job.job_id
    st.session_state[HISTORY_KEY] = job.sweep_id  # a new sweep: show it
if st.session_state.get(HISTORY_KEY) not in by_id:
    st.session_state[HISTORY_KEY] = stored[0].sweep_id  # the newest
shown = st.selectbox(
    "历史 Sweeps（已保存的批量推演 stored sweeps）",
    list(by_id),
    format_func=lambda sweep_id: view.stored_sweep_label(by_id[sweep_id]),
    key=HISTORY_KEY,
)
show_stored(current.store, shown)
