"""``kit item-report``: how each item of a cohort's framework behaves, for trainers.

    kit item-report --facilitator-key KEY [--round NAME] [--team] [--csv FOLDER]

Prints floor and ceiling per item, "No chance" overall and by role level, item-rest
correlations, area alphas and round-to-round stability. Every figure rests on at least the
minimum group size (``KIT_MIN_GROUP_SIZE``); smaller ones are withheld. See docs/validation.md.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "format_report"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "item-report",
        help="how each item of a cohort's framework behaves (for trainers)",
        description="Print floor and ceiling per item, 'No chance' overall and by role level, "
                    "item-rest correlations, area alphas and round-to-round stability for a "
                    "cohort, each figure resting on at least the minimum group size. Needs the "
                    "cohort's facilitator key.",
    )
    p.add_argument("--facilitator-key", metavar="KEY", required=True,
                   help="the cohort's facilitator key")
    p.add_argument("--round", metavar="NAME", help="one round only (stability uses every round)")
    p.add_argument("--team", action="store_true",
                   help="report on the cohort's team health check instead of its self-assessment")
    p.add_argument("--csv", metavar="FOLDER", help="also write each table as a CSV file here")
    p.add_argument("--database", metavar="URL",
                   help="SQLAlchemy URL (default: KIT_DATABASE_URL or the kit's SQLite file)")
    p.set_defaults(func=_handle)


def _pct(x) -> str:
    return "" if x != x else f"{100 * x:.0f}%"


def _num(x) -> str:
    return "" if x != x else f"{x:.2f}"


def _table(frame, columns) -> str:
    """A plain-text table: ``columns`` is ``[(heading, column, formatter)]``."""
    rows = [[h for h, _c, _f in columns]]
    for rec in frame.to_dict("records"):
        if not rec.get("shown", True):
            rows.append([str(rec.get(c, "")) if f is str else "" for _h, c, f in columns[:-1]]
                        + [rec.get("note", "")])
            continue
        rows.append([f(rec.get(c)) if c else "" for _h, c, f in columns])
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(columns))]
    return "\n".join("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def format_report(report, framework) -> str:
    """The report as plain text, one section per table."""
    from kit.analysis.item_report import NO_CHANCE_LIMIT

    out = [f"Item report: {framework.title} (edition {framework.version}); every figure rests on "
           f"at least {report.min_group_size} people, smaller ones are withheld.", ""]
    out += ["Items", _table(report.items, [
        ("item", "item_id", str), ("kind", "kind", str), ("n", "n", str),
        ("floor", "floor", _pct), ("ceiling", "ceiling", _pct),
        ("no chance", "no_chance", _pct), ("item-rest r", "item_rest", _num),
        ("note", None, str)]), ""]
    flagged = report.flagged()
    if flagged:
        out += [f"Most people had no chance to answer ({_pct(NO_CHANCE_LIMIT)} or more): "
                + ", ".join(flagged), ""]
    out += ["'No chance' by role level", _table(report.no_chance_by_role, [
        ("item", "item_id", str), ("role level", "role_level", str), ("n", "n", str),
        ("no chance", "no_chance", _pct), ("note", None, str)]), ""]
    out += ["Areas (Cronbach's alpha over the helpful acts)", _table(report.areas, [
        ("area", "dimension_id", str), ("items", "items", str), ("n", "n", str),
        ("alpha", "alpha", _num), ("note", None, str)]), ""]
    out += ["Stability between rounds (correlation of area scores)", _table(report.stability, [
        ("area", "dimension_id", str), ("from", "from_round", str), ("to", "to_round", str),
        ("n", "n", str), ("r", "r", _num), ("note", None, str)])]
    return "\n".join(out)


def _handle(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from kit.analysis.item_report import item_report
    from kit.analysis.privacy import Rules
    from kit.content import load_framework
    from kit.store import Store, StoreError

    try:
        with Store(args.database) as store:
            cohort = store.cohort_by_facilitator_key(args.facilitator_key)
            fw = load_framework(cohort.team_framework if args.team else cohort.self_framework)
            if args.round is not None:
                try:
                    cohort.round(args.round)
                except KeyError as exc:
                    print(f"kit item-report: {exc.args[0]}", file=sys.stderr)
                    return 2
            responses = store.responses_frame(cohort.id, fw.id)
    except StoreError as exc:
        print(f"kit item-report: {exc}", file=sys.stderr)
        return 1
    report = item_report(responses, fw, round=args.round, rules=Rules.from_settings())
    print(format_report(report, fw))
    if args.csv:
        folder = Path(args.csv)
        folder.mkdir(parents=True, exist_ok=True)
        from kit._csv import frame_csv_bytes

        for name in ("items", "no_chance_by_role", "areas", "stability"):
            (folder / f"{name}.csv").write_bytes(
                frame_csv_bytes(getattr(report, name), float_format="%.3f"))
        print(f"\nWrote four CSV files to {folder}.")
    return 0
