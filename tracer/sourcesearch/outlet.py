"""An outlet named without a link ("RT said ..."): which of its pages was meant.

The outlet's pages captured in the window around the citing document are listed from
the archives' CDX index (a domain query, narrowed by URL filters built from the claim's
words, since news URLs carry their headline as a slug), the likeliest are fetched and
read, and each is scored by how much of the claim its text holds and whether its date
falls in the window. Nothing is taken on the URL's word alone.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tracer.errors import TracerError
from tracer.extract import Document, load_document
from tracer.plugins.archive import Memento
from tracer.sourcesearch.candidate import Scored, SearchOutcome
from tracer.sourcesearch.claim import Claim, fold, stem
from tracer.sourcesearch.listing import ListingFailed, PrefixListing, list_captures
from tracer.sourcesearch.settings import SearchSettings

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient

METHOD = "wayback-cdx"
#: paths that are never the cited article: assets, feeds, the home page
_NOT_ARTICLES = re.compile(
    r"(\.(css|js|json|xml|rss|jpe?g|png|gif|svg|webp|ico|pdf|mp4|woff2?)$)|"
    r"^/(robots\.txt|feed|rss|tag|tags|search|static|assets)?/?$",
    re.IGNORECASE,
)
_SLUG_WORD = re.compile(r"[a-z0-9]+")


def _page_key(url: str) -> str:
    """One key per page whatever scheme, www or query junk it was captured under."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _slug_hits(url: str, terms: Sequence[str]) -> int:
    words = {stem(w) for w in _SLUG_WORD.findall(urlsplit(url).path.lower())}
    return sum(1 for term in terms if term in words)


def _distance(memento: Memento, when: datetime | None) -> float:
    return abs((memento.captured_at - when).total_seconds()) if when is not None else 0.0


def rank_pages(mementos: Sequence[Memento], claim: Claim) -> list[Memento]:
    """One capture per page (the earliest), likeliest first: most claim words in the URL,
    then captured nearest the citing document's date."""
    pages: dict[str, Memento] = {}
    for memento in sorted(mementos, key=lambda m: m.captured_at):
        if memento.status is not None and not 200 <= memento.status < 300:
            continue
        if _NOT_ARTICLES.search(urlsplit(memento.original_url).path or "/"):
            continue
        pages.setdefault(_page_key(memento.original_url), memento)
    terms = claim.url_terms()
    return sorted(
        pages.values(),
        key=lambda m: (-_slug_hits(m.original_url, terms), _distance(m, claim.citing_date)),
    )


def _url_filter(terms: Sequence[str]) -> str:
    # the CDX server matches Java regular expressions against the whole field
    return "original:(?i).*(" + "|".join(re.escape(t) for t in terms) + ").*"


async def _read(url: str, memento: Memento, http: HTTPClient) -> tuple[Document, bool]:
    """The page itself, else its archived copy (the page may be gone: that is why we ask)."""
    try:
        return await load_document(url, http), True
    except TracerError as live_error:
        try:
            return await load_document(memento.url, http), False
        except TracerError:
            raise live_error from None


async def check_page(memento: Memento, claim: Claim, http: HTTPClient) -> Scored:
    """Read one candidate page and score it against the claim."""
    url = memento.original_url
    try:
        document, live = await _read(url, memento, http)
    except TracerError as exc:
        reason = (str(exc) or type(exc).__name__).splitlines()[0]
        return Scored(url, 0.0, METHOD, f"could not be read: {reason}")
    text = " ".join(part for part in (document.title, document.text) if part)
    score, found = claim.text_score(text)
    published_at = document.dating.at if document.dating else None
    factor, dated = claim.date_factor(published_at)
    reason = f"holds {', '.join(found)}" if found else "holds none of the claim's words"
    reason += f"; {dated}"
    if not live:
        reason += f"; read from the archived copy {memento.url}"
    return Scored(
        url,
        round(score * factor, 3),
        METHOD,
        reason,
        published_at=published_at,
        document=document if live else None,
    )


async def search_outlet(
    domain: str,
    claim: Claim,
    http: HTTPClient,
    archives: Sequence[PrefixListing],
    settings: SearchSettings,
) -> SearchOutcome:
    """Candidate pages of the outlet at `domain` for `claim`, best first."""
    outcome = SearchOutcome(METHOD)
    if claim.window is None:
        outcome.status, outcome.reason = (
            "skipped",
            "the citing document has no date to search around",
        )
        return outcome
    if not archives:
        outcome.status, outcome.reason = "skipped", "no configured archive can list a domain"
        return outcome
    if not claim.terms:
        outcome.status, outcome.reason = "skipped", "no words to search by (use --keywords)"
        return outcome
    pattern = f"*.{domain}"
    filters = ["statuscode:200", "mimetype:text/html"]
    terms = claim.url_terms()
    try:
        found: list[Memento] = []
        if terms:
            found, _ = await list_captures(
                archives, pattern, http, claim.window, [*filters, _url_filter(terms)]
            )
            outcome.queries += 1
        if not found:
            # headlines are not always in the URL (numeric ids): read the window's pages
            found, _ = await list_captures(archives, pattern, http, claim.window, filters)
            outcome.queries += 1
    except ListingFailed as exc:
        outcome.status, outcome.reason = "error", f"archives could not be searched: {exc}"
        return outcome
    pages = rank_pages(found, claim)[: settings.candidates_read]
    scored = await asyncio.gather(*(check_page(page, claim, http) for page in pages))
    outcome.candidates = sorted(scored, key=lambda s: (-s.score, s.url))
    if not pages:
        outcome.reason = f"no page of {domain} captured in the window"
    return outcome


def outlet_domain(canonical_url: str | None) -> str | None:
    host = urlsplit(canonical_url or "").hostname
    return fold(host).removeprefix("www.") if host else None
