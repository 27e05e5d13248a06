"""Matching a pattern only where a cheap literal search says a match may start.

`re` tries a pattern at every character of the text, and in Python's engine even a
pattern that opens with a character class stops at each one. Most patterns extraction
runs over a whole article can only start at a rare literal (a quotation mark, "www.",
"pic."): `str.find` finds those in C, and the pattern is tried there alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def occurrences(text: str, literal: str) -> Iterator[int]:
    """Every position where `literal` stands in `text`, overlapping ones included."""
    position = text.find(literal)
    while position >= 0:
        yield position
        position = text.find(literal, position + 1)


def matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """`pattern` matched at each of `starts` (in order) that does not stand inside the
    previous match: what `pattern.finditer(text)` gives when every match starts at one of
    `starts`."""
    last = 0
    for start in starts:
        if start < last:
            continue
        match = pattern.match(text, start)
        if match is not None:
            last = match.end()
            yield match
