"""The layout stays readable: a small top level, folders that name the pipeline's steps,
no module imports itself back through others, and the core names no adapter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "tracer"


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def imports_at_load(path: Path, known: dict[str, Path]) -> set[str]:
    """The tracer modules `path` imports when it is loaded (not under TYPE_CHECKING, not
    inside functions, where imports are deferred on purpose)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in known}


def test_the_top_level_holds_at_most_twelve_modules() -> None:
    top = sorted(path.name for path in CORE.glob("*.py"))
    assert len(top) <= 12, top


def test_no_module_is_a_grab_bag() -> None:
    vague = re.compile(r"^(?:helpers?|utils?|misc|common|manager)\.py$")
    assert [p for p in CORE.rglob("*.py") if vague.match(p.name)] == []


def test_no_import_cycles() -> None:
    known = modules()
    graph = {name: imports_at_load(path, known) - {name} for name, path in known.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_core_names_no_adapter_module() -> None:
    # built-in adapters are found through their entry points, like third-party ones
    named = re.compile(r"\badapters\.(?:platforms|archives|savers)\b")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in (CORE, ROOT / "cache")
        for path in folder.rglob("*.py")
        if named.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
