"""An installed wheel finds its shipped config and migrations, as an editable install does."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(300)
def test_wheel_ships_config_and_migrations(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("provenance_tracer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tracer/_shipped_config/default.toml" in names
    assert any(n.startswith("tracer/store/migrations/versions/0001") for n in names)
    assert "tracer/store/migrations/env.py" in names
    assert {"adapters/__init__.py", "cache/__init__.py"} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "tracer = tracer.cli:run" in text
    assert "[tracer.adapters]" in text
