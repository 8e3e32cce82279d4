"""The live sync engine: one task per source, each page stored with its cursor.

A round of one source reads the stored cursor, iterates the connector's
:meth:`~reactieveld.connectors.base.Connector.fetch` and stores every page with
``store.upsert_page`` (which writes the page's ``next_cursor`` in the same transaction),
so a crash repeats at most one page and never duplicates or skips. The next page is
fetched while the previous one is being stored (a one-page queue between a producer and
the writer): a full sync then takes about as long as the slower of the two.

Per-source bookkeeping (last success, last error, next try) goes to
``store.record_sync``. Listeners get :class:`SyncEvent` objects ("12 new in blog"): a
listener is a callable (plain or async) or an ``asyncio.Queue``.

Connectors are built by the registry in :mod:`reactieveld.connectors.registry` (shared
with the fetch process); its names (``build_connector``, ``register_connector``,
``CONNECTOR_TYPES``, ``ConnectorFactory``) are re-exported here for existing callers.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import signal
import sys
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from reactieveld.backoff import backoff_delay, pause
from reactieveld.config import who_acts
from reactieveld.connectors.base import Connector, ConnectorError, read_pages

# The registry's names, re-exported (``as``) for callers that import them from here.
from reactieveld.connectors.registry import CONNECTOR_TYPES as CONNECTOR_TYPES
from reactieveld.connectors.registry import ConnectorFactory as ConnectorFactory
from reactieveld.connectors.registry import SecretUnset, said_secret_unset, secret_unset
from reactieveld.connectors.registry import build_connector as build_connector
from reactieveld.connectors.registry import register_connector as register_connector
from reactieveld.failures import error_in_language, failure, log_unexpected, source_secrets
from reactieveld.fetchproc import FetchProcess, wants_process
from reactieveld.i18n import text
from reactieveld.model import Capability, Page, RemoteStatus, Source, utcnow
from reactieveld.store.base import QueueFilter, SourceState, Store, StoreError, UpsertResult
from reactieveld.store.errors import StoreUnreachable
from reactieveld.text import EXIT_INTERRUPTED, error_line

if TYPE_CHECKING:
    from reactieveld.rules import RuleSet

Listener = Callable[["SyncEvent"], Any] | asyncio.Queue[Any]

#: After a round skipped because another process syncs the source, the next try waits
#: for that process's own next try (stored with its round) and this much more: the
#: source is left to it while it keeps syncing, and taken over once it stopped.
ELSEWHERE_GRACE_SECONDS = 120.0


# -- events and results -----------------------------------------------------------------
@dataclass(frozen=True)
class SyncEvent:
    """Something a listener may show. ``kind``: ``syncing`` (this engine took the
    source's lock: its round starts), ``new`` (responses arrived), ``round`` (a round
    ended; ``new``/``updated`` are its totals), ``error``, ``elsewhere`` (another process
    syncs the source: skipped), ``outbox``."""

    source: str
    kind: str
    new: int = 0
    updated: int = 0
    new_ids: tuple[int, ...] = ()
    error: str | None = None
    text: str = ""
    #: ``flagged``: how many of ``new_ids`` a hold rule held; ``rule-slow``: the rule
    #: stopped for its time and the response it was stopped on.
    held: int = 0
    rule: str | None = None
    response_id: int | None = None
    #: ``error``: the next try's local time (HH:MM), when there is one.
    retry_at: str = ""
    #: ``round``, ``error``: the round's number (``store.begin_round``), which orders it
    #: among other processes' rounds; None for a round that failed before it began.
    round_no: int | None = None
    #: ``new``, ``flagged``: the threads of the rows the page stored (UpsertResult.threads);
    #: ``round``: those of its pages no ``new`` told; None: not told.
    threads: tuple[str | None, ...] | None = None

    def describe(self, language: str) -> str:
        """The event as one line in ``language`` (the rules' lines; the others are
        English, as ``str`` gives them)."""
        if self.kind == "flagged":
            return text(
                "sync.rules.flagged",
                language,
                source=self.source,
                flagged=len(self.new_ids),
                held=self.held,
            )
        if self.kind == "rule-slow":
            return text(
                "sync.rules.slow", language, source=self.source, rule=self.rule, id=self.response_id
            )
        return str(self)

    def __str__(self) -> str:
        if self.kind in ("flagged", "rule-slow"):
            return self.describe("en")
        if self.text:
            return self.text
        if self.kind == "error":
            return f"{self.source}: {self.error}"
        if self.kind == "new":
            return f"{self.new} new in {self.source}"
        return f"{self.source}: {self.new} new, {self.updated} updated"


@dataclass
class RoundResult:
    """What one sync round of one source did."""

    source: str
    new: int = 0
    updated: int = 0
    pages: int = 0
    error: str | None = None
    retryable: bool = True
    retry_after: float | None = None
    seconds: float = 0.0
    new_ids: list[int] = field(default_factory=list)
    #: The round failed because the memory store itself failed (damaged, full, made
    #: read-only): ``sync --once`` then ends as every command does on such a store.
    store_error: StoreError | None = None
    #: Skipped: another process syncs this source now (its lock, issue 13); nothing was
    #: fetched or recorded here, the source's state is that process's.
    elsewhere: bool = False
    #: With ``elsewhere``: that process's stored next try (None: it stored none).
    next_try: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class _Source:
    name: str
    type: str
    poll_seconds: float
    connector: Connector
    url: str | None = None
    failures: int = 0
    primed: bool = False
    in_child: bool = False  # fetched by the engine's fetch process
    registered: bool = False
    #: The source's credentials and user names, kept out of every error text.
    secrets: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    #: Set to end the wait before the next round (:meth:`SyncEngine.wake`).
    woken: asyncio.Event = field(default_factory=asyncio.Event)


class SyncEngine:
    """Polls every source at its ``poll_seconds`` and stores what it finds.

    ``sources`` are ``(source_config, connector)`` pairs (see :meth:`from_config`).
    ``sleep`` and ``clock`` are injectable for tests.
    """

    def __init__(
        self,
        store: Store,
        sources: Sequence[tuple[Any, Connector]],
        *,
        listeners: Sequence[Listener] = (),
        sleep: Callable[[float], Awaitable[None]] | None = None,
        prefetch: bool = True,
        fetch_process: bool = False,
        rules: RuleSet | None = None,
        by: str | None = None,
        defers: bool = False,
    ) -> None:
        self.store = store
        #: A moderator's app: it leaves a source alone while another process's stored
        #: round says that process syncs it (:func:`synced_elsewhere`), not only while
        #: that process holds the source's lock (a service holds it during its rounds
        #: only). The headless service does not defer: it takes a source at its round.
        self.defers = defers
        #: This process's name as the sources' state records it ("anna sync", "bert
        #: app"): the other apps show "synced by <name>" while it holds a source.
        self.by = by
        #: The moderation rules (issue 16) the store applies to each page's new and
        #: changed responses; None or empty: none.
        self.rules = rules or None
        self.sources: dict[str, _Source] = {}
        for cfg, conn in sources:
            opts = getattr(cfg, "options", {}) or {}
            secrets, users = source_secrets(cfg)
            self.sources[cfg.name] = _Source(
                cfg.name,
                cfg.type,
                float(cfg.poll_seconds or 0),
                conn,
                url=opts.get("url"),
                secrets=secrets,
                users=users,
            )
        self.listeners: list[Listener] = list(listeners)
        self._sleep = sleep or asyncio.sleep
        self.prefetch = prefetch
        #: The child process that fetches for the network sources (``fetch_process``):
        #: see :mod:`reactieveld.fetchproc`. Their connectors here only write back.
        self.fetcher: FetchProcess | None = None
        if fetch_process:
            # A source without its secret fails here, at once (its connector says why).
            remote = [
                cfg
                for cfg, conn in sources
                if wants_process(cfg) and not isinstance(conn, SecretUnset)
            ]
            if remote:
                store_ = store
                self.fetcher = FetchProcess(remote, lambda name: known_statuses(store_, name))
                for cfg in remote:
                    self.sources[cfg.name].in_child = True

    @classmethod
    def from_config(
        cls, config: Any, store: Store, *, fetch_process: bool = True, **kwargs: Any
    ) -> SyncEngine:
        """An engine for every source of a ``Config``; an unknown type propagates so the
        CLI can show it, a source whose secret is unset fails its rounds with why, the
        others sync (:func:`~reactieveld.connectors.registry.secret_unset`). The network
        sources fetch in a child process unless ``fetch_process`` is false (or their
        entry says ``fetch_process = false``)."""
        pairs = [(cfg, source_connector(cfg)) for cfg in config.sources]
        kwargs.setdefault("rules", getattr(config, "rules", None))
        return cls(store, pairs, fetch_process=fetch_process, **kwargs)

    @property
    def connectors(self) -> dict[str, Connector]:
        """Connectors by source name (the outbox worker shares them)."""
        return {name: s.connector for name, s in self.sources.items()}

    @property
    def secrets(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """(secrets, user names) by source name, for the outbox's stored errors."""
        return {name: (s.secrets, s.users) for name, s in self.sources.items()}

    def wake(self, name: str | None = None) -> None:
        """Start the next round of source ``name`` (or of every source) now instead of
        after its wait (a "try again" from the user, or a test that cleared a fault)."""
        for s in self.sources.values():
            if name is None or s.name == name:
                s.woken.set()

    def subscribe(self, listener: Listener) -> None:
        """Add a listener (callable or asyncio.Queue) for :class:`SyncEvent`."""
        self.listeners.append(listener)

    async def emit(self, event: SyncEvent) -> None:
        """Deliver an event to every listener; a failing listener does not stop sync."""
        for listener in list(self.listeners):
            try:
                if isinstance(listener, asyncio.Queue):
                    listener.put_nowait(event)
                else:
                    result = listener(event)
                    if inspect.isawaitable(result):
                        await result
            except Exception:  # noqa: BLE001 - a UI bug must not stop the sync
                pass

    async def aclose(self) -> None:
        """Close every connector (and stop the fetch process)."""
        if self.fetcher is not None:
            with contextlib.suppress(Exception):
                await self.fetcher.aclose()
        for s in self.sources.values():
            with contextlib.suppress(Exception):
                await s.connector.aclose()

    # -- one round ----------------------------------------------------------------------
    async def _prepare(self, s: _Source) -> None:
        if not s.registered:
            await self.store.ensure_source(Source(s.name, s.type, s.url))
            s.registered = True
        if s.primed:
            return
        s.primed = True
        if s.in_child:
            return  # the child's connector fetches; it asks for what the store holds
        if hasattr(s.connector, "known_loader"):
            # Lazily: only a re-scan needs the store's ids, and reading them costs.
            store, name = self.store, s.name
            s.connector.known_loader = lambda: known_statuses(store, name)
            return
        prime = getattr(s.connector, "prime_known", None)
        if prime is not None:
            prime(await known_statuses(self.store, s.name))

    async def sync_source(self, name: str) -> RoundResult:
        """Run one round for source ``name``: fetch from its cursor, store page by page,
        record the outcome. Never raises (but for cancellation): any exception of the
        round, a platform's error as well as a wrong-shaped answer, a full disk or a bug,
        becomes the result's error, recorded for the source with its next try.

        One sync per source (issue 13): the round holds the store's lock on the source;
        when another process (a team's sync service, a colleague's app) has it, this round
        is skipped (``elsewhere``) and says so, and the next one tries again. An engine
        that ``defers`` (an app's) also skips it between that process's rounds."""
        state = await self._state(name) if self.defers else None
        if not synced_elsewhere(state, self.by):
            try:
                async with self.store.source_lock(name) as mine:
                    if mine:
                        await self.emit(SyncEvent(name, "syncing", text=f"{name}: syncing"))
                        return await self._sync_round(name)
            except StoreError as exc:  # no connection for the lock: the round fails with it
                return await self._sync_round(name, failed=exc)
            state = await self._state(name)
        await self.emit(
            SyncEvent(name, "elsewhere", text=f"{name}: synced by another process; skipped")
        )
        return RoundResult(name, elsewhere=True, next_try=state.next_try if state else None)

    async def _state(self, name: str) -> SourceState | None:
        try:
            return await self.store.source_state(name)
        except Exception as exc:  # noqa: BLE001 - the next try then waits a poll (+ grace)
            log_unexpected(f"{name}: reading the source's state", exc)
            return None

    async def _sync_round(self, name: str, failed: StoreError | None = None) -> RoundResult:
        s = self.sources[name]
        res = RoundResult(name)
        t0 = time.perf_counter()
        untold: dict[str | None, None] = {}  # the threads of pages no "new" told
        round_no: int | None = None  # not begun: its end counts as the newest round's
        try:
            if failed is not None:
                raise failed
            if s.in_child and self.fetcher is not None and not self.fetcher.usable:
                s.in_child, s.primed = False, False  # this process's connector fetches now
            await self._prepare(s)
            # Its number orders this round's end among other processes' rounds: an older
            # round's end never replaces a newer one's (store/sources.py).
            round_no, state = await self.store.begin_round(name)
            cursor = state.cursor if state else None
            pages = (
                self.fetcher.fetch(name, cursor)
                if s.in_child and self.fetcher is not None
                else self._pages(s.connector, cursor)
            )
            async with contextlib.aclosing(pages):
                # A rule's hold goes to the platform where the platform can hold.
                hold_back = Capability.HOLD in s.connector.capabilities
                async for page in pages:
                    up = await self.store.upsert_page(
                        name, page, rules=self.rules, hold_write_back=hold_back
                    )
                    await self._rules_report(name, up)
                    res.pages += 1
                    res.new += up.new
                    res.updated += up.updated
                    res.new_ids.extend(up.new_ids)
                    if up.new:
                        new_ids = tuple(up.new_ids)
                        await self.emit(
                            SyncEvent(name, "new", new=up.new, new_ids=new_ids, threads=up.threads)
                        )
                    else:
                        untold.update(dict.fromkeys(up.threads))
        except Exception as exc:  # noqa: BLE001 - one bad round must not end the source
            self._failed(s, res, exc)
        res.seconds = time.perf_counter() - t0
        try:
            if res.ok:
                s.failures = 0
                nxt = utcnow() + timedelta(seconds=s.poll_seconds) if s.poll_seconds else None
                await self.store.record_sync(name, next_try=nxt, by=self.by, round_no=round_no)
        except Exception as exc:  # noqa: BLE001 - e.g. the disk filled up just now
            self._failed(s, res, exc)
        if res.ok:
            try:
                # The round's changes of tagged responses (sink_changes) that every memory
                # sink has read, and all of them when no sink is configured anywhere.
                await self.store.sink_prune()
            except Exception as exc:  # noqa: BLE001 - housekeeping: the round stands
                log_unexpected(f"{name}: pruning sink_changes", exc)
        if not res.ok:
            s.failures += 1
            delay = self.error_delay(s, res)
            try:
                await self.store.record_sync(
                    name,
                    error=res.error,
                    next_try=utcnow() + timedelta(seconds=delay),
                    by=self.by,
                    round_no=round_no,
                )
            except Exception as exc:  # noqa: BLE001 - shown, not stored: the store fails
                log_unexpected(f"{name}: recording the error", exc)
            at = (datetime.now() + timedelta(seconds=delay)).strftime("%H:%M")
            await self.emit(
                SyncEvent(name, "error", error=res.error, retry_at=at, round_no=round_no)
            )
        await self.emit(
            SyncEvent(
                name,
                "round",
                new=res.new,
                updated=res.updated,
                round_no=round_no,
                threads=tuple(untold),
            )
        )
        return res

    async def _rules_report(self, name: str, up: UpsertResult) -> None:
        """Tell the listeners what the rules did with a page: flagged and held responses,
        and each search stopped for its time (the rule counted as not matching)."""
        if up.flagged:
            await self.emit(
                SyncEvent(
                    name, "flagged", new_ids=up.flagged, held=len(up.held), threads=up.threads
                )
            )
        for rule, rid in up.slow_rules:
            await self.emit(SyncEvent(name, "rule-slow", rule=rule, response_id=rid))

    def _failed(self, s: _Source, res: RoundResult, exc: BaseException) -> None:
        """Make ``exc`` the round's error: one credential-free line, with what the
        backoff rule needs (see :mod:`reactieveld.failures`)."""
        log_unexpected(f"source {s.name}", exc)
        f = failure(exc, source=s.name, secrets=s.secrets, users=s.users)
        res.error, res.retryable, res.retry_after = f.message, f.retryable, f.retry_after
        if isinstance(exc, StoreError):
            res.store_error = exc

    def error_delay(self, s: _Source, res: RoundResult) -> float:
        """How long to wait after a failed round: the server's wish, else exponential
        backoff from the poll interval (capped at 15 minutes; an hour when retrying
        cannot help without a person, e.g. wrong credentials)."""
        base = max(s.poll_seconds, 5.0)
        if res.retry_after:
            return max(res.retry_after, base)
        if not res.retryable:
            return 3600.0
        return backoff_delay(s.failures - 1, base, 900.0)

    async def _pages(self, connector: Connector, cursor: str | None) -> AsyncGenerator[Page, None]:
        """The connector's pages, fetched one ahead of the writer when ``prefetch``."""
        if not self.prefetch:
            async for page in read_pages(connector, cursor):
                yield page
            return
        queue: asyncio.Queue[Page | BaseException | None] = asyncio.Queue(maxsize=1)

        async def produce() -> None:
            try:
                async for page in read_pages(connector, cursor):
                    await queue.put(page)
                await queue.put(None)
            except Exception as exc:  # handed to the writer, which re-raises it
                await queue.put(exc)

        task = asyncio.create_task(produce())
        try:
            while True:
                item = await queue.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    async def sync_all(self, names: Sequence[str] | None = None) -> list[RoundResult]:
        """One round of every source (or of ``names``), concurrently; results in
        configuration order."""
        todo = [n for n in self.sources if names is None or n in names]
        return list(await asyncio.gather(*(self.sync_source(n) for n in todo)))

    # -- running ------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Poll every source until ``stop`` is set (one task per source)."""
        tasks = [asyncio.create_task(self._loop(s, stop)) for s in self.sources.values()]
        try:
            await stop.wait()
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _loop(self, s: _Source, stop: asyncio.Event) -> None:
        while not stop.is_set():
            s.woken.clear()
            try:
                res = await self.sync_source(s.name)
            except Exception as exc:  # noqa: BLE001 - the last guard: the loop goes on
                res = RoundResult(s.name)
                self._failed(s, res, exc)
                s.failures += 1
            if s.poll_seconds <= 0 and res.ok and not res.elsewhere:
                return  # e.g. the demo source: one round is all it has
            delay = s.poll_seconds if res.ok else self.error_delay(s, res)
            if res.elsewhere:
                delay = self.elsewhere_delay(s, res)
            await pause(delay, stop, s.woken)

    def elsewhere_delay(self, s: _Source, res: RoundResult) -> float:
        """How long to leave a source another process syncs: until that process's stored
        next try (else one poll) plus :data:`ELSEWHERE_GRACE_SECONDS`, so a running
        service is never raced and a stopped one is taken over."""
        if res.next_try is not None:
            ahead = max((res.next_try - utcnow()).total_seconds(), 0.0)
        else:
            ahead = s.poll_seconds
        return ahead + ELSEWHERE_GRACE_SECONDS


def source_connector(source_config: Any) -> Connector:
    """The connector of one ``SourceConfig`` as every syncing process (``sync``, the app)
    builds it: a :class:`~reactieveld.connectors.registry.SecretUnset` when a variable its
    ``*_env`` keys name is unset (its rounds record why as the source's state, which
    ``reactieveld sources`` reads), else the registry's (:func:`build_connector`)."""
    return secret_unset(source_config) or build_connector(source_config)


def synced_elsewhere(state: SourceState | None, by: str | None = None) -> bool:
    """A process other than ``by`` stored the source's last round and its next try is
    not yet :data:`ELSEWHERE_GRACE_SECONDS` past: that process syncs the source, also
    between its rounds, when it holds no lock (a stopped one is taken over after that)."""
    if state is None or not state.synced_by or state.synced_by == by:
        return False
    if state.next_try is None:
        return False
    return utcnow() < state.next_try + timedelta(seconds=ELSEWHERE_GRACE_SECONDS)


async def known_statuses(store: Store, source: str) -> dict[str, RemoteStatus]:
    """What the store holds for ``source``: external id -> remote status.

    Uses ``store.external_statuses(source)`` when the store has it (one query), else
    walks the queue keyset by keyset."""
    fast = getattr(store, "external_statuses", None)
    if fast is not None:
        return dict(await fast(source))
    out: dict[str, RemoteStatus] = {}
    flt = QueueFilter(sources=(source,))
    after = None
    while True:
        rows = await store.queue(flt, after=after, limit=1000)
        for row in rows:
            out[row.response.external_id] = row.response.remote_status
        if len(rows) < 1000:
            return out
        after = rows[-1].keyset


# -- the command line -------------------------------------------------------------------
async def run_sync(
    config: Any,
    store: Store,
    *,
    once: bool,
    printer: Callable[[str], None],
    stop: asyncio.Event | None = None,
    engine_kwargs: Mapping[str, Any] | None = None,
    now: bool = False,
) -> int:
    """``reactieveld sync``: every source (and the outbox) once, or until ``stop``.

    Prints one line per source per round (new, updated, error) and, running on, one per
    write-back not done (the outbox's; with ``once`` its counts). Returns the exit code:
    0 when every source synced (with ``once``), 1 when one failed. With ``once``, a
    source whose stored next try (after a failed round: the server's ``Retry-After`` or
    the backoff) is still ahead is skipped with a line saying until when, unless ``now``.
    """
    from reactieveld.config import ConfigError, language_of
    from reactieveld.outbox import OutboxWorker
    from reactieveld.sinks import run_sinks

    kwargs = dict(engine_kwargs or {})
    kwargs.setdefault("by", await process_name(store, config, "sync"))
    engine = SyncEngine.from_config(config, store, **kwargs)
    language = language_of(config)
    worker = OutboxWorker(
        store, engine.connectors, secrets=engine.secrets, language=language, rules=engine.rules
    )

    def say(key: str, **values: Any) -> str:
        return text(f"sync.{key}", language, **values)

    reported: set[str] = set()
    elsewhere: set[str] = set()  # said once until this process syncs the source again
    failed: set[str] = set()  # the round now ending failed: its error line said it

    def on_event(ev: SyncEvent) -> None:
        # Running on: the first round of each source and the first after a failed one
        # (it works again), then only rounds that changed something.
        if ev.kind == "round" and ev.source in failed:
            failed.discard(ev.source)
            reported.discard(ev.source)
        elif (
            ev.kind == "round" and not once and (ev.new or ev.updated or ev.source not in reported)
        ):
            reported.add(ev.source)
            printer(f"{_stamp()} {say('round', source=ev.source, new=ev.new, updated=ev.updated)}")
        elif ev.kind == "error":
            failed.add(ev.source)
            line = say("error", source=ev.source, error=error_in_language(ev.error or "", language))
            if ev.retry_at and not once:
                line += say("retrying", at=ev.retry_at)
            printer(f"{_stamp()} {line}")
        elif ev.kind in ("flagged", "rule-slow"):
            printer(f"{_stamp()} {ev.describe(language)}")
        if ev.kind == "round":
            elsewhere.discard(ev.source)
        elif ev.kind == "elsewhere" and not once and ev.source not in elsewhere:
            elsewhere.add(ev.source)
            printer(f"{_stamp()} {say('elsewhere', source=ev.source)}")

    engine.subscribe(on_event)
    try:
        if once:
            waiting = {} if now else await waiting_sources(store, list(engine.sources), language)
            for line in waiting.values():
                printer(line)
            # Ctrl-C or SIGTERM ends the round at once: a server that does not answer
            # would otherwise hold the prompt until every retry's timeout has passed
            # (minutes). A page being stored is stored whole or not at all (its own
            # transaction), so what was stored stays and the rest comes next time.
            rounds = engine.sync_all([n for n in engine.sources if n not in waiting])
            done = await until_stopped(rounds, stop) if stop is not None else (await rounds,)
            if not done:
                printer(say("stopped.once"))
                return 1
            (results,) = done
            for r in results:
                line = say("round", source=r.source, new=r.new, updated=r.updated)
                if r.elsewhere:
                    line = say("elsewhere", source=r.source)
                if r.error:
                    line += say("round.failed")
                printer(line)
            # A store that failed under a source is the one-line StoreError of every
            # command (stderr, exit 2: the file and what to do), after the lines above.
            broken = next((r.store_error for r in results if r.store_error), None)
            if broken is not None:
                raise broken
            ob = await worker.run_once()
            if ob.attempted:
                printer(
                    say(
                        "outbox",
                        done=ob.done,
                        retry=ob.retry,
                        failed=ob.failed,
                        conflicts=ob.conflicts,
                    )
                )
            # The memory sinks ([[sinks]]): tagged responses to a file or a webhook.
            try:
                await run_sinks(config, store, once=True, printer=printer)
            except (ConfigError, StoreError):
                raise
            except Exception as exc:  # noqa: BLE001 - one line, the sources are synced
                log_unexpected("sinks", exc)
                printer(say("sinks.error", error=failure(exc).message))
                return 1
            return 0 if all(r.ok for r in results) else 1
        stop = stop or asyncio.Event()
        # Running on: each write-back not done is a line of its own (--once: the count).
        worker.on_event = lambda line: printer(f"{_stamp()} {line}")
        parts = [
            asyncio.ensure_future(engine.run(stop)),
            asyncio.ensure_future(worker.run(stop)),
            asyncio.ensure_future(run_sinks(config, store, once=False, stop=stop, printer=printer)),
        ]
        try:
            await asyncio.gather(*parts)
        finally:
            # One part failing (a sink's unset secret_env) ends the others before the
            # store closes: else a round still running says a second, misleading line
            # (the closed database) under the one that says what is wrong.
            stop.set()
            for part in parts:
                part.cancel()
            await asyncio.gather(*parts, return_exceptions=True)
        return 0
    finally:
        await engine.aclose()


async def process_name(store: Store, config: Any, kind: str) -> str:
    """The name a syncing process records for the sources it syncs (issue 13): who
    (:func:`reactieveld.config.who_acts`: PostgreSQL's role; on a file ``[ui] moderator``
    or the OS user) and ``kind`` (``sync`` for the headless service, ``app`` for a
    moderator's app)."""
    return f"{await who_acts(store, config)} {kind}"


async def waiting_sources(
    store: Store, names: Sequence[str], language: str = "en"
) -> dict[str, str]:
    """Sources whose last round failed and whose next try is still ahead (a cron job's
    ``sync --once`` must not knock again before the server said it may): name -> the
    line that says so, in ``language``. A source whose secret was unset does not wait."""
    out: dict[str, str] = {}
    at = utcnow()
    for name in names:
        state = await store.source_state(name)
        if state is None or not state.last_error or state.next_try is None:
            continue
        if said_secret_unset(state.last_error):
            continue  # no server was asked: set now, the secret is tried at once
        if state.next_try <= at:
            continue
        when = state.next_try.strftime("%H:%M UTC")
        if state.next_try.date() != at.date():
            when = state.next_try.strftime("%Y-%m-%d %H:%M UTC")
        why = "retry_after" if "retry after" in state.last_error.lower() else "backoff"
        out[name] = text(f"sync.wait.{why}", language, source=name, when=when)
    return out


def _stamp() -> str:
    return datetime.now().strftime("%H:%M:%S")


#: How long ``reactieveld sync`` waits before it tries an unreachable memory again: the
#: backoff (:func:`reactieveld.backoff.backoff_delay`) from this, at most the maximum.
OPEN_RETRY_SECONDS = 5.0
OPEN_RETRY_MAX_SECONDS = 300.0


T = TypeVar("T")


async def until_stopped(work: Awaitable[T], stop: asyncio.Event) -> tuple[T] | tuple[()]:
    """``(result,)`` of ``work``, or ``()`` when ``stop`` is set first: then ``work`` is
    cancelled and waited for (a server that does not answer takes up to its timeout:
    Ctrl-C ends the wait at once). A result that came just as the stop did is kept."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if task.done():
        return (task.result(),)
    task.cancel()
    try:
        return (await task,)
    except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping anyway
        return ()


async def _unless_stopped(opening: Awaitable[Store], stop: asyncio.Event) -> Store | None:
    """The store ``opening`` opens, or None when ``stop`` is set first."""
    opened = await until_stopped(opening, stop)
    if not opened:
        return None
    if stop.is_set():
        await opened[0].close()  # it opened just as the stop came
        return None
    return opened[0]


def run_sync_command(
    config: Any,
    db_path: str | Path,
    once: bool,
    *,
    out: TextIO | None = None,
    now: bool = False,
    password: str | None = None,
) -> int:
    """Entry point for ``reactieveld sync [--once] [--now]``: opens the store at
    ``db_path`` (a SQLite file or a ``postgresql://`` URL, with ``password`` from
    ``[store] password_env``), syncs, and stops cleanly on SIGTERM (exit 0) or Ctrl-C
    (exit 130 as every command, with one line saying so on stderr; ``once``: the round's
    own line).
    A memory that cannot be reached at the start is waited for (one line on stderr per
    try, the backoff between), except with ``once``.
    ``now``: also the sources whose next try is still ahead. Returns the exit code."""
    from reactieveld.config import ConfigError, language_of
    from reactieveld.store.open import describe, is_postgres_url, open_store

    stream = out or sys.stdout
    language = language_of(config)

    def printer(line: str) -> None:
        print(line, file=stream, flush=True)

    async def main() -> int:
        try:
            secret = config.store.author_secret() if hasattr(config, "store") else None
        except ConfigError as exc:
            printer(error_line(exc.said(language)))
            return 2
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def interrupt() -> None:
            interrupted.append(True)
            stop.set()

        for sig, handler in ((signal.SIGINT, interrupt), (signal.SIGTERM, stop.set)):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, handler)
        # An unusable store is a StoreError that names the file and what to do: the
        # command line prints it as one line with exit code 2, as for every command.
        # A server that cannot be reached (yet) is waited for: a service started before
        # its database (a boot, a restart of the server) starts syncing when it is up.
        # ``--once`` (a script asked for one round) and every other failure (a refused
        # login, no such database, a newer schema) end at once: waiting cannot help.
        attempts = 0
        while True:
            try:
                store = await _unless_stopped(
                    open_store(
                        db_path,
                        settings=getattr(config, "store", None),
                        password=password,
                        author_secret=secret,
                    ),
                    stop,
                )
            except ConfigError as exc:  # [store] password_env names an unset variable
                printer(error_line(exc.said(language)))
                return 2
            except StoreUnreachable as exc:
                if once:
                    raise
                delay = backoff_delay(attempts, OPEN_RETRY_SECONDS, OPEN_RETRY_MAX_SECONDS)
                attempts += 1
                at = (datetime.now() + timedelta(seconds=delay)).strftime("%H:%M:%S")
                said = error_in_language(f"{StoreUnreachable.lead}: {exc}", language)
                retrying = text("sync.retrying", language, at=at)
                line = " ".join(error_line(said).split()) + retrying
                print(line, file=sys.stderr, flush=True)
                await pause(delay, stop)
                if stop.is_set():
                    return 0
                continue
            if store is None:
                return 0  # stopped (Ctrl-C, SIGTERM) while connecting
            break
        if store.read_only:
            await store.close()
            # A team database's reader is told its role; a file what to do with it.
            raise StoreError(
                text(
                    "sync.read_only.role",
                    language,
                    store=describe(db_path),
                    reason=store.read_only_reason(language),
                )
                if is_postgres_url(db_path)
                else text("sync.read_only.file", language, path=db_path)
            )
        try:
            if not once:
                printer(text("sync.running", language, n=len(config.sources)))
            return await run_sync(config, store, once=once, printer=printer, stop=stop, now=now)
        except ConfigError as exc:
            printer(error_line(exc.said(language)))
            return 2
        except ConnectorError as exc:
            printer(error_line(error_in_language(str(exc), language)))
            return 2
        except StoreError:
            raise  # one line on stderr, exit 2 (cli.main), as for every command
        except Exception as exc:  # noqa: BLE001 - never a traceback on the user's screen
            log_unexpected("sync", exc)
            printer(error_line(text("sync.failed", language, error=failure(exc).message)))
            return 1
        finally:
            await store.close()

    interrupted: list[bool] = []  # Ctrl-C (SIGINT) was what stopped it
    try:
        code = asyncio.run(main())
    except KeyboardInterrupt:
        code, interrupted = 0, [True]
    # One rule for Ctrl-C, with or without ``once``: exit 130, as every command. A
    # ``once`` round it cut short has said so itself (code 1, its own line); a running
    # sync is said here. SIGTERM stays: a service's ends a sync silently (exit 0), a
    # ``once`` round's with its line and exit 1 (not every source synced).
    stopped_round = once and code == 1
    if not interrupted or not (code == 0 or stopped_round):
        return code
    if not stopped_round:
        print(error_line(text("sync.stopped.interrupt", language)), file=sys.stderr, flush=True)
    return EXIT_INTERRUPTED
