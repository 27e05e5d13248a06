"""An HTML page to a Document: one parse, the main text, the metadata, the markup references.

The page is parsed once, into a `ParsedPage`. Metadata and embeds are read from that
tree; trafilatura then extracts the main text from it (working on its own copy, see
`maintext`), and anchors whose text the main text kept are its links; htmldate runs only
when the page states no date. Nothing here changes the tree, so the web adapter can read
a cited page's metadata from the same parse and the trace build the page's Document from
it when it follows the page.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement, HTMLParser

from tracer.extract.cues import Lexicon
from tracer.extract.document import Document
from tracer.extract.embeds import read_embeds
from tracer.extract.maintext import main_text
from tracer.extract.metadata import parse_datetime, read_metadata
from tracer.extract.reference import Reference
from tracer.extract.urls import classify, site_host
from tracer.store.model import Dating, NodeKind, Precision
from tracer.urls import joined_url

# trafilatura and htmldate log every page they find thin; a trace has its own progress
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


#: trafilatura's own parser options, but with libxml2's depth limit lifted: by default
#: libxml2 silently drops everything nested deeper than 256 elements
_DEEP_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)


@dataclass(slots=True, eq=False)
class ParsedPage:
    """An HTML page and its one parse.

    `requested` is the URL asked for and `url` the one that answered (after redirects):
    a page read for one URL stands for that URL only.
    """

    html: str
    tree: HtmlElement | None
    url: str | None = None
    encoding: str | None = None
    requested: str | None = None
    #: whether extraction reads it as a page: one that is neither typed nor written as
    #: markup is read as text, and its Document is not built from the tree
    markup: bool = True

    def answers(self, url: str) -> bool:
        """Whether this is the page extraction would read for `url`: fetched for it (or
        landed on from it), and markup."""
        return self.markup and url in (self.requested, self.url)


def parse_page(
    html: str,
    *,
    url: str | None = None,
    encoding: str | None = None,
    requested: str | None = None,
    markup: bool = True,
) -> ParsedPage:
    """`html` parsed once, with where it came from."""
    return ParsedPage(html, parse_tree(html), url, encoding, requested, markup)


def parse_tree(html: str) -> HtmlElement | None:
    from lxml.html import fromstring
    from trafilatura.utils import HTML_PARSER, load_html

    try:
        tree = load_html(html)
    except (ValueError, etree.ParserError):  # pragma: no cover - load_html catches most
        return None
    if any("Excessive depth" in entry.message for entry in HTML_PARSER.error_log):
        # a page nested that deep (hostile, or badly generated) is parsed again whole
        with contextlib.suppress(ValueError, etree.ParserError):
            tree = fromstring(html.encode("utf-8", "surrogatepass"), parser=_DEEP_PARSER)
    return tree if isinstance(tree, HtmlElement) else None


def _html_date(tree: HtmlElement) -> str | None:
    from htmldate import find_date

    try:
        # the extensive search reads dates out of body text (an embedded tweet's, a copyright
        # year): slower and wrong more often than it helps a fallback
        return find_date(tree, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:
        return None


#: containers of a page's own chrome: their links are never the article's
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "noscript", "button"})
# a class or id token that opens or closes with one of these words ("site-footer",
# "nav-menu", "related-posts") marks chrome; "sticky-sidebar-relative" does not
_CHROME_CLASSES = re.compile(
    r"^(?:nav|navbar|menu|footer|header|sidebar|related|share|sharing|social|comments?|newsletter|subscribe|breadcrumbs?|widget|promo|advert|ads)(?:[_-]|$)"
    r"|[_-](?:nav|navbar|menu|footer|header|sidebar|related|share|sharing|social|comments?|newsletter|subscribe|breadcrumbs?|widget|promo|advert|ads)$",
    re.IGNORECASE,
)


# absolute links outside the page's chrome tags, selected in C: relative links are the
# page's own site (and mailto:, javascript:, #), and navigation holds most anchors
_ABSOLUTE_ANCHORS = etree.XPath(
    "//a[starts-with(normalize-space(@href), 'http') or starts-with(normalize-space(@href), '//')]"
    "[not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside or ancestor::form)]"
)


def _in_chrome(anchor: HtmlElement) -> bool:
    for ancestor in anchor.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in _CHROME_TAGS:
            return True
        if tag in {"article", "main", "body"}:
            return False
        tokens = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".split()
        if any(_CHROME_CLASSES.search(token) for token in tokens):
            return True
    return False


def _content_links(
    tree: HtmlElement, text: str, base: str | None, skip: set[str], own_host: str | None
) -> list[Reference]:
    """A `links` reference per external anchor whose text the main text kept.

    The anchor's text, found in the extracted text after the text just before it, places
    the link in the main content and gives its evidence; anchors in navigation, footers
    and "related" blocks, relative links and links to the page's own site are skipped
    before any text is read, which leaves only a handful to look at.
    """
    references: list[Reference] = []
    cursor = 0
    for anchor in _ABSOLUTE_ANCHORS(tree):
        href = (anchor.get("href") or "").strip()
        if not href.startswith(("http://", "https://", "//")):
            continue
        label = " ".join(anchor.text_content().split())
        # an anchor whose text the main text lacks is dropped whatever else holds: a test
        # in C that settles most anchors of a page before its URL or ancestors are read
        if not label or label not in text:
            continue
        href = joined_url(base or "https://invalid/", href) or ""
        if (
            not href
            or href in skip
            or (own_host and site_host(href).endswith(own_host))
            or _in_chrome(anchor)
        ):
            continue
        start = _locate(text, anchor, label, cursor)
        if start is None:
            continue
        cursor = start + len(label)
        shape = classify(href)
        references.append(
            Reference.link(
                shape,
                "html-link",
                url=shape.url if shape.kind != NodeKind.PAGE else href,
                name=label,
                evidence=label,
                start=start,
                end=start + len(label),
            )
        )
    return references


def _locate(text: str, anchor: HtmlElement, label: str, cursor: int) -> int | None:
    """Where the anchor's text stands in the main text, or None when it was dropped."""
    previous = anchor.getprevious()
    before = (
        previous.tail
        if previous is not None
        else (anchor.getparent().text if anchor.getparent() is not None else None)
    ) or ""
    context = " ".join(before.split())[-30:]
    if len(context) >= 8:
        # anchors come in reading order: look after the previous one first, so a phrase
        # that repeats ("Officials said") places each link at its own occurrence
        for start in (max(cursor - len(context) - 1, 0), 0):
            found = text.find(f"{context} {label}", start)
            if found >= 0:
                return found + len(context) + 1
            found = text.find(f"{context}{label}", start)
            if found >= 0:
                return found + len(context)
    found = text.find(label, cursor)
    if found < 0:
        found = text.find(label)
    # a short label found anywhere is too weak a sign that the link is in the main text
    if found >= 0 and (len(label) >= 12 or len(context) < 8):
        return found
    return None


def html_document(
    html: str, *, source: str, lexicon: Lexicon, url: str | None = None, encoding: str | None = None
) -> Document:
    """Parse `html` once and build the Document with its markup references."""
    return page_document(
        parse_page(html, url=url, encoding=encoding), source=source, lexicon=lexicon
    )


def page_document(page: ParsedPage, *, source: str, lexicon: Lexicon) -> Document:
    """The Document of a parsed page, with its markup references; the tree is left as it is."""
    html, tree, url, encoding = page.html, page.tree, page.url, page.encoding
    if tree is None:
        return Document(
            source=source, text="", url=url, html=html, encoding=encoding, markup_references=[]
        )
    meta = read_metadata(tree, url)
    base = meta.canonical_url or url
    embeds = read_embeds(tree, lexicon, base)
    text = main_text(tree, base).text
    dating = meta.dating
    if dating is None:
        found = _html_date(tree)
        parsed = parse_datetime(found) if found else None
        if parsed:
            dating = Dating(parsed[0], "htmldate", Precision.DAY)
    document = Document(
        source=source,
        text=text,
        url=url,
        canonical_url=meta.canonical_url or url,
        title=meta.title,
        outlet=meta.outlet,
        author=meta.author,
        language=meta.language,
        dating=dating,
        html=html,
        encoding=encoding,
        tree=tree,
    )
    own_host = site_host(meta.canonical_url or url or "") or None
    document.markup_references = embeds.references + _content_links(
        tree, text, base, embeds.inner_hrefs, own_host
    )
    return document
