"""Functional tests of the triage app: every key, checked in the store (state, tags,
journal, outbox), not only on screen. No sleeps: the tests wait on the queue's load
event, on workers and on ``pilot.pause()``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app import SIZE, press, ready, screen_text, settle
from helpers.data import T0, fill_store, sample_responses, sample_store

from reactieveld.model import ActionKind, OutboxState, RemoteStatus, TagKind, TriageState
from reactieveld.store.base import QueueFilter
from reactieveld.tui.screens.editor import EditorScreen
from reactieveld.tui.screens.filters import FilterScreen
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.screens.role_picker import RolePicker
from reactieveld.tui.screens.thread import ThreadScreen
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env")


def ids(screen: TriageScreen) -> list[str]:
    return [r.response.external_id for r in screen.queue.rows]


def current_ext(screen: TriageScreen) -> str:
    row = screen.queue.current
    assert row is not None
    return row.response.external_id


async def test_opens_on_new_queue_newest_first(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert ids(screen)[:3] == ["c29", "c28", "c27"]
        assert screen.queue.total == 30
        assert current_ext(screen) == "c29"
        tabs = screen.query_one("#queue-tabs")
        assert "Nieuw 30" in str(tabs.render_content())


async def test_movement_keys(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("j", "j", "down")
        assert current_ext(screen) == "c26"
        await pilot.press("k", "up")
        assert current_ext(screen) == "c28"
        await press(pilot, "G")
        assert current_ext(screen) == "c0"
        await press(pilot, "g")
        assert current_ext(screen) == "c29"
        await pilot.press("pagedown")
        assert screen.queue.cursor > 1
        await press(pilot, "end", "home")
        assert screen.queue.cursor == 0


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("a", RemoteStatus.APPROVED),
        ("u", RemoteStatus.HOLD),
        ("s", RemoteStatus.SPAM),
        ("d", RemoteStatus.TRASH),
    ],
)
async def test_moderation_keys_store_journal_outbox_and_advance(tui_store, make_app, key, status):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        # c25 is on hold (approve it); c28 is approved (hold, spam or trash it).
        await pilot.press(*["j"] * (4 if status is RemoteStatus.APPROVED else 1))
        target = screen.queue.current
        assert target is not None and target.response.id is not None
        rid = target.response.id
        before = target.response.remote_status
        after_id = screen.queue.row_at(screen.queue.cursor + 1).response.id
        await press(pilot, key)
        row = await tui_store.get(rid)
        assert row.response.remote_status is status
        assert row.response.triage is TriageState.HANDLED
        journal = await tui_store.journal(rid)
        assert journal[0].kind is ActionKind.MODERATE
        assert journal[0].before["status"] == before.value
        assert journal[0].after == {"status": status.value, "triage": "handled"}
        outbox = [o for o in await tui_store.outbox_items() if o.response_id == rid]
        assert len(outbox) == 1 and outbox[0].state is OutboxState.PENDING
        assert outbox[0].action.expected_status is before
        # Handled: it left the Nieuw queue and the cursor is on the next response.
        assert screen.queue.current.response.id == after_id
        assert screen.queue.total == 29


async def test_x_marks_handled_without_status_change(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await press(pilot, "x")
        row = await tui_store.get(rid)
        assert row.response.triage is TriageState.HANDLED
        assert row.response.remote_status is RemoteStatus.APPROVED
        assert (await tui_store.journal(rid))[0].kind is ActionKind.HANDLE
        assert await tui_store.outbox_items() == []
        assert current_ext(screen) == "c28"


@pytest.mark.parametrize("code", [str(n) for n in range(1, 9)])
async def test_question_keys_toggle_tags(tui_store, make_app, code):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await press(pilot, code)
        tags = await tui_store.tags(rid)
        assert [(t.kind, t.code, t.actor) for t in tags] == [(TagKind.QUESTION, code, "tester")]
        assert screen.queue.current.questions == (code,)  # the cursor stays
        await press(pilot, code)
        assert await tui_store.tags(rid) == []
        kinds = [e.kind for e in await tui_store.journal(rid)]
        assert kinds == [ActionKind.UNTAG, ActionKind.TAG]


async def test_role_picker_sets_and_clears_the_role(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await pilot.press("w")
        assert isinstance(app.screen, RolePicker)
        await press(pilot, "r")  # Raadslid
        assert isinstance(app.screen, TriageScreen)
        row = await tui_store.get(rid)
        assert row.role == "raad"
        assert screen.queue.current.role == "raad"
        await press(pilot, "w", "backspace")
        assert (await tui_store.get(rid)).role is None
        await press(pilot, "w", "escape")
        assert (await tui_store.get(rid)).role is None
        assert [e.kind for e in await tui_store.journal(rid)] == [ActionKind.ROLE] * 2


async def test_reply_editor_sends_through_the_outbox(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        row = screen.queue.current
        await pilot.press("r")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*"Dank u wel")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TriageScreen)
        outbox = await tui_store.outbox_items()
        assert len(outbox) == 1
        assert outbox[0].action.capability.value == "reply"
        assert outbox[0].action.text == "Dank u wel"
        assert outbox[0].action.external_id == row.response.external_id
        assert (await tui_store.journal(row.response.id))[0].kind is ActionKind.REPLY


async def test_reply_escape_sends_nothing(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await press(pilot, "r", *"weg", "escape")
        assert await tui_store.outbox_items() == []


async def test_note_is_stored(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await press(pilot, "n", *"bel terug", "ctrl+s")
        notes = await tui_store.notes(rid)
        assert [(n.text, n.actor) for n in notes] == [("bel terug", "tester")]
        assert await tui_store.outbox_items() == []  # notes never leave the house
        view = screen.query_one("#response")
        assert "bel terug" in view.render_content().plain


async def test_marks_then_actions_act_on_all_marked(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("space", "j", "space")  # c29 and c27 (space moves on)
        marked = set(screen.queue.marked)
        assert len(marked) == 2
        await press(pilot, "3")
        for rid in marked:
            assert [t.code for t in await tui_store.tags(rid)] == ["3"]
        assert screen.queue.marked == marked  # coding keeps the marks: now decide
        await press(pilot, "s")
        for rid in marked:
            row = await tui_store.get(rid)
            assert row.response.remote_status is RemoteStatus.SPAM
        journal = await tui_store.journal(limit=2)
        assert len({e.batch for e in journal}) == 1  # one decision, undone as one
        assert screen.queue.total == 28
        assert screen.queue.marked == set()  # a decision uses the marks up


async def test_undo_says_what_it_took_back(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await press(pilot, "space", "space", "4")  # two marked, question 4
        await press(pilot, "z")
        assert [n.message for n in app._notifications][-1] == "Actie ongedaan gemaakt: vraag 4 (2×)"
        await press(pilot, "s")  # the marks are still there: a decision on both
        assert screen.queue.total == 28
        await press(pilot, "z")
        assert [n.message for n in app._notifications][-1] == "Actie ongedaan gemaakt: spam (2×)"
        assert screen.queue.total == 30


async def test_undo_restores_state_and_cancels_the_write_back(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await press(pilot, "s")
        assert screen.queue.total == 29
        await press(pilot, "z")
        row = await tui_store.get(rid)
        assert row.response.remote_status is RemoteStatus.APPROVED
        assert row.response.triage is TriageState.NEW
        assert [o.state for o in await tui_store.outbox_items()] == [OutboxState.CANCELLED]
        assert screen.queue.total == 30
        assert screen.queue.current.response.id == rid  # back on the undone response


async def test_tab_cycles_the_queues(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        expected = {
            "hold": QueueFilter(statuses=(RemoteStatus.HOLD,)),
            "approved": QueueFilter(statuses=(RemoteStatus.APPROVED,)),
            "spam": QueueFilter(statuses=(RemoteStatus.SPAM,)),
            "trash": QueueFilter(statuses=(RemoteStatus.TRASH,)),
            "all": QueueFilter(),
            "new": QueueFilter(triage=TriageState.NEW),
        }
        for name, flt in expected.items():
            await press(pilot, "tab")
            assert screen.queue_name == name
            assert screen.queue.total == await tui_store.count(flt)


async def test_filters_dialog(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        first = screen.queue.current.response.id
        await tui_store.toggle_question([first], "5", actor="x")
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-question").value = "5"
        await press(pilot, "ctrl+s")
        assert screen.queue.total == 1
        assert screen.queue.current.response.id == first
        await pilot.press("f")
        app.screen.query_one("#filter-untagged").value = True
        app.screen.query_one("#filter-question").clear()
        await press(pilot, "ctrl+s")
        assert screen.queue.total == 29


async def test_enter_shows_the_thread_tree_and_escape_returns(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        row = screen.queue.current
        await pilot.press("enter")
        await pilot.pause()
        thread = app.screen
        assert isinstance(thread, ThreadScreen)
        await settle(app, pilot)
        tree = thread.query_one("#thread-tree")
        thread_rows = await tui_store.thread_rows("blog", row.response.thread_external_id)
        nodes = []
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(node.children)
        assert len(nodes) == len(thread_rows)
        assert tree.cursor_node.data == row.response.id
        await pilot.press("escape")
        assert app.screen is screen


async def test_a_thread_longer_than_the_tree_says_it_shows_the_newest(
    tui_store, make_app, monkeypatch
):
    """A thread of 3,600 responses showed its newest 2,000 as if they were all of it:
    the title says which part of how many the tree holds (and nothing when it is all)."""
    from reactieveld.tui.screens import thread as thread_screen

    row = (await tui_store.queue(QueueFilter(), limit=1))[0]
    key = ("blog", row.response.thread_external_id)
    size = await tui_store.count(QueueFilter(thread=key))
    assert size > 3
    for limit, language, title in (
        (3, "en", f"Thread: {row.thread_title} (the newest 3 of {size})"),
        (3, "nl", f"Draad: {row.thread_title} (de nieuwste 3 van {size})"),
        (size, "en", f"Thread: {row.thread_title}"),
    ):
        monkeypatch.setattr(thread_screen, "MAX_THREAD_ROWS", limit)
        app = make_app(tui_store, language=language)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            assert screen.queue.current.response.id == row.response.id
            await press(pilot, "enter")
            assert isinstance(app.screen, ThreadScreen) and app.screen.loaded
            shown = str(app.screen.query_one("#thread-title").render())
            assert shown == title, (limit, language)


async def test_a_thread_opened_from_an_old_response_holds_it(tui_store, monkeypatch):
    """A response older than a long thread's newest 2,000 opened the thread without
    itself: for every response and every cap, the part read holds it, is one run of the
    thread in its order, as long as the cap allows, and is the newest part when that
    holds it (caps from 1 to past the thread's size, every response of three threads)."""
    from reactieveld.tui.screens import thread as thread_screen

    everything = await tui_store.queue(QueueFilter(), limit=100)
    whole = {
        key: (await tui_store.queue(QueueFilter(thread=("blog", key)), limit=100))[::-1]
        for key in {r.response.thread_external_id for r in everything}
    }
    for row in everything:
        ids = [x.response.id for x in whole[row.response.thread_external_id]]
        for cap in range(1, len(ids) + 2):
            monkeypatch.setattr(thread_screen, "MAX_THREAD_ROWS", cap)
            part = await thread_screen.read_thread(tui_store, row)
            got = [x.response.id for x in part.rows]
            assert row.response.id in got, (row.response.external_id, cap)
            assert len(got) == min(cap, len(ids)) and part.size == len(ids)
            start = ids.index(got[0])
            assert ids[start : start + len(got)] == got
            newest = ids.index(row.response.id) >= len(ids) - cap
            assert part.around is not newest
            assert newest is (got == ids[len(ids) - len(got) :])


async def test_the_thread_of_an_old_response_shows_it_under_the_cursor(
    tui_store, make_app, monkeypatch
):
    """The oldest response of a thread of 10 with the tree capped at 3: the tree holds
    it under the cursor and the title says the part is around it (both languages)."""
    from reactieveld.tui.screens import thread as thread_screen

    monkeypatch.setattr(thread_screen, "MAX_THREAD_ROWS", 3)
    for language, words in (
        ("en", "(3 of {n}, around this response)"),
        ("nl", "(3 van {n}, rond deze reactie)"),
    ):
        app = make_app(tui_store, language=language)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await press(pilot, "G")
            row = screen.queue.current
            key = ("blog", row.response.thread_external_id)
            n = await tui_store.count(QueueFilter(thread=key))
            await press(pilot, "enter")
            assert isinstance(app.screen, ThreadScreen) and app.screen.loaded
            assert app.screen.query_one("#thread-tree").cursor_node.data == row.response.id
            shown = str(app.screen.query_one("#thread-title").render())
            assert shown.endswith(words.format(n=n)), (language, shown)


@pytest.mark.parametrize("size", [300, 1200])
async def test_a_long_thread_draws_the_lines_it_shows(tui_store, make_app, monkeypatch, size):
    """A thread of 18,039 (its newest 2,000 shown) took 3.5 s to open on a 1,000,000
    memory: the tree measured every line by drawing its label, cut to the screen, at
    each of its rebuilds (8,000 labels for 2,000 rows). The labels drawn are those on
    screen, whatever the thread's size; the tree still holds every row, the current one
    under the cursor."""
    from dataclasses import replace

    from reactieveld.tui.screens import thread as thread_screen

    drawn = 0
    draw = thread_screen.ThreadTree.render_label

    def counted(self, node, base_style, style):  # type: ignore[no-untyped-def]
        nonlocal drawn
        drawn += 1
        return draw(self, node, base_style, style)

    monkeypatch.setattr(thread_screen.ThreadTree, "render_label", counted)
    app = make_app(tui_store, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app, pilot)
        row = screen.queue.current
        first = row.response
        rows = [
            replace(row, response=replace(first, id=first.id + 10_000 + i, external_id=f"x{i}"))
            for i in range(size - 1)
        ]
        part = thread_screen.ThreadPart([*rows, row], size)

        async def read(store, opened):  # type: ignore[no-untyped-def]
            return part

        monkeypatch.setattr(thread_screen, "read_thread", read)
        await press(pilot, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ThreadScreen) and app.screen.loaded
        tree = app.screen.query_one("#thread-tree")
        assert len(tree.root.children) == size and tree.cursor_node.data == first.id
        assert drawn < 200, (size, drawn)


async def test_help_lists_every_binding(tui_store, make_app):
    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        labels = [label for _, label, _ in app.screen.rows]
        for spec in screen.specs:
            expected = screen.i18n.t(spec.label, **dict(spec.label_values))
            assert any(label.startswith(expected) for label in labels), expected
        assert "Question 1: Which goals does the dialogue serve?" in labels
        assert "Quit" in labels and "Commands" in labels
        await pilot.press("escape")
        assert app.screen is screen


async def test_palette_offers_every_action(tui_store, make_app):
    from reactieveld.tui.commands import ScreenCommands

    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        provider = ScreenCommands(screen)
        labels = [label for label, _, _ in provider._commands()]
        for word in ("Approve", "Hold", "Spam", "Trash", "Handled", "Role", "Reply", "Undo"):
            assert word in labels
        assert any(label.startswith("Question 8") for label in labels)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await press(pilot, *"Approve")
        await press(pilot, "enter")
        row = await tui_store.get_by_external("blog", "c29")
        assert row.response.triage is TriageState.HANDLED


async def test_q_quits(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None


async def test_remapped_keys_from_config(tui_store, make_app):
    app = make_app(tui_store, keymap={"approve": "y", "down": "ctrl+n"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("ctrl+n")
        assert current_ext(screen) == "c28"
        rid = screen.queue.current.response.id
        await press(pilot, "a")  # no longer approve
        assert (await tui_store.get(rid)).response.triage is TriageState.NEW
        await press(pilot, "y")
        assert (await tui_store.get(rid)).response.triage is TriageState.HANDLED
        await pilot.press("question_mark")
        keys = {label: k for k, label, _ in app.screen.rows}
        assert keys["Goedkeuren"] == "y"


async def test_search_key_has_a_hook(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        try:
            import reactieveld.tui.screens.search  # noqa: F401
        except ImportError:
            assert app.screen is screen  # a notification, nothing else
        else:
            assert app.screen is not screen


async def test_new_responses_during_triage_keep_cursor_and_marks(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("j", "j", "space")  # c27 marked, cursor on c26
        cursor_id = screen.queue.current.response.id
        marked = set(screen.queue.marked)
        screen_y = screen.queue.cursor - int(screen.queue.scroll_y)
        newer, threads = sample_responses(count=5, start=100, t0=T0 + timedelta(hours=5))
        await fill_store(tui_store, "blog", newer, threads)
        from reactieveld.tui.messages import StoreChanged

        app.post_message(StoreChanged())
        await settle(app, pilot)
        assert screen.queue.total == 35
        assert screen.queue.current.response.id == cursor_id
        assert screen.queue.marked == marked
        assert screen.queue.cursor == 3 + 5
        # It did not jump on screen either: the view scrolled with it.
        assert screen.queue.cursor - int(screen.queue.scroll_y) == screen_y
        await pilot.press("k")
        assert current_ext(screen) == "c27"


async def test_outbox_conflict_shows_on_the_item(tui_store, make_app):
    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await press(pilot, "tab", "tab", "tab", "tab", "tab")  # all
        rid = screen.queue.current.response.id
        await press(pilot, "s")
        item = (await tui_store.outbox_items())[0]
        await tui_store.outbox_fail(item.id, error="changed remotely", conflict=True)
        from reactieveld.tui.messages import StoreChanged

        app.post_message(StoreChanged())
        await settle(app, pilot)
        index = screen.queue.index_of(rid)
        row = screen.queue.row_at(index)
        assert row.outbox_state == "conflict"
        strip = screen.queue._render_row(row, 120, False, False)
        assert "! spam" in strip.text
        await press(pilot, "k")
        assert "conflict" in screen.query_one("#response").render_content().plain


async def test_a_failed_reply_says_why_and_keeps_its_text_in_view(tui_store, make_app):
    """A reply to a post closed for comments fails after the moderator moved on: the view
    said only "failed". Now it says why (WordPress's refusal, as the connector words it)
    and shows the reply that was not sent, literally, with how to send it again: r opens
    the reply editor with it (in Dutch: one app run; the English words are the same
    table's)."""
    from reactieveld.model import Action, Capability
    from reactieveld.tui.messages import StoreChanged

    app = make_app(tui_store, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        row = screen.queue.current
        r = row.response
        text = "Dank je [b]wel[/b]\x1b[31m 🙌\nTweede regel"
        reply = Action(Capability.REPLY, r.source, r.external_id, text=text)
        await tui_store.enqueue(reply, response_id=r.id)
        [item] = await tui_store.outbox_items(response_id=r.id)
        why = "blog: cannot reply: comments are closed on post 10"
        await tui_store.outbox_fail(item.id, error=why)
        app.post_message(StoreChanged())
        await settle(app, pilot)
        await press(pilot, "j", "k")
        await settle(app, pilot)
        shown = screen.query_one("#response").render_content().plain
        assert (
            "Terugschrijven: mislukt\n  blog: kan niet antwoorden: reacties zijn gesloten" in shown
        )
        assert "Niet verstuurd antwoord:\nDank je [b]wel[/b] 🙌\nTweede regel" in shown
        # The header counts it as not written back: a refusal, no conflict (before:
        # "conflicten: 1", as if the comment had changed on the site).
        header = screen_text(app)[0]
        assert "│ niet teruggeschreven: 1" in header and "conflict" not in header, header
        # How to send it again, next to why (the reply editor opens with the text).
        assert "— druk op r om het antwoord opnieuw te versturen (de tekst staat klaar)" in shown
        assert "\x1b" not in shown
        # The store keeps the row as it failed (the view only reads it).
        [kept] = await tui_store.outbox_items(response_id=r.id)
        assert (kept.state, kept.action.text, kept.last_error) == (OutboxState.FAILED, text, why)
        # r opens the reply editor with that text; sent, it is queued anew.
        await press(pilot, "r")
        assert app.screen.query_one("#editor-text").text == text
        await press(pilot, "ctrl+s")
        again = await tui_store.outbox_items(response_id=r.id)
        assert [(i.state, i.action.text) for i in again] == [
            (OutboxState.PENDING, text),
            (OutboxState.FAILED, text),
        ]


async def test_a_refused_write_back_is_sent_again_by_its_key(tui_store, make_app):
    """A decision the site refused (a 403) stayed '!' for ever: its key pressed again
    did nothing. The view now says which key sends it again (as configured: spam is
    remapped here), that key queues it anew ('↻', a pending row, journalled as a resend)
    (in English: one app run; the Dutch words are the same table's, and the failed
    reply's test sends a reply again)."""
    from reactieveld.model import Capability
    from reactieveld.tui.messages import StoreChanged

    app = make_app(tui_store, language="en", keymap={"spam": "o"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await press(pilot, "tab", "tab", "tab", "tab", "tab")  # all
        rid = screen.queue.current.response.id
        await press(pilot, "o")  # spam, and the queue moves on
        [first] = await tui_store.outbox_items(response_id=rid)
        why = "blog: HTTP 403: Sorry, you are not allowed to edit this comment."
        await tui_store.outbox_fail(first.id, error=why)
        app.post_message(StoreChanged())
        await settle(app, pilot)
        assert await screen.queue.jump_to_response(rid)  # back to it: the view reads it
        await settle(app, pilot)
        assert screen.queue.current.response.id == rid
        shown = screen.query_one("#response").render_content().plain
        assert "not allowed to edit this comment. — press o again to send it again" in shown
        assert "! spam" in screen.queue._render_row(screen.queue.current, 120, False, False).text
        header = screen_text(app)[0]
        assert "│ not written back: 1" in header and "conflict" not in header, header

        await press(pilot, "o")
        again, kept = await tui_store.outbox_items(response_id=rid)
        assert (again.state, kept.id, kept.state) == (OutboxState.PENDING, first.id, "failed")
        assert again.action.capability is Capability.SPAM
        [entry] = await tui_store.journal(rid, limit=1)
        assert (entry.actor, entry.after.get("retry")) == ("tester", first.id)
        row = await tui_store.get(rid)
        assert row.outbox_state == "pending"
        assert "↻ spam" in screen.queue._render_row(row, 120, False, False).text


async def test_large_store_opens_and_pages(tmp_path, make_app):
    """2,500 rows: the window grows as the cursor moves; G and g jump."""
    store = await sample_store(tmp_path / "big.db", count=2500)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            assert screen.queue.total == 2500
            assert len(screen.queue.rows) < 2500
            for _ in range(12):
                await press(pilot, "pagedown")
            assert screen.queue.current is not None
            index = screen.queue.cursor
            assert current_ext(screen) == f"c{2499 - index}"
            await press(pilot, "G")
            assert current_ext(screen) == "c0"
            assert screen.queue.cursor == 2499
            await pilot.press("k")
            assert current_ext(screen) == "c1"
            await press(pilot, "g")
            assert current_ext(screen) == "c2499"
            # A far jump (as the scrollbar does) loads a window around the index.
            screen.queue.move_to(1234)
            await settle(app, pilot)
            assert current_ext(screen) == f"c{2499 - 1234}"
    finally:
        await store.close()


async def test_settings_switch_the_language(tui_store, make_app):
    app = make_app(tui_store, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f2", "e")
        screen = await ready(app, pilot)
        assert app.i18n.language == "en"
        assert "New 30" in screen.query_one("#queue-tabs").render_content().plain
        await press(pilot, "a")  # the keys still act on the store
        assert (
            await tui_store.get_by_external("blog", "c29")
        ).response.triage is TriageState.HANDLED


@pytest.mark.parametrize("key", ["n", "r"])
async def test_keys_typed_right_behind_the_dialog_key_are_not_lost(tui_store, make_app, key):
    # A fast typist (or a paste) sends "nBel" in one burst: the letters arrive before the
    # editor has mounted and focused its text area, and must land in it, not vanish.
    from textual import events

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for ch in key + "Bel":
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#editor-text").text == "Bel"


async def test_search_text_typed_right_behind_slash_is_not_lost(tui_store, make_app):
    from textual import events
    from textual.widgets import Input

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        for ch in "/woning":
            app.post_message(events.Key("slash" if ch == "/" else ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not screen
        assert app.screen.query_one(Input).value == "woning"


async def test_role_key_typed_right_behind_w_sets_the_role(tui_store, make_app):
    from textual import events

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        for ch in "wo":
            app.post_message(events.Key(ch, ch))
        await settle(app, pilot)
        assert app.screen is screen
        row = await tui_store.get(rid)
        assert row.role == "ondernemer"


@pytest.mark.parametrize(("key", "last"), [("f", "#filter-clear"), ("E", "#export-cancel")])
async def test_dialogs_scroll_to_their_buttons_in_a_small_terminal(tui_store, make_app, key, last):
    # In 80x24 the filter and export dialogs are taller than the screen: tabbing to the
    # last button must bring it into view (a dialog that clips cannot show it at all).
    from textual.errors import NoWidget

    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press(key)
        dialog = app.screen
        button = dialog.query_one(last)
        for _ in range(12):
            if dialog.focused is button:
                break
            await pilot.press("tab")
        assert dialog.focused is button
        await pilot.pause()
        try:
            region = dialog.find_widget(button).region
        except NoWidget:
            region = None
        assert region is not None and region.height > 0
        assert dialog.region.contains_region(region)


async def test_thread_screen_footer_speaks_dutch(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ThreadScreen)
        labels = {b.binding.id: b.binding.description for b in app.screen.active_bindings.values()}
        assert labels["thread.back"] == "Terug"


async def test_many_new_responses_above_a_short_queue_keep_the_cursor_in_view(tmp_path, make_app):
    # A queue that fits on the screen (nothing to scroll), the cursor on its last row;
    # then a sync brings 40 newer responses. The cursor stays on its response, and the
    # view follows it: before, the scroll was clamped to the old (short) height and the
    # cursor ended up below the screen.
    from reactieveld.tui.messages import StoreChanged

    store = await sample_store(tmp_path / "short.db", count=3)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await press(pilot, "G")
            cursor_id = screen.queue.current.response.id
            newer, threads = sample_responses(count=40, start=100, t0=T0 + timedelta(hours=9))
            await fill_store(store, "blog", newer, threads)
            app.post_message(StoreChanged())
            await settle(app, pilot)
            queue = screen.queue
            assert queue.current.response.id == cursor_id
            assert queue.cursor == 42
            top = int(queue.scroll_y)
            assert top <= queue.cursor < top + queue.scrollable_content_region.height
    finally:
        await store.close()


async def test_switching_the_language_keeps_the_queue_filter_and_cursor(tui_store, make_app):
    # The moderator is in "On hold", filtered, on some response; a language switch
    # rebuilds the screen in the other language at the same place (not back on "New").
    from reactieveld.tui.queues import FilterChoice

    app = make_app(tui_store, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await screen.show_queue("all")
        from reactieveld.tui.queues import queue_filter

        screen.choice = FilterChoice(source="blog")
        await screen.queue.load(queue_filter("all", screen.choice))
        await press(pilot, "j", "j", "j")
        rid = screen.queue.current.response.id
        await pilot.press("f2", "e")
        screen = await ready(app, pilot)
        assert app.i18n.language == "en"
        assert screen.queue_name == "all"
        assert screen.choice == FilterChoice(source="blog")
        assert screen.query_one("#queue-tabs").active == "all"
        assert "blog" in screen.query_one("#status-line").render_content().plain
        assert screen.queue.current.response.id == rid


async def test_a_source_error_says_why_once(tui_store, make_app):
    # The header only says "fout": the reason is told in a notification, once per new
    # error (not at every retry), for a source that could not be set up as well.
    from reactieveld.sync import SyncEvent

    app = make_app(tui_store, source_errors={"forum": "no api key: set DISCOURSE_KEY"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)

        def told() -> list[str]:
            return [n.message for n in app._notifications]

        assert told() == ["forum: no api key: set DISCOURSE_KEY"]
        error = "HTTP 401 rest_forbidden_context: check the username and password [/]"
        await app._on_sync_event(SyncEvent("blog", "error", error=error))
        await app._on_sync_event(SyncEvent("blog", "error", error=error))  # a retry
        await settle(app, pilot)
        assert told()[1:] == [f"blog: {error}"]
        assert "blog fout" in app.screen.query_one("#status-line").render_content().plain


@pytest.mark.parametrize(
    ("language", "notice", "line", "nothing"),
    [
        (
            "nl",
            "Actie ongedaan gemaakt: spam",
            "tester: actie ongedaan gemaakt: spam",
            "Niets om ongedaan te maken",
        ),
        ("en", "Action undone: spam", "tester: action undone: spam", "Nothing to undo"),
    ],
)
async def test_undo_notice_and_journal_say_what_was_undone(
    tui_store, make_app, language, notice, line, nothing
):
    """The notice starts with a capital (it read "spam ongedaan gemaakt" while other
    notices start with one), and the journal line names what was undone (it said only
    "ongedaan gemaakt"), in the notice's words; one response: no "(1×)"."""
    from reactieveld.tui.widgets.response_view import ResponseView

    app = make_app(tui_store, language=language)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        first = screen.queue.current.response.id
        await press(pilot, "s", "z")
        assert [n.message for n in app._notifications][-1] == notice
        assert screen.queue.current.response.id == first
        await settle(app, pilot)
        journal = screen.query_one(ResponseView).render_content().plain
        entries = [x for x in journal.splitlines() if x.startswith("  ") and ": " in x]
        assert entries[0].endswith(f" {line}"), journal  # the newest entry first
        await press(pilot, "z")
        assert [n.message for n in app._notifications][-1] == nothing


async def test_the_first_frame_shows_no_widget_name(tui_store, make_app, monkeypatch):
    """Before the response view is mounted, its place is blank: a bare Widget there drew
    "Widget#response-place" under the queue in the first frame of every start."""
    from textual.geometry import Region

    async def later(self: TriageScreen) -> None:
        return None  # the first frame, held: the rest is not mounted

    monkeypatch.setattr(TriageScreen, "_mount_the_rest", later)
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        place = app.screen.query_one("#response-place")
        w, h = place.size
        assert h > 0
        drawn = "".join(strip.text for strip in place.render_lines(Region(0, 0, w, h)))
        assert drawn.strip() == ""
