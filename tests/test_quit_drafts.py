"""Quitting never throws a draft away unasked.

A reply or note kept as a draft ("it comes back when you open this response again")
lived in the app's memory for the session; ``q`` (or ``ctrl+q``, the palette's Quit, a
remapped quit key) ended the app at once and every draft was gone. Where the app keeps
its drafts file (reactieveld.drafts: run_app always gives one) quitting writes them
(kept, or typed in an open editor) and quits at once, counting them on the terminal
after the app (``exit_note``). Where they cannot be kept (no file, or it cannot be
written) any quit with drafts first shows which ones are lost, by kind, author and time
of the response, and ``enter`` quits anyway, ``escape`` goes back with the drafts as
they were. Read as plain characters (NO_COLOR) at 80x24; the app's exit is its return
code (None while it runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.app import SMALL, app_with, drafts_in, press, ready, screen_text, settle
from textual.widgets import TextArea

from reactieveld.drafts import DraftsFile
from reactieveld.i18n import I18n
from reactieveld.tui.screens.editor import DraftKey, DraftQuestion, EditorScreen, QuitQuestion
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.times import format_time

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: Every way a user ends the app: (name, app keyword arguments, keys that quit).
QUIT_PATHS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "q": ({}, ("q",)),
    "ctrl+q": ({}, ("ctrl+q",)),
    "remapped": ({"keymap": {"quit": "ctrl+x"}}, ("ctrl+x",)),
    "palette": ({}, ("ctrl+p", *"Stoppen", "enter")),
    "palette en": ({"language": "en"}, ("ctrl+p", *"Quit", "enter")),
}


def _app(store: Any, *, kept_in: Path | None = None, **kw: Any) -> Any:
    """The app; with ``kept_in``, its drafts kept in that file (as run_app keeps them)."""
    if kept_in is not None:
        kw["drafts_file"] = DraftsFile(kept_in, "memory.db")
    return app_with(store, kw.pop("language", "nl"), None, **kw)


def _text(app: Any) -> str:
    return "\n".join(screen_text(app))


async def _keep_draft(app: Any, pilot: Any, kind: str, words: str) -> DraftKey:
    """Write ``words`` as a reply (r) or note (n) on the current row and keep them as
    a draft, as a moderator does: the draft's key."""
    screen = app.screen
    response = screen.queue.current.response
    await press(pilot, "r" if kind == "reply" else "n", *words, "escape")
    assert isinstance(app.screen, DraftQuestion)
    await press(pilot, "enter")
    assert isinstance(app.screen, TriageScreen)
    key = DraftKey(kind, response.id)
    assert app.drafts[key] == words
    return key


def _line(app: Any, key: DraftKey) -> str:
    """The quit question's line for a draft: its kind, the author, the response's time."""
    t = app.i18n.t
    when = format_time(key.created_at, app.tz, app.clock()).strip()
    return f"{t('quit.draft.' + key.kind)}: {key.author}  {when}"


async def _quit(pilot: Any, keys: tuple[str, ...]) -> None:
    await pilot.press(*keys)
    await settle(pilot.app, pilot)


@pytest.mark.parametrize(
    ("path", "kind"), zip(QUIT_PATHS, ["reply", "note", "reply", "note", "reply"], strict=True)
)
async def test_quitting_keeps_the_drafts_and_quits_at_once(
    tui_store: Any, tmp_path: Path, path: str, kind: str
) -> None:
    """Every way to quit, with a kept draft: the app ends at once (no question), the
    draft is in the drafts file, and the terminal is told after the app."""
    kw, keys = QUIT_PATHS[path]
    file = tmp_path / "drafts.json"
    app = _app(tui_store, kept_in=file, **kw)
    t = I18n(kw.get("language", "nl")).t
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        key = await _keep_draft(app, pilot, kind, "Q9")
        await _quit(pilot, keys)
        assert not isinstance(app.screen, QuitQuestion)
        assert app.return_code == 0
    assert drafts_in(file) == {(kind, key.response_id): "Q9"}
    assert app.exit_note == t("quit.kept.one")


@pytest.mark.parametrize(
    ("path", "kind", "answer"),
    [
        ("q", "reply", "enter"),
        ("ctrl+q", "note", "discarded"),
        ("remapped", "reply", "discarded"),
        ("palette", "note", "enter"),
        ("palette en", "reply", "enter"),
    ],
)
async def test_where_drafts_cannot_be_kept_quitting_asks_and_escape_keeps_them(
    tui_store: Any, path: str, kind: str, answer: str
) -> None:
    """No drafts file: asked, escape: the draft is there, in the editor too. Then
    either kept again and quit with enter, or discarded: then the same quit key quits
    at once."""
    kw, keys = QUIT_PATHS[path]
    app = _app(tui_store, **kw)
    t = I18n(kw.get("language", "nl")).t
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        key = await _keep_draft(app, pilot, kind, "Beste Anne, dank")
        kept = next(iter(app.drafts))  # the key as stored: it names author and time
        await _quit(pilot, keys)
        assert app.return_code is None  # still running: it asks
        assert isinstance(app.screen, QuitQuestion)
        shown = _text(app)
        assert t("quit.title.one") in shown
        assert _line(app, kept) in shown
        assert kept.author and kept.author in shown
        for chars in (" enter ", t("quit.anyway", n=1), " escape ", t("quit.back", n=1)):
            assert chars in shown, chars
        await _quit(pilot, ("escape",))
        assert isinstance(app.screen, TriageScreen)
        assert app.return_code is None
        assert app.drafts == {key: "Beste Anne, dank"}  # survived
        # It comes back in the editor, as promised.
        await press(pilot, "r" if kind == "reply" else "n")
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one(TextArea).text == "Beste Anne, dank"
        if answer == "discarded":
            await press(pilot, "escape", "d")
            assert app.drafts == {}
            await _quit(pilot, keys)  # nothing left to lose: at once, as before
        else:
            await press(pilot, "escape", "enter")  # kept again
            await _quit(pilot, keys)
            assert isinstance(app.screen, QuitQuestion)
            await _quit(pilot, ("enter",))
        assert app.return_code == 0


#: The numbers of drafts the quit question is asked at: one (its singular title), four
#: (all named), five (one counted, the singular), seven (three counted).
ASKED_AT = (1, 4, 5, 7)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_question_names_each_draft_and_counts_the_rest(
    tui_store: Any, language: str
) -> None:
    """Replies and notes on several responses: the first four named (kind, author,
    time), one line each, the rest counted; the box fits 80x24 above the footer. Asked
    at each number of ``ASKED_AT`` in one session, drafts kept one by one in between
    (escape goes back with the drafts as they were, each time): one app, not one per
    number, each building its drafts key by key again."""
    app = _app(tui_store, language=language)
    t = I18n(language).t
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        for i in range(max(ASKED_AT)):
            await _keep_draft(app, pilot, ("reply", "note")[i % 2], f"concept {i}")
            await press(pilot, "j")
            count = i + 1
            if count not in ASKED_AT:
                continue
            kept = list(app.drafts)
            assert len(kept) == count
            await _quit(pilot, ("q",))
            assert isinstance(app.screen, QuitQuestion)
            shown = _text(app)
            title = t("quit.title.one") if count == 1 else t("quit.title", n=count)
            assert title in shown
            named = [_line(app, key) for key in kept[:4]]
            assert all(line in shown for line in named), (named, shown)
            for key in kept[4:]:
                assert _line(app, key) not in shown
            rest = count - 4
            more = t("quit.more.one") if rest == 1 else t("quit.more", n=rest)
            assert (more in shown) == (rest > 0)
            assert not any(text in shown for text in app.drafts.values())  # words stay private
            box = app.screen.query_one("#quit-question")
            assert box.region.bottom <= SMALL[1] - 1 and box.region.right <= SMALL[0]
            await _quit(pilot, ("escape",))
            assert isinstance(app.screen, TriageScreen)
            assert list(app.drafts) == kept
        await _quit(pilot, ("q", "enter"))  # typed at once: the enter is the question's
        assert app.return_code == 0


async def test_ctrl_q_in_an_open_editor_keeps_its_text(tui_store: Any, tmp_path: Path) -> None:
    """Text typed in the editor, not yet kept: ``ctrl+q`` (Textual's, which reaches the
    editor) quits at once with the text written as that response's draft."""
    file = tmp_path / "drafts.json"
    app = _app(tui_store, kept_in=file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await press(pilot, "n", *"Q9")
        await _quit(pilot, ("ctrl+q",))
        assert app.return_code == 0
    assert drafts_in(file) == {("note", rid): "Q9"}
    assert app.exit_note == app.i18n.t("quit.kept.one")


@pytest.mark.parametrize("kind", ["reply", "note"])
async def test_ctrl_q_in_an_open_editor_asks_for_its_text(tui_store: Any, kind: str) -> None:
    """No drafts file: text typed in the editor, not yet kept: ``ctrl+q`` (Textual's,
    which reaches the editor) asks too; escape goes back to the editor with the text;
    enter quits."""
    app = _app(tui_store)
    t = app.i18n.t
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await press(pilot, "r" if kind == "reply" else "n", *"nog niet bewaard")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await _quit(pilot, ("ctrl+q",))
        assert isinstance(app.screen, QuitQuestion)
        assert t("quit.title.one") in _text(app)
        question = app.screen
        await _quit(pilot, ("ctrl+q",))  # asked already: one question, not two
        await _quit(pilot, ("question_mark",))
        assert isinstance(app.screen, HelpScreen)
        await _quit(pilot, ("ctrl+q",))  # nor from its help
        assert [type(s) for s in app.screen_stack].count(QuitQuestion) == 1
        await _quit(pilot, ("escape",))
        assert app.screen is question and app.return_code is None
        await _quit(pilot, ("escape",))
        assert app.screen is editor and app.return_code is None
        assert editor.query_one(TextArea).text == "nog niet bewaard"
        await press(pilot, *" meer")
        assert editor.query_one(TextArea).text == "nog niet bewaard meer"
        await _quit(pilot, ("ctrl+q", "enter"))
        assert app.return_code == 0


@pytest.mark.parametrize(("language", "kept"), [("nl", True), ("en", True), ("en", False)])
async def test_keeping_a_draft_says_how_long_it_lasts(
    tui_store: Any, tmp_path: Path, language: str, kept: bool
) -> None:
    """The keep/discard question and the notice say the draft lasts beyond a restart
    where the drafts file keeps it; without one, for this session, so nobody expects it
    after a restart."""
    app = _app(tui_store, language=language, kept_in=tmp_path / "d.json" if kept else None)
    if kept:
        session = {"nl": "ook na opnieuw starten", "en": "also after a restart"}[language]
    else:
        session = {"nl": "voor deze sessie", "en": "for this session"}[language]
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await ready(app, pilot)
        await press(pilot, "r", *"Beste", "escape")
        assert isinstance(app.screen, DraftQuestion)
        assert session in " ".join(_text(app).split())
        await press(pilot, "enter")
        assert any(session in str(n.message) for n in app._notifications)


@pytest.mark.parametrize(
    ("language", "keymap", "kept"),
    [
        ("nl", {}, True),
        ("en", {}, False),
        ("nl", {"quit": "ctrl+x"}, False),
        ("en", {"quit": "ctrl+x"}, True),
    ],
)
async def test_ctrl_c_says_how_to_quit_in_the_language_and_the_drafts(
    tui_store: Any, tmp_path: Path, language: str, keymap: dict[str, str], kept: bool
) -> None:
    """``ctrl+c`` does not quit (it copies in a text box): on the queue it showed
    Textual's own "Press q to quit the app" under "Do you want to quit?", in English.
    It says in the interface language, at 80x24, the quit key as configured (^q on the
    dashboard, where q goes back), and once there are drafts that they are kept (with a
    drafts file) or that quitting asks about them first (without). The app runs on."""
    from helpers.app import toasts_on_screen

    t = I18n(language).t
    file = tmp_path / "d.json" if kept else None
    app = _app(tui_store, language=language, keymap=keymap, kept_in=file)
    drafts = "quit.how.kept" if kept else "quit.how.drafts"
    quit_key = {"ctrl+x": "^x"}.get(keymap.get("quit", ""), "q")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await ready(app, pilot)

        async def ctrl_c() -> str:
            app.clear_notifications()
            await press(pilot, "ctrl+c")
            await pilot.pause()
            assert app.return_code is None  # it runs on
            (toast,) = toasts_on_screen(app)
            assert "Press" not in toast and "Do you want" not in toast, toast
            return toast

        said = await ctrl_c()
        assert said == f"{t('quit.how.title')} {t('quit.how', keys=quit_key)}"
        await _keep_draft(app, pilot, "reply", "hoi")
        assert t(drafts, keys=quit_key, n=1) in await ctrl_c()
        await _keep_draft(app, pilot, "note", "notitie")
        assert t(drafts, keys=quit_key, n=2) in await ctrl_c()
        if not keymap:  # the dashboard's q goes back: ^q quits there
            await press(pilot, "D")
            assert t(drafts, keys="^q", n=2) in await ctrl_c()
