"""What a trace left in the database, for the tests that trace again and compare."""

from __future__ import annotations

from sqlalchemy import text

from tracer.store.upserts import Store

#: the tables a trace writes its chain to
CHAIN_TABLES = ("node", "edge", "capture", "candidate")


def stored_rows(database_url: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Each chain table's rows as text, sorted, without `updated_at` (which a second run
    may move while changing nothing else)."""
    store = Store.open_upgraded(database_url)
    with store.engine.connect() as connection:
        dump = [
            (
                table,
                sorted(
                    tuple(str(v) for k, v in row._mapping.items() if k != "updated_at")
                    for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                ),
            )
            for table in CHAIN_TABLES
        ]
    store.close()
    return dump
