"""The help screen (``?``): every key, what it does, and why it is greyed out now."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reactieveld.i18n import I18n
from reactieveld.tui.keymap import configured_keys
from reactieveld.tui.widgets.keyrow import KeyRow

#: The help key of every full screen besides triage (whose keys are in keys.py): ``?``, as
#: there; also f1, for when a text box (the search box) takes ``?`` as a character.
HELP_KEYS = "question_mark,f1"


#: The help key of a dialog whose text box has the keys from the start (the editor, the
#: export dialog's file name): ``?`` is a character there, so f1 alone.
TEXT_HELP_KEYS = "f1"


def help_binding(screen: str, i18n: I18n, keys: str = HELP_KEYS) -> Binding:
    """The help key of the full screen ``screen`` (its binding id ``screen.help``), in
    ``i18n``'s language; KeyFooter shows it first."""
    return Binding(keys, "help", i18n.t("key.help"), id=f"{screen}.help")


def running_bindings(screen: Screen[Any]) -> dict[str, tuple[Any, Binding]]:
    """Each key that does something on ``screen`` now, with the node whose binding runs
    it and that binding: Textual's binding chain (the focused widget, its containers,
    the screen, then the app, unless a later one has priority); a key a text box takes
    as a character is not there, nor one whose action its node refuses now (its
    ``check_action``: ``D`` on the dashboard, which the dashboard shows already)."""
    return {
        key: (found.node, found.binding)
        for key, found in screen.active_bindings.items()
        if found.enabled
    }


def _label(
    i18n: I18n, node: Any, binding: Binding, widget_keys: Mapping[str, str], own: bool
) -> str:
    """What ``binding`` of ``node`` does, as the help says it: Textual's keys in the
    interface language, the screen's by their description, a widget's by
    ``widget_keys`` (its action -> i18n key; others, and a text box's, are not listed:
    "")."""
    if binding.action in TEXTUAL_KEYS:
        return i18n.t(TEXTUAL_KEYS[binding.action])
    if own:
        return binding.description
    if node.check_consume_key("a", "a"):
        return ""  # a text box: its keys edit the text
    found = widget_keys.get(binding.action)
    return i18n.t(found) if found else ""


def textual_own(node: Any, binding: Binding) -> bool:
    """Whether ``binding`` is one Textual gives every app, screen or widget of a kind (its
    ``ctrl+q`` quit, ``ctrl+c`` copy, a text box's own keys): a class of Textual's declares
    it, not one of the app's. The help shows only the app's own keys (and Textual's that
    :data:`TEXTUAL_SHOWN` or a screen's ``HELP_WIDGET_KEYS`` name, and its ^q where the
    screen takes the app's quit key: :func:`app_key_rows`)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("textual."):
            continue
        for declared in cls.__dict__.get("BINDINGS", ()):
            key, action = (
                (declared.key, declared.action)
                if isinstance(declared, Binding)
                else (declared[0], declared[1])
            )
            if action == binding.action and binding.key in key.split(","):
                return True
    return False


#: A key row: (keys as shown, description, the node whose binding runs them, that binding).
KeyEntry = tuple[str, str, Any, Binding]


def screen_key_rows(screen: Screen[Any], *, app_keys: bool = True) -> list[KeyEntry]:
    """(keys, description, node, binding) for each key of ``screen`` as it acts now: one
    row per description, every key in the row of the binding that runs it (never one key
    in two rows, never a key another binding takes). The screen's own keys, then the keys
    of its focused widget it names (its ``HELP_WIDGET_KEYS``), Textual's (tab only where
    there is more than one field to go to), then the app-wide keys that reach the app
    (not for a dialog, where they do not act: ``app_keys=False``; with Textual's ^q
    where the screen takes q, :func:`app_key_rows`). The help lists them; the palette
    runs their bindings."""
    app: Any = screen.app
    i18n: I18n = getattr(screen, "i18n", None) or app.i18n
    widget_keys: Mapping[str, str] = getattr(screen, "HELP_WIDGET_KEYS", {})
    running = running_bindings(screen)
    textual = {i18n.t(label) for label in TEXTUAL_KEYS.values()}
    focus = {i18n.t(TEXTUAL_KEYS[action]) for action in FOCUS_ACTIONS}
    fields = len(screen.focus_chain)
    rows: dict[str, list[tuple[str, Any, Binding]]] = {}
    # The screen's keys first, in its order; a widget's key joins the row of the same
    # meaning (the tree's ↓ with the screen's j: "j ↓ Down").
    ordered = sorted(running.values(), key=lambda found: found[0] is not screen)
    for node, binding in ordered:
        if node is app:
            continue
        if (
            textual_own(node, binding)
            and binding.action not in TEXTUAL_SHOWN
            and binding.action not in widget_keys
        ):
            continue  # Textual's ^c copy (its ^q: app_key_rows): not the app's keys
        label = _label(i18n, node, binding, widget_keys, own=node is screen)
        if label and (fields > 1 or label not in focus):
            rows.setdefault(label, []).append((app.get_key_display(binding), node, binding))
    out: list[KeyEntry] = sorted(
        (
            (" ".join(dict.fromkeys(k for k, _, _ in found)), label, found[0][1], found[0][2])
            for label, found in rows.items()
        ),
        key=lambda row: row[1] in textual,
    )
    if app_keys:
        rows_of_app = app_key_rows(screen)
        out += [(keys, label, app, binding) for keys, label, binding in rows_of_app]
    return out


def screen_help_rows(
    screen: Screen[Any], *, app_keys: bool = True
) -> list[tuple[str, str, str | None]]:
    """(keys, description, None) for each key of ``screen`` as it acts now
    (:func:`screen_key_rows`)."""
    rows = screen_key_rows(screen, app_keys=app_keys)
    return [(keys, label, None) for keys, label, _, _ in rows]


def app_key_rows(
    screen: Screen[Any], running: Mapping[str, tuple[Any, Binding]] | None = None
) -> list[tuple[str, str, Binding]]:
    """(keys, description, binding) for the app-wide keys, each with its keys (as
    configured) that reach the app's binding on ``screen``; where the screen takes them
    all, the app's other keys for the action (``q`` goes back on the thread, the
    dashboard, the author history: not "q Quit" there, but "^q Quit", Textual's key for
    the app's own quit, which no screen takes: the help listed no way to quit there);
    an action no key reaches (or one the app refuses there: ``D`` on the dashboard) is
    left out."""
    app: Any = screen.app
    running = running_bindings(screen) if running is None else running
    out: list[tuple[str, str, Binding]] = []
    for binding_id, keys, label in getattr(app, "app_keys", list)():
        given = configured_keys(app, binding_id, keys)
        actions = {
            b.action
            for key, bindings in app._bindings.key_to_bindings.items()
            for b in bindings
            if b.id == binding_id or key in given
        }
        reach = [key for key in given if key in running and running[key][0] is app]
        # Where a screen takes them all (q), the app's other keys for it (^q), if any.
        reach = reach or [
            key
            for key, (node, binding) in running.items()
            if node is app and binding.action in actions
        ]
        if reach:
            shown = " ".join(app.get_key_display(running[key][1]) for key in reach)
            out.append((shown, label, running[reach[0]][1]))
    return out


def app_help_rows(
    screen: Screen[Any], running: Mapping[str, tuple[Any, Binding]] | None = None
) -> list[tuple[str, str, str | None]]:
    """(keys, description, None) for the app-wide keys that act on ``screen``
    (:func:`app_key_rows`)."""
    return [(keys, label, None) for keys, label, _ in app_key_rows(screen, running)]


def add_help_key(screen: Screen[Any], name: str, i18n: I18n, keys: str = HELP_KEYS) -> None:
    """Give the full screen ``screen`` its help key (see :func:`help_binding`)."""
    add_keys(screen, [help_binding(name, i18n, keys)])


def add_keys(screen: Screen[Any], bindings: Sequence[Binding], *, first: bool = False) -> None:
    """Bind ``bindings`` on ``screen`` besides its class's BINDINGS (keys known only when
    it is made: the language's labels, the configured reason keys); ``first``: before
    them, where the footer shows them in order."""
    added: dict[str, list[Binding]] = {}
    for binding in Binding.make_bindings(bindings):
        added.setdefault(binding.key, []).append(binding)
    table = screen._bindings.key_to_bindings
    merged = dict(added) if first else dict(table)
    for key, found in (table if first else added).items():
        merged.setdefault(key, []).extend(found)
    table.clear()
    table.update(merged)
    if screen.is_attached:
        screen.refresh_bindings()


def describe_keys(node: DOMNode, labels: Mapping[str, str], t: Callable[[str], str]) -> None:
    """Give the bindings of ``node`` (a screen, a widget) whose id is in ``labels`` the
    text ``t(labels[id])``: the footer's labels in the interface language (a class's
    BINDINGS can only say one)."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(labels[b.id])) if b.id is not None and b.id in labels else b
            for b in bindings
        ]


class ScreenHelp:
    """``action_help`` of a full screen: its keys in the help screen."""

    def action_help(self) -> None:
        screen: Any = self
        screen.app.push_screen(
            HelpScreen(screen_help_rows(screen), i18n=getattr(screen, "i18n", None))
        )


def keys_shown(keys: list[str]) -> str:
    """Keys a dialog reads itself, as its footer shows them: a run of digits as ``1-8``,
    else each (``a/b/c``)."""
    digits = all(len(k) == 1 and k.isdigit() for k in keys)
    if (
        digits
        and len(keys) > 2
        and [int(k) for k in keys] == list(range(int(keys[0]), int(keys[0]) + len(keys)))
    ):
        return f"{keys[0]}-{keys[-1]}"
    return "/".join(keys)


class DialogKeys(ScreenHelp):
    """What every dialog (a ModalScreen) shares: its own footer on the screen's last line
    (:class:`KeyFooter`, help first) with its own keys in the interface language, and its
    help key, which lists them. Without it the screen under the dialog showed its footer,
    keys that do nothing in the dialog (the triage screen's, under the editor where ``a``
    and ``?`` are letters).

    A dialog says its name (:attr:`HELP_NAME`, the help binding's id ``name.help``), its
    bindings' labels (:meth:`key_labels`: binding id -> i18n key) and whether a text box
    has the keys from the start (:attr:`text_box`: help is f1 alone, ``?`` stays a
    character); it has ``i18n``. A text box that comes later (the reason dialog's "other")
    takes ``?`` by itself: the footer then says f1."""

    HELP_NAME = "dialog"
    text_box = False
    i18n: I18n

    def key_labels(self) -> Mapping[str, str]:
        """Binding id -> the i18n key of its label in the footer and the help."""
        return {}

    def show_keys(self, key: str, display: str, label: str) -> None:
        """Show keys that the dialog reads itself (in ``on_key``: the reason keys, the
        language keys) in its footer and help as one item, ``display label``, first.
        Bound to ``key``, the first of them, with an action that does nothing: on_key
        has the key before the binding."""
        add_keys(self, [Binding(key, "nothing", label, key_display=display)], first=True)  # type: ignore[arg-type]

    def action_nothing(self) -> None:
        """The binding of :meth:`show_keys` (its keys are read in ``on_key``)."""

    def on_mount(self) -> None:
        from reactieveld.tui.widgets.footer import KeyFooter

        screen: Any = self
        # The widgets' keys too: a field's own key shows in the footer when it has the
        # focus (the period's enter), and an open select's read "esc Dismiss menu" in Dutch.
        for node in (screen, *screen.query("*")):
            self.describe(node)
        add_help_key(
            screen, self.HELP_NAME, self.i18n, TEXT_HELP_KEYS if self.text_box else HELP_KEYS
        )
        screen.mount(KeyFooter())

    def describe(self, node: DOMNode) -> None:
        """The keys of ``node`` (the dialog or one of its widgets, also one mounted later)
        with their labels in the interface language."""
        describe_keys(node, self.key_labels(), self.i18n.t)
        describe_textual_keys(node, self.i18n)

    def action_help(self) -> None:
        screen: Any = self
        screen.app.push_screen(HelpScreen(screen_help_rows(screen, app_keys=False), i18n=self.i18n))


#: The keys of Textual's list widgets (a thread's tree, a list of hits) that move their
#: cursor as the queue's keys do: named in the help by the queue's words (action -> i18n
#: key). A widget's other keys (a text box's editing keys) are not listed.
MOVE_KEYS: Mapping[str, str] = {
    "cursor_up": "key.up",
    "cursor_down": "key.down",
    "page_up": "key.page_up",
    "page_down": "key.page_down",
    "first": "key.first",
    "scroll_home": "key.first",  # the tree's home
    "last": "key.last",
    "scroll_end": "key.last",
}

#: A list of hits (search, an author's history): its cursor keys, and enter opens.
HIT_KEYS: Mapping[str, str] = {**MOVE_KEYS, "select": "thread.open"}

#: The keys Textual gives every screen, described in English there: in a dialog's help
#: in the interface language (i18n key by action).
TEXTUAL_KEYS = {
    "app.focus_next": "key.next_field",
    "app.focus_previous": "key.previous_field",
    "screen.copy_text": "key.copy",
    "copy": "key.copy",  # a text box's own ^c
    "dismiss": "key.close_menu",  # an open select's escape (its list of choices)
}
FOCUS_ACTIONS = ("app.focus_next", "app.focus_previous")
#: Textual's keys the help shows (where they act): tab between fields, escape closing an
#: open select's list. Its others (^c copy, ^q quit) are not the app's (textual_own).
TEXTUAL_SHOWN = (*FOCUS_ACTIONS, "dismiss")


def describe_textual_keys(node: DOMNode, i18n: I18n) -> None:
    """Give the keys Textual gives every screen and widget (:data:`TEXTUAL_KEYS`) their
    text in the interface language."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=i18n.t(TEXTUAL_KEYS[b.action]))
            if b.action in TEXTUAL_KEYS
            else b
            for b in bindings
        ]


class HelpScreen(ModalScreen[None]):
    """A list of (keys, description, reason) rows; escape, q, ? or f1 closes it.

    It has its own footer (esc Close, and its scroll keys while the list is longer than
    its box), not the footer of the screen under it, whose keys do nothing here (over
    the queue it said "a Approve"). A list longer than its box says so on the box's
    bottom line ("▼ more: pgdn") until its end is in view: at 80x24 the queue's help
    is twice the screen, and the scrollbar alone is a thin hint."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
        Binding("pagedown", "page(1)", "Page", key_display="pgdn/pgup", id="help.page"),
        Binding("pageup", "page(-1)", "Page", show=False, id="help.page_up"),
        Binding("j,down", "line(1)", "Line", key_display="j/k", id="help.line"),
        Binding("k,up", "line(-1)", "Line", show=False, id="help.line_up"),
        Binding("home", "ends(False)", show=False),
        Binding("end", "ends(True)", show=False),
    ]
    #: Binding id -> the i18n key of its label.
    LABELS = {
        "help.close": "help.close",
        "help.page": "help.page",
        "help.page_up": "help.page",
        "help.line": "help.line",
        "help.line_up": "help.line",
    }
    #: The scroll keys, shown and acting only while the list is longer than its box.
    SCROLLING = frozenset({"page", "line", "ends"})

    def __init__(
        self, rows: Sequence[tuple[str, str, str | None]], *, i18n: I18n | None = None
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self._i18n = i18n

    @property
    def i18n(self) -> I18n:
        return self._i18n or getattr(self.app, "i18n", None) or I18n("nl")

    def compose(self) -> ComposeResult:
        from reactieveld.tui.widgets.footer import KeyFooter

        i18n = self.i18n
        width = max((cell_len(k) for k, _, _ in self.rows), default=4) + 2
        # Not focusable: the screen's keys (and so its footer) are the ones that scroll.
        with VerticalScroll(id="help", classes="dialog", can_focus=False):
            yield Static(Content.styled(i18n.t("help.title"), "bold"), classes="help-title")
            for keys, label, reason in self.rows:
                # The keys' column and the description's (widgets/keyrow.py).
                text = Content.styled(label, "" if not reason else "dim")
                if reason:
                    why = f"  — {i18n.t('help.disabled')}: {reason}"
                    text = Content.assemble(text, (why, "italic dim"))
                key_style = "bold $accent" if not reason else "dim"
                yield KeyRow(Content.styled(keys, key_style), text, width=width)
        yield KeyFooter()

    def on_mount(self) -> None:
        describe_keys(self, self.LABELS, self.i18n.t)
        box = self.query_one("#help", VerticalScroll)
        self.watch(box, "scroll_y", self._show_more, init=False)
        self.call_after_refresh(self._show_more)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """The "more" line while the list goes on below the box; the scroll keys in the
        footer while it is longer than the box."""
        box = self.query_one("#help", VerticalScroll)
        box.border_subtitle = self.i18n.t("help.more") if box.scroll_y < box.max_scroll_y else ""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SCROLLING:
            return self.query_one("#help", VerticalScroll).max_scroll_y > 0
        return True

    def action_page(self, step: int) -> None:
        box = self.query_one("#help", VerticalScroll)
        if step > 0:
            box.scroll_page_down(animate=False)
        else:
            box.scroll_page_up(animate=False)

    def action_line(self, step: int) -> None:
        self.query_one("#help", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_ends(self, end: bool) -> None:
        box = self.query_one("#help", VerticalScroll)
        if end:
            box.scroll_end(animate=False)
        else:
            box.scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
