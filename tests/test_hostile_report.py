"""Hostile unit names through the whole report, opened in headless Chromium (and in English).

Every unit of the bundled Phú Thọ facts is renamed to a name an attacker would type: script
tags, event handlers, ``javascript:`` links, Markdown links, spreadsheet formulas.  The report
runs with ``language: en`` (the English run end to end), then each page is opened with every
``http(s)://`` request blocked.  Nothing may run (no ``window.__pwned``, no dialog), no element
may be injected (no ``#x766``, no ``onerror``/``onload`` attribute, no ``javascript:`` link),
and the names must still be readable as text.  The workbooks hold no formula and the CSV's
formula-like cells are text.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl
import pytest

from analysis.paths import BUNDLED_FACTS, BUNDLED_PUBLISHED
from analysis.report import pages
from tests.conftest import run_cli
from tests.test_browser import offline_browser

SUITE = ["scorecard", "comparison", "trends", "data_quality"]
HOSTILE = [
    "<script>window.__pwned='script'</script>UBND {n}",
    '<img src=x id=x766img onerror="window.__pwned=\'img\'"> xã {n}',
    "[bấm vào](javascript:window.__pwned='mdlink') {n}",
    "javascript:window.__pwned='bare' {n}",
    '=HYPERLINK("http://evil.example/x","bấm") {n}',
    "<svg onload=window.__pwned='svg' id=x766svg></svg> {n}",
    '"><b id=x766b>in đậm</b> {n}',
    "</script><script>window.__pwned='close'</script> {n}",
    "<a href='javascript:window.__pwned=1'>liên kết</a> {n}",
    "@SUM(1+1)*cmd|' /C calc'!A0 {n}",
    "![ảnh](x onerror=window.__pwned='mdimg') {n}",
    "<iframe src=javascript:window.__pwned='iframe' id=x766frame></iframe> {n}",
]
PERSONAL = {"Họ tên người nộp": "Nguyễn Thị Cài Cắm", "Số điện thoại": "0987654321", "Số CCCD": "079123456789"}
INJECTED = "[id^=x766], [onerror], [onload], a[href^='javascript' i], iframe, img[src='x']"


def hostile_names(codes: list[str]) -> dict[str, str]:
    """Each unit code → a hostile name (the province gets the script tag)."""
    return {code: HOSTILE[i % len(HOSTILE)].format(n=i) for i, code in enumerate(codes)}


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    facts = pl.read_csv(BUNDLED_FACTS, infer_schema=False)
    names = hostile_names(facts["unit_code"].unique(maintain_order=True).to_list())
    planted = [pl.lit(value).alias(column) for column, value in PERSONAL.items()]  # personal data typed in by someone
    facts.with_columns(pl.col("unit_code").replace_strict(names).alias("unit_name"), *planted).write_csv(folder / "facts.csv")
    published = pl.read_csv(BUNDLED_PUBLISHED, infer_schema=False)
    published.with_columns(pl.col("unit_code").replace(names).alias("unit_name"), *planted).write_csv(folder / "published.csv")
    (folder / "run.yaml").write_text(
        "scope: H44\nscope_slug: hostile\nperiod: '2026-08'\nfacts: facts.csv\npublished: published.csv\n"
        "language: en\n",
        encoding="utf-8",
    )
    result = run_cli("report", "--params", str(folder / "run.yaml"), "--out", str(folder / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "out" / "hostile" / "2026-08"


pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_english_report_runs_end_to_end(hostile_report):
    run = json.loads((hostile_report / "run.json").read_text(encoding="utf-8"))
    assert [n["name"] for n in run["notebooks"]] == SUITE
    assert all(n["ok"] for n in run["notebooks"]), run
    for name in SUITE:
        page = (hostile_report / f"{name}.html").read_text(encoding="utf-8")
        english, vietnamese = pages.title(name, "en"), pages.title(name, "vi")
        assert english in page and vietnamese not in page, name  # an English page opens in English
    sheets = zipfile.ZipFile(hostile_report / "scorecard.xlsx").read("xl/workbook.xml").decode()
    assert 'name="Scores"' in sheets and 'name="scorecard"' in sheets


def test_no_planted_personal_data_in_any_output(hostile_report):
    """Facts, notebooks, pages, workbooks (their XML), CSV, SVG charts, run.json, scored Parquet."""
    outputs = [p for p in hostile_report.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in outputs}
    assert {".html", ".ipynb", ".xlsx", ".csv", ".svg", ".png", ".json", ".parquet"} <= kinds
    for path in outputs:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        else:
            data = path.read_bytes()
        for value in PERSONAL.values():
            assert value.encode("utf-8") not in data, (value, path)


def test_no_formula_in_the_workbooks(hostile_report):
    for book in ("scorecard.xlsx", "indicators.xlsx"):
        with zipfile.ZipFile(hostile_report / book) as z:
            for sheet in [n for n in z.namelist() if n.startswith("xl/worksheets/")]:
                assert "<f>" not in z.read(sheet).decode(), (book, sheet)


def test_formula_like_cells_of_the_csv_are_text(hostile_report):
    card = pl.read_csv(hostile_report / "scorecard.csv", infer_schema=False)
    names = card["unit_name"].to_list()
    assert any(n.startswith("'=HYPERLINK(") for n in names)
    assert any(n.startswith("'@SUM(") for n in names)
    assert not [n for n in names if n[0] in "=+-@\t\r"]


def test_nothing_runs_and_nothing_is_injected(hostile_report, tmp_path):
    dialogs: list[str] = []
    seen: dict[str, dict] = {}
    with offline_browser(tmp_path / "profile") as (context, outside):
        for name in ["index", *SUITE]:
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto((hostile_report / f"{name}.html").resolve().as_uri())
            page.wait_for_load_state("load")
            divs = page.locator("div.vl-chart").count()
            if divs:
                page.wait_for_function(
                    "n => document.querySelectorAll('div.vl-chart svg.marks').length >= n", arg=divs, timeout=30_000
                )
            seen[name] = {
                "pwned": page.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)"),
                "injected": page.locator(INJECTED).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 80))"),
                "text": page.inner_text("body"),
                "svg_text": " ".join(page.locator("div.vl-chart svg text").all_text_contents()),
            }
            page.close()
    assert outside == [] and dialogs == []
    for name, page in seen.items():
        assert page["pwned"] is None, name
        assert page["injected"] == [], name
    # the names are still there, shown as text
    assert "<script>window.__pwned='script'</script>UBND 0" in seen["index"]["text"]
    assert "<script>window.__pwned='script'</script>UBND 0" in seen["scorecard"]["text"]
    shown = " ".join(seen[name]["text"] + seen[name]["svg_text"] for name in SUITE)
    assert "javascript:window.__pwned" in shown
    assert "<img src=x" in shown
