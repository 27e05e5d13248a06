"""Running `tracer` as a user would: a process of its own, by default with none of the
caller's TRACER_ settings. The one way the tests start the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]

#: what a process's standard stream may be: a pipe, DEVNULL, a file or a descriptor
Stream = int | IO[Any] | None


def command(*args: str, db: str | None = None) -> list[str]:
    """The command line of `tracer [--db DB] ARGS...` under this interpreter."""
    return [sys.executable, "-m", "tracer", *(("--db", db) if db is not None else ()), *args]


def environment(env: Mapping[str, str] | None = None, *, inherit: bool = True) -> dict[str, str]:
    """`env` over the caller's environment without its TRACER_ settings, so that a run
    sees only the settings its test gives; with `inherit=False`, `env` alone."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")} if inherit else {}
    return base | dict(env or {})


def tracer(
    *args: str,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
    inherit: bool = True,
    stdin: str | bytes = "",
    cwd: Path = ROOT,
    timeout: float = 120,
    expect: int | tuple[int, ...] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`tracer [--db DB] ARGS...` run to its end, `stdin` on its standard input (bytes for
    input that is not text), its output as text; with `expect`, it must end with that exit
    code (or one of them)."""
    done = subprocess.run(
        command(*args, db=db),
        # surrogateescape: bytes given (a binary, say) reach the process unchanged, and
        # output that is not UTF-8 still comes back as a string
        input=stdin.decode("utf-8", "surrogateescape") if isinstance(stdin, bytes) else stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        env=environment(env, inherit=inherit),
        cwd=cwd,
        timeout=timeout,
    )
    if expect is not None:
        codes = (expect,) if isinstance(expect, int) else expect
        assert done.returncode in codes, done.stderr[-2000:]
    return done


def start(
    *args: str,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    stdin: Stream = subprocess.DEVNULL,
    stdout: Stream = subprocess.PIPE,
    stderr: Stream = subprocess.PIPE,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.Popen[str]:
    """`tracer [--db DB] ARGS...` started and left running, for a test that kills it,
    interrupts it or runs several at once; its pipes carry text."""
    return subprocess.Popen(
        command(*args, db=db),
        env=environment(env),
        cwd=cwd,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        encoding="utf-8",
        preexec_fn=preexec_fn,
    )
