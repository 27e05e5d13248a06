"""The terminal tree, Markdown and JSON renderings, and the render() entry point."""

from __future__ import annotations

import json
import re

import pytest

from tests.render.chains import SCRIPT, cyclic_chain, example_chain, hostile_chain
from tracer.errors import InputError
from tracer.render import FORMATS, render
from tracer.render.text import render_text


def test_tree_shows_every_node_with_its_evidence_date_and_capture() -> None:
    chain = example_chain()
    text = render(chain, "text")
    for node in chain["nodes"]:
        assert f"[{node['id']}]" in text
        assert node["name"] in text
    for edge in chain["edges"]:
        if edge["evidence"]:
            assert f"“{edge['evidence']}”" in text
    assert "published 2024-07-28T18:02:11Z (snowflake id)" in text
    assert "earliest capture 2024-07-29T10:15:00Z (wayback, +1 more)" in text
    assert "https://web.archive.org/web/20240729101500/https://news.example/post/1001" in text
    assert "Origin channel post 77 @originchan  [n7]  ★ first appearance" in text
    assert "status unresolved" in text  # the person nobody could resolve
    assert re.search(r"Path: .*\[n1\] → .*\[n3\] → .*\[n5\] → .*\[n7\]", text.replace("\n", " "))


def test_tree_gives_the_text_and_registry_names_beside_the_articles_own() -> None:
    chain = example_chain()
    outlet = chain["nodes"][3]
    outlet["attributes"] = {"aliases": ["OX", "OX"], "registry_name": "Outlet Example"}
    line = next(line for line in render(chain, "text").splitlines() if "[n4]" in line)
    assert f"{outlet['name']} (OX, Outlet Example)" in line
    # a registry name the node already carries is not repeated
    outlet["attributes"] = {"registry_name": outlet["name"]}
    line = next(line for line in render(chain, "text").splitlines() if "[n4]" in line)
    assert f"{outlet['name']}  [n4]" in line


def test_a_node_named_by_its_handle_shows_it_once() -> None:
    chain = example_chain()
    node = chain["nodes"][3]
    node["name"], node["handle"] = "@outletx", "outletx"
    for form in ("text", "md"):
        line = next(line for line in render(chain, form).splitlines() if "n4" in line)
        assert line.count("outletx") == 1, (form, line)
    node["name"] = "Outlet X"
    for form in ("text", "md"):
        line = next(line for line in render(chain, form).splitlines() if "n4" in line)
        assert "Outlet X" in line and "@outletx" in line, (form, line)


def test_tree_follows_the_path_first_and_marks_shared_nodes() -> None:
    text = render(example_chain(), "text")
    lines = text.splitlines()
    # n5 is reached through n3 (the path) and through n2: expanded once, along the path
    first = next(i for i, line in enumerate(lines) if "cites → post Grey Channel post 512" in line)
    second = next(i for i, line in enumerate(lines) if "links → post Grey Channel post 512" in line)
    assert first < second
    assert any("forwarded_from → post Origin" in line for line in lines[first:second])
    assert "(shown above)" in lines[second + 2]
    # the shared node's details are printed once
    assert sum(line.endswith(" https://t.me/greychannel/512") for line in lines) == 1


def test_tree_ends_on_cycles() -> None:
    text = render(cyclic_chain(), "text")
    assert text.count("(shown above)") == 2
    assert "First appearance: unknown" in text


def test_tree_prints_page_markup_and_escapes_literally() -> None:
    chain = hostile_chain()
    chain["nodes"][2]["name"] = "evil\x1b[2J\x1b]0;title\x07name\nsecond line"
    plain = render(chain, "text")
    assert "[bold red]markup[/]" in plain  # rich markup in a page string stays text
    assert SCRIPT in plain
    assert "\x1b" not in plain and "\x07" not in plain
    assert "evil[2J]0;titlename second line" in plain
    coloured = render_text(chain, color=True)
    assert "\x1b[" in coloured  # styles are there when asked for...
    assert "\x1b[2J" not in coloured  # ...but never the page's own escape codes
    assert "[bold red]markup[/]" in coloured


def test_markdown_lists_the_chain_and_escapes_page_text() -> None:
    md = render(example_chain(), "md")
    assert md.startswith("# Provenance chain of https://news.example/post/1001\n")
    assert "**First appearance:** Origin channel post 77 `n7` at 2024-07-27T19:05:00Z" in md
    assert (
        "- **article** [Rebels and mercenaries in the desert](<https://news.example/post/1001>) `n1`"
        in md
    )
    assert "    > “citing the Telegram channel Grey Channel”" in md
    assert (
        "[2024-07-29T10:15:00Z wayback](<https://web.archive.org/web/20240729101500/https://news.example/post/1001>)"
        in md
    )
    table = [line for line in md.splitlines() if line.startswith("| n")]
    assert len(table) == len(example_chain()["nodes"])

    hostile = render(hostile_chain(), "md")
    assert "<script" not in hostile and "<img" not in hostile
    assert "&lt;script&gt;" in hostile
    assert "\\[bold red\\]markup\\[/\\]" in hostile
    targets = re.findall(r"\]\(<([^>]*)>\)", hostile)
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)
    assert "javascript:document.title" in hostile  # shown as text, not linked


def test_json_is_the_chain_itself() -> None:
    chain = example_chain()
    assert json.loads(render(chain, "json")) == chain


def test_every_format_renders_and_unknown_ones_are_input_errors() -> None:
    for fmt in FORMATS:
        assert render(example_chain(), fmt).strip()
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        render(example_chain(), "pdf")
    with pytest.raises(InputError, match="'nodes' list"):
        render({"edges": []}, "text")
    with pytest.raises(InputError, match="needs an 'id'"):
        render({"nodes": [{"kind": "post"}]}, "html")


def test_edges_to_missing_nodes_are_left_out_not_fatal() -> None:
    chain = example_chain()
    chain["edges"].append({"source": "n1", "target": "n99", "relation": "cites"})
    chain["path"] = ["n1", "n99"]  # a path through a node the chain lacks is recomputed
    text = render(chain, "text")
    assert "n99" not in text
    assert re.search(r"Path: .*\[n7\]", text.replace("\n", " "))
