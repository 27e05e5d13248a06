"""Stored names: pasted text is named after its opening words, with stdin as its origin;
an article traced again from another path keeps its first name and records the path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.cli import tracer

ARTICLE = (
    "Harbour cranes idle after the storm\n\n"
    "The port authority said on Monday that two cranes were damaged, "
    "according to Reuters, and that ships would wait offshore.\n"
)


def _trace(db: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return tracer("trace", "--offline", *args, db=db, stdin=stdin)


def _root(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    chain = json.loads(result.stdout)
    [root] = [node for node in chain["nodes"] if node["id"] == chain["root"]]
    return {"input": chain["input"], **root}


def test_pasted_text_is_named_by_its_words_and_keeps_its_first_name(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    pasted = _root(_trace(db, "-", "-f", "json", stdin=ARTICLE))
    assert pasted["input"] == "stdin"
    assert pasted["name"] == "Harbour cranes idle after the storm"
    text = _trace(db, "-", stdin=ARTICLE).stdout
    assert text.startswith("Trace of stdin\n") and "Harbour cranes idle" in text

    first, second = tmp_path / "first.txt", tmp_path / "copy-of-first.txt"
    for path in (first, second):
        path.write_text(ARTICLE)
    again = _root(_trace(db, str(second), "-f", "json"))
    assert again["id"] == pasted["id"]  # the same article, known by its content
    assert again["name"] == "Harbour cranes idle after the storm"
    assert again["attributes"]["inputs"] == ["stdin", str(second)]
    _trace(db, str(first), "-f", "json")
    last = _root(_trace(db, "-", "-f", "json", stdin=ARTICLE))
    assert last["name"] == "Harbour cranes idle after the storm"
    assert last["attributes"]["inputs"] == ["stdin", str(second), str(first)]
