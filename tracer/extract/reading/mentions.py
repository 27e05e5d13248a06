"""Sources named with no speech verb: mentions, signed quotations, headline and colon speakers.

"the Telegram channel GREY ZONE", "the report “Gold and Blood”", "“We will win.” ― Ana Ruiz",
"Bernie Sanders: ..." at a line's start, "More from Ruiz: “...”": a kind noun, a platform,
a dash after a quotation or a colon before one makes a name a cited source without a verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracer.extract.cuepatterns import (
    LOWER,
)
from tracer.extract.finding import Found as _Found
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.coordination import CoordinationReading
from tracer.extract.reading.judgement import (
    QUOTED_NAME,
    TAIL,
)
from tracer.extract.scanning import matches_at, occurrences
from tracer.extract.sentences import Sentence, Sentences
from tracer.store.model import NodeKind

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
    return matches_at(
        pattern,
        text,
        sorted(position for opener in openers for position in occurrences(text, opener)),
    )


def _headline_starts(text: str) -> Iterator[int]:
    """Where each line that may open with a name and a colon has its first letter."""
    first = _FIRST_HEADLINE.match(text)
    if first is not None:
        yield first.end()
    for line in _HEADLINE.finditer(text):
        yield line.end()


class MentionReading(CoordinationReading):
    """Reads the sources a text names without a cue verb."""

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

    def _name_goes_on(self, text: str, end: int) -> bool:
        """Whether a connector and a capitalised word follow `end`: the name goes on."""
        after = _CONNECTED_WORD.match(text, end)
        return after is not None and self.lexicon.has("connectors", after.group("connector"))

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
            if (not single or name.text.isupper()) and not self._named_elsewhere(text, name):
                # "Gebundene Ausgabe: 240 Seiten", "Retail Design: Die Trends", "UPDATE:",
                # "Photo Credit:": a label or a heading; a person or body quoted in a headline
                # or a transcript is named again in the text
                continue
            if len(name.words) >= 4 and guess_kind(name, self.lexicon)[1] <= 0.5:
                # "Little Relief for Refugees: The crisis ...": a run-in section heading,
                # title-cased words that neither a person's nor a body's name shape fits
                continue
            if self._anonymous(name) or self._is_place_or_people(name):
                continue
            results.append(self._guessed(name, sentences.at(start), "prose-headline", 0.7))
        return results

    def _named_elsewhere(self, text: str, name: Name) -> bool:
        """Whether the last word of `name` stands in `text` outside the line it opens, as
        a name does: not after an article, alone or with an inflected adjective, which
        makes a German word a common noun ("der Sitz", "der zweite Punkt", "dein Problem"
        again after the headings "Aufblasbarer Sitz:", "Nächster Punkt:"), nor as the
        last part of a compound ("Urlaubs-Feeling" after "Vacay Feeling:")."""
        line_start = text.rfind("\n", 0, name.start) + 1
        line_end = text.find("\n", name.end)
        word = re.compile(rf"(?<![\w-]){re.escape(name.text.split()[-1])}(?!\w)")
        for match in word.finditer(text):
            if line_start <= match.start() and (line_end < 0 or match.start() < line_end):
                continue
            before = text[max(0, match.start() - 40) : match.start()]
            words = before.split()
            if not words:
                return True
            if not self.lexicon.has(
                "noun_articles", words[-1].casefold()
            ) and not self.noun_article_adjective.search(before):
                return True
        return False

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
