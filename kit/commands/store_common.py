"""What the store's commands share: the ``--database`` option, opening the store with its
errors turned into one plain sentence, and the set-up key check.

Imported by :mod:`kit.commands.store_cohort`, :mod:`kit.commands.store_import` and
:mod:`kit.commands.store_rights`; only :mod:`argparse` and :mod:`sys` at the top.
"""

from __future__ import annotations

import argparse
import sys

__all__ = [
    "store_url",
    "add_database_option",
    "fail",
    "run_with_store",
    "setup_key_problem",
]


def add_database_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand the ``--database URL`` option every store command takes."""
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: KIT_DATABASE_URL, else kit.db in the data folder)",
    )


def fail(message: str, status: int = 1) -> int:
    """Say ``message`` on stderr as ``kit: ...`` and return the exit status ``status``."""
    print(f"kit: {message}", file=sys.stderr)
    return status


def run_with_store(args: argparse.Namespace, action) -> int:
    """Open the store, run ``action(store)``, and turn store errors into friendly exits."""
    import sqlalchemy as sa

    from kit.config import mask_url
    from kit.store import Store, StoreError
    from kit.store.errors import describe_database_error

    try:
        with Store(args.database) as store:
            return int(action(store) or 0)
    except StoreError as exc:
        return fail(mask_url(str(exc)))
    except sa.exc.DBAPIError as exc:
        return fail(describe_database_error(exc, store_url(args)))
    except (sa.exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        return fail(
            f"the database driver for {mask_url(store_url(args))!r} is not installed ({exc}).", 2
        )


def store_url(args: argparse.Namespace) -> str:
    """The database URL a command uses: ``--database`` or the configured one."""
    if getattr(args, "database", None):
        return args.database
    from kit.config import get_settings

    return get_settings().database_url


_SETUP_KEY_WORDS = (
    "the set-up key (--setup-key: the key `kit serve` printed, or KIT_SETUP_KEY), never the "
    "facilitator key: only whoever runs the kit may change who is counted")


def setup_key_problem(given: str | None, what: str) -> str | None:
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
