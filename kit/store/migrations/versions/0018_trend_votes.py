"""A team health check asks, per area, "better, the same or worse since last time?".

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

``trend_votes`` keeps each submission's answer per area: 1 better, 0 the same, -1 worse, NULL
"first time or don't know". The question is optional, so existing submissions simply have no
votes; nothing earlier is read differently.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trend_votes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer,
                  sa.ForeignKey("submissions.id", ondelete="CASCADE",
                                name="fk_trend_votes_submission_id_submissions"),
                  nullable=False),
        sa.Column("dimension_id", sa.String(100), nullable=False),
        sa.Column("value", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_trend_votes"),
        sa.UniqueConstraint("submission_id", "dimension_id",
                            name="uq_trend_votes_submission_id_dimension_id"),
        sqlite_autoincrement=True,
    )
    # the votes of an unfinished health check, kept with its draft (JSON, NULL when none)
    op.add_column("drafts", sa.Column("trend_votes", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("trend_votes")
    op.drop_table("trend_votes")
