"""The statement-of-reasons log (issue 16): ``reactieveld export --format decisions``.

One line per moderator decision in the journal, oldest first: the decision, its reason,
the time, who took it (a moderator, or ``rule:<name>``), the platform and a link to the
response. Nothing of the author: no name, no author key; the moderator's own words for
"other" are redacted like any free text unless ``--include-personal-data``. An undone
decision stays in the log (the journal is append-only) with the time it was undone, and
each says where its write-back stands (``done``; ``conflict`` or ``failed``: not on the
platform; empty when nothing was to be sent).
Written as CSV or JSON Lines, streamed a page at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from reactieveld.reasons import ReasonsConfig
from reactieveld.reports.filenames import format_named, to_stdout
from reactieveld.reports.redact import Redactor
from reactieveld.store.decisions import keep

if TYPE_CHECKING:
    from reactieveld.store.base import DecisionStore, QueueFilter
    from reactieveld.store.values import DecisionRecord

#: The forms the log is written in (``--output``'s extension, or ``--as``).
DECISION_FORMS = ("csv", "jsonl")

#: The columns, in order (CSV header; the JSON keys are the same).
DECISION_COLUMNS = (
    "time",
    "decision",
    "previous_status",
    "reason",
    "reason_label",
    "reason_text",
    "actor",
    "platform",
    "source",
    "response",
    "link",
    "undone_at",
    "write_back",
)

#: Decisions read per round trip.
PAGE = 500


def _iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def decision_dict(
    rec: DecisionRecord, reasons: ReasonsConfig, red: Redactor, language: str
) -> dict[str, Any]:
    """One decision as the log writes it (see :data:`DECISION_COLUMNS`); the author's
    name is redacted out of the reason's words and the link as well."""
    reason = reasons.get(rec.reason) if rec.reason else None
    red = red.for_names((rec.author_name,))
    return {
        "time": _iso(rec.at),
        "decision": rec.after or "",
        "previous_status": rec.before or "",
        "reason": rec.reason or "",
        "reason_label": (reason.label(language) if reason else rec.reason) or "",
        "reason_text": red.text(rec.reason_text) if rec.reason_text else "",
        "actor": rec.actor,
        "platform": rec.platform,
        "source": rec.source,
        "response": rec.external_id,
        "link": red.url(rec.url) or "",
        "undone_at": _iso(rec.undone_at),
        # A decision the platform never took (a conflict, a refusal) is no decision on
        # the site: the log says so, not only the journal.
        "write_back": rec.write_back or "",
    }


async def iter_decisions(store: DecisionStore, flt: QueueFilter) -> AsyncIterator[DecisionRecord]:
    """Every decision ``flt`` selects, in journal order, a page at a time."""
    after = 0
    while True:
        page = await store.decisions(flt, after=after, limit=PAGE)
        for rec in page:
            if keep(rec, flt):
                yield rec
        if len(page) < PAGE:
            return
        after = page[-1].journal_id


async def write_decisions(
    store: DecisionStore,
    flt: QueueFilter,
    out: TextIO,
    *,
    form: str,
    reasons: ReasonsConfig,
    redactor: Redactor,
    language: str,
) -> int:
    """Write the log to ``out`` as ``form`` (csv or jsonl); returns the decisions written."""
    writer = csv.writer(out, lineterminator="\r\n") if form == "csv" else None
    if writer is not None:
        writer.writerow(DECISION_COLUMNS)
    n = 0
    async for rec in iter_decisions(store, flt):
        row = decision_dict(rec, reasons, redactor, language)
        if writer is not None:
            writer.writerow([row[c] for c in DECISION_COLUMNS])
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def form_for(output: str | None, flag: str | None, language: str = "en") -> str:
    """The log's form: ``flag`` (``--as``) when given, else ``output``'s extension
    (``.csv``; ``.jsonl``, ``.json``, ``.ndjson``), else CSV for standard output.
    ValueError names what is wrong, in ``language``."""
    from reactieveld.i18n import text

    if flag:
        return flag
    if output is None or to_stdout(output):
        return "csv"
    said = format_named(output)
    if said in ("csv", "jsonl"):
        return said
    raise ValueError(text("cli.decisions.form", language, output=output))
