"""A database made before mentions were stored (revision 0001) upgrades and keeps its chain."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tracer.errors import StorageError
from tracer.store.chain import load_chain
from tracer.store.database import SCHEMA_REVISION, create_database_engine, current_revision, upgrade
from tracer.store.model import EdgeMention
from tracer.store.upserts import Store

EVIDENCE = "According to Outlet TV, the convoy was ambushed."


def _a_0001_database(database_url: str) -> None:
    """The schema of 0001 with an article citing an outlet, written as 0001 wrote it."""
    engine = create_database_engine(database_url)
    assert upgrade(engine, "0001") == "0001"
    with engine.begin() as connection:
        for node_id, kind, identity in (
            (1, "article", "https://news.example/a"),
            (2, "outlet", "name:outlet:outlet tv"),
        ):
            connection.execute(
                text(
                    "INSERT INTO node (id, identity, kind, platform, status, attributes) "
                    "VALUES (:id, :identity, :kind, 'web', 'resolved', '{}')"
                ),
                {"id": node_id, "identity": identity, "kind": kind},
            )
        connection.execute(
            text(
                "INSERT INTO edge (id, source_id, target_id, relation, evidence, "
                "evidence_start, evidence_end, confidence) "
                "VALUES (1, 1, 2, 'cites', :evidence, 10, :end, 1.0)"
            ),
            {"evidence": EVIDENCE, "end": 10 + len(EVIDENCE)},
        )
    engine.dispose()


def test_a_0001_database_upgrades_and_prints_its_edges_as_before(database_url: str) -> None:
    _a_0001_database(database_url)
    engine = create_database_engine(database_url)
    assert "mention" not in inspect(engine).get_table_names()
    if engine.dialect.name == "sqlite":
        Store.open(database_url).close()  # the embedded database upgrades itself
    else:
        with pytest.raises(StorageError, match="run `tracer db upgrade`"):
            Store.open(database_url)
        assert upgrade(engine) == SCHEMA_REVISION
    assert current_revision(engine) == SCHEMA_REVISION
    assert "mention" in inspect(engine).get_table_names()
    engine.dispose()

    store = Store.open(database_url)
    try:
        with store.session() as session:
            chain = load_chain(session, 1).to_json()
            assert chain["edges"] == [
                {
                    "source": "n1",
                    "target": "n2",
                    "relation": "cites",
                    "evidence": EVIDENCE,
                    "start": 10,
                    "end": 10 + len(EVIDENCE),
                }
            ]
            # the new table takes mentions of the old edge
            mention = EdgeMention(
                edge_id=1,
                surface="Outlet TV",
                start=23,
                end=32,
                evidence=EVIDENCE,
                evidence_start=10,
                evidence_end=10 + len(EVIDENCE),
            )
            for _ in range(2):
                store.add_mention(mention.model_copy(), session)
        with store.session() as session:
            (entry,) = load_chain(session, 1).to_json()["edges"]
            assert entry["surface"] == "Outlet TV" and entry["evidence"] == EVIDENCE
    finally:
        store.close()


def test_the_migration_goes_back_down(database_url: str) -> None:
    engine = create_database_engine(database_url)
    assert upgrade(engine) == SCHEMA_REVISION
    from alembic import command

    from tracer.store.database import _alembic_config, _one_transaction

    config = _alembic_config()
    with engine.connect() as connection, _one_transaction(connection):
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert current_revision(engine) == "0001"
    assert "mention" not in inspect(engine).get_table_names()
    assert upgrade(engine) == SCHEMA_REVISION
    engine.dispose()
