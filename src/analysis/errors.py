"""Input problems (lỗi dữ liệu đầu vào) reported with file, row and column.

Every check in the package collects :class:`Problem` records and raises one
:class:`InputError` holding all of them, so a user sees every problem of a file at
once.  The command line turns an ``InputError`` into a message and exit status 2.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HIDDEN = "(nội dung ẩn)"
"""What a message shows in place of a cell that may be free text (personal data)."""
SHOWN_CELL = re.compile(r"^[^\s@]{1,24}$")
DATE_CELL = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}( \d{1,2}:\d{2}(:\d{2})?)?$")
"""A date as typed (``31/02/2026 08:00``): shown, though it has a space and many digits."""
MAX_MESSAGE = 300
"""A problem's message is cut to this many characters."""


def quote_cell(value: object) -> str:
    """A cell as a message may quote it: ``'abc'``; free text ``(nội dung ẩn)``.

    Only a short single token (at most 24 characters, no space, no ``@``, fewer than 9 digits)
    or a date as typed is quoted; anything else may be a name, an address, a phone or ID number,
    and is hidden.
    """
    text = str(value)
    if SHOWN_CELL.match(text) and sum(ch.isdigit() for ch in text) < 9 or DATE_CELL.match(text):
        return f"'{text}'"
    return HIDDEN


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (file, row, column) and what is wrong."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    # how the place is named: a table's row and column (a parameters file says line and key)
    UNNAMED = "<input>"
    ROW_WORD = "row"
    COLUMN_WORD = "column"

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", self.message[: MAX_MESSAGE - 1] + "…")

    def __str__(self) -> str:
        where = [self.file or self.UNNAMED]
        if self.row is not None:
            where.append(f"{self.ROW_WORD} {self.row}")
        if self.column:
            where.append(f"{self.COLUMN_WORD} '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(Exception):
    """Bad input or bad parameters: the command line exits with status 2."""

    def __init__(self, problems: Sequence[Problem] | Problem, *, limit: int = 50):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.limit = limit
        super().__init__(self.render())

    def render(self) -> str:
        shown = self.problems[: self.limit]
        lines = [str(p) for p in shown]
        if len(self.problems) > self.limit:
            lines.append(f"... and {len(self.problems) - self.limit} more problems")
        return "\n".join(lines)


def fail(file: str | Path, message: str, *, row: int | None = None, column: str | None = None) -> InputError:
    """Build an :class:`InputError` for a single problem (``raise fail(...)``)."""
    return InputError(Problem(str(file), message, row, column))
