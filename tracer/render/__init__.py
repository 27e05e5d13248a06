"""Rendering a chain: the terminal tree, JSON, Markdown, HTML, W3C PROV, and exports.

Every renderer takes the chain as the DESIGN `trace --format json` object (input, root,
nodes with captures, edges with evidence/start/end, first_appearance, and optionally
`path` and `candidates`), so a trace, `show` and `export` all render the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tracer.errors import InputError
from tracer.render.exports import (
    EXPORT_FORMATS,
    export,
    graph,
    to_csv_tables,
    to_graphml,
    to_jsonl,
)
from tracer.render.html import render_html
from tracer.render.markdown import render_markdown
from tracer.render.prov import prov_document
from tracer.render.prov import serialize as render_prov
from tracer.render.text import render_text, tree
from tracer.render.view import ChainView


def render_json(chain: dict[str, Any]) -> str:
    ChainView.of(chain)  # the same shape check every other renderer makes
    return json.dumps(chain, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "text": render_text,
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
    "prov-json": lambda chain: render_prov(chain, "prov-json") + "\n",
    "prov-n": lambda chain: render_prov(chain, "prov-n"),
    "prov-ttl": lambda chain: render_prov(chain, "prov-ttl"),
}

#: the formats `render` knows, in the order the CLI lists them
FORMATS = tuple(_RENDERERS)


def render(chain: dict[str, Any], fmt: str) -> str:
    """The chain in `fmt` (text, json, md, html, prov-json, prov-n, prov-ttl)."""
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return renderer(chain)


__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "export",
    "graph",
    "prov_document",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "to_csv_tables",
    "to_graphml",
    "to_jsonl",
    "tree",
]
