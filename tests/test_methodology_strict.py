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
    ("classes: {bands: [{min: 90, label: Giỏi}]}\n", 2, "classes.bands[0].code", "required"),
    ("classes: {bands: [{min: 90, code: excelent, label: Giỏi}]}\n", 2, "classes.bands[0].code",
     "input should be 'excellent', 'good', 'fair', 'average' or 'weak' (got 'excelent')"),
    ("classes:\n  bands:\n    - {min: 90, code: weak, label: Giỏi}\n    - {min: 0, code: excellent, label: Kém}\n", 2,
     "classes", "from the highest band down the codes must keep the order excellent, good, fair, average, weak, not weak, excellent"),
    ("classes:\n  bands:\n    - {min: 90, code: good, label: Giỏi}\n    - {min: 0, code: good, label: Kém}\n", 2,
     "classes", "each class code names one band, not good, good"),
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


def test_a_file_reached_through_extends_is_checked_as_strictly(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("extends: portal-2025\nindicators:\n  - id: ON_TIME\n    zero_denominatr: full\n", encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: base.yaml\nid: mine\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_methodology(str(mine))
    assert f"{base}, line 4, key 'indicators[0].zero_denominatr': unknown key" in str(caught.value)


def test_extends_reads_a_path_beside_the_file_naming_it(tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "base.yaml").write_text("extends: portal-2025\nid: base\nindicators:\n  - {id: ON_TIME, zero_denominator: full}\n",
                                      encoding="utf-8")
    (folder / "mine.yaml").write_text("extends: base.yaml\nid: mine\nindicators:\n  - {id: DOSSIER_SYNC, max: 6}\n",
                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # not the rules' folder: the path is read from the file's own folder
    method = load_methodology(str(folder / "mine.yaml"))
    assert method.id == "mine" and method.indicator("ON_TIME").zero_denominator == "full"


@pytest.mark.parametrize("target", ["../outside.yaml", "/etc/hostname.yaml", "sub/../../outside.yaml"])
def test_extends_cannot_reach_outside_the_files_folder(tmp_path, target):
    folder = tmp_path / "rules"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("extends: portal-2025\n", encoding="utf-8")
    mine = folder / "mine.yaml"
    mine.write_text(f"id: mine\nextends: {target}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_methodology(str(mine))
    assert f"{mine}, line 2, key 'extends': '{target}' is outside the folder of this file" in str(caught.value)


def test_an_unknown_extends_id_or_missing_file_names_the_line(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("id: mine\nextends: portal-2052\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_methodology(str(mine))
    assert f"{mine}, line 2, key 'extends': unknown methodology 'portal-2052'" in str(caught.value)
    mine.write_text("id: mine\nextends: base.yaml\n", encoding="utf-8")
    load_methodology.cache_clear()
    with pytest.raises(InputError) as caught:
        load_methodology(str(mine))
    assert f"{mine}, line 2, key 'extends': methodology file not found: base.yaml" in str(caught.value)


@pytest.mark.parametrize("text,line,key", [
    ("indicators:\n  - {id: EXTRA, group: TDQG, max: 0, rule: shown}\n", 3, "indicators[0].group"),
    ("indicators:\n  - id: ON_TIME\n    group: TDGG\n", 4, "indicators[0].group"),
    ("alternatives:\n  mine:\n    add:\n      - {id: EXTRA, group: CLQG, max: 0, rule: shown}\n", 5, "alternatives.mine.add[0].group"),
])
def test_an_unknown_group_names_file_line_and_key(tmp_path, text, line, key):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: portal-2025\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_methodology(str(path))
    assert f"{path}, line {line}, key '{key}': unknown group" in str(caught.value)
    assert "did you mean" in str(caught.value)


def test_methodologies_extending_each_other_in_a_loop_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="extend each other in a loop"):
        load_methodology(str(tmp_path / "a.yaml"))
