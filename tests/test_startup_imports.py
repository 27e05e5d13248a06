"""What a command imports before it needs it: start-up is part of every short run.

Each case runs in a fresh interpreter, since this test process has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import tracer


def _modules_after(code: str) -> set[str]:
    script = (
        f"import sys, json\n{code}\n"
        "print(json.dumps(sorted(n for n, m in sys.modules.items() if m is not None)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _imports(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in modules)


def test_version_imports_no_database_or_network_layer() -> None:
    loaded = _modules_after(
        "from tracer.cli import run\n"
        "sys.argv = ['tracer', '--version']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass"
    )
    for package in ("sqlalchemy", "sqlmodel", "httpx", "bs4", "ural", "trafilatura"):
        assert not _imports(loaded, package), package


def test_loading_the_adapters_and_reading_plain_urls_leaves_bs4_and_ural_unloaded() -> None:
    loaded = _modules_after(
        "from tracer.identity.resolver import parse\n"
        "parse('https://example.org/news/story.html')\n"
        "parse('https://t.me/somechannel/12')\n"
        "parse('https://x.com/someone/status/1234567890123456789')"
    )
    assert not _imports(loaded, "bs4")
    assert not _imports(loaded, "ural")
    assert not _imports(loaded, "sqlalchemy.dialects.postgresql")


@pytest.mark.parametrize(
    "url",
    [
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2F&h=AT0",
        "https://example.org/story?utm_source=feed&id=7",
    ],
)
def test_urls_that_need_ural_still_get_it(url: str) -> None:
    loaded = _modules_after(f"from tracer.identity.resolver import parse\nprint(parse({url!r}))")
    assert _imports(loaded, "ural")


def test_a_check_without_a_terminal_imports_no_console_library(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'empty.db'}"
    # made beforehand: a new database is migrated, and alembic brings its templates
    tracer("db", "upgrade", db=database, expect=0)
    loaded = _modules_after(
        "from tracer.cli import run\n"
        f"sys.argv = ['tracer', '--db', {database!r}, 'check', '--json']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass"
    )
    assert _imports(loaded, "httpx")
    # httpx's own command line would bring these; a nightly check has no use for them
    for package in ("rich", "pygments", "click"):
        assert not _imports(loaded, package), package


def test_an_offline_trace_with_a_picture_link_imports_no_image_library(tmp_path: Path) -> None:
    # the example cites a pic.twitter.com link: its chain has a media node to show,
    # from what is stored, while nothing is fetched or fingerprinted
    example = (
        Path(__file__).resolve().parents[1] / "examples" / "harbour-ledger-grain-terminal.html"
    )
    database = f"sqlite:///{tmp_path / 'trace.db'}"
    loaded = _modules_after(
        "from tracer.cli import run\n"
        f"sys.argv = ['tracer', '--db', {database!r}, 'trace', '--offline', '-f', 'json', "
        f"{str(example)!r}]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass"
    )
    assert _imports(loaded, "tracer.media.appearance")
    for package in ("PIL", "numpy", "imagehash"):
        assert not _imports(loaded, package), package
    # nothing is fetched, so the HTTP stack stays unloaded too
    for package in ("httpx", "httpcore", "tenacity", "tracer.http.client"):
        assert not _imports(loaded, package), package
