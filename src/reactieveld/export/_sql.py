"""Read-only SQL on the memory store for reports, figures and sinks.

The store's public API answers the TUI's questions (a queue window, one response); the
dashboard and the reports need aggregates (counts per day, medians, a coverage matrix)
that would cost a full scan in Python. They run as SQL on the store's own connection,
through its single-hop runner, so they see the same transaction state and never block the
writer (WAL). Only :class:`~reactieveld.store.sqlite.SqliteStore` offers that runner.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


async def run_sql(store: Any, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``fn(db)`` on the store's connection (one thread hop for the whole function)."""
    runner = getattr(store, "_run", None)
    if runner is None:  # pragma: no cover - only SqliteStore exists today
        raise TypeError(f"{type(store).__name__} does not offer SQL access for reports")
    return await runner(fn)


async def write_sql(store: Any, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``fn(db)`` in one ``BEGIN IMMEDIATE`` transaction on the store's connection."""
    runner = getattr(store, "_write", None)
    if runner is None:  # pragma: no cover
        raise TypeError(f"{type(store).__name__} does not offer SQL access for sinks")
    return await runner(fn)


def placeholders(values: Sequence[Any]) -> str:
    """``(?,?,?)`` for an IN clause."""
    return "(" + ",".join("?" * len(values)) + ")"
