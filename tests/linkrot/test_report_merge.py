"""One report for the night from several workers' reports (`tracer check --workers`)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from tracer.linkrot.outcomes import Outcome
from tracer.linkrot.report import LinkEntry, Report
from tracer.linkrot.scheduling.lookups import LookupReport


def _report(worker: str, started: int, finished: int, urls: list[str], dead: bool) -> Report:
    report = Report(worker, datetime(2026, 12, 1, 2, started, tzinfo=UTC))
    report.finished_at = datetime(2026, 12, 1, 2, finished, tzinfo=UTC)
    for url in urls:
        outcome = Outcome.NOT_FOUND if dead else Outcome.ALIVE
        report.add(LinkEntry(url, outcome, 404 if dead else 200, url, dead, None, newly_dead=dead))
    return report


def test_a_saved_report_is_absorbed_whole() -> None:
    mine = _report("host:1:a", 0, 5, ["https://a.test/1", "https://a.test/2"], dead=False)
    mine.remaining = 4
    mine.lookups = LookupReport(requests=2, asked=2, found=1, pending=9, unknown=1)
    theirs = _report("host:2:b", 1, 7, ["https://b.test/1"], dead=True)
    theirs.remaining = 3
    theirs.archive_needed.append("https://b.test/1")
    theirs.lookups = LookupReport(
        requests=1, listings=1, asked=5, found=2, pending=6, unknown=2, unreachable=["x: down"]
    )
    saved = io.StringIO()
    theirs.save(saved)
    saved.seek(0)

    mine.absorb(saved)

    assert mine.checked == 3
    assert mine.outcomes[Outcome.ALIVE.value] == 2 and mine.outcomes[Outcome.NOT_FOUND.value] == 1
    assert [item["url"] for item in mine.newly_dead] == ["https://b.test/1"]
    assert [item["url"] for item in mine.dead] == ["https://b.test/1"]
    assert mine.archive_needed == ["https://b.test/1"]
    assert mine.remaining == 3  # the later count of what is still due
    assert mine.worker == "host:1:a, host:2:b"
    assert mine.started_at == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert mine.finished_at == datetime(2026, 12, 1, 2, 7, tzinfo=UTC)
    assert mine.lookups is not None
    assert mine.lookups.json() == {
        "requests": 3,
        "listings": 1,
        "asked": 7,
        "found": 3,
        "failed": 0,
        "pending": 6,
        "unknown": 2,
        "unreachable": ["x: down"],
    }
    out = io.StringIO()
    mine.write_json(out)
    written = json.loads(out.getvalue())
    assert [link["url"] for link in written["links"]] == [
        "https://a.test/1",
        "https://a.test/2",
        "https://b.test/1",
    ]
    mine.close()
    theirs.close()


def test_a_worker_without_look_ups_takes_the_others() -> None:
    mine = _report("host:1:a", 0, 1, [], dead=False)
    theirs = _report("host:2:b", 0, 1, [], dead=False)
    theirs.lookups = LookupReport(requests=4, pending=2)
    saved = io.StringIO()
    theirs.save(saved)
    saved.seek(0)
    mine.absorb(saved)
    assert mine.lookups is not None and mine.lookups.requests == 4 and mine.lookups.pending == 2
    mine.close()
    theirs.close()
