import polars as pl
import pytest

from analysis.crosswalk import former_districts, normalise_name, province_code_of, read_ward_crosswalk
from analysis.score import units_of


@pytest.mark.parametrize(
    "a,b",
    [("UBND Xã Hòa Bình - Tỉnh Phú Thọ", "xã hoà bình"), ("Phường Thủy Nguyên", "phường thuỷ nguyên"),
     ("UBND phường Khỏe", "phường khoẻ"), ("Xã Hoàng An", "xã hoàng an")],
)
def test_names_match_across_tone_placement_prefixes_and_suffixes(a, b):
    assert normalise_name(a) == b


def test_every_phu_tho_commune_gets_its_former_district(bundled_facts):
    crosswalk = read_ward_crosswalk()
    assert province_code_of("UBND tỉnh Phú Thọ", crosswalk) == "25"
    units = units_of(bundled_facts)
    found = former_districts(units, crosswalk, province_name="UBND tỉnh Phú Thọ")
    assert found.height == 148 == units.filter(pl.col("level") == "commune").height
    # the new Phú Thọ is the old Phú Thọ, Vĩnh Phúc and Hòa Bình
    assert set(found["former_province"]) == {"Tỉnh Phú Thọ", "Tỉnh Vĩnh Phúc", "Tỉnh Hoà Bình"}
    # Phường Việt Trì (H44.100) lies in the old city of Việt Trì
    assert found.filter(pl.col("unit_code") == "H44.100")["former_district"].item() == "Thành phố Việt Trì"


def test_former_district_chart_shows_every_commune_once(bundled_facts):
    from analysis import charts
    from analysis.score import score

    scored = score(bundled_facts)
    districts = former_districts(units_of(bundled_facts), read_ward_crosswalk(), province_name="UBND tỉnh Phú Thọ")
    spec = charts.former_district_strip(scored.scorecard, districts, scored.methodology, highlight="H44.100").to_dict()
    datasets = spec["datasets"]
    communes = max(datasets.values(), key=len)
    assert len(communes) == 148
    assert {"unit_name", "former_district", "total"} <= set(communes[0])
    assert "unit_code" not in spec["layer"][0].get("encoding", {})
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert any(p["name"] == "former_district" and p["bind"]["input"] == "select" for p in params)
    assert spec["title"]["text"].startswith("Xã, phường so với các đơn vị cùng huyện cũ")
