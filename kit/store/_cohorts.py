"""Cohorts, their groups and rounds, facilitator keys and join codes (people joining with a
code are in :mod:`kit.store._participants`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.i18n import _
from kit.store import tables as t
from kit.store._base import now
from kit.store._codes_base import UNKNOWN_JOIN_CODE, CodesRepository, bad_shape
from kit.store.codes import looks_like_code, new_code
from kit.store.errors import (
    CodeError,
    InvalidResponse,
    NotFound,
    ResponseProblem,
    RoundStateError,
)
from kit.store.info import (
    DEFAULT_SELF_FRAMEWORK,
    DEFAULT_TEAM_FRAMEWORK,
    CohortInfo,
    CreatedCohort,
    GroupInfo,
    RoundInfo,
)
from kit.store.validation import check_text

_log = logging.getLogger(__name__)

__all__ = ["CohortsRepository", "round_info"]

def _names(field: str, values: Sequence[str]) -> list[ResponseProblem]:
    if isinstance(values, str) or not values:
        return [ResponseProblem(field, values, "give a list of one or more names")]
    problems: list[ResponseProblem] = []
    for i, v in enumerate(values):
        problems += check_text(f"{field}[{i}]", v, limit=200)
    cleaned = [v.strip() for v in values if isinstance(v, str)]
    dupes = sorted({v for v in cleaned if cleaned.count(v) > 1})
    if dupes:
        problems.append(ResponseProblem(field, dupes, "each name must appear once"))
    return problems


def round_info(row) -> RoundInfo:
    """A rounds row as a :class:`RoundInfo`."""
    return RoundInfo(id=row.id, name=row.name, position=row.position, is_open=bool(row.is_open),
                     opened_at=row.opened_at, closed_at=getattr(row, "closed_at", None))


def _check_cohort(name, groups, rounds, frameworks, organisations, self_framework,
                  team_framework) -> None:
    """:class:`InvalidResponse` with every problem in a new cohort's names and framework ids."""
    problems = (
        check_text("name", name, limit=200)
        + _names("groups", groups)
        + _names("rounds", rounds)
    )
    if isinstance(frameworks, str):
        problems.append(
            ResponseProblem("frameworks", frameworks, "give a list of framework ids")
        )
    if organisations:
        problems += _names("organisations", organisations)
    elif isinstance(organisations, str):
        problems.append(ResponseProblem("organisations", organisations, "give a list of names"))
    for field_name, fw_id in (("self_framework", self_framework),
                              ("team_framework", team_framework)):
        if fw_id is not None:
            problems += check_text(field_name, fw_id, limit=100)
    if problems:
        raise InvalidResponse(problems, context="cohort")


class CohortsRepository(CodesRepository):
    """Cohorts, their groups and rounds, and the codes that open them."""

    # -- cohorts ---------------------------------------------------------------------------
    def create_cohort(
        self,
        name: str,
        groups: Sequence[str],
        rounds: Sequence[str],
        frameworks: Sequence[str] = (),
        *,
        open_first: bool = False,
        organisations: Sequence[str] = (),
        self_framework: str | None = None,
        team_framework: str | None = None,
    ) -> CreatedCohort:
        """Create a cohort with its groups and rounds; returns the codes, shown only this once.

        Every round starts not open: people join, and everyone who has joined when a round
        opens is counted in it (:meth:`open_round`). ``open_first=True`` opens the first round
        at once, counting nobody who joins afterwards (for tests and private use; the set-up
        app, ``kit cohort create`` and the demo never do). ``organisations`` lists the
        partner organisations offered to people joining; ``self_framework`` and
        ``team_framework`` name the frameworks the cohort answers (default: the shipped ones).
        The store checks only the shape of the ids: :func:`kit.apps.setup_model.create_cohort`
        (used by the set-up app and ``kit cohort create``) also checks the frameworks load.

        Examples
        --------
        >>> created = store.create_cohort("Spring 2026", ["North", "South"], ["Baseline", "End"])  # doctest: +SKIP
        >>> created.join_codes["North"]  # doctest: +SKIP
        'K7QF-2MRX-9WZD-HT4P'
        """
        _check_cohort(name, groups, rounds, frameworks, organisations, self_framework,
                      team_framework)
        key = new_code()
        codes = {g.strip(): new_code() for g in groups}
        self.code_key  # noqa: B018 - made before the write, not inside it

        def work(conn: Connection) -> int:
            cohort_id = conn.execute(
                t.cohorts.insert().values(
                    name=name.strip(),
                    created_at=now(),
                    facilitator_key_hash=self._hash("facilitator", key),
                    frameworks=[str(f) for f in frameworks]
                    or [f for f in (self_framework, team_framework) if f],
                    organisations=[o.strip() for o in organisations] or None,
                    self_framework=self_framework.strip() if self_framework else None,
                    team_framework=team_framework.strip() if team_framework else None,
                )
            ).inserted_primary_key[0]
            conn.execute(
                t.groups.insert(),
                [
                    {"cohort_id": cohort_id, "name": g, "join_code_hash": self._hash("join", c)}
                    for g, c in codes.items()
                ],
            )
            at = now()
            conn.execute(
                t.rounds.insert(),
                [
                    {
                        "cohort_id": cohort_id,
                        "name": r.strip(),
                        "position": i,
                        "is_open": open_first and i == 0,
                        "opened_at": at if open_first and i == 0 else None,
                        "members_until": at if open_first and i == 0 else None,
                    }
                    for i, r in enumerate(rounds)
                ],
            )
            return cohort_id

        cohort_id = self.db.transaction(work, what="create the cohort")
        return CreatedCohort(
            cohort_id=cohort_id, name=name.strip(), facilitator_key=key, join_codes=codes
        )

    def new_facilitator_key(self, cohort_id: int) -> str:
        """Issue a new facilitator key for a cohort (a lost key); the old one stops working.
        Returns the only plaintext copy. The change is logged (which cohort, never the key)."""
        key = new_code()
        self.code_key  # noqa: B018 - made before the write, not inside it

        def work(conn: Connection) -> str:
            done = conn.execute(
                t.cohorts.update().where(t.cohorts.c.id == cohort_id)
                .values(facilitator_key_hash=self._hash("facilitator", key))
            ).rowcount
            if not done:
                raise NotFound(_("There is no cohort {id}.").format(id=repr(cohort_id)))
            self._record_code_event(conn, cohort_id, "facilitator_key_new", {})
            return key

        key = self.db.transaction(work, what="issue a new facilitator key")
        _log.info("a new facilitator key was issued for cohort %s", cohort_id)
        return key

    def new_join_code(self, cohort_id: int, group_name: str) -> str:
        """Issue a new join code for one group (a lost join sheet); the old code stops
        working, and everyone who joined stays. Returns the only plaintext copy; logged."""
        code = new_code()
        self.code_key  # noqa: B018 - made before the write, not inside it

        def work(conn: Connection) -> str:
            done = conn.execute(
                t.groups.update().where(t.groups.c.cohort_id == cohort_id,
                                        t.groups.c.name == str(group_name).strip())
                .values(join_code_hash=self._hash("join", code))
            ).rowcount
            if not done:
                raise NotFound(_("Cohort {id} has no group called {group}.").format(
                    id=repr(cohort_id), group=repr(group_name)))
            self._record_code_event(conn, cohort_id, "join_code_new",
                                    {"group": str(group_name).strip()})
            return code

        code = self.db.transaction(work, what="issue a new join code")
        _log.info("a new join code was issued for group %r of cohort %s", group_name, cohort_id)
        return code

    def extra_join_code(self, cohort_id: int, group_name: str) -> str:
        """Issue one more join code for a group: it joins the same group, and the group's
        other codes keep working (for a sheet already handed out). Returns the only plaintext
        copy; recorded in ``membership_events`` (which group, never the code)."""
        code = new_code()
        self.code_key  # noqa: B018 - made before the write, not inside it
        name = str(group_name).strip()

        def work(conn: Connection) -> str:
            gid = conn.execute(sa.select(t.groups.c.id).where(
                t.groups.c.cohort_id == cohort_id, t.groups.c.name == name)).scalar()
            if gid is None:
                raise NotFound(_("Cohort {id} has no group called {group}.").format(
                    id=repr(cohort_id), group=repr(group_name)))
            conn.execute(t.extra_join_codes.insert().values(
                group_id=gid, join_code_hash=self._hash("join", code), created_at=now()))
            self._record_code_event(conn, cohort_id, "join_code_extra", {"group": name})
            return code

        code = self.db.transaction(work, what="issue an extra join code")
        _log.info("an extra join code was issued for group %r of cohort %s", name, cohort_id)
        return code

    def join_code_counts(self, cohort_id: int) -> dict[str, int]:
        """How many codes join each group (its own and any extra ones), by group name."""
        G, X = t.groups, t.extra_join_codes  # noqa: N806
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(G.c.name, sa.func.count(X.c.id))
                .select_from(G.outerjoin(X, X.c.group_id == G.c.id))
                .where(G.c.cohort_id == cohort_id).group_by(G.c.id, G.c.name)
                .order_by(G.c.id)).all()
        return {name: 1 + int(n) for name, n in rows}

    @staticmethod
    def _record_code_event(conn: Connection, cohort_id: int, kind: str, detail: dict) -> None:
        """Note a code issued with the set-up key (inside the caller's transaction): who may
        join or open the dashboard changed, so it is listed with the acts that change who
        counts."""
        conn.execute(t.membership_events.insert().values(
            cohort_id=cohort_id, round_id=None, at=now(), kind=kind, people=0, detail=detail))

    def _cohort_info(self, conn: Connection, row) -> CohortInfo:
        groups = conn.execute(
            sa.select(t.groups.c.id, t.groups.c.name)
            .where(t.groups.c.cohort_id == row.id)
            .order_by(t.groups.c.id)
        ).all()
        rounds = conn.execute(
            sa.select(t.rounds).where(t.rounds.c.cohort_id == row.id).order_by(t.rounds.c.position)
        ).all()
        return CohortInfo(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            groups=tuple(GroupInfo(g.id, g.name) for g in groups),
            rounds=tuple(round_info(r) for r in rounds),
            frameworks=tuple(row.frameworks or ()),
            organisations=tuple(row.organisations or ()),
            self_framework=row.self_framework or DEFAULT_SELF_FRAMEWORK,
            team_framework=row.team_framework or DEFAULT_TEAM_FRAMEWORK,
        )

    def cohort(self, cohort_id: int) -> CohortInfo:
        """The cohort with this id, with its groups and rounds."""
        with self.db.reading() as conn:
            row = conn.execute(sa.select(t.cohorts).where(t.cohorts.c.id == cohort_id)).first()
            if row is None:
                raise NotFound(
                    f"There is no cohort with id {cohort_id!r}; `kit cohort list` shows them."
                )
            return self._cohort_info(conn, row)

    def list_cohorts(self) -> list[CohortInfo]:
        """Every cohort, oldest first."""
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(t.cohorts).order_by(t.cohorts.c.created_at, t.cohorts.c.id)
            ).all()
            return [self._cohort_info(conn, r) for r in rows]

    def cohort_by_facilitator_key(self, key: str) -> CohortInfo:
        """The cohort this facilitator key opens; :class:`CodeError` for a wrong key."""
        if not looks_like_code(key):
            raise CodeError(bad_shape("facilitator"))
        hashes = self._hashes("facilitator", key)
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(t.cohorts).where(
                    t.cohorts.c.facilitator_key_hash.in_(hashes)
                )
            ).first()
            if row is None:
                raise CodeError(_(
                    "That facilitator key was not recognised. Check it against the one given "
                    "when the cohort was set up."
                ))
            return self._cohort_info(conn, row)

    def cohort_for_join_code(self, join_code: str) -> tuple[CohortInfo, GroupInfo]:
        """The cohort and group a join code belongs to, without joining; :class:`CodeError` if none.

        The join form uses it to offer the cohort's organisations before anyone joins.
        """
        if not looks_like_code(join_code):
            raise CodeError(bad_shape("join"))
        with self.db.reading() as conn:
            group = self._group_for_code(conn, join_code)
            if group is None:
                raise CodeError(_(UNKNOWN_JOIN_CODE))
            row = conn.execute(sa.select(t.cohorts).where(t.cohorts.c.id == group.cohort_id)).first()
            return self._cohort_info(conn, row), GroupInfo(group.id, group.name)

    # -- rounds ----------------------------------------------------------------------------
    def rounds(self, cohort_id: int) -> list[RoundInfo]:
        """The cohort's rounds in order."""
        return list(self.cohort(cohort_id).rounds)

    def _rounds_for_update(self, conn: Connection, cohort_id: int, round_name):
        rows = conn.execute(sa.select(t.rounds).where(t.rounds.c.cohort_id == cohort_id)).all()
        match = [r for r in rows if r.name == round_name or r.id == round_name]
        if not match:
            names = ", ".join(repr(r.name) for r in sorted(rows, key=lambda r: r.position))
            if names:
                raise NotFound(_("Cohort {cohort} has no round {round}; its rounds are "
                                 "{names}.").format(cohort=repr(cohort_id),
                                                    round=repr(round_name), names=names))
            raise NotFound(_("Cohort {cohort} has no round {round} (or no such "
                             "cohort).").format(cohort=repr(cohort_id), round=repr(round_name)))
        return rows, match[0]

    def open_round(self, cohort_id: int, round_name: str | int) -> RoundInfo:
        """Open a round for answers (by name or id): who counts in it is fixed now.

        Everyone who has joined the cohort by now is counted in the round; anyone joining
        later counts from the next round. Refused (:class:`RoundStateError`) while another
        round is open, and for a closed round (its results are published and final).
        Opening the round that is already open changes nothing.
        """

        def work(conn: Connection) -> RoundInfo:
            rows, chosen = self._rounds_for_update(conn, cohort_id, round_name)
            if chosen.is_open:  # opening the open round again changes nothing
                return round_info(chosen)
            already = [r for r in rows if r.is_open]
            if already:
                raise RoundStateError(_(
                    "Round {open} is still open. Close it first, then open {chosen}: only "
                    "one round takes answers at a time.").format(
                    open=repr(already[0].name), chosen=repr(chosen.name)))
            if chosen.opened_at is not None:
                later = [r.name for r in sorted(rows, key=lambda r: r.position)
                         if r.opened_at is None]
                said = _("Round {name} is closed: its results were published when it closed "
                         "and are final, so it cannot open again.").format(name=repr(chosen.name))
                more = (_("Open the next round, {next}, when the group is ready to answer "
                          "again.").format(next=repr(later[0])) if later
                        else _("Every round of this cohort has been run."))
                raise RoundStateError(f"{said} {more}")
            at = now()
            conn.execute(t.rounds.update().where(t.rounds.c.id == chosen.id)
                         .values(is_open=True, opened_at=at, members_until=at))
            return RoundInfo(chosen.id, chosen.name, chosen.position, True, opened_at=at)

        return self.db.transaction(work, what="open the round")

    def close_round(self, cohort_id: int, round_name: str | int) -> RoundInfo:
        """Close a round: later answers to it are refused (:class:`RoundClosed`).

        A round that nobody counted in has answered goes back to "not open yet" (recorded,
        and shown on the dashboard): there is nothing to publish, and when it opens again it
        counts everyone who has joined by then. Otherwise the round is closed for good, and
        :func:`kit.publishing.close_round` publishes its results, once and final
        (closing through this method alone leaves them to :func:`~kit.publishing.
        publish_closed`). Closing a round that is not open is refused (:class:`RoundStateError`).
        """

        def work(conn: Connection) -> RoundInfo:
            rows, chosen = self._rounds_for_update(conn, cohort_id, round_name)
            if not chosen.is_open:
                open_now = [r.name for r in rows if r.is_open]
                said = (_("Round {name} is already closed; nothing was changed.")
                        if chosen.opened_at is not None else
                        _("Round {name} is not open yet, so it cannot be closed; nothing was "
                          "changed.")).format(name=repr(chosen.name))
                if open_now:
                    more = _("The open round is {name}.").format(name=repr(open_now[0]))
                else:
                    more = _("Open the next round when the group is ready to answer again.")
                raise RoundStateError(f"{said} {more}")
            S, P = t.submissions, t.participants
            counted = (P.c.created_at <= chosen.members_until
                       if chosen.members_until is not None else sa.true())
            answered = conn.execute(
                sa.select(sa.func.count()).select_from(S.join(P, P.c.id == S.c.participant_id))
                .where(S.c.round_id == chosen.id, S.c.superseded.is_(False), counted)
            ).scalar_one()
            at = now()
            if not answered:
                conn.execute(t.rounds.update().where(t.rounds.c.id == chosen.id).values(
                    is_open=False, opened_at=None, members_until=None, closed_at=None))
                conn.execute(t.membership_events.insert().values(
                    cohort_id=cohort_id, round_id=chosen.id, at=at, kind="taken_back",
                    people=0, detail={"opened_at": chosen.opened_at.isoformat() if chosen.opened_at else None}))
                return RoundInfo(chosen.id, chosen.name, chosen.position, False)
            conn.execute(t.rounds.update().where(t.rounds.c.id == chosen.id)
                         .values(is_open=False, closed_at=at))
            return RoundInfo(chosen.id, chosen.name, chosen.position, False,
                             opened_at=chosen.opened_at, closed_at=at)

        return self.db.transaction(work, what="close the round")

    def current_round(self, cohort_id: int) -> RoundInfo | None:
        """The open round of a cohort, or ``None`` when every round is closed."""
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(t.rounds)
                .where(t.rounds.c.cohort_id == cohort_id, t.rounds.c.is_open.is_(True))
                .order_by(t.rounds.c.position.desc())
            ).first()
        return None if row is None else round_info(row)
