"""Long-form pandas tables for the analysis layer. pandas is imported only when asked for."""

from __future__ import annotations

import sqlalchemy as sa

from kit.content.models import Framework
from kit.store import tables as t
from kit.store._base import StoreBase

__all__ = [
    "FramesMixin",
    "RESPONSE_COLUMNS",
    "IMPORTANCE_COLUMNS",
    "PARTICIPATION_COLUMNS",
    "SCORE_COLUMNS",
]

RESPONSE_COLUMNS = [
    "participant_id",
    "group_id",
    "group",
    "organisation",
    "sector",
    "role_level",
    "round_id",
    "round",
    "round_position",
    "item_id",
    "value",
]
IMPORTANCE_COLUMNS = [
    "participant_id",
    "group_id",
    "group",
    "organisation",
    "sector",
    "round_id",
    "round",
    "round_position",
    "dimension_id",
    "importance",
]
PARTICIPATION_COLUMNS = ["group", "round", "members", "responded"]
SCORE_COLUMNS = [
    "participant_id",
    "submission_id",
    "submitted_at",
    "round_id",
    "round",
    "round_position",
    "dimension_id",
    "item_id",
    "value",
    "score",
]

S, P, G, R = t.submissions, t.participants, t.groups, t.rounds


def _frame(rows, columns, floats=()):
    import pandas as pd

    df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for col in floats:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def _latest_in_cohort(cohort_id: int, framework_id: str, members_only: bool = False,
                      round_id: int | None = None):
    where = [P.c.cohort_id == cohort_id, S.c.framework_id == framework_id,
             S.c.superseded.is_(False)]
    if members_only:  # only people who were members when the round opened
        where.append(sa.or_(R.c.members_until.is_(None), P.c.created_at <= R.c.members_until))
    if round_id is not None:
        where.append(S.c.round_id == round_id)
    return (
        S.join(P, P.c.id == S.c.participant_id)
        .outerjoin(G, G.c.id == P.c.group_id)
        .join(R, R.c.id == S.c.round_id),
        tuple(where),
    )


class FramesMixin(StoreBase):
    def responses_frame(self, cohort_id: int, framework_id: str, *, members_only: bool = False,
                        round_id: int | None = None, versions: bool = False):
        """One row per answer in the current submission of each participant and round.

        Columns: participant_id, group_id, group, organisation, sector, role_level, round_id,
        round, round_position, item_id, value (float; NaN = not applicable), and with
        ``versions`` a last column submission_id. ``members_only`` keeps only people who were
        members when each round opened; ``round_id`` reads one round.
        """
        joined, where = _latest_in_cohort(cohort_id, framework_id, members_only, round_id)
        A = t.answers
        query = (
            sa.select(
                P.c.id,
                P.c.group_id,
                G.c.name,
                P.c.organisation,
                P.c.sector,
                P.c.role_level,
                R.c.id,
                R.c.name,
                R.c.position,
                A.c.item_id,
                A.c.value,
                *([S.c.id] if versions else []),
            )
            .select_from(joined.join(A, A.c.submission_id == S.c.id))
            .where(*where)
            .order_by(R.c.position, P.c.id, A.c.id)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        cols = RESPONSE_COLUMNS + (["submission_id"] if versions else [])
        return _frame(rows, cols, floats=("value",))

    def importance_frame(self, cohort_id: int, framework_id: str, *, members_only: bool = False,
                        round_id: int | None = None, versions: bool = False):
        """One row per importance rating in each current submission.

        Columns: participant_id, group_id, group, organisation, sector, round_id, round,
        round_position, dimension_id, importance (and with ``versions``, submission_id).
        """
        joined, where = _latest_in_cohort(cohort_id, framework_id, members_only, round_id)
        I = t.importance  # noqa: E741
        query = (
            sa.select(
                P.c.id,
                P.c.group_id,
                G.c.name,
                P.c.organisation,
                P.c.sector,
                R.c.id,
                R.c.name,
                R.c.position,
                I.c.dimension_id,
                I.c.value,
                *([S.c.id] if versions else []),
            )
            .select_from(joined.join(I, I.c.submission_id == S.c.id))
            .where(*where)
            .order_by(R.c.position, P.c.id, I.c.id)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        cols = IMPORTANCE_COLUMNS + (["submission_id"] if versions else [])
        return _frame(rows, cols, floats=("importance",))

    def participation(self, cohort_id: int):
        """Members and responders per group and round (any framework counts as responding).

        Columns: group, round, members, responded; rows by group, then round order.
        """
        with self._read() as conn:
            groups = conn.execute(
                sa.select(G.c.id, G.c.name).where(G.c.cohort_id == cohort_id).order_by(G.c.id)
            ).all()
            rounds = conn.execute(
                sa.select(R.c.id, R.c.name).where(R.c.cohort_id == cohort_id).order_by(R.c.position)
            ).all()
            members = dict(
                conn.execute(
                    sa.select(P.c.group_id, sa.func.count())
                    .where(P.c.cohort_id == cohort_id)
                    .group_by(P.c.group_id)
                ).all()
            )
            responded = {
                (g, r): n
                for g, r, n in conn.execute(
                    sa.select(
                        P.c.group_id, S.c.round_id, sa.func.count(sa.distinct(S.c.participant_id))
                    )
                    .select_from(S.join(P, P.c.id == S.c.participant_id))
                    .where(P.c.cohort_id == cohort_id, S.c.superseded.is_(False))
                    .group_by(P.c.group_id, S.c.round_id)
                ).all()
            }
        rows = [
            (g.name, r.name, int(members.get(g.id, 0)), int(responded.get((g.id, r.id), 0)))
            for g in groups
            for r in rounds
        ]
        return _frame(rows, PARTICIPATION_COLUMNS)

    def participant_scores(self, participant_id: int, framework: Framework | str):
        """A participant's current answers in every round, scored, in long form.

        ``framework`` is a :class:`Framework` or its id (loaded with ``load_framework``); it
        supplies each item's dimension and reverse keying. Columns: participant_id,
        submission_id, submitted_at, round_id, round, round_position, dimension_id, item_id,
        value (the answer as given; NaN = not applicable) and score (reverse-keyed items
        flipped). Answers without a round (private use) have round "" and position -1.
        """
        from kit.store._responses import resolve_framework

        fw = resolve_framework(framework)
        A = t.answers
        query = (
            sa.select(
                S.c.id,
                S.c.submitted_at,
                S.c.round_id,
                R.c.name,
                R.c.position,
                A.c.item_id,
                A.c.value,
            )
            .select_from(
                S.outerjoin(R, R.c.id == S.c.round_id).join(A, A.c.submission_id == S.c.id)
            )
            .where(
                S.c.participant_id == participant_id,
                S.c.framework_id == fw.id,
                S.c.superseded.is_(False),
            )
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        order = {item.id: n for n, item in enumerate(fw.items)}
        out = []
        for sid, at, rid, rname, rpos, item_id, value in rows:
            if item_id not in order:  # the framework has changed since: leave old items out
                continue
            item, dim = fw.item(item_id), fw.dimension_of(item_id)
            score = fw.scale.score(value, item.reverse) if fw.scale.is_valid(value) else None
            out.append(
                (
                    participant_id,
                    sid,
                    at,
                    rid,
                    rname or "",
                    -1 if rpos is None else rpos,
                    dim.id,
                    item_id,
                    value,
                    score,
                )
            )
        out.sort(key=lambda r: (r[5], order[r[7]]))
        df = _frame(out, SCORE_COLUMNS, floats=("value", "score"))
        df["round_id"] = df["round_id"].astype("Int64")
        return df
