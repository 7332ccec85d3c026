"""What every part of :class:`~kit.store.Store` builds on: the database, its transactions, the clock.

* :class:`Database` opens (and migrates) the engine and hands out transactions:
  :meth:`Database.transaction` runs a piece of work in one write transaction, retried while
  the database is busy; :meth:`Database.reading` is a read-only transaction (a context manager).
* :class:`Repository` is one part of the store (cohorts, responses, snapshots...): it holds the
  :class:`Database` and reaches it through the same two helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.i18n import _
from kit.store import tables as t
from kit.store.engine import WRITE_OPTION, first_open_lock, is_sqlite, make_engine, run_write
from kit.store.errors import NotFound, StoreUnavailable, describe_database_error
from kit.store.info import ParticipantInfo

__all__ = ["Database", "Repository", "now", "participant_info", "participant_row"]

T = TypeVar("T")


def now() -> dt.datetime:
    """The current time as naive UTC, on the kit's "today" when ``KIT_TODAY`` pins it."""
    from kit.config import get_settings

    real = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = get_settings().today
    if today == dt.date.today():
        return real
    return dt.datetime.combine(today, real.time())


def participant_info(row) -> ParticipantInfo:
    return ParticipantInfo(
        id=row.id,
        cohort_id=row.cohort_id,
        group_id=row.group_id,
        display_name=row.display_name,
        organisation=row.organisation,
        sector=row.sector,
        role_level=row.role_level,
        hub_user=row.hub_user,
    )


def participant_row(conn: Connection, participant_id: int, *, lock: bool = False):
    """The participant's row, read in ``conn``; :class:`NotFound` when there is none.

    ``lock`` holds the row until the transaction ends (PostgreSQL; SQLite's write lock is
    already taken up front)."""
    query = sa.select(t.participants).where(t.participants.c.id == participant_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(_(
            "There is no participant with id {id}. They may have been erased; join again "
            "with a join code, or resume with your resume code.").format(id=repr(participant_id)))
    return row


class Database:
    """Engine and transactions. Opening migrates the database to the newest schema.

    Parameters
    ----------
    url:
        SQLAlchemy URL. ``None`` uses ``kit.config.get_settings().database_url``.
    migrate:
        Bring the schema up to date on open (the default). Tests of old revisions turn it off.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True):
        if url is None:
            from kit.config import get_settings

            url = get_settings().database_url
        self.url = str(url)
        with first_open_lock(self.url):  # a new SQLite file: one process creates and migrates it
            self.engine = make_engine(self.url)
            self._writer = self.engine.execution_options(**{WRITE_OPTION: True})
            self._open(migrate)

    def _open(self, migrate: bool) -> None:
        try:
            if migrate:
                from kit.store.migrate import upgrade

                upgrade(self.engine)
        except sa.exc.DBAPIError as exc:
            # A file that is damaged or read-only, a server that does not answer: say so in
            # words. Busy databases were already retried and arrive as StoreBusy.
            self.engine.dispose()
            raise StoreUnavailable(describe_database_error(exc, self.url)) from None
        except BaseException:
            self.engine.dispose()
            raise

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Release every database connection. The store cannot be used afterwards."""
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        shown = sa.engine.make_url(self.url).render_as_string(hide_password=True)
        return f"{type(self).__name__}({shown!r})"

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    # -- transactions ------------------------------------------------------------------------
    def transaction(self, work: Callable[[Connection], T], what: str = "save your changes") -> T:
        """Run ``work(conn)`` in one write transaction and return what it returns.

        The write lock is taken up front (SQLite) and the whole of ``work`` is run again while
        the database is busy, so ``work`` must only touch the database through ``conn``. A
        database still busy after the retries raises :class:`~kit.store.StoreBusy`, naming
        ``what`` ("import the file"). Not a context manager: a retry needs the work again.
        """
        return run_write(self._writer, work, what=what)

    def reading(self):
        """A read-only transaction: ``with store.reading() as conn: ...``."""
        return self.engine.begin()

    # The names used before the transaction helpers were public (some tests still use them).
    _write = transaction
    _read = reading


class Repository:
    """One part of the store. It holds the :class:`Database` and reaches it only through
    ``self.db.transaction(work, what=...)`` and ``with self.db.reading() as conn:``."""

    def __init__(self, db: Database):
        self.db = db

    @property
    def engine(self) -> sa.engine.Engine:
        return self.db.engine

    @property
    def url(self) -> str:
        return self.db.url

    @property
    def is_sqlite(self) -> bool:
        return self.db.is_sqlite

    _participant_row = staticmethod(participant_row)
