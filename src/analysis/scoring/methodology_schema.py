"""What a methodology file may say (lược đồ tệp phương pháp), checked strictly before it is used.

A methodology is data that decides officials' scores, so a typo must not load silently with the
old rule: every key is known (``zero_denominatr`` is an unknown key, with a suggestion), every
value has its type and its allowed words (``rule: lineer`` is refused), and every indicator an
``extends`` file or an alternative changes exists in the methodology it changes.  Each problem
names the file, the line and the key (``indicators[3].zero_denominatr``).
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from analysis.contract import CLASS_CODES, ClassCode, Level
from analysis.errors import InputError, Problem


class MethodologyProblem(Problem):
    """A problem in a methodology file: file, line (``row``) and key (``column``)."""

    UNNAMED = "<methodology>"
    ROW_WORD = "line"
    COLUMN_WORD = "key"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Band(Strict):
    """A class band: from ``min`` points up, the class ``code`` (stored) and its words (shown)."""

    min: float = Field(ge=0, le=100)
    code: ClassCode
    label: str
    label_en: str | None = None


class Classes(Strict):
    verified: bool | None = None
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_once_best_first(self) -> Classes:
        codes = [band.code for band in sorted(self.bands, key=lambda band: -band.min)]
        if len(set(codes)) < len(codes):
            raise ValueError(f"each class code names one band, not {', '.join(codes)}")
        if codes != sorted(codes, key=CLASS_CODES.index):
            raise ValueError(f"from the highest band down the codes must keep the order {', '.join(CLASS_CODES)}, "
                             f"not {', '.join(codes)}")
        return self


class Rounding(Strict):
    decimals: int | None = Field(default=None, ge=0, le=6)
    group_sum: Literal["rounded", "exact"] | None = None
    verified: bool | None = None


class Ranking(Strict):
    method: Literal["competition", "dense"] | None = None
    verified: bool | None = None
    scope: list[str] | None = None


class GroupSpec(Strict):
    code: str
    name: str | None = None
    name_en: str | None = None
    max: float = Field(ge=0)
    components: list[str] | None = None


class IndicatorChange(Strict):
    """The fields of an indicator (all optional: an ``extends`` file changes only some)."""

    group: str | None = None
    name: str | None = None
    name_en: str | None = None
    label: str | None = None
    max: float | None = Field(default=None, ge=0)
    rule: Literal["linear", "target", "shown"] | None = None
    target: float | None = Field(default=None, gt=0)
    zero_denominator: Literal["zero", "full"] | None = None
    verified_zero_denominator: bool | None = None
    fixed_ratio: float | None = Field(default=None, ge=0)
    inherit: bool | None = None
    levels: list[Level] | None = None
    measure: Literal["ratio", "mean"] | None = None
    denominator: str | None = None
    verified: bool | None = None
    note: str | None = None


class IndicatorSpec(IndicatorChange):
    id: str


class Alternative(Strict):
    note: str | None = None
    source: str | None = None
    indicators: dict[str, IndicatorChange] | None = None
    add: list[IndicatorSpec] | None = None
    rounding: Rounding | None = None
    classes: Classes | None = None


class MethodologyFile(Strict):
    id: str | None = None
    extends: str | None = None
    title: str | None = None
    title_en: str | None = None
    source: str | None = None
    mapping_verified: bool | None = None
    verified: bool | None = None
    rounding: Rounding | None = None
    classes: Classes | None = None
    ranking: Ranking | None = None
    renormalise: dict[Level, bool] | None = None
    groups: list[GroupSpec] | None = None
    replace_indicators: bool | None = None
    indicators: list[IndicatorSpec] | None = None
    alternatives: dict[str, Alternative] | None = None


# --------------------------------------------------------------------------------------------
# where a key is: the line of a location in the YAML text


def _key_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if part == "[key]":  # pydantic's mark for a mapping's key
            continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(root: Any, loc: tuple[Any, ...]) -> int | None:
    """The line (1-based) of the deepest node of ``loc`` found in a composed YAML document."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _message(error: ErrorDetails, known: list[str]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        return "unknown key" + (f" (did you mean '{close[0]}'?)" if close else f"; the keys here are {', '.join(known)}")
    if kind == "missing":
        return "required"
    if kind == "value_error":  # a rule across keys (the class bands' codes): its own words
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    value = error.get("input")
    shown = repr(value) if isinstance(value, (int, float, bool, str)) and len(repr(value)) <= 40 else type(value).__name__
    return f"{error['msg'].lower()} (got {shown})"


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (for 'did you mean')."""
    model: Any = MethodologyFile
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(str(part)) if hasattr(model, "model_fields") else None
        if field is None:  # a free key (an alternative's name, an indicator id in a patch)
            model = {"alternatives": Alternative, "indicators": IndicatorChange}.get(_parent_name(loc, part), model)
            continue
        model = _model_of(field.annotation)
    return sorted(model.model_fields) if model is not None and hasattr(model, "model_fields") else []


def _parent_name(loc: tuple[Any, ...], part: Any) -> str:
    index = loc.index(part)
    return str(loc[index - 1]) if index else ""


def _model_of(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _model_of(arg) if getattr(arg, "__args__", None) else None
        if inner is not None:
            return inner
    return None


def check_methodology_file(data: Any, root: yaml.Node | None, source: str) -> None:
    """Raise every problem of one methodology file (before ``extends`` merges it)."""
    if not isinstance(data, dict):
        raise InputError(MethodologyProblem(source, "a methodology file must be a mapping of settings", 1))
    try:
        MethodologyFile.model_validate(data)
    except ValidationError as exc:
        problems = [
            MethodologyProblem(source, _message(e, _fields_at(e["loc"])), line_of(root, e["loc"]), _key_path(e["loc"]))
            for e in exc.errors(include_url=False)
        ]
        raise InputError(problems) from None


def check_indicator_ids(data: dict[str, Any], base_ids: set[str], root: yaml.Node | None, source: str) -> None:
    """An ``extends`` file may add an indicator only with its ``group``; an alternative may change
    only indicators the methodology has.  Anything else is a misspelt id."""
    problems: list[Problem] = []
    ids = set(base_ids)
    for n, item in enumerate(data.get("indicators") or []):
        if item["id"] not in base_ids and "group" not in item:
            close = difflib.get_close_matches(item["id"], sorted(base_ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(MethodologyProblem(
                source, f"unknown indicator id '{item['id']}'{hint}; a new indicator needs its group",
                line_of(root, ("indicators", n, "id")), f"indicators[{n}].id",
            ))
        ids.add(item["id"])
    if data.get("replace_indicators"):
        ids = {item["id"] for item in data.get("indicators") or []} or ids
    for name, alternative in (data.get("alternatives") or {}).items():
        added = {item["id"] for item in (alternative or {}).get("add") or []}
        for indicator in ((alternative or {}).get("indicators") or {}):
            if indicator not in ids | added:
                close = difflib.get_close_matches(indicator, sorted(ids), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                loc = ("alternatives", name, "indicators", indicator)
                problems.append(MethodologyProblem(source, f"unknown indicator id '{indicator}'{hint}",
                                                   line_of(root, loc), _key_path(loc)))
    if problems:
        raise InputError(problems)


def check_group_ids(data: dict[str, Any], groups: set[str], root: yaml.Node | None, source: str) -> None:
    """Every indicator this file places (``group:``, in ``indicators`` or an alternative) names a
    group of the methodology once merged; a misspelt group is named by its line and key."""
    places: list[tuple[tuple[Any, ...], Any]] = [
        (("indicators", n, "group"), item.get("group")) for n, item in enumerate(data.get("indicators") or [])
    ]
    for name, alternative in (data.get("alternatives") or {}).items():
        places += [(("alternatives", name, "add", n, "group"), item.get("group"))
                   for n, item in enumerate((alternative or {}).get("add") or [])]
        places += [(("alternatives", name, "indicators", indicator, "group"), change.get("group"))
                   for indicator, change in ((alternative or {}).get("indicators") or {}).items()]
    problems = []
    for loc, group in places:
        if group is not None and group not in groups:
            close = difflib.get_close_matches(str(group), sorted(groups), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; the groups are {', '.join(sorted(groups))}"
            problems.append(MethodologyProblem(source, f"unknown group '{group}'{hint}", line_of(root, loc), _key_path(loc)))
    if problems:
        raise InputError(problems)
