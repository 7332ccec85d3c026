"""The data-rights commands: ``kit export``, ``kit erase``, ``kit backup`` and ``kit purge``.

Part of the store's commands (:mod:`kit.commands.store` registers them); the store is imported
inside each handler.
"""

from __future__ import annotations

import sys

from kit.commands.store_common import add_database_option, fail, run_with_store

__all__ = ["register"]


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

    return run_with_store(args, action)


def _erase(args):
    if not args.yes:
        if not sys.stdin.isatty():
            return fail(
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

    return run_with_store(args, action)


def _backup(args):
    def action(store):
        path = store.backup(args.path)
        from kit.store.copies import record_copy

        record_copy(path, "backup", store.url)
        print(f"Backed up the database to {path}.")

    return run_with_store(args, action)


def _purge(args):
    days = args.days
    if days is None:
        from kit.config import get_settings

        days = get_settings().retention_days
    if days is None:
        return fail(
            "say how old a cohort must be to purge: --days N, or set KIT_RETENTION_DAYS.", 2
        )
    source = "--days" if args.days is not None else "KIT_RETENTION_DAYS"
    if days < 1:
        return fail(f"{source} must be 1 or more; got {days}.", 2)
    from kit.store import purge_cutoff

    if purge_cutoff(days) is None:
        import datetime as dt

        from kit.config import get_settings

        today = get_settings().today
        most = (today - dt.date(1, 1, 1)).days - 1
        return fail(
            f"{source} {days} reaches back before the year 1 from {today.isoformat()}; give at "
            f"most {most} days (about {most // 365} years). Nothing was purged.",
            2,
        )

    def action(store):
        removed = store.purge(days)
        print(
            f"Purged {removed} cohort{'s' if removed != 1 else ''} created more than {days} days ago."
        )

    return run_with_store(args, action)



def register(subparsers) -> None:
    """Add ``kit export``, ``kit erase``, ``kit backup`` and ``kit purge`` to the ``kit`` command."""
    export = subparsers.add_parser(
        "export", help="export everything one participant entered (JSON and CSV)"
    )
    export.add_argument(
        "--participant", required=True, metavar="CODE", help="the participant's resume code"
    )
    export.add_argument(
        "--out", metavar="FOLDER", help="folder to write to (default ./kit-export-ID)"
    )
    add_database_option(export)
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
    add_database_option(erase)
    erase.set_defaults(func=_erase)

    backup = subparsers.add_parser("backup", help="copy the SQLite database safely while apps run")
    backup.add_argument("path", help="file to write the backup to")
    add_database_option(backup)
    backup.set_defaults(func=_backup)

    purge = subparsers.add_parser("purge", help="delete cohorts older than the retention period")
    purge.add_argument(
        "--days", type=int, metavar="N", help="age in days (default: KIT_RETENTION_DAYS)"
    )
    add_database_option(purge)
    purge.set_defaults(func=_purge)
