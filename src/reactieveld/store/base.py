"""The memory store's protocol and the value types of its queries.

Every list is keyset-paginated on ``(created_at, id)``: a :class:`Keyset` names the last
row a caller has, and the next call continues after it, so rows inserted meanwhile never
shift or repeat a page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from reactieveld.model import (
    Action,
    JournalEntry,
    Note,
    OutboxItem,
    Page,
    RemoteStatus,
    Response,
    Source,
    Tag,
    Thread,
    TriageState,
)


class StoreError(Exception):
    """The store cannot do what was asked (e.g. a newer schema than this program knows)."""


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


@dataclass(frozen=True)
class QueueRow:
    """One row of a queue: the response with what the queue shows beside it."""

    response: Response
    thread_title: str | None
    questions: tuple[str, ...]  # question codes, sorted
    role: str | None
    outbox_state: str | None = None  # latest outbox state for this response, if any

    @property
    def keyset(self) -> Keyset:
        assert self.response.id is not None
        return Keyset(self.response.created_at, self.response.id)


@dataclass(frozen=True)
class UpsertResult:
    """What storing one page changed."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SourceState:
    """A source's sync bookkeeping, kept in the store."""

    name: str
    type: str
    cursor: str | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_try: datetime | None = None
    #: Texts stored repaired since the source was added: code points UTF-8 cannot hold
    #: (a lone surrogate from a platform's JSON) replaced by U+FFFD.
    repaired: int = 0


@dataclass(frozen=True)
class Counts:
    """Counts for the queue tabs and the dashboard."""

    total: int = 0
    by_triage: Mapping[str, int] = field(default_factory=dict)
    by_status: Mapping[str, int] = field(default_factory=dict)
    by_source: Mapping[str, int] = field(default_factory=dict)
    by_question: Mapping[str, int] = field(default_factory=dict)
    by_role: Mapping[str, int] = field(default_factory=dict)
    untagged: int = 0
    outbox_pending: int = 0
    outbox_conflicts: int = 0


@dataclass(frozen=True)
class ActionOutcome:
    """What one moderator action did: the journal entries written and outbox rows queued."""

    journal_ids: tuple[int, ...] = ()
    outbox_ids: tuple[int, ...] = ()
    changed: int = 0


@dataclass(frozen=True)
class SearchHit:
    """A full-text hit."""

    row: QueueRow
    rank: float | None  # None when the query was answered newest-first (a common word)


@dataclass(frozen=True)
class PastWork:
    """Moderator work on one response that happened earlier, with its own time (for
    :meth:`SqliteStore.record_history`): question tags and a role at ``at``, then the
    decision (``status``; None: handled without a status change), then a note."""

    external_id: str
    at: datetime
    actor: str
    status: RemoteStatus | None = None
    questions: tuple[str, ...] = ()
    role: str | None = None
    note: str | None = None


Direction = Literal["older", "newer"]


class Store(Protocol):
    """The organisation's memory. :class:`reactieveld.store.sqlite.SqliteStore` is one."""

    codebook_version: str

    async def close(self) -> None: ...

    # -- sources and sync -------------------------------------------------------------
    async def ensure_source(self, source: Source) -> None: ...
    async def source_state(self, name: str) -> SourceState | None: ...
    async def source_states(self) -> list[SourceState]: ...
    async def record_sync(
        self,
        name: str,
        *,
        error: str | None = None,
        next_try: datetime | None = None,
    ) -> None: ...
    async def upsert_page(self, source: str, page: Page) -> UpsertResult: ...

    # -- reading ----------------------------------------------------------------------
    async def queue(
        self,
        flt: QueueFilter,
        *,
        after: Keyset | None = None,
        limit: int = 50,
        direction: Direction = "older",
    ) -> list[QueueRow]: ...
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
    async def search(
        self, query: str, flt: QueueFilter | None = None, *, limit: int = 50
    ) -> list[SearchHit]: ...
    async def author_count(self, row: QueueRow) -> int: ...

    # -- moderator actions: each is one transaction (state + journal + outbox) ---------
    async def moderate(
        self,
        ids: Sequence[int],
        status: RemoteStatus,
        *,
        actor: str,
        write_back: bool = True,
    ) -> ActionOutcome: ...
    async def mark_handled(self, ids: Sequence[int], *, actor: str) -> ActionOutcome: ...
    async def toggle_question(
        self, ids: Sequence[int], code: str, *, actor: str
    ) -> ActionOutcome: ...
    async def set_role(
        self, ids: Sequence[int], code: str | None, *, actor: str
    ) -> ActionOutcome: ...
    async def add_note(self, response_id: int, text: str, *, actor: str) -> ActionOutcome: ...
    async def reply(self, response_id: int, text: str, *, actor: str) -> ActionOutcome: ...
    async def undo_last(self, *, actor: str) -> ActionOutcome: ...

    # -- outbox -----------------------------------------------------------------------
    async def outbox_due(self, *, limit: int = 20) -> list[OutboxItem]: ...
    async def outbox_done(
        self, item_id: int, *, remote_status: RemoteStatus | None, external_id: str | None
    ) -> None: ...
    async def outbox_retry(
        self, item_id: int, *, error: str, next_attempt_at: datetime
    ) -> None: ...
    async def outbox_fail(self, item_id: int, *, error: str, conflict: bool = False) -> None: ...
    async def outbox_items(
        self, *, states: Sequence[str] = (), limit: int = 100
    ) -> list[OutboxItem]: ...
    async def enqueue(self, action: Action, *, response_id: int | None = None) -> int: ...

    # -- meta -------------------------------------------------------------------------
    async def meta(self) -> Mapping[str, Any]: ...
