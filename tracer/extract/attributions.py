"""Sources the prose cites: "according to X", "X said", "citing Y", "the Telegram channel Z".

Each attribution becomes a `cites` reference with the exact sentence as evidence. Chains
("RT said ..., citing the Telegram channel GREY ZONE") set `cited_by` on the far end.
Anonymous and generic sources ("a source said", "media reported"), pronouns and the
document's own outlet are never cited sources. Speech inside quotation marks is not
read for cues: a quoted sentence is what a source said, not who said it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracer.extract.cuepatterns import (
    LOWER,
)
from tracer.extract.finding import Found as _Found
from tracer.extract.finding import is_own as _is_own
from tracer.extract.finding import merge as _merge
from tracer.extract.finding import plain_spaces as _plain_spaces
from tracer.extract.finding import source_key as _key
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.affiliations import AffiliationReading
from tracer.extract.reading.judgement import (
    QUOTED_NAME,
    TAIL,
    WORD_RUN,
    uncased_at,
)
from tracer.extract.reading.media import MediaReading
from tracer.extract.reading.subjects import SubjectReading
from tracer.extract.reading.titles import TitleReading
from tracer.extract.reference import Reference
from tracer.extract.sentences import Sentence, Sentences
from tracer.store.model import NodeKind, Relation

# (two apostrophes quote in text that lost its curly quotes: ''We will fight,'' said X).
# A straight mark right after a word or a comma closes a quotation whose opening mark was
# curly ('“We will fight," said X'): it opens none. The look-behind that says so comes
# after the mark, so that every alternative opens with a character and `re` skips in C to
# the quotation marks instead of trying the alternation at every character
_QUOTED = re.compile(
    r"“[^”\n]{0,2000}”|«[^»\n]{0,2000}»|„[^“”\n]{0,2000}[“”]"
    r"|\"(?<![^\s(\[—–-]\")[^\"\n]{0,2000}\"|``?[^\n]{0,2000}?''|''(?<![^\s(\[—–-]'')[^\n]{0,2000}?''"
)
# "the report titled “Gold and Blood”": the title word first, the document noun checked after
# quotation marks are rare characters `re` skips to fast; the title word is checked before it
# (French guillemets hold their title between spaces: « Les routes de l'or »)
_TITLE_QUOTE = re.compile(
    r"[“\"«„][ \t\u00a0]*(?P<title>[^”\"»“\n]{2,150}?[^\s”\"»“])[ \t\u00a0]*[”\"»“]"
)
_TITLE_QUOTE_OPENERS = '“"«„'
_TITLE_WORD = re.compile(
    r"(?<!\w)(?i:titled|entitled|called|named|mit dem Titel|intitulé|intitulée|titulado|titulada|intitolato|intitolata|intitulado|intitulada|pod tytułem|под названием|під назвою)[ \t]*$"
)
_DOCUMENT_BEFORE = re.compile(
    r"(?i:report|study|document|investigation|paper|dossier|book|Bericht|Studie|rapport|étude|informe|estudio|rapporto|studio|relatório|estudo|inquérito|raport|doklad|доклад|отчет|отчёт|звіт|доповідь|дослідження|исследование)\w*[ \t]+(?:\S+[ \t]+)?$"
)

# the start of a line with a colon in its first 80 characters: "Bernie Sanders: ..."; the
# text's first line apart, so that the pattern for the others opens with its line break
# (a literal `re` skips to in C, where "(?:^|\n)" is tried at every character)
_HEADLINE = re.compile(r"\n[ \t]*(?=[^\W\d_][^\n:]{0,78}:[ \t])")
_FIRST_HEADLINE = re.compile(r"[ \t]*(?=[^\W\d_][^\n:]{0,78}:[ \t])")
#: two initials with their stops, as transcripts mark who speaks
_INITIALS = re.compile(r"[^\W\d_]\.[^\W\d_]\.?")
#: a colon that opens a quotation: what a name before it said
_COLON_QUOTE = re.compile(r":[ \t]*[“\"«„‘]")
#: what may stand before a name that a colon and a quotation follow: its sentence's
#: start, a dash of a round-up, "from" ("More from Ruiz:")
_BEFORE_COLON_SPEAKER = re.compile(
    r"(?:[\n.!?”\"»][ \t]*|[-—–][ \t]*|\b(?:from|von|de|di|van)[ \t]+)$"
)
#: a closing quotation mark, then a dash that signs it: "” ― Ana Ruiz" (not a hyphen;
#: web text pads signatures with no-break spaces as often as with spaces)
_QUOTE_DASH = re.compile(r"[”\"»“][ \t\u00a0]*[―—–][ \t\u00a0]*")
_QUOTE_DASH_OPENERS = '”"»“'
# what may follow the name that signs a quotation: the line's end, a full stop, the next quote
_SIGNATURE_END = re.compile(r"[ \t\u00a0]*(?:[.,;]|\n|$|[“\"«„])")

#: a lower-case word and a capitalised one after a name: " of War" may go on with it
_CONNECTED_WORD = re.compile(rf"[ \t]+(?P<connector>{LOWER}[\w']*)[ \t]+(?!{LOWER})[^\W\d_]")


def _opening_at(pattern: re.Pattern[str], text: str, openers: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose every match opens with one of the
    characters `openers`: tried only where `str.find` finds one. Quotation marks are rare
    in most texts, and `re` tests a class at every character of the text."""
    positions = sorted(position for opener in openers for position in _occurrences(text, opener))
    last = 0
    for position in positions:
        if position < last:
            continue
        match = pattern.match(text, position)
        if match is not None:
            yield match
            last = match.end()


def _occurrences(text: str, character: str) -> Iterator[int]:
    position = text.find(character)
    while position >= 0:
        yield position
        position = text.find(character, position + 1)


def _headline_starts(text: str) -> Iterator[int]:
    """Where each line that may open with a name and a colon has its first letter."""
    first = _FIRST_HEADLINE.match(text)
    if first is not None:
        yield first.end()
    for line in _HEADLINE.finditer(text):
        yield line.end()


class AttributionFinder(AffiliationReading, TitleReading, SubjectReading, MediaReading):
    """`find(text)` reads a document's prose for the sources it cites, with the patterns
    of one lexicon (`CuePatterns`); what it learns of one text's names is kept here."""

    # -- helpers ---------------------------------------------------------------------

    # -- the patterns ----------------------------------------------------------------

    def find(self, text: str, sentences: Sentences, own_names: list[str]) -> list[Reference]:
        original = text
        # web text spaces words with no-break and thin spaces as often as with spaces; the
        # patterns read them as spaces, and evidence is cut from the original text (the
        # replacement keeps every offset)
        text = _plain_spaces(text)
        found: list[_Found] = []
        # each sentence is read once, with every cue it holds, in order
        by_sentence: dict[Sentence, list[re.Match[str]]] = {}
        platform_hits: list[re.Match[str]] = []
        document_endings: list[re.Match[str]] = []
        starts = self.word_starts.find(text)
        for match in self.cues.at(text, starts):
            if match.lastgroup == "platform_word":
                platform_hits.append(match)
                continue
            if match.lastgroup == "document_ending":
                document_endings.append(match)
                continue
            if (
                match.lastgroup in {"verb", "plural_verb"}
                and not self._may_have_subject(text, match.start())
                and not self._subject_may_follow(text, match)
                and not self.agent_after.match(text, match.end())
            ):
                continue
            if match.lastgroup == "verb" and self.non_speech.match(text, match.start()):
                continue  # "Unia zapewniła sobie awans": secured, not assured
            if match.lastgroup == "finding" and not self.document_noun.search(
                text, max(0, match.start() - 160), match.start()
            ):
                continue  # "shows", "found" with no poll or records before: no finding
            sentence = sentences.at(match.start())
            if sentence.start <= match.start() < sentence.end:
                by_sentence.setdefault(sentence, []).append(match)
        for sentence, matches in by_sentence.items():
            found.extend(self._in_sentence(text, sentence, matches))
        found.extend(self._quote_signatures(text, sentences))
        found.extend(self._mentions(text, sentences, platform_hits, document_endings, starts))
        own = {key for key in (_key(n) for n in own_names) if key}
        return _merge(
            original, [f for f in found if _key(f.name.text) not in own and not _is_own(f, own)]
        )

    def _quote_signatures(self, text: str, sentences: Sentences) -> list[_Found]:
        """A quotation signed with a dash and a name: "“We will win.” ― Ana Ruiz", the shape
        of vox pops, epigraphs and quoted posts in every language."""
        found: list[_Found] = []
        for dash in _opening_at(_QUOTE_DASH, text, _QUOTE_DASH_OPENERS):
            names = self.names.find(text, dash.end(), min(len(text), dash.end() + 80))
            name = names[0] if names else None
            if name is None or name.start != dash.end() or self._anonymous(name):
                continue
            if not _SIGNATURE_END.match(text, name.outer_end):
                continue  # the dash opens a clause of its own: "” — Smith said later"
            sentence = sentences.at(name.start)
            item = self._guessed(name, sentence, "prose-quote", 0.75)
            if not self._no_source(text, item):
                found.append(item)
        return found

    def _may_have_subject(self, text: str, position: int) -> bool:
        """Whether the word before a verb could end a name ("he said", "officials said"
        cannot): most verbs in an article fail this cheap test and cost nothing more."""
        before = text[max(0, position - 40) : position].rstrip()
        if not before:
            return False
        if before[-1] in ",”\"»)]—–-'’":
            return True  # an apposition, a quotation before the verb, a possessive
        words = before.rsplit(None, 3)
        word = words[-1]
        between = self.between_words
        return (
            word[:1].isupper()
            or word[:1] == "@"
            or word.casefold() in self.leading_words
            # "X last month revealed", "X on Monday night said": a phrase of several words
            or any(" ".join(words[-n:]).casefold() in between for n in (2, 3))
        )

    def _subject_may_follow(self, text: str, verb: re.Match[str]) -> bool:
        """Whether a verb whose subject is not right before it may still have one: after it
        (inverted order), at the start of its clause (verb-final), or in a script without
        capitals, where `_may_have_subject` cannot tell."""
        word = verb.group().casefold()
        lx = self.lexicon
        return word in lx.inverted_verbs or word in lx.final_verbs or uncased_at(text, verb.start())

    def _quoted(self, text: str, sentence: Sentence) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in _QUOTED.finditer(text, sentence.start, sentence.end)]

    def _in_sentence(
        self, text: str, sentence: Sentence, matches: list[re.Match[str]]
    ) -> list[_Found]:
        quoted = self._quoted(text, sentence)

        def inside_quotes(position: int) -> bool:
            return bool(quoted) and any(start < position < end for start, end in quoted)

        cues = [
            m
            for m in matches
            if not inside_quotes(m.start()) and self._particle_follows(text, m, sentence)
        ]
        if not cues:
            return []
        names: list[Name] = []
        # names near the cues are all a sentence's cues can reach
        low = max(sentence.start, cues[0].start() - TAIL)
        high = min(sentence.end, cues[-1].end() + TAIL)
        runs = [
            part
            for whole in self.names.find(text, low, high)
            for part in self._split_case_ending(text, whole)
        ]
        for run in runs:
            for name in self._split_coordination(text, run):
                # a capitalised cue is no part of the name after it: "Per the Dockside Ledger",
                # nor is the rest of a cue whose first word the name dropped as an opener
                # ("Nach Angaben von Destatis": the name read "Angaben von Destatis"); a
                # lower-case cue inside one is its closing kind word: "Českou televizi"
                cut = next(
                    (
                        c.end()
                        for c in cues
                        if c.start() < name.end
                        and c.end() > name.start
                        and not (c.start() > name.start and text[c.start()].islower())
                    ),
                    None,
                )
                for part in [name] if cut is None else self.names.find(text, cut, name.outer_end):
                    if not inside_quotes(part.start) and not self._platform_qualifier(text, part):
                        names.append(part)
        results: list[_Found] = []
        objects: dict[
            int, tuple[_Found, int, str]
        ] = {}  # name.start -> (found, cue start, cue type)
        # objects of "according to" and "citing" first: a verb's subject is never one of them
        for cue in cues:
            kind = cue.lastgroup
            if kind == "finding":
                for finding in self._finding_sources(text, cue, names, sentence):
                    if not any(r.name.start == finding.name.start for r in results):
                        results.append(finding)
                continue
            if kind in {"according", "citing"}:
                found = self._object_after(text, cue.end(), names, sentence, f"prose-{kind}")
                if found is None and self._ends_in_inverted_verb(cue):
                    vias = {c.start(): c for c in cues if c.lastgroup == "via"}
                    found = self._object_after(
                        text, cue.end(), names, sentence, f"prose-{kind}", inverted=True, vias=vias
                    )
            elif kind in {"according_after", "citing_after"}:
                # "Reuters'a atfen", "Reutersiin viitaten": a postposed "citing"
                kind = "citing" if kind == "citing_after" else kind
                extractor = "prose-citing" if kind == "citing" else "prose-according"
                found = self._object_before(
                    text, cue.start(), names, sentence, cue.group(), extractor
                )
            else:
                continue
            if found is not None:
                objects[found.name.start] = (found, cue.start(), kind or "")
                results.append(found)
                # "according to Ana Ruiz and Tom Bell": each joined name is a source
                for other in self._coordinated_after(text, found.name, names, sentence.end):
                    joined = self._guessed(other, sentence, found.extractor, found.confidence)
                    objects[other.start] = (joined, cue.start(), kind or "")
                    results.append(joined)
        media: list[tuple[_Found, int]] = []
        vias = {cue.start(): cue for cue in cues if cue.lastgroup == "via"}
        for cue in cues:
            if cue.lastgroup == "plural_verb":
                results.extend(self._joined_speakers(text, cue, names, sentence, objects, results))
                continue
            if cue.lastgroup == "via_after":
                # "Reuters'a yaptığı açıklamada", "Ylen haastattelussa": the medium before
                after_medium = self._medium_before(text, cue, names, sentence, objects)
                if after_medium is not None:
                    media.append((after_medium, cue.start()))
                continue
            if cue.lastgroup not in {"verb", "via"}:
                continue
            word = cue.group().casefold()
            if self.medium_suffixes and cue.lastgroup == "verb":
                beside = self._medium_beside(text, cue, names, sentence, objects)
                if beside is not None:
                    media.append((beside, cue.start()))
            if self.object_then_dative is not None:
                told = self._medium_after_object(text, cue, names, sentence, objects)
                if told is not None:
                    media.append((told, cue.start()))
            agent = self.agent_after.match(text, cue.end(), sentence.end)
            if agent is not None and cue.lastgroup == "verb":
                # a passive names its source after the participle: "endorsed by the Globe"
                found = self._object_after(text, agent.end(), names, sentence, "prose-verb")
                if found is not None:
                    objects[found.name.start] = (found, cue.start(), "agent")
                    results.append(found)
                continue
            subject = self._subject_before(text, cue.start(), names, sentence, objects)
            medium_cue = next(
                (at for medium, at in media if subject and medium.name.start == subject.name.start),
                None,
            )
            if medium_cue is not None:
                # "Hana Dvořáková ve vysílání ČT24 řekla": the medium is not who speaks; the
                # speaker stands before the phrase that names it
                subject = self._subject_before(text, medium_cue, names, sentence, objects)
            if cue.lastgroup == "via":
                medium = self._object_after(text, cue.end(), names, sentence, "prose-via")
                if (
                    medium is not None
                    and medium.affiliation_name is not None
                    and (
                        medium.name.start in objects
                        or any(r.name.start == medium.name.start for r in results)
                    )
                ):
                    # "ocenił w rozmowie z RMF FM generał X", "как заявил в эфире телеканала
                    # «Россия-1» политолог X": the titled person after the medium is the
                    # speaker; the medium is the name before the title
                    medium = self._guessed(medium.affiliation_name, sentence, "prose-via", 0.85)
                if (
                    medium is not None
                    and medium.name.start not in objects
                    and not self._clitic_without_speaker(text, cue, results)
                ):
                    medium.relation = Relation.VIA
                    media.append((medium, cue.start()))
                    if subject is None:
                        subject = self._speaker_after_medium(text, cue, medium, names, sentence)
            elif (
                (
                    subject is None
                    or (
                        # "..., δήλωσε ο πρόεδρος X": a name before the comma ended the clause
                        # the verb reports; the subject follows the verb
                        word in self.lexicon.inverted_verbs
                        and "," in text[subject.name.outer_end : cue.start()]
                        and not self._titled_apposition(text, subject, cue.start())
                    )
                )
                and (
                    word in self.lexicon.inverted_verbs
                    or self.postposed.search(text, sentence.start, cue.start())
                )
                and not (subject is None and self._noun_subject(text, sentence, cue))
            ):
                after = self._object_after(
                    text, cue.end(), names, sentence, "prose-verb", inverted=True, vias=vias
                )
                if after is not None and self._place_of_noun(text, word, after.name):
                    after = None
                subject = after or subject
                medium = self._medium_after_subject(text, word, after, names, sentence)
                if medium is not None:
                    media.append((medium, cue.start()))
            elif subject is None and self.after_comma.search(text, sentence.start, cue.start()):
                subject = self._object_after(
                    text, cue.end(), names, sentence, "prose-verb", lead=False
                )
            if subject is None and word in self.lexicon.final_verbs:
                subject = self._clause_subject(text, cue, names, sentence)
            elif subject is None and cue.lastgroup == "verb" and uncased_at(text, cue.start()):
                subject = self._uncased_fronted(text, cue, sentence)
            if subject is None and word.split()[0] in self.finding_words:
                # "a Quinnipiac University poll found that": a finding, with its "that"
                for finding in self._finding_sources(text, cue, names, sentence):
                    if not any(r.name.start == finding.name.start for r in results):
                        results.append(finding)
            if subject is not None and not any(r.name.start == subject.name.start for r in results):
                results.append(subject)
                joint = self.conjunction_word.search(text, sentence.start, subject.name.start)
                if joint and joint.group()[:1].isupper():
                    subject.direct = False  # "Brunei and Taiwan have claims": not a government
                if subject.relation == Relation.CITES and subject.name.start not in objects:
                    # "Ana Ruiz and Tom Bell said": each joined name speaks
                    for other in self._coordinated_before(
                        text, subject.name, names, sentence.start
                    ):
                        if not any(r.name.start == other.start for r in results):
                            joined = self._guessed(other, sentence, "prose-verb", 0.8)
                            if self.title_before.search(
                                text, max(sentence.start, other.start - 30), other.start
                            ):
                                joined.kind = NodeKind.PERSON  # "Mr. Grale and Mr. Leary"
                            results.append(joined)
        # a "citing" object is cited by the sentence's speaker, and a medium ("told the BBC")
        # carried the speaker's words, when the sentence names a speaker
        citing_verbs = {
            cue.start()
            for cue in cues
            if cue.lastgroup == "citing"
            and " ".join(cue.group().split()).casefold() in self.citing_verbs
        }
        for found, cue_start, kind in list(objects.values()):
            if kind != "citing":
                continue
            speakers = [
                r
                for r in results
                if r is not found and r.name.start < cue_start and r.cited_by is None
            ]
            if not speakers and cue_start in citing_verbs:
                # "РИА Новости приводит слова X", "ТАСС цитирует X": a finite citing verb's
                # subject is the speaker who cites
                speaker = self._subject_before(text, cue_start, names, sentence, objects)
                if speaker is not None and not any(
                    r.name.start == speaker.name.start for r in results
                ):
                    results.append(speaker)
                    speakers = [speaker]
            if speakers:
                found.cited_by = max(speakers, key=lambda r: r.name.start)
        for medium, cue_start in media:
            speakers = [r for r in results if r.relation == Relation.CITES]
            if speakers:
                medium.cited_by = min(speakers, key=lambda r: abs(r.name.start - cue_start))
            results.append(medium)
        for found in results:
            self._split_title(found)
            self._title_prefix_body(text, found)
            # (an acronym complement first: it is the body the person speaks for)
            self._split_complement(text, found, sentence)
            self._cut_title_complement(text, found)
            self._split_body_prefix(text, found)
            self._quoted_body_before(text, found)
            self._body_after_connector(found)
            self._plural_possessive_owner(text, found, names)
            self._apposition_affiliation(text, found, names, sentence)
            self._title_of_affiliation(text, found, names)
            self._neuter_body(text, found)
            self._lone_surname(text, found)
            self._genitive_body(text, found, names)
        results.extend(self._affiliations(text, results))
        return [r for r in results if not self._no_source(text, r)]

    def _lone_surname(self, text: str, found: _Found) -> None:
        """ "sagte Steger" after "Petra Steger", "Зеленский заявил": one word whose kind
        nothing but its shape gave (a body, by default) is a person's surname when the text
        names the person in full elsewhere, or, as a speech verb's subject, when it ends as
        the language's surnames do (`surname_endings`)."""
        name = found.name
        if (
            found.kind != NodeKind.ORGANIZATION
            or len(name.words) != 1
            or name.title
            or name.abbreviation
            or name.text.isupper()
            or guess_kind(name, self.lexicon) != (NodeKind.ORGANIZATION, 0.5)
        ):
            return
        word = name.text.casefold()
        if (
            found.extractor == "prose-verb"
            and len(word) > 4
            and word.endswith(self.surname_endings)
            and not self._is_place_or_people(name)
        ) or name.text in self._surnames(text):
            found.kind = NodeKind.PERSON

    def _neuter_body(self, text: str, found: _Found) -> None:
        """ "Το Al Jazeera μετέδωσε", "das Robert Koch-Institut meldete": a person's name
        takes a masculine or feminine article, so a name right after a neuter one that its
        shape alone made a person's names a body."""
        if found.kind != NodeKind.PERSON or found.name.title:
            return
        before = text[max(0, found.name.start - 12) : found.name.start]
        words = before.split()
        if words and before[-1:] in " \t" and self.lexicon.has("neuter_articles", words[-1]):
            found.kind = NodeKind.ORGANIZATION

    def _place_of_noun(self, text: str, verb: str, name: Name) -> bool:
        """ "vahvistaa Suomen turvallisuutta": after a verb of a language that writes case
        endings onto names, a place followed by a lower-case noun is that noun's genitive,
        the verb's object, not its subject (a country speaks in its nominative, with
        nothing or an adverb after it: "ilmoitti Venäjä maanantaina")."""
        if verb not in self.lexicon.suffixed_cues or not self._place_text(name.text):
            return False
        after = WORD_RUN.match(text, name.outer_end + 1)
        word = after.group() if after and text[name.outer_end : after.start()] == " " else ""
        return word[:1].islower() and word.casefold().rstrip(".,;:!?") not in self.between_words

    def _name_goes_on(self, text: str, end: int) -> bool:
        """Whether a connector and a capitalised word follow `end`: the name goes on."""
        after = _CONNECTED_WORD.match(text, end)
        return after is not None and self.lexicon.has("connectors", after.group("connector"))

    def _particle_follows(self, text: str, cue: re.Match[str], sentence: Sentence) -> bool:
        """Whether a cue is a verb of its own, or the finite part of a particle verb whose
        particle closes its clause later in the sentence ("maakte ... bekend")."""
        word = cue.group().casefold()
        particles = self.particles.get(word)
        if particles is None or word in self.plain_verbs:
            return True
        rest = text[cue.end() : sentence.end]
        return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", rest) for p in particles)

    def _noun_subject(self, text: str, sentence: Sentence, cue: re.Match[str]) -> bool:
        """Whether the verb's clause opens with its subject, an article and a noun that
        names no source: then the name after the verb is its object, not an inverted
        subject."""
        return bool(self.noun_subject.search(text[sentence.start : cue.start()]))

    def _clitic_without_speaker(self, text: str, cue: re.Match[str], results: list[_Found]) -> bool:
        """A via cue that is a bare clitic ("لـ", "to") carries a speaker's words only right
        after the speaker's name ("وقال X لـ"الجزيرة""); elsewhere it marks a possessive
        ("بيانا لـ"حماس"", a statement of Hamas)."""
        return self.lexicon.has("name_prefixes", cue.group()) and not any(
            r.relation == Relation.CITES and not text[r.name.outer_end : cue.start()].strip()
            for r in results
        )

    def _platform_qualifier(self, text: str, name: Name) -> bool:
        """ "Telegram" in "Telegram channel X" qualifies the next name, it names nothing."""
        if name.text.casefold() not in self.lexicon.platform_of_word:
            return False
        return bool(self.qualifier_noun.match(text[name.end : name.end + 40]))

    def _ends_in_inverted_verb(self, cue: re.Match[str]) -> bool:
        """ "как заявил", "как сообщает": a cue that ends in a verb whose subject may follow
        it may read its source as that verb does (past adverbs, titles and a medium)."""
        words = cue.group().split()
        return len(words) > 1 and words[-1].casefold() in self.lexicon.inverted_verbs

    def _titled_apposition(self, text: str, subject: _Found, verb: int) -> bool:
        """Whether an apposition with a role stands between the subject and its verb:
        "Larry Vance, kanadský vyšetřovatel havárie, řekl Spiegelu" (the name after the
        verb is whom he told, not the speaker)."""
        apposition = self.apposition_after.match(text[subject.name.outer_end : verb])
        return apposition is not None and bool(self.role_in.search(apposition.group("app")))

    @staticmethod
    def _titles(text: str) -> Iterator[re.Match[str]]:
        """ "titled “…”" and its translations: the quoted title, with the title word before it."""
        for quote in _opening_at(_TITLE_QUOTE, text, _TITLE_QUOTE_OPENERS):
            word = _TITLE_WORD.search(text, max(0, quote.start() - 30), quote.start())
            if word is not None:
                yield quote

    def _leads(self, text: str, platform_hits: list[re.Match[str]]) -> list[re.Match[str]]:
        """Every "Telegram channel " / "chaîne Telegram " lead-in of the text."""
        leads: list[re.Match[str]] = []
        last_end = -1
        for hit in platform_hits:
            end = min(len(text), hit.end() + 40)
            # the noun may stand before the platform ("la chaîne Telegram"): start earlier
            for start in (max(0, hit.start() - 30), hit.start()):
                for match in self._leads_from(text, start, hit.start(), end):
                    if (
                        hit.start() < match.end()
                        and match.start() >= last_end
                        and (match.start() == 0 or not text[match.start() - 1].isalnum())
                    ):
                        leads.append(match)
                        last_end = match.end()
                        break
                else:
                    continue
                break
        return leads

    def _leads_from(
        self, text: str, start: int, last_start: int, end: int
    ) -> Iterator[re.Match[str]]:
        """`lead_forward.finditer(text, start, end)` up to the matches that start after
        `last_start`: a lead must hold the platform word, and `finditer` would go on
        trying the long pattern at every position up to `end` in vain."""
        position = start
        while position <= last_start:
            # only a platform word's or a kind noun's first letter may open a lead
            opening = self.lead_opening.search(text, position, last_start + 1)
            if opening is None:
                return
            match = self.lead_forward.match(text, opening.start(), end)
            if match is None:
                position = opening.start() + 1
                continue
            yield match
            position = match.end()  # never empty: a lead ends in spaces

    def _name_at(self, text: str, position: int, sentence: Sentence) -> Name | None:
        names = self.names.find(text, position, min(sentence.end, position + 160))
        return names[0] if names and names[0].start == position else None

    def _headline_speakers(self, text: str, sentences: Sentences) -> list[_Found]:
        """A line that opens with a name and a colon quotes it, as headlines and
        transcripts do: "Bernie Sanders: ‘Of course’ she is qualified", "Clinton camp: ..."."""
        results: list[_Found] = []
        for start in _headline_starts(text):
            colon = text.find(":", start, start + 80)
            if not text[start : start + 1].isupper():
                continue
            names = self.names.find(text, start, colon)
            if not names or names[0].start != start:
                continue
            name = names[0]
            if not self.headline_tail.fullmatch(text, name.outer_end, colon):
                continue
            if text[colon + 1 : colon + 2] not in (" ", "\t"):
                continue  # "10:30", a URL's "https:"
            single = len(name.words) == 1
            if single and not name.text.isupper() and name.text not in self._surnames(text):
                continue  # "Update:", "Photo:": chrome, unless a person of the text
            if _INITIALS.fullmatch(name.text):
                continue  # "H.S.: Mr Speaker, ...": an interviewer's initials
            if len(name.words) >= 4 and guess_kind(name, self.lexicon)[1] <= 0.5:
                # "Little Relief for Refugees: The crisis ...": a run-in section heading,
                # title-cased words that neither a person's nor a body's name shape fits
                continue
            if self._anonymous(name) or self._is_place_or_people(name):
                continue
            results.append(self._guessed(name, sentences.at(start), "prose-headline", 0.7))
        return results

    def _colon_speakers(self, text: str, sentences: Sentences) -> list[_Found]:
        """A name, a colon and an opening quotation mark quote the name inside a paragraph
        too, as round-ups and live blogs write: "Pollsters differ - Ana Ruiz: “...”",
        "More from Ruiz: «...»". Only where the name opens its sentence or follows a dash
        or "from": after "told CNN:" the name is whom the speaker told."""
        results: list[_Found] = []
        for colon_quote in _COLON_QUOTE.finditer(text):
            colon = colon_quote.start()
            sentence = sentences.at(colon)
            low = max(sentence.start, colon - 80)
            names = [
                n
                for n in self.names.find(text, low, colon)
                if self.headline_tail.fullmatch(text, n.outer_end, colon)
            ]
            if not names:
                continue
            name = names[-1]
            opening = text[sentence.start : name.start].strip() == ""
            if not opening and not _BEFORE_COLON_SPEAKER.search(
                text, max(sentence.start, name.start - 20), name.start
            ):
                continue
            single = len(name.words) == 1
            if single and not name.text.isupper() and name.text not in self._surnames(text):
                continue  # "Update: “...”": chrome, unless a person of the text
            if self._anonymous(name) or self._is_place_or_people(name):
                continue
            results.append(self._guessed(name, sentence, "prose-headline", 0.7))
        return results

    def _quoted_channels(
        self, text: str, sentences: Sentences, platform_hits: list[re.Match[str]]
    ) -> list[_Found]:
        """Channels named in quotation marks after a channel noun, as most languages write
        them: "в телеграм-канале «Рыбарь»", "na kanale „Rybar” w Telegramie",
        "la chaîne Telegram « Rybar »"."""
        results: list[_Found] = []
        seen: set[int] = set()
        for hit in platform_hits:
            low, high = max(0, hit.start() - 80), min(len(text), hit.end() + 80)
            for quote in QUOTED_NAME.finditer(text, low, high):
                start = quote.start("name")
                if start in seen:
                    continue
                if not self.channel_before_quote.search(
                    text, max(0, quote.start() - 50), quote.start()
                ):
                    continue
                seen.add(start)
                name = Name(quote.group("name"), start, quote.end("name"), None, quote.end("name"))
                if self._anonymous(name):
                    continue
                sentence = sentences.at(start)
                found = _Found(name, NodeKind.CHANNEL, 0.8, sentence, "prose-mention")
                found.platform = self._platform(hit.group())
                results.append(found)
        return results

    def _mentions(
        self,
        text: str,
        sentences: Sentences,
        platform_hits: list[re.Match[str]],
        document_endings: list[re.Match[str]],
        starts: list[int],
    ) -> list[_Found]:
        """Channels, posts and documents named without a cue word (`starts`: the text's
        candidate word starts, from `WordStarts.find`)."""
        results: list[_Found] = []
        post_bys = (
            match
            for hit in platform_hits
            for match in self.post_by.finditer(text, max(0, hit.start() - 40), hit.end() + 16)
        )
        for match in post_bys:
            sentence = sentences.at(match.start())
            after = (
                match.end()
                + len(text[match.end() : match.end() + 8])
                - len(text[match.end() : match.end() + 8].lstrip(" \t"))
            )
            names = self.names.find(text, after, min(len(text), after + 120))
            name = next((n for n in names if n.start == after), None)
            if name and not self._anonymous(name):
                found = _Found(name, NodeKind.POST, 0.8, sentence, "prose-post")
                found.platform = self._platform(match.group("platform"))
                results.append(found)
        for match in self._titles(text):
            if not _DOCUMENT_BEFORE.search(text[max(0, match.start() - 60) : match.start()]):
                continue
            sentence = sentences.at(match.start())
            title = Name(
                match.group("title"),
                match.start("title"),
                match.end("title"),
                None,
                match.end("title"),
            )
            results.append(_Found(title, NodeKind.DOCUMENT, 0.75, sentence, "prose-document"))
        results.extend(self._quoted_channels(text, sentences, platform_hits))
        results.extend(self._headline_speakers(text, sentences))
        results.extend(self._colon_speakers(text, sentences))
        # "in a Marlow Tribune poll", "un sondage Ifop": the pollster of a cited poll
        for sponsor in self.surveys.sponsors(text, starts):
            sentence = sentences.at(sponsor.noun_start)
            # "polls from Ashby College and the Marlow Tribune": each ran one
            for name in self._split_coordination(text, sponsor.name):
                if not self._anonymous(name) and not self._is_place_or_people(name):
                    results.append(self._guessed(name, sentence, "prose-mention", 0.75))
        # "the Telegram channel X", "Wagner-affiliated Telegram-Kanal X", "la chaîne Telegram X"
        for match in self._leads(text, platform_hits):
            sentence = sentences.at(match.start())
            name = self._name_at(text, match.end(), sentence)
            if name is None or self._anonymous(name):
                continue
            head = text[max(sentence.start, match.start() - TAIL) : match.start()]
            if self.own.search(head + " x"):
                continue  # "our Telegram channel"
            noun, platform = self._lead_kind(match)
            found = self._with_lead(name, noun, platform, sentence, "prose-mention", 0.75)
            descriptors = self.descriptors_before.search(head)
            found.descriptors = self._descriptors(descriptors.group()) if descriptors else []
            results.append(found)
        # "GREY ZONE's Telegram channel"
        possessives = (
            match
            for hit in platform_hits
            for match in self.possessive_forward.finditer(
                text, max(0, hit.start() - 4), hit.end() + 40
            )
        )
        for match in possessives:
            sentence = sentences.at(match.start())
            names = [
                n
                for n in self.names.find(text, sentence.start, match.start())
                if n.end == match.start()
            ]
            if names and not self._anonymous(names[-1]):
                platform = self._platform(match.group("platform"))
                results.append(
                    self._with_lead(
                        names[-1], match.group("noun"), platform, sentence, "prose-mention", 0.75
                    )
                )
        # "The Blood Gold Report": a named document, cited by being named
        for match in document_endings:
            # a name ends in a capitalised word (or an @handle): a lower-case "report" after
            # a space ends none, and most document words in prose are that
            last_word = match.end() - len(match.group().split()[-1])
            if (last_word == 0 or text[last_word - 1].isspace()) and not (
                text[last_word].isupper() or text[last_word] == "@"
            ):
                continue
            if not self.names.may_end_two_words(text, last_word):
                continue  # "the weekly Bericht": no name of two words ends here
            if self._name_goes_on(text, match.end()):
                continue  # "Institute for the Study of War": the name goes on past it
            sentence = sentences.at(match.start())
            window = max(sentence.start, match.start() - TAIL)
            for name in self.names.find(text, window, match.end()):
                if name.end == match.end() and len(name.words) >= 2:
                    kind, score = guess_kind(name, self.lexicon)
                    if kind == NodeKind.DOCUMENT:
                        results.append(
                            _Found(name, kind, min(score, 0.7), sentence, "prose-document")
                        )
        return results
