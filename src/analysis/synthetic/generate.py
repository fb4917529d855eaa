"""``python -m analysis generate``: write synthetic one-stop-shop records (dữ liệu giả lập).

Everything written is SYNTHETIC and labelled so (a ``SYNTHETIC.md`` beside the tables). The
records follow the data contract (section 3) and are calibrated on real figures:

- units (:mod:`~analysis.synthetic.units`): Phú Thọ (H44) is the real structure of the bundled
  portal facts; any other province takes its communes from the official 2025 list.
- rates (:mod:`~analysis.synthetic.profiles`): each Phú Thọ unit draws every dossier flag with
  the ratio the portal published for it in August 2026, and in that month receives exactly as
  many dossiers as the portal counted, so facts computed from the records match the portal unit
  by unit within sampling error; units of other provinces borrow the profile of a Phú Thọ unit
  of the same level.
- time (:mod:`~analysis.synthetic.seasons`): fewer dossiers on weekends and public holidays, the
  Tết slump, receipt times in office hours (online dossiers at any hour), due dates counted in
  working days (:mod:`analysis.contract.calendar`) from each procedure's legal time limit.
- records (:mod:`~analysis.synthetic.records`, :mod:`~analysis.synthetic.dossiers`,
  :mod:`~analysis.synthetic.petitions`, :mod:`~analysis.synthetic.catalogue`) and files
  (:mod:`~analysis.synthetic.writers`).

Random numbers are counter-based (:mod:`~analysis.synthetic.randoms`): the same seed gives
byte-identical files (with the same polars version).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.errors import fail
from analysis.paths import DATA
from analysis.report.formatting import integer
from analysis.synthetic.seasons import parse_months
from analysis.synthetic.units import ANCHOR_PROVINCE, anchor_units, national_units, province_code, province_units
from analysis.synthetic.writers import write_records

SYNTHETIC_DIR = DATA / "synthetic"
"""Where ``generate`` writes by default (git-ignored)."""


def main(args: argparse.Namespace) -> int:
    """``python -m analysis generate``: write synthetic records (see the module docstring)."""
    seed = int(getattr(args, "seed", 766))
    dossiers = getattr(args, "dossiers", None)
    if dossiers is not None and dossiers < 0:
        raise fail("--dossiers", f"{dossiers} is negative")
    months = parse_months(getattr(args, "months", None) or "2026-08")
    national = bool(getattr(args, "national", False))
    fmt = getattr(args, "format", None) or "parquet"
    out = Path(getattr(args, "out", None) or SYNTHETIC_DIR)
    anchor = anchor_units()
    if national:
        units = national_units(anchor)
        note = f"34 provinces, {integer(units.height)} units (Phú Thọ real; others: official 2025 commune list)"
    else:
        code = province_code(getattr(args, "province", None) or ANCHOR_PROVINCE)
        units = province_units(code, anchor)
        note = f"{code}: {units.height} units" + (" (real structure, bundled portal facts)" if code == ANCHOR_PROVINCE else " (official 2025 commune list)")
    summary = write_records(
        out, units, months, seed=seed, dossiers=dossiers, fmt=fmt, partitioned=national or bool(getattr(args, "partitioned", False)),
        personal=bool(getattr(args, "personal", False)), units_note=note,
    )
    labels = ", ".join(m.strftime("%Y-%m") for m in months)
    print(f"dữ liệu giả lập (synthetic): {integer(summary['dossiers'])} hồ sơ, {integer(summary['petitions'])} PAKN, "
          f"{integer(summary['procedures'])} dòng danh mục TTHC; {note}; tháng {labels} → {out}")
    return 0
