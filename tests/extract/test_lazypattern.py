"""Compiled-on-first-use patterns: the program kept in the cache is the one `re` compiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracer.extract.cues import load_cues
from tracer.extract.lazypattern import LazyPattern

SOURCES = [
    (r"(?P<verb>said|told)\s+(?P<who>[A-Z]\w+)", 0),
    (r"(?i:according\s+to)(?!\w)", 0),
    ("«(?P<quoted>[^»]{1,80})»", re.IGNORECASE),
    (load_cues(languages=["en"]).pattern("verbs"), 0),
]


@pytest.mark.parametrize(("source", "flags"), SOURCES)
def test_compiled_and_cached_patterns_equal_re_compile(
    source: str, flags: int, own_cache: Path
) -> None:
    expected = re.compile(source, flags)
    first = LazyPattern(source, flags).compiled  # compiled, then stored
    assert list(own_cache.rglob("*.marshal"))
    again = LazyPattern(source, flags).compiled  # read back from the cache
    for pattern in (first, again):
        # equal patterns have the same source, flags and engine program
        assert pattern == expected
        assert (pattern.groups, pattern.groupindex) == (expected.groups, expected.groupindex)


def test_a_damaged_cache_compiles_again(own_cache: Path) -> None:
    source = r"(?P<name>[A-Z]\w+) said"
    assert LazyPattern(source).compiled == re.compile(source)
    for cached in own_cache.rglob("*.marshal"):
        cached.write_bytes(b"\x00not marshal")
    pattern = LazyPattern(source)
    assert pattern.compiled == re.compile(source)
    match = pattern.search("Yesterday Ana said so")
    assert match is not None and match.group("name") == "Ana"


def test_an_unwritable_cache_still_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setattr("tracer.settings.user_cache_dir", lambda: blocker)
    assert LazyPattern("a+b").compiled == re.compile("a+b")


def test_an_invalid_pattern_raises_res_error() -> None:
    with pytest.raises(re.error):
        LazyPattern("(unclosed").search("text")
