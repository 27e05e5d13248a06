"""What the attribution finder judges of a name, whatever cue it reads it by.

Whether a name names nobody, a platform, a place or its people; what a kind noun or a
platform before it makes of it; the memories of one text's spellings and surnames that
keep these judgements cheap. Every reading of the finder (`tracer.extract.reading`)
derives from `Judgement`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple, TypeAlias

from tracer.extract.cuepatterns import (
    PREPOSITIONS,
    CuePatterns,
)
from tracer.extract.cues import Lexicon
from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.names import Name, folded, guess_kind
from tracer.extract.sentences import Sentence
from tracer.extract.spellings import Spellings
from tracer.store.model import NodeKind, Relation

#: a word as whitespace delimits it
WORD_RUN = re.compile(r"\S+")
#: what may follow a name that closes a clause: its end, or a comma or a stop
CLAUSE_END = re.compile(r"[ \t]*(?:[.,;:!?)]|$)")
#: the pronoun that opens a relative clause about a name: "Ana Ruiz, who ran in 2016,"
RELATIVE_OPENING = re.compile(r"(?i:who|whom|which|whose)\b")
#: a comma with the spaces around it, and nothing else
BARE_COMMA = re.compile(r"[ \t]*,[ \t]*")

#: words in Latin letters (with their marks and digits): a body's name that Cyrillic, Greek or
#: Arabic text writes as the body does ("RC GROUP", "NGS Group")
LATIN_WORDS = re.compile(r"[A-Za-z0-9\u00c0-\u024f.&'’-]+(?:[ \t]+[A-Za-z0-9\u00c0-\u024f.&'’-]+)*")

#: a pronoun with a verb contracted onto it: "We’ve", "They're", "I’d", "It’s"
_CONTRACTION = re.compile(r"(?P<stem>\w+)['’](?:ve|re|ll|s|m|d)", re.IGNORECASE)

#: the kinds of body a kind noun before a name may give it ("издание The Insider")
_BODY_KINDS = frozenset({"outlet", "channel", "organization"})

# a short quoted name: « Rybar », „Rybar”, "Rybar", “Rybar”
QUOTED_NAME = re.compile(
    r"[«„“\"][ \t\u00a0]*(?P<name>[^\s«»„“”\"][^«»„“”\"\n]{0,58}?)[ \t\u00a0]*[»“”\"]"
)

#: kinds whose noun may be followed by the outlet's own name in a construct: "قناة العربية"
MEDIA_KINDS = frozenset({NodeKind.OUTLET, NodeKind.CHANNEL})

# a word or a mark that ends a name; Arabic and Persian commas and the ZWNJ inside words
# (Arabic vowel signs and the ezafe hamza U+0654 are marks inside words, not punctuation)
TOKEN = re.compile(
    r"(?P<word>[\w\u200c\u064b-\u065f\u0670'’-]+)|(?P<punct>[^\w\s\u200c\u064b-\u065f\u0670]+)"
)

#: a clause mark (Latin, Arabic and Persian) and the space after it
CLAUSE_MARK = re.compile(r"[,،;؛:]\s*")

#: a short title in quotation marks right before a postposition ("der „Welt“ zufolge") or
#: a person's name ("пресс-секретарь «Газпрома» Ирина Белова")
QUOTED_BEFORE = re.compile(
    r"[«„“\"][ \t]*(?P<name>[^\s«»„“”\"][^«»„“”\"\n]{0,58}?)[ \t]*[»“”\"][ \t]*$"
)

#: characters before a name that the backward-looking patterns read
TAIL = 200


def shortened(name: Name, cut: int) -> Name:
    """`name` without its last `cut` characters (a case ending or a joined kind noun)."""
    return Name(
        name.text[:-cut], name.start, name.end - cut, name.abbreviation, name.outer_end, name.title
    )


def head_of(name: Name, length: int) -> Name:
    """The first `length` characters of `name`, alone (what another name ran into)."""
    end = name.start + length
    return Name(name.text[:length], name.start, end, None, end)


def without_head(name: Name, cut: int) -> Name:
    """`name` without its first `cut` characters (a role read into it: "Sprecher der ")."""
    return Name(name.text[cut:], name.start + cut, name.end, name.abbreviation, name.outer_end)


class _Surnames:
    """Last words of a text's person-shaped names of two to four words, as `in` tests.

    Names never run across the line breaks `NameFinder.line_breaks` gives, so the names of
    the whole text are those of its lines; asked about a word, only the lines where it may
    end such a name are read (once each), where reading the whole text for one "Inslee
    said" cost more than the rest of the sentence's patterns."""

    def __init__(self, finder: CuePatterns, text: str) -> None:
        self.finder = finder
        self.text = text
        self.breaks = finder.names.line_breaks(text)
        self.read: set[int] = set()
        self.found: set[str] = set()

    def __contains__(self, word: str) -> bool:
        text, breaks, names = self.text, self.breaks, self.finder.names
        position = text.find(word)
        while position >= 0:
            if not (
                # the last of several words stands after a space, where a name may end
                position > 0
                and text[position - 1].isspace()
                and names.may_end_two_words(text, position)
            ):
                position = text.find(word, position + 1)
                continue
            line = bisect_right(breaks, position)
            start = breaks[line - 1] + 1 if line else 0
            end = breaks[line] if line < len(breaks) else len(text)
            if line not in self.read:
                self.read.add(line)
                self.found.update(
                    person.words[-1]
                    for name in names.find(text, start, end)
                    if (person := self._person_part(name)) is not None
                )
            position = text.find(word, end)
        return word in self.found

    def _person_part(self, name: Name) -> Name | None:
        """The person-shaped name of two to four words that `name` is or ends with: after
        the last conjunction and the titles before it ("Deutsche Bahn und
        Bundesverkehrsminister Andreas Scheuer" ends with Andreas Scheuer)."""
        lexicon, words = self.finder.lexicon, name.words
        cut = max(
            (
                i + 1
                for i, word in enumerate(words)
                if word[:1].islower() and lexicon.has("conjunctions", word)
            ),
            default=0,
        )
        while cut < len(words) - 1 and self.finder.names.is_title(words[cut]):
            cut += 1
        if cut:
            # (only its words and shape are read: its offsets are the whole name's end)
            name = Name(" ".join(words[cut:]), name.end, name.end, None, name.end)
        if 2 <= len(name.words) <= 4 and guess_kind(name, lexicon)[0] == NodeKind.PERSON:
            return name
        return None


#: the names a sentence's "according to" and "citing" cues took as their objects, which no
#: other reading may take again: name start -> (found, cue start, cue type)
Objects: TypeAlias = dict[int, tuple[_Found, int, str]]


class CueSite(NamedTuple):
    """One cue as the readers of its sentence read it: the text (its spaces made plain),
    the cue's match, the names the sentence's cues reach, the sentence, and the objects
    its "according to" and "citing" cues took first. A tuple: a reader unpacks it at once."""

    text: str
    cue: re.Match[str]
    names: list[Name]
    sentence: Sentence
    objects: Objects

    def name_before(self) -> Name | None:
        """The nearest name that ends before the cue (in this sentence or before it)."""
        start = self.cue.start()
        return next((n for n in reversed(self.names) if n.outer_end <= start), None)


class Judgement(CuePatterns):
    """The judgements every reading of a cue shares, with the patterns of one lexicon
    (`CuePatterns`) and the memories of one text's names."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(lexicon)
        self._surnames_of: _Surnames | None = None
        # a text names the same sources again and again: each spelling is judged once
        self._platforms_of: Spellings[str, str | None] = Spellings()
        self._anonymous_of: Spellings[str, bool] = Spellings()
        self._titles_of: Spellings[str, list[int]] = Spellings()
        self._nameless_of: Spellings[str, tuple[bool, bool, bool]] = Spellings()

    def _short_title(self, text: str) -> bool:
        """A few words opening with a capital: a title ("Bild", "Gazeta Wyborcza"), not
        speech. A lower-case word inside, before the last, that is no article, connector,
        conjunction or preposition makes a clause of it, a quotation ("Der Islam gehört zu
        Deutschland"), where titles keep their function words ("Bild am Sonntag", "Corriere
        della Sera") and at most close with a lower-case word ("Le Monde diplomatique")."""
        words = text.split()
        if not (
            0 < len(words) <= 5 and words[0][:1].isupper() and text.rstrip()[-1:] not in ".!?,"
        ):
            return False
        return not any(
            word[:1].islower() and word not in self.title_function_words for word in words[1:-1]
        )

    def _platform(self, word: str | None) -> str | None:
        if not word:
            return None
        word = word.casefold()
        if word in self._platforms_of:
            return self._platforms_of[word]
        mapping = self.lexicon.platform_of_word
        platform = mapping.get(word)
        if platform is None:
            # most words asked about are no platform's: remembered, they cost no second
            # walk through every platform word
            platform = next(
                (p for known, p in mapping.items() if word.startswith(known) and len(known) >= 4),
                None,
            )
        return self._platforms_of.keep(word, platform)

    def _anonymous(self, name: Name) -> bool:
        """Whether `name` names nobody: a title, a kind, a month, unnamed people, words
        that name no one; it depends on the name's text alone."""
        anonymous = self._anonymous_of.get(name.text)
        if anonymous is None:
            anonymous = self._anonymous_of.keep(name.text, self._anonymous_text(name.words))
        return anonymous

    def _anonymous_text(self, written: list[str]) -> bool:
        if all(len(w) > 1 and w.isupper() for w in written):
            return False  # an acronym names something: "WHO", "UN" are no "who", "un"
        words = [w.casefold() for w in written]
        lx = self.lexicon
        if len(words) == 1 and (words[0] in lx.kind_of_noun or words[0] in lx.months):
            return True  # "Governor says", "Ministry said": a title or a kind, no name
        contraction = _CONTRACTION.fullmatch(words[0]) if len(words) == 1 else None
        if contraction is not None and lx.has("pronouns", contraction.group("stem")):
            return True  # "We’ve figured", "They're saying": a pronoun and its verb
        if len(words) == 1 and len(words[0]) > 7 and words[0].endswith(self.role_noun_endings):
            return True  # "sagt die Spa-Kennerin", "die Floristin": a role, a common noun
        if (
            len(words) > 2
            and words[0] in self.anonymous_words
            and written[1][:1].islower()
            and self.lexicon.has("connectors", written[1])
            and not self._place_text(" ".join(written[2:]))
        ):
            # "Fuentes del Ministerio del Interior", "Fonti della Farnesina": unnamed
            # people of a body, the sentence's capital joining them to its name ("the
            # authorities of Japan" are its government, which speaks)
            return True
        return all(w in self.nameless_words for w in words)

    def _named_by_kind(self, text: str, name: Name, low: int) -> bool:
        """ "издание The Insider", "the magazine The Source": a body's kind noun right before
        a capitalised run (as its cut-off title, or from `low` on) makes the run a title,
        whatever its words say elsewhere ("insider", "source")."""
        noun = name.title.split()[-1] if name.title else None
        if noun is None:
            lead = self.lead_before.search(text, max(low, name.start - 60), name.start)
            noun = self._lead_kind(lead)[0] if lead is not None else None
        return self._body_noun(noun)

    def _word_before(self, text: str, name: Name) -> str | None:
        """The title cut off a name, else the word right before it."""
        if name.title:
            return name.title.split()[-1]
        words = text[max(0, name.start - 30) : name.start].split()
        return words[-1] if words and text[name.start - 1 : name.start].isspace() else None

    def _body_noun(self, noun: str | None) -> bool:
        """Whether `noun` is a kind noun of a body: an outlet, a channel, an organisation."""
        return noun is not None and self.lexicon.kind_of_noun.get(noun.casefold()) in _BODY_KINDS

    def _descriptors(self, text: str) -> list[str]:
        return [match.group() for match in self.descriptor.finditer(text)]

    def _lead_kind(self, match: re.Match[str]) -> tuple[str | None, str | None]:
        noun = match.group("noun") or match.group("noun2") or (match.groupdict().get("noun3"))
        platform = self._platform(match.group("platform") or match.group("platform2"))
        return noun, platform

    def _with_lead(
        self,
        name: Name,
        noun: str | None,
        platform: str | None,
        sentence: Sentence,
        extractor: str,
        confidence: float,
    ) -> _Found:
        if (
            noun
            and platform
            and self.lexicon.kind_of_noun.get(noun.casefold())
            in {"channel", "organization", "outlet"}
        ):
            kind, score = NodeKind.CHANNEL, 0.9
        else:
            kind, score = guess_kind(name, self.lexicon, noun)
        return _Found(name, kind, min(confidence, score + 0.05), sentence, extractor, platform)

    def _titled(self, text: str, name: Name, low: int) -> bool:
        """Whether a person's title stands right before `name` (from `low`, at most 30
        characters back): "Mr. Grale", "Governor Alvarez", "Gov. John Kasich"."""
        return self.title_before.search(text, max(low, name.start - 30), name.start) is not None

    def _shape_only(self, name: Name) -> bool:
        """Whether nothing but its shape gives a name its kind: the default, a body."""
        return guess_kind(name, self.lexicon) == (NodeKind.ORGANIZATION, 0.5)

    def _guessed(
        self, name: Name, sentence: Sentence, extractor: str, cap: float, *, direct: bool = False
    ) -> _Found:
        """A found name whose kind comes from its shape, no surer than its pattern allows."""
        kind, score = guess_kind(name, self.lexicon)
        return _Found(name, kind, min(cap, score), sentence, extractor, direct=direct)

    def _quoted_with_kind(self, match: re.Match[str], sentence: Sentence, extractor: str) -> _Found:
        """The quoted title of a `quoted_kind_*` match, of the kind its noun says."""
        name = Name(
            match.group("name"), match.start("name"), match.end("name"), None, match.end("close")
        )
        noun, platform = match.group("noun"), self._platform(match.group("platform"))
        return self._with_lead(name, noun, platform, sentence, extractor, 0.85)

    def _no_source(self, text: str, found: _Found) -> bool:
        """Places, nationalities and generic collectives, which name no source: a country
        stands for its government only as the bare subject of its verb."""
        words = found.name.words
        if (
            len(words) == 1
            and not (len(words[0]) > 1 and words[0].isupper())
            and self.lexicon.has("not_names", words[0])
        ):
            # "Η Αμερικανίδα Υπουργός Εξωτερικών": the word a title's split left is one
            # that opens no name (the portfolio), as the name finder reads it
            return True
        if found.relation == Relation.CITES and self._jurisdiction(text, found.name):
            return True
        people, platform, place = self._nameless_kinds(found.name.text)
        if people and not found.named_by_kind:
            return True
        if platform and not found.named_by_kind:
            # "Telegramie": a platform is where sources speak, not one
            return not self._platform_company(text, found)
        if place:
            # ("die Stadt Köln teilte mit", "laut dem Landratsamt Gütersloh": a body's kind
            # noun before the place names its administration, which speaks)
            return not found.direct and not self._body_noun(self._word_before(text, found.name))
        return False

    def _jurisdiction(self, text: str, name: Name) -> bool:
        """ "Le procureur d'Albi affirme", "said the mayor of Marlow": after a title whose
        complement is where it serves (`place_titles`), a name that no kind word makes a
        body's is that place, which speaks for nobody ("the mayor of the Larch Institute"
        does not occur; "procureur de la République" names no source either)."""
        if not self.place_title_before.search(text, max(0, name.start - 40), name.start):
            return False
        lx = self.lexicon
        return not any(
            w.casefold() in lx.kind_of_noun or w.casefold() in lx.kind_of_ending for w in name.words
        )

    def _platform_company(self, text: str, found: _Found) -> bool:
        """Whether a platform's name stands for the company that runs it: "Telegram said",
        "„…“, so Telegram in einer Stellungnahme", "according to YouTube". It must be the
        bare subject of its verb or the object of "according to", in its base form
        ("Telegramie", "Telegram'da" name where something was posted), after no "on"
        ("on Telegram claimed") and before no post noun ("according to Telegram posts")."""
        name = found.name
        if found.relation != Relation.CITES or not (
            found.direct or found.extractor == "prose-according"
        ):
            return False
        word = name.text.casefold()
        platform = self.lexicon.platform_of_word.get(word)
        if platform is None or any(
            word.startswith(other) and other != word and owner == platform
            for other, owner in self.lexicon.platform_of_word.items()
        ):
            return False  # a case form of the platform's name, or no listed form at all
        if self.post_on_before.search(text, max(0, name.start - 30), name.start):
            return False
        # "canales de Telegram aseguraron", "selon des chaînes Telegram": a lower-case word
        # before the name, the end of an "according to" apart, makes it a complement
        previous = text[max(0, name.start - 30) : name.start].split()[-1:]
        word = previous[0] if previous else ""
        if word[:1].islower() and not (
            (found.extractor == "prose-according" and word.casefold() in self.according_ends)
            or (
                not re.fullmatch(PREPOSITIONS, word)
                and (word.casefold() in self.between_words or self.lexicon.has("determiners", word))
            )
        ):
            return False
        return not self.post_noun_after.match(text, name.outer_end)

    def _nameless_kinds(self, text: str) -> tuple[bool, bool, bool]:
        """Whether a name's `text` is a people or collective, a platform's one word, a
        place (bare or with a case ending): read once per spelling, as names recur."""
        kinds = self._nameless_of.get(text)
        if kinds is None:
            key = text.casefold()
            base = self.base_form(text).casefold()
            kinds = (
                key in self.people_words,
                len(text.split()) == 1 and self._platform(key) is not None,
                key in self.place_words or base in self.place_words,
            )
            self._nameless_of.keep(text, kinds)
        return kinds

    def base_form(self, name: str) -> str:
        """`name` without a case ending the lexicons list: "Reutersin" -> "Reuters",
        "Erdoğan'ın" -> "Erdoğan"; the longest listed ending wins."""
        for suffix in self.case_suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 3:
                return name[: -len(suffix)]
        return name

    def _place_text(self, text: str) -> bool:
        """Whether `text` is a place the lexicons list, bare or with a case ending."""
        places = self.place_words
        return text.casefold() in places or self.base_form(text).casefold() in places

    def _is_place_or_people(self, name: Name) -> bool:
        key = name.text.casefold()
        return key in self.place_words or key in self.people_words

    def _surnames(self, text: str) -> _Surnames:
        """Last words of the multi-word person-shaped names of the text, read on demand."""
        if self._surnames_of is None or self._surnames_of.text is not text:
            self._surnames_of = _Surnames(self, text)
        return self._surnames_of

    def _platform_in(self, text: str) -> str | None:
        match = self.platform_word.search(text)
        return self._platform(match.group()) if match else None

    def _title_indices(self, text: str, words: list[re.Match[str]]) -> list[int]:
        """The indices of the words of a name's `text` (`words`) that are a person's title
        or part of a listed title phrase (never mutated: a name's spelling recurs, and its
        titles are read once)."""
        titles = self._titles_of.get(text)
        if titles is None:
            titles = self._title_phrases(
                words,
                [
                    index
                    for index, word in enumerate(words[:-1])
                    if self.names.is_title(word.group())
                    and self.lexicon.kind_of_noun.get(word.group().casefold(), "person") == "person"
                ],
            )
            self._titles_of.keep(text, titles)
        return titles

    def _title_phrases(self, words: list[re.Match[str]], titles: list[int]) -> list[int]:
        """`titles` with the words before a title that make a listed title phrase with it:
        "Dışişleri Bakanı", "Genel Sekreteri", "Milli Savunma Bakanı" are one title each
        (a ministry's field is no organisation the minister speaks for)."""
        phrases = self.lexicon.lowered.get("person_titles", frozenset())
        found = set(titles)
        for index in range(1, len(words) - 1):
            for length in (2, 3):
                first = index - length + 1
                if first < 0 or (index in found and first in found):
                    continue
                phrase = folded(" ".join(w.group() for w in words[first : index + 1]))
                if phrase in phrases:
                    found.update(range(first, index + 1))
        return sorted(found)

    def _full_person(self, person: Name) -> bool:
        """Whether `person` is a person named in full (first name and surname), the only
        names these readings trust before an affiliation."""
        return (
            len(person.words) >= 2
            and not self._anonymous(person)
            and guess_kind(person, self.lexicon)[0] == NodeKind.PERSON
        )

    def _person_after_role(self, text: str, name: Name, names: list[Name], end: int) -> Name | None:
        """The person a role names after `name`: "Virginia delegate [Beau Correll]",
        "Pentagon spokesman [John Kirby]", "Democratic Rep. [Dina Titus]"; else None."""
        following = next((n for n in names if name.outer_end < n.start < end), None)
        if following is None or following.start - name.outer_end > 60:
            return None
        gap = text[name.outer_end : following.start]
        if self.article_first.match(gap):
            return None  # "disse à Folha o diretor X": an article opens another phrase
        if re.fullmatch(r"\.[ \t]+", gap) and self.lexicon.has(
            "person_titles", name.words[-1] + "."
        ):
            return following
        if (
            self.role_gap.fullmatch(gap)
            and len(following.words) >= 2
            # "de krant Trouw zegt bisschop X": a verb between them ends the body's phrase
            and not any(word.casefold() in self.cue_words for word in gap.split()[:-1])
        ):
            return following
        return None

    def _body_prefix(self, name: Name) -> int | None:
        """Where the person starts in a run that opens with a body or a country: after its
        last acronym, place or body name ending, or a body's name in Latin letters before a
        name in another script, when two to four capitalised words that are no acronym
        follow it ("МИД Елена Осипова", "Литви Томас Вайткус", "NGS Group Иван Смирнов");
        else None."""
        words = list(WORD_RUN.finditer(name.text))
        endings = self.lexicon.kind_of_ending
        last_body = None
        for index, word in enumerate(words[:-2]):
            folded = word.group().casefold()
            if (
                (len(word.group()) > 1 and word.group().isupper())
                or folded in self.place_words
                or endings.get(folded) in _BODY_KINDS
                or (
                    LATIN_WORDS.fullmatch(word.group())
                    and not LATIN_WORDS.fullmatch(words[index + 1].group())
                )
            ):
                last_body = index
        if last_body is None:
            return None
        person = words[last_body + 1 :]
        if not 2 <= len(person) <= 4 or not all(
            w.group()[:1].isupper() and not w.group().isupper() for w in person
        ):
            return None
        if any(endings.get(w.group().casefold()) for w in person):
            return None  # "МВД России Главное управление": a body's own name goes on
        return person[0].start()

    def _with_affiliation(self, person: Name, body: Name, sentence: Sentence) -> _Found:
        found = _Found(person, NodeKind.PERSON, 0.85, sentence, "prose-verb")
        found.affiliation = _full(body)
        found.affiliation_name = body
        return found

    def _listed_base(self, name: Name) -> Name:
        """`name` with its last word in the base form [base_forms] lists for it ("Suomen
        Pankin" -> "Suomen Pankki"), or `name` itself."""
        head, _, word = name.text.rpartition(" ")
        base = self.lexicon.base_of_form.get(word.casefold())
        if base is None:
            return name
        text = f"{head} {base}" if head else base
        return Name(text, name.start, name.end, name.abbreviation, name.outer_end, name.title)
