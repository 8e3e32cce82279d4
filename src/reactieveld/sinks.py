"""Memory sinks: every tagged response, with its tags and provenance, also goes to another
memory — a JSON Lines file (appended and fsync'd) or an HTTP webhook (POST, HMAC-signed).

How it works (and why):

* **The journal drives it.** Every tag, untag, role, note, decision and undo is a journal
  entry (``actions``). A sync's changes are not: the store's triggers (migration 0024;
  PostgreSQL 0018) note each change of a field of a tagged response's record (its text,
  author, status, its id and url when renamed, its thread's title and url; not
  ``fetched_at``) in ``sink_changes``, in the sync's own transaction. A
  :class:`SinkWorker` keeps, per sink, the id of the last entry and of the last change
  it has looked at (``sink_positions``).
  Each pass reads newer ones, rebuilds the current record of every response they touch,
  and compares it with what the sink last got (``sink_state``, a digest of the record,
  text and status included): a response with planning-question tags in the public record
  that the sink never got, or got retracted, is ``tagged``; a changed one (a re-tag, a
  role, a note, an edit on the platform, a hold) is ``updated``; one that no longer has
  any question tag (an untag, an undo) or that left the public record (trash, spam,
  hidden or deleted, by the moderator or on the platform) is ``retracted``. The cause is
  the journal entry's kind, or "sync". Unchanged responses send nothing.
* **Durable, in order.** The deliveries are written to ``sink_outbox`` in the same
  transaction that advances the position, so a crash never loses or doubles an
  enqueue. Delivery then goes oldest first per sink; a failed attempt that may succeed
  later (connection refused, timeout, 408, 429, 5xx) waits with exponential backoff and
  holds back the later ones (a retraction must not overtake its tagging); a refusal
  (other 4xx) is marked failed and the queue moves on. Delivery is at-least-once: each
  envelope carries ``delivery_id``, so a receiver can drop a repeat after a crash.
* **Why not the write-back outbox.** The brief suggested ``store.enqueue(Action(...))``
  with a new capability. That table's rows belong to a platform source (``source_id NOT
  NULL``) and its worker applies every due row through that source's connector, failing
  rows whose source has none; ``Capability`` is a closed enum that ``OutboxItem`` reads
  back. A sink would need a fake source (shown in the tabs, the header and the
  dashboard) and a capability the platform worker would try — and fail — to apply. So
  sinks keep the same design (a durable queue with attempts, backoff and states) in a
  table of their own (migration 0003) with a worker that is not a connector.
* **Personal data.** A sink is the organisation's own memory, not a report: records go
  unredacted (the author's e-mail address is never stored, only its keyed hash).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from reactieveld.backoff import PollingWorker
from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.failures import error_in_language, failure, log_unexpected
from reactieveld.i18n import text
from reactieveld.model import RemoteStatus, utcnow
from reactieveld.read.records import Record, extras
from reactieveld.reports.fields import record_dict
from reactieveld.reports.redact import Redactor
from reactieveld.store.base import SinkStore
from reactieveld.store.values import SinkDelivery, SinkPosition

#: Journal kinds that change what a sink holds (handling and replies do not); "sync" is a
#: change a sync made (``sink_changes``).
SINK_KINDS = ("tag", "untag", "role", "note", "moderate", "undo", "sync")
#: Statuses that take a response out of the public record: a sink retracts it (a hold
#: keeps it: it is not removed, only not public yet; the record says "hold").
GONE = frozenset({RemoteStatus.TRASH, RemoteStatus.SPAM, RemoteStatus.HIDDEN, RemoteStatus.DELETED})
SIGNATURE_HEADER = "X-Reactieveld-Signature"
EVENT_HEADER = "X-Reactieveld-Event"
DELIVERY_HEADER = "X-Reactieveld-Delivery"
BATCH = 200


class SinkError(Exception):
    """A delivery failed; ``retryable`` says whether trying again can help."""

    expected = True  # a delivery's own failure, not a surprise (reactieveld.failures)

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class JsonlSink:
    """Appends one JSON envelope per line to a file and fsyncs it."""

    kind = "jsonl"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.key = f"jsonl:{self.path}"

    async def deliver(self, body: bytes, envelope: Mapping[str, Any]) -> None:
        """Append ``body`` as one line; returns once it is on disk."""

        def write() -> None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, body + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)

        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            raise SinkError(f"{self.path}: {exc.strerror or exc}") from exc

    async def aclose(self) -> None:
        return None


class WebhookSink:
    """POSTs each envelope as JSON, signed with HMAC-SHA256 when a secret is configured:
    ``X-Reactieveld-Signature: sha256=<hex of HMAC(secret, body)>``."""

    kind = "webhook"

    def __init__(
        self,
        url: str,
        secret: str | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.key = f"webhook:{url}"
        self._secret = secret.encode() if secret else None
        self._own = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    def signature(self, body: bytes) -> str | None:
        """The signature header value for ``body`` (None without a secret)."""
        if self._secret is None:
            return None
        return "sha256=" + hmac.new(self._secret, body, hashlib.sha256).hexdigest()

    async def deliver(self, body: bytes, envelope: Mapping[str, Any]) -> None:
        """POST the body; raises :class:`SinkError` (retryable or not) on failure."""
        from reactieveld import __version__

        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"reactieveld/{__version__}",
            EVENT_HEADER: str(envelope["event"]),
            DELIVERY_HEADER: str(envelope["delivery_id"]),
        }
        sig = self.signature(body)
        if sig:
            headers[SIGNATURE_HEADER] = sig
        try:
            resp = await self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            # Not shortened here: failure() shortens after removing credentials.
            raise SinkError(f"{type(exc).__name__}: {exc}") from exc
        if 200 <= resp.status_code < 300:
            return
        retryable = resp.status_code in (408, 425, 429) or resp.status_code >= 500
        raise SinkError(f"HTTP {resp.status_code}", retryable=retryable)

    async def aclose(self) -> None:
        if self._own:
            await self._client.aclose()


Sink = JsonlSink | WebhookSink


def build_sinks(config: Any, *, client: httpx.AsyncClient | None = None) -> list[Sink]:
    """The configured ``[[sinks]]``. A webhook's secret comes from the environment variable
    named by ``secret_env``; named but unset is a ConfigError (never a silent unsigned POST)."""
    from reactieveld.config import ConfigError
    from reactieveld.i18n import Said

    sinks: list[Sink] = []
    for sc in getattr(config, "sinks", ()) or ():
        if sc.type == "jsonl":
            sinks.append(JsonlSink(sc.options["path"]))
        elif sc.type == "webhook":
            var = sc.options.get("secret_env")
            secret = None
            if var:
                secret = os.environ.get(var) or None
                if secret is None:
                    where = Said("config.sink.webhook", url=sc.options["url"])
                    unset = Said(
                        "config.env.unset", where=where, variable=var, setting="secret_env"
                    )
                    raise ConfigError(unset, line=sc.line)
            sinks.append(WebhookSink(sc.options["url"], secret, client=client))
    return sinks


@dataclass
class SinkRun:
    """Counts of one pass."""

    enqueued: int = 0
    delivered: int = 0
    retry: int = 0
    failed: int = 0


def _ts(value: datetime) -> int:
    return int(value.timestamp())


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _digest(payload: Mapping[str, Any]) -> str:
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


class SinkWorker(PollingWorker):
    """Turns journal entries into deliveries for every sink and delivers them."""

    def __init__(
        self,
        store: SinkStore,
        sinks: Sequence[Sink],
        *,
        codebook: Codebook = DEFAULT_CODEBOOK,
        language: str = "nl",
        poll_seconds: float = 5.0,
        base_delay: float = 5.0,
        max_delay: float = 3600.0,
        clock: Callable[[], datetime] = utcnow,
        on_event: Callable[[str], Any] | None = None,
    ) -> None:
        self.store = store
        self.sinks = list(sinks)
        self.codebook = codebook
        self.language = language
        self.clock = clock
        self._redactor = Redactor(include_personal_data=True, language=language)
        #: The memory's id (``sinks_start``), set by the first pass.
        self._memory: str | None = None
        #: A sink read entries since the last prune (none read: nothing new to prune).
        self._read_since_prune = True
        super().__init__(
            poll_seconds=poll_seconds, base_delay=base_delay, max_delay=max_delay, on_event=on_event
        )

    # -- journal -> sink_outbox ---------------------------------------------------------
    async def collect(self, sink: Sink) -> int:
        """Enqueue deliveries for journal entries the sink has not seen; returns how many."""
        total = 0
        while True:
            n, more = await self._collect_batch(sink)
            total += n
            if not more:
                return total

    async def _collect_batch(self, sink: Sink) -> tuple[int, bool]:
        key = sink.key

        pos, entries = await self.store.sink_entries(key, limit=BATCH)
        if not entries:
            return 0, False
        self._read_since_prune = True
        journal = [e.id for e in entries if not e.change]
        changes = [e.id for e in entries if e.change]
        to = SinkPosition(max(journal, default=pos.journal), max(changes, default=pos.changes))
        # The last relevant entry per response (its kind says what caused the delivery); a
        # sync's change does not hide the journal entry that made it (a decision's status).
        cause: dict[int, tuple[int | None, str]] = {}
        for entry in entries:
            jid, kind, rid = entry.id, entry.kind, entry.response_id
            if rid is None or kind not in SINK_KINDS:
                continue
            if entry.change:
                cause.setdefault(rid, (None, kind))
            else:
                cause.pop(rid, None)
                cause[rid] = (jid, kind)
        rows = await self.store.get_many(list(cause)) if cause else []
        more_info = await extras(self.store, rows, self.codebook, self.language)
        current: dict[int, dict[str, Any] | None] = {rid: None for rid in cause}
        for row in rows:
            rid = row.response.id or 0
            record = Record(row, more_info.get(rid) or _empty_extra())
            kept = row.questions and row.response.remote_status not in GONE
            current[rid] = record_dict(record, self._redactor) if kept else None

        now = self.clock()

        def plan(state: Mapping[int, str]) -> list[SinkDelivery]:
            # Inside the store's transaction: ``state`` is what the sink last got.
            out = []
            for rid, (jid, kind) in cause.items():
                payload = current[rid]
                before = state.get(rid)
                if payload is not None:
                    digest = _digest(payload)
                    if before == digest:
                        continue
                    event = "tagged" if not before else "updated"
                    response: dict[str, Any] = payload
                elif before:  # delivered before; no question tag any more, or removed
                    digest, event = "", "retracted"
                    response = {"id": rid}
                    found = next((r for r in rows if r.response.id == rid), None)
                    if found is not None:
                        response.update(
                            source=found.response.source,
                            external_id=found.response.external_id,
                            url=found.response.url,
                        )
                else:
                    continue
                envelope = {"event": event, "cause": kind, "journal_id": jid,
                            "at": _iso(now), "response": response}  # fmt: skip
                text = json.dumps(envelope, ensure_ascii=False)
                out.append(SinkDelivery(rid, jid, event, text, digest))
            return out

        n = await self.store.sink_advance(
            key, expected=pos, to=to, response_ids=list(cause), plan=plan, at=now
        )
        if n is None:
            return 0, False
        return n, BATCH in (len(journal), len(changes))

    # -- sink_outbox -> sink ------------------------------------------------------------
    async def deliver_due(self, sink: Sink) -> SinkRun:
        """Deliver the sink's due rows in order; stops at the first one that must wait."""
        run = SinkRun()
        key = sink.key
        while True:
            now = self.clock()
            due = await self.store.sink_due(key, limit=50)
            if not due:
                return run
            for item in due:
                oid, payload, attempts = item.id, item.payload, item.attempts
                if item.next_attempt_at.timestamp() > _ts(now):
                    return run  # the head waits; later ones wait behind it (order)
                envelope = json.loads(payload)
                # A copied pending delivery keeps its source's id (store/copy.py).
                envelope.setdefault("delivery_id", f"{self._memory}/{key}#{oid}")
                body = json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode()
                try:
                    await sink.deliver(body, envelope)
                except Exception as exc:  # noqa: BLE001 - any failure waits or is refused
                    log_unexpected(f"sink {key}", exc)
                    secret = getattr(sink, "_secret", None)
                    why = failure(exc, secrets=[secret.decode()] if secret else []).message
                    said = error_in_language(why, self.language)  # stored: English
                    if getattr(exc, "retryable", True):
                        wait = self.retry_delay(attempts)
                        await self._mark(oid, "retry", why, now + timedelta(seconds=wait))
                        run.retry += 1
                        self._say(text("sinks.waits", self.language, sink=key, why=said))
                        return run
                    await self._mark(oid, "failed", why, None)
                    run.failed += 1
                    self._say(text("sinks.refused", self.language, sink=key, why=said))
                    continue
                await self._mark(oid, "done", None, None)
                run.delivered += 1

    async def _mark(self, oid: int, outcome: str, error: str | None, at: datetime | None) -> None:
        now = self.clock()
        if outcome == "done":
            await self.store.sink_mark_done(oid, at=now)
        elif outcome == "failed":
            await self.store.sink_mark_failed(oid, error=error)
        else:
            await self.store.sink_mark_retry(oid, error=error, next_attempt_at=at or now)

    async def run_once(self) -> SinkRun:
        """One pass for every sink: collect new journal entries, deliver what is due."""
        total = SinkRun()
        if self._memory is None:
            # Before the first read: each sink's position row (the prune keeps what it
            # has not read) and the memory's id (its delivery ids' first part).
            self._memory = await self.store.sinks_start([s.key for s in self.sinks])
        for sink in self.sinks:
            total.enqueued += await self.collect(sink)
        # The changes every sink has now read are of no use to any (a later sink starts
        # from the journal): the table stays as small as the slowest sink's lag. A pass
        # in which no sink read anything moved no position: nothing new to prune.
        if self._read_since_prune:
            await self.store.sink_prune()
            self._read_since_prune = False
        for sink in self.sinks:
            run = await self.deliver_due(sink)
            total.delivered += run.delivered
            total.retry += run.retry
            total.failed += run.failed
        self._trouble_over()
        return total

    def _pass_failed(self, exc: Exception) -> None:
        # E.g. a full disk: logged and said; the next pass retries.
        log_unexpected("sinks", exc)
        said = error_in_language(failure(exc).message, self.language)
        self._say_trouble(text("sync.sinks.error", self.language, error=said))

    async def aclose(self) -> None:
        """Close the sinks' HTTP clients."""
        for sink in self.sinks:
            await sink.aclose()

    async def pending(self, sink: Sink) -> list[dict[str, Any]]:
        """The sink's queue as dicts (for a status line and the tests)."""
        rows = await self.store.sink_queue(sink.key)
        keys = ("id", "event", "state", "attempts", "last_error", "response_id")
        return [{k: getattr(r, k) for k in keys} for r in rows]


def _empty_extra() -> Any:
    from reactieveld.read.records import Extra

    return Extra()


async def run_sinks(
    config: Any,
    store: SinkStore,
    *,
    once: bool,
    stop: asyncio.Event | None = None,
    printer: Callable[[str], None] | None = None,
    started: Callable[[SinkWorker], Any] | None = None,
) -> SinkRun | None:
    """The configured sinks for ``reactieveld sync`` and the app: one pass (``once``) or
    passes until ``stop``. Nothing to do (None) without ``[[sinks]]``. A webhook whose
    ``secret_env`` is unset raises ConfigError before anything is sent. ``started`` gets
    the worker before its first pass (the app keeps it to :meth:`SinkWorker.wake` it)."""
    from reactieveld.config import language_of

    sinks = build_sinks(config)
    if not sinks:
        return None
    codebook = getattr(config, "codebook", DEFAULT_CODEBOOK)
    language = language_of(config)
    worker = SinkWorker(store, sinks, codebook=codebook, language=language, on_event=printer)
    if started is not None:
        started(worker)
    try:
        if once:
            run = await worker.run_once()
            if printer is not None and (run.enqueued or run.delivered or run.retry or run.failed):
                printer(
                    text(
                        "sinks.run",
                        language,
                        delivered=run.delivered,
                        retry=run.retry,
                        failed=run.failed,
                    )
                )
            return run
        await worker.run(stop or asyncio.Event())
        return None
    finally:
        await worker.aclose()


async def run_sinks_beside_app(
    config: Any,
    store: Any,
    stop: asyncio.Event,
    notify: Callable[[str], Any],
    started: Callable[[SinkWorker], Any] | None = None,
) -> None:
    """The sinks while the app runs: problems (an unset ``secret_env``, a delivery that
    waits or is refused) go to ``notify`` instead of ending the app. ``started`` gets the
    worker, so the app can wake it after each moderator action instead of waiting for
    the next poll."""
    try:
        await run_sinks(config, store, once=False, stop=stop, printer=notify, started=started)
    except Exception as exc:  # noqa: BLE001 - shown to the moderator, the app goes on
        with contextlib.suppress(Exception):
            notify(f"sinks: {exc}")
