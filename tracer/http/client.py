"""The one HTTP layer all network I/O goes through.

Built on a single `httpx.AsyncClient`. Every request passes, in order: the politeness
gate (global cap, per-host concurrency and spacing), the private-address guard (in the
connection backend, on every hop), tenacity retries (exponential backoff with jitter,
honouring Retry-After, only for transient failures), a total deadline, and a streaming
body cap counted after decompression. Redirects are followed here, hop by hop, so each
hop gets the same treatment and loops are caught.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
)

from tracer import __version__
from tracer.errors import (
    BodyTooLargeError,
    ConnectError,
    ConnectionBrokenError,
    DNSError,
    InputError,
    NetworkError,
    RedirectError,
    TimeoutError_,
    TLSError,
)
from tracer.http.guard import AddressGuard, ConnectTo, GuardedBackend, Resolver, system_resolver
from tracer.http.inflate import ACCEPT_ENCODING, Inflater
from tracer.http.politeness import HostLimits, HostPolicy
from tracer.http.settings import HTTPSettings
from tracer.http.wire import WirePool, parse_target
from tracer.urls import host_of, joined_url

#: statuses worth another try; every other 4xx is the server's final word
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class Fetched:
    """A complete response: the body read within the caps, and how we got there."""

    url: str
    final_url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    history: list[tuple[str, int]] = field(default_factory=list)
    from_cache: bool = False
    elapsed: float = 0.0
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"' ")
        return None

    @property
    def text(self) -> str:
        """The body as text: the declared charset when it is real, else UTF-8, never failing."""
        charset = self.charset or "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        import json

        return json.loads(self.content)


@dataclass(frozen=True)
class _Request:
    """One hop of a fetch, as every try of it is sent."""

    url: str
    method: str
    headers: Mapping[str, str] | None
    data: Mapping[str, str] | None
    content: bytes | None
    cache: bool
    max_body: int
    lean: bool


class _AwaitVerdict(Exception):
    """The host is on trial (another request's retries decide whether it is reachable):
    wait for the verdict instead of trying it as well."""

    def __init__(self, verdict: asyncio.Event) -> None:
        super().__init__("waiting for the host's verdict")
        self.verdict = verdict


class _RetryableStatus(Exception):
    """Raised inside an attempt so tenacity retries; carries the answer we got."""

    def __init__(self, fetched: Fetched, delay: float | None) -> None:
        super().__init__(f"HTTP {fetched.status_code}")
        self.fetched = fetched
        self.delay = delay


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _CacheSwitch(httpx.AsyncBaseTransport):
    """Routes a request through the response cache unless it asks for the live answer."""

    def __init__(self, direct: httpx.AsyncBaseTransport, cached: httpx.AsyncBaseTransport) -> None:
        self.direct, self.cached = direct, cached

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        use_cache = request.extensions.get("tracer_cache", False) and request.method == "GET"
        transport = self.cached if use_cache else self.direct
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self.cached.aclose()  # closes the direct transport it wraps too


def _guarded_transport(
    settings: HTTPSettings, backend: GuardedBackend, verify: ssl.SSLContext | bool
) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(verify=verify, retries=0)
    # httpx does not take a network backend, but httpcore's pool does: swap the pool for
    # one whose every connection goes through the guard (and so does every redirect hop).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=transport._pool._ssl_context,
        max_connections=settings.max_concurrency * 2,
        max_keepalive_connections=settings.max_concurrency,
        keepalive_expiry=5.0,
        http1=True,
        http2=False,
        retries=0,
        network_backend=backend,
    )
    return transport


class HTTPClient:
    """The shared client. Use as `async with HTTPClient(settings) as http:`."""

    def __init__(
        self,
        settings: HTTPSettings,
        *,
        cache_transport: Any = None,
        resolver: Resolver = system_resolver,
        host_policies: Mapping[str, HostPolicy] | None = None,
    ) -> None:
        self.settings = settings
        self.user_agent = settings.user_agent.replace("{version}", __version__)
        self.guard = AddressGuard(settings.allow_networks)
        self.connect_to = ConnectTo(settings.connect_to)
        self._backend = GuardedBackend(self.guard, self.connect_to, resolver)
        self._verify: ssl.SSLContext | bool = True
        if settings.ca_bundle:
            self._verify = ssl.create_default_context()
            try:
                self._verify.load_verify_locations(settings.ca_bundle)
            except (OSError, ssl.SSLError) as exc:
                raise InputError(f"http.ca_bundle {settings.ca_bundle}: {exc}") from None
        self._cache_transport = cache_transport
        #: hosts whose name did not resolve or that refused connections, with the error:
        #: asking them again in the same run only waits out their pacing to fail again
        self._unreachable: dict[str, NetworkError] = {}
        # a host whose first try failed to connect, with the request retrying it and the
        # verdict its retries reach: the host's other requests wait for it, not try too
        self._probing: dict[str, tuple[_Request, asyncio.Event]] = {}
        self._httpx: httpx.AsyncClient | None = None
        self._tls: ssl.SSLContext | None = None
        # the lean path for link checks shares the guard, the remap and the TLS context
        self._wire = WirePool(
            self._backend,
            self._tls_context,
            read_timeout=settings.timeout,
            connect_timeout=settings.connect_timeout,
            max_idle=settings.max_concurrency,
        )
        self.limits = HostLimits(
            settings.max_concurrency,
            HostPolicy(settings.per_host_concurrency, settings.per_host_interval),
            dict(host_policies or {}),
        )

    @property
    def _client(self) -> httpx.AsyncClient:
        """The httpx client, made at its first use: a run of link checks over the lean
        path never needs it, nor (when its links are all http) the TLS context, which
        costs tens of milliseconds to make and to close."""
        if self._httpx is None:
            guarded = _guarded_transport(self.settings, self._backend, self._verify)
            self._tls = guarded._pool._ssl_context
            direct: httpx.AsyncBaseTransport = guarded
            transport = direct
            if self._cache_transport is not None:
                transport = _CacheSwitch(direct, self._cache_transport(direct))
            self._httpx = httpx.AsyncClient(
                transport=transport,
                timeout=httpx.Timeout(self.settings.timeout, connect=self.settings.connect_timeout),
                follow_redirects=False,
                trust_env=False,
                headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            )
        return self._httpx

    def _tls_context(self) -> ssl.SSLContext:
        """The TLS context both paths share (the httpx transport makes it)."""
        if self._tls is None:
            self._client  # noqa: B018 - made with the client
        assert self._tls is not None  # the transport always makes one
        return self._tls

    async def __aenter__(self) -> HTTPClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._wire.close()
        if self._httpx is not None:
            await self._httpx.aclose()

    def set_host_policy(
        self, host: str, concurrency: int, interval: float, penalty: float = 0.0
    ) -> None:
        """Give one host (an archive, say) its own documented limits."""
        self.limits.set_policy(host, HostPolicy(concurrency, interval, penalty))

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
        cache: bool = False,
        max_body: int | None = None,
        retry: bool = True,
        retry_connect: bool = True,
        raise_for_status: bool = False,
        lean: bool = False,
    ) -> Fetched:
        """Fetch `url` with every limit of the layer. Raises a NetworkError subclass.

        `lean` sends a GET or HEAD without a body through tracer.http.wire, the path for
        high-volume link checks: same guard, politeness, retries, redirects and caps,
        a fraction of the CPU, never the response cache. `retry_connect=False` takes a
        connection that cannot be made (refused, unreachable) as the answer, as link
        checkers do: the host is down or gone, and asking again within seconds tells
        nothing more (timeouts, broken answers and busy statuses are still retried).
        """
        if lean and (data is not None or content is not None or cache):
            raise ValueError("the lean path sends no request body and uses no cache")
        started = time.monotonic()
        history: list[tuple[str, int]] = []
        seen: set[str] = set()
        current, current_method = url, method.upper()
        body_data, body_content = data, content
        while True:
            if current in seen:
                raise RedirectError(f"redirect loop at {current}", url)
            seen.add(current)
            request = _Request(
                current,
                current_method,
                headers,
                body_data,
                body_content,
                cache,
                max_body or self.settings.max_body_bytes,
                lean,
            )
            fetched = await self._with_retries(request, retry, retry_connect)
            location = fetched.headers.get("location")
            if not (follow_redirects and fetched.status_code in REDIRECT_STATUSES and location):
                break
            if len(history) >= self.settings.max_redirects:
                raise RedirectError(
                    f"more than {self.settings.max_redirects} redirects from {url}", url
                )
            history.append((current, fetched.status_code))
            target = joined_url(current, location.strip())
            if target is None:
                raise RedirectError(f"redirect from {current} to an invalid URL", url)
            if not target.lower().startswith(("http://", "https://")):
                raise RedirectError(f"redirect from {current} to a non-web URL {target!r}", url)
            try:
                httpx.URL(target)
            except (httpx.InvalidURL, ValueError):
                raise RedirectError(
                    f"redirect from {current} to an invalid URL {target!r}", url
                ) from None
            if fetched.status_code == 303 or (
                fetched.status_code in (301, 302) and current_method not in ("GET", "HEAD")
            ):
                current_method, body_data, body_content = "GET", None, None
            current = target
        fetched.url = url
        fetched.history = history
        fetched.elapsed = time.monotonic() - started
        if raise_for_status and not fetched.ok:
            from tracer.errors import HTTPStatusError

            raise HTTPStatusError(
                f"{url} answered HTTP {fetched.status_code}", url, fetched.status_code
            )
        return fetched

    def _backoff(self, failed_attempts: int, error: BaseException | None) -> float:
        """Seconds to wait after `failed_attempts` tries, the last failing with `error`."""
        if isinstance(error, _RetryableStatus) and error.delay is not None:
            return 0.0  # the host gate already holds every request back for Retry-After
        # exponential backoff with jitter, so workers that failed together retry apart
        base = self.settings.backoff_initial * 2 ** (failed_attempts - 1)
        return min(self.settings.backoff_max, base + random.uniform(0, base))

    @property
    def unreachable(self) -> dict[str, str]:
        """Hosts given up on in this run (name not resolved, connection refused), with why."""
        return {host: str(error) for host, error in self._unreachable.items()}

    async def _with_retries(self, request: _Request, retry: bool, retry_connect: bool) -> Fetched:
        """One request with its retries. A host found unreachable is not asked again by this
        client, except on the lean path: each link check reports its own outcome."""
        if request.lean:
            return await self._retried(request, retry, retry_connect, None)
        host = host_of(request.url) or request.url
        while True:
            self._refuse_unreachable(host, request.url)
            try:
                return await self._retried(request, retry, retry_connect, host)
            except _AwaitVerdict as waiting:
                await waiting.verdict.wait()  # then refused, or asked like any request
            except (DNSError, ConnectError) as failed:
                if failed.url is None:
                    failed.url = request.url  # the resolver does not know who asked
                if not isinstance(failed, TLSError):
                    self._unreachable.setdefault(host, failed)
                raise

    def _refuse_unreachable(self, host: str, url: str) -> None:
        """Raise, as final, the error of a host found unreachable earlier in this run.

        Checked before a request and again once it has its turn at the host: requests
        queued behind the one that found the host gone must not each try it again.
        """
        known = self._unreachable.get(host)
        if known is not None:
            error = type(known)(f"{known} (not asked again in this run)", url)
            error.transient = False  # no retry either
            raise error

    async def _retried(
        self, request: _Request, retry: bool, retry_connect: bool, host: str | None
    ) -> Fetched:
        """`request` tried up to max_attempts times; `host`: where a first failure to
        connect makes this request the one whose retries decide for the host's others."""
        attempts = self.settings.max_attempts if retry else 1

        def worth_retrying(error: BaseException) -> bool:
            if isinstance(error, ConnectError) and not retry_connect:
                return False
            return _is_transient(error)

        # most requests succeed at once: tenacity is only set up once one has failed
        try:
            return await self._attempt(request)
        except _RetryableStatus as failed:
            if attempts == 1:
                return failed.fetched
            first: BaseException = failed
        except NetworkError as failed:
            if attempts == 1 or not worth_retrying(failed):
                raise
            first = failed
        probing = (
            host is not None
            and isinstance(first, (DNSError, ConnectError))
            and host not in self._probing
        )
        if probing:
            assert host is not None
            self._probing[host] = (request, asyncio.Event())
        try:
            return await self._retry(request, attempts, first, worth_retrying)
        finally:
            if probing:
                assert host is not None
                self._probing.pop(host)[1].set()

    async def _retry(
        self,
        request: _Request,
        attempts: int,
        first: BaseException,
        worth_retrying: Callable[[BaseException], bool],
    ) -> Fetched:
        """The tries after a failed first one, with backoff."""
        await asyncio.sleep(self._backoff(1, first))
        retrying = AsyncRetrying(
            stop=stop_after_attempt(attempts - 1),
            wait=lambda state: self._backoff(
                state.attempt_number + 1, state.outcome.exception() if state.outcome else None
            ),
            retry=retry_if_exception(worth_retrying),
            reraise=True,
        )
        try:
            async for retried in retrying:
                with retried:
                    fetched = await self._attempt(request)
                    fetched.attempts = retried.retry_state.attempt_number + 1
                    return fetched
        except _RetryableStatus as final:
            return final.fetched  # out of tries: the caller sees the last answer
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, request: _Request) -> Fetched:
        """One try; an answer worth another try is raised as _RetryableStatus."""
        url, method, headers, max_body = (
            request.url,
            request.method,
            request.headers,
            request.max_body,
        )
        if request.lean:
            fetched = await self._once_lean(url, method, headers, max_body)
        else:
            fetched = await self._once(
                url,
                method,
                headers,
                request.data,
                request.content,
                request.cache,
                max_body,
                asking=request,
            )
        if fetched.status_code in RETRY_STATUSES:
            delay = parse_retry_after(fetched.headers.get("retry-after"))
            host = httpx.URL(url).host
            if delay is None and fetched.status_code == 429:
                delay = self.limits.policy_for(host).penalty or None
            if delay is not None:
                delay = min(delay, self.settings.backoff_max)
                self.limits.penalize(host, delay)
            raise _RetryableStatus(fetched, delay)
        return fetched

    async def _once(
        self,
        url: str,
        method: str,
        headers: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        content: bytes | None,
        cache: bool,
        max_body: int,
        asking: _Request | None = None,
    ) -> Fetched:
        try:
            request = self._client.build_request(
                method,
                url,
                headers=dict(headers or {}),
                data=dict(data) if data else None,
                content=content,
                extensions={"tracer_cache": cache},
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, TypeError) as exc:
            raise InputError(f"not a fetchable URL {url!r}: {exc}") from None
        if request.url.scheme not in ("http", "https"):
            raise InputError(f"not a fetchable URL {url!r}: only http and https are fetched")
        host = request.url.host
        async with self.limits.slot(host):
            # its turn came: the host may have been found gone, or be on trial, meanwhile
            key = host_of(url) or url
            self._refuse_unreachable(key, url)
            probe = self._probing.get(key)
            if probe is not None and probe[0] is not asking:
                raise _AwaitVerdict(probe[1])
            try:
                async with asyncio.timeout(self.settings.total_timeout):
                    response = await self._client.send(request, stream=True)
                    try:
                        declared = response.headers.get("content-length", "")
                        if (
                            method != "HEAD"  # its length is that of the body not sent
                            and declared.isdigit()
                            and int(declared) > max_body
                            and not response.headers.get("content-encoding")
                        ):
                            raise BodyTooLargeError(
                                f"body of {url} is {declared} bytes, over the {max_body} limit", url
                            )
                        inflater = Inflater(
                            response.headers.get("content-encoding", ""), max_body, url
                        )
                        if method != "HEAD":
                            async for chunk in response.aiter_raw():
                                inflater.feed(chunk)
                        body = inflater.finish()
                    finally:
                        await response.aclose()
            except TimeoutError:
                raise TimeoutError_(
                    f"{url} took longer than {self.settings.total_timeout:g}s", url
                ) from None
            except httpx.TimeoutException as exc:
                raise TimeoutError_(f"{url}: {type(exc).__name__}", url) from None
            except httpx.ConnectError as exc:
                if _is_tls(exc):
                    raise TLSError(f"TLS failed for {url}: {_reason(exc)}", url) from None
                raise ConnectError(f"cannot connect to {host}: {_reason(exc)}", url) from None
            except httpx.RemoteProtocolError as exc:
                if "location header" in str(exc).lower():
                    # httpx checks Location while reading the answer: a bad one is the
                    # server's final word, not a broken connection worth retrying
                    raise RedirectError(f"{url} redirects to {_reason(exc)}", url) from None
                raise ConnectionBrokenError(
                    f"connection to {host} broke: {_reason(exc)}", url
                ) from None
            except (httpx.ReadError, httpx.WriteError) as exc:
                raise ConnectionBrokenError(
                    f"connection to {host} broke: {_reason(exc)}", url
                ) from None
            except httpx.DecodingError as exc:
                raise NetworkError(f"body of {url} cannot be decoded: {exc}", url) from None
        caching = response.extensions.get("caching") or {}
        return Fetched(
            url=url,
            final_url=str(response.url),
            status_code=response.status_code,
            headers=response.headers,
            content=body,
            from_cache=bool(caching.get("from_cache", False)),
        )

    async def _once_lean(
        self, url: str, method: str, headers: Mapping[str, str] | None, max_body: int
    ) -> Fetched:
        target = parse_target(url)
        request_headers = {
            "User-Agent": self.user_agent,
            "Accept": "*/*",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        if headers:
            for name, value in headers.items():
                # a caller's header replaces the default of that name, however spelled
                default = _DEFAULT_HEADER_NAMES.get(name.lower())
                if default is not None:
                    del request_headers[default]
                request_headers[name] = value
        host = target.origin[1]
        if target.origin[0] == "https" and self._tls is None:
            # made before the host's turn, not in it: its tens of milliseconds would
            # otherwise delay this request onto the wire and bunch it with the next
            self._tls_context()
        async with self.limits.slot(host):
            # the total deadline is kept by the connection's own watch (no timer per request)
            answer = await self._wire.request(
                method, url, target, request_headers, max_body, self.settings.total_timeout
            )
        return Fetched(
            url=url,
            final_url=url,
            status_code=answer.status_code,
            headers=httpx.Headers(answer.headers),
            content=answer.body,
        )


#: the lean path's default request headers, by lower-cased name
_DEFAULT_HEADER_NAMES = {
    "user-agent": "User-Agent",
    "accept": "Accept",
    "accept-encoding": "Accept-Encoding",
}


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, _RetryableStatus) or (
        isinstance(error, NetworkError) and error.transient
    )


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "SSL" in str(exc) or "certificate" in str(exc).lower()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
