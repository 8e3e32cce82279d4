"""The statement-of-reasons log's query (issue 16), one text for both backends: the
journal's decisions (``kind = 'moderate'``) in journal order, a keyset page at a time,
with their reason, whether they were undone and where their write-back stands, and where
each response lives; never its author."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reactieveld.store.base import QueueFilter
from reactieveld.store.planner import SQLITE, Dialect, filter_where
from reactieveld.store.rows import from_epoch, to_epoch
from reactieveld.store.values import DecisionRecord


def decisions_sql(
    flt: QueueFilter, *, after: int, limit: int, dialect: Dialect = SQLITE
) -> tuple[str, list[Any]]:
    """The decisions after journal id ``after`` (``?`` placeholders). ``flt``'s response
    filters (sources, questions, roles, ...) select the responses; its ``since`` and
    ``until`` the decision's own time (the log is of decisions, not of arrivals). Its
    statuses are left to :func:`keep`: a decision's new status is in its JSON."""
    w = filter_where(replace(flt, since=None, until=None, statuses=()), dialect=dialect)
    w.add("a.kind = 'moderate'")
    w.add("a.id > ?", after)
    if flt.since is not None:
        w.add("a.at >= ?", to_epoch(flt.since))
    if flt.until is not None:
        w.add("a.at < ?", to_epoch(flt.until))
    sql = (
        "SELECT a.id, a.at, a.actor, a.before, a.after, a.reason, a.reason_text, "
        "(SELECT min(u.at) FROM actions u WHERE u.undoes = a.id), s.name, s.type, "
        "r.external_id, coalesce(r.url, th.url), r.author_name, "
        # Where its write-back stands: the newest outbox row the decision queued (a
        # resend queues the same row again); none when nothing was to be sent.
        "(SELECT o.state FROM outbox o WHERE o.response_id = a.response_id "
        "AND o.journal_id = a.id ORDER BY o.id DESC LIMIT 1) FROM actions a "
        "JOIN responses r ON r.id = a.response_id JOIN sources s ON s.id = r.source_id "
        "LEFT JOIN threads th ON th.source_id = r.source_id "
        "AND th.external_id = r.thread_external_id"
        f"{w.sql()} ORDER BY a.id LIMIT ?"
    )
    return sql, [*w.params, limit]


def _status(text: str | None) -> str | None:
    try:
        value = json.loads(text or "{}").get("status")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def decision_from_row(r: Sequence[Any]) -> DecisionRecord:
    """A row of :func:`decisions_sql` as a :class:`DecisionRecord`."""
    at = from_epoch(r[1])
    assert at is not None
    return DecisionRecord(
        journal_id=int(r[0]),
        at=at,
        actor=str(r[2]),
        before=_status(r[3]),
        after=_status(r[4]),
        reason=r[5],
        reason_text=r[6],
        undone_at=from_epoch(r[7]),
        source=str(r[8]),
        platform=str(r[9]),
        external_id=str(r[10]),
        url=r[11],
        author_name=r[12],
        write_back=r[13],
    )


def keep(record: DecisionRecord, flt: QueueFilter) -> bool:
    """Whether ``record`` passes ``flt``'s statuses (the decided one; none: all)."""
    return not flt.statuses or record.after in {s.value for s in flt.statuses}
