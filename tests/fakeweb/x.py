"""X's public endpoints as fakeweb handlers, answering in the shapes X really sends.

- `cdn.syndication.twimg.com/tweet-result?id=…&token=…`: the embed widget's JSON
  (`__typename: Tweet` with `id_str`, `text`, `created_at` like
  "2024-07-28T19:44:57.000Z", `user{id_str,name,screen_name,…}`, `mediaDetails`,
  `quoted_tweet`, `in_reply_to_status_id_str`, `parent`), `__typename: TweetTombstone`
  with the tombstone's words for deleted, withheld and suspended posts, and 404 for ids
  it does not know.
- `publish.twitter.com/oembed?url=…`: the oEmbed JSON with its blockquote `html`,
  404 for missing posts and 403 for protected ones.
- `t.co/CODE`: 301 to the expanded URL (pic.twitter.com codes are t.co codes).

Faults for one id or code are set with `fail(...)`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakeweb.server import FakeRequest, FakeWeb, Response, redirect

SYNDICATION_HOST = "cdn.syndication.twimg.com"
OEMBED_HOST = "publish.twitter.com"
SHORTLINK_HOST = "t.co"

TOMBSTONE_DELETED = "This Post was deleted by the Post author. Learn more"
TOMBSTONE_SUSPENDED = "This Post is from a suspended account. Learn more"
TOMBSTONE_WITHHELD = "This Post violated the X Rules. Learn more"


def _json(data: Any, status: int = 200, **headers: str) -> Response:
    return Response(
        status, json.dumps(data), headers, content_type="application/json;charset=utf-8"
    )


@dataclass
class XWorld:
    """The posts, tombstones and short links X knows in one test."""

    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    tombstones: dict[str, str] = field(default_factory=dict)
    protected: set[str] = field(default_factory=set)
    shortlinks: dict[str, str] = field(default_factory=dict)
    faults: dict[tuple[str, str], Response] = field(default_factory=dict)

    # -- building the world --------------------------------------------------------------

    def post(
        self,
        tweet_id: str,
        *,
        screen_name: str,
        name: str,
        text: str,
        created_at: datetime,
        user_id: str = "1000",
        media: list[dict[str, Any]] | None = None,
        quoted: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add a post and return its syndication JSON (usable as quoted= / reply_to=)."""
        data: dict[str, Any] = {
            "__typename": "Tweet",
            "lang": "en",
            "favorite_count": 12,
            "possibly_sensitive": False,
            "created_at": created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "display_text_range": [0, len(text)],
            "entities": {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []},
            "id_str": tweet_id,
            "text": text,
            "user": {
                "id_str": user_id,
                "name": name,
                "profile_image_url_https": f"https://pbs.twimg.com/profile_images/{user_id}/a_normal.jpg",
                "screen_name": screen_name,
                "verified": False,
                "is_blue_verified": True,
                "profile_image_shape": "Circle",
            },
            "edit_control": {
                "edit_tweet_ids": [tweet_id],
                "editable_until_msecs": "0",
                "is_edit_eligible": False,
                "edits_remaining": "5",
            },
            "conversation_count": 3,
            "news_action_type": "conversation",
            "isEdited": False,
            "isStaleEdit": False,
        }
        if media:
            data["mediaDetails"] = media
            data["entities"]["media"] = [
                {k: m[k] for k in ("display_url", "expanded_url", "indices", "url")} for m in media
            ]
        if quoted is not None:
            data["quoted_tweet"] = {k: v for k, v in quoted.items() if k != "__typename"}
            data["quoted_tweet"].update(
                reply_count=0, retweet_count=1, self_thread={"id_str": quoted["id_str"]}
            )
        if reply_to is not None:
            data["in_reply_to_screen_name"] = reply_to["user"]["screen_name"]
            data["in_reply_to_status_id_str"] = reply_to["id_str"]
            data["in_reply_to_user_id_str"] = reply_to["user"]["id_str"]
            data["parent"] = {k: v for k, v in reply_to.items() if k != "__typename"}
            data["parent"].update(reply_count=1, retweet_count=0)
        self.posts[tweet_id] = data
        return data

    @staticmethod
    def photo(code: str, owner: str, owner_post_id: str, index: int = 1) -> dict[str, Any]:
        """A `mediaDetails` entry whose expanded_url names the post that first had it."""
        return {
            "display_url": f"pic.x.com/{code}",
            "expanded_url": f"https://x.com/{owner}/status/{owner_post_id}/photo/{index}",
            "ext_media_availability": {"status": "Available"},
            "indices": [0, 23],
            "media_url_https": f"https://pbs.twimg.com/media/{code}.jpg",
            "original_info": {"height": 900, "width": 1200},
            "sizes": {"large": {"h": 900, "resize": "fit", "w": 1200}},
            "type": "photo",
            "url": f"https://t.co/{code}",
        }

    @staticmethod
    def video(code: str, owner: str, owner_post_id: str) -> dict[str, Any]:
        entry = XWorld.photo(code, owner, owner_post_id)
        entry["expanded_url"] = f"https://x.com/{owner}/status/{owner_post_id}/video/1"
        entry["type"] = "video"
        entry["video_info"] = {
            "aspect_ratio": [16, 9],
            "variants": [
                {
                    "content_type": "application/x-mpegURL",
                    "url": f"https://video.twimg.com/{code}.m3u8",
                },
                {
                    "bitrate": 832000,
                    "content_type": "video/mp4",
                    "url": f"https://video.twimg.com/{code}-640.mp4",
                },
                {
                    "bitrate": 2176000,
                    "content_type": "video/mp4",
                    "url": f"https://video.twimg.com/{code}-1280.mp4",
                },
            ],
        }
        return entry

    def tombstone(self, tweet_id: str, words: str = TOMBSTONE_DELETED) -> None:
        self.tombstones[tweet_id] = words

    def shortlink(self, code: str, location: str) -> None:
        self.shortlinks[code] = location

    def fail(self, endpoint: str, key: str, response: Response) -> None:
        """Answer `endpoint` ("syndication", "oembed", "t.co") for one id/code with `response`."""
        self.faults[(endpoint, key)] = response

    def install(self, web: FakeWeb) -> XWorld:
        web.add(SYNDICATION_HOST, self.syndication)
        web.add(OEMBED_HOST, self.oembed)
        web.add(SHORTLINK_HOST, self.tco)
        return self

    # -- the endpoints -------------------------------------------------------------------

    def syndication(self, request: FakeRequest) -> Response:
        if request.path != "/tweet-result":
            return Response(404, "", content_type="text/html")
        tweet_id = request.arg("id") or ""
        if not tweet_id.isdigit() or not request.arg("token"):
            return _json({"error": "Bad request"}, 400)
        if ("syndication", tweet_id) in self.faults:
            return self.faults[("syndication", tweet_id)]
        if tweet_id in self.tombstones:
            words = self.tombstones[tweet_id]
            return _json(
                {
                    "__typename": "TweetTombstone",
                    "tombstone": {"text": {"text": words, "entities": [], "rtl": False}},
                }
            )
        if tweet_id in self.posts:
            return _json(self.posts[tweet_id])
        return Response(404, "", content_type="text/html")

    def oembed(self, request: FakeRequest) -> Response:
        target = request.arg("url") or ""
        path = urlsplit(target).path.rstrip("/").split("/")
        tweet_id = path[-1] if len(path) >= 2 and path[-2] == "status" else ""
        if ("oembed", tweet_id) in self.faults:
            return self.faults[("oembed", tweet_id)]
        if tweet_id in self.protected:
            return Response(403, "", content_type="text/html")
        data = self.posts.get(tweet_id)
        if data is None or tweet_id in self.tombstones:
            return Response(404, "", content_type="text/html")
        user = data["user"]
        created = datetime.fromisoformat(data["created_at"].replace("Z", "+00:00"))
        when = f"{created:%B} {created.day}, {created.year}"
        status_url = f"https://twitter.com/{user['screen_name']}/status/{tweet_id}"
        body = (
            f'<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">'
            f"{html.escape(data['text'])}</p>&mdash; {html.escape(user['name'])} "
            f'(@{user["screen_name"]}) <a href="{status_url}?ref_src=twsrc%5Etfw">{when}</a>'
            f"</blockquote>\n"
        )
        return _json(
            {
                "url": status_url,
                "author_name": user["name"],
                "author_url": f"https://twitter.com/{user['screen_name']}",
                "html": body,
                "width": 550,
                "height": None,
                "type": "rich",
                "cache_age": "3153600000",
                "provider_name": "Twitter",
                "provider_url": "https://twitter.com",
                "version": "1.0",
            }
        )

    def tco(self, request: FakeRequest) -> Response:
        code = request.path.strip("/")
        if ("t.co", code) in self.faults:
            return self.faults[("t.co", code)]
        location = self.shortlinks.get(code)
        if location is None:
            return Response(404, "", content_type="text/html")
        return redirect(location, 301)


def sent_ids(web: FakeWeb) -> list[str]:
    """The ids the syndication endpoint was asked for, in order."""
    return [
        parse_qs(urlsplit(r.target).query).get("id", [""])[0]
        for r in web.seen(SYNDICATION_HOST, "/tweet-result")
    ]
