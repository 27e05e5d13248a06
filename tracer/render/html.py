"""One self-contained HTML report of a chain: graph, timeline, nodes and evidence.

The file makes no request when opened: styles and the graph (SVG, laid out here in
Python) are inline, there is no script at all, and a Content-Security-Policy forbids
anything else, as a second line of defence. Every page-derived string passes through
`esc` (html.escape); only http(s) URLs become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from tracer.render.layout import NODE_HEIGHT, NODE_WIDTH, Box, Layout, layout
from tracer.render.links import linkable
from tracer.render.text import candidate_line
from tracer.render.view import (
    AGENT_KINDS,
    ChainEdge,
    ChainView,
    Evidence,
    appearance_line,
    chain_time,
    claims_line,
    fingerprint_line,
    media_of,
    more_mentions,
    one_line,
    preview_of,
)
from tracer.store.readmodel import Chain, ChainCapture

#: (fill, stroke) per node kind; agents are drawn as pills, documents as cards
KIND_COLOURS = {
    "article": ("#e3f0fb", "#2a6fb0"),
    "post": ("#e4f5e6", "#2e8540"),
    "channel": ("#f4e6f7", "#8a3c9e"),
    "outlet": ("#fdf2dc", "#b27300"),
    "person": ("#e8eaf8", "#4650a8"),
    "organization": ("#e8eaf8", "#4650a8"),
    "document": ("#e3f0fb", "#2a6fb0"),
    "media": ("#eeeeee", "#555555"),
    "page": ("#eef6f7", "#3b7f8a"),
}
DEFAULT_COLOURS = ("#f2f2f2", "#666666")

#: (stroke colour, dash pattern) per relation
RELATION_STYLES = {
    "embeds": ("#2a6fb0", ""),
    "cites": ("#444444", ""),
    "links": ("#888888", "6 4"),
    "via": ("#8a3c9e", "2 4"),
    "forwarded_from": ("#2e8540", ""),
    "quotes": ("#1b7f79", ""),
    "replies_to": ("#1b7f79", "6 4"),
    "same_as": ("#999999", "10 3 2 3"),
    "redirects_to": ("#999999", "6 4"),
    "authored_by": ("#b27300", "2 3"),
    "published_by": ("#b27300", "2 3"),
}
DEFAULT_RELATION = ("#777777", "4 4")
PATH_COLOUR = "#c62828"

#: characters shown in a graph box before the name is cut (the card has it in full)
_LABEL_CHARS = 27
_CAPTURES_SHOWN = 12

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _quote(evidence: Evidence) -> str:
    """One sentence of the evidence list, with where it stands and the name as written."""
    notes = []
    if evidence.surface:
        notes.append(f"as “{esc(evidence.surface)}”")
    if evidence.start is not None and evidence.end is not None:
        notes.append(f"characters {evidence.start}–{evidence.end}")
    note = f" <span class='method'>({', '.join(notes)})</span>" if notes else ""
    return f"{note}<blockquote>{esc(evidence.text)}</blockquote>"


def esc(value: Any) -> str:
    """Page text as inert HTML (one line, every markup character escaped)."""
    return html.escape(one_line(value), quote=True)


def link(label: Any, url: Any, cls: str = "") -> str:
    """An anchor for an http(s) URL; the escaped label as text for anything else."""
    text = esc(label) or esc(url)
    target = linkable(url)
    if target is None:
        return f'<span class="nolink">{text}</span>'
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<a{klass} href="{html.escape(target, quote=True)}" rel="noopener noreferrer">{text}</a>'
    )


def anchor(node_id: str, index: int) -> str:
    """The fragment id of a node's card; stored ids ("n12") are used as they are."""
    return f"node-{node_id}" if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", node_id) else f"node-x{index}"


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of about `width` characters; the last cut with '…'."""
    words = text.split() or [""]
    result: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a long URL or handle: cut it, no space to break at
            if current:
                result.append(current)
                current = ""
            result.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            result.append(current)
            current = word
    result.append(current)
    result = [line for line in result if line]
    if len(result) > lines:
        result = [*result[: lines - 1], _short(result[lines - 1] + " …", width)]
        if not result[-1].endswith("…"):
            result[-1] = _short(result[-1], width - 1) + "…"
    return result or [""]


class _Report:
    def __init__(self, chain: Chain | Mapping[str, Any]) -> None:
        self.view = ChainView.of(chain)
        self.chain = self.view.chain
        self.anchors = {n: anchor(n, i) for i, n in enumerate(self.view.nodes)}
        self.path = self.view.path
        self.path_edges = self.view.path_edges
        first = self.view.first_appearance
        self.first_node = first.node if first else None

    # -- the whole page ----------------------------------------------------------------

    def page(self) -> str:
        title = esc(self.chain.input) or esc(self.view.root) or "the store"
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Provenance chain: {title}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            f'<header><p class="eyebrow">Provenance chain</p><h1>{title}</h1></header>',
            self.summary(),
            self.graph(),
            self.timeline(),
            self.media(),
            self.cards(),
            self.evidence(),
            self.candidates(),
            '<footer>Made by <span class="brand">tracer</span>. Links marked '
            "<em>archived</em> open copies in public archives.</footer>",
            "</main>",
            "</body>",
            "</html>",
        ]
        return "\n".join(p for p in parts if p) + "\n"

    def node_ref(self, node_id: str) -> str:
        return f'<a href="#{self.anchors[node_id]}">{esc(self.view.label(node_id))}</a>'

    def summary(self) -> str:
        view = self.view
        rows = [
            f"<dt>Nodes</dt><dd>{len(view.nodes)}</dd>",
            f"<dt>Edges</dt><dd>{len(view.edges)}</dd>",
        ]
        first = view.first_appearance
        if first is not None and self.first_node is not None:
            method = f" <span class='method'>({esc(first.method)})</span>" if first.method else ""
            rows.insert(
                0,
                f"<dt>First appearance</dt><dd>{self.node_ref(self.first_node)}"
                f" at <time>{esc(first.at)}</time>{method}</dd>",
            )
        else:
            rows.insert(0, "<dt>First appearance</dt><dd>unknown</dd>")
        if self.path:
            steps = ' <span class="arrow">→</span> '.join(self.node_ref(n) for n in self.path)
            rows.insert(1, f'<dt>Path</dt><dd class="path">{steps}</dd>')
        return f'<section class="summary"><dl>{"".join(rows)}</dl></section>'

    # -- the graph ---------------------------------------------------------------------

    def graph(self) -> str:
        view = self.view
        if not view.nodes:
            return '<section class="graph"><h2>Graph</h2><p>The chain is empty.</p></section>'
        placed = layout(view)
        width, height = round(placed.width), round(placed.height)
        # on a phone the picture shrinks to 70% at most, then scrolls sideways
        svg = [
            f'<svg class="chain" role="img" aria-labelledby="graph-title" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'style="min-width: {round(width * 0.7)}px; max-width: {width}px" '
            'xmlns="http://www.w3.org/2000/svg">',
            '<title id="graph-title">The chain as a graph: nodes by kind, edges by relation,'
            " the path to the first appearance in red</title>",
            self._markers(),
        ]
        # edges joining the same pair fan out instead of drawing over each other
        pairs: dict[tuple[str, str], list[ChainEdge]] = {}
        for edge in view.edges:
            pairs.setdefault((edge.source, edge.target), []).append(edge)
        for group in pairs.values():
            for i, edge in enumerate(group):
                svg.append(self._edge(edge, placed, (i - (len(group) - 1) / 2) * 14))
        svg += [self._node(node_id, placed.boxes[node_id]) for node_id in view.nodes]
        svg.append("</svg>")
        return (
            '<section class="graph"><h2>Graph</h2>'
            f'<div class="graph-scroll">{"".join(svg)}</div>{self._legend()}</section>'
        )

    def _markers(self) -> str:
        colours = sorted(
            {c for c, _ in (*RELATION_STYLES.values(), DEFAULT_RELATION, (PATH_COLOUR, ""))}
        )
        markers = [
            f'<marker id="arrow-{c[1:]}" viewBox="0 0 10 10" refX="10" refY="5" '
            f'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
            for c in colours
        ]
        return f"<defs>{''.join(markers)}</defs>"

    def _edge(self, edge: ChainEdge, placed: Layout, offset: float) -> str:
        source, target = placed.boxes[edge.source], placed.boxes[edge.target]
        on_path = edge.index in self.path_edges
        colour, dash = RELATION_STYLES.get(edge.relation, DEFAULT_RELATION)
        if on_path:
            colour, dash = PATH_COLOUR, ""
        d, label_x, label_y = _edge_geometry(source, target, offset)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        klass = "edge on-path" if on_path else "edge"
        tip = f"{self.view.label(edge.source)} {edge.relation} {self.view.label(edge.target)}"
        if edge.evidence:
            tip += f": “{edge.evidence}”"
        if edge.further_mentions:
            tip += f" ({more_mentions(edge)})"
        return (
            f'<g class="{klass}" data-relation="{esc(edge.relation)}"><title>{esc(tip)}</title>'
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{3 if on_path else 1.6}"'
            f'{dash_attr} marker-end="url(#arrow-{colour[1:]})"/>'
            f'<text class="edge-label" x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="middle">'
            f"{esc(_short(edge.relation, 18))}</text></g>"
        )

    def _node(self, node_id: str, box: Box) -> str:
        node = self.view.nodes[node_id]
        kind = one_line(node.kind) or "node"
        fill, stroke = KIND_COLOURS.get(kind, DEFAULT_COLOURS)
        radius = 24 if kind in AGENT_KINDS else 6
        on_path = node_id in self.path
        first = node_id == self.first_node
        width = 3.5 if first else 2.5 if on_path else 1.2
        outline = PATH_COLOUR if on_path else stroke
        when = one_line(node.published_at)[:10]
        top = f"{kind.upper()}{' · ' + when if when else ''}{' ★' if first else ''}"
        handle = one_line(node.handle).lstrip("@")
        bottom = f"{node_id}{' · @' + handle if handle else ''}"
        klass = "node" + (" on-path" if on_path else "") + (" first" if first else "")
        x, y = box.x, box.y
        pad = 18 if kind in AGENT_KINDS else 10
        chars = _LABEL_CHARS - (3 if pad > 10 else 0)
        return (
            f'<a href="#{self.anchors[node_id]}" class="{klass}" data-node="{esc(node_id)}">'
            f"<title>{esc(kind)}: {esc(self.view.label(node_id))}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" '
            f'rx="{radius:.0f}" fill="{fill}" stroke="{outline}" stroke-width="{width}"/>'
            f'<text x="{x + pad:.1f}" y="{y + 18:.1f}" class="node-kind" fill="{stroke}">{esc(top)}</text>'
            + "".join(
                f'<text x="{x + pad:.1f}" y="{y + 37 + 17 * i:.1f}" class="node-name">{esc(line)}</text>'
                for i, line in enumerate(_wrap(self.view.label(node_id), chars))
            )
            + f'<text x="{x + pad:.1f}" y="{y + NODE_HEIGHT - 8:.1f}" class="node-id">{esc(_short(bottom, 32))}</text>'
            "</a>"
        )

    def _legend(self) -> str:
        kinds = sorted({one_line(n.kind) or "node" for n in self.view.nodes.values()})
        relations = sorted({e.relation for e in self.view.edges})
        items = []
        for kind in kinds:
            fill, stroke = KIND_COLOURS.get(kind, DEFAULT_COLOURS)
            shape = "pill" if kind in AGENT_KINDS else "card"
            items.append(
                f'<li><span class="swatch {shape}" style="background:{fill};border-color:{stroke}">'
                f"</span>{esc(kind)}</li>"
            )
        for relation in relations:
            colour, dash = RELATION_STYLES.get(relation, DEFAULT_RELATION)
            style = "dashed" if dash else "solid"
            items.append(
                f'<li><span class="line {style}" style="border-color:{colour}"></span>{esc(relation)}</li>'
            )
        if self.path:
            items.append(
                f'<li><span class="line solid thick" style="border-color:{PATH_COLOUR}"></span>'
                "path to the first appearance</li>"
            )
        return f'<ul class="legend">{"".join(items)}</ul>'

    # -- the timeline ------------------------------------------------------------------

    def timeline(self) -> str:
        events: list[tuple[datetime, int, str]] = []
        undated = 0
        for index, (node_id, node) in enumerate(self.view.nodes.items()):
            published = chain_time(node.published_at)
            if published is not None:
                star = (
                    ' <strong class="first-mark">★ first appearance</strong>'
                    if node_id == self.first_node
                    else ""
                )
                method = (
                    f" <span class='method'>({esc(node.published_at_method)})</span>"
                    if node.published_at_method
                    else ""
                )
                events.append(
                    (
                        published,
                        index,
                        f'<li class="published"><time>{esc(node.published_at)}</time> '
                        f"<span class='what'>published</span> {self.node_ref(node_id)}{method}{star}</li>",
                    )
                )
            elif not self.view.captures(node_id):
                undated += 1
            # the earliest capture in each archive: enough to prove, short enough to read
            seen_archives: set[str] = set()
            for capture in self.view.captures(node_id):
                archive = one_line(capture.archive) or "archive"
                when = chain_time(capture.captured_at)
                if when is None or archive in seen_archives:
                    continue
                seen_archives.add(archive)
                copy = link(f"archived copy ({archive})", capture.url, "archived")
                events.append(
                    (
                        when,
                        index,
                        f'<li class="captured"><time>{esc(capture.captured_at)}</time> '
                        f"<span class='what'>captured</span> {self.node_ref(node_id)} {copy}</li>",
                    )
                )
        if not events:
            return '<section class="timeline"><h2>Timeline</h2><p>No dated node or capture.</p></section>'
        events.sort(key=lambda e: (e[0], e[1]))
        note = (
            f"<p class='note'>{undated} node(s) have no date and no capture.</p>" if undated else ""
        )
        return (
            '<section class="timeline"><h2>Timeline</h2>'
            "<p class='note'>When each node was published, and its earliest capture in each archive.</p>"
            f"<ol>{''.join(e[2] for e in events)}</ol>{note}</section>"
        )

    # -- media -------------------------------------------------------------------------

    def _ref(self, node_id: object) -> str:
        key = one_line(node_id)
        return self.node_ref(key) if key in self.anchors else esc(key)

    def media(self) -> str:
        """Each image with its preview (inline, a data: URI the CSP allows), fingerprints,
        same-image group, where the group appears and when it first appeared."""
        images = media_of(self.chain)
        if not images:
            return ""
        figures = [self._image(image) for image in images]
        return (
            '<section class="media"><h2>Media</h2>'
            "<p class='note'>Pictures the chain shows. Copies within the threshold are one "
            "image; its first appearance is the earliest post, page or archived copy that "
            "shows any of them. EXIF times are the file's own claim.</p>"
            f"{''.join(figures)}</section>"
        )

    def _image(self, image: Mapping[str, Any]) -> str:
        rows: list[str] = []

        def row(term: str, value: str) -> None:
            if value:
                rows.append(f"<dt>{term}</dt><dd>{value}</dd>")

        url = image.get("url")
        row("Image", link(url, url) if url else "")
        if image.get("media_url") and image.get("media_url") != url:
            row("File", link(image["media_url"], image["media_url"]))
        if image.get("status") == "error":
            row("Refused", f"<span class='status status-error'>{esc(image.get('error'))}</span>")
        else:
            row("Fingerprints", f"<code>{esc(fingerprint_line(image))}</code>")
            same = [self._ref(n) for n in image.get("same_image") or []]
            row("Same image", ", ".join(same) or "<span class='method'>no other</span>")
        shown = {
            self._ref(s.get("node")): None
            for s in image.get("shown_by") or []
            if isinstance(s, dict)
        }
        row("Shown by", ", ".join(shown))
        evidence = [a for a in image.get("appearances") or [] if isinstance(a, dict)]
        items = []
        for number, appearance in enumerate(evidence):
            copy = (
                " " + link("archived copy", appearance.get("memento"), "archived")
                if appearance.get("memento")
                else ""
            )
            star = ' <strong class="first-mark">★ first appearance</strong>' if number == 0 else ""
            items.append(
                f"<li><time>{esc(appearance.get('at'))}</time> {self._ref(appearance.get('node'))} "
                f"<span class='method'>{esc(appearance.get('method'))}</span>{copy}{star}</li>"
            )
        if items:
            row("Appearances", f"<ol class='appearances'>{''.join(items)}</ol>")
        elif image.get("status") != "error":
            row("First appearance", "<span class='method'>unknown</span>")
        claims = claims_line(image)
        if claims:
            row(
                "Claimed by the file",
                f"{esc(claims)} <span class='method'>(EXIF: not proof)</span>",
            )
        preview = preview_of(image)
        picture = (
            f'<img class="thumb" src="{esc(preview)}" alt="preview of {esc(url)}">'
            if preview
            else '<div class="thumb none">no preview</div>'
        )
        first = image.get("first_appearance")
        title = appearance_line(first) if isinstance(first, dict) else "first appearance unknown"
        return (
            f'<figure class="image" id="media-{esc(image.get("node"))}">{picture}'
            f"<figcaption><p class='image-title'>{esc(image.get('node'))}: {esc(title)}</p>"
            f"<dl>{''.join(rows)}</dl></figcaption></figure>"
        )

    # -- per-node cards ----------------------------------------------------------------

    def cards(self) -> str:
        cards = [self._card(node_id) for node_id in self.view.nodes]
        return f'<section class="nodes"><h2>Nodes</h2>{"".join(cards)}</section>'

    def _card(self, node_id: str) -> str:
        node = self.view.nodes[node_id]
        kind = one_line(node.kind) or "node"
        fill, stroke = KIND_COLOURS.get(kind, DEFAULT_COLOURS)
        rows: list[str] = []

        def row(term: str, value: str) -> None:
            if value:
                rows.append(f"<dt>{term}</dt><dd>{value}</dd>")

        row("Platform", esc(node.platform))
        row("Handle", esc(node.handle))
        row("Platform id", esc(node.platform_id))
        canonical = node.canonical_url
        row("Canonical URL", link(canonical, canonical) if canonical else "")
        if node.url and node.url != canonical:
            row("URL", link(node.url, node.url))
        if node.published_at:
            method = (
                f" <span class='method'>by {esc(node.published_at_method)}</span>"
                if node.published_at_method
                else ""
            )
            precision = (
                f" <span class='method'>(precision: {esc(node.precision)})</span>"
                if node.precision
                else ""
            )
            row("Published", f"<time>{esc(node.published_at)}</time>{method}{precision}")
        else:
            row("Published", "<span class='method'>unknown</span>")
        status = one_line(node.status)
        if status:
            error = f": {esc(node.error)}" if node.error else ""
            row("Status", f'<span class="status status-{esc(status)}">{esc(status)}</span>{error}')
        captures = self.view.captures(node_id)
        if captures:
            items = [
                f"<li>{link(_capture_label(c), c.url, 'archived')}</li>"
                for c in captures[:_CAPTURES_SHOWN]
            ]
            more = len(captures) - _CAPTURES_SHOWN
            if more > 0:
                items.append(f"<li class='method'>and {more} more</li>")
            row(f"Archived copies ({len(captures)})", f"<ul class='captures'>{''.join(items)}</ul>")
        else:
            row("Archived copies", "<span class='method'>none found</span>")
        out = self.view.outgoing.get(node_id, [])
        into = self.view.incoming.get(node_id, [])
        if out:
            row("Points to", self._edge_list(out, outgoing=True))
        if into:
            row("Pointed to by", self._edge_list(into, outgoing=False))
        badges = ""
        if node_id == self.first_node:
            badges += ' <span class="badge first-badge">★ first appearance</span>'
        elif node_id in self.path:
            badges += ' <span class="badge path-badge">on the path</span>'
        return (
            f'<article class="node-card" id="{self.anchors[node_id]}" style="border-left-color:{stroke}">'
            f'<h3><span class="kind" style="background:{fill};color:{stroke}">{esc(kind)}</span> '
            f'{esc(self.view.label(node_id))} <span class="node-id">{esc(node_id)}</span>{badges}</h3>'
            f"<dl>{''.join(rows)}</dl></article>"
        )

    def _edge_list(self, edges: list[ChainEdge], outgoing: bool) -> str:
        items = []
        for edge in edges:
            other = edge.target if outgoing else edge.source
            quote = f"<blockquote>{esc(edge.evidence)}</blockquote>" if edge.evidence else ""
            if edge.further_mentions:
                quote += f"<p class='method'>{esc(more_mentions(edge))}</p>"
            items.append(
                f"<li><span class='relation'>{esc(edge.relation)}</span> {self.node_ref(other)}{quote}</li>"
            )
        return f"<ul class='edges'>{''.join(items)}</ul>"

    # -- evidence and candidates -------------------------------------------------------

    def evidence(self) -> str:
        if not self.view.edges:
            return ""
        items = []
        for edge in self.view.edges:
            # the report is where a verifier checks the sentences: every mention is shown
            quotes = "".join(_quote(evidence) for evidence in edge.evidences)
            if not quotes:
                quotes = (
                    f"<blockquote>{esc(edge.evidence)}</blockquote>"
                    if edge.evidence
                    else "<p class='method'>no sentence recorded</p>"
                )
            count = len(edge.evidences)
            mentions = f" <span class='method'>({count} mentions)</span>" if count > 1 else ""
            klass = " class='on-path'" if edge.index in self.path_edges else ""
            items.append(
                f"<li{klass}>{self.node_ref(edge.source)} <span class='relation'>{esc(edge.relation)}</span> "
                f"{self.node_ref(edge.target)}{mentions}{quotes}</li>"
            )
        return f'<section class="evidence"><h2>Evidence</h2><ol>{"".join(items)}</ol></section>'

    def candidates(self) -> str:
        candidates = self.chain.candidates
        if not candidates:
            return ""
        items = []
        for candidate in candidates:
            url = candidate.url
            rest = (
                candidate_line(replace(candidate, url=None)).removeprefix("?").removeprefix(" · ")
            )
            items.append(
                f"<li>{link(url, url) if url else ''} <span class='method'>{esc(rest)}</span></li>"
            )
        return (
            '<section class="candidates"><h2>Candidates considered</h2>'
            "<p class='note'>Possible targets of named sources, with the score each got.</p>"
            f"<ul>{''.join(items)}</ul></section>"
        )


def _capture_label(capture: ChainCapture) -> str:
    archive = one_line(capture.archive) or "archive"
    return f"{archive} {one_line(capture.captured_at) or '(undated)'}"


def _edge_geometry(source: Box, target: Box, offset: float = 0) -> tuple[str, float, float]:
    """An SVG path from `source` to `target` (moved `offset` px down) and where its label goes."""
    if target.column > source.column:
        x1, y1 = source.right, source.center_y + offset
        x2, y2 = target.x, target.center_y + offset
        bend = (x2 - x1) / 2
        d = f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        return d, (x1 + x2) / 2, (y1 + y2) / 2 - 5 + offset / 2
    # same column or backwards (a cycle): loop out to the right of both boxes
    x1, y1 = source.right, source.center_y + 8 + offset
    x2, y2 = target.right, target.center_y - 8 + offset
    reach = 40 + 12 * abs(source.row - target.row) + 60 * (source.column - target.column)
    far = max(x1, x2) + reach + offset
    d = f"M{x1:.1f},{y1:.1f} C{far:.1f},{y1:.1f} {far:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    return d, far - reach / 4, (y1 + y2) / 2


def render_html(chain: Chain | Mapping[str, Any]) -> str:
    """The chain as one self-contained HTML page."""
    return _Report(chain).page()


STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --path: #c62828; --bg: #ffffff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
header h1 { font-size: 1.35rem; margin: 0 0 12px; overflow-wrap: anywhere; }
.eyebrow { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; }
h2 { font-size: 1.1rem; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 28px; }
a { color: #1a57a8; overflow-wrap: anywhere; }
.summary dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0;
  background: #fafafa; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.summary dt { font-weight: 600; }
.summary dd { margin: 0; overflow-wrap: anywhere; }
.path .arrow { color: var(--path); font-weight: 700; }
.method, .note { color: var(--muted); }
.note { font-size: .85rem; }
.graph-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #fcfcfd; }
svg.chain { display: block; width: 100%; height: auto; margin: 0 auto; }
svg.chain text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.node-kind { font-size: 11px; font-weight: 700; letter-spacing: .04em; }
.node-name { font-size: 14px; font-weight: 600; fill: #1d1d1f; }
.node-id { font-size: 11px; fill: #5f6368; }
.edge-label { font-size: 12px; fill: #444; paint-order: stroke; stroke: #fcfcfd; stroke-width: 4px; }
.edge.on-path .edge-label { fill: var(--path); font-weight: 700; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 8px 0 0; font-size: .85rem; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 22px; height: 14px; border: 2px solid; }
.swatch.card { border-radius: 3px; } .swatch.pill { border-radius: 7px; }
.line { display: inline-block; width: 26px; border-top: 2px solid; }
.line.dashed { border-top-style: dashed; } .line.thick { border-top-width: 4px; }
.timeline ol { list-style: none; margin: 0; padding: 0 0 0 18px; border-left: 3px solid var(--line); }
.timeline li { position: relative; margin: 0 0 8px; padding-left: 6px; overflow-wrap: anywhere; }
.timeline li::before { content: ""; position: absolute; left: -27px; top: 6px; width: 11px; height: 11px;
  border-radius: 50%; background: #2e8540; border: 2px solid #fff; }
.timeline li.captured::before { background: #2a6fb0; }
.timeline time { font-variant-numeric: tabular-nums; font-weight: 600; }
.timeline .what { color: var(--muted); }
.first-mark { color: var(--path); }
.node-card { border: 1px solid var(--line); border-left: 6px solid; border-radius: 8px; padding: 8px 14px;
  margin: 0 0 12px; break-inside: avoid; page-break-inside: avoid; }
.node-card h3 { font-size: 1rem; margin: 4px 0 8px; overflow-wrap: anywhere; }
.node-card:target { outline: 3px solid #f2b600; }
.kind { font-size: .72rem; text-transform: uppercase; letter-spacing: .05em; padding: 1px 7px; border-radius: 10px; font-weight: 700; }
.node-id { color: var(--muted); font-weight: 400; font-size: .85rem; }
.badge { font-size: .72rem; padding: 1px 7px; border-radius: 10px; font-weight: 700; white-space: nowrap; }
.first-badge { background: var(--path); color: #fff; }
.path-badge { border: 1px solid var(--path); color: var(--path); }
.node-card dl { display: grid; grid-template-columns: 11em 1fr; gap: 2px 12px; margin: 0; }
.node-card dt { color: var(--muted); }
.node-card dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
ul.captures, ul.edges { margin: 0; padding-left: 18px; }
.relation { font-weight: 600; color: #444; }
blockquote { margin: 4px 0 6px; padding: 4px 10px; border-left: 3px solid #b0b4ba; background: #f6f7f8;
  font-style: italic; overflow-wrap: anywhere; }
.evidence li { margin-bottom: 10px; overflow-wrap: anywhere; }
.evidence li.on-path > .relation { color: var(--path); }
.status-resolved { color: #2e8540; } .status-error, .status-offline { color: #b3261e; } .status-unresolved { color: #8a6d00; }
.nolink { overflow-wrap: anywhere; }
figure.image { display: flex; gap: 14px; align-items: flex-start; margin: 0 0 12px; padding: 8px 12px;
  border: 1px solid var(--line); border-radius: 8px; break-inside: avoid; page-break-inside: avoid; }
.thumb { flex: none; width: 120px; max-height: 120px; object-fit: contain; border-radius: 4px; background: #f2f2f2; }
.thumb.none { height: 60px; display: flex; align-items: center; justify-content: center; color: var(--muted); font-size: .8rem; }
figure.image figcaption { min-width: 0; flex: 1; }
.image-title { margin: 0 0 6px; font-weight: 600; overflow-wrap: anywhere; }
figure.image dl { display: grid; grid-template-columns: 9em 1fr; gap: 2px 12px; margin: 0; }
figure.image dt { color: var(--muted); }
figure.image dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
figure.image code { font-size: .8rem; overflow-wrap: anywhere; }
ol.appearances { margin: 0; padding-left: 18px; }
footer { margin: 32px 0 8px; color: var(--muted); font-size: .8rem; }
@media (max-width: 640px) {
  main { padding: 10px; }
  body { font-size: 14px; }
  .node-card dl, .summary dl, figure.image dl { grid-template-columns: 1fr; }
  figure.image { flex-direction: column; }
  .node-card dt, .summary dt { margin-top: 6px; }
}
@media print {
  main { max-width: none; padding: 0; }
  .graph-scroll { overflow: visible; border: none; }
  svg.chain { min-width: 0 !important; max-width: 100% !important; break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a.archived::after { content: " <" attr(href) ">"; font-size: .75em; color: #555; }
  h2 { break-after: avoid; }
}
"""
