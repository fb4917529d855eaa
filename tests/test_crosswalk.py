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


def test_old_provinces_are_carried_to_the_new_one_as_sums():
    from datetime import date

    from analysis.crosswalk import carry_to_new_provinces

    rows = []
    for code, name, on_time, received in (("H25", "UBND tỉnh Phú Thọ", 900, 1000), ("H26", "UBND Tỉnh Vĩnh Phúc", 450, 500),
                                          ("H17", "UBND tỉnh Hoà Bình", 200, 400), ("H01", "UBND thành phố Hà Nội", 10, 10)):
        rows.append(("2025-06", code, name, "province", None, "ON_TIME", float(on_time), float(received), None, date(2025, 6, 30)))
        rows.append(("2025-06", code, name, "province", None, "AVG_PROCESSING_DAYS", 5.0, 1.0, None, date(2025, 6, 30)))
    rows.append(("2025-06", "H99", "UBND tỉnh Không Có", "province", None, "ON_TIME", 1.0, 1.0, None, None))
    facts = pl.DataFrame(rows, schema={"period": pl.String, "unit_code": pl.String, "unit_name": pl.String, "level": pl.String,
                                        "parent_code": pl.String, "indicator": pl.String, "numerator": pl.Float64,
                                        "denominator": pl.Float64, "published_score": pl.Float64, "as_of": pl.Date}, orient="row")
    carried, left_out = carry_to_new_provinces(facts)
    phu_tho = carried.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "ON_TIME")).row(0, named=True)
    assert (phu_tho["numerator"], phu_tho["denominator"]) == (1550.0, 1900.0)  # a ratio of sums
    assert carried.filter(pl.col("unit_code") == "H26")["numerator"].to_list() == [10.0]  # Hà Nội stays Hà Nội (H26 now)
    reasons = dict(left_out.group_by("reason").len().iter_rows())
    assert reasons == {"a mean cannot be summed": 4, "no new province for this name": 1}
    # every input row is either carried (4 ON_TIME rows summed into 2) or left out with a reason
    assert carried.height == 2 and len(rows) == left_out.height + 4


def test_district_peers_are_the_communes_of_the_same_former_district(bundled_facts):
    from analysis.crosswalk import district_peers

    districts = former_districts(units_of(bundled_facts), read_ward_crosswalk(), province_name="UBND tỉnh Phú Thọ")
    peers = district_peers(districts, "H44.100")
    assert "H44.100" in peers and len(peers) > 1
    assert set(districts.filter(pl.col("unit_code").is_in(peers))["former_district"]) == {"Thành phố Việt Trì"}
    assert district_peers(districts, "H44.01") is None  # a department has no former district
