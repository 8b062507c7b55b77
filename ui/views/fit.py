"""插单 Rush title: a section of the Plan page (call :func:`fit_section`).

A form for the new title, the best options to fit it into the plan shown, and
「采用此方案」 to store the scenario with the title and the chosen option's plan.
The logic lives in :mod:`scheduler.app.fitting`; this module only draws. Finding options
(a ``solve``) and accepting one (a ``save``) are the signed-in user's, checked on the
server and audited; greyed out for a role that may not.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import fitting
from scheduler.app.plan_view import PlanMessage
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Account, Action
from scheduler.domain.errors import ScenarioError
from scheduler.services.planning import UncheckedPlanError
from ui.actions import ACTION_ERRORS, allowed, show_error
from ui.current import PLAN_KEY, Current, CurrentPlan, load_plan, user

OUTCOME_KEY = "fit_outcome"  # the KeptFit shown, until the scenario or plan changes
FLASH_KEY = "fit_flash"  # the PlanMessage of an accepted option, shown after the rerun


def fit_section(
    current: Current, shown: CurrentPlan | None = None, published: frozenset[str] = frozenset()
) -> None:
    """The rush-title section: form, options, accept. ``shown``: the plan the page shows.

    Without ``shown`` the plan chosen in the page's plan picker is used; no option
    moves a title of ``published`` (the newest publication).
    """
    account = user()
    st.subheader("插单 Rush title")
    flash = st.session_state.get(FLASH_KEY)
    if isinstance(flash, PlanMessage) and (text := flash.for_plan(_plan_id(shown))):
        st.success(text)
    if shown is None and st.session_state.get(PLAN_KEY) is None:
        st.info("先排出一个方案，再插单 / make a plan first, then fit a rush title into it")
        return
    plan_id = _plan_id(shown)
    plan = shown.plan if shown is not None else load_plan(current.store, plan_id)[0]
    st.caption(
        "填写新剧目，查找把它插进当前方案的最好几种安排（基地、剧组、开机日）及要挪动的剧目"
        " / describe the new title; see the best ways to fit it into the plan shown"
    )
    form = _form(current)
    if st.button(
        "查找插单方案 Find options",
        icon=":material/search:",
        key="fit_find",
        **allowed(Action.SOLVE, account=account),
    ):
        row = fitting.form_row(current.scenario, form)
        try:
            with st.spinner("查找插单方案 / looking for options…"):
                outcome = fitting.find_options(
                    current.store,
                    account,
                    current.scenario,
                    plan,
                    row,
                    published,
                    scenario_id=current.info.scenario_id,
                    version=current.version,
                    plan_id=plan_id,
                )
        except ScenarioError as error:
            st.session_state.pop(OUTCOME_KEY, None)
            st.error("插单剧目有问题 / the rush title has problems:")
            for problem in error.problems:
                st.markdown(f"- {md(problem.format('both'))}")
        except ACTION_ERRORS as error:
            st.session_state.pop(OUTCOME_KEY, None)
            show_error(error)
        else:
            st.session_state[OUTCOME_KEY] = fitting.KeptFit(
                current.info.scenario_id, current.version, plan_id, outcome
            )
    kept = st.session_state.get(OUTCOME_KEY)
    if isinstance(kept, fitting.KeptFit) and kept.belongs_to(
        current.info.scenario_id, current.version, plan_id
    ):
        _options(current, account, kept)


def _plan_id(shown: CurrentPlan | None) -> int:
    if shown is not None:
        return shown.info.plan_id
    return int(st.session_state.get(PLAN_KEY) or 0)


def _form(current: Current) -> fitting.RushForm:
    """The rush title's fields and its needs table."""
    scenario = current.scenario
    left, middle, right = st.columns(3)
    name = left.text_input("名称 Name", value="插单剧目", key="fit_name")
    genre = middle.selectbox("题材 Genre", fitting.genre_choices(scenario), key="fit_genre")
    priority = right.number_input(
        "优先级 Priority", min_value=1, max_value=100, value=3, step=1, key="fit_priority"
    )
    first_col, last_col = st.columns(2)
    first, last = scenario.start_date, scenario.end_date
    earliest = first_col.date_input(
        "最早开机 Earliest start", value=first, min_value=first, max_value=last, key="fit_earliest"
    )
    due = last_col.date_input(
        "最晚杀青 Due date", value=last, min_value=first, max_value=last, key="fit_due"
    )
    cast = st.multiselect(
        "主演 Cast",
        [a.actor_id for a in scenario.actors],
        format_func=lambda a: fitting.actor_label(scenario, a),
        key="fit_cast",
        placeholder="可不选 optional",
    )
    needs = st.data_editor(
        fitting.empty_needs(scenario),
        num_rows="dynamic",
        hide_index=True,
        key="fit_needs",
        column_config={
            fitting.SET_TYPE: st.column_config.SelectboxColumn(
                fitting.SET_TYPE, options=list(scenario.set_types), required=True
            ),
            fitting.DAYS: st.column_config.NumberColumn(
                fitting.DAYS, min_value=1, max_value=30, step=1, required=True
            ),
        },
    )
    return fitting.RushForm(
        name=name,
        genre=str(genre or ""),
        priority=int(priority),
        earliest_start=earliest if not isinstance(earliest, tuple) else scenario.start_date,
        due_date=due if not isinstance(due, tuple) else scenario.end_date,
        cast=tuple(cast),
        needs=needs,
    )


def _options(current: Current, account: Account, kept: fitting.KeptFit) -> None:
    """The options found, a radio to pick one and 「采用此方案」."""
    outcome = kept.outcome
    st.caption(fitting.summary_line(outcome))
    if outcome.shortfall:
        st.info(outcome.shortfall)
    if not outcome.options:
        return
    st.dataframe(
        fitting.options_table(outcome),
        hide_index=True,
        column_config={
            "挪动的剧目 titles moved": st.column_config.TextColumn(width="large"),
        },
    )
    index = st.radio(
        "选择方案 Pick an option",
        list(range(len(outcome.options))),
        format_func=lambda i: fitting.option_label(outcome, i),
        key="fit_pick",
    )
    if st.button(
        "采用此方案 Accept",
        type="primary",
        icon=":material/check:",
        key="fit_accept",
        **allowed(Action.SAVE, account=account),
    ):
        try:
            accepted = fitting.accept(
                current.store,
                account,
                current.info.scenario_id,
                current.version,
                outcome,
                int(index),
            )
        except (*ACTION_ERRORS, UncheckedPlanError) as error:
            show_error(error)
            return
        st.session_state.pop(OUTCOME_KEY, None)
        st.session_state[FLASH_KEY] = fitting.accepted_message(outcome, accepted)
        st.session_state.pop(PLAN_KEY, None)  # the picker then shows the newest: this plan
        st.rerun()
