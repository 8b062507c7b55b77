"""输入 Inputs.

Every table of the current scenario in an editor, its settings above; problems beside the
table they belong to; saved as one transaction with the version check. The edits live in
``st.session_state`` under the scenario id, the version being edited and a generation
(bumped by 重新载入 Reload), so they survive reruns, moving to other pages and a refused save.
Saving is the signed-in user's ``save`` (:func:`scheduler.services.scenarios.save_scenario`):
checked on the server and audited; greyed out for a role that may not save.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from scheduler.app.editing import (
    CHOICE_LABELS,
    SETTING_LABELS,
    SETTINGS_TITLE,
    SHEET_TITLES,
    EditCheck,
    SheetProblem,
    check_edits,
    column_kind,
    column_label,
    edited_settings,
    editor_frames,
    id_choices,
    typed_dates,
)
from scheduler.app.rows import row_text
from scheduler.domain.accounts import Action
from scheduler.domain.model import Scenario
from scheduler.io.tables import SETTINGS_SHEET
from scheduler.io.validation import (
    FIRST_DATE,
    LAST_DATE,
    MAX_DAY_MINUTES,
    MAX_HORIZON_DAYS,
    MAX_TARGET,
    MIN_DAY_MINUTES,
)
from scheduler.services.scenarios import refuse_invalid_save, save_scenario
from scheduler.storage import StaleScenarioError
from ui.actions import ACTION_ERRORS, allowed, show_error
from ui.current import pick_scenario, user

FLASH_KEY = "inputs_flash"

CHOICE_HINTS = {
    "kind": "演员、剧组、场景/棚或基地 / actor, crew, set or base",
    "day_night": "日或夜，留空即为日 / day or night, blank for day",
    "int_ext": "内景或外景，留空即为内 / interior or exterior, blank for interior",
}
"""The hint of each column picked from a fixed list (:data:`CHOICE_LABELS`)."""


def editing_key(scenario_id: int) -> str:
    """Session key of the (scenario, version, generation) the page edits for a scenario id."""
    return f"inputs_editing_{scenario_id}"


def editor_key(prefix: str, sheet: str) -> str:
    """Widget key of one sheet's editor (tests seed cell edits under it)."""
    return f"{prefix}_editor_{sheet}"


def has_pending_edits(prefix: str) -> bool:
    """Whether the editors or settings of ``prefix`` hold edits not yet saved."""
    if st.session_state.get(f"{prefix}_dirty", False):
        return True
    for sheet in SHEET_TITLES:
        state = st.session_state.get(editor_key(prefix, sheet))
        if isinstance(state, dict) and any(state.get(part) for part in state):
            return True
    return False


def reload(scenario_id: int) -> None:
    """Drop the edits and edit the stored version afresh (a new generation of widgets)."""
    editing = st.session_state.pop(editing_key(scenario_id), None)
    generation = st.session_state.get(f"inputs_generation_{scenario_id}", 0)
    if editing is not None:
        _scenario, version, generation = editing
        prefix = f"inputs_{scenario_id}_v{version}_g{generation}"
        for part in ("given", "edited", "settings", "dirty"):
            st.session_state.pop(f"{prefix}_{part}", None)
        generation += 1
    st.session_state[f"inputs_generation_{scenario_id}"] = generation


def _picker(label: str, choices: dict[str, str], hint: str) -> Any:
    """A choice by label (``A004 邵强宇``) that stores the id; an id not listed is kept."""
    return st.column_config.SelectboxColumn(
        label,
        options=list(choices),
        format_func=lambda value: choices.get(str(value), str(value)),
        help=hint,
    )


def column_config(
    frame: pd.DataFrame, pickers: dict[str, dict[str, str]], sheet: str = ""
) -> dict[str, Any]:
    """Chinese headers, whole numbers as integers, ISO dates, kinds, words and ids as choices.

    ``pickers``: the id columns chosen by name (:func:`scheduler.app.editing.id_choices`);
    ``sheet``: the sheet shown, for a column that means something else in it.
    """
    config: dict[str, Any] = {"_index": st.column_config.Column("行 row")}  # problems name it
    for column in frame.columns:
        label = column_label(str(column), sheet)
        kind = column_kind(str(column))
        if column in CHOICE_LABELS:
            config[column] = _picker(label, CHOICE_LABELS[column], CHOICE_HINTS[column])
        elif column in pickers:
            config[column] = _picker(
                label, pickers[column], "按编号或名称选择 / pick by id or name"
            )
        elif kind == "whole":
            config[column] = st.column_config.NumberColumn(label, step=1, format="%d")
        elif kind == "date":
            config[column] = st.column_config.DateColumn(
                label,
                format="YYYY-MM-DD",
                min_value=date(2000, 1, 1),
                max_value=date(2099, 12, 31),
                help="日期 YYYY-MM-DD，可在日历中选择 / an ISO date, or pick it",
            )
        else:
            config[column] = st.column_config.TextColumn(label)
    return config


def sheet_editor(
    prefix: str,
    sheet: str,
    original: pd.DataFrame,
    pickers: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """One sheet's editor; the edited frame (``pickers``: id columns chosen by name).

    The editor is handed the frame it was created with for as long as its widget lives
    (its edits are kept relative to that frame); a new widget (after visiting another
    page) is handed the last edited frame, so no edit is lost or applied twice.
    """
    key = editor_key(prefix, sheet)
    given: dict[str, pd.DataFrame] = st.session_state.setdefault(f"{prefix}_given", {})
    edited: dict[str, pd.DataFrame] = st.session_state.setdefault(f"{prefix}_edited", {})
    if key not in st.session_state or sheet not in given:
        given[sheet] = edited.get(sheet, original)
    frame = st.data_editor(
        given[sheet],
        key=key,
        num_rows="dynamic",
        column_config=column_config(given[sheet], pickers or {}, sheet),
        width="stretch",
        hide_index=False,
        placeholder="",  # a blank cell: no limit, no pin, nothing listed
    )
    edited[sheet] = typed_dates(frame)  # a later editor still parses dates as dates
    return frame


def show_problems(problems: list[SheetProblem], shown: pd.DataFrame | None = None) -> None:
    """A sheet's problems, as rows of a table: row, column, what is wrong.

    ``shown`` is the frame the editor was drawn with, to tell rows added since.
    """
    if not problems:
        return
    last_row = int(shown.index.max()) if shown is not None and len(shown) else 0
    st.error(
        f"{len(problems)} 个问题，修正后才能保存 / {len(problems)} problem(s) to fix before saving"
    )
    st.dataframe(
        pd.DataFrame(
            {
                "行 row": [
                    row_text(problem.row, last_row, in_column=True) for problem in problems
                ],
                "列 column": [
                    "" if problem.column == "*" else problem.column_label for problem in problems
                ],
                "问题 problem": [
                    f"{problem.message_zh}（{problem.message}）" for problem in problems
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def setting_input(prefix: str, field: str, default: object, widget: Any, **options: Any) -> Any:
    """A settings widget whose value survives other pages: seeded from the last edit."""
    key = f"{prefix}_setting_{field}"
    kept: dict[str, object] = st.session_state.setdefault(f"{prefix}_settings", {})
    if key not in st.session_state:
        st.session_state[key] = kept.get(field, default)
    value = widget(key=key, **options)
    kept[field] = value
    return value


def settings_editor(prefix: str, scenario: Scenario) -> dict[str, object]:
    """The scenario's name, horizon, working minutes a day and targets; the settings as edited."""
    name_column, start_column, days_column, minutes_column, shoots_column, titles_column = (
        st.columns([3, 2, 1, 2, 2, 2])
    )
    with name_column:
        name = setting_input(
            prefix, "name", scenario.name, st.text_input, label=SETTING_LABELS["name"]
        )
    with start_column:
        start: date | None = setting_input(
            prefix,
            "start_date",
            scenario.start_date,
            st.date_input,
            label=SETTING_LABELS["start_date"],
            format="YYYY-MM-DD",
            min_value=FIRST_DATE,
            max_value=LAST_DATE,
        )
    with days_column:
        days = setting_input(
            prefix,
            "days",
            scenario.days,
            st.number_input,
            label="天数 days",
            min_value=1,
            max_value=MAX_HORIZON_DAYS,
            step=1,
        )
    with minutes_column:
        day_minutes = setting_input(
            prefix,
            "day_minutes",
            scenario.day_minutes,
            st.number_input,
            label=SETTING_LABELS["day_minutes"],
            min_value=MIN_DAY_MINUTES,
            max_value=MAX_DAY_MINUTES,
            step=30,
            help="场次按此分钟数排成拍摄日 / scenes are packed into days of this many minutes",
        )
    with shoots_column:
        shoots = setting_input(
            prefix,
            "parallel_shoots_per_day",
            scenario.targets.parallel_shoots_per_day,
            st.number_input,
            label="每日并行拍摄目标 parallel shoots / day",
            min_value=1,
            max_value=MAX_TARGET,
            step=1,
        )
    with titles_column:
        titles = setting_input(
            prefix,
            "titles_per_month",
            scenario.targets.titles_per_month,
            st.number_input,
            label="每月剧目目标 titles / month",
            min_value=1,
            max_value=MAX_TARGET,
            step=1,
        )
    return edited_settings(
        scenario,
        name=name,
        start_date=start,
        days=None if days is None else int(days),
        parallel_shoots_per_day=None if shoots is None else int(shoots),
        titles_per_month=None if titles is None else int(titles),
        day_minutes=None if day_minutes is None else int(day_minutes),
    )


def status_line(check: EditCheck, changed: bool, version: int) -> str:
    """What the editors hold compared with the version being edited."""
    if not check.ok:
        where = " · ".join(
            f"{SHEET_TITLES.get(sheet, SETTINGS_TITLE)} {len(found)}"
            for sheet, found in check.problems.items()
        )
        return (
            f":material/warning: 版本 v{version} 有未保存的修改，"
            f"其中 {check.problem_count} 个问题（{where}） / "
            f"unsaved edits of version {version} with {check.problem_count} problem(s)"
        )
    if changed:
        return (
            f":material/edit: 版本 v{version} 有未保存的修改 / unsaved edits of version {version}"
        )
    return (
        f":material/check_circle: 版本 v{version}，没有未保存的修改 / "
        f"version {version}, nothing unsaved"
    )


st.title("输入 Inputs")
account = user()
current = pick_scenario()
if current is None:
    st.info("还没有场景，请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
    st.stop()

scenario_id = current.info.scenario_id
key = editing_key(scenario_id)
editing = st.session_state.get(key)
if editing is not None and editing[1] != current.version:
    prefix = f"inputs_{scenario_id}_v{editing[1]}_g{editing[2]}"
    if not has_pending_edits(prefix):
        editing = None  # nothing unsaved: follow the stored version
if editing is None:
    generation = st.session_state.get(f"inputs_generation_{scenario_id}", 0)
    editing = (current.scenario, current.version, generation)
    st.session_state[key] = editing
base_scenario, base_version, generation = editing
prefix = f"inputs_{scenario_id}_v{base_version}_g{generation}"

if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash)
top = st.container()
if base_version != current.version:
    top.warning(
        f"数据库中已有更新的版本 v{current.version}（有人在你载入 v{base_version} 之后保存过），"
        "你的修改无法保存；重新载入会放弃这些修改。"
        f" / Version {current.version} was stored after you loaded version {base_version}: "
        "your edits cannot be saved. Reloading discards them."
    )

st.subheader(SETTINGS_TITLE)
settings = settings_editor(prefix, base_scenario)
settings_problems = st.container()

originals = editor_frames(base_scenario)
frames: dict[str, pd.DataFrame] = {}
slots = {}
for sheet, tab in zip(SHEET_TITLES, st.tabs(list(SHEET_TITLES.values())), strict=True):
    with tab:
        # the resource sheets come first, so their edits are offered by name already
        pickers = id_choices(sheet, {**originals, **frames})
        frames[sheet] = sheet_editor(prefix, sheet, originals[sheet], pickers)
        slots[sheet] = st.container()

check = check_edits(frames, settings)
changed = not check.ok or check.scenario != base_scenario
st.session_state[f"{prefix}_dirty"] = changed
with settings_problems:
    show_problems(check.problems.get(SETTINGS_SHEET, []))
for sheet, slot in slots.items():
    with slot:
        show_problems(check.problems.get(sheet, []), st.session_state[f"{prefix}_given"][sheet])

with top:
    st.caption(status_line(check, changed, base_version))
    save_column, reload_column = st.columns([1, 3])
    save = save_column.button(
        "保存 Save",
        type="primary",
        icon=":material/save:",
        key="inputs_save",
        **allowed(Action.SAVE, account=account),
    )
    reload_column.button(
        "重新载入 Reload（放弃未保存的修改 discard unsaved edits）",
        key="inputs_reload",
        on_click=reload,
        args=(scenario_id,),
        disabled=not changed and base_version == current.version,
    )
    if save:
        if check.scenario is None:
            refuse_invalid_save(
                current.store, account, scenario_id, base_version, check.problem_count
            )
            st.error(
                f"有 {check.problem_count} 个问题，未保存任何内容；请按各表下方的提示修正。"
                f" / {check.problem_count} problem(s): nothing was saved; "
                "fix them as listed under each table."
            )
        elif not changed:
            st.info("没有修改，无需保存 / nothing changed, nothing to save")
        else:
            try:
                new_version = save_scenario(
                    current.store, account, scenario_id, check.scenario, base_version
                )
            except StaleScenarioError as error:
                st.error(
                    f"{error.format('zh')}\n\n{error.format('en')}\n\n"
                    "你的修改仍在下方，可先复制出来再重新载入。"
                    " / Your edits are still below: copy what you need, then reload."
                )
            except ACTION_ERRORS as error:
                show_error(error)
            else:
                st.session_state[key] = (check.scenario, new_version, generation)
                for part in ("given", "edited", "settings", "dirty"):
                    st.session_state.pop(f"{prefix}_{part}", None)
                st.session_state[FLASH_KEY] = (
                    f"已保存为版本 v{new_version} / saved as version {new_version}"
                )
                st.rerun()
