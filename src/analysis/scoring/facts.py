"""The facts table (bảng số liệu chỉ số): one row per period × unit × indicator.

Every source (the portal's figures, one-stop-shop records, a hand-made spreadsheet) becomes
this table, and scoring reads only it.  :func:`read_facts` reads a file or the portal's saved
responses and gives back typed facts, checked by :func:`analysis.scoring.facts_check.check_facts`;
every problem is reported with its file, row and column.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from analysis.io.load import read_table
from analysis.io.portal import read_portal
from analysis.scoring.facts_check import ALIASES, KEY, REQUIRED, SCHEMA, check_facts
from analysis.scoring.methodology import Methodology

__all__ = ["ALIASES", "KEY", "REQUIRED", "SCHEMA", "check_facts", "read_facts"]


def read_facts(path: str | os.PathLike[str], methodology: Methodology | None = None, *, period: str | None = None) -> pl.DataFrame:
    """Read a facts file (CSV, Parquet, XLSX) or saved portal responses, checked and typed.

    A folder or ``.json`` file is read as the national portal's responses
    (:func:`analysis.io.portal.read_portal`); ``period`` names their period when the folder name
    does not.
    """
    target = Path(str(path).split("#")[0])
    if target.is_dir() or target.suffix.lower() == ".json":
        return read_portal(target, period=period, methodology=methodology).facts
    raw = read_table(path, aliases=ALIASES)
    return check_facts(raw, source=str(path), methodology=methodology)
