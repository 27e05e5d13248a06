"""The terminal tree a verifier reads at a glance (rich).

Every page-derived string goes into a `rich.text.Text` as plain text, never through
rich markup, so a name like "[bold red]" or "[link=...]" prints as typed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from tracer.render.view import (
    ChainEdge,
    ChainView,
    appearance_line,
    claims_line,
    fingerprint_parts,
    media_of,
    more_mentions,
    one_line,
)
from tracer.store.readmodel import CandidateEntry, Chain, ChainNode

#: colour per node kind, so an eye finds the posts among the articles
KIND_STYLES = {
    "article": "bold cyan",
    "post": "bold green",
    "channel": "bold magenta",
    "outlet": "bold yellow",
    "person": "bold blue",
    "organization": "bold blue",
    "document": "bold cyan",
    "media": "bold white",
    "page": "cyan",
}


def date_line(node: ChainNode) -> str | None:
    """'2024-07-28 (signature date)', or None when the node has no date."""
    when = one_line(node.published_at)
    if not when:
        return None
    method = one_line(node.published_at_method)
    return f"{when} ({method})" if method else when


def _node_text(view: ChainView, node_id: str, via: ChainEdge | None, repeat: bool) -> Text:
    node = view.nodes[node_id]
    first = view.first_appearance
    text = Text()
    if via is not None:
        text.append(f"{via.relation} → ", style="dim")
    kind = one_line(node.kind) or "node"
    text.append(kind, style=KIND_STYLES.get(kind, "bold"))
    text.append(" ")
    text.append(view.label(node_id), style="bold")
    aliases = view.other_names(node_id)
    if aliases:
        text.append(f" ({', '.join(aliases)})", style="bold")
    handle = view.handle_beside_label(node_id)
    if handle:
        text.append(f" @{handle}")
    text.append(f"  [{node_id}]", style="dim")
    if first is not None and first.node == node_id:
        text.append("  ★ first appearance", style="bold red")
    if view.chain.focus == node_id:
        text.append("  ◀ the node asked for", style="bold reverse")
    if via is not None and via.evidence:
        text.append("\n“", style="italic")
        text.append(via.evidence, style="italic")
        text.append("”", style="italic")
        if via.further_mentions:
            text.append(f" ({more_mentions(via)})", style="dim")
    if repeat:
        text.append("\n(shown above)", style="dim")
        return text
    url = one_line(node.address)
    if url:
        text.append(f"\n{url}", style="underline")
    dated = date_line(node)
    if dated:
        text.append(f"\npublished {dated}")
    earliest = view.earliest_capture(node_id)
    if earliest is not None:
        count = len(view.captures(node_id))
        archive = one_line(earliest.archive) or "archive"
        text.append(f"\nearliest capture {one_line(earliest.captured_at)} ({archive}")
        text.append(f", +{count - 1} more)" if count > 1 else ")")
        if earliest.url:
            text.append(f"\n{one_line(earliest.url)}", style="dim")
    status = one_line(node.status)
    if status and status != "resolved":
        text.append(f"\nstatus {status}", style="yellow")
        if node.error:
            text.append(f": {one_line(node.error)}", style="yellow")
    return text


def tree(chain: Chain | Mapping[str, Any]) -> RenderableType:
    """The chain as a rich renderable: a header, one tree per starting node, a summary."""
    view = ChainView.of(chain)
    parts: list[RenderableType] = []
    header = Text("Trace of ", style="bold")
    header.append(one_line(view.chain.input) or view.root or "the store")
    parts.append(header)
    # the walk yields nodes depth-first with their depth; keep the open branch per depth
    branches: list[Tree] = []
    for node_id, via, depth, repeat in view.walk():
        label = _node_text(view, node_id, via, repeat)
        if depth == 0:
            branches = [Tree(label, guide_style="dim")]
            parts.append(branches[0])
            continue
        del branches[depth:]
        branches.append(branches[depth - 1].add(label))
    parts.append(_summary(view))
    media = _media(view)
    if media is not None:
        parts.append(media)
    return Group(*parts)


def _ref(view: ChainView, node_id: object) -> str:
    key = one_line(node_id)
    return f"{view.label(key)} [{key}]" if key in view.nodes else f"[{key}]"


def _media(view: ChainView) -> Text | None:
    """Each image: its fingerprints, its same-image group, where the group appears and
    when it first appeared (with the method), and what the file claims of itself."""
    images = media_of(view.chain)
    if not images:
        return None
    text = Text("Media:", style="bold")
    for image in images:
        text.append(f"\n  {one_line(image.get('url')) or '?'}", style="bold")
        text.append(f"  [{one_line(image['node'])}]", style="dim")
        if image.get("status") == "error":
            text.append(f"\n    refused: {one_line(image.get('error'))}", style="yellow")
            continue
        # one line each: a sha256 alone fills most of a terminal's width
        parts = fingerprint_parts(image)
        size = [p for p in parts if not p.startswith(("sha256", "pHash", "dHash"))]
        hashes = [p for p in parts if p not in size]
        for line in (", ".join(size), *hashes):
            if line:
                text.append(f"\n    {line}")
        same = [_ref(view, n) for n in image.get("same_image") or []]
        text.append(f"\n    same image: {', '.join(same) if same else 'no other'}")
        shown = [
            _ref(view, s.get("node")) for s in image.get("shown_by") or [] if isinstance(s, dict)
        ]
        if shown:
            text.append(f"\n    shown by: {', '.join(dict.fromkeys(shown))}")
        evidence = [a for a in image.get("appearances") or [] if isinstance(a, dict)]
        first = image.get("first_appearance")
        if isinstance(first, dict):
            text.append("\n    first appearance: ", style="bold")
            text.append(f"{appearance_line(first)} {_ref(view, first.get('node'))}")
            if first.get("memento"):
                text.append(f"\n      {one_line(first['memento'])}", style="dim")
        else:
            text.append("\n    first appearance: unknown", style="bold")
        for other in evidence[1:]:
            text.append(f"\n    also: {appearance_line(other)} {_ref(view, other.get('node'))}")
        claims = claims_line(image)
        if claims:
            text.append(f"\n    claimed by the file (EXIF, not proof): {claims}")
    return text


def _summary(view: ChainView) -> Text:
    text = Text()
    first = view.first_appearance
    if first is None:
        text.append("First appearance: unknown", style="bold")
    else:
        node_id = first.node
        text.append("First appearance: ", style="bold")
        text.append(f"{view.label(node_id)} [{node_id}] at {one_line(first.at)}")
        if first.method:
            text.append(f" ({one_line(first.method)})")
        path = view.path
        if path:
            text.append("\nPath: ", style="bold")
            text.append(" → ".join(f"{view.label(n)} [{n}]" for n in path))
    candidates = view.chain.candidates
    if candidates:
        text.append("\nCandidates considered:", style="bold")
        for candidate in candidates:
            text.append(f"\n  {candidate_line(candidate)}")
    return text


def candidate_line(candidate: CandidateEntry) -> str:
    parts = [one_line(candidate.url) or "?"]
    if candidate.score is not None:
        parts.append(f"score {one_line(candidate.score)}")
    for value in (candidate.published_at, candidate.method, candidate.reason):
        if value:
            parts.append(one_line(value))
    if candidate.accepted:
        parts.append("accepted")
    return " · ".join(parts)


def render_text(chain: Chain | Mapping[str, Any], width: int = 100, color: bool = False) -> str:
    """The tree as a string; plain unless `color` (then with ANSI styles)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(tree(chain))
    return buffer.getvalue()
