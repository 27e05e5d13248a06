"""Instagram: posts, reels and IGTV by shortcode, stories by media id, accounts, share links.

Offline, `/p/CODE`, `/reel/CODE`, `/reels/CODE`, `/tv/CODE`, `/<user>/p/CODE`,
`instagr.am`, `/embed/` and `/embed/captioned/` spellings and share junk (`igshid`,
`igsh`, `utm_*`, `img_index`) become one identity, `https://www.instagram.com/p/CODE/`
(reels and IGTV answer at /p/ too). A shortcode is the media id in base 64, and media
ids carry milliseconds since 1314220021721 in `id >> 23`: the shortcode dates the post.
Story URLs carry the numeric media id and are dated the same way. Shortcodes of posts
on private accounts carry a long suffix and are not decoded.

Online there is no public, unauthenticated endpoint: Instagram's oEmbed needs a Meta
app token and its pages need a login. `enrich` follows share links (one redirect hop)
and otherwise keeps the offline identity, saying so in `attributes["enrichment"]`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from tracer.identity.idtime import instagram_shortcode_time, instagram_time
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import (
    Embedded,
    Identity,
    LinkShape,
    expand_share_link,
    has_class,
    squeeze,
)
from tracer.store.model import Dating, NodeKind
from tracer.urls import URLParts

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

HOSTS = frozenset({"instagram.com", "instagr.am", "ig.me"})
POST_PATHS = {"p": None, "reel": "reel", "reels": "reel", "tv": "tv"}
_SHORTCODE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
_USER = re.compile(r"^[A-Za-z0-9._]{1,30}$")
_MEDIA_ID = re.compile(r"^\d{10,25}$")
#: an account's name first in the path, unless it is one of Instagram's own pages; the
#: name alone or one of the account's tabs shows the account
ACCOUNT_PATHS = AccountPaths(
    _USER,
    frozenset(
        {
            "p",
            "reel",
            "reels",
            "tv",
            "stories",
            "explore",
            "accounts",
            "direct",
            "about",
            "developer",
            "legal",
            "web",
            "share",
            "s",
            "emails",
            "challenge",
            "oauth",
            "api",
            "graphql",
            "static",
            "privacy",
            "terms",
            "press",
            "directory",
            "lite",
            "ar",
        }
    ),
    tabs=frozenset({"reels", "tagged", "channel", "guides"}),
)
NO_ENDPOINT = (
    "none: Instagram offers no public, unauthenticated endpoint (oEmbed needs a Meta app "
    "token); identity and time from the URL only"
)


def _post(code: str, url: str, handle: str | None, form: str | None) -> Identity:
    identity = CARD.identity(
        NodeKind.POST, f"https://www.instagram.com/p/{code}/", url, platform_id=code, handle=handle
    )
    if form:
        identity.attributes["form"] = form
    identity.dated(instagram_shortcode_time(code))
    return identity


# -- links in an article -------------------------------------------------------------

#: the hosts of Instagram links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"instagr.am", "instagram.com"})


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to Instagram points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    url, segments = link.url, link.segments
    if len(segments) >= 2 and segments[0] in {"p", "reel", "tv", "reels"}:
        return LinkShape(
            "instagram",
            NodeKind.POST,
            f"https://www.instagram.com/{segments[0]}/{segments[1]}/",
            None,
            segments[1],
        )
    if len(segments) >= 3 and segments[1] in {"p", "reel"}:
        return LinkShape(
            "instagram",
            NodeKind.POST,
            f"https://www.instagram.com/{segments[1]}/{segments[2]}/",
            segments[0],
            segments[2],
        )
    if (
        segments
        and re.fullmatch(r"[\w.]{1,30}", segments[0])
        and segments[0] not in {"explore", "accounts", "stories"}
    ):
        return LinkShape(
            "instagram",
            NodeKind.CHANNEL,
            f"https://www.instagram.com/{segments[0]}/",
            segments[0],
        )
    return LinkShape("instagram", NodeKind.PAGE, url)


# -- embeds ------------------------------------------------------------------------------

#: an embed's caption: its paragraph that is not the date line (compiled once:
#: `element.xpath(source)` compiles its expression on every call)
_CAPTION = etree.XPath(".//p[not(.//time)]")
#: the "(@handle)" an embed's attribution line shows
_HANDLE_IN_TEXT = re.compile(r"\(@([\w.]{1,30})\)")


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (".//blockquote[contains(@class, 'instagram-media')]", ".//iframe")


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The post a `blockquote.instagram-media` quotes, or an embed iframe shows."""
    from tracer.extract.urls import classify

    if element.tag == "blockquote":
        return _quoted_post(element, page) if has_class(element, "instagram-media") else []
    src = page.player(element, "instagram.com", "/embed")
    if src is not None:
        shape = classify(src.split("/embed")[0])
        if shape.kind == NodeKind.POST:
            return [Embedded.of(shape, "embed-instagram")]
    return []


def _quoted_post(block: HtmlElement, page: EmbedPage) -> list[Embedded]:
    from tracer.extract.metadata import parse_datetime
    from tracer.extract.urls import classify

    permalink = block.get("data-instgrm-permalink")
    for anchor in block.iter("a"):
        href = page.absolute(anchor.get("href") or "")
        page.inner_hrefs.add(href)
        permalink = permalink or href
    if not permalink:
        return []
    shape = classify(permalink)
    full = block.text_content() or ""
    handle = _HANDLE_IN_TEXT.search(full)
    display = None
    if handle:
        display = squeeze(
            re.sub(r"^.*\bby\b", "", full[max(0, handle.start() - 80) : handle.start()], flags=re.S)
        )
    post = Embedded.of(shape, "embed-instagram")
    post.handle = shape.handle or (handle.group(1) if handle else None)
    post.display_name = post.name = display
    stamp = block.find(".//time[@datetime]")
    if stamp is not None:
        parsed = parse_datetime(stamp.get("datetime") or "")
        if parsed:
            post.dating = Dating(parsed[0], "embed-time", parsed[1])
    caption = _CAPTION(block)
    if caption:
        post.text = squeeze(caption[0].text_content())
    return [post]


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("Instagram",),
    "ar": ("إنستغرام", "انستغرام", "إنستجرام", "انستجرام", "إنستاغرام", "انستقرام"),
    "cs": ("Instagramu", "Instagramem"),
    "el": ("Ίνσταγκραμ",),
    "fa": ("اینستاگرام", "اینستاگرامی"),
    "fi": ("Instagramissa", "Instagramiin", "Instagramista"),
    "nl": ("Instagramaccount",),
    "pl": ("Instagramie", "Instagramu", "Instagramem"),
    "ru": ("Инстаграм", "инстаграм", "Инстаграме", "инстаграме"),
    "tr": ("Instagram'da", "Instagram'dan", "Instagram’da"),
    "uk": ("Інстаграм", "інстаграм", "Інстаграмі", "інстаграмі"),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard("instagram", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, prose=PROSE)


class InstagramAdapter(CardAdapter, card=CARD):
    """Instagram posts, stories, accounts and share links."""

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        if parts.bare_host not in HOSTS:
            return None
        segments = parts.segments
        if not segments:
            return None
        head = segments[0].lower()
        if head in POST_PATHS and len(segments) >= 2:
            return self._post_or_none(segments[1], url, None, POST_PATHS[head], segments[2:])
        if head == "share" and len(segments) >= 2:
            code = segments[-1]
            if _SHORTCODE.match(code):
                return CARD.identity(
                    NodeKind.PAGE,
                    f"https://www.instagram.com/share/{'/'.join(segments[1:])}/",
                    url,
                    attributes={"short_code": code},
                )
            return None
        if head == "stories" and len(segments) >= 3 and _MEDIA_ID.match(segments[2]):
            return self._story(segments[1], segments[2], url)
        handle = ACCOUNT_PATHS.handle(segments[0])
        if handle is None:
            return None
        if len(segments) >= 3 and segments[1].lower() in POST_PATHS:
            return self._post_or_none(
                segments[2], url, handle, POST_PATHS[segments[1].lower()], segments[3:]
            )
        if ACCOUNT_PATHS.is_page(segments):
            return CARD.identity(
                NodeKind.CHANNEL,
                f"https://www.instagram.com/{handle.lower()}/",
                url,
                handle=handle,
                name=f"@{handle}",
            )
        return None

    @staticmethod
    def _post_or_none(
        code: str, url: str, handle: str | None, form: str | None, rest: list[str]
    ) -> Identity | None:
        if not _SHORTCODE.match(code):
            return None
        if rest and rest[0] not in ("embed", "captioned", "liked_by", "comments", "c"):
            return None
        return _post(code, url, handle, form)

    def _story(self, user: str, media_id: str, url: str) -> Identity | None:
        if not _USER.match(user):
            return None
        identity = CARD.identity(
            NodeKind.POST,
            f"https://www.instagram.com/stories/{user.lower()}/{media_id}/",
            url,
            platform_id=media_id,
            handle=user,
            attributes={"form": "story"},
        )
        return identity.dated(instagram_time(media_id))

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        return await expand_share_link(self, identity, http, NO_ENDPOINT)


__all__ = ["InstagramAdapter"]
