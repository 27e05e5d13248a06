"""A chain lists an edge once per mention; every renderer shows the edge once."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bs4 import BeautifulSoup
from prov.model import ProvInfluence

from tests.render.chains import example_chain
from tracer.render import render, to_csv_tables, to_graphml, to_jsonl
from tracer.render.prov import NAMESPACE_URI, load
from tracer.render.view import ChainView, Evidence

#: the spokesman (n8) is named in three sentences: the primary one, then two more
PRIMARY = "A. Spokesman said on television"
FURTHER = [
    ("Spokesman added that the convoy carried fuel", 300, "Spokesman"),
    ("Later the spokesman, asked twice, declined to say more", 400, "the spokesman"),
]


def chain_with_mentions() -> dict[str, Any]:
    chain = example_chain()
    position = next(
        i for i, e in enumerate(chain["edges"]) if (e["source"], e["target"]) == ("n1", "n8")
    )
    chain["edges"][position]["surface"] = "A. Spokesman"
    extra = [
        {
            "source": "n1",
            "target": "n8",
            "relation": "cites",
            "evidence": sentence,
            "start": start,
            "end": start + len(sentence),
            "surface": surface,
        }
        for sentence, start, surface in FURTHER
    ]
    # entries of one edge need not be next to each other: these come after other edges
    chain["edges"] += extra
    return chain


def edge_count() -> int:
    return len({(e["source"], e["target"], e["relation"]) for e in example_chain()["edges"]})


def test_the_view_joins_the_entries_of_one_edge() -> None:
    view = ChainView.of(chain_with_mentions())
    assert len(view.edges) == len({(e.source, e.target, e.relation) for e in view.edges})
    (spokesman,) = [e for e in view.edges if e.target == "n8"]
    assert spokesman.evidence == PRIMARY and spokesman.start == 100
    assert spokesman.evidences == (
        Evidence(PRIMARY, 100, 100 + len(PRIMARY), "A. Spokesman"),
        *(Evidence(s, start, start + len(s), surface) for s, start, surface in FURTHER),
    )
    assert spokesman.further_mentions == 2
    # an edge shown once keeps the place of its first entry
    assert spokesman.index < max(e.index for e in view.edges)


def test_an_edge_whose_first_entry_has_no_sentence_shows_the_next() -> None:
    chain = example_chain()
    chain["edges"] += [
        {"source": "n3", "target": "n4", "relation": "published_by", "evidence": "By Outlet TV"}
    ]
    (edge,) = [
        e for e in ChainView.of(chain).edges if e.relation == "published_by" and e.source == "n3"
    ]
    assert edge.evidence == "By Outlet TV" and edge.further_mentions == 0


def test_text_and_markdown_show_the_edge_once_with_a_count() -> None:
    chain = chain_with_mentions()
    for fmt in ("text", "md"):
        rendered = render(chain, fmt)
        assert rendered.count(PRIMARY) == 1, fmt
        assert "+2 more mentions" in rendered, fmt
        assert FURTHER[0][0] not in rendered, fmt
    assert "more mention" not in render(example_chain(), "text")


def test_html_draws_one_edge_and_lists_every_sentence() -> None:
    soup = BeautifulSoup(render(chain_with_mentions(), "html"), "html.parser")
    assert len(soup.select("svg g.edge")) == edge_count()
    assert soup.select_one(".summary").get_text().count(f"Edges{edge_count()}") == 1
    evidence = soup.select_one("section.evidence")
    assert evidence is not None
    assert len(evidence.select("li")) == edge_count()
    quotes = [q.get_text() for q in evidence.select("blockquote")]
    assert quotes.count(PRIMARY) == 1
    assert all(sentence in quotes for sentence, _, _ in FURTHER)
    assert "(3 mentions)" in evidence.get_text()
    assert "as “the spokesman”" in evidence.get_text()


def test_prov_has_one_relation_with_the_first_sentence_and_the_count() -> None:
    document = load(render(chain_with_mentions(), "prov-json"), "prov-json")
    influences = [
        r
        for r in document.get_records()
        if isinstance(r, ProvInfluence) and str(r.formal_attributes[1][1].uri).endswith("n8")
    ]
    assert len(influences) == 1
    attributes = {str(k.uri): v for k, v in influences[0].extra_attributes}
    assert attributes[f"{NAMESPACE_URI}evidence"] == PRIMARY
    assert attributes[f"{NAMESPACE_URI}mentions"] == 3


def test_exports_have_one_row_per_edge_and_keep_every_sentence() -> None:
    chain = chain_with_mentions()
    edges = list(csv.DictReader(io.StringIO(to_csv_tables(chain)["edges"])))
    assert len(edges) == edge_count()
    (row,) = [e for e in edges if e["target"] == "n8"]
    assert row["evidence"] == PRIMARY and row["mentions"] == "3"

    assert to_graphml(chain).count(PRIMARY) == 1

    lines = [json.loads(line) for line in to_jsonl(chain).splitlines()]
    edge_lines = [line for line in lines if line["type"] == "edge"]
    assert len(edge_lines) == edge_count()
    (spokesman,) = [line for line in edge_lines if line["target"] == "n8"]
    assert spokesman["evidence"] == PRIMARY
    assert [m["evidence"] for m in spokesman["mentions"]] == [PRIMARY] + [s for s, _, _ in FURTHER]
    assert [m["surface"] for m in spokesman["mentions"]] == [
        "A. Spokesman",
        "Spokesman",
        "the spokesman",
    ]
    # an edge named once has no list
    assert all("mentions" not in line for line in edge_lines if line["target"] != "n8")
