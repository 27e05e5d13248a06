"""The least a link checker can do: the check bench's reference for what the machine allows.

For every host of the URLs given (one a line, in a file), two kept-alive connections
send a GET for each of the host's URLs one after another and read each answer up to its
Content-Length; nothing else: no database, no settings, no redirects, no reading of the
pages, no result kept. Its wall time against the floor is the part of any checker's
ratio that comes from this machine and this Python (starting the interpreter, the event
loop, the loopback sockets, the server sharing the two cores), not from the checker.

    python benchmarks/bare_client.py URLS_FILE [PER_HOST]
"""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict


class _Connection(asyncio.Protocol):
    """One kept-alive connection working through a host's shared list of paths."""

    def __init__(self, authority: str, paths: list[str], done: asyncio.Future[None]) -> None:
        self.authority = authority
        self.paths = paths
        self.done = done
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._next()

    def _next(self) -> None:
        assert self.transport is not None
        if not self.paths:
            self.transport.close()
            self.done.set_result(None)
            return
        path = self.paths.pop()
        self.transport.write(f"GET {path} HTTP/1.1\r\nHost: {self.authority}\r\n\r\n".encode())

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        length = 0
        for line in self.buffer[:end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(self.buffer) >= end + 4 + length:
            self.buffer = self.buffer[end + 4 + length :]
            self._next()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_exception(exc or ConnectionError("closed early"))


async def check(urls: list[str], per_host: int) -> None:
    loop = asyncio.get_running_loop()
    paths: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        authority, _, path = url.split("://", 1)[1].partition("/")
        paths[authority].append("/" + path)
    done: list[asyncio.Future[None]] = []

    async def open_connection(authority: str) -> None:
        host, _, port = authority.rpartition(":")
        finished: asyncio.Future[None] = loop.create_future()
        done.append(finished)
        await loop.create_connection(
            lambda: _Connection(authority, paths[authority], finished), host, int(port)
        )

    await asyncio.gather(*(open_connection(a) for a in list(paths) for _ in range(per_host)))
    await asyncio.gather(*done)


def main() -> None:
    with open(sys.argv[1]) as listing:
        urls = listing.read().split()
    asyncio.run(check(urls, int(sys.argv[2]) if len(sys.argv) > 2 else 2))


if __name__ == "__main__":
    main()
