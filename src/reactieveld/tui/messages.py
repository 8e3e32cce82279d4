"""Messages between the app's parts (dataclass messages, as in toolong)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

from reactieveld.store.base import QueueRow

if TYPE_CHECKING:
    from reactieveld.store.values import Counts


@dataclass
class CursorMoved(Message):
    """The queue's cursor is on another response (or on none)."""

    row: QueueRow | None


@dataclass
class QueueChanged(Message):
    """The queue's rows changed (count, window); the header and tabs may need a redraw."""

    total: int


@dataclass
class StoreChanged(Message):
    """Something in the store changed (an action, a sync round): refresh what shows it.

    Bursts of these (a sync of many pages) collapse into one.
    """

    new_ids: tuple[int, ...] = field(default=())

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreChanged) and not self.new_ids and not message.new_ids


@dataclass
class RowsChanged(Message):
    """Another moderator (another connection) changed these responses: re-read them in
    place. Sets that queue up behind each other merge into one."""

    ids: tuple[int, ...] = ()
    by: tuple[str, ...] = ()

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, RowsChanged):
            return False
        # Textual then drops this (older) message for the pending one, ``message``: it
        # takes over this one's ids and names, so none is lost.
        message.ids = tuple(dict.fromkeys((*self.ids, *message.ids)))
        message.by = tuple(sorted({*self.by, *message.by}))
        return True


@dataclass
class SourcesSynced(Message):
    """Another process's sync (the team's service, a colleague's app) stored something
    of these sources: the queue, the counts and the sources' state are read again.
    Sets that queue up behind each other merge into one."""

    sources: tuple[str, ...] = ()

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, SourcesSynced):
            return False
        message.sources = tuple(dict.fromkeys((*self.sources, *message.sources)))
        return True


@dataclass
class CountsUpdated(Message):
    """Fresh counts for the tabs and the header line."""

    counts: Counts


@dataclass
class SourcesUpdated(Message):
    """Per-source sync state changed (the header line shows it)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SourcesUpdated)


def resend_key(app: Any, event: events.Key) -> None:
    """Give a key that reached a screen no longer on top (typed after the key that opened
    a dialog, before the dialog was on screen) to the screen on top now, as the app gives
    it a key: to its focused widget, else to the screen. Called for each such key as it
    arrives, so they reach the dialog in the order they were typed."""
    key = events.Key(event.key, event.character)
    key.set_sender(app)
    (app.focused or app.screen)._forward_event(key)


async def run_binding(node: Any, event: events.Key) -> bool:
    """Run the binding of ``event``'s key as the app would (the screen's binding chain
    from the focused widget up, priority bindings aside), but here and now: in a field
    that takes typed characters itself, a key of a binding (``escape``) typed before
    more characters runs before them, not after the field has taken them. True (and the
    key stopped) when a binding ran."""
    for namespace, bindings in node.screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await node.app.run_action(binding.action, namespace):
                event.stop()
                event.prevent_default()
                return True
    return False


def deferred(
    fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any
) -> Callable[[], Coroutine[Any, Any, Any]]:
    """A worker's work as a callable: the coroutine is made only when the worker starts,
    so an exclusive worker cancelled before it ran leaves no un-awaited coroutine."""
    return partial(fn, *args)


async def after_first_rows(app: Any) -> None:
    """Wait until the app's first frame with rows is on screen (``rows_shown``; at once
    after it, and for an app without it, as a test's).

    What the first frame does not show (the response's details, the counts, the claim)
    is read after it: before it, their queries and the rows they bring share the two
    cores with the start and made the first frame ~9 ms of CPU later (200,000
    responses, bench/tui_bench.py)."""
    shown = getattr(app, "rows_shown", None)
    if shown is not None and not shown.is_set():
        await shown.wait()
