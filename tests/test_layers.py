"""The layer rule, checked over the real import graph of the package's source.

``scenarios <- journal <- exercise <- scoring <- report, exports, sweep <- application <- live <- commands <- cli``:
each layer imports only layers to its left (report, exports and sweep may not import each other),
and no module graph has a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["scenarios", "journal", "exercise", "scoring", "report", "exports", "sweep", "application", "live",
          "commands", "cli"]
ALLOWED: dict[str, set[str]] = {
    "scenarios": set(),
    "journal": set(),  # the journal records what happened; it knows no scenario model
    "exercise": {"scenarios", "journal"},
    "scoring": {"scenarios", "journal"},  # never the engine (SimPy)
    "report": {"scenarios", "journal", "scoring"},
    "exports": {"scenarios", "journal", "scoring"},
    "sweep": {"scenarios", "journal", "exercise", "scoring"},  # runs and scores replications; no report rendering
    "application": {"scenarios", "journal", "exercise", "scoring", "report", "exports", "sweep"},
    "live": {"scenarios", "journal", "exercise", "scoring", "report", "exports", "sweep", "application"},  # live play
    "commands": {"scenarios", "journal", "exercise", "scoring", "report", "exports", "sweep", "application",
                 "live"},  # the command line's commands: parse, call, print
    "cli": {"scenarios", "journal", "exercise", "scoring", "report", "exports", "sweep", "application", "live",
            "commands"},
}


def _modules() -> dict[str, Path]:
    found = {"ballotdrill.cli": ROOT / "cli.py"}
    for layer in LAYERS[:-1]:
        for path in (ROOT / layer).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(("ballotdrill", *parts)).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every ballotdrill module ``path`` imports (relative imports resolved), including those under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("ballotdrill"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            if base.startswith("ballotdrill"):
                out.add(base)
                out.update(f"{base}.{a.name}" for a in node.names)
    return out


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_every_layer_imports_only_layers_to_its_left() -> None:
    modules = _modules()
    broken = []
    for name, path in modules.items():
        own = _layer(name)
        for target in _imports(name, path):
            other = _layer(target)
            if own and other and other != own and other not in ALLOWED[own]:
                broken.append(f"{path.relative_to(ROOT)} imports {target}")
    assert not broken, "\n".join(sorted(broken))


def _reexports(modules: dict[str, Path]) -> dict[str, str]:
    """``package.Name`` -> the module that defines it, for every name a package's ``__init__`` imports."""
    found: dict[str, str] = {}
    for name, path in modules.items():
        if path.name != "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ballotdrill"):
                found.update({f"{name}.{a.asname or a.name}": node.module or "" for a in node.names})
    return found


def _module_graph() -> dict[str, set[str]]:
    """Module -> modules it imports, a package's re-exported name resolved to the module defining it."""
    modules = _modules()
    reexports = _reexports(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for target in _imports(name, path):
            seen = {target}
            while target in reexports and reexports[target] not in seen:
                target = reexports[target]
                seen.add(target)
            if target in modules and modules[target].name != "__init__.py" and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def test_the_import_graph_has_no_cycle() -> None:
    graph = _module_graph()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_scoring_report_and_exports_never_import_simpy() -> None:
    for layer in ("scenarios", "journal", "scoring", "report", "exports"):
        for path in (ROOT / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not any(n == "simpy" or n.startswith("simpy.") for n in names), path
