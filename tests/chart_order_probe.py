"""Prints a sha256 of every chart the comparison page draws from the bundled month (run in its own process)."""

from __future__ import annotations

import hashlib

from analysis.paths import BUNDLED_FACTS
from analysis.report import charts, tables
from analysis.scoring import crosswalk
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score_period, units_of


def main() -> None:
    methodology = load_methodology()
    scored, _ = score_period(read_facts(BUNDLED_FACTS, methodology), methodology, "2026-08")
    card, detail = scored.scorecard, scored.detail
    root = tables.root_unit(card, "H44")
    districts = crosswalk.former_districts(units_of(card), crosswalk.read_ward_crosswalk(), province_name=root["unit_name"])
    built = {"former_district_strip": charts.former_district_strip(card, districts, methodology, language="vi", highlight="H44.100")}
    for level in ("department", "commune"):
        for name in ("ranked_bars", "group_heatmap", "gap_to_full"):
            built[f"{name}-{level}"] = getattr(charts, name)(card, methodology, level=level, language="vi")
        built[f"indicator_scatter-{level}"] = charts.indicator_scatter(detail, card, level=level, language="vi", methodology=methodology)
    for name, chart in sorted(built.items()):
        print(name, hashlib.sha256(chart.to_json(indent=None).encode("utf-8")).hexdigest())


if __name__ == "__main__":
    main()
