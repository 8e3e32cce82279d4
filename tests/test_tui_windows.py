"""Two windows (two apps of one moderator) on one memory, each syncing the source itself
(on SQLite every round gets the source): what one window's round recorded is what the
other's header says at its next look at the store, not what its own last round left in
its memory. The server is the real loopback Discourse fake, failing and then recovering;
no sleeps: the test waits on the apps' own messages and state, each wait bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.discourse import FakeDiscourse
from helpers.app import SMALL, record_notices, until
from helpers.team import forum_config, header
from helpers.wpsite import no_retry_waits
from hypothesis import example, given
from hypothesis import strategies as st

from reactieveld.model import utcnow
from reactieveld.store.base import SourceState
from reactieveld.store.pg.store import PostgresStore
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.app import app_sync
from reactieveld.tui.widgets.status_line import SourceStatus, newer_round

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_second_window_says_ok_once_the_first_recorded_a_good_round(
    backend: str,
    tmp_path: Path,
    request: Any,
    forum: FakeDiscourse,
    make_app: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The forum is down: both windows' rounds fail ("error", retried in an hour). It
    comes back and the first window's retry succeeds: the second window's header drops
    "error" at its next look at the store (its live notice), long before its own retry."""
    no_retry_waits(monkeypatch)
    forum.fail_next(503, times=10**6)  # down until it recovers
    config = forum_config(tmp_path, forum)
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
        stores = [await PostgresStore.open(url) for _ in range(4)]
    else:
        stores = [await SqliteStore.open(tmp_path / "memory.db") for _ in range(4)]
    (store_a, sync_a, store_b, sync_b) = stores
    engine_a, outbox_a, _ = await app_sync(config, sync_a, fetch_process=False)
    engine_b, outbox_b, _ = await app_sync(config, sync_b, fetch_process=False)
    app_a = make_app(store_a, language="en", engine=engine_a, outbox=outbox_a)
    app_b = make_app(store_b, language="en", engine=engine_b, outbox=outbox_b)
    try:
        async with app_a.run_test(size=SMALL) as pa:
            await until(pa, lambda: "forum error" in header(app_a), "the first's failed round")
            # The second window opens after the first's round: its own round fails too
            # (PostgreSQL's lock is let go by then; on SQLite the rounds never wait).
            async with app_b.run_test(size=SMALL) as pb:
                both = [pa, pb]
                await until(pb, lambda: "forum error" in header(app_b), "the second's failed round")
                forum.recover()
                engine_a.wake("forum")  # the first window's retry (its user's key)
                await until(both, lambda: "forum ok" in header(app_a), "the first window's round")
                await until(
                    both, lambda: "error" not in header(app_b), "the second window to drop 'error'"
                )
                assert "forum ok" in header(app_b), header(app_b)
                state = await store_b.source_state("forum")
                assert state is not None and state.last_error is None
    finally:
        for engine in (engine_a, engine_b):
            await engine.aclose()
        for store in stores:
            await store.close()


async def test_a_round_failed_before_another_windows_success_is_not_said_over_it(
    tmp_path: Path, forum: FakeDiscourse, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's retry fails (a new error) while the forum is down; before the window
    hears its own round, the forum comes back and another window records a good round:
    the store's newer success is what the header says ("ok"), and the older failure is
    not told."""
    no_retry_waits(monkeypatch)
    forum.fail_next(503, times=10**6)
    config = forum_config(tmp_path, forum)
    stores = [await SqliteStore.open(tmp_path / "memory.db") for _ in range(3)]
    (store_b, sync_a, sync_b) = stores
    engine_a, _, _ = await app_sync(config, sync_a, fetch_process=False)
    engine_b, outbox_b, _ = await app_sync(config, sync_b, fetch_process=False)
    armed = False

    async def the_other_window_syncs(event: Any) -> None:
        # Heard before the app's own listener (subscribed first): the round was recorded.
        nonlocal armed
        if event.kind == "error" and armed:
            armed = False
            forum.recover()
            assert (await engine_a.sync_source("forum")).ok

    engine_b.subscribe(the_other_window_syncs)
    app_b = make_app(store_b, language="en", engine=engine_b, outbox=outbox_b)
    said = record_notices(app_b)
    try:
        async with app_b.run_test(size=SMALL) as pb:
            await until(pb, lambda: "forum error" in header(app_b), "the first failed round")
            told = len(said)
            forum.recover()
            forum.fail_next(401, times=10**6)  # failing otherwise: a new error, said if told
            armed = True
            engine_b.wake("forum")  # the retry, still failing
            await until(pb, lambda: not armed and "forum ok" in header(app_b), "the newer success")
            assert len(said) == told, said
            assert "error" not in header(app_b), header(app_b)
    finally:
        for engine in (engine_a, engine_b):
            await engine.aclose()
        for store in stores:
            await store.close()


_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_seconds = st.none() | st.integers(-5, 5).map(lambda n: _AT + timedelta(seconds=n))
_rounds = st.none() | st.integers(1, 5)


@given(
    shown=st.sampled_from(["ok", "error", "unread", "syncing", "elsewhere", "stored"]),
    seen=_rounds,
    stored=_rounds,
    success=_seconds,
    failed_at=_seconds,
    by=st.sampled_from([None, "anna app", "bert sync"]),
)
# A failure recorded in the second of the success the window saw, by a newer round: the
# times cannot order them (whole seconds), the rounds' numbers do.
@example(shown="ok", seen=3, stored=4, success=_AT, failed_at=_AT, by=None)
def test_an_own_source_takes_only_a_newer_round_from_the_store(
    shown: str,
    seen: int | None,
    stored: int | None,
    success: datetime | None,
    failed_at: datetime | None,
    by: str | None,
) -> None:
    """Every case of what a window shows against what the store holds: the store's round
    is taken only when its number is higher than the round the window shows (the store's
    own rule for which end stands: a success after the window's "error", a failure after
    its "ok", whatever their times say), said as "synced by" exactly where the engine
    would leave the source to that process; never for a state that is not the window's
    own rounds'."""
    before = SourceStatus(
        "forum", shown, error="x" if shown == "error" else None, last_success=_AT, round_no=seen
    )
    error = "HTTP 503" if failed_at is not None else None
    next_try = utcnow() + timedelta(hours=1)
    state = SourceState(
        "forum",
        "discourse",
        last_success=success,
        last_error=error,
        last_error_at=failed_at,
        next_try=next_try,
        synced_by=by,
        recorded_round=stored,
    )
    now = newer_round(before, state, "anna app")
    newer = shown in ("ok", "error") and stored is not None and (seen is None or stored > seen)
    assert (now is not None) == newer, (before, state, now)
    if now is not None:
        assert now.error == error and now.last_success == success
        elsewhere = by not in (None, "anna app")
        assert now.state == ("elsewhere" if elsewhere else "ok" if error is None else "error")
        assert now.round_no == (None if elsewhere else stored)
