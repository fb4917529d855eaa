"""Offline HTML (trang HTML dùng không cần internet): the chart renderer and the page export.

A report page must open from a USB stick or an e-mail attachment with no internet.  Three pieces:

- :func:`setup_notebook` (the notebook's setup cell) enables, in a report run, a small Altair
  renderer whose output is only a ``<div>`` and a ``vegaEmbed(...)`` call; in JupyterLab it
  enables Altair's ``jupyter`` renderer in offline mode instead.
- :func:`export_html` turns an executed notebook into one page with a custom nbconvert template
  (``templates/offline``, extending ``lab``) that puts the Vega bundle
  (``vl_convert.javascript_bundle``, the Vega-Lite version Altair speaks) once into the head,
  loads nothing from outside, and shows no code, prompts or stderr.
- :func:`export_chart` saves a chart as PNG and SVG into the run's ``charts/`` folder, for
  pasting into a Word document.

:func:`write_index` writes the run's ``index.html`` linking the pages and the downloads, and
:func:`render_nav` the links at the top of each page, both from Jinja2 templates
(``templates/site``) with autoescape on: every string from data is escaped.
"""

from __future__ import annotations

import html as _html
import itertools
import json
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import altair as alt
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from analysis.io.load import write_bytes_atomic
from analysis.report.charts import save_chart
from analysis.report.charts.theme import TopLevel
from analysis.report.formatting import check_language, number
from analysis.report.formatting import embed_options as project_options
from analysis.report.messages import words

RENDERER = "offline_div"
CHART_CLASS = "vl-chart"
"""Every chart div of a page has this class (browser tests count them)."""

_counter = itertools.count(1)
_state: dict[str, Any] = {"language": "vi", "output_dir": None, "saved": []}


def templates_dir() -> Path:
    return Path(str(resources.files("analysis.report") / "templates"))


# --------------------------------------------------------------------------------------------
# embed options and versions


def vegalite_version() -> str:
    """The Vega-Lite version Altair writes (``"6.4"``), as vl-convert names it."""
    major, minor, *_ = alt.SCHEMA_VERSION.lstrip("v").split(".")
    return f"{major}.{minor}"


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script (defines ``window.vegaEmbed``); ~0.9 MB."""
    import vl_convert

    # the stub marks the optional snippet as required; the default snippet defines window.vegaEmbed
    bundle = vl_convert.javascript_bundle(vl_version=f"v{vegalite_version()}")  # pyright: ignore[reportCallIssue]
    return bundle.replace("</script", "<\\/script")


def embed_options(language: str = "vi") -> dict[str, Any]:
    """vega-embed options: SVG, the report's number and time locales (:func:`analysis.report.formatting.embed_options`)."""
    return dict(project_options(language))


# --------------------------------------------------------------------------------------------
# text from data shown as Markdown


_ENTITY_OR_AMPERSAND = re.compile(r"&(?!#?[0-9A-Za-z]+;)")
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|livescript|data|file|https?|ftp|mailto)(\s*):")


def safe_markdown(text: str) -> str:
    """Markdown whose text cannot become HTML, a link or a script (văn bản an toàn khi hiển thị).

    The report's sentences and headings are Markdown built from unit names and other strings
    from data; they never need raw HTML or links.  ``<`` and a bare ``&`` become entities (no
    tag, comment or autolink can open), ``[`` and ``]`` become entities (no link or image
    syntax), and the colon of a URL scheme (``javascript:``, ``https:``…) becomes ``&#58;`` (no
    bare URL is linked).  Emphasis, headings and lists still work.  Idempotent: text made safe
    twice reads the same.
    """
    text = _ENTITY_OR_AMPERSAND.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace("[", "&#91;").replace("]", "&#93;")
    return _SCHEME.sub(lambda m: f"{m.group(1)}{m.group(2)}&#58;", text)


def escape_markdown_display() -> bool:
    """Make every ``IPython.display.Markdown`` of the running kernel show :func:`safe_markdown` text.

    Registered as the kernel's ``text/markdown`` formatter for ``Markdown`` objects, so a
    notebook's ``display(Markdown(...))`` is escaped in JupyterLab, in the executed notebook and
    on the page.  Returns False outside a kernel.
    """
    try:
        from IPython import get_ipython
        from IPython.display import Markdown
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/markdown"].for_type(Markdown, lambda md: safe_markdown(md.data or ""))
    return True


# --------------------------------------------------------------------------------------------
# the renderer


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")


def div_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    """Altair renderer: a ``<div>`` and a ``vegaEmbed`` call, nothing else (the page has the bundle)."""
    options = dict(metadata.get("embed_options") or embed_options(_state["language"]))
    div_id = f"vl-chart-{next(_counter)}"
    html = (
        f'<div id="{div_id}" class="{CHART_CLASS}"></div>\n'
        '<script type="text/javascript">\n'
        "(function () {\n"
        f'  var el = document.getElementById("{div_id}");\n'
        f"  var spec = {_script_json(spec)};\n"
        f"  var opt = {_script_json(options)};\n"
        "  function show() {\n"
        "    vegaEmbed(el, spec, opt).catch(function (err) {\n"
        '      el.textContent = "Không vẽ được biểu đồ: " + err; console.error(err);\n'
        "    });\n"
        "  }\n"
        '  if (typeof vegaEmbed === "function") { show(); } else { window.addEventListener("load", show); }\n'
        "})();\n"
        "</script>"
    )
    return {"text/html": html}


alt.renderers.register(RENDERER, div_renderer)


def setup_notebook(language: str = "vi", output_dir: str | os.PathLike[str] | None = None) -> str:
    """The notebook's setup cell: choose the chart renderer and where :func:`export_chart` saves.

    In a report run (``output_dir`` given, or ``ANALYSIS_STATIC_HTML=1``) charts become
    ``<div>`` + ``vegaEmbed`` for the offline page; in JupyterLab Altair's ``jupyter`` renderer
    runs offline.  Returns the name of the renderer enabled.
    """
    _state["language"] = language
    _state["output_dir"] = Path(output_dir) if output_dir else None
    escape_markdown_display()
    static = _state["output_dir"] is not None or os.environ.get("ANALYSIS_STATIC_HTML") == "1"
    options = embed_options(language)
    if static:
        warnings.filterwarnings("ignore")  # the page shows results, not library notices
        alt.renderers.enable(RENDERER, embed_options=options)
        return RENDERER
    try:
        alt.renderers.enable("jupyter", offline=True, embed_options=options)
        return "jupyter"
    except Exception:  # noqa: BLE001 - without anywidget, fall back to Altair's default
        alt.renderers.enable("default", embed_options=options)
        return "default"


# --------------------------------------------------------------------------------------------
# charts as files


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise ValueError(f"chart name '{name}' has no letters or digits")
    return slug


def chart_files(chart: TopLevel, folder: str | os.PathLike[str], name: str, *, language: str = "vi") -> list[Path]:
    """Write ``<folder>/<name>.png`` (2× scale) and ``.svg`` atomically (:func:`analysis.report.charts.save_chart`)."""
    return [Path(p) for p in save_chart(chart, Path(folder) / _slug(name), language=language)]


def export_chart(chart: TopLevel, name: str, *, document: TopLevel | None = None) -> TopLevel:
    """Save ``chart`` as PNG + SVG into the run's ``charts/`` folder and give it back to display.

    ``export_chart(chart, "tong-diem")`` as a cell's last line both saves and shows the chart.
    ``document`` is a version of the chart for a Word page (e.g. the 15 highest and lowest of 148
    communes at a page's width): it is saved in place of ``chart``, which the HTML page shows.
    Outside a report run (no ``output_dir``) nothing is saved.
    """
    folder = _state["output_dir"]
    if folder is not None:
        saved = chart if document is None else document
        _state["saved"].extend(chart_files(saved, Path(folder) / "charts", name, language=_state["language"]))
    return chart


# --------------------------------------------------------------------------------------------
# pages


def _clean_notebook(nb: Any) -> Any:
    """Drop what a reader should not see (stderr streams and warnings); make Markdown outputs safe.

    Markdown outputs go through :func:`safe_markdown` here too, whatever made them.
    """
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        for output in cell["outputs"]:
            data = output.get("data") or {}
            if "text/markdown" in data:
                text = data["text/markdown"]
                data["text/markdown"] = safe_markdown("".join(text) if isinstance(text, list) else str(text))
    return nb


def export_html(
    executed_notebook_path: str | os.PathLike[str],
    html_path: str | os.PathLike[str],
    *,
    title: str,
    language: str = "vi",
    nav_html: str = "",
    footer_text: str = "",
) -> Path:
    """Executed notebook → one self-contained page (no code, no prompts, no outside request).

    ``nav_html`` is a trusted HTML fragment shown above the content (links back to
    ``index.html`` and the other pages); ``footer_text`` is plain text shown below it, escaped
    (it holds names from data).  Written atomically.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed_notebook_path), as_version=4)
    nb.metadata["title"] = title
    nb = _clean_notebook(nb)
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=language,
    )
    body, _ = exporter.from_notebook_node(
        nb,
        resources={
            "vega_bundle": vega_bundle(),
            "report_nav": nav_html,
            "report_footer": _html.escape(footer_text),
            "metadata": {"name": title},
        },
    )
    return write_bytes_atomic(body.encode("utf-8"), html_path)


# --------------------------------------------------------------------------------------------
# the index page and the navigation (Jinja2 templates in ``templates/site``)


@dataclass(frozen=True)
class PageLink:
    """One notebook of the run as the index shows it."""

    name: str
    title: str
    html: str | None  # relative link to the page; None when the notebook failed
    notebook: str  # relative link to the executed (or error) notebook
    seconds: float
    error: str | None = None
    charts: int = 0


@dataclass(frozen=True)
class IndexPage:
    title: str
    subtitle: str
    generated: str
    methodology: str
    pages: Sequence[PageLink]
    downloads: Sequence[tuple[str, str, str]] = field(default_factory=tuple)  # (group, label, href)
    facts: Mapping[str, str] = field(default_factory=dict)  # label → value
    headline: str = ""  # the report's first sentence (total, class, rank for the period, change)
    weakest: Sequence[str] = field(default_factory=tuple)  # the units with the lowest totals, one line each


@dataclass(frozen=True)
class NavLink:
    """A page in the links at the top of the others: ``href`` None for the page being shown."""

    title: str
    href: str | None


@lru_cache(maxsize=1)
def site_templates() -> Environment:
    """The Jinja2 templates of the index page and the navigation, autoescaped (HTML from data
    cannot get in: names, titles and error messages are escaped where they are shown)."""
    return Environment(loader=FileSystemLoader(templates_dir() / "site"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True)


def render_index(index: IndexPage, *, language: str = "vi") -> str:
    """The index page: links to every page and download; inline CSS, no script, no outside link."""
    check_language(language)
    downloads: dict[str, list[tuple[str, str]]] = {}
    for group, label, href in index.downloads:
        downloads.setdefault(group, []).append((label, href))
    runs = [(page, number(page.seconds, 1, language)) for page in index.pages]
    return site_templates().get_template("index.html.j2").render(
        index=index, language=language, words=words("index", language), downloads=downloads, runs=runs)


def render_nav(index_label: str, links: Sequence[NavLink]) -> str:
    """The links shown above a page's content: the index, then the pages (the page itself in bold)."""
    return site_templates().get_template("nav.html.j2").render(index_label=index_label, links=links).strip()


def write_index(path: str | os.PathLike[str], index: IndexPage, *, language: str = "vi") -> Path:
    """Write ``index.html`` atomically."""
    text = render_index(index, language=language)
    return write_bytes_atomic(text.encode("utf-8"), path)
