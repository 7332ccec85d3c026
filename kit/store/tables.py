"""The tables, as they stand at the newest migration.

The migration scripts in :mod:`kit.store.migrations` build this schema step by step; a test
checks that the two agree. Every participant-owned table hangs off ``participants`` with
``ON DELETE CASCADE``, so erasing a participant can never leave a row behind.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "metadata",
    "cohorts",
    "groups",
    "participants",
    "rounds",
    "submissions",
    "answers",
    "importance",
    "then_ratings",
    "trend_votes",
    "drafts",
    "reflections",
    "reflection_steps",
    "commitments",
    "relationships",
    "result_snapshots",
    "snapshot_members",
    "installation",
    "membership_events",
    "count_objections",
    "group_steps",
    "extra_join_codes",
    "PARTICIPANT_TABLES",
]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

_NAME = 200  # short labels: names, organisations, sectors
_ID = 100  # framework, item, dimension, exercise and step ids
_HASH = 64  # hex SHA-256
_CASCADE = {"ondelete": "CASCADE"}
# SQLite would otherwise reuse the id of a deleted last row: an erased participant's id could
# pass to the next person to join. AUTOINCREMENT never hands an id out twice.
_TABLE_OPTIONS = {"sqlite_autoincrement": True}

cohorts = sa.Table(
    "cohorts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(_NAME), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("facilitator_key_hash", sa.String(_HASH), nullable=False, unique=True),
    sa.Column("frameworks", sa.JSON, nullable=False),
    sa.Column("language", sa.String(20)),  # added in migration 0009: the cohort's default
    # added in migration 0005: NULL means the shipped frameworks, and no organisation list
    sa.Column("self_framework", sa.String(_ID)),
    sa.Column("team_framework", sa.String(_ID)),
    sa.Column("organisations", sa.JSON),
    **_TABLE_OPTIONS,
)

groups = sa.Table(
    "groups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=False),
    sa.Column("name", sa.String(_NAME), nullable=False),
    sa.Column("join_code_hash", sa.String(_HASH), nullable=False, unique=True),
    sa.UniqueConstraint("cohort_id", "name"),
    **_TABLE_OPTIONS,
)

# Added in migration 0017: more codes that join a group besides its own (groups.join_code_hash),
# issued with the set-up key (for a sheet already handed out); recorded in membership_events.
extra_join_codes = sa.Table(
    "extra_join_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("group_id", sa.ForeignKey("groups.id", **_CASCADE), nullable=False, index=True),
    sa.Column("join_code_hash", sa.String(_HASH), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    **_TABLE_OPTIONS,
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=True, index=True),
    sa.Column("group_id", sa.ForeignKey("groups.id", **_CASCADE), nullable=True, index=True),
    sa.Column("display_name", sa.String(_NAME)),
    sa.Column("organisation", sa.String(_NAME)),
    sa.Column("sector", sa.String(_NAME)),
    sa.Column("role_level", sa.String(_NAME)),
    sa.Column("resume_code_hash", sa.String(_HASH), unique=True),
    sa.Column("hub_user", sa.String(_NAME), unique=True),
    sa.Column("private_label", sa.String(_NAME), unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("language", sa.String(20)),  # added in migration 0009: the person's choice
    # The programme's own reference for a person brought in by ``kit import`` (migration 0008).
    sa.Column("external_ref", sa.String(_NAME)),
    sa.Index("uq_participants_cohort_id_external_ref", "cohort_id", "external_ref", unique=True),
    **_TABLE_OPTIONS,
)

rounds = sa.Table(
    "rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # A round belongs to a cohort, or (for private use) to one participant.
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=True),
    sa.Column("owner_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=True),
    sa.Column("name", sa.String(_NAME), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False),
    # Added in migration 0003: when the round was last opened, and whose answers it counts
    # (people who were members by ``members_until``; NULL: no cut-off, as before 0003).
    sa.Column("opened_at", sa.DateTime),
    sa.Column("members_until", sa.DateTime),
    sa.Column("membership_reopened_at", sa.DateTime),
    # Added in migration 0010: when the round closed. A closed round's results are final.
    sa.Column("closed_at", sa.DateTime),
    sa.UniqueConstraint("cohort_id", "name"),
    sa.UniqueConstraint("owner_id", "name"),
    **_TABLE_OPTIONS,
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("participant_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=False),
    sa.Column("framework_id", sa.String(_ID), nullable=False),
    sa.Column("round_id", sa.ForeignKey("rounds.id", **_CASCADE), nullable=True, index=True),
    sa.Column("client_key", sa.String(_ID), nullable=False),
    sa.Column("submitted_at", sa.DateTime, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("superseded", sa.Boolean, nullable=False),
    # added in migration 0015: the edition of the framework the answers were given to
    sa.Column("framework_version", sa.Integer, nullable=False, server_default="1"),
    sa.UniqueConstraint("participant_id", "client_key"),
    # At most one current submission per participant, framework and round.
    sa.Index(
        "uq_submissions_current",
        "participant_id",
        "framework_id",
        "round_id",
        unique=True,
        sqlite_where=sa.text("superseded = 0"),
        postgresql_where=sa.text("NOT superseded"),
    ),
    sa.Index(None, "round_id", "framework_id", "superseded"),
    **_TABLE_OPTIONS,
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.ForeignKey("submissions.id", **_CASCADE), nullable=False),
    sa.Column("item_id", sa.String(_ID), nullable=False),
    sa.Column("value", sa.Integer, nullable=True),  # NULL = not applicable
    sa.UniqueConstraint("submission_id", "item_id"),
    **_TABLE_OPTIONS,
)

importance = sa.Table(
    "importance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.ForeignKey("submissions.id", **_CASCADE), nullable=False),
    sa.Column("dimension_id", sa.String(_ID), nullable=False),
    sa.Column("value", sa.Integer, nullable=False),
    sa.UniqueConstraint("submission_id", "dimension_id"),
    **_TABLE_OPTIONS,
)

# Added in migration 0016: a later round's "looking back, how often did you do this before the
# programme?" per area (a then-test). NULL value: "Not sure"; no row: not answered.
then_ratings = sa.Table(
    "then_ratings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.ForeignKey("submissions.id", **_CASCADE), nullable=False),
    sa.Column("dimension_id", sa.String(_ID), nullable=False),
    sa.Column("value", sa.Integer, nullable=True),
    sa.UniqueConstraint("submission_id", "dimension_id"),
    **_TABLE_OPTIONS,
)

#: A team health check's "better, the same or worse since last time?" per area (migration
#: 0018): 1 better, 0 the same, -1 worse, NULL "first time or don't know". Optional: an area
#: nobody voted on has no row.
trend_votes = sa.Table(
    "trend_votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.ForeignKey("submissions.id", **_CASCADE), nullable=False),
    sa.Column("dimension_id", sa.String(_ID), nullable=False),
    sa.Column("value", sa.Integer, nullable=True),
    sa.UniqueConstraint("submission_id", "dimension_id"),
    **_TABLE_OPTIONS,
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("participant_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=False),
    sa.Column("framework_id", sa.String(_ID), nullable=False),
    sa.Column("round_id", sa.ForeignKey("rounds.id", **_CASCADE), nullable=True),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("importance", sa.JSON, nullable=False),
    sa.Column("then_ratings", sa.JSON),  # added in migration 0016: the then-test's answers
    sa.Column("trend_votes", sa.JSON),  # added in migration 0018: a health check's trend votes
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index(None, "participant_id", "framework_id", "round_id"),
    **_TABLE_OPTIONS,
)

reflections = sa.Table(
    "reflections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "participant_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=False, index=True
    ),
    sa.Column("exercise_id", sa.String(_ID), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("finished", sa.Boolean, nullable=False),
    sa.Column("include_in_report", sa.Boolean, nullable=False),
    # The writer agreed that the answer to the exercise's shared step may be pooled, without
    # their name, in the group's "In their words" view. Off unless they say yes (migration 0004).
    sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
    # The commitment a "reviewing a commitment" entry reviews (migration 0015); NULL otherwise.
    sa.Column("commitment_id", sa.Integer, nullable=True),
    **_TABLE_OPTIONS,
)

reflection_steps = sa.Table(
    "reflection_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reflection_id", sa.ForeignKey("reflections.id", **_CASCADE), nullable=False),
    sa.Column("step_id", sa.String(_ID), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("reflection_id", "step_id"),
    **_TABLE_OPTIONS,
)

commitments = sa.Table(
    "commitments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "participant_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=False, index=True
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("dimension_id", sa.String(_ID)),
    sa.Column("due", sa.Date),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("review_note", sa.Text),
    sa.Column("reviewed_at", sa.DateTime),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'dropped')", name="status"),
    **_TABLE_OPTIONS,
)

relationships = sa.Table(
    "relationships",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "participant_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=False, index=True
    ),
    sa.Column("label", sa.String(_NAME), nullable=False),
    sa.Column("organisation", sa.String(_NAME)),
    sa.Column("sector", sa.String(_NAME)),
    sa.Column("contact", sa.String(20), nullable=False),
    sa.Column("strength", sa.Integer, nullable=False),
    sa.Column("trust", sa.Integer, nullable=False),
    sa.Column("last_contact", sa.Date),  # added in migration 0002
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.CheckConstraint("contact IN ('weekly', 'monthly', 'quarterly', 'rarely')", name="contact"),
    sa.CheckConstraint("strength BETWEEN 1 AND 5", name="strength"),
    sa.CheckConstraint("trust BETWEEN 1 AND 5", name="trust"),
    **_TABLE_OPTIONS,
)

result_snapshots = sa.Table(
    "result_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=False),
    sa.Column("round_id", sa.ForeignKey("rounds.id", **_CASCADE), nullable=False),
    sa.Column("framework_id", sa.String(_ID), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.String(_NAME), nullable=False),
    # Only suppressed, rounded group summaries and ids of shared texts: never an answer.
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Index(None, "cohort_id", "round_id", "framework_id"),
    **_TABLE_OPTIONS,
)

snapshot_members = sa.Table(
    "snapshot_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("snapshot_id", sa.ForeignKey("result_snapshots.id", **_CASCADE), nullable=False,
              index=True),
    # Set to NULL when the participant is erased: the slot stays, with no answers and no name,
    # so later snapshots are still planned against what earlier ones showed.
    sa.Column("participant_id", sa.ForeignKey("participants.id", ondelete="SET NULL"),
              nullable=True, index=True),
    sa.Column("submission_id", sa.Integer, nullable=False),
    sa.Column("attrs", sa.JSON, nullable=False),
    sa.Column("keys", sa.JSON, nullable=False),
    **_TABLE_OPTIONS,
)

# Shared free text is released in batches across the whole cohort, independent of rounds
# (migration 0010; see kit/analysis/free_text.py and docs/confidentiality.md). A batch records
# when it was released and how many texts it showed; its texts are copies of what was shown,
# deleted with their writer on erasure (so a batch that lost one is known to be stale).
text_batches = sa.Table(
    "text_batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=False),
    sa.Column("exercise_id", sa.String(_ID), nullable=False),
    sa.Column("released_at", sa.DateTime, nullable=False),
    sa.Column("texts", sa.Integer, nullable=False),
    sa.Index(None, "cohort_id", "exercise_id"),
    **_TABLE_OPTIONS,
)

released_texts = sa.Table(
    "released_texts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.ForeignKey("text_batches.id", **_CASCADE), nullable=False,
              index=True),
    sa.Column("participant_id", sa.ForeignKey("participants.id", **_CASCADE), nullable=False,
              index=True),
    sa.Column("text", sa.Text, nullable=False),
    **_TABLE_OPTIONS,
)

# Added in migration 0010: what changed who counts, with the set-up key (an import of counted
# members) or by the round's lifecycle (a round opened and closed again before any answer).
# Shown on the dashboard, so padding a group cannot be done unseen.
membership_events = sa.Table(
    "membership_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=False, index=True),
    sa.Column("round_id", sa.ForeignKey("rounds.id", **_CASCADE), nullable=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("people", sa.Integer, nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
    **_TABLE_OPTIONS,
)

# Added in migration 0010: "This does not match my group", said by a member about the count
# of their group in a round. Unresolved, it holds the group's results at close. Erasing the
# member keeps the objection with no name (participant_id set to NULL).
count_objections = sa.Table(
    "count_objections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=False, index=True),
    sa.Column("round_id", sa.ForeignKey("rounds.id", **_CASCADE), nullable=False),
    sa.Column("group_id", sa.ForeignKey("groups.id", **_CASCADE), nullable=False),
    sa.Column("participant_id", sa.ForeignKey("participants.id", ondelete="SET NULL"),
              nullable=True, index=True),
    sa.Column("counted", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("resolved_at", sa.DateTime),
    sa.Column("resolution", sa.String(_NAME)),
    **_TABLE_OPTIONS,
)

# Added in migration 0016: the steps a group agreed at the end of a session, recorded by the
# facilitator on the dashboard and shown when the next session opens. Group-level, worded
# without an owner: not personal data.
group_steps = sa.Table(
    "group_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", **_CASCADE), nullable=False),
    sa.Column("group_id", sa.ForeignKey("groups.id", **_CASCADE), nullable=False),
    sa.Column("round_id", sa.ForeignKey("rounds.id", **_CASCADE), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index(None, "group_id", "round_id"),
    **_TABLE_OPTIONS,
)

installation = sa.Table(
    "installation",
    metadata,
    sa.Column("name", sa.String(_ID), primary_key=True),
    sa.Column("value", sa.String(_NAME), nullable=False),
)

#: Tables holding one participant's own rows, erased with them (children first).
PARTICIPANT_TABLES = (drafts, reflections, commitments, relationships, submissions)
