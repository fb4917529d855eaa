"""collect: the portal's responses fetched from a local replay of the portal, with faults injected."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import polars as pl
import pytest

from analysis.cli import main as cli_main
from analysis.errors import InputError
from analysis.io.portal import ENDPOINTS, read_portal
from analysis.paths import BUNDLED_RAW
from analysis.run import collect as collect_module
from analysis.run.collect import REQUESTS_PER_CAPTURE, Settings, collect
from analysis.run.runlock import RunLock

sys.path.insert(0, str(Path(__file__).parent))
from datetime import UTC

from portal_replay import replay_server  # noqa: E402

RETRIES = 2
SHORT_TIMEOUT, HANG = 1.0, 2.0
"""A request given up after SHORT_TIMEOUT s, a server that answers after HANG s (the timeout faults)."""
SCORING = list(ENDPOINTS)
ALL_NAMES = ["provinces", "service-results", *SCORING]


class Sleeps(list):
    """Records the pauses asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def settings(url: str, sleeps: Sleeps | None = None, **changes: float) -> Settings:
    values = {"base_url": url, "delay": 0.0, "timeout": 5.0, "retries": RETRIES, "backoff": 0.01, "max_wait": 5.0}
    values.update(changes)
    return Settings(**values, sleep=sleeps if sleeps is not None else Sleeps())  # type: ignore[arg-type]


def saved_sums() -> dict[str, str]:
    lines = (BUNDLED_RAW / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    return {name.removesuffix(".json"): digest for digest, name in (line.split() for line in lines if line.strip())}


def capture_dir(captures: Path) -> Path:
    """The one capture folder (beside it, the capture's lock file)."""
    (folder,) = [p for p in (captures / "H44" / "2026-08").iterdir() if not p.name.startswith(".")]
    return folder


def assert_complete(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"]
    assert sorted(manifest["responses"]) == sorted(ALL_NAMES)
    for _name, entry in manifest["responses"].items():
        body = (folder / entry["file"]).read_bytes()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert entry["bytes"] == len(body)
    for name, digest in saved_sums().items():  # byte for byte the portal's responses
        assert manifest["responses"][name]["sha256"] == digest
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporaries left
    return manifest


def test_a_capture_is_the_portals_bytes_with_url_body_time_and_sha256(tmp_path: Path) -> None:
    with replay_server() as (url, portal):
        capture = collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
    manifest = assert_complete(capture.folder)
    assert capture.folder == tmp_path / "H44" / "2026-08" / capture.captured_on.replace("-", "")
    assert capture.fetched == tuple(ALL_NAMES) and capture.reused == ()
    assert portal.names() == ALL_NAMES and portal.most_in_flight == 1  # one request at a time
    entry = manifest["responses"]["dvc-progress-tree"]
    assert entry["url"] == f"{url}/api/v1/reporting/evaluation/dvc-progress-tree"
    assert entry["method"] == "POST" and entry["status"] == 200 and entry["captured_at"].endswith("+00:00")
    root = portal.root_id
    assert entry["request_body"] == {"timeType": "month", "year": 2026, "month": 8, "rootDepartmentId": root, "currentPage": 1, "pageSize": 500}
    assert manifest["responses"]["handling-satisfaction"]["request_body"] == {
        "fromDate": "2026-08-01", "toDate": "2026-08-31", "rootDepartmentId": root, "currentPage": 1, "pageSize": 500}
    assert manifest["responses"]["provinces"]["request_body"] == {"timeType": "month", "year": 2026, "month": 8, "departmentType": "ADMINISTRATIVE_UNIT"}
    assert [s.body for s in portal.served][2:] == [manifest["responses"][n]["request_body"] for n in SCORING]


def test_facts_from_a_capture_equal_facts_from_the_saved_files(tmp_path: Path) -> None:
    with replay_server() as (url, _):
        capture = collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
    facts = collect_module.capture_facts(capture)
    saved = read_portal(BUNDLED_RAW, period="2026-08").facts
    assert facts.height == saved.height == 3612
    assert facts.drop("as_of").equals(saved.drop("as_of"))
    assert facts["as_of"].unique().to_list() == [pl.Series([capture.captured_on]).str.to_date()[0]]


def test_a_second_run_fetches_nothing_again(tmp_path: Path) -> None:
    with replay_server() as (url, portal):
        collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
        again = collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
    assert again.fetched == () and again.reused == tuple(ALL_NAMES)
    assert len(portal.served) == REQUESTS_PER_CAPTURE


@pytest.mark.parametrize("fault", ["500", "timeout", "429", "truncated", "cut", "slow"])
def test_a_passing_fault_is_retried_and_ends_in_a_complete_capture(tmp_path: Path, fault: str) -> None:
    sleeps = Sleeps()
    with replay_server() as (url, portal):
        portal.hang = HANG
        portal.retry_after = "1"  # recorded, not slept
        portal.add_faults("transparency", *[fault] * RETRIES)  # fails on every attempt but the last
        timeout = SHORT_TIMEOUT if fault == "timeout" else 5.0
        capture = collect("H44", "2026-08", captures=tmp_path, settings=settings(url, sleeps, timeout=timeout), say=lambda _: None)
    assert_complete(capture.folder)
    expected = 1 if fault == "slow" else RETRIES + 1
    assert portal.names().count("transparency") == expected
    if fault != "slow":
        assert capture.attempts == REQUESTS_PER_CAPTURE + RETRIES
        waits = [1.0, 1.0] if fault == "429" else [0.01, 0.02]  # Retry-After, else a backoff that doubles
        assert [s for s in sleeps if s > 0] == waits


@pytest.mark.parametrize("fault", ["500", "timeout", "429", "truncated", "cut"])
def test_a_lasting_fault_stops_with_exit_2_after_bounded_retries_then_a_rerun_resumes(
    tmp_path: Path, fault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with replay_server() as (url, portal):
        portal.hang = HANG
        portal.add_faults("provide-online-tree", *[fault] * (RETRIES + 1))
        timeout = SHORT_TIMEOUT if fault == "timeout" else 5.0
        argv = ["collect", "--province", "H44", "--period", "2026-08", "--captures", str(tmp_path), "--base-url", url,
                "--delay", "0", "--timeout", str(timeout), "--retries", str(RETRIES), "--backoff", "0.01", "--quiet"]
        assert cli_main(argv) == 2
        err = capsys.readouterr().err
        assert f"provide-online-tree: no usable answer after {RETRIES + 1} attempts" in err
        assert "Traceback" not in err
        assert portal.names().count("provide-online-tree") == RETRIES + 1  # bounded
        folder = capture_dir(tmp_path)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert not manifest.get("complete")
        assert sorted(manifest["responses"]) == sorted(["provinces", "service-results", "transparency", "dvc-progress-tree"])
        assert sorted(p.name for p in folder.iterdir()) == sorted([*(f"{n}.json" for n in manifest["responses"]), "manifest.json"])
        before = len(portal.served)
        assert cli_main(argv) == 0  # the fault has passed: resumed
        resumed = portal.names()[before:]
    assert resumed == SCORING[2:]  # what was saved is not fetched again
    assert_complete(folder)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("wrong-shape", "dossier-digitized: the answer has no 'data.overview' object (wrong shape: keys items, total)"),
        ("empty", "dossier-digitized: 'data.evaluation' is empty: the portal has no figures for H44, 2026-08"),
        ("error-code", "dossier-digitized: the portal answered code 'ERROR' Tham số không hợp lệ"),
    ],
)
def test_a_wrong_answer_stops_at_once_with_exit_2_naming_the_endpoint(
    tmp_path: Path, fault: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with replay_server() as (url, portal):
        portal.add_faults("dossier-digitized", fault)
        code = cli_main(["collect", "--province", "H44", "--period", "2026-08", "--captures", str(tmp_path),
                         "--base-url", url, "--delay", "0", "--quiet"])
    assert code == 2
    assert message in capsys.readouterr().err
    assert portal.names().count("dossier-digitized") == 1  # not retried
    folder = capture_dir(tmp_path)
    assert not (folder / "dossier-digitized.json").exists()


def test_a_tree_endpoint_of_the_wrong_shape_is_named(tmp_path: Path) -> None:
    with replay_server() as (url, portal):
        portal.add_faults("dvc-progress-tree", "wrong-shape")
        with pytest.raises(InputError, match=r"dvc-progress-tree: the answer has no 'data.parent' object"):
            collect("H44", "2026-08", captures=tmp_path, settings=settings(url))


def test_retry_after_is_honoured_and_bounded(tmp_path: Path) -> None:
    sleeps = Sleeps()
    with replay_server() as (url, portal):
        portal.retry_after = "3"
        portal.add_faults("transparency", "429")
        collect("H44", "2026-08", captures=tmp_path / "a", settings=settings(url, sleeps), say=lambda _: None)
        assert 3.0 in sleeps and 0.01 not in sleeps
        portal.retry_after = "3600"
        portal.add_faults("transparency", "429")
        with pytest.raises(InputError, match=r"transparency: HTTP 429 \(too many requests\): the portal asks to wait 3600 s, more than the 5 s allowed"):
            collect("H44", "2026-08", captures=tmp_path / "b", settings=settings(url, Sleeps()), say=lambda _: None)


def test_backoff_never_waits_longer_than_the_bound(tmp_path: Path) -> None:
    sleeps = Sleeps()
    with replay_server() as (url, portal):
        portal.add_faults("transparency", "500", "500", "500", "500")
        collect("H44", "2026-08", captures=tmp_path, settings=settings(url, sleeps, retries=4, backoff=2.0, max_wait=5.0),
                say=lambda _: None)
    assert [s for s in sleeps if s > 0] == [2.0, 4.0, 5.0, 5.0]


def test_the_pause_between_requests_is_a_setting(tmp_path: Path) -> None:
    sleeps = Sleeps()
    with replay_server() as (url, _):
        collect("H44", "2026-08", captures=tmp_path, settings=settings(url, sleeps, delay=1.5))
    assert sleeps == [1.5] * (REQUESTS_PER_CAPTURE - 1)


@pytest.mark.parametrize(
    ("province", "period", "message"),
    [
        ("H99", "2026-08", "service-results: the portal does not know province 'H99' for 2026-08 (it lists H15, H21, H44)"),
        ("H44", "2026-07", "service-results: 'data.evaluation' is empty: the portal has no figures for H44, 2026-07"),
        ("H21", "2026-08", "service-results: 'data.evaluation' is empty: the portal has no figures for H21, 2026-08"),
    ],
)
def test_a_province_or_period_the_portal_does_not_know_is_exit_2(
    tmp_path: Path, province: str, period: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with replay_server() as (url, _):
        code = cli_main(["collect", "--province", province, "--period", period, "--captures", str(tmp_path),
                         "--base-url", url, "--delay", "0", "--quiet"])
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("period", "message"),
    [("2099-01", "2099-01 has not begun yet"), ("2026-08-01..2026-08-15", "not a date range"), ("2026-13", "is not a period")],
)
def test_a_period_the_portal_cannot_have_asks_nothing(tmp_path: Path, period: str, message: str) -> None:
    with replay_server() as (url, portal):
        with pytest.raises(InputError, match=message):
            collect("H44", period, captures=tmp_path, settings=settings(url))
    assert portal.served == []


def test_a_run_stopped_between_a_file_and_its_manifest_entry_is_resumed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = collect_module.write_manifest
    calls = {"n": 0}

    def dies_on_the_third(folder: Path, manifest: dict) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # killed after transparency.json was renamed into place
        real(folder, manifest)

    with replay_server() as (url, portal):
        monkeypatch.setattr(collect_module, "write_manifest", dies_on_the_third)
        with pytest.raises(KeyboardInterrupt):
            collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
        monkeypatch.setattr(collect_module, "write_manifest", real)
        folder = capture_dir(tmp_path)
        (folder / ".dvc-progress-tree.json.x1y2z3").write_bytes(b'{"code":"OK","da')  # a temporary of a killed write
        (folder / "provinces.json").write_bytes(b"tampered")  # not what the manifest recorded
        before = len(portal.served)
        capture = collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
        resumed = portal.names()[before:]
    assert resumed == ["provinces", "transparency", *SCORING[1:]]
    assert capture.reused == ("service-results",)
    assert_complete(folder)


def test_two_collects_of_one_capture_do_not_run_at_once(tmp_path: Path) -> None:
    with replay_server() as (url, portal):
        day = collect("H44", "2026-08", captures=tmp_path, settings=settings(url)).folder
        with RunLock(day.parent / f".{day.name}.lock", "test"):
            with pytest.raises(InputError, match="another run is under way"):
                collect("H44", "2026-08", captures=tmp_path, settings=settings(url))


def test_the_command_prints_plain_progress_lines_in_a_log(tmp_path: Path) -> None:
    from conftest import run_cli

    with replay_server() as (url, _):
        done = run_cli("collect", "--province", "h44", "--period", "2026-08", "--captures", str(tmp_path),
                       "--base-url", url, "--delay", "0")
    assert done.returncode == 0, done.stderr
    assert "[1/8] H44 2026-08: provinces" in done.stderr and "[8/8] H44 2026-08: dossier-digitized" in done.stderr
    assert "8 fetched, 0 already saved; 3612 facts for 164 units" in done.stdout


def test_a_collect_killed_while_waiting_for_an_answer_leaves_only_whole_files(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import time

    from analysis.paths import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with replay_server() as (url, portal):
        portal.slow = 30.0
        portal.add_faults("provide-online-tree", "slow")
        run = subprocess.Popen(
            [sys.executable, "-m", "analysis", "collect", "--province", "H44", "--period", "2026-08", "--captures",
             str(tmp_path), "--base-url", url, "--delay", "0", "--quiet"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while "provide-online-tree" not in portal.names() and time.monotonic() < deadline and run.poll() is None:
                time.sleep(0.05)
            assert "provide-online-tree" in portal.names()
        finally:
            os.kill(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
        folder = capture_dir(tmp_path)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert sorted(manifest["responses"]) == sorted(["provinces", "service-results", "transparency", "dvc-progress-tree"])
        assert sorted(p.name for p in folder.iterdir()) == sorted([*(f"{n}.json" for n in manifest["responses"]), "manifest.json"])
        before = len(portal.served)
        capture = collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
        assert portal.names()[before:] == SCORING[2:]
    assert capture.reused == ("provinces", "service-results", "transparency", "dvc-progress-tree")
    assert_complete(folder)


def test_no_credentials_are_sent_and_the_client_says_who_it_is(tmp_path: Path) -> None:
    with replay_server() as (url, portal):
        collect("H44", "2026-08", captures=tmp_path, settings=settings(url))
    for seen in portal.served:
        names = {k.lower() for k in seen.headers}
        assert not names & {"authorization", "cookie", "x-api-key"}
        assert seen.headers["User-Agent"].startswith("analysis-766")
        assert seen.headers["Content-Type"] == "application/json"


def test_each_day_is_a_capture_of_its_own(tmp_path: Path) -> None:
    from datetime import datetime

    with replay_server() as (url, portal):
        first = collect("H44", "2026-08", captures=tmp_path, settings=settings(url), today=datetime(2026, 9, 5, tzinfo=UTC))
        second = collect("H44", "2026-08", captures=tmp_path, settings=settings(url), today=datetime(2026, 9, 6, tzinfo=UTC))
    assert first.folder.name == "20260905" and second.folder.name == "20260906"
    assert second.fetched == tuple(ALL_NAMES) and len(portal.served) == 2 * REQUESTS_PER_CAPTURE
    assert json.loads((second.folder / "manifest.json").read_text(encoding="utf-8"))["captured_on"] == "2026-09-06"
