"""The media section in every renderer: each image's fingerprints, its same-image group,
where the group appears and its first appearance with the method; the HTML report shows
each picture from its stored preview, inline, and nothing a chain could smuggle in."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.media.images import jpeg, real_photograph
from tests.render import browser
from tests.render.chains import SCRIPT, edge, example_chain, node
from tests.render.test_html import page_requests
from tracer.media.preview import preview_uri
from tracer.render import render
from tracer.render.prov import NAMESPACE_URI, load, problems

BLOG = "https://blog.example/repost"
MEMENTO = "https://web.archive.org/web/20240725100000/https://blog.example/repost"


def _image(node_id: str, url: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "node": node_id,
        "url": url,
        "media_url": url,
        "fingerprint": {
            "sha256": "ab" * 32,
            "phash": "c3a1f00ff00f1e2d",
            "dhash": "0f0e0d0c0b0a0908",
            "width": 512,
            "height": 512,
            "format": "JPEG",
            "bytes": 48213,
            "windows": {},
        },
        "thumbnail": preview_uri(jpeg(real_photograph("astronaut")), 50_000_000),
        "same_image": [],
        "shown_by": [],
        "first_appearance": None,
        "appearances": [],
        "claimed_by_file": None,
        "c2pa": None,
        "status": "resolved",
    }
    data.update(extra)
    return data


def media_chain() -> dict[str, Any]:
    """The example chain, whose post shows a photo and a blog page a captioned copy; the
    blog's archived copy of July 25 showed it first; a third picture was refused."""
    chain = example_chain()
    chain["nodes"] += [
        node("n9", "page", "Reposted: the photo", BLOG, published_at="2024-07-30T08:00:00Z"),
        node("n10", "media", None, "https://pic.twitter.com/hIF4H7QWW1"),
        node("n11", "media", None, "https://blog.example/lead.jpg"),
        node("n12", "media", None, "https://bad.example/bomb.png", status="error"),
    ]
    chain["edges"] += [
        edge("n2", "n10", "embeds", "shows https://pbs.twimg.com/media/hIF4H7QWW1.jpg"),
        edge("n1", "n9", "links", "reposted with a caption"),
        edge("n9", "n11", "embeds", "shows https://blog.example/lead.jpg"),
        edge("n11", "n10", "same_as", "pHash distance 6 of 64 bits (threshold 10)"),
        edge("n9", "n12", "embeds", "shows https://bad.example/bomb.png"),
    ]
    first = {
        "at": "2024-07-25T10:00:00Z",
        "node": "n9",
        "method": "earliest archived copy of a page showing it (wayback, pHash distance 6)",
        "memento": MEMENTO,
        "image": "https://web.archive.org/web/20240725100000im_/https://blog.example/lead.jpg",
    }
    appearances = [
        first,
        {
            "at": "2024-07-27T12:00:00Z",
            "node": "n10",
            "method": "earliest archived capture of its file (wayback)",
            "memento": "https://web.archive.org/web/20240727120000/https://pbs.twimg.com/media/hIF4H7QWW1.jpg",
        },
        {
            "at": "2024-07-28T19:44:57Z",
            "node": "n2",
            "method": "earliest post or page showing it (snowflake-id)",
        },
    ]
    shown = [
        {"node": "n2", "image": "n10", "published_at": "2024-07-28T19:44:57Z"},
        {"node": "n9", "image": "n11", "published_at": "2024-07-30T08:00:00Z"},
    ]
    chain["media"] = [
        _image(
            "n10",
            "https://pic.twitter.com/hIF4H7QWW1",
            media_url="https://pbs.twimg.com/media/hIF4H7QWW1.jpg",
            same_image=["n11"],
            shown_by=shown,
            first_appearance=first,
            appearances=appearances,
            claimed_by_file={"captured_at": "2023-01-02T03:04:05+03:00", "camera": "Canon EOS R6"},
        ),
        _image(
            "n11",
            "https://blog.example/lead.jpg",
            same_image=["n10"],
            shown_by=shown,
            first_appearance=first,
            appearances=appearances,
        ),
        _image(
            "n12",
            "https://bad.example/bomb.png",
            fingerprint=None,
            thumbnail=None,
            status="error",
            error="https://bad.example/bomb.png: refused as a decompression bomb",
            shown_by=[{"node": "n9", "image": "n12", "published_at": None}],
        ),
    ]
    return chain


def test_text_shows_each_image() -> None:
    out = render(media_chain(), "text")
    lines = out[out.index("Media:") :].splitlines()
    assert "    512x512 JPEG, 48,213 bytes" in lines and "    sha256 " + "ab" * 32 in lines
    section = " ".join(out[out.index("Media:") :].split())  # as read, whatever the wrapping
    assert "pHash c3a1f00ff00f1e2d" in section and "dHash 0f0e0d0c0b0a0908" in section
    assert "same image: https://blog.example/lead.jpg [n11]" in section
    assert "shown by: " in section and "Reposted: the photo [n9]" in section
    assert (
        "first appearance: 2024-07-25T10:00:00Z, earliest archived copy of a page showing it "
        "(wayback, pHash distance 6) Reposted: the photo [n9]" in section
    )
    assert MEMENTO in section
    assert "also: 2024-07-27T12:00:00Z, earliest archived capture of its file (wayback)" in section
    assert "claimed by the file (EXIF, not proof): captured at 2023-01-02T03:04:05+03:00" in section
    assert "refused: https://bad.example/bomb.png: refused as a decompression bomb" in section
    assert "Media:" not in render(example_chain(), "text")


def test_html_shows_each_image_with_an_inline_preview() -> None:
    page = render(media_chain(), "html")
    soup = BeautifulSoup(page, "html.parser")
    section = soup.find("section", class_="media")
    assert section is not None
    figures = section.find_all("figure")
    assert [f["id"] for f in figures] == ["media-n10", "media-n11", "media-n12"]
    images = section.find_all("img")
    assert len(images) == 2  # the refused file has no preview
    for img in images:
        src = img["src"]
        assert src.startswith("data:image/jpeg;base64,")
        preview = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        assert preview.format == "JPEG" and max(preview.size) <= 120
    first = figures[0]
    assert "2024-07-25T10:00:00Z, earliest archived copy of a page showing it" in first.text
    assert "sha256 " + "ab" * 32 in first.text
    appearances = first.find("ol", class_="appearances").find_all("li")
    assert len(appearances) == 3 and "★ first appearance" in appearances[0].text
    assert appearances[0].find("a", class_="archived")["href"] == MEMENTO
    # the group and where it appears link to the nodes' cards
    refs = {a["href"] for a in first.find_all("a") if a["href"].startswith("#")}
    assert len(refs) >= 2
    assert "EXIF: not proof" in first.text
    assert "decompression bomb" in figures[2].text
    # the preview is the only image source, and the policy allows data: images alone
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "img-src data:" in policy and "default-src 'none'" in policy


@pytest.mark.parametrize(
    "thumbnail",
    [
        "https://tracker.example/pixel.gif",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        'data:image/jpeg;base64,AAAA" onerror="alert(1)',
        "javascript:alert(1)",
    ],
)
def test_html_shows_no_preview_a_chain_could_smuggle(thumbnail: str) -> None:
    chain = media_chain()
    for image in chain["media"]:
        image["thumbnail"] = thumbnail
        image["url"] = f"https://x.example/{SCRIPT}"
    soup = BeautifulSoup(render(chain, "html"), "html.parser")
    assert soup.find_all("img") == [] and soup.find_all("script") == []


def test_markdown_lists_each_image() -> None:
    out = render(media_chain(), "md")
    section = out[out.index("## Media") :]
    assert "same image: n11" in section
    assert "first appearance: 2024-07-25T10:00:00Z, earliest archived copy" in section
    assert f"(<{MEMENTO}>)" in section
    assert "refused:" in section


@pytest.mark.parametrize("fmt", ["prov-json", "prov-n"])
def test_prov_carries_fingerprints_groups_and_first_appearance(fmt: str) -> None:
    document = load(render(media_chain(), fmt), fmt)
    assert problems(document) == []
    entities = {str(r.identifier.uri): r for r in document.get_records() if r.is_element()}
    image = entities[f"{NAMESPACE_URI}n10"]

    def values(name: str) -> set[str]:
        return {str(getattr(v, "uri", v)) for v in image.get_attribute(f"{NAMESPACE_URI}{name}")}

    assert values("sha256") == {"ab" * 32} and values("phash") == {"c3a1f00ff00f1e2d"}
    assert values("same_image") == {f"{NAMESPACE_URI}n11"}
    assert values("shown_by") == {f"{NAMESPACE_URI}n2", f"{NAMESPACE_URI}n9"}
    assert values("first_appearance_evidence") == {f"{NAMESPACE_URI}n9"}
    assert values("first_appearance_memento") == {MEMENTO}
    (method,) = values("first_appearance_method")
    assert method.startswith("earliest archived copy of a page showing it")
    (at,) = image.get_attribute(f"{NAMESPACE_URI}first_appearance_at")
    assert re.match(r"2024-07-25[ T]10:00:00", str(at))
    assert values("claimed_capture_time") == {"2023-01-02T03:04:05+03:00"}


@pytest.mark.skipif(
    browser.CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install -y chromium)",
)
def test_chromium_paints_the_previews_and_asks_nothing(tmp_path: Path) -> None:
    with_previews = tmp_path / "media.html"
    with_previews.write_text(render(media_chain(), "html"), encoding="utf-8")
    chain = media_chain()
    for image in chain["media"]:
        image["thumbnail"] = None
    without = tmp_path / "bare.html"
    without.write_text(render(chain, "html"), encoding="utf-8")
    shots = []
    with browser.RecordingProxy() as proxy:
        for page in (with_previews, without):
            out = tmp_path / f"{page.stem}.png"
            shots.append(browser.colours(browser.screenshot(page, out, proxy, 1100, 2600)))
    assert page_requests(proxy) == []
    # a photograph paints thousands of colours a report's flat styles never do
    assert len(shots[0] - shots[1]) > 1000, (len(shots[0]), len(shots[1]))
    print(f"screenshots for review: {tmp_path}")
