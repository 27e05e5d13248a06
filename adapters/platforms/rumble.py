"""Rumble: its links and embedded players, as extraction reads an article.

Rumble offers no public endpoint the tracer reads, so a Rumble URL is resolved as a web
page (`parse` leaves it to the web adapter): what this adapter adds is that extraction
knows a Rumble link or player for a video, not a page of some site.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tracer.plugins.card import CardAdapter, PlatformCard
from tracer.plugins.platform import Embedded, Identity, LinkShape
from tracer.store.model import NodeKind

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

#: the hosts of Rumble links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"rumble.com"})

#: the player script: Rumble("play", {"video": "v3pb7ad", ...})
_PLAYER_SCRIPT = re.compile(
    r"Rumble\(\s*[\"']play[\"']\s*,\s*\{[^}]*[\"']video[\"']\s*:\s*[\"']([\w-]+)"
)


def link_shape(link: LinkParts) -> LinkShape:
    return LinkShape("rumble", NodeKind.POST if link.segments else NodeKind.PAGE, link.url)


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (".//script[contains(., 'Rumble(')]", ".//iframe")


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The video an embed iframe or the player script plays."""
    if element.tag == "script":
        return [
            Embedded("rumble", f"https://rumble.com/embed/{video}/", "embed-rumble")
            for video in _PLAYER_SCRIPT.findall(element.text or "")
        ]
    src = page.player(element, "rumble.com", "/embed/")
    if src is not None:
        return [Embedded("rumble", src.split("?")[0], "embed-rumble")]
    return []


#: what extraction knows of the platform offline
CARD = PlatformCard("rumble", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS)


class RumbleAdapter(CardAdapter, card=CARD):
    """Rumble videos in articles: links and players."""

    def parse(self, url: str) -> Identity | None:
        return None  # resolved as a web page: see the module's docstring

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        return identity
