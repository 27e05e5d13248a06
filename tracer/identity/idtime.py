"""Times that platforms encode in their ids.

Several platforms make ids that start with the creation time, so an id alone dates a
post, offline, even after the post is gone:

- X/Twitter snowflake ids: milliseconds since 1288834974657 (2010-11-04) in `id >> 22`.
  Tweets before the switch to snowflakes (November 2010) had sequential ids below
  about 3e10 that carry no time.
- TikTok ids: Unix seconds in `id >> 32`. The time is the moment the id was made,
  which in published comparisons runs a few seconds to under a minute before the
  `create_time` the platform reports, so it is given to the minute.
- Instagram media ids: milliseconds since 1314220021721 in `id >> 23`; a post's
  shortcode is its media id written in a URL-safe base-64 alphabet.
- Mastodon-style ids (Mastodon, Truth Social, other Mastodon forks): Unix
  milliseconds in `id >> 16`. Statuses made before Mastodon 2.0 have small
  sequential ids that carry no time.

Every decoder refuses ids whose time falls before the platform existed or after now,
so a number that is not such an id is never given a date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracer.store.model import Dating, Precision

X_EPOCH_MS = 1288834974657
INSTAGRAM_EPOCH_MS = 1314220021721
#: pre-snowflake tweet ids stayed below this
X_FIRST_SNOWFLAKE = 30_000_000_000
INSTAGRAM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_INSTAGRAM_DIGITS = {char: value for value, char in enumerate(INSTAGRAM_ALPHABET)}

# the earliest plausible time for each scheme: the platform's launch
_TIKTOK_START = datetime(2016, 9, 1, tzinfo=UTC)  # Douyin launched September 2016
_MASTODON_START = datetime(2016, 3, 1, tzinfo=UTC)
#: a sharded Instagram id's time field is at least a day past the epoch
_INSTAGRAM_MIN_MS = 86_400_000
#: ids from clocks a little ahead of ours are still real
_CLOCK_SKEW = timedelta(days=1)


def _parse_id(value: int | str) -> int | None:
    if isinstance(value, int):
        return value if value > 0 else None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        return None
    number = int(text)
    return number if 0 < number < 2**64 else None


def _plausible(at: datetime, earliest: datetime, now: datetime | None) -> bool:
    return earliest <= at <= (now or datetime.now(UTC)) + _CLOCK_SKEW


def _from_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def snowflake_time(tweet_id: int | str, now: datetime | None = None) -> Dating | None:
    """When an X/Twitter snowflake id was made; None for pre-snowflake or non-ids."""
    number = _parse_id(tweet_id)
    if number is None or number < X_FIRST_SNOWFLAKE:
        return None
    at = _from_ms((number >> 22) + X_EPOCH_MS)
    if not _plausible(at, _from_ms(X_EPOCH_MS), now):
        return None
    return Dating(at, "snowflake-id", Precision.MILLISECOND)


def tiktok_time(video_id: int | str, now: datetime | None = None) -> Dating | None:
    """When a TikTok (or Douyin) id was made, to the minute; None when it is no such id."""
    number = _parse_id(video_id)
    if number is None:
        return None
    at = datetime.fromtimestamp(number >> 32, UTC)
    if not _plausible(at, _TIKTOK_START, now):
        return None
    return Dating(at, "tiktok-id", Precision.MINUTE)


def instagram_shortcode_to_id(shortcode: str) -> int | None:
    """The media id a shortcode spells, or None when it is not a shortcode.

    Shortcodes of posts on private accounts append a long suffix to the 11-character
    code; only a code of at most 11 characters is a media id alone.
    """
    if not 1 <= len(shortcode) <= 11:
        return None
    number = 0
    for char in shortcode:
        digit = _INSTAGRAM_DIGITS.get(char)
        if digit is None:
            return None
        number = number * 64 + digit
    return number


def instagram_id_to_shortcode(media_id: int) -> str:
    """The shortcode of a media id (the inverse of `instagram_shortcode_to_id`)."""
    if media_id <= 0:
        raise ValueError("an Instagram media id is positive")
    chars: list[str] = []
    while media_id:
        media_id, digit = divmod(media_id, 64)
        chars.append(INSTAGRAM_ALPHABET[digit])
    return "".join(reversed(chars))


def instagram_time(media_id: int | str, now: datetime | None = None) -> Dating | None:
    """When an Instagram media id (numeric, as in story URLs) was made."""
    number = _parse_id(media_id)
    if number is None:
        return None
    at = _from_ms((number >> 23) + INSTAGRAM_EPOCH_MS)
    # sequential ids from before the sharded scheme are small and carry no time
    if number >> 23 < _INSTAGRAM_MIN_MS or not _plausible(at, _from_ms(INSTAGRAM_EPOCH_MS), now):
        return None
    return Dating(at, "instagram-id", Precision.MILLISECOND)


def instagram_shortcode_time(shortcode: str, now: datetime | None = None) -> Dating | None:
    """When the Instagram post with this shortcode was made."""
    media_id = instagram_shortcode_to_id(shortcode)
    if media_id is None:
        return None
    found = instagram_time(media_id, now)
    if found is None:
        return None
    return Dating(found.at, "instagram-shortcode", found.precision)


def mastodon_time(status_id: int | str, now: datetime | None = None) -> Dating | None:
    """When a Mastodon-style status id (Mastodon, Truth Social) was made."""
    number = _parse_id(status_id)
    if number is None:
        return None
    at = _from_ms(number >> 16)
    if not _plausible(at, _MASTODON_START, now):
        return None
    return Dating(at, "mastodon-id", Precision.MILLISECOND)


__all__ = [
    "INSTAGRAM_EPOCH_MS",
    "X_EPOCH_MS",
    "instagram_id_to_shortcode",
    "instagram_shortcode_time",
    "instagram_shortcode_to_id",
    "instagram_time",
    "mastodon_time",
    "snowflake_time",
    "tiktok_time",
]
