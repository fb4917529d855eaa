"""The records' contract (dữ liệu hệ thống một cửa), as the readers name it.

* the columns of the dossiers, procedures and petitions tables and their types (data contract,
  section 3), and the columns each must have;
* the codes of the coded columns (status, channel, rating, online level, category);
* the headers exports write for each column (``Mã hồ sơ`` → ``dossier_id``) and the words they
  write for each code (``Đã trả kết quả`` → ``finished``), folded: no case, no tone marks.

All come from :mod:`analysis.contract` (its data files); read by :mod:`analysis.io.records`
(CSV/XLSX exports), :mod:`analysis.io.scan` (Parquet) and :mod:`analysis.io.exports`.
"""

from __future__ import annotations

from analysis.contract import (
    CODES,
    HEADER_ALIASES,
    PENDING_STATUS_WORDS,
    TERMINAL_STATUSES,
    VALUE_WORDS,
    required,
    schema,
)

STATUSES = CODES["status"]
TERMINAL = TERMINAL_STATUSES
CHANNELS = CODES["channel"]
RATINGS = CODES["rating"]
CATEGORIES = CODES["category"]

DOSSIER_SCHEMA = schema("dossiers", extensions=False)
DOSSIER_EXTRA = {c: t for c, t in schema("dossiers").items() if c not in DOSSIER_SCHEMA}
"""Beyond the contract, read when an export has them: the supplement request's dates and whether
the dossier waits for the applicant's supplement."""
PROCEDURE_SCHEMA = schema("procedures")
PETITION_SCHEMA = schema("petitions")

DOSSIER_ALIASES = HEADER_ALIASES["dossiers"]
PROCEDURE_ALIASES = HEADER_ALIASES["procedures"]
PETITION_ALIASES = HEADER_ALIASES["petitions"]

REQUIRED = {table: required(table) for table in ("dossiers", "procedures", "petitions")}
TABLE_VI = {"dossiers": "hồ sơ", "procedures": "thủ tục hành chính", "petitions": "phản ánh, kiến nghị"}

# values, folded (no case, no tone marks) → contract value
STATUS_WORDS = VALUE_WORDS["status"]
PENDING_WORDS = PENDING_STATUS_WORDS
CHANNEL_WORDS = VALUE_WORDS["channel"]
RATING_WORDS = VALUE_WORDS["rating"]
ONLINE_LEVEL_WORDS = VALUE_WORDS["online_level"]
CATEGORY_WORDS = VALUE_WORDS["category"]
