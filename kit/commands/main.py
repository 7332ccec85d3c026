"""The ``kit`` command.

Each family of subcommands is a module of :mod:`kit.commands` that exposes
``register(subparsers)``. Those modules import only :mod:`argparse` at the top, so that
``kit --help`` stays quick; the heavy imports happen inside the handler.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "build_parser", "explain"]

#: Modules that contribute subcommands, in the order ``kit --help`` lists them.
COMMAND_MODULES = (
    "kit.commands.serve",         # serve
    "kit.commands.demo",          # demo
    "kit.commands.store",         # cohort, import, export, erase, backup, purge
    "kit.commands.report",        # report
    "kit.commands.cards",         # cards
    "kit.commands.item_report",   # item-report
    "kit.commands.content",       # validate
    "kit.commands.notebooks",     # notebooks, new
    "kit.commands.translations",  # translations
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
        except ModuleNotFoundError as exc:  # a command module missing from this installation
            if exc.name and name.startswith(exc.name):
                # Said, not skipped silently: the other commands still work.
                print(f"kit: the commands in {name} are missing from this installation "
                      "(a damaged or partial install); reinstall the kit to get them back.",
                      file=sys.stderr)
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
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        explained = explain(exc, getattr(args, "database", None))
        if explained is None:
            raise  # a fault in the kit itself: show it as what it is
        message, status = explained
        print(f"kit: {message}", file=sys.stderr)
        return status


def explain(exc: BaseException, database: str | None = None) -> tuple[str, int] | None:
    """``(message, exit status)`` for a failure the person running the kit can act on.

    Bad settings, a store that refused, a database that cannot be opened, a file that
    cannot be written, text that is not valid UTF-8 and broken content each get one or two
    sentences. Anything else returns ``None``: it is a fault in the kit and keeps its
    traceback.
    """
    from kit.config import ConfigError, mask_url

    if isinstance(exc, ConfigError):
        if len(exc.problems) == 1:
            return f"configuration problem: {exc}", 2
        lines = "\n".join(f"  - {p}" for p in exc.problems)
        return f"{len(exc.problems)} configuration problems, all to fix:\n{lines}", 2
    from kit.content.problems import ContentError
    from kit.store.errors import StoreError

    if isinstance(exc, (StoreError, ContentError)):
        return mask_url(str(exc)), 1
    if isinstance(exc, UnicodeError):
        return (
            "some text given to the kit is not valid UTF-8 (bytes from a terminal or file "
            "with another encoding); nothing was saved. Retype it, or save the file as UTF-8.",
            2,
        )
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{where}: {exc.strerror or exc}. Nothing else was changed.", 1
    import sqlalchemy as sa

    if isinstance(exc, sa.exc.DBAPIError):
        from kit.store.errors import describe_database_error

        url = database
        if url is None:
            from kit.config import get_settings

            url = get_settings().database_url
        return describe_database_error(exc, url), 1
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
