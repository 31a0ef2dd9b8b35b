"""The package's shape: layers import only downwards (core ← serialize ← http ← app), with no cycles
and no lookups of parts by name. Read from the source with `ast`, so it needs nothing running."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# What each layer may import from the package (besides itself). Lower layers never see upper ones;
# `paths` (where fixture files live) sits below them all.
ALLOWED = {
    "core": {"paths"},
    "serialize": {"core", "paths"},
    "http": {"core", "serialize", "paths"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path) -> set[str]:
    """Absolute names of the sandbox modules `path` imports, leaving out `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text())
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                if module.startswith("sandbox"):
                    found.add(module)
                    found.update(f"{module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("sandbox"))
            for child in ("body", "orelse", "finalbody", "handlers"):
                if isinstance(getattr(node, child, None), list) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    visit(getattr(node, child))

    visit(tree.body)
    return found


def _graph() -> dict[str, set[str]]:
    sources = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "tests" not in p.parts}
    return {name: {m for m in _runtime_imports(path) if m in sources and m != name} for name, path in sources.items()}


def test_layers_only_import_downwards():
    wrong = []
    for module, imports in _graph().items():
        layer = module.split(".")[1] if module.count(".") else ""
        if layer not in ALLOWED:
            continue
        for target in imports:
            other = target.split(".")[1] if target.count(".") else ""
            if other != layer and other not in ALLOWED[layer]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} → {nxt}")
            elif nxt not in state:
                walk(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            walk(start, [start])
    assert not cycles, "\n".join(cycles)


def test_parts_are_not_looked_up_by_name():
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if p.name != "test_architecture.py"
                 and ("register_component" in p.read_text() or 'component("' in p.read_text())]
    assert not offenders
