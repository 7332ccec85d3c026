"""Participants: joining with a join code, resuming with a resume code, hub users, people
working on their own (with their private rounds), and each person's profile."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.i18n import _
from kit.store import tables as t
from kit.store._base import now, participant_info
from kit.store._codes_base import UNKNOWN_JOIN_CODE, CodesRepository, bad_shape
from kit.store._cohorts import round_info
from kit.store.codes import code_hash, looks_like_code, new_code
from kit.store.errors import CodeError, InvalidResponse, ResponseProblem, StoreError
from kit.store.info import JoinedParticipant, ParticipantInfo, RoundInfo
from kit.store.validation import check_text

__all__ = ["ParticipantsRepository"]

_PROFILE_FIELDS = ("display_name", "organisation", "sector", "role_level")


def _profile_problems(fields: dict) -> list[ResponseProblem]:
    problems = []
    for name, value in fields.items():
        problems += check_text(name, value, required=False, limit=200)
    return problems


class ParticipantsRepository(CodesRepository):
    """Who the participants are and how they get in."""

    def participant(self, participant_id: int) -> ParticipantInfo:
        """The participant with this id; :class:`NotFound` when there is none."""
        with self.db.reading() as conn:
            return participant_info(self._participant_row(conn, participant_id))

    def private_round(self, participant_id: int, name: str) -> RoundInfo:
        """A round owned by one participant with no cohort (private use), created open on first use."""
        if problems := check_text("name", name, limit=200):
            raise InvalidResponse(problems, context="round")

        def work(conn: Connection) -> RoundInfo:
            p = self._participant_row(conn, participant_id, lock=True)
            if p.cohort_id is not None:
                raise StoreError(
                    "Private rounds are for people using the kit on their own; this participant "
                    "belongs to a cohort, whose facilitator opens and closes rounds."
                )
            rows = conn.execute(
                sa.select(t.rounds).where(t.rounds.c.owner_id == participant_id)
            ).all()
            for r in rows:
                if r.name == name.strip():
                    return round_info(r)
            position = max((r.position for r in rows), default=-1) + 1
            rid = conn.execute(
                t.rounds.insert().values(
                    owner_id=participant_id, name=name.strip(), position=position, is_open=True
                )
            ).inserted_primary_key[0]
            return RoundInfo(rid, name.strip(), position, True, opened_at=None)

        return self.db.transaction(work, what="start the round")

    # -- participants ----------------------------------------------------------------------
    def join(
        self,
        join_code: str,
        display_name: str | None = None,
        organisation: str | None = None,
        sector: str | None = None,
        role_level: str | None = None,
        *,
        hub_user: str | None = None,
    ) -> JoinedParticipant:
        """Join the group a join code belongs to; returns the new participant and resume code.

        With ``hub_user`` (JupyterHub), the hub user's participant joins the group instead of a
        new one being made; they keep what they already entered.
        """
        fields = dict(
            display_name=display_name,
            organisation=organisation,
            sector=sector,
            role_level=role_level,
        )
        if problems := _profile_problems(fields):
            raise InvalidResponse(problems, context="profile")
        fields = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items()}
        if not looks_like_code(join_code):
            raise CodeError(bad_shape("join"))
        resume_code = new_code()
        self.code_key  # noqa: B018 - made before the write, not inside it

        def work(conn: Connection) -> JoinedParticipant:
            group = self._group_for_code(conn, join_code)
            if group is None:
                raise CodeError(_(UNKNOWN_JOIN_CODE))
            values = dict(
                cohort_id=group.cohort_id,
                group_id=group.id,
                resume_code_hash=self._hash("resume", resume_code),
                **{k: v for k, v in fields.items() if v is not None},
            )
            existing = None
            if hub_user:
                existing = conn.execute(
                    sa.select(t.participants).where(t.participants.c.hub_user == hub_user)
                ).first()
            if existing is not None:
                if existing.cohort_id not in (None, group.cohort_id):
                    raise StoreError(
                        f"The hub user {hub_user!r} already belongs to another cohort. Ask the facilitator "
                        "to erase the old record first, or use a different account."
                    )
                conn.execute(
                    t.participants.update()
                    .where(t.participants.c.id == existing.id)
                    .values(**values)
                )
                pid = existing.id
            else:
                pid = conn.execute(
                    t.participants.insert().values(
                        hub_user=hub_user or None, created_at=now(), **values
                    )
                ).inserted_primary_key[0]
            return JoinedParticipant(
                id=pid, resume_code=resume_code, cohort_id=group.cohort_id, group_id=group.id
            )

        return self.db.transaction(work, what="join the group")

    def resume(self, resume_code: str) -> ParticipantInfo:
        """The participant a resume code belongs to; :class:`CodeError` for a wrong code."""
        if not looks_like_code(resume_code):
            raise CodeError(bad_shape("resume"))
        hashes = self._hashes("resume", resume_code)
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(t.participants).where(
                    t.participants.c.resume_code_hash.in_(hashes)
                )
            ).first()
        if row is None:
            raise CodeError(_(
                "That resume code was not recognised. It is the code you were given when you joined; "
                "if it is lost, join again with your group's join code."
            ))
        return participant_info(row)

    def has_resume_code(self, participant_id: int) -> bool:
        """True when this participant signs in with a resume code (not through a hub account
        or as this computer's private participant)."""
        with self.db.reading() as conn:
            row = self._participant_row(conn, participant_id)
        return row.resume_code_hash is not None

    def new_resume_code(self, participant_id: int) -> str:
        """Issue a new resume code for a participant who has one; the old one stops working.

        Returns the only plaintext copy of the new code. Raises :class:`CodeError` for a
        participant who signs in another way (a hub account, this computer's private work).
        """
        resume_code = new_code()
        self.code_key  # noqa: B018 - made before the write, not inside it

        def work(conn: Connection) -> str:
            row = self._participant_row(conn, participant_id, lock=True)
            if row.resume_code_hash is None:
                raise CodeError(_(
                    "You do not sign in with a resume code, so there is none to replace."))
            conn.execute(
                t.participants.update()
                .where(t.participants.c.id == participant_id)
                .values(resume_code_hash=self._hash("resume", resume_code))
            )
            return resume_code

        return self.db.transaction(work, what="issue a new resume code")

    def update_participant(self, participant_id: int, **fields) -> ParticipantInfo:
        """Change a participant's display name, organisation, sector or role level."""
        unknown = sorted(set(fields) - set(_PROFILE_FIELDS))
        problems = [
            ResponseProblem(
                k, fields[k], f"is not a profile field; use one of {', '.join(_PROFILE_FIELDS)}"
            )
            for k in unknown
        ] + _profile_problems({k: v for k, v in fields.items() if k in _PROFILE_FIELDS})
        if problems:
            raise InvalidResponse(problems, context="profile")

        def work(conn: Connection) -> ParticipantInfo:
            self._participant_row(conn, participant_id)
            if fields:
                conn.execute(
                    t.participants.update()
                    .where(t.participants.c.id == participant_id)
                    .values(**fields)
                )
            return participant_info(self._participant_row(conn, participant_id))

        return self.db.transaction(work, what="update the profile")

    def _get_or_create(self, column: sa.Column, value: str) -> ParticipantInfo:
        def find(conn):
            return conn.execute(sa.select(t.participants).where(column == value)).first()

        with self.db.reading() as conn:
            row = find(conn)
        if row is not None:
            return participant_info(row)
        extra = {"display_name": value} if column is t.participants.c.private_label else {}

        def work(conn: Connection):
            row = find(conn)
            if row is None:
                conn.execute(
                    t.participants.insert().values(
                        {column.name: value, "created_at": now(), **extra}
                    )
                )
                row = find(conn)
            return row

        try:
            return participant_info(self.db.transaction(work, what="set you up"))
        except sa.exc.IntegrityError:  # another process made it first: use theirs
            with self.db.reading() as conn:
                return participant_info(find(conn))

    def participant_for_hub_user(self, username: str) -> ParticipantInfo:
        """The participant for a JupyterHub user (``JUPYTERHUB_USER``), created on first use."""
        if problems := check_text("username", username, limit=200):
            raise InvalidResponse(problems, context="hub user")
        return self._get_or_create(t.participants.c.hub_user, username)

    def private_participant(self, label: str) -> ParticipantInfo:
        """A participant with no cohort, for using the kit on your own; the same label gives the same one."""
        if problems := check_text("label", label, limit=200):
            raise InvalidResponse(problems, context="private participant")
        return self._get_or_create(t.participants.c.private_label, label.strip())

    def new_private_participant(self, display_name: str | None = None) -> JoinedParticipant:
        """A new participant with no cohort and a resume code of their own.

        For "work privately" on a server shared by many visitors (``kit serve``): each visitor
        gets a participant nobody else can open, and the resume code is the way back to it,
        as for people who joined a group. Returns the only plaintext copy of the code.
        """
        fields = dict(display_name=display_name, organisation=None, sector=None, role_level=None)
        if problems := _profile_problems(fields):
            raise InvalidResponse(problems, context="profile")
        name = display_name.strip() or None if isinstance(display_name, str) else None
        resume_code = new_code()

        def work(conn: Connection) -> JoinedParticipant:
            pid = conn.execute(
                t.participants.insert().values(
                    display_name=name,
                    resume_code_hash=code_hash("resume", resume_code),
                    created_at=now(),
                )
            ).inserted_primary_key[0]
            return JoinedParticipant(id=pid, resume_code=resume_code, cohort_id=None, group_id=None)

        return self.db.transaction(work, what="set you up")
