"""tracer: where did this claim come from, and can we still prove it?"""

from __future__ import annotations

# the package's one version (pyproject reads it from here); a literal, because looking it
# up in the installed metadata cost every command ~0.1 s of start-up
__version__ = "0.1.0"

__all__ = ["__version__"]
