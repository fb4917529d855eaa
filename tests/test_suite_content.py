"""The suite with the optional sources: a province's own figures side by side, a chosen unit."""

from __future__ import annotations

import re

import polars as pl
import pytest

from analysis.paths import BUNDLED_FACTS, ROOT
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("content")
    facts = pl.read_csv(BUNDLED_FACTS, schema_overrides={"period": pl.String, "parent_code": pl.String})
    # the province's own system: 25 more dossiers received at one commune than the portal shows
    local = facts.with_columns(
        pl.when((pl.col("unit_code") == "H44.150") & (pl.col("indicator") == "ON_TIME"))
        .then(pl.col("denominator") + 25).otherwise(pl.col("denominator")).alias("denominator")
    )
    local_path = folder / "local.csv"
    local.write_csv(local_path)
    # an earlier month: 10 % fewer dossiers on time everywhere
    july = facts.with_columns(
        pl.lit("2026-07").alias("period"),
        pl.when(pl.col("indicator") == "ON_TIME").then((pl.col("numerator") * 0.9).round(0)).otherwise(pl.col("numerator")).alias("numerator"),
    )
    july_path = folder / "july.csv"
    july.write_csv(july_path)
    params = folder / "run.yaml"
    params.write_text(
        "scope: H44\nscope_slug: thu\nperiod: '2026-08'\n"
        f"facts: {BUNDLED_FACTS}\npublished: {ROOT / 'data/portal/phu-tho-2026-08/published.csv'}\n"
        f"local_facts: {local_path}\nfocus: H44.100\nhistory: [{july_path}]\n",
        encoding="utf-8",
    )
    result = run_cli("report", "--params", str(params), "--out", str(folder / "out"), "--quiet")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "thu" / "2026-08"


def text_of(page) -> str:
    return re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))


def test_the_two_sources_are_compared_and_the_difference_called_out(run):
    text = text_of(run / "data_quality.html")
    assert "Có 1/" in text and "số liệu khác nhau giữa Cổng Dịch vụ công quốc gia và hệ thống của tỉnh" in text
    assert "Chênh lệch mẫu số" in text and "+25" in text


def test_the_chosen_unit_is_compared_with_its_peers(run):
    text = text_of(run / "comparison.html")
    assert "Phường Việt Trì so với các đơn vị cùng cấp và toàn tỉnh" in text
    assert "Trung vị các xã cùng huyện cũ" in text
    assert "chọn đơn vị khác bằng tham số" not in text  # it was chosen, not defaulted


def test_an_unknown_focus_unit_is_a_parameter_error(tmp_path):
    params = tmp_path / "bad.yaml"
    params.write_text(f"scope: H44\nscope_slug: thu\nperiod: '2026-08'\nfacts: {BUNDLED_FACTS}\nfocus: H44.999\n", encoding="utf-8")
    result = run_cli("report", "--params", str(params), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{params}, line 5, key 'focus': unit 'H44.999' not in the facts" in result.stderr


def test_history_gives_the_headline_its_change_and_the_trends_their_series(run):
    import polars as pl

    card = pl.read_csv(run / "scorecard.csv", schema_overrides={"period": pl.String})
    province = card.filter(pl.col("unit_code") == "H44").row(0, named=True)
    assert province["delta_total"] > 0
    change = f"{province['delta_total']:.2f}".replace(".", ",")
    assert f"(tăng {change} điểm so với tháng 7/2026)" in text_of(run / "scorecard.html")
    trends = text_of(run / "trends.html")
    assert "Bộ số liệu có 2 kỳ: tháng 7/2026 và tháng 8/2026." in trends
    assert "so với tháng 7/2026" in trends


def test_history_gives_the_classification_tables_their_change_column_and_the_findings_their_movers(run):
    text = text_of(run / "scorecard.html")
    # July had 10 % fewer dossiers on time everywhere: every active unit rose
    assert "Tăng/giảm" in text and re.search(r"Tăng \d+,\d\d", text) and "Giảm " not in text
    assert re.search(r"So với tháng 7/2026, 1\d/13 sở, ban, ngành tăng điểm; 5 đơn vị tăng nhiều nhất là", text)
    assert re.search(r"So với tháng 7/2026, 14\d/148 xã, phường tăng điểm", text)
    assert "thay đổi xếp loại so với tháng 7/2026" in text


def test_without_per_unit_channel_counts_the_page_says_so(run):
    text = text_of(run / "scorecard.html")
    assert "Nguồn số liệu (Cổng Dịch vụ công quốc gia) không có số hồ sơ trực tuyến, trực tiếp của từng xã" in text
