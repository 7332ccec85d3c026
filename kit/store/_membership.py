"""Frozen round membership: who a round counts, members' objections, and the log of acts
that change who counts.

A round counts only people who had joined when it opened (``rounds.members_until``): a round
that is not open yet counts everyone who has joined so far. Members see their group's count
and can say it does not match (``count_objections``), which holds the group's results; imports
of counted members (set-up key only) are recorded in ``membership_events``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.i18n import _
from kit.store import tables as t
from kit.store._base import Repository, now
from kit.store.errors import NotFound, RoundStateError, StoreError

__all__ = ["MembershipRepository"]

P, R = t.participants, t.rounds


class MembershipRepository(Repository):
    """Who each round counts, and objections to the count."""

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
        with self.db.reading() as conn:
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
        with self.db.reading() as conn:
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

        return self.db.transaction(work, what="record that the count does not match")

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
        with self.db.reading() as conn:
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

        return self.db.transaction(work, what="resolve the objection")

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
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(E.c.at, E.c.kind, E.c.people, E.c.detail, R.c.name.label("round"))
                .select_from(E.outerjoin(R, R.c.id == E.c.round_id))
                .where(E.c.cohort_id == cohort_id).order_by(E.c.id)).all()
        return [dict(r._mapping) for r in rows]

    def membership_summary(self, cohort_id: int) -> list[dict]:
        """Per group: members (everyone who joined), and for the open round (else the next to
        open) how many it counts: ``counted``, ``round``, ``is_open``."""
        G = t.groups
        with self.db.reading() as conn:
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
        with self.db.reading() as conn:
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
