"""Run parameters: every rule of a parameters file, through the command line as a user meets it.

A bad file must stop the run before anything is written, with exit status 2 and a message that
names the file, the line and the key (no traceback).  Expected line numbers are found by
searching the YAML text written here, not taken from the code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from analysis.errors import InputError
from analysis.params import (
    DEFAULT_TARGETS,
    NOTEBOOK_PARAMETERS,
    ParameterError,
    load_parameters,
    validate_notebook_parameters,
)
from analysis.paths import BUNDLED_FACTS, BUNDLED_PUBLISHED, NATIONAL_SCORES, PARAMETERS, ROOT
from tests.conftest import run_cli

GOOD = {
    "scope": "H44",
    "scope_slug": "phu-tho",
    "period": '"2026-08"',
    "facts": str(BUNDLED_FACTS),
    "published": str(BUNDLED_PUBLISHED),
    "national": str(NATIONAL_SCORES),
    "history": "[]",
    "methodology": "portal-2025",
    "language": "vi",
    "targets": "{online_payment: 0.25, online_dossier: 0.5, on_time: 0.95, satisfaction: 0.9, digitised: 0.5}",
    "notebooks": "[scorecard, comparison, trends, data_quality]",
}


def yaml_text(**changes: str | None) -> str:
    """The good parameters with some values changed (None drops the key); one key a line."""
    values = {**GOOD, **changes}
    lines = ["# tham số thử", ""]
    lines += [f"{k}: {v}" for k, v in values.items() if v is not None]
    return "\n".join(lines) + "\n"


def line_of(text: str, key: str) -> int:
    """1-based line of ``key:`` in ``text`` (found independently of the code under test)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*:", line):
            return number
    raise AssertionError(f"{key} not in the YAML")


def run_report(tmp_path: Path, text: str, name: str = "run.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("report", "--params", str(path), "--out", str(out))
    return path, out, result


def assert_rejected(result, path: Path, out: Path, *, line: int, key: str, says: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr
    pattern = rf"{re.escape(str(path))}, line {line}, key '{re.escape(key)}': [^\n]*{re.escape(says)}"
    assert re.search(pattern, message), message
    assert not out.exists(), "nothing may be written when the parameters are bad"


def test_the_bundled_parameters_are_valid():
    params = load_parameters(PARAMETERS / "phu-tho-2026-08.yaml")
    assert (params.scope, params.scope_slug, params.period, params.language) == ("H44", "phu-tho", "2026-08", "vi")
    assert params.facts == BUNDLED_FACTS
    assert [n.name for n in params.notebooks] == ["scorecard", "comparison", "trends", "data_quality"]
    assert params.targets["online_payment"] == 0.25


def test_for_notebook_is_flat_strings_numbers_and_dicts():
    values = load_parameters(PARAMETERS / "phu-tho-2026-08.yaml").for_notebook()
    for key, value in values.items():
        assert isinstance(value, (str, int, float, dict)), (key, value)
        if isinstance(value, dict):
            assert all(isinstance(v, (int, float)) for v in value.values())
    json.dumps(values)  # papermill writes them into the notebook
    assert set(values) <= set(NOTEBOOK_PARAMETERS)
    assert values["facts"] == str(BUNDLED_FACTS)


def test_parameters_are_frozen():
    params = load_parameters(PARAMETERS / "phu-tho-2026-08.yaml")
    with pytest.raises(ValidationError):
        params.period = "2026-09"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "key", "says"),
    [
        ({"langauge": "vi", "language": None}, "langauge", "did you mean 'language'"),
        ({"language": "fr"}, "language", "must be one of vi, en"),
        ({"methodology": "portal-2024"}, "methodology", "did you mean 'portal-2025'"),
        ({"period": '"2026-13"'}, "period", "is not a period"),
        ({"period": "2026-08-01"}, "period", 'quote it: period: "2026-08"'),
        ({"scope_slug": "Phú Thọ"}, "scope_slug", "lower-case letters"),
        ({"scope": "H 44"}, "scope", "no spaces"),
        ({"facts": "data/khong-co/facts.csv"}, "facts", "file not found"),
        ({"published": "data/khong-co/published.csv"}, "published", "file not found"),
        ({"national": "[1, 2]"}, "national", "must be a file path"),
        ({"history": "data/khong-co.csv"}, "history[0]", "file not found"),
        ({"notebooks": "[scorcard, trends]"}, "notebooks[0]", "did you mean 'scorecard'"),
        ({"notebooks": "[trends, trends]"}, "notebooks[1]", "listed twice"),
        ({"notebooks": "[]"}, "notebooks", "non-empty list"),
        ({"notebooks": "[khong-co.ipynb]"}, "notebooks[0]", "notebook not found"),
        ({"targets": "{on_time: 95}"}, "targets.on_time", "write 0.95 for 95 %"),
        ({"targets": "{on_time: -0.1}"}, "targets.on_time", "between 0 and 1"),
        ({"targets": "{on_time: cao}"}, "targets.on_time", "must be a number"),
        ({"targets": "{online_paymnt: 0.3}"}, "targets.online_paymnt", "did you mean 'online_payment'"),
        ({"targets": "[0.25]"}, "targets", "must be a mapping"),
        ({"timeout": "0"}, "timeout", "whole number of seconds"),
        ({"scope": '""'}, "scope", "must not be empty"),
        ({"data_source": '"' + "báo cáo " * 30 + '"'}, "data_source", "at most 160 characters (got 239)"),
        ({"data_source": '"báo cáo\\atháng 9"'}, "data_source", "cannot be shown (U+0007, character 8)"),
    ],
)
def test_each_rule_names_file_line_and_key(tmp_path, changes, key, says):
    text = yaml_text(**changes)
    path, out, result = run_report(tmp_path, text)
    line = line_of(text, key.split("[")[0].split(".")[0])
    if "." in key:  # a key inside the targets mapping: all on one line here
        line = line_of(text, "targets")
    assert_rejected(result, path, out, line=line, key=key, says=says)


def test_nested_keys_on_their_own_lines(tmp_path):
    text = yaml_text(targets=None, notebooks=None) + "targets:\n  on_time: 0.95\n  satisfaction: 1.5\nnotebooks:\n  - scorecard\n  - trend\n"
    path, out, result = run_report(tmp_path, text)
    lines = text.splitlines()
    assert_rejected(result, path, out, line=lines.index("  satisfaction: 1.5") + 1, key="targets.satisfaction", says="between 0 and 1")
    assert_rejected(result, path, out, line=lines.index("  - trend") + 1, key="notebooks[1]", says="did you mean 'trends'")


def test_a_missing_required_key(tmp_path):
    path, out, result = run_report(tmp_path, yaml_text(facts=None))
    assert_rejected(result, path, out, line=1, key="facts", says="required")


def test_every_problem_is_reported_at_once(tmp_path):
    text = yaml_text(language="fr", period='"2026-13"', colour="red")
    path, out, result = run_report(tmp_path, text)
    for key in ("language", "period", "colour"):
        assert f"line {line_of(text, key)}, key '{key}'" in result.stderr
    assert result.returncode == 2


def test_a_key_given_twice(tmp_path):
    text = yaml_text() + "language: en\n"
    path, out, result = run_report(tmp_path, text)
    assert_rejected(result, path, out, line=len(text.splitlines()), key="language", says="key given twice")


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = yaml_text() + "targets: {on_time: 0.9\nlanguage: vi\n"
    path, out, result = run_report(tmp_path, text)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(str(path))}, line \d+: not valid YAML", result.stderr), result.stderr


def test_merge_keys_keep_the_files_own_lines(tmp_path):
    # a merge key (<<) is folded into the values; the lines of keys stay the file's own
    text = "<<: {language: en}\n" + yaml_text(targets=None) + "base: &base {on_time: 0.9, satisfaction: 0.8}\n"
    text += "targets:\n  <<: *base\n  on_time: 95\n"
    path, out, result = run_report(tmp_path, text)
    lines = text.splitlines()
    assert_rejected(result, path, out, line=lines.index("  on_time: 95") + 1, key="targets.on_time", says="0.95 for 95 %")
    assert "key given twice" not in result.stderr


def test_a_date_that_does_not_exist(tmp_path):
    text = yaml_text() + "as_of: 2026-02-30\n"
    path, out, result = run_report(tmp_path, text)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{path}, line {len(text.splitlines())}: '2026-02-30' is not a date" in result.stderr, result.stderr


def test_not_a_mapping(tmp_path):
    path, out, result = run_report(tmp_path, "- scope: H44\n")
    assert result.returncode == 2
    assert f"{path}, line 1: a parameters file must be a mapping" in result.stderr


def test_missing_parameters_file(tmp_path):
    result = run_cli("report", "--params", str(tmp_path / "khong-co.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "khong-co.yaml: parameters file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_scope_not_in_the_facts(tmp_path):
    text = yaml_text(scope="H99")
    path, out, result = run_report(tmp_path, text)
    assert result.returncode == 2, result.stderr
    assert f"{path}, line {line_of(text, 'scope')}, key 'scope': unit 'H99' not in the facts" in result.stderr
    assert "Traceback" not in result.stderr


def test_period_not_in_the_facts(tmp_path):
    text = yaml_text(period='"2026-07"')
    path, out, result = run_report(tmp_path, text)
    assert result.returncode == 2
    assert f"line {line_of(text, 'period')}, key 'period': no facts for period 2026-07" in result.stderr
    assert "periods there: 2026-08" in result.stderr


def test_relative_paths_are_read_from_the_project_root(tmp_path):
    """A file in <root>/parameters/ reads paths from <root>; elsewhere from its own folder."""
    (tmp_path / "data").mkdir()
    facts = tmp_path / "data" / "facts.csv"
    facts.write_bytes(BUNDLED_FACTS.read_bytes())
    (tmp_path / "parameters").mkdir()
    in_parameters = tmp_path / "parameters" / "run.yaml"
    in_parameters.write_text(yaml_text(facts="data/facts.csv", published=None, national=None), encoding="utf-8")
    assert load_parameters(in_parameters).facts == facts
    beside = tmp_path / "data" / "run.yaml"
    beside.write_text(yaml_text(facts="facts.csv", published=None, national=None), encoding="utf-8")
    assert load_parameters(beside).facts == facts
    with pytest.raises(InputError, match="relative paths are read from"):
        (tmp_path / "parameters" / "wrong.yaml").write_text(yaml_text(facts="facts.csv"), encoding="utf-8")
        load_parameters(tmp_path / "parameters" / "wrong.yaml")


def test_defaults_for_optional_keys(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text(yaml_text(methodology=None, language=None, targets=None, notebooks=None, published=None, national=None, history=None))
    params = load_parameters(path)
    assert (params.methodology_id, params.language, params.published, params.national, params.history) == ("portal-2025", "vi", None, None, ())
    assert dict(params.targets) == dict(DEFAULT_TARGETS)
    assert [n.name for n in params.notebooks] == ["scorecard", "comparison", "trends", "data_quality"]


# --------------------------------------------------------------------------------------------
# inside a notebook: values arrive as strings


def notebook_values(**changes):
    values = {
        "scope": "H44",
        "scope_slug": "phu-tho",
        "period": "2026-08",
        "facts": "data/portal/phu-tho-2026-08/facts.csv",
        "published": "",
        "national": "",
        "history": "",
        "methodology": "portal-2025",
        "language": "vi",
        "targets": {},
        "output_dir": "",
        "scored": "",
    }
    return {**values, **changes}


def test_notebook_values_are_coerced():
    p = validate_notebook_parameters(**notebook_values(targets="{on_time: '0,9', online_payment: 0.3}", history=f"{BUNDLED_FACTS};{BUNDLED_FACTS}"))
    assert p.targets["on_time"] == pytest.approx(0.9)
    assert p.targets["online_payment"] == pytest.approx(0.3)
    assert p.targets["digitised"] == DEFAULT_TARGETS["digitised"]
    assert p.facts == ROOT / "data/portal/phu-tho-2026-08/facts.csv"
    assert p.history == (BUNDLED_FACTS, BUNDLED_FACTS)
    assert p.output_dir is None and p.scored_dir is None
    assert p.methodology.id == "portal-2025"


def test_notebook_scores_itself_without_a_scored_folder():
    p = validate_notebook_parameters(**notebook_values())
    province = p.scored.scorecard.filter(p.scored.scorecard["unit_code"] == "H44")
    assert province["total"].item() == pytest.approx(59.92, abs=0.01)  # the portal's published total


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"period": "tháng 8"}, "key 'period': 'tháng 8' is not a period"),
        ({"language": "fr"}, "key 'language': must be one of vi, en"),
        ({"targets": "{on_time: 95}"}, "key 'targets.on_time': must be between 0 and 1"),
        ({"targets": "on_time"}, "key 'targets': must be a mapping"),
        ({"facts": "data/khong-co.csv"}, "key 'facts': file not found"),
        ({"perod": "2026-08"}, "key 'perod': unknown parameter (did you mean 'period'?)"),
        ({"scored": "data"}, "key 'scored': no scorecard.parquet"),
    ],
)
def test_notebook_values_fail_clearly(changes, says):
    with pytest.raises(ParameterError) as caught:
        validate_notebook_parameters(**notebook_values(**changes))
    assert says in str(caught.value)


def test_the_notebook_context_is_typed():
    ctx = validate_notebook_parameters(**notebook_values(national=str(NATIONAL_SCORES)))
    assert ctx.span.code == "2026-08" and ctx.span.kind == "month"
    assert ctx.language == "vi" and ctx.methodology.id == "portal-2025"
    assert ctx.province["unit_code"] == "H44"
    assert ctx.levels == ["department", "commune"]  # Phú Thọ after the 2025 reform: no districts
    assert ctx.national_scores is not None and "H44" in ctx.national_scores["unit_code"].to_list()
    assert ctx.scorecard is ctx.scored.scorecard  # scored once, read many times


def test_keys_of_the_run_itself_are_not_notebook_parameters():
    with pytest.raises(ParameterError) as caught:
        validate_notebook_parameters(**notebook_values(timeout=5, notebooks="scorecard"))
    text = str(caught.value)
    assert "key 'timeout': unknown parameter" in text and "key 'notebooks': unknown parameter" in text


def test_the_file_and_the_notebook_check_a_value_alike(tmp_path):
    """One model: the same words for the same bad value, whichever way it comes."""
    path = tmp_path / "run.yaml"
    path.write_text(yaml_text(targets="{on_time: 1.5}", language="fr"), encoding="utf-8")
    with pytest.raises(InputError) as from_file:
        load_parameters(path)
    with pytest.raises(ParameterError) as from_notebook:
        validate_notebook_parameters(**notebook_values(targets="{on_time: 1.5}", language="fr"))
    for says in ("key 'targets.on_time': must be between 0 and 1 (got 1.5)", "key 'language': must be one of vi, en (got 'fr')"):
        assert says in from_file.value.render() and says in str(from_notebook.value)
