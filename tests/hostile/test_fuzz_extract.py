"""Fuzzing extraction: hostile markup, bytes and prose never raise anything but TracerError.

A trace reads pages written by the people it investigates; a page built to break the
parser must cost one document, never the run.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.hostile.strategies import FUZZ, html_pages, page_bytes, prose, raw_bytes
from tracer.errors import TracerError
from tracer.extract import Document, Reference, document_from_bytes, extract, text_document


def _assert_evidence_is_quoted(document: Document, references: list[Reference]) -> None:
    """The evidence contract holds whatever the page was: evidence is the text it spans."""
    for reference in references:
        if reference.evidence is not None and reference.start is not None:
            assert document.text[reference.start : reference.end] == reference.evidence


def _extract_bytes(content: bytes, charset: str | None, content_type: str | None) -> None:
    try:
        document = document_from_bytes(
            content,
            source="https://news.example/a",
            url="https://news.example/a",
            charset=charset,
            content_type=content_type,
        )
        references = extract(document)
    except TracerError:
        return
    _assert_evidence_is_quoted(document, references)
    for reference in references:
        assert "\x00" not in (reference.evidence or "")


@FUZZ
@given(page_bytes(), st.sampled_from(["text/html", "text/plain", None]))
@example((b"<p>" * 5000 + b"x", None), "text/html")
@example((b"\x00" * 100, "utf-8"), "text/html")
@example((('<a href="https://x.com/' + "a" * 1_000_000 + '">x</a>').encode(), None), "text/html")
@example((b"http://169.254.169.254/latest/meta-data/", None), "text/html")
def test_pages_as_bytes(page: tuple[bytes, str | None], content_type: str | None) -> None:
    content, charset = page
    _extract_bytes(content, charset, content_type)


@FUZZ
@given(raw_bytes, st.sampled_from(["text/html", "text/plain", None]))
def test_arbitrary_bytes(content: bytes, content_type: str | None) -> None:
    _extract_bytes(content, None, content_type)


@FUZZ
@given(html_pages())
# an address no parser takes, in an embed's link, a content link, the canonical link and an
# image (Hypothesis found the first: urljoin raised "Invalid IPv6 URL" out of the extraction)
@example(
    '<blockquote class="twitter-tweet"><p></p>&mdash; Name (@handle) '
    '<a href="http://x.com[">July 28, 2024</a></blockquote>'
)
@example(
    '<html><head><link rel="canonical" href="http://x.com["></head><body><article>'
    '<p>The mayor said so, <a href="http://x.com[/a">as reported</a>.</p>'
    '<img src="http://[x.com/a.jpg"></article></body></html>'
)
def test_markup_as_text_input(html: str) -> None:
    _extract_bytes(html.encode("utf-8", "surrogatepass"), "utf-8", None)


@FUZZ
@given(prose)
@example("— (((Tendar))) (@Tendar) July 28, 2024\x00 citing the Telegram channel GREY ZONE")
def test_plain_text(text: str) -> None:
    try:
        document = text_document(text, source="-")
        references = extract(document)
    except TracerError:
        return
    _assert_evidence_is_quoted(document, references)


@pytest.mark.parametrize("depth", [1000, 20_000])
def test_nesting_deeper_than_the_recursion_limit(depth: int) -> None:
    _extract_bytes(b"<div>" * depth + b"said the Telegram channel GREY ZONE", None, "text/html")


def test_deeply_nested_tables_are_read_without_trafilatura() -> None:
    """Fuzzing found thousands of nested tables keeping trafilatura busy for minutes."""
    from lxml import html

    from tracer.extract.maintext import MAX_DEPTH, main_text

    depth = MAX_DEPTH + 50
    tree = html.fromstring(
        b"<table>" * depth + b"<tr><td>GREY ZONE said so</td></tr>" + b"</table>" * depth
    )
    found = main_text(tree, None)
    assert found.path == "page" and "GREY ZONE said so" in found.text
    shallow = html.fromstring(
        b"<table>" * 20 + b"<tr><td>GREY ZONE said so</td></tr>" + b"</table>" * 20
    )
    assert main_text(shallow, None).reason != "deep"


def test_a_page_nested_300_deep_keeps_its_text() -> None:
    page = (
        b"<html><body>" + b"<div>" * 300 + b"<p>RT said, citing the Telegram channel GREY ZONE.</p>"
    )
    document = document_from_bytes(page, source="x", content_type="text/html")
    assert "GREY ZONE" in document.text


def test_each_link_gets_its_own_sentence_as_evidence() -> None:
    links = [f"https://source{n}.example/report" for n in range(3)]
    paragraphs = "".join(
        f'<p>Officials <a href="{url}">said</a> so on day {n}.</p>' for n, url in enumerate(links)
    )
    page = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    document = document_from_bytes(page, source="x", content_type="text/html")
    evidence = {r.url: r.evidence for r in extract(document) if r.url}
    assert [evidence.get(url) for url in links] == [
        f"Officials said so on day {n}." for n in range(3)
    ]
