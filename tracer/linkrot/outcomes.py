"""The words one check can end in, and what each means for a link's life.

The words are the JSON contract (`check --json`), so they are spelled exactly once here.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    ALIVE = "alive"
    REDIRECTED = "redirected"
    MOVED_TO_UNRELATED = "moved-to-unrelated"
    NOT_FOUND = "not-found"
    SOFT_404 = "soft-404"
    DNS_GONE = "dns-gone"
    CONNECTION_FAILED = "connection-failed"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls-error"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate-limited"
    SERVER_ERROR = "server-error"
    CONTENT_CHANGED = "content-changed"
    POST_DELETED = "post-deleted"
    ACCOUNT_SUSPENDED = "account-suspended"
    CHANNEL_PRIVATE = "channel-private"
    VIDEO_UNAVAILABLE = "video-unavailable"


#: the link answers with its content (perhaps moved, perhaps edited): a dying streak ends
HEALTHY = frozenset({Outcome.ALIVE, Outcome.REDIRECTED, Outcome.CONTENT_CHANGED})

#: the server or platform says the content is gone: counts toward a confirmed death
FAILURES = frozenset(
    {
        Outcome.NOT_FOUND,
        Outcome.SOFT_404,
        Outcome.MOVED_TO_UNRELATED,
        Outcome.DNS_GONE,
        Outcome.TLS_ERROR,
        Outcome.POST_DELETED,
        Outcome.ACCOUNT_SUSPENDED,
        Outcome.CHANNEL_PRIVATE,
        Outcome.VIDEO_UNAVAILABLE,
    }
)

#: we could not tell (the host was slow, busy, refusing us or broken for a moment):
#: neither counts toward death nor ends a dying streak
TRANSIENT = frozenset(
    {
        Outcome.CONNECTION_FAILED,
        Outcome.TIMEOUT,
        Outcome.BLOCKED,
        Outcome.RATE_LIMITED,
        Outcome.SERVER_ERROR,
    }
)

#: states only a platform adapter can tell, since the page itself often answers 200
PLATFORM_STATES = frozenset(
    {
        Outcome.POST_DELETED,
        Outcome.ACCOUNT_SUSPENDED,
        Outcome.CHANNEL_PRIVATE,
        Outcome.VIDEO_UNAVAILABLE,
    }
)

assert set(Outcome) == HEALTHY | FAILURES | TRANSIENT
