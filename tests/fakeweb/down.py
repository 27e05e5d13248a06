"""Hosts that are down: a loopback port nothing listens on, and a name that resolves to it
while counting each lookup (one a connection attempt)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field

from tracer.http.guard import IPAddress


def closed_port() -> int:
    """A loopback port nothing listens on: a host that is down for the whole run."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RefusingHost:
    """`name` (port 80) remapped to `target`, a name that resolves to a closed port.

    Give the HTTP layer `connect_to` and `resolve`; `lookups` then holds one entry per
    connection attempt to the host."""

    name: str
    target: str = "refused.test"
    port: int = field(default_factory=closed_port)
    lookups: list[str] = field(default_factory=list)

    @property
    def connect_to(self) -> dict[str, str]:
        return {f"{self.name}:80": f"{self.target}:{self.port}"}

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        self.lookups.append(host)
        return [ipaddress.ip_address("127.0.0.1")]
