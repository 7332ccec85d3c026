"""Initial schema: cohorts, groups, rounds, participants and everything they enter.

Revision ID: 0001
Revises:
Create Date: 2026-03-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

CASCADE = {"ondelete": "CASCADE"}


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("facilitator_key_hash", sa.String(64), nullable=False),
        sa.Column("frameworks", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cohorts"),
        sa.UniqueConstraint("facilitator_key_hash", name="uq_cohorts_facilitator_key_hash"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("join_code_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_groups"),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name="fk_groups_cohort_id_cohorts", **CASCADE
        ),
        sa.UniqueConstraint("cohort_id", "name", name="uq_groups_cohort_id_name"),
        sa.UniqueConstraint("join_code_hash", name="uq_groups_join_code_hash"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer, nullable=True),
        sa.Column("group_id", sa.Integer, nullable=True),
        sa.Column("display_name", sa.String(200)),
        sa.Column("organisation", sa.String(200)),
        sa.Column("sector", sa.String(200)),
        sa.Column("role_level", sa.String(200)),
        sa.Column("resume_code_hash", sa.String(64)),
        sa.Column("hub_user", sa.String(200)),
        sa.Column("private_label", sa.String(200)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name="fk_participants_cohort_id_cohorts", **CASCADE
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name="fk_participants_group_id_groups", **CASCADE
        ),
        sa.UniqueConstraint("resume_code_hash", name="uq_participants_resume_code_hash"),
        sa.UniqueConstraint("hub_user", name="uq_participants_hub_user"),
        sa.UniqueConstraint("private_label", name="uq_participants_private_label"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer, nullable=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name="fk_rounds_cohort_id_cohorts", **CASCADE
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["participants.id"], name="fk_rounds_owner_id_participants", **CASCADE
        ),
        sa.UniqueConstraint("cohort_id", "name", name="uq_rounds_cohort_id_name"),
        sa.UniqueConstraint("owner_id", "name", name="uq_rounds_owner_id_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("round_id", sa.Integer, nullable=True),
        sa.Column("client_key", sa.String(100), nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("superseded", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_submissions_participant_id_participants",
            **CASCADE,
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_submissions_round_id_rounds", **CASCADE
        ),
        sa.UniqueConstraint(
            "participant_id", "client_key", name="uq_submissions_participant_id_client_key"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "uq_submissions_current",
        "submissions",
        ["participant_id", "framework_id", "round_id"],
        unique=True,
        sqlite_where=sa.text("superseded = 0"),
        postgresql_where=sa.text("NOT superseded"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("value", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name="fk_answers_submission_id_submissions",
            **CASCADE,
        ),
        sa.UniqueConstraint("submission_id", "item_id", name="uq_answers_submission_id_item_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "importance",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("dimension_id", sa.String(100), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_importance"),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name="fk_importance_submission_id_submissions",
            **CASCADE,
        ),
        sa.UniqueConstraint(
            "submission_id", "dimension_id", name="uq_importance_submission_id_dimension_id"
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("round_id", sa.Integer, nullable=True),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("importance", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_drafts_participant_id_participants",
            **CASCADE,
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_drafts_round_id_rounds", **CASCADE
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("exercise_id", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("include_in_report", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reflections"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_reflections_participant_id_participants",
            **CASCADE,
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "reflection_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reflection_id", sa.Integer, nullable=False),
        sa.Column("step_id", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reflection_steps"),
        sa.ForeignKeyConstraint(
            ["reflection_id"],
            ["reflections.id"],
            name="fk_reflection_steps_reflection_id_reflections",
            **CASCADE,
        ),
        sa.UniqueConstraint(
            "reflection_id", "step_id", name="uq_reflection_steps_reflection_id_step_id"
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("dimension_id", sa.String(100)),
        sa.Column("due", sa.Date),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("review_note", sa.Text),
        sa.Column("reviewed_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_commitments"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_commitments_participant_id_participants",
            **CASCADE,
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'done', 'dropped')", name="ck_commitments_status"
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "relationships",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(200)),
        sa.Column("sector", sa.String(200)),
        sa.Column("contact", sa.String(20), nullable=False),
        sa.Column("strength", sa.Integer, nullable=False),
        sa.Column("trust", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relationships"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_relationships_participant_id_participants",
            **CASCADE,
        ),
        sa.CheckConstraint(
            "contact IN ('weekly', 'monthly', 'quarterly', 'rarely')",
            name="ck_relationships_contact",
        ),
        sa.CheckConstraint("strength BETWEEN 1 AND 5", name="ck_relationships_strength"),
        sa.CheckConstraint("trust BETWEEN 1 AND 5", name="ck_relationships_trust"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    for table in (
        "relationships",
        "commitments",
        "reflection_steps",
        "reflections",
        "drafts",
        "importance",
        "answers",
        "submissions",
        "rounds",
        "participants",
        "groups",
        "cohorts",
    ):
        op.drop_table(table)
