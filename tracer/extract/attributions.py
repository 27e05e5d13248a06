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
    DETERMINER_WORDS,
    LOWER,
)
from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.finding import is_own as _is_own
from tracer.extract.finding import merge as _merge
from tracer.extract.finding import plain_spaces as _plain_spaces
from tracer.extract.finding import source_key as _key
from tracer.extract.finding import split_run as _split_run
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.judgement import (
    QUOTED_BEFORE,
    QUOTED_NAME,
    TAIL,
    WORD_RUN,
    uncased_at,
)
from tracer.extract.reading.media import MediaReading
from tracer.extract.reading.subjects import SubjectReading
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

# a comma-delimited apposition right after a name: ", an economist at the Larch Institute,"
_APPOSITION = re.compile(r"[ \t]*,[ \t]*(?P<app>[^,;:()“”\"«»]{3,150}?)[ \t]*(?:[,;:)]|[.!?]?$)")
# the start of a line with a colon in its first 80 characters: "Bernie Sanders: ..."; the
# text's first line apart, so that the pattern for the others opens with its line break
# (a literal `re` skips to in C, where "(?:^|\n)" is tried at every character)
_HEADLINE = re.compile(r"\n[ \t]*(?=[^\W\d_][^\n:]{0,78}:[ \t])")
_FIRST_HEADLINE = re.compile(r"[ \t]*(?=[^\W\d_][^\n:]{0,78}:[ \t])")
#: the end of a possessive in s with its apostrophe alone, before a name: "News’ "
_PLURAL_POSSESSIVE = re.compile(r"s['’] ")
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


class AttributionFinder(SubjectReading, MediaReading):
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
        if len(person_words) > 4 or not all(w.group()[:1].isupper() for w in person_words):
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
                phrase = " ".join(w.group() for w in words[first : index + 1]).casefold()
                # "İçişleri": the dotted capital I folds to i and a combining dot
                phrase = phrase.replace("\u0307", "")
                if phrase in phrases:
                    found.update(range(first, index + 1))
        return sorted(found)

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
        acronym = len(head) >= 2 and head.isupper()
        if not acronym and not self.lexicon.has("places", head):
            return
        if not all(w.group()[:1].isupper() and not w.group().isupper() for w in words[1:]):
            return
        start = found.name.start
        if not self.title_complement_before.search(text, max(sentence.start, start - 60), start):
            return
        if acronym:
            _split_run(found, words[1].start(), words[0].end())
        else:
            name = found.name
            person = words[1].start()
            found.name = Name(name.text[person:], name.start + person, name.end, None, name.end)
            found.kind = NodeKind.PERSON

    def _split_body_prefix(self, text: str, found: _Found) -> None:
        """A person's name run together with the body or country a title governs before it
        in a bare genitive: "представитель МИД Елена Осипова", "очільник Харківської ОВА
        Олег Сидоренко", "міністр закордонних справ Литви Томас Вайткус", "rzecznik MSZ X".
        The body speaks for nobody when it is a place alone. A genitive an article or a
        preposition marks ("της Πολωνίας", "d'EFI") is left to the patterns that read them."""
        if found.relation != Relation.CITES or found.affiliation_name is not None:
            return
        if found.kind != NodeKind.PERSON or len(found.name.text.split(None, 2)) < 3:
            return
        start = found.name.start
        if found.name.title is None:
            if start < 2 or text[start - 1] not in " \t":
                return
            previous = text[max(0, start - 30) : start].split()
            if (
                not previous
                or self.lexicon.has("connectors", previous[-1])
                or (
                    self.lexicon.has("determiners", previous[-1])
                    or previous[-1] in DETERMINER_WORDS
                )
            ):
                return
        person_from = self._body_prefix(found.name)
        if person_from is None:
            return
        name = found.name
        body = name.text[:person_from].rstrip()
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
        if apposition is None:
            return
        for whole in names:
            if not apposition.start("app") <= whole.start < apposition.end("app"):
                continue
            if whole.start == apposition.start("app") and whole.outer_end >= apposition.end("app"):
                continue  # ", Jim Clyburn,": a second name for the speaker, not a body
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
                    or self.affiliation_word.search(text, apposition.start("app"), name.start)
                    or self.role_after.match(text, name.outer_end, apposition.end("app"))
                    # the role right before X, whose genitive X is: "Karolina Mazur,
                    # analityczka Ośrodka Studiów Wschodnich", "Jan Malý, mluvčí ČEZ"
                    or self.role_before.search(text[apposition.start("app") : name.start])
                )
                and (not self._anonymous(name) and not self._is_place_or_people(name))
            ):
                if found.affiliation_name is None:
                    found.affiliation, found.affiliation_name = _full(name), name
                elif all(n.start != name.start for n in found.also_for):
                    found.also_for.append(name)

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
