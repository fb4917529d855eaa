"""Charts draw their data in the same order in every run (identical runs give identical pages)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import ROOT

pytestmark = pytest.mark.slow


def test_every_comparison_chart_is_the_same_in_three_separate_processes() -> None:
    probe = Path(__file__).with_name("chart_order_probe.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    outputs = [
        subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, env=env, check=True, timeout=300).stdout
        for _ in range(3)
    ]
    assert len(outputs[0].splitlines()) == 9
    assert outputs[0] == outputs[1] == outputs[2]
