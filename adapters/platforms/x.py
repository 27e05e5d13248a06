"""X (Twitter): posts, accounts, t.co short links and pic.twitter.com media links.

Offline, every spelling of a post (twitter.com, x.com, mobile., /i/web/status/,
/status/ID/photo/N, fxtwitter/vxtwitter/fixupx/nitter mirrors, hash-bang URLs, share
junk such as ?s=20&t=…) becomes one identity whose canonical URL carries only the id,
`https://x.com/i/status/<id>`, because the handle in a URL can be anything (X
redirects on the id) and accounts get renamed. The snowflake id dates the post.

Online, a post is read from the public syndication endpoint the embed widget uses
(`cdn.syndication.twimg.com/tweet-result`): text, author, created time, media, the
quoted post and the post replied to (as `Related` quotes / replies_to). When that
endpoint fails, oEmbed (`publish.twitter.com/oembed`) still gives author and text. A
`TweetTombstone` answer means deleted, withheld or suspended: the node keeps status
error with the tombstone's own words as the reason.

`pic.twitter.com/CODE` is the same code as `t.co/CODE`, which redirects to
`/<user>/status/<id>/photo/1` of the post that first carried the media; when a post
re-uses someone else's media, that id is the original post: provenance.

Attributes written by `enrich` (all optional): text, lang, author_name, author_id,
created_at, media ([{type, url, expanded_url, link, video}]), signature_date (oEmbed),
expanded_url (short links), sources (which endpoints answered), enrichment (why
nothing was asked), time_conflict.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from adapters.answers import json_object
from adapters.platforms.destinations import destination
from adapters.platforms.enrichment import accounts_not_asked, working_copy
from tracer.errors import TracerError
from tracer.extract.soup import is_tag, parse_html
from tracer.identity.idtime import snowflake_time
from tracer.plugins.card import AccountPaths, CardAdapter, PlatformCard
from tracer.plugins.platform import (
    Availability,
    Embedded,
    Identity,
    LinkShape,
    Profile,
    Related,
    answer_reason,
    has_class,
    squeeze,
)
from tracer.store.model import Dating, NodeKind, NodeStatus, Precision, Relation
from tracer.urls import URLParts

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from tracer.http.client import Fetched, HTTPClient
    from tracer.plugins.platform import EmbedPage, LinkParts

SYNDICATION_URL = "https://cdn.syndication.twimg.com/tweet-result"
OEMBED_URL = "https://publish.twitter.com/oembed"
SHORTLINK_HOST = "t.co"

X_HOSTS = frozenset({"twitter.com", "x.com"})
#: front-ends that show X posts under X's own paths
MIRROR_HOSTS = frozenset(
    {
        "fxtwitter.com",
        "vxtwitter.com",
        "fixupx.com",
        "fixvx.com",
        "twittpr.com",
        "xcancel.com",
        "nitter.net",
        "nitter.poast.org",
        "nitter.privacydev.net",
        "nitter.cz",
        "twstalker.com",
    }
)
MEDIA_HOSTS = frozenset({"pic.twitter.com", "pic.x.com"})
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,50})$")
#: an account's handle first in the path (an @ before it or not), unless it is one of X's own
#: pages; the handle alone or one of the account's tabs (in any case) shows the account
ACCOUNT_PATHS = AccountPaths(
    _HANDLE,
    frozenset(
        {
            "i",
            "home",
            "explore",
            "search",
            "hashtag",
            "messages",
            "notifications",
            "settings",
            "intent",
            "share",
            "login",
            "logout",
            "signup",
            "tos",
            "privacy",
            "compose",
            "download",
            "about",
            "account",
            "oauth",
            "jobs",
            "rules",
            "help",
            "en",
            "widgets",
            "topics",
            "personalization",
            "tweetbutton",
            "statuses",
            "status",
        }
    ),
    tabs=frozenset(
        {
            "with_replies",
            "media",
            "likes",
            "highlights",
            "articles",
            "followers",
            "following",
            "verified_followers",
            "lists",
            "photo",
            "header_photo",
            "superfollows",
            "affiliates",
        }
    ),
)
#: what may follow /status/<id>/ and still name the same post
POST_SUFFIXES = frozenset(
    {
        "photo",
        "video",
        "analytics",
        "retweets",
        "quotes",
        "likes",
        "history",
        "media_tags",
        "retweets_with_comments",
        "quotes_with_comments",
        "mediaviewer",
        "mediaViewer",
        "embed",
    }
)
_ID = re.compile(r"^\d{1,20}$")
_CODE = re.compile(r"^[A-Za-z0-9]{4,20}$")
_META_REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]*url=([^"'>\s]+)""", re.I)
_LOCATION_REPLACE = re.compile(r"""location\.replace\(["']([^"']+)["']\)""")
_TEXT_NAME_LENGTH = 120


def syndication_token(tweet_id: str) -> str:
    """The `token` the embed widget sends with `tweet-result`: (id / 1e15 * π) written in
    base 36 the way JavaScript's Number#toString(36) writes it, zeros and point removed.
    """
    value = (int(tweet_id) / 1e15) * math.pi
    return _js_radix_string(value, 36).replace(".", "").replace("0", "")


def _js_radix_string(value: float, radix: int) -> str:
    # V8's DoubleToRadixCString: fraction digits only as far as the double's precision,
    # rounding half to even, carrying into earlier digits (and the integer part)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    integer = math.floor(value)
    fraction = value - integer
    delta = max(0.5 * (math.nextafter(value, math.inf) - value), math.nextafter(0.0, 1.0))
    fraction_digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            fraction_digits.append(digit)
            fraction -= digit
            if (fraction > 0.5 or (fraction == 0.5 and digit & 1)) and fraction + delta > 1:
                while True:
                    if not fraction_digits:
                        integer += 1
                        break
                    last = fraction_digits.pop() + 1
                    if last < radix:
                        fraction_digits.append(last)
                        break
                break
            if fraction < delta:
                break
    whole = ""
    number = int(integer)
    while True:
        number, remainder = divmod(number, radix)
        whole = digits[remainder] + whole
        if number == 0:
            break
    if not fraction_digits:
        return whole
    return whole + "." + "".join(digits[d] for d in fraction_digits)


def _post_identity(tweet_id: str, handle: str | None, url: str | None) -> Identity:
    identity = CARD.identity(
        NodeKind.POST,
        f"https://x.com/i/status/{tweet_id}",
        url,
        platform_id=tweet_id,
        handle=handle,
    )
    identity.dated(snowflake_time(tweet_id))
    return identity


def _account_identity(handle: str | None, user_id: str | None, url: str | None) -> Identity:
    canonical = f"https://x.com/{handle.lower()}" if handle else f"https://x.com/i/user/{user_id}"
    return CARD.identity(
        NodeKind.CHANNEL,
        canonical,
        url,
        platform_id=user_id,
        handle=handle,
        name=f"@{handle}" if handle else None,
    )


def _parse_created_at(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        pass
    try:  # the v1.1 spelling some embeds still carry: "Sun Jul 28 19:44:57 +0000 2024"
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    except ValueError:
        return None


def _media(details: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if not isinstance(details, list):
        return found
    for item in details:
        if not isinstance(item, dict):
            continue
        entry: dict[str, Any] = {
            "type": item.get("type"),
            "url": item.get("media_url_https"),
            "expanded_url": item.get("expanded_url"),
        }
        display = item.get("display_url")
        if isinstance(display, str) and display.startswith(("pic.twitter.com/", "pic.x.com/")):
            # the link the post's text shows for this picture: pic.twitter.com links in
            # an article join the post's media by it
            entry["link"] = f"https://{display}"
        variants = (item.get("video_info") or {}).get("variants") or []
        mp4 = [v for v in variants if isinstance(v, dict) and v.get("content_type") == "video/mp4"]
        if mp4:
            entry["video"] = max(mp4, key=lambda v: v.get("bitrate") or 0).get("url")
        found.append(entry)
    return found


# -- links in an article -------------------------------------------------------------

#: how accounts are addressed: profile URL, the usernames accepted, other names
PROFILE = Profile("https://x.com/{handle}", re.compile(r"[A-Za-z0-9_]{1,15}"), aliases=("twitter",))

#: the hosts of X links (without www., m. or mobile.)
LINK_HOSTS = frozenset({"pic.twitter.com", "pic.x.com", "t.co", "twitter.com", "x.com"})

#: path segments of X that are not account handles
_LINK_RESERVED = frozenset(
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


def link_shape(link: LinkParts) -> LinkShape:
    """What a link to X points at, judged from its shape alone (extraction
    reads every link of an article this way, without the network)."""
    url, host, segments = link.url, link.host, link.segments
    if host in {"twitter.com", "x.com"}:
        if len(segments) >= 3 and segments[1] in {"status", "statuses"} and segments[2].isdigit():
            handle = None if segments[0] in _LINK_RESERVED else segments[0]
            return LinkShape("x", NodeKind.POST, link.bare(), handle, segments[2])
        if (
            segments
            and segments[0].lower() not in _LINK_RESERVED
            and re.fullmatch(r"\w{1,15}", segments[0])
        ):
            return LinkShape("x", NodeKind.CHANNEL, link.bare(), segments[0])
        return LinkShape("x", NodeKind.PAGE, url)
    if host == "pic.twitter.com" or host == "pic.x.com":
        return LinkShape("x", NodeKind.MEDIA, link.bare())
    if host == "t.co":
        return LinkShape("x", NodeKind.PAGE, link.bare())
    return LinkShape("x", NodeKind.PAGE, url)


# -- embeds ------------------------------------------------------------------------------

#: a widget iframe's title that names no one
_GENERIC_FRAME_TITLES = frozenset({"", "x post", "twitter tweet", "embedded tweet"})


#: the elements that may hold one of its embeds, one XPath `.//tag[...]` each
EMBED_PATHS = (".//blockquote[contains(@class, 'twitter-')]", ".//iframe")


def read_embed(element: HtmlElement, page: EmbedPage) -> list[Embedded]:
    """The tweet a `blockquote.twitter-tweet` (or -video) quotes, or a widget iframe shows."""
    if element.tag == "blockquote":
        return _tweet(element, page) if has_class(element, "twitter-tweet", "twitter-video") else []
    if element.get("data-tweet-id") or "platform.twitter.com/embed" in (element.get("src") or ""):
        return _tweet_frame(element)
    return []


def _tweet(block: HtmlElement, page: EmbedPage) -> list[Embedded]:
    from tracer.extract.textpatterns import (
        SIGNATURE,
        SIGNATURE_METHOD,
        parse_date,
        signature_date,
    )
    from tracer.extract.urls import classify

    status: LinkShape | None = None
    attachments: list[str] = []
    for anchor in block.iter("a"):
        href = page.absolute(anchor.get("href") or "")
        page.inner_hrefs.add(href)
        label = (anchor.text_content() or "").strip()
        shape = classify(href) if href else None
        if shape and shape.platform == "x" and shape.kind == NodeKind.POST:
            status = shape  # the last status link is the tweet's own (the date)
        if label.startswith(("pic.twitter.com/", "pic.x.com/")):
            attachments.append(f"https://{label}")
    full = block.text_content() or ""
    # the signature is the last "— Name (@handle) date" in the quote; the text may quote others
    signatures = list(SIGNATURE.finditer(full))
    signature = signatures[-1] if signatures else None
    paragraph = block.find(".//p")
    text = squeeze(paragraph.text_content()) if paragraph is not None else None
    if status is None and signature is None:
        return []
    handle = (signature.group("handle") if signature else None) or (
        status.handle if status else None
    )
    display = squeeze(signature.group("display")) if signature else None
    url = status.url if status else (f"https://x.com/{handle}" if handle else None)
    tweet = Embedded(
        "x",
        url,
        "embed-x",
        handle=handle,
        post_id=status.post_id if status else None,
        name=display,
        display_name=display,
        text=text,
        attachments=list(dict.fromkeys(attachments)),
    )
    dated = signature_date(full, signature, page.lexicon) if signature is not None else None
    if dated is not None:
        date = parse_date(dated, page.lexicon)
        when = date.as_datetime() if date else None
        if when is not None:
            tweet.dating = Dating(when, SIGNATURE_METHOD, Precision.DAY)
    return [_dated_by_id(tweet)]


def _tweet_frame(element: HtmlElement) -> list[Embedded]:
    tweet_id = element.get("data-tweet-id")
    if not tweet_id:
        src = element.get("src") or element.get("data-src") or ""
        tweet_id = (parse_qs(urlsplit(src).query).get("id") or [""])[0]
    if not tweet_id.isdigit():
        return []
    title = element.get("title", "")
    tweet = Embedded(
        "x",
        f"https://x.com/i/status/{tweet_id}",
        "embed-x-frame",
        post_id=tweet_id,
        display_name=squeeze(title) if title.casefold() not in _GENERIC_FRAME_TITLES else None,
    )
    return [_dated_by_id(tweet)]


def _dated_by_id(tweet: Embedded) -> Embedded:
    """A tweet not dated by its signature is dated by its snowflake id."""
    if tweet.dating is None and tweet.post_id:
        tweet.dating = snowflake_time(tweet.post_id)
    return tweet


#: how prose names the platform: in every language ("*"), and per language the forms it
#: inflects or compounds. A source beside such a name posts on the platform, and the name
#: itself is never taken for a source. Extraction reads them for the languages it loads.
PROSE: dict[str, tuple[str, ...]] = {
    "*": ("Twitter", "X"),
    "ar": ("إكس", "اكس", "تويتر", "منصة إكس"),
    "cs": ("Twitteru", "Twitterem"),
    "el": ("Τουίτερ",),
    "fa": ("ایکس", "توییتر", "توئیتر", "تویتر"),
    "fi": ("Twitterissä", "Twitteriin", "Twitteristä", "X:ssä", "X:ään", "X:stä"),
    "nl": ("Twitteraccount",),
    "pl": ("Twitterze", "Twittera", "Twitterem"),
    "ru": ("Твиттер", "твиттер", "Твиттере", "твиттере"),
    "tr": (
        "Twitter'da",
        "Twitter'dan",
        "Twitter’da",
        "Twitter’dan",
        "X'te",
        "X'ten",
        "X'teki",
        "X’te",
        "X’ten",
    ),
    "uk": ("Твіттер", "твіттер", "Твітер", "твітер", "Твіттері", "твіттері", "Твітері"),
}


#: what extraction and the registry know of the platform offline
CARD = PlatformCard("x", LINK_HOSTS, link_shape, read_embed, EMBED_PATHS, PROFILE, prose=PROSE)


class XAdapter(CardAdapter, card=CARD):
    """X/Twitter posts, accounts and short links."""

    def identify(self, parts: URLParts, url: str) -> Identity | None:
        host = parts.bare_host
        if host == SHORTLINK_HOST:
            return self._coded_link(parts, url, NodeKind.PAGE, SHORTLINK_HOST, "shortlink")
        if host in MEDIA_HOSTS:
            return self._coded_link(parts, url, NodeKind.MEDIA, "pic.twitter.com", "media_link")
        if not self._is_x_host(host):
            return None
        segments = parts.segments
        if not segments and parts.fragment.startswith("!"):
            # the 2010-era hash-bang form: twitter.com/#!/user/status/ID
            segments = [s for s in parts.fragment[1:].split("?")[0].split("/") if s]
        return self._from_segments(segments, parts, url)

    @staticmethod
    def _is_x_host(host: str) -> bool:
        if host in X_HOSTS or host in MIRROR_HOSTS:
            return True
        # d.fxtwitter.com (direct media), api.vxtwitter.com, and every nitter instance
        head, _, rest = host.partition(".")
        if rest in MIRROR_HOSTS or rest in X_HOSTS:
            return head in ("d", "dl", "api", "mobile", "m", "www")
        return head == "nitter" or ".nitter." in f".{host}"

    def _from_segments(self, segments: list[str], parts: URLParts, url: str) -> Identity | None:
        if not segments:
            return None
        first = segments[0]
        lowered = [s.lower() for s in segments]
        # /i/web/status/ID, /i/status/ID, /statuses/ID (handle-less forms)
        if lowered[:3] == ["i", "web", "status"] and len(segments) > 3:
            return self._post(segments[3], None, segments[4:], url)
        if lowered[:2] in (["i", "status"], ["i", "statuses"]) and len(segments) > 2:
            return self._post(segments[2], None, segments[3:], url)
        if lowered[0] in ("status", "statuses") and len(segments) > 1:
            return self._post(segments[1], None, segments[2:], url)
        if lowered[:2] == ["i", "user"] and len(segments) > 2 and _ID.match(segments[2]):
            return _account_identity(None, segments[2], url)
        if lowered[0] == "intent" and len(segments) > 1 and lowered[1] in ("user", "follow"):
            named = _HANDLE.match(parts.arg("screen_name") or "")
            user_id = parts.arg("user_id")
            if named:
                return _account_identity(named.group(1), user_id, url)
            if user_id and _ID.match(user_id):
                return _account_identity(None, user_id, url)
            return None
        handle = ACCOUNT_PATHS.handle(first)
        if handle is None:
            return None
        if len(segments) > 2 and lowered[1] in ("status", "statuses"):
            return self._post(segments[2], handle, segments[3:], url)
        if ACCOUNT_PATHS.is_page(lowered):
            return _account_identity(handle, None, url)
        return None

    def _post(
        self, tweet_id: str, handle: str | None, rest: list[str], url: str
    ) -> Identity | None:
        tweet_id = tweet_id.split(".")[0]  # nitter once served /status/ID.json-like paths
        if not _ID.match(tweet_id) or int(tweet_id) == 0:
            return None
        if rest and rest[0] not in POST_SUFFIXES:
            return None
        identity = _post_identity(str(int(tweet_id)), handle, url)
        if len(rest) >= 2 and rest[0] in ("photo", "video") and rest[1].isdigit():
            identity.attributes["media_index"] = int(rest[1])
            identity.attributes["media_type"] = rest[0]
        return identity

    def _coded_link(
        self, parts: URLParts, url: str, kind: NodeKind, host: str, form: str
    ) -> Identity | None:
        """A t.co short link or a pic.twitter.com media link: one code on its host, the
        same code on both (see the module's docstring)."""
        segments = parts.segments
        if len(segments) != 1 or not _CODE.match(segments[0]):
            return None
        code = segments[0]
        return CARD.identity(
            kind, f"https://{host}/{code}", url, attributes={"short_code": code, "x_form": form}
        )

    # -- online --------------------------------------------------------------------------

    async def enrich(self, identity: Identity, http: HTTPClient) -> Identity:
        result = working_copy(identity)
        form = result.attributes.get("x_form")
        try:
            if form in ("shortlink", "media_link"):
                return await self._expand(result, http)
            if result.kind == NodeKind.POST and result.platform_id:
                return await self._enrich_post(result, http)
        except TracerError as exc:  # the HTTP layer's failures, and unfetchable URLs
            return result.fail(str(exc))
        return accounts_not_asked(result, "X")

    async def _enrich_post(self, identity: Identity, http: HTTPClient) -> Identity:
        tweet_id = identity.platform_id or ""
        query = urlencode({"id": tweet_id, "lang": "en", "token": syndication_token(tweet_id)})
        syndication_url = f"{SYNDICATION_URL}?{query}"
        try:
            fetched: Fetched | None = await http.fetch(syndication_url)
            failure = None
        except TracerError as exc:
            fetched, failure = None, f"syndication: {exc}"
        not_found = False
        if fetched is not None:
            if fetched.ok:
                try:
                    data = fetched.json()
                except ValueError:
                    data = None
                    failure = "syndication answered malformed JSON"
                if isinstance(data, dict):
                    typename = data.get("__typename")
                    if typename == "TweetTombstone":
                        return self._tombstone(identity, data)
                    if typename == "Tweet" or data.get("id_str"):
                        self._apply_tweet(identity, data)
                        identity.attributes["sources"] = ["syndication"]
                        identity.status = NodeStatus.RESOLVED
                        return identity
                    if failure is None:
                        # the endpoint answers {} for ids it does not know
                        not_found = True
                elif failure is None:
                    failure = "syndication answered JSON that is not a post"
            elif fetched.status_code == 404:
                not_found = True
            else:
                failure = "syndication: " + answer_reason(fetched, "cdn.syndication.twimg.com")
        return await self._fallback_oembed(identity, http, not_found, failure)

    def _tombstone(self, identity: Identity, data: dict[str, Any]) -> Identity:
        words = ((data.get("tombstone") or {}).get("text") or {}).get("text") or ""
        words = words.replace("Learn more", "").strip()
        identity.attributes["unavailable"] = "tombstone"
        identity.attributes["sources"] = ["syndication"]
        reason = "deleted or withheld (X tombstone)"
        if words:
            reason = f"deleted or withheld (X tombstone: {words})"
        # the tombstone's words tell a suspended account from a deleted post
        suspended = "suspended account" in words.lower() or "account is suspended" in words.lower()
        state = Availability.ACCOUNT_SUSPENDED if suspended else Availability.POST_DELETED
        return identity.gone(state, reason)

    async def _fallback_oembed(
        self, identity: Identity, http: HTTPClient, not_found: bool, failure: str | None
    ) -> Identity:
        handle = identity.handle or "i"
        query = urlencode(
            {
                "url": f"https://twitter.com/{handle}/status/{identity.platform_id}",
                "omit_script": "1",
                "dnt": "true",
                "lang": "en",
            }
        )
        try:
            fetched = await http.fetch(f"{OEMBED_URL}?{query}")
        except TracerError as exc:
            return identity.fail("; ".join(filter(None, [failure, f"oEmbed: {exc}"])))
        if fetched.status_code == 404 and (not_found or failure is None):
            identity.attributes["unavailable"] = "not_found"
            return identity.gone(
                Availability.POST_DELETED, "post not found: deleted, or the id never existed"
            )
        if fetched.status_code == 403:
            identity.attributes["unavailable"] = "forbidden"
            return identity.gone(
                Availability.ACCOUNT_SUSPENDED,
                "post not viewable: its account is protected or suspended (oEmbed 403)",
            )
        if not fetched.ok:
            reason = "oEmbed: " + answer_reason(fetched, "publish.twitter.com")
            if not_found:
                failure = "syndication: post not found"
            return identity.fail("; ".join(filter(None, [failure, reason])))
        data = json_object(fetched)
        if data is None or not isinstance(data.get("html"), str):
            return identity.fail(
                "; ".join(filter(None, [failure, "oEmbed answered malformed JSON"]))
            )
        self._apply_oembed(identity, data)
        identity.attributes["sources"] = ["oembed"]
        if failure:
            identity.attributes["syndication_error"] = failure
        identity.status = NodeStatus.RESOLVED
        return identity

    def _apply_tweet(self, identity: Identity, data: dict[str, Any]) -> None:
        user = data.get("user") if isinstance(data.get("user"), dict) else {}
        assert isinstance(user, dict)
        text = data.get("text") if isinstance(data.get("text"), str) else None
        if user.get("screen_name"):
            identity.handle = str(user["screen_name"])
        author_name = user.get("name")
        if text:
            identity.name = text[:_TEXT_NAME_LENGTH]
            identity.attributes["text"] = text
        attributes = identity.attributes
        for key, value in (
            ("author_name", author_name),
            ("author_id", user.get("id_str")),
            ("lang", data.get("lang")),
            ("favorite_count", data.get("favorite_count")),
            ("conversation_count", data.get("conversation_count")),
            ("possibly_sensitive", data.get("possibly_sensitive")),
            ("edited", data.get("isEdited")),
        ):
            if value is not None:
                attributes[key] = value
        created = _parse_created_at(data.get("created_at"))
        if created is not None:
            attributes["created_at"] = created.isoformat().replace("+00:00", "Z")
            if identity.published_at is None:
                identity.dated(Dating(created, "x-created-at", Precision.SECOND))
            elif abs((identity.published_at - created).total_seconds()) > 2:
                attributes["time_conflict"] = (
                    f"created_at {attributes['created_at']} differs from the id's time"
                )
        media = _media(data.get("mediaDetails"))
        if media:
            attributes["media"] = media
        self._relate(identity, data, media)

    def _relate(
        self, identity: Identity, data: dict[str, Any], media: list[dict[str, Any]]
    ) -> None:
        quoted = data.get("quoted_tweet")
        if isinstance(quoted, dict) and quoted.get("id_str"):
            target = self._tweet_identity(quoted)
            identity.related.append(
                Related(Relation.QUOTES, target, evidence=f"quotes {target.canonical_url}")
            )
        parent_id = data.get("in_reply_to_status_id_str")
        if isinstance(parent_id, str) and _ID.match(parent_id):
            parent = data.get("parent")
            if isinstance(parent, dict) and parent.get("id_str") == parent_id:
                target = self._tweet_identity(parent)
            else:
                screen_name = data.get("in_reply_to_screen_name")
                target = _post_identity(
                    parent_id, screen_name if isinstance(screen_name, str) else None, None
                )
            identity.related.append(
                Related(Relation.REPLIES_TO, target, evidence=f"replies to {target.canonical_url}")
            )
        # media whose link names another post was first published there
        seen: set[str] = set()
        for item in media:
            origin = self.parse(str(item.get("expanded_url") or ""))
            if (
                origin is not None
                and origin.kind == NodeKind.POST
                and origin.platform_id not in (identity.platform_id, None)
                and origin.platform_id not in seen
            ):
                seen.add(origin.platform_id or "")
                origin.url = None
                identity.related.append(
                    Related(
                        Relation.EMBEDS,
                        origin,
                        evidence=f"media first posted in {item.get('expanded_url')}",
                    )
                )

    def _tweet_identity(self, data: dict[str, Any]) -> Identity:
        user = data.get("user") if isinstance(data.get("user"), dict) else {}
        assert isinstance(user, dict)
        handle = user.get("screen_name")
        target = _post_identity(
            str(data["id_str"]), handle if isinstance(handle, str) else None, None
        )
        text = data.get("text")
        if isinstance(text, str):
            target.name = text[:_TEXT_NAME_LENGTH]
            target.attributes["text"] = text
        if user.get("name"):
            target.attributes["author_name"] = user["name"]
        created = _parse_created_at(data.get("created_at"))
        if created is not None:
            target.attributes["created_at"] = created.isoformat().replace("+00:00", "Z")
            if target.published_at is None:
                target.dated(Dating(created, "x-created-at", Precision.SECOND))
        target.status = NodeStatus.RESOLVED
        return target

    def _apply_oembed(self, identity: Identity, data: dict[str, Any]) -> None:
        author_url = data.get("author_url")
        if isinstance(author_url, str):
            account = self.parse(author_url)
            if account is not None and account.handle:
                identity.handle = account.handle
        if isinstance(data.get("author_name"), str):
            identity.attributes["author_name"] = data["author_name"]
        soup = parse_html(str(data["html"]))
        paragraph = soup.find("p")
        if is_tag(paragraph):
            for br in paragraph.find_all("br"):
                br.replace_with("\n")
            text = paragraph.get_text().strip()
            if text:
                identity.name = text[:_TEXT_NAME_LENGTH]
                identity.attributes["text"] = text
        links = soup.find_all("a")
        if links:
            signature = links[-1].get_text().strip()
            try:
                day = datetime.strptime(signature, "%B %d, %Y").date()
            except ValueError:
                day = None
            if day is not None:
                identity.attributes["signature_date"] = day.isoformat()
                if identity.published_at is None:
                    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
                    identity.dated(Dating(midnight, "x-oembed-signature", Precision.DAY))

    async def _expand(self, identity: Identity, http: HTTPClient) -> Identity:
        code = str(identity.attributes.get("short_code"))
        # pic.twitter.com/CODE answers through t.co/CODE: one code space
        fetched = await http.fetch(f"https://t.co/{code}", follow_redirects=False)
        target: str | None = None
        if fetched.status_code in (301, 302, 303, 307, 308):
            target = fetched.headers.get("location")
        elif fetched.ok:
            found = _META_REFRESH.search(fetched.text) or _LOCATION_REPLACE.search(fetched.text)
            target = found.group(1) if found else None
        elif fetched.status_code == 404:
            identity.attributes["unavailable"] = "not_found"
            return identity.gone(
                Availability.POST_DELETED, f"short link t.co/{code} does not exist"
            )
        else:
            return identity.fail(answer_reason(fetched, "t.co"))
        if not target:
            return identity.fail(f"t.co/{code} did not say where it leads")
        target = target.replace("\\/", "/").strip()
        identity.attributes["expanded_url"] = target
        leads_to = destination(self, target)
        if leads_to is None:
            return identity.fail(f"t.co/{code} leads to a non-web address {target!r}")
        identity.related.append(
            Related(Relation.REDIRECTS_TO, leads_to, evidence=f"t.co/{code} -> {target}")
        )
        if identity.kind == NodeKind.MEDIA and leads_to.kind == NodeKind.POST:
            # the media was first posted in that post: its id dates the media
            identity.handle = leads_to.handle
            identity.attributes["first_post"] = leads_to.canonical_url
            first_posted = leads_to.dating
            if first_posted is not None:
                identity.dated(replace(first_posted, method="snowflake-id-of-first-post"))
        identity.status = NodeStatus.RESOLVED
        return identity


__all__ = ["XAdapter", "syndication_token"]
