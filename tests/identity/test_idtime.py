"""Times encoded in ids, checked against id/time pairs that were published or really sent."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tests.conftest import REAL
from tracer.identity.idtime import (
    instagram_id_to_shortcode,
    instagram_shortcode_time,
    instagram_shortcode_to_id,
    instagram_time,
    mastodon_time,
    snowflake_time,
    tiktok_time,
)
from tracer.store.model import Precision

GERMAN_MONTHS = {
    "Januar": 1,
    "Februar": 2,
    "März": 3,
    "April": 4,
    "Mai": 5,
    "Juni": 6,
    "Juli": 7,
    "August": 8,
    "September": 9,
    "Oktober": 10,
    "November": 11,
    "Dezember": 12,
}
ENGLISH_MONTHS = {datetime(2000, m, 1).strftime("%B"): m for m in range(1, 13)}


def _signature_date(text: str) -> date | None:
    english = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text)
    if english and english.group(1) in ENGLISH_MONTHS:
        return date(int(english.group(3)), ENGLISH_MONTHS[english.group(1)], int(english.group(2)))
    german = re.fullmatch(r"(\d{1,2})\. (\S+) (\d{4})", text)
    if german and german.group(2) in GERMAN_MONTHS:
        return date(int(german.group(3)), GERMAN_MONTHS[german.group(2)], int(german.group(1)))
    return None


def test_snowflakes_in_real_embeds_match_their_signature_dates() -> None:
    """Every dated tweet embed in the real pages: the signature date is the id's UTC day."""
    pairs: list[tuple[str, date]] = []
    for page in sorted((REAL / "articles").glob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for tweet_id, shown in re.findall(
            r'twitter\.com/\w+/status/(\d+)\?ref_src=twsrc%5Etfw"[^>]*>([^<]+)</a>', text
        ):
            day = _signature_date(shown.strip())
            if day is not None:
                pairs.append((tweet_id, day))
    assert len(pairs) >= 15
    for tweet_id, day in pairs:
        found = snowflake_time(tweet_id)
        assert found is not None, tweet_id
        assert found.at.date() == day, tweet_id
        assert found.method == "snowflake-id"
        assert found.precision == Precision.MILLISECOND


@pytest.mark.parametrize(
    ("tweet_id", "expected"),
    [
        # X's oEmbed documentation: @Interior's post signed "September 3, 2014"
        ("507185938620219395", datetime(2014, 9, 3, 15, 18, 45, 483000, tzinfo=UTC)),
        # a worked example published in Japanese: 2024-07-01 16:16:09 JST
        ("1807674536214897063", datetime(2024, 7, 1, 7, 16, 9, 59000, tzinfo=UTC)),
    ],
)
def test_snowflake_published_pairs(tweet_id: str, expected: datetime) -> None:
    found = snowflake_time(tweet_id)
    assert found is not None
    assert found.at == expected


def test_snowflake_accepts_ints_and_refuses_non_ids() -> None:
    assert snowflake_time(507185938620219395) == snowflake_time("507185938620219395")
    for value in ("20", "29999999999", "abc", "", "-5", "1" * 25, "١٢٣", 0, -1):
        assert snowflake_time(value) is None  # type: ignore[arg-type]
    # an id from the far future is no id of today
    assert snowflake_time(str(2**63 - 1)) is None


def test_tiktok_id_time_is_within_a_minute_of_the_platform_time() -> None:
    # a Douyin aweme_id published with its create_time 1605088916 (2020-11-11T10:01:56Z)
    found = tiktok_time("6893804295968394510")
    assert found is not None
    stated = datetime.fromtimestamp(1605088916, UTC)
    assert abs((found.at - stated).total_seconds()) < 60
    assert found.precision == Precision.MINUTE
    assert found.method == "tiktok-id"


def test_tiktok_refuses_non_ids() -> None:
    assert tiktok_time("12345") is None
    assert tiktok_time("x6893804295968394510") is None
    assert tiktok_time(str(2**64 - 1)) is None


@pytest.mark.parametrize(
    ("media_id", "expected"),
    [
        # pairs published with their post times (a Q&A on decoding Instagram ids)
        ("2384288897814875714", datetime(2020, 8, 26, 13, 43, 27, tzinfo=UTC)),
        ("2383568809444681765", datetime(2020, 8, 25, 13, 52, 46, tzinfo=UTC)),
    ],
)
def test_instagram_media_ids(media_id: str, expected: datetime) -> None:
    found = instagram_time(media_id)
    assert found is not None
    assert found.at.replace(microsecond=0) == expected
    assert found.precision == Precision.MILLISECOND


def test_instagram_shortcodes_are_media_ids() -> None:
    media_id = 2384288897814875714
    code = instagram_id_to_shortcode(media_id)
    assert instagram_shortcode_to_id(code) == media_id
    found = instagram_shortcode_time(code)
    assert found is not None
    assert found.method == "instagram-shortcode"
    assert found.at == instagram_time(media_id).at  # type: ignore[union-attr]
    # a character outside the alphabet, or a private post's long code, is no media id
    assert instagram_shortcode_to_id("By+cEZml3za") is None
    assert instagram_shortcode_to_id("ByvcEZml3za" + "A" * 28) is None
    # short sequential ids from before the sharded scheme carry no time
    assert instagram_time("123456789") is None


def test_mastodon_ids() -> None:
    # the Status entity example of Mastodon's API documentation: created 2019-12-08T03:48:33.901Z
    found = mastodon_time("103270115826048975")
    assert found is not None
    stated = datetime(2019, 12, 8, 3, 48, 33, 901000, tzinfo=UTC)
    assert abs((found.at - stated).total_seconds()) < 1
    assert found.method == "mastodon-id"
    # pre-2.0 sequential ids
    assert mastodon_time("12345") is None


def test_now_bounds_the_decoders() -> None:
    early = datetime(2014, 1, 1, tzinfo=UTC)
    assert snowflake_time("507185938620219395", now=early) is None
    assert snowflake_time("507185938620219395", now=datetime(2014, 9, 3, tzinfo=UTC)) is not None
