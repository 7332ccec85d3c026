"""Published result snapshots and frozen round membership (issue: confidentiality over time).

The facilitator's views never read live numbers: they read the latest *published snapshot* of
each round, which :mod:`kit.analysis.snapshots` plans and this mixin stores. A snapshot holds
only suppressed, rounded group summaries (and ids of shared texts), plus one anonymous slot per
counted answer (which submission, with which attributes) so that later snapshots can be
planned against what earlier ones showed. Erasing a participant empties their slots' link.

A round counts only people who had joined when it opened (``rounds.members_until``): a round
that is not open yet counts everyone who has joined so far. Members see their group's count
and can say it does not match (``count_objections``), which holds the group's results; imports
of counted members (set-up key only) are recorded in ``membership_events``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit._text import ZERO_WIDTH, visible_text
from kit.i18n import _
from kit.store import tables as t
from kit.store._base import Repository, now
from kit.store.errors import NotFound, RoundStateError, StoreError

__all__ = ["SnapshotsRepository", "ZERO_WIDTH"]


S, P, R = t.submissions, t.participants, t.rounds


class SnapshotsRepository(Repository):
    # -- membership ------------------------------------------------------------------------
    def _round_row(self, conn: Connection, cohort_id: int, round_name):
        rows = conn.execute(sa.select(R).where(R.c.cohort_id == cohort_id)).all()
        match = [r for r in rows if r.name == round_name or r.id == round_name]
        if not match:
            names = ", ".join(repr(r.name) for r in sorted(rows, key=lambda r: r.position))
            raise NotFound(f"Cohort {cohort_id!r} has no round {round_name!r}"
                           + (f"; its rounds are {names}." if names else "."))
        return match[0]

    def round_details(self, cohort_id: int) -> list[dict]:
        """Each round in order with ``opened_at``, ``members_until``, ``closed_at`` and
        ``membership_reopened_at`` (None where not set), and its ``state``."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(R).where(R.c.cohort_id == cohort_id).order_by(R.c.position)
            ).all()
        return [
            {"id": r.id, "name": r.name, "position": r.position, "is_open": bool(r.is_open),
             "opened_at": r.opened_at, "members_until": r.members_until,
             "closed_at": r.closed_at, "membership_reopened_at": r.membership_reopened_at,
             "state": "open" if r.is_open else ("closed" if r.opened_at else "not open")}
            for r in rows
        ]

    def _membership_round(self, conn: Connection, cohort_id: int):
        """The round a member's count is about: the open one, else the next not yet open."""
        rows = conn.execute(sa.select(R).where(R.c.cohort_id == cohort_id)
                            .order_by(R.c.position)).all()
        for r in rows:
            if r.is_open:
                return r
        for r in rows:
            if r.opened_at is None:
                return r
        return None

    @staticmethod
    def _counted_dates(people, rnd) -> list:
        """Join times of the people a round counts (all who joined, while it is not open)."""
        if rnd is None or rnd.members_until is None:
            return sorted(people)
        return sorted(c for c in people if c <= rnd.members_until)

    def group_membership(self, participant_id: int) -> dict | None:
        """What a member sees about their own group before results are published: the round
        (the open one, else the next to open), how many of the group it counts and the dates
        they joined (no names), whether the member is counted, and any objection of theirs.
        None for someone not in a cohort, or when every round has been run."""
        O = t.count_objections  # noqa: E741
        with self._read() as conn:
            me = self._participant_row(conn, participant_id)
            if me.group_id is None:
                return None
            rnd = self._membership_round(conn, me.cohort_id)
            if rnd is None:
                return None
            joined = conn.execute(
                sa.select(P.c.created_at).where(P.c.group_id == me.group_id)
            ).scalars().all()
            mine = conn.execute(
                sa.select(O).where(O.c.participant_id == participant_id, O.c.round_id == rnd.id)
                .order_by(O.c.id.desc())
            ).first()
        counted = self._counted_dates(joined, rnd)
        return {"round": rnd.name, "round_id": rnd.id, "is_open": bool(rnd.is_open),
                "counted": len(counted), "joined_on": [c.date() for c in counted],
                "me_counted": rnd.members_until is None or me.created_at <= rnd.members_until,
                "objected": mine is not None and mine.resolved_at is None}

    def object_to_count(self, participant_id: int) -> dict:
        """Record a member's "This does not match my group" about their group's count in the
        open (or next) round. Unresolved, it holds the group's results at close. Saying it
        again while the first is unresolved changes nothing."""
        O = t.count_objections  # noqa: E741

        def work(conn: Connection) -> dict:
            me = self._participant_row(conn, participant_id, lock=True)
            if me.group_id is None:
                raise StoreError(_("Only members of a group can say whether its count matches."))
            rnd = self._membership_round(conn, me.cohort_id)
            if rnd is None:
                raise RoundStateError(_("Every round of this cohort has been run, so there is no "
                                        "count left to check."))
            open_one = conn.execute(sa.select(O.c.id).where(
                O.c.participant_id == participant_id, O.c.round_id == rnd.id,
                O.c.resolved_at.is_(None))).first()
            joined = conn.execute(sa.select(P.c.created_at)
                                  .where(P.c.group_id == me.group_id)).scalars().all()
            counted = len(self._counted_dates(joined, rnd))
            if open_one is None:
                conn.execute(O.insert().values(
                    cohort_id=me.cohort_id, round_id=rnd.id, group_id=me.group_id,
                    participant_id=participant_id, counted=counted, created_at=now()))
            return {"round": rnd.name, "counted": counted}

        return self._write(work, what="record that the count does not match")

    def objections(self, cohort_id: int, *, unresolved_only: bool = False) -> list[dict]:
        """Members' objections to their group's count, oldest first: id, round, group,
        counted (the count they saw), created_at, resolved_at, resolution. No names."""
        O, G = t.count_objections, t.groups  # noqa: E741
        q = (sa.select(O.c.id, R.c.name.label("round"), O.c.round_id, G.c.name.label("group"),
                       O.c.counted, O.c.created_at, O.c.resolved_at, O.c.resolution)
             .join(R, R.c.id == O.c.round_id).join(G, G.c.id == O.c.group_id)
             .where(O.c.cohort_id == cohort_id))
        if unresolved_only:
            q = q.where(O.c.resolved_at.is_(None))
        with self._read() as conn:
            rows = conn.execute(q.order_by(O.c.id)).all()
        return [dict(r._mapping) for r in rows]

    def held_groups(self, cohort_id: int, round_id: int) -> list[str]:
        """Names of the groups whose results in a round are held by an unresolved objection."""
        return sorted({o["group"] for o in self.objections(cohort_id, unresolved_only=True)
                       if o["round_id"] == round_id})

    def resolve_objections(self, cohort_id: int, group: str, round_name, resolution: str) -> int:
        """Mark a group's unresolved objections for a round resolved (set-up key holder only:
        the commands and the set-up app check the key); returns how many. ``resolution`` says
        what was found, for instance "counted members checked with the programme list"."""
        from kit.store.validation import check_text

        if problems := check_text("resolution", resolution, limit=200):
            from kit.store.errors import InvalidResponse

            raise InvalidResponse(problems, context="resolution")
        O, G = t.count_objections, t.groups  # noqa: E741

        def work(conn: Connection) -> int:
            r = self._round_row(conn, cohort_id, round_name)
            gid = conn.execute(sa.select(G.c.id).where(G.c.cohort_id == cohort_id,
                                                       G.c.name == group)).scalar()
            if gid is None:
                raise NotFound(_("Cohort {cohort} has no group {group}.").format(
                    cohort=repr(cohort_id), group=repr(group)))
            done = conn.execute(O.update().where(
                O.c.round_id == r.id, O.c.group_id == gid, O.c.resolved_at.is_(None))
                .values(resolved_at=now(), resolution=resolution.strip())).rowcount
            if not done:
                raise StoreError(_("Group {group} has no unresolved objection about round "
                                   "{round}; nothing was changed.").format(
                    group=repr(group), round=repr(r.name)))
            return int(done)

        return self._write(work, what="resolve the objection")

    def record_membership_event(self, conn: Connection, cohort_id: int, round_id, kind: str,
                                people: int, detail: dict) -> None:
        """Note an act that changed who counts (inside the caller's transaction)."""
        conn.execute(t.membership_events.insert().values(
            cohort_id=cohort_id, round_id=round_id, at=now(), kind=kind, people=people,
            detail=detail))

    def membership_events(self, cohort_id: int) -> list[dict]:
        """Acts that changed who counts, oldest first: at, kind ("import", "taken_back", or a
        code issued with the set-up key: "join_code_new", "join_code_extra",
        "facilitator_key_new", whose detail names the group), round (name or None), people,
        detail."""
        E = t.membership_events  # noqa: E741
        with self._read() as conn:
            rows = conn.execute(
                sa.select(E.c.at, E.c.kind, E.c.people, E.c.detail, R.c.name.label("round"))
                .select_from(E.outerjoin(R, R.c.id == E.c.round_id))
                .where(E.c.cohort_id == cohort_id).order_by(E.c.id)).all()
        return [dict(r._mapping) for r in rows]

    def membership_summary(self, cohort_id: int) -> list[dict]:
        """Per group: members (everyone who joined), and for the open round (else the next to
        open) how many it counts: ``counted``, ``round``, ``is_open``."""
        G = t.groups
        with self._read() as conn:
            groups = conn.execute(sa.select(G.c.id, G.c.name).where(G.c.cohort_id == cohort_id)
                                  .order_by(G.c.id)).all()
            people = conn.execute(sa.select(P.c.group_id, P.c.created_at)
                                  .where(P.c.cohort_id == cohort_id)).all()
            rnd = self._membership_round(conn, cohort_id)
        out = []
        for gid, name in groups:
            joined = [c for g, c in people if g == gid]
            counted = self._counted_dates(joined, rnd)
            out.append({"group": name, "members": len(joined), "counted": len(counted),
                        "joined_after": len(joined) - len(counted),
                        "round": rnd.name if rnd is not None else None,
                        "is_open": bool(rnd is not None and rnd.is_open)})
        return out

    def member_counts(self, cohort_id: int) -> dict:
        """Head counts (never names) of the people the open round counts, else the next round
        to open (everyone who has joined so far), by group, organisation, sector and role level.

        Returns ``{"round": name or None, "is_open": bool, "groups": [names in order],
        "counts": [{"group", "organisation", "sector", "role_level", "members"}, ...]}``.
        ``is_open`` True means who counts is fixed for that round.
        """
        G = t.groups
        with self._read() as conn:
            groups = conn.execute(sa.select(G.c.id, G.c.name).where(G.c.cohort_id == cohort_id)
                                  .order_by(G.c.id)).all()
            people = conn.execute(
                sa.select(P.c.group_id, P.c.organisation, P.c.sector, P.c.role_level,
                          P.c.created_at).where(P.c.cohort_id == cohort_id)).all()
            rnd = self._membership_round(conn, cohort_id)
        name = dict(groups)
        counts: dict[tuple, int] = {}
        for gid, org, sector, role, at in people:
            if gid not in name or (rnd is not None and rnd.members_until is not None
                                   and at > rnd.members_until):
                continue
            key = (name[gid], org or "", sector or "", role or "")
            counts[key] = counts.get(key, 0) + 1
        return {"round": rnd.name if rnd is not None else None,
                "is_open": bool(rnd is not None and rnd.is_open),
                "groups": [g for _gid, g in groups],
                "counts": [{"group": g, "organisation": o, "sector": s, "role_level": r,
                            "members": n} for (g, o, s, r), n in sorted(counts.items())]}

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
        with self._read() as conn:
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

        return self._write(work, what="publish the results")

    def snapshots(self, cohort_id: int, framework_id: str, round_id: int | None = None) -> list[dict]:
        """Published snapshots, oldest first: id, round_id, created_at, reason, payload."""
        T = t.result_snapshots
        q = sa.select(T).where(T.c.cohort_id == cohort_id, T.c.framework_id == framework_id)
        if round_id is not None:
            q = q.where(T.c.round_id == round_id)
        with self._read() as conn:
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
        with self._read() as conn:
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
        with self._read() as conn:
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
        with self._read() as conn:
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
        with self._read() as conn:
            return conn.execute(sa.select(T.c.payload).where(T.c.id == snapshot_id)).scalar_one()

    def snapshot_versions(self, snapshot_id: int) -> dict[int, int | None]:
        """``{submission_id: participant_id}`` of one snapshot's slots (None once erased),
        without their attributes and keys (cheap)."""
        M = t.snapshot_members
        with self._read() as conn:
            rows = conn.execute(sa.select(M.c.submission_id, M.c.participant_id)
                                .where(M.c.snapshot_id == snapshot_id)).all()
        return {int(sid): (None if pid is None else int(pid)) for sid, pid in rows}

    def snapshot_slots(self, snapshot_id: int) -> list[dict]:
        """The anonymous slots of one snapshot: participant_id (None once erased),
        submission_id, attrs, keys."""
        M = t.snapshot_members
        with self._read() as conn:
            rows = conn.execute(sa.select(M).where(M.c.snapshot_id == snapshot_id)
                                .order_by(M.c.id)).all()
        return [{"participant_id": r.participant_id, "submission_id": r.submission_id,
                 "attrs": tuple(r.attrs), "keys": r.keys} for r in rows]

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
        with self._read() as conn:
            rows = conn.execute(q.order_by(refl.c.updated_at.desc(), steps.c.id.desc())).all()
        return [{"id": int(i), "participant_id": int(p), "text": txt, "updated_at": at}
                for i, p, txt, at in rows if visible_text(txt)]

    def step_texts(self, ids) -> dict[int, str]:
        """``{step row id: text}`` for the ids that still exist (erased ones are gone)."""
        ids = [int(i) for i in ids]
        if not ids:
            return {}
        steps = t.reflection_steps
        with self._read() as conn:
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
        with self._read() as conn:
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

        return self._write(work, what="release the shared answers")
