"""The claim a named source is cited for: the words to look for, and when.

A citation names a source and says what it said ("RT said X-trained Tuareg militants
used FPV drones"). The words of that sentence, minus the source's own names and the
words every attribution uses, are what the source's page or post must contain; the
user's --keywords count more, because a person chose them. The window is where the
citing document's date puts the source: shortly before it (or just after, for time
zones and pages dated by their last update).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tracer.plugins.archive import Window

#: words of attributions and of news prose that say nothing about the claim
_STOPWORD_TEXT = """
    about above according across after again against also although among another around
    because been before being below between both but came cited cites citing claim claimed
    claims could does doing down during each earlier either even ever every from further
    have having here however including into itself just last later least many more most
    much must near news other over post posted posts published quoted quoting rather
    reported reporting reports said says since some still such than that their them then
    there these they this those though through told under until upon very well were what
    when where which while whom whose will with within without would year years your
    channel channels telegram twitter agency outlet state funded affiliated media source
    sources official officials statement stated wrote writes added adding
    """
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Text as matching sees it: case-folded, accents ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A word without an English plural, so "drones" finds "drone" (and the reverse)."""
    word = fold(word)
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def evidence_keywords(evidence: str, names: Iterable[str], limit: int) -> list[str]:
    """The words of a citing sentence that carry its claim, most telling first.

    Proper nouns and acronyms (capitalised anywhere but at the sentence's start) come
    first, then longer words; the cited source's own names are not the claim.
    """
    named = {stem(w) for name in names for w in _WORD.findall(name)}
    ranked: dict[str, tuple[int, int, int]] = {}
    for position, match in enumerate(_WORD.finditer(evidence)):
        word = match.group()
        key = stem(word)
        if (
            word.isdigit()
            or key in named
            or fold(word) in _STOPWORDS
            or key in _STOPWORDS
            or (len(word) < 4 and not (word.isupper() and len(word) >= 3))
        ):
            continue
        proper = word[0].isupper() and match.start() > 0
        rank = (0 if proper else 1, -len(word), position)
        if key not in ranked or rank < ranked[key]:
            ranked[key] = rank
    ordered = sorted(ranked, key=lambda k: ranked[k])
    # keep the word as written for display, the stem for matching
    spelled = {stem(m.group()): m.group() for m in _WORD.finditer(evidence)}
    return [spelled[key] for key in ordered[:limit]]


@dataclass
class Claim:
    """What a named source is looked for by."""

    keywords: list[str]  # the user's: a person chose them
    words: list[str]  # taken from the evidence sentence
    citing_date: datetime | None
    window: Window | None
    evidence: str | None = None
    names: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys([*self.keywords, *self.words]))

    def url_terms(self) -> list[str]:
        """Terms a URL slug may hold: ASCII letters and digits, lower case, stemmed."""
        found: list[str] = []
        for term in self.terms:
            for word in _WORD.findall(fold(term)):
                if word.isascii() and len(word) >= 3:
                    found.append(stem(word))
        return list(dict.fromkeys(found))

    def found_in(self, text: str) -> tuple[list[str], list[str]]:
        """(keywords found, evidence words found) in `text`."""
        folded = fold(text)
        stems = {stem(w) for w in _WORD.findall(folded)}

        def present(term: str) -> bool:
            words = [stem(w) for w in _WORD.findall(fold(term))]
            if len(words) > 1:
                return fold(term) in folded
            return bool(words) and words[0] in stems

        return (
            [k for k in self.keywords if present(k)],
            [w for w in self.words if present(w)],
        )

    def text_score(self, text: str) -> tuple[float, list[str]]:
        """How well `text` carries the claim (0..1), and the terms it holds."""
        keywords, words = self.found_in(text)
        word_share = len(words) / len(self.words) if self.words else 0.0
        if self.keywords:
            keyword_share = len(keywords) / len(self.keywords)
            score = 0.6 * keyword_share + 0.4 * word_share if self.words else keyword_share
        else:
            score = word_share
        return score, list(dict.fromkeys([*keywords, *words]))

    def date_factor(self, when: datetime | None) -> tuple[float, str]:
        """A page dated inside the window is what was cited; one dated outside it rarely is."""
        if when is None or self.window is None:
            return 0.85, "undated"
        if self.window.holds(when):
            return 1.0, "dated inside the window"
        return 0.5, "dated outside the window"


def window_around(when: datetime | None, before_days: float, after_days: float) -> Window | None:
    if when is None:
        return None
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return Window(day - timedelta(days=before_days), day + timedelta(days=1 + after_days))


def make_claim(
    keywords: Sequence[str],
    evidence: str | None,
    names: Sequence[str],
    citing_date: datetime | None,
    *,
    before_days: float,
    after_days: float,
    max_keywords: int,
) -> Claim:
    keywords = [k.strip() for k in keywords if k.strip()]
    words = evidence_keywords(evidence, names, max_keywords) if evidence else []
    folded = {fold(k) for k in keywords}
    words = [w for w in words if fold(w) not in folded]
    return Claim(
        keywords=keywords,
        words=words,
        citing_date=citing_date,
        window=window_around(citing_date, before_days, after_days),
        evidence=evidence,
        names=list(names),
    )
