"""Progress of a long run (tiến độ): a bar on a terminal, one plain line a step in a log."""

from __future__ import annotations

import sys
from typing import IO, Any


class Progress:
    """``step(text)`` after each of ``total`` steps; ``note(text)`` for a line that must stay.

    On a terminal a tqdm bar is drawn on the stream; otherwise (cron, a log file) each step is a
    plain line ``[3/8] label: text``.
    """

    def __init__(self, total: int, label: str, *, stream: IO[str] | None = None, quiet: bool = False):
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.done = 0
        self._bar: Any = None
        if not quiet and self.stream.isatty():
            import shutil

            from tqdm import tqdm

            size = shutil.get_terminal_size()  # 80 × 24 where the terminal does not say
            self._bar = tqdm(total=total, desc=label, file=self.stream, leave=True, ncols=size.columns, nrows=size.lines,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]")

    @property
    def drawing(self) -> bool:
        """Whether a bar is drawn (on a terminal); otherwise the caller's own lines may serve."""
        return self._bar is not None

    def step(self, text: str) -> None:
        self.done += 1
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)
            self._bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {self.label}: {text}", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
