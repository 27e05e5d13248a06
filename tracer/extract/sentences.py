"""Sentence spans of a text, for evidence: the exact sentence a reference stands in.

Sentences are found lazily around the offsets asked about: an article has hundreds of
sentences and only a few hold a reference, so splitting all of them would cost more
than the rest of the text patterns together.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# an end mark, closing quotes or brackets, then space before something that opens a
# sentence; a line break always ends one (pasted articles keep paragraphs as lines).
# Both kinds open with one class of characters and the look-behinds tell them apart: a
# pattern that opens with a class lets `re` skip in C to the few places it can start,
# where an alternation of two is tried at every character
_BOUNDARY = re.compile(
    r"[.!?…\n](?:(?<=[.!?…])[\"'”’»)\]]*[ \t]+(?=(?:[\"“«„(\[‘]|''|``)?[^\W\d_]|\d)|(?<=\n)\n*)"
)
# "Gov. Inslee", "U.S. officials", "Mr. Yusov": a short capitalised word before the
# full stop is an abbreviation, not the end of a sentence
_ABBREVIATION = re.compile(r"(?:\b[^\W\d_]{1,3}|\b(?:[^\W\d_]\.)+[^\W\d_]?)\.$")
_ABBREVIATION_WORDS = frozenset(
    {
        "gov",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "sen",
        "rep",
        "gen",
        "col",
        "lt",
        "sgt",
        "prof",
        "no",
        "vs",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "etc",
        "e.g",
        "i.e",
        "ca",
        "approx",
        "ул",
        "г",
        "им",
        # titles other languages abbreviate in lower case: "prof. Nowak", "ο κ. Μητσοτάκης"
        "κ",
        "κα",
        "nadkom",
        "płk",
        "ks",
        "mgr",
        "inż",
        "doc",
        "ing",
        "dott",
        "avv",
        "sig",
        "sra",
        "esim",
        "ns",
        "mm",
        "hr",
        "dhr",
        "mevr",
        "bzw",
        "vgl",
        "z.b",
        "u.a",
        "sz",
        "pkt",
    }
)
# a German ordinal ("im 19. Jahrhundert", "zum 1. Januar", "beim 3. Versuch"): a number after
# an article or preposition that takes one, whose full stop goes on to the capitalised noun
# (German alone capitalises it; "19. století", "19. wieku" never look like a boundary). Not
# "am", "um" or "die", which English writes before a number that ends a sentence
_ORDINAL = re.compile(
    r"(?<!\w)(?i:im|vom|zum|zur|beim|ins|der|des|dem|den|einem|einer|eines|seit|bis|ab|vor"
    r"|nach|zwischen)[ \t]+\d{1,3}$"
)
#: a boundary not judged yet (None is the judgement "no boundary")
_UNJUDGED = (-1, -1)
#: how far (characters) the first look for a boundary reaches; it doubles until found
_WINDOW = 240


@dataclass(slots=True, frozen=True)
class Sentence:
    start: int
    end: int


class Sentences:
    """The sentences of one text, found on demand and looked up by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[int, Sentence] = {}
        # sentences found so far, by raw [start, end) before trimming, sorted by start
        self._starts: list[int] = []
        self._raw: list[tuple[int, int, Sentence]] = []
        # boundaries already judged (windows overlap), by position
        self._cuts: dict[int, tuple[int, int] | None] = {}

    def _abbreviation_before(self, position: int) -> bool:
        # fast path: a full stop after a long lower-case word ends a sentence, unless the
        # word is a title's abbreviation ("prof.", "nadkom.")
        if (
            position >= 5
            and self.text[position - 5 : position - 1].isalpha()
            and self.text[position - 2].islower()
        ):
            tail = self.text[max(0, position - 9) : position - 1].split()
            return bool(tail) and tail[-1].casefold() in _ABBREVIATION_WORDS
        before = self.text[max(0, position - 12) : position]
        word = before.rsplit(None, 1)[-1] if before.split() else ""
        bare = word.rstrip(".").casefold()
        if bare in _ABBREVIATION_WORDS:
            return True
        return bool(_ABBREVIATION.search(word)) and len(bare) <= 3 and word[:1].isupper()

    def _cut(self, match: re.Match[str]) -> tuple[int, int] | None:
        """(end of the sentence before, start of the next) for a real boundary, else None."""
        start = match.start()
        cut = self._cuts.get(start, _UNJUDGED)
        if cut is _UNJUDGED:
            cut = self._cuts[start] = self._judge(match)
        return cut

    def _judge(self, match: re.Match[str]) -> tuple[int, int] | None:
        boundary, start, end = match.group(), match.start(), match.end()
        if boundary[0] == "\n":
            return start, end
        # a sentence opens with a capital, a digit or a quotation mark: after "(I-Vt.)" or
        # "U.S." a lower-case word goes on the same sentence (scripts without capitals
        # have no lower-case letters, so this never joins their sentences)
        following = self.text[end : end + 3].lstrip("\"“«„(['‘`")
        if following[:1].islower():
            return None
        if self._abbreviation_before(start + 1):
            return None
        if boundary[0] == "." and _ORDINAL.search(self.text, max(0, start - 16), start):
            return None
        # the end mark and its closing quotes belong to the sentence before
        return start + len(boundary.rstrip(" \t")), end

    def _start_before(self, offset: int) -> int:
        window = _WINDOW
        while True:
            low = max(0, offset - window)
            # the window's last real boundary starts the sentence (every match starts at or
            # before the offset: when it ends after, the offset is inside the boundary, the
            # spaces between two sentences); judged from the last back, the earlier
            # boundaries of the window need no judging
            for match in reversed(list(_BOUNDARY.finditer(self.text, low, offset + 1))):
                cut = self._cut(match)
                if cut is not None:
                    return cut[1]
            if low == 0:
                return 0
            window *= 2

    def _end_after(self, start: int) -> int:
        for match in _BOUNDARY.finditer(self.text, start):
            cut = self._cut(match)
            if cut is not None and cut[0] > start:
                return cut[0]
        return len(self.text)

    def at(self, offset: int) -> Sentence:
        """The sentence holding `offset` (the next one, if it falls between two)."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self._starts, offset) - 1
        if index >= 0:
            raw_start, raw_end, known = self._raw[index]
            if raw_start <= offset < raw_end:
                return known
        start = self._start_before(offset)
        cached = self._cache.get(start)
        if cached is not None:
            return cached
        end = self._end_after(start)
        # trim whitespace so evidence never starts or ends with a space
        first, last = start, end
        while first < last and self.text[first].isspace():
            first += 1
        while last > first and self.text[last - 1].isspace():
            last -= 1
        sentence = Sentence(first, last)
        self._cache[start] = sentence
        if end > offset:
            position = bisect_right(self._starts, start)
            self._starts.insert(position, start)
            self._raw.insert(position, (start, end, sentence))
        return sentence

    @property
    def spans(self) -> list[Sentence]:
        """Every sentence, in order (splits the whole text; for tests and tools)."""
        spans: list[Sentence] = []
        position = 0
        while position < len(self.text):
            sentence = self.at(position)
            if sentence.end > sentence.start:
                spans.append(sentence)
            following = self._end_after(self._start_before(position))
            position = max(following + 1, position + 1)
        return spans

    def covering(self, start: int, end: int) -> Sentence:
        """The smallest run of sentences covering [start, end)."""
        first = self.at(start)
        last = self.at(max(start, end - 1))
        return Sentence(min(first.start, start), max(last.end, end))
