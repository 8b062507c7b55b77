"""The login gate the app's entry runs before its navigation (issue 17).

Every run re-reads who the session belongs to (:func:`session_account`): the local user
while no account exists; else the signed-in account as stored now, unless the session
expired or the account was disabled or deleted; else the login form
(:func:`login_screen`). What each step decides lives in :mod:`scheduler.app.access`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Mapping
from typing import Any

import streamlit as st

from scheduler.app import access
from scheduler.domain.accounts import LOCAL_USER, Account, SignedIn
from scheduler.services.accounts import accounts_exist
from scheduler.storage import ScenarioStore
from ui.current import SIGNED_IN_KEY
from ui.resources import scenario_store

NOTICE_KEY = "login_notice"
"""Why the session was signed out, shown once above the login form."""
BY_SSO_KEY = "signed_in_by_sso"
"""True when the session was signed in through the identity provider."""
SSO_PAUSED_KEY = "sso_paused"
"""The provider's cookie is not taken again in this session (expired or refused)."""


def now() -> dt.datetime:
    """The time sessions are measured by (UTC)."""
    return dt.datetime.now(dt.UTC)


def session_account(store: ScenarioStore) -> Account | None:
    """Who this run belongs to, or ``None`` when the login form must show.

    While no account exists: the local user. Otherwise the session's account as stored
    now (seen now); an expired session or a disabled or deleted account signs out with
    a notice. A user the identity provider signed in is mapped to their account once
    per session.
    """
    if not accounts_exist(store):
        st.session_state.pop(SIGNED_IN_KEY, None)
        return LOCAL_USER
    session = st.session_state.get(SIGNED_IN_KEY)
    if isinstance(session, SignedIn):
        checked = access.check_session(store, session, now())
        if checked.session is not None:
            st.session_state[SIGNED_IN_KEY] = checked.session
            return checked.session.account
        sign_out(checked.message)
        return None
    identity = _provider_identity()
    if identity is not None and not st.session_state.get(SSO_PAUSED_KEY):
        result = access.sso_sign_in(store, identity, now())
        if result.session is not None:
            st.session_state[SIGNED_IN_KEY] = result.session
            st.session_state[BY_SSO_KEY] = True
            return result.session.account
        st.session_state[SSO_PAUSED_KEY] = True
        st.session_state[NOTICE_KEY] = result.message
    return None


def sign_out(notice: str = "") -> None:
    """End this session's login; ``notice`` is shown once above the login form."""
    st.session_state.pop(SIGNED_IN_KEY, None)
    if st.session_state.pop(BY_SSO_KEY, False):
        # the provider's cookie stays (30 days): not taken again until the user asks
        st.session_state[SSO_PAUSED_KEY] = True
    if notice:
        st.session_state[NOTICE_KEY] = notice


def login_screen() -> None:
    """The login form, and nothing else: 账号, 密码, 登录 (and single sign-on if set up)."""
    st.title("ShootPlan 短剧排期")
    st.subheader("登录 Log in")
    notice = st.session_state.pop(NOTICE_KEY, "")
    if notice:
        st.warning(notice)
    with st.form("login", width=440):  # a login box, not a page-wide form
        name = st.text_input("账号 Account")
        password = st.text_input("密码 Password", type="password")
        submitted = st.form_submit_button("登录 Log in", type="primary")
    if submitted:
        with st.spinner("登录中 / logging in…"):
            result = access.log_in(scenario_store(), name, password, now())
        if result.session is None:
            st.error(result.message)
        else:
            st.session_state[SIGNED_IN_KEY] = result.session
            st.session_state.pop(SSO_PAUSED_KEY, None)
            st.rerun()
    auth = sso_settings()
    if auth is not None:
        _single_sign_on(auth)


def _single_sign_on(auth: Mapping[str, Any]) -> None:
    """The 单点登录 button, or why it cannot start; a refused provider user may sign out."""
    st.divider()
    problem = access.sso_setup_problem(auth, authlib_installed())
    if problem:
        st.error(problem)
        return
    if st.button("单点登录 Single sign-on", icon=":material/key:"):
        st.session_state.pop(SSO_PAUSED_KEY, None)
        st.login()
    if _provider_identity() is not None and st.session_state.get(SSO_PAUSED_KEY):
        st.button("退出单点登录 Sign out of single sign-on", on_click=st.logout)


def authlib_installed() -> bool:
    """Whether Authlib, which Streamlit's ``st.login`` needs, can be imported."""
    return importlib.util.find_spec("authlib") is not None


def sso_settings() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of ``.streamlit/secrets.toml``, or ``None`` without one."""
    try:
        auth = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets.toml: Streamlit's error is one of these
        return None
    return auth if isinstance(auth, Mapping) else None


def _provider_identity() -> access.Identity | None:
    """Who the identity provider signed in for this browser, if single sign-on is set up."""
    if sso_settings() is None:
        return None
    return access.identity_from(st.user.to_dict())


def sidebar(account: Account, users_page: Any = None) -> None:
    """Who is signed in and the 退出登录 button; while no account exists, the warning
    and a link to ``users_page`` (the 用户 Users page of the navigation) to create some."""
    if account is LOCAL_USER:
        st.sidebar.warning(access.LOCAL_MODE_WARNING, icon=":material/lock_open:")
        if users_page is not None:
            st.sidebar.page_link(
                users_page, label="创建账号 Create accounts", icon=":material/group_add:"
            )
        return
    st.sidebar.caption(f"当前用户 Signed in: {access.who_line(account)}")
    if st.sidebar.button("退出登录 Logout", icon=":material/logout:"):
        by_sso = st.session_state.get(BY_SSO_KEY, False)
        # nothing of this session is left to whoever uses the browser next
        st.session_state.clear()
        if by_sso:
            st.logout()  # also drops the provider's cookie, so no tab takes it again
            st.stop()
        st.rerun()
