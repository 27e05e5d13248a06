"""Fetching one media file through the HTTP layer, under the media size cap.

The HTTP layer already guards addresses, keeps hosts polite and counts the body after
decompression; media only lowers the body cap to `media.max_bytes`, so a page's
"image" cannot be a 20 MB video or an endless stream.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracer.errors import BodyTooLargeError, MediaError, NetworkError
from tracer.http.client import Fetched, HTTPClient
from tracer.media.fingerprint import Fingerprint
from tracer.media.hashing import fingerprint
from tracer.media.settings import MediaSettings


@dataclass(frozen=True)
class FetchedMedia:
    url: str
    final_url: str
    content_type: str
    fingerprint: Fingerprint
    response: Fetched  # as the HTTP layer got it, for a local snapshot of the very bytes


async def fetch_media(http: HTTPClient, url: str, settings: MediaSettings) -> FetchedMedia:
    """Fetch and fingerprint the image at `url`. Raises MediaError with the reason."""
    limit = min(settings.max_bytes, http.settings.max_body_bytes)
    try:
        fetched = await http.fetch(url, max_body=limit, headers={"Accept": "image/*"})
    except BodyTooLargeError:
        raise MediaError(f"{url}: larger than media.max_bytes ({limit} bytes)") from None
    except NetworkError as exc:
        raise MediaError(f"{url}: {exc}") from None
    if not fetched.ok:
        raise MediaError(f"{url}: answered HTTP {fetched.status_code}")
    try:
        found = fingerprint(fetched.content, settings.max_pixels)
    except MediaError as exc:
        raise MediaError(f"{url}: {exc}") from None
    return FetchedMedia(url, fetched.final_url, fetched.content_type, found, fetched)
