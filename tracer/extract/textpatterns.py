"""What embeds and links leave behind in plain text.

A pasted article keeps an embedded tweet only as its signature ("— Name (@handle)
July 28, 2024") and its media link (pic.twitter.com/…); links survive as bare or
scheme-less URLs. Each becomes a reference whose evidence is the exact text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from tracer.extract.cues import Lexicon
from tracer.extract.lazypattern import LazyPattern
from tracer.extract.reference import Reference
from tracer.extract.scanning import matches_at, occurrences
from tracer.extract.sentences import Sentences
from tracer.extract.urls import TLDS, classify, is_share_link, with_scheme
from tracer.store.model import Dating, NodeKind, Precision, Relation

SIGNATURE_METHOD = "embed-signature"
#: how far (characters) a media link may sit from the signature of its tweet
_ATTACH_DISTANCE = 600

# patterns open with literals so `re` can skip to candidates; boundaries are checked after
_MEDIA = re.compile(r"pic\.(?:twitter|x)\.com/[A-Za-z0-9]{4,}|t\.co/[A-Za-z0-9]{4,}")
_SCHEME_BEFORE = re.compile(r"https?://$", re.IGNORECASE)
_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[^\s<>\"'“”«»\[\]{}|\\^`]+")
_PLATFORM_HOSTS = r"(?:t\.me|telegram\.me|youtu\.be|x\.com|twitter\.com|(?:www\.|m\.)?facebook\.com|fb\.watch|(?:www\.)?instagram\.com|(?:www\.)?tiktok\.com|vk\.com|(?:www\.|m\.)?youtube\.com|rumble\.com)"
# scheme-less links: a host with a path, or www.host; the TLD is checked after matching
# (a pattern listing the TLDs is tried at every word and costs more than the rest)
_BARE = re.compile(
    r"(?<![\w@/.:-])(?:www\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"'“”«»]*)?|[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?P<tld>[a-z]{2,24})/[^\s<>\"'“”«»]*)",
    re.IGNORECASE,
)
_BARE_TLD = re.compile(TLDS, re.IGNORECASE)
_BARE_ANCHOR = re.compile(r"www\.|\.[A-Za-z]{2,24}/")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
_BARE_PLATFORM = re.compile(_PLATFORM_HOSTS + "/", re.IGNORECASE)
_TRAILING = ".,;:!?'\"”’»…"
# "@handle" after a word that credits it: "reposted by @x", "via @x", "h/t @x"
_HANDLE = re.compile(r"@(?P<handle>\w{1,32})(?!\w)")
_CREDIT_BEFORE = re.compile(
    r"(?<!\w)(?i:by|via|from|h/t|ht|hat tip to|cc|von|par|por|da|od|від|от)[ \t]+$"
)
_HANDLE_PLATFORMS = (
    ("telegram", re.compile(r"(?i)telegram|телеграм")),
    ("instagram", re.compile(r"(?i)instagram")),
    ("tiktok", re.compile(r"(?i)tiktok")),
    ("youtube", re.compile(r"(?i)youtube")),
)


@dataclass(slots=True, frozen=True)
class SignatureDate:
    year: int
    month: int
    day: int

    def as_datetime(self) -> datetime | None:
        try:
            return datetime(self.year, self.month, self.day, tzinfo=UTC)
        except ValueError:
            return None


@cache
def _date_pattern(lexicon: Lexicon) -> str:
    months = lexicon.months_pattern
    return (
        rf"(?:(?P<m1>(?i:{months}))\.?[ \t]+(?P<d1>\d{{1,2}}),?[ \t]+(?P<y1>\d{{4}})"
        rf"|(?P<d2>\d{{1,2}})\.?[ \t]+(?:de[ \t]+)?(?P<m2>(?i:{months}))\.?,?[ \t]+(?:de[ \t]+)?(?P<y2>\d{{4}})(?:[ \t]*(?:г|р|r)\.)?"
        rf"|(?P<y3>\d{{4}})-(?P<mo3>\d{{2}})-(?P<d3>\d{{2}})"
        rf"|(?P<y4>\d{{4}})年(?P<mo4>\d{{1,2}})月(?P<d4>\d{{1,2}})日)"
    )


#: "— Display Name (@handle)": a tweet's signature, up to its handle. The dashes are
#: literals, not a class: `re` then skips in C to the characters that can open one,
#: instead of trying the pattern at every position. The date that may follow is read by
#: `signature_date` with `date_pattern`, so the months of sixteen languages are compiled
#: into one pattern, not two (each took ~35 ms of a trace's start).
SIGNATURE = re.compile(
    r"(?P<dash>—|–|&mdash;|--)[ \t]*(?P<display>(?:(?![—–\n]).){0,80}?)[ \t]*"
    r"\(@(?P<handle>\w{1,15})\)"
)
_SPACES = re.compile(r"[ \t]*")


@cache
def date_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    # through the compiled-pattern cache: sixteen languages' months took 20-35 ms to compile
    return LazyPattern(_date_pattern(lexicon)).compiled


def signature_date(text: str, signature: re.Match[str], lexicon: Lexicon) -> re.Match[str] | None:
    """The date right after a signature ("… (@handle) July 28, 2024"), if one follows."""
    start = _SPACES.match(text, signature.end())
    assert start is not None  # zero spaces match too
    return date_pattern(lexicon).match(text, start.end())


def parse_date(match: re.Match[str], lexicon: Lexicon) -> SignatureDate | None:
    """The calendar date of a match of the signature or date pattern."""
    groups = match.groupdict()
    try:
        if groups.get("m1"):
            month = lexicon.months.get(groups["m1"].casefold().rstrip(".")) or lexicon.months.get(
                groups["m1"].casefold()
            )
            return SignatureDate(int(groups["y1"]), month, int(groups["d1"])) if month else None
        if groups.get("m2"):
            month = lexicon.months.get(groups["m2"].casefold().rstrip(".")) or lexicon.months.get(
                groups["m2"].casefold()
            )
            return SignatureDate(int(groups["y2"]), month, int(groups["d2"])) if month else None
        if groups.get("y3"):
            return SignatureDate(int(groups["y3"]), int(groups["mo3"]), int(groups["d3"]))
        if groups.get("y4"):
            return SignatureDate(int(groups["y4"]), int(groups["mo4"]), int(groups["d4"]))
    except (TypeError, ValueError):
        return None
    return None


def trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL, and unmatched ')'."""
    while url:
        if (
            url[-1] in _TRAILING
            or (url[-1] == ")" and url.count("(") < url.count(")"))
            or (url[-1] == "]" and url.count("[") < url.count("]"))
        ):
            url = url[:-1]
        else:
            break
    return url


def _signature_matches(text: str) -> Iterator[re.Match[str]]:
    """`SIGNATURE.finditer(text)`, read only on the lines that hold a "(@": a signature never
    runs across a line break, and re would stop at every hyphen of the text."""
    position = text.find("(@")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        yield from SIGNATURE.finditer(text, line_start, line_end)
        position = text.find("(@", line_end)


def signatures(text: str, lexicon: Lexicon) -> Iterator[Reference]:
    """A tweet reference for each signature line."""
    for match in _signature_matches(text):
        dated = signature_date(text, match, lexicon)
        start, end = match.start(), (dated.end() if dated else match.end())
        evidence = text[start:end]
        display = match.group("display").strip() or None
        line_start = text.rfind("\n", 0, start) + 1
        body = text[line_start:start].strip() or None
        reference = Reference(
            relation=Relation.EMBEDS,
            kind=NodeKind.POST,
            extractor="text-signature",
            platform="x",
            name=display,
            handle=match.group("handle"),
            display_name=display,
            text=body,
            evidence=evidence,
            start=start,
            end=end,
            confidence=0.95,
        )
        if dated:
            date = parse_date(dated, lexicon)
            when = date.as_datetime() if date else None
            if when:
                reference.dating = Dating(when, SIGNATURE_METHOD, Precision.DAY)
        yield reference


def _attach(
    text: str, media: list[tuple[int, int, str]], tweets: list[Reference]
) -> list[tuple[int, int, str]]:
    """Attach media links to the tweet whose signature they sit beside; return the rest.

    An embed renders its media link just before its signature (same or previous line);
    pasted text sometimes moves the tweet's last line, link included, to the line after
    the signature. A link goes to the nearest signature counted in lines, the next one
    on a tie, within a few hundred characters.
    """
    loose: list[tuple[int, int, str]] = []
    ordered = sorted((t for t in tweets if t.start is not None), key=lambda t: t.start or 0)
    for start, end, url in media:
        after = next((t for t in ordered if (t.start or 0) >= end), None)
        before = next((t for t in reversed(ordered) if (t.end or 0) <= start), None)
        candidates: list[tuple[int, int, Reference]] = []
        if after is not None and (after.start or 0) - end <= _ATTACH_DISTANCE:
            candidates.append((text.count("\n", end, after.start or 0), 0, after))
        if before is not None and start - (before.end or 0) <= _ATTACH_DISTANCE:
            candidates.append((text.count("\n", before.end or 0, start), 1, before))
        if candidates:
            target = min(candidates, key=lambda c: (c[0], c[1]))[2]
            if url not in target.attachments:
                target.attachments.append(url)
                target.attachment_spans[url] = (start, end)
        else:
            loose.append((start, end, url))
    return loose


def _link(
    text: str, sentences: Sentences, start: int, end: int, url: str, extractor: str
) -> Reference:
    shape = classify(url)
    sentence = sentences.at(start)
    if not (sentence.start <= start and end <= sentence.end):
        sentence = sentences.covering(start, end)
    return Reference.link(
        shape,
        extractor,
        evidence=text[sentence.start : sentence.end],
        start=sentence.start,
        end=sentence.end,
        confidence=1.0,
    )


def _url_candidates(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a URL pattern at word starts, found from cheap anchors."""
    if pattern is _URL:
        # every URL holds "://" four or five characters in: finding those with str.find
        # skips the text between them in C, where the pattern would stop at every "h"
        last = 0
        colon = text.find("://")
        while colon >= 0:
            match = None
            for start in (colon - 5, colon - 4):
                if start >= last:
                    match = _URL.match(text, start)
                    if match is not None:
                        break
            if match is None:
                colon = text.find("://", colon + 1)
                continue
            last = match.end()
            if match.start() == 0 or not (
                text[match.start() - 1].isalnum() or text[match.start() - 1] in "_@"
            ):
                yield match
            colon = text.find("://", last)
        return
    yield from matches_at(_BARE, text, (_host_start(text, a.start()) for a in _bare_anchors(text)))


def _host_start(text: str, position: int) -> int:
    """Where the host name around `position` starts."""
    while position > 0 and text[position - 1] in _HOST_CHARS:
        position -= 1
    return position


def _bare_anchors(text: str) -> Iterator[re.Match[str]]:
    """`_BARE_ANCHOR.finditer(text)`, tried only at a "www." or at a full stop with a slash
    close enough after it for a top-level domain and its path to stand between them (found
    with str.find in C; `re` would stop at every "w" and every full stop of the text)."""
    candidates = set(occurrences(text, "www."))
    slash = text.find("/")
    while slash >= 0:
        # ".com/": the stop 3 to 25 characters before the slash
        dot = text.find(".", max(0, slash - 25), slash - 2)
        while dot >= 0:
            candidates.add(dot)
            dot = text.find(".", dot + 1, slash - 2)
        slash = text.find("/", slash + 1)
    return matches_at(_BARE_ANCHOR, text, sorted(candidates))


def _media_links(text: str) -> Iterator[re.Match[str]]:
    """`_MEDIA.finditer(text)`, tried only where "pic." or "t.co/" stands (found in C)."""
    return matches_at(
        _MEDIA, text, sorted({*occurrences(text, "pic."), *occurrences(text, "t.co/")})
    )


def text_references(text: str, lexicon: Lexicon, sentences: Sentences) -> list[Reference]:
    """Tweet signatures (with their media attached), media links and bare URLs."""
    # cheap substring checks first: most articles hold no signature, media link or handle
    tweets = list(signatures(text, lexicon)) if "(@" in text else []
    taken: list[tuple[int, int]] = [(t.start or 0, t.end or 0) for t in tweets]
    media: list[tuple[int, int, str]] = []
    for match in _media_links(text):
        start = match.start()
        scheme = _SCHEME_BEFORE.search(text, max(0, start - 8), start)
        if scheme is not None:
            start = scheme.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_/.@-"):
            continue
        media.append((start, match.end(), with_scheme(text[start : match.end()])))
        taken.append((start, match.end()))
    references: list[Reference] = list(tweets)
    for start, end, url in _attach(text, media, tweets):
        references.append(_link(text, sentences, start, end, url, "text-media"))

    def overlaps(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in taken)

    for match in _HANDLE.finditer(text) if "@" in text else ():
        if not _CREDIT_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            continue
        if overlaps(match.start(), match.end()):
            continue
        sentence = sentences.at(match.start())
        context = text[sentence.start : sentence.end]
        platform = next(
            (name for name, pattern in _HANDLE_PLATFORMS if pattern.search(context)), "x"
        )
        references.append(
            Reference(
                relation=Relation.CITES,
                kind=NodeKind.CHANNEL,
                extractor="text-handle",
                platform=platform,
                name=f"@{match.group('handle')}",
                handle=match.group("handle"),
                evidence=context,
                start=sentence.start,
                end=sentence.end,
                confidence=0.7,
            )
        )
    for pattern, extractor in ((_URL, "text-url"), (_BARE, "text-bare-url")):
        for match in _url_candidates(pattern, text):
            if (
                pattern is _BARE
                and match.group("tld")
                and not (
                    _BARE_TLD.fullmatch(match.group("tld")) or _BARE_PLATFORM.match(match.group())
                )
            ):
                continue
            url = trim_url(match.group())
            start, end = match.start(), match.start() + len(url)
            if not url or overlaps(start, end) or is_share_link(with_scheme(url)):
                continue
            taken.append((start, end))
            references.append(_link(text, sentences, start, end, with_scheme(url), extractor))
    return references
