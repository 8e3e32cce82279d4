"""One sync for the team, visible to everybody (issue 13): a headless ``reactieveld sync``
in another process stores what it fetched; every open app (a moderator's, a reader's)
shows the new rows, the tab counts and the sources' state without syncing itself, the
cursor and marks kept; an app whose source another process syncs leaves it alone and says
"synced by <name>", not an error.

The server is the real loopback Discourse fake; the other process is a second store
(connection) with its own engine; PostgreSQL is a real throwaway cluster, and SQLite a
second connection to one file. No sleeps: the tests wait on the app's messages and state,
each wait bounded."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fakes.discourse import FakeDiscourse
from helpers.app import SMALL, until
from helpers.team import forum_config as _config
from helpers.team import header

import reactieveld.sync as sync_module
from reactieveld.model import utcnow
from reactieveld.store.open import open_store
from reactieveld.store.pg.store import PostgresStore
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import ELSEWHERE_GRACE_SECONDS, SyncEngine, SyncEvent, run_sync
from reactieveld.tui.messages import SourcesSynced

pytestmark = pytest.mark.usefixtures("tui_env")

SERVICE = "service sync"


async def _new_rows_reach_the_open_app(
    service: Any, mine: Any, config: Any, forum: FakeDiscourse, make_app: Any
) -> None:
    """The service syncs the forum (3 posts); the app opens on them, moves its cursor and
    marks a row; the service syncs a new post: the app shows it, keeps cursor and marks,
    recounts the tabs and says who synced."""
    engine = SyncEngine.from_config(config, service, fetch_process=False, by=SERVICE)
    heard = asyncio.Event()

    def hook(message: Any) -> None:
        if isinstance(message, SourcesSynced) and "forum" in message.sources:
            heard.set()

    app = make_app(mine, language="en")
    try:
        first = await engine.sync_source("forum")
        assert first.ok and first.new == 3
        async with app.run_test(size=SMALL, message_hook=hook) as pilot:
            screen = app.screen
            await screen.queue.loaded.wait()
            await asyncio.wait_for(app.live_ready.wait(), timeout=30)
            await pilot.press("j")
            await pilot.press("space")
            await pilot.press("j")
            queue = screen.queue
            under = queue.current.response.id
            marked = set(queue.marked)
            assert len(marked) == 1 and under not in marked
            assert queue.total == 3

            forum.add_post(next(iter(forum.topics)), "Een nieuw bericht van de dienst")
            done = await engine.sync_source("forum")
            assert done.ok and done.new == 1
            # The other process's notice (PostgreSQL: NOTIFY; SQLite: the live poll).
            await asyncio.wait_for(heard.wait(), timeout=30)
            await until(
                pilot,
                lambda: queue.total == 4 and f"forum synced by {SERVICE} (" in header(app),
                "the new row and the service's name in the open app",
            )
            await until(
                pilot,
                lambda: app.last_counts is not None and app.last_counts.total == 4,
                "the tab counts to follow",
            )
            assert queue.current.response.id == under  # the cursor stayed on its response
            assert queue.marked == marked  # and the marks stayed
            assert "error" not in header(app)
            assert not [n for n in app._notifications if n.severity == "error"]
    finally:
        await engine.aclose()


async def test_postgresql_a_sync_elsewhere_reaches_an_open_app(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse, make_app: Any
) -> None:
    config = _config(tmp_path, forum)
    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    try:
        await _new_rows_reach_the_open_app(service, mine, config, forum, make_app)
    finally:
        await service.close()
        await mine.close()


async def test_sqlite_a_sync_elsewhere_reaches_an_open_app(
    tmp_path: Path, forum: FakeDiscourse, make_app: Any
) -> None:
    config = _config(tmp_path, forum)
    service = await SqliteStore.open(tmp_path / "memory.db")
    mine = await SqliteStore.open(tmp_path / "memory.db")
    try:
        await _new_rows_reach_the_open_app(service, mine, config, forum, make_app)
    finally:
        await service.close()
        await mine.close()


async def test_a_readers_header_shows_the_sources_state(
    tmp_path: Path, pg_url: str, pg_cluster: Any, forum: FakeDiscourse, make_app: Any
) -> None:
    config = _config(tmp_path, forum)
    service = await PostgresStore.open(pg_url)
    engine = SyncEngine.from_config(config, service, fetch_process=False, by=SERVICE)
    reader = await open_store(pg_cluster.role_url(pg_url, "lezer", "reactieveld_reader"))
    app = make_app(reader, language="en")
    try:
        assert reader.read_only
        done = await engine.sync_source("forum")
        assert done.ok
        stored = await reader.source_state("forum")
        assert stored is not None and stored.last_success is not None
        async with app.run_test(size=SMALL) as pilot:
            await app.screen.queue.loaded.wait()
            await until(
                pilot,
                lambda: (
                    f"forum synced by {SERVICE} (last {stored.last_success:%H:%M})" in header(app)
                ),
                "the reader's header to show the source",
            )
    finally:
        await engine.aclose()
        await service.close()
        await reader.close()


def _noted_pauses(monkeypatch: Any) -> tuple[list[float], asyncio.Event]:
    """The engine's waits before its next round: noted (and the event set), then held
    until the app stops."""
    waits: list[float] = []
    waited = asyncio.Event()

    async def pause(delay: float, stop: asyncio.Event, woken: asyncio.Event) -> None:
        waits.append(delay)
        waited.set()
        await stop.wait()

    monkeypatch.setattr(sync_module, "pause", pause)
    return waits, waited


async def _the_service_named(app: Any, pilot: Any, waited: asyncio.Event) -> None:
    """The app's queue loaded, its engine waiting for its next round, and the header
    naming the service."""
    await app.screen.queue.loaded.wait()
    await asyncio.wait_for(waited.wait(), timeout=30)
    await until(
        pilot,
        lambda: f"forum synced by {SERVICE} (" in header(app),
        "the header to name the service",
    )


def _left_until_the_services_next_try(waits: list[float], next_try: Any) -> None:
    """One wait: until the service's next try (an hour: its poll) and two minutes more
    (stored in whole seconds: a few seconds either way)."""
    ahead = (next_try - utcnow()).total_seconds()
    assert len(waits) == 1
    assert abs(waits[0] - (ahead + ELSEWHERE_GRACE_SECONDS)) < 5


async def test_an_app_leaves_a_source_the_service_syncs_and_says_by_whom(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse, make_app: Any, monkeypatch: Any
) -> None:
    config = _config(tmp_path, forum)
    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    first = SyncEngine.from_config(config, service, fetch_process=False, by=SERVICE)
    engine = SyncEngine.from_config(config, mine, fetch_process=False, by="tester app")
    waits, waited = _noted_pauses(monkeypatch)
    said: list[SyncEvent] = []
    engine.subscribe(said.append)
    app = make_app(mine, language="en", engine=engine)
    try:
        assert (await first.sync_source("forum")).ok
        stored = await mine.source_state("forum")
        assert stored is not None and stored.synced_by == SERVICE and stored.next_try
        async with service.source_lock("forum") as held:
            assert held
            fetched = len(forum.requests)
            async with app.run_test(size=SMALL) as pilot:
                await _the_service_named(app, pilot, waited)
                assert "error" not in header(app)
                assert not [n for n in app._notifications if n.severity == "error"]
                assert [e.kind for e in said] == ["elsewhere"]
                _left_until_the_services_next_try(waits, stored.next_try)
                assert len(forum.requests) == fetched
    finally:
        await engine.aclose()
        await first.aclose()
        await service.close()
        await mine.close()


async def _an_app_between_the_services_rounds(
    config: Any, service: Any, mine: Any, forum: FakeDiscourse, make_app: Any, monkeypatch: Any
) -> None:
    """The service synced the forum and holds no lock now (it waits for its next round,
    an hour on): an app opened between its rounds fetches nothing of the forum, names
    the service and waits until the service's next try plus the grace."""
    first = SyncEngine.from_config(config, service, fetch_process=False, by=SERVICE)
    engine = SyncEngine.from_config(config, mine, fetch_process=False, by="tester app", defers=True)
    waits, waited = _noted_pauses(monkeypatch)
    app = make_app(mine, language="en", engine=engine)
    try:
        assert (await first.sync_source("forum")).ok
        stored = await mine.source_state("forum")
        assert stored is not None and stored.synced_by == SERVICE and stored.next_try
        fetched = len(forum.requests)
        async with app.run_test(size=SMALL) as pilot:
            await _the_service_named(app, pilot, waited)
            assert len(forum.requests) == fetched  # the app fetched nothing
            after = await mine.source_state("forum")
            assert after is not None and after.synced_by == SERVICE
            _left_until_the_services_next_try(waits, stored.next_try)
    finally:
        await engine.aclose()
        await first.aclose()


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_an_app_leaves_the_source_between_the_services_rounds(
    backend: str,
    tmp_path: Path,
    request: Any,
    forum: FakeDiscourse,
    make_app: Any,
    monkeypatch: Any,
) -> None:
    config = _config(tmp_path, forum)
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
        service, mine = await PostgresStore.open(url), await PostgresStore.open(url)
    else:
        service = await SqliteStore.open(tmp_path / "memory.db")
        mine = await SqliteStore.open(tmp_path / "memory.db")
    try:
        await _an_app_between_the_services_rounds(
            config, service, mine, forum, make_app, monkeypatch
        )
    finally:
        await service.close()
        await mine.close()


async def test_the_sync_command_records_who_synced(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse
) -> None:
    config = _config(tmp_path, forum)
    store = await PostgresStore.open(pg_url)
    try:
        code = await run_sync(
            config, store, once=True, printer=lambda _: None, engine_kwargs={"fetch_process": False}
        )
        assert code == 0
        state = await store.source_state("forum")
        role = await store.whoami()
        assert role and state is not None and state.synced_by == f"{role} sync"
    finally:
        await store.close()


async def test_sqlite_live_names_the_source_another_connection_synced(
    tmp_path: Path, forum: FakeDiscourse
) -> None:
    config = _config(tmp_path, forum)
    service = await SqliteStore.open(tmp_path / "memory.db")
    mine = await SqliteStore.open(tmp_path / "memory.db")
    engine = SyncEngine.from_config(config, service, fetch_process=False, by=SERVICE)
    try:
        assert not await mine.poll_changes()  # the first look takes the position
        assert (await engine.sync_source("forum")).ok
        found = await mine.poll_changes()
        assert found.sources == ("forum",) and found.ids == ()
        assert not await mine.poll_changes()  # nothing since
        # A round's end that changed the stored state (here: it failed) is news too.
        await service.record_sync("forum", error="HTTP 502", by=SERVICE)
        assert (await mine.poll_changes()).sources == ("forum",)
        assert (await mine.source_state("forum")).synced_by == SERVICE  # type: ignore[union-attr]
    finally:
        await engine.aclose()
        await service.close()
        await mine.close()


async def test_postgresql_ingest_announces_its_source_by_name_only(pg_url: str) -> None:
    from helpers.live import listening
    from helpers.store import page, resp

    from reactieveld.model import Source

    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    try:
        await service.ensure_source(Source("blog", "wordpress"))
        async with listening(mine) as heard, listening(service) as own:
            up = await service.upsert_page("blog", page(resp("1", "Hallo")))
            assert up.new == 1
            found = await heard.next()  # sent on the page's commit: its source, no ids
            assert found.sources == ("blog",) and found.ids == () and found
            await service.record_sync("blog", by=SERVICE)  # the round's end
            assert (await heard.next()).sources == ("blog",)
            # The syncing store's own subscription hears none of its own notices: the
            # next set it gets is another connection's round.
            await mine._write(lambda c: c.execute("SELECT 1"))
            await mine.record_sync("blog", by="tester app")
            assert (await own.next()).sources == ("blog",)
    finally:
        await service.close()
        await mine.close()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "forum gesynchroniseerd door reactieveld_sync sync (fout, laatst 01-03-2024 12:05)"),
        ("en", "forum synced by reactieveld_sync sync (error, last 01-03-2024 12:05)"),
    ],
)
def test_who_synced_is_said_in_characters(language: str, expected: str) -> None:
    from datetime import UTC, datetime

    from reactieveld.i18n import I18n
    from reactieveld.tui.widgets.status_line import SourceStatus, StatusLine

    line = StatusLine(i18n=I18n(language), tz=UTC)
    when = datetime(2024, 3, 1, 12, 5, tzinfo=UTC)
    line.sources = [
        SourceStatus(
            "forum", "elsewhere", error="HTTP 502", last_success=when, by="reactieveld_sync sync"
        )
    ]
    shown = line.render_content().plain
    assert shown == expected
    # A name with control characters or markup stays one line of plain characters.
    line.sources = [SourceStatus("forum", "elsewhere", by="[b]x\nsync")]
    assert "\n" not in line.render_content().plain
    assert "[b]x" in line.render_content().plain


async def test_the_app_does_not_hear_its_own_engine_as_another_process(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse, make_app: Any, monkeypatch: Any
) -> None:
    """The app's own engine writes through a store of its own (another connection, as
    ``run_app`` opens it): its pages and round are this app's, refreshed by the engine's
    events, not heard again as another process's sync; another store's round is."""
    from reactieveld.model import Source

    config = _config(tmp_path, forum)
    mine, own = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    other = await PostgresStore.open(pg_url)
    engine = SyncEngine.from_config(config, own, fetch_process=False, by="tester app")
    # The engine's first round waits inside its fetch until the app listens.
    listening, rounds = asyncio.Event(), asyncio.Event()
    connector = engine.sources["forum"].connector
    fetch = connector.fetch

    async def held(cursor: str | None) -> Any:
        await listening.wait()
        async for one in fetch(cursor):
            yield one

    async def pause(delay: float, stop: asyncio.Event, woken: asyncio.Event) -> None:
        await stop.wait()  # one round: the next waits until the app stops

    connector.fetch = held  # type: ignore[method-assign]
    monkeypatch.setattr(sync_module, "pause", pause)
    engine.subscribe(lambda ev: rounds.set() if ev.kind == "round" else None)
    heard: list[tuple[str, ...]] = []
    blog = asyncio.Event()

    def hook(message: Any) -> None:
        if isinstance(message, SourcesSynced):
            heard.append(message.sources)
            if "blog" in message.sources:
                blog.set()

    await other.ensure_source(Source("blog", "wordpress"))
    app = make_app(mine, language="en", engine=engine)
    try:
        async with app.run_test(size=SMALL, message_hook=hook) as pilot:
            queue = app.screen.queue
            await queue.loaded.wait()
            await asyncio.wait_for(app.live_ready.wait(), timeout=30)
            listening.set()
            await asyncio.wait_for(rounds.wait(), timeout=30)
            state = await mine.source_state("forum")
            assert state is not None and state.synced_by == "tester app"  # stored
            # Another process's round comes after the engine's pages and round (one
            # listening connection hears them in commit order).
            await other.record_sync("blog", by=SERVICE)
            await asyncio.wait_for(blog.wait(), timeout=30)
            await until(pilot, lambda: queue.total == 3, "the engine's rows in the queue")
            assert heard == [("blog",)]  # nothing of its own engine's "forum"
    finally:
        await engine.aclose()
        for store in (mine, own, other):
            await store.close()
