"""The chain as tables and graphs for other tools: GraphML (Gephi, networkx), CSV, JSON Lines.

GraphML and CSV are flat, so each node carries its capture count and earliest capture
instead of the full list (JSON Lines keeps the full node objects). Strings are cleaned of
characters XML cannot hold, and CSV cells a spreadsheet would run as a formula are
prefixed with an apostrophe: these strings come from pages anyone could write.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

from tracer.errors import InputError
from tracer.render import EXPORT_FORMATS
from tracer.render.view import ChainEdge, ChainView, one_line
from tracer.store.readmodel import Chain, EdgeEntry

NODE_COLUMNS = (
    "id",
    "kind",
    "platform",
    "name",
    "url",
    "canonical_url",
    "handle",
    "platform_id",
    "published_at",
    "published_at_method",
    "precision",
    "status",
    "error",
    "captures",
    "earliest_capture_at",
    "earliest_capture_archive",
    "earliest_capture_url",
    "first_appearance",
    "on_path",
)
#: an edge named in several sentences is one row: `evidence` is its first sentence and
#: `mentions` counts them all (JSON Lines lists every one)
EDGE_COLUMNS = ("source", "target", "relation", "evidence", "start", "end", "mentions", "on_path")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(value: Any) -> str:
    """One line of text with only characters XML 1.0 allows."""
    return "".join(
        ch
        for ch in one_line(value)
        if not (0xD800 <= ord(ch) <= 0xDFFF or ord(ch) in (0xFFFE, 0xFFFF))
    )


def node_rows(view: ChainView) -> list[dict[str, Any]]:
    """One flat row per node, with the columns of NODE_COLUMNS (None when unknown)."""
    first = view.first_appearance
    first_node = first.node if first else None
    path = set(view.path)
    rows = []
    for node_id, node in view.nodes.items():
        earliest = view.earliest_capture(node_id)
        described = node.to_json()
        row: dict[str, Any] = {
            key: (xml_safe(described.get(key)) or None) for key in NODE_COLUMNS[1:13]
        }
        row.update(
            id=node_id,
            name=xml_safe(node.name) or None,
            captures=len(view.captures(node_id)),
            earliest_capture_at=xml_safe(earliest.captured_at if earliest else None) or None,
            earliest_capture_archive=xml_safe(earliest.archive if earliest else None) or None,
            earliest_capture_url=xml_safe(earliest.url if earliest else None) or None,
            first_appearance=node_id == first_node,
            on_path=node_id in path,
        )
        rows.append({key: row[key] for key in NODE_COLUMNS})
    return rows


def edge_rows(view: ChainView) -> list[dict[str, Any]]:
    on_path = view.path_edges
    return [
        {
            "source": edge.source,
            "target": edge.target,
            "relation": xml_safe(edge.relation),
            "evidence": xml_safe(edge.evidence) or None,
            "start": edge.start,
            "end": edge.end,
            "mentions": len(edge.evidences),
            "on_path": edge.index in on_path,
        }
        for edge in view.edges
    ]


def graph(chain: Chain | Mapping[str, Any]) -> nx.MultiDiGraph:
    """The chain as a networkx multigraph (two nodes may be joined by several relations)."""
    view = ChainView.of(chain)
    result = nx.MultiDiGraph()
    if view.chain.input:
        result.graph["input"] = xml_safe(view.chain.input)
    for row in node_rows(view):
        node_id = row.pop("id")
        # GraphML has no null: an unknown value is left out, not written as ""
        attributes = {k: v for k, v in row.items() if v is not None}
        attributes["label"] = xml_safe(view.label(node_id))
        result.add_node(node_id, **attributes)
    for row in edge_rows(view):
        source, target = row.pop("source"), row.pop("target")
        attributes = {k: v for k, v in row.items() if v is not None}
        result.add_edge(source, target, key=row["relation"], **attributes)
    return result


def to_graphml(chain: Chain | Mapping[str, Any]) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(graph(chain), buffer, encoding="utf-8", prettyprint=True)
    text = buffer.getvalue().decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_tables(chain: Chain | Mapping[str, Any]) -> dict[str, str]:
    """Two CSV tables, {"nodes": ..., "edges": ...}, as Gephi's and spreadsheets' importers want."""
    view = ChainView.of(chain)
    tables = {}
    for name, columns, rows in (
        ("nodes", NODE_COLUMNS, node_rows(view)),
        ("edges", EDGE_COLUMNS, edge_rows(view)),
    ):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        tables[name] = buffer.getvalue()
    return tables


def to_jsonl(chain: Chain | Mapping[str, Any]) -> str:
    """A `chain` line (input, root, first appearance), then one line per node and per edge."""
    view = ChainView.of(chain)
    first = view.first_appearance
    lines: list[dict[str, Any]] = [
        {
            "type": "chain",
            "input": view.chain.input,
            "root": view.root,
            "first_appearance": first.to_json() if first is not None else None,
            "path": view.path,
        }
    ]
    lines += [{"type": "node", **node.to_json()} for node in view.nodes.values()]
    raw_edges = view.chain.edges
    # the chain's own entries, not the view's display text: offsets index the raw sentence
    entries: dict[tuple[str, str, str], list[EdgeEntry]] = {}
    for index, raw in enumerate(raw_edges):
        entries.setdefault(ChainEdge.of(raw, index).key, []).append(raw)
    path_edges = view.path_edges
    lines += [
        {
            "type": "edge",
            **raw_edges[edge.index].to_json(),
            **_mention_list(entries[edge.key]),
            "on_path": edge.index in path_edges,
        }
        for edge in view.edges
    ]
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n" for line in lines)


def _mention_list(entries: list[EdgeEntry]) -> dict[str, Any]:
    """{"mentions": [every sentence]} for an edge the chain lists more than once (once
    per mention), else nothing: a JSON Lines export has one line per edge."""
    if len(entries) < 2:
        return {}
    return {
        "mentions": [
            {"evidence": e.evidence, "start": e.start, "end": e.end, "surface": e.surface}
            for e in entries
        ]
    }


def export(chain: Chain | Mapping[str, Any], fmt: str) -> dict[str, str]:
    """The chain in an export format, as {table name: text}; one table except for CSV."""
    if fmt == "graphml":
        return {"graph": to_graphml(chain)}
    if fmt == "csv":
        return to_csv_tables(chain)
    if fmt == "jsonl":
        return {"lines": to_jsonl(chain)}
    raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
