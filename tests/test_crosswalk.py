import polars as pl
import pytest

from analysis.scoring.crosswalk import former_districts, normalise_name, province_code_of, read_ward_crosswalk
from analysis.scoring.score import units_of


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
    from analysis.report import charts
    from analysis.scoring.score import score

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

    from analysis.scoring.crosswalk import carry_to_new_provinces

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
    from analysis.scoring.crosswalk import district_peers

    districts = former_districts(units_of(bundled_facts), read_ward_crosswalk(), province_name="UBND tỉnh Phú Thọ")
    peers = district_peers(districts, "H44.100")
    assert "H44.100" in peers and len(peers) > 1
    assert set(districts.filter(pl.col("unit_code").is_in(peers))["former_district"]) == {"Thành phố Việt Trì"}
    assert district_peers(districts, "H44.01") is None  # a department has no former district


# --- old districts and communes under the new communes ---------------------------------------

HAND_CROSSWALK = """old_province_name,old_district_name,old_ward_code,old_ward_name,new_province_code,new_ward_code,new_ward_name
Tỉnh Thử,Huyện Một,001,Xã A,99,901,Xã Mới Một
Tỉnh Thử,Huyện Một,002,Xã B,99,901,Xã Mới Một
Tỉnh Thử,Huyện Một,003,Xã C,99,902,Xã Mới Hai
Tỉnh Thử,Huyện Hai,004,Xã D,99,902,Xã Mới Hai
Tỉnh Thử,Huyện Hai,004,Xã D,99,903,Xã Mới Ba
Tỉnh Thử,Huyện Hai,005,Xã E,99,903,Xã Mới Ba
Tỉnh Khác,Huyện Một,101,Xã A,98,801,Xã Khác
"""
OLD_FACTS = """period,unit_code,unit_name,level,parent_code,indicator,numerator,denominator,published_score
2024-09,T,UBND tỉnh Thử,province,,ON_TIME,100,200,
2024-09,T.1,UBND huyện Một,district,T,ON_TIME,30,60,
2024-09,T.1,UBND huyện Một,district,T,AVG_PROCESSING_DAYS,4,1,
2024-09,T.2,UBND Huyện Hai - Tỉnh Thử,district,T,ON_TIME,8,40,
2024-09,T.3,UBND huyện Không Có,district,T,ON_TIME,1,2,
2024-10,T.2,UBND huyện Hai,district,T,CLGQ,,,6.5
2024-10,T.2.4,UBND xã D,commune,T.2,ON_TIME,10,20,
"""


def test_old_districts_roll_up_with_stated_weights(tmp_path):
    from analysis.scoring.crosswalk import WEIGHTING, roll_up_to_new_communes
    from analysis.scoring.facts import read_facts

    (tmp_path / "old.csv").write_text(OLD_FACTS, encoding="utf-8")
    facts = read_facts(tmp_path / "old.csv")
    crosswalk = pl.read_csv(HAND_CROSSWALK.encode(), infer_schema=False)
    rolled = roll_up_to_new_communes(facts, old_province="Tỉnh Thử", crosswalk=crosswalk)
    weights = {(o, n): round(w, 6) for o, n, w in rolled.weights.select("old_unit_code", "new_ward_code", "weight").rows()}
    # Huyện Một: A and B went to 901, C to 902; Huyện Hai: D split between 902 and 903 (½ each), E to 903
    assert weights == {("T.1", "901"): round(2 / 3, 6), ("T.1", "902"): round(1 / 3, 6),
                       ("T.2", "902"): 0.25, ("T.2", "903"): 0.75,
                       ("T.2.4", "902"): 0.5, ("T.2.4", "903"): 0.5}
    got = {(p, u): (round(n, 6), round(d, 6)) for p, u, n, d in
           rolled.facts.filter(pl.col("indicator") == "ON_TIME").select("period", "unit_code", "numerator", "denominator").rows()}
    assert got == {
        ("2024-09", "901"): (20.0, 40.0),               # ⅔ of 30/60
        ("2024-09", "902"): (10.0 + 2.0, 20.0 + 10.0),  # ⅓ of 30/60 + ¼ of 8/40
        ("2024-09", "903"): (6.0, 30.0),                # ¾ of 8/40
        ("2024-10", "902"): (5.0, 10.0),                # half of the split commune D
        ("2024-10", "903"): (5.0, 10.0),
    }
    assert set(rolled.facts["level"]) == {"commune"} and "Xã Khác" not in rolled.facts["unit_name"].to_list()
    reasons = {(u, i): r for u, _, i, r in rolled.unmatched.rows()}
    assert reasons == {("T.3", None): "not in the crosswalk (name and district)",
                       ("T.1", "AVG_PROCESSING_DAYS"): "a mean cannot be summed",
                       ("T.2", "CLGQ"): "a published score without counts cannot be summed"}
    assert "1/k" in WEIGHTING


def test_real_districts_roll_up_without_losing_counts():
    from analysis.scoring.crosswalk import roll_up_to_new_communes

    # Bắc Kạn's 8 districts before the reform (digitised dossiers at receipt, September 2024 report)
    received = {"Ba Bể": (541, 653), "Ngân Sơn": (513, 554), "Chợ Mới": (741, 957), "Bạch Thông": (593, 593),
                "Pác Nặm": (540, 656), "Chợ Đồn": (646, 824), "Na Rì": (818, 1093)}
    rows = [("2024-09", f"BK.{i}", f"UBND huyện {name}", "district", "BK", "SO_HOA_GIAY_TO_GIAI_QUYET", n, d)
            for i, (name, (n, d)) in enumerate(received.items())]
    rows.append(("2024-09", "BK.9", "UBND thành phố Bắc Kạn", "district", "BK", "SO_HOA_GIAY_TO_GIAI_QUYET", 765, 775))
    facts = pl.DataFrame(rows, schema=["period", "unit_code", "unit_name", "level", "parent_code", "indicator",
                                       "numerator", "denominator"], orient="row").with_columns(
        pl.lit(None, dtype=pl.Float64).alias("published_score"), pl.lit(None, dtype=pl.Date).alias("as_of"))
    rolled = roll_up_to_new_communes(facts, old_province="Tỉnh Bắc Kạn")
    assert rolled.unmatched.is_empty()
    assert set(rolled.facts["parent_code"]) == {"19"}  # all under the new Thái Nguyên
    assert rolled.facts["numerator"].sum() == pytest.approx(sum(n for n, _ in received.values()) + 765)
    assert rolled.facts["denominator"].sum() == pytest.approx(sum(d for _, d in received.values()) + 775)
    per_district = rolled.weights.group_by("old_unit_code").agg(pl.col("weight").sum())
    assert per_district["weight"].round(9).to_list() == [1.0] * 8
