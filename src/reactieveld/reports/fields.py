"""A record's fields as the reports and sinks write them: the JSON form (JSON Lines, the
webhook and JSONL sinks) and the CSV row, redacted by a :class:`Redactor`. The records
themselves come from the read side (:mod:`reactieveld.read.records`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from reactieveld.read.records import Record, TagInfo
from reactieveld.reports.redact import Redactor
from reactieveld.text import SHOWN_UNSAFE


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def record_redactor(record: Record, redactor: Redactor) -> Redactor:
    """``redactor`` for one record: it also replaces the names of the authors the record
    may name (its own, the one it replies to, the others of its thread) by initials."""
    return redactor.for_names((*record.extra.names, record.row.response.author_name))


def record_dict(record: Record, redactor: Redactor) -> dict[str, Any]:
    """The JSON form of a record (JSON Lines, webhook and JSONL sinks): every field that
    holds what people wrote or platforms sent (text, names, links, a role the platform
    guessed) through the record's redactor (:func:`record_redactor`)."""
    r, x = record.row.response, record.extra
    redactor = record_redactor(record, redactor)

    def tag(t: TagInfo, text: Any = str) -> dict[str, Any]:
        return {
            "code": text(t.code),
            "label": text(t.label),
            "codebook_version": t.codebook_version,
            "tagged_at": _iso(t.tagged_at),
            "actor": t.actor,
        }

    return {
        "id": r.id,
        "source": r.source,
        "external_id": r.external_id,
        "url": redactor.url(r.url),
        "thread": {
            "external_id": r.thread_external_id,
            # Titles are written by the public on Discourse and portals.
            "title": redactor.title(record.row.thread_title),
            "url": redactor.url(x.thread_url),
        },
        "parent_external_id": r.parent_external_id,
        "created_at": _iso(r.created_at),
        "updated_at": _iso(r.updated_at),
        "remote_status": r.remote_status.value,
        "triage": r.triage.value,
        "author": {
            "name": redactor.name(r.author_name),
            "key": redactor.personal(r.author_key),
            "url": redactor.personal(r.author_url),
        },
        "body": redactor.text(r.body_text),
        "body_raw": redactor.raw(r.body_raw, r.body_format),
        "body_format": r.body_format,
        "questions": [tag(t) for t in x.questions],
        # A role the platform recorded (role_hint) is its text, not a code of the codebook.
        "role": tag(x.role, redactor.text) if x.role else None,
        "role_hint": redactor.text(r.role_hint) if r.role_hint is not None else None,
        "notes": [
            {"text": redactor.text(n.text), "actor": n.actor, "created_at": _iso(n.at)}
            for n in x.notes
        ],
        "provenance": {
            "source": r.source,
            "source_type": x.source_type,
            "source_url": x.source_url,
            "external_id": r.external_id,
            "url": redactor.url(r.url),
            "fetched_at": _iso(r.fetched_at),
        },
        "redacted": not redactor.include_personal_data,
    }


CSV_COLUMNS = (
    "id",
    "source",
    "source_type",
    "external_id",
    "url",
    "thread_external_id",
    "thread_title",
    "thread_url",
    "parent_external_id",
    "created_at",
    "updated_at",
    "fetched_at",
    "remote_status",
    "triage",
    "author",
    "author_key",
    "author_url",
    "role",
    "role_label",
    "role_hint",
    "questions",
    "question_labels",
    "codebook_versions",
    "body",
    "notes",
)

# A cell starting with one of these is a formula in Excel and LibreOffice (also after
# leading blanks, which both skip; the fullwidth forms are folded to ASCII by some
# versions); comments, titles and names are untrusted text, so such cells get a leading
# apostrophe (OWASP's advice for CSV export).
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Blanks a spreadsheet skips before it looks for "=": whitespace and zero-width marks.
_LEADING_BLANKS = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+")


# C0 controls but tab and newline, DEL, C1 controls, the bidi embeddings, overrides and
# isolates that reorder what follows them, and the bidi marks: a report shows a text as
# the TUI draws it (text.clean drops them too); a spreadsheet or ``less`` is a display.
_CONTROL = SHOWN_UNSAFE


def inert(value: str) -> str:
    """Untrusted text as a report writes it (Markdown and CSV): line breaks as ``\n``,
    control characters (a NUL, the ESC of a terminal's escape sequence) and bidi
    overrides gone; tabs kept. A report is read in a spreadsheet or with ``cat``/``less``
    in the terminal the moderator works in."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def csv_safe(value: Any) -> str:
    """One CSV cell that a spreadsheet will not run as a formula, its text :func:`inert`.
    Every CSV writer puts every cell through this. A number we made (a count, an id)
    stays a number; anything else is text, and text that starts (after blanks) with a
    formula character gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = inert(str(value))
    first = text[:1] or " "
    if first not in _FORMULA_START:
        first = _LEADING_BLANKS.sub("", text)[:1] or " "
    return "'" + text if first in _FORMULA_START else text


def record_csv_row(record: Record, redactor: Redactor) -> list[str]:
    """A record as one CSV row, columns as in :data:`CSV_COLUMNS`."""
    d = record_dict(record, redactor)
    x = record.extra
    versions = sorted({t.codebook_version for t in (*x.questions, *([x.role] if x.role else []))})
    notes = " | ".join(n["text"] for n in d["notes"])
    values: list[Any] = [
        d["id"],
        d["source"],
        x.source_type,
        d["external_id"],
        d["url"],
        d["thread"]["external_id"],
        d["thread"]["title"],
        d["thread"]["url"],
        d["parent_external_id"],
        d["created_at"],
        d["updated_at"],
        d["provenance"]["fetched_at"],
        d["remote_status"],
        d["triage"],
        d["author"]["name"],
        d["author"]["key"],
        d["author"]["url"],
        d["role"]["code"] if d["role"] else None,
        d["role"]["label"] if d["role"] else None,
        d["role_hint"],
        ";".join(t.code for t in x.questions),
        ";".join(t.label for t in x.questions),
        ";".join(versions),
        d["body"],
        notes,
    ]
    return [csv_safe(v) for v in values]
