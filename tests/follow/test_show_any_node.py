"""`show` on any node prints the chains that contain it, from their article, with the
node marked: a cited source is shown in its context, not as a chain of its own."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.cli import tracer
from tests.follow.test_trace_offline import EXAMPLES

FIRST = "Port reopens\n\nThe port reopened on Monday, according to Reuters, after the storm.\n"
SECOND = "Grain prices fall\n\nGrain prices fell on Tuesday, according to Reuters, as ships left.\n"


def _json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    chain: dict[str, Any] = json.loads(result.stdout)
    return chain


def test_a_cited_node_is_shown_in_its_article_s_chain(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    article = EXAMPLES / "harbour-ledger-grain-terminal.html"
    chain = _json(tracer("trace", "--offline", str(article), "-f", "json", db=db))
    # a node two hops from the article: cited by something the article cites
    cited = {e["target"] for e in chain["edges"] if e["source"] == chain["root"]}
    deep = next(e["target"] for e in chain["edges"] if e["source"] in cited - {chain["root"]})

    shown = _json(tracer("show", deep, "-f", "json", db=db))
    assert shown["root"] == chain["root"] and shown["focus"] == deep
    assert shown["first_appearance"] == chain["first_appearance"]
    text = tracer("show", deep, db=db)
    assert text.returncode == 0 and text.stderr == ""
    assert text.stdout.startswith(f"Trace of {article}\n")
    assert text.stdout.count("◀ the node asked for") == 1
    assert "First appearance: unknown" not in text.stdout


def test_a_node_in_two_chains_is_shown_in_both(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    first = _json(tracer("trace", "--offline", "-", "-f", "json", db=db, stdin=FIRST))
    second = _json(tracer("trace", "--offline", "-", "-f", "json", db=db, stdin=SECOND))
    [reuters] = [n["id"] for n in first["nodes"] if n["name"] == "Reuters"]
    assert reuters in {n["id"] for n in second["nodes"]}

    text = tracer("show", reuters, db=db)
    assert text.returncode == 0, text.stderr
    assert text.stdout.count("Trace of stdin") == 2
    assert text.stdout.count("◀ the node asked for") == 2
    assert "Port reopens" in text.stdout and "Grain prices fall" in text.stdout
    # one JSON document: the first article's chain, and one line naming the other
    one = tracer("show", reuters, "-f", "json", db=db)
    assert json.loads(one.stdout)["root"] == first["root"]
    assert one.stderr == f"{reuters} is also in the chains of {second['root']} (tracer show ID)\n"
