"""The package's shape: no import circles between its modules, and modules short enough to read in one sitting.

Imports are read from the source (module-level, function-level and type-only alike, since each is a
dependency a reader has to follow), at module granularity: ``from claimledger.ledger import x`` depends on
``claimledger.ledger`` (its ``__init__``), ``from claimledger.ledger.status import x`` on that module only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "claimledger"
MAX_LINES = 450  # STYLE.md: one concept a module, short enough to read in one sitting
LONG_REASON = "Why this module is long:"  # the docstring sentence a longer module needs


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` stands for: itself, or the nearest enclosing module (an imported attribute)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.add(target)
    return found


def import_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for module, path in modules.items():
        graph.add_node(module)
        graph.add_edges_from((module, target) for target in _imports(module, path, modules))
    return graph


def test_the_graph_sees_relative_and_lazy_imports() -> None:
    graph = import_graph()
    assert graph.has_edge("claimledger.stance.model", "claimledger.stance.features")  # from .features import
    assert graph.has_edge("claimledger.stance.model", "claimledger.errors")  # from ..errors import
    assert graph.has_edge("claimledger.cli.analysis", "claimledger.distributed")  # inside a function
    assert graph.has_edge("claimledger.ledger.update", "claimledger.ledger.incremental")


def test_no_import_circles() -> None:
    cycles = sorted(sorted(cycle) for cycle in nx.simple_cycles(import_graph()))
    assert cycles == [], "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_a_circle_is_found(tmp_path: Path) -> None:
    graph = import_graph()
    graph.add_edge("claimledger.types", "claimledger.ledger.status")  # status imports types
    assert list(nx.simple_cycles(graph))


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("module", sorted(_modules()))
def test_modules_are_short_or_say_why(module: str) -> None:
    path = _modules()[module]
    if _lines(path) <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert LONG_REASON in docstring, (
        f"{path.relative_to(SRC)} has {_lines(path)} lines (over {MAX_LINES}): split it, or say "
        f"'{LONG_REASON} ...' in its docstring"
    )


def test_the_ledger_and_the_orchestrator_have_one_home_each() -> None:
    """How a claim's status is decided, and how an article is added, are each one module of the ledger."""
    assert _lines(PACKAGE / "pipeline.py") < 300
    for name in ("status", "incremental", "update", "regroup"):
        assert (PACKAGE / "ledger" / f"{name}.py").is_file()
    assert not (PACKAGE / "ledger.py").exists()


def test_each_package_says_its_role_and_public_names() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert len(docstring or "") > 40, f"{init.relative_to(SRC)} needs a docstring: its role and names"
