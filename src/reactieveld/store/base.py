"""The memory store's protocol and the value types of its queries.

Every list is keyset-paginated on ``(created_at, id)``: a :class:`Keyset` names the last
row a caller has, and the next call continues after it, so rows inserted meanwhile never
shift or repeat a page.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from reactieveld.later import names_in
from reactieveld.model import Capability, Page, RemoteStatus, Response, TriageState

if TYPE_CHECKING:
    from reactieveld.model_values import (
        Action,
        DecisionReason,
        JournalEntry,
        Note,
        OutboxItem,
        Source,
        Tag,
        Thread,
    )
    from reactieveld.rules import RuleSet
    from reactieveld.store.values import ActionOutcome as ActionOutcome
    from reactieveld.store.values import ChangedSince as ChangedSince
    from reactieveld.store.values import Coding as Coding
    from reactieveld.store.values import Counts as Counts
    from reactieveld.store.values import DecisionRecord as DecisionRecord
    from reactieveld.store.values import FigureCounts as FigureCounts
    from reactieveld.store.values import FigureQuery as FigureQuery
    from reactieveld.store.values import JournalRef as JournalRef
    from reactieveld.store.values import PastWork as PastWork
    from reactieveld.store.values import RecordContext as RecordContext
    from reactieveld.store.values import RecordNote as RecordNote
    from reactieveld.store.values import RecordTag as RecordTag
    from reactieveld.store.values import ResendPlan as ResendPlan
    from reactieveld.store.values import RuleFlag as RuleFlag
    from reactieveld.store.values import RuleTally as RuleTally
    from reactieveld.store.values import SinkDelivery as SinkDelivery
    from reactieveld.store.values import SinkDue as SinkDue
    from reactieveld.store.values import SinkPosition as SinkPosition
    from reactieveld.store.values import SinkQueued as SinkQueued
    from reactieveld.store.values import SourceState as SourceState
    from reactieveld.store.values import UpsertResult as UpsertResult

#: The value types in reactieveld.store.values since nothing before the first frame makes
#: them (each frozen dataclass ~0.5 ms at import): the read side's, what a sync, a
#: decision, a rule's flag or a source's state returns, and the tab counts (read after the
#: first frame with rows); still importable from here.
_LATER_VALUES = frozenset(
    {
        "ActionOutcome",
        "ChangedSince",
        "Coding",
        "Counts",
        "DecisionRecord",
        "FigureCounts",
        "FigureQuery",
        "JournalRef",
        "PastWork",
        "RecordContext",
        "RecordNote",
        "RecordTag",
        "ResendPlan",
        "RuleFlag",
        "RuleTally",
        "SinkDelivery",
        "SinkDue",
        "SinkPosition",
        "SinkQueued",
        "SourceState",
        "UpsertResult",
    }
)


__getattr__ = names_in("reactieveld.store.values", _LATER_VALUES, of=__name__)  # PEP 562


class StoreError(Exception):
    """The store cannot do what was asked (e.g. a newer schema than this program knows).

    Its text is English, made from the i18n table's ``conn.store.*`` templates (one form
    for scripts and for the other processes that store it); :meth:`said` is the one way a
    line shows it to a person, in their language."""

    def said(self, language: str, *, period: bool = False) -> str:
        """This error in ``language`` (the table's templates read back; a path, a URL and
        SQLite's or the server's own words kept as they are). ``period``: said where the
        reader chose a period (the figures): a question that took too long advises a
        shorter one (:func:`~reactieveld.i18n.for_a_period`)."""
        from reactieveld.i18n import in_language

        return in_language(str(self.for_a_period() if period else self), language)

    def for_a_period(self) -> StoreError:
        """This error as said where the reader chose a period (the figures): the same
        kind of error (its class, whether a later try can help) advising a shorter period
        (:func:`~reactieveld.i18n.for_a_period`); itself when no advice fits."""
        from reactieveld.i18n import for_a_period

        message = str(self)
        advised = for_a_period(message)
        if advised == message:
            return self
        kept = copy.copy(self)  # its class and attributes; no traceback, no cause
        kept.args = (advised,)
        return kept


@dataclass(frozen=True)
class Keyset:
    """A position in an ordered list: the (created_at, id) of a row."""

    created_at: datetime
    id: int


@dataclass(frozen=True)
class QueueFilter:
    """Which responses a queue shows. Empty tuples and None mean "no restriction"."""

    triage: TriageState | None = None
    statuses: tuple[RemoteStatus, ...] = ()
    sources: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()  # any of these question codes
    roles: tuple[str, ...] = ()  # any of these role codes
    untagged: bool = False  # no question tag at all
    text: str | None = None  # full-text query (FTS5, words ANDed)
    since: datetime | None = None
    until: datetime | None = None
    thread: tuple[str, str] | None = None  # (source, thread external id)
    author_key: str | None = None
    #: Only responses the platform's own users reported (flagged), issue 16.
    reported: bool = False
    #: Only responses a moderation rule flagged and no moderator decided yet (issue 16).
    flagged: bool = False
    #: The Second coding queue of this coder (issue 14): responses of the double-coding
    #: sample another moderator coded first that this coder has not finished coding.
    #: Its rows carry this coder's own coding as questions and role, not the tags (blind).
    second_coding: str | None = None
    #: The Disagreements queue (issue 14): double-coded responses whose counted codings
    #: differ (a question or the role) and that no moderator resolved yet.
    disagreements: bool = False
    #: Whose view of the tags ``questions``, ``roles`` and ``untagged`` match (issue 14):
    #: a response this coder sees blind (another coded it first, theirs is not done) is
    #: matched by this coder's own coding, never by the tags (the first coder's). Set by
    #: the stores from their ``coder`` (store/codings.py ``viewed``), not by callers.
    coder: str | None = None


@dataclass(frozen=True)
class Claim:
    """A moderator's lease on a response: ``actor`` has it open until ``until`` (aware UTC).
    An expired claim counts as absent everywhere: it never hides a row or blocks anyone."""

    actor: str
    until: datetime


@dataclass(frozen=True)
class QueueRow:
    """One row of a queue: the response with what the queue shows beside it."""

    response: Response
    thread_title: str | None
    questions: tuple[str, ...]  # question codes, sorted
    role: str | None
    outbox_state: str | None = None  # latest outbox state for this response, if any
    #: Changes so far to the row's state (status, triage, tags, role, notes, reply, and a
    #: sync's change of remote status or text). Only ever compared for equality: an
    #: action given ``seen={id: version}`` is refused when the row has moved on since.
    version: int = 1
    #: The unexpired claim on it, if any (whoever holds it). A lease, not the row's state:
    #: not compared, so a row read before and after someone opened it is the same row
    #: (the app's own claim is written just after its rows are read).
    claim: Claim | None = field(default=None, compare=False)
    #: The moderation rules whose flags on it are open (issue 16): the Flagged queue's
    #: reason, shown on the row. Empty when no rule flagged it or a moderator decided.
    flags: tuple[str, ...] = ()
    #: Shown to a later coder of the double-coding sample who has not finished their own
    #: coding of it: ``questions`` and ``role`` are theirs, not the tags (store/codings.py
    #: ``blinded``), and the others' codings stay off the screen.
    blind: bool = False

    @property
    def keyset(self) -> Keyset:
        assert self.response.id is not None
        return Keyset(self.response.created_at, self.response.id)


@dataclass(frozen=True)
class SearchHit:
    """A full-text hit."""

    row: QueueRow
    rank: float | None  # None when the query was answered newest-first (a common word)


Direction = Literal["older", "newer"]


@dataclass(frozen=True)
class ChangeSet:
    """Responses another connection (another moderator, another app) changed since the
    last set: ids only, never text, so PostgreSQL's NOTIFY payload can carry it as it is.
    One set may coalesce many commits; ``by`` names who made them (sorted, distinct)."""

    ids: tuple[int, ...] = ()
    by: tuple[str, ...] = ()
    #: Changes may have been missed (the subscription was lost and stands again): what
    #: shows the memory is read again, whichever rows it holds.
    everything: bool = False
    #: Sources another process's sync stored something of (new or changed rows, the end
    #: of a round): the queue, the counts and the sources' state are read again.
    sources: tuple[str, ...] = ()
    #: Of :attr:`sources`, the threads (source, thread's id on its platform) whose rows
    #: that sync stored (PostgreSQL: as its notices name them; SQLite: its new rows'
    #: threads). A source of :attr:`sources` without one stored no row (a round's end
    #: alone). ``(source, None)``: threads not known (on SQLite a page that moved the
    #: cursor may have changed stored rows, which another process's sync does not
    #: journal; an older app's notice). None: not told. An open thread reads itself
    #: again only when its own is among them, or they are not known.
    threads: tuple[tuple[str, str | None], ...] | None = None
    #: The subscription was lost and cannot stand again now: the memory is away (a
    #: team's server stopped or out of reach). Said once until it stands again.
    away: bool = False

    def __bool__(self) -> bool:
        return bool(self.ids) or self.everything or bool(self.sources) or self.away


#: The most responses the author's pile marks at once: a decision on them is one
#: transaction, and a pile this large is a case for the platform's own tools.
PILE_LIMIT = 1000


#: How often a SQLite store asks whether another connection wrote (seconds). ``PRAGMA
#: data_version`` is one cheap statement; 0.25 s keeps another moderator's decision on
#: screen well within a second.
LIVE_POLL_SECONDS = 0.25


# -- read-side protocols: what the dashboard, search, reports and sinks ask the store ----
# Their SQL lives in this package (figures.py, search.py, records.py, sinks.py), so a
# second backend implements these and nothing above the store knows which one it talks to.


class FiguresStore(Protocol):
    """The dashboard's aggregates, each one query on the store."""

    async def source_names(self) -> list[str]: ...
    async def dialogue_figures(self, query: FigureQuery) -> FigureCounts: ...
    async def count_by_role(self, flt: QueueFilter) -> dict[str | None, int]: ...
    async def rule_tallies(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[RuleTally]: ...


class SearchStore(Protocol):
    """Search beyond :meth:`Store.search`: filters alone newest first, counting matches."""

    async def source_states(self) -> list[SourceState]: ...
    async def search(
        self, query: str, flt: QueueFilter | None = None, *, limit: int = 50
    ) -> list[SearchHit]: ...
    async def count(self, flt: QueueFilter) -> int: ...
    async def newest(
        self, flt: QueueFilter, *, after: Keyset | None = None, limit: int = 100
    ) -> list[QueueRow]: ...
    async def count_matches(self, words: str, flt: QueueFilter, *, cap: int) -> int: ...


class RecordStore(Protocol):
    """What a report record adds to queue rows."""

    async def record_contexts(self, ids: Sequence[int]) -> dict[int, RecordContext]: ...


class AuthorNamesStore(Protocol):
    """Every author name the memory holds: the names a redacted export replaces wherever
    they are written (reports/redact.py), read once per export."""

    async def author_names(self) -> tuple[str, ...]:
        """Every distinct, non-blank author name of every stored response, sorted."""
        ...


class ExportStore(RecordStore, Protocol):
    """Report records, a keyset page at a time."""

    async def queue(
        self,
        flt: QueueFilter,
        *,
        after: Keyset | None = None,
        limit: int = 50,
        direction: Direction = "older",
    ) -> list[QueueRow]: ...


class AgreementStore(Protocol):
    """What the intercoder agreement reads (issue 14; ``reactieveld agreement``)."""

    async def codings(self, flt: QueueFilter) -> list[Coding]:
        """Every coder's coding of the double-coded responses ``flt`` matches (those
        with at least two codings), by response and then in the order they were coded."""
        ...

    async def response_codings(self, response_id: int) -> list[Coding]:
        """The counted codings of one response (the first coder's, the later ones once
        done), in the order they were coded: what the Disagreements view sets side by
        side."""
        ...


class ReportStore(ExportStore, AgreementStore, AuthorNamesStore, Protocol):
    """What the report writers ask: records, counts, counts per role, and the codings
    of double-coded responses (the Markdown report's agreement line)."""

    async def count(self, flt: QueueFilter) -> int: ...
    async def count_by_role(self, flt: QueueFilter) -> dict[str | None, int]: ...


class DecisionStore(AuthorNamesStore, Protocol):
    """The statement-of-reasons log (issue 16): the journal's decisions, a page at a
    time in journal order (SQL in store/decisions.py, one text for both backends)."""

    async def decisions(
        self, flt: QueueFilter, *, after: int = 0, limit: int = 500
    ) -> list[DecisionRecord]: ...


class SinkStore(RecordStore, Protocol):
    """The memory sinks' position in the journal and their delivery queue (migration 0003)."""

    async def get_many(self, ids: Sequence[int]) -> list[QueueRow]: ...
    async def sinks_start(self, sinks: Sequence[str]) -> str: ...
    async def sink_entries(
        self, sink: str, *, limit: int
    ) -> tuple[SinkPosition, list[JournalRef]]: ...
    async def sink_advance(
        self,
        sink: str,
        *,
        expected: SinkPosition,
        to: SinkPosition,
        response_ids: Sequence[int],
        plan: Callable[[Mapping[int, str]], Sequence[SinkDelivery]],
        at: datetime,
    ) -> int | None: ...
    async def sink_prune(self) -> int: ...
    async def sink_due(self, sink: str, *, limit: int = 50) -> list[SinkDue]: ...
    async def sink_mark_done(self, delivery_id: int, *, at: datetime) -> None: ...
    async def sink_mark_failed(self, delivery_id: int, *, error: str | None) -> None: ...
    async def sink_mark_retry(
        self, delivery_id: int, *, error: str | None, next_attempt_at: datetime
    ) -> None: ...
    async def sink_queue(self, sink: str) -> list[SinkQueued]: ...


class Store(
    FiguresStore, SearchStore, ReportStore, SinkStore, DecisionStore, AgreementStore, Protocol
):
    """The organisation's memory. :class:`reactieveld.store.sqlite.SqliteStore` is one.
    It answers the read-side protocols above too, so a second backend implements this
    one interface."""

    codebook_version: str
    #: Nothing can be changed through this store (a file that cannot be written, a
    #: PostgreSQL reader's role, or opened so); every write raises StoreError.
    read_only: bool
    #: Whose rows these are where double coding is blind (issue 14, store/codings.py
    #: ``blinded`` and ``viewed``): the acting moderator; empty: the tags, as ever.
    coder: str

    async def close(self) -> None: ...
    async def kept_author_secret(self) -> str | None: ...
    def read_only_reason(self, language: str = "en") -> str | None:
        """Why nothing can be changed (None when it can), one line in ``language``."""
        ...

    # -- sources and sync -------------------------------------------------------------
    async def ensure_source(self, source: Source) -> None: ...
    async def source_state(self, name: str) -> SourceState | None: ...
    async def source_states(self) -> list[SourceState]: ...
    async def begin_round(self, name: str) -> tuple[int | None, SourceState | None]:
        """Begin a sync round of source ``name``: its number (the next of the source's,
        whichever process begins it) and the source's state to sync from; (None, None)
        when the source is not registered."""
        ...

    async def record_sync(
        self,
        name: str,
        *,
        error: str | None = None,
        next_try: datetime | None = None,
        by: str | None = None,
        round_no: int | None = None,
    ) -> bool:
        """Record the end of round ``round_no`` (:meth:`begin_round`; None: a round that
        never began, counted as the newest): False when the source holds the end of a
        newer round, which stands (see :func:`reactieveld.store.sources.record_sync_sql`)."""
        ...

    async def upsert_page(
        self, source: str, page: Page, *, rules: RuleSet | None = None, hold_write_back: bool = True
    ) -> UpsertResult:
        """Store one page and its cursor in one transaction (see SqliteStore). ``rules``:
        applied in that transaction to every response new or changed by the page (issue
        16); a hold rule's hold is written back when ``hold_write_back``."""
        ...

    # One sync per source (issue 13): ``async with store.source_lock(name) as mine``;
    # False: another process syncs it (skip this round). SQLite: always True.
    def source_lock(self, name: str) -> AbstractAsyncContextManager[bool]: ...
    # Of ``names``, the sources another process syncs now (for ``reactieveld sources``).
    async def syncing_elsewhere(self, names: Sequence[str]) -> set[str]: ...

    # -- reading (queue: from ExportStore) -------------------------------------------
    async def count(self, flt: QueueFilter) -> int: ...
    # Optional: ``count_by_state(flt) -> {(triage, remote_status): n}``, the queue tabs
    # under a filter from one pass (SqliteStore has it; the app falls back to ``count``).
    async def counts(self) -> Counts: ...
    async def get(self, response_id: int) -> QueueRow | None: ...
    async def get_by_external(self, source: str, external_id: str) -> QueueRow | None: ...
    async def thread(self, source: str, thread_external_id: str) -> Thread | None: ...
    async def thread_rows(self, source: str, thread_external_id: str) -> list[QueueRow]: ...
    async def tags(self, response_id: int) -> list[Tag]: ...
    async def notes(self, response_id: int) -> list[Note]: ...
    async def journal(
        self, response_id: int | None = None, *, limit: int = 100
    ) -> list[JournalEntry]: ...
    async def changed_since(self, seen: Mapping[int, int]) -> dict[int, ChangedSince]:
        """Who changed the responses of ``seen`` (id -> the version a moderator saw)
        since: the moderators whose journal entries came after, the source whose platform
        changed them (seen by a sync), or the decision a write-back made; the ones not
        changed since are left out (store/changes.py)."""

    async def search(
        self, query: str, flt: QueueFilter | None = None, *, limit: int = 50
    ) -> list[SearchHit]: ...
    async def author_count(self, row: QueueRow) -> int: ...
    async def author_pending(self, row: QueueRow, *, limit: int = ...) -> list[QueueRow]:
        """Every response by ``row``'s author not handled yet, ``row`` included (author
        key across sources, else name within the source), newest first: the pile one
        decision settles (issue 16); at most ``limit`` (:data:`PILE_LIMIT`)."""

    async def rule_flags(self, response_id: int) -> list[RuleFlag]:
        """The moderation rules' flags on a response, oldest first."""
        ...

    async def rule_tallies(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[RuleTally]:
        """Per rule, its flags made in [since, until): caught, misfired, upheld, open."""
        ...

    async def texts(self, *, after: int = 0, limit: int = 500) -> list[tuple[int, str, str | None]]:
        """(id, body text, the thread's title where the response's author wrote it, else
        None) of stored responses by id after ``after`` (``rules test``)."""
        ...

    # -- moderator actions: each is one transaction (state + journal + outbox) ---------
    async def moderate(
        self,
        ids: Sequence[int],
        status: RemoteStatus,
        *,
        actor: str,
        write_back: bool = True,
        seen: Mapping[int, int] | None = None,
        reason: DecisionReason | None = None,
    ) -> ActionOutcome: ...
    async def resends(self, ids: Sequence[int], what: RemoteStatus | Capability) -> ResendPlan:
        """What a decision on ``what`` (a status; ``Capability.REPLY``: a reply) pressed
        again on ``ids`` does (:class:`ResendPlan`): the responses it would send again,
        each with the reason recorded with the decision it retries (None: it had none; a
        resend keeps that reason, :meth:`moderate`, so only one without needs asking), and
        those it does not send because no resend can succeed, each with why."""
        ...

    async def mark_handled(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome: ...
    async def toggle_question(
        self,
        ids: Sequence[int],
        code: str,
        *,
        actor: str,
        seen: Mapping[int, int] | None = None,
        settle: bool = False,
    ) -> ActionOutcome:
        """``settle`` (the Disagreements queue, issue 14): the response's tags change,
        never a coding, whoever coded it first."""
        ...

    async def set_role(
        self,
        ids: Sequence[int],
        code: str | None,
        *,
        actor: str,
        seen: Mapping[int, int] | None = None,
        settle: bool = False,
    ) -> ActionOutcome: ...
    async def resolve_disagreements(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """The differences between the coders of ``ids`` are resolved (issue 14): their
        tags as they are now are the final ones, journalled (kind ``resolve``, the tags in
        ``after``) with who resolved it; they leave the Disagreements queue. Undo reopens.
        Responses without an open difference are left alone."""
        ...

    async def finish_coding(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """``actor``'s own coding of double-coded responses another coded first is done."""
        ...

    async def add_note(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome: ...
    async def reply(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome: ...
    async def undo_last(self, *, actor: str) -> ActionOutcome: ...

    # -- claims (a lease per response; ``seen`` above is the other half) ---------------
    async def claim(self, response_id: int, *, actor: str, minutes: float) -> Claim | None:
        """Take or renew ``actor``'s lease on a response for ``minutes``; the OTHER
        moderator's claim (nothing changed) when someone else holds an unexpired one."""
        ...

    async def release(self, response_id: int | None, *, actor: str) -> None:
        """Drop ``actor``'s claim on a response (None: all of them, e.g. on quitting)."""
        ...

    # -- outbox -----------------------------------------------------------------------
    async def outbox_due(self, *, limit: int = 20) -> list[OutboxItem]: ...
    # An outcome recorded by the outbox worker that took the row (``held=True``) changes
    # nothing (False) when this store holds the row no longer: its lease ran out while the
    # worker waited for the site's answer, and another program took it over.
    async def outbox_done(
        self,
        item_id: int,
        *,
        remote_status: RemoteStatus | None,
        external_id: str | None,
        held: bool = False,
    ) -> bool: ...
    async def outbox_retry(
        self,
        item_id: int,
        *,
        error: str,
        next_attempt_at: datetime,
        unsure: bool = False,
        held: bool = False,
    ) -> bool: ...
    async def outbox_fail(
        self,
        item_id: int,
        *,
        error: str,
        conflict: bool = False,
        remote_status: RemoteStatus | None = None,
        kind: str | None = None,
        held: bool = False,
    ) -> bool: ...
    async def outbox_items(
        self, *, states: Sequence[str] = (), limit: int = 100, response_id: int | None = None
    ) -> list[OutboxItem]: ...
    async def enqueue(self, action: Action, *, response_id: int | None = None) -> int: ...

    # -- meta -------------------------------------------------------------------------
    async def meta(self) -> Mapping[str, Any]: ...

    # -- live between moderators, and who acts (issue 13) --------------------------------
    async def whoami(self) -> str | None:
        """The moderator the store itself knows (PostgreSQL: ``session_user``); None when
        the caller says who acts (SQLite: ``[ui] moderator`` or the OS user)."""
        ...

    def changes(
        self, *, interval: float = LIVE_POLL_SECONDS, ready: Any | None = None
    ) -> AsyncIterator[ChangeSet]:
        """The responses OTHER connections change, as they commit, coalesced: for the app
        to re-read those rows. ``ready`` (an ``asyncio.Event``) is set once the
        subscription stands: commits after that are all seen. ``interval``: the polling
        period where the backend polls (SQLite); PostgreSQL listens instead."""
        ...
