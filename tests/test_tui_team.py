"""The app on a team's PostgreSQL database (issue 13, item 6): when another process (the
team's ``reactieveld sync`` service, a colleague's app) syncs a source, the app fetches
nothing of it, shows "wordt elders gesynchroniseerd" with the last sync that process
stored, and says no error. The server is a real loopback Discourse fake; the lock is held
by a second PostgreSQL connection. No sleeps: the test waits on the engine's events and
the app's own state."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fakes.discourse import FakeDiscourse
from helpers.app import SMALL
from helpers.store import page, resp
from helpers.team import forum_config as _config
from helpers.team import header, until

from reactieveld.store.pg.store import PostgresStore
from reactieveld.sync import SyncEngine, SyncEvent

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.mark.parametrize(
    ("language", "said"), [("nl", "wordt elders gesynchroniseerd"), ("en", "synced elsewhere")]
)
async def test_a_source_synced_elsewhere_is_shown_with_its_stored_state_and_not_fetched(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse, make_app: Any, language: str, said: str
) -> None:
    config = _config(tmp_path, forum)
    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    # The team's sync service synced the forum once (3 posts), and keeps its lock.
    first = SyncEngine.from_config(config, service, fetch_process=False)
    engine = SyncEngine.from_config(config, mine, fetch_process=False)
    skipped = asyncio.Event()

    def on_event(ev: SyncEvent) -> None:
        if ev.kind == "elsewhere":
            skipped.set()

    engine.subscribe(on_event)
    app = make_app(mine, language=language, engine=engine)
    try:
        done = await first.sync_source("forum")
        assert done.ok and done.new == 3
        fetched = len(forum.requests)
        stored = await mine.source_state("forum")
        assert stored is not None and stored.last_success is not None
        async with service.source_lock("forum") as held:
            assert held
            async with app.run_test(size=SMALL) as pilot:
                screen = app.screen
                await screen.queue.loaded.wait()
                await asyncio.wait_for(skipped.wait(), timeout=30)
                await until(
                    pilot,
                    lambda: app._sources["forum"].state == "elsewhere" and said in header(app),
                    "the header to say the source is synced elsewhere",
                )
                # In characters, at 80x24, with the time the service stored (UTC here).
                line = header(app)
                assert f"forum {said} (" in line, line
                last = "laatst" if language == "nl" else "last"
                assert f"{last} {stored.last_success:%H:%M})" in line, line
                assert "fout" not in line and "error" not in line
                assert not [n for n in app._notifications if n.severity == "error"]
                assert screen.queue.total == 3  # what the service stored is in the queue

                # The service stores a new round meanwhile (a new post, its round a
                # minute later): at the app's next round (a wake here, its poll
                # otherwise) the header and the queue follow it.
                skipped.clear()
                await service.upsert_page(
                    "forum", page(resp("later", "Later bericht", source="forum", thread=None))
                )
                await service.record_sync("forum")
                await service._write(
                    lambda c: c.execute(
                        "UPDATE sources SET last_success = last_success + 60 WHERE name = 'forum'"
                    )
                )
                again = await mine.source_state("forum")
                assert again is not None and again.last_success is not None
                engine.wake("forum")
                await asyncio.wait_for(skipped.wait(), timeout=30)
                await until(
                    pilot,
                    lambda: (
                        screen.queue.total == 4
                        and f"{last} {again.last_success:%H:%M})" in header(app)
                    ),
                    "the header and the queue to show the service's newer round",
                )
                # Nothing was fetched by the app while the service held the source.
                assert len(forum.requests) == fetched
    finally:
        await engine.aclose()
        await first.aclose()
        await service.close()
        await mine.close()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "forum wordt elders gesynchroniseerd (fout, laatst 2024-03-01 12:05)"),
        ("en", "forum synced elsewhere (error, last 2024-03-01 12:05)"),
    ],
)
def test_the_stored_error_and_an_older_day_are_said_in_characters(
    language: str, expected: str
) -> None:
    from datetime import UTC, datetime

    from reactieveld.i18n import I18n
    from reactieveld.tui.widgets.status_line import SourceStatus, StatusLine

    line = StatusLine(i18n=I18n(language), tz=UTC)
    when = datetime(2024, 3, 1, 12, 5, tzinfo=UTC)
    line.sources = [SourceStatus("forum", "elsewhere", error="HTTP 502", last_success=when)]
    assert line.render_content().plain == expected
    line.sources = [SourceStatus("forum", "elsewhere")]
    never = "nog nooit" if language == "nl" else "never yet"
    assert line.render_content().plain.endswith(f"({never})")
