"""The private-address guard and the connection path every request takes.

Links come from untrusted pages, so a page must never make tracer contact a private,
loopback, link-local, multicast or reserved address (think 169.254.169.254). The guard
sits where connections are made, not where URLs are read: every redirect hop, every
`connect_to` remap and every DNS answer passes through it, and the connection goes to
the very address that was checked, so a DNS answer that changes between check and use
cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import httpcore

from tracer.errors import BlockedAddressError, DNSError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: a resolver answers the addresses of a host name (the tests swap in their own world)
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

# inet_aton accepts the legacy spellings browsers and curl still honour:
# 2130706433, 0x7f.1, 017700000001, 127.1 all mean 127.0.0.1
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a URL host names literally, in any spelling, or None for a name."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _effective(address: IPAddress) -> IPAddress:
    """Unwrap IPv6 forms that carry an IPv4 destination (mapped, 6to4, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in ipaddress.IPv6Network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_public(address: IPAddress) -> bool:
    address = _effective(address)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


class AddressGuard:
    """Refuses non-public destinations unless they fall in an allow-listed network."""

    def __init__(self, allow_networks: Iterable[str] = ()) -> None:
        self.allowed: list[IPNetwork] = [
            ipaddress.ip_network(cidr, strict=False) for cidr in allow_networks
        ]

    def permits(self, address: IPAddress) -> bool:
        if any(address in network for network in self.allowed):
            return True
        effective = _effective(address)
        if effective != address and any(effective in network for network in self.allowed):
            return True
        return is_public(address)

    def check(self, address: IPAddress, host: str) -> None:
        if not self.permits(address):
            raise BlockedAddressError(
                f"refused to connect to {host} ({address}): not a public address"
            )


class ConnectTo:
    """curl's --connect-to: send a host:port's connections to another host:port.

    Keys are "host:port"; an empty or "*" host or port matches any. The most specific
    rule wins (host and port, then host, then port, then the catch-all).
    """

    def __init__(self, rules: Mapping[str, str]) -> None:
        self.rules: dict[tuple[str, str], tuple[str, int | None]] = {}
        for source, target in rules.items():
            host, _, port = source.rpartition(":") if ":" in source else (source, "", "")
            target_host, _, target_port = target.rpartition(":")
            key = (host.lower().strip("[]") or "*", port or "*")
            self.rules[key] = (target_host.strip("[]"), int(target_port) if target_port else None)

    def __call__(self, host: str, port: int) -> tuple[str, int]:
        host = host.lower()
        for key in ((host, str(port)), (host, "*"), ("*", str(port)), ("*", "*")):
            if key in self.rules:
                target_host, target_port = self.rules[key]
                return target_host or host, target_port or port
        return host, port


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DNSError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    except UnicodeError:
        raise DNSError(f"cannot resolve {host}: not a valid host name") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise DNSError(f"cannot resolve {host}: no addresses")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with remapping, resolution and the guard in front."""

    def __init__(
        self,
        guard: AddressGuard,
        connect_to: ConnectTo,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.guard = guard
        self.connect_to = connect_to
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def destinations(self, host: str, port: int) -> tuple[list[IPAddress], int]:
        """The checked addresses and port a connection to host:port may go to.

        Raises BlockedAddressError when any answer is refused, DNSError when none comes.
        """
        literal = parse_ip_literal(host)
        if literal is not None:
            # a literal names its destination: it is judged even when remapped elsewhere
            self.guard.check(literal, host)
        target_host, target_port = self.connect_to(host, port)
        target_literal = parse_ip_literal(target_host)
        addresses = (
            [target_literal]
            if target_literal is not None
            else await self.resolver(target_host, target_port)
        )
        for address in addresses:
            self.guard.check(address, host)
        return addresses, target_port

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses, target_port = await self.destinations(host, port)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), target_port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError(f"refused to connect to the unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
