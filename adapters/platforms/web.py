"""The generic web: any http(s) page, read through the metadata publishers put in it.

Asked last, after every platform adapter. Offline it only cleans the URL (tracking
parameters and fragments go, through tracer.urls). Online it reads, in order of trust: JSON-LD
(datePublished, publisher, author, headline), OpenGraph and article:* meta tags, the
canonical link, and finally htmldate's reading of the page when nothing declares a date.

The page is parsed once, by extraction (`tracer.extract.page`): the wall check, the
metadata and the pictures read that tree, and the parsed page goes on with the identity
(`Identity.page`), so a trace that follows the page builds its Document from the same
parse instead of fetching and parsing it again.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin, urlsplit

from tracer.errors import NetworkError
from tracer.extract.metadata import json_ld_objects, meta_tags, name_of
from tracer.extract.page import ParsedPage
from tracer.extract.source import fetched_page
from tracer.linkrot.classify import reads_walled
from tracer.linkrot.maintext import read_tree
from tracer.media.page_images import text_pictures
from tracer.plugins.platform import Identity
from tracer.store.model import Dating, NodeKind, NodeStatus, Precision
from tracer.urls import clean_url

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import HTTPClient

#: schema.org types that make a page an article
ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "BlogPosting",
        "OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting", "ScholarlyArticle",
        "TechArticle", "Report", "SatiricalArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
    }
)  # fmt: skip
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
#: a page bigger than this is not an article; metadata sits in the first megabytes anyway
MAX_PAGE_BYTES = 8_000_000


def parse_time(text: str | None) -> tuple[datetime, Precision] | None:
    """An ISO 8601 date or date-time, in UTC, with its precision; None when not one."""
    if not text:
        return None
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC), Precision.DAY
        except ValueError:
            return None
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.replace("Z", "+00:00"))
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # a date-time without an offset: read as UTC
    return when.astimezone(UTC), Precision.SECOND


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


def _name(value: Any) -> str | None:
    # several authors are listed as a sentence lists them
    return name_of(value, ", ")


def _first(tags: dict[str, str], *names: str) -> str | None:
    """The content of the first of the named meta tags the page has."""
    return next((tags[key] for key in map(str.casefold, names) if key in tags), None)


def _images(tags: dict[str, str], base_url: str) -> list[str]:
    """The picture a page shows when shared (og:image, twitter:image), as absolute URLs:
    the image a reposted photo is usually seen by, and one `tracer media` can compare."""
    found: list[str] = []
    for name in ("og:image", "og:image:secure_url", "twitter:image", "twitter:image:src"):
        value = tags.get(name)
        if value:
            url = urljoin(base_url, value)
            if urlsplit(url).scheme in ("http", "https") and url not in found:
                found.append(url)
    return found


def page_metadata(tree: HtmlElement, base_url: str) -> dict[str, Any]:
    """What a parsed page says about itself: canonical URL, title, kind, dates, publisher,
    author (read from the tree, which is left as it is)."""
    tags = meta_tags(tree)
    items = list(json_ld_objects(tree))
    article = next((i for i in items if _types(i) & ARTICLE_TYPES), None)
    first_dated = next((i for i in items if i.get("datePublished")), None)
    source = article or first_dated or {}
    meta: dict[str, Any] = {}

    canonical = None
    for link in tree.iterfind(".//link[@rel][@href]"):
        if "canonical" in (link.get("rel") or "").casefold().split():
            canonical = urljoin(base_url, (link.get("href") or "").strip())
            break
    canonical = canonical or tags.get("og:url")
    if canonical and urlsplit(canonical).scheme in ("http", "https"):
        # a canonical link without a host names nothing
        with contextlib.suppress(ValueError):
            meta["canonical_url"] = clean_url(canonical)

    title_tag = tree.find(".//title")
    meta["title"] = (
        _name(source.get("headline"))
        or _first(tags, "og:title", "twitter:title")
        or (" ".join(title_tag.text_content().split()) or None if title_tag is not None else None)
    )
    meta["kind"] = (
        NodeKind.ARTICLE
        if article is not None or tags.get("og:type") == "article"
        else NodeKind.PAGE
    )
    meta["publisher"] = _name(source.get("publisher")) or tags.get("og:site_name")
    meta["author"] = _name(source.get("author")) or _first(tags, "author", "article:author")
    meta["description"] = _first(tags, "og:description", "description")
    meta["images"] = _images(tags, base_url) or None
    # the photos of its text, from this same parse (the media step caps how many)
    meta["page_images"] = text_pictures(tree, base_url, skip=meta["images"] or ()) or None

    for value, method in (
        (source.get("datePublished"), "json-ld-datePublished"),
        (tags.get("article:published_time"), "meta-article-published_time"),
        (_first(tags, "datePublished", "date", "dc.date", "DC.date.issued"), "meta-date"),
    ):
        parsed = parse_time(value if isinstance(value, str) else None)
        if parsed:
            meta["dating"] = Dating(parsed[0], method, parsed[1])
            break
    modified = parse_time(_name(source.get("dateModified")) or tags.get("article:modified_time"))
    if modified:
        meta["modified_at"] = modified[0].isoformat()
    return {k: v for k, v in meta.items() if v is not None}


def htmldate_guess(page: ParsedPage) -> datetime | None:
    """htmldate's original-date reading: a day, found in URLs, markup and text."""
    from htmldate import find_date

    try:
        # the parsed tree, which htmldate copies before pruning it; without one, bytes:
        # given a str that looks like a URL, htmldate downloads it with its own client,
        # past the private-address guard, and a page can consist of just such a URL
        found = find_date(
            page.tree if page.tree is not None else page.html.encode("utf-8"),
            original_date=True,
            extensive_search=True,
        )
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    try:
        return datetime.fromisoformat(found).replace(tzinfo=UTC)
    except ValueError:
        return None


class WebAdapter:
    """Every http(s) URL: articles and pages, read through their own metadata."""

    name: ClassVar[str] = "web"

    def parse(self, url: str) -> Identity | None:
        try:
            parts = urlsplit(url.strip())
        except ValueError:  # "https://[::1/": brackets that open no IPv6 address
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        try:
            canonical = clean_url(url)
        except ValueError:
            return None
        return Identity(
            platform=self.name,
            kind=NodeKind.PAGE,
            canonical_url=canonical,
            url=url,
            attributes={"domain": parts.hostname.lower().removeprefix("www.")},
        )

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        try:
            # the page cap never raises the user's http.max_body_bytes, only lowers it
            limit = min(MAX_PAGE_BYTES, http.settings.max_body_bytes)
            fetched = await http.fetch(identity.canonical_url, cache=True, max_body=limit)
        except NetworkError as exc:
            return identity.fail(str(exc))
        if not fetched.ok:
            return identity.fail(
                f"{urlsplit(fetched.final_url).hostname} answered HTTP {fetched.status_code}"
            )
        attributes = identity.attributes
        if fetched.history:
            attributes["final_url"] = fetched.final_url
        if fetched.content_type not in HTML_TYPES:
            # a PDF, an image, a feed: a document we can name but not read here
            attributes["content_type"] = fetched.content_type
            identity.kind = (
                NodeKind.MEDIA
                if fetched.content_type.startswith(("image/", "video/", "audio/"))
                else NodeKind.DOCUMENT
            )
            identity.status, identity.error = NodeStatus.RESOLVED, None
            return identity
        page = fetched_page(fetched, identity.canonical_url)
        if page.tree is not None and reads_walled(*read_tree(page.tree)):
            # a captcha or login wall answers 200: it is not the page, and not its title
            return identity.fail(
                f"{urlsplit(fetched.final_url).hostname} answered with a captcha or login wall"
            )
        meta: dict[str, Any] = (
            page_metadata(page.tree, fetched.final_url)
            if page.tree is not None
            else {"kind": NodeKind.PAGE}  # markup with nothing in it says nothing of itself
        )
        identity.canonical_url = meta.get("canonical_url") or clean_url(fetched.final_url)
        identity.kind = meta["kind"]
        identity.name = meta.get("title")
        for key in ("publisher", "author", "description", "modified_at", "images", "page_images"):
            if key in meta:
                attributes[key] = meta[key]
        if "dating" in meta:
            identity.dated(meta["dating"])
        else:
            guessed = htmldate_guess(page)
            if guessed is not None:
                identity.dated(Dating(guessed, "htmldate", Precision.DAY))
        identity.status, identity.error = NodeStatus.RESOLVED, None
        identity.page = page
        return identity
