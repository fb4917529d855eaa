"""The explorer's widgets without a browser: each control redraws every output; clicks open units; export."""

from __future__ import annotations

import zipfile

import fastexcel
import polars as pl
import pytest

from analysis.explore import app, export, view
from analysis.scoring.score import score
from tests.test_explore_view import CHANGED_COMMUNE, july_from_august


@pytest.fixture(scope="module")
def data(bundled_facts):
    scored = score(pl.concat([bundled_facts, july_from_august(bundled_facts)]))
    return view.prepare(scored.scorecard, scored.detail, scored.methodology)


@pytest.fixture()
def explorer(data, tmp_path):
    return app.Explorer(data, export_dir=tmp_path / "xuat")


def shown(e: app.Explorer) -> dict:
    """What a reader sees: the summary, both chart titles, the first row of the table, the compare tab."""
    return {
        "summary": e.summary.value,
        "ranked": e.ranked.spec["title"]["text"],
        "ranked_rows": [r["unit_code"] for r in e.ranked.spec["datasets"]["rows"]],
        "distribution": e.distribution.spec["title"]["text"],
        "first": [c.value if hasattr(c, "value") else c.description for c in e.cells[0]],
        "rows": e.rows_note.value,
        "compare": e.compare.value,
    }


def test_it_opens_on_the_latest_period_communes_and_the_total(explorer):
    assert explorer.periods.value == ("2026-08",) and explorer.level.value == "commune"
    assert explorer.table.height == 148 and explorer.rows_note.value == "1–15 trên 148 đơn vị"
    now = shown(explorer)
    assert now["ranked"] == "Xếp hạng: Tổng điểm — điểm" and now["distribution"] == "Phân bố: Tổng điểm — điểm"
    assert now["first"][0] == "1" and now["ranked_rows"][0] == explorer.table["unit_code"][0]


@pytest.mark.parametrize(
    ("control", "value", "expect"),
    [
        ("metric", "lost", lambda s: "điểm bị mất" in s["ranked"]),
        ("measure", "MDSH", lambda s: s["ranked"].startswith("Xếp hạng: Số hóa hồ sơ")),
        ("search", "việt trì", lambda s: "Việt Trì" in s["first"][1] and "trên 1 đơn vị" in s["rows"]),
        ("periods", ("2026-07", "2026-08"), lambda s: "2026-07, 2026-08" in s["summary"] and "Thay đổi từ 2026-07 đến 2026-08" in s["compare"]),
        ("level", "department", lambda s: "trên 15 đơn vị" in s["rows"] and "Sở, ban, ngành" in s["summary"]),
        ("parent", "district:Thành phố Việt Trì", lambda s: "Thành phố Việt Trì" in s["summary"] and s["first"][2] == "Thành phố Việt Trì"),
        ("near", 2.0, lambda s: "trên 148" not in s["rows"] and s["first"][11].startswith(("0,", "1,", "2")) and "→" in s["first"][11]),
        ("require", "CLGQ", lambda s: "Dịch vụ công trực tuyến" in s["summary"]),
        ("value_filter", "zero", lambda s: "= 0" in s["summary"]),
    ],
)
def test_each_control_redraws_charts_table_and_summary_together(explorer, control, value, expect):
    before = shown(explorer)
    getattr(explorer, control).value = value
    after = shown(explorer)
    assert after != before
    assert after["summary"] != before["summary"]
    assert expect(after), after
    assert after["ranked_rows"] == explorer.table["unit_code"].head(len(after["ranked_rows"])).to_list()
    assert explorer.seconds > 0


def test_changing_level_offers_that_levels_parents(explorer):
    explorer.level.value = "department"
    assert [v for _, v in explorer.parent.options] == ["", "unit:H44"]
    explorer.level.value = "commune"
    assert any(v.startswith("district:") for _, v in explorer.parent.options)


def test_a_click_on_a_header_sorts_and_a_second_turns_the_order(explorer):
    names = [key for key, _ in app.COLUMNS]
    header = explorer.headers[names.index("dossiers")]
    header.click()
    first = explorer.table["dossiers"].to_list()
    assert first == sorted(first, reverse=True) and header.description.endswith("▼")
    header.click()
    assert explorer.table["dossiers"].drop_nulls().to_list() == sorted(explorer.table["dossiers"].drop_nulls().to_list())
    assert header.description.endswith("▲")


def test_pages_of_the_table(explorer):
    explorer.next_page.click()
    assert explorer.rows_note.value == "16–30 trên 148 đơn vị"
    assert explorer.cells[0][0].value == str(explorer.table["rank"][15])
    explorer.previous_page.click()
    assert explorer.rows_note.value.startswith("1–15")


def test_a_click_on_a_name_in_the_table_opens_its_drill_down(explorer):
    explorer.search.value = "việt trì"
    button = explorer.cells[0][1]
    button.click()
    assert explorer.unit == button.tooltip and explorer.tabs.selected_index == 1
    text = " ".join(getattr(c, "value", "") for c in explorer.drill.children)
    assert "Các nhóm chỉ số" in text and "Tỷ lệ hồ sơ xử lý đúng hạn" in text
    assert "Trung vị các xã cùng huyện cũ" in text and "2026-07" in text


def test_a_click_on_a_bar_opens_the_unit(explorer):
    # what the chart's JavaScript sends back when a bar is clicked (Vega's point-selection signal)
    signal = {"vlPoint": {"or": [{"unit_code": CHANGED_COMMUNE}]}, "unit_code": [CHANGED_COMMUNE]}
    explorer.ranked._vl_selections = {"don_vi": {"value": signal, "store": [{"unit": "x", "fields": [], "values": [CHANGED_COMMUNE]}]}}
    assert explorer.unit == CHANGED_COMMUNE and explorer.tabs.selected_index == 1
    assert "Phường Việt Trì" in explorer.drill.children[0].value


def test_a_unit_not_held_in_the_shown_period_is_said_so(explorer):
    explorer.open_unit("H44.999")
    assert explorer.drill.children[0].value == "Không có số liệu của đơn vị H44.999 trong kỳ 2026-08."
    assert explorer.unit is None


def test_the_export_buttons_write_the_current_view(explorer, tmp_path):
    explorer.measure.value = "MDSH"
    explorer.metric.value = "lost"
    explorer.export_buttons["xlsx"].click()
    path = tmp_path / "xuat" / "kham-pha-2026-08-commune-mdsh-lost.xlsx"
    assert path.is_file() and str(path) in explorer.export_note.value
    sheet = fastexcel.read_excel(path).load_sheet(0).to_polars()
    assert sheet.height == explorer.table.height
    assert sheet["Mã đơn vị"].to_list() == explorer.table["unit_code"].to_list()
    explorer.export_buttons["html"].click()
    assert (tmp_path / "xuat" / "kham-pha-2026-08-commune-mdsh-lost.html").is_file()


def test_every_kind_of_export(data, tmp_path):
    state = view.State(periods=("2026-07", "2026-08"), level="commune", measure="SO_HOA_GIAY_TO_GIAI_QUYET", metric="change")
    files = export.export_view(data, state, tmp_path)
    names = sorted(p.name for p in files)
    stem = "kham-pha-2026-08-commune-so-hoa-giay-to-giai-quyet-change"
    assert names == sorted([f"{stem}-xep-hang.png", f"{stem}-xep-hang.svg", f"{stem}-phan-bo.png", f"{stem}-phan-bo.svg",
                            f"{stem}.xlsx", f"{stem}.html"])
    assert (tmp_path / f"{stem}-xep-hang.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / f"{stem}-xep-hang.svg").read_text(encoding="utf-8")
    assert "Việt Trì" in svg
    page = (tmp_path / f"{stem}.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "So với kỳ" in page and "2026-07" in page
    with pytest.raises(ValueError, match="unknown export kind"):
        export.export_view(data, state, tmp_path, ("pdf",))


def test_strings_from_the_data_are_escaped_in_every_export(data, tmp_path):
    hostile = "<script>alert(1)</script>=HYPERLINK(\"x\")"
    card = data.scorecard.with_columns(
        pl.when(pl.col("unit_code") == CHANGED_COMMUNE).then(pl.lit(hostile)).otherwise(pl.col("unit_name")).alias("unit_name"))
    tainted = view.prepare(card, data.detail, data.methodology, districts=data.districts)
    state = view.State(periods=("2026-08",), level="commune", search="script")
    files = {p.suffix: p for p in export.export_view(tainted, state, tmp_path, ("svg", "xlsx", "html"))}
    page = files[".html"].read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in files[".svg"].read_text(encoding="utf-8")
    with zipfile.ZipFile(files[".xlsx"]) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet  # written as text, never as a formula
        assert "HYPERLINK" in book.read("xl/sharedStrings.xml").decode()
