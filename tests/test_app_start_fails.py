"""A start of the app that fails after the memory is opened (a second connection refused,
a source's set-up, the app's constructor, its drafts file, the app itself) closes every
connection it opened and the sync engine: no SQLite connection (and its locks on the
file) is left behind, and no thread (tests/conftest.py's guard)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reactieveld.store.open as store_open
import reactieveld.sync as sync
import reactieveld.tui.app as tui_app
from reactieveld.cli import Context
from reactieveld.store import files

pytestmark = pytest.mark.usefixtures("tui_env")


class Injected(Exception):
    pass


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise Injected


def _inject(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if step == "sync store":
        real = store_open.open_store
        calls = [0]

        async def second_fails(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == 2:
                raise Injected
            return await real(*args, **kwargs)

        monkeypatch.setattr(store_open, "open_store", second_fails)
    elif step == "source set-up":

        async def refused(*args: Any, **kwargs: Any) -> str:
            raise Injected

        monkeypatch.setattr(sync, "process_name", refused)
    elif step == "outbox":
        monkeypatch.setattr("reactieveld.outbox.OutboxWorker", _fail)
    elif step == "drafts file":
        monkeypatch.setattr(tui_app, "DraftsFile", _fail)
    elif step == "app":
        monkeypatch.setattr(tui_app, "ReactieveldApp", _fail)
    elif step == "run":
        monkeypatch.setattr(tui_app.ReactieveldApp, "run_async", _async_fail)


async def _async_fail(*args: Any, **kwargs: Any) -> Any:
    raise Injected


@pytest.mark.parametrize(
    "step", ["sync store", "source set-up", "outbox", "drafts file", "app", "run"]
)
def test_a_failed_start_closes_what_it_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    db = tmp_path / "memory.db"
    config = Context(config_arg=None, db_arg=str(db), lang="en", demo=True).config
    closed: list[str] = []
    real_aclose = sync.SyncEngine.aclose

    async def aclose(self: Any) -> None:
        closed.append("engine")
        await real_aclose(self)

    monkeypatch.setattr(sync.SyncEngine, "aclose", aclose)
    _inject(step, monkeypatch)
    with pytest.raises(Injected):
        tui_app.run_app(config, db, demo=True, language="en")
    assert files._HELD == {}  # every connection to the file closed
    made = step in ("outbox", "drafts file", "app", "run")  # the engine was made
    assert closed == (["engine"] if made else [])
    assert not (tmp_path / "memory.db-wal").exists()  # the last connection's close


@pytest.mark.parametrize("step", ["sync store", "source set-up", "app"])
def test_a_failed_start_on_postgresql_closes_its_connections(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The same on a PostgreSQL memory: no connection of the failed start is left on the
    server (the store's pool, the sync's), counted in pg_stat_activity."""
    import asyncio

    import asyncpg

    config = Context(config_arg=None, db_arg=pg_url, lang="en", demo=True).config
    _inject(step, monkeypatch)
    with pytest.raises(Injected):
        tui_app.run_app(config, pg_url, demo=True, language="en")

    async def left() -> int:
        conn = await asyncpg.connect(pg_url)
        try:
            return int(
                await conn.fetchval(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        finally:
            await conn.close()

    assert asyncio.run(left()) == 0
