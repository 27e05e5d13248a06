"""The finders' per-spelling memory stays bounded."""

from __future__ import annotations

import pytest

from tracer.extract import spellings
from tracer.extract.spellings import Spellings


def test_a_full_memory_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spellings, "REMEMBERED", 3)
    memory: Spellings[str, int] = Spellings()
    assert [memory.keep(word, len(word)) for word in ("a", "bb", "ccc")] == [1, 2, 3]
    assert memory == {"a": 1, "bb": 2, "ccc": 3}
    assert memory.keep("dddd", 4) == 4
    assert memory == {"dddd": 4}
