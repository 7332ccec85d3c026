"""A language for each cohort (its default) and for each person (their own choice).

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-27

Both columns are optional: NULL means "not chosen", so a person follows their cohort and a
cohort follows the server's default (``KIT_LANGUAGE``, else English). Values are language codes
such as ``en``, ``cy`` or ``pt-BR``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN of a nullable column works in place on SQLite too: no table rebuild.
    op.add_column("cohorts", sa.Column("language", sa.String(20), nullable=True))
    op.add_column("participants", sa.Column("language", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("language")
