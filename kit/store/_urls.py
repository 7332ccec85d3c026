"""Reading a database URL, shared by the engine and the error messages (which import nothing
else from the store, so the two do not import each other)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url

__all__ = ["sqlite_path"]


def sqlite_path(url: str | URL) -> Path | None:
    """The database file of a SQLite URL, or ``None`` for an in-memory database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return Path(u.database)
