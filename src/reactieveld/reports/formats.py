"""The report formats: Markdown per planning question, CSV and JSON Lines.

Each writer streams: rows come a keyset page at a time and go straight to ``out``, so a
report of a million responses needs the memory of one page.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.i18n import STRINGS, counted, number
from reactieveld.i18n import text as ui_text
from reactieveld.model import RemoteStatus, TagKind, TriageState, utcnow
from reactieveld.read.days import future_note, up_to_today
from reactieveld.read.figures import NOT_COUNTED, Period
from reactieveld.read.figures import text as stats_text
from reactieveld.read.records import iter_records
from reactieveld.reasons import ReasonsConfig
from reactieveld.reports.fields import (
    CSV_COLUMNS,
    inert,
    record_csv_row,
    record_dict,
    record_redactor,
)
from reactieveld.reports.redact import Redactor
from reactieveld.store.base import AuthorNamesStore, QueueFilter, ReportStore

FORMATS = ("md", "csv", "jsonl")

#: What a report holds unless --status says otherwise: spam, trash and deleted responses
#: are not input for policy; the dashboard's counted responses (NOT_COUNTED), so that a
#: report of its period counts what it counts.
REPORT_STATUSES = tuple(s for s in RemoteStatus if s.value not in NOT_COUNTED)


@dataclass(frozen=True)
class ExportOptions:
    """What to export, and how."""

    format: str = "md"
    questions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    statuses: tuple[RemoteStatus, ...] = REPORT_STATUSES
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    #: A queue of the app as the report's scope: only untriaged (New), only untagged.
    triage: TriageState | None = None
    untagged: bool = False
    include_personal_data: bool = False
    language: str = "nl"
    codebook: Codebook = DEFAULT_CODEBOOK
    #: For the header: the filters as the user gave them (e.g. ``--until 2026-03-31``).
    described: tuple[str, ...] = field(default=())
    #: ``--format decisions``: written as "csv" or "jsonl", with the labels of this list.
    decisions_as: str = "csv"
    reasons: ReasonsConfig = field(default_factory=ReasonsConfig)

    @property
    def filter(self) -> QueueFilter:
        """The store filter these options mean."""
        return QueueFilter(
            statuses=self.statuses,
            sources=self.sources,
            questions=self.questions,
            roles=self.roles,
            since=self.since,
            until=self.until,
            triage=self.triage,
            untagged=self.untagged,
        )

    @property
    def redactor(self) -> Redactor:
        """The redactor without known names (:func:`export_redactor` adds the memory's)."""
        return Redactor(include_personal_data=self.include_personal_data, language=self.language)


async def export_redactor(store: AuthorNamesStore, opts: ExportOptions) -> Redactor:
    """The redactor of one export: every author name the memory holds (read once, from
    the store) is a known name, replaced wherever a field writes it, whichever thread or
    response it comes from; with ``--include-personal-data`` nothing is read or replaced."""
    if opts.include_personal_data:
        return opts.redactor
    return Redactor(language=opts.language, names=await store.author_names())


def _counted(key: str, n: int, language: str) -> str:
    return counted(f"export.n.{key}", language, n)


@dataclass(frozen=True)
class Written:
    """What a written report holds, for the one wording of it (``reactieveld export``'s
    last line and the app's notice). A Markdown report quotes a response under each of
    its questions, so its quotes are not its responses: it says both."""

    #: The responses in the report; for the statement-of-reasons log, its decisions.
    count: int
    decisions: bool = False
    #: Markdown only: the quotes, and the planning questions with at least one quote.
    quotes: int | None = None
    questions: int = 0

    def what(self, language: str) -> str:
        """``291 responses (374 quotes under 8 questions)``, ``12 decisions``..."""
        if self.decisions:
            return _counted("decisions", self.count, language)
        responses = _counted("responses", self.count, language)
        if self.quotes is None:
            return responses
        return ui_text(
            "export.count.md",
            language,
            responses=responses,
            quotes=_counted("quotes", self.quotes, language),
            questions=_counted("questions", self.questions, language),
        )

    def line(self, path: Path | str, language: str) -> str:
        """``291 responses (374 quotes under 8 questions) written to r1.md``."""
        return ui_text("export.written", language, what=self.what(language), path=str(path))


async def write_jsonl(store: ReportStore, opts: ExportOptions, out: TextIO) -> int:
    """One JSON object per line per response; returns the number written."""
    n = 0
    red = await export_redactor(store, opts)
    async for rec in iter_records(
        store, opts.filter, codebook=opts.codebook, language=opts.language
    ):
        out.write(json.dumps(record_dict(rec, red), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


async def write_csv(store: ReportStore, opts: ExportOptions, out: TextIO) -> int:
    """A header row and one row per response; returns the number of responses."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    red = await export_redactor(store, opts)
    async for rec in iter_records(
        store, opts.filter, codebook=opts.codebook, language=opts.language
    ):
        writer.writerow(record_csv_row(rec, red))
        n += 1
    return n


# -- Markdown --------------------------------------------------------------------------------


def _report_text(language: str) -> dict[str, str]:
    """The report's words (``report.md.*`` of the one UI text table) in ``language``, by
    the rest of their key (``title``, ``status.hold``...). The report speaks the
    codebook's language, statuses included."""
    prefix = "report.md."
    return {k.removeprefix(prefix): ui_text(k, language) for k in STRINGS if k.startswith(prefix)}


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_text(value: str) -> str:
    """Untrusted text made inert in Markdown: control characters and bidi overrides gone
    (:func:`inert`), and every character that starts a link, image, HTML tag or emphasis
    escaped."""
    value = inert(value)
    value = _MD_SPECIAL.sub(r"\\\1", value)
    # A line that would start a heading, list or rule inside the quote.
    return re.sub(r"(?m)^(\s*)([#+\-=]|\d+\.)", r"\1\\\2", value)


def md_url(url: str | None) -> str | None:
    """An http(s) url safe inside ``(...)`` of a Markdown link, or None."""
    if not url or not re.match(r"https?://", url, re.IGNORECASE):
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%~.-_")


def _quote_block(text: str) -> str:
    lines = md_text(text).strip().split("\n") or [""]
    return "\n".join(("> " + line).rstrip() for line in lines)


async def write_markdown(store: ReportStore, opts: ExportOptions, out: TextIO) -> int:
    """The report for the council (:func:`markdown_report`); returns the number of quotes
    written (a response tagged with two questions is quoted twice)."""
    written = await markdown_report(store, opts, out)
    return written.quotes or 0


async def markdown_report(store: ReportStore, opts: ExportOptions, out: TextIO) -> Written:
    """The report for the council: a header (filters, codebook version, redaction), then
    one section per planning question with counts per role and the responses as quotes
    with source, date and a link back. Returns what it holds: the responses, the quotes
    and the questions quoted under."""
    t = _report_text(opts.language)
    cb = opts.codebook
    red = await export_redactor(store, opts)
    base = opts.filter
    out.write(f"# {t['title']}\n\n")
    out.write(f"- {t['made']}: {utcnow().astimezone():%Y-%m-%d %H:%M}\n")
    out.write(f"- {t['codebook']}: {md_text(cb.version)}\n")
    filters = ", ".join(f"`{' '.join(inert(f).replace('`', '').split())}`" for f in opts.described)
    out.write(f"- {t['filters']}: {filters or t['none']}\n")
    # The period and the count of responses in the dashboard's words (stats.*), so that a
    # report of the dashboard's period says the figures the dashboard shows, as it does.
    lang = opts.language
    span = report_period(opts.since, opts.until, lang)
    if opts.since or opts.until:
        span += f" — {stats_text('range.def', lang)}"
    out.write(f"- {stats_text('range', lang)}: {span}\n")
    statuses = (
        ", ".join(t[f"status.{s.value}"] for s in opts.statuses) if opts.statuses else t["none"]
    )
    out.write(f"- {t['status']}: {statuses}\n")
    out.write(f"- {t['personal']}: {t['included' if opts.include_personal_data else 'redacted']}\n")
    # The dashboard's role rule, in its words (the one UI text table), and what --role selects.
    out.write(f"- {t['per_role']}: {stats_text('role.def', lang)}")
    out.write(f" ({t['role_filter']})\n" if opts.roles else "\n")
    out.write(f"- {t['per_question']}\n")
    if not opts.questions:
        total = await store.count(replace(base, questions=()))
        shown = number(total, lang)
        out.write(f"- {stats_text('total', lang)}: {shown} — {_total_definition(opts)}\n")
    untagged = await store.count(replace(base, questions=(), untagged=True))
    if untagged and not opts.questions:
        out.write(f"- {number(untagged, lang)} {t['untagged']}\n")
    codes = list(opts.questions) or [q.code for q in cb.codes(TagKind.QUESTION)]
    agreement = await agreement_line(store, base, codes, opts.language)
    if agreement:
        out.write(f"- {agreement}\n")
    out.write("\n")

    role_codes: list[str] = [r.code for r in cb.codes(TagKind.ROLE)]
    if opts.roles:
        role_codes = [r for r in role_codes if r in opts.roles] + [
            r for r in opts.roles if r not in role_codes
        ]
    # The responses of the report: those with any of its questions (a store filter's
    # questions are "any of"), counted once however many of them they carry.
    responses = await store.count(replace(base, questions=tuple(codes)))
    quotes = 0
    quoted: set[str] = set()
    versions: set[str] = set()
    for code in codes:
        flt = replace(base, questions=(code,))
        total = await store.count(flt)
        label = cb.label(TagKind.QUESTION, code, opts.language)
        out.write(f"## {md_text(code)}. {md_text(label)}\n\n")
        if not total:
            out.write(f"_{t['no_responses']}_\n\n")
            continue
        by_role = await count_by_role(store, flt)
        # A role outside the codebook is what a platform sent (role_hint): redacted with
        # the export's known names (every author of the memory); the codebook's own
        # labels are our text, never a person's ("Raadslid" is no name).
        per_role = [
            (
                cb.label(TagKind.ROLE, role, opts.language)
                if role in role_codes
                else red.text(cb.label(TagKind.ROLE, role, opts.language)),
                by_role[role],
            )
            for role in [*role_codes, *sorted(r for r in by_role if r and r not in role_codes)]
            if by_role.get(role)
        ]
        if by_role.get(None):
            # The dashboard's word for it, as the header's role rule says it.
            per_role.append((ui_text("stats.no_role", opts.language), by_role[None]))
        word = t["response"] if total == 1 else t["responses"]
        out.write(f"**{number(total, lang)} {word}**\n\n")
        out.write(f"| {t['per_role']} | n |\n|---|---:|\n")
        for name, n in per_role:
            out.write(f"| {md_text(name)} | {number(n, lang)} |\n")
        out.write("\n")
        async for rec in iter_records(store, flt, codebook=cb, language=opts.language):
            r = rec.row.response
            one = record_redactor(rec, red)
            versions.update(q.codebook_version for q in rec.extra.questions if q.code == code)
            out.write(_quote_block(one.text(r.body_text)) + "\n>\n")
            who = md_text(one.name(r.author_name)) or "?"
            if rec.extra.role is not None:
                who += f" ({md_text(one.text(rec.extra.role.label))})"
            where = md_text(one.title(rec.row.thread_title) or r.source)
            link = md_url(one.url(r.url)) or md_url(one.url(rec.extra.thread_url))
            place = f"[{where}]({link})" if link else where
            # The UTC day, as --since/--until read it: a quote never dates outside them.
            day = f"{r.created_at.astimezone(UTC):%Y-%m-%d}"
            out.write(f"> — {who}, {md_text(r.source)}, {day}, {place}\n\n")
            quotes += 1
            quoted.add(code)
    if versions:
        label = t["versions.one" if len(versions) == 1 else "versions"]
        out.write(f"---\n\n{label}: {md_text(', '.join(sorted(versions)))}\n")
    return Written(responses, quotes=quotes, questions=len(quoted))


def report_period(since: datetime | None, until: datetime | None, language: str) -> str:
    """The report's period as the dashboard names it (``2026-11-08 – 2026-12-07 (30
    dagen, UTC)``) when its bounds are whole UTC days (``--since``/``--until`` dates, the
    dashboard's period); a bound within a day as ``YYYY-MM-DD HH:MM`` (UTC), a missing
    one as ``…``; no bounds: every response in the memory."""
    if since is None and until is None:
        return ui_text("report.md.period.all", language)

    def whole(moment: datetime) -> bool:
        return moment.astimezone(UTC).time() == time(0)

    cut = False
    if until is not None:
        # A period past today ends today, and says so (the one rule, up_to_today).
        today, cut = up_to_today((until.astimezone(UTC) - timedelta(microseconds=1)).date())
        if cut:
            until = datetime.combine(today + timedelta(days=1), time(0), UTC)
    if since is not None and until is not None and whole(since) and whole(until):
        last = (until.astimezone(UTC) - timedelta(days=1)).date()
        if last >= since.astimezone(UTC).date():
            return Period(since.astimezone(UTC).date(), last, cut).label(language)

    def bound(moment: datetime | None, *, end: bool) -> str:
        if moment is None:
            return "…"
        moment = moment.astimezone(UTC)
        if whole(moment):
            return (moment - timedelta(days=1) if end else moment).date().isoformat()
        return f"{moment:%Y-%m-%d %H:%M}"

    note = f"; {future_note(language)}" if cut else ""
    return f"{bound(since, end=False)} – {bound(until, end=True)} (UTC{note})"


def _total_definition(opts: ExportOptions) -> str:
    """What the header's count of responses counts: the dashboard's definition when the
    report counts what the dashboard counts (its statuses, no filter), else its own."""
    narrowed = opts.roles or opts.sources or opts.triage is not None or opts.untagged
    if set(opts.statuses) == set(REPORT_STATUSES) and not narrowed:
        return stats_text("total.def", opts.language)
    return ui_text("report.md.total.def", opts.language)


async def agreement_line(
    store: ReportStore, base: QueueFilter, codes: Sequence[str], language: str
) -> str | None:
    """The header's line on how reliable the coding of the reported questions is (issue
    14): Krippendorff's alpha and verdict per question and for the role, over the
    double-coded responses of the report's period and sources (as ``reactieveld
    agreement`` with the same --since, --until and --source); None when there are none."""
    from reactieveld.read.agreement import agreement_figures, format_alpha

    flt = QueueFilter(sources=base.sources, since=base.since, until=base.until)
    figures = agreement_figures(await store.codings(flt), codes)
    if not figures.responses:
        return None
    parts = [
        ui_text(
            "report.md.agreement.item",
            language,
            what=ui_text("report.md.question", language) + f" {md_text(key)}"
            if key != "role"
            else ui_text("agree.role", language),
            alpha=format_alpha(result.alpha),
            verdict=ui_text("agree.verdict." + result.verdict, language),
        )
        for key, result in figures.rows
    ]
    head = counted("report.md.agreement", language, figures.responses)
    return f"{head}: {'; '.join(parts)}"


async def count_by_role(store: ReportStore, flt: QueueFilter) -> dict[str | None, int]:
    """The responses ``flt`` matches, per role by the dashboard's one rule
    (:func:`reactieveld.store.figures.role_sql`; None: unknown), in one query."""
    return await store.count_by_role(flt)


async def write_decision_log(store: ReportStore, opts: ExportOptions, out: TextIO) -> int:
    """The statement-of-reasons log (reports/decisions.py); returns the decisions."""
    from reactieveld.reports.decisions import write_decisions

    decided: Any = store  # a Store: DecisionStore as well as ReportStore
    return await write_decisions(
        decided,
        opts.filter,
        out,
        form=opts.decisions_as,
        reasons=opts.reasons,
        redactor=await export_redactor(decided, opts),
        language=opts.language,
    )


WRITERS = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "decisions": write_decision_log,
}


async def write_report(store: ReportStore, opts: ExportOptions, out: TextIO) -> Written:
    """Write the report in ``opts.format``; returns what it holds (:class:`Written`)."""
    if opts.format == "md":
        return await markdown_report(store, opts, out)
    n = await WRITERS[opts.format](store, opts, out)
    return Written(n, decisions=opts.format == "decisions")


async def write_report_file(store: ReportStore, opts: ExportOptions, path: Path) -> Written:
    """Write the report to ``path`` atomically (the app's dialog and ``reactieveld export
    --output`` alike): a temporary file in the same folder, synced, then renamed into place,
    so a failed or cancelled export never leaves half a report. Returns what it holds
    (:class:`Written`); on any failure the temporary file is removed and the error raised."""
    fd, tmp = tempfile.mkstemp(prefix=".reactieveld-", dir=path.parent)
    try:
        csv_text = opts.format == "csv" or (
            opts.format == "decisions" and opts.decisions_as == "csv"
        )
        newline = "" if csv_text else None
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            n = await write_report(store, opts, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def describe_filters(
    *,
    questions: Sequence[str] = (),
    roles: Sequence[str] = (),
    sources: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
) -> tuple[str, ...]:
    """The filters as the header shows them (``--question 1``, ...)."""
    parts = [f"--question {q}" for q in questions]
    parts += [f"--role {r}" for r in roles]
    parts += [f"--source {s}" for s in sources]
    if since:
        parts.append(f"--since {since}")
    if until:
        parts.append(f"--until {until}")
    return tuple(parts)
