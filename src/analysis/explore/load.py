"""The explorer's data from files (số liệu cho công cụ khám phá): the facts of several periods, scored together."""

from __future__ import annotations

import os
from typing import Sequence

from analysis.explore.view import ExploreData, prepare
from analysis.facts import read_facts
from analysis.methodology import Methodology
from analysis.score import Scored, combine_periods, score


def scored_periods(paths: Sequence[str | os.PathLike[str]], methodology: Methodology) -> Scored:
    """Scorecard and indicator detail of every period in ``paths`` (facts files), scored together.

    Scoring the periods together gives each its change against the one before. Where two files
    hold the same period × unit × indicator, the first file wins.
    """
    frames = [read_facts(path, methodology) for path in paths]
    return score(combine_periods(frames), methodology)


def from_parameters(p: object) -> ExploreData:
    """The explorer's data for a notebook's validated parameters: ``facts`` and every ``history`` file."""
    scored = scored_periods([p.facts, *p.history], p.methodology)  # type: ignore[attr-defined]
    return prepare(scored.scorecard, scored.detail, scored.methodology)
