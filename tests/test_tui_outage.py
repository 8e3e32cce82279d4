"""The app on a team's PostgreSQL memory whose server goes away while no sync runs: its
own reads (a response's details as the cursor moves, a queue page) and writes (a
decision) meet the memory away. The header then says so first, the writing keys grey out
with the notice that nothing is stored and nothing lost, and the app goes on; when the
server is back the app's own check reads again, the header clears and a decision is
stored. A real cluster, stopped and started; the test waits on the app's own event."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from helpers.app import SMALL, press, ready, record_notices, settled, until
from helpers.data import fill_store, sample_responses
from helpers.team import header

from reactieveld.model import RemoteStatus
from reactieveld.store.pg.store import PostgresStore

pytestmark = pytest.mark.usefixtures("tui_env")


async def _on_own_memory(
    cluster: Any, make_app: Any, language: str, retry: tuple[float, float] = (0.05, 0.2)
) -> tuple[PostgresStore, Any]:
    """A fresh memory on the test's own cluster with the sample responses, and the app on
    it with no sync engine (only the app's own reads and writes); its check reads again
    after ``retry``'s backoff (seconds: quick for the test)."""
    store = await PostgresStore.open(cluster.url(cluster.new_database()), max_size=2)
    responses, threads = sample_responses()
    await fill_store(store, "blog", responses, threads)
    app = make_app(store, language=language)
    app.reach_retry_seconds = retry
    return store, app


@pytest.mark.parametrize(
    ("language", "marker", "lost"),
    [
        ("nl", "GEDEELD GEHEUGEN ONBEREIKBAAR", "niets gaat verloren"),
        ("en", "SHARED MEMORY UNREACHABLE", "nothing is lost"),
    ],
)
async def test_the_app_s_own_reads_and_writes_notice_the_memory_away_and_back(
    own_cluster: Any,
    make_app: Any,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    marker: str,
    lost: str,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    store, app = await _on_own_memory(own_cluster, make_app, language)

    async def away() -> None:
        # What was committed is on disk first: the test cluster commits asynchronously,
        # and an immediate stop would lose the last moments' rows (not the app's doing).
        await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
        await asyncio.to_thread(own_cluster.halt)

    async def back() -> None:
        await asyncio.to_thread(own_cluster.start)
        await asyncio.wait_for(app.memory_reached.wait(), 60)
        await settled(pilot)
        assert marker not in header(app), header(app)

    try:
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            notices = record_notices(app)
            assert marker not in header(app)

            # A read: the cursor moves, the response's details are read (a worker).
            await away()
            await press(pilot, "j")
            assert header(app).startswith(marker), header(app)
            assert app.is_running and not app.memory_reached.is_set()
            assert [n for n in notices if lost in n and "\n" not in n], notices
            rid = screen.queue.current.response.id
            status = screen.queue.current.response.remote_status
            assert status != RemoteStatus.SPAM
            # A write key is greyed now: it says so and asks nothing of the store.
            notices.clear()
            await press(pilot, "s")
            assert [n for n in notices if lost in n], notices
            await back()

            # A write that meets the memory away: not stored, said, the app goes on. (The
            # notices are cleared before the stop: on a loaded machine a background read
            # may meet the memory away first and say it, once for the outage, before the
            # key does.)
            notices.clear()
            await away()
            await press(pilot, "s")
            assert header(app).startswith(marker), header(app)
            assert app.is_running
            assert [n for n in notices if lost in n], notices
            assert not any("Traceback" in n or "Error" in n for n in notices), notices
            # A queue page read (the next tab) while away: no crash either.
            await press(pilot, "tab")
            assert app.is_running and header(app).startswith(marker)
            await back()
            kept = await store.get(rid)
            assert kept is not None and kept.response.remote_status == status

            # Back: the decision is made and stored.
            await screen.show_response(rid)
            await settled(pilot)
            assert screen.queue.current.response.id == rid
            await press(pilot, "s")
            done = await store.get(rid)
            assert done is not None and done.response.remote_status == RemoteStatus.SPAM
            assert marker not in header(app)
    finally:
        await store.close()


#: Keys that read on the triage screen: the thread, the author's history and pile, the
#: dashboard, the search, the queue's end, the next queue, the cursor.
READING_KEYS = ["enter", "h", "P", "D", "slash", "G", "tab", "k"]


async def test_every_reading_key_meets_the_memory_away_without_ending_the_app(
    own_cluster: Any, make_app: Any
) -> None:
    from reactieveld.tui.screens.triage import TriageScreen

    # No check meanwhile: the keys' own reads.
    store, app = await _on_own_memory(own_cluster, make_app, "en", retry=(3600.0, 3600.0))
    try:
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
            await asyncio.to_thread(own_cluster.halt)
            for key in READING_KEYS:
                await press(pilot, key)
                await settled(pilot)
                assert app.is_running, key
                for _ in range(3):  # a screen that opened: back to the queue
                    if app.screen is not screen:
                        await press(pilot, "escape")
                assert isinstance(app.screen, TriageScreen), key
                assert header(app).startswith("SHARED MEMORY UNREACHABLE"), (key, header(app))
    finally:
        await store.close()


@pytest.mark.parametrize(("switch", "marker"), [("e", "SHARED MEMORY UNREACHABLE"), ("n", None)])
async def test_a_language_switch_while_the_memory_is_away_keeps_the_app(
    own_cluster: Any, make_app: Any, switch: str, marker: str | None
) -> None:
    """f2 and a language remake the queue's screen, which reads its first rows: with the
    memory away that was a traceback that ended the app. Now: the new screen, empty, with
    the marker in the new language; its rows once the memory is back."""
    from reactieveld.i18n import I18n
    from reactieveld.tui.screens.triage import TriageScreen

    marker = marker or I18n("nl").t("hdr.unreachable")
    store, app = await _on_own_memory(own_cluster, make_app, "nl" if switch == "e" else "en")
    try:
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            shown = screen.queue.total
            assert shown > 0
            await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
            await asyncio.to_thread(own_cluster.halt)
            await press(pilot, "f2")
            await press(pilot, switch)
            await settled(pilot)
            assert app.is_running
            assert isinstance(app.screen, TriageScreen) and app.screen is not screen
            assert header(app).startswith(marker), header(app)
            await asyncio.to_thread(own_cluster.start)
            await asyncio.wait_for(app.memory_reached.wait(), 60)
            # The new screen reads its list again (its own messages).
            await until(pilot, lambda: app.screen.queue.total == shown, "the list read again")
            assert app.screen.queue.total == shown
            assert marker not in header(app)
    finally:
        await store.close()


#: The app's own read (a key: the cursor moves, the response's details are read) and the
#: sync's round meeting one outage at once: which comes first, and the event-loop turns
#: (no time waited) before the other starts; None: after the first has ended.
AT_ONCE = [("key", 0), ("round", 0), ("key", 2), ("round", 2), ("key", None), ("round", None)]


async def _first_ends(pilot: Any, turns: int | None, task: Any = None) -> None:
    """Let the first (the key's read, or the round's event ``task``) go on ``turns``
    event-loop turns, or (None) to its end."""
    if turns is None:
        if task is not None:
            await task
        await settled(pilot)
    for _ in range(turns or 0):
        await asyncio.sleep(0)


async def _back_and_said(cluster: Any, app: Any, pilot: Any) -> None:
    """The server started again: the app's check reaches it and the marker goes."""
    await asyncio.to_thread(cluster.start)
    await asyncio.wait_for(app.memory_reached.wait(), 60)
    await settled(pilot)
    assert "UNREACHABLE" not in header(app), header(app)


async def test_one_outage_met_by_a_key_and_a_round_at_once_is_said_once(
    own_cluster: Any, make_app: Any
) -> None:
    from textual import events

    from reactieveld.failures import failure
    from reactieveld.store.errors import StoreUnreachable
    from reactieveld.sync import SyncEvent

    store, app = await _on_own_memory(own_cluster, make_app, "en")
    try:
        async with app.run_test(size=SMALL) as pilot:
            await ready(app, pilot)
            notices = record_notices(app)
            for first, turns in AT_ONCE:
                notices.clear()
                await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
                await asyncio.to_thread(own_cluster.halt)
                try:  # the round's line, as the sync gives it
                    await store.counts()
                except StoreUnreachable as exc:
                    error = failure(exc).message
                round_event = SyncEvent("blog", "error", error=error)
                if first == "round":
                    task = asyncio.create_task(app._on_sync_event(round_event))
                    await _first_ends(pilot, turns, task)
                app.post_message(events.Key("j", "j"))
                if first == "key":
                    await _first_ends(pilot, turns)
                    task = asyncio.create_task(app._on_sync_event(round_event))
                await task
                await settled(pilot)
                said = [n for n in notices if "cannot be reached" in n]
                assert len(said) == 1, (first, turns, notices)
                assert "\n" not in said[0]
                assert header(app).startswith("SHARED MEMORY UNREACHABLE"), header(app)
                # Back (the app's check reads again): the next outage is said again.
                await _back_and_said(own_cluster, app, pilot)
    finally:
        await store.close()


async def test_an_idle_app_says_the_memory_away_and_back(own_cluster: Any, make_app: Any) -> None:
    """Nobody presses a key and the app syncs nothing (a team's service does): the server
    stops, and the app's header says so all the same (its live subscription was lost and
    cannot stand again), once; when the server is back the marker goes."""
    from reactieveld.tui.messages import SourcesUpdated

    store, app = await _on_own_memory(own_cluster, make_app, "en")
    away = asyncio.Event()

    def hook(message: Any) -> None:
        if isinstance(message, SourcesUpdated) and app.memory_unreachable:
            away.set()

    try:
        async with app.run_test(size=SMALL, message_hook=hook) as pilot:
            await ready(app, pilot)
            await asyncio.wait_for(app.live_ready.wait(), 30)
            notices = record_notices(app)
            await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
            await asyncio.to_thread(own_cluster.halt)
            await asyncio.wait_for(away.wait(), 60)
            await settled(pilot)
            assert header(app).startswith("SHARED MEMORY UNREACHABLE"), header(app)
            assert len([n for n in notices if "nothing is lost" in n]) == 1, notices
            await _back_and_said(own_cluster, app, pilot)
    finally:
        await store.close()


async def test_a_round_stored_unheard_while_away_is_in_the_header_when_the_memory_is_back(
    own_cluster: Any, make_app: Any
) -> None:
    """Tried as a team (tryteam): the server restarted, and the team's sync service stored a
    round before the app listened again (its notice reached nobody). When the memory was
    back the app read its queue and counts again but not the sources' state: a reader's
    header kept "synced by anna app (last 00:41)" while the store said "bram app", 00:44,
    until some later notice. Now what the header shows is read again as well."""
    store, app = await _on_own_memory(own_cluster, make_app, "en")
    await store.record_sync("blog", by="anna app")
    try:
        async with app.run_test(size=SMALL) as pilot:
            await ready(app, pilot)
            await asyncio.wait_for(app.live_ready.wait(), 30)
            await until(pilot, lambda: "synced by anna app" in header(app), "anna's round")
            # The service's round, stored with no notice the app could hear (as one sent
            # while its listening connection was gone): a plain UPDATE, no NOTIFY.
            async with store._pool.acquire() as conn:
                await conn.execute(
                    "UPDATE sources SET synced_by = 'bram app', last_error = 'HTTP 502',"
                    " last_error_at = extract(epoch FROM now())::bigint WHERE name = 'blog'"
                )
            await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
            await asyncio.to_thread(own_cluster.halt)
            await until(pilot, lambda: app.memory_unreachable, "the memory away")
            await _back_and_said(own_cluster, app, pilot)
            await until(
                pilot, lambda: "synced by bram app (error" in header(app), "the stored round"
            )
            assert "anna" not in header(app), header(app)
    finally:
        await store.close()


#: A dialog open when the server goes away, and the key that ends it with a write: the
#: reply and the note editor (ctrl+s), the reason of a decision (6), the role picker (r).
DIALOGS = [
    ("reply", ("r", *"Dank u"), ("ctrl+s",)),
    ("note", ("n", *"bel terug"), ("ctrl+s",)),
    ("reason", ("d",), ("6",)),
    ("role", ("w",), ("r",)),
]


@pytest.mark.parametrize(("kind", "opens", "ends"), DIALOGS, ids=[d[0] for d in DIALOGS])
async def test_a_dialog_ended_while_the_memory_is_away_keeps_the_app(
    own_cluster: Any, make_app: Any, kind: str, opens: tuple[str, ...], ends: tuple[str, ...]
) -> None:
    """Tried as a team (tryteam): anna wrote a reply, the server stopped, she pressed
    ctrl+s: the app ended with a traceback (StoreUnreachable raised in the editor's
    answer, which Textual runs outside the key's action, where the app's guard is not).
    Every dialog whose answer writes now says the memory away as a key does (the header,
    one notice) and the app goes on; nothing is stored; a reply's or note's words are
    kept as the response's draft; when the server is back the marker goes."""
    from reactieveld.reasons import ReasonsConfig
    from reactieveld.tui.screens.triage import TriageScreen

    store, app = await _on_own_memory(own_cluster, make_app, "en")
    app.reasons = ReasonsConfig()  # the default: trash and hold ask
    try:
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            rid = screen.queue.current.response.id
            before = await store.journal(rid)
            await press(pilot, *opens)
            assert not isinstance(app.screen, TriageScreen), kind
            notices = record_notices(app)
            await asyncio.to_thread(own_cluster.psql, "CHECKPOINT")
            await asyncio.to_thread(own_cluster.halt)
            await press(pilot, *ends)
            await settled(pilot)
            assert app.is_running and isinstance(app.screen, TriageScreen), kind
            assert header(app).startswith("SHARED MEMORY UNREACHABLE"), header(app)
            assert len([n for n in notices if "nothing is lost" in n]) == 1, notices
            if kind in ("reply", "note"):
                words = "".join(opens[1:])
                assert any(
                    k.kind == kind and k.response_id == rid and text == words
                    for k, text in app.drafts.items()
                ), dict(app.drafts)
            await _back_and_said(own_cluster, app, pilot)
            assert await store.journal(rid) == before  # nothing was stored
    finally:
        await store.close()
