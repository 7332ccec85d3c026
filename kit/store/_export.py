"""Data rights: everything held about one participant, as a dict or as JSON and CSV files."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit._csv import write_csv
from kit.store import tables as t
from kit.store._base import Database, Repository, now
from kit.store._personal import PersonalRepository
from kit.store._submission_values import values_by_submission

__all__ = ["ExportsRepository", "EXPORT_FORMAT"]

EXPORT_FORMAT = "partnering-kit/participant-export"
EXPORT_VERSION = 1


def _plain(value):
    """JSON-friendly form of a database value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _rows(conn: Connection, query) -> list[dict]:
    return [{k: _plain(v) for k, v in r._mapping.items()} for r in conn.execute(query).all()]


#: Each submission's values in the export, in this order: ``(key, table, always)``; a key
#: that is not ``always`` is left out of a submission that has none.
_SUBMISSION_VALUES = (
    ("trends", t.trend_votes, False),  # a health check's "better, the same or worse?"
    ("answers", t.answers, True),
    ("importance", t.importance, True),
    ("then_ratings", t.then_ratings, False),  # "looking back" (None: "Not sure")
)
_SUBMISSION_COLUMNS = ["id", "framework_id", "round", "revision", "superseded"]
#: The CSV files besides the answers: ``(file, columns, rows key in the export)``.
_PLAIN_CSVS = (
    ("commitments.csv", ["id", "text", "dimension_id", "due", "status", "review_note",
                         "reviewed_at", "created_at"], "commitments"),
    ("relationships.csv", ["id", "label", "organisation", "sector", "contact", "strength",
                           "trust", "last_contact", "created_at", "updated_at"],
     "relationships"),
)
_REFLECTION_COLUMNS = ["id", "exercise_id", "created_at", "updated_at", "finished",
                       "include_in_report"]


def _submissions(conn: Connection, participant_id: int) -> list[dict]:
    """Every submission of the person (revisions too), each with its values."""
    S = t.submissions
    subs = _rows(
        conn,
        sa.select(
            S.c.id,
            S.c.framework_id,
            S.c.round_id,
            t.rounds.c.name.label("round"),
            S.c.client_key.label("key"),
            S.c.submitted_at,
            S.c.revision,
            S.c.superseded,
            S.c.framework_version,
        )
        .select_from(S.outerjoin(t.rounds, t.rounds.c.id == S.c.round_id))
        .where(S.c.participant_id == participant_id)
        .order_by(S.c.id),
    )
    sub_ids = [s["id"] for s in subs]
    values = {key: values_by_submission(conn, table, sub_ids)
              for key, table, _always in _SUBMISSION_VALUES}
    for s in subs:
        s["superseded"] = bool(s["superseded"])
        for key, _table, always in _SUBMISSION_VALUES:
            mine = values[key].get(s["id"], {})
            if mine or always:
                s[key] = mine
    return subs


def _owned_rows(conn: Connection, participant_id: int) -> dict[str, list[dict]]:
    """The person's drafts, commitments, relationships and private rounds."""
    return {
        "drafts": _rows(
            conn,
            sa.select(
                t.drafts.c.framework_id,
                t.drafts.c.round_id,
                t.drafts.c.answers,
                t.drafts.c.importance,
                t.drafts.c.then_ratings,
                t.drafts.c.trend_votes,
                t.drafts.c.updated_at,
            ).where(t.drafts.c.participant_id == participant_id),
        ),
        "commitments": _rows(
            conn,
            sa.select(t.commitments)
            .where(t.commitments.c.participant_id == participant_id)
            .order_by(t.commitments.c.id),
        ),
        "relationships": _rows(
            conn,
            sa.select(t.relationships)
            .where(t.relationships.c.participant_id == participant_id)
            .order_by(t.relationships.c.id),
        ),
        "private_rounds": _rows(
            conn,
            sa.select(t.rounds.c.id, t.rounds.c.name, t.rounds.c.position).where(
                t.rounds.c.owner_id == participant_id
            ),
        ),
    }


def _person(p, cohort: str | None, group: str | None) -> dict:
    return {
        "id": p.id,
        "cohort": cohort,
        "group": group,
        "display_name": p.display_name,
        "organisation": p.organisation,
        "sector": p.sector,
        "role_level": p.role_level,
        "hub_user": p.hub_user,
        "private_label": p.private_label,
        "external_ref": p.external_ref,
        "created_at": _plain(p.created_at),
        "language": p.language,
    }


def _reflection(r) -> dict:
    return {
        "id": r.id,
        "exercise_id": r.exercise_id,
        "created_at": _plain(r.created_at),
        "updated_at": _plain(r.updated_at),
        "finished": r.finished,
        "include_in_report": r.include_in_report,
        "shared": r.shared,
        "commitment_id": r.commitment_id,
        "answers": dict(r.answers),
    }


def _dimension_rows(submissions: list[dict], key: str, column: str, shown=None) -> list[dict]:
    """One CSV row per submission and dimension of ``key`` (importance, looking back)."""
    return [
        {**{k: s[k] for k in _SUBMISSION_COLUMNS}, "dimension_id": dim,
         column: value if shown is None else shown(value)}
        for s in submissions
        for dim, value in s.get(key, {}).items()
    ]




class ExportsRepository(Repository):
    """Data rights: everything held about one participant."""

    def __init__(self, db: Database, personal: PersonalRepository):
        super().__init__(db)
        self.personal = personal  # a person's reflections

    # -- export ----------------------------------------------------------------------------
    def export_participant(self, participant_id: int) -> dict:
        """Everything held about one participant, as a JSON-serialisable dict.

        Includes every submission (revisions too) with answers and importance, drafts,
        reflections with their step answers, commitments and relationships. Code hashes are
        left out: they are keys, not information about the person.
        """
        with self.db.reading() as conn:
            p = self._participant_row(conn, participant_id)
            cohort = group = None
            if p.cohort_id is not None:
                cohort = conn.execute(
                    sa.select(t.cohorts.c.name).where(t.cohorts.c.id == p.cohort_id)
                ).scalar()
            if p.group_id is not None:
                group = conn.execute(
                    sa.select(t.groups.c.name).where(t.groups.c.id == p.group_id)
                ).scalar()
            subs = _submissions(conn, participant_id)
            owned = _owned_rows(conn, participant_id)
        reflections = [_reflection(r) for r in self.personal.list_reflections(participant_id)]
        for row in owned["commitments"] + owned["relationships"]:
            row.pop("participant_id", None)
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _plain(now()),
            "participant": _person(p, cohort, group),
            "private_rounds": owned["private_rounds"],
            "submissions": subs,
            "drafts": owned["drafts"],
            "reflections": reflections,
            "commitments": owned["commitments"],
            "relationships": owned["relationships"],
        }

    def export_participant_files(
        self, participant_id: int, folder: str | os.PathLike
    ) -> list[Path]:
        """Write the export as ``participant-<id>.json`` plus one CSV per kind of data.

        Returns the paths written. The folder is created when missing.
        """
        data = self.export_participant(participant_id)
        out = Path(folder).expanduser()
        out.mkdir(parents=True, exist_ok=True)
        written = [out / f"participant-{participant_id}.json"]
        written[0].write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        subs = data["submissions"]
        answer_columns = [*_SUBMISSION_COLUMNS, "submitted_at"]
        answer_rows = [
            {**{k: s[k] for k in answer_columns}, "item_id": item, "value": value}
            for s in subs
            for item, value in s["answers"].items()
        ]
        refl_rows = [
            {**{k: r[k] for k in _REFLECTION_COLUMNS}, "step_id": step, "text": text}
            for r in data["reflections"]
            for step, text in r["answers"].items()
        ]
        written.append(
            write_csv(out / "answers.csv", [*answer_columns, "item_id", "value"], answer_rows)
        )
        for name, key, column, shown in (
            ("importance.csv", "importance", "importance", None),
            ("looking_back.csv", "then_ratings", "looking_back",
             lambda v: "Not sure" if v is None else v),
        ):
            written.append(write_csv(
                out / name, [*_SUBMISSION_COLUMNS, "dimension_id", column],
                _dimension_rows(subs, key, column, shown)))
        written.append(write_csv(out / "reflections.csv",
                                 [*_REFLECTION_COLUMNS, "step_id", "text"], refl_rows))
        for name, columns, key in _PLAIN_CSVS:
            written.append(write_csv(out / name, columns, data[key]))
        return written
