"""Media through the command line: a trace fetches and fingerprints the pictures its
posts and pages show (real photographs, served by fakeweb), joins copies of one photo,
dates the photo by the earliest post showing it, refuses hostile files without failing;
`tracer media` then finds a further copy among them."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from tests.fakeweb.server import FakeWeb, Response
from tests.fakeweb.world import archive_list
from tests.fakeweb.x import XWorld
from tests.media.cli import chain_json, tracer
from tests.media.images import (
    captioned,
    cropped,
    encoded,
    exif_block,
    jpeg,
    png_bomb,
    real_photograph,
    resized,
)
from tests.media.tweet import CODE, TWEET_ID, post_photo_tweet

ARTICLE = "https://news.example/story"
REPOST = "https://blog.example/repost"
OTHER = "https://other.example/story"
ROUNDUP = "https://news.example/roundup"
#: pages whose picture is a hostile file, and the reason each is refused with
HOSTILE = {
    "https://hostile.example/bomb": ("bomb.png", "decompression bomb"),
    "https://hostile.example/truncated": ("truncated.jpg", "cannot be decoded"),
    "https://hostile.example/login": ("login.jpg", "not an image"),
    "https://hostile.example/huge": ("huge.png", "media.max_bytes"),
}
MAX_BYTES = 600_000


@pytest.fixture
def world(fakeweb: FakeWeb, tmp_path: Path) -> dict[str, str]:
    photo = real_photograph("astronaut")
    taken = exif_block(datetime(2023, 1, 2, 3, 4, 5), ("Canon", "EOS R6"), "Photoshop")
    x = XWorld()
    post_photo_tweet(x)
    x.install(fakeweb)
    image = Response(200, jpeg(photo, exif=taken), content_type="image/jpeg")
    fakeweb.page(f"https://pbs.twimg.com/media/{CODE}.jpg", image)
    copy = Response(200, jpeg(resized(captioned(photo), 0.7), 60), content_type="image/jpeg")
    fakeweb.page("https://blog.example/lead.jpg", copy)
    fakeweb.page(
        REPOST,
        "<html><head><title>Reposted: the photo</title>"
        '<meta property="og:image" content="/lead.jpg">'
        '<meta property="article:published_time" content="2024-07-30T08:00:00Z">'
        "</head><body><p>The photo, as it went round.</p></body></html>",
    )
    fakeweb.page(
        ARTICLE,
        "<html><head><title>Exclusive photo</title>"
        '<meta property="article:published_time" content="2024-07-31T10:00:00Z"></head>'
        f'<body><article><p>The photo was first posted on X: <a href="https://x.com/Tendar/status/{TWEET_ID}">the post</a>, '
        f'pic.twitter.com/{CODE}. It was <a href="{REPOST}">reposted</a> with a caption.</p>'
        "</article></body></html>",
    )
    fakeweb.page(
        "https://unrelated.example/other.jpg",
        jpeg(real_photograph("coffee")),
        content_type="image/jpeg",
    )
    fakeweb.page("https://bomb.example/huge.jpg", b"\x00" * 100, content_type="image/jpeg")
    # a page showing another photograph, cropped: a group of its own
    fakeweb.page(
        "https://other.example/rocket.jpg",
        jpeg(cropped(real_photograph("rocket"), 0.1, 0.1, 0.1, 0.1)),
        content_type="image/jpeg",
    )
    fakeweb.page(OTHER, _page("Another photo", "/rocket.jpg", "2024-08-01T00:00:00Z"))
    hostile = {
        "bomb.png": png_bomb(60_000, 60_000),
        "truncated.jpg": jpeg(real_photograph("chelsea"))[:3000],
        "login.jpg": b"<html><body>Log in to see this photo</body></html>",
        "huge.png": encoded(real_photograph("retina"), "PNG"),  # ~4 MB, over MAX_BYTES
    }
    assert len(hostile["huge.png"]) > MAX_BYTES
    for url, (name, _reason) in HOSTILE.items():
        fakeweb.page(f"https://hostile.example/{name}", hostile[name], content_type="image/jpeg")
        fakeweb.page(url, _page(f"Hostile {name}", f"/{name}", "2024-08-02T00:00:00Z"))
    links = "".join(f'<a href="{url}">a page</a> ' for url in (REPOST, OTHER, *HOSTILE))
    fakeweb.page(
        ROUNDUP,
        "<html><head><title>Photos of the week</title></head><body><article>"
        f"<p>The photos of the week, and where they went: {links}.</p></article></body></html>",
    )
    (tmp_path / "copy.jpg").write_bytes(jpeg(resized(photo, 0.4), 35))
    return fakeweb.env(
        TRACER_MEDIA__MAX_BYTES=str(MAX_BYTES),
        TRACER_PRESERVE__SNAPSHOT_DIR=str(tmp_path / "snapshots"),
        TRACER_DB_URL=f"sqlite:///{tmp_path / 'tracer.db'}",
        TRACER_HTTP__MAX_ATTEMPTS="1",
        TRACER_TRACE__SEARCH="false",
        TRACER_ARCHIVE_LIST=str(archive_list(tmp_path / "archives.toml", enabled=False)),
    )


@pytest.fixture
def copy_file(world: dict[str, str], tmp_path: Path) -> str:
    """The photo made smaller and recompressed, as a file `world` keeps beside it."""
    return str(tmp_path / "copy.jpg")


def _page(title: str, image: str, published: str) -> str:
    return (
        f"<html><head><title>{title}</title>"
        f'<meta property="og:image" content="{image}">'
        f'<meta property="article:published_time" content="{published}">'
        f"</head><body><p>{title}, as it went round.</p></body></html>"
    )


def _warc_payloads(path: Path) -> dict[str, bytes]:
    from warcio.archiveiterator import ArchiveIterator

    found = {}
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                found[record.rec_headers.get_header("WARC-Target-URI")] = (
                    record.content_stream().read()
                )
    return found


def test_trace_fingerprints_joins_and_dates_the_photo(
    world: dict[str, str], copy_file: str, fakeweb: FakeWeb
) -> None:
    chain = chain_json(world, "trace", ARTICLE, "--depth", "1", "-f", "json")
    images = {m["url"]: m for m in chain["media"]}
    pic = images[f"https://pic.twitter.com/{CODE}"]
    lead = images["https://blog.example/lead.jpg"]
    assert pic["media_url"] == f"https://pbs.twimg.com/media/{CODE}.jpg"
    assert pic["fingerprint"]["width"] == 512 and len(pic["fingerprint"]["sha256"]) == 64
    assert (
        lead["fingerprint"]["height"]
        == resized(captioned(real_photograph("astronaut")), 0.7).height
    )
    # the captioned, resized, re-encoded repost is the same image
    assert pic["same_image"] == [lead["node"]] and lead["same_image"] == [pic["node"]]
    same_as = [e for e in chain["edges"] if e["relation"] == "same_as"]
    assert len(same_as) == 1 and same_as[0]["evidence"].startswith("pHash distance ")
    # the pic.twitter.com link of the article is the tweet's picture: one node
    tweet = next(n for n in chain["nodes"] if n["platform_id"] == TWEET_ID)
    embeds = {(e["source"], e["target"]) for e in chain["edges"] if e["relation"] == "embeds"}
    assert (tweet["id"], pic["node"]) in embeds
    # first appearance: the earliest post showing either copy, the tweet, by its id's time
    for image in (pic, lead):
        first = image["first_appearance"]
        assert first["node"] == tweet["id"] and first["at"] == tweet["published_at"]
        assert "snowflake" in first["method"]
    # the camera's clock is the file's claim, not the first appearance
    assert pic["claimed_by_file"]["captured_at"] == "2023-01-02T03:04:05+03:00"
    assert lead["claimed_by_file"] is None  # the repost stripped EXIF

    # each picture fetched is kept as a local WARC record of the very bytes fingerprinted
    exported = Path(world["TRACER_PRESERVE__SNAPSHOT_DIR"]) / "all.warc.gz"
    result = tracer(world, "export", "--warc", str(exported))
    assert result.returncode == 0, result.stderr
    kept = _warc_payloads(exported)
    for image in (pic, lead):
        assert (
            hashlib.sha256(kept[image["media_url"]]).hexdigest() == image["fingerprint"]["sha256"]
        )
    # and a small inline preview is kept for the reports
    assert pic["thumbnail"].startswith("data:image/jpeg;base64,")
    preview = Image.open(io.BytesIO(base64.b64decode(pic["thumbnail"].split(",", 1)[1])))
    assert max(preview.size) <= 120 and len(pic["thumbnail"]) < 12_000

    # show prints the same media section for a stored chain
    shown = chain_json(world, "show", chain["root"], "-f", "json")
    assert shown["media"] == chain["media"]

    # a trace again adds nothing and fetches nothing new twice within a run
    again = chain_json(world, "trace", ARTICLE, "--depth", "1", "-f", "json")
    assert [m["node"] for m in again["media"]] == [m["node"] for m in chain["media"]]
    assert all(r.host in {"127.0.0.1"} or r.host for r in fakeweb.requests)

    # have we seen this picture before? a further copy, from a file
    found = tracer(world, "media", copy_file, "--json")
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    assert [m["node"]["id"] for m in answer["matches"]][:2] in (
        [pic["node"], lead["node"]],
        [lead["node"], pic["node"]],
    )
    assert answer["matches"][0]["chains"][0]["root"] == chain["root"]
    # and when the picture first appeared, by the same evidence as the chain's
    assert answer["matches"][0]["first_appearance"] == pic["first_appearance"]
    text = tracer(world, "media", copy_file)
    assert text.returncode == 0 and text.stdout.count(" in: ") == 2
    assert text.stdout.count(f"first seen {pic['first_appearance']['at']}") == 2
    # an unrelated picture, by URL, is found nowhere, and that is no error
    other = tracer(world, "media", "https://unrelated.example/other.jpg", "--json")
    assert other.returncode == 0 and json.loads(other.stdout)["matches"] == []


def test_hostile_files_are_refused_and_photos_grouped(
    world: dict[str, str], fakeweb: FakeWeb
) -> None:
    chain = chain_json(world, "trace", ROUNDUP, "--depth", "1", "-f", "json")
    by_page = {}
    for node in chain["nodes"]:
        shown = [e["target"] for e in chain["edges"] if e["source"] == node["id"]]
        by_page[node["url"]] = [m for m in chain["media"] if m["node"] in shown]
    # each hostile file is an image node in error, with its reason; the trace goes on
    for page, (name, reason) in HOSTILE.items():
        (image,) = by_page[page]
        assert image["status"] == "error" and image["fingerprint"] is None
        assert reason in image["error"] and name in image["error"], image["error"]
        assert "\n" not in image["error"]
    # the two real photographs are two groups of one image each here
    (lead,) = by_page[REPOST]
    (rocket,) = by_page[OTHER]
    assert lead["status"] == rocket["status"] == "resolved"
    assert lead["same_image"] == [] and rocket["same_image"] == []
    assert not [e for e in chain["edges"] if e["relation"] == "same_as"]
    # the bomb was refused from its header, by the pixels it claims (3.6 gigapixels)
    assert "3600000000 pixels" in by_page["https://hostile.example/bomb"][0]["error"]
    # every picture was asked of the loopback world, once
    for image in chain["media"]:
        host, path = image["media_url"].split("/", 3)[2:]
        assert len(fakeweb.seen(host, "/" + path)) == 1, image["media_url"]


def test_the_traced_article_s_own_picture_and_no_snapshot(world: dict[str, str]) -> None:
    env = world | {"TRACER_MEDIA__SNAPSHOT": "false"}
    chain = chain_json(env, "trace", REPOST, "-f", "json")
    # the article traced shows its picture too (its og:image)
    (image,) = chain["media"]
    assert image["media_url"] == "https://blog.example/lead.jpg"
    assert image["shown_by"][0]["node"] == chain["root"] and image["fingerprint"]["sha256"]
    # media.snapshot = false: no WARC of it
    assert not list(Path(env["TRACER_PRESERVE__SNAPSHOT_DIR"]).rglob("*.warc*"))


def test_offline_trace_fetches_no_media(
    world: dict[str, str], fakeweb: FakeWeb, tmp_path: Path
) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<html><body><article><p>The photo was first posted on X, see "
        f"pic.twitter.com/{CODE} in https://x.com/Tendar/status/{TWEET_ID} today.</p>"
        "</article></body></html>"
    )
    chain = chain_json(world, "trace", "--offline", str(page), "-f", "json")
    assert "media" not in chain
    assert not fakeweb.seen("pbs.twimg.com")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["/nonexistent/photo.jpg"], "no such file"),
        (["."], "directory"),
        (["https://bomb.example/huge.jpg"], "not an image"),
        (["https://nowhere.example/x.jpg"], "nowhere.example"),
        (["https://hostile.example/bomb.png"], "decompression bomb"),
        (["https://hostile.example/truncated.jpg"], "cannot be decoded"),
        (["FILE:bomb.png"], "decompression bomb"),
        (["FILE:truncated.jpg"], "cannot be decoded"),
        (["FILE:login.jpg"], "not an image"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    world: dict[str, str], args: list[str], words: str, tmp_path: Path
) -> None:
    hostile = {
        "bomb.png": png_bomb(60_000, 60_000),
        "truncated.jpg": jpeg(real_photograph("chelsea"))[:3000],
        "login.jpg": b"<html><body>Log in to see this photo</body></html>",
    }
    given = []
    for arg in args:  # FILE:name is a hostile file of that name, written here
        if arg.startswith("FILE:"):
            path = tmp_path / arg.removeprefix("FILE:")
            path.write_bytes(hostile[path.name])
            arg = str(path)
        given.append(arg)
    result = tracer(world, "media", *given)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracer: error: ") and words in lines[0], lines


def test_a_file_over_the_size_cap_is_refused(world: dict[str, str], copy_file: str) -> None:
    env = world | {"TRACER_MEDIA__MAX_BYTES": "1000"}
    result = tracer(env, "media", copy_file)
    assert result.returncode == 2 and "media.max_bytes" in result.stderr
