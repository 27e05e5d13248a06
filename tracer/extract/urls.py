"""What a URL points at, judged from its shape alone: platform, kind, handle, post id.

Extraction needs a platform hint and a kind guess for every link without asking the
network; the platform adapters later resolve the same URL properly.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from tracer.plugins.platform import LinkParts, LinkShape, LinkShapes
from tracer.store.model import NodeKind

#: the top-level domains a host named in prose without its scheme ends in ("novinky.cz/...",
#: "iROZHLAS.cz", "wPolityce.pl")
TLDS = r"(?:com|org|net|info|news|ru|ua|pl|de|fr|es|it|uk|io|me|tv|co|eu|gov|edu|int|by|kz|am|ge|at|ch|nl|be|cz|sk|lt|lv|ee|md|ro|hu|online|site|media|press)"

if TYPE_CHECKING:
    from collections.abc import Mapping

_SHARE_PATHS = re.compile(
    r"/(?:intent|share|sharer|sharing|dialog/share)(?:[/.?]|$)|/sharer\.php|/share\.php",
    re.IGNORECASE,
)
_TWITTER_EPOCH_MS = 1288834974657


def _host(url: str) -> str:
    # string slicing, not urlsplit: pages hold hundreds of links and this runs on each
    rest = url.partition("://")[2] if "://" in url[:12] else url.removeprefix("//")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return host.partition("]")[0].lstrip("[").lower()
    host = host.split(":", 1)[0].lower().rstrip(".")
    return host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")


def with_scheme(url: str) -> str:
    return url if "://" in url[:12] else f"https://{url}"


def is_share_link(url: str) -> bool:
    """Share buttons ("tweet this", "share on Facebook") are the page's chrome."""
    host = _host(url)
    if host in {"wa.me", "api.whatsapp.com", "telegram.me"} and "share" in url:
        return True
    return bool(_SHARE_PATHS.search(urlsplit(url).path)) or (host == "t.me" and "/share" in url)


def snowflake_time(post_id: str) -> datetime | None:
    """The creation time encoded in an X/Twitter status id (ids after late 2010)."""
    if not post_id.isdigit() or len(post_id) < 15:
        return None
    milliseconds = (int(post_id) >> 22) + _TWITTER_EPOCH_MS
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def classify(url: str) -> LinkShape:
    """Platform, kind and ids of `url` (scheme optional), as the adapter of its host says;
    a link to any other host is a web page."""
    url = with_scheme(url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return LinkShape("web", NodeKind.PAGE, url)
    host = _host(url)
    adapter = _link_hosts().get(host)
    if adapter is None:
        return LinkShape("web", NodeKind.PAGE, url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    return adapter.shape(LinkParts(url, host, parts, segments))


def _link_hosts() -> Mapping[str, LinkShapes]:
    global _HOSTS
    if _HOSTS is None:
        # imported on the first link, not with extraction: text-only runs load no adapter
        from tracer.plugins.installed import link_hosts

        _HOSTS = link_hosts()
    return _HOSTS


_HOSTS: Mapping[str, LinkShapes] | None = None


def site_host(url: str) -> str:
    """The host a link's site is known by: lower case, without `www.`, `m.` or `mobile.`."""
    return _host(with_scheme(url))


def handle_matches_outlet(handle: str, outlet: str | None, host: str | None) -> bool:
    """Whether an account handle is the outlet's own ("report24news" on report24.news)."""
    key = re.sub(r"[\W_]", "", handle).casefold()
    if len(key) < 3:
        return False
    candidates: list[str] = []
    if outlet:
        candidates.append(re.sub(r"[\W_]", "", outlet).casefold())
    if host:
        labels = host.split(".")
        candidates.append(re.sub(r"[\W_]", "", host).casefold())
        candidates.append("".join(labels[:-1]).casefold())
        candidates.append(labels[0].casefold())
    return any(
        c and (key == c or key.startswith(c) or c.startswith(key)) and min(len(c), len(key)) >= 3
        for c in candidates
    )
