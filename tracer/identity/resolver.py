"""Resolve: a URL becomes an identity on its platform, offline from the URL alone or
online with what the platform says (time of first appearance, author, provenance links).

The platform is the first installed adapter whose `parse` accepts the URL; the generic
web adapter accepts every http(s) URL and is asked last. An adapter's failure, whatever
it is, leaves the identity with status error and a reason: one bad link must never
stop a trace.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlmodel import Session

from tracer.errors import InputError, TracerError
from tracer.plugins.installed import platform_adapters as adapters
from tracer.plugins.platform import Identity, PlatformAdapter
from tracer.store.model import Edge, Node, NodeStatus
from tracer.store.upserts import Store

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient

log = logging.getLogger(__name__)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: a bare host name with a dot, as people paste links: t.me/x, www.rt.com/news/...
_BARE_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?::\d+)?(?:[/?#]|$)"
)


def normalize_input(url: str) -> str:
    """A URL as given by a user, with https:// added to a bare host; InputError otherwise."""
    text = url.strip()
    if not text or any(c.isspace() for c in text):
        raise InputError(f"not a URL: {url!r}")
    if text.lower().startswith(("http://", "https://", "tg:")):
        if text.lower().startswith("http") and not re.match(r"^https?://[^/?#\s]+", text, re.I):
            raise InputError(f"not a URL (no host): {url!r}")
        return text
    if text.startswith("//"):
        return "https:" + text
    if _SCHEME.match(text) and not _BARE_HOST.match(text):
        raise InputError(f"not a web URL (scheme {text.split(':', 1)[0]!r}): {url!r}")
    if _BARE_HOST.match(text):
        return "https://" + text
    raise InputError(f"not a URL: {url!r}")


def parse(
    url: str, available: Sequence[PlatformAdapter] | None = None
) -> tuple[PlatformAdapter, Identity]:
    """The adapter that owns `url` and the identity it reads from the URL alone."""
    normalized = normalize_input(url)
    for adapter in available if available is not None else adapters():
        try:
            identity = adapter.parse(normalized)
        except Exception as exc:  # a third-party adapter's bug must not hide the URL
            log.warning("adapter %s failed to parse %s: %s", adapter.name, normalized, exc)
            continue
        if identity is not None:
            identity.url = url.strip()
            return adapter, identity
    raise InputError(f"no adapter accepts {url!r}")


async def enrich(adapter: PlatformAdapter, identity: Identity, http: HTTPClient) -> Identity:
    """Ask the platform; any failure becomes status error with a one-line reason."""
    try:
        return await adapter.enrich(identity, http)
    except TracerError as exc:
        reason = str(exc) or type(exc).__name__
    except Exception as exc:  # adapters meet the whole web; a parser bug is one node's error
        log.debug("adapter %s failed on %s", adapter.name, identity.canonical_url, exc_info=True)
        reason = f"{adapter.name} adapter failed: {type(exc).__name__}: {exc}"
    identity.status = NodeStatus.ERROR
    identity.error = reason
    return identity


async def resolve_url(
    url: str, http: HTTPClient | None, available: Sequence[PlatformAdapter] | None = None
) -> Identity:
    """The identity of `url`: from the URL alone when `http` is None (status offline),
    else enriched by its platform. Raises InputError only for text that is not a URL."""
    adapter, identity = parse(url, available)
    if http is None:
        identity.status = NodeStatus.OFFLINE
        return identity
    return await enrich(adapter, identity, http)


async def resolve_urls(
    urls: Iterable[str],
    http: HTTPClient | None,
    available: Sequence[PlatformAdapter] | None = None,
) -> list[Identity | InputError]:
    """Every URL resolved concurrently (the HTTP layer keeps each host polite), in input
    order; an input that is not a URL gives its InputError in its place."""

    async def one(url: str) -> Identity | InputError:
        try:
            return await resolve_url(url, http, available)
        except InputError as exc:
            return exc

    return list(await asyncio.gather(*(one(url) for url in urls)))


def identity_node(identity: Identity) -> Node:
    """The node row an identity becomes."""
    return Node.from_identity(identity)


def record(
    store: Store,
    identity: Identity,
    session: Session | None = None,
    related_nodes: list[Node] | None = None,
) -> Node:
    """Store an identity, and the nodes and edges of what it points at by nature
    (forwarded-from, quoted, replied-to). Idempotent; returns the stored node, and
    appends the stored related nodes to `related_nodes` when given."""
    with store.joined(session) as session:
        node = store.upsert_node(identity_node(identity), session)
        assert node.id is not None
        for related in identity.related:
            target = record(store, related.identity, session, related_nodes)
            assert target.id is not None
            if related_nodes is not None:
                related_nodes.append(target)
            store.upsert_edge(
                Edge(
                    source_id=node.id,
                    target_id=target.id,
                    relation=related.relation,
                    evidence=related.evidence,
                    extractor=f"adapter:{identity.platform}",
                ),
                session,
            )
        return node
