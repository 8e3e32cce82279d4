"""Search's own planner: filters without words, newest first along an index, and
counting full-text matches up to a cap. Moved here as it was in ``read/search.py`` (the
query language stays there); it is not the queue's planner (``planner.queue_sql``):
it picks the driving field by the kept counts of every filter field, where the queue's
chooses between a tag and a source driver, so the two are kept apart rather than merged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reactieveld.store.base import Keyset, QueueFilter
from reactieveld.store.rows import placeholders, to_epoch

# -- filters without words: newest first, along an index ------------------------------------

#: Filter fields the SQL below handles; any other (a thread, an author, untagged) goes
#: to the store's own queue query.
_OWN_FIELDS = ("triage", "statuses", "sources", "questions", "roles", "since", "until")


def store_only(flt: QueueFilter) -> bool:
    """Whether ``flt`` sets a field only the store's own queries handle."""
    empty = QueueFilter()
    return any(
        getattr(flt, name) != getattr(empty, name)
        for name in QueueFilter.__dataclass_fields__
        if name not in _OWN_FIELDS
    )


def _source_ids(db: sqlite3.Connection, names: Sequence[str]) -> list[int]:
    sql = f"SELECT id FROM sources WHERE name IN {placeholders(names)}"
    return [row[0] for row in db.execute(sql, list(names))]


@dataclass
class _Sql:
    """Conditions and their parameters, in order."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def where(self, lead: str = " WHERE ") -> str:
        return (lead + " AND ".join(self.clauses)) if self.clauses else ""


def _rest(flt: QueueFilter, source_ids: Sequence[int], driver: str | None) -> _Sql:
    """The filter's conditions on ``r`` other than its driver's. Unary ``+`` keeps SQLite
    from driving by them instead: the driver is chosen by counts (see :func:`_driver`)."""
    w = _Sql()
    if flt.triage is not None and driver != "triage":
        w.add("+r.triage = ?", flt.triage.value)
    if flt.statuses and driver != "statuses":
        w.add(f"+r.remote_status IN {placeholders(flt.statuses)}", *[s.value for s in flt.statuses])
    if flt.sources and driver != "sources":
        w.add(f"+r.source_id IN {placeholders(source_ids)}", *source_ids)
    for kind, codes in (("question", flt.questions), ("role", flt.roles)):
        if codes and driver != f"{kind}s":
            w.add(
                "EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = ? "
                f"AND t.code IN {placeholders(codes)})",
                kind,
                *codes,
            )
    return w


def _driver(
    db: sqlite3.Connection, flt: QueueFilter, source_ids: Sequence[int]
) -> tuple[str | None, list[Any]]:
    """The filter field whose values match the fewest responses (from the kept counts of
    migration 0006), and those values: walking its index newest first and checking the
    rest row by row reads the fewest rows. None: only a date range (the time index)."""
    sizes: dict[str, tuple[int, list[Any]]] = {}
    for name, kind, codes in (
        ("questions", "question", flt.questions),
        ("roles", "role", flt.roles),
    ):
        if codes:
            n = db.execute(
                f"SELECT coalesce(sum(n), 0) FROM tag_counts WHERE kind = ? "
                f"AND code IN {placeholders(codes)}",
                [kind, *codes],
            ).fetchone()[0]
            sizes[name] = (n, list(codes))
    columns = (
        ("statuses", "remote_status", [s.value for s in flt.statuses]),
        ("sources", "source_id", list(source_ids) if flt.sources else []),
        ("triage", "triage", [flt.triage.value] if flt.triage is not None else []),
    )
    for name, column, values in columns:
        if values:
            n = db.execute(
                f"SELECT coalesce(sum(n), 0) FROM response_counts "
                f"WHERE {column} IN {placeholders(values)}",
                values,
            ).fetchone()[0]
            sizes[name] = (n, values)
    if not sizes:
        return None, []
    name = min(sizes, key=lambda k: sizes[k][0])
    return name, sizes[name][1]


def newest_sql(
    db: sqlite3.Connection,
    flt: QueueFilter,
    *,
    after: Keyset | None = None,
    limit: int = 100,
) -> tuple[str, list[Any]]:
    """The SELECT of response ids behind :meth:`SqliteStore.newest`: one arm per value of
    the driving field, each walking an index in (created_at, id) order and stopping at ``limit``;
    the arms merged (at most values x limit rows sorted). Never a scan of all rows."""
    source_ids = _source_ids(db, flt.sources)
    if flt.sources and not source_ids:
        return "SELECT NULL WHERE 0", []
    driver, values = _driver(db, flt, source_ids)
    rest = _rest(flt, source_ids, driver)
    arms: list[str] = []
    params: list[Any] = []
    for value in values or [None]:
        w = _Sql()
        if driver in ("questions", "roles"):
            at, rid = "q.response_created", "q.response_id"
            body = "tags q CROSS JOIN responses r ON r.id = q.response_id"
            w.add("q.kind = ? AND q.code = ?", driver[:-1], value)
        else:
            at, rid, body = "r.created_at", "r.id", "responses r"
            column = {"statuses": "remote_status", "sources": "source_id", "triage": "triage"}
            if driver is not None:
                w.add(f"r.{column[driver]} = ?", value)
        if flt.since is not None:
            w.add(f"{at} >= ?", to_epoch(flt.since))
        if flt.until is not None:
            w.add(f"{at} < ?", to_epoch(flt.until))
        if after is not None:
            w.add(f"({at}, {rid}) < (?, ?)", to_epoch(after.created_at), after.id)
        w.clauses += rest.clauses
        w.params += rest.params
        arms.append(
            f"SELECT {rid} AS id, {at} AS at FROM {body}{w.where()} "
            f"ORDER BY {at} DESC, {rid} DESC LIMIT ?"
        )
        params += [*w.params, limit]
    if len(arms) == 1:
        return f"SELECT id FROM ({arms[0]})", params
    # UNION, not UNION ALL: a response with two of the question codes is one hit.
    merged = " UNION ".join(f"SELECT * FROM ({arm})" for arm in arms)
    return f"SELECT id FROM ({merged}) ORDER BY at DESC, id DESC LIMIT ?", [*params, limit]


def newest_ids(
    db: sqlite3.Connection, flt: QueueFilter, *, after: Keyset | None = None, limit: int = 100
) -> list[int]:
    """The ids of the responses ``flt`` matches, newest first (:func:`newest_sql`)."""
    sql, params = newest_sql(db, flt, after=after, limit=limit)
    return [row[0] for row in db.execute(sql, params)]


def count_matches(db: sqlite3.Connection, match: str, flt: QueueFilter, *, cap: int) -> int:
    """How many responses match the FTS expression ``match`` and ``flt``, up to ``cap``."""
    w = _rest(flt, _source_ids(db, flt.sources), None)
    if flt.since is not None:
        w.add("r.created_at >= ?", to_epoch(flt.since))
    if flt.until is not None:
        w.add("r.created_at < ?", to_epoch(flt.until))
    join = " CROSS JOIN responses r ON r.id = f.rowid" if w.clauses else ""
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM responses_fts f{join} "
        f"WHERE responses_fts MATCH ?{w.where(' AND ')} LIMIT ?)"
    )
    return int(db.execute(sql, [match, *w.params, cap]).fetchone()[0])
