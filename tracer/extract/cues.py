"""Cue lexicons: the words that show a sentence cites a source, in several languages.

The shipped lexicons live in `config/cues/*.toml`, one file per language. Users extend
them with files of the same shape (every list is merged, so a file may hold only the
words it adds); `load_cues(extra_files)` layers those over the shipped ones.
"""

from __future__ import annotations

import os
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from tracer.errors import ConfigError
from tracer.extract.language import languages_of
from tracer.extract.lazypattern import LazyPattern
from tracer.settings import shipped_config_dir
from tracer.tomlfiles import read_toml

_LIST_KEYS = (
    "according",
    "verbs",
    "auxiliaries",
    "plural_verbs",
    "citing",
    "between",
    "anonymous",
    "indefinite",
    "pronouns",
    "not_names",
    "connectors",
    "person_titles",
    "posts",
    "post_on",
    "post_by",
    "follow",
    "own",
    "descriptor_suffixes",
    "descriptor_prefixes",
    "noun_articles",
    "according_after",
    "citing_after",
    "via",
    "via_after",
    "medium_suffixes",
    "medium_datives",
    "determiners",
    "name_stops",
    "name_prefixes",
    "case_suffixes",
    "places",
    "demonyms",
    "collectives",
    "entourage",
    "agent",
    "affiliation_words",
    "possessive_determiners",
    "conjunctions",
    "findings",
    "surveys",
    "survey_compounds",
    "name_heads",
    "name_complement_endings",
    "name_complement_adjectives",
    "name_head_adjectives",
    "spokesperson_titles",
    "role_qualifiers",
    "article_prefixes",
    "lower_case_names",
    "name_particles",
    "particle_verbs",
    "neuter_articles",
    "citing_verbs",
    "surname_endings",
    "body_adjective_endings",
    "non_speech_phrases",
    "oblique_articles",
    "fronted_prepositions",
    "dative_articles",
    "subject_pronouns",
    "role_noun_endings",
    "source_labels",
    "compound_case_endings",
    "genitive_body_endings",
    "place_titles",
    "title_parts",
    "modifier_words",
)
_TABLE_KEYS = ("kinds", "name_endings", "platforms", "base_forms")
_KINDS = ("channel", "outlet", "organization", "document", "person", "post")
#: how a language orders a speech verb and its subject, and whether it capitalises names;
#: each flag applies to the verbs (and names) of the file that sets it
_GRAMMAR_KEYS = ("subject_after_verb", "verb_final", "cased", "suffixed_names")
#: the cues whose name beside them carries its case ending written onto the word when the
#: file sets suffixed_names ("Reutersin mukaan", "sanoi Ylelle")
_SUFFIXED_CUE_KEYS = ("according_after", "citing_after", "via_after", "verbs")


def phrase_pattern(phrases: Iterable[str], *, capitalised_too: bool = False) -> str:
    """One alternation of `phrases` as a prefix tree, spaces matching any whitespace.

    Python's `re` tries alternatives one by one; factoring shared prefixes keeps a
    lexicon of hundreds of cues as fast as a handful. Longer phrases win over their
    prefixes because every branch is greedy. With `capitalised_too` a phrase also
    matches with its first letter upper-cased, so "according to" matches a sentence
    that opens with it, while "states" never matches "United States".
    """
    return _alternation(_variants(phrases, capitalised_too=capitalised_too))


def phrase_initials(phrases: Iterable[str], *, capitalised_too: bool = False) -> str:
    """A class of the characters `phrase_pattern(phrases)` may open a match with: a cheap
    test of where the whole pattern is worth trying."""
    initials = sorted(
        {variant[0] for variant in _variants(phrases, capitalised_too=capitalised_too)}
    )
    if not initials:
        return "(?!)"
    return "[" + "".join(re.escape(char) for char in initials) + "]"


def _variants(phrases: Iterable[str], *, capitalised_too: bool) -> frozenset[str]:
    variants: set[str] = set()
    for phrase in phrases:
        phrase = " ".join(phrase.split())
        if not phrase:
            continue
        # web text writes "wouldn't" and "wouldn’t" alike: a lexicon lists one
        spellings = {phrase, phrase.replace("'", "’")}
        variants.update(spellings)
        if capitalised_too:
            variants.update(p[0].upper() + p[1:] for p in spellings)
    return frozenset(variants)


@lru_cache(maxsize=256)
def _alternation(variants: frozenset[str]) -> str:
    """The prefix tree of `variants` as a pattern; cached, since every finder built from
    the same lexicons asks for the same few dozen lists."""
    if not variants:
        return "(?!)"
    return "(?:" + _prefix_tree(sorted(variants), 0) + ")"


_LAST_CHARACTER = chr(0x10FFFF)


def _prefix_tree(words: list[str], depth: int) -> str:
    """The pattern of the tree node that `words` (sorted, distinct, sharing their first
    `depth` characters) pass through.

    Works on the sorted list rather than on a tree of one dict per character: words that
    share a branch are neighbours, and a run of characters without a fork is one slice
    (the common prefix of a group's first and last word), so the cost is one call per
    fork, not per character; a lexicon's patterns took 0.7 s per language set to build
    one character at a time, the time of a whole trace's start-up.
    """
    ends_here = len(words[0]) == depth  # a word that ends here sorts first
    rest = words[1:] if ends_here else words
    branches: list[str] = []
    start = 0
    while start < len(rest):
        # the group sharing this branch's character ends before the first word that
        # sorts after every word it could hold
        end = bisect_right(rest, rest[start][: depth + 1] + _LAST_CHARACTER, start + 1)
        group = rest[start:end]
        # the characters the first and last words share, not a path
        fork = len(os.path.commonprefix([group[0], group[-1]]))  # noqa: RUF071
        run = r"\s+".join(re.escape(part) for part in group[0][depth:fork].split(" "))
        branches.append(run + _prefix_tree(group, fork))
        start = end
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{body})?"
    return body


#: characters that end a word before a cue; a class of its own lets `re` skip to them fast
SEPARATORS = r"[\s(\[{\"“«»„'‘’,;:—–/.!?*<>|+=&%$#~…•·-]"

#: where a cue ends: before no letter, or at an elided article's apostrophe, which a name
#: follows with no space ("ha detto all'Ansa")
WORD_END = r"(?:(?<=['’])|(?!\w))"


class WordScanner:
    """Whole-word matches of `pattern`, found at word starts only.

    A pattern that opens with a look-behind or a long alternation is tried at every
    character; scanning for a separator first (a character class `re` skips to in C) and
    trying the pattern only after one is several times faster on article-length text.
    Yields ordinary match objects of `pattern`, left to right, without overlaps.
    """

    def __init__(self, pattern: str, flags: int = 0, *, prefilter: str | None = None) -> None:
        self.flags = flags
        self.inner = LazyPattern(rf"(?:{pattern}){WORD_END}", flags)
        # `prefilter` matches at least where `pattern` does, without its groups: one
        # prefix tree is cheaper to try at each word than an alternation of several
        self.prefilter = prefilter or pattern
        self.scan = LazyPattern(rf"{SEPARATORS}(?=(?:{self.prefilter}){WORD_END})", flags)

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else min(endpos, len(text))
        last = pos
        if pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_"):
            first = self.inner.match(text, pos, end)
            if first is not None:
                yield first
                last = first.end()
        for hit in self.scan.finditer(text, max(pos, last - 1) if last > pos else pos, end):
            if hit.end() < last:
                continue
            match = self.inner.match(text, hit.end(), end)
            if match is not None:
                yield match
                last = match.end()

    def at(self, text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
        """`finditer(text)`, tried only at `starts` (ascending, from `WordStarts.find`, which
        holds at least every word start where this pattern matches)."""
        last = 0
        for start in starts:
            if start < last:
                continue
            match = self.inner.match(text, start)
            if match is not None:
                yield match
                last = match.end()


class WordStarts:
    """The word starts where any of several scanners may match, found in one pass.

    Each scanner's own pass stops at every separator of the text, a cost per character
    that does not depend on the pattern; one pass for several, then each scanner tried
    only where some of them may match, pays it once."""

    def __init__(self, *scanners: WordScanner) -> None:
        flags = {scanner.flags for scanner in scanners}
        if len(flags) > 1:
            raise ValueError("scanners read together share their flags")
        either = "|".join(rf"(?:{scanner.prefilter}){WORD_END}" for scanner in scanners)
        self.scan = LazyPattern(rf"{SEPARATORS}(?={either})", flags.pop() if flags else 0)

    def find(self, text: str) -> list[int]:
        """The text's start (where `finditer` always tries), then every candidate word start."""
        return [0, *(hit.end() for hit in self.scan.finditer(text))]


_NO_WORDS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    """Every cue word of every loaded language, merged."""

    languages: tuple[str, ...]
    words: dict[str, tuple[str, ...]]
    tables: dict[str, dict[str, tuple[str, ...]]]
    months: dict[str, int] = field(default_factory=dict)
    #: verbs (as listed) whose subject may follow them directly: "sagte Merkel", "заявил Лавров"
    inverted_verbs: frozenset[str] = frozenset()
    #: verbs that close a clause whose subject opens it: "Erdoğan ... söyledi", "X ... گفت"
    final_verbs: frozenset[str] = frozenset()
    #: verbs of the languages that list `auxiliaries`: one of them after its auxiliary in
    #: the clause ("Siemens hat am Montag einen Abbau angekündigt") is read at the auxiliary
    perfect_verbs: frozenset[str] = frozenset()
    #: languages whose script has no capital letters: names are read between stop words
    uncased: tuple[str, ...] = ()
    #: postposed cues and verbs (case-folded) of the languages that write a name's case
    #: ending onto the word ("Reutersin mukaan", "sanoi Ylelle"), and those languages'
    #: letter-initial case endings, longest first: the name beside such a cue is given
    #: without its ending
    suffixed_cues: frozenset[str] = frozenset()
    suffixed_endings: tuple[str, ...] = ()

    # identity semantics: lexicons are built once per set of files and cached
    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def list(self, key: str) -> tuple[str, ...]:
        return self.words.get(key, ())

    def table(self, key: str) -> dict[str, tuple[str, ...]]:
        return self.tables.get(key, {})

    @cached_property
    def lowered(self) -> dict[str, frozenset[str]]:
        """Each list as a set of case-folded words, for membership tests."""
        return {
            key: frozenset(word.casefold() for word in words) for key, words in self.words.items()
        }

    def has(self, key: str, word: str) -> bool:
        return word.casefold() in self.lowered.get(key, _NO_WORDS)

    @cached_property
    def kind_of_noun(self) -> dict[str, str]:
        """Case-folded kind noun -> kind; the first kind listing a noun wins."""
        result: dict[str, str] = {}
        for kind in ("outlet", "document", "channel", "organization", "person"):
            for noun in self.table("kinds").get(kind, ()):
                result.setdefault(noun.casefold(), kind)
        for noun in self.list("person_titles"):
            result.setdefault(noun.casefold(), "person")
        return result

    def key_of_word(self, key: str) -> dict[str, str]:
        """Case-folded word -> the key of the list in table `key` that holds it."""
        return {word.casefold(): name for name, words in self.table(key).items() for word in words}

    @cached_property
    def platform_of_word(self) -> dict[str, str]:
        return self.key_of_word("platforms")

    @cached_property
    def base_of_form(self) -> dict[str, str]:
        """Case-folded case form of a word -> its base form, as [base_forms] lists them
        ("pankin" -> "Pankki")."""
        return self.key_of_word("base_forms")

    @cached_property
    def kind_of_ending(self) -> dict[str, str]:
        return self.key_of_word("name_endings")

    def pattern(self, key: str, *, capitalised_too: bool = False) -> str:
        return phrase_pattern(self.list(key), capitalised_too=capitalised_too)

    @cached_property
    def kind_nouns_pattern(self) -> str:
        nouns = [noun for nouns in self.table("kinds").values() for noun in nouns]
        return phrase_pattern(nouns)

    @cached_property
    def platforms_pattern(self) -> str:
        return phrase_pattern(
            [word for words in self.table("platforms").values() for word in words]
        )

    @cached_property
    def months_pattern(self) -> str:
        return phrase_pattern(self.months, capitalised_too=True)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_toml(path)  # the sixteen lexicons are 650 KB of TOML: parsed once
    except FileNotFoundError:
        raise ConfigError(f"cue file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read cue file {path}: {error}") from None
    known = {"language", "months", "grammar", *_LIST_KEYS, *_TABLE_KEYS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown cue key {unknown[0]!r}")
    return data


def _strings(path: Path, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return value


def _grammar(path: Path, value: Any) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [grammar] must be a table of true/false flags")
    for key, flag in value.items():
        if key not in _GRAMMAR_KEYS:
            raise ConfigError(f"{path}: unknown grammar flag {key!r}")
        if not isinstance(flag, bool):
            raise ConfigError(f"{path}: grammar.{key} must be true or false")
    return value


def _merge(paths: Sequence[Path]) -> Lexicon:
    languages: list[str] = []
    words: dict[str, list[str]] = {key: [] for key in _LIST_KEYS}
    tables: dict[str, dict[str, list[str]]] = {key: {} for key in _TABLE_KEYS}
    months: dict[str, int] = {}
    inverted: set[str] = set()
    final: set[str] = set()
    perfect: set[str] = set()
    uncased: list[str] = []
    suffixed_cues: set[str] = set()
    suffixed_endings: set[str] = set()
    for path in paths:
        data = _read(path)
        if isinstance(data.get("language"), str):
            languages.append(data["language"])
        grammar = _grammar(path, data.get("grammar", {}))
        verbs = _strings(path, "verbs", data.get("verbs", []))
        # a particle verb's finite part reads as a verb of its own: "maakte ... bekend"
        particle = _strings(path, "particle_verbs", data.get("particle_verbs", []))
        heads = [verb.split()[0] for verb in particle if verb.split()]
        auxiliaries = _strings(path, "auxiliaries", data.get("auxiliaries", []))
        if auxiliaries:
            perfect.update(verb.casefold() for verb in verbs)
        if grammar.get("subject_after_verb"):
            inverted.update(verb.casefold() for verb in (*verbs, *heads))
        if grammar.get("verb_final"):
            final.update(verb.casefold() for verb in verbs)
        if grammar.get("cased") is False:
            uncased.append(str(data.get("language", path.stem)))
        if grammar.get("suffixed_names"):
            for key in _SUFFIXED_CUE_KEYS:
                suffixed_cues.update(c.casefold() for c in _strings(path, key, data.get(key, [])))
            endings = _strings(path, "case_suffixes", data.get("case_suffixes", []))
            suffixed_endings.update(e for e in endings if e[:1].isalpha())
        for key in _LIST_KEYS:
            if key in data:
                words[key].extend(_strings(path, key, data[key]))
        for key in _TABLE_KEYS:
            table = data.get(key, {})
            if not isinstance(table, dict):
                raise ConfigError(f"{path}: [{key}] must be a table of lists")
            for name, value in table.items():
                if key == "kinds" and name not in _KINDS:
                    raise ConfigError(f"{path}: unknown kind {name!r} in [kinds]")
                tables[key].setdefault(name, []).extend(_strings(path, f"{key}.{name}", value))
        raw_months = data.get("months", [])
        if not isinstance(raw_months, list) or len(raw_months) not in (0, 12):
            raise ConfigError(f"{path}: months must list twelve months, January first")
        for number, forms in enumerate(raw_months, start=1):
            for form in _strings(path, "months", forms):
                months[form.casefold()] = number
    _add_platform_names(tables["platforms"], languages)
    return Lexicon(
        languages=tuple(languages),
        words={key: tuple(dict.fromkeys(value)) for key, value in words.items()},
        tables={
            key: {name: tuple(dict.fromkeys(value)) for name, value in table.items()}
            for key, table in tables.items()
        },
        months=months,
        inverted_verbs=frozenset(inverted),
        final_verbs=frozenset(final),
        perfect_verbs=frozenset(perfect),
        uncased=tuple(uncased),
        suffixed_cues=frozenset(suffixed_cues),
        suffixed_endings=tuple(sorted(suffixed_endings, key=len, reverse=True)),
    )


def _add_platform_names(platforms: dict[str, list[str]], languages: Sequence[str]) -> None:
    """The names each installed platform adapter gives for `languages` and for every
    language ("*"), after those the cue
    files list: a platform is one file, so it, not the core's lexicons, knows what prose
    calls it ("Telegramie", "Telegram'da"). Imported here, on the first lexicon built,
    since text with no platform link otherwise never loads an adapter."""
    from tracer.plugins.installed import prose_names

    for platform, by_language in prose_names().items():
        names = [name for language in ("*", *languages) for name in by_language.get(language, ())]
        if names:
            platforms.setdefault(platform, []).extend(names)


@lru_cache(maxsize=1)
def _shipped() -> tuple[Path, ...]:
    return tuple(sorted((shipped_config_dir() / "cues").glob("*.toml")))


def shipped_cue_files() -> list[Path]:
    """The lexicons that ship with tracer, one per language."""
    return list(_shipped())


@lru_cache(maxsize=16)
def _cached(paths: tuple[Path, ...]) -> Lexicon:
    return _merge(paths)


def load_cues(
    extra_files: Iterable[str | Path] = (), languages: Iterable[str] | None = None
) -> Lexicon:
    """The shipped lexicons with `extra_files` layered over them (lists are merged).

    With `languages`, only the shipped lexicons of those languages (by file name, e.g.
    `de` for de.toml); the extra files are always read."""
    extra = tuple(Path(path).expanduser() for path in extra_files)
    shipped = _shipped() if languages is None else _shipped_for(frozenset(languages))
    return _cached((*shipped, *extra))


@lru_cache(maxsize=64)
def _shipped_for(languages: frozenset[str]) -> tuple[Path, ...]:
    return tuple(path for path in _shipped() if path.stem in languages)


def cues_for(
    text: str, extra_files: Iterable[str | Path] = (), declared: str | None = None
) -> Lexicon:
    """The lexicons `text` needs. When its words are too few to tell its language, the
    language its page or post declares (`declared`, e.g. html lang or a tweet's lang)
    is trusted, and only without one is it read with every lexicon: a finder over all
    sixteen takes seconds to build, over one a fraction of that."""
    languages = languages_of(text)
    if not languages and declared and declared in _shipped_languages():
        languages = frozenset({declared})
    return load_cues(extra_files, languages if languages else None)


@lru_cache(maxsize=1)
def _shipped_languages() -> frozenset[str]:
    return frozenset(path.stem for path in _shipped())
