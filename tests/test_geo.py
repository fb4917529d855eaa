"""The simplified boundaries and the national map."""

from __future__ import annotations

import polars as pl

from analysis.io import geo
from analysis.paths import NATIONAL_SCORES
from analysis.report import charts


def extent(feature):
    xs = [x for polygon in feature["geometry"]["coordinates"] for ring in polygon for x, _ in ring]
    return min(xs), max(xs)


def test_simplified_boundaries_are_small_complete_and_keep_the_islands():
    shapes = geo.province_shapes()
    assert len(shapes["features"]) == 34
    assert geo.SIMPLIFIED.stat().st_size < 300_000
    by_name = {f["properties"]["name"]: f for f in shapes["features"]}
    assert extent(by_name["Thành phố Đà Nẵng"])[1] > 111.5   # Hoàng Sa
    assert extent(by_name["Tỉnh Khánh Hòa"])[1] > 114.0      # Trường Sa
    assert set(geo.portal_to_gso().values()) == {f["properties"]["gso_code"] for f in shapes["features"]}


def test_rings_are_wound_the_way_d3_draws_them():
    for feature in geo.province_shapes()["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            assert geo.signed_area(polygon[0]) < 0  # exterior clockwise
            assert all(geo.signed_area(hole) > 0 for hole in polygon[1:])
            assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in polygon)


def test_douglas_peucker_keeps_corners_and_drops_points_on_a_line():
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 2.0)]
    assert geo.simplify_line(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)]


def test_the_map_colours_every_province_by_its_total_and_outlines_the_chosen_one():
    national = pl.read_csv(NATIONAL_SCORES)
    spec = charts.national_map(national, geo.province_shapes(), geo.portal_to_gso(), highlight="H44").to_dict()
    features = spec["layer"][0]["data"]["values"]
    latest = national.filter(pl.col("date") == national["date"].max())
    totals = {f["properties"]["full_name"]: f["properties"]["value"] for f in features}
    assert len(totals) == 34 and None not in totals.values()
    assert totals["UBND tỉnh Phú Thọ"] == latest.filter(pl.col("unit_code") == "H44")["total"].item()
    assert [f["properties"]["full_name"] for f in features if f["properties"]["highlight"]] == ["UBND tỉnh Phú Thọ"]
    assert any(layer.get("mark", {}).get("type") == "text" for layer in spec["layer"])  # the archipelagos named
