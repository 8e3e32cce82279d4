"""Sync under faults a real server cannot produce on demand (httpx.MockTransport).

The WordPress behind the transport is the WordPress-shaped fake of tools/wp-real; a
fault is switched on for some requests of the first round. Whatever the fault: the
error is visible per source, what was stored stays, and the next round ends with the
store equal to the site, nothing stored twice.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3

import httpx
import pytest
from helpers.wpsite import Site

from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, SyncEvent, known_statuses

N = 650  # seven listing pages


@pytest.fixture
async def setup(tmp_path):
    site = Site(N)
    store = await SqliteStore.open(tmp_path / "m.db")
    cfg, conn = site.source(attempts=3)
    events: asyncio.Queue[SyncEvent] = asyncio.Queue()
    engine = SyncEngine(store, [(cfg, conn)], listeners=[events])
    yield site, store, engine, events, tmp_path / "m.db"
    await engine.aclose()
    await store.close()


def counts(db):
    con = sqlite3.connect(db)
    try:
        return (
            con.execute("SELECT count(*) FROM responses").fetchone()[0],
            con.execute("SELECT count(*) FROM responses_fts").fetchone()[0],
        )
    finally:
        con.close()


def truncated(request, n):
    body = json.dumps([{"id": 1, "post": 1}] * 50)
    return httpx.Response(
        200, content=body[: len(body) // 2].encode(), headers={"Content-Type": "application/json"}
    )


def refused(request, n):
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def timeout(request, n):
    raise httpx.ReadTimeout("timed out", request=request)


FAULTS = {
    "timeout": (timeout, "read timeout"),
    "refused": (refused, "cannot connect"),
    "500": (lambda r, n: httpx.Response(500, text="Internal Server Error"), "HTTP 500"),
    "429": (lambda r, n: httpx.Response(429, headers={"Retry-After": "900"}), "HTTP 429"),
    "malformed": (
        lambda r, n: httpx.Response(
            200, content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        "malformed JSON",
    ),
    "truncated": (truncated, "malformed JSON"),
    "html": (
        lambda r, n: httpx.Response(
            200,
            content=b"<html><h1>Error establishing a database connection</h1></html>",
            headers={"Content-Type": "text/html; charset=UTF-8"},
        ),
        "expected JSON but got text/html",
    ),
    "credentials": (
        lambda r, n: httpx.Response(
            401, json={"code": "invalid_username", "message": "Unknown username."}
        ),
        "HTTP 401",
    ),
}


@pytest.mark.parametrize("name", list(FAULTS))
async def test_fault_mid_sync_then_recovery(setup, name):
    site, store, engine, events, db = setup
    fault, expect = FAULTS[name]
    site.fault = lambda request, n: fault(request, n) if n >= 4 else None

    first = await engine.sync_source("blog")
    assert not first.ok and expect in first.error
    state = await store.source_state("blog")
    assert expect in state.last_error and state.next_try is not None
    kinds = []
    while not events.empty():
        kinds.append(events.get_nowait())
    assert any(e.kind == "error" and expect in str(e) for e in kinds)
    assert first.new == 300  # the three pages before the fault are kept
    assert counts(db) == (300, 300)
    if name == "credentials":
        assert "username and password" in state.last_error

    site.fault = None
    second = await engine.sync_source("blog")
    assert second.ok, second.error
    assert second.new == N - 300
    assert (await store.source_state("blog")).last_error is None
    got = {k: v.value for k, v in (await known_statuses(store, "blog")).items()}
    assert got == site.fake.by_status()
    assert counts(db) == (N, N)


async def test_same_page_twice_changes_nothing(setup):
    site, store, engine, events, db = setup
    assert (await engine.sync_source("blog")).ok
    # Forget the cursor (as after a crash before it was written): everything repeats.
    await store.set_cursor("blog", None)
    again = await engine.sync_source("blog")
    assert again.ok and again.new == 0 and again.updated == 0
    assert counts(db) == (N, N)


async def test_run_loop_stops_cleanly(setup):
    site, store, engine, events, db = setup
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    while True:
        ev = await asyncio.wait_for(events.get(), 30)
        if ev.kind == "round":
            break
    stop.set()
    await asyncio.wait_for(task, 10)
    assert counts(db) == (N, N)
    assert (await store.source_state("blog")).last_success is not None
