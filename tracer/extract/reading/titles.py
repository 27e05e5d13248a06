"""A found name cut into its title, its body and its person.

"Pentagon spokesman John Kirby", "МИД Елена Осипова", "the magazine’s editor X": a run
the name pattern read whole holds a title or a body before the person who speaks; the
person is the source and the rest its title or affiliation.
"""

from __future__ import annotations

import re

from tracer.extract.cuepatterns import (
    DETERMINER_WORDS,
)
from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.finding import split_run as _split_run
from tracer.extract.names import COMPOUND_KINDS, Name, guess_kind
from tracer.extract.reading.judgement import (
    LATIN_WORDS,
    QUOTED_BEFORE,
    WORD_RUN,
    Judgement,
)
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind, Relation


class TitleReading(Judgement):
    """Cuts the title and the body off a found name, leaving its person."""

    def _split_title(self, found: _Found) -> None:
        """A speaker's title inside a capitalised run: "Senate Majority Leader Mitch
        McConnell", "Kremlin Sözcüsü Dmitriy Peskov". The words after the last title are
        the person; the words before it, the organisation the person speaks for."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        name = found.name
        if len(name.text.split(None, 1)) < 2:
            return  # one word: no possessive before a person, no title before one
        words = list(WORD_RUN.finditer(name.text))
        possessive = next(
            (i for i, w in enumerate(words[:-1]) if w.group().endswith(("'s", "’s"))), None
        )
        if possessive is not None and 1 <= len(words) - possessive - 1 <= 4:
            # "Breitbart London's Raheem Kassam", "CNN's Tara Setmayer": the person speaks
            # for the organisation whose possessive opens the name
            person_words = words[possessive + 1 :]
            if all(w.group()[:1].isupper() for w in person_words):
                _split_run(found, person_words[0].start(), words[possessive].end() - 2)
                return
        if len(words) < 3:
            return
        titles = self._title_indices(name.text, words)
        if not titles or titles[-1] == 0:
            return
        last_title = titles[-1]
        person_words = words[last_title + 1 :]
        if len(person_words) > 4 or not self._person_words([w.group() for w in person_words]):
            return
        first_title = last_title
        while first_title > 0 and first_title - 1 in titles:
            first_title -= 1
        if first_title > 0:
            _split_run(found, person_words[0].start(), words[first_title - 1].end())
        elif last_title > 0:
            # "Dışişleri Bakanı Hakan Fidan": a title phrase of several words opens the run
            # and is cut off the person, as a one-word title is (`NameFinder`)
            cut = person_words[0].start()
            found.name = Name(name.text[cut:], name.start + cut, name.end, None, name.outer_end)
            found.kind = NodeKind.PERSON

    def _person_words(self, words: list[str]) -> bool:
        """Whether `words` may be a person's name after a title: capitalised words, with
        the particles of names between them ("Bill de Blasio", "Ursula von der Leyen")."""
        return (
            bool(words)
            and words[0][:1].isupper()
            and words[-1][:1].isupper()
            and all(w[:1].isupper() or self.lexicon.has("name_particles", w) for w in words)
        )

    def _body_after_connector(self, found: _Found) -> None:
        """ "hoogleraar Marieke Jansen van de Universiteit Leiden": a name the name pattern
        ran across connectors into a body headed by a kind noun is a person (two to four
        capitalised words) who speaks for that body."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        words = list(WORD_RUN.finditer(found.name.text))
        if len(words) < 4:
            return
        person_end = next((i for i, w in enumerate(words) if w.group()[:1].islower()), 0)
        head = person_end
        while head < len(words) and self.lexicon.has("connectors", words[head].group()):
            head += 1
        if not 2 <= person_end <= 4 or head == person_end or head >= len(words):
            return
        if self.lexicon.kind_of_noun.get(words[head].group().casefold()) not in {
            "organization",
            "outlet",
        }:
            return
        name = found.name
        cut = words[person_end - 1].end()
        start = name.start + words[head].start()
        person = Name(name.text[:cut], name.start, name.start + cut, None, name.start + cut)
        if guess_kind(person, self.lexicon)[0] != NodeKind.PERSON:
            return
        body = Name(
            name.text[words[head].start() :], start, name.end, name.abbreviation, name.outer_end
        )
        found.name, found.kind = person, NodeKind.PERSON
        found.affiliation, found.affiliation_name = _full(body), body

    def _title_prefix_body(self, text: str, found: _Found) -> None:
        """ "Kreml-Sprecher Dmitri Peskow", "SPD-Vorsitzende X", "NS-topman X": a body
        written onto the person's title with a hyphen is the body the person speaks for,
        when it is an acronym or the title is one that speaks for a body (`entourage`);
        "Klima-Experte", "Ex-Kanzler" name none."""
        name = found.name
        title = name.title
        if found.relation != Relation.CITES or found.affiliation_name is not None or not title:
            return
        prefix, hyphen, role = title.split()[-1].partition("-")
        if not hyphen or len(prefix) < 2 or not prefix[:1].isupper():
            return
        if not (prefix.isupper() or self.lexicon.has("entourage", role)):
            return
        if self.lexicon.kind_of_noun.get(role.casefold()) in COMPOUND_KINDS:
            return  # "das US-Magazin X", "der US-Konzern X": the prefix qualifies a body
        start = text.rfind(prefix + "-", max(0, name.start - len(title) - 8), name.start)
        if start < 0:
            return
        body = Name(prefix, start, start + len(prefix), None, start + len(prefix))
        if self._anonymous(body) or self._is_place_or_people(body):
            return
        found.kind = NodeKind.PERSON
        found.affiliation, found.affiliation_name = _full(body), body

    def _cut_title_complement(self, text: str, found: _Found) -> None:
        """ "O secretário de Estado Nuno Pires afirmou", "le ministre de l'Intérieur Gérald
        Darmanin a déclaré": the capitalised complement of a title the lexicons list ran
        into the person's name; the name starts after it."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        name = found.name
        words = list(WORD_RUN.finditer(name.text))
        if len(words) < 3:
            return
        low = max(0, name.start - 60)
        # a complement of one or two words, before a name of two words at least
        for word in words[1 : len(words) - 1][:2]:
            cut = name.start + word.start()
            title = self.title_before.search(text, low, cut)
            if title is not None and title.start() < name.start:
                found.name = Name(text[cut : name.end], cut, name.end, None, name.outer_end)
                found.kind = NodeKind.PERSON
                return

    def _split_complement(self, text: str, found: _Found, sentence: Sentence) -> None:
        """A title's complement between it and the person, read as one capitalised run with
        the name: "rzecznik [MSZ Paweł Zalewski]", "ο εκπρόσωπος του [ΟΗΕ Στεφάν Ντουζαρίκ]",
        "ο δήμαρχος [Θεσσαλονίκης Στέλιος Αγγελούδης]". The run's first word is the body
        the title serves (an acronym: the person speaks for it) or its place (no body); the
        words after it are the person."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        words = list(WORD_RUN.finditer(found.name.text))
        if not 3 <= len(words) <= 5:
            return
        head = words[0].group()
        acronym = (len(head) >= 2 and head.isupper()) or self._genitive_head(text, found, words)
        if not acronym and not self.lexicon.has("places", head):
            return
        if not all(w.group()[:1].isupper() and not w.group().isupper() for w in words[1:]):
            return
        start = found.name.start
        if not self.title_complement_before.search(text, max(sentence.start, start - 60), start):
            return
        if acronym and len(words) >= 4 and self._place_text(words[1].group()):
            # "Глава [МИД России Сергей Лавров]": the body with its country, then the person
            _split_run(found, words[2].start(), words[1].end())
        elif acronym:
            # "NGS Group Иван Смирнов": the body's name may go on past the acronym
            person_from = self._body_prefix(found.name) or words[1].start()
            _split_run(found, person_from, len(found.name.text[:person_from].rstrip()))
        else:
            name = found.name
            person = words[1].start()
            found.name = Name(name.text[person:], name.start + person, name.end, None, name.end)
            found.kind = NodeKind.PERSON

    def _genitive_head(self, text: str, found: _Found, words: list[re.Match[str]]) -> bool:
        """ "ο εκπρόσωπος του [Πενταγώνου Τζον Κίρμπι]": after an article, a one-word body
        in the genitive (`genitive_body_endings`) before a person's two words whose given name
        is not in it; a person's genitive ("του Γιώργου Παπαδόπουλου") ends it alike."""
        endings = self.genitive_body_endings
        if len(words) != 3 or not endings or not words[0].group().endswith(endings):
            return False
        if words[1].group().endswith(endings):
            return False  # (a surname may end like a genitive: "Πέτρος Λάμπρου")
        before = text[max(0, found.name.start - 8) : found.name.start].split()
        return bool(before) and self.lexicon.has("determiners", before[-1])

    def _split_body_prefix(self, text: str, found: _Found) -> None:
        """A person's name run together with the body or country a title governs before it
        in a bare genitive: "представитель МИД Елена Осипова", "очільник Харківської ОВА
        Олег Сидоренко", "міністр закордонних справ Литви Томас Вайткус", "rzecznik MSZ X".
        The body speaks for nobody when it is a place alone. A genitive an article or a
        preposition marks ("της Πολωνίας", "d'EFI") is left to the patterns that read them."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        if len(found.name.text.split(None, 2)) < 3:
            return
        person_from = self._body_prefix(found.name)
        if person_from is None:
            return
        name = found.name
        body = name.text[:person_from].rstrip()
        # "директор ... проектов RC GROUP Дмитрий Лазаров", "директор компании TechLab Анна
        # Котова": a body's name in Latin letters before a person's in another script is
        # the person's body, whatever kind the run as a whole was given
        if found.kind != NodeKind.PERSON and not (
            LATIN_WORDS.fullmatch(body) and not LATIN_WORDS.match(name.text, person_from)
        ):
            return
        start = found.name.start
        if found.name.title is None:
            if start < 2 or text[start - 1] not in " \t":
                return
            previous = text[max(0, start - 30) : start].split()
            if (
                not previous
                # (a body's name after the title's lower-case words, when the kind was a body's)
                or (found.kind != NodeKind.PERSON and not previous[-1][:1].islower())
                or self.lexicon.has("connectors", previous[-1])
                or (
                    self.lexicon.has("determiners", previous[-1])
                    or previous[-1] in DETERMINER_WORDS
                )
            ):
                return
        if body.casefold() in self.place_words or all(
            word.casefold() in self.place_words for word in body.split()
        ):
            found.name = Name(
                name.text[person_from:], name.start + person_from, name.end, None, name.outer_end
            )
            return
        _split_run(found, person_from, len(body))

    def _quoted_body_before(self, text: str, found: _Found) -> None:
        """ "Пресс-секретарь «Газпрома» Ирина Белова", "rzecznik „Solidarności” Jan Nowak":
        a body whose name is quoted stands between the title it governs in the genitive
        and the person, who speaks for it."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        start = found.name.start
        if found.kind != NodeKind.PERSON or start < 4 or text[start - 1] not in " \t":
            return
        quoted = QUOTED_BEFORE.search(text, max(0, start - 80), start)
        if quoted is None or not self._short_title(quoted.group("name")):
            return
        if not self.title_before.search(text, max(0, quoted.start() - 60), quoted.start()):
            return
        inner = quoted.group("name")
        body = Name(inner, quoted.start("name"), quoted.end("name"), None, quoted.end("name"))
        if self._anonymous(body) or self._is_place_or_people(body):
            return
        found.affiliation, found.affiliation_name = _full(body), body
