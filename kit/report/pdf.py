"""The personal report as a PDF, built offline with WeasyPrint (the optional ``pdf`` extra).

WeasyPrint lays out HTML and CSS into PDF pages but runs no JavaScript, so the PDF is made from
the print variant of the personal report (``personal_report_html(..., charts="svg")``): the
same sections, with each chart drawn ahead of time as inline SVG by vl-convert.

Nothing is fetched while the PDF is built: :func:`offline_url_fetcher` refuses every URL
except ``data:`` URIs. WeasyPrint is imported only inside the functions here, so
``import kit.report`` stays light and works without the extra.

Examples
--------
>>> from kit.report.pdf import pdf_available, personal_report_pdf   # doctest: +SKIP
>>> if pdf_available():                                              # doctest: +SKIP
...     Path("report.pdf").write_bytes(personal_report_pdf(store, participant_id))
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re

from kit.charts._theme import FONT
from kit.content.models import DEFAULT_SELF_FRAMEWORK
from kit.i18n import _

__all__ = [
    "PDF_EXTRA_HINT",
    "PdfUnavailable",
    "pdf_available",
    "require_pdf",
    "offline_url_fetcher",
    "html_to_pdf",
    "personal_report_pdf",
    "chart_svg",
    "svg_chart_div",
    "page_numbers_css",
]

#: What to do when WeasyPrint is not installed.
PDF_EXTRA_HINT = "PDF output needs the optional 'pdf' extra: pip install 'partnering-kit[pdf]'"


class PdfUnavailable(RuntimeError):
    """WeasyPrint (the ``pdf`` extra) is missing or cannot load its system libraries."""


@functools.cache
def _weasyprint():
    """Import WeasyPrint once, or raise :class:`PdfUnavailable` saying how to get it."""
    try:
        import weasyprint
    except ImportError as exc:
        raise PdfUnavailable(PDF_EXTRA_HINT) from exc
    except OSError as exc:  # installed, but Pango (a system library) is missing
        raise PdfUnavailable(
            f"WeasyPrint is installed but cannot load its system libraries ({exc}). Install "
            "Pango (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0), or print "
            "the HTML report to PDF from a browser.") from exc
    if not hasattr(weasyprint, "URLFetcher"):
        raise PdfUnavailable(
            f"WeasyPrint {weasyprint.__version__} is too old (68 or later is needed): "
            "pip install 'partnering-kit[pdf]'")
    return weasyprint


def require_pdf() -> None:
    """Check that PDF output works here.

    Raises
    ------
    PdfUnavailable
        Saying what to install: the ``pdf`` extra, or Pango when WeasyPrint cannot load it.
    """
    _weasyprint()


def pdf_available() -> bool:
    """True when PDF output works here (WeasyPrint and its system libraries load)."""
    try:
        require_pdf()
    except PdfUnavailable:
        return False
    return True


def offline_url_fetcher():
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and refuses everything else.

    The report holds everything it needs; refusing other URLs means a link slipped into the
    page (for example in user text) can never make the PDF build reach the network or read a
    local file.

    Raises
    ------
    PdfUnavailable
        When WeasyPrint is not installed.
    """
    wp = _weasyprint()

    class OfflineURLFetcher(wp.URLFetcher):
        """Only ``data:`` URIs; any other scheme raises ``ValueError`` before any I/O."""

        def __init__(self):
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                raise ValueError(f"refused to fetch {url[:80]!r}: PDF reports are built "
                                 "offline and may only use data: URIs")
            return super().fetch(url, headers)

    return OfflineURLFetcher()


def html_to_pdf(page: str) -> bytes:
    """Lay out one standalone HTML page as PDF bytes, fetching nothing.

    Parameters
    ----------
    page : str
        A complete HTML document; use print styles (``@page``) for the page size.

    Raises
    ------
    PdfUnavailable
        When WeasyPrint is not installed.
    """
    wp = _weasyprint()
    # Tagged PDF: headings, tables and reading order reach screen readers.
    return wp.HTML(string=page, url_fetcher=offline_url_fetcher()).write_pdf(pdf_tags=True)


def personal_report_pdf(store, participant_id: int, *, framework=DEFAULT_SELF_FRAMEWORK,
                        today=None) -> bytes:
    """One participant's report as PDF bytes: the same sections as the HTML report.

    Parameters
    ----------
    store : kit.store.Store
    participant_id : int
    framework : str or kit.content.Framework
    today : datetime.date, optional
        Defaults to ``get_settings().today``.

    Raises
    ------
    PdfUnavailable
        When the ``pdf`` extra is not installed (checked before any work is done).

    Examples
    --------
    >>> Path("report.pdf").write_bytes(personal_report_pdf(store, pid))   # doctest: +SKIP
    """
    from kit.report.personal import personal_report_html

    require_pdf()  # fail fast, before the charts are drawn
    page = personal_report_html(store, participant_id, framework=framework, today=today,
                                charts="svg")
    return html_to_pdf(page)


def chart_svg(chart, *, prefix: str = "") -> str:
    """Draw an Altair chart as an SVG element with vl-convert (offline, no browser).

    Parameters
    ----------
    chart : altair.TopLevelMixin
    prefix : str
        Put before every ``id`` in the SVG (and the references to it) so several SVGs can
        sit in one page without their clip paths or gradients clashing.
    """
    import vl_convert as vlc

    # Private Altair name (fenced in kit/voila/_fence.py): Altair has no public way to ask
    # which Vega-Lite version vl-convert must use.
    from altair.utils._importers import vl_version_for_vl_convert

    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=vl_version_for_vl_convert())
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
