"""The write-back worker: applies the store's outbox rows to the platforms.

A moderation decision is written by the store as journal + local state + outbox row in
one transaction; this worker takes due rows (``store.outbox_due``: leased to its store
for ``OUTBOX_LEASE`` seconds, in one write transaction, on SQLite as on PostgreSQL, so
two programs on one memory, the app and ``reactieveld sync`` or two app windows, never
take one row; a read-only store takes none), performs each with the source's connector
and records the outcome, which ends the lease:

* applied -> ``store.outbox_done`` (with the status/id the platform reported);
* trying again can help (network, 5xx, 429) -> ``store.outbox_retry`` with exponential
  backoff (the row survives a restart and is picked up again when due);
* the remote comment changed meanwhile (:class:`ActionConflict`) ->
  ``store.outbox_fail(conflict=True)``: not forced, the moderator decides; a comment whose
  text was edited on the site since the moderator saw it (an approval would publish words
  no one read, ``model_values.EDIT_STOPS``) is stored as the connector read it, as a sync
  stores it (with the moderation rules), so the conflict shows the new words;
* refused (403, unsupported action, comments closed) -> ``store.outbox_fail``;
* either of these two with why no resend can succeed by itself where the connector's
  answer says (``failures.failure_kind``: the comment is gone from the site, comments
  are closed...): the response view says what to do instead, and where nothing can
  (``model_values.FINAL_KINDS``) the decision's key does not send it again;
* not signed in (401: a wrong or revoked password or key) or sent on to another address
  (a redirect not followed) -> retried as a network error would be: the decision waits
  until the configuration is put right;
* anything else (an answer of the wrong shape, a bug, a full disk) -> retried as a
  network error would be, with its one-line reason on the row
  (:mod:`reactieveld.failures`); the worker never stops because of one row.

Applying a row twice (a crash after the platform acted but before ``outbox_done``) is
harmless for a decision: a status already set reads back as success. A reply is not
sent twice: before its POST the row is marked as being sent (``store.outbox_sending``);
a row found with that mark (the process stopped before the outcome was recorded) waits
until a sync round of its source that BEGAN after the mark has ended well (the mark holds
the number of the source's newest round begun, ``OutboxItem.awaits_round``; the rule is
``store.writeback.synced_since``): a round begun before may have listed the site before
the reply arrived, however late it ended. That round stores the platform's copy, if the
POST arrived, as the organisation's handled reply and marks the row done
(``SqliteStore._claim_sent_replies``); if it did not arrive, the row is sent. So does a
reply whose POST failed in a way the platform may have acted on all the same (a 500, an
answer that cannot be read, no answer): marked so when its failure is recorded
(``store.outbox_retry(unsure=True)``), its error, for a person, ends with :data:`UNSURE`.

A worker that takes a row a gone process held (its lease ran out, or on SQLite its
process on this machine has ended, or on PostgreSQL its session has: not a reply it was
sending, ``store.pg.writeback.HOLDER_GONE``) stamps ``awaits_round`` again, in the transaction
that takes it, with the newest round begun then: a round begun after the mark may still
have listed the site before the POST arrived and ended well after the process died, so
the reply waits for a round begun after it was found gone
(``store.writeback.LEASE_SET``). A row that waits is not held (``RELEASE_WAITING``):
only a reply being sent is held with a round to wait for. The mark takes or renews the
lease, and fails (the reply is not sent) when another worker holds the row; any other
write-back's lease is renewed so just before it is applied (``store.outbox_hold``): a
row another worker took when this one's lease ran out (a slow batch) is left to it. And
a request held back past its time (:data:`SEND_WITHIN` after the mark or renewal: the
process stopped, the machine asleep between the mark and the POST) does not leave
(``connectors.base.SEND_BY``): by then the lease may have run out and another program
sent the row. It is recorded as any retry is, held (below): a row still this worker's is
tried again after the backoff (a reply, one the platform may have: after a round), said
and counted; one another program took is left to it.
The outcome is recorded only on a row still this worker's (``held=True``:
``store.writeback.HELD``): one whose lease ran out between the site's answer and its
record (the process stopped, the machine asleep) and another program took over is left
as it is, that program's to apply and record; its done, retry or failure would end the
other's lease while its request may be under way. The row then counts as waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from reactieveld.backoff import PollingWorker
from reactieveld.connectors.base import (
    SEND_BY,
    ActionConflict,
    ApplyResult,
    Connector,
    ConnectorError,
    apply_action,
)
from reactieveld.failures import error_in_language, failure, failure_kind, log_unexpected
from reactieveld.i18n import stored, text
from reactieveld.model import Capability, OutboxItem, Page, utcnow
from reactieveld.store.base import Store
from reactieveld.store.writeback import OUTBOX_LEASE, synced_since

if TYPE_CHECKING:
    from reactieveld.rules import RuleSet

#: The mark of a reply being sent (``last_error`` while the POST is under way).
SENDING = (
    "being sent; if reactieveld stopped meanwhile, the next sync shows whether the platform got it"
)

#: What a reply's error ends with when the platform may have taken it all the same (an
#: error of its own after the POST arrived, an answer that could not be read, no answer
#: at all): words for a person; the row's ``awaits_round`` holds it back until a sync
#: round has looked.
UNSURE = stored("conn.reply_unsure", error="")


#: Seconds after a row's mark (or its lease's renewal) within which its request must leave
#: (``connectors.base.SEND_BY``): half the lease. The lease runs on from the mark; once it
#: has run out another program may take the row and, a sync round later, send it: a request
#: of this one leaving after that (its process stopped, its machine asleep between the mark
#: and the POST, or waiting that long for a connection) would be a second copy.
SEND_WITHIN = OUTBOX_LEASE / 2


def _unsure(item: OutboxItem, exc: BaseException) -> bool:
    """A reply the platform may have taken all the same: it waits for a sync round begun
    after its failure is recorded before it is sent again."""
    return item.action.capability is Capability.REPLY and _may_have_acted(exc)


def _unsure_error(error: str) -> str:
    """The error of such a reply, for a person: it says the next sync shows the rest."""
    return stored("conn.reply_unsure", error=error)


def _may_have_acted(exc: BaseException) -> bool:
    """Whether the platform may have acted on the request that failed: it answered with a
    success the connector could not read, or an error of its own (a 5xx other than 503,
    which says it is unavailable), or no answer came (a timeout, a connection closed, an
    answer too large). A 4xx, a 503, a redirect not followed: it did not."""
    status = getattr(exc, "status", None)
    if not isinstance(status, int):
        return True
    return status < 300 or (status >= 500 and status != 503)


@dataclass
class OutboxRun:
    """Counts of one pass over the due outbox rows."""

    attempted: int = 0
    done: int = 0
    retry: int = 0
    failed: int = 0
    conflicts: int = 0
    #: The responses whose write-back was tried (a thread open shows their marks).
    response_ids: set[int] = field(default_factory=set)


def _waits_for_a_person(exc: ConnectorError) -> bool:
    """The platform did not know who asked (HTTP 401: a wrong or revoked password or key),
    or sent the request on to another address (a 3xx not followed: the source's url is
    out of date). Neither is an answer to the decision: it waits, with the backoff, until
    the configuration is put right, instead of failing for good (a 403, a refusal to this
    user, still does)."""
    status = getattr(exc, "status", None)
    return status == 401 or (isinstance(status, int) and 300 <= status < 400)


class OutboxWorker(PollingWorker):
    """Applies due outbox rows through ``connectors`` (source name -> connector).

    ``poll_seconds`` is how often it looks for due rows when nobody calls :meth:`wake`
    (the UI wakes it after each moderator action). ``on_event`` receives a short text
    in ``language`` per outcome that is not done, e.g. for a notification or the lines
    of a running ``reactieveld sync``.
    """

    def __init__(
        self,
        store: Store,
        connectors: Mapping[str, Connector],
        *,
        poll_seconds: float = 5.0,
        base_delay: float = 10.0,
        max_delay: float = 3600.0,
        on_event: Callable[[str], Any] | None = None,
        secrets: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None,
        language: str = "en",
        say: Collection[str] = ("retry", "failed", "conflict"),
        rules: RuleSet | None = None,
    ) -> None:
        self.store = store
        #: The moderation rules a comment's new text (stored at a conflict) is screened by.
        self.rules = rules
        self.language = language
        #: The outcomes whose line goes to ``on_event`` (the app: only those not retried).
        self.say = frozenset(say)
        self.connectors = dict(connectors)
        #: source -> (secrets, user names) kept out of stored errors (SyncEngine.secrets).
        self.secrets = dict(secrets or {})
        super().__init__(
            poll_seconds=poll_seconds, base_delay=base_delay, max_delay=max_delay, on_event=on_event
        )
        #: Seconds a row's request may leave after its mark (:data:`SEND_WITHIN`).
        self.send_within = SEND_WITHIN
        #: Why the row :meth:`apply_one` last applied was not done (as stored on it).
        self.last_error: str | None = None
        #: Its failure kind (``failures.failure_kind``) where the platform's answer has one.
        self.last_kind: str | None = None

    async def apply_one(self, item: OutboxItem) -> str:
        """Apply one outbox row; returns ``done``, ``retry``, ``failed``, ``conflict``
        or ``waiting`` (a reply marked as being sent when a process stopped, until a sync
        round). Never raises (but for cancellation): see the module docstring."""
        try:
            return await self._apply_one(item)
        except Exception as exc:  # noqa: BLE001 - one row must not stop the worker
            log_unexpected(f"outbox row {item.id}", exc)
            secrets, users = self.secrets.get(item.action.source, ((), ()))
            f = failure(exc, source=item.action.source, secrets=secrets, users=users)
            wait = f.retry_after or self.retry_delay(item.attempts)
            try:
                if not await self._retry(item, exc, f.message, wait):
                    return self._not_mine(item)
            except Exception as again:  # noqa: BLE001 - the store itself fails: next pass
                log_unexpected(f"outbox row {item.id}: recording the error", again)
            return "retry"

    async def _apply_one(self, item: OutboxItem) -> str:
        self.last_error = self.last_kind = None
        conn = self.connectors.get(item.action.source)
        if conn is None:
            self.last_error = f"source {item.action.source} is not configured (any more)"
            hold = getattr(self.store, "outbox_hold", None)
            if hold is not None and await hold(item.id) is False:
                return "waiting"  # another worker's (or it waits for a round, released)
            if not await self.store.outbox_fail(item.id, error=self.last_error, held=True):
                return self._not_mine(item)
            return "failed"
        if item.action.capability is Capability.REPLY and not await self._synced_since(item):
            return "waiting"
        # Read before the mark: a process stopped after the mark's commit, before its own
        # next line, must count that time too (read after, it would not).
        marked = time.time()
        try:
            if not await self._still_mine(item):
                return "waiting"  # another worker took it meanwhile (or it was undone)
        except Exception as exc:  # noqa: BLE001 - nothing was sent: the next pass
            return self._not_marked(item, exc)
        try:
            result = await self._send(conn, item, marked)
        except ActionConflict as exc:
            secrets, users = self.secrets.get(item.action.source, ((), ()))
            error = self.last_error = failure(exc, secrets=secrets, users=users).message
            self.last_kind = failure_kind(exc)
            if not await self.store.outbox_fail(
                item.id,
                error=error,
                conflict=True,
                remote_status=exc.remote_status,
                kind=self.last_kind,
                held=True,
            ):
                return self._not_mine(item)
            if exc.response is not None:
                page = Page(responses=[exc.response])  # no cursor: the sync's stays
                try:
                    await self.store.upsert_page(item.action.source, page, rules=self.rules)
                except Exception as again:  # noqa: BLE001 - the next full re-read stores it
                    log_unexpected(f"outbox row {item.id}: storing the edited text", again)
            return "conflict"
        except ConnectorError as exc:
            secrets, users = self.secrets.get(item.action.source, ((), ()))
            error = self.last_error = failure(exc, secrets=secrets, users=users).message
            if exc.retryable or _waits_for_a_person(exc):
                wait = getattr(exc, "retry_after", None) or self.retry_delay(item.attempts)
                if not await self._retry(item, exc, error, wait):
                    return self._not_mine(item)
                return "retry"
            if not await self.store.outbox_fail(
                item.id, error=error, kind=failure_kind(exc), held=True
            ):
                return self._not_mine(item)
            return "failed"
        if not await self.store.outbox_done(
            item.id, remote_status=result.remote_status, external_id=result.external_id, held=True
        ):
            return self._not_mine(item)
        return "done"

    def _not_mine(self, item: OutboxItem) -> str:
        """The site's answer came, but row ``item`` is no longer this worker's to record it
        on (its lease ran out while it waited for the answer, its process stopped or its
        machine asleep, and another program took it over; or its outcome is recorded
        already: a sync round found the reply at the site): nothing was recorded, the row
        is the other's, its outcome the other's to record. Neither said nor counted, as
        when the mark finds the row another's: it waits (the other's outcome comes)."""
        self.last_error = self.last_kind = None
        return "waiting"

    async def _send(self, conn: Connector, item: OutboxItem, marked: float) -> ApplyResult:
        """Apply row ``item`` through ``conn``, its requests to leave within
        :attr:`send_within` of ``marked`` (``time.time()`` just before its mark, or its
        lease's renewal, was asked for): one held back longer raises
        :class:`~reactieveld.connectors.base.TooLateToSend`, unsent."""
        by = SEND_BY.set(marked + self.send_within)
        try:
            return await apply_action(conn, item.action)
        finally:
            SEND_BY.reset(by)

    async def _still_mine(self, item: OutboxItem) -> bool:
        """A reply's mark (``store.outbox_sending``), any other write-back's renewed lease
        (``store.outbox_hold``), just before it is applied: False when the row is no
        longer this worker's to apply."""
        if item.action.capability is Capability.REPLY:
            mark = getattr(self.store, "outbox_sending", None)
            return mark is None or await mark(item.id, note=SENDING, at=utcnow()) is not False
        hold = getattr(self.store, "outbox_hold", None)
        return hold is None or await hold(item.id) is not False

    def _not_marked(self, item: OutboxItem, exc: Exception) -> str:
        """The mark or the lease's renewal failed on a store error: nothing was sent, and
        nothing is written (the store may not take it; a retry recorded on the row could
        end the lease of another worker that took it meanwhile, and a reply being sent
        would be free to a third). The row stays this worker's, as when the file is busy,
        and its next pass takes it again and sends it (before: a reply was recorded as
        one the platform may have, and waited for a whole sync round)."""
        log_unexpected(f"outbox row {item.id}: marking it", exc)
        secrets, users = self.secrets.get(item.action.source, ((), ()))
        self.last_error = failure(
            exc, source=item.action.source, secrets=secrets, users=users
        ).message
        return "retry"

    async def _retry(self, item: OutboxItem, exc: BaseException, error: str, wait: float) -> bool:
        """Record row ``item``'s failure ``exc`` (``error``, its one line) to be tried again
        in ``wait`` seconds; a reply the platform may have taken waits for a sync round.
        False, nothing recorded: the row is no longer this worker's."""
        unsure = _unsure(item, exc)
        self.last_error = _unsure_error(error) if unsure else error
        return await self.store.outbox_retry(
            item.id,
            error=self.last_error,
            next_attempt_at=utcnow() + timedelta(seconds=wait),
            unsure=unsure,
            held=True,
        )

    async def _synced_since(self, item: OutboxItem) -> bool:
        """Whether the row may be sent: it waits for no round (``awaits_round`` None), or
        a round of its source begun after it was marked has ended well
        (:func:`~reactieveld.store.writeback.synced_since`)."""
        if item.awaits_round is None:
            return True
        state = await self.store.source_state(item.action.source)
        return synced_since(item.awaits_round, state.success_round if state else None)

    async def run_once(self) -> OutboxRun:
        """Apply every row that is due now (in batches) and return the counts."""
        run = OutboxRun()
        seen: set[int] = set()
        while True:
            try:
                due = await self.store.outbox_due(limit=20)
            except Exception as exc:  # noqa: BLE001 - the store cannot be read now: next pass
                log_unexpected("outbox", exc)
                said = error_in_language(failure(exc).message, self.language)
                self._say_trouble(text("outbox.line.unreadable", self.language, error=said))
                return run
            self._trouble_over()
            items = [i for i in due if i.id not in seen]
            if not items:
                return run
            for item in items:
                seen.add(item.id)
                outcome = await self.apply_one(item)
                if outcome == "waiting":
                    continue  # a reply that may have arrived: after the next sync round
                run.attempted += 1
                if item.response_id is not None:
                    run.response_ids.add(item.response_id)
                if outcome == "done":
                    run.done += 1
                elif outcome == "retry":
                    run.retry += 1
                elif outcome == "conflict":
                    run.conflicts += 1
                else:
                    run.failed += 1
                if outcome != "done" and outcome in self.say:
                    self._say(self._line(outcome, item.action.source))

    def _line(self, outcome: str, source: str) -> str:
        """The line for a write-back not done, with why where it is known (what the
        platform said: comments closed, no permission, changed on the site). A conflict
        of a known kind (the comment gone from the site, a review item handled on the
        forum) is not called a change on the platform: it is said as not done, and why."""
        if outcome == "conflict" and self.last_kind is not None:
            outcome = "not_done"
        line = text(f"outbox.line.{outcome}", self.language, source=source)
        why = self.last_error
        if not why:
            return line
        why = why.removeprefix(f"{source}: ")  # the line names the source already
        return f"{line}: {error_in_language(why, self.language)}"

    def _pass_failed(self, exc: Exception) -> None:
        log_unexpected("outbox", exc)
