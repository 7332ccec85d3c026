"""The retrying write transaction: busy databases and conflicts never surface as raw errors."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from kit.store import Store, StoreBusy, StoreError
from kit.store.engine import is_retryable, make_engine, run_write


class _FakePgError(Exception):
    def __init__(self, sqlstate):
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _op_error(orig):
    return sa.exc.OperationalError("UPDATE x", {}, orig)


@pytest.mark.parametrize(
    ("orig", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("no such table: x"), False),
        (_FakePgError("40001"), True),  # serialization failure
        (_FakePgError("40P01"), True),  # deadlock detected
        (_FakePgError("23505"), False),  # unique violation: not a "try again"
    ],
)
def test_what_is_retried(orig, expected):
    assert is_retryable(_op_error(orig)) is expected


def test_transient_failures_are_retried_until_they_pass(store_url):
    engine = make_engine(store_url)
    calls = []

    def work(conn):
        calls.append(1)
        if len(calls) < 3:
            raise _op_error(_FakePgError("40001"))
        return conn.execute(sa.text("SELECT 7")).scalar()

    try:
        assert run_write(engine, work, first_delay=0.001) == 7
    finally:
        engine.dispose()
    assert len(calls) == 3


def test_a_database_locked_for_too_long_is_a_friendly_store_busy(store_url):
    Store(store_url).close()
    engine = make_engine(store_url)
    holder = make_engine(store_url)
    sqlite = store_url.startswith("sqlite")

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_conn, _record):  # runs after the kit's own set-up
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 0" if sqlite else "SET lock_timeout = '20ms'")
        cur.close()
        if not sqlite:
            dbapi_conn.commit()  # a SET inside a transaction would be undone by its rollback

    # another app holds the write lock (SQLite) or a lock on the table (PostgreSQL)
    with holder.execution_options(kit_write=True).begin() as held:
        if not sqlite:
            held.execute(sa.text("LOCK TABLE cohorts IN ACCESS EXCLUSIVE MODE"))
        with pytest.raises(StoreBusy) as err:
            run_write(
                engine,
                lambda conn: conn.execute(sa.text("DELETE FROM cohorts")),
                attempts=3,
                first_delay=0.001,
            )
    engine.dispose()
    holder.dispose()
    message = str(err.value)
    assert "locked" not in message and "try again" in message and "Nothing was" in message
    assert isinstance(err.value, StoreError)


def test_other_database_errors_are_not_retried(store_url):
    engine = make_engine(store_url)
    calls = []

    def work(conn):
        calls.append(1)
        conn.execute(sa.text("SELECT * FROM no_such_table"))

    try:
        with pytest.raises(sa.exc.DBAPIError):
            run_write(engine, work)
    finally:
        engine.dispose()
    assert len(calls) == 1


def test_unsupported_urls_are_refused_plainly():
    with pytest.raises(StoreError, match="postgresql\\+psycopg://"):
        make_engine("mysql://somewhere/kit")
