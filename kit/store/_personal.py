"""What a participant keeps for themselves: reflections, commitments and relationships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.store import tables as t
from kit.store._base import Repository, now
from kit.store.errors import InvalidResponse, NotFound, ResponseProblem
from kit.store.info import (
    COMMITMENT_STATUSES,
    CONTACT_FREQUENCIES,
    CommitmentInfo,
    ReflectionInfo,
    RelationshipInfo,
)
from kit.store.validation import MAX_STEPS, check_entries, check_id, check_text

__all__ = ["PersonalRepository"]

R, C, REL = t.reflections, t.commitments, t.relationships
_REL_FIELDS = ("label", "organisation", "sector", "contact", "strength", "trust", "last_contact")


def _rating(field: str, value) -> list[ResponseProblem]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        return [ResponseProblem(field, value, "must be a whole number from 1 to 5")]
    return []


def _choice(field: str, value, choices: tuple[str, ...]) -> list[ResponseProblem]:
    if value not in choices:
        return [ResponseProblem(field, value, f"must be one of {', '.join(choices)}")]
    return []


def _date(field: str, value, *, required: bool) -> list[ResponseProblem]:
    if value is None and not required:
        return []
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        return [ResponseProblem(field, value, "must be a date (datetime.date)")]
    return []


def _relationship_problems(fields: Mapping) -> list[ResponseProblem]:
    checks = {
        "label": lambda v: check_text("label", v, limit=200),
        "organisation": lambda v: check_text("organisation", v, required=False, limit=200),
        "sector": lambda v: check_text("sector", v, required=False, limit=200),
        "contact": lambda v: _choice("contact", v, CONTACT_FREQUENCIES),
        "strength": lambda v: _rating("strength", v),
        "trust": lambda v: _rating("trust", v),
        "last_contact": lambda v: _date("last_contact", v, required=False),
    }
    problems = []
    for name, value in fields.items():
        if name not in checks:
            problems.append(
                ResponseProblem(
                    name, value, f"is not a relationship field; use {', '.join(_REL_FIELDS)}"
                )
            )
        else:
            problems += checks[name](value)
    return problems


def _relationship_info(r) -> RelationshipInfo:
    return RelationshipInfo(
        r.id,
        r.label,
        r.organisation,
        r.sector,
        r.contact,
        r.strength,
        r.trust,
        r.last_contact,
        r.created_at,
        r.updated_at,
    )


class PersonalRepository(Repository):
    """A person's own reflections, commitments and relationships."""

    def _owned(
        self, conn: Connection, table: sa.Table, participant_id: int, entry_id: int, what: str
    ):
        row = conn.execute(
            sa.select(table).where(table.c.id == entry_id, table.c.participant_id == participant_id)
        ).first()
        if row is None:
            raise NotFound(f"Participant {participant_id!r} has no {what} with id {entry_id!r}.")
        return row

    # -- reflections -----------------------------------------------------------------------
    def save_reflection(
        self,
        participant_id: int,
        exercise_id: str,
        answers: Mapping[str, str],
        *,
        entry_id: int | None = None,
        finished: bool = False,
        include_in_report: bool = False,
        shared: bool | None = None,
        commitment_id: int | None = None,
    ) -> int:
        """Save a reflection (step id -> text); returns its id. Pass ``entry_id`` to update one.

        Updating replaces the step answers with ``answers`` in full. ``shared`` is the writer's
        consent to pool the exercise's shared step, unattributed, with their group: ``None``
        keeps what an existing entry had (a new entry starts unshared). ``commitment_id`` links
        a review to the writer's own commitment it reviews (``None`` keeps any link).
        """
        problems = check_text("exercise_id", exercise_id, limit=100)
        if not isinstance(answers, Mapping):
            problems.append(
                ResponseProblem(
                    "answers", type(answers).__name__, "must be a mapping of step id to text"
                )
            )
        elif len(answers) > MAX_STEPS:
            problems += check_entries("answers", answers, MAX_STEPS, "steps")
        else:
            for step, text in answers.items():
                if not isinstance(step, str) or not step.strip():
                    problems.append(
                        ResponseProblem("answers", step, "step ids must be non-empty text")
                    )
                    continue
                if id_problems := check_id("step id", step):
                    problems += id_problems
                    continue
                problems += check_text(f"answers[{step!r}]", text, required=False)
        if problems:
            raise InvalidResponse(problems, context="reflection")
        steps = {k: v for k, v in answers.items() if v is not None}

        def work(conn: Connection) -> int:
            self._participant_row(conn, participant_id, lock=True)
            stamp = now()
            flags = dict(
                finished=bool(finished), include_in_report=bool(include_in_report), updated_at=stamp
            )
            if shared is not None or entry_id is None:
                flags["shared"] = bool(shared)
            if commitment_id is not None:
                self._owned(conn, t.commitments, participant_id, commitment_id, "commitment")
                flags["commitment_id"] = int(commitment_id)
            if entry_id is None:
                rid = conn.execute(
                    R.insert().values(
                        participant_id=participant_id,
                        exercise_id=exercise_id,
                        created_at=stamp,
                        **flags,
                    )
                ).inserted_primary_key[0]
            else:
                rid = self._owned(conn, R, participant_id, entry_id, "reflection").id
                conn.execute(
                    R.update().where(R.c.id == rid).values(exercise_id=exercise_id, **flags)
                )
                conn.execute(
                    t.reflection_steps.delete().where(t.reflection_steps.c.reflection_id == rid)
                )
            if steps:
                conn.execute(
                    t.reflection_steps.insert(),
                    [{"reflection_id": rid, "step_id": k, "text": v} for k, v in steps.items()],
                )
            return rid

        return self.db.transaction(work, what="save your reflection")

    def list_reflections(self, participant_id: int) -> list[ReflectionInfo]:
        """A participant's reflections, oldest first, each with its step answers."""
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(R).where(R.c.participant_id == participant_id).order_by(R.c.id)
            ).all()
            steps = conn.execute(
                sa.select(t.reflection_steps)
                .join(R, R.c.id == t.reflection_steps.c.reflection_id)
                .where(R.c.participant_id == participant_id)
                .order_by(t.reflection_steps.c.id)
            ).all()
        by_entry: dict[int, dict[str, str]] = {}
        for s in steps:
            by_entry.setdefault(s.reflection_id, {})[s.step_id] = s.text
        return [
            ReflectionInfo(
                r.id,
                r.exercise_id,
                by_entry.get(r.id, {}),
                r.created_at,
                r.updated_at,
                bool(r.finished),
                bool(r.include_in_report),
                bool(r.shared),
                r.commitment_id,
            )
            for r in rows
        ]

    def delete_reflection(self, participant_id: int, entry_id: int) -> None:
        """Delete one of a participant's reflections."""

        def work(conn: Connection) -> None:
            self._owned(conn, R, participant_id, entry_id, "reflection")
            conn.execute(R.delete().where(R.c.id == entry_id))

        self.db.transaction(work, what="delete the reflection")

    def shared_prompt_answers(self, cohort_id: int, exercise_id: str, step_id: str) -> list[str]:
        """Non-empty answers to one step from the cohort's finished reflections whose writers
        agreed to share them.

        Sorted alphabetically, so the order says nothing about who wrote what. The analysis
        layer decides whether there are enough to show. One person may have several finished
        reflections, so this can hold more answers than people: use
        :meth:`shared_prompt_entries` to count distinct people.
        """
        return sorted(text for _pid, text in self.shared_prompt_entries(cohort_id, exercise_id, step_id))

    def shared_prompt_entries(
        self, cohort_id: int, exercise_id: str, step_id: str
    ) -> list[tuple[int, str]]:
        """``(participant_id, text)`` for each non-empty answer to one step, finished only,
        and only from entries whose writer agreed to share it (``shared``).

        For counting the distinct people behind the answers (the confidentiality threshold
        counts people, not entries). The ids must never reach a page: the analysis layer keeps
        only the texts and the count.
        """
        steps = t.reflection_steps
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(R.c.participant_id, steps.c.text)
                .join(R, R.c.id == steps.c.reflection_id)
                .join(t.participants, t.participants.c.id == R.c.participant_id)
                .where(
                    t.participants.c.cohort_id == cohort_id,
                    R.c.exercise_id == exercise_id,
                    R.c.finished.is_(True),
                    R.c.shared.is_(True),
                    steps.c.step_id == step_id,
                )
                .order_by(R.c.participant_id, R.c.id)
            ).all()
        return [(int(pid), text.strip()) for pid, text in rows if text and text.strip()]

    # -- commitments -----------------------------------------------------------------------
    def add_commitment(
        self, participant_id: int, text: str, dimension_id: str | None, due: dt.date | None
    ) -> int:
        """Record a commitment (status ``open``); returns its id."""
        problems = (
            check_text("text", text, limit=2000)
            + check_text("dimension_id", dimension_id, required=False, limit=100)
            + _date("due", due, required=False)
        )
        if problems:
            raise InvalidResponse(problems, context="commitment")

        def work(conn: Connection) -> int:
            self._participant_row(conn, participant_id, lock=True)
            return conn.execute(
                C.insert().values(
                    participant_id=participant_id,
                    text=text.strip(),
                    dimension_id=dimension_id,
                    due=due,
                    status="open",
                    created_at=now(),
                )
            ).inserted_primary_key[0]

        return self.db.transaction(work, what="save your commitment")

    def review_commitment(
        self, participant_id: int, commitment_id: int, status: str, note: str | None = None
    ) -> None:
        """Set a commitment's status (open, in_progress, done, dropped) with an optional note."""
        problems = _choice("status", status, COMMITMENT_STATUSES) + check_text(
            "note", note, required=False, limit=5000
        )
        if problems:
            raise InvalidResponse(problems, context="review")

        def work(conn: Connection) -> None:
            self._owned(conn, C, participant_id, commitment_id, "commitment")
            conn.execute(
                C.update()
                .where(C.c.id == commitment_id)
                .values(status=status, review_note=note, reviewed_at=now())
            )

        self.db.transaction(work, what="save your review")

    def change_commitment_due(
        self, participant_id: int, commitment_id: int, due: dt.date | None
    ) -> None:
        """Move one of the participant's commitments to another due date (``None``: no date).
        Its status and any review are kept."""
        if problems := _date("due", due, required=False):
            raise InvalidResponse(problems, context="commitment")

        def work(conn: Connection) -> None:
            self._owned(conn, C, participant_id, commitment_id, "commitment")
            conn.execute(C.update().where(C.c.id == commitment_id).values(due=due))

        self.db.transaction(work, what="change the commitment's date")

    def list_commitments(self, participant_id: int) -> list[CommitmentInfo]:
        """A participant's commitments, soonest due first (undated last)."""
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(C).where(C.c.participant_id == participant_id).order_by(C.c.id)
            ).all()
        rows = sorted(rows, key=lambda r: (r.due is None, r.due or dt.date.min, r.id))
        return [
            CommitmentInfo(
                r.id,
                r.text,
                r.dimension_id,
                r.due,
                r.status,
                r.review_note,
                r.reviewed_at,
                r.created_at,
            )
            for r in rows
        ]

    # -- relationships ---------------------------------------------------------------------
    def add_relationship(
        self,
        participant_id: int,
        label: str,
        organisation: str | None,
        sector: str | None,
        contact: str,
        strength: int,
        trust: int,
        last_contact: dt.date | None = None,
    ) -> int:
        """Add someone to a participant's relationship map; returns its id.

        ``contact`` is weekly, monthly, quarterly or rarely; ``strength`` and ``trust`` are 1-5.
        """
        fields = dict(
            label=label,
            organisation=organisation,
            sector=sector,
            contact=contact,
            strength=strength,
            trust=trust,
            last_contact=last_contact,
        )
        if problems := _relationship_problems(fields):
            raise InvalidResponse(problems, context="relationship")

        def work(conn: Connection) -> int:
            self._participant_row(conn, participant_id, lock=True)
            stamp = now()
            return conn.execute(
                REL.insert().values(
                    participant_id=participant_id, created_at=stamp, updated_at=stamp, **fields
                )
            ).inserted_primary_key[0]

        return self.db.transaction(work, what="save the relationship")

    def update_relationship(self, participant_id: int, rel_id: int, **fields) -> None:
        """Change some fields of a relationship (any of label, organisation, sector, contact,
        strength, trust, last_contact)."""
        if problems := _relationship_problems(fields):
            raise InvalidResponse(problems, context="relationship")

        def work(conn: Connection) -> None:
            self._owned(conn, REL, participant_id, rel_id, "relationship")
            conn.execute(REL.update().where(REL.c.id == rel_id).values(updated_at=now(), **fields))

        self.db.transaction(work, what="update the relationship")

    def remove_relationship(self, participant_id: int, rel_id: int) -> None:
        """Remove a relationship from the map."""

        def work(conn: Connection) -> None:
            self._owned(conn, REL, participant_id, rel_id, "relationship")
            conn.execute(REL.delete().where(REL.c.id == rel_id))

        self.db.transaction(work, what="remove the relationship")

    def list_relationships(self, participant_id: int) -> list[RelationshipInfo]:
        """A participant's relationships in the order they were added."""
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(REL).where(REL.c.participant_id == participant_id).order_by(REL.c.id)
            ).all()
        return [_relationship_info(r) for r in rows]
