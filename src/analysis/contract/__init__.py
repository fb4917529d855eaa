"""The data contract: what every stage agrees on.

Periods live in :mod:`analysis.contract.periods`. The names below are the ones every stage types with;
the schemas, levels' names and vocabularies are read from this package's data files.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["vi", "en"]
"""Language of everything a reader sees: Vietnamese first (``vi``), English as an option (``en``)."""
LANGUAGES: tuple[Language, ...] = get_args(Language)

Level = Literal["national", "province", "department", "district", "commune"]
"""Administrative level of a unit (cấp): toàn quốc, tỉnh, sở/ngành, huyện (cũ), xã."""
LEVELS: tuple[Level, ...] = get_args(Level)
"""Levels from the top down; their order is the order of every table and chart."""
LEVEL_ORDER: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
