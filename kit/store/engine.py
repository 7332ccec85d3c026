"""Engines for SQLite and PostgreSQL, and the retrying write transaction.

SQLite is set up for several Voila kernels writing at once:

* WAL journal, so readers never block the writer and the writer never blocks readers;
* ``busy_timeout``, so a writer waits its turn instead of failing at once;
* ``foreign_keys=ON`` (cascading deletes) and ``secure_delete=ON`` (deleted text is zeroed);
* write transactions start with ``BEGIN IMMEDIATE`` and so take the write lock up front. A
  deferred transaction that reads first and writes later can deadlock against another
  writer; SQLite then fails at once with "database is locked", whatever the timeout.

The driver's own transaction handling is switched off and SQLAlchemy's ``begin`` event emits
the ``BEGIN``, the pattern in the SQLAlchemy SQLite dialect documentation.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from kit.store.errors import StoreBusy, StoreError

__all__ = [
    "make_engine",
    "is_sqlite",
    "sqlite_path",
    "run_write",
    "is_retryable",
    "WRITE_OPTION",
    "BUSY_TIMEOUT_MS",
]

T = TypeVar("T")

#: Execution option that marks a connection as a writer (``BEGIN IMMEDIATE`` on SQLite).
WRITE_OPTION = "kit_write"
BUSY_TIMEOUT_MS = 10_000
#: PostgreSQL SQLSTATEs worth retrying: serialization failure, deadlock, lock not available.
_PG_RETRY = {"40001", "40P01", "55P03"}
_SQLITE_RETRY = ("database is locked", "database table is locked", "database is busy")


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str | URL) -> Path | None:
    """The database file of a SQLite URL, or ``None`` for an in-memory database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return Path(u.database)


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url`` with the kit's SQLite or PostgreSQL settings applied.

    For a SQLite file the folder is created when missing.
    """
    try:
        u = make_url(url)
    except sa.exc.ArgumentError:
        u = None
    if u is None or u.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"The database URL {str(url)!r} is not one the kit can use: give sqlite:///path/to/kit.db "
            "or postgresql+psycopg://user@host:5432/dbname."
        )
    if u.get_backend_name() == "postgresql":
        return sa.create_engine(u, pool_pre_ping=True)
    path = sqlite_path(u)
    if path is None:
        engine = sa.create_engine(
            u, poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        path.expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _configure_sqlite(engine, wal=path is not None)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves (see "begin" below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if wal:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")  # durable in WAL mode up to power loss
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA secure_delete = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def is_retryable(exc: BaseException) -> bool:
    """True for "try again" failures: SQLite busy/locked, PostgreSQL serialization/deadlock."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _PG_RETRY:
        return True
    message = str(orig).lower()
    return isinstance(exc, sa.exc.OperationalError) and any(m in message for m in _SQLITE_RETRY)


def run_write(
    engine: Engine,
    work: Callable[[Connection], T],
    *,
    attempts: int = 8,
    first_delay: float = 0.02,
    max_delay: float = 1.0,
    what: str = "save your changes",
) -> T:
    """Run ``work(conn)`` in one write transaction, retrying busy and conflict failures.

    The whole transaction is rolled back and run again from the start, so ``work`` must
    not have side effects outside the database. Backoff doubles from ``first_delay`` with
    jitter. When every attempt fails, :class:`StoreBusy` says so in plain words.
    """
    writer = engine
    if not engine.get_execution_options().get(WRITE_OPTION):
        writer = engine.execution_options(**{WRITE_OPTION: True})
    delay = first_delay
    for attempt in range(attempts):
        try:
            with writer.begin() as conn:
                return work(conn)
        except sa.exc.DBAPIError as exc:
            if not is_retryable(exc):
                raise
            if attempt == attempts - 1:
                raise StoreBusy(
                    f"The database was too busy to {what} after {attempts} tries. Nothing was "
                    "lost and nothing was saved: please wait a moment and try again. If this "
                    "keeps happening, ask whoever runs the kit to check the database server."
                ) from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, max_delay)
    raise AssertionError("unreachable")  # pragma: no cover
