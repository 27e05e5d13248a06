"""Generated text and HTML: extraction never crashes and evidence always points at itself."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.extract.helpers import assert_evidence_exact
from tracer.extract import document_from_bytes, extract, text_document

# words that trigger every pattern, mixed with arbitrary text
FRAGMENTS = [
    "According to ",
    "said",
    " citing ",
    "the Telegram channel ",
    "Telegram-канал ",
    "по словам ",
    "laut ",
    "selon ",
    "según ",
    "secondo ",
    "według ",
    "за словами ",
    "RT",
    "Russia Today (RT)",
    "GREY ZONE",
    "Andriy Yusov",
    ", a representative of the ",
    "Main Intelligence Directorate (HUR)",
    "The Blood Gold Report",
    "— ",
    "(@handle)",
    "(((Tendar))) (@Tendar) July 28, 2024",
    "pic.twitter.com/AbCd1234",
    "t.co/x1",
    "https://",
    "t.me/",
    "youtu.be/",
    "x.com/",
    "www.",
    ".com/",
    " ",
    "\n",
    ".",
    ",",
    "“",
    "”",
    "«",
    "»",
    "'s ",
    "’s ",
    "(",
    ")",
    "@",
    "by @",
    "a source said",
    "Wagner-affiliated ",
    "pro-Kremlin ",
    "\ufeff",
    "\x00",
]

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map(
    "".join
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_text_never_crashes_and_evidence_is_exact(text: str) -> None:
    document = text_document(text, source="<hypothesis>")
    assert_evidence_exact(document, extract(document))


TAGS = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<a href='https://x.com/a/status/1817523987654321234'>",
    "</a>",
    "<blockquote class='twitter-tweet' data-lang='de'>",
    "</blockquote>",
    "<blockquote class='instagram-media'>",
    "<blockquote class='tiktok-embed' cite='https://www.tiktok.com/@a/video/1'>",
    "<iframe data-tweet-id='1817523987654321234'></iframe>",
    "<iframe src='https://t.me/chan/5?embed=1'></iframe>",
    "<iframe src='//www.youtube.com/embed/abcdefghijk'></iframe>",
    "<script data-telegram-post='chan/7'></script>",
    "<script data-telegram-discussion='chan/7'></script>",
    "<div class='fb-post' data-href='https://www.facebook.com/p/posts/1'></div>",
    "<script>VK.Widgets.Post('vk_post_-1_2', -1, 2, 'h');</script>",
    '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "datePublished": ',
    "</script>",
    "<meta property='og:site_name' content='",
    "'>",
    "<meta charset='",
    "<html><body>",
    "</body></html>",
    "<article>",
    "</article>",
]
pages = st.lists(
    st.one_of(st.sampled_from(TAGS), st.sampled_from(FRAGMENTS), st.text(max_size=10)), max_size=50
).map(lambda parts: "<!DOCTYPE html><html><head></head><body>" + "".join(parts))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_html_never_crashes_and_evidence_is_exact(page: str) -> None:
    document = document_from_bytes(page.encode("utf-8", "surrogatepass"), source="<hypothesis>")
    assert document.html is not None
    assert_evidence_exact(document, extract(document))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "cp1251", "no-such", "utf-16"]))
def test_bytes_never_crash(content: bytes, charset: str | None) -> None:
    document = document_from_bytes(content, source="<bytes>", charset=charset)
    assert_evidence_exact(document, extract(document))
