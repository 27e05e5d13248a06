"""Running `tracer` as a user would for the media tests: the test's world in the
environment (fakeweb's remap, the database, settings), none of the caller's TRACER_ ones."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests import cli

#: a run that fetches, hashes and stores images takes longer than the suite's default
TIMEOUT = 240


def tracer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`tracer ARGS...` in a process of its own, with `env` over a clean environment."""
    return cli.tracer(*args, env=env, timeout=TIMEOUT)


def output(env: dict[str, str], *args: str) -> str:
    """The standard output of a `tracer` run that must succeed."""
    return cli.tracer(*args, env=env, timeout=TIMEOUT, expect=0).stdout


def chain_json(env: dict[str, str], *args: str) -> dict[str, Any]:
    """The JSON a `tracer` run that must succeed prints (a chain, with `-f json`)."""
    data: dict[str, Any] = json.loads(output(env, *args))
    return data
