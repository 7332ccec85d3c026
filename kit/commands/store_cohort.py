"""``kit cohort``: create and list cohorts, open and close rounds, handle objections.

Part of the store's commands (:mod:`kit.commands.store` registers it). Only the shared
plumbing of :mod:`kit.commands.store_common` is imported here; the store, the apps' models
and the reports are imported inside each handler.
"""

from __future__ import annotations

import sys

from kit.commands.store_common import add_database_option, fail, run_with_store, setup_key_problem

__all__ = ["register"]


def _cohort_create(args):
    from kit.apps.errors import Refused
    from kit.apps.setup_model import create_cohort, framework_lenses

    try:
        self_fw, team_fw = framework_lenses(args.frameworks or [], args.self_framework,
                                            args.team_framework)
    except Refused as exc:
        return fail(str(exc), 2)

    def action(store):
        # The same path as the set-up app: frameworks are checked before anything is written.
        try:
            created = create_cohort(
                store, args.name, groups=args.groups, rounds=args.rounds,
                organisations=args.organisations or [], self_framework=self_fw,
                team_framework=team_fw,
            )
        except Refused as exc:
            return fail(str(exc))
        if args.language:
            store.set_cohort_language(created.cohort_id, args.language)
        info = store.cohort(created.cohort_id)
        print(f"Created cohort {created.name!r} (id {created.cohort_id}).")
        print(
            f"Rounds: {', '.join(r.name + (' (open)' if r.is_open else '') for r in info.rounds)}"
        )
        print(f"Frameworks: {info.self_framework} (self-assessment), "
              f"{info.team_framework} (team health check)")
        if info.organisations:
            print(f"Organisations offered when joining: {', '.join(info.organisations)}")
        print("\nJoin codes (give each group its own):")
        width = max(len(g) for g in created.join_codes)
        for group, code in created.join_codes.items():
            print(f"  {group:<{width}}  {code}")
        print(f"\nFacilitator key (keep it private): {created.facilitator_key}")
        print("These codes are shown only now: the database keeps only scrambled copies.")
        print("No round is open yet. Everyone who joins before a round opens is counted in it: "
              "once people have joined, open the first round (kit cohort round open).")
        if args.join_sheet:
            return _write_join_sheet(args, created)

    return run_with_store(args, action)


def _write_join_sheet(args, created) -> int:
    from pathlib import Path

    from kit.apps.setup_model import JoinSheetGroup, join_link
    from kit.report.join_sheet import join_sheet_html, join_sheet_pdf

    if not args.url:
        return fail("--join-sheet needs --url: the address the apps are served at, for "
                     "example http://kit.example.org:8866/voila/render/", 2)
    groups = [JoinSheetGroup(g, code, join_link(args.url, code))
              for g, code in created.join_codes.items()]
    path = Path(args.join_sheet)
    if path.suffix.lower() == ".pdf":
        from kit.report.pdf import PdfUnavailable

        try:
            data = join_sheet_pdf(created.name, groups)
        except PdfUnavailable as exc:
            return fail(f"{exc}; or write the sheet as .html and print it from a browser.")
        path.write_bytes(data)
    elif path.suffix.lower() in {".html", ".htm"}:
        path.write_text(join_sheet_html(created.name, groups), encoding="utf-8")
    else:
        return fail(f"--join-sheet {str(path)!r}: the file name should end in .html or .pdf.", 2)
    print(f"Join sheet (one page per group, with QR codes) written to {path}.")
    return 0


def _cohort_list(args):
    def action(store):
        cohorts = store.list_cohorts()
        if not cohorts:
            print(
                "No cohorts yet. Create one with: kit cohort create NAME --groups ... --rounds ..."
            )
            return 0
        for c in cohorts:
            open_round = next((r.name for r in c.rounds if r.is_open), "none")
            print(
                f"{c.id:>4}  {c.name}  (created {c.created_at:%Y-%m-%d}; groups: "
                f"{', '.join(g.name for g in c.groups)}; open round: {open_round})"
            )

    return run_with_store(args, action)


def _cohort_round(args):
    if args.action == "reopen-membership":
        return fail(
            "Membership is not re-opened any more: a round that is not open yet counts everyone "
            "who has joined, and who counts is fixed when it opens. A round opened before people "
            "joined, that nobody counted has answered, goes back to not open yet when you close "
            "it. Nothing was changed.", 2)

    def action(store):
        from kit.publishing import close_round

        cohort = store.cohort_by_facilitator_key(args.key)
        if args.action == "open":
            r = store.open_round(cohort.id, args.round)
            counted = sum(g["counted"] for g in store.membership_summary(cohort.id))
            print(f"Round {r.name!r} of {cohort.name!r} is open.")
            print(f"It counts the {counted} people who had joined; anyone joining from now on "
                  "counts from the next round. Its results are published when it closes.")
        else:
            import time

            start = time.perf_counter()
            closed = close_round(store, cohort.id, args.round)
            if closed.failed:
                print(f"kit: {closed.message}", file=sys.stderr)
                return 1
            print(closed.message)
            if not closed.taken_back:
                print(f"Published in {time.perf_counter() - start:.1f} s.")

    return run_with_store(args, action)


def _cohort_objections(args):
    def action(store):
        cohort = store.cohort(args.cohort)
        found = store.objections(cohort.id, unresolved_only=not args.all)
        if not found:
            print(f"No {'' if args.all else 'unresolved '}objections in {cohort.name!r}.")
        for o in found:
            state = (f"resolved {o['resolved_at']:%Y-%m-%d}: {o['resolution']}"
                     if o["resolved_at"] else "unresolved: the group's results are held")
            print(f"{o['group']}, {o['round']}: a member said {o['counted']} counted does not "
                  f"match their group ({o['created_at']:%Y-%m-%d}); {state}")

    return run_with_store(args, action)


def _cohort_resolve(args):
    if problem := setup_key_problem(args.setup_key, "Resolving an objection"):
        return fail(problem, 2)

    def action(store):
        from kit.publishing import resolve_objection

        cohort = store.cohort(args.cohort)
        print(resolve_objection(store, cohort.id, args.group, args.round, args.note))

    return run_with_store(args, action)



def register(subparsers) -> None:
    """Add ``kit cohort`` and its actions to the ``kit`` command."""
    cohort = subparsers.add_parser("cohort", help="create and manage cohorts, groups and rounds")
    cohort_sub = cohort.add_subparsers(dest="cohort_command", metavar="ACTION", required=True)

    _add_create(cohort_sub)
    _add_list(cohort_sub)
    _add_round(cohort_sub)
    _add_objections(cohort_sub)
    _add_resolve(cohort_sub)


def _add_create(cohort_sub) -> None:
    from kit.content.models import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

    create = cohort_sub.add_parser(
        "create", help="create a cohort; prints join codes and the facilitator key"
    )
    create.add_argument("name", help="cohort name, e.g. 'Spring 2026'")
    create.add_argument("--groups", nargs="+", required=True, metavar="GROUP", help="group names")
    create.add_argument(
        "--rounds",
        nargs="+",
        required=True,
        metavar="ROUND",
        help="round names in order (none is open until you open it)",
    )
    create.add_argument(
        "--frameworks", nargs="+", metavar="ID",
        help="framework ids the cohort uses (sorted into self-assessment and team by their lens)",
    )
    create.add_argument(
        "--language", metavar="CODE",
        help="the cohort's language, e.g. cy (default: the server's, KIT_LANGUAGE, else en); "
        "each person can still choose their own on Start here",
    )
    create.add_argument("--self-framework", metavar="ID",
                        help=f"the self-assessment framework (default {DEFAULT_SELF_FRAMEWORK})")
    create.add_argument("--team-framework", metavar="ID",
                        help=f"the team health check framework (default {DEFAULT_TEAM_FRAMEWORK})")
    create.add_argument("--organisations", nargs="+", metavar="ORG",
                        help="partner organisations offered when joining (plus 'Other')")
    create.add_argument("--join-sheet", metavar="FILE",
                        help="also write the printable join sheet (.html, or .pdf with WeasyPrint)")
    create.add_argument("--url", metavar="URL",
                        help="where the apps are served, for the join links "
                        "(e.g. http://kit.example.org:8866/voila/render/)")
    add_database_option(create)
    create.set_defaults(func=_cohort_create)


def _add_list(cohort_sub) -> None:
    listing = cohort_sub.add_parser("list", help="list cohorts")
    add_database_option(listing)
    listing.set_defaults(func=_cohort_list)


def _add_round(cohort_sub) -> None:
    rnd = cohort_sub.add_parser(
        "round", help="open a round, or close it and publish its results",
        description="A round that is not open yet counts everyone who has joined; who counts "
                    "is fixed when it opens. Closing it publishes its results once; they are "
                    "final. ('reopen-membership' is refused: membership is never re-opened.)")
    rnd.add_argument("action", choices=["open", "close", "reopen-membership"])
    rnd.add_argument("round", help="round name")
    rnd.add_argument(
        "--key", required=True, metavar="FACILITATOR_KEY", help="the cohort's facilitator key"
    )
    add_database_option(rnd)
    rnd.set_defaults(func=_cohort_round)


def _add_objections(cohort_sub) -> None:
    objs = cohort_sub.add_parser(
        "objections", help="list members' objections to their group's count (no names)")
    objs.add_argument("--cohort", type=int, required=True, metavar="ID", help="the cohort's id")
    objs.add_argument("--all", action="store_true", help="resolved ones too")
    add_database_option(objs)
    objs.set_defaults(func=_cohort_objections)


def _add_resolve(cohort_sub) -> None:
    res = cohort_sub.add_parser(
        "resolve", help="resolve a group's objection to its count (set-up key) and publish "
        "what it held")
    res.add_argument("group", help="the group's name")
    res.add_argument("round", help="the round's name")
    res.add_argument("--cohort", type=int, required=True, metavar="ID", help="the cohort's id")
    res.add_argument("--note", required=True, help="what you checked, e.g. 'members checked "
                     "against the programme list'")
    res.add_argument("--setup-key", metavar="KEY", help="the set-up key (KIT_SETUP_KEY)")
    add_database_option(res)
    res.set_defaults(func=_cohort_resolve)
