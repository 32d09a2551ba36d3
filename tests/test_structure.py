"""The code's shape: no import cycles, no module over 400 lines, and the layers' import rules
(``domain/`` knows nothing of Qt, argparse or ``app``; the CLI side of ``app/`` knows no Qt).

Imports are read with :mod:`ast`, every one of them: module level, inside functions and under
``if TYPE_CHECKING:`` (a cycle that only type checking sees is still a cycle in the design).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "domain")
MAX_LINES = 400

QT = frozenset({"PySide6", "shiboken6"})
QT_FREE = (
    "domain",
    "app.cli",
    "app.composition",
    "app.maintenance",
    "app.sample_data",
    "app.sample_chart",
    "app.book_templates",
    "app.preferences",
)
# what a book is wired from: only the composition root builds a Book of them (and the
# maintenance operations a store with read models, on their own connection)
BOOK_WIRING = frozenset({
    "domain.application.service", "domain.projections.read_models",
    "domain.projections.ReadModels", "domain.store.sqlite", "domain.store.SqliteEventStore",
    "sqlalchemy", "sqlite3",
})  # fmt: skip
# views, Qt models and dialogs get narrow parts, never the book, its store or its service
BOOK_INSIDES = BOOK_WIRING | {"app.composition", "app.maintenance"}
# module (or package, with everything under it) -> modules (with everything under them) it
# must never import
FORBIDDEN_IMPORTS: Mapping[str, frozenset[str]] = {
    "domain": QT | {"argparse", "app"},
    **{scope: QT for scope in QT_FREE if scope != "domain"},
    "app.window": BOOK_INSIDES,
    "app.models": BOOK_INSIDES,
    "app.dialogs": BOOK_INSIDES,
    # the rest of the GUI gets its Book from app.composition and its jobs from app.maintenance
    "app.controller": BOOK_INSIDES,
    "app.background": BOOK_WIRING,
    "app.desktop": BOOK_WIRING,
}


@dataclass(frozen=True, slots=True)
class Module:
    name: str  # dotted: app.window.main_window; a package is named by its __init__
    path: Path  # relative to the root: app/window/main_window.py


@dataclass(frozen=True, slots=True)
class Import:
    target: str  # absolute dotted name as written (the module of ``from M import x``)
    names: tuple[str, ...]  # what ``from M import ...`` takes; () for ``import M``
    line: int


def find_modules(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, Module]:
    """Every ``.py`` file under the packages, by dotted module name."""
    modules: dict[str, Module] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = Module(".".join(parts), relative)
    return modules


def read_imports(root: Path, module: Module) -> list[Import]:
    """Every import statement in the module, wherever it stands, with relative ones resolved."""
    tree = ast.parse((root / module.path).read_text(encoding="utf-8"), str(module.path))
    is_package = module.path.name == "__init__.py"
    imports: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.extend(Import(alias.name, (), node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x / from ..y import z
                package = module.name.split(".")
                if not is_package:
                    package.pop()
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            imports.append(Import(base, tuple(alias.name for alias in node.names), node.lineno))
    return imports


def internal_targets(imp: Import, modules: Mapping[str, Module]) -> set[str]:
    """The modules of ours an import loads: ``from p import m`` means module ``p.m`` if there
    is one, else ``p`` itself; ``import a.b.c`` means the deepest of ours on that path."""
    targets = {f"{imp.target}.{name}" for name in imp.names if f"{imp.target}.{name}" in modules}
    if len(targets) < len(imp.names) or not imp.names:
        parts = imp.target.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in modules:
                targets.add(".".join(parts[:end]))
                break
    return targets


def import_graph(root: Path, modules: Mapping[str, Module]) -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (self-imports left out)."""
    graph: dict[str, set[str]] = {}
    for name, module in modules.items():
        targets = set().union(*(internal_targets(i, modules) for i in read_imports(root, module)))
        graph[name] = targets - {name}
    return graph


def strongly_connected(graph: Mapping[str, set[str]]) -> list[frozenset[str]]:
    """The groups of modules that import each other round (Tarjan), groups of one left out."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(frozenset(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return groups


def cycle_through(group: frozenset[str], graph: Mapping[str, set[str]]) -> list[str]:
    """A shortest cycle inside ``group``, from its first module back to it: a -> b -> a."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start} in {sorted(group)}")  # pragma: no cover


def import_cycles(root: Path, packages: Iterable[str] = PACKAGES) -> dict[frozenset[str], str]:
    """Each group of mutually importing modules, with one of its cycles spelled out."""
    graph = import_graph(root, find_modules(root, packages))
    return {g: " -> ".join(cycle_through(g, graph)) for g in strongly_connected(graph)}


def long_modules(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, int]:
    """Modules over :data:`MAX_LINES` lines, by path, with their length."""
    lengths = {
        m.path.as_posix(): len((root / m.path).read_text(encoding="utf-8").splitlines())
        for m in find_modules(root, packages).values()
    }
    return {path: n for path, n in lengths.items() if n > MAX_LINES}


def within(name: str, scope: str) -> bool:
    """Whether module ``name`` is ``scope`` or inside the package ``scope``."""
    return name == scope or name.startswith(scope + ".")


def forbidden_imports(
    root: Path,
    rules: Mapping[str, frozenset[str]] = FORBIDDEN_IMPORTS,
    packages: Iterable[str] = PACKAGES,
) -> list[str]:
    """``path:line: module imports X`` for every import a rule forbids."""
    found: list[str] = []
    for name, module in find_modules(root, packages).items():
        banned = set().union(*(names for scope, names in rules.items() if within(name, scope)))
        for imp in read_imports(root, module):
            # from a import b: a itself, or its module b
            taken = [imp.target, *(f"{imp.target}.{n}" for n in imp.names)]
            hits = sorted({t for t in taken for b in banned if within(t, b)})
            if hits:
                found.append(f"{module.path.as_posix()}:{imp.line}: {name} imports {hits[0]}")
    return found


# --- the checks on this code base ----------------------------------------------------------


def test_no_import_cycles() -> None:
    cycles = sorted(import_cycles(ROOT).values())
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_module_over_400_lines() -> None:
    long = long_modules(ROOT)
    named = (f"{path}: {n} lines (at most {MAX_LINES})" for path, n in sorted(long.items()))
    assert not long, "\n".join(named)


def test_layers_import_only_what_they_may() -> None:
    found = forbidden_imports(ROOT)
    assert not found, "imports the layers rule out:\n" + "\n".join(found)


def test_importing_every_domain_and_cli_module_loads_no_qt() -> None:
    """At run time too (a static check misses ``importlib``): import each module in a fresh
    interpreter and name the first one after which Qt is loaded."""
    modules = find_modules(ROOT)
    qt_free = sorted(name for name in modules if any(within(name, scope) for scope in QT_FREE))
    assert {"domain", "domain.model.money", "app.cli.main", "app.composition"} <= set(qt_free)
    script = (
        "import importlib, json, sys\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    importlib.import_module(name)\n"
        "    if any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules):\n"
        "        print(name); break\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(qt_free)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "", f"importing {result.stdout.strip()} loads PySide6"


# --- the checks can fail -----------------------------------------------------------------


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_cycle_through_a_function_level_import_is_found_and_named(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "domain/__init__.py": "",
        "domain/a.py": "from domain.b import thing\n",
        "domain/b.py": "def thing():\n    from domain import c\n",
        "domain/c.py": "import domain.a\n",
        "domain/d.py": "from domain import a\n",  # imports into the cycle, not part of it
    })  # fmt: skip
    cycle = frozenset({"domain.a", "domain.b", "domain.c"})
    assert import_cycles(root, ["domain"]) == {
        cycle: "domain.a -> domain.b -> domain.c -> domain.a"
    }


def test_relative_and_type_checking_imports_count(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/window/__init__.py": "from .view import View\n",
        "app/window/view.py": "from typing import TYPE_CHECKING\n"
                              "if TYPE_CHECKING:\n    from .. import window\n",
    })  # fmt: skip
    assert list(import_cycles(root, ["app"]).values()) == [
        "app.window -> app.window.view -> app.window"
    ]


def test_no_cycle_between_a_package_and_a_sibling_it_does_not_import(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "domain/__init__.py": "from domain.a import x\n",
        "domain/a.py": "from domain.b import y\nx = y\n",
        "domain/b.py": "y = 1\n",
    })  # fmt: skip
    assert import_cycles(root, ["domain"]) == {}


def test_a_long_module_is_named(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/short.py": "x = 1\n" * MAX_LINES,
        "app/long.py": "x = 1\n" * (MAX_LINES + 1),
    })  # fmt: skip
    assert long_modules(root, ["app"]) == {"app/long.py": MAX_LINES + 1}


def test_forbidden_imports_are_found_wherever_they_stand(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "domain/__init__.py": "",
        "domain/a.py": "def f():\n    from PySide6.QtCore import QObject\n",
        "domain/b.py": "import argparse\nfrom app import composition\n",
        "app/__init__.py": "",
        "app/composition.py": "import PySide6.QtWidgets\n",
        "app/desktop/__init__.py": "",
        "app/desktop/launch.py": "from app.composition import Book\n"  # the GUI's way to a book
                                 "from domain.projections import ReadModels\n",  # not its own
        "app/window/__init__.py": "",
        "app/window/view.py": "import PySide6.QtWidgets\n"  # the GUI may
                              "from domain.store.base import StoredEvent\n"  # and read events
                              "from app import composition\n",  # but never open the book
    })  # fmt: skip
    assert sorted(forbidden_imports(root, packages=["app", "domain"])) == [
        "app/composition.py:1: app.composition imports PySide6.QtWidgets",
        "app/desktop/launch.py:2: app.desktop.launch imports domain.projections.ReadModels",
        "app/window/view.py:3: app.window.view imports app.composition",
        "domain/a.py:2: domain.a imports PySide6.QtCore",
        "domain/b.py:1: domain.b imports argparse",
        "domain/b.py:2: domain.b imports app",
    ]


@pytest.mark.parametrize("scope", sorted(FORBIDDEN_IMPORTS))
def test_every_rule_names_modules_that_exist(scope: str) -> None:
    assert scope in find_modules(ROOT), f"{scope} is gone: update FORBIDDEN_IMPORTS"
