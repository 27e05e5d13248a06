"""Storing a fingerprinted image: one node per file, `embeds` from what shows it, and
`same_as` to the stored images it is close to.

A media node is known by the link a post gives it (pic.twitter.com/CODE) or else by its
file URL. The same file (same sha256) met under another URL is the same node: the URL is
added to its `urls`. Close but different files (a resize, a crop, a caption bar) are
nodes of their own joined by `same_as`, whose evidence is the distance.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from tracer.media.fetch import FetchedMedia
from tracer.media.lookup import FINGERPRINT, fingerprinted_media, similar
from tracer.media.preview import preview_uri
from tracer.store.model import Edge, Node, NodeStatus, Relation, utcnow
from tracer.store.upserts import Store


def record_image(
    store: Store,
    session: Session,
    *,
    shown_by: int,
    link: str,
    fetched: FetchedMedia,
    platform: str,
    threshold: int,
    max_pixels: int,
    trace_id: int | None,
    shows: str | None = None,
) -> Node:
    """Store the image `shown_by` shows under `link` (its post link or file URL); `shows`
    is the evidence of the `embeds` edge when not the plain "shows URL"."""
    found = fetched.fingerprint
    by_link = session.exec(select(Node).where(col(Node.canonical_url) == link)).first()
    same_file = next(
        (n for n, fp in fingerprinted_media(session) if fp.sha256 == found.sha256), None
    )
    if by_link is None and same_file is not None:
        node = same_file
    else:
        node = store.upsert_node(
            Node.media(link, platform, status=NodeStatus.RESOLVED),
            session,
        )
    node.attributes = _with_fingerprint(node.attributes or {}, fetched, max_pixels)
    session.add(node)
    session.flush()
    assert node.id is not None
    store.add_embed(
        shown_by,
        node.id,
        session,
        extractor="media",
        trace_id=trace_id,
        evidence=shows or f"shows {fetched.url}",
    )
    for match in similar(session, found, threshold, exclude=node.id):
        how = (
            "the same file (sha256)"
            if match.exact
            else f"pHash distance {match.distance} of 64 bits (threshold {threshold})"
        )
        older, newer = sorted((node, match.node), key=lambda n: n.id or 0)
        assert older.id is not None and newer.id is not None
        store.upsert_edge(
            Edge(
                source_id=newer.id,
                target_id=older.id,
                relation=Relation.SAME_AS,
                evidence=how,
                confidence=round(1 - match.distance / 64, 3),
                extractor="media-fingerprint",
                trace_id=trace_id,
            ),
            session,
        )
    return node


def _with_fingerprint(
    attributes: dict[str, Any], fetched: FetchedMedia, max_pixels: int
) -> dict[str, Any]:
    found = fetched.fingerprint
    urls = list(attributes.get("urls") or [])
    if fetched.url not in urls:
        urls.append(fetched.url)
    updated = {
        **attributes,
        FINGERPRINT: found.as_json(),
        "media_url": attributes.get("media_url") or fetched.url,
        "urls": urls,
        "content_type": fetched.content_type,
        "fingerprinted_at": utcnow().isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    preview = preview_uri(fetched.response.content, max_pixels)
    if preview:
        updated["thumbnail"] = preview
    # the file's own claims: anyone can write them, so they are kept apart and named so
    if found.exif:
        updated["exif_claims"] = found.exif
    if found.c2pa:
        updated["c2pa"] = found.c2pa
    return updated
