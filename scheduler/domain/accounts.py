"""Accounts, roles and what each role may do (issue 17).

The permission table lives here and nowhere else: :func:`may` answers it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    """Who a user is in the production; the value is what storage keeps."""

    PRODUCER = "producer"
    BASE_MANAGER = "base_manager"
    HEAD = "head"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        """Chinese label first, then the stored word, e.g. ``统筹 producer``."""
        return f"{ROLE_LABELS[self]} {self.value}"


ROLE_LABELS = {
    Role.PRODUCER: "统筹",
    Role.BASE_MANAGER: "基地负责人",
    Role.HEAD: "制片主管",
    Role.VIEWER: "只读",
}
"""The Chinese name of each role."""


class Action(Enum):
    """What a user does that the audit trail records and permissions govern."""

    LOGIN = "login"
    IMPORT = "import"
    SAVE = "save"
    SOLVE = "solve"
    STOP = "stop"
    PUBLISH = "publish"
    DELETE = "delete"
    EXPORT = "export"
    DOWNLOAD = "download"
    USERS = "users"


_EVERYONE = frozenset({Action.LOGIN, Action.DOWNLOAD})
_PRODUCER = frozenset(Action) - {Action.USERS}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    # 统筹: edits, solves and publishes plans; does not manage users.
    Role.PRODUCER: _PRODUCER,
    # 基地负责人: changes nothing; logs in and downloads what they see (their own bases).
    Role.BASE_MANAGER: _EVERYONE,
    # 制片主管: everything a producer does, plus managing users.
    Role.HEAD: frozenset(Action),
    # 只读: changes nothing; logs in and downloads what they see.
    Role.VIEWER: _EVERYONE,
}
"""Which actions each role may take."""


def may(role: Role, action: Action) -> bool:
    """Whether ``role`` may take ``action`` (see :data:`PERMISSIONS`)."""
    return action in PERMISSIONS[role]


def parse_role(text: str) -> Role:
    """The role named by its stored word (``producer``) or Chinese label (``统筹``).

    Raises
    ------
    ValueError
        The text names no role; the message lists the roles.
    """
    key = text.strip()
    for role in Role:
        if key in (role.value, ROLE_LABELS[role]):
            return role
    known = ", ".join(role.label for role in Role)
    raise ValueError(f"未知角色 unknown role {text!r}; 应为 expected one of: {known}")


@dataclass(frozen=True)
class Account:
    """A user who can log in: name, role, their bases (base managers only), disabled or not.

    Raises
    ------
    ValueError
        A base manager names no base, or another role names some.
    """

    name: str
    role: Role
    bases: tuple[str, ...] = ()
    disabled: bool = False

    def __post_init__(self) -> None:
        if self.role is Role.BASE_MANAGER and not self.bases:
            raise ValueError(
                f"账号 account {self.name!r}: 基地负责人 base_manager 须至少指定一个基地 "
                "must name at least one base (--bases B01;B02)"
            )
        if self.role is not Role.BASE_MANAGER and self.bases:
            raise ValueError(
                f"账号 account {self.name!r}: 只有基地负责人可指定基地 only a base_manager "
                f"names bases, not {self.role.label}"
            )


LOCAL_USER = Account(name="本机用户 local", role=Role.HEAD)
"""Who uses the app while no account exists: one local user who may do everything."""


LONGEST_REASON = 400
"""An error is cut to this many characters in an audit row."""


def first_line(error: BaseException | str) -> str:
    """What a failed row says about ``error`` (or its text): its first line, cut, or its type."""
    text = str(error).strip()
    if not text:
        return "" if isinstance(error, str) else type(error).__name__
    return text.splitlines()[0][:LONGEST_REASON]


def joined(*parts: str, between: str = " — ") -> str:
    """The non-empty ``parts``, joined: ``改名 rename 「郑州」(#3) — 名称不能为空``."""
    return between.join(part for part in parts if part)


@dataclass
class AuditNote:
    """What one audited action's row will say; filled in as the action learns its target.

    Storage writes it once: in the transaction of the action's change, or on its own
    when the action changes nothing or fails (then ``ok`` is false and ``detail`` says why).
    """

    user_name: str
    action: Action
    scenario_id: int | None = None
    scenario_version: int | None = None
    plan_id: int | None = None
    detail: str = ""

    def learn(
        self,
        *,
        scenario_id: int | None = None,
        scenario_version: int | None = None,
        plan_id: int | None = None,
    ) -> None:
        """Fill the target fields given (a field given twice keeps the later value)."""
        if scenario_id is not None:
            self.scenario_id = scenario_id
        if scenario_version is not None:
            self.scenario_version = scenario_version
        if plan_id is not None:
            self.plan_id = plan_id


@dataclass(frozen=True)
class SignedIn:
    """A logged-in session: whose, when it logged in and when it was last used (UTC)."""

    account: Account
    since: dt.datetime
    last_seen: dt.datetime


SESSION_IDLE = dt.timedelta(minutes=60)
"""A session unused this long has expired (the user logs in again)."""
SESSION_LONGEST = dt.timedelta(hours=12)
"""A session this old has expired however busy it was: one working day."""


def expired(
    session: SignedIn,
    now: dt.datetime,
    idle: dt.timedelta = SESSION_IDLE,
    longest: dt.timedelta = SESSION_LONGEST,
) -> bool:
    """Whether ``session`` has expired: unused for ``idle`` or older than ``longest``."""
    return now - session.last_seen >= idle or now - session.since >= longest


FAILED_LOGIN_WINDOW = dt.timedelta(minutes=15)
"""Failed logins this recent count towards the slow-down."""
LONGEST_LOGIN_DELAY = 30.0
"""The slow-down never makes a login wait longer than this, in seconds."""


def login_delay(recent_failures: int) -> float:
    """Seconds a login waits after ``recent_failures`` failed tries: 0, then 1, 2, 4 … ≤ 30."""
    if recent_failures <= 0:
        return 0.0
    return min(2.0 ** (recent_failures - 1), LONGEST_LOGIN_DELAY)


def sees_base(account: Account, base_id: str) -> bool:
    """Whether ``account`` may see which titles and crews book ``base_id``'s sets.

    A base manager sees their own bases only; every other role sees every base.
    """
    return account.role is not Role.BASE_MANAGER or base_id in account.bases
