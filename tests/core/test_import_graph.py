"""The product's import structure: no circles, a light pure core, and no tooling inside.

The graph is built by reading the source (``ast``), not by importing it, and counts every
``import`` and ``from … import``, at module level and inside functions alike: a lazy import
that closes a circle is still a circle, only one that fails later.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRODUCT = ("transfer", "catalog_client")
TOOLING = ("devtools", "bench", "sandbox", "tests")
HEAVY = ("django", "celery", "kombu", "requests", "redis", "urllib3", "pydantic")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PRODUCT:
        for path in sorted((REPO / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imported_names(path: Path, name: str) -> Iterator[str]:
    """Every module name an import statement in the file may load, resolved to absolute."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            yield stem
            for alias in node.names:
                # `from package import module` loads the submodule itself.
                yield f"{stem}.{alias.name}"


def import_graph() -> dict[str, set[str]]:
    modules = product_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {
            target for target in imported_names(path, name) if target in modules and target != name
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_lazy_imports() -> None:
    # The reader must count imports inside functions, or the cycle test proves nothing.
    graph = import_graph()
    assert "transfer.transfers.services.jobs" in graph
    assert graph["transfer.transfers.tasks"] & {
        "transfer.transfers.services.matching",
        "transfer.transfers.services.writing",
    }
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert cycles(import_graph()) == []


def test_services_never_import_tasks() -> None:
    graph = import_graph()
    offenders = {
        (name, target)
        for name, targets in graph.items()
        if ".services" in name
        for target in targets
        if target.endswith(".tasks")
    }
    assert offenders == set()


def test_product_code_never_imports_tooling() -> None:
    offenders = []
    for name, path in product_modules().items():
        for target in imported_names(path, name):
            if target.split(".")[0] in TOOLING:
                offenders.append((name, target))
    assert offenders == []


def test_the_pure_core_imports_nothing_heavy() -> None:
    probe = (
        "import sys\n"
        "import transfer.formats, transfer.matching\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
