"""The tweet the media tests trace: a photo posted with a t.co link, as X shows it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fakeweb.x import XWorld

TWEET_ID = "1817661484380938437"  # a snowflake of 2024-07-28
CODE = "hIF4H7QWW1"


def post_photo_tweet(x: XWorld) -> None:
    """Post the tweet with its one photo, whose file is pbs.twimg.com/media/CODE.jpg."""
    x.post(
        TWEET_ID,
        screen_name="Tendar",
        name="(((Tendar)))",
        text=f"Exclusive photo from the north https://t.co/{CODE}",
        created_at=datetime(2024, 7, 28, 19, 44, 57, tzinfo=UTC),
        media=[XWorld.photo(CODE, "Tendar", TWEET_ID)],
    )
