"""The data contract: what every stage agrees on (hợp đồng dữ liệu).

The names below are the ones every stage types and checks with.  Periods live in
:mod:`analysis.contract.periods`; the text normaliser in :mod:`analysis.contract.text`.  The rest
is read once, at import, from this package's data files and checked with pydantic:

* ``tables.yaml``: the tables of the data contract (``schema("facts")``, ``required("dossiers")``);
* ``levels.yaml``: the levels' names and the words files write for them (``level_name``);
* ``index.yaml``: the index's group and indicator ids (``GROUPS``, ``INDICATORS``);
* ``vocabulary.yaml``: Vietnamese headers (``HEADER_ALIASES``) and coded values (``CODES``,
  ``VALUE_WORDS``, ``TRUE_WORDS``/``FALSE_WORDS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Literal, get_args

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from analysis.contract.text import fold_expr, fold_text, normalise_header, normalise_name, province_key

__all__ = [
    "CLASS_CODES", "CODES", "FALSE_WORDS", "GROUPS", "HEADER_ALIASES", "INDICATORS", "INDICATOR_GROUP", "LANGUAGES",
    "LEVELS", "LEVEL_ALIASES", "LEVEL_ORDER", "PENDING_STATUS_WORDS", "PRESENTATION_GROUPS", "TABLES",
    "TERMINAL_STATUSES", "TRUE_WORDS", "VALUE_WORDS", "ClassCode", "CodedColumn", "Language", "Level", "Table",
    "fold_expr", "fold_text", "header_lookup", "level_name", "level_of", "level_words", "normalise_header",
    "normalise_name", "province_key", "required", "schema",
]

Language = Literal["vi", "en"]
"""Language of everything a reader sees: Vietnamese first (``vi``), English as an option (``en``)."""
LANGUAGES: tuple[Language, ...] = get_args(Language)

Level = Literal["national", "province", "department", "district", "commune"]
"""Administrative level of a unit (cấp): toàn quốc, tỉnh, sở/ngành, huyện (cũ), xã."""
LEVELS: tuple[Level, ...] = get_args(Level)
"""Levels from the top down; their order is the order of every table and chart."""
LEVEL_ORDER: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}

ClassCode = Literal["excellent", "good", "fair", "average", "weak"]
"""A unit's class (xếp loại), best first: xuất sắc, tốt, khá, trung bình, yếu.  Scored frames and
the machine-readable ``scorecard.csv`` carry the code; a methodology's class bands each name their
code and give its words (``label``, ``label_en``), which readers see
(:func:`analysis.report.formatting.class_name`)."""
CLASS_CODES: tuple[ClassCode, ...] = get_args(ClassCode)

Table = Literal["units", "facts", "dossiers", "procedures", "petitions", "scorecard", "indicator_detail"]
"""A table of the data contract (data-contract.md, sections 1 to 4)."""
TABLES: tuple[Table, ...] = get_args(Table)

CodedColumn = Literal["status", "channel", "rating", "online_level", "category"]
"""A column of the records whose values are codes (data-contract.md, section 3)."""

DtypeName = Literal["String", "Int32", "Int64", "Float64", "Boolean", "Date", "Datetime"]
_DTYPES: dict[str, pl.DataType] = {
    "String": pl.String(), "Int32": pl.Int32(), "Int64": pl.Int64(), "Float64": pl.Float64(),
    "Boolean": pl.Boolean(), "Date": pl.Date(), "Datetime": pl.Datetime("us"),
}


# --------------------------------------------------------------------------------------------
# the files' models


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Column(_Strict):
    type: DtypeName
    required: bool = False
    extension: bool = False


class _Tables(RootModel[dict[Table, dict[str, _Column]]]):
    @model_validator(mode="after")
    def _every_table(self) -> _Tables:
        missing = set(TABLES) - set(self.root)
        if missing:
            raise ValueError(f"tables missing: {sorted(missing)}")
        return self


class _LevelText(_Strict):
    name_vi: str
    name_en: str
    words_vi: str
    words_en: str
    aliases: list[str] = Field(min_length=1)


class _Levels(RootModel[dict[Level, _LevelText]]):
    @model_validator(mode="after")
    def _in_order(self) -> _Levels:
        if tuple(self.root) != LEVELS:
            raise ValueError(f"levels must be {', '.join(LEVELS)}, in this order")
        return self


class _Index(_Strict):
    groups: dict[str, list[str]] = Field(min_length=1)
    presentation_groups: dict[str, list[str]]

    @model_validator(mode="after")
    def _ids_once(self) -> _Index:
        ids = [i for members in self.groups.values() for i in members]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"indicators in more than one group: {twice}")
        unknown = sorted({g for members in self.presentation_groups.values() for g in members} - set(self.groups))
        if unknown:
            raise ValueError(f"presentation groups of unknown groups: {unknown}")
        return self


class _Booleans(_Strict):
    true: list[str]
    false: list[str]


class _Vocabulary(_Strict):
    headers: dict[Table, dict[str, list[str]]]
    codes: dict[CodedColumn, list[str]]
    terminal_statuses: list[str]
    values: dict[CodedColumn, dict[str, str | None]]
    pending_statuses: list[str]
    booleans: _Booleans

    @model_validator(mode="after")
    def _words_mean_codes(self) -> _Vocabulary:
        for column, words in self.values.items():
            wrong = sorted({code for code in words.values() if code is not None} - set(self.codes[column]))
            if wrong:
                raise ValueError(f"values.{column}: {wrong} are not codes of {column}")
            unfolded = sorted(w for w in words if fold_text(w) != w)
            if unfolded:
                raise ValueError(f"values.{column}: {unfolded} are not written folded")
        if set(self.terminal_statuses) - set(self.codes["status"]):
            raise ValueError("terminal_statuses must be codes of status")
        return self


SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster), else the pure-Python one."""


def package_yaml(text: str) -> object:
    """A YAML file shipped inside the package (contract, calendar, messages), parsed safely and fast.

    Files from users go through :func:`analysis.io.documents.read_yaml` instead (limits, line numbers)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


def _read(name: str) -> object:
    return package_yaml((resources.files("analysis.contract") / name).read_text(encoding="utf-8"))


_TABLE_FILE = _Tables.model_validate(_read("tables.yaml")).root
_LEVEL_FILE = _Levels.model_validate(_read("levels.yaml")).root
_INDEX_FILE = _Index.model_validate(_read("index.yaml"))
_VOCABULARY_FILE = _Vocabulary.model_validate(_read("vocabulary.yaml"))


def _check_headers() -> None:
    for table, columns in _VOCABULARY_FILE.headers.items():
        unknown = sorted(set(columns) - set(_TABLE_FILE[table]))
        if unknown:
            raise ValueError(f"vocabulary.yaml: headers.{table} names columns not in the table: {unknown}")


_check_headers()


# --------------------------------------------------------------------------------------------
# tables


def schema(table: Table, *, extensions: bool = True) -> pl.Schema:
    """The table's columns and their polars types, in the contract's order (a new schema each call).

    ``extensions=False`` leaves out the columns beyond the contract's own (``supplement_pending``…).
    """
    return pl.Schema({name: _DTYPES[column.type] for name, column in _TABLE_FILE[table].items()
                      if extensions or not column.extension})


def required(table: Table) -> tuple[str, ...]:
    """The columns a file of this table must have."""
    return tuple(name for name, column in _TABLE_FILE[table].items() if column.required)


# --------------------------------------------------------------------------------------------
# levels


_LEVEL_TEXT: dict[str, _LevelText] = {str(level): text for level, text in _LEVEL_FILE.items()}
"""The levels' texts, looked up by any string (a level read from a file may be unknown)."""


def level_name(level: str, language: Language = "vi") -> str:
    """A level's name as a heading (``Cấp xã`` / ``Communes``); an unknown level as it is."""
    text = _LEVEL_TEXT.get(level)
    if text is None:
        return level
    return text.name_vi if language == "vi" else text.name_en


def level_words(level: str, language: Language = "vi") -> str:
    """A level's units in a sentence (``xã, phường`` / ``communes``); an unknown level as it is."""
    text = _LEVEL_TEXT.get(level)
    if text is None:
        return level
    return text.words_vi if language == "vi" else text.words_en


LEVEL_ALIASES: Mapping[str, Level] = MappingProxyType(
    {fold_text(alias): level for level, text in _LEVEL_FILE.items() for alias in text.aliases}
)
"""Folded words for a level (``cap xa``, ``so, ban, nganh``) → the level."""


def level_of(text: str | None) -> Level | None:
    """The level a cell names, in English or Vietnamese (``'Cấp xã'`` → ``'commune'``), else None."""
    return None if text is None else LEVEL_ALIASES.get(fold_text(text))


# --------------------------------------------------------------------------------------------
# the index's ids

GROUPS: tuple[str, ...] = tuple(_INDEX_FILE.groups)
"""The portal's six groups (CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH), in the scorecard's order."""
INDICATOR_GROUP: Mapping[str, str] = MappingProxyType(
    {indicator: group for group, members in _INDEX_FILE.groups.items() for indicator in members}
)
"""Each indicator id → its portal group."""
INDICATORS: tuple[str, ...] = tuple(INDICATOR_GROUP)
"""Every indicator id of the index, group by group."""
PRESENTATION_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {code: tuple(members) for code, members in _INDEX_FILE.presentation_groups.items()}
)
"""Groups some methodologies show that sum portal groups (``ONLINE_SERVICE`` = CLGQ + TTTT)."""


# --------------------------------------------------------------------------------------------
# vocabularies

HEADER_ALIASES: Mapping[Table, Mapping[str, tuple[str, ...]]] = MappingProxyType({
    table: MappingProxyType({column: tuple(names) for column, names in columns.items()})
    for table, columns in _VOCABULARY_FILE.headers.items()
})
"""Per table: each column → the headers files use for it (``'dossier_id'`` → ``('mã hồ sơ', …)``)."""


def header_lookup(table: Table) -> dict[str, str]:
    """Folded header (:func:`fold_text`) → column, for the table's columns and their aliases.

    Each column's own name comes first; an alias two columns share keeps the first column's meaning
    in the vocabulary's order.
    """
    lookup: dict[str, str] = {}
    for column, names in HEADER_ALIASES.get(table, {}).items():
        lookup.setdefault(fold_text(column), column)
        for name in names:
            lookup.setdefault(fold_text(name), column)
    return lookup


CODES: Mapping[CodedColumn, tuple[str, ...]] = MappingProxyType(
    {column: tuple(codes) for column, codes in _VOCABULARY_FILE.codes.items()}
)
"""Per coded column, its codes (``CODES['status']`` = processing, finished, …)."""
TERMINAL_STATUSES: tuple[str, ...] = tuple(_VOCABULARY_FILE.terminal_statuses)
"""Statuses after a dossier's first terminal event (all but ``processing``)."""
VALUE_WORDS: Mapping[CodedColumn, Mapping[str, str | None]] = MappingProxyType({
    column: MappingProxyType({**{code: code for code in CODES[column]}, **words})
    for column, words in _VOCABULARY_FILE.values.items()
})
"""Per coded column: folded word → code (each code also means itself); ``None`` = no value."""
PENDING_STATUS_WORDS: tuple[str, ...] = tuple(_VOCABULARY_FILE.pending_statuses)
"""Folded status words saying the dossier waits for the applicant's supplement (chờ bổ sung)."""
TRUE_WORDS: tuple[str, ...] = tuple(_VOCABULARY_FILE.booleans.true)
"""Lower-case cells read as yes (true, 1, có, x, …)."""
FALSE_WORDS: tuple[str, ...] = tuple(_VOCABULARY_FILE.booleans.false)
"""Lower-case cells read as no (false, 0, không, -, …)."""
