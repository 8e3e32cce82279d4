"""Keys act in the order they were typed: keys sent in one burst (as a fast typist or a
paste gives them, none waiting for the one before) leave the store as the same keys
pressed one at a time, each waited for; keys typed behind one that opens a dialog go to
the editor, and a reply typed in one burst with ``ctrl+s`` is stored whole. The same on
the thread screen (``enter``, ``space``), around the app's own keys (``D``, ``E``,
``f2``, ``/``), for keys trickling in while a dialog opens (``trickle``), and for keys
typed behind one that moves the focus (``tab`` in the export and filter dialogs)."""

from __future__ import annotations

import asyncio
import random
import unicodedata
from typing import Any

import pytest
from helpers.app import SIZE, press, ready, settle
from helpers.data import sample_store
from helpers.store import sql
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

pytestmark = pytest.mark.usefixtures("tui_env")

#: The triage keys of the generated sequences: moving, deciding, marking.
KEYS = ("j", "k", "a", "s", "d", "u", "space", "x")


def send(app: Any, *keys: str) -> None:
    """Give ``keys`` to the app as its terminal driver does, at once."""
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def burst(pilot: Any, *keys: str) -> None:
    """Send ``keys`` at once, as the terminal gives a fast typist's keys (``pilot.press``
    waits for the app to be idle after each key), then wait for the workers."""
    send(pilot.app, *keys)
    await settle(pilot.app, pilot)


async def _actions(store: Any) -> list[tuple[Any, ...]]:
    return await sql(
        store,
        "SELECT a.kind, r.external_id, a.reason FROM actions a "
        "JOIN responses r ON r.id = a.response_id ORDER BY a.id",
    )


async def _run(
    tmp_path: Any,
    make_app: Any,
    name: str,
    keys: list[str],
    *,
    fast: bool,
    before: tuple[str, ...] = (),
    **kw: Any,
):
    """The store's actions and outbox texts after ``keys`` on a fresh memory (after the
    keys ``before``, pressed one at a time in both runs)."""
    store = await sample_store(tmp_path / f"{name}-{fast}.db")
    try:
        app = make_app(store, **kw)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            for key in before:
                await press(pilot, key)
            if fast:
                await burst(pilot, *keys)
            else:
                for key in keys:
                    await press(pilot, key)
            await settle(app, pilot)
        texts = [item.action.text for item in await store.outbox_items()]
        return await _actions(store), texts
    finally:
        await store.close()


#: The runs of keys pressed one at a time made in this process, by their keys and options:
#: where the keys do not depend on the seed, every seed's trickled run is compared with
#: the same reference, and a run of it (each key waited for) is most of such a test's time.
_REFERENCES: dict[str, Any] = {}


async def _reference(make: Any, *given: Any) -> Any:
    """What ``make()`` gives, made once per process for the same ``given`` (the keys and
    options of a one-at-a-time run, which gives the same store whenever it is made)."""
    key = repr(given)
    if key not in _REFERENCES:
        _REFERENCES[key] = await make()
    return _REFERENCES[key]


async def _one_at_a_time(
    tmp_path: Any, make_app: Any, name: str, keys: list[str], **kw: Any
) -> tuple[Any, Any]:
    """``_run`` with ``fast=False``, made once per process for the same keys and options."""
    return await _reference(
        lambda: _run(tmp_path, make_app, name, keys, fast=False, **kw), name, keys, kw
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_burst_of_keys_decides_as_the_keys_one_at_a_time(tmp_path, make_app, seed):
    keys = random.Random(seed).choices(KEYS, k=14)
    slow = await _run(tmp_path, make_app, "seq", keys, fast=False)
    fast = await _run(tmp_path, make_app, "seq", keys, fast=True)
    assert slow[0], keys  # something was decided
    assert fast == slow, keys


async def test_j_then_s_decides_on_the_second_row(tmp_path, make_app):
    actions, _ = await _run(tmp_path, make_app, "js", ["j", "s"], fast=True)
    assert [a[:2] for a in actions] == [("moderate", "c28")]


async def test_a_reply_typed_in_one_burst_is_stored_whole(tmp_path, make_app):
    text = "Dank u wel, we nemen het mee."
    keys = ["j", "r", *text, "ctrl+s", "j", "a"]  # the reply moves on to c27; j: c26
    actions, texts = await _run(tmp_path, make_app, "reply", keys, fast=True)
    assert texts == [text]
    assert [a[:2] for a in actions] == [("reply", "c28"), ("moderate", "c26")]


async def test_a_notice_of_the_screen_below_a_dialog_waits_until_it_is_on_top(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await press(pilot, "question_mark")  # the help screen over the queue
        assert app.screen is not screen
        screen._say("later, please")
        assert [n.message for n in app._notifications] == []
        await press(pilot, "escape")
        assert app.screen is screen
        assert [n.message for n in app._notifications] == ["later, please"]


async def test_keys_behind_a_reason_dialog_go_to_it_and_after_it_in_order(tmp_path, make_app):
    from reactieveld.reasons import ReasonsConfig

    keys = ["j", "d", "3", "j", "u", "1", "a"]
    kw = {"reasons": ReasonsConfig()}  # trash and hold ask
    slow = await _run(tmp_path, make_app, "reason", keys, fast=False, **kw)
    fast = await _run(tmp_path, make_app, "reason", keys, fast=True, **kw)
    assert len(slow[0]) == 3
    assert fast == slow


# -- the thread screen ----------------------------------------------------------------
#: The thread screen's keys of the generated sequences: moving, folding.
THREAD_KEYS = ("j", "k", "space", "left", "right", "G")


async def _thread_run(tmp_path: Any, make_app: Any, name: str, keys: list[str], *, fast: bool):
    """``_run`` with ``keys`` typed on the thread screen (``enter`` on the queue)."""
    return await _run(tmp_path, make_app, name, keys, fast=fast, before=("enter",))


async def test_j_j_enter_on_the_thread_screen_opens_the_second_response_down(tmp_path, make_app):
    keys = ["j", "j", "enter", "a"]  # approve what enter opened in the queue
    slow = await _thread_run(tmp_path, make_app, "thread", keys, fast=False)
    fast = await _thread_run(tmp_path, make_app, "thread", keys, fast=True)
    assert len(slow[0]) == 1
    assert fast == slow


@pytest.mark.parametrize("seed", range(1, 7))
async def test_a_burst_on_the_thread_screen_moves_and_folds_as_one_key_at_a_time(
    tmp_path, make_app, seed
):
    keys = [*random.Random(seed).choices(THREAD_KEYS, k=8), "j", "enter", "j", "s", "k", "a"]
    slow = await _thread_run(tmp_path, make_app, "thread", keys, fast=False)
    fast = await _thread_run(tmp_path, make_app, "thread", keys, fast=True)
    assert len(slow[0]) == 2, keys
    assert fast == slow, keys


# -- the app's own keys ------------------------------------------------------------------
#: The app's own keys (tui/app.py ``_app_bindings``): dashboard, export, settings, search.
APP_KEYS = ("D", "E", "f2", "slash")


@pytest.mark.parametrize("key", APP_KEYS)
async def test_an_app_key_runs_after_the_triage_keys_typed_before_it(tmp_path, make_app, key):
    # a: decided on c29 (the cursor moves on to c28), j: c27; the app's screen opens,
    # j goes to that screen (not the queue), escape closes it, s decides on c27.
    keys = ["a", "j", key, "j", "escape", "s"]
    slow = await _run(tmp_path, make_app, "app", keys, fast=False)
    fast = await _run(tmp_path, make_app, "app", keys, fast=True)
    assert [a[:2] for a in slow[0]] == [("moderate", "c29"), ("moderate", "c27")]
    assert fast == slow


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_burst_with_an_app_key_decides_as_the_keys_one_at_a_time(tmp_path, make_app, seed):
    rnd = random.Random(seed)
    keys = [*rnd.choices(KEYS, k=6), rnd.choice(APP_KEYS), "escape", *rnd.choices(KEYS, k=6)]
    slow = await _run(tmp_path, make_app, "appseq", keys, fast=False)
    fast = await _run(tmp_path, make_app, "appseq", keys, fast=True)
    assert slow[0], keys
    assert fast == slow, keys


# -- keys arriving while a dialog opens ------------------------------------------------


async def trickle(pilot: Any, keys: list[str], rnd: random.Random) -> None:
    """Send ``keys`` one by one, each after the app's tasks took 0 to 8 steps (the event
    loop turns, no time waited): keys arriving at any point of what the keys before them
    started, e.g. while a dialog is mounting, before it gave its field the focus."""
    for key in keys:
        send(pilot.app, key)
        for _ in range(rnd.choice((0, 0, 1, 2, 3, 5, 8))):
            await asyncio.sleep(0)
    await settle(pilot.app, pilot)


async def _trickle_run(
    tmp_path: Any,
    make_app: Any,
    keys: list[str],
    seed: int,
    *,
    before: tuple[str, ...] = (),
    **kw: Any,
):
    """``_run`` with ``keys`` trickled (after the keys ``before``, one at a time)."""
    store = await sample_store(tmp_path / f"trickle-{seed}.db")
    try:
        app = make_app(store, **kw)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            for key in before:
                await press(pilot, key)
            await trickle(pilot, keys, random.Random(seed))
            await settle(app, pilot)
        texts = [item.action.text for item in await store.outbox_items()]
        return await _actions(store), texts
    finally:
        await store.close()


@pytest.mark.parametrize("seed", range(12))
async def test_keys_typed_while_the_editor_opens_reach_it_in_order(tmp_path, make_app, seed):
    text = "Dank u wel, we nemen het mee."
    keys = ["j", "r", *text, "ctrl+s", "j", "a"]  # as test_a_reply_typed_in_one_burst
    actions, texts = await _trickle_run(tmp_path, make_app, keys, seed)
    assert texts == [text]
    assert [a[:2] for a in actions] == [("reply", "c28"), ("moderate", "c26")]


@pytest.mark.parametrize("seed", range(3))
async def test_keys_trickled_through_reason_dialogs_decide_as_one_at_a_time(
    tmp_path, make_app, seed
):
    from reactieveld.reasons import ReasonsConfig

    keys = ["j", "d", "3", "j", "u", "1", "a", "k", "d", "2"]
    kw = {"reasons": ReasonsConfig()}  # trash and hold ask
    slow = await _one_at_a_time(tmp_path, make_app, "reason", keys, **kw)
    trickled = await _trickle_run(tmp_path, make_app, keys, seed, **kw)
    assert len(slow[0]) == 4
    assert trickled == slow


@pytest.mark.parametrize("seed", range(3))
async def test_keys_trickled_around_an_app_key_decide_as_one_at_a_time(tmp_path, make_app, seed):
    rnd = random.Random(seed)
    keys = [*rnd.choices(KEYS, k=5), rnd.choice(APP_KEYS), "j", "escape", *rnd.choices(KEYS, k=5)]
    slow = await _run(tmp_path, make_app, "apptrickle", keys, fast=False)
    trickled = await _trickle_run(tmp_path, make_app, keys, seed)
    assert slow[0], keys
    assert trickled == slow, keys


async def test_keys_typed_behind_enter_move_in_the_thread_tree(tmp_path, make_app):
    keys = ["enter", "j", "j", "enter", "a"]  # the thread opens, moves, opens, approves
    slow = await _run(tmp_path, make_app, "threadburst", keys, fast=False)
    fast = await _run(tmp_path, make_app, "threadburst", keys, fast=True)
    assert len(slow[0]) == 1
    assert fast == slow


# -- the export dialog's file name box --------------------------------------------------
#: Keys typed in the export dialog's file name box: characters and the box's own keys.
NAME_KEYS = ("r", "a", "p", "backspace", "left", "right", "home", "end", "delete")
#: How the dialog is left: cancelled, or the report written (enter in the box, ctrl+s).
DIALOG_ENDS = ("escape", "enter", "ctrl+s")


async def _report_runs(
    tmp_path: Any,
    make_app: Any,
    monkeypatch: Any,
    keys: list[str],
    seed: int,
    before: tuple[str, ...] = (),
) -> list[tuple[Any, ...]]:
    """The runs of ``keys`` one at a time and trickled (:func:`_trickle_run`), each the
    store's actions, outbox texts and the names of the reports written (in the app's
    directory, a fresh one for each run); the one at a time made once per process for the
    same keys."""

    async def run(fast: bool) -> tuple[Any, ...]:
        folder = tmp_path / f"reports-{fast}"  # the app's directory: the report goes there
        folder.mkdir()
        monkeypatch.chdir(folder)
        if fast:
            done = await _trickle_run(tmp_path, make_app, keys, seed, before=before)
        else:
            done = await _run(tmp_path, make_app, "export", keys, fast=False, before=before)
        return (*done, sorted(p.name for p in folder.iterdir()))

    return [await _reference(lambda: run(False), "export", keys, before), await run(True)]


@pytest.mark.parametrize("seed", range(8))
async def test_keys_trickled_in_the_export_file_name_act_as_one_at_a_time(
    tmp_path, make_app, monkeypatch, seed
):
    rnd = random.Random(seed)
    # A name typed over the selected default (never empty: the last "p"), edited; the
    # dialog left; then keys for the queue, which must not end up in the name.
    end = rnd.choice(DIALOG_ENDS)
    keys = ["r", *rnd.choices(NAME_KEYS, k=8), "p", end, "j", *rnd.choices(KEYS, k=4), "s"]
    before = ("E", "tab", "tab", "tab")  # the dialog; tab to its file name box
    slow, trickled = await _report_runs(tmp_path, make_app, monkeypatch, keys, seed, before)
    assert slow[0], keys  # the queue's keys decided
    assert len(slow[2]) == (end != "escape"), keys  # one report, or none when cancelled
    assert trickled == slow, keys


# -- keys typed behind a key that moves the focus ---------------------------------------
#: From the export dialog's first field (the format) to its file name box: three fields
#: on (format, queue, personal data, name), or back round the end (cancel, export, name).
TO_NAME_BOX = {"tab": ["tab"] * 3, "shift+tab": ["shift+tab"] * 3}


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("move", sorted(TO_NAME_BOX))
async def test_a_name_typed_behind_tab_goes_into_the_box_tab_moved_to(
    tmp_path, make_app, monkeypatch, move, seed
):
    # The name typed at once behind the tabs that reach its box: each key acts where the
    # focus is after the keys before it, as typed one at a time (the characters went to
    # the field tab left, or were taken as its keys, when they arrived before tab moved).
    keys = ["E", *TO_NAME_BOX[move], *"verslag.md", "ctrl+s", "j", "s"]
    slow, trickled = await _report_runs(tmp_path, make_app, monkeypatch, keys, seed)
    assert slow[2] == ["verslag.md"], keys
    assert [a[:2] for a in slow[0]] == [("moderate", "c28")], keys
    assert trickled == slow, keys


@pytest.mark.parametrize("seed", range(8))
async def test_a_choice_typed_behind_tab_in_the_filter_dialog_is_made_in_the_next_select(
    tmp_path, make_app, seed
):
    # f: the filter dialog, its source select focused; tab to the status select, enter
    # opens its list, down down enter chooses, ctrl+s applies; s decides in that queue.
    keys = ["f", "tab", "enter", "down", "down", "enter", "ctrl+s", "s"]
    slow = await _one_at_a_time(tmp_path, make_app, "filter", keys)
    trickled = await _trickle_run(tmp_path, make_app, keys, seed)
    assert len(slow[0]) == 1, keys
    assert trickled == slow, keys
