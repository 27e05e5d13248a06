"""A new SQLite database is made from the models (create_fresh), not by running every
migration: the schema must be the one the migrations make, column for column."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tracer.store.database import SCHEMA_REVISION, create_database_engine, create_fresh, upgrade
from tracer.store.upserts import Store


def _schema(path: Path) -> dict[str, Any]:
    """Tables with their columns in order, keys, foreign keys and indexes, and the
    version: what SQLite enforces, whatever order the CREATE TABLE listed constraints in."""
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        shape: dict[str, Any] = {}
        for table in tables:
            indexes = {}
            for _, name, unique, origin, partial in connection.execute(
                f"PRAGMA index_list('{table}')"
            ):
                columns = [row[2] for row in connection.execute(f"PRAGMA index_info('{name}')")]
                # SQLite names the indexes of inline constraints itself, by position
                key = name if origin == "c" else (origin, tuple(columns))
                indexes[key] = (unique, partial, columns)
            shape[table] = {
                "columns": connection.execute(f"PRAGMA table_info('{table}')").fetchall(),
                # without the numbers SQLite gives each key by its place in the statement
                "foreign": sorted(
                    row[2:] for row in connection.execute(f"PRAGMA foreign_key_list('{table}')")
                ),
                "indexes": indexes,
            }
        shape["version"] = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return shape


def test_a_fresh_database_has_the_schema_the_migrations_make(tmp_path: Path) -> None:
    made, migrated = tmp_path / "made.db", tmp_path / "migrated.db"
    engine = create_database_engine(f"sqlite:///{made}")
    assert create_fresh(engine)
    engine.dispose()
    engine = create_database_engine(f"sqlite:///{migrated}")
    upgrade(engine)
    engine.dispose()
    assert _schema(made) == _schema(migrated)
    assert _schema(made)["version"] == [(SCHEMA_REVISION,)]


def test_a_database_with_tables_is_left_to_the_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE something (id INTEGER)")
    engine = create_database_engine(f"sqlite:///{path}")
    assert not create_fresh(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"something"}


def test_a_store_opened_on_a_new_file_is_at_the_newest_revision(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'new.db'}")
    store.close()
    assert _schema(tmp_path / "new.db")["version"] == [(SCHEMA_REVISION,)]
