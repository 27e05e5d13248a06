"""Channel search: the earliest posts of a channel that mention something, in a date window.

A claim "citing the Telegram channel Y" names a channel, not a post. The post is found by
reading the channel's public history page by page (on Telegram, t.me/s/<channel>?before=<id>)
and keeping the posts whose text holds one of the keywords or their synonyms (the same
words in the channel's language). Post ids rise with time but carry none, so when the
window ends long before today the page holding its end is found by bisecting ids
first. Every search is bounded in pages and seconds, and says why it stopped.

The core knows no platform: a platform adapter that can page through a channel's
history implements `tracer.plugins.platform.ChannelHistory`.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from tracer.errors import InputError, TracerError
from tracer.plugins.platform import ChannelHistory, ChannelPost, HistoryPage

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient


@dataclass
class Match:
    post: ChannelPost
    terms: list[str]  # the search terms found in the post


@dataclass
class ChannelSearch:
    """The outcome of a search: matches earliest first, and how far the search went."""

    channel: str
    terms: list[str]
    matches: list[Match] = field(default_factory=list)
    pages: int = 0
    #: window (went past its start), start (reached the channel's first post),
    #: pages (page budget spent), time (time budget spent), error (see `error`)
    stopped: str = ""
    error: str | None = None
    title: str | None = None
    oldest_seen: datetime | None = None


def fold(text: str) -> str:
    """Text as matching sees it: case-folded, accents and ё/е differences ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching_terms(text: str, terms: Iterable[str]) -> list[str]:
    folded = fold(text)
    return [term for term in terms if fold(term) in folded]


def history_source(platform: str = "telegram") -> ChannelHistory:
    """The installed adapter of `platform` that can page through channel histories."""
    from tracer.plugins.installed import platform_adapters

    for adapter in platform_adapters():
        if adapter.name == platform and isinstance(adapter, ChannelHistory):
            return adapter
    raise InputError(f"no installed adapter can search {platform} channels")


class _Budget:
    def __init__(self, max_pages: int, max_seconds: float) -> None:
        self.max_pages, self.deadline = max_pages, time.monotonic() + max_seconds
        self.pages = 0

    def exhausted(self) -> str | None:
        if self.pages >= self.max_pages:
            return "pages"
        if time.monotonic() >= self.deadline:
            return "time"
        return None


def _guess(
    lo: tuple[int, datetime | None], hi: tuple[int, datetime], until: datetime, rate: float | None
) -> int:
    """The id to probe next: interpolated between dated anchors, extrapolated from the
    channel's posting rate, or halfway when neither is known."""
    lo_id, lo_time = lo
    hi_id, hi_time = hi
    guess = (lo_id + hi_id) // 2
    if lo_time is not None and hi_time > lo_time:
        share = (until - lo_time).total_seconds() / (hi_time - lo_time).total_seconds()
        guess = lo_id + int(share * (hi_id - lo_id))
    elif lo_time is None and rate:
        # overshoot a little, so the probe lands before the window's end, not after it
        guess = hi_id - int(rate * (hi_time - until).total_seconds() * 1.25) - 1
    return min(max(guess, lo_id + 1), hi_id - 1)


async def _locate(
    source: ChannelHistory,
    channel: str,
    http: HTTPClient,
    newest: HistoryPage,
    until: datetime,
    budget: _Budget,
) -> int | None:
    """The `before` cursor from which the posts are at or before `until`.

    Ids rise with time, so the search interpolates between the smallest id known to be
    after `until` (`hi`) and the largest known at or before it (`lo`)."""
    dated = [(p.post_id, p.published_at) for p in newest.posts if p.published_at is not None]
    if not dated or min(t for _, t in dated) <= until:
        return None  # the newest page already reaches into the window
    dated.sort()
    (first_id, first_time), (last_id, last_time) = dated[0], dated[-1]
    span = (last_time - first_time).total_seconds()
    rate = (last_id - first_id) / span if span > 0 else None
    lo: tuple[int, datetime | None] = (0, None)
    hi: tuple[int, datetime] = (first_id, first_time)
    while hi[0] - lo[0] > 1 and budget.exhausted() is None:
        probe = _guess(lo, hi, until, rate)
        page = await source.history_page(channel, probe + 1, http)
        budget.pages += 1
        posts = sorted((p.post_id, p.published_at) for p in page.posts if p.published_at)
        if not posts:
            lo = (probe, None)  # nothing dated at or below the probe: look higher
            rate = None
            continue
        before_until = [(i, t) for i, t in posts if t <= until]
        after_until = [(i, t) for i, t in posts if t > until]
        known = (lo[0], hi[0])
        if before_until:
            lo = max(lo, before_until[-1], key=lambda anchor: anchor[0])
        if after_until:
            hi = min(hi, after_until[0], key=lambda anchor: anchor[0])
        if (before_until and after_until) or known == (lo[0], hi[0]):
            break  # this page holds the window's end, or only deleted ids lie between
    return hi[0]


async def search_channel(
    http: HTTPClient,
    channel: str,
    keywords: Sequence[str],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    synonyms: Sequence[str] = (),
    max_pages: int = 30,
    max_seconds: float = 120.0,
    source: ChannelHistory | None = None,
) -> ChannelSearch:
    """Posts of `channel` between `since` and `until` (UTC, inclusive) whose text holds a
    keyword or a synonym, earliest first. Failures end the search with `stopped`
    "error" and the reason; matches found until then are kept."""
    terms = list(dict.fromkeys(t.strip() for t in [*keywords, *synonyms] if t.strip()))
    if not terms:
        raise InputError("a channel search needs at least one keyword")
    if since and until and since > until:
        raise InputError("the search window ends before it starts")
    source = source or history_source()
    result = ChannelSearch(channel=channel, terms=terms)
    budget = _Budget(max_pages, max_seconds)
    found: dict[int, Match] = {}
    try:
        page = await source.history_page(channel, None, http)
        budget.pages += 1
        result.title = page.title
        if until is not None:
            start = await _locate(source, channel, http, page, until, budget)
            if start is not None and budget.exhausted() is None:
                page = await source.history_page(channel, start, http)
                budget.pages += 1
        while True:
            for post in page.posts:
                when = post.published_at
                if when is not None:
                    if result.oldest_seen is None or when < result.oldest_seen:
                        result.oldest_seen = when
                    if (since and when < since) or (until and when > until):
                        continue
                terms_found = matching_terms(post.text, terms)
                if terms_found:
                    found[post.post_id] = Match(post, terms_found)
            dated = [p.published_at for p in page.posts if p.published_at is not None]
            if since is not None and dated and min(dated) < since:
                result.stopped = "window"
                break
            if page.older is None:
                result.stopped = "start"
                break
            spent = budget.exhausted()
            if spent:
                result.stopped = spent
                break
            page = await source.history_page(channel, page.older, http)
            budget.pages += 1
    except TracerError as exc:
        result.stopped, result.error = "error", str(exc) or type(exc).__name__
    result.pages = budget.pages
    result.matches = sorted(
        found.values(),
        key=lambda m: (m.post.published_at is None, m.post.published_at or 0, m.post.post_id),
    )
    return result
