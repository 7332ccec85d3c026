"""``kit report``: write a personal or group report as one standalone HTML file.

    kit report --participant RESUME-CODE out.html
    kit report --facilitator-key KEY [--group NAME] [--round NAME] out.html
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="write a personal or group report as a standalone HTML file",
        description="Write a report that opens offline in any browser. A personal report needs "
                    "the participant's resume code; a group report needs the cohort's "
                    "facilitator key.",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant", metavar="CODE", help="the participant's resume code")
    who.add_argument("--facilitator-key", metavar="KEY", help="the cohort's facilitator key")
    p.add_argument("--group", metavar="NAME", help="group report: one group only")
    p.add_argument("--round", metavar="NAME", help="group report: one round only")
    p.add_argument("--database", metavar="URL",
                   help="SQLAlchemy URL (default: KIT_DATABASE_URL or the kit's SQLite file)")
    p.add_argument("output", help="file to write, ending in .html")
    p.set_defaults(func=_handle)


def _handle(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        print(f"kit report: {args.output!r} must end in .html (reports are HTML; print to PDF "
              "from the browser if you need a PDF)", file=sys.stderr)
        return 2
    if args.participant and (args.group or args.round):
        print("kit report: --group and --round are for group reports (--facilitator-key)",
              file=sys.stderr)
        return 2
    from kit.store import Store, StoreError

    try:
        with Store(args.database) as store:
            if args.participant:
                from kit.report.personal import personal_report_html

                participant = store.resume(args.participant)
                page = personal_report_html(store, participant.id)
            else:
                from kit.report import group_report_html

                cohort = store.cohort_by_facilitator_key(args.facilitator_key)
                group_id = None
                if args.group:
                    try:
                        group_id = cohort.group(args.group).id
                    except KeyError as exc:
                        print(f"kit report: {exc.args[0]}", file=sys.stderr)
                        return 2
                page = group_report_html(store, cohort.id, group_id=group_id, round=args.round)
    except StoreError as exc:
        print(f"kit report: {exc}", file=sys.stderr)
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"kit report: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {out} ({len(page.encode('utf-8')) // 1024} KB). It opens offline in any browser.")
    return 0
