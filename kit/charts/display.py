"""Showing charts offline: as widgets in Jupyter/Voila, and embedded in standalone HTML.

Altair's default renderer fetches Vega from a CDN, which fails offline. Here:

* :func:`chart_widget` wraps an :class:`altair.JupyterChart` (an anywidget) whose JavaScript is
  the bundle that ``vl-convert`` builds locally, beside a plain-English description.
* :func:`embed_script` and :func:`chart_div` build one standalone HTML page holding many charts
  with the Vega bundle included once (``chart.to_html(inline=True)`` repeats ~0.9 MB per chart).

Both bundles take about a second to build, so they are cached on disk in the data folder,
keyed by the Altair and vl-convert versions.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from pathlib import Path

from kit.charts._theme import FONT, ChartWithText

__all__ = ["enable_offline", "chart_widget", "embed_script", "chart_div", "vega_bundle"]

_lock = threading.Lock()


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
    """The chart without its own Vega title when the page already shows it as a heading."""
    import altair as alt

    chart = item.chart
    own = getattr(chart, "title", alt.Undefined)
    text = own if isinstance(own, str) else getattr(own, "text", None)
    if item.title and text == item.title:
        chart = chart.copy(deep=False)
        chart.title = alt.Undefined
    return chart


def enable_offline() -> None:
    """Make every :class:`altair.JupyterChart` load its JavaScript from a local bundle."""
    import altair as alt

    with _lock:
        if getattr(alt.JupyterChart, "_is_offline", False):
            return

        def build() -> str:
            alt.JupyterChart.enable_offline(True)
            return alt.JupyterChart._esm

        esm = _cached("jupyterchart", build)
        alt.JupyterChart._esm = esm
        alt.JupyterChart._is_offline = True


def chart_widget(item: ChartWithText, *, heading_level: int = 3):
    """An ipywidgets box: a heading, the chart (drawn offline) and its text description.

    The description is always shown as text beside the chart, so the finding can be read
    without seeing the chart.
    """
    import altair as alt
    import ipywidgets as W

    enable_offline()
    parts = []
    if item.title:
        parts.append(
            W.HTML(f"<h{heading_level} class='kit-chart-title'>{html.escape(item.title)}"
                   f"</h{heading_level}>")
        )
    chart = alt.JupyterChart(_without_repeated_title(item), embed_options={"actions": False})
    chart.add_class("kit-chart")
    parts.append(chart)
    parts.append(
        W.HTML(
            f"<p class='kit-chart-description' role='note'><strong>In words:</strong> "
            f"{html.escape(item.description)}</p>"
        )
    )
    box = W.VBox(parts)
    box.add_class("kit-chart-box")
    return box


def vega_bundle() -> str:
    """The vega-embed JavaScript bundle (Vega, Vega-Lite, vega-embed) built by vl-convert."""

    def build() -> str:
        import vl_convert as vlc
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
    title = (
        f"<h{heading_level}>{html.escape(item.title)}</h{heading_level}>" if item.title else ""
    )
    desc_id = f"{div_id}-desc"
    return (
        f"<figure class='kit-figure' style='font-family:{html.escape(FONT)}'>{title}"
        f"<div id='{div_id}' role='img' aria-describedby='{desc_id}'></div>"
        f"<figcaption id='{desc_id}'><strong>In words:</strong> "
        f"{html.escape(item.description)}</figcaption>"
        f"<script type='text/javascript'>vegaEmbed('#{div_id}', {safe_json}, "
        f"{{\"actions\": false}}).catch(console.error);</script></figure>"
    )
