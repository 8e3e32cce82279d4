"""The test suite's own layout: shared helpers live in tests/helpers/ (and fixtures in
conftest.py), so no module imports a test module, conftest, or ``tests.`` by package path
(which ``pytest`` without ``python -m`` cannot import)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

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


@pytest.mark.wordpress
def test_a_wordpress_test_is_in_the_group_xdist_schedules(request):
    """Under ``-n`` with ``--dist loadgroup`` (the README's test command), a test marked
    ``wordpress`` carries the group in its id, which is what keeps the group on one
    worker (xdist's own hook names it; it once ran before the mark was given)."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or not request.config.getvalue("loadgroup"):
        pytest.skip("not run by xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@wordpress"), request.node.nodeid


def test_every_test_on_the_real_wordpress_is_in_its_group():
    """The real WordPress is one site: a test that writes to it beside one that compares
    the whole site (test_wordpress_real) makes that one fail. Every module that reaches
    it (``WP_URL``, ``wp_from_env``) marks its tests ``wordpress`` (one worker, in turn)."""
    reach = [
        path.name
        for path in sorted(TESTS.glob("test_*.py"))
        if path.name != Path(__file__).name
        and any(s in path.read_text("utf-8") for s in ('"WP_URL"', "wp_from_env("))
    ]
    assert "test_wordpress_real.py" in reach and "test_one_queue.py" in reach
    unmarked = [n for n in reach if "mark.wordpress" not in (TESTS / n).read_text("utf-8")]
    assert unmarked == []
