"""URLs split once for every step that looks at their parts."""

from __future__ import annotations

from urllib.parse import urlsplit

from tracer.urls import CACHED_SPLITS, host_of, split_cached


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
