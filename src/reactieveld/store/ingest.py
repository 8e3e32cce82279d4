"""Ingest: a page of a platform stored in one transaction (responses, threads, their
content hashes, text repaired to what SQLite can hold), and a platform's id moved."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from reactieveld.model import Capability, Page, Response, Thread, TriageState
from reactieveld.store.authors import author_tokens
from reactieveld.store.base import UpsertResult
from reactieveld.store.fts import searchable_or_none
from reactieveld.store.rows import placeholders, to_epoch

# -- text SQLite can hold -------------------------------------------------------------
# A platform's JSON may hold a lone UTF-16 surrogate ("\ud800"): Python decodes it into
# the str, and SQLite's UTF-8 encoding of it raises UnicodeEncodeError, which stopped a
# source for good. Every text the store writes goes through ``storable``: a valid pair
# of surrogates becomes its one character, a lone one becomes U+FFFD. The raw body keeps
# the original instead, with each lone surrogate written as the six characters
# ``\udXXX`` (``raw_storable``), so nothing of what the platform sent is lost.


#: A page's update of a response as the platform's change (parameters: the new text,
#: whether a write-back is pending, the new status): the version the version trigger of
#: migration 0009 gives the row when its text or status changes, else as it was. (SQLite
#: reads every column of an UPDATE's SET as it was before the update.)
SITE_VERSION = (
    "CASE WHEN body_text IS NOT ? OR remote_status IS NOT "
    "(CASE WHEN ? THEN remote_status ELSE ? END) THEN version + 1 ELSE site_version END"
)

MODERATION_CAPS = ("approve", "hold", "spam", "trash", "hide")


def json_text(value: Mapping[str, Any] | None) -> str | None:
    if not value:
        return None
    return storable(json.dumps(dict(value), ensure_ascii=False, sort_keys=True))[0]


def _joined(text: str) -> str:
    # Pairs of surrogates (a str built from UTF-16 code units) as the one character.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def storable(text: str, nul: bool = False) -> tuple[str, bool]:
    """``text`` as SQLite can store it (UTF-8), and whether it had to be repaired.
    ``nul``: without NUL too (U+FFFD in its place), which PostgreSQL's text cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return (text.replace("\x00", "\ufffd") if nul else text), True
    if nul and "\x00" in text:
        return text.replace("\x00", "\ufffd"), True
    return text, False


def raw_storable(text: str, nul: bool = False) -> tuple[str, bool]:
    """The raw form of ``text`` as SQLite can store it: each lone surrogate as the escape
    text ``\\udXXX`` (JSON's and Python's notation for it); whether it had to be.
    ``nul``: a NUL as the escape text ``\\u0000`` too (for PostgreSQL)."""
    fixed = False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text, fixed = _joined(text).encode("utf-8", "backslashreplace").decode("utf-8"), True
    if nul and "\x00" in text:
        text, fixed = text.replace("\x00", "\\u0000"), True
    return text, fixed


def _storable_value(value: Any, nul: bool = False) -> tuple[Any, int]:
    """A str, or the strings in a mapping or list (keys too), made storable; the number
    of texts repaired."""
    if isinstance(value, str):
        text, bad = storable(value, nul)
        return text, int(bad)
    if isinstance(value, Mapping):
        out, n = {}, 0
        for k, v in value.items():
            k2, nk = _storable_value(k, nul)
            v2, nv = _storable_value(v, nul)
            out[k2] = v2
            n += nk + nv
        return (out, n) if n else (value, 0)
    if isinstance(value, (list, tuple)):
        items = [_storable_value(v, nul) for v in value]
        n = sum(c for _, c in items)
        return ([v for v, _ in items], n) if n else (value, 0)
    return value, 0


#: Fields kept in their raw form (lone surrogates escaped) rather than repaired.
_RAW_FIELDS = frozenset({"body_raw"})


D = TypeVar("D", Response, Thread)


def _storable_record(record: D, nul: bool = False) -> tuple[D, int]:
    """A Response or Thread with every text field storable (every str field and mapping,
    found from the dataclass, so a field added later is covered too); the count repaired."""
    changes: dict[str, Any] = {}
    n = 0
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name in _RAW_FIELDS and isinstance(value, str):
            new, bad = raw_storable(value, nul)
            count = int(bad)
        else:
            new, count = _storable_value(value, nul)
        if count:
            changes[f.name] = new
            n += count
    return (dataclasses.replace(record, **changes), n) if n else (record, 0)


class Repairs:
    """How many texts of a page were repaired: per response and per thread (by external
    id, so that only what is stored anew counts, not a re-read of the same text), and in
    the page's cursor and ids."""

    def __init__(self) -> None:
        self.responses: dict[str, int] = {}
        self.threads: dict[str, int] = {}
        self.cursor = 0
        self.other = 0

    def __bool__(self) -> bool:
        return bool(self.responses or self.threads or self.cursor or self.other)


def _texts(value: Any, out: list[str]) -> None:
    """Every str in ``value`` (a str, a mapping's keys and values, a list's items)."""
    if isinstance(value, str):
        out.append(value)
    elif type(value) is dict or isinstance(value, Mapping):
        for k, v in value.items():
            _texts(k, out)
            _texts(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _texts(v, out)


#: Field annotations that hold no text.
_NOT_TEXT = frozenset(
    {"datetime", "datetime | None", "int", "int | None", "float", "bool"}
    | {"RemoteStatus", "TriageState"}
)


_TEXT_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _text_fields(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of every field of ``cls`` that may hold text (every field but dates,
    numbers and enums, found from the dataclass: a field added later is covered)."""
    getter = _TEXT_FIELDS.get(cls)
    if getter is None:
        names = [f.name for f in dataclasses.fields(cls) if str(f.type) not in _NOT_TEXT]
        one = operator.attrgetter(*names)
        getter = one if len(names) > 1 else (lambda record: (one(record),))
        _TEXT_FIELDS[cls] = getter
    return getter


def _page_is_storable(page: Page, nul: bool = False) -> bool:
    """Whether every text of ``page`` is UTF-8 as it is (nearly always): one encode of
    them all, instead of one per field (4 ms per 100 responses, measured, against 0.2)."""
    out: list[str] = []
    records: list[Response | Thread] = [*page.responses, *page.threads]
    for record in records:
        for value in _text_fields(type(record))(record):
            if type(value) is str:
                out.append(value)
            elif value is not None:
                _texts(value, out)
    _texts(page.next_cursor, out)
    _texts(page.gone, out)
    _texts(page.renamed, out)
    joined = "".join(out)
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not (nul and "\x00" in joined)


def storable_page(page: Page, *, nul: bool = False) -> tuple[Page, Repairs]:
    """``page`` with every text storable (responses, threads, the cursor, the ids of gone
    and renamed responses), and what was repaired; ``nul``: without NUL too (see
    :func:`storable`)."""
    repairs = Repairs()
    if _page_is_storable(page, nul):
        return page, repairs
    responses, threads = [], []
    for r in page.responses:
        r2, c = _storable_record(r, nul)
        responses.append(r2)
        if c:
            repairs.responses[r2.external_id] = c
    for t in page.threads:
        t2, c = _storable_record(t, nul)
        threads.append(t2)
        if c:
            repairs.threads[t2.external_id] = c
    cursor, c_cursor = _storable_value(page.next_cursor, nul)
    gone, c_gone = _storable_value(page.gone, nul)
    renamed, c_renamed = _storable_value(page.renamed, nul)
    repairs.cursor, repairs.other = c_cursor, c_gone + c_renamed
    if not repairs:
        return page, repairs
    return (
        dataclasses.replace(
            page,
            responses=responses,
            threads=threads,
            next_cursor=cursor,
            gone=gone,
            renamed=renamed,
        ),
        repairs,
    )


def repaired_anew(
    db: sqlite3.Connection, sid: int, page: Page, repairs: Repairs, hashes: Mapping[str, int]
) -> int:
    """How many of a page's repaired texts are stored anew (before the page is written):
    a response whose content hash is already stored, or a thread stored as it is, was
    counted when it came first."""
    row = db.execute("SELECT cursor FROM sources WHERE id = ?", (sid,)).fetchone()
    stored_hashes = {}
    for ext in repairs.responses:
        found = db.execute(
            "SELECT content_hash FROM responses WHERE source_id = ? AND external_id = ?",
            (sid, ext),
        ).fetchone()
        if found is not None:
            stored_hashes[ext] = found[0]
    stored_threads = {}
    for t in page.threads:
        if repairs.threads.get(t.external_id):
            found = db.execute(
                "SELECT title, url, meta FROM threads WHERE source_id = ? AND external_id = ?",
                (sid, t.external_id),
            ).fetchone()
            if found is not None:
                stored_threads[t.external_id] = tuple(found)
    cursor = row[0] if row is not None else None
    return count_repaired_anew(page, repairs, hashes, cursor, stored_hashes, stored_threads)


def count_repaired_anew(
    page: Page,
    repairs: Repairs,
    hashes: Mapping[str, int],
    stored_cursor: str | None,
    stored_hashes: Mapping[str, int],
    stored_threads: Mapping[str, tuple[Any, ...]],
) -> int:
    """The rule of :func:`repaired_anew` over what is stored (either backend): the source's
    cursor, the content hashes of the repaired responses and the (title, url, meta) of
    the repaired threads that are stored."""
    n = repairs.other
    if repairs.cursor and stored_cursor != page.next_cursor:
        n += repairs.cursor
    for ext, count in repairs.responses.items():
        if stored_hashes.get(ext) is None or stored_hashes[ext] != hashes.get(ext):
            n += count
    for t in page.threads:
        count = repairs.threads.get(t.external_id, 0)
        if count and stored_threads.get(t.external_id) != (t.title, t.url, json_text(t.meta)):
            n += count
    return n


def _content_values(r: Response, author_key: str | None) -> tuple[Any, ...]:
    """The columns a platform's copy sets, in the order of ``responses`` (thread ..  url):
    one list for the insert of a new response and the update of a changed one."""
    return (
        r.thread_external_id,
        r.parent_external_id,
        r.author_name,
        author_key,
        r.author_url,
        r.body_text,
        r.body_raw,
        r.body_format,
        r.url,
    )


def content_hash(r: Response, author_key: str | None) -> int:
    # The columns a platform's copy sets, then what else tells a change (the same order
    # as ever: a stored hash stays valid).
    return _hash_fields(
        *_content_values(r, author_key),
        str(to_epoch(r.updated_at)),
        r.remote_status.value,
        json_text(r.meta),
    )


def _hash_fields(*parts: str | None) -> int:
    # One join and one hash call per row: per-field updates cost ~1 ms per 100-row page,
    # paid on the event loop's thread while the next page waits to be fetched.
    joined = "\x1f".join([part or "" for part in parts])
    digest = hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def platform_hash(db: sqlite3.Connection, rid: int, status: str) -> int | None:
    """The content hash of a stored row as the platform now has it (``status``).

    ``content_hash`` stands for "what the platform last told us"; when we learn the
    platform's status another way (a write-back applied, a response reported gone), the
    hash must follow, or a later page saying the old status would look unchanged.
    """
    row = db.execute(f"SELECT {PLATFORM_HASH_COLS} FROM responses WHERE id = ?", (rid,)).fetchone()
    if row is None:
        return None
    return platform_hash_of(row, status)


#: The columns of a stored row :func:`platform_hash_of` takes, in its order.
PLATFORM_HASH_COLS = (
    "thread_external_id, parent_external_id, author_name, author_key, author_url, "
    "body_text, body_raw, body_format, url, updated_at, meta"
)


def platform_hash_of(row: Sequence[Any], status: str) -> int:
    """The content hash of a stored row (its :data:`PLATFORM_HASH_COLS`) with ``status``."""
    *head, updated, meta = row
    return _hash_fields(*head, str(updated), status, meta)


def _stored(
    db: sqlite3.Connection, sid: int, exts: Sequence[str]
) -> dict[str, tuple[int, int, str, str, str | None, str | None]]:
    """The stored rows of ``exts`` of source ``sid`` by external id: id, content hash,
    body text, author name, thread, author key. One query per 500 ids."""
    out: dict[str, tuple[int, int, str, str, str | None, str | None]] = {}
    for i in range(0, len(exts), 500):
        chunk = exts[i : i + 500]
        for row in db.execute(
            "SELECT r.external_id, r.id, r.content_hash, r.body_text, r.author_name, "
            "r.thread_external_id, r.author_key FROM responses r "
            f"WHERE r.source_id = ? AND r.external_id IN {placeholders(chunk)}",
            (sid, *chunk),
        ):
            out[row[0]] = row[1:]
    return out


def _indexed(
    rid: int, body: str | None, author: str | None, title: str | None
) -> tuple[int, str | None, str | None, str | None]:
    """A row of the search index as it is written and deleted (both must agree: the index
    is contentless): the texts as :func:`~reactieveld.store.fts.searchable` takes them."""
    return rid, searchable_or_none(body), searchable_or_none(author), searchable_or_none(title)


def upsert(
    db: sqlite3.Connection,
    sid: int,
    page: Page,
    prepared: list[tuple[Response, str | None, int]],
    now: int | None,
    codebook_version: str,
) -> UpsertResult:
    threads: dict[str | None, None] = {}
    for old_ext, new_ext in page.renamed.items():
        rekey(db, sid, old_ext, new_ext)
    if page.renamed:
        # The threads of the renamed rows, all looked up at once (a page of a queue
        # just approved may rename every item on it), in the page's order of renames.
        moved = _stored(db, sid, list(dict.fromkeys(page.renamed.values())))
        threads.update((moved[new][4], None) for new in page.renamed.values() if new in moved)
    retitled = _upsert_threads(db, sid, page.threads) if page.threads else {}

    # The last one wins when a page repeats an id.
    by_ext = {r.external_id: (r, key, h) for r, key, h in prepared}
    existing = _stored(db, sid, list(by_ext))

    thread_exts = {r.thread_external_id for r, _, _ in by_ext.values()}
    thread_exts |= {e[4] for e in existing.values()}
    thread_exts.discard(None)
    titles = _titles(db, sid, thread_exts)

    new_rows, new_fts, changed = [], [], []
    next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM responses").fetchone()[0]
    new_ids = []
    for ext, (r, key, h) in by_ext.items():
        old = existing.get(ext)
        title = titles.get(r.thread_external_id or "", "")
        if old is None or old[1] != h:
            threads[r.thread_external_id] = None
            if old is not None:
                threads[old[4]] = None  # the thread it leaves, if it moved
        if old is None:
            rid = next_id
            next_id += 1
            new_ids.append(rid)
            new_rows.append(
                (
                    rid,
                    sid,
                    ext,
                    *_content_values(r, key),
                    to_epoch(r.created_at),
                    to_epoch(r.updated_at),
                    now,
                    r.remote_status.value,
                    r.triage.value,
                    r.role_hint,
                    json_text(r.meta),
                    h,
                )
            )
            new_fts.append(_indexed(rid, r.body_text, r.author_name, title))
        elif old[1] != h:
            changed.append((old, r, key, h, title))

    if new_rows:
        db.executemany(
            "INSERT INTO responses (id, source_id, external_id, thread_external_id, "
            "parent_external_id, author_name, author_key, author_url, body_text, body_raw, "
            "body_format, url, created_at, updated_at, fetched_at, remote_status, triage, "
            "role_hint, meta, content_hash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            new_rows,
        )
        db.executemany(
            "INSERT INTO responses_fts (rowid, body, author, title) VALUES (?,?,?,?)",
            new_fts,
        )
        db.executemany(
            "INSERT INTO responses_by_author (rowid, author_key) VALUES (?, ?)",
            [(row[0], author_tokens(row[6], sid, row[5])) for row in new_rows],
        )
        hinted = [(row[0], row[17], codebook_version, now, row[12]) for row in new_rows if row[17]]
        if hinted:
            db.executemany(
                "INSERT OR IGNORE INTO tags (response_id, kind, code, codebook_version, "
                "created_at, actor, response_created) "
                "VALUES (?, 'role', ?, ?, ?, 'connector', ?)",
                hinted,
            )
        _claim_sent_replies(db, sid, new_rows, now, codebook_version)

    updated = 0
    changed_ids: list[int] = []
    if changed:
        pending = _pending_moderation(db, [old[0] for old, *_ in changed])
        for old, r, key, h, title in changed:
            rid, _, old_body, old_author, old_thread, old_key = old
            old_tokens = author_tokens(old_key, sid, old_author)
            new_tokens = author_tokens(key, sid, r.author_name)
            if old_tokens != new_tokens:
                db.execute(
                    "INSERT INTO responses_by_author (responses_by_author, rowid, "
                    "author_key) VALUES ('delete', ?, ?)",
                    (rid, old_tokens),
                )
                db.execute(
                    "INSERT INTO responses_by_author (rowid, author_key) VALUES (?, ?)",
                    (rid, new_tokens),
                )
            old_title = titles.get(old_thread or "", "")
            if rid in retitled:
                old_title = retitled[rid]
            # A status-only change (the common one in a re-scan) leaves the index be.
            reindex = (old_body, old_author, old_title) != (r.body_text, r.author_name, title)
            if reindex:
                db.execute(
                    "INSERT INTO responses_fts (responses_fts, rowid, body, author, title) "
                    "VALUES ('delete', ?, ?, ?, ?)",
                    _indexed(rid, old_body, old_author, old_title),
                )
            db.execute(
                "UPDATE responses SET thread_external_id = ?, parent_external_id = ?, "
                "author_name = ?, author_key = ?, author_url = ?, body_text = ?, "
                "body_raw = ?, body_format = ?, url = ?, updated_at = ?, fetched_at = ?, "
                "remote_status = CASE WHEN ? THEN remote_status ELSE ? END, "
                f"meta = ?, content_hash = ?, site_version = {SITE_VERSION} WHERE id = ?",
                (
                    *_content_values(r, key),
                    to_epoch(r.updated_at),
                    now,
                    rid in pending,
                    r.remote_status.value,
                    json_text(r.meta),
                    h,
                    r.body_text,
                    rid in pending,
                    r.remote_status.value,
                    rid,
                ),
            )
            if reindex:
                db.execute(
                    "INSERT INTO responses_fts (rowid, body, author, title) VALUES (?,?,?,?)",
                    _indexed(rid, r.body_text, r.author_name, title),
                )
            updated += 1
            changed_ids.append(rid)
            retitled.pop(rid, None)

    # Rows of a thread whose title changed but which were not in this page.
    for rid, old_title in retitled.items():
        row = db.execute(
            "SELECT body_text, author_name, thread_external_id FROM responses WHERE id = ?",
            (rid,),
        ).fetchone()
        new_title = _titles(db, sid, {row[2]}).get(row[2], "")
        db.execute(
            "INSERT INTO responses_fts (responses_fts, rowid, body, author, title) "
            "VALUES ('delete', ?, ?, ?, ?)",
            _indexed(rid, row[0], row[1], old_title),
        )
        db.execute(
            "INSERT INTO responses_fts (rowid, body, author, title) VALUES (?,?,?,?)",
            _indexed(rid, row[0], row[1], new_title),
        )

    if page.gone:
        for ext, status in page.gone.items():
            row = db.execute(
                "SELECT id, thread_external_id FROM responses WHERE source_id = ? "
                "AND external_id = ? AND remote_status != ?",
                (sid, ext, status.value),
            ).fetchone()
            if row is None:
                continue
            threads[row[1]] = None
            # The hash follows, so the response coming back (restored) is an update.
            db.execute(
                "UPDATE responses SET remote_status = ?, fetched_at = ?, content_hash = ?, "
                "site_version = version + 1 WHERE id = ?",
                (status.value, now, platform_hash(db, row[0], status.value), row[0]),
            )
            updated += 1

    if page.next_cursor is not None:
        db.execute("UPDATE sources SET cursor = ? WHERE id = ?", (page.next_cursor, sid))
    return UpsertResult(
        new=len(new_rows),
        updated=updated,
        unchanged=len(by_ext) - len(new_rows) - len(changed),
        new_ids=tuple(new_ids),
        changed_ids=tuple(changed_ids),
        threads=tuple(threads),
        retitled_ids=tuple(retitled),
    )


def _claim_sent_replies(
    db: sqlite3.Connection,
    sid: int,
    new_rows: Sequence[Sequence[Any]],
    now: int | None,
    codebook_version: str,
) -> None:
    """New rows that are the organisation's own replies, sent by an outbox row whose
    outcome was never recorded (a crash between the POST and ``outbox_done``; or a
    repeat the platform refused as a duplicate, which tells no id): stored handled
    (not "New"), with the organisation's role, and linked to that outbox row, which
    is then done, so the worker does not post the same words a second time.

    A match: same source, a reply row still pending (or done without a result id),
    the same thread, the same parent where both are known, the same text after
    whitespace and case are folded, and not an anonymous author (WordPress's
    ``author == 0``) where the platform says so."""
    rows = db.execute(SENT_REPLIES, (sid, Capability.REPLY.value)).fetchall()
    for row, outbox_id in match_sent_replies(rows, new_rows):
        rid, ext, role = row[0], row[2], row[17]
        db.execute(
            "UPDATE responses SET triage = ?, role_hint = coalesce(role_hint, ?) WHERE id = ?",
            (TriageState.HANDLED.value, "organisatie", rid),
        )
        if not role:
            db.execute(
                "INSERT OR IGNORE INTO tags (response_id, kind, code, codebook_version, "
                "created_at, actor, response_created) "
                "VALUES (?, 'role', 'organisatie', ?, ?, 'connector', ?)",
                (rid, codebook_version, now, row[12]),
            )
        db.execute(SENT_REPLY_DONE, (now, ext, outbox_id))


#: The reply rows of a source's outbox a new response may be our copy of (parameters:
#: the source id, the reply capability; ``?`` placeholders).
SENT_REPLIES = (
    "SELECT id, external_id, thread_external_id, text, state FROM outbox "
    "WHERE source_id = ? AND capability = ? AND (state = 'pending' "
    "OR (state = 'done' AND result_external_id IS NULL))"
)


#: The outbox row of a sent reply found again, done (parameters: now, the reply's
#: external id, the outbox id).
SENT_REPLY_DONE = (
    "UPDATE outbox SET state = 'done', done_at = coalesce(done_at, ?), "
    "last_error = NULL, awaits_round = NULL, result_external_id = ? WHERE id = ?"
)


def match_sent_replies(
    rows: Sequence[Sequence[Any]], new_rows: Sequence[Sequence[Any]]
) -> list[tuple[Sequence[Any], int]]:
    """The rule of :func:`_claim_sent_replies` (either backend): which new rows (in the
    column order of ``responses``, id first) are the copy of which outbox row
    (:data:`SENT_REPLIES`), as (new row, outbox id)."""
    if not rows:
        return []
    sent: dict[tuple[str | None, str], list[tuple[int, str]]] = {}
    for oid, parent, thread, text, _state in rows:
        sent.setdefault((thread, _folded(text)), []).append((oid, parent))
    out: list[tuple[Sequence[Any], int]] = []
    for row in new_rows:
        thread, parent, body, raw, meta = row[3], row[4], row[8], row[9], row[18]
        if row[16] == TriageState.HANDLED.value:
            continue  # our own copy (_store_sent_reply), not the platform's
        if meta and json.loads(meta).get("author") == 0:
            continue  # an anonymous commenter, not the organisation's account
        for text in {_folded(body), _folded(raw)}:
            cands = sent.get((thread, text), [])
            match = next((c for c in cands if not parent or not c[1] or c[1] == parent), None)
            if match is None:
                continue
            cands.remove(match)
            out.append((row, match[0]))
            break
    return out


def _titles(db: sqlite3.Connection, sid: int, exts: Iterable[Any]) -> dict[str, str]:
    exts = [e for e in exts if e is not None]
    if not exts:
        return {}
    return dict(
        db.execute(
            "SELECT external_id, title FROM threads "
            f"WHERE source_id = ? AND external_id IN {placeholders(exts)}",
            (sid, *exts),
        ).fetchall()
    )


def _upsert_threads(db: sqlite3.Connection, sid: int, threads: Sequence[Thread]) -> dict[int, str]:
    """Upsert threads; returns {response id: old title} for responses to re-index."""
    old_titles = _titles(db, sid, [t.external_id for t in threads])
    db.executemany(
        "INSERT INTO threads (source_id, external_id, title, url, created_at, meta) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT(source_id, external_id) DO UPDATE SET "
        "title = excluded.title, url = excluded.url, "
        "created_at = coalesce(excluded.created_at, created_at), meta = excluded.meta",
        [
            (sid, t.external_id, t.title, t.url, to_epoch(t.created_at), json_text(t.meta))
            for t in threads
        ],
    )
    retitled: dict[int, str] = {}
    for t in threads:
        # A thread seen for the first time after its responses: they were indexed
        # with an empty title, and the index must hear the real one.
        old = old_titles.get(t.external_id, "")
        if old != t.title:
            for (rid,) in db.execute(
                "SELECT id FROM responses WHERE source_id = ? AND thread_external_id = ?",
                (sid, t.external_id),
            ):
                retitled[rid] = old
    return retitled


def _pending_moderation(db: sqlite3.Connection, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return {
        row[0]
        for row in db.execute(
            f"SELECT response_id FROM outbox WHERE response_id IN {placeholders(ids)} "
            f"AND state = 'pending' AND capability IN {placeholders(MODERATION_CAPS)}",
            (*ids, *MODERATION_CAPS),
        )
    }


#: A response's new platform id, unless a row with that id exists already (parameters:
#: new id, source id, old id, source id, new id); both backends.
REKEY_SQL = (
    "UPDATE responses SET external_id = ? WHERE source_id = ? AND external_id = ? "
    "AND NOT EXISTS (SELECT 1 FROM responses o WHERE o.source_id = ? AND o.external_id = ?)"
)


def rekey(db: sqlite3.Connection, sid: int, old_ext: str, new_ext: str) -> None:
    """The platform gave an item a new id (Discourse publishes an approved queued post
    as a new post): move the row, so the next sync updates it, with its tags, notes
    and journal, instead of adding the same words a second time."""
    if old_ext == new_ext:
        return
    db.execute(REKEY_SQL, (new_ext, sid, old_ext, sid, new_ext))


def _folded(text: str | None) -> str:
    """A reply's words for comparing our copy with the platform's: whitespace and case
    folded (a platform re-wraps lines and may change nothing else we could rely on)."""
    return " ".join((text or "").split()).casefold()
