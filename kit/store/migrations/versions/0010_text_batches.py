"""Shared free text released in batches across the whole cohort, independent of rounds.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

* ``text_batches``: when a batch of shared answers to one exercise was released in a cohort,
  and how many texts it showed.
* ``released_texts``: the texts the latest batch shows (copies, so an edit or an un-share does
  not change the view until the next batch), each deleted with its writer on erasure.

Texts no longer travel inside result snapshots; old snapshots keep their ``comments`` entry,
which nothing reads any more.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OPTS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.create_table(
        "text_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer,
                  sa.ForeignKey("cohorts.id", ondelete="CASCADE",
                                name="fk_text_batches_cohort_id_cohorts"), nullable=False),
        sa.Column("exercise_id", sa.String(100), nullable=False),
        sa.Column("released_at", sa.DateTime, nullable=False),
        sa.Column("texts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_text_batches"),
        **_OPTS,
    )
    op.create_index("ix_text_batches_cohort_id_exercise_id", "text_batches",
                    ["cohort_id", "exercise_id"])
    op.create_table(
        "released_texts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer,
                  sa.ForeignKey("text_batches.id", ondelete="CASCADE",
                                name="fk_released_texts_batch_id_text_batches"), nullable=False),
        sa.Column("participant_id", sa.Integer,
                  sa.ForeignKey("participants.id", ondelete="CASCADE",
                                name="fk_released_texts_participant_id_participants"),
                  nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_released_texts"),
        **_OPTS,
    )
    op.create_index("ix_released_texts_batch_id", "released_texts", ["batch_id"])
    op.create_index("ix_released_texts_participant_id", "released_texts", ["participant_id"])


def downgrade() -> None:
    op.drop_index("ix_released_texts_participant_id", table_name="released_texts")
    op.drop_index("ix_released_texts_batch_id", table_name="released_texts")
    op.drop_table("released_texts")
    op.drop_index("ix_text_batches_cohort_id_exercise_id", table_name="text_batches")
    op.drop_table("text_batches")
