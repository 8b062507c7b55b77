"""场景 Scenarios: the scenarios stored in the database.

List them; open one (the sidebar's current scenario); clone one for a what-if; rename;
delete (after a confirmation); import a .zip of a CSV folder or an .xlsx workbook, which
stores nothing unless the whole scenario is valid; export the current scenario.
Actions run in button callbacks, before the page is drawn, so the sidebar picker can be
moved to the scenario they open; their outcome is kept for the page to show. Each is the
signed-in user's, through :mod:`scheduler.services.scenarios` (checked on the server and
audited); a button the role may not press is greyed out.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app.support import scenario_rows
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Account, Action
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.io.scenario_files import scenario_to_xlsx_bytes, scenario_to_zip_bytes
from scheduler.services.scenarios import (
    clone_scenario,
    delete_scenario,
    import_scenario,
    rename_scenario,
)
from scheduler.storage import ScenarioInfo
from ui.actions import ACTION_ERRORS, allowed, error_text
from ui.current import SCENARIO_KEY, pick_scenario, user
from ui.downloads import download_button
from ui.resources import scenario_store

FLASH_KEY = "scenarios_flash"  # (kind, text) of the last action's outcome
CHOSEN_KEY = "scenarios_chosen"  # the scenario the actions below the list apply to
CONFIRM_KEY = "scenarios_confirm_delete"  # id of the scenario awaiting a confirmed delete
UPLOAD_ROUND_KEY = "scenarios_upload_round"  # bumped after an import, to empty the uploader
IMPORT_NAME_KEY = "scenarios_import_name"
IMPORT_PROBLEMS_KEY = "scenarios_import_problems"  # (file name, problems) of a refused import


def flash(kind: str, text: str) -> None:
    """Keep an action's outcome for the page to show (callbacks cannot draw in place)."""
    st.session_state[FLASH_KEY] = (kind, text)


def open_scenario(scenario_id: int) -> None:
    st.session_state[SCENARIO_KEY] = scenario_id
    st.session_state[CHOSEN_KEY] = scenario_id


def open_action(info: ScenarioInfo) -> None:
    open_scenario(info.scenario_id)
    flash("success", f"已打开「{md(info.name)}」/ opened {md(repr(info.name))}")


def new_name(key: str) -> str:
    """The name typed under ``key`` (a blank one is refused by the action, which says so)."""
    return str(st.session_state.get(key, ""))


def clone_action(account: Account, info: ScenarioInfo, key: str) -> None:
    name = new_name(key)
    try:
        copy = clone_scenario(scenario_store(), account, info.scenario_id, name)
    except ACTION_ERRORS as error:
        flash("error", error_text(error))
        return
    open_scenario(copy.scenario_id)
    flash(
        "success",
        f"已复制「{md(info.name)}」为「{md(copy.name)}」并打开 / "
        f"cloned {md(repr(info.name))} as {md(repr(copy.name))}",
    )


def rename_action(account: Account, info: ScenarioInfo, key: str) -> None:
    name = new_name(key)
    if name.strip() == info.name:
        return
    try:
        renamed = rename_scenario(scenario_store(), account, info.scenario_id, name)
    except ACTION_ERRORS as error:
        flash("error", error_text(error))
        return
    flash(
        "success",
        f"已改名为「{md(renamed.name)}」（版本 v{renamed.version}）/ "
        f"renamed to {md(repr(renamed.name))}",
    )


def ask_delete(scenario_id: int) -> None:
    st.session_state[CONFIRM_KEY] = scenario_id


def cancel_delete() -> None:
    st.session_state.pop(CONFIRM_KEY, None)


def delete_action(account: Account, info: ScenarioInfo) -> None:
    st.session_state.pop(CONFIRM_KEY, None)
    try:
        delete_scenario(scenario_store(), account, info.scenario_id)
    except ACTION_ERRORS as error:
        flash("error", error_text(error))
        return
    for key in (SCENARIO_KEY, CHOSEN_KEY):
        if st.session_state.get(key) == info.scenario_id:
            st.session_state.pop(key)
    flash("success", f"已删除「{md(info.name)}」/ deleted {md(repr(info.name))}")


def import_action(account: Account, uploader_key: str) -> None:
    uploaded = st.session_state.get(uploader_key)
    st.session_state.pop(IMPORT_PROBLEMS_KEY, None)
    if uploaded is None:
        flash("error", "请先选择要导入的文件 / choose a file to import first")
        return
    name = str(st.session_state.get(IMPORT_NAME_KEY, ""))
    notes: list[Problem] = []
    try:
        info = import_scenario(
            scenario_store(), account, uploaded.getvalue(), uploaded.name, name, notes
        )
    except ScenarioError as error:
        st.session_state[IMPORT_PROBLEMS_KEY] = (uploaded.name, error.problems)
        return
    except ACTION_ERRORS as error:
        flash("error", error_text(error))
        return
    open_scenario(info.scenario_id)
    st.session_state[UPLOAD_ROUND_KEY] = st.session_state.get(UPLOAD_ROUND_KEY, 0) + 1
    st.session_state[IMPORT_NAME_KEY] = ""
    said = "".join(f"\n\n{md(note.format('zh'))}" for note in notes)
    flash(
        "success",
        f"已导入「{md(info.name)}」（{info.title_count} 个剧目，"
        f"{info.base_count} 个基地）并打开 / "
        f"imported {md(repr(info.name))} and opened it{said}",
    )


st.title("场景 Scenarios")
account = user()
current = pick_scenario()
store = scenario_store()
infos = store.list()

if outcome := st.session_state.pop(FLASH_KEY, None):
    kind, text = outcome
    getattr(st, kind)(text)

if infos:
    st.dataframe(scenario_rows(infos), hide_index=True)
else:
    st.info("还没有保存的场景，请在下方导入一个。/ No scenarios stored yet: import one below.")

if infos:
    by_id = {info.scenario_id: info for info in infos}
    if st.session_state.get(CHOSEN_KEY) not in by_id:
        st.session_state[CHOSEN_KEY] = (
            current.info.scenario_id if current else infos[0].scenario_id
        )
    chosen_id = st.selectbox(
        "选择场景 Scenario to work on",
        list(by_id),
        key=CHOSEN_KEY,
        format_func=lambda i: f"{by_id[i].name}（v{by_id[i].version}）",
    )
    chosen = by_id[chosen_id]
    is_current = current is not None and current.info.scenario_id == chosen_id

    open_column, clone_column, rename_column, delete_column = st.columns(4)
    with open_column:
        st.markdown("**打开 Open**")
        st.caption("设为侧栏的当前场景 / make it the current scenario")
        st.button(
            "打开 Open",
            key="scenarios_open",
            on_click=open_action,
            args=(chosen,),
            disabled=is_current,
            icon=":material/folder_open:",
        )
    with clone_column:
        clone_key = f"scenarios_clone_name_{chosen_id}"
        st.text_input("复制为 Clone as", value=f"{chosen.name} 副本", key=clone_key)
        st.button(
            "复制 Clone",
            key="scenarios_clone",
            on_click=clone_action,
            args=(account, chosen, clone_key),
            **allowed(Action.SAVE, account=account),
        )
    with rename_column:
        rename_key = f"scenarios_rename_{chosen_id}"
        st.text_input("新名称 New name", value=chosen.name, key=rename_key)
        st.button(
            "改名 Rename",
            key="scenarios_rename",
            on_click=rename_action,
            args=(account, chosen, rename_key),
            **allowed(Action.SAVE, account=account),
        )
    with delete_column:
        st.markdown("**删除 Delete**")
        st.caption("连同它的全部排期方案 / with all its plans")
        st.button(
            "删除 Delete",
            key="scenarios_delete",
            icon=":material/delete:",
            on_click=ask_delete,
            args=(chosen_id,),
            **allowed(Action.DELETE, account=account),
        )
    if st.session_state.get(CONFIRM_KEY) == chosen_id:
        plan_count = len(store.list_plans(chosen_id))
        st.warning(
            f"确定删除「{md(chosen.name)}」及其 {plan_count} 个排期方案吗？此操作无法撤销。"
            f" / Delete {md(repr(chosen.name))} and its {plan_count} plan(s)?"
            " This cannot be undone."
        )
        confirm_column, cancel_column, _ = st.columns([1, 1, 4])
        confirm_column.button(
            "确认删除 Delete",
            key="scenarios_delete_confirm",
            type="primary",
            on_click=delete_action,
            args=(account, chosen),
            **allowed(Action.DELETE, account=account),
        )
        cancel_column.button(
            "取消 Cancel",
            key="scenarios_delete_cancel",
            on_click=cancel_delete,
        )

st.divider()
st.subheader("导入 Import")
uploader_key = f"scenarios_upload_{st.session_state.get(UPLOAD_ROUND_KEY, 0)}"
st.file_uploader(
    "CSV 文件夹的 .zip 压缩包，或 .xlsx 工作簿 / a .zip of a CSV folder, or an .xlsx workbook",
    type=["zip", "xlsx"],
    key=uploader_key,
)
st.text_input(
    "名称（可选，留空则用文件中的名称）/ Name (optional; blank keeps the name in the file)",
    key=IMPORT_NAME_KEY,
)
st.button(
    "导入 Import",
    key="scenarios_import",
    on_click=import_action,
    args=(account, uploader_key),
    **allowed(Action.IMPORT, account=account),
)
if refused := st.session_state.get(IMPORT_PROBLEMS_KEY):
    file_name, problems = refused
    st.error(
        f"「{md(file_name)}」有 {len(problems)} 个问题，未导入任何内容。"
        f" / {md(file_name)}: {len(problems)} problem(s), nothing was imported."
    )
    st.code(
        "\n".join(problem.format("both") for problem in problems), language=None, wrap_lines=True
    )

st.divider()
st.subheader("导出 Export")
if current is None:
    st.caption("没有当前场景 / no current scenario")
else:
    st.caption(
        f"当前场景「{md(current.info.name)}」，版本 v{current.version} / the current scenario"
    )
    exported, exported_name = current.scenario, current.info.name  # for the callbacks below
    xlsx_column, zip_column, _ = st.columns([1, 1, 2])
    download_button(
        "下载 .xlsx 工作簿 Workbook",
        lambda: scenario_to_xlsx_bytes(exported),
        file_name=f"{md(current.info.name)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        action=Action.EXPORT,
        container=xlsx_column,
        key="scenarios_export_xlsx",
        icon=":material/download:",
        scenario_id=current.info.scenario_id,
        scenario_version=current.version,
    )
    download_button(
        "下载 CSV 文件夹 .zip",
        lambda: scenario_to_zip_bytes(exported, exported_name),
        file_name=f"{md(current.info.name)}.zip",
        mime="application/zip",
        action=Action.EXPORT,
        container=zip_column,
        key="scenarios_export_zip",
        icon=":material/download:",
        scenario_id=current.info.scenario_id,
        scenario_version=current.version,
    )
st.caption(f"数据库 / database: {store.engine.url.render_as_string(hide_password=True)}")
