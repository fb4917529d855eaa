"""A notebook's parameters (tham số sổ tay): papermill's values checked through the run's model, typed.

:func:`validate_notebook_parameters` checks the values (papermill gives strings: ``"0,9"``,
``"a.csv;b.csv"``) through :class:`~analysis.params.model.Parameters` and returns a
:class:`NotebookParameters`: the period, the methodology, the language, the scored frames, the
output folder (:func:`analysis.params.opening.open_notebook` also sets the notebook up).  Relative paths are read from the project
root; an empty ``output_dir`` means charts are not saved, an empty ``scored`` that the notebook
scores the facts itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import polars as pl
from pydantic import BeforeValidator, Field, PrivateAttr, ValidationError, ValidationInfo

from analysis.contract import LEVELS, Level
from analysis.contract.periods import Period, parse_period
from analysis.errors import Problem
from analysis.params import fields
from analysis.params.model import KNOWN_KEYS, RUN_ONLY_KEYS, Parameters
from analysis.params.problems import NOTEBOOK_SOURCE, ParameterError, ParameterProblem, bad, problems_of
from analysis.paths import ROOT
from analysis.report.tables import root_unit
from analysis.scoring.facts import read_facts
from analysis.scoring.score import Scored, score_period


def _output_dir(value: object, info: ValidationInfo) -> Path | None:
    return None if fields.empty(value) else fields.resolve(value, info, "a folder path")


def _scored_dir(value: object, info: ValidationInfo) -> Path | None:
    folder = fields.optional_existing(value, info)
    if folder is not None and not (folder / "scorecard.parquet").is_file():
        raise bad(f"no scorecard.parquet in {folder}")
    return folder


class NotebookParameters(Parameters):
    """A notebook's parameters after checking, and the data it reads, each read once on demand."""

    output_dir: Annotated[Path | None, BeforeValidator(_output_dir)] = None
    """Where charts are saved (PNG, SVG); None: not saved."""
    scored_dir: Annotated[Path | None, BeforeValidator(_scored_dir)] = Field(default=None, alias="scored")
    """The run's ``scored`` folder; None: the notebook scores the facts itself."""

    _read: dict[str, Any] = PrivateAttr(default_factory=dict)

    def _once(self, name: str, make: Any) -> Any:
        if name not in self._read:
            self._read[name] = make()
        return self._read[name]

    @property
    def span(self) -> Period:
        """The period (kỳ báo cáo) as days: ``ctx.span.label(ctx.language)``."""
        return parse_period(self.period)

    @property
    def scored(self) -> Scored:
        """The run's scores (điểm): read from the report's ``scored`` folder, else computed here."""
        folder = self.scored_dir
        if folder is None:
            return self._scored_all[0]
        return self._once("scored", lambda: Scored(
            pl.read_parquet(folder / "scorecard.parquet"), pl.read_parquet(folder / "detail.parquet"), self.methodology,
        ))

    @property
    def scorecard(self) -> pl.DataFrame:
        return self.scored.scorecard

    @property
    def detail(self) -> pl.DataFrame:
        return self.scored.detail

    @property
    def series(self) -> pl.DataFrame:
        """The scorecard of every period at hand (the facts file and ``history``), for trends."""
        found = self._scored_file("history.parquet")
        return self._scored_all[1] if found is None else found

    @property
    def captures(self) -> pl.DataFrame | None:
        """The period's scorecard at each capture date of the run's history store (``date``,
        ``provisional``): the progress within an open period; None without a store."""
        return self._scored_file("captures.parquet")

    @property
    def derived(self) -> pl.DataFrame | None:
        """A quarter or year scored from its months beside the portal's own figures for it
        (:func:`analysis.scoring.history.derived_against_held`), when the run's store holds both."""
        return self._scored_file("derived.parquet")

    @property
    def national_scores(self) -> pl.DataFrame | None:
        """The 34 provinces' published scores (``national``), None without them."""
        national = self.national
        return None if national is None else self._once("national", lambda: pl.read_csv(national))

    @property
    def province(self) -> dict[str, Any]:
        """The scorecard row of the report's scope."""
        return root_unit(self.scorecard, self.scope)

    @property
    def levels(self) -> list[Level]:
        """The levels below the province that have units, from the top down."""
        present = set(self.scorecard["level"].to_list())
        return [level for level in LEVELS if level in present and level not in ("national", "province")]

    def centre_range(self) -> tuple[date, date]:
        """The service-centre page's days: ``service_centre``'s start and end, else the period."""
        whole = self.span
        return (self.service_centre.start or whole.start, self.service_centre.end or whole.end)

    def _scored_file(self, name: str) -> pl.DataFrame | None:
        folder = self.scored_dir
        if folder is None or not (folder / name).is_file():
            return None
        return self._once(name, lambda: pl.read_parquet(folder / name))

    @property
    def _scored_all(self) -> tuple[Scored, pl.DataFrame]:
        facts = self.facts
        assert facts is not None  # a notebook's facts are required
        return self._once("scored_all", lambda: score_period(
            read_facts(facts, self.methodology), self.methodology, self.period,
            history=[read_facts(path, self.methodology) for path in self.history],
        ))


NOTEBOOK_PARAMETERS: tuple[str, ...] = (*(k for k in KNOWN_KEYS[""] if k not in RUN_ONLY_KEYS), "output_dir", "scored")
"""The parameters a notebook of the suite may declare (its ``parameters`` cell)."""


def validate_notebook_parameters(**values: Any) -> NotebookParameters:
    """Check and type a notebook's parameters (values may arrive as strings); raise one clear error."""
    problems: list[Problem] = [
        ParameterProblem(NOTEBOOK_SOURCE, "unknown parameter", None, key) for key in values if key in RUN_ONLY_KEYS
    ]
    context = fields.Reading(notebook=True, root=ROOT, raw=values)
    checked = None
    try:
        checked = NotebookParameters.model_validate(values, context={"reading": context})
    except ValidationError as exc:
        keys = {**KNOWN_KEYS, "": NOTEBOOK_PARAMETERS}
        problems += problems_of(exc, source=NOTEBOOK_SOURCE, lines={}, keys=keys, notebook=True)
    if problems or checked is None:
        raise ParameterError(problems)
    return checked
