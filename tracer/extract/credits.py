"""Credit lines: where an article says its own text came from, with no verb of saying.

Reporting that republishes a news agency, or builds on another outlet, names it in three
set places rather than in a sentence:

- a source line under the text, a label and a colon: "Źródło: PAP", "Источник: ТАСС",
  "Kaynak: Anadolu Ajansı", "المصدر: رويترز" (the labels are each lexicon's `source_labels`);
- the agency's dateline that opens the text: "WARSZAWA (PAP) -", "ANKARA (AA) -",
  "МОСКВА, 5 декабря. /ТАСС/.", "МОСКВА, 5 дек — РИА Новости.";
- the agency's signature that closes a paragraph: "... na miejscu. (PAP)".

Each names the source of the whole text, so each is a cited source. A photo credit ("Fot.
PAP", "Фото: ТАСС") is not: it says who took a picture, not who made a claim, and its
labels are not source labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tracer.extract.cues import Lexicon
from tracer.extract.lazypattern import LazyPattern
from tracer.extract.names import Name, NameFinder

#: the place of a dateline: one to three words (its first letter is checked to be no
#: lower-case one), before the agency in parentheses or slashes
_LETTER = r"(?:[^\W\d_]|[\u064b-\u065f\u0670])"  # a letter, or an Arabic vowel sign ("عمّان")
_PLACE = rf"(?P<place>[^\W\d_]{_LETTER}*(?:[ -]{_LETTER}+){{0,2}})"
#: a day and a month, and perhaps a year: ", 5 декабря.", " 5. prosince"
_DATE = r"(?:[ \t]*[,.][ \t]*|[ \t]+)\d{1,2}\.?[ \t]+[^\W\d_]{3,12}\.?(?:[ \t]+\d{4})?"
#: an agency's short name inside the marks of a dateline or a signature; in parentheses
#: a slash may join several ("(PAP/Reuters)")
_AGENCY = r"[^\W\d_][^()/\n]{0,38}?"
_AGENCIES = r"[^\W\d_][^()\n]{0,38}?"
#: "WARSZAWA (PAP) -", "Kahire (AA) -", "PRAHA 5. prosince (ČTK) -", "МОСКВА, 5 декабря. /ТАСС/."
_MARKED_DATELINE = LazyPattern(
    rf"[ \t]*{_PLACE}(?:{_DATE})?[ \t,.]*"
    rf"(?:\((?P<agency>{_AGENCIES})\)[ \t]*[-–—]|/(?P<slashed>{_AGENCY})/[ \t]*[-–—.])"
)
#: "МОСКВА, 5 дек — РИА Новости.": the agency after the date and a dash; with a date and a
#: dash before, and a stop right after, no sentence's subject has this shape
_DASHED_DATELINE = LazyPattern(
    rf"[ \t]*{_PLACE}{_DATE}[ \t]*[-–—][ \t]*(?P<agency>[^\W\d_][^\n.,;:]{{0,38}}?)[ \t]*[.–—-]"
)
#: "... na miejscu. (PAP)": the agency in parentheses that closes a paragraph, after its
#: last full stop (the parenthesis first: `re` skips to it in C)
_SIGNATURE = LazyPattern(rf"\((?P<agency>{_AGENCIES})\)[ \t]*(?=\n|$)")
_SENTENCE_END = LazyPattern(r"[.!?…\"”»][ \t]+$")
#: between the names of a source line: commas, slashes, spaces (around a conjunction)
_LIST_SEPARATOR = LazyPattern(r"[ \t]*(?:[,;/+&][ \t]*|[ \t]+)(?:[^\W\d_]+[ \t]+)?")


@dataclass(frozen=True)
class Credit:
    """A credit line's source: its name (cased scripts), or where the words that name it
    start and end (scripts without capitals, read by the finder's own uncased reading)."""

    start: int
    end: int
    name: Name | None
    #: the credit is an agency's dateline or signature: the name is a news agency's
    agency: bool


class CreditReader:
    """Finds the sources that the credit lines of a text name."""

    def __init__(self, lexicon: Lexicon, names: NameFinder) -> None:
        self.names = names
        self.conjunctions = lexicon.lowered.get("conjunctions", frozenset())
        self.places = lexicon.lowered.get("places", frozenset())
        labels = lexicon.pattern("source_labels", capitalised_too=True)
        self.has_labels = bool(lexicon.list("source_labels"))
        # a label that opens its line, or the text: the literal line break first, so that
        # `re` skips to it in C rather than trying the alternation at every character
        self.label = LazyPattern(rf"\n[ \t]*(?:{labels})[ \t]*:[ \t]*")
        self.first_label = LazyPattern(rf"[ \t]*(?:{labels})[ \t]*:[ \t]*")

    def credits(self, text: str) -> Iterator[Credit]:
        yield from self._datelines(text)
        yield from self._signatures(text)
        if self.has_labels:
            yield from self._source_lines(text)

    def _source_lines(self, text: str) -> Iterator[Credit]:
        first = self.first_label.match(text)
        labels = [first] if first else []
        labels.extend(self.label.finditer(text))
        for label in labels:
            end = text.find("\n", label.end())
            end = len(text) if end < 0 else end
            if label.end() >= end:
                continue
            opening = text[label.end()]
            if opening.isalpha() and not _cased(opening):
                # "المصدر: وكالة رويترز": read as a cue's name in a script without capitals
                yield Credit(label.end(), end, None, agency=False)
            elif not opening.islower():
                yield from self._listed(text, label.end(), end)
            # else "Źródło: opracowanie własne": a description, no name

    def _listed(self, text: str, start: int, end: int) -> Iterator[Credit]:
        """The names a source line lists from `start`: each right after the one before,
        past a comma, a slash or a conjunction ("Źródło: PAP, Reuters")."""
        position = start
        names = self.names.find(text, start, end)
        tail = text[names[0].outer_end : end].strip(" \t.").split() if names else []
        if (
            len(names) == 1
            and names[0].start == start
            and 0 < len(tail) <= 2
            and all(word[0].islower() for word in tail)
        ):
            # "Джерело: Українська правда": the line names its source alone, and an
            # outlet's name may go on in lower case ("Новая газета")
            whole = text[start:end].rstrip(" \t.")
            names = [Name(whole, start, start + len(whole), None, start + len(whole))]
        for name in names:
            between = text[position : name.start]
            if name.start != start and not self._separates(between):
                return
            yield Credit(name.start, name.end, name, agency=False)
            position = name.outer_end

    def _separates(self, between: str) -> bool:
        """Whether only a list's marks stand between two names: a comma, a slash, a
        conjunction ("PAP i Reuters", "ČTK a iROZHLAS.cz")."""
        if _LIST_SEPARATOR.fullmatch(between) is None:
            return False
        words = [word for word in between.replace(",", " ").split() if word.isalpha()]
        return all(word.casefold() in self.conjunctions for word in words)

    def _datelines(self, text: str) -> Iterator[Credit]:
        # a dateline opens the text or one of its first lines (a headline and a lead above it)
        for line_start in _line_starts(text, 6):
            for pattern in (_MARKED_DATELINE, _DASHED_DATELINE):
                match = pattern.match(text, line_start)
                if match is None or not self._dateline_place(match.group("place")):
                    continue
                if pattern is _DASHED_DATELINE and not match.group("place").isupper():
                    continue  # "Київ, 5 грудня — Уряд ухвалив ...": the text after a dash
                group = "slashed" if match.groupdict().get("slashed") else "agency"
                yield from self._agencies(text, match.start(group), match.end(group), False)
                break

    def _dateline_place(self, place: str) -> bool:
        """Whether a dateline's first words are its place: in capitals, as agencies write
        it ("WARSZAWA", "ΑΘΗΝΑ"), or a place the lexicons list ("Kahire"), or in a script
        without capitals. A name and a party ("Jan Kowalski (PiS) - ...") are none."""
        return place.isupper() or place.casefold() in self.places or not _cased(place[0])

    def _signatures(self, text: str) -> Iterator[Credit]:
        for match in _SIGNATURE.finditer(text):
            if not _SENTENCE_END.search(text, max(0, match.start() - 4), match.start()):
                continue
            yield from self._agencies(text, match.start("agency"), match.end("agency"), True)

    def _agencies(
        self, text: str, start: int, end: int, abbreviated_only: bool
    ) -> Iterator[Credit]:
        """The agencies in a dateline's or a signature's marks: "PAP", "AFP/Reuters", "PAP,
        IAR"; a signature is read only when it is an abbreviation ("(PAP)", not "(Video)")."""
        if not _cased(text[start]):
            if not abbreviated_only:
                yield Credit(start, end, None, agency=True)
            return
        for piece_start, piece_end in _pieces(text, start, end):
            piece = text[piece_start:piece_end]
            if abbreviated_only and not _abbreviation(piece):
                continue
            name = Name(piece, piece_start, piece_end, None, piece_end)
            yield Credit(piece_start, piece_end, name, agency=True)


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The parts of `text[start:end]` that commas and slashes separate, without their spaces."""
    cursor = start
    for index in range(start, end + 1):
        if index == end or text[index] in ",/":
            piece = text[cursor:index]
            stripped = piece.strip()
            if stripped:
                left = cursor + len(piece) - len(piece.lstrip())
                yield left, left + len(stripped)
            cursor = index + 1


def _abbreviation(piece: str) -> bool:
    """An agency's abbreviation: more capitals than not ("PAP", "ČTK", "ΑΠΕ-ΜΠΕ", "AA")."""
    letters = [c for c in piece if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) * 2 > len(letters)


def _cased(character: str) -> bool:
    """Whether `character` is no letter of a script without capitals (Arabic, Persian)."""
    return not character.isalpha() or character.upper() != character.lower()


def _line_starts(text: str, count: int) -> Iterator[int]:
    """The starts of the text's first `count` lines."""
    position = 0
    for _ in range(count):
        yield position
        position = text.find("\n", position) + 1
        if position <= 0:
            return
