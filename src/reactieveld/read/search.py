"""Searching the memory: a query with filters, ranked hits, and where the words matched.

Shared by ``reactieveld search`` and the search screen. A query is words plus optional
``key:value`` filters typed in the same box (so the screen needs one input, not a form):

    parkeren centrum* bron:blog vraag:1 rol:burger status:"on hold" sinds:2026-03-01 tot:2026-03-31

Keys (Dutch or English): ``bron``/``source``, ``vraag``/``question``/``q``, ``rol``/``role``,
``status``, ``sinds``/``since``/``van``/``from``, ``tot``/``until``/``to``. A key may
repeat (any of the values); a value with a space is quoted (``status:"on hold"``). A status
is named by any word the interface shows for it (:func:`status_named`). Words are ANDed;
``word*`` is a prefix. Text that is not a known key stays part of the words, so a URL like
``https://...`` is not a filter.

Filters without words list the matching responses newest first (there is no rank without
words). A value that names nothing (``vraag:9``, ``rol:burgemeester``, ``bron:typo``,
``sinds:gisteren``) is a :class:`FilterProblem` with a message that says what is allowed;
it is never silently an empty result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.i18n import STRINGS
from reactieveld.i18n import text as ui_text
from reactieveld.model import RemoteStatus
from reactieveld.store.base import Keyset, QueueFilter, QueueRow, SearchHit, SearchStore
from reactieveld.store.fts import fold, query_terms, searchable_words

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
#: Status words of earlier versions, still taken (the interface's own: :func:`status_named`).
_STATUS_WORDS = {"afwachting": "hold", "goedgekeurd": "approved"}
#: ``key:value``; the value may be quoted (``status:"on hold"``); the word after it is
#: caught too (group 4), given back unless it completes a status (``status:on hold``).
#: An empty value (``vraag:`` before a blank or at the end) is caught too, as a problem.
_TOKEN = re.compile(
    r"""(?<!\S)([A-Za-z]+):("[^"]*"|'[^']*'|\S+|(?=\s|$))(?:(\s+)([^\s:"']+)(?!\S))?"""
)
#: A filter typed with blanks after its colon (``vraag: 3``, ``status: "on hold"``) is
#: read as written without them, when what follows is no filter itself.
_SPACED = re.compile(rf"(?<!\S)({'|'.join(_KEYS)}):\s+(?=[^\s:]+(?:\s|$))", re.IGNORECASE)
#: A word typed with "-" before it (``-parkeren``): no search leaves a word out. A dash
#: before a digit is a number's sign (``-12%``, ``-3,5``), searched as written.
_EXCLUDED = re.compile(r"(?<!\S)-+[^\W\d_]\S*")


def excluded_word(word: str) -> bool:
    """Whether ``word`` is one typed to be left out (``-parkeren``), not searched."""
    return _EXCLUDED.fullmatch(word) is not None


_SPELLING_GAPS = re.compile(r"[\s\-_.]+")


def _spelling(word: str) -> str:
    """A status word as compared: any case, no diacritics, no space, hyphen or quote
    (``On hold``, ``on-hold``, ``"onhold"`` are one spelling)."""
    return _SPELLING_GAPS.sub("", fold(word.strip("\"'")))


@functools.cache
def _status_spellings() -> dict[str, RemoteStatus]:
    # Every word the interface shows for a status, in both languages: the status words
    # of the rows (status.*), the tabs' labels and their short forms (queue.*), plus the
    # value itself and the words of earlier versions. Built from the one UI table, so a
    # word added there is a word the search box takes.
    found: dict[str, RemoteStatus] = {}
    for status in RemoteStatus:
        words = [status.value]
        for key in (f"status.{status}", f"queue.{status}", f"queue.short.{status}"):
            if key in STRINGS:
                words += STRINGS[key]
        words += [w for w, v in _STATUS_WORDS.items() if v == status.value]
        for word in words:
            found.setdefault(_spelling(word), status)
    return found


def status_named(word: str) -> RemoteStatus | None:
    """The status ``word`` names (``hold``, ``Wacht``, ``On hold``, ``in-afwachting``,
    ``OK``...), or None."""
    return _status_spellings().get(_spelling(word))


#: What a problem's filter is about, by the target of its key.
_KINDS = {
    "sources": "source",
    "questions": "question",
    "roles": "role",
    "statuses": "status",
    "since": "date",
    "until": "date",
}

#: A word search counts its hits only up to here: past it "more than 10,000" says all a
#: moderator needs, and the count stays bounded (about 10 ms) however common the word.
COUNT_CAP = 10_000


class QueryError(ValueError):
    """A filter in the query cannot be understood (e.g. ``sinds:gisteren``)."""


@dataclass(frozen=True)
class FilterProblem:
    """A ``key:value`` that names nothing: no such planning question, role, status or
    source, or a date that is not a date. ``key`` and ``value`` are as typed (``sep`` is
    " " for a command-line flag: ``--source typo``)."""

    key: str
    value: str
    #: "question", "role", "status", "source", "date", "range" (off the calendar),
    #: "order" (a since after its until: ``key`` the since as typed, ``value`` the until) or
    #: "exclude" (a word with "-" before it: ``key`` and ``sep`` empty)
    kind: str
    sep: str = ":"

    def __str__(self) -> str:
        return f"{self.key}{self.sep}{self.value}"


@dataclass(frozen=True)
class Allowed:
    """What filter values name something: the codebook's questions and roles, and the
    sources in the store (None: sources are not checked)."""

    codebook: Codebook = DEFAULT_CODEBOOK
    sources: tuple[str, ...] | None = None


async def allowed_in(store: SearchStore, codebook: Codebook | None = None) -> Allowed:
    """The :class:`Allowed` values of ``store`` (its sources) and ``codebook``."""
    names = tuple(sorted(s.name for s in await store.source_states()))
    return Allowed(codebook or DEFAULT_CODEBOOK, names)


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a query and the filter its ``key:value`` parts make."""

    words: str
    filter: QueueFilter = field(default_factory=QueueFilter)
    problems: tuple[FilterProblem, ...] = ()

    @property
    def filtered(self) -> bool:
        """Whether the filter restricts anything (filters alone list responses)."""
        return self.filter != QueueFilter()


def _role_code(value: str, codebook: Codebook) -> str | None:
    """A role by its code or a one-word label in any language (``rol:Raadslid``)."""
    role = codebook.role_named(value)
    return role.code if role else None


def _source_name(value: str, sources: Sequence[str]) -> str | None:
    if value in sources:
        return value
    return next((s for s in sources if s.casefold() == value.casefold()), None)


def parse_query(
    text: str, base: QueueFilter | None = None, allowed: Allowed | None = None
) -> ParsedQuery:
    """Split ``text`` into words and filters (added to ``base``).

    A status or date that cannot be read is a problem; with ``allowed`` also a question,
    role or source that is not there (a role may be given by a one-word label, a source
    in any case). Problems are returned, never raised, and their filters left out."""
    from reactieveld.read.figures import DateRangeError, parse_date

    flt = base or QueueFilter()
    lists: dict[str, list[Any]] = {
        "sources": list(flt.sources),
        "questions": list(flt.questions),
        "roles": list(flt.roles),
        "statuses": list(flt.statuses),
    }
    since, until = flt.since, flt.until
    # The bounds as typed (a base's as its day): a backwards period names them.
    said = {"since": _bound(since, end=False), "until": _bound(until, end=True)}
    problems: list[FilterProblem] = []

    def take(m: re.Match[str]) -> str:
        nonlocal since, until
        key, value = m.group(1).lower(), m.group(2)
        after = f" {m.group(4)}" if m.group(4) else ""  # the next word: given back
        target = _KEYS.get(key)
        if target is None:
            return m.group(0)
        if not value:  # "vraag:" names nothing; its next word is a word
            problems.append(FilterProblem(m.group(1), value, _KINDS[target]))
            return " " + after
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        found: Any = value
        if target == "statuses":
            found = status_named(value)
            if found is None and after:
                # Typed as the tab says it, without quotes: status:on hold
                found = status_named(f"{value} {after}")
                if found is not None:
                    value, after = f"{value}{after}", ""
        elif target in ("since", "until"):
            try:
                found = parse_date(value, end=target == "until")
            except DateRangeError:
                problems.append(FilterProblem(m.group(1), value, "range"))
                return " " + after
            except ValueError:
                found = None
        elif allowed is not None and target == "questions":
            code = value.lstrip("#")
            found = code if allowed.codebook.question(code) else None
        elif allowed is not None and target == "roles":
            found = _role_code(value, allowed.codebook)
        elif allowed is not None and allowed.sources is not None:
            found = _source_name(value, allowed.sources)
        if found is None:
            problems.append(FilterProblem(m.group(1), value, _KINDS[target]))
        elif target == "since":
            since, said["since"] = found, f"{m.group(1)}:{value}"
        elif target == "until":
            until, said["until"] = found, f"{m.group(1)}:{value}"
        else:
            lists[target].append(found)
        return " " + after

    words = " ".join(_TOKEN.sub(take, _SPACED.sub(r"\1:", text)).split())
    # "-parkeren" (to leave a word out, as in a web search) would be searched as the word
    # "parkeren", every word being required: the opposite. Said, not searched.
    excluded = dict.fromkeys(_EXCLUDED.findall(words))  # each once, as typed first
    problems += [FilterProblem("", w, "exclude", sep="") for w in excluded]
    if since is not None and until is not None and since >= until:  # as every command
        problems.append(FilterProblem(said["since"], said["until"], "order", sep=" "))
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


def _bound(moment: datetime | None, *, end: bool) -> str:
    """A filter's bound given before the query (``--since``), as its UTC day."""
    if moment is None:
        return ""
    day = (moment - timedelta(microseconds=1) if end else moment).astimezone(UTC)
    return f"{'--until' if end else '--since'} {day:%Y-%m-%d}"


# -- what a problem says --------------------------------------------------------------------


def statuses_text(language: str) -> str:
    """The statuses a filter takes, as a problem lists them (the search's and ``--status``'s
    alike): each as the filter writes it, with the reader's word for it where that differs
    ("hold (wacht)", "hold (on hold)"); each of both words is taken (:func:`status_named`)."""
    words = ((s.value, ui_text(f"status.{s.value}", language)) for s in RemoteStatus)
    return ", ".join(
        value if word.casefold() == value else f"{value} ({word})" for value, word in words
    )


def _allowed_text(kind: str, allowed: Allowed, language: str) -> str:
    book = allowed.codebook
    if kind == "question":
        return "; ".join(f"{c.code} {c.label(language)}" for c in book.questions)
    if kind == "role":
        return ", ".join(f"{c.code} ({c.label(language)})" for c in book.roles)
    if kind == "status":
        return statuses_text(language)
    if kind == "source":
        return ", ".join(allowed.sources or ()) or ui_text("search.problem.no_sources", language)
    return ""


#: The value an empty filter's message gives as an example, by kind (a question's and a
#: role's: the codebook's first; a source's: none, the memory's names follow).
_EXAMPLES = {"status": RemoteStatus.HOLD.value, "date": "2026-03-01"}


def _example(kind: str, allowed: Allowed) -> str:
    if kind == "question":
        return allowed.codebook.questions[0].code if allowed.codebook.questions else "1"
    if kind == "role":
        return allowed.codebook.roles[0].code if allowed.codebook.roles else ""
    return _EXAMPLES.get(kind, "")


def describe_problem(problem: FilterProblem, allowed: Allowed, language: str = "en") -> str:
    """One line: the filter as typed, why it names nothing, and what is allowed; a filter
    typed without a value (``vraag:``) says that, and what it takes."""
    if not problem.value and f"search.problem.empty.{problem.kind}" in STRINGS:
        typed = f"{problem.key}{problem.sep}".strip()
        return ui_text(
            f"search.problem.empty.{problem.kind}",
            language,
            what=typed,
            example=f"{typed}{'' if problem.sep == ':' else ' '}" + _example(problem.kind, allowed),
            allowed=_allowed_text(problem.kind, allowed, language),
        )
    return ui_text(
        f"search.problem.{problem.kind}",
        language,
        what=problem,
        allowed=_allowed_text(problem.kind, allowed, language),
    )


# -- searching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    """Hits for a query. ``by_date``: filters without words, listed newest first.
    ``total``: how many match in all, counted only when ``hits`` reached the limit (else
    None: the hits are all of them); ``capped``: there are more than ``total``."""

    parsed: ParsedQuery
    hits: list[SearchHit]
    by_date: bool = False
    total: int | None = None
    capped: bool = False

    @property
    def ranked(self) -> bool:
        """Best first by bm25 (else newest first: no words, or a very common word)."""
        return bool(self.hits) and all(h.rank is not None for h in self.hits)


async def search(
    store: SearchStore,
    query: str,
    base: QueueFilter | None = None,
    *,
    limit: int = 50,
    allowed: Allowed | None = None,
    count: bool = True,
) -> SearchResult:
    """Hits for a query with inline filters: ranked hits for words; without words, the
    responses the filters match, newest first; nothing (and the problems) when a filter
    names nothing; nothing without words or filters. With ``count``, a result that fills
    ``limit`` also says how many match in all (:func:`count_all`)."""
    parsed = parse_query(query, base, allowed)
    if parsed.problems:
        return SearchResult(parsed, [])
    if parsed.words.strip():
        hits: list[SearchHit] = await store.search(parsed.words, parsed.filter, limit=limit)
        result = SearchResult(parsed, hits)
    elif parsed.filtered:
        rows = await newest(store, parsed.filter, limit=limit)
        result = SearchResult(parsed, [SearchHit(row, None) for row in rows], by_date=True)
    else:
        return SearchResult(parsed, [])
    if count and len(result.hits) >= limit:
        result = await count_all(store, result)
    return result


async def count_all(store: SearchStore, result: SearchResult) -> SearchResult:
    """``result`` with ``total`` (and ``capped``): words are counted up to
    :data:`COUNT_CAP`; filters alone exactly (the store's count: kept counts or an index)."""
    parsed = result.parsed
    if result.by_date:
        return replace(result, total=int(await store.count(parsed.filter)), capped=False)
    total = await count_matches(store, parsed.words, parsed.filter, cap=COUNT_CAP)
    return replace(result, total=total, capped=total >= COUNT_CAP)


# -- filters without words, and counting: the store plans and runs both --------------------


async def newest(
    store: SearchStore, flt: QueueFilter, *, after: Keyset | None = None, limit: int = 100
) -> list[QueueRow]:
    """The responses ``flt`` matches, newest first, continuing after ``after`` (keyset)."""
    return await store.newest(flt, after=after, limit=limit)


async def count_matches(store: SearchStore, words: str, flt: QueueFilter, *, cap: int) -> int:
    """How many responses match ``words`` and ``flt``, counted up to ``cap``."""
    return await store.count_matches(words, flt, cap=cap)


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's words occur in ``text`` as the index matched them (whole words,
    case, accents and styled letters folded; ``word*`` as a prefix): ``[(start, end), ...]``."""
    terms = query_terms(query)
    exact = {t for t in terms if not t.endswith("*")}
    prefixes = tuple(t.rstrip("*") for t in terms if t.endswith("*") and t.rstrip("*"))
    if not exact and not prefixes:
        return []
    return [
        (start, end)
        for word, start, end in searchable_words(text)
        if word in exact or (prefixes and word.startswith(prefixes))
    ]


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


def filter_summary(flt: QueueFilter, language: str = "nl") -> list[str]:
    """The active filters as ``key:value`` words (for a status line), with the keys and
    status words of ``language`` (each one the search box takes back)."""

    def key(target: str) -> str:
        return ui_text(f"search.filter.{target}", language)

    def status(value: RemoteStatus) -> str:
        # The rows' word ("wacht", "on hold"), quoted where it has a space.
        word = ui_text(f"status.{value.value}", language)
        return f'"{word}"' if " " in word else word

    parts = [f"{key('sources')}:{s}" for s in flt.sources]
    parts += [f"{key('questions')}:{q}" for q in flt.questions]
    parts += [f"{key('roles')}:{r}" for r in flt.roles]
    parts += [f"{key('statuses')}:{status(s)}" for s in flt.statuses]
    # The UTC days of the one date rule (stats.parse_date); until is exclusive inside.
    if flt.since:
        parts.append(f"{key('since')}:{flt.since.astimezone(UTC):%Y-%m-%d}")
    if flt.until:
        until = (flt.until - timedelta(microseconds=1)).astimezone(UTC)
        parts.append(f"{key('until')}:{until:%Y-%m-%d}")
    return parts


def date_of(value: datetime) -> str:
    """A response's local date and time, as lists show it."""
    return f"{value.astimezone():%Y-%m-%d %H:%M}"


def hit_sources(hits: Sequence[SearchHit]) -> list[str]:
    """The distinct sources among hits, in order of first appearance."""
    return list(dict.fromkeys(h.row.response.source for h in hits))
