"""The explorer's data from files (số liệu cho công cụ khám phá): the facts of several periods, scored together.

The periods come from the notebook's ``facts`` and ``history`` files and, when a history store
is named (``store``, see :mod:`analysis.scoring.history`), from every period the store holds (the latest
capture of each).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analysis.explore.view import ExploreData, prepare
from analysis.params import ParameterError, ParameterProblem
from analysis.paths import ROOT
from analysis.scoring import history
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import Scored, combine_periods, score


def scored_periods(frames: Sequence[pl.DataFrame], methodology: Methodology) -> Scored:
    """Scorecard and indicator detail of every period in ``frames`` (facts), scored together.

    Scoring the periods together gives each its change against the one before. Where two frames
    hold the same period × unit × indicator, the first wins.
    """
    return score(combine_periods(list(frames)), methodology)


def store_path(text: str) -> Path | None:
    """The ``store`` parameter as a folder (relative to the project root), checked; None when empty."""
    if not str(text or "").strip():
        return None
    path = Path(text) if Path(text).is_absolute() else ROOT / text
    if not history.is_store(path):
        why = "folder not found" if not path.exists() else "not a history store (no period=… folders)"
        raise ParameterError([ParameterProblem("notebook parameters", f"{why}: {text} "
                                               "(fill it with 'python -m analysis history add')", None, "store")])
    return path


def from_parameters(p: object, *, store: str = "") -> ExploreData:
    """The explorer's data for a notebook's validated parameters: ``facts``, every ``history`` file, the store's periods."""
    methodology: Methodology = p.methodology  # type: ignore[attr-defined]
    paths: list[str | os.PathLike[str]] = [p.facts, *p.history]  # type: ignore[attr-defined]
    frames = [read_facts(path, methodology) for path in paths]
    folder = store_path(store)
    if folder is not None:
        held = history.read(folder, scope=p.scope)  # type: ignore[attr-defined]
        frames.append(held.select(frames[0].columns))
    scored = scored_periods(frames, methodology)
    return prepare(scored.scorecard, scored.detail, scored.methodology)
