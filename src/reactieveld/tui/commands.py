"""The command palette (``ctrl+p``): every action of the triage screen and every app-wide
key (quit, settings, dashboard, export), by name, with its key as the help text; and of
Textual's own commands the ones we do not offer ourselves, in the interface language.

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
from reactieveld.tui.screens.triage import TriageScreen, _display_keys, _parse


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


class TriageCommands(ListedCommands):
    """Every key of the triage screen, every queue tab and question, as commands."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        screen = next((s for s in app.screen_stack if isinstance(s, TriageScreen)), None)
        if screen is None:
            return []
        i18n = screen.i18n
        out: list[tuple[str, str, object]] = []
        for s in screen.specs:
            action, params = _parse(s.action)
            if screen.check_action(action, params) is not True:
                continue
            label = i18n.t(s.label, **dict(s.label_values))
            if action == "question":
                q = app.codebook.question(str(params[0]))  # type: ignore[attr-defined]
                if q is not None:
                    label = i18n.t("palette.question", code=q.code, label=q.label(i18n.language))
            keys = _display_keys(app, app._keymap.get(s.id, s.keys).split(",")[0])
            out.append((label, keys, partial(screen.run_action, s.action)))
        for name in screen.queues:
            label = i18n.t("palette.queue", label=i18n.t("queue." + name))
            out.append((label, "", partial(screen.show_queue, name)))
        for binding_id, keys, label in app.app_keys():  # type: ignore[attr-defined]
            if binding_id != "app.palette":
                action = app.APP_ACTIONS[binding_id]  # type: ignore[attr-defined]
                keys = _display_keys(app, app._keymap.get(binding_id, keys))
                out.append((label, keys, partial(app.run_action, action)))
        return out


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
