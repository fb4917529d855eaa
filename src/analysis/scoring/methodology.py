"""The methodology as data (phương pháp chấm điểm): one YAML file per version, one reader.

A methodology file (``src/analysis/scoring/methodologies/<id>.yaml``) names the groups (nhóm chỉ số),
the indicators (chỉ số thành phần) with their points and rules, the class bands, the ranking
and rounding settings, and the known disagreements between sources as named *alternatives*.
Any rule of the index can be found by its indicator id in that file; :mod:`analysis.scoring.score`
is the only code that applies them.

``load_methodology("portal-2025")`` loads a bundled version; ``"portal-2025+so_hoa_target_80"``
applies an alternative; a path to a YAML file loads a file of one's own (which may
``extends:`` a bundled one, or a file beside it, and change only what differs).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from analysis.contract import ClassCode, Level, normalise_header
from analysis.errors import InputError, Problem
from analysis.io.documents import read_yaml
from analysis.scoring.methodology_schema import (
    MethodologyProblem,
    check_group_ids,
    check_indicator_ids,
    check_methodology_file,
    line_of,
)

__all__ = ["DEFAULT_METHODOLOGY", "ClassBand", "Group", "Indicator", "Methodology", "available_methodologies",
           "load_methodology", "methodology_dir"]

DEFAULT_METHODOLOGY = "portal-2025"


@dataclass(frozen=True)
class Indicator:
    """One indicator (chỉ số) and its rule; :func:`analysis.scoring.score.indicator_scores` alone applies it."""

    id: str
    component: str          # the portal group it belongs to (CKMB, TDGQ, CLGQ, ...)
    name: str
    name_en: str
    max: float
    rule: str
    target: float | None = None
    zero_denominator: str = "zero"
    fixed_ratio: float | None = None
    inherit: bool = False
    levels: tuple[Level, ...] | None = None
    measure: str = "ratio"
    label: str | None = None
    denominator: str = "all_dossiers"

    def applies_to(self, level: str) -> bool:
        return self.levels is None or level in self.levels


@dataclass(frozen=True)
class Group:
    """A group of indicators (nhóm chỉ số) as presented, with the portal groups it sums."""

    code: str
    name: str
    name_en: str
    max: float
    components: tuple[str, ...]


@dataclass(frozen=True)
class ClassBand:
    """A class band (khung xếp loại): from ``min`` points up, the class ``code`` scored frames carry
    and the words readers see (``label``, ``label_en``)."""

    min: float
    code: ClassCode
    label: str
    label_en: str


@dataclass(frozen=True)
class Methodology:
    id: str
    title: str
    title_en: str
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    classes: tuple[ClassBand, ...]
    decimals: int = 2
    group_sum: str = "rounded"
    ranking: str = "competition"
    rank_scope: tuple[str, ...] = ("period", "level", "parent_code")
    renormalise: dict[str, bool] = field(default_factory=dict)
    alternatives: tuple[str, ...] = ()
    applied: tuple[str, ...] = ()
    source: str = ""

    # --- lookups ---------------------------------------------------------------------------

    @property
    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]

    @property
    def components(self) -> list[str]:
        """Portal group codes that may enter as published group scores (e.g. ``CLGQ``)."""
        return sorted({i.component for i in self.indicators})

    def indicator(self, indicator_id: str) -> Indicator:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def group_of_component(self, component: str) -> str:
        for group in self.groups:
            if component in group.components:
                return group.code
        raise KeyError(component)

    def group(self, code: str) -> Group:
        for group in self.groups:
            if group.code == code:
                return group
        raise KeyError(code)

    def classify(self, total: float | None) -> ClassCode | None:
        """The class code of a total by the bands (the lowest band below them all)."""
        if total is None:
            return None
        for band in self.classes:
            if total >= band.min:
                return band.code
        return self.classes[-1].code

    def class_of_label(self, label: str) -> ClassCode | None:
        """The class code a printed class names (``Xuất sắc``, ``Excellent`` or ``excellent``; case and
        spacing aside), None when no band of this methodology has it."""
        wanted = normalise_header(label)
        for band in self.classes:
            if wanted in {normalise_header(word) for word in (band.code, band.label, band.label_en)}:
                return band.code
        return None

    def indicator_table(self) -> pl.DataFrame:
        """The indicators as a frame, one row each, for joins in the scoring engine."""
        return pl.DataFrame(
            {
                "indicator": [i.id for i in self.indicators],
                "component": [i.component for i in self.indicators],
                "group": [self.group_of_component(i.component) for i in self.indicators],
                "indicator_name": [i.name for i in self.indicators],
                "indicator_name_en": [i.name_en for i in self.indicators],
                "max_score": [float(i.max) for i in self.indicators],
                "rule": [i.rule for i in self.indicators],
                "target": [i.target for i in self.indicators],
                "zero_denominator": [i.zero_denominator for i in self.indicators],
                "fixed_ratio": [i.fixed_ratio for i in self.indicators],
                "inherit": [i.inherit for i in self.indicators],
                "measure": [i.measure for i in self.indicators],
                "order": list(range(len(self.indicators))),
            },
            schema_overrides={"target": pl.Float64, "fixed_ratio": pl.Float64},
        )

    def applicability(self, levels: list[str]) -> pl.DataFrame:
        """(level, indicator) pairs that apply."""
        rows = [(lv, i.id) for lv in levels for i in self.indicators if i.applies_to(lv)]
        return pl.DataFrame(rows, schema={"level": pl.String, "indicator": pl.String}, orient="row")

    def attainable(self, level: str) -> float:
        return float(sum(i.max for i in self.indicators if i.applies_to(level)))


# --------------------------------------------------------------------------------------------
# reading files


def methodology_dir() -> Path:
    return Path(str(resources.files("analysis.scoring") / "methodologies"))


def available_methodologies() -> list[str]:
    """Ids of the bundled methodology files."""
    return sorted(p.stem for p in methodology_dir().glob("*.yaml"))


def _read_yaml(path: Path, source: str) -> tuple[dict[str, Any], yaml.Node | None]:
    """The file's mapping and composed graph (for the lines of keys), read within limits and
    checked strictly (unknown keys, types)."""
    data, root = read_yaml(path, source=source, problem=MethodologyProblem)  # size, nesting and alias limits
    check_methodology_file(data, root, source)
    return data, root


def _bundled(name: str, where: Problem) -> Path:
    path = methodology_dir() / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(available_methodologies())
        raise InputError(type(where)(where.file, f"unknown methodology '{name}' (known: {known})", where.row, where.column))
    return path


def _is_path(name: str) -> bool:
    return Path(name).suffix in (".yaml", ".yml") or "/" in name or "\\" in name


def _extended(name: str, by: Path, root: yaml.Node | None, source: str) -> Path:
    """The file an ``extends:`` names: a bundled id, or a path read from the naming file's folder
    that stays inside that folder (a methodology cannot reach files elsewhere)."""
    where = MethodologyProblem(source, "", line_of(root, ("extends",)), "extends")
    if not _is_path(name):
        return _bundled(name, where)
    folder = by.resolve().parent
    path = (folder / name).resolve()
    if not path.is_relative_to(folder):
        raise InputError(MethodologyProblem(source, f"'{name}' is outside the folder of this file ({folder}): "
                                            "a methodology extends a bundled id or a file beside it", where.row, "extends"))
    if not path.is_file():
        raise InputError(MethodologyProblem(source, f"methodology file not found: {name} (read from {folder})", where.row, "extends"))
    return path


def _raw(path: Path, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The merged mapping of a methodology file (``extends`` resolved) and its source name.

    A file reached through ``extends:`` is read and checked exactly as the file naming it."""
    source = str(path)
    if str(path.resolve()) in seen:
        raise InputError(Problem(source, "methodology files extend each other in a loop"))
    data, root = _read_yaml(path, source)
    base_name = data.get("extends")
    if not base_name:
        check_indicator_ids(data, {str(item["id"]) for item in data.get("indicators") or []}, root, source)
        check_group_ids(data, _components(data), root, source)
        return data, source
    base, _ = _raw(_extended(str(base_name), path, root, source), seen + (str(path.resolve()),))
    check_indicator_ids(data, {str(item["id"]) for item in base.get("indicators") or []}, root, source)
    merged = copy.deepcopy(base)
    for key, value in data.items():
        if key in ("extends", "indicators"):
            continue
        merged[key] = value
    if "indicators" in data:
        merged["indicators"] = _merge_indicators(
            base.get("indicators", []), data["indicators"], replace=bool(data.get("replace_indicators"))
        )
    check_group_ids(data, _components(merged), root, source)
    return merged, source


def _components(data: dict[str, Any]) -> set[str]:
    """The groups an indicator may belong to: each group's components (itself when it has none)."""
    return {str(c) for group in data.get("groups") or [] for c in (group.get("components") or [group["code"]])}


def _file_of(name: str) -> Path:
    """The file of a methodology given on the command line or in parameters: a path or a bundled id."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise InputError(Problem(name, "methodology file not found"))
        return path
    return _bundled(name, Problem("--methodology", ""))


def _merge_indicators(base: list[dict], changes: list[dict], *, replace: bool) -> list[dict]:
    by_id = {item["id"]: item for item in base}
    if replace:
        return [{**by_id.get(item["id"], {}), **item} for item in changes]
    out = [dict(item) for item in base]
    index = {item["id"]: n for n, item in enumerate(out)}
    for item in changes:
        if item["id"] in index:
            out[index[item["id"]]].update(item)
        else:
            out.append(dict(item))
    return out


def _apply_alternative(data: dict[str, Any], name: str, source: str) -> dict[str, Any]:
    alternatives = data.get("alternatives") or {}
    if name not in alternatives:
        known = ", ".join(sorted(alternatives)) or "none"
        raise InputError(Problem(source, f"unknown alternative '{name}' (this methodology has: {known})", column="alternatives"))
    patch = alternatives[name]
    out = copy.deepcopy(data)
    items = {item["id"]: item for item in out["indicators"]}
    for indicator_id, change in (patch.get("indicators") or {}).items():
        if indicator_id not in items:
            raise InputError(Problem(source, f"alternative '{name}' changes unknown indicator {indicator_id}"))
        items[indicator_id].update(change)
    out["indicators"].extend(copy.deepcopy(patch.get("add") or []))
    if "rounding" in patch:
        out["rounding"] = {**(out.get("rounding") or {}), **patch["rounding"]}
    if "classes" in patch:
        out["classes"] = patch["classes"]
    return out


def _groups(data: dict[str, Any], source: str, problems: list[Problem]) -> tuple[Group, ...]:
    groups = tuple(
        Group(
            code=str(raw["code"]),
            name=str(raw.get("name", raw["code"])),
            name_en=str(raw.get("name_en", raw.get("name", raw["code"]))),
            max=float(raw["max"]),
            components=tuple(raw.get("components") or [raw["code"]]),
        )
        for raw in data.get("groups") or []
    )
    if not groups:
        problems.append(Problem(source, "no groups defined", column="groups"))
    return groups


def _indicator(raw: dict[str, Any], components: set[str], source: str, problems: list[Problem]) -> Indicator:
    """One merged indicator entry (its keys and types already checked by the schema)."""
    iid = str(raw["id"])
    component = str(raw.get("group", ""))
    if component not in components:
        problems.append(Problem(source, f"indicator {iid}: group '{component}' is not one of the groups"
                                if component else f"indicator {iid}: 'group' is required", column="group"))
    if raw.get("rule") == "target" and not raw.get("target"):
        problems.append(Problem(source, f"indicator {iid}: a target rule needs 'target'", column="target"))
    levels = raw.get("levels")
    return Indicator(
        id=iid,
        component=component,
        name=str(raw.get("name", iid)),
        name_en=str(raw.get("name_en", raw.get("name", iid))),
        max=float(raw.get("max", 0)),
        rule=str(raw.get("rule", "linear")),
        target=float(raw["target"]) if raw.get("target") is not None else None,
        zero_denominator=str(raw.get("zero_denominator", "zero")),
        fixed_ratio=float(raw["fixed_ratio"]) if raw.get("fixed_ratio") is not None else None,
        inherit=bool(raw.get("inherit", False)),
        levels=tuple(levels) if levels is not None else None,
        measure=str(raw.get("measure", "ratio")),
        label=raw.get("label"),
        denominator=str(raw.get("denominator", "all_dossiers")),
    )


def _indicators(data: dict[str, Any], groups: tuple[Group, ...], source: str, problems: list[Problem]) -> tuple[Indicator, ...]:
    components = {c for g in groups for c in g.components}
    indicators = tuple(_indicator(raw, components, source, problems) for raw in data.get("indicators") or [])
    ids = [i.id for i in indicators]
    problems.extend(Problem(source, f"indicator {iid} is defined twice", column="indicators")
                    for iid in sorted({i for i in ids if ids.count(i) > 1}))
    for group in groups:
        points = sum(i.max for i in indicators if i.component in group.components)
        if abs(points - group.max) > 1e-9:
            problems.append(
                Problem(source, f"group {group.code}: its indicators sum to {points:g} points, not its max {group.max:g}", column="max")
            )
    return indicators


def _bands(data: dict[str, Any], source: str, problems: list[Problem]) -> tuple[ClassBand, ...]:
    bands_raw = (data.get("classes") or {}).get("bands") or []
    bands = tuple(
        ClassBand(float(b["min"]), b["code"], str(b["label"]), str(b.get("label_en") or b["label"]))
        for b in sorted(bands_raw, key=lambda b: -float(b["min"]))
    )
    if not bands:
        problems.append(Problem(source, "no class bands defined", column="classes"))
    return bands


def _build(data: dict[str, Any], source: str, applied: tuple[str, ...]) -> Methodology:
    """The methodology of a merged mapping whose files passed the schema: its groups, indicators
    and bands, with the rules across them (an indicator's group exists, groups add up)."""
    problems: list[Problem] = []
    groups = _groups(data, source, problems)
    indicators = _indicators(data, groups, source, problems)
    bands = _bands(data, source, problems)
    if problems:
        raise InputError(problems)
    rounding = data.get("rounding") or {}
    ranking = data.get("ranking") or {}
    return Methodology(
        id=str(data.get("id", Path(source).stem)) + "".join(f"+{a}" for a in applied),
        title=str(data.get("title", data.get("id", ""))),
        title_en=str(data.get("title_en", data.get("title", ""))),
        groups=groups,
        indicators=indicators,
        classes=bands,
        decimals=int(rounding.get("decimals", 2)),
        group_sum=str(rounding.get("group_sum", "rounded")),
        ranking=str(ranking.get("method", "competition")),
        rank_scope=tuple(ranking.get("scope") or ("period", "level", "parent_code")),
        renormalise={str(k): bool(v) for k, v in (data.get("renormalise") or {}).items()},
        alternatives=tuple(sorted((data.get("alternatives") or {}).keys())),
        applied=applied,
        source=str(data.get("source", "")).strip(),
    )


@lru_cache(maxsize=32)
def load_methodology(spec: str = DEFAULT_METHODOLOGY) -> Methodology:
    """Load ``id``, ``id+alternative[+alternative…]`` or a path to a YAML file."""
    name, *alternatives = str(spec).split("+")
    data, source = _raw(_file_of(name))
    for alternative in alternatives:
        data = _apply_alternative(data, alternative, source)
    return _build(data, source, tuple(alternatives))
