"""A notebook's opening (mở sổ tay): one call after the ``parameters`` cell.

Every notebook of the suite opens with::

    from analysis.params.opening import open_notebook

    ctx = open_notebook("scorecard", scope=scope, scope_slug=scope_slug, period=period, ...)

which checks papermill's values through the run's parameters model, chooses the chart renderer and
where charts are saved, shows the page's heading, and returns the typed context the cells read
(:class:`~analysis.params.notebook.NotebookParameters`).  Kept apart from :mod:`analysis.params`
so that reading a parameters file does not load the chart library.
"""

from __future__ import annotations

from typing import Any

from IPython.core.display import Markdown
from IPython.display import display

from analysis.params.notebook import NotebookParameters, validate_notebook_parameters
from analysis.report import pages
from analysis.report.html import setup_notebook


def open_notebook(page: str, **values: Any) -> NotebookParameters:
    """A notebook's one opening call: check its parameters, set up charts, show the page's heading.

    ``page`` is the notebook's name (``scorecard``, ``trends``…): a bundled page's heading is
    shown in the run's language.  Returns the typed context the notebook's cells read.
    """
    ctx = validate_notebook_parameters(**values)
    setup_notebook(ctx.language, ctx.output_dir)
    if page in pages.PAGES:
        display(Markdown(pages.heading(page, ctx.language)))
    return ctx
