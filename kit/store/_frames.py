"""Long-form pandas tables for the analysis layer. pandas is imported only when asked for."""

from __future__ import annotations

import sqlalchemy as sa

from kit.content.models import Framework
from kit.store import tables as t
from kit.store._base import Repository

__all__ = [
    "FramesRepository",
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
TREND_COLUMNS = [
    "participant_id",
    "group_id",
    "group",
    "organisation",
    "sector",
    "role_level",
    "round_id",
    "round",
    "round_position",
    "dimension_id",
    "trend",
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
    "framework_version",
]

S, P, G, R = t.submissions, t.participants, t.groups, t.rounds


def _frame(rows, columns, floats=()):
    import pandas as pd

    df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for col in floats:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def _columns(rows, names):
    """A DataFrame built column by column from result rows (no per-row tuples kept)."""
    import pandas as pd

    if not rows:
        return pd.DataFrame({n: pd.Series(dtype="object") for n in names})
    return pd.DataFrame(dict(zip(names, map(list, zip(*rows, strict=True)), strict=True)))


class FramesRepository(Repository):
    """The pandas tables the analysis reads. Read only: no method here writes."""

    def _current_long(
        self,
        table: sa.Table,
        key_column: str,
        cohort_id: int,
        framework_id: str,
        out_columns: list[str],
        value_name: str,
        *,
        members_only: bool = False,
        round_id: int | None = None,
        group_id: int | None = None,
        versions: bool = False,
    ):
        """Current answers (or importance ratings) of one cohort as a long frame.

        Only the rows asked for are read (one round, one group, when given), and only a few
        narrow columns per row: who, which round, which item, what value. People and rounds
        are read once each and joined on in pandas, so a 100,000-person cohort does not send
        its organisation names millions of times over the connection.
        """
        import pandas as pd

        X = table
        where = [
            P.c.cohort_id == cohort_id,
            S.c.framework_id == framework_id,
            S.c.superseded.is_(False),
        ]
        if members_only:  # only people who were members when the round opened
            where.append(sa.or_(R.c.members_until.is_(None), P.c.created_at <= R.c.members_until))
        if round_id is not None:
            where.append(S.c.round_id == round_id)
        if group_id is not None:
            where.append(P.c.group_id == group_id)
        values = (
            sa.select(
                S.c.participant_id, S.c.round_id, X.c.id, X.c[key_column], X.c.value, S.c.id
            )
            .select_from(
                S.join(P, P.c.id == S.c.participant_id)
                .join(R, R.c.id == S.c.round_id)
                .join(X, X.c.submission_id == S.c.id)
            )
            .where(*where)
        )
        people_where = [P.c.cohort_id == cohort_id]
        if group_id is not None:
            people_where.append(P.c.group_id == group_id)
        people_query = (
            sa.select(P.c.id, P.c.group_id, G.c.name, P.c.organisation, P.c.sector, P.c.role_level)
            .select_from(P.outerjoin(G, G.c.id == P.c.group_id))
            .where(*people_where)
        )
        rounds_query = sa.select(R.c.id, R.c.name, R.c.position).where(R.c.cohort_id == cohort_id)
        with self.db.reading() as conn:
            rows = conn.execute(values).all()
            people = conn.execute(people_query).all() if rows else []
            rounds = conn.execute(rounds_query).all() if rows else []
        cols = out_columns + (["submission_id"] if versions else [])
        long = _columns(
            rows, ["participant_id", "round_id", "_order", key_column, value_name, "submission_id"]
        )
        if long.empty:
            return pd.DataFrame(
                {c: pd.Series(dtype="float64" if c == value_name else "object") for c in cols}
            )
        who = _columns(
            people, ["participant_id", "group_id", "group", "organisation", "sector", "role_level"]
        )
        when = _columns(rounds, ["round_id", "round", "round_position"])
        frame = long.merge(who, on="participant_id", how="left").merge(
            when, on="round_id", how="left"
        )
        frame = frame.sort_values(["round_position", "participant_id", "_order"], kind="stable")
        frame[value_name] = pd.to_numeric(frame[value_name], errors="coerce").astype("float64")
        return frame[cols].reset_index(drop=True)

    def responses_frame(
        self,
        cohort_id: int,
        framework_id: str,
        *,
        members_only: bool = False,
        round_id: int | None = None,
        group_id: int | None = None,
        versions: bool = False,
    ):
        """One row per answer in the current submission of each participant and round.

        Columns: participant_id, group_id, group, organisation, sector, role_level, round_id,
        round, round_position, item_id, value (float; NaN = not applicable), and with
        ``versions`` a last column submission_id. ``members_only`` keeps only people who were
        members when each round opened. With ``round_id`` or ``group_id`` only that round or
        group is read from the database: one round of a three-round cohort reads a third of
        the rows.
        """
        return self._current_long(
            t.answers,
            "item_id",
            cohort_id,
            framework_id,
            RESPONSE_COLUMNS,
            "value",
            members_only=members_only,
            round_id=round_id,
            group_id=group_id,
            versions=versions,
        )

    def importance_frame(
        self,
        cohort_id: int,
        framework_id: str,
        *,
        members_only: bool = False,
        round_id: int | None = None,
        group_id: int | None = None,
        versions: bool = False,
    ):
        """One row per importance rating in each current submission.

        Columns: participant_id, group_id, group, organisation, sector, round_id, round,
        round_position, dimension_id, importance (and with ``versions``, submission_id).
        ``members_only``, ``round_id`` and ``group_id`` as for :meth:`responses_frame`.
        """
        return self._current_long(
            t.importance,
            "dimension_id",
            cohort_id,
            framework_id,
            IMPORTANCE_COLUMNS,
            "importance",
            members_only=members_only,
            round_id=round_id,
            group_id=group_id,
            versions=versions,
        )


    def trend_frame(
        self,
        cohort_id: int,
        framework_id: str,
        *,
        members_only: bool = False,
        round_id: int | None = None,
        group_id: int | None = None,
    ):
        """One row per "better, the same or worse?" answer in each current submission.

        Columns as :data:`TREND_COLUMNS`; ``trend`` is 1 (better), 0 (the same), -1 (worse) or
        NaN ("first time or don't know"). Arguments as for :meth:`responses_frame`.
        """
        return self._current_long(
            t.trend_votes,
            "dimension_id",
            cohort_id,
            framework_id,
            TREND_COLUMNS,
            "trend",
            members_only=members_only,
            round_id=round_id,
            group_id=group_id,
        )

    def participation(self, cohort_id: int):
        """Counted members and responders per group and round (any framework counts).

        A round counts the people who had joined when it opened (everyone who has joined, while
        it is not open yet); ``members`` is how many it counts and ``responded`` how many of
        them have answered. Columns: group, round, members, responded; rows by group, then
        round order.
        """
        with self.db.reading() as conn:
            groups = conn.execute(
                sa.select(G.c.id, G.c.name).where(G.c.cohort_id == cohort_id).order_by(G.c.id)
            ).all()
            rounds = conn.execute(
                sa.select(R.c.id, R.c.name, R.c.members_until)
                .where(R.c.cohort_id == cohort_id).order_by(R.c.position)
            ).all()
            joined = conn.execute(
                sa.select(P.c.group_id, P.c.created_at).where(P.c.cohort_id == cohort_id)
            ).all()
            answered = conn.execute(
                sa.select(P.c.group_id, S.c.round_id, P.c.id, P.c.created_at)
                .select_from(S.join(P, P.c.id == S.c.participant_id))
                .where(P.c.cohort_id == cohort_id, S.c.superseded.is_(False))
                .distinct()
            ).all()
        rows = []
        for g in groups:
            for r in rounds:
                def counts(at, cut=r.members_until):
                    return cut is None or at <= cut

                members = sum(1 for gid, at in joined if gid == g.id and counts(at))
                responded = len({pid for gid, rid, pid, at in answered
                                 if gid == g.id and rid == r.id and counts(at)})
                rows.append((g.name, r.name, members, responded))
        return _frame(rows, PARTICIPATION_COLUMNS)

    def participant_scores(self, participant_id: int, framework: Framework | str):
        """A participant's current answers in every round, scored, in long form.

        ``framework`` is a :class:`Framework` or its id (loaded with ``load_framework``); it
        supplies each item's dimension and reverse keying. Columns: participant_id,
        submission_id, submitted_at, round_id, round, round_position, dimension_id, item_id,
        value (the answer as given; NaN = not applicable), score (reverse-keyed items
        flipped) and framework_version (the edition answered). Answers without a round
        (private use) have round "" and position -1.

        Each answer is read under the edition it was given to: answers to an earlier edition
        that the kit keeps (:func:`kit.content.load_edition`) come with that edition's
        dimensions; answers to an edition no longer kept are left out.
        """
        from kit.content import load_edition
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
                S.c.framework_version,
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
        with self.db.reading() as conn:
            rows = conn.execute(query).all()
        editions = {fw.version: fw}
        order: dict[tuple[int, str], int] = {}
        out = []
        for sid, at, rid, rname, rpos, item_id, value, version in rows:
            version = fw.version if version is None else int(version)
            if version not in editions:
                editions[version] = load_edition(fw, version)
            edition = editions[version]
            if edition is None:
                continue  # an edition the kit no longer keeps: its answers cannot be read
            if not order or (version, item_id) not in order:
                order.update({(version, i.id): n for n, i in enumerate(edition.items)})
            if (version, item_id) not in order:  # an item retired within the edition
                continue
            item, dim = edition.item(item_id), edition.dimension_of(item_id)
            score = (edition.scale.score(value, item.reverse)
                     if edition.scale.is_valid(value) else None)
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
                    version,
                )
            )
        out.sort(key=lambda r: (r[5], order[(r[10], r[7])]))
        df = _frame(out, SCORE_COLUMNS, floats=("value", "score"))
        df["round_id"] = df["round_id"].astype("Int64")
        return df
