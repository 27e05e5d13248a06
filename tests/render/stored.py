"""A small stored graph for the chain-loading and export tests, written through the Store."""

from __future__ import annotations

from datetime import UTC, datetime

from tracer.store.model import Candidate, Capture, Edge, Node, Trace
from tracer.store.upserts import Store


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def store_world(store: Store) -> dict[str, int]:
    """Article -> outlet article -> channel post -> forwarded-from post; plus a second
    trace's article that meets the first at the channel post, and an unrelated node.

    Returns the stored ids by short name.
    """
    ids: dict[str, int] = {}
    with store.session() as session:

        def node(short: str, **fields: object) -> int:
            row = store.upsert_node(Node.model_validate(fields), session)
            assert row.id is not None
            ids[short] = row.id
            return row.id

        article = node(
            "article",
            kind="article",
            name="Rebels and mercenaries",
            url="https://news.example/post/1001",
            canonical_url="https://news.example/post/1001",
            published_at=at("2024-07-29T00:00:00"),
            published_at_method="json-ld datePublished",
            precision="day",
            status="resolved",
        )
        outlet_article = node(
            "outlet_article",
            kind="article",
            name="Outlet report <b>bold</b>",
            url="https://outlet.example/world/ambush",
            canonical_url="https://outlet.example/world/ambush",
            published_at=at("2024-07-28T00:00:00"),
            published_at_method="meta article:published_time",
            precision="day",
            status="resolved",
        )
        channel_post = node(
            "channel_post",
            kind="post",
            platform="telegram",
            name="Grey Channel post 512",
            url="https://t.me/greychannel/512",
            canonical_url="https://t.me/greychannel/512",
            handle="greychannel",
            platform_id="512",
            published_at=at("2024-07-27T21:40:00"),
            published_at_method="telegram post time",
            precision="second",
            status="resolved",
        )
        origin = node(
            "origin",
            kind="post",
            platform="telegram",
            name="Origin post 77",
            url="https://t.me/originchan/77",
            canonical_url="https://t.me/originchan/77",
            handle="originchan",
            published_at=at("2024-07-27T19:05:00"),
            published_at_method="telegram post time",
            precision="second",
            status="resolved",
        )
        channel = node(
            "channel",
            kind="channel",
            platform="telegram",
            name="Grey Channel",
            url="https://t.me/greychannel",
            canonical_url="https://t.me/greychannel",
            handle="greychannel",
            status="resolved",
        )
        other_article = node(
            "other_article",
            kind="article",
            name="A later write-up",
            url="https://blog.example/later",
            canonical_url="https://blog.example/later",
            status="resolved",
        )
        node("unrelated", kind="person", name="Somebody Else", status="unresolved")
        for source, target, relation, evidence in (
            (article, outlet_article, "cites", "Outlet TV said the convoy was ambushed"),
            (outlet_article, channel_post, "cites", "citing the Telegram channel Grey Channel"),
            (channel_post, channel, "published_by", None),
            (channel_post, origin, "forwarded_from", "Forwarded from Origin"),
            (other_article, channel_post, "links", "t.me/greychannel/512"),
        ):
            store.upsert_edge(
                Edge(
                    source_id=source,
                    target_id=target,
                    relation=relation,
                    evidence=evidence,
                    evidence_start=10 if evidence else None,
                    evidence_end=10 + len(evidence) if evidence else None,
                ),
                session,
            )
        for node_id, memento, when in (
            (
                article,
                "https://web.archive.org/web/20240729101500/https://news.example/post/1001",
                "2024-07-29T10:15:00",
            ),
            (
                outlet_article,
                "https://web.archive.org/web/20240728120000/https://outlet.example/world/ambush",
                "2024-07-28T12:00:00",
            ),
            (
                channel_post,
                "https://web.archive.org/web/20240727230000/https://t.me/greychannel/512",
                "2024-07-27T23:00:00",
            ),
        ):
            store.upsert_capture(
                Capture(
                    node_id=node_id,
                    archive="wayback",
                    memento_url=memento,
                    captured_at=at(when),
                    status=200,
                ),
                session,
            )
        session.add(
            Candidate(
                node_id=outlet_article,
                cited_by_id=article,
                url="https://outlet.example/world/other",
                score=0.31,
                method="wayback cdx",
                reason="2 of 5 keywords",
            )
        )
        session.add(
            Trace(
                input="pasted article text",
                root_node_id=article,
                status="done",
                started_at=at("2024-08-01T00:00:00"),
            )
        )
    return ids
