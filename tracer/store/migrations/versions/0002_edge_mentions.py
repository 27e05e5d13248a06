"""every mention of an edge's target, with its sentence

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00.000000

An edge keeps one (first) evidence; a source named in several sentences keeps each of
them here. Existing edges get no rows: they print their one evidence as before.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edge_id", sa.Integer(), nullable=False),
        sa.Column("surface", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("trace_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["edge_id"], ["edge.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["trace_id"], ["trace.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edge_id", "evidence_start", "start", name="uq_mention"),
    )
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mention_edge_id"), ["edge_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_edge_id"))

    op.drop_table("mention")
