"""Messages between the app's parts (dataclass messages, as in toolong).

Without ``__eq__`` (``eq=False``): nothing compares two messages (``can_replace`` asks
their type), each is one event, hashable by identity as Textual's own messages are, and
the comparison method cost ~0.35 M instructions per class to create at every start, before
the first frame (tests/test_first_frame_imports.py)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ScreenStackError
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.worker import Worker, get_current_worker

from reactieveld.store.base import QueueRow, StoreError

if TYPE_CHECKING:
    from reactieveld.store.values import Counts


@dataclass(eq=False)
class CursorMoved(Message):
    """The queue's cursor is on another response (or on none)."""

    row: QueueRow | None


@dataclass(eq=False)
class QueueChanged(Message):
    """The queue's rows changed (count, window); the header and tabs may need a redraw."""

    total: int


@dataclass(eq=False)
class StoreChanged(Message):
    """Something in the store changed (an action, a sync round): refresh what shows it.

    Bursts of these (a sync of many pages) collapse into one.
    """

    new_ids: tuple[int, ...] = field(default=())

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreChanged) and not self.new_ids and not message.new_ids


@dataclass(eq=False)
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


@dataclass(eq=False)
class SourcesSynced(Message):
    """Another process's sync (the team's service, a colleague's app) stored something
    of these sources: the queue, the counts and the sources' state are read again.
    Sets that queue up behind each other merge into one."""

    sources: tuple[str, ...] = ()
    #: The threads of :attr:`sources` it stored rows of (:attr:`ChangeSet.threads`;
    #: None: not told, as ``(source, None)`` for each).
    threads: tuple[tuple[str, str | None], ...] | None = None

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, SourcesSynced):
            return False
        message.sources = tuple(dict.fromkeys((*self.sources, *message.sources)))
        # Threads not told are not known (None), or the other set's would pass for all.
        message.threads = tuple(dict.fromkeys((*self.all_threads(), *message.all_threads())))
        return True

    def all_threads(self) -> tuple[tuple[str, str | None], ...]:
        """:attr:`threads`; not told: ``(source, None)`` for each source (not known)."""
        if self.threads is None:
            return tuple((source, None) for source in self.sources)
        return self.threads


@dataclass(eq=False)
class CountsUpdated(Message):
    """Fresh counts for the tabs and the header line."""

    counts: Counts


@dataclass(eq=False)
class SourcesUpdated(Message):
    """Per-source sync state changed (the header line shows it)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SourcesUpdated)


def resend_key(app: Any, event: events.Key) -> None:
    """Give a key that reached a screen no longer on top (typed after the key that opened
    a dialog, before the dialog was on screen) to the screen on top now, as the app gives
    it a key: to its focused widget, else to the screen. Called for each such key as it
    arrives, so they reach the dialog in the order they were typed, ahead of the keys the
    app holds meanwhile (its ``key_gate``)."""
    key = events.Key(event.key, event.character)
    key.set_sender(app)
    gate = getattr(app, "key_gate", None)
    if gate is None:
        _forward(app, key)
    else:
        gate.pass_on(key)


def passed_on(node: Any, event: events.Key) -> bool:
    """A key that reached ``node`` (a screen, or a widget of one) after its screen stopped
    being the one on top (a key typed before it opened a dialog, or closed this one) goes
    on to the screen on top now, in the order typed (:func:`resend_key`); True when it did
    (the caller then does nothing more with it)."""
    if node.app.screen is node.screen:
        return False
    event.stop()
    event.prevent_default()
    resend_key(node.app, event)
    return True


def _forward(app: Any, key: events.Key) -> None:
    (app.focused or app.screen)._forward_event(key)


#: How long a key waits at most for the keys before it (seconds): they are on their way
#: through a screen's handlers, which take milliseconds; a handler stuck on something
#: else must not stop the keyboard.
DRAIN_SECONDS = 1.0


class KeyGate:
    """The keys from the terminal, given on in the order typed when a screen opens.

    Textual gives a key to the focused widget (else the screen) on top as the key
    arrives. A key that opens a dialog acts later, on its way through the screen below;
    the keys typed behind it went there too and are passed on to the dialog
    (:func:`resend_key`). A key arriving while the dialog mounts went to the dialog itself,
    which has not yet given its field the focus, and was lost (a reply typed at once
    behind ``r``: ``"Dnk u wel"``); one arriving just after it reached the field ahead of
    the keys still being passed on (``"aDnk u wel"``).

    So once the screen on top is another than the one the last key went to, keys from
    the terminal are held here, first in first out, until the keys on their way through
    the screen below have gone on (each of its widgets from that key's up has handled
    what it had) and the screen on top is mounted; the keys passed on go first (they were
    typed before), then the held ones, in the app's own turn.

    The same behind a key whose binding Textual runs once the key has bubbled up to the
    app (:func:`acts_late`), which may move the focus (``tab``, ``shift+tab``; ``enter``
    on a select focuses its list): the keys typed behind it had gone to the widget it
    left (a name typed behind ``tab`` into the export dialog's file name box went to the
    format buttons, and no report was written). They are held until it has gone through,
    and go where the focus is then, as when typed one at a time."""

    def __init__(self, app: Any, deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        #: How a held key from the terminal goes on (the app's own handling of a key).
        self.deliver = deliver
        self.held: deque[events.Key] = deque()
        self.passed: deque[events.Key] = deque()
        #: Where the last key from the terminal went (the focused widget or the screen).
        self._target: Any = None
        #: Where the last key of a late binding (:func:`acts_late`) went, until it has
        #: gone through (None: none on its way).
        self._late: Any = None
        self._task: asyncio.Task[None] | None = None

    def hold(self, event: events.Key) -> bool:
        """True when the key from the terminal ``event`` is held (it goes on later, in its
        turn); False when it goes on now (the app gives it to the screen on top)."""
        if not self.held and self._task is None and self._late is None:
            target = self._now()
            if target is not None and _screen_of(self._target) in (None, target.screen):
                self._target = target
                if acts_late(self.app, event):
                    self._late = target
                return False
        self.held.append(event)
        self._start()
        return True

    def pass_on(self, key: events.Key) -> None:
        """Give ``key`` (typed before every held key) to the screen on top once it is
        mounted, behind the keys passed on before it."""
        target = self._now()
        if not self.passed and self._late is None and target is not None:
            self._forward(target, key)
            return
        self.passed.append(key)
        self._start()

    def _forward(self, target: Any, key: events.Key) -> bool:
        """Give ``key`` to ``target`` (where a key goes now); True when its binding acts
        late (the keys after it wait until it has gone through)."""
        late = acts_late(self.app, key)
        target._forward_event(key)
        if late:
            self._late = target
        return late

    def _now(self) -> Any:
        """Where a key goes now: the focused widget, else the screen on top; None while
        that screen is still mounting (or there is none: starting, closing)."""
        try:
            screen = self.app.screen
        except Exception:
            return None
        if not screen.is_mounted:
            return None
        return self.app.focused or screen

    def _start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while self.held or self.passed:
                if self._late is not None:
                    await _drain(self._late)
                if self.held and self._target is not None:
                    await _drain(self._target)
                try:
                    screen = self.app.screen
                except Exception:
                    return  # closing: the keys have nowhere to go
                await screen._mounted_event.wait()
                done = asyncio.Event()
                if not self.app.call_later(self._release, done):
                    return
                await done.wait()
        finally:
            self._task = None

    async def _release(self, done: asyncio.Event) -> None:
        """Give on the keys passed on, then the held ones, until one of them brings
        another screen on top (then the keys on their way there go first again)."""
        self._late = None  # gone through: _run drained it, the app has run its binding
        try:
            while self.held or self.passed:
                target = self._now()
                if target is None:
                    return
                if self.passed:
                    if self._forward(target, self.passed.popleft()):
                        return
                    continue
                self._target = target
                key = self.held.popleft()
                late = acts_late(self.app, key)
                await self.deliver(key)
                if self.app.screen is not target.screen:
                    return
                if late:
                    self._late = target
                    return
            self._target = self._now()
        finally:
            done.set()


def acts_late(app: Any, event: events.Key) -> bool:
    """Whether ``event``'s key, given now, runs a binding after the keys typed behind it
    reached the focused widget: the widget does not take the key itself, and the screen's
    chain (from the focused widget up) has a binding of it, not a priority one (those act
    as the key arrives). Textual runs it when the key has bubbled up to the app, and it
    may move the focus (``tab``: ``app.focus_next``; ``enter`` on a select opens its
    list and focuses that): the keys behind it must wait for it (:class:`KeyGate`)."""
    try:
        screen = app.screen
    except ScreenStackError:  # none: starting, closing
        return False
    focused = app.focused
    if focused is not None and focused.check_consume_key(event.key, event.character):
        return False
    return any(True for _ in _plain_bindings(screen, event.key))


def _plain_bindings(screen: Any, key: str) -> Iterator[tuple[Any, Any]]:
    """(namespace, binding) of ``key`` in ``screen``'s binding chain, from the focused
    widget up, priority bindings left out (Textual runs those as the key arrives)."""
    for namespace, bindings in screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            if not binding.priority:
                yield namespace, binding


def _screen_of(node: Any) -> Any:
    if node is None:
        return None
    try:
        return node.screen
    except Exception:  # removed meanwhile
        return None


async def _drain(node: Any) -> None:
    """Wait until ``node`` and its ancestors up to its screen have handled the messages
    they have now (a key bubbles up: each is asked after the one below it), or closed."""
    chain = []
    while node is not None and node.parent is not None:  # the app has no parent
        chain.append(node)
        node = node.parent
    for pump in chain:
        task = pump._task
        if task is None or task.done():
            continue
        handled = asyncio.Event()
        if not pump.call_later(handled.set):
            continue
        waiting = asyncio.ensure_future(handled.wait())
        await asyncio.wait({waiting, task}, timeout=DRAIN_SECONDS, return_when="FIRST_COMPLETED")
        waiting.cancel()


async def run_binding(node: Any, event: events.Key) -> bool:
    """Run the binding of ``event``'s key as the app would (the screen's binding chain
    from the focused widget up, priority bindings aside), but here and now: in a field
    that takes typed characters itself, a key of a binding (``escape``) typed before
    more characters runs before them, not after the field has taken them. True (and the
    key stopped) when a binding ran."""
    for namespace, binding in _plain_bindings(node.screen, event.key):
        if await node.app.run_action(binding.action, namespace):
            event.stop()
            event.prevent_default()
            return True
    return False


def deferred(
    fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any
) -> Callable[[], Coroutine[Any, Any, Any]]:
    """A worker's work as a callable: the coroutine is made only when the worker starts,
    so an exclusive worker cancelled before it ran leaves no un-awaited coroutine.

    A store's error ends the work, not the app: the app's ``store_failed`` says it (the
    team's memory away, :class:`StoreUnreachable`: the header's marker and one notice;
    another StoreError, a table locked past the time limit or a read-only file: its one
    line). Textual ends the app on a worker's error unless the worker was started with
    ``exit_on_error=False``; the queue's and the details' workers are not, so any other
    error (a bug) still does."""
    return partial(_reaching, fn, *args)


async def _reaching(fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> Any:
    try:
        return await fn(*args)
    except StoreError as exc:
        failed = getattr(get_current_worker().node.app, "store_failed", None)
        if failed is None:  # an app without the one place (a test's host): Textual's
            raise
        failed(exc)
        return None


class SaysWorkerErrors:
    """A screen or widget whose workers' errors are said where the app's are (the
    app's ``worker_changed``: a StoreError's line in the reader's language, a memory that
    went away in the header). Textual tells a worker's state to the node that runs it
    alone (``Worker.StateChanged`` does not bubble): a search that failed on its screen
    was said nowhere. Every class of the TUI that runs a worker has it
    (tests/test_worker_errors.py checks). A bare host app (tests) has no
    ``worker_changed``: nothing is said."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The worker's node is this one: its app, without an ``app`` of the mixin's own
        # that would hide the node's type from the classes that have it.
        changed = getattr(event.worker.node.app, "worker_changed", None)
        if callable(changed):
            changed(event.worker, event.state)


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


def notice(app: Any, text: str, *, post: bool = True, **kw: Any) -> Notification:
    """``app.notify(text, markup=False, **kw)`` (literal text) that returns the notice, so
    that it can be taken back before its time (:func:`withdraw`); ``post=False``: made,
    not shown yet (post ``Notify`` of it later)."""
    if kw.get("timeout") is None:  # as ``notify``: none given is the app's own
        kw["timeout"] = app.NOTIFICATION_TIMEOUT
    shown = Notification(text, markup=False, **kw)
    if post:
        app.post_message(Notify(shown))
    return shown


def withdraw(app: Any, shown: Notification) -> None:
    """Take the notice ``shown`` (:func:`notice`) off the screen now, the others left
    as they are. Expired as well: a notice whose ``Notify`` is still on its way is
    dropped on arrival."""
    shown.timeout = 0
    # Private, kept: Textual 8.2.8 (pinned) only adds (notify) or clears every notice
    # (clear_notifications); one goes only by _unnotify, as its toast's own timer/click.
    app._unnotify(shown)
