"""Running `tracer` as a user would: a process of its own, by default with none of the
caller's TRACER_ settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping


def tracer(
    db: str,
    *args: str,
    stdin: str | None = "",
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`tracer --db DB ARGS...` in a process of its own, `stdin` on its standard input;
    `env` is its whole environment (by default the caller's without TRACER_ settings)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    return subprocess.run(
        [sys.executable, "-m", "tracer", "--db", db, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
