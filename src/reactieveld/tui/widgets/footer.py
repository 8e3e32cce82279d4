"""Every full screen's footer: the help key first, and greyed keys marked in characters.

Textual's ``Footer`` lists the keys in binding order and cuts the line where the terminal
ends: at 80 columns the Dutch footer ended at ``/ Se`` and ``? help`` never showed. This
one puts the keys that say how to go on first (help, then back or close, then quit), the
rest after them in their own order, so the way to every other key and the way back are
always on screen (at 60x20 the thread's footer ended at "⏎ Open in the queue space
Fold/unfold", without "esc Back"). A key that cannot act on the current response (its
platform cannot) is dimmed by Textual, which is colour again: it also gets a ``✗``
before its description, so the plain text says it.

And it shows only the keys that fit whole: Textual's line ran on under the palette key
docked at the right, so at 80 columns the last cell showed a letter of a key cut in half
(``w Rol r Rep``). Keys that do not fit are left out (the help screen lists them all);
help is always shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first, in this order: help, the way back to the screen below (the full
#: screens' "back", the help screen's "close"), then quit.
FIRST = ("help", "back", "close", "quit")
DISABLED_MARK = "✗"


def footer_order(bindings: Iterable[tuple[Binding, bool, str]]) -> list[tuple[Binding, bool, str]]:
    """Shown bindings with :data:`FIRST` first, one per action, the rest in their order."""
    seen: dict[str, tuple[Binding, bool, str]] = {}
    for item in bindings:
        binding = item[0]
        if binding.show and binding.action not in seen:
            seen[binding.action] = item
    first = [seen[action] for action in FIRST if action in seen]
    return first + [item for action, item in seen.items() if action not in FIRST]


class ShownKey(NamedTuple):
    """One key as the footer shows it (FooterKey's arguments)."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    classes: str


def key_cells(item: ShownKey) -> int:
    """The cells a compact key takes: its key, a space and its description."""
    width = cell_len(item.display)
    return width + 1 + cell_len(item.description) if item.description else width


#: The cells after each compact key (Footer's ``margin-right: 1``), and before the
#: palette key's text (its border).
GAP = 1


def fitting(items: Iterable[ShownKey], width: int) -> tuple[ShownKey, ...]:
    """The keys that fit whole in ``width`` cells, in their order: the palette key (docked
    at the right, after its border) first, then the others left to right up to the first
    that does not fit. The help key is kept, without the palette if both do
    not fit."""
    keys = [item for item in items if item.classes != "-command-palette"]
    palette = [item for item in items if item.classes == "-command-palette"]
    room = width
    if palette:
        room -= GAP + key_cells(palette[0]) + GAP
    shown: list[ShownKey] = []
    used = 0
    for item in keys:
        cells = key_cells(item)
        if used + cells > room:
            if not shown and item.action == "help":
                return (item,)  # help, if need be alone
            break
        shown.append(item)
        used += cells + GAP
    return (*shown, *palette)


class KeyFooter(Footer):
    """A compact footer whose first key is help and whose greyed keys read ``✗``.

    Textual recomposes a footer (removes and mounts every key, ~20 widgets) whenever the
    screen's bindings are refreshed: after each cursor move, worker and message, most
    often to the very same keys. This one recomposes only when what it shows changed.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        #: What the last compose showed (:meth:`_shown`); None before the first.
        self._composed: tuple[ShownKey, ...] | None = None

    def _shown(self) -> tuple[ShownKey, ...]:
        """The keys as compose shows them, in order; none until the bindings are ready."""
        if not self._bindings_ready:
            return ()
        active = self.screen.active_bindings
        items = footer_order((b, enabled, tip) for (_, b, enabled, tip) in active.values())
        shown: list[ShownKey] = []
        for binding, enabled, tooltip in items:
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                continue
            description = binding.description
            if not enabled:
                description = f"{DISABLED_MARK}{description}"
            shown.append(
                ShownKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    description,
                    binding.action,
                    enabled,
                    tooltip or binding.tooltip,
                    # Made compact, as the footer is: otherwise each key's compact watcher
                    # adds the class after its mount, one style update per key (~20 keys).
                    "-compact" if self.compact else "",
                )
            )
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                shown.append(
                    ShownKey(
                        binding.key,
                        self.app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        enabled,
                        binding.tooltip or binding.description,
                        "-command-palette",
                    )
                )
        return fitting(shown, self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        # Another width fits other keys (recompose compares, so only when they change).
        self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        self._composed = shown = self._shown()
        for item in shown:
            footer_key = FooterKey(
                item.key,
                item.display,
                item.description,
                item.action,
                disabled=not item.enabled,
                tooltip=item.tooltip,
                classes=item.classes,
            )
            palette = item.classes == "-command-palette"
            yield footer_key if palette else footer_key.data_bind(compact=Footer.compact)

    async def recompose(self) -> None:
        """Recompose only when the keys shown differ from the last compose's."""
        if not self.is_attached or self._pruning:
            return  # as Widget.recompose: a footer being removed has no screen to ask
        if self._composed is not None and self._shown() == self._composed:
            return
        await super().recompose()
