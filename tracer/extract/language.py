"""The languages of a text, from their commonest short words (config/languages.toml).

Prose is read with the cue lexicons of the languages a text is written in: one, or several
when it mixes them, or every lexicon when it is too short to tell.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import lru_cache

from tracer.errors import ConfigError
from tracer.settings import shipped_config_dir
from tracer.tomlfiles import read_toml

_WORD = re.compile(r"[^\W\d_]+")
#: a language is read when its marker words are at least this share of the text's words
#: (a quoted paragraph in another language reaches it; a name or a stray word does not)
_SHARE = 0.01
#: and at least this many of them; fewer in every language and the text is too short to tell
_LEAST = 3
#: the opening characters tell the language as well as the whole text
_SAMPLE = 4000


@lru_cache(maxsize=1)
def _markers() -> dict[str, frozenset[str]]:
    path = shipped_config_dir() / "languages.toml"
    try:
        data = read_toml(path)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    return {language: frozenset(words) for language, words in data.get("markers", {}).items()}


def _scores(text: str) -> tuple[dict[str, int], int]:
    counts = Counter(_WORD.findall(text[:_SAMPLE].casefold()))
    scores = {
        language: sum(counts[word] for word in words if word in counts)
        for language, words in _markers().items()
    }
    return scores, sum(counts.values())


def languages_of(text: str) -> frozenset[str]:
    """The languages whose lexicons `text` needs: each whose commonest words make up a
    share of it, and always the best-scoring one; empty (every lexicon) when the text
    holds too few of any language's words to tell."""
    scores, total = _scores(text)
    best = max(scores.values(), default=0)
    if best < _LEAST:
        return frozenset()
    wanted = min(best, max(_LEAST, _SHARE * total))
    return frozenset(language for language, score in scores.items() if score >= wanted)


def guess_language(text: str) -> str | None:
    """The best-scoring language code, or None when the text gives too little to go on."""
    scores, _ = _scores(text)
    best = max(scores, key=lambda language: scores[language], default=None)
    return best if best is not None and scores[best] >= _LEAST else None
