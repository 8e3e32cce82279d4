"""The Textual app: wiring, app-wide keys, the live workers, and :func:`run_app`.

Screens live in ``tui/screens``, widgets in ``tui/widgets``. The app owns the store
connections (one for the keys, one for background reads such as counts and details, one
for the sync engine and the outbox, and from the first filter on one for the tabs'
filtered counts), the per-source sync state for the header line, and the workers: the
sync engine, the outbox, the counts.

Other screens reach the app through a small surface: ``app.store``, ``app.reader``,
``app.codebook``, ``app.i18n``, ``app.tz``, ``app.actor``, :meth:`ReactieveldApp.show_response`
(jump the queue to a response) and :meth:`ReactieveldApp.open_search`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Collection, Coroutine, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.notifications import Notification, Notify
from textual.worker import Worker, WorkerState

import reactieveld
from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.drafts import DraftKey, DraftsFile, KeptDrafts
from reactieveld.i18n import I18n, capital_first, in_language, stored
from reactieveld.keys import APP_KEYS
from reactieveld.model import REPORTING_SOURCE_TYPES, Capability, utcnow
from reactieveld.reasons import NO_ASKING, ReasonsConfig
from reactieveld.rules import NO_RULES, RuleSet
from reactieveld.store.base import LIVE_POLL_SECONDS, StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.text import one_line
from reactieveld.tui.claims import EXPIRY_CHECK_SECONDS, ClaimKeeper, expired_claims
from reactieveld.tui.commands import AppCommands, ScreenCommands, open_palette, shown_screen
from reactieveld.tui.messages import (
    CountsUpdated,
    KeyGate,
    RowsChanged,
    SourcesSynced,
    SourcesUpdated,
    StoreChanged,
    deferred,
    notice,
    withdraw,
)
from reactieveld.tui.queues import (
    DISAGREE,
    FLAGGED,
    REPORTED,
    SECOND,
    FilterChoice,
    queue_filter,
    states_filter,
    tab_counts,
)
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.widgets.status_line import SourceStatus, newer_round, stored_status

if TYPE_CHECKING:
    from typing import TypeAlias

    from reactieveld.config import ConfigError
    from reactieveld.model import Response
    from reactieveld.tui.services import AppServices

    #: Why a source cannot sync, not yet in a language: a text as stored (English, read
    #: back in the reader's language), or a configuration mistake (its own words).
    StartError: TypeAlias = str | ConfigError


def styles_dir() -> Path:
    """The stylesheets: inside the installed package (a wheel carries them as
    ``reactieveld/styles``), else the source tree's top-level ``styles/`` (editable)."""
    # The package's folder (not importlib.resources: ~8 ms of imports before the first
    # frame, for a package that is always installed as files).
    packaged = Path(reactieveld.__file__).resolve().parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "styles"


def _css_paths() -> list[str | Path]:
    folder = styles_dir()
    return sorted(folder.glob("*.tcss")) if folder.is_dir() else []


class ReactieveldApp(App[int]):
    """Reactieveld: moderate, tag and remember responses from the keyboard."""

    CSS_PATH = _css_paths()  # type: ignore[assignment]
    #: Below 24 rows every screen is "-short": its dialogs drop their blank lines and
    #: tall buttons (styles/small-screens.tcss) so that a 60x20 terminal shows them whole.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    TITLE = "reactieveld"
    #: A screen under another (a dialog over the queue) has this class: its notices are
    #: not drawn (styles/app.tcss), those of the screen on top are. Each screen has its
    #: own rack of the app's notices, and one seen through a dialog showed each notice
    #: twice (E, ctrl+s, then f2: the export's line under and over the settings).
    SUSPENDED_SCREEN_CLASS = "-covered"
    # Not Textual's system commands: their Quit and Keys are ours already, in English.
    # AppCommands keeps the ones we do not have (theme, screenshot), translated.
    COMMANDS = {ScreenCommands, AppCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]
    #: App-wide actions for the palette and the help screen (binding id -> action).
    APP_ACTIONS: Mapping[str, str] = {
        "quit": "quit",
        "settings": "settings",
        "dashboard": "dashboard",
        "export_report": "export_report",
    }

    def __init__(
        self,
        store: Any | None,
        *,
        db_path: Path | None = None,
        reader: Any | None = None,
        language: str = "nl",
        codebook: Codebook = DEFAULT_CODEBOOK,
        keymap: Mapping[str, str] | None = None,
        connectors: Mapping[str, Any] | None = None,
        engine: Any | None = None,
        outbox: Any | None = None,
        source_errors: Mapping[str, StartError] | None = None,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utcnow,
        actor: str | None = None,
        theme: str | None = None,
        config_hint: str | None = None,
        state_path: Path | None = None,
        language_fixed_by: str | None = None,
        claim_minutes: float = 5.0,
        reasons: ReasonsConfig = NO_ASKING,
        rules: RuleSet = NO_RULES,
        double_share: float = 0.0,
        reader_opener: Callable[[], Coroutine[Any, Any, Any]] | None = None,
        drafts_file: DraftsFile | None = None,
    ) -> None:
        """``state_path``: where a language chosen with f2 is kept for the next start
        (None: not kept, as in tests); ``language_fixed_by``: "--lang" or "[ui] language"
        when one of those decides the language at start (then f2 is for this session).
        ``reasons``: ``[reasons]`` of the config; without one no decision asks.
        ``rules``: ``[[rules]]`` of the config (the Flagged tab, the view's highlight).
        ``double_share``: ``[coding] double_share``; above 0 the Second coding queue is a
        tab (issue 14). ``reader_opener``: opens the background reads' store right after
        the first frame with rows (:meth:`open_reader`; the app closes it); until then
        :attr:`reader` is ``store``. ``drafts_file``: where this memory's drafts are kept
        between sessions (reactieveld.drafts; None: for the session only, as in tests)."""
        super().__init__()
        self.state_path = state_path
        self.language_fixed_by = language_fixed_by
        #: Where sources would be configured, shown while there are none (first run).
        self.config_hint = config_hint
        # Without a store the app opens (and closes) the one at ``db_path`` itself.
        # Any: a SqliteStore, set here or opened on mount before any screen uses it.
        self.store: Any = store
        self.reader: Any = reader or store
        self._reader_opener = reader_opener
        self._reader_task: asyncio.Task[Any] | None = None
        self.db_path = db_path
        self._owns_store = store is None
        self.i18n = I18n(language)
        self.codebook = codebook
        self.keymap = dict(keymap or {})
        self.engine = engine
        self.connectors: dict[str, Any] = dict(
            connectors if connectors is not None else (engine.connectors if engine else {})
        )
        self.outbox = outbox
        self.tz = tz
        #: Now, for the times on screen (tui/times.py: the year shows beyond half a
        #: year back); a test gives a fixed one.
        self.clock = clock
        from reactieveld.config import os_user  # the one rule of who acts

        self.actor = actor or os_user()
        self._theme_name = theme
        # Not yet read: whether this app syncs a source or another process does (a
        # team's service) is known at the engine's first check, not before.
        self._sources: dict[str, SourceStatus] = {
            name: SourceStatus(name, "unread") for name in self.connectors
        }
        #: The sources that could not even be set up (name -> why, not yet in a
        #: language: said at mount, and again in the new language on f2).
        self._start_errors = dict(source_errors or {})
        for name, error in self._start_errors.items():
            self._sources[name] = SourceStatus(name, "error", error=str(error))
        #: The source errors' notices on screen, with why (not yet in a language): a
        #: language switch says again in the new language those still shown.
        self._source_notices: dict[str, tuple[Notification, StartError]] = {}
        #: The team's memory cannot be reached (a round, or the app's own read or write,
        #: said so: :meth:`memory_away`); the header says it and keys that write refuse,
        #: until a round is stored again or the app's check reads again.
        self._memory_unreachable = False
        #: Set while the memory is reached (cleared while :attr:`memory_unreachable`).
        self.memory_reached = asyncio.Event()
        self.memory_reached.set()
        #: The check that reads again while the memory is away (:meth:`_check_reach`),
        #: with its backoff's first and longest wait (seconds).
        self._reach_task: asyncio.Task[None] | None = None
        self.reach_retry_seconds = (2.0, 30.0)
        self._stop = asyncio.Event()
        self._outbox_wake = asyncio.Event()
        self.sinks: Any | None = None  # the memory sinks' worker, when run_app runs one
        # Counts: the last store-wide counts (shown again at once when a filter is
        # cleared), and the connection for filtered counts (opened on first use).
        self.last_counts: Any | None = None
        self.counter: Any | None = None
        self._counts_wanted = False
        self._counts_worker: Worker[None] | None = None
        self._owns_counter = False
        #: Unsent replies and notes, by their ``DraftKey`` (kind, response id), loaded
        #: from and written to ``drafts_file`` at every change (durable); without one,
        #: or while it cannot be written, for the session: then quitting asks first.
        #: The file is read in the drafts thread at start (:meth:`_load_drafts`), not
        #: here: a slow disk or a file held elsewhere never holds the first screen.
        self.drafts_file = drafts_file
        self.drafts = KeptDrafts(changed=self._drafts_changed)
        self._drafts_load_wanted = drafts_file is not None
        self._drafts_loading = False  # the file's read at start under way
        self._drafts_said: str | None = None  # the last failure to write them, said once
        self._drafts_timer: Any = None
        #: The drafts file is read and written off the event loop, one job at a time
        #: (:meth:`_drafts_io`): a save asked for (folded into one while one runs), and
        #: the drafts to reread for editors opened since.
        self._drafts_save_wanted = False
        self._drafts_rereads: list[DraftKey] = []
        self._drafts_io_running = False
        #: Set while no drafts job runs or waits (quitting waits for it, bounded).
        self.drafts_idle = asyncio.Event()
        self.drafts_idle.set()
        #: How long quitting (or a signal) waits for the last save of the drafts.
        self.drafts_quit_seconds = DRAFTS_QUIT_SECONDS
        #: The signals handled while the app runs, with the handlers before it.
        self._signals_before: dict[int, Any] = {}
        #: One line for the terminal after the app ended (run_app prints it).
        self.exit_note: str | None = None
        #: Set when the terminal went away (closed, SIGHUP): nothing more is written to it.
        self.terminal_went = False
        #: Called with the exit code once an end by a signal or a gone terminal has the
        #: drafts written (run_app: a last-resort bound on the rest of the end).
        self.end_limit: Callable[[int], None] | None = None
        #: The last search (query, hit under the cursor): ``/`` opens it again.
        self.last_search: tuple[str, int] | None = None
        #: Set once the triage screen's first rows are on screen (after that frame): what
        #: the first frame does not need (sync engine, outbox, memory sinks) starts then.
        self.rows_shown = asyncio.Event()
        #: ``[team] claim_minutes``: the lease on the open response (see :attr:`claims`).
        self.claim_minutes = claim_minutes
        self.reasons = reasons
        self.rules = rules
        #: ``[coding] double_share`` (issue 14): above 0, the Second coding tab.
        self.double_share = double_share
        #: The Second coding queue's count of the last counts (None: not counted).
        self.second_count: int | None = None
        #: The Disagreements queue's count (issue 14), like ``second_count``.
        self.disagree_count: int | None = None
        #: The claim on the open response (tui/claims.py); None on a read-only store.
        self.claims: ClaimKeeper | None = None
        #: Live between moderators: set once the store's change subscription stands (a
        #: commit after it is seen); how often a polling store looks (seconds).
        self.live_ready = asyncio.Event()
        self.live_interval = LIVE_POLL_SECONDS
        self._live_task: asyncio.Task[None] | None = None
        self._app_bindings()
        #: Keys held while a screen opens (tui/messages.py ``KeyGate``).
        self.key_gate = KeyGate(self, self._key_arrived)

    def on_notify(self, event: Notify) -> None:
        # Every notice starts with a capital, whoever made it (app.notify, a screen's,
        # messages.notice): run before App._on_notify takes it in.
        event.notification.message = capital_first(event.notification.message)

    async def on_event(self, event: events.Event) -> None:
        # A key from the terminal arriving as a screen opens waits for the keys before
        # it (key_gate gives it on, in order, once they went on).
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.key_gate.hold(event):
                return
        await super().on_event(event)

    async def _key_arrived(self, event: events.Key) -> None:
        """A held key from the terminal, now in its turn: as Textual takes a key."""
        key = events.Key(event.key, event.character)
        key.set_sender(self)
        await super().on_event(key)

    @property
    def memory_unreachable(self) -> bool:
        """The team's memory cannot be reached (see ``__init__``)."""
        return self._memory_unreachable

    @memory_unreachable.setter
    def memory_unreachable(self, away: bool) -> None:
        back = self._memory_unreachable and not away
        self._memory_unreachable = away
        if away:
            self.memory_reached.clear()
        else:
            self.memory_reached.set()
        if back:  # the screens open that said the memory away read again (the dashboard)
            self._tell_screens("memory_back")

    def _app_bindings(self) -> None:
        # The app's own keys, described in the chosen language.
        t = self.i18n.t
        self._bindings.key_to_bindings["q"] = [Binding("q", "quit", t("key.quit"), id="quit")]
        # Textual's own palette key, described in the chosen language in the footer.
        self._bindings.key_to_bindings[self.COMMAND_PALETTE_BINDING] = [
            Binding(
                self.COMMAND_PALETTE_BINDING,
                "command_palette",
                t("key.palette.footer"),
                show=False,
                priority=True,
                tooltip=t("key.palette.tip"),
            )
        ]
        self._bindings.key_to_bindings["f2"] = [
            Binding("f2", "settings", t("key.settings"), show=False, id="settings")
        ]
        # Dashboard (D), export dialog (E), search from any screen (/).
        for key, action, label in (
            ("D", "dashboard", "key.dashboard"),
            ("E", "export_report", "key.export"),
            ("slash", "search", "key.search"),
        ):
            self._bindings.key_to_bindings[key] = [
                Binding(key, action, t(label), show=False, id=action)
            ]

    # -- start and stop -----------------------------------------------------------------
    async def on_load(self) -> None:
        if self.store is None:
            from reactieveld.store.open import open_store

            if self.db_path is None:
                raise ValueError("ReactieveldApp needs a store or a db_path")
            # An interactive connection: windows of rows and look-ups, a small cache.
            self.store = await open_store(
                self.db_path,
                codebook_version=self.codebook.version,
                interactive=True,
                double_share=self.double_share,
            )
            self.reader = self.reader or self.store
        # A store that knows who is connected (PostgreSQL: the database role) names the
        # moderator itself; the journal then shows that name, whatever the config says.
        whoami = getattr(self.store, "whoami", None)
        if whoami is not None and (name := await whoami()):
            self.actor = str(name)
        # Blind everywhere, not only in Second coding: the rows of a response another
        # moderator coded first show this moderator's own coding until it is done. Not
        # for one who may only read (policy staff): they never code, they see the tags.
        self.store.coder = self.reader.coder = self._coder()

    def get_default_screen(self) -> TriageScreen:
        """The triage screen is the app's first screen itself (Textual asks for it when
        the app composes, after ``on_load``), not pushed over an empty default screen that
        would be composed, styled and laid out before it for nothing."""
        if self._theme_name and self._theme_name in self.available_themes:
            self.theme = self._theme_name
        if self.keymap:
            self.set_keymap(self.keymap)
        screen = TriageScreen()
        # As push_screen would: switch_screen (a language switch) pops one result
        # callback from the screen it replaces, and a default screen has none of its own.
        screen._push_result_callback(self, None)
        return screen

    def on_mount(self) -> None:
        self._start_claims()
        for name, error in self._start_errors.items():  # a source not even set up
            self._tell_source_error(name, error)
        # Whatever keeps the first rows from the screen, what waits for them does not wait
        # long (nor is the collector off for long).
        self.set_timer(STARTUP_GC_LIMIT, self.first_rows_shown)
        self._start_live()
        self._start_drafts()

    # -- drafts between sessions (reactieveld.drafts) -------------------------------------
    def _start_drafts(self) -> None:
        """Say what was wrong with the drafts file; look for drafts whose response is
        gone; keep the drafts (an open editor's text too) when a signal ends the app."""
        if self.drafts_file is None:
            return
        self._start_drafts_io()  # its first job: the load
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in DRAFT_SIGNALS:
                before = signal.getsignal(signum)
                loop.add_signal_handler(signum, self._ended_by_signal, signum)
                self._signals_before[signum] = before

    def _tell_drafts_problem(self, problem: Any) -> None:
        t = self.i18n.t
        what = t(problem.what, **problem.values)
        if problem.moved is not None:
            said = t("drafts.bad", path=problem.path, what=what, moved=problem.moved.name)
        else:
            said = t("drafts.bad.stuck", path=problem.path, what=what)
        self.notify(one_line(said, limit=600), severity="warning", timeout=30, markup=False)

    def get_driver_class(self) -> Any:
        """Textual's driver, on Linux with the terminal guarded (tui/terminal.py): a
        terminal that goes ends the app as SIGHUP does, not a process left behind."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from reactieveld.tui.terminal import HangupDriver

            return HangupDriver
        return driver

    def terminal_gone(self) -> None:
        """The terminal went (a write, a read or its hang-up failed): as SIGHUP."""
        self._ended_by_signal(signal.SIGHUP)

    def _ended_by_signal(self, signum: int) -> None:
        """SIGTERM (``kill``) or SIGHUP (the terminal closed): the drafts and the text of
        every open editor are written first (Textual does not handle these: the process
        would end at once), then the app ends as by quitting."""
        if signum == signal.SIGHUP:
            if self.terminal_went:
                return  # the hang-up and the failed write of one closed terminal
            self.terminal_went = True
        self.run_worker(self._end_by_signal(signum), group="drafts-end", exit_on_error=False)

    async def _end_by_signal(self, signum: int) -> None:
        await self.drafts_written()  # bounded: the signal ends the app all the same
        if not self.drafts_idle.is_set():
            self.exit_note = self._drafts_busy_said()
        if self.end_limit is not None:
            self.end_limit(128 + signum)
        self.exit(return_code=128 + signum)

    def _remove_signal_handlers(self) -> None:
        """The handlers of :meth:`_start_drafts` off, those before them back."""
        installed, self._signals_before = self._signals_before, {}
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum, before in installed.items():
                loop.remove_signal_handler(signum)
                if before is not None:
                    signal.signal(signum, before)

    def _drafts_changed(self) -> None:
        """A draft was kept, changed or dropped: written to the file, and the queue's
        rows redrawn (a row with a kept draft says so: ``concept · ...``)."""
        self._save_drafts()
        self._refresh_queue()

    def _save_drafts(self) -> None:
        """Have the drafts (kept, and typed in an open editor) written to the drafts file,
        off the event loop (:meth:`_drafts_io`): the file's lock (another window's save)
        or a slow disk's fsync never holds the keys or the live updates. Asked for while
        a save runs, it is one more save after it, of the drafts as they are then."""
        if self._drafts_timer is not None:
            self._drafts_timer.stop()
            self._drafts_timer = None
        if self.drafts_file is None or not self.drafts_file.writable:
            return  # none, or a bad one in the way (said at start)
        self._drafts_save_wanted = True
        self._start_drafts_io()

    def _start_drafts_io(self) -> None:
        if self._drafts_io_running:
            return  # the running one takes the job next
        self._drafts_io_running = True
        self.drafts_idle.clear()
        self.run_worker(self._drafts_io(), group="drafts-io", exit_on_error=False)

    async def _drafts_io(self) -> None:
        """The drafts file's jobs, one at a time (never two writers from one app, never
        an older save after a newer: a save takes the drafts as they are when it starts),
        each in a thread of its own; what they found is applied here, on the app's loop.
        Rereads first: an editor just opened waits for its text."""
        file = self.drafts_file
        try:
            while file is not None:
                if self._drafts_load_wanted:
                    self._drafts_load_wanted = False
                    self._drafts_loading = True
                    try:
                        await self._load_drafts(file)
                    finally:
                        self._drafts_loading = False
                elif self._drafts_rereads:
                    await self._reread_draft(file, self._drafts_rereads.pop(0))
                elif self._drafts_save_wanted:
                    self._drafts_save_wanted = False
                    await self._write_drafts(file)
                else:
                    break
        finally:
            self._drafts_io_running = False
            self.drafts_idle.set()

    async def _load_drafts(self, file: DraftsFile) -> None:
        """The kept drafts, read at start before any other drafts job (a save or a
        reread asked for meanwhile waits for it): what was wrong with the file is said,
        the queue's rows show them, and those whose response is gone are set aside. A
        draft kept here before the file was read is newer than the file's and stays."""
        loaded, problem = await in_thread(file.load)
        self.drafts.take({key: text for key, text in loaded.items() if key not in self.drafts})
        self.drafts.durable = file.writable
        if problem is not None:
            self._tell_drafts_problem(problem)
        if self.drafts:
            self.run_worker(deferred(self._drafts_gone), group="drafts", exit_on_error=False)
        self._refresh_queue()

    async def _write_drafts(self, file: DraftsFile) -> None:
        from reactieveld.tui.screens.editor import unsent_drafts

        if not file.writable:
            return
        saved = unsent_drafts(self)  # the drafts this save writes
        try:
            elsewhere = await in_thread(file.save, saved)
        except OSError as exc:
            self._tell_drafts_problems()
            self.drafts.durable = False
            if not file.writable:
                return  # a bad file in the way: said just now
            reason = exc.strerror or type(exc).__name__
            if reason != self._drafts_said:
                self._drafts_said = reason
                said = self.i18n.t("drafts.not_saved", path=file.path, reason=reason)
                self.notify(one_line(said, limit=600), severity="warning", markup=False)
            return
        # Another window's changes, its sent replies' drafts; not over a draft changed
        # here while this save ran (newer: the next save writes it).
        now = unsent_drafts(self)
        taken = {key: text for key, text in elsewhere.items() if now.get(key) == saved.get(key)}
        self.drafts.take(taken)
        self._tell_drafts_problems()
        self.drafts.durable = True
        self._drafts_said = None
        if taken:
            self._refresh_queue()

    async def drafts_written(self) -> bool:
        """The drafts written now (a save asked for, waited for, at most
        :attr:`drafts_quit_seconds`): True when they are in the file, False when there
        is none, it cannot be written, or the save did not finish in time."""
        if self.drafts_file is None or not self.drafts_file.writable:
            return False
        self._save_drafts()
        try:
            await asyncio.wait_for(self.drafts_idle.wait(), self.drafts_quit_seconds)
        except TimeoutError:
            return False
        return self.drafts.durable and not self._drafts_save_wanted

    def _drafts_busy_said(self) -> str:
        path = self.drafts_file.path if self.drafts_file is not None else ""
        return self.i18n.t("drafts.busy", path=path, seconds=f"{self.drafts_quit_seconds:g}")

    def _refresh_queue(self) -> None:
        screen = self._triage()
        if screen is not None and screen.is_mounted:
            screen.queue.refresh()  # a row with a kept draft says so

    def _tell_drafts_problems(self) -> None:
        """A drafts file found bad while saving (edited meanwhile?): said, as at start."""
        if self.drafts_file is not None:
            while self.drafts_file.problems:
                self._tell_drafts_problem(self.drafts_file.problems.pop(0))

    def drafts_typed(self, delay: float) -> None:
        """An open editor's text changed (write the drafts after ``delay`` seconds without
        another change), or it closed (``delay`` 0: at once)."""
        if delay <= 0:
            self._save_drafts()
            return
        if self._drafts_timer is not None:
            self._drafts_timer.stop()
        self._drafts_timer = self.set_timer(delay, self._save_drafts, name="drafts-typed")

    def draft_to_open(self, key: DraftKey) -> None:
        """An editor opens on ``key`` (at once, with this window's draft): the file is
        reread for it off the event loop, and a draft another window (on this memory)
        kept or changed for it meanwhile becomes this window's, so a keep here writes on
        it, never over it. The editor shows it if nothing was typed in it yet; else the
        typed text stays, and the moderator is told (keeping it replaces the other's)."""
        if self.drafts_file is None or not self.drafts_file.writable:
            return
        self._drafts_rereads.append(key)
        self._start_drafts_io()

    async def _reread_draft(self, file: DraftsFile, key: DraftKey) -> None:
        from reactieveld.tui.screens.editor import EditorScreen

        ours = self.drafts.get(key)
        try:
            theirs = await in_thread(file.reread, key, ours)
        except OSError:
            return  # not read: the editor keeps this window's draft
        self._tell_drafts_problems()
        if theirs == ours or self.drafts.get(key) != ours:
            return  # the same, or changed here meanwhile (newer: the next save writes it)
        self.drafts.take({key: theirs})
        self._refresh_queue()
        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen) and screen.draft_key == key:
                if theirs is not None and not screen.show_draft(theirs):
                    said = self.i18n.t("drafts.changed_elsewhere")
                    self.notify(said, severity="warning", timeout=15, markup=False)

    async def _drafts_gone(self) -> None:
        """Drafts loaded for responses this memory no longer has are not dropped: they
        are written to a file of their own beside the drafts file, and said once."""
        await self.rows_shown.wait()
        gone = {}
        for key, text in list(self.drafts.items()):
            if await self.store.get(key.response_id) is None:
                gone[key] = text
        if not gone or self.drafts_file is None:
            return
        t = self.i18n.t
        try:
            aside = await in_thread(self.drafts_file.set_aside, gone, "gone")
        except OSError as exc:  # kept in the drafts file, said
            reason = exc.strerror or type(exc).__name__
            path = self.drafts_file.path
            self.notify(t("drafts.not_saved", path=path, reason=reason), markup=False)
            return
        for key in gone:
            # Written at once: the file keeps the others. Not there any more when another
            # window sent or dropped it while the set-aside ran (a save here took that).
            self.drafts.pop(key, None)
        authors = ", ".join(sorted({one_line(key.author, limit=30) or "?" for key in gone}))
        said = t("drafts.gone", n=len(gone), authors=authors, path=aside)
        self.notify(one_line(said, limit=600), severity="warning", timeout=30, markup=False)

    def _start_claims(self) -> None:
        # Nothing can be claimed where nothing can be written; a store without claims
        # (a test's stand-in) has none either. The others' claims are shown all the same
        # (a reader's app too), and one that ran out goes (:meth:`_claims_expired`).
        if hasattr(self.store, "claim"):
            self.set_interval(EXPIRY_CHECK_SECONDS, self._claims_expired, name="claims-expired")
        if self.read_only or not hasattr(self.store, "claim"):
            return
        self.claims = ClaimKeeper(
            self.store, actor=self.actor, minutes=self.claim_minutes, away=self.store_failed
        )
        # Renewed at half the lease: a response left open stays claimed, one whose app
        # died is free again within a lease.
        self.set_interval(self.claim_minutes * 30, self._renew_claim, name="claim-renewal")

    async def _renew_claim(self) -> None:
        if self.claims is not None:
            await self.claims.renew()

    async def _claims_expired(self) -> None:
        """Another moderator's claim shown on a row ran out (their app died, or a laptop
        closed): the rows are read again, as for a change, so its pencil and "busy" go
        when the lease ends, not at the next change."""
        screen = self._triage()
        if screen is None or not screen.is_mounted:
            return
        ids = expired_claims(screen.queue.rows, self.actor, self.clock())
        if ids:
            self.post_message(RowsChanged(tuple(ids), ()))

    def first_rows_shown(self) -> None:
        """The triage screen's first rows are on screen (called after that frame): freeze
        what the start made, and start what waits for them: the sync engine, the outbox
        and (``run_app``, on :attr:`rows_shown`) the memory sinks."""
        if self.rows_shown.is_set():
            return
        self.rows_shown.set()
        _freeze_startup_objects()
        if self._reader_opener is not None:
            # The background reads' connection: not on the way to the first rows.
            self._reader_task = asyncio.create_task(self._reader_opener())
        # The sync engine (a first round, a fetch process to start) and the outbox would
        # share this interpreter with the first frame: they start right after it.
        if self.engine is not None:
            self.engine.subscribe(self._on_sync_event)
            # A callable: its coroutine is made when the worker starts (an app ended in
            # this frame left 'coroutine SyncEngine.run was never awaited' on stderr).
            run = partial(self.engine.run, self._stop)
            self.run_worker(run, group="sync", exit_on_error=False)
        if self.outbox is not None:
            self.run_worker(deferred(self._run_outbox), group="outbox", exit_on_error=False)
        # The sources' state as the store holds it (a reader's app syncs nothing itself).
        self.run_worker(deferred(self._stored_sources), group="sources", exit_on_error=False)

    def _coder(self) -> str:
        """Whose coding the stores' rows show where it is blind (store/codings.py
        ``blinded``): this moderator's; none on a memory they may only read."""
        return "" if self.read_only else self.actor

    async def open_reader(self) -> Any:
        """The background reads' store (:attr:`reader`), once the one opened after the
        first frame with rows is open (at once where none is opened: then it is the one
        given, or the keys' store). A reader that cannot be opened is said once; the keys'
        store serves the reads instead."""
        task = self._reader_task
        if task is None:
            return self.reader
        try:
            reader = await asyncio.shield(task)
        except StoreError as exc:
            if self._reader_task is task:
                self._reader_task = None
                self.notify(
                    one_line(exc.said(self.i18n.language), limit=300),
                    severity="error",
                    markup=False,
                )
            return self.reader
        # Its rows blind as the keys' store's (on_load): opened (run) without the share.
        reader.coder, reader.double_share = self._coder(), self.double_share
        self.reader = reader
        return reader

    async def _close_reader(self) -> None:
        task, self._reader_task = self._reader_task, None
        if task is None:
            return
        if not task.done():
            task.cancel()  # quitting while it still connects: not waiting for it
        try:
            reader = await task
        except (StoreError, asyncio.CancelledError):
            return
        await reader.close()

    def _tell_source_error(
        self, source: str, error: StartError | None, timeout: float | None = None
    ) -> None:
        # The header says only "fout"/"error": the reason (a wrong password, a server
        # that is down) is said once, when it starts or changes, not at every retry.
        # Stored in English by whichever process synced: said in this app's language.
        said = source_error_text(error, self.i18n.language) if error else "?"
        # Long enough for a URL and the connector's hint after it (which user, which key).
        line = one_line(f"{source}: {said}", limit=600)
        shown = notice(self, line, severity="error", timeout=timeout or SOURCE_ERROR_SECONDS)
        before = self._source_notices.pop(source, None)
        if before is not None:
            withdraw(self, before[0])  # the newer reason replaces it
        self._source_notices[source] = (shown, error or "?")

    def _say_source_errors_again(self) -> None:
        """The source errors' notices still on screen, said again in the language just
        chosen, for the time they had left."""
        shown, self._source_notices = self._source_notices, {}
        now = time.time()
        for source, (before, error) in shown.items():
            left = before.timeout - (now - before.raised_at)
            if before.timeout <= 0 or left <= 0:
                continue  # gone from the screen (its time ran out, or clicked away)
            withdraw(self, before)
            self._tell_source_error(source, error, timeout=left)

    async def on_unmount(self) -> None:
        self._stop.set()
        self._remove_signal_handlers()
        await self._stop_live()  # before the store closes under its poll
        reach, self._reach_task = self._reach_task, None
        if reach is not None:
            reach.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reach
        gc.unfreeze()  # what was frozen at start can be collected again (tests run many apps)
        if self.claims is not None:
            await self.claims.release_all()  # quitting: nothing stays "busy" behind us
        if self._owns_counter and self.counter is not None:
            await self.counter.close()
        await self._close_reader()
        if self._owns_store and self.store is not None:
            await self.store.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An app-wide action that opens the screen shown (``D`` on the dashboard, ``E``
        in the export dialog: the screen's :attr:`OPENED_BY`) does nothing there: it is
        not run, and not in the help, the footer or the palette. The screen shown is the
        one under the palette while it is open (it lists what would run there)."""
        screen = shown_screen(self)
        return action not in getattr(screen, "OPENED_BY", ())

    async def action_quit(self) -> None:
        """Every way to quit (``q`` as configured, Textual's ``ctrl+q``, the palette's
        Quit): at once, the drafts (kept, or typed in an open editor) written to the
        drafts file and counted on the terminal after the app (:attr:`exit_note`). Only
        when they cannot be kept (no file, or it cannot be written) the quit question
        names the drafts that would end with the session, and ``enter`` quits."""
        from reactieveld.tui.screens.editor import QuitQuestion, unsent_drafts

        if any(isinstance(screen, QuitQuestion) for screen in self.screen_stack):
            return  # asked already (its help may be on top): the question's keys answer it
        drafts = unsent_drafts(self)
        # Nothing to keep and only the read at start under way (a slow disk): quit at
        # once, the read has nothing to write (it goes on in its thread till it ends).
        reading = self._drafts_loading and not self._drafts_save_wanted
        if not drafts and reading:
            self.exit()
            return
        if not drafts:  # a save under way (a draft just dropped) lands first, bounded
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.drafts_idle.wait(), self.drafts_quit_seconds)
            self.exit()
            return
        if await self.drafts_written():
            if kept := len(unsent_drafts(self)):  # less when another window sent some
                self.exit_note = self.i18n.t("quit.kept", n=kept)
            self.exit()
            return
        if not self.drafts_idle.is_set():
            # Not written in time (another window holds the file, a slow disk): said, and
            # asked as where drafts cannot be kept; the save goes on meanwhile.
            self.notify(self._drafts_busy_said(), severity="warning", timeout=30, markup=False)
        drafts = unsent_drafts(self)

        def answered(quit: bool | None) -> None:
            if quit:
                self.exit()

        question = QuitQuestion(self.i18n, drafts, tz=self.tz, now=self.clock())
        await self.push_screen(question, answered)  # awaited: keys typed behind go to it

    def action_help_quit(self) -> None:
        """``ctrl+c`` where no text box takes it (to copy): Textual says "Press q to quit
        the app" there, in English. It says how to quit in the interface language: the
        configured key that quits on the screen shown (``^q`` on the dashboard, where
        ``q`` goes back), and that unsent drafts are asked about first
        (:meth:`action_quit`)."""
        from reactieveld.tui.screens.editor import unsent_drafts
        from reactieveld.tui.screens.help import app_key_rows

        screen = shown_screen(self)
        rows = app_key_rows(screen) if screen is not None else []
        keys = next((keys for keys, _, binding in rows if binding.action == "quit"), None)
        if keys is None:
            return  # nothing quits on this screen (a dialog): nothing to say
        t = self.i18n.t
        n = len(unsent_drafts(self))
        drafts = "quit.how.kept" if self.drafts.durable else "quit.how.drafts"
        said = t(drafts, keys=keys, n=n) if n else t("quit.how", keys=keys)
        self.notify(said, title=t("quit.how.title"), markup=False)

    def action_command_palette(self) -> None:
        """``ctrl+p``: the palette, its prompt in the interface language."""
        open_palette(self)

    def app_keys(self) -> list[tuple[str, str, str]]:
        """(binding id, keys, label) of the app-wide keys, for help and palette."""
        t = self.i18n.t
        keys = [(binding_id, key, t(label)) for binding_id, key, label in APP_KEYS]
        # The palette's key is Textual's, not remappable; listed after quit, as always.
        keys.insert(1, ("app.palette", "ctrl+p", t("key.palette")))
        return keys

    def action_settings(self) -> None:
        """The settings dialog; a new language rebuilds the triage screen in it."""
        from reactieveld.tui.screens.settings import SettingsScreen

        def chosen(language: str | None) -> None:
            if language and language != self.i18n.language:
                self.set_language(language)
            if language:
                self._remember_language(language)

        self.push_screen(SettingsScreen(self.i18n, note=self.language_note()), chosen)

    def language_note(self) -> str:
        """What becomes of a language chosen now: kept for the next start, or not."""
        t = self.i18n.t
        if self.language_fixed_by:
            return t("settings.session", by=self.language_fixed_by)
        return t("settings.kept") if self.state_path is not None else t("settings.only_now")

    def _remember_language(self, language: str) -> None:
        """Keep the f2 choice in the state file (reactieveld.state), unless --lang or
        [ui] language decides at start; a file that cannot be written is said, once."""
        if self.state_path is None or self.language_fixed_by:
            return
        from reactieveld.state import save_state

        try:
            save_state(self.state_path, language=language)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.notify(
                self.i18n.t("settings.not_kept", path=self.state_path, reason=reason),
                severity="warning",
                markup=False,
            )

    def set_language(self, language: str) -> None:
        """Switch the interface language of the running app."""
        old = self._triage()
        self.i18n = I18n(language)
        self._app_bindings()
        self._say_source_errors_again()
        if old is None:
            self.switch_screen(TriageScreen())
            return
        # The same queue, filter and response, in the other language.
        current = old.queue.current if old.is_mounted else None
        self.switch_screen(
            TriageScreen(
                queue_name=old.queue_name,
                choice=old.choice,
                response_id=current.response.id if current is not None else None,
            )
        )

    # -- what sources can do ------------------------------------------------------------
    def source_names(self) -> list[str]:
        """The sources the app knows (configured or seen in the sync state)."""
        return sorted(set(self.connectors) | set(self._sources))

    @property
    def read_only(self) -> bool:
        """The store was opened read-only (its file, folder or disk cannot be written, or
        the login is a team database's reader): browsing, search and export work;
        decisions, tags and notes cannot be stored."""
        return bool(getattr(self.store, "read_only", False))

    def read_only_reason(self) -> str | None:
        """Why nothing can be changed here (None when the store is writable): the store's
        own one line (a file, a reader role), in the interface language."""
        if not self.read_only:
            return None
        said = self.store.read_only_reason(self.i18n.language)
        if said:
            return str(said)
        return self.i18n.t("ro.reason", path=str(getattr(self.store, "path", "")))

    def unsupported(
        self, source: str, capability: Capability, response: Response | None = None
    ) -> str | None:
        """Why ``source``'s platform cannot do ``capability`` (None when it can, or when
        the source is not configured here and the outbox will say so itself); with a
        ``response``, also why that one cannot (a connector's ``refusal``: Discourse
        hides only a flagged post)."""
        if self.read_only:
            return self.read_only_reason()
        conn = self.connectors.get(source)
        if conn is None:
            return None
        if capability in conn.capabilities:
            refusal = getattr(conn, "refusal", None)
            said = refusal(capability, response) if refusal and response is not None else None
            return one_line(in_language(said, self.i18n.language), limit=200) if said else None
        reasons = getattr(conn, "unsupported_reasons", {}) or {}
        why = reasons.get(capability) or stored("conn.not_supported")
        return one_line(in_language(why, self.i18n.language), limit=200)

    def shows_reported(self) -> bool:
        """Whether the Reported queue is a tab: a source's platform reports its users'
        flags (Discourse), or the memory holds reported responses not handled yet."""
        types = {getattr(c, "type", None) for c in self.connectors.values()}
        if types & REPORTING_SOURCE_TYPES:
            return True
        return bool(getattr(self.last_counts, "reported", 0))

    def shows_flagged(self) -> bool:
        """Whether the Flagged queue is a tab: rules are configured, or the memory holds
        responses with a rule's open flag (flagged under an earlier config)."""
        return bool(self.rules) or bool(getattr(self.last_counts, "flagged", 0))

    def source_status(self) -> list[SourceStatus]:
        """The header line's sources, by name."""
        return [self._sources[name] for name in sorted(self._sources)]

    # -- live work ----------------------------------------------------------------------
    def request_counts(self) -> None:
        """Recount the tabs in the background (never on the key path).

        Coalesced: one counts worker at a time. A request while it runs (a burst of
        arrivals, actions in a row) makes it count once more when done, for the filter
        active by then; it is never cancelled, because a cancelled await does not stop
        SQLite, and the next count would queue behind the abandoned one."""
        self._counts_wanted = True
        if self._counts_worker is None or self._counts_worker.is_finished:
            self._counts_worker = self.run_worker(
                deferred(self._counts), group="counts", exit_on_error=False
            )

    async def _counts(self) -> None:
        await self.rows_shown.wait()  # not before the first rows (messages.after_first_rows)
        await self.open_reader()
        while self._counts_wanted:
            self._counts_wanted = False
            # The store-wide counts are kept by triggers (a few small rows): always read,
            # for the outbox figures and for the tabs when no filter is active.
            self.last_counts = await self.reader.counts()
            if self.double_share > 0:  # counted over its rows (a small sample): the reader
                second = queue_filter(SECOND, FilterChoice(), self.actor)
                self.second_count = await self.reader.count(second)
                disagree = queue_filter(DISAGREE, FilterChoice(), self.actor)
                self.disagree_count = await self.reader.count(disagree)
            self.post_message(CountsUpdated(self.last_counts))
            screen = self._triage()
            if screen is not None and screen.choice.active:
                await self._count_filtered(screen.choice)

    async def _count_filtered(self, choice: FilterChoice) -> None:
        """Count each tab's queue under ``choice`` and show the counts. With the store's
        ``count_by_state`` all six come from one grouped pass over the filter's rows;
        else each tab is counted, the tab on screen first, each shown as it comes. Either
        way over the rows (up to ~0.3 s a pass on a million responses), so on a
        connection of their own: the reader (a response's details, the thread) never
        waits behind them. Stops when the filter changes."""
        counter = await self._counter()
        screen = self._triage()
        if screen is None:
            return
        by_state = getattr(counter, "count_by_state", None)
        if by_state is not None and (choice.question or choice.role):
            # One pass over the tag's rows, grouped by state, gives all six tabs (300k
            # responses, question on a third: 0.18 s against 0.71 s for six passes).
            # Without a tag each tab's own index is quicker than one grouped scan.
            states = await by_state(states_filter(choice))
            if (screen := self._triage_filtered_by(choice)) is None:
                return
            for name, n in tab_counts(choice, states).items():
                screen.show_tab_count(choice, name, n)
            for name in (FLAGGED, REPORTED, SECOND, DISAGREE):  # not a state: apiece
                if name not in screen.queues:
                    continue
                n = await counter.count(queue_filter(name, choice, self.actor))
                if (screen := self._triage_filtered_by(choice)) is None:
                    return
                screen.show_tab_count(choice, name, n)
            return
        on_screen = screen.queue_name
        for name in sorted(screen.queues, key=lambda name: name != on_screen):
            n = await counter.count(queue_filter(name, choice, self.actor))
            if (screen := self._triage_filtered_by(choice)) is None:
                return
            screen.show_tab_count(choice, name, n)

    def _triage_filtered_by(self, choice: FilterChoice) -> TriageScreen | None:
        """The triage screen while it still shows ``choice`` (a count that comes back
        after the filter changed is not shown)."""
        screen = self._triage()
        if screen is None or not screen.is_mounted or screen.choice != choice:
            return None
        return screen

    async def _counter(self) -> Any:
        """The connection for filtered counts: its own on the reader's file, else the reader."""
        if self.counter is None:
            # A SQLite file's reader: a connection of its own. A PostgreSQL store is a
            # pool of connections already (no ``path``): counts never queue behind a key.
            path = getattr(self.reader, "path", None)
            if path is None or str(path) == ":memory:":
                return self.reader
            from reactieveld.store.open import open_store

            self.counter = await open_store(
                path,
                codebook_version=self.codebook.version,
                interactive=True,
                read_only=self.read_only,
            )
            self._owns_counter = True
        return self.counter

    def after_action(self) -> None:
        """A moderator action was stored: send it on (outbox, memory sinks) and recount."""
        self.wake_outbox()
        self.wake_sinks()
        self.request_counts()

    def wake_outbox(self) -> None:
        """Apply the outbox now."""
        self._outbox_wake.set()

    def attach_sinks(self, worker: Any) -> None:
        """The memory sinks' worker running beside the app (``run_app``), to wake."""
        self.sinks = worker

    def wake_sinks(self) -> None:
        """Deliver to the memory sinks now instead of at their next poll."""
        if self.sinks is not None:
            self.sinks.wake()

    async def _run_outbox(self) -> None:
        poll = float(getattr(self.outbox, "poll_seconds", 5.0))
        while not self._stop.is_set():
            self._outbox_wake.clear()
            self.outbox.language = self.i18n.language  # type: ignore[union-attr]  # its lines
            try:
                run = await self.outbox.run_once()  # type: ignore[union-attr]
            except StoreError:  # the memory away (or failing): tried again at the next poll
                run = None
            if run is not None and run.attempted:
                self.post_message(StoreChanged())
                self.follow_threads(ids=run.response_ids)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._outbox_wake.wait(), timeout=poll)

    async def _on_sync_event(self, event: Any) -> None:
        # The threads of the rows its pages stored, where the engine tells them.
        told = getattr(event, "threads", None)
        threads = None if told is None else [(event.source, thread) for thread in told]
        if event.kind in ("new", "flagged"):
            self.post_message(StoreChanged(tuple(event.new_ids)))
            self.follow_threads(sources=(event.source,), threads=threads)
        elif event.kind == "elsewhere":
            await self._synced_elsewhere(event.source)
        elif event.kind == "syncing":
            # The first check found the source this app's to sync: said from now on
            # (a later round's start leaves the state its last round gave).
            if self._sources.get(event.source, SourceStatus(event.source)).state == "unread":
                self._sources[event.source] = SourceStatus(event.source, "syncing")
                self.post_message(SourcesUpdated())
        elif event.kind in ("round", "error"):
            from reactieveld.store.errors import StoreUnreachable
            from reactieveld.sync import synced_elsewhere

            away = event.kind == "error" and (event.error or "").startswith(StoreUnreachable.lead)
            try:
                state = await self.reader.source_state(event.source)
            except StoreUnreachable:
                state = None
                if not away:
                    self.memory_away(check=False)
            if away:
                # One outage, one notice: the round's line (which memory, why) when the
                # round is the first to meet it; nothing when a key's read (or an earlier
                # round) said it already, nor when the same line comes again after the
                # memory was back and away again (its source's error did not change).
                if not self.memory_unreachable:
                    self._tell_source_error(event.source, event.error)
                self.memory_away(said=True, check=False)
            elif event.kind == "round" and state is not None and state.last_error is None:
                self.memory_unreachable = False  # a round was stored: the memory is back
            before = self._sources.get(event.source)
            # This round's number (one that never began was recorded as the newest).
            round_no = event.round_no
            if round_no is None and state is not None:
                round_no = state.recorded_round
            by = getattr(self.engine, "by", None)
            # Another process (another window) recorded a success in a round newer than
            # this one's failure: the store's newer round is said, not this one's "error".
            newer = None
            if event.kind == "error" and not away and before is not None:
                newer = newer_round(replace(before, round_no=round_no), state, by)
            if newer is not None and newer.error is None:
                self._sources[event.source] = newer
            elif away:
                # The round failed on the memory, not on the site: the source keeps what
                # was known of it (drawn "unknown" while the memory is away, not "error").
                self._sources[event.source] = before or SourceStatus(event.source)
            elif event.kind == "error":
                if not away and (
                    before is None or before.state != "error" or before.error != event.error
                ):
                    self._tell_source_error(event.source, event.error)
                self._sources[event.source] = SourceStatus(
                    event.source,
                    "error",
                    error=event.error,
                    next_try=state.next_try if state else None,
                    round_no=round_no,
                )
            elif (before or SourceStatus(event.source)).state not in ("error", "elsewhere") or (
                state is not None and state.last_error is None and not synced_elsewhere(state, by)
            ):
                shown = before.round_no if before is not None else None
                if shown is not None and round_no is not None and shown > round_no:
                    round_no = shown  # a failed round's end after its newer success taken
                self._sources[event.source] = SourceStatus(event.source, "ok", round_no=round_no)
            self.post_message(SourcesUpdated())
            if event.kind == "round" and (event.new or event.updated):
                self.post_message(StoreChanged())
                self.follow_threads(sources=(event.source,), threads=threads)

    async def _synced_elsewhere(self, source: str) -> None:
        """Another process (the team's sync service, a colleague's app) holds ``source``'s
        sync lock, so this app's round was skipped: not an error here. The header shows
        the state that process stored (its last success, whether its last round failed),
        read again at each of this app's rounds; when that process stored a new round
        since the last look, the queue and counts are read again for what it brought."""
        state = await self.reader.source_state(source)
        before = self._sources.get(source)
        now = stored_status(state, "elsewhere") if state else SourceStatus(source, "elsewhere")
        self._sources[source] = now
        self.post_message(SourcesUpdated())
        if (
            before is not None
            and before.state == "elsewhere"
            and now.last_success != before.last_success
        ):
            self.post_message(StoreChanged())
            self.follow_threads(sources=(source,))

    async def _stored_sources(self) -> None:
        """Show the sources' state as the store holds it, whoever syncs them (issue 13):
        every source the store holds, on a moderator's app as on a reader's. A source this
        app's engine syncs itself keeps the state its rounds give. Another's is "synced
        by <name>" where the store names the process, "synced elsewhere" where another
        process holds its lock (now, or at this app's round), else its stored state
        alone (its last sync, its error): the store does not say who syncs it."""
        reader = await self.open_reader()
        mine = set(self.engine.sources) if self.engine is not None else set()
        states = await reader.source_states()
        held = await reader.syncing_elsewhere([s.name for s in states if s.name not in mine])
        changed = False
        by = getattr(self.engine, "by", None)
        for state in states:
            before = self._sources.get(state.name)
            was_elsewhere = before is not None and before.state == "elsewhere"
            if state.name in mine and not was_elsewhere:
                # This app's own source keeps its rounds' state, unless another process
                # (another window, a ``sync``) recorded a newer round since.
                newer = newer_round(before, state, by)
                if newer is not None:
                    self._sources[state.name] = newer
                    changed = True
                continue
            elsewhere = state.name in mine or bool(state.synced_by) or state.name in held
            now = stored_status(state, "elsewhere" if elsewhere else "stored")
            if now != before:
                self._sources[state.name] = now
                changed = True
        if changed:
            self.post_message(SourcesUpdated())

    @on(SourcesSynced)
    async def _sources_synced(self, event: SourcesSynced) -> None:
        """Another process's sync stored pages or a round: the queue is read again in
        place (the cursor stays on its response, marks stay), the tabs recounted, the
        header's sources read from the store."""
        self.read_sources_again()
        self.follow_threads(sources=event.sources, threads=event.all_threads())
        screen = self._triage()
        if screen is not None and screen.is_mounted:
            with self._reading():
                await screen.store_changed()

    def read_sources_again(self) -> None:
        """The header's sources read from the store again (:meth:`_stored_sources`): after
        another process's sync, and after a time in which its notices may have been
        missed (the live subscription stood again, the memory was back)."""
        self.run_worker(deferred(self._stored_sources), group="sources", exit_on_error=False)

    # -- live between moderators ----------------------------------------------------------
    def _start_live(self) -> None:
        """Subscribe to what other moderators (other connections) change: the store says
        which responses, the triage screen re-reads them in place (:class:`RowsChanged`)."""
        changes = getattr(self.store, "changes", None)
        if changes is None:
            return
        # The own engine's store (a connection of its own): what it stores is this app's,
        # told by the engine's events; heard again it would refresh twice (both backends).
        hear_not = getattr(self.store, "hear_not", None)
        engine_store = getattr(self.engine, "store", None)
        if hear_not is not None and engine_store is not None:
            hear_not(engine_store)
        # A task, not a Textual worker: it runs as long as the app, and the tests' "wait
        # until no worker runs" must not wait for it.
        self._live_task = asyncio.create_task(self._run_live(changes))

    async def _run_live(self, changes: Any) -> None:
        try:
            async for found in changes(interval=self.live_interval, ready=self.live_ready):
                if found.away:
                    # No key pressed, no sync of its own: the header says it all the same.
                    self.memory_away()
                if found.ids or found.everything:
                    self.post_message(RowsChanged(found.ids, found.by))
                if found.everything:  # notices were missed: another's rounds among them
                    self.read_sources_again()
                if found.sources:
                    self.post_message(SourcesSynced(tuple(found.sources), found.threads))
        except Exception as exc:  # noqa: BLE001 - a task's error would reach nobody
            # The store failed under the poll (a damaged file, a dropped connection):
            # said once, in one line; the app goes on without live updates.
            text = (
                exc.said(self.i18n.language)
                if isinstance(exc, StoreError)
                else self.i18n.t("live.stopped", error=str(exc) or type(exc).__name__)
            )
            self.notify(one_line(text, limit=300), severity="error", markup=False)

    async def _stop_live(self) -> None:
        task, self._live_task = self._live_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @on(RowsChanged)
    async def _rows_changed(self, event: RowsChanged) -> None:
        self.follow_threads(ids=event.ids or None)  # none named: any may have changed
        screen = self._triage()
        if screen is not None and screen.is_mounted:
            with self._reading():
                await screen.rows_changed(event.ids)

    def follow_threads(
        self,
        ids: Collection[int] | None = None,
        sources: Collection[str] | None = None,
        threads: Collection[tuple[str, str | None]] | None = None,
    ) -> None:
        """The thread trees open (``enter`` on the queue) read what changed while they
        are open: responses ``ids`` (None: not known), of ``sources`` (None: any), in
        ``threads`` (:attr:`ChangeSet.threads`; None: not known)."""
        self._tell_screens("follow_changes", ids, sources, threads)

    def _tell_screens(self, method: str, *args: Any) -> None:
        """Call ``method`` on each mounted screen of the stack that has it."""
        for screen in self.screen_stack:
            told = getattr(screen, method, None)
            if told is not None and screen.is_mounted:
                told(*args)

    def _triage(self) -> TriageScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, TriageScreen):
                return screen
        return None

    @on(StoreChanged)
    async def _store_changed(self, event: StoreChanged) -> None:
        screen = self._triage()
        if screen is not None and screen.is_mounted:
            with self._reading():
                await screen.store_changed(event.new_ids)

    @on(CountsUpdated)
    def _counts_updated(self, event: CountsUpdated) -> None:
        screen = self._triage()
        if screen is not None and screen.is_mounted:
            screen.show_counts(event.counts)

    @on(SourcesUpdated)
    def _sources_updated(self) -> None:
        screen = self._triage()
        if screen is not None and screen.is_mounted:
            screen.show_sources()

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        # A store that fails under a key (a full disk, a file damaged or made read-only
        # while the app runs) is a notice, never a crash: Textual ends the app on any
        # exception a key's action raises. The store keeps its transactions whole, so
        # nothing is half done; the moderator can free the disk and press the key again.
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except StoreError as exc:  # the memory away in the header, another as its line
            self.store_failed(exc)
            return True

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        self.worker_changed(event.worker, event.state)

    def worker_changed(self, worker: Worker[Any], state: WorkerState) -> None:
        """One place for worker errors, the app's and its screens' and widgets'
        (``SaysWorkerErrors`` tells them here): shown once, never a crash of the whole
        app. A worker cancelled (its screen closed, a newer search) is no error."""
        if state is WorkerState.ERROR and worker.error is not None:
            self.store_failed(worker.error, worker.group)

    def store_failed(self, error: BaseException, what: str = "") -> None:
        """The one way a key's or a worker's error is said: the memory away
        (:class:`StoreUnreachable`) in the header; a StoreError as its line, in the
        reader's language (a search that took too long on PostgreSQL); another error
        after ``what`` (the worker's group)."""
        if isinstance(error, StoreUnreachable):
            self.memory_away()
            return
        said = (
            error.said(self.i18n.language) if isinstance(error, StoreError) else f"{what}: {error}"
        )
        self.notify(one_line(said, limit=300), severity="error", markup=False)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Around a message handler's reads: the memory away is :meth:`memory_away`,
        never an error that ends the app (a handler's error ends its message loop)."""
        try:
            yield
        except StoreUnreachable:
            self.memory_away()

    def memory_away(self, *, said: bool = False, check: bool = True) -> None:
        """One of the app's own reads or writes (a key, a queue page, a response's
        details, the counts) or a sync round met the team's memory away
        (:class:`StoreUnreachable`): the header says so, the writing keys grey out, the
        notice says that nothing is stored and nothing lost (once per outage, by the
        first to meet it; ``said``: the caller said it in its own words), and (``check``)
        a check reads again with the backoff until the memory is back
        (:meth:`_check_reach`; a round's event leaves that to the sync's next round)."""
        if not self.memory_unreachable:
            self.memory_unreachable = True
            if not said:
                self.notify(self.i18n.t("unreachable.keys"), severity="warning", markup=False)
            self.post_message(SourcesUpdated())
        if not check:
            return
        if self._reach_task is None or self._reach_task.done():
            self._reach_task = asyncio.create_task(self._check_reach())

    async def _check_reach(self) -> None:
        """While the memory is away: read again (the kept counts, a small read) after
        the backoff; once one succeeds the marker goes, the queue and counts are read
        again and the sync (if the app runs one) tries its next round now. A round stored
        meanwhile (:meth:`_on_sync_event`) ends the check as well."""
        from reactieveld.backoff import backoff_delay, pause

        first, most = self.reach_retry_seconds
        attempts = 0
        while self.memory_unreachable and not self._stop.is_set():
            await pause(backoff_delay(attempts, first, most), self._stop)
            attempts += 1
            if self._stop.is_set() or not self.memory_unreachable:
                return
            try:
                await self.reader.counts()
            except StoreError:
                continue  # still away (or failing otherwise): the next try waits longer
            self.memory_unreachable = False
            self.post_message(SourcesUpdated())
            self.read_sources_again()  # another's rounds meanwhile were heard by nobody
            self.post_message(StoreChanged())
            self.follow_threads()
            if self.engine is not None:
                self.engine.wake()
            return

    # -- hooks for other screens --------------------------------------------------------
    async def show_response(self, response_id: int) -> bool:
        """Close screens above the queue and put its cursor on ``response_id``."""
        screen = self._triage()
        if screen is None:
            return False
        while self.screen is not screen:
            self.pop_screen()
        return await screen.show_response(response_id)

    async def open_search(self) -> None:
        """``/``: the search screen, when its module is there (tui/screens/search.py)."""
        try:
            from reactieveld.tui.screens import search
        except ImportError:
            self.notify(self.i18n.t("search.missing"), markup=False)
            return
        # Awaited: the words typed right behind "/" wait until the search box has focus
        # (the screen focuses it as it mounts) instead of reaching a screen without focus.
        query, highlight = self.last_search or ("", None)
        await self.push_screen(search.SearchScreen(query=query, highlight=highlight))

    async def action_search(self) -> None:
        await self.open_search()

    def action_dashboard(self) -> None:
        """The dialogue dashboard (tui/screens/dashboard.py)."""
        from reactieveld.tui.screens.dashboard import DashboardScreen

        if self.check_action("dashboard", ()):
            self.push_screen(DashboardScreen())

    def action_export_report(self) -> None:
        """``E``: the export dialog (format, the current queue or everything, personal
        data, file); the report is written in a worker (tui/screens/export.py)."""
        from reactieveld.tui.queues import queue_filter
        from reactieveld.tui.screens.export import ExportRequest, ExportScreen, write_export

        if not self.check_action("export_report", ()):
            return
        triage = self._triage()
        flt, text = None, ""
        if triage is not None:
            # The Second coding queue's rows carry the moderator's own coding, not the
            # tags: a report of it is of the same responses with their tags.
            name = "all" if triage.queue_name == SECOND else triage.queue_name
            flt = queue_filter(name, triage.choice)
            text = self.i18n.t("export.queue_text", queue=self.i18n.t("queue." + name))
            if triage.choice.active:
                text += " · " + triage.choice.describe(self.i18n)

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                write_export(self, self.reader, request.options, request.path, i18n=self.i18n)

        screen = ExportScreen(i18n=self.i18n, codebook=self.codebook, queue=flt, queue_text=text)
        self.push_screen(screen, chosen)


#: Seconds after the app's mount by which the collector is on again (and the start's
#: objects frozen) even if no rows have been shown by then.
STARTUP_GC_LIMIT = 3.0


#: The signals that end the app with its drafts kept: ``kill`` and a closed terminal.
DRAFT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
#: How long quitting waits for the last save of the drafts (another window's save holds
#: the file's lock for milliseconds; a roaming profile's disk may take seconds).
DRAFTS_QUIT_SECONDS = 10.0
#: How long the rest of the app's end (claims released, store closed) may take once a
#: signal or a gone terminal ended it and the drafts are written: then the process ends
#: anyway (:func:`_end_within`), never an orphan holding its claims and locks.
END_SECONDS = 5.0
#: How long a source's error is on screen (a URL and the connector's hint to read).
SOURCE_ERROR_SECONDS = 15.0


async def in_thread(work: Callable[..., Any], *args: Any) -> Any:
    """``work(*args)`` in a daemon thread of its own, awaited: off the event loop, and
    not waited for at the process's end (asyncio.to_thread's threads are: a save stuck
    on another window's lock would keep a quitting app from ending). Cancelling the
    await leaves the thread to finish (a drafts file is written whole or not at all)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[Any] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if done.done():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)

    def run() -> None:
        result, error = None, None
        try:
            result = work(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting side
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="reactieveld-drafts", daemon=True).start()
    return await done


def _freeze_startup_objects() -> None:
    """After the first frame with rows: the ~70,000 objects made so far (modules, styles,
    widgets) live as long as the app. Frozen, the collector no longer walks them, and a
    full collection during triage costs well under a millisecond instead of 20-30 ms (a
    dropped frame now and then, the p99 of a key). The collector is turned back on here
    when ``reactieveld`` turned it off for the start (:func:`reactieveld.cli.cmd_app`)."""
    gc.freeze()
    gc.enable()


def check_keys(config: Any) -> None:
    """``[keys]`` may only name actions the app has, and give no key twice: a typo or a
    clash must not be ignored silently (:func:`reactieveld.keys.keymap_problem`, which
    ``load_config`` runs already, with the line; this is for a config made otherwise)."""
    from reactieveld.config import ConfigError
    from reactieveld.i18n import Said
    from reactieveld.keys import keymap_problem

    problem = keymap_problem(config.keys, config.codebook)
    if problem is not None:
        raise ConfigError(Said("config.keys.problem", problem=problem.said), file=config.path)


def source_start_error(exc: BaseException) -> StartError:
    """Why a configured source could not be started, for its notice, not yet in a
    language (:func:`source_error_text` says it in one, again on f2): a connector's own
    message (English, which the notice reads back in its language), a ConfigError (a
    secret no ``*_env`` names) as it is, as no template reads its English back; else the
    exception's text."""
    from reactieveld.config import ConfigError
    from reactieveld.connectors.base import ConnectorError

    if isinstance(exc, ConnectorError):
        return exc.message
    if isinstance(exc, ConfigError):
        return exc
    return str(exc)


def source_error_text(error: StartError, language: str) -> str:
    """A source's error (:func:`source_start_error`'s, or a round's as stored, in
    English) in ``language``."""
    from reactieveld.failures import error_in_language

    if isinstance(error, str):
        return error_in_language(error, language)
    return error.said(language)


async def app_sync(
    config: Any, sync_store: Any | None, *, fetch_process: bool = True
) -> tuple[Any, Any, dict[str, StartError]]:
    """The app's sync engine and outbox over ``sync_store`` for the sources of ``config``
    (None, None when there is nothing to sync or no store to write), and the sources that
    could not even be set up (name -> why). A source whose secret's variable is unset is
    built as ``sync`` builds it (:func:`reactieveld.sync.source_connector`): its rounds
    record why as its state, so ``reactieveld sources`` beside the app says what the app
    shows. ``fetch_process``: the network sources fetch in a child process. The reasons a
    source could not be set up are not yet in a language (the app says them in its own,
    again on f2)."""
    errors: dict[str, StartError] = {}
    if not config.sources or sync_store is None:
        return None, None, errors
    # The sync engine's modules only when there is something to sync.
    from reactieveld.outbox import OutboxWorker
    from reactieveld.sync import SyncEngine, process_name, source_connector

    pairs = []
    for cfg in config.sources:
        try:
            pairs.append((cfg, source_connector(cfg)))
        except Exception as exc:  # noqa: BLE001 - one bad source must not stop the rest
            errors[cfg.name] = source_start_error(exc)
    if not pairs:
        return None, None, errors
    engine = None
    try:
        by = await process_name(sync_store, config, "app")
        # The network sources fetch in a child process: the keys keep this interpreter.
        engine = SyncEngine(
            sync_store,
            pairs,
            fetch_process=fetch_process,
            rules=getattr(config, "rules", None),
            by=by,
            defers=True,
        )
        # A write-back that will not be done is said when it fails (with why: a post
        # closed for comments, changed on the site); a retry only in the header.
        outbox = OutboxWorker(
            sync_store,
            engine.connectors,
            secrets=engine.secrets,
            say=("failed", "conflict"),
            rules=engine.rules,
        )
    except BaseException:
        # The app's start closes only what it is given: the connectors (and the fetch
        # process) made here are closed here.
        if engine is not None:
            await engine.aclose()
        else:
            for _, connector in pairs:
                with contextlib.suppress(Exception):
                    await connector.aclose()
        raise
    return engine, outbox, errors


def _end_within(code: int) -> None:
    """The process ends with ``code`` in :data:`END_SECONDS` if it has not by then (a
    daemon timer: a normal end does not wait for it). Last resort only: the orderly end
    (claims, connections, locks let go) has had its time; the system closes the rest."""
    timer = threading.Timer(END_SECONDS, os._exit, (code,))
    timer.daemon = True
    timer.start()


def run_app(
    config: Any,
    db_path: Path | str,
    *,
    demo: bool,
    language: str,
    language_fixed_by: str | None = None,
) -> int:
    """Open the app on the store at ``db_path`` with the sources of ``config`` syncing
    live (the demo source too). Returns the exit code. ``language`` is the one of
    ``--lang``/``[ui] language`` (``language_fixed_by`` says which) or the locale's; in
    the last case a language saved with f2 (reactieveld.state) goes first."""
    from reactieveld.config import default_config_path
    from reactieveld.drafts import drafts_path, store_identity
    from reactieveld.state import start_language, state_path
    from reactieveld.store.open import is_postgres_url, open_store

    check_keys(config)
    state = state_path()
    language = start_language(language, language_fixed_by, state)
    secret = config.store.author_secret()  # an unset variable is a config error (exit 2)
    # The same for [store] password_env, before the screen opens.
    password = config.store.password() if is_postgres_url(db_path) else None

    async def main() -> int:
        # What is opened is closed however the start ends: a failure between the store's
        # opening and the app's end (a second connection refused, a source's set-up, the
        # app's constructor) must not leave connections, SQLite's locks on the file or
        # the sync's fetch process behind.
        async with contextlib.AsyncExitStack() as opened:
            app = await start(opened)
        if app.exit_note and not app.terminal_went:
            print(app.exit_note)  # after the app: on the terminal it leaves
        return app.return_code or 0

    async def start(opened: contextlib.AsyncExitStack) -> ReactieveldApp:
        version = config.codebook.version
        # The keys' and the background reads' connections read windows and look-ups: a
        # small page cache each (a small pool on PostgreSQL); the sync engine's bulk
        # writes keep the default.
        opts: dict[str, Any] = {
            "codebook_version": version,
            "author_secret": secret,
            "password": password,
        }
        share = config.coding.double_share
        store = await open_store(db_path, interactive=True, double_share=share, **opts)
        opened.push_async_callback(store.close)
        # A store that cannot be written opens read-only: browse, search and export;
        # no sync, outbox or sinks (they write), and every connection read-only alike.
        # (On PostgreSQL a reader's role is read-only the same way.)
        read_only = store.read_only
        # Separate connections: counts and sync never queue behind a key (or it behind them).
        # The background reads' one is opened by the app after the first frame with rows.
        open_reader = partial(open_store, db_path, interactive=True, read_only=read_only, **opts)
        # Only the sync engine, the outbox and the memory sinks write through this one:
        # none of them on a read-only store.
        wanted = not read_only and bool(config.sources or getattr(config, "sinks", ()))
        sync_store = await open_store(db_path, **opts) if wanted else None
        if sync_store is not None:
            opened.push_async_callback(sync_store.close)
        engine, outbox, errors = await app_sync(config, sync_store)
        if engine is not None:
            opened.push_async_callback(engine.aclose)
        app = ReactieveldApp(
            store,
            reader_opener=open_reader,
            language=language,
            codebook=config.codebook,
            keymap=dict(config.keys),
            engine=engine,
            outbox=outbox,
            source_errors=errors,
            theme=config.ui.theme,
            config_hint=None if config.sources else str(config.path or default_config_path()),
            state_path=state,
            language_fixed_by=language_fixed_by,
            claim_minutes=config.team.claim_minutes,
            actor=config.ui.moderator,
            reasons=config.reasons,
            rules=getattr(config, "rules", None) or NO_RULES,
            double_share=config.coding.double_share,
            drafts_file=DraftsFile(drafts_path(db_path), store_identity(db_path)),
        )
        app.end_limit = _end_within
        # The memory sinks ([[sinks]]) run beside the app (reactieveld.sinks), from its
        # first frame with rows on: their module (httpx, the export records) is not
        # imported before it.
        sinks_stop = asyncio.Event()
        notify = partial(app.notify, markup=False)
        if outbox is not None:
            outbox.on_event = partial(app.notify, severity="warning", markup=False)

        async def sinks_after_first_rows() -> None:
            if read_only or not getattr(config, "sinks", ()):
                return  # none configured (or nothing may be written): not even their module
            await app.rows_shown.wait()
            from reactieveld.sinks import run_sinks_beside_app

            await run_sinks_beside_app(config, sync_store, sinks_stop, notify, app.attach_sinks)

        sinks = asyncio.create_task(sinks_after_first_rows())
        try:
            await app.run_async()
        finally:
            sinks_stop.set()
            if not app.rows_shown.is_set():
                sinks.cancel()  # the app ended before its first rows: no sinks were started
            with contextlib.suppress(asyncio.CancelledError):
                await sinks
        return app

    return asyncio.run(main())


if TYPE_CHECKING:

    def _serves_screens(app: ReactieveldApp) -> AppServices:
        """For mypy only: the app offers what screens use of it (tui/services.py)."""
        return app
