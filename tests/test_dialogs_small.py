"""Every dialog and full screen whole at the smallest sizes (60x20, the README's promise,
and 80x24), in both languages, read as plain characters (NO_COLOR): its title, its
choices' state marks, and on the last line its help key and the keys that confirm and
cancel; a full screen's (search, its hits, the author's history, the thread, the
dashboard, the help) help and then the way back ("esc Back" was not on the thread's
footer at 60x20).

At 60x20 the period dialog's and the reason dialog's "other" footers said only
"f1 Help esc Cancel": enter (which applies, which confirms the typed reason) was hidden
under the focused field's own enter, and the hints that said it were below the dialogs'
fold; the filter dialog's blank lines (its labels' margins outranked the small screens'
rule) put its last line out of sight; an open select of 20 questions ran over the
footer, and its key read "esc Dismiss menu" in Dutch. With long values: a 300-character
source, a codebook of 20 questions, a long reason pasted. One app per language and
size, each dialog opened by its keys in turn (about 5 s a case); a failure names every
dialog that lacks something.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from helpers.app import app_with, screen_text, settled
from helpers.data import fill_store, sample_responses
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.content import Content

from reactieveld.codebook import DEFAULT_CODEBOOK, Code, Codebook
from reactieveld.i18n import I18n
from reactieveld.model import TagKind
from reactieveld.read.figures import PeriodError, period_from_text
from reactieveld.reasons import ReasonsConfig
from reactieveld.tui.screens.period import DATE_CHARS, DAYS_CHARS, field_names, period_hint
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: A source name of 300 characters, first in the queue (its responses are the newest).
LONG_SOURCE = "bron-" + "lang" * 73 + "end"
#: A codebook of 20 questions, each label longer than a 60-column line.
TWENTY = Codebook(
    "twenty",
    tuple(
        Code(TagKind.QUESTION, f"q{i}", "1234567890!@#$%^&*()"[i], {"nl": f"Vraag {i} " * 9})
        for i in range(20)
    ),
    DEFAULT_CODEBOOK.roles,
)
LONG_REASON = "de reactie noemt " * 8
#: The period dialog's today.
TODAY = date(2026, 12, 7)


@dataclass(frozen=True)
class Dialog:
    """A dialog or screen as a user reaches it and relies on it."""

    #: The keys that open it from the queue (or from the one before, which stays open),
    #: and those that go back to the queue (none: it stays open for the next).
    keys: tuple[str, ...]
    back: tuple[str, ...]
    #: The i18n key of its title (formatted with the current response's author and
    #: "what": the trash's name).
    title: str
    #: The footer's items in order, as (key, i18n key of the label); the first is help.
    footer: tuple[tuple[str, str], ...]
    #: The state marks (and other characters) it shows.
    marks: tuple[str, ...] = ()
    #: Text pasted into it once open, and the keys pressed after it.
    paste: str = ""
    then: tuple[str, ...] = ()
    #: How many of ``footer`` begin the last line, one after the other (a full screen:
    #: help, then the way back).
    lead: int = 1
    #: Its box, which lies on the screen with nothing to scroll to (None: a full screen).
    box: str | None = ".dialog"


HELP1, HELPQ = ("f1", "key.help"), ("?", "key.help")
CANCEL = ("esc", "key.cancel")
BACK = ("esc", "key.back")
DIALOGS: dict[str, Dialog] = {
    "reply": Dialog(
        ("r",),
        ("escape",),
        "reply.title",
        (HELP1, ("^s", "key.send"), ("esc", "key.keep_or_discard")),
    ),
    "note": Dialog(
        ("n",),
        ("escape",),
        "note.title",
        (HELP1, ("^s", "key.save"), ("esc", "key.keep_or_discard")),
    ),
    "draft": Dialog(
        ("r", "x", "escape"),
        ("d",),
        "draft.title",
        (HELPQ, ("⏎", "key.keep_draft"), ("d", "draft.discard"), ("esc", "draft.edit")),
    ),
    "reason": Dialog(
        ("d",),
        ("escape",),
        "reasons.title.one",
        (HELPQ, ("1-8", "key.reason"), CANCEL),
        ("[1]", "[8]"),
    ),
    "reason other": Dialog(
        ("d", "8"),
        ("escape",),
        "reasons.title.one",
        (HELP1, ("⏎", "key.confirm"), CANCEL),
        ("[1]", "[8]", LONG_REASON[:30]),
        paste=LONG_REASON,
    ),
    "filters": Dialog(
        ("f",), ("escape",), "filter.title", (HELP1, ("^s", "filter.apply"), CANCEL), ("[ ]",)
    ),
    "filters' question list": Dialog(
        ("f", "tab", "tab", "enter"),
        ("escape", "escape"),
        "filter.title",
        (HELP1, ("esc", "key.close_menu")),
        ("Vraag 0",),
    ),
    "export": Dialog(
        ("E",),
        ("escape",),
        "export.title",
        (HELP1, ("^s", "export.go"), CANCEL),
        ("(•)", "( )", "[ ]"),
    ),
    "role": Dialog(
        ("w",),
        ("escape",),
        "role.title",
        (HELPQ, ("b/r/c/a/k/m/o/g", "key.pick_role"), ("⌫", "key.no_role"), CANCEL),
        ("( )",),
    ),
    "settings": Dialog(
        ("f2",),
        ("escape",),
        "settings.title",
        (HELPQ, ("n/e", "settings.language"), CANCEL),
        ("(•)", "( )"),
    ),
    # The period dialog stays open for the next three, which go on from it.
    "period": Dialog(
        ("D", "p"), (), "period.title", (HELP1, ("⏎", "period.apply"), CANCEL), ("(•)", "( )")
    ),
    # Its buttons' enter ("⏎ Apply" left the footer while the Apply button had the focus).
    "period's Apply button": Dialog(
        ("tab", "tab", "tab", "tab"), (), "period.title", (HELP1, ("⏎", "period.apply"), CANCEL)
    ),
    "period's Cancel button": Dialog(
        ("tab",), (), "period.title", (HELP1, ("⏎", "key.cancel"), CANCEL)
    ),
    # Its longest error ("Tot en met" and what was typed, two lines) scrolled the dialog
    # at 60x20 and 80x24: it takes the hint's rows.
    "period with an error": Dialog(
        ("shift+tab", "shift+tab", "shift+tab"),
        ("escape", "escape"),
        "period.title",
        (HELP1, ("⏎", "period.apply"), CANCEL),
        ("'9999-99-99xy'",),
        paste="9999-99-99xy",
        then=("enter",),
    ),
    # The full screens: help first, then the way back ("esc Back" was not on the
    # thread's footer at 60x20), then what fits.
    "search": Dialog(("slash",), ("escape",), "search.title", (HELP1, BACK), lead=2, box=None),
    "search hits": Dialog(
        ("slash", *"groen", "enter"),
        ("escape",),
        "search.title",
        (HELPQ, BACK),
        ("▶",),
        lead=2,
        box=None,
    ),
    "author history": Dialog(
        ("h",), ("escape",), "search.history", (HELPQ, BACK), ("▶",), lead=2, box=None
    ),
    "thread": Dialog(
        ("enter",), ("escape",), "thread.title", (HELPQ, BACK), ("▶",), lead=2, box=None
    ),
    "dashboard": Dialog(("D",), ("escape",), "stats.title", (HELPQ, BACK), lead=2, box=None),
    "help": Dialog(
        ("question_mark",), ("escape",), "help.title", (("esc", "help.close"),), ("▼",), box=None
    ),
    # Last: it leaves a draft behind.
    "quit": Dialog(
        ("r", "x", "escape", "enter", "q"),
        ("escape",),
        "quit.title.one",
        (HELPQ, ("⏎", "key.quit_anyway"), ("esc", "key.back")),
    ),
}


def lacking(
    app: Any, dialog: Dialog, t: Any, values: dict[str, str], size: tuple[int, int]
) -> list[str]:
    """What of ``dialog`` is not on the screen as it should be (nothing: it is whole)."""
    lines = screen_text(app)
    above = "\n".join(lines[:-1])
    footer = lines[-1]
    wrong = []
    title = t(dialog.title, **values)
    if not any(title in line for line in lines[:-1]):
        wrong.append(f"title {title!r}")
    wrong += [f"mark {mark!r}" for mark in dialog.marks if mark not in above]
    lead = " ".join(f"{key} {t(label)}" for key, label in dialog.footer[: dialog.lead])
    if not footer.startswith(lead):
        wrong.append(f"{lead!r} first in {footer!r}")
    at = 0
    for key, label in dialog.footer:
        found = footer.find(f"{key} {t(label)}", at)
        if found < at:
            wrong.append(f"{key} {t(label)!r} in {footer!r}")
        at = max(at, found)
    if dialog.box is None:
        return wrong
    box = app.screen.query_one(dialog.box)
    if box.region.bottom > size[1] - 1 or box.region.right > size[0]:
        wrong.append(f"the box {box.region} beyond the screen")
    if box.max_scroll_y:  # all of it in sight: nothing to scroll to
        wrong.append(f"{box.max_scroll_y} lines out of sight")
    return wrong


async def long_store(tui_store: Any) -> Any:
    """The sample memory and three newer responses of a source named in 300 characters."""
    responses, threads = sample_responses(LONG_SOURCE, count=3, start=30)
    await fill_store(tui_store, LONG_SOURCE, responses, threads)
    return tui_store


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_dialog_shows_its_title_marks_and_keys(
    tui_store: Any, language: str, size: tuple[int, int]
) -> None:
    """Each dialog or screen opened by its keys shows its title, its marks and, on the
    last line, help first and its keys to confirm and cancel (or go back); a dialog's box
    lies on the screen."""
    store = await long_store(tui_store)
    t = I18n(language).t
    app = app_with(store, language, None, reasons=ReasonsConfig(), codebook=TWENTY)
    wrong: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        response = app.screen.queue.current.response
        values = {"author": response.author_name, "what": t("key.trash")}
        response_thread = app.screen.queue.current.thread_title
        for name, dialog in DIALOGS.items():
            await pilot.press(*dialog.keys)
            if dialog.paste:
                app.focused.post_message(events.Paste(dialog.paste))
                await pilot.press(*dialog.then)
            await settled(pilot)
            # A full screen's title names the thread, or counts the author's responses.
            shown = {"title": response_thread, "n": str(len(getattr(app.screen, "rows", ())))}
            found = lacking(app, dialog, t, values | shown, size)
            if found:
                wrong[name] = found
            if dialog.back:  # none: the next goes on from here
                await pilot.press(*dialog.back)
                await settled(pilot)
                assert isinstance(app.screen, TriageScreen), (name, app.screen)
    assert not wrong, wrong


#: The period dialog's text width at 60 columns (its border and padding: 2 cells a side).
PERIOD_TEXT = 56
PRINTABLE = st.characters(codec="utf-8").filter(str.isprintable)


def _box(chars: int, values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), values, st.text(PRINTABLE, max_size=chars))


@settings(max_examples=50, deadline=None)
@given(
    since=_box(DATE_CHARS, st.dates().map(date.isoformat)),
    until=_box(DATE_CHARS, st.dates().map(date.isoformat)),
    days=_box(DAYS_CHARS, st.integers(-(10**7), 10**8 - 1).map(str)),
    language=st.sampled_from(["nl", "en"]),
)
def test_a_period_error_fits_in_the_rows_of_the_hint(
    since: str, until: str, days: str, language: str
) -> None:
    """Whatever the boxes take (at most DATE_CHARS and DAYS_CHARS characters), the
    dialog's error takes no more lines at 60 columns than the hint it replaces (the
    dialog scrolled by one row for the error line)."""
    try:
        period_from_text(
            since, until, days, today=TODAY, language=language, names=field_names(I18n(language))
        )
    except PeriodError as exc:
        rows = min(
            len(Content(period_hint(I18n(language), cancel=cancel)).wrap(PERIOD_TEXT))
            for cancel in (False, True)
        )
        assert len(Content(str(exc)).wrap(PERIOD_TEXT)) <= rows, str(exc)
