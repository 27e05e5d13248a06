"""Running `tracer` as a user would for the media tests: the test's world in the
environment (fakeweb's remap, the database, settings), none of the caller's TRACER_ ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


def tracer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`tracer ARGS...` in a process of its own, with `env` over a clean environment."""
    return subprocess.run(
        [sys.executable, "-m", "tracer", *args],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("TRACER_")} | env,
        timeout=240,
    )


def output(env: dict[str, str], *args: str) -> str:
    """The standard output of a `tracer` run that must succeed."""
    result = tracer(env, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def chain_json(env: dict[str, str], *args: str) -> dict[str, Any]:
    """The JSON a `tracer` run that must succeed prints (a chain, with `-f json`)."""
    data: dict[str, Any] = json.loads(output(env, *args))
    return data
