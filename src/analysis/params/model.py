"""The parameters model (tham số báo cáo): one pydantic model for the YAML file and the notebooks.

:func:`load_parameters` reads a parameters file into :class:`Parameters`; every problem is
reported at once, each naming the file, the line and the key, and the command line exits with
status 2.  The notebooks check the values papermill gives them through the same model
(:mod:`analysis.params.notebook`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from analysis.contract import Language
from analysis.errors import InputError, Problem
from analysis.io.documents import read_yaml
from analysis.params import fields
from analysis.params.problems import (
    ParameterProblem,
    bad,
    did_you_mean,
    duplicate_keys,
    key_lines,
    problems_of,
    sorted_problems,
)
from analysis.paths import NOTEBOOKS, ROOT
from analysis.scoring.methodology import Methodology, load_methodology

NOTEBOOK_NAMES = ("scorecard", "comparison", "trends", "data_quality")
"""The suite's notebooks, in the order they run."""
DEFAULT_TIMEOUT = 600
RUN_ONLY_KEYS = ("notebooks", "timeout", "data_folders", "store", "as_of", "issuing_body", "document_code")
"""Keys of the run itself, not passed to the notebooks."""

ExistingFile = Annotated[Path, BeforeValidator(fields.existing)]
OptionalFile = Annotated[Path | None, BeforeValidator(fields.optional_existing)]
Target = Annotated[float, BeforeValidator(fields.target)]
Share = Annotated[float | None, BeforeValidator(fields.optional_share)]
Day = Annotated[date | None, BeforeValidator(fields.day)]


class Targets(BaseModel):
    """The targets (chỉ tiêu) findings are measured against, as fractions 0..1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    online_payment: Target = 0.25  # thanh toán trực tuyến
    online_dossier: Target = 0.5  # hồ sơ trực tuyến
    on_time: Target = 0.95  # giải quyết đúng hạn
    satisfaction: Target = 0.9  # mức độ hài lòng
    digitised: Target = 0.5  # số hóa hồ sơ, kết quả

    def __getitem__(self, key: str) -> float:
        return getattr(self, key)

    def as_dict(self) -> dict[str, float]:
        return self.model_dump()


DEFAULT_TARGETS: Mapping[str, float] = Targets().as_dict()


class ServiceCentre(BaseModel):
    """``service_centre``: the page's date range (both days included; default: the period), its
    targets for online and postal (BCCI) shares (default 0.4 and 0.2) and a units table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: Day = None
    end: Day = None
    online_target: Share = None
    postal_target: Share = None
    units: OptionalFile = None

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise bad(f"the range ends ({end}) before it starts ({start})")
        return end

    @property
    def targets(self) -> dict[str, float]:
        """The page's targets for the online and postal shares (trực tuyến, bưu chính)."""
        return {
            "online": 0.4 if self.online_target is None else self.online_target,
            "postal": 0.2 if self.postal_target is None else self.postal_target,
        }

    def for_notebook(self) -> dict[str, str | float]:
        return {k: v if isinstance(v, float) else str(v) for k, v in self.model_dump(exclude_none=True).items()}


@dataclass(frozen=True)
class NotebookRef:
    """One notebook of the run: its name (the page's file name) and its source file."""

    name: str
    path: Path


class _Repeated(str):
    """A notebook listed a second time (reported at its own place in the list)."""


def _notebook_list(value: object, info: ValidationInfo) -> list[object]:
    items = fields.listed(value, info, "notebooks")
    if not items:
        raise bad(f"must be a non-empty list of notebooks ({', '.join(NOTEBOOK_NAMES)})")
    seen: set[str] = set()
    marked: list[object] = []
    for item in items:
        stem = Path(item.strip()).stem if isinstance(item, str) else None
        marked.append(_Repeated(stem) if stem in seen else item)
        if stem:
            seen.add(stem)
    return marked


def _notebook(value: object, info: ValidationInfo) -> NotebookRef:
    """A notebook by name (``scorecard``: in ``notebooks/`` of the project) or an ``.ipynb`` path."""
    if isinstance(value, _Repeated):
        raise bad(f"notebook '{value}' listed twice")
    if not isinstance(value, str) or not value.strip():
        raise bad(f"must be a notebook name (got {value!r})")
    item = value.strip()
    root = fields.reading(info).root
    if item.endswith(".ipynb"):
        path = fields.resolve(item, info)
        if not path.is_file():
            raise bad(f"notebook not found: {item} (relative paths are read from {root})")
        return NotebookRef(path.stem, path)
    if Path(item).name != item or item.startswith("."):  # a name, not a path out of the notebooks' folder
        raise bad(f"a notebook is named by its file name in notebooks/ or by an .ipynb path (got {item!r})")
    folder = root / "notebooks" if (root / "notebooks").is_dir() else NOTEBOOKS
    path = folder / f"{item}.ipynb"
    if not path.is_file() and item in NOTEBOOK_NAMES:
        raise bad(f"notebook file not found: {path}")
    if not path.is_file():
        known = sorted({p.stem for p in folder.glob("*.ipynb")} | set(NOTEBOOK_NAMES))
        raise bad(f"unknown notebook '{item}'{did_you_mean(item, known)}; notebooks: {', '.join(known)}")
    return NotebookRef(item, path)


def _default_notebooks(data: dict[str, Any]) -> list[str]:
    return [*NOTEBOOK_NAMES, *(["service_centre"] if data.get("records") is not None else [])]


def _text_list(words: str) -> Any:
    return lambda value, info: fields.listed(value, info, words)


class Parameters(BaseModel):
    """The checked parameters of one run (frozen: nothing changes them once loaded).

    Field names are the keys of the parameters file (``methodology`` is kept as
    ``methodology_id``; :attr:`methodology` is the methodology it names, loaded once).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    data_folders: Annotated[
        tuple[Annotated[Path, BeforeValidator(fields.data_folder)], ...], BeforeValidator(_text_list("folders"))
    ] = ()
    scope: Annotated[str, BeforeValidator(fields.text), AfterValidator(fields.portal_code)]
    scope_slug: Annotated[str, BeforeValidator(fields.text), AfterValidator(fields.slug)]
    period: Annotated[str, BeforeValidator(fields.period)]
    facts: Annotated[Path | None, BeforeValidator(fields.facts)] = Field(default=None, validate_default=True)
    published: OptionalFile = None
    national: OptionalFile = None
    history: Annotated[tuple[ExistingFile, ...], BeforeValidator(_text_list("facts files"))] = ()
    store: Annotated[Path | None, BeforeValidator(fields.store)] = None
    as_of: Annotated[date | None, BeforeValidator(fields.as_of)] = None
    local_facts: OptionalFile = None
    data_source: Annotated[str | None, BeforeValidator(fields.optional_text), AfterValidator(fields.data_source)] = None
    """Where ``facts`` and ``published`` come from (nguồn số liệu), named in the report's sentences:
    empty for the National Public Service Portal (Cổng Dịch vụ công quốc gia)."""
    focus: Annotated[str | None, BeforeValidator(fields.optional_text), AfterValidator(fields.unit_code)] = None
    methodology_id: Annotated[str, BeforeValidator(fields.methodology)] = Field(
        default=fields.DEFAULT_METHODOLOGY, alias="methodology"
    )
    language: Annotated[Language, BeforeValidator(fields.language)] = "vi"
    targets: Annotated[
        Targets, BeforeValidator(lambda v, info: fields.mapping(v, info, "{online_payment: 0.25, on_time: 0.95}"))
    ] = Targets()
    records: OptionalFile = None
    service_centre: Annotated[
        ServiceCentre, BeforeValidator(lambda v, info: fields.mapping(v, info, "{start: 2025-12-15, end: 2026-06-14, online_target: 0.4}"))
    ] = ServiceCentre()
    notebooks: Annotated[
        tuple[Annotated[NotebookRef, BeforeValidator(_notebook)], ...], BeforeValidator(_notebook_list)
    ] = Field(default_factory=_default_notebooks, validate_default=True)
    timeout: Annotated[int, BeforeValidator(fields.timeout)] = DEFAULT_TIMEOUT
    issuing_body: Annotated[tuple[str, ...], BeforeValidator(fields.issuing_body)] = ()
    """The Word document's issuing body, superior body first (empty: the province's office)."""
    document_code: Annotated[str | None, BeforeValidator(fields.optional_text), AfterValidator(fields.document_code)] = None
    """The Word document's code after its number: Số: …/BC-VP."""

    _source: Path = PrivateAttr(default=Path("<parameters>"))
    _root: Path = PrivateAttr(default=ROOT)
    _lines: Mapping[str, int] = PrivateAttr(default_factory=dict)
    _methodology: Methodology | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _keep_reading(self, info: ValidationInfo) -> Parameters:
        """Keep where the values came from, and the methodology the check loaded."""
        found = fields.reading(info)
        self._source = found.source or self._source
        self._root = found.root
        self._lines = dict(found.lines)
        self._methodology = found.methodology
        return self

    @property
    def source(self) -> Path:
        """The parameters file (``<parameters>`` when built otherwise)."""
        return self._source

    @property
    def root(self) -> Path:
        """The folder relative paths were read from."""
        return self._root

    @property
    def methodology(self) -> Methodology:
        """The methodology the run scores with (phương pháp), loaded once."""
        if self._methodology is None:
            self._methodology = load_methodology(self.methodology_id)
        return self._methodology

    def problem(self, key: str, message: str) -> ParameterProblem:
        """A problem found later (e.g. the scope is not in the facts) pointing at ``key``'s line."""
        return ParameterProblem(str(self.source), message, self._lines.get(key, 1), key)

    def for_notebook(self) -> dict[str, Any]:
        """The flat dict papermill passes to every notebook (strings, numbers and dicts only)."""
        return {
            "scope": self.scope,
            "scope_slug": self.scope_slug,
            "period": self.period,
            "facts": str(self.facts) if self.facts else "",
            "published": str(self.published) if self.published else "",
            "national": str(self.national) if self.national else "",
            "history": fields.HISTORY_SEPARATOR.join(str(p) for p in self.history),
            "local_facts": str(self.local_facts) if self.local_facts else "",
            "data_source": self.data_source or "",
            "focus": self.focus or "",
            "methodology": self.methodology_id,
            "language": self.language,
            "targets": self.targets.as_dict(),
            "records": str(self.records) if self.records else "",
            "service_centre": self.service_centre.for_notebook(),
        }


KEYS: tuple[str, ...] = tuple(info.alias or name for name, info in Parameters.model_fields.items())
"""Every key a parameters file may have."""
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "": KEYS,
    "targets": tuple(Targets.model_fields),
    "service_centre": tuple(ServiceCentre.model_fields),
}


def project_root_of(path: Path) -> Path:
    """The folder relative paths in a parameters file are read from: the folder above it when the
    file sits in a folder called ``parameters/``, otherwise the file's own folder."""
    folder = path.resolve().parent
    return folder.parent if folder.name == "parameters" else folder


def load_parameters(path: str | os.PathLike[str]) -> Parameters:
    """Read and check a parameters file; raise one :class:`InputError` listing every problem."""
    source = Path(path)
    name = str(path)
    if not source.is_file():
        raise InputError(ParameterProblem(name, "parameters file not found"))
    data, node = read_yaml(source, source=name, problem=ParameterProblem)  # size, nesting and alias limits
    if not isinstance(data, dict):
        raise InputError(ParameterProblem(name, "a parameters file must be a mapping of keys (scope: …, period: …)", 1))
    lines = key_lines(node)
    root = project_root_of(source)
    context = fields.Reading(
        root=root,
        allowed=(ROOT.resolve(), root.resolve(), source.resolve().parent),
        raw=data,
        source=source,
        lines={k: v for k, v in lines.items() if not k.startswith("!")},
    )
    problems: list[Problem] = [*duplicate_keys(name, lines)]
    parameters = None
    try:
        parameters = Parameters.model_validate(data, context={"reading": context})
    except ValidationError as exc:
        problems += problems_of(exc, source=name, lines=lines, keys=KNOWN_KEYS)
    if problems or parameters is None:
        raise InputError(sorted_problems(problems))
    return parameters
