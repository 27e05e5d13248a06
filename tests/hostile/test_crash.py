"""kill -9 at random moments of trace, archive --pending and check, then a rerun: the
short version of benchmarks/crash_bench.py (20 kills each there, 3 here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_three_kills_of_each_command_lose_and_repeat_nothing() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "crash_bench.py"),
            "--kills",
            "3",
            "--seed",
            "7",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["failures"] == [], result["failures"]
    assert set(result["summary"]) == {"trace", "archive", "check"}
    for name, row in result["summary"].items():
        assert row["kills"] == 3 and row["reruns_completed"] == 3, (name, row)
        assert row["killed_running"] >= 2, (name, row)  # the kills landed mid-run
    assert done.returncode == 0
