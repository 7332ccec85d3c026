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

from kit.i18n import _, html_lang

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
.kit-join-qr svg { display: block; width: 60mm; max-width: 100%; height: auto; aspect-ratio: 1; }
ol li { margin: 0.3rem 0; }
"""


def qr_svg(text: str, *, title: str | None = None) -> str:
    """An inline ``<svg>`` QR code of ``text`` (drawn offline by segno), with a text title."""
    import segno

    title = title or _("QR code")

    qr = segno.make(text, error="m", micro=False)
    # A viewBox and no fixed size: the code fills whatever box the page gives it (a fixed
    # width and height drew it at 164 px in the top corner of a 60 mm box, a blank gap below).
    svg = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", title=title,
                        svgclass="kit-qr", lineclass=None, omitsize=True)
    return svg.replace("<svg ", "<svg role='img' ", 1)


def join_sheet_html(cohort_name: str, groups: Sequence, *, standalone: bool = True) -> str:
    """The join sheet as one HTML page (``groups``: :class:`~kit.apps.setup_model.JoinSheetGroup`).

    Every piece of user text (cohort and group names) is escaped.
    """
    e = html.escape
    blocks = []
    steps = [
        _("Scan the QR code with your phone's camera, or type the link into a browser."),
        _("The join code is filled in for you. Add your organisation, sector and role level if "
          "you wish, then press {button}."),
        _("Write down the resume code you are given: it brings your own answers back."),
    ]
    intro = _("Join your group on your phone or computer:")
    code_word, link_word = _("Join code:"), _("Link:")
    button = "<strong>" + e(_("Join my group")) + "</strong>"
    items = "".join(f"<li>{e(s).replace('{button}', button)}</li>" for s in steps)
    for g in groups:
        code = html.escape(g.join_code)
        link = html.escape(g.link)
        qr = qr_svg(g.link, title=_("QR code: join link for {group}").format(group=g.group))
        label = _("Join {group}").format(group=g.group)
        heading = _("{cohort}: group {group}").format(cohort=cohort_name, group=g.group)
        blocks.append(
            f"<section class='kit-join-group' aria-label='{e(label)}'>"
            f"<h2>{e(heading)}</h2>"
            f"<p>{e(intro)}</p>"
            f"<ol>{items}</ol>"
            f"<div class='kit-join-qr'>{qr}</div>"
            f"<p>{e(code_word)} <span class='kit-join-code'>{code}</span></p>"
            f"<p>{e(link_word)} <span class='kit-join-link'>{link}</span></p>"
            "</section>"
        )
    body = "".join(blocks)
    if not standalone:
        return f"<div class='kit-join-sheet'>{body}</div>"
    title = _("Join sheet: {cohort}").format(cohort=cohort_name)
    return (
        f"<!DOCTYPE html><html lang='{html_lang()}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main class='kit-join-sheet'>{body}</main></body></html>"
    )


def join_sheet_pdf(cohort_name: str, groups: Sequence) -> bytes:
    """The join sheet as PDF (needs WeasyPrint; raises :class:`kit.report.pdf.PdfUnavailable`)."""
    from kit.report.pdf import html_to_pdf

    return html_to_pdf(join_sheet_html(cohort_name, groups))
