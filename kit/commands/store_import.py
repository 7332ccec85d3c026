"""``kit import``: a programme's earlier rounds from a CSV file, checked before anything is
written.

Part of the store's commands (:mod:`kit.commands.store` registers it); the store is imported
inside the handler.
"""

from __future__ import annotations

import argparse
import sys

from kit.commands.store_common import add_database_option, fail, run_with_store, setup_key_problem

__all__ = ["register"]


def _import(args):
    if problem := setup_key_problem(args.setup_key, "Importing counted members"):
        return fail(problem, 2)
    if args.cohort is None:
        return fail("kit import needs --cohort ID (`kit cohort list` shows the ids).", 2)

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

    return run_with_store(args, action)



def register(subparsers) -> None:
    """Add ``kit import`` to the ``kit`` command."""
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
    add_database_option(imp)
    imp.set_defaults(func=_import)
