"""Methodology files are checked strictly: a typo is exit 2 naming file, line and key, never the old rule."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.scoring.methodology import load_methodology
from tests.conftest import FACTS_HEADER, run_cli, write_csv

CASES = [
    # (file text after 'extends: portal-2025', line, key, message)
    ("indicators:\n  - id: ON_TIME\n    zero_denominatr: full\n", 4, "indicators[0].zero_denominatr",
     "unknown key (did you mean 'zero_denominator'?)"),
    ("indicators:\n  - id: ON_TIME\n    rul: target\n", 4, "indicators[0].rul", "unknown key (did you mean 'rule'?)"),
    ("indicators:\n  - id: ON_TIME\n    rule: lineer\n", 4, "indicators[0].rule", "input should be 'linear', 'target' or 'shown'"),
    ("indicators:\n  - id: ON_TIME\n    max: sáu\n", 4, "indicators[0].max", "input should be a valid number"),
    ("indicators:\n  - id: ON_TIME\n    zero_denominator: 0\n", 4, "indicators[0].zero_denominator", "input should be 'zero' or 'full'"),
    ("indicators:\n  - id: ON_TIMEE\n    max: 20\n", 3, "indicators[0].id", "unknown indicator id 'ON_TIMEE' (did you mean 'ON_TIME'?)"),
    ("rounding: {decimals: two}\n", 2, "rounding.decimals", "input should be a valid integer"),
    ("roundng: {decimals: 2}\n", 2, "roundng", "unknown key (did you mean 'rounding'?)"),
    ("classes: {bands: [{min: 90, lable: Giỏi}]}\n", 2, "classes.bands[0].lable", "unknown key (did you mean 'label'?)"),
    ("groups:\n  - {code: CKMB, max: '18'}\n", 3, "groups[0].max", "input should be a valid number"),
    ("alternatives:\n  mine:\n    indicators:\n      ON_TYME: {max: 5}\n", 5, "alternatives.mine.indicators.ON_TYME",
     "unknown indicator id 'ON_TYME' (did you mean 'ON_TIME'?)"),
    ("renormalise: {comune: true}\n", 2, "renormalise.comune", "input should be"),
    ("indicators: {id: ON_TIME}\n", 2, "indicators", "input should be a valid list"),
]


@pytest.mark.parametrize("text,line,key,message", CASES)
def test_a_typo_names_file_line_and_key(tmp_path, text, line, key, message):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: portal-2025\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_methodology(str(path))
    assert f"{path}, line {line}, key '{key}': {message}" in str(caught.value)


def test_the_command_line_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: portal-2025\nindicators:\n  - id: ON_TIME\n    zero_denominatr: full\n", encoding="utf-8")
    facts = write_csv(tmp_path / "f.csv", FACTS_HEADER, "2026-08,P,Tỉnh,province,,ON_TIME,1,10")
    result = run_cli("score", "--facts", str(facts), "--methodology", str(path), "--out", str(tmp_path / "c.csv"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "line 4, key 'indicators[0].zero_denominatr'" in result.stderr


def test_extends_and_alternatives_still_merge(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "extends: portal-2025\nid: mine\nindicators:\n  - {id: ON_TIME, zero_denominator: full}\n"
        "  - {id: EXTRA_SHOWN, group: TDGQ, max: 0, rule: shown}\n", encoding="utf-8")
    method = load_methodology(str(path) + "+exact_sums")
    assert method.indicator("ON_TIME").zero_denominator == "full"
    assert method.indicator("EXTRA_SHOWN").rule == "shown"
    assert method.group_sum == "exact"
    assert load_methodology("five-group-2022").group_codes[2] == "ONLINE_SERVICE"


def test_an_alias_bomb_is_refused_without_building_it(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_methodology(str(path))
    assert "once its aliases (*name) are expanded" in str(caught.value)
    assert len(str(caught.value)) < 400
