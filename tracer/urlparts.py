"""URLs split once per link, however many steps look at their parts.

A checked link is split by the scheduler (its host), the wire (its target), the visit
(its probe) and the classification (its path), with hundreds of other links' splits in
between: too far apart for urllib's own cache of 128, so each look split it again.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

#: links in flight at once in a large run, with room to spare
CACHED = 4096


@lru_cache(maxsize=CACHED)
def split_url(url: str) -> SplitResult:
    """`urllib.parse.urlsplit(url)`, remembered for the most recent URLs."""
    return urlsplit(url)


def host_of(url: str) -> str:
    """The URL's host name, lower-cased ('' when it has none)."""
    return (split_url(url).hostname or "").lower()


__all__ = ["host_of", "split_url"]
