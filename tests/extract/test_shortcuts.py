"""The shortcuts in the prose patterns find exactly what the patterns they skip would find.

Each shortcut is checked against the plain way it replaces, on generated text made of the
words that trigger it: names, connectors, document nouns, platform words and kind nouns,
parentheses, commas, spaces, tabs and line breaks.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.extract.attributions import AttributionFinder
from tracer.extract.cues import load_cues
from tracer.extract.names import NameFinder
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
texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet="aZé .,()-\t", max_size=6)),
    max_size=40,
).map("".join)
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
