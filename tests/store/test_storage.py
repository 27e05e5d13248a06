"""The storage suite: runs on SQLite and, when TRACER_TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, text
from sqlmodel import col, func, select

from tracer.errors import StorageError
from tracer.store.database import (
    SCHEMA_REVISION,
    create_database_engine,
    current_revision,
    head_revision,
    upgrade,
)
from tracer.store.model import Capture, Edge, Node, NodeStatus, Trace, as_utc
from tracer.store.upserts import Store

TABLES = {
    "node",
    "edge",
    "capture",
    "capture_lookup",
    "snapshot",
    "check",
    "check_state",
    "trace",
    "archive_attempt",
    "host_budget",
    "check_run",
    "candidate",
}


def _tweet(**extra: object) -> Node:
    values: dict[str, object] = {
        "kind": "post",
        "platform": "x",
        "url": "https://twitter.com/Tendar/status/1817661484380938437?s=20",
        "canonical_url": "https://x.com/Tendar/status/1817661484380938437",
        "status": NodeStatus.OFFLINE,
    }
    values.update(extra)
    return Node(**values)  # type: ignore[arg-type]


def test_upgrade_is_idempotent(database_url: str) -> None:
    engine = create_database_engine(database_url)
    assert upgrade(engine) == head_revision()
    assert upgrade(engine) == head_revision()
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_a_migration_stopped_halfway_leaves_nothing_behind(database_url: str) -> None:
    """A kill between two CREATE TABLEs of the first start must not leave tables without
    a schema version (the next start could never upgrade): the migration is one
    transaction. Here the fifth CREATE TABLE fails, as a kill would stop it."""
    engine = create_database_engine(database_url)
    created: list[str] = []

    def stop_at_the_fifth(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            created.append(statement)
            if len(created) == 5:
                raise RuntimeError("killed")

    event.listen(engine, "before_cursor_execute", stop_at_the_fifth)
    with pytest.raises(RuntimeError, match="killed"):
        upgrade(engine)
    event.remove(engine, "before_cursor_execute", stop_at_the_fifth)
    assert len(created) == 5
    assert set(inspect(engine).get_table_names()) & TABLES == set()
    assert current_revision(engine) is None
    assert upgrade(engine) == head_revision()  # the next start upgrades as if new
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_two_first_starts_at_once_both_open_the_store(tmp_path: Path) -> None:
    """Two commands started together on a new SQLite file: one creates the schema, the
    other waits for it and finds nothing to do."""
    url = f"sqlite:///{tmp_path / 'both.db'}"
    with ThreadPoolExecutor(2) as pool:
        stores = list(pool.map(lambda _: Store.open(url), range(2)))
    for store in stores:
        assert current_revision(store.engine) == head_revision()
        store.close()


def test_same_canonical_url_is_one_node(store: Store) -> None:
    first = store.upsert_node(_tweet())
    second = store.upsert_node(_tweet(handle="Tendar", status=NodeStatus.RESOLVED))
    assert first.id == second.id
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Node)).one() == 1
        stored = session.get(Node, first.id)
        assert stored is not None
        assert stored.handle == "Tendar"
        assert stored.status == NodeStatus.RESOLVED


def test_known_values_and_status_are_never_lost(store: Store) -> None:
    when = datetime(2024, 7, 28, 19, 44, 57, tzinfo=UTC)
    store.upsert_node(
        _tweet(handle="Tendar", published_at=when, status=NodeStatus.RESOLVED, attributes={"a": 1})
    )
    # an offline re-run knows less: nothing it lacks may erase what is stored
    again = store.upsert_node(_tweet(status=NodeStatus.OFFLINE, attributes={"b": 2}))
    assert again.handle == "Tendar"
    assert as_utc(again.published_at) == when
    assert again.status == NodeStatus.RESOLVED
    assert again.attributes == {"a": 1, "b": 2}


def test_named_nodes_meet_on_their_name(store: Store) -> None:
    one = store.upsert_node(Node(kind="person", name="Andriy Yusov"))
    two = store.upsert_node(Node(kind="person", name="andriy  YUSOV"))
    other = store.upsert_node(Node(kind="organization", name="Andriy Yusov"))
    assert one.id == two.id != other.id
    with pytest.raises(StorageError):
        store.upsert_node(Node(kind="person"))


def test_edges_and_captures_are_upserted(store: Store) -> None:
    article = store.upsert_node(Node(kind="article", canonical_url="https://news.example/a"))
    tweet = store.upsert_node(_tweet())
    assert article.id and tweet.id
    for _ in range(2):
        store.upsert_edge(
            Edge(
                source_id=article.id,
                target_id=tweet.id,
                relation="embeds",
                evidence="x",
                evidence_start=0,
                evidence_end=1,
            )
        )
        store.upsert_capture(
            Capture(
                node_id=tweet.id,
                archive="wayback",
                memento_url="https://web.archive.org/web/20240729000000/https://x.com/Tendar/status/1817661484380938437",
                captured_at=datetime(2024, 7, 29, tzinfo=UTC),
            )
        )
    store.upsert_capture(
        Capture(
            node_id=tweet.id,
            archive="wayback",
            memento_url="https://web.archive.org/web/20240729000000/https://x.com/Tendar/status/1817661484380938437",
            status=200,
        )
    )
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Edge)).one() == 1
        captures = session.exec(select(Capture)).all()
        assert len(captures) == 1
        assert captures[0].status == 200  # a later look-up fills a gap
        assert as_utc(captures[0].captured_at) == datetime(2024, 7, 29, tzinfo=UTC)


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(StorageError), store.session() as session:
        session.add(Edge(source_id=999, target_id=998, relation="cites"))
        session.flush()


def test_deleting_a_node_takes_its_edges(store: Store) -> None:
    a = store.upsert_node(Node(kind="article", canonical_url="https://news.example/a"))
    b = store.upsert_node(Node(kind="article", canonical_url="https://news.example/b"))
    assert a.id and b.id
    store.upsert_edge(Edge(source_id=a.id, target_id=b.id, relation="links"))
    with store.session() as session:
        session.execute(text("DELETE FROM node WHERE id = :id"), {"id": b.id})
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Edge)).one() == 0


def test_trace_rows_keep_json_options(store: Store) -> None:
    with store.session() as session:
        trace = Trace(input="article.html", options={"depth": 2, "offline": True})
        session.add(trace)
    with store.session() as session:
        stored = session.exec(select(Trace).where(col(Trace.input) == "article.html")).one()
        assert stored.options == {"depth": 2, "offline": True}


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: object) -> None:
    store = Store.open(f"sqlite:///{tmp_path}/wal.db")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_embedded_default_upgrades_itself(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/nested/dir/fresh.db"
    store = Store.open(url)
    assert current_revision(store.engine) == head_revision()


def test_unsupported_or_broken_urls_are_one_line() -> None:
    with pytest.raises(StorageError, match="not supported"):
        create_database_engine("mysql://root@localhost/x")
    with pytest.raises(StorageError, match="not a valid URL"):
        create_database_engine("::nonsense::")


def test_schema_revision_is_the_newest_migration() -> None:
    """Opening a store compares with SCHEMA_REVISION instead of asking alembic each time."""
    assert head_revision() == SCHEMA_REVISION
