"""The dialogue figures: is the organisation in dialogue, or only collecting input?

Step 6 of DOMAIN.md ("beoordeel de waarde van de dialoog") made measurable. Every figure
is one SQL query on the memory store, so the dashboard stays fast on a million rows and
``reactieveld stats`` prints exactly what the dashboard shows. Each figure's definition is
also a line of UI text (``stats.*.def`` in :mod:`reactieveld.i18n`), shown beside it.

Definitions (the tests compute them a second way, in Python over the raw rows):

* **period**: whole calendar days in UTC (the store keeps aware UTC times), first to last
  day inclusive (:class:`Period`). Every figure counts responses that *arrived*
  (``created_at``) in the period; nothing is "all time".
* **counted** responses: every response except spam, trash and deleted ones — those are
  not part of the dialogue. Volumes, coverage, backlog and answers use counted responses.
* **role** of a response (:func:`reactieveld.store.figures.role_sql`, the one rule): its
  coded role tag, else the role its platform (or the demo) recorded (``role_hint``),
  else unknown (``None``).
* **responses per day per source**: counted responses by UTC day of arrival; the days
  add up to the total.
* **coverage**: counted responses per planning question × role; a response with two
  questions counts in both rows. ``by_role``: counted responses per role, each once.
* **roles not taking part**: codebook roles without a counted response in the period.
* **untagged backlog**: counted responses without any planning-question tag (and how many
  of those are still untriaged).
* **time to moderation**: per response (any status), the first journal entry on it minus
  its arrival (never below zero); the median over responses that have a journal entry.
* **from outside the organisation** (:func:`reactieveld.store.figures.outside_sql`): a
  counted response whose role is not one of ``Codebook.organisation_roles`` (unknown
  included: platforms mark their staff, everyone else is a visitor). The citizens of the
  answer figure.
* **answered**: a later counted response with an organisation role exists in the same
  thread (same source; a later one at the same second counts when stored after it), at
  any time, also after the period. The share answered and the median time to the first
  such answer.
* **per moderator**: journal entries written in the period (the journal's time, not the
  response's arrival), per actor; decisions = ``moderate``, ``handle`` and ``reply`` (a
  reply marks its response handled), codings = a
  question on or off and a role set; an entry undone later and the undo do not count.
* **claimed by one, decided by another**: the responses decided in the period (by the
  journal's time; each response once, by its last decision there that was not undone; a
  decision on marked responses counts per response) that someone had claimed at or
  before that decision's second (the claim log: every claim that began, renewals not);
  of those, the share whose deciding moderator is not the moderator of the claim that
  began last before the decision.
* **kept in the memory only**: the responses whose newest write-back (a decision or a
  reply), queued in the period (the decision's time), failed or conflicted with a kind
  no resend ever mends (``model_values.FINAL_KINDS``: the comment gone from the site, a
  status it refuses); each response once. The header's "not written back" counts the
  others. Shown, with its definition, only when there are any (as the rules' tallies).
"""

from __future__ import annotations

import contextlib
import shutil
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rich.cells import cell_len

from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.config import language_of
from reactieveld.i18n import counted, number
from reactieveld.i18n import text as ui_text
from reactieveld.model import TagKind
from reactieveld.read.agreement import (
    AgreementFigures,
    agreement_definition,
    agreement_lines,
    period_agreement,
)
from reactieveld.read.days import future_note, today_utc, up_to_today
from reactieveld.store.base import FiguresStore, RuleTally, StoreError
from reactieveld.store.values import FigureQuery
from reactieveld.text import (  # plain text, no Textual: as on screen
    fit_parts,
    one_line,
    preview,
    say_error,
    shorten,
)

NOT_COUNTED = ("spam", "trash", "deleted")
DEFAULT_DAYS = 30


class DateRangeError(ValueError):
    """A date the calendar has, but not its UTC day or the day after it (``--until
    9999-12-31``): :func:`parse_date` cannot make it a moment."""


class PeriodError(ValueError):
    """A period that names no days (``--days 0``, ``--since`` after ``--until``)."""


@dataclass(frozen=True)
class PeriodNames:
    """How a period's errors name its three parts: ``stats``' flags (:data:`FLAGS`), or
    the fields of the dashboard's period dialog (their labels). One rule, two namings."""

    since: str
    until: str
    days: str

    def values(self) -> dict[str, str]:
        """The names as the error texts' placeholders (``{since}``, ``{until}``, ``{days}``)."""
        return {"since": self.since, "until": self.until, "days": self.days}


#: The command line's names: ``reactieveld stats --since --until --days``.
FLAGS = PeriodNames("--since", "--until", "--days")


@dataclass(frozen=True)
class Period:
    """Whole UTC calendar days, ``first`` to ``last`` inclusive."""

    first: date
    last: date
    #: Days after ``last`` were asked, but they lie in the future: the period was cut at
    #: today (the one rule, :func:`reactieveld.read.days.up_to_today`), its label says so.
    cut: bool = field(default=False, compare=False)

    @property
    def start(self) -> datetime:
        """The first day's 00:00 UTC (included)."""
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The day after the last one, 00:00 UTC (excluded)."""
        return self.start + timedelta(days=len(self))

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the period, oldest first."""
        return tuple(self.first + timedelta(days=i) for i in range(len(self)))

    def label(self, language: str = "nl") -> str:
        """``2026-11-05 – 2026-12-04 (30 dagen, UTC)``; a :attr:`cut` period adds
        :func:`future_note` (``...; tot vandaag: ...``)."""
        span = counted("stats.days", language, n=len(self))
        if self.cut:
            span += f"; {future_note(language)}"
        return f"{self.first.isoformat()} – {self.last.isoformat()} ({span})"


def _day(value: str | date | None, name: str, language: str) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(text("err.date", language).format(flag=name, value=repr(value))) from None


def period_of(
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    days: int | None = None,
    today: date | None = None,
    language: str = "en",
    names: PeriodNames = FLAGS,
) -> Period:
    """The one period of every figure, from ``--since``/``--until`` (``YYYY-MM-DD``, UTC
    days, both inclusive) and ``--days``: without ``--since``, ``days`` (30) days ending
    on ``--until`` or today (UTC); with ``--since`` alone, ``days`` days from it, or up to
    today. All three at once, ``days`` below 1, or ``--since`` after ``--until`` raise
    :class:`PeriodError` (exit 2 on the command line), as does an unparsable date; its
    line names the three by ``names`` (the flags, or the dialog's fields)."""
    named = names.values()
    if days is not None and days < 1:
        raise PeriodError(text("err.days", language).format(**named))
    first = _day(since, names.since, language)
    last = _day(until, names.until, language)
    if first is not None and last is not None and days is not None:
        raise PeriodError(text("err.three", language).format(**named))
    today = today or today_utc()
    try:
        period = _period(first, last, days, today, language, named)
        period.end  # noqa: B018 (the day after the last one must be a date too)
    except OverflowError:  # before year 1 or after 9999: no calendar day
        raise PeriodError(text("err.range", language)) from None
    if period.first > today:  # no day of it has happened
        span = f"{period.first.isoformat()} – {period.last.isoformat()}"
        raise _future_error(span, today, language)
    last, cut = up_to_today(period.last, today)
    return Period(period.first, last, cut) if cut else period


def _period(
    first: date | None,
    last: date | None,
    days: int | None,
    today: date,
    language: str,
    named: Mapping[str, str],
) -> Period:
    # period_of's days, once its words are checked (dates may run off the calendar).
    if first is None:
        last = last or today
        return Period(last - timedelta(days=(days or DEFAULT_DAYS) - 1), last)
    if last is None:
        if days is not None:
            return Period(first, first + timedelta(days=days - 1))
        if first > today:
            raise PeriodError(
                text("err.future", language).format(**named, first=first.isoformat(), today=today)
            )
        return Period(first, today)
    if first > last:
        raise _order_error(first.isoformat(), last.isoformat(), language, named)
    return Period(first, last)


def _order_error(first: str, last: str, language: str, named: Mapping[str, str]) -> PeriodError:
    """``--since X is after --until Y``: the one line of every period that ends before
    it begins (stats' days, export's and search's moments)."""
    return PeriodError(text("err.order", language).format(**named, first=first, last=last))


@contextlib.contextmanager
def period_advice(chosen: bool = True) -> Iterator[None]:
    """A store's error said where the reader chose a period (``chosen``: stats, export's and
    agreement's ``--since``/``--until``): one that took the server too long advises a
    shorter period (:meth:`StoreError.for_a_period`: the same kind of error)."""
    try:
        yield
    except StoreError as exc:
        advised = exc.for_a_period() if chosen else exc
        if advised is exc:
            raise
        raise advised from exc


def _future_error(span: str, today: date, language: str) -> PeriodError:
    """The one line of a period wholly after ``today`` (stats' days, export's and
    agreement's moments): no day of ``span`` has happened yet."""
    return PeriodError(text("err.all_future", language).format(period=span, today=today))


def period_from_text(
    since: str = "",
    until: str = "",
    days: str = "",
    *,
    today: date | None = None,
    language: str = "en",
    names: PeriodNames = FLAGS,
) -> tuple[Period, int | None]:
    """The period typed in the dashboard's dialog (``p``): the three boxes as ``stats``'
    ``--since``, ``--until`` and ``--days`` (an empty box is not given), read by the one
    rule, :func:`period_of`, with its errors (naming the parts by ``names``: the dialog
    gives its fields); ``days`` that is not a whole number is a :class:`PeriodError` too.
    The period and the days given (None: not given)."""
    raw = days.strip()
    if raw:
        try:
            n: int | None = int(raw)
        except ValueError:
            said = text("err.days_int", language).format(days=names.days, value=repr(days))
            raise PeriodError(said) from None
    else:
        n = None
    period = period_of(
        since=since.strip() or None,
        until=until.strip() or None,
        days=n,
        today=today,
        language=language,
        names=names,
    )
    return period, n


@dataclass(frozen=True)
class DialogueStats:
    """The figures of the dialogue dashboard, all for responses arrived in ``period``."""

    period: Period | None = None
    days: tuple[date, ...] = ()
    #: source name -> counted responses per day, aligned with ``days``
    per_day: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: (question code, role code or None) -> counted responses
    coverage: Mapping[tuple[str, str | None], int] = field(default_factory=dict)
    #: role code or None (unknown) -> counted responses, each once
    by_role: Mapping[str | None, int] = field(default_factory=dict)
    questions: tuple[str, ...] = ()  # matrix rows: the codebook's questions, then others
    roles: tuple[str | None, ...] = ()  # matrix columns: the codebook's roles, others, None
    organisation_roles: frozenset[str] = frozenset()
    total: int = 0  # counted responses
    untagged: int = 0
    untagged_new: int = 0
    moderated: int = 0  # responses with at least one journal entry
    median_to_moderation: float | None = None  # seconds
    citizen: int = 0  # counted responses from outside the organisation
    answered: int = 0
    median_to_answer: float | None = None  # seconds
    #: moderator -> (decisions, codings) made in the period (the journal's time and actor)
    by_moderator: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: responses decided in the period that someone had claimed before the decision
    claimed_decided: int = 0
    #: of those, decided by another moderator than the one who last claimed it
    decided_by_other: int = 0
    #: per moderation rule, its flags made in the period (issue 16); empty: none
    rules: tuple[RuleTally, ...] = ()
    #: decisions kept in the memory only: responses whose newest write-back, queued in
    #: the period, the site can never take (``FigureCounts.memory_only``)
    memory_only: int = 0

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

    @property
    def missing_questions(self) -> tuple[str, ...]:
        """Questions without a response in the period."""
        return tuple(q for q in self.questions if not self.question_total(q))

    @property
    def missing_roles(self) -> tuple[str, ...]:
        """Roles (not "unknown") without a response in the period, by the role rule."""
        return tuple(r for r in self.roles if r is not None and not self.by_role.get(r))


async def compute_stats(
    store: FiguresStore,
    codebook: Codebook = DEFAULT_CODEBOOK,
    *,
    period: Period | None = None,
    sources: Sequence[str] = (),
) -> DialogueStats:
    """The dashboard's figures for responses that arrived in ``period`` (default: the
    last :data:`DEFAULT_DAYS` days ending today, UTC)."""
    period = period or period_of()
    figures = await store.dialogue_figures(
        FigureQuery(
            start=period.start,
            end=period.end,
            sources=tuple(sources),
            not_counted=NOT_COUNTED,
            organisation_roles=tuple(sorted(codebook.organisation_roles)),
        )
    )
    # -- responses per day per source (UTC days) ---------------------------------------
    axis = period.days
    index = {d.isoformat(): i for i, d in enumerate(axis)}
    per_day: dict[str, list[int]] = {}
    for name in figures.source_names:
        if not sources or name in sources:
            per_day[name] = [0] * len(axis)
    for (name, day), n in figures.per_day.items():
        per_day.setdefault(name, [0] * len(axis))[index[day]] = n

    # -- coverage matrix rows and columns: the codebook's order, then others ------------
    coverage = figures.coverage
    known_q = [c.code for c in codebook.codes(TagKind.QUESTION)]
    questions = tuple(known_q + sorted({q for q, _ in coverage} - set(known_q)))
    known_r = [c.code for c in codebook.codes(TagKind.ROLE)]
    seen_r = {r for r in figures.by_role if r is not None}
    extra_r = sorted(seen_r - set(known_r))
    roles: tuple[str | None, ...] = (*known_r, *extra_r, None)

    return DialogueStats(
        period=period,
        days=axis,
        per_day={k: tuple(v) for k, v in per_day.items()},
        coverage=coverage,
        by_role=figures.by_role,
        questions=questions,
        roles=roles,
        organisation_roles=codebook.organisation_roles,
        total=figures.total,
        untagged=figures.untagged,
        untagged_new=figures.untagged_new,
        moderated=figures.moderated,
        median_to_moderation=figures.median_to_moderation,
        citizen=figures.citizen,
        answered=figures.answered,
        median_to_answer=figures.median_to_answer,
        by_moderator=dict(sorted(figures.by_moderator.items())),
        claimed_decided=figures.claimed_decided,
        decided_by_other=figures.decided_by_other,
        rules=tuple(await store.rule_tallies(period.start, period.end)),
        memory_only=figures.memory_only,
    )


# -- text rendering (``reactieveld stats``) --------------------------------------------------

SPARK = " ▁▂▃▄▅▆▇█"


def text(key: str, language: str = "nl") -> str:
    """A label or definition of the figures in ``language`` (nl or en), from the one UI
    text table (``stats.*`` in :mod:`reactieveld.i18n`)."""
    return ui_text(f"stats.{key}", language)


def sparkline(values: Sequence[int]) -> str:
    """One character per value, ▁ to █ relative to the largest (a blank for zero)."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(SPARK[0 if v <= 0 else max(1, round(v / top * 8))] for v in values)


def bins(values: Sequence[Any], room: int) -> tuple[list[Any], int]:
    """``values`` in at most ``room`` groups of ``k`` consecutive ones, each summed (for
    a sparkline of more days than characters); ``(groups, k)``."""
    k = max(1, -(-len(values) // max(room, 1)))
    if k == 1:
        return list(values), 1
    return [sum(values[i : i + k]) for i in range(0, len(values), k)], k


def format_duration(seconds: float | None, language: str = "nl") -> str:
    """A duration for people: ``2 d 3 h``, ``4 h 10 min``, ``12 min`` (``—`` for none)."""
    if seconds is None:
        return text("none", language)
    s = int(round(seconds))
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m = rest // 60
    hour = text("hour", language)
    if d:
        return f"{number(d, language)} d {h} {hour}"
    if h:
        return f"{h} {hour} {m} min"
    if m:
        return f"{m} min"
    return f"{s} s"


def format_share(part: int, whole: int, language: str = "nl") -> str:
    """``12 / 40 (30%)``, ``1.234 / 5.678 (22%)`` (grouped as ``language`` writes
    numbers); ``0 / 0`` without a percentage."""
    if not whole:
        return "0 / 0"
    return f"{number(part, language)} / {number(whole, language)} ({round(100 * part / whole)}%)"


def role_label(codebook: Codebook, role: str | None, language: str) -> str:
    """A role column's label (the codebook's, or "unknown")."""
    if role is None:
        return text("no_role", language)
    return codebook.label(TagKind.ROLE, role, language)


def role_head(role: str | None, language: str) -> str:
    """A coverage column's header: the role code (what ``--role`` takes, and short), or
    "unknown"."""
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
    ``width`` that break between two "code = label" pairs, never inside one; the last
    pair says what a "·" cell is."""
    pairs = []
    for role in roles:
        if role is None:
            continue
        label = codebook.label(TagKind.ROLE, role, language)
        if label.casefold() != role.casefold():
            pairs.append(f"{role} = {label}")
    pairs.append(text("zero", language))
    pairs[0] = f"{text('roles', language)}: {pairs[0]}"
    return fit_parts(pairs, width, indent=indent, hang=indent + "  ")


def question_label(codebook: Codebook, code: str, language: str) -> str:
    """A coverage row's label: the question's code and its text (``1 Welke doelen…?``)."""
    return one_line(f"{code} {codebook.label(TagKind.QUESTION, code, language)}")


#: The question column is never cut below this; a narrower screen scrolls the table.
QUESTION_MIN = 13  # "alle reacties" and "all responses" whole
#: Between two columns of the coverage table (the dashboard's cell padding too).
GAP = 2


@dataclass(frozen=True)
class CoverageTable:
    """The coverage matrix laid out for a width: every role column whole, the question
    labels cut (ending in "…") to what the role columns leave. Its last row ("all
    responses") counts every response of the period once per role: it adds up to the
    total, and its columns outside the organisation to the answer figure's whole."""

    roles: tuple[str | None, ...]
    heads: tuple[str, ...]  # per role column
    widths: tuple[int, ...]  # per role column, in cells
    total_width: int
    labels: tuple[str, ...]  # per question, cut to label_width
    label_width: int
    counts: tuple[tuple[int, ...], ...]  # per question, per role column
    totals: tuple[int, ...]  # per question
    cut: bool  # a question label was cut: show them in full elsewhere
    all_label: str = ""  # the last row's label, cut to label_width
    all_counts: tuple[int, ...] = ()  # responses per role column, each once
    all_total: int = 0
    scrolls: bool = False  # wider than the width asked for: the caller scrolls


def cell(n: int, language: str = "nl") -> str:
    """A coverage cell: the count (grouped as ``language`` writes numbers), or "·" for
    none (a gap readable without colour)."""
    return number(n, language) if n else "·"


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
    :data:`QUESTION_MIN` the result is wider than ``width`` (``scrolls``: the caller
    scrolls)."""
    cols = tuple(stats.roles if roles is None else roles)
    heads = tuple(role_head(r, language) for r in cols)
    counts = tuple(tuple(stats.coverage.get((q, r), 0) for r in cols) for q in stats.questions)
    totals = tuple(stats.question_total(q) for q in stats.questions)
    all_counts = tuple(stats.by_role.get(r, 0) for r in cols)
    widths = tuple(
        max(
            [
                cell_len(h),
                len(number(all_counts[i], language)),
                *(len(number(row[i], language)) for row in counts),
            ]
        )
        for i, h in enumerate(heads)
    )
    total_width = max(
        [
            len(text("sum", language)),
            len(number(stats.total, language)),
            *(len(number(n, language)) for n in totals),
        ]
    )
    full = [question_label(codebook, q, language) for q in stats.questions]
    all_label = text("all", language)
    longest = max(
        [cell_len(text("question", language)), cell_len(all_label), *(cell_len(x) for x in full)]
    )
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
        all_label=shorten(all_label, label_width),
        all_counts=all_counts,
        all_total=stats.total,
        scrolls=room < label_width,
    )


def column_blocks(widths: Sequence[int], room: int) -> list[list[int]]:
    """The columns of ``widths`` (each after a ``GAP``) in consecutive blocks of at most
    ``room`` cells, by index; one block when all fit, a column wider than ``room`` alone."""
    blocks: list[list[int]] = [[]]
    used = 0
    for i, w in enumerate(widths):
        if blocks[-1] and used + GAP + w > room:
            blocks.append([])
            used = 0
        blocks[-1].append(i)
        used += GAP + w
    return blocks


def period_parts(stats: DialogueStats, language: str) -> list[str]:
    """``Periode: 2026-11-05 – 2026-12-04 (30 dagen, UTC)``, ``Reacties: 153``: the top
    line's parts (a narrow screen puts the second under the first, never cuts either)."""
    period = stats.period.label(language) if stats.period else text("none", language)
    return [
        f"{text('range', language)}: {period}",
        f"{text('total', language)}: {number(stats.total, language)}",
    ]


def period_line(stats: DialogueStats, language: str) -> str:
    """``Periode: 2026-11-05 – 2026-12-04 (30 dagen, UTC) · Reacties: 153``."""
    return " · ".join(period_parts(stats, language))


def gap_lines(stats: DialogueStats, codebook: Codebook, language: str) -> list[str]:
    """The questions and the roles without a response in the period (by the role rule)."""
    lines = []
    if stats.missing_questions:
        lines.append(f"{text('missing_q', language)}: {', '.join(stats.missing_questions)}")
    if stats.missing_roles:
        names = ", ".join(role_label(codebook, r, language) for r in stats.missing_roles)
        lines.append(f"{text('missing_r', language)}: {names}")
    return lines


def figure_lines(stats: DialogueStats, language: str) -> list[str]:
    """The key figures under the coverage table, one line each."""

    def t(key: str) -> str:
        return text(key, language)

    def n(value: int) -> str:
        return number(value, language)

    return [
        f"{t('backlog')}: {n(stats.untagged)} ({t('of_which_new')}: {n(stats.untagged_new)})",
        f"{t('moderation')}: {format_duration(stats.median_to_moderation, language)} "
        f"({t('over')} {n(stats.moderated)} {t('responses')})",
        f"{t('answered')}: {format_share(stats.answered, stats.citizen, language)}",
        f"{t('answer_time')}: {format_duration(stats.median_to_answer, language)}",
        f"{t('team')}:" + ("" if stats.by_moderator else f" {t('none')}"),
        *(f"  {name}: {n(d)} / {n(c)}" for name, (d, c) in stats.by_moderator.items()),
        f"{t('handover')}: "
        + format_share(stats.decided_by_other, stats.claimed_decided, language),
        *memory_only_lines(stats, language),
        *rule_lines(stats.rules, language),
    ]


def memory_only_lines(stats: DialogueStats, language: str) -> list[str]:
    """The decisions of the period the site can never take (kept in the memory only):
    one line, nothing when there are none (as the rules' tallies)."""
    if not stats.memory_only:
        return []
    return [f"{text('memory_only', language)}: {number(stats.memory_only, language)}"]


def misfire_share(tally: RuleTally) -> float | None:
    """Misfired / (misfired + upheld): of a rule's decided flags, the share released
    (None before any was decided)."""
    decided = tally.misfired + tally.upheld
    return tally.misfired / decided if decided else None


def rule_lines(tallies: Sequence[RuleTally], language: str) -> list[str]:
    """Per rule: caught / misfired / upheld / open / lapsed, and the misfire share (nothing when no
    rule flagged anything in the period)."""
    if not tallies:
        return []
    lines = [f"{text('rules', language)}:"]
    for r in tallies:
        share = misfire_share(r)
        decided = format_share(r.misfired, r.misfired + r.upheld, language)
        shown = f" ({decided})" if share is not None else ""
        counts = " / ".join(
            number(x, language) for x in (r.caught, r.misfired, r.upheld, r.open, r.lapsed)
        )
        lines.append(f"  {r.rule}: {counts}{shown}")
    return lines


#: The figures whose definitions are shown, in the order of the screen.
DEFINED = (
    ("range", "range"),
    ("total", "total"),
    ("per_day", "per_day"),
    ("role", "role"),
    ("coverage", "coverage"),
    ("gaps", "gaps"),
    ("backlog", "backlog"),
    ("moderation", "moderation"),
    ("answered", "answered"),
    ("answer_time", "answer_time"),
    ("team", "team"),
    ("handover", "handover"),
)


def definitions(codebook: Codebook, language: str) -> list[tuple[str, str]]:
    """(figure label, what it counts) for every figure, in the order of the screen."""
    org = ", ".join(sorted(codebook.organisation_roles)) or text("none", language)
    return [
        (text(label, language), text(f"{key}.def", language).format(org=org))
        for label, key in DEFINED
    ]


def definition_lines(
    codebook: Codebook,
    language: str,
    width: int,
    indent: str = "",
    *,
    stats: DialogueStats | None = None,
) -> list[str]:
    """:func:`definitions` as text wrapped to ``width``: ``- label: definition``; with
    ``stats``, the figures shown only when there is something to count, where they are:
    the decisions kept in the memory only, the rules' (when a rule flagged something)."""
    lines = []
    pairs = definitions(codebook, language)
    shown = [] if stats is None else [("memory_only", stats.memory_only), ("rules", stats.rules)]
    pairs.extend((text(key, language), text(f"{key}.def", language)) for key, on in shown if on)
    for label, meaning in pairs:
        lines.extend(
            textwrap.wrap(
                f"- {label}: {meaning}",
                width,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
            )
        )
    return lines


#: A source's name in the per-day lines: cut to this many cells (names come from the config).
SOURCE_CELLS = 15


def per_day_lines(stats: DialogueStats, language: str, width: int) -> list[str]:
    """The responses per day per source, the same lines on the dashboard and in
    ``reactieveld stats``: a heading that names the period, then per source its name, a
    sparkline (a character per day, or per ``k`` days when the days outnumber the
    ``width``, said on a last line) and its total."""
    return [
        *fit_parts(per_day_head(stats, language), width, sep=" "),
        *per_day_series(stats, language, width),
    ]


def per_day_head(stats: DialogueStats, language: str) -> list[str]:
    """The per-day heading's parts: what it counts, and the period (whole, on the next
    line where the two do not fit one)."""
    period = stats.period.label(language) if stats.period else text("none", language)
    return [f"{text('per_day', language)}:", period]


def per_day_series(stats: DialogueStats, language: str, width: int) -> list[str]:
    """The per-day lines under the heading: per source its sparkline and total."""
    lines: list[str] = []
    names = {name: preview(name, SOURCE_CELLS) for name in stats.per_day}
    name_w = max((cell_len(name) for name in names.values()), default=0)
    sum_w = max((len(number(sum(v), language)) for v in stats.per_day.values()), default=1)
    room = max(width - name_w - sum_w - 6, 10)
    for name, values in stats.per_day.items():
        binned, _ = bins(values, room)
        shown = names[name] + " " * (name_w - cell_len(names[name]))
        lines.append(f"  {shown}  {sparkline(binned)}  {number(sum(values), language)}")
    if len(stats.days) > room:
        lines.append(
            "  " + text("per_char", language).format(n=bins([0] * len(stats.days), room)[1])
        )
    return lines


def render_text(
    stats: DialogueStats,
    codebook: Codebook,
    language: str = "nl",
    width: int = 120,
    agreement: AgreementFigures | None = None,
) -> str:
    """The figures as plain text, as ``reactieveld stats`` prints them; the coverage
    table fits ``width`` columns (question labels cut, and then listed in full below),
    and what each figure counts closes the page. ``agreement``: the intercoder agreement
    of the period, as the dashboard shows it where there is double coding."""

    def t(key: str) -> str:
        return text(key, language)

    lines = [t("title"), "=" * len(t("title"))]
    lines.extend(fit_parts(period_parts(stats, language), width))
    lines.append(t("role.short"))
    lines.append("")
    lines.extend(per_day_lines(stats, language, width))
    lines.append("")
    lines.append(t("coverage"))
    # Two spaces of indent, then the table in what is left of the width.
    table = coverage_table(stats, codebook, language, width - 2)
    cols = [*table.widths, table.total_width]
    head = [*table.heads, t("sum")]
    body = [
        (label, [*(cell(n, language) for n in counts), number(total, language)])
        for label, counts, total in zip(table.labels, table.counts, table.totals, strict=True)
    ]
    all_cells = [*(cell(n, language) for n in table.all_counts), number(table.all_total, language)]
    body.append((table.all_label, all_cells))
    # Too wide for the page (a narrow terminal): the role columns in blocks one under the
    # other, each with the question column, as a printed page cannot scroll sideways.
    for n, block in enumerate(column_blocks(cols, width - 2 - table.label_width)):
        if n:
            lines.append("")
        for label, cells in [(t("question"), head), *body]:
            lines.append(
                "  "
                + label.ljust(table.label_width)
                + "".join("  " + cells[i].rjust(cols[i]) for i in block)
            )
    lines.extend(role_legend(codebook, table.roles, language, width, indent="  "))
    if table.cut:
        lines.append(f"  {t('questions')}:")
        lines.extend(f"    {question_label(codebook, q, language)}" for q in stats.questions)
    lines.extend(gap_lines(stats, codebook, language))
    lines.append("")
    lines.extend(figure_lines(stats, language))
    if agreement is not None:
        lines += ["", ui_text("agree.title", language)]
        found = agreement_lines(agreement, {}, language, width=width)
        lines.extend(found[1:] if found and not found[0] else found)
    lines.append("")
    lines.append(f"{t('definitions')}:")
    lines.extend(definition_lines(codebook, language, width, stats=stats))
    if agreement is not None:
        lines.extend(agreement_definition(language, width))
    return "\n".join(lines) + "\n"


def parse_date(value: str, *, end: bool = False) -> datetime:
    """A ``--since``/``--until`` (``sinds:``/``tot:``) value as a moment, the one date
    rule of every command: ``YYYY-MM-DD`` is a whole UTC day, as in :class:`Period`
    (the dashboard's and ``stats``' days), its start 00:00 UTC; ``end`` makes it
    inclusive (the next day's 00:00 UTC, excluded), for ``--until``. An ISO date-time
    without a zone is UTC too, so the local time zone never moves a bound. Raises
    ValueError with a readable text."""
    value = value.strip()
    try:
        if len(value) == 10:
            day = Period(date.fromisoformat(value), date.fromisoformat(value))
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None
    try:
        if len(value) == 10:
            moment = day.end if end else day.start
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        # Its UTC moment is a date too (a time zone may move it off the calendar), and
        # an end's last day (the day before it, which a report names).
        utc = moment.astimezone(UTC)
        if end:
            utc - timedelta(days=1)  # noqa: B018
    except OverflowError:  # 9999-12-31 inclusive, 0001-01-01T00:00+05:00: no UTC day
        raise DateRangeError(f"{value}: off the calendar (years 1 to 9999)") from None
    return moment


def bounds_of(
    since: str | None,
    until: str | None,
    *,
    language: str = "en",
    names: PeriodNames = FLAGS,
    future: bool = True,
) -> tuple[datetime | None, datetime | None]:
    """The moments of ``--since``/``--until`` (``sinds:``/``tot:``) as every command that
    takes them reads them (export, search, agreement): each by :func:`parse_date` (a day
    or a date-time; until inclusive), None where not given; a period that ends before it
    begins is refused as :func:`period_of` refuses it (``stats``, the dashboard), and so is
    one wholly after today unless ``future`` (a search may look ahead; a report's figures
    may not, :mod:`reactieveld.read.days`). Raises
    :class:`PeriodError`, one line naming the flag, in ``language``."""
    named = names.values()
    moments: list[datetime | None] = []
    for name, value, end in ((names.since, since, False), (names.until, until, True)):
        if not value or not value.strip():
            moments.append(None)
            continue
        try:
            moments.append(parse_date(value, end=end))
        except DateRangeError:
            said = ui_text("search.problem.range", language, what=f"{name} {value!r}")
            raise PeriodError(said) from None
        except ValueError:
            # The query's own words for it (sinds:), which say a date-time is taken too.
            said = ui_text("search.problem.date", language, what=f"{name} {value!r}")
            raise PeriodError(said) from None
    first, last = moments
    # until is the end (excluded): a period from it on, or later, holds no moment.
    if first is not None and last is not None and first >= last:
        raise _order_error(str(since).strip(), str(until).strip(), language, named)
    today = today_utc()
    if not future and first is not None and first.astimezone(UTC).date() > today:
        span = f"{str(since).strip()} – {str(until).strip() if last else '…'}"
        raise _future_error(span, today, language)
    return first, last


async def _stats_main(config: Any, db_path: Any, args: Any, out: Any) -> int:
    from reactieveld.store.open import open_store

    codebook = getattr(config, "codebook", DEFAULT_CODEBOOK)
    language = str(getattr(args, "lang", None) or language_of(config))
    try:
        period = period_of(
            since=getattr(args, "since", None),
            until=getattr(args, "until", None),
            days=getattr(args, "days", None),
            language=language,
        )
    except PeriodError as exc:
        # To stderr with exit 2, as every bad argument (out may be a file).
        say_error(str(exc))
        return 2
    wanted = tuple(dict.fromkeys(getattr(args, "source", None) or ()))
    store = await open_store(
        db_path, settings=getattr(config, "store", None), codebook_version=codebook.version
    )
    try:
        with period_advice():  # a period was chosen
            known = await store.source_names()
            unknown = [name for name in wanted if name not in known]
            if unknown:
                # A typo must not print a page of zeros as if that source were silent.
                said = text("err.source", language).format(sources=", ".join(known) or "—")
                say_error(f"--source {unknown[0]}: {said}")
                return 2
            stats = await compute_stats(store, codebook, period=period, sources=wanted)
            agreement = await period_agreement(  # the dashboard's section
                store,
                [q.code for q in codebook.questions],
                period.start,
                period.end,
                sources=wanted,
                double_share=getattr(getattr(config, "coding", None), "double_share", 0.0),
            )
    finally:
        await store.close()
    # A terminal's own width (full question labels on a wide one); 120 into a file or pipe.
    width = shutil.get_terminal_size((120, 24)).columns if out.isatty() else 120
    out.write(render_text(stats, codebook, language, width, agreement))
    return 0


def run_stats_command(config: Any, db_path: Any, args: Any, *, out: Any = None) -> int:
    """Entry point of ``reactieveld stats``: prints the dashboard's figures; exit code."""
    import asyncio
    import sys

    return asyncio.run(_stats_main(config, db_path, args, out or sys.stdout))
