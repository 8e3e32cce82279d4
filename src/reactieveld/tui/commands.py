"""The command palette (``ctrl+p``): every action of the triage screen and every app-wide
key (quit, settings, dashboard, export), by name, with its key as the help text."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reactieveld.tui.queues import QUEUES
from reactieveld.tui.screens.triage import TriageScreen, _display_keys, _parse


class TriageCommands(Provider):
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
        for name in QUEUES:
            label = i18n.t("palette.queue", label=i18n.t("queue." + name))
            out.append((label, "", partial(screen.show_queue, name)))
        for binding_id, keys, label in app.app_keys():  # type: ignore[attr-defined]
            if binding_id != "app.palette":
                action = app.APP_ACTIONS[binding_id]  # type: ignore[attr-defined]
                keys = _display_keys(app, app._keymap.get(binding_id, keys))
                out.append((label, keys, partial(app.run_action, action)))
        return out

    async def discover(self) -> Hits:
        for label, keys, callback in self._commands():
            yield DiscoveryHit(Content(label), callback, help=keys or None)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, keys, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=keys or None)  # type: ignore[arg-type]
