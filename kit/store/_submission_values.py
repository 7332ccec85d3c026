"""The tables of one shape that hang off a submission: ``(submission_id, key, value)``.

``answers`` (keyed by ``item_id``), ``importance``, ``then_ratings`` (the then-test's
"looking back") and ``trend_votes`` (a health check's "better, the same or worse?"), all keyed
by ``dimension_id``. Saving, comparing, exporting and erasing them goes through these helpers,
so a new table of the same shape is one more entry in :data:`VALUE_TABLES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.store import tables as t

__all__ = [
    "VALUE_TABLES",
    "key_column",
    "values_of",
    "values_by_submission",
    "insert_values",
    "delete_values",
]

#: Every per-submission value table, in the order they are written and erased.
VALUE_TABLES = (t.answers, t.importance, t.then_ratings, t.trend_votes)


def key_column(table: sa.Table) -> sa.Column:
    """What a value is for: ``item_id`` for answers, ``dimension_id`` for the others."""
    return table.c.item_id if table is t.answers else table.c.dimension_id


def values_of(conn: Connection, table: sa.Table, submission_id: int) -> dict:
    """``{key: value}`` saved in ``table`` for one submission."""
    return dict(conn.execute(sa.select(key_column(table), table.c.value)
                             .where(table.c.submission_id == submission_id)).all())


def values_by_submission(conn: Connection, table: sa.Table,
                         submission_ids: Iterable[int]) -> dict[int, dict]:
    """``{submission id: {key: value}}`` for many submissions, each in the order saved;
    a submission with nothing in ``table`` is left out."""
    rows = conn.execute(
        sa.select(table.c.submission_id, key_column(table), table.c.value)
        .where(table.c.submission_id.in_(list(submission_ids)))
        .order_by(table.c.id)
    ).all()
    found: dict[int, dict] = {}
    for sid, key, value in rows:
        found.setdefault(sid, {})[key] = value
    return found


def insert_values(conn: Connection, table: sa.Table, submission_id: int,
                  values: Mapping) -> None:
    """Save ``{key: value}`` in ``table`` for one submission (nothing when empty)."""
    if values:
        name = key_column(table).name
        conn.execute(table.insert(), [{"submission_id": submission_id, name: k, "value": v}
                                      for k, v in values.items()])


def delete_values(submissions) -> list[sa.Delete]:
    """The statements that delete every value of the submissions ``submissions`` selects."""
    return [table.delete().where(table.c.submission_id.in_(submissions))
            for table in VALUE_TABLES]
