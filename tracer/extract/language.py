"""A cheap guess at the language of pasted text, from its commonest short words."""

from __future__ import annotations

import re
from collections import Counter

_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset({"the", "and", "of", "to", "is", "that", "was", "with", "for", "said"}),
    "de": frozenset({"der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "dem"}),
    "fr": frozenset({"le", "les", "et", "des", "est", "une", "dans", "pour", "qui", "pas"}),
    "es": frozenset({"el", "los", "las", "y", "que", "del", "una", "por", "con", "para"}),
    "it": frozenset({"il", "di", "che", "della", "per", "una", "sono", "gli", "con", "del"}),
    "pl": frozenset({"i", "w", "się", "nie", "na", "że", "jest", "do", "oraz", "jak"}),
    "ru": frozenset({"и", "в", "не", "что", "на", "с", "по", "это", "как", "он"}),
    "uk": frozenset({"і", "в", "не", "що", "на", "та", "з", "це", "як", "його"}),
}
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """The best-scoring language code, or None when the text gives too little to go on."""
    words = Counter(word.casefold() for word in _WORD.findall(text[:20000]))
    if sum(words.values()) < 8:
        return None
    scores = {language: sum(words[w] for w in markers) for language, markers in _MARKERS.items()}
    # Ukrainian and Russian share most short words; their own letters settle it
    sample = text[:20000]
    if any(letter in sample for letter in "іїєґІЇЄҐ"):
        scores["uk"] += 5 + sample.count("і")
    if any(letter in sample for letter in "ыэъЫЭЪ"):
        scores["ru"] += 5 + sample.count("ы")
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] >= 3 else None
