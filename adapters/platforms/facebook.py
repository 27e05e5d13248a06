"""Facebook: posts, videos, reels, photos, group posts, pages and profiles, share links.

Offline, each URL form becomes one identity: posts as
`https://www.facebook.com/<owner>/posts/<id>` (from /<page>/posts/…, permalink.php and
story.php alike), videos as `https://www.facebook.com/watch/?v=<id>` (from /watch,
/<page>/videos/…, video.php), reels as /reel/<id>, photos as /photo/?fbid=<id>, group
posts as /groups/<group>/posts/<id>. Hosts m., mbasic., web., touch. and fb.com are
the same site; `fbclid`, `__cft__`, `__tn__`, `mibextid`… are tracking. Outbound
wrappers (`l.facebook.com/l.php?u=…`) name their target offline. Facebook ids carry
no time, and `pfbid…` ids are opaque.

A post named by its page's handle and the same post named by the page's numeric id
cannot be told apart offline; they stay two identities until something joins them.

Online there is no public, unauthenticated endpoint (Graph API and oEmbed need an
app token, pages need a login). `enrich` follows share links (`/share/p/…`,
`fb.watch/…`) one redirect hop and otherwise keeps the offline identity, saying so in
`attributes["enrichment"]`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from adapters.platforms.destinations import destination
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import Embedded, Identity, LinkShape, Related, expand_share_link
from tracer.store.model import NodeKind, Relation
from tracer.urls import URLParts, clean_url

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

HOSTS = frozenset({"facebook.com", "fb.com", "touch.facebook.com", "business.facebook.com"})
SHORT_HOSTS = frozenset({"fb.watch", "fb.me"})
WRAPPER_HOSTS = frozenset({"l.facebook.com", "lm.facebook.com", "l.messenger.com"})
_ID = re.compile(r"^\d{1,25}$")
_POST_ID = re.compile(r"^(?:\d{1,25}|pfbid0[A-Za-z0-9]{20,80})$")
_NAME = re.compile(r"^[A-Za-z0-9.\-]{1,80}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{4,40}$")
#: a page's or person's name first in the path, unless it is one of Facebook's own pages;
#: the page alone or one of its tabs shows the account
ACCOUNT_PATHS = AccountPaths(
    _NAME,
    frozenset(
        {
            "watch",
            "reel",
            "reels",
            "groups",
            "share",
            "photo",
            "photo.php",
            "permalink.php",
            "story.php",
            "video.php",
            "profile.php",
            "pages",
            "people",
            "events",
            "hashtag",
            "login",
            "login.php",
            "marketplace",
            "gaming",
            "help",
            "policies",
            "privacy",
            "settings",
            "notifications",
            "messages",
            "search",
            "sharer",
            "sharer.php",
            "dialog",
            "plugins",
            "tr",
            "l.php",
            "home.php",
            "legal",
            "ads",
            "business",
            "stories",
            "media",
            "fundraisers",
            "live",
            "checkpoint",
            "recover",
            "bookmarks",
            "friends",
            "memories",
            "saved",
            "composer",
        }
    ),
    tabs=frozenset({"about", "photos", "videos", "community", "reviews", "mentions"}),
)
NO_ENDPOINT = (
    "none: Facebook offers no public, unauthenticated endpoint (Graph API and oEmbed need "
    "an app token); identity from the URL only"
)


def _post(owner: str, post_id: str, url: str) -> Identity | None:
    if not _POST_ID.match(post_id) or not (_NAME.match(owner) or _ID.match(owner)):
        return None
    numeric_owner = bool(_ID.match(owner))
    identity = CARD.identity(
        NodeKind.POST,
        f"https://www.facebook.com/{owner.lower()}/posts/{post_id}",
        url,
        platform_id=post_id,
        handle=None if numeric_owner else owner,
    )
    if numeric_owner:
        identity.attributes["owner_id"] = owner
    return identity


def _video(video_id: str, url: str, owner: str | None = None) -> Identity | None:
    if not _ID.match(video_id):
        return None
    identity = CARD.identity(
        NodeKind.POST,
        f"https://www.facebook.com/watch/?v={video_id}",
        url,
        platform_id=video_id,
        handle=owner,
    )
    identity.attributes["form"] = "video"
    return identity


def _photo(photo_id: str, url: str, owner: str | None = None) -> Identity | None:
    if not _ID.match(photo_id):
        return None
    return CARD.identity(
        NodeKind.MEDIA,
        f"https://www.facebook.com/photo/?fbid={photo_id}",
        url,
        platform_id=photo_id,
        handle=owner,
    )


# -- links in an article -------------------------------------------------------------

#: the hosts of Facebook links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"facebook.com", "fb.com", "fb.watch", "web.facebook.com"})


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to Facebook points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    from tracer.extract.urls import classify  # a plug-in wraps any link

    url, host, parts, segments = link.url, link.host, link.split, link.segments
    if segments[:1] == ["plugins"]:
        inner = (parse_qs(parts.query).get("href") or [""])[0]
        if inner:
            return classify(inner)
    path = parts.path.lower()
    if host == "fb.watch" or any(
        key in path
        for key in (
            "/posts/",
            "/videos/",
            "/photos/",
            "/permalink",
            "/story.php",
            "/watch",
            "/reel/",
            "/photo.php",
            "/photo/",
        )
    ):
        handle = (
            segments[0]
            if segments
            and segments[0] not in {"watch", "story.php", "permalink.php", "photo.php", "reel"}
            else None
        )
        return LinkShape("facebook", NodeKind.POST, url, handle)
    if segments and segments[0] not in {
        "sharer",
        "sharer.php",
        "dialog",
        "groups",
        "events",
        "login",
    }:
        return LinkShape(
            "facebook", NodeKind.CHANNEL, f"https://www.facebook.com/{segments[0]}", segments[0]
        )
    return LinkShape("facebook", NodeKind.PAGE, url)


# -- embeds ------------------------------------------------------------------------------


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (
    ".//div[@data-href][contains(@class, 'fb-post') or contains(@class, 'fb-video')]",
    ".//iframe",
)


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The post a plugin iframe or an `fb-post` / `fb-video` div (data-href) shows."""
    from tracer.extract.urls import classify

    if element.tag == "div":
        href = element.get("data-href")
        classes = element.get("class") or ""
        if not href or ("fb-post" not in classes and "fb-video" not in classes):
            return []
        shape = classify(href)
    else:
        src = page.player(element, "facebook.com", "/plugins/")
        if src is None:
            return []
        shape = classify(src)
    return [Embedded.of(shape, "embed-facebook")] if shape.platform == "facebook" else []


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("Facebook",),
    "ar": ("فيسبوك", "فيس بوك", "الفيسبوك"),
    "cs": ("Facebooku", "Facebookem"),
    "el": ("Φέισμπουκ",),
    "fa": ("فیسبوک", "فیس‌بوک", "فیس بوک"),
    "fi": ("Facebookissa", "Facebookiin", "Facebookista"),
    "nl": ("Facebookpagina", "Facebookgroep"),
    "pl": ("Facebooku", "Facebooka", "Facebookiem"),
    "ru": ("Фейсбук", "фейсбук", "Фейсбуке", "фейсбуке"),
    "tr": ("Facebook'ta", "Facebook'tan", "Facebook’ta"),
    "uk": ("Фейсбук", "фейсбук", "Фейсбуці", "фейсбуці"),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard("facebook", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, prose=PROSE)


class FacebookAdapter(CardAdapter, card=CARD):
    """Facebook posts, videos, photos, pages and share links."""

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        if parts.host in WRAPPER_HOSTS:
            return self._wrapper(url)
        if parts.bare_host in SHORT_HOSTS:
            segments = parts.segments
            if len(segments) == 1 and _CODE.match(segments[0]):
                return self._short(f"https://fb.watch/{segments[0]}/", segments[0], url)
            return None
        if parts.bare_host not in HOSTS:
            return None
        try:
            return self._on_site(parts, url)
        except IndexError:
            return None

    def _on_site(self, parts: URLParts, url: str) -> Identity | None:
        segments = parts.segments
        if not segments:
            return None
        head = segments[0].lower()
        if head in ("permalink.php", "story.php"):
            post_id, owner = parts.arg("story_fbid"), parts.arg("id")
            return _post(owner, post_id, url) if post_id and owner else None
        if head in ("watch", "video.php"):
            return _video(parts.arg("v") or "", url)
        if head in ("reel", "reels") and len(segments) >= 2:
            if not _ID.match(segments[1]):
                return None
            identity = CARD.identity(
                NodeKind.POST,
                f"https://www.facebook.com/reel/{segments[1]}",
                url,
                platform_id=segments[1],
            )
            identity.attributes["form"] = "reel"
            return identity
        if head in ("photo.php", "photo"):
            return _photo(parts.arg("fbid") or "", url)
        if head == "groups" and len(segments) >= 4 and segments[2] in ("posts", "permalink"):
            group, post_id = segments[1], segments[3]
            if not (_NAME.match(group) and _POST_ID.match(post_id)):
                return None
            return CARD.identity(
                NodeKind.POST,
                f"https://www.facebook.com/groups/{group.lower()}/posts/{post_id}",
                url,
                platform_id=post_id,
                handle=group,
            )
        if head == "share" and len(segments) >= 2 and _CODE.match(segments[-1]):
            path = "/".join(segments[1:])
            return self._short(f"https://www.facebook.com/share/{path}/", segments[-1], url)
        if head == "profile.php":
            user_id = parts.arg("id") or ""
            if not _ID.match(user_id):
                return None
            return self._account(
                f"https://www.facebook.com/profile.php?id={user_id}", url, user_id, None
            )
        if head in ("pages", "people") and len(segments) >= 3 and _ID.match(segments[2]):
            return self._account(
                f"https://www.facebook.com/{segments[2]}", url, segments[2], segments[1]
            )
        owner = ACCOUNT_PATHS.handle(segments[0])
        if owner is None:
            return None
        rest = segments[1:]
        if len(rest) >= 2 and rest[0] in ("posts", "activity"):
            return _post(owner, rest[1], url)
        if len(rest) >= 2 and rest[0] == "videos":
            # /<page>/videos/<id>/ and /<page>/videos/<slug>/<id>/
            numeric = [s for s in rest[1:] if _ID.match(s)]
            return _video(numeric[-1], url, owner) if numeric else None
        if len(rest) >= 2 and rest[0] == "photos":
            numeric = [s for s in rest[1:] if _ID.match(s)]
            return _photo(numeric[-1], url, owner) if numeric else None
        if ACCOUNT_PATHS.is_page(segments):
            if _ID.match(owner):
                return self._account(f"https://www.facebook.com/{owner}", url, owner, None)
            return self._account(f"https://www.facebook.com/{owner.lower()}", url, None, owner)
        return None

    def _account(
        self, canonical: str, url: str, user_id: str | None, handle: str | None
    ) -> Identity:
        identity = CARD.identity(
            NodeKind.CHANNEL, canonical, url, platform_id=user_id, handle=handle
        )
        identity.name = handle
        return identity

    def _short(self, canonical: str, code: str, url: str) -> Identity:
        identity = CARD.identity(NodeKind.PAGE, canonical, url)
        identity.attributes["short_code"] = code
        return identity

    def _wrapper(self, url: str) -> Identity | None:
        # imported on first use: every command loads every adapter, and importing ural
        # compiles its URL patterns, a fifth of an offline trace's start
        from ural.facebook import extract_url_from_facebook_link

        target = extract_url_from_facebook_link(url)
        if not target:
            return None
        try:
            # the wrapper's other parameters (h=, s=) change per click: one node per target
            canonical = "https://l.facebook.com/l.php?" + urlencode({"u": clean_url(target)})
        except (ValueError, TypeError, IndexError):
            return None
        identity = CARD.identity(NodeKind.PAGE, canonical, url)
        identity.attributes["expanded_url"] = target
        leads_to = destination(self, target)
        if leads_to is None:
            return None
        identity.related.append(
            Related(Relation.REDIRECTS_TO, leads_to, evidence=f"l.php wraps {target}")
        )
        return identity

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        return await expand_share_link(self, identity, http, NO_ENDPOINT)


__all__ = ["FacebookAdapter"]
