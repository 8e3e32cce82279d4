"""All SQL lives in ``reactieveld.store`` (issue 12): no module outside it imports
``sqlite3`` or ``aiosqlite``, and no string literal outside it holds SQL text. A second
backend then replaces one package. (The import-linter contract "Only the store talks to
SQLite" says the same for imports; this test also covers modules added later and SQL
text run through a store hook.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import reactieveld

PACKAGE = Path(reactieveld.__file__).parent
STORE = PACKAGE / "store"
#: SQL's statement words, upper case as this project writes SQL (UI text says "delete"),
#: followed by more of a statement: the HTTP verb ``"DELETE"`` alone is not SQL.
SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WITH)\s")
DRIVERS = {"sqlite3", "aiosqlite", "asyncpg"}


def _outside_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents)


def _text(node: ast.expr) -> str:
    """A string literal's text; an f-string's with ``x`` for each placeholder."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    assert isinstance(node, ast.JoinedStr)
    return "".join(_text(v) if isinstance(v, ast.Constant) else "x" for v in node.values)


def _problems(source: str) -> list[str]:
    """What in ``source`` (a module's text) is SQL or imports a SQL driver."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {a.name}"
                for a in node.names
                if a.name.split(".")[0] in DRIVERS
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in DRIVERS:
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, (ast.Constant, ast.JoinedStr)):
            m = SQL_WORD.search(_text(node))
            if m:
                found.append(f"line {node.lineno}: SQL text {m.group(0)!r} in a string")
    return found


def test_the_scan_sees_every_module_outside_the_store() -> None:
    modules = _outside_store()
    assert PACKAGE / "read" / "figures.py" in modules
    assert PACKAGE / "read" / "search.py" in modules
    assert PACKAGE / "tui" / "app.py" in modules
    assert not any(STORE in p.parents for p in modules)


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite3\n",
        "import aiosqlite as db\n",
        "from sqlite3 import Connection\n",
        "x = 'SELECT id FROM responses'\n",
        "x = f'SELECT {a} FROM t'\n",
        "x = ('DELETE FROM meta ' 'WHERE 1')\n",
        "def f():\n    '''WITH m AS (...)'''\n",
        "db.execute('PRAGMA query_only = ON')\n",
        "db.execute('UPDATE sink_outbox SET state = ?', x)\n",
        "db.execute('INSERT INTO meta VALUES (?, ?)', x)\n",
        "x = 'CREATE TABLE t (a)'\n",
        "x = 'SELECT ' + cols\n",
    ],
)
def test_the_scan_finds_sql_and_drivers(source: str) -> None:
    assert _problems(source)


@pytest.mark.parametrize(
    "source",
    [
        "x = 'Select a response, then delete or update it with d'\n",
        "client.request('DELETE', url)\n",  # an HTTP verb
        "x = f'{n} responses'\n",
    ],
)
def test_the_scan_passes_plain_text(source: str) -> None:
    assert not _problems(source)


def test_no_sql_outside_the_store() -> None:
    problems = [
        f"{path.relative_to(PACKAGE.parent)} {problem}"
        for path in _outside_store()
        for problem in _problems(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "SQL outside reactieveld.store:\n" + "\n".join(problems)
