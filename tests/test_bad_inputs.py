"""The hostile-input corpus (``tests/bad_inputs/``): each file's outcome, its rows, and no personal data out.

``MANIFEST.csv`` lists every file with its kind (facts, portal JSON, the long CSV, dossiers,
dossiers through the lazy Parquet scan, petitions, procedures, units, parameters, methodology), the outcome (``ok`` or ``exit2``), a piece of
the message expected, and the rows: ``rows_in`` data rows, ``used`` rows that pass, ``rejected``
rows named as bad (for a file refused as a whole: the rows its messages name, or all of them).
Every case runs through the command line too (exit status 0 or 2, never a traceback), and no
output — messages, rejects, written files — holds the personal data planted in the inputs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.cli import run
from analysis.errors import InputError
from analysis.io.portal import read_portal
from analysis.io.records import read_dossiers, read_dossiers_folder, read_petitions, read_procedures
from analysis.io.scan import check_table
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import load_methodology
from analysis.scoring.units import read_units

CORPUS = Path(__file__).parent / "bad_inputs"
RECORDS = Path(__file__).parent / "fixtures" / "records"
CASES = list(csv.DictReader((CORPUS / "MANIFEST.csv").read_text(encoding="utf-8").splitlines()))
PERSONAL = ("Nguyễn Thị Cài Cắm", "0987654321", "079123456789")
READERS = {"dossiers": read_dossiers, "petitions": read_petitions, "procedures": read_procedures}


def command(case: dict, path: Path, out: Path) -> list[str]:
    kind = case["kind"]
    if kind == "facts":
        return ["score", "--facts", str(path), "--out", str(out / "card.csv")]
    if kind == "portal":
        return ["portal", str(path), "--period", "2026-08", "--out", str(out / "facts.csv")]
    if kind == "long":
        return ["portal", str(path), "--out", str(out / "facts.csv")]
    if kind == "params":
        return ["report", "--params", str(path), "--out", str(out / "reports")]
    if kind == "methodology":
        facts = CORPUS / "facts-english-thousands.csv"
        return ["score", "--facts", str(facts), "--methodology", str(path), "--out", str(out / "card.csv")]
    if kind == "scan":
        return ["facts", "--records", str(path), "--period", "2026-08", "--out", str(out / "facts.csv")]
    if kind == "units":
        return ["facts", "--records", str(RECORDS / "dossiers.csv"), "--units", str(path), "--period", "2026-08",
                "--out", str(out / "facts.csv")]
    return ["validate", str(path)]


def counts(case: dict, path: Path) -> tuple[int, int, int, str]:
    """(rows in, used, rejected, every message and reject reason) read through the package."""
    kind = case["kind"]
    if kind in READERS:
        reader = read_dossiers_folder if path.is_dir() else READERS[kind]
        try:
            loaded = reader(path)
        except InputError as exc:
            rows = int(case["rows_in"])
            return rows, 0, rows, str(exc)
        s = loaded.summary
        text = "\n".join([*s.notes, *(str(p) for p in loaded.problems())]) + loaded.rejects.write_csv() + loaded.frame.write_csv()
        return s.rows_in, s.rows_used, s.rows_rejected, text
    rows_in = int(case["rows_in"])
    try:
        if kind == "facts":
            used = read_facts(path, load_methodology()).height
        elif kind == "units":
            used = read_units(path).height
        elif kind == "scan":
            used = check_table(path, "dossiers").summary.rows_used
        elif kind in ("portal", "long"):
            units = read_portal(path, period="2026-08").published.height
            used = units if kind == "portal" else rows_in
        else:
            return 0, 0, 0, ""
        return rows_in, used, 0, ""
    except InputError as exc:
        first = 1 if path.suffix == ".parquet" else 2  # a Parquet file's rows count from 1, a CSV's data from 2
        named = {p.row for p in exc.problems if p.row is not None and first <= p.row < first + rows_in}
        rejected = len(named) if named and kind != "portal" else rows_in
        return rows_in, rows_in - rejected, rejected, str(exc)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_hostile_file(case, tmp_path, capsys):
    path = CORPUS / case["file"]
    status = run(command(case, path, tmp_path))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    rows_in, used, rejected, messages = counts(case, path)
    if case["outcome"] == "exit2":
        assert status == 2, out + err
        assert case["expect"] in err + messages, err
    else:
        assert status in (0, 2) if case["kind"] in READERS else status == 0, err
        assert case["expect"] in messages + out + err
    # nothing is lost silently: rows in = rows used + rows rejected
    assert (rows_in, used, rejected) == (int(case["rows_in"]), int(case["used"]), int(case["rejected"]))
    assert rows_in == used + rejected
    # planted personal data never comes out
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    for secret in PERSONAL:
        assert secret not in out + err + messages + written, (secret, case["file"])
    if case["kind"] == "params":
        assert not (tmp_path / "reports").exists()  # refused before anything is written


def test_the_corpus_is_large_and_covers_every_input_kind():
    listed = {c["file"].split("/")[0] for c in CASES}
    on_disk = {p.name for p in CORPUS.iterdir()} - {"MANIFEST.csv"}
    assert on_disk == listed  # every file is a case, every case a file
    assert len(CASES) >= 80
    assert {c["kind"] for c in CASES} == {"facts", "portal", "long", "dossiers", "scan", "petitions", "procedures", "units", "params", "methodology"}
    assert len({c["category"] for c in CASES}) >= 25


def test_a_table_too_large_to_read_whole_is_refused_unread(tmp_path, capsys):
    huge = tmp_path / "facts.csv"
    with huge.open("wb") as f:
        f.truncate(2 * 1024**3)  # 2 GiB, sparse: nothing is written to disk
    status = run(["score", "--facts", str(huge), "--out", str(tmp_path / "c.csv")])
    err = capsys.readouterr().err
    assert status == 2 and "more than the 1,024 MB this reader accepts" in err


def test_messages_are_cut_to_a_readable_length():
    from analysis.errors import MAX_MESSAGE, Problem

    assert len(Problem("f.csv", "x" * 100_000).message) == MAX_MESSAGE
