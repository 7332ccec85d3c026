"""``kit notebooks --execute/--check/--nbval`` and ``kit new notebook``."""

from __future__ import annotations

import argparse

from kit.notebooks.check import check_notebooks
from kit.notebooks.environment import DEMO_TODAY
from kit.notebooks.execute import execute_in_place
from kit.notebooks.new import DEFAULT_APP, new_notebook
from kit.notebooks.paths import NotebookError, notebook_paths, shown
from kit.notebooks.strict import run_nbval

__all__ = ["register"]


def register(subparsers) -> None:
    """Add ``kit notebooks`` and ``kit new notebook`` to the ``kit`` command."""
    p = subparsers.add_parser(
        "notebooks",
        help="re-execute, check or nbval-test the notebooks on the demo data",
        description=(
            "Run notebooks unattended on a fresh copy of the demo data "
            f"(KIT_DEMO=1, KIT_TODAY={DEMO_TODAY}). Default: every notebook in notebooks/."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="notebooks or folders of notebooks")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--execute", action="store_true",
                      help="re-run each notebook and save it with its outputs")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 naming every notebook whose saved outputs are stale")
    mode.add_argument("--nbval", action="store_true",
                      help="run strict nbval exactly as CI does")
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    p.add_argument("--workers", type=int, default=0,
                   help="with --nbval: run notebooks on this many processes (pytest-xdist)")
    p.add_argument("--sanitize-with", metavar="FILE", default=None,
                   help="nbval sanitize file (default tests/nbval_sanitize.cfg or the packaged one)")
    p.set_defaults(func=_notebooks_command)

    new = subparsers.add_parser("new", help="start a new notebook from a template")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    nb = kinds.add_parser(
        "notebook",
        help="a thin app notebook: introduction, import, one call",
        description="Create notebooks/NAME.ipynb from the thin template, then execute it.",
    )
    nb.add_argument("name", metavar="NAME", help="file name without .ipynb, e.g. 07_team_habits")
    nb.add_argument("--title", help="heading of the notebook (default made from NAME)")
    nb.add_argument("--app", default=DEFAULT_APP, help=f"module:Class to show (default {DEFAULT_APP})")
    nb.add_argument("--dir", dest="folder", default=None, help="folder to write into (default notebooks/)")
    nb.add_argument("--force", action="store_true", help="overwrite an existing notebook")
    nb.add_argument("--no-execute", dest="execute", action="store_false",
                    help="only write the file; do not run it to save its outputs")
    nb.set_defaults(func=_new_command)


def _notebooks_command(args: argparse.Namespace) -> int:
    import sys

    try:
        if args.nbval:
            return run_nbval(args.paths, sanitize=args.sanitize_with, workers=args.workers)
        if args.execute:
            written = execute_in_place(args.paths, timeout=args.timeout, log=print)
            print(f"{len(written)} notebook(s) executed and saved.")
            return 0
        targets = notebook_paths(args.paths)
        problems = check_notebooks(targets, timeout=args.timeout, sanitize=args.sanitize_with)
    except NotebookError as exc:
        print(f"kit notebooks: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {len(targets)} notebook(s).", file=sys.stderr)
        return 1
    print(f"{len(targets)} notebook(s) up to date.")
    return 0


def _new_command(args: argparse.Namespace) -> int:
    import sys

    try:
        path = new_notebook(args.name, title=args.title, app=args.app, folder=args.folder,
                            force=args.force)
        print(f"created {shown(path)}")
        if args.execute:
            execute_in_place([path], log=print)
    except NotebookError as exc:
        print(f"kit new notebook: {exc}", file=sys.stderr)
        return 1
    print(f"next: edit the introduction, then `kit notebooks --check {shown(path)}`")
    return 0
