"""Run parameters (tham số báo cáo): one typed model for the YAML file and the notebooks.

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
    data_source:               # optional: where facts and published come from (empty: the national portal)
    focus:                     # optional: a unit to compare with its peers (mã đơn vị)
    methodology: portal-2025
    language: vi               # vi | en
    targets: {online_payment: 0.25, online_dossier: 0.5, on_time: 0.95, satisfaction: 0.9, digitised: 0.5}
    notebooks: [scorecard, comparison, trends, data_quality]
    timeout: 600               # optional: seconds a notebook cell may run
    data_folders: []           # optional: folders outside the project whose files may be named
    records:                   # optional: dossier-level records (hồ sơ) → the service-centre page
    service_centre: {start: 2025-12-15, end: 2026-06-14, online_target: 0.4, postal_target: 0.2}
    issuing_body: [UBND TỈNH PHÚ THỌ, VĂN PHÒNG]   # optional: the Word report's issuing body
    document_code: BC-VP       # optional: the Word report's code (Số: …/BC-VP)

Relative paths are read from the *project root of the file*: the folder above it when the file
sits in a folder called ``parameters/`` (``parameters/phu-tho-2026-08.yaml`` → the project
root), otherwise the file's own folder; a named file must lie under the project, the file's own
folder or a folder of ``data_folders``.  A notebook is named by its file name in ``notebooks/``
of that root (``scorecard``) or given as a path to an ``.ipynb`` file.

- :func:`load_parameters` reads a file into :class:`Parameters` (:mod:`analysis.params.model`),
  reporting every problem at once with its file, line and key (exit status 2).
- :func:`validate_notebook_parameters` (:mod:`analysis.params.notebook`) checks the values
  papermill injects into a notebook through the same model and gives a typed context;
  :func:`analysis.params.opening.open_notebook` is a notebook's one opening call (it also sets
  up the charts and shows the page's heading).
"""

from __future__ import annotations

from analysis.params.fields import HISTORY_SEPARATOR
from analysis.params.model import (
    DEFAULT_TARGETS,
    DEFAULT_TIMEOUT,
    KEYS,
    NOTEBOOK_NAMES,
    RUN_ONLY_KEYS,
    NotebookRef,
    Parameters,
    ServiceCentre,
    Targets,
    load_parameters,
    project_root_of,
)
from analysis.params.notebook import (
    NOTEBOOK_PARAMETERS,
    NotebookParameters,
    validate_notebook_parameters,
)
from analysis.params.problems import ParameterError, ParameterProblem, did_you_mean

__all__ = [
    "DEFAULT_TARGETS",
    "DEFAULT_TIMEOUT",
    "HISTORY_SEPARATOR",
    "KEYS",
    "NOTEBOOK_NAMES",
    "NOTEBOOK_PARAMETERS",
    "RUN_ONLY_KEYS",
    "NotebookParameters",
    "NotebookRef",
    "ParameterError",
    "ParameterProblem",
    "Parameters",
    "ServiceCentre",
    "Targets",
    "did_you_mean",
    "load_parameters",
    "project_root_of",
    "validate_notebook_parameters",
]
