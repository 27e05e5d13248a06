"""The options several commands take, declared once: the same name, type and metavar in
every command that takes them, each command saying only what the option means there."""

from __future__ import annotations

from typing import Any

import typer


def json_flag(help: str) -> Any:
    """`--json`: print JSON instead of text; `help` says which JSON."""
    return typer.Option("--json", help=help)


def date_option(name: str, help: str) -> Any:
    """A date or date-time (`2024-07-28`, `20240728`, ISO 8601), in UTC unless it says
    otherwise."""
    return typer.Option(name, metavar="DATE", help=help)


def file_option(*names: str, help: str) -> Any:
    """A file to read or write."""
    return typer.Option(*names, metavar="FILE", help=help)


def archive_names() -> Any:
    """`--archive NAME`, repeatable: ask only the archives named."""
    return typer.Option("--archive", metavar="NAME", help="Ask only this archive (repeatable).")


def urls_argument(help: str) -> Any:
    """The URLs a command works on."""
    return typer.Argument(metavar="URL...", help=help, show_default=False)
