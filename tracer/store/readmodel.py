"""A chain as it is read back: typed read models of the JSON contract (DESIGN.md).

`load_chain` builds a `Chain` from the store, `Chain.to_json()` is the `trace --format json`
object, and every renderer reads the `Chain` itself, so the contract's shape is written in
one place. `Chain.from_json` reads such an object back (a saved chain, a hand-built one)
and says in one line what keeps it from being a chain.

Values are kept as the store or the file gave them: display cleaning (control characters,
markup) is each renderer's, since only it knows its output's escaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracer.errors import InputError
from tracer.store.model import Capture, Edge, EdgeMention, Node, as_utc
from tracer.store.serialize import format_time, node_ref


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a JSON list; anything else in it is not an entry."""
    return [item for item in value or () if isinstance(item, Mapping)] if _listish(value) else []


def _listish(value: Any) -> bool:
    return isinstance(value, list | tuple)


@dataclass(frozen=True)
class ChainCapture:
    """An archived copy of a node's URL, as the chain lists it."""

    archive: str | None
    url: str | None
    captured_at: str | None
    status: int | None = None
    digest: str | None = None

    @classmethod
    def of(cls, capture: Capture) -> ChainCapture:
        return cls(
            archive=capture.archive,
            url=capture.memento_url,
            captured_at=format_time(capture.captured_at),
            status=capture.status,
            digest=capture.digest,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChainCapture:
        return cls(
            archive=_text(data.get("archive")),
            url=_text(data.get("url")),
            captured_at=_text(data.get("captured_at")),
            status=_int(data.get("status")),
            digest=_text(data.get("digest")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "archive": self.archive,
            "url": self.url,
            "captured_at": self.captured_at,
            "status": self.status,
            "digest": self.digest,
        }


@dataclass(frozen=True)
class ChainNode:
    """A node as every JSON output shows it; `id` is the stored id ("n<id>")."""

    id: str
    kind: str | None = None
    platform: str | None = None
    name: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    handle: str | None = None
    platform_id: str | None = None
    #: ISO 8601 in UTC; a day-precision time is YYYY-MM-DD
    published_at: str | None = None
    published_at_method: str | None = None
    precision: str | None = None
    captures: tuple[ChainCapture, ...] = ()
    status: str | None = None
    error: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, node: Node, captures: Iterable[Capture] = ()) -> ChainNode:
        """A stored node with its captures, earliest first (undated ones last)."""
        dated = sorted(
            captures, key=lambda c: (as_utc(c.captured_at) is None, as_utc(c.captured_at) or 0)
        )
        return cls(
            id=node_ref(node.id) if node.id is not None else "",
            kind=node.kind,
            platform=node.platform,
            name=node.name,
            url=node.url,
            canonical_url=node.canonical_url,
            handle=node.handle,
            platform_id=node.platform_id,
            published_at=format_time(node.published_at, node.precision),
            published_at_method=node.published_at_method,
            precision=node.precision,
            captures=tuple(ChainCapture.of(c) for c in dated),
            status=node.status,
            error=node.error,
            attributes=node.attributes or {},
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChainNode:
        if data.get("id") in (None, ""):
            raise InputError("every node of a chain needs an 'id'")
        attributes = data.get("attributes")
        return cls(
            id=str(data["id"]),
            kind=_text(data.get("kind")),
            platform=_text(data.get("platform")),
            name=_text(data.get("name")),
            url=_text(data.get("url")),
            canonical_url=_text(data.get("canonical_url")),
            handle=_text(data.get("handle")),
            platform_id=_text(data.get("platform_id")),
            published_at=_text(data.get("published_at")),
            published_at_method=_text(data.get("published_at_method")),
            precision=_text(data.get("precision")),
            captures=tuple(ChainCapture.from_json(c) for c in _dicts(data.get("captures"))),
            status=_text(data.get("status")),
            error=_text(data.get("error")),
            attributes=attributes if isinstance(attributes, Mapping) else {},
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id or None,
            "kind": self.kind,
            "platform": self.platform,
            "name": self.name,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "handle": self.handle,
            "platform_id": self.platform_id,
            "published_at": self.published_at,
            "published_at_method": self.published_at_method,
            "precision": self.precision,
            "captures": [c.to_json() for c in self.captures],
            "status": self.status,
        }
        if self.error:
            data["error"] = self.error
        if self.attributes:
            data["attributes"] = dict(self.attributes)
        return data

    @property
    def address(self) -> str | None:
        """Where the node is on the web: its canonical URL, else the URL it was met at."""
        return self.canonical_url or self.url


@dataclass(frozen=True)
class EdgeEntry:
    """One `edges` entry: an edge and one sentence that shows it (its evidence and offsets),
    with `surface`, the name as written there, when known. An edge named in several
    sentences is several entries (see tracer.store.chain.edge_entries)."""

    source: str
    target: str
    relation: str | None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    surface: str | None = None

    @classmethod
    def of(cls, edge: Edge, mention: EdgeMention | None = None) -> EdgeEntry:
        """The edge with its primary evidence, or with a mention's sentence and name."""
        if mention is None:
            return cls(
                node_ref(edge.source_id),
                node_ref(edge.target_id),
                edge.relation,
                edge.evidence,
                edge.evidence_start,
                edge.evidence_end,
            )
        return cls(
            node_ref(edge.source_id),
            node_ref(edge.target_id),
            edge.relation,
            mention.evidence,
            mention.evidence_start,
            mention.evidence_end,
            mention.surface,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EdgeEntry:
        if "source" not in data or "target" not in data:
            raise InputError("every edge of a chain needs a 'source' and a 'target'")
        return cls(
            source=str(data["source"]),
            target=str(data["target"]),
            relation=_text(data.get("relation")),
            evidence=_text(data.get("evidence")),
            start=_int(data.get("start")),
            end=_int(data.get("end")),
            surface=_text(data.get("surface")),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }
        if self.surface is not None:
            data["surface"] = self.surface
        return data


@dataclass(frozen=True)
class FirstAppearance:
    """The earliest evidence the chain holds that its content existed: where and when."""

    node: str
    at: str | None
    method: str | None

    @classmethod
    def from_json(cls, data: Any) -> FirstAppearance | None:
        if not isinstance(data, Mapping) or data.get("node") in (None, ""):
            return None
        return cls(str(data["node"]), _text(data.get("at")), _text(data.get("method")))

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "at": self.at, "method": self.method}


@dataclass(frozen=True)
class CandidateEntry:
    """A possible target for a named source that a search considered, with its score."""

    node: str | None
    url: str | None
    score: float | None = None
    method: str | None = None
    reason: str | None = None
    cited_by: str | None = None
    published_at: str | None = None
    accepted: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CandidateEntry:
        score = data.get("score")
        return cls(
            node=_text(data.get("node")),
            url=_text(data.get("url")),
            score=float(score) if isinstance(score, int | float) else None,
            method=_text(data.get("method")),
            reason=_text(data.get("reason")),
            cited_by=_text(data.get("cited_by")),
            published_at=_text(data.get("published_at")),
            accepted=bool(data.get("accepted")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "cited_by": self.cited_by,
            "url": self.url,
            "score": self.score,
            "method": self.method,
            "reason": self.reason,
            "published_at": self.published_at,
            "accepted": self.accepted,
        }


@dataclass
class Chain:
    """The nodes, edges and captures reachable from a root, with what the chain shows.

    `path` runs from the root to the first appearance (None when the chain gives none);
    `media` is the chain's images as tracer.media writes them; `focus` marks the node
    `tracer show` was asked about.
    """

    input: str | None
    root: str | None
    nodes: Sequence[ChainNode]
    edges: Sequence[EdgeEntry]
    first_appearance: FirstAppearance | None = None
    path: Sequence[str] | None = None
    candidates: Sequence[CandidateEntry] = ()
    media: Sequence[Mapping[str, Any]] | None = None
    focus: str | None = None

    @classmethod
    def of(cls, chain: Chain | Mapping[str, Any]) -> Chain:
        """`chain` itself, or the chain a JSON object holds."""
        return chain if isinstance(chain, Chain) else cls.from_json(chain)

    @classmethod
    def from_json(cls, data: Any) -> Chain:
        if not isinstance(data, Mapping) or not _listish(data.get("nodes")):
            raise InputError("a chain needs a 'nodes' list (the trace --format json object)")
        nodes = []
        for item in data["nodes"]:
            if not isinstance(item, Mapping):
                raise InputError("every node of a chain needs an 'id'")
            nodes.append(ChainNode.from_json(item))
        edges = []
        for item in data.get("edges") or ():
            if not isinstance(item, Mapping):
                raise InputError("every edge of a chain needs a 'source' and a 'target'")
            edges.append(EdgeEntry.from_json(item))
        path = data.get("path")
        media = data.get("media")
        steps = [str(n) for n in path] if isinstance(path, list | tuple) else None
        return cls(
            input=_text(data.get("input")),
            root=_text(data.get("root")),
            nodes=nodes,
            edges=edges,
            first_appearance=FirstAppearance.from_json(data.get("first_appearance")),
            path=steps,
            candidates=[CandidateEntry.from_json(c) for c in _dicts(data.get("candidates"))],
            media=_dicts(media) if media is not None else None,
            focus=_text(data.get("focus")),
        )

    def to_json(self) -> dict[str, Any]:
        """The contract's chain object: the keys in the order DESIGN.md lists them."""
        data: dict[str, Any] = {
            "input": self.input,
            "root": self.root,
            "nodes": [n.to_json() for n in self.nodes],
            "edges": [e.to_json() for e in self.edges],
            "first_appearance": (
                self.first_appearance.to_json() if self.first_appearance is not None else None
            ),
        }
        if self.path is not None:
            data["path"] = list(self.path)
        data["candidates"] = [c.to_json() for c in self.candidates]
        if self.media is not None:
            data["media"] = [dict(m) for m in self.media]
        if self.focus is not None:
            data["focus"] = self.focus
        return data
