"""Crash safety: a `reactieveld sync` process SIGKILLed mid-way, then run again.

The server is the WordPress-shaped local server (tools/wp-real/fakewp.py) on 127.0.0.1,
because it can stop at an exact request: the test waits for that request (an Event, no
sleeps), kills the sync process, and lets the server go on.
"""

from __future__ import annotations

import signal
import threading

import pytest
from crashcases import memory_rows, run_sync, start_sync, sync_files
from procs import children, ended
from wpreal import served_fakewp

from reactieveld.model import RemoteStatus
from reactieveld.store.sqlite import SqliteStore


@pytest.fixture
def fake():
    with served_fakewp(10_000) as wp:
        yield wp


def kill_at(wp, cfg, db, when):
    """Run sync until the server sees a request for which when(...) is true, SIGKILL it
    while that request is held, then let the server continue."""
    reached, release = threading.Event(), threading.Event()

    def hook(method, path, q):
        if when(method, path, q) and not reached.is_set():
            reached.set()
            release.wait(60)

    return reached, release, hook


def test_sigkill_mid_full_sync_then_rerun_ends_equal(fake, tmp_path):
    cfg, db = sync_files(tmp_path, fake.base)
    count = {"n": 0}

    def is_50th_listing(method, path, q):
        if path.endswith("/comments") and method == "GET":
            count["n"] += 1
            return count["n"] == 50
        return False

    reached, release, hook = kill_at(fake, cfg, db, is_50th_listing)
    fake.hook = hook
    child = start_sync(cfg, db)
    try:
        assert reached.wait(120), "the sync never got to page 50"
        # The listing is held by the sync's fetch process (reactieveld.fetchproc).
        fetchers = children(child.pid)
        assert len(fetchers) == 1
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        release.set()
        fake.hook = None
    assert child.returncode == -signal.SIGKILL
    assert ended(fetchers[0])  # the fetch process does not outlive the sync it served

    partial, n, fts = memory_rows(db)
    assert 0 < len(partial) < 10_000  # killed in the middle, with pages stored
    assert n == fts == len(partial)

    out = run_sync(cfg, db)
    assert "blog:" in out
    rows, n, fts = memory_rows(db)
    assert rows == fake.by_status()  # every id with its status; nothing skipped
    assert n == fts == 10_000  # nothing stored twice, not even in the index

    again = run_sync(cfg, db)
    assert "blog: 0 new, 0 updated" in again


@pytest.mark.parametrize("moment", ["before-applied", "after-applied"])
async def test_outbox_entry_pending_at_sigkill_is_applied_once(fake, tmp_path, moment):
    cfg, db = sync_files(tmp_path, fake.base)
    fake.comments = {i: c for i, c in fake.comments.items() if i <= 300}
    fake.ids = sorted(fake.comments)
    run_sync(cfg, db)

    target = next(i for i in fake.ids if fake.comments[i]["status"] == "hold")
    store = await SqliteStore.open(db)
    try:
        row = await store.get_by_external("blog", str(target))
        out = await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="t")
        assert len(out.outbox_ids) == 1
    finally:
        await store.close()

    posts = []

    def is_post(method, path, q):
        if method == "POST" and path.endswith(f"/comments/{target}"):
            posts.append(1)
            return True
        return False

    reached, release, hook = kill_at(fake, cfg, db, is_post)
    if moment == "before-applied":
        fake.hook = hook
    else:
        fake.after_hook = hook
    changes_before = fake.status_changes
    child = start_sync(cfg, db)
    try:
        assert reached.wait(120), "the write-back never reached the server"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        fake.hook = fake.after_hook = None
        release.set()

    out = run_sync(cfg, db)
    assert "outbox: 1 applied" in out
    assert fake.comments[target]["status"] == "approved"
    assert fake.status_changes - changes_before == 1  # applied exactly once
    store = await SqliteStore.open(db)
    try:
        [item] = await store.outbox_items()
        assert item.state.value == "done"
        assert (
            await store.get_by_external("blog", str(target))
        ).response.remote_status is RemoteStatus.APPROVED
    finally:
        await store.close()
    assert "outbox" not in run_sync(cfg, db)  # nothing left to apply


# -- random kill points (tests/crashcases.py; tools/crash_suite.py runs 20 of each) -------
@pytest.mark.parametrize("seed", [3, 11])
def test_sigkill_at_a_random_listing_loses_and_doubles_nothing(tmp_path, seed):
    from crashcases import sync_case

    out = sync_case(seed, tmp_path)
    assert out.clean, out


@pytest.mark.parametrize(
    "seed",
    [
        11,  # POST 6 (a reply) after the server created it: its answer never read
        1,  # POST 1 (a decision) after the server applied it: its answer never read
        8,  # POST 5 (a reply) dropped before the server saw it
    ],
)
def test_sigkill_at_a_random_write_back_loses_and_repeats_nothing(tmp_path, seed):
    from crashcases import writeback_case

    out = writeback_case(seed, tmp_path)
    assert out.point == {11: "POST 6/6 after", 1: "POST 1/6 after", 8: "POST 5/6 before"}[seed]
    assert out.clean, out
