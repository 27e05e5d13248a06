"""t.me as fakeweb plays it, built at test time from the real pages in
../shared/real/telegram/ (read in place, never copied).

- `/<channel>/<id>?embed=1`: the embed page of a post, its message markup taken from
  the real channel page (`full.html`) or the real single-message snippets;
- `/s/<channel>[?before=<id>]`: the real channel page for the newest posts; older
  pages are the same real page with ids moved back 20 and dates one day per page,
  so paging and date windows have real markup to walk through;
- faults a test switches on: deleted posts, channels without a public preview,
  unknown names, rate limiting, malformed pages.

Two shapes are not among the saved pages and follow t.me's markup as served: the embed
page's error box (`tgme_widget_message_error`) and the `tgme_page` card that t.me shows
at t.me/<name> when there is no preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bs4 import BeautifulSoup

from tests.fakeweb.server import FakeRequest, FakeWeb, Response, redirect

REAL_TELEGRAM = Path(__file__).resolve().parents[3] / "shared" / "real" / "telegram"
CHANNEL = "topwar_official"  # the channel of full.html
#: ids move back this much per older page, more than one page's span of real ids
PAGE_SHIFT = 20

_POST_LINK = re.compile(rf"({CHANNEL}/|before=|data-before=\")(\d+)")
_DATETIME = re.compile(r'datetime="([^"]+)"')


def _embed_page(message_html: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram Widget</title></head>'
        f'<body class="body_widget_post emoji_image">{message_html}</body></html>'
    )


def _error_embed(text: str) -> str:
    return _embed_page(
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message_error">{text}</div></div>'
    )


def card_page(handle: str, title: str | None, description: str = "") -> str:
    """The t.me/<name> card; without a title it is t.me's bare "contact" card."""
    title_html = (
        f'<div class="tgme_page_title"><span dir="auto">{title}</span></div>' if title else ""
    )
    heading = title or f"Contact @{handle}"
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>Telegram: {heading}</title>"
        f'<meta property="og:title" content="{heading}">'
        f'<meta property="al:android:url" content="tg://resolve?domain={handle}">'
        '</head><body class="no_transition"><div class="tgme_page_wrap"><div class="tgme_page">'
        f'{title_html}<div class="tgme_page_extra">1 234 subscribers</div>'
        f'<div class="tgme_page_description" dir="auto">{description}</div>'
        "</div></div></body></html>"
    )


@dataclass
class TelegramWorld:
    """The state of fake t.me; install it with `world.install(fakeweb)`."""

    #: pages older than this many are not there: the channel's first page
    history_pages: int = 30
    deleted: set[str] = field(default_factory=set)  # "channel/id" answered "Post not found"
    no_preview: dict[str, str | None] = field(default_factory=dict)  # handle -> card title
    rate_limited: bool = False
    malformed: bool = False

    def __post_init__(self) -> None:
        self.channel_page = (REAL_TELEGRAM / "full.html").read_text(encoding="utf-8")
        self.messages: dict[str, str] = {}
        for path in sorted(REAL_TELEGRAM.glob("message_*.html")):
            self._index(path.read_text(encoding="utf-8"))
        self._index(self.channel_page)
        ids = [int(k.rsplit("/", 1)[1]) for k in self.messages if k.startswith(CHANNEL + "/")]
        self.newest, self.oldest = max(ids), min(ids)

    def _index(self, html: str) -> None:
        soup = BeautifulSoup(html, "lxml")
        for wrap in soup.select("div.tgme_widget_message_wrap"):
            message = wrap.select_one("div.tgme_widget_message[data-post]")
            if message is not None:
                self.messages.setdefault(str(message["data-post"]).lower(), str(wrap))

    def install(self, fakeweb: FakeWeb) -> TelegramWorld:
        for host in ("t.me", "telegram.me"):
            fakeweb.add(host, self.handle)
        return self

    # -- pages ---------------------------------------------------------------------------

    def older_page(self, steps: int) -> str:
        """The real channel page moved `steps` pages back in ids and days."""
        if steps == 0:
            return self.channel_page

        def shift_id(match: re.Match[str]) -> str:
            return f"{match.group(1)}{int(match.group(2)) - steps * PAGE_SHIFT}"

        def shift_time(match: re.Match[str]) -> str:
            when = datetime.fromisoformat(match.group(1)) - timedelta(days=steps)
            return f'datetime="{when.isoformat()}"'

        page = _DATETIME.sub(shift_time, _POST_LINK.sub(shift_id, self.channel_page))
        if steps >= self.history_pages:
            # the first page of the channel offers nothing older
            page = re.sub(r'<a href="/s/[^"]*"\s+class="tme_messages_more[^>]*></a>', "", page)
        return page

    def channel_before(self, before: int | None) -> str:
        if before is None or before > self.newest:
            return self.channel_page
        # the page whose id range holds the newest id below `before`
        steps = max(0, -(-(self.oldest - (before - 1)) // PAGE_SHIFT))
        if steps > self.history_pages:
            steps = self.history_pages
        soup = BeautifulSoup(self.older_page(steps), "lxml")
        for message in soup.select("div.tgme_widget_message[data-post]"):
            if int(str(message["data-post"]).rsplit("/", 1)[1]) >= before:
                wrap = message.find_parent("div", class_="tgme_widget_message_wrap")
                (wrap or message).decompose()
        return str(soup)

    # -- the handler ---------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> Response:
        if self.rate_limited:
            return Response(429, "Too Many Requests", {"Retry-After": "0"}, "text/plain")
        if self.malformed:
            return Response(
                200, "<html><body><div class='tgme_widget_message'>", content_type="text/html"
            )
        segments = [s for s in request.path.split("/") if s]
        if len(segments) == 2 and segments[0] == "s":
            handle = segments[1].lower()
            if handle in self.no_preview:
                return redirect(f"https://t.me/{handle}")
            if handle != CHANNEL:
                return redirect(f"https://t.me/{handle}")  # unknown names: the bare card
            before = request.arg("before")
            return Response(200, self.channel_before(int(before) if before else None))
        if len(segments) == 1:
            handle = segments[0].lower()
            return Response(200, card_page(handle, self.no_preview.get(handle)))
        if len(segments) == 2 and segments[1].isdigit():
            key = f"{segments[0]}/{segments[1]}".lower()
            if key in self.deleted or key not in self.messages:
                return Response(200, _error_embed("Post not found"))
            return Response(200, _embed_page(self.messages[key]))
        return Response(404, "Not Found", content_type="text/plain")
