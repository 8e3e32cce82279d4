"""Live between moderators (issue 13 items 3 and 4) on one SQLite file: the store's
change subscription (ids of responses OTHER connections changed), who acts, and two
apps on one memory that see each other's work in place. No sleeps: the store is polled
by hand, or the test waits on the app's own messages."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.app import SMALL, ready, screen_text, settle, side_by_side, until
from helpers.connectors import PagePlatform
from helpers.data import T0, fill_store, sample_responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import Page, RemoteStatus, Source
from reactieveld.store.base import StoreError
from reactieveld.store.sqlite import SqliteStore


async def _memory(path: Path, count: int = 30) -> SqliteStore:
    store = await SqliteStore.open(path)
    responses, threads = sample_responses(count=count)
    await fill_store(store, "blog", responses, threads)
    return store


async def test_changes_name_other_connections_work_not_ones_own(tmp_path: Path):
    path = tmp_path / "m.db"
    a = await _memory(path)
    b = await SqliteStore.open(path)
    try:
        ids = [r.response.id for r in await a.queue(_all(), limit=5)]
        assert not await b.poll_changes()  # the first poll takes the position
        assert not await b.poll_changes()  # nobody wrote since the first poll
        await a.moderate(ids[:2], RemoteStatus.APPROVED, actor="anna")
        await a.add_note(ids[3], "bellen", actor="anna")
        await b.toggle_question([ids[4]], "1", actor="bram")  # B's own: not a change to B
        found = await b.poll_changes()
        assert sorted(found.ids) == sorted([ids[0], ids[1], ids[3]])
        assert found.by == ("anna",)
        assert not await b.poll_changes()  # each change is said once
        # And A sees B's tag, not its own work.
        await a.poll_changes()  # A's first poll: takes the position after all of it
        await b.set_role([ids[2]], "inwoner", actor="bram")
        await a.mark_handled([ids[1]], actor="anna")
        found = await a.poll_changes()
        assert found.ids == (ids[2],) and found.by == ("bram",)
    finally:
        await b.close()
        await a.close()


def _all():
    from reactieveld.store.base import QueueFilter

    return QueueFilter()


#: One step of a generated history: who acts ("a" or "b"), what, on which rows (indices
#: into the first eight), or "poll": B looks.
_STEP = st.one_of(
    st.just(("poll", "", ())),
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.sampled_from(["approve", "handled", "question", "role", "note"]),
        st.lists(st.integers(0, 7), min_size=1, max_size=3, unique=True),
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(_STEP, max_size=12))
def test_each_poll_names_exactly_the_others_work_since_the_last(tmp_path_factory, steps):
    """Any interleaving of A's and B's actions and B's polls: each poll gives the ids A's
    journal entries since B's previous poll name (computed a second way: from the
    journal itself), never B's own, and nothing twice."""

    async def run() -> None:
        path = tmp_path_factory.mktemp("live") / "m.db"
        a = await _memory(path, count=8)
        b = await SqliteStore.open(path)
        try:
            ids = [r.response.id for r in await a.queue(_all(), limit=8)]
            await b.poll_changes()
            mark = max((e.id for e in await a.journal(limit=1)), default=0)
            for who, what, rows in [*steps, ("poll", "", ())]:
                if who == "poll":
                    found = await b.poll_changes()
                    entries = [e for e in await a.journal(limit=1000) if e.id > mark]
                    want = {e.response_id for e in entries if e.actor == "anna"}
                    assert set(found.ids) == want and len(found.ids) == len(want)
                    assert found.by == (("anna",) if want else ())
                    mark = max([mark, *(e.id for e in entries)])
                    continue
                store, actor = (a, "anna") if who == "a" else (b, "bram")
                targets = [ids[i] for i in rows]
                if what == "approve":
                    await store.moderate(targets, RemoteStatus.APPROVED, actor=actor)
                elif what == "handled":
                    await store.mark_handled(targets, actor=actor)
                elif what == "question":
                    await store.toggle_question(targets, "2", actor=actor)
                elif what == "role":
                    await store.set_role(targets, "inwoner", actor=actor)
                else:
                    await store.add_note(targets[0], "x", actor=actor)
        finally:
            await b.close()
            await a.close()

    asyncio.run(run())


#: One write on the file between two polls: by the app's own sync engine's store (told of
#: with ``hear_not``) or by another program; what (a page of new responses, a page that
#: changes one, a round's end, a decision) and of which source.
_WRITE = st.tuples(
    st.sampled_from(["engine", "other"]),
    st.sampled_from(["new", "update", "round", "decide"]),
    st.sampled_from(["blog", "forum"]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.one_of(st.just(("poll", "", "")), _WRITE), max_size=10))
def test_a_store_told_of_its_engine_hears_only_the_other_programs_writes(tmp_path_factory, steps):
    """SQLite as PostgreSQL (test_pg_live): the app's store told of its engine's store
    hears none of the engine's pages, rounds or journal rows, and each poll names exactly
    the sources and responses another program wrote since the last, whatever the
    interleaving (on one source or two), and the threads it stored rows of: a new
    response's, "not known" for a page that moved the cursor, none for a round's end."""

    async def run() -> None:
        path = tmp_path_factory.mktemp("own") / "m.db"
        app = await _memory(path, count=8)
        await app.ensure_source(Source("forum", "discourse"))
        engine = await SqliteStore.open(path)
        other = await SqliteStore.open(path)
        try:
            app.hear_not(engine)
            app.hear_not(engine)  # told twice: the same
            app.hear_not(app)  # itself: nothing to add
            ids = [r.response.id for r in await app.queue(_all(), limit=8)]
            await app.poll_changes()
            want_ids: set[int] = set()
            want_sources: set[str] = set()
            want_threads: set[tuple[str, str | None]] = set()
            stored = {("blog", f"c{i}") for i in range(8)}
            for k, (who, what, source) in enumerate([*steps, ("poll", "", "")]):
                if who == "poll":
                    found = await app.poll_changes()
                    assert set(found.ids) == want_ids and len(found.ids) == len(want_ids)
                    assert found.by == (("cor",) if want_ids else ())
                    assert found.sources == tuple(sorted(want_sources)), (steps, k)
                    assert set(found.threads or ()) == want_threads, (steps, k)
                    want_ids, want_sources, want_threads = set(), set(), set()
                    continue
                store, actor = (engine, "app") if who == "engine" else (other, "cor")
                if what == "decide":
                    target = ids[k % len(ids)]
                    done = await store.moderate([target], RemoteStatus.SPAM, actor=actor)
                    # Spam on a row already spam changes nothing and writes nothing (no
                    # journal row): there is nothing to hear.
                    if who == "other" and done.journal_ids:
                        want_ids.add(target)
                    continue
                if what == "new":
                    [fresh], _ = sample_responses(source, count=1, start=100 + k)
                else:  # the first response of the source, its text changed
                    [fresh], _ = sample_responses(source, count=1)
                    fresh = replace(fresh, body_text=f"gewijzigd {k}")
                if what == "round":
                    await store.record_sync(source, next_try=T0 + timedelta(seconds=k), by=actor)
                else:
                    page = Page(responses=[fresh], next_cursor=f"{actor}-{k}")
                    await store.upsert_page(source, page)
                if who == "other":
                    want_sources.add(source)
                    if what != "round" and (source, fresh.external_id) not in stored:
                        want_threads.add((source, fresh.thread_external_id))  # a new row
                    if what != "round":  # the page's cursor: its changes are not told
                        want_threads.add((source, None))
                if what != "round":
                    stored.add((source, fresh.external_id))
        finally:
            for store in (other, engine, app):
                await store.close()

    asyncio.run(run())


@pytest.mark.usefixtures("tui_env")
async def test_two_apps_on_one_memory_see_each_others_work_in_place(moderators, make_app):
    """On one SQLite file (B polls) and on one PostgreSQL database (B is notified, each
    moderator a login role): A's decision, tag and note appear at B in place."""
    store_a, store_b = await moderators("anna", "bram")
    app_a = make_app(store_a, language="en", actor="anna")
    app_b = make_app(store_b, language="en", actor="bram")
    async with side_by_side(app_a, app_b) as (pa, screen_a, pb, screen_b):
        qb = screen_b.queue
        # B marks two rows lower down and leaves its cursor below the fold, so the
        # queue is scrolled.
        await pb.press("j", "j", "j", "space", "space")
        for _ in range(9):
            await pb.press("j")
        await settle(app_b, pb)
        marked = set(qb.marked)
        cursor_id = qb.current.response.id
        on_screen = qb.cursor - int(qb.scroll_y)
        assert len(marked) == 2 and qb.scroll_y > 0
        total = qb.total
        # A: approves the top row (it leaves B's "new" queue above B's cursor), then
        # tags and notes B's cursor row.
        top = screen_a.queue.current.response.id
        await pa.press("a")
        await settle(app_a, pa)
        assert await screen_a.queue.jump_to_response(cursor_id)
        await pa.press("3", "n", *"bel ze terug", "ctrl+s")
        await settle(app_a, pa)

        # B re-read those rows in place once its poll (SQLite) or a notification
        # (PostgreSQL) brought A's commits.
        def b_shows_it() -> bool:
            row = qb.current
            view = screen_b.query_one("#response").render_content().plain
            return (
                qb.total == total - 1
                and row is not None
                and "3" in row.questions
                and "bel ze terug" in view
            )

        await until((pa, pb), b_shows_it, "B to show A's decision, tag and note")
        await settle(app_b, pb)
        # The store says the same.
        assert (await store_b.get(top)).response.remote_status is RemoteStatus.APPROVED
        assert "3" in (await store_b.get(cursor_id)).questions
        assert [n.actor for n in await store_b.notes(cursor_id)] == ["anna"]
        # B's cursor stayed on its response, on the same screen line; marks kept.
        assert qb.current.response.id == cursor_id
        assert qb.cursor - int(qb.scroll_y) == on_screen
        assert qb.marked == marked
        # B's screen (plain characters): the marks said in the header, A's tag in the
        # tag bar, and below in the response view (a page down: J) A's note and name.
        lines = screen_text(app_b)
        assert "marked: 2" in lines[0]
        assert f"[New {total - 1}]" in lines[1]  # the tab counts follow
        assert any("3✓" in line for line in lines)
        await pb.press("J", "J")
        lines = screen_text(app_b)
        text = "\n".join(lines)
        assert "bel ze terug" in text and "anna" in text, text
        assert qb.current.response.id == cursor_id  # J scrolls the view, not the queue
        # The journal names both moderators: B now decides too.
        await pb.press("x")
        await settle(app_b, pb)
        actors = {e.actor for e in await store_a.journal(limit=50)}
        assert actors == {"anna", "bram"}


@pytest.mark.usefixtures("tui_env")
async def test_a_round_of_the_apps_own_engine_refreshes_once_another_programs_page_too(
    tmp_path: Path, make_app
):
    """SQLite: the app's sync engine writes through a connection of its own; a round of
    it (a page that changes a response's text, then the round's end) is told by the
    engine's events and not heard again by the poll: the queue is read again once. A
    page another program stores on the same file is heard, and read once too."""
    from reactieveld.config import SourceConfig
    from reactieveld.sync import SyncEngine

    path = tmp_path / "m.db"
    store = await _memory(path)
    engine_store = await SqliteStore.open(path)
    other = await SqliteStore.open(path)
    platform = PagePlatform()
    engine = SyncEngine(engine_store, [(SourceConfig("blog", "wordpress", 3600.0), platform)])
    rounds: asyncio.Queue = asyncio.Queue()
    engine.subscribe(lambda event: rounds.put_nowait(event) if event.kind == "round" else None)
    app = make_app(store, language="en", engine=engine)
    app.live_interval = 0.02
    polls = 0
    poll = store.poll_changes

    async def counted():
        nonlocal polls
        polls += 1
        return await poll()

    store.poll_changes = counted  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SMALL) as pilot:
            screen = app.screen
            await screen.queue.loaded.wait()
            await app.live_ready.wait()

            async def polled_after() -> None:
                # Two polls begun after it: one of them read all of it; then the app's
                # workers are done.
                start = polls
                await until((pilot,), lambda: polls >= start + 2, "two polls")
                await settle(app, pilot, but=("sync",))

            await asyncio.wait_for(rounds.get(), timeout=30)  # the first round, at start
            await polled_after()
            reads = []
            refresh = screen.queue.refresh_window

            async def counted_refresh(*args, **kw):
                reads.append(kw)
                return await refresh(*args, **kw)

            screen.queue.refresh_window = counted_refresh  # type: ignore[method-assign]
            top = screen.queue.current.response
            [fresh] = [r for r in sample_responses(count=30)[0] if r.external_id == "c29"]
            assert top.external_id == "c29"
            platform.next = Page(
                responses=[replace(fresh, body_text="Tekst van de site, nu anders")],
                next_cursor="r2",
            )
            engine.wake("blog")
            event = await asyncio.wait_for(rounds.get(), timeout=30)
            assert event.updated == 1
            await polled_after()
            assert "Tekst van de site, nu anders" in "\n".join(screen_text(app))
            assert (await store.get(top.id)).response.body_text == "Tekst van de site, nu anders"
            assert len(reads) == 1, reads

            # Another program's page on the same file is heard, and read once.
            page = Page(
                responses=[replace(fresh, body_text="Van een ander programma")], next_cursor="x1"
            )
            await other.upsert_page("blog", page)
            await until(
                (pilot,),
                lambda: "Van een ander programma" in "\n".join(screen_text(app)),
                "the other program's page on screen",
            )
            await polled_after()
            assert len(reads) == 2, reads
    finally:
        await engine.aclose()
        for opened in (other, engine_store, store):
            await opened.close()


# -- who acts: [ui] moderator -------------------------------------------------------------


def _config(tmp_path: Path, name: str, body: str):
    from reactieveld.config import load_config

    path = tmp_path / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return load_config(path, environ={})


@pytest.mark.usefixtures("tui_env")
async def test_two_configs_with_two_names_on_one_store_journal_both(tmp_path: Path, make_app):
    """Two people, two config files, one memory: the journal names each (the app takes
    its actor from ``[ui] moderator``, as :func:`reactieveld.tui.app.run_app` passes it)."""
    path = tmp_path / "one.db"
    store_a = await _memory(path)
    store_b = await SqliteStore.open(path)
    names = []
    try:
        for store, who in ((store_a, "Anna de Wit"), (store_b, "bram")):
            config = _config(tmp_path, who[:4], f'[ui]\nmoderator = "  {who} "\n')
            assert config.ui.moderator == who  # the blanks around it are not the name
            app = make_app(store, language="en", actor=config.ui.moderator)
            async with app.run_test(size=SMALL) as pilot:
                screen = await ready(app, pilot)
                rid = screen.queue.current.response.id
                await pilot.press("n", *"ok", "ctrl+s", "x")  # a note, then a decision
                await settle(app, pilot)
                names.append((app.actor, rid))
        journal = await store_a.journal(limit=10)
        assert {e.actor for e in journal} == {"Anna de Wit", "bram"}
        for who, rid in names:
            assert who in {n.actor for n in await store_a.notes(rid)}
            assert who in {e.actor for e in await store_a.journal(rid)}
    finally:
        await store_b.close()
        await store_a.close()


def test_no_moderator_in_the_config_means_the_os_user(tmp_path: Path, monkeypatch):
    from reactieveld.tui.app import ReactieveldApp

    config = _config(tmp_path, "none", '[ui]\nlanguage = "en"\n')
    assert config.ui.moderator is None
    monkeypatch.setattr("getpass.getuser", lambda: "osuser")
    app = ReactieveldApp(None, db_path=tmp_path / "x.db", actor=config.ui.moderator)
    assert app.actor == "osuser"


_BAD_NAMES = st.one_of(
    st.just(""),
    st.text(alphabet=" \t", max_size=5),
    st.text(min_size=65, max_size=80).filter(lambda t: len(t.strip()) > 64),
    # a control character or line break anywhere in an otherwise good name
    st.tuples(
        st.text(alphabet="abc", min_size=1, max_size=5),
        st.sampled_from(["\n", "\r", "\x1b", "\x00", "\x85", "\u202e", "\u2028"]),
        st.text(alphabet="xyz", min_size=1, max_size=5),
    ).map("".join),
)


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (control characters escaped, the rest as is)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_BAD_NAMES)
def test_a_bad_moderator_name_is_a_config_error_with_its_line(tmp_path: Path, name: str):
    from reactieveld.config import ConfigError

    body = f'[ui]\nlanguage = "en"\nmoderator = {_toml_string(name)}\n'
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, "bad", body)
    message = str(caught.value)
    assert message.endswith(
        ':3: [ui]: key "moderator": expected a name of 1 to 64 printable characters, '
        'like "anna", got a string'
    ), message
    assert "\n" not in message and "\x1b" not in message


@pytest.mark.parametrize("value", ["3", "true", '["anna"]'])
def test_a_moderator_that_is_not_text_is_a_config_error(tmp_path: Path, value: str):
    from reactieveld.config import ConfigError

    with pytest.raises(ConfigError, match='key "moderator": expected a name'):
        _config(tmp_path, "bad", f"[ui]\nmoderator = {value}\n")


# -- reader rights: read-only for a reason other than the file ----------------------------


class _ReaderStore(SqliteStore):
    """A memory this login may only read for a reason of the store's own (as a
    PostgreSQL reader role is): the file itself is writable. The database names who is
    connected (as PostgreSQL's ``session_user`` does)."""

    async def whoami(self) -> str | None:
        return "piet"

    def read_only_reason(self, language: str = "en") -> str | None:
        from reactieveld.i18n import text

        return text("conn.store.ro_reader", language, role="piet", group="reactieveld_reader")


@pytest.mark.usefixtures("tui_env")
async def test_a_reader_gets_the_read_only_screen_with_the_stores_reason(tmp_path: Path, make_app):
    path = tmp_path / "reader.db"
    await (await _memory(path)).close()
    store = await _ReaderStore.open(path)
    store.read_only = True  # the store's own refusal: every write raises StoreError
    try:
        for language, word, said in (
            ("nl", "ALLEEN-LEZEN", "rol piet is een lezer"),
            ("en", "READ-ONLY", "role piet is a reader (reactieveld_reader)"),
        ):
            app = make_app(store, language=language, actor="config-name")
            async with app.run_test(size=SMALL) as pilot:
                screen = await ready(app, pilot)
                assert app.actor == "piet"  # the store's name goes before the config's
                lines = screen_text(app)
                assert lines[0].startswith(word)
                view = screen.query_one("#response").render_content().plain
                assert said in view and str(path) not in view
                # The source once, in the first line; the reason's line does not repeat it.
                source = screen.queue.current.response.source
                [why] = [x for x in view.splitlines() if said in x]
                assert f"  {source}  " in view.splitlines()[0] and source not in why, view
                # The decision keys are greyed out with the store's reason as tooltip.
                assert said in (screen.action_reason("moderate", ("approved",)) or "")
                assert screen.check_action("moderate", ("approved",)) is None
                await pilot.press("x", "1", "a", "n", "w", "z")
                await pilot.pause()
                assert app.is_running
                # A refused key says why in a notice, not only in the footer's tooltip;
                # pressed again while it shows, the same line does not pile up.
                refused = [str(n.message) for n in app._notifications]
                assert len(refused) == 1 and said in refused[0], refused
                await pilot.press("j")
                assert screen.queue.cursor == 1  # browsing works
        assert await store.journal(limit=5) == []
        assert all(not r.questions for r in await store.queue(_all(), limit=50))
    finally:
        await store.close()


@given(
    sets=st.lists(
        st.tuples(
            st.lists(st.integers(1, 50), max_size=6, unique=True),
            st.lists(st.sampled_from(["anna", "bram", "cor"]), max_size=2, unique=True),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_change_messages_that_queue_up_merge_without_losing_an_id(sets):
    """Textual drops a queued RowsChanged for the next one (can_replace): the survivor
    carries every id and name of the dropped ones, each once."""
    from reactieveld.tui.messages import RowsChanged

    messages = [RowsChanged(tuple(ids), tuple(sorted(by))) for ids, by in sets]
    survivor = messages[0]
    for newer in messages[1:]:
        assert survivor.can_replace(newer)
        survivor = newer
    want_ids = [i for ids, _ in sets for i in ids]
    assert set(survivor.ids) == set(want_ids) and len(survivor.ids) == len(set(want_ids))
    assert survivor.by == tuple(sorted({b for _, by in sets for b in by}))


def test_the_store_s_reason_is_shown_as_it_is(tmp_path: Path):
    """The app shows the store's own line (a PostgreSQL reader role), in its language."""
    from types import SimpleNamespace

    from reactieveld.tui.app import ReactieveldApp

    said = "role rita is a reader (reactieveld_reader): search, reports and dashboard only"
    store = SimpleNamespace(
        read_only=True, read_only_reason=lambda language="en": said if store.read_only else None
    )
    assert ReactieveldApp(store, language="nl").read_only_reason() == said
    store.read_only = False
    assert ReactieveldApp(store, language="nl").read_only_reason() is None


@pytest.mark.usefixtures("tui_env")
async def test_a_store_that_fails_under_the_poll_is_one_line_not_a_crash(tmp_path: Path, make_app):
    store = await _memory(tmp_path / "m.db")

    async def broken(**_: object):
        raise StoreError(f"{tmp_path / 'm.db'} is damaged: restore it from a backup")
        yield  # an async generator, as changes() is

    store.changes = broken  # type: ignore[method-assign]
    app = make_app(store, language="en")
    notices = []
    app.notify = lambda message, **kw: notices.append(message)  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SMALL) as pilot:
            await ready(app, pilot)
            await app._live_task
            assert app.is_running
            assert notices == [f"{tmp_path / 'm.db'} is damaged: restore it from a backup"]
    finally:
        await store.close()


# -- claims are live too (the others' rows show "bezig: Naam" at once) --------------------


class _Clock:
    def __init__(self) -> None:
        from reactieveld.model import utcnow

        self.now = utcnow()

    def __call__(self):
        return self.now


async def test_a_claim_that_begins_or_ends_is_a_change_to_the_others(moderators):
    """On both backends: another moderator's claim that begins and one that is released
    are changes (ids and who); a renewal is none, and one's own claims are none."""
    from datetime import timedelta

    a, b = await moderators("anna", "bram")
    ids = [r.response.id for r in await a.queue(_all(), limit=3)]
    a.clock = clock = _Clock()
    subscribed = asyncio.Event()
    changes = b.changes(interval=0.01, ready=subscribed)
    heard = asyncio.ensure_future(anext(changes))
    try:
        await subscribed.wait()

        async def next_set():
            nonlocal heard
            found = await asyncio.wait_for(heard, timeout=30)
            heard = asyncio.ensure_future(anext(changes))
            return found

        await b.claim(ids[2], actor="bram", minutes=5)  # b's own: no change to b
        assert await a.claim(ids[0], actor="anna", minutes=5) is None
        found = await next_set()
        assert found.ids == (ids[0],) and found.by == ("anna",)
        clock.now += timedelta(minutes=2)
        await a.claim(ids[0], actor="anna", minutes=5)  # a renewal: nothing to the others
        await a.claim(ids[1], actor="anna", minutes=5)
        found = await next_set()
        assert found.ids == (ids[1],)
        await a.release(None, actor="anna")  # quitting: both are free again
        found = await next_set()
        assert set(found.ids) == {ids[0], ids[1]} and found.by == ("anna",)
    finally:
        heard.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heard
        await changes.aclose()
