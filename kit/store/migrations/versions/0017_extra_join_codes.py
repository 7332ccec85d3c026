"""Extra join codes: a second (or third) valid code for a group, issued with the set-up key.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

A group's own code stays in ``groups.join_code_hash``. An extra code joins the same group (for
example for a printed sheet already handed out, while its code is kept working); each is kept
scrambled, like every code. Issuing one is recorded in ``membership_events``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_OPTS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.create_table(
        "extra_join_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("group_id", sa.Integer,
                  sa.ForeignKey("groups.id", ondelete="CASCADE",
                                name="fk_extra_join_codes_group_id_groups"), nullable=False),
        sa.Column("join_code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_extra_join_codes"),
        sa.UniqueConstraint("join_code_hash", name="uq_extra_join_codes_join_code_hash"),
        **_OPTS,
    )
    op.create_index("ix_extra_join_codes_group_id", "extra_join_codes", ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_extra_join_codes_group_id", table_name="extra_join_codes")
    op.drop_table("extra_join_codes")
