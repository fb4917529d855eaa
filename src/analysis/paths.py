"""Where the project's folders are (dữ liệu đi kèm, báo cáo)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ANALYSIS_ROOT", Path(__file__).resolve().parents[2]))
"""The project's root: the folder holding data/, notebooks/, parameters/ (set ANALYSIS_ROOT to move it)."""

DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
PARAMETERS = ROOT / "parameters"
REPORTS = ROOT / "reports"

BUNDLED_FACTS = DATA / "portal" / "phu-tho-2026-08" / "facts.csv"
BUNDLED_PUBLISHED = DATA / "portal" / "phu-tho-2026-08" / "published.csv"
BUNDLED_RAW = DATA / "portal" / "phu-tho-2026-08" / "raw"
NATIONAL_SCORES = DATA / "portal" / "national" / "province_scores.csv"
