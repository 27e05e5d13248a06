"""Regular expressions compiled on first use.

A finder holds dozens of patterns built from whole lexicons; compiling them all costs a
tenth of a second per language, and most documents exercise only some of them (a post
without a platform word never needs the platform patterns). A `LazyPattern` keeps the
source and compiles it the first time a method asks, so building a finder is cheap and a
document pays only for the patterns it reaches. The compiled result is the same object
`re.compile` gives, so every match behaves exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class LazyPattern:
    """The subset of `re.Pattern` the extractors use, compiled on first call.

    Once compiled, the pattern's own C methods are set on the instance, where they shadow
    the methods below: the hot loops (a scanner tries its pattern at every word) then pay
    no Python call for the laziness."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source, self.flags)
            self.__dict__.update(
                match=compiled.match,
                search=compiled.search,
                fullmatch=compiled.fullmatch,
                finditer=compiled.finditer,
                findall=compiled.findall,
                sub=compiled.sub,
                split=compiled.split,
            )
        return compiled

    @property
    def pattern(self) -> str:
        return self.source

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if endpos is None:
            return self.compiled.match(text, pos)
        return self.compiled.match(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if endpos is None:
            return self.compiled.search(text, pos)
        return self.compiled.search(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if endpos is None:
            return self.compiled.fullmatch(text, pos)
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        if endpos is None:
            return self.compiled.finditer(text, pos)
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[str]:
        if endpos is None:
            return self.compiled.findall(text, pos)
        return self.compiled.findall(text, pos, endpos)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        return self.compiled.sub(replacement, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self.compiled.split(text, maxsplit)
