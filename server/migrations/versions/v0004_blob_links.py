"""Signed blob links: the audit table of links handed out; indexes for the feed's
author check and for blob authorization's participant lookup.

Revision ID: v0004_blob_links
Revises: v0003_blobs
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0004_blob_links"
down_revision = "v0003_blobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``blob_link_issues`` and the author indexes of annotations and notes."""
    op.create_table(
        "blob_link_issues",
        sa.Column("link_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=128), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_blob_link_issues")),
    )
    op.create_index(
        "ix_blob_link_issues_user_id_at", "blob_link_issues", ["user_id", "at"], unique=False
    )
    op.create_index(
        "ix_blob_link_issues_version_id", "blob_link_issues", ["version_id"], unique=False
    )
    # The feed asks whether a user wrote any annotation or note (server.feed).
    op.create_index("ix_annotations_author_id", "annotations", ["author_id"], unique=False)
    op.create_index("ix_notes_author_id", "notes", ["author_id"], unique=False)
    # Blob authorization joins a meeting's versions to the caller's row in it.
    op.create_index(
        "ix_participants_meeting_id_user_id",
        "participants",
        ["meeting_id", "user_id"],
        unique=False,
    )


def downgrade() -> None:
    """Drop ``blob_link_issues`` and the author indexes."""
    op.drop_index("ix_participants_meeting_id_user_id", table_name="participants")
    op.drop_index("ix_notes_author_id", table_name="notes")
    op.drop_index("ix_annotations_author_id", table_name="annotations")
    op.drop_index("ix_blob_link_issues_version_id", table_name="blob_link_issues")
    op.drop_index("ix_blob_link_issues_user_id_at", table_name="blob_link_issues")
    op.drop_table("blob_link_issues")
