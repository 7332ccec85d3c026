"""``kit cards``: print the health-check cards, one per area, four to a sheet of A4.

    kit cards cards.html
    kit cards cards.pdf                                 # needs the optional 'pdf' extra
    kit cards --framework board-health cards.pdf        # a trainer's own health check

The format comes from the output file's suffix, as for ``kit report``.
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "cards",
        help="write the printable health-check cards (one per area) as HTML or PDF",
        description="Write printable cards for a team health check: one card per area with "
                    "its statements, what good and poor look like, and a question for the "
                    "table, four to a sheet of A4. They open offline. The format comes from "
                    "the output suffix: .html, or .pdf (needs the optional 'pdf' extra).",
    )
    p.add_argument("--framework", metavar="ID",
                   help="the health check to print (default: the shipped partnership health "
                        "check); any team health check on the content search path")
    p.add_argument("output", help="file to write, ending in .html or .pdf")
    p.set_defaults(func=_handle)


def _handle(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from kit.commands.report import output_format

    out = Path(args.output)
    fmt = output_format("cards", out)
    if fmt is None:
        return 2
    from kit.report.health_cards import (
        CardsRefused,
        health_cards_html,
        health_cards_pdf,
        health_check_framework,
    )
    from kit.report.pdf import PdfUnavailable, require_pdf

    try:
        if fmt == "pdf":
            require_pdf()  # say so before any work is done
        framework = health_check_framework(args.framework)
        data = (health_cards_pdf(framework) if fmt == "pdf"
                else health_cards_html(framework).encode("utf-8"))
    except (CardsRefused, PdfUnavailable) as exc:
        print(f"kit cards: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, PdfUnavailable) else 2
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        print(f"kit cards: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    opens = "any PDF reader" if fmt == "pdf" else "any browser"
    print(f"Wrote {out}: {len(framework.dimensions)} cards for '{framework.id}' "
          f"({len(data) // 1024} KB). It opens offline in {opens}.")
    return 0
