"""The HTTP response cache for look-ups made during traces.

A thin layer over hishel: responses are kept in a SQLite file for a TTL from settings,
keyed by method and URL. Only requests that ask for it go through the cache (the HTTP
layer's `cache=True`); link checks never do, since they must see the live answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from hishel import AsyncSqliteStorage
from hishel.httpx import AsyncCacheTransport


def response_cache(
    path: Path, ttl: float
) -> Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]:
    """A factory that wraps the HTTP layer's transport in a cache stored at `path`."""

    def wrap(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        path.parent.mkdir(parents=True, exist_ok=True)
        storage = AsyncSqliteStorage(database_path=path, default_ttl=ttl)
        return AsyncCacheTransport(next_transport=inner, storage=storage)

    return wrap
