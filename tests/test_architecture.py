"""The package keeps its shape: small modules and functions, no import cycle, lint and types clean.

The figures come from benchmarks/code_shape.py, which prints them; here they are limits.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.contract import INDICATORS
from analysis.paths import ROOT

PACKAGE = ROOT / "src" / "analysis"
MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 80


def _code_shape():
    spec = importlib.util.spec_from_file_location("code_shape", ROOT / "benchmarks" / "code_shape.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHAPE = _code_shape()


def test_no_module_over_the_limit():
    too_long = {
        SHAPE.module_name(f, PACKAGE): n
        for f in PACKAGE.rglob("*.py")
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"


def test_no_function_over_the_limit():
    over = SHAPE.shape(PACKAGE)["functions_over_80"]
    assert not over, f"functions over {MAX_FUNCTION_LINES} lines: {over}"


def test_no_import_cycle():
    assert SHAPE.shape(PACKAGE)["import_cycles"] == []


def test_cycle_finder_finds_a_cycle(tmp_path):
    """The check above can fail: two modules importing each other, one inside a function, are a cycle."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import g\n\ndef f():\n    return g()\n")
    (pkg / "b.py").write_text("def g():\n    from pkg import a\n    return a\n")
    assert SHAPE.shape(pkg)["import_cycles"] == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize("tool", ["ruff", "pyright"])
def test_hygiene_gate(tool):
    """`ruff check` on the code, tests and benchmarks, and pyright on src/, are clean."""
    exe = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    assert exe, f"{tool} is not installed (it is in the test extra: make setup)"
    if tool == "ruff":
        args = [exe, "check", "src", "tests", "benchmarks"]
    else:  # the interpreter running the tests tells pyright where polars & co. are installed
        args = [exe, "--pythonpath", sys.executable, "src"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_architecture_names_every_indicator():
    """ARCHITECTURE.md's table finds each rule of the index by its id: every id of the contract is there."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [i for i in INDICATORS if f"| `{i}` |" not in text]
    assert not missing, f"ARCHITECTURE.md has no row for {missing}"


def test_scoring_says_nothing_to_the_reader():
    """Scores are computed in scoring/, put into words in report/: no scoring module imports report."""
    import ast

    against = {}
    for path in (PACKAGE / "scoring").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            hits = [n for n in names if n == "analysis.report" or n.startswith("analysis.report.")]
            if hits:
                against.setdefault(SHAPE.module_name(path, PACKAGE), []).extend(hits)
    assert against == {}, f"scoring modules importing report: {against}"
