"""Crash safety: `tracer trace`, `tracer archive --pending` and `tracer check` killed with
SIGKILL at random moments, then run again.

For each command, a reference run on a fresh database gives the expected end state and
how long a run takes. Then, `--kills` times: a fresh database, the command started and
killed (kill -9) at a uniformly random moment of its run, the database read, the
command run again to the end. Every kill passes when:

- the rerun exits 0 (the command completes after any crash);
- nothing stored before the kill is lost (its rows are all still there, unchanged keys)
  or duplicated (no natural key twice), and the end state equals the reference run's;
- no external effect is repeated: no archive submission sent twice, no link whose
  check was stored asked about again;
- SQLite's `PRAGMA integrity_check` answers ok and `PRAGMA foreign_key_check` nothing.

Everything runs against fakeweb on 127.0.0.1 (the world is built here, as the tests
build theirs). The figures: kills per command, how many landed while the command was
writing (rows stored before the kill), reruns completed, checks failed.

    .venv/bin/python benchmarks/crash_bench.py [--kills 20] [--only trace,archive,check]
                                               [--seed N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakeweb import FakeRequest, FakeWeb, Response  # noqa: E402
from tests.fakeweb.hostile import article  # noqa: E402
from tests.fakeweb.save import ARCHIVE_TODAY, WAYBACK, FakeArchiveToday, FakeWayback  # noqa: E402
from tests.hostile.cli import fakeweb_environment  # noqa: E402
from tracer.linkrot.watchlist import watch  # noqa: E402
from tracer.store.model import Node  # noqa: E402
from tracer.store.upserts import Store  # noqa: E402

ACCESS, SECRET = "crash-bench-access", "crash-bench-secret"
Snapshot = dict[str, Any]


# -- reading the database --------------------------------------------------------------------


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def integrity(db: Path) -> list[str]:
    problems: list[str] = []
    connection = sqlite3.connect(str(db), timeout=30)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchall()
        if verdict != [("ok",)]:
            problems.append(f"integrity_check: {verdict[:3]}")
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            problems.append(f"foreign_key_check: {dangling[:3]}")
    finally:
        connection.close()
    return problems


def _duplicates(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [row for row, count in Counter(rows).items() if count > 1]


def _snapshot(db: Path, queries: dict[str, str]) -> Snapshot:
    if not db.exists():
        return {name: [] for name in queries}
    try:
        return {name: _query(db, sql) for name, sql in queries.items()}
    except sqlite3.OperationalError:  # killed before the schema was made
        return {name: [] for name in queries}


# -- the scenarios -----------------------------------------------------------------------------


@dataclass
class Scenario:
    """One command to kill: how to set up its world and database, and what must hold."""

    name: str
    args: list[str]
    #: natural keys of what the command stores, by table (the first: its main output)
    keys: dict[str, str]
    setup: Callable[[FakeWeb, Path], None]
    #: extra checks after the rerun: (before, after, web) -> problems
    verify: Callable[[Snapshot, Snapshot, FakeWeb], list[str]]
    #: further columns the verification reads, not compared as keys
    extra: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    rerun_env: dict[str, str] = field(default_factory=dict)
    pause_before_rerun: float = 0.0


TRACE_ROOT = "https://news.example/2024/07/29/convoy"
TRACE_HOSTS = ["ministry.example", "agency.example", "wire.example", "daily.example"]


def _trace_world(web: FakeWeb, _db: Path) -> None:
    sources: list[str] = []
    for h, host in enumerate(TRACE_HOSTS):
        for n in range(3):
            url = f"https://{host}/reports/{h}-{n}"
            further = [f"https://archive-{h}.example/doc/{n}-{m}" for m in range(2)]
            body = article(
                url,
                f"Report {h}-{n} on the convoy",
                [
                    f'The statement <a href="{f}">cited document {m}</a> as its basis.'
                    for m, f in enumerate(further)
                ],
            )
            web.page(url, Response(200, body, delay=0.05))
            for f in further:
                web.page(
                    f, Response(200, article(f, f"Document {f[-3:]}", ["The record."]), delay=0.05)
                )
            sources.append(url)
    web.page(
        TRACE_ROOT,
        article(
            TRACE_ROOT,
            "Convoy destroyed near the border",
            [
                f'Officials in report {n} <a href="{u}">confirmed the figures</a> on Monday.'
                for n, u in enumerate(sources)
            ],
        ),
    )


def _verify_trace(before: Snapshot, after: Snapshot, web: FakeWeb) -> list[str]:
    problems = []
    traces = after["trace"]
    if not any(status == "done" for (status,) in traces):
        problems.append(f"no finished trace row: {traces}")
    return problems


TRACE = Scenario(
    name="trace",
    args=["trace", TRACE_ROOT, "--depth", "1", "--format", "json"],
    keys={
        "node": "SELECT identity FROM node",
        "edge": "SELECT s.identity, t.identity, e.relation FROM edge e "
        "JOIN node s ON s.id = e.source_id JOIN node t ON t.id = e.target_id",
        "trace": "SELECT status FROM trace",
    },
    setup=_trace_world,
    verify=_verify_trace,
)

CHECK_HOSTS = ["a.test", "b.test", "c.test"]
CHECK_URLS = [f"https://{host}/story/{n}" for host in CHECK_HOSTS for n in range(10)]


def _check_world(web: FakeWeb, db: Path) -> None:
    def answer(request: FakeRequest) -> Response:
        if request.path.endswith("-tracer-probe"):
            return Response(404, "no", delay=0.05)
        return Response(200, article(request.url, f"Story {request.path}", ["Words."]), delay=0.05)

    for host in CHECK_HOSTS:
        web.add(host, answer)
    store = Store.open(f"sqlite:///{db}")
    watch(store, CHECK_URLS, [], datetime.now(UTC))
    store.close()


def _verify_check(before: Snapshot, after: Snapshot, web: FakeWeb) -> list[str]:
    problems = []
    per_url = Counter(url for (url, _at) in after["check"])
    if per_url != Counter(dict.fromkeys(CHECK_URLS, 1)):
        problems.append(f"checks per link: {dict(per_url)}")
    asked = Counter(f"https://{r.host}{r.path}" for r in web.seen() if r.host in CHECK_HOSTS)
    for url, _at in before["check"]:
        if asked[url] != 1:
            problems.append(f"{url} stored before the kill was asked {asked[url]} times")
    return problems


CHECK = Scenario(
    name="check",
    args=["check", "--json"],
    keys={
        "check": 'SELECT n.url, c.checked_at FROM "check" c JOIN node n ON n.id = c.node_id',
        "state": "SELECT n.url FROM check_state s JOIN node n ON n.id = s.node_id",
    },
    setup=_check_world,
    verify=_verify_check,
    # pages are read in a worker process, as long nightly runs do: it must not outlive a kill
    env={"TRACER_CHECK__BATCH_SIZE": "5", "TRACER_CHECK__READER_WORKERS": "1"},
)

ARCHIVE_URLS = [f"https://news.example.com/2024/07/{n}" for n in range(8)]
_archives: dict[str, Any] = {}


def _archive_world(web: FakeWeb, db: Path) -> None:
    _archives["wayback"] = FakeWayback(keys=(ACCESS, SECRET), save_delay=0.15).install(web)
    _archives["archive_today"] = FakeArchiveToday(submit_delay=0.15).install(web)
    for n, url in enumerate(ARCHIVE_URLS):
        web.page(url, article(url, f"Story {n}", ["Words of the story."]))
    store = Store.open(f"sqlite:///{db}")
    for url in ARCHIVE_URLS:
        store.upsert_node(Node(kind="post", platform="web", url=url, canonical_url=url))
    store.close()


def _submitted(web: FakeWeb) -> Counter[str]:
    counts: Counter[str] = Counter()
    for host, path, name in (
        (WAYBACK, "/save", "wayback"),
        (ARCHIVE_TODAY, "/submit/", "archive_today"),
    ):
        for request in web.seen(host, path):
            counts[f"{name} {parse_qs(request.body.decode())['url'][0]}"] += 1
    return counts


def _verify_archive(before: Snapshot, after: Snapshot, web: FakeWeb) -> list[str]:
    problems = []
    sent = _submitted(web)
    expected = {f"{a} {u}" for a in ("wayback", "archive_today") for u in ARCHIVE_URLS}
    if set(sent) != expected:
        problems.append(f"submitted {sorted(set(sent) ^ expected)[:4]} unexpectedly")
    twice = {k: v for k, v in sent.items() if v > 1}
    if twice:
        problems.append(f"submitted twice: {twice}")
    wanted = {(a, u) for a in ("wayback", "archive_today") for u in ARCHIVE_URLS}
    if set(after["capture"]) != wanted:
        problems.append(f"captures: {after['capture']}")
    if sorted(u for (u,) in after["snapshot"]) != sorted(ARCHIVE_URLS):
        problems.append(f"snapshots: {after['snapshot']}")
    outcomes = Counter(outcome for (outcome,) in after["outcome"])
    if set(outcomes) != {"ok"}:
        problems.append(f"attempt outcomes: {dict(outcomes)}")
    return problems


ARCHIVE = Scenario(
    name="archive",
    args=["archive", "--pending", "--json"],
    keys={
        # memento URLs carry the moment of capture: a run's own, so keyed without it
        "capture": "SELECT archive, original_url FROM capture",
        "snapshot": "SELECT url FROM snapshot",
        "attempt": "SELECT archive, url FROM archive_attempt",
    },
    extra={"outcome": "SELECT outcome FROM archive_attempt"},
    setup=_archive_world,
    verify=_verify_archive,
    env={
        "TRACER_PRESERVE__ARCHIVES": '["wayback", "archive_today"]',
        "TRACER_PRESERVE__WAYBACK__ACCESS_KEY": ACCESS,
        "TRACER_PRESERVE__WAYBACK__SECRET_KEY": SECRET,
        "TRACER_PRESERVE__WAYBACK__CAPTURES_PER_MINUTE": "60000",
        "TRACER_PRESERVE__WAYBACK__POLL_INTERVAL": "0.01",
        "TRACER_PRESERVE__WAYBACK__JOB_TIMEOUT": "30",
        "TRACER_PRESERVE__ARCHIVE_TODAY__INTERVAL": "0",
        "TRACER_PRESERVE__CONCURRENCY": "2",
    },
    # an unanswered submission of the killed run is settled through the archive's index;
    # one that never left is sent again once this (short) job timeout has passed
    rerun_env={
        "TRACER_PRESERVE__WAYBACK__JOB_TIMEOUT": "0.5",
        "TRACER_PRESERVE__ARCHIVE_TODAY__JOB_TIMEOUT": "0.5",
    },
    pause_before_rerun=0.6,
)

SCENARIOS = {s.name: s for s in (TRACE, ARCHIVE, CHECK)}


# -- running -----------------------------------------------------------------------------------


def _environment(web: FakeWeb, directory: Path, **extra: str) -> dict[str, str]:
    # the run keeps its data, settings and cache under `directory`, like its snapshots
    own = {
        "XDG_DATA_HOME": str(directory / "data"),
        "XDG_CONFIG_HOME": str(directory / "config"),
        "XDG_CACHE_HOME": str(directory / "cache"),
    }
    return fakeweb_environment(web, directory, **{**own, **extra})


def _tracer(db: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracer.cli", "--db", f"sqlite:///{db}", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@dataclass
class Kill:
    scenario: str
    number: int
    at: float  # seconds after start the kill was sent
    killed: bool  # False when the command had already finished
    stored_before: int  # rows of the natural keys present at the kill
    rerun_code: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.rerun_code == 0 and not self.problems


def _fresh(web: FakeWeb, scenario: Scenario, root: Path) -> tuple[Path, dict[str, str]]:
    web.reset()
    directory = Path(tempfile.mkdtemp(prefix=f"{scenario.name}-", dir=root))
    db = directory / "tracer.db"
    scenario.setup(web, db)
    return db, _environment(web, directory, **scenario.env)


def reference(web: FakeWeb, scenario: Scenario, root: Path) -> tuple[Snapshot, float, float]:
    """The end state of an uninterrupted run, when its work starts (its first request
    arrives, after Python's start-up) and how long the whole run takes."""
    db, env = _fresh(web, scenario, root)
    started = time.monotonic()
    done = _tracer(db, *scenario.args, env=env)
    took = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"reference {scenario.name} run failed: {done.stderr[-800:]}")
    first = min((r.at for r in web.seen()), default=started) - started
    return _snapshot(db, scenario.keys | scenario.extra), first, took


def _orphans_of(pid: int, grace: float = 5.0) -> list[int]:
    """Children of the killed process still running after `grace` seconds (Linux /proc).

    A killed process's children are adopted by init: a helper process whose parent is
    the killed process or init has outlived its run."""
    deadline = time.monotonic() + grace
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                status = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            orphaned = int(status[1]) in (pid, 1) and status[0] != "Z"
            # a helper is forked from the check (the command line is the check's) or,
            # where the check cannot fork, started as tracer.linkrot.scheduling.sidecar
            helper = b"tracer.linkrot.scheduling.sidecar" in command or b"tracer.cli" in command
            if orphaned and helper:
                found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def kill_once(
    web: FakeWeb, scenario: Scenario, root: Path, number: int, at: float, expected: Snapshot
) -> Kill:
    db, env = _fresh(web, scenario, root)
    process = subprocess.Popen(
        [sys.executable, "-m", "tracer.cli", "--db", f"sqlite:///{db}", *scenario.args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(at)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(30)
    orphans = _orphans_of(process.pid)
    before = _snapshot(db, scenario.keys)
    stored = len(next(iter(before.values())))
    time.sleep(scenario.pause_before_rerun)
    done = _tracer(db, *scenario.args, env=env | scenario.rerun_env)
    after = _snapshot(db, scenario.keys | scenario.extra)
    problems: list[str] = []
    if done.returncode not in (0, 1):
        problems.append(f"rerun exit {done.returncode}: {done.stderr.strip()[-300:]}")
    for name, rows in after.items():
        if name in ("trace", *scenario.extra):
            continue  # a killed run's own row stays "running": the record of the crash
        lost = set(before[name]) - set(rows)
        if lost:
            problems.append(f"{name}: {len(lost)} rows stored before the kill are gone")
        if _duplicates(rows):
            problems.append(f"{name}: duplicated {_duplicates(rows)[:3]}")
        if name != "check" and sorted(set(rows)) != sorted(set(expected[name])):
            diff = set(rows) ^ set(expected[name])
            problems.append(f"{name}: differs from the uninterrupted run by {sorted(diff)[:3]}")
    problems += scenario.verify(before, after, web)
    problems += integrity(db)
    if orphans:
        problems.append(f"processes outlived the killed command: {orphans}")
    return Kill(scenario.name, number, at, killed, stored, done.returncode, problems)


def run(kills: int, names: list[str], seed: int, report: Callable[[Kill], None]) -> list[Kill]:
    rng = random.Random(seed)
    results: list[Kill] = []
    # every run's database and the fake web's state under one folder, gone at the end
    # (a folder per run was left behind in the system's temporary folder)
    with (
        tempfile.TemporaryDirectory(prefix="crash-bench-") as folder,
        FakeWeb(Path(folder)) as web,
    ):
        root = Path(folder)
        for name in names:
            scenario = SCENARIOS[name]
            expected, first, took = reference(web, scenario, root)
            for number in range(kills):
                # mostly while the command works (requests, writes, the last commits),
                # a few during start-up and schema creation
                at = rng.uniform(max(0.0, first - 0.3), took * 0.95)
                result = kill_once(web, scenario, root, number, at, expected)
                report(result)
                results.append(result)
    return results


def summary(results: list[Kill]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for result in results:
        row = table.setdefault(
            result.scenario,
            {
                "kills": 0,
                "killed_running": 0,
                "killed_with_rows": 0,
                "reruns_completed": 0,
                "failed": 0,
            },
        )
        row["kills"] += 1
        row["killed_running"] += result.killed
        row["killed_with_rows"] += result.killed and result.stored_before > 0
        row["reruns_completed"] += result.rerun_code in (0, 1)
        row["failed"] += not result.ok
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="kills per command")
    parser.add_argument("--only", default="trace,archive,check", help="commands, comma-separated")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    options = parser.parse_args()
    names = [n.strip() for n in options.only.split(",") if n.strip()]

    def report(result: Kill) -> None:
        if options.json:
            return
        state = "ok" if result.ok else "FAIL " + "; ".join(result.problems)
        how = "killed" if result.killed else "finished first"
        print(
            f"{result.scenario:8} #{result.number:<3} {how:14} at {result.at:5.2f}s  "
            f"{result.stored_before:4} rows stored before  rerun exit {result.rerun_code}  {state}",
            flush=True,
        )

    results = run(options.kills, names, options.seed, report)
    table = summary(results)
    if options.json:
        print(
            json.dumps(
                {
                    "seed": options.seed,
                    "summary": table,
                    "failures": [
                        {
                            "scenario": r.scenario,
                            "number": r.number,
                            "at": r.at,
                            "problems": r.problems,
                        }
                        for r in results
                        if not r.ok
                    ],
                }
            )
        )
    else:
        print(f"\nseed {options.seed}")
        for name, row in table.items():
            print(f"{name:8} " + "  ".join(f"{k} {v}" for k, v in row.items()))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
