"""Input problems (lỗi dữ liệu đầu vào) reported with file, row and column.

Every check in the package collects :class:`Problem` records and raises one
:class:`InputError` holding all of them, so a user sees every problem of a file at
once.  The command line turns an ``InputError`` into a message and exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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

    def __str__(self) -> str:
        where = [self.file or self.UNNAMED]
        if self.row is not None:
            where.append(f"{self.ROW_WORD} {self.row}")
        if self.column:
            where.append(f"{self.COLUMN_WORD} '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(Exception):
    """Bad input or bad parameters: the command line exits with status 2."""

    def __init__(self, problems: list[Problem] | Problem, *, limit: int = 50):
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
