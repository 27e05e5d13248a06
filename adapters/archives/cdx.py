"""CDX index responses: the capture listings of the Wayback Machine and of pywb.

Three shapes occur in the wild, and one reader takes them all:

- the Internet Archive's plain text, one capture a line, space-separated
  `urlkey timestamp original mimetype statuscode digest length`; with `showResumeKey`
  a blank line and a resume key end a page that has more after it;
- JSON (`output=json`): the Internet Archive sends an array of arrays whose first row
  names the fields; pywb sends one JSON object a line;
- CDXJ (pywb's default): `urlkey timestamp {json}`.

Real listings contain lines a strict parser dies on: a length of "-" (zero-length
records), revisits whose status is "-", timestamps with a month or day of "00" or an
hour of 24, and originals that are not URLs. Every usable line becomes a record; a line
that is not a capture at all is counted as skipped, never fatal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

#: the field order of the Internet Archive's default plain-text output
DEFAULT_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# the names pywb uses for the same fields
_ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S")


@dataclass(frozen=True)
class CDXRecord:
    """One capture as a CDX server lists it."""

    urlkey: str
    timestamp: str  # as the archive wrote it: memento URLs are built from this
    captured_at: datetime  # UTC, repaired where the timestamp is out of range
    original: str
    mimetype: str | None = None
    status: int | None = None  # None for revisits and unknowns ("-")
    digest: str | None = None
    length: int | None = None  # None for zero-length records ("-")


@dataclass
class CDXPage:
    """The records of one response, the resume key for the next page, and what was skipped."""

    records: list[CDXRecord]
    resume_key: str | None = None
    skipped: int = 0


def parse_timestamp(text: str) -> datetime | None:
    """A 4 to 14 digit Wayback timestamp as UTC, tolerant of the archive's real oddities.

    The Internet Archive serves timestamps with a month or day of "00" and hours of 24
    (see ../shared/real/wayback/cdx/bad_timestamp_cdx.txt) and still replays them, so
    they are repaired the way it reads them: a zero month or day is the first, and an
    overflowing hour, minute or second carries into the next unit.
    """
    digits = text.strip()
    if not digits.isdigit() or not 4 <= len(digits) <= 14:
        return None
    digits = digits.ljust(14, "0")
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    hour, minute, second = int(digits[8:10]), int(digits[10:12]), int(digits[12:14])
    if year < 1 or month > 12 or day > 31:
        return None
    try:
        base = datetime(year, max(month, 1), 1, tzinfo=UTC)
    except ValueError:
        return None
    return base + timedelta(days=max(day, 1) - 1, hours=hour, minutes=minute, seconds=second)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text in ("", "-") else text


def record_from_fields(fields: dict[str, Any]) -> CDXRecord | None:
    """A record from named fields (IA or pywb names), or None when it is not a capture."""
    named = {_ALIASES.get(k, k): v for k, v in fields.items()}
    timestamp = str(named.get("timestamp", "")).strip()
    captured_at = parse_timestamp(timestamp)
    original = _text_or_none(named.get("original"))
    # an original that is not an absolute URL cannot be replayed or matched to anything
    if captured_at is None or original is None or not _ABSOLUTE.match(original):
        return None
    return CDXRecord(
        urlkey=str(named.get("urlkey", "")),
        timestamp=timestamp,
        captured_at=captured_at,
        original=original,
        mimetype=_text_or_none(named.get("mimetype")),
        status=_int_or_none(named.get("statuscode")),
        digest=_text_or_none(named.get("digest")),
        length=_int_or_none(named.get("length")),
    )


def parse_line(line: str, fields: tuple[str, ...] = DEFAULT_FIELDS) -> CDXRecord | None:
    """One line of plain-text CDX, CDXJ or NDJSON; None when the line is not a capture."""
    line = line.strip()
    if not line:
        return None
    if line.startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            return None
        return record_from_fields(data) if isinstance(data, dict) else None
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[2].lstrip().startswith("{"):
        try:
            data = json.loads(parts[2])
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return record_from_fields({"urlkey": parts[0], "timestamp": parts[1], **data})
    values = line.split()
    # a truncated line (a missing length, say) still names a capture if its first
    # fields are there; extra fields beyond the declared ones are ignored
    if len(values) < min(len(fields), 3):
        return None
    return record_from_fields(dict(zip(fields, values, strict=False)))


def _page(parsed: Iterable[CDXRecord | None], resume_key: str | None) -> CDXPage:
    """A page of the rows parsed, counting those that named no capture (None)."""
    records: list[CDXRecord] = []
    skipped = 0
    for record in parsed:
        if record is None:
            skipped += 1
        else:
            records.append(record)
    return CDXPage(records, resume_key, skipped)


def _is_resume_key(line: str) -> bool:
    """A resume key is one token with no space: an escaped urlkey plus timestamp."""
    return bool(line) and " " not in line.strip()


def parse_text(text: str, fields: tuple[str, ...] = DEFAULT_FIELDS) -> CDXPage:
    """A plain-text, CDXJ or NDJSON response, with its resume key when it has one."""
    lines = text.splitlines()
    resume_key: str | None = None
    # showResumeKey ends a page with a blank line and the key
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) >= 2 and not lines[-2].strip() and _is_resume_key(lines[-1]):
        resume_key = lines[-1].strip()  # sent back exactly as received (it is pre-escaped)
        lines = lines[:-2]
    return _page((parse_line(line, fields) for line in lines if line.strip()), resume_key)


def parse_json(data: Any) -> CDXPage:
    """The Internet Archive's `output=json`: rows of values under a header row.

    With showResumeKey the last rows are an empty row and a one-element row holding
    the key.
    """
    if not isinstance(data, list) or not data:
        return CDXPage([])
    rows = list(data)
    resume_key: str | None = None
    if (
        len(rows) >= 2
        and rows[-2] == []
        and isinstance(rows[-1], list)
        and len(rows[-1]) == 1
        and isinstance(rows[-1][0], str)
    ):
        resume_key = rows[-1][0]
        rows = rows[:-2]
    header = rows[0]
    if not isinstance(header, list) or not all(isinstance(name, str) for name in header):
        return CDXPage([], resume_key, len(rows))
    parsed = (
        record_from_fields(dict(zip(header, row, strict=False))) if isinstance(row, list) else None
        for row in rows[1:]
        if row  # an empty row is no capture, not a broken one
    )
    return _page(parsed, resume_key)


def parse_response(text: str) -> CDXPage:
    """Any CDX response body, whatever of the three shapes it has."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            return parse_json(json.loads(stripped))
        except ValueError:
            pass
    return parse_text(text)


def distinct(records: Iterable[CDXRecord]) -> Iterator[CDXRecord]:
    """Records without exact repeats (the CDX server lists one capture once per index)."""
    seen: set[tuple[str, str, str | None, int | None]] = set()
    for record in records:
        key = (record.timestamp, record.original, record.digest, record.status)
        if key not in seen:
            seen.add(key)
            yield record
