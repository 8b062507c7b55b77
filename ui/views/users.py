"""用户 Users: the accounts, a new one, role and bases, disable or enable, a new password.

Head only (制片主管); every change is checked again on the server and audited by
:mod:`scheduler.app.users_view`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from scheduler.app import users_view as view
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Role
from scheduler.services.accounts import AccountChangeError, NotPermittedError
from scheduler.storage import StorageError
from ui.current import pick_scenario, user
from ui.resources import scenario_store

FLASH_KEY = "users_flash"  # the last change's message, shown after the rerun it causes
ROUND_KEY = "users_form_round"  # bumped after a change, so the forms start empty again

st.title("用户 Users")
actor = user()
store = scenario_store()
if not view.may_manage(actor):
    st.error(view.NOT_PERMITTED_NOTE)
    st.stop()

current = pick_scenario()
scenario_bases = current.scenario.bases if current is not None else ()
round_ = st.session_state.get(ROUND_KEY, 0)
first = view.first_account(store)


def attempt(change: Callable[[], str]) -> None:
    """Run one change; its message after a rerun, or every problem now."""
    try:
        message = change()
    except AccountChangeError as error:
        st.error("\n".join(f"- {md(problem)}" for problem in error.problems))
        return
    except NotPermittedError as error:
        st.error(md(error))
        return
    except StorageError as error:  # e.g. another head was demoted at the same moment
        st.error(md(error.format()))
        return
    st.session_state[FLASH_KEY] = message
    st.session_state[ROUND_KEY] = round_ + 1
    st.rerun()  # the first account: the login gate takes over from here


flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(md(flash))
if first:
    st.info(view.FIRST_ACCOUNT_NOTE)

stored = store.list_accounts()
st.subheader(f"账号 Accounts（{len(stored)}）")
if stored:
    st.dataframe(view.account_table(stored), hide_index=True)

st.subheader("新建账号 New account")
options = view.base_options(scenario_bases)
with st.form(f"users_new_{round_}"):
    name = st.text_input("账号名 Name", max_chars=64, key=f"users_new_name_{round_}")
    roles = [Role.HEAD] if first else list(view.ROLES)
    role = st.selectbox(
        "角色 Role",
        roles,
        format_func=lambda r: r.label,
        key=f"users_new_role_{round_}",
        help="第一个账号必须是制片主管 the first account must be a head" if first else None,
    )
    picked = st.multiselect(
        "基地 Bases（仅基地负责人 base managers only）",
        list(options),
        format_func=options.__getitem__,
        key=f"users_new_bases_{round_}",
    )
    typed = st.text_input(
        "其他场景的基地 Bases of other scenarios（如 e.g. B07;B08）",
        key=f"users_new_typed_{round_}",
    )
    password = st.text_input("密码 Password", type="password", key=f"users_new_pw_{round_}")
    again = st.text_input("再输一次 Again", type="password", key=f"users_new_again_{round_}")
    if st.form_submit_button("创建 Create", type="primary", key="users_create"):
        form = view.NewAccount(name, role, picked, typed, password, again)
        attempt(lambda: view.create(store, actor, form))

if not stored:
    st.stop()

st.subheader("修改账号 Change an account")
names = [item.account.name for item in stored]
by_name = {item.account.name: item.account for item in stored}
chosen = st.selectbox("账号 Account", names, key="users_chosen")
account = by_name[chosen]
kept = view.base_options(scenario_bases, account.bases)
with st.form(f"users_change_{chosen}_{round_}"):
    new_role = st.selectbox(
        "角色 Role",
        list(view.ROLES),
        index=view.ROLES.index(account.role),
        format_func=lambda r: r.label,
        key=f"users_role_{chosen}_{round_}",
    )
    new_picked = st.multiselect(
        "基地 Bases（仅基地负责人 base managers only）",
        list(kept),
        default=list(account.bases),
        format_func=kept.__getitem__,
        key=f"users_bases_{chosen}_{round_}",
    )
    new_typed = st.text_input(
        "其他场景的基地 Bases of other scenarios（如 e.g. B07;B08）",
        key=f"users_typed_{chosen}_{round_}",
    )
    if st.form_submit_button("保存 Save", key="users_save"):
        attempt(lambda: view.change(store, actor, chosen, new_role, new_picked, new_typed))

status = view.DISABLED if account.disabled else view.ENABLED
st.caption(md(f"「{chosen}」现为 is now {status}"))
if account.disabled:
    if st.button("启用 Enable", key=f"users_enable_{round_}"):
        attempt(lambda: view.set_disabled(store, actor, chosen, False))
elif st.button("停用 Disable", key=f"users_disable_{round_}"):
    attempt(lambda: view.set_disabled(store, actor, chosen, True))

st.subheader("重设密码 Reset the password")
with st.form(f"users_password_{chosen}_{round_}"):
    st.caption(md(f"账号 account「{chosen}」"))
    new_password = st.text_input(
        "新密码 New password", type="password", key=f"users_pw_{chosen}_{round_}"
    )
    new_again = st.text_input(
        "再输一次 Again", type="password", key=f"users_again_{chosen}_{round_}"
    )
    if st.form_submit_button("重设密码 Reset", key="users_reset"):
        attempt(lambda: view.reset_password(store, actor, chosen, new_password, new_again))
