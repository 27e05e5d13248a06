"""A stored chain: the nodes, edges and captures reachable from a root, read back.

`trace`, `show` and `export` all read chains from the database through `load_chain`, as
the typed read model tracer.store.readmodel.Chain, so what they print has one shape: the
DESIGN object (input, root, nodes with captures, edges with evidence, first_appearance)
plus `path` (node ids from the root to the first appearance) and `candidates`. An edge
named in several sentences is several `edges` entries, one per mention (see edge_entries).

Edges are followed from the root whichever trace stored them: two traces that meet share
nodes, and the chain from either root runs through what both found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from tracer.errors import InputError
from tracer.store.model import (
    Candidate,
    Capture,
    Edge,
    EdgeMention,
    Node,
    NodeKind,
    Precision,
    Trace,
    as_utc,
)
from tracer.store.readmodel import (
    CandidateEntry,
    Chain,
    ChainNode,
    EdgeEntry,
    FirstAppearance,
)
from tracer.store.serialize import format_time, node_ref, parse_node_id
from tracer.store.walks import shortest_path

#: rows fetched per IN (...) query: well under SQLite's and PostgreSQL's parameter limits
_BATCH = 500

#: how much a kind of time is trusted for the first appearance; lower wins. A post's own
#: time (platform timestamp, id-encoded time, embed signature) beats an archive's
#: earliest capture, which beats a page's own metadata (often rewritten on update).
POST_TIME, CAPTURE_TIME, PAGE_TIME = 0, 1, 2


def find_node(session: Session, text: str) -> Node:
    """The stored node named by an id (`n12`, `12`) or a URL; InputError when none is."""
    text = text.strip()
    node_id = parse_node_id(text)
    if node_id is not None:
        node = session.get(Node, node_id)
        if node is None:
            raise InputError(f"no stored node with id n{node_id}")
        return node
    variants = {text, text.rstrip("/"), text.rstrip("/") + "/"}
    for column in (Node.canonical_url, Node.identity, Node.url):
        found = session.exec(
            select(Node).where(col(column).in_(variants)).order_by(col(Node.id))
        ).first()
        if found is not None:
            return found
    raise InputError(f"no stored node for {text!r} (give a stored URL or an id like n12)")


def chain_roots(session: Session, node_id: int) -> list[int]:
    """The articles whose chains contain the node, the earliest traced first.

    Edges are walked backwards (from what is cited to what cites it) to every node the
    node can be reached from; the roots of stored traces among them are the answer. A
    node no trace reaches (a watched link, say) is shown from the nodes that reach it and
    that nothing cites, or on its own.
    """
    ancestors = {node_id}
    tops: list[int] = []
    frontier = [node_id]
    while frontier:
        citing: dict[int, set[int]] = {target: set() for target in frontier}
        for batch in _batches(frontier):
            rows = session.exec(
                select(Edge.source_id, Edge.target_id).where(col(Edge.target_id).in_(batch))
            ).all()
            for source, target in rows:
                citing[target].add(source)
        tops.extend(target for target, sources in citing.items() if not sources)
        frontier = sorted({s for sources in citing.values() for s in sources} - ancestors)
        ancestors.update(frontier)
    traced: list[tuple[int, int]] = []  # (trace id, root)
    for batch in _batches(sorted(ancestors)):
        runs = session.exec(
            select(Trace.id, Trace.root_node_id).where(col(Trace.root_node_id).in_(batch))
        ).all()
        traced.extend((trace, root) for trace, root in runs if trace and root)
    roots = list(dict.fromkeys(root for _, root in sorted(traced))) or sorted(set(tops))
    return roots or [node_id]


def _batches(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]


def _reachable(session: Session, root_id: int, depth: int | None) -> tuple[list[int], list[Edge]]:
    """Node ids within `depth` hops of the root (all when None), in BFS order, and the edges."""
    hops = {root_id: 0}
    order = [root_id]
    edges: dict[int, Edge] = {}
    frontier = deque([root_id])
    while frontier:
        # one query per BFS layer, not per node
        layer = list(frontier)
        frontier.clear()
        if depth is not None and hops[layer[0]] >= depth:
            continue
        for batch in _batches(layer):
            rows = session.exec(
                select(Edge).where(col(Edge.source_id).in_(batch)).order_by(col(Edge.id))
            ).all()
            for edge in rows:
                edges[edge.id or 0] = edge
                if edge.target_id not in hops:
                    hops[edge.target_id] = hops[edge.source_id] + 1
                    order.append(edge.target_id)
                    frontier.append(edge.target_id)
    return order, sorted(edges.values(), key=lambda e: e.id or 0)


def _nodes(session: Session, ids: Sequence[int]) -> dict[int, Node]:
    found: dict[int, Node] = {}
    for batch in _batches(ids):
        for node in session.exec(select(Node).where(col(Node.id).in_(batch))).all():
            found[node.id or 0] = node
    return found


def _captures(session: Session, ids: Sequence[int]) -> dict[int, list[Capture]]:
    found: dict[int, list[Capture]] = {}
    for batch in _batches(ids):
        rows = session.exec(
            select(Capture).where(col(Capture.node_id).in_(batch)).order_by(col(Capture.id))
        ).all()
        for capture in rows:
            found.setdefault(capture.node_id, []).append(capture)
    return found


def _candidates(session: Session, ids: Sequence[int]) -> list[CandidateEntry]:
    rows: dict[int, Candidate] = {}
    for batch in _batches(ids):
        query = select(Candidate).where(
            or_(col(Candidate.node_id).in_(batch), col(Candidate.cited_by_id).in_(batch))
        )
        for candidate in session.exec(query).all():
            rows[candidate.id or 0] = candidate
    return [
        CandidateEntry(
            node=node_ref(c.node_id),
            cited_by=node_ref(c.cited_by_id) if c.cited_by_id is not None else None,
            url=c.url,
            score=c.score,
            method=c.method,
            reason=c.reason,
            published_at=format_time(c.published_at),
            accepted=c.accepted,
        )
        for c in sorted(rows.values(), key=lambda c: (-c.score, c.id or 0))
    ]


def first_appearance(
    nodes: Sequence[Node], captures: dict[int, list[Capture]]
) -> FirstAppearance | None:
    """The chain's first appearance: the earliest time of the most trusted kind present.

    Within a kind, an earlier day wins; on the same day an exact time beats a date known
    only to the day (a signature's "July 28" says nothing about the hour).
    """
    best: tuple[tuple[int, date, int, datetime, int], str] | None = None
    for node in nodes:
        found: list[tuple[int, datetime, bool, str]] = []
        published = as_utc(node.published_at)
        if published is not None:
            # a post's own time, or a time encoded in a platform id, beats any capture
            trust = POST_TIME if node.kind in (NodeKind.POST, NodeKind.MEDIA) else PAGE_TIME
            coarse = node.precision in (Precision.DAY, Precision.MONTH, Precision.YEAR)
            found.append((trust, published, coarse, node.published_at_method or "published time"))
        for capture in captures.get(node.id or 0, []):
            captured = as_utc(capture.captured_at)
            # a 404 or a redirect in an archive is no evidence the content existed then
            if captured is not None and (capture.status is None or 200 <= capture.status < 300):
                found.append(
                    (CAPTURE_TIME, captured, False, f"earliest capture ({capture.archive})")
                )
        for trust, when, coarse, method in found:
            key = (trust, when.date(), int(coarse), when, node.id or 0)
            if best is None or key < best[0]:
                best = (key, method)
    if best is None:
        return None
    (trust, _day, _coarse, when, node_id), method = best
    precise = next(n for n in nodes if n.id == node_id) if trust != CAPTURE_TIME else None
    return FirstAppearance(
        node=node_ref(node_id),
        at=format_time(when, precise.precision if precise is not None else None),
        method=method,
    )


def _path(root: int, goal: int, edges: Sequence[Edge]) -> list[str]:
    outgoing: dict[int, list[int]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source_id, []).append(edge.target_id)
    return [node_ref(n) for n in shortest_path(root, goal, outgoing)]


def _mentions(session: Session, edge_ids: Sequence[int]) -> dict[int, list[EdgeMention]]:
    """Each edge's mentions in text order (sentence, then the name's place in it)."""
    found: dict[int, list[EdgeMention]] = {}
    for batch in _batches(edge_ids):
        rows = session.exec(
            select(EdgeMention)
            .where(col(EdgeMention.edge_id).in_(batch))
            .order_by(col(EdgeMention.evidence_start), col(EdgeMention.start), col(EdgeMention.id))
        ).all()
        for mention in rows:
            found.setdefault(mention.edge_id, []).append(mention)
    return found


def edge_entries(edge: Edge, mentions: Sequence[EdgeMention] = ()) -> list[EdgeEntry]:
    """The `edges` entries of one edge: one per mention, its primary evidence first.

    A consumer reading `edges` sees every sentence that cites a source; each entry has
    the edge's source, target and relation, the sentence and its offsets, and `surface`
    (the name as written there) when known. An edge without mentions is one entry, as
    before mentions were stored.
    """
    named = {(m.evidence_start, m.evidence_end) for m in mentions if m.surface is not None}
    # a sentence stored before extraction knew where the name stood (surface None) adds
    # nothing once a mention with its name is stored for the same sentence
    kept = [
        m
        for m in mentions
        if m.surface is not None or (m.evidence_start, m.evidence_end) not in named
    ]
    primary = next(
        (
            m
            for m in kept
            if (m.evidence_start, m.evidence_end) == (edge.evidence_start, edge.evidence_end)
        ),
        None,
    )
    entries: list[EdgeEntry] = []
    if primary is not None or edge.evidence is not None or not kept:
        entry = EdgeEntry.of(edge)
        if primary is not None and primary.surface is not None:
            entry = replace(entry, surface=primary.surface)
        entries.append(entry)
    entries += [EdgeEntry.of(edge, mention) for mention in kept if mention is not primary]
    return entries


def load_chain(session: Session, root_node_id: int | None, depth: int | None = None) -> Chain:
    """The chain from a stored root to `depth` hops (all when None); the whole store without a root."""
    if depth is not None and depth < 0:
        raise InputError("depth must be 0 or more")
    if root_node_id is not None:
        if session.get(Node, root_node_id) is None:
            raise InputError(f"no stored node with id n{root_node_id}")
        ids, edges = _reachable(session, root_node_id, depth)
    else:
        ids = list(session.exec(select(Node.id).order_by(col(Node.id))).all())  # type: ignore[arg-type]
        edges = list(session.exec(select(Edge).order_by(col(Edge.id))).all())
    nodes = _nodes(session, ids)
    inside = set(nodes)
    edges = [e for e in edges if e.source_id in inside and e.target_id in inside]
    captures = _captures(session, ids)
    mentions = _mentions(session, [e.id for e in edges if e.id is not None])
    ordered = [nodes[i] for i in ids if i in nodes]
    first = first_appearance(ordered, captures)
    chain = Chain(
        input=_input(session, root_node_id, nodes),
        root=node_ref(root_node_id) if root_node_id is not None else None,
        nodes=[ChainNode.of(n, captures.get(n.id or 0, [])) for n in ordered],
        edges=[entry for e in edges for entry in edge_entries(e, mentions.get(e.id or 0, []))],
        first_appearance=first,
        candidates=_candidates(session, ids),
    )
    if root_node_id is not None and first is not None:
        chain.path = _path(root_node_id, parse_node_id(first.node) or 0, edges)
    if any(node.kind == NodeKind.MEDIA for node in ordered):
        # imported only for a chain with pictures: the media package brings numpy and
        # imagehash, an eighth of a second of an offline trace that stores none
        from tracer.media.appearance import chain_media

        images = chain_media(session, ordered)
        if images:
            chain.media = images
    return chain


def _input(session: Session, root_node_id: int | None, nodes: dict[int, Node]) -> str | None:
    """What the user traced to reach this root (the latest trace's input), else its URL."""
    if root_node_id is None:
        return None
    trace = session.exec(
        select(Trace)
        .where(col(Trace.root_node_id) == root_node_id)
        .order_by(col(Trace.started_at).desc(), col(Trace.id).desc())
    ).first()
    if trace is not None:
        return trace.input
    root = nodes[root_node_id]
    return root.canonical_url or root.url or root.name
