"""Problems found in input data, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en", "both"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, at ``file:row:column``.

    ``file`` is a file name (``titles.csv``, ``scenario.toml``) or, for a
    workbook, a sheet name. ``row`` is the line number in the file, the header
    being line 1 (0 when the problem is the whole file). ``column`` is the
    column name (``*`` when the problem is the whole row or file). Each
    message says what is wrong and what was expected, in English and Chinese.
    """

    file: str
    row: int
    column: str
    message: str
    message_zh: str = ""

    def format(self, lang: Lang = "en") -> str:
        """``file:row:column: message`` in the chosen language."""
        where = f"{self.file}:{self.row}:{self.column}"
        zh = self.message_zh or self.message
        if lang == "zh":
            return f"{where}: {zh}"
        if lang == "both" and self.message_zh:
            return f"{where}: {zh}（{self.message}）"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.format("en")


class ScenarioError(ValueError):
    """A scenario is invalid; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{count} problem(s) in the scenario:\n{lines}")

    def format(self, lang: Lang = "en") -> str:
        return "\n".join(problem.format(lang) for problem in self.problems)
