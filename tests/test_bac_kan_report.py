"""The bundled Bắc Kạn September 2024 run (parameters/bac-kan-2024-09.yaml): the province, its
departments and districts with the figures of the province's own report, shifted columns flagged."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest

from analysis.paths import PARAMETERS
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

DISTRICT_TOTALS = {"BK.H1": 88.55, "BK.H2": 88.11, "BK.H3": 87.07, "BK.H4": 85.71,
                   "BK.H5": 85.66, "BK.H6": 84.01, "BK.H7": 74.87, "BK.H8": 64.09}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("bk")
    result = run_cli("report", "--params", str(PARAMETERS / "bac-kan-2024-09.yaml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "bac-kan" / "2024-09"


def test_every_page_renders(folder):
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert [n["ok"] for n in run["notebooks"]] == [True] * 4


def test_scorecard_holds_the_reports_figures(folder):
    card = pl.read_csv(folder / "scorecard.csv", schema_overrides={"period": pl.String})
    by_code = {r["unit_code"]: r for r in card.iter_rows(named=True)}
    assert by_code["BK"]["total"] == 77.59 and by_code["BK"]["ONLINE_SERVICE"] == 16.0
    departments = card.filter(pl.col("level") == "department")
    assert departments.height == 18
    assert by_code["BK.S01"]["total"] == 99.84 and by_code["BK.S17"]["total"] == 84.0172
    assert by_code["BK.S12"]["class"] == "good" and by_code["BK.S11"]["class"] == "excellent"  # codes, for tools
    people = pl.read_excel(folder / "scorecard.xlsx", sheet_name="Bảng điểm")  # the report's words, for people
    shown = {r["Mã đơn vị"]: r["Xếp loại"] for r in people.iter_rows(named=True)}
    assert shown["BK.S12"] == "Tốt" and shown["BK.S11"] == "Xuất sắc" and shown["BK.S18"] is None
    assert {c: by_code[c]["total"] for c in DISTRICT_TOTALS} == DISTRICT_TOTALS
    ethnic = by_code["BK.S18"]  # "–" in the report: no activity, not zero, not graded
    assert ethnic["total"] is None and ethnic["class"] is None and ethnic["active"] is False


def test_pages_say_what_the_figures_are(folder):
    scorecard = text_of((folder / "scorecard.html").read_text(encoding="utf-8"))
    assert "đạt 77,59/100 điểm." in scorecard
    assert "là điểm đã công bố" in scorecard
    assert "12.135" in scorecard and "chưa đồng bộ là 2.421" in scorecard
    assert "866/127" in scorecard  # Chợ Mới's online/counter dossiers
    assert "Không có hồ sơ quá hạn" not in scorecard  # no on-time counts: unknown, not none
    assert "chưa biết số hồ sơ quá hạn" in scorecard
    assert "mẫu số tạm" not in scorecard


def test_data_quality_flags_the_shifted_columns(folder):
    page = text_of((folder / "data_quality.html").read_text(encoding="utf-8"))
    assert "Bảng điểm công bố: 17/18 dòng có tổng điểm khác tổng các nhóm" in page
    assert "lệch dòng" in page
    assert "khớp đến 0,01" not in page  # published scores are not reconciled with themselves


def test_word_report_does_not_cite_the_portal_for_published_scores(folder):
    import docx

    text = "\n".join(p.text for p in docx.Document(str(folder / "bao-cao-bac-kan-2024-09.docx")).paragraphs)
    assert "Căn cứ bảng điểm, xếp loại đã công bố" in text and "Căn cứ kết quả công bố trên Cổng" not in text
    assert "đã công bố trong báo cáo tháng 9/2024 của Văn phòng UBND tỉnh Bắc Kạn theo Bộ chỉ số" in text
    assert "Huyện Ba Bể: 64,09 điểm, hạng 8/8" in text and "None" not in text


def test_no_page_credits_the_portal_with_the_reports_figures(folder):
    """The figures are the province report's (``data_source:`` in the parameters): a sentence naming
    where the per-unit counts or the published scores come from names that report, never the portal."""
    import docx

    pages = {name: text_of((folder / f"{name}.html").read_text(encoding="utf-8"))
             for name in ("scorecard", "data_quality", "comparison", "trends")}
    pages["docx"] = "\n".join(p.text for p in docx.Document(str(folder / "bao-cao-bac-kan-2024-09.docx")).paragraphs)
    said = " ".join(pages.values())
    assert "Số hồ sơ trực tuyến, trực tiếp của các sở, ban, ngành theo báo cáo tháng 9/2024 của Văn phòng UBND tỉnh Bắc Kạn." in said
    for wrong in ("theo Cổng Dịch vụ công quốc gia", "điểm Cổng công bố", "Điểm nhóm Cổng", "Cổng dùng làm mẫu số",
                  "Số liệu của Cổng", "Cổng quốc gia và hệ thống", "Đối chiếu Cổng"):
        assert [name for name, page in pages.items() if wrong in page] == [], wrong
