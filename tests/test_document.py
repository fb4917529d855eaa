"""The official report as a Word document, read back with python-docx and converted by LibreOffice.

Built from the bundled real figures (Phú Thọ, August 2026): the headings, the sections, every
table's rows and the headline figures must be the scorecard's; the PDF LibreOffice makes of it
must have the summary page, then the report, and its text must extract.  In CI (``CI=true``) a
missing ``soffice`` fails the PDF test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from analysis.contract.periods import parse_period
from analysis.errors import InputError
from analysis.params import load_parameters
from analysis.paths import BUNDLED_PUBLISHED, PARAMETERS
from analysis.report import narrative
from analysis.report.document import (
    Letterhead,
    build_document,
    document_name,
    gather,
    letterhead_for,
    write_report_document,
)
from analysis.report.formatting import number
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score_period
from tests.test_report import bundled_report, links_of, tiny_notebook  # noqa: F401 - the session's report run

PARAMS = PARAMETERS / "phu-tho-2026-08.yaml"
NATIONAL = PARAMETERS.parent / "data" / "portal" / "national" / "province_scores.csv"
VI_NUMBER = re.compile(r"^[+−]?\d{1,3}(\.\d{3})*(,\d+)?( %)?(/[+−]?\d{1,3}(\.\d{3})*(,\d+)?)?$")  # 59,92  12.135  44,22 %  13/15


@pytest.fixture(scope="module")
def scored(bundled_facts):
    methodology = load_methodology()
    result, _ = score_period(bundled_facts, methodology, "2026-08")
    return result, methodology


def _charts(folder: Path, scored, language: str) -> Path:
    """The charts a report run saves for the document (the same functions the scorecard notebook calls)."""
    from analysis.report import charts
    from analysis.report.html import chart_files

    result, m = scored
    card = result.scorecard
    chart_files(charts.group_bullets(card, m, unit_code="H44", language=language), folder, "diem-nhom-chi-so", language=language)
    chart_files(charts.class_distribution(card, m, language=language), folder, "phan-bo-xep-loai", language=language)
    chart_files(charts.ranked_bars(card, m, level="department", language=language), folder, "so-nganh-xep-hang", language=language)
    return folder


@pytest.fixture(scope="module")
def written(scored, tmp_path_factory):
    """``write_report_document`` as a report run calls it, in Vietnamese and in English."""
    result, m = scored
    out = {}
    for language in ("vi", "en"):
        folder = tmp_path_factory.mktemp(f"document-{language}")
        _charts(folder / "charts", scored, language)
        parameters = load_parameters(PARAMS).model_copy(update={"language": language})
        if language == "en":  # the English letterhead by default
            parameters = parameters.model_copy(update={"issuing_body": (), "document_code": None})
        out[language] = write_report_document(folder, result, m, parameters)
    return out


def _open(path: Path):
    import docx

    return docx.Document(str(path))


def _rows(table) -> list[list[str]]:
    return [[cell.text.replace("\u00a0", " ") for cell in row.cells] for row in table.rows]


def _headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_file_names_follow_the_language(written):
    assert written["vi"].name == "bao-cao-phu-tho-2026-08.docx" == document_name("phu-tho", "2026-08")
    assert written["en"].name == "report-phu-tho-2026-08.docx" == document_name("phu-tho", "2026-08", "en")
    assert not [p for p in written["vi"].parent.iterdir() if p.name.startswith(".")], "temporary file left behind"


def test_identical_runs_write_identical_documents(written, scored, tmp_path):
    import zipfile

    result, m = scored
    again = write_report_document(tmp_path, result, m, load_parameters(PARAMS))  # no charts: compare with a run without them
    twice = write_report_document(tmp_path / "2", result, m, load_parameters(PARAMS))
    first, second = (zipfile.ZipFile(path) for path in (again, twice))
    assert first.namelist() == second.namelist()
    for name in first.namelist():
        if name != "docProps/core.xml":  # the creation time the document states
            assert first.read(name) == second.read(name), name
    assert {i.date_time for i in first.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_sections_and_headings(written):
    doc = _open(written["vi"])
    assert _headings(doc, 1) == [
        "I. KẾT QUẢ CHUNG", "II. KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ", "III. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI",
        "IV. ĐÁNH GIÁ CHUNG", "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    assert _headings(doc, 2) == [
        "1. Sở, ban, ngành", "2. Xã, phường, đặc khu", "1. Sở, ban, ngành", "2. Xã, phường, đặc khu",
        "1. Kết quả đạt được", "2. Tồn tại, hạn chế", "3. Nguyên nhân",
        "1. Đối với các sở, ban, ngành và UBND các xã, phường", "2. Đối với các sở, ban, ngành", "3. Đối với UBND các xã, phường",
        "4. Đối với Văn phòng UBND tỉnh và cơ quan quản lý Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
    ]
    english = _open(written["en"])
    assert _headings(english, 1) == [
        "I. OVERALL RESULT", "II. RESULTS BY AGENCY AND LOCALITY", "III. CLASSIFICATION", "IV. ASSESSMENT", "V. PROPOSALS",
    ]
    assert len(_headings(english, 2)) == len(_headings(doc, 2))


def test_letterhead_title_and_placeholders(written):
    doc = _open(written["vi"])
    letterhead = _rows(doc.tables[1])[0]  # after the summary's table
    assert letterhead[0].splitlines() == ["UBND TỈNH PHÚ THỌ", "VĂN PHÒNG", "", "Số:        /BC-VP"]
    assert letterhead[1].splitlines()[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert re.fullmatch(r"Phú Thọ, ngày +tháng +năm 20\d\d", letterhead[1].splitlines()[-1])
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1].startswith("Kết quả chỉ số chỉ đạo, điều hành") and texts[title + 1].endswith("tháng 8 năm 2026")
    assert texts[title + 4].startswith("Căn cứ kết quả công bố trên Cổng Dịch vụ công quốc gia")
    assert "từ ngày 01/08/2026 đến ngày 31/08/2026" in texts[title + 4]
    signature = _rows(doc.tables[-1])[0]
    assert signature[0].startswith("Nơi nhận:") and "Lưu: VT" in signature[0]
    assert "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ" in signature[1] and "Họ và tên" in signature[1]
    assert any(t.endswith("của tỉnh Phú Thọ./.") for t in texts)


def test_page_layout_follows_the_decree(written):
    doc = _open(written["vi"])
    sections = doc.sections
    assert [s.orientation for s in sections] == [0, 0, 1, 0]  # summary, report, tables (landscape), assessment
    for s in sections:
        assert sorted([round(s.page_width.mm), round(s.page_height.mm)]) == [210, 297]  # A4 (stored in twentieths of a point)
        assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [20, 20, 30, 15]
    props = doc.core_properties
    assert props.title.startswith("BÁO CÁO Kết quả chỉ số") and props.author == "VĂN PHÒNG" and props.language == "vi-VN"
    assert "python-docx" not in f"{props.author} {props.comments}"
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert doc.styles["Heading 1"].font.name == "Times New Roman"
    report = sections[1]
    assert report.different_first_page_header_footer and not report.header.is_linked_to_previous
    assert "PAGE" in report.header._element.xml  # the page number field, centred at the top from page 2


def test_every_table_has_the_scorecards_rows_and_a_repeating_header(written, scored):
    result, m = scored
    card, detail = result.scorecard, result.detail
    doc = _open(written["vi"])
    data_tables = [t for t in doc.tables if "w:tblHeader" in t.rows[0]._tr.xml]
    departments = card.filter(pl.col("level") == "department").height
    communes = card.filter(pl.col("level") == "commune").height
    indicators = detail.filter(pl.col("unit_code") == "H44").height
    # summary: 6 groups + total; Biểu 01 indicators; 02–03 units; 04–05 classification
    assert [len(t.rows) - 1 for t in data_tables] == [len(m.groups) + 1, indicators, departments, communes, departments, communes]
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu số")]
    assert captions == ["Biểu số 01", "Biểu số 02", "Biểu số 03", "Biểu số 04", "Biểu số 05"]
    for table in data_tables:
        assert all("w:tblHeader" not in row._tr.xml for row in table.rows[1:])


def test_headline_figures_are_the_scorecards_and_the_portals(written, scored):
    result, m = scored
    root = result.scorecard.filter(pl.col("unit_code") == "H44").row(0, named=True)
    published = pl.read_csv(BUNDLED_PUBLISHED, schema_overrides={"period": pl.String}).filter(pl.col("unit_code") == "H44").row(0, named=True)
    doc = _open(written["vi"])
    groups = _rows(doc.tables[0])
    assert groups[0] == ["Nhóm chỉ số", "Điểm đạt", "Tối đa", "Tỷ lệ"]
    for row, group in zip(groups[1:], m.groups, strict=False):
        assert row[0] == group.name
        assert row[1] == number(root[group.code])
        assert abs(float(row[1].replace(",", ".")) - published[group.code]) <= 0.011  # the portal's own figure
        assert row[2] == str(int(group.max))
    assert groups[-1][:2] == ["Tổng điểm", "59,92"] and number(root["total"]) == "59,92" == number(published["total"])
    texts = [p.text for p in doc.paragraphs]
    wanted = narrative.report_text(result.scorecard, result.detail, m, scope="H44", period=parse_period("2026-08"),
                                   targets=dict(load_parameters(PARAMS).targets), national=pl.read_csv(NATIONAL))
    assert wanted.headline.startswith("Tổng điểm của tỉnh Phú Thọ tháng 8/2026 đạt 59,92/100 điểm, xếp loại Trung bình")
    assert texts.count(wanted.headline) == 2  # the summary's first line and section I's
    assert [t.removeprefix("- ") for t in texts if t.removeprefix("- ") in wanted.groups] == wanted.groups


def test_unit_tables_carry_the_scorecards_totals_in_rank_order(written, scored):
    result, _ = scored
    doc = _open(written["vi"])
    data_tables = [t for t in doc.tables if "w:tblHeader" in t.rows[0]._tr.xml]
    departments = result.scorecard.filter(pl.col("level") == "department").sort("rank", "unit_name")
    for table in (data_tables[2], data_tables[4]):  # Biểu 02 (units) and 04 (classification)
        rows = _rows(table)
        column = rows[0].index("Tổng điểm")
        # a unit without dossiers has no total to rank it by: "-" (its points are only the indicators not based on dossiers)
        assert [r[column] for r in rows[1:]] == [number(v) if a else "-" for v, a in departments.select("total", "active").iter_rows()]
        assert [r[0] for r in rows[1:]] == [str(v) if a else "-" for v, a in departments.select("rank", "active").iter_rows()]
    cells = [cell for table in data_tables for row in _rows(table)[1:] for cell in row[2:]]
    english_decimals = [c for c in cells if re.search(r"\d\.\d{1,2}(?!\d)", c)]  # a thousands group has 3 digits
    assert not english_decimals
    assert sum(bool(VI_NUMBER.match(c.split("\n")[0])) for c in cells) > len(cells) // 2


def test_the_summary_names_the_five_weakest_units_and_three_findings(written, scored):
    result, _ = scored
    active = result.scorecard.filter(pl.col("parent_code").is_not_null() & pl.col("active")).sort("total")
    texts = [p.text for p in _open(written["vi"]).paragraphs]
    start = texts.index("2. Năm đơn vị có tổng điểm thấp nhất (trong các đơn vị có phát sinh hồ sơ)")
    weakest = texts[start + 1:start + 6]
    assert [re.search(r": ([\d,]+) điểm", t)[1] for t in weakest] == [number(v) for v in active["total"].head(5)]
    assert weakest[0].startswith("- Sở Ngoại vụ: 31,03 điểm")
    start = texts.index("3. Ba vấn đề cần quan tâm nhất")
    assert [t[:3] for t in texts[start + 1:start + 4]] == ["1. ", "2. ", "3. "]
    assert "Tỉnh mất nhiều điểm nhất ở 4 chỉ số" in texts[start + 1]


def test_assessment_splits_what_went_well_from_what_did_not(written):
    texts = [p.text for p in _open(written["vi"]).paragraphs]
    good = texts[texts.index("1. Kết quả đạt được") + 1:texts.index("2. Tồn tại, hạn chế")]
    bad = texts[texts.index("2. Tồn tại, hạn chế") + 1:texts.index("3. Nguyên nhân")]
    assert bad and all(t.startswith("- ") for t in bad)
    assert any("hồ sơ quá hạn" in t and "xã Tam Dương (628)" in t for t in bad)
    assert any(t.startswith("- Chưa có xã, phường nào đạt tỷ lệ số hóa") for t in bad)
    assert not any("quá hạn" in t for t in good)
    assert all("dưới" not in t for t in good)
    assert any(t.startswith("- Tất cả 8 sở, ban, ngành có số liệu đều đạt tỷ lệ thanh toán trực tuyến") for t in good)


def test_charts_are_pictures_at_print_resolution(written):
    from docx.shared import Emu

    doc = _open(written["vi"])
    shapes = doc.inline_shapes
    assert len(shapes) == 3  # the group scores, the departments' ranking, the classes
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = doc.part.related_parts[blip.embed].image
        inches = Emu(shape.width).inches
        assert image.px_width / inches >= 290  # rendered for 300 ppi at its printed width
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Hình ")]
    assert captions == ["Hình 1. Điểm các nhóm chỉ số so với điểm tối đa", "Hình 2. Tổng điểm các sở, ban, ngành",
                        "Hình 3. Phân bố xếp loại các cơ quan, đơn vị"]


def test_without_charts_the_document_has_no_pictures(scored):
    result, m = scored
    content = gather(result.scorecard, result.detail, m, scope="H44", period=parse_period("2026-08"), targets={})
    doc = build_document(content, Letterhead(("VĂN PHÒNG",), "BC-TEST", "Phú Thọ", 2026))
    assert len(doc.inline_shapes) == 0
    assert not [p for p in doc.paragraphs if p.text.startswith("Hình ")]
    assert "Số:        /BC-TEST" in _rows(doc.tables[1])[0][0]


def test_the_opening_names_the_figures_source(scored):
    """Scores computed from the counts of a source the parameters name (data_source): the opening and
    the capture caveat cite that source, not the portal; without one, the portal."""
    result, m = scored
    paragraphs = {}
    for source in (None, "Hệ thống thông tin giải quyết TTHC tỉnh <Phú Thọ>"):
        content = gather(result.scorecard, result.detail, m, scope="H44", period=parse_period("2026-08"), targets={},
                         source=source)
        doc = build_document(content, Letterhead(("VĂN PHÒNG",), "BC-VP", "Phú Thọ", 2026))
        paragraphs[source] = [p.text for p in doc.paragraphs]
    portal, named = paragraphs[None], paragraphs["Hệ thống thông tin giải quyết TTHC tỉnh <Phú Thọ>"]
    assert any(p.startswith("Căn cứ kết quả công bố trên Cổng Dịch vụ công quốc gia") for p in portal)
    assert any(p.startswith("Căn cứ số liệu của Hệ thống thông tin giải quyết TTHC tỉnh <Phú Thọ> theo Bộ chỉ số") for p in named)
    assert not [p for p in named if "Cổng Dịch vụ công quốc gia" in p and "lấy từ" in p]
    assert any("lấy từ Hệ thống thông tin giải quyết TTHC tỉnh <Phú Thọ>;" in p for p in named)


def test_names_from_data_are_kept_as_text(scored):
    """A unit name with XML's special characters is written as text, not markup; a control character is left out."""
    result, m = scored
    odd = "Sở <Thử> & \"Thật\"\x0b"
    card = result.scorecard.with_columns(
        pl.when(pl.col("unit_code") == "H44.20").then(pl.lit(odd)).otherwise(pl.col("unit_name")).alias("unit_name")
    )
    content = gather(card, result.detail, m, scope="H44", period=parse_period("2026-08"), targets={})
    doc = build_document(content, Letterhead(("VĂN PHÒNG",), "BC-VP", "Phú Thọ", 2026))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert sum('Sở <Thử> & "' in c for c in cells) == 2  # its row in Biểu 02 and in Biểu 04


def test_english_document_has_english_figures(written):
    doc = _open(written["en"])
    groups = _rows(doc.tables[0])
    assert groups[0] == ["Indicator group", "Score", "Maximum", "Share"]
    assert groups[-1][:2] == ["Total", "59.92"]
    letterhead = _rows(doc.tables[1])[0]
    assert letterhead[0].splitlines()[:2] == ["PEOPLE'S COMMITTEE OF PHÚ THỌ", "OFFICE"]
    assert "SOCIALIST REPUBLIC OF VIET NAM" in letterhead[1]
    assert any(p.text.startswith("Table 01") for p in doc.paragraphs)


def test_parameters_choose_the_issuing_body_and_code(tmp_path):
    text = re.sub(r"^(issuing_body|document_code):.*\n", "", PARAMS.read_text(encoding="utf-8"), flags=re.M)
    own = tmp_path / "parameters" / "run.yaml"
    own.parent.mkdir()
    root = PARAMS.parent.parent
    text = re.sub(r"^(facts|published|national): (\S+)", lambda mt: f"{mt[1]}: {root / mt[2]}", text, flags=re.M)
    own.write_text(text + "issuing_body: [SỞ NỘI VỤ TỈNH PHÚ THỌ, PHÒNG CẢI CÁCH HÀNH CHÍNH]\ndocument_code: BC-CCHC\n", encoding="utf-8")
    parameters = load_parameters(own)
    assert parameters.issuing_body == ("SỞ NỘI VỤ TỈNH PHÚ THỌ", "PHÒNG CẢI CÁCH HÀNH CHÍNH")
    head = letterhead_for(parameters, "UBND tỉnh Phú Thọ")
    assert (head.issuing_body, head.code, head.place) == (parameters.issuing_body, "BC-CCHC", "Phú Thọ")
    default = letterhead_for(parameters.model_copy(update={"issuing_body": (), "document_code": None}), "UBND tỉnh Phú Thọ")
    assert default.issuing_body == ("UBND TỈNH PHÚ THỌ", "VĂN PHÒNG") and default.code == "BC-VP"
    bad = own.read_text(encoding="utf-8").replace("document_code: BC-CCHC", "document_code: bc vp")
    bad = bad.replace("issuing_body: [SỞ NỘI VỤ TỈNH PHÚ THỌ, PHÒNG CẢI CÁCH HÀNH CHÍNH]", "issuing_body: [A, B, C]")
    own.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_parameters(own)
    messages = [str(p) for p in caught.value.problems]
    lines = bad.splitlines()
    assert any(f"line {lines.index('issuing_body: [A, B, C]') + 1}" in m and "issuing_body" in m for m in messages), messages
    assert any("document_code" in m and "bc vp" in m for m in messages), messages


# --------------------------------------------------------------------------------------------
# LibreOffice: the document as the clerk will print it


def soffice_or_skip() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("LibreOffice is missing in CI: install Debian's libreoffice-writer (.ci/run does)")
        pytest.skip("LibreOffice (soffice) not installed")
    return path


def to_pdf(docx_path: Path, out: Path, profile: Path) -> Path:
    """``soffice --headless --convert-to pdf``, with a profile of its own (other LibreOffice runs may be open)."""
    result = subprocess.run(
        [soffice_or_skip(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(docx_path)],
        capture_output=True, text=True, timeout=300,
    )
    pdf = out / (docx_path.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
    return pdf


@pytest.mark.office
@pytest.mark.slow
def test_libreoffice_prints_the_summary_page_then_the_report(written, scored, tmp_path):
    from pypdf import PdfReader

    from analysis.report.wording import unit_name

    pdf = PdfReader(str(to_pdf(written["vi"], tmp_path, tmp_path / "profile")))
    pages = [page.extract_text() or "" for page in pdf.pages]
    assert 12 <= len(pages) <= 40, len(pages)
    for page in pdf.pages:
        width, height = sorted([float(page.mediabox.width), float(page.mediabox.height)])
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4, in points
    landscape = [i for i, page in enumerate(pdf.pages) if float(page.mediabox.width) > float(page.mediabox.height)]
    assert landscape and landscape == list(range(landscape[0], landscape[-1] + 1))  # sections II and III, together
    assert any("Biểu số 02" in (pdf.pages[i].extract_text() or "") for i in landscape)
    flat = [re.sub(r"\s+", " ", p) for p in pages]
    assert "TÓM TẮT KẾT QUẢ BỘ CHỈ SỐ 766" in flat[0] and "59,92" in flat[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in flat[0]  # the summary holds on one page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat[1] and "BÁO CÁO" in flat[1]
    assert "Số: /BC-VP" in flat[1]
    assert flat[2].strip().startswith("2")  # page numbers from the report's second page
    assert any("Biểu số 05" in p for p in flat)
    assert "Nơi nhận" in flat[-1] and "Họ và tên" in flat[-1]
    # every unit printed in both of its tables (LibreOffice drops a long table's body if it is laid out badly)
    whole = " ".join(flat)
    card = scored[0].scorecard.filter(pl.col("level").is_in(["department", "commune"]))
    names = [unit_name(n) for n in card["unit_name"]]
    printed_twice = [n for n in names if whole.count(n) >= 2]
    assert len(printed_twice) >= 0.95 * len(names), sorted(set(names) - set(printed_twice))[:10]


# --------------------------------------------------------------------------------------------
# the report run writes it and links it


@pytest.mark.slow
def test_the_report_run_writes_and_links_the_document(bundled_report):  # noqa: F811 - the imported fixture
    assert bundled_report.result.returncode == 0, bundled_report.result.stderr
    folder = bundled_report.folder
    name = "bao-cao-phu-tho-2026-08.docx"
    assert bundled_report.run["document"] == name
    assert name in links_of(folder / "index.html").hrefs
    doc = _open(folder / name)
    assert len(doc.inline_shapes) == 3  # the scorecard notebook's three charts, from charts/
    assert [p.text for p in doc.paragraphs if p.text.startswith("Hình ")][-1].startswith("Hình 3. ")
    card = pl.read_csv(folder / "scorecard.csv", schema_overrides={"period": pl.String})
    total = card.filter(pl.col("unit_code") == "H44")["total"][0]
    assert _rows(doc.tables[0])[-1][1] == number(total)


@pytest.mark.slow
def test_a_failing_document_keeps_the_pages_and_exits_1(tmp_path, monkeypatch, capsys):
    import json

    from analysis.paths import BUNDLED_FACTS
    from analysis.run import suite as report

    def broken(*args, **kwargs):
        raise ValueError("mẫu văn bản hỏng")

    monkeypatch.setattr(report, "write_report_document", broken)  # the run calls it by this name
    tiny_notebook(tmp_path / "fine.ipynb", 'print("kỳ báo cáo", period)')
    params = tmp_path / "run.yaml"
    params.write_text(f'scope: H44\nscope_slug: thu\nperiod: "2026-08"\nfacts: {BUNDLED_FACTS}\nnotebooks: [fine.ipynb]\n',
                      encoding="utf-8")
    status = report.main(str(params), str(tmp_path / "out"), quiet=True)
    folder = tmp_path / "out" / "thu" / "2026-08"
    assert status == 1
    assert "văn bản Word: ValueError: mẫu văn bản hỏng" in capsys.readouterr().err
    assert (folder / "fine.html").is_file() and (folder / "index.html").is_file()
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["document"] is None
    assert not list(folder.glob("*.docx"))


@pytest.mark.office
@pytest.mark.slow
def test_libreoffice_prints_the_english_report_the_same_way(written, tmp_path):
    from pypdf import PdfReader

    pages = [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(str(to_pdf(written["en"], tmp_path, tmp_path / "profile"))).pages]
    assert "SUMMARY OF THE 766 INDEX" in pages[0] and "59.92" in pages[0]
    assert "SOCIALIST REPUBLIC OF VIET NAM" not in pages[0] and "SOCIALIST REPUBLIC OF VIET NAM" in pages[1]
    assert "Recipients" in pages[-1] and "Full name" in pages[-1]
