"""A unit known only by the scores its report published (Bắc Kạn, September 2024): shown by them, as printed."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.paths import DATA
from analysis.report import narrative, quality_text, tables
from analysis.scoring import quality
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score, score_period, with_published_scorecard

BAC_KAN = DATA / "published"


@pytest.fixture(scope="module")
def method():
    return load_methodology("five-group-2022")


@pytest.fixture(scope="module")
def published(method):
    return quality.read_published_table(BAC_KAN / "bac-kan-2024-09-published.csv", method)


@pytest.fixture(scope="module")
def shown(method, published):
    facts = read_facts(BAC_KAN / "bac-kan-2024-09-facts.csv", method)
    return with_published_scorecard(score(facts, method), published)


def unit(card: pl.DataFrame, code: str) -> dict:
    return card.filter(pl.col("unit_code") == code).row(0, named=True)


def test_recomputed_from_the_few_counts_the_province_would_be_a_fraction_of_its_score(method):
    facts = read_facts(BAC_KAN / "bac-kan-2024-09-facts.csv", method)
    assert unit(score(facts, method).scorecard, "BK")["total"] < 40  # why the published scores are needed


def test_groups_totals_and_classes_are_the_published_ones_as_printed(shown, published):
    card = shown.scorecard
    province = unit(card, "BK")
    assert (province["CKMB"], province["ONLINE_SERVICE"], province["MDSH"], province["total"]) == (10.5, 16.0, 13.5, 77.59)
    assert province["class"] is None  # the report prints no class for the province: none is inferred
    # shifted as printed: the total is the report's, not the sum of its groups
    agri = unit(card, "BK.S01")
    assert (agri["CKMB"], agri["MDSH"], agri["total"], agri["class"]) == (0.0, 22.0, 99.84, "excellent")
    assert set(published.filter(pl.col("total").is_not_null())["unit_code"]) <= set(card["unit_code"])
    assert "total" in province["published_groups"].split(",")


def test_a_unit_of_the_table_missing_from_the_facts_enters_and_totals_only_leave_groups_missing(shown):
    card = shown.scorecard
    zone = unit(card, "BK.S03")  # no count in the report, scores only
    assert zone["total"] == 99.584
    district = unit(card, "BK.H8")
    assert district["total"] == 64.09 and district["CKMB"] is None and district["class"] is None
    assert district["published_groups"] == "total"


def test_a_dash_row_is_no_activity_not_zero_and_not_graded(shown):
    ethnic = unit(shown.scorecard, "BK.S18")
    assert ethnic["active"] is False
    assert ethnic["total"] is None and ethnic["rank"] is None and ethnic["class"] is None
    others = shown.scorecard.filter(pl.col("unit_code") != "BK.S18")
    assert others["active"].is_null().all()  # activity unknown, never "no dossiers"


def test_ranks_follow_the_published_totals(shown):
    districts = shown.scorecard.filter(pl.col("level") == "district").sort("rank")
    assert districts["total"].to_list() == sorted(districts["total"].to_list(), reverse=True)
    assert districts["rank"].to_list() == list(range(1, 9))
    assert set(districts["rank_of"].to_list()) == {8}


def test_indicator_points_of_published_units_are_left_empty_not_zero(shown):
    detail = shown.detail.filter(pl.col("unit_code") == "BK")
    assert detail["score"].is_null().all()
    sync = detail.filter(pl.col("indicator") == "DOSSIER_SYNC").row(0, named=True)
    assert (sync["numerator"], sync["denominator"]) == (12135.0, 14556.0)


def test_units_with_activity_counts_keep_their_recomputed_scores(bundled_facts):
    method = load_methodology()
    scored = score(bundled_facts, method)
    lowered = scored.scorecard.select("period", "unit_code", "unit_name", "level", "parent_code",
                                      (pl.col("total") - 10).alias("total"))
    assert with_published_scorecard(scored, lowered).scorecard.equals(scored.scorecard)


def test_published_table_sums_flag_the_shifted_columns(published, method):
    flagged = quality.component_sums(published, method.group_codes)
    rows = quality.comparable_rows(published, method.group_codes)
    assert rows == 18  # the province and 17 departments; districts give totals only, Ban Dân tộc nothing
    assert flagged.height == 17  # 16 shifted department rows and the province (77,59 against 77,50)
    sentence = quality_text.published_sums_sentence(flagged, rows)
    assert sentence.startswith("Bảng điểm công bố: 17/18 dòng có tổng điểm khác tổng các nhóm")
    assert "lệch dòng" in sentence


def test_peer_table_keeps_missing_groups_missing(shown, method):
    table = tables.peer_table(shown.scorecard, method, "BK.H8")
    assert table["unit"].to_list()[:5] == [None] * 5 and table["unit"].to_list()[-1] == 64.09


def test_a_denominator_unlike_its_numerator_is_not_called_provisional(shown, method):
    sentences = narrative.count_sentences(shown.detail, "BK")
    assert any("chưa đồng bộ là 2.421" in s for s in sentences), sentences
    shown_rows = tables.display_indicators(tables.indicator_table(shown.detail, method, "BK"))
    sync = shown_rows.filter(pl.col(shown_rows.columns[1]).str.contains("đồng bộ lên Cổng")).row(0)
    assert "14.556" in sync and not any("tạm" in str(v) for v in sync)


def test_no_overdue_sentence_without_on_time_counts(shown):
    table = tables.unit_table(shown.scorecard, shown.detail, "department")
    assert narrative.overdue_sentence(table, "department") != "Không có hồ sơ quá hạn tại các sở, ban, ngành."


def test_a_table_without_classes_is_classed_by_the_bands(shown, published, method):
    facts = read_facts(BAC_KAN / "bac-kan-2024-09-facts.csv", method)
    card = with_published_scorecard(score(facts, method), published.drop("class")).scorecard
    assert unit(card, "BK.H8")["class"] == "average" and unit(card, "BK")["class"] == "fair"
    assert unit(card, "BK.S18")["class"] is None


def test_headline_and_caveats_say_the_scores_are_published(shown, method):
    from analysis.contract.periods import parse_period

    province = unit(shown.scorecard, "BK")
    text = narrative.headline(province, method, parse_period("2024-09"))
    assert text == "Tổng điểm của tỉnh Bắc Kạn tháng 9/2024 đạt 77,59/100 điểm."
    caveats = narrative.caveats(shown.scorecard, method, period=parse_period("2024-09"))
    assert any(c.startswith("Điểm nhóm, tổng điểm và xếp loại của 26 đơn vị") for c in caveats)
    assert not any("lấy từ Cổng" in c for c in caveats)


def test_published_scores_are_not_reconciled_with_themselves(shown, published, method):
    reconciled = quality.reconcile_groups(shown.scorecard, published, method)
    assert reconciled.filter(pl.col("difference").is_not_null()).is_empty()
    assert reconciled.filter(pl.col("unit_code") == "BK", pl.col("group") == "total")["published_only"].to_list() == [True]


def test_units_whose_facts_hold_published_groups_keep_them(method):
    facts = pl.DataFrame({
        "period": ["2024-09"], "unit_code": ["X"], "unit_name": ["UBND tỉnh X"], "level": ["province"],
        "parent_code": [None], "indicator": ["CKMB"], "numerator": [None], "denominator": [None],
        "published_score": [12.0], "as_of": [None],
    }, schema_overrides={"parent_code": pl.String, "numerator": pl.Float64, "denominator": pl.Float64, "as_of": pl.Date})
    scored = score(facts, method)
    later = pl.DataFrame({"period": ["2024-09"], "unit_code": ["X"], "CKMB": [15.0], "total": [90.0]})
    assert with_published_scorecard(scored, later).scorecard.equals(scored.scorecard)


def test_reconcile_sentence_without_recomputed_scores_says_so(shown, published, method):
    sentence = quality_text.reconcile_sentence(quality.reconcile_groups(shown.scorecard, published, method))
    assert sentence.startswith("Không có điểm nào tính lại từ tử số, mẫu số để đối chiếu: cả ")


def test_points_lost_leave_out_groups_not_given(shown, method):
    from analysis.report import charts

    districts = charts.gap_to_full(shown.scorecard, method, level="district").to_dict()
    assert "chỉ có tổng điểm" in str(districts) and "0.0" not in str(districts.get("data", ""))
    departments = charts.gap_to_full(shown.scorecard, method, level="department").to_dict()
    rows = next(iter(departments["datasets"].values()))
    assert not any(r["unit_name"] == "Ban Dân tộc" for r in rows)  # "–": nothing lost, nothing known
    assert {r["unit_name"] for r in rows} >= {"Sở Y tế", "Thanh tra tỉnh"}


def test_weakest_units_leave_out_a_class_not_printed(shown):
    lines = narrative.weakest_units(shown.scorecard, shown.methodology)
    assert lines[0] == "Huyện Ba Bể: 64,09 điểm, hạng 8/8 huyện, thành phố"
    assert "Sở Công Thương: 84,02 điểm, Tốt, hạng 17/17 sở, ban, ngành" in lines


def test_a_published_score_that_is_not_a_number_names_file_row_and_column(tmp_path, method):
    from analysis.errors import InputError

    path = tmp_path / "published.csv"
    path.write_text("period,unit_code,unit_name,level,parent_code,CKMB,total\n"
                    "2024-09,BK,UBND tỉnh Bắc Kạn,province,,10.5,77.59\n2024-09,BK.S01,Sở A,department,BK,x18,90\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        quality.read_published_table(path, method)
    text = str(caught.value)
    assert "published.csv" in text and "3" in text and "CKMB" in text and "x18" in text
    table = quality.read_published_table(BAC_KAN / "bac-kan-2024-09-published.csv", method)
    assert table["total"].dtype == pl.Float64 and table.filter(pl.col("unit_code") == "BK.S18")["total"].to_list() == [None]


def test_no_change_against_a_recomputed_previous_period(method, published):
    facts = read_facts(BAC_KAN / "bac-kan-2024-09-facts.csv", method)
    before = facts.with_columns(pl.lit("2024-08").alias("period"))
    scored, _ = score_period(facts, method, "2024-09", history=[before])
    assert scored.scorecard["delta_total"].is_not_null().any()  # recomputed from the few counts of both months
    card = with_published_scorecard(scored, published).scorecard
    assert card["delta_total"].is_null().all()


def test_printed_classes_are_read_into_codes_and_an_unknown_one_names_file_row_and_column(tmp_path, method, published):
    from analysis.errors import InputError

    assert set(published["class"].drop_nulls()) <= {"excellent", "good", "fair", "average", "weak"}
    assert published.filter(pl.col("unit_code") == "BK.S01")["class"].to_list() == ["excellent"]
    path = tmp_path / "published.csv"
    header = "period,unit_code,unit_name,level,parent_code,total,class\n"
    path.write_text(header + "2024-09,A,Sở A,department,BK,91,xuất  sắc\n2024-09,B,Sở B,department,BK,82,Good\n"
                    "2024-09,C,Sở C,department,BK,75,\n", encoding="utf-8")
    assert quality.read_published_table(path, method)["class"].to_list() == ["excellent", "good", None]
    path.write_text(header + "2024-09,A,Sở A,department,BK,91,Xuất sắc\n2024-09,B,Sở B,department,BK,82,Giỏi\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        quality.read_published_table(path, method)
    assert str(caught.value) == (f"{path}, row 3, column 'class': 'Giỏi' is not a class of five-group-2022 "
                                 "(Xuất sắc, Tốt, Khá, Trung bình, Yếu)")


def test_a_published_frame_must_carry_codes_not_printed_labels(method, published):
    facts = read_facts(BAC_KAN / "bac-kan-2024-09-facts.csv", method)
    printed = published.with_columns(pl.col("class").replace({"excellent": "Xuất sắc"}))
    with pytest.raises(ValueError, match=r"\['Xuất sắc'\] are not class codes"):
        with_published_scorecard(score(facts, method), printed)
