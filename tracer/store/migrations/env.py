"""Alembic environment: migrations always run on a connection tracer hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import tracer.store.model  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("tracer migrations run through `tracer db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
