"""The HTTP layer against fakeweb, asserting what the server observed."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from cache.responses import response_cache
from tests.fakeweb import FakeRequest, FakeWeb, Response, gzip_bomb, redirect
from tests.fakeweb.down import RefusingHost
from tests.fakeweb.spacing import assert_spaced
from tracer.errors import (
    BlockedAddressError,
    BodyTooLargeError,
    ConnectError,
    ConnectionBrokenError,
    DNSError,
    NetworkError,
    RedirectError,
    TimeoutError_,
)
from tracer.http.client import HTTPClient, parse_retry_after
from tracer.http.guard import AddressGuard, ConnectTo, parse_ip_literal
from tracer.http.inflate import ACCEPT_ENCODING


@pytest.mark.parametrize("lean", [False, True], ids=["httpx", "lean"])
async def test_get_over_tls_sends_identifying_headers(fakeweb: FakeWeb, lean: bool) -> None:
    """A GET over TLS returns status, body and type; the server saw UA, Host, encodings."""
    fakeweb.page("https://news.example/a?x=1", "<p>hello</p>")
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("https://news.example/a?x=1", lean=lean)
    assert fetched.status_code == 200
    assert fetched.text == "<p>hello</p>"
    assert fetched.content_type == "text/html"
    assert fetched.final_url == fetched.url == "https://news.example/a?x=1"
    (seen,) = fakeweb.seen("news.example")
    assert seen.tls
    assert seen.method == "GET" and seen.target == "/a?x=1"
    assert seen.headers["host"] == "news.example"
    assert seen.headers["user-agent"].startswith("provenance-tracer/")
    assert seen.headers["accept-encoding"] == ACCEPT_ENCODING


@pytest.mark.usefixtures("steady_heap")
async def test_per_host_interval_is_kept(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://slow.example/", "ok")
    fakeweb.page("http://other.example/", "ok")
    async with fakeweb.client(catch_all=False, per_host_interval=0.4) as http:
        await asyncio.gather(
            *(http.fetch("http://slow.example/") for _ in range(3)),
            http.fetch("http://other.example/"),
        )
    slow = fakeweb.seen("slow.example")
    assert len(slow) == 3
    assert_spaced(slow, 0.4, slack=0.02)  # plain http, one process: stamps are close
    # another host is not held back by the slow one's spacing
    assert fakeweb.seen("other.example")[0].at - min(r.at for r in slow) < 0.3


@pytest.mark.usefixtures("steady_heap")
async def test_per_host_concurrency_is_capped(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://busy.example/", Response(200, "ok", delay=0.3))
    async with fakeweb.client(catch_all=False, per_host_concurrency=2) as http:
        await asyncio.gather(*(http.fetch("http://busy.example/") for _ in range(6)))
    arrivals = sorted(r.at for r in fakeweb.seen("busy.example"))
    # with two at a time and 0.3 s each, never three arrivals within 0.25 s
    for i in range(len(arrivals) - 2):
        assert arrivals[i + 2] - arrivals[i] >= 0.25


@pytest.mark.usefixtures("steady_heap")
async def test_retry_after_seconds_is_waited(fakeweb: FakeWeb) -> None:
    answers = iter([Response(429, "slow down", {"Retry-After": "2"}), Response(200, "ok")])
    fakeweb.add("limited.example", lambda request: next(answers))
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("http://limited.example/x")
    assert fetched.status_code == 200
    assert fetched.attempts == 2
    first, second = fakeweb.seen("limited.example")
    assert second.at - first.at >= 1.95


@pytest.mark.usefixtures("steady_heap")
async def test_retry_after_http_date_is_honoured(fakeweb: FakeWeb) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    answers = iter([Response(503, "busy", {"Retry-After": later}), Response(200, "ok")])
    fakeweb.add("dated.example", lambda request: next(answers))
    async with fakeweb.client(catch_all=False) as http:
        assert (await http.fetch("http://dated.example/")).ok
    first, second = fakeweb.seen("dated.example")
    assert second.at - first.at >= 0.9  # HTTP-dates have whole-second resolution


def test_parse_retry_after_forms() -> None:
    now = datetime(2024, 7, 28, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Sun, 28 Jul 2024 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 28 Jul 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
async def test_transient_statuses_are_retried(fakeweb: FakeWeb, status: int) -> None:
    answers = iter([Response(status, "no"), Response(200, "yes")])
    fakeweb.add("flaky.example", lambda request: next(answers))
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("http://flaky.example/")
    assert fetched.status_code == 200
    assert len(fakeweb.seen("flaky.example")) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
async def test_final_statuses_are_not_retried(fakeweb: FakeWeb, status: int) -> None:
    fakeweb.page("http://final.example/", Response(status, "no"))
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("http://final.example/")
    assert fetched.status_code == status
    assert len(fakeweb.seen("final.example")) == 1


async def test_retries_stop_and_return_the_last_answer(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://down.example/", Response(503, "down"))
    async with fakeweb.client(catch_all=False, max_attempts=3) as http:
        fetched = await http.fetch("http://down.example/")
    assert fetched.status_code == 503
    assert len(fakeweb.seen("down.example")) == 3


async def test_reset_mid_body_is_retried_then_reported(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://reset.example/", Response(200, "x" * 50_000, reset_after=1000))
    async with fakeweb.client(catch_all=False, max_attempts=2) as http:
        with pytest.raises(ConnectionBrokenError):
            await http.fetch("http://reset.example/")
    assert len(fakeweb.seen("reset.example")) == 2


@pytest.mark.parametrize("lean", [False, True])
async def test_refused_connections_are_retried_unless_the_caller_says_not(
    fakeweb: FakeWeb, lean: bool
) -> None:
    down = RefusingHost("down.example")
    settings = fakeweb.http_settings(catch_all=False, connect_to=down.connect_to, max_attempts=3)
    async with HTTPClient(settings, resolver=down.resolve) as http:
        with pytest.raises(ConnectError):
            await http.fetch("http://down.example/", lean=lean)
        assert len(down.lookups) == 3
    async with HTTPClient(settings, resolver=down.resolve) as http:
        down.lookups.clear()
        with pytest.raises(ConnectError):
            await http.fetch("http://down.example/", lean=lean, retry_connect=False)
        assert down.lookups == [down.target]


async def test_a_host_that_refused_is_not_asked_again_in_the_run(fakeweb: FakeWeb) -> None:
    down = RefusingHost("down.example")
    settings = fakeweb.http_settings(
        catch_all=False, connect_to=down.connect_to, max_attempts=2, per_host_interval=5.0
    )
    async with HTTPClient(settings, resolver=down.resolve) as http:
        with pytest.raises(ConnectError):
            await http.fetch("http://down.example/a")
        tried = len(down.lookups)
        started = time.monotonic()
        with pytest.raises(ConnectError, match="not asked again"):
            await http.fetch("http://down.example/b")
        # neither a new connection nor a wait for the host's 5 s interval
        assert len(down.lookups) == tried
        assert time.monotonic() - started < 1.0
        assert "down.example" in http.unreachable
        # link checks still report each link's own outcome
        with pytest.raises(ConnectError):
            await http.fetch("http://down.example/c", lean=True, retry_connect=False)
        assert len(down.lookups) == tried + 1


async def test_slow_body_hits_the_total_deadline(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://drip.example/", Response(200, "x" * 100, chunk_size=1, chunk_delay=0.1))
    async with fakeweb.client(catch_all=False, total_timeout=0.5, max_attempts=1) as http:
        started = time.monotonic()
        with pytest.raises(TimeoutError_):
            await http.fetch("http://drip.example/")
    assert time.monotonic() - started < 3


async def test_oversized_bodies_are_aborted(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://big.example/declared", "x" * 5000)
    fakeweb.page("http://big.example/undeclared", Response(200, "x" * 5000, declare_length=False))
    fakeweb.page("http://big.example/bomb", gzip_bomb(20_000_000))
    async with fakeweb.client(catch_all=False, max_body_bytes=4096) as http:
        for path in ("declared", "undeclared", "bomb"):
            with pytest.raises(BodyTooLargeError):
                await http.fetch(f"http://big.example/{path}")
        # one retry is never spent on a body that is simply too large
    assert len(fakeweb.seen("big.example")) == 3


async def test_compressed_bodies_are_inflated_and_truncation_reported(fakeweb: FakeWeb) -> None:
    packed = gzip.compress(b"<p>hallo</p>" * 100)
    fakeweb.page("http://gz.example/ok", Response(200, packed, {"Content-Encoding": "gzip"}))
    fakeweb.page(
        "http://gz.example/cut",
        Response(200, packed[: len(packed) // 2], {"Content-Encoding": "gzip"}),
    )
    async with fakeweb.client(catch_all=False, max_attempts=1) as http:
        assert (await http.fetch("http://gz.example/ok")).content == b"<p>hallo</p>" * 100
        with pytest.raises(NetworkError, match="truncated"):
            await http.fetch("http://gz.example/cut")


@pytest.mark.parametrize("lean", [False, True], ids=["httpx", "lean"])
async def test_redirects_are_followed_with_history(fakeweb: FakeWeb, lean: bool) -> None:
    fakeweb.page("http://short.example/a", redirect("https://news.example/story", 301))
    fakeweb.page("https://news.example/story", "story")
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("http://short.example/a", lean=lean)
    assert fetched.status_code == 200
    assert fetched.url == "http://short.example/a"
    assert fetched.final_url == "https://news.example/story"
    assert fetched.history == [("http://short.example/a", 301)]
    assert fetched.text == "story"


@pytest.mark.parametrize("lean", [False, True], ids=["httpx", "lean"])
async def test_redirect_loops_and_long_chains_are_refused(fakeweb: FakeWeb, lean: bool) -> None:
    fakeweb.page("http://loop.example/1", redirect("/2"))
    fakeweb.page("http://loop.example/2", redirect("/1"))
    fakeweb.add("chain.example", lambda r: redirect(f"/{int(r.path.strip('/') or 0) + 1}"))
    async with fakeweb.client(catch_all=False, max_redirects=5) as http:
        with pytest.raises(RedirectError, match="loop"):
            await http.fetch("http://loop.example/1", lean=lean)
        with pytest.raises(RedirectError, match="more than 5"):
            await http.fetch("http://chain.example/0", lean=lean)
    assert len(fakeweb.seen("chain.example")) == 6


@pytest.mark.parametrize("lean", [False, True], ids=["httpx", "lean"])
async def test_a_redirect_to_an_address_no_parser_takes_is_refused(
    fakeweb: FakeWeb, lean: bool
) -> None:
    fakeweb.page("http://odd.example/a", redirect("http://x.com["))
    async with fakeweb.client(catch_all=False) as http:
        with pytest.raises(RedirectError, match="invalid URL"):
            await http.fetch("http://odd.example/a", lean=lean)


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:10.0.0.1]/",
        "http://0x0a.1/",
        "http://3232235777/",
    ],
)
async def test_redirects_to_private_addresses_are_refused(fakeweb: FakeWeb, target: str) -> None:
    fakeweb.page("http://evil.example/", redirect(target))
    # even a catch-all remap to fakeweb must not carry a literal private destination
    async with fakeweb.client(catch_all=True) as http:
        with pytest.raises(BlockedAddressError):
            await http.fetch("http://evil.example/")
    assert [r.host for r in fakeweb.requests] == ["evil.example"]


async def test_names_resolving_to_private_addresses_are_refused(fakeweb: FakeWeb) -> None:
    async def rebinding(
        host: str, port: int
    ) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return [ipaddress.ip_address("192.168.1.10")]

    settings = fakeweb.http_settings(catch_all=False)
    async with HTTPClient(settings, resolver=rebinding) as http:
        with pytest.raises(BlockedAddressError, match=r"intranet\.example"):
            await http.fetch("http://intranet.example/")
    assert fakeweb.requests == []


async def test_loopback_needs_the_allow_list(fakeweb: FakeWeb) -> None:
    fakeweb.page("http://news.example/", "ok")
    async with fakeweb.client(catch_all=False, allow_networks=[]) as http:
        with pytest.raises(BlockedAddressError):
            await http.fetch("http://news.example/")
    assert fakeweb.requests == []


async def test_unknown_host_is_a_dns_failure_and_not_retried(fakeweb: FakeWeb) -> None:
    async with fakeweb.client(catch_all=False) as http:
        with pytest.raises(DNSError):
            await http.fetch("https://gone.example/")


async def test_wrong_content_type_is_visible(fakeweb: FakeWeb) -> None:
    fakeweb.page(
        "http://api.example/data.json",
        Response(200, "<html>not json</html>", content_type="text/html"),
    )
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch("http://api.example/data.json")
    assert fetched.content_type == "text/html"
    with pytest.raises(ValueError):
        fetched.json()


async def test_non_web_schemes_are_input_errors(fakeweb: FakeWeb) -> None:
    from tracer.errors import InputError

    async with fakeweb.client(catch_all=False) as http:
        for url in ("file:///etc/passwd", "javascript:alert(1)", "ftp://x.example/"):
            with pytest.raises(InputError):
                await http.fetch(url)


async def test_response_cache_serves_repeats_and_is_bypassed_for_live_checks(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    fakeweb.page("https://news.example/cached", "v1")
    settings = fakeweb.http_settings(catch_all=False)
    cache = response_cache(tmp_path / "responses.db", ttl=60)
    async with HTTPClient(settings, resolver=fakeweb.resolver, cache_transport=cache) as http:
        first = await http.fetch("https://news.example/cached", cache=True)
        second = await http.fetch("https://news.example/cached", cache=True)
        live = await http.fetch("https://news.example/cached")
    assert first.text == second.text == live.text == "v1"
    assert second.from_cache and not first.from_cache and not live.from_cache
    assert len(fakeweb.seen("news.example")) == 2


async def test_handler_sees_request_bodies(fakeweb: FakeWeb) -> None:
    def echo(request: FakeRequest) -> Response:
        return Response(200, request.body, content_type="text/plain")

    fakeweb.add("echo.example", echo)
    async with fakeweb.client(catch_all=False) as http:
        fetched = await http.fetch(
            "http://echo.example/save", method="POST", data={"url": "https://a.example/"}
        )
    assert fetched.text == "url=https%3A%2F%2Fa.example%2F"


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("example.org", None),
        ("1.2.3.4.5", None),
    ],
)
def test_ip_literals_in_every_spelling(literal: str, expected: str | None) -> None:
    parsed = parse_ip_literal(literal)
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize(
    ("address", "permitted"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::a00:1", False),
        ("2002:a00:1::", False),
    ],
)
def test_guard_classifies_addresses(address: str, permitted: bool) -> None:
    assert AddressGuard().permits(ipaddress.ip_address(address)) is permitted


def test_guard_allow_list_lets_networks_through() -> None:
    guard = AddressGuard(["127.0.0.0/8", "fd00::/8"])
    assert guard.permits(ipaddress.ip_address("127.0.0.5"))
    assert guard.permits(ipaddress.ip_address("::ffff:127.0.0.5"))
    assert guard.permits(ipaddress.ip_address("fd12::1"))
    assert not guard.permits(ipaddress.ip_address("10.0.0.1"))


def test_connect_to_prefers_the_most_specific_rule() -> None:
    remap = ConnectTo(
        {
            "a.example:443": "127.0.0.1:1",
            "a.example": "127.0.0.1:2",
            ":80": "127.0.0.1:3",
            "*": "127.0.0.1:4",
        }
    )
    assert remap("a.example", 443) == ("127.0.0.1", 1)
    assert remap("A.example", 8080) == ("127.0.0.1", 2)
    assert remap("b.example", 80) == ("127.0.0.1", 3)
    assert remap("b.example", 443) == ("127.0.0.1", 4)
    assert ConnectTo({})("b.example", 443) == ("b.example", 443)


@pytest.mark.usefixtures("steady_heap")
async def test_429_without_retry_after_pauses_the_whole_host(fakeweb: FakeWeb) -> None:
    answers = iter([Response(429, "slow down")] + [Response(200, "ok")] * 3)
    fakeweb.add("archive.example", lambda request: next(answers))
    async with fakeweb.client(catch_all=False) as http:
        http.set_host_policy("archive.example", concurrency=2, interval=0.0, penalty=1.0)
        first = asyncio.create_task(http.fetch("http://archive.example/a"))
        await asyncio.sleep(0.2)  # the 429 has arrived; a second worker starts now
        second = asyncio.create_task(http.fetch("http://archive.example/b"))
        await asyncio.gather(first, second)
    arrivals = sorted(r.at for r in fakeweb.seen("archive.example"))
    # every later request, the other worker's too, waited out the pause
    assert all(later - arrivals[0] >= 0.95 for later in arrivals[1:])


async def test_requests_queued_for_a_host_found_unreachable_give_up_at_their_turn(
    fakeweb: FakeWeb,
) -> None:
    down = RefusingHost("down.example")
    settings = fakeweb.http_settings(
        catch_all=False, connect_to=down.connect_to, max_attempts=3, per_host_concurrency=1
    )
    async with HTTPClient(settings, resolver=down.resolve) as http:
        first, *queued = await asyncio.gather(
            *(http.fetch(f"http://down.example/{n}") for n in range(4)), return_exceptions=True
        )
    # the first request's three tries are all the host got
    assert len(down.lookups) == 3
    assert isinstance(first, ConnectError) and first.url == "http://down.example/0"
    assert all(isinstance(e, ConnectError) and "not asked again" in str(e) for e in queued)
