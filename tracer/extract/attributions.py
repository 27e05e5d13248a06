"""Sources the prose cites: "according to X", "X said", "citing Y", "the Telegram channel Z".

Each attribution becomes a `cites` reference with the exact sentence as evidence. Chains
("RT said ..., citing the Telegram channel GREY ZONE") set `cited_by` on the far end.
Anonymous and generic sources ("a source said", "media reported"), pronouns and the
document's own outlet are never cited sources. Speech inside quotation marks is not
read for cues: a quoted sentence is what a source said, not who said it.
"""

from __future__ import annotations

import re

from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.finding import is_own as _is_own
from tracer.extract.finding import merge as _merge
from tracer.extract.finding import plain_spaces as _plain_spaces
from tracer.extract.finding import source_key as _key
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.affiliations import AffiliationReading
from tracer.extract.reading.credits import CreditReading
from tracer.extract.reading.judgement import (
    BARE_COMMA,
    CLAUSE_END,
    MEDIA_KINDS,
    RELATIVE_OPENING,
    TAIL,
    WORD_RUN,
    CueSite,
    Objects,
    shortened,
    without_head,
)
from tracer.extract.reading.media import MediaReading
from tracer.extract.reading.mentions import MentionReading
from tracer.extract.reading.subjects import SubjectReading
from tracer.extract.reading.titles import TitleReading
from tracer.extract.reading.uncased import uncased_at
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
#: the narrator's words inside a quotation, set in dashes: ", — сказал X, — ", " – powiedział X – "
_NARRATOR_INSERT = re.compile(r"[ \t]+[—–][ \t]+[^—–«»„“”\"\n]{1,160}?[ \t]+[—–][ \t]+")

#: characters before a participle its auxiliary is looked for in (an object and an
#: adverbial between them: "hatte bereits im März eine Preiserhöhung für Flüge angekündigt")
_PERFECT_REACH = 100

#: an apposition in commas between a name and its verb: ", один из директоров парада, "
_APPOSITION_GAP = re.compile(r"[ \t]*,[^,;:«»„“”\"]{1,120},[ \t]*")

#: nothing but a comma between a name and the verb after it
#: the endings of a German participle inflected as an adjective: "veröffentlichten", "erklärte"
_ADJECTIVE_ENDING = re.compile(r"(?:e|en|em|er|es)$")
#: a capitalised word right after a word: the noun an attributive participle describes
_NOUN_NEXT = re.compile(r"[ \t]+[^\W\d_](?<=[^\W\d_a-zß])")


class AttributionFinder(
    MentionReading, AffiliationReading, TitleReading, SubjectReading, MediaReading, CreditReading
):
    """`find(text)` reads a document's prose for the sources it cites: each sentence once,
    with every cue it holds, by the readings of `tracer.extract.reading` (the patterns of
    one lexicon and what the finder learns of one text's names are `Judgement`'s)."""

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
            if self._attributive(text, match):
                continue  # "in einer am Dienstag veröffentlichten Mitteilung": no verb
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
        found.extend(self._credits(text, sentences))
        found.extend(self._mentions(text, sentences, platform_hits, document_endings, starts))
        own = {key for key in (_key(n) for n in own_names) if key}
        return _merge(
            original, [f for f in found if _key(f.name.text) not in own and not _is_own(f, own)]
        )

    def _locative_body(self, text: str, cue: re.Match[str], name: Name) -> bool:
        """Whether a cue that ends in a locative preposition ("сообщили в", "заявили у")
        governs the body that spoke: right after it, or after a body's noun ("сообщили в
        пресс-службе Минобороны"). Another phrase after it ("сообщили в интервью Reuters",
        "в ответ на запрос РБК") names a medium or an object, not the source."""
        words = cue.group().split()
        if (
            len(words) != 2
            or not self.lexicon.has("post_on", words[-1])
            or not self.lexicon.has("verbs", words[0])
        ):
            return True  # ("со ссылкой на агентство X", "jak stojí v": other cues)
        gap = text[cue.end() : name.start].split()
        gap = [word.strip('«»„“"') for word in gap]
        gap = [word for word in gap if word]
        return not gap or (
            len(gap) == 1 and self.lexicon.kind_of_noun.get(gap[0].casefold()) == "organization"
        )

    def _platform_adverbial(self, text: str, name: Name, sentence: Sentence) -> bool:
        """A platform's one-word name after a preposition of posting ("В Telegram", "na
        Facebooku"): the place a verb after it was written, never its subject."""
        if len(name.words) != 1 or self._platform(name.text) is None:
            return False
        return bool(
            self.post_on_before.search(text, max(sentence.start, name.start - 8), name.start)
        )

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

    def _quoted(
        self, text: str, sentence: Sentence, matches: list[re.Match[str]]
    ) -> list[tuple[int, int]]:
        """The quotations of a sentence, without the narrator's words set in dashes inside
        one: "«Был момент, — сказал Иван Петров, — когда все решилось»", "„Był moment –
        powiedział Jan Kowal – kiedy…”" (the cue and its speaker stand between the dashes)."""
        spans: list[tuple[int, int]] = []
        for quote in _QUOTED.finditer(text, sentence.start, sentence.end):
            start = quote.start()
            for insert in _NARRATOR_INSERT.finditer(text, quote.start(), quote.end()):
                if any(insert.start() < m.start() < insert.end() for m in matches):
                    spans.append((start, insert.start()))
                    start = insert.end()
            spans.append((start, quote.end()))
        return spans

    def _in_sentence(
        self, text: str, sentence: Sentence, matches: list[re.Match[str]]
    ) -> list[_Found]:
        quoted = self._quoted(text, sentence, matches)

        def inside_quotes(position: int) -> bool:
            return bool(quoted) and any(start < position < end for start, end in quoted)

        cues = [
            m
            for m in matches
            if not inside_quotes(m.start())
            and self._particle_follows(text, m, sentence)
            and not self.joined_pronoun.match(text, m.end())
            and not self._set_phrase_participle(text, m, sentence)
        ]
        if not cues:
            return []
        if self.lexicon.perfect_verbs:
            cues = sorted(
                (self._perfect_at(text, cue, sentence) for cue in cues), key=lambda m: m.start()
            )
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
                parts = (
                    [name]
                    if cut is None
                    # (the rest split again: "Nach Recherchen von NDR und WDR" left
                    # "NDR und WDR", two outlets)
                    else [
                        split
                        for rest in self.names.find(text, cut, name.outer_end)
                        for split in self._split_coordination(text, rest)
                    ]
                )
                for part in parts:
                    if not inside_quotes(part.start) and not self._platform_qualifier(text, part):
                        names.append(part)
        lower = [n for n in self._lower_case_names(text, low, high) if not inside_quotes(n.start)]
        if lower:
            # "Wie die dpa meldete": a name written in lower case speaks as any other does
            names = sorted([*names, *lower], key=lambda n: n.start)
        results: list[_Found] = []
        objects: Objects = {}
        # objects of "according to" and "citing" first: a verb's subject is never one of them
        for cue in cues:
            kind = cue.lastgroup
            if kind == "finding":
                for finding in self._finding_sources(CueSite(text, cue, names, sentence, objects)):
                    if not any(r.name.start == finding.name.start for r in results):
                        results.append(finding)
                continue
            if kind in {"according", "citing"}:
                found = self._object_after(text, cue.end(), names, sentence, f"prose-{kind}")
                if found is not None and not self._locative_body(text, cue, found.name):
                    found = None
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
            if found is None and kind == "citing" and self._cites_by_verb(cue):
                # "Reuters quoted a spokesman as saying": no named source after the verb,
                # and its subject still speaks
                speaker = self._subject_before(text, cue.start(), names, sentence, objects)
                if speaker is not None and not any(
                    r.name.start == speaker.name.start for r in results
                ):
                    results.append(speaker)
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
            site = CueSite(text, cue, names, sentence, objects)
            if cue.lastgroup == "plural_verb":
                results.extend(self._joined_speakers(site, results))
                continue
            if cue.lastgroup == "via_after":
                # "Reuters'a yaptığı açıklamada", "Ylen haastattelussa": the medium before
                after_medium = self._medium_before(site)
                if after_medium is not None:
                    media.append((after_medium, cue.start()))
                continue
            if cue.lastgroup not in {"verb", "via"}:
                continue
            word = cue.group().casefold()
            if self.medium_suffixes and cue.lastgroup == "verb":
                beside = self._medium_beside(site)
                if beside is not None:
                    media.append((beside, cue.start()))
            if self.object_then_dative is not None:
                told = self._medium_after_object(site)
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
            if subject is not None and self._platform_adverbial(text, subject.name, sentence):
                subject = None  # "В Telegram написал X": where X wrote, not who
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
                    if subject is None or self._ends_reported_clause(
                        text, subject, cue, cue.group().split()[0].casefold()
                    ):
                        subject = self._speaker_after_medium(site, medium) or subject
            elif (
                (subject is None or self._ends_reported_clause(text, subject, cue, word))
                and (
                    word in self.lexicon.inverted_verbs
                    or self.postposed.search(text, sentence.start, cue.start())
                    or self._fronted_before_auxiliary(text, cue, sentence)
                )
                and not (subject is None and self._noun_subject(text, sentence, cue))
            ):
                after = self._object_after(
                    text, cue.end(), names, sentence, "prose-verb", inverted=True, vias=vias
                )
                if after is not None and (
                    self._place_of_noun(text, word, after.name)
                    # "elle écrit ses Mémoires", "publie sa Lettre": a word after a possessive
                    # is what the verb's subject wrote, not who did
                    or (
                        len(after.name.words) == 1
                        and self.possessive_before.search(
                            text, max(sentence.start, after.name.start - 12), after.name.start
                        )
                    )
                ):
                    after = None
                told_to = None
                if word in self.lexicon.inverted_verbs:
                    told_to = (
                        self._told_in_medium(site)
                        if after is None
                        else self._told_before_subject(site, after)
                    )
                if told_to is not None:
                    media.append((told_to[0], cue.start()))
                    after = told_to[1]
                elif (
                    after is not None
                    and subject is not None
                    and self._told_after_apposition(text, subject, after, cue, sentence)
                ):
                    media.append((self._medium(after.name, sentence), cue.start()))
                    after = None
                subject = after or subject
                medium = self._medium_after_subject(text, word, after, names, sentence)
                if medium is None and after is not None:
                    medium = self._dative_medium(text, after, names, sentence)
                if medium is not None:
                    media.append((medium, cue.start()))
            elif (
                subject is None
                # "... through the Galaxy, says McLaughlin": the name before the comma ends
                # the reported clause, and the speaker follows the verb
                or BARE_COMMA.fullmatch(text, subject.name.outer_end, cue.start())
                # "... in Congress, whom he has alienated, said Larry Sabato": so does a
                # relative clause about the name before
                or self._relative_clause_between(text, subject, cue)
            ) and self.after_comma.search(text, sentence.start, cue.start()):
                after = self._object_after(
                    text, cue.end(), names, sentence, "prose-verb", lead=False, inverted=True
                )
                if subject is None or (
                    # (a name that goes on into a clause is what was said: "X (RT), said
                    # Ukraine's Defense Intelligence has been ...")
                    after is not None
                    and CLAUSE_END.match(text, after.name.outer_end, sentence.end)
                    # ("The spokesman, Steffen Seibert, wrote on Twitter.": a platform, a
                    # place or a people after the verb says where, not who)
                    and not any(self._nameless_kinds(after.name.text))
                ):
                    subject = after or subject
            elif (
                subject is not None
                and word in self.lexicon.inverted_verbs
                # ("sanoi Ylelle": the case ending named the medium already)
                and not any(at == cue.start() for _, at in media)
            ):
                told_beside = self._told_beside_subject(site, subject, vias)
                if told_beside is not None:
                    media.append((told_beside[0], cue.start()))
                    subject = told_beside[1]
            if subject is None and word in self.lexicon.final_verbs:
                subject = self._clause_subject(site)
            elif subject is None and cue.lastgroup == "verb" and uncased_at(text, cue.start()):
                subject = self._uncased_fronted(text, cue, sentence)
            if subject is None and word.split()[0] in self.finding_words:
                # "a Quinnipiac University poll found that": a finding, with its "that"
                for finding in self._finding_sources(site):
                    if not any(r.name.start == finding.name.start for r in results):
                        results.append(finding)
            if subject is not None and not any(r.name.start == subject.name.start for r in results):
                results.append(subject)
                joint = self.conjunction_word.search(text, sentence.start, subject.name.start)
                if joint and joint.group()[:1].isupper():
                    subject.direct = False  # "Brunei and Taiwan have claims": not a government
                if subject.relation == Relation.CITES and subject.name.start not in objects:
                    # "Ana Ruiz and Tom Bell said", "wrote Ana Ruiz, Tom Bell and Lee Park.":
                    # each joined name speaks
                    joined_names = (
                        self._coordinated_after(text, subject.name, names, sentence.end)
                        if subject.name.start > cue.start()
                        else self._coordinated_before(text, subject.name, names, sentence.start)
                    )
                    for other in joined_names:
                        if not any(r.name.start == other.start for r in results):
                            joined = self._guessed(other, sentence, "prose-verb", 0.8)
                            if self._titled(text, other, sentence.start) or (
                                # "Khalid and Amina Rahal": a given name that shares the
                                # surname of the person named in full right after it
                                len(other.words) == 1
                                and self._shape_only(other)
                                and subject.kind == NodeKind.PERSON
                                and len(subject.name.words) >= 2
                                and self.lexicon.has(
                                    "conjunctions", text[other.end : subject.name.start].strip()
                                )
                            ):
                                joined.kind = NodeKind.PERSON  # "Mr. Grale and Mr. Leary"
                            results.append(joined)
        # a "citing" object is cited by the sentence's speaker, and a medium ("told the BBC")
        # carried the speaker's words, when the sentence names a speaker
        citing_verbs = {cue.start() for cue in cues if self._cites_by_verb(cue)}
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
            # (a surname first: a person's apposition names the body it speaks for)
            self._lone_surname(text, found)
            self._person_of(found)
            self._apposition_affiliation(text, found, names, sentence)
            self._role_before_apposition(text, found, names)
            self._title_of_affiliation(text, found, names)
            self._neuter_body(text, found)
            self._genitive_body(text, found, names)
            self._connector_opening(found)
        media_at = {r.name.start for r in results if r.relation == Relation.VIA}
        for found in results:
            if found.affiliation_name is not None and found.affiliation_name.start in media_at:
                # "W wywiadzie dla TVN24 premier X", "Σε δηλώσεις στην ΕΡΤ ο υπουργός X": the
                # outlet before the title is whom X spoke to, not the body X speaks for
                found.affiliation = found.affiliation_name = None
            elif (
                found.affiliation_name is not None
                and self._nameless_kinds(found.affiliation_name.text)[0]
            ):
                # "the French Foreign Minister X", "Η Γαλλίδα Υπουργός Εξωτερικών X": a
                # nationality before the title, no body X speaks for
                found.affiliation = found.affiliation_name = None
        results.extend(self._affiliations(text, results))
        return [r for r in results if not self._no_source(text, r)]

    def _connector_opening(self, found: _Found) -> None:
        """ "Ο εκπρόσωπος Τύπου του ΠΑΣΟΚ": a title cut off the run left the genitive's
        article or connector opening the name, which no name opens with (`NameFinder`
        drops it too)."""
        name = found.name
        first = WORD_RUN.match(name.text)
        if (
            first is None
            or not first.group()[:1].islower()
            or not self.lexicon.has("connectors", first.group())
            or not name.text[first.end() : first.end() + 1].isspace()
        ):
            return
        cut = len(name.text) - len(name.text[first.end() :].lstrip())
        found.name = Name(name.text[cut:], name.start + cut, name.end, None, name.outer_end)
        # (the title's kind went with it: the genitive names the body the title serves)
        found.kind = guess_kind(found.name, self.lexicon)[0]

    def _lone_surname(self, text: str, found: _Found) -> None:
        """ "sagte Steger" after "Petra Steger", "Зеленский заявил": one word whose kind
        nothing but its shape gave (a body, by default) is a person's surname when the text
        names the person in full elsewhere, or, as a speech verb's subject, when it ends as
        the language's surnames do (`surname_endings`), or when an apposition gives it a
        person's role ("said Kaine, a former party chairman")."""
        name = found.name
        if (
            found.kind != NodeKind.ORGANIZATION
            or len(name.words) != 1
            or name.title
            or name.abbreviation
            or name.text.isupper()
            or not self._shape_only(name)
        ):
            return
        word = name.text.casefold()
        if (
            found.extractor == "prose-verb"
            and len(word) > 4
            and word.endswith(self.surname_endings)
            and not self._is_place_or_people(name)
        ) or (
            name.text in self._surnames(text) or self._role_apposition(text, name, found.sentence)
        ):
            found.kind = NodeKind.PERSON

    def _person_of(self, found: _Found) -> None:
        """A person's name run into what English writes after it with "of": the state or
        country the person serves ("Representative Mike Coffman of Colorado", "Gov. John
        Kasich of Ohio"), cut off, or the body the person is from ("John Smith of the
        Brookings Institution"), which the person speaks for. The person is traced by name."""
        name = found.name
        head, of, tail = name.text.partition(" of ")
        if not of or len(head.split()) < 2:
            return
        tail_start = name.start + len(head) + len(of)
        tail_name = Name(tail, tail_start, name.end)
        if self._is_place_or_people(tail_name):
            if found.kind == NodeKind.PERSON:
                found.name = shortened(name, len(of) + len(tail))
            return
        # (a body's own "of" stays: "Federal Bureau of Investigation", "Bank of England",
        # "National Academy of Sciences": the head is no person's two or three names)
        head_kind, head_score = guess_kind(
            Name(head, name.start, name.start + len(head)), self.lexicon
        )
        if len(head.split()) > 3 or head_kind != NodeKind.PERSON or head_score < 0.7:
            return
        body = without_head(tail_name, len(tail) - len(tail.removeprefix("the ")))
        body_kind, body_score = guess_kind(body, self.lexicon)
        if body_kind not in (NodeKind.ORGANIZATION, NodeKind.OUTLET) or body_score < 0.85:
            return
        found.name = shortened(name, len(of) + len(tail))
        found.kind = NodeKind.PERSON
        if found.affiliation_name is None:
            found.affiliation, found.affiliation_name = _full(body), body

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

    def _cites_by_verb(self, cue: re.Match[str]) -> bool:
        """Whether a citing cue is a finite verb of quoting, whose subject is the speaker
        who cites ("ТАСС цитирует X", "The BBC quoted X as saying")."""
        return (
            cue.lastgroup == "citing"
            and " ".join(cue.group().split()).casefold() in self.citing_verbs
        )

    def _set_phrase_participle(self, text: str, cue: re.Match[str], sentence: Sentence) -> bool:
        """ "Kurz gesagt, …", "Anders gesagt: …", "Eerlijk gezegd, …": a participle after one
        word that opens its sentence, closed by a comma or a colon, is a set phrase (briefly
        put, in other words); no subject says it, since a perfect's subject comes with its
        auxiliary. Only the participles with "ge" are read so: the others are spelt as a
        present or past tense ("Lobo sagt, …", "Siemens erklärt: …")."""
        word = cue.group().casefold()
        if word not in self.lexicon.perfect_verbs or not word.startswith("ge") or " " in word:
            return False
        # (a colon opens a sentence of its own: "das muss man sagen: Kurz gesagt, …")
        opening = text[sentence.start : cue.start()].rsplit(":", 1)[-1].split()
        return len(opening) == 1 and text[cue.end() : cue.end() + 1] in {",", ":"}

    def _attributive(self, text: str, cue: re.Match[str]) -> bool:
        """Whether a verb or citing cue is a participle inflected as an adjective, inside a
        noun phrase: German writes "die am Montag veröffentlichten Zahlen" and "den
        zitierten Brief", where the noun after the participle is what was published or
        quoted, not who did (the participles of verbs with "ver-", "er-", "zi-" are spelt
        as their past tense)."""
        if cue.lastgroup not in {"verb", "plural_verb", "citing"}:
            return False
        if not _ADJECTIVE_ENDING.search(cue.group()) or not _NOUN_NEXT.match(text, cue.end()):
            return False  # ("Ruiz, die am Montag erklärte, ...": a relative clause's verb)
        low = max(0, cue.start() - 60)
        return bool(self.attributive_before.search(text, low, cue.start()))

    def _particle_follows(self, text: str, cue: re.Match[str], sentence: Sentence) -> bool:
        """Whether a cue is a verb of its own, or the finite part of a particle verb whose
        particle closes its clause later in the sentence ("maakte ... bekend")."""
        word = cue.group().casefold()
        particles = self.particles.get(word)
        if particles is None or word in self.plain_verbs:
            return True
        rest = text[cue.end() : sentence.end]
        return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", rest) for p in particles)

    def _perfect_at(self, text: str, cue: re.Match[str], sentence: Sentence) -> re.Match[str]:
        """A participle's perfect is read at its finite auxiliary, where the subject stands
        before or right after it: "Volkswagen hatte im März eine Preiserhöhung
        angekündigt", "Am Montag hat Siemens ... bestätigt" (the words before the participle
        are its object: "neue Hilfen angekündigt" names no source)."""
        if cue.lastgroup != "verb" or cue.group().casefold() not in self.lexicon.perfect_verbs:
            return cue
        low = max(sentence.start, cue.start() - _PERFECT_REACH)
        return self.auxiliary.search(text, low, cue.start()) or cue

    def _fronted_before_auxiliary(self, text: str, cue: re.Match[str], sentence: Sentence) -> bool:
        """An auxiliary after nothing but an adverbial ("Am Montag hat Siemens ...
        bestätigt") has its subject after it; after a noun ("Das Gericht hat Zweifel
        geäußert") the word after it is the object."""
        return self.lexicon.has("auxiliaries", cue.group()) and bool(
            self.gap.match(text[sentence.start : cue.start()])
        )

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

    def _told_after_apposition(
        self, text: str, subject: _Found, after: _Found, cue: re.Match[str], sentence: Sentence
    ) -> bool:
        """ "X, один из директоров парада, объяснила CNN, почему ...": a person who opens the
        sentence, an apposition in commas, the verb, then an outlet alone before the clause
        goes on: the outlet is whom the person told, not the verb's subject ("..., сообщает
        Reuters" after a clause with a name in it stays the outlet's)."""
        opening = len(text[sentence.start : subject.name.start].strip()) == 0
        return (
            opening
            and subject.kind == NodeKind.PERSON
            and _APPOSITION_GAP.fullmatch(text, subject.name.outer_end, cue.start()) is not None
            and guess_kind(after.name, self.lexicon)[0] in MEDIA_KINDS
            and CLAUSE_END.match(text, after.name.outer_end, sentence.end) is not None
        )

    def _told_beside_subject(
        self, site: CueSite, subject: _Found, vias: dict[int, re.Match[str]]
    ) -> tuple[_Found, _Found] | None:
        """The outlet a speaker before the verb told, and the speaker, in a language whose
        verb may have its subject after it: an outlet alone after the verb, before the clause
        goes on ("Иван Петров сообщил ТАСС, что ...", "X, глава фонда, сообщил ТАСС",
        "Jana Nováková řekla ČTK"), or, after a person who opens the sentence and an
        apposition in commas, right before the verb ("Jana Nováková, mluvčí nemocnice, CNN
        vysvětlila"). The outlet is a medium, not the verb's subject."""
        text, cue, names, sentence, _ = site
        gap = text[subject.name.outer_end : cue.start()]
        kind = guess_kind(subject.name, self.lexicon)[0]
        if kind in MEDIA_KINDS and not gap.strip():
            person = next(
                (
                    n
                    for n in reversed(names)
                    if n.outer_end <= subject.name.start
                    and _APPOSITION_GAP.fullmatch(text, n.outer_end, subject.name.start)
                ),
                None,
            )
            if (
                person is None
                or text[sentence.start : person.start].strip()
                or not self._full_person(person)
            ):
                return None
            speaker = self._guessed(person, sentence, "prose-verb", 0.85)
            speaker.kind = NodeKind.PERSON
            return self._medium(subject.name, sentence), speaker
        opening = not text[sentence.start : subject.name.start].strip()
        if not (
            ("," not in gap and self.gap.match(gap)) or (opening and _APPOSITION_GAP.fullmatch(gap))
        ):
            return None
        after = self._object_after(
            text, cue.end(), names, sentence, "prose-verb", inverted=True, vias=vias
        )
        if (
            after is None
            or guess_kind(after.name, self.lexicon)[0] not in MEDIA_KINDS
            or not CLAUSE_END.match(text, after.name.outer_end, sentence.end)
        ):
            return None
        return self._medium(after.name, sentence), subject

    def _relative_clause_between(self, text: str, subject: _Found, cue: re.Match[str]) -> bool:
        """Whether a relative clause about `subject` stands between it and the verb: "...
        in Congress, whom he has alienated, said X"."""
        apposition = self.apposition_after.match(text[subject.name.outer_end : cue.start()])
        return apposition is not None and bool(
            RELATIVE_OPENING.match(apposition.group("app").strip())
        )

    def _ends_reported_clause(
        self, text: str, subject: _Found, cue: re.Match[str], verb: str
    ) -> bool:
        """ "..., δήλωσε ο πρόεδρος X", "…τον Μάρτιο, δήλωσε στην ΕΡΤ η X": a name before the
        comma ended the clause the verb reports; the subject follows the verb."""
        return (
            verb in self.lexicon.inverted_verbs
            and "," in text[subject.name.outer_end : cue.start()]
            and not self._titled_apposition(text, subject, cue.start())
        )

    def _titled_apposition(self, text: str, subject: _Found, verb: int) -> bool:
        """Whether an apposition with a role stands between the subject and its verb:
        "Larry Vance, kanadský vyšetřovatel havárie, řekl Spiegelu" (the name after the
        verb is whom he told, not the speaker)."""
        apposition = self.apposition_after.match(text[subject.name.outer_end : verb])
        return apposition is not None and bool(self.role_in.search(apposition.group("app")))
