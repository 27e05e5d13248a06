"""Every mention of a source is stored and printed: one edge, one `edges` entry per sentence.

The references are built by hand (extraction is replaced for these tests), so what is
checked is storing and printing, whatever extraction finds in a given article.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import func, select

import tracer.follow.tracer
from tests.follow.offline import run_trace
from tracer.cli import main
from tracer.extract import Document, Reference
from tracer.extract.reference import Mention
from tracer.store.model import EdgeMention, NodeKind, Relation
from tracer.store.upserts import Store

ARTICLE = (
    "Marta Kolyvan said the grain terminal was hit twice on Friday. "
    "The fire burned until morning. "
    "Kolyvan added that nobody was hurt. "
    "Officials, Kolyvan said later, counted two drones and one missile. "
    "According to The Salt Route Report, exports fell by a third.\n"
)
SENTENCES = [s if s.endswith(".") else s + "." for s in ARTICLE.strip().split(". ")]


def _sentence(text_: str, words: str) -> tuple[int, int]:
    """The span of the sentence of `text_` that contains `words`."""
    for sentence in SENTENCES:
        if words in sentence:
            start = text_.index(sentence)
            return start, start + len(sentence)
    raise AssertionError(words)


def _mention(text_: str, surface: str, sentence_words: str) -> Mention:
    evidence_start, evidence_end = _sentence(text_, sentence_words)
    start = text_.index(surface, evidence_start)
    return Mention(surface, start, start + len(surface), evidence_start, evidence_end)


def _references(document: Document) -> list[Reference]:
    """A person named in three sentences (by two forms), a report whose reference lists
    no mentions (what extraction gave before it kept them), and one mention whose
    offsets lie outside the text."""
    text_ = document.text
    named = [
        _mention(text_, "Marta Kolyvan", "grain terminal"),
        _mention(text_, "Kolyvan", "nobody was hurt"),
        _mention(text_, "Kolyvan", "two drones"),
        Mention("Kolyvan", len(text_) + 10, len(text_) + 17, len(text_) + 5, len(text_) + 40),
    ]
    first = named[0]
    person = Reference(
        relation=Relation.CITES,
        kind=NodeKind.PERSON,
        extractor="test",
        name="Marta Kolyvan",
        evidence=text_[first.evidence_start : first.evidence_end],
        start=first.evidence_start,
        end=first.evidence_end,
        mentions=named,
    )
    report_start, report_end = _sentence(text_, "Salt Route")
    report = Reference(
        relation=Relation.CITES,
        kind=NodeKind.DOCUMENT,
        extractor="test",
        name="The Salt Route Report",
        evidence=text_[report_start:report_end],
        start=report_start,
        end=report_end,
    )
    return [person, report]


#: the text of the last document extraction was asked about: the offsets index it
_read: dict[str, str] = {}


def _extract(document: Document) -> list[Reference]:
    _read["text"] = document.text
    return _references(document)


@pytest.fixture
def article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tracer.follow.tracer, "extract", _extract)
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _entries(chain: dict[str, Any], name: str) -> list[dict[str, Any]]:
    target = next(n["id"] for n in chain["nodes"] if n["name"] == name)
    return [e for e in chain["edges"] if e["target"] == target]


def _count(database_url: str, table: str) -> int:
    store = Store.open(database_url)
    try:
        with store.session() as session:
            return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        store.close()


def test_each_mention_is_one_edges_entry_with_its_exact_sentence(
    database_url: str, article: Path
) -> None:
    chain = run_trace(database_url, article)
    text_ = _read["text"]
    person = _entries(chain, "Marta Kolyvan")
    assert {(e["source"], e["target"], e["relation"]) for e in person} == {
        (chain["root"], person[0]["target"], "cites")
    }
    assert [e["surface"] for e in person] == ["Marta Kolyvan", "Kolyvan", "Kolyvan"]
    assert [e["evidence"] for e in person] == [SENTENCES[0], SENTENCES[2], SENTENCES[3]]
    for entry in person:
        assert text_[entry["start"] : entry["end"]] == entry["evidence"]
    # the first entry is the edge's primary evidence, the one it printed before mentions
    assert person[0]["start"] == text_.index(SENTENCES[0])

    # a reference that lists no mentions: its evidence is its one mention, name unknown
    (report,) = _entries(chain, "The Salt Route Report")
    assert report["evidence"] == SENTENCES[4]
    assert text_[report["start"] : report["end"]] == report["evidence"]
    assert "surface" not in report
    assert set(report) == {"source", "target", "relation", "evidence", "start", "end"}

    # one node per source, one edge per relation: only the entries repeat
    assert len({n["id"] for n in chain["nodes"] if n["name"] == "Marta Kolyvan"}) == 1
    assert _count(database_url, "edge") == 2
    assert _count(database_url, "mention") == 4  # the one outside the text is not kept
    store = Store.open(database_url)
    try:
        with store.session() as session:
            rows = session.exec(select(EdgeMention)).all()
    finally:
        store.close()
    for row in rows:
        assert text_[row.evidence_start : row.evidence_end] == row.evidence
        if row.surface is not None:
            assert text_[row.start : row.end] == row.surface
        else:  # where the report's name stands was not given: the sentence's span
            assert (row.start, row.end) == (row.evidence_start, row.evidence_end)


def test_tracing_the_same_input_again_adds_nothing(database_url: str, article: Path) -> None:
    first = run_trace(database_url, article)
    second = run_trace(database_url, article)
    assert second["edges"] == first["edges"]
    assert _count(database_url, "edge") == 2
    assert _count(database_url, "mention") == 4


def test_show_prints_every_mention(
    database_url: str, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    traced = run_trace(database_url, article)
    capsys.readouterr()
    assert main(["--db", database_url, "show", traced["root"], "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["edges"] == traced["edges"]
    assert len(_entries(shown, "Marta Kolyvan")) == 3


def test_text_output_shows_the_edge_once(database_url: str, article: Path) -> None:
    from tracer.render import render

    rendered = render(run_trace(database_url, article), "text")
    assert rendered.count("person Marta Kolyvan") == 1
    assert rendered.count(SENTENCES[0]) == 1  # the primary sentence, once
    assert "+2 more mentions" in rendered


def test_a_mention_goes_with_its_edge(database_url: str, article: Path) -> None:
    chain = run_trace(database_url, article)
    person = next(n["id"] for n in chain["nodes"] if n["name"] == "Marta Kolyvan")
    store = Store.open(database_url)
    try:
        with store.session() as session:
            session.execute(text("DELETE FROM node WHERE id = :id"), {"id": int(person[1:])})
        with store.session() as session:
            left = session.exec(select(func.count()).select_from(EdgeMention)).one()
    finally:
        store.close()
    assert left == 1  # the report's
