"""Link-format (RFC 6690, the serialization of RFC 8288 links) as Memento archives write it.

TimeMaps and `Link` headers are lists of `<target>; name=value; name="quoted value"`
separated by commas. Commas also occur inside quoted values and inside targets (URLs
with query strings), several relation types share one `rel` ("first memento"), and real
archives emit stray whitespace, blank lines and unterminated entries. The parser is a
small scanner rather than a regular expression, so none of that splits an entry wrongly.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Link:
    """One link: its target and parameters (names lower-cased, first occurrence wins)."""

    target: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def rels(self) -> frozenset[str]:
        return frozenset(self.params.get("rel", "").lower().split())

    def has_rel(self, rel: str) -> bool:
        return rel in self.rels

    @property
    def datetime(self) -> datetime | None:
        return http_date(self.params.get("datetime"))


def http_date(value: str | None) -> datetime | None:
    """An RFC 1123 date as archives write it ("Fri, 24 Nov 2017 15:13:15 GMT"), in UTC."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_http_date(value: datetime) -> str:
    return email.utils.format_datetime(value.astimezone(UTC), usegmt=True)


def parse_links(text: str) -> list[Link]:
    """Every well-formed link in `text`; malformed entries are skipped, never fatal."""
    links: list[Link] = []
    i, n = 0, len(text)
    while i < n:
        start = text.find("<", i)
        if start < 0:
            break
        end = text.find(">", start + 1)
        if end < 0:
            break
        target = text[start + 1 : end].strip()
        params, i = _parse_params(text, end + 1)
        if target:
            links.append(Link(target, params))
    return links


def _parse_params(text: str, i: int) -> tuple[dict[str, str], int]:
    """Parameters after a target, up to the comma that ends the entry (or a new `<`)."""
    params: dict[str, str] = {}
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            break
        char = text[i]
        if char == ",":
            return params, i + 1
        if char == "<":
            return params, i  # a missing comma between entries: start the next one here
        if char != ";":
            i += 1  # stray character: skip it rather than lose the entry
            continue
        i += 1
        while i < n and text[i] in " \t\r\n":
            i += 1
        name_start = i
        while i < n and text[i] not in "=;,< \t\r\n":
            i += 1
        name = text[name_start:i].lower()
        while i < n and text[i] in " \t":
            i += 1
        value = ""
        if i < n and text[i] == "=":
            i += 1
            while i < n and text[i] in " \t":
                i += 1
            if i < n and text[i] == '"':
                value, i = _quoted(text, i + 1)
            else:
                value_start = i
                while i < n and text[i] not in ";,<\r\n":
                    i += 1
                value = text[value_start:i].strip()
        if name and name not in params:
            params[name] = value
    return params, i


def _quoted(text: str, i: int) -> tuple[str, int]:
    """A quoted string starting after its opening quote; backslash escapes one character."""
    out: list[str] = []
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    return "".join(out), i  # unterminated: take what there is
