"""Names in a script without capitals (Arabic, Persian), read between stop words.

There a name has no capital letters to mark it: it runs from a cue over the words that
are no verb, preposition or other stop word, up to a few words, with the kind nouns,
titles and ezafe that lead it ("قال المتحدث باسم وزارة الخارجية").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tracer.extract.finding import Found as _Found
from tracer.extract.finding import full_name as _full
from tracer.extract.names import Name, guess_kind
from tracer.extract.reading.judgement import (
    CLAUSE_MARK,
    MEDIA_KINDS,
    QUOTED_NAME,
    TOKEN,
    Judgement,
)
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind

#: the most words a name in a script without capitals may have
_UNCASED_WORDS = 6

#: a letter, joiner or vowel sign of a word that goes on
_UNCASED_WORD_CHAR = re.compile(r"[\w\u200c\u064b-\u065f\u0670]")

#: the ezafe glued to a kind noun that ends a cue: "روزنامهٔ", "روزنامه‌ی"
_EZAFE = re.compile(r"\u0654|\u200c\u06cc(?![\w\u200c])")

#: the preposition "to" glued to an Arabic name after "وفقاً" ("لباركر")
_GLUED_TO = "ل"

#: Arabic vowel signs and tanwin, written on some words ("مسؤولٌ") and not in the lexicons
_HARAKAT = re.compile("[\u064b-\u0652]")

#: the conjunction "and" glued to an Arabic verb: "وقال" opens a clause of its own
_GLUED_AND = "و"

#: a short name in brackets after a name in a script without capitals: "(قنا)", "(واس)"
_UNCASED_ABBREVIATION = re.compile(
    r"[ \t]*\((?P<abbr>[\u0600-\u06ff\u200c]+(?:[ \t][\u0600-\u06ff\u200c]+){0,2})\)"
)

#: Arabic and Persian commas, and the Latin one
_UNCASED_COMMA = re.compile(r"[ \t]*[,،][ \t]*")


#: a letter of the Arabic script (Arabic, Persian), which has no capitals
UNCASED = re.compile("[\u0600-\u06ff\u0750-\u077f]")


def uncased_at(text: str, position: int) -> bool:
    """Whether the letters around `position` are of a script without capitals (Arabic,
    Persian): there a name is read between stop words, not by its capital letters."""
    return UNCASED.search(text, max(0, position - 2), position + 6) is not None


class _UncasedLead(NamedTuple):
    """What opens a name in a script without capitals (see `_uncased_lead`)."""

    end: int
    kind: NodeKind | None
    spokesperson: bool
    adjective: tuple[int, int] | None
    #: where the complement of a title of several words starts ("وزیر بهداشت")
    title_tail: int | None


class UncasedReading(Judgement):
    """Reads the names around a cue in a script without capitals."""

    def _uncased_after(
        self, text: str, position: int, sentence: Sentence, extractor: str
    ) -> _Found | None:
        """A name in a script without capitals, read after its cue: titles and kind nouns
        first ("وكالة", "خبرنگار"), then words up to a stop word or punctuation."""
        # a cue that ends with a kind noun gives the name its kind ("در گفت‌وگو با روزنامه
        # X"); the ezafe glued to that noun ("روزنامهٔ") is no part of the name
        kind = self._kind_of_cue_end(text, position)
        ezafe = _EZAFE.match(text, position)
        if ezafe:
            position = ezafe.end()
        lead = self._uncased_lead(text, position, sentence.end)
        kind = lead.kind or kind
        if lead.spokesperson:
            return self._spokesperson_named(text, lead.end, sentence, extractor)
        quoted = QUOTED_NAME.match(text, lead.end, sentence.end)
        if quoted:
            # 'لـ"الجزيرة"', "قناة «ريبار»": a quoted name is whole, whatever words it holds
            inner = quoted.group("name")
            if len(inner.split()) <= _UNCASED_WORDS:
                return self._uncased_found(text, [quoted.span("name")], kind, sentence, extractor)
        words = self._uncased_words(text, lead.end, sentence.end)
        opening = text[position : lead.end].split()
        if (
            kind == NodeKind.PERSON
            and words
            and opening
            and self.article_prefixes
            and not opening[0].startswith(self.article_prefixes)
        ):
            # "وزير الزراعة المغربي خالد منصور": a title in the construct state ("وزير",
            # no article) governs the words after it that carry the article, its
            # complement; the person's name, which carries none, follows them
            plain = next(
                (
                    i
                    for i, (start, _) in enumerate(words)
                    if not text.startswith(self.article_prefixes, start)
                ),
                None,
            )
            if plain is None:
                # "وقال وزير الزراعة إن": no person named, the complement is the body
                kind = NodeKind.ORGANIZATION
            else:
                words = words[plain:]
        if not words and lead.title_tail is not None:
            # "وقال وزير الخارجية إن": no person named, the title's complement is the body
            # the title serves (the ministry), not a person's name
            words = self._uncased_words(text, lead.title_tail, sentence.end)
            kind = NodeKind.ORGANIZATION if words else kind
        if words and not text[position : lead.end].strip() and self._takes_clitic(text, position):
            # "وفقاً لباركر": the preposition the cue takes is glued to the name
            start, stop = words[0]
            if text.startswith(_GLUED_TO, start) and stop - start > len(_GLUED_TO) + 2:
                whole = text[start : words[-1][1]]
                if self._anonymous(Name(whole, start, words[-1][1])):
                    return None  # "وفقاً للقانون", "طبقاً للبيانات": listed with it
                words[0] = (start + len(_GLUED_TO), stop)
        construct = False
        if not words and lead.adjective is not None and kind in MEDIA_KINDS:
            # "قناة العربية": an adjective with its article after the indefinite kind noun
            # stands in its construct: it is the outlet's name, not a description
            words, construct = [lead.adjective], True
        found = self._uncased_found(text, words, kind, sentence, extractor)
        if found is None:
            return None
        # "قناة العربية", "لقناة العربية": one word after a media kind noun is its name,
        # though it is a nationality elsewhere
        found.named_by_kind = construct or (kind in MEDIA_KINDS and len(words) == 1)
        if found.kind == NodeKind.PERSON:
            # "X، المتحدث باسم الأمم المتحدة،": the body in the speaker's apposition
            body = self._uncased_apposition(text, found.name.end, sentence)
            if body is not None:
                found.affiliation, found.affiliation_name = _full(body), body
        return found

    def _uncased_words(self, text: str, position: int, end: int) -> list[tuple[int, int]]:
        """The words of a name read forward from `position` up to a stop word, a cue or a
        mark; a name of several words the name endings list is taken whole ("سي إن إن")."""
        words: list[tuple[int, int]] = []
        cursor = position
        for token in TOKEN.finditer(text, position, end):
            if token.start() < cursor:
                continue  # inside a known name already taken
            if token.group("punct"):
                break
            folded = token.group("word").casefold()
            known = self._known_name_end(text, token.start(), folded)
            if known:
                words.append((token.start(), known))
                cursor = known
                continue
            if self._ends_uncased_name(folded, opening=not words):
                break
            if words and self.spokesperson.match(text, token.start(), end):
                break  # "X المتحدث باسم وزارة الزراعة": the apposition's title ends the name
            if len(words) >= _UNCASED_WORDS:
                break
            words.append(token.span())
        return words

    def _ends_uncased_name(self, folded: str, *, opening: bool) -> bool:
        """Whether a word (case-folded) ends a name read between stop words, or, as its
        first word (`opening`), keeps one from opening: a stop word or a cue, and a word
        that never opens a name ("استنادا", a month, a nationality adjective)."""
        return (
            self.lexicon.has("name_stops", folded)
            or folded in self.cue_words
            or (opening and self.lexicon.has("not_names", folded))
        )

    def _known_name_end(self, text: str, start: int, first: str) -> int:
        """Where a listed name of several words that opens at `start` ends; 0 if none."""
        for whole in self.known_names.get(first, ()):
            end = start + len(whole)
            if text[start:end].casefold() == whole and not _UNCASED_WORD_CHAR.match(text, end):
                return end
        return 0

    def _takes_clitic(self, text: str, position: int) -> bool:
        """Whether the cue before `position` is one the lexicons also list with the clitic
        after it ("وفقا" and "وفقا لـ"): the bare cue then has it glued to the name."""
        last = text[max(0, position - 24) : position].split()
        return bool(last) and self.lexicon.has("according", f"{last[-1]} {_GLUED_TO}ـ")

    def _kind_of_cue_end(self, text: str, position: int) -> NodeKind | None:
        """The kind a cue's last word names, when it is a kind noun ("لوكالة", "روزنامه")."""
        last = text[max(0, position - 24) : position].split()
        kind = self.lexicon.kind_of_noun.get(last[-1].casefold()) if last else None
        return NodeKind(kind) if kind and kind != "person" else None

    def _uncased_lead(self, text: str, position: int, end: int) -> _UncasedLead:
        """The titles, kind nouns and determiners that open a name in a script without
        capitals, several words long ("گروه سیاسی خبرگزاری تسنیم", "وزير الخارجية الأردني"):
        where the name starts, the kind they give it, whether a spokesperson's title ends
        them, and the adjective after a kind noun ("قناة العربية"). An organisation's head
        noun ("وزارة الدفاع", "سازمان ملل") opens the name itself and is not skipped."""
        kind: NodeKind | None = None
        adjective: tuple[int, int] | None = None
        title_tail: int | None = None
        cursor = position
        while True:
            spokesperson = self.spokesperson.match(text, cursor, end)
            if spokesperson:
                return _UncasedLead(spokesperson.end(), NodeKind.PERSON, True, None, None)
            match = self.uncased_lead.match(text, cursor, end)
            if match is None:
                break
            phrase = " ".join(match.group("lead").casefold().split())
            if phrase in self.name_heads or (
                # "وفقاً لوزارة الصحة": the head with the clitic the cue takes
                phrase.startswith(_GLUED_TO) and phrase[len(_GLUED_TO) :] in self.name_heads
            ):
                break
            noun_kind = self.lexicon.kind_of_noun.get(phrase)
            if noun_kind:
                kind = NodeKind(noun_kind) if noun_kind != "person" or kind is None else kind
                adjective = None
                title_tail = None
                if noun_kind == "person" and " " in phrase:
                    # "وزیر بهداشت" with no name after: its complement is what is read
                    title_tail = match.start("lead") + len(match.group("lead").split()[0]) + 1
            elif kind is not None and adjective is None:
                adjective = match.span("lead")
            cursor = match.end()
            joined = TOKEN.match(text, cursor + 1) if text[cursor : cursor + 1] == " " else None
            if (
                kind == NodeKind.PERSON
                and joined is not None
                and self.lexicon.has("connectors", joined.group())
                and self.uncased_lead.match(text, joined.end(), end)
            ):
                cursor = joined.end()  # "رییس جمهور و نخست‌وزیر پاکستان": two titles
        while cursor < end and text[cursor] in " \t":
            cursor += 1
        return _UncasedLead(cursor, kind, False, adjective, title_tail)

    def _uncased_body(self, text: str, position: int, end: int) -> Name | None:
        """The body named after a spokesperson's title: its head noun, then the words that
        carry the article ("وزارة الخارجية الروسية"); where the language has no article
        (Persian), the words up to a stop word or a comma."""
        words = self._uncased_words(text, position, end)
        if self.article_prefixes:
            for index, (start, _) in enumerate(words[1:], start=1):
                if not text.startswith(self.article_prefixes, start):
                    words = words[:index]  # "الحكومة الفلسطينية إبراهيم ملحم": the person
                    break
        if not words:
            return None
        start, stop = words[0][0], words[-1][1]
        return Name(text[start:stop], start, stop, None, stop)

    def _spokesperson_named(
        self, text: str, position: int, sentence: Sentence, extractor: str
    ) -> _Found | None:
        """ "المتحدث باسم الكرملين، دميتري بيسكوف": the body after the title, then (after a
        comma or not) the person who speaks for it; the body itself when no person is
        named ("قال المتحدث باسم الكرملين إن")."""
        body = self._uncased_body(text, position, sentence.end)
        if body is None:
            return None
        after = body.end
        comma = _UNCASED_COMMA.match(text, after, sentence.end)
        if comma:
            after = comma.end()
        person = self._uncased_found(
            text,
            self._uncased_words(text, after, sentence.end),
            NodeKind.PERSON,
            sentence,
            extractor,
        )
        if person is None or (
            # the words after the body must be the person's, not the next clause's
            not comma and not text.startswith(" ", body.end)
        ):
            return self._uncased_found(
                text, [(body.start, body.end)], NodeKind.ORGANIZATION, sentence, extractor
            )
        person.affiliation, person.affiliation_name = _full(body), body
        return person

    def _uncased_apposition(self, text: str, end: int, sentence: Sentence) -> Name | None:
        """The body of a spokesperson's apposition after a name: "X، المتحدث باسم Y،"."""
        comma = _UNCASED_COMMA.match(text, end, sentence.end)
        if comma is None:
            return None
        title = self.spokesperson.match(text, comma.end(), sentence.end)
        if title is None:
            return None
        return self._uncased_body(text, title.end(), sentence.end)

    def _uncased_before(
        self, text: str, position: int, sentence: Sentence, extractor: str
    ) -> _Found | None:
        """A name in a script without capitals, before its verb or postposition: from the
        start of its clause up to the first stop word ("X در نشست خبری گفت"). A title after
        the name ends it ("X سخنگوی وزارت امور خارجه ... گفت"), and a clause that opens
        with an adverbial leaves the subject in the clause before, with its apposition
        ("X، رئیس‌جمهور پیشین، در دیدار ... گفت")."""
        marks = list(CLAUSE_MARK.finditer(text, sentence.start, position))
        clause_start = marks[-1].end() if marks else sentence.start
        lead = self._uncased_lead(text, clause_start, position)
        kind = lead.kind
        words: list[tuple[int, int]] = []
        body: Name | None = None
        for token in TOKEN.finditer(text, lead.end, position):
            if token.group("punct"):
                break
            folded = token.group("word").casefold()
            if words and not self._headed(text, words):
                spokesperson = self.spokesperson.match(text, token.start(), position)
                if spokesperson:
                    kind = NodeKind.PERSON
                    body = self._uncased_body(text, spokesperson.end(), position)
                    break
                if self.lexicon.has("person_titles", folded):
                    kind = NodeKind.PERSON  # "علی لاریجانی دبیر شورای ...": the title after
                    break
            if self._ends_uncased_name(folded, opening=not words):
                break
            if len(words) >= _UNCASED_WORDS:
                return None  # a clause, not a name
            words.append(token.span())
        if not words and len(marks) >= 2:
            return self._apposed_subject(text, marks, sentence, extractor)
        if not words and lead.title_tail is not None:
            # "وزیر بهداشت گفت": the body the unnamed title serves
            words = self._uncased_words(text, lead.title_tail, position)
            kind = NodeKind.ORGANIZATION if words else kind
        found = self._uncased_found(text, words, kind, sentence, extractor)
        if body is not None:
            if found is None:
                # "یک سخنگوی فیس‌بوک گفت": an unnamed spokesperson speaks for the body,
                # a company even where its name is a platform's
                spoken = self._uncased_found(
                    text, [(body.start, body.end)], NodeKind.ORGANIZATION, sentence, extractor
                )
                if spoken is not None:
                    spoken.named_by_kind = True
                return spoken
            found.affiliation, found.affiliation_name = _full(body), body
        return found

    def _apposed_subject(
        self, text: str, marks: list[re.Match[str]], sentence: Sentence, extractor: str
    ) -> _Found | None:
        """The subject before a title in commas: "X، سخنگوی وزارت امور خارجه، در ... گفت"."""
        apposition = self._uncased_lead(text, marks[-1 - 1].end(), marks[-1].start())
        if apposition.kind != NodeKind.PERSON:
            return None
        head_start = marks[-3].end() if len(marks) >= 3 else sentence.start
        head = self._uncased_lead(text, head_start, marks[-2].start())
        words = self._uncased_words(text, head.end, marks[-2].start())
        if not words or words[-1][1] != marks[-2].start():
            return None  # the clause before the comma holds more than a name
        found = self._uncased_found(text, words, NodeKind.PERSON, sentence, extractor)
        if found is not None and apposition.spokesperson:
            body = self._uncased_body(text, apposition.end, marks[-1].start())
            if body is not None:
                found.affiliation, found.affiliation_name = _full(body), body
        return found

    def _uncased_fronted(self, text: str, verb: re.Match[str], sentence: Sentence) -> _Found | None:
        """A subject before its verb in a verb-first language without capitals, opened by a
        title or a kind noun and filling its clause up to the verb: "الرئيس التركي X قال",
        "منظمة العفو الدولية قالت". A verb with the glued conjunction ("وقال") opens a
        clause of its own, whose subject is the one before."""
        if verb.group().startswith(_GLUED_AND):
            return None
        marks = list(CLAUSE_MARK.finditer(text, sentence.start, verb.start()))
        clause_start = marks[-1].end() if marks else sentence.start
        lead = self._uncased_lead(text, clause_start, verb.start())
        if lead.spokesperson:
            # "المتحدث باسم الخارجية X قال": the body after the title, the person after it,
            # filling the clause up to the verb
            found = self._spokesperson_named(text, lead.end, sentence, "prose-verb")
            if found is None or text[found.name.end : verb.start()].strip():
                return None
            return found
        words = self._uncased_words(text, lead.end, verb.start())
        if not words or text[words[-1][1] : verb.start()].strip():
            return None
        if lead.kind is None and not self._headed(text, words):
            return None
        return self._uncased_found(text, words, lead.kind, sentence, "prose-verb")

    def _headed(self, text: str, words: list[tuple[int, int]]) -> str | None:
        """The head noun a name opens with ("وزارة", "سازمان", "وكالة الأنباء"), if any."""
        for count in (2, 1):
            if len(words) >= count:
                head = " ".join(text[words[0][0] : words[count - 1][1]].casefold().split())
                if head in self.name_heads:
                    return head
        return None

    def _uncased_found(
        self,
        text: str,
        words: list[tuple[int, int]],
        kind: NodeKind | None,
        sentence: Sentence,
        extractor: str,
    ) -> _Found | None:
        if not words:
            return None
        start, end = words[0][0], words[-1][1]
        start += self.names.prefix_length(text[start : words[0][1]])  # "لـرويترز"
        name = Name(text[start:end], start, end, None, end)
        if self._anonymous(name):
            return None
        if _HARAKAT.search(name.text) and self._anonymous(Name(_HARAKAT.sub("", name.text), 0, 0)):
            return None  # "مسؤولٌ أوروبي": the lexicons list the word without its tanwin
        # a name that opens with a body's head noun names the body, whatever title stood
        # before it ("رئیس سازمان انرژی اتمی گفت", "سخنگوی وزارت خارجه گفت")
        head = self._headed(text, words) if kind in (None, NodeKind.PERSON) else None
        if head is not None:
            rest = name.text.casefold().split()[len(head.split()) :]
            if rest and all(self.lexicon.has("anonymous", w) for w in rest):
                return None  # "وكالة الأنباء الرسمية": the official agency, unnamed
            # "وزارة الدفاع الروسية", "سازمان ملل متحد"; "وكالة الأنباء الفرنسية"
            kind = NodeKind(self.lexicon.kind_of_noun.get(head, "organization"))
        if kind is None:
            kind, _ = guess_kind(name, self.lexicon)
            if (
                kind == NodeKind.ORGANIZATION
                and 2 <= len(words) <= 3
                # "الخارجية الروسية": a given name carries no article
                and not text.startswith(self.article_prefixes or ("\0",), start)
                and not any(self.lexicon.kind_of_ending.get(w.casefold()) for w in name.words)
            ):
                kind = NodeKind.PERSON  # a given name and a family name, most often
        abbreviation = _UNCASED_ABBREVIATION.match(text, end, sentence.end)
        if abbreviation:
            # "وكالة الأنباء القطرية (قنا)": the short name joins the later mentions
            name = Name(name.text, start, end, abbreviation.group("abbr"), abbreviation.end())
        return _Found(name, kind, 0.7, sentence, extractor, direct=True)
