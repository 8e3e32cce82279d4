"""The queue's query planner: a QueueFilter as SQL that pages by keyset (created_at, id)
newest or oldest first, driven by the smallest index (the tag index, a source's rows, or
the whole table), fanned out into one ordered arm per value; and its counts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reactieveld.model import TagKind
from reactieveld.store.authors import BY_AUTHOR, author_match
from reactieveld.store.base import Direction, Keyset, QueueFilter
from reactieveld.store.fts import fts_query, pg_tsquery
from reactieveld.store.rows import (
    RESPONSE_COLS,
    RESPONSE_FROM,
    RESPONSE_JOINS,
    placeholders,
    to_epoch,
)

#: The responses in the Flagged queue: a rule's flag no moderator decided yet (issue 16).
OPEN_FLAGS = "SELECT response_id FROM rule_flags WHERE state = 'open'"
#: The Second coding queue of a coder (``?`` twice: the coder; issue 14): another coded
#: it first, and this coder's own coding of it is not done.
SECOND_CODING = (
    "r.id IN (SELECT response_id FROM codings WHERE ordinal = 1 AND coder <> ?) AND r.id "
    "NOT IN (SELECT response_id FROM codings WHERE coder = ? AND done_at IS NOT NULL)"
)

#: ``r`` is in the Second coding of a coder (``?`` twice: the coder), as SECOND_CODING
#: says, probed per row (the response's codings by their key): for a filter's rows, where
#: another index drives, rather than listing every coding of the sample for each query.
BLIND_ROW = (
    "EXISTS (SELECT 1 FROM codings f WHERE f.response_id = r.id AND f.ordinal = 1 "
    "AND f.coder <> ?) AND NOT EXISTS (SELECT 1 FROM codings d WHERE d.response_id = r.id "
    "AND d.coder = ? AND d.done_at IS NOT NULL)"
)

#: A response in the Second coding queue of a coder (``?`` three times: the coder) who
#: codes this sample (has a coding of any response): Disagreements leaves it out for
#: them, or they would see the others' codings before giving theirs. A resolver who codes
#: nothing has no Second coding and sees every difference.
OWN_SECOND_CODING = f"{BLIND_ROW} AND EXISTS (SELECT 1 FROM codings WHERE coder = ?)"

#: A journal entry that resolved a difference between coders (issue 14) and that no undo
#: took back (``a``: the entry; correlated on ``r``). Both backends.
RESOLVED = (
    "EXISTS (SELECT 1 FROM actions a WHERE a.response_id = r.id AND a.kind = 'resolve' "
    "AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = a.id))"
)
#: The Disagreements queue (issue 14): the counted codings of a response (the first
#: coder's; a later coder's once done) differ, on a question or the role, and no
#: moderator resolved it yet. Questions are stored sorted, so equal codings are equal text.
DISAGREEMENTS = (
    "r.id IN (SELECT response_id FROM codings WHERE (ordinal = 1 OR done_at IS NOT NULL) "
    "GROUP BY response_id HAVING count(DISTINCT questions || '|' || coalesce(role, '')) > 1)"
    f" AND NOT {RESOLVED}"
)


@dataclass(frozen=True)
class Dialect:
    """Where the planner's SQL differs between SQLite and PostgreSQL. Both are built with
    ``?`` placeholders; PostgreSQL's caller turns them into ``$n`` once
    (``store.pg.base.dollar``). SQLite's text is exactly what it was before the seam."""

    postgres: bool

    @property
    def ordered_join(self) -> str:
        # CROSS JOIN: SQLite keeps the left table as the outer loop. PostgreSQL has no
        # CROSS JOIN ... ON; its planner picks the order from its statistics.
        return "JOIN" if self.postgres else "CROSS JOIN"

    @property
    def false(self) -> str:
        return "false" if self.postgres else "0"

    def subquery(self, sql: str, alias: str) -> str:
        """A subquery in FROM: PostgreSQL 15 needs an alias on each."""
        return f"({sql}) AS {alias}" if self.postgres else f"({sql})"

    def text_match(self, words: str) -> tuple[str, str] | None:
        """The condition on ``r`` that a response matches a user's words, and its
        parameter; None when the words hold nothing to search for."""
        if self.postgres:
            q = pg_tsquery(words)
            return None if q is None else ("r.search @@ to_tsquery('reactieveld', ?)", q)
        q = fts_query(words)
        return (
            None
            if q is None
            else ("r.id IN (SELECT rowid FROM responses_fts WHERE responses_fts MATCH ?)", q)
        )

    def rows_of(self, union: str) -> str:
        """FROM and WHERE of the response rows whose ids ``union`` (the arms) yields.
        PostgreSQL reads ``r.id IN (...)`` as a semi-join over every response (a
        sequential scan); joining the few distinct ids looks each one up by key."""
        if self.postgres:
            return f"{self.ids_of(union)} {RESPONSE_JOINS}"
        return f"{RESPONSE_FROM} WHERE r.id IN ({union})"

    def ids_of(self, union: str) -> str:
        """FROM (and WHERE) of the responses ``r`` whose ids ``union`` yields, each once:
        as :meth:`rows_of`, without the rows' joins (for counting)."""
        if self.postgres:
            distinct = f"(SELECT DISTINCT u.id FROM ({union}) AS u(id)) AS f"
            return f"{distinct} JOIN responses r ON r.id = f.id"
        return f"responses r WHERE r.id IN ({union})"

    def author(self, key: str) -> tuple[str, str]:
        """The condition on ``r`` for one author key, and its parameter."""
        if self.postgres:
            return "r.author_key = ?", key
        return f"r.id IN ({BY_AUTHOR})", author_match(key)


SQLITE = Dialect(postgres=False)
POSTGRES = Dialect(postgres=True)


class Where:
    """Builds the WHERE clause of a queue query from a QueueFilter."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.clauses)) if self.clauses else ""


def _like(text: str) -> str:
    """``text`` matched literally by ``LIKE ... ESCAPE '\\'`` (both backends)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def seen_as(
    coder: str | None,
    tagged: str,
    tag_params: Sequence[Any],
    own: str,
    own_params: Sequence[Any],
    *,
    own_missing: bool = False,
) -> list[Any]:
    """A filter on the tags (``tagged``, a condition on ``r``) as ``coder`` sees them
    (``QueueFilter.coder``, issue 14): a response in their Second coding (blind: another
    coded it first, theirs is not done) is matched by their own coding (``own``, a
    condition on its row ``c``; ``own_missing``: also when they have none yet), never by
    the tags, which are the first coder's. No coder: ``tagged``. The clause and its
    parameters, for :meth:`Where.add`."""
    if coder is None:
        return [tagged, *tag_params]
    mine = (
        f"EXISTS (SELECT 1 FROM codings c WHERE c.response_id = r.id AND c.coder = ? AND ({own}))"
    )
    if own_missing:
        mine = (
            f"({mine} OR NOT EXISTS (SELECT 1 FROM codings c WHERE c.response_id = r.id "
            "AND c.coder = ?))"
        )
    params = [coder, *own_params, *([coder] if own_missing else [])]
    sql = f"((NOT ({BLIND_ROW}) AND {tagged}) OR ({BLIND_ROW} AND {mine}))"
    return [sql, coder, coder, *tag_params, coder, coder, *params]


def filter_where(
    flt: QueueFilter, *, source_drives: bool | None = None, dialect: Dialect = SQLITE
) -> Where:
    w = Where()
    # Disagreements shows the tags (about every coding): its coder only leaves out their
    # own Second coding (OWN_SECOND_CODING).
    coder = None if flt.disagreements else flt.coder
    if flt.triage is not None:
        # Reported and flagged rows are few: their own index drives, not the tab's, or
        # SQLite walks every new row in queue order to find a page of them (the unary +
        # keeps triage's index out; PostgreSQL chooses by its statistics).
        few = (flt.reported or flt.flagged) and not dialect.postgres
        w.add(f"{'+' if few else ''}r.triage = ?", flt.triage.value)
    # One value is an equality, so that an index on (column, created_at, id) yields the
    # queue's order; with "IN" SQLite sorted every row of a source (2 s at 1M rows).
    # Several values are fanned out into one ordered arm each by queue_sql.
    if len(flt.statuses) == 1:
        w.add("r.remote_status = ?", flt.statuses[0].value)
    elif flt.statuses:
        w.add(f"r.remote_status IN {placeholders(flt.statuses)}", *[s.value for s in flt.statuses])
    if source_drives is None:
        source_drives = flt.triage is None and not flt.statuses
    if len(flt.sources) == 1 and source_drives:
        # A scalar subquery is a constant to the planner: the source's index drives.
        # With a tab (triage or status) set, the tab's index drives unless the source
        # is the smaller set (SqliteStore.queue decides from the kept counts); IN keeps
        # the planner on the tab's index.
        w.add("r.source_id = (SELECT id FROM sources WHERE name = ?)", flt.sources[0])
    elif flt.sources:
        w.add(
            f"r.source_id IN (SELECT id FROM sources WHERE name IN {placeholders(flt.sources)})",
            *flt.sources,
        )
    if flt.questions:
        w.add(
            *seen_as(
                coder,
                "EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = 'question'"
                f" AND t.code IN {placeholders(flt.questions)})",
                flt.questions,
                " OR ".join(["c.questions LIKE ? ESCAPE '\\'"] * len(flt.questions)),
                [f"%{_like(json.dumps(q, ensure_ascii=False))}%" for q in flt.questions],
            )
        )
    if flt.roles:
        w.add(
            *seen_as(
                coder,
                "EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = 'role'"
                f" AND t.code IN {placeholders(flt.roles)})",
                flt.roles,
                f"c.role IN {placeholders(flt.roles)}",
                flt.roles,
            )
        )
    if flt.untagged:
        w.add(
            *seen_as(
                coder,
                "NOT EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id "
                "AND t.kind = 'question')",
                (),
                "c.questions = '[]'",
                (),
                own_missing=True,
            )
        )
    if flt.since is not None:
        w.add("r.created_at >= ?", to_epoch(flt.since))
    if flt.until is not None:
        w.add("r.created_at < ?", to_epoch(flt.until))
    if flt.thread is not None:
        w.add(
            "r.source_id = (SELECT id FROM sources WHERE name = ?) AND r.thread_external_id = ?",
            *flt.thread,
        )
    if flt.author_key is not None:
        w.add(*dialect.author(flt.author_key))
    if flt.reported:
        w.add("r.reports > 0")  # the partial index responses_reported (0012 / pg 0005)
    if flt.flagged:
        w.add(f"r.id IN ({OPEN_FLAGS})")
    if flt.second_coding is not None:
        w.add(SECOND_CODING, flt.second_coding, flt.second_coding)
    if flt.disagreements:
        w.add(DISAGREEMENTS)
        if flt.coder is not None:
            w.add(f"NOT ({OWN_SECOND_CODING})", flt.coder, flt.coder, flt.coder)
    if flt.text:
        match = dialect.text_match(flt.text)
        if match is None:
            w.add(dialect.false)
        else:
            w.add(*match)
    return w


def blind_to(flt: QueueFilter) -> str | None:
    """The coder whose blind responses a tag filter matches by their own coding (the
    tag-driven queries' second arm, :func:`own_arm`); None: the tags alone."""
    return None if flt.disagreements else flt.coder


def own_arm(flt: QueueFilter, dialect: Dialect) -> tuple[str, Where]:
    """The FROM and WHERE of a tag-driven query's second arm (``QueueFilter.coder``): the
    responses in the coder's Second coding whose own coding ``flt`` matches, driven by the
    coder's codings (few: the sample), while the tag index drives the others' arm(s),
    which leave those responses out (:func:`not_blind`)."""
    w = filter_where(flt, dialect=dialect)
    w.clauses.insert(0, f"o.coder = ? AND {BLIND_ROW}")
    w.params[0:0] = [flt.coder, flt.coder, flt.coder]
    # The coder's codings outside (CROSS JOIN: SQLite keeps them the outer loop).
    return f"codings o {dialect.ordered_join} responses r ON r.id = o.response_id", w


def not_blind(w: Where, coder: str | None) -> None:
    """A tag-driven arm's rows: not those ``coder`` sees blind (the tags are not theirs)."""
    if coder is not None:
        w.add(f"NOT ({BLIND_ROW})", coder, coder)


def tag_driven(dialect: Dialect) -> str:
    """The FROM of a tag-driven query: the tag index outside, each response looked up."""
    return f"tags q {dialect.ordered_join} responses r ON r.id = q.response_id"


def tag_driver(flt: QueueFilter) -> tuple[str | None, tuple[str, ...], QueueFilter]:
    """Which tag filter drives a queue query: (kind, codes, the rest of the filter).

    A filter on questions (else roles) walks the tag index in queue order (``tags_queue``:
    kind, code, the response's created_at, id) and looks each response up: 50 rows cost
    about 50 look-ups whether the tag is on 2 % or 0.005 % of the responses. Scanning the
    queue and probing tags instead costs 1/density probes per row shown.
    """
    if flt.questions:
        return TagKind.QUESTION.value, flt.questions, replace(flt, questions=())
    if flt.roles:
        return TagKind.ROLE.value, flt.roles, replace(flt, roles=())
    return None, (), flt


def flag_driven(flt: QueueFilter) -> bool:
    """Whether the open rule flags drive a queue query (their index in queue order,
    ``rule_flags_queue``: migration 0014, pg 0007) instead of the responses' own walk
    probing each for a flag (PostgreSQL: 20,000 rows for a page of 50 at 1M responses,
    0.3 % flagged) or every flagged response read and sorted (SQLite): the Flagged
    tab's rows are few."""
    return flt.flagged and not fan_out(flt)


def flags_from(dialect: Dialect) -> str:
    """The FROM of a flag-driven query: the open flags' index outside, each response
    looked up."""
    # SQLite, without statistics, takes rule_flags_open for the state's equality and
    # sorts every open flag's row: the queue's index is named.
    flags = "rule_flags q" if dialect.postgres else "rule_flags q INDEXED BY rule_flags_queue"
    return f"{flags} {dialect.ordered_join} responses r ON r.id = q.response_id"


#: A response with two open flags is one row of the queue: its first open flag's (SQLite;
#: PostgreSQL has DISTINCT ON the flag's queue keys).
FIRST_OPEN_FLAG = (
    "q.id = (SELECT min(f.id) FROM rule_flags f WHERE f.response_id = q.response_id "
    "AND f.state = 'open')"
)


def counting(
    flt: QueueFilter,
    above: Keyset | None = None,
    *,
    grouped: bool = False,
    dialect: Dialect = SQLITE,
) -> tuple[str, list[Any]]:
    """``SELECT count(*)`` of a filter (rows above ``above``, when given); ``grouped``:
    ``triage, remote_status, count`` per state instead."""
    kind, codes, rest = tag_driver(flt)
    w = filter_where(rest, dialect=dialect)
    head = "SELECT r.triage, r.remote_status, " if grouped else "SELECT "
    tail = " GROUP BY 1, 2" if grouped else ""
    if kind is None and dialect.postgres and flag_driven(rest):
        others = replace(rest, flagged=False)
        if others == QueueFilter() and above is None and not grouped:
            return "SELECT count(DISTINCT response_id) FROM rule_flags WHERE state = 'open'", []
        w = filter_where(others, dialect=dialect)
        w.clauses.insert(0, "q.state = 'open'")
        if above is not None:
            w.add(
                "(q.response_created, q.response_id) > (?, ?)", to_epoch(above.created_at), above.id
            )
        sql = f"{head}count(DISTINCT q.response_id) FROM {flags_from(dialect)}{w.sql()}{tail}"
        return sql, w.params
    if kind is None:
        if above is not None:
            w.add("(r.created_at, r.id) > (?, ?)", to_epoch(above.created_at), above.id)
        return f"{head}count(*) FROM responses r{w.sql()}{tail}", w.params
    w.clauses.insert(0, f"q.kind = ? AND q.code IN {placeholders(codes)}")
    w.params[0:0] = [kind, *codes]
    if above is not None:
        w.add("(q.response_created, q.response_id) > (?, ?)", to_epoch(above.created_at), above.id)
    coder = blind_to(flt)
    if coder is not None:  # the tags' arm and the coder's own, apart (own_arm)
        not_blind(w, coder)
        joined, own = own_arm(flt, dialect)
        if above is not None:
            own.add("(r.created_at, r.id) > (?, ?)", to_epoch(above.created_at), above.id)
        union = (
            f"SELECT q.response_id FROM {tag_driven(dialect)}{w.sql()} "
            f"UNION ALL SELECT r.id FROM {joined}{own.sql()}"
        )
        return f"{head}count(*) FROM {dialect.ids_of(union)}{tail}", [*w.params, *own.params]
    # DISTINCT: a response with two of the codes is one row of the queue.
    sql = f"{head}count(DISTINCT q.response_id) FROM {tag_driven(dialect)}{w.sql()}{tail}"
    return sql, w.params


def kept_count(flt: QueueFilter, *, grouped: bool = False) -> tuple[str, list[Any]] | None:
    """``count(*)`` of a filter from ``response_counts``, when only its triage, statuses
    and sources are set (None otherwise: the rows must be counted)."""
    if replace(flt, triage=None, statuses=(), sources=()) != QueueFilter():
        return None
    w = Where()
    if flt.triage is not None:
        w.add("triage = ?", flt.triage.value)
    if flt.statuses:
        w.add(f"remote_status IN {placeholders(flt.statuses)}", *[s.value for s in flt.statuses])
    if flt.sources:
        w.add(
            f"source_id IN (SELECT id FROM sources WHERE name IN {placeholders(flt.sources)})",
            *flt.sources,
        )
    if grouped:
        return (
            f"SELECT triage, remote_status, sum(n) FROM response_counts{w.sql()} GROUP BY 1, 2",
            w.params,
        )
    return f"SELECT coalesce(sum(n), 0) FROM response_counts{w.sql()}", w.params


#: The dialogue figures of some sources walk those sources' index when they hold less than
#: this share of the memory; else the period's (all sources), which holds every column the
#: figures read: per row it costs about a fifth of a look-up in the table (200,000
#: responses, a year: a source of 10 % 0.15-0.2 s by its own index, 0.26-0.33 s by the
#: period's; one of 90 % 1.7-1.8 s, 1.0-1.1 s).
FEW_SOURCES = 0.25


def few_sources_sql(sources: Sequence[str]) -> tuple[str, list[Any]]:
    """Whether ``sources`` hold less than :data:`FEW_SOURCES` of the memory's responses, from
    the kept counts (one statement, both backends): see :data:`FEW_SOURCES`."""
    part = kept_count(QueueFilter(sources=tuple(sources)))
    whole = kept_count(QueueFilter())
    assert part is not None and whole is not None  # sources alone: always kept
    return (
        f"SELECT ({part[0]}) < ({whole[0]}) * {FEW_SOURCES}",
        [*part[1], *whole[1]],
    )


def source_is_smaller(db: sqlite3.Connection, flt: QueueFilter) -> bool | None:
    """For one source within one tab (triage, or one status): whether the source holds
    fewer responses than the tab, from the kept counts (two reads of a few small rows).
    Walking the smaller one's index finds the rows of both soonest: an old blog beside
    a large new portal is not found by walking the whole portal's new responses."""
    pair = source_and_tab(flt)
    if pair is None:
        return None
    source = kept_size(db, pair[0])
    tab = kept_size(db, pair[1])
    if source is None or tab is None:
        return None
    return source < tab


def source_and_tab(flt: QueueFilter) -> tuple[QueueFilter, QueueFilter] | None:
    """The two parts :func:`source_is_smaller` weighs (the source; the tab), or None
    when there is no choice to make."""
    if len(flt.sources) != 1 or (flt.triage is None and len(flt.statuses) != 1):
        return None
    if flt.questions or flt.roles:
        return None  # the tag index drives
    return QueueFilter(sources=flt.sources), replace(
        flt, sources=(), since=None, until=None, text=None
    )


def kept_size(db: sqlite3.Connection, flt: QueueFilter) -> int | None:
    """How many responses ``flt`` matches, from the kept counts; None when they cannot
    tell (the filter has more than triage, statuses and sources)."""
    counted = kept_count(flt)
    return None if counted is None else int(db.execute(*counted).fetchone()[0])


#: Above this many responses a filter is not walked for a common word's hits.
SMALL_PART = 100_000


def part_to_weigh(flt: QueueFilter) -> QueueFilter | None:
    """The part of the memory :func:`filter_is_smaller` weighs against a word's hits
    (None: no filter, nothing to weigh)."""
    return None if flt == QueueFilter() else replace(flt, text=None)


def filter_is_smaller(db: sqlite3.Connection, flt: QueueFilter, match: str) -> bool:
    """Whether a filter the kept counts can answer (source, status, triage) holds fewer
    responses than the search ``match`` has hits: then walking the filter's rows finds
    the newest hits sooner than walking the hits."""
    part = part_to_weigh(flt)
    if part is None:
        return False
    size = kept_size(db, part)
    if size is None or size > SMALL_PART:
        return False  # a large part: the word's hits meet it soon enough
    hits = db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM responses_fts WHERE responses_fts MATCH ? LIMIT ?)",
        (match, size + 1),
    ).fetchone()[0]
    return bool(hits > size)


def fan_out(flt: QueueFilter) -> list[QueueFilter]:
    """One filter per status when several are asked for, else one per source when
    several are and no tab narrows them (each then walks an index in queue order);
    empty when one query does."""
    if len(flt.statuses) > 1:
        return [replace(flt, statuses=(st,)) for st in dict.fromkeys(flt.statuses)]
    if len(flt.sources) > 1 and flt.triage is None and not flt.statuses:
        return [replace(flt, sources=(so,)) for so in dict.fromkeys(flt.sources)]
    return []


def queue_sql(
    flt: QueueFilter,
    *,
    after: Keyset | None = None,
    limit: int = 50,
    direction: Direction = "older",
    source_drives: bool | None = None,
    dialect: Dialect = SQLITE,
) -> tuple[str, list[Any]]:
    """The SELECT (and its parameters) behind :meth:`SqliteStore.queue`.

    ``source_drives``: with one source and a tab, walk the source's index (True) or the
    tab's (False); None: the source's only without a tab."""
    op, order = ("<", "DESC") if direction == "older" else (">", "ASC")
    kind, codes, rest = tag_driver(flt)
    if kind is None:

        def where(f: QueueFilter) -> Where:
            w = filter_where(f, source_drives=source_drives, dialect=dialect)
            if after is not None:
                w.add(f"(r.created_at, r.id) {op} (?, ?)", to_epoch(after.created_at), after.id)
            return w

        order_by = f"ORDER BY r.created_at {order}, r.id {order} LIMIT ?"
        if flag_driven(rest):
            w = filter_where(
                replace(rest, flagged=False), source_drives=source_drives, dialect=dialect
            )
            w.clauses.insert(0, "q.state = 'open'")
            if not dialect.postgres:
                w.clauses.insert(1, FIRST_OPEN_FLAG)
            if after is not None:
                w.add(
                    f"(q.response_created, q.response_id) {op} (?, ?)",
                    to_epoch(after.created_at),
                    after.id,
                )
            keys = "DISTINCT ON (q.response_created, q.response_id) " if dialect.postgres else ""
            sql = (
                f"SELECT {keys}{RESPONSE_COLS} FROM {flags_from(dialect)} "
                f"{RESPONSE_JOINS}{w.sql()} ORDER BY q.response_created {order}, "
                f"q.response_id {order} LIMIT ?"
            )
            return sql, [*w.params, limit]
        fan = fan_out(rest)
        if not fan:
            w = where(rest)
            return f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM}{w.sql()} {order_by}", [
                *w.params,
                limit,
            ]
        # Several sources or statuses: the first ``limit`` of each (one ordered index
        # walk apiece; a response has one source and one status, so no row twice), merged.
        arms, params = [], []
        for f in fan:
            w = where(f)
            sub = dialect.subquery(f"SELECT r.id FROM responses r{w.sql()} {order_by}", "a")
            arms.append(f"SELECT * FROM {sub}")
            params += [*w.params, limit]
        sql = f"SELECT {RESPONSE_COLS} FROM {dialect.rows_of(' UNION ALL '.join(arms))} {order_by}"
        return sql, [*params, limit]

    def arm(code: str, joins: str = "") -> tuple[str, list[Any]]:
        w = filter_where(rest, dialect=dialect)
        w.clauses.insert(0, "q.kind = ? AND q.code = ?")
        w.params[0:0] = [kind, code]
        if after is not None:
            w.add(
                f"(q.response_created, q.response_id) {op} (?, ?)",
                to_epoch(after.created_at),
                after.id,
            )
        not_blind(w, coder)
        order_by = f"ORDER BY q.response_created {order}, q.response_id {order} LIMIT ?"
        return f"{tag_driven(dialect)} {joins}{w.sql()} {order_by}", [*w.params, limit]

    coder = blind_to(flt)
    if len(codes) == 1 and coder is None:
        # CROSS JOIN: SQLite keeps the tag index as the outer loop.
        body, params = arm(codes[0], RESPONSE_JOINS)
        return f"SELECT {RESPONSE_COLS} FROM {body}", params
    # Several codes: the first ``limit`` of each code, merged; at most codes x limit rows.
    # A coder's blind responses: the first ``limit`` their own coding matches, beside.
    arms, params = [], []
    for code in codes:
        body, p = arm(code)
        arms.append(f"SELECT * FROM {dialect.subquery(f'SELECT q.response_id FROM {body}', 'a')}")
        params += p
    if coder is not None:
        joined, own = own_arm(flt, dialect)
        if after is not None:
            own.add(f"(r.created_at, r.id) {op} (?, ?)", to_epoch(after.created_at), after.id)
        newest = f"ORDER BY r.created_at {order}, r.id {order} LIMIT ?"
        mine = f"SELECT r.id FROM {joined}{own.sql()} {newest}"
        arms.append(f"SELECT * FROM {dialect.subquery(mine, 'o')}")
        params += [*own.params, limit]
    sql = (
        f"SELECT {RESPONSE_COLS} FROM {dialect.rows_of(' UNION ALL '.join(arms))} "
        f"ORDER BY r.created_at {order}, r.id {order} LIMIT ?"
    )
    return sql, [*params, limit]
