"""GraphML, CSV and JSON Lines exports of a chain."""

from __future__ import annotations

import csv
import io
import json
import warnings

import networkx as nx

from tests.render.chains import cyclic_chain, example_chain, hostile_chain
from tracer.render import to_csv_tables, to_graphml, to_jsonl


def read_graphml(text: str) -> nx.Graph:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return nx.read_graphml(io.BytesIO(text.encode("utf-8")))


def test_graphml_reads_back_with_the_same_counts() -> None:
    for chain in (example_chain(), hostile_chain(), cyclic_chain()):
        graph = read_graphml(to_graphml(chain))
        assert graph.number_of_nodes() == len(chain["nodes"])
        assert graph.number_of_edges() == len(chain["edges"])


def test_graphml_keeps_parallel_relations_and_attributes() -> None:
    graph = read_graphml(to_graphml(example_chain()))
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph["n1"]["n3"]) == {"cites", "links"}
    assert graph.nodes["n7"]["first_appearance"] is True
    assert graph.nodes["n1"]["captures"] == 2
    assert graph.nodes["n1"]["earliest_capture_archive"] == "wayback"
    assert graph.nodes["n2"]["label"] == "Desert Watcher"
    assert graph["n3"]["n5"]["cites"]["on_path"] is True
    assert graph["n1"]["n3"]["links"]["on_path"] is False
    assert graph["n1"]["n2"]["embeds"]["evidence"].startswith("— Desert Watcher")
    assert "published_at" not in graph.nodes["n4"]  # unknown stays absent, not ""


def test_graphml_survives_markup_and_characters_xml_cannot_hold() -> None:
    chain = hostile_chain()
    chain["nodes"][3]["name"] = "bell\x07 vt\x0b nul\x00 ]]> &amp; <b>"
    graph = read_graphml(to_graphml(chain))
    assert graph.nodes["n4"]["name"] == "bell vt nul ]]> &amp; <b>"
    assert "<script>" in graph.nodes["n1"]["name"]


def test_csv_tables_for_spreadsheets() -> None:
    chain = example_chain()
    chain["nodes"][1]["name"] = '=HYPERLINK("https://evil.example")'
    tables = to_csv_tables(chain)
    nodes = list(csv.DictReader(io.StringIO(tables["nodes"])))
    edges = list(csv.DictReader(io.StringIO(tables["edges"])))
    assert [n["id"] for n in nodes] == [n["id"] for n in chain["nodes"]]
    assert len(edges) == len(chain["edges"])
    assert nodes[1]["name"].startswith("'=HYPERLINK")  # never a live formula
    assert nodes[6]["first_appearance"] == "True"
    assert {e["relation"] for e in edges if e["on_path"] == "True"} == {"cites", "forwarded_from"}


def test_jsonl_has_a_chain_line_then_nodes_then_edges() -> None:
    chain = example_chain()
    lines = [json.loads(line) for line in to_jsonl(chain).splitlines()]
    assert lines[0]["type"] == "chain" and lines[0]["path"] == ["n1", "n3", "n5", "n7"]
    nodes = [line for line in lines if line["type"] == "node"]
    edges = [line for line in lines if line["type"] == "edge"]
    assert len(nodes) == len(chain["nodes"]) and len(edges) == len(chain["edges"])
    assert nodes[0]["captures"] == chain["nodes"][0]["captures"]
    assert len(lines) == 1 + len(nodes) + len(edges)
