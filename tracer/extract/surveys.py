"""Polls and surveys named by who ran them: "in a Marlow Tribune poll", "un sondage Ifop".

A poll's figures are the pollster's claim, and reporting names the pollster beside the
noun without any verb of saying: "Alder leads in a Marlow Tribune poll", "d'après un
sondage Ifop". The lexicons list the nouns (`surveys`); a name written right before one
(English order) or right after one (the order of most other languages) is the source.
Words that make the noun a compound of something else ("Trump poll numbers", "a Harlow
poll lead") are listed too (`survey_compounds`): after them the name is the subject of
the polling, not its author.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tracer.extract.cues import Lexicon, WordScanner
from tracer.extract.lazypattern import LazyPattern
from tracer.extract.names import Name, NameFinder


@dataclass(frozen=True)
class SurveySponsor:
    """A name that runs a poll or survey the text cites, and where its noun is."""

    name: Name
    noun_start: int


class SurveyReader:
    """Finds the names of pollsters beside the survey nouns of a lexicon."""

    def __init__(self, lexicon: Lexicon, names: NameFinder) -> None:
        self.names = names
        self.nouns = WordScanner(rf"(?i:{lexicon.pattern('surveys')})")
        self.compounds = lexicon.lowered.get("survey_compounds", frozenset())
        self.has_nouns = bool(lexicon.list("surveys"))
        self.verbs = frozenset(
            word.casefold()
            for key in ("findings", "verbs")
            for word in lexicon.list(key)
            if " " not in word
        )
        # between a name and the noun after it: a space or a slash-free hyphen ("CNN poll")
        self.before_noun = LazyPattern(r"(?:'s|’s)?[ \t]+$")
        # between the noun and the name after it: a space, or a preposition of agency
        self.after_noun = LazyPattern(
            rf"[ \t]+(?:(?i:{lexicon.pattern('post_by')}|{lexicon.pattern('agent')})[ \t]+)?"
        )

    def sponsors(self, text: str, starts: list[int] | None = None) -> Iterator[SurveySponsor]:
        """The pollsters of `text`; `starts` are word starts (`WordStarts.find`) that hold
        every place a survey noun stands, when the caller has them from its own pass."""
        if not self.has_nouns:
            return
        nouns = self.nouns.finditer(text) if starts is None else self.nouns.at(text, starts)
        for noun in nouns:
            if self._compound(text, noun.end()):
                continue
            before = self.names.find(text, max(0, noun.start() - 80), noun.start())
            if (
                before
                and before[-1].outer_end <= noun.start()
                and self.before_noun.match(text, before[-1].outer_end, noun.start())
                and not _opener(text, before[-1])
            ):
                yield SurveySponsor(before[-1], noun.start())
                continue
            gap = self.after_noun.match(text, noun.end())
            if gap is None:
                continue
            after = self.names.find(text, gap.end(), min(len(text), gap.end() + 80))
            if after and after[0].start == gap.end() and not self._verb_led(after[0]):
                yield SurveySponsor(after[0], noun.start())

    def _verb_led(self, name: Name) -> bool:
        """ "New Poll Shows Minor Bump": a headline in title case, its verb capitalised."""
        first = name.words[0].casefold()
        return first in self.verbs

    def _compound(self, text: str, position: int) -> bool:
        """Whether the word after the noun makes it a modifier: "poll numbers"."""
        rest = text[position : position + 24].split(None, 1)
        if not rest or text[position : position + 1] not in (" ", "\t"):
            return False
        return rest[0].casefold().strip(".,;:") in self.compounds


def _opener(text: str, name: Name) -> bool:
    """ "Recent polls show": a lone capitalised word that opens its sentence is an
    adjective written with a capital, not a pollster (an acronym still is: "CNN polls")."""
    if len(name.words) != 1 or name.text.isupper():
        return False
    before = text[max(0, name.start - 3) : name.start].rstrip(' \t"“«„')
    return not before or before[-1] in ".!?\n"
