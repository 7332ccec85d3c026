"""``kit cohort``, ``kit export``, ``kit erase``, ``kit backup`` and ``kit purge``.

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

    from kit.store import Store, StoreError

    try:
        with Store(args.database) as store:
            return int(action(store) or 0)
    except StoreError as exc:
        return _fail(str(exc))
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        return _fail(f"the database refused: {reason}. Check --database or KIT_DATABASE_URL.")
    except (sa.exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        return _fail(f"the database driver for {args.database!r} is not installed ({exc}).", 2)


# -- cohort ------------------------------------------------------------------------------------
def _cohort_create(args):
    def action(store):
        created = store.create_cohort(
            args.name, groups=args.groups, rounds=args.rounds, frameworks=args.frameworks or []
        )
        if args.language:
            store.set_cohort_language(created.cohort_id, args.language)
        info = store.cohort(created.cohort_id)
        print(f"Created cohort {created.name!r} (id {created.cohort_id}).")
        print(
            f"Rounds: {', '.join(r.name + (' (open)' if r.is_open else '') for r in info.rounds)}"
        )
        print("\nJoin codes (give each group its own):")
        width = max(len(g) for g in created.join_codes)
        for group, code in created.join_codes.items():
            print(f"  {group:<{width}}  {code}")
        print(f"\nFacilitator key (keep it private): {created.facilitator_key}")
        print("These codes are shown only now: the database keeps only scrambled copies.")

    return _run(args, action)


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


def _cohort_round(args):
    def action(store):
        cohort = store.cohort_by_facilitator_key(args.key)
        if args.action == "open":
            r = store.open_round(cohort.id, args.round)
            print(f"Round {r.name!r} of {cohort.name!r} is open; any other round is now closed.")
        else:
            r = store.close_round(cohort.id, args.round)
            print(f"Round {r.name!r} of {cohort.name!r} is closed.")

    return _run(args, action)


# -- data rights -------------------------------------------------------------------------------
def _export(args):
    def action(store):
        from pathlib import Path

        p = store.resume(args.participant)
        folder = Path(args.out) if args.out else Path.cwd() / f"kit-export-{p.id}"
        paths = store.export_participant_files(p.id, folder)
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
        p = store.resume(args.participant)
        if not args.yes:
            answer = input(
                f"Erase participant {p.id} and everything they entered? This cannot be undone. [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes"}:
                print("Nothing was erased.")
                return 1
        removed = store.erase_participant(p.id)
        print(f"Erased participant {p.id}: {removed} records removed.")

    return _run(args, action)


def _backup(args):
    def action(store):
        path = store.backup(args.path)
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
    if days < 1:
        return _fail(f"--days must be 1 or more; got {days}.", 2)

    def action(store):
        removed = store.purge(days)
        print(
            f"Purged {removed} cohort{'s' if removed != 1 else ''} created more than {days} days ago."
        )

    return _run(args, action)


def register(subparsers) -> None:
    """Add the store's subcommands to the ``kit`` command."""
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
        help="round names in order (the first is opened)",
    )
    create.add_argument(
        "--frameworks", nargs="+", metavar="ID", help="framework ids the cohort uses"
    )
    create.add_argument(
        "--language", metavar="CODE",
        help="the cohort's language, e.g. cy (default: the server's, KIT_LANGUAGE, else en); "
        "each person can still choose their own on Start here",
    )
    _database(create)
    create.set_defaults(func=_cohort_create)

    listing = cohort_sub.add_parser("list", help="list cohorts")
    _database(listing)
    listing.set_defaults(func=_cohort_list)

    rnd = cohort_sub.add_parser("round", help="open or close a round")
    rnd.add_argument("action", choices=["open", "close"])
    rnd.add_argument("round", help="round name")
    rnd.add_argument(
        "--key", required=True, metavar="FACILITATOR_KEY", help="the cohort's facilitator key"
    )
    _database(rnd)
    rnd.set_defaults(func=_cohort_round)

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
