"""The aggregator: many archives in parallel, merged, deduplicated, stored, never crashing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from adapters.archives.memento import MementoArchive
from adapters.archives.wayback import WaybackArchive
from tests.conftest import fast_archive as fast
from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.archives import WAYBACK_HOST, MementoSite, WaybackCDX, cdx_lines
from tracer.errors import ConfigError, InputError
from tracer.http.client import HTTPClient
from tracer.locate.locator import (
    Locator,
    build_archives,
    first_appearance,
    load_archive_configs,
    merge,
    normalize_url,
    select_archives,
    url_variants,
)
from tracer.plugins.archive import ArchiveConfig, Memento
from tracer.settings import load_settings
from tracer.store.model import Capture, CaptureLookup
from tracer.store.upserts import Store

T0 = datetime(2010, 2, 1, tzinfo=UTC)


def memento_config(name: str, site: MementoSite, **changes: object) -> ArchiveConfig:
    config = ArchiveConfig(name=name, timemap=f"https://{site.host}{site.timemap_path}{{url}}")
    return fast(config, **changes)


def wayback() -> WaybackArchive:
    return WaybackArchive(fast(WaybackArchive.default_config()))


# -- URL variants ------------------------------------------------------------------------------


def test_variants_of_a_tweet_cover_both_hosts_and_mobile() -> None:
    variants = url_variants("https://twitter.com/Tendar/status/1817579624880468171#m")
    assert variants[0] == "https://twitter.com/Tendar/status/1817579624880468171"
    hosts = {v.split("/")[2] for v in variants}
    assert hosts == {"twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"}


def test_full_variants_spell_scheme_and_www() -> None:
    variants = url_variants("http://www.Example.com/a?b=1", "full")
    assert variants[0] == "http://www.example.com/a?b=1"
    assert set(variants) == {
        f"{scheme}://{host}/a?b=1"
        for scheme in ("http", "https")
        for host in ("example.com", "www.example.com")
    }
    assert url_variants("m.facebook.com/story.php?id=1")[1:] == [
        "https://facebook.com/story.php?id=1"
    ]


def test_not_a_url_is_an_input_error() -> None:
    with pytest.raises(InputError):
        normalize_url("ftp://example.com/file")
    with pytest.raises(InputError):
        normalize_url("https://")


# -- the first appearance ------------------------------------------------------------------------


def _m(archive: str, day: int, status: int | None) -> Memento:
    when = T0 + timedelta(days=day)
    return Memento(archive, f"https://{archive}/{day}", "http://a/", when, status)


def test_first_appearance_is_the_earliest_2xx() -> None:
    captures = [_m("a", 1, 404), _m("b", 2, 302), _m("a", 3, 200), _m("b", 4, None)]
    assert first_appearance(captures) == captures[2]
    assert first_appearance([_m("a", 1, 404), _m("b", 5, None)]) == _m("b", 5, None)
    assert first_appearance([_m("a", 1, 404), _m("b", 2, 301)]) is None
    assert first_appearance([]) is None


def test_merge_dedupes_and_fills_gaps() -> None:
    bare = _m("a", 1, None)
    rich = replace(bare, status=200, digest="D")
    merged = merge([_m("b", 0, 200), bare, rich])
    assert len(merged) == 2
    assert merged[1].status == 200 and merged[1].digest == "D"
    assert [m.captured_at for m in merged] == sorted(m.captured_at for m in merged)


# -- the aggregator ------------------------------------------------------------------------------


async def test_archives_down_slow_or_malformed_are_reported_not_fatal(
    fakeweb: FakeWeb, http: HTTPClient
) -> None:
    fakeweb.add(
        WAYBACK_HOST, WaybackCDX(listings={"http://www.cnn.com/": cdx_lines("zero_length_cdx.txt")})
    )
    good = MementoSite("good.example.org", {"http://www.cnn.com/": [T0, T0 + timedelta(days=1)]})
    fakeweb.add(good.host, good)
    fakeweb.add("slow.example.org", lambda r: Response(200, "", content_type="text/plain", delay=3))
    fakeweb.add("junk.example.org", lambda r: Response(200, "<html>oops</html>"))
    # a server that drops every connection mid-answer
    fakeweb.add("down.example.org", lambda r: Response(200, "x" * 500, reset_after=10))
    archives = [
        wayback(),
        MementoArchive(memento_config("good", good)),
        MementoArchive(
            fast(
                ArchiveConfig(name="slow", timemap="https://slow.example.org/tm/{url}"),
                variants="full",
                timeout=0.5,
                requests_per_minute=6000,
            )
        ),
        MementoArchive(
            fast(ArchiveConfig(name="junk", timemap="https://junk.example.org/tm/{url}"))
        ),
        MementoArchive(
            fast(ArchiveConfig(name="down", timemap="https://down.example.org/tm/{url}"))
        ),
    ]
    located = await Locator(archives, http).locate("http://www.cnn.com/")
    assert set(located.errors) == {"slow", "junk", "down"}
    assert "did not answer within" in located.errors["slow"]
    # an archive out of reach is not asked the other spellings of the URL
    assert len(fakeweb.seen("slow.example.org")) == 1
    assert "not link-format" in located.errors["junk"]
    assert "broke" in located.errors["down"]
    assert {m.archive for m in located.captures} == {"wayback", "good"}
    assert len(located.captures) == 5 + 2
    assert [m.captured_at for m in located.captures] == sorted(
        m.captured_at for m in located.captures
    )
    assert located.earliest is not None and located.earliest.archive == "wayback"


async def test_variants_are_asked_as_one(fakeweb: FakeWeb, http: HTTPClient) -> None:
    tweet = "status/1817579624880468171"
    site = MementoSite(
        "tm.example.org",
        {
            f"https://twitter.com/Tendar/{tweet}": [T0],
            f"https://x.com/Tendar/{tweet}": [T0 + timedelta(days=9)],
            f"https://mobile.twitter.com/Tendar/{tweet}": [T0 - timedelta(days=3)],
        },
    )
    fakeweb.add(site.host, site)
    located = await Locator([MementoArchive(memento_config("tm", site))], http).locate(
        f"https://x.com/Tendar/{tweet}"
    )
    assert located.url == f"https://x.com/Tendar/{tweet}"
    assert len(site.requests) == 4
    assert [m.original_url.split("/")[2] for m in located.captures] == [
        "mobile.twitter.com",
        "twitter.com",
        "x.com",
    ]
    assert located.errors == {}


async def test_answers_are_stored_and_reused_within_the_ttl(
    fakeweb: FakeWeb, http: HTTPClient, database_url: str
) -> None:
    cdx = WaybackCDX(listings={"http://www.cnn.com/": cdx_lines("zero_length_cdx.txt")})
    fakeweb.add(WAYBACK_HOST, cdx)
    store = Store.open_upgraded(database_url)
    try:
        first = await Locator([wayback()], http, store).locate("http://www.cnn.com/")
        assert len(cdx.requests) == 1 and first.stored == []
        again = await Locator([wayback()], http, store).locate("http://www.cnn.com/")
        assert len(cdx.requests) == 1 and again.stored == ["wayback"]
        assert again.captures == first.captures
        with store.session() as session:
            rows = session.exec(select(Capture)).all()
            lookups = session.exec(select(CaptureLookup)).all()
        assert len(rows) == 5
        assert {r.status for r in rows} == {200} and rows[0].found_by == "wayback"
        assert [(lk.archive, lk.outcome, lk.count) for lk in lookups] == [("wayback", "ok", 5)]
        expired = WaybackArchive(replace(wayback().config, ttl=0.0))
        await Locator([expired], http, store).locate("http://www.cnn.com/")
        assert len(cdx.requests) == 2
        await Locator([wayback()], http, store, refresh=True).locate("http://www.cnn.com/")
        assert len(cdx.requests) == 3
    finally:
        store.close()


async def test_errors_are_not_reused(fakeweb: FakeWeb, http: HTTPClient, tmp_path: Path) -> None:
    answers = iter([Response(500, "down", content_type="text/plain")])

    def flaky(request: object) -> Response:
        return next(answers, Response(200, "", content_type="text/plain"))

    fakeweb.add(WAYBACK_HOST, flaky)
    store = Store.open(f"sqlite:///{tmp_path / 't.db'}")
    try:
        archive = WaybackArchive(fast(WaybackArchive.default_config(), max_attempts=1))
        failed = await Locator([archive], http, store).locate("http://a.example/")
        assert "HTTP 500" in failed.errors["wayback"]
        ok = await Locator([archive], http, store).locate("http://a.example/")
        assert ok.errors == {} and ok.stored == []
    finally:
        store.close()


# -- the archive list -------------------------------------------------------------------------


def test_shipped_list_has_the_archives_with_limits() -> None:
    configs = load_archive_configs(load_settings(env={}), env={})
    for name in ("wayback", "archive_today", "arquivo", "ukwa", "loc", "perma", "ghostarchive"):
        assert name in configs and configs[name].enabled
        assert "{url}" in configs[name].timemap
    assert configs["wayback"].requests_per_minute == 24
    assert configs["wayback"].penalty == 60
    assert configs["archive_today"].kind == "archive_today"
    kinds = {type(a).__name__ for a in build_archives(configs.values())}
    assert kinds == {"WaybackArchive", "ArchiveTodayArchive", "MementoArchive"}


def test_settings_and_user_file_layer_over_the_list(tmp_path: Path) -> None:
    settings_file = tmp_path / "config.toml"
    settings_file.write_text(
        "[archives.wayback]\nenabled = false\n"
        '[archives.mine]\ntimemap = "https://mine.example/tm/{url}"\n'
    )
    archive_file = tmp_path / "archives.toml"
    archive_file.write_text(
        '[arquivo]\ntimeout = 5\n[extra]\ntimemap = "https://e.example/{url}"\n'
    )
    configs = load_archive_configs(
        load_settings(settings_file, env={}), env={"TRACER_ARCHIVE_LIST": str(archive_file)}
    )
    assert configs["wayback"].enabled is False
    assert configs["mine"].timemap == "https://mine.example/tm/{url}"
    assert configs["mine"].kind == "memento"
    assert configs["arquivo"].timeout == 5.0
    assert configs["arquivo"].cdx  # the shipped keys survive
    assert "extra" in configs
    assert "wayback" not in [c.name for c in select_archives(configs)]
    assert [c.name for c in select_archives(configs, ["wayback"])] == ["wayback"]
    with pytest.raises(InputError, match="unknown archive nope"):
        select_archives(configs, ["nope"])


@pytest.mark.parametrize(
    "text, message",
    [
        ('[x]\ntimemap = "https://x/{url}"\nspeed = 3\n', "unknown key speed"),
        ('[x]\ntimemap = "https://x/{url}"\ntimeout = "fast"\n', "timeout must be"),
        ('[x]\ntimemap = "https://x/"\n', "has no {url}"),
        ("[x]\ntimeout = 3\n", "needs a timemap"),
        ('[x]\nkind = "nope"\ntimemap = "https://x/{url}"\n', None),
        ("[x\n", "not valid TOML"),
    ],
)
def test_bad_archive_lists_are_config_errors(
    tmp_path: Path, text: str, message: str | None
) -> None:
    path = tmp_path / "archives.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message or "no archive adapter of kind"):
        configs = load_archive_configs(
            load_settings(env={}), env={"TRACER_ARCHIVE_LIST": str(path)}
        )
        build_archives([configs["x"]])


async def test_trace_locator_stores_captures_on_the_traced_node(
    fakeweb: FakeWeb, http: HTTPClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracer.locate.locator import trace_locator
    from tracer.runtime import Runtime
    from tracer.store.model import Node, NodeKind

    url = "https://www.example.com/report"
    site = MementoSite("tm.example.org", {url: [T0, T0 + timedelta(days=2)]})
    fakeweb.add(site.host, site)
    shipped = load_archive_configs(load_settings(env={}), env={})
    archive_list = tmp_path / "archives.toml"
    archive_list.write_text(
        "".join(f"[{name}]\nenabled = false\n" for name in shipped)
        + '[tm]\ntimemap = "https://tm.example.org/timemap/link/{url}"\n'
        + "requests_per_minute = 60000\n"
    )
    monkeypatch.setenv("TRACER_ARCHIVE_LIST", str(archive_list))
    runtime = Runtime(load_settings(env={"TRACER_DB_URL": f"sqlite:///{tmp_path / 't.db'}"}))
    try:
        node = runtime.store.upsert_node(
            Node(kind=NodeKind.ARTICLE, canonical_url=url, url=url, platform="web")
        )
        locate = trace_locator(runtime)
        await locate(node, http)
        await locate(Node(kind=NodeKind.PERSON, name="someone"), http)  # no URL: skipped
        with runtime.store.session() as session:
            rows = session.exec(select(Capture)).all()
        assert {r.node_id for r in rows} == {node.id}
        assert sorted(r.captured_at.replace(tzinfo=UTC) for r in rows if r.captured_at) == [
            T0,
            T0 + timedelta(days=2),
        ]
    finally:
        runtime.close()
