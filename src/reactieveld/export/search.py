"""Searching the memory: a query with filters, ranked hits, and where the words matched.

Shared by ``reactieveld search`` and the search screen. A query is words plus optional
``key:value`` filters typed in the same box (so the screen needs one input, not a form):

    parkeren centrum* bron:blog vraag:1 rol:burger status:hold sinds:2026-03-01 tot:2026-03-31

Keys (Dutch or English): ``bron``/``source``, ``vraag``/``question``/``q``, ``rol``/``role``,
``status``, ``sinds``/``since``/``van``/``from``, ``tot``/``until``/``to``. A key may
repeat (any of the values). Words are ANDed; ``word*`` is a prefix. Text that is not a
known key stays part of the words, so a URL like ``https://...`` is not a filter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from reactieveld.model import RemoteStatus
from reactieveld.store.base import QueueFilter, SearchHit
from reactieveld.store.sqlite import fold, query_terms

_KEYS = {
    "bron": "sources",
    "source": "sources",
    "vraag": "questions",
    "question": "questions",
    "q": "questions",
    "rol": "roles",
    "role": "roles",
    "status": "statuses",
    "sinds": "since",
    "since": "since",
    "van": "since",
    "from": "since",
    "tot": "until",
    "until": "until",
    "to": "until",
}
_STATUS_WORDS = {
    "goedgekeurd": "approved",
    "wacht": "hold",
    "afwachting": "hold",
    "prullenbak": "trash",
    "verborgen": "hidden",
    "verwijderd": "deleted",
}
_TOKEN = re.compile(r"(?<!\S)([A-Za-z]+):(\S+)")


class QueryError(ValueError):
    """A filter in the query cannot be understood (e.g. ``sinds:gisteren``)."""


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a query and the filter its ``key:value`` parts make."""

    words: str
    filter: QueueFilter = field(default_factory=QueueFilter)
    problems: tuple[str, ...] = ()


def parse_query(text: str, base: QueueFilter | None = None) -> ParsedQuery:
    """Split ``text`` into words and filters (added to ``base``). Unknown values of known
    keys are reported in ``problems`` and ignored, so typing never raises."""
    from reactieveld.stats import parse_date

    flt = base or QueueFilter()
    lists: dict[str, list[Any]] = {
        "sources": list(flt.sources),
        "questions": list(flt.questions),
        "roles": list(flt.roles),
        "statuses": list(flt.statuses),
    }
    since, until = flt.since, flt.until
    problems: list[str] = []

    def take(m: re.Match[str]) -> str:
        nonlocal since, until
        key, value = m.group(1).lower(), m.group(2)
        target = _KEYS.get(key)
        if target is None:
            return m.group(0)
        if target == "statuses":
            value = _STATUS_WORDS.get(value.lower(), value.lower())
            try:
                lists["statuses"].append(RemoteStatus(value))
            except ValueError:
                problems.append(f"{key}:{m.group(2)}")
        elif target in ("since", "until"):
            try:
                moment = parse_date(value, end=target == "until")
            except ValueError:
                problems.append(f"{key}:{value}")
            else:
                if target == "since":
                    since = moment
                else:
                    until = moment
        else:
            lists[target].append(value)
        return " "

    words = " ".join(_TOKEN.sub(take, text).split())
    flt = replace(
        flt,
        sources=tuple(dict.fromkeys(lists["sources"])),
        questions=tuple(dict.fromkeys(lists["questions"])),
        roles=tuple(dict.fromkeys(lists["roles"])),
        statuses=tuple(dict.fromkeys(lists["statuses"])),
        since=since,
        until=until,
    )
    return ParsedQuery(words, flt, tuple(problems))


async def search(store: Any, query: str, base: QueueFilter | None = None, *, limit: int = 50):
    """Ranked hits for a query with inline filters; ``([], parsed)`` without words."""
    parsed = parse_query(query, base)
    if not parsed.words.strip():
        return [], parsed
    hits: list[SearchHit] = await store.search(parsed.words, parsed.filter, limit=limit)
    return hits, parsed


_WORD = re.compile(r"\w+", re.UNICODE)


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's words occur in ``text`` as the index matched them (whole words,
    case and accents folded; ``word*`` as a prefix): ``[(start, end), ...]``."""
    terms = query_terms(query)
    exact = {t for t in terms if not t.endswith("*")}
    prefixes = tuple(t.rstrip("*") for t in terms if t.endswith("*") and t.rstrip("*"))
    if not exact and not prefixes:
        return []
    spans = []
    for m in _WORD.finditer(text):
        word = fold(m.group(0))
        if word in exact or (prefixes and word.startswith(prefixes)):
            spans.append((m.start(), m.end()))
    return spans


def snippet(text: str, query: str, width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` (one line) around the first match, with the match spans in it."""
    flat = " ".join(text.split())
    spans = match_spans(flat, query)
    if len(flat) <= width:
        return flat, spans
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 4)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    pre = "…" if start else ""
    post = "…" if end < len(flat) else ""
    cut = pre + flat[start:end] + post
    shift = len(pre) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return cut, inside


def filter_summary(flt: QueueFilter) -> list[str]:
    """The active filters as ``key:value`` words (for a status line)."""
    parts = [f"bron:{s}" for s in flt.sources]
    parts += [f"vraag:{q}" for q in flt.questions]
    parts += [f"rol:{r}" for r in flt.roles]
    parts += [f"status:{s.value}" for s in flt.statuses]
    if flt.since:
        parts.append(f"sinds:{flt.since:%Y-%m-%d}")
    if flt.until:
        parts.append(f"tot:{flt.until:%Y-%m-%d}")
    return parts


def date_of(value: datetime) -> str:
    """A response's local date and time, as lists show it."""
    return f"{value.astimezone():%Y-%m-%d %H:%M}"


def hit_sources(hits: Sequence[SearchHit]) -> list[str]:
    """The distinct sources among hits, in order of first appearance."""
    return list(dict.fromkeys(h.row.response.source for h in hits))
