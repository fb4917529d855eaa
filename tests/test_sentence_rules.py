"""The rules every sentence of the report keeps, on the real Phú Thọ month and a second period built from it.

- no rank from another period;
- no figure computed from a provisional denominator stated as fact;
- no truncated list of names;
- no code in Vietnamese text;
- no class for an inactive unit.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from analysis.contract.periods import parse_period
from analysis.paths import NATIONAL_SCORES
from analysis.report import narrative, tables, workbooks
from analysis.report.formatting import class_name, number
from analysis.report.wording import unit_name
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score_period

PERIOD = parse_period("2026-08")
TARGETS = {"online_payment": 0.25, "online_dossier": 0.5, "on_time": 0.95, "satisfaction": 0.9, "digitised": 0.5}
CODES = re.compile(
    r"\b(CKMB|TDGQ|CLGQ|TTTT|MDHL|MDSH|H44(\.\d+)?|[A-Z]{2,}_[A-Z_]+|focus|history|local_facts|portal-2025|total|None|nan|null)\b"
    r"| - Tỉnh Phú Thọ|Nông Nghiệp|Môi Trường|UBND Tỉnh|đơn vị khác|other units"
)
"""What a reader of a Vietnamese page must never see: codes, programme words, the portal's raw unit names, cut lists."""


def _changed(facts: pl.DataFrame, period: str, *, on_time: dict[str, float]) -> pl.DataFrame:
    """The bundled month as another period, with some units' on-time counts changed (a real-shaped second period)."""
    factor = pl.col("unit_code").replace_strict(on_time, default=1.0, return_dtype=pl.Float64)
    return facts.with_columns(
        pl.lit(period).alias("period"),
        pl.when(pl.col("indicator") == "ON_TIME").then((pl.col("numerator") * factor).round(0)).otherwise(pl.col("numerator")).alias("numerator"),
    )


@pytest.fixture(scope="module")
def methodology():
    return load_methodology()


@pytest.fixture(scope="module")
def one_period(bundled_facts, methodology):
    return score_period(bundled_facts, methodology, PERIOD.code)


@pytest.fixture(scope="module")
def two_periods(bundled_facts, methodology):
    """August 2026 against a July in which Sở Văn hóa… did worse on time and xã Hương Cần and Sở Nội vụ better."""
    july = _changed(bundled_facts, "2026-07", on_time={"H44": 0.97, "H44.20": 0.5, "H44.42": 1.5})
    july = july.with_columns(
        pl.when((pl.col("indicator") == "ON_TIME") & (pl.col("unit_code") == "H44.42"))
        .then(pl.col("denominator")).otherwise(pl.col("numerator")).alias("numerator")
    )
    august_2025 = _changed(bundled_facts, "2025-08", on_time={"H44": 0.9})
    return score_period(bundled_facts, methodology, PERIOD.code, history=[july, august_2025])


def _text(scored, series, methodology, language="vi", national=None):
    return narrative.report_text(
        scored.scorecard, scored.detail, methodology, scope="H44", period=PERIOD, targets=TARGETS,
        national=national, series=series, language=language,
    )


def _all_sentences(text) -> list[str]:
    return [text.headline, *text.caveats, *text.groups, *text.counts, *(f.text for f in text.findings),
            text.recommendations_intro, *(r.addressee for r in text.recommendations), *(r.text for r in text.recommendations)]


# --- no rank from another period ---------------------------------------------------------------


def test_a_year_to_date_rank_is_not_given_as_the_months(one_period, methodology):
    scored, series = one_period
    national = pl.read_csv(NATIONAL_SCORES)
    standing = tables.national_standing(national, "H44")
    assert standing.period is None  # the national captures are year to date
    headline = _text(scored, series, methodology, national=national).headline
    assert f"{standing.rank}/{standing.of}" not in headline and number(standing.total) not in headline
    assert "xếp hạng" not in headline.replace("bảng xếp hạng", "")
    assert "không nêu thứ hạng toàn quốc" in headline


def test_a_rank_of_the_same_period_is_stated(one_period, methodology):
    scored, series = one_period
    national = pl.read_csv(NATIONAL_SCORES)
    latest = national.filter(pl.col("date") == national["date"].max()).with_columns(pl.lit("2026-08").alias("period"))
    standing = tables.national_standing(latest, "H44")
    headline = _text(scored, series, methodology, national=latest).headline
    assert f"tỉnh xếp hạng {standing.rank}/{standing.of} tỉnh, thành phố" in headline
    assert "tháng 8/2026" in headline.split("xếp hạng")[-2]


# --- provisional denominators ------------------------------------------------------------------


def test_unsynchronised_dossiers_are_unknown_not_zero(one_period):
    scored, _ = one_period
    sync = scored.detail.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "DOSSIER_SYNC")).row(0, named=True)
    assert sync["numerator"] == sync["denominator"]  # the portal's provisional denominator
    sentences = narrative.count_sentences(scored.detail, "H44")
    sync_sentence = next(s for s in sentences if "đồng bộ" in s)
    assert "chưa đồng bộ là 0" not in sync_sentence and "chưa xác định được" in sync_sentence
    assert "số tạm" in sync_sentence
    stated = narrative.count_sentences(scored.detail, "H44", provisional=())
    assert any("chưa đồng bộ là 0" in s for s in stated)  # the setting is what decides


def test_no_sentence_states_a_figure_from_a_provisional_denominator(one_period, methodology):
    scored, series = one_period
    text = _text(scored, series, methodology)
    for sentence in _all_sentences(text):
        assert "chưa đồng bộ là" not in sentence
        assert not re.search(r"đồng bộ lên Cổng[^.]*100 % (?!và 6/6 điểm chưa)", sentence)


def test_tables_and_workbook_do_not_show_a_provisional_rate(one_period, methodology):
    scored, _ = one_period
    shown = tables.display_indicators(tables.indicator_table(scored.detail, methodology, "H44"))
    sync = shown.filter(pl.col("Chỉ số") == "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG").row(0, named=True)
    assert sync["Mẫu số"] == "-" and "mẫu số tạm" in sync["Tỷ lệ"] and "100" not in sync["Tỷ lệ"]
    sheets = workbooks.indicator_sheets(scored.detail, scored.scorecard, methodology)
    for frame in sheets.values():
        rows = frame.filter(pl.col("Chỉ số") == "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG")
        assert rows.height and rows["Tỷ lệ"].null_count() == rows.height and rows["Mẫu số"].null_count() == rows.height


# --- no truncated lists ------------------------------------------------------------------------


def test_every_unit_below_a_target_is_named(one_period, methodology):
    scored, series = one_period
    text = _text(scored, series, methodology)
    on_time = next(f for f in text.findings if f.topic == "target_on_time" and f.level == "commune")
    table = tables.unit_table(scored.scorecard, scored.detail, "commune")
    below = tables.below_target(table, "ON_TIME", 0.95)
    assert below.height == 140
    for name in below["unit_name"]:
        assert unit_name(name, start=False) + " (" in on_time.text
    for sentence in _all_sentences(text):
        assert "đơn vị khác" not in sentence and "…" not in sentence


def test_a_target_no_unit_reaches_is_said_so_not_listed(one_period, methodology):
    scored, series = one_period
    digitised = next(f for f in _text(scored, series, methodology).findings if f.topic == "target_digitised" and f.level == "commune")
    assert digitised.text.startswith("Chưa có xã, phường nào đạt tỷ lệ số hóa")
    assert "148/148" not in digitised.text


# --- no codes in Vietnamese text ---------------------------------------------------------------


def test_no_code_in_any_vietnamese_sentence(two_periods, methodology):
    scored, series = two_periods
    text = _text(scored, series, methodology, national=pl.read_csv(NATIONAL_SCORES))
    sentences = _all_sentences(text) + [narrative.class_sentence(scored.scorecard, methodology, lv) for lv in ("department", "commune")]
    for sentence in sentences:
        assert not CODES.search(sentence), sentence


def test_no_code_in_the_vietnamese_tables(two_periods, methodology):
    scored, _ = two_periods
    for level in ("department", "commune"):
        shown = [
            tables.display_classification(tables.classification_table(scored.scorecard, methodology, level), methodology),
            tables.display_unit_table(tables.unit_table(scored.scorecard, scored.detail, level)),
        ]
        for frame in shown:
            cells = [*frame.columns, *(str(v) for row in frame.iter_rows() for v in row)]
            assert not any(CODES.search(c) for c in cells), [c for c in cells if CODES.search(c)][:3]


def test_unit_names_as_an_official_document_writes_them():
    assert unit_name("Sở Nông Nghiệp và Môi Trường - Tỉnh Phú Thọ") == "Sở Nông nghiệp và Môi trường"
    assert unit_name("Sở Dân Tộc và Tôn Giáo - Tỉnh Phú Thọ") == "Sở Dân tộc và Tôn giáo"
    assert unit_name("Văn phòng UBND Tỉnh - Tỉnh Phú Thọ") == "Văn phòng UBND tỉnh"
    assert unit_name("Sở Công Thương - Tỉnh Phú Thọ") == "Sở Công Thương"
    assert unit_name("Ban quản lý các khu công nghiệp - Tỉnh Phú Thọ") == "Ban Quản lý các khu công nghiệp"
    assert unit_name("UBND Phường Việt Trì", start=False) == "phường Việt Trì"
    assert unit_name("UBND xã Lâm Thao - Tỉnh Phú Thọ") == "Xã Lâm Thao"


# --- no class for an inactive unit -------------------------------------------------------------


def test_units_with_no_dossiers_are_graded_nowhere(one_period, methodology):
    scored, series = one_period
    inactive = scored.scorecard.filter(~pl.col("active"))
    assert set(inactive["unit_code"]) == {"H44.01", "H44.23"}
    graded = tables.graded(scored.scorecard).filter(~pl.col("active"))
    assert graded["class"].null_count() == 2 and graded["rank"].null_count() == 2
    shown = tables.display_classification(tables.classification_table(scored.scorecard, methodology, "department"), methodology)
    marked = shown.filter(pl.col("Tên cơ quan, đơn vị").str.ends_with("(*)"))
    assert marked.height == 2
    assert set(marked["Xếp loại"]) == {"-"} and set(marked["Hạng"]) == {"-"} and set(marked["Tổng điểm"]) == {"-"}
    units = tables.display_unit_table(tables.unit_table(scored.scorecard, scored.detail, "department"))
    quiet = units.filter(pl.col("Tên cơ quan, đơn vị").str.ends_with("(*)"))
    assert quiet.height == 2 and set(quiet.drop("Tên cơ quan, đơn vị", "Hồ sơ tiếp nhận").unpivot()["value"]) == {"-"}
    ranked = shown.filter(~pl.col("Tên cơ quan, đơn vị").str.ends_with("(*)"))
    assert ranked["Hạng"].cast(pl.Int32).max() == 13
    sentence = narrative.class_sentence(scored.scorecard, methodology, "department")
    assert "1/13 đơn vị xếp loại Khá; 7 đơn vị xếp loại Trung bình; 5 đơn vị xếp loại Yếu" in sentence
    assert "không xếp hạng, xếp loại (Thanh tra tỉnh và Văn phòng UBND tỉnh)" in sentence
    names = [unit_name(n, start=False) for n in inactive["unit_name"]]
    for finding in _text(scored, series, methodology).findings:
        for name in names:
            if name in finding.text:
                assert not re.search(re.escape(name) + r"[^;.]*(xếp loại|Yếu|Trung bình|xếp hạng)", finding.text), finding.text


def test_a_unit_without_dossiers_in_either_period_is_not_compared(two_periods, methodology):
    scored, series = two_periods
    moved = tables.compared(series, "2026-08", "2026-07", "department")
    assert not set(moved["unit_code"]) & {"H44.01", "H44.23"}
    shown = tables.display_classification(tables.classification_table(scored.scorecard, methodology, "department"), methodology)
    assert set(shown.filter(pl.col("Tên cơ quan, đơn vị").str.ends_with("(*)"))["Tăng/giảm"]) == {"-"}


# --- time: change against the previous month and a year earlier --------------------------------


def test_headline_gives_the_change_on_the_previous_month_and_a_year_earlier(two_periods, methodology):
    scored, series = two_periods
    root = tables.root_unit(scored.scorecard, "H44")
    before = series.filter((pl.col("period") == "2026-07") & (pl.col("unit_code") == "H44"))["total"].item()
    year = series.filter((pl.col("period") == "2025-08") & (pl.col("unit_code") == "H44"))["total"].item()
    headline = _text(scored, series, methodology).headline
    change = root["total"] - before
    assert change != 0 and root["total"] - year > 0
    verb = "tăng" if change > 0 else "giảm"
    assert f"{verb} {number(abs(change))} điểm so với tháng 7/2026" in headline
    assert f"tăng {number(root['total'] - year)} điểm so với tháng 8/2025" in headline


def test_change_column_reads_like_the_reports(two_periods, methodology):
    scored, series = two_periods
    shown = tables.display_classification(tables.classification_table(scored.scorecard, methodology, "department"), methodology)
    by_name = dict(zip(shown["Tên cơ quan, đơn vị"], shown["Tăng/giảm"], strict=False))
    moved = tables.compared(series, "2026-08", "2026-07", "department")
    culture = moved.filter(pl.col("unit_code") == "H44.20").row(0, named=True)
    interior = moved.filter(pl.col("unit_code") == "H44.42").row(0, named=True)
    assert culture["change"] > 0 and interior["change"] < 0
    assert by_name["Sở Văn hóa, Thể thao và Du lịch"] == f"Tăng {number(culture['change'])}"
    assert by_name["Sở Nội vụ"] == f"Giảm {number(-interior['change'])}"
    assert tables.change_cell(0.0) == "Không đổi" and tables.change_cell(None) == "-"


def test_findings_name_who_fell_rose_and_changed_class(two_periods, methodology):
    scored, series = two_periods
    findings = [f for f in _text(scored, series, methodology).findings if f.level == "department"]
    fell = next(f for f in findings if f.topic == "fell")
    rose = next(f for f in findings if f.topic == "rose")
    changed = next(f for f in findings if f.topic == "class_changed")
    moved = tables.compared(series, "2026-08", "2026-07", "department")
    assert fell.text.startswith(f"So với tháng 7/2026, {moved.filter(pl.col('change') < 0).height}/{moved.height} sở, ban, ngành giảm điểm")
    assert "Sở Nội vụ (−" in fell.text
    assert "Sở Văn hóa, Thể thao và Du lịch (+" in rose.text
    for row in moved.filter(pl.col("class_changed")).iter_rows(named=True):
        was, now = class_name(methodology, row["class_before"]), class_name(methodology, row["class"])
        assert f"{unit_name(row['unit_name'], start=False)} ({was} → {now})" in changed.text
    assert moved.filter(pl.col("class_changed")).height >= 1


def test_one_period_says_there_is_nothing_to_compare(one_period, methodology):
    scored, series = one_period
    findings = _text(scored, series, methodology).findings
    assert [f.text for f in findings if f.topic == "change"] == [
        "Chưa có số liệu tháng 7/2026 để so sánh mức tăng, giảm điểm của các sở, ban, ngành.",
        "Chưa có số liệu tháng 7/2026 để so sánh mức tăng, giảm điểm của các xã, phường.",
    ]


# --- the story the numbers tell ----------------------------------------------------------------


def test_findings_find_who_holds_the_overdue_dossiers_and_the_few_cases(one_period, methodology):
    scored, series = one_period
    findings = {f.topic + (f.level or ""): f.text for f in _text(scored, series, methodology).findings}
    assert findings["overdue_concentration"].startswith(
        "Sở Nông nghiệp và Môi trường có 13.928/39.888 hồ sơ quá hạn của toàn tỉnh (35 %)")
    few = findings["few_casescommune"]
    assert "xã Tam Dương Bắc mất 12,04 điểm (xếp hạng 148/148)" in few
    assert "tỷ lệ xử lý phản ánh, kiến nghị đúng hạn (1/1 không đạt)" in few
    assert findings["province_below_unitscommune"].startswith("Tổng điểm của tỉnh (59,92) thấp hơn 132/148 xã, phường")
    assert "Tổng điểm cao nhất trong các sở, ban, ngành: Sở Văn hóa, Thể thao và Du lịch" in findings["good_newsdepartment"]


def test_findings_say_where_each_level_loses_its_points(one_period, methodology):
    scored, series = one_period
    lost = tables.level_points_lost(scored.detail, scored.scorecard, "commune")
    top = lost.row(0, named=True)
    expected = (scored.detail.filter((pl.col("indicator") == top["indicator"]) & pl.col("unit_code").str.count_matches(r"\.") .gt(0))
                .join(scored.scorecard.filter((pl.col("level") == "commune") & pl.col("active")).select("unit_code"), on="unit_code"))
    assert top["mean_lost"] == pytest.approx((expected["max_score"] - expected["score"]).mean(), abs=0.006)
    finding = next(f for f in _text(scored, series, methodology).findings if f.topic == "level_points_lost" and f.level == "commune")
    assert finding.text.startswith("Các xã, phường mất nhiều điểm nhất ở: tỷ lệ hồ sơ đồng bộ kho dữ liệu cá nhân")
    assert "148/148 đơn vị có số liệu mất điểm" in finding.text
    assert "công bố đúng hạn" not in finding.text  # no figures on the portal: not the communes' doing


def test_caveats_give_capture_date_platform_change_and_unofficial_bands(one_period, methodology):
    scored, _ = one_period
    caveats = narrative.caveats(scored.scorecard, methodology, period=PERIOD)
    assert "không ghi ngày lấy số liệu" in caveats[0] and "(từ ngày 01/08/2026 đến ngày 31/08/2026)" in caveats[0]
    assert "nền tảng mới" in caveats[1] and "147/148 xã, phường cùng xếp loại Trung bình" in caveats[1]
    assert "chưa có văn bản chính thức" in caveats[2]
    open_period = narrative.caveats(scored.scorecard, methodology, period=PERIOD, as_of=date(2026, 8, 20))
    assert "kỳ chưa kết thúc" in open_period[0] and "20/08/2026" in open_period[0]
    closed = narrative.caveats(scored.scorecard, methodology, period=PERIOD, as_of=date(2026, 10, 10))
    assert "sau khi kỳ đã kết thúc" in closed[0]
    # the figures' source is the one the run names (data_source), the national portal by default
    assert "lấy từ Cổng Dịch vụ công quốc gia" in caveats[0] and "lấy từ Cổng Dịch vụ công quốc gia ngày 10/10/2026" in closed[0]
    named = narrative.caveats(scored.scorecard, methodology, period=PERIOD, source="hệ thống một cửa của tỉnh")
    assert "lấy từ hệ thống một cửa của tỉnh;" in named[0] and "Cổng" not in named[0]


def test_english_goes_through_the_same_functions(two_periods, methodology):
    scored, series = two_periods
    text = _text(scored, series, methodology, language="en")
    assert text.headline.startswith("Tỉnh Phú Thọ scored 59.92/100 in August 2026, class Average (")
    assert all("Đối với" not in r.addressee for r in text.recommendations)
    assert any(f.topic == "fell" and f.text.startswith("Against July 2026") for f in text.findings)


def test_a_ratio_the_portal_fixes_for_every_unit_is_not_shown_as_a_measured_rate(one_period, methodology):
    """ELECTRONIC_CERTIFIED_COPY: no counts (or 0/0), the portal gives every unit 100 %: said so, not '100,00 %'."""
    scored, _ = one_period
    for language, said in (("vi", "Cổng tính 100 % cho mọi đơn vị"), ("en", "100% given to every unit by the portal")):
        shown = tables.display_indicators(tables.indicator_table(scored.detail, methodology, "H44", language), language)
        row = shown.row(shown.height - 1)
        assert row[1] in ("Chứng thực điện tử bản sao từ bản chính", "Electronic certified copies")
        assert row[4] == said


def test_the_workbook_gives_no_measured_rate_for_a_ratio_the_portal_fixes(one_period, methodology):
    scored, _ = one_period
    for language, said in (("vi", "Cổng tính 100 % cho mọi đơn vị"), ("en", "100% given to every unit by the portal")):
        sheets = workbooks.indicator_sheets(scored.detail, scored.scorecard, methodology, language)
        for frame in sheets.values():
            rows = frame.filter(pl.col(frame.columns[2]).is_in(["Chứng thực điện tử bản sao từ bản chính", "Electronic certified copies"]))
            assert rows.height and rows[frame.columns[6]].null_count() == rows.height
            assert rows[frame.columns[-1]].str.starts_with(said).all()
