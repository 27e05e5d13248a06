"""VK (VKontakte): wall posts, videos and clips, photos, communities and users.

Offline, a wall post in any spelling (`/wall-123_456`, the overlay forms
`/<page>?w=wall-123_456` and `?z=…`, m.vk.com, vk.ru, vkontakte.ru) becomes
`https://vk.com/wall-123_456`, its id `-123_456` (a negative owner is a community, a
positive one a user). Videos and clips become `https://vk.com/video-123_456`, photos
`https://vk.com/photo-123_456`; communities `club<id>`/`public<id>` and users
`id<id>` keep their numeric id, short names are lowered. `away.php?to=…` wrappers name
their target offline. VK ids carry no time.

Online there is no public, unauthenticated endpoint (the VK API needs an access
token). `enrich` follows `vk.cc` short links one redirect hop and otherwise keeps the
offline identity, saying so in `attributes["enrichment"]`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from adapters.platforms.destinations import destination
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import (
    Embedded,
    Identity,
    LinkShape,
    Profile,
    Related,
    expand_short_link,
)
from tracer.store.model import NodeKind, Relation
from tracer.urls import URLParts, clean_url

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

HOSTS = frozenset({"vk.com", "vk.ru", "vkontakte.ru", "new.vk.com"})
SHORT_HOST = "vk.cc"
#: VK's objects, named `<form><owner>_<item>` (a wall post, a video or clip, a photo)
_OBJECT = re.compile(r"^(wall|video|clip|photo)(-?\d{1,20})_(\d{1,20})$")
#: each form's kind, and the path its canonical URL takes (a clip is a video)
_FORMS = {
    "wall": (NodeKind.POST, "wall"),
    "video": (NodeKind.POST, "video"),
    "clip": (NodeKind.POST, "video"),
    "photo": (NodeKind.MEDIA, "photo"),
}
_COMMUNITY = re.compile(r"^(club|public|event)(\d{1,20})$")
_USER = re.compile(r"^id(\d{1,20})$")
_SHORTNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{1,31}$")
_CODE = re.compile(r"^[A-Za-z0-9]{3,16}$")
#: an account's short name first in the path, unless it is one of VK's own pages
ACCOUNT_PATHS = AccountPaths(
    _SHORTNAME,
    frozenset(
        {
            "feed",
            "im",
            "friends",
            "groups",
            "search",
            "settings",
            "login",
            "away.php",
            "apps",
            "video",
            "videos",
            "clips",
            "music",
            "audio",
            "market",
            "services",
            "dev",
            "support",
            "about",
            "legal",
            "terms",
            "blog",
            "docs",
            "doc",
            "photos",
            "albums",
            "wall",
            "write",
            "mail",
            "bugs",
            "jobs",
            "press",
            "security",
            "ads",
            "app",
            "join",
            "restore",
            "help",
            "privacy",
            "edit",
            "bookmarks",
            "fave",
            "notifications",
            "stickers",
            "gifts",
            "verify",
        }
    ),
)
NO_ENDPOINT = (
    "none: VK offers no public, unauthenticated endpoint (the VK API needs an access "
    "token); identity from the URL only"
)


# -- links in an article -------------------------------------------------------------

#: how accounts are addressed: profile URL, the usernames accepted, other names
PROFILE = Profile("https://vk.com/{handle}", re.compile(r"[A-Za-z0-9_.]{2,32}"))

#: the hosts of VK links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"vk.com", "vk.ru", "vkontakte.ru"})


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to VK points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    url, segments = link.url, link.segments
    if segments:
        post = re.fullmatch(r"(wall|video|photo|clip)(-?\d+_\d+)", segments[0])
        if post:
            return LinkShape(
                "vk", NodeKind.POST, f"https://vk.com/{segments[0]}", None, post.group(2)
            )
        if re.fullmatch(r"[\w.]{2,64}", segments[0]):
            return LinkShape("vk", NodeKind.CHANNEL, f"https://vk.com/{segments[0]}", segments[0])
    return LinkShape("vk", NodeKind.PAGE, url)


# -- embeds ------------------------------------------------------------------------------

#: VK's post widget: VK.Widgets.Post("element id", owner, post, ...)
_WIDGET_POST = re.compile(r"VK\.Widgets\.Post\(\s*[\"'][^\"']*[\"']\s*,\s*(-?\d+)\s*,\s*(\d+)")


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (
    ".//div[starts-with(@id, 'vk_post_')]",
    ".//script[contains(., 'VK.Widgets.Post')]",
    ".//iframe",
)


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The post VK's widget script shows (or the div it fills, vk_post_OWNER_POST), or the
    video a `video_ext.php` iframe plays."""
    from tracer.extract.urls import classify

    if element.tag == "script":
        body = element.text or ""
        if "VK.Widgets.Post" not in body:
            return []
        return [
            Embedded.of(classify(f"https://vk.com/wall{owner}_{number}"), "embed-vk")
            for owner, number in _WIDGET_POST.findall(body)
        ]
    if element.tag == "div":
        match = re.fullmatch(r"vk_post_(-?\d+)_(\d+)", element.get("id") or "")
        if match is None:
            return []
        wall = f"https://vk.com/wall{match.group(1)}_{match.group(2)}"
        return [Embedded.of(classify(wall), "embed-vk")]
    src = page.player(element, ("vk.com", "vk.ru"), "video_ext.php")
    if src is not None:
        query = parse_qs(urlsplit(src).query)
        owner, video = (query.get("oid") or [""])[0], (query.get("id") or [""])[0]
        if owner and video:
            return [Embedded.of(classify(f"https://vk.com/video{owner}_{video}"), "embed-vk")]
    return []


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("VK", "VKontakte"),
    "pl": ("WKontaktie", "WKontakte"),
    "ru": ("ВКонтакте", "вконтакте"),
    "uk": ("ВКонтакте",),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard("vk", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, PROFILE, prose=PROSE)


class VKAdapter(CardAdapter, card=CARD):
    """VK wall posts, videos, photos, communities and users."""

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        if parts.bare_host == SHORT_HOST:
            segments = parts.segments
            if len(segments) == 1 and _CODE.match(segments[0]):
                return CARD.identity(
                    NodeKind.PAGE,
                    f"https://vk.cc/{segments[0]}",
                    url,
                    attributes={"short_code": segments[0]},
                )
            return None
        if parts.bare_host not in HOSTS:
            return None
        return self._on_site(parts, url)

    def _on_site(self, parts: URLParts, url: str) -> Identity | None:
        segments = parts.segments
        # the overlay forms name the object in w= or z= whatever page is underneath
        for key in ("w", "z"):
            overlay = (parts.arg(key) or "").split("/")[0]
            found = self._object(overlay, url)
            if found is not None:
                return found
        if not segments:
            return None
        if segments[0] == "away.php":
            return self._wrapper(parts, url)
        found = self._object(segments[0], url)
        if found is not None:
            reply = parts.arg("reply")
            if reply and reply.isdigit():
                found.attributes["reply"] = reply
            return found
        if len(segments) > 1:
            return None
        return self._account(segments[0], url)

    def _object(self, name: str, url: str) -> Identity | None:
        found = _OBJECT.match(name)
        if not found:
            return None
        form, owner, item = found.groups()
        kind, path = _FORMS[form]
        attributes = {"owner_id": owner}
        if form != "wall":
            attributes["form"] = form  # a clip and a video share their canonical URL
        return CARD.identity(
            kind,
            f"https://vk.com/{path}{owner}_{item}",
            url,
            platform_id=f"{owner}_{item}",
            attributes=attributes,
        )

    def _account(self, name: str, url: str) -> Identity | None:
        community = _COMMUNITY.match(name)
        if community:
            prefix, number = community.groups()
            return CARD.identity(
                NodeKind.CHANNEL,
                f"https://vk.com/club{number}",
                url,
                platform_id=f"-{number}",
                attributes={"form": prefix},
            )
        user = _USER.match(name)
        if user:
            return CARD.identity(
                NodeKind.CHANNEL,
                f"https://vk.com/id{user.group(1)}",
                url,
                platform_id=user.group(1),
            )
        if ACCOUNT_PATHS.handle(name) is None or name.lower().startswith("app"):
            return None
        return CARD.identity(
            NodeKind.CHANNEL, f"https://vk.com/{name.lower()}", url, handle=name, name=name
        )

    def _wrapper(self, parts: URLParts, url: str) -> Identity | None:
        target = parts.arg("to")
        if not target:
            return None
        try:
            # the wrapper's other parameters change per click: one node per target
            canonical = "https://vk.com/away.php?" + urlencode({"to": clean_url(target)})
        except ValueError:
            return None
        leads_to = destination(self, target)
        if leads_to is None:
            return None
        identity = CARD.identity(NodeKind.PAGE, canonical, url)
        identity.attributes["expanded_url"] = target
        identity.related.append(
            Related(Relation.REDIRECTS_TO, leads_to, evidence=f"away.php wraps {target}")
        )
        return identity

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        return await expand_short_link(identity, http, NO_ENDPOINT, "short link", self._lands_on)

    def _lands_on(self, location: str) -> Identity | str:
        """What a vk.cc link stands for: any web address (VK's own or not)."""
        target = destination(self, location)
        return target or f"the short link leads to a non-web address {location!r}"


__all__ = ["VKAdapter"]
