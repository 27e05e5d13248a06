"""The fast simhash against a plain reading of its definition."""

from __future__ import annotations

import hashlib
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.linkrot import maintext
from tracer.linkrot.maintext import _WORD, distance, fingerprint, simhash


def reference_simhash(text: str) -> int:
    """Shingle by shingle, bit by bit: slow, and obviously the definition."""
    words = _WORD.findall(text.casefold())
    if not words:
        return 0
    if len(words) < 3:
        words = [" ".join(words)] * 3

    def place(word: str, i: int) -> int:
        digest = hashlib.blake2b(word.encode(), digest_size=24, person=b"tracer-shingle").digest()
        return int.from_bytes(digest[8 * i : 8 * i + 8], "little")

    shingles = [
        place(a, 0) ^ place(b, 1) ^ place(c, 2)
        for a, b, c in zip(words, words[1:], words[2:], strict=False)
    ]
    counts = [sum((h >> bit) & 1 for h in shingles) for bit in range(64)]
    return sum(1 << bit for bit in range(64) if counts[bit] * 2 > len(shingles))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["drones", "port", "Порт", "grain", "é", "x1", "a"]), max_size=400))
def test_matches_the_definition(words: list[str]) -> None:
    text = " ".join(words)
    assert simhash(text) == reference_simhash(text)


def test_word_cache_overflow_keeps_results(monkeypatch: object) -> None:
    text = "one two three four five six seven eight nine ten " * 5
    expected = reference_simhash(text)
    maintext._WORD_HASHES.clear()
    setattr_ = monkeypatch.setattr  # type: ignore[attr-defined]
    setattr_(maintext, "_WORD_CACHE_SIZE", 4)
    assert simhash(text) == expected
    assert simhash(text + " eleven twelve") == reference_simhash(text + " eleven twelve")


def test_near_texts_are_near_and_different_texts_far() -> None:
    vocabulary = [f"w{i}" for i in range(400)]
    draw = random.Random(3)
    base = " ".join(draw.choice(vocabulary) for _ in range(300))
    other = " ".join(draw.choice(vocabulary) for _ in range(300))
    # a line added to a 300-word article stays under the default change threshold (6)
    assert distance(fingerprint(base), fingerprint(base + " and one more line")) <= 6
    assert distance(fingerprint(base), fingerprint(other)) > 12


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=300))
def test_ascii_words_are_the_regular_expressions_words(text: str) -> None:
    # ASCII text is split by a byte table, not the regular expression: the same words
    found = [w.decode() if isinstance(w, bytes) else w for w in maintext._words(text)]
    assert found == _WORD.findall(text.casefold())
    assert simhash(text) == reference_simhash(text)


def test_punctuation_digits_and_underscores_in_ascii_text() -> None:
    text = "Officials: 12 drones_hit the PORT, again (it's 04:30)! \t\n e-mail@x.org"
    assert simhash(text) == reference_simhash(text)
    assert simhash(text) == simhash(text.upper())
    assert simhash("Порт " + text) == reference_simhash("Порт " + text)
