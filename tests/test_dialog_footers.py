"""Every dialog's bottom line shows its own keys, help first (issue 11: "the footer always
shows how to get help").

The dialogs (ModalScreens) had no footer: under the reason dialog and the reply editor
the last line still showed the triage screen's keys ("? Help q Quit a Approve u Hold …"),
which do nothing there (in the editor ``a`` and ``?`` are letters), and the filter dialog
covered the whole screen with no key line at all. Read as plain characters (NO_COLOR), as
in test_footer_help: the last line of the rendered screen holds the dialog's help key
and its own keys and none of the triage screen's; the help key lists the dialog's keys;
leaving the help returns to the dialog as it was (the typed text is sent whole).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, app_with, ready, screen_text, settled
from textual.screen import Screen
from textual.widgets import TextArea

from reactieveld.i18n import I18n
from reactieveld.reasons import ReasonsConfig
from reactieveld.tui.screens.editor import DraftQuestion, EditorScreen, QuitQuestion
from reactieveld.tui.screens.export import ExportScreen
from reactieveld.tui.screens.filters import FilterScreen
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.screens.reason import ReasonDialog
from reactieveld.tui.screens.role_picker import RolePicker
from reactieveld.tui.screens.settings import SettingsScreen
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.widgets.footer import KeyFooter

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: The triage screen's footer labels: none of them may show under a dialog.
TRIAGE_LABELS = ("key.quit", "key.approve", "key.hold", "key.handled", "key.role")

#: dialog -> (keys that open it from the triage screen, its class, the help key it shows,
#: its own keys as (shown key, i18n key of the label), in the footer's order)
DIALOGS: dict[str, tuple[tuple[str, ...], type[Screen[Any]], str, list[tuple[str, str]]]] = {
    "reply": (("r",), EditorScreen, "f1", [("^s", "key.send"), ("esc", "key.keep_or_discard")]),
    "note": (("n",), EditorScreen, "f1", [("^s", "key.save"), ("esc", "key.keep_or_discard")]),
    "draft": (
        ("r", "x", "escape"),
        DraftQuestion,
        "?",
        [("⏎", "key.keep_draft"), ("d", "draft.discard"), ("esc", "draft.edit")],
    ),
    "quit": (
        ("r", "x", "escape", "enter", "q"),
        QuitQuestion,
        "?",
        [("⏎", "key.quit_anyway"), ("esc", "key.back")],
    ),
    "reason": (("d",), ReasonDialog, "?", [("1-8", "key.reason"), ("esc", "key.cancel")]),
    "filters": (("f",), FilterScreen, "f1", [("^s", "filter.apply"), ("esc", "key.cancel")]),
    "export": (("E",), ExportScreen, "f1", [("^s", "export.go"), ("esc", "key.cancel")]),
    "role": (
        ("w",),
        RolePicker,
        "?",
        [("b/r/c/a/k/m/o/g", "key.pick_role"), ("⌫", "key.no_role"), ("esc", "key.cancel")],
    ),
    "settings": (
        ("f2",),
        SettingsScreen,
        "?",
        [("n/e", "settings.language"), ("esc", "key.cancel")],
    ),
}


def _app(store: Any, language: str) -> Any:
    # Trash and hold ask a reason (the default list); spam does not.
    return app_with(store, language, None, reasons=ReasonsConfig())


async def _open(app: Any, pilot: Any, name: str) -> Screen[Any]:
    await app.screen.queue.loaded.wait()
    await settled(pilot)
    keys, cls, _help, _own = DIALOGS[name]
    await pilot.press(*keys)
    await settled(pilot)
    assert type(app.screen) is cls
    return app.screen


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(DIALOGS))
@pytest.mark.parametrize("width", [80, 100, 120])
async def test_a_dialog_shows_its_own_keys_and_help_on_the_last_line(
    tui_store: Any, language: str, name: str, width: int
) -> None:
    _keys, _cls, help_key, own = DIALOGS[name]
    t = I18n(language).t
    app = _app(tui_store, language)
    async with app.run_test(size=(width, 24)) as pilot:
        dialog = await _open(app, pilot, name)
        assert isinstance(dialog.query_one("Footer"), KeyFooter)
        footer = screen_text(app)[-1]
        assert footer.startswith(f"{help_key} {t('key.help')}"), footer
        at = 0
        for key, label in own:  # each whole, in order
            found = footer.find(f"{key} {t(label)}", at)
            assert found > at, (footer, key, t(label))
            at = found
        # Beside the dialog's own items ("Quit anyway" holds the triage's "Quit"), none.
        rest = footer
        for key, label in own:
            rest = rest.replace(f"{key} {t(label)}", " ")
        for label in TRIAGE_LABELS:
            assert f" {t(label)} " not in f" {rest} ", (footer, label)
        # The dialog box is above the footer, whole: its last border row is not the
        # screen's last line.
        box = dialog.query_one(".dialog")
        assert box.region.bottom <= 24 - 1, box.region
        assert box.scroll_y == 0
        if (width, 24) == SMALL:  # at 80x24 its help too (in an app of its own: 1 s more)
            await _the_help_key_lists_the_dialogs_keys_and_escape_returns_to_it(
                app, pilot, dialog, language, name
            )


async def _help_and_back(app: Any, pilot: Any, key: str, dialog: Screen[Any]) -> str:
    """Press the help ``key`` in ``dialog``: the help screen, whose text is returned;
    escape: back to the same dialog."""
    await pilot.press("question_mark" if key == "?" else key)
    await settled(pilot)
    assert isinstance(app.screen, HelpScreen)
    shown = "\n".join(screen_text(app))
    await pilot.press("escape")
    await settled(pilot)
    assert app.screen is dialog
    return shown


async def _the_help_key_lists_the_dialogs_keys_and_escape_returns_to_it(
    app: Any, pilot: Any, dialog: Screen[Any], language: str, name: str
) -> None:
    """The dialog's help key (at 80x24) shows the help with the dialog's own keys, in the
    interface language; escape goes back to the same dialog."""
    _keys, _cls, help_key, own = DIALOGS[name]
    t = I18n(language).t
    shown = await _help_and_back(app, pilot, help_key, dialog)
    for _key, label in own:
        assert t(label) in shown, (label, shown)
    assert t("key.palette") not in shown  # the app's keys do not act in a dialog
    # Textual's own keys in the interface language too, not its English; its ^c copy
    # not at all (the help shows the app's keys, and tab between fields).
    assert "Focus Next" not in shown and "Copy selected text" not in shown
    assert t("key.copy") not in shown


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", ["r", "n"])
async def test_help_in_the_editor_keeps_the_typed_text(
    tui_store: Any, language: str, kind: str
) -> None:
    """``?`` is a character in the editor; f1 opens the help; escape comes back to the
    text, which is sent whole, question mark and all."""
    app = _app(tui_store, language)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await pilot.press(kind, *"Waarom?")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await _help_and_back(app, pilot, "f1", editor)
        assert editor.query_one(TextArea).text == "Waarom?"
        await pilot.press(*" Dank", "ctrl+s")
        await settled(pilot)
        assert app.screen is screen
    if kind == "r":
        assert [o.action.text for o in await tui_store.outbox_items()] == ["Waarom? Dank"]
    else:
        assert [n.text for n in await tui_store.notes(rid)] == ["Waarom? Dank"]


async def test_help_in_the_reason_dialog_keeps_the_choice_to_come(tui_store: Any) -> None:
    """After the help, a reason key still decides, with that reason (in the store)."""
    from helpers.store import sql

    app = _app(tui_store, "en")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await _open(app, pilot, "reason")
        first = app.screen_stack[-2].queue.current.response.external_id
        await _help_and_back(app, pilot, "?", dialog)
        await pilot.press("3")
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
    rows = await sql(
        tui_store,
        "SELECT r.external_id, a.reason FROM actions a "
        "JOIN responses r ON r.id = a.response_id WHERE a.kind = 'moderate'",
    )
    assert rows == [(first, "insult")]


async def test_the_reason_dialogs_own_words_take_the_question_mark(tui_store: Any) -> None:
    """ "Other" mounts a text field: ``?`` is a character there, the footer says f1."""
    app = _app(tui_store, "en")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await _open(app, pilot, "reason")
        await pilot.press("8", *"why?")
        await settled(pilot)
        assert app.screen is dialog
        assert screen_text(app)[-1].startswith("f1 Help"), screen_text(app)[-1]
        assert "1-8" not in screen_text(app)[-1]  # the reason keys are letters now
