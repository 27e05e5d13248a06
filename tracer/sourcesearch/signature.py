"""A tweet known only by its signature ("— Name (@handle) July 28, 2024"): which status.

Archived status URLs of the handle are listed (CDX prefix queries on twitter.com and
x.com, from the signature's day to some weeks later, since archives capture late); an
id whose snowflake time falls on another day cannot be the tweet and is dropped; the
rest are asked of the platform and ranked by how close their text is to the embed's.
Nothing is invented: without the embed's text to compare, no candidate is certain.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tracer.identity.idtime import snowflake_time
from tracer.identity.resolver import resolve_url
from tracer.plugins.archive import Memento, Window
from tracer.sourcesearch.candidate import Scored, SearchOutcome
from tracer.sourcesearch.claim import fold
from tracer.sourcesearch.listing import ListingFailed, PrefixListing, list_captures
from tracer.sourcesearch.settings import SearchSettings

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient

try:  # rapidfuzz scores reordered words better; difflib keeps us working without it
    from rapidfuzz import fuzz as _fuzz
except ImportError:  # pragma: no cover
    _fuzz = None  # type: ignore[assignment]

METHOD = "signature-cdx"
#: the score of a candidate whose day matches but whose text cannot be compared
DATE_ONLY = 0.5
_STATUS = re.compile(r"^/([A-Za-z0-9_]{1,15})/status(?:es)?/(\d+)")
_LINK = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|@\w+|#")


def similarity(embed: str, text: str) -> float:
    """How alike two tweet texts are (0..1), links and mentions aside."""
    a, b = (" ".join(_LINK.sub(" ", fold(t)).split()) for t in (embed, text))
    if not a or not b:
        return 0.0
    if _fuzz is not None:
        return float(_fuzz.token_set_ratio(a, b)) / 100.0
    return SequenceMatcher(None, a, b).ratio()


def status_ids(mementos: Sequence[Memento], handle: str) -> list[str]:
    """Status ids of `handle` among archived URLs, in order of first capture."""
    ids: dict[str, None] = {}
    for memento in mementos:
        match = _STATUS.match(urlsplit(memento.original_url).path)
        if match and match.group(1).casefold() == handle.casefold():
            ids.setdefault(match.group(2))
    return list(ids)


def _day(when: datetime) -> datetime:
    return when.replace(hour=0, minute=0, second=0, microsecond=0)


async def _score(
    tweet_id: str, handle: str, embed: str | None, http: HTTPClient, day: str
) -> Scored:
    url = f"https://x.com/{handle}/status/{tweet_id}"
    identity = await resolve_url(url, http)
    text = identity.attributes.get("text")
    reason = f"snowflake date {day} matches the signature"
    if embed and isinstance(text, str) and text.strip():
        score = similarity(embed, text)
        reason += f"; text similarity {score:.2f}"
    else:
        score = DATE_ONLY
        why = identity.error or ("the embed has no text" if not embed else "no text known")
        reason += f"; text not compared ({why})"
    at = snowflake_time(tweet_id)
    return Scored(
        identity.canonical_url,
        round(score, 3),
        METHOD,
        reason,
        at.at if at else None,
        identity=identity,
    )


async def search_signature(
    handle: str,
    day: datetime,
    embed_text: str | None,
    http: HTTPClient,
    archives: Sequence[PrefixListing],
    settings: SearchSettings,
) -> SearchOutcome:
    """Candidate statuses for the signature (`handle`, `day`), best first."""
    outcome = SearchOutcome(METHOD)
    if not archives:
        outcome.status, outcome.reason = "skipped", "no configured archive can list by prefix"
        return outcome
    start = _day(day)
    window = Window(
        start - timedelta(days=1), start + timedelta(days=1 + settings.signature_capture_days)
    )
    found: list[Memento] = []
    errors: dict[str, str] = {}
    for host in ("twitter.com", "x.com"):
        try:
            mementos, failed = await list_captures(
                archives, f"{host}/{handle}/status/*", http, window
            )
        except ListingFailed as exc:
            errors.update({f"{name} ({host})": r for name, r in exc.errors.items()})
            continue
        outcome.queries += 1
        found.extend(mementos)
        errors.update(failed)
    if errors and not outcome.queries:
        outcome.status = "error"
        outcome.reason = "archives could not be searched: " + "; ".join(
            f"{k}: {v}" for k, v in errors.items()
        )
        return outcome
    wanted = start.date()
    dated: list[str] = []
    other_days = 0
    for tweet_id in status_ids(found, handle):
        at = snowflake_time(tweet_id)
        if at is None:
            continue
        if at.at.date() == wanted:
            dated.append(tweet_id)
        else:
            other_days += 1
    if other_days:
        outcome.reason = f"{other_days} archived statuses of @{handle} are from other days"
    picked = dated[: settings.candidates_read]
    scored = await asyncio.gather(
        *(_score(i, handle, embed_text, http, wanted.isoformat()) for i in picked)
    )
    outcome.candidates = sorted(scored, key=lambda s: (-s.score, s.url))
    return outcome


def certain(outcome: SearchOutcome, settings: SearchSettings) -> Scored | None:
    """The one candidate close enough to the embed's text, when exactly one is."""
    close = [c for c in outcome.candidates if c.score >= settings.signature_similarity]
    return close[0] if len(close) == 1 else None
