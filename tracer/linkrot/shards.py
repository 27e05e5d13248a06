"""Several HTTP clients, each serving a fixed group of hosts.

One client's connection pool scans all its connections for every request it assigns,
so a pool of hundreds of connections (a night run with 100 hosts x 2 in flight) spends
more time scanning than the requests take. Giving each group of about eight hosts its
own client keeps every pool small. A host always uses the same client, so the HTTP
layer's per-host politeness holds; the run's dispatcher keeps the global cap.
"""

from __future__ import annotations

from collections.abc import Callable

from tracer.http import HTTPClient

#: requests in flight one client's pool is sized for
CONNECTIONS_PER_SHARD = 16


class HostShards:
    def __init__(
        self, primary: HTTPClient, factory: Callable[[], HTTPClient] | None, total: int
    ) -> None:
        self.primary = primary
        self.factory = factory
        count = max(1, -(-total // CONNECTIONS_PER_SHARD)) if factory else 1
        self.clients: list[HTTPClient | None] = [primary] + [None] * (count - 1)
        self._hosts: dict[str, int] = {}
        self._load = [0] * count

    def client(self, host: str) -> HTTPClient:
        index = self._hosts.get(host)
        if index is None:
            # the group with fewest hosts takes a new host, so groups stay even
            index = min(range(len(self._load)), key=self._load.__getitem__)
            self._hosts[host] = index
            self._load[index] += 1
        client = self.clients[index]
        if client is None:
            assert self.factory is not None
            client = self.clients[index] = self.factory()
        return client

    async def aclose(self) -> None:
        for client in self.clients[1:]:
            if client is not None:
                await client.aclose()
