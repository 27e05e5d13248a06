"""Telegram: every t.me URL form as one identity, and what t.me's public pages tell.

Offline, a URL is enough to name a channel or a post. Online, a post is read from its
public embed page (t.me/<channel>/<id>?embed=1: time, author, text, views, "forwarded
from"), and a channel from its preview page t.me/s/<channel> (title, description, the
numeric channel id that survives renames), falling back to the t.me/<channel> card when
the channel shows no preview. Post ids carry no time; the time comes from the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from adapters.platforms.telegram_pages import (
    ChannelPage,
    PageError,
    TelegramPost,
    parse_channel,
    parse_embed,
)
from tracer.errors import NetworkError
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import (
    Availability,
    ChannelPost,
    Embedded,
    HistoryPage,
    HistoryUnavailable,
    Identity,
    LinkShape,
    Profile,
    Related,
    has_class,
)
from tracer.store.model import Dating, NodeKind, NodeStatus, Precision, Relation

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import Fetched, HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

BASE = "https://t.me"
HOSTS = frozenset(
    {"t.me", "telegram.me", "telegram.dog", "www.t.me", "www.telegram.me", "www.telegram.dog"}
)
#: usernames: a letter, then letters, digits and underscores; 4 (collectible) to 32 long
USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
#: a channel's username first in the path, unless it is one of t.me's features
ACCOUNT_PATHS = AccountPaths(
    USERNAME,
    frozenset({
        "a", "addemoji", "addlist", "addstickers", "addtheme", "apps", "bg", "blog", "boost",
        "confirmphone", "contact", "dl", "faq", "giftcode", "i", "invoice", "iv", "k", "login",
        "m", "nft", "proxy", "setlanguage", "share", "socks", "z",
    }),
)  # fmt: skip
INVITE = re.compile(r"[A-Za-z0-9_-]{6,}")
POST_TIME_METHOD = "t.me-post-time"


def _channel(handle: str, url: str | None) -> Identity:
    handle = handle.lower()  # usernames are case-insensitive; one spelling per channel
    return CARD.identity(
        NodeKind.CHANNEL, f"{BASE}/{handle}", url, handle=handle, attributes={"channel": handle}
    )


def _post(handle: str, post_id: int, url: str | None) -> Identity:
    handle = handle.lower()
    return CARD.identity(
        NodeKind.POST,
        f"{BASE}/{handle}/{post_id}",
        url,
        platform_id=f"{handle}/{post_id}",
        handle=handle,
        attributes={"channel": handle, "post_id": post_id},
    )


def _private(channel_id: int, post_id: int | None, url: str | None) -> Identity:
    # t.me/c/ links carry the numeric id of a channel only its members can open
    attributes: dict[str, object] = {"channel_id": channel_id, "private": True}
    if post_id is None:
        return CARD.identity(
            NodeKind.CHANNEL,
            f"{BASE}/c/{channel_id}",
            url,
            platform_id=str(channel_id),
            attributes=attributes,
        )
    attributes["post_id"] = post_id
    return CARD.identity(
        NodeKind.POST,
        f"{BASE}/c/{channel_id}/{post_id}",
        url,
        platform_id=f"c/{channel_id}/{post_id}",
        attributes=attributes,
    )


def _invite(code: str, url: str | None) -> Identity:
    # invite codes are case-sensitive, unlike usernames
    return CARD.identity(
        NodeKind.CHANNEL, f"{BASE}/+{code}", url, attributes={"invite": code, "private": True}
    )


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 19 else None


def parse_telegram_url(url: str) -> Identity | None:
    """The channel or post `url` names, or None when it is not a Telegram link."""
    raw = url.strip()
    if raw.lower().startswith("tg:"):
        return _parse_app_link(raw, url)
    try:
        parts = urlsplit(raw if "//" in raw else "//" + raw)
    except ValueError:  # "https://[::1/": brackets that open no IPv6 address
        return None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host not in HOSTS:
        # username subdomains: durov.t.me is t.me/durov
        sub, _, parent = host.partition(".")
        if parent not in ("t.me", "telegram.me") or not USERNAME.fullmatch(sub):
            return None
        segments = [sub, *segments]
    if not segments:
        return None
    first = segments[0]
    if first == "s":  # the preview page of a channel: t.me/s/<channel>[/<post>]
        segments = segments[1:]
        if not segments:
            return None
        first = segments[0]
    if first == "c":
        channel_id = _number(segments[1]) if len(segments) > 1 else None
        if channel_id is None:
            return None
        # t.me/c/<id>/<post> or, in forum groups, t.me/c/<id>/<topic>/<post>
        return _private(channel_id, _number(segments[-1]) if len(segments) > 2 else None, url)
    if first == "joinchat":
        code = segments[1] if len(segments) > 1 else ""
        return _invite(code, url) if INVITE.fullmatch(code) else None
    if first.startswith("+"):
        code = first[1:]
        # t.me/+<digits> is a phone number, not an invite
        return _invite(code, url) if INVITE.fullmatch(code) and not code.isdigit() else None
    if ACCOUNT_PATHS.handle(first) is None:
        return None
    if len(segments) == 1:
        return _channel(first, url)
    # t.me/<channel>/<post>, or t.me/<group>/<topic>/<post> in forum groups
    post_id = _number(segments[-1]) if len(segments) <= 3 else None
    return _post(first, post_id, url) if post_id is not None else None


def _parse_app_link(raw: str, url: str) -> Identity | None:
    # tg://resolve?domain=<name>&post=<id>, tg://privatepost?channel=<id>&post=<id>,
    # tg://join?invite=<code>
    parts = urlsplit(raw)
    action = (parts.netloc or parts.path.strip("/")).lower()
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if v}
    if action == "resolve":
        domain = query.get("domain", "")
        if not USERNAME.fullmatch(domain):
            return None
        post = _number(query.get("post"))
        return _post(domain, post, url) if post else _channel(domain, url)
    if action == "privatepost":
        channel_id = _number(query.get("channel"))
        if channel_id is None:
            return None
        return _private(channel_id, _number(query.get("post")), url)
    if action == "join":
        code = query.get("invite", "")
        return _invite(code, url) if INVITE.fullmatch(code) else None
    return None


def _http_problem(fetched: Fetched) -> str | None:
    if fetched.status_code == 429:
        wait = fetched.headers.get("retry-after")
        return "t.me is rate limiting (HTTP 429" + (f", retry after {wait} s)" if wait else ")")
    if not fetched.ok:
        return f"t.me answered HTTP {fetched.status_code}"
    return None


def apply_post(identity: Identity, post: TelegramPost) -> Identity:
    """Fill a post identity from what its page shows."""
    identity.dated(Dating.of(post.published_at, POST_TIME_METHOD, Precision.SECOND))
    identity.name = post.author
    attributes = identity.attributes
    attributes["text"] = post.text
    for key, value in (
        ("channel_title", post.author),
        ("channel_id", post.channel_id),
        ("signature", post.signature),
        ("views", post.views),
        ("media", post.media or None),
        ("images", post.images or None),
        ("link_preview", post.link_preview_url),
        ("forwarded_from_name", post.forwarded_from_name),
    ):
        if value is not None:
            attributes[key] = value
    if post.forwarded_from_url:
        source = parse_telegram_url(post.forwarded_from_url)
        if source is not None:
            source.name = post.forwarded_from_name
            identity.related.append(
                Related(
                    Relation.FORWARDED_FROM,
                    source,
                    evidence=f"Forwarded from {post.forwarded_from_name or source.canonical_url}",
                )
            )
    identity.status = NodeStatus.RESOLVED
    identity.error = None
    return identity


def apply_channel(identity: Identity, page: ChannelPage) -> Identity:
    """Fill a channel identity from its preview page or card."""
    identity.name = page.title
    if page.channel_id is not None:
        identity.platform_id = str(page.channel_id)
        identity.attributes["channel_id"] = page.channel_id
    for key, value in (
        ("title", page.title),
        ("description", page.description),
        ("subscribers", page.subscribers),
        ("public_preview", page.has_preview),
        ("latest_post_id", max((p.post_id for p in page.posts), default=None)),
    ):
        if value is not None:
            identity.attributes[key] = value
    identity.status = NodeStatus.RESOLVED
    identity.error = None
    return identity


def title_matches(title: str | None, name: str) -> bool:
    """Whether a channel's display name is the name a text gave it ("GREY ZONE" ~ "Grey Zone")."""
    if not title:
        return False

    def fold(text: str) -> str:
        return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())

    return fold(name) == fold(title) or fold(name) in fold(title)


# -- links in an article -------------------------------------------------------------

#: how accounts are addressed: profile URL, the usernames accepted, other names
#: (Telegram sells some four-letter names, e.g. t.me/mash)
PROFILE = Profile("https://t.me/{handle}", re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}"), ("tg",))

#: the hosts of Telegram links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"t.me", "telegram.dog", "telegram.me"})

#: t.me paths that are not channels
_LINK_RESERVED = frozenset(
    {"share", "joinchat", "addstickers", "proxy", "socks", "iv", "login", "addlist"}
)


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to Telegram points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    url, segments = link.url, link.segments
    if segments and segments[0] == "s":
        segments = segments[1:]
    if segments and segments[0] not in _LINK_RESERVED and not segments[0].startswith("+"):
        channel = segments[0]
        if len(segments) >= 2 and segments[1].isdigit():
            return LinkShape(
                "telegram",
                NodeKind.POST,
                f"https://t.me/{channel}/{segments[1]}",
                channel,
                segments[1],
            )
        return LinkShape("telegram", NodeKind.CHANNEL, f"https://t.me/{channel}", channel)
    return LinkShape("telegram", NodeKind.CHANNEL, url)


# -- embeds ------------------------------------------------------------------------------


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (".//blockquote[@data-telegram-post]", ".//script[@data-telegram-post]", ".//iframe")


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The post Telegram's widget shows: a blockquote or script with data-telegram-post,
    or a t.me iframe. (A comments widget, data-telegram-discussion, is not a cited post.)"""
    from tracer.extract.urls import classify

    if element.tag == "blockquote":
        if not has_class(element, "telegram-post"):
            return []
        return _widget_post(element.get("data-telegram-post") or "")
    if element.tag == "script":
        return _widget_post(element.get("data-telegram-post") or "")
    frame = page.frame(element)
    if frame is None:
        return []
    src, host = frame
    if host in {"t.me", "telegram.me"}:
        shape = classify(src)
        if shape.kind == NodeKind.POST:
            return [Embedded.of(shape, "embed-telegram")]
    return []


def _widget_post(value: str) -> list[Embedded]:
    from tracer.extract.urls import classify

    value = value.strip().strip("/")
    if re.fullmatch(r"[\w]{3,64}/\d+", value):
        return [Embedded.of(classify(f"https://t.me/{value}"), "embed-telegram")]
    return []


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("Telegram",),
    "ar": (
        "تلغرام",
        "تيليغرام",
        "تليغرام",
        "تيلغرام",
        "تلجرام",
        "تيليجرام",
        "تليجرام",
        "تيلجرام",
        "التلغرام",
        "التيليغرام",
        "التليجرام",
    ),
    "cs": (
        "Telegramu",
        "Telegramem",
        "telegram",
        "telegramový",
        "telegramovém",
        "telegramového",
        "telegramovým",
    ),
    "de": ("Telegramkanal", "Telegramkanals", "Telegramgruppe"),
    "el": ("Τέλεγκραμ",),
    "fa": ("تلگرام", "تلگرامی"),
    "fi": ("Telegramissa", "Telegramiin", "Telegramista"),
    "nl": ("Telegramkanaal", "Telegramgroep", "Telegramaccount"),
    "pl": (
        "Telegramie",
        "Telegramu",
        "Telegramem",
        "telegram",
        "telegramowy",
        "telegramowym",
        "telegramowego",
    ),
    "ru": (
        "Телеграм",
        "телеграм",
        "Телеграме",
        "телеграме",
        "Телеграмм",
        "телеграмм",
        "Телеграмме",
        "телеграмме",
        "тг",
    ),
    "tr": (
        "Telegram'da",
        "Telegram'dan",
        "Telegram'daki",
        "Telegram’da",
        "Telegram’dan",
        "Telegram’daki",
    ),
    "uk": ("Телеграм", "телеграм", "Телеграмі", "телеграмі", "Телеграму", "телеграму"),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard(
    "telegram", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, PROFILE, prose=PROSE
)


class TelegramAdapter(CardAdapter, card=CARD):
    """t.me, telegram.me, t.me/s/, t.me/c/, invite links and tg:// links."""

    def parse(self, url: str) -> Identity | None:
        # tg:// app links are not web URLs: Telegram reads its links whole
        return parse_telegram_url(url)

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        if identity.attributes.get("private"):
            return identity.gone(
                Availability.CHANNEL_PRIVATE,
                "private channel: t.me shows its posts only to members in the app",
            )
        handle = identity.handle
        if not handle:
            return identity.fail("no public username to look up")
        try:
            if identity.kind == NodeKind.POST:
                return await self._enrich_post(identity, http, handle)
            return await self._enrich_channel(identity, http, handle)
        except NetworkError as exc:
            return identity.fail(str(exc))

    async def _enrich_post(self, identity: Identity, http: HTTPClient, handle: str) -> Identity:
        post_id = identity.attributes.get("post_id")
        fetched = await http.fetch(f"{BASE}/{handle}/{post_id}?embed=1", cache=True)
        problem = _http_problem(fetched)
        if problem:
            return identity.fail(problem)
        try:
            post = parse_embed(fetched.text)
        except PageError as exc:
            reason = str(exc)
            if "not found" in reason.lower():
                return identity.gone(
                    Availability.POST_DELETED,
                    f"post not found on t.me (deleted, or never public): {reason}",
                )
            return identity.fail(reason)
        if post.post_id != post_id or post.channel.lower() != handle:
            # t.me shows the post under the channel's current name after a rename
            identity.attributes["page_post"] = f"{post.channel}/{post.post_id}"
        return apply_post(identity, post)

    async def _enrich_channel(self, identity: Identity, http: HTTPClient, handle: str) -> Identity:
        fetched = await http.fetch(f"{BASE}/s/{handle}", cache=True)
        problem = _http_problem(fetched)
        if problem:
            return identity.fail(problem)
        if urlsplit(fetched.final_url).path.rstrip("/").lower() != f"/s/{handle}":
            # no public preview: t.me redirects to the card at t.me/<handle>
            identity.attributes["public_preview"] = False
        try:
            page = parse_channel(fetched.text)
        except PageError as exc:
            return identity.fail(f"@{handle}: {exc}")
        return apply_channel(identity, page)

    async def history_page(self, channel: str, before: int | None, http: HTTPClient) -> HistoryPage:
        """One t.me/s/<channel> page: the posts just below `before` (tracer.sourcesearch.channel_history)."""
        handle = channel.lower().lstrip("@")
        url = f"{BASE}/s/{handle}" + (f"?before={before}" if before is not None else "")
        fetched = await http.fetch(url, cache=True)
        problem = _http_problem(fetched)
        if problem:
            raise HistoryUnavailable(problem)
        if urlsplit(fetched.final_url).path.rstrip("/").lower() != f"/s/{handle}":
            raise HistoryUnavailable(f"@{handle} has no public history on t.me")
        try:
            page = parse_channel(fetched.text)
        except PageError as exc:
            raise HistoryUnavailable(f"@{handle}: {exc}") from None
        if not page.has_preview:
            raise HistoryUnavailable(f"@{handle} has no public history on t.me")
        posts = [
            ChannelPost(
                url=f"{BASE}/{post.channel.lower()}/{post.post_id}",
                post_id=post.post_id,
                published_at=post.published_at,
                text=post.text,
                author=post.author,
                forwarded_from=post.forwarded_from_url,
            )
            for post in page.posts
        ]
        return HistoryPage(posts=posts, older=page.before, title=page.title)
