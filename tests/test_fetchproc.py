"""The fetch process (reactieveld.fetchproc): network sources fetched in a child process.

Against the WordPress-shaped local server (tools/wp-real/fakewp.py, in a thread on
127.0.0.1), through the real SyncEngine and SqliteStore, with a real child process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import threading
from types import MappingProxyType

import pytest
from procs import ended
from wpreal import served_fakewp

from reactieveld.config import Config, ConfigError, SourceConfig, load_config
from reactieveld.model import RemoteStatus
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine

PASSWORD_ENV = "TEST_FETCHPROC_WP_PASSWORD"


@pytest.fixture
def fake():
    with served_fakewp(1_200) as wp:
        yield wp


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "app-pass-1")


def config(base: str, **extra) -> Config:
    opts = {"url": base, "username": "admin", "password_env": PASSWORD_ENV, **extra}
    return Config(sources=(SourceConfig("blog", "wordpress", 30.0, MappingProxyType(opts)),))


def rows(db) -> tuple[dict[str, str], int, int]:
    con = sqlite3.connect(db)
    try:
        got = dict(con.execute("SELECT external_id, remote_status FROM responses").fetchall())
        n = con.execute("SELECT count(*) FROM responses").fetchone()[0]
        fts = con.execute("SELECT count(*) FROM responses_fts").fetchone()[0]
        return got, n, fts
    finally:
        con.close()


async def test_full_sync_in_the_child_equals_the_site(fake, secret, tmp_path):
    store = await SqliteStore.open(tmp_path / "m.db")
    engine = SyncEngine.from_config(config(fake.base), store)
    try:
        assert engine.fetcher is not None and engine.fetcher.names == {"blog"}
        res = await engine.sync_source("blog")
        assert res.ok, res.error
        assert res.new == 1_200 and res.pages == 12
        pid = engine.fetcher.pid
        assert pid is not None and pid != os.getpid()  # fetched elsewhere
        # The parent's connector did not read a single listing: it only writes back.
        assert engine.sources["blog"].connector.client.requests_sent == 0

        again = await engine.sync_source("blog")
        assert again.ok and again.new == again.updated == 0
        assert engine.fetcher.starts == 1  # one child for the engine's life
    finally:
        await engine.aclose()
        await store.close()
    assert ended(pid)  # aclose stops the child
    got, n, fts = rows(tmp_path / "m.db")
    assert got == fake.by_status()
    assert n == fts == 1_200


async def test_the_child_asks_the_parent_what_the_store_holds(fake, secret, tmp_path):
    """A deletion made on the site while reactieveld was not running is found by the
    re-scan of a new child, which only knows the stored ids by asking the parent."""
    db = tmp_path / "m.db"
    store = await SqliteStore.open(db)
    try:
        first = SyncEngine.from_config(config(fake.base), store)
        assert (await first.sync_source("blog")).new == 1_200
        await first.aclose()

        fake.delete(7)
        fake.comments[8]["status"] = "spam" if fake.comments[8]["status"] != "spam" else "hold"
        second = SyncEngine.from_config(config(fake.base, rescan_seconds=0.001), store)
        res = await second.sync_source("blog")
        await second.aclose()
        assert res.ok, res.error
        assert res.new == 0 and res.updated >= 2
        seven = await store.get_by_external("blog", "7")
        assert seven.response.remote_status is RemoteStatus.DELETED
        eight = await store.get_by_external("blog", "8")
        assert eight.response.remote_status.value == fake.comments[8]["status"]
    finally:
        await store.close()


async def test_a_child_killed_mid_sync_is_an_error_and_the_next_round_finishes(
    fake, secret, tmp_path
):
    reached, release = threading.Event(), threading.Event()
    listings = {"n": 0}

    def hook(method, path, q):
        if method == "GET" and path.endswith("/comments"):
            listings["n"] += 1
            if listings["n"] == 6:
                reached.set()
                release.wait(60)

    fake.hook = hook
    store = await SqliteStore.open(tmp_path / "m.db")
    engine = SyncEngine.from_config(config(fake.base), store)
    try:
        round_ = asyncio.create_task(engine.sync_source("blog"))
        assert await asyncio.to_thread(reached.wait, 60), "the sync never got to page 6"
        pid = engine.fetcher.pid
        os.kill(pid, signal.SIGKILL)
        res = await round_
        release.set()
        assert not res.ok and res.retryable
        assert "the fetch process stopped unexpectedly (exit code -9)" in res.error
        assert 0 < res.new < 1_200  # the pages stored before the kill stay stored
        state = await store.source_state("blog")
        assert state.last_error == res.error  # shown per source

        fake.hook = None
        res2 = await engine.sync_source("blog")
        assert res2.ok, res2.error
        assert res.new + res2.new == 1_200  # nothing skipped, nothing twice
        assert engine.fetcher.starts == 2 and engine.fetcher.pid != pid
    finally:
        release.set()
        await engine.aclose()
        await store.close()
    got, n, fts = rows(tmp_path / "m.db")
    assert got == fake.by_status()
    assert n == fts == 1_200


async def test_platform_errors_cross_with_their_message_and_retryability(fake, tmp_path):
    os.environ[PASSWORD_ENV] = "wrong"
    try:
        store = await SqliteStore.open(tmp_path / "m.db")
        engine = SyncEngine.from_config(config(fake.base), store)
        inline = SyncEngine.from_config(config(fake.base), store, fetch_process=False)
        try:
            res = await engine.sync_source("blog")
            ref = await inline.sync_source("blog")
        finally:
            await engine.aclose()
            await inline.aclose()
            await store.close()
    finally:
        del os.environ[PASSWORD_ENV]
    assert inline.fetcher is None
    assert not res.ok and not res.retryable  # 401 is not retried
    assert res.error == ref.error
    assert "401" in res.error and "app-pass" not in res.error


async def test_stopping_the_engine_mid_sync_stops_the_child(fake, secret, tmp_path):
    store = await SqliteStore.open(tmp_path / "m.db")
    engine = SyncEngine.from_config(config(fake.base), store)
    arrived = asyncio.Event()
    engine.subscribe(lambda ev: arrived.set() if ev.kind == "new" else None)
    stop = asyncio.Event()
    run = asyncio.create_task(engine.run(stop))
    try:
        await asyncio.wait_for(arrived.wait(), 60)
        pid = engine.fetcher.pid
        stop.set()
        await run
        await engine.aclose()
    finally:
        await store.close()
    assert ended(pid)


async def test_fetch_process_false_keeps_the_source_in_this_process(fake, secret, tmp_path):
    store = await SqliteStore.open(tmp_path / "m.db")
    engine = SyncEngine.from_config(config(fake.base, fetch_process=False), store)
    try:
        assert engine.fetcher is None
        res = await engine.sync_source("blog")
        assert res.ok and res.new == 1_200
    finally:
        await engine.aclose()
        await store.close()


def test_fetch_process_is_a_boolean_and_not_for_the_demo(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        '[[sources]]\nname = "blog"\ntype = "wordpress"\nurl = "https://example.org"\n'
        "fetch_process = false\n"
    )
    assert load_config(path).sources[0].options["fetch_process"] is False
    path.write_text(
        '[[sources]]\nname = "blog"\ntype = "wordpress"\nurl = "https://example.org"\n'
        'fetch_process = "no"\n'
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert f"{path}:5:" in str(err.value) and "fetch_process" in str(err.value)
    path.write_text('[[sources]]\nname = "d"\ntype = "demo"\nfetch_process = true\n')
    with pytest.raises(ConfigError, match='key "fetch_process" is not known'):
        load_config(path)


async def test_a_child_that_cannot_start_says_why(fake, secret, tmp_path, monkeypatch):
    from reactieveld import fetchproc

    monkeypatch.setattr(
        fetchproc,
        "_CHILD",
        "import sys; sys.stderr.write('x' * 200_000 + '\\nImportError: no httpx here\\n'); "
        "sys.exit(3)",
    )
    store = await SqliteStore.open(tmp_path / "m.db")
    engine = SyncEngine.from_config(config(fake.base), store)
    try:
        res = await engine.sync_source("blog")
        assert not res.ok and res.retryable
        assert res.error.startswith("the fetch process stopped unexpectedly (exit code 3): ")
        # Its last words, however long the lines before them (the pipe is drained in chunks).
        assert res.error.endswith("ImportError: no httpx here")
        assert len(res.error) < 2_000

        # A second child that cannot start either: the engine stops trying, says so, and
        # the next round fetches in this process. Nothing is lost.
        again = await engine.sync_source("blog")
        assert "fetching in this process from now on" in again.error
        assert engine.fetcher.starts == 2
        third = await engine.sync_source("blog")
        assert third.ok and third.new == 1_200
        assert engine.fetcher.starts == 2  # no third child
        assert engine.sources["blog"].connector.client.requests_sent > 0
    finally:
        await engine.aclose()
        await store.close()
    got, n, _ = rows(tmp_path / "m.db")
    assert got == fake.by_status() and n == 1_200
