"""The dialogue figures' SQL (definitions: :mod:`reactieveld.read.figures`): aggregates that
would cost a full scan in Python, each one query on the store's connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

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
    return f"coalesce({role_sql(alias)}, '') NOT IN {placeholders(org)}"


def _median_sql(cte: str, params: Sequence[Any], db: sqlite3.Connection) -> float | None:
    """Median of column ``d`` of a CTE body, in SQL (the middle one or two rows)."""
    sql = (
        f"WITH m AS ({cte}) SELECT avg(d) FROM (SELECT d FROM m ORDER BY d "
        "LIMIT 2 - (SELECT count(*) FROM m) % 2 OFFSET ((SELECT count(*) FROM m) - 1) / 2)"
    )
    value = db.execute(sql, [*params]).fetchone()[0]
    return None if value is None else float(value)


def source_names(db: sqlite3.Connection) -> list[str]:
    """Every source's name, sorted."""
    return [name for (name,) in db.execute("SELECT name FROM sources ORDER BY name")]


def dialogue_figures(db: sqlite3.Connection, query: FigureQuery) -> FigureCounts:
    """The figures of :mod:`reactieveld.read.figures` for ``query``, raw (keyed by code/day)."""
    sources = query.sources
    not_counted = query.not_counted
    org = list(query.organisation_roles) or ["\x00none"]
    lo, hi = to_epoch(query.start), to_epoch(query.end)
    # The period and source restriction, shared by every query (alias r).
    where = ["r.created_at >= ?", "r.created_at < ?"]
    params: list[Any] = [lo, hi]
    if sources:
        where.append(
            f"r.source_id IN (SELECT id FROM sources WHERE name IN {placeholders(sources)})"
        )
        params.extend(sources)
    scope = " AND ".join(where)
    counted = f"r.remote_status NOT IN {placeholders(not_counted)}"
    cparams = [*params, *not_counted]
    base = f"{scope} AND {counted}"

    total = db.execute(f"SELECT count(*) FROM responses r WHERE {base}", cparams).fetchone()[0]

    # -- responses per day per source (UTC days) ---------------------------------------
    names = tuple(source_names(db))
    per_day: dict[tuple[str, str], int] = {}
    for name, day, n in db.execute(
        "SELECT s.name, date(r.created_at, 'unixepoch'), count(*) "
        f"FROM responses r JOIN sources s ON s.id = r.source_id WHERE {base} GROUP BY 1, 2",
        cparams,
    ):
        per_day[(name, day)] = n

    # -- coverage matrix and responses per role ------------------------------------------
    coverage: dict[tuple[str, str | None], int] = {}
    for q, role, n in db.execute(
        f"SELECT q.code, {role_sql('r')}, count(*) FROM tags q "
        "JOIN responses r ON r.id = q.response_id "
        f"WHERE q.kind = 'question' AND {base} GROUP BY 1, 2",
        cparams,
    ):
        coverage[(q, role)] = n
    by_role: dict[str | None, int] = {}
    for role, n in db.execute(
        f"SELECT {role_sql('r')}, count(*) FROM responses r WHERE {base} GROUP BY 1", cparams
    ):
        by_role[role] = n

    # -- untagged backlog ----------------------------------------------------------------
    untagged, untagged_new = db.execute(
        "SELECT count(*), coalesce(sum(r.triage = 'new'), 0) FROM responses r "
        f"WHERE {base} AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id "
        "AND t.kind = 'question')",
        cparams,
    ).fetchone()

    # -- time to moderation (all statuses: moderating spam is moderation too) ------------
    first_action = (
        "SELECT max(0, (SELECT min(a.at) FROM actions a WHERE a.response_id = r.id) "
        f"- r.created_at) AS d FROM responses r WHERE {scope} AND EXISTS "
        "(SELECT 1 FROM actions a WHERE a.response_id = r.id)"
    )
    moderated = db.execute(f"SELECT count(*) FROM ({first_action})", params).fetchone()[0]
    median_mod = _median_sql(first_action, params, db)

    # -- answers from the organisation ---------------------------------------------------
    first_answer = (
        "SELECT min(o.created_at) FROM responses o WHERE o.source_id = r.source_id "
        "AND o.thread_external_id = r.thread_external_id "
        "AND (o.created_at > r.created_at OR (o.created_at = r.created_at AND o.id > r.id)) "
        f"AND o.remote_status NOT IN {placeholders(not_counted)} "
        f"AND NOT ({outside_sql('o', org)})"
    )
    citizen_rows = (
        f"SELECT r.created_at AS c, ({first_answer}) AS a FROM responses r "
        f"WHERE {base} AND {outside_sql('r', org)}"
    )
    cit_params = [*not_counted, *org, *cparams, *org]
    citizen, answered = db.execute(
        f"SELECT count(*), count(a) FROM ({citizen_rows})", cit_params
    ).fetchone()
    median_answer = _median_sql(
        f"SELECT a - c AS d FROM ({citizen_rows}) WHERE a IS NOT NULL", cit_params, db
    )
    return FigureCounts(
        source_names=names,
        per_day=per_day,
        coverage=coverage,
        by_role=by_role,
        total=total,
        untagged=untagged,
        untagged_new=untagged_new,
        moderated=moderated,
        median_to_moderation=median_mod,
        citizen=citizen,
        answered=answered,
        median_to_answer=median_answer,
    )


def count_by_role(
    db: sqlite3.Connection, where: str, params: Sequence[Any]
) -> dict[str | None, int]:
    """Responses per role by the one rule (None: unknown), under the store's own WHERE of
    a queue filter (alias r): the same responses its count counts, in one query."""
    sql = f"SELECT {role_sql('r')}, count(*) FROM responses r{where} GROUP BY 1"
    return dict(db.execute(sql, list(params)).fetchall())
