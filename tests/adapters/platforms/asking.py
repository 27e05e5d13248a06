"""What the platform tests ask of an adapter, written once for every platform."""

from __future__ import annotations

from tracer.http.client import HTTPClient
from tracer.plugins.platform import Identity, PlatformAdapter
from tracer.store.model import Relation


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
