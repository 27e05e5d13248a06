"""Where a platform's wrapper or short link leads, as an identity."""

from __future__ import annotations

from tracer.plugins.platform import Identity, PlatformAdapter
from tracer.store.model import NodeKind
from tracer.urls import clean_url


def destination(adapter: PlatformAdapter, target: str) -> Identity | None:
    """What a link of `adapter`'s platform that leads to `target` (an outbound wrapper, a
    short link) stands for: the platform's own identity of `target` when it is one, the
    web page at `target` otherwise; None when `target` is no web address."""
    found = adapter.parse(target)
    if found is not None:
        return found
    try:
        return Identity(
            platform="web", kind=NodeKind.PAGE, canonical_url=clean_url(target), url=target
        )
    except ValueError:
        return None
