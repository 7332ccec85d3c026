"""``kit validate``: check frameworks and exercises and list every problem found."""

from __future__ import annotations

import argparse

__all__ = ["register", "run_validate"]


def register(subparsers) -> None:
    """Add ``kit validate [PATHS...]`` to the ``kit`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check framework and exercise YAML files",
        description=(
            "Check framework and exercise files and list every problem with its file, line "
            "and place. With no paths, checks the kit's own content and every folder in "
            "KIT_CONTENT_PATH. Exits 1 when any problem is found, 0 when all is well."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="YAML files or folders (a folder's own files plus its frameworks/ and exercises/)",
    )
    parser.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Handler for ``kit validate``; returns the exit code."""
    from pathlib import Path

    from kit.content.loader import clear_cache, default_paths, expand_paths, validate_paths

    clear_cache()
    paths = [Path(p) for p in args.paths] if args.paths else default_paths()
    problems = validate_paths(paths)
    files, _ = expand_paths(paths)
    for problem in problems:
        print(problem.compact())
    n_files = len(files)
    checked = f"{n_files} file{'s' if n_files != 1 else ''}"
    if problems:
        n = len(problems)
        bad = len({p.file for p in problems})
        print(f"\n{n} problem{'s' if n != 1 else ''} in {bad} "
              f"file{'s' if bad != 1 else ''} ({checked} checked).")
        return 1
    print(f"All good: {checked} checked, no problems found.")
    return 0
