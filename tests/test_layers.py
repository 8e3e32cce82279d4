"""The import structure: no circles between modules, and the processes that must start
without Textual (the fetch child, the sync engine, the store, the read side) do.

The layers themselves are import-linter contracts in pyproject.toml (``lint-imports``);
this checks what a contract does not: a circle anywhere, module by module, counting
imports inside functions and under TYPE_CHECKING (grimp sees those), and what a real
interpreter loads.
"""

from __future__ import annotations

import json
import subprocess
import sys

import grimp
import pytest

PACKAGE = "reactieveld"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module that
    imports itself): every import circle is inside one. Tarjan's algorithm, iterative."""
    modules = sorted(graph.modules)
    imports = {
        m: sorted(graph.find_modules_directly_imported_by(m) & graph.modules) for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = imports[node]
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in imports[node]:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def _describe(graph: grimp.ImportGraph, component: list[str]) -> str:
    members = set(component)
    lines = []
    for importer in component:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(
                    f"  {importer} -> {imported} (l.{detail['line_number']}: "
                    f"{detail['line_contents']})"
                )
    return "\n".join(lines)


def test_the_cycle_finder_finds_a_circle():
    """The check below can fail: a made-up graph with a circle of three and one of one."""
    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")]:
        graph.add_import(importer=importer, imported=imported)
    graph.add_import(importer="p.e", imported="p.e")
    assert sorted(_cycles(graph)) == [["p.a", "p.b", "p.c"], ["p.e"]]


def test_no_module_of_the_package_is_in_an_import_circle():
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    assert len(graph.modules) > 50  # the whole package was read, not an empty graph
    cycles = _cycles(graph)
    assert not cycles, "import circles:\n" + "\n\n".join(_describe(graph, c) for c in cycles)


#: What runs without the interface: the fetch child, the sync engine, the store, the
#: config, the figures and the search (also from the command line, e.g. ``sync --once``).
WITHOUT_TEXTUAL = [
    "reactieveld.fetchproc",
    "reactieveld.store.sqlite",
    "reactieveld.sync",
    "reactieveld.config",
    "reactieveld.read.figures",
    "reactieveld.read.search",
]
#: And what the sync engine and the fetch child import when they run (inside functions).
ALSO_ON_CALL = [
    "reactieveld.outbox",
    "reactieveld.sinks",
    "reactieveld.connectors.registry",
    "reactieveld.connectors.wordpress",
    "reactieveld.connectors.wpfeed",
    "reactieveld.connectors.demo",
    "reactieveld.connectors.discourse",
    "reactieveld.connectors.decidim",
    "reactieveld.connectors.govocal",
]


def _textual_after_importing(modules: list[str]) -> list[str]:
    """The ``textual`` modules a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("module", WITHOUT_TEXTUAL)
def test_the_fetch_child_the_store_and_the_read_side_never_load_textual(module):
    assert _textual_after_importing([module]) == []


def test_all_of_them_together_and_what_they_import_on_call_never_load_textual():
    assert _textual_after_importing(WITHOUT_TEXTUAL + ALSO_ON_CALL) == []


def test_the_check_for_textual_can_fail():
    """The same probe sees Textual once the app is imported."""
    assert "textual" in _textual_after_importing(["reactieveld.tui.app"])
