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


class ExportsRepository(Repository):
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
        S = t.submissions
        with self._read() as conn:
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
            answers = conn.execute(
                sa.select(t.answers)
                .where(t.answers.c.submission_id.in_(sub_ids))
                .order_by(t.answers.c.id)
            ).all()
            imps = conn.execute(
                sa.select(t.importance)
                .where(t.importance.c.submission_id.in_(sub_ids))
                .order_by(t.importance.c.id)
            ).all()
            thens = conn.execute(
                sa.select(t.then_ratings)
                .where(t.then_ratings.c.submission_id.in_(sub_ids))
                .order_by(t.then_ratings.c.id)
            ).all()
            votes = conn.execute(
                sa.select(t.trend_votes)
                .where(t.trend_votes.c.submission_id.in_(sub_ids))
                .order_by(t.trend_votes.c.id)
            ).all()
            for s in subs:
                s["superseded"] = bool(s["superseded"])
                mine = {v.dimension_id: v.value for v in votes if v.submission_id == s["id"]}
                if mine:  # a health check's "better, the same or worse?" (None: don't know)
                    s["trends"] = mine
                s["answers"] = {a.item_id: a.value for a in answers if a.submission_id == s["id"]}
                s["importance"] = {
                    i.dimension_id: i.value for i in imps if i.submission_id == s["id"]
                }
                # "looking back" ratings (None: "Not sure"); only present when some were given
                if then := {r.dimension_id: r.value for r in thens
                            if r.submission_id == s["id"]}:
                    s["then_ratings"] = then
            drafts = _rows(
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
            )
            commitments = _rows(
                conn,
                sa.select(t.commitments)
                .where(t.commitments.c.participant_id == participant_id)
                .order_by(t.commitments.c.id),
            )
            relationships = _rows(
                conn,
                sa.select(t.relationships)
                .where(t.relationships.c.participant_id == participant_id)
                .order_by(t.relationships.c.id),
            )
            private_rounds = _rows(
                conn,
                sa.select(t.rounds.c.id, t.rounds.c.name, t.rounds.c.position).where(
                    t.rounds.c.owner_id == participant_id
                ),
            )
        reflections = [
            {
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
            for r in self.personal.list_reflections(participant_id)
        ]
        for row in commitments + relationships:
            row.pop("participant_id", None)
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _plain(now()),
            "participant": {
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
            },
            "private_rounds": private_rounds,
            "submissions": subs,
            "drafts": drafts,
            "reflections": reflections,
            "commitments": commitments,
            "relationships": relationships,
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
        answer_rows = [
            {
                **{
                    k: s[k]
                    for k in (
                        "id",
                        "framework_id",
                        "round",
                        "revision",
                        "superseded",
                        "submitted_at",
                    )
                },
                "item_id": item,
                "value": value,
            }
            for s in data["submissions"]
            for item, value in s["answers"].items()
        ]
        imp_rows = [
            {
                "id": s["id"],
                "framework_id": s["framework_id"],
                "round": s["round"],
                "revision": s["revision"],
                "superseded": s["superseded"],
                "dimension_id": dim,
                "importance": value,
            }
            for s in data["submissions"]
            for dim, value in s["importance"].items()
        ]
        then_rows = [
            {
                "id": s["id"],
                "framework_id": s["framework_id"],
                "round": s["round"],
                "revision": s["revision"],
                "superseded": s["superseded"],
                "dimension_id": dim,
                "looking_back": "Not sure" if value is None else value,
            }
            for s in data["submissions"]
            for dim, value in s.get("then_ratings", {}).items()
        ]
        refl_rows = [
            {
                **{
                    k: r[k]
                    for k in (
                        "id",
                        "exercise_id",
                        "created_at",
                        "updated_at",
                        "finished",
                        "include_in_report",
                    )
                },
                "step_id": step,
                "text": text,
            }
            for r in data["reflections"]
            for step, text in r["answers"].items()
        ]
        sub_cols = ["id", "framework_id", "round", "revision", "superseded", "submitted_at"]
        written.append(
            write_csv(out / "answers.csv", [*sub_cols, "item_id", "value"], answer_rows)
        )
        written.append(
            write_csv(
                out / "importance.csv",
                [
                    "id",
                    "framework_id",
                    "round",
                    "revision",
                    "superseded",
                    "dimension_id",
                    "importance",
                ],
                imp_rows,
            )
        )
        written.append(
            write_csv(
                out / "looking_back.csv",
                ["id", "framework_id", "round", "revision", "superseded", "dimension_id",
                 "looking_back"],
                then_rows,
            )
        )
        written.append(
            write_csv(
                out / "reflections.csv",
                [
                    "id",
                    "exercise_id",
                    "created_at",
                    "updated_at",
                    "finished",
                    "include_in_report",
                    "step_id",
                    "text",
                ],
                refl_rows,
            )
        )
        written.append(
            write_csv(
                out / "commitments.csv",
                [
                    "id",
                    "text",
                    "dimension_id",
                    "due",
                    "status",
                    "review_note",
                    "reviewed_at",
                    "created_at",
                ],
                data["commitments"],
            )
        )
        written.append(
            write_csv(
                out / "relationships.csv",
                [
                    "id",
                    "label",
                    "organisation",
                    "sector",
                    "contact",
                    "strength",
                    "trust",
                    "last_contact",
                    "created_at",
                    "updated_at",
                ],
                data["relationships"],
            )
        )
        return written
