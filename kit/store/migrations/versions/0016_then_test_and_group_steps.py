"""A later round's "looking back" rating per area, and the steps a group agreed in a session.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

``then_ratings``: in any round after the first one a person answered, the self-assessment asks
once per area "Looking back, how often did you do this before the programme?" (a then-test). One
row per area answered, on the framework's own count scale; ``value`` NULL means "Not sure". An
area left unanswered has no row. The rows belong to their submission and go with it.

``drafts.then_ratings``: the then-test answers of an unfinished self-assessment (JSON, NULL when
none), kept beside its answers and importance ratings.

``group_steps``: the steps a group agreed at the end of a session (short texts, worded without
an owner), per group and round, written by the facilitator. Group-level, not personal data; they
go with their cohort, group or round.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "then_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer,
                  sa.ForeignKey("submissions.id", ondelete="CASCADE",
                                name="fk_then_ratings_submission_id_submissions"),
                  nullable=False),
        sa.Column("dimension_id", sa.String(100), nullable=False),
        sa.Column("value", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_then_ratings"),
        sa.UniqueConstraint("submission_id", "dimension_id",
                            name="uq_then_ratings_submission_id_dimension_id"),
        sqlite_autoincrement=True,
    )
    # ADD COLUMN of a nullable column works in place on SQLite too: no table rebuild.
    op.add_column("drafts", sa.Column("then_ratings", sa.JSON, nullable=True))
    op.create_table(
        "group_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer,
                  sa.ForeignKey("cohorts.id", ondelete="CASCADE",
                                name="fk_group_steps_cohort_id_cohorts"), nullable=False),
        sa.Column("group_id", sa.Integer,
                  sa.ForeignKey("groups.id", ondelete="CASCADE",
                                name="fk_group_steps_group_id_groups"), nullable=False),
        sa.Column("round_id", sa.Integer,
                  sa.ForeignKey("rounds.id", ondelete="CASCADE",
                                name="fk_group_steps_round_id_rounds"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_group_steps"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_group_steps_group_id_round_id", "group_steps", ["group_id", "round_id"])


def downgrade() -> None:
    op.drop_index("ix_group_steps_group_id_round_id", table_name="group_steps")
    op.drop_table("group_steps")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("then_ratings")
    op.drop_table("then_ratings")
