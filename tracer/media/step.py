"""The trace's media step: the images the posts and pages of a chain show, fetched,
fingerprinted and stored (online only; an offline trace never runs it).

Where a node's images are named: a post's `media` (X syndication's mediaDetails, with
the pic.twitter.com link each picture has), `images` (og:image and twitter:image of
a page, photos and video thumbnails of a Telegram post, a YouTube video's thumbnail),
and `page_images` (the pictures of a page's main text, `tracer.media.page_images`; the
first `media.page_images` of them are fetched).

Each file fetched is kept as a local WARC snapshot (`media.snapshot`), the very bytes
that were fingerprinted, and, where archives are configured, looked for in them: its
file URL's captures, and the earliest archived copies of the pages showing it
(`tracer.media.archived`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from tracer.errors import InputError, MediaError
from tracer.http.client import HTTPClient
from tracer.media.fetch import FetchedMedia, fetch_media
from tracer.media.settings import MediaSettings
from tracer.store.model import Capture, Node, NodeKind, NodeStatus
from tracer.store.serialize import format_time
from tracer.store.upserts import Store

if TYPE_CHECKING:
    from cache.snapshots import SnapshotStore
    from tracer.locate.locator import Locator
    from tracer.media.archived import ArchivedSighting
    from tracer.plugins.archive import ArchiveClient
    from tracer.runtime import Runtime


log = logging.getLogger(__name__)

#: kinds whose pages show pictures: one that cannot be read now may have shown one then
_SHOWING_KINDS = frozenset({NodeKind.POST, NodeKind.PAGE, NodeKind.ARTICLE, NodeKind.DOCUMENT})


@dataclass(frozen=True)
class Shown:
    """One picture a node shows: the file to fetch, and the link it is known by."""

    shown_by: int
    platform: str
    file_url: str
    link: str


def shown_media(node: Node, page_images: int) -> list[Shown]:
    """The pictures a stored post or page shows, in the order it shows them: the first
    `page_images` pictures of its main text after those it is shared with."""
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
    named = {item.file_url for item in found}
    in_text = [u for u in attributes.get("page_images") or [] if isinstance(u, str)]
    for url in [u for u in in_text if u not in named][:page_images]:
        found.append(Shown(node.id, node.platform, url, url))
    return found


@dataclass(frozen=True)
class _Recorded:
    image: int  # the media node
    file_url: str
    shown_by: int


class MediaStep:
    """Called by the trace with the nodes of each document it has stored."""

    def __init__(
        self,
        store: Store,
        settings: MediaSettings,
        *,
        archives: Sequence[ArchiveClient] = (),
        snapshots: SnapshotStore | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.archives = list(archives)
        self.snapshots = snapshots if settings.snapshot else None
        self._done: set[tuple[int, str]] = set()  # (node, file URL) handled in this run
        self._locator: Locator | None = None

    async def __call__(self, http: HTTPClient, nodes: Sequence[Node], trace_id: int) -> None:
        if not self.settings.enabled:
            return
        wanted: list[Shown] = []
        for node in nodes:
            for item in shown_media(node, self.settings.page_images)[
                : self.settings.max_per_document
            ]:
                if (item.shown_by, item.file_url) not in self._done:
                    self._done.add((item.shown_by, item.file_url))
                    wanted.append(item)
        recorded = await self._record(http, wanted, trace_id) if wanted else []
        if not self.archives:
            return
        await self._locate_files(http, recorded)
        if not self.settings.archived_copies:
            return
        pages = sorted({(done.shown_by, done.image) for done in recorded})
        await asyncio.gather(*(self._page(http, page, image) for page, image in pages))
        # a post or page that could not be read shows nothing now: its archived copy may
        gone = [
            n
            for n in nodes
            if n.id is not None
            and n.status == NodeStatus.ERROR
            and n.kind in _SHOWING_KINDS
            and (n.id, "archived") not in self._done
        ]
        self._done.update((n.id, "archived") for n in gone if n.id is not None)
        await asyncio.gather(*(self._recover(http, node, trace_id) for node in gone))

    async def _record(
        self, http: HTTPClient, wanted: Sequence[Shown], trace_id: int
    ) -> list[_Recorded]:
        """Fetch, fingerprint and store each picture (or its failure)."""
        results = await asyncio.gather(*(self._fetch(http, item) for item in wanted))
        recorded: list[tuple[_Recorded, FetchedMedia]] = []
        with self.store.session() as session:
            for item, result in zip(wanted, results, strict=True):
                if isinstance(result, MediaError):
                    self._record_failure(session, item, str(result), trace_id)
                    continue
                done = self._store_image(
                    session,
                    item.shown_by,
                    item.link,
                    item.file_url,
                    result,
                    item.platform,
                    trace_id,
                )
                recorded.append((done, result))
        self._keep(http, recorded)
        return [done for done, _result in recorded]

    def _store_image(
        self,
        session: Session,
        shown_by: int,
        link: str,
        file_url: str,
        fetched: FetchedMedia,
        platform: str,
        trace_id: int,
        shows: str | None = None,
    ) -> _Recorded:
        """One fetched picture stored as shown by `shown_by` (see record_image)."""
        from tracer.media.record import record_image

        image = record_image(
            self.store,
            session,
            shown_by=shown_by,
            link=link,
            fetched=fetched,
            platform=platform,
            threshold=self.settings.same_image_distance,
            max_pixels=self.settings.max_pixels,
            trace_id=trace_id,
            shows=shows,
        )
        assert image.id is not None
        return _Recorded(image.id, file_url, shown_by)

    def _keep(self, http: HTTPClient, recorded: Sequence[tuple[_Recorded, FetchedMedia]]) -> None:
        """Local WARC snapshots of the very bytes fingerprinted."""
        if self.snapshots is None:
            return
        for done, result in recorded:
            try:
                self.snapshots.keep(result.response, http.user_agent, node_id=done.image)
            except OSError as exc:  # a full disk loses the copy, not the trace
                log.warning("media snapshot of %s not kept: %s", done.file_url, exc)

    async def _locate_files(self, http: HTTPClient, recorded: Sequence[_Recorded]) -> None:
        """The archives' captures of each file URL, stored on its image node."""
        from tracer.locate.locator import Locator

        locator = self._locator
        if locator is None or locator.http is not http:
            locator = self._locator = Locator(self.archives, http, self.store)

        async def locate(image: int, url: str) -> None:
            try:
                await locator.locate(url, node_id=image)
            except InputError:
                return  # not a URL an archive could hold

        files = {(done.image, done.file_url) for done in recorded}
        await asyncio.gather(*(locate(image, url) for image, url in sorted(files)))

    def _earliest_copies(self, page: int) -> list[Capture]:
        """The page's earliest archived copies that show it existed, earliest first."""
        with self.store.session() as session:
            captures = session.exec(
                select(Capture)
                .where(col(Capture.node_id) == page, col(Capture.captured_at).is_not(None))
                .order_by(col(Capture.captured_at))
            ).all()
        shown = [c for c in captures if c.status is None or 200 <= c.status < 300]
        return shown[: self.settings.archived_copies]

    async def _page(self, http: HTTPClient, page: int, image: int) -> None:
        """Whether an archived copy of `page` showed the image, earliest copy first."""
        from tracer.media.appearance import group_of
        from tracer.media.archived import sighting_in
        from tracer.media.lookup import stored_fingerprint

        with self.store.session() as session:
            group = [session.get(Node, n) for n in group_of(session, image)]
            wanted = [fp for n in group if n is not None and (fp := stored_fingerprint(n))]
        for capture in self._earliest_copies(page):  # the first that shows it is the answer
            found = await sighting_in(http, page, capture, wanted, self.settings)
            if found is not None:
                self._sighted(image, found)
                return

    async def _recover(self, http: HTTPClient, page: Node, trace_id: int) -> None:
        """The pictures of the earliest archived copy of a page that cannot be read now,
        stored as pictures it shows, each sighted in that copy."""
        from tracer.media.archived import archived_pictures, sighting

        assert page.id is not None
        for capture in self._earliest_copies(page.id):
            pictures = await archived_pictures(http, capture, self.settings)
            if not pictures:
                continue
            when = format_time(capture.captured_at)
            recorded: list[tuple[_Recorded, FetchedMedia]] = []
            with self.store.session() as session:
                for picture in pictures:
                    fetched = replace(picture.fetched, url=picture.named)
                    shows = f"its archived copy of {when} ({capture.archive}) shows {picture.named}"
                    done = self._store_image(
                        session,
                        page.id,
                        picture.named,
                        picture.named,
                        fetched,
                        page.platform,
                        trace_id,
                        shows,
                    )
                    recorded.append((done, fetched))
            self._keep(http, recorded)
            for (done, _fetched), picture in zip(recorded, pictures, strict=True):
                self._sighted(done.image, sighting(page.id, capture, picture, 0))
            await self._locate_files(http, [done for done, _fetched in recorded])
            return

    def _sighted(self, image: int, found: ArchivedSighting) -> None:
        with self.store.session() as session:
            node = session.get(Node, image)
            if node is None:
                return
            attributes = dict(node.attributes or {})
            kept = [
                s
                for s in attributes.get("archived_sightings") or []
                if s.get("memento") != found.memento
            ]
            attributes["archived_sightings"] = [*kept, found.as_json()]
            node.attributes = attributes
            session.add(node)

    async def _fetch(self, http: HTTPClient, item: Shown) -> FetchedMedia | MediaError:
        try:
            return await fetch_media(http, item.file_url, self.settings)
        except MediaError as exc:
            return exc

    def _record_failure(self, session: Session, item: Shown, reason: str, trace_id: int) -> None:
        node = self.store.upsert_node(
            Node.media(
                item.link,
                item.platform,
                status=NodeStatus.ERROR,
                error=reason,
                attributes={"media_url": item.file_url},
            ),
            session,
        )
        assert node.id is not None
        self.store.add_embed(
            item.shown_by,
            node.id,
            session,
            extractor="media",
            trace_id=trace_id,
            evidence=f"shows {item.file_url}",
        )


def _canonical(link: object) -> str | None:
    if not isinstance(link, str):
        return None
    from tracer.identity.resolver import parse

    try:
        return parse(link)[1].canonical_url
    except InputError:
        return None


def media_step(runtime: Runtime) -> MediaStep:
    """The trace's media step with the runtime's archives (those the locate step asks)
    and its local snapshot store (where `tracer archive` keeps pages)."""
    from cache.snapshots import SnapshotStore
    from tracer.locate.locator import build_archives, load_archive_configs, select_archives
    from tracer.preservation.preserver import snapshot_directory

    settings = runtime.settings
    return MediaStep(
        runtime.store,
        settings.media,
        archives=build_archives(select_archives(load_archive_configs(settings))),
        snapshots=SnapshotStore(snapshot_directory(settings.preserve), runtime.store),
    )
