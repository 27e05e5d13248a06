"""A platform's card: the facts an adapter declares about its platform instead of writing.

Platforms differ in how their URLs read and in what they tell online, but what extraction
and the registry ask of them offline is data: a name, the hosts of its links, the shape
of a link, the elements that may hold its embeds, how its accounts are addressed. An
adapter module states those once in a `PlatformCard` and derives its class from
`CardAdapter`, which turns the card into the protocols' attributes; the class then holds
only what is its own (`identify` and `enrich`). Where `identify` reads an account from
a URL's first path segment, the module states its pattern and reserved words in
`AccountPaths`, which holds the rule every platform shares.

The protocols ask for the attributes, not for a card: a one-file third-party adapter may
write them by hand and is just as good.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from tracer.plugins.platform import Identity
from tracer.store.model import NodeKind
from tracer.urls import URLParts, split_url

if TYPE_CHECKING:
    import re

    from lxml.html import HtmlElement

    from tracer.plugins.platform import (
        Embedded,
        EmbedPage,
        LinkParts,
        LinkShape,
        Profile,
    )


@dataclass(frozen=True)
class PlatformCard:
    """What a platform is, as far as it can be told without the network."""

    name: str  # as stored in Node.platform
    hosts: frozenset[str]  # of its links, lower case, without www., m. or mobile.
    shape: Callable[[LinkParts], LinkShape]  # what a link to one of `hosts` points at
    read_embed: Callable[[HtmlElement, EmbedPage], list[Embedded]]
    #: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
    embed_paths: tuple[str, ...]
    #: how its accounts are addressed; None for a platform whose handles are not asked for
    profile: Profile | None = None
    #: how prose names the platform, per language code, with the forms each language
    #: inflects or compounds ("Telegramie", "Telegramkanal"); see `ProseNames`
    prose: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    def identity(
        self, kind: NodeKind, canonical_url: str, url: str | None, **fields: Any
    ) -> Identity:
        """An identity on this platform: `url` as it was given, `fields` any of Identity's
        others (platform_id, handle, name, attributes...)."""
        return Identity(self.name, kind, canonical_url, url, **fields)


@dataclass(frozen=True)
class AccountPaths:
    """How a platform's URLs name an account by their first path segment (`/<handle>/…`):
    a segment its pattern accepts, unless it is one of the platform's own pages; and the
    account's page is the handle alone or one of its tabs after it (`/<handle>/about`).

    An adapter states these (its own knowledge); the rules are the same on every platform.
    """

    #: the whole segment; its first group, when it has one, is the handle ("@?(name)")
    pattern: re.Pattern[str]
    #: first path segments that are the platform's own pages, never handles (lower case)
    reserved: frozenset[str] = frozenset()
    #: what may follow the handle and still show the account's page ("about", "media")
    tabs: frozenset[str] = frozenset()

    def handle(self, segment: str) -> str | None:
        """The handle `segment` names, or None when it names no account."""
        match = self.pattern.fullmatch(segment)
        if match is None:
            return None
        handle = match.group(1) if self.pattern.groups else segment
        return None if handle.lower() in self.reserved else handle

    def is_page(self, segments: Sequence[str]) -> bool:
        """Whether a path whose first segment names an account shows the account's page:
        nothing after the handle, or one of its tabs."""
        return len(segments) == 1 or segments[1] in self.tabs


class CardAdapter:
    """A platform adapter whose offline facts come from its card.

    A subclass names its card in its header (`class VKAdapter(CardAdapter, card=CARD)`)
    and implements `identify` (a split URL to an identity) and `enrich`.
    """

    card: ClassVar[PlatformCard]
    name: ClassVar[str]
    hosts: ClassVar[frozenset[str]]
    embed_paths: ClassVar[tuple[str, ...]]
    prose: ClassVar[Mapping[str, tuple[str, ...]]]

    def __init_subclass__(cls, card: PlatformCard, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.card = card
        cls.name = card.name
        cls.hosts = card.hosts
        cls.embed_paths = card.embed_paths
        cls.prose = card.prose
        if card.profile is not None:
            # set only when there is one: `Profiles` is recognised by the attribute alone
            setattr(cls, "profile", card.profile)  # noqa: B010

    def shape(self, link: LinkParts) -> LinkShape:
        return self.card.shape(link)

    def read_embed(self, element: HtmlElement, page: EmbedPage) -> list[Embedded]:
        return self.card.read_embed(element, page)

    def parse(self, url: str) -> Identity | None:
        parts = split_url(url)
        return None if parts is None else self.identify(parts, url)

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        """The identity of a URL given split (`url` as it was given), or None when it is
        not this platform's."""
        raise NotImplementedError
