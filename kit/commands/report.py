"""``kit report``: write a personal or group report as one standalone HTML file (or PDF).

    kit report --participant RESUME-CODE out.html
    kit report --participant RESUME-CODE out.pdf      # needs the optional 'pdf' extra
    kit report --facilitator-key KEY [--group NAME] [--round NAME] out.html   # or out.pdf

The format comes from the output file's suffix.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "FORMATS", "output_format"]

#: Output suffix -> format name.
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="write a personal or group report as a standalone HTML file (or PDF)",
        description="Write a report that opens offline in any browser. A personal report needs "
                    "the participant's resume code; a group report needs the cohort's "
                    "facilitator key. The format comes from the output suffix: .html, or .pdf "
                    "(needs the optional 'pdf' extra).",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant", metavar="CODE", help="the participant's resume code")
    who.add_argument("--facilitator-key", metavar="KEY", help="the cohort's facilitator key")
    p.add_argument("--group", metavar="NAME", help="group report: one group only")
    p.add_argument("--round", metavar="NAME", help="group report: one round only")
    p.add_argument("--database", metavar="URL",
                   help="SQLAlchemy URL (default: KIT_DATABASE_URL or the kit's SQLite file)")
    p.add_argument("output", help="file to write, ending in .html or .pdf")
    p.set_defaults(func=_handle)


def output_format(command: str, out) -> str | None:
    """The format of ``out`` (a path) from its suffix, or None after saying on stderr which
    suffixes are valid (shared by every command that writes a report-like file)."""
    import sys

    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        print(f"kit {command}: cannot tell the format of {str(out)!r} from its suffix "
              f"{out.suffix or '(none)'!r}; valid formats: .html, .pdf", file=sys.stderr)
    return fmt


def _handle(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    out = Path(args.output)
    fmt = output_format("report", out)
    if fmt is None:
        return 2
    if args.participant is not None and (args.group or args.round):
        print("kit report: --group and --round are for group reports (--facilitator-key)",
              file=sys.stderr)
        return 2
    if fmt == "pdf":
        from kit.report.pdf import PdfUnavailable, require_pdf

        try:
            require_pdf()  # before opening the database: say so at once
        except PdfUnavailable as exc:
            print(f"kit report: {exc}", file=sys.stderr)
            return 1
    from kit.store import Store, StoreError

    try:
        with Store(args.database) as store:
            if args.participant is not None:
                from kit.report.personal import personal_report_html

                participant = store.resume(args.participant)
                if fmt == "pdf":
                    from kit.report.pdf import personal_report_pdf

                    data = personal_report_pdf(store, participant.id)
                else:
                    data = personal_report_html(store, participant.id).encode("utf-8")
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
                if fmt == "pdf":
                    from kit.report.group import group_report_pdf

                    data = group_report_pdf(store, cohort.id, group_id=group_id, round=args.round)
                else:
                    data = group_report_html(store, cohort.id, group_id=group_id,
                                             round=args.round).encode("utf-8")
    except StoreError as exc:
        print(f"kit report: {exc}", file=sys.stderr)
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        print(f"kit report: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.participant is not None:
        from kit.store.copies import record_copy

        record_copy(out, "report", store.url, participant.id)
    opens = "any PDF reader" if fmt == "pdf" else "any browser"
    print(f"Wrote {out} ({len(data) // 1024} KB). It opens offline in {opens}.")
    return 0
