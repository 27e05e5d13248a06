"""One check's answer in, one outcome word out. No I/O here: everything is observed first.

What the anchors teach is encoded here: InternetArchiveBot treats a redirect to the site
root or to a URL that says 404/notfound as dead; X and many CMSs answer 200 for pages
that do not exist, so a 200 is only "alive" once it does not read like an error page
and does not look like the host's answer to a path that cannot exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracer.errors import (
    BlockedAddressError,
    ConnectError,
    ConnectionBrokenError,
    DNSError,
    NetworkError,
    RedirectError,
    TimeoutError_,
    TLSError,
)
from tracer.linkrot.maintext import distance, reads_not_found, reads_walled
from tracer.linkrot.outcomes import HEALTHY, Outcome
from tracer.urls import split_cached

PERMANENT_REDIRECTS = frozenset({301, 308})
_NOT_FOUND_URL = re.compile(r"(/404\b|\b404\.html?|not-?found|page-?not-?found|error404)", re.I)
_LOGIN_URL = re.compile(
    r"/(login|log-in|signin|sign-in|sign_in|auth|accounts?/login|consent)\b", re.I
)
#: two pages this close (of 64 bits) are the same template with the same text
SAME_PAGE_BITS = 3


@dataclass
class HostProbe:
    """How a host answers a path that cannot exist on it."""

    status_code: int | None
    final_url: str | None
    fingerprint: str | None


@dataclass
class Observation:
    """Everything one check saw of a link."""

    url: str
    method: str = "GET"
    status_code: int | None = None
    final_url: str | None = None
    history: list[tuple[str, int]] = field(default_factory=list)
    content_type: str = ""
    title: str = ""
    text: str = ""
    fingerprint: str | None = None
    error: NetworkError | None = None
    #: what the page's text says, when it was read elsewhere (None: judge `text` here)
    reads_as_not_found: bool | None = None
    reads_as_wall: bool | None = None

    def walled(self) -> bool:
        """Whether the page is a captcha or login wall in front of the content."""
        if self.reads_as_wall is not None:
            return self.reads_as_wall
        return reads_walled(self.title, self.text)

    def not_found(self) -> bool:
        """Whether the page says "not found" in so many words."""
        if self.reads_as_not_found is not None:
            return self.reads_as_not_found
        return reads_not_found(self.title, self.text)


def classify(
    seen: Observation,
    previous_fingerprint: str | None = None,
    probe: HostProbe | None = None,
    change_threshold_bits: int = 6,
) -> Outcome:
    if seen.error is not None:
        return _error_outcome(seen.error)
    status = seen.status_code or 0
    if status == 429:
        return Outcome.RATE_LIMITED
    if status in (401, 403, 407, 451):
        return Outcome.BLOCKED
    if status in (404, 410):
        return Outcome.NOT_FOUND
    if status == 408:
        return Outcome.TIMEOUT
    if status >= 500:
        return Outcome.SERVER_ERROR
    if status >= 400:
        return Outcome.NOT_FOUND  # the server refuses this URL as asked
    if status == 304:
        return Outcome.ALIVE  # unchanged since the validators we sent
    final = seen.final_url or seen.url
    if seen.history:
        if _is_root(final) and not _is_root(seen.url):
            return Outcome.MOVED_TO_UNRELATED
        if _NOT_FOUND_URL.search(split_cached(final).path + "?" + split_cached(final).query):
            return Outcome.SOFT_404
        if _LOGIN_URL.search(split_cached(final).path) and not _LOGIN_URL.search(
            split_cached(seen.url).path
        ):
            return Outcome.BLOCKED
        if not equivalent(seen.url, final):
            return Outcome.MOVED_TO_UNRELATED
    if seen.method == "GET" and _is_html(seen.content_type):
        if seen.walled():
            return Outcome.BLOCKED
        if seen.not_found():
            return Outcome.SOFT_404
        if probe is not None and _like_probe(seen, probe):
            return Outcome.SOFT_404
        if (
            previous_fingerprint
            and seen.fingerprint
            and distance(previous_fingerprint, seen.fingerprint) > change_threshold_bits
        ):
            return Outcome.CONTENT_CHANGED
    if seen.history and any(code in PERMANENT_REDIRECTS for _, code in seen.history):
        return Outcome.REDIRECTED
    return Outcome.ALIVE


def against_probe(seen: Observation, outcome: Outcome, probe: HostProbe) -> Outcome:
    """A healthy outcome of `classify(seen, ...)` once the host's probe is known.

    The same as classifying again with the probe, without reading the page twice: of
    classify's steps only the probe comparison can turn a healthy page into a soft-404.
    """
    if (
        outcome in HEALTHY
        and seen.method == "GET"
        and _is_html(seen.content_type)
        and _like_probe(seen, probe)
    ):
        return Outcome.SOFT_404
    return outcome


def _error_outcome(error: NetworkError) -> Outcome:
    if isinstance(error, DNSError):
        return Outcome.DNS_GONE
    if isinstance(error, TLSError):
        return Outcome.TLS_ERROR
    if isinstance(error, TimeoutError_):
        return Outcome.TIMEOUT
    if isinstance(error, BlockedAddressError):
        return Outcome.BLOCKED  # the link points where tracer may not go
    if isinstance(error, RedirectError):
        return Outcome.SERVER_ERROR  # a loop is the server's misconfiguration, often brief
    if isinstance(error, (ConnectError, ConnectionBrokenError)):
        return Outcome.CONNECTION_FAILED
    return Outcome.CONNECTION_FAILED


def _is_html(content_type: str) -> bool:
    return content_type in ("text/html", "application/xhtml+xml") or not content_type


def _like_probe(seen: Observation, probe: HostProbe) -> bool:
    if probe.status_code is None or not 200 <= probe.status_code < 300:
        return False  # the host answers impossible paths honestly
    if _is_root(seen.url):
        return False
    final = seen.final_url or seen.url
    if seen.history and probe.final_url and _norm(final) == _norm(probe.final_url):
        return True  # the link and the impossible path land on the same page
    return bool(
        probe.fingerprint
        and seen.fingerprint
        and distance(probe.fingerprint, seen.fingerprint) <= SAME_PAGE_BITS
    )


def _is_root(url: str) -> bool:
    parts = split_cached(url)
    return parts.path in ("", "/") and not parts.query


def _host(url: str) -> str:
    host = (split_cached(url).hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.")


def _norm(url: str) -> str:
    parts = split_cached(url)
    path = parts.path.rstrip("/").lower()
    return f"{_host(url)}{path}?{parts.query}" if parts.query else f"{_host(url)}{path}"


def _slug(url: str) -> str:
    segments = [s for s in split_cached(url).path.split("/") if s]
    return segments[-1].lower() if segments else ""


def _site(host: str) -> str:
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def equivalent(original: str, final: str) -> bool:
    """Whether `final` is the same resource as `original` at a new address.

    http->https, www., trailing slashes and case are the same URL; a new domain or a new
    section keeping the same path or slug is a move of the same page; anything else
    (a category page, another article) is not.
    """
    if _norm(original) == _norm(final):
        return True
    a, b = split_cached(original), split_cached(final)
    path_a, path_b = a.path.rstrip("/").lower(), b.path.rstrip("/").lower()
    if path_a and path_a == path_b:
        return True  # the site moved domains, keeping its paths
    slug_a, slug_b = _slug(original), _slug(final)
    if len(slug_a) >= 6 and slug_a == slug_b:
        return True  # same article slug in a reorganised section or on a new domain
    same_site = _site(_host(original)) == _site(_host(final))
    # a longer path on the same site that starts where the old one was: /post/123 ->
    # /post/123-title-of-the-post (slugs appended to ids)
    return bool(same_site and path_a and path_b.startswith(path_a) and len(path_b) > len(path_a))
