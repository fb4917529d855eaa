"""The trends page's package side: a period's progress over its captures, risers and fallers."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from analysis.paths import DATA
from analysis.report import formatting as fmt
from analysis.report import trends_text
from analysis.scoring import history, trends
from analysis.scoring.methodology import load_methodology

GIA_LAI = DATA / "portal" / "gia-lai-2026" / "agencies-year-2026-captures.csv"


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> pl.DataFrame:
    store = tmp_path_factory.mktemp("store")
    history.add_path(store, GIA_LAI)
    return trends.capture_series(store, "2026", load_methodology())


def test_every_capture_is_scored_and_reproduces_the_published_totals(captures):
    published = pl.read_csv(GIA_LAI, schema_overrides={"period": pl.String}, try_parse_dates=True)
    assert captures["date"].unique().sort().to_list() == [
        datetime.date(2026, 9, 24), datetime.date(2026, 10, 2), datetime.date(2026, 10, 6),
        datetime.date(2026, 10, 10)]
    joined = captures.join(published.rename({"as_of": "date", "total": "published"}).select("date", "unit_code", "published"),
                           on=["date", "unit_code"])
    assert joined.height == 60
    assert (joined["total"] - joined["published"]).abs().max() < 0.011
    assert captures["provisional"].all()  # 2026 is still open on 10/10/2026


def test_risers_and_fallers_between_the_first_and_last_capture(captures):
    changes = trends.capture_changes(captures, "department")
    top, bottom = changes.row(0, named=True), changes.row(-1, named=True)
    # Sở Nông nghiệp và Môi trường: 48,41 on 24/09 → 54,66 on 10/10 (published)
    assert (top["unit_code"], top["first_total"], top["last_total"], top["change"]) == ("H21.24", 48.41, 54.66, 6.25)
    assert (bottom["unit_code"], bottom["change"], bottom["first_rank"], bottom["last_rank"]) == ("H21.26", -1.16, 11, 12)
    shown = trends_text.display_changes(changes)
    assert shown.columns[3] == "Tăng/giảm" and shown.row(0)[3] == "+6,25" and shown.row(-1)[3] == "−1,16"


def test_a_unit_missing_at_one_capture_has_no_change_not_zero(captures):
    dropped = captures.filter(~((pl.col("unit_code") == "H21.20") & (pl.col("date") == pl.col("date").min())))
    changes = trends.capture_changes(dropped, "department")
    row = changes.filter(pl.col("unit_code") == "H21.20").row(0, named=True)
    assert row["change"] is None and row["last_total"] == 19.79
    assert trends_text.display_changes(changes).filter(pl.col("Đơn vị").str.starts_with("Thanh tra"))["Tăng/giảm"].item() == fmt.MISSING


def test_sentences(captures):
    assert "tạm tính" in trends_text.provisional_sentence(captures, "2026", "vi")
    assert "10/10/2026" in trends_text.provisional_sentence(captures, "2026", "vi")
    closed = captures.with_columns(pl.lit(False).alias("provisional"))
    assert trends_text.provisional_sentence(closed, "2026") is None
    assert trends_text.captures_sentence(captures, "H21") == (
        "4 lần lấy số liệu, từ 24/09/2026 đến 10/10/2026: UBND tỉnh Gia Lai từ 62,74 lên 66,23 điểm (+3,49).")
    assert "provisional" in trends_text.provisional_sentence(captures, "2026", "en")


def test_published_monthly_totals_rank_and_change():
    published = pl.read_csv(DATA / "portal" / "gia-lai-2026" / "published.csv", schema_overrides={"period": pl.String})
    monthly = trends.published_series(published)
    assert monthly["period"].unique().sort().to_list() == ["2026-02", "2026-03"]  # the year row is not a month
    assert monthly.group_by("period").len()["len"].to_list() == [150, 150]
    # Tây Sơn: 16,0 in February (shared 21st place), first in March with 60,25
    tay_son = monthly.filter(pl.col("unit_code") == "H21.217").sort("period")
    assert tay_son.select("total", "rank").rows() == [(16.0, 21), (60.25, 1)]
    changes = trends.capture_changes(monthly, "commune", key="period")
    assert changes.row(0, named=True)["unit_code"] == "H21.217" and changes.row(0, named=True)["change"] == 44.25
    shown = trends_text.display_changes(changes)
    assert shown.columns[1:3] == ["Điểm tháng 2/2026", "Điểm tháng 3/2026"]


def test_placeholder_like_months_are_said():
    published = pl.read_csv(DATA / "portal" / "gia-lai-2026" / "published.csv", schema_overrides={"period": pl.String})
    repeated = trends.repeated_values(trends.published_series(published))
    february = repeated.filter(pl.col("period") == "2026-02")
    assert february.select("level", "total", "units", "of").sort("level").rows() == [
        ("commune", 16.0, 115, 135), ("department", 16.0, 12, 14)]  # 127 of the 149 units
    assert "115/135" in trends_text.repeated_sentence(repeated, "vi")
    assert trends_text.repeated_sentence(repeated.clear(), "vi") is None


def test_sa_dec_october_follows_from_november_and_its_changes():
    published = pl.read_csv(DATA / "published" / "sa-dec-2022-10_2022-11-published.csv", schema_overrides={"period": pl.String})
    monthly = trends.published_series(published)
    changes = trends.capture_changes(monthly, "commune", key="period")
    assert changes.height == 9
    # the report's own "Tăng giảm" column: Tân Khánh Đông "Giảm 13,96", Phường 3 "Giảm 15,34"
    got = dict(changes.select("unit_name", "change").iter_rows())
    assert got["UBND xã Tân Khánh Đông"] == -13.96 and got["UBND Phường 3"] == -15.34
    november = published.filter(pl.col("period") == "2022-11", pl.col("level") == "commune")
    assert dict(changes.select("unit_code", "change").iter_rows()) == dict(november.select("unit_code", "change").iter_rows())


def test_published_scores_only_leave_activity_unknown_not_zero(captures):
    from analysis.report import narrative, tables

    method = load_methodology()
    card = captures.filter(pl.col("date") == pl.col("date").max()).drop("date", "provisional")
    assert card["active"].null_count() == card.height  # no dossier counts at all: unknown, not "no dossiers"
    assert "không phát sinh hồ sơ" not in narrative.class_sentence(card, method, "department")
    shown = tables.display_classification(tables.classification_table(card, method, "department"), method)
    assert not shown["Tên cơ quan, đơn vị"].str.ends_with("(*)").any()
    # a group published as a score alone is not an indicator to act on
    from analysis.scoring.score import score

    scored = score(history.read_capture(GIA_LAI).filter(pl.col("as_of") == datetime.date(2026, 10, 10)), method)
    assert tables.weakest_indicators(scored.detail, method, "H21.20").is_empty()


def test_group_series_of_one_unit(captures):
    method = load_methodology()
    groups = trends_text.group_series(captures, "H21", method)
    assert groups.columns == ["date", "unit_code", "Điểm", "unit_name"]
    assert groups.height == 6 * 4
    tdgq = groups.filter(pl.col("unit_code") == "TDGQ").sort("date")["Điểm"].to_list()
    assert tdgq == [15.8, 17.12, 17.14, 17.17]  # the province's published TDGQ at each capture
    assert "Tiến độ giải quyết (/20)" in groups["unit_name"].to_list()
    assert trends_text.points_column("en") in trends_text.group_series(captures, "H21", method, "en").columns


def test_display_derived_beside_held():
    beside = pl.DataFrame({"unit_code": ["A", "B"], "unit_name": ["Sở A", "Sở B"], "level": ["department"] * 2,
                           "derived": [70.5, 60.0], "held": [70.0, 63.25], "difference": [0.5, -3.25]})
    shown = trends_text.display_derived(beside)
    assert shown.rows() == [("Sở B", "60,00", "63,25", "−3,25"), ("Sở A", "70,50", "70,00", "+0,50")]


def test_an_unchanged_total_over_the_captures_is_said_once(captures):
    thanh_tra = captures.filter(pl.col("unit_code") == "H21.20")  # 19,79 at every capture
    assert trends_text.captures_sentence(thanh_tra, "H21.20") == (
        "4 lần lấy số liệu, từ 24/09/2026 đến 10/10/2026: Thanh tra tỉnh - tỉnh Gia Lai giữ nguyên 19,79 điểm.")
    assert trends_text.captures_sentence(thanh_tra, "H21.20", "en").endswith("stayed at 19.79 points.")


def test_the_group_lines_drop_down_is_named_for_groups_not_units(captures):
    import json

    from analysis.report import charts

    method = load_methodology()
    groups = trends_text.group_series(captures, "H21", method)
    spec = json.dumps(charts.trend_lines(groups, value=trends_text.points_column("vi"), methodology=method, title="t").to_dict(),
                      ensure_ascii=False)
    assert '"name": "Nhóm chỉ số: "' in spec and '"name": "Đơn vị: "' not in spec
    units = json.dumps(charts.trend_lines(captures.filter(pl.col("level") == "department"), value="total",
                                          methodology=method).to_dict(), ensure_ascii=False)
    assert '"name": "Đơn vị: "' in units
