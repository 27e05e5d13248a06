"""The generic web: any http(s) page, read through the metadata publishers put in it.

Asked last, after every platform adapter. Offline it only cleans the URL (tracking
parameters and fragments go, through tracer.urls). Online it reads, in order of trust: JSON-LD
(datePublished, publisher, author, headline), OpenGraph and article:* meta tags, the
canonical link, and finally htmldate's reading of the page when nothing declares a date.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin, urlsplit

from tracer.errors import NetworkError
from tracer.extract.soup import is_tag, parse_html
from tracer.linkrot.classify import reads_walled
from tracer.linkrot.maintext import main_text, title_text
from tracer.media.page_images import text_pictures
from tracer.plugins.platform import Identity
from tracer.store.model import NodeKind, NodeStatus, Precision
from tracer.urls import clean_url

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

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


def parse_time(text: str | None) -> tuple[datetime, str] | None:
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


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    # JSON-LD comes as one object, a list, or an @graph of objects
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"])


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text() or "null", strict=False)
        except ValueError:
            continue  # a broken block is common and says nothing about the page
        found.extend(_objects(data))
    return found


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: name})
            if is_tag(tag) and str(tag.get("content") or "").strip():
                return str(tag["content"]).strip()
    return None


def _images(soup: BeautifulSoup, base_url: str) -> list[str]:
    """The picture a page shows when shared (og:image, twitter:image), as absolute URLs:
    the image a reposted photo is usually seen by, and one `tracer media` can compare."""
    found: list[str] = []
    for name in ("og:image", "og:image:secure_url", "twitter:image", "twitter:image:src"):
        value = _meta(soup, name)
        if value:
            url = urljoin(base_url, value)
            if urlsplit(url).scheme in ("http", "https") and url not in found:
                found.append(url)
    return found


def page_metadata(html: str, base_url: str) -> dict[str, Any]:
    """What a page says about itself: canonical URL, title, kind, dates, publisher, author."""
    soup = parse_html(html)
    items = json_ld(soup)
    article = next((i for i in items if _types(i) & ARTICLE_TYPES), None)
    first_dated = next((i for i in items if i.get("datePublished")), None)
    source = article or first_dated or {}
    meta: dict[str, Any] = {}

    canonical = None
    link = soup.find("link", rel="canonical", href=True)
    if is_tag(link):
        canonical = urljoin(base_url, str(link["href"]).strip())
    canonical = canonical or _meta(soup, "og:url")
    if canonical and urlsplit(canonical).scheme in ("http", "https"):
        # a canonical link without a host names nothing
        with contextlib.suppress(ValueError):
            meta["canonical_url"] = clean_url(canonical)

    title_tag = soup.find("title")
    meta["title"] = (
        _name(source.get("headline"))
        or _meta(soup, "og:title", "twitter:title")
        or (" ".join(title_tag.get_text().split()) if title_tag else None)
    )
    og_type = _meta(soup, "og:type")
    meta["kind"] = (
        NodeKind.ARTICLE if article is not None or og_type == "article" else NodeKind.PAGE
    )
    meta["publisher"] = _name(source.get("publisher")) or _meta(soup, "og:site_name")
    meta["author"] = _name(source.get("author")) or _meta(soup, "author", "article:author")
    meta["description"] = _meta(soup, "og:description", "description")
    meta["images"] = _images(soup, base_url) or None
    # the photos of its text, from this same parse (the media step caps how many)
    meta["page_images"] = text_pictures(soup, base_url, skip=meta["images"] or ()) or None

    for value, method in (
        (source.get("datePublished"), "json-ld-datePublished"),
        (_meta(soup, "article:published_time"), "meta-article-published_time"),
        (_meta(soup, "datePublished", "date", "dc.date", "DC.date.issued"), "meta-date"),
    ):
        parsed = parse_time(value if isinstance(value, str) else None)
        if parsed:
            meta["published_at"], meta["precision"] = parsed
            meta["published_at_method"] = method
            break
    modified = parse_time(_name(source.get("dateModified")) or _meta(soup, "article:modified_time"))
    if modified:
        meta["modified_at"] = modified[0].isoformat()
    return {k: v for k, v in meta.items() if v is not None}


def htmldate_guess(html: str) -> datetime | None:
    """htmldate's original-date reading: a day, found in URLs, markup and text."""
    from htmldate import find_date

    try:
        # as bytes: given a str that looks like a URL, htmldate downloads it with its own
        # client, past the private-address guard; a page can consist of just such a URL
        found = find_date(html.encode("utf-8"), original_date=True, extensive_search=True)
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
            identity.status, identity.error = NodeStatus.ERROR, str(exc)
            return identity
        if not fetched.ok:
            identity.status = NodeStatus.ERROR
            identity.error = (
                f"{urlsplit(fetched.final_url).hostname} answered HTTP {fetched.status_code}"
            )
            return identity
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
        html = fetched.text
        if reads_walled(title_text(html), main_text(html)):
            # a captcha or login wall answers 200: it is not the page, and not its title
            identity.status = NodeStatus.ERROR
            identity.error = (
                f"{urlsplit(fetched.final_url).hostname} answered with a captcha or login wall"
            )
            return identity
        meta = page_metadata(html, fetched.final_url)
        identity.canonical_url = meta.get("canonical_url") or clean_url(fetched.final_url)
        identity.kind = meta["kind"]
        identity.name = meta.get("title")
        for key in ("publisher", "author", "description", "modified_at", "images", "page_images"):
            if key in meta:
                attributes[key] = meta[key]
        if "published_at" in meta:
            identity.published_at = meta["published_at"]
            identity.published_at_method = meta["published_at_method"]
            identity.precision = meta["precision"]
        else:
            guessed = htmldate_guess(html)
            if guessed is not None:
                identity.published_at = guessed
                identity.published_at_method = "htmldate"
                identity.precision = Precision.DAY
        identity.status, identity.error = NodeStatus.RESOLVED, None
        return identity
