"""The collector policy a tracer process runs with (see tracer.heap)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from tracer import heap

PROBE = """
import gc, json, sys
from tracer import cli
before = [gc.get_threshold(), gc.get_freeze_count()]
sys.argv = ["tracer", *sys.argv[1:]]
try:
    cli.run()
except SystemExit as done:
    code = done.code
print(json.dumps({"before": before, "after": [gc.get_threshold(), gc.get_freeze_count()], "code": code}))
"""


def _run(*args: str) -> dict[str, list[object]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_command_runs_with_its_imports_frozen_and_young_collections_rarer() -> None:
    seen = _run("check", "--help")
    threshold, frozen = seen["after"]
    assert seen["before"][1] == 0  # nothing frozen before the command line runs
    assert isinstance(frozen, int) and frozen > 10_000  # what the imports built
    assert threshold == [heap.YOUNG_THRESHOLD, heap.MIDDLE_THRESHOLD, heap.OLD_THRESHOLD]
    assert seen["code"] == 0


def test_main_called_in_a_process_not_its_own_leaves_the_collector_alone() -> None:
    from tracer.cli import main

    before = gc.get_threshold(), gc.get_freeze_count()
    assert main(["--version"]) == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_the_check_helper_process_settles_too() -> None:
    code = (
        "import gc, runpy, sys; sys.stdin = open('/dev/null'); "
        "runpy.run_module('tracer.linkrot.scheduling.sidecar', run_name='__main__'); "
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[-2:] == [str(heap.YOUNG_THRESHOLD), "True"], done.stderr
