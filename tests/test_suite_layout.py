"""The test suite's own layout: shared helpers live in tests/helpers/ (and fixtures in
conftest.py), so no module imports a test module, conftest, or ``tests.`` by package path
(which ``pytest`` without ``python -m`` cannot import)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_imports_a_test_module_or_conftest():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 50
    wrong = {
        f"{path.relative_to(TESTS)}: {name}"
        for path in files
        for name in imported(path)
        if name.split(".")[0].startswith("test_") or name.split(".")[0] in {"conftest", "tests"}
    }
    assert wrong == set()
