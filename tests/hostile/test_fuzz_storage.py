"""Fuzzing storage: odd strings from hostile pages are stored the same on both backends.

PostgreSQL refuses NUL in text columns where SQLite stores it; the store drops NULs
before writing, so a page with one never fails a document's writes on one backend only.
Values longer than a bounded column may be refused, but only as a StorageError.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from tests.hostile.strategies import FUZZ, hostile_strings
from tracer.errors import StorageError
from tracer.store.model import Capture, Edge, Node
from tracer.store.upserts import Store

#: bounded columns (model max_length): a longer value may be refused, cleanly
BOUNDS = {"canonical_url": 2048, "handle": 256, "platform_id": 256}


def _refusable(values: dict[str, str | None], store: Store) -> bool:
    """Whether the store may refuse these values: over-long for a bounded PostgreSQL
    column, or nothing left to know the node by once NULs are dropped."""
    if not (values["name"] or "").strip("\x00") and not (values["canonical_url"] or "").strip(
        "\x00"
    ):
        return True
    if store.engine.dialect.name != "postgresql":
        return False
    return any(len(values.get(key) or "") > limit for key, limit in BOUNDS.items())


def test_nul_bytes_are_dropped_on_every_backend(store: Store) -> None:
    node = store.upsert_node(
        Node(
            kind="post",
            platform="x",
            name="GREY\x00 ZONE",
            canonical_url="https://t.me/grey_zone/23150\x00",
            handle="grey\x00zone",
            error="\x00",
            attributes={"text": "a\x00b"},
        )
    )
    assert node.name == "GREY ZONE" and node.handle == "greyzone"
    assert node.canonical_url == "https://t.me/grey_zone/23150"
    other = store.upsert_node(Node(kind="channel", name="\x00RT\x00"))
    assert other.name == "RT"
    assert node.id is not None and other.id is not None
    edge = store.upsert_edge(
        Edge(source_id=other.id, target_id=node.id, relation="cites", evidence="said\x00 it")
    )
    assert edge.evidence == "said it"
    capture = store.upsert_capture(
        Capture(
            node_id=node.id,
            archive="wayback",
            memento_url="https://web.archive.org/web/2024/x\x00",
            captured_at=datetime(2024, 7, 28, tzinfo=UTC),
        )
    )
    assert capture.memento_url == "https://web.archive.org/web/2024/x"
    # and the same node again is the same row
    again = store.upsert_node(
        Node(kind="post", platform="x", canonical_url="https://t.me/grey_zone/23150\x00")
    )
    assert again.id == node.id


@FUZZ
@given(
    name=hostile_strings,
    handle=st.none() | hostile_strings,
    url=st.none() | hostile_strings,
    evidence=st.none() | hostile_strings,
    attribute=hostile_strings,
)
@example(name="x", handle="h" * 300, url=None, evidence=None, attribute="")
@example(name="x", handle=None, url="https://a.example/" + "a" * 3000, evidence=None, attribute="")
@example(name="\x00", handle="\x00", url="\x00", evidence="\x00", attribute="\x00")
def test_odd_strings_are_stored_or_refused_cleanly(
    store: Store,
    name: str,
    handle: str | None,
    url: str | None,
    evidence: str | None,
    attribute: str,
) -> None:
    values = {"canonical_url": url, "handle": handle, "name": name}
    try:
        with store.session() as session:
            node = store.upsert_node(
                Node(
                    kind="page",
                    name=name,
                    canonical_url=url or None,
                    url=url,
                    handle=handle,
                    attributes={attribute: attribute},
                ),
                session,
            )
            root = store.upsert_node(Node(kind="article", name="root article"), session)
            assert node.id is not None and root.id is not None
            if node.id != root.id:
                store.upsert_edge(
                    Edge(source_id=root.id, target_id=node.id, relation="links", evidence=evidence),
                    session,
                )
    except StorageError:
        assert _refusable(values, store), "refused a value it should store"
        return
    assert not any("\x00" in (getattr(node, f) or "") for f in ("name", "handle", "url"))
    with store.session() as session:
        stored = session.get(Node, node.id)
        assert stored is not None
        if name.replace("\x00", ""):
            assert stored.name == name.replace("\x00", "")


def test_an_empty_canonical_url_is_no_address(store: Store) -> None:
    first = store.upsert_node(Node(kind="page", name="one", canonical_url=""))
    second = store.upsert_node(Node(kind="page", name="two", canonical_url=""))
    assert first.id != second.id and first.canonical_url is None is second.canonical_url
