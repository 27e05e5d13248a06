"""What a page says about itself: title, outlet, author, canonical URL, language, date.

Read from the parsed tree before the main-text extraction runs (it prunes the tree).
Dates come with the method that gave them, in order of trust: JSON-LD datePublished,
the article:published_time meta tag, other publication meta tags; the caller falls
back to htmldate when none is present.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml.html import HtmlElement

from tracer.store.model import Dating, Precision
from tracer.urls import joined_url

_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "blogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "webpage",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "socialmediaposting",
        "backgroundnewsarticle",
        "videoobject",
    }
)
_DATE_METAS = (
    ("article:published_time", "article:published_time"),
    ("og:article:published_time", "article:published_time"),
    ("datepublished", "meta"),
    ("pubdate", "meta"),
    ("publishdate", "meta"),
    ("publish-date", "meta"),
    ("date", "meta"),
    ("dc.date.issued", "meta"),
    ("dc.date", "meta"),
    ("dcterms.created", "meta"),
    ("parsely-pub-date", "meta"),
    ("sailthru.date", "meta"),
    ("article.published", "meta"),
)


@dataclass(slots=True)
class PageMetadata:
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    dating: Dating | None = None


def parse_datetime(value: str) -> tuple[datetime, Precision] | None:
    """An ISO 8601 date or date-time, as UTC, with the precision it was written to."""
    value = value.strip()
    match = re.match(
        r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
        value,
    )
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    try:
        if match.group(4) is None:
            return datetime(year, month, day, tzinfo=UTC), Precision.DAY
        hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
        zone = match.group(7)
        stamp = datetime(year, month, day, hour, minute, second)
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            offset = sign * (int(digits[:2]) * 60 + int(digits[2:4]))
            from datetime import timedelta, timezone

            stamp = stamp.replace(tzinfo=timezone(timedelta(minutes=offset)))
        else:
            stamp = stamp.replace(tzinfo=UTC)
        return stamp.astimezone(UTC), (Precision.SECOND if match.group(6) else Precision.MINUTE)
    except ValueError:
        return None


def json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, in document order, those of an @graph after the
    object holding it."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            # pages often leave a trailing comma or control characters in JSON-LD
            try:
                data = json.loads(
                    re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")), strict=False
                )
            except ValueError:
                continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).casefold() for v in values}


def name_of(value: Any, separator: str = "; ") -> str | None:
    """The name a JSON-LD value gives: a string, an object's `name`, or a list's names
    joined by `separator`, each once."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return name_of(value.get("name"), separator)
    if isinstance(value, list):
        names = [n for n in (name_of(v, separator) for v in value) if n]
        return separator.join(dict.fromkeys(names)) or None
    return None


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """The page's <meta> tags: each key (its property, else name, else itemprop),
    case-folded, to the first non-empty content given for it."""
    tags: dict[str, str] = {}
    for element in tree.iterfind(".//meta"):
        key = (
            (element.get("property") or element.get("name") or element.get("itemprop") or "")
            .strip()
            .casefold()
        )
        content = (element.get("content") or "").strip()
        if key and content and key not in tags:
            tags[key] = content
    return tags


def _url(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _url(value.get("@id") or value.get("url"))
    return None


def read_metadata(tree: HtmlElement, base_url: str | None) -> PageMetadata:
    meta = PageMetadata()
    metas = meta_tags(tree)
    article: dict[str, Any] | None = None
    publisher: str | None = None
    for item in json_ld_objects(tree):
        types = _types(item)
        if (
            article is None
            and types & _ARTICLE_TYPES
            and ("datePublished" in item or "headline" in item)
        ):
            article = item
        if (
            publisher is None
            and types & {"newsmediaorganization", "organization"}
            and item.get("name")
        ):
            publisher = name_of(item.get("name"))
    if article is not None:
        publisher = name_of(article.get("publisher")) or publisher
        meta.title = name_of(article.get("headline"))
        meta.author = name_of(article.get("author"))
        meta.canonical_url = _url(article.get("mainEntityOfPage")) or _url(article.get("url"))
        language = article.get("inLanguage")
        meta.language = language if isinstance(language, str) else None
        published = article.get("datePublished")
        if isinstance(published, str):
            parsed = parse_datetime(published)
            if parsed:
                meta.dating = Dating(parsed[0], "json-ld", parsed[1])
    meta.title = metas.get("og:title") or meta.title or metas.get("twitter:title")
    if not meta.title:
        title = tree.find(".//title")
        if title is not None and title.text:
            meta.title = title.text.strip() or None
    meta.outlet = metas.get("og:site_name") or publisher or metas.get("application-name")
    meta.author = meta.author or metas.get("author") or metas.get("article:author")
    if meta.author and meta.author.startswith(("http://", "https://")):
        meta.author = None
    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in (link.get("rel") or "").casefold().split() and link.get("href"):
            canonical = link.get("href")
            break
    canonical = canonical or metas.get("og:url") or meta.canonical_url
    if canonical:
        canonical = joined_url(base_url, canonical.strip()) if base_url else canonical.strip()
        meta.canonical_url = (
            canonical if canonical and canonical.startswith(("http://", "https://")) else None
        )
    else:
        meta.canonical_url = None
    if meta.dating is None:
        for key, method in _DATE_METAS:
            if key in metas:
                parsed = parse_datetime(metas[key])
                if parsed:
                    meta.dating = Dating(parsed[0], method, parsed[1])
                    break
    if meta.dating is None:
        for element in tree.iterfind(".//time[@datetime]"):
            if "pubdate" in element.attrib or "published" in (element.get("class") or ""):
                parsed = parse_datetime(element.get("datetime") or "")
                if parsed:
                    meta.dating = Dating(parsed[0], "time-element", parsed[1])
                    break
    language = (
        meta.language or tree.get("lang") or metas.get("og:locale") or metas.get("content-language")
    )
    if language:
        meta.language = language.replace("_", "-").split("-")[0].casefold()[:8] or None
    return meta
