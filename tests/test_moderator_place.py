"""Issue 11, section 3: the moderator's work and place are not lost: reply and note
drafts, the queue after a filter, search's query, the thread tree's keys, feedback after
a decision, the language chosen with f2. Checked in the store, not only on screen."""

from __future__ import annotations

import pytest
from helpers.app import SIZE, press, ready, settle
from textual.widgets import TextArea

from reactieveld.tui.screens.editor import DraftKey, DraftQuestion, EditorScreen
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env")


async def _editor_text(app, pilot, key: str) -> str:
    await pilot.press(key)
    assert isinstance(app.screen, EditorScreen)
    return app.screen.query_one(TextArea).text


@pytest.mark.parametrize("key", ["r", "n"])
async def test_escape_keeps_a_draft_that_reopening_restores(tui_store, make_app, key):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await pilot.press(key, *"Beste Anne", "escape")
        assert isinstance(app.screen, DraftQuestion)  # asked, not thrown away
        await press(pilot, "enter")
        assert isinstance(app.screen, TriageScreen)
        assert any("Concept bewaard" in str(n.message) for n in app._notifications)
        # Another response has no draft; this one has it back.
        await pilot.press("j")
        assert await _editor_text(app, pilot, key) == ""
        await pilot.press("escape", "k")
        assert screen.queue.current.response.id == rid
        assert await _editor_text(app, pilot, key) == "Beste Anne"
        # Escape then "back to editing" returns to the text, still there.
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, EditorScreen)
        await press(pilot, *", dank", "ctrl+s")
        if key == "r":
            outbox = await tui_store.outbox_items()
            assert [o.action.text for o in outbox] == ["Beste Anne, dank"]
        else:
            assert [n.text for n in await tui_store.notes(rid)] == ["Beste Anne, dank"]
        assert app.drafts == {}  # sent: the draft is gone
        assert await screen.show_response(rid)  # back on it (a reply moved on)
        await settle(app, pilot)
        assert await _editor_text(app, pilot, key) == ""


async def test_discard_drops_the_draft(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await pilot.press("r", *"weg ermee", "escape", "enter")
        assert app.drafts == {DraftKey("reply", rid): "weg ermee"}
        await pilot.press("r")
        await press(pilot, "escape", "d")
        assert isinstance(app.screen, TriageScreen)
        assert app.drafts == {}
        assert await _editor_text(app, pilot, "r") == ""
        assert await tui_store.outbox_items() == []


# -- the queue after a filter ---------------------------------------------------------------


async def _big_store(tmp_path, count=200):
    from helpers.data import sample_store

    return await sample_store(tmp_path / "big.db", count=count)


def _shown(screen):
    """The response the view shows, and whether the cursor's row is on screen."""
    from reactieveld.tui.widgets.response_view import ResponseView

    queue = screen.queue
    view = screen.query_one(ResponseView)
    visible = queue.scroll_y <= queue.cursor < queue.scroll_y + queue.size.height
    return (view.row.response.id if view.row else None), visible


@pytest.mark.parametrize("keeps", [False, True])
async def test_a_filter_after_scrolling_selects_a_row_of_the_new_list(tmp_path, make_app, keeps):
    from reactieveld.model import RemoteStatus
    from reactieveld.tui.queues import FilterChoice, queue_filter

    store = await _big_store(tmp_path)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await press(pilot, *["j"] * 30)
            before = screen.queue.current.response
            assert before.remote_status is RemoteStatus.APPROVED
            status = RemoteStatus.APPROVED if keeps else RemoteStatus.HOLD
            choice = FilterChoice(status=status)
            await screen.set_choice(choice)
            await settle(app, pilot)
            listed = [r.response.id for r in await store.queue(queue_filter("new", choice))]
            current = screen.queue.current
            assert current is not None and current.response.id in listed
            if keeps:
                assert current.response.id == before.id  # still in the list: stays on it
            else:
                assert current.response.id == listed[0]  # gone: the first row of the list
            shown, visible = _shown(screen)
            assert shown == current.response.id and visible
            body = (await store.get(shown)).response.body_text
            assert body.splitlines()[0] in screen.query_one("#response").render_content().plain
    finally:
        await store.close()


async def test_a_filter_that_empties_the_list_says_so(tui_store, make_app):
    from reactieveld.tui.queues import FilterChoice

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press(*["j"] * 10)
        await screen.set_choice(FilterChoice(source="no-such-source"))
        await settle(app, pilot)
        assert screen.queue.current is None
        assert _shown(screen) == (None, True) or _shown(screen)[0] is None
        assert "Geen reacties" in screen.query_one("#response").render_content().plain


# -- search remembers ---------------------------------------------------------------------


async def _searched(app, pilot, screen_type):
    await settle(app, pilot)
    assert isinstance(app.screen, screen_type)
    return app.screen


@pytest.mark.parametrize("leave", ["enter", "escape"])
async def test_slash_again_shows_the_last_query_with_its_hits_and_cursor(
    tui_store, make_app, leave
):
    from textual.widgets import Input, OptionList

    from reactieveld.tui.screens.search import SearchScreen

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        triage = await ready(app, pilot)
        await pilot.press("slash", *"fietsers")
        search = await _searched(app, pilot, SearchScreen)
        hits = [r.response.id for r in search.rows]
        assert len(hits) == 5
        await pilot.press("enter", "down", "down")  # to the list, the third hit
        await press(pilot, leave)
        assert app.screen is triage
        if leave == "enter":
            assert triage.queue.current.response.id == hits[2]
        await pilot.press("slash")
        again = await _searched(app, pilot, SearchScreen)
        assert again is not search
        assert again.query_one(Input).value == "fietsers"
        assert [r.response.id for r in again.rows] == hits
        assert again.query_one(OptionList).highlighted == 2
        # Typing replaces the remembered query (it is selected), and searches anew.
        await press(pilot, *"zwembad")
        assert again.query_one(Input).value == "zwembad"
        assert {r.response.body_text for r in again.rows} == {
            "Ik mis de jongeren in dit verhaal.\nZij gebruiken het zwembad het meest."
        }


# -- the thread tree moves as the queue --------------------------------------------------


async def _thread(app, pilot):
    from reactieveld.tui.screens.thread import ThreadScreen

    await press(pilot, "enter")
    thread = app.screen
    assert isinstance(thread, ThreadScreen) and thread.loaded
    return thread, thread.query_one("#thread-tree")


async def test_the_thread_tree_moves_folds_and_opens_like_the_queue(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        triage = await ready(app, pilot)
        start = triage.queue.current.response.id
        thread, tree = await _thread(app, pilot)
        assert tree.cursor_node.data == start
        await pilot.press("g")
        assert tree.cursor_line == 0
        await pilot.press("j", "j")
        assert tree.cursor_line == 2
        await pilot.press("k")
        assert tree.cursor_line == 1
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line > 2
        # Folding: space toggles, left folds, right unfolds; enter does not fold.
        parent = next(n for n in tree.root.children if n.children)
        tree.move_cursor(parent)
        await pilot.pause()
        await pilot.press("space")
        assert not parent.is_expanded
        await pilot.press("right")
        assert parent.is_expanded
        await pilot.press("left")
        assert not parent.is_expanded
        await pilot.press("space")
        assert parent.is_expanded
        # enter opens the response under the cursor in the queue.
        await pilot.press("j")
        wanted = tree.cursor_node.data
        assert wanted == parent.children[0].data
        await press(pilot, "enter")
        assert app.screen is triage
        assert triage.queue.current.response.id == wanted
        assert (await tui_store.get(wanted)).response.parent_external_id is not None


async def test_the_thread_tree_follows_remapped_keys(tui_store, make_app):
    app = make_app(tui_store, keymap={"down": "ctrl+n", "first": "ctrl+g"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        thread, tree = await _thread(app, pilot)
        await pilot.press("ctrl+g")
        assert tree.cursor_line == 0
        await pilot.press("ctrl+n")
        assert tree.cursor_line == 1
        await pilot.press("j", "g")  # no longer bound
        assert tree.cursor_line == 1
        labels = {b.binding.id: b.binding.description for b in thread.active_bindings.values()}
        assert labels["thread.open"] == "Openen in de wachtrij"
        assert labels["thread.fold"] == "In-/uitklappen"


# -- a decision says what it did ------------------------------------------------------------

DECISIONS = {
    # key: (Dutch, English, the state the store must show)
    "a": ("Goedgekeurd", "Approved", "approved"),
    "u": ("In afwachting", "On hold", "hold"),
    "s": ("Spam", "Spam", "spam"),
    "d": ("Prullenbak", "Trash", "trash"),
    "x": ("Afgehandeld", "Handled", None),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("marked", [0, 3])
@pytest.mark.parametrize("key", [*DECISIONS])
async def test_a_decision_says_what_it_did(tui_store, make_app, key, marked, language):
    from reactieveld.model import TriageState

    app = make_app(tui_store, language=language)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        if marked:
            await pilot.press(*["space"] * marked)
            targets = sorted(screen.queue.marked)
        else:
            targets = [screen.queue.current.response.id]
        app.clear_notifications()
        await press(pilot, key)
        nl, en, status = DECISIONS[key]
        # The count a second way: the targeted rows the store now shows as decided.
        rows = [await tui_store.get(rid) for rid in targets]
        done = [
            r
            for r in rows
            if r.response.triage is TriageState.HANDLED
            and (status is None or r.response.remote_status.value == status)
        ]
        assert len(done) == len(targets)
        messages = [str(n.message) for n in app._notifications]
        assert messages == [f"{nl if language == 'nl' else en}: {len(done)}"]


# -- f2's language is kept for the next start --------------------------------------------


def test_the_state_file_is_written_whole_and_private(tmp_path):
    import stat

    from reactieveld.state import read_state, save_state, saved_language

    path = tmp_path / "state" / "state.json"
    assert read_state(path) == {} and saved_language(path) is None
    save_state(path, language="en")
    save_state(path, other=1)  # merged, not replaced
    assert read_state(path) == {"language": "en", "other": 1}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temp file left
    for damaged in ("{", "[1]", '{"language": "fr"}', "\udcff"):
        path.write_text(damaged, encoding="utf-8", errors="surrogateescape")
        assert saved_language(path) is None


@pytest.mark.parametrize(
    ("given", "fixed_by", "saved", "expected"),
    [
        ("nl", None, "en", "en"),  # the locale's nl: the saved choice goes first
        ("nl", None, None, "nl"),
        ("nl", "--lang", "en", "nl"),
        ("nl", "[ui] language", "en", "nl"),
    ],
)
def test_the_language_at_start(tmp_path, given, fixed_by, saved, expected):
    from reactieveld.state import save_state, start_language

    path = tmp_path / "state.json"
    if saved:
        save_state(path, language=saved)
    assert start_language(given, fixed_by, path) == expected


async def test_f2_is_kept_across_a_restart(tui_store, make_app, tmp_path):
    from reactieveld.state import read_state, start_language
    from reactieveld.tui.screens.settings import SettingsScreen

    path = tmp_path / "xdg-state" / "reactieveld" / "state.json"
    app = make_app(tui_store, language="nl", state_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, SettingsScreen)
        note = app.screen.query(".dialog-hint").first().render()
        assert "bewaard voor de volgende start" in str(note)
        await press(pilot, "e")
        assert app.i18n.language == "en"
    assert read_state(path) == {"language": "en"}
    # The next start: a new app, its language from the state file (the locale said nl).
    again = make_app(tui_store, language=start_language("nl", None, path), state_path=path)
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(again, pilot)
        assert again.i18n.language == "en"
        assert "No responses" not in screen.query_one("#response").render_content().plain
        labels = {b.binding.id: b.binding.description for b in screen.active_bindings.values()}
        assert labels["approve"] == "Approve"


async def test_f2_says_when_the_config_decides(tui_store, make_app, tmp_path):
    from reactieveld.tui.screens.settings import SettingsScreen

    path = tmp_path / "state.json"
    app = make_app(tui_store, language="nl", state_path=path, language_fixed_by="[ui] language")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, SettingsScreen)
        note = str(app.screen.query(".dialog-hint").first().render())
        assert note == "Alleen voor deze sessie: bij het starten bepaalt [ui] language de taal."
        await press(pilot, "e")
        assert app.i18n.language == "en"
    assert not path.exists()  # for this session only


@pytest.mark.parametrize(
    ("argv", "config", "fixed_by"),
    [
        ([], "", None),
        (["--lang", "en"], "", "--lang"),
        ([], '[ui]\nlanguage = "nl"\n', "[ui] language"),
    ],
)
def test_the_cli_says_what_decides_the_language(tmp_path, monkeypatch, argv, config, fixed_by):
    import reactieveld.tui.app as tui_app
    from reactieveld.cli import main

    cfg = tmp_path / "config.toml"
    cfg.write_text(config, encoding="utf-8")
    seen = {}
    monkeypatch.setattr(tui_app, "run_app", lambda *a, **kw: seen.update(kw) or 0)
    assert main(["--config", str(cfg), "--db", str(tmp_path / "m.db"), *argv]) == 0
    assert seen["language_fixed_by"] == fixed_by
