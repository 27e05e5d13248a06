"""Finding an image among the stored media nodes: "have we seen this picture before?"

Fingerprints live in each media node's attributes (`fingerprint`), so a look-up reads
the media nodes that have one and compares them in Python. A Hamming distance over
windowed pHashes has no index a database offers; at tens of thousands of images one scan
stays well under a second, and the scan reads only the kind=media rows (indexed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from tracer.media.fingerprint import Fingerprint, distance
from tracer.store.model import Node, NodeKind

#: the node attribute a fingerprint is stored under
FINGERPRINT = "fingerprint"


@dataclass(frozen=True)
class Match:
    node: Node
    distance: int
    exact: bool  # the same file, byte for byte (same sha256)


def stored_fingerprint(node: Node) -> Fingerprint | None:
    data = (node.attributes or {}).get(FINGERPRINT)
    return Fingerprint.from_json(data) if isinstance(data, dict) else None


def fingerprinted_media(session: Session) -> list[tuple[Node, Fingerprint]]:
    """Every stored media node with a fingerprint, oldest first."""
    rows = session.exec(
        select(Node).where(col(Node.kind) == NodeKind.MEDIA).order_by(col(Node.id))
    ).all()
    found = []
    for node in rows:
        stored = stored_fingerprint(node)
        if stored is not None:
            found.append((node, stored))
    return found


def similar(
    session: Session, wanted: Fingerprint, threshold: int, *, exclude: int | None = None
) -> list[Match]:
    """Stored media within `threshold` bits of `wanted`, closest first (then oldest)."""
    matches = []
    for node, stored in fingerprinted_media(session):
        if node.id == exclude:
            continue
        apart = distance(wanted, stored)
        if apart <= threshold:
            matches.append(Match(node, apart, stored.sha256 == wanted.sha256))
    matches.sort(key=lambda m: (m.distance, m.node.id or 0))
    return matches
