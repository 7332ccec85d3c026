"""Charts drawn ahead of time as inline SVG, for pages that run no JavaScript.

The print variant of the personal report (``personal_report_html(..., charts="svg")``), which
:mod:`kit.report.pdf` lays out into a PDF, draws each chart here with vl-convert, offline.
"""

from __future__ import annotations

import hashlib
import html
import json
import re

from kit.charts._theme import FONT
from kit.charts.display import _key_html
from kit.i18n import _

__all__ = ["chart_svg", "svg_chart_div", "page_numbers_css"]


#: The width, in CSS pixels, a chart drawn to fill its container is given on paper (an A4
#: page's text width is about 640 px).
PRINT_WIDTH = 640


def _fixed_width(spec, width: int):
    """``spec`` with every ``"width": "container"`` made ``width`` (there is no container
    ahead of time)."""
    if isinstance(spec, dict):
        return {k: (width if k == "width" and v == "container" else _fixed_width(v, width))
                for k, v in spec.items()}
    if isinstance(spec, list):
        return [_fixed_width(v, width) for v in spec]
    return spec


def chart_svg(chart, *, prefix: str = "", width: int = PRINT_WIDTH) -> str:
    """Draw an Altair chart as an SVG element with vl-convert (offline, no browser).

    Parameters
    ----------
    chart : altair.TopLevelMixin
    width : int
        The width of a chart drawn to fill its container (``width="container"``).
    prefix : str
        Put before every ``id`` in the SVG (and the references to it) so several SVGs can
        sit in one page without their clip paths or gradients clashing.
    """
    import vl_convert as vlc

    # Private Altair name (fenced in kit/voila/_fence.py): Altair has no public way to ask
    # which Vega-Lite version vl-convert must use.
    from altair.utils._importers import vl_version_for_vl_convert

    spec = _fixed_width(chart.to_dict(), width)
    svg = vlc.vegalite_to_svg(spec, vl_version=vl_version_for_vl_convert())
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    if prefix:
        for ident in set(re.findall(r'\sid="([^"]+)"', svg)):
            new = prefix + ident
            svg = (svg.replace(f'id="{ident}"', f'id="{new}"')
                      .replace(f"url(#{ident})", f"url(#{new})")
                      .replace(f'href="#{ident}"', f'href="#{new}"'))
    return svg


def svg_chart_div(item, *, div_id: str | None = None, heading_level: int = 2) -> str:
    """HTML for one chart drawn as inline SVG: heading, chart, text description.

    The print twin of :func:`kit.charts.display.chart_div`, with the same markup around the
    chart, so the HTML and PDF reports read the same.
    """
    if div_id is None:
        spec_json = json.dumps(item.chart.to_dict(), sort_keys=True)
        div_id = "chart-" + hashlib.sha1(spec_json.encode()).hexdigest()[:10]
    title = (
        f"<h{heading_level}>{html.escape(item.title)}</h{heading_level}>" if item.title else ""
    )
    desc_id = f"{div_id}-desc"
    in_words = _("In words:")
    return (
        f"<figure class='kit-figure' style='font-family:{html.escape(FONT)}'>{title}"
        f"<div id='{div_id}' class='kit-chart-svg' role='img' aria-describedby='{desc_id}'>"
        f"{chart_svg(item.chart, prefix=div_id + '-')}</div>"
        f"{_key_html(item) if getattr(item, 'key', ()) else ''}"
        f"<figcaption id='{desc_id}'><strong>{html.escape(in_words)}</strong> "
        f"{html.escape(item.description)}</figcaption></figure>"
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_numbers_css() -> str:
    """The CSS ``content`` for "Page 2 of 5" in the current language (for ``@page`` rules)."""
    parts = re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}"))
    out = []
    for part in parts:
        if part == "{page}":
            out.append("counter(page)")
        elif part == "{pages}":
            out.append("counter(pages)")
        elif part:
            out.append(_css_string(part))
    return " ".join(out)
