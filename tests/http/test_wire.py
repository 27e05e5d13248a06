"""The lean HTTP/1.1 path (tracer.http.wire) through `HTTPClient.fetch(..., lean=True)`.

fakeweb plays whole hosts; where a test needs a wire shape fakeweb cannot make (kept-alive
connections, chunked bodies, stalls, interim answers, malformed bytes), a small raw asyncio
server on 127.0.0.1 answers exactly the bytes the test writes and counts its connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ipaddress
import itertools
import socket
import ssl
import struct
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.fakeweb import FakeWeb, Response, gzip_bomb, redirect
from tests.fakeweb.down import closed_port
from tests.fakeweb.spacing import assert_spaced
from tracer.errors import (
    BlockedAddressError,
    BodyTooLargeError,
    ConnectError,
    ConnectionBrokenError,
    DNSError,
    InputError,
    NetworkError,
    TimeoutError_,
    TLSError,
)
from tracer.http.client import HTTPClient
from tracer.http.guard import AddressGuard, ConnectTo, GuardedBackend, IPAddress
from tracer.http.settings import HTTPSettings
from tracer.http.wire import WirePool, parse_target

pytestmark = pytest.mark.timeout(30)


# -- a raw loopback server ---------------------------------------------------------------


@dataclass
class Seen:
    """One request head as the raw server read it."""

    method: str
    target: str
    lines: list[tuple[str, str]]
    connection: int

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.lines if key.lower() == name.lower()]


@dataclass
class Peer:
    """The server's side of one accepted connection."""

    server: RawServer
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    number: int  # 1 for the first connection the server accepted
    closed_by_client: bool = False

    async def request(self) -> Seen | None:
        """The next request head, or None once the client has closed the connection."""
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            self.closed_by_client = True
            return None
        first, *rest = head.decode("latin-1").split("\r\n")
        method, target, _ = first.split(" ", 2)
        lines = [
            (name.strip(), value.strip())
            for name, _, value in (line.partition(":") for line in rest if line)
        ]
        seen = Seen(method, target, lines, self.number)
        self.server.requests.append(seen)
        return seen

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def until_closed(self) -> None:
        """Wait, sending nothing, until the client closes the connection."""
        with contextlib.suppress(ConnectionError):
            while await self.reader.read(65536):
                pass
        self.closed_by_client = True

    def reset(self) -> None:
        """Close with RST rather than FIN."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Serve = Callable[[Peer], Awaitable[None]]


@dataclass
class RawServer:
    """A loopback server whose every connection is handled by `serve`."""

    serve: Serve
    tls: ssl.SSLContext | None = None
    port: int = 0
    connections: int = 0
    open_now: int = 0
    most_open: int = 0
    peers: list[Peer] = field(default_factory=list)
    requests: list[Seen] = field(default_factory=list)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        peer = Peer(self, reader, writer, self.connections)
        self.peers.append(peer)
        try:
            await self.serve(peer)
        except (ConnectionError, OSError, ssl.SSLError):
            pass
        except asyncio.CancelledError:
            pass  # the test is over: end quietly, as streams log a cancelled handler
        finally:
            self.open_now -= 1
            writer.close()
            self._tasks.discard(task)


def answer(
    body: bytes = b"ok",
    *headers: str,
    status: str = "200 OK",
    length: bool = True,
) -> bytes:
    """A response's bytes: status line, headers (Content-Length unless told not), body."""
    lines = [f"HTTP/1.1 {status}", *headers]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked(data: bytes, size: int) -> list[bytes]:
    """`data` in chunked transfer coding, one piece per chunk, the last-chunk last."""
    pieces = [
        f"{len(data[i : i + size]):x}\r\n".encode() + data[i : i + size] + b"\r\n"
        for i in range(0, len(data), size)
    ]
    return [*pieces, b"0\r\n\r\n"]


async def echo_path(peer: Peer) -> None:
    """Answer every request with its own target, keeping the connection alive."""
    while (seen := await peer.request()) is not None:
        body = seen.target.encode()
        await peer.send(b"" if seen.method == "HEAD" else answer(body, "Content-Type: text/plain"))


async def no_dns(host: str, port: int) -> list[IPAddress]:
    """No name resolves: a test that reaches the resolver has escaped its remap."""
    raise DNSError(f"cannot resolve {host}: no DNS in tests")


def raw_settings(
    server: RawServer | None, hosts: tuple[str, ...] = ("raw.test",), **overrides: Any
) -> HTTPSettings:
    """Settings sending `hosts` (ports 80 and 443) to the raw server, one try per request."""
    connect_to: dict[str, str] = {}
    if server is not None:
        for host in hosts:
            connect_to[f"{host}:80"] = connect_to[f"{host}:443"] = f"127.0.0.1:{server.port}"
    values: dict[str, Any] = {
        "allow_networks": ["127.0.0.0/8"],
        "connect_to": connect_to,
        "per_host_interval": 0.0,
        "backoff_initial": 0.01,
        "backoff_max": 1.0,
        "timeout": 5.0,
        "connect_timeout": 2.0,
        "total_timeout": 10.0,
        "max_attempts": 1,
    }
    values.update(overrides)
    return HTTPSettings(**values)


def raw_client(server: RawServer | None, **overrides: Any) -> HTTPClient:
    return HTTPClient(raw_settings(server, **overrides), resolver=no_dns)


async def eventually(condition: Callable[[], bool], within: float = 2.0) -> bool:
    """Whether `condition` holds within `within` seconds."""
    end = time.monotonic() + within
    while not condition():
        if time.monotonic() > end:
            return False
        await asyncio.sleep(0.01)
    return True


@dataclass
class TLSWorld:
    """A throw-away CA, a server context for raw.test, and the CA file clients trust."""

    server: ssl.SSLContext
    ca_file: str


_CA_NUMBERS = itertools.count()


def tls_world(tmp_path: Path, name: str = "raw.test") -> TLSWorld:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    ca_file = tmp_path / f"ca-{next(_CA_NUMBERS)}.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return TLSWorld(context, str(ca_file))


# -- 1. a plain GET over TLS -------------------------------------------------------------


async def test_tls_is_verified_with_the_clients_context(tmp_path: Path) -> None:
    """A certificate from a CA the client does not trust is a TLSError, not retried."""
    trusted, stranger = tls_world(tmp_path), tls_world(tmp_path)
    async with (
        RawServer(echo_path, tls=stranger.server) as server,
        raw_client(server, ca_bundle=trusted.ca_file, max_attempts=3) as http,
    ):
        with pytest.raises(TLSError):
            await http.fetch("https://raw.test/", lean=True)
    assert server.requests == []


# -- 2. keep-alive and per-host connections ----------------------------------------------


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
async def test_sequential_requests_share_one_connection(tmp_path: Path, secure: bool) -> None:
    """Five requests in a row to one origin travel over one kept-alive connection."""
    world = tls_world(tmp_path)
    scheme = "https" if secure else "http"
    async with (
        RawServer(echo_path, tls=world.server if secure else None) as server,
        raw_client(server, ca_bundle=world.ca_file) as http,
    ):
        bodies = [(await http.fetch(f"{scheme}://raw.test/{n}", lean=True)).text for n in range(5)]
    assert bodies == [f"/{n}" for n in range(5)]
    assert server.connections == 1
    assert [seen.connection for seen in server.requests] == [1] * 5


async def test_two_origins_use_separate_connections() -> None:
    """Requests to two hosts interleaved use one connection per host, each reused."""
    async with (
        RawServer(echo_path) as server,
        raw_client(server, hosts=("a.test", "b.test")) as http,
    ):
        for url in ["http://a.test/1", "http://b.test/1", "http://a.test/2", "http://b.test/2"]:
            assert (await http.fetch(url, lean=True)).ok
    assert server.connections == 2
    by_host: dict[str, set[int]] = {}
    for seen in server.requests:
        by_host.setdefault(seen.header("host")[0], set()).add(seen.connection)
    assert len(by_host["a.test"]) == len(by_host["b.test"]) == 1
    assert by_host["a.test"] != by_host["b.test"]


@pytest.mark.parametrize("concurrency", [1, 2, 3])
async def test_open_connections_never_exceed_per_host_concurrency(concurrency: int) -> None:
    """Under concurrent load the server never sees more connections than the host's cap."""

    async def slow(peer: Peer) -> None:
        while (seen := await peer.request()) is not None:
            await asyncio.sleep(0.1)
            await peer.send(answer(seen.target.encode()))

    async with (
        RawServer(slow) as server,
        raw_client(server, per_host_concurrency=concurrency) as http,
    ):
        urls = [f"http://raw.test/{n}" for n in range(8)]
        results = await asyncio.gather(*(http.fetch(url, lean=True) for url in urls))
    assert [r.text for r in results] == [f"/{n}" for n in range(8)]
    assert server.most_open == concurrency
    assert server.connections == concurrency


@pytest.mark.usefixtures("steady_heap")
async def test_lean_requests_keep_the_per_host_interval(fakeweb: FakeWeb) -> None:
    """The politeness gate spaces lean requests to one host by per_host_interval."""
    fakeweb.page("http://slow.example/", "ok")
    async with fakeweb.client(catch_all=False, per_host_interval=0.3) as http:
        await asyncio.gather(*(http.fetch("http://slow.example/", lean=True) for _ in range(3)))
    slow = fakeweb.seen("slow.example")
    assert len(slow) == 3
    assert_spaced(slow, 0.3, slack=0.02)  # plain http, one process: stamps are close


# -- 3. body codings and the cap ---------------------------------------------------------


TEXT = b"<p>provenance</p>" * 300


def _coded(kind: str) -> list[bytes]:
    """The writes of a response whose body is TEXT in the coding `kind`."""
    if kind == "chunked":
        return [answer(b"", "Transfer-Encoding: chunked", length=False), *chunked(TEXT, 1000)]
    if kind == "gzip":
        return [answer(gzip.compress(TEXT), "Content-Encoding: gzip")]
    if kind == "deflate":
        return [answer(zlib.compress(TEXT), "Content-Encoding: deflate")]
    if kind == "chunked-gzip":
        head = answer(b"", "Transfer-Encoding: chunked", "Content-Encoding: gzip", length=False)
        return [head, *chunked(gzip.compress(TEXT), 100)]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["chunked", "gzip", "deflate", "chunked-gzip"])
async def test_coded_bodies_are_decoded_and_the_connection_kept(kind: str) -> None:
    """Chunked, gzip and deflate bodies (in pieces) decode to the text; the link stays open."""

    async def coded(peer: Peer) -> None:
        while await peer.request() is not None:
            for piece in _coded(kind):
                await peer.send(piece)
                await asyncio.sleep(0.002)

    async with RawServer(coded) as server, raw_client(server) as http:
        first = await http.fetch("http://raw.test/1", lean=True)
        second = await http.fetch("http://raw.test/2", lean=True)
    assert first.content == second.content == TEXT
    assert server.connections == 1


@pytest.mark.parametrize("path", ["declared", "undeclared", "bomb", "chunked"])
async def test_bodies_over_the_cap_are_refused(fakeweb: FakeWeb, path: str) -> None:
    """Declared, EOF-ended, chunked and gzip-bomb bodies over the cap raise BodyTooLargeError."""
    fakeweb.page("http://big.example/declared", "x" * 5000)
    fakeweb.page("http://big.example/undeclared", Response(200, "x" * 5000, declare_length=False))
    fakeweb.page(
        "http://big.example/chunked",
        Response(
            200,
            b"".join(chunked(b"x" * 5000, 512)),
            {"Transfer-Encoding": "chunked"},
            declare_length=False,
        ),
    )
    fakeweb.page("http://big.example/bomb", gzip_bomb(20_000_000))
    async with fakeweb.client(catch_all=False, max_body_bytes=4096, max_attempts=3) as http:
        started = time.monotonic()
        with pytest.raises(BodyTooLargeError):
            await http.fetch(f"http://big.example/{path}", lean=True)
    assert time.monotonic() - started < 3
    assert len(fakeweb.seen("big.example")) == 1  # too large is final: never retried


async def test_declared_length_over_the_cap_fails_before_the_body() -> None:
    """A Content-Length over the cap fails at the headers; the client hangs up at once."""

    async def huge(peer: Peer) -> None:
        await peer.request()
        await peer.send(answer(b"", "Content-Length: 50000000", length=False) + b"x" * 100)
        await peer.until_closed()  # the rest of the body never comes

    async with RawServer(huge) as server, raw_client(server, max_body_bytes=4096) as http:
        started = time.monotonic()
        with pytest.raises(BodyTooLargeError, match="50000000"):
            await http.fetch("http://raw.test/", lean=True)
        assert time.monotonic() - started < 1.0
        assert await eventually(lambda: server.peers[0].closed_by_client)


# -- 4. HEAD and bodiless answers --------------------------------------------------------


async def test_head_ends_at_its_headers_and_keeps_the_connection() -> None:
    """HEAD answered with Content-Length: 1234 and no body returns at once; the GET reuses it."""

    async def head_then_get(peer: Peer) -> None:
        while (seen := await peer.request()) is not None:
            if seen.method == "HEAD":
                await peer.send(answer(b"", "Content-Length: 1234", length=False))
            else:
                await peer.send(answer(b"full"))

    async with RawServer(head_then_get) as server, raw_client(server, timeout=5.0) as http:
        started = time.monotonic()
        head = await http.fetch("http://raw.test/f.pdf", method="HEAD", lean=True)
        assert time.monotonic() - started < 1.0
        get = await http.fetch("http://raw.test/f.pdf", lean=True)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == "1234"
    assert get.content == b"full"
    assert [seen.method for seen in server.requests] == ["HEAD", "GET"]
    assert server.connections == 1


async def test_head_of_a_file_larger_than_the_cap_is_answered() -> None:
    """HEAD of a resource larger than max_body gives its status: no body will be read."""

    async def big_file(peer: Peer) -> None:
        while await peer.request() is not None:
            await peer.send(answer(b"", "Content-Length: 50000000", length=False))

    async with RawServer(big_file) as server, raw_client(server, max_body_bytes=4096) as http:
        head = await http.fetch("http://raw.test/video.mp4", method="HEAD", lean=True)
    assert head.status_code == 200
    assert head.headers["content-length"] == "50000000"


@pytest.mark.parametrize(
    "status", ["204 No Content", "304 Not Modified"], ids=lambda s: s.split()[0]
)
async def test_bodiless_statuses_end_at_their_headers(status: str) -> None:
    """204 and 304 answers (a 304 may declare a length) end at the headers; the link is reused."""
    headers = ['ETag: "v1"', "Content-Length: 1234"] if status.startswith("304") else []

    async def bodiless(peer: Peer) -> None:
        while (seen := await peer.request()) is not None:
            if seen.target == "/cond":
                await peer.send(answer(b"", *headers, status=status, length=False))
            else:
                await peer.send(answer(b"next"))

    async with RawServer(bodiless) as server, raw_client(server) as http:
        started = time.monotonic()
        first = await http.fetch(
            "http://raw.test/cond", headers={"If-None-Match": '"v1"'}, lean=True
        )
        assert time.monotonic() - started < 1.0
        second = await http.fetch("http://raw.test/next", lean=True)
    assert first.status_code == int(status.split()[0]) and first.content == b""
    assert server.requests[0].header("if-none-match") == ['"v1"']
    assert second.content == b"next"
    assert server.connections == 1


async def test_head_answer_with_a_stray_body_does_not_poison_the_next_answer() -> None:
    """A server that sends a body after a HEAD answer cannot make it the next GET's answer."""

    async def sloppy(peer: Peer) -> None:
        while (seen := await peer.request()) is not None:
            if seen.method == "HEAD":
                await peer.send(answer(b"", "Content-Length: 5", length=False))
                await asyncio.sleep(0.05)
                await peer.send(b"stray")
            else:
                await peer.send(answer(b"right"))

    async with RawServer(sloppy) as server, raw_client(server) as http:
        assert (await http.fetch("http://raw.test/", method="HEAD", lean=True)).ok
        get = await http.fetch("http://raw.test/", lean=True)
    assert get.content == b"right"


# -- 5. bodies ended by the connection ---------------------------------------------------


@pytest.mark.parametrize("close_header", [True, False], ids=["connection-close", "no-header"])
async def test_body_until_eof_is_complete_and_the_connection_not_reused(
    close_header: bool,
) -> None:
    """No length, no chunking: the body runs to EOF, all of it; the next request reconnects."""

    async def until_eof(peer: Peer) -> None:
        await peer.request()
        await peer.send(answer(b"", *(["Connection: close"] if close_header else []), length=False))
        for n in range(5):
            await peer.send(b"part%d;" % n)
            await asyncio.sleep(0.01)

    async with RawServer(until_eof) as server, raw_client(server) as http:
        first = await http.fetch("http://raw.test/1", lean=True)
        second = await http.fetch("http://raw.test/2", lean=True)
    assert first.content == second.content == b"part0;part1;part2;part3;part4;"
    assert server.connections == 2


async def test_body_until_eof_over_tls(fakeweb: FakeWeb) -> None:
    """An EOF-ended body over TLS (close_notify) is returned whole."""
    fakeweb.page("https://eof.example/", Response(200, "y" * 3000, declare_length=False))
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("https://eof.example/", lean=True)
    assert fetched.content == b"y" * 3000


async def test_connection_close_with_a_length_is_not_reused() -> None:
    """An answer saying Connection: close is not kept, even with a Content-Length."""

    async def closing(peer: Peer) -> None:
        while await peer.request() is not None:
            await peer.send(answer(b"ok", "Connection: close"))

    async with RawServer(closing) as server, raw_client(server) as http:
        for _ in range(2):
            assert (await http.fetch("http://raw.test/", lean=True)).text == "ok"
    assert server.connections == 2


# -- 6. the server closes a kept-alive connection ----------------------------------------


async def test_idle_connection_closed_by_the_server_is_replaced() -> None:
    """The server hangs up an idle kept-alive connection: the next request reconnects."""

    async def one_then_close(peer: Peer) -> None:
        if await peer.request() is not None:
            await peer.send(answer(b"ok"))  # keep-alive by HTTP/1.1 default, then gone

    async with RawServer(one_then_close) as server, raw_client(server) as http:
        assert (await http.fetch("http://raw.test/1", lean=True)).ok
        await asyncio.sleep(0.1)
        assert (await http.fetch("http://raw.test/2", lean=True)).ok
    assert server.connections == 2


@pytest.mark.parametrize("how", ["fin", "rst"])
async def test_reused_connection_closed_under_a_request_is_retried_once(how: str) -> None:
    """The server takes a request on a kept-alive connection and hangs up: the pool resends it
    on a fresh connection (not a tenacity retry: max_attempts is 1)."""

    async def drop_second(peer: Peer) -> None:
        if peer.number == 1:
            await peer.request()
            await peer.send(answer(b"first"))
            await peer.request()
            if how == "rst":
                peer.reset()
            return  # FIN: the writer is closed on return
        await echo_path(peer)

    async with RawServer(drop_second) as server, raw_client(server, max_attempts=1) as http:
        assert (await http.fetch("http://raw.test/1", lean=True)).text == "first"
        second = await http.fetch("http://raw.test/2", lean=True)
    assert second.text == "/2"
    assert second.attempts == 1
    assert server.connections == 2
    assert [(seen.target, seen.connection) for seen in server.requests] == [
        ("/1", 1),
        ("/2", 1),
        ("/2", 2),
    ]


async def test_fresh_connection_closed_before_the_answer_is_not_resent() -> None:
    """A new connection that breaks before its answer is a ConnectionBrokenError, sent once."""

    async def hang_up(peer: Peer) -> None:
        await peer.request()

    async with RawServer(hang_up) as server, raw_client(server, max_attempts=1) as http:
        with pytest.raises(ConnectionBrokenError):
            await http.fetch("http://raw.test/", lean=True)
    assert server.connections == 1


# -- 7. read timeout and total deadline --------------------------------------------------


@pytest.mark.parametrize("stage", ["before-headers", "mid-body"])
async def test_stalled_answer_hits_the_read_timeout(stage: str) -> None:
    """A server that stalls (before headers or mid-body) gives TimeoutError_ after ~timeout."""

    async def stall(peer: Peer) -> None:
        await peer.request()
        if stage == "mid-body":
            await peer.send(answer(b"", "Content-Length: 100", length=False) + b"x" * 10)
        await peer.until_closed()

    async with (
        RawServer(stall) as server,
        raw_client(server, timeout=0.3, total_timeout=10.0, max_attempts=1) as http,
    ):
        started = time.monotonic()
        with pytest.raises(TimeoutError_) as caught:
            await http.fetch("http://raw.test/", lean=True)
        elapsed = time.monotonic() - started
        assert await eventually(lambda: server.peers[0].closed_by_client)
    assert 0.25 <= elapsed < 3
    assert "took longer" not in str(caught.value)
    assert caught.value.url == "http://raw.test/"


@pytest.mark.usefixtures("steady_heap")  # a long collection would stall the trickle
async def test_read_timeout_counts_from_the_last_byte() -> None:
    """A body trickling a byte every 0.1 s outlasts a 0.3 s read timeout: it is not quiet."""

    async def trickle(peer: Peer) -> None:
        await peer.request()
        await peer.send(answer(b"", "Content-Length: 8", length=False))
        for byte in b"abcdefgh":
            await asyncio.sleep(0.1)
            await peer.send(bytes([byte]))
        await peer.until_closed()

    async with (
        RawServer(trickle) as server,
        raw_client(server, timeout=0.3, total_timeout=10.0) as http,
    ):
        started = time.monotonic()
        fetched = await http.fetch("http://raw.test/", lean=True)
    assert fetched.content == b"abcdefgh"
    assert time.monotonic() - started >= 0.7


async def test_trickling_body_hits_the_total_deadline() -> None:
    """A byte every 0.1 s never trips the read timeout, but the 0.5 s total deadline holds."""

    async def trickle(peer: Peer) -> None:
        await peer.request()
        await peer.send(answer(b"", "Content-Length: 100", length=False))
        for _ in range(100):
            await peer.send(b"x")
            await asyncio.sleep(0.1)

    async with (
        RawServer(trickle) as server,
        raw_client(server, timeout=5.0, total_timeout=0.5, max_attempts=1) as http,
    ):
        started = time.monotonic()
        with pytest.raises(TimeoutError_, match="took longer"):
            await http.fetch("http://raw.test/", lean=True)
    assert 0.45 <= time.monotonic() - started < 3


async def test_cancelled_request_does_not_leave_its_connection_in_the_pool() -> None:
    """A fetch cancelled mid-answer closes its connection; the next request gets a new one."""

    async def first_stalls(peer: Peer) -> None:
        if peer.number == 1:
            await peer.request()
            await peer.until_closed()
            return
        await echo_path(peer)

    async with RawServer(first_stalls) as server, raw_client(server) as http:
        task = asyncio.create_task(http.fetch("http://raw.test/stuck", lean=True))
        assert await eventually(lambda: len(server.requests) == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await eventually(lambda: server.peers[0].closed_by_client)
        assert (await http.fetch("http://raw.test/next", lean=True)).text == "/next"
    assert server.connections == 2


# -- 8. the address guard and connect_to -------------------------------------------------


def spy_connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every (host, port) the running loop is asked to connect to, from now on."""
    calls: list[tuple[Any, ...]] = []
    loop = asyncio.get_running_loop()
    real = loop.create_connection

    async def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1:3])
        return await real(*args, **kwargs)

    monkeypatch.setattr(loop, "create_connection", spy)
    return calls


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "https://192.168.0.1/",
        "http://[::ffff:10.0.0.1]/",
        "http://0x0a.1/",
        "http://2130706433/",  # 127.0.0.1 without the allow-list below
    ],
)
async def test_literal_private_addresses_are_refused_without_connecting(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A literal private host is refused even when a catch-all remap points elsewhere."""
    connection_attempts = spy_connections(monkeypatch)
    async with RawServer(echo_path) as server:
        settings = raw_settings(
            None,
            allow_networks=[],
            connect_to={"*:80": f"127.0.0.1:{server.port}", "*:443": f"127.0.0.1:{server.port}"},
            max_attempts=3,
        )
        async with HTTPClient(settings, resolver=no_dns) as http:
            with pytest.raises(BlockedAddressError):
                await http.fetch(url, lean=True)
    assert connection_attempts == []
    assert server.connections == 0


async def test_names_resolving_to_private_addresses_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name whose DNS answer is private is refused before any connection is made."""
    asked: list[str] = []

    async def rebinding(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("192.168.1.10")]

    connection_attempts = spy_connections(monkeypatch)
    async with HTTPClient(raw_settings(None), resolver=rebinding) as http:
        with pytest.raises(BlockedAddressError, match=r"intranet\.example"):
            await http.fetch("http://intranet.example/", lean=True)
    assert asked == ["intranet.example"]
    assert connection_attempts == []


async def test_unknown_name_is_a_dns_error(fakeweb: FakeWeb) -> None:
    """A name that does not resolve is a DNSError on the lean path too."""
    async with fakeweb.client(catch_all=False, max_attempts=3) as http:
        with pytest.raises(DNSError):
            await http.fetch("https://gone.example/", lean=True)


async def test_connect_to_remap_is_honoured() -> None:
    """connect_to sends remap.test's traffic to the raw server; Host still names remap.test."""
    async with RawServer(echo_path) as server:
        settings = raw_settings(None, connect_to={"remap.test:8080": f"127.0.0.1:{server.port}"})
        async with HTTPClient(settings, resolver=no_dns) as http:
            fetched = await http.fetch("http://remap.test:8080/here", lean=True)
    assert fetched.text == "/here"
    (seen,) = server.requests
    assert seen.header("host") == ["remap.test:8080"]


@pytest.mark.parametrize(
    ("remap", "allow"),
    [("169.254.169.254:80", ["127.0.0.0/8"]), ("127.0.0.1:{port}", [])],
    ids=["private-target", "loopback-not-allowed"],
)
async def test_connect_to_cannot_point_past_the_guard(remap: str, allow: list[str]) -> None:
    """A remap target outside the allow-list is refused like any other destination."""
    async with RawServer(echo_path) as server:
        settings = raw_settings(
            None,
            allow_networks=allow,
            connect_to={"remap.test:80": remap.format(port=server.port)},
        )
        async with HTTPClient(settings, resolver=no_dns) as http:
            with pytest.raises(BlockedAddressError):
                await http.fetch("http://remap.test/", lean=True)
    assert server.connections == 0


# -- 9. redirects ------------------------------------------------------------------------


async def test_redirect_to_a_private_address_is_refused(fakeweb: FakeWeb) -> None:
    """Every lean redirect hop passes the guard: a hop to 169.254.169.254 is refused."""
    fakeweb.page("http://evil.example/", redirect("http://169.254.169.254/latest/"))
    async with fakeweb.client(catch_all=True) as http:
        with pytest.raises(BlockedAddressError):
            await http.fetch("http://evil.example/", lean=True)
    assert [r.host for r in fakeweb.requests] == ["evil.example"]


# -- 10. malformed answers and refused connections ---------------------------------------


MALFORMED = {
    "bad-status": b"HTTP/1.1 abc\r\n\r\n",
    "garbage": b"hello there, this is not HTTP\r\n\r\n",
    "tls-bytes": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\0" * 40,
    "bad-length": b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
    "two-lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
    "bad-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n",
    "upgrade": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
    b"Connection: Upgrade\r\n\r\n",
}


@pytest.mark.parametrize("name", list(MALFORMED))
async def test_malformed_answer_is_a_broken_connection_at_once(name: str) -> None:
    """Bytes that are not an HTTP answer raise ConnectionBrokenError without waiting."""

    async def malformed(peer: Peer) -> None:
        while await peer.request() is not None:
            await peer.send(MALFORMED[name])
        # and the connection stays open: the client must notice by itself

    async with (
        RawServer(malformed) as server,
        raw_client(server, timeout=5.0, max_attempts=1) as http,
    ):
        started = time.monotonic()
        with pytest.raises(ConnectionBrokenError) as caught:
            await http.fetch("http://raw.test/", lean=True)
    assert time.monotonic() - started < 2
    assert isinstance(caught.value, NetworkError)
    assert server.connections == 1


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
    ],
    ids=["nothing", "half-head", "short-body", "short-chunk"],
)
async def test_answer_cut_short_is_a_broken_connection(payload: bytes) -> None:
    """An answer the server ends early raises ConnectionBrokenError, never returns partly."""

    async def cut(peer: Peer) -> None:
        await peer.request()
        await peer.send(payload)

    async with RawServer(cut) as server, raw_client(server, max_attempts=1) as http:
        with pytest.raises(ConnectionBrokenError):
            await http.fetch("http://raw.test/", lean=True)


@pytest.mark.parametrize(
    ("headers", "body", "match"),
    [
        ("Content-Encoding: gzip", b"not gzip at all", "not valid compressed"),
        ("Content-Encoding: gzip", gzip.compress(TEXT)[:40], "truncated"),
        ("Content-Encoding: br", b"\x0b\x02\x80ok\x03", "unsupported content encoding"),
    ],
    ids=["bad-gzip", "cut-gzip", "brotli"],
)
async def test_undecodable_bodies_are_network_errors(headers: str, body: bytes, match: str) -> None:
    """A body that cannot be decoded raises NetworkError naming why, not a zlib error."""

    async def coded(peer: Peer) -> None:
        while await peer.request() is not None:
            await peer.send(answer(body, headers))

    async with RawServer(coded) as server, raw_client(server) as http:
        with pytest.raises(NetworkError, match=match):
            await http.fetch("http://raw.test/", lean=True)


async def test_refused_connection_is_a_connect_error() -> None:
    """Nobody listening: ConnectError naming the host."""
    settings = raw_settings(None, connect_to={"raw.test:80": f"127.0.0.1:{closed_port()}"})
    async with HTTPClient(settings, resolver=no_dns) as http:
        with pytest.raises(ConnectError, match=r"raw\.test") as caught:
            await http.fetch("http://raw.test/", lean=True)
    assert not isinstance(caught.value, TLSError)


# -- 11. interim answers -----------------------------------------------------------------


@pytest.mark.parametrize("together", [True, False], ids=["one-write", "two-writes"])
async def test_interim_answers_are_skipped(together: bool) -> None:
    """100 Continue and 103 Early Hints before the 200: the 200 and only its headers return."""
    interim = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    )

    async def hints(peer: Peer) -> None:
        while (seen := await peer.request()) is not None:
            final = answer(seen.target.encode(), "X-Final: yes")
            if together:
                await peer.send(interim + final)
            else:
                await peer.send(interim)
                await asyncio.sleep(0.05)
                await peer.send(final)

    async with RawServer(hints) as server, raw_client(server) as http:
        first = await http.fetch("http://raw.test/1", lean=True)
        second = await http.fetch("http://raw.test/2", lean=True)
    assert first.status_code == 200 and first.text == "/1"
    assert first.headers["x-final"] == "yes"
    assert "link" not in first.headers
    assert second.text == "/2"
    assert server.connections == 1


# -- 12. parse_target --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin", "authority", "path"),
    [
        ("http://a.example", ("http", "a.example", 80), "a.example", "/"),
        ("http://A.Example:80/x", ("http", "a.example", 80), "a.example", "/x"),
        (
            "https://a.example:443/p?q=1&r=2#frag",
            ("https", "a.example", 443),
            "a.example",
            "/p?q=1&r=2",
        ),
        ("https://a.example:8443/", ("https", "a.example", 8443), "a.example:8443", "/"),
        ("http://a.example:443/", ("http", "a.example", 443), "a.example:443", "/"),
        ("HTTPS://a.example/?", ("https", "a.example", 443), "a.example", "/"),
        ("http://[::1]:8080/x", ("http", "::1", 8080), "[::1]:8080", "/x"),
        ("https://[2001:db8::1]/", ("https", "2001:db8::1", 443), "[2001:db8::1]", "/"),
        ("http://a.example/ä?q=ö", ("http", "a.example", 80), "a.example", "/%C3%A4?q=%C3%B6"),
        ("http://a.example/a b", ("http", "a.example", 80), "a.example", "/a%20b"),
    ],
)
def test_parse_target(url: str, origin: tuple[str, str, int], authority: str, path: str) -> None:
    """Default ports are left out of Host, others kept; IPv6 bracketed; path and query kept."""
    target = parse_target(url)
    assert (target.origin, target.authority, target.path) == (origin, authority, path)


def test_parse_target_idna_encodes_non_ascii_hosts() -> None:
    """A non-ASCII host is sent and connected to in its IDNA (xn--) form."""
    target = parse_target("https://bücher.example:8443/ä")
    assert target.origin == ("https", "xn--bcher-kva.example", 8443)
    assert target.authority == "xn--bcher-kva.example:8443"
    assert target.path == "/%C3%A4"


async def test_non_ascii_host_reaches_the_server_idna_encoded() -> None:
    """Through fetch: the Host header and the connect_to lookup use the xn-- name."""
    async with (
        RawServer(echo_path) as server,
        raw_client(server, hosts=("xn--bcher-kva.example",)) as http,
    ):
        fetched = await http.fetch("http://bücher.example/ä", lean=True)
    assert fetched.text == "/%C3%A4"
    assert server.requests[0].header("host") == ["xn--bcher-kva.example"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://a.example/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:someone@a.example",
        "http:///no-host",
        "http://a.example:99999/",
        "http://a.example:port/",
        "ftp://bücher.example/",
        "http://a.example/x\r\nX-Injected: 1",
        "http://a.example/x\nHost: b.example",
    ],
)
def test_parse_target_refuses_what_cannot_be_fetched(url: str) -> None:
    """Non-web schemes, missing hosts, bad ports and line breaks are InputError."""
    with pytest.raises(InputError):
        parse_target(url)


# -- 13. request headers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": '"a"\r\nX-Injected: 1'},
        {"If-None-Match": '"a"\nX-Injected: 1'},
        {"X-Bad\r\nX-Injected": "1"},
    ],
    ids=["crlf-value", "lf-value", "crlf-name"],
)
async def test_header_spanning_lines_is_refused_unsent(headers: dict[str, str]) -> None:
    """A header name or value with CR or LF is an InputError and nothing is sent."""
    async with RawServer(echo_path) as server, raw_client(server, max_attempts=3) as http:
        with pytest.raises(InputError):
            await http.fetch("http://raw.test/", headers=headers, lean=True)
    assert server.connections == 0 and server.requests == []


@pytest.mark.parametrize("name", ["user-agent", "accept-encoding", "ACCEPT"])
async def test_caller_headers_replace_the_defaults_whatever_their_case(name: str) -> None:
    """A caller's header replaces the default of the same name: it is sent once."""
    async with RawServer(echo_path) as server, raw_client(server) as http:
        await http.fetch("http://raw.test/", headers={name: "custom"}, lean=True)
    assert server.requests[0].header(name) == ["custom"]


async def test_lean_path_refuses_bodies_and_the_cache(fakeweb: FakeWeb) -> None:
    """The lean path sends no request body and never uses the cache: asking is a ValueError."""
    async with fakeweb.client(catch_all=False) as http:
        with pytest.raises(ValueError):
            await http.fetch("http://news.example/", lean=True, content=b"x")
        with pytest.raises(ValueError):
            await http.fetch("http://news.example/", lean=True, data={"a": "b"})
        with pytest.raises(ValueError):
            await http.fetch("http://news.example/", lean=True, cache=True)
    assert fakeweb.requests == []


# -- 14. retries -------------------------------------------------------------------------


@pytest.mark.parametrize(("attempts", "status", "seen"), [(2, 200, 2), (1, 503, 1)])
async def test_transient_status_is_retried_up_to_max_attempts(
    fakeweb: FakeWeb, attempts: int, status: int, seen: int
) -> None:
    """503 then 200: two tries give the 200 (attempts == 2); one try returns the 503."""
    answers = iter([Response(503, "busy"), Response(200, "ok")])
    fakeweb.add("flaky.example", lambda request: next(answers))
    async with fakeweb.client(catch_all=False, max_attempts=attempts) as http:
        fetched = await http.fetch("http://flaky.example/", lean=True)
    assert fetched.status_code == status
    assert fetched.attempts == seen
    assert len(fakeweb.seen("flaky.example")) == seen


async def test_broken_connection_is_retried_by_the_client(fakeweb: FakeWeb) -> None:
    """A reset mid-body is transient: with max_attempts=2 the request is sent twice."""
    fakeweb.page("http://reset.example/", Response(200, "x" * 50_000, reset_after=1000))
    async with fakeweb.client(catch_all=False, max_attempts=2) as http:
        with pytest.raises(ConnectionBrokenError):
            await http.fetch("http://reset.example/", lean=True)
    assert len(fakeweb.seen("reset.example")) == 2


# -- the pool itself ---------------------------------------------------------------------


def _pool(server: RawServer, **overrides: Any) -> WirePool:
    backend = GuardedBackend(
        AddressGuard(["127.0.0.0/8"]),
        ConnectTo(
            {"a.test:80": f"127.0.0.1:{server.port}", "b.test:80": f"127.0.0.1:{server.port}"}
        ),
        no_dns,
    )
    values: dict[str, Any] = {"read_timeout": 2.0, "connect_timeout": 2.0, "max_idle": 4}
    values.update(overrides)
    return WirePool(backend, ssl.create_default_context(), **values)


async def _get(pool: WirePool, url: str) -> bytes:
    answer_ = await pool.request("GET", url, parse_target(url), {}, 10_000, 5.0)
    return answer_.body


async def test_pool_sheds_the_least_recently_used_idle_connection() -> None:
    """With max_idle=1, a second origin's idle connection pushes the first one out."""
    async with RawServer(echo_path) as server:
        pool = _pool(server, max_idle=1)
        try:
            assert await _get(pool, "http://a.test/1") == b"/1"
            assert await _get(pool, "http://b.test/1") == b"/1"
            assert await eventually(lambda: server.peers[0].closed_by_client)
            assert await _get(pool, "http://a.test/2") == b"/2"
        finally:
            pool.close()
    assert server.connections == 3


async def test_pool_does_not_reuse_connections_past_keepalive_expiry() -> None:
    """An idle connection older than keepalive_expiry is closed, not reused."""
    async with RawServer(echo_path) as server:
        pool = _pool(server, keepalive_expiry=0.1)
        try:
            await _get(pool, "http://a.test/1")
            await asyncio.sleep(0.2)
            await _get(pool, "http://a.test/2")
            assert server.peers[0].closed_by_client or await eventually(
                lambda: server.peers[0].closed_by_client
            )
        finally:
            pool.close()
    assert server.connections == 2


async def test_closing_the_client_closes_idle_connections() -> None:
    """aclose() hangs up every kept-alive connection."""
    async with RawServer(echo_path) as server:
        http = raw_client(server)
        await http.fetch("http://raw.test/", lean=True)
        await asyncio.sleep(0.05)
        assert not server.peers[0].closed_by_client
        await http.aclose()
        assert await eventually(lambda: server.peers[0].closed_by_client)


async def test_unsolicited_answer_does_not_leak_into_the_answer_or_the_pool() -> None:
    """A second answer arriving with the first must not add headers to it, nor be kept."""

    async def doubled(peer: Peer) -> None:
        while (seen := await peer.request()) is not None:
            await peer.send(answer(seen.target.encode()) + answer(b"stale", "X-Stale: yes"))

    async with RawServer(doubled) as server, raw_client(server) as http:
        first = await http.fetch("http://raw.test/1", lean=True)
        second = await http.fetch("http://raw.test/2", lean=True)
    assert first.text == "/1" and second.text == "/2"
    assert "x-stale" not in first.headers
    assert first.headers.get_list("content-length") == ["2"]
    assert server.connections == 2
