"""Each bundled page opens with its title and paragraph in the run's language (analysis.report.pages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis.report import pages
from analysis.run.suite import notebook_title

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize("name", sorted(pages.PAGES))
def test_a_bundled_notebook_shows_its_own_heading_and_no_fixed_one(name):
    cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert re.search(rf'open_notebook\(\s*"{name}",', code)  # the opening call shows pages.heading(name, language)
    fixed = [c for c in cells if c["cell_type"] == "markdown" and "".join(c["source"]).lstrip().startswith("# ")]
    assert not fixed, f"{name}: a heading fixed in one language"


@pytest.mark.parametrize("name", sorted(pages.PAGES))
def test_every_page_has_both_languages_and_the_index_uses_them(name):
    vi, en = pages.heading(name, "vi"), pages.heading(name, "en")
    assert vi.startswith("# ") and en.startswith("# ") and vi != en
    assert notebook_title(NOTEBOOKS / f"{name}.ipynb", name, "en") == pages.title(name, "en")
    assert notebook_title(NOTEBOOKS / f"{name}.ipynb", name, "vi") == pages.title(name, "vi")


def test_a_notebook_of_the_users_own_keeps_its_heading(tmp_path):
    own = tmp_path / "mine.ipynb"
    own.write_text(json.dumps({"cells": [{"cell_type": "markdown", "id": "mine-1", "metadata": {}, "source": ["# Báo cáo riêng\n"]}],
                               "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    assert notebook_title(own, "mine", "en") == "Báo cáo riêng"
