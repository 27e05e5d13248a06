"""Regular expressions compiled on first use.

A finder holds dozens of patterns built from whole lexicons; compiling them all costs a
tenth of a second per language, and most documents exercise only some of them (a post
without a platform word never needs the platform patterns). A `LazyPattern` keeps the
source and compiles it the first time a method asks, so building a finder is cheap and a
document pays only for the patterns it reaches. The compiled result is the same object
`re.compile` gives, so every match behaves exactly as before.

Compiling is still most of what a short run costs: the patterns an English article needs
take 0.15-0.2 s to compile, more than the rest of its extraction. `re` turns a pattern
into a program for its matching engine in Python (the parse and the code generation),
and only that last step is C. So the program is kept in the user's cache directory, like
the parsed lexicons (tracer.tomlfiles), keyed by the pattern, its flags and the
interpreter's version and engine, and a later run hands it straight to the engine: a
pattern of 11,000 characters takes 0.3 ms instead of 15. The engine checks every program
it is given, and a cache that is missing, stale or unreadable only means compiling again.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from collections.abc import Iterator, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from tracer.tomlfiles import store_marshalled


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
            compiled = self._compiled = _compile(self.source, self.flags)
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


def _compile(source: str, flags: int) -> re.Pattern[str]:
    """`re.compile(source, flags)`, through the cache of compiled programs."""
    try:
        engine: Any = import_module("_sre")
        parser: Any = import_module("re._parser")
        compiler: Any = import_module("re._compiler")
    except ImportError:  # another interpreter than CPython: compile as usual
        return re.compile(source, flags)
    flags = int(flags)  # a RegexFlag is no value marshal can store
    key = (source, flags, sys.version, engine.MAGIC)
    name = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cached = _cache_dir() / f"{name}.marshal"
    program: Sequence[Any] | None = None
    try:
        stored_key, *program = marshal.loads(cached.read_bytes())
        if stored_key != key:
            program = None
    except (OSError, EOFError, ValueError, TypeError):
        program = None
    if program is not None:
        try:
            return engine.compile(source, *program)
        except (RuntimeError, TypeError, ValueError):  # a damaged program fails its check
            pass
    # what re._compiler.compile does, keeping the program it hands to the engine
    parsed = parser.parse(source, flags)
    code = [int(word) for word in compiler._code(parsed, flags)]
    index = [None] * parsed.state.groups
    for group, number in parsed.state.groupdict.items():
        index[number] = group
    program = (
        int(flags | parsed.state.flags),
        code,
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        tuple(index),
    )
    store_marshalled(cached, (key, *program))
    return engine.compile(source, *program)


def _cache_dir() -> Path:
    from tracer.settings import user_cache_dir

    return user_cache_dir() / "patterns"
