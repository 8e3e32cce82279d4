"""Shared fixtures. TUI: ``tui_env`` (hides the developer's own config and data dirs),
``tui_store`` (a small SQLite memory with WordPress-shaped responses) and ``make_app``.
Others: ``utc`` (local times in UTC), ``no_color``, ``cli_isolated`` (no user config or
store for the command line), ``memory`` (the reportdata memory), ``sleeps``.
Shared functions and data builders live in tests/helpers/, not here."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from helpers.data import fill_store, sample_responses


@pytest.fixture
def tui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide the developer's own config and data: an empty config file, temp XDG dirs."""
    config = tmp_path / "empty-config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(config))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # f2's language
    monkeypatch.delenv("REACTIEVELD_STATE", raising=False)
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)


@pytest.fixture
async def tui_store(tmp_path: Path, tui_env: None):
    """A SQLite memory with 30 responses of source "blog"."""
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "memory.db")
    responses, threads = sample_responses()
    await fill_store(store, "blog", responses, threads)
    yield store
    await store.close()


@pytest.fixture
def make_app() -> Callable[..., Any]:
    """``make_app(store, language="nl", **kw)``: the app on a store, UTC, actor "tester"."""
    from reactieveld.tui.app import ReactieveldApp

    def make(store: Any, language: str = "nl", **kw: Any) -> ReactieveldApp:
        kw.setdefault("tz", UTC)
        kw.setdefault("actor", "tester")
        return ReactieveldApp(store, language=language, **kw)

    return make


@pytest.fixture
def sleeps() -> Any:
    """The connector tests' recorded sleeps (fakes.base.Sleeps): no real waiting."""
    from fakes.base import Sleeps

    return Sleeps()


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Local times in UTC (the reports and dashboard print local dates), no user config."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: the plain characters alone must say it."""
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def cli_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own config or store (no config file at all)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)


@pytest.fixture
async def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """The reportdata memory (tests/reportdata.py), open: (store, {external id: id})."""
    from reportdata import build

    store, ids = await build(tmp_path / "m.db", monkeypatch)
    yield store, ids
    await store.close()
