"""Input that is not an article: one line, exit 2, and nothing stored.

Driven through the command line as a user would: a binary, an empty file, empty stdin,
symbols without a word, an address in a scheme nobody can fetch.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.cli import tracer
from tracer.store.model import Node, Trace
from tracer.store.upserts import Store


def _trace(db: str, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return tracer("trace", "--offline", *args, db=db, stdin=stdin)


def _stored(db: str) -> tuple[int, int]:
    store = Store.open(db)
    try:
        with store.session() as session:
            nodes = session.exec(select(func.count()).select_from(Node)).one()
            traces = session.exec(select(func.count()).select_from(Trace)).one()
    finally:
        store.close()
    return nodes, traces


def _inputs(tmp_path: Path) -> dict[str, tuple[str, bytes, str]]:
    """name -> (source argument, stdin, the error line's end)."""
    executable = tmp_path / "notes.txt"  # the extension says text; the content does not
    shutil.copyfile(sys.executable, executable)
    noise = tmp_path / "noise.html"
    noise.write_bytes(random.Random(19).randbytes(4096))
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\t\n")
    symbols = tmp_path / "symbols.txt"
    symbols.write_text("1234 -- 56.78 !!! ###\n2024-07-28\n")
    markup = tmp_path / "markup.html"
    markup.write_text("<html><head></head><body><div></div></body></html>")
    return {
        "executable": (str(executable), b"", f"{executable} is an executable, not an article"),
        "random bytes": (str(noise), b"", f"{noise} is binary, not an article"),
        "empty file": (str(empty), b"", f"{empty} is empty: nothing to trace"),
        "blank file": (str(blank), b"", f"{blank} is empty: nothing to trace"),
        "symbols": (str(symbols), b"", f"{symbols} has no readable words"),
        "markup only": (str(markup), b"", f"{markup} has no text to trace"),
        "empty stdin": ("-", b"", "stdin is empty: nothing to trace"),
        "binary stdin": ("-", Path(sys.executable).read_bytes(), "stdin is an executable"),
        "ftp": (
            "ftp://x",
            b"",
            "unsupported scheme ftp: give an http(s) URL, a file, or -",
        ),
        "file URL": ("file:///etc/hostname", b"", "unsupported scheme file"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "executable",
        "random bytes",
        "empty file",
        "blank file",
        "symbols",
        "markup only",
        "empty stdin",
        "binary stdin",
        "ftp",
        "file URL",
    ],
)
def test_what_is_not_an_article_is_refused_and_not_stored(case: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    source, stdin, message = _inputs(tmp_path)[case]
    result = _trace(db, source, stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("tracer: error: ") and message in line
    assert _stored(db) == (0, 0)


def test_an_article_is_still_read(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    text = "Officials said on Monday, according to Reuters, that the port had reopened.\n"
    result = _trace(db, "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    nodes, traces = _stored(db)
    assert nodes >= 2 and traces == 1


def test_an_unknown_format_is_refused_before_tracing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracer.db'}"
    result = _trace(db, "-f", "yaml", "-", stdin=b"Officials said, according to Reuters.\n")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("tracer: error: unknown format 'yaml'")
    assert _stored(db) == (0, 0)
