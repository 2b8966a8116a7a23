"""The parser (gongkai.parsing) and the region resolver (gongkai.regions) do not import each other; the readers
(gongkai.readers) and the parser import neither the run's bookkeeping (gongkai.run) nor the warehouse build
(gongkai.warehouse).

Staging joins them (gongkai/staging/report_region.py); the text normalization both use is gongkai/text.py. Checked on
the import statements of every module of the package, read with ``ast`` (nothing is imported), also those inside
functions, and followed through the rest of the package: an import by way of another gongkai module would bring the
cycle back too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gongkai"
PARSING, REGIONS = "gongkai.parsing", "gongkai.regions"
READERS, RUN, WAREHOUSE = "gongkai.readers", "gongkai.run", "gongkai.warehouse"


def module_name(path: Path) -> str:
    """``gongkai/regions/resolver.py`` -> ``gongkai.regions.resolver``; a package's ``__init__.py`` -> its name."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _with_parents(dotted: str) -> list[str]:
    """Importing ``a.b.c`` imports ``a`` and ``a.b`` too."""
    parts = dotted.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def imported_by(path: Path) -> set[str]:
    """The gongkai modules the import statements of ``path`` name (``from m import x``: m, and m.x in case x is
    a module), relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {dotted for n in names for dotted in _with_parents(n) if dotted.split(".")[0] == "gongkai"}


def import_graph() -> dict[str, set[str]]:
    """Every module of the package -> the gongkai modules it imports."""
    return {module_name(path): imported_by(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def import_chain(graph: dict[str, set[str]], start: str, target: str) -> list[str] | None:
    """The shortest chain of imports from ``start`` to a module of the package ``target``, or None."""
    came_from: dict[str, str | None] = {start: None}
    queue = [start]
    for module in queue:
        if _within(module, target):
            chain = [module]
            while (previous := came_from[chain[-1]]) is not None:
                chain.append(previous)
            return chain[::-1]
        for imported in sorted(graph.get(module, ())):
            if imported not in came_from:
                came_from[imported] = module
                queue.append(imported)
    return None


@pytest.mark.parametrize(
    ("layer", "other"),
    [
        (PARSING, REGIONS),
        (REGIONS, PARSING),
        (READERS, RUN),
        (READERS, WAREHOUSE),
        (PARSING, RUN),
        (PARSING, WAREHOUSE),
    ],
)
def test_a_layer_never_imports_the_other(layer: str, other: str) -> None:
    graph = import_graph()
    modules = [module for module in graph if _within(module, layer)]
    assert len(modules) > 3, f"no modules found below {layer}"
    chains = [chain for module in modules if (chain := import_chain(graph, module, other))]
    assert chains == [], "\n".join(" -> ".join(chain) for chain in chains)


def test_the_import_graph_sees_what_joins_them() -> None:
    """The check is not vacuous: the module that joins the two layers is seen importing both."""
    graph = import_graph()
    assert import_chain(graph, "gongkai.staging.report_region", PARSING) is not None
    assert import_chain(graph, "gongkai.staging.report_region", REGIONS) is not None
    assert "gongkai.text" in graph[f"{REGIONS}.evidence"] and "gongkai.text" in graph[f"{PARSING}.metadata"]
    assert import_chain(graph, "gongkai.staging.stage", READERS) is not None
    assert import_chain(graph, "gongkai.run.changes", WAREHOUSE) is not None
