"""YouTube: videos (watch, youtu.be, shorts, live, embed, m., music., nocookie) and channels.

Every spelling of a video becomes `https://www.youtube.com/watch?v=<id>`; share junk
(`si=`, `feature=`, `pp=`) and start times (`t=`) go. Channels keep the namespace they
were named in: `/channel/UC…` (the id that survives renames), `/@handle`, and the
legacy `/c/` and `/user/` names. Video ids carry no time.

Online, oEmbed (`www.youtube.com/oembed?url=…&format=json`) gives title and channel;
the watch page gives the publish date (`<meta itemprop="datePublished">` or
`uploadDate`, or `"publishDate"` in the page's player JSON) and the channel id. A date
with a time is kept to the second, a bare date to the day. A channel page gives the
channel's title and id through its canonical link and OpenGraph tags.

Attributes written (optional): title, author_name, author_url, channel_id, thumbnail
(and `images`, the same thumbnail, for the media step), form (shorts/live/embed), start
(seconds), playlist, sources, enrichment.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from adapters.answers import json_object
from adapters.platforms.enrichment import working_copy
from tracer.errors import TracerError
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import (
    Availability,
    Embedded,
    Identity,
    LinkShape,
    Profile,
    answer_reason,
    squeeze,
)
from tracer.store.model import Dating, NodeKind, NodeStatus, Precision
from tracer.urls import URLParts, split_url

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import Fetched, HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

OEMBED_URL = "https://www.youtube.com/oembed"
WATCH_URL = "https://www.youtube.com/watch?v={id}"
#: the thumbnail oEmbed names (`thumbnail_url`): hqdefault, 480x360, kept for every video
THUMBNAIL_URL = "https://i.ytimg.com/vi/{id}/hqdefault.jpg"
VIDEO_HOSTS = frozenset(
    {
        "youtube.com",
        "youtu.be",
        "youtube-nocookie.com",
        "music.youtube.com",
        "gaming.youtube.com",
        "yt.be",
        "youtube.googleapis.com",
    }
)
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
#: a channel's @handle first in the path (YouTube's own pages never start with @)
ACCOUNT_PATHS = AccountPaths(re.compile(r"^@([A-Za-z0-9._-]{3,30})$"))
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_PATH_VIDEO_FORMS = {
    "shorts": "shorts",
    "live": "live",
    "embed": "embed",
    "v": "embed",
    "e": "embed",
}
_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")

_META = re.compile(r"<meta\s+[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LINK_CANONICAL = re.compile(r"""<link\s+rel=["']canonical["']\s+href=["']([^"']+)["']""", re.I)
_JSON_DATE = re.compile(r'"(publishDate|uploadDate)"\s*:\s*"([^"]+)"')
_JSON_CHANNEL = re.compile(
    r'"(?:channelId|externalId|externalChannelId)"\s*:\s*"(UC[A-Za-z0-9_-]{22})"'
)


def _start_seconds(value: str | None) -> int | None:
    if not value:
        return None
    match = _TIME.match(value.strip().lower())
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _metas(page: str) -> dict[str, str]:
    """`<meta>` values by their itemprop/property/name (first one wins)."""
    found: dict[str, str] = {}
    for tag in _META.findall(page):
        attributes = {
            m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _ATTRIBUTE.finditer(tag)
        }
        key = attributes.get("itemprop") or attributes.get("property") or attributes.get("name")
        if key and "content" in attributes and key not in found:
            found[key] = html.unescape(attributes["content"])
    return found


def parse_publish_date(value: str) -> tuple[datetime, Precision] | None:
    """A YouTube date: "2009-10-24" (to the day) or "2009-10-24T23:57:33-07:00"."""
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC), Precision.DAY
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        # a time without an offset cannot be placed: keep only its day
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC), Precision.DAY
    return moment.astimezone(UTC), Precision.SECOND


def _status_reason(fetched: Fetched, what: str) -> str:
    meaning = {
        401: "the video is private or may not be embedded",
        403: "the video may not be embedded",
        404: "the video does not exist or was removed",
    }.get(fetched.status_code)
    reason = answer_reason(fetched, what)
    return f"{reason}: {meaning}" if meaning else reason


def _video(video_id: str, url: str, form: str | None = None) -> Identity:
    identity = CARD.identity(
        NodeKind.POST, WATCH_URL.format(id=video_id), url, platform_id=video_id
    )
    if form:
        identity.attributes["form"] = form
    return identity


def _channel(
    url: str,
    *,
    channel_id: str | None = None,
    handle: str | None = None,
    legacy: tuple[str, str] | None = None,
) -> Identity:
    if channel_id:
        canonical = f"https://www.youtube.com/channel/{channel_id}"
    elif handle:
        canonical = f"https://www.youtube.com/@{handle.lower()}"
    else:
        assert legacy is not None
        canonical = f"https://www.youtube.com/{legacy[0]}/{legacy[1]}"
    return CARD.identity(
        NodeKind.CHANNEL,
        canonical,
        url,
        platform_id=channel_id,
        handle=handle or (legacy[1] if legacy else None),
    )


# -- links in an article -------------------------------------------------------------

#: how accounts are addressed: profile URL, the usernames accepted, other names
PROFILE = Profile("https://www.youtube.com/@{handle}", re.compile(r"[A-Za-z0-9_.\-]{3,30}"))

#: where a playlist is shown, before its id
PLAYLIST_URL = "https://www.youtube.com/playlist?list="

#: the hosts of YouTube links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"music.youtube.com", "youtu.be", "youtube-nocookie.com", "youtube.com"})


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to YouTube points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    url, host, parts, segments = link.url, link.host, link.split, link.segments
    video: str | None = None
    if host == "youtu.be" and segments:
        video = segments[0]
    elif segments[:1] == ["watch"]:
        video = (parse_qs(parts.query).get("v") or [""])[0] or None
    elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
        video = segments[1]
    playlist = (parse_qs(parts.query).get("list") or [""])[0]
    if segments[:1] == ["embed"] and video in (None, "videoseries") and playlist:
        # an embedded playlist ("/embed/videoseries?list=…", "/embed?listType=playlist&
        # list=…"): the publisher embedded the list, not a video called "videoseries"
        return LinkShape("youtube", NodeKind.PAGE, PLAYLIST_URL + playlist)
    if video and re.fullmatch(r"[\w-]{6,20}", video) and video != "videoseries":
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
        return LinkShape("youtube", NodeKind.CHANNEL, link.bare(), segments[1])
    return LinkShape("youtube", NodeKind.PAGE, url)


# -- embeds ------------------------------------------------------------------------------


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (".//iframe", ".//lite-youtube[@videoid]")


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The video (or the playlist) an embed iframe or a `lite-youtube` element plays."""
    from tracer.extract.urls import classify

    if element.tag == "lite-youtube":
        video = element.get("videoid")
        if not video:
            return []
        return [Embedded.of(classify(f"https://www.youtube.com/watch?v={video}"), "embed-youtube")]
    src = page.player(element, ("youtube.com", "youtube-nocookie.com"), "/embed/")
    if src is not None:
        shape = classify(src)
        if shape.kind == NodeKind.POST or shape.url.startswith(PLAYLIST_URL):
            video = Embedded.of(shape, "embed-youtube")
            video.display_name = squeeze(element.get("title"))
            return [video]
    return []


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("YouTube",),
    "ar": ("يوتيوب", "اليوتيوب"),
    "cs": ("YouTubu",),
    "fa": ("یوتیوب",),
    "fi": ("YouTubessa", "YouTubeen", "YouTubesta"),
    "nl": ("Youtube", "YouTubekanaal", "Youtubekanaal"),
    "pl": ("YouTubie", "YouTube'a", "YouTube'ie", "Youtube"),
    "ru": ("Ютуб", "ютуб", "Ютубе", "ютубе", "YouTube-канал"),
    "tr": ("YouTube'da", "YouTube'dan", "YouTube’da"),
    "uk": ("Ютуб", "ютуб", "Ютубі", "ютубі", "YouTube-канал"),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard(
    "youtube", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, PROFILE, prose=PROSE
)


class YouTubeAdapter(CardAdapter, card=CARD):
    """YouTube videos and channels."""

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        if not self._is_youtube(parts.host):
            return None
        identity = self._own_forms(parts, url) or self._ural_forms(url)
        if identity is None:
            return None
        if identity.kind == NodeKind.POST:
            start = _start_seconds(parts.arg("t") or parts.arg("start"))
            if start is not None:
                identity.attributes["start"] = start
            playlist = parts.arg("list")
            if playlist:
                identity.attributes["playlist"] = playlist
        return identity

    @staticmethod
    def _is_youtube(host: str) -> bool:
        bare = host.removeprefix("www.").removeprefix("m.")
        return bare in VIDEO_HOSTS or bare.startswith("youtube.")

    def _own_forms(self, parts: URLParts, url: str) -> Identity | None:
        """The forms ural does not take apart (live, nocookie, attribution links)."""
        segments = parts.segments
        host = parts.host.removeprefix("www.")
        if host in ("youtu.be", "yt.be"):
            if segments and _VIDEO_ID.match(segments[0]):
                return _video(segments[0], url)
            return None
        if not segments:
            return None
        head = segments[0].lower()
        if (
            head in _PATH_VIDEO_FORMS
            and len(segments) > 1
            and _VIDEO_ID.match(segments[1])
            and segments[1] != "videoseries"  # an embedded playlist, not a video
        ):
            return _video(segments[1], url, _PATH_VIDEO_FORMS[head])
        if head == "watch":
            video_id = parts.arg("v") or (segments[1] if len(segments) > 1 else "")
            if _VIDEO_ID.match(video_id):
                return _video(video_id, url)
            return None
        if head == "attribution_link":
            # /attribution_link?u=/watch%3Fv%3DID%26feature%3Dshare
            inner = split_url("https://www.youtube.com" + (parts.arg("u") or ""))
            inner_id = inner.arg("v") if inner else None
            return _video(inner_id, url) if inner_id and _VIDEO_ID.match(inner_id) else None
        handle = ACCOUNT_PATHS.handle(segments[0])
        if handle:
            return _channel(url, handle=handle)
        if head == "channel" and len(segments) > 1 and _CHANNEL_ID.match(segments[1]):
            return _channel(url, channel_id=segments[1])
        if head in ("c", "user") and len(segments) > 1 and _NAME.match(segments[1]):
            return _channel(url, legacy=(head, segments[1]))
        return None

    def _ural_forms(self, url: str) -> Identity | None:
        # imported on first use (only for YouTube's hosts): every command loads every
        # adapter, and importing ural compiles its URL patterns
        from ural.youtube import (
            YoutubeChannel,
            YoutubeShort,
            YoutubeUser,
            YoutubeVideo,
            parse_youtube_url,
        )

        try:
            found = parse_youtube_url(url)
        except (ValueError, TypeError, IndexError):
            return None
        # ural reads /embed/videoseries (an embedded playlist) as a video called "videoseries"
        if (
            isinstance(found, YoutubeVideo)
            and found.id
            and _VIDEO_ID.match(found.id)
            and found.id != "videoseries"
        ):
            return _video(found.id, url)
        if isinstance(found, YoutubeShort) and _VIDEO_ID.match(found.id):
            return _video(found.id, url, "shorts")
        if (
            isinstance(found, YoutubeChannel | YoutubeUser)
            and found.id
            and _CHANNEL_ID.match(found.id)
        ):
            return _channel(url, channel_id=found.id)
        return None

    # -- online --------------------------------------------------------------------------

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        result = working_copy(identity)
        try:
            if result.kind == NodeKind.POST and result.platform_id:
                return await self._enrich_video(result, http)
            return await self._enrich_channel(result, http)
        except TracerError as exc:
            return result.fail(str(exc))

    async def _enrich_video(self, identity: Identity, http: HTTPClient) -> Identity:
        query = urlencode({"url": identity.canonical_url, "format": "json"})
        fetched = await http.fetch(f"{OEMBED_URL}?{query}")
        if fetched.status_code in (401, 404):  # private, or removed: the video is gone
            return identity.gone(
                Availability.VIDEO_UNAVAILABLE, _status_reason(fetched, "YouTube oEmbed")
            )
        if not fetched.ok:
            return identity.fail(_status_reason(fetched, "YouTube oEmbed"))
        data = json_object(fetched)
        if data is None or not isinstance(data.get("title"), str):
            return identity.fail("YouTube oEmbed answered malformed JSON")
        identity.name = data["title"]
        identity.attributes["title"] = data["title"]
        for key in ("author_name", "author_url"):
            if isinstance(data.get(key), str):
                identity.attributes[key] = data[key]
        thumbnail = data.get("thumbnail_url")
        if not isinstance(thumbnail, str) or not thumbnail.startswith(("https://", "http://")):
            # the address oEmbed gives (480x360, 4:3) is known from the id alone
            thumbnail = THUMBNAIL_URL.format(id=identity.platform_id)
        identity.attributes["thumbnail"] = thumbnail
        # the picture the video is seen by before it plays: the media step fingerprints it
        identity.attributes["images"] = [thumbnail]
        author_url = data.get("author_url")
        channel = self.parse(author_url) if isinstance(author_url, str) else None
        if channel is not None and channel.handle:
            identity.handle = channel.handle
        sources = ["oembed"]
        # the publish date is only on the watch page; without it the video is still known
        try:
            page: Fetched | None = await http.fetch(identity.canonical_url)
        except TracerError as exc:
            page = None
            identity.attributes["date_error"] = str(exc)
        if page is not None:
            if self._read_watch_page(identity, page):
                sources.append("watch-page")
            elif "date_error" not in identity.attributes:
                identity.attributes["date_error"] = "the watch page names no publish date"
        identity.attributes["sources"] = sources
        identity.status = NodeStatus.RESOLVED
        return identity

    def _read_watch_page(self, identity: Identity, page: Fetched) -> bool:
        final = split_url(page.final_url)
        if final is not None and final.host.startswith("consent."):
            identity.attributes["date_error"] = "the watch page is behind a consent wall"
            return False
        if not page.ok:
            identity.attributes["date_error"] = _status_reason(page, "the watch page")
            return False
        text = page.text
        metas = _metas(text)
        channel_id = metas.get("channelId")
        if not channel_id:
            found = _JSON_CHANNEL.search(text)
            channel_id = found.group(1) if found else None
        if channel_id and _CHANNEL_ID.match(channel_id):
            identity.attributes["channel_id"] = channel_id
        candidates: list[tuple[str, str]] = [
            (key, metas[key]) for key in ("datePublished", "uploadDate") if key in metas
        ]
        candidates += [(m.group(1), m.group(2)) for m in _JSON_DATE.finditer(text)]
        best: tuple[datetime, Precision, str] | None = None
        for key, value in candidates:
            parsed = parse_publish_date(value)
            if parsed is None:
                continue
            # a date with a time beats a bare date; otherwise the first (the page's own) wins
            if best is None or (best[1] == Precision.DAY and parsed[1] == Precision.SECOND):
                best = (parsed[0], parsed[1], key)
        if best is None:
            return False
        method = (
            "youtube-publish-date"
            if best[2] in ("datePublished", "publishDate")
            else "youtube-upload-date"
        )
        identity.dated(Dating(best[0], method, best[1]))
        return True

    async def _enrich_channel(self, identity: Identity, http: HTTPClient) -> Identity:
        page = await http.fetch(identity.canonical_url)
        if page.status_code == 404:
            return identity.gone(
                Availability.ACCOUNT_SUSPENDED,
                "the channel does not exist or was removed (HTTP 404)",
            )
        if not page.ok:
            return identity.fail(_status_reason(page, "the channel page"))
        text = page.text
        metas = _metas(text)
        title = metas.get("og:title") or metas.get("name")
        canonical = _LINK_CANONICAL.search(text)
        channel_id: str | None = None
        if canonical:
            found = self.parse(html.unescape(canonical.group(1)))
            channel_id = found.platform_id if found is not None else None
        if channel_id is None:
            from_json = _JSON_CHANNEL.search(text)
            channel_id = from_json.group(1) if from_json else None
        if not title and not channel_id:
            return identity.fail("the channel page names neither a title nor a channel id")
        if title:
            identity.name = title
            identity.attributes["title"] = title
        if channel_id:
            # the id survives renames of the handle: one node for every name of the channel
            identity.platform_id = channel_id
            identity.attributes["channel_id"] = channel_id
            if identity.canonical_url != f"https://www.youtube.com/channel/{channel_id}":
                identity.attributes["named_url"] = identity.canonical_url
                identity.canonical_url = f"https://www.youtube.com/channel/{channel_id}"
        identity.attributes["sources"] = ["channel-page"]
        identity.status = NodeStatus.RESOLVED
        return identity


__all__ = ["YouTubeAdapter", "parse_publish_date"]
