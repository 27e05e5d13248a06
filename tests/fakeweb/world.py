"""A small world for end-to-end traces: news sites, X, t.me and the Wayback Machine, all
built from facts a test chooses, so the stored chain can be compared with them.

- news sites: article pages written in the shape of real ones (OpenGraph, JSON-LD,
  tweet blockquotes with their signature and status link, prose attributions);
- X: `tests.fakeweb.x.XWorld` serves the posts' syndication JSON;
- t.me: channels whose `/s/<channel>[?before=]` history pages and `?embed=1` post pages
  are the REAL t.me markup of ../shared/real/telegram/ (the page skeleton of full.html,
  each message re-addressed from the real forwarded-post snippet), read in place;
- web.archive.org: a CDX server over the world's captures, answering the queries the
  Wayback Machine answers (exact URL, `prefix*`, `*.domain`, from/to, repeated
  `filter=[!]field:regex`, `collapse=urlkey`, limit) in its plain-text line format, and
  replaying captured pages at /web/<timestamp>/<url>. It can be taken down (503).
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.fakeweb.archives import stamp
from tests.fakeweb.server import FakeRequest, FakeWeb, Response, redirect
from tests.fakeweb.telegram import REAL_TELEGRAM
from tests.fakeweb.x import XWorld
from tracer.follow.tracer import TraceOptions, Tracer
from tracer.identity.idtime import X_EPOCH_MS
from tracer.locate.locator import trace_locator
from tracer.runtime import Runtime
from tracer.sourcesearch.named import named_search
from tracer.sourcesearch.settings import SearchSettings
from tracer.store.upserts import Store

PAGE_SIZE = 20  # posts per t.me history page, as t.me serves them
_MESSAGES = "@@MESSAGES@@"


def snowflake(when: datetime, sequence: int = 0) -> str:
    """The X status id made at `when` (ms since X's epoch in the bits above 22)."""
    ms = int(when.timestamp() * 1000) - X_EPOCH_MS
    return str((ms << 22) + sequence)


def surt(url: str) -> str:
    """The SURT key the Wayback Machine files a URL under: com,rt)/africa/1-a."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    key = ",".join(reversed(host.split("."))) + ")" + (parts.path or "/").lower()
    return key + (f"?{parts.query.lower()}" if parts.query else "")


# -- t.me ------------------------------------------------------------------------------------


@dataclass
class Post:
    channel: str
    post_id: int
    text: str
    at: datetime
    forwarded_from: str | None = None  # "channel/id"
    forwarded_name: str | None = None

    @property
    def url(self) -> str:
        return f"https://t.me/{self.channel}/{self.post_id}"


@cache
def _message_template() -> str:
    """The real forwarded-post snippet with its addressable parts marked."""
    soup = BeautifulSoup(
        (REAL_TELEGRAM / "message_media_forwarded_from.html").read_text(encoding="utf-8"), "lxml"
    )
    message = soup.select_one("div.tgme_widget_message[data-post]")
    assert message is not None
    message["data-post"] = "@@CHANNEL@@/@@ID@@"
    for link in message.select(".tgme_widget_message_user a, a.tgme_widget_message_owner_name"):
        link["href"] = "https://t.me/@@CHANNEL@@"
    owner = message.select_one("a.tgme_widget_message_owner_name span")
    assert owner is not None
    owner.string = "@@TITLE@@"
    for photo in message.select("a.tgme_widget_message_photo_wrap"):
        photo.decompose()
    forwarded = message.select_one(".tgme_widget_message_forwarded_from")
    assert forwarded is not None
    forwarded.replace_with(soup.new_string("@@FORWARDED@@"))
    text = message.select_one(".tgme_widget_message_text")
    assert text is not None
    text.clear()
    text.append("@@TEXT@@")
    date = message.select_one("a.tgme_widget_message_date")
    assert date is not None
    date["href"] = "https://t.me/@@CHANNEL@@/@@ID@@"
    time = date.select_one("time")
    assert time is not None
    time["datetime"] = "@@TIME@@"
    wrap = soup.select_one("div.tgme_widget_message_wrap")
    return str(wrap)


@cache
def _channel_template() -> str:
    """full.html without its messages, its channel's name and title marked."""
    soup = BeautifulSoup((REAL_TELEGRAM / "full.html").read_text(encoding="utf-8"), "lxml")
    for wrap in soup.select("div.tgme_widget_message_wrap"):
        wrap.decompose()
    for title in soup.select(".tgme_channel_info_header_title span, .tgme_header_title span"):
        title.string = "@@TITLE@@"
    more = soup.select_one("div.js-messages_more_wrap")
    assert more is not None
    more.replace_with(soup.new_string("@@MORE@@" + _MESSAGES))
    return str(soup).replace("topwar_official", "@@CHANNEL@@")


def message_html(post: Post, title: str) -> str:
    forwarded = ""
    if post.forwarded_from:
        name = html.escape(post.forwarded_name or post.forwarded_from.split("/")[0])
        forwarded = (
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
            '<a class="tgme_widget_message_forwarded_from_name" '
            f'href="https://t.me/{post.forwarded_from}"><span dir="auto">{name}</span></a></div>'
        )
    return (
        _message_template()
        .replace("@@FORWARDED@@", forwarded)
        .replace("@@CHANNEL@@", post.channel)
        .replace("@@ID@@", str(post.post_id))
        .replace("@@TITLE@@", html.escape(title))
        .replace("@@TEXT@@", html.escape(post.text))
        .replace("@@TIME@@", post.at.astimezone(UTC).isoformat())
    )


@dataclass
class Channels:
    """Public channels with histories; install on t.me and telegram.me."""

    titles: dict[str, str] = field(default_factory=dict)
    posts: dict[str, list[Post]] = field(default_factory=dict)  # oldest first

    def channel(self, handle: str, title: str) -> None:
        self.titles[handle.lower()] = title
        self.posts.setdefault(handle.lower(), [])

    def post(self, post: Post) -> Post:
        self.posts.setdefault(post.channel.lower(), []).append(post)
        self.posts[post.channel.lower()].sort(key=lambda p: p.post_id)
        return post

    def install(self, web: FakeWeb) -> None:
        for host in ("t.me", "telegram.me"):
            web.add(host, self.handle)

    def history(self, handle: str, before: int | None) -> str:
        posts = [p for p in self.posts[handle] if before is None or p.post_id < before]
        page = posts[-PAGE_SIZE:]
        more = ""
        if page and len(posts) > len(page):
            oldest = page[0].post_id
            more = (
                '<div class="tgme_widget_message_centered js-messages_more_wrap">'
                f'<a href="/s/{handle}?before={oldest}" data-before="{oldest}" '
                'class="tme_messages_more js-messages_more"></a></div>'
            )
        title = self.titles.get(handle, handle)
        messages = "".join(message_html(p, title) for p in page)
        return (
            _channel_template()
            .replace("@@MORE@@", more)
            .replace("@@CHANNEL@@", handle)
            .replace("@@TITLE@@", html.escape(title))
            .replace(_MESSAGES, messages)
        )

    def handle(self, request: FakeRequest) -> Response:
        segments = [s for s in request.path.split("/") if s]
        if len(segments) == 2 and segments[0] == "s":
            handle = segments[1].lower()
            if handle not in self.posts:
                return redirect(f"https://t.me/{handle}")
            before = request.arg("before")
            return Response(200, self.history(handle, int(before) if before else None))
        if len(segments) == 1:
            return redirect(f"https://t.me/s/{segments[0].lower()}")
        if len(segments) == 2 and segments[1].isdigit():
            handle, number = segments[0].lower(), int(segments[1])
            for post in self.posts.get(handle, []):
                if post.post_id == number:
                    body = message_html(post, self.titles.get(handle, handle))
                    return Response(200, _embed(body))
            return Response(
                200, _embed('<div class="tgme_widget_message_error">Post not found</div>')
            )
        return Response(404, "Not Found", content_type="text/plain")


def _embed(message: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram Widget</title></head>'
        f'<body class="body_widget_post emoji_image">{message}</body></html>'
    )


# -- the Wayback Machine -----------------------------------------------------------------------


@dataclass
class Captured:
    url: str
    at: datetime
    status: int = 200
    mimetype: str = "text/html"


@dataclass
class Wayback:
    """web.archive.org over the world's captures: CDX search and replay."""

    captures: list[Captured] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)  # original URL -> page
    down: bool = False
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    _index: dict[str, list[Captured]] = field(default_factory=dict, repr=False)
    _index_of: list[Captured] = field(default_factory=list, repr=False)

    def capture(self, url: str, at: datetime, status: int = 200, body: str | None = None) -> None:
        self.captures.append(Captured(url, at, status))
        if body is not None:
            self.bodies[url] = body

    def install(self, web: FakeWeb) -> None:
        web.add("web.archive.org", self.handle)

    def handle(self, request: FakeRequest) -> Response:
        if self.down:
            return Response(503, "<html>Service Unavailable</html>", content_type="text/html")
        if request.path == "/cdx/search/cdx":
            self.queries.append(request.query)
            return Response(200, self.search(request), content_type="text/plain")
        match = re.match(r"^/web/(\d{14})(?:id_)?/(.+)$", request.target)
        if match:
            original = match.group(2)
            for captured in self.captures:
                if captured.url == original and stamp(captured.at) == match.group(1):
                    body = self.bodies.get(original, "<html><body>archived</body></html>")
                    return Response(200, body, {"Memento-Datetime": match.group(1)})
        return Response(404, "<html>Not in archive</html>", content_type="text/html")

    def _matches(self, pattern: str, captured: Captured) -> bool:
        key = surt(captured.url)
        if pattern.startswith("*."):
            domain = surt(pattern[2:].rstrip("/")).split(")")[0]
            return key.split(")")[0] == domain or key.startswith(domain + ",")
        if pattern.endswith("*"):
            return key.startswith(surt(pattern[:-1]))
        return key == surt(pattern)

    def _rows(self, pattern: str) -> list[Captured]:
        if pattern.startswith("*.") or pattern.endswith("*"):
            return [c for c in self.captures if self._matches(pattern, c)]
        # exact look-ups are most of a trace's queries: answer them from an index
        if len(self._index_of) != len(self.captures):
            self._index.clear()
            for captured in self.captures:
                self._index.setdefault(surt(captured.url), []).append(captured)
            self._index_of = list(self.captures)
        return list(self._index.get(surt(pattern), []))

    def search(self, request: FakeRequest) -> str:
        pattern = request.arg("url") or ""
        start = (request.arg("from") or "").ljust(14, "0")
        end = (request.arg("to") or "99991231235959").ljust(14, "9")
        rows = self._rows(pattern)
        rows = [c for c in rows if start <= stamp(c.at) <= end]
        for expression in request.query.get("filter", []):
            negate = expression.startswith("!")
            name, _, regex = expression.lstrip("!").partition(":")
            flags = 0
            if regex.startswith("(?i)"):
                regex, flags = regex[4:], re.IGNORECASE
            compiled = re.compile(regex, flags)

            def value(c: Captured, name: str = name) -> str:
                return {"original": c.url, "statuscode": str(c.status), "mimetype": c.mimetype}[
                    name
                ]

            rows = [c for c in rows if bool(compiled.fullmatch(value(c))) != negate]
        rows.sort(key=lambda c: (surt(c.url), c.at))
        if request.arg("collapse") == "urlkey":
            seen: set[str] = set()
            rows = [c for c in rows if not (surt(c.url) in seen or seen.add(surt(c.url)))]
        limit = int(request.arg("limit") or 0)
        if limit > 0:
            rows = rows[:limit]
        return "".join(
            f"{surt(c.url)} {stamp(c.at)} {c.url} {c.mimetype} {c.status} "
            f"{'D' * 4}{abs(hash(c.url)) % 10**8:08d} 1234\n"
            for c in rows
        )


# -- news sites --------------------------------------------------------------------------------


@dataclass
class Tweet:
    tweet_id: str
    handle: str
    name: str
    text: str
    at: datetime

    @property
    def url(self) -> str:
        return f"https://x.com/{self.handle}/status/{self.tweet_id}"


def tweet_blockquote(tweet: Tweet) -> str:
    when = f"{tweet.at:%B} {tweet.at.day}, {tweet.at.year}"
    return (
        '<blockquote class="twitter-tweet" data-dnt="true">'
        f'<p lang="en" dir="ltr">{html.escape(tweet.text)}</p>&mdash; {html.escape(tweet.name)} '
        f'(@{tweet.handle}) <a href="https://twitter.com/{tweet.handle}/status/{tweet.tweet_id}'
        f'?ref_src=twsrc%5Etfw">{when}</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )


def article_html(
    url: str, title: str, outlet: str, published: datetime, paragraphs: Iterable[str]
) -> str:
    """A news page in the shape publishers serve: canonical, OpenGraph, JSON-LD, article."""
    iso = published.astimezone(UTC).isoformat()
    body = "\n".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(outlet)}</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{iso}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{html.escape(title)}",
 "datePublished": "{iso}", "publisher": {{"@type": "Organization", "name": "{html.escape(outlet)}"}},
 "mainEntityOfPage": "{url}"}}
</script></head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
<div class="byline">{published:%d %B %Y}</div>
<div class="entry-content">
{body}
</div></article></main></body></html>"""


@dataclass
class Sites:
    """Pages by URL on any number of hosts, with a home page per host."""

    pages: dict[str, str] = field(default_factory=dict)
    latency: float = 0.0  # seconds before each answer, like a real site's

    def page(self, url: str, body: str) -> None:
        self.pages[_key(url)] = body

    def install(self, web: FakeWeb) -> None:
        hosts = {urlsplit(u if "://" in u else "https://" + u).hostname for u in self.pages}
        for host in hosts:
            if host:
                web.add(host, self.handle)
                web.add(host.removeprefix("www."), self.handle)
                web.add("www." + host.removeprefix("www."), self.handle)

    def handle(self, request: FakeRequest) -> Response:
        body = self.pages.get(_key(f"https://{request.host}{request.path}"))
        if body is None and request.path in ("", "/"):
            body = f"<html><head><title>{request.host}</title></head><body>Home</body></html>"
        if body is None:
            return Response(404, "<html>Not Found</html>", delay=self.latency)
        return Response(200, body, delay=self.latency)


def _key(url: str) -> str:
    parts = urlsplit(url if "://" in url else "https://" + url)
    return (parts.hostname or "").removeprefix("www.") + (parts.path.rstrip("/") or "/")


# -- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    sites: Sites = field(default_factory=Sites)
    x: XWorld = field(default_factory=XWorld)
    channels: Channels = field(default_factory=Channels)
    wayback: Wayback = field(default_factory=Wayback)

    def install(self, web: FakeWeb) -> World:
        self.sites.install(web)
        self.x.install(web)
        self.channels.install(web)
        self.wayback.install(web)
        return self

    def tweet(self, tweet: Tweet) -> Tweet:
        self.x.post(
            tweet.tweet_id,
            screen_name=tweet.handle,
            name=tweet.name,
            text=tweet.text,
            created_at=tweet.at,
        )
        return tweet


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# -- the Mali story: the seed's shape, with facts the tests know -------------------------------


@dataclass
class MaliStory:
    """Article -> RT (named) -> RT's article -> GREY ZONE post -> forwarded from sahel_front.

    The article also names GREY ZONE through RT, embeds a tweet, and the archive holds
    captures of some pages at known times.
    """

    world: World
    root_url: str
    root_published: datetime
    tweet: Tweet
    rt_article: str
    rt_other: str  # in the window, a claim word in its URL, about something else
    rt_unrelated: str  # in the window, nothing of the claim
    grey_post: Post
    origin_post: Post
    captures: dict[str, datetime]


EVIDENCE = (
    "Russia Today (RT) said Ukraine's Defense Intelligence (HUR) has been training local "
    "Tuareg separatist militants to use FPV drones, citing the Wagner-affiliated Telegram "
    "channel GREY ZONE."
)


def mali_story() -> MaliStory:
    world = World()
    root_published = utc(2024, 7, 29, 10, 0)
    tweet = world.tweet(
        Tweet(
            snowflake(utc(2024, 7, 28, 19, 44, 57)),
            "sahel_watch",
            "Sahel Watch",
            "Destroyed Wagner column near Tinzaouaten, northern Mali",
            utc(2024, 7, 28, 19, 44, 57),
        )
    )
    origin = Post(
        "sahel_front",
        812,
        "Tuareg fighters trained by Ukraine's HUR intelligence used FPV drones against "
        "the Wagner convoy near Tinzaouaten",
        utc(2024, 7, 27, 15, 30),
    )
    grey = Post(
        "grey_zone",
        23150,
        origin.text,
        utc(2024, 7, 27, 18, 5),
        forwarded_from="sahel_front/812",
        forwarded_name="Sahel Front",
    )
    world.channels.channel("sahel_front", "Sahel Front")
    world.channels.channel("grey_zone", "Серая Зона")
    world.channels.post(origin)
    world.channels.post(grey)
    for number, text, at in [
        (23146, "Weather over Bakhmut: rain all week", utc(2024, 7, 26, 9, 0)),
        (23148, "Evening summary from the front", utc(2024, 7, 27, 12, 0)),
        (23152, "Subscribe to our reserve channel", utc(2024, 7, 28, 8, 0)),
    ]:
        world.channels.post(Post("grey_zone", number, text, at))
    world.channels.post(
        Post("sahel_front", 811, "Convoy spotted on the road north", utc(2024, 7, 27, 9))
    )

    root_url = "https://news.example/2024/07/29/tuareg-rebels-wagner-drones"
    world.sites.page(
        root_url,
        article_html(
            root_url,
            "Tuareg rebels say they destroyed a Wagner column",
            "News Example",
            root_published,
            [
                "A column of Wagner mercenaries was destroyed near Tinzaouaten in "
                "northern Mali on Saturday.",
                "Footage of the aftermath spread on X within hours:",
                tweet_blockquote(tweet),
                EVIDENCE,
            ],
        ),
    )
    rt_article = "https://www.rt.com/africa/601777-ukraine-tuareg-drones-mali/"
    world.sites.page(
        rt_article,
        article_html(
            rt_article,
            "Kyiv trains Tuareg militants to fly drones against Russians in Mali",
            "RT",
            utc(2024, 7, 28, 9, 0),
            [
                "Ukraine's military intelligence (HUR) has been training local Tuareg "
                "separatist militants in the use of FPV drones, the Wagner-affiliated "
                "Telegram channel GREY ZONE reported.",
                'The channel <a href="https://t.me/grey_zone/23150">published the claim</a> '
                "on Saturday, saying two groups had been brought to Ukraine.",
            ],
        ),
    )
    rt_other = "https://www.rt.com/russia/601690-ukraine-grain-deal-talks/"
    world.sites.page(
        rt_other,
        article_html(
            rt_other,
            "Grain deal talks stall again",
            "RT",
            utc(2024, 7, 27, 12, 0),
            ["Negotiations over grain exports through the Black Sea stalled on Saturday."],
        ),
    )
    rt_unrelated = "https://www.rt.com/news/601700-moscow-heatwave-record/"
    world.sites.page(
        rt_unrelated,
        article_html(
            rt_unrelated,
            "Moscow sets a heat record",
            "RT",
            utc(2024, 7, 27, 8, 0),
            ["Temperatures in Moscow reached a record on Saturday afternoon."],
        ),
    )
    captures = {
        root_url: utc(2024, 7, 29, 12, 0),
        rt_article: utc(2024, 7, 28, 9, 30),
        rt_other: utc(2024, 7, 27, 13, 0),
        rt_unrelated: utc(2024, 7, 27, 9, 0),
        grey.url: utc(2024, 7, 27, 18, 30),
        f"https://twitter.com/{tweet.handle}/status/{tweet.tweet_id}": utc(2024, 7, 29, 1, 0),
    }
    for url, at in captures.items():
        world.wayback.capture(url, at, body=world.sites.pages.get(_key(url)))
    # an RT page captured long before the window: never a candidate
    world.wayback.capture(
        "https://www.rt.com/africa/590001-ukraine-tuareg-old/", utc(2024, 1, 5, 10, 0)
    )
    return MaliStory(
        world,
        root_url,
        root_published,
        tweet,
        rt_article,
        rt_other,
        rt_unrelated,
        grey,
        origin,
        captures,
    )


# -- running a trace against the world ---------------------------------------------------------


def archive_list(path: Path, **wayback: object) -> Path:
    """An archive list asking only the Wayback Machine (the one this world plays), at test
    pace; written to `path` for TRACER_ARCHIVE_LIST."""
    from tracer.locate.locator import load_archive_configs
    from tracer.settings import load_settings

    names = load_archive_configs(load_settings(env={}), env={})
    lines = [f"[{name}]\nenabled = false\n" for name in names if name != "wayback"]
    settings = {"requests_per_minute": 60000, "concurrency": 4, "max_attempts": 1, **wayback}
    lines.append("[wayback]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in settings.items()))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _toml(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower()


@contextmanager
def world_runtime(web: FakeWeb, database_url: str, **http: Any) -> Iterator[Runtime]:
    """A runtime whose HTTP reaches only fakeweb, without the response cache; closed when
    the block ends."""
    from tracer.settings import load_settings

    overrides = {
        "database": {"url": database_url},
        "http": web.http_settings(**http).model_dump(),
        "cache": {"enabled": False},
    }
    Store.open_upgraded(database_url).close()
    runtime = Runtime(load_settings(env={}, overrides=overrides))
    try:
        yield runtime
    finally:
        runtime.close()


def trace_root(
    runtime: Runtime, source: str, options: TraceOptions, search: SearchSettings | None = None
) -> int:
    """The root node id of a trace as `tracer trace` runs it online, with the named-source
    search."""

    async def go() -> int:
        async with runtime.http() as http:
            tracer = Tracer(
                runtime.store,
                http,
                locate=trace_locator(runtime),
                search=named_search(runtime, search),
            )
            return (await tracer.run(source, options)).root_node_id

    return asyncio.run(go())


def run_trace(
    runtime: Runtime,
    source: str,
    *,
    depth: int = 2,
    keywords: Sequence[str] = (),
    search: SearchSettings | None = None,
) -> dict[str, Any]:
    """A trace as `tracer trace` runs it online, with the named-source search, as JSON."""
    from tracer.store.chain import load_chain

    options = TraceOptions(depth=depth, keywords=list(keywords))
    root = trace_root(runtime, source, options, search)
    with runtime.store.session() as session:
        chain = load_chain(session, root).to_json()
    chain["input"] = source
    return chain


# -- a large world, for the benchmark -----------------------------------------------------------


@dataclass
class LargeWorld:
    world: World
    root_url: str
    articles: list[str]
    posts: int


def large_world(articles: int = 50, posts: int = 500, hosts: int = 0) -> LargeWorld:
    """`articles` articles in a depth-2 tree under one root, citing `posts` posts between
    them (one in five a tweet, the rest Telegram posts of ten channels); the first-level
    articles also name RT with a claim, so the named search runs; half of everything is
    captured in the archive."""
    world = World()
    hosts = hosts or articles  # an outlet's links to its own site are navigation, not sources
    base = utc(2024, 7, 29, 10)
    urls = [f"https://news-{i % hosts}.example/story/{i}-drone-report" for i in range(articles)]
    first = urls[1 : 1 + max(1, (articles - 1) // 7)]
    second = urls[1 + len(first) :]
    children: dict[str, list[str]] = {urls[0]: list(first)}
    for index, url in enumerate(second):
        children.setdefault(first[index % len(first)], []).append(url)
    cited: dict[str, list[str]] = {}  # article -> post paragraphs
    leaves = second or first
    for number in range(posts):
        at = base - timedelta(days=3) + timedelta(minutes=7 * number)
        leaf = leaves[number % len(leaves)]
        if number % 5 == 0:
            tweet = world.tweet(
                Tweet(
                    snowflake(at, number),
                    f"watcher{number % 20}",
                    f"Watcher {number % 20}",
                    f"Drone strike report number {number} near the depot",
                    at,
                )
            )
            cited.setdefault(leaf, []).append(tweet_blockquote(tweet))
            if number % 2 == 0:
                world.wayback.capture(
                    f"https://twitter.com/i/status/{tweet.tweet_id}", at + timedelta(hours=2)
                )
            continue
        channel = f"channel{number % 10}"
        world.channels.channel(channel, f"Channel {number % 10}")
        post = world.channels.post(
            Post(channel, 100000 + number, f"Report {number}: drones over the depot", at)
        )
        cited.setdefault(leaf, []).append(
            f'Channel {number % 10} <a href="{post.url}">posted report {number}</a> on the strike.'
        )
        if number % 2 == 0:
            world.wayback.capture(post.url, at + timedelta(hours=1))
    for index, url in enumerate(urls):
        paragraphs = [f"Drones struck the depot, story {index}."]
        for child in children.get(url, []):
            paragraphs.append(f'Earlier <a href="{child}">reporting ({child})</a> described it.')
        if url in first:
            paragraphs.append(
                "Russia Today (RT) said Ukrainian FPV drones hit the Tinzaouaten fuel depot, "
                "citing the Telegram channel GREY ZONE."
            )
        paragraphs.extend(cited.get(url, []))
        world.sites.page(
            url,
            article_html(url, f"Drone report {index}", f"News {index % hosts}", base, paragraphs),
        )
        if index % 2 == 0:
            world.wayback.capture(url, base + timedelta(hours=3), body=None)
    rt = "https://www.rt.com/africa/600001-fpv-drones-tinzaouaten-depot/"
    world.sites.page(
        rt,
        article_html(
            rt,
            "FPV drones hit Tinzaouaten depot",
            "RT",
            base - timedelta(hours=20),
            ["Ukrainian FPV drones hit the fuel depot at Tinzaouaten, GREY ZONE reported."],
        ),
    )
    world.wayback.capture(rt, base - timedelta(hours=19))
    world.channels.channel("grey_zone", "Серая Зона")
    world.channels.post(
        Post("grey_zone", 5000, "FPV drones hit the Tinzaouaten depot", base - timedelta(hours=22))
    )
    return LargeWorld(world, urls[0], urls, posts)
