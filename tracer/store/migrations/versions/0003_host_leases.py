"""leases on shares of hosts, by which the workers of `tracer check` divide them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 19:40:00.000000

A worker leases a host's request slots for a window instead of asking the database
before every request, and a host's archive look-ups while it asks them.
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
        "host_lease",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("host_lease")
