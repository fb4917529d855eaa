"""The methodology files: structure, rules, alternatives and the provincial variant."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.contract import schema
from analysis.errors import InputError
from analysis.scoring.methodology import available_methodologies, load_methodology
from analysis.scoring.score import score


def test_bundled_versions():
    assert {"portal-2025", "five-group-2022", "dien-bien-459-2023"} <= set(available_methodologies())


def test_portal_groups_and_maxima():
    m = load_methodology("portal-2025")
    assert [(g.code, g.max) for g in m.groups] == [
        ("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDHL", 18), ("MDSH", 22)
    ]
    assert m.attainable("commune") == 100
    targets = {i.id: i.target for i in m.indicators if i.rule == "target"}
    assert targets == {
        "ONLINE_PROVISION": 0.8, "ONLINE_DOSSIER": 0.5, "PAYMENT_FORMALITY": 0.8, "FEE_INTEGRATED": 0.8,
        "DOSSIER_RECEIVING_SATISFACTION": 0.9, "REUSED_DIGITIZED_DATA": 0.8,
    }


@pytest.mark.parametrize(
    "indicator,ratio,points",
    [
        ("ON_TIME", 0.7838, 15.676),             # linear: 20 × r
        ("ONLINE_DOSSIER", 0.25, 3.0),           # target 50 %: 6 × 0.25 / 0.5
        ("ONLINE_DOSSIER", 0.9, 6.0),            # capped at the maximum
        ("PUBLISH_ON_TIME", None, 0.0),          # no ratio: 0, the group max stays 18
        ("PETITION_PROCESSING_ON_TIME", None, 6.0),  # no petitions: full marks
        ("DOSSIER_RECEIVING_SATISFACTION", None, 0.0),
        ("ELECTRONIC_CERTIFIED_COPY", 0.1, 2.0),  # ratio fixed at 100 %
        ("AVG_PROCESSING_DAYS", 7.05, 0.0),      # shown, 0 points
    ],
)
def test_indicator_rules(indicator, ratio, points):
    assert points_for(load_methodology(), indicator, ratio) == pytest.approx(points)


def points_for(methodology, indicator: str, ratio: float | None) -> float:
    """The points the scoring engine gives one commune for one indicator's ratio (None: no data)."""
    counts = (None, None) if ratio is None else (ratio * 10_000, 10_000.0)
    if ratio is not None and methodology.indicator(indicator).measure == "mean":
        counts = (ratio, 1.0)
    facts = pl.DataFrame([("2026-08", "X1", "UBND xã Thử", "commune", "P", indicator, *counts, None, None)],
                         schema=schema("facts"), orient="row")
    detail = score(facts, methodology).detail
    return detail.filter(pl.col("indicator") == indicator)["score_exact"].item()


def test_five_group_presentation_sums_clgq_and_tttt(bundled_facts):
    six = score(bundled_facts, "portal-2025").scorecard
    five = score(bundled_facts, "five-group-2022").scorecard
    assert five.columns[5:10] == ["CKMB", "TDGQ", "ONLINE_SERVICE", "MDHL", "MDSH"]
    joined = six.join(five, on="unit_code", suffix="_5")
    gap = joined.select((pl.col("CLGQ") + pl.col("TTTT") - pl.col("ONLINE_SERVICE")).abs().max()).item()
    assert gap < 1e-9
    assert joined.select((pl.col("total") - pl.col("total_5")).abs().max()).item() < 1e-9


def dien_bien_commune(points_lost_on_time: float) -> pl.DataFrame:
    """A commune whose Điện Biên indicators score 81,52 of an attainable 85."""
    rows = [
        ("PUBLIC_UPDATE_ON_TIME", 10, 10),       # 5
        ("ON_TIME", 30 - points_lost_on_time, 30),  # 30 × r
        ("ONLINE_DOSSIER", 10, 10),              # 10
        ("PAYMENT_DOSSIER", 10, 10),             # 10
        ("ORIGINAL_RESULT_AVAILABLE", 10, 10),   # 5
        ("SO_HOA_GIAY_TO_GIAI_QUYET", 10, 10),   # 10
        ("PETITION_PROCESSING_ON_TIME", 1, 1),   # 5
        ("PETITION_HANDLING_SATISFACTION", 1, 1),  # 5
        ("DOSSIER_RECEIVING_SATISFACTION", 1, 1),  # 5
    ]
    return pl.DataFrame(
        [("2023-03", "X1", "UBND xã Thử", "commune", "P", i, float(n), float(d), None, None) for i, n, d in rows],
        schema={"period": pl.String, "unit_code": pl.String, "unit_name": pl.String, "level": pl.String,
                "parent_code": pl.String, "indicator": pl.String, "numerator": pl.Float64,
                "denominator": pl.Float64, "published_score": pl.Float64, "as_of": pl.Date},
        orient="row",
    )


def test_dien_bien_commune_total_is_renormalised_to_100():
    m = load_methodology("dien-bien-459-2023")
    assert m.attainable("commune") == 85 and m.attainable("department") == 100
    card = score(dien_bien_commune(3.48), m).scorecard   # 30 × 26.52/30 = 26.52 → 81.52 points
    row = card.row(0, named=True)
    assert row["points"] == pytest.approx(81.52)
    assert row["total"] == pytest.approx(95.91)  # 81.52 ÷ 85 × 100 → the published 95,9
    assert row["class"] == "excellent"


def test_alternative_patches_a_rule():
    base = load_methodology("portal-2025")
    alt = load_methodology("portal-2025+so_hoa_target_80")
    assert points_for(base, "SO_HOA_GIAY_TO_GIAI_QUYET", 0.6) == pytest.approx(2.4)
    assert points_for(alt, "SO_HOA_GIAY_TO_GIAI_QUYET", 0.6) == pytest.approx(3.0)


def test_clgq_alternative_keeps_the_group_at_12():
    m = load_methodology("portal-2025+clgq_full_process")
    assert sum(i.max for i in m.indicators if i.component == "CLGQ") == 12
    assert m.indicator("FULL_PROCESS_ONLINE").max == 12


def test_unknown_methodology_and_alternative_are_input_errors():
    with pytest.raises(InputError, match="unknown methodology 'nope'"):
        load_methodology("nope")
    with pytest.raises(InputError, match="unknown alternative 'nope'"):
        load_methodology("portal-2025+nope")


def test_own_file_extending_a_bundled_one(tmp_path):
    own = tmp_path / "bands.yaml"
    own.write_text(
        "id: strict\nextends: portal-2025\nclasses:\n  bands:\n"
        "    - {min: 95, code: excellent, label: Xuất sắc}\n    - {min: 0, code: weak, label: Yếu}\n",
        encoding="utf-8",
    )
    m = load_methodology(str(own))
    assert m.classify(94.0) == "weak" and m.classify(95.0) == "excellent"
    assert [(b.code, b.label, b.label_en) for b in m.classes] == [("excellent", "Xuất sắc", "Xuất sắc"), ("weak", "Yếu", "Yếu")]
    assert m.group_codes == load_methodology().group_codes


def test_a_file_whose_group_points_do_not_add_up_is_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\nextends: portal-2025\nindicators:\n  - {id: ON_TIME, group: TDGQ, max: 15}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="TDGQ: its indicators sum to 15 points, not its max 20"):
        load_methodology(str(bad))


def test_history_gives_the_change_against_the_previous_month(bundled_facts):
    from analysis.scoring.score import score_period

    july = bundled_facts.with_columns(
        pl.lit("2026-07").alias("period"),
        pl.when(pl.col("indicator") == "ON_TIME").then(pl.col("numerator") * 0.9).otherwise(pl.col("numerator")).alias("numerator"),
    )
    current, series = score_period(bundled_facts, load_methodology(), "2026-08", history=[july])
    assert set(current.scorecard["period"]) == {"2026-08"} and set(series["period"]) == {"2026-07", "2026-08"}
    province = current.scorecard.filter(pl.col("unit_code") == "H44").row(0, named=True)
    before = series.filter((pl.col("unit_code") == "H44") & (pl.col("period") == "2026-07"))["total"].item()
    assert province["delta_total"] == pytest.approx(province["total"] - before)
    assert province["delta_total"] > 0  # July had 10 % fewer dossiers on time
