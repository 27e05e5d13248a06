"""The body a person speaks for: "Jeff Moray, Harlow's chief of staff", "the Kremlin's spokesman X".

An apposition, a genitive, a possessive or a title's complement names the body; the
person is then cited with it as its affiliation, and the body alone is no second source.
"""

from __future__ import annotations

import re

from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.judgement import (
    BARE_COMMA,
    RELATIVE_OPENING,
    Judgement,
    without_head,
)
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind, Relation

# a comma-delimited apposition right after a name: ", an economist at the Larch Institute,"
_APPOSITION = re.compile(r"[ \t]*,[ \t]*(?P<app>[^,;:()“”\"«»]{3,150}?)[ \t]*(?:[,;:)]|[.!?]?$)")

#: the end of a possessive in s with its apostrophe alone, before a name: "News’ "
_PLURAL_POSSESSIVE = re.compile(r"s['’] ")


class AffiliationReading(Judgement):
    """Reads the body a found person speaks for."""

    def _apposition_affiliation(
        self, text: str, found: _Found, names: list[Name], sentence: Sentence
    ) -> None:
        """The organisation in a person's apposition: "Ana Ruiz, an economist at the Larch
        Institute, said", "said Dana Reyes, who heads the Larch Institute"."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        if found.kind != NodeKind.PERSON:
            return
        apposition = _APPOSITION.match(text, found.name.outer_end, sentence.end)
        if apposition is None or self.lexicon.has("verbs", apposition.group("app").split()[0]):
            return  # ("Otto Brandl, wrote of Ms. Kessler:": the verb, after a comma)
        for whole in names:
            if not apposition.start("app") <= whole.start < apposition.end("app"):
                continue
            if whole.start == apposition.start("app") and whole.outer_end >= apposition.end("app"):
                continue  # ", Jim Clyburn,": a second name for the speaker, not a body
            role = self.role_opening.match(whole.text)
            if role is not None:
                # "Fabian Stenger, der Deutschland-Chef von Flixbus": the role is read into
                # the name; the body is the rest of it
                whole = without_head(whole, role.end())
            body = self._party_body(text, whole)
            name = body or whole
            # "an economist at X", X's own ("Twitter's director", "Obama's budget
            # director"), or X before the speaker's role ("a Harlow campaign spokesman",
            # "a University of Westbury professor")
            owned = text.startswith(("'s", "’s"), name.end)
            if (
                (
                    owned
                    or body is not None
                    or role is not None
                    or self._affiliated_in(text, apposition.start("app"), name)
                    or self.role_after.match(text, name.outer_end, apposition.end("app"))
                    # the role right before X, whose genitive X is: "Karolina Mazur,
                    # analityczka Ośrodka Studiów Wschodnich", "Jan Malý, mluvčí ČEZ" (not
                    # X's own title in a clause about the speaker: "who backed Governor X")
                    or (
                        self.role_before.search(text[apposition.start("app") : name.start])
                        and not self._person_in_clause(text, apposition.start("app"), name)
                    )
                )
                and (not self._anonymous(name) and not self._is_place_or_people(name))
            ):
                if found.affiliation_name is None:
                    found.affiliation, found.affiliation_name = _full(name), name
                elif all(n.start != name.start for n in found.also_for):
                    found.also_for.append(name)

    def _role_before_apposition(self, text: str, found: _Found, names: list[Name]) -> None:
        """ "Merkel's spokesman, Steffen Seibert, said", "the White House press secretary,
        Josh Earnest, said": a role after its body, then the person in apposition; the
        person speaks for the body."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        if found.kind != NodeKind.PERSON:
            return
        body = next((n for n in reversed(names) if n.outer_end <= found.name.start), None)
        if body is None or self._anonymous(body) or self._is_place_or_people(body):
            return
        role = self.role_after.match(text, body.outer_end, found.name.start)
        # (a comma alone between the role and the person: "Merkel's spokesman, [X]")
        if role is None or not BARE_COMMA.fullmatch(text, role.end(), found.name.start):
            return
        found.affiliation, found.affiliation_name = _full(body), body

    def _role_apposition(self, text: str, name: Name, sentence: Sentence) -> bool:
        """Whether the apposition after a name describes a person by a role: "Kaine, a
        former Democratic National Committee chairman", "Ruiz, the party's spokeswoman"
        (its first phrase, which a lower-case article or adjective opens, ends in a role;
        what follows a connector or a relative pronoun is about something else)."""
        apposition = _APPOSITION.match(text, name.outer_end, sentence.end)
        if apposition is None or not apposition.group("app")[:1].islower():
            return False
        head: list[str] = []
        for word in apposition.group("app").split():
            if head and (
                self.lexicon.has("connectors", word)
                or self.lexicon.has("affiliation_words", word)
                or RELATIVE_OPENING.fullmatch(word)
            ):
                break
            head.append(word)
        return len(head) >= 2 and self.role_in.fullmatch(head[-1]) is not None

    def _affiliated_in(self, text: str, start: int, body: Name) -> bool:
        """Whether an affiliation word ("at", "of", "z") leads to the body in the
        apposition that opens at `start`. A connector links two nouns, so one that opens the
        apposition is an article or a pronoun: "Petra Lind, der Haushalt sei solide"."""
        word = self.affiliation_word.search(text, start, body.start)
        if word is None:
            return False
        first = word.group().split()[0]
        if self._person_in_clause(text, start, body) and not self.lexicon.has(
            "affiliation_words", word.group().strip()
        ):
            return False  # "a nurse who voted for Governor Alvarez" ("who works for X" stays)
        return not (
            word.start() == start
            and self.lexicon.has("connectors", first)
            and not self.lexicon.has("affiliation_words", first)
        )

    def _person_in_clause(self, text: str, start: int, name: Name) -> bool:
        """Whether a titled person's name stands in a relative clause of the apposition that opens
        at `start`: "who campaigned for Governor Alvarez", whose connector or title takes
        the clause's verb to its object, not the speaker to a body ("who covered the White
        House for ABC News" names one)."""
        # (a person known by its title: the shape of a name alone does not tell "Policy
        # Program" from "Peña Nieto")
        return bool(RELATIVE_OPENING.search(text, start, name.start)) and bool(
            name.title or self._titled(text, name, start)
        )

    def _affiliations(self, text: str, results: list[_Found]) -> list[_Found]:
        """The organisations people speak for: "Andriy Yusov, a representative of HUR"."""
        organisations: list[_Found] = []
        for found in results:
            if not found.affiliation or found.relation != Relation.CITES:
                continue
            if found.affiliation_name is None:
                continue
            for named in (found.affiliation_name, *found.also_for):
                # ("Suomen Pankin pääjohtaja": the body in its genitive)
                org = self._listed_base(named)
                kind, score = guess_kind(org, self.lexicon)
                if kind == NodeKind.PERSON and not text.startswith(("'s", "’s"), org.end):
                    # a body a person works at or for; a possessive may name a person
                    # ("President Obama's budget director")
                    kind = NodeKind.ORGANIZATION
                item = _Found(org, kind, min(0.8, score), found.sentence, "prose-affiliation")
                item.relation = Relation.SPEAKS_FOR
                item.cited_by = found
                organisations.append(item)
        return organisations

    def _party_body(self, text: str, name: Name) -> Name | None:
        """ "Democrat on the Oversight Committee", "Republican on the Larch Board": the
        body a party's member sits on, which the name pattern joined to the party word."""
        words = name.words
        if len(words) < 3 or words[1] not in ("on", "of", "for", "at"):
            return None
        if not self.lexicon.has("collectives", words[0]):
            return None
        tail = re.match(r"\S+[ \t]+\S+[ \t]+(?:the[ \t]+)?", name.text)
        if tail is None or not name.text[tail.end() : tail.end() + 1].isupper():
            return None
        start = name.start + tail.end()
        return Name(text[start : name.end], start, name.end, None, name.outer_end, None)

    def _title_of_affiliation(self, text: str, found: _Found, names: list[Name]) -> None:
        """ "Le porte-parole de l'OTAN, Mark Lindqvist, a déclaré", "El jefe del grupo
        Wagner, Yevgueni Prigozhin, acusó": a role and the body it serves, then the person
        in apposition, who speaks for the body."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        start = found.name.start
        if found.kind != NodeKind.PERSON or "," not in text[max(0, start - 3) : start]:
            return
        body = next((n for n in reversed(names) if n.outer_end < start), None)
        if body is None or not re.fullmatch(r"[ \t]*,[ \t]*", text[body.outer_end : start]):
            return
        if not self.role_of_before.search(text, max(0, body.start - 80), body.start):
            return
        portfolio = self.title_at_end.search(text, max(0, body.start - 60), body.end)
        if portfolio is not None and portfolio.start() < body.start:
            return  # "El ministro de Agricultura, X,": a listed title's portfolio, no body
        if self._anonymous(body) or self._is_place_or_people(body):
            return
        found.affiliation, found.affiliation_name = _full(body), body

    def _genitive_body(self, text: str, found: _Found, names: list[Name]) -> None:
        """ "NATO'nun Genel Sekreteri Mark Rutte", "Kremlin'in sözcüsü X": a body in the
        genitive, its case ending after an apostrophe, then the person's title: the person
        speaks for the body."""
        if (
            found.relation != Relation.CITES
            or found.kind != NodeKind.PERSON
            or found.affiliation_name is not None
        ):
            return
        start = found.name.start
        body = next((n for n in reversed(names) if n.end < start), None)
        if body is None or body.outer_end != body.end:
            return
        ending, _, title = text[body.end : start].partition(" ")
        words = title.split()
        if (
            ending not in self.names.apostrophe_endings
            or not 1 <= len(words) <= 3
            or not (
                self.lexicon.has("person_titles", " ".join(words)) or self.names.is_title(words[-1])
            )
        ):
            return
        if self._anonymous(body) or self._is_place_or_people(body):
            return
        found.affiliation, found.affiliation_name = _full(body), body

    def _plural_possessive_owner(self, text: str, found: _Found, names: list[Name]) -> None:
        """ "Ledger News’ Bret Bain said": a person after a possessive that ends in s and
        its apostrophe alone speaks for its owner, as after "CNN’s" (see `_split_title`)."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        start = found.name.start
        # the apostrophe first: it is the cheap test, and most speakers have none before them
        if start < 3 or not _PLURAL_POSSESSIVE.fullmatch(text, start - 3, start):
            return
        owner = next((n for n in names if n.end == start - 2), None)
        if owner is None:
            return
        if len(found.name.words) < 2 or guess_kind(found.name, self.lexicon)[0] != NodeKind.PERSON:
            return
        if self._anonymous(owner) or self._is_place_or_people(owner):
            return
        found.kind = NodeKind.PERSON
        found.affiliation, found.affiliation_name = _full(owner), owner
