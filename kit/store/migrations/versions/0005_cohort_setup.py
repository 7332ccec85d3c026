"""A cohort names its frameworks and lists its partner organisations.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-27

``cohorts.self_framework`` and ``cohorts.team_framework`` hold the ids of the self-assessment
and the team health check the cohort's apps and dashboard use; ``cohorts.organisations`` is the
list of partner organisations offered when someone joins. All three are optional: an existing
cohort keeps NULL, which reads as the shipped frameworks and no list (joiners type their
organisation under "Other").
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (
    ("self_framework", sa.String(100)),
    ("team_framework", sa.String(100)),
    ("organisations", sa.JSON),
)


def upgrade() -> None:
    # ADD COLUMN of a nullable column works in place on SQLite too: no table rebuild.
    for name, kind in COLUMNS:
        op.add_column("cohorts", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
