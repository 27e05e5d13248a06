"""Media as the JSON outputs show them: a match of `tracer media`, with its chains."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tracer.media.appearance import appearances, group_of, shown_by
from tracer.media.lookup import Match
from tracer.store.chain import chain_roots
from tracer.store.model import Node
from tracer.store.readmodel import ChainNode
from tracer.store.serialize import node_ref


def match_json(session: Session, match: Match) -> dict[str, Any]:
    """A stored image close to the one asked about, and the chains it is part of."""
    assert match.node.id is not None
    chains = []
    for root_id in chain_roots(session, match.node.id):
        root = session.get(Node, root_id)
        if root is not None and root_id != match.node.id:
            chains.append(
                {
                    "root": node_ref(root_id),
                    "name": root.name,
                    "url": root.canonical_url or root.url,
                }
            )
    group = group_of(session, match.node.id)
    evidence = appearances(session, group, shown_by(session, group))
    return {
        "distance": match.distance,
        "exact": match.exact,
        "node": ChainNode.of(match.node).to_json(),
        "chains": chains,
        "first_appearance": evidence[0] if evidence else None,
    }
