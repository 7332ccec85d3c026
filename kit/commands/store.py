"""``kit cohort``, ``kit import``, ``kit export``, ``kit erase``, ``kit backup`` and ``kit purge``.

Only :mod:`argparse` is imported here; the store is imported inside each handler. Every
command takes ``--database URL`` (default ``KIT_DATABASE_URL`` or the SQLite file in the data
folder). Problems are reported in one plain sentence on stderr with exit status 1 (the store
refused) or 2 (the command was used wrongly); never a traceback.

This module holds :func:`register`; what the commands share (the ``--database`` option,
opening the store, the set-up key check) is :mod:`kit.commands.store_common`, and each group
of subcommands is a module of its own:
:mod:`kit.commands.store_cohort` (``kit cohort``), :mod:`kit.commands.store_import`
(``kit import``) and :mod:`kit.commands.store_rights` (``kit export``, ``erase``, ``backup``,
``purge``).
"""

from __future__ import annotations

import argparse

__all__ = ["register", "store_url"]


def store_url(args: argparse.Namespace) -> str:
    """The database URL a command uses: ``--database`` or the configured one."""
    from kit.commands.store_common import store_url as url

    return url(args)


def register(subparsers) -> None:
    """Add the store's subcommands to the ``kit`` command, in the order ``kit --help`` lists
    them: cohort, import, export, erase, backup, purge."""
    from kit.commands import store_cohort, store_import, store_rights

    store_cohort.register(subparsers)
    store_import.register(subparsers)
    store_rights.register(subparsers)
