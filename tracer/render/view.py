"""The chain as every renderer reads it: nodes by id, edges both ways, the highlighted path.

Renderers take the typed chain (tracer.store.readmodel.Chain) that the trace, `show` and
`export` all load, or the DESIGN `trace --format json` object it reads from. This module
is the one place that indexes it, so tolerates what a chain from elsewhere may lack (no
path, a dangling edge, a node without captures) instead of letting each renderer guess.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from tracer.store.readmodel import Chain, ChainCapture, ChainNode, EdgeEntry, FirstAppearance
from tracer.store.walks import shortest_path

#: node kinds drawn as agents (who said it) rather than documents (what was said)
AGENT_KINDS = frozenset({"channel", "outlet", "person", "organization"})


@dataclass(frozen=True)
class Evidence:
    """One sentence that shows an edge: its text, its offsets, the name as written there."""

    text: str
    start: int | None
    end: int | None
    surface: str | None = None


@dataclass(frozen=True)
class ChainEdge:
    """One edge of the chain. `evidence`, `start` and `end` are its primary sentence;
    `evidences` holds every sentence that shows it (the chain lists one entry per
    mention), the primary one first."""

    source: str
    target: str
    relation: str
    evidence: str | None
    start: int | None
    end: int | None
    index: int  # position of its first entry in the chain's edge list: a stable tie-breaker
    evidences: tuple[Evidence, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.relation)

    @property
    def further_mentions(self) -> int:
        """How many sentences beyond the primary one also show this edge."""
        return max(0, len(self.evidences) - 1)

    @classmethod
    def of(cls, entry: EdgeEntry, index: int) -> ChainEdge:
        evidence = _text_or_none(entry.evidence)
        surface = _text_or_none(entry.surface)
        return cls(
            source=entry.source,
            target=entry.target,
            relation=one_line(entry.relation) or "links",
            evidence=evidence,
            start=entry.start,
            end=entry.end,
            index=index,
            evidences=(
                (Evidence(evidence, entry.start, entry.end, surface),)
                if evidence is not None
                else ()
            ),
        )

    def joined(self, other: ChainEdge) -> ChainEdge:
        """This edge with `other`'s sentences added (another entry of the same edge)."""
        evidences = self.evidences + tuple(e for e in other.evidences if e not in self.evidences)
        if self.evidence is None and evidences:
            # an edge whose primary entry has no sentence shows its first known one
            first = evidences[0]
            return replace(
                self, evidence=first.text, start=first.start, end=first.end, evidences=evidences
            )
        return replace(self, evidences=evidences)


@dataclass
class ChainView:
    """Read-only helpers over one chain."""

    chain: Chain
    nodes: dict[str, ChainNode] = field(default_factory=dict)
    edges: list[ChainEdge] = field(default_factory=list)
    outgoing: dict[str, list[ChainEdge]] = field(default_factory=dict)
    incoming: dict[str, list[ChainEdge]] = field(default_factory=dict)

    @classmethod
    def of(cls, chain: Chain | Mapping[str, Any]) -> ChainView:
        view = cls(Chain.of(chain))
        for node in view.chain.nodes:
            view.nodes[node.id] = node
        # the chain lists an edge once per mention; every renderer shows it once
        joined: dict[tuple[str, str, str], ChainEdge] = {}
        for index, entry in enumerate(view.chain.edges):
            edge = ChainEdge.of(entry, index)
            # an edge to a node the chain does not carry cannot be drawn or attributed
            if edge.source in view.nodes and edge.target in view.nodes:
                known = joined.get(edge.key)
                joined[edge.key] = edge if known is None else known.joined(edge)
        view.edges = list(joined.values())
        for edge in view.edges:
            view.outgoing.setdefault(edge.source, []).append(edge)
            view.incoming.setdefault(edge.target, []).append(edge)
        return view

    # -- the chain's landmarks ---------------------------------------------------------

    @property
    def root(self) -> str | None:
        root = self.chain.root
        return root if root is not None and root in self.nodes else None

    @property
    def first_appearance(self) -> FirstAppearance | None:
        first = self.chain.first_appearance
        return first if first is not None and first.node in self.nodes else None

    @property
    def path(self) -> list[str]:
        """Node ids from the root to the first appearance: given, or the shortest one."""
        given = self.chain.path
        if given and all(n in self.nodes for n in given):
            return list(given)
        first, root = self.first_appearance, self.root
        if first is None or root is None:
            return []
        return self.shortest_path(root, first.node)

    @property
    def path_edges(self) -> set[int]:
        """Indexes of the edges along the path: one per hop, the first listed between the pair."""
        chosen: set[int] = set()
        for source, target in pairwise(self.path):
            hops = [e.index for e in self.outgoing.get(source, []) if e.target == target]
            if hops:
                chosen.add(min(hops))
        return chosen

    def shortest_path(self, start: str, goal: str) -> list[str]:
        targets = {source: [e.target for e in edges] for source, edges in self.outgoing.items()}
        return shortest_path(start, goal, targets)

    def depths(self) -> dict[str, int]:
        """Each node's distance from the root (BFS); nodes it cannot reach are absent."""
        root = self.root
        depth: dict[str, int] = {}
        if root is not None:
            self.spread(root, depth)
        return depth

    def spread(self, start: str, distance: dict[str, int]) -> None:
        """Give `start` distance 0 and every node it reaches that `distance` does not hold
        yet its BFS distance from `start`."""
        distance[start] = 0
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for edge in self.outgoing.get(current, []):
                if edge.target not in distance:
                    distance[edge.target] = distance[current] + 1
                    queue.append(edge.target)

    def starts(self) -> list[str]:
        """Where a walk of the whole chain begins: the root, then every node nothing cites.

        A whole-store export has no single root; nodes on a pure cycle are added last so
        that nothing is left out.
        """
        ordered: list[str] = []
        if self.root is not None:
            ordered.append(self.root)
        ordered += [n for n in self.nodes if n not in self.incoming and n not in ordered]
        return ordered

    # -- one node ------------------------------------------------------------------------

    def label(self, node_id: str) -> str:
        node = self.nodes[node_id]
        for value in (node.name, node.handle, node.canonical_url, node.url):
            text = _text_or_none(value)
            if text:
                return text
        return node_id

    def handle_beside_label(self, node_id: str) -> str | None:
        """The node's handle (no @) to show beside its label, or None when it has none or
        the label is that handle already ("@c_lindner" named by its handle alone)."""
        handle = one_line(self.nodes[node_id].handle).lstrip("@")
        if not handle or handle == self.label(node_id).lstrip("@"):
            return None
        return handle

    def other_names(self, node_id: str) -> list[str]:
        """The names besides its label a node goes by: those the text gave it ("Main
        Intelligence Directorate (HUR)") and the registry's ("УНІАН" is UNIAN there)."""
        attributes = self.nodes[node_id].attributes
        names = [*(attributes.get("aliases") or []), attributes.get("registry_name")]
        label = self.label(node_id)
        found = dict.fromkeys(one_line(name) for name in names if isinstance(name, str))
        return [name for name in found if name and name != label]

    def captures(self, node_id: str) -> list[ChainCapture]:
        """A node's captures, earliest first (undated ones last)."""
        return sorted(
            self.nodes[node_id].captures,
            key=lambda c: (c.captured_at is None, c.captured_at or ""),
        )

    def earliest_capture(self, node_id: str) -> ChainCapture | None:
        dated = [c for c in self.captures(node_id) if c.captured_at]
        return dated[0] if dated else None

    def walk(self) -> Iterator[tuple[str, ChainEdge | None, int, bool]]:
        """Depth-first (node, edge that led here, depth, seen before) over the whole chain.

        A node reached a second time (shared by two branches, or on a cycle) is yielded
        once more with `seen before` set and not expanded again, so the walk ends. Edges
        on the path to the first appearance are taken first, so that path is the one
        shown in full.
        """
        on_path = self.path_edges
        seen: set[str] = set()
        # an explicit stack rather than recursion: a whole-store walk can be deep
        stack: list[tuple[str, ChainEdge | None, int]] = []
        for start in [*self.starts(), *self.nodes]:
            if start in seen:
                continue
            stack.append((start, None, 0))
            while stack:
                node_id, via, depth = stack.pop()
                if node_id in seen:
                    yield node_id, via, depth, True
                    continue
                seen.add(node_id)
                yield node_id, via, depth, False
                edges = sorted(
                    self.outgoing.get(node_id, []),
                    key=lambda e: (e.index not in on_path, e.index),
                )
                for edge in reversed(edges):
                    stack.append((edge.target, edge, depth + 1))


# -- media ---------------------------------------------------------------------------------

#: an inline preview the reports may show: a base64 JPEG or PNG, nothing a page could smuggle
_PREVIEW = re.compile(r"data:image/(?:jpeg|png);base64,[A-Za-z0-9+/]+={0,2}")


def media_of(chain: Chain) -> list[Mapping[str, Any]]:
    """The chain's images (its `media` section), each with a node id."""
    return [m for m in chain.media or () if m.get("node")]


def preview_of(image: Mapping[str, Any]) -> str | None:
    """The image's stored preview as a data: URI, when it is one."""
    value = image.get("thumbnail")
    return value if isinstance(value, str) and _PREVIEW.fullmatch(value) else None


def fingerprint_line(image: Mapping[str, Any]) -> str:
    """'512x512 JPEG, 48,213 bytes, sha256 1f2e…, pHash c3a1…, dHash 0f0e…'."""
    return ", ".join(fingerprint_parts(image)) or "not fingerprinted"


def fingerprint_parts(image: Mapping[str, Any]) -> list[str]:
    """The fingerprint's parts: size and format, byte count, then each hash."""
    found = image.get("fingerprint")
    if not isinstance(found, dict):
        return []
    parts = []
    if found.get("width") and found.get("height"):
        size = f"{one_line(found['width'])}x{one_line(found['height'])}"
        parts.append(f"{size} {one_line(found.get('format'))}".strip())
    if isinstance(found.get("bytes"), int):
        parts.append(f"{found['bytes']:,} bytes")
    for key, name in (("sha256", "sha256"), ("phash", "pHash"), ("dhash", "dHash")):
        if found.get(key):
            parts.append(f"{name} {one_line(found[key])}")
    return parts


def appearance_line(appearance: Mapping[str, Any]) -> str:
    """'2024-07-25T10:00:00Z, earliest archived copy of a page showing it (…)'."""
    at = one_line(appearance.get("at")) or "undated"
    method = one_line(appearance.get("method"))
    return f"{at}, {method}" if method else at


def claims_line(image: Mapping[str, Any]) -> str | None:
    """What the file says of itself (EXIF), or None."""
    claims = image.get("claimed_by_file")
    if not isinstance(claims, dict) or not claims:
        return None
    return ", ".join(f"{one_line(k).replace('_', ' ')} {one_line(v)}" for k, v in claims.items())


def more_mentions(edge: ChainEdge) -> str:
    """'+2 more mentions' when further sentences show the edge, else ''."""
    count = edge.further_mentions
    if count == 0:
        return ""
    return f"+{count} more mention{'s' if count > 1 else ''}"


def one_line(value: Any) -> str:
    """`value` as one line of display text: whitespace runs become one space, and control
    characters (a page's ANSI escapes, NULs, bidi-unsafe C1 codes) are dropped."""
    text = "" if value is None else str(value)
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F)
    )
    return " ".join(kept.split())


def chain_time(value: Any) -> datetime | None:
    """A time of the chain (published_at, captured_at, ...) in UTC; None when it is
    missing or not ISO 8601. A time without a zone is taken as UTC, as the store wrote it."""
    text = one_line(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = one_line(value)
    return text or None
