"""What a URL points at, judged from its shape alone: platform, kind, handle, post id.

Extraction needs a platform hint and a kind guess for every link without asking the
network; the platform adapters later resolve the same URL properly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from tracer.store.model import NodeKind

#: X/Twitter path segments that are not account handles
_X_RESERVED = frozenset(
    {
        "i",
        "intent",
        "share",
        "hashtag",
        "search",
        "home",
        "explore",
        "settings",
        "login",
        "signup",
        "tos",
        "privacy",
        "messages",
        "notifications",
        "compose",
        "widgets",
        "web",
    }
)
_TELEGRAM_RESERVED = frozenset(
    {"share", "joinchat", "addstickers", "proxy", "socks", "iv", "login", "addlist"}
)
_SHARE_PATHS = re.compile(
    r"/(?:intent|share|sharer|sharing|dialog/share)(?:[/.?]|$)|/sharer\.php|/share\.php",
    re.IGNORECASE,
)
_TWITTER_EPOCH_MS = 1288834974657


@dataclass(slots=True, frozen=True)
class LinkShape:
    platform: str
    kind: NodeKind
    url: str
    handle: str | None = None
    post_id: str | None = None


def _host(url: str) -> str:
    # string slicing, not urlsplit: pages hold hundreds of links and this runs on each
    rest = url.partition("://")[2] if "://" in url[:12] else url.removeprefix("//")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return host.partition("]")[0].lstrip("[").lower()
    host = host.split(":", 1)[0].lower().rstrip(".")
    return host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")


def with_scheme(url: str) -> str:
    return url if "://" in url[:12] else f"https://{url}"


def is_share_link(url: str) -> bool:
    """Share buttons ("tweet this", "share on Facebook") are the page's chrome."""
    host = _host(url)
    if host in {"wa.me", "api.whatsapp.com", "telegram.me"} and "share" in url:
        return True
    return bool(_SHARE_PATHS.search(urlsplit(url).path)) or (host == "t.me" and "/share" in url)


def snowflake_time(post_id: str) -> datetime | None:
    """The creation time encoded in an X/Twitter status id (ids after late 2010)."""
    if not post_id.isdigit() or len(post_id) < 15:
        return None
    milliseconds = (int(post_id) >> 22) + _TWITTER_EPOCH_MS
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme or "https", parts.netloc, parts.path, "", ""))


def classify(url: str) -> LinkShape:
    """Platform, kind and ids of `url` (scheme optional)."""
    url = with_scheme(url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return LinkShape("web", NodeKind.PAGE, url)
    host = _host(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host in {"twitter.com", "x.com"}:
        if len(segments) >= 3 and segments[1] in {"status", "statuses"} and segments[2].isdigit():
            handle = None if segments[0] in _X_RESERVED else segments[0]
            return LinkShape("x", NodeKind.POST, _strip_query(url), handle, segments[2])
        if (
            segments
            and segments[0].lower() not in _X_RESERVED
            and re.fullmatch(r"\w{1,15}", segments[0])
        ):
            return LinkShape("x", NodeKind.CHANNEL, _strip_query(url), segments[0])
        return LinkShape("x", NodeKind.PAGE, url)
    if host == "pic.twitter.com" or host == "pic.x.com":
        return LinkShape("x", NodeKind.MEDIA, _strip_query(url))
    if host == "t.co":
        return LinkShape("x", NodeKind.PAGE, _strip_query(url))
    if host in {"t.me", "telegram.me", "telegram.dog"}:
        if segments and segments[0] == "s":
            segments = segments[1:]
        if segments and segments[0] not in _TELEGRAM_RESERVED and not segments[0].startswith("+"):
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
    if host in {"youtube.com", "youtu.be", "youtube-nocookie.com", "music.youtube.com"}:
        video: str | None = None
        if host == "youtu.be" and segments:
            video = segments[0]
        elif segments[:1] == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0] or None
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video = segments[1]
        if video and re.fullmatch(r"[\w-]{6,20}", video):
            return LinkShape(
                "youtube", NodeKind.POST, f"https://www.youtube.com/watch?v={video}", None, video
            )
        if segments and segments[0].startswith("@"):
            return LinkShape(
                "youtube",
                NodeKind.CHANNEL,
                f"https://www.youtube.com/{segments[0]}",
                segments[0][1:],
            )
        if len(segments) >= 2 and segments[0] in {"channel", "c", "user"}:
            return LinkShape("youtube", NodeKind.CHANNEL, _strip_query(url), segments[1])
        return LinkShape("youtube", NodeKind.PAGE, url)
    if host in {"instagram.com", "instagr.am"}:
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
    if host in {"facebook.com", "fb.com", "fb.watch", "web.facebook.com"}:
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
    if host in {"tiktok.com", "vm.tiktok.com"}:
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
    if host in {"vk.com", "vk.ru", "vkontakte.ru"}:
        if segments:
            post = re.fullmatch(r"(wall|video|photo|clip)(-?\d+_\d+)", segments[0])
            if post:
                return LinkShape(
                    "vk", NodeKind.POST, f"https://vk.com/{segments[0]}", None, post.group(2)
                )
            if re.fullmatch(r"[\w.]{2,64}", segments[0]):
                return LinkShape(
                    "vk", NodeKind.CHANNEL, f"https://vk.com/{segments[0]}", segments[0]
                )
        return LinkShape("vk", NodeKind.PAGE, url)
    if host in {"rumble.com"}:
        return LinkShape("rumble", NodeKind.POST if segments else NodeKind.PAGE, url)
    return LinkShape("web", NodeKind.PAGE, url)


def site_host(url: str) -> str:
    """The host a link's site is known by: lower case, without `www.`, `m.` or `mobile.`."""
    return _host(with_scheme(url))


def handle_matches_outlet(handle: str, outlet: str | None, host: str | None) -> bool:
    """Whether an account handle is the outlet's own ("report24news" on report24.news)."""
    key = re.sub(r"[\W_]", "", handle).casefold()
    if len(key) < 3:
        return False
    candidates: list[str] = []
    if outlet:
        candidates.append(re.sub(r"[\W_]", "", outlet).casefold())
    if host:
        labels = host.split(".")
        candidates.append(re.sub(r"[\W_]", "", host).casefold())
        candidates.append("".join(labels[:-1]).casefold())
        candidates.append(labels[0].casefold())
    return any(
        c and (key == c or key.startswith(c) or c.startswith(key)) and min(len(c), len(key)) >= 3
        for c in candidates
    )
