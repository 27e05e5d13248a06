"""Each image of a chain as `trace --format json` and `show` print it: its fingerprints,
the group of stored images that are the same image, where the group appears, and when it
first appeared.

The first appearance is the earliest of three kinds of evidence, each named by its method:

- a post or page that shows any image of the group, at its own time (a post's time, an
  id-encoded time, a page's date);
- an archived capture of the file URL of any image of the group (`tracer.media.archived`);
- an archived copy of a page of the chain that showed the image then.

Every piece of evidence is listed under `appearances`, earliest first. A file's EXIF
capture time is only what the file claims (anyone can write it), so it is reported
beside, as `claimed_by_file`, never as the first appearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from tracer.errors import InputError
from tracer.media.lookup import FINGERPRINT
from tracer.store.model import Capture, Edge, Node, NodeKind, Relation, as_utc
from tracer.store.serialize import format_time


def group_of(session: Session, node_id: int) -> list[int]:
    """The node and every stored image joined to it by `same_as`, directly or not."""
    seen = {node_id}
    frontier = [node_id]
    while frontier:
        edges = session.exec(
            select(Edge.source_id, Edge.target_id).where(
                col(Edge.relation) == Relation.SAME_AS,
                or_(col(Edge.source_id).in_(frontier), col(Edge.target_id).in_(frontier)),
            )
        ).all()
        found = {n for pair in edges for n in pair} - seen
        seen.update(found)
        frontier = sorted(found)
    return sorted(seen)


def shown_by(session: Session, image_ids: Sequence[int]) -> list[tuple[Node, int]]:
    """The posts and pages that embed any of the images, with the image each shows."""
    rows = session.exec(
        select(Edge.source_id, Edge.target_id).where(
            col(Edge.relation) == Relation.EMBEDS, col(Edge.target_id).in_(image_ids)
        )
    ).all()
    found = []
    for source, target in rows:
        node = session.get(Node, source)
        if node is not None and node.kind != NodeKind.MEDIA:
            found.append((node, target))
    return found


def appearances(
    session: Session, group: Sequence[int], showing: Sequence[tuple[Node, int]]
) -> list[dict[str, Any]]:
    """Every dated piece of evidence that the group's image existed, earliest first."""
    found: list[tuple[datetime, dict[str, Any]]] = []
    for node, _image in showing:
        when = as_utc(node.published_at)
        if when is not None:
            method = node.published_at_method or "published time"
            found.append(
                (
                    when,
                    {
                        "at": format_time(when, node.precision),
                        "node": f"n{node.id}",
                        "method": f"earliest post or page showing it ({method})",
                    },
                )
            )
    images = [n for n in (session.get(Node, i) for i in group) if n is not None]
    files = {
        (image.id, _file_key(url))
        for image in images
        for url in (image.attributes or {}).get("urls") or []
    }
    captures = session.exec(select(Capture).where(col(Capture.node_id).in_(list(group)))).all()
    for capture in captures:
        when = as_utc(capture.captured_at)
        evidence = capture.status is None or 200 <= capture.status < 300
        filed = (capture.node_id, _file_key(capture.original_url))
        if when is None or not evidence or filed not in files:
            continue
        found.append(
            (
                when,
                {
                    "at": format_time(when),
                    "node": f"n{capture.node_id}",
                    "method": f"earliest archived capture of its file ({capture.archive})",
                    "memento": capture.memento_url,
                },
            )
        )
    for image in images:
        for sighting in (image.attributes or {}).get("archived_sightings") or []:
            when = as_utc(_parse(sighting.get("captured_at")))
            if when is None:
                continue
            found.append(
                (
                    when,
                    {
                        "at": format_time(when),
                        "node": f"n{sighting['page']}",
                        "method": (
                            "earliest archived copy of a page showing it "
                            f"({sighting['archive']}, pHash distance {sighting['distance']})"
                        ),
                        "memento": sighting["memento"],
                        "image": sighting["image"],
                    },
                )
            )
    found.sort(key=lambda pair: (pair[0], pair[1]["method"]))
    return [item for _when, item in found]


def _file_key(url: str | None) -> str | None:
    """A file URL as archives may file it: http or https, :80, a host's case, alike."""
    from tracer.locate.locator import normalize_url  # its archive machinery loads only when needed

    if not url:
        return None
    try:
        return normalize_url(url).split("://", 1)[1]
    except InputError:
        return None


def _parse(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def image_json(session: Session, image: Node) -> dict[str, Any]:
    assert image.id is not None
    attributes = image.attributes or {}
    group = group_of(session, image.id)
    showing = shown_by(session, group)
    evidence = appearances(session, group, showing)
    return {
        "node": f"n{image.id}",
        "url": image.canonical_url or image.url,
        "media_url": attributes.get("media_url"),
        "fingerprint": attributes.get(FINGERPRINT),
        "thumbnail": attributes.get("thumbnail"),
        "same_image": [f"n{n}" for n in group if n != image.id],
        "shown_by": [
            {
                "node": f"n{node.id}",
                "image": f"n{target}",
                "published_at": format_time(node.published_at, node.precision),
            }
            for node, target in sorted(showing, key=lambda pair: (pair[0].id or 0, pair[1]))
        ],
        "first_appearance": evidence[0] if evidence else None,
        "appearances": evidence,
        "claimed_by_file": attributes.get("exif_claims") or None,
        "c2pa": attributes.get("c2pa"),
        "status": image.status,
        **({"error": image.error} if image.error else {}),
    }


def chain_media(session: Session, nodes: Sequence[Node]) -> list[dict[str, Any]]:
    """Every image node of a chain that was fetched (fingerprinted or failed), in order."""
    return [
        image_json(session, node)
        for node in nodes
        if node.kind == NodeKind.MEDIA
        and node.id is not None
        and (FINGERPRINT in (node.attributes or {}) or "media_url" in (node.attributes or {}))
    ]
