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
from helpers.app import SMALL, until
from helpers.store import open_store, page, resp
from helpers.team import forum_config as _config
from helpers.team import header
from hypothesis import example, given, settings
from hypothesis import strategies as st

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
        ("nl", "forum wordt elders gesynchroniseerd (fout, laatst 01-03-2024 12:05)"),
        ("en", "forum synced elsewhere (error, last 01-03-2024 12:05)"),
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


#: The longest source name and syncing process's name the header shows (one_line limit).
LONGEST = 30
WORDS = {
    "nl": ("gesynchroniseerd door", "fout", "laatst"),
    "en": ("synced by", "error", "last"),
}
names = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), min_size=1, max_size=40
).filter(lambda s: s.strip())


@settings(max_examples=80, deadline=None)
@given(
    language=st.sampled_from(["nl", "en"]),
    source=names,
    by=names,
    error=st.booleans(),
    days=st.integers(min_value=0, max_value=900),
)
@example(language="nl", source="forum", by="reactieveld_sync sync", error=True, days=400)
@example(language="nl", source="b" * LONGEST, by="s" * LONGEST, error=True, days=1)
@example(language="en", source="界" * LONGEST, by="界" * LONGEST, error=True, days=1)
def test_the_synced_by_state_fits_80_columns(
    language: str, source: str, by: str, error: bool, days: int
) -> None:
    """Dutch, a stored error, an older day and the longest names: the line fits 80
    columns and says each state word and the whole time in characters; the names give
    way first (the syncing process's, then the source's)."""
    from datetime import UTC, datetime, timedelta

    from rich.cells import cell_len

    from reactieveld.i18n import I18n
    from reactieveld.text import one_line
    from reactieveld.tui.widgets.status_line import SourceStatus, StatusLine

    # The line's today is its clock's (the app's), fixed here: no midnight in the test.
    now = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
    line = StatusLine(i18n=I18n(language), tz=UTC, clock=lambda: now)
    when = now.replace(hour=12, minute=5) - timedelta(days=days)
    line.sources = [
        SourceStatus(
            source, "elsewhere", error="HTTP 502" if error else None, last_success=when, by=by
        )
    ]
    shown = line.render_content(80).plain
    assert cell_len(shown) <= 80, shown
    said, fout, last = WORDS[language]
    assert f" {said} " in shown
    assert (f"({fout}, {last} " in shown) == error, shown
    stamp = "12:05" if days == 0 else f"{when:%d-%m-%Y} 12:05"  # another day: its year too
    assert shown.endswith(f"{last} {stamp})"), shown
    state = f"{fout}, " if error else ""
    full = f"{one_line(source)} {said} {one_line(by)} ({state}{last} {stamp})"
    if cell_len(full) <= 80 and len(by) <= LONGEST and len(source) <= LONGEST:
        assert shown == full  # room enough: nothing cut


@pytest.mark.usefixtures("no_color")
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_worst_synced_by_header_on_screen_at_80x24(
    tmp_path: Path, make_app: Any, language: str
) -> None:
    """On screen, NO_COLOR, at 80x24: the source another process syncs with the longest
    name, its stored error and a last sync on an older day: every state word and the
    whole time are on the first line."""
    from reactieveld.model import Source
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "m.db")  # "forum" alone: the longest line
    await store.ensure_source(Source("forum", "discourse"))
    name = "s" * LONGEST
    await store.record_sync("forum", error="HTTP 502", by=name)
    await store._write(
        lambda db: db.execute("UPDATE sources SET last_success = 1709294700 WHERE name = 'forum'")
    )
    state = await store.source_state("forum")
    assert state is not None and state.synced_by == name and state.last_error  # stored
    app = make_app(store, language=language)
    said, fout, last = WORDS[language]
    try:
        async with app.run_test(size=SMALL) as pilot:
            await app.screen.queue.loaded.wait()
            await until(pilot, lambda: said in header(app), "the header to name who syncs")
            line = header(app)
            assert f"forum {said} " in line, line
            assert line.rstrip().endswith(f"({fout}, {last} 01-03-2024 12:05)"), line
    finally:
        await store.close()


@pytest.mark.usefixtures("no_color")
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("error", [False, True])
async def test_a_moderators_and_a_readers_header_say_the_stores_sources_alike(
    tmp_path: Path, make_app: Any, language: str, error: bool
) -> None:
    """A store holding sources no process of this app syncs and that name no syncing
    process (none configured): the moderator's header and a reader's on the same file
    say the same, each source with its stored state and last sync, at 80x24 and
    NO_COLOR; "no sources" is said only on a store that holds none."""
    from datetime import UTC, datetime

    from reactieveld.store.sqlite import SqliteStore

    path = tmp_path / "m.db"
    store = await open_store(str(path))  # "blog" and "forum"
    await store.record_sync("blog", error="HTTP 502" if error else None)
    await store._write(
        lambda db: db.execute("UPDATE sources SET last_success = 1709294700 WHERE name = 'blog'")
    )
    reader = await SqliteStore.open(path, read_only=True)
    empty = await SqliteStore.open(tmp_path / "empty.db")
    now = datetime(2024, 3, 1, 15, 0, tzinfo=UTC)  # the app's today: the hour alone
    _, fout, last = WORDS[language]
    state = f"{fout}, " if error else ""
    never = "nog nooit gesynchroniseerd" if language == "nl" else "never synced"
    stored = f"blog ({state}{last} 12:05) · forum ({never})"
    lines = []
    try:
        for on in (store, reader):
            app = make_app(on, language=language, clock=lambda: now)
            async with app.run_test(size=SMALL) as pilot:
                await app.screen.queue.loaded.wait()
                await until(pilot, lambda: "forum" in header(app), "the stored sources")  # noqa: B023
                lines.append(header(app).rstrip())
        assert lines[0] == stored, lines
        assert lines[1].endswith(" │ " + stored), lines  # READ-ONLY first
        app = make_app(empty, language=language)
        async with app.run_test(size=SMALL) as pilot:
            await app.screen.queue.loaded.wait()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert header(app).strip() == ("geen bronnen" if language == "nl" else "no sources")
    finally:
        await store.close()
        await reader.close()
        await empty.close()


@pytest.mark.parametrize(
    ("language", "elsewhere", "last"),
    [("nl", "wordt elders gesynchroniseerd", "laatst"), ("en", "synced elsewhere", "last")],
)
async def test_a_source_whose_lock_another_process_holds_is_synced_elsewhere_on_any_app(
    pg_url: str, make_app: Any, language: str, elsewhere: str, last: str
) -> None:
    """An app that syncs nothing itself (a reader's, or a moderator's whose configuration
    lists other sources) on a team database where another process holds a source's lock
    but stored no name for itself (its first round still running, or a sync of a version
    before ``synced_by``): the header says the source is synced elsewhere, from the lock
    alone; once the lock is let go, the next reading of the store says its stored state."""
    from reactieveld.model import Source
    from reactieveld.tui.messages import SourcesSynced

    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    app = make_app(mine, language=language)
    try:
        await service.ensure_source(Source("forum", "discourse"))
        await service.record_sync("forum")  # stores no process name: by=None
        stored = await mine.source_state("forum")
        assert stored is not None and stored.last_success is not None
        assert stored.synced_by is None
        said_last = f"{last} {stored.last_success:%H:%M})"
        async with app.run_test(size=SMALL) as pilot:
            async with service.source_lock("forum") as held:
                assert held
                app.post_message(SourcesSynced(("forum",)))  # as the live channel says
                await until(
                    pilot,
                    lambda: f"forum {elsewhere} (" in header(app),
                    "the header to say the locked source is synced elsewhere",
                )
                assert said_last in header(app), header(app)
            # Let go: the next reading of the store (a live notice) says its state alone.
            app.post_message(SourcesSynced(("forum",)))
            await until(
                pilot,
                lambda: elsewhere not in header(app) and said_last in header(app),
                "the header to drop 'synced elsewhere' once the lock is let go",
            )
            assert app._sources["forum"].state == "stored"
    finally:
        await service.close()
        await mine.close()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_source_the_service_syncs_is_not_said_ok_before_it_is_read(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse, make_app: Any, language: str
) -> None:
    """A team's app whose source the service syncs: from its first frame until its first
    check says who syncs the source, the header claims no state for it (no "ok", no
    "syncing"): a characters-only mark; then the service's state."""
    from reactieveld.i18n import text
    from reactieveld.tui.widgets.status_line import StatusLine

    config = _config(tmp_path, forum)
    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    first = SyncEngine.from_config(config, service, fetch_process=False, by="team sync")
    engine = SyncEngine.from_config(config, mine, fetch_process=False, by="anna app", defers=True)
    headers: list[str] = []
    render = StatusLine.render_content

    def seen(self: StatusLine, width: int | None = None) -> Any:
        content = render(self, width)
        headers.append(str(content))
        return content

    app = make_app(mine, language=language, engine=engine)
    try:
        done = await first.sync_source("forum")
        assert done.ok
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(StatusLine, "render_content", seen)
            async with app.run_test(size=SMALL) as pilot:
                said = text("hdr.synced_by", language, name="team sync")
                await until(pilot, lambda: said in header(app), "the service's state")
        claims = [text(k, language) for k in ("hdr.ok", "hdr.syncing", "hdr.error")]
        before = headers[: next(i for i, h in enumerate(headers) if said in h)]
        assert before, headers
        for line in before:
            assert not [c for c in claims if f"forum {c}" in line], line
            assert f"forum {text('hdr.not_read', language)}" in line, line
    finally:
        await engine.aclose()
        await first.aclose()
        await service.close()
        await mine.close()


@settings(max_examples=60, deadline=None)
@given(
    language=st.sampled_from(["nl", "en"]),
    sources=st.lists(names, min_size=2, max_size=5, unique=True),
    state=st.sampled_from(["error", "elsewhere", "stored", "ok"]),
)
@example(language="nl", sources=["forum", "portaal", "participatie"], state="elsewhere")
@example(language="nl", sources=["forum", "portaal", "participatie"], state="error")
def test_every_sources_state_is_said_whole_at_80_columns(
    language: str, sources: list[str], state: str
) -> None:
    """The README's set-up (Discourse, Decidim and Go Vocal) synced by a service, or
    each in error: at 80 columns the line cut the third source's state and time away
    ("por… gesynchroniseerd door"). Each source's state and whole time are said, on a
    second line where one does not hold them, none wider than 80 columns."""
    from datetime import UTC, datetime

    from rich.cells import cell_len

    from reactieveld.i18n import I18n
    from reactieveld.tui.widgets.status_line import SourceStatus, StatusLine

    now = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
    line = StatusLine(i18n=I18n(language), tz=UTC, clock=lambda: now)
    when = now.replace(hour=12, minute=5)
    line.sources = [
        SourceStatus(name, state, next_try=now, last_success=when, by="reactieveld_sync sync")
        for name in sources
    ]
    shown = line.render_content(80).plain
    lines = shown.split("\n")
    assert all(cell_len(x) <= 80 for x in lines), shown
    said = {
        "error": "fout (opnieuw om 15:00)" if language == "nl" else "error (retry at 15:00)",
        "elsewhere": "(laatst 12:05)" if language == "nl" else "(last 12:05)",
        "stored": "(laatst 12:05)" if language == "nl" else "(last 12:05)",
        "ok": "ok",
    }[state]
    assert shown.count(said) >= len(sources), shown
    if state == "elsewhere":
        by = "gesynchroniseerd door" if language == "nl" else "synced by"
        assert shown.count(by) == len(sources), shown
