"""Printable health-check cards: one card per area of a team health check.

Each card carries the area's title, why it matters, the statements members answer, what good
and poor look like, and one question for the table. Four cards fit on a sheet of A4, each an
A6 quarter with a dashed line to cut along. Everything comes from the framework's YAML, so a
trainer's own health check prints the same way; every piece of its text is escaped. Nothing is
fetched, so the page works offline, and the PDF is made from the same HTML by WeasyPrint.

Examples
--------
>>> from kit.content import load_framework
>>> page = health_cards_html(load_framework("partnership-health-check"))
>>> page.count("class='kit-card'") == len(load_framework("partnership-health-check").dimensions)
True
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence

from kit.content.models import DEFAULT_TEAM_FRAMEWORK
from kit.i18n import _, html_lang

__all__ = ["CARDS_PER_SHEET", "CardsRefused", "health_check_framework", "health_cards_html",
           "health_cards_pdf"]

#: Cards on one sheet of A4: each is an A6 quarter of the sheet.
CARDS_PER_SHEET = 4

_STYLE = """
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", system-ui, Arial, sans-serif; color: #111; margin: 0;
       font-size: 9.2pt; line-height: 1.32; }
.kit-cards-intro { max-width: 44rem; margin: 1rem auto; padding: 0 1rem; font-size: 11pt; }
.kit-sheet { display: flex; flex-wrap: wrap; align-content: flex-start; width: 210mm;
             min-height: 296mm; margin: 0 auto; break-after: page; page-break-after: always; }
.kit-sheet:last-child { break-after: auto; page-break-after: auto; }
.kit-card { width: 105mm; min-height: 148mm; padding: 8mm 8mm 6mm; border: 0.3mm dashed #888;
            break-inside: avoid; page-break-inside: avoid; overflow-wrap: break-word; }
.kit-card-source { font-size: 7.5pt; color: #444; margin: 0 0 2mm; }
.kit-card h2 { font-size: 13.5pt; line-height: 1.2; margin: 0 0 2mm; }
.kit-card h3 { font-size: 9.4pt; margin: 2.5mm 0 0.8mm; text-transform: none; }
.kit-card p { margin: 0 0 1mm; }
.kit-card ul { margin: 0; padding-left: 4.5mm; }
.kit-card li { margin: 0 0 0.6mm; }
.kit-card-why { font-style: italic; }
.kit-card-good { border-left: 1.2mm solid #1a7f37; padding-left: 2mm; }
.kit-card-poor { border-left: 1.2mm solid #b3261e; padding-left: 2mm; }
.kit-card-question { margin-top: 3mm; padding: 1.5mm 2mm; border: 0.3mm solid #111;
                     font-weight: 700; }
@media screen {
  body { font-size: 11pt; }
  .kit-sheet { width: auto; min-height: 0; max-width: 60rem; gap: 1rem; padding: 0 1rem 1rem;
               justify-content: center; }
  .kit-card { width: 100%; max-width: 28rem; min-height: 0; padding: 1rem; }
}
@media print { .kit-cards-intro { display: none; } }
"""


class CardsRefused(ValueError):
    """The framework asked for cannot be printed as health-check cards (the message says why)."""


def health_check_framework(framework_id: str | None = None):
    """The team health check to print: ``framework_id``, or the shipped one.

    Raises
    ------
    CardsRefused
        When the framework is a private self-assessment rather than a team health check; the
        message lists the health checks there are.
    kit.content.ContentError
        When no framework has that id, or its file has problems (every problem listed).
    """
    from kit.content import list_frameworks, load_framework

    framework = load_framework(framework_id or DEFAULT_TEAM_FRAMEWORK)
    if framework.lens != "team":
        teams = sorted(f.id for f in list_frameworks() if f.lens == "team")
        raise CardsRefused(
            f"'{framework.id}' is a private self-assessment, not a team health check: cards are "
            f"printed for a health check that a group talks about together; use one of: "
            f"{', '.join(teams) or '(none found)'}")
    return framework


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _card(framework, dimension, number: int, total: int) -> str:
    e = html.escape
    source = _("{framework}: area {n} of {total}").format(
        framework=framework.title, n=number, total=total)
    parts = [f"<p class='kit-card-source'>{e(source)}</p>", f"<h2>{e(dimension.title)}</h2>"]
    if dimension.why:
        parts.append(f"<p class='kit-card-why'>{e(' '.join(dimension.why.split()))}</p>")
    asked, good, poor = _("What members are asked"), _("What good looks like"), _("What poor looks like")
    statements = "".join(f"<li>{e(item.text)}</li>" for item in dimension.items)
    parts.append(f"<h3>{e(asked)}</h3><ul>{statements}</ul>")
    if dimension.good_looks_like:
        parts.append(f"<div class='kit-card-good'><h3>{e(good)}</h3>"
                     f"<p>{e(' '.join(dimension.good_looks_like.split()))}</p></div>")
    if dimension.poor_looks_like:
        parts.append(f"<div class='kit-card-poor'><h3>{e(poor)}</h3>"
                     f"<p>{e(' '.join(dimension.poor_looks_like.split()))}</p></div>")
    question = _("Which is closer to what we have seen lately, and what tells us so?")
    parts.append(f"<p class='kit-card-question'>{e(question)}</p>")
    label = _("Card: {area}").format(area=dimension.title)
    return f"<section class='kit-card' aria-label='{e(label)}'>{''.join(parts)}</section>"


def health_cards_html(framework, *, standalone: bool = True) -> str:
    """The cards of a team health check as one offline HTML page, four to a sheet of A4.

    Parameters
    ----------
    framework : kit.content.Framework
        A team health check (``lens: team``); see :func:`health_check_framework`.
    standalone : bool
        ``False`` gives only the cards, to put inside another page.
    """
    e = html.escape
    dims = framework.dimensions
    cards = [_card(framework, d, n, len(dims)) for n, d in enumerate(dims, 1)]
    sheets = "".join(f"<div class='kit-sheet'>{''.join(chunk)}</div>"
                     for chunk in _chunks(cards, CARDS_PER_SHEET))
    if not standalone:
        return f"<div class='kit-cards'>{sheets}</div>"
    title = _("Health-check cards: {framework}").format(framework=framework.title)
    intro = _("One card per area, four to a sheet of A4. Print them, cut along the dashed "
              "lines and put a set on each table for the health-check conversation.")
    return (
        f"<!DOCTYPE html><html lang='{html_lang()}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header class='kit-cards-intro'><h1>{e(title)}</h1><p>{e(intro)}</p></header>"
        f"<main class='kit-cards'>{sheets}</main></body></html>"
    )


def health_cards_pdf(framework) -> bytes:
    """The cards as an A4 PDF (needs WeasyPrint; raises :class:`kit.report.pdf.PdfUnavailable`)."""
    from kit.report.pdf import html_to_pdf, require_pdf

    require_pdf()
    return html_to_pdf(health_cards_html(framework))


if __name__ == "__main__":  # pragma: no cover - refresh the printed copy in docs/
    # python -m kit.report.health_cards > docs/health-check-cards.html
    from kit.content import load_framework

    print(health_cards_html(load_framework(DEFAULT_TEAM_FRAMEWORK)), end="")
