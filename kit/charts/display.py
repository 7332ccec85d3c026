"""Showing charts offline: as widgets in Jupyter/Voila, and embedded in standalone HTML.

Altair's default renderer fetches Vega from a CDN, which fails offline. Here:

* :func:`chart_widget` wraps an :class:`altair.JupyterChart` (an anywidget) whose JavaScript is
  the bundle that ``vl-convert`` builds locally, beside a plain-English description.
* Under ``kit serve`` that bundle (~0.9 MB) is not sent over the kernel's websocket with every
  chart: ``kit serve`` publishes it once as a static file (:func:`publish_chart_bundle`) and
  names it in ``KIT_CHART_BUNDLE_URL``; each chart then carries a loader of a few hundred bytes
  (:func:`loader_esm`) and the browser fetches the file once per page. Everywhere else
  (JupyterLab, nbval, plain Voila) the bundle is sent inline as before.
* :func:`embed_script` and :func:`chart_div` build one standalone HTML page holding many charts
  with the Vega bundle included once (``chart.to_html(inline=True)`` repeats ~0.9 MB per chart).

Both bundles take about a second to build, so they are cached on disk in the data folder,
keyed by the Altair and vl-convert versions.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
from pathlib import Path

from kit.charts._table import data_table_html
from kit.charts._theme import FONT, ChartWithText
from kit.i18n import _

__all__ = [
    "enable_offline",
    "chart_widget",
    "chart_class",
    "embed_script",
    "chart_div",
    "vega_bundle",
    "chart_bundle",
    "chart_bundle_name",
    "publish_chart_bundle",
    "loader_esm",
    "inline_esm",
    "BUNDLE_URL_ENV",
    "EMBED_OPTIONS",
]

#: Set by ``kit serve`` for its kernels: where the chart bundle is served, relative to the
#: server's base URL (e.g. ``voila/templates/kit/static/vendor/jupyterchart-....js``).
BUNDLE_URL_ENV = "KIT_CHART_BUNDLE_URL"
#: What a bundle address may contain (it is written into JavaScript).
_SAFE_URL = re.compile(r"^[A-Za-z0-9._~/-]+\.js$")

_lock = threading.Lock()
_served_classes: dict[str, type] = {}


def _cache_dir() -> Path:
    from kit.config import get_settings

    return get_settings().data_dir / "cache"


def _versions() -> str:
    import altair
    import vl_convert

    return f"altair-{altair.__version__}_vlc-{vl_convert.__version__}"


def _cached(name: str, build) -> str:
    """Read ``name`` from the cache folder, or build it and store it (best effort)."""
    path = _cache_dir() / f"{name}-{_versions()}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a read-only data folder only costs speed
        pass
    return text


def _without_repeated_title(item: ChartWithText):
    """The chart to draw: without its own Vega title when the page already shows it as a
    heading, and carrying the text description, which Vega puts on the SVG for screen readers."""
    import altair as alt

    chart = item.chart.copy(deep=False)
    own = getattr(chart, "title", alt.Undefined)
    if hasattr(own, "to_dict"):  # a title read back from a spec is a schema object
        own = own.to_dict()
    text = own if isinstance(own, str) else (own.get("text") if isinstance(own, dict)
                                             else getattr(own, "text", None))
    if item.title and text == item.title:
        chart.title = alt.Undefined
    if item.description:
        chart.description = item.description
    # No ARIA on Vega's own marks: the whole SVG is one image named by the heading and
    # described by the words beside it, and the data is in the table under it.
    config = getattr(chart, "config", alt.Undefined)
    config = alt.Config() if config is alt.Undefined else config.copy(deep=False)
    config.aria = False
    # Bars, arcs and areas get a dark outline, so that every mark stands out from the white
    # background by at least 3:1 (WCAG 1.4.11) whatever its palette colour (Okabe-Ito's
    # yellow, sky blue and orange alone are 1.2-2.2:1).
    outline = {"stroke": MARK_OUTLINE, "strokeWidth": 0.75}
    for mark in ("bar", "arc", "area"):
        if getattr(config, mark, alt.Undefined) is alt.Undefined:
            setattr(config, mark, outline)
    chart.config = config
    return chart


#: The outline drawn round filled marks (bars, areas, rectangles): 16:1 on white.
MARK_OUTLINE = "#1b1b1b"

#: vega-embed options for every chart: SVG (which carries ARIA; canvas cannot), no menu.
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


def chart_bundle() -> str:
    """The offline JavaScript module of :class:`altair.JupyterChart` (Vega included), cached."""

    def build() -> str:
        import altair as alt

        alt.JupyterChart.enable_offline(True)
        return alt.JupyterChart._esm

    return _cached("jupyterchart", build)


def enable_offline() -> None:
    """Make every :class:`altair.JupyterChart` load its JavaScript from a local bundle."""
    import altair as alt

    with _lock:
        if getattr(alt.JupyterChart, "_is_offline", False):
            return
        # Upstream: Altair's JupyterChart loads Vega from a CDN unless given a bundle; private
        # names, fenced by kit/voila/_fence.py (altair>=6.0,<7).
        alt.JupyterChart._esm = inline_esm(chart_bundle())
        alt.JupyterChart._is_offline = True


def chart_bundle_name() -> str:
    """The file name the bundle is published under, unique to the Altair and vl-convert versions."""
    return f"jupyterchart-{_versions()}.js"


def publish_chart_bundle(folder) -> Path:
    """Write the chart bundle into ``folder`` (created if needed) unless already there.

    ``kit serve`` calls this at start with a folder that Voila serves as static files.

    Returns
    -------
    Path
        The file written (or found).

    Raises
    ------
    OSError
        When the folder cannot be written; the caller then leaves charts inline.
    """
    folder = Path(folder)
    path = folder / chart_bundle_name()
    text = chart_bundle()
    try:
        if path.stat().st_size == len(text.encode("utf-8")):
            return path
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def loader_esm(bundle_url: str) -> str:
    """A tiny ES module that imports the published bundle and re-exports it for anywidget.

    ``bundle_url`` is relative to the server's base URL. The kernel does not know the host
    the browser used, so the address is worked out in the browser: the base URL from the
    page's Jupyter config (``#jupyter-config-data``), or else the part of the path before
    ``voila/``.

    Raises
    ------
    ValueError
        When ``bundle_url`` is not a plain relative path to a ``.js`` file.
    """
    if not _SAFE_URL.match(bundle_url) or bundle_url.startswith("/") or ".." in bundle_url:
        raise ValueError(
            f"{BUNDLE_URL_ENV}={bundle_url!r} is not a relative path to a .js file such as "
            "'voila/templates/kit/static/vendor/jupyterchart.js'; unset it to send charts inline"
        )
    return (
        "let base;\n"
        "try {\n"
        "  base = JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl;\n"
        "} catch (e) { base = undefined; }\n"
        "if (!base) {\n"
        "  const p = window.location.pathname;\n"
        "  const i = p.lastIndexOf('/voila/');\n"
        "  base = i >= 0 ? p.slice(0, i + 1) : '/';\n"
        "}\n"
        "if (!base.endsWith('/')) base += '/';\n"
        f"const m = await import(new URL(base + {json.dumps(bundle_url)}, window.location.href).href);\n"
        + _WRAP_ESM
    )


#: The end of every chart module the kit sends: Altair's module ``m`` re-exported, with its
#: ``render`` wrapped so that a chart follows its box's width. Charts are drawn at their
#: container's width ("container"), which Vega reads when it draws and again on a window
#: resize; a chart drawn before its box was laid out (a view picked on the dashboard, an
#: output area JupyterLab has not attached yet) would otherwise stay 0 px wide. A change of
#: the box's width fires one window resize per frame, so Vega measures again.
_WRAP_ESM = (
    "let queued = false;\n"
    "function watch(el) {\n"
    "  if (typeof ResizeObserver !== 'function') return () => {};\n"
    "  let last = -1;\n"
    "  const o = new ResizeObserver(() => {\n"
    "    const w = el.getBoundingClientRect().width;\n"
    "    if (w === last) return;\n"
    "    last = w;\n"
    "    if (queued) return;\n"
    "    queued = true;\n"
    "    requestAnimationFrame(() => { queued = false; window.dispatchEvent(new Event('resize')); });\n"
    "  });\n"
    "  o.observe(el);\n"
    "  return () => o.disconnect();\n"
    "}\n"
    "export default { async render(ctx) {\n"
    "  const done = await m.default.render(ctx);\n"
    "  const stop = watch(ctx.el);\n"
    "  return () => { stop(); if (typeof done === 'function') done(); };\n"
    "} };\n"
    "export const setSignalValue = m.setSignalValue;\n"
    "export const setDataValue = m.setDataValue;\n"
    "export const addSignalListener = m.addSignalListener;\n"
    "export const addDataListener = m.addDataListener;\n"
)


def inline_esm(bundle: str) -> str:
    """The chart module sent with each chart outside ``kit serve`` (JupyterLab, nbval, plain
    Voila): the whole bundle, imported from a ``blob:`` address in the browser, with the same
    width-following ``render`` as :func:`loader_esm`. Nothing is fetched from the network."""
    return (
        f"const source = {json.dumps(bundle)};\n"
        "const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));\n"
        "const m = await import(url);\n"
        "URL.revokeObjectURL(url);\n"
        + _WRAP_ESM
    )


def chart_class():
    """The chart widget class for this kernel.

    Under ``kit serve`` (``KIT_CHART_BUNDLE_URL`` set): a subclass of
    :class:`altair.JupyterChart` whose JavaScript is :func:`loader_esm`, so the bundle is
    fetched once per page as a cacheable file. Otherwise :class:`altair.JupyterChart` with the
    bundle inline (:func:`enable_offline`).
    """
    import altair as alt

    url = os.environ.get(BUNDLE_URL_ENV, "").strip()
    if not url:
        enable_offline()
        return alt.JupyterChart
    with _lock:
        cls = _served_classes.get(url)
        if cls is None:
            cls = type("KitJupyterChart", (alt.JupyterChart,), {
                "__module__": __name__,
                "__doc__": "An Altair JupyterChart that loads its bundle from kit serve.",
                "_esm": loader_esm(url),
                "_is_offline": True,
            })
            _served_classes[url] = cls
    return cls


def chart_widget(item: ChartWithText, *, heading_level: int = 2):
    """An ipywidgets box: a heading, the chart (drawn offline) and its text description.

    The description is always shown as text beside the chart, so the finding can be read
    without seeing the chart.
    """
    import ipywidgets as W

    chart_cls = chart_class()
    parts = []
    if item.title:
        parts.append(
            W.HTML(f"<h{heading_level} class='kit-chart-title'>{html.escape(item.title)}"
                   f"</h{heading_level}>")
        )
    if getattr(item, "how_to_read", ""):
        how_to_read = _("How to read this:")
        parts.append(W.HTML(f"<p class='kit-how-to-read'><strong>{html.escape(how_to_read)}"
                            f"</strong> {html.escape(item.how_to_read)}</p>"))
    chart = chart_cls(_without_repeated_title(item), embed_options=dict(EMBED_OPTIONS))
    chart.add_class("kit-chart")
    # The chart takes its container's width (charts are drawn at width "container").
    chart.layout.width = "100%"
    parts.append(chart)
    if getattr(item, "key", ()):
        parts.append(W.HTML(_key_html(item)))
    # The SVG is named by the heading and described by this text (kit-a11y.js links them).
    in_words = _("In words:")
    parts.append(
        W.HTML(
            f"<p class='kit-chart-description'><strong>{html.escape(in_words)}</strong> "
            f"{html.escape(item.description)}</p>{data_table_html(item.chart, item.title)}"
        )
    )
    box = W.VBox(parts, layout=W.Layout(width="100%"))
    box.add_class("kit-chart-box")
    return box


def _key_html(item: ChartWithText) -> str:
    """The numbered key under a chart whose marks carry numbers (an ordered list, escaped)."""
    items = "".join(f"<li>{html.escape(str(k))}</li>" for k in item.key)
    return f"<ul class='kit-chart-key' style='list-style:none;padding-left:0'>{items}</ul>"


def vega_bundle() -> str:
    """The vega-embed JavaScript bundle (Vega, Vega-Lite, vega-embed) built by vl-convert."""

    def build() -> str:
        import vl_convert as vlc

        # Private Altair name (fenced in kit/voila/_fence.py): Altair has no public way to ask
        # which Vega-Lite version vl-convert must use.
        from altair.utils._importers import vl_version_for_vl_convert

        return vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())

    return _cached("vega-embed", build)


def embed_script() -> str:
    """A ``<script>`` element defining ``vegaEmbed``; put it once in a standalone page."""
    # "</script" cannot appear inside the bundle's text without ending the element.
    bundle = vega_bundle().replace("</script", "<\\/script")
    return f"<script type='text/javascript'>\n{bundle}\n</script>"


def chart_div(item: ChartWithText, *, div_id: str | None = None, heading_level: int = 2) -> str:
    """HTML for one chart in a standalone page: heading, chart container, description.

    Needs :func:`embed_script` once earlier in the page.
    """
    spec = _without_repeated_title(item).to_dict()
    spec_json = json.dumps(spec, sort_keys=True)
    if div_id is None:
        div_id = "chart-" + hashlib.sha1(spec_json.encode()).hexdigest()[:10]
    # JSON inside a <script>: escape "<" so user text in the data cannot close the element.
    safe_json = spec_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    title_id = f"{div_id}-title"
    title = (
        f"<h{heading_level} id='{title_id}'>{html.escape(item.title)}</h{heading_level}>"
        if item.title else ""
    )
    desc_id = f"{div_id}-desc"
    in_words = _("In words:")
    how_to_read = _("How to read this:")
    how = (f"<p class='kit-how-to-read'><strong>{html.escape(how_to_read)}</strong> "
           f"{html.escape(item.how_to_read)}</p>" if getattr(item, "how_to_read", "") else "")
    labelled = title_id if item.title else desc_id
    # Once drawn, the SVG is named by the heading and described by the words under it.
    aria = (f"r => {{ const s = r.view.container().querySelector('svg'); if (s) {{ "
            "s.querySelectorAll('[role], [aria-roledescription]').forEach(g => { "
            "g.removeAttribute('role'); g.removeAttribute('aria-roledescription'); }); "
            f"s.setAttribute('role', 'img'); s.setAttribute('aria-labelledby', '{labelled}'); "
            f"s.setAttribute('aria-describedby', '{desc_id}'); }} }}")
    return (
        f"<figure class='kit-figure' style='font-family:{html.escape(FONT)}'>{title}{how}"
        # On a narrow screen a wide chart scrolls inside its own box, which the keyboard can
        # reach, instead of making the whole page scroll sideways.
        f"<div id='{div_id}' class='kit-figure-chart' tabindex='0' "
        f"style='width:100%;max-width:100%;overflow-x:auto'></div>"
        f"{_key_html(item) if getattr(item, 'key', ()) else ''}"
        f"<figcaption id='{desc_id}'><strong>{html.escape(in_words)}</strong> "
        f"{html.escape(item.description)}</figcaption>"
        f"{data_table_html(item.chart, item.title)}"
        f"<script type='text/javascript'>vegaEmbed('#{div_id}', {safe_json}, "
        f"{json.dumps(EMBED_OPTIONS)}).then({aria}).catch(console.error);</script></figure>"
    )
