"""The steps a group agreed at the end of a session, recorded by the facilitator.

Short texts, per group and round, worded without an owner ("Share the referral form with the
housing team"). They are group-level, not personal data: the dashboard records them and the
next session opens with them. Every write checks the group and round belong to the cohort.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit._text import visible_text
from kit.i18n import _
from kit.store import tables as t
from kit.store._base import Database, Repository, now
from kit.store._cohorts import CohortsRepository
from kit.store.errors import InvalidResponse, NotFound, ResponseProblem

__all__ = ["GroupStep", "GroupStepsRepository", "MAX_GROUP_STEP", "MAX_GROUP_STEPS"]

#: the longest agreed step, in characters: one short sentence
MAX_GROUP_STEP = 300
#: the most steps one group keeps for one round
MAX_GROUP_STEPS = 12

G = t.group_steps


@dataclass(frozen=True)
class GroupStep:
    """One step a group agreed: its text, the group and round it belongs to."""

    id: int
    group_id: int
    round_id: int
    text: str
    created_at: dt.datetime


def _step(row) -> GroupStep:
    return GroupStep(row.id, row.group_id, row.round_id, row.text, row.created_at)


class GroupStepsRepository(Repository):
    """The steps a group agreed in a session (facilitator only)."""

    def __init__(self, db: Database, cohorts: CohortsRepository):
        super().__init__(db)
        self.cohorts = cohorts  # a cohort's rounds

    def _check_group_and_round(self, conn: Connection, cohort_id: int, group_id: int,
                               round_id: int) -> None:
        group = conn.execute(sa.select(t.groups.c.id).where(
            t.groups.c.id == group_id, t.groups.c.cohort_id == cohort_id)).first()
        if group is None:
            raise NotFound(_("Group {group} is not one of this cohort's groups.").format(
                group=repr(group_id)))
        rnd = conn.execute(sa.select(t.rounds.c.id).where(
            t.rounds.c.id == round_id, t.rounds.c.cohort_id == cohort_id)).first()
        if rnd is None:
            raise NotFound(_("Round {round} is not one of this cohort's rounds.").format(
                round=repr(round_id)))

    def add_group_step(self, cohort_id: int, group_id: int, round_id: int, text: str) -> int:
        """Record one step the group agreed in a round; returns its id.

        Raises
        ------
        InvalidResponse
            The text is empty, longer than :data:`MAX_GROUP_STEP` characters, or the group
            already has :data:`MAX_GROUP_STEPS` steps for the round.
        NotFound
            The group or the round is not the cohort's.
        """
        if not isinstance(text, str):
            raise InvalidResponse([ResponseProblem("agreed step", text, _("must be text"))],
                                  context="agreed step")
        clean = visible_text(text).strip()
        if not clean:
            raise InvalidResponse([ResponseProblem(
                "agreed step", text, _("is empty: write the step the group agreed, in a few "
                                       "words"))], context="agreed step")
        if len(clean) > MAX_GROUP_STEP:
            raise InvalidResponse([ResponseProblem(
                "agreed step", clean[:20] + "...",
                _("is {n} characters long; an agreed step has at most {most}: keep it to one "
                  "short sentence").format(n=len(clean), most=MAX_GROUP_STEP))],
                context="agreed step")

        def work(conn: Connection) -> int:
            self._check_group_and_round(conn, cohort_id, group_id, round_id)
            count = conn.execute(sa.select(sa.func.count()).select_from(G).where(
                G.c.group_id == group_id, G.c.round_id == round_id)).scalar()
            if count >= MAX_GROUP_STEPS:
                raise InvalidResponse([ResponseProblem(
                    "agreed steps", f"{count}",
                    _("a group keeps at most {most} agreed steps for a round: remove one "
                      "before adding another").format(most=MAX_GROUP_STEPS))],
                    context="agreed step")
            return conn.execute(G.insert().values(
                cohort_id=cohort_id, group_id=group_id, round_id=round_id, text=clean,
                created_at=now())).inserted_primary_key[0]

        return self.db.transaction(work, what="save the agreed step")

    def remove_group_step(self, cohort_id: int, step_id: int) -> None:
        """Remove one agreed step of this cohort (a step of another cohort is not found)."""

        def work(conn: Connection) -> None:
            gone = conn.execute(G.delete().where(G.c.id == step_id,
                                                 G.c.cohort_id == cohort_id)).rowcount
            if not gone:
                raise NotFound(_("There is no agreed step {step} in this cohort.").format(
                    step=repr(step_id)))

        self.db.transaction(work, what="remove the agreed step")

    def group_steps(self, cohort_id: int, round_id: int,
                    group_id: int | None = None) -> list[GroupStep]:
        """The steps agreed in one round of the cohort (one group's, or every group's), in the
        order they were recorded."""
        query = sa.select(G).where(G.c.cohort_id == cohort_id, G.c.round_id == round_id)
        if group_id is not None:
            query = query.where(G.c.group_id == group_id)
        with self.db.reading() as conn:
            return [_step(r) for r in conn.execute(query.order_by(G.c.id)).all()]

    def previous_round(self, cohort_id: int, round_id: int):
        """The cohort's round just before ``round_id`` (by position), or ``None``."""
        with self.db.reading() as conn:
            rows = conn.execute(sa.select(t.rounds.c.id, t.rounds.c.position).where(
                t.rounds.c.cohort_id == cohort_id).order_by(t.rounds.c.position)).all()
        ids = [r.id for r in rows]
        if round_id not in ids or ids.index(round_id) == 0:
            return None
        before = ids[ids.index(round_id) - 1]
        return next(r for r in self.cohorts.rounds(cohort_id) if r.id == before)
