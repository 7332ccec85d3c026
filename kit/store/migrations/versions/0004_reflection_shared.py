"""A reflection's answer to its exercise's shared step is pooled only with the writer's consent.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-27

``reflections.shared`` records that choice. It is off for every existing entry: nothing written
before this change was shared with an explicit yes, so nothing is shared until its writer says so.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN with a constant default works in place on SQLite too: no table rebuild.
    op.add_column(
        "reflections",
        sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("reflections") as batch:
        batch.drop_column("shared")
