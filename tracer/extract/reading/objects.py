"""The source a cue names after itself or right before it as its object.

"according to the Larch Institute", "told Reuters", "citing the Telegram channel GREY ZONE",
"the magazine Der Spiegel reported", "laut Angaben des Ministeriums", and the postpositions
that follow their object ("der „Welt“ zufolge").
"""

from __future__ import annotations

import re

from tracer.extract.cuepatterns import (
    DETERMINER_WORDS,
    LOWER,
    LOWER_WORD,
)
from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.judgement import (
    CLAUSE_END,
    QUOTED_BEFORE,
    QUOTED_NAME,
    WORD_RUN,
    shortened,
)
from tracer.extract.reading.uncased import UncasedReading, uncased_at
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind

#: a lower-case word right after a name: the genitive noun of a title's complement
_LOWER_WORD_AFTER = re.compile(rf"[ \t]+{LOWER_WORD}(?![\w-])")
#: the word right after a name
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")

#: a lower-case word that may be an outlet's whole name: "dpa", "taz", "n-tv"
_LOWER_NAME = re.compile(rf"{LOWER}[\w-]{{1,11}}(?![\w-])")

#: vowels of the languages that write case endings onto names (Finnish)
_VOWELS = "aeiouyäöå"
# reported speech closed right before the verb (a word or two of it): a closing quotation
# mark or a dash, then the verb ("», disse", "” — рассказал", "– mówi", "'', zegt")
_AFTER_SPEECH = re.compile(
    r"(?:[”\"»“]|''|[—–])[ \t]*,?[ \t]*[—–]?[ \t]*(?:\S+[ \t]+){0,2}\S+[ \t]*$"
)
# the words of a description before a person's name: "el agricultor", "местный житель"
_DESCRIPTION_WORD = re.compile(r"[^\W\d_][\w-]*")


def _rest_of(names: list[Name], position: int) -> Name | None:
    """The part from `position` on of the name that runs across it, if any."""
    run = next((n for n in names if n.start < position < n.end), None)
    if run is None or not run.text[position - run.start : position - run.start + 1].isupper():
        return None
    return Name(run.text[position - run.start :], position, run.end, None, run.outer_end)


class ObjectReading(UncasedReading):
    """Reads the name a cue takes as its object, after it or (postpositions) before it."""

    def _described_apposition(
        self, text: str, position: int, names: list[Name], sentence: Sentence
    ) -> Name | None:
        """ "según la compañía ferroviaria, Renfe, se cancelaron", "volgens het Belgische
        spoorbedrijf, NMBS, vielen": a description that holds a kind noun or a title, a
        comma, and the name it describes, closed as an apposition. A description of a
        document or of anonymous sources names no body ("según el informe, Renfe ...")."""
        described = self.description_then_comma.match(text, position, sentence.end)
        if described is None:
            return None
        words = described.group("desc").split()
        if not any(self.names.is_title(word) for word in words) or any(
            self.lexicon.kind_of_noun.get(word.casefold()) == "document"
            or self.lexicon.has("anonymous", word)
            for word in words
        ):
            return None
        name = next((n for n in names if n.start == described.end()), None)
        if name is None or not self.apposition_closes.match(text, name.outer_end, sentence.end):
            return None
        return name

    def _object_after(
        self,
        text: str,
        position: int,
        names: list[Name],
        sentence: Sentence,
        extractor: str,
        lead: bool = True,
        inverted: bool = False,
        vias: dict[int, re.Match[str]] | None = None,
    ) -> _Found | None:
        noun: str | None = None
        platform: str | None = None
        descriptors: list[str] = []
        title_first = False
        if inverted and uncased_at(text, position):
            # "وقال من جهته المتحدث باسم ...": adverbs skipped, the titles are read with
            # the name (`_uncased_lead`), a spokesperson's with the body after it
            skipped = self.between_after.match(text, position, sentence.end)
            return self._uncased_after(
                text, skipped.end() if skipped else position, sentence, extractor
            )
        verb_end = position
        if inverted:
            # "poinformował w czwartek Piotr Kołodziej", "δήλωσε ο Πρόεδρος Ομπάμα"
            skipped = self.after_verb.match(text, position, sentence.end)
            if skipped:
                # "powiedział rzecznik MON ppłk X": a title that governs the body after it
                title_first = bool(self.title_before.search(text, position, skipped.end() + 1))
                # the lead reads a last article itself, with the adjectives and the kind
                # noun after it: "meldete die staatliche Nachrichtenagentur Tass"
                article = text.rfind(" ", position, skipped.end()) + 1
                word = text[article : skipped.end()]
                position = skipped.end()
                lead_from = None
                if article > 0 and word[:1].islower() and self.lexicon.has("determiners", word):
                    lead_from = article
            past = self._past_medium(text, position, names, sentence, vias)
            if past is not None:
                # "Uvedl to pro agenturu Reuters mluvčí policie X": the medium's phrase
                # stands between the verb and its subject
                position = past
                skipped = self.after_verb.match(text, position, sentence.end)
                if skipped:
                    title_first = bool(self.title_before.search(text, position, skipped.end() + 1))
                    position = skipped.end()
            titled_person = self._titled_subject(
                text, position, names, sentence, extractor, title_first
            )
            if titled_person is not None and not self._person_after_title_comma(
                text, verb_end, titled_person.name, names, sentence
            ):
                return titled_person

            if title_first:
                position = self._past_complement(text, position, names, sentence.end)
            if past is None and skipped and lead_from is not None:
                position = lead_from
        cursor = position
        if uncased_at(text, position):
            return self._uncased_after(text, position, sentence, extractor)
        noun_start = -1
        noun_article = False
        noun_end = -1
        if lead:
            match = self.lead.match(text, position, sentence.end)
            if match:
                noun, platform = self._lead_kind(match)
                descriptors = self._descriptors(match.group("desc") or "")
                cursor = match.end()
                if noun and not platform and noun[:1].isupper():
                    noun_start = match.start("noun3")
                # "σε κυριακάτικη εφημερίδα ο X": an article after the kind noun
                noun_article = bool(
                    match.group("noun3") and text[match.end("noun3") : cursor].strip()
                )
                if noun_article:
                    noun_end = match.end("noun3")
        while cursor < sentence.end and text[cursor] in " \t":
            cursor += 1
        name = next((n for n in names if n.start == cursor), None)
        if name is None and inverted and cursor > position:
            # "diye konuştu Dışişleri Sözcüsü Öncü Keçeli": the title words the verb's
            # gap skipped opened the capitalised run; the name is the rest of it
            name = _rest_of(names, cursor)
            opening = text[max(sentence.start, cursor - 40) : cursor].split()
            if name is not None and not (opening and self.names.is_title(opening[-1])):
                name = None  # "betonte der Vorsitzende der Jüdischen Gemeinde": no title
        if name is None and inverted and cursor > verb_end:
            # "zei De Vries", "meldt Het Parool": a capitalised article the verb's gap
            # skipped opens the name (a Dutch surname, a newspaper's title)
            name = next(
                (
                    n
                    for n in names
                    if verb_end < n.start < cursor < n.end
                    and text[n.start].isupper()
                    and (
                        self.lexicon.has("determiners", n.words[0])
                        or self.lexicon.has("name_particles", n.words[0])
                    )
                ),
                None,
            )
        if name is None:
            # "laut dpa", "meldete die Nachrichtenagentur dpa": outlets that write their name
            # in lower case ("dpa", "taz", "epd"), which the name finder cannot see
            name = self._lower_case_name_at(text, cursor, sentence.end)
        if name is None:
            # "laut Präsident Macron", "nach Angaben von Außenministerin X": the name finder
            # cut the capitalised title off the name; it is the person's own
            name = next((n for n in names if n.title and self._titled_at(text, cursor, n)), None)
        if name is None:
            # "Laut „Bild“", "Как пишет «Коммерсантъ»": a short title in quotation marks
            quoted = QUOTED_NAME.match(text, cursor, sentence.end)
            if quoted and self._short_title(quoted.group("name")):
                inner = quoted.group("name")
                name = Name(inner, quoted.start("name"), quoted.end("name"), None, quoted.end())
        if name is None and title_first:
            # "adiantou o secretário de Estado Nuno Pires": the title's capitalised
            # complement ran into the name, which starts where the skipped title ended
            whole = next((n for n in names if n.start < cursor < n.end), None)
            if whole is not None and len(text[cursor : whole.end].split()) >= 2:
                name = Name(
                    text[cursor : whole.end], cursor, whole.end, whole.abbreviation, whole.outer_end
                )
        titled_body: Name | None = None
        if name is None or title_first or inverted:
            # "a déclaré le porte-parole du gouvernement, Olivier Ferrand": a title with
            # its complement, then a comma, then the name
            # (from the verb: the words skipped after it may have held the title; a
            # capitalised complement is the body, not the speaker: "ha explicado la
            # portavoz del Gobierno, Pilar Alegría")
            titled = (
                self.title_then_comma.match(text, verb_end, sentence.end)
                or self.title_then_comma.match(text, position, sentence.end)
                # "τονίζει σε κυριακάτικη εφημερίδα ο Υπουργός Οικονομικών, Γιάννης
                # Στουρνάρας": after an unnamed medium, the article opens the speaker's title
                or (noun_end >= 0 and self.title_then_comma.match(text, noun_end, sentence.end))
            )
            after_comma = (
                next((n for n in names if n.start == titled.end()), None) if titled else None
            )
            if after_comma is not None and not CLAUSE_END.match(
                text, after_comma.outer_end, sentence.end
            ):
                # "said the head of Thales, Airbus and Safran": a list, not a person
                after_comma = None
            if (
                titled
                and after_comma is not None
                and not (name is None or title_first)
                and not (
                    # "δήλωσε ο εκπρόσωπος του Κρεμλίνου, Ντμίτρι Πεσκόφ": the name read
                    # after the verb was the title's complement (a genitive article the
                    # verb's gap skipped), and a person named in full closes the clause
                    titled.end("title") < name.start < titled.end()
                    and self._full_person(after_comma)
                )
            ):
                titled = None
            if titled and after_comma is not None:
                name = after_comma
                noun = titled.group("title")
                titled_body = next(
                    (n for n in names if titled.end("title") < n.start < titled.end()), None
                )
            elif inverted and (name is None or self._nameless_kinds(name.text)[0]):
                # (a nationality read as the name opens the description: "zegt de
                # Belgische boer Wim Claes")
                name = self._described_person(text, verb_end, names, sentence) or name
        if name is None and cursor != position:
            # the "kind noun" was the name's own first word: "według Agencji Reuters"
            bare = position + len(text[position:cursor]) - len(text[position:cursor].lstrip())
            name = next((n for n in names if n.start == bare), None)
            if name is None and noun_start >= 0:
                # "according to the Bureau of Labor Statistics": a capitalised kind noun
                # after its article opens the body's own name; the noun alone
                # ("the Commission") is no more than a description
                name = next((n for n in names if n.start == noun_start and n.end > cursor), None)
                if name is not None and self._noun_in_apposition(text, position, noun_start, name):
                    name = self._name_from(text, cursor, name)
                    if name is not None:
                        return self._with_lead(name, noun, platform, sentence, extractor, 0.85)
            noun = platform = None
            descriptors = []
        if name is None and extractor == "prose-citing":
            # "citant le porte-parole X", "citando il portavoce X": a role before the name
            words = self.phrase_before_name.match(text, cursor, sentence.end)
            if words and self.title_before.search(text, cursor, words.end()):
                name = next((n for n in names if n.start == words.end()), None)
            if name is None:
                # "приводит слова главы региона X", "cytuje rzecznika policji X": the
                # title's complement in the genitive stands between it and the person
                titled_person = self._titled_subject(
                    text, cursor, names, sentence, extractor, False
                )
                if titled_person is not None:
                    return titled_person
        if name is None and extractor == "prose-according":
            # "according to a new poll by Gallup", "according to data from the Pentagon":
            # the source is named inside the noun phrase, after a few lower-case words
            words = self.phrase_before_name.match(text, cursor, sentence.end)
            # a German article before a capitalised word makes it a common noun, and so
            # does an inflected adjective alone: "laut eigener Aussage", "nach neuesten Zahlen"
            if words and not self.noun_article.search(text, cursor, words.end()):
                name = next((n for n in names if n.start == words.end()), None)
                if (
                    name is not None
                    and len(name.words) == 1
                    and not name.text.isupper()
                    and "-" not in name.text  # "laut neuer Forsa-Umfrage": a name in it
                    and name.text.casefold() not in self.lexicon.kind_of_ending
                    # (right after the cue: "le quotidien suisse Blick" is a name)
                    and not text[position:cursor].strip()
                    and self.bare_adjectives.fullmatch(text, cursor, words.end())
                ):
                    name = None
        if name is None and extractor == "prose-according":
            name, noun = self._described_apposition(text, position, names, sentence), None
        if name is None and extractor == "prose-via":
            # "μιλώντας στο αμερικανικό τηλεοπτικό δίκτυο PBS", "v rozhovoru pro americkou
            # televizi CNN": adjectives before the kind noun that leads to the medium
            described = self.adjectives_kind.match(text, cursor, sentence.end)
            if described:
                name = next((n for n in names if n.start == described.end()), None)
                if name is not None:
                    noun, platform = described.group("noun"), None
        if name is None and extractor == "prose-verb":
            # "a indiqué le porte-parole du Kremlin.", "said a spokesman for the Kremlin.":
            # no person named, the body the title serves speaks
            served = self._body_of_title_after(text, verb_end, names, sentence)
            return None if served is None else self._guessed(served, sentence, extractor, 0.8)
        if name is None:
            return None
        if extractor == "prose-according":
            # "laut Berechnungen der EU-Kommission": the findings' author is the source
            name = self._after_document_noun(text, name)
        if (
            inverted
            and noun is None
            and len(name.words) == 1
            and self.oblique_article.search(text, max(sentence.start, name.start - 12), name.start)
        ):
            return None  # "postete den Link zu ...": the verb's object, not its subject
        body: Name | None = None
        person = (
            self._person_after_role(text, name, names, sentence.end)
            if lead and not title_first
            else None
        )
        if (
            person is not None
            and extractor == "prose-via"
            and self._verb_next(text, person.outer_end, sentence.end)
        ):
            # "W rozmowie z RMF FM minister X przyznał", "В интервью РБК министр X заявил":
            # the medium's phrase ends at the outlet; the person is the verb's subject
            person = None
        if title_first:
            # "сообщил губернатор Белгородской области X", "повідомив речник Повітряних сил
            # X": the title's genitive complement opens with a capitalised adjective that the
            # name pattern read alone; the person follows it
            named = self._past_complement_adjective(text, name, names, sentence.end)
            if named is None:
                return None  # "сообщил губернатор Тверской области": no person named
            name = named
        if person is not None:
            # "said Virginia delegate Beau Correll", "according to Pentagon spokesman John
            # Kirby", "said Democratic Rep. Dina Titus": the person after the role speaks
            if not self._anonymous(name) and not self._is_place_or_people(name):
                body = name
            name = person
        if noun_article and guess_kind(name, self.lexicon)[0] == NodeKind.PERSON:
            # "τόνισε σε κυριακάτικη εφημερίδα ο Γιάννης Στουρνάρας": the article opens the
            # person's own phrase, and the paper is unnamed ("dal quotidiano la Repubblica":
            # a title's own article, before a name no person's)
            if extractor == "prose-via":
                return None
            noun = None
        if self._anonymous(name) and not self._body_noun(noun):
            return None
        after = text[name.outer_end : name.outer_end + 60]
        if self.anonymous_after.match(after):
            return None  # "a Kyiv Post source", "RT's sources"
        possessive = self.possessive_after.match(after)
        if possessive and not noun:
            noun = possessive.group("noun")
            platform = platform or self._platform(possessive.group("platform"))
        found = self._with_lead(name, noun, platform, sentence, extractor, 0.85)
        found.descriptors = descriptors
        found.direct = inverted  # "заявила Россия": the bare subject, after its verb
        if title_first and person is None and self._titled_person(text, position, name):
            found.kind = NodeKind.PERSON  # "liet minister-president Jambon weten"
        if person is not None:
            found.kind = NodeKind.PERSON
            if body is not None and not text.startswith(".", body.end):
                found.affiliation, found.affiliation_name = _full(body), body
        elif title_first and self._body_prefix(name) is not None:
            # "сообщил глава МИД России Сергей Лавров": the title names the person that ends
            # the run; the body before is split off it (`_split_body_prefix`)
            found.kind = NodeKind.PERSON
        if person is None and titled_body is not None and not self._is_place_or_people(titled_body):
            # "ha dicho el portavoz del PSOE, Patxi López": the body the title names
            found.kind = NodeKind.PERSON
            found.affiliation, found.affiliation_name = _full(titled_body), titled_body
        return found

    def _past_complement_adjective(
        self, text: str, name: Name, names: list[Name], end: int
    ) -> Name | None:
        """`name` after a title, or the person after it when it is the capitalised
        adjective that opens the title's complement; None when that adjective names no
        person after it."""
        person = self._person_after_adjective(text, name, names, end)
        if person is None and self._complement_adjective(text, name):
            return None
        return person or name

    def _person_after_adjective(
        self, text: str, name: Name, names: list[Name], end: int
    ) -> Name | None:
        """The person after a title's complement that a capitalised adjective opens and
        lower-case words end ("Белгородской области", "Повітряних сил", "Generálního štábu",
        which the name pattern may have read with it); else None."""
        first = name.words[0]
        if len(name.words) > 3 or first.isupper():
            return None
        if not first.casefold().endswith(self.head_adjectives):
            return None
        following = next((n for n in names if name.outer_end < n.start < end), None)
        if following is None or len(following.words) < 2:
            return None
        gap = self.title_complement.fullmatch(text, name.outer_end, following.start)
        if gap is None or (len(name.words) == 1 and not gap.group().strip()):
            return None  # (a name of several words holds its complement already)
        if any(word.casefold() in self.cue_words for word in gap.group().split()):
            return None  # "Московский суд сообщил X": a verb ends the phrase
        return following

    def _verb_next(self, text: str, position: int, end: int) -> bool:
        """Whether the word after `position` is a speech verb."""
        word = _WORD_AFTER.match(text, position, end)
        return word is not None and word.group(1).casefold() in self.plain_verbs

    def _complement_adjective(self, text: str, name: Name) -> bool:
        """A lone capitalised adjective that opens a title's lower-case genitive complement
        ("Тверской| области", "Повітряних| сил"): no name of its own."""
        return (
            len(name.words) == 1
            and not name.text.isupper()
            and name.text.casefold().endswith(self.head_adjectives)
            and _LOWER_WORD_AFTER.match(text, name.outer_end) is not None
        )

    def _noun_in_apposition(self, text: str, position: int, noun_start: int, name: Name) -> bool:
        """ "laut dem Portal Statista", "nach Angaben der Agentur Interfax": a German noun
        article makes the capitalised kind noun a common noun that describes the name after
        it; with a connector after the noun it opens the name ("dem Institut für Arbeit")."""
        words = name.words
        return (
            len(words) >= 2
            and not self.lexicon.has("connectors", words[1])
            and bool(self.noun_article.search(text, position, noun_start))
        )

    def _lower_case_name_at(self, text: str, position: int, end: int) -> Name | None:
        """A name written in lower case at `position`, as `lower_case_names` lists it
        ("dpa", "taz", "epd", "ntv")."""
        word = _LOWER_NAME.match(text, position, end)
        if word is None or word.group() not in self.lower_case_names:
            return None
        return Name(word.group(), word.start(), word.end(), None, word.end())

    def _lower_case_names(self, text: str, low: int, high: int) -> list[Name]:
        """Every name in text[low:high] that `lower_case_names` lists, which the name
        finder, reading capitals, never finds ("Wie die dpa meldete")."""
        if not self.lower_case_names:
            return []
        return [
            name
            for word in _LOWER_NAME.finditer(text, low, high)
            if not text[word.start() - 1 : word.start()].isalnum()
            and (name := self._lower_case_name_at(text, word.start(), high)) is not None
        ]

    @staticmethod
    def _titled_at(text: str, position: int, name: Name) -> bool:
        """Whether `name`'s title, which the name finder cut off it, opens at `position`."""
        title = name.title or ""
        return (
            position < name.start <= position + len(title) + 8
            and text[position : name.start].split() == title.split()
        )

    def _name_from(self, text: str, start: int, name: Name) -> Name | None:
        """The name inside `name` that opens at `start`, read again from there."""
        return next(
            (n for n in self.names.find(text, start, name.outer_end) if n.start == start), None
        )

    def _past_medium(
        self,
        text: str,
        position: int,
        names: list[Name],
        sentence: Sentence,
        vias: dict[int, re.Match[str]] | None,
    ) -> int | None:
        """Where the medium a via phrase at `position` names ends ("pro agenturu Reuters",
        "w rozmowie z RMF FM"), or None when no via phrase and name stand there."""
        if not vias:
            return None
        start = position
        while start < sentence.end and text[start] in " \t":
            start += 1
        cue = vias.get(start)
        if cue is None:
            return None
        lead = self.lead.match(text, cue.end(), sentence.end)
        cursor = lead.end() if lead else cue.end()
        while cursor < sentence.end and text[cursor] in " \t":
            cursor += 1
        medium = next((n for n in names if n.start == cursor), None)
        if medium is None:
            # "в эфире телеканала «Россия-1»": a medium's title in quotation marks
            quoted = QUOTED_NAME.match(text, cursor, sentence.end)
            return quoted.end() if quoted and self._short_title(quoted.group("name")) else None
        return medium.outer_end

    def _titled_subject(
        self,
        text: str,
        position: int,
        names: list[Name],
        sentence: Sentence,
        extractor: str,
        title_first: bool,
    ) -> _Found | None:
        """The person after an inverted verb whose title is apart from the name: adjectives
        before it, or its complement in the genitive after it ("řekl ve čtvrtek ministr
        vnitra Pavel Horák", "napsal opoziční poslanec Jiří Bureš", "uvedla mluvčí
        ministerstva Lucie Vlková"). A title is needed, before `position` or in the gap."""
        name = next((n for n in names if position <= n.start), None)
        if name is None or name.start - position > 80:
            return None
        gap = self.role_complement.fullmatch(text, position, name.start)
        if gap is None:
            return None
        complement = gap.group("complement").split()
        if gap.group("title") and any(
            # "wrote of Ms. Merkel": a preposition before the title opens the verb's object
            # (a connector that is no article: articles are not_names too, "the Rev.")
            self.lexicon.has("connectors", word) and not self.lexicon.has("not_names", word)
            for word in text[gap.start() : gap.start("title")].split()
        ):
            return None
        if not (title_first or gap.group("title")):
            if not complement or not all(
                self.lexicon.has("role_qualifiers", word) for word in complement
            ):
                return None
            return self._capitalised_title(text, name, names, sentence, extractor)
        if any(
            # "řekl premiér v Bruselu", "informó el secretario de Programación": a
            # preposition opens a place or the body's own name, not a bare genitive
            self._ends_lead(word)
            for word in complement
        ):
            person = self._person_after_place(text, name, names, sentence, complement)
            if person is None:
                return None
            return _Found(person, NodeKind.PERSON, 0.85, sentence, extractor)
        # "повідомив речник [Повітряних] сил X": the complement's adjective, not the person
        named = self._past_complement_adjective(text, name, names, sentence.end)
        if named is None:
            return None  # "сообщил губернатор Тверской области": no person named
        name = named
        if self._anonymous(name) or self._is_place_or_people(name):
            return None
        kind, score = guess_kind(name, self.lexicon)
        if kind != NodeKind.PERSON and score >= 0.6:
            return None  # "uvedl mluvčí NATO": the title's body, with no person named
        return _Found(name, NodeKind.PERSON, 0.85, sentence, extractor)

    def _person_after_title_comma(
        self, text: str, position: int, name: Name, names: list[Name], sentence: Sentence
    ) -> bool:
        """Whether `name` is inside a title's complement that a comma and a person named
        in full close: "δήλωσε ο υπουργός Αγροτικής Ανάπτυξης και Τροφίμων, Νίκος
        Σταμάτης" (the capitalised portfolio is no person)."""
        titled = self.title_then_comma.match(text, position, sentence.end)
        if titled is None or not titled.end("title") < name.start < titled.end():
            return False
        person = next((n for n in names if n.start == titled.end()), None)
        return (
            person is not None
            and self._full_person(person)
            and CLAUSE_END.match(text, person.outer_end, sentence.end) is not None
        )

    def _body_of_title_after(
        self, text: str, position: int, names: list[Name], sentence: Sentence
    ) -> Name | None:
        """The body a title after a verb serves, named after an affiliation word and closing
        the clause, when no person is named: "a indiqué le porte-parole du Kremlin", "said a
        spokeswoman for Siemens", "disse um porta-voz da Petrobras"."""
        titled = self.title_after_verb.match(text, position, sentence.end)
        if titled is None or self.lexicon.has("title_parts", titled.group("title")):
            return None  # ("shared by a majority of the Senate Democratic Caucus": a share)
        body = next((n for n in names if n.start >= titled.end()), None)
        if body is None or body.start - titled.end() > 30:
            return None
        link = self.affiliation_word.search(text, titled.end(), body.start)
        if link is None or text[titled.end() : link.start()].strip():
            return None
        if not CLAUSE_END.match(text, body.outer_end, sentence.end):
            return None
        if self._anonymous(body) or self._is_place_or_people(body):
            return None
        return body

    def _person_after_place(
        self, text: str, place: Name, names: list[Name], sentence: Sentence, complement: list[str]
    ) -> Name | None:
        """ "каже курдський активіст із Кельна X", "mówi ekonomista z Krakowa X": after a
        title, a preposition and a place (where the person comes from), the person named in
        full who closes the clause."""
        if not complement or not self._ends_lead(complement[-1]):
            return None
        if any(self._ends_lead(word) for word in complement[:-1]):
            return None
        words = list(WORD_RUN.finditer(place.text))
        if len(words) == 3:
            # ("z Krakowa Jan Nowak": the place's one word ran into the person's name)
            start = place.start + words[1].start()
            person: Name | None = Name(
                text[start : place.end], start, place.end, None, place.outer_end
            )
        elif not self._is_place_or_people(place):
            return None
        else:
            person = next((n for n in names if n.start > place.outer_end), None)
            if person is not None and text[place.outer_end : person.start] != " ":
                person = None
        if (
            person is None
            or not self._full_person(person)
            or not CLAUSE_END.match(text, person.outer_end, sentence.end)
        ):
            return None
        return person

    def _described_person(
        self, text: str, position: int, names: list[Name], sentence: Sentence
    ) -> Name | None:
        """ "said one voter, Jane Doe.", "said another Twitter user, Marta Holm.": after an
        inverted verb, an indefinite description and a comma, the person it describes,
        whose name ends the clause."""
        described = self.description_then_comma.match(text, position, sentence.end)
        if described is None:
            return self._common_noun_person(text, position, names, sentence)
        words = described.group("desc").split()
        if not self.lexicon.has("indefinite", words[0]) or not words[-1][:1].islower():
            return None
        person = next((n for n in names if n.start == described.end()), None)
        if (
            person is None
            or not CLAUSE_END.match(text, person.outer_end, sentence.end)
            or not self._full_person(person)
        ):
            return None
        return person

    def _common_noun_person(
        self, text: str, position: int, names: list[Name], sentence: Sentence
    ) -> Name | None:
        """ "», dijo el agricultor Pedro Campos.", "”, zegt de Belgische boer Jan Peeters.":
        after reported speech and its verb, an article and a common noun (adjectives, a
        nationality) that is no title, then the person it describes, named in full at the
        clause's end."""
        if not _AFTER_SPEECH.search(text, sentence.start, position):
            return None
        person = next(
            (
                n
                for n in names
                if position < n.start
                and n.start - position <= 40
                and not self._nameless_kinds(n.text)[0]
            ),
            None,
        )
        if (
            person is None
            or not CLAUSE_END.match(text, person.outer_end, sentence.end)
            or not self._full_person(person)
        ):
            return None
        gap = text[position : person.start]
        words = gap.split()
        if not 1 <= len(words) <= 3 or not all(_DESCRIPTION_WORD.fullmatch(w) for w in words):
            return None
        # the article proves the noun the subject: in a language without one, the noun may
        # be the verb's object and the name its genitive ("skomentował decyzję Jana X")
        if not (self.lexicon.has("determiners", words[0]) and words[0][:1].islower()):
            return None
        words = words[1:]
        if not words or not words[-1][:1].islower():
            return None
        for word in words:
            if word[:1].isupper() and not self.lexicon.has("demonyms", word):
                return None
            if word[:1].islower() and (
                self._ends_lead(word) or self.lexicon.has("determiners", word)
            ):
                return None
        return person

    def _ends_lead(self, word: str) -> bool:
        """Whether a lower-case word between a verb and a name ends the phrase that leads
        to the name: a preposition, a connector, an adverb of the verb's."""
        return (
            self.lexicon.has("not_names", word)
            or self.lexicon.has("connectors", word)
            or word.casefold() in self.between_words
        )

    def _capitalised_title(
        self, text: str, name: Name, names: list[Name], sentence: Sentence, extractor: str
    ) -> _Found | None:
        """The person after an inverted verb and a lower-case word or two, whose title
        English writes capitalised in the run of the name: "said former New York Mayor
        Rudy Giuliani", "said former Secretary of State X" (the run whole: the title and
        the body are cut off it later, `_split_title`), "said former South Carolina Gov.
        Jim Hodges" (the title's stop ended the run: the person is the next one), "said
        former Obama adviser X" (a body and its lower-case role before the person)."""
        words = list(WORD_RUN.finditer(name.text))
        titles = self._title_indices(name.text, words)
        body: Name | None = None
        if titles and 2 <= len(words) - titles[-1] - 1 <= 4:
            person: Name | None = name
        elif len(words) >= 2 and self.names.is_title(
            words[-1].group() + ("." if text.startswith(".", name.end) else "")
        ):
            person = self._person_after_role(text, name, names, sentence.end)
        else:
            # "said former Obama adviser David Axelrod": the body, its role in lower case,
            # then the person, who speaks for the body
            person = self._person_after_role(text, name, names, sentence.end)
            if not (self._anonymous(name) or self._is_place_or_people(name)):
                body = name
        if person is None or self._anonymous(person) or self._is_place_or_people(person):
            return None
        found = _Found(person, NodeKind.PERSON, 0.85, sentence, extractor)
        if body is not None:
            found.affiliation, found.affiliation_name = _full(body), body
        return found

    def _past_complement(self, text: str, position: int, names: list[Name], end: int) -> int:
        """Past a title's complement in the genitive, lower-case words before the person the
        title names ("глава региона Андрей Клочков", "речниця обласної поліції Юлія
        Гнатенко"); `position` when no person's name follows a few such words."""
        name = next((n for n in names if position < n.start < end), None)
        if name is None or not self.title_complement.fullmatch(text, position, name.start):
            return position
        words = text[position : name.start].split()
        if any(w.casefold() in self.cue_words or w.casefold() in self.between_words for w in words):
            return position  # "сообщил министр в интервью Reuters": a cue, not a complement
        lx = self.lexicon
        if any(
            lx.has("determiners", w) or lx.has("connectors", w) or w in DETERMINER_WORDS
            for w in words
        ):
            # "disse o comissário para os Assuntos Sociais, X": a genitive an article or a
            # preposition marks is the title's portfolio, capitalised like a name
            return position
        if guess_kind(name, self.lexicon)[0] != NodeKind.PERSON and self._body_prefix(name) is None:
            return position  # "глава правительства Москвы": the title's body, not a person
        return name.start

    def _titled_person(self, text: str, position: int, name: Name) -> bool:
        """Whether the title the verb's skipped words end with stands right before `name`
        and `name` looks like no body's ("zei minister-president Jambon", not "rzecznik
        MON")."""
        return (
            not text[position : name.start].strip()
            and not name.text.isupper()
            and guess_kind(name, self.lexicon)[0] in {NodeKind.PERSON, NodeKind.ORGANIZATION}
            and name.words[-1].casefold() not in self.lexicon.kind_of_ending
        )

    def _after_document_noun(self, text: str, name: Name) -> Name:
        """ "einem Bericht der Welt zufolge", "laut Berechnungen der EU-Kommission": a document noun and an article that the name
        finder joined to the name as connectors ("Bericht der Welt") describe the name after
        them."""
        words = name.words
        if (
            len(words) < 3
            or self.lexicon.kind_of_noun.get(words[0].casefold()) != "document"
            or not self.lexicon.has("determiners", words[1])
        ):
            return name
        article = text.find(" " + words[1] + " ", name.start, name.end)
        if article < 0:
            return name
        return self._name_from(text, article + len(words[1]) + 2, name) or name

    def _object_before(
        self,
        text: str,
        position: int,
        names: list[Name],
        sentence: Sentence,
        cue: str = "",
        extractor: str = "prose-according",
    ) -> _Found | None:
        """The source before a postposition: "Reutersin mukaan", "X:n mukaan", "X'e göre"."""
        quoted = QUOTED_BEFORE.search(text, max(sentence.start, position - 80), position)
        if quoted is not None and self._short_title(quoted.group("name")):
            # "einem Bericht der „New York Times“ zufolge": a title in quotation marks
            start, end = quoted.start("name"), quoted.end("name")
            name = Name(quoted.group("name"), start, end, None, quoted.end())
            kind, score = guess_kind(name, self.lexicon)
            return _Found(name, kind, min(0.85, score + 0.05), sentence, "prose-according")
        quoted_kind = self.quoted_kind_before.search(
            text, max(sentence.start, position - 160), position
        )
        if quoted_kind is not None and self._short_title(quoted_kind.group("name")):
            # "“Dva Mayora” isimli Telegram kanalında yapılan paylaşımda": a quoted title
            # that a kind noun names, then the postposition
            return self._quoted_with_kind(quoted_kind, sentence, extractor)
        before = [n for n in names if n.outer_end <= position]
        if before:
            name = self._after_document_noun(text, before[-1])
            if self.gap_before_postposition.fullmatch(text, name.outer_end, position):
                if self._anonymous(name):
                    return None
                if self.anonymous_after.match(text[name.outer_end : position]):
                    return None  # "Güvenlik kaynaklarına göre": security sources, no name
                name, noun = self._suffixed_base(text, name, cue)
                # a postposition is as sure a cue as "according to": its kind guess gains
                kind, score = guess_kind(name, self.lexicon, noun)
                return _Found(name, kind, min(0.85, score + 0.05), sentence, extractor)
            described = self.kind_before_postposition.fullmatch(text, name.outer_end, position)
            if described is not None and not self._anonymous(name):
                kind, score = guess_kind(name, self.lexicon, described.group("noun"))
                return _Found(name, kind, min(0.85, score + 0.05), sentence, extractor)
        if uncased_at(text, position - 2):
            return self._uncased_before(text, position, sentence, extractor)
        return None

    def _suffixed_base(self, text: str, name: Name, cue: str) -> tuple[Name, str | None]:
        """A name before a postposed cue of a language that writes case endings onto the
        word, in its base form, and the kind noun a hyphen joined to it: "Reutersin
        mukaan" -> Reuters, "Ylen haastattelussa" -> Yle, "Rybar-kanavan mukaan" -> Rybar
        and "kanavan". Names cut at an apostrophe or a colon ("STT:n") keep their form."""
        if cue.casefold() not in self.lexicon.suffixed_cues or text[name.end : name.end + 1] in (
            ":'’"
        ):
            return name, None
        word = name.text.rsplit(None, 1)[-1]
        based = self._listed_base(name)
        if based is not name:
            return based, None  # "Tullin mukaan": a form the lexicon lists
        head, hyphen, noun = word.rpartition("-")
        if hyphen and len(head) >= 2 and noun.casefold() in self.lexicon.kind_of_noun:
            cut = len(noun) + 1
            return shortened(name, cut), noun
        if word.isupper():
            return name, None  # an acronym: "NATO" ends in no case
        if word.endswith("sen") and word[-4:-3].casefold() in _VOWELS:
            # "Heikkisen", "Häkkäsen": the -nen names' genitive
            base = name.text[:-3] + "nen"
            return Name(base, name.start, name.end, name.abbreviation, name.outer_end), None
        for ending in self.lexicon.suffixed_endings:
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            if ending[0] == "i":
                # "Reutersin", "Stubbin": an ending with a linking -i- follows a consonant,
                # of a stem long enough not to be an -i name's ("Sahin" is Sahi's)
                if stem[-1].casefold() in _VOWELS or len(stem) < 4:
                    continue
            elif (
                stem[-1:].casefold() == "e"
                and stem[-2:-1].casefold() not in _VOWELS
                and stem.casefold() not in self.lexicon.kind_of_ending
            ):
                # "Tammen" is Tammi's, "Rutten" Rutte's: kept as written unless the lexicon
                # knows the stem ("Ylen" -> Yle)
                return name, None
            return shortened(name, len(ending)), None
        return name, None
