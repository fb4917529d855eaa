from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from analysis.paths import BUNDLED_FACTS, BUNDLED_PUBLISHED, BUNDLED_RAW, ROOT


@pytest.fixture(scope="session")
def bundled_facts() -> pl.DataFrame:
    from analysis.scoring.facts import read_facts
    from analysis.scoring.methodology import load_methodology

    return read_facts(BUNDLED_FACTS, load_methodology())


@pytest.fixture(scope="session")
def published() -> pl.DataFrame:
    return pl.read_csv(BUNDLED_PUBLISHED, schema_overrides={"period": pl.String})


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return BUNDLED_RAW


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m analysis`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=600
    )


def write_csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


FACTS_HEADER = "period,unit_code,unit_name,level,parent_code,indicator,numerator,denominator"
