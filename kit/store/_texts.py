"""Shared texts: the answers people chose to share with their group, and the batches in
which they are released to the facilitator (never one at a time)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit._text import visible_text
from kit.store import tables as t
from kit.store._base import Repository, now

__all__ = ["SharedTextsRepository"]

P = t.participants


class SharedTextsRepository(Repository):
    """Shared answers and their release in batches."""

    # -- shared texts ------------------------------------------------------------------------
    def shared_step_rows(self, cohort_id: int, exercise_id: str, step_id: str) -> list[dict]:
        """Each finished, visibly non-blank answer to one step in a cohort, newest first:
        id (of the step row), participant_id, text, updated_at. For the analysis layer only."""
        steps, refl = t.reflection_steps, t.reflections
        q = (
            sa.select(steps.c.id, refl.c.participant_id, steps.c.text, refl.c.updated_at)
            .join(refl, refl.c.id == steps.c.reflection_id)
            .join(P, P.c.id == refl.c.participant_id)
            .where(P.c.cohort_id == cohort_id, refl.c.exercise_id == exercise_id,
                   refl.c.finished.is_(True), steps.c.step_id == step_id)
        )
        if "shared" in refl.c:  # an explicit, default-off choice to share (when recorded)
            q = q.where(refl.c.shared.is_(True))
        with self.db.reading() as conn:
            rows = conn.execute(q.order_by(refl.c.updated_at.desc(), steps.c.id.desc())).all()
        return [{"id": int(i), "participant_id": int(p), "text": txt, "updated_at": at}
                for i, p, txt, at in rows if visible_text(txt)]

    def step_texts(self, ids) -> dict[int, str]:
        """``{step row id: text}`` for the ids that still exist (erased ones are gone)."""
        ids = [int(i) for i in ids]
        if not ids:
            return {}
        steps = t.reflection_steps
        with self.db.reading() as conn:
            rows = conn.execute(sa.select(steps.c.id, steps.c.text)
                                .where(steps.c.id.in_(ids))).all()
        return {int(i): visible_text(txt) for i, txt in rows}

    def shared_texts(self, cohort_id: int, exercise_id: str, step_id: str) -> dict[int, str]:
        """``{participant_id: text}``: each member's latest finished, shared, visibly non-blank
        answer to one step, cohort-wide, whatever the round. For the analysis layer only."""
        out: dict[int, str] = {}
        for row in self.shared_step_rows(cohort_id, exercise_id, step_id):  # newest first
            out.setdefault(row["participant_id"], visible_text(row["text"]))
        return out

    def text_batch(self, cohort_id: int, exercise_id: str) -> dict | None:
        """The latest released batch of shared texts for one exercise, or None: ``id``,
        ``released_at``, ``texts`` (how many it showed when released) and ``shown``
        (``{participant_id: text}`` still there: erasure removes a writer's copy at once)."""
        B, T = t.text_batches, t.released_texts
        with self.db.reading() as conn:
            head = conn.execute(
                sa.select(B).where(B.c.cohort_id == cohort_id, B.c.exercise_id == exercise_id)
                .order_by(B.c.id.desc()).limit(1)).first()
            if head is None:
                return None
            rows = conn.execute(sa.select(T.c.participant_id, T.c.text)
                                .where(T.c.batch_id == head.id)).all()
        return {"id": head.id, "released_at": head.released_at, "texts": head.texts,
                "shown": {int(p): txt for p, txt in rows}}

    def release_text_batch(self, cohort_id: int, exercise_id: str, texts: dict[int, str],
                           after: int | None) -> int | None:
        """Release ``texts`` (``{participant_id: text}``) as the new batch for one exercise,
        replacing the last one's copies. ``after`` is the batch the decision was made against;
        if another batch was released meanwhile nothing is written and None is returned."""
        B, T = t.text_batches, t.released_texts

        def work(conn: Connection) -> int | None:
            head = conn.execute(
                sa.select(B.c.id).where(B.c.cohort_id == cohort_id, B.c.exercise_id == exercise_id)
                .order_by(B.c.id.desc()).limit(1)).scalar()
            if head != after:
                return None
            old = sa.select(B.c.id).where(B.c.cohort_id == cohort_id,
                                          B.c.exercise_id == exercise_id)
            conn.execute(T.delete().where(T.c.batch_id.in_(old)))
            bid = conn.execute(B.insert().values(
                cohort_id=cohort_id, exercise_id=exercise_id, released_at=now(),
                texts=len(texts))).inserted_primary_key[0]
            if texts:
                conn.execute(T.insert(), [{"batch_id": bid, "participant_id": p, "text": txt}
                                          for p, txt in sorted(texts.items())])
            return bid

        return self.db.transaction(work, what="release the shared answers")
