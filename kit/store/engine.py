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

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from kit.store._urls import sqlite_path
from kit.store.errors import (
    InvalidResponse,
    ResponseProblem,
    StoreBusy,
    StoreUnavailable,
)

__all__ = [
    "make_engine",
    "is_sqlite",
    "sqlite_path",
    "run_write",
    "is_retryable",
    "WRITE_OPTION",
    "BUSY_TIMEOUT_MS",
    "check_sqlite_file",
    "first_open_lock",
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


#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def _parse(url: str | URL) -> URL:
    from kit.config import mask_url

    accepted = "give sqlite:///path/to/kit.db or postgresql+psycopg://user@host:5432/dbname"
    try:
        u = make_url(url)
        u.port  # noqa: B018 - reading the port is what fails for "host:[::1:5432"
    except (sa.exc.ArgumentError, ValueError) as exc:
        reason = "its host or port cannot be read" if not isinstance(
            exc, sa.exc.ArgumentError) else "it is not in the form scheme://user@host/name"
        raise StoreUnavailable(
            f"The database URL {mask_url(str(url))!r} cannot be read ({reason}): {accepted}."
        ) from None
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreUnavailable(
            f"The database URL {mask_url(str(url))!r} is not one the kit can use: {accepted}."
        )
    return u


def check_sqlite_file(path: Path) -> None:
    """Refuse a SQLite file the kit must not open as it is: empty, or not a SQLite database.

    SQLite would quietly treat an empty file as a new database, which hides a copy or a disk
    that failed half-way. Nothing is written.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreUnavailable(
            f"The database file {path} cannot be read ({exc.strerror}). Check its permissions, "
            "or set KIT_DATA_DIR (or --database) to another place."
        ) from None
    if path.is_dir():
        raise StoreUnavailable(
            f"The database path {path} is a folder, not a file. Point KIT_DATABASE_URL (or "
            "--database) at a file such as kit.db inside it."
        )
    if size == 0:
        raise StoreUnavailable(
            f"The database file {path} is empty (0 bytes): a copy or a disk may have failed "
            "half-way. It was left as it is: restore it from a backup, or delete it to start "
            "a new, empty store."
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreUnavailable(
            f"The database file {path} cannot be read ({exc.strerror}). Check its permissions."
        ) from None
    if head != SQLITE_HEADER:
        raise StoreUnavailable(
            f"The database file {path} is damaged or is not a kit database (it does not start "
            "like a SQLite file). It was left as it is: restore it from a backup, or move it "
            "aside to start a new one."
        )


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(
            f"The folder {folder} for the database cannot be made ({exc.strerror or exc}). Set "
            "KIT_DATA_DIR (or --database) to a folder you can write to."
        ) from None
    if not folder.is_dir():
        raise StoreUnavailable(
            f"The database folder {folder} is a file, not a folder. Set KIT_DATA_DIR (or "
            "--database) to a folder."
        )


#: How long a process waits for another one to finish creating a new database.
FIRST_OPEN_WAIT_S = 300


@contextlib.contextmanager
def first_open_lock(url: str | URL):
    """Serialise the creation and first migration of a new SQLite database file.

    When the file does not exist yet (or is still empty), this holds an exclusive lock on its
    folder until the block ends, so that exactly one process creates the file, switches it to
    WAL and migrates it, while every other process opening it at the same moment waits and
    then finds a finished database. Opening an existing database takes no lock. PostgreSQL
    and in-memory databases need none (migrations take their own lock).
    """
    u = _parse(url)
    path = sqlite_path(u)
    if path is None:
        yield
        return
    path = path.expanduser()
    _make_folder(path.parent)
    try:
        new = path.stat().st_size == 0
    except FileNotFoundError:
        new = True
    except OSError:
        new = False  # check_sqlite_file says why it cannot be read
    if not new:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the retries in upgrade() carry it
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + FIRST_OPEN_WAIT_S
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreBusy(
                        f"Another program has been creating the database {path} for "
                        f"{FIRST_OPEN_WAIT_S} seconds. Wait for it to finish, then try again."
                    ) from None
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.25)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url`` with the kit's SQLite or PostgreSQL settings applied.

    For a SQLite file the folder is created when missing; an existing file that is empty or
    not a SQLite database is refused (:class:`StoreUnavailable`) and left untouched.
    """
    u = _parse(url)
    if u.get_backend_name() == "postgresql":
        engine = sa.create_engine(u, pool_pre_ping=True)
        _refuse_invalid_text(engine)
        return engine
    path = sqlite_path(u)
    if path is None:
        engine = sa.create_engine(
            u, poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        path = path.expanduser()
        _make_folder(path.parent)
        check_sqlite_file(path)
        engine = sa.create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _configure_sqlite(engine, wal=path is not None)
    _refuse_invalid_text(engine)
    return engine


def _text_problem(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_invalid_text(engine: Engine) -> None:
    """Refuse text that cannot be stored (lone surrogates: bytes that were not valid text)
    with a store error naming the field, before the driver fails with an encoding error."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(conn, cursor, statement, parameters, context, executemany):
        rows = parameters if executemany else [parameters]
        names = getattr(getattr(context, "compiled", None), "positiontup", None) or ()
        for row in rows or ():
            if isinstance(row, dict):
                items = row.items()
            elif isinstance(row, (tuple, list)):
                items = enumerate(row)
            else:
                continue
            for key, value in items:
                if isinstance(value, str) and _text_problem(value):
                    if isinstance(key, int):
                        key = names[key] if key < len(names) else f"value {key + 1}"
                    shown = value.encode("utf-8", "backslashreplace").decode("ascii", "replace")
                    if len(shown) > 60:
                        shown = shown[:57] + "..."
                    raise InvalidResponse(
                        [ResponseProblem(
                            str(key), shown,
                            "contains characters that are not valid text (often bytes from a "
                            "file or terminal that does not use UTF-8); retype it or save the "
                            "file as UTF-8",
                        )],
                        context="text",
                    )


def _switch_to_wal(cur, attempts: int = 40) -> None:
    """``PRAGMA journal_mode = WAL``, waiting while another connection holds the lock.

    Changing the journal mode needs an exclusive lock, and SQLite reports "database is locked"
    at once rather than through the busy timeout, so wait here like any other write.
    """
    delay = 0.01
    for attempt in range(attempts):
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if attempt == attempts - 1 or not any(m in str(exc).lower() for m in _SQLITE_RETRY):
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves (see "begin" below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if wal:
            _switch_to_wal(cur)
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
