"""Sources, pages and their cursors on PostgreSQL: ``ensure_source``, source states,
``record_sync``, ``upsert_page`` (``INSERT ... SELECT unnest(...) ON CONFLICT``, the search
vector written with the row), ``external_statuses``, ``record_history``, the author keys'
secret and ``meta``.

The rules are the SQLite store's (``store/ingest.py``, ``store/history.py``,
``store/authors.py``); only the SQL is PostgreSQL's. A page is one transaction and a
handful of statements whatever its size: one array per column, not one row per call."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from reactieveld.rules import RuleSet

from reactieveld.i18n import stored
from reactieveld.model import (
    Capability,
    Page,
    RemoteStatus,
    Source,
    TriageState,
    title_by_author,
    utcnow,
)
from reactieveld.store.authors import author_key_for, secret_bytes, secret_check
from reactieveld.store.base import PastWork, SourceState, StoreError, UpsertResult
from reactieveld.store.history import (
    CLAIMS_INTO,
    JOURNAL_INTO,
    NOTES_INTO,
    ROLES_SQL,
    ROWS_SQL,
    TAGS_INTO,
    history_rows,
    plan_history,
)
from reactieveld.store.ingest import (
    MODERATION_CAPS,
    PLATFORM_HASH_COLS,
    REKEY_SQL,
    SENT_REPLIES,
    SENT_REPLY_DONE,
    Repairs,
    content_hash,
    count_repaired_anew,
    json_text,
    match_sent_replies,
    platform_hash_of,
    storable,
    storable_page,
)
from reactieveld.store.pg.actions import Actions
from reactieveld.store.pg.base import counts_lock, dollar
from reactieveld.store.pg.live import CHANNEL, NOTIFY_SOURCE, notify_source, threads_json
from reactieveld.store.pg.schema import current_version
from reactieveld.store.rows import STATE_COLS, source_state_from_row, to_epoch
from reactieveld.store.screening import SCREEN_SQL, TITLED_IN_SQL, screened
from reactieveld.store.sources import (
    BEGIN_ROUND_SQL,
    EXTERNAL_STATUSES_SQL,
    SET_CURSOR_SQL,
    record_sync_sql,
)


def search_vector(body: str, author: str, title: str) -> str:
    """The SQL of a response's ``search`` vector from three SQL expressions: body (weight
    A), author (B) and its thread's title (C), in the configuration ``reactieveld`` (words
    as written, without diacritics, styled letters as plain ones: the same words SQLite's
    index holds). Migration 0017 writes the same vectors for the rows it found."""
    return f"{_text_vector(body, author)} || {title_vector(title)}"


def searchable_sql(text: str) -> str:
    """The SQL of a text as the vectors take it (:func:`reactieveld.store.fts.searchable`:
    compatibility forms as plain letters, "𝐇𝐀𝐓𝐄" as "HATE", and a final "ς" as "σ", as
    SQLite's tokenizer reads it; the configuration's ``unaccent`` spells the other letters
    searchable maps), from a column or parameter, or any expression (then read once, in
    a sub-select).

    Only text with a character beyond ASCII is normalized (as fewer bytes than characters
    says): ``normalize`` on every text made the server's ingest about 20 % dearer in CPU
    (bench/ingest_pg_bench.py rows), where ASCII, most of them, is its own NFKC."""
    if not _NAME.fullmatch(text):
        return f"(SELECT {searchable_sql('s.t')} FROM (SELECT {text} AS t) AS s)"
    if text.startswith("$"):
        text = f"{text}::text"  # octet_length would not know a parameter's type
    return (
        f"CASE WHEN octet_length({text}) = char_length({text}) THEN {text} "
        f"ELSE translate(normalize({text}, NFKC), 'ς', 'σ') END"
    )


#: A column (``r.body_text``) or a parameter (``$5``): read twice at no cost.
_NAME = re.compile(r"[\w.$]+")


def _text_vector(body: str, author: str) -> str:
    # The response's own part of :func:`search_vector`.
    return (
        f"setweight(to_tsvector('reactieveld', {searchable_sql(body)}), 'A') || "
        f"setweight(to_tsvector('reactieveld', {searchable_sql(author)}), 'B')"
    )


def title_vector(title: str) -> str:
    """The thread title's part of :func:`search_vector` (weight C)."""
    titled = f"coalesce({searchable_sql(title)}, '')"
    return f"setweight(to_tsvector('reactieveld', {titled}), 'C')"


def title_of(source_id: str, thread: str) -> str:
    """The SQL of a thread's title from two SQL expressions (its source's id and its
    external id), for :func:`search_vector`."""
    return (
        f"(SELECT th.title FROM threads th WHERE th.source_id = {source_id} "
        f"AND th.external_id = {thread})"
    )


#: The title of a response's thread (``r`` the response), for :func:`search_vector`.
_TITLE_OF = title_of("r.source_id", "r.thread_external_id")
# The stored rows of a list of external ids ($2) of a source ($1): external id, content
# hash, thread. From the ids outwards, one index look-up each (LATERAL, kept a nested
# loop by OFFSET 0): a plan of ``external_id = ANY($2)`` or a hash join, on a table the
# planner has no statistics of yet (a first ingest), walked the whole source for every
# page.
_STORED_SQL = (
    "SELECT r.external_id, r.content_hash, r.thread_external_id "
    "FROM unnest($2::text[]) AS e (ext) CROSS JOIN LATERAL (SELECT external_id, "
    "content_hash, thread_external_id FROM responses "
    "WHERE source_id = $1 AND external_id = e.ext OFFSET 0) AS r"
)

#: The columns a page writes, in the order of the arrays (after id and source_id as in
#: ``responses``), with their array types.
_PAGE_COLS = (
    ("external_id", "text"),
    ("thread_external_id", "text"),
    ("parent_external_id", "text"),
    ("author_name", "text"),
    ("author_key", "text"),
    ("author_url", "text"),
    ("body_text", "text"),
    ("body_raw", "text"),
    ("body_format", "text"),
    ("url", "text"),
    ("created_at", "bigint"),
    ("updated_at", "bigint"),
    ("remote_status", "text"),
    ("triage", "text"),
    ("role_hint", "text"),
    ("meta", "text"),
    ("content_hash", "bigint"),
)
_NAMES = ", ".join(name for name, _ in _PAGE_COLS)
_P_NAMES = ", ".join(f"p.{name}" for name, _ in _PAGE_COLS)
_UNNEST = ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(_PAGE_COLS, 3))
#: The page's threads' titles as weighted vectors, each made once a page (not once a
#: response: a thread's responses mostly come together), joined to the page's rows.
_PAGE_TITLES = (
    f"t AS (SELECT th.external_id, {title_vector('th.title')} AS v "
    "FROM threads th WHERE th.source_id = $1 AND th.external_id IN "
    "(SELECT DISTINCT thread_external_id FROM p))"
)
#: The platform's content changes what it says; a status kept back by a pending
#: moderation decision of ours (``store/ingest.py``: the local status stays until it is
#: written back) is the row's own.
_KEEP_STATUS = (
    "EXISTS (SELECT 1 FROM outbox o WHERE o.response_id = responses.id AND o.state = 'pending' "
    f"AND o.capability IN ({', '.join(repr(c) for c in MODERATION_CAPS)}))"
)
_NEW_STATUS = (
    f"CASE WHEN {_KEEP_STATUS} THEN responses.remote_status ELSE excluded.remote_status END"
)
#: A page's row changes what a moderator acts on (its text or status): its ``version``
#: goes up, and ``site_version`` says that the platform made that version (migration 0009).
_CHANGED = f"""(responses.body_text, responses.body_raw, responses.author_name,
    responses.remote_status) IS DISTINCT FROM
    (excluded.body_text, excluded.body_raw, excluded.author_name, {_NEW_STATUS})"""
#: One statement for the whole page: new rows inserted, changed rows (another content
#: hash) updated in place, the same rows left alone (no dead tuple, no WAL). The search
#: vector is written with the row; ``version`` follows when the text or the status
#: changes (what a moderator acts on, issue 13).
UPSERT_PAGE = f"""
WITH p AS (SELECT * FROM unnest({_UNNEST}) WITH ORDINALITY AS p ({_NAMES}, n)),
{_PAGE_TITLES}
INSERT INTO responses AS responses (source_id, fetched_at, {_NAMES}, search)
SELECT $1, $2, {_P_NAMES}, {_text_vector("p.body_text", "p.author_name")}
    || coalesce(t.v, ''::tsvector)
FROM p LEFT JOIN t ON t.external_id = p.thread_external_id
ORDER BY p.n  -- the ids in the page's order (the order its platform gave)
ON CONFLICT (source_id, external_id) DO UPDATE SET
    thread_external_id = excluded.thread_external_id,
    parent_external_id = excluded.parent_external_id,
    author_name = excluded.author_name,
    author_key = excluded.author_key,
    author_url = excluded.author_url,
    body_text = excluded.body_text,
    body_raw = excluded.body_raw,
    body_format = excluded.body_format,
    url = excluded.url,
    updated_at = excluded.updated_at,
    fetched_at = excluded.fetched_at,
    remote_status = {_NEW_STATUS},
    meta = excluded.meta,
    content_hash = excluded.content_hash,
    version = responses.version + CASE WHEN {_CHANGED} THEN 1 ELSE 0 END,
    site_version = CASE WHEN {_CHANGED} THEN responses.version + 1
        ELSE responses.site_version END,
    search = CASE WHEN
        (responses.body_text, responses.author_name, responses.thread_external_id)
        IS DISTINCT FROM
        (excluded.body_text, excluded.author_name, excluded.thread_external_id)
        THEN excluded.search ELSE responses.search END
WHERE responses.content_hash <> excluded.content_hash
RETURNING id, external_id, (xmax = 0) AS inserted
"""


class Ingest(Actions):  # a page's rule holds are decisions (Actions._decide)
    _author_secret: bytes | None = b""
    _given_secret: str | None = None

    # -- the author keys' secret --------------------------------------------------------
    async def _setup_author_secret(self, given: str | None) -> None:
        """The key of the author keys (``store.py``'s ``_setup``). PostgreSQL has no file
        beside the database: without ``given`` the store keeps a random key in ``meta``
        (a reader may not read it: see the grants); with it, only a check value is kept,
        a different one is refused (it would split every author in two), and a kept key
        that equals it leaves the database (``reactieveld author-secret``)."""
        self._given_secret = given
        if self.read_only:
            self._author_secret = await self._read(lambda c: self._read_only_secret(c, given))
            return

        async def fn(conn: asyncpg.Connection) -> bytes | None:
            # One opener at a time decides (two programs opening a new database).
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('reactieveld author'))")
            meta = dict(
                await conn.fetch(
                    "SELECT key, value FROM meta "
                    "WHERE key IN ('author_secret', 'author_secret_check')"
                )
            )
            kept, check = meta.get("author_secret"), meta.get("author_secret_check")
            used = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM responses WHERE author_key IS NOT NULL)"
            )
            key: bytes | None
            if given is None:
                if kept is not None:
                    key = secret_bytes(kept)
                elif check is None or not used:
                    fresh = secrets.token_hex(32)
                    await conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('author_secret', $1)", fresh
                    )
                    key = secret_bytes(fresh)
                else:
                    # A made-up key would split every author in two: none, and say so
                    # on the first new author key (see ``author_key``).
                    key = None
            else:
                key = secret_bytes(given)
                if used and kept is not None and secret_bytes(kept) != key:
                    raise StoreError(stored("conn.store.secret_not_kept", where=self.where))
                if used and kept is None and check not in (None, secret_check(key)):
                    raise StoreError(stored("conn.store.secret_not_made", where=self.where))
                await conn.execute("DELETE FROM meta WHERE key = 'author_secret'")
            if key is not None and check != secret_check(key):
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('author_secret_check', $1) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    secret_check(key),
                )
            return key

        self._author_secret = await self._write(fn)

    async def _read_only_secret(self, conn: asyncpg.Connection, given: str | None) -> bytes | None:
        if given is not None:
            return secret_bytes(given)
        if not await conn.fetchval("SELECT has_table_privilege('meta', 'SELECT')"):
            return None  # a reader: it writes no response, so it needs no key
        kept = await conn.fetchval("SELECT value FROM meta WHERE key = 'author_secret'")
        return secret_bytes(kept) if kept else None

    async def kept_author_secret(self) -> str | None:
        """The author secret this database keeps (None when it is in the environment),
        for ``reactieveld author-secret``."""

        async def fn(conn: asyncpg.Connection) -> str | None:
            if not await conn.fetchval("SELECT has_table_privilege('meta', 'SELECT')"):
                return None
            value = await conn.fetchval("SELECT value FROM meta WHERE key = 'author_secret'")
            return None if value is None else str(value)

        return await self._read(fn)

    def author_key(self, email: str | None) -> str | None:
        """The keyed hash that stands in for an e-mail address (never stored itself)."""
        return author_key_for(
            self._author_secret,
            email,
            lambda: stored("conn.store.pg_no_secret", where=self.where),
        )

    # -- sources ------------------------------------------------------------------------
    async def ensure_source(self, source: Source) -> None:
        """Register a source (or update its type and url)."""
        await self._write(
            lambda c: c.execute(
                "INSERT INTO sources (name, type, url) VALUES ($1, $2, $3) "
                "ON CONFLICT (name) DO UPDATE SET type = excluded.type, url = excluded.url",
                source.name,
                source.type,
                source.url,
            )
        )

    async def source_state(self, name: str) -> SourceState | None:
        """The stored cursor and sync bookkeeping of one source."""
        row = await self._read(
            lambda c: c.fetchrow(f"SELECT {STATE_COLS} FROM sources WHERE name = $1", name)
        )
        return source_state_from_row(row) if row is not None else None

    async def source_states(self) -> list[SourceState]:
        """All sources with their sync bookkeeping, by name."""
        rows = await self._read(
            lambda c: c.fetch(f'SELECT {STATE_COLS} FROM sources ORDER BY name COLLATE "C"')
        )
        return [source_state_from_row(r) for r in rows]

    async def begin_round(self, name: str) -> tuple[int | None, SourceState | None]:
        """Begin a sync round of ``name``: its number and the source's state (its cursor);
        (None, None) when the source is not registered. Not announced: nothing shown moved."""
        row = await self._write(lambda c: c.fetchrow(dollar(BEGIN_ROUND_SQL), name))
        return (row[0], source_state_from_row(tuple(row)[1:])) if row is not None else (None, None)

    async def record_sync(
        self,
        name: str,
        *,
        error: str | None = None,
        next_try: datetime | None = None,
        by: str | None = None,
        round_no: int | None = None,
    ) -> bool:
        """Record the end of sync round ``round_no`` (:meth:`begin_round`): success (error
        None) or the error to show; ``by``: the syncing process's name. Announced on
        commit (``notify_source``): every app shows the sources' state the store holds,
        whoever synced. False (nothing announced): the source holds a newer round's end."""
        shown = None if error is None else pg_text(error)
        sql, params = record_sync_sql(name, shown, next_try, to_epoch(utcnow()), by, round_no)

        async def fn(conn: asyncpg.Connection) -> bool:
            if await conn.execute(dollar(sql), *params) == "UPDATE 0":
                return False
            await notify_source(conn, name)
            return True

        return await self._write(fn)

    async def set_cursor(self, name: str, cursor: str | None) -> None:
        """Set (or clear, for a full re-read) a source's cursor."""
        await self._write(lambda c: c.execute(dollar(SET_CURSOR_SQL), cursor, name))

    async def external_statuses(self, source: str) -> dict[str, RemoteStatus]:
        """Every response of ``source`` as {external id: remote status}, in one query."""
        rows = await self._read(lambda c: c.fetch(dollar(EXTERNAL_STATUSES_SQL), source))
        return {ext: RemoteStatus(status) for ext, status in rows}

    async def meta(self) -> Mapping[str, Any]:
        """Schema version, the database (its URL without a password) and the codebook
        version tags are written with."""
        version = await self._read(current_version)
        return {
            "schema_version": version,
            "path": self.where,
            "codebook_version": self.codebook_version,
        }

    # -- ingest -------------------------------------------------------------------------
    async def upsert_page(
        self,
        source: str,
        page: Page,
        *,
        rules: RuleSet | None = None,
        hold_write_back: bool = True,
    ) -> UpsertResult:
        """Store one page and its cursor in one transaction; idempotent (see
        ``SqliteStore.upsert_page``: the same rules, the same counts, the moderation
        ``rules`` applied to the page's new and changed responses alike)."""
        now = to_epoch(utcnow())
        # Text PostgreSQL cannot hold (a lone surrogate, a NUL) is stored repaired and
        # counted, never raised on: one odd comment must not stop a source.
        page, repaired = storable_page(page, nul=True)
        # The last one wins when a page repeats an id.
        by_ext: dict[str, tuple[Any, ...]] = {}
        titled = {r.external_id for r in page.responses if title_by_author(r.meta)}
        for r in page.responses:
            key = r.author_key or self.author_key(r.author_email)
            by_ext[r.external_id] = (
                r.external_id,
                r.thread_external_id,
                r.parent_external_id,
                r.author_name,
                key,
                r.author_url,
                r.body_text,
                r.body_raw,
                r.body_format,
                r.url,
                to_epoch(r.created_at),
                to_epoch(r.updated_at),
                r.remote_status.value,
                r.triage.value,
                r.role_hint,
                json_text(r.meta),
                content_hash(r, key),
            )

        async def fn(conn: asyncpg.Connection) -> UpsertResult:
            # The kept counts' rows in one order for every writer (pg/base.counts_lock):
            # a page beside two moderators' decisions otherwise deadlocked.
            await counts_lock(conn)
            sid = await self._source_id(conn, source)
            anew = await self._repaired_anew(conn, sid, page, repaired, by_ext) if repaired else 0
            threads: dict[str | None, None] = {}
            moved = [new for old, new in page.renamed.items() if old != new]
            for old_ext, new_ext in page.renamed.items():
                if old_ext != new_ext:
                    await conn.execute(dollar(REKEY_SQL), new_ext, sid, old_ext, sid, new_ext)
            if moved:
                # The threads of the renamed rows, all looked up at once (a page of a
                # queue just approved may rename every item on it), in the page's order.
                at = {
                    row[0]: row[2]
                    for row in await conn.fetch(_STORED_SQL, sid, list(dict.fromkeys(moved)))
                }
                threads.update((at[new], None) for new in moved if new in at)
            retitled = await self._upsert_threads(conn, sid, page) if page.threads else []
            if retitled:
                # The stored responses of a renamed thread (or one seen for the first time
                # after them: indexed without a title) follow its title. Before the page's
                # rows: those are written with the new title already.
                await conn.execute(
                    # Thread by thread (LATERAL, the thread index): a plan of ``= ANY($2)``
                    # walked the whole source for every page.
                    "UPDATE responses r SET search = "
                    f"{search_vector('r.body_text', 'r.author_name', _TITLE_OF)} "
                    "FROM unnest($2::text[]) AS t (ext) CROSS JOIN LATERAL (SELECT id "
                    "FROM responses WHERE source_id = $1 AND thread_external_id = t.ext "
                    "OFFSET 0) AS m "
                    "WHERE r.id = m.id",
                    sid,
                    retitled,
                )
            # Only rows that are new or changed go to the upsert: a re-scan's unchanged
            # rows cost one index look-up each, not a search vector made and dropped.
            found = await conn.fetch(_STORED_SQL, sid, list(by_ext)) if by_ext else []
            stored = {row[0]: row[1] for row in found}
            had = {row[0]: row[2] for row in found}  # the thread each had
            rows = [row for ext, row in by_ext.items() if stored.get(ext) != row[-1]]
            for row in rows:
                threads[row[1]] = None
                if row[0] in had:
                    threads[had[row[0]]] = None  # the thread it leaves, if it moved
            columns = [list(col) for col in zip(*rows, strict=True)]
            written = await conn.fetch(UPSERT_PAGE, sid, now, *columns) if rows else []
            new = [(r["id"], r["external_id"]) for r in written if r["inserted"]]
            updated = len(written) - len(new)
            if new:
                await self._after_new(conn, sid, now, new, by_ext)
            if page.gone:
                gone = await self._gone(conn, sid, now, page.gone)
                updated += len(gone)
                threads.update(dict.fromkeys(gone))
            if anew:
                await conn.execute(
                    "INSERT INTO source_repairs (source_id, n) VALUES ($1, $2) "
                    "ON CONFLICT (source_id) DO UPDATE SET n = source_repairs.n + excluded.n",
                    sid,
                    anew,
                )
            result = UpsertResult(
                new=len(new),
                updated=updated,
                unchanged=len(by_ext) - len(written),
                new_ids=tuple(rid for rid, _ in new),
                changed_ids=tuple(r["id"] for r in written if not r["inserted"]),
                threads=tuple(threads),
            )
            if rules and (written or retitled):
                # The thread's title too where the response's author wrote it, as stored
                # (this page's thread, or one stored before): read for those alone.
                mine = [r["id"] for r in written if r["external_id"] in titled]
                sql = SCREEN_SQL.format(ids="= ANY($1::bigint[])")
                got = await conn.fetch(sql, mine) if mine else []
                titles = {rid: title for rid, _, title in map(screened, got)}
                texts = [
                    (r["id"], by_ext[r["external_id"]][6], titles.get(r["id"])) for r in written
                ]
                if retitled:  # a title changed: its author's own responses read it again
                    sql = dollar(TITLED_IN_SQL.format(exts="= ANY(?::text[])"))
                    ids = {rid for rid, _, _ in texts}
                    texts += [
                        (rid, body, title)
                        for rid, body, title in map(screened, await conn.fetch(sql, sid, retitled))
                        if title and rid not in ids
                    ]
                result = await self.apply_rules(
                    conn, result, rules, texts, write_back=hold_write_back, now=now or 0
                )
            # The other apps (and the team's other syncs) hear of new or changed rows on
            # commit: the source's name and the rows' threads only, they read what they
            # show themselves. With the page's cursor in the same statement (one round
            # trip a page).
            heard = bool(result.new or result.updated)
            if page.next_cursor is not None and heard:
                await conn.execute(
                    f"WITH c AS (UPDATE sources SET cursor = $4 WHERE id = $5) {NOTIFY_SOURCE}",
                    CHANNEL,
                    source,
                    threads_json(result.threads),
                    page.next_cursor,
                    sid,
                )
            elif page.next_cursor is not None:
                await conn.execute(
                    "UPDATE sources SET cursor = $1 WHERE id = $2", page.next_cursor, sid
                )
            elif heard:
                await notify_source(conn, source, result.threads)
            return result

        return await self._write(fn)

    async def _repaired_anew(
        self,
        conn: asyncpg.Connection,
        sid: int,
        page: Page,
        repairs: Repairs,
        by_ext: Mapping[str, tuple[Any, ...]],
    ) -> int:
        cursor = await conn.fetchval("SELECT cursor FROM sources WHERE id = $1", sid)
        stored_hashes = dict(
            await conn.fetch(
                # Per id, as the page's own look-up (see ``upsert_page``).
                "SELECT r.external_id, r.content_hash FROM unnest($2::text[]) AS e (ext) "
                "CROSS JOIN LATERAL (SELECT external_id, content_hash FROM responses "
                "WHERE source_id = $1 AND external_id = e.ext OFFSET 0) AS r",
                sid,
                list(repairs.responses),
            )
        )
        repaired_threads = [t.external_id for t in page.threads if t.external_id in repairs.threads]
        stored_threads = {
            row[0]: tuple(row[1:])
            for row in await conn.fetch(
                "SELECT external_id, title, url, meta FROM threads "
                "WHERE source_id = $1 AND external_id = ANY($2::text[])",
                sid,
                repaired_threads,
            )
        }
        hashes = {ext: row[-1] for ext, row in by_ext.items()}
        return count_repaired_anew(page, repairs, hashes, cursor, stored_hashes, stored_threads)

    async def _upsert_threads(self, conn: asyncpg.Connection, sid: int, page: Page) -> list[str]:
        """Upsert the page's threads; the external ids of those whose title changed (a
        thread seen for the first time after its responses counts: they were indexed
        with an empty title)."""
        threads = {t.external_id: t for t in page.threads}  # the last one wins
        rows = await conn.fetch(
            "WITH p AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], "
            "$5::bigint[], $6::text[]) AS p (external_id, title, url, created_at, meta)), "
            "old AS (SELECT th.external_id, th.title FROM threads th JOIN p "
            "ON th.external_id = p.external_id WHERE th.source_id = $1), "
            "up AS (INSERT INTO threads AS th (source_id, external_id, title, url, "
            "created_at, meta) SELECT $1, p.* FROM p ON CONFLICT (source_id, external_id) "
            "DO UPDATE SET title = excluded.title, url = excluded.url, "
            "created_at = coalesce(excluded.created_at, th.created_at), meta = excluded.meta "
            "RETURNING th.external_id, th.title) "
            "SELECT up.external_id FROM up LEFT JOIN old USING (external_id) "
            "WHERE coalesce(old.title, '') <> up.title "
            # Only a thread with responses stored already has any to index again (a
            # new thread's responses come after it, with its title).
            "AND EXISTS (SELECT 1 FROM responses r WHERE r.source_id = $1 "
            "AND r.thread_external_id = up.external_id)",
            sid,
            list(threads),
            [t.title for t in threads.values()],
            [t.url for t in threads.values()],
            [to_epoch(t.created_at) for t in threads.values()],
            [json_text(t.meta) for t in threads.values()],
        )
        return [r[0] for r in rows]

    async def _after_new(
        self,
        conn: asyncpg.Connection,
        sid: int,
        now: int,
        new: list[tuple[int, str]],
        by_ext: Mapping[str, tuple[Any, ...]],
    ) -> None:
        """A connector's role hint as a tag, and our own replies recognised (the rules of
        ``store/ingest.py``)."""
        hinted = [(rid, by_ext[ext]) for rid, ext in new if by_ext[ext][14]]
        if hinted:
            await conn.execute(
                "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, "
                "actor, response_created) SELECT p.id, 'role', p.code, $3, $4, 'connector', "
                "p.created FROM unnest($1::bigint[], $2::text[], $5::bigint[]) "
                "AS p (id, code, created) ON CONFLICT DO NOTHING",
                [rid for rid, _ in hinted],
                [row[14] for _, row in hinted],
                self.codebook_version,
                now,
                [row[10] for _, row in hinted],
            )
        sent = await conn.fetch(dollar(SENT_REPLIES), sid, Capability.REPLY.value)
        if not sent:
            return
        # The new rows in the column order of ``responses`` (id, source_id, external_id,
        # ... , fetched_at, remote_status, triage, role_hint, meta, content_hash).
        full = [(rid, sid, *by_ext[ext][:12], now, *by_ext[ext][12:]) for rid, ext in new]
        for row, outbox_id in match_sent_replies([tuple(s) for s in sent], full):
            rid, ext, role, created = row[0], row[2], row[17], row[12]
            await conn.execute(
                "UPDATE responses SET triage = $1, role_hint = coalesce(role_hint, $2), "
                "version = version + 1 WHERE id = $3",
                TriageState.HANDLED.value,
                "organisatie",
                rid,
            )
            if not role:
                await conn.execute(
                    "INSERT INTO tags (response_id, kind, code, codebook_version, "
                    "created_at, actor, response_created) "
                    "VALUES ($1, 'role', 'organisatie', $2, $3, 'connector', $4) "
                    "ON CONFLICT DO NOTHING",
                    rid,
                    self.codebook_version,
                    now,
                    created,
                )
            await conn.execute(dollar(SENT_REPLY_DONE), now, ext, outbox_id)

    async def _gone(
        self, conn: asyncpg.Connection, sid: int, now: int, gone: Mapping[str, RemoteStatus]
    ) -> list[str | None]:
        """Responses the platform reports gone: the status, and the hash follows (so the
        response coming back, restored, is an update). Returns the thread of each one
        changed."""
        rows = await conn.fetch(
            f"SELECT r.id, g.status, {PLATFORM_HASH_COLS} "
            "FROM unnest($2::text[], $3::text[]) AS g (external_id, status) "
            "CROSS JOIN LATERAL (SELECT * FROM responses WHERE source_id = $1 "
            "AND external_id = g.external_id OFFSET 0) AS r WHERE r.remote_status <> g.status",
            sid,
            list(gone),
            [s.value for s in gone.values()],
        )
        if not rows:
            return []
        await conn.execute(
            "UPDATE responses r SET remote_status = g.status, fetched_at = $1, "
            "content_hash = g.hash, version = r.version + 1, site_version = r.version + 1 "
            "FROM unnest($2::bigint[], $3::text[], $4::bigint[]) AS g (id, status, hash) "
            "WHERE r.id = g.id",
            now,
            [r[0] for r in rows],
            [r[1] for r in rows],
            [platform_hash_of(tuple(r)[2:], r[1]) for r in rows],
        )
        return [r[2] for r in rows]  # PLATFORM_HASH_COLS begin with the thread

    # -- history written with its own times ---------------------------------------------
    async def record_history(self, source: str, work: Iterable[PastWork], *, once: str) -> int:
        """Moderator work that happened earlier, at its own times, in one transaction
        (see ``SqliteStore.record_history``; the plan is ``store/history.py``'s)."""
        key = f"history:{once}"
        work = list(work)

        async def fn(conn: asyncpg.Connection) -> int:
            # Two programs writing the same history: the second waits, then sees it.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", key)
            await counts_lock(conn)
            if await conn.fetchval("SELECT 1 FROM meta WHERE key = $1", key):
                return 0
            sid = await self._source_id(conn, source)
            rows = history_rows(await conn.fetch(dollar(ROWS_SQL), sid))
            roles = dict(await conn.fetch(dollar(ROLES_SQL), sid))
            # The notes' ids are drawn from their sequence first (the journal names
            # them; a moderator may take ids, not set the sequence). The lock keeps them
            # consecutive: no other note is written meanwhile (a history is written once).
            await conn.execute("LOCK TABLE notes IN EXCLUSIVE MODE")
            wanted = len(plan_history(work, once, rows, roles, 0, self.codebook_version).notes)
            ids = [
                int(r[0])
                for r in await conn.fetch(
                    "SELECT nextval(pg_get_serial_sequence('notes', 'id')) "
                    "FROM generate_series(1, $1)",
                    wanted,
                )
            ]
            base = ids[0] - 1 if ids else 0
            plan = plan_history(work, once, rows, roles, base, self.codebook_version)
            if [n[0] for n in plan.notes] != ids:
                raise StoreError(stored("conn.store.note_ids", where=self.where))
            await _insert_rows(
                conn,
                JOURNAL_INTO,
                ("bigint", "bigint", "text", "text", "text", "text", "text"),
                plan.journal,
            )
            tag_types = ("bigint", "text", "text", "text", "bigint", "text", "bigint")
            await _insert_rows(conn, TAGS_INTO, tag_types, plan.tags, " ON CONFLICT DO NOTHING")
            if plan.roles:
                await conn.execute(
                    "DELETE FROM tags WHERE kind = 'role' AND response_id = ANY($1::bigint[])",
                    [r[0] for r in plan.roles],
                )
            await _insert_rows(conn, TAGS_INTO, tag_types, plan.roles, " ON CONFLICT DO NOTHING")
            await _insert_rows(
                conn, NOTES_INTO, ("bigint", "bigint", "text", "text", "bigint"), plan.notes
            )
            if plan.decisions:
                await conn.execute(
                    "UPDATE responses r SET remote_status = d.status, triage = 'handled', "
                    "version = r.version + 1 "
                    "FROM unnest($1::text[], $2::bigint[]) AS d (status, id) WHERE r.id = d.id",
                    [d[0] for d in plan.decisions],
                    [d[1] for d in plan.decisions],
                )
            await _insert_rows(conn, CLAIMS_INTO, ("bigint", "text", "bigint"), plan.claims)
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2)", key, str(plan.touched)
            )
            return plan.touched

        return await self._write(fn)


async def _insert_rows(
    conn: asyncpg.Connection,
    table: str,
    types: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    tail: str = "",
) -> None:
    """``INSERT INTO table SELECT * FROM unnest(one array per column)``: one statement."""
    if not rows:
        return
    arrays = ", ".join(f"${i}::{t}[]" for i, t in enumerate(types, 1))
    await conn.execute(
        f"INSERT INTO {table} SELECT * FROM unnest({arrays}){tail}",
        *[list(col) for col in zip(*rows, strict=True)],
    )


def pg_text(text: str) -> str:
    """``text`` as PostgreSQL can store it: UTF-8 and without NUL (see ``storable``)."""
    return storable(text, nul=True)[0]
