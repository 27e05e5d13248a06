"""The chain as Markdown, for reports and issue trackers.

Markdown passes raw HTML through, so every page-derived string is HTML-escaped and its
Markdown punctuation backslash-escaped; only http(s) URLs become links.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from tracer.render.links import linkable
from tracer.render.text import candidate_line, date_line
from tracer.render.view import (
    ChainEdge,
    ChainView,
    appearance_line,
    claims_line,
    fingerprint_line,
    media_of,
    more_mentions,
    one_line,
)
from tracer.store.readmodel import Chain

#: characters that start emphasis, links, code, tables or strikethrough mid-line
_MARKDOWN_SPECIALS = "\\`*_[]|~"


def md_text(value: Any) -> str:
    """Page text as inert Markdown: one line, HTML-escaped, punctuation escaped."""
    text = html.escape(one_line(value), quote=False)
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIALS else ch for ch in text)


def md_link(label: Any, url: Any) -> str:
    """`[label](<url>)` for an http(s) URL; the escaped label alone otherwise."""
    text = md_text(label) or md_text(url)
    target = linkable(url)
    if target is None:
        shown = md_text(url)
        # a URL we will not link is still worth seeing, as text
        return f"{text} ({shown})" if shown and shown != text else text
    # the <...> form takes parentheses and spaces; only angle brackets must be encoded
    target = target.replace("<", "%3C").replace(">", "%3E")
    return f"[{text}](<{target}>)"


def _node_line(view: ChainView, node_id: str, via: ChainEdge | None, repeat: bool) -> str:
    node = view.nodes[node_id]
    parts: list[str] = []
    if via is not None:
        parts.append(f"*{md_text(via.relation)}* →")
    parts.append(f"**{md_text(node.kind or 'node')}**")
    parts.append(md_link(view.label(node_id), node.address))
    handle = view.handle_beside_label(node_id)
    if handle:
        parts.append(f"@{md_text(handle)}")
    parts.append(f"`{node_id}`" if node_id.isalnum() else md_text(node_id))
    first = view.first_appearance
    if first is not None and first.node == node_id:
        parts.append("★ **first appearance**")
    if repeat:
        parts.append("(shown above)")
        return " ".join(parts)
    details: list[str] = []
    dated = date_line(node)
    if dated:
        details.append(f"published {md_text(dated)}")
    earliest = view.earliest_capture(node_id)
    if earliest is not None:
        label = f"{one_line(earliest.captured_at)} {one_line(earliest.archive)}"
        details.append(f"earliest capture {md_link(label, earliest.url)}")
    status = one_line(node.status)
    if status and status != "resolved":
        error = f": {md_text(node.error)}" if node.error else ""
        details.append(f"status {md_text(status)}{error}")
    line = " ".join(parts)
    return f"{line} — {'; '.join(details)}" if details else line


def render_markdown(chain: Chain | Mapping[str, Any]) -> str:
    view = ChainView.of(chain)
    title = md_text(view.chain.input or view.root or "the store")
    lines = [f"# Provenance chain of {title}", ""]
    first = view.first_appearance
    if first is not None:
        node_id = first.node
        method = f" ({md_text(first.method)})" if first.method else ""
        lines.append(
            f"**First appearance:** {md_text(view.label(node_id))} `{node_id}` "
            f"at {md_text(first.at)}{method}"
        )
        if view.path:
            lines += ["", "**Path:** " + " → ".join(md_text(view.label(n)) for n in view.path)]
    else:
        lines.append("**First appearance:** unknown")
    lines += ["", "## Chain", ""]
    for node_id, via, depth, repeat in view.walk():
        lines.append(f"{'  ' * depth}- {_node_line(view, node_id, via, repeat)}")
        if via is not None and via.evidence:
            more = f" ({more_mentions(via)})" if via.further_mentions else ""
            lines.append(f"{'  ' * (depth + 1)}> “{md_text(via.evidence)}”{more}")
    lines += ["", "## Nodes", "", "| id | kind | name | published | method | captures |"]
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for node_id, node in view.nodes.items():
        cells = [
            md_text(node_id),
            md_text(node.kind),
            md_link(view.label(node_id), node.address),
            md_text(node.published_at),
            md_text(node.published_at_method),
            str(len(view.captures(node_id))),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += _media(view)
    candidates = view.chain.candidates
    if candidates:
        lines += ["", "## Candidates considered", ""]
        lines += [f"- {md_text(candidate_line(c))}" for c in candidates]
    return "\n".join(lines) + "\n"


def _media(view: ChainView) -> list[str]:
    images = media_of(view.chain)
    if not images:
        return []
    lines = ["", "## Media", ""]
    for image in images:
        lines.append(f"- {md_link(image.get('url'), image.get('url'))} `{md_text(image['node'])}`")
        if image.get("status") == "error":
            lines.append(f"  - refused: {md_text(image.get('error'))}")
            continue
        lines.append(f"  - {md_text(fingerprint_line(image))}")
        same = ", ".join(md_text(n) for n in image.get("same_image") or [])
        lines.append(f"  - same image: {same or 'no other'}")
        shown = [md_text(s.get("node")) for s in image.get("shown_by") or [] if isinstance(s, dict)]
        if shown:
            lines.append(f"  - shown by: {', '.join(dict.fromkeys(shown))}")
        first = image.get("first_appearance")
        if isinstance(first, dict):
            copy = (
                f" ({md_link('archived copy', first['memento'])})" if first.get("memento") else ""
            )
            lines.append(
                f"  - first appearance: {md_text(appearance_line(first))} "
                f"{md_text(first.get('node'))}{copy}"
            )
        claims = claims_line(image)
        if claims:
            lines.append(f"  - claimed by the file (EXIF, not proof): {md_text(claims)}")
    return lines
