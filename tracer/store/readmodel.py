"""A chain as it is read back: typed read models of the JSON contract (DESIGN.md).

`load_chain` builds a `Chain` from the store, `Chain.to_json()` is the `trace --format json`
object, and every renderer reads the `Chain` itself, so the contract's shape is written in
one place. `Chain.from_json` reads such an object back (a saved chain, a hand-built one)
and says in one line what keeps it from being a chain.

Values are kept as the store or the file gave them: display cleaning (control characters,
markup) is each renderer's, since only it knows its output's escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Self

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


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a JSON list; anything else in it is not an entry."""
    return [item for item in value if isinstance(item, Mapping)] if _listish(value) else []


def _listish(value: Any) -> bool:
    return isinstance(value, list | tuple)


#: how a JSON value is read into a field of each declared type (annotations are strings
#: under `from __future__ import annotations`)
_READERS: dict[str, Callable[[Any], Any]] = {
    "str": str,
    "str | None": _text,
    "int | None": _int,
    "float | None": _float,
    "bool": bool,
}


class _Entry:
    """An object of the JSON contract whose keys are its dataclass fields, in order; a key
    that is missing reads as the field's default (None), a value is read by its type."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        values = {
            f.name: _READERS[str(f.type)](data[f.name])
            for f in fields(cls)  # type: ignore[arg-type]
            if data.get(f.name) is not None
        }
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChainCapture(_Entry):
    """An archived copy of a node's URL, as the chain lists it."""

    archive: str | None = None
    url: str | None = None
    captured_at: str | None = None
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


@dataclass(frozen=True)
class ChainNode(_Entry):
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
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        if data.get("id") in (None, ""):
            raise InputError("every node of a chain needs an 'id'")
        nested = ("captures", "attributes")
        node = super().from_json({k: v for k, v in data.items() if k not in nested})
        attributes = data.get("attributes")
        return replace(
            node,
            captures=tuple(ChainCapture.from_json(c) for c in _dicts(data.get("captures"))),
            attributes=attributes if isinstance(attributes, Mapping) else {},
        )

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data["id"] = self.id or None
        data["captures"] = [c.to_json() for c in self.captures]
        # a node says why it failed, and what else is known of it, only when it has to
        if not self.error:
            del data["error"]
        if self.attributes:
            data["attributes"] = dict(self.attributes)
        else:
            del data["attributes"]
        return data

    @property
    def address(self) -> str | None:
        """Where the node is on the web: its canonical URL, else the URL it was met at."""
        return self.canonical_url or self.url


@dataclass(frozen=True)
class EdgeEntry(_Entry):
    """One `edges` entry: an edge and one sentence that shows it (its evidence and offsets),
    with `surface`, the name as written there, when known. An edge named in several
    sentences is several entries (see tracer.store.chain.edge_entries)."""

    source: str
    target: str
    relation: str | None = None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    surface: str | None = None

    @classmethod
    def of(cls, edge: Edge, mention: EdgeMention | None = None) -> EdgeEntry:
        """The edge with its primary evidence, or with a mention's sentence and name."""
        ends = (node_ref(edge.source_id), node_ref(edge.target_id), edge.relation)
        if mention is None:
            return cls(*ends, edge.evidence, edge.evidence_start, edge.evidence_end)
        return cls(
            *ends,
            mention.evidence,
            mention.evidence_start,
            mention.evidence_end,
            mention.surface,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        if "source" not in data or "target" not in data:
            raise InputError("every edge of a chain needs a 'source' and a 'target'")
        return super().from_json(data)

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        if self.surface is None:
            del data["surface"]  # only an entry that knows where the name stands says so
        return data


@dataclass(frozen=True)
class FirstAppearance(_Entry):
    """The earliest evidence the chain holds that its content existed: where and when."""

    node: str
    at: str | None = None
    method: str | None = None

    @classmethod
    def read(cls, data: Any) -> FirstAppearance | None:
        """The first appearance a chain's JSON gives, if it names a node."""
        if not isinstance(data, Mapping) or data.get("node") in (None, ""):
            return None
        return cls.from_json(data)


@dataclass(frozen=True)
class CandidateEntry(_Entry):
    """A possible target for a named source that a search considered, with its score."""

    node: str | None = None
    cited_by: str | None = None
    url: str | None = None
    score: float | None = None
    method: str | None = None
    reason: str | None = None
    published_at: str | None = None
    accepted: bool = False


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
            first_appearance=FirstAppearance.read(data.get("first_appearance")),
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
