"""What can go wrong when storing scenarios, each said in Chinese and English."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from scheduler.domain.errors import Lang, Problem, ScenarioError
from scheduler.domain.local_time import local_time


class StorageError(Exception):
    """The database refused or could not do what was asked.

    ``message_zh`` and ``message_en`` say the same thing; ``str()`` gives both.
    """

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh}（{message_en}）")

    def format(self, lang: Lang = "both") -> str:
        """The message in the chosen language."""
        if lang == "zh":
            return self.message_zh
        if lang == "en":
            return self.message_en
        return str(self)


class NotFoundError(StorageError):
    """No stored scenario (plan, publication) has the id or name asked for."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        names = {
            "scenario": "场景",
            "plan": "排期方案",
            "publication": "发布记录",
            "sweep": "批量推演 sweep",
            "sweep run": "批量推演的运行 sweep run",
            "account": "账号 account",
        }
        what_zh = names.get(what, what)
        super().__init__(f"找不到{what_zh} {key}", f"no stored {what} {key!r}")


class DuplicateAccountError(StorageError):
    """Another stored account already has this name; account names are unique."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"已有名为「{name}」的账号；请换一个名称", f"an account named {name!r} already exists"
        )


class LastHeadError(StorageError):
    """The change would leave no enabled head (制片主管), so nobody could manage accounts."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"「{name}」是最后一个启用的制片主管，不能停用或改为其他角色；请先把另一个账号设为制片主管",
            f"{name!r} is the last enabled head: disabling or demoting it would leave nobody "
            "to manage accounts; make another account a head first",
        )


class DuplicateNameError(StorageError):
    """Another stored scenario already has this name; names are unique."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"已有名为「{name}」的场景；请换一个名称，或用替换/保存覆盖它",
            f"a scenario named {name!r} is already stored; choose another name "
            "or replace that scenario",
        )


class StaleScenarioError(StorageError):
    """Someone saved the scenario after it was loaded: the save would lose their changes.

    ``stored_version`` is what the database holds, ``expected_version`` what
    the caller loaded; nothing was written.
    """

    def __init__(
        self,
        name: str,
        expected_version: int,
        stored_version: int,
        stored_at: datetime | None,
    ) -> None:
        self.name = name
        self.expected_version = expected_version
        self.stored_version = stored_version
        self.stored_at = stored_at
        when = f" ({local_time(stored_at)})" if stored_at else ""
        if stored_version > expected_version:
            zh = (
                f"场景「{name}」已被他人保存为版本 {stored_version}{when}，"
                f"比你载入的版本 {expected_version} 新；未保存任何内容。"
                "请重新载入后再修改"
            )
            en = (
                f"scenario {name!r} was saved by someone else as version "
                f"{stored_version}{when}, newer than version {expected_version} you loaded; "
                "nothing was saved. Reload it and make your changes again"
            )
        else:
            zh = (
                f"场景「{name}」在数据库中是版本 {stored_version}{when}，"
                f"而你给出的版本 {expected_version} 并不存在；未保存任何内容。请重新载入"
            )
            en = (
                f"scenario {name!r} is stored as version {stored_version}{when}; "
                f"version {expected_version} you gave does not exist, so nothing was saved. "
                "Reload it"
            )
        super().__init__(zh, en)


class UnstorableScenarioError(StorageError, ScenarioError):
    """Values of the scenario the database cannot store; nothing was written.

    Both a :class:`StorageError` (what a save's caller catches) and a
    :class:`~scheduler.domain.errors.ScenarioError` whose ``problems`` name each
    value at ``file:row:column`` (what the importer lists).
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        zh_lines = "\n".join(problem.format("zh") for problem in self.problems)
        en_lines = "\n".join(problem.format("en") for problem in self.problems)
        self.message_zh = f"有 {count} 个值无法存入数据库，未保存任何内容：\n{zh_lines}"
        self.message_en = f"{count} value(s) cannot be stored; nothing was saved:\n{en_lines}"
        Exception.__init__(self, f"{self.message_zh}\n{self.message_en}")


def database_error(error: BaseException) -> StorageError:
    """A raw driver error (locked, out of range …) said in Chinese first; nothing was saved."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = detail[0] if detail else ""
    if len(first) > 160:
        first = f"{first[:159]}…"
    kind = type(getattr(error, "orig", None) or error).__name__
    return StorageError(
        f"数据库出错，未保存任何内容；请稍后重试（{kind}: {first}）",
        f"the database failed and nothing was saved; try again ({kind}: {first})",
    )
