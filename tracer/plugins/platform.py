"""The platform-adapter protocol and the registry that finds adapters.

A platform adapter knows one platform's URLs and public endpoints: it turns a URL into
an `Identity` offline (`parse`) and, when the network is allowed, fills in what only the
platform can tell (`enrich`). The core never imports a specific adapter: built-in ones
and third-party ones are found through the `tracer.adapters` entry-point group.

Besides the two required methods, an adapter may offer what extraction and the registry
need to know of its platform without the network, each an optional protocol below:
- `LinkShapes`: its hosts, and the shape of a link to them (post, account, page) as the
  links in an article are read;
- `EmbedReader`: the markup a publisher pastes to embed one of its posts;
- `Profiles`: how its accounts are addressed (profile URL, handle pattern, the names people
  call the platform by);
- `ProseNames`: the names news prose gives the platform in each language.
An adapter that can page through a channel's public history also implements
`ChannelHistory`, which lets `search-channel` and source search read its channels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable
from urllib.parse import SplitResult, urlsplit, urlunsplit

from tracer.errors import TracerError
from tracer.plugins.loader import PLATFORMS, build_all

if TYPE_CHECKING:
    import re

    from lxml.html import HtmlElement

    from tracer.extract.cues import Lexicon
    from tracer.extract.page import ParsedPage
    from tracer.http.client import Fetched, HTTPClient
from tracer.store.model import Dating, NodeKind, NodeStatus, Precision, Published, Relation
from tracer.urls import joined_url


class Availability(StrEnum):
    """What a platform says of content it no longer shows. Only the platform can tell:
    the page of a deleted post often still answers 200. The values are the link-rot
    outcomes of the same names."""

    POST_DELETED = "post-deleted"
    ACCOUNT_SUSPENDED = "account-suspended"
    CHANNEL_PRIVATE = "channel-private"
    VIDEO_UNAVAILABLE = "video-unavailable"


@dataclass
class Identity(Published):
    """Who or what a URL is on its platform, as far as is known. Its publication time is
    read and set as one Dating value (`dating`, `dated`), as a Node's is."""

    platform: str
    kind: NodeKind
    canonical_url: str
    url: str | None = None  # the URL as it was given
    platform_id: str | None = None
    handle: str | None = None
    name: str | None = None
    published_at: datetime | None = None  # always UTC
    published_at_method: str | None = None  # e.g. "snowflake-id", "t.me-post-time"
    precision: Precision | None = None
    status: NodeStatus = NodeStatus.OFFLINE
    error: str | None = None
    #: set by `enrich` when the platform says the content is gone or closed
    availability: Availability | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    #: nodes this one points at by its own nature: the quoted tweet, the forwarded-from post
    related: list[Related] = field(default_factory=list)
    #: the page `enrich` fetched and parsed, never stored: a trace that follows the page
    #: builds its Document from this parse rather than fetching and parsing it again
    page: ParsedPage | None = field(default=None, repr=False, compare=False)

    def fail(self, reason: str) -> Identity:
        """Mark the identity as one the platform could not confirm, and say why."""
        self.status = NodeStatus.ERROR
        self.error = reason
        return self

    def gone(self, availability: Availability, reason: str) -> Identity:
        """Mark the identity as content the platform no longer shows, and say why."""
        self.availability = availability
        return self.fail(reason)


@dataclass
class Related:
    """A provenance link an adapter found, e.g. a Telegram post forwarded from another."""

    relation: Relation
    identity: Identity
    evidence: str | None = None


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def answer_reason(fetched: Fetched, what: str) -> str:
    """Why a platform's answer is not the one asked for, in one line: the status, and for
    a 429 the Retry-After it gave."""
    if fetched.status_code == 429:
        after = fetched.headers.get("retry-after")
        return (
            f"{what} rate-limited the request (HTTP 429{', Retry-After ' + after if after else ''})"
        )
    return f"{what} answered HTTP {fetched.status_code}"


async def follow_short_link(identity: Identity, http: HTTPClient, what: str) -> str | None:
    """Where a share or short link (fb.watch, vk.cc, instagram /share/...) leads: the one
    redirect it answers with, recorded as `expanded_url`. Any other answer marks the
    identity failed and gives None."""
    try:
        fetched = await http.fetch(identity.canonical_url, follow_redirects=False)
    except TracerError as exc:
        identity.fail(str(exc))
        return None
    location = fetched.headers.get("location")
    if fetched.status_code not in REDIRECT_STATUSES or not location:
        identity.fail(f"the {what} answered HTTP {fetched.status_code}, not a redirect")
        return None
    identity.attributes["expanded_url"] = location
    return location


async def expand_short_link(
    identity: Identity,
    http: HTTPClient,
    no_endpoint: str,
    what: str,
    lands_on: Callable[[str], Identity | str],
) -> Identity:
    """Enrichment for platforms with no public endpoint (Facebook, Instagram, VK): a short
    or share link (`what`) is followed one hop, to what `lands_on` makes of its target (an
    identity, or why it is not one); anything else keeps the offline identity and says, in
    `enrichment`, that the platform offers nothing more."""
    result = replace(identity, attributes=dict(identity.attributes), related=list(identity.related))
    if "short_code" not in result.attributes:
        if "expanded_url" not in result.attributes:
            result.attributes["enrichment"] = no_endpoint
        return result
    location = await follow_short_link(result, http, what)
    if location is None:
        return result
    target = lands_on(location)
    if isinstance(target, str):
        return result.fail(target)
    result.related.append(
        Related(Relation.REDIRECTS_TO, target, evidence=f"{result.canonical_url} -> {location}")
    )
    result.status = NodeStatus.RESOLVED
    return result


async def expand_share_link(
    adapter: PlatformAdapter, identity: Identity, http: HTTPClient, no_endpoint: str
) -> Identity:
    """`expand_short_link` for a share link, which stands for one of the platform's posts."""

    def post_at(location: str) -> Identity | str:
        target = adapter.parse(location)
        if target is None or target.kind == NodeKind.PAGE:
            # logged-out visitors are often sent to the login page instead of the post
            return f"the share link leads to {location}, not a post"
        target.attributes["enrichment"] = no_endpoint
        return target

    return await expand_short_link(identity, http, no_endpoint, "share link", post_at)


@runtime_checkable
class PlatformAdapter(Protocol):
    """What every platform module in adapters/ implements."""

    #: the platform's name as stored in Node.platform, e.g. "x", "telegram"
    name: ClassVar[str]

    def parse(self, url: str) -> Identity | None:
        """The identity of `url` from the URL alone, or None when it is not this platform's."""
        ...

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        """Ask the platform. Never raises for the platform's answers: an error sets
        `status` to error and `error` to the reason."""
        ...


# -- what an adapter may tell offline ----------------------------------------------------


@dataclass(slots=True, frozen=True)
class LinkShape:
    """What a link points at, judged from its shape alone: platform, kind, handle, post id."""

    platform: str
    kind: NodeKind
    url: str
    handle: str | None = None
    post_id: str | None = None


@dataclass(slots=True, frozen=True)
class LinkParts:
    """A link as extraction splits it once for every platform to look at."""

    url: str  # with a scheme
    host: str  # lower case, without www., m. or mobile.
    split: SplitResult
    segments: list[str]  # the path's non-empty segments, percent-decoded

    def bare(self) -> str:
        """The URL without its query and fragment."""
        parts = self.split
        return urlunsplit((parts.scheme or "https", parts.netloc, parts.path, "", ""))


@runtime_checkable
class LinkShapes(Protocol):
    """An adapter that knows its platform's links in an article."""

    #: the hosts it serves, lower case, without www., m. or mobile.
    hosts: ClassVar[frozenset[str]]

    def shape(self, link: LinkParts) -> LinkShape:
        """The shape of a link to one of `hosts` (a PAGE of the platform at least)."""
        ...


@dataclass
class Embedded:
    """A post embedded in a page's markup, as the platform's adapter read it."""

    platform: str
    url: str | None
    #: how it was embedded, e.g. "embed-x" (the extractor recorded on the reference)
    form: str
    kind: NodeKind = NodeKind.POST
    handle: str | None = None
    post_id: str | None = None
    text: str | None = None
    name: str | None = None
    display_name: str | None = None
    dating: Dating | None = None
    attachments: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, shape: LinkShape, form: str) -> Embedded:
        """The embed of a post whose link has `shape` (a page of the platform counts as
        a post: it is what the publisher embedded)."""
        kind = shape.kind if shape.kind != NodeKind.PAGE else NodeKind.POST
        return cls(shape.platform, shape.url, form, kind, shape.handle, shape.post_id)


@dataclass(frozen=True)
class EmbedPage:
    """What an embed reader may need of the page: its address and its language's cues.

    A reader adds the links inside an embed to `inner_hrefs`: they are the embedded
    post's own links, not the article's, and the link pass skips them.
    """

    base: str | None
    lexicon: Lexicon
    inner_hrefs: set[str] = field(default_factory=set)

    def absolute(self, href: str) -> str:
        return joined_url(self.base or "", href) or ""

    def frame(self, element: HtmlElement) -> tuple[str, str] | None:
        """The absolute address an iframe loads, lazy-loading attributes included, and its
        lower-case host; None when it names none."""
        src = element.get("src") or element.get("data-src") or element.get("data-lazy-src") or ""
        if not src:
            return None
        src = self.absolute(src.strip()) if not src.startswith("//") else f"https:{src}"
        return src, (urlsplit(src).hostname or "").lower()

    def player(self, element: HtmlElement, hosts: str | tuple[str, ...], marker: str) -> str | None:
        """The absolute address an iframe loads when it is one of a platform's players: its
        host ends with one of `hosts` and the address holds `marker` ("/embed/")."""
        frame = self.frame(element)
        if frame is None:
            return None
        src, host = frame
        return src if host.endswith(hosts) and marker in src else None


def has_class(element: HtmlElement, *names: str) -> bool:
    """Whether `element`'s class attribute holds one of `names` as a whole word: an embed
    path's XPath `contains(@class, ...)` selects `twitter-tweet-rendered` too."""
    return not set(names).isdisjoint((element.get("class") or "").split())


def squeeze(value: str | None) -> str | None:
    """Text from markup with its runs of white space made one space; None when empty."""
    if not value:
        return None
    text = " ".join(value.split())
    return text or None


@runtime_checkable
class EmbedReader(Protocol):
    """An adapter that reads its platform's embeds from a page's markup."""

    #: the elements that may hold one of its embeds, each an XPath `.//TAG[...]` from the
    #: page's root (".//blockquote[contains(@class, 'twitter-')]", ".//iframe"): lxml
    #: selects them in C, so a page's hundreds of divs and scripts never reach Python.
    #: `read_embed` is given every element of its tags the readers' paths select.
    embed_paths: ClassVar[tuple[str, ...]]

    def read_embed(self, element: HtmlElement, page: EmbedPage) -> list[Embedded]:
        """The posts `element` embeds (none when it is not one of this platform's)."""
        ...


@dataclass(frozen=True)
class Profile:
    """How a platform's accounts are addressed."""

    url: str  # the profile URL, with {handle}
    handle: re.Pattern[str]  # the usernames the platform accepts
    #: what people call the platform besides its name ("twitter" for x, "tg" for telegram)
    aliases: tuple[str, ...] = ()


@runtime_checkable
class Profiles(Protocol):
    """An adapter whose platform has accounts with handles."""

    profile: ClassVar[Profile]


@runtime_checkable
class ProseNames(Protocol):
    """An adapter that tells how news prose names its platform, so that extraction reads
    "in a post on Telegram" or "на каналі в Телеграмі" as where a source posted, and never
    takes the platform's name for a source."""

    #: language code ("en", "ru") -> the names prose in that language gives the platform,
    #: with the forms it inflects or compounds ("Telegramie", "Telegram'da", "Telegramkanal");
    #: "*" -> the names every language writes ("Telegram")
    prose: ClassVar[Mapping[str, tuple[str, ...]]]


def load_adapters() -> list[PlatformAdapter]:
    """Every installed platform adapter, most specific first, the generic web one last."""
    found = build_all(PLATFORMS, PlatformAdapter)
    # the generic web adapter accepts every URL, so it must be asked last
    found.sort(key=lambda adapter: adapter.name == "web")
    return found


# -- channel histories -----------------------------------------------------------------


class HistoryUnavailable(TracerError):
    """The channel's history cannot be read (no public preview, unknown, rate limited)."""


@dataclass
class ChannelPost:
    """A post as a history page lists it."""

    url: str
    post_id: int
    published_at: datetime | None
    text: str
    author: str | None = None
    forwarded_from: str | None = None


@dataclass
class HistoryPage:
    """One page of a channel's history: some posts, and the cursor to the older ones."""

    posts: list[ChannelPost]
    older: int | None  # pass as `before` for the next older page; None: nothing older
    title: str | None = None


@runtime_checkable
class ChannelHistory(Protocol):
    """What a platform adapter implements to let its channels be searched."""

    name: ClassVar[str]

    async def history_page(self, channel: str, before: int | None, http: HTTPClient) -> HistoryPage:
        """The posts just below id `before` (the newest when None). Raises
        HistoryUnavailable or a NetworkError."""
        ...
