"""The package's layers: each module imports only from its own layer or those below it, no
import circles, and the core never imports streamlit. The order is ARCHITECTURE.md's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "prioritize"

#: Lowest first. A module's layer is its first path part under prioritize/.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "resources"),
    ("model",),
    ("load",),
    ("engine",),
    ("sensitivity",),
    ("weights",),
    ("council",),
    ("portfolio",),
    ("outcomes",),
    ("store",),
    ("export",),
    ("charts",),
    ("app",),
    ("cli", "__main__"),
)
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}
#: The root package re-exports the public names; nothing inside may import it.
ROOT = "prioritize"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


_ALL = {
    ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py")
}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every ``prioritize`` import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == ROOT or node.module.startswith(ROOT + "."):
                for alias in node.names:
                    # "from package import module" loads that module
                    sub = f"{node.module}.{alias.name}"
                    target = sub if sub in _ALL else node.module
                    found.append((target, id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names if a.name.startswith(ROOT)]
    return found


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_data" not in p.parts}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LEVEL.get(parts[1]) if len(parts) > 1 else None


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if m != ROOT and _layer(m) is None]
    assert missing == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != ROOT))
def test_no_import_runs_upward(module: str) -> None:
    own = _layer(module)
    assert own is not None
    upward = [
        target
        for target, _ in _imports(MODULES[module])
        if target != ROOT and (_layer(target) or 0) > own
    ]
    assert upward == [], f"{module} imports from a higher layer"
    assert (ROOT, True) not in _imports(MODULES[module])


def test_the_core_never_imports_streamlit() -> None:
    offenders = []
    for module, path in MODULES.items():
        if module.startswith("prioritize.app"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(module)
    assert offenders == []


def _resolve(target: str) -> str | None:
    """The module a ``from target import ...`` loads (a package's ``__init__`` counts)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def test_no_import_circles() -> None:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        edges = set()
        for target, at_top in _imports(path):
            resolved = _resolve(target)
            if at_top and resolved and resolved != module:
                edges.add(resolved)
        # importing a.b.c runs a/__init__ and a/b/__init__ first
        graph[module] = edges
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt == ROOT:
                continue
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module)


def _top(path: Path) -> str:
    """A module's text before its first import: its docstring and leading comments."""
    text = path.read_text(encoding="utf-8")
    return text[: text.find("\nfrom __future__")]


def test_no_module_over_400_lines_without_a_reason() -> None:
    long = [
        m
        for m, p in MODULES.items()
        if len(p.read_text(encoding="utf-8").splitlines()) > 400
        and "longer than 400 lines because" not in _top(p).lower()
    ]
    assert long == []
