"""Province boundaries for the national map (bản đồ 34 tỉnh, thành phố).

The boundaries of the 34 provinces (Open Development Vietnam's layer, dissolved by
TaliaCao/Vietnam-Shape-Map) are 3,9 MB: too heavy for a page that must stay small. They are
simplified once with Douglas–Peucker (:func:`simplify_geojson`) into
``data/reference/vn_34_provinces_simplified.geojson``, keeping every island — Hoàng Sa (Đà Nẵng)
and Trường Sa (Khánh Hòa) included — and carrying the statistics office code of each province.

    python -m analysis.io.geo SOURCE.geojson CODES.csv OUT.geojson [TOLERANCE]
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from analysis.io.load import write_bytes_atomic
from analysis.paths import DATA

SIMPLIFIED = DATA / "reference" / "vn_34_provinces_simplified.geojson"
PROVINCES = DATA / "reference" / "provinces_2025.csv"
TOLERANCE = 0.01
"""Douglas–Peucker tolerance in degrees (about 1 km): invisible at the size the map is drawn."""


def _distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from ``p`` to the segment ``a``–``b`` (in degrees, fine at this scale)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify_line(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: the fewest points within ``tolerance`` of the line (ends kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float, decimals: int = 3) -> list[list[float]]:
    """A closed ring simplified; a ring that would collapse (a small island) keeps enough points."""
    points = [(round(x, decimals), round(y, decimals)) for x, y in ring]
    simplified = simplify_line(points, tolerance)
    if len(simplified) < 4:  # an island smaller than the tolerance: keep its shape, coarsely
        simplified = simplify_line(points, tolerance / 20)
    if len(simplified) < 4:
        simplified = points
    if simplified[0] != simplified[-1]:
        simplified.append(simplified[0])
    if signed_area([list(p) for p in simplified]) == 0:  # a rock that rounding flattened: keep it as it is
        simplified = [tuple(p) for p in ring]
    return [list(p) for p in simplified]


def signed_area(ring: list[list[float]]) -> float:
    """Twice the signed area of a ring (shoelace): positive counter-clockwise, negative clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


def d3_orientation(polygon: list[list[list[float]]]) -> list[list[list[float]]]:
    """Rings wound as d3-geo (hence Vega) wants them: the exterior clockwise, holes counter-clockwise.

    d3 works on the sphere, where a counter-clockwise exterior means "everything but this
    polygon" and would paint the whole map one colour.
    """
    out = []
    for i, ring in enumerate(polygon):
        clockwise = signed_area(ring) < 0
        want_clockwise = i == 0
        out.append(ring if clockwise == want_clockwise else ring[::-1])
    return out


def simplify_geojson(geojson: dict[str, Any], codes: dict[str, tuple[str, str]], tolerance: float = TOLERANCE) -> dict[str, Any]:
    """Every feature simplified, with ``gso_code`` and ``name`` from ``codes`` (geojson code → both)."""
    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        simplified = [d3_orientation([simplify_ring(ring, tolerance) for ring in polygon]) for polygon in polygons]
        gso, name = codes[feature["properties"]["code"]]
        features.append(
            {"type": "Feature", "properties": {"gso_code": gso, "name": name},
             "geometry": {"type": "MultiPolygon", "coordinates": simplified}}
        )
    return {"type": "FeatureCollection", "features": features}


def read_codes(path: str | Path) -> dict[str, tuple[str, str]]:
    """The boundary file's own codes (VN01…) → (statistics office code, official name)."""
    with open(path, encoding="utf-8") as handle:
        return {row["code_in_geojson"]: (row["gso_province_code"], row["gso_province_name_2026"]) for row in csv.DictReader(handle)}


def province_shapes(path: str | Path = SIMPLIFIED) -> dict[str, Any]:
    """The simplified boundaries (GeoJSON FeatureCollection)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def portal_to_gso(path: str | Path = PROVINCES) -> dict[str, str]:
    """Portal province code (``H44``) → statistics office code (``25``)."""
    with open(path, encoding="utf-8") as handle:
        return {row["portal_code"]: row["gso_code"] for row in csv.DictReader(handle)}


def points(geojson: dict[str, Any]) -> int:
    """How many coordinate pairs a FeatureCollection holds."""
    return sum(len(ring) for f in geojson["features"] for polygon in f["geometry"]["coordinates"] for ring in polygon)


def main(argv: list[str]) -> int:  # pragma: no cover - a one-off preparation step
    source, codes, out, *rest = argv
    tolerance = float(rest[0]) if rest else TOLERANCE
    result = simplify_geojson(json.loads(Path(source).read_text(encoding="utf-8")), read_codes(codes), tolerance)
    write_bytes_atomic(json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), out)
    print(f"{points(result)} points, {Path(out).stat().st_size} bytes → {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
