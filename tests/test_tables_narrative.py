"""Report tables, reconciliation and Vietnamese findings on the real Phú Thọ data."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.contract.periods import parse_period
from analysis.io.portal import read_portal
from analysis.paths import BUNDLED_FACTS, NATIONAL_SCORES
from analysis.report import narrative, quality_text, tables, workbooks
from analysis.report.formatting import number
from analysis.report.wording import unit_name
from analysis.scoring import quality
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score

PERIOD = parse_period("2026-08")


@pytest.fixture(scope="module")
def scored(bundled_facts):
    return score(bundled_facts, load_methodology())


@pytest.fixture(scope="module")
def measures():
    return read_portal(BUNDLED_FACTS.parent.parent.parent.parent / "data" / "portal" / "phu-tho-2026-08" / "raw", period="2026-08").measures


def test_overdue_counts_equal_the_portals_own_overdue_field(scored, measures):
    portal_overdue = measures.filter(
        (pl.col("endpoint") == "dvc-progress-tree") & (pl.col("measure") == "totalOverdue")
    ).select("unit_code", pl.col("value").alias("portal"))
    assert portal_overdue.height == 163  # every department and commune
    ours = pl.concat([tables.unit_table(scored.scorecard, scored.detail, lv) for lv in ("department", "commune")])
    joined = ours.join(portal_overdue, on="unit_code")
    assert joined.height == 163
    assert (joined["overdue"] == joined["portal"]).all()


def test_class_counts_agree_with_classes_of_the_published_totals_of_active_units(scored, published):
    m = scored.methodology
    active = scored.scorecard.filter(pl.col("active")).select("unit_code")
    for level in ("department", "commune"):
        ours = dict(tables.class_counts(scored.scorecard, m, level).iter_rows())
        graded = published.filter(pl.col("level") == level).join(active, on="unit_code")
        theirs = graded["total"].map_elements(m.classify, return_dtype=pl.String)
        assert {k: v for k, v in ours.items() if v} == dict(theirs.value_counts().iter_rows())
        assert sum(ours.values()) == graded.height
    # the two departments with no dossiers are in no class
    assert sum(dict(tables.class_counts(scored.scorecard, m, "department").iter_rows()).values()) == 13


def test_reconciliation_finds_every_unit_in_agreement(scored, published):
    rec = quality.reconcile_groups(scored.scorecard, published, scored.methodology)
    assert rec.height == 164 * 7
    compared = rec.filter(~pl.col("published_only"))
    assert compared["agrees"].all()
    summary = quality.reconcile_summary(rec)
    assert summary.filter(pl.col("group") == "total")["exact"].item() == 162


def test_published_only_groups_are_not_counted_as_agreeing(scored, published):
    """CLGQ of departments and communes is the portal's own score: comparing it would be the portal against itself."""
    rec = quality.reconcile_groups(scored.scorecard, published, scored.methodology)
    clgq = rec.filter(pl.col("group") == "CLGQ")
    taken = scored.scorecard.filter(pl.col("published_groups").fill_null("").str.contains("CLGQ"))
    assert taken.height == 163
    assert set(clgq.filter(pl.col("published_only"))["unit_code"]) == set(taken["unit_code"])
    assert clgq.filter(pl.col("published_only"))["difference"].null_count() == 163
    assert not clgq.filter(pl.col("published_only"))["agrees"].any()
    summary = quality.reconcile_summary(rec).filter(pl.col("group") == "CLGQ").row(0, named=True)
    assert (summary["units"], summary["published_only"]) == (1, 163)
    text = quality_text.reconcile_sentence(rec)
    assert "163 điểm nhóm khác là điểm đã công bố" in text and "không đưa vào đối chiếu" in text


def test_reconciliation_flags_a_wrong_published_figure(scored, published):
    tampered = published.with_columns(
        pl.when(pl.col("unit_code") == "H44.100").then(pl.col("TDGQ") + 1).otherwise(pl.col("TDGQ")).alias("TDGQ")
    )
    rec = quality.reconcile_groups(scored.scorecard, tampered, scored.methodology)
    bad = rec.filter(~pl.col("agrees") & ~pl.col("published_only"))
    assert bad.select("unit_code", "group").rows() == [("H44.100", "TDGQ")]
    assert bad["difference"].item() == pytest.approx(-1.0)


def test_component_sums_catch_a_shifted_column():
    national = pl.read_csv(NATIONAL_SCORES)
    groups = ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    assert quality.component_sums(national, groups).is_empty()
    shifted = national.with_columns(pl.when(pl.col("rank") == 1).then(pl.col("TDGQ")).otherwise(pl.col("CKMB")).alias("CKMB"))
    flagged = quality.component_sums(shifted, groups)
    assert flagged.height == national.filter(pl.col("rank") == 1).height


def test_national_standing_reads_the_latest_capture():
    standing = tables.national_standing(pl.read_csv(NATIONAL_SCORES), "H44")
    national = pl.read_csv(NATIONAL_SCORES)
    latest = national.filter(pl.col("date") == national["date"].max())
    row = latest.filter(pl.col("unit_code") == "H44").row(0, named=True)
    assert (standing.rank, standing.of, standing.total) == (row["rank"], 34, row["total"])


def test_headline_in_vietnamese(scored):
    root = tables.root_unit(scored.scorecard, "H44")
    standing = tables.national_standing(pl.read_csv(NATIONAL_SCORES), "H44")
    text = narrative.headline(root, scored.methodology, PERIOD, standing=standing)
    assert text.startswith("Tổng điểm của tỉnh Phú Thọ tháng 8/2026 đạt 59,92/100 điểm, xếp loại Trung bình.")
    # the national capture is year to date (10/10/2026): its rank is not August's
    assert f"{standing.rank}/34" not in text and number(standing.total) not in text
    assert "Báo cáo không nêu thứ hạng toàn quốc" in text and "lũy kế từ đầu năm" in text
    english = narrative.headline(root, scored.methodology, PERIOD, standing=standing, language="en")
    assert "59.92/100" in english and "Average" in english and "No national rank is stated" in english


@pytest.mark.parametrize("target", [0.25, 0.9])
def test_payment_target_sentence_names_exactly_the_units_below_it(scored, bundled_facts, target):
    pay = bundled_facts.filter((pl.col("indicator") == "PAYMENT_DOSSIER") & (pl.col("level") == "department"))
    active = scored.scorecard.filter(pl.col("active")).select("unit_code")
    pay = pay.join(active, on="unit_code").filter(pl.col("denominator") > 0)
    expected_low = pay.filter(pl.col("numerator") / pl.col("denominator") < target)
    table = tables.unit_table(scored.scorecard, scored.detail, "department")
    sentence = narrative.target_sentence(table, "online_payment", target, "department")
    goal = f"{round(target * 100)} %"
    if expected_low.is_empty():
        assert sentence.startswith(f"Tất cả {pay.height} sở, ban, ngành có số liệu đều đạt tỷ lệ thanh toán trực tuyến từ {goal}")
        return
    assert sentence.startswith(f"Có {expected_low.height}/{pay.height} sở, ban, ngành có tỷ lệ thanh toán trực tuyến dưới {goal}")
    for name in expected_low["unit_name"]:
        assert unit_name(name, start=False) in sentence


def test_name_lists_name_every_unit():
    assert narrative.name_list(["A", "B", "C"]) == "A, B và C"
    names = [f"xã {i}" for i in range(140)]
    text = narrative.name_list(names)
    head, _, last = text.rpartition(" và ")
    assert head.split(", ") + [last] == names
    assert "đơn vị khác" not in text


def test_findings_cover_both_levels_and_say_when_there_is_no_previous_period(scored):
    lines = narrative.findings(
        scored.scorecard, scored.detail, scored.methodology, period=PERIOD,
        targets={"online_payment": 0.25, "on_time": 0.95},
    )
    texts = [f.text for f in lines]
    assert not any(line.startswith("Kết quả xếp loại") for line in texts)  # told with the classification table
    assert narrative.class_sentence(scored.scorecard, scored.methodology, "department").startswith(
        "Kết quả xếp loại sở, ban, ngành: 1/13 đơn vị xếp loại Khá")
    assert sum("Chưa có số liệu tháng 7/2026" in line for line in texts) == 2
    assert any("hồ sơ quá hạn" in line for line in texts)
    assert {f.level for f in lines} >= {"department", "commune"}


def test_recommendations_start_with_the_biggest_loss(scored):
    recs = narrative.recommendations(scored.scorecard, scored.detail, scored.methodology, scope="H44")
    weakest = tables.weakest_indicators(scored.detail, scored.methodology, "H44", n=4)
    measured = weakest.filter(pl.col("ratio").is_not_null()).row(0, named=True)
    assert recs[0].addressee == "Đối với các sở, ban, ngành và UBND các xã, phường"
    assert measured["indicator_name"][1:] in recs[0].text
    inactive = [r for r in recs if "không phát sinh hồ sơ" in r.text]
    assert len(inactive) == 1 and inactive[0].addressee == "Đối với các sở, ban, ngành"
    assert "Văn phòng UBND tỉnh" in inactive[0].text and "Thanh tra tỉnh" in inactive[0].text
    assert {r.addressee for r in recs} >= {"Đối với các sở, ban, ngành", "Đối với UBND các xã, phường"}


def test_display_tables_show_no_activity_as_a_dash_not_zero(scored):
    table = tables.unit_table(scored.scorecard, scored.detail, "department")
    shown = tables.display_unit_table(table)
    inactive = shown.filter(pl.col("Tên cơ quan, đơn vị").str.ends_with("(*)"))
    assert inactive.height == 2
    assert set(inactive["Đúng hạn"]) == {"-"} and set(inactive["Thanh toán trực tuyến"]) == {"-"}
    assert shown.null_count().sum_horizontal().item() == 0


def test_display_unit_table_writes_counts_the_way_reports_do(scored, bundled_facts):
    row = bundled_facts.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "PAYMENT_DOSSIER")).row(0, named=True)
    shown = tables.display_unit_table(tables.unit_table(scored.scorecard, scored.detail, "province"))
    expected_num = f"{int(row['numerator']):,}".replace(",", ".")
    expected_den = f"{int(row['denominator']):,}".replace(",", ".")
    assert shown["Thanh toán trực tuyến"].item().endswith(f"\n{expected_num}/{expected_den}")
    assert "Trực tuyến/Trực tiếp" in shown.columns  # the province has channel counts


def test_html_table_escapes_and_marks_numbers():
    html = tables.html_table(pl.DataFrame({"a": ["<b>"], "b": ["x"], "c": ["1,5"]}), caption="Bảng 1", footnote="ghi chú")
    assert "&lt;b&gt;" in html and '<td class="num">1,5</td>' in html and "<caption>Bảng 1</caption>" in html


def test_national_movers_use_the_first_and_last_capture():
    national = pl.read_csv(NATIONAL_SCORES)
    lines = narrative.national_movers(national, "H44")
    first = national.filter((pl.col("date") == national["date"].min()) & (pl.col("unit_code") == "H44")).row(0, named=True)
    last = national.filter((pl.col("date") == national["date"].max()) & (pl.col("unit_code") == "H44")).row(0, named=True)
    assert f"thứ hạng {first['rank']} → {last['rank']}/34" in lines[0]
    assert lines[1].startswith("Tăng điểm nhiều nhất") and "(+" in lines[1]
    assert lines[2].startswith("Giảm điểm nhiều nhất") and "(−" in lines[2]
    # the span's days as every date of the report is written: dd/mm/yyyy, ISO in English
    begin, end = (date.fromisoformat(str(d)[:10]) for d in (national["date"].min(), national["date"].max()))
    assert f"từ {begin:%d/%m/%Y} đến {end:%d/%m/%Y}" in lines[0]
    assert f"from {begin.isoformat()} to {end.isoformat()}" in narrative.national_movers(national, "H44", "en")[0]


def test_reconcile_sentence_counts_agreement(scored, published):
    rec = quality.reconcile_groups(scored.scorecard, published, scored.methodology)
    text = quality_text.reconcile_sentence(rec)
    assert text.startswith("Đối chiếu 985 điểm (nhóm và tổng) tính lại từ tử số, mẫu số của 164 đơn vị:")
    assert "985 điểm lệch không quá 0,015" in text


def test_load_sentence_names_the_file_relative_to_the_project(bundled_facts):
    text = quality_text.load_sentence(bundled_facts, BUNDLED_FACTS)
    assert "từ tệp `data/portal/phu-tho-2026-08/facts.csv`" in text and "164 đơn vị" in text


def test_compare_sources_calls_out_differences(bundled_facts):
    local = bundled_facts.with_columns(
        pl.when((pl.col("unit_code") == "H44.100") & (pl.col("indicator") == "ON_TIME"))
        .then(pl.col("denominator") + 10).otherwise(pl.col("denominator")).alias("denominator")
    )
    compared = quality.compare_sources(bundled_facts, local, indicators=["ON_TIME", "PAYMENT_DOSSIER"])
    assert compared.height == bundled_facts.filter(
        pl.col("indicator").is_in(["ON_TIME", "PAYMENT_DOSSIER"]) & pl.col("denominator").is_not_null()
    ).height
    flagged = compared.filter(pl.col("differs"))
    assert flagged.select("unit_code", "indicator").rows() == [("H44.100", "ON_TIME")]
    assert flagged["denominator_difference"].item() == 10
    # the facts' side is named by their source: the portal unless the run names another (data_source)
    assert "giữa Cổng Dịch vụ công quốc gia và hệ thống của tỉnh" in quality_text.sources_sentence(compared)
    named = "báo cáo tháng 8/2026 của tỉnh"
    assert f"giữa {named} và hệ thống của tỉnh" in quality_text.sources_sentence(compared, source=named)
    assert "Nguồn số liệu" in quality_text.display_sources(compared, source=named).columns  # named in the heading
    assert "Cổng DVCQG" in quality_text.display_sources(compared).columns


def test_peer_table_compares_a_unit_with_its_peers_level_and_province(scored):
    card = scored.scorecard
    peers = ["H44.100", "H44.101", "H44.102"]
    table = tables.peer_table(card, scored.methodology, "H44.100", peers=peers)
    assert table["group"].to_list()[-1] == "Tổng điểm"
    total = table.row(-1, named=True)
    expected_peers = card.filter(pl.col("unit_code").is_in(peers))["total"].median()
    communes = card.filter(pl.col("level") == "commune")["total"].median()
    assert total["unit"] == card.filter(pl.col("unit_code") == "H44.100")["total"].item()
    assert total["peers_median"] == pytest.approx(expected_peers)
    assert total["level_median"] == pytest.approx(communes)
    assert total["parent"] == pytest.approx(59.92)


def test_compare_sources_compares_mean_days_in_days(bundled_facts):
    """The portal publishes the mean processing time alone (over 1); records give total days over finished dossiers."""
    local = bundled_facts.with_columns(
        pl.when(pl.col("indicator") == "AVG_PROCESSING_DAYS")
        .then(pl.col("numerator") * 1000 + 200).otherwise(pl.col("numerator")).alias("numerator"),
        pl.when(pl.col("indicator") == "AVG_PROCESSING_DAYS").then(1000.0).otherwise(pl.col("denominator")).alias("denominator"),
    )
    compared = quality.compare_sources(bundled_facts, local, indicators=["AVG_PROCESSING_DAYS"])
    province = compared.filter(pl.col("unit_code") == "H44").row(0, named=True)
    assert province["ratio_difference"] == pytest.approx(0.2)   # 7,25 days against 7,05
    assert province["denominator_difference"] is None            # not a shared count
    assert not province["differs"]                               # within half a day
    shown = quality_text.display_sources(compared.filter(pl.col("unit_code") == "H44"), only_differences=False, limit=1)
    assert shown.row(0)[2:5] == ("7,05 ngày", "7,25 ngày", "+0,20 ngày")


def test_scorecard_workbook_has_a_sheet_for_people_and_one_for_tools(scored, tmp_path):
    from analysis.io.load import write_workbook

    path = write_workbook({"Bảng điểm": workbooks.scorecard_sheet(scored.scorecard, scored.methodology),
                           "scorecard": scored.scorecard}, tmp_path / "scorecard.xlsx")
    people = pl.read_excel(path, sheet_name="Bảng điểm")
    tools = pl.read_excel(path, sheet_name="scorecard")
    assert people.columns[:3] == ["Cấp", "Hạng", "Tên cơ quan, đơn vị"] and people.columns[-1] == "Mã đơn vị"
    assert "Công khai, minh bạch (18)" in people.columns
    assert people.row(0, named=True)["Tổng điểm"] == pytest.approx(59.92)  # the province first
    assert people.height == tools.height == 164
    assert tools.columns[:5] == ["period", "unit_code", "unit_name", "level", "parent_code"]
    formats = workbooks.sheet_formats(workbooks.scorecard_sheet(scored.scorecard, scored.methodology))
    assert formats["Hồ sơ tiếp nhận"] == "#,##0" and formats["Tổng điểm"] == "0.00" and "Hạng" not in formats


def test_channel_table_from_a_source_with_per_unit_counts(bundled_facts):
    communes = bundled_facts.filter(pl.col("level") == "commune").select("period", "unit_code", "unit_name", "level", "parent_code").unique().head(2)
    codes = communes["unit_code"].sort().to_list()
    rows = []
    for code, (online, direct) in zip(codes, [(90, 10), (30, 70)], strict=False):
        base = communes.filter(pl.col("unit_code") == code)
        for indicator, num in (("ONLINE_DOSSIER", online), ("DIRECT_DOSSIER", direct)):
            rows.append(base.with_columns(pl.lit(indicator).alias("indicator"), pl.lit(float(num)).alias("numerator"),
                                          pl.lit(100.0).alias("denominator")))
    local = pl.concat(rows)
    table = tables.channel_table(local, "commune")
    assert table["unit_code"].to_list() == codes and table["online_share"].to_list() == [0.9, 0.3]
    shown = tables.display_channel_table(table)
    assert shown["Trực tuyến/Trực tiếp"].to_list() == ["90/10", "30/70"]
    assert shown["Bưu chính"].to_list() == ["-", "-"]  # not given is not zero
    assert tables.channel_table(bundled_facts, "commune").is_empty()  # the portal gives no per-unit channel counts
    assert narrative.channel_source_sentence("commune", None).startswith(
        "Nguồn số liệu (Cổng Dịch vụ công quốc gia) không có số hồ sơ trực tuyến")
    assert "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh" in narrative.channel_source_sentence("commune", "local")
    # the facts' counts are credited to the run's source: the portal unless the parameters name another
    assert narrative.channel_source_sentence("commune", "portal").endswith("theo Cổng Dịch vụ công quốc gia.")
    named = narrative.channel_source_sentence("department", "portal", "en", source="the province's September report")
    assert named == "Online and in-person dossiers of the departments, from the province's September report."
