"""The dialogue figures' SQL (definitions: :mod:`reactieveld.read.figures`): aggregates that
would cost a full scan in Python, each one query on the store's connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from reactieveld.store.planner import few_sources_sql
from reactieveld.store.rows import placeholders, to_epoch
from reactieveld.store.values import FigureCounts, FigureQuery


def role_sql(alias: str) -> str:
    """The one role rule, in SQL, for the ``responses`` row ``alias``: the coded role tag
    (the lowest code, should there ever be two), else the platform's ``role_hint``, else
    NULL (unknown)."""
    return (
        f"coalesce((SELECT min(t.code) FROM tags t WHERE t.response_id = {alias}.id "
        f"AND t.kind = 'role'), nullif({alias}.role_hint, ''))"
    )


def outside_sql(alias: str, org: Sequence[str]) -> str:
    """True when the response ``alias`` is from outside the organisation: its role (by
    :func:`role_sql`) is unknown or not one of ``org``. Takes ``org`` as parameters."""
    return outside_of(role_sql(alias), org)


def outside_of(role: str, org: Sequence[str]) -> str:
    """:func:`outside_sql` of a role already read (the SQL expression ``role``)."""
    return f"coalesce({role}, '') NOT IN {placeholders(org)}"


#: SQLite's UTC day of a column of Unix seconds (``YYYY-MM-DD``).
SQLITE_DAY = "date({}, 'unixepoch')"
#: Seconds in a UTC day.
DAY = 86_400


def _median_sql(cte: str) -> str:
    """Median of column ``d`` of a CTE body, in SQL both backends run (the middle one or
    two rows)."""
    return (
        f"WITH m AS ({cte}) SELECT avg(d) FROM (SELECT d FROM m ORDER BY d "
        "LIMIT 2 - (SELECT count(*) FROM m) % 2 OFFSET ((SELECT count(*) FROM m) - 1) / 2) mid"
    )


#: The journal kinds that count as a decision, and as a coding, per moderator. A reply
#: marks its response handled: a decision.
DECISION_KINDS = ("moderate", "handle", "reply")
CODING_KINDS = ("tag", "untag", "role")


def figure_statements(
    query: FigureQuery, day: str = SQLITE_DAY, *, few_sources: bool = False
) -> dict[str, tuple[str, list[Any]]]:
    """The dialogue figures' queries for ``query``, by name, with ``?`` placeholders: the one
    definition both backends run (``day``: the backend's UTC day of a column, a format
    string). ``few_sources``: the sources asked for are a small part of the memory
    (:func:`reactieveld.store.planner.few_sources_sql`), their own index may drive.
    :func:`figures_from` turns their rows into :class:`FigureCounts`."""
    sources = query.sources
    not_counted = query.not_counted
    # No organisation roles: a code no role has (PostgreSQL's text cannot hold NUL).
    org = list(query.organisation_roles) or ["\x01none"]
    lo, hi = to_epoch(query.start), to_epoch(query.end)
    # The period and source restriction, shared by every query (alias r).
    where = ["r.created_at >= ?", "r.created_at < ?"]
    params: list[Any] = [lo, hi]
    if sources:
        # Many: not by the sources' index (their rows' columns are in the table), the
        # period's holds the source too (migration figure_indexes), read without the rows
        # (the unary + keeps the sources' index out). Few: their own index is less to read.
        keep_out = "" if few_sources else "+"
        where.append(
            f"{keep_out}r.source_id IN (SELECT id FROM sources WHERE name IN "
            f"{placeholders(sources)})"
        )
        params.extend(sources)
    scope = " AND ".join(where)
    counted = f"r.remote_status NOT IN {placeholders(not_counted)}"
    cparams = [*params, *not_counted]
    base = f"{scope} AND {counted}"
    out: dict[str, tuple[str, list[Any]]] = {}
    out["names"] = ("SELECT name FROM sources ORDER BY name", [])
    out["total"] = (f"SELECT count(*) FROM responses r WHERE {base}", cparams)
    # -- responses per day per source (UTC days) ---------------------------------------
    # Grouped by the day's number (whole days since 1970, floored before it), then named:
    # the day's text of every response was a quarter of the figure (0.33 s of 30 days in
    # a 1,000,000 memory, 0.25 s by number).
    number = f"(r.created_at - (r.created_at % {DAY} + {DAY}) % {DAY}) / {DAY}"
    out["per_day"] = (
        f"SELECT s.name, {day.format(f'g.d * {DAY}')}, g.n FROM (SELECT r.source_id AS sid, "
        f"{number} AS d, count(*) AS n FROM responses r WHERE {base} GROUP BY 1, 2) g "
        "JOIN sources s ON s.id = g.sid",
        cparams,
    )
    # -- coverage matrix and responses per role ------------------------------------------
    out["coverage"] = (
        f"SELECT q.code, {role_sql('r')}, count(*) FROM tags q "
        "JOIN responses r ON r.id = q.response_id "
        f"WHERE q.kind = 'question' AND {base} GROUP BY 1, 2",
        cparams,
    )
    out["by_role"] = (
        f"SELECT {role_sql('r')}, count(*) FROM responses r WHERE {base} GROUP BY 1",
        cparams,
    )
    # -- untagged backlog ----------------------------------------------------------------
    out["untagged"] = (
        "SELECT count(*), coalesce(sum(CASE WHEN r.triage = 'new' THEN 1 ELSE 0 END), 0) "
        f"FROM responses r WHERE {base} AND NOT EXISTS (SELECT 1 FROM tags t "
        "WHERE t.response_id = r.id AND t.kind = 'question')",
        cparams,
    )
    # -- time to moderation (all statuses: moderating spam is moderation too) ------------
    first = "(SELECT min(a.at) FROM actions a WHERE a.response_id = r.id) - r.created_at"
    first_action = (
        f"SELECT CASE WHEN {first} > 0 THEN {first} ELSE 0 END AS d FROM responses r "
        f"WHERE {scope} AND EXISTS (SELECT 1 FROM actions a WHERE a.response_id = r.id)"
    )
    # Materialised once: their count and the median wait (two statements read the
    # period's responses and their journal twice).
    out["moderated"] = (
        f"WITH fa AS MATERIALIZED ({first_action}) "
        f"SELECT count(*), ({_median_sql('SELECT d FROM fa')}) FROM fa",
        params,
    )
    # -- answers from the organisation ---------------------------------------------------
    # A citizen response's first answer: the first counted organisation response after it
    # (by time, then id) in its thread, at any time. One window over the threads the
    # period touches, each thread's rows read once: a subquery per citizen response that
    # looked through the rest of its thread took 6.5 s for 55,000 responses of 30 days
    # in a 200,000 memory with a thread of 3,600 (quadratic in a thread's size).
    # The rows after each one are those before it newest first: a frame that starts at
    # the thread's first row grows by one row at a time. PostgreSQL computed a frame
    # that starts after the row anew for every row (min has no inverse), the role rule
    # with it: over 120 s for 30 days of a 1,000,000 memory with a thread of 18,000.
    # Each thread row's role is read once (the rule's subquery per row was evaluated for
    # the window and again for the citizens' filter), into a materialised set the window
    # sorts; its columns come from the index responses_thread alone (migration figure_indexes).
    # Each thread numbered (k): the window's partitions by a number, not by a source and
    # a text (30 days of a 1,000,000 memory: 1.7 s, 1.55 s by number).
    threads = (
        "SELECT t.source_id, t.thread_external_id, row_number() OVER () AS k FROM "
        "(SELECT DISTINCT r.source_id, r.thread_external_id FROM responses r "
        f"WHERE {scope} AND r.thread_external_id IS NOT NULL) t"
    )
    # A thread's rows from the period's start on: an answer comes after the response it
    # answers, which arrived in the period (those before it are neither, their roles unread).
    thread_rows = (
        "SELECT o.id, th.k, o.created_at, o.remote_status, "
        f"{role_sql('o')} AS role FROM ({threads}) th JOIN responses o "
        "ON o.source_id = th.source_id AND o.thread_external_id = th.thread_external_id "
        "AND o.created_at >= ?"
    )
    # Into the window only the rows it needs (fewer to sort and to filter after it: 30
    # days of a 1,000,000 memory, 2.1 s CPU before, 1.7 s): each counted one marked cit, 1
    # a citizen's of the period, 0 an answer (the organisation's, at any time), NULL
    # neither (left out: it is no answer, and its own answer is not asked for).
    marked = (
        "SELECT o.id, o.k, o.created_at, "
        f"CASE WHEN NOT ({outside_of('o.role', org)}) THEN 0 "
        "WHEN o.created_at >= ? AND o.created_at < ? THEN 1 END AS cit "
        f"FROM tr o WHERE o.remote_status NOT IN {placeholders(not_counted)}"
    )
    threaded = (
        "SELECT o.created_at, o.cit, min(CASE WHEN o.cit = 0 THEN o.created_at END) "
        "OVER (PARTITION BY o.k ORDER BY o.created_at DESC, "
        f"o.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS a FROM ({marked}) o "
        "WHERE o.cit IS NOT NULL"
    )
    # A response without a thread has no answer.
    citizen_rows = (
        f"SELECT r.created_at AS c, r.a AS a FROM ({threaded}) r WHERE r.cit = 1 "
        "UNION ALL SELECT r.created_at AS c, NULL AS a FROM responses r "
        f"WHERE {base} AND r.thread_external_id IS NULL AND {outside_sql('r', org)}"
    )
    cit_params = [*params, lo, *org, lo, hi, *not_counted, *cparams, *org]
    # The citizens' rows once (materialised), their count, how many had an answer, and
    # the median wait: two statements read every thread twice.
    median_wait = _median_sql("SELECT a - c AS d FROM cr WHERE a IS NOT NULL")
    out["citizen"] = (
        f"WITH tr AS MATERIALIZED ({thread_rows}), cr AS MATERIALIZED ({citizen_rows}) "
        f"SELECT count(*), count(a), ({median_wait}) FROM cr",
        cit_params,
    )
    # -- the team: decisions and codings per moderator, made in the period ---------------
    # By the journal's time (not the response's arrival), its actor; an entry later undone
    # and the undo itself do not count.
    kinds = (*DECISION_KINDS, *CODING_KINDS)
    out["by_moderator"] = (
        "SELECT a.actor, "
        f"sum(CASE WHEN a.kind IN {placeholders(DECISION_KINDS)} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN a.kind IN {placeholders(CODING_KINDS)} THEN 1 ELSE 0 END) "
        f"FROM actions a WHERE a.at >= ? AND a.at < ? AND a.kind IN {placeholders(kinds)} "
        "AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = a.id) "
        + (
            "AND a.response_id IN (SELECT r.id FROM responses r WHERE r.source_id IN "
            f"(SELECT id FROM sources WHERE name IN {placeholders(sources)})) "
            if sources
            else ""
        )
        + "GROUP BY 1",
        [*DECISION_KINDS, *CODING_KINDS, lo, hi, *kinds, *sources],
    )
    # -- the team: claimed by one moderator, decided by another ---------------------------
    # Per response decided in the period (its last decision there, not undone), the claim
    # that began last at or before that decision's second (claim_log): how many have one,
    # and of those how many the deciding moderator did not claim himself.
    last_decision = (
        "SELECT max(b.id) FROM actions b "
        f"WHERE b.kind IN {placeholders(DECISION_KINDS)} AND b.at >= ? AND b.at < ? "
        "AND b.response_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = b.id) "
        + (
            "AND b.response_id IN (SELECT r.id FROM responses r WHERE r.source_id IN "
            f"(SELECT id FROM sources WHERE name IN {placeholders(sources)})) "
            if sources
            else ""
        )
        + "GROUP BY b.response_id"
    )
    last_claim = (
        "SELECT l.id FROM claim_log l WHERE l.response_id = a.response_id AND l.at <= a.at "
        "ORDER BY l.at DESC, l.id DESC LIMIT 1"
    )
    out["claimed_decided"] = (
        "SELECT count(*), coalesce(sum(CASE WHEN c.actor <> a.actor THEN 1 ELSE 0 END), 0) "
        f"FROM actions a JOIN claim_log c ON c.id = ({last_claim}) "
        f"WHERE a.id IN ({last_decision})",
        [*DECISION_KINDS, lo, hi, *sources],
    )
    # -- write-backs the site can never take ----------------------------------------------
    # Each response's newest write-back (a decision or a reply), queued in the period (the
    # decision's time), that failed or conflicted with a kind no resend mends
    # (FINAL_KINDS): its decision stays in the memory only. The header's "not written
    # back" (store/rows.py counts_from) counts the others; the outbox_due index finds them.
    from reactieveld.model_values import FINAL_KINDS  # after the first frame, as rows.py

    final = sorted(FINAL_KINDS)
    out["memory_only"] = (
        "SELECT count(*) FROM outbox o WHERE o.state IN ('failed', 'conflict') "
        f"AND o.failure_kind IN {placeholders(final)} "
        "AND o.created_at >= ? AND o.created_at < ? AND NOT EXISTS (SELECT 1 FROM outbox l "
        "WHERE l.response_id = o.response_id AND l.id > o.id)"
        + (
            f" AND o.source_id IN (SELECT id FROM sources WHERE name IN {placeholders(sources)})"
            if sources
            else ""
        ),
        [*final, lo, hi, *sources],
    )
    return out


def figures_from(rows: Mapping[str, Sequence[Sequence[Any]]]) -> FigureCounts:
    """:class:`FigureCounts` from the rows of :func:`figure_statements`' queries."""

    def one(name: str) -> Sequence[Any]:
        return rows[name][0]

    def median(value: Any) -> float | None:
        return None if value is None else float(value)

    untagged, untagged_new = one("untagged")
    moderated, median_to_moderation = one("moderated")
    citizen, answered, median_to_answer = one("citizen")
    return FigureCounts(
        source_names=tuple(str(r[0]) for r in rows["names"]),
        per_day={(str(name), str(day)): int(n) for name, day, n in rows["per_day"]},
        coverage={(str(q), role): int(n) for q, role, n in rows["coverage"]},
        by_role={role: int(n) for role, n in rows["by_role"]},
        total=int(one("total")[0]),
        untagged=int(untagged),
        untagged_new=int(untagged_new),
        moderated=int(moderated),
        median_to_moderation=median(median_to_moderation),
        citizen=int(citizen),
        answered=int(answered),
        median_to_answer=median(median_to_answer),
        by_moderator={
            str(actor): (int(d or 0), int(c or 0)) for actor, d, c in rows["by_moderator"]
        },
        claimed_decided=int(one("claimed_decided")[0]),
        decided_by_other=int(one("claimed_decided")[1]),
        memory_only=int(one("memory_only")[0]),
    )


def dialogue_figures(db: sqlite3.Connection, query: FigureQuery) -> FigureCounts:
    """The figures of :mod:`reactieveld.read.figures` for ``query``, raw (keyed by code/day)."""
    few = bool(query.sources) and bool(db.execute(*few_sources_sql(query.sources)).fetchone()[0])
    statements = figure_statements(query, few_sources=few)
    return figures_from({k: db.execute(q, p).fetchall() for k, (q, p) in statements.items()})


def count_by_role_sql(where: str) -> str:
    """Responses per role by the one rule (None: unknown), under the store's own WHERE of
    a queue filter (alias r): the same responses its count counts, in one query."""
    return f"SELECT {role_sql('r')}, count(*) FROM responses r{where} GROUP BY 1"


def count_by_role(
    db: sqlite3.Connection, where: str, params: Sequence[Any]
) -> dict[str | None, int]:
    """:func:`count_by_role_sql` on SQLite."""
    return dict(db.execute(count_by_role_sql(where), list(params)).fetchall())
