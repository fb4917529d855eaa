"""monthly: collect, store, report, unattended; safe to repeat; exit codes cron understands.

Small notebooks stand in for the suite (the suite itself is run by test_report.py); the data is
the real bundled month, fetched from the local replay of the portal.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from analysis.cli import main as cli_main
from analysis.paths import BUNDLED_FACTS
from analysis.run.monthly import latest_closed_month
from analysis.run.runlock import RunLock
from tests.test_report import tiny_notebook

sys.path.insert(0, str(Path(__file__).parent))
from portal_replay import replay_server  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("today", "month"), [(date(2026, 12, 7), "2026-11"), (date(2027, 1, 1), "2026-12"), (date(2026, 9, 30), "2026-08")]
)
def test_the_latest_closed_month_is_the_one_before_today(today: date, month: str) -> None:
    assert latest_closed_month(today) == month


def setup_run(tmp_path: Path, body: str = "import polars as pl\nprint('kỳ', period)") -> tuple[Path, list[str]]:
    tiny_notebook(tmp_path / "page.ipynb", body)
    params = tmp_path / "run.yaml"
    params.write_text(
        f'scope: H44\nscope_slug: thu\nperiod: "2026-08"\nfacts: {BUNDLED_FACTS}\nnotebooks: [page.ipynb]\n', encoding="utf-8"
    )
    common = ["monthly", "--params", str(params), "--period", "2026-08", "--store", str(tmp_path / "store"),
              "--out", str(tmp_path / "out"), "--captures", str(tmp_path / "captures"), "--delay", "0", "--quiet"]
    return tmp_path / "out" / "thu" / "2026-08", common


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_collect_then_report_then_nothing_new_then_forced_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, common = setup_run(tmp_path)
    with replay_server() as (url, portal):
        assert cli_main([*common, "--collect", "--base-url", url]) == 0
        first = files_of(folder)
        run = json.loads(first["run.json"])
        assert run["status"] == "done" and run["period"] == "2026-08" and run["run"] == "monthly"
        assert run["collect"]["fetched"][0] == "provinces" and len(run["collect"]["fetched"]) == 8
        assert [(v["period"], v["source"], v["units"], v["rows"]) for v in run["vintages"]] == [("2026-08", "portal", 164, 3612)]
        assert run["vintages"][0]["as_of"] == run["collect"]["captured_on"]
        assert set(run["durations"]) == {"collect", "inputs"} and run["seconds"] > 0
        assert any(name.endswith("run.yaml") for name in run["inputs"]["files"])
        assert [n["name"] for n in run["notebooks"]] == ["page"] and run["notebooks"][0]["ok"]
        capsys.readouterr()

        assert cli_main([*common, "--collect", "--base-url", url]) == 3  # nothing new: nothing fetched, nothing rebuilt
        assert "no new data since the last run" in capsys.readouterr().out
        assert files_of(folder) == first
        assert len(portal.served) == 8

    assert cli_main([*common, "--force"]) == 0  # rebuilt from the store alone: the same report
    again = files_of(folder)
    assert sorted(again) == sorted(first)
    for name in ("scorecard.csv", "indicators.csv", "scored/scorecard.parquet", "scored/detail.parquet", "notebooks/page.ipynb"):
        if name.endswith(".ipynb"):  # papermill's start and end times are stated timestamps
            same = [[(c["id"], c["source"], c.get("outputs")) for c in json.loads(x)["cells"]] for x in (again[name], first[name])]
            assert same[0] == same[1]
        else:
            assert again[name] == first[name], name
    strip = lambda page: "\n".join(line for line in page.decode().splitlines() if "report-footer" not in line)  # noqa: E731
    assert strip(again["page.html"]) == strip(first["page.html"])  # the same page but for its stated time
    assert sorted(p.name for p in folder.parent.iterdir()) == [".2026-08.lock", ".2026-08.monthly.lock", "2026-08"]


def test_a_failing_notebook_is_exit_1_and_the_next_run_tries_again(tmp_path: Path) -> None:
    folder, common = setup_run(tmp_path, 'raise ValueError("hỏng")')
    with replay_server() as (url, _):
        assert cli_main([*common, "--collect", "--base-url", url]) == 1
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["status"] == "notebook failed"
    tiny_notebook(tmp_path / "page.ipynb", 'print("đã sửa")')
    assert cli_main(common) == 0  # inputs changed (the notebook) and the last run had failed
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["status"] == "done"


def test_bad_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, common = setup_run(tmp_path)
    assert cli_main([*common[:4], "2026-13", *common[5:]]) == 2
    assert "--period: '2026-13' is not a period" in capsys.readouterr().err
    file_mode = [a for a in common if a not in ("--store", str(tmp_path / "store"))]
    file_mode[file_mode.index("--period") + 1] = "2026-07"
    assert cli_main(file_mode) == 2  # the facts file has no July
    assert "no facts for period 2026-07" in capsys.readouterr().err
    with replay_server() as (url, _):
        assert cli_main([*common[:4], "2026-07", *common[5:], "--collect", "--base-url", url]) == 2
    assert "service-results: 'data.evaluation' is empty: the portal has no figures for H44, 2026-07" in capsys.readouterr().err
    assert not folder.exists()


def test_two_runs_of_one_scope_and_period_do_not_collide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, common = setup_run(tmp_path)
    with RunLock(folder.parent / ".2026-08.monthly.lock", "monthly thu 2026-08"):
        assert cli_main(common) == 2
    assert "monthly thu 2026-08: another run is under way" in capsys.readouterr().err
    assert not folder.exists()
