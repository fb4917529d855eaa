"""Parameter files name files only under the project, their own folder, or folders they list."""

from __future__ import annotations

import shutil

from analysis.paths import BUNDLED_FACTS
from tests.conftest import run_cli


def params(folder, facts: str, extra: str = "") -> str:
    path = folder / "run.yaml"
    path.write_text(f"scope: H44\nscope_slug: x\nperiod: '2026-08'\nfacts: {facts}\n{extra}", encoding="utf-8")
    return str(path)


def test_a_system_file_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    result = run_cli("report", "--params", params(tmp_path, "/etc/passwd"), "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "line 4, key 'facts': /etc/passwd is outside the project" in result.stderr
    assert not out.exists()


def test_climbing_out_with_dots_or_a_link_is_refused(tmp_path):
    (tmp_path / "link.csv").symlink_to("/etc/hostname")
    for name in ("../../../../../../etc/hostname", "link.csv"):
        result = run_cli("report", "--params", params(tmp_path, name), "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and "is outside the project" in result.stderr, name


def test_a_methodology_or_notebook_outside_is_refused(tmp_path):
    text = "methodology: /etc/hostname.yaml\nnotebooks: [/etc/x.ipynb]\n"
    result = run_cli("report", "--params", params(tmp_path, str(BUNDLED_FACTS), text), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "key 'methodology': /etc/hostname.yaml is outside" in result.stderr
    assert "key 'notebooks[0]': /etc/x.ipynb is outside" in result.stderr


def test_a_listed_folder_is_allowed(tmp_path):
    from analysis.params import load_parameters

    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(BUNDLED_FACTS, shared / "facts.csv")
    runs = tmp_path / "runs"
    runs.mkdir()
    refused = run_cli("report", "--params", params(runs, str(shared / "facts.csv")), "--out", str(tmp_path / "o"))
    assert refused.returncode == 2 and "outside the project" in refused.stderr
    loaded = load_parameters(params(runs, str(shared / "facts.csv"), f"data_folders: [{shared}]\n"))
    assert loaded.facts == shared / "facts.csv"
    assert "data_folders" not in loaded.for_notebook()


def test_a_listed_folder_is_allowed_in_the_service_centre_section_too(tmp_path):
    from analysis.params import load_parameters

    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(BUNDLED_FACTS, shared / "facts.csv")
    (shared / "units.csv").write_text("unit_code,unit_name,level\nH44,Phú Thọ,province\n", encoding="utf-8")
    runs = tmp_path / "runs"
    runs.mkdir()
    section = f"service_centre:\n  units: {shared / 'units.csv'}\n"
    loaded = load_parameters(params(runs, str(shared / "facts.csv"), f"data_folders: [{shared}]\n{section}"))
    assert loaded.service_centre.units == shared / "units.csv"
    refused = run_cli("report", "--params", params(runs, str(BUNDLED_FACTS), section), "--out", str(tmp_path / "o"))
    assert refused.returncode == 2 and "outside the project" in refused.stderr


def test_a_notebook_name_is_not_a_path(tmp_path):
    result = run_cli("report", "--params", params(tmp_path, str(BUNDLED_FACTS), "notebooks: ['../../../tmp/x']\n"),
                     "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "a notebook is named by its file name in notebooks/" in result.stderr
