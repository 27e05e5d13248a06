"""A small stored graph for the chain-loading and export tests, written through the Store."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.render.chains import telegram_post
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

        def node(short: str, kind: str, name: str, url: str | None, **fields: object) -> int:
            """A stored node, resolved, whose canonical URL is its URL unless `fields` say
            otherwise (as chains.node builds them for the renderer tests)."""
            values: dict[str, object] = {
                "kind": kind,
                "name": name,
                "url": url,
                "canonical_url": url,
            }
            values |= {"status": "resolved", **fields}
            row = store.upsert_node(Node.model_validate(values), session)
            assert row.id is not None
            ids[short] = row.id
            return row.id

        article = node(
            "article",
            "article",
            "Rebels and mercenaries",
            "https://news.example/post/1001",
            published_at=at("2024-07-29T00:00:00"),
            published_at_method="json-ld datePublished",
            precision="day",
        )
        outlet_article = node(
            "outlet_article",
            "article",
            "Outlet report <b>bold</b>",
            "https://outlet.example/world/ambush",
            published_at=at("2024-07-28T00:00:00"),
            published_at_method="meta article:published_time",
            precision="day",
        )
        channel_post = node(
            "channel_post",
            "post",
            "Grey Channel post 512",
            **telegram_post("greychannel", 512, at("2024-07-27T21:40:00")),
        )
        origin = node(
            "origin",
            "post",
            "Origin post 77",
            **telegram_post("originchan", 77, at("2024-07-27T19:05:00")),
        )
        channel = node(
            "channel",
            "channel",
            "Grey Channel",
            "https://t.me/greychannel",
            platform="telegram",
            handle="greychannel",
        )
        other_article = node(
            "other_article", "article", "A later write-up", "https://blog.example/later"
        )
        node("unrelated", "person", "Somebody Else", None, status="unresolved")
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
