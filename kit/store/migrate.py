"""Bring a database up to the newest schema, safely when many processes open it at once.

Opening an up-to-date database costs one small query: the revision is read and compared
with :data:`kit.store.migrations.HEAD`, and Alembic is not even imported. Otherwise the
upgrade runs inside one write transaction that first takes a lock: ``BEGIN IMMEDIATE`` on
SQLite, a transaction-level advisory lock on PostgreSQL. A second process opening at the
same moment waits for that lock, reads the revision again, and finds nothing left to do.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kit.store.engine import is_retryable, run_write
from kit.store.errors import StoreError
from kit.store.migrations import HEAD, SCRIPT_LOCATION

__all__ = ["upgrade", "current_revision", "alembic_config", "HEAD"]

#: Arbitrary constant naming the kit's migration lock among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x6B69745F6D6967  # "kit_mig"


def current_revision(conn: Connection) -> str | None:
    """The database's Alembic revision, or ``None`` for an empty database."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(conn: Connection | None = None):
    """An Alembic ``Config`` built in code; the scripts live inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Upgrade the database behind ``engine`` to ``revision``; returns the revision now in place."""
    target = HEAD if revision == "head" else revision
    try:
        with engine.connect() as conn:
            if current_revision(conn) == target:
                return target
    except sa.exc.DBAPIError as exc:
        if not is_retryable(exc):
            raise
        # Busy at the quick look (another process is migrating): the locked path below waits.

    def work(conn: Connection) -> str | None:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        if current_revision(conn) == target:
            return target
        from alembic import command

        command.upgrade(alembic_config(conn), revision)
        return current_revision(conn)

    try:
        return run_write(engine, work, attempts=12, what="prepare the database")
    except sa.exc.ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == "3F000":  # invalid_schema_name
            raise StoreError(
                "The PostgreSQL schema named in the URL's search_path does not exist. Create it "
                "first (CREATE SCHEMA name;) or remove the search_path option."
            ) from None
        raise
