"""Responses out of the memory, one keyset page at a time, with tags, notes and provenance.

Reports and sinks never load the whole memory: :func:`iter_rows` walks a queue filter
oldest first in pages of ``page_size`` (keyset on ``(created_at, id)``), and
:func:`records` adds what a page's rows lack (every tag with its codebook version and
who made it, the notes, the thread's url, the source type) in one query per page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.model import TagKind
from reactieveld.store.base import (
    ExportStore,
    Keyset,
    QueueFilter,
    QueueRow,
    RecordStore,
)
from reactieveld.store.values import RecordContext, RecordNote

PAGE_SIZE = 500


async def iter_rows(
    store: ExportStore, flt: QueueFilter, *, page_size: int = PAGE_SIZE
) -> AsyncIterator[list[QueueRow]]:
    """Pages of the rows a filter matches, oldest first (each page oldest first)."""
    after: Keyset | None = None
    while True:
        if after is None:
            # The oldest page: "newer than the beginning of time".
            after = Keyset(datetime(1970, 1, 1, tzinfo=UTC), 0)
        rows = await store.queue(flt, after=after, limit=page_size, direction="newer")
        if not rows:
            return
        rows = rows[::-1]  # the store answers newest first
        yield rows
        if len(rows) < page_size:
            return
        after = rows[-1].keyset


@dataclass(frozen=True)
class TagInfo:
    """A tag as exported: code, label, codebook version, when and by whom."""

    code: str
    label: str
    codebook_version: str
    tagged_at: datetime | None
    actor: str


@dataclass(frozen=True)
class Extra:
    """What a queue row lacks for an export."""

    questions: tuple[TagInfo, ...] = ()
    role: TagInfo | None = None
    #: The store's notes as they are (text, actor, when): a report adds nothing to them.
    notes: tuple[RecordNote, ...] = ()
    thread_url: str | None = None
    source_type: str | None = None
    source_url: str | None = None
    #: The authors the response may name (its own, its parent's, its thread's): redacted.
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    """One response for an export or a sink."""

    row: QueueRow
    extra: Extra = field(default_factory=Extra)


def _code_order(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (10**9, code)


async def extras(
    store: RecordStore, rows: Sequence[QueueRow], codebook: Codebook, language: str
) -> dict[int, Extra]:
    """Tags, notes, thread url and source type of the rows, in one hop."""
    ids = [r.response.id for r in rows if r.response.id is not None]
    if not ids:
        return {}

    contexts = await store.record_contexts(ids)
    out = {}
    for rid in ids:
        context = contexts.get(rid) or RecordContext()
        questions, role = [], None
        for tg in context.tags:
            info = TagInfo(
                tg.code,
                codebook.label(TagKind(tg.kind), tg.code, language),
                tg.codebook_version,
                tg.at,
                tg.actor,
            )
            if tg.kind == TagKind.QUESTION.value:
                questions.append(info)
            else:
                role = info
        questions.sort(key=lambda t: _code_order(t.code))
        out[rid] = Extra(
            tuple(questions),
            role,
            context.notes,
            context.thread_url,
            context.source_type,
            context.source_url,
            context.names,
        )
    return out


async def iter_records(
    store: ExportStore,
    flt: QueueFilter,
    *,
    codebook: Codebook = DEFAULT_CODEBOOK,
    language: str = "nl",
    page_size: int = PAGE_SIZE,
) -> AsyncIterator[Record]:
    """Records of the rows a filter matches, oldest first, a page at a time."""
    async for rows in iter_rows(store, flt, page_size=page_size):
        more = await extras(store, rows, codebook, language)
        for row in rows:
            yield Record(row, more.get(row.response.id or 0, Extra()))
