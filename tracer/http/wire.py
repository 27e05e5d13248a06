"""The lean HTTP/1.1 path: many small requests for little CPU each.

A night's link check sends tens of thousands of HEAD and small GET requests to many hosts.
Through httpx and httpcore each costs about a millisecond of CPU (the connection pool
looks at every pooled connection for every request it places), so one process, not the
sites' politeness limits, would set the pace. This path keeps what matters of the HTTP
layer: every connection goes through the same address guard and `connect_to` remap
(`GuardedBackend.destinations`), TLS uses the client's own context, read and connect
timeouts hold, and the body cap is counted after bounded decompression. It leaves out what
checks never need: request bodies, the response cache, HTTP/2 and proxies. Responses are
parsed by httptools (llhttp). `HTTPClient.fetch(..., lean=True)` sends requests here, under
the same politeness gate, retries and redirect handling as every other request.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

import httptools
import httpx

from tracer.errors import (
    BodyTooLargeError,
    ConnectError,
    ConnectionBrokenError,
    InputError,
    NetworkError,
    TimeoutError_,
    TLSError,
)
from tracer.http.guard import GuardedBackend
from tracer.http.inflate import ACCEPT_ENCODING, Inflater
from tracer.urls import split_cached

#: statuses whose answers carry no body whatever their headers say
_BODILESS = frozenset({204, 304})
#: characters a URL must be normalised for (IDNA hosts, percent-encoding) before it is
#: sent; searched as one class, not character by character, since it runs per request
_UNSAFE = re.compile(r'[ \t\r\n"<>\\^`{|}]')

Origin = tuple[str, str, int]  # scheme, host, port


@dataclass
class Answer:
    """One response as it came: status, headers in order, the decoded body."""

    status_code: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class Target:
    """Where a URL's request goes and what its request line and Host header say."""

    origin: Origin
    authority: str  # the Host header
    path: str  # the request target: path and query


def parse_target(url: str) -> Target:
    """Split `url` for sending; InputError when it is not an http(s) URL we can fetch."""
    if url.isascii() and not _UNSAFE.search(url):
        parts = split_cached(url)
        scheme, host = parts.scheme.lower(), (parts.hostname or "")
        try:
            port = parts.port
        except ValueError:
            raise InputError(f"not a fetchable URL {url!r}: bad port") from None
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
    else:
        # non-ASCII hosts and paths: httpx encodes them as it would for any request
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise InputError(f"not a fetchable URL {url!r}: {exc}") from None
        # the IDNA (xn--) form: what DNS, connect_to and the Host header know it by
        scheme, host, port = parsed.scheme, parsed.raw_host.decode("ascii"), parsed.port
        path = parsed.raw_path.decode("ascii")
    if scheme not in ("http", "https"):
        raise InputError(f"not a fetchable URL {url!r}: only http and https are fetched")
    if not host:
        raise InputError(f"not a fetchable URL {url!r}: no host")
    default = 443 if scheme == "https" else 80
    shown = f"[{host}]" if ":" in host else host
    authority = shown if port in (None, default) else f"{shown}:{port}"
    return Target((scheme, host.lower(), port or default), authority, path)


class _Connection(asyncio.Protocol):
    """One kept-alive connection; carries one request at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, read_timeout: float) -> None:
        self.loop = loop
        self.read_timeout = read_timeout
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self._parser: httptools.HttpResponseParser | None = None
        self._waiter: asyncio.Future[Answer] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_read = 0.0
        self._deadline = 0.0
        self._limit = 0.0
        self._reset("GET", 0, "")

    def _reset(self, method: str, max_body: int, url: str) -> None:
        self._method, self._max_body, self._url = method, max_body, url
        self._headers: list[tuple[bytes, bytes]] = []
        self._inflater: Inflater | None = None
        self._until_eof = False  # no length and not chunked: the body ends with the connection
        self._error: NetworkError | None = None
        self._reusable = False

    # -- one exchange -------------------------------------------------------------------

    async def exchange(
        self, head: bytes, method: str, max_body: int, url: str, deadline: float, limit: float
    ) -> Answer:
        """Send one request and read its answer by `deadline` (loop time; `limit` seconds)."""
        assert self.transport is not None
        self._reset(method, max_body, url)
        self._parser = httptools.HttpResponseParser(self)
        self._waiter = self.loop.create_future()
        self._last_read = now = self.loop.time()
        self._deadline, self._limit = deadline, limit
        due = now + min(self.read_timeout, deadline - now)
        if self._timer is None or self._timer.when() > due:
            # a watch left by the last exchange that fires earlier sees this one's times
            # and waits again: no timer made and cancelled per request
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_at(due, self._watch)
        self.transport.write(head)
        try:
            return await self._waiter
        finally:
            self._waiter = None
            self._parser = None

    @property
    def reusable(self) -> bool:
        return self._reusable and not self.closed

    def close(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.close()

    def _watch(self) -> None:
        """Both timeouts: the read timeout counts from the last byte, the deadline is fixed."""
        self._timer = None
        if self._waiter is None or self._waiter.done():
            return  # idle: the next exchange sets a watch of its own
        now = self.loop.time()
        if now >= self._deadline:
            self._fail(TimeoutError_(f"{self._url} took longer than {self._limit:g}s", self._url))
            return
        quiet = now - self._last_read
        if quiet >= self.read_timeout:
            self._fail(TimeoutError_(f"{self._url}: ReadTimeout", self._url))
        else:
            wait = min(self.read_timeout - quiet, self._deadline - now)
            self._timer = self.loop.call_later(wait, self._watch)

    def _finish(self) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if self._error is not None:
            waiter.set_exception(self._error)
            return
        try:
            body = self._inflater.finish() if self._inflater is not None else b""
        except NetworkError as exc:
            waiter.set_exception(exc)
            return
        assert self._parser is not None
        waiter.set_result(Answer(self._parser.get_status_code(), list(self._headers), body))

    def _fail(self, error: NetworkError) -> None:
        self._reusable = False
        # the answer first: closing a TLS transport may feed us its last bytes and the
        # end of the stream right away, which must not overwrite this error
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(error)
        self._parser = None
        self.close()

    # -- asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # a stream transport (uvloop's is not an asyncio.Transport subclass)
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        parser = self._parser
        if parser is None:
            self.close()  # bytes nobody asked for: the connection cannot be trusted again
            return
        self._last_read = self.loop.time()
        try:
            parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(
                ConnectionBrokenError(f"{self._url}: unexpected protocol upgrade", self._url)
            )
        except httptools.HttpParserError as exc:
            reason = exc.__context__ if isinstance(exc.__context__, NetworkError) else exc
            if isinstance(reason, NetworkError):
                self._fail(reason)
            else:
                self._fail(
                    ConnectionBrokenError(f"{self._url}: invalid HTTP response: {exc}", self._url)
                )

    def eof_received(self) -> bool:
        self._ended()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended()

    def _ended(self) -> None:
        self.closed = True
        if self._waiter is None or self._waiter.done():
            return
        if self._until_eof and self._inflater is not None:
            self._finish()  # the body was meant to end here
        else:
            self._fail(
                ConnectionBrokenError(
                    f"connection broke before the answer to {self._url} was complete", self._url
                )
            )

    # -- httptools callbacks ------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self._waiter is None or self._waiter.done():
            # a second answer nobody asked for: the connection is out of step
            self._reusable = False
            self.close()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if 100 <= status < 200:
            self._headers = []  # an interim answer; the real one follows
            return
        length = encoding = b""
        chunked = False
        for name, value in self._headers:
            lowered = name.lower()
            if lowered == b"content-length":
                length = value.strip()
            elif lowered == b"content-encoding":
                encoding = value
            elif lowered == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
        if self._method == "HEAD" or status in _BODILESS:
            # the parser cannot know a HEAD answer has no body: the exchange ends here
            # (whatever length it declares: that is the size of the body not sent)
            self._inflater = Inflater("", self._max_body, self._url)
            self._reusable = bool(self._parser.should_keep_alive())
            self._finish()
            return
        if length.isdigit() and int(length) > self._max_body and not encoding:
            self._error = BodyTooLargeError(
                f"body of {self._url} is {int(length)} bytes, over the {self._max_body} limit",
                self._url,
            )
            self._fail(self._error)
            return
        try:
            self._inflater = Inflater(encoding.decode("latin-1"), self._max_body, self._url)
        except NetworkError as exc:
            self._fail(exc)
            return
        self._until_eof = not length and not chunked

    def on_body(self, body: bytes) -> None:
        if self._inflater is None or self._error is not None:
            return
        try:
            self._inflater.feed(body)
        except NetworkError as exc:
            self._error = exc
            self._fail(exc)

    def on_message_complete(self) -> None:
        parser = self._parser
        if parser is None or self._waiter is None or self._waiter.done():
            return
        if 100 <= parser.get_status_code() < 200:
            return
        self._reusable = bool(parser.should_keep_alive()) and not self._until_eof
        self._finish()


class WirePool:
    """Kept-alive connections per origin, and the requests sent over them."""

    def __init__(
        self,
        backend: GuardedBackend,
        tls: Callable[[], ssl.SSLContext],
        *,
        read_timeout: float,
        connect_timeout: float,
        max_idle: int,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self.backend = backend
        self.tls = tls  # the TLS context, asked for at the first https connection
        self.read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        self.max_idle = max_idle
        self.keepalive_expiry = keepalive_expiry
        self._idle: dict[Origin, list[_Connection]] = {}
        #: every idle connection, oldest first, so the pool can shed the least used
        self._lru: OrderedDict[_Connection, Origin] = OrderedDict()

    async def request(
        self,
        method: str,
        url: str,
        target: Target,
        headers: Mapping[str, str],
        max_body: int,
        limit: float,
    ) -> Answer:
        """One request and its answer, all within `limit` seconds."""
        deadline = asyncio.get_running_loop().time() + limit
        lines = [f"{method} {target.path} HTTP/1.1", f"Host: {target.authority}"]
        for name, value in headers.items():
            if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
                raise InputError(f"header {name!r} of a request to {url} spans lines")
            lines.append(f"{name}: {value}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        connection = self._take(target.origin)
        reused = connection is not None
        if connection is None:
            connection = await self._connect(target.origin, url, deadline, limit)
        try:
            answer = await connection.exchange(head, method, max_body, url, deadline, limit)
        except ConnectionBrokenError:
            connection.close()
            if not reused:
                raise
            # a kept-alive connection the server closed meanwhile: once more on a new one
            connection = await self._connect(target.origin, url, deadline, limit)
            try:
                answer = await connection.exchange(head, method, max_body, url, deadline, limit)
            except BaseException:
                connection.close()
                raise
        except BaseException:
            connection.close()  # cancelled or failed mid-answer: its state is unknown
            raise
        if connection.reusable:
            self._keep(target.origin, connection)
        else:
            connection.close()
        return answer

    def _take(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = asyncio.get_running_loop().time()
        while idle:
            connection = idle.pop()
            del self._lru[connection]
            if not connection.closed and now - connection.idle_since < self.keepalive_expiry:
                return connection
            connection.close()
        return None

    def _keep(self, origin: Origin, connection: _Connection) -> None:
        connection.idle_since = asyncio.get_running_loop().time()
        self._idle.setdefault(origin, []).append(connection)
        self._lru[connection] = origin
        while len(self._lru) > self.max_idle:
            oldest, where = self._lru.popitem(last=False)
            self._idle[where].remove(oldest)
            if not self._idle[where]:
                del self._idle[where]
            oldest.close()

    async def _connect(
        self, origin: Origin, url: str, deadline: float, limit: float
    ) -> _Connection:
        try:
            async with asyncio.timeout_at(deadline):
                return await self._open(origin, url)
        except TimeoutError:
            raise TimeoutError_(f"{url} took longer than {limit:g}s", url) from None

    async def _open(self, origin: Origin, url: str) -> _Connection:
        scheme, host, port = origin
        addresses, target_port = await self.backend.destinations(host, port)
        loop = asyncio.get_running_loop()
        secure = scheme == "https"
        last: BaseException | None = None
        for address in addresses:
            try:
                async with asyncio.timeout(self.connect_timeout):
                    _, connection = await loop.create_connection(
                        lambda: _Connection(loop, self.read_timeout),
                        str(address),
                        target_port,
                        ssl=self.tls() if secure else None,
                        server_hostname=host if secure else None,
                    )
                return connection
            except (ssl.SSLError, ssl.CertificateError) as exc:
                raise TLSError(f"TLS failed for {url}: {_reason(exc)}", url) from None
            except TimeoutError:
                last = TimeoutError_(f"{url}: ConnectTimeout", url)
            except OSError as exc:
                last = ConnectError(f"cannot connect to {host}: {_reason(exc)}", url)
        assert isinstance(last, NetworkError)
        raise last

    def close(self) -> None:
        for connection in self._lru:
            connection.close()
        self._lru.clear()
        self._idle.clear()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["ACCEPT_ENCODING", "Answer", "Target", "WirePool", "parse_target"]
