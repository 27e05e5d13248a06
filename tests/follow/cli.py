"""Running `tracer` as a user would, with none of the caller's TRACER_ settings."""

from __future__ import annotations

import os
import subprocess
import sys


def tracer(db: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`tracer --db DB ARGS...` in a process of its own, `stdin` on its standard input."""
    return subprocess.run(
        [sys.executable, "-m", "tracer", "--db", db, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("TRACER_")},
        timeout=120,
    )
