"""What the finders judge once per spelling of a name.

An article names the same sources again and again, and whether a spelling is anonymous,
which of its words are titles, or where a name's trim ends depend on its text alone: a
finder remembers each answer. A finder lives as long as its lexicon, which a long-running
process keeps, so the memory is bounded: when full it starts again.
"""

from __future__ import annotations

from typing import TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")

#: spellings remembered at most; an article names a few hundred
REMEMBERED = 20_000


class Spellings(dict[Key, Value]):
    """A bounded memory of answers by spelling."""

    def keep(self, key: Key, value: Value) -> Value:
        """Remember `value` for `key` (forgetting everything first when full); `value`."""
        if len(self) >= REMEMBERED:
            self.clear()
        self[key] = value
        return value
