"""Strings from data shown safely: Markdown on the pages, formulas in CSV and XLSX, sheet names."""

from __future__ import annotations

import zipfile
from html.parser import HTMLParser

import nbformat
import polars as pl
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis.io.load import neutralise_formulas, sheet_names, write_table, write_workbook
from analysis.report.html import _clean_notebook, safe_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[bấm](javascript:alert(1))",
    "![ảnh](javascript:alert(1))",
    "<javascript:alert(1)>",
    "https://evil.example/x",
    "[x]: javascript:alert(1)\n\n[x]",
    "<!-- a comment --><b>bold</b>",
    "&lt;script&gt;",
    "<a href='javascript:alert(1)'>x</a>",
]


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_renders_as_text_only(name):
    html = markdown2html_mistune(safe_markdown(f"## Xã {name}\n\n- **{name}** giảm 2,5 điểm"))
    tags = elements(html)
    assert {t for t, _ in tags} <= {"h2", "a", "ul", "li", "strong", "p"}, html
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on") or a == "src"], html
        if tag == "a":  # nbconvert's own heading anchor, nothing else
            assert attrs.get("class") == "anchor-link" and (attrs.get("href") or "").startswith("#"), html
    assert [t for t, _ in tags][:1] == ["h2"]  # Markdown itself still works
    assert "\n" in name or "strong" in [t for t, _ in tags]


def test_the_unescaped_name_would_have_run():
    # the reason for safe_markdown: nbconvert passes raw HTML and links through
    assert "<script>" in markdown2html_mistune(HOSTILE[0])
    assert 'href="javascript:' in markdown2html_mistune(HOSTILE[2])


def test_the_text_reads_the_same():
    html = markdown2html_mistune(safe_markdown("Xã <Hợp Nhất> & [Đồi Ngô]: javascript:x"))
    from html import unescape

    assert unescape(html.replace("<p>", "").replace("</p>", "")).strip() == "Xã <Hợp Nhất> & [Đồi Ngô]: javascript:x"


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_markdown_is_idempotent(name):
    once = safe_markdown(name)
    assert safe_markdown(once) == once


def test_markdown_outputs_of_a_notebook_are_escaped_on_export():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(Markdown(x))")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": HOSTILE[1], "text/plain": "<x>"})]
    nb.cells.append(cell)
    cleaned = _clean_notebook(nb)
    assert cleaned.cells[0].outputs[0]["data"]["text/markdown"] == safe_markdown(HOSTILE[1])


def test_the_kernel_formatter_escapes_every_markdown_display():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import Markdown

    from analysis.report.html import escape_markdown_display

    shell = InteractiveShell.instance()
    try:
        assert escape_markdown_display()
        data, _ = shell.display_formatter.format(Markdown("**Xã** <script>alert(1)</script>"))
        assert data["text/markdown"] == "**Xã** &lt;script>alert(1)&lt;/script>"
    finally:
        InteractiveShell.clear_instance()


CELLS = ['=HYPERLINK("http://x","a")', "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "-5", "+84", "1.234,5", "ok", None]
EXPECTED = ["'=HYPERLINK(\"http://x\",\"a\")", "'+cmd", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", "-", "-5", "+84", "1.234,5", "ok", None]


def test_formula_cells_get_an_apostrophe_and_numbers_do_not():
    frame = pl.DataFrame({"unit_name": CELLS, "score": [-1.5] * len(CELLS)})
    out = neutralise_formulas(frame)
    assert out["unit_name"].to_list() == EXPECTED
    assert out["score"].to_list() == [-1.5] * len(CELLS)


def test_csv_is_written_with_formulas_as_text(tmp_path):
    frame = pl.DataFrame({"unit_name": CELLS, "score": [-1.5] * len(CELLS)})
    back = pl.read_csv(write_table(frame, tmp_path / "x.csv"), infer_schema=False)
    assert back["unit_name"].to_list()[:4] == EXPECTED[:4]


def test_xlsx_cells_are_strings_never_formulas(tmp_path):
    frame = pl.DataFrame({"unit_name": CELLS, "score": [-1.5] * len(CELLS)})
    for path in (write_table(frame, tmp_path / "a.xlsx"), write_workbook({"x": frame}, tmp_path / "b.xlsx")):
        with zipfile.ZipFile(path) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
            strings = z.read("xl/sharedStrings.xml").decode()
        assert "<f>" not in sheet
        assert "=HYPERLINK(" in strings  # kept as the text it was
        assert pl.read_excel(path)["unit_name"].to_list()[:2] == CELLS[:2]


def test_sheet_names_are_unique_ignoring_case_and_acceptable_to_excel():
    assert sheet_names(["Scorecard", "scorecard"]) == ["Scorecard", "scorecard (2)"]
    assert sheet_names(["a/b:c?", "x" * 40]) == ["a_b_c_", "x" * 31]
