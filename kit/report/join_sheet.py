"""The join sheet: for each group, its join code, its join link and a QR code of the link.

One standalone HTML page that prints one group per sheet of paper (and a PDF of it where
WeasyPrint is installed). The QR codes are drawn here as inline SVG by segno: nothing is
fetched, so the sheet works offline and can be printed anywhere.

Examples
--------
>>> from kit.apps.setup_model import JoinSheetGroup
>>> page = join_sheet_html("Spring 2026", [JoinSheetGroup("North", "K7QF-2MRX-9WZD-HT4P",
...     "http://localhost:8866/voila/render/01_self_assessment.ipynb?join=K7QF-2MRX-9WZD-HT4P")])
>>> "<svg" in page and "K7QF-2MRX-9WZD-HT4P" in page
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["qr_svg", "join_sheet_html", "join_sheet_pdf"]

_STYLE = """
@page { size: A4; margin: 18mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1b1b1b; margin: 0 auto; max-width: 44rem; padding: 1rem; }
.kit-join-group { page-break-after: always; break-after: page; padding: 1rem 0;
                  border-bottom: 1px dashed #999; }
.kit-join-group:last-child { page-break-after: auto; break-after: auto; border-bottom: 0; }
.kit-join-code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 2rem;
                 letter-spacing: 0.08em; font-weight: 700; }
.kit-join-link { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.95rem;
                 word-break: break-all; }
.kit-join-qr svg { width: 60mm; height: 60mm; max-width: 100%; }
ol li { margin: 0.3rem 0; }
"""


def qr_svg(text: str, *, title: str = "QR code") -> str:
    """An inline ``<svg>`` QR code of ``text`` (drawn offline by segno), with a text title."""
    import segno

    qr = segno.make(text, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", title=title,
                        svgclass="kit-qr", lineclass=None, omitsize=False)
    return svg.replace("<svg ", "<svg role='img' ", 1)


def join_sheet_html(cohort_name: str, groups: Sequence, *, standalone: bool = True) -> str:
    """The join sheet as one HTML page (``groups``: :class:`~kit.apps.setup_model.JoinSheetGroup`).

    Every piece of user text (cohort and group names) is escaped.
    """
    cohort = html.escape(cohort_name)
    blocks = []
    for g in groups:
        name = html.escape(g.group)
        code = html.escape(g.join_code)
        link = html.escape(g.link)
        qr = qr_svg(g.link, title=f"QR code: join link for {g.group}")
        blocks.append(
            f"<section class='kit-join-group' aria-label='Join {name}'>"
            f"<h2>{cohort}: group {name}</h2>"
            "<p>Join your group on your phone or computer:</p>"
            "<ol><li>Scan the QR code with your phone's camera, or type the link into a "
            "browser.</li><li>The join code is filled in for you. Add your organisation, sector "
            "and role level if you wish, then press <strong>Join my group</strong>.</li>"
            "<li>Write down the resume code you are given: it brings your own answers back.</li>"
            "</ol>"
            f"<div class='kit-join-qr'>{qr}</div>"
            f"<p>Join code: <span class='kit-join-code'>{code}</span></p>"
            f"<p>Link: <span class='kit-join-link'>{link}</span></p>"
            "</section>"
        )
    body = "".join(blocks)
    if not standalone:
        return f"<div class='kit-join-sheet'>{body}</div>"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Join sheet: {cohort}</title><style>{_STYLE}</style></head>"
        f"<body><main class='kit-join-sheet'>{body}</main></body></html>"
    )


def join_sheet_pdf(cohort_name: str, groups: Sequence) -> bytes:
    """The join sheet as PDF (needs WeasyPrint; raises :class:`kit.report.pdf.PdfUnavailable`)."""
    from kit.report.pdf import html_to_pdf

    return html_to_pdf(join_sheet_html(cohort_name, groups))
