"""Progress: a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import io

from analysis.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_plain_line_a_step() -> None:
    log = io.StringIO()
    with Progress(3, "H44 2026-08", stream=log) as bar:
        bar.step("provinces")
        bar.note("transparency: HTTP 500; attempt 2/5 in 5 s")
        bar.step("transparency")
    assert log.getvalue().splitlines() == [
        "[1/3] H44 2026-08: provinces", "transparency: HTTP 500; attempt 2/5 in 5 s", "[2/3] H44 2026-08: transparency"]


def test_a_terminal_gets_a_bar_redrawn_in_place() -> None:
    screen = Terminal()
    with Progress(2, "H44 2026-08", stream=screen) as bar:
        bar.step("provinces")
        bar.step("transparency")
    text = screen.getvalue()
    assert "\r" in text and "2/2" in text and "[1/2]" not in text


def test_quiet_writes_nothing() -> None:
    log = Terminal()
    with Progress(1, "x", stream=log, quiet=True) as bar:
        bar.step("a")
        bar.note("b")
    assert log.getvalue() == ""
