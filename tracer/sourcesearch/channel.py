"""A channel named in the prose ("citing the Telegram channel GREY ZONE"): which post.

The channel's public history is read over the window (tracer.sourcesearch.channel_history) for posts
holding the claim's words; each match is scored like an outlet's page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tracer.plugins.platform import ChannelHistory
from tracer.sourcesearch.candidate import Scored, SearchOutcome
from tracer.sourcesearch.channel_history import search_channel
from tracer.sourcesearch.claim import Claim
from tracer.sourcesearch.settings import SearchSettings

if TYPE_CHECKING:
    from tracer.http.client import HTTPClient

METHOD = "channel-search"


async def search_channel_posts(
    handle: str,
    claim: Claim,
    http: HTTPClient,
    settings: SearchSettings,
    source: ChannelHistory | None = None,
) -> SearchOutcome:
    """Candidate posts of the channel `handle` for `claim`, best first."""
    outcome = SearchOutcome(METHOD)
    window = claim.window
    if window is None or window.start is None or window.end is None:
        outcome.status, outcome.reason = (
            "skipped",
            "the citing document has no date to search around",
        )
        return outcome
    if not claim.terms:
        outcome.status, outcome.reason = "skipped", "no words to search by (use --keywords)"
        return outcome
    result = await search_channel(
        http,
        handle,
        claim.terms,
        since=window.start,
        until=window.end - timedelta(seconds=1),
        max_pages=settings.channel_pages,
        max_seconds=settings.channel_seconds,
        source=source,
    )
    outcome.queries = result.pages
    if result.error is not None:
        outcome.status = "error" if not result.matches else "searched"
        outcome.reason = f"the channel's history could not be read: {result.error}"
    elif result.stopped in ("pages", "time"):
        outcome.reason = f"stopped early: {result.stopped} budget spent"
    for match in result.matches:
        post = match.post
        score, found = claim.text_score(post.text)
        factor, dated = claim.date_factor(post.published_at)
        reason = f"holds {', '.join(found)}; {dated}"
        if post.forwarded_from:
            reason += f"; forwarded from {post.forwarded_from}"
        outcome.candidates.append(
            Scored(post.url, round(score * factor, 3), METHOD, reason, post.published_at)
        )
    outcome.candidates.sort(key=lambda s: (-s.score, s.url))
    return outcome
