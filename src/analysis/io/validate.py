"""``validate``: check input files and report every problem with file, row and column."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.contract import normalise_header
from analysis.errors import InputError, Problem
from analysis.io.load import read_table, rename_columns
from analysis.io.portal import read_portal
from analysis.io.records import detect_table
from analysis.io.scan import describe_file
from analysis.scoring.facts_check import ALIASES as FACT_ALIASES
from analysis.scoring.facts_check import check_facts
from analysis.scoring.methodology import Methodology, load_methodology

KINDS: dict[str, tuple[str, ...]] = {
    "facts": ("indicator", "numerator", "denominator"),
    "portal": ("endpoint", "measure", "value"),  # the collectors' long CSV
}
"""A table's kind, recognised by the columns only that kind has."""


def detect_kind(columns: Sequence[str]) -> str | None:
    names = {normalise_header(c) for c in columns}
    for kind, marks in KINDS.items():
        if all(m in names for m in marks):
            return kind
    return None


def describe_portal(path: str, methodology: Methodology, period: str | None = None) -> str:
    """Check saved portal responses or the long CSV through the facts checks; a one-line summary."""
    data = read_portal(path, period=period, methodology=methodology)
    return f"{path}: portal figures, {data.facts.height} facts rows for {data.published.height} units, no problems"


def validate_files(files: Sequence[str], *, methodology: str = "portal-2025", period: str | None = None) -> int:
    """Check each file; print every problem; return 2 when any file has one, else 0."""
    method = load_methodology(methodology)
    problems: list[Problem] = []
    for path in files:
        try:
            if Path(path).is_dir() or path.lower().endswith(".json"):
                print(describe_portal(path, method, period))
                continue
            # records first: their reader rejects ragged rows one by one and never quotes
            # the cells of a row (they may hold personal data)
            if detect_table(path) is not None:
                print(describe_file(path))
                continue
            raw = read_table(path)
            if detect_kind(raw.columns) == "portal":
                print(describe_portal(path, method, period))
                continue
            if detect_kind(raw.columns) != "facts":
                raise InputError(Problem(path, "not a table this suite knows (facts, portal figures, dossiers, procedures, petitions)", 1))
            facts = check_facts(rename_columns(raw, FACT_ALIASES, source=path), source=path, methodology=method)
            print(f"{path}: facts, {facts.height} rows, no problems")
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        print(InputError(problems, limit=200).render(), file=sys.stderr)
        return 2
    return 0
