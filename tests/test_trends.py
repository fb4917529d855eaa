"""The trends page's package side: a period's progress over its captures, risers and fallers."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from analysis import formatting as fmt
from analysis import history, trends
from analysis.methodology import load_methodology
from analysis.paths import DATA

GIA_LAI = DATA / "portal" / "gia-lai-2026" / "agencies-year-2026-captures.csv"


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> pl.DataFrame:
    store = tmp_path_factory.mktemp("store")
    history.add_path(store, GIA_LAI)
    return trends.capture_series(store, "2026", load_methodology())


def test_every_capture_is_scored_and_reproduces_the_published_totals(captures):
    published = pl.read_csv(GIA_LAI, schema_overrides={"period": pl.String}, try_parse_dates=True)
    assert captures["date"].unique().sort().to_list() == [
        datetime.date(2026, 9, 24), datetime.date(2026, 10, 2), datetime.date(2026, 10, 10)]
    joined = captures.join(published.rename({"as_of": "date", "total": "published"}).select("date", "unit_code", "published"),
                           on=["date", "unit_code"])
    assert joined.height == 45
    assert (joined["total"] - joined["published"]).abs().max() < 0.011
    assert captures["provisional"].all()  # 2026 is still open on 10/10/2026


def test_risers_and_fallers_between_the_first_and_last_capture(captures):
    changes = trends.capture_changes(captures, "department")
    top, bottom = changes.row(0, named=True), changes.row(-1, named=True)
    # Sở Nông nghiệp và Môi trường: 48,41 on 24/09 → 54,66 on 10/10 (published)
    assert (top["unit_code"], top["first_total"], top["last_total"], top["change"]) == ("H21.24", 48.41, 54.66, 6.25)
    assert (bottom["unit_code"], bottom["change"], bottom["first_rank"], bottom["last_rank"]) == ("H21.26", -1.16, 11, 12)
    shown = trends.display_changes(changes)
    assert shown.columns[3] == "Tăng/giảm" and shown.row(0)[3] == "+6,25" and shown.row(-1)[3] == "−1,16"


def test_a_unit_missing_at_one_capture_has_no_change_not_zero(captures):
    dropped = captures.filter(~((pl.col("unit_code") == "H21.20") & (pl.col("date") == pl.col("date").min())))
    changes = trends.capture_changes(dropped, "department")
    row = changes.filter(pl.col("unit_code") == "H21.20").row(0, named=True)
    assert row["change"] is None and row["last_total"] == 19.79
    assert trends.display_changes(changes).filter(pl.col("Đơn vị").str.starts_with("Thanh tra"))["Tăng/giảm"].item() == fmt.MISSING


def test_sentences(captures):
    assert "tạm tính" in trends.provisional_sentence(captures, "2026", "vi")
    assert "10/10/2026" in trends.provisional_sentence(captures, "2026", "vi")
    closed = captures.with_columns(pl.lit(False).alias("provisional"))
    assert trends.provisional_sentence(closed, "2026") is None
    assert trends.captures_sentence(captures, "H21") == (
        "3 lần lấy số liệu, từ 24/09/2026 đến 10/10/2026: UBND tỉnh Gia Lai từ 62,74 lên 66,23 điểm (+3,49).")
    assert "provisional" in trends.provisional_sentence(captures, "2026", "en")
