"""Resolve orchestration and `tracer resolve`, offline and against fakeweb."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import ClassVar

import pytest
from sqlmodel import select

from adapters.platforms.telegram import TelegramAdapter
from adapters.platforms.web import WebAdapter
from tests.cli import tracer
from tests.conftest import REAL, SEEDS
from tests.fakeweb import FakeWeb, Response
from tests.fakeweb.telegram import TelegramWorld
from tracer.cli import main
from tracer.errors import InputError
from tracer.http.client import HTTPClient
from tracer.identity.resolver import normalize_input, parse, record, resolve_url, resolve_urls
from tracer.plugins.platform import Identity, PlatformAdapter
from tracer.store.model import Edge, Node, NodeKind, NodeStatus
from tracer.store.upserts import Store

HAS_X = importlib.util.find_spec("adapters.platforms.x") is not None


class ExplodingAdapter:
    """A third-party adapter with a bug: it must cost one node, not the run."""

    name: ClassVar[str] = "boom"

    def parse(self, url: str) -> Identity | None:
        if "boom.example" not in url:
            return None
        return Identity(platform="boom", kind=NodeKind.POST, canonical_url=url)

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        raise KeyError("data")


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("t.me/grey_zone", "https://t.me/grey_zone"),
        ("  https://x.com/Tendar ", "https://x.com/Tendar"),
        ("//rt.com/news", "https://rt.com/news"),
        ("www.kyivpost.com/post/36557", "https://www.kyivpost.com/post/36557"),
        ("tg://resolve?domain=grey_zone", "tg://resolve?domain=grey_zone"),
        ("pic.twitter.com/hIF4H7QWW1", "https://pic.twitter.com/hIF4H7QWW1"),
    ],
)
def test_input_normalization(given: str, normalized: str) -> None:
    assert normalize_input(given) == normalized


@pytest.mark.parametrize(
    "bad", ["", "not a url", "ftp://example.org/x", "mailto:x@y.z", "https://", "grey_zone"]
)
def test_bad_input_is_an_input_error(bad: str) -> None:
    with pytest.raises(InputError):
        normalize_input(bad)


def test_first_accepting_adapter_wins() -> None:
    adapters: list[PlatformAdapter] = [TelegramAdapter(), WebAdapter()]
    adapter, identity = parse("https://t.me/grey_zone/1", adapters)
    assert adapter.name == "telegram" and identity.kind == NodeKind.POST
    adapter, identity = parse("https://example.org/a?utm_source=x", adapters)
    assert adapter.name == "web" and identity.canonical_url == "https://example.org/a"
    assert identity.url == "https://example.org/a?utm_source=x"


async def test_offline_resolution_never_fetches(fakeweb: FakeWeb) -> None:
    identity = await resolve_url("t.me/grey_zone", None)
    assert (identity.platform, identity.kind, identity.status) == ("telegram", "channel", "offline")


def test_seed_references_resolve_offline() -> None:
    seed = (SEEDS / "000_a004ba6b9b170559.txt").read_text(encoding="utf-8")
    assert "GREY ZONE" in seed and "@Tendar" in seed
    _, channel = parse("t.me/grey_zone")
    assert (channel.platform, channel.kind, channel.handle) == (
        "telegram",
        NodeKind.CHANNEL,
        "grey_zone",
    )
    _, media = parse("pic.twitter.com/hIF4H7QWW1")
    assert media.canonical_url.endswith("hIF4H7QWW1")


@pytest.mark.skipif(not HAS_X, reason="adapters.platforms.x is not written yet")
def test_seed_x_account_resolves_offline() -> None:
    _, account = parse("https://x.com/Tendar")
    assert (account.platform, account.kind) == ("x", NodeKind.CHANNEL)
    assert account.handle and account.handle.lower() == "tendar"


HTTP_LIMITS = {"max_attempts": 1}


@pytest.fixture
def http(http: HTTPClient, fakeweb: FakeWeb) -> HTTPClient:
    """The shared client, with the Telegram world and a real article served."""
    TelegramWorld().install(fakeweb)
    fakeweb.page(
        "https://news.example/jolie",
        Response(200, (REAL / "articles" / "jolie.de.adele.html").read_bytes()),
    )
    return http


async def test_batch_keeps_input_order_and_isolates_failures(http: HTTPClient) -> None:
    adapters: list[PlatformAdapter] = [ExplodingAdapter(), TelegramAdapter(), WebAdapter()]
    results = await resolve_urls(
        [
            "https://t.me/topwar_official/71006",
            "not a url",
            "https://boom.example/1",
            "https://news.example/jolie",
        ],
        http,
        adapters,
    )
    post, bad, boom, article = results
    assert isinstance(post, Identity) and post.status == NodeStatus.RESOLVED
    assert isinstance(bad, InputError)
    assert isinstance(boom, Identity) and boom.status == NodeStatus.ERROR
    assert boom.error and "boom adapter failed: KeyError" in boom.error
    assert isinstance(article, Identity) and article.kind == NodeKind.ARTICLE


async def test_record_stores_the_forward_as_provenance(http: HTTPClient, database_url: str) -> None:
    post = await resolve_url("https://t.me/topwar_official/71006", http, [TelegramAdapter()])
    store = Store.open_upgraded(database_url)
    try:
        node = record(store, post)
        again = record(store, post)
        assert node.id == again.id
        with store.session() as session:
            edges = session.exec(select(Edge)).all()
            nodes = {n.id: n for n in session.exec(select(Node)).all()}
        [edge] = edges
        assert (edge.source_id, edge.relation) == (node.id, "forwarded_from")
        assert nodes[edge.target_id].canonical_url == "https://t.me/vysokygovorit/10899"
    finally:
        store.close()


# -- the command line ---------------------------------------------------------------------------


def test_cli_offline_json(capsys: pytest.CaptureFixture[str]) -> None:
    urls = [
        "https://t.me/s/grey_zone/123?single",
        "t.me/grey_zone",
        "https://www.rt.com/news/1?utm_source=x",
    ]
    assert main(["resolve", "--offline", "--json", *urls]) == 0
    nodes = json.loads(capsys.readouterr().out)
    assert [n["url"] for n in nodes] == urls
    assert [(n["platform"], n["kind"], n["canonical_url"]) for n in nodes] == [
        ("telegram", "post", "https://t.me/grey_zone/123"),
        ("telegram", "channel", "https://t.me/grey_zone"),
        ("web", "page", "https://www.rt.com/news/1"),
    ]
    assert all(n["status"] == "offline" and n["id"].startswith("n") for n in nodes)
    assert nodes[0]["platform_id"] == "grey_zone/123"
    # the same canonical URL is the same stored node
    assert main(["resolve", "--offline", "--json", "https://telegram.me/GREY_ZONE"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == nodes[1]["id"]


@pytest.mark.skipif(not HAS_X, reason="adapters.platforms.x is not written yet")
def test_cli_offline_seed_account(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "--offline", "--json", "https://x.com/Tendar"]) == 0
    [node] = json.loads(capsys.readouterr().out)
    assert (node["platform"], node["kind"]) == ("x", "channel")


def test_cli_offline_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "--offline", "https://t.me/c/1234567890/55", "t.me/grey_zone"]) == 0
    out = capsys.readouterr().out
    assert "https://t.me/c/1234567890/55" in out and "c/1234567890/55" in out
    assert "@grey_zone" in out and "offline" in out


def test_cli_bad_url_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "--offline", "t.me/grey_zone", "not a url"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "not a URL" in captured.err


def test_cli_online_json(
    fakeweb: FakeWeb, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = TelegramWorld()
    world.deleted.add("topwar_official/70990")
    world.install(fakeweb)
    fakeweb.page(
        "https://news.example/jolie",
        Response(200, (REAL / "articles" / "jolie.de.adele.html").read_bytes()),
    )
    for name, value in fakeweb.env().items():
        monkeypatch.setenv(name, value)
    urls = [
        "https://t.me/topwar_official/71006?single",
        "https://t.me/topwar_official/70990",
        "https://news.example/jolie",
    ]
    assert main(["resolve", "--json", *urls]) == 0
    post, deleted, article = json.loads(capsys.readouterr().out)
    assert post["status"] == "resolved"
    assert post["published_at"] == "2023-02-28T12:48:58Z"
    assert (post["published_at_method"], post["precision"]) == ("t.me-post-time", "second")
    assert post["related"][0]["relation"] == "forwarded_from"
    assert post["related"][0]["canonical_url"] == "https://t.me/vysokygovorit/10899"
    assert deleted["status"] == "error" and "Post not found" in deleted["error"]
    assert article["kind"] == "article" and article["published_at"] == "2019-06-20T08:59:05Z"
    assert article["published_at_method"] == "json-ld-datePublished"


def test_cli_subprocess_online_table(fakeweb: FakeWeb, tmp_path: Path) -> None:
    TelegramWorld().install(fakeweb)
    env = {**fakeweb.env(), "TRACER_DB_URL": f"sqlite:///{tmp_path / 'tracer.db'}"}
    done = tracer("resolve", "https://t.me/topwar_official", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Военное обозрение" in done.stdout
    assert "1084368520" in done.stdout  # the numeric channel id
    assert "resolved" in done.stdout
