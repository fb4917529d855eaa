"""The message catalogue (analysis.report.messages): every sentence a reader sees, in both languages."""

from __future__ import annotations

import re

import pytest

from analysis.report import messages
from analysis.report.messages import MessageError, catalogue, text, words


def test_a_sentence_in_both_languages_with_numbers_written_the_vietnamese_way() -> None:
    vi = text("narrative.headline", "vi", name="tỉnh Phú Thọ", period="tháng 8/2026", total=77.594, klass="Khá", change="")
    en = text("narrative.headline", "en", name="Phú Thọ", period="August 2026", total=77.594, klass="Good", change="")
    assert vi == "Tổng điểm của tỉnh Phú Thọ tháng 8/2026 đạt 77,59/100 điểm, xếp loại Khá."
    assert en == "Phú Thọ scored 77.59/100 in August 2026, class Good."


def test_whole_numbers_take_thousands_separators_and_missing_is_a_dash() -> None:
    assert text("narrative.inactive_units", "vi", n=12135, names="xã A") == (
        "12.135 đơn vị không phát sinh hồ sơ trong kỳ, không xếp hạng, xếp loại (xã A)")
    assert text("narrative.inactive_units", "en", n=12135, names="A").startswith("12,135 units")
    assert text("tables.change_cell.up", "vi", points=None) == "Tăng -"


def test_text_from_data_is_put_in_as_it_is_never_read_as_a_template() -> None:
    hostile = "TP. Việt Trì {total} {0.__class__}"
    out = text("narrative.unchanged_against", "vi", period=hostile)
    assert out == f"không đổi so với {hostile}"


def test_an_unknown_key_fails_loudly_and_names_what_the_file_holds() -> None:
    with pytest.raises(MessageError, match="narrative.headlin'.*did you mean narrative.headline"):
        text("narrative.headlin", "vi")
    with pytest.raises(MessageError, match="no file messages/nowhere.yaml"):
        text("nowhere.headline", "vi")


def test_a_missing_value_or_a_misspelt_one_fails() -> None:
    with pytest.raises(MessageError, match=r"needs \['names'\]"):
        text("narrative.inactive_units", "vi", n=2)
    with pytest.raises(MessageError, match=r"no placeholder \['nmaes'\]"):
        text("narrative.inactive_units", "vi", n=2, names="A", nmaes="B")


def test_an_unknown_language_fails() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        text("narrative.and", "fr")


def test_every_message_has_both_languages_and_plain_placeholders() -> None:
    held = catalogue()
    assert len(held) > 10
    for key, entry in held.items():
        assert set(entry) == {"vi", "en"}, key
        assert entry["vi"].strip() and entry["en"].strip(), key


def test_a_vocabulary_is_read_whole_and_refuses_templates() -> None:
    vi = words("charts.islands", "vi")
    assert vi == {"paracel": "Quần đảo Hoàng Sa", "spratly": "Quần đảo Trường Sa"}
    with pytest.raises(MessageError, match="placeholders"):
        words("charts", "vi")
    with pytest.raises(MessageError, match="placeholders"):
        words("narrative", "vi")
    with pytest.raises(MessageError, match="no messages under"):
        words("narrative.nothing", "vi")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"a": {"vi": "x"}}, "needs exactly the languages"),
        ({"a": {"vi": "x", "en": "y", "fr": "z"}}, "needs exactly the languages"),
        ({"a": {"vi": "x", "en": 3}}, "expected text"),
        ({"a": {"vi": "{n.real}", "en": "{n}"}}, "plain name"),
        ({"a": {"vi": "{n:.2f}", "en": "{n}"}}, "plain name"),
        ({"a": {"vi": "{n!r}", "en": "{n}"}}, "plain name"),
        ({"a": {"vi": "{", "en": "x"}}, "Single '{'"),
        ({"a": "x"}, "needs exactly the languages"),
        (["a"], "expected a mapping"),
    ],
)
def test_a_file_with_a_bad_entry_is_refused_naming_the_entry(data: object, error: str) -> None:
    with pytest.raises(MessageError, match=error):
        messages._entries("probe", data, "messages/probe.yaml")


def test_groups_nest_into_dotted_names() -> None:
    entries = messages._entries("probe", {"level": {"department": {"vi": "Sở", "en": "Departments"}}}, "messages/probe.yaml")
    assert entries == {"probe.level.department": {"vi": "Sở", "en": "Departments"}}


def _sources() -> list[str]:
    """The package's modules and the notebooks' code (each notebook's cells joined), as text."""
    from pathlib import Path

    import nbformat

    import analysis

    texts = [path.read_text(encoding="utf-8") for path in Path(analysis.__file__).parent.rglob("*.py")]
    for path in sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        texts.append("\n".join(c.source for c in cells if c.cell_type == "code"))
    return texts


def _calls_in_source() -> list[tuple[str, str, bool]]:
    """(function, key or key prefix, whether the key is whole) of every text()/words() call in the
    package and the notebooks."""
    import ast

    found = []
    for source in _sources():
        if "analysis.report.messages import" not in source and not re.search(
                r"^from analysis\.report import [^\n]*\bmessages\b", source, re.MULTILINE):
            continue  # another function of that name
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ("text", "words"):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((name, first.value, True))
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                found.append((name, str(first.values[0].value), False))
            elif isinstance(first, ast.IfExp):
                found += [(name, branch.value, True) for branch in (first.body, first.orelse)
                          if isinstance(branch, ast.Constant) and isinstance(branch.value, str)]
    return found


def test_every_message_the_package_asks_for_is_in_the_catalogue() -> None:
    held = catalogue()
    calls = _calls_in_source()
    assert len(calls) > 100
    for function, key, whole in calls:
        if function == "text" and whole:
            assert key in held, key
        else:  # words(group) or a key built from a prefix
            prefix = key if not whole else key + "."
            assert any(k.startswith(prefix) for k in held), key


def test_every_message_of_the_catalogue_is_used() -> None:
    calls = _calls_in_source()
    whole = {key for function, key, is_whole in calls if function == "text" and is_whole}
    prefixes = [key if not is_whole else key + "." for function, key, is_whole in calls if function == "words" or not is_whole]
    unused = [k for k in catalogue() if k not in whole and not any(k.startswith(p) for p in prefixes)
              and not k.startswith("charts.")]  # the charts' words are being moved in
    assert unused == []
