"""Published result snapshots (issue: confidentiality over time).

The facilitator's views never read live numbers: they read the latest *published snapshot* of
each round, which :mod:`kit.analysis.snapshots` plans and this repository stores. A snapshot
holds only suppressed, rounded group summaries (and ids of shared texts), plus one anonymous
slot per counted answer (which submission, with which attributes) so that later snapshots can
be planned against what earlier ones showed. Erasing a participant empties their slots' link.
Round membership is in :mod:`kit.store._membership`, shared texts in :mod:`kit.store._texts`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.store import tables as t
from kit.store._base import Repository, now

__all__ = ["SnapshotsRepository"]

S, P, R = t.submissions, t.participants, t.rounds


class SnapshotsRepository(Repository):
    """Published snapshots and the versions they were planned on."""

    # -- versions and snapshots -------------------------------------------------------------
    def current_versions(self, cohort_id: int, framework_id: str, round_id: int,
                         *, members_only: bool = True) -> dict[int, int]:
        """``{participant_id: submission_id}`` of the current submissions counted in a round."""
        q = (
            sa.select(S.c.participant_id, S.c.id)
            .select_from(S.join(P, P.c.id == S.c.participant_id).join(R, R.c.id == S.c.round_id))
            .where(P.c.cohort_id == cohort_id, S.c.framework_id == framework_id,
                   S.c.round_id == round_id, S.c.superseded.is_(False))
        )
        if members_only:
            q = q.where(sa.or_(R.c.members_until.is_(None), P.c.created_at <= R.c.members_until))
        with self.db.reading() as conn:
            return {int(p): int(s) for p, s in conn.execute(q).all()}

    def save_snapshot(self, cohort_id: int, round_id: int, framework_id: str, reason: str,
                      payload: dict, members: list[dict]) -> int:
        """Store a published snapshot and its anonymous slots; returns its id."""

        def work(conn: Connection) -> int:
            sid = conn.execute(
                t.result_snapshots.insert().values(
                    cohort_id=cohort_id, round_id=round_id, framework_id=framework_id,
                    created_at=now(), reason=reason[:200], payload=payload)
            ).inserted_primary_key[0]
            if members:
                ids = [m["participant_id"] for m in members]
                alive = set()
                for start in range(0, len(ids), 30_000):  # PostgreSQL takes 65,535 parameters at most
                    alive.update(conn.execute(
                        sa.select(P.c.id).where(P.c.id.in_(ids[start:start + 30_000]))
                    ).scalars())
                conn.execute(t.snapshot_members.insert(), [
                    {"snapshot_id": sid,
                     "participant_id": m["participant_id"] if m["participant_id"] in alive else None,
                     "submission_id": m["submission_id"], "attrs": list(m["attrs"]),
                     "keys": m["keys"]}
                    for m in members
                ])
            return sid

        return self.db.transaction(work, what="publish the results")

    def snapshots(self, cohort_id: int, framework_id: str, round_id: int | None = None) -> list[dict]:
        """Published snapshots, oldest first: id, round_id, created_at, reason, payload."""
        T = t.result_snapshots
        q = sa.select(T).where(T.c.cohort_id == cohort_id, T.c.framework_id == framework_id)
        if round_id is not None:
            q = q.where(T.c.round_id == round_id)
        with self.db.reading() as conn:
            rows = conn.execute(q.order_by(T.c.id)).all()
        return [{"id": r.id, "round_id": r.round_id, "created_at": r.created_at,
                 "reason": r.reason, "payload": r.payload} for r in rows]

    def snapshot_heads(self, cohort_id: int, framework_id: str,
                       round_id: int | None = None) -> list[dict]:
        """Like :meth:`snapshots` without the payload (cheap): id, round_id, created_at, reason."""
        T = t.result_snapshots
        q = sa.select(T.c.id, T.c.round_id, T.c.created_at, T.c.reason).where(
            T.c.cohort_id == cohort_id, T.c.framework_id == framework_id)
        if round_id is not None:
            q = q.where(T.c.round_id == round_id)
        with self.db.reading() as conn:
            rows = conn.execute(q.order_by(T.c.id)).all()
        return [{"id": r.id, "round_id": r.round_id, "created_at": r.created_at,
                 "reason": r.reason} for r in rows]

    def count_changes(self, cohort_id: int, framework_id: str, round_id: int,
                      snapshot_id: int | None) -> tuple[int, int]:
        """``(changes, counted)`` for a round, counted in the database: answers new, revised or
        erased since snapshot ``snapshot_id`` (every counted answer when None), and how many
        answers are counted now (members only, as :meth:`current_versions`)."""
        M = t.snapshot_members
        cur = (
            sa.select(S.c.id.label("sid"), S.c.participant_id.label("pid"))
            .select_from(S.join(P, P.c.id == S.c.participant_id).join(R, R.c.id == S.c.round_id))
            .where(P.c.cohort_id == cohort_id, S.c.framework_id == framework_id,
                   S.c.round_id == round_id, S.c.superseded.is_(False),
                   sa.or_(R.c.members_until.is_(None), P.c.created_at <= R.c.members_until))
        ).subquery()
        counted = sa.select(sa.func.count(sa.distinct(cur.c.pid)))
        with self.db.reading() as conn:
            n_now = int(conn.execute(counted).scalar_one())
            if snapshot_id is None:
                return n_now, n_now
            last = sa.select(M.c.submission_id).where(M.c.snapshot_id == snapshot_id)
            fresh = conn.execute(
                sa.select(cur.c.sid, cur.c.pid).distinct().where(cur.c.sid.not_in(last))
            ).all()
            # Pressing Submit again with the same answers is not a change.
            before = {}
            pids = sorted({int(p) for _s, p in fresh})
            for start in range(0, len(pids), 30_000):
                before.update(conn.execute(
                    sa.select(M.c.participant_id, M.c.submission_id).where(
                        M.c.snapshot_id == snapshot_id,
                        M.c.participant_id.in_(pids[start:start + 30_000]))
                ).all())
            pairs = [(int(s), int(before[p])) for s, p in fresh if p in before]
            added = len(fresh) - len(self._same_answers(conn, pairs))
            erased = conn.execute(
                sa.select(sa.func.count(sa.distinct(M.c.submission_id))).where(
                    M.c.snapshot_id == snapshot_id,
                    M.c.submission_id.not_in(sa.select(cur.c.sid)),
                    sa.or_(M.c.participant_id.is_(None),
                           M.c.participant_id.not_in(sa.select(cur.c.pid))))
            ).scalar_one()
        return int(added) + int(erased), n_now

    def unchanged_versions(self, current: dict[int, int],
                           last: dict[int, int | None]) -> dict[int, int]:
        """``current`` (``{participant_id: submission_id}``) with each submission whose answers
        and importance ratings equal those of the same person's submission in ``last``
        (``{submission_id: participant_id}``) replaced by that earlier one: pressing Submit
        again with unchanged answers is not a new version."""
        before = {p: s for s, p in last.items() if p is not None}
        pairs = [(s, before[p]) for p, s in current.items() if p in before and before[p] != s]
        if not pairs:
            return dict(current)
        with self.db.reading() as conn:
            same = dict(self._same_answers(conn, pairs))
        return {p: same.get(s, s) for p, s in current.items()}

    @staticmethod
    def _same_answers(conn: Connection, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The ``(new, old)`` submission pairs whose answers and importance are identical."""
        if not pairs:
            return []
        ids = sorted({i for pair in pairs for i in pair})
        content: dict[int, tuple[set, set]] = {i: (set(), set()) for i in ids}
        A, I = t.answers, t.importance  # noqa: E741
        for start in range(0, len(ids), 30_000):
            chunk = ids[start:start + 30_000]
            for sid, item, value in conn.execute(
                    sa.select(A.c.submission_id, A.c.item_id, A.c.value)
                    .where(A.c.submission_id.in_(chunk))):
                content[int(sid)][0].add((item, value))
            for sid, dim, value in conn.execute(
                    sa.select(I.c.submission_id, I.c.dimension_id, I.c.value)
                    .where(I.c.submission_id.in_(chunk))):
                content[int(sid)][1].add((dim, value))
        return [(new, old) for new, old in pairs if content[new] == content[old]]

    def snapshot_payload(self, snapshot_id: int) -> dict:
        """The payload of one snapshot."""
        T = t.result_snapshots
        with self.db.reading() as conn:
            return conn.execute(sa.select(T.c.payload).where(T.c.id == snapshot_id)).scalar_one()

    def snapshot_versions(self, snapshot_id: int) -> dict[int, int | None]:
        """``{submission_id: participant_id}`` of one snapshot's slots (None once erased),
        without their attributes and keys (cheap)."""
        M = t.snapshot_members
        with self.db.reading() as conn:
            rows = conn.execute(sa.select(M.c.submission_id, M.c.participant_id)
                                .where(M.c.snapshot_id == snapshot_id)).all()
        return {int(sid): (None if pid is None else int(pid)) for sid, pid in rows}

    def snapshot_slots(self, snapshot_id: int) -> list[dict]:
        """The anonymous slots of one snapshot: participant_id (None once erased),
        submission_id, attrs, keys."""
        M = t.snapshot_members
        with self.db.reading() as conn:
            rows = conn.execute(sa.select(M).where(M.c.snapshot_id == snapshot_id)
                                .order_by(M.c.id)).all()
        return [{"participant_id": r.participant_id, "submission_id": r.submission_id,
                 "attrs": tuple(r.attrs), "keys": r.keys} for r in rows]
