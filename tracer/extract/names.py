"""Proper names in prose: where they are, what they abbreviate to, what kind they are.

A name is a run of capitalised words (any script), joined by the lexicon's connectors
("Framework for Peace"), optionally followed by an abbreviation in parentheses
("Russia Today (RT)"). Long expansions may hold commas when an abbreviation closes them
("Framework for Peace, Security and Development (CSP-PSD)").
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from tracer.extract.cues import SEPARATORS, Lexicon, phrase_pattern
from tracer.extract.lazypattern import LazyPattern
from tracer.extract.spellings import Spellings
from tracer.extract.urls import TLDS
from tracer.store.model import NodeKind


def folded(word: str) -> str:
    """`word` case-folded as the lexicons list it: the dotted capital I of Turkish folds to
    i and a combining dot, which no list writes ("İçişleri", "İstatistik")."""
    return word.casefold().replace("\u0307", "")


@cache
def upper_class() -> str:
    """A character class of every capital letter in the Basic Multilingual Plane.

    `re` has no \\p{Lu}; building the class once keeps the module on the stdlib.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(0x41, min(sys.maxunicode, 0xFFFF)):
        if chr(code).isupper():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    parts = [
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    ]
    return "[" + "".join(parts) + "]"


_QUOTE_CLOSE = "'’"
#: articles that open titles ("The Guardian", "Le Monde", "El País", "Die Zeit")
_TITLE_ARTICLES = frozenset(
    {"The", "Le", "La", "Les", "El", "Los", "Las", "Il", "Lo", "Die", "Der", "Das"}
)


@dataclass(slots=True, frozen=True)
class Name:
    """A name found in text; offsets are absolute in the document text."""

    text: str
    start: int
    end: int
    abbreviation: str | None = None
    #: end of the whole match, past the "(ABBR)"
    outer_end: int = 0
    #: a title or kind noun written as the name's first word and cut off it
    #: ("Präsident Macron", "Regierungssprecher Hebestreit", "Sender RTL")
    title: str | None = None

    @property
    def words(self) -> list[str]:
        return self.text.split()


#: a US legislator's party and state after the name: "(D-N.C.)", "(R-Texas)", "(I-Vt.)"
_PARTY_TAG = re.compile(r"[DRI]-[A-Z][A-Za-z.]{0,8}")
#: the vowels that mark a Turkish compound's head ("Bakanlığı", "Üniversitesi"), before
#: its case ending
_COMPOUND_VOWELS = "ıiuü"
#: letters only Turkish writes, which a name must hold for its compound ending to be cut
_TURKISH_LETTERS = frozenset("ıİğĞşŞ")
#: a word of initials with their stops: "B.", "J.R."
_INITIALS = re.compile(r"(?:\w\.)+")
#: the lexicon lists whose words are never a name head's genitive complement
_COMPLEMENT_STOP_KEYS = (
    "verbs",
    "plural_verbs",
    "findings",
    "between",
    "conjunctions",
    "connectors",
    "determiners",
    "possessive_determiners",
    "pronouns",
    "according",
    "via",
    "post_on",
    "not_names",
)
#: a lower-case word after a name, and a capitalised one (see `_with_complements`)
_COMPLEMENT_WORD = re.compile(r"[ \t]+([^\W\d_]+)(?![\w-])")
_NEXT_CAPITALISED = re.compile(r"[ \t]+(?=[^\W\d_])")
#: a web outlet named by its host is a name in any case: "iROZHLAS.cz", "wPolityce.pl",
#: "money.pl" (not a link's host: no path or further dot follows it)
_LOWER_HOST = rf"[a-z][\w-]*(?:\.[\w-]+)*\.{TLDS}(?![\w/-]|\.\w)"
_HOST_NAME = re.compile(rf"[^\W\d_][\w-]*(?:\.[\w-]+)*\.{TLDS}")
#: a name's last word when it is a dotted acronym, with its final stop
_DOTTED_ACRONYM = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){2,}$")


class NameFinder:
    """Finds names with one compiled pattern built from a lexicon's connectors."""

    def __init__(self, lexicon: Lexicon) -> None:
        upper = upper_class()
        # a lone capital may carry its full stop: a middle initial ("James B. Comey")
        # a dotted acronym keeps its last stop ("the S.E.C. said", "G.K. Barrow"); a
        # slash joins the names of partners ("Reuters/Ipsos", "Times/CBS News")
        host = _LOWER_HOST
        word = rf"(?:@\w{{1,32}}|(?:{upper}\.){{2,}}|{upper}[\w&.'’-]*\w(?:/{upper}[\w&.'’-]*\w)*|{upper}\.?|{host})"
        joiners = [c for c in lexicon.list("connectors") if c and not c[0].isupper()]
        connectors = phrase_pattern(joiners)
        # a lower-case word that closes names of a kind ("Česká televize", "Lidové noviny",
        # "Suomen Punainen Risti ry") belongs to the capitalised run before it
        tails = phrase_pattern(
            word
            for words in lexicon.table("name_endings").values()
            for word in words
            if word.isalpha() and word.islower()
        )
        tail = rf"(?:[ \t]+(?:{tails})(?!\w))?" if tails else ""
        joined = rf"{word}(?:[ \t]+(?:{connectors}[ \t]+)*{word})*{tail}"
        abbreviation = rf"\((?P<abbr>{upper}[\w&./-]{{0,15}})\)"
        # a comma continues a name only when an abbreviation closes it
        long_form = rf"(?P<long>{word}(?:(?:[ \t]+(?:{connectors}[ \t]+)*|,[ \t]+){word})*)[ \t]*{abbreviation.replace('abbr', 'labbr')}"
        short_form = rf"(?P<short>{joined})(?:[ \t]*{abbreviation})?"
        self.pattern = LazyPattern(rf"{long_form}|{short_form}")
        # the long form needs a "(": where none follows, the short form alone decides, and
        # trying the long form first costs a failed match (with backtracking) per name
        self._short = LazyPattern(short_form)
        # names start after a separator with a capital or an @: scan for those first
        self._starts = LazyPattern(rf"{SEPARATORS}(?={upper}|@\w|{host})")
        self.lexicon = lexicon
        self._descriptor = LazyPattern(
            rf"^(?:\w+-(?:{phrase_pattern(lexicon.list('descriptor_suffixes'))})|(?:{phrase_pattern(lexicon.list('descriptor_prefixes'))})\w+)$",
            re.IGNORECASE,
        )
        self._platform_words = lexicon.platform_of_word
        # connectors are lower-case words: "The" opening a title is not "the"
        self._connectors = frozenset(lexicon.list("connectors"))
        # the words of the connectors the pattern joins names with
        self._joiner_words = frozenset(word for joiner in joiners for word in joiner.split())
        # the only way a name runs across a line break: a connector of several words
        # ("for a") written over one, whose inner spaces the pattern reads as any space;
        # the characters before those inner spaces tell where that may happen
        spellings = {" ".join(joiner.split()) for joiner in joiners}
        self._before_inner_space = frozenset(
            phrase[index - 1]
            for phrase in spellings | {phrase.replace("'", "’") for phrase in spellings}
            for index, char in enumerate(phrase)
            if char == " " and index > 0
        )
        self._trims: Spellings[tuple[str, str], tuple[int, int, int | None, str | None] | None] = (
            Spellings()
        )
        # a body's head noun keeps the lower-case genitive words after it in its name, as
        # Slavic languages write them ("Министерство обороны России", "Ministerstvo
        # zahraničních věcí"); only a name that ends in a head is looked at
        self._heads = lexicon.lowered.get("name_heads", frozenset())
        self._places = lexicon.lowered.get("places", frozenset())
        self._complement_endings = tuple(lexicon.list("name_complement_endings"))
        self._complement_adjectives = tuple(lexicon.list("name_complement_adjectives"))
        self._head_adjectives = tuple(lexicon.list("name_head_adjectives"))
        # lower-case words that end the complements whatever their ending: a verb after
        # its subject ("заявила"), an adverb ("вчера"), a conjunction, a preposition
        self._complement_stops = frozenset().union(
            *(lexicon.lowered.get(key, frozenset()) for key in _COMPLEMENT_STOP_KEYS)
        )
        self.name_prefixes = tuple(
            sorted((p for p in lexicon.list("name_prefixes") if p), key=len, reverse=True)
        )
        self._title_words = frozenset(
            word.casefold()
            for word in (*lexicon.list("person_titles"), *lexicon.kind_of_noun)
            if " " not in word
        )
        # person titles in the plural before several names: "Senators Ada Moreno, ..."
        self._plural_titles = frozenset(
            word.casefold() + "s" for word in lexicon.list("person_titles") if " " not in word
        )
        # compounds that end in a title: "Regierungssprecher", "Konzernchef", "NS-topman";
        # looked up by length, one slice and one set look-up per length
        self._title_endings = frozenset(t for t in self._title_words if len(t) >= 4)
        self._title_lengths = sorted({len(t) for t in self._title_endings})
        # case endings written onto a body's name without an apostrophe ("Bakanlığının")
        self._compound_endings = tuple(
            sorted(lexicon.list("compound_case_endings"), key=len, reverse=True)
        )
        # case endings written after an apostrophe ("Reuters'a", "Kanada’nın") are cut off
        # the name: the apostrophe marks where the name ends
        self.apostrophe_endings = tuple(
            sorted(
                {
                    mark + suffix[1:]
                    for suffix in lexicon.list("case_suffixes")
                    if suffix[:1] in "'’" and len(suffix) > 1
                    for mark in "'’"
                },
                key=len,
                reverse=True,
            )
        )

    def _compound_ending(self, words: list[re.Match[str]]) -> int:
        """The length of the case ending written onto the last word of a body's name of
        several words, after the vowel that marks the compound: "Sağlık Bakanlığı|nın",
        "Ankara Üniversitesi|nden" (`compound_case_endings`); 0 if none."""
        if len(words) < 2 or not self._compound_endings:
            return 0
        if not any(_TURKISH_LETTERS.intersection(word.group()) for word in words):
            return 0  # "Marlow Tribune", "Marco Bellini": a short text is read in every language
        last = words[-1].group()
        for ending in self._compound_endings:
            stem = len(last) - len(ending)
            if last.endswith(ending) and stem >= 5 and last[stem - 1] in _COMPOUND_VOWELS:
                return len(ending)
        return 0

    def _platform_compound(self, word: str) -> bool:
        """ "Telegram-канал", "Telegram-Kanal": a platform and a kind noun, not a name."""
        head, dash, _ = word.partition("-")
        return bool(dash) and head.casefold() in self._platform_words

    def is_descriptor(self, word: str) -> bool:
        return bool(self._descriptor.match(word))

    @staticmethod
    def _titled(text: str, position: int, words: list[re.Match[str]]) -> bool:
        """A capitalised "The" inside a sentence belongs to a title: "The Blood Gold Report"."""
        if words[0].group() not in _TITLE_ARTICLES or len(words) < 2:
            return False
        before = text[max(0, position - 3) : position].rstrip()
        return bool(before) and before[-1] not in '.!?\n"“«:'

    def _listed_title(self, words: list[re.Match[str]]) -> bool:
        """ "Le Monde a révélé", "El País publicó": a title the lexicons list with its
        article keeps it at a sentence's start too, where an article alone is an opener.
        So does "The" before a single word that ends outlets' names ("The Independent
        hatte berichtet", "The Atlantic reported"): that word alone is the title's."""
        if len(words) < 2 or words[0].group() not in _TITLE_ARTICLES:
            return False
        endings = self.lexicon.kind_of_ending
        second = words[1].group()
        return f"{words[0].group()} {second}".casefold() in endings or (
            len(words) == 2
            and words[0].group() == "The"
            and second[1:].islower()
            and endings.get(second.casefold()) == "outlet"
        )

    def _matches(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        last = start
        # the long form ends in "(ABBR)": where no "(" follows, only the short form can match
        paren = text.rfind("(", start, end)
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_@"):
            first = (self.pattern if start < paren else self._short).match(text, start, end)
            if first is not None:
                last = first.end()
                yield first
        # after a name, the scan goes on from its end: the capitals inside it ("Harbour
        # Safety Council") open no name of their own, and `finditer` would stop at each
        scan = self._starts.compiled.search
        hit = scan(text, last, end)
        while hit is not None:
            position = hit.end()
            match = (self.pattern if position < paren else self._short).match(text, position, end)
            if match is not None:
                last = match.end()
                yield match
                hit = scan(text, max(position, last - 1), end)
            else:
                hit = scan(text, position, end)

    def may_end_two_words(self, text: str, position: int) -> bool:
        """Whether a name of two words or more could end with the word at `position`.

        A cheap test, true wherever `find` could return such a name: words are joined by
        spaces or tabs (with connectors or a comma between), so the word must open its
        whitespace-delimited token with a capital or an @, and the nearest earlier token
        that is no connector must end a word and hold a capital or an @. Most document
        nouns in prose ("the report", "week. Report") fail it and cost no name search.
        """
        start = position
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        if start == 0 or text[start - 1] not in " \t" or not _opens_word(text[start]):
            return False
        low = max(0, start - 80)
        tokens = text[low:start].replace("\t", " ").split(" ")
        for index in range(len(tokens) - 1, -1, -1):
            token = tokens[index]
            if index == 0 and low > 0:
                return True  # connectors all the way back to a cut token: let `find` decide
            if not token or token in self._joiner_words:
                continue
            last = token[-1]
            if (
                last == "."
                and len(token) >= 2
                and _opens_word(token[-2])
                and (len(token) == 2 or not (token[-3].isalnum() or token[-3] == "_"))
            ):
                return True  # a middle initial: "James B. Comey"
            return (last.isalnum() or last in "_,") and any(_opens_word(c) for c in token)
        return False

    def line_breaks(self, text: str) -> list[int]:
        """Offsets of the line breaks of `text` that no name runs across, in order.

        `find` over the whole text gives the names `find` gives over each piece between
        these breaks, one after the other: a name's words are joined by spaces and tabs,
        and only a connector's inner space may be a line break."""
        breaks: list[int] = []
        position = text.find("\n")
        while position >= 0:
            before = position
            while before > 0 and text[before - 1].isspace():
                before -= 1
            if before == 0 or text[before - 1] not in self._before_inner_space:
                breaks.append(position)
            position = text.find("\n", position + 1)
        return breaks

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Name]:
        """Every name in text[start:end], cleaned of leading openers and descriptors."""
        names: list[Name] = []
        stop = len(text) if end is None else end
        extended_to = -1
        for match in self._matches(text, start, stop):
            group = "long" if match.re is self.pattern.compiled and match.group("long") else "short"
            abbreviation = match.group("labbr") if group == "long" else match.group("abbr")
            name = self._clean(
                text, match.start(group), match.end(group), abbreviation, match.end()
            )
            if name is None or name.start < extended_to:
                continue  # the genitive name a head's complements led to: "… обороны России"
            if self._complement_endings:
                last = name.words[-1].casefold()
                if last in self._heads:
                    name = self._with_complements(text, name, stop)
                    extended_to = name.outer_end
                elif (
                    len(name.words) == 1
                    and last.endswith(self._head_adjectives)
                    and last not in self._places
                ):
                    name = self._headed(text, name, stop)
                    extended_to = name.outer_end
            names.append(name)
        return names

    def _headed(self, text: str, name: Name, end: int) -> Name:
        """ "Верховный суд России", "Федеральная служба безопасности", "Český statistický
        úřad": a capitalised adjective (`name_head_adjectives`), lower-case adjectives and a
        lower-case head noun open a body's name, which runs on as after a capitalised head."""
        position = name.end
        for _ in range(3):
            word = _COMPLEMENT_WORD.match(text, position, end)
            if word is None or not word.group(1)[0].islower():
                return name
            folded = word.group(1).casefold()
            position = word.end()
            if folded in self._heads:
                headed = Name(text[name.start : position], name.start, position, None, position)
                return self._with_complements(text, headed, end, lower_head=True)
            if folded in self._complement_stops or not folded.endswith(self._head_adjectives):
                return name
        return name

    def _with_complements(
        self, text: str, name: Name, end: int, *, lower_head: bool = False
    ) -> Name:
        """ "Министерство обороны России", "Міністерство закордонних справ", "Ministerstvo
        zahraničních věcí": a head noun with the lower-case genitive words after it, and the
        capitalised genitive that closes them, is one name. A genitive is known by its
        ending (`name_complement_endings`); the noun after a genitive adjective
        (`name_complement_adjectives`) by its place, whatever its ending ("разработок")."""
        if name.abbreviation is not None or name.outer_end != name.end:
            return name
        position = name.end
        complements = 0
        adjective = False
        while complements < 4:
            word = _COMPLEMENT_WORD.match(text, position, end)
            if word is None:
                break
            folded = word.group(1).casefold()
            if not word.group(1)[0].islower() or folded in self._complement_stops:
                break
            if not (adjective or folded.endswith(self._complement_endings)):
                break
            adjective = folded.endswith(self._complement_adjectives)
            position = word.end()
            complements += 1
        if adjective or (complements == 0 and not lower_head):
            return name  # an adjective ends no name: its noun is missing
        # a head and one genitive noun is how these languages describe a body as well
        # as name it ("ministerstvo zahraničí": the foreign ministry); inside a sentence
        # the head's capital says it is the name, at a sentence's start only a fuller
        # name does (a genitive phrase of two words, or the country closing it)
        described = not lower_head and complements == 1 and _opens_sentence(text, name.start)
        closing = _NEXT_CAPITALISED.match(text, position, end)
        if closing is not None:
            # the capitalised genitive that closes the complements: "России", "ООН"
            after = self._short.match(text, closing.end(), end)
            if after is not None:
                cleaned = self._clean(
                    text, after.start("short"), after.end("short"), after.group("abbr"), after.end()
                )
                if (
                    cleaned is not None
                    and cleaned.start == closing.end()
                    # a country or a body ("России", "ООН"), not a person named after the
                    # body they speak for ("… разработок Сергей Воронин")
                    and (
                        len(cleaned.words) == 1
                        or cleaned.text.casefold() in self._places
                        or cleaned.text.casefold() in self.lexicon.kind_of_ending
                    )
                ):
                    return Name(
                        text[name.start : cleaned.end],
                        name.start,
                        cleaned.end,
                        cleaned.abbreviation,
                        cleaned.outer_end,
                        name.title,
                    )
        if described:
            return name
        return Name(text[name.start : position], name.start, position, None, position, name.title)

    def _clean(
        self, text: str, start: int, end: int, abbreviation: str | None, outer_end: int
    ) -> Name | None:
        # the same names recur through an article: trim each spelling (with the few
        # characters before it, which decide "The" in titles) once
        before = text[max(0, start - 3) : start]
        key = (text[start:end], before)
        if key in self._trims:
            trimmed = self._trims[key]
        else:
            trimmed = self._trims.keep(key, self._trim(before, key[0]))
        if trimmed is None:
            return None
        first, last, possessive_end, title = trimmed
        if possessive_end is not None and abbreviation is None:
            outer_end = min(outer_end, start + possessive_end)
        new_start, new_end = start + first, start + last
        return Name(
            text[new_start:new_end],
            new_start,
            new_end,
            abbreviation,
            max(outer_end, new_end),
            title,
        )

    def prefix_length(self, word: str) -> int:
        """How long a prefix the lexicons list ("l'", "dell'", "لـ") `word` opens with,
        when a name of two letters or more follows it; 0 otherwise."""
        for prefix in self.name_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return len(prefix)
        return 0

    def is_title(self, word: str) -> bool:
        """A person title or kind noun, alone or ending a compound ("Regierungssprecher")."""
        bare = folded(word).rstrip(".")
        if bare in self._title_words or bare in self._plural_titles:
            return True
        if word.endswith(".") and f"{bare}." in self._title_words:
            return True  # an abbreviation the lexicons list with its stop: "prof.", "gen."
        if word.isupper():
            return False  # an acronym names something: "CHEF" is no chef
        return any(
            bare[-length:] in self._title_endings
            for length in self._title_lengths
            if len(bare) > length + 1
        )

    def _title_word(self, word: str) -> bool:
        """A title or kind noun that opens a run of capitalised words and is no part of
        the name after it, its elided article too ("L'imprenditore Franco Zanetti")."""
        cut = self.prefix_length(word)
        bare = word[cut:]
        if cut and bare[:1].islower():
            return True  # "L'agenzia Interfax": an article and a common noun, no name
        folded = bare.casefold()
        return (
            self.is_title(bare)
            and folded not in self.lexicon.kind_of_ending
            and folded not in self._heads
        )

    def _trim(self, before: str, raw: str) -> tuple[int, int, int | None, str | None] | None:
        """(start, end, end without a possessive) of the name within `raw`, or None."""
        text, start = before + raw, len(before)
        end = len(text)
        possessive_end: int | None = None
        # a trailing possessive or a sentence's full stop is not part of the name
        while end > start and text[end - 1] == ".":
            end -= 1
        if _DOTTED_ACRONYM.search(text, start, end + 1):
            end += 1  # "the S.E.C.", "the U.S.": the last stop is the acronym's own
        for ending in self.apostrophe_endings:
            if text[start:end].endswith(ending) and end - len(ending) > start:
                end -= len(ending)
                possessive_end = end - start
                break
        for suffix in ("'s", "’s", "s'", "s’"):
            if text[start:end].endswith(suffix):
                cut = 1 if suffix.startswith("s") else len(suffix)  # "Majors'" keeps its s
                end -= cut
                possessive_end = end - start
        words = list(re.finditer(r"\S+", text[start:end]))
        # drop sentence openers, descriptors ("Wagner-affiliated") and platform words
        # that only qualify the name after them ("Telegram channel GREY ZONE")
        while (
            words
            and not self._titled(text, start + words[0].start(), words)
            and not self._listed_title(words)
            and (
                (
                    self.lexicon.has("not_names", words[0].group())
                    # an acronym is no sentence opener: "UN" is not French "Un"
                    and not (len(words[0].group()) > 1 and words[0].group().isupper())
                )
                or self.is_descriptor(words[0].group())
                or (len(words) > 1 and words[0].group().casefold() in self._platform_words)
                or self._platform_compound(words[0].group())
            )
        ):
            words.pop(0)
        connectors = self._connectors
        while words:
            if words[-1].group() in connectors or self.is_descriptor(words[-1].group()):
                words.pop()
            elif (
                # "the New York Times on Sunday": a weekday or month joined by a
                # connector ends the name before it, and so does the platform a channel
                # is on ("o canal Rybar no Telegram")
                len(words) > 2
                and words[-2].group() in connectors
                and (
                    self.lexicon.has("not_names", words[-1].group())
                    or words[-1].group().casefold() in self._platform_words
                )
            ):
                del words[-2:]
            else:
                break
        while words and words[0].group() in connectors:
            words.pop(0)
        # a title or kind noun before the name is not part of it: "Präsident Emmanuel
        # Macron", "Der Sender RTL"; a capitalised title alone is left to the callers
        # A title joined to the rest by a connector opens the name itself ("Ministry of
        # Defence", "Institute for the Study of War"), and so does a word that ends names
        # ("Daily Mail")
        titles: list[str] = []
        while (
            len(words) > 1
            and words[1].group() not in connectors
            and self._title_word(words[0].group())
        ):
            title = words.pop(0).group()
            titles.append(title[self.prefix_length(title) :])
        head = words[0].group() if words else ""
        cut = self.prefix_length(head)
        if cut and head[cut : cut + 1].islower():
            # "L'homme a déclaré", "L'uomo ha detto": a sentence's capital on an elided
            # article before a common noun opens no name
            words.pop(0)
            head = words[0].group() if words else ""
            cut = self.prefix_length(head)
        if not words:
            return None
        first, last = words[0].start(), words[-1].end() - self._compound_ending(words)
        # an elided article glued to the name: "L'Élysée", "dell'Onu"
        if head[cut : cut + 1].isupper():
            first += cut
        cleaned = text[start + first : start + last].rstrip(_QUOTE_CLOSE)
        if not cleaned:
            return None
        return first, first + len(cleaned), possessive_end, " ".join(titles) or None


def _opens_sentence(text: str, position: int) -> bool:
    """Whether the word at `position` opens a sentence, a line or a quotation, where a
    capital letter tells no name from a common noun."""
    while position > 0 and text[position - 1] in " \t\u00a0":
        position -= 1
    return position == 0 or text[position - 1] in '.!?:;\n"“«„—–-('


def _opens_word(char: str) -> bool:
    return char.isupper() or char == "@"


def guess_kind(name: Name, lexicon: Lexicon, noun: str | None = None) -> tuple[NodeKind, float]:
    """A kind for `name`, from a kind noun beside it if any, else from its shape."""
    # the patterns ask again for the names a text repeats: the answer is the text's alone
    return _kind_of(name.text, name.title, name.abbreviation, lexicon, noun)


@lru_cache(maxsize=8192)
def _kind_of(
    text: str, title: str | None, abbreviation: str | None, lexicon: Lexicon, noun: str | None
) -> tuple[NodeKind, float]:
    if noun:
        kind = lexicon.kind_of_noun.get(noun.casefold())
        if kind == "document":
            # "согласно докладу ООН", "według raportu Amnesty International": a name that
            # says by itself it is a body is the author of the document before it, not
            # its title ("the report The Blood Gold Report" is one)
            own, score = _kind_of(text, title, abbreviation, lexicon, None)
            if own in _AUTHOR_KINDS and score >= 0.6:
                return own, score
        if kind:
            return NodeKind(kind), 0.9
    if text.startswith("@"):
        return NodeKind.CHANNEL, 0.8
    if title:
        last_title = title.split()[-1].casefold().rstrip(".")
        title_kind = lexicon.kind_of_noun.get(last_title) or _compound_kind(last_title, lexicon)
        if title_kind:
            return NodeKind(title_kind), 0.85
        return NodeKind.PERSON, 0.8  # a compound title: "Regierungssprecher"
    words = text.split()
    if abbreviation and _PARTY_TAG.fullmatch(abbreviation):
        return NodeKind.PERSON, 0.8  # "Dana Pike (D-Ore.)": a legislator's party and state
    last = words[-1].casefold()
    ending = lexicon.kind_of_ending.get(last) or lexicon.kind_of_ending.get(text.casefold())
    if ending:
        return NodeKind(ending), 0.85
    # "Dowództwo Operacyjne", "Министерство обороны": a body's head noun opens its name
    if len(words) > 1 and words[0].casefold() in lexicon.lowered.get("name_heads", ()):
        return NodeKind.ORGANIZATION, 0.8
    # "Corriere della Sera", "Kommersant Daily": an outlet word anywhere in the name
    if any(lexicon.kind_of_ending.get(word.casefold()) == "outlet" for word in words):
        return NodeKind.OUTLET, 0.75
    if abbreviation and len(words) >= 3:
        return NodeKind.ORGANIZATION, 0.75
    if len(words) == 1 and _HOST_NAME.fullmatch(text):
        return NodeKind.OUTLET, 0.7  # "echo24.cz", "Lenta.ru": a site named by its host
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return NodeKind.ORGANIZATION, 0.6
    # "Deutschen Presseagentur", "Statistischen Bundesamts": a name opened by an inflected
    # adjective is a body's; no given name ends as one does
    if len(words) > 1 and words[0].casefold().endswith(_body_adjective_endings(lexicon)):
        return NodeKind.ORGANIZATION, 0.6
    # initials ("James B. Comey") are part of a person's name
    full = [w for w in words if not _INITIALS.fullmatch(w)]
    if 2 <= len(words) <= 4 and full and all(w[0].isupper() and not w.isupper() for w in full):
        return NodeKind.PERSON, 0.7
    if _particle_name(words, lexicon):
        return NodeKind.PERSON, 0.7
    return NodeKind.ORGANIZATION, 0.5


#: the kinds a compound's last noun gives the whole ("US-Magazin", "Autokonzern"); not a
#: channel's ("Arbeitsgruppe", "Rebellengruppe" are no chat groups) nor a person's
COMPOUND_KINDS = frozenset({"outlet", "organization", "document"})
#: the shortest kind noun a compound is read by: shorter ones end titles of people too
#: ("Stadtrat", "Landrat" end in "Rat")
_COMPOUND_NOUN_LENGTH = 5


def _compound_kind(title: str, lexicon: Lexicon) -> str | None:
    """The kind of a compound title that ends in a kind noun, as German writes them: "das
    US-Magazin X", "der Autokonzern X", "der Privatsender X" name an outlet or a body, not
    a person with a title. A person's title the lexicons list is a person's ("Landrat")."""
    if title in lexicon.lowered.get("person_titles", frozenset()):
        return None
    head, _, tail = title.rpartition("-")
    if head and tail:
        kind = lexicon.kind_of_noun.get(tail)
        return kind if kind in COMPOUND_KINDS else None
    for start in range(1, len(title) - _COMPOUND_NOUN_LENGTH + 1):
        kind = lexicon.kind_of_noun.get(title[start:])
        if kind is not None:
            return kind if kind in COMPOUND_KINDS else None
    return None


#: the kinds of name that write documents: a body, not a person, whose name's shape cannot
#: tell it from a title's ("the book Fire and Fury")
_AUTHOR_KINDS = frozenset({NodeKind.ORGANIZATION, NodeKind.OUTLET})


@cache
def _body_adjective_endings(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(ending.casefold() for ending in lexicon.list("body_adjective_endings"))


def _particle_name(words: list[str], lexicon: Lexicon) -> bool:
    """ "Maria da Graça Tavares", "Ursula von der Leyen", "Lula da Silva": a person's name
    with the particles the lexicons list (`name_particles`) between its capitalised words,
    three of them or two around particles of several words, none a word that names a kind
    of body or a place ("Ordem dos Advogados do Brasil", "Corpo de Bombeiros")."""
    particles = lexicon.lowered.get("name_particles", frozenset())
    inner = [i for i, w in enumerate(words) if w in particles]
    if not inner or inner[0] == 0 or inner[-1] == len(words) - 1:
        return False
    capitalised = [w for w in words if w not in particles]
    if not 2 <= len(capitalised) <= 5 or (len(capitalised) == 2 and len(inner) < 2):
        return False
    places = lexicon.lowered.get("places", frozenset())
    return all(
        w[:1].isupper()
        and not w.isupper()
        and w.casefold() not in lexicon.kind_of_noun
        and w.casefold() not in lexicon.kind_of_ending
        and w.casefold() not in places
        and not lexicon.has("person_titles", w)
        for w in capitalised
    )
