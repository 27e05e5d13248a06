"""TikTok: videos and photo posts, accounts, and vm./vt./t/ short links.

Offline, every spelling of a post (`/@user/video/ID`, `m.tiktok.com/v/ID.html`,
`/embed/v2/ID`, `/player/v1/ID`, `/share/video/ID`, share junk such as
`?is_from_webapp=1&sender_device=pc`) becomes one identity. The canonical URL carries
only the id, `https://www.tiktok.com/@/video/<id>` (TikTok redirects it to the
author's URL), because embeds and players name no author and accounts get renamed.
The id dates the post: Unix seconds in `id >> 32`, kept to the minute.

Online, oEmbed (`www.tiktok.com/oembed?url=…`) gives title, author name and unique
id; short links are followed one hop to the post they share.

Attributes written (optional): title, author_name, author_url, thumbnail, form
(embed/player/photo), short_code, expanded_url, sources, enrichment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from adapters.answers import json_object
from adapters.platforms.enrichment import accounts_not_asked, working_copy
from tracer.errors import TracerError
from tracer.identity.idtime import tiktok_time
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import (
    Embedded,
    Identity,
    LinkShape,
    Related,
    answer_reason,
    has_class,
    squeeze,
)
from tracer.store.model import NodeKind, NodeStatus, Relation
from tracer.urls import URLParts

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import Fetched, HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

OEMBED_URL = "https://www.tiktok.com/oembed"
SHORT_HOSTS = frozenset({"vm.tiktok.com", "vt.tiktok.com"})
_ID = re.compile(r"^\d{15,20}$")
_USER = re.compile(r"^@([A-Za-z0-9._]{1,64})$")
_CODE = re.compile(r"^[A-Za-z0-9]{5,16}$")
#: an account's page: /@user or /@user/live, never /@tiktok's (its posts keep the handle)
ACCOUNT_PATHS = AccountPaths(_USER, frozenset({"tiktok"}), frozenset({"live"}))


def _post(video_id: str, url: str | None, handle: str | None, form: str | None) -> Identity:
    path = "photo" if form == "photo" else "video"
    identity = CARD.identity(
        NodeKind.POST,
        f"https://www.tiktok.com/@/{path}/{video_id}",
        url,
        platform_id=video_id,
        handle=handle,
    )
    if form:
        identity.attributes["form"] = form
    identity.dated(tiktok_time(video_id))
    return identity


def _status_reason(fetched: Fetched, what: str) -> str:
    if fetched.status_code == 429:
        return answer_reason(fetched, what)
    reason = answer_reason(fetched, what)
    data = json_object(fetched)
    if data is not None:
        said = data.get("status_msg") or data.get("message")
        if isinstance(said, str) and said:
            reason += f": {said}"
    return reason


# -- links in an article -------------------------------------------------------------

#: the hosts of TikTok links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"tiktok.com", "vm.tiktok.com"})


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to TikTok points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    url, segments = link.url, link.segments
    if len(segments) >= 3 and segments[0].startswith("@") and segments[1] == "video":
        return LinkShape(
            "tiktok",
            NodeKind.POST,
            f"https://www.tiktok.com/{segments[0]}/video/{segments[2]}",
            segments[0][1:],
            segments[2],
        )
    if segments and segments[0].startswith("@"):
        return LinkShape(
            "tiktok", NodeKind.CHANNEL, f"https://www.tiktok.com/{segments[0]}", segments[0][1:]
        )
    return LinkShape("tiktok", NodeKind.PAGE, url)


# -- embeds ------------------------------------------------------------------------------


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (".//blockquote[contains(@class, 'tiktok-embed')]", ".//iframe")


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The video a `blockquote.tiktok-embed` quotes, or an embed iframe plays."""
    if element.tag == "blockquote":
        return _quoted_video(element, page) if has_class(element, "tiktok-embed") else []
    src = page.player(element, "tiktok.com", "/embed")
    if src is not None:
        video = src.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        if video.isdigit():
            return [Embedded.of(_embedded_video(video), "embed-tiktok")]
    return []


def _embedded_video(video: str) -> LinkShape:
    return LinkShape(
        "tiktok", NodeKind.POST, f"https://www.tiktok.com/embed/v2/{video}", None, video
    )


def _quoted_video(block: HtmlElement, page: EmbedPage) -> list[Embedded]:
    from tracer.extract.urls import classify

    cite = block.get("cite") or ""
    video = block.get("data-video-id")
    for anchor in block.iter("a"):
        page.inner_hrefs.add(page.absolute(anchor.get("href") or ""))
    shape = classify(cite) if cite else None
    if (shape is None or shape.kind != NodeKind.POST) and video:
        shape = _embedded_video(video)
    if shape is None:
        return []
    section = block.find(".//section")
    post = Embedded.of(shape, "embed-tiktok")
    post.text = squeeze(section.text_content()) if section is not None else None
    return [post]


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("TikTok",),
    "ar": ("تيك توك", "تيكتوك"),
    "cs": ("TikToku", "TikTokem"),
    "fa": ("تیک‌تاک", "تیک تاک"),
    "fi": ("TikTokissa",),
    "nl": ("TikTokaccount",),
    "pl": ("TikToku", "TikToka", "TikTokiem"),
    "ru": ("ТикТок", "Тикток", "тикток"),
    "tr": ("TikTok'ta", "TikTok'tan"),
    "uk": ("ТікТок", "Тікток", "тікток"),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard("tiktok", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, prose=PROSE)


class TikTokAdapter(CardAdapter, card=CARD):
    """TikTok posts, accounts and short links."""

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        if parts.host in SHORT_HOSTS:
            return self._short(parts.segments, url)
        if parts.bare_host != "tiktok.com":
            return None
        segments = parts.segments
        if not segments:
            return None
        head = segments[0].lower()
        if head == "t" and len(segments) == 2:
            return self._short(segments[1:], url)
        if head == "v" and len(segments) == 2:  # m.tiktok.com/v/ID.html
            video_id = segments[1].removesuffix(".html")
            return _post(video_id, url, None, None) if _ID.match(video_id) else None
        if head == "embed":
            rest = segments[2:] if len(segments) > 2 and segments[1] == "v2" else segments[1:]
            if rest and _ID.match(rest[0]):
                return _post(rest[0], url, None, "embed")
            return None
        if head == "player" and len(segments) == 3 and _ID.match(segments[2]):
            return _post(segments[2], url, None, "player")
        if head == "share" and len(segments) == 3 and segments[1] == "video":
            return _post(segments[2], url, None, None) if _ID.match(segments[2]) else None
        # "@" alone is the handle-free form of a post's path
        user = _USER.match(segments[0]) if segments[0] != "@" else None
        handle = user.group(1) if user else None
        if user is None and segments[0] != "@":
            return None
        if len(segments) >= 3 and segments[1] in ("video", "photo") and _ID.match(segments[2]):
            return _post(segments[2], url, handle, "photo" if segments[1] == "photo" else None)
        account = ACCOUNT_PATHS.handle(segments[0])
        if account and ACCOUNT_PATHS.is_page(segments):
            return CARD.identity(
                NodeKind.CHANNEL,
                f"https://www.tiktok.com/@{account.lower()}",
                url,
                handle=account,
                name=f"@{account}",
            )
        return None

    def _short(self, segments: list[str], url: str) -> Identity | None:
        if len(segments) != 1 or not _CODE.match(segments[0]):
            return None
        code = segments[0]
        return CARD.identity(
            NodeKind.PAGE, f"https://vm.tiktok.com/{code}/", url, attributes={"short_code": code}
        )

    # -- online --------------------------------------------------------------------------

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        result = working_copy(identity)
        try:
            if "short_code" in result.attributes:
                return await self._expand(result, http)
            if result.kind == NodeKind.POST and result.platform_id:
                return await self._enrich_post(result, http)
        except TracerError as exc:
            return result.fail(str(exc))
        return accounts_not_asked(result, "TikTok")

    async def _enrich_post(self, identity: Identity, http: HTTPClient) -> Identity:
        asked = identity.canonical_url
        if identity.handle:
            asked = f"https://www.tiktok.com/@{identity.handle}/video/{identity.platform_id}"
        fetched = await http.fetch(f"{OEMBED_URL}?{urlencode({'url': asked})}")
        if not fetched.ok:
            return identity.fail(_status_reason(fetched, "TikTok oEmbed"))
        data = json_object(fetched)
        if data is None or not isinstance(data.get("author_unique_id"), str):
            return identity.fail("TikTok oEmbed answered malformed JSON")
        product = data.get("embed_product_id")
        if product is not None and str(product) != identity.platform_id:
            return identity.fail(f"TikTok oEmbed answered for another post ({product})")
        identity.handle = data["author_unique_id"]
        for key, attribute in (
            ("title", "title"),
            ("author_name", "author_name"),
            ("author_url", "author_url"),
            ("thumbnail_url", "thumbnail"),
        ):
            if isinstance(data.get(key), str):
                identity.attributes[attribute] = data[key]
        title = data.get("title")
        identity.name = title if isinstance(title, str) and title else identity.name
        identity.attributes["sources"] = ["oembed"]
        identity.status = NodeStatus.RESOLVED
        return identity

    async def _expand(self, identity: Identity, http: HTTPClient) -> Identity:
        fetched = await http.fetch(identity.canonical_url, follow_redirects=False)
        location = fetched.headers.get("location")
        if fetched.status_code not in (301, 302, 303, 307, 308) or not location:
            if fetched.status_code == 404:
                return identity.fail("the short link does not exist")
            return identity.fail(_status_reason(fetched, "the TikTok short link"))
        identity.attributes["expanded_url"] = location
        target = self.parse(location)
        if target is None or target.kind == NodeKind.PAGE:
            return identity.fail(f"the short link leads to {location}, not a TikTok post")
        if target.kind == NodeKind.POST:
            target = await self.enrich(target, http)
        identity.related.append(
            Related(
                Relation.REDIRECTS_TO, target, evidence=f"{identity.canonical_url} -> {location}"
            )
        )
        identity.status = NodeStatus.RESOLVED
        return identity


__all__ = ["TikTokAdapter"]
