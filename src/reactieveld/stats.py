"""The dialogue figures: is the organisation in dialogue, or only collecting input?

Step 6 of DOMAIN.md ("beoordeel de waarde van de dialoog") made measurable. Every figure
is one SQL query on the memory store, so the dashboard stays fast on a million rows and
``reactieveld stats`` prints exactly what the dashboard shows.

Definitions (the tests compute them by hand from these sentences):

* **counted** responses: every response except spam, trash and deleted ones — those are
  not part of the dialogue. Volumes, coverage, backlog and answers use counted responses.
* **responses per day per source**: counted responses by local calendar day of arrival
  (``created_at``). The axis ends on the day of the newest counted response (or the day
  before ``until``) and runs ``days`` days back (or from ``since``).
* **coverage**: counted responses per planning question × role tag (``None``: no role).
  A response with two questions counts in both rows.
* **untagged backlog**: counted responses without any planning-question tag (and how many
  of those are still untriaged).
* **time to moderation**: per response, the first journal entry on it minus its arrival
  (never below zero); the median over responses that have a journal entry (any status).
* **organisation response**: one whose role tag is an organisation role of the codebook
  (``Codebook.organisation_roles``), or without a role tag, whose connector ``role_hint``
  is one. Every other counted response is a **citizen response** (role burger, or no
  organisation role).
* **answered**: a citizen response is answered when a later counted organisation response
  exists in the same thread (same source). The share answered and the median time to the
  first such answer.
"""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rich.cells import cell_len

from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.export._sql import placeholders
from reactieveld.model import TagKind
from reactieveld.tui.safe import one_line, shorten  # plain text, no Textual: as on screen

NOT_COUNTED = ("spam", "trash", "deleted")
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class DialogueStats:
    """The figures of the dialogue dashboard."""

    days: tuple[date, ...] = ()
    #: source name -> counted responses per day, aligned with ``days``
    per_day: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: (question code, role code or None) -> counted responses
    coverage: Mapping[tuple[str, str | None], int] = field(default_factory=dict)
    questions: tuple[str, ...] = ()  # matrix rows: the codebook's questions, then others
    roles: tuple[str | None, ...] = ()  # matrix columns: the codebook's roles, others, None
    total: int = 0  # counted responses
    untagged: int = 0
    untagged_new: int = 0
    moderated: int = 0  # responses with at least one journal entry
    median_to_moderation: float | None = None  # seconds
    citizen: int = 0
    answered: int = 0
    median_to_answer: float | None = None  # seconds

    @property
    def answer_share(self) -> float | None:
        """Answered citizen responses / citizen responses (None when there are none)."""
        return self.answered / self.citizen if self.citizen else None

    def question_total(self, code: str) -> int:
        """Counted responses tagged with this question (over all roles)."""
        return sum(n for (q, _), n in self.coverage.items() if q == code)

    def role_total(self, role: str | None) -> int:
        """Question tags on responses of this role (the column sum of the matrix)."""
        return sum(n for (_, r), n in self.coverage.items() if r == role)


def _ts(value: datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.astimezone()
    return int(value.timestamp())


def _local_day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).astimezone().date()


def _median_sql(cte: str, params: Sequence[Any], db: sqlite3.Connection) -> float | None:
    """Median of column ``d`` of a CTE body, in SQL (the middle one or two rows)."""
    sql = (
        f"WITH m AS ({cte}) SELECT avg(d) FROM (SELECT d FROM m ORDER BY d "
        "LIMIT 2 - (SELECT count(*) FROM m) % 2 OFFSET ((SELECT count(*) FROM m) - 1) / 2)"
    )
    value = db.execute(sql, [*params]).fetchone()[0]
    return None if value is None else float(value)


async def compute_stats(
    store: Any,
    codebook: Codebook = DEFAULT_CODEBOOK,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    sources: Sequence[str] = (),
    days: int = DEFAULT_DAYS,
) -> DialogueStats:
    """The dashboard's figures for responses that arrived in ``[since, until)``."""
    org = sorted(codebook.organisation_roles) or ["\x00none"]
    lo, hi = _ts(since), _ts(until)

    def fn(db: sqlite3.Connection) -> DialogueStats:
        # The range and source restriction, shared by every query (alias r).
        where = ["1"]
        params: list[Any] = []
        if lo is not None:
            where.append("r.created_at >= ?")
            params.append(lo)
        if hi is not None:
            where.append("r.created_at < ?")
            params.append(hi)
        if sources:
            where.append(
                f"r.source_id IN (SELECT id FROM sources WHERE name IN {placeholders(sources)})"
            )
            params.extend(sources)
        scope = " AND ".join(where)
        counted = f"r.remote_status NOT IN {placeholders(NOT_COUNTED)}"
        cparams = [*params, *NOT_COUNTED]
        base = f"{scope} AND {counted}"

        total = db.execute(f"SELECT count(*) FROM responses r WHERE {base}", cparams).fetchone()[0]

        # -- responses per day per source --------------------------------------------------
        newest = db.execute(f"SELECT max(r.created_at) FROM responses r WHERE {base}", cparams)
        newest_ts = newest.fetchone()[0]
        if hi is not None:
            end = _local_day(hi - 1)
        elif newest_ts is not None:
            end = _local_day(newest_ts)
        else:
            end = datetime.now().astimezone().date()
        start = _local_day(lo) if lo is not None else end - timedelta(days=max(days, 1) - 1)
        axis = tuple(start + timedelta(days=i) for i in range((end - start).days + 1))
        index = {d.isoformat(): i for i, d in enumerate(axis)}
        per_day: dict[str, list[int]] = {}
        for name in db.execute("SELECT name FROM sources ORDER BY name"):
            if not sources or name[0] in sources:
                per_day[name[0]] = [0] * len(axis)
        for name, day, n in db.execute(
            "SELECT s.name, date(r.created_at, 'unixepoch', 'localtime'), count(*) "
            f"FROM responses r JOIN sources s ON s.id = r.source_id WHERE {base} GROUP BY 1, 2",
            cparams,
        ):
            i = index.get(day)
            if i is not None:
                per_day.setdefault(name, [0] * len(axis))[i] = n

        # -- coverage matrix -----------------------------------------------------------------
        coverage: dict[tuple[str, str | None], int] = {}
        for q, role, n in db.execute(
            "SELECT q.code, (SELECT t.code FROM tags t WHERE t.response_id = r.id "
            "AND t.kind = 'role'), count(*) FROM tags q JOIN responses r ON r.id = q.response_id "
            f"WHERE q.kind = 'question' AND {base} GROUP BY 1, 2",
            cparams,
        ):
            coverage[(q, role)] = n
        known_q = [c.code for c in codebook.codes(TagKind.QUESTION)]
        questions = tuple(known_q + sorted({q for q, _ in coverage} - set(known_q)))
        known_r = [c.code for c in codebook.codes(TagKind.ROLE)]
        extra_r = sorted({r for _, r in coverage if r is not None} - set(known_r))
        roles: tuple[str | None, ...] = (*known_r, *extra_r, None)

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
        def is_org(alias: str) -> str:
            return (
                f"coalesce((SELECT t.code FROM tags t WHERE t.response_id = {alias}.id "
                f"AND t.kind = 'role'), {alias}.role_hint, '') IN {placeholders(org)}"
            )

        first_answer = (
            "SELECT min(o.created_at) FROM responses o WHERE o.source_id = r.source_id "
            "AND o.thread_external_id = r.thread_external_id "
            "AND (o.created_at > r.created_at OR (o.created_at = r.created_at AND o.id > r.id)) "
            f"AND o.remote_status NOT IN {placeholders(NOT_COUNTED)} AND {is_org('o')}"
        )
        citizen_rows = (
            f"SELECT r.created_at AS c, ({first_answer}) AS a FROM responses r "
            f"WHERE {base} AND NOT ({is_org('r')})"
        )
        cit_params = [*NOT_COUNTED, *org, *cparams, *org]
        citizen, answered = db.execute(
            f"SELECT count(*), count(a) FROM ({citizen_rows})", cit_params
        ).fetchone()
        median_answer = _median_sql(
            f"SELECT a - c AS d FROM ({citizen_rows}) WHERE a IS NOT NULL", cit_params, db
        )

        return DialogueStats(
            days=axis,
            per_day={k: tuple(v) for k, v in per_day.items()},
            coverage=coverage,
            questions=questions,
            roles=roles,
            total=total,
            untagged=untagged,
            untagged_new=untagged_new,
            moderated=moderated,
            median_to_moderation=median_mod,
            citizen=citizen,
            answered=answered,
            median_to_answer=median_answer,
        )

    return await store.read(fn)


# -- text rendering (``reactieveld stats``) --------------------------------------------------

_TEXT = {
    "nl": {
        "title": "Waarde van de dialoog",
        "range": "Periode",
        "total": "Reacties (zonder spam en prullenbak)",
        "per_day": "Reacties per dag per bron",
        "coverage": "Dekking: planningsvraag × rol",
        "no_role": "geen rol",
        "sum": "totaal",
        "backlog": "Nog niet gecodeerd (geen planningsvraag)",
        "of_which_new": "waarvan nog niet behandeld",
        "moderation": "Mediane tijd tot moderatie",
        "over": "over",
        "responses": "reacties",
        "answered": "Reacties van burgers met antwoord van de organisatie",
        "answer_time": "Mediane tijd tot dat antwoord",
        "none": "—",
        "question": "Vraag",
        "questions": "Vragen",
        "roles": "Rollen",
    },
    "en": {
        "title": "Value of the dialogue",
        "range": "Period",
        "total": "Responses (without spam and trash)",
        "per_day": "Responses per day per source",
        "coverage": "Coverage: planning question × role",
        "no_role": "no role",
        "sum": "total",
        "backlog": "Not coded yet (no planning question)",
        "of_which_new": "of which untriaged",
        "moderation": "Median time to moderation",
        "over": "over",
        "responses": "responses",
        "answered": "Citizen responses answered by the organisation",
        "answer_time": "Median time to that answer",
        "none": "—",
        "question": "Question",
        "questions": "Questions",
        "roles": "Roles",
    },
}

SPARK = " ▁▂▃▄▅▆▇█"


def text(key: str, language: str = "nl") -> str:
    """A label of the figures in ``language`` (nl or en)."""
    return _TEXT.get(language, _TEXT["en"]).get(key, key)


def sparkline(values: Sequence[int]) -> str:
    """One character per value, ▁ to █ relative to the largest (a blank for zero)."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(SPARK[0 if v <= 0 else max(1, round(v / top * 8))] for v in values)


def format_duration(seconds: float | None, language: str = "nl") -> str:
    """A duration for people: ``2 d 3 h``, ``4 h 10 min``, ``12 min`` (``—`` for none)."""
    if seconds is None:
        return text("none", language)
    s = int(round(seconds))
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m = rest // 60
    hour = "u" if language == "nl" else "h"
    if d:
        return f"{d} d {h} {hour}"
    if h:
        return f"{h} {hour} {m} min"
    if m:
        return f"{m} min"
    return f"{s} s"


def format_share(part: int, whole: int) -> str:
    """``12 / 40 (30%)``; ``0 / 0`` without a percentage."""
    if not whole:
        return "0 / 0"
    return f"{part} / {whole} ({round(100 * part / whole)}%)"


def role_label(codebook: Codebook, role: str | None, language: str) -> str:
    """A role column's label (the codebook's, or "no role")."""
    if role is None:
        return text("no_role", language)
    return codebook.label(TagKind.ROLE, role, language)


def role_head(role: str | None, language: str) -> str:
    """A coverage column's header: the role code (what ``--role`` takes, and short), or
    "no role"."""
    return text("no_role", language) if role is None else role


def role_legend(
    codebook: Codebook,
    roles: Sequence[str | None],
    language: str,
    width: int,
    indent: str = "",
) -> list[str]:
    """What the role codes of the coverage columns mean, where the label says more than
    the code (``Rollen: raad = Raadslid · college = College (B&W)``), in lines of at most
    ``width`` that break between two "code = label" pairs, never inside one; [] when no
    label says more."""
    nbsp = "\N{NO-BREAK SPACE}"  # textwrap breaks only at the other spaces
    pairs = []
    for role in roles:
        if role is None:
            continue
        label = codebook.label(TagKind.ROLE, role, language)
        if label.casefold() != role.casefold():
            pairs.append(f"{role} = {label}".replace(" ", nbsp))
    if not pairs:
        return []
    legend = f"{text('roles', language)}:{nbsp}{(nbsp + '· ').join(pairs)}"
    lines = textwrap.wrap(legend, width, initial_indent=indent, subsequent_indent=indent + "  ")
    return [line.replace(nbsp, " ") for line in lines]


def question_label(codebook: Codebook, code: str, language: str) -> str:
    """A coverage row's label: the question's code and its text (``1 Welke doelen…?``)."""
    return one_line(f"{code} {codebook.label(TagKind.QUESTION, code, language)}")


#: The question column is never cut below this; a narrower screen scrolls the table.
QUESTION_MIN = 12
#: Between two columns of the coverage table (the dashboard's cell padding too).
GAP = 2


@dataclass(frozen=True)
class CoverageTable:
    """The coverage matrix laid out for a width: every role column whole, the question
    labels cut (ending in "…") to what the role columns leave."""

    roles: tuple[str | None, ...]
    heads: tuple[str, ...]  # per role column
    widths: tuple[int, ...]  # per role column, in cells
    total_width: int
    labels: tuple[str, ...]  # per question, cut to label_width
    label_width: int
    counts: tuple[tuple[int, ...], ...]  # per question, per role column
    totals: tuple[int, ...]  # per question
    cut: bool  # a question label was cut: show them in full elsewhere


def coverage_table(
    stats: DialogueStats,
    codebook: Codebook,
    language: str,
    width: int,
    *,
    roles: Sequence[str | None] | None = None,
) -> CoverageTable:
    """The coverage matrix in ``width`` cells: question column, role columns, total,
    ``GAP`` cells between columns and none outside. Below the room for
    :data:`QUESTION_MIN` the result is wider than ``width`` (the caller scrolls)."""
    cols = tuple(stats.roles if roles is None else roles)
    heads = tuple(role_head(r, language) for r in cols)
    counts = tuple(tuple(stats.coverage.get((q, r), 0) for r in cols) for q in stats.questions)
    totals = tuple(stats.question_total(q) for q in stats.questions)
    widths = tuple(
        max([cell_len(h), *(len(str(row[i])) for row in counts)]) for i, h in enumerate(heads)
    )
    total_width = max([len(text("sum", language)), *(len(str(n)) for n in totals)])
    full = [question_label(codebook, q, language) for q in stats.questions]
    longest = max([cell_len(text("question", language)), *(cell_len(x) for x in full)])
    room = width - sum(widths) - total_width - GAP * (len(cols) + 1)
    label_width = max(min(longest, room), QUESTION_MIN)
    labels = tuple(shorten(x, label_width) for x in full)
    return CoverageTable(
        roles=cols,
        heads=heads,
        widths=widths,
        total_width=total_width,
        labels=labels,
        label_width=label_width,
        counts=counts,
        totals=totals,
        cut=labels != tuple(full),
    )


def render_text(
    stats: DialogueStats, codebook: Codebook, language: str = "nl", width: int = 120
) -> str:
    """The figures as plain text, as ``reactieveld stats`` prints them; the coverage
    table fits ``width`` columns (question labels cut, and then listed in full below)."""
    t = lambda key: text(key, language)  # noqa: E731
    lines = [t("title"), "=" * len(t("title"))]
    if stats.days:
        lines.append(f"{t('range')}: {stats.days[0].isoformat()} – {stats.days[-1].isoformat()}")
    lines.append(f"{t('total')}: {stats.total}")
    lines.append("")
    lines.append(t("per_day"))
    name_w = max((len(name) for name in stats.per_day), default=0)
    for name, values in stats.per_day.items():
        lines.append(f"  {name.ljust(name_w)}  {sparkline(values)}  {sum(values)}")
    lines.append("")
    lines.append(t("coverage"))
    roles = [r for r in stats.roles if r is not None or stats.role_total(None)]
    # Two spaces of indent, then the table in what is left of the width.
    table = coverage_table(stats, codebook, language, width - 2, roles=roles)
    cols = [*table.widths, table.total_width]
    lines.append(
        "  "
        + t("question").ljust(table.label_width)
        + "".join("  " + h.rjust(w) for h, w in zip([*table.heads, t("sum")], cols, strict=True))
    )
    for label, counts, total in zip(table.labels, table.counts, table.totals, strict=True):
        cells = [str(n or "·") for n in counts] + [str(total)]
        lines.append(
            "  "
            + label.ljust(table.label_width)
            + "".join("  " + c.rjust(w) for c, w in zip(cells, cols, strict=True))
        )
    lines.extend(role_legend(codebook, roles, language, width, indent="  "))
    if table.cut:
        lines.append(f"  {t('questions')}:")
        lines.extend(f"    {question_label(codebook, q, language)}" for q in stats.questions)
    lines.append("")
    lines.append(f"{t('backlog')}: {stats.untagged} ({t('of_which_new')}: {stats.untagged_new})")
    lines.append(
        f"{t('moderation')}: {format_duration(stats.median_to_moderation, language)} "
        f"({t('over')} {stats.moderated} {t('responses')})"
    )
    lines.append(f"{t('answered')}: {format_share(stats.answered, stats.citizen)}")
    lines.append(f"{t('answer_time')}: {format_duration(stats.median_to_answer, language)}")
    return "\n".join(lines) + "\n"


def parse_date(value: str, *, end: bool = False) -> datetime:
    """``YYYY-MM-DD`` (local midnight) or an ISO date-time; ``end`` makes a date inclusive
    (the next day's midnight), for ``--until``. Raises ValueError with a readable text."""
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day).astimezone()
            return moment + timedelta(days=1) if end else moment
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.astimezone()


async def _stats_main(config: Any, db_path: Any, args: Any, out: Any) -> int:
    from reactieveld.store.sqlite import SqliteStore

    codebook = getattr(config, "codebook", DEFAULT_CODEBOOK)
    language = str(
        getattr(args, "lang", None) or getattr(getattr(config, "ui", None), "language", "nl")
    )
    try:
        since = parse_date(args.since) if getattr(args, "since", None) else None
        until = parse_date(args.until, end=True) if getattr(args, "until", None) else None
    except ValueError as exc:
        print(f"reactieveld stats: {exc}", file=out)
        return 2
    store = await SqliteStore.open(db_path, codebook_version=codebook.version)
    try:
        stats = await compute_stats(
            store,
            codebook,
            since=since,
            until=until,
            sources=tuple(getattr(args, "source", None) or ()),
            days=getattr(args, "days", None) or DEFAULT_DAYS,
        )
    finally:
        await store.close()
    # A terminal's own width (full question labels on a wide one); 120 into a file or pipe.
    width = shutil.get_terminal_size((120, 24)).columns if out.isatty() else 120
    out.write(render_text(stats, codebook, language, width))
    return 0


def run_stats_command(config: Any, db_path: Any, args: Any, *, out: Any = None) -> int:
    """Entry point of ``reactieveld stats``: prints the dashboard's figures; exit code."""
    import asyncio
    import sys

    return asyncio.run(_stats_main(config, db_path, args, out or sys.stdout))


def coverage_rows(
    stats: DialogueStats, codebook: Codebook, language: str
) -> list[tuple[str, list[int], int]]:
    """The matrix for display: (question label, counts per role column, row total)."""
    return [
        (
            f"{q} {codebook.label(TagKind.QUESTION, q, language)}",
            [stats.coverage.get((q, r), 0) for r in stats.roles],
            stats.question_total(q),
        )
        for q in stats.questions
    ]
