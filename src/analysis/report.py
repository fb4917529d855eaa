"""``report``: the monthly run on a period's data.

The bundled default scores the real Phú Thọ, August 2026 portal figures and writes the
scorecard (the notebook suite builds on this).
"""

from __future__ import annotations

from pathlib import Path

from analysis.paths import BUNDLED_FACTS, REPORTS


def main(*, params: str | None = None, out: str | None = None, quiet: bool = False) -> int:
    from analysis.facts import read_facts
    from analysis.load import write_table
    from analysis.methodology import load_methodology
    from analysis.score import score

    methodology = load_methodology()
    facts = read_facts(BUNDLED_FACTS, methodology)
    scored = score(facts, methodology)
    folder = Path(out or REPORTS) / "phu-tho" / "2026-08"
    write_table(scored.detail, folder / "indicators.csv")
    write_table(scored.scorecard, folder / "scorecard.xlsx")
    target = write_table(scored.scorecard, folder / "scorecard.csv")
    print(target.resolve())
    return 0
