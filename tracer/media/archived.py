"""The image in the archives: captures of its file, and archived copies of the pages
that show it.

Two ways an archive dates a picture earlier than any live post can:

- its file URL was captured (a `pbs.twimg.com/media/…` or Telegram CDN URL, any image
  URL): the archives are asked about it with the project's own locator, and its captures
  are stored on the image node like any node's;
- a page of the chain was captured while it showed the picture: the page's earliest
  captures (already located by the trace) are fetched as the archive received them
  (Wayback-style `id_` mementos), the pictures that copy names are fetched from the
  same archive (`im_`) and fingerprinted, and a copy whose picture is within
  `media.same_image_distance` of the image is kept as an archived appearance.

A post or page whose live copy could not be read (deleted, withheld, gone) shows no
picture now; the pictures of its earliest archived copy are recovered instead, stored as
images it shows, and dated by that copy.

Only Wayback-style memento URLs (`…/TIMESTAMP/original`: the Wayback Machine, pywb and
most Memento archives) can be rewritten so; others are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracer.errors import MediaError, NetworkError
from tracer.http.client import HTTPClient
from tracer.media.fetch import FetchedMedia, fetch_media
from tracer.media.fingerprint import Fingerprint, distance
from tracer.media.pictures import pictures_named
from tracer.media.settings import MediaSettings
from tracer.store.model import Capture, as_utc
from tracer.store.serialize import format_time

_WAYBACK_STYLE = re.compile(
    r"^(?P<prefix>https?://.+?/)(?P<stamp>\d{14})(?:[a-z]{2}_)?/(?P<rest>.+)$"
)
#: at most this many bytes of an archived page are read for its pictures
_PAGE_BYTES = 3_000_000


@dataclass(frozen=True)
class ArchivedSighting:
    """An archived copy of a page that showed the image."""

    page: int  # node id
    archive: str
    memento: str  # the page's memento URL a person can open
    captured_at: datetime
    image: str  # the picture's memento URL
    distance: int

    def as_json(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "archive": self.archive,
            "memento": self.memento,
            "captured_at": format_time(self.captured_at),
            "image": self.image,
            "distance": self.distance,
        }


def memento_as(memento_url: str, flag: str, original: str | None = None) -> str | None:
    """The memento URL with a Wayback-style flag (`id_`: the bytes as archived; `im_`: an
    image), for `original` instead of the memento's own URL when given."""
    found = _WAYBACK_STYLE.match(memento_url)
    if found is None:
        return None
    return f"{found['prefix']}{found['stamp']}{flag}/{original or found['rest']}"


@dataclass(frozen=True)
class ArchivedPicture:
    """A picture an archived copy of a page shows, fetched from the archive."""

    named: str  # the picture's URL as the page named it
    memento: str  # where the archive serves it
    fetched: FetchedMedia


async def archived_pictures(
    http: HTTPClient, capture: Capture, settings: MediaSettings
) -> list[ArchivedPicture]:
    """The pictures the archived copy `capture` of a page shows, fetched and
    fingerprinted; those the archive does not hold or that are no image are left out."""
    original = capture.original_url
    raw = memento_as(capture.memento_url, "id_")
    if raw is None or original is None:
        return []
    try:
        fetched = await http.fetch(raw, max_body=_PAGE_BYTES)
    except NetworkError:
        return []
    if not fetched.ok:
        return []
    found: list[ArchivedPicture] = []
    for picture in pictures_named(fetched.content, original, settings.max_per_document):
        image = memento_as(capture.memento_url, "im_", picture)
        if image is None:
            continue
        try:
            found.append(ArchivedPicture(picture, image, await fetch_media(http, image, settings)))
        except MediaError:
            continue
    return found


def sighting(page: int, capture: Capture, picture: ArchivedPicture, apart: int) -> ArchivedSighting:
    captured_at = as_utc(capture.captured_at)
    assert captured_at is not None
    return ArchivedSighting(
        page, capture.archive, capture.memento_url, captured_at, picture.memento, apart
    )


async def sighting_in(
    http: HTTPClient,
    page: int,
    capture: Capture,
    wanted: list[Fingerprint],
    settings: MediaSettings,
) -> ArchivedSighting | None:
    """Whether the archived copy `capture` of a page shows a picture within the threshold
    of one of `wanted`; the closest such picture."""
    if as_utc(capture.captured_at) is None:
        return None
    best: ArchivedSighting | None = None
    for picture in await archived_pictures(http, capture, settings):
        apart = min(distance(picture.fetched.fingerprint, known) for known in wanted)
        if apart <= settings.same_image_distance and (best is None or apart < best.distance):
            best = sighting(page, capture, picture, apart)
    return best
