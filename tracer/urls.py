"""URL normalisation for identities: tracking parameters out, one spelling per address.

A URL copied from an app carries who shared it and from where (`utm_*`, `fbclid`,
`igshid`, `?s=20&t=…` on X, `si=` on YouTube); none of it names a different thing, so
two copies of one post must clean to one URL. `ural` knows most of the tracking
parameters of the web; the platform-specific ones it keeps (because on some other site
the same key means something) are dropped here only on the hosts where they are junk.

Paths keep their case: t.co codes, YouTube ids and Instagram shortcodes are
case-sensitive. Only the scheme and host are lowered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

#: keys that are tracking on every site, beyond what ural already strips
TRACKING_KEYS = frozenset(
    {
        "igsh",  # Instagram's newer share id
        "ref_src",  # X embeds: "twsrc^tfw"
        "ref_url",
        "mibextid",
        "rdid",
        "share_url",
        "_rdc",
        "_rdr",
        "__tn__",
        "wtsid",
        "cmpid",
        "ocid",
        "smid",
        "spm",
        "rcm",
    }
)
#: key patterns that are tracking on every site
TRACKING_PATTERNS = (re.compile(r"^(?:utm|mtm|pk|hsa|vero)_", re.I), re.compile(r"^__cft__", re.I))

#: keys that are junk only on some hosts (elsewhere `s`, `t` or `si` may name content)
HOST_TRACKING_KEYS: dict[str, frozenset[str]] = {
    "twitter.com": frozenset({"s", "t", "src", "lang", "cxt"}),
    "x.com": frozenset({"s", "t", "src", "lang", "cxt"}),
    "youtube.com": frozenset({"si", "pp", "feature", "ab_channel", "app", "embeds_referring_euri"}),
    "youtu.be": frozenset({"si", "feature"}),
    "tiktok.com": frozenset(
        {
            "is_from_webapp",
            "sender_device",
            "web_id",
            "_r",
            "_t",
            "lang",
            "q",
            "refer",
            "referer_url",
            "referer_video_id",
            "is_copy_url",
            "u_code",
            "preview_pb",
            "_d",
            "timestamp",
            "user_id",
            "share_app_id",
            "share_item_id",
            "share_link_id",
            "social_sharing",
            "source",
            "checksum",
            "tt_from",
            "sec_uid",
            "enter_from",
        }
    ),
    "instagram.com": frozenset({"img_index", "hl", "taken-by", "utm_medium"}),
    "facebook.com": frozenset(
        {
            "sfnsn",
            "extid",
            "ref",
            "hc_ref",
            "comment_tracking",
            "paipv",
            "notif_id",
            "notif_t",
            "mibextid",
            "rdid",
            "app",
            "__xts__[0]",
        }
    ),
    "vk.com": frozenset({"from"}),
}

_SAME_SITE_PREFIXES = frozenset({"www", "www2", "m", "mobile", "web", "mbasic"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
#: `mailto:x`, `tg:resolve` but not `example.org:8080/` (a host and port)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.I)


@dataclass(frozen=True)
class URLParts:
    """A URL taken apart the way platform adapters look at it."""

    scheme: str
    host: str  # lower case, without port
    path: str  # as given (case kept), percent-decoded
    query: list[tuple[str, str]] = field(default_factory=list)
    fragment: str = ""

    @property
    def bare_host(self) -> str:
        """The host without the subdomains that never change what a URL names."""
        return strip_subdomains(self.host)

    @property
    def segments(self) -> list[str]:
        return [segment for segment in self.path.split("/") if segment]

    def arg(self, name: str) -> str | None:
        for key, value in self.query:
            if key == name:
                return value
        return None


#: links in flight at once in a large run, with room to spare
CACHED_SPLITS = 4096


@lru_cache(maxsize=CACHED_SPLITS)
def split_cached(url: str) -> SplitResult:
    """`urllib.parse.urlsplit(url)`, remembered for the most recent URLs.

    A checked link is split by the scheduler (its host), the wire (its target), the visit
    (its probe) and the classification (its path), with hundreds of other links' splits in
    between: too far apart for urllib's own cache of 128, so each look split it again.
    """
    return urlsplit(url)


def host_of(url_or_host: str) -> str:
    """The lower-case host of a URL, or of a bare host name with or without a path
    ('' when there is none: a relative path, an empty string, a malformed URL)."""
    if "://" not in url_or_host and not url_or_host.startswith("/"):
        url_or_host = "//" + url_or_host.strip()
    try:
        host = split_cached(url_or_host).hostname
    except ValueError:
        return ""
    return (host or "").rstrip(".").lower()


def joined_url(base: str, reference: str) -> str | None:
    """`reference` (an href, a src, a Location header) resolved against `base`; None when it
    cannot be parsed ("http://x.com[": an unclosed IPv6 bracket), as pages and servers send."""
    try:
        return urljoin(base, reference)
    except ValueError:
        return None


def ensure_scheme(url: str) -> str:
    """`pic.twitter.com/x` as people paste it becomes `https://pic.twitter.com/x`."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if _SCHEME.match(url) or _OTHER_SCHEME.match(url):
        return url  # mailto:, tg:, javascript: stay what they are (and are refused later)
    return "https://" + url


def split_url(url: str) -> URLParts | None:
    """The parts of `url` (scheme added when missing), or None when it has no host."""
    try:
        parts = urlsplit(ensure_scheme(url))
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in ("http", "https"):
        return None
    return URLParts(
        scheme=parts.scheme.lower(),
        host=host,
        path=unquote(parts.path),
        query=parse_qsl(parts.query, keep_blank_values=True),
        fragment=parts.fragment,
    )


def strip_subdomains(host: str) -> str:
    """`www.`, `m.`, `mobile.`, `web.`, `mbasic.` name the same site as the bare host."""
    host = host.lower()
    while True:
        head, _, rest = host.partition(".")
        if head in _SAME_SITE_PREFIXES and "." in rest:
            host = rest
            continue
        return host


def _site_of(host: str) -> str:
    """The key of HOST_TRACKING_KEYS for `host`: its registered domain when known."""
    host = strip_subdomains(host)
    for site in HOST_TRACKING_KEYS:
        if host == site or host.endswith("." + site):
            return site
    return host


def is_tracking_parameter(key: str, value: str = "", host: str = "") -> bool:
    """Whether the query item `key=value` only says who shared the URL, not what it names."""
    lowered = key.lower()
    if lowered in TRACKING_KEYS or any(pattern.match(lowered) for pattern in TRACKING_PATTERNS):
        return True
    if lowered in HOST_TRACKING_KEYS.get(_site_of(host), frozenset()):
        return True
    # imported on first use: importing ural compiles its URL patterns and suffix list,
    # a fifth of an offline trace's start, and most URLs carry no query at all
    from ural.normalize_url import should_strip_query_item

    return bool(should_strip_query_item((key, value)))


def strip_tracking(url: str, keep: Iterable[str] = ()) -> str:
    """`url` without its tracking query items; every other part untouched."""
    kept_keys = set(keep)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    items = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key in kept_keys or not is_tracking_parameter(key, value, host)
    ]
    return urlunsplit(parts._replace(query=urlencode(items, doseq=True)))


def clean_url(url: str, *, keep_fragment: bool = False) -> str:
    """One spelling of `url`: https-or-http scheme and host lower case, default port and
    tracking parameters gone, empty path as `/`, fragment dropped unless asked for.

    Raises ValueError when `url` is not a web URL.
    """
    parts = urlsplit(ensure_scheme(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"not a web URL: {url!r}")
    netloc = host if ":" not in host else f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_parameter(key, value, host)
        ]
    )
    return urlunsplit((scheme, netloc, path, query, parts.fragment if keep_fragment else ""))


__all__ = [
    "HOST_TRACKING_KEYS",
    "TRACKING_KEYS",
    "URLParts",
    "clean_url",
    "ensure_scheme",
    "host_of",
    "is_tracking_parameter",
    "split_cached",
    "split_url",
    "strip_subdomains",
    "strip_tracking",
]
