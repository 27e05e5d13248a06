"""tracer: where did this claim come from, and can we still prove it?

The library, as the command line uses it (each call is documented in tracer.api):

    from tracer import trace, resolve, captures, preserve, check
    chain = trace("article.html")            # the stored chain, as `trace -f json` prints it
    [(identity, node_id)] = resolve(["https://t.me/grey_zone/12345"], offline=True)

and the stored records: `Node`, `Edge`, `Capture` (tracer.store.model).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

# the package's one version (pyproject reads it from here); a literal, because looking it
# up in the installed metadata cost every command ~0.1 s of start-up
__version__ = "0.1.0"

if TYPE_CHECKING:
    from tracer.api import captures, check, preserve, resolve, trace
    from tracer.store.model import Capture, Edge, Node

#: where each public name lives; imported on first use, so `tracer --version` stays quick
_PUBLIC = {
    "trace": "tracer.api",
    "resolve": "tracer.api",
    "captures": "tracer.api",
    "preserve": "tracer.api",
    "check": "tracer.api",
    "Node": "tracer.store.model",
    "Edge": "tracer.store.model",
    "Capture": "tracer.store.model",
}


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's PEP 562 attribute look-up: each name in `homes` is imported from its
    module on first use, so importing the package costs none of those modules."""

    def attribute(name: str) -> Any:
        module = homes.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(module), name)

    return attribute


__getattr__ = lazy_attributes(__name__, _PUBLIC)


__all__ = [
    "Capture",
    "Edge",
    "Node",
    "__version__",
    "captures",
    "check",
    "preserve",
    "resolve",
    "trace",
]
