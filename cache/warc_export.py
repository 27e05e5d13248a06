"""Every local snapshot as one WARC file (`tracer export --warc FILE`).

The snapshot files are concatenations of gzip members, one per record, so bundling them
is concatenation: the bytes of every record stay exactly as they were written (digests
and offsets included). A bundle named *.warc (not .gz) gets the same records inflated.
A warcinfo record at the head says what the bundle is.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from io import BytesIO
from pathlib import Path

from sqlmodel import col, select
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from tracer import __version__
from tracer.errors import InputError
from tracer.store.model import Snapshot
from tracer.store.upserts import Store


def snapshot_files(store: Store) -> list[Path]:
    """Each WARC file the snapshots live in, once, in the order they were taken."""
    with store.session() as session:
        paths = session.exec(select(Snapshot.warc_path).order_by(col(Snapshot.id))).all()
    seen: dict[str, None] = {}
    for path in paths:
        seen.setdefault(path, None)
    return [Path(path) for path in seen]


def export_warc(store: Store, path: str | Path) -> int:
    """Write every local snapshot into one WARC at `path`; returns the number of records
    (the warcinfo record excluded). Raises InputError for a missing snapshot file."""
    target = Path(path)
    compress = target.name.endswith(".gz")
    files = snapshot_files(store)
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise InputError(f"snapshot file {missing[0]} is missing ({len(missing)} in all)")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=target.parent)
    records = 0
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_warcinfo(target.name, len(files), compress))
            for file in files:
                data = file.read_bytes()
                records += _count(data)
                out.write(data if compress else gzip.decompress(data))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return records


def _count(data: bytes) -> int:
    return sum(1 for _ in ArchiveIterator(BytesIO(data)))


def _warcinfo(filename: str, files: int, compress: bool) -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    record = writer.create_warcinfo_record(
        filename,
        {
            "software": f"provenance-tracer/{__version__}",
            "format": "WARC File Format 1.0",
            "description": f"local snapshots of cited posts, bundled from {files} files",
        },
    )
    writer.write_record(record)
    return buffer.getvalue()


__all__ = ["export_warc", "snapshot_files"]
