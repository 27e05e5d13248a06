"""An offline trace, as `tracer trace --offline --format json` prints it (the same function
builds it), on a database of the test's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer import trace
from tracer.follow.tracer import TraceOptions
from tracer.runtime import Runtime
from tracer.settings import load_settings
from tracer.store.upserts import Store


def run_trace(database_url: str, source: Path | str, **options: Any) -> dict[str, Any]:
    """The chain of an offline trace of `source`, with `options` for TraceOptions."""
    runtime = Runtime(load_settings(env={}, overrides={"database": {"url": database_url}}))
    Store.open_upgraded(database_url).close()
    try:
        chain = trace(str(source), TraceOptions(offline=True, **options), runtime=runtime)
        return chain.to_json()
    finally:
        runtime.close()
