"""The picture's first appearance from the archives, against a real archive: pywb over a
WARC these tests write, holding captures of the picture's file URL and of a page showing
it, at different dates, while fakeweb plays the live web.

The live tweet is of 2024-07-28. The archive holds the picture's file from 2024-07-27
(after a 404 of 2024-07-10, which proves nothing), and a blog page whose copy of
2024-07-01 showed another photograph and whose copy of 2024-07-25 showed this one: the
first appearance is that copy, by its method."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeweb.server import FakeWeb, Response
from tests.fakeweb.world import archive_list
from tests.fakeweb.x import XWorld
from tests.media.cli import chain_json, output
from tests.media.images import captioned, cropped, jpeg, real_photograph, resized
from tests.media.tweet import CODE, TWEET_ID, post_photo_tweet
from tests.pywb_archive import (
    PywbArchive,
    Written,
    at_stamp,
    pywb_archive,
    pywb_bin,
    skip_reason,
)

PYWB_BIN = pywb_bin()
pytestmark = [pytest.mark.pywb, pytest.mark.skipif(PYWB_BIN is None, reason=skip_reason())]

FILE = f"https://pbs.twimg.com/media/{CODE}.jpg"
ARTICLE = "https://news.example/story"
BLOG = "https://blog.example/repost"
GHOST_ID = "1814900000000000000"  # a post deleted since; its archived copy shows a photo
GHOST_PAGE = f"https://twitter.com/Ghost/status/{GHOST_ID}"
GHOST_FILE = "https://pbs.twimg.com/media/GhostPic1.jpg"
GONE = "https://news.example/gone"
MIRROR = "https://mirror.example/copy"
PHOTO = real_photograph("astronaut")
COPY = jpeg(resized(captioned(PHOTO), 0.7), 60)


def _blog(image: str, published: str = "2024-07-30T08:00:00Z") -> str:
    return (
        "<html><head><title>Reposted: the photo</title>"
        f'<meta property="og:image" content="{image}">'
        f'<meta property="article:published_time" content="{published}">'
        "</head><body><p>The photo, as it went round.</p></body></html>"
    )


CAPTURES = [
    Written(FILE, at_stamp("20240710000000"), 404, b"not here yet"),
    Written(FILE, at_stamp("20240727120000"), 200, jpeg(PHOTO), content_type="image/jpeg"),
    # the blog's copy of July 1 showed another photograph
    Written(BLOG, at_stamp("20240701090000"), 200, _blog("/old.jpg").encode()),
    Written(
        "https://blog.example/old.jpg",
        at_stamp("20240701090005"),
        200,
        jpeg(real_photograph("coffee")),
        content_type="image/jpeg",
    ),
    # and its copy of July 25 this one, captioned and resized
    Written(BLOG, at_stamp("20240725100000"), 200, _blog("/lead.jpg").encode()),
    Written(
        "https://blog.example/lead.jpg",
        at_stamp("20240725100005"),
        200,
        COPY,
        content_type="image/jpeg",
    ),
]


CAPTURES += [
    Written(
        GHOST_PAGE,
        at_stamp("20240720120000"),
        200,
        f'<html><head><meta property="og:image" content="{GHOST_FILE}"></head>'
        "<body><p>A photo from the crossing</p></body></html>".encode(),
    ),
    Written(
        GHOST_FILE,
        at_stamp("20240720120003"),
        200,
        jpeg(real_photograph("rocket")),
        content_type="image/jpeg",
    ),
]


@pytest.fixture(scope="module")
def pywb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PywbArchive]:
    yield from pywb_archive(tmp_path_factory.mktemp("pywb"), CAPTURES, bin_dir=PYWB_BIN)


@pytest.fixture
def env(fakeweb: FakeWeb, pywb: PywbArchive, tmp_path: Path) -> dict[str, str]:
    x = XWorld()
    post_photo_tweet(x)
    x.tombstone(GHOST_ID)
    x.install(fakeweb)
    fakeweb.page(
        GONE,
        "<html><head><title>The crossing</title>"
        '<meta property="article:published_time" content="2024-07-31T10:00:00Z"></head>'
        "<body><article><p>The photo of the crossing was first posted on X: "
        f'<a href="https://x.com/Ghost/status/{GHOST_ID}">the post</a>, since deleted. '
        f'It was <a href="{MIRROR}">copied by a mirror site</a> with a tighter crop.</p>'
        "</article></body></html>",
    )
    fakeweb.page(MIRROR, _blog("/copy.jpg", "2024-07-26T00:00:00Z"))
    fakeweb.page(
        "https://mirror.example/copy.jpg",
        Response(
            200,
            jpeg(cropped(real_photograph("rocket"), 0.05, 0.05, 0.05, 0.05)),
            content_type="image/jpeg",
        ),
    )
    fakeweb.page(FILE, Response(200, jpeg(PHOTO), content_type="image/jpeg"))
    fakeweb.page("https://blog.example/lead.jpg", Response(200, COPY, content_type="image/jpeg"))
    fakeweb.page(BLOG, _blog("/lead.jpg"))
    fakeweb.page(
        ARTICLE,
        "<html><head><title>Exclusive photo</title>"
        '<meta property="article:published_time" content="2024-07-31T10:00:00Z"></head>'
        f'<body><article><p>The photo was first posted on X: <a href="https://x.com/Tendar/status/{TWEET_ID}">the post</a>, '
        f'pic.twitter.com/{CODE}. It was <a href="{BLOG}">reposted</a> with a caption.</p>'
        "</article></body></html>",
    )
    archives = archive_list(tmp_path / "archives.toml", enabled=False)
    with archives.open("a", encoding="utf-8") as handle:
        handle.write(pywb.archive_list_entry(requests_per_minute=60000, max_attempts=1))
    return fakeweb.env(
        TRACER_DB_URL=f"sqlite:///{tmp_path / 'tracer.db'}",
        TRACER_HTTP__MAX_ATTEMPTS="1",
        TRACER_TRACE__SEARCH="false",
        TRACER_ARCHIVE_LIST=str(archives),
        TRACER_PRESERVE__SNAPSHOT_DIR=str(tmp_path / "snapshots"),
    )


def test_first_appearance_from_the_archives(
    env: dict[str, str], fakeweb: FakeWeb, pywb: PywbArchive
) -> None:
    chain = chain_json(env, "trace", ARTICLE, "--depth", "1", "-f", "json")
    nodes = {n["id"]: n for n in chain["nodes"]}
    blog = next(n for n in chain["nodes"] if n["canonical_url"] == BLOG)
    images = {m["media_url"]: m for m in chain["media"]}
    pic, lead = images[FILE], images["https://blog.example/lead.jpg"]
    assert pic["same_image"] == [lead["node"]]
    for image in (pic, lead):
        first = image["first_appearance"]
        # the blog's copy of July 25 showed it: earlier than the tweet and the file capture
        assert first["at"] == "2024-07-25T10:00:00Z", image["appearances"]
        assert first["method"].startswith("earliest archived copy of a page showing it (pywb")
        assert first["node"] == blog["id"] and "20240725100000" in first["memento"]
        assert first["image"].endswith("im_/https://blog.example/lead.jpg")
        methods = [(a["at"], a["method"]) for a in image["appearances"]]
        # the file's capture of July 27, not its 404 of July 10; then the tweet, by its id
        assert ("2024-07-27T12:00:00Z", "earliest archived capture of its file (pywb)") in methods
        assert not any(at.startswith("2024-07-10") for at, _ in methods)
        assert not any(at.startswith("2024-07-01") for at, _ in methods)  # another photo
        tweet_time = next(a for a in image["appearances"] if "snowflake" in a["method"])
        assert nodes[tweet_time["node"]]["platform_id"] == TWEET_ID
        assert [a["at"] for a in image["appearances"]] == sorted(
            a["at"] for a in image["appearances"]
        )
    # the file's captures are the image node's captures, like any node's
    pic_node = nodes[pic["node"]]
    assert [c["captured_at"] for c in pic_node["captures"] if "pbs.twimg.com" in c["url"]] == [
        "2024-07-10T00:00:00Z",
        "2024-07-27T12:00:00Z",
    ]
    # the archive was asked on loopback; the live world never saw an archive's path
    assert not any("/C/" in r.path for r in fakeweb.requests)

    # the reports show it too, from the store
    text = " ".join(output(env, "show", chain["root"], "-f", "text").split())
    assert f"sha256 {pic['fingerprint']['sha256']}" in text
    assert "first appearance: 2024-07-25T10:00:00Z, earliest archived copy of a page" in text
    page = output(env, "show", chain["root"], "-f", "html")
    assert page.count('<img class="thumb" src="data:image/jpeg;base64,') == 2
    assert f'id="media-{pic["node"]}"' in page
    prov = output(env, "show", chain["root"], "-f", "prov-n")
    assert pic["fingerprint"]["sha256"] in prov and "first_appearance_method" in prov


def test_a_deleted_post_s_picture_is_recovered_from_its_archived_copy(
    env: dict[str, str],
) -> None:
    chain = chain_json(env, "trace", GONE, "--depth", "1", "-f", "json")
    post = next(n for n in chain["nodes"] if n["platform_id"] == GHOST_ID)
    assert post["status"] == "error"  # deleted: the live post shows nothing
    images = {m["media_url"]: m for m in chain["media"]}
    recovered, copy = images[GHOST_FILE], images["https://mirror.example/copy.jpg"]
    assert recovered["status"] == "resolved" and recovered["shown_by"][0]["node"] == post["id"]
    assert recovered["same_image"] == [copy["node"]]  # the live mirror's crop is the same image
    shows = next(
        e for e in chain["edges"] if e["source"] == post["id"] and e["target"] == recovered["node"]
    )
    assert shows["relation"] == "embeds"
    assert shows["evidence"] == (
        f"its archived copy of 2024-07-20T12:00:00Z (pywb) shows {GHOST_FILE}"
    )
    for image in (recovered, copy):
        first = image["first_appearance"]
        assert first["at"] == "2024-07-20T12:00:00Z" and first["node"] == post["id"]
        assert (
            first["method"]
            == "earliest archived copy of a page showing it (pywb, pHash distance 0)"
        )
    # the recovered file's own capture is found too
    assert ("2024-07-20T12:00:03Z", "earliest archived capture of its file (pywb)") in [
        (a["at"], a["method"]) for a in recovered["appearances"]
    ]
