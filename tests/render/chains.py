"""Chains built for the renderer tests, in the DESIGN `trace --format json` shape.

The world is invented for the tests (its URLs, names and sentences are made up), in the
shape of the running example: an article that embeds a post and cites an outlet, whose
page cites a Telegram channel, whose post was forwarded from another channel.
"""

from __future__ import annotations

from typing import Any

#: markup a hostile page could carry in any string it controls
SCRIPT = "<script>document.title='pwned-by-script'</script>"
ONERROR = "<img src=x onerror=\"document.title='pwned-by-onerror'\">"


def node(
    node_id: str, kind: str, name: str | None, url: str | None, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": node_id,
        "kind": kind,
        "platform": extra.pop("platform", "web"),
        "name": name,
        "url": url,
        "canonical_url": url,
        "handle": None,
        "platform_id": None,
        "published_at": None,
        "published_at_method": None,
        "precision": None,
        "captures": [],
        "status": "resolved",
    }
    data.update(extra)
    return data


def telegram_post(handle: str, number: int, published_at: object) -> dict[str, Any]:
    """A Telegram post's own fields (for `node` here and in tests.render.stored): its
    number is its id, and it is dated by the post's time, to the second."""
    return {
        "url": f"https://t.me/{handle}/{number}",
        "platform": "telegram",
        "handle": handle,
        "platform_id": str(number),
        "published_at": published_at,
        "published_at_method": "telegram post time",
        "precision": "second",
    }


def capture(archive: str, url: str, at: str) -> dict[str, Any]:
    return {"archive": archive, "url": url, "captured_at": at, "status": 200, "digest": None}


def edge(source: str, target: str, relation: str, evidence: str | None = None) -> dict[str, Any]:
    start = 100 if evidence else None
    end = 100 + len(evidence) if evidence else None
    return {
        "source": source,
        "target": target,
        "relation": relation,
        "evidence": evidence,
        "start": start,
        "end": end,
    }


def example_chain() -> dict[str, Any]:
    """Article -> embedded post, -> outlet article -> channel post <- forwarded from another."""
    nodes = [
        node(
            "n1",
            "article",
            "Rebels and mercenaries in the desert",
            "https://news.example/post/1001",
            published_at="2024-07-29",
            published_at_method="json-ld datePublished",
            precision="day",
            captures=[
                capture(
                    "wayback",
                    "https://web.archive.org/web/20240729101500/https://news.example/post/1001",
                    "2024-07-29T10:15:00Z",
                ),
                capture("archive_today", "https://archive.ph/AbCdE", "2024-07-30T08:00:00Z"),
            ],
        ),
        node(
            "n2",
            "post",
            "Desert Watcher",
            "https://x.com/desertwatch/status/1817600000000000000",
            platform="x",
            handle="desertwatch",
            platform_id="1817600000000000000",
            published_at="2024-07-28T18:02:11Z",
            published_at_method="snowflake id",
            precision="millisecond",
        ),
        node(
            "n3",
            "article",
            "Outlet report on the ambush",
            "https://outlet.example/world/ambush",
            published_at="2024-07-28",
            published_at_method="meta article:published_time",
            precision="day",
            captures=[
                capture(
                    "wayback",
                    "https://web.archive.org/web/20240728120000/https://outlet.example/world/ambush",
                    "2024-07-28T12:00:00Z",
                )
            ],
        ),
        node("n4", "outlet", "Outlet TV", "https://outlet.example/"),
        node(
            "n5",
            "post",
            "Grey Channel post 512",
            **telegram_post("greychannel", 512, "2024-07-27T21:40:00Z"),
            captures=[
                capture(
                    "wayback",
                    "https://web.archive.org/web/20240727230000/https://t.me/greychannel/512",
                    "2024-07-27T23:00:00Z",
                )
            ],
        ),
        node(
            "n6",
            "channel",
            "Grey Channel",
            "https://t.me/greychannel",
            platform="telegram",
            handle="greychannel",
        ),
        node(
            "n7",
            "post",
            "Origin channel post 77",
            **telegram_post("originchan", 77, "2024-07-27T19:05:00Z"),
        ),
        node("n8", "person", "A. Spokesman", None, status="unresolved"),
    ]
    edges = [
        edge("n1", "n2", "embeds", "— Desert Watcher (@desertwatch) July 28, 2024"),
        edge("n1", "n3", "cites", "Outlet TV said the convoy was ambushed"),
        edge("n1", "n8", "cites", "A. Spokesman said on television"),
        edge("n3", "n4", "published_by"),
        edge("n3", "n5", "cites", "citing the Telegram channel Grey Channel"),
        edge("n5", "n6", "published_by"),
        edge("n5", "n7", "forwarded_from", "Forwarded from Origin channel"),
        edge("n2", "n5", "links", "t.me/greychannel/512"),  # a second way into n5: shared node
        edge("n1", "n3", "links", "outlet.example/world/ambush"),  # a second relation, same pair
    ]
    return {
        "input": "https://news.example/post/1001",
        "root": "n1",
        "nodes": nodes,
        "edges": edges,
        "first_appearance": {
            "node": "n7",
            "at": "2024-07-27T19:05:00Z",
            "method": "telegram post time",
        },
        "path": ["n1", "n3", "n5", "n7"],
        "candidates": [
            {
                "node": "n4",
                "url": "https://outlet.example/world/other",
                "score": 0.31,
                "method": "wayback cdx",
                "reason": "2 of 5 keywords",
                "accepted": False,
            }
        ],
    }


def hostile_chain() -> dict[str, Any]:
    """A chain whose page-derived strings carry script, event handlers and bad URLs."""
    chain = example_chain()
    first, post, outlet = chain["nodes"][0], chain["nodes"][1], chain["nodes"][3]
    first["name"] = f"Headline {SCRIPT} and {ONERROR}"
    post["name"] = f"[bold red]markup[/] {ONERROR}"
    post["handle"] = "</text><script>document.title='pwned-by-handle'</script>"
    outlet["url"] = outlet["canonical_url"] = "javascript:document.title='pwned-by-href'"
    chain["edges"][0]["evidence"] = f'quote {SCRIPT} end" onmouseover="alert(1)'
    chain["edges"][1]["relation"] = "cites<script>document.title='pwned-by-relation'</script>"
    chain["nodes"][2]["captures"][0]["url"] = "data:text/html,<script>alert(1)</script>"
    chain["input"] = f"pasted text {SCRIPT}"
    return chain


def cyclic_chain() -> dict[str, Any]:
    """Two posts quoting each other, one of them also reached from the root twice."""
    nodes = [
        node("n1", "article", "Start", "https://a.example/1"),
        node("n2", "post", "Ping", "https://b.example/2"),
        node("n3", "post", "Pong", "https://c.example/3"),
    ]
    edges = [
        edge("n1", "n2", "cites", "ping said"),
        edge("n2", "n3", "quotes", "pong wrote"),
        edge("n3", "n2", "quotes", "ping wrote"),
        edge("n1", "n3", "links"),
    ]
    return {
        "input": "https://a.example/1",
        "root": "n1",
        "nodes": nodes,
        "edges": edges,
        "first_appearance": None,
    }
