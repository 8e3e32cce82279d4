"""The help screen (``?``): every key, what it does, and why it is greyed out now."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reactieveld.i18n import I18n

#: The help key of every full screen besides triage (whose keys are in keys.py): ``?``, as
#: there; also f1, for when a text box (the search box) takes ``?`` as a character.
HELP_KEYS = "question_mark,f1"


def help_binding(screen: str, i18n: I18n) -> Binding:
    """The help key of the full screen ``screen`` (its binding id ``screen.help``), in
    ``i18n``'s language; KeyFooter shows it first."""
    return Binding(HELP_KEYS, "help", i18n.t("key.help"), id=f"{screen}.help")


def screen_help_rows(screen: Screen[Any]) -> list[tuple[str, str, str | None]]:
    """(keys, description, None) for the keys of a full screen that say what they do,
    one row per action, then the app-wide keys (as the triage screen's help lists them)."""
    app: Any = screen.app
    rows: dict[tuple[str, str], list[str]] = {}
    for bindings in screen._bindings.key_to_bindings.values():
        for b in bindings:
            if b.description:
                rows.setdefault((b.action, b.description), []).append(app.get_key_display(b))
    out: list[tuple[str, str, str | None]] = [
        (" ".join(dict.fromkeys(keys)), label, None) for (_, label), keys in rows.items()
    ]
    keymap = getattr(app, "_keymap", {}) or {}
    for binding_id, keys, label in getattr(app, "app_keys", list)():
        keys = keymap.get(binding_id, keys)
        shown = " ".join(app.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))
        out.append((shown, label, None))
    return out


def add_help_key(screen: Screen[Any], name: str, i18n: I18n) -> None:
    """Give the full screen ``screen`` its help key (see :func:`help_binding`)."""
    for binding in Binding.make_bindings([help_binding(name, i18n)]):
        screen._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)
    screen.refresh_bindings()


def describe_keys(screen: Screen[Any], labels: Mapping[str, str], t: Callable[[str], str]) -> None:
    """Give the bindings of ``screen`` whose id is in ``labels`` the text ``t(labels[id])``:
    the footer's labels in the interface language (a class's BINDINGS can only say one)."""
    for key, bindings in screen._bindings.key_to_bindings.items():
        screen._bindings.key_to_bindings[key] = [
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


class HelpScreen(ModalScreen[None]):
    """A list of (keys, description, reason) rows; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(
        self, rows: Sequence[tuple[str, str, str | None]], *, i18n: I18n | None = None
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self._i18n = i18n

    def compose(self) -> ComposeResult:
        i18n = self._i18n or getattr(self.app, "i18n", None) or I18n("nl")
        width = max((len(k) for k, _, _ in self.rows), default=4) + 2
        parts: list[str | tuple[str, str]] = [
            (i18n.t("help.title") + "\n\n", "bold"),
        ]
        for keys, label, reason in self.rows:
            parts.append((keys.ljust(width), "bold $accent" if not reason else "dim"))
            parts.append((label, "" if not reason else "dim"))
            if reason:
                parts.append((f"  — {i18n.t('help.disabled')}: {reason}", "italic dim"))
            parts.append("\n")
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Content.assemble(*parts), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
