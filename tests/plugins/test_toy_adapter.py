"""A platform the core has never heard of, installed as a third-party package would be.

The toy package lives in a temporary directory with its own dist-info and entry point,
put on the path of a `tracer` process: nothing in tracer/ or adapters/ names it. Its
adapter alone teaches `tracer resolve` its URLs and extraction its links and embeds.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.cli import tracer

TOY_ADAPTER = """
from __future__ import annotations

import re
from typing import ClassVar

from tracer.plugins.platform import (
    EmbedPage,
    Embedded,
    Identity,
    LinkParts,
    LinkShape,
    Profile,
)
from tracer.store.model import NodeKind, NodeStatus

_POST = re.compile(r"/p/(\\d+)$")


class ToyAdapter:
    name: ClassVar[str] = "toy"
    hosts: ClassVar[frozenset[str]] = frozenset({"toy.example"})
    embed_paths: ClassVar[tuple[str, ...]] = (".//blockquote[contains(@class, 'toy-post')]",)
    profile: ClassVar[Profile] = Profile("https://toy.example/{handle}", re.compile(r"\\w{2,20}"))
    prose: ClassVar[dict[str, tuple[str, ...]]] = {"en": ("Toyspace",), "de": ("Toyspace",)}

    def shape(self, link: LinkParts) -> LinkShape:
        post = _POST.search(link.split.path)
        if post:
            url = f"https://toy.example/p/{post.group(1)}"
            return LinkShape("toy", NodeKind.POST, url, None, post.group(1))
        return LinkShape("toy", NodeKind.PAGE, link.url)

    def read_embed(self, element, page: EmbedPage) -> list[Embedded]:
        if "toy-post" not in (element.get("class") or "").split():
            return []
        post = Embedded(
            "toy", element.get("cite"), "embed-toy", text=" ".join(element.text_content().split())
        )
        post.post_id = element.get("cite", "").rsplit("/", 1)[-1]
        return [post]

    def parse(self, url: str) -> Identity | None:
        post = _POST.search(url) if "toy.example/" in url else None
        if post is None:
            return None
        return Identity(
            platform="toy",
            kind=NodeKind.POST,
            canonical_url=f"https://toy.example/p/{post.group(1)}",
            url=url,
            platform_id=post.group(1),
        )

    async def enrich(self, identity: Identity, http: object) -> Identity:
        identity.status = NodeStatus.RESOLVED
        return identity
"""

ARTICLE = """<!doctype html>
<html lang="en"><head><title>Harbour toys go missing</title></head><body>
<article><h1>Harbour toys go missing</h1>
<p>The harbour office said on Tuesday that a crate of wooden toys had gone missing from
the north quay, and that the night watch saw nothing unusual during its rounds.</p>
<blockquote class="toy-post" cite="https://toy.example/p/4711">The crate was on the quay
at midnight and gone by six.</blockquote>
<p>Dock workers later shared <a href="https://toy.example/p/4712">a second post</a> with
a photograph of the empty pallet, taken before the morning shift began its work.</p>
</article></body></html>
"""


#: a source named only in prose, on the toy platform by the name its adapter gives it
PROSE_ARTICLE = """<!doctype html>
<html lang="en"><head><title>Crate found at the quay</title></head><body>
<article><h1>Crate found at the quay</h1>
<p>The missing crate of wooden toys turned up behind the customs shed on Thursday, the
harbour office said, still sealed and with every toy accounted for by the evening.</p>
<p>The Toyspace channel Quay Watch reported that a forklift driver had moved the crate by
mistake during the night shift and then forgot to log where he had put it.</p>
</article></body></html>
"""


@pytest.fixture
def toy_path(tmp_path: Path) -> Path:
    """A directory holding the toy package and its metadata, as pip would install it."""
    site = tmp_path / "site"
    package = site / "toyplatform"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(TOY_ADAPTER))
    info = site / "toyplatform-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toyplatform\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[tracer.adapters]\ntoy = toyplatform:ToyAdapter\n")
    return site


def run(site: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`tracer` in a process of its own with the toy package at `site` on its path."""
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return tracer(*args, db=f"sqlite:///{db}", env={"PYTHONPATH": path})


def test_the_core_does_not_know_the_toy_platform() -> None:
    root = Path(__file__).resolve().parents[2]
    for folder in ("tracer", "adapters"):
        for module in (root / folder).rglob("*.py"):
            assert "toy.example" not in module.read_text(), module


def test_resolve_uses_the_installed_toy_adapter(toy_path: Path, tmp_path: Path) -> None:
    done = run(toy_path, tmp_path / "t.db", "resolve", "--json", "https://toy.example/p/4711")
    assert done.returncode == 0, done.stderr
    [node] = json.loads(done.stdout)
    assert node["platform"] == "toy"
    assert node["kind"] == "post"
    assert node["platform_id"] == "4711"
    assert node["canonical_url"] == "https://toy.example/p/4711"


def test_without_the_package_the_url_is_a_web_page(tmp_path: Path) -> None:
    done = run(
        tmp_path, tmp_path / "t.db", "resolve", "--offline", "--json", "https://toy.example/p/4711"
    )
    assert done.returncode == 0, done.stderr
    [node] = json.loads(done.stdout)
    assert node["platform"] == "web"


def test_a_traced_page_finds_the_toy_embed_and_link(toy_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(ARTICLE)
    done = run(toy_path, tmp_path / "t.db", "trace", "--offline", "-f", "json", str(page))
    assert done.returncode == 0, done.stderr
    chain = json.loads(done.stdout)
    nodes = {node["id"]: node for node in chain["nodes"]}
    toy = {node["canonical_url"]: node for node in nodes.values() if node["platform"] == "toy"}
    assert set(toy) == {"https://toy.example/p/4711", "https://toy.example/p/4712"}
    assert all(node["kind"] == "post" for node in toy.values())

    def to_toy(relation: str) -> list[dict[str, Any]]:
        """The chain's `relation` edges to a toy node."""
        return [
            edge
            for edge in chain["edges"]
            if edge["relation"] == relation and nodes[edge["target"]]["platform"] == "toy"
        ]

    embedded, linked = to_toy("embeds"), to_toy("links")
    assert [nodes[edge["target"]]["canonical_url"] for edge in embedded] == [
        "https://toy.example/p/4711"
    ]
    assert [nodes[edge["target"]]["canonical_url"] for edge in linked] == [
        "https://toy.example/p/4712"
    ]
    assert "shared a second post" in linked[0]["evidence"]


def test_prose_names_the_toy_platform_as_its_adapter_says(toy_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(PROSE_ARTICLE)
    done = run(toy_path, tmp_path / "t.db", "trace", "--offline", "-f", "json", str(page))
    assert done.returncode == 0, done.stderr
    named = {node["name"]: node for node in json.loads(done.stdout)["nodes"]}
    assert named["Quay Watch"]["platform"] == "toy"
    assert named["Quay Watch"]["kind"] == "channel"
    assert "Toyspace" not in named

    # the core's own lexicons do not know the name: without the package it names no platform
    done = run(tmp_path, tmp_path / "u.db", "trace", "--offline", "-f", "json", str(page))
    assert done.returncode == 0, done.stderr
    named = {node["name"]: node for node in json.loads(done.stdout)["nodes"]}
    assert all(node["platform"] != "toy" for node in named.values())
