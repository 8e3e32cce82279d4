"""The dialogue figures computed a second way: a plain Python pass over every row, read
raw from the SQLite file with the ``sqlite3`` module (no store, no SQL of read/figures.py).

Written from the definitions (the module docstring of ``reactieveld.read.figures`` and the
``stats.*.def`` lines), not from the queries: when the two ways differ, one of them does
not say what it counts.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from reactieveld.codebook import Codebook
from reactieveld.read.figures import DialogueStats, Period

NOT_DIALOGUE = {"spam", "trash", "deleted"}
#: A decision: a status set, a response marked handled, a reply (it marks it handled).
DECISIONS = ("moderate", "handle", "reply")


@dataclass
class Row:
    id: int
    source: str
    thread: str | None
    at: int
    status: str
    triage: str
    hint: str | None
    questions: set[str]
    role_tags: set[str]
    actions: list[int]

    @property
    def role(self) -> str | None:
        # The coded role, else what the platform recorded, else unknown.
        if self.role_tags:
            return min(self.role_tags)
        return self.hint or None

    @property
    def counted(self) -> bool:
        return self.status not in NOT_DIALOGUE


def read_rows(path: Path) -> list[Row]:
    """Every response with its tags and journal times, straight from the file."""
    db = sqlite3.connect(path)
    try:
        names = dict(db.execute("SELECT id, name FROM sources"))
        rows = {
            rid: Row(rid, names[sid], thread, at, status, triage, hint, set(), set(), [])
            for rid, sid, thread, at, status, triage, hint in db.execute(
                "SELECT id, source_id, thread_external_id, created_at, remote_status, triage, "
                "role_hint FROM responses"
            )
        }
        for rid, kind, code in db.execute("SELECT response_id, kind, code FROM tags"):
            (rows[rid].questions if kind == "question" else rows[rid].role_tags).add(code)
        for rid, at in db.execute("SELECT response_id, at FROM actions"):
            if rid is not None:
                rows[rid].actions.append(at)
    finally:
        db.close()
    return list(rows.values())


def utc_day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def oracle(
    path: Path, codebook: Codebook, period: Period, sources: tuple[str, ...] = ()
) -> dict[str, object]:
    """Every figure of the dashboard, by hand."""
    rows = read_rows(path)
    org = codebook.organisation_roles
    lo, hi = period.start.timestamp(), period.end.timestamp()

    def in_scope(r: Row) -> bool:
        return lo <= r.at < hi and (not sources or r.source in sources)

    scoped = [r for r in rows if in_scope(r)]
    counted = [r for r in scoped if r.counted]
    all_sources = sorted({r.source for r in rows} | set(_source_names(path)))
    per_day = {
        s: tuple(
            sum(1 for r in counted if r.source == s and utc_day(r.at) == d) for d in period.days
        )
        for s in all_sources
        if not sources or s in sources
    }
    coverage: Counter[tuple[str, str | None]] = Counter()
    for r in counted:
        for q in r.questions:
            coverage[(q, r.role)] += 1
    by_role = Counter(r.role for r in counted)
    untagged = [r for r in counted if not r.questions]
    waits = [max(0, min(r.actions) - r.at) for r in scoped if r.actions]

    outside = [r for r in counted if r.role not in org]
    answer_waits = []
    for r in outside:
        answers = [
            o.at
            for o in rows
            if o.source == r.source
            and r.thread is not None
            and o.thread == r.thread
            and o.counted
            and o.role in org
            and (o.at > r.at or (o.at == r.at and o.id > r.id))
        ]
        if answers:
            answer_waits.append(min(answers) - r.at)
    roles = [c.code for c in codebook.roles]
    return {
        "total": len(counted),
        "per_day": per_day,
        "coverage": dict(coverage),
        "by_role": dict(by_role),
        "untagged": len(untagged),
        "untagged_new": sum(1 for r in untagged if r.triage == "new"),
        "moderated": len(waits),
        "median_to_moderation": statistics.median(waits) if waits else None,
        "citizen": len(outside),
        "answered": len(answer_waits),
        "median_to_answer": statistics.median(answer_waits) if answer_waits else None,
        "missing_questions": tuple(
            c.code for c in codebook.questions if not any(q == c.code for q, _ in coverage)
        ),
        "missing_roles": tuple(r for r in roles if not by_role.get(r)),
        "by_moderator": by_moderator(path, period, sources),
        "claimed_by_other": claimed_by_other(team_rows(path), period, sources),
    }


def by_moderator(
    path: Path, period: Period, sources: tuple[str, ...] = ()
) -> dict[str, tuple[int, int]]:
    """Per moderator: (decisions, codings) written in the period, from the raw journal:
    decisions are statuses set and responses marked handled (by a reply too), codings
    are questions on or off and roles set; an entry undone later, and the undo itself, do
    not count."""
    db = sqlite3.connect(path)
    try:
        source_of = dict(
            db.execute("SELECT r.id, s.name FROM responses r JOIN sources s ON s.id = r.source_id")
        )
        journal = db.execute("SELECT id, at, actor, kind, response_id, undoes FROM actions")
        entries = list(journal)
    finally:
        db.close()
    undone = {undoes for *_, undoes in entries if undoes is not None}
    lo, hi = period.start.timestamp(), period.end.timestamp()
    out: dict[str, list[int]] = {}
    for eid, at, actor, kind, rid, _ in entries:
        if eid in undone or not lo <= at < hi:
            continue
        if sources and source_of.get(rid) not in sources:
            continue
        slot = 0 if kind in DECISIONS else {"tag": 1, "untag": 1, "role": 1}.get(kind)
        if slot is not None:
            out.setdefault(actor, [0, 0])[slot] += 1
    return {actor: (d, c) for actor, (d, c) in sorted(out.items())}


@dataclass
class TeamRows:
    """The raw rows the team's figures come from, of either backend."""

    #: journal entries: (id, at, actor, kind, response_id, undoes)
    journal: list[tuple[int, int, str, str, int | None, int | None]]
    #: the claim log: (id, response_id, actor, at)
    claims: list[tuple[int, int, str, int]]
    #: response id -> its source's name
    source_of: dict[int, str]


JOURNAL_SQL = "SELECT id, at, actor, kind, response_id, undoes FROM actions"
CLAIMS_SQL = "SELECT id, response_id, actor, at FROM claim_log"
SOURCES_SQL = "SELECT r.id, s.name FROM responses r JOIN sources s ON s.id = r.source_id"


def team_rows(path: Path) -> TeamRows:
    """:class:`TeamRows` straight from a SQLite file."""
    db = sqlite3.connect(path)
    try:
        return TeamRows(
            list(db.execute(JOURNAL_SQL)),
            list(db.execute(CLAIMS_SQL)),
            dict(db.execute(SOURCES_SQL)),
        )
    finally:
        db.close()


async def team_rows_of(store: object) -> TeamRows:
    """:class:`TeamRows` of either backend, by raw SQL on the store's own connection."""
    from helpers.store import sql

    return TeamRows(
        list(await sql(store, JOURNAL_SQL)),  # type: ignore[arg-type]
        list(await sql(store, CLAIMS_SQL)),  # type: ignore[arg-type]
        dict(await sql(store, SOURCES_SQL)),  # type: ignore[arg-type]
    )


def claimed_by_other(
    rows: TeamRows, period: Period, sources: tuple[str, ...] = ()
) -> tuple[int, int]:
    """(responses decided in the period that someone claimed at or before the decision,
    those decided by another than the last claimer), by the definition: per response its
    last decision in the period that was not undone (statuses set, marked handled; one
    entry per response, so a decision on marked responses counts per response), and the
    claim that began last (by time, then by order of the log) at or before its second."""
    undone = {undoes for *_, undoes in rows.journal if undoes is not None}
    lo, hi = period.start.timestamp(), period.end.timestamp()
    last: dict[int, tuple[int, int, str]] = {}  # response -> (entry id, at, actor)
    for eid, at, actor, kind, rid, _ in rows.journal:
        if kind not in DECISIONS or rid is None or eid in undone:
            continue
        if not lo <= at < hi or (sources and rows.source_of.get(rid) not in sources):
            continue
        if rid not in last or eid > last[rid][0]:
            last[rid] = (eid, at, actor)
    claimed = other = 0
    for rid, (_, at, actor) in last.items():
        before = [
            (c_at, cid, who) for cid, c_rid, who, c_at in rows.claims if c_rid == rid and c_at <= at
        ]
        if before:
            claimed += 1
            other += max(before)[2] != actor
    return claimed, other


def _source_names(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [name for (name,) in db.execute("SELECT name FROM sources")]
    finally:
        db.close()


def agree(stats: DialogueStats, expected: dict[str, object]) -> None:
    """The store's figures equal the oracle's, and hang together on one screen."""
    got = {
        "total": stats.total,
        "per_day": dict(stats.per_day),
        "coverage": dict(stats.coverage),
        "by_role": dict(stats.by_role),
        "untagged": stats.untagged,
        "untagged_new": stats.untagged_new,
        "moderated": stats.moderated,
        "median_to_moderation": stats.median_to_moderation,
        "citizen": stats.citizen,
        "answered": stats.answered,
        "median_to_answer": stats.median_to_answer,
        "missing_questions": stats.missing_questions,
        "missing_roles": stats.missing_roles,
        "by_moderator": dict(stats.by_moderator),
        "claimed_by_other": (stats.claimed_decided, stats.decided_by_other),
    }
    assert got == expected
    # One screen, one count: the days add up to the total, the roles too, and the whole
    # of the answer figure is the "all responses" cells outside the organisation.
    assert sum(sum(v) for v in stats.per_day.values()) == stats.total
    assert sum(stats.by_role.values()) == stats.total
    outside = sum(n for r, n in stats.by_role.items() if r not in stats.organisation_roles)
    assert outside == stats.citizen
    assert stats.period is not None and stats.days == stats.period.days
    assert not set(stats.missing_roles) & {r for r, n in stats.by_role.items() if n}


# -- moderation rules (issue 16) -------------------------------------------------------------

FLAGS_SQL = "SELECT id, response_id, rule, flagged_at FROM rule_flags"
DECISIONS_SQL = "SELECT id, at, actor, kind, response_id, after, undoes FROM actions"


async def rule_rows_of(store: object) -> tuple[list[tuple], list[tuple]]:
    """The raw flags (id, response, rule, time) and journal (id, time, actor, kind,
    response, after as JSON, undoes) of either backend, by raw SQL."""
    from helpers.store import sql

    flags = await sql(store, FLAGS_SQL)  # type: ignore[arg-type]
    journal = await sql(store, DECISIONS_SQL)  # type: ignore[arg-type]
    return flags, journal


def rule_tallies(
    flags: list[tuple],
    journal: list[tuple],
    since: int,
    until: int,
    *,
    initial: str = "approved",
) -> dict[str, tuple[int, int, int, int]]:
    """Per rule (caught, misfired, upheld, open) of its flags made in [since, until),
    by the definition (``stats.rules.def``), from the journal instead of the flags' own
    state: a flag is settled by the first moderator's decision on its response at or
    after its time that was not undone (a status set, or marked handled; a rule's own
    hold, actor ``rule:<name>``, is no decision); released, i.e. approved or handled
    while approved, is a misfire, anything else upheld; no such decision: open.
    The status at a "handled" is the one the last standing status change left
    (``initial`` before any): responses whose status only the journal changes."""
    import json

    undone = {row[6] for row in journal if row[6] is not None}
    standing = sorted(
        (row for row in journal if row[0] not in undone and row[3] in ("moderate", "handle")),
        key=lambda row: row[0],
    )

    def status_before(rid: int, eid: int) -> str:
        status = initial
        for jid, _, _, kind, r, after, _ in standing:
            if jid >= eid:
                break
            if r == rid and kind == "moderate":
                status = json.loads(after)["status"]
        return status

    out: dict[str, list[int]] = {}
    for _, rid, rule, at in flags:
        if not since <= at < until:
            continue
        tally = out.setdefault(rule, [0, 0, 0, 0])
        tally[0] += 1
        decision = next(
            (
                row
                for row in standing
                if row[4] == rid and row[1] >= at and not str(row[2]).startswith("rule:")
            ),
            None,
        )
        if decision is None:
            tally[3] += 1
            continue
        jid, _, _, kind, _, after, _ = decision
        status = json.loads(after)["status"] if kind == "moderate" else status_before(rid, jid)
        tally[1 if status == "approved" else 2] += 1
    return {rule: (t[0], t[1], t[2], t[3]) for rule, t in out.items()}
