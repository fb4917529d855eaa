"""environment.yml gives conda users the same packages and bounds as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.paths import ROOT

CONDA_NAMES = {"duckdb": "python-duckdb"}


def requirement(text: str) -> tuple[str, str]:
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[a-z,]+\])?(.*)$", text.strip()).groups()
    return name.lower(), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(requirement(d) for d in env["dependencies"] if isinstance(d, str))
    for name, spec in wanted:
        conda_name = CONDA_NAMES.get(name, name)
        assert conda.get(conda_name) == spec, f"{name}{spec} is not in environment.yml as {conda_name}{spec}"
    python = project["requires-python"].removeprefix(">=")
    assert conda["python"] == f"={python}"
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
