"""Parsers of the pages t.me serves: a post's embed page and a channel's preview pages.

The markup is Telegram's widget markup (`tgme_widget_message*`, `tgme_channel_info*`,
`tgme_page*`), as in the real pages under ../shared/real/telegram/. Only what provenance
needs is read: who posted, when, the text, views, and where a forward came from.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tracer.extract.soup import is_tag, parse_html

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag


class PageError(ValueError):
    """The page is not what a t.me page of this kind looks like."""


@dataclass
class TelegramPost:
    """One message as a t.me page shows it."""

    channel: str  # the username in data-post, e.g. "topwar_official"
    post_id: int
    channel_id: int | None = None  # numeric, from data-view; survives renames
    published_at: datetime | None = None
    author: str | None = None  # the channel's display name
    signature: str | None = None  # the signed author inside a channel, when shown
    text: str = ""
    views: int | None = None
    views_text: str | None = None
    forwarded_from_url: str | None = None
    forwarded_from_name: str | None = None
    media: list[str] = field(default_factory=list)
    #: photo and video-thumbnail URLs (Telegram's CDN), from the page's background-image styles
    images: list[str] = field(default_factory=list)
    link_preview_url: str | None = None


@dataclass
class ChannelPage:
    """A channel as t.me/s/<channel> (preview) or t.me/<channel> (contact card) shows it."""

    handle: str | None
    title: str | None
    description: str | None = None
    channel_id: int | None = None
    subscribers: str | None = None
    #: False for t.me/<name> cards: the channel has no public preview, or is a user/group
    has_preview: bool = False
    posts: list[TelegramPost] = field(default_factory=list)
    #: the id to ask `?before=` for the next older page, None on the oldest page
    before: int | None = None


#: stands in for <br> while the markup's own indentation is folded away
_BREAK = "\ue000"


def _squash(text: str) -> str:
    # t.me markup is indented; keep line breaks that came from <br>, fold the rest
    lines = (" ".join(line.split()) for line in text.replace("\xa0", " ").split(_BREAK))
    return "\n".join(line for line in lines if line).strip()


def _text(element: Tag | None) -> str | None:
    if element is None:
        return None
    for br in element.find_all("br"):
        br.replace_with(_BREAK)
    value = _squash(element.get_text())
    return value or None


_SUFFIX = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def parse_count(text: str | None) -> int | None:
    """`214.4K` -> 214400: t.me rounds large view counts to one decimal."""
    if not text:
        return None
    match = re.fullmatch(r"\s*([\d.,]+)\s*([KMB]?)\s*", text, re.IGNORECASE)
    if not match:
        return None
    try:
        number = float(match.group(1).replace(",", ""))
    except ValueError:
        return None
    return round(number * _SUFFIX.get(match.group(2).upper(), 1))


def decode_data_view(value: str | None) -> int | None:
    """The numeric channel id inside data-view (base64 JSON `{"c": -id, "p": post, ...}`)."""
    if not value:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        channel = int(payload["c"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    return abs(channel) or None


def _time(message: Tag) -> datetime | None:
    # the post time is the <time> inside the date link; video durations are <time> too
    stamp = message.select_one("a.tgme_widget_message_date time[datetime]")
    if stamp is None:
        return None
    try:
        value = datetime.fromisoformat(str(stamp["datetime"]))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_MEDIA = {
    "photo": ".tgme_widget_message_photo_wrap",
    "video": ".tgme_widget_message_video_player",
    "round_video": ".tgme_widget_message_roundvideo_player",
    "voice": ".tgme_widget_message_voice_player",
    "document": ".tgme_widget_message_document",
    "poll": ".tgme_widget_message_poll",
    "sticker": ".tgme_widget_message_sticker_wrap",
}


_BACKGROUND = re.compile(r"background-image:\s*url\(\s*['\"]?(https?://[^'\")\s]+)")


def _images(message: Tag) -> list[str]:
    found: list[str] = []
    for tag in message.select(".tgme_widget_message_photo_wrap, .tgme_widget_message_video_thumb"):
        match = _BACKGROUND.search(str(tag.get("style") or ""))
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def _post(message: Tag) -> TelegramPost:
    data_post = str(message.get("data-post") or "")
    channel, _, number = data_post.rpartition("/")
    if not channel or not number.isdigit():
        raise PageError(f"message without a usable data-post ({data_post!r})")
    forwarded = message.select_one(".tgme_widget_message_forwarded_from_name")
    preview = message.select_one("a.tgme_widget_message_link_preview[href]")
    views_text = _text(message.select_one(".tgme_widget_message_views"))
    return TelegramPost(
        channel=channel,
        post_id=int(number),
        channel_id=decode_data_view(str(message.get("data-view") or "") or None),
        published_at=_time(message),
        author=_text(message.select_one(".tgme_widget_message_owner_name")),
        signature=_text(message.select_one(".tgme_widget_message_from_author")),
        text=_text(message.select_one(".tgme_widget_message_text")) or "",
        views=parse_count(views_text),
        views_text=views_text,
        forwarded_from_url=str(forwarded["href"])
        if forwarded is not None and forwarded.has_attr("href")
        else None,
        forwarded_from_name=_text(forwarded),
        media=[kind for kind, selector in _MEDIA.items() if message.select_one(selector)],
        images=_images(message),
        link_preview_url=str(preview["href"]) if preview is not None else None,
    )


def parse_posts(html: str | bytes) -> list[TelegramPost]:
    """Every message on a page, in page order (oldest first on t.me/s/ pages)."""
    soup = parse_html(html)
    return [_post(message) for message in soup.select("div.tgme_widget_message[data-post]")]


def parse_embed(html: str | bytes) -> TelegramPost:
    """The one post of a t.me/<channel>/<id>?embed=1 page.

    Raises PageError with Telegram's own words ("Post not found", ...) when the page
    holds no post, and a description of the problem when the page is not t.me markup.
    """
    soup = parse_html(html)
    message = soup.select_one("div.tgme_widget_message[data-post]")
    if message is None:
        error = _text(soup.select_one(".tgme_widget_message_error"))
        if error:
            raise PageError(error)
        raise PageError("not a t.me post page (no tgme_widget_message)")
    return _post(message)


def _meta(soup: BeautifulSoup, prop: str) -> str | None:
    tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    if not is_tag(tag) or not tag.get("content"):
        return None
    return _squash(str(tag["content"])) or None


def parse_channel(html: str | bytes) -> ChannelPage:
    """A t.me/s/<channel> page (with its posts) or a t.me/<channel> card.

    Raises PageError when the page names no channel (an unknown or private username:
    t.me then shows a bare "Contact @name" card without a title).
    """
    soup = parse_html(html)
    info = soup.select_one(".tgme_channel_info")
    if info is not None:
        username = _text(info.select_one(".tgme_channel_info_header_username"))
        posts = [_post(m) for m in soup.select("div.tgme_widget_message[data-post]")]
        more = soup.select_one("a.tme_messages_more[data-before]")
        before = str(more["data-before"]) if more is not None else ""
        subscribers = None
        for counter in info.select(".tgme_channel_info_counter"):
            if _text(counter.select_one(".counter_type")) in ("subscribers", "subscriber"):
                subscribers = _text(counter.select_one(".counter_value"))
        return ChannelPage(
            handle=username.lstrip("@") if username else None,
            title=_text(info.select_one(".tgme_channel_info_header_title")),
            description=_text(info.select_one(".tgme_channel_info_description")),
            channel_id=next((p.channel_id for p in posts if p.channel_id), None),
            subscribers=subscribers,
            has_preview=True,
            posts=posts,
            before=int(before) if before.isdigit() else None,
        )
    title = _text(soup.select_one(".tgme_page_title"))
    if not title:
        raise PageError("t.me shows no channel or user by this name")
    extra = _text(soup.select_one(".tgme_page_extra"))
    return ChannelPage(
        handle=_handle_from_app_link(soup),
        title=title,
        description=_text(soup.select_one(".tgme_page_description"))
        or _meta(soup, "og:description"),
        subscribers=extra,
        has_preview=False,
    )


def _handle_from_app_link(soup: BeautifulSoup) -> str | None:
    # every t.me page links the app as tg://resolve?domain=<username>
    link = _meta(soup, "al:android:url") or _meta(soup, "al:ios:url") or ""
    match = re.search(r"[?&]domain=([A-Za-z0-9_]+)", link)
    return match.group(1) if match else None
