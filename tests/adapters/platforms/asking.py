"""What the platform tests ask of an adapter, written once for every platform."""

from __future__ import annotations

from tracer.http.client import HTTPClient
from tracer.plugins.platform import Identity, PlatformAdapter
from tracer.store.model import NodeKind, Relation


async def enrich(adapter: PlatformAdapter, url: str, http: HTTPClient) -> Identity:
    """`url` as `adapter` reads it offline (it must be one of its platform's), enriched."""
    identity = adapter.parse(url)
    assert identity is not None, url
    return await adapter.enrich(identity, http)


def redirect_target(identity: Identity) -> Identity:
    """The one identity that `identity` says it redirects to."""
    [related] = identity.related
    assert related.relation == Relation.REDIRECTS_TO
    return related.identity


def parsed_as(adapter: PlatformAdapter, url: str, kind: NodeKind, canonical: str) -> Identity:
    """`url` as `adapter` reads it offline: one of its platform's, a `kind` at `canonical`."""
    identity = adapter.parse(url)
    assert identity is not None, url
    assert identity.platform == adapter.name
    assert identity.kind == kind
    assert identity.canonical_url == canonical
    return identity
