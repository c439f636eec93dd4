"""The layers hold: no import cycle in consult/, and no import up a layer.

The imports are read from the source (every `import` statement, also those
inside functions, since a late import is a dependency all the same), so that
a cycle or a wrong-way import fails here before it makes the next change hard.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "consult"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Return every module `name` imports: consult's own by module, others by top package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from consult.web import admin` imports the module consult.web.admin.
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imported(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, set()) & set(graph):
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
            if len(component) > 1 or node in graph.get(node, set()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_reader_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_resolves_modules() -> None:
    graph = _graph()
    assert "consult.web.guard" in graph["consult"]
    assert "consult.permissions" in graph["consult.web.guard"]
    assert "consult.models" in graph["consult.permissions"]


def test_no_import_cycle_in_consult() -> None:
    assert _cycles(_graph()) == []


def _offending(prefix: str, forbidden: tuple[str, ...]) -> dict[str, set[str]]:
    return {
        name: bad
        for name, imports in _graph().items()
        if name == prefix or name.startswith(prefix + ".")
        if (bad := {i for i in imports if i.split(".")[0] in forbidden or i.startswith(forbidden)})
    }


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        # The domain is pure Python: parsing, alignment, diff need no app or database.
        ("consult.domain", ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy")),
        ("consult.domain", ("consult.models", "consult.services", "consult.web")),
        # Services are used by the web layer, the command line and jobs alike.
        ("consult.services", ("consult.web", "flask_login", "flask_wtf")),
        # Exports write files from rows the services made: no requests, no queries.
        ("consult.exports", ("consult.web", "flask_login", "flask_wtf", "sqlalchemy")),
        # Models and rules know nothing of requests.
        ("consult.models", ("consult.services", "consult.web", "consult.permissions")),
        ("consult.permissions", ("flask", "flask_login", "consult.services", "consult.web")),
    ],
)
def test_no_import_runs_up_a_layer(layer: str, forbidden: tuple[str, ...]) -> None:
    assert _offending(layer, forbidden) == {}
