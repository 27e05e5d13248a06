"""The pictures of a page's main text and a YouTube video's thumbnail enter the chain:
a trace from the command line fetches and fingerprints the photos of the traced
article's text and of a page it cites (real photographs, served by fakeweb), each with an
`embeds` edge from the page showing it, never the site's logo, a tracking pixel or a
navigation image, at most `media.page_images` a page; a cited video shows its thumbnail."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import HtmlElement

from tests.fakeweb.server import FakeWeb, Response
from tests.fakeweb.world import archive_list
from tests.fakeweb.youtube import Video, YouTubeWorld
from tests.media.cli import chain_json
from tests.media.images import jpeg, real_photograph
from tracer.extract.page import parse_tree
from tracer.media.page_images import text_pictures

ARTICLE = "https://news.example/photos/week"
GALLERY = "https://blog.example/gallery"
VIDEO_ID = "dQw4w9WgXcQ"
THUMBNAIL = f"https://i.ytimg.com/vi/{VIDEO_ID}/hqdefault.jpg"
PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
#: files the trace must never fetch: the site's chrome around the story
CHROME = {
    ("news.example", "/static/logo.jpg"),
    ("news.example", "/static/pixel.jpg"),
    ("news.example", "/nav/menu.jpg"),
    ("news.example", "/footer/partner.jpg"),
    ("blog.example", "/side/ad.jpg"),
    ("news.example", "/authors/jane-avatar.jpg"),
}
#: the article's text pictures, relative and lazy ones resolved against its address
ARTICLE_PICTURES = [
    "https://news.example/photos/images/rocket.jpg",
    "https://news.example/lazy/camera.jpg",
    "https://cdn.example/moon-1200.jpg",
]
GALLERY_PICTURES = [f"https://blog.example/g/{name}.jpg" for name in ("clock", "brick", "grass")]


def _article() -> str:
    return (
        "<html><head><title>The week in photos</title>"
        '<meta property="og:image" content="/share.jpg">'
        '<meta property="article:published_time" content="2024-08-01T10:00:00Z"></head><body>'
        '<header class="masthead"><img src="/static/logo.jpg" alt="News"></header>'
        '<nav><a href="/">Home</a><img src="/nav/menu.jpg"></nav>'
        "<article><p>The photos of the week, and where they came from. "
        f'One was <a href="{GALLERY}">in a gallery</a>, one in '
        f'<a href="https://www.youtube.com/watch?v={VIDEO_ID}">a video</a>.</p>'
        '<figure><img src="images/rocket.jpg" width="800" height="600"></figure>'
        '<img src="/static/pixel.jpg" width="1" height="1">'
        '<img src="/share.jpg" alt="the share picture again">'
        '<div class="author-avatar"><img src="/authors/jane-avatar.jpg"></div>'
        f'<img src="{PIXEL}" data-src="/lazy/camera.jpg">'
        "<picture><source srcset='https://cdn.example/moon-480.jpg 480w, "
        f'https://cdn.example/moon-1200.jpg 1200w\'><img src="{PIXEL}"></picture>'
        "<p>More words of the story, so that it is the main text of the page.</p></article>"
        '<footer><img src="/footer/partner.jpg"></footer></body></html>'
    )


def _gallery() -> str:
    pictures = "".join(
        f'<img src="/g/{name}.jpg">' for name in ("clock", "brick", "grass", "coins")
    )
    return (
        "<html><head><title>Gallery</title>"
        '<meta property="article:published_time" content="2024-07-30T10:00:00Z"></head><body>'
        f'<div class="post"><p>A gallery of photographs, as they were taken.</p>{pictures}</div>'
        '<aside><img src="/side/ad.jpg"></aside></body></html>'
    )


@pytest.fixture
def world(fakeweb: FakeWeb, tmp_path: Path) -> dict[str, str]:
    def photo(url: str, name: str) -> None:
        image = Response(200, jpeg(real_photograph(name)), content_type="image/jpeg")
        fakeweb.page(url, image)

    fakeweb.page(ARTICLE, _article())
    fakeweb.page(GALLERY, _gallery())
    photo("https://news.example/share.jpg", "coffee")
    for url, name in zip(ARTICLE_PICTURES, ("rocket", "camera", "moon"), strict=True):
        photo(url, name)
    for url, name in zip(GALLERY_PICTURES, ("clock", "brick", "grass"), strict=True):
        photo(url, name)
    photo("https://blog.example/g/coins.jpg", "coins")  # the fourth: over the cap
    for host, path in CHROME:  # real photographs, so only the finder keeps them out
        photo(f"https://{host}{path}", "retina")
    youtube = YouTubeWorld()
    youtube.add(Video(VIDEO_ID, "Rocket launch", "Space Channel", "space", "UC" + "a" * 22))
    youtube.install(fakeweb)
    photo(THUMBNAIL, "astronaut")
    return fakeweb.env(
        TRACER_MEDIA__PAGE_IMAGES="3",
        TRACER_PRESERVE__SNAPSHOT_DIR=str(tmp_path / "snapshots"),
        TRACER_DB_URL=f"sqlite:///{tmp_path / 'tracer.db'}",
        TRACER_HTTP__MAX_ATTEMPTS="1",
        TRACER_TRACE__SEARCH="false",
        TRACER_ARCHIVE_LIST=str(archive_list(tmp_path / "archives.toml", enabled=False)),
    )


def test_trace_fingerprints_the_pictures_of_page_text_and_a_video_thumbnail(
    world: dict[str, str], fakeweb: FakeWeb
) -> None:
    chain = chain_json(world, "trace", ARTICLE, "--depth", "1", "-f", "json")
    media = {m["media_url"]: m for m in chain["media"]}
    by_url = {n["canonical_url"]: n for n in chain["nodes"]}
    embeds = {(e["source"], e["target"]) for e in chain["edges"] if e["relation"] == "embeds"}

    def shown_by(page: str) -> set[str]:
        return {url for url, m in media.items() if (by_url[page]["id"], m["node"]) in embeds}

    # the article shows its share picture once, and the pictures of its text
    assert shown_by(ARTICLE) == {"https://news.example/share.jpg", *ARTICLE_PICTURES}
    # the gallery shows the first three of its four: media.page_images is 3
    assert shown_by(GALLERY) == set(GALLERY_PICTURES)
    assert not fakeweb.seen("blog.example", "/g/coins.jpg")
    # every one was fetched and fingerprinted
    for url in [*ARTICLE_PICTURES, *GALLERY_PICTURES]:
        assert len(media[url]["fingerprint"]["sha256"]) == 64
    # the chrome around the story was never even fetched
    for host, path in CHROME:
        assert not fakeweb.seen(host, path), path
    # the video cited shows its thumbnail, the address its oEmbed names
    video = next(n for n in chain["nodes"] if n["platform_id"] == VIDEO_ID)
    thumbnail = media[THUMBNAIL]
    assert (video["id"], thumbnail["node"]) in embeds
    assert thumbnail["fingerprint"]["width"] == real_photograph("astronaut").width


def _tree(markup: str) -> HtmlElement:
    tree = parse_tree(markup)
    assert tree is not None
    return tree


def test_text_pictures_resolves_and_skips_chrome() -> None:
    found = text_pictures(_tree(_article()), ARTICLE, skip={"https://news.example/share.jpg"})
    assert found == ARTICLE_PICTURES
    assert text_pictures(_tree(_article()), ARTICLE, limit=2) == [
        "https://news.example/photos/images/rocket.jpg",
        "https://news.example/share.jpg",
    ]


def test_main_text_is_the_element_with_most_paragraph_text() -> None:
    markup = (
        '<html><body><div class="teaser"><p>Read more</p><img src="/teaser.jpg"></div>'
        '<div class="story"><p>A long first paragraph of the story itself.</p>'
        '<img src="/story.jpg"><p>And its second paragraph, longer still.</p></div>'
        "</body></html>"
    )
    assert text_pictures(_tree(markup), "https://a.example/x") == ["https://a.example/story.jpg"]


def test_text_less_article_cards_are_not_the_main_text() -> None:
    markup = (
        '<html><body><article class="card"><img src="/card.jpg"></article>'
        '<div><p>The story, in the page\'s only paragraph.</p><img src="/story.jpg"></div>'
        "</body></html>"
    )
    assert text_pictures(_tree(markup), "https://a.example/x") == ["https://a.example/story.jpg"]
