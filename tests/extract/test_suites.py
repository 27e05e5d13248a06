"""Per-language attribution suites: sentences the project wrote in the shapes real reporting
takes, each with the exact set of named sources it cites.

A suite is `tests/extract/suites/<lang>.toml`:

    language = "de"
    [[case]]
    text = "Laut der Nachrichtenagentur Reuters ..."     # one sentence, in our own words
    sources = [["Reuters", "outlet"]]                  # [name, kind] of every cited source
    related = [["HUR", "organization", "speaks_for"]]  # optional: other prose references

A negative case has `sources = []` and no `related`: nothing in it is a named source.

A case the engine does not read yet carries `gap = "..."`, the shape it lacks; it runs as
a strict expected failure, so the day the engine reads it the suite says to drop the mark.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tracer.extract import extract, text_document
from tracer.store.model import Relation

SUITES = Path(__file__).parent / "suites"
#: the least a language's suite holds, so a suite cannot shrink into passing
MIN_POSITIVE, MIN_NEGATIVE = 25, 10


def _suites() -> list[Path]:
    return sorted(SUITES.glob("*.toml"))


def _cases() -> list[Any]:
    params = []
    for path in _suites():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data.get("case", []), start=1):
            marks = [pytest.mark.xfail(strict=True, reason=case["gap"])] if "gap" in case else []
            params.append(pytest.param(case, id=f"{path.stem}-{number}", marks=marks))
    return params


def _prose(text: str) -> list[Any]:
    document = text_document(text, source="suite")
    return [r for r in extract(document) if r.extractor.startswith("prose")]


@pytest.mark.parametrize("path", _suites(), ids=lambda p: p.stem)
def test_suite_size(path: Path) -> None:
    cases = tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])
    positive = [c for c in cases if c.get("sources")]
    negative = [c for c in cases if not c.get("sources") and not c.get("related")]
    assert len(positive) >= MIN_POSITIVE and len(negative) >= MIN_NEGATIVE
    # known gaps stay a minority: a suite is a guard, not a wish list
    assert sum("gap" in c for c in cases) <= len(cases) // 2


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    text: str = case["text"]
    references = _prose(text)
    cited = sorted((r.name or "", r.kind.value) for r in references if r.relation == Relation.CITES)
    assert cited == sorted((name, kind) for name, kind in case.get("sources", []))
    related = sorted(
        (r.name or "", r.kind.value, r.relation.value)
        for r in references
        if r.relation != Relation.CITES
    )
    assert related == sorted(tuple(item) for item in case.get("related", []))
    for reference in references:
        # evidence is the exact text at its offsets, and every mention points at its name
        assert reference.evidence is not None and reference.start is not None
        assert text[reference.start : reference.end] == reference.evidence
        for mention in reference.mentions:
            assert text[mention.start : mention.end] == mention.surface
            assert mention.evidence_start <= mention.start < mention.end <= mention.evidence_end
