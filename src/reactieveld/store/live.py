"""Live between connections on one SQLite file: which responses did another connection
change since we last looked?

``PRAGMA data_version`` changes only when ANOTHER connection commits (never for this
connection's own commits), and costs one statement without reading a page: the poll is
nearly free while nobody else writes. When it moved, the journal's new rows
(``actions.id > last``) name the responses and who changed them; this connection's own
journal rows (written between two polls) are left out by their ids.

Claims are not journalled, so they are compared instead: the claims table (as small as
the number of responses open in some app) as (response, moderator) pairs against the
last poll's; a pair that came or went names its response, unless the moderator is one
this connection claims as (its own opening and leaving are not another's change). A
renewal keeps its pair: it is no change to anyone.

A sync in another process (the team's ``reactieveld sync``, a second app) journals
nothing: its pages show as responses past the last poll's highest id, and its rounds
(and pages that move the cursor) as a changed row of ``sources``; either names the
source (:attr:`ChangeSet.sources`), so the app reads its window, counts and the
sources' state again.

Another store of this process on the same file (the app's sync engine's, a connection
of its own so that its pages never queue behind a key) is another connection to SQLite
too: its pages and rounds would be heard here as well as through the engine's events,
and refresh twice. Told of it (:meth:`LiveCursor.hear_not`), this connection leaves out
what that store wrote: each of its transactions notes in its :class:`Ledger` what it
added (journal and response ids, ranges of the primary keys, since nobody else writes
under ``BEGIN IMMEDIATE``) and how it moved each source's bookkeeping row; a poll takes
those notes under the ledger's lock, which that store holds from its ``COMMIT`` until
its note is made, so a poll sees a commit together with its note or neither.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reactieveld.store.base import ChangeSet

if TYPE_CHECKING:
    from reactieveld.store.values import Written

#: At most this many journal rows are read per poll; the rest come at the next poll
#: (a batch of thousands of decisions by another moderator arrives in a few sets).
POLL_ROWS = 5000
#: Above every id: the open end of a range of response ids.
_NO_END = 2**63 - 1

#: A source's sync bookkeeping row, as :func:`_sources` reads it.
SourceRow = tuple[object, ...]


#: Where a store stood at a point of a transaction: the highest journal id, the highest
#: response id and each source's bookkeeping row. A plain tuple, not a class: only a
#: store that another store of its process hears not (:meth:`LiveCursor.hear_not`, where
#: sources are configured) makes one, and a dataclass costs ~3 M instructions to create
#: at import, before the app's first frame (tests/test_first_frame_imports.py).
_Mark = tuple[int, int, dict[str, SourceRow]]


def _mark(db: sqlite3.Connection) -> _Mark:
    top = db.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0]
    return int(top), _newest(db), _sources(db)


class Ledger:
    """What a store commits, noted for the other stores of its process that are told
    not to hear it (:meth:`LiveCursor.hear_not`). Each hearer has an inbox of
    :class:`Written`; the lock is held from a ``COMMIT`` until its note is in them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._inboxes: list[list[Written]] = []

    def inbox(self) -> list[Written]:
        """A new hearer's inbox (read and emptied under :attr:`lock`)."""
        with self.lock:
            box: list[Written] = []
            self._inboxes.append(box)
            return box

    def begin(self, db: sqlite3.Connection) -> _Mark | None:
        """Where the store stands at the start of its transaction (after ``BEGIN
        IMMEDIATE``: nobody else writes until it ends); None when nobody hears it not."""
        return _mark(db) if self._inboxes else None

    def commit(self, db: sqlite3.Connection, begun: _Mark | None) -> None:
        """``COMMIT`` the transaction begun at ``begun`` (:meth:`begin`) and note what it
        added, both under the lock."""
        if begun is None:
            db.execute("COMMIT")
            return
        # Written lives with the store's values (store/values.py): made only when
        # another store hears this one not, never before the app's first frame.
        from reactieveld.store.values import Written

        journal, responses, rows = begun
        now_journal, now_responses, now_rows = _mark(db)
        written = Written(
            (journal, now_journal),
            (responses, now_responses),
            tuple(
                (name, rows.get(name), row)
                for name, row in now_rows.items()
                if rows.get(name) != row
            ),
        )
        with self.lock:
            db.execute("COMMIT")
            for box in self._inboxes:
                box.append(written)


@dataclass
class LiveCursor:
    """Where a connection's subscription stands: the last ``data_version`` and journal
    id seen, and the journal ids this connection wrote itself since then."""

    version: int | None = None
    last: int = 0
    mine: set[int] = field(default_factory=set)
    #: The claims at the last poll, as (response id, moderator) pairs.
    claims: frozenset[tuple[int, str]] = frozenset()
    #: The moderators this connection claimed or released as (its own app's).
    claimers: set[str] = field(default_factory=set)
    #: The sources' sync bookkeeping at the last poll, and the highest response id then.
    sources: dict[str, SourceRow] = field(default_factory=dict)
    newest: int = 0
    #: The ledgers of the stores this connection hears not, with its inbox in each.
    heard_not: list[tuple[Ledger, list[Written]]] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return self.version is not None

    def hear_not(self, ledger: Ledger) -> None:
        """Leave what the store keeping ``ledger`` writes out of the polls (once each)."""
        if all(held is not ledger for held, _ in self.heard_not):
            self.heard_not.append((ledger, ledger.inbox()))

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        # No store heard not commits while a poll reads: its notes match what is read.
        with contextlib.ExitStack() as stack:
            for ledger, _ in self.heard_not:
                stack.enter_context(ledger.lock)
            yield

    def take(self) -> list[Written]:
        """The notes of the stores heard not since the last poll (under their locks)."""
        taken: list[Written] = []
        for _, box in self.heard_not:
            taken.extend(box)
            box.clear()
        return taken


def poll(db: sqlite3.Connection, cursor: LiveCursor) -> ChangeSet:
    """One poll on ``db`` (runs on the store's thread). The first poll only takes the
    current position: what was there before the subscription is not a change. What the
    stores heard not (:meth:`LiveCursor.hear_not`) wrote is left out."""
    with cursor.holding():
        return _poll(db, cursor)


def _poll(db: sqlite3.Connection, cursor: LiveCursor) -> ChangeSet:
    version = int(db.execute("PRAGMA data_version").fetchone()[0])
    theirs = cursor.take()
    if cursor.version is None:
        cursor.version = version
        cursor.last = int(db.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0])
        cursor.mine.clear()
        cursor.claims = _claims(db)
        cursor.sources = _sources(db)
        cursor.newest = _newest(db)
        return ChangeSet()
    if version == cursor.version:
        return ChangeSet()
    for written in theirs:
        cursor.mine.update(range(written.journal[0] + 1, written.journal[1] + 1))
    rows = db.execute(
        "SELECT id, response_id, actor FROM actions WHERE id > ? ORDER BY id LIMIT ?",
        (cursor.last, POLL_ROWS),
    ).fetchall()
    if len(rows) < POLL_ROWS:
        # Caught up: the next poll reads again only after another commit. (With a full
        # read the version is left as it was, so the next poll reads on.)
        cursor.version = version
    ids: dict[int, None] = {}
    by: set[str] = set()
    for journal_id, response_id, actor in rows:
        if journal_id in cursor.mine or response_id is None:
            continue
        ids[int(response_id)] = None
        by.add(str(actor))
    if rows:
        cursor.last = int(rows[-1][0])
        cursor.mine = {i for i in cursor.mine if i > cursor.last}
    claims = _claims(db)
    for response_id, actor in sorted(claims ^ cursor.claims):
        if actor not in cursor.claimers:
            ids[response_id] = None
            by.add(actor)
    cursor.claims = claims
    synced = _synced(db, cursor, theirs)
    threads = {(name, thread) for name, thread in synced if thread != ""}
    return ChangeSet(
        tuple(ids),
        tuple(sorted(by)),
        sources=tuple(sorted({name for name, _ in synced})),
        threads=tuple(sorted(threads, key=lambda x: (x[0], x[1] or ""))),
    )


def _synced(
    db: sqlite3.Connection, cursor: LiveCursor, theirs: list[Written]
) -> set[tuple[str, str | None]]:
    """The sources another connection's sync stored something of since the last poll,
    each with the threads it stored rows of (:attr:`ChangeSet.threads`): new responses
    (ids past the last poll's highest, a range of the primary key: their threads, read
    in the same statement) or a changed bookkeeping row: a page's cursor (its changes to
    stored rows are not told: threads not known, None), a round's end alone (no row: "");
    ``theirs``, what the stores heard not wrote meanwhile, is left out."""
    names: set[tuple[str, str | None]] = set()
    low = cursor.newest
    # The id ranges between theirs: each one range of the primary key.
    for start, end in [*sorted(w.responses for w in theirs), (_NO_END, _NO_END)]:
        if start > low:
            names.update(
                (str(n), None if thread is None else str(thread))
                for n, thread in db.execute(
                    "SELECT DISTINCT s.name, r.thread_external_id FROM responses r "
                    "JOIN sources s ON s.id = r.source_id WHERE r.id > ? AND r.id <= ?",
                    (low, start),
                )
            )
        low = max(low, end)
    cursor.newest = _newest(db)
    sources = _sources(db)
    moves: dict[str, list[tuple[SourceRow | None, SourceRow]]] = {}
    for written in theirs:
        for name, before, after in written.sources:
            moves.setdefault(name, []).append((before, after))
    for name, row in sources.items():
        seen = cursor.sources.get(name)
        # Their moves, in commit order, from the row as last seen: when they lead to the
        # row as it is, nobody else moved it.
        for before, after in moves.get(name, ()):
            if before == seen:
                seen = after
        if seen is None or seen[0] != row[0]:
            names.add((name, None))  # a page moved its cursor: it may have changed rows
        elif seen != row:
            names.add((name, ""))  # a round's end alone: no row changed
    cursor.sources = sources
    return names


def _sources(db: sqlite3.Connection) -> dict[str, SourceRow]:
    return {
        str(row[0]): tuple(row[1:])
        for row in db.execute(
            "SELECT name, cursor, last_success, last_error, last_error_at, next_try, synced_by "
            "FROM sources"
        )
    }


def _newest(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM responses").fetchone()[0])


def _claims(db: sqlite3.Connection) -> frozenset[tuple[int, str]]:
    return frozenset(
        (int(r), str(a)) for r, a in db.execute("SELECT response_id, actor FROM claims")
    )
