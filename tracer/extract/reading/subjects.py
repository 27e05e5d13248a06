"""The speaker a cue has as its subject: "Ana Ruiz, an economist, said", "a poll found".

Before a verb the subject is the nearest name, read back over appositions, titles,
bodies and entourages ("a spokesman for the ministry"); a clause-final verb takes its
clause's first name ("Bayan Hills ... söyledi"), and a finding's document its author
("a study by the Larch Institute found").
"""

from __future__ import annotations

import re
from itertools import pairwise

from tracer.extract.cuepatterns import (
    LOWER_WORD,
)
from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.finding import strip_article as _strip_article
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.coordination import CoordinationReading
from tracer.extract.reading.judgement import (
    CLAUSE_MARK,
    QUOTED_NAME,
    RELATIVE_OPENING,
    TAIL,
    TOKEN,
    CueSite,
    Objects,
    without_head,
)
from tracer.extract.reading.uncased import UncasedReading, uncased_at
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind, Relation

# what separates a speaker from the clauses about it: commas and dashes
_COMMA = re.compile(r",|[ \t][—–][ \t]")

# what may open a piece before its name: closing quotes, a title's abbreviation ("Sen.")
_PIECE_OPENING = re.compile(r"[\s”\"»’']*(?:[A-Z][a-z]{0,4}\.[ \t]+)*")

# between an organisation and the title of its speaker: a possessive or a case ending and a
# lower-case word or two ("FBI general counsel", "YK:n pääsihteeri", "Kremlin'in sözcüsü")
_ORG_BEFORE_TITLE = re.compile(rf"(?:'s|’s|[:'’]\w{{1,5}})?(?:[ \t]+{LOWER_WORD}){{0,2}}[ \t]*")

# a piece of a sentence that describes a name rather than standing alone: it holds a
# lower-case word ("founder of the Leadership Institute", "who spoke in Ohio", "35")
# (or a party and state tag: "Jim Clyburn, D-S.C., said")
_APPOSITIVE = re.compile(r"(?:^|\s)(?:[^\W\d_A-Z][\w’'-]*|\d+)(?:\s|$)|^[DRI]-[A-Z][A-Za-z.]{0,8}$")

#: a preposition right before a name: what follows it is no verb's subject. The Romance
#: ones are the locative ones alone ("interrogés à Lviv", "nel Donbass", "em Kherson"): their
#: genitives ("il governo di Hong Kong ha detto") name a body of the place, which speaks
#: (the prepositions that say where, not whose: "in", "nel", "w", "στη")
_LOCATIVE = r"in|across|inside|within|throughout|dans|nel|nella|em|w|we|v|ve|στη|στην|στο"
_PLACE_PREPOSITION = re.compile(
    rf"(?<!\w)(?i:{_LOCATIVE}|from|of|at|to|for|with|à|au|aux|negli|nelle|no|na|nos|nas"
    # (the same in Czech, Polish and Greek: "z Kijowa", "από την Αθήνα")
    r"|z|ze|στον|σε|από)[ \t]+(?:the[ \t]+)?$"
)

#: a locative preposition right before a name, with no article: "officials in Harbor City"
_IN_PLACE = re.compile(rf"(?<!\w)(?i:{_LOCATIVE})[ \t]+$")
_LOCATIVE_WORD = re.compile(rf"(?i:{_LOCATIVE})")

#: an abbreviated state or province: "Va.", "Calif.", "N.C."
_STATE_ABBREVIATION = re.compile(r"[A-Z][a-z]{0,4}\.|(?:[A-Z]\.){2,}")

#: between a speaker and the name its apposition opens with: "Jeff Moray, Harlow's ...",
#: "Gene Sperling, a top outside Clinton adviser" (an article, then a few adjectives)
_APPOSITION_OPENING = re.compile(
    r"[ \t]*,[ \t]*(?:(?:the|a|an)[ \t]+(?:[a-z][\w-]*[ \t]+){0,3}|(?:then-?|former|longtime)[ \t]+)*"
)

#: the verb's first word and the word right after it
_WORD_AFTER_VERB = re.compile(r"\w+[ \t]+(?P<word>\w+)(?!\w)")

#: the marks that close and open a quoted title before its verb: "«Ведомости» сообщила"
_QUOTE_CLOSERS = '»”"'

_QUOTE_OPENERS = '«„“"'


def _clause_start(text: str, sentence: Sentence, position: int) -> int:
    """Where the clause that holds `position` starts: after the sentence's last clause
    mark before it, or at the sentence's start."""
    return max(
        [sentence.start, *(m.end() for m in CLAUSE_MARK.finditer(text, sentence.start, position))]
    )


class SubjectReading(CoordinationReading, UncasedReading):
    """Reads the subject of a speech verb or a finding: the name before it, or opening its clause."""

    def _pronoun_subject(self, text: str, position: int, last: Name, sentence: Sentence) -> bool:
        """Whether a pronoun that is only ever a subject stands right after the verb at
        `position` ("Weiter schrieb er", "Das Klischee habe ich bestätigt") or opens the
        clause right before `last` ("wenn man Umfragen glauben darf", "Man musste
        Schlimmes befürchten"): the pronoun is the verb's subject and the capitalised word
        before it an adverb or the verb's object, as German capitalises every noun."""
        after = _WORD_AFTER_VERB.match(text, position)
        if after is not None and self.lexicon.has("subject_pronouns", after.group("word")):
            return True
        words = text[_clause_start(text, sentence, last.start) : last.start].split()
        return any(self.lexicon.has("subject_pronouns", word) for word in words[-2:])

    def _subject_before(
        self,
        text: str,
        position: int,
        names: list[Name],
        sentence: Sentence,
        objects: Objects,
    ) -> _Found | None:
        quoted = self._quoted_title_subject(text, position, sentence)
        if quoted is not None:
            return quoted
        before = [n for n in names if n.outer_end <= position and not self._party_of(n)]
        quoted = self._quoted_subject(text, position, before, sentence)
        if quoted is not None:
            return quoted
        if len(before) >= 2 and self.gap.match(text[before[-2].outer_end : position]):
            # "wie die Deutsche Bahn am Abend mitteilte", "X hatte im Mai berichtet": the
            # capitalised noun of a phrase that may stand before the verb is no subject
            before.pop()
        if not before:
            return None
        last = before[-1]
        if self.fronted_phrase.fullmatch(text, sentence.start, last.start):
            # "Auf Nachfrage sagte X", "Am Ende der Sitzung erklärte X": the name closes the
            # phrase that fills the first slot; the subject follows the verb
            return None
        if self._pronoun_subject(text, position, last, sentence):
            return None
        gap = text[last.outer_end : position]
        if gap.startswith(")") and text[last.start - 1 : last.start] == "(":
            # "L'Organisation mondiale de la santé (OMS) a indiqué": the body's short name in
            # brackets closes the subject whose long name the name finder leaves lower-case
            gap = gap[1:]
        if gap.lstrip().startswith(","):
            role_led = self._role_led_apposition(text, last, before, sentence)
            if role_led is not None:
                return role_led
        appositive: re.Match[str] | None = None
        if (
            self.entourage_gap.match(gap)
            and not self._anonymous(last)
            and not (
                # "Brian Fallon, a spokesman for the Clinton campaign, said": the campaign
                # closes the speaker's apposition; its name is the speaker's body
                "," in gap
                and self.affiliation_word.search(
                    text, max(sentence.start, last.start - 40), last.start
                )
            )
        ):
            # "Clinton's campaign said", "the Trump campaign argued": the campaign speaks
            # for the name before it, which is the source a reader traces
            speaker = self._speaker_of_entourage(text, last, before, gap)
            if speaker is not None:
                return self._with_affiliation(speaker, last, sentence)
            return self._guessed(last, sentence, "prose-verb", 0.75)
        if not self.gap.match(gap) and not self.citing_gap.match(gap):
            appositive = self.apposition_after.match(gap)
            if appositive is None:
                person_from = self._person_from(text, position, before, sentence)
                if person_from is not None:
                    return _Found(person_from, NodeKind.PERSON, 0.8, sentence, "prose-verb")
                # "Chris Cox, who runs the NRA's lobbying arm, said": the last name
                # before the verb sits inside a clause about the speaker
                head_name = self._head_of_appositions(text, position, before, sentence)
                return (
                    None if head_name is None else self._apposition_head(text, head_name, sentence)
                )
        if last.start in objects:
            # "X, citing Y, said": the speaker is X, before the cue
            _, cue_start, _ = objects[last.start]
            earlier = [n for n in before if n.outer_end <= cue_start]
            if earlier and re.fullmatch(r"[\s,]*", text[earlier[-1].outer_end : cue_start]):
                last = earlier[-1]
            else:
                return None
        if self._anonymous(last) and not self._named_by_kind(text, last, sentence.start):
            return None
        if "," in gap and self._is_place_or_people(last):
            # "Mark Fell, a former ambassador to Peru, said": a place ends the apposition
            head_name = self._head_of_appositions(text, position, before, sentence)
            if head_name is not None and head_name is not last:
                return self._apposition_head(text, head_name, sentence)
        # the patterns below are anchored at the name; a bounded tail keeps them linear
        origin = max(sentence.start, last.start - TAIL)
        head = text[origin : last.start]
        # "Andriy Yusov, a representative of the Main Intelligence Directorate (HUR), stated"
        apposition = self.apposition_before.search(head)
        if apposition:
            person = [n for n in before if n.outer_end <= origin + apposition.start()]
            # ("Ana Ruiz, the envoy of France, a member of the Council, said": a place
            # closes the apposition before, whose head is further back)
            if (
                person
                and not self._is_place_or_people(person[-1])
                and re.fullmatch(
                    r"[ \t]*", text[person[-1].outer_end : origin + apposition.start()]
                )
            ):
                found = _Found(person[-1], NodeKind.PERSON, 0.85, sentence, "prose-verb")
                found.affiliation = _full(last)
                found.affiliation_name = last
                return found
        if "," in gap:
            role_apposition = self.role_apposition_before.search(head)
            # (not a title in a relative clause: "Nora Pike, who backed Governor X, said")
            if role_apposition and not RELATIVE_OPENING.search(head, role_apposition.start()):
                appositive_speaker = self._apposition_speaker(
                    text, last, before, origin + role_apposition.start(), sentence
                )
                if appositive_speaker is not None:
                    return appositive_speaker
        # "HUR spokesman Andriy Yusov said"
        title = self.title_before.search(head)
        if title and "," in gap:
            # "Nora Pike, a nurse who backed Governor Alvarez, said": the titled name closes
            # a clause in the speaker's apposition
            head_name = self._head_of_appositions(text, position, before, sentence)
            if head_name is not None and head_name is not last:
                return self._apposition_head(text, head_name, sentence)
        if title:
            found = _Found(last, NodeKind.PERSON, 0.85, sentence, "prose-verb")
            org = [n for n in before if n.outer_end <= origin + title.start()]
            # ("Russian spokesman X", "Democratic nominee X", "Военный блогер X": a
            # people's, a party's or a sentence-opening adjective, which names no body)
            if (
                org
                and not self._is_place_or_people(org[-1])
                and not self._capitalised_adjective(org[-1])
                and _ORG_BEFORE_TITLE.fullmatch(text[org[-1].outer_end : origin + title.start()])
            ):
                found.affiliation = _full(org[-1])
                found.affiliation_name = org[-1]
            return found
        lead = self.lead_before.search(head)
        if lead and any(_LOCATIVE_WORD.fullmatch(w) for w in head[lead.start() :].split()):
            lead = None  # "Larch Baptist Church in Dover said": where the noun is, read below
        if lead:
            noun, platform = self._lead_kind(lead)
            noun_end = lead.end("noun3") if lead.groupdict().get("noun3") else lead.end()
            if (
                noun is not None
                and self.lexicon.kind_of_noun.get(noun.casefold()) == "person"
                and any(self.lexicon.has("connectors", w) for w in head[noun_end:].split())
            ):
                # "A spokesman for the Brookings Institution said": the name is the person
                # noun's complement, the body an unnamed spokesman speaks for (not "l'agence
                # de presse X", a kind's genitive)
                noun = None
            if (
                platform is None
                and guess_kind(last, self.lexicon)[0] == NodeKind.PERSON
                and self._title_before_lead(head[: lead.start()])
            ):
                # "Гендиректор компании Сергей Федоров заявил": the kind noun is the title's
                # complement in the genitive, and a person's name follows it
                return _Found(last, NodeKind.PERSON, 0.85, sentence, "prose-verb")
            found = self._with_lead(last, noun, platform, sentence, "prose-verb", 0.85)
            found.descriptors = self._descriptors(lead.group("desc") or "")
            return found
        # "Russia's state-funded news agency, Russia Today (RT), said"
        description = self.description_before.search(head)
        if description:
            desc = description.group("desc").strip()
            last_noun = self.last_kind_noun.search(desc)
            found = self._with_lead(
                last,
                last_noun.group() if last_noun else None,
                self._platform_in(desc),
                sentence,
                "prose-verb",
                0.85,
            )
            found.descriptors = [_strip_article(desc)]
            return found
        if appositive is not None:
            app = appositive.group("app")
            if RELATIVE_OPENING.match(app.strip()):
                # "Ana Ruiz, who ran in 2016, said": a relative clause about the speaker, whose
                # nouns are not the speaker's kind ("who is supporting the report"); after
                # another apposition, its head ("X, the MP for Y, who ..., said": X)
                head_name = self._head_of_appositions(text, position, before, sentence)
                return self._apposition_head(text, head_name or last, sentence)
            if re.match(r"(?i:that|where|when|as|if|because)\b", app.strip()):
                return None  # ", when ..., said" is a clause, not an apposition
            inner = self.lead.match(re.sub(r"^(?:a|an|the)[ \t]+", "", app.strip()))
            noun = platform = None
            if inner:
                noun, platform = self._lead_kind(inner)
            if noun is None:
                # (a kind noun in a genitive is the complement of the apposition's head:
                # "exdirigentes del club", "head of the agency", and a bare genitive after
                # a title, "глава фонда", "rzecznik spółki", are people)
                nouns = [
                    m.group()
                    for m in self.kind_noun.finditer(app)
                    if not self.genitive_before.search(app, 0, m.start())
                    and not self.title_before.search(app, 0, m.start())
                ]
                noun = nouns[-1] if nouns else None
            if noun is None:
                # "Kyrill Moss, a harbour pilot, said": a title we do not know
                kind, score = guess_kind(last, self.lexicon)
                found = _Found(last, kind, min(0.75, score), sentence, "prose-verb")
                found.descriptors = [_strip_article(app.strip())]
                return found
            found = self._with_lead(
                last, noun, platform or self._platform_in(app), sentence, "prose-verb", 0.85
            )
            found.descriptors = self._descriptors(app) or [_strip_article(app.strip())]
            return found
        if "," in gap:
            # "Trump, who spoke in Ohio, said", "Morton Blackwell, founder of the Leadership
            # Institute, said": the name before the verb belongs to an apposition
            head_name = self._head_of_appositions(text, position, before, sentence)
            if head_name is not None and head_name is not last:
                return self._apposition_head(text, head_name, sentence)
        if self._common_noun(text, last, sentence.start) or (
            len(last.words) == 1
            # ("Das Bundessozialgericht (BSG) hat": a short name in brackets makes a name)
            and last.abbreviation is None
            # "Der Hausmeister sagte": the capitalised article that opens the sentence
            and self.opening_noun_article.fullmatch(text, sentence.start, last.start)
            and last.text.casefold() not in self.lexicon.kind_of_ending
        ):
            return None  # "einer Drohne veröffentlicht": a German common noun
        if len(last.words) == 1 and self.governing_preposition.search(head):
            return None  # "unter CC veröffentlicht": the object of a preposition
        speaker = self._person_at(text, last, before, sentence)
        if speaker is not None:
            return self._with_affiliation(speaker, last, sentence)
        if self._is_place_or_people(last):
            # "Piotr Nowak z Warszawy powiedział": the place a person is from
            person_from = self._person_from(text, position, before, sentence)
            if person_from is not None:
                return _Found(person_from, NodeKind.PERSON, 0.8, sentence, "prose-verb")
        kind, score = guess_kind(last, self.lexicon)
        if len(last.words) == 1 and last.text in self._surnames(text):
            kind, score = NodeKind.PERSON, 0.75  # "Inslee said" after "Jay Inslee"
        if score < 0.8 and _IN_PLACE.search(head):
            # "Officials in Harbor City said", "the casinos in Atlantic City reported": a name
            # right after "in" with no article, which no kind word makes a body, is where its
            # noun is, not the subject ("in the Kremlin", "in the White House" are bodies);
            # a name right before it is ("Larch Baptist Church in Dover said")
            located = before[-2] if len(before) >= 2 else None
            if (
                located is None
                or not _IN_PLACE.fullmatch(text[located.outer_end : last.start].lstrip(" \t"))
                or self._anonymous(located)
                or self._is_place_or_people(located)
            ):
                return None
            return self._guessed(located, sentence, "prose-verb", 0.8)
        # "Russia said": the bare subject of its verb, the one place a country speaks
        # ("officials in the U.S. said": a place after a preposition is no subject)
        direct = "," not in gap and appositive is None and not _PLACE_PREPOSITION.search(head)
        if direct and self._people_of_place(head, last):
            direct = False
        return _Found(last, kind, min(0.8, score), sentence, "prose-verb", direct=direct)

    def _title_before_lead(self, head: str) -> bool:
        """Whether a person's title ends `head`, the text before a kind noun, past the
        article and the genitive's link between them ("διευθύνων σύμβουλος της",
        "chief executive of the")."""
        words = head.split()
        while words and (
            self.lexicon.has("determiners", words[-1])
            or self.lexicon.has("connectors", words[-1])
            or self.lexicon.has("post_by", words[-1])
        ):
            words.pop()
        return bool(words) and self.title_before.search(" ".join(words) + " ") is not None

    def _common_noun(self, text: str, name: Name, low: int) -> bool:
        """ "einer Drohne", "den Link": German capitalises every noun, so one capitalised
        word after a lower-case article is a common noun, unless the lexicons know it by its
        kind after a definite article ("der Spiegel", "die Bundeswehr"; "vor einiger Zeit"
        is no newspaper)."""
        if len(name.words) != 1 or name.text in self.lower_case_names:
            return False  # ("die dpa", "der taz": a name the lexicons list in lower case)
        head = text[max(low, name.start - 40) : name.start]
        if self.noun_article.search(head):
            return not (
                name.text.casefold() in self.lexicon.kind_of_ending
                and bool(self.definite_before.search(head))
            )
        # "einer gesetzlichen Regelung geäußert": an adjective between them changes nothing;
        # a name the lexicons know by its kind keeps it ("die britische BBC")
        return bool(self.noun_article_adjective.search(head)) and (
            name.text.casefold() not in self.lexicon.kind_of_ending and not name.text.isupper()
        )

    def _people_of_place(self, head: str, name: Name) -> bool:
        """ "Les habitants de Kherson ont raconté", "los vecinos de Valencia denunciaron": a
        place after an anonymous people's noun and its genitive says where they live; the
        people speak, not the place's government ("le maire de Kherson" names a body)."""
        return self._place_text(name.text) and bool(self.anonymous_of.search(head))

    def _role_led_apposition(
        self, text: str, last: Name, before: list[Name], sentence: Sentence
    ) -> _Found | None:
        """ "Anna Berg, Sprecherin der Polizei, sagte": a language that capitalises its
        roles gives the name finder the role and the body as one name; the person before
        the comma speaks, for the body after the role."""
        role = self.role_opening.match(last.text)
        comma = self.comma_before_role.search(
            text, max(sentence.start, last.start - 12), last.start
        )
        if role is None or comma is None:
            return None
        body = without_head(last, role.end())
        return self._apposition_speaker(text, body, before, comma.start(), sentence)

    def _apposition_speaker(
        self, text: str, body: Name, before: list[Name], comma: int, sentence: Sentence
    ) -> _Found | None:
        """The person whose apposition opens at `comma` and names `body` after a role:
        "[Jan Malý], mluvčí ČEZ, uvedl"; the person speaks for the body."""
        person = [n for n in before if n.outer_end <= comma]
        if not person or self._is_place_or_people(person[-1]) or self._anonymous(person[-1]):
            return None
        if text[person[-1].outer_end : comma].strip():
            return None
        found = _Found(person[-1], NodeKind.PERSON, 0.85, sentence, "prose-verb")
        if not self._anonymous(body) and not self._is_place_or_people(body):
            found.affiliation, found.affiliation_name = _full(body), body
        return found

    def _quoted_subject(
        self, text: str, position: int, before: list[Name], sentence: Sentence
    ) -> _Found | None:
        """A title in quotation marks as the subject of the verb at `position`: "газета
        «Ведомости» сообщила", "«Коммерсантъ» пишет". Quoted text is no name to the name
        pattern; a body's kind noun before the quote, or the title a known outlet or body,
        tells a title from quoted speech."""
        low = max(sentence.start, position - 140)
        close = max(text.rfind(mark, low, position) for mark in _QUOTE_CLOSERS)
        if close < 0 or (before and before[-1].outer_end > close):
            return None
        gap = text[close + 1 : position]
        if not self.gap.match(gap) and not self.citing_gap.match(gap):
            return None
        opener = max(text.rfind(mark, low, close) for mark in _QUOTE_OPENERS)
        quoted = QUOTED_NAME.match(text, opener, close + 1) if opener >= 0 else None
        if (
            quoted is None
            or quoted.end() != close + 1
            or not self._short_title(quoted.group("name"))
        ):
            return None
        name = Name(quoted.group("name"), quoted.start("name"), quoted.end("name"), None, close + 1)
        lead = self.lead_before.search(text, max(low, opener - 60), opener)
        noun, platform = self._lead_kind(lead) if lead is not None else (None, None)
        if not self._body_noun(noun) and name.text.casefold() not in self.lexicon.kind_of_ending:
            return None
        return self._with_lead(name, noun, platform, sentence, "prose-verb", 0.85)

    def _person_at(
        self, text: str, body: Name, before: list[Name], sentence: Sentence
    ) -> Name | None:
        """ "Dana Reyes at the Larch Institute said": the person who opens the clause, whom
        an affiliation word ties to the body the verb follows."""
        if len(before) < 2 or before[-1] is not body:
            return None
        person = before[-2]
        word = self.affiliation_word.search(text, person.outer_end, body.start)
        if word is None or text[person.outer_end : word.start()] not in (" ", "\t"):
            return None
        if not self._opens_clause(text, person, sentence):
            return None
        if self._is_place_or_people(body) or not self._full_person(person):
            return None
        return person

    def _opens_clause(self, text: str, person: Name, sentence: Sentence) -> bool:
        """Whether `person` opens its clause, after nothing but quotation marks and the
        person's titles ("Dr Jan Kowalski", "Prof. Anna Nowak")."""
        clause_start = _clause_start(text, sentence, person.start)
        opening = text[clause_start : person.start].strip(" \t\n“\"«„'‘")
        return all(self.names.is_title(word) for word in opening.split())

    def _person_from(
        self, text: str, position: int, before: list[Name], sentence: Sentence
    ) -> Name | None:
        """ "Agnieszka Nowak z urzędu wojewódzkiego zapewniła", "Иван Петров из Высшей школы
        экономики заявил", "Piotr Nowak z Warszawy powiedział": the person who opens the
        clause, then an affiliation word and a few words of the body or place the person
        is from, then the verb at `position`; the person speaks (a body named whole is
        `_person_at`'s)."""
        clause_start = _clause_start(text, sentence, position)
        person = next((n for n in before if n.start >= clause_start), None)
        if person is None or not self._opens_clause(text, person, sentence):
            return None
        tail = self.affiliation_tail.fullmatch(text, person.outer_end, position)
        if tail is None or any(
            word.casefold() in self.cue_words for word in tail.group("words").split()
        ):
            return None
        if self._is_place_or_people(person) or not self._full_person(person):
            return None
        return person

    def _speaker_of_entourage(
        self, text: str, body: Name, before: list[Name], gap: str
    ) -> Name | None:
        """ "Jeff Moray, Harlow's campaign manager, said": the entourage word closes an
        apposition whose head is the speaker, who speaks for the name inside it."""
        if "," not in gap or len(before) < 2:
            return None
        head = before[-2]
        if not _APPOSITION_OPENING.fullmatch(text, head.outer_end, body.start):
            return None
        if self._anonymous(head) or self._is_place_or_people(head):
            return None
        return head

    def _apposition_head(self, text: str, name: Name, sentence: Sentence) -> _Found | None:
        if self._anonymous(name):
            return None
        found = self._guessed(name, sentence, "prose-verb", 0.8)
        if self._titled(text, name, sentence.start):
            found.kind = NodeKind.PERSON  # "Gov. John Kasich of Ohio, a Republican who ..."
        return found

    def _head_of_appositions(
        self, text: str, position: int, before: list[Name], sentence: Sentence
    ) -> Name | None:
        """The name that opens a run of comma-separated appositions and relative clauses
        ending right before `position`; None when a piece is neither."""
        separators = list(_COMMA.finditer(text, sentence.start, position))
        starts = [sentence.start, *(m.end() for m in separators)]
        ends = [m.start() for m in separators]
        # the pieces before the last separator, nearest first (what follows the last
        # separator is the verb's own run: between words only)
        for index in range(len(ends) - 1, max(-1, len(ends) - 6), -1):
            start, end = starts[index], ends[index]
            piece = text[start:end]
            stripped = piece.strip()
            if not stripped.strip("”\"»’'"):
                if index == len(ends) - 1:
                    continue  # the verb after a closing quote: “Morning Joe,” said
                return None
            opening = _PIECE_OPENING.match(text, start, end)
            first = opening.end() if opening else start
            name = next((n for n in before if n.start == first), None)
            piece_end = start + len(piece.rstrip())
            if name is not None and name.outer_end >= piece_end:
                if self._is_place_or_people(name) and index > 0:
                    continue  # "who lost her son in Aurora, Colorado, in 2012": a place
                return name  # a bare name: the head
            last = next((n for n in reversed(before) if n.outer_end == piece_end), None)
            if (
                index == 0
                and last is not None
                and not self._anonymous(last)
                and (
                    self.role_before.search(text, start, last.start)
                    or self._coordinated_before(text, last, before, start)
                    # ("Last year Mark Ferry, an impersonator of X, said": an adverbial first)
                    or (
                        last.start > start
                        and text[last.start - 1] in " \t"
                        and bool(self.gap.match(text[start : last.start]))
                    )
                )
            ):
                # the sentence opens with the head, its role before it ("Florida delegate
                # John Archer, wearing a badge, said") or names in a row ("Ana Ruiz and
                # Tom Bell, who both ran, said"): the name that ends the piece
                return last
            if not _APPOSITIVE.search(stripped) and not self._place_piece(stripped):
                return None  # a clause of its own, not an apposition
        return None

    def _place_piece(self, piece: str) -> bool:
        """ "Va.", "Calif.", "Colorado": the state or country after a town in a speaker's
        apposition ("John Wills, of Springfield, Va., said")."""
        return bool(_STATE_ABBREVIATION.fullmatch(piece)) or self.lexicon.has("places", piece)

    def _party_of(self, name: Name) -> bool:
        """ "Democrat of Oregon", "Republican from Texas": a speaker's description in an
        apposition, capitalised like a name but naming nobody."""
        words = name.words
        return (
            len(words) >= 3
            and words[1] in ("of", "from")
            and any(self.lexicon.has(k, words[0]) for k in ("collectives", "demonyms"))
        )

    def _capitalised_adjective(self, name: Name) -> bool:
        """ "Военный блогер X", "Vojenský analytik X": a lone word with an adjective's ending
        (`name_head_adjectives`) before a title is the title's adjective, capitalised as its
        sentence's first word; these languages name the body a title serves after it."""
        word = name.text
        return (
            len(name.words) == 1
            and not word.isupper()
            and word.casefold().endswith(self.head_adjectives)
        )

    def _quoted_title_subject(self, text: str, position: int, sentence: Sentence) -> _Found | None:
        """ "Die „Frankfurter Allgemeine Zeitung“ berichtet", "Die Zeitung „Kommersant“
        berichtete": a title in quotation marks after an article or a kind noun, right
        before its verb (the names inside quotation marks are not read as names)."""
        end = position
        while end > sentence.start and text[end - 1] in " \t":
            end -= 1
        if end <= sentence.start or text[end - 1] not in '“”"»':
            return None
        match = self.quoted_subject.search(text, max(sentence.start, end - 120), end)
        if match is None or not self._short_title(match.group("name")):
            return None
        start, stop = match.start("name"), match.end("name")
        name = Name(match.group("name"), start, stop, None, match.end())
        return self._with_lead(name, match.group("noun"), None, sentence, "prose-verb", 0.85)

    def _clause_subject(self, site: CueSite) -> _Found | None:
        """The subject of a clause-final verb: the clause's first name in the nominative
        ("Bayan Hills ... söyledi.", "X در نشست خبری گفت:")."""
        text, cue, names, sentence, _ = site
        if not self.clause_end.match(text, cue.end(), sentence.end) and not (
            # "X اعلام کرد که ...": a conjunction opens the reported clause
            self._next_word_stops(text, cue.end(), sentence.end)
        ):
            return None
        if uncased_at(text, cue.start() - 2):
            return self._uncased_before(text, cue.start(), sentence, "prose-verb")
        quoted = self.quoted_kind_subject.match(text, sentence.start, cue.start())
        if quoted is not None and self._short_title(quoted.group("name")):
            found = self._quoted_with_kind(quoted, sentence, "prose-verb")
            found.direct = True
            return found
        candidates = [
            n
            for n in names
            if sentence.start <= n.start
            and n.outer_end <= cue.start()
            and not self.suffixed.search(n.text)
            # "Hindistan'ın": the case ending cut off the name marks no nominative either
            and not re.match(r"['’]\w", text[n.end : n.end + 2])
            and not self._anonymous(n)
        ]
        # "Houston merkezli Chevron, ... açıkladı": the name a modifier word follows, and
        # any before it, describe the next name, the subject, in the same phrase (a people
        # is passed over further on: "Rus yanlısı Telegram kanalı Rybar")
        modified = [
            i
            for i, (n, following) in enumerate(pairwise(candidates))
            if (modifier := self.modifier_after.match(text, n.outer_end, cue.start()))
            and not self._nameless_kinds(n.text)[0]
            and "," not in text[modifier.end() : following.start]
        ]
        if modified:
            candidates = candidates[modified[-1] + 1 :]
        if not candidates:
            return None
        # a capitalised sentence opener ("Para yöneticisi Barry Schrager") gives way to a
        # longer name later in the clause
        first = candidates[0]
        if first.start == sentence.start and len(first.words) == 1 and len(candidates) > 1:
            first = next((n for n in candidates[1:] if len(n.words) > 1), first)
        closing = self.kind_closing_subject.match(text, first.outer_end, cue.start())
        if closing is not None:
            noun, platform = closing.group("noun"), self._platform(closing.group("platform"))
            found = self._with_lead(first, noun, platform, sentence, "prose-verb", 0.8)
            found.direct = True
            return found
        return self._guessed(first, sentence, "prose-verb", 0.8, direct=True)

    def _next_word_stops(self, text: str, position: int, end: int) -> bool:
        token = TOKEN.match(
            text, position + len(text[position:end]) - len(text[position:end].lstrip())
        )
        return bool(
            token and token.group("word") and self.lexicon.has("name_stops", token.group("word"))
        )

    def _joined_speakers(self, site: CueSite, results: list[_Found]) -> list[_Found]:
        """A bare plural verb after names a conjunction joins: "Ana Ruiz and Tom Bell
        believe", "Ruiz, Bell and Lee want". Only there: a bare form after one name
        follows a causative or a question ("help Ruiz decide", "do you think")."""
        text, cue, names, sentence, objects = site
        subject = self._subject_before(text, cue.start(), names, sentence, objects)
        if subject is None or subject.relation != Relation.CITES:
            return []
        joined = self._coordinated_before(text, subject.name, names, sentence.start)
        if not joined:
            return []
        found: list[_Found] = []
        for item in (
            *(self._guessed(n, sentence, "prose-verb", 0.8) for n in joined),
            subject,
        ):
            if not any(r.name.start == item.name.start for r in (*results, *found)):
                if self._titled(text, item.name, sentence.start):
                    item.kind = NodeKind.PERSON
                found.append(item)
        return found

    def _finding_sources(self, site: CueSite) -> list[_Found]:
        """The names a finding's document subject carries: "a Quinnipiac University poll
        found", "FEC records show", "a study by the Larch Institute found", "polls from
        Monmouth University and CNN show"."""
        text, cue, names, sentence, _ = site
        low = max(sentence.start, cue.start() - 160)
        # the document noun nearest the verb heads its subject
        head = next(reversed(list(self.document_noun.finditer(text, low, cue.start()))), None)
        if head is None:
            return []
        # the noun heads the verb's subject: only its own modifiers stand between them
        # ("a poll released Saturday found", "records compiled by the Larch Institute show")
        gap = text[head.end() : cue.start()]
        if len(gap) > 90 or re.search(r"[,.;:!?\"“”«»()]|[ \t][—–-][ \t]", gap):
            return []
        name: Name | None = None
        after = [n for n in names if head.end() <= n.start and n.outer_end <= cue.start()]
        if after:
            joint = self.finding_by.fullmatch(text, head.end(), after[0].start)
            # with no "by" between them the name must end the subject ("un sondage Ifop
            # montre"; in "the report Trump cited found" it opens a clause of its own)
            if joint and (
                joint.group().strip() or self.gap.match(text[after[0].outer_end : cue.start()])
            ):
                name = after[0]
        if name is None:
            before = [n for n in names if low <= n.start and n.outer_end <= head.start()]
            modifier = before and self.finding_modifier.fullmatch(
                text, before[-1].outer_end, head.start()
            )
            if modifier and not (
                # "Election commission records show": a capitalised opener, no name
                modifier.group().strip()
                and before[-1].start == sentence.start
                and len(before[-1].words) == 1
                and not before[-1].text.isupper()
            ):
                name = before[-1]
        if name is None or self._anonymous(name) or self._is_place_or_people(name):
            return []
        # "a study by Loyola Law School professor Jonah Leavitt found": the person after
        # the role wrote it, for the body before the role
        person = self._person_after_role(text, name, names, cue.start())
        if person is not None and not self._anonymous(person):
            return [self._with_affiliation(person, name, sentence)]
        found = [self._guessed(name, sentence, "prose-verb", 0.8)]
        for other in self._coordinated_after(text, name, names, cue.start()):
            found.append(self._guessed(other, sentence, "prose-verb", 0.8))
        return found
