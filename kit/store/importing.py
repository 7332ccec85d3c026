"""``kit import``: bring a programme's earlier rounds into a cohort from a CSV file.

The file has one row per person and round. Its columns:

* ``person`` (required): the programme's own reference for the person, such as ``P0042``. The
  same reference in a later file (or a later round) is the same participant;
* ``round`` (optional): the round's name; without it every row goes to the round named with
  ``--round``;
* ``group`` (optional): a group of the cohort; without it ``--group``, or the cohort's only group;
* ``organisation``, ``sector``, ``role_level`` (optional): kept on the person when first imported;
* one column per item id of the framework, holding a whole number on its scale, or ``NA``
  (also ``n/a``, ``not applicable`` or the scale's own label, such as ``Not observed``) for
  "not applicable", or empty when the item is optional and was not answered;
* ``importance:DIMENSION_ID`` (optional): how important that dimension is, on the importance scale.

Importing adds people who are counted, so it is for the set-up key holder (``kit import
--setup-key``), never the facilitator key, and only into rounds that are not open yet: nobody
can be added to a round once answers are coming in, or to a closed round's final results.
Each import is recorded and shown on the facilitator dashboard.

Everything is checked first, against the framework and the cohort, and **every** problem is
listed with its row (as a spreadsheet numbers them: the header is row 1) and column. Only a
file with no problems is written, in one transaction, through the store's bulk path
(:mod:`kit.store._bulk`): a failed or interrupted import writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from kit.store import tables as t
from kit.store._base import now
from kit.store._bulk import BulkResponse, insert_people, insert_responses
from kit.store._import_check import (
    NA_WORDS,
    RESERVED_COLUMNS,
    ImportPlan,
    ImportProblem,
    ImportResult,
    InvalidImport,
    check_import,
    refuse_unless_not_open,
)

__all__ = [
    "ImportProblem",
    "InvalidImport",
    "ImportPlan",
    "ImportResult",
    "check_import",
    "import_csv",
    "refuse_unless_not_open",
    "RESERVED_COLUMNS",
    "NA_WORDS",
]


def import_csv(
    store,
    path: str | Path,
    cohort_id: int,
    framework=None,
    *,
    round_name: str | None = None,
    group: str | None = None,
    progress: Callable[[str], Callable[[int, int], None]] | None = None,
) -> ImportResult:
    """Check the file (:func:`check_import`), then write it all in one transaction.

    Examples
    --------
    >>> import_csv(store, "data/import-example.csv", cohort_id, round_name="Baseline")  # doctest: +SKIP
    ImportResult(responses={'Baseline': 12}, people_added=12)
    """
    plan = check_import(store, path, cohort_id, framework, round_name=round_name, group=group)
    fw = plan.framework

    def work(conn) -> ImportResult:
        refuse_unless_not_open(conn.execute(
            sa.select(t.rounds).where(t.rounds.c.id.in_(list(plan.rounds)))).all())
        stamp = now()
        refs = list(plan.new_people)
        rows = [{"created_at": stamp, **plan.new_people[ref]} for ref in refs]
        ids = insert_people(
            conn, plan.cohort_id, plan.cohort_name, rows, {ref: n for n, ref in enumerate(refs)}
        )
        pid = {**plan.known_people, **dict(zip(refs, ids, strict=True))}
        written = {}
        for round_id, entries in plan.rounds.items():
            batch = [
                BulkResponse(pid[person], answers, importance, _key(round_id, person))
                for person, answers, importance in entries
            ]
            bar = progress(plan.round_names[round_id]) if progress else None
            written[plan.round_names[round_id]] = insert_responses(
                conn, fw, round_id, batch, bar
            ).written
        store.record_membership_event(
            conn, plan.cohort_id, None, "import", len(refs),
            {"responses": written, "file": Path(path).name})
        return ImportResult(written, len(refs))

    return store.transaction(work, what="import the file")


def _key(round_id: int, person: str) -> str:
    digest = hashlib.sha256(person.encode()).hexdigest()[:32]
    return f"import-r{round_id}-{digest}"
