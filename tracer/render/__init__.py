"""Rendering a chain: the terminal tree, JSON, Markdown, HTML, W3C PROV, and exports.

Every renderer takes the chain as its typed read model (tracer.store.readmodel.Chain:
input, root, nodes with captures, edges with evidence/start/end, first_appearance, and
optionally `path` and `candidates`), or the DESIGN `trace --format json` object it reads
from, so a trace, `show`, `export` and a saved chain all render the same way.

Each renderer's module is imported when it is first used: the graph exports bring
networkx and PROV the prov library, which cost a text trace half a second of start-up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeAlias

from tracer import lazy_attributes
from tracer.errors import InputError

if TYPE_CHECKING:
    from tracer.store.readmodel import Chain

#: what a renderer takes: the read model, or the JSON object it reads from
Renderable: TypeAlias = "Chain | Mapping[str, Any]"


def _lazy(module: str, function: str) -> Callable[[Renderable], str]:
    def run(chain: Renderable) -> str:
        rendered: str = getattr(import_module(module), function)(chain)
        return rendered

    return run


def _prov(fmt: str, end: str = "") -> Callable[[Renderable], str]:
    def run(chain: Renderable) -> str:
        from tracer.render.prov import serialize

        return serialize(chain, fmt) + end

    return run


def render_json(chain: Renderable) -> str:
    from tracer.store.readmodel import Chain

    # a chain given as JSON is printed as given, once it reads as a chain: keys a newer
    # tracer wrote survive a round trip through an older one
    if isinstance(chain, Chain):
        document: Mapping[str, Any] = chain.to_json()
    else:
        Chain.from_json(chain)  # the same shape check every other renderer makes
        document = chain
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[Renderable], str]] = {
    "text": _lazy("tracer.render.text", "render_text"),
    "json": render_json,
    "md": _lazy("tracer.render.markdown", "render_markdown"),
    "html": _lazy("tracer.render.html", "render_html"),
    "prov-json": _prov("prov-json", "\n"),
    "prov-n": _prov("prov-n"),
    "prov-ttl": _prov("prov-ttl"),
}

#: the formats `render` knows, in the order the CLI lists them
FORMATS = tuple(_RENDERERS)
#: the formats `export` writes besides FORMATS
EXPORT_FORMATS = ("graphml", "csv", "jsonl")

#: the public names of the renderer modules, found on first use (PEP 562)
_LAZY = {
    "export": "tracer.render.exports",
    "graph": "tracer.render.exports",
    "to_csv_tables": "tracer.render.exports",
    "to_graphml": "tracer.render.exports",
    "to_jsonl": "tracer.render.exports",
    "prov_document": "tracer.render.prov",
    "render_html": "tracer.render.html",
    "render_markdown": "tracer.render.markdown",
    "render_text": "tracer.render.text",
    "tree": "tracer.render.text",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


def render(chain: Renderable, fmt: str) -> str:
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
