"""Who changed responses after a moderator saw them (issue 13), both backends: the "who"
of a kept row ("anna: spam", "blog: changed on the site") and of a refused action.

Decided from what the store knows, not from which path told the app of the change: each
journal entry holds the version it made (``actions.version``), and ``responses.
site_version`` the version the platform's last change made, seen by a sync (migrations
0016 and pg 0009). Against the version the moderator saw: a later entry is a moderator's
change, a later ``site_version`` the platform's; a version that moved with neither is a
write-back the platform answered with another status (the decision behind it is told by
the outbox), or, for what was stored before the columns, not known."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reactieveld.store.rows import placeholders
from reactieveld.store.values import ChangedSince

#: The parts of :func:`changed_since`'s answer, each a statement over the ids (``?``
#: placeholders, both backends): the rows now, the journal entries that carry a version
#: (newest first) and the decisions whose write-back the platform applied (newest first).
ROWS_SQL = (
    "SELECT r.id, r.version, r.site_version, s.name FROM responses r "
    "JOIN sources s ON s.id = r.source_id WHERE r.id IN {ids}"
)
ENTRIES_SQL = (
    "SELECT response_id, actor, version FROM actions WHERE response_id IN {ids} "
    "AND version IS NOT NULL ORDER BY id DESC"
)
WRITTEN_SQL = (
    "SELECT o.response_id, a.actor FROM outbox o JOIN actions a ON a.id = o.journal_id "
    "WHERE o.response_id IN {ids} AND o.state = 'done' ORDER BY o.id DESC"
)


async def changed_since(
    seen: Mapping[int, int],
    fetch: Callable[[str, Sequence[int]], Any],
) -> dict[int, ChangedSince]:
    """Who changed each response of ``seen`` (id -> the version the moderator saw) since;
    ``fetch(sql, ids)``: the backend's rows of one of the statements above. A response
    not changed since (or gone) is left out."""
    ids = sorted(seen)
    if not ids:
        return {}
    where = placeholders(ids)
    rows = {r[0]: tuple(r[1:]) for r in await fetch(ROWS_SQL.format(ids=where), ids)}
    moved = [i for i in ids if i in rows and rows[i][0] != seen[i]]
    if not moved:
        return {}
    where = placeholders(moved)
    by: dict[int, list[str]] = {i: [] for i in moved}
    newest: dict[int, int] = {}
    for rid, actor, version in await fetch(ENTRIES_SQL.format(ids=where), moved):
        if version > seen[rid]:
            newest.setdefault(rid, version)
            if actor not in by[rid]:
                by[rid].append(actor)
    written: dict[int, str] = {}
    if any(not by[i] and not _site_since(rows[i], seen[i]) for i in moved):
        for rid, actor in await fetch(WRITTEN_SQL.format(ids=where), moved):
            written.setdefault(rid, actor)
    out: dict[int, ChangedSince] = {}
    for rid in moved:
        _, site_version, source = rows[rid]
        site = _site_since(rows[rid], seen[rid])
        out[rid] = ChangedSince(
            rid,
            by=tuple(by[rid]),
            site=source if site else None,
            site_last=site and site_version > newest.get(rid, 0),
            written_back=None if by[rid] or site else written.get(rid),
        )
    return out


def _site_since(row: tuple[Any, ...], seen: int) -> bool:
    """Whether the platform changed the row (``(version, site_version, source)``) after
    the moderator saw version ``seen``."""
    return row[1] is not None and row[1] > seen
