"""Several names in one run: "Clinton and Sanders said", "by Ana Ruiz, Tom Bell and Lee Park".

The name pattern reads a run of capitalised words as one name; a conjunction or a case
ending after an apostrophe ("Rybar'ın Telegram kanalı") splits it into names of their own,
and the names a conjunction or commas join before or after a speaker speak with it.
"""

from __future__ import annotations

import re

from tracer.extract.cuepatterns import (
    DETERMINER_WORDS,
    LOWER_WORD,
)
from tracer.extract.names import Name
from tracer.extract.reading.judgement import (
    CLAUSE_MARK,
    WORD_RUN,
    Judgement,
)

#: lexicon lists whose lower-case words may open a clause before its run of speakers'
#: names ("the senators Ana Ruiz and Tom Bell", "both Ruiz and Bell")
_OPENING_KEYS = ("determiners", "indefinite", "between", "anonymous", "entourage")


class CoordinationReading(Judgement):
    """Splits a run into its names and finds the names joined to a speaker."""

    def _split_case_ending(self, text: str, name: Name) -> list[Name]:
        """ "Rybar'ın Telegram kanalı", "Kremlin'in Dışişleri Bakanı X": a case ending after
        an apostrophe closes a name inside the run the name pattern read too; the words
        after it are names of their own (or a platform that qualifies a kind noun)."""
        endings = self.names.apostrophe_endings
        if not endings or ("'" not in name.text and "’" not in name.text):
            return [name]
        for word in WORD_RUN.finditer(name.text):
            # (the English possessive has rules of its own: "Clinton's campaign said")
            if word.group().endswith(("'s", "’s")):
                continue
            if word.end() < len(name.text) and word.group().endswith(endings):
                ending = next(e for e in endings if word.group().endswith(e))
                end = name.start + word.end() - len(ending)
                if end <= name.start + word.start():
                    return [name]
                head = Name(text[name.start : end], name.start, end, None, end, name.title)
                return [head, *self.names.find(text, name.start + word.end(), name.outer_end)]
        return [name]

    def _split_coordination(self, text: str, name: Name) -> list[Name]:
        """ "Clinton and Sanders", "Ana Ruiz und Tom Bell": two names a conjunction joins,
        which the name pattern read as one (its connectors join "Procter and Gamble"). A
        name with another connector ("Department of Health and Human Services") or whose
        last word gives a kind ("Foreign and Commonwealth Office") stays whole."""
        if len(name.text.split(None, 2)) < 3:
            return [name]  # no word between two others, so no conjunction joining names
        words = list(WORD_RUN.finditer(name.text))
        joints = [
            i
            for i, w in enumerate(words[1:-1], 1)
            if self.lexicon.has("conjunctions", w.group()) and w.group()[:1].islower()
        ]
        if not joints or name.abbreviation:
            return [name]
        # "Ashby College and the Marlow Tribune": an article after the conjunction
        articles = {
            i + 1 for i in joints if i + 2 < len(words) and words[i + 1].group() in DETERMINER_WORDS
        }
        if self.noun_article.search(text, max(0, name.start - 12), name.start):
            return [name]  # "die Grünen und Gipfelgegner": German nouns, not two names
        endings = self.lexicon.kind_of_ending
        if any(
            w.group()[:1].islower() and i not in joints and i not in articles
            for i, w in enumerate(words)
        ) or (
            endings.get(words[-1].group().casefold())
            and not all(endings.get(words[j - 1].group().casefold()) for j in joints)
        ):
            return [name]
        parts: list[Name] = []
        first = 0
        for joint in [*joints, len(words)]:
            start, end = words[first].start(), words[joint - 1].end()
            part_end = name.start + end
            parts.append(
                Name(
                    name.text[start:end],
                    name.start + start,
                    part_end,
                    None,
                    name.outer_end if joint == len(words) else part_end,
                    name.title if first == 0 else None,
                )
            )
            first = joint + 2 if joint + 1 in articles else joint + 1
        return parts

    def _coordinated_before(
        self, text: str, name: Name, names: list[Name], start: int
    ) -> list[Name]:
        """The names joined to `name` before it, nearest last: "Ana Ruiz, Tom Bell and
        [name]"; empty unless the run opens at `start` or its first name carries no
        lower-case word before it in its clause."""
        joined: list[Name] = []
        current = name
        for other in reversed([n for n in names if n.outer_end <= name.start and n.start >= start]):
            # (the name's own end too: "Mr. Grale and Mr. Leary" reads "Grale and Mr" as
            # one run, whose trimmed title the outer end still holds)
            if not self.conjunction.match(
                text[other.outer_end : current.start]
            ) and not self.conjunction.match(text[other.end : current.start]):
                break
            joined.insert(0, other)
            current = other
        # "Smith and Jones said": the conjunction joins the speakers; a comma alone joins
        # them only in a run that a conjunction closes ("Smith, Jones and Lee said")
        if len(joined) == 1 and not self.conjunction_in.search(text, joined[0].end, name.start):
            return []
        if not joined:
            return []
        # the run opens its clause, or a role opens it ("Senators Ana Ruiz and Tom Bell"):
        # in "Trump met Clinton and Sanders said" the conjunction joins two clauses
        clause_start = max(
            [start, *(m.end() for m in CLAUSE_MARK.finditer(text, start, joined[0].start))]
        )
        opening = text[clause_start : joined[0].start]
        lx = self.lexicon
        # ("Presidential candidates Ana Ruiz and Tom Bell": a title in the plural)
        if not all(
            any(lx.has(key, word) for key in _OPENING_KEYS)
            or self.names.is_title(word)
            or (word.endswith("s") and self.names.is_title(word[:-1]))
            for word in re.findall(rf"(?<!\w){LOWER_WORD}", opening)
        ):
            return []
        return [n for n in joined if not self._anonymous(n) and not self._is_place_or_people(n)]

    def _coordinated_after(self, text: str, name: Name, names: list[Name], end: int) -> list[Name]:
        """The names joined to `name` after it: "a study by Ana Ruiz and Tom Bell", "by
        Ana Ruiz, Tom Bell and Lee Park"; a conjunction closes the run."""
        joined: list[Name] = []
        current = name
        closed = False
        for other in (n for n in names if name.outer_end <= n.start < end):
            gap = text[current.outer_end : other.start]
            if not self.conjunction_object.match(gap):
                break
            joined.append(other)
            current = other
            if self.conjunction_in.search(gap):
                closed = True
                break
        if not closed:
            return []
        # "according to Reuters, Smith and Jones were held": after a comma the run must
        # end where the phrase does, or it is the next clause's subject
        if not self.conjunction_in.search(text, name.outer_end, joined[0].start) and not re.match(
            r"[ \t]*(?:[,;:.)]|$)", text[current.outer_end : end]
        ):
            return []
        return [n for n in joined if not self._anonymous(n) and not self._is_place_or_people(n)]
