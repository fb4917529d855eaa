"""Progress: a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import io

from analysis.run.progress import Progress


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


def test_collect_on_a_terminal_draws_a_bar_instead_of_lines(tmp_path) -> None:
    import os
    import pty
    import sys
    from pathlib import Path

    from analysis.paths import ROOT

    sys.path.insert(0, str(Path(__file__).parent))
    from portal_replay import replay_server

    with replay_server() as (url, _):
        pid, fd = pty.fork()
        if pid == 0:  # the child: collect with its standard streams on the terminal
            os.environ["PYTHONPATH"] = str(ROOT / "src")
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "analysis", "collect", "--province", "H44", "--period", "2026-08",
                                      "--captures", str(tmp_path), "--store", str(tmp_path / "store"), "--base-url", url, "--delay", "0"])
        screen = b""
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            screen += data
        _, status = os.waitpid(pid, 0)
    text = screen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "H44 2026-08: 100%|" in text and "8/8" in text and "\r" in text
    assert "[1/8]" not in text
