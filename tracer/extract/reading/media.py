"""The medium a source spoke through: "told the BBC", "zei Sanne Mulder tegen RTL Nieuws".

The outlet a person spoke to is a `via` reference beside the person's own. It stands
before a postposed cue ("Ylen haastattelussa"), beside the speaker, or after the verb's
object or inverted subject; a speaker may follow it ("disse à Folha o diretor X").
"""

from __future__ import annotations

import re

from tracer.extract.cuepatterns import PREPOSITIONS
from tracer.extract.finding import Found as _Found
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.judgement import (
    MEDIA_KINDS,
    WORD_RUN,
    CueSite,
    head_of,
    shortened,
    without_head,
)
from tracer.extract.reading.objects import ObjectReading
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind, Relation

#: between an outlet and the person who told it: the person's role and its complement, in
#: words alone ("представитель компании", "ο υπουργός Οικονομικών"); a mark ends the phrase
_PHRASE_GAP = re.compile(r"[\w \t'’-]{0,60}")

#: a preposition after a verb, before the medium it names: "w TVP Info", "v ČT", "sur BFMTV",
#: "im ZDF"
_PREPOSITION = re.compile(rf"[ \t]+(?:{PREPOSITIONS}|v|ve|im)[ \t]+")

#: the kinds a name listed as an outlet's or a channel's gets (a kind ending or spelling)
_LISTED_MEDIA = frozenset({(NodeKind.OUTLET, 0.85), (NodeKind.CHANNEL, 0.85)})

#: the word right before a phrase
_LAST_WORD = re.compile(r"(\w+)[ \t]+$")


def _outlet_and_person(run: Name, person_from: int) -> tuple[Name, Name]:
    """An outlet's name and a person's that the name finder ran together ("ТАСС Иван
    Петров", "Efe Carmen Vidal"), cut where the person's starts (`_body_prefix`)."""
    return head_of(run, len(run.text[:person_from].rstrip())), without_head(run, person_from)


class MediaReading(ObjectReading):
    """Reads the medium a speaker spoke through, wherever it stands around the cue."""

    def _medium_before(self, site: CueSite) -> _Found | None:
        """The medium before a postposed "interview" cue: a name in the dative or allative
        ("Reuters'a yaptığı açıklamada"), or, in a language that writes endings onto the
        word, in the genitive ("Ylen haastattelussa", "STT:n haastattelussa")."""
        text, cue, _, sentence, objects = site
        name = site.name_before()
        if name is None or name.start in objects or name.start < sentence.start:
            return None
        gap = text[name.outer_end : cue.start()]
        suffixed = cue.group().casefold() in self.lexicon.suffixed_cues
        ending = gap.rstrip(" \t")
        if not (
            (ending and ending in self.medium_suffixes and gap[len(ending) :].isspace())
            or (suffixed and self.gap_before_postposition.fullmatch(gap) and "'" not in gap)
        ):
            return None
        name, _ = self._suffixed_base(text, name, cue.group())
        return self._medium(name, sentence)

    def _medium_beside(self, site: CueSite) -> _Found | None:
        """The medium a speech verb names beside it with a case ending of its own: the
        dative before it ("AFP'ye konuşan X"), the allative after it ("sanoi STT:lle")."""
        text, cue, names, sentence, objects = site
        before = site.name_before()
        after = next((n for n in names if n.start >= cue.end()), None)
        for name, between in (
            (before, text[before.outer_end : cue.start()] if before else ""),
            (after, text[cue.end() : after.start] if after else ""),
        ):
            if name is None or name.start < sentence.start or len(between) > 8:
                continue
            # what is written onto the name: "'ye", ":lle" (a comma after it is no ending)
            attached = WORD_RUN.match(text, name.outer_end, name.outer_end + 8)
            ending = attached.group().rstrip(".,;!?") if attached else ""
            if not (between.isspace() or (name is before and between.rstrip() == ending)):
                continue
            if ending:
                if ending not in self.medium_suffixes:
                    continue
            elif cue.group().casefold() in self.lexicon.suffixed_cues:
                # "sanoi Ylelle": a letter-initial ending written onto the word
                glued = next(
                    (e for e in self.medium_suffixes if e[0].isalpha() and name.text.endswith(e)),
                    None,
                )
                if glued is None or len(name.text) - len(glued) < 3:
                    continue
                name = shortened(name, len(glued))
            else:
                continue
            if name.start in objects or self._anonymous(name):
                return None
            return self._medium(name, sentence)
        return None

    def _medium_after_object(self, site: CueSite) -> _Found | None:
        """ "a confirmé l'information à l'AFP", "confirmó la noticia a EFE": the medium a
        speaker told something to, after the verb's object. The preposition also names
        people and places ("à Paris", "a su hermano"): only an outlet or a channel counts."""
        text, cue, names, sentence, objects = site
        pattern = self.object_then_dative
        if pattern is None:
            return None
        dative = pattern.match(text, cue.end(), sentence.end)
        if dative is None and cue.lastgroup == "via":
            # "confirmou a informação à Lusa": the via phrase's last word ("a", "to") was
            # the object's article
            dative = pattern.match(text, text.rfind(" ", cue.start(), cue.end()), sentence.end)
        if dative is None:
            return None
        medium = self._via_after(text, dative.end(), names, sentence)
        if medium is None or medium.kind not in MEDIA_KINDS or medium.name.start in objects:
            return None
        return medium

    def _medium_after_subject(
        self, text: str, verb: str, subject: _Found | None, names: list[Name], sentence: Sentence
    ) -> _Found | None:
        """ "zei Sanne Mulder tegen RTL Nieuws", "sagte X gegenüber dem Sender Y": the rest of
        a `via` phrase that opens with the verb, after the verb's inverted subject."""
        rests = self.via_after_verb.get(verb)
        if subject is None or not rests:
            return None
        end = subject.name.outer_end
        for rest in rests:
            if text.startswith(" " + rest + " ", end):
                return self._via_after(text, end + len(rest) + 2, names, sentence)
        return None

    def _dative_medium(
        self, text: str, subject: _Found, names: list[Name], sentence: Sentence
    ) -> _Found | None:
        """ "sagte Jana Berg der Süddeutschen Zeitung", "sagte Jana Berg dem Spiegel": an
        outlet after a dative article, after the verb's inverted subject, is whom the subject
        told. The name finder may have run the two together over the article (which is also
        the genitive), so the outlet's kind decides; the subject keeps its own part."""
        run = subject.name
        inside = self.dative_article.search(run.text)
        if inside is not None:
            body = without_head(run, inside.end())
            if guess_kind(body, self.lexicon)[0] not in MEDIA_KINDS:
                return None
            person = head_of(run, inside.start())
            subject.name = person
            subject.kind = guess_kind(person, self.lexicon)[0]
            return self._medium(body, sentence)
        after = self.dative_article.match(text, run.outer_end, sentence.end)
        told = next((n for n in names if after is not None and n.start == after.end()), None)
        if told is None or guess_kind(told, self.lexicon)[0] not in MEDIA_KINDS:
            return None
        return self._medium(told, sentence)

    def _speaker_after_medium(self, site: CueSite, medium: _Found) -> _Found | None:
        """ "“...”, disse à Folha o diretor X": after a quotation the speaker follows the
        verb and the medium it spoke to, as it follows a verb alone ("”, disse X"); so it
        does after a phrase that opens with a verb whose subject may follow it ("δήλωσε
        στην ΕΡΤ ο υπουργός X"). "W rozmowie z Polsat News Jan Kowalski przyznał": a
        person the outlet's name ran into, before a verb, is that verb's subject."""
        text, cue, names, sentence, _ = site
        run = medium.name
        # an outlet, or a body whose name opens in capitals: an acronym or a masthead as
        # the paper writes it ("disse ao PÚBLICO Lawrence Flynn"), which a person's name
        # never opens with
        opener = run.text.split()[0]
        person_from = (
            self._body_prefix(run)
            if medium.kind in MEDIA_KINDS or (len(opener) > 1 and opener.isupper())
            else None
        )
        inverted = self.lexicon.inverted_verbs
        before = _LAST_WORD.search(text, max(sentence.start, cue.start() - 40), cue.start())
        words = cue.group().casefold().split()
        if not (
            # the phrase opens with the verb, or follows it: "сказал в интервью РБК X"; a
            # compound past opens it too ("ha detto all'ANSA il sindaco X", "a déclaré à
            # l'AFP le maire X")
            any(" ".join(words[:length]) in inverted for length in range(1, len(words)))
            or (before is not None and before.group(1).casefold() in inverted)
            or self.postposed.search(text, sentence.start, cue.start())
            or (person_from is not None and self._verb_next(text, run.outer_end, sentence.end))
        ):
            return None
        if person_from is not None:
            # "«…», dijo a Efe Carmen Vidal": the outlet's name and the speaker's ran
            # together; the outlet is the medium, the person after it speaks
            medium.name, person = _outlet_and_person(run, person_from)
            return _Found(person, NodeKind.PERSON, 0.8, sentence, "prose-verb")
        return self._object_after(
            text, medium.name.outer_end, names, sentence, "prose-verb", inverted=True
        )

    def _told_before_subject(self, site: CueSite, after: _Found) -> tuple[_Found, _Found] | None:
        """ "рассказал РБК представитель компании X", "powiedział PAP Jan Kowalski", "řekl
        ČTK mluvčí X", "δήλωσε στον ΣΚΑΪ ο υπουργός X": an outlet right after a verb whose
        subject follows it, with a person after the outlet, is whom the person told (a
        bare dative, which an acronym does not mark). Returns the medium and the speaker
        for `after`, the verb's inverted subject as first read; None when no person follows
        the outlet ("сообщает ТАСС"). An outlet after a title is the person's own body
        ("сказал глава РБК X") and stays so."""
        text, cue, _, sentence, _ = site
        run = after.affiliation_name if after.kind == NodeKind.PERSON else after.name
        if run is None or guess_kind(run, self.lexicon)[0] not in MEDIA_KINDS:
            return None
        if self.title_before.search(text, cue.end(), run.start + 1):
            return None
        if after.kind == NodeKind.PERSON:
            # the role reader took the outlet for the body of the person's role
            after.affiliation = after.affiliation_name = None
            return self._medium(run, sentence), after
        return self._outlet_then_speaker(site, run)

    def _told_in_medium(self, site: CueSite) -> tuple[_Found, _Found] | None:
        """ "powiedział wcześniej w TVP Info rzecznik rządu X", "a déclaré sur BFMTV le
        ministre X": a known outlet in a prepositional phrase right after a verb whose
        subject follows it, then the speaker. The phrase also names places ("w Warszawie"):
        only a name listed as an outlet's or a channel's counts."""
        text, cue, names, sentence, _ = site
        skipped = self.after_verb.match(text, cue.end(), sentence.end)
        phrase = _PREPOSITION.match(text, skipped.end() if skipped else cue.end(), sentence.end)
        run = next((n for n in names if phrase and n.start == phrase.end()), None)
        if run is None:
            return None
        # (the outlet's name may have run into the person's: "w Polsat News Adam Kowal")
        person_from = self._body_prefix(run)
        outlet = run if person_from is None else _outlet_and_person(run, person_from)[0]
        if guess_kind(outlet, self.lexicon) not in _LISTED_MEDIA:
            return None
        return self._outlet_then_speaker(site, run)

    def _outlet_then_speaker(self, site: CueSite, run: Name) -> tuple[_Found, _Found] | None:
        """The medium `run` names and the speaker after it; None when no person follows."""
        text, _, names, sentence, objects = site
        person_from = self._body_prefix(run)
        if person_from is not None:
            # "сказал ТАСС Иван Петров": the name finder ran the two names together
            medium, person = _outlet_and_person(run, person_from)
            split = _Found(person, NodeKind.PERSON, 0.8, sentence, "prose-verb")
            return self._medium(medium, sentence), split
        speaker = self._object_after(
            text, run.outer_end, names, sentence, "prose-verb", inverted=True
        )
        if (
            speaker is None
            or speaker.kind in MEDIA_KINDS
            or speaker.name.start in objects
            or not _PHRASE_GAP.fullmatch(text, run.outer_end, speaker.name.start)
        ):
            return None
        return self._medium(run, sentence), speaker

    def _via_after(
        self, text: str, position: int, names: list[Name], sentence: Sentence
    ) -> _Found | None:
        """The name after `position` as an object, read as the medium a speaker spoke
        through: a `via` reference."""
        medium = self._object_after(text, position, names, sentence, "prose-via")
        if medium is not None:
            medium.relation = Relation.VIA
        return medium

    def _medium(self, name: Name, sentence: Sentence) -> _Found:
        """A `via` reference to the medium `name` names."""
        kind, score = guess_kind(name, self.lexicon)
        medium = _Found(name, kind, min(0.8, score + 0.05), sentence, "prose-via")
        medium.relation = Relation.VIA
        return medium
