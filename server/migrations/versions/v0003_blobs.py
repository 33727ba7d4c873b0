"""Blobs: the download audit table and upload sessions.

Revision ID: v0003_blobs
Revises: v0002_entities
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0003_blobs"
down_revision = "v0002_entities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``blob_downloads`` and ``uploads``."""
    op.create_table(
        "blob_downloads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=128), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("range_start", sa.BigInteger(), nullable=True),
        sa.Column("range_end", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blob_downloads")),
    )
    op.create_index(
        "ix_blob_downloads_user_id_at", "blob_downloads", ["user_id", "at"], unique=False
    )
    op.create_index("ix_blob_downloads_version_id", "blob_downloads", ["version_id"], unique=False)
    op.create_table(
        "uploads",
        sa.Column("upload_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("upload_id", name=op.f("pk_uploads")),
    )


def downgrade() -> None:
    """Drop the blob tables."""
    op.drop_table("uploads")
    op.drop_index("ix_blob_downloads_version_id", table_name="blob_downloads")
    op.drop_index("ix_blob_downloads_user_id_at", table_name="blob_downloads")
    op.drop_table("blob_downloads")
