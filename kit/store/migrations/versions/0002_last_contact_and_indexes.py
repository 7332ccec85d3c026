"""Relationships remember when you were last in touch; indexes for the busy look-ups.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02

``relationships.last_contact`` is optional, so existing rows keep NULL. The indexes cover the
queries a dashboard or a participant's own pages run on every visit: members of a group,
submissions in a round, and each participant's reflections, commitments, relationships and
drafts.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_participants_group_id", "participants", ["group_id"]),
    ("ix_submissions_round_id", "submissions", ["round_id"]),
    ("ix_reflections_participant_id", "reflections", ["participant_id"]),
    ("ix_commitments_participant_id", "commitments", ["participant_id"]),
    ("ix_relationships_participant_id", "relationships", ["participant_id"]),
    (
        "ix_drafts_participant_id_framework_id_round_id",
        "drafts",
        ["participant_id", "framework_id", "round_id"],
    ),
)


def upgrade() -> None:
    # ADD COLUMN of a nullable column works in place on SQLite too: no table rebuild.
    op.add_column("relationships", sa.Column("last_contact", sa.Date, nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("relationships") as batch:
        batch.drop_column("last_contact")
