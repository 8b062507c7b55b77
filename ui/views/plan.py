"""排期 Plan.

Solve with a live progress line and a stop button; a re-plan's change list (变更单); publishing
the plan shown up to a date; Gantt charts; unscheduled titles; pins.
The solve runs in the background (:mod:`scheduler.services.solve_jobs`); only checked plans are
saved and shown. Every action is the signed-in user's, checked on the server and audited: the
solve is theirs (its progress line names them; only they or a head may stop it), publishing
carries their name unless another is typed, and pins are saved as theirs. A button the role
may not press is greyed out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import plotly.graph_objects as go
import streamlit as st

from scheduler.app import gantt
from scheduler.app.change_view import change_csv, change_file_name, change_summary, change_table
from scheduler.app.compare import plan_choices
from scheduler.app.gantt_figure import gantt_figure
from scheduler.app.plan_view import (
    PlanMessage,
    afresh_warning,
    big_plan_note,
    default_until,
    opening_bases,
    plan_name,
    publication_line,
    published_message,
    revision_inputs,
    saved_message,
    solve_detail,
    stale_plan_warning,
)
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Account, Action
from scheduler.domain.local_time import local_today
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.services.background import stop_job
from scheduler.services.pinning import PinError, pin_from_plan, unpin
from scheduler.services.publishing import (
    Publication,
    PublishError,
    latest_publication,
    publish_as,
    publisher_of,
)
from scheduler.services.scenarios import save_scenario
from scheduler.services.solve_jobs import (
    SolveJob,
    default_time_limit,
    job_for,
    kpi_line,
    progress_line,
    save_job_plan,
    start_solve,
)
from scheduler.storage import StorageError
from ui.actions import ACTION_ERRORS, allowed, show_error, stop_allowed
from ui.current import (
    PLAN_KEY,
    Current,
    CurrentPlan,
    load_changes,
    load_plan,
    pick_plan,
    pick_scenario,
    user,
)
from ui.downloads import download_button
from ui.resources import scenario_store
from ui.views.fit import fit_section

LIVE_KEY = "plan_page_live_job"  # the job the progress fragment last saw running
SHOWN_KEY = "plan_page_shown_job"  # the finished job whose plan this session has selected
FLASH_KEY = "plan_page_flash"  # a PlanMessage that survives the rerun after a pin is saved
PUBLISHED_KEY = "plan_page_published"  # a PlanMessage that survives the rerun after publishing
WHO_KEY = "plan_publish_who"  # the 发布人 widget
WHO_KEPT_KEY = "plan_publish_who_kept"  # its value, kept while other pages run


def time_limit_key(scenario_id: int) -> str:
    """Session key (not a widget's) keeping the time limit while other pages run.

    Streamlit drops a widget's state once a page without the widget ran; this one stays.
    """
    return f"plan_time_limit_kept_{scenario_id}"


def solve_controls(
    current: Current, account: Account, job: SolveJob | None, publication: Publication | None
) -> None:
    """Time limit and the solve button; starts a background solve as ``account`` (a re-plan
    keeps the newest publication's shoots unless broken)."""
    running = job is not None and job.running
    reference_id = revise_choice(current, publication)
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    widget_key = f"plan_time_limit_{current.info.scenario_id}"
    kept_key = time_limit_key(current.info.scenario_id)
    if widget_key not in st.session_state:  # back from another page: the last value
        st.session_state[widget_key] = st.session_state.get(
            kept_key, default_time_limit(current.scenario)
        )
    limit = left.number_input(
        "时限（秒）Time limit (s)", min_value=1, max_value=3600, step=5, key=widget_key
    )
    st.session_state[kept_key] = limit
    if right.button(
        "开始排期 Solve",
        type="primary",
        icon=":material/play_arrow:",
        key="plan_solve",
        **allowed(Action.SOLVE, account=account, disabled=running),
    ):
        reference, published = None, frozenset[str]()
        if reference_id is not None:
            reference, published = revision_inputs(
                current.store,
                current.info.scenario_id,
                current.scenario,
                load_plan(current.store, reference_id)[0],
            )
        try:
            start_solve(
                current.store,
                account,
                current.info.scenario_id,
                current.scenario,
                scenario_id=current.info.scenario_id,
                version=current.version,
                time_limit=float(limit),
                reference=reference,
                published=published,
                detail=solve_detail(reference_id, float(limit)),
                label=job_label,
            )
        except (*ACTION_ERRORS, RuntimeError) as error:
            show_error(error)
            return
        st.rerun()


def revise_choice(current: Current, publication: Publication | None) -> int | None:
    """Plan afresh, or revise a stored plan (keep what still works); the plan id to revise."""
    stored = plan_choices(current.store)
    if not stored:
        return None
    mode = st.radio(
        "方式 Mode",
        ["afresh", "revise"],
        format_func=lambda m: {
            "afresh": "全部重排 Plan afresh",
            "revise": "在已有方案上修改（保留仍可行的安排）Revise a plan, keep what still works",
        }[m],
        horizontal=True,
        key=f"plan_mode_{current.info.scenario_id}",
        help="修改：原方案里仍符合规则的剧目一律不动，只重排受影响的和未排上的剧目。"
        " / Revise: titles of the old plan that still keep every rule stay; only the"
        " ones that broke and the unscheduled are planned again.",
    )
    if mode != "revise":
        if warning := afresh_warning(publication):
            st.warning(warning, icon=":material/campaign:")
        return None
    # this scenario's newest plan first, then the others (a clone revises its source's plan)
    own = [c for c in stored if c.scenario.scenario_id == current.info.scenario_id]
    ordered = own + [c for c in stored if c not in own]
    by_id = {c.plan.plan_id: c for c in ordered}
    return int(
        st.selectbox(
            "要修改的方案 Plan to revise",
            list(by_id),
            format_func=lambda i: by_id[i].label,
            key=f"plan_reference_{current.info.scenario_id}",
        )
    )


def live_progress(key: int, account: Account) -> None:
    """The progress line (naming who started the solve) and the stop button while the job
    runs, greyed out unless ``account`` started it or is a head; a full rerun when it ends."""
    job = job_for(key)
    if job is None:
        return
    if job.running:
        st.session_state[LIVE_KEY] = job.job_id
        st.progress(min(1.0, job.elapsed / job.time_limit), text=progress_line(job))
        if job.stopping:
            st.caption("正在停止，保留目前最好的方案… / stopping, keeping the best plan so far…")
        elif st.button(
            "停止 Stop",
            icon=":material/stop:",
            key="plan_stop",
            **stop_allowed(job, account=account),
        ):
            try:
                stop_job(scenario_store(), job, account, scenario_id=key)
            except ACTION_ERRORS as error:
                show_error(error)
            else:
                st.caption(
                    "正在停止，保留目前最好的方案… / stopping, keeping the best plan so far…"
                )
    elif st.session_state.get(LIVE_KEY) == job.job_id:
        st.session_state.pop(LIVE_KEY, None)
        st.rerun(scope="app")  # the page shows the new plan


def job_label(job: SolveJob) -> str:
    """The stored plan's name: fresh or revised, scenario version, when, limit, stopped."""
    return plan_name(
        "fresh" if job.reference is None else "revised",
        job.version,
        datetime.now(UTC),
        job.time_limit,
        stopped=job.stopping,
    )


def finished_job(current: Current, job: SolveJob) -> PlanMessage | None:
    """Save a finished job's checked plan (once); the message for that plan, shown with it.

    Errors and a plan the checker rejected belong to no stored plan: they show here.
    Saving also writes the solve's audit row, its owner's, whichever session gets here first.
    """
    st.session_state.pop(LIVE_KEY, None)
    try:
        plan_id = save_job_plan(job, current.store, job_label(job))  # stored already: its id
    except StorageError as error:
        st.error(md(error.format()))
        return None
    if job.error is not None:
        st.error(f"排期出错 / the solve failed: {md(job.error)}")
        return None
    outcome = job.outcome
    if outcome is None:
        return None
    if not outcome.ok:
        st.error(
            f"排期方案未通过独立检查，未保存也不显示（状态 {outcome.status.value}）/ "
            "the checker rejected the plan; it is neither saved nor shown"
        )
        for problem in outcome.problems:
            st.markdown(f"- {md(problem)}")
        return None
    if plan_id is None:
        return None
    if st.session_state.get(SHOWN_KEY) != job.job_id:
        st.session_state[SHOWN_KEY] = job.job_id
        st.session_state[PLAN_KEY] = plan_id  # before the picker is drawn
    return saved_message(plan_id)


@st.cache_data(show_spinner="绘制甘特图 / drawing the Gantt charts…", max_entries=32)
def gantt_figures(
    _scenario: Scenario,
    _plan: Plan,
    plan_id: int,
    scenario_version: int,
    bases: tuple[str, ...],
    crews: tuple[str, ...],
    genres: tuple[str, ...],
    first: date,
    last: date,
    today: date,
) -> dict[str, go.Figure | None]:
    """One figure per Gantt view (None where nothing matches the filters)."""
    blocks = gantt.filter_blocks(
        gantt.shoot_blocks(_scenario, _plan),
        bases=bases,
        crews=crews,
        genres=genres,
        first=first,
        last=last,
    )
    rows = {
        "crew": gantt.rows_by_crew(blocks),
        "set": gantt.rows_by_set(blocks),
        "title": gantt.rows_by_title(blocks),
        "actor": gantt.rows_by_actor(_scenario, blocks),
    }
    return {
        view: None
        if table.empty
        else gantt_figure(table, view, _scenario, first, last, today=today)
        for view, table in rows.items()
    }


def charts(current: Current, shown: CurrentPlan) -> tuple[tuple[str, ...], date, date]:
    """Filters and the Gantt charts in tabs; the genres and dates picked, for the tables."""
    scenario = current.scenario
    key = current.info.scenario_id
    cols = st.columns(4)
    bases = cols[0].multiselect(
        "基地 Bases",
        [b.base_id for b in scenario.bases],
        default=opening_bases(scenario, shown.plan),
        format_func=lambda i: gantt.base_label(scenario, i),
        key=f"plan_bases_{key}",
        placeholder="全部 all",
    )
    crews = cols[1].multiselect(
        "剧组 Crews",
        [c.crew_id for c in scenario.crews],
        format_func=lambda i: gantt.crew_label(scenario, i),
        key=f"plan_crews_{key}",
        placeholder="全部 all",
    )
    genres = cols[2].multiselect(
        "题材 Genres",
        sorted({t.genre for t in scenario.titles}),
        key=f"plan_genres_{key}",
        placeholder="全部 all",
    )
    picked = cols[3].date_input(
        "日期 Dates",
        value=(scenario.start_date, scenario.end_date),
        min_value=scenario.start_date,
        max_value=scenario.end_date,
        key=f"plan_dates_{key}",
    )
    dates = list(picked) if isinstance(picked, tuple | list) else [picked]
    first = dates[0] if dates else scenario.start_date
    last = dates[1] if len(dates) > 1 else scenario.end_date
    figures = gantt_figures(
        scenario,
        shown.plan,
        shown.info.plan_id,
        current.version,
        tuple(bases),
        tuple(crews),
        tuple(genres),
        first,
        last,
        local_today(),
    )
    if note := big_plan_note(scenario, shown.plan):
        st.info(md(note))
    st.caption(
        f"{gantt.PIN_MARK} = 已钉住（下次排期保持）/ pinned for the next solve · "
        "灰底 = 周末 weekend · 斜纹 = 停用/不可用 closed · 红线 = 今天 today · "
        "左上角选周 / pick a week top left · 悬停查看详情 / hover for details"
    )
    for tab, (view, label) in zip(
        st.tabs(list(gantt.VIEWS.values())), gantt.VIEWS.items(), strict=True
    ):
        with tab:
            figure = figures[view]
            if figure is None:
                st.info(f"{label}：没有符合筛选条件的拍摄 / no shoots match the filters")
            else:
                st.plotly_chart(figure, key=f"gantt_{view}")
    return tuple(genres), first, last


def unscheduled(
    current: Current, shown: CurrentPlan, filters: tuple[tuple[str, ...], date, date]
) -> None:
    """The titles the plan leaves out, with the reasons, as the genre and date filters pick."""
    genres, first, last = filters
    table = gantt.unscheduled_table(current.scenario, shown.plan, genres, first, last)
    total = len(shown.plan.unscheduled)
    st.subheader(gantt.unscheduled_heading(len(table), total))
    if total == 0:
        st.success("全部剧目都已排上 / every title is scheduled")
    elif table.empty:
        st.info("没有符合筛选条件的未排剧目 / no unscheduled title matches the filters")
    else:
        reason = st.column_config.TextColumn("原因 reason", width="large")
        st.dataframe(table, hide_index=True, column_config={"原因 reason": reason})


def change_list(current: Current, shown: CurrentPlan) -> None:
    """A re-plan's change list (变更单) against the plan it revised, and its CSV download."""
    changes = load_changes(current.store, shown.info.plan_id)
    if changes is None:  # a fresh plan: nothing to compare with
        return
    st.subheader(f"变更单 Change list（{len(changes)}）")
    st.caption(change_summary(changes))
    if not changes:
        return
    # a table, not a grid: every reason is read in full, wrapped, as it is sent out
    st.table(change_table(current.scenario, changes), hide_index=True)
    scenario = current.scenario
    download_button(
        "下载变更单 CSV Download",
        lambda: change_csv(scenario, changes),
        file_name=change_file_name(shown.info.plan_id),
        mime="text/csv",
        action=Action.DOWNLOAD,
        scenario_id=current.info.scenario_id,
        scenario_version=shown.info.scenario_version,
        plan_id=shown.info.plan_id,
        icon=":material/download:",
        key="plan_changes_download",
    )


def publish_controls(
    current: Current, account: Account, shown: CurrentPlan, publication: Publication | None
) -> None:
    """The newest publication, and publishing the plan shown up to a date as ``account``,
    under the name typed (the account's by default)."""
    scenario = current.scenario
    st.subheader("发布 Publish")
    if publication is None:
        st.caption("尚未发布 / nothing published yet")
    else:
        st.info(publication_line(publication.info), icon=":material/campaign:")
    flash = st.session_state.pop(PUBLISHED_KEY, None)
    if isinstance(flash, PlanMessage) and (text := flash.for_plan(shown.info.plan_id)):
        st.success(text)
    cols = st.columns([2, 2, 2], vertical_alignment="bottom")
    until = cols[0].date_input(
        "发布至 Publish until",
        value=default_until(scenario, publication),
        min_value=scenario.start_date,
        max_value=scenario.end_date,
        format="YYYY-MM-DD",
        key=f"plan_publish_until_{current.info.scenario_id}",
    )
    if WHO_KEY not in st.session_state:  # back from another page: the name typed last
        st.session_state[WHO_KEY] = st.session_state.get(WHO_KEPT_KEY, publisher_of(account))
    who = cols[1].text_input("发布人 Published by", key=WHO_KEY)
    st.session_state[WHO_KEPT_KEY] = who
    if cols[2].button(
        f"发布方案 #{shown.info.plan_id} Publish",
        icon=":material/send:",
        key="plan_publish",
        **allowed(Action.PUBLISH, account=account),
    ):
        try:
            info = publish_as(
                current.store, account, current.info.scenario_id, shown.info.plan_id, until, who
            )
        except (*ACTION_ERRORS, PublishError) as error:
            show_error(error)
        else:
            st.session_state[PUBLISHED_KEY] = published_message(info)
            st.rerun()
    st.caption(
        "发布后，之后的修改排期不会移动已发布的拍摄；受请假等影响的会列入变更单待审批。"
        " / Re-plans keep published shoots; broken ones are listed for approval."
    )


def save_pins(
    current: Current, account: Account, scenario: Scenario, shown_id: int, message: str
) -> None:
    """Store the scenario with changed pins as ``account`` (version check); rerun on success.

    The message belongs to the plan shown (``shown_id``), and shows with it only; it is
    also what the audit row says changed.
    """
    try:
        save_scenario(
            current.store, account, current.info.scenario_id, scenario, current.version, message
        )
    except ACTION_ERRORS as error:  # a stale version among them: nothing saved
        show_error(error)
        return
    st.session_state[FLASH_KEY] = PlanMessage(shown_id, message)
    st.rerun()


def pins(current: Current, account: Account, shown: CurrentPlan) -> None:
    """Pin a scheduled title's crew, base or start for the next solve; list and drop pins."""
    scenario = current.scenario
    st.subheader("从方案钉住 Pin from the plan")
    st.caption(
        "钉住的剧目下次排期保持所选的剧组、基地或开机日 / the next solve keeps what you pin"
    )
    flash = st.session_state.pop(FLASH_KEY, None)
    if isinstance(flash, PlanMessage) and (text := flash.for_plan(shown.info.plan_id)):
        st.success(text)
    scheduled = sorted(shown.plan.scheduled_title_ids)
    if scheduled:
        title_id = st.selectbox(
            "剧目 Title",
            scheduled,
            format_func=lambda i: gantt.title_label(scenario, i),
            key="plan_pin_title",
        )
        first = shown.plan.shoots_of(title_id)[0]
        pin_cols = st.columns(4, vertical_alignment="bottom")
        crew = pin_cols[0].checkbox(
            f"剧组 crew：{gantt.crew_label(scenario, first.crew_id)}", value=True, key="pin_crew"
        )
        base = pin_cols[1].checkbox(
            f"基地 base：{gantt.base_label(scenario, first.base_id)}", value=True, key="pin_base"
        )
        start = pin_cols[2].checkbox(f"开机日 start：{first.date:%m-%d}", key="pin_start")
        if pin_cols[3].button(
            "钉住 Pin",
            icon=":material/push_pin:",
            key="plan_pin",
            **allowed(Action.SAVE, account=account),
        ):
            try:
                pinned = pin_from_plan(scenario, shown.plan, title_id, crew, base, start)
            except PinError as error:
                st.error(md(str(error)))
            else:
                save_pins(
                    current,
                    account,
                    pinned,
                    shown.info.plan_id,
                    f"已钉住 {gantt.title_label(scenario, title_id)} / pinned",
                )
    if scenario.pins:
        st.dataframe(gantt.pins_table(scenario), hide_index=True)
        cols = st.columns([3, 1], vertical_alignment="bottom")
        drop = cols[0].selectbox(
            "取消钉住 Unpin",
            [p.title_id for p in scenario.pins],
            format_func=lambda i: gantt.title_label(scenario, i),
            key="plan_unpin_title",
        )
        if cols[1].button(
            "取消钉住 Unpin",
            icon=":material/close:",
            key="plan_unpin",
            **allowed(Action.SAVE, account=account),
        ):
            save_pins(
                current,
                account,
                unpin(scenario, drop),
                shown.info.plan_id,
                f"已取消钉住 {drop} / unpinned",
            )


st.title("排期 Plan")
account = user()
current = pick_scenario()
if current is None:
    st.stop()
scenario_key = current.info.scenario_id
job = job_for(scenario_key)

st.caption(current.scenario.summary())
publication = latest_publication(current.store, scenario_key)
solve_controls(current, account, job, publication)
message = finished_job(current, job) if job is not None and not job.running else None
st.fragment(live_progress, run_every=1.0 if job is not None and job.running else None)(
    scenario_key, account
)

shown = pick_plan(current)
if shown is None:
    if job is None or not job.running:  # while a solve runs, its progress line says enough
        st.info(
            "还没有排期方案：设定时限后点「开始排期」"
            " / no plan yet: set a time limit and press Solve"
        )
    st.stop()
if message is not None and (text := message.for_plan(shown.info.plan_id)):
    st.success(text)
if warning := stale_plan_warning(shown.info.scenario_version, current.version):
    st.warning(warning, icon=":material/history:")
st.markdown(kpi_line(shown.kpis))
change_list(current, shown)
publish_controls(current, account, shown, publication)
filters = charts(current, shown)
unscheduled(current, shown, filters)
pins(current, account, shown)
fit_section(current, shown, publication.titles if publication is not None else frozenset())
