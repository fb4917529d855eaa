"""Run parameters (tham số báo cáo): one YAML file per monthly run, checked before anything runs.

A parameters file names the province (``scope``), the period, the facts file and the optional
sources of the run, the methodology, the language, the targets (chỉ tiêu) the findings are
measured against, and the notebooks to run::

    scope: H44                 # the province's portal code (mã tỉnh)
    scope_slug: phu-tho        # reports/<scope_slug>/<period>/
    period: "2026-08"
    facts: data/portal/phu-tho-2026-08/facts.csv
    published: data/portal/phu-tho-2026-08/published.csv   # optional
    national: data/portal/national/province_scores.csv     # optional
    history: []                                            # optional: facts of other periods
    store: data/history        # optional: a history store; the run reads every period held there
    as_of:                     # optional: with a store, the figures as they stood on this date
    local_facts:               # optional: the same period's facts from the province's own system
    focus:                     # optional: a unit to compare with its peers (mã đơn vị)
    methodology: portal-2025
    language: vi               # vi | en
    targets: {online_payment: 0.25, online_dossier: 0.5, on_time: 0.95, satisfaction: 0.9, digitised: 0.5}
    notebooks: [scorecard, comparison, trends, data_quality]
    timeout: 600               # optional: seconds a notebook cell may run
    records:                   # optional: dossier-level records (hồ sơ) → the service-centre page
    service_centre: {start: 2025-12-15, end: 2026-06-14, online_target: 0.4, postal_target: 0.2}
    issuing_body: [UBND TỈNH PHÚ THỌ, VĂN PHÒNG]   # optional: the Word report's issuing body
    document_code: BC-VP       # optional: the Word report's code (Số: …/BC-VP)

Relative paths are read from the *project root of the file*: the folder above it when the file
sits in a folder called ``parameters/`` (``parameters/phu-tho-2026-08.yaml`` → the project
root), otherwise the file's own folder.  A notebook is named by its file name in ``notebooks/``
of that root (``scorecard``) or given as a path to an ``.ipynb`` file.

:func:`load_parameters` reports every problem at once, each naming the file, the line and the
key (:class:`ParameterProblem`, an :class:`~analysis.errors.Problem`); the command line exits
with status 2.  :func:`validate_notebook_parameters` checks the values a notebook receives (from
papermill they arrive as strings) in the cell after its ``parameters`` cell.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from analysis.errors import InputError, Problem, quote_cell
from analysis.paths import NOTEBOOKS, ROOT

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from analysis.scoring.methodology import Methodology
    from analysis.scoring.score import Scored

LANGUAGES = ("vi", "en")
NOTEBOOK_NAMES = ("scorecard", "comparison", "trends", "data_quality")
"""The suite's notebooks, in the order they run."""

DEFAULT_TARGETS: Mapping[str, float] = MappingProxyType(
    {
        "online_payment": 0.25,  # thanh toán trực tuyến
        "online_dossier": 0.5,  # hồ sơ trực tuyến
        "on_time": 0.95,  # giải quyết đúng hạn
        "satisfaction": 0.9,  # mức độ hài lòng
        "digitised": 0.5,  # số hóa hồ sơ, kết quả
    }
)
"""The targets (chỉ tiêu) findings are measured against, as fractions 0..1."""

DEFAULT_TIMEOUT = 600
HISTORY_SEPARATOR = ";"
"""``history`` reaches a notebook as one string, its paths joined by this separator."""

REQUIRED = ("scope", "scope_slug", "period")
KEYS = (
    "scope",
    "scope_slug",
    "period",
    "facts",
    "published",
    "national",
    "history",
    "store",
    "as_of",
    "local_facts",
    "focus",
    "methodology",
    "language",
    "targets",
    "notebooks",
    "timeout",
    "data_folders",
    "records",
    "service_centre",
    "issuing_body",
    "document_code",
)
RUN_ONLY_KEYS = ("notebooks", "timeout", "data_folders", "store", "as_of", "issuing_body", "document_code")
"""Keys of the run itself, not passed to the notebooks."""
SERVICE_CENTRE_KEYS = ("start", "end", "online_target", "postal_target", "units")
"""``service_centre``: the report's date range (both days included; default: the period), its
targets for online and postal (BCCI) shares (default 0.4 and 0.2) and a units table (default:
the bundled units)."""
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^\S+$")


# --------------------------------------------------------------------------------------------
# problems


@dataclass(frozen=True)
class ParameterProblem(Problem):
    """A problem in a parameters file: file, line (``row``) and key (``column``)."""

    UNNAMED = "<parameters>"
    ROW_WORD = "line"
    COLUMN_WORD = "key"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'language'?)`` for a near miss, else an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --------------------------------------------------------------------------------------------
# the parameters of a run


@dataclass(frozen=True)
class NotebookRef:
    """One notebook of the run: its name (the page's file name) and its source file."""

    name: str
    path: Path


@dataclass(frozen=True)
class Parameters:
    """The checked parameters of one run (frozen: nothing changes them once loaded)."""

    source: Path
    root: Path
    scope: str
    scope_slug: str
    period: str
    facts: Path | None
    published: Path | None
    national: Path | None
    history: tuple[Path, ...]
    methodology: str
    language: str
    targets: Mapping[str, float]
    notebooks: tuple[NotebookRef, ...]
    local_facts: Path | None = None
    focus: str | None = None
    timeout: int = DEFAULT_TIMEOUT
    store: Path | None = None
    as_of: date | None = None
    records: Path | None = None
    service_centre: Mapping[str, Any] = field(default_factory=dict)
    issuing_body: tuple[str, ...] = ()  # the Word document's issuing body, superior body first (empty: the province's office)
    document_code: str | None = None  # the Word document's code after its number: Số: …/BC-VP
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def problem(self, key: str, message: str) -> ParameterProblem:
        """A problem found later (e.g. the scope is not in the facts) pointing at ``key``'s line."""
        return ParameterProblem(str(self.source), message, self.lines.get(key, 1), key)

    def for_notebook(self) -> dict[str, Any]:
        """The flat dict papermill passes to every notebook (strings, numbers and a dict only)."""
        return {
            "scope": self.scope,
            "scope_slug": self.scope_slug,
            "period": self.period,
            "facts": str(self.facts) if self.facts else "",
            "published": str(self.published) if self.published else "",
            "national": str(self.national) if self.national else "",
            "history": HISTORY_SEPARATOR.join(str(p) for p in self.history),
            "local_facts": str(self.local_facts) if self.local_facts else "",
            "focus": self.focus or "",
            "methodology": self.methodology,
            "language": self.language,
            "targets": {k: float(v) for k, v in self.targets.items()},
            "records": str(self.records) if self.records else "",
            "service_centre": {k: str(v) if isinstance(v, Path) else v for k, v in self.service_centre.items()},
        }


class _Reported(Exception):
    """A problem already reported; stop checking this key."""


def project_root_of(path: Path) -> Path:
    """The folder relative paths in a parameters file are read from (see the module docs)."""
    folder = path.resolve().parent
    return folder.parent if folder.name == "parameters" else folder


def _lines(text: str) -> dict[str, int]:
    """Line numbers (1-based) of keys: ``"language"``, ``"targets.on_time"``, ``"notebooks[2]"``.

    Also records duplicated top-level keys under ``"!duplicate:<key>"``.
    """
    lines: dict[str, int] = {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in lines:
            lines[f"!duplicate:{key}"] = key_node.start_mark.line + 1
        lines.setdefault(key, key_node.start_mark.line + 1)
        if isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines.setdefault(f"{key}.{sub_key.value}", sub_key.start_mark.line + 1)
        elif isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines.setdefault(f"{key}[{i}]", item.start_mark.line + 1)
    return lines


def load_parameters(path: str | os.PathLike[str]) -> Parameters:
    """Read and check a parameters file; raise one :class:`InputError` listing every problem."""
    source = Path(path)
    name = str(path)
    if not source.is_file():
        raise InputError(ParameterProblem(name, "parameters file not found"))
    from analysis.io.documents import read_yaml

    data, text = read_yaml(source, source=name, problem=ParameterProblem)  # size, nesting and alias limits
    lines = _lines(text)
    if not isinstance(data, dict):
        raise InputError(ParameterProblem(name, "a parameters file must be a mapping of keys (scope: …, period: …)", 1))

    problems: list[ParameterProblem] = []
    root = project_root_of(source)

    def report(key: str, message: str) -> None:
        problems.append(ParameterProblem(name, message, lines.get(key, lines.get(re.split(r"[.\[]", key)[0], 1)), key))

    allowed = [ROOT.resolve(), root.resolve(), source.resolve().parent]
    raw_folders = data.get("data_folders") or []
    if isinstance(raw_folders, str):
        raw_folders = [raw_folders]
    if not isinstance(raw_folders, list):
        report("data_folders", "must be a list of folders ([] for none)")
        raw_folders = []
    for i, item in enumerate(raw_folders):
        folder = (root / item).resolve() if isinstance(item, str) and item.strip() else None
        if folder is None or not folder.is_dir():
            report(f"data_folders[{i}]", f"not a folder: {item!r}")
        elif folder == Path(folder.anchor):
            report(f"data_folders[{i}]", "the whole file system cannot be a data folder")
        else:
            allowed.append(folder)

    def inside_allowed(path: Path, where: str) -> bool:
        """A named file must lie under the project, the parameters file's folder, or a listed folder."""
        real = path.resolve()
        if any(real == folder or real.is_relative_to(folder) for folder in allowed):
            return True
        report(where, f"{real} is outside the project ({ROOT}), the parameters file's folder and the "
                      "folders listed in data_folders")
        return False

    for key in lines:
        if key.startswith("!duplicate:"):
            dup = key.split(":", 1)[1]
            problems.append(ParameterProblem(name, "key given twice", lines[key], dup))
    for key in data:
        if str(key) not in KEYS:
            report(str(key), f"unknown key{did_you_mean(str(key), KEYS)}; the keys are {', '.join(KEYS)}")
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            report(key, "required" if key not in data else "must not be empty")

    def text_value(key: str, default: str | None = None) -> str | None:
        value = data.get(key, default)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            report(key, f"must be text (got {type(value).__name__} {value!r})")
            return None
        return str(value).strip()

    def path_value(key: str, value: object, where: str | None = None) -> Path | None:
        where = where or key
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            report(where, f"must be a file path (got {type(value).__name__} {value!r})")
            return None
        resolved = Path(value) if Path(value).is_absolute() else root / value
        if not inside_allowed(resolved, where):
            return None
        if not resolved.exists():
            report(where, f"file not found: {value} (relative paths are read from {root})")
            return None
        return resolved

    scope = text_value("scope")
    if scope is not None and not _CODE.match(scope):
        report("scope", f"a portal code has no spaces (got {quote_cell(scope)}; e.g. H44)")
        scope = None
    slug = text_value("scope_slug")
    if slug is not None and not _SLUG.match(slug):
        report("scope_slug", f"use lower-case letters, digits and hyphens (got {quote_cell(slug)}; e.g. phu-tho)")
        slug = None

    period: str | None = None
    raw_period = data.get("period")
    if raw_period not in (None, ""):
        from analysis.contract.periods import parse_period

        if isinstance(raw_period, bool) or not isinstance(raw_period, (str, int)):
            hint = ' (quote it: period: "2026-08")' if hasattr(raw_period, "year") else ""
            report("period", f"must be a period code such as \"2026-08\" (got {raw_period!r}){hint}")
        else:
            try:
                period = parse_period(raw_period).code
            except ValueError as exc:
                report("period", str(exc))

    facts = path_value("facts", data.get("facts"))
    published = path_value("published", data.get("published"))
    national = path_value("national", data.get("national"))
    local_facts = path_value("local_facts", data.get("local_facts"))
    focus = text_value("focus")
    if focus is not None and not _CODE.match(focus):
        report("focus", f"a unit code has no spaces (got {quote_cell(focus)}; e.g. H44.100)")
        focus = None
    history: list[Path] = []
    raw_history = data.get("history") or []
    if isinstance(raw_history, str):
        raw_history = [raw_history]
    if not isinstance(raw_history, list):
        report("history", "must be a list of facts files ([] for none)")
    else:
        for i, item in enumerate(raw_history):
            found = path_value("history", item, f"history[{i}]")
            if found is not None:
                history.append(found)

    store: Path | None = None
    raw_store = data.get("store")
    if raw_store not in (None, ""):
        if not isinstance(raw_store, str):
            report("store", f"must be a folder path (got {type(raw_store).__name__} {raw_store!r})")
        else:
            store = Path(raw_store) if Path(raw_store).is_absolute() else root / raw_store
            if store.exists() and not store.is_dir():
                report("store", f"a history store is a folder: {raw_store}")
            elif not store.exists() and not history:
                report("store", f"folder not found: {raw_store} (fill it with 'python -m analysis history add', "
                                "or list files under history: to add)")
    if data.get("facts") in (None, "") and "facts" not in [p.column for p in problems] and store is None:
        report("facts", "required (or a history store: store: data/history)")
    as_of: date | None = None
    raw_as_of = data.get("as_of")
    if raw_as_of not in (None, ""):
        if isinstance(raw_as_of, date):
            as_of = raw_as_of
        else:
            from analysis.scoring.history import parse_as_of

            try:
                as_of = parse_as_of(str(raw_as_of))
            except InputError as exc:
                report("as_of", exc.problems[0].message)
        if store is None and as_of is not None:
            report("as_of", "the figures as they stood on a date come from a history store (store: data/history)")

    methodology = text_value("methodology", "portal-2025") or "portal-2025"
    try:
        from analysis.scoring.methodology import available_methodologies, load_methodology

        spec = methodology
        base = spec.split("+")[0]
        if base.endswith((".yaml", ".yml")):
            file = Path(base) if Path(base).is_absolute() else root / base
            spec = str(file) + spec[len(base):]
            if not inside_allowed(file, "methodology"):
                raise _Reported
        load_methodology(spec)
        methodology = spec
    except _Reported:
        pass
    except InputError as exc:
        choices = available_methodologies()
        hint = did_you_mean(methodology.split("+")[0], choices)
        report("methodology", f"{exc.problems[0].message}{hint}; bundled: {', '.join(choices)}")
    except Exception as exc:  # an unreadable methodology is a parameter problem, not a crash
        report("methodology", f"cannot load methodology '{methodology}': {exc}")

    language = text_value("language", "vi") or "vi"
    if language not in LANGUAGES:
        report("language", f"must be one of {', '.join(LANGUAGES)} (got '{language}'){did_you_mean(language, LANGUAGES)}")

    targets = dict(DEFAULT_TARGETS)
    raw_targets = data.get("targets") or {}
    if not isinstance(raw_targets, dict):
        report("targets", "must be a mapping such as {online_payment: 0.25, on_time: 0.95}")
    else:
        for key, value in raw_targets.items():
            where = f"targets.{key}"
            if str(key) not in DEFAULT_TARGETS:
                report(where, f"unknown target{did_you_mean(str(key), tuple(DEFAULT_TARGETS))}; targets are {', '.join(DEFAULT_TARGETS)}")
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                report(where, f"must be a number between 0 and 1 (got {value!r})")
            elif not 0 <= value <= 1:
                hint = f" (write {value / 100:g} for {value:g} %)" if 1 < value <= 100 else ""
                report(where, f"must be between 0 and 1 (got {value:g}){hint}")
            else:
                targets[str(key)] = float(value)

    records = path_value("records", data.get("records"))
    service_centre = _service_centre(data.get("service_centre"), report, path_value)
    notebooks: list[NotebookRef] = []
    default_notebooks = [*NOTEBOOK_NAMES, *(["service_centre"] if records is not None else [])]
    raw_notebooks = data.get("notebooks", default_notebooks)
    if isinstance(raw_notebooks, str):
        raw_notebooks = [raw_notebooks]
    if not isinstance(raw_notebooks, list) or not raw_notebooks:
        report("notebooks", f"must be a non-empty list of notebooks ({', '.join(NOTEBOOK_NAMES)})")
    else:
        seen: set[str] = set()
        for i, item in enumerate(raw_notebooks):
            where = f"notebooks[{i}]"
            if not isinstance(item, str) or not item.strip():
                report(where, f"must be a notebook name (got {item!r})")
                continue
            item = item.strip()
            if item.endswith(".ipynb"):
                path = Path(item) if Path(item).is_absolute() else root / item
                if not inside_allowed(path, where):
                    continue
                if not path.is_file():
                    report(where, f"notebook not found: {item} (relative paths are read from {root})")
                    continue
            else:
                folder = root / "notebooks" if (root / "notebooks").is_dir() else NOTEBOOKS
                path = folder / f"{item}.ipynb"
                if not path.is_file() and item in NOTEBOOK_NAMES:
                    report(where, f"notebook file not found: {path}")
                    continue
                if not path.is_file():
                    known = sorted({p.stem for p in folder.glob("*.ipynb")} | set(NOTEBOOK_NAMES))
                    report(where, f"unknown notebook '{item}'{did_you_mean(item, known)}; notebooks: {', '.join(known)}")
                    continue
            stem = path.stem
            if stem in seen:
                report(where, f"notebook '{stem}' listed twice")
                continue
            seen.add(stem)
            notebooks.append(NotebookRef(stem, path))

    timeout = data.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        report("timeout", f"must be a whole number of seconds > 0 (got {timeout!r})")
        timeout = DEFAULT_TIMEOUT

    # the Word document's letterhead: "VĂN PHÒNG" or [UBND TỈNH PHÚ THỌ, VĂN PHÒNG]; Số: …/BC-VP
    raw_body = data.get("issuing_body") or []
    raw_body = [raw_body] if isinstance(raw_body, str) else raw_body
    if not isinstance(raw_body, list) or not all(isinstance(x, str) and x.strip() for x in raw_body) or len(raw_body) > 2:
        report("issuing_body", "must be the issuing body's name, or two lines [superior body, issuing body]")
        raw_body = []
    document_code = text_value("document_code")
    if document_code is not None and not re.fullmatch(r"[A-ZĐ0-9][A-ZĐ0-9&.\-]*", document_code):
        report("document_code", f"a document code such as BC-VP: capitals, digits and hyphens (got '{document_code}')")
        document_code = None

    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    assert scope and slug and period and (facts or store)  # guaranteed by the checks above
    return Parameters(
        source=source,
        root=root,
        scope=scope,
        scope_slug=slug,
        period=period,
        facts=facts,
        published=published,
        national=national,
        history=tuple(history),
        methodology=methodology,
        language=language,
        targets=MappingProxyType(targets),
        notebooks=tuple(notebooks),
        timeout=timeout,
        local_facts=local_facts,
        focus=focus,
        store=store,
        as_of=as_of,
        records=records,
        service_centre=MappingProxyType(service_centre),
        issuing_body=tuple(x.strip() for x in raw_body),
        document_code=document_code,
        lines=MappingProxyType({k: v for k, v in lines.items() if not k.startswith("!")}),
    )


def _service_centre(raw: object, report: Any, path_value: Any) -> dict[str, Any]:
    """The ``service_centre`` mapping checked: ISO dates, targets 0..1, a units file."""
    from datetime import date

    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        report("service_centre", "must be a mapping such as {start: 2025-12-15, end: 2026-06-14, online_target: 0.4}")
        return {}
    checked: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"service_centre.{key}"
        if str(key) not in SERVICE_CENTRE_KEYS:
            report(where, f"unknown key{did_you_mean(str(key), SERVICE_CENTRE_KEYS)}; keys are {', '.join(SERVICE_CENTRE_KEYS)}")
        elif key in ("start", "end"):
            try:
                checked[key] = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
            except ValueError:
                report(where, f"must be a date written 2025-12-15 (got {value!r})")
        elif key == "units":
            found = path_value(where, value, where)
            if found is not None:
                checked[key] = found
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            report(where, f"must be a number between 0 and 1 (got {value!r})")
        else:
            checked[key] = float(value)
    if "start" in checked and "end" in checked and checked["end"] < checked["start"]:
        report("service_centre.end", f"the range ends ({checked['end']}) before it starts ({checked['start']})")
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in checked.items()}


# --------------------------------------------------------------------------------------------
# inside a notebook


NOTEBOOK_PARAMETERS = (*(k for k in KEYS if k not in RUN_ONLY_KEYS), "output_dir", "scored")
"""The parameters every notebook of the suite declares (its ``parameters`` cell).

A run from a history store passes the period's facts as read from the store (a file of the run's
``scored`` folder) and every period's scores in ``scored``; the store itself is the report's."""


@dataclass(frozen=True)
class NotebookParameters:
    """A notebook's parameters after checking: typed values and the scored data on demand."""

    scope: str
    scope_slug: str
    period: str
    facts: Path
    published: Path | None
    national: Path | None
    history: tuple[Path, ...]
    local_facts: Path | None
    focus: str | None
    methodology_id: str
    language: str
    targets: Mapping[str, float]
    output_dir: Path | None
    scored_dir: Path | None
    records: Path | None = None
    service_centre: Mapping[str, Any] = field(default_factory=dict)
    """start and end (dates), targets ({online, postal}: 0..1), units (a path or None)."""

    @cached_property
    def methodology(self) -> Methodology:
        from analysis.scoring.methodology import load_methodology

        return load_methodology(self.methodology_id)

    @cached_property
    def scored(self) -> Scored:
        """The run's scores (điểm): read from the report's ``scored`` folder, else computed here."""
        from analysis.scoring.score import Scored

        if self.scored_dir is not None:
            import polars as pl

            return Scored(
                pl.read_parquet(self.scored_dir / "scorecard.parquet"),
                pl.read_parquet(self.scored_dir / "detail.parquet"),
                self.methodology,
            )
        return self._scored_all[0]

    @cached_property
    def series(self) -> pl.DataFrame:
        """The scorecard of every period at hand (the facts file and ``history``), for trends."""
        if self.scored_dir is not None and (self.scored_dir / "history.parquet").is_file():
            import polars as pl

            return pl.read_parquet(self.scored_dir / "history.parquet")
        return self._scored_all[1]

    @cached_property
    def captures(self) -> pl.DataFrame | None:
        """The period's scorecard at each capture date of the run's history store (``date``,
        ``provisional``): the progress within an open period; ``None`` without a store."""
        if self.scored_dir is None or not (self.scored_dir / "captures.parquet").is_file():
            return None
        import polars as pl

        return pl.read_parquet(self.scored_dir / "captures.parquet")

    @cached_property
    def derived(self) -> pl.DataFrame | None:
        """A quarter or year scored from its months beside the portal's own figures for it
        (:func:`analysis.scoring.history.derived_against_held`), when the run's store holds both."""
        if self.scored_dir is None or not (self.scored_dir / "derived.parquet").is_file():
            return None
        import polars as pl

        return pl.read_parquet(self.scored_dir / "derived.parquet")

    @cached_property
    def _scored_all(self) -> tuple[Scored, pl.DataFrame]:
        from analysis.scoring.facts import read_facts
        from analysis.scoring.score import score_period

        history = [read_facts(path, self.methodology) for path in self.history]
        return score_period(read_facts(self.facts, self.methodology), self.methodology, self.period, history=history)


class ParameterError(InputError):
    """A notebook received a value it cannot use (the notebook stops with this message)."""


def _number(text: object) -> float:
    if isinstance(text, bool):
        raise ValueError
    if isinstance(text, (int, float)):
        return float(text)
    value = str(text).strip().replace(" ", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    return float(value)


def validate_notebook_parameters(**values: Any) -> NotebookParameters:
    """Check and type a notebook's parameters (values may arrive as strings); raise one clear error.

    Call it in the cell right after the ``parameters`` cell with every parameter by name.
    Relative paths are read from the project root (:data:`analysis.paths.ROOT`); an empty
    ``output_dir`` means charts are not saved, an empty ``scored`` means the notebook scores the
    facts itself.
    """
    from analysis.contract.periods import parse_period

    source = "notebook parameters"
    problems: list[Problem] = []

    def report(key: str, message: str) -> None:
        problems.append(ParameterProblem(source, message, None, key))

    for key in values:
        if key not in NOTEBOOK_PARAMETERS:
            report(key, f"unknown parameter{did_you_mean(key, NOTEBOOK_PARAMETERS)}")
    for key in ("scope", "scope_slug", "period", "facts"):
        if str(values.get(key) or "").strip() == "":
            report(key, "required")

    def text(key: str, default: str = "") -> str:
        value = values.get(key, default)
        return "" if value is None else str(value).strip()

    def path(key: str, value: str, *, must_exist: bool = True) -> Path | None:
        if not value:
            return None
        resolved = Path(value) if Path(value).is_absolute() else ROOT / value
        if must_exist and not resolved.exists():
            report(key, f"file not found: {value}")
            return None
        return resolved

    period = text("period")
    if period:
        try:
            period = parse_period(period).code
        except ValueError as exc:
            report("period", str(exc))
    slug = text("scope_slug")
    if slug and not _SLUG.match(slug):
        report("scope_slug", f"use lower-case letters, digits and hyphens (got {quote_cell(slug)})")
    language = text("language", "vi") or "vi"
    if language not in LANGUAGES:
        report("language", f"must be one of {', '.join(LANGUAGES)} (got '{language}')")
    methodology = text("methodology", "portal-2025") or "portal-2025"
    try:
        from analysis.scoring.methodology import load_methodology

        load_methodology(methodology)
    except Exception as exc:  # noqa: BLE001 - reported as a parameter problem
        report("methodology", f"cannot load '{methodology}': {exc}")

    targets = dict(DEFAULT_TARGETS)
    raw_targets = values.get("targets") or {}
    if isinstance(raw_targets, str):
        try:
            raw_targets = yaml.safe_load(raw_targets) or {}
        except yaml.YAMLError:
            raw_targets = None
    if not isinstance(raw_targets, Mapping):
        report("targets", f"must be a mapping such as {json.dumps(dict(DEFAULT_TARGETS))} (got {values.get('targets')!r})")
    else:
        for key, value in raw_targets.items():
            if key not in DEFAULT_TARGETS:
                report("targets", f"unknown target '{key}'{did_you_mean(str(key), tuple(DEFAULT_TARGETS))}")
                continue
            try:
                number = _number(value)
            except ValueError:
                report("targets", f"target '{key}' must be a number between 0 and 1 (got {value!r})")
                continue
            if not 0 <= number <= 1:
                report("targets", f"target '{key}' must be between 0 and 1 (got {value!r})")
            else:
                targets[key] = number

    facts = path("facts", text("facts"))
    history_text = values.get("history") or ""
    items = history_text if isinstance(history_text, (list, tuple)) else str(history_text).split(HISTORY_SEPARATOR)
    history = tuple(p for p in (path("history", str(i).strip()) for i in items if str(i).strip()) if p is not None)
    scored_dir = path("scored", text("scored"))
    if scored_dir is not None and not (scored_dir / "scorecard.parquet").is_file():
        report("scored", f"no scorecard.parquet in {scored_dir}")
    output_dir = path("output_dir", text("output_dir"), must_exist=False)
    records = path("records", text("records"))
    centre = _centre_values(values.get("service_centre"), period, report, path)

    if problems:
        raise ParameterError(problems)
    return NotebookParameters(
        scope=text("scope"),
        scope_slug=slug,
        period=period,
        facts=facts,  # type: ignore[arg-type]  # required, checked above
        published=path("published", text("published")),
        national=path("national", text("national")),
        history=history,
        local_facts=path("local_facts", text("local_facts")),
        focus=text("focus") or None,
        methodology_id=methodology,
        language=language,
        targets=MappingProxyType(targets),
        output_dir=output_dir,
        scored_dir=scored_dir,
        records=records,
        service_centre=MappingProxyType(centre),
    )


def _centre_values(raw: object, period: str, report: Any, path: Any) -> dict[str, Any]:
    """A notebook's ``service_centre``: the range (default: the period), targets, units."""
    from datetime import date

    from analysis.contract.periods import parse_period

    if raw is None:
        raw = {}
    if isinstance(raw, str):
        try:
            raw = (yaml.safe_load(raw) if raw.strip() else {}) or {}
        except yaml.YAMLError:
            raw = None
    if not isinstance(raw, Mapping):
        report("service_centre", f"must be a mapping (got {raw!r})")
        return {}
    out: dict[str, Any] = {"targets": {"online": 0.4, "postal": 0.2}, "units": None}
    try:
        whole = parse_period(period) if period else None
    except ValueError:
        whole = None
    for key in ("start", "end"):
        value = raw.get(key)
        if value in (None, ""):
            out[key] = None if whole is None else (whole.start if key == "start" else whole.end)
            continue
        try:
            out[key] = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
        except ValueError:
            report("service_centre", f"{key} must be a date written 2025-12-15 (got {value!r})")
    for key, name in (("online_target", "online"), ("postal_target", "postal")):
        if raw.get(key) not in (None, ""):
            try:
                number = _number(raw[key])
            except ValueError:
                number = -1.0
            if not 0 <= number <= 1:
                report("service_centre", f"{key} must be a number between 0 and 1 (got {raw[key]!r})")
            else:
                out["targets"][name] = number
    if raw.get("units"):
        out["units"] = path("service_centre", str(raw["units"]))
    return out
