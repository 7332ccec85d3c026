"""Self-assessment responses: idempotent, validated, all-or-nothing submits, revisions and drafts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.content.models import Framework
from kit.i18n import _
from kit.store import tables as t
from kit.store._base import Repository, now
from kit.store._submission_values import VALUE_TABLES, insert_values, values_of
from kit.store.errors import InvalidResponse, NotFound, ResponseProblem, RoundClosed
from kit.store.info import SubmissionInfo
from kit.store.validation import (
    MAX_ENTRIES,
    check_entries,
    check_id,
    check_response,
    check_trends,
    then_problems,
)

__all__ = ["ResponsesRepository", "resolve_framework"]

S = t.submissions


def resolve_framework(framework: Framework | str) -> Framework:
    """A :class:`Framework` as given, or loaded by id through :func:`kit.content.load_framework`."""
    if isinstance(framework, str):
        from kit.content import load_framework

        return load_framework(framework)
    if not hasattr(framework, "items") or not hasattr(framework, "scale"):
        raise TypeError(
            f"expected a kit.content.Framework or a framework id, got {type(framework).__name__}"
        )
    return framework


def _submission_info(row, *, replayed: bool = False) -> SubmissionInfo:
    return SubmissionInfo(
        id=row.id,
        participant_id=row.participant_id,
        framework_id=row.framework_id,
        round_id=row.round_id,
        key=row.client_key,
        revision=row.revision,
        submitted_at=row.submitted_at,
        superseded=bool(row.superseded),
        replayed=replayed,
    )


def _same_answers(conn, submission_id: int, answers: Mapping, importance: Mapping,
                  then: Mapping | None = None, trends: Mapping | None = None) -> bool:
    """Whether a stored submission holds exactly these answers, importance ratings,
    then-test answers and trend votes."""
    expected = (answers, importance, then or {}, trends or {})
    return all(values_of(conn, table, submission_id) == dict(values)
               for table, values in zip(VALUE_TABLES, expected, strict=True))


def _same_round(column, round_id):
    return column.is_(None) if round_id is None else column == round_id


def _check_key(key) -> None:
    if not isinstance(key, str) or not key.strip() or len(key) > 100:
        raise InvalidResponse(
            [
                ResponseProblem(
                    "key",
                    key,
                    "must be text of 1 to 100 characters made once per response (a UUID is ideal)",
                )
            ],
            context="response",
        )


class ResponsesRepository(Repository):
    """Submissions (validated, idempotent, all or nothing), their revisions, and drafts."""

    def _by_key(self, conn: Connection, participant_id: int, key: str):
        return conn.execute(
            sa.select(S).where(S.c.participant_id == participant_id, S.c.client_key == key)
        ).first()

    def _check_round(
        self, conn: Connection, participant, round_id: int | None, *, for_submit: bool
    ) -> None:
        if round_id is None:
            if participant.cohort_id is not None:
                raise InvalidResponse(
                    [
                        ResponseProblem(
                            "round_id",
                            None,
                            "a cohort member answers within a round: pass the open round's id",
                        )
                    ],
                    context="response",
                )
            return
        r = conn.execute(sa.select(t.rounds).where(t.rounds.c.id == round_id)).first()
        if r is None or (
            r.cohort_id != participant.cohort_id
            if r.cohort_id is not None
            else r.owner_id != participant.id
        ):
            raise NotFound(f"Round {round_id!r} is not one of this participant's rounds.")
        if for_submit and not r.is_open:
            if r.opened_at is None:
                raise RoundClosed(_(
                    "The round {name} is not open yet, so answers cannot be saved. Your "
                    "facilitator opens it when the group is ready; your draft is kept.").format(
                    name=repr(r.name)))
            raise RoundClosed(_(
                "The round {name} has closed and its results are published and final, so "
                "answers to it can no longer be saved or changed. Your draft is kept; answer "
                "the next round when your facilitator opens it.").format(name=repr(r.name)))

    def submit_response(
        self,
        participant_id: int,
        framework: Framework | str,
        round_id: int | None,
        answers: Mapping[str, int | None],
        importance: Mapping[str, int] | None = None,
        key: str = "",
        *,
        then: Mapping[str, int | None] | None = None,
        trends: Mapping[str, int | None] | None = None,
    ) -> SubmissionInfo:
        """Save one complete response, checked against ``framework``; all or nothing.

        ``then`` holds the optional then-test of a later round: per area, "looking back, how
        often did you do this before the programme?" on the framework's scale, ``None`` for
        "Not sure"; areas left out were not answered.

        ``key`` is made once by the form (for example ``uuid4().hex``) and sent again on every
        retry: the same key always gives back the same submission, never a duplicate. A new
        key for the same participant, framework and round is a revision: the earlier
        submission is kept as history and marked superseded.

        Raises
        ------
        InvalidResponse
            Every problem with the answers or importance ratings; nothing is written.
        RoundClosed
            The round is closed.
        NotFound
            No such participant, or the round is not theirs.
        """
        _check_key(key)
        with self.db.reading() as conn:
            if (row := self._by_key(conn, participant_id, key)) is not None:
                return _submission_info(row, replayed=True)
        fw = resolve_framework(framework)
        answers = dict(answers)
        importance = dict(importance or {})
        then = {} if then is None else then
        if problems := then_problems(fw, then):
            raise InvalidResponse(problems, context=f"response to {fw.id!r}")
        then = dict(then)
        trends = dict(trends or {})
        check_response(fw, answers, importance)
        check_trends(fw, trends)

        def work(conn: Connection) -> SubmissionInfo:
            return self._save(conn, participant_id, fw, round_id, key, answers, importance,
                              then, trends)

        for attempt in range(3):
            try:
                return self.db.transaction(work, what="save your response")
            except sa.exc.IntegrityError:
                # Two saves raced. If one used this key, that one is the answer; otherwise a
                # concurrent revision won the "one current submission" index: go again.
                with self.db.reading() as conn:
                    if (row := self._by_key(conn, participant_id, key)) is not None:
                        return _submission_info(row, replayed=True)
                if attempt == 2:
                    raise

    def _save(self, conn: Connection, participant_id: int, fw: Framework, round_id: int | None,
              key: str, answers: dict, importance: dict, then: dict,
              trends: dict) -> SubmissionInfo:
        """:meth:`submit_response`'s transaction: a replay, an unchanged resubmission, or a
        new revision with its values (the earlier one superseded, the draft cleared)."""
        participant = self._participant_row(conn, participant_id, lock=True)
        if (row := self._by_key(conn, participant_id, key)) is not None:
            return _submission_info(row, replayed=True)
        self._check_round(conn, participant, round_id, for_submit=True)
        same = (
            S.c.participant_id == participant_id,
            S.c.framework_id == fw.id,
            _same_round(S.c.round_id, round_id),
        )
        current = conn.execute(sa.select(S).where(*same, S.c.superseded.is_(False))).first()
        if current is not None and _same_answers(conn, current.id, answers, importance,
                                                 then, trends):
            # Pressing Submit again with the same answers is not a change: no revision.
            conn.execute(t.drafts.delete().where(
                t.drafts.c.participant_id == participant_id,
                t.drafts.c.framework_id == fw.id,
                _same_round(t.drafts.c.round_id, round_id)))
            return dataclasses.replace(_submission_info(current), unchanged=True)
        last = conn.execute(sa.select(sa.func.max(S.c.revision)).where(*same)).scalar() or 0
        conn.execute(S.update().where(*same, S.c.superseded.is_(False)).values(superseded=True))
        stamp = now()
        sid = conn.execute(
            S.insert().values(
                participant_id=participant_id,
                framework_id=fw.id,
                round_id=round_id,
                client_key=key,
                submitted_at=stamp,
                revision=last + 1,
                superseded=False,
                framework_version=fw.version,
            )
        ).inserted_primary_key[0]
        for table, values in zip(VALUE_TABLES, (answers, importance, then, trends),
                                 strict=True):
            insert_values(conn, table, sid, values)
        conn.execute(
            t.drafts.delete().where(
                t.drafts.c.participant_id == participant_id,
                t.drafts.c.framework_id == fw.id,
                _same_round(t.drafts.c.round_id, round_id),
            )
        )
        return SubmissionInfo(sid, participant_id, fw.id, round_id, key, last + 1, stamp)

    def list_submissions(
        self,
        participant_id: int,
        framework_id: str | None = None,
        *,
        include_superseded: bool = True,
    ) -> list[SubmissionInfo]:
        """A participant's submissions, oldest first (superseded revisions included by default)."""
        query = sa.select(S).where(S.c.participant_id == participant_id)
        if framework_id is not None:
            query = query.where(S.c.framework_id == framework_id)
        if not include_superseded:
            query = query.where(S.c.superseded.is_(False))
        with self.db.reading() as conn:
            return [_submission_info(r) for r in conn.execute(query.order_by(S.c.id)).all()]

    def submission_answers(
        self, submission_id: int
    ) -> tuple[dict[str, int | None], dict[str, int]]:
        """The answers and importance ratings saved in one submission."""
        with self.db.reading() as conn:
            if conn.execute(sa.select(S.c.id).where(S.c.id == submission_id)).first() is None:
                raise NotFound(f"There is no submission with id {submission_id!r}.")
            ans = conn.execute(
                sa.select(t.answers.c.item_id, t.answers.c.value).where(
                    t.answers.c.submission_id == submission_id
                )
            ).all()
            imp = conn.execute(
                sa.select(t.importance.c.dimension_id, t.importance.c.value).where(
                    t.importance.c.submission_id == submission_id
                )
            ).all()
        return dict(ans), dict(imp)

    def submission_then(self, submission_id: int) -> dict[str, int | None]:
        """The then-test answers saved with one submission: ``{area id: value}``, ``None``
        for "Not sure"; empty when none were given."""
        with self.db.reading() as conn:
            return values_of(conn, t.then_ratings, submission_id)

    def answered_before(self, participant_id: int, framework_id: str,
                        round_id: int | None) -> bool:
        """Whether the participant has a current response to ``framework_id`` in a round other
        than ``round_id``: a round after their first, where the then-test is asked."""
        with self.db.reading() as conn:
            query = sa.select(S.c.id).where(
                S.c.participant_id == participant_id,
                S.c.framework_id == framework_id,
                S.c.superseded.is_(False),
            )
            if round_id is not None:
                query = query.where(sa.or_(S.c.round_id.is_(None), S.c.round_id != round_id))
            else:
                query = query.where(S.c.round_id.is_not(None))
            return conn.execute(query.limit(1)).first() is not None

    def latest_response(
        self, participant_id: int, framework_id: str, round_id: int | None
    ) -> tuple[SubmissionInfo, dict[str, int | None], dict[str, int]] | None:
        """The current submission for a round with its answers and importance, or ``None``."""
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(S).where(
                    S.c.participant_id == participant_id,
                    S.c.framework_id == framework_id,
                    _same_round(S.c.round_id, round_id),
                    S.c.superseded.is_(False),
                )
            ).first()
        if row is None:
            return None
        answers, importance = self.submission_answers(row.id)
        return _submission_info(row), answers, importance

    # -- drafts ----------------------------------------------------------------------------
    def save_draft(
        self,
        participant_id: int,
        framework_id: str,
        round_id: int | None,
        answers: Mapping[str, int | None],
        importance: Mapping[str, int] | None = None,
        *,
        then: Mapping[str, int | None] | None = None,
        trends: Mapping[str, int | None] | None = None,
    ) -> None:
        """Keep unfinished answers so a refreshed page can carry on. Drafts are not validated
        against the framework (they may be partial), only for shape. ``then`` holds the
        then-test's answers so far (see :meth:`load_draft_then`), ``trends`` a health check's
        votes so far (see :meth:`load_draft_trends`)."""
        answers, importance = dict(answers), dict(importance or {})
        then = dict(then or {})
        trends = dict(trends or {})
        problems = (
            check_id("framework_id", framework_id)
            + check_entries("answers", answers, MAX_ENTRIES, "answers")
            + check_entries("importance", importance, MAX_ENTRIES, "ratings")
            + check_entries("then", then, MAX_ENTRIES, "answers")
            + check_entries("trends", trends, MAX_ENTRIES, "votes")
        )
        if not problems:
            for name, data in (("answers", answers), ("importance", importance),
                               ("then", then), ("trends", trends)):
                for k, v in data.items():
                    if id_problems := check_id(f"{name} id", k):
                        problems += id_problems
                    elif not (v is None or (isinstance(v, int) and not isinstance(v, bool))):
                        problems.append(
                            ResponseProblem(f"{name}[{k!r}]", v, "must be a whole number or None")
                        )
        if problems:
            raise InvalidResponse(problems, context="draft")
        where = (
            t.drafts.c.participant_id == participant_id,
            t.drafts.c.framework_id == framework_id,
            _same_round(t.drafts.c.round_id, round_id),
        )

        def work(conn: Connection) -> None:
            participant = self._participant_row(conn, participant_id, lock=True)
            self._check_round(conn, participant, round_id, for_submit=False)
            values = dict(answers=answers, importance=importance, then_ratings=then or None,
                          trend_votes=trends or None, updated_at=now())
            updated = conn.execute(t.drafts.update().where(*where).values(**values)).rowcount
            if not updated:
                conn.execute(
                    t.drafts.insert().values(
                        participant_id=participant_id,
                        framework_id=framework_id,
                        round_id=round_id,
                        **values,
                    )
                )

        self.db.transaction(work, what="save your draft")

    def load_draft(
        self, participant_id: int, framework_id: str, round_id: int | None
    ) -> tuple[dict[str, int | None], dict[str, int]] | None:
        """The saved draft's ``(answers, importance)``, or ``None`` when there is none."""
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(t.drafts.c.answers, t.drafts.c.importance).where(
                    t.drafts.c.participant_id == participant_id,
                    t.drafts.c.framework_id == framework_id,
                    _same_round(t.drafts.c.round_id, round_id),
                )
            ).first()
        return None if row is None else (dict(row.answers), dict(row.importance))

    def load_draft_trends(
        self, participant_id: int, framework_id: str, round_id: int | None
    ) -> dict[str, int | None]:
        """A health check's trend votes kept in the saved draft (empty when none, or no
        draft)."""
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(t.drafts.c.trend_votes).where(
                    t.drafts.c.participant_id == participant_id,
                    t.drafts.c.framework_id == framework_id,
                    _same_round(t.drafts.c.round_id, round_id),
                )
            ).first()
        return dict(row.trend_votes or {}) if row is not None else {}

    def load_draft_then(
        self, participant_id: int, framework_id: str, round_id: int | None
    ) -> dict[str, int | None]:
        """The then-test answers kept in the saved draft (empty when none, or no draft)."""
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(t.drafts.c.then_ratings).where(
                    t.drafts.c.participant_id == participant_id,
                    t.drafts.c.framework_id == framework_id,
                    _same_round(t.drafts.c.round_id, round_id),
                )
            ).first()
        return dict(row.then_ratings or {}) if row is not None else {}
