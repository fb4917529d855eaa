"""Charts of the reports (analysis.report.charts), checked on the chart specification they produce.

The inputs are the real Phú Thọ, August 2026 figures scored by the engine and the national
captures; expected values come from the methodology text (bands 90/80/70/50) and from the
portal's published figures (province total 59,92; CKMB 7,96/18), not from the charts' code.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import pytest

from analysis.paths import BUNDLED_FACTS, NATIONAL_SCORES
from analysis.report import charts as C
from analysis.report import formatting as fmt
from analysis.report.messages import text
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import ClassBand
from analysis.scoring.score import score

DRAWN_MARKS = {"bar", "rect", "circle", "point", "line", "area", "rule"}
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]")


@pytest.fixture(scope="module")
def scored():
    return score(read_facts(BUNDLED_FACTS))


@pytest.fixture(scope="module")
def national() -> pl.DataFrame:
    return pl.read_csv(NATIONAL_SCORES)


# --- walking a Vega-Lite spec ------------------------------------------------------------------


def marks(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every unit spec (one with a mark), depth first."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from marks(child)
    if "spec" in spec:
        yield from marks(spec["spec"])


def mark_type(unit: dict[str, Any]) -> str:
    mark = unit["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def rows_of(spec: dict[str, Any], unit: dict[str, Any]) -> list[dict[str, Any]]:
    data = unit.get("data") or spec.get("data")
    return spec["datasets"][data["name"]]


def layer_with(spec: dict[str, Any], kind: str, field: str) -> dict[str, Any]:
    """The first unit of a mark type whose data holds ``field``."""
    for unit in marks(spec):
        if mark_type(unit) == kind and field in rows_of(spec, unit)[0]:
            return unit
    raise AssertionError(f"no {kind} layer with {field}")


def titles(spec: dict[str, Any]) -> str:
    title = spec.get("title", {})
    if isinstance(title, str):
        return title
    parts = [title.get("text", "")]
    subtitle = title.get("subtitle", [])
    parts += subtitle if isinstance(subtitle, list) else [subtitle]
    return " | ".join(parts)


def formats(spec: dict[str, Any]) -> list[str]:
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "format" in node and isinstance(node["format"], str):
                found.append(node["format"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k not in ("datasets", "config")})
    return found


def assert_tooltips_everywhere(spec: dict[str, Any]) -> None:
    for unit in marks(spec):
        if mark_type(unit) in DRAWN_MARKS - {"rule"}:
            assert "tooltip" in unit.get("encoding", {}), f"{mark_type(unit)} mark without tooltip"


def params(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(spec.get("params", []))
    for unit in marks(spec):
        found += unit.get("params", [])
    return found


# --- ranked bars ---------------------------------------------------------------------------------


def test_ranked_bars_embed_only_what_they_draw(scored) -> None:
    spec = C.ranked_bars(scored.scorecard, scored.methodology, level="department").to_dict()
    bars = layer_with(spec, "bar", "total")
    rows = rows_of(spec, bars)
    assert set(rows[0]) == {"unit", "unit_name", "total", "class_label", "rank", "rank_text", "dossiers"}
    departments = scored.scorecard.filter((pl.col("level") == "department") & pl.col("active"))
    assert len(rows) == departments.height == 13
    assert rows[-1]["rank_text"] == "13/13"
    for dataset in spec["datasets"].values():
        for column in ("CKMB", "parent_code", "published_groups", "points", "period"):
            assert column not in dataset[0]


def test_ranked_bars_class_bands_follow_the_methodology(scored) -> None:
    spec = C.ranked_bars(scored.scorecard, scored.methodology, level="commune").to_dict()
    bands = rows_of(spec, layer_with(spec, "rect", "start"))
    # methodology-766.md: Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu below
    # the communes score 48,47 to 67: the axis starts at 40, the bands are cut there
    assert sorted((b["band"], b["start"], b["end"]) for b in bands) == sorted([
        ("Yếu", 40, 50), ("Trung bình", 50, 70), ("Khá", 70, 80), ("Tốt", 80, 90), ("Xuất sắc", 90, 100),
    ])
    x = layer_with(spec, "bar", "total")["encoding"]["x"]
    assert x["scale"]["domain"] == [40, 100] and x["axis"]["values"][:3] == [40, 50, 60]
    other = dataclasses.replace(scored.methodology, classes=(
        ClassBand(95.0, "excellent", "A", "A"), ClassBand(60.0, "average", "B", "B"), ClassBand(0.0, "weak", "C", "C")))
    spec = C.ranked_bars(scored.scorecard, other, level="commune").to_dict()
    bands = rows_of(spec, layer_with(spec, "rect", "start"))
    assert sorted((b["start"], b["end"]) for b in bands) == [(40, 60), (60, 95), (95, 100)]


def test_ranked_bars_rows_and_order(scored) -> None:
    spec = C.ranked_bars(scored.scorecard, scored.methodology, level="commune").to_dict()
    rows = rows_of(spec, layer_with(spec, "bar", "total"))
    assert len(rows) == 148
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert rows[0]["unit"].startswith("1. ")
    y = layer_with(spec, "bar", "total")["encoding"]["y"]
    assert y["sort"] == {"field": "total", "op": "max", "order": "descending"}


def test_ranked_bars_mark_units_without_dossiers(scored) -> None:
    spec = C.ranked_bars(scored.scorecard, scored.methodology, level="department").to_dict()
    rows = rows_of(spec, layer_with(spec, "bar", "total"))
    names = {r["unit_name"] for r in rows}
    # the portal's README: Văn phòng UBND (H44.01) and Thanh tra (H44.23) have no activity: not ranked,
    # not drawn as low scorers, named in the subtitle
    assert not names & {"Văn phòng UBND Tỉnh - Tỉnh Phú Thọ", "Thanh tra tỉnh - Tỉnh Phú Thọ"}
    assert ("2 đơn vị không phát sinh hồ sơ trong kỳ: Thanh tra tỉnh và Văn phòng UBND tỉnh "
            "(không xếp hạng, xếp loại)") in titles(spec)


def test_ranked_bars_province_reference_line(scored) -> None:
    spec = C.ranked_bars(scored.scorecard, scored.methodology, level="department").to_dict()
    rule = layer_with(spec, "rule", "total")
    (row,) = rows_of(spec, rule)
    assert row["total"] == pytest.approx(59.92)        # the province's published total
    assert row["text"] == "Toàn tỉnh: 59,92"


def test_ranked_bars_highlight_and_top_bottom(scored) -> None:
    chart = C.ranked_bars(scored.scorecard, scored.methodology, level="commune",
                          highlight="UBND xã Yên Phú", top=10, bottom=5)
    spec = chart.to_dict()
    rows = rows_of(spec, layer_with(spec, "bar", "total"))
    assert len(rows) == 15
    assert [r["rank"] for r in rows][:10] == list(range(1, 11))
    assert max(r["rank"] for r in rows) == 148
    assert "10 đơn vị cao nhất và 5 đơn vị thấp nhất trong 148 đơn vị" in titles(spec)
    weight = layer_with(spec, "bar", "total")["encoding"]["y"]["axis"]["labelFontWeight"]
    assert "Xã Yên Phú" in weight["expr"]
    with pytest.raises(ValueError):
        C.ranked_bars(scored.scorecard, scored.methodology, level="commune", highlight="no such unit")


def test_ranked_bars_language(scored) -> None:
    vi = C.ranked_bars(scored.scorecard, scored.methodology, level="department").to_dict()
    en = C.ranked_bars(scored.scorecard, scored.methodology, level="department", language="en").to_dict()
    assert titles(vi).startswith("Tổng điểm và xếp loại: Sở, ban, ngành")
    assert titles(en).startswith("Total score and class: Departments")
    assert not VIETNAMESE.search(titles(en))
    en_rows = rows_of(en, layer_with(en, "bar", "total"))
    assert {r["class_label"] for r in en_rows} <= {"Excellent", "Good", "Fair", "Average", "Weak", "No dossiers"}
    assert vi["config"]["locale"]["number"]["decimal"] == ","
    assert en["config"]["locale"]["number"]["decimal"] == "."
    with pytest.raises(ValueError):
        C.ranked_bars(scored.scorecard, scored.methodology, level="department", language="fr")


def test_ranked_bars_interaction_tooltips_and_formats(scored) -> None:
    spec = C.ranked_bars(scored.scorecard, scored.methodology, level="commune").to_dict()
    found = params(spec)
    assert any(p.get("bind", {}).get("input") == "search" for p in found)
    assert any(p.get("bind") == "legend" for p in found)
    assert_tooltips_everywhere(spec)
    assert ",.2f" in formats(spec)


def test_unknown_level_is_refused(scored) -> None:
    with pytest.raises(ValueError, match="huyen"):
        C.ranked_bars(scored.scorecard, scored.methodology, level="huyen")
    # a known level the data lacks (no districts after 2025) is said on the chart instead
    text = json.dumps(C.ranked_bars(scored.scorecard, scored.methodology, level="district").to_dict(), ensure_ascii=False)
    assert "không có đơn vị nào thuộc" in text


# --- heat map, gaps, classes ---------------------------------------------------------------------


def test_group_heatmap(scored) -> None:
    spec = C.group_heatmap(scored.scorecard, scored.methodology, level="department").to_dict()
    cells = layer_with(spec, "rect", "share")
    rows = rows_of(spec, cells)
    assert len(rows) == 15 * 7                       # six groups and the total
    assert set(rows[0]) == {"unit", "unit_name", "total", "group", "score", "max", "share"}
    assert all(0 <= r["share"] <= 1 for r in rows)
    order = cells["encoding"]["x"]["sort"]
    assert order[0] == "Công khai, minh bạch (18)" and order[-1] == "Tổng điểm (100)"
    # Sở Văn hóa: MDHL 18/18 on the portal
    culture = [r for r in rows if r["unit"] == "Sở Văn hóa, Thể thao và Du lịch" and r["group"].startswith("Mức độ")]
    assert culture[0]["share"] == pytest.approx(1.0)
    assert_tooltips_everywhere(spec)
    assert ",.2f" in formats(spec)
    en = C.group_heatmap(scored.scorecard, scored.methodology, level="department", language="en").to_dict()
    assert titles(en).startswith("Score by group")
    # units with no dossiers are marked, with the note under the title
    marked = {r["unit"] for r in rows if r["unit"].endswith("(*)")}
    assert marked == {"Văn phòng UBND tỉnh (*)", "Thanh tra tỉnh (*)"}
    assert "(*) 2 đơn vị không phát sinh hồ sơ trong kỳ" in titles(spec)


def test_gap_to_full_adds_up_to_the_points_lost(scored) -> None:
    spec = C.gap_to_full(scored.scorecard, scored.methodology, level="commune").to_dict()
    rows = rows_of(spec, layer_with(spec, "bar", "lost"))
    assert len(rows) == 148 * 6
    by_unit: dict[str, float] = {}
    for r in rows:
        assert r["lost"] == pytest.approx(r["max"] - r["score"], abs=0.005)
        by_unit[r["unit_name"]] = by_unit.get(r["unit_name"], 0.0) + r["lost"]
    totals = dict(scored.scorecard.filter(pl.col("level") == "commune").select("unit_name", "total").iter_rows())
    for name, lost in by_unit.items():
        assert lost == pytest.approx(100 - totals[name], abs=0.02)   # the groups' maxima sum to 100
    assert any(p.get("bind") == "legend" for p in params(spec))
    assert_tooltips_everywhere(spec)


def test_class_distribution_counts_every_unit(scored) -> None:
    spec = C.class_distribution(scored.scorecard, scored.methodology).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["level_name"]] = totals.get(r["level_name"], 0) + r["count"]
    assert totals == {"Sở, ban, ngành": 15, "Cấp xã": 148}
    departments = {r["class_label"]: r["count"] for r in rows if r["level_name"] == "Sở, ban, ngành"}
    assert departments["Không phát sinh hồ sơ"] == 2
    assert set(rows[0]) == {"level_name", "class_label", "count", "share"}
    assert_tooltips_everywhere(spec)
    en = C.class_distribution(scored.scorecard, scored.methodology, language="en").to_dict()
    assert {r["level_name"] for r in en["datasets"][en["data"]["name"]]} == {"Departments", "Communes"}


def test_class_distribution_of_the_province_alone_says_so(scored) -> None:
    province = scored.scorecard.filter(pl.col("level") == "province")
    text = json.dumps(C.class_distribution(province, scored.methodology).to_dict(), ensure_ascii=False)
    assert "chỉ có cấp tỉnh" in text and "Không vẽ được biểu đồ này" in text and '"count"' not in text


# --- scatter -----------------------------------------------------------------------------------


def test_indicator_scatter_defaults_exist_for_communes(scored) -> None:
    spec = C.indicator_scatter(scored.detail, scored.scorecard, level="commune",
                               methodology=scored.methodology).to_dict()
    points = layer_with(spec, "circle", "x")
    rows = rows_of(spec, points)
    assert len(rows) == 148
    assert set(rows[0]) == {"unit", "unit_name", "x", "x_num", "x_den", "y", "y_num", "y_den",
                            "dossiers", "quadrant"}
    for r in rows:
        assert r["x"] == pytest.approx(r["x_num"] / r["x_den"])
    assert points["encoding"]["size"]["field"] == "dossiers"
    assert_tooltips_everywhere(spec)
    assert ".2%" in formats(spec)


def test_indicator_scatter_counts_units_without_ratios(scored) -> None:
    spec = C.indicator_scatter(scored.detail, scored.scorecard, "PAYMENT_DOSSIER", "ON_TIME",
                               level="department", methodology=scored.methodology).to_dict()
    rows = rows_of(spec, layer_with(spec, "circle", "x"))
    departments = scored.scorecard.filter(pl.col("level") == "department").get_column("unit_code")
    with_both = scored.detail.filter(pl.col("indicator").is_in(["PAYMENT_DOSSIER", "ON_TIME"])
                                     & pl.col("unit_code").is_in(departments.implode())
                                     & pl.col("ratio").is_not_null())
    expected = with_both.group_by("unit_code").len().filter(pl.col("len") == 2).height
    assert len(rows) == expected < 15
    assert f"{15 - expected} đơn vị không có số liệu" in titles(spec)


def test_indicator_scatter_lines(scored) -> None:
    # PAYMENT_DOSSIER has no target: the line is at the province's own ratio
    spec = C.indicator_scatter(scored.detail, scored.scorecard, level="commune",
                               methodology=scored.methodology).to_dict()
    lines = {r["axis"]: r["value"] for r in rows_of(spec, layer_with(spec, "rule", "axis"))}
    province = scored.detail.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "PAYMENT_DOSSIER"))
    assert lines["x"] == pytest.approx(province.get_column("ratio").item())
    # given targets win; DOSSIER_RECEIVING_SATISFACTION carries its own 90 % target
    spec = C.indicator_scatter(scored.detail, scored.scorecard, "PAYMENT_DOSSIER",
                               "DOSSIER_RECEIVING_SATISFACTION", level="commune",
                               methodology=scored.methodology, x_target=0.25).to_dict()
    lines = {r["axis"]: r["value"] for r in rows_of(spec, layer_with(spec, "rule", "axis"))}
    assert lines == {"x": 0.25, "y": 0.9}
    rows = rows_of(spec, layer_with(spec, "circle", "x"))
    low = [r for r in rows if r["x"] < 0.25 and r["y"] < 0.9]
    assert all(r["quadrant"] == "Dưới đường tham chiếu ở cả hai chỉ số" for r in low)
    assert {r["quadrant"] for r in rows} <= {text(f"charts.quadrants.{k}", "vi") for k in ("both_high", "both_low")} | {
        text("charts.quadrants.one_only", "vi", name=n) for n in ("hồ sơ thanh toán trực tuyến", "hài lòng trong tiếp nhận, giải quyết TTHC")}


def test_indicator_scatter_lines_say_what_they_are_and_points_are_named(scored) -> None:
    # a target of the run is called a target; the province's own ratio is called the province's, never a target
    spec = C.indicator_scatter(scored.detail, scored.scorecard, level="department",
                               methodology=scored.methodology, x_target=0.25).to_dict()
    texts = {r["axis"]: r["text"] for r in rows_of(spec, layer_with(spec, "rule", "axis"))}
    assert texts["x"] == "Mục tiêu: 25 %" and texts["y"].startswith("Toàn tỉnh: ")
    assert "ngưỡng" not in json.dumps(spec, ensure_ascii=False).replace("ngưỡng xếp loại", "")
    points = rows_of(spec, layer_with(spec, "circle", "x"))
    named = [layer for layer in marks(spec) if mark_type(layer) == "text" and "transform" not in layer
             and layer.get("encoding", {}).get("text", {}).get("field") == "unit"]
    shown = {r["unit"] for layer in named for r in rows_of(spec, layer)}
    assert {r["unit"] for r in points} <= shown  # a small level: every point carries its name


def test_indicator_scatter_says_which_indicator_a_level_lacks(scored) -> None:
    # the portal gives ONLINE_DOSSIER counts for the province only: said on the page, no crash, no zeros
    spec = C.indicator_scatter(scored.detail, scored.scorecard, "ONLINE_DOSSIER", "ON_TIME",
                               level="commune", methodology=scored.methodology).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    name = fmt.indicator_name(scored.methodology, "ONLINE_DOSSIER", "vi")
    assert "Không có số liệu để so sánh" in text and name in text
    assert fmt.indicator_name(scored.methodology, "ON_TIME", "vi") not in text.split("Không có số liệu")[1]
    assert "circle" not in text


def test_indicator_scatter_on_published_group_scores_only() -> None:
    # Gia Lai's 2026 captures: departments with published group scores, no counts at all
    import datetime

    from analysis.paths import DATA
    from analysis.scoring import history
    from analysis.scoring.score import score

    facts = history.read_capture(DATA / "portal" / "gia-lai-2026" / "agencies-year-2026-captures.csv")
    latest = facts.filter(pl.col("as_of") == datetime.date(2026, 10, 10))
    scored = score(latest)
    spec = C.indicator_scatter(scored.detail, scored.scorecard, level="department", language="en",
                               methodology=scored.methodology).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert "Nothing to compare" in text and "circle" not in text


# --- headline ------------------------------------------------------------------------------------


def test_group_bullets_for_the_province(scored) -> None:
    spec = C.group_bullets(scored.scorecard, scored.methodology).to_dict()
    rows = rows_of(spec, layer_with(spec, "bar", "max"))
    assert [r["max"] for r in rows] == [18, 20, 12, 10, 18, 22]
    ckmb = rows[0]
    assert ckmb["group"] == "Công khai, minh bạch"
    assert ckmb["text"] == "7,96/18  (44 %)"       # 7,96 published by the portal
    assert titles(spec).startswith("Tỉnh Phú Thọ: 59,92/100 điểm · Trung bình")
    assert_tooltips_everywhere(spec)
    unit = C.group_bullets(scored.scorecard, scored.methodology, unit_code="H44.44", language="en").to_dict()
    assert titles(unit).startswith("Sở Xây dựng: 66.5/100 points · Average")
    with pytest.raises(ValueError):
        C.group_bullets(scored.scorecard, scored.methodology, unit_code="nope")


# --- over time -----------------------------------------------------------------------------------


def monthly_series() -> pl.DataFrame:
    periods = ["2025-05", "2025-06", "2025-07", "2025-08", "2025-12", "2026-01", "2026-02"]
    rows = []
    for i, p in enumerate(periods):
        rows.append({"period": p, "unit_code": "H44", "unit_name": "UBND tỉnh Phú Thọ",
                     "total": 90.0 + i / 2 if p < "2026" else 60.0 + i, "rank": 20 - i})
        rows.append({"period": p, "unit_code": "H01", "unit_name": "UBND thành phố Hà Nội",
                     "total": 85.0 + i if p < "2026" else 55.0 + i, "rank": 30 - i})
    return pl.DataFrame(rows)


def test_trend_lines_mark_both_breaks(scored) -> None:
    spec = C.trend_lines(monthly_series(), methodology=scored.methodology).to_dict()
    rule = layer_with(spec, "rule", "when")
    marked = {r["when"]: r["text"] for r in rows_of(spec, rule)}
    assert set(marked) == {"2025-07-01", "2026-01-01"}
    assert "Sắp xếp" in marked["2025-07-01"] and "2026" in marked["2026-01-01"]
    lines = layer_with(spec, "line", "value")
    data = rows_of(spec, lines)
    assert set(data[0]) == {"when", "when_label", "unit_code", "unit", "value", "segment"}
    assert len(data) == 14
    segments = {r["when"][:7]: r["segment"] for r in data if r["unit_code"] == "H44"}
    assert segments == {"2025-05": 0, "2025-06": 0, "2025-07": 1, "2025-08": 1, "2025-12": 1,
                        "2026-01": 2, "2026-02": 2}
    assert {"field": "segment", "type": "ordinal"} in lines["encoding"]["detail"]
    assert {r["when_label"] for r in data} >= {"tháng 7/2025", "tháng 1/2026"}
    select = [p for p in params(spec) if p.get("bind", {}).get("input") == "select"]
    # provinces named without "Tỉnh"/"Thành phố", in Vietnamese alphabetical order
    assert select and select[0]["bind"]["labels"] == ["Tất cả", "Hà Nội", "Phú Thọ"]
    assert select[0]["bind"]["options"] == [None, "H01", "H44"]
    assert_tooltips_everywhere(spec)
    assert ",.2f" in formats(spec)


def test_trend_lines_breaks_can_be_given_or_dropped() -> None:
    series = monthly_series()
    none = C.trend_lines(series, breaks=None).to_dict()
    assert not [u for u in marks(none) if mark_type(u) == "rule"]
    given = C.trend_lines(series, breaks=[("2025-08-01", "Đổi phần mềm")], language="en").to_dict()
    rows = rows_of(given, layer_with(given, "rule", "when"))
    assert rows == [{"when": "2025-08-01", "text": "Đổi phần mềm"}]
    assert titles(given).startswith("Score over time")


def test_trend_lines_need_their_columns() -> None:
    with pytest.raises(KeyError):
        C.trend_lines(monthly_series().drop("unit_name"))
    with pytest.raises(KeyError):
        C.trend_lines(monthly_series().drop("period"))


def test_rank_over_time_reverses_the_axis(national) -> None:
    spec = C.rank_over_time(national, highlight="H44").to_dict()
    line = layer_with(spec, "line", "value")
    assert line["encoding"]["y"]["scale"]["reverse"] is True
    assert line["encoding"]["y"]["scale"]["domain"] == [1, 34]
    assert line["encoding"]["y"]["axis"]["values"][:3] == [1, 5, 10]
    select = [p for p in params(spec) if p.get("bind", {}).get("input") == "select"][0]
    assert select["value"] == [{"unit_code": "H44"}] or select["value"] == "H44"
    # daily captures 2026-10-05..10: no known break inside
    assert not [u for u in marks(spec) if mark_type(u) == "rule"]
    assert len(rows_of(spec, line)) == national.height


# --- national --------------------------------------------------------------------------------------


def test_national_ranking_latest_capture(national) -> None:
    spec = C.national_ranking(national, highlight="H44").to_dict()
    bars = layer_with(spec, "bar", "total")
    rows = rows_of(spec, bars)
    assert len(rows) == 34
    latest = national.filter(pl.col("date") == "2026-10-10")
    assert sorted(r["total"] for r in rows) == sorted(latest.get_column("total").to_list())
    assert set(rows[0]) == {"unit", "unit_name", "total", "rank", "score_delta"}
    assert "Phú Thọ" in bars["encoding"]["y"]["axis"]["labelFontWeight"]["expr"]
    (mean,) = rows_of(spec, layer_with(spec, "rule", "total"))
    assert mean["total"] == pytest.approx(latest.get_column("total").mean())
    assert "10/10/2026" in titles(spec)
    earlier = C.national_ranking(national, date="2026-10-05", language="en").to_dict()
    assert "2026-10-05" in titles(earlier)
    with pytest.raises(ValueError):
        C.national_ranking(national, date="2020-01-01")


# --- files and composition ---------------------------------------------------------------------------


def test_save_chart_writes_png_and_vietnamese_svg(scored, tmp_path: Path) -> None:
    chart = C.group_bullets(scored.scorecard, scored.methodology)
    paths = C.save_chart(chart, tmp_path / "charts" / "headline")
    assert [p.name for p in paths] == ["headline.png", "headline.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "59,92/100" in svg and "7,96/18" in svg
    assert not list((tmp_path / "charts").glob(".*"))          # no temporary files left


def test_save_chart_renders_d3_formats_in_the_chart_language(scored, tmp_path: Path) -> None:
    vi = C.ranked_bars(scored.scorecard, scored.methodology, level="department")
    svg = C.save_chart(vi, tmp_path / "vi")[1].read_text(encoding="utf-8")
    assert ">71,60<" in svg and "Toàn tỉnh: 59,92" in svg and ">71.60<" not in svg
    en = C.ranked_bars(scored.scorecard, scored.methodology, level="department", language="en")
    svg = C.save_chart(en, tmp_path / "en")[1].read_text(encoding="utf-8")
    assert ">71.60<" in svg and "Province: 59.92" in svg


def test_charts_can_be_combined(scored) -> None:
    a = C.group_bullets(scored.scorecard, scored.methodology)
    b = C.class_distribution(scored.scorecard, scored.methodology)
    with pytest.raises(TypeError):
        alt.vconcat(a, b)
    both = alt.vconcat(C.without_config(a), C.without_config(b))
    both.config = alt.Config(**C.chart_config("vi"))
    spec = both.to_dict()
    assert len(spec["vconcat"]) == 2 and spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["font"] == C.theme.FONT  # the combined chart has the suite's look too


def test_the_look_is_a_registered_theme_and_a_chart_carries_its_language(scored) -> None:
    chart = C.ranked_bars(scored.scorecard, scored.methodology, level="department", language="en")
    assert alt.theme.active == C.theme.THEME
    assert set(chart.config.to_dict()) == {"locale"}
    spec = chart.to_dict()
    assert spec["config"]["font"].startswith("DejaVu Sans")
    assert spec["config"]["axis"]["labelFontSize"] == 11 and spec["config"]["view"]["stroke"] is None
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    with alt.theme.enable("default"):
        plain = chart.to_dict()
    assert "font" not in plain["config"] and plain["config"]["locale"]["number"]["decimal"] == "."
    assert alt.theme.active == C.theme.THEME


def test_known_breaks() -> None:
    assert [b.date for b in C.KNOWN_BREAKS] == [date(2025, 7, 1), date(2026, 1, 1)]


def test_chart_columns_lists_what_is_embedded(national) -> None:
    columns = C.chart_columns(C.national_ranking(national))
    assert ["rank", "score_delta", "total", "unit", "unit_name"] in columns.values()
    assert all("CKMB" not in cols and "source" not in cols for cols in columns.values())


def test_english_titles_for_every_chart(scored, national) -> None:
    m, card, detail = scored.methodology, scored.scorecard, scored.detail
    charts = [
        C.ranked_bars(card, m, level="commune", language="en", top=3, bottom=2),
        C.group_heatmap(card, m, level="department", language="en"),
        C.gap_to_full(card, m, level="department", language="en"),
        C.class_distribution(card, m, language="en"),
        C.indicator_scatter(detail, card, level="commune", language="en", methodology=m),
        C.group_bullets(card, m, language="en"),
        C.trend_lines(national, language="en"),
        C.rank_over_time(national, language="en"),
        C.national_ranking(national, language="en"),
    ]
    for chart in charts:
        spec = chart.to_dict()
        assert titles(spec) and not VIETNAMESE.search(titles(spec).replace("Phú Thọ", "")), titles(spec)
        assert spec["config"]["locale"]["number"]["thousands"] == ","


@pytest.mark.parametrize("draw", ["ranked_bars", "group_heatmap", "gap_to_full", "indicator_scatter"])
def test_a_level_the_data_lacks_is_said_on_the_chart(scored, draw) -> None:
    province_only = scored.scorecard.filter(pl.col("level") == "province")
    if draw == "indicator_scatter":
        chart = C.indicator_scatter(scored.detail, province_only, level="department", methodology=scored.methodology)
    else:
        chart = getattr(C, draw)(province_only, scored.methodology, level="department")
    text = json.dumps(chart.to_dict(), ensure_ascii=False)
    assert "không có đơn vị nào thuộc sở, ban, ngành" in text and '"rect"' not in text and '"bar"' not in text
    # each chart's place keeps its own title, so four places on one page are told apart
    title = {"ranked_bars": "Tổng điểm và xếp loại", "group_heatmap": "Điểm từng nhóm chỉ số",
             "gap_to_full": "Điểm bị mất theo nhóm chỉ số", "indicator_scatter": "So sánh hai chỉ số"}[draw]
    assert f'"text": "{title}: Sở, ban, ngành"' in text


def test_the_focus_of_a_province_only_source_is_the_province(scored) -> None:
    from analysis.report import tables

    province_only = scored.scorecard.filter(pl.col("level") == "province")
    assert tables.lowest_active(province_only, "commune") == "H44"
    assert tables.lowest_active(scored.scorecard.filter(pl.col("level") != "commune"), "commune") != "H44"
