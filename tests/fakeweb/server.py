"""The fakeweb server: a small HTTP/1.1 server on 127.0.0.1 with fault modes.

Written on asyncio streams rather than a framework, because its faults (bodies that
trickle, connections reset mid-body, bytes that are not HTTP) must be exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import inspect
import socket
import ssl
import struct
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme

from tracer.errors import DNSError
from tracer.http.client import HTTPClient
from tracer.http.guard import IPAddress
from tracer.http.settings import HTTPSettings

REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    410: "Gone",
    425: "Too Early",
    429: "Too Many Requests",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class FakeRequest:
    """A request as the server saw it."""

    method: str
    host: str
    target: str
    headers: dict[str, str]
    body: bytes
    tls: bool
    at: float  # time.monotonic() when the request line arrived

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}{self.target}"


@dataclass
class Response:
    """What to answer, and how badly to behave while answering."""

    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before the status line
    chunk_delay: float = 0.0  # seconds between body chunks (a slow body)
    chunk_size: int = 1024
    reset_after: int | None = None  # body bytes sent before the connection is reset
    raw: bytes | None = None  # exact bytes to send instead of an HTTP response
    declare_length: bool = True

    def payload(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body


Handler = Callable[[FakeRequest], "Response | Awaitable[Response]"]


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", {"Location": location}, content_type=None)


def gzip_bomb(inflated_size: int) -> Response:
    """A small gzip body that inflates to `inflated_size` bytes of zeros."""
    body = gzip.compress(b"\0" * inflated_size, compresslevel=9)
    return Response(200, body, {"Content-Encoding": "gzip"}, content_type="text/html")


class FakeWeb:
    """The server. Start with `with FakeWeb() as web:` or `start()`/`stop()`."""

    def __init__(self, state_dir: Path | None = None) -> None:
        self.hosts: dict[str, Handler] = {}
        self.pages: dict[tuple[str, str], Response] = {}
        self.requests: list[FakeRequest] = []
        self.dns_failures: set[str] = set()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fakeweb", daemon=True)
        self._ca = trustme.CA()
        self._certs: dict[str, ssl.SSLContext] = {}
        self._state_dir = state_dir
        self.ca_file: Path | None = None
        self.port = 0
        self.tls_port = 0

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeWeb:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start_servers(), self._loop)
        future.result(10)
        directory = self._state_dir or Path(__import__("tempfile").mkdtemp(prefix="fakeweb-"))
        self.ca_file = directory / "fakeweb-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_file))
        return self

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> FakeWeb:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset(self) -> None:
        with self._lock:
            self.hosts.clear()
            self.pages.clear()
            self.requests.clear()
            self.dns_failures.clear()

    async def _start_servers(self) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._ca.issue_cert("fakeweb.invalid").configure_cert(context)
        context.sni_callback = self._pick_certificate
        plain = await asyncio.start_server(self._serve_plain, "127.0.0.1", 0)
        tls = await asyncio.start_server(self._serve_tls, "127.0.0.1", 0, ssl=context)
        self._servers = [plain, tls]
        self.port = plain.sockets[0].getsockname()[1]
        self.tls_port = tls.sockets[0].getsockname()[1]

    def _pick_certificate(
        self, sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext
    ) -> None:
        # one certificate per virtual host, made on first use by the throw-away CA
        name = name or "fakeweb.invalid"
        if name not in self._certs:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._ca.issue_cert(name).configure_cert(context)
            self._certs[name] = context
        sock.context = self._certs[name]

    # -- the world -----------------------------------------------------------------------

    def add(self, host: str, handler: Handler) -> None:
        """Serve every request to `host` with `handler`."""
        self.hosts[host.lower()] = handler

    def page(
        self, url: str, response: Response | str | bytes, status: int = 200, **kwargs: Any
    ) -> None:
        """Serve one URL (scheme ignored; exact path and query, else path alone)."""
        parts = urlsplit(url if "//" in url else "//" + url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        if not isinstance(response, Response):
            response = Response(status, response, **kwargs)
        self.pages[((parts.hostname or "").lower(), target)] = response

    def fail_dns(self, host: str) -> None:
        self.dns_failures.add(host.lower())

    def seen(self, host: str | None = None, path: str | None = None) -> list[FakeRequest]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (host is None or r.host == host.lower()) and (path is None or r.path == path)
            ]

    # -- how the HTTP layer reaches us ----------------------------------------------------

    def known_hosts(self) -> set[str]:
        return set(self.hosts) | {host for host, _ in self.pages}

    def connect_to(self, catch_all: bool = False) -> dict[str, str]:
        rules: dict[str, str] = {}
        # a host told to fail DNS fails it, even while its handler stays installed
        for host in self.known_hosts() - self.dns_failures:
            rules[f"{host}:80"] = f"127.0.0.1:{self.port}"
            rules[f"{host}:443"] = f"127.0.0.1:{self.tls_port}"
        if catch_all:
            rules["*:80"] = f"127.0.0.1:{self.port}"
            rules["*:443"] = f"127.0.0.1:{self.tls_port}"
        return rules

    def http_settings(self, catch_all: bool = True, **overrides: Any) -> HTTPSettings:
        """HTTP settings that reach this server and only it (127.0.0.1 allow-listed)."""
        values: dict[str, Any] = {
            "allow_networks": ["127.0.0.1/32"],
            "connect_to": self.connect_to(catch_all),
            "ca_bundle": str(self.ca_file),
            "per_host_interval": 0.0,
            "backoff_initial": 0.01,
            "backoff_max": 5.0,
            "timeout": 5.0,
            "total_timeout": 10.0,
        }
        values.update(overrides)
        return HTTPSettings(**values)

    def client(self, catch_all: bool = True, **overrides: Any) -> HTTPClient:
        """An HTTP client of `http_settings(catch_all, **overrides)` that looks every name
        up here; open it with `async with`."""
        return HTTPClient(self.http_settings(catch_all, **overrides), resolver=self.resolver)

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a `tracer` subprocess that should see this world."""
        import json

        return {
            "TRACER_HTTP__ALLOW_NETWORKS": json.dumps(["127.0.0.1/32"]),
            "TRACER_HTTP__CONNECT_TO": json.dumps(self.connect_to(catch_all=True)),
            "TRACER_HTTP__CA_BUNDLE": str(self.ca_file),
            "TRACER_HTTP__PER_HOST_INTERVAL": "0",
            "TRACER_HTTP__BACKOFF_INITIAL": "0.01",
            **extra,
        }

    async def resolver(self, host: str, port: int) -> list[IPAddress]:
        """A resolver for the in-process HTTP layer: every unknown name is NXDOMAIN."""
        import ipaddress

        if host.lower() in self.dns_failures or host.lower() not in self.known_hosts():
            raise DNSError(f"cannot resolve {host}: Name or service not known")
        return [ipaddress.ip_address("127.0.0.1")]

    # -- serving -------------------------------------------------------------------------

    async def _serve_plain(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await self._serve(reader, writer, tls=False)

    async def _serve_tls(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._serve(reader, writer, tls=True)

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tls: bool
    ) -> None:
        try:
            while True:
                request = await self._read_request(reader, tls)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                response = await self._answer(request)
                keep = await self._write(writer, request, response)
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError):
            return
        finally:
            if not writer.is_closing():
                writer.close()

    async def _read_request(self, reader: asyncio.StreamReader, tls: bool) -> FakeRequest | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None
        at = time.monotonic()
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        body = await reader.readexactly(length) if length else b""
        host = (
            headers.get("host", "").rsplit(":", 1)[0].lower()
            if "]" not in headers.get("host", "")
            else headers["host"]
        )
        return FakeRequest(method, host, target, headers, body, tls, at)

    async def _answer(self, request: FakeRequest) -> Response:
        page = self.pages.get((request.host, request.target)) or self.pages.get(
            (request.host, request.path)
        )
        if page is not None:
            return page
        handler = self.hosts.get(request.host)
        if handler is None:
            return Response(502, f"fakeweb: no host {request.host}", content_type="text/plain")
        try:
            result = handler(request)
            if inspect.isawaitable(result):
                result = await result
            return result  # type: ignore[return-value]
        except Exception as exc:  # a broken handler is a test bug: make it loud
            return Response(599, f"fakeweb handler error: {exc!r}", content_type="text/plain")

    async def _write(
        self, writer: asyncio.StreamWriter, request: FakeRequest, response: Response
    ) -> bool:
        if response.delay:
            await asyncio.sleep(response.delay)
        if response.raw is not None:
            writer.write(response.raw)
            await writer.drain()
            return False
        body = response.payload()
        head = [f"HTTP/1.1 {response.status} {REASONS.get(response.status, 'Status')}"]
        headers = {k.lower(): v for k, v in response.headers.items()}
        if response.content_type and "content-type" not in headers:
            head.append(f"Content-Type: {response.content_type}")
        if response.declare_length and "content-length" not in headers:
            head.append(f"Content-Length: {len(body)}")
        head.extend(f"{k}: {v}" for k, v in response.headers.items())
        head.append("Connection: close")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        if request.method == "HEAD":
            return False
        limit = len(body) if response.reset_after is None else min(response.reset_after, len(body))
        step = response.chunk_size if response.chunk_delay else max(limit, 1)
        for start in range(0, limit, step):
            writer.write(body[start : start + step])
            await writer.drain()
            if response.chunk_delay:
                await asyncio.sleep(response.chunk_delay)
        if response.reset_after is not None:
            _reset(writer)
        return False


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST instead of FIN, as a crashing server does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
