"""Chains read back from the store (`load_chain`) and `tracer export` on them."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import networkx as nx
import pytest

from tests.render.stored import store_world
from tracer.cli import main
from tracer.errors import InputError
from tracer.render.prov import load, problems
from tracer.store.chain import find_node, load_chain
from tracer.store.upserts import Store


@pytest.fixture
def world(database_url: str) -> tuple[str, dict[str, int]]:
    # PostgreSQL is upgraded explicitly (as `tracer db upgrade` does); SQLite on open
    store = Store.open_upgraded(database_url)
    try:
        return database_url, store_world(store)
    finally:
        store.close()


def test_load_chain_follows_edges_from_the_root(world: tuple[str, dict[str, int]]) -> None:
    url, ids = world
    store = Store.open(url)
    with store.session() as session:
        chain = load_chain(session, ids["article"]).to_json()
        shallow = load_chain(session, ids["article"], depth=1).to_json()
        other = load_chain(session, ids["other_article"]).to_json()
        whole = load_chain(session, None).to_json()
    store.close()
    n = {name: f"n{i}" for name, i in ids.items()}
    assert chain["input"] == "pasted article text"  # the trace that reached this root
    assert chain["root"] == n["article"]
    assert [node["id"] for node in chain["nodes"]] == [
        n["article"],
        n["outlet_article"],
        n["channel_post"],
        n["channel"],
        n["origin"],
    ]
    assert len(chain["edges"]) == 4  # not the other article's link
    assert chain["first_appearance"] == {
        "node": n["origin"],
        "at": "2024-07-27T19:05:00Z",
        "method": "telegram post time",
    }
    assert chain["path"] == [n["article"], n["outlet_article"], n["channel_post"], n["origin"]]
    first_capture = chain["nodes"][0]["captures"][0]
    assert first_capture["captured_at"] == "2024-07-29T10:15:00Z"
    assert chain["nodes"][0]["published_at"] == "2024-07-29"
    edge = chain["edges"][0]
    assert edge == {
        "source": n["article"],
        "target": n["outlet_article"],
        "relation": "cites",
        "evidence": "Outlet TV said the convoy was ambushed",
        "start": 10,
        "end": 48,
    }
    assert chain["candidates"][0]["url"] == "https://outlet.example/world/other"
    assert [node["id"] for node in shallow["nodes"]] == [n["article"], n["outlet_article"]]
    # a second trace meets the first at the channel post and shares its nodes
    assert n["origin"] in [node["id"] for node in other["nodes"]]
    assert other["input"] == "https://blog.example/later"
    assert whole["root"] is None and len(whole["nodes"]) == 7 and len(whole["edges"]) == 5


def test_find_node_by_id_or_url(world: tuple[str, dict[str, int]]) -> None:
    url, ids = world
    store = Store.open(url)
    with store.session() as session:
        assert find_node(session, f"n{ids['channel']}").id == ids["channel"]
        assert find_node(session, "https://t.me/greychannel/").id == ids["channel"]
        with pytest.raises(InputError, match="no stored node"):
            find_node(session, "https://nowhere.example/")
        with pytest.raises(InputError, match="no stored node with id n999"):
            find_node(session, "n999")
    store.close()


def test_export_graphml_of_one_chain(world: tuple[str, dict[str, int]], tmp_path: Path) -> None:
    url, _ = world
    out = tmp_path / "chain.graphml"
    code = main(
        [
            "--db",
            url,
            "-q",
            "export",
            "--format",
            "graphml",
            "--root",
            "https://news.example/post/1001",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        graph = nx.read_graphml(out)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (5, 4)


def test_export_whole_store_as_csv_and_jsonl(
    world: tuple[str, dict[str, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = world
    assert main(["--db", url, "export", "-f", "csv", "--out", str(tmp_path / "store.csv")]) == 0
    nodes = list(csv.DictReader((tmp_path / "store.nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "store.edges.csv").open(encoding="utf-8")))
    assert (len(nodes), len(edges)) == (7, 5)
    assert "wrote" in capsys.readouterr().err
    assert main(["--db", url, "export", "-f", "csv", "--table", "edges"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 5
    assert main(["--db", url, "export", "-f", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["type"] for line in lines].count("node") == 7


def test_export_prov_of_a_chain_loads_and_validates(
    world: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, ids = world
    for fmt in ("prov-json", "prov-n"):
        assert main(["--db", url, "export", "-f", fmt, "--root", f"n{ids['article']}"]) == 0
        document = load(capsys.readouterr().out, fmt)
        assert problems(document) == []
        assert len(list(document.get_records())) > 10


def test_export_usage_errors_are_one_line(
    world: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, _ = world
    for args, message in (
        (["export"], "give --format"),
        (["export", "-f", "csv"], "csv has two tables"),
        (["export", "-f", "gexf"], "unknown format 'gexf'"),
        (["export", "-f", "jsonl", "--root", "https://nowhere.example/"], "no stored node"),
        (["export", "-f", "jsonl", "--depth", "1"], "--depth needs --root"),
        (["export", "-f", "jsonl", "--out", str(tmp_path / "missing" / "x.jsonl")], "cannot write"),
    ):
        assert main(["--db", url, *args]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
