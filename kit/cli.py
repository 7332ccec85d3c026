"""The ``kit`` command.

Each subcommand lives beside the code it drives, in a module that exposes
``register(subparsers)``. Those modules import only :mod:`argparse` at the top, so that
``kit --help`` stays quick; the heavy imports happen inside the handler.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "build_parser"]

#: Modules that contribute subcommands, in the order ``kit --help`` lists them.
COMMAND_MODULES = (
    "kit.serve",           # serve
    "kit.demo",            # demo
    "kit.store.cli",       # cohort, export, erase, backup, purge
    "kit.report.cli",      # report
    "kit.content.cli",     # validate
    "kit.notebooks",       # notebooks, new
    "kit.i18n.cli",        # translations
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit",
        description="Partnering Kit: reflection and self-assessment for leaders who work in partnership.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command whose module is not built yet
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("partnering-kit")
    except PackageNotFoundError:
        return "0+unknown"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from kit.config import ConfigError

    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"kit: configuration problem: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
