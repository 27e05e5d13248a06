"""One source, one node: what the attribution patterns find, merged into references.

Each pattern reports a `Found`: a name, its kind and the sentence that cites it. A
document cites most of its sources several times and under several forms ("Andriy Yusov"
then "Yusov", "the Main Intelligence Directorate (HUR)" then "HUR"); `merge` makes one
reference per source, keeping the first citing sentence as its evidence and every form as
a mention, so the trace gets one node with all of its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracer.extract.names import Name
from tracer.extract.reference import Mention, Reference
from tracer.extract.sentences import Sentence
from tracer.store.model import NodeKind, Relation

#: spaces that web text writes as other characters, each read as one plain space
SPACE_CHARACTERS = "\u00a0\u2007\u202f\u2009\u200a"
SPACES = str.maketrans(dict.fromkeys(SPACE_CHARACTERS, " "))


def plain_spaces(text: str) -> str:
    """`text` with its odd spaces as plain ones; `str.replace` per character present,
    since `translate` with a table walks the whole text in Python-level lookups."""
    for character in SPACE_CHARACTERS:
        if character in text:
            text = text.replace(character, " ")
    return text


@dataclass(slots=True)
class Found:
    """An attribution before it becomes a reference."""

    name: Name
    kind: NodeKind
    confidence: float
    sentence: Sentence
    extractor: str
    platform: str | None = None
    descriptors: list[str] = field(default_factory=list)
    affiliation: str | None = None
    affiliation_name: Name | None = None
    #: further organisations the speaker's apposition names ("a professor at X and the
    #: director of its Y"): each gets a `speaks_for` node like the first
    also_for: list[Name] = field(default_factory=list)
    cited_by: Found | None = None
    relation: Relation = Relation.CITES
    #: the name is the bare subject of its verb ("Egypt announced"), the one place where a
    #: country may stand for its government
    direct: bool = False
    #: the name stands where a kind noun or a title says what it names ("قناة العربية",
    #: "سخنگوی فیس‌بوک"): a word that is a nationality or a platform elsewhere names a
    #: body there
    named_by_kind: bool = False


_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
#: what a source's key leaves out: spaces, punctuation, underscores
_NOT_KEY = re.compile(r"[\W_]+")


def strip_article(text: str) -> str:
    return _ARTICLE.sub("", text.strip())


def full_name(name: Name) -> str:
    return f"{name.text} ({name.abbreviation})" if name.abbreviation else name.text


@lru_cache(maxsize=4096)
def source_key(name: str | None) -> str:
    # merging asks for the key of every form of every name, and a text repeats its names
    return _NOT_KEY.sub("", name or "").casefold()


def is_own(found: Found, own: set[str]) -> bool:
    return bool(found.name.abbreviation) and source_key(found.name.abbreviation) in own


def merge(text: str, found: list[Found]) -> list[Reference]:
    """One reference per source: the first sentence that cites it, merged details."""
    found.sort(key=lambda f: (f.name.start, -f.confidence))
    by_key: dict[str, Reference] = {}
    made: dict[int, Reference] = {}
    references: list[Reference] = []
    persons: dict[str, Reference] = {}
    for item in found:
        name = item.name
        relation = item.relation.value
        keys = [relation + source_key(name.text)] + (
            [relation + source_key(name.abbreviation)] if name.abbreviation else []
        )
        existing = next((by_key[k] for k in keys if k in by_key), None)
        if existing is None and len(name.words) == 1:
            # "Yusov said" after "Andriy Yusov"
            existing = persons.get(relation + source_key(name.text))
        if existing is not None:
            made[id(item)] = existing
            absorb(text, existing, item)
            continue
        reference = Reference(
            relation=item.relation,
            kind=item.kind,
            extractor=item.extractor,
            platform=item.platform,
            name=name.text,
            handle=name.text[1:] if name.text.startswith("@") else None,
            aliases=[name.abbreviation] if name.abbreviation else [],
            affiliation=item.affiliation,
            descriptors=list(dict.fromkeys(item.descriptors)),
            evidence=text[item.sentence.start : item.sentence.end],
            start=item.sentence.start,
            end=item.sentence.end,
            confidence=round(item.confidence, 2),
            mentions=[mention(text, item)],
        )
        if reference.handle and not reference.platform:
            reference.platform = "x"
        made[id(item)] = reference
        references.append(reference)
        for k in keys:
            by_key.setdefault(k, reference)
        if item.kind == NodeKind.PERSON and len(name.words) >= 2:
            persons.setdefault(relation + source_key(name.words[-1]), reference)
    unify(references)
    for item in found:
        if item.cited_by is not None:
            target, speaker = made.get(id(item)), made.get(id(item.cited_by))
            if (
                target is not None
                and speaker is not None
                and target is not speaker
                and target.cited_by is None
            ):
                target.cited_by = speaker
    return references


def split_run(found: Found, person_from: int, organisation_to: int) -> None:
    """Make `found` the person named from `person_from` in its name's text on, speaking for
    the organisation named up to `organisation_to` (offsets within the name's text)."""
    name = found.name
    organisation = name.text[:organisation_to].rstrip(":'’")
    org = Name(
        organisation,
        name.start,
        name.start + len(organisation),
        None,
        name.start + len(organisation),
    )
    found.name = Name(name.text[person_from:], name.start + person_from, name.end, None, name.end)
    found.kind = NodeKind.PERSON
    found.affiliation, found.affiliation_name = org.text, org


def unify(references: list[Reference]) -> None:
    """One source, one node: a source cited in one place and spoken for or spoken through
    in another ("HUR said" beside "a representative of the Main Intelligence Directorate
    (HUR)") takes the name and kind it was first given, so its nodes meet in the store."""
    first: dict[str, Reference] = {}
    for reference in references:
        keys = [source_key(reference.name), *(source_key(alias) for alias in reference.aliases)]
        known = next((first[k] for k in keys if k in first), None)
        if known is not None and known.relation != reference.relation:
            reference.name, reference.kind = known.name, known.kind
            for alias in [*known.aliases, *reference.aliases]:
                if alias not in reference.aliases:
                    reference.aliases.append(alias)
        for k in keys:
            first.setdefault(k, known or reference)


def mention(text: str, item: Found) -> Mention:
    name, sentence = item.name, item.sentence
    # the surface as written: a name's own text reads its no-break spaces as spaces, and a
    # name given in its base form ("Heikkinen" for "Heikkisen") keeps the written ending
    surface = text[name.start : name.end]
    return Mention(surface, name.start, name.end, sentence.start, sentence.end)


def absorb(text: str, reference: Reference, item: Found) -> None:
    if not any(m.start == item.name.start for m in reference.mentions):
        reference.mentions.append(mention(text, item))
    if item.confidence > reference.confidence and item.kind != reference.kind:
        reference.kind = item.kind
        reference.confidence = round(item.confidence, 2)
    reference.platform = reference.platform or item.platform
    reference.affiliation = reference.affiliation or item.affiliation
    if item.name.abbreviation and item.name.abbreviation not in reference.aliases:
        reference.aliases.append(item.name.abbreviation)
    for descriptor in item.descriptors:
        if descriptor not in reference.descriptors:
            reference.descriptors.append(descriptor)
