"""Writing a command's output to the file the user named (`--out`, `--warc`...)."""

from __future__ import annotations

from pathlib import Path

from tracer.errors import InputError


def write_output(path: Path, text: str) -> None:
    """Write `text` to `path`; a file that cannot be written is the user's input error."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
