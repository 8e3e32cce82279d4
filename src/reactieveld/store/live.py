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
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from reactieveld.store.base import ChangeSet

#: At most this many journal rows are read per poll; the rest come at the next poll
#: (a batch of thousands of decisions by another moderator arrives in a few sets).
POLL_ROWS = 5000


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
    sources: dict[str, tuple[object, ...]] = field(default_factory=dict)
    newest: int = 0

    @property
    def started(self) -> bool:
        return self.version is not None


def poll(db: sqlite3.Connection, cursor: LiveCursor) -> ChangeSet:
    """One poll on ``db`` (runs on the store's thread). The first poll only takes the
    current position: what was there before the subscription is not a change."""
    version = int(db.execute("PRAGMA data_version").fetchone()[0])
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
    return ChangeSet(tuple(ids), tuple(sorted(by)), sources=_synced(db, cursor))


def _synced(db: sqlite3.Connection, cursor: LiveCursor) -> tuple[str, ...]:
    """The sources another connection's sync stored something of since the last poll:
    new responses (ids past the last poll's highest, a range of the primary key) or a
    changed bookkeeping row (a round's end, a page's cursor)."""
    names = {
        str(n)
        for (n,) in db.execute(
            "SELECT DISTINCT s.name FROM responses r JOIN sources s ON s.id = r.source_id "
            "WHERE r.id > ?",
            (cursor.newest,),
        )
    }
    cursor.newest = _newest(db)
    sources = _sources(db)
    names.update(n for n, row in sources.items() if cursor.sources.get(n) != row)
    cursor.sources = sources
    return tuple(sorted(names))


def _sources(db: sqlite3.Connection) -> dict[str, tuple[object, ...]]:
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
