"""The generic web adapter: any page, read through its own metadata (real pages)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.platforms.web import WebAdapter, page_metadata, parse_time
from tests.adapters.platforms.asking import enrich
from tests.conftest import REAL
from tests.fakeweb import FakeWeb, Response, redirect
from tracer.extract.page import parse_tree
from tracer.http.client import HTTPClient
from tracer.store.model import NodeKind, NodeStatus

ARTICLES = REAL / "articles"

URL_FORMS = [
    ("https://www.rt.com/news/601234-mali-wagner/", "https://www.rt.com/news/601234-mali-wagner/"),
    ("https://www.rt.com/news/601234-mali-wagner/?utm_source=tw&utm_medium=x", "https://www.rt.com/news/601234-mali-wagner/"),
    ("https://www.kyivpost.com/post/36557?fbclid=abc#comments", "https://www.kyivpost.com/post/36557"),
    ("HTTPS://WWW.KYIVPOST.COM/post/36557", "https://www.kyivpost.com/post/36557"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org:443/a?gclid=1&id=7", "https://example.org/a?id=7"),
    ("http://example.org:8080/a", "http://example.org:8080/a"),
    ("https://example.org/search?q=grey+zone", "https://example.org/search?q=grey+zone"),
    ("https://news.example.org/2024/07/28/story.html?mc_cid=1&mc_eid=2", "https://news.example.org/2024/07/28/story.html"),
    ("https://example.org/Case/Sensitive/Path", "https://example.org/Case/Sensitive/Path"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "canonical"), URL_FORMS)
def test_any_web_url_parses(url: str, canonical: str) -> None:
    identity = WebAdapter().parse(url)
    assert identity is not None
    assert (identity.platform, identity.kind, identity.canonical_url) == ("web", "page", canonical)
    assert identity.status == NodeStatus.OFFLINE


@pytest.mark.parametrize(
    "url", ["ftp://example.org/x", "mailto:a@b.c", "tg://resolve?domain=x", "https://"]
)
def test_non_web_urls_are_refused(url: str) -> None:
    assert WebAdapter().parse(url) is None


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2019-06-20T10:59:05+0200", datetime(2019, 6, 20, 8, 59, 5, tzinfo=UTC), "second"),
        ("2023-11-06T09:18:32+01:00", datetime(2023, 11, 6, 8, 18, 32, tzinfo=UTC), "second"),
        ("2024-07-28T12:00:00Z", datetime(2024, 7, 28, 12, tzinfo=UTC), "second"),
        ("2024-07-28", datetime(2024, 7, 28, tzinfo=UTC), "day"),
    ],
)
def test_time_parsing(text: str, expected: datetime, precision: str) -> None:
    assert parse_time(text) == (expected, precision)


def test_time_parsing_refuses_junk() -> None:
    assert parse_time("yesterday") is None
    assert parse_time("2024-13-45") is None


def test_metadata_of_real_pages() -> None:
    tree = parse_tree((ARTICLES / "jolie.de.adele.html").read_text(errors="replace"))
    assert tree is not None
    meta = page_metadata(tree, "https://www.jolie.de/")
    assert meta["kind"] == NodeKind.ARTICLE
    assert meta["canonical_url"].startswith("https://www.jolie.de/stars/adele-10-kilo")
    assert meta["dating"].at == datetime(2019, 6, 20, 8, 59, 5, tzinfo=UTC)
    assert meta["dating"].method == "json-ld-datePublished"
    assert meta["author"] == "Anna Galazka"


async def test_article_with_json_ld(fakeweb: FakeWeb, http: HTTPClient) -> None:
    html = (ARTICLES / "report24.news-Drohne.html").read_bytes()
    fakeweb.page("https://report24.news/so-nah", Response(200, html))
    page = await enrich(WebAdapter(), "https://report24.news/so-nah?utm_campaign=x", http)
    assert page.status == NodeStatus.RESOLVED, page.error
    assert page.kind == NodeKind.ARTICLE
    assert (
        page.canonical_url
        == "https://report24.news/so-nah-kam-eine-iranische-drohne-einem-us-flugzeugtraeger/"
    )
    assert page.published_at == datetime(2023, 11, 6, 13, 14, 51, tzinfo=UTC)
    assert (page.published_at_method, page.precision) == ("json-ld-datePublished", "second")
    assert page.attributes["publisher"] == "Report24"
    assert page.name == "So nah kam eine iranische Drohne einem US-Flugzeugträger"
    assert [r.target for r in fakeweb.seen("report24.news")] == ["/so-nah"]


async def test_htmldate_when_nothing_declares_a_date(fakeweb: FakeWeb, http: HTTPClient) -> None:
    html = (ARTICLES / "timesofisrael.com.washington.html").read_bytes()
    fakeweb.page("https://www.timesofisrael.com/washington", Response(200, html))
    page = await enrich(WebAdapter(), "https://www.timesofisrael.com/washington", http)
    assert page.status == NodeStatus.RESOLVED
    assert (page.published_at_method, page.precision) == ("htmldate", "day")
    assert page.published_at == datetime(2020, 1, 8, tzinfo=UTC)


async def test_redirect_is_followed_and_recorded(fakeweb: FakeWeb, http: HTTPClient) -> None:
    fakeweb.page("https://short.example/a", redirect("https://www.jolie.de/adele"))
    fakeweb.page(
        "https://www.jolie.de/adele", Response(200, (ARTICLES / "jolie.de.adele.html").read_bytes())
    )
    page = await enrich(WebAdapter(), "https://short.example/a", http)
    assert page.status == NodeStatus.RESOLVED
    assert page.attributes["final_url"] == "https://www.jolie.de/adele"
    assert page.canonical_url.startswith("https://www.jolie.de/stars/")


@pytest.mark.parametrize("status", [404, 410, 451, 503])
async def test_http_errors_leave_an_error(fakeweb: FakeWeb, http: HTTPClient, status: int) -> None:
    fakeweb.page("https://gone.example/story", Response(status, "no"))
    page = await enrich(WebAdapter(), "https://gone.example/story", http)
    assert page.status == NodeStatus.ERROR
    assert page.error == f"gone.example answered HTTP {status}"


async def test_network_failure_is_an_error(fakeweb: FakeWeb) -> None:
    async with fakeweb.client(catch_all=False, max_attempts=1) as http:
        page = await enrich(WebAdapter(), "https://unknown-host.example/story", http)
    assert page.status == NodeStatus.ERROR
    assert page.error and "resolve" in page.error


async def test_a_pdf_is_a_document(fakeweb: FakeWeb, http: HTTPClient) -> None:
    fakeweb.page(
        "https://reports.example/blood-gold.pdf",
        Response(200, b"%PDF-1.7\n", content_type="application/pdf"),
    )
    doc = await enrich(WebAdapter(), "https://reports.example/blood-gold.pdf", http)
    assert (doc.status, doc.kind) == (NodeStatus.RESOLVED, NodeKind.DOCUMENT)
    assert doc.attributes["content_type"] == "application/pdf"


async def test_broken_json_ld_falls_back_to_meta(fakeweb: FakeWeb, http: HTTPClient) -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<meta property="og:type" content="article"><meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2024-07-28T10:00:00+03:00">'
        "<title>A story</title></head><body><p>text</p></body></html>"
    )
    fakeweb.page("https://news.example/story", Response(200, html))
    page = await enrich(WebAdapter(), "https://news.example/story", http)
    assert page.kind == NodeKind.ARTICLE
    assert page.published_at == datetime(2024, 7, 28, 7, tzinfo=UTC)
    assert page.published_at_method == "meta-article-published_time"
    assert page.attributes["publisher"] == "Example News"
    assert page.name == "A story"
