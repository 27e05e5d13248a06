"""The run's report: counts per outcome, what died, recovered and changed, with archived
copies; as JSON (the `check --json` contract) and as Markdown.

Per-link entries go to a spool file as they come, so a run over a million links keeps
only counts and the (short) lists of changes in memory.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from tracer.errors import InputError
from tracer.linkrot.outcomes import FAILURES, Outcome
from tracer.store.serialize import format_time

if TYPE_CHECKING:  # the helper process that stores checks never asks an archive
    from tracer.linkrot.scheduling.lookups import LookupReport

#: --fail-on words besides the outcome words themselves
FAIL_CONDITIONS = {
    "dead": "a checked link is confirmed dead",
    "new-dead": "a link was confirmed dead in this run",
    "failing": "a check ended in a failure outcome (not-found, soft-404, dns-gone, ...)",
    "changed": "a link's content changed",
    "recovered": "a dead link came back",
    "archive-needed": "a link has no archived copy anywhere",
}


def parse_fail_on(text: str | None) -> list[str]:
    """`dead,new-dead,not-found` as a checked list of conditions."""
    if not text:
        return []
    words = [w.strip() for w in text.split(",") if w.strip()]
    known = set(FAIL_CONDITIONS) | {o.value for o in Outcome}
    for word in words:
        if word not in known:
            raise InputError(
                f"--fail-on: unknown condition {word!r} (known: {', '.join(sorted(known))})"
            )
    return words


def _spool_file() -> IO[str]:
    # closed by Report.close(); a temporary file vanishes with the process anyway
    return tempfile.TemporaryFile("w+", encoding="utf-8")


@dataclass
class LinkEntry:
    url: str
    outcome: Outcome
    status_code: int | None
    final_url: str | None
    dead: bool
    archived: str | None
    newly_dead: bool = False
    recovered: bool = False
    dead_since: datetime | None = None

    def json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "outcome": self.outcome.value,
            "status_code": self.status_code,
            "final_url": self.final_url,
            "dead": self.dead,
            "archived": self.archived,
        }


@dataclass
class Report:
    worker: str
    started_at: datetime
    finished_at: datetime | None = None
    outcomes: Counter[str] = field(default_factory=Counter)
    newly_dead: list[dict[str, Any]] = field(default_factory=list)
    recovered: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    dead: list[dict[str, Any]] = field(default_factory=list)
    archive_needed: list[str] = field(default_factory=list)
    remaining: int = 0  # links still due when the run stopped (limit or time budget)
    lookups: LookupReport | None = None  # the archive look-ups beside the checks
    _spool: IO[str] = field(default_factory=_spool_file)

    @property
    def checked(self) -> int:
        return sum(self.outcomes.values())

    def add(self, entry: LinkEntry) -> None:
        self.outcomes[entry.outcome.value] += 1
        self._spool.write(json.dumps(entry.json(), ensure_ascii=False) + "\n")
        brief = {"url": entry.url, "outcome": entry.outcome.value, "archived": entry.archived}
        if entry.newly_dead:
            self.newly_dead.append(brief)
        if entry.recovered:
            self.recovered.append(brief)
        if entry.outcome == Outcome.CONTENT_CHANGED:
            self.changed.append(brief)
        if entry.dead:
            self.dead.append({**brief, "dead_since": format_time(entry.dead_since)})

    def links(self) -> Iterator[dict[str, Any]]:
        for line in self._spooled():
            yield json.loads(line)

    def _spooled(self) -> Iterator[str]:
        """The links' JSON objects as spooled, one a line."""
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            yield line.rstrip("\n")
        self._spool.seek(0, 2)

    def close(self) -> None:
        self._spool.close()

    def failed(self, conditions: Iterable[str]) -> list[str]:
        """The --fail-on conditions that hold."""
        holding = []
        for condition in conditions:
            if (
                (condition == "dead" and self.dead)
                or (condition == "new-dead" and self.newly_dead)
                or (condition == "changed" and self.changed)
                or (condition == "recovered" and self.recovered)
                or (condition == "archive-needed" and self.archive_needed)
                or (condition == "failing" and any(self.outcomes[o.value] for o in FAILURES))
                or self.outcomes.get(condition, 0) > 0
            ):
                holding.append(condition)
        return holding

    def summary(self) -> dict[str, Any]:
        """Everything but the per-link list: what the database and the webhook keep."""
        return {
            "checked": self.checked,
            "outcomes": {o.value: self.outcomes.get(o.value, 0) for o in Outcome},
            "newly_dead": self.newly_dead,
            "recovered": self.recovered,
            "changed": self.changed,
            "dead": self.dead,
            "archive_needed": self.archive_needed,
            "remaining": self.remaining,
            "lookups": self.lookups.json() if self.lookups is not None else None,
            "worker": self.worker,
            "started_at": format_time(self.started_at),
            "finished_at": format_time(self.finished_at),
        }

    def write_json(self, out: IO[str]) -> None:
        """The `check --json` object, written link by link."""
        summary = self.summary()
        checked, outcomes = summary.pop("checked"), json.dumps(summary.pop("outcomes"))
        out.write(f'{{"checked": {checked}, "outcomes": {outcomes}, "links": [')
        # the spool holds each link's JSON already: copied, not parsed and written again
        for index, line in enumerate(self._spooled()):
            out.write(("," if index else "") + "\n  " + line)
        out.write("\n]")
        for key, value in summary.items():
            out.write(f", {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        out.write("}\n")

    def save(self, out: IO[str]) -> None:
        """This report for the process that runs the other workers (`check --workers`):
        its summary on the first line, then each link's JSON as spooled."""
        out.write(json.dumps(self.summary(), ensure_ascii=False) + "\n")
        for line in self._spooled():
            out.write(line + "\n")

    def absorb(self, saved: IO[str]) -> None:
        """Add another worker's saved report to this one: one report for one night."""
        other = json.loads(saved.readline())
        self.outcomes.update({k: v for k, v in other["outcomes"].items() if v})
        for name in ("newly_dead", "recovered", "changed", "dead", "archive_needed"):
            getattr(self, name).extend(other[name])
        # each worker counts what is still due as it ends; the last to end saw the least
        self.remaining = min(self.remaining, other["remaining"])
        self.worker = f"{self.worker}, {other['worker']}"
        started, finished = _parsed(other["started_at"]), _parsed(other["finished_at"])
        if started is not None:
            self.started_at = min(self.started_at, started)
        if finished is not None and (self.finished_at is None or finished > self.finished_at):
            self.finished_at = finished
        if other["lookups"] is not None:
            from tracer.linkrot.scheduling.lookups import LookupReport

            theirs = LookupReport.from_json(other["lookups"])
            self.lookups = theirs if self.lookups is None else self.lookups.joined(theirs)
        for line in saved:
            self._spool.write(line if line.endswith("\n") else line + "\n")

    def markdown(self) -> str:
        lines = [
            "# Link check",
            "",
            f"{self.checked} links checked by {self.worker}, "
            f"{format_time(self.started_at)} to {format_time(self.finished_at)}"
            + (f"; {self.remaining} still due" if self.remaining else "")
            + ".",
            "",
            "| outcome | links |",
            "| --- | ---: |",
        ]
        lines += [
            f"| {o.value} | {self.outcomes[o.value]} |" for o in Outcome if self.outcomes[o.value]
        ]
        for title, items in (
            ("Newly dead", self.newly_dead),
            ("Recovered", self.recovered),
            ("Content changed", self.changed),
        ):
            lines += ["", f"## {title} ({len(items)})", ""]
            lines += [f"- {_md_link(i)}" for i in items] or ["None."]
        lines += ["", f"## Dead, with archived copies ({len(self.dead)})", ""]
        lines += [
            f"- {i['url']} (dead since {i['dead_since']}): "
            + (f"[archived copy]({i['archived']})" if i["archived"] else "**no archived copy**")
            for i in self.dead
        ] or ["None."]
        if self.archive_needed:
            lines += ["", f"## Needing an archived copy ({len(self.archive_needed)})", ""]
            lines += [f"- {url}" for url in self.archive_needed]
        if self.lookups is not None:
            lines += ["", "## Archive look-ups", "", _lookups_line(self.lookups)]
            lines += [
                f"- archive not asked again in this run: {u}" for u in self.lookups.unreachable
            ]
        return "\n".join(lines) + "\n"


def _lookups_line(lookups: LookupReport) -> str:
    return (
        f"{lookups.asked} links answered ({lookups.found} with a capture) in "
        f"{lookups.requests} archive requests, {lookups.listings} of them host listings; "
        f"{lookups.unknown} links are unknown to every archive asked, and "
        f"{lookups.pending} look-ups are pending for the next run."
    )


def _md_link(item: dict[str, Any]) -> str:
    archived = f" ([archived copy]({item['archived']}))" if item.get("archived") else ""
    return f"{item['url']}: {item['outcome']}{archived}"


def _parsed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
