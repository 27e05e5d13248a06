"""tracer.urls: normalisation (tracking parameters out, one spelling per address), and URLs
split once for every step that looks at their parts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tracer.urls import (
    CACHED_SPLITS,
    clean_url,
    ensure_scheme,
    host_of,
    is_tracking_parameter,
    joined_url,
    split_cached,
    split_url,
    strip_subdomains,
    strip_tracking,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.rt.com/africa/601234/?utm_source=twitter&utm_medium=social",
            "https://www.rt.com/africa/601234/",
        ),
        ("HTTPS://WWW.Kyivpost.COM/post/36557", "https://www.kyivpost.com/post/36557"),
        ("https://example.org:443/a?b=1#section", "https://example.org/a?b=1"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("example.org/story?fbclid=IwAR0xyz&id=7", "https://example.org/story?id=7"),
        ("https://example.org/a?igshid=abc&gclid=1&mc_cid=2&id=3", "https://example.org/a?id=3"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/Case/Kept?Q=Kept", "https://example.org/Case/Kept?Q=Kept"),
        ("https://example.org/a%20b", "https://example.org/a%20b"),
        # X's share junk goes on X only; elsewhere `s` and `t` may name the content
        ("https://twitter.com/a/status/1?s=20&t=Xb1Y", "https://twitter.com/a/status/1"),
        ("https://example.org/search?s=mali&t=10", "https://example.org/search?s=mali&t=10"),
        ("https://youtu.be/dQw4w9WgXcQ?si=AbC&t=42", "https://youtu.be/dQw4w9WgXcQ?t=42"),
        (
            "https://www.tiktok.com/@a/video/1?is_from_webapp=1&sender_device=pc",
            "https://www.tiktok.com/@a/video/1",
        ),
        ("https://twitter.com/a/status/1?ref_src=twsrc%5Etfw", "https://twitter.com/a/status/1"),
    ],
)
def test_clean_url(url: str, expected: str) -> None:
    assert clean_url(url) == expected


def test_clean_url_keeps_fragment_on_request() -> None:
    assert clean_url("https://t.me/s/greyzone#m", keep_fragment=True) == "https://t.me/s/greyzone#m"


@pytest.mark.parametrize(
    "url",
    ["mailto:a@example.org", "tg://resolve?domain=greyzone", "ftp://example.org/a", "https://"],
)
def test_clean_url_refuses_non_web_urls(url: str) -> None:
    with pytest.raises(ValueError):
        clean_url(url)


def test_strip_tracking_touches_nothing_else() -> None:
    url = "http://Example.org:81/A/b?utm_campaign=x&keep=1&fbclid=2#frag"
    assert strip_tracking(url) == "http://Example.org:81/A/b?keep=1#frag"
    assert (
        strip_tracking("https://example.org/?utm_source=a", keep={"utm_source"})
        == "https://example.org/?utm_source=a"
    )


@pytest.mark.parametrize(
    ("key", "host", "tracking"),
    [
        ("utm_source", "", True),
        ("UTM_Medium", "", True),
        ("fbclid", "", True),
        ("igshid", "", True),
        ("igsh", "", True),
        ("__cft__[0]", "www.facebook.com", True),
        ("si", "www.youtube.com", True),
        ("si", "example.org", False),
        ("s", "mobile.twitter.com", True),
        ("s", "example.org", False),
        ("v", "www.youtube.com", False),
        ("id", "", False),
    ],
)
def test_is_tracking_parameter(key: str, host: str, tracking: bool) -> None:
    assert is_tracking_parameter(key, "x", host) is tracking


def test_joined_url_resolves_and_refuses_what_no_parser_takes() -> None:
    assert joined_url("https://news.example/a/b", "../c?x=1") == "https://news.example/c?x=1"
    assert (
        joined_url("https://news.example/a", "//cdn.example/i.jpg") == "https://cdn.example/i.jpg"
    )
    assert joined_url("https://news.example/a", "http://x.com[") is None
    assert joined_url("http://[news.example/a", "b") is None


def test_ensure_scheme() -> None:
    assert ensure_scheme("pic.twitter.com/hIF4H7QWW1") == "https://pic.twitter.com/hIF4H7QWW1"
    assert ensure_scheme("//t.co/abc") == "https://t.co/abc"
    assert ensure_scheme("http://a.example") == "http://a.example"


@pytest.mark.parametrize(
    ("host", "bare"),
    [
        ("www.twitter.com", "twitter.com"),
        ("mobile.twitter.com", "twitter.com"),
        ("m.vk.com", "vk.com"),
        ("mbasic.facebook.com", "facebook.com"),
        ("www.m.youtube.com", "youtube.com"),
        ("vm.tiktok.com", "vm.tiktok.com"),
        ("m.co", "m.co"),
    ],
)
def test_strip_subdomains(host: str, bare: str) -> None:
    assert strip_subdomains(host) == bare


def test_split_url() -> None:
    parts = split_url("HTTPS://Mobile.Twitter.com/Tendar/status/1?s=20&t=x#frag")
    assert parts is not None
    assert parts.host == "mobile.twitter.com"
    assert parts.bare_host == "twitter.com"
    assert parts.segments == ["Tendar", "status", "1"]
    assert parts.arg("s") == "20" and parts.arg("missing") is None
    assert parts.fragment == "frag"
    assert split_url("mailto:x@y.z") is None
    assert split_url("http://[::1") is None


def test_split_url_is_urlsplit() -> None:
    for url in (
        "https://Example.org:8443/a/b?c=d#e",
        "http://[::1]:8080/",
        "https://пример.рф/путь",
        "not a url",
    ):
        assert split_cached(url) == urlsplit(url)
    assert host_of("HTTP://WWW.Example.ORG:8080/x") == "www.example.org"
    assert host_of("/relative/path") == ""


def test_a_url_in_flight_is_split_once_however_many_look() -> None:
    split_cached.cache_clear()
    urls = [f"https://host{n % 100}.example/story/{n}" for n in range(CACHED_SPLITS // 2)]
    for url in urls:  # the scheduler, the wire, the visit, the classification...
        for _ in range(4):
            host_of(url)
    info = split_cached.cache_info()
    assert info.misses == len(urls)
    assert info.hits == 3 * len(urls)
