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

from kit.content.models import DEFAULT_SELF_FRAMEWORK

# Charts drawn as inline SVG live in kit.report.svg (the personal report's print variant uses
# them too, so pdf.py and personal.py no longer import each other); kept here by name.
from kit.report.svg import chart_svg, svg_chart_div  # noqa: F401

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

