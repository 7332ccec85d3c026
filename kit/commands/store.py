"""``kit cohort``, ``kit import``, ``kit export``, ``kit erase``, ``kit backup`` and ``kit purge``.

Only :mod:`argparse` is imported here; the store is imported inside each handler. Every
command takes ``--database URL`` (default ``KIT_DATABASE_URL`` or the SQLite file in the data
folder). Problems are reported in one plain sentence on stderr with exit status 1 (the store
refused) or 2 (the command was used wrongly); never a traceback.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def _database(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: KIT_DATABASE_URL, else kit.db in the data folder)",
    )


def _fail(message: str, status: int = 1) -> int:
    print(f"kit: {message}", file=sys.stderr)
    return status


def _run(args: argparse.Namespace, action) -> int:
    """Open the store, run ``action(store)``, and turn store errors into friendly exits."""
    import sqlalchemy as sa

    from kit.config import mask_url
    from kit.store import Store, StoreError
    from kit.store.errors import describe_database_error

    try:
        with Store(args.database) as store:
            return int(action(store) or 0)
    except StoreError as exc:
        return _fail(mask_url(str(exc)))
    except sa.exc.DBAPIError as exc:
        return _fail(describe_database_error(exc, store_url(args)))
    except (sa.exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        return _fail(
            f"the database driver for {mask_url(store_url(args))!r} is not installed ({exc}).", 2
        )


def store_url(args: argparse.Namespace) -> str:
    """The database URL a command uses: ``--database`` or the configured one."""
    if getattr(args, "database", None):
        return args.database
    from kit.config import get_settings

    return get_settings().database_url


# -- cohort ------------------------------------------------------------------------------------
def _cohort_create(args):
    from kit.apps.errors import Refused
    from kit.apps.setup_model import create_cohort, framework_lenses

    try:
        self_fw, team_fw = framework_lenses(args.frameworks or [], args.self_framework,
                                            args.team_framework)
    except Refused as exc:
        return _fail(str(exc), 2)

    def action(store):
        # The same path as the set-up app: frameworks are checked before anything is written.
        try:
            created = create_cohort(
                store, args.name, groups=args.groups, rounds=args.rounds,
                organisations=args.organisations or [], self_framework=self_fw,
                team_framework=team_fw,
            )
        except Refused as exc:
            return _fail(str(exc))
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

    return _run(args, action)


def _write_join_sheet(args, created) -> int:
    from pathlib import Path

    from kit.apps.setup_model import JoinSheetGroup, join_link
    from kit.report.join_sheet import join_sheet_html, join_sheet_pdf

    if not args.url:
        return _fail("--join-sheet needs --url: the address the apps are served at, for "
                     "example http://kit.example.org:8866/voila/render/", 2)
    groups = [JoinSheetGroup(g, code, join_link(args.url, code))
              for g, code in created.join_codes.items()]
    path = Path(args.join_sheet)
    if path.suffix.lower() == ".pdf":
        from kit.report.pdf import PdfUnavailable

        try:
            data = join_sheet_pdf(created.name, groups)
        except PdfUnavailable as exc:
            return _fail(f"{exc}; or write the sheet as .html and print it from a browser.")
        path.write_bytes(data)
    elif path.suffix.lower() in {".html", ".htm"}:
        path.write_text(join_sheet_html(created.name, groups), encoding="utf-8")
    else:
        return _fail(f"--join-sheet {str(path)!r}: the file name should end in .html or .pdf.", 2)
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

    return _run(args, action)


_SETUP_KEY_WORDS = (
    "the set-up key (--setup-key: the key `kit serve` printed, or KIT_SETUP_KEY), never the "
    "facilitator key: only whoever runs the kit may change who is counted")


def _setup_key_problem(given: str | None, what: str) -> str | None:
    """Why ``given`` is not this server's set-up key, in a sentence; None when it is."""
    import hmac

    from kit.config import get_settings

    expected = get_settings().setup_key
    if not given:
        return f"{what} needs {_SETUP_KEY_WORDS}. Nothing was written."
    if not expected:
        return (f"{what} needs the set-up key, and none is configured: set KIT_SETUP_KEY "
                "(at least 12 characters) for this command. Nothing was written.")
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return (f"That set-up key is not right; {what} needs {_SETUP_KEY_WORDS}. Nothing was "
                "written.")
    return None


def _cohort_for(store, args):
    """The cohort named by --cohort ID (set-up key commands) or --key (the facilitator's)."""
    if getattr(args, "cohort", None) is not None:
        return store.cohort(args.cohort)
    return store.cohort_by_facilitator_key(args.key)


def _cohort_round(args):
    if args.action == "reopen-membership":
        return _fail(
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

    return _run(args, action)


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

    return _run(args, action)


def _cohort_resolve(args):
    if problem := _setup_key_problem(args.setup_key, "Resolving an objection"):
        return _fail(problem, 2)

    def action(store):
        from kit.publishing import resolve_objection

        cohort = store.cohort(args.cohort)
        print(resolve_objection(store, cohort.id, args.group, args.round, args.note))

    return _run(args, action)


# -- import ------------------------------------------------------------------------------------
def _import(args):
    if problem := _setup_key_problem(args.setup_key, "Importing counted members"):
        return _fail(problem, 2)
    if args.cohort is None:
        return _fail("kit import needs --cohort ID (`kit cohort list` shows the ids).", 2)

    def action(store):
        from kit._progress import ProgressBar
        from kit.store.importing import InvalidImport, check_import, import_csv

        cohort = store.cohort(args.cohort)
        options = dict(round_name=args.round, group=args.group)
        try:
            if args.check:
                plan = check_import(store, args.file, cohort.id, args.framework, **options)
                print(
                    f"{args.file}: no problems found; {plan.rows} responses for "
                    f"{', '.join(plan.round_names.values())} would be imported "
                    f"({len(plan.new_people)} new people). Nothing was written (--check)."
                )
                return 0
            result = import_csv(
                store, args.file, cohort.id, args.framework, progress=ProgressBar, **options
            )
        except InvalidImport as exc:
            print(f"kit: {exc}", file=sys.stderr)
            return 1
        rounds = ", ".join(f"{n} in {name!r}" for name, n in result.responses.items())
        print(
            f"Imported {sum(result.responses.values())} responses into {cohort.name!r} ({rounds}); "
            f"{result.people_added} new people. This is recorded and shown on the facilitator "
            "dashboard."
        )

    return _run(args, action)


# -- data rights -------------------------------------------------------------------------------
def _export(args):
    def action(store):
        from pathlib import Path

        p = store.resume(args.participant)
        folder = Path(args.out) if args.out else Path.cwd() / f"kit-export-{p.id}"
        paths = store.export_participant_files(p.id, folder)
        from kit.store.copies import record_copy

        record_copy(folder, "export", store.url, p.id, files=paths)
        print(f"Wrote {len(paths)} files to {folder}:")
        for path in paths:
            print(f"  {path.name}")

    return _run(args, action)


def _erase(args):
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail(
                "erasing cannot be undone: add --yes to confirm when not typing at a terminal.", 2
            )

    def action(store):
        from kit.store.copies import copies_of, delete_copies

        p = store.resume(args.participant)
        copies = copies_of(p.id, store.url)
        theirs = [c for c in copies if c.theirs]
        backups = [c for c in copies if not c.theirs]
        if not args.yes:
            answer = input(
                f"Erase participant {p.id} and everything they entered? This cannot be undone. [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes"}:
                print("Nothing was erased.")
                return 1
        removed = store.erase_participant(p.id)
        print(f"Erased participant {p.id}: {removed} records removed.")
        if p.cohort_id is not None:  # their shared answers left: a batch may form without them
            from kit.publishing import release_texts

            release_texts(store, p.cohort_id)
        if theirs:
            print(f"\nThe kit wrote {len(theirs)} cop{'y' if len(theirs) == 1 else 'ies'} of "
                  "their data earlier that still exist:")
            for c in theirs:
                print(f"  {c.describe()}")
            delete = args.delete_copies
            if not delete and not args.yes and sys.stdin.isatty():
                answer = input("Delete these copies too? [y/N] ")
                delete = answer.strip().lower() in {"y", "yes"}
            if delete:
                gone = delete_copies(theirs)
                print(f"Deleted {len(gone)} of them.")
            else:
                print("They were kept: delete them by hand, or run the erase with --delete-copies.")
        if backups:
            print(f"\n{len(backups)} backup{'s' if len(backups) != 1 else ''} made by kit backup "
                  "still hold their data (and everyone else's):")
            for c in backups:
                print(f"  {c.describe()}")
            print("Replace or delete them when your retention rules say so.")

    return _run(args, action)


def _backup(args):
    def action(store):
        path = store.backup(args.path)
        from kit.store.copies import record_copy

        record_copy(path, "backup", store.url)
        print(f"Backed up the database to {path}.")

    return _run(args, action)


def _purge(args):
    days = args.days
    if days is None:
        from kit.config import get_settings

        days = get_settings().retention_days
    if days is None:
        return _fail(
            "say how old a cohort must be to purge: --days N, or set KIT_RETENTION_DAYS.", 2
        )
    source = "--days" if args.days is not None else "KIT_RETENTION_DAYS"
    if days < 1:
        return _fail(f"{source} must be 1 or more; got {days}.", 2)
    from kit.store import purge_cutoff

    if purge_cutoff(days) is None:
        import datetime as dt

        from kit.config import get_settings

        today = get_settings().today
        most = (today - dt.date(1, 1, 1)).days - 1
        return _fail(
            f"{source} {days} reaches back before the year 1 from {today.isoformat()}; give at "
            f"most {most} days (about {most // 365} years). Nothing was purged.",
            2,
        )

    def action(store):
        removed = store.purge(days)
        print(
            f"Purged {removed} cohort{'s' if removed != 1 else ''} created more than {days} days ago."
        )

    return _run(args, action)


def register(subparsers) -> None:
    """Add the store's subcommands to the ``kit`` command."""
    from kit.content.models import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

    cohort = subparsers.add_parser("cohort", help="create and manage cohorts, groups and rounds")
    cohort_sub = cohort.add_subparsers(dest="cohort_command", metavar="ACTION", required=True)

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
    _database(create)
    create.set_defaults(func=_cohort_create)

    listing = cohort_sub.add_parser("list", help="list cohorts")
    _database(listing)
    listing.set_defaults(func=_cohort_list)

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
    _database(rnd)
    rnd.set_defaults(func=_cohort_round)

    objs = cohort_sub.add_parser(
        "objections", help="list members' objections to their group's count (no names)")
    objs.add_argument("--cohort", type=int, required=True, metavar="ID", help="the cohort's id")
    objs.add_argument("--all", action="store_true", help="resolved ones too")
    _database(objs)
    objs.set_defaults(func=_cohort_objections)

    res = cohort_sub.add_parser(
        "resolve", help="resolve a group's objection to its count (set-up key) and publish "
        "what it held")
    res.add_argument("group", help="the group's name")
    res.add_argument("round", help="the round's name")
    res.add_argument("--cohort", type=int, required=True, metavar="ID", help="the cohort's id")
    res.add_argument("--note", required=True, help="what you checked, e.g. 'members checked "
                     "against the programme list'")
    res.add_argument("--setup-key", metavar="KEY", help="the set-up key (KIT_SETUP_KEY)")
    _database(res)
    res.set_defaults(func=_cohort_resolve)

    imp = subparsers.add_parser(
        "import",
        help="import a programme's earlier rounds from a CSV file (one row per person and round)",
        description=(
            "Check a CSV file against the framework and the cohort, list every problem by row "
            "and column, and only when there are none store its rows as responses of the named "
            "round, all in one transaction. Columns: person, optional round, group, "
            "organisation, sector, role_level, one column per item id, and optional "
            "importance:DIMENSION_ID. Example: data/import-example.csv; see docs/storage.md."
        ),
    )
    imp.add_argument("file", help="the CSV file (UTF-8; the first row names the columns)")
    imp.add_argument("--cohort", type=int, metavar="ID", help="the cohort's id (kit cohort list)")
    imp.add_argument("--setup-key", metavar="KEY",
                     help="the set-up key (KIT_SETUP_KEY): importing adds counted members, so "
                     "the facilitator key is not enough; only into rounds not open yet")
    imp.add_argument("--key", metavar="FACILITATOR_KEY", help=argparse.SUPPRESS)
    imp.add_argument(
        "--round", metavar="NAME", help="the round for rows without a 'round' column or cell"
    )
    imp.add_argument(
        "--group", metavar="NAME", help="the group for rows without a 'group' column or cell"
    )
    imp.add_argument(
        "--framework", metavar="ID", help="framework id (default: the cohort's first framework)"
    )
    imp.add_argument(
        "--check", action="store_true", help="check the file and report; write nothing"
    )
    _database(imp)
    imp.set_defaults(func=_import)

    export = subparsers.add_parser(
        "export", help="export everything one participant entered (JSON and CSV)"
    )
    export.add_argument(
        "--participant", required=True, metavar="CODE", help="the participant's resume code"
    )
    export.add_argument(
        "--out", metavar="FOLDER", help="folder to write to (default ./kit-export-ID)"
    )
    _database(export)
    export.set_defaults(func=_export)

    erase = subparsers.add_parser("erase", help="erase everything one participant entered")
    erase.add_argument(
        "--participant", required=True, metavar="CODE", help="the participant's resume code"
    )
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.add_argument(
        "--delete-copies",
        action="store_true",
        help="also delete the exports and personal reports the kit wrote of this participant",
    )
    _database(erase)
    erase.set_defaults(func=_erase)

    backup = subparsers.add_parser("backup", help="copy the SQLite database safely while apps run")
    backup.add_argument("path", help="file to write the backup to")
    _database(backup)
    backup.set_defaults(func=_backup)

    purge = subparsers.add_parser("purge", help="delete cohorts older than the retention period")
    purge.add_argument(
        "--days", type=int, metavar="N", help="age in days (default: KIT_RETENTION_DAYS)"
    )
    _database(purge)
    purge.set_defaults(func=_purge)
