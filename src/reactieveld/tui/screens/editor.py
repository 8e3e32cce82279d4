"""A small text editor in a dialog, for replies and notes (``ctrl+s`` sends/saves).

With a draft store (the app's ``drafts``, one per response and kind) no typed text is
thrown away unasked: ``escape`` with text asks whether to keep it as a draft (it comes
back when the editor opens again on that response), discard it, or go on writing. Where
the app keeps its drafts in a file (reactieveld.drafts: ``drafts.durable``) they outlast
the session, and the text of an open editor is written there too while it is typed
(a pause of :data:`TYPED_SAVE_SECONDS`) and when the app is ended by a signal; quitting
keeps them. Where it cannot, they live in the app's memory for the session, and quitting
with drafts (kept, or still in an open editor) asks first (:class:`QuitQuestion`,
:func:`unsent_drafts`): ending the session ends them."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, MutableMapping
from datetime import datetime, tzinfo
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reactieveld.drafts import DraftKey
from reactieveld.i18n import I18n
from reactieveld.text import one_line, shorten
from reactieveld.tui.messages import passed_on
from reactieveld.tui.screens.help import DialogKeys
from reactieveld.tui.times import format_time
from reactieveld.tui.widgets.keyrow import KeyRow

__all__ = ["DraftKey", "DraftQuestion", "EditorScreen", "QuitQuestion", "unsent_drafts"]

#: A pause in typing this long writes the open editor's text to the drafts file.
TYPED_SAVE_SECONDS = 2.0

#: The editor's actions that end it with its text: send (save) it, or approve the
#: response first and then send it (``ctrl+g``: :attr:`EditorScreen.approved` set).
_SAVES = ("save", "save_approved")


class _Text(TextArea):
    """The editor's field: it runs the save key itself, behind the text typed before it
    (the screen's binding ran as the key reached the app, while letters typed before it
    were still on their way to the field), and passes keys typed after it on."""

    async def _on_key(self, event: events.Key) -> None:
        if passed_on(self, event):  # saved or cancelled by a key before
            return
        saves = self.screen._bindings.key_to_bindings.get(event.key, ())
        action = next((b.action for b in saves if b.action in _SAVES), None)
        if action is not None and self.screen.check_action(action, ()) is not False:
            event.stop()
            event.prevent_default()
            await self.app.run_action(action, self.screen)
            return
        await super()._on_key(event)


class DraftQuestion(DialogKeys, ModalScreen[str]):
    """Unsent text: ``enter`` keeps it as a draft, ``d`` discards it, ``escape`` returns
    to the editor. Dismisses with "keep", "discard" or "edit". ``durable``: a kept draft
    outlasts the session (the app keeps a drafts file), as the keep line says."""

    DEFAULT_CSS = """
    DraftQuestion { align: center middle; }
    DraftQuestion #draft-question { width: 64; }
    """

    BINDINGS = [
        Binding("enter", "answer('keep')", "Keep", id="draft.keep"),
        Binding("d", "answer('discard')", "Discard", id="draft.discard"),
        Binding("escape", "answer('edit')", "Edit", id="draft.edit"),
    ]
    HELP_NAME = "draft"

    def __init__(self, i18n: I18n, *, durable: bool = False) -> None:
        super().__init__()
        self.i18n = i18n
        self.keep_label = "draft.keep.saved" if durable else "draft.keep"

    def key_labels(self) -> Mapping[str, str]:
        return {
            "draft.keep": "key.keep_draft",
            "draft.discard": "draft.discard",
            "draft.edit": "draft.edit",
        }

    def compose(self) -> ComposeResult:
        t = self.i18n.t
        with Vertical(id="draft-question", classes="dialog"):
            yield Static(Content(t("draft.title")), classes="dialog-title")
            for key, label in (
                ("enter", self.keep_label),
                ("d", "draft.discard"),
                ("escape", "draft.edit"),
            ):
                yield _key_row(key, t(label))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


def _key_row(key: str, label: str) -> KeyRow:
    """A dialog's line for one of its keys: the key in characters, then what it does
    (wrapping in its own column: widgets/keyrow.py)."""
    return KeyRow(Content.styled(f" {key} ".ljust(9), "reverse bold"), Content(label), width=10)


#: How many drafts the quit question names; the rest it counts ("… en 3 meer").
QUIT_NAMED = 4


class QuitQuestion(DialogKeys, ModalScreen[bool]):
    """Quitting with drafts: which ones are lost (kind, author and time of the response,
    at most :data:`QUIT_NAMED`, then how many more), ``enter`` quits anyway, ``escape``
    goes back with every draft as it was. Dismisses with True to quit."""

    DEFAULT_CSS = """
    QuitQuestion { align: center middle; }
    QuitQuestion #quit-question { width: 64; height: auto; }
    QuitQuestion .quit-drafts { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("enter", "answer(True)", "Quit", id="quit.anyway"),
        Binding("escape", "answer(False)", "Back", id="quit.back"),
    ]
    HELP_NAME = "quit"

    def __init__(
        self, i18n: I18n, drafts: Iterable[DraftKey], *, tz: tzinfo | None, now: datetime
    ) -> None:
        super().__init__()
        self.i18n = i18n
        self.drafts = list(drafts)
        self.tz = tz
        self.now = now

    def key_labels(self) -> Mapping[str, str]:
        return {"quit.anyway": "key.quit_anyway", "quit.back": "key.back"}

    def _line(self, draft: DraftKey) -> str:
        t = self.i18n.t
        when = format_time(draft.created_at, self.tz, self.now).strip() if draft.created_at else ""
        # A name in a narrow column: cut mid-word, as the queue does.
        author = shorten(one_line(draft.author, limit=31), 30, words=False) or "?"
        return f"  {t('quit.draft.' + draft.kind)}: {author}  {when}".rstrip() + "\n"

    def compose(self) -> ComposeResult:
        t = self.i18n.t
        n = len(self.drafts)
        lines = [self._line(draft) for draft in self.drafts[:QUIT_NAMED]]
        if n > QUIT_NAMED:
            lines.append("  " + t("quit.more", n=n - QUIT_NAMED) + "\n")
        with Vertical(id="quit-question", classes="dialog"):
            yield Static(Content(t("quit.title", n=n)), classes="dialog-title")
            yield Static(Content("".join(lines).rstrip("\n")), classes="quit-drafts")
            yield _key_row("enter", t("quit.anyway", n=n))
            yield _key_row("escape", t("quit.back", n=n))

    def action_answer(self, quit: bool) -> None:
        self.dismiss(quit)


def unsent_drafts(app: Any) -> dict[DraftKey, str]:
    """The drafts that end with the session: the kept ones (``app.drafts``), and the text
    of every open editor with a draft store (typed, not yet kept, sent or discarded),
    which counts as that response's draft (not one sent, kept or discarded as it closes).
    A kept draft shown as it was, not typed in, is the kept one (or none, when another
    window sent or dropped it meanwhile)."""
    found: dict[DraftKey, str] = dict(getattr(app, "drafts", {}))
    for screen in app.screen_stack:
        if (
            isinstance(screen, EditorScreen)
            and isinstance(screen.draft_key, DraftKey)
            and not screen.finished
        ):
            text = screen.query_one(TextArea).text
            if text.strip() and not (screen.restored and text == screen.initial):
                found[screen.draft_key] = text
    return found


class EditorScreen(DialogKeys, ModalScreen[str | None]):
    """Dismisses with the text (stripped, never empty) on ``ctrl+s``, ``None`` on escape.

    ``drafts`` and ``draft_key`` (with ``i18n`` for the question): the draft shown at
    open, kept or dropped as the moderator says; sending drops it. ``save_label``: the
    i18n key of what ``ctrl+s`` does (sends a reply, saves a note).

    ``warning``: a line under the title (a reply to a response the site does not show).
    ``approve_label``: the i18n key of ``ctrl+g``, which ends the editor as ``ctrl+s``
    does with :attr:`approved` set (the caller approves the response, then sends the
    text: WordPress's "Approve and Reply"); without it the key is not there."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        # Not a key of the TextArea's (ctrl+a is its line start): see _Text.
        Binding("ctrl+g", "save_approved", "Approve and send", id="editor.approve_send"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]
    HELP_NAME = "editor"
    text_box = True

    def __init__(
        self,
        title: str,
        hint: str,
        *,
        text: str = "",
        drafts: MutableMapping[Any, str] | None = None,
        draft_key: Hashable = None,
        i18n: I18n | None = None,
        save_label: str = "key.save",
        warning: str = "",
        approve_label: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.warning = warning
        self.approve_label = approve_label
        #: Ended by ``ctrl+g``: the response is to be approved before the text is sent.
        self.approved = False
        self.drafts = drafts
        self.draft_key = draft_key
        self.i18n = i18n or I18n("nl")
        self.save_label = save_label
        self.initial = drafts.get(draft_key, text) if drafts is not None else text
        #: It shows a kept draft (``initial``).
        self.restored = drafts is not None and draft_key in drafts
        #: Sent, kept or discarded: its text is no longer an unsent draft.
        self.finished = False

    @property
    def durable(self) -> bool:
        """Its drafts outlast the session (the app keeps them in a file)."""
        return bool(getattr(self.drafts, "durable", False))

    def compose(self) -> ComposeResult:
        # With the warning line its text box is lower (styles/app.tcss: -warned).
        with Vertical(id="editor", classes="dialog -warned" if self.warning else "dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            if self.warning:
                yield Static(Content(self.warning), classes="dialog-warning")
            yield _Text(self.initial, id="editor-text", soft_wrap=True)
            yield Static(Content(self.hint), classes="dialog-hint")

    def key_labels(self) -> Mapping[str, str]:
        # Escape asks to keep or discard the text where drafts are kept; else it cancels.
        cancel = "key.keep_or_discard" if self.drafts is not None else "key.cancel"
        labels = {"editor.save": self.save_label, "editor.cancel": cancel}
        if self.approve_label is not None:
            labels["editor.approve_send"] = self.approve_label
        return labels

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # ctrl+g only where the caller offers it: off the footer and the help elsewhere.
        if action == "save_approved":
            return self.approve_label is not None
        return True

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        if self.initial:
            area.move_cursor(area.document.end)  # a restored draft: go on where it ended

    def show_draft(self, text: str) -> bool:
        """Show ``text``, the draft as another window kept it (read after this editor
        opened), in place of the one it opened with, unless something was typed in it
        since (False: the typed text stays)."""
        try:
            area = self.query_one(TextArea)
        except NoMatches:  # not composed yet: it will be with this text
            self.initial, self.restored = text, True
            return True
        if self.finished or area.text != self.initial:
            return False
        with area.prevent(TextArea.Changed):  # not typed: nothing to write
            area.load_text(text)
        area.move_cursor(area.document.end)
        self.initial, self.restored = text, True
        return True

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Typed: written to the drafts file after a pause (the app's drafts_typed).
        if self.drafts is not None and self.durable and not self.finished:
            typed = getattr(self.app, "drafts_typed", None)
            if typed is not None:
                typed(TYPED_SAVE_SECONDS)

    def _finish(self, *, keep: str | None = None, forget: bool = True) -> None:
        """Sent, kept (``keep``: its text) or discarded: no longer an unsent draft, and
        the drafts file says so once: written by the app as the kept draft changes or
        goes, else (the app's drafts_typed at once) as this text may have been written
        there. ``forget`` False: a kept draft stays (a reply sent empty: none was sent)."""
        self.finished = True
        if self.drafts is None:
            return
        if keep is not None:
            self.drafts[self.draft_key] = keep
        elif forget and self.draft_key in self.drafts:
            del self.drafts[self.draft_key]
        elif (typed := getattr(self.app, "drafts_typed", None)) is not None:
            typed(0)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self._finish(forget=bool(text))
        self.dismiss(text or None)

    def action_save_approved(self) -> None:
        if self.approve_label is None:
            return
        self.approved = True
        self.action_save()

    def action_cancel(self) -> None:
        text = self.query_one(TextArea).text
        if self.drafts is None or not text.strip():
            self._finish()  # emptied by hand: nothing to keep
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "keep":
                self._finish(keep=text)
                said = "draft.kept.saved" if self.durable else "draft.kept"
                self.app.notify(self.i18n.t(said), markup=False)
            elif answer == "discard":
                self._finish()
                self.app.notify(self.i18n.t("draft.discarded"), markup=False)
            else:
                self.query_one(TextArea).focus()
                return
            self.dismiss(None)

        self.app.push_screen(DraftQuestion(self.i18n, durable=self.durable), answered)
