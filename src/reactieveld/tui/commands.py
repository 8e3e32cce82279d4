"""The command palette (``ctrl+p``): what the keys of the screen it is opened on do now
(on the queue every action, question and tab; the app-wide keys that reach the app
there: quit, settings, dashboard, export), by name, with its key as the help text; and
of Textual's own commands the ones we do not offer ourselves, in the interface language.
A command that would do nothing on that screen is not offered (see ``ScreenCommands``).

Textual's system commands and what became of them (``AppCommands`` replaces Textual's
``SystemCommandsProvider``):

* Quit: ours (``q``, "Stoppen"/"Quit"); Textual's was a second "Quit", in English.
* Keys (Textual's key panel): our help screen (``?``) lists every key, in our language.
* Maximize/Minimize: dropped; only the queue takes focus, and a maximized queue hides
  the response view it is read with.
* Theme: kept (we have no theme choice of our own besides ``[ui] theme``).
* Screenshot: kept (an SVG of the screen for a question or a bug report), saved in the
  current directory like the reports, and said so in the interface language.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.theme import ThemeProvider

from reactieveld.i18n import text
from reactieveld.tui.screens.help import (
    TEXTUAL_KEYS,
    app_key_rows,
    running_bindings,
    screen_key_rows,
)
from reactieveld.tui.screens.triage import TriageScreen, _parse


class ListedCommands(Provider):
    """A provider of a list of (label, help, callback): labels matched, help beside."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(Content(label), callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text or None)


class ScreenCommands(ListedCommands):
    """What the keys of the screen the palette was opened on do now, as commands: the
    rows of its help, each run by the binding that runs its key (the queue's with its
    questions by name and its other tabs). A command whose action would not run there
    is not offered: the checks are the help's and the footer's (Textual's binding chain
    and each node's ``check_action``), so "Dashboard" is not on the dashboard, nor the
    queue's "Approve" over a dialog, nor an app-wide key in a dialog, which takes none."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        screen: Any = self.screen
        if isinstance(screen, TriageScreen):
            return triage_commands(screen)
        # Chosen, a row's first key is pressed: it goes the way the key goes (a table
        # that cannot scroll up passes ↑ on to the page around it, as it does a key).
        return [
            (label, keys, partial(self.app.simulate_key, binding.key))
            for keys, label, _, binding in screen_key_rows(screen)
            if binding.action not in NOT_COMMANDS
        ]


#: Actions the palette does not offer: Textual's (the next field, copying a selection:
#: nothing to do from a list of commands), the palette's own key, and the keys a dialog
#: reads itself (their binding's action is "nothing").
NOT_COMMANDS = frozenset({*TEXTUAL_KEYS, "command_palette", "nothing"})


def triage_commands(screen: TriageScreen) -> list[tuple[str, str, Any]]:
    """The queue's commands: its keys that run now (not greyed out), its other tabs, then
    the app-wide keys that reach the app there."""
    app: Any = screen.app
    running = running_bindings(screen)
    out: list[tuple[str, str, Any]] = []
    for keys, label, _, action in screen.key_rows(running):
        if screen.check_action(*_parse(action)) is True:
            out.append((label, keys, partial(screen.run_action, action)))
    i18n = screen.i18n
    for name in screen.queues:
        if name != screen.queue_name:
            label = i18n.t("palette.queue", label=i18n.t("queue." + name))
            out.append((label, "", partial(screen.show_queue, name)))
    for keys, label, binding in app_key_rows(screen, running):
        if binding.action not in NOT_COMMANDS:
            out.append((label, keys, partial(app.run_action, binding.action)))
    return out


def shown_screen(app: Any) -> Any:
    """The screen the user sees: the top one, or the one under the palette while it is
    open (None before the first)."""
    return next((s for s in reversed(app.screen_stack) if not isinstance(s, CommandPalette)), None)


def palette_text(app: Any, key: str, **values: Any) -> str:
    """A text of the palette (``palette.*``) in the app's current language (it follows
    ``f2``)."""
    return text(f"palette.{key}", app.i18n.language, **values)


def open_palette(app: Any) -> None:
    """``ctrl+p``: the palette as Textual opens it, its prompt in the interface language."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(
            CommandPalette(id="--command-palette", placeholder=palette_text(app, "search"))
        )


def open_themes(app: Any) -> None:
    """Textual's theme picker, its prompt in the interface language."""
    app.push_screen(
        CommandPalette(providers=[ThemeProvider], placeholder=palette_text(app, "themes"))
    )


def save_screenshot(app: Any) -> None:
    """An SVG of the screen in the current directory; the path (or why not) in a
    notification without markup (a path may hold brackets)."""
    try:
        path = app.save_screenshot()
    except OSError as exc:
        message = palette_text(app, "screenshot.failed", error=exc)
        app.notify(message, severity="error", markup=False)
        return
    app.notify(palette_text(app, "screenshot.saved", path=os.path.abspath(path)), markup=False)


class AppCommands(ListedCommands):
    """Textual's own commands that we keep (see the module's docstring), translated."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        app = self.app
        return [
            (
                palette_text(app, "screenshot"),
                palette_text(app, "screenshot.help"),
                # After the palette has closed, or it would be in the picture.
                partial(app.set_timer, 0.1, partial(save_screenshot, app)),
            ),
            (
                palette_text(app, "theme"),
                palette_text(app, "theme.help"),
                partial(open_themes, app),
            ),
        ]
