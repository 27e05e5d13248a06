"""YouTube's public pages as fakeweb handlers, in the shapes YouTube really sends.

- `www.youtube.com/oembed?url=…&format=json`: title, author_name, author_url
  (`https://www.youtube.com/@handle`), thumbnail; 401 for private videos, 404 for
  removed ones, 400 for URLs that are no video.
- `www.youtube.com/watch?v=ID`: the watch page with `<meta itemprop="datePublished">`
  and `uploadDate` (a time with offset since 2023, a bare date before), `channelId`, and
  the player JSON's `"publishDate"`/`"uploadDate"`/`"externalChannelId"`.
- `www.youtube.com/@handle`, `/channel/UC…`: channel pages with a canonical link to
  `/channel/UC…` and OpenGraph title.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakeweb.server import FakeRequest, FakeWeb, Response, redirect

HOST = "www.youtube.com"


@dataclass
class Video:
    video_id: str
    title: str
    channel_name: str
    handle: str
    channel_id: str
    #: how the watch page states the date: "meta" (datePublished/uploadDate with time),
    #: "legacy" (bare dates), "json" (only the player JSON), "none"
    date_style: str = "meta"
    published: str = "2024-07-28T05:00:11-07:00"
    private: bool = False


@dataclass
class YouTubeWorld:
    videos: dict[str, Video] = field(default_factory=dict)
    faults: dict[tuple[str, str], Response] = field(default_factory=dict)
    consent_wall: bool = False

    def add(self, video: Video) -> Video:
        self.videos[video.video_id] = video
        return video

    def fail(self, endpoint: str, key: str, response: Response) -> None:
        """Answer `endpoint` ("oembed", "watch", "channel") for one id/handle with `response`."""
        self.faults[(endpoint, key)] = response

    def install(self, web: FakeWeb) -> YouTubeWorld:
        web.add(HOST, self.handle)
        web.add(
            "consent.youtube.com",
            lambda request: Response(
                200, "<html><form>Before you continue to YouTube</form></html>"
            ),
        )
        return self

    def handle(self, request: FakeRequest) -> Response:
        if request.path == "/oembed":
            return self.oembed(request)
        if request.path == "/watch":
            return self.watch(request)
        return self.channel(request)

    def oembed(self, request: FakeRequest) -> Response:
        target = request.arg("url") or ""
        video_id = parse_qs(urlsplit(target).query).get("v", [""])[0]
        if ("oembed", video_id) in self.faults:
            return self.faults[("oembed", video_id)]
        if not video_id:
            return Response(400, "Bad Request", content_type="text/html")
        video = self.videos.get(video_id)
        if video is None:
            return Response(404, "Not Found", content_type="text/html")
        if video.private:
            return Response(401, "Unauthorized", content_type="text/html")
        data: dict[str, Any] = {
            "title": video.title,
            "author_name": video.channel_name,
            "author_url": f"https://www.youtube.com/@{video.handle}",
            "type": "video",
            "height": 113,
            "width": 200,
            "version": "1.0",
            "provider_name": "YouTube",
            "provider_url": "https://www.youtube.com/",
            "thumbnail_height": 360,
            "thumbnail_width": 480,
            "thumbnail_url": f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg",
            "html": f'<iframe width="200" height="113" src="https://www.youtube.com/embed/{video_id}?feature=oembed" frameborder="0" allowfullscreen title="{html.escape(video.title)}"></iframe>',
        }
        return Response(200, json.dumps(data), content_type="application/json")

    def watch(self, request: FakeRequest) -> Response:
        video_id = request.arg("v") or ""
        if ("watch", video_id) in self.faults:
            return self.faults[("watch", video_id)]
        if self.consent_wall:
            return redirect(
                f"https://consent.youtube.com/m?continue=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D{video_id}"
            )
        video = self.videos.get(video_id)
        if video is None:
            # YouTube answers 200 with an "unavailable" player for unknown ids
            return Response(
                200,
                '<html><script>var ytInitialPlayerResponse = {"playabilityStatus":{"status":"ERROR","reason":"Video unavailable"}};</script></html>',
            )
        day = video.published[:10]
        metas = ""
        player: dict[str, Any] = {
            "videoDetails": {
                "videoId": video_id,
                "title": video.title,
                "channelId": video.channel_id,
            }
        }
        if video.date_style == "meta":
            metas = (
                f'<meta itemprop="channelId" content="{video.channel_id}">'
                f'<meta itemprop="datePublished" content="{video.published}">'
                f'<meta itemprop="uploadDate" content="{video.published}">'
            )
            player["microformat"] = {
                "playerMicroformatRenderer": {
                    "externalChannelId": video.channel_id,
                    "publishDate": video.published,
                    "uploadDate": video.published,
                }
            }
        elif video.date_style == "legacy":
            metas = f'<meta itemprop="channelId" content="{video.channel_id}"><meta itemprop="datePublished" content="{day}"><meta itemprop="uploadDate" content="{day}">'
            player["microformat"] = {
                "playerMicroformatRenderer": {"publishDate": day, "uploadDate": day}
            }
        elif video.date_style == "json":
            player["microformat"] = {
                "playerMicroformatRenderer": {
                    "externalChannelId": video.channel_id,
                    "publishDate": video.published,
                    "uploadDate": video.published,
                }
            }
        page = (
            f'<!DOCTYPE html><html lang="en"><head><title>{html.escape(video.title)} - YouTube</title>'
            f'<meta property="og:title" content="{html.escape(video.title)}">'
            f'<link rel="canonical" href="https://www.youtube.com/watch?v={video_id}"></head><body>'
            f'<div id="watch7-content" class="watch-main-col" itemscope itemid="" itemtype="http://schema.org/VideoObject">'
            f'<meta itemprop="name" content="{html.escape(video.title)}">{metas}</div>'
            f"<script>var ytInitialPlayerResponse = {json.dumps(player)};</script></body></html>"
        )
        return Response(200, page)

    def channel(self, request: FakeRequest) -> Response:
        key = request.path.strip("/")
        if ("channel", key) in self.faults:
            return self.faults[("channel", key)]
        for video in self.videos.values():
            if key.lower() in (f"@{video.handle.lower()}", f"channel/{video.channel_id.lower()}"):
                page = (
                    f"<html><head><title>{html.escape(video.channel_name)} - YouTube</title>"
                    f'<link rel="canonical" href="https://www.youtube.com/channel/{video.channel_id}">'
                    f'<meta property="og:title" content="{html.escape(video.channel_name)}">'
                    f'<meta property="og:url" content="https://www.youtube.com/channel/{video.channel_id}">'
                    f'</head><body><script>var ytInitialData = {{"metadata":{{"channelMetadataRenderer":{{"title":{json.dumps(video.channel_name)},"externalId":"{video.channel_id}","vanityChannelUrl":"http://www.youtube.com/@{video.handle}"}}}}}};</script></body></html>'
                )
                return Response(200, page)
        return Response(404, "<html>404 Not Found</html>")
