"""The round lifecycle: when a round closed, what changed who counts, and members' objections.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

* ``rounds.closed_at``: when the round closed; its results were published then and are final.
  Existing closed rounds keep NULL (closed before this release).
* ``membership_events``: each import of counted members (set-up key only) and each round taken
  back to "not open yet"; shown on the facilitator dashboard.
* ``count_objections``: a member's "This does not match my group" about the count of their
  group in a round; unresolved, it holds that group's results.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_OPTS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.add_column("rounds", sa.Column("closed_at", sa.DateTime, nullable=True))
    op.create_table(
        "membership_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer,
                  sa.ForeignKey("cohorts.id", ondelete="CASCADE",
                                name="fk_membership_events_cohort_id_cohorts"), nullable=False),
        sa.Column("round_id", sa.Integer,
                  sa.ForeignKey("rounds.id", ondelete="CASCADE",
                                name="fk_membership_events_round_id_rounds"), nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("people", sa.Integer, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_membership_events"),
        **_OPTS,
    )
    op.create_index("ix_membership_events_cohort_id", "membership_events", ["cohort_id"])
    op.create_table(
        "count_objections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer,
                  sa.ForeignKey("cohorts.id", ondelete="CASCADE",
                                name="fk_count_objections_cohort_id_cohorts"), nullable=False),
        sa.Column("round_id", sa.Integer,
                  sa.ForeignKey("rounds.id", ondelete="CASCADE",
                                name="fk_count_objections_round_id_rounds"), nullable=False),
        sa.Column("group_id", sa.Integer,
                  sa.ForeignKey("groups.id", ondelete="CASCADE",
                                name="fk_count_objections_group_id_groups"), nullable=False),
        sa.Column("participant_id", sa.Integer,
                  sa.ForeignKey("participants.id", ondelete="SET NULL",
                                name="fk_count_objections_participant_id_participants"),
                  nullable=True),
        sa.Column("counted", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("resolved_at", sa.DateTime, nullable=True),
        sa.Column("resolution", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_count_objections"),
        **_OPTS,
    )
    op.create_index("ix_count_objections_cohort_id", "count_objections", ["cohort_id"])
    op.create_index("ix_count_objections_participant_id", "count_objections", ["participant_id"])


def downgrade() -> None:
    op.drop_table("count_objections")
    op.drop_table("membership_events")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("closed_at")
