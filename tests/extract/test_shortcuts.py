"""The shortcuts in the prose patterns find exactly what the patterns they skip would find.

Each shortcut is checked against the plain way it replaces, on generated text made of the
words that trigger it: names, connectors, document nouns, platform words and kind nouns,
parentheses, commas, spaces, tabs and line breaks.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracer.extract import attributions, sentences, textpatterns
from tracer.extract.attributions import AttributionFinder
from tracer.extract.cues import load_cues
from tracer.extract.extractor import _follow_phrases
from tracer.extract.names import NameFinder
from tracer.extract.reading import mentions
from tracer.extract.reading.judgement import _Surnames
from tracer.extract.reference import references_as_dicts
from tracer.extract.sentences import Sentences

FRAGMENTS = [
    "The Blood Gold Report",
    "Blood Gold-Report",
    "Harbour Safety Council",
    "Russia Today",
    "(RT)",
    " (CSP-PSD)",
    "Framework for Peace, Security and Development",
    "Framework for Peace, Security and Development (CSP-PSD)",
    "Blood Gold, Report (BGR)",
    "Bericht",
    "Report",
    "report",
    "Studie",
    "der ",
    "of the ",
    "for ",
    "and ",
    "&",
    "d'",
    "@dockwatch",
    "Telegram",
    "Telegram channel ",
    "Telegram-Kanal ",
    "la chaîne Telegram ",
    "канал ",
    " channel",
    "GREY ZONE",
    "According to ",
    " said",
    ", citing ",
    "Marta Kolyvan",
    "'s ",
    "’s ",
    " ",
    "  ",
    "\t",
    "\n",
    ", ",
    ".",
    "(",
    ")",
    "“",
    "”",
    "-",
]


def texts_of(fragments: list[str], alphabet: str, most: int) -> st.SearchStrategy[str]:
    """Texts of up to `most` pieces, each one of `fragments` or a few characters of `alphabet`."""
    piece = st.one_of(st.sampled_from(fragments), st.text(alphabet=alphabet, max_size=6))
    return st.lists(piece, max_size=most).map("".join)


texts = texts_of(FRAGMENTS, "aZé .,()-\t", 40)
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def finder() -> AttributionFinder:
    return AttributionFinder(load_cues())


@cache
def plain_names() -> NameFinder:
    """A name finder that always tries the long form first, as before the shortcut."""
    names = NameFinder(load_cues())
    names._short = names.pattern
    return names


@EXAMPLES
@given(texts, st.data())
def test_names_found_without_the_long_form_are_the_same(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))

    assert finder().names.find(text, start, end) == plain_names().find(text, start, end)


@EXAMPLES
@given(texts)
def test_every_name_of_two_words_passes_the_cheap_test_at_its_last_word(text: str) -> None:
    names = finder().names
    for start in range(0, len(text), 7):
        for name in names.find(text, start):
            if len(name.words) < 2:
                continue
            last_word = name.end - len(name.words[-1])
            assert names.may_end_two_words(text, last_word), (text, name)
            assert names.may_end_two_words(text, name.end - 1), (text, name)


def leads_by_finditer(
    pattern: re.Pattern[str], text: str, hits: list[re.Match[str]]
) -> list[tuple[int, int]]:
    """The lead-ins as `_leads` found them before it stopped at the platform word."""
    leads: list[tuple[int, int]] = []
    last_end = -1
    for hit in hits:
        for start in (max(0, hit.start() - 30), hit.start()):
            found = next(
                (
                    match
                    for match in pattern.finditer(text, start, min(len(text), hit.end() + 40))
                    if match.start() <= hit.start() < match.end()
                    and match.start() >= last_end
                    and (match.start() == 0 or not text[match.start() - 1].isalnum())
                ),
                None,
            )
            if found is not None:
                leads.append(found.span())
                last_end = found.end()
                break
    return leads


@EXAMPLES
@given(texts)
def test_lead_ins_are_the_ones_finditer_finds(text: str) -> None:
    patterns = finder()
    hits = [match for match in patterns.cues.finditer(text) if match.lastgroup == "platform_word"]

    found = [match.span() for match in patterns._leads(text, hits)]

    assert found == leads_by_finditer(patterns.lead_forward, text, hits)


@EXAMPLES
@given(texts)
def test_document_names_are_the_same_without_the_cheap_test(text: str) -> None:
    patterns = finder()
    plain = AttributionFinder(load_cues())
    plain.names.may_end_two_words = lambda text, position: True  # type: ignore[method-assign]

    fast = patterns.find(text, Sentences(text), [])
    slow = plain.find(text, Sentences(text), [])

    assert references_as_dicts(fast) == references_as_dicts(slow)


# --- the shortcuts of the scans over a whole text ------------------------------------------

SCAN_FRAGMENTS = [
    *FRAGMENTS,
    "for\na ",
    "for \n a ",
    "Ana Ruiz",
    "Ruiz said",
    "\nRuiz: ",
    "Update: ",
    "—",
    "―",
    " – ",
    '"',
    "''",
    "«",
    "»",
    "„",
    "titled ",
    "poll ",
    "Poll",
    "a survey by ",
    "www.",
    ".com/",
    "/",
    "example",
    "follow us",
    "Subscribe",
    "! ",
    "? ",
    "U.S. ",
    "— Ana Ruiz (@anaruiz) ",
    "-- ",
    "&mdash; ",
    "(@",
]
scan_texts = texts_of(SCAN_FRAGMENTS, "aZé .,:()-\t\n", 50)


@EXAMPLES
@given(scan_texts)
@example("Ana Ruiz for\na Marta Kolyvan said")  # a connector written over a line break
def test_the_names_of_a_text_are_those_of_its_lines(text: str) -> None:
    names = finder().names
    pieces = []
    start = 0
    for line_break in [*names.line_breaks(text), len(text)]:
        pieces += names.find(text, start, line_break)
        start = line_break + 1

    assert pieces == names.find(text)


@EXAMPLES
@given(scan_texts)
@example("Fund for\na Ana Ruiz.\nRuiz said")
def test_surnames_read_by_line_are_those_of_the_whole_text(text: str) -> None:
    patterns = finder()
    by_line = _Surnames(patterns, text)
    # the surname of each name of the whole text, judged as the reading by line judges it
    whole = {
        person.words[-1]
        for name in patterns.names.find(text)
        if (person := by_line._person_part(name)) is not None
    }
    for word in {*text.split(), *whole, "Ruiz"}:
        assert (word in by_line) == (word in whole), word


@EXAMPLES
@given(scan_texts)
def test_one_pass_finds_what_each_scanner_finds(text: str) -> None:
    patterns = finder()
    starts = patterns.word_starts.find(text)
    for scanner in (patterns.cues, patterns.surveys.nouns):
        found = [(m.span(), m.lastgroup) for m in scanner.at(text, starts)]
        assert found == [(m.span(), m.lastgroup) for m in scanner.finditer(text)]


@EXAMPLES
@given(scan_texts)
def test_scans_from_cheap_anchors_match_finditer(text: str) -> None:
    for pattern, openers in (
        (mentions._QUOTE_DASH, mentions._QUOTE_DASH_OPENERS),
        (mentions._TITLE_QUOTE, mentions._TITLE_QUOTE_OPENERS),
    ):
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in mentions._opening_at(pattern, text, openers)] == expected
    headline = re.compile(r"(?:^|\n)[ \t]*(?=[^\W\d_][^\n:]{0,78}:[ \t])")
    assert list(mentions._headline_starts(text)) == [m.end() for m in headline.finditer(text)]
    bare = [m.span() for m in textpatterns._BARE_ANCHOR.finditer(text)]
    assert [m.span() for m in textpatterns._bare_anchors(text)] == bare
    signed = [m.span() for m in textpatterns.SIGNATURE.finditer(text)]
    assert [m.span() for m in textpatterns._signature_matches(text)] == signed


@EXAMPLES
@given(scan_texts, st.data())
def test_patterns_that_open_with_a_class_match_as_before(text: str, data: st.DataObject) -> None:
    boundary = re.compile(r"[.!?…][\"'”’»)\]]*[ \t]+(?=(?:[\"“«„(\[‘]|''|``)?[^\W\d_]|\d)|\n+")
    quoted = re.compile(
        r"“[^”\n]{0,2000}”|«[^»\n]{0,2000}»|„[^“”\n]{0,2000}[“”]"
        r"|(?<![^\s(\[—–-])\"[^\"\n]{0,2000}\"|``?[^\n]{0,2000}?''|(?<![^\s(\[—–-])''[^\n]{0,2000}?''"
    )
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for before, now in ((boundary, sentences._BOUNDARY), (quoted, attributions._QUOTED)):
        expected = [(m.span(), m.group()) for m in before.finditer(text, start, end)]
        assert [(m.span(), m.group()) for m in now.finditer(text, start, end)] == expected


@EXAMPLES
@given(scan_texts)
def test_the_follow_phrases_tree_finds_what_substring_tests_find(text: str) -> None:
    lexicon = load_cues()
    context = text.casefold()
    phrases = [phrase.casefold() for phrase in lexicon.list("follow")]

    found = _follow_phrases(lexicon).search(context) is not None

    assert found == any(phrase in context for phrase in phrases)
