"""The trace's media step: the images the posts and pages of a chain show, fetched,
fingerprinted and stored (online only; an offline trace never runs it).

Where a node's images are named: a post's `media` (X syndication's mediaDetails, with
the pic.twitter.com link each picture has), and `images` (og:image and twitter:image of
a page, photos and video thumbnails of a Telegram post).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from tracer.errors import InputError, MediaError
from tracer.http import HTTPClient
from tracer.media.fetch import FetchedMedia, fetch_media
from tracer.media.settings import MediaSettings
from tracer.model import Edge, Node, NodeKind, NodeStatus, Relation
from tracer.store import Store


@dataclass(frozen=True)
class Shown:
    """One picture a node shows: the file to fetch, and the link it is known by."""

    shown_by: int
    platform: str
    file_url: str
    link: str


def shown_media(node: Node) -> list[Shown]:
    """The pictures a stored post or page shows, in the order it shows them."""
    if node.id is None or node.kind == NodeKind.MEDIA:
        return []
    attributes = node.attributes or {}
    found: list[Shown] = []
    for item in attributes.get("media") or []:
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            link = _canonical(item.get("link")) or item["url"]
            found.append(Shown(node.id, node.platform, item["url"], link))
    for url in attributes.get("images") or []:
        if isinstance(url, str):
            found.append(Shown(node.id, node.platform, url, url))
    return found


class MediaStep:
    """Called by the trace with the nodes of each document it has stored."""

    def __init__(self, store: Store, settings: MediaSettings) -> None:
        self.store = store
        self.settings = settings
        self._done: set[tuple[int, str]] = set()  # (node, file URL) handled in this run

    async def __call__(self, http: HTTPClient, nodes: Sequence[Node], trace_id: int) -> None:
        if not self.settings.enabled:
            return
        wanted: list[Shown] = []
        for node in nodes:
            for item in shown_media(node)[: self.settings.max_per_document]:
                if (item.shown_by, item.file_url) not in self._done:
                    self._done.add((item.shown_by, item.file_url))
                    wanted.append(item)
        if not wanted:
            return
        results = await asyncio.gather(*(self._fetch(http, item) for item in wanted))
        from tracer.media.record import record_image

        with self.store.session() as session:
            for item, result in zip(wanted, results, strict=True):
                if isinstance(result, MediaError):
                    self._record_failure(session, item, str(result), trace_id)
                    continue
                record_image(
                    self.store,
                    session,
                    shown_by=item.shown_by,
                    link=item.link,
                    fetched=result,
                    platform=item.platform,
                    threshold=self.settings.same_image_distance,
                    trace_id=trace_id,
                )

    async def _fetch(self, http: HTTPClient, item: Shown) -> FetchedMedia | MediaError:
        try:
            return await fetch_media(http, item.file_url, self.settings)
        except MediaError as exc:
            return exc

    def _record_failure(self, session: Session, item: Shown, reason: str, trace_id: int) -> None:
        node = self.store.upsert_node(
            Node(
                kind=NodeKind.MEDIA,
                platform=item.platform,
                canonical_url=item.link,
                url=item.link,
                status=NodeStatus.ERROR,
                error=reason,
                attributes={"media_url": item.file_url},
            ),
            session,
        )
        assert node.id is not None
        if node.id != item.shown_by:
            self.store.upsert_edge(
                Edge(
                    source_id=item.shown_by,
                    target_id=node.id,
                    relation=Relation.EMBEDS,
                    evidence=f"shows {item.file_url}",
                    extractor="media",
                    trace_id=trace_id,
                ),
                session,
            )


def _canonical(link: object) -> str | None:
    if not isinstance(link, str):
        return None
    from tracer.resolve import parse

    try:
        return parse(link)[1].canonical_url
    except InputError:
        return None
