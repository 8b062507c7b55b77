"""Who may open which screen, logging in, keeping a session, single sign-on (issue 17).

The app's entry (``ui/app.py``) asks this module, on every run, which account the
session belongs to and which screens its role sees; the screens it does not see are
not given to Streamlit's navigation at all, so they cannot run for it (a deep link to
one opens the role's home screen instead).

>>> [screen.url_path for screen in screens_for(Role.BASE_MANAGER)]
['utilisation', 'base', 'export']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scheduler.domain.accounts import (
    SESSION_LONGEST,
    Account,
    Action,
    Role,
    SignedIn,
    expired,
)
from scheduler.services.accounts import authenticate, current_account
from scheduler.storage import ScenarioStore


@dataclass(frozen=True)
class Screen:
    """One page of the app: its file in ``ui/views``, menu title, icon and url path."""

    file: str
    title: str
    icon: str
    url_path: str


# Material icons are drawn without an emoji font
SCENARIOS = Screen("scenarios.py", "场景 Scenarios", ":material/folder_open:", "scenarios")
INPUTS = Screen("inputs.py", "输入 Inputs", ":material/edit_note:", "inputs")
PLAN = Screen("plan.py", "排期 Plan", ":material/calendar_month:", "plan")
STRIPBOARD = Screen("stripboard.py", "顺场表 Stripboard", ":material/view_agenda:", "stripboard")
UTILISATION = Screen("utilisation.py", "产能 Utilisation", ":material/monitoring:", "utilisation")
BASE = Screen("base.py", "基地视图 Base manager", ":material/warehouse:", "base")
CAPACITY = Screen("capacity.py", "产能规划 Capacity planning", ":material/factory:", "capacity")
POOLING = Screen("pooling.py", "区域协同 Pooling", ":material/hub:", "pooling")
WHATIF = Screen("whatif.py", "对比 What-if", ":material/compare_arrows:", "whatif")
SWEEP = Screen("sweep.py", "批量推演 Sweeps", ":material/stacked_line_chart:", "sweep")
EXPORT = Screen("export.py", "导出 Export", ":material/download:", "export")
USERS = Screen("users.py", "用户 Users", ":material/group:", "users")
AUDIT = Screen("audit.py", "审计 Audit trail", ":material/history:", "audit")

PLANNING_SCREENS = (
    SCENARIOS,
    INPUTS,
    PLAN,
    STRIPBOARD,
    UTILISATION,
    BASE,
    CAPACITY,
    POOLING,
    WHATIF,
    SWEEP,
    EXPORT,
)
"""The screens of the planning work, in menu order."""
ALL_SCREENS = (*PLANNING_SCREENS, USERS, AUDIT)
"""Every screen of the app, in menu order."""

SCREENS_BY_ROLE: dict[Role, tuple[Screen, ...]] = {
    # 制片主管: everything, plus the accounts and the audit trail
    Role.HEAD: ALL_SCREENS,
    # 统筹 and 只读 see the planning screens; what a viewer may not do is refused there
    Role.PRODUCER: PLANNING_SCREENS,
    Role.VIEWER: PLANNING_SCREENS,
    # 基地负责人: the screens that show a base's bookings and KPIs, limited to their bases
    Role.BASE_MANAGER: (UTILISATION, BASE, EXPORT),
}
"""Which screens each role sees, in menu order."""

HOME: dict[Role, Screen] = {
    Role.HEAD: SCENARIOS,
    Role.PRODUCER: SCENARIOS,
    Role.VIEWER: SCENARIOS,
    Role.BASE_MANAGER: BASE,
}
"""The screen each role opens on (also where a link to a screen it may not see lands)."""


def screens_for(role: Role) -> tuple[Screen, ...]:
    """The screens ``role`` sees, in menu order (see :data:`SCREENS_BY_ROLE`)."""
    return SCREENS_BY_ROLE[role]


def home_for(role: Role) -> Screen:
    """The screen ``role`` opens on."""
    return HOME[role]


def who_line(account: Account) -> str:
    """The sidebar's "who am I": name and role, and a base manager's bases.

    >>> who_line(Account("李四", Role.BASE_MANAGER, ("B01", "B02")))
    '李四 · 基地负责人 base_manager · 基地 bases B01、B02'
    """
    line = f"{account.name} · {account.role.label}"
    if account.bases:
        line += f" · 基地 bases {'、'.join(account.bases)}"
    return line


LOCAL_MODE_WARNING = (
    "还没有账号：能访问本端口的任何人都可以修改一切。"
    "在「用户 Users」页创建账号后，每次访问都要登录。"
    " / No accounts yet: anyone who reaches this port may change everything. "
    "Once accounts exist (用户 Users), every visit logs in."
)
"""What the sidebar says while no account exists."""

WRONG_LOGIN = "账号或密码错误 / wrong account name or password"
"""A failed login, the same whichever of the two was wrong (or the account disabled)."""
EMPTY_LOGIN = "请输入账号和密码 / enter the account name and the password"
SESSION_EXPIRED = "登录已过期，请重新登录 / the session expired: please log in again"
ACCOUNT_GONE = (
    "账号已停用或删除，已退出登录 / the account was disabled or deleted: you were signed out"
)


@dataclass(frozen=True)
class LoginResult:
    """A login's outcome: the new session, or ``None`` and what to tell the user."""

    session: SignedIn | None
    message: str = ""


def log_in(
    store: ScenarioStore,
    name: str,
    password: str,
    now: dt.datetime,
    *,
    sleep: Callable[[float], None] | None = None,
) -> LoginResult:
    """Check a name and password from the login form; a good pair starts a session.

    An empty field is not a try (nothing is checked or recorded). Otherwise
    :func:`~scheduler.services.accounts.authenticate` waits out the slow-down after
    failed tries and records one ``login`` row; a failure says :data:`WRONG_LOGIN`,
    never which part was wrong. The name is taken without surrounding blanks.
    """
    name = name.strip()
    if not name or not password:
        return LoginResult(None, EMPTY_LOGIN)
    options = {} if sleep is None else {"sleep": sleep}
    account = authenticate(store, name, password, now=lambda: now, **options)
    if account is None:
        return LoginResult(None, WRONG_LOGIN)
    return LoginResult(SignedIn(account, since=now, last_seen=now))


def check_session(store: ScenarioStore, session: SignedIn, now: dt.datetime) -> LoginResult:
    """The session as of ``now``: still on (with the account as stored now), or over.

    Over when it :func:`~scheduler.domain.accounts.expired` (:data:`SESSION_EXPIRED`) or
    its account was disabled or deleted meanwhile (:data:`ACCOUNT_GONE`). A session still
    on is seen now (``last_seen``) and carries the stored role and bases, so a change
    made on 用户 Users takes effect on the user's next click.
    """
    if expired(session, now):
        return LoginResult(None, SESSION_EXPIRED)
    account = current_account(store, session.account.name)
    if account is None:
        return LoginResult(None, ACCOUNT_GONE)
    return LoginResult(SignedIn(account, since=session.since, last_seen=now))


# -- single sign-on (Streamlit's st.login, OpenID Connect) -----------------------------

SSO_DETAIL = "单点登录 single sign-on"
"""The audit row's detail for a login through the identity provider."""


def sso_no_account(shown: str) -> str:
    """What a provider's user with no matching account is told."""
    return (
        f"单点登录的用户「{shown}」在 ShootPlan 没有账号（或账号已停用）："
        "请制片主管在「用户 Users」页按这个邮箱建一个账号。"
        f" / {shown} signed in with the identity provider but has no ShootPlan account "
        "(or it is disabled): ask a head of production to create one named by this e-mail."
    )


SSO_NO_IDENTITY = (
    "身份提供方没有给出邮箱或姓名，无法对应账号 / the identity provider gave no e-mail or name "
    "to match an account with"
)


@dataclass(frozen=True)
class Identity:
    """Who the identity provider says signed in, from ``st.user``'s claims.

    ``signed_in_at`` is the ID token's ``iat`` (when the provider signed the user in),
    or ``None`` when the provider does not say.
    """

    email: str
    name: str
    signed_in_at: dt.datetime | None = None

    @property
    def shown(self) -> str:
        """How the messages and the audit trail name this user."""
        return self.email or self.name or "?"


def identity_from(claims: Mapping[str, object]) -> Identity | None:
    """The identity in ``st.user``'s claims, or ``None`` unless they say it is logged in."""
    if claims.get("is_logged_in") is not True:
        return None
    email = claims.get("email")
    name = claims.get("name")
    issued = claims.get("iat")
    signed_in_at = (
        dt.datetime.fromtimestamp(issued, dt.UTC)
        if isinstance(issued, int | float) and not isinstance(issued, bool)
        else None
    )
    return Identity(
        email.strip() if isinstance(email, str) else "",
        name.strip() if isinstance(name, str) else "",
        signed_in_at,
    )


def sso_account(store: ScenarioStore, identity: Identity) -> Account | None:
    """The account the provider's user maps to (disabled or not), or ``None``.

    The account's name is the user's e-mail (compared without regard to case, as
    mail systems do), or else exactly the name the provider gives.
    """
    accounts = [stored.account for stored in store.list_accounts()]
    matches: list[Account] = []
    if identity.email:
        email = identity.email.casefold()
        matches = [account for account in accounts if account.name.casefold() == email]
    if not matches and identity.name:
        matches = [account for account in accounts if account.name == identity.name]
    # two accounts differing only in case are ambiguous: neither is taken
    return matches[0] if len(matches) == 1 else None


def sso_sign_in(store: ScenarioStore, identity: Identity, now: dt.datetime) -> LoginResult:
    """A session for the provider's user if an enabled account matches; one ``login`` row.

    The session counts from when the provider signed the user in, so the longest
    session (:data:`~scheduler.domain.accounts.SESSION_LONGEST`) holds however many
    tabs reopen it from the provider's cookie; once that has passed the user signs in
    with the provider again (no row is written then: nothing was tried).
    """
    since = min(identity.signed_in_at or now, now)  # a provider's clock may run ahead
    if now - since >= SESSION_LONGEST:
        return LoginResult(None, SESSION_EXPIRED)
    if not identity.email and not identity.name:
        store.add_audit("?", Action.LOGIN, False, detail=f"{SSO_DETAIL}: no e-mail or name")
        return LoginResult(None, SSO_NO_IDENTITY)
    account = sso_account(store, identity)
    if account is None or account.disabled:
        why = "no matching account" if account is None else "account disabled"
        shown = identity.shown if account is None else account.name
        store.add_audit(shown, Action.LOGIN, False, detail=f"{SSO_DETAIL}: {why}")
        return LoginResult(None, sso_no_account(identity.shown))
    store.add_audit(account.name, Action.LOGIN, True, detail=SSO_DETAIL)
    return LoginResult(SignedIn(account, since=since, last_seen=now))


def sso_setup_problem(auth_section: Mapping[str, object], authlib_installed: bool) -> str:
    """Why the configured single sign-on cannot start here, or ``""`` when it can."""
    if not authlib_installed:
        return (
            "单点登录需要 Authlib：`pip install Authlib` 后重启应用 / single sign-on needs "
            "Authlib: `pip install Authlib`, then restart the app"
        )
    missing = [key for key in ("redirect_uri", "cookie_secret") if not auth_section.get(key)]
    if missing:
        return (
            f"secrets.toml 的 [auth] 缺少 {', '.join(missing)} / "
            f"[auth] in secrets.toml lacks {', '.join(missing)}"
        )
    return ""
