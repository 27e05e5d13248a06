"""The main text: trafilatura's fast cascade first, its full cascade where the fast one falls short.

The pages here are built so that trafilatura's fast result misses the article in the ways
its full cascade (readability, justext) exists for. Where a test rests on such a miss, it
first checks that the fast result really misses, so a trafilatura that stops missing shows
up here instead of as a test that passes for the wrong reason.
"""

from __future__ import annotations

from typing import Any

import pytest
import trafilatura

from tests.conftest import REAL
from tracer.extract import document_from_bytes
from tracer.extract.maintext import main_text
from tracer.extract.page import parse_tree

PARAGRAPHS = [
    f"Paragraph {n}: the harbour authority said on Tuesday that the grain terminal would "
    f"reopen after repairs to berth {n}, which drones had hit during the night. Insurers "
    "sent surveyors to the quay, and the crews of two waiting ships were told to stay aboard."
    for n in range(1, 7)
]
NAV = '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'


def page(body: str) -> str:
    return f"<html><head><title>Port</title></head><body>{NAV}{body}<footer>© Ledger</footer></body></html>"


def full_cascade(html: str) -> str:
    """What tracer kept before the fast path: trafilatura's whole cascade, our options."""
    result: Any = trafilatura.bare_extraction(
        parse_tree(html),
        include_comments=False,
        include_links=False,
        include_images=False,
        include_tables=True,
    )
    return str(result.text)


def fast_only(html: str) -> str:
    result: Any = trafilatura.bare_extraction(parse_tree(html), include_comments=False, fast=True)
    return str(result.text) if result is not None else ""


@pytest.mark.parametrize("block", ["related", "sidebar", "share"])
def test_an_article_that_runs_on_into_a_discarded_block_comes_from_the_full_cascade(
    block: str,
) -> None:
    # trafilatura's own extractor keeps the first paragraph and drops the block the rest
    # stands in; readability, which its full cascade prefers when it finds more than twice
    # as much, reads the article from the raw page
    rest = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    html = page(f'<article><p>{PARAGRAPHS[0]}</p><div class="{block}">{rest}</div></article>')
    missed = fast_only(html)
    assert PARAGRAPHS[0] in missed and not any(p in missed for p in PARAGRAPHS[1:]), (
        "trafilatura's fast mode now finds this article"
    )

    found = main_text(parse_tree(html), None)

    assert (found.path, found.reason) == ("full", "partial")
    assert all(p in found.text for p in PARAGRAPHS)
    assert found.text == full_cascade(html)
    document = document_from_bytes(html.encode(), source="page.html")
    assert all(p in document.text for p in PARAGRAPHS)


@pytest.mark.parametrize(
    "body",
    [
        "<div>" + "<br><br>".join(PARAGRAPHS) + "</div>",
        "<ul>" + "".join(f"<li>{p}</li>" for p in PARAGRAPHS) + "</ul>",
    ],
    ids=["br", "list"],
)
def test_a_page_the_extractor_finds_nothing_in_is_not_kept_as_a_page_dump(body: str) -> None:
    # text outside paragraphs: trafilatura's own extractor finds nothing, and its fast
    # mode then hands back its reading of the whole page, navigation included; the full
    # cascade (justext) returns the article alone
    html = page(body)
    dump = fast_only(html)
    assert "Home" in dump and all(p in dump for p in PARAGRAPHS), "the fast result changed"

    found = main_text(parse_tree(html), None)

    assert (found.path, found.reason) == ("full", "outside")
    assert all(p in found.text for p in PARAGRAPHS)
    assert "Home" not in found.text
    assert found.text == full_cascade(html)


def test_a_short_result_covering_little_of_the_page_takes_the_full_cascade() -> None:
    links = "".join(f'<li><a href="/s{n}">Section {n} of the site</a></li>' for n in range(80))
    html = f"<html><body><nav><ul>{links}</ul></nav><article><p>{PARAGRAPHS[0]}</p></article></body></html>"

    found = main_text(parse_tree(html), None)

    assert (found.path, found.reason) == ("full", "thin")
    assert found.text == full_cascade(html)


def test_a_result_made_of_tables_takes_the_full_cascade() -> None:
    # more tables than paragraphs in the result: readability's rule for a result it may replace
    tables = [
        f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>",
        f"<p>{PARAGRAPHS[2]}</p>",
        PARAGRAPHS[3],
        PARAGRAPHS[4],
    ]
    html = page("".join(f"<table><tr><td>{cell}</td></tr></table>" for cell in tables))

    found = main_text(parse_tree(html), None)

    assert (found.path, found.reason) == ("full", "unstructured")
    assert found.text == full_cascade(html)


def test_an_ordinary_article_keeps_the_fast_result() -> None:
    html = page(
        "<article><h1>Port</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"
    )

    found = main_text(parse_tree(html), None)

    assert (found.path, found.reason) == ("fast", None)
    assert found.text == full_cascade(html)
    assert "Home" not in found.text


def test_a_page_without_text_falls_back_to_its_visible_text() -> None:
    found = main_text(parse_tree("<html><body><script>var a = 1;</script></body></html>"), None)

    assert (found.path, found.text) == ("page", "")


@pytest.mark.parametrize("name", sorted(path.name for path in (REAL / "articles").glob("*.html")))
def test_real_pages_get_the_text_the_full_cascade_gives(name: str) -> None:
    html = (REAL / "articles" / name).read_bytes().decode("utf-8")

    found = main_text(parse_tree(html), None)

    assert found.text == full_cascade(html)
