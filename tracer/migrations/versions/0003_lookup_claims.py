"""leases on hosts' archive look-ups, shared by the workers of `tracer check`

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 19:40:00.000000

Availability look-ups left the checks' path: they form their own queue, asked host by
host, and a worker leases a host's look-ups here while it asks them.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lookup_claim",
        sa.Column("host", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("host"),
    )


def downgrade() -> None:
    op.drop_table("lookup_claim")
