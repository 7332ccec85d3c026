"""Imported people keep the programme's own reference; indexes for cohort-wide loading.

Revision ID: 0008
Revises: 0002
Create Date: 2026-11-27

``participants.external_ref`` holds the reference a programme gave a person in its own
records (``kit import`` reads it from the CSV's ``person`` column), so that a person's earlier
rounds, imported from several files, stay one participant. It is unique within a cohort and
NULL for everyone who joined with a code. The indexes serve the dashboard's loading of one
cohort's current submissions in one round (``kit/store/_frames.py``).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_participants_cohort_id", "participants", ["cohort_id"], False),
    ("uq_participants_cohort_id_external_ref", "participants", ["cohort_id", "external_ref"], True),
    (
        "ix_submissions_round_id_framework_id_superseded",
        "submissions",
        ["round_id", "framework_id", "superseded"],
        False,
    ),
)


def upgrade() -> None:
    op.add_column("participants", sa.Column("external_ref", sa.String(200), nullable=True))
    for name, table, columns, unique in INDEXES:
        op.create_index(name, table, columns, unique=unique)


def downgrade() -> None:
    for name, table, _columns, _unique in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("external_ref")
