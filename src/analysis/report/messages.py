"""Every sentence and word a reader sees, in Vietnamese and English (danh mục câu chữ của báo cáo).

The catalogue is data: one YAML file per area in ``report/messages/`` (``narrative.yaml``,
``pages.yaml``, ``tables.yaml``, ``document.yaml``, ``explore.yaml``, ``charts.yaml`` …). Each
entry names a message and gives its text in both languages::

    headline:
      vi: "Tổng điểm của {name} {period} đạt {total}/100 điểm, xếp loại {klass}{change}."
      en: "{name} scored {total}/100 in {period}, class {klass}{change}."

A message is called by its file and its name, ``text("narrative.headline", language, name=…)``.
An unknown key, a language missing from an entry, a value the template needs but was not given
or a value no template of the entry uses is an error (:class:`MessageError`), never a silent
blank. Placeholders are plain names (``{total}``): no attribute, index, conversion or format
spec, so a template cannot reach into a value. Numbers given as values are written the
Vietnamese way by :mod:`analysis.report.formatting` (``77,59``, ``12.135``; ``77.59``, ``12,135``
in English); a value already formatted (a string) is put in as it is.
"""

from __future__ import annotations

import difflib
import string
from decimal import Decimal
from functools import cache
from importlib import resources

from analysis.contract import LANGUAGES, package_yaml
from analysis.report.formatting import MISSING, check_language, integer, number

_FORMATTER = string.Formatter()


class MessageError(KeyError):
    """A message the catalogue does not hold, or one that cannot be filled as asked."""

    def __str__(self) -> str:  # KeyError quotes its argument; the message reads better plain
        return str(self.args[0]) if self.args else ""


def _placeholders(template: str, where: str) -> set[str]:
    """The names a template fills; anything but a plain ``{name}`` is an error naming ``where``."""
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as error:
        raise MessageError(f"{where}: {error} in {template!r}") from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise MessageError(f"{where}: placeholder {{{field}}} must be a plain name "
                               f"(no index, attribute, conversion or format spec)")
        names.add(field)
    return names


def _entries(prefix: str, data: object, where: str) -> dict[str, dict[str, str]]:
    """The entries of one file, each checked: both languages, text only, plain placeholders.

    A mapping with a ``vi`` or ``en`` key is a message; any other mapping is a group of messages
    whose names take the group's name as a prefix (``tables.level_header.department``).
    """
    if not isinstance(data, dict):
        raise MessageError(f"{where}: expected a mapping of message names, found {type(data).__name__}")
    out: dict[str, dict[str, str]] = {}
    for name, entry in data.items():
        key, here = f"{prefix}.{name}", f"{where}: {prefix}.{name}"
        if isinstance(entry, dict) and not set(entry) & set(LANGUAGES):
            out.update(_entries(key, entry, where))
            continue
        if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
            found = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise MessageError(f"{here}: needs exactly the languages {list(LANGUAGES)}, found {found}")
        for language, template in entry.items():
            if not isinstance(template, str):
                raise MessageError(f"{here}.{language}: expected text, found {type(template).__name__}")
            _placeholders(template, f"{here}.{language}")
        out[key] = {str(k): v for k, v in entry.items()}
    return out


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message of every file, by ``area.name``, each with its ``vi`` and ``en`` text."""
    folder = resources.files("analysis.report") / "messages"
    merged: dict[str, dict[str, str]] = {}
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if not item.name.endswith(".yaml"):
            continue
        area = item.name.removesuffix(".yaml")
        merged.update(_entries(area, package_yaml(item.read_text(encoding="utf-8")) or {}, f"messages/{item.name}"))
    return merged


def _entry(key: str) -> dict[str, str]:
    try:
        return catalogue()[key]
    except KeyError:
        area = key.partition(".")[0]
        if not any(k.startswith(area + ".") for k in catalogue()):
            raise MessageError(f"no message {key!r}: no file messages/{area}.yaml in the catalogue") from None
        near = difflib.get_close_matches(key, list(catalogue()), n=3)
        raise MessageError(f"no message {key!r} in messages/{area}.yaml"
                           + (f" (did you mean {', '.join(near)}?)" if near else "")) from None


def _shown(value: object, language: str) -> str:
    """A value as the reader sees it: numbers the Vietnamese way, text as given, missing ``-``."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        raise MessageError(f"a yes/no value cannot be put in a sentence: {value!r}")
    if isinstance(value, int):
        return integer(value, language)
    if isinstance(value, (float, Decimal)):
        return number(value, 2, language)
    return str(value)


@cache
def _fields(key: str) -> dict[str, frozenset[str]]:
    """The placeholders of a message by language, and under ``any`` those of all its languages."""
    fields = {language: frozenset(_placeholders(template, key)) for language, template in _entry(key).items()}
    return {**fields, "any": frozenset().union(*fields.values())}


def text(key: str, language: str = "vi", /, **values: object) -> str:
    """The message ``key`` (``"area.name"``) in ``language``, its placeholders filled with ``values``.

    Raises :class:`MessageError` for an unknown key, a missing value, or a value that no language
    of the message uses (a misspelt name); :class:`ValueError` for a language other than vi/en.
    """
    template = _entry(key)[check_language(language)]
    fields = _fields(key)
    needed = fields[language]
    missing = needed - values.keys()
    if missing:
        raise MessageError(f"message {key!r} needs {sorted(missing)}")
    unused = values.keys() - fields["any"]
    if unused:
        raise MessageError(f"message {key!r} has no placeholder {sorted(unused)}")
    return template.format_map({name: _shown(values[name], language) for name in needed})


def words(group: str, language: str = "vi") -> dict[str, str]:
    """Every message of a group (``"tables.level_header"``) by its last name, for a vocabulary:
    ``words("tables.level_header", "vi")["department"]``. A message with placeholders does not
    belong in a vocabulary (it needs :func:`text`) and is an error here.  A new dict each call
    (the caller may change it); the catalogue is searched once per group and language."""
    return dict(_words(group, check_language(language)))


@cache
def _words(group: str, language: str) -> dict[str, str]:
    prefix = group + "."
    found: dict[str, str] = {}
    for key, entry in catalogue().items():
        if key.startswith(prefix) and "." not in key.removeprefix(prefix):
            template = entry[language]
            if _placeholders(template, key):
                raise MessageError(f"message {key!r} has placeholders: call text() for it")
            found[key.removeprefix(prefix)] = template
    if not found:
        raise MessageError(f"no messages under {group!r} in the catalogue")
    return found
