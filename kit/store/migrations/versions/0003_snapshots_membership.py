"""Published result snapshots, frozen round membership and a per-installation code key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

* ``rounds.opened_at``, ``rounds.members_until`` and ``rounds.membership_reopened_at``: a round
  counts only people who were members when it opened (or when the facilitator re-opened
  membership, which is recorded). Existing rounds keep NULL: no cut-off, as before.
* ``result_snapshots`` and ``snapshot_members``: what the facilitator views show is a published
  snapshot, not live numbers (see docs/confidentiality.md).
* ``installation``: settings made once per installation, such as the key that hashes codes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OPTS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("opened_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("members_until", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("membership_reopened_at", sa.DateTime, nullable=True))
    op.create_table(
        "result_snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer,
                  sa.ForeignKey("cohorts.id", ondelete="CASCADE",
                                name="fk_result_snapshots_cohort_id_cohorts"), nullable=False),
        sa.Column("round_id", sa.Integer,
                  sa.ForeignKey("rounds.id", ondelete="CASCADE",
                                name="fk_result_snapshots_round_id_rounds"), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_result_snapshots"),
        **_OPTS,
    )
    op.create_index("ix_result_snapshots_cohort_id_round_id_framework_id", "result_snapshots",
                    ["cohort_id", "round_id", "framework_id"])
    op.create_table(
        "snapshot_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("snapshot_id", sa.Integer,
                  sa.ForeignKey("result_snapshots.id", ondelete="CASCADE",
                                name="fk_snapshot_members_snapshot_id_result_snapshots"),
                  nullable=False),
        sa.Column("participant_id", sa.Integer,
                  sa.ForeignKey("participants.id", ondelete="SET NULL",
                                name="fk_snapshot_members_participant_id_participants"),
                  nullable=True),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("keys", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshot_members"),
        **_OPTS,
    )
    op.create_index("ix_snapshot_members_snapshot_id", "snapshot_members", ["snapshot_id"])
    op.create_index("ix_snapshot_members_participant_id", "snapshot_members", ["participant_id"])
    op.create_table(
        "installation",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_installation"),
    )


def downgrade() -> None:
    op.drop_table("installation")
    op.drop_index("ix_snapshot_members_participant_id", table_name="snapshot_members")
    op.drop_index("ix_snapshot_members_snapshot_id", table_name="snapshot_members")
    op.drop_table("snapshot_members")
    op.drop_index("ix_result_snapshots_cohort_id_round_id_framework_id",
                  table_name="result_snapshots")
    op.drop_table("result_snapshots")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("membership_reopened_at")
        batch.drop_column("members_until")
        batch.drop_column("opened_at")
