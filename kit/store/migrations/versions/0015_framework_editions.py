"""Each response records the edition of the framework it answered; a review records the
commitment it reviews.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-05

The kit's third edition changed the self-assessment's questions, scale and scoring. Answers given
to an earlier edition are kept and scored under that edition, never re-read under a new one, so
every submission now says which edition it answered (``framework_version``).

``reflections.commitment_id`` links a "reviewing a commitment" entry to the commitment it
reviews (NULL for every other entry, and for reviews written before this change, which were
never linked). Deleting the commitment leaves the entry, unlinked.

Existing rows answered what was shipped before this change: the two shipped frameworks were in
their second edition; any other framework had no editions yet, which is edition 1.
"""

import sqlalchemy as sa
from alembic import op

from kit.content.models import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None

#: The shipped frameworks, which were in their second edition before this migration (their
#: ids are written once, in kit.content.models).
SECOND_EDITION = (DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK)


def upgrade() -> None:
    # ADD COLUMN with a constant default works in place on SQLite too: no table rebuild.
    op.add_column(
        "submissions",
        sa.Column("framework_version", sa.Integer, nullable=False, server_default="1"),
    )
    submissions = sa.table("submissions", sa.column("framework_id", sa.String),
                           sa.column("framework_version", sa.Integer))
    op.execute(
        submissions.update()
        .where(submissions.c.framework_id.in_(SECOND_EDITION))
        .values(framework_version=2)
    )
    # A plain nullable column (no foreign key): ADD COLUMN in place on SQLite, and a deleted
    # commitment simply leaves the review unlinked (the store checks ownership on write).
    op.add_column("reflections", sa.Column("commitment_id", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reflections") as batch:
        batch.drop_column("commitment_id")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("framework_version")
