"""Links from pages never make tracer contact private, loopback, link-local or metadata
addresses: not by literal, not in any spelling, not through redirects, DNS answers
that change, IPv6-mapped IPv4 or `connect_to`; and nothing fetches behind the HTTP layer.

Every test maps every host to fakeweb (catch-all `connect_to`) with only 127.0.0.1
allow-listed, so a request the guard let through would arrive at fakeweb and show in
`fakeweb.seen()` under its Host header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpcore
import pytest

from adapters.platforms.web import WebAdapter
from tests.fakeweb import FakeRequest, FakeWeb, Response, redirect
from tracer.errors import BlockedAddressError, InputError, NetworkError, RedirectError
from tracer.http.client import HTTPClient
from tracer.http.guard import AddressGuard, ConnectTo, GuardedBackend, IPAddress
from tracer.identity.resolver import parse

#: hosts of forbidden destinations, as links on hostile pages spell them
FORBIDDEN = [
    "169.254.169.254",  # cloud metadata
    "[fd00:ec2::254]",  # AWS metadata over IPv6
    "10.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "127.0.0.2",  # loopback outside the /32 the tests allow
    "[::1]",
    "[::ffff:169.254.169.254]",  # IPv6-mapped IPv4
    "[::ffff:a00:1]",
    "[64:ff9b::a9fe:a9fe]",  # NAT64 of the metadata address
    "2852039166",  # 169.254.169.254 in decimal
    "0xa9.0xfe.0xa9.0xfe",  # in hex
    "0251.0376.0251.0376",  # in octal
    "012.0.0.1",  # 10.0.0.1 in octal
    "167772161",  # 10.0.0.1 in decimal
    "0x7f.0.0.2",
    "0",  # 0.0.0.0
    "[fe80::1]",
    "100.64.0.1",  # carrier-grade NAT
]
FORBIDDEN_URLS = [f"http://{host}/latest/meta-data/" for host in FORBIDDEN]


def _forbidden_hosts() -> set[str]:
    return {host.lower() for host in FORBIDDEN}


def _reached_forbidden(web: FakeWeb) -> list[str]:
    return [r.url for r in web.seen() if r.host in _forbidden_hosts() or r.path == "/canary"]


async def test_every_spelling_is_refused_by_the_http_layer(fakeweb: FakeWeb) -> None:
    async with fakeweb.client(catch_all=True, max_attempts=1) as http:
        for url in FORBIDDEN_URLS:
            # httpx itself refuses a few spellings (all-octal dotted quads) as invalid URLs
            with pytest.raises((BlockedAddressError, InputError)):
                await http.fetch(url)
    assert fakeweb.seen() == []


async def test_redirect_chains_into_private_space_are_refused(fakeweb: FakeWeb) -> None:
    # a public-looking short link that hops twice before pointing inside
    fakeweb.page("https://short.example/a", redirect("https://hop.example/b", 301))
    targets = iter(FORBIDDEN_URLS)

    def hop(request: FakeRequest) -> Response:
        return redirect(next(targets), 302)

    fakeweb.add("hop.example", hop)
    async with fakeweb.client(catch_all=True, max_attempts=1) as http:
        for _ in FORBIDDEN_URLS:
            with pytest.raises(NetworkError):
                await http.fetch("https://short.example/a")
    assert _reached_forbidden(fakeweb) == []
    assert {r.host for r in fakeweb.seen()} == {"short.example", "hop.example"}


class _Rebinding:
    """A resolver that answers an allowed address first, then a private one: the
    classic rebinding attack on a check-then-connect guard."""

    def __init__(self, answers: Iterable[str]) -> None:
        self.answers = [ipaddress.ip_address(a) for a in answers]
        self.calls = 0

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return [answer]


class _Recording(httpcore.AsyncNetworkBackend):
    """The real backend, noting every address a connection is actually made to."""

    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.connected: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.connected.append((host, port))
        return await self.inner.connect_tcp(host, port, *args, **kwargs)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


async def test_rebinding_dns_cannot_slip_between_check_and_connect(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://rebind.example/", "first answer")
    resolver = _Rebinding(["127.0.0.1", "169.254.169.254", "10.0.0.1"])
    # the resolver's name is connected to fakeweb's port, by address
    remap = ConnectTo({"rebind.example:80": f"rebind.example:{fakeweb.port}"})
    recording = _Recording()
    backend = GuardedBackend(AddressGuard(["127.0.0.1/32"]), remap, resolver, inner=recording)
    stream = await backend.connect_tcp("rebind.example", 80, timeout=5)
    await stream.aclose()
    for _ in range(2):
        with pytest.raises(BlockedAddressError):
            await backend.connect_tcp("rebind.example", 80, timeout=5)
    # one resolution per connection, and the connection went to the address checked
    assert resolver.calls == 3
    assert recording.connected == [("127.0.0.1", fakeweb.port)]

    # through the HTTP layer: the first fetch works, the rebound ones are refused
    settings = fakeweb.http_settings(
        catch_all=False,
        connect_to={"rebind.example:80": f"rebind.example:{fakeweb.port}"},
        max_attempts=1,
    )
    flipping = _Rebinding(["127.0.0.1", "169.254.169.254"])
    async with HTTPClient(settings, resolver=flipping) as http:
        assert (await http.fetch("http://rebind.example/")).text == "first answer"
        with pytest.raises(BlockedAddressError):
            await http.fetch("http://rebind.example/?again")
    assert len(fakeweb.seen("rebind.example")) == 1


async def test_connect_to_cannot_point_at_private_space(fakeweb: FakeWeb) -> None:
    # a user's remap to an intranet address is still judged by the guard
    settings = fakeweb.http_settings(
        catch_all=False,
        connect_to={"news.example:80": "169.254.169.254:80", "*:443": "10.0.0.1:443"},
        max_attempts=1,
    )
    async with HTTPClient(settings, resolver=fakeweb.resolver) as http:
        for url in ("http://news.example/", "https://other.example/"):
            with pytest.raises(BlockedAddressError):
                await http.fetch(url)
    # and a literal private destination stays refused even when remapped to fakeweb
    async with HTTPClient(
        fakeweb.http_settings(catch_all=True, max_attempts=1), resolver=fakeweb.resolver
    ) as http:
        with pytest.raises(BlockedAddressError):
            await http.fetch("http://169.254.169.254/")
    assert fakeweb.seen() == []


async def test_only_allow_listed_networks_are_reachable(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://news.example/", "ok")
    for allowed, reachable in ((["127.0.0.1/32"], True), (["10.0.0.0/8"], False), ([], False)):
        async with fakeweb.client(catch_all=False, allow_networks=allowed, max_attempts=1) as http:
            if reachable:
                assert (await http.fetch("http://news.example/")).ok
            else:
                with pytest.raises(BlockedAddressError):
                    await http.fetch("http://news.example/")
    assert len(fakeweb.seen("news.example")) == 1


# -- nothing fetches behind the HTTP layer -------------------------------------------------


async def test_a_page_whose_body_is_a_url_is_not_fetched_by_htmldate(fakeweb: FakeWeb) -> None:
    # htmldate's find_date downloads a string argument that looks like a URL, with its
    # own urllib3 client: no guard, no limits. A page can be made of nothing but one.
    canary = f"http://127.0.0.1:{fakeweb.port}/canary"
    fakeweb.page("https://news.example/a", Response(200, canary, content_type="text/html"))
    settings = fakeweb.http_settings(catch_all=True, max_attempts=1)
    adapter = WebAdapter()
    _owner, identity = parse("https://news.example/a", [adapter])
    async with HTTPClient(settings, resolver=fakeweb.resolver) as http:
        await adapter.enrich(identity, http)
    assert [r.path for r in fakeweb.seen()] == ["/a"]


def test_no_module_opens_connections_of_its_own() -> None:
    # every request goes through tracer.http.client; waybackpy (which uses requests) is used
    # only for its CDX vocabulary, never to send anything
    root = Path(__file__).resolve().parents[2]
    offenders: list[str] = []
    needles = (
        "import requests",
        "from requests",
        "urllib.request",
        "import http.client",
        "from http.client",
        "import urllib3",
        "import aiohttp",
        "httpx.AsyncClient(",
        "httpx.Client(",
        "httpx.get(",
        "fetch_url(",
        "WaybackMachineSaveAPI(",
        "WaybackMachineCDXServerAPI(",
        "WaybackMachineAvailabilityAPI(",
        "waybackpy.Url(",
        "socket.create_connection",
        "open_connection(",
    )
    for directory in ("tracer", "adapters", "cache"):
        for path in (root / directory).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for needle in needles:
                if needle in text and not (
                    path.relative_to(root).as_posix() == "tracer/http/client.py"
                    and needle == "httpx.AsyncClient("
                ):
                    offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


async def test_an_unparseable_redirect_is_a_redirect_error_and_not_retried(
    fakeweb: FakeWeb,
) -> None:
    fakeweb.page("https://odd.example/", redirect("http://0251.0376.0251.0376/"))
    async with fakeweb.client(catch_all=True, max_attempts=3) as http:
        with pytest.raises(RedirectError):
            await http.fetch("https://odd.example/")
    assert len(fakeweb.seen("odd.example")) == 1
