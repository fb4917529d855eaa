"""The monthly run end to end: the bundled real data through every notebook to offline HTML.

The bundled suite runs once per session (``bundled_report``, shared with the browser tests);
a second, tiny run checks that a failing notebook does not stop the others.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import polars as pl
import pytest

from analysis.paths import BUNDLED_FACTS, BUNDLED_PUBLISHED, NOTEBOOKS
from tests.conftest import run_cli

MAX_PAGE_BYTES = 2_500_000
SUITE = ["scorecard", "comparison", "trends", "data_quality"]


@dataclass(frozen=True)
class Report:
    result: subprocess.CompletedProcess[str]
    folder: Path
    run: dict


_cache: dict[str, Report] = {}


@pytest.fixture(scope="session")
def bundled_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """``python -m analysis report`` on the bundled parameters, once per session."""
    if "bundled" not in _cache:
        out = tmp_path_factory.mktemp("reports")
        result = run_cli("report", "--out", str(out))
        folder = out / "phu-tho" / "2026-08"
        run = json.loads((folder / "run.json").read_text(encoding="utf-8")) if (folder / "run.json").exists() else {}
        _cache["bundled"] = Report(result, folder, run)
    return _cache["bundled"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts_with_src: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "script" and values.get("src"):
            self.scripts_with_src.append(values["src"] or "")


def links_of(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(report: Report) -> list[Path]:
    return [report.folder / f"{name}.html" for name in SUITE]


pytestmark = pytest.mark.slow


def test_the_run_succeeds_and_ends_with_the_index_path(bundled_report):
    result = bundled_report.result
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert Path(last) == (bundled_report.folder / "index.html").resolve()
    assert Path(last).is_file()
    for i, name in enumerate(SUITE, start=1):
        assert re.search(rf"^\[{i}/4\] {name} … \d+,\d s$", result.stdout, re.M), result.stdout
    assert "Traceback" not in result.stderr


def test_all_files_are_written(bundled_report):
    folder = bundled_report.folder
    for name in SUITE:
        assert (folder / f"{name}.html").is_file()
        assert (folder / "notebooks" / f"{name}.ipynb").is_file()
    for name in ("index.html", "scorecard.xlsx", "scorecard.csv", "indicators.xlsx", "indicators.csv", "run.json"):
        assert (folder / name).is_file(), name
    pngs = sorted(p.stem for p in (folder / "charts").glob("*.png"))
    svgs = sorted(p.stem for p in (folder / "charts").glob("*.svg"))
    assert pngs and pngs == svgs
    assert all((folder / "charts" / f"{s}.png").read_bytes().startswith(b"\x89PNG") for s in pngs)
    assert not [p for p in folder.rglob(".*") if p.is_file()], "temporary files left behind"


def test_scorecard_files_carry_the_real_scores(bundled_report):
    card = pl.read_csv(bundled_report.folder / "scorecard.csv", schema_overrides={"period": pl.String})
    from_xlsx = pl.read_excel(bundled_report.folder / "scorecard.xlsx", sheet_name="scorecard")
    for_people = pl.read_excel(bundled_report.folder / "scorecard.xlsx", sheet_name="Bảng điểm")
    published = pl.read_csv(BUNDLED_PUBLISHED, schema_overrides={"period": pl.String})
    assert card.height == from_xlsx.height == for_people.height == published.height == 164
    assert from_xlsx["total"].to_list() == card["total"].to_list()
    assert sorted(for_people["Tổng điểm"].to_list()) == sorted(card["total"].to_list())
    joined = card.select("unit_code", "total").join(published.select("unit_code", pl.col("total").alias("pub")), on="unit_code")
    assert joined.height == 164
    assert (joined["total"] - joined["pub"]).abs().max() <= 0.011  # the portal's own figures


def test_index_links_every_page_and_download(bundled_report):
    index = bundled_report.folder / "index.html"
    hrefs = links_of(index).hrefs
    for name in SUITE:
        assert f"{name}.html" in hrefs
        assert f"notebooks/{name}.ipynb" in hrefs
    for name in ("scorecard.xlsx", "scorecard.csv", "indicators.xlsx", "indicators.csv"):
        assert name in hrefs
    for chart in (bundled_report.folder / "charts").iterdir():
        assert f"charts/{chart.name}" in hrefs
    for href in hrefs:
        assert not href.startswith(("http:", "https:", "//")), href
        assert (bundled_report.folder / href).is_file(), href
    text = index.read_text(encoding="utf-8")
    assert "tháng 8/2026" in text and "Phú Thọ" in text and "portal-2025" not in text
    assert re.search(r"Tạo lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}", text)


def test_index_leads_with_the_headline_and_the_weakest_units(bundled_report):
    text = (bundled_report.folder / "index.html").read_text(encoding="utf-8")
    lead = text.index('<p class="lead">Tổng điểm của tỉnh Phú Thọ tháng 8/2026 đạt 59,92/100 điểm, xếp loại Trung bình.')
    weakest = text.index("Các đơn vị có tổng điểm thấp nhất")
    assert lead < weakest < text.index("Các trang báo cáo") < text.index("<footer>") < text.index("Thời gian chạy")
    assert "<li>Sở Ngoại vụ: 31,03 điểm, Yếu, hạng 13/13 sở, ban, ngành</li>" in text
    assert "Văn phòng UBND" not in text[weakest:text.index("Các trang báo cáo")]  # no dossiers: not among the weakest


def _xlsx_part(path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as book:
        return book.read(name).decode("utf-8")


def test_workbooks_read_like_the_report(bundled_report):
    folder = bundled_report.folder
    people = pl.read_excel(folder / "scorecard.xlsx", sheet_name="Bảng điểm")
    province = people.filter(pl.col("Cấp") == "Cấp tỉnh").row(0, named=True)
    assert province["Hạng"] is None and province["Tên cơ quan, đơn vị"] == "Tỉnh Phú Thọ"
    quiet = people.filter(pl.col("Tên cơ quan, đơn vị").is_in(["Văn phòng UBND tỉnh", "Thanh tra tỉnh"]))
    assert quiet.height == 2 and quiet["Xếp loại"].null_count() == 2 and quiet["Hạng"].null_count() == 2
    assert not any(" - Tỉnh Phú Thọ" in n for n in people["Tên cơ quan, đơn vị"])
    tools = pl.read_excel(folder / "scorecard.xlsx", sheet_name="scorecard").filter(pl.col("unit_code").is_in(["H44.01", "H44.23"]))
    assert tools["class"].null_count() == 2 and tools["rank"].null_count() == 2
    assert "state=\"frozen\"" in _xlsx_part(folder / "scorecard.xlsx", "xl/worksheets/sheet1.xml")
    styles = _xlsx_part(folder / "scorecard.xlsx", "xl/styles.xml")
    assert "0.000" not in styles  # counts 184.513, scores 59,92: no three-decimal figure
    sheets = pl.read_excel(folder / "indicators.xlsx", sheet_id=0)
    assert list(sheets) == ["Cấp tỉnh", "Sở, ban, ngành", "Cấp xã", "detail"]
    communes = sheets["Cấp xã"]
    assert communes.columns[:3] == ["Tên cơ quan, đơn vị", "Nhóm chỉ số", "Chỉ số"]
    assert communes.filter(pl.col("Nguồn") == "Điểm nhóm đã công bố").height == 148
    assert "0.00%" in _xlsx_part(folder / "indicators.xlsx", "xl/styles.xml")


def test_pages_are_self_contained(bundled_report):
    for page in [*pages(bundled_report), bundled_report.folder / "index.html"]:
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size <= MAX_PAGE_BYTES, (page.name, page.stat().st_size)
        assert not links_of(page).scripts_with_src, page.name
        assert not re.search(r"<script[^>]*\ssrc\s*=", text, re.I), page.name
        assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", text, re.I), page.name
        assert not re.search(r"(src|href)\s*=\s*[\"']?https?://", text, re.I), page.name
        assert not re.search(r"@import|url\(\s*[\"']?https?://", text, re.I), page.name
        for cdn in ("require.js", "mathjax", "cdn.jsdelivr", "unpkg.com", "cdnjs"):
            assert cdn not in text.lower(), (page.name, cdn)


def test_the_vega_bundle_is_inlined_once_with_altairs_vega_lite(bundled_report):
    import altair as alt

    for page in pages(bundled_report):
        text = page.read_text(encoding="utf-8")
        assert text.count("window.vegaEmbed=") == 1, page.name
        if 'class="vl-chart"' in text:  # defined before the first chart asks for it
            assert text.index("window.vegaEmbed=") < text.index('class="vl-chart"')
    # the bundle's Vega-Lite is the version Altair writes its specs for
    scorecard = (bundled_report.folder / "scorecard.html").read_text(encoding="utf-8")
    version = alt.SCHEMA_VERSION.lstrip("v")
    assert f'="{version}";' in scorecard
    assert f"vega-lite/{alt.SCHEMA_VERSION}.json" in scorecard.replace("\\/", "/")


def test_pages_show_no_code_prompts_or_stderr(bundled_report):
    for page in pages(bundled_report):
        text = page.read_text(encoding="utf-8")
        assert "open_notebook" not in text, page.name
        visible = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
        assert "jp-CodeMirrorEditor" not in visible and "jp-InputPrompt" not in visible and "In&nbsp;[" not in visible, page.name
        assert "application/vnd.jupyter.stderr" not in visible and "Warning" not in visible, page.name
        assert 'class="vl-chart"' in text or page.stem == "data_quality", page.name


def test_pages_are_in_vietnamese(bundled_report):
    scorecard = (bundled_report.folder / "scorecard.html").read_text(encoding="utf-8")
    published_total = pl.read_csv(BUNDLED_PUBLISHED).filter(pl.col("unit_code") == "H44")["total"].item()
    assert f"đạt {published_total:.2f}/100 điểm".replace(".", ",") in scorecard  # 59,92
    assert "I. Kết quả chung" in scorecard and "V. Nhận xét" in scorecard and "VI. Đề xuất" in scorecard
    assert '<html lang="vi">' in scorecard


def test_executed_notebooks_have_outputs_and_committed_ones_none(bundled_report):
    for name in SUITE:
        committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        assert committed.metadata.kernelspec["name"] == "python3"
        assert committed.metadata.kernelspec["language"] == "python"
        code = [c for c in committed.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), name
        assert "parameters" in code[0].metadata.get("tags", [])
        assert "ctx = open_notebook(" in code[1].source  # the one opening call after the parameters
        executed = nbformat.read(bundled_report.folder / "notebooks" / f"{name}.ipynb", as_version=4)
        outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs, name
        assert not [o for o in outputs if o.output_type == "error"], name
        injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected and str(bundled_report.folder.resolve()) in injected[0].source


def test_chart_count_in_run_json_matches_pages(bundled_report):
    counts = {n["name"]: n["charts"] for n in bundled_report.run["notebooks"]}
    for page in pages(bundled_report):
        assert page.read_text(encoding="utf-8").count('class="vl-chart"') == counts[page.stem]
    assert counts["scorecard"] >= 1


# --------------------------------------------------------------------------------------------
# a failing notebook


def tiny_notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {path.stem}"),
        nbformat.v4.new_code_cell('period: str = "2026-08"  # kỳ báo cáo', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
    ]
    nbformat.write(nb, path)


def test_a_failing_notebook_does_not_stop_the_others(tmp_path):
    tiny_notebook(tmp_path / "broken.ipynb", 'raise ValueError("số liệu hỏng")')
    tiny_notebook(tmp_path / "fine.ipynb", 'print("kỳ báo cáo", period)')
    params = tmp_path / "run.yaml"
    params.write_text(
        f'scope: H44\nscope_slug: thu\nperiod: "2026-08"\nfacts: {BUNDLED_FACTS}\nnotebooks: [broken.ipynb, fine.ipynb]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("report", "--params", str(params), "--out", str(out))
    folder = out / "thu" / "2026-08"
    assert result.returncode == 1, result.stdout + result.stderr
    assert Path(result.stdout.strip().splitlines()[-1]) == (folder / "index.html").resolve()
    assert "broken: ValueError: số liệu hỏng" in result.stderr
    assert "Traceback" not in result.stderr
    assert (folder / "fine.html").is_file()
    assert "kỳ báo cáo 2026-08" in (folder / "fine.html").read_text(encoding="utf-8")
    assert not (folder / "broken.html").exists()
    error_nb = nbformat.read(folder / "notebooks" / "broken.ipynb", as_version=4)
    assert any("papermill-error-cell" in c.source for c in error_nb.cells if c.cell_type == "markdown")
    errors = [o for c in error_nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "lỗi" in index and "số liệu hỏng" in index
    assert 'href="fine.html"' in index and 'href="broken.html"' not in index
    assert 'href="notebooks/broken.ipynb"' in index
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert {n["name"]: n["ok"] for n in run["notebooks"]} == {"broken": False, "fine": True}


def test_an_english_run_names_its_pages_and_the_class_in_english(tmp_path):
    from analysis.run.suite import notebook_title

    assert notebook_title(NOTEBOOKS / "scorecard.ipynb", "scorecard", "en") == "Index 766 results for the period"
    assert notebook_title(NOTEBOOKS / "scorecard.ipynb", "scorecard") == "Kết quả Bộ chỉ số 766 trong kỳ"
    tiny_notebook(tmp_path / "fine.ipynb", 'print("kỳ báo cáo", period)')
    params = tmp_path / "run.yaml"
    params.write_text(f'scope: H44\nscope_slug: thu\nperiod: "2026-08"\nfacts: {BUNDLED_FACTS}\nlanguage: en\n'
                      "notebooks: [fine.ipynb]\n", encoding="utf-8")
    result = run_cli("report", "--params", str(params), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "out" / "thu" / "2026-08" / "index.html").read_text(encoding="utf-8")
    assert "59.92/100 — Average" in index and "Trung bình" not in index
    assert "Index 766 report — " in index and "Period: August 2026" in index and "Total score" in index
    assert "Indicator detail" in index and "Mục lục" not in index
    page = (tmp_path / "out" / "thu" / "2026-08" / "fine.html").read_text(encoding="utf-8")
    assert ">Index<" in page and " · generated " in page and "tạo lúc" not in page
    assert "units, methodology portal-2025" in result.stdout and "done in " in result.stdout
