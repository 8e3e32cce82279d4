"""SqliteStore: the memory in one SQLite file, through aiosqlite.

Design notes (why, not what):
- WAL + ``synchronous=NORMAL``: a commit per page is cheap and readers (the TUI) never
  block the writer (the sync engine), also across processes.
- Every write is one transaction run as a single function on aiosqlite's thread
  (:meth:`SqliteStore._write`), so a page, a moderation decision or an undo is all or
  nothing and costs one thread hop instead of one per statement.
- The FTS5 index is contentless and written here, in the same transaction as the rows.
  Contentless means an update must first delete the old terms with the old values, which
  we have in the row itself.
- New response ids are assigned here (``max(id)+1``) under ``BEGIN IMMEDIATE``, so rows and
  index entries go in with two ``executemany`` calls per page.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import aiosqlite

from reactieveld.i18n import stored
from reactieveld.model import Capability, Page, RemoteStatus, Response, utcnow
from reactieveld.store import claims as _claims
from reactieveld.store import fts as _fts
from reactieveld.store import planner as _planner
from reactieveld.store import schema as _schema
from reactieveld.store.authors import (
    BY_AUTHOR,
    author_key_for,
    author_match,
    author_secret_read_only,
    meta_value,
    name_token,
    read_key_file,
    setup_author_secret,
)
from reactieveld.store.base import (
    LIVE_POLL_SECONDS,
    PILE_LIMIT,
    ChangeSet,
    Claim,
    Direction,
    Keyset,
    QueueFilter,
    QueueRow,
    SearchHit,
    Store,
    StoreError,
)
from reactieveld.store.codings import (
    BLIND_SQL,
    RESPONSE_CODINGS_SQL,
    as_coded,
    blinded,
    coding_of,
    codings_sql,
    sampled_ids,
    viewed,
)
from reactieveld.store.errors import damaged_error, unusable_error
from reactieveld.store.files import (
    held_here,
    hold,
    key_file_path,
    let_go,
    prepare_path,
    read_only_uri,
    tighten_modes,
)
from reactieveld.store.fts import fts_query
from reactieveld.store.live import Ledger, LiveCursor
from reactieveld.store.live import poll as _live_poll
from reactieveld.store.rows import (
    COUNTS_SQL,
    NOTES_SQL,
    RESPONSE_COLS,
    RESPONSE_FROM,
    RESPONSE_JOINS,
    STATE_COLS,
    TAGS_SQL,
    THREAD_SQL,
    counts_from,
    journal_entry_from_row,
    journal_sql,
    note_from_row,
    placeholders,
    queue_rows,
    source_state_from_row,
    tag_from_row,
    thread_from_row,
    to_epoch,
)
from reactieveld.store.screening import (
    FLAGS_OF,
    OPEN_FLAGS_OF,
    TALLY_SQL,
    TEXTS_SQL,
    flag_of,
    period,
    screened,
    tallies_of,
)
from reactieveld.store.sources import (
    BEGIN_ROUND_SQL,
    EXTERNAL_STATUSES_SQL,
    SET_CURSOR_SQL,
    SOURCE_NAMES_SQL,
    record_sync_sql,
)

if TYPE_CHECKING:
    from reactieveld.model_values import (
        Action,
        DecisionReason,
        JournalEntry,
        Note,
        OutboxItem,
        Source,
        Tag,
        Thread,
    )
    from reactieveld.rules import RuleSet
    from reactieveld.store import actions as _actions
    from reactieveld.store import ingest as _ingest
    from reactieveld.store import writeback as _writeback

    # The read side's value types: imported where they are made (store/values.py says why).
    from reactieveld.store.values import (
        ActionOutcome,
        ChangedSince,
        Coding,
        Counts,
        DecisionRecord,
        FigureCounts,
        FigureQuery,
        JournalRef,
        PastWork,
        RecordContext,
        ResendPlan,
        RuleFlag,
        RuleTally,
        SinkDelivery,
        SinkDue,
        SinkPosition,
        SinkQueued,
        SourceState,
        UpsertResult,
    )

T = TypeVar("T")


class _Later:
    """A module of this package imported at its first use, not with this one: moderator
    actions, the sync's ingest and the outbox (with their value types) are not needed
    before the app's first frame, and cost ~3 ms to import (bench/tui_bench.py)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._name)
        return getattr(module, attr)


if not TYPE_CHECKING:
    _actions = _Later("reactieveld.store.actions")
    _ingest = _Later("reactieveld.store.ingest")
    _writeback = _Later("reactieveld.store.writeback")


#: SQLite's page cache per connection (KiB) unless ``SqliteStore.open`` is told otherwise.
DEFAULT_CACHE_KIB = 65_536
#: Enough for an interactive connection (windows of rows, look-ups by id).
READER_CACHE_KIB = 8_192


#: The message of an enum made from a stored value that is none of its members.
_STORED_ENUM = re.compile(
    r"is not a valid (RemoteStatus|TriageState|TagKind|OutboxState|Capability|ActionKind)$"
)


def _open_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """Any SQLite error while opening: unusable (said as such), or a plain one."""
    return unusable_error(path, exc) or StoreError(
        f"cannot open the memory store {path}: {exc}; choose another --db"
    )


def _check_file_ours(path: Path) -> None:
    """:func:`~.schema.check_ours` on the file as it lies on disk, before a connection
    that may write opens it (or makes -wal and -shm files beside it): immutable and
    read-only. The open connection checks again (a file being made now). Not on a file
    this process has open already (``files.held_here``): it was checked then, and this
    connection's closing would take that one's locks."""
    if not path.exists() or path.stat().st_size == 0 or held_here(path):
        return
    try:
        db = sqlite3.connect(read_only_uri(path, immutable=True), uri=True)
        try:
            _schema.check_ours(db, path)
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from exc


class SqliteStore:
    """The memory store on one SQLite file. Open with ``await SqliteStore.open(path)``."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, codebook_version: str) -> None:
        self._conn = conn
        self.path = path
        #: Opened read-only (asked for, or the file or its folder cannot be written).
        self.read_only = False
        self.codebook_version = codebook_version
        #: ``[coding] double_share``: the share of responses coded twice (issue 14).
        self.double_share = 0.0
        #: Whose rows these are (the app's moderator): a response of the sample another
        #: moderator coded first shows this coder's own coding until they finish it
        #: (store/codings.py ``blinded``). Empty: the tags, as ever (the commands).
        self.coder = ""
        self._author_secret: bytes | None = b""
        self._given_secret: str | None = None
        self._source_ids: dict[str, int] = {}
        self._cache_kib = DEFAULT_CACHE_KIB
        #: This connection's note in ``files._HELD`` (the file is open in this process).
        self._held: tuple[int, int] | None = None
        #: The clock of claims (taking, renewing, expiring, showing them): tests move it
        #: instead of sleeping through a lease.
        self.clock: Callable[[], datetime] = utcnow
        #: Where :meth:`changes` stands (store/live.py); its ``mine`` is only touched on
        #: the connection's thread.
        self._live = LiveCursor()
        #: What this store commits, noted for the stores that hear it not (live.py).
        self._ledger = Ledger()
        #: The holder of this store's outbox leases (:meth:`_holder`), made at first use.
        self._lease_holder = ""

    # -- opening ----------------------------------------------------------------------
    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        codebook_version: str = "default-1",
        cache_kib: int = DEFAULT_CACHE_KIB,
        author_secret: str | None = None,
        read_only: bool = False,
        double_share: float = 0.0,
    ) -> SqliteStore:
        """Open (creating if needed) the store at ``path`` and migrate it to this version.

        ``cache_kib`` caps SQLite's page cache of this connection: a bulk writer (sync)
        gains from the default 64 MiB, an interactive connection that reads windows of
        rows needs little (its pages stay in the OS cache anyway) and keeps the
        program's memory small.

        ``author_secret`` is the key of the author keys, from the environment
        (``[store] author_secret_env``). Without it the store keeps a random key of its
        own in a key file beside the database (:func:`~.authors.key_file_path`, mode 0600), never
        in the database. With it, only a check value is kept, so that the file alone
        cannot be used to test guessed addresses, and a different secret is refused
        (it would split every author in two). A kept key is removed when the environment
        gives that same key (see ``reactieveld author-secret``).

        ``read_only``: open without writing anything (reading, search, export). A file
        or folder this process cannot write opens read-only by itself; :attr:`read_only`
        tells which it became. Every write then raises :class:`StoreError`.

        ``double_share`` (``[coding] double_share``): the share of responses whose
        codebook actions follow the double-coding rules (store/codings.py).

        Any condition that makes the file unusable (not a database, damaged, a newer
        schema, a folder, a full disk, no permission) raises :class:`StoreError` with
        one line: what is wrong, which file, what to do.
        """
        path = Path(path)
        memory = str(path) == ":memory:"
        if not memory:
            read_only = prepare_path(path, read_only)
            _check_file_ours(path)
        attempts = (
            [read_only_uri(path, immutable=False)] if read_only and not memory else [str(path)]
        )
        if read_only and not memory:
            # A WAL file in a folder we cannot write: SQLite cannot make the -shm file, but
            # the file cannot change under us either (a read-only mount, a flagged file).
            attempts.append(read_only_uri(path, immutable=True))
        for i, target in enumerate(attempts):
            try:
                conn = await aiosqlite.connect(
                    target, isolation_level=None, timeout=30.0, uri=target.startswith("file:")
                )
            except sqlite3.Error as exc:
                raise _open_error(path, exc) from exc
            store = cls(conn, path, codebook_version)
            store._cache_kib = cache_kib
            store.double_share = double_share
            store._given_secret = author_secret
            store.read_only = read_only
            try:
                await store._run(store._setup)
            except (sqlite3.Error, StoreError) as exc:
                await conn.close()
                cause = exc.__cause__ if isinstance(exc, StoreError) else exc
                code = (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF
                if code == sqlite3.SQLITE_CANTOPEN and i + 1 < len(attempts):
                    continue  # read-only WAL without its -shm: immutable next
                if isinstance(exc, StoreError):
                    raise
                raise _open_error(path, exc) from exc
            except BaseException:
                await conn.close()
                raise
            if not memory:
                store._held = hold(path)
            return store
        raise AssertionError("unreachable")  # pragma: no cover

    def _setup(self, db: sqlite3.Connection) -> None:
        if self.read_only:
            self._setup_read_only(db)
            return
        memory = str(self.path) == ":memory:"
        if not memory:
            _schema.check_ours(db, self.path)  # before anything is written
        _schema.writer_pragmas(db, self._cache_kib)
        _schema.migrate(db)
        _schema.mark_ours(db)
        if not memory:
            tighten_modes(self.path)
        self._author_secret = setup_author_secret(db, self.path, self._given_secret)

    def _setup_read_only(self, db: sqlite3.Connection) -> None:
        """Set up a read-only connection: nothing written, nothing migrated."""
        _schema.reader_pragmas(db, self._cache_kib)
        _schema.check_ours(db, self.path)
        current = db.execute("PRAGMA user_version").fetchone()[0]
        if current != _schema.SCHEMA_VERSION:
            _schema.check_version(db)  # a newer one is refused the same way as when writable
            raise StoreError(
                f"{self.path} is read-only and has an older schema (version {current}, this "
                f"program needs {_schema.SCHEMA_VERSION}); open it once where it can be "
                "written to upgrade it, or choose another --db"
            )
        _schema.register_functions(db)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # "not a database" here
        self._author_secret = author_secret_read_only(db, self.path, self._given_secret)

    async def kept_author_secret(self) -> str | None:
        """The author secret this store keeps in its key file (None when it is in the
        environment), for ``reactieveld author-secret``."""
        on_disk = read_key_file(self.path) if str(self.path) != ":memory:" else None
        if on_disk is not None:
            return on_disk
        return await self._run(lambda db: meta_value(db, "author_secret"))

    async def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        await self._conn.close()
        let_go(self._held)
        self._held = None

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        # One hop to aiosqlite's thread for a whole function: many statements, one await.
        conn = self._conn
        try:
            result: T = await conn._execute(lambda: fn(conn._conn))  # type: ignore[no-untyped-call]
            return result
        except sqlite3.Error as exc:
            # A store that turns out unusable only now (damaged mid-file, a full disk on a
            # write, made read-only): one StoreError saying what to do, not SQLite's text.
            error = unusable_error(self.path, exc)
            code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
            guarded = code == sqlite3.SQLITE_READONLY and getattr(exc, "reactieveld_guarded", 0)
            if error is None or guarded:
                raise  # the read guard's own refusal (``read``) is the caller's mistake
            raise error from exc
        except (UnicodeDecodeError, ValueError) as exc:
            # Bytes the store never wrote: SQLite's own message about a damaged schema
            # that is not UTF-8, or a stored state that is none of ours ("'n=w' is not a
            # valid TriageState"). Other ValueErrors are a caller's own.
            if isinstance(exc, UnicodeDecodeError) or _STORED_ENUM.search(str(exc)):
                raise damaged_error(self.path, "a stored value was garbled") from exc
            raise

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in one ``BEGIN IMMEDIATE`` transaction; roll back on any error."""

        def tx(db: sqlite3.Connection) -> T:
            if self.read_only:
                raise StoreError(
                    f"{self.path} is open read-only: nothing can be changed (make the file "
                    "and its folder writable, or copy it elsewhere and use --db)"
                )
            db.execute("BEGIN IMMEDIATE")
            try:
                begun = self._ledger.begin(db)
                result = fn(db)
                self._ledger.commit(db, begun)
                from reactieveld.store.values import ActionOutcome

                if self._live.started and isinstance(result, ActionOutcome):
                    # Our own journal rows are not another's change (see store/live.py);
                    # noted here, on the thread, before any poll can run after the commit.
                    self._live.mine.update(result.journal_ids)
            except BaseException:
                # After some errors (a full disk) SQLite has rolled back already.
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return result

        return await self._run(tx)

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(db)`` on the store's connection and thread: many statements, one thread
        hop, the same view of the data as the store's own queries. The read-side methods
        (figures, search, records, sinks) run their SQL through it; outside ``store/`` only
        tests and tools use it (no SQL outside the store: tests/test_sql_in_store.py). ``PRAGMA
        query_only`` holds during the call, so a write in ``fn`` raises instead of slipping
        past the journal."""

        def guarded(db: sqlite3.Connection) -> T:
            db.execute("PRAGMA query_only = ON")
            try:
                return fn(db)
            except sqlite3.Error as exc:
                exc.reactieveld_guarded = True  # type: ignore[attr-defined]  # see _run
                raise
            finally:
                if not self.read_only:  # a read-only store stays query_only
                    db.execute("PRAGMA query_only = OFF")

        return await self._run(guarded)

    async def transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(db)`` in one ``BEGIN IMMEDIATE`` transaction, rolled back on any error:
        for tests and tools (the memory sinks' tables have their own methods now: the
        ``sink_*`` ones). Moderator actions never go here: they have their own methods,
        which write the journal."""
        return await self._write(fn)

    def author_key(self, email: str | None) -> str | None:
        """The keyed hash that stands in for an e-mail address (never stored itself)."""
        return author_key_for(
            self._author_secret,
            email,
            lambda: stored(
                "conn.store.no_secret", path=self.path, key_file=key_file_path(self.path)
            ),
        )

    # -- sources ----------------------------------------------------------------------
    def _source_id(self, db: sqlite3.Connection, name: str) -> int:
        sid = self._source_ids.get(name)
        if sid is None:
            row = db.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise StoreError(f"unknown source {name!r}")
            sid = self._source_ids[name] = row[0]
        return sid

    async def ensure_source(self, source: Source) -> None:
        """Register a source (or update its type and url)."""

        def fn(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO sources (name, type, url) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET type = excluded.type, url = excluded.url",
                (source.name, source.type, source.url),
            )

        await self._write(fn)

    async def source_state(self, name: str) -> SourceState | None:
        """The stored cursor and sync bookkeeping of one source."""
        rows = await self._run(
            lambda db: db.execute(
                f"SELECT {STATE_COLS} FROM sources WHERE name = ?", (name,)
            ).fetchall()
        )
        return source_state_from_row(rows[0]) if rows else None

    async def source_states(self) -> list[SourceState]:
        """All sources with their sync bookkeeping, by name."""
        rows = await self._run(
            lambda db: db.execute(f"SELECT {STATE_COLS} FROM sources ORDER BY name").fetchall()
        )
        return [source_state_from_row(r) for r in rows]

    async def begin_round(self, name: str) -> tuple[int | None, SourceState | None]:
        """Begin a sync round of ``name``: its number and the source's state (its cursor);
        (None, None) when the source is not registered."""
        rows = await self._write(lambda db: db.execute(BEGIN_ROUND_SQL, (name,)).fetchall())
        return (rows[0][0], source_state_from_row(rows[0][1:])) if rows else (None, None)

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
        None) or the error to show; ``by``: the syncing process's name (``anna sync``),
        shown as "synced by". False: the source holds a newer round's end, which stands."""
        shown = None if error is None else _ingest.storable(error)[0]
        sql, params = record_sync_sql(name, shown, next_try, to_epoch(utcnow()), by, round_no)
        return bool(await self._write(lambda db: db.execute(sql, params).rowcount))

    async def set_cursor(self, name: str, cursor: str | None) -> None:
        """Set (or clear, for a full re-read) a source's cursor."""
        await self._write(lambda db: db.execute(SET_CURSOR_SQL, (cursor, name)))

    @contextlib.asynccontextmanager
    async def source_lock(self, name: str) -> AsyncIterator[bool]:
        """One sync per source: on SQLite always granted (one person's memory; two
        programs writing one file take turns per transaction). PostgreSQL: store/pg/locks.py."""
        yield True

    async def syncing_elsewhere(self, names: Sequence[str]) -> set[str]:
        """No source is locked by another process on SQLite (see :meth:`source_lock`)."""
        return set()

    # -- ingest -----------------------------------------------------------------------
    async def upsert_page(
        self,
        source: str,
        page: Page,
        *,
        rules: RuleSet | None = None,
        hold_write_back: bool = True,
    ) -> UpsertResult:
        """Store one page and its cursor in one transaction; idempotent.

        New responses are inserted and indexed; a response whose content or remote status
        changed is updated in place (its tags, notes and triage state stay); the same page
        twice changes nothing. A pending moderation decision in the outbox keeps the
        local status until it is written back.

        ``rules`` (issue 16): applied to every response the page adds or changes, in the
        same transaction (store/actions.py ``apply_rules``): a match is flagged, a hold
        rule's match held (written back when ``hold_write_back``).
        """
        now = to_epoch(utcnow())
        # Text UTF-8 cannot hold is stored repaired and counted, never raised on: one odd
        # comment must not stop a source (see ``storable``).
        page, repaired = _ingest.storable_page(page)
        prepared = []
        for r in page.responses:
            key = r.author_key or self.author_key(r.author_email)
            prepared.append((r, key, _ingest.content_hash(r, key)))

        def fn(db: sqlite3.Connection) -> UpsertResult:
            anew = 0
            if repaired:
                hashes = {r.external_id: h for r, _, h in prepared}
                anew = _ingest.repaired_anew(
                    db, self._source_id(db, source), page, repaired, hashes
                )
            result = _ingest.upsert(
                db, self._source_id(db, source), page, prepared, now, self.codebook_version
            )
            if rules:
                result = _actions.apply_rules(
                    db, result, rules, write_back=hold_write_back, now=now or 0
                )
            if anew:
                db.execute(
                    "INSERT INTO source_repairs (source_id, n) VALUES (?, ?) "
                    "ON CONFLICT(source_id) DO UPDATE SET n = n + excluded.n",
                    (self._source_id(db, source), anew),
                )
            return result

        return await self._write(fn)

    # -- reading ----------------------------------------------------------------------
    def _rows(
        self, db: sqlite3.Connection, sql: str, params: Sequence[Any], *, blind: bool = True
    ) -> list[QueueRow]:
        raw = db.execute(sql, params).fetchall()
        return self._decorate(db, raw, blind=blind)

    def _decorate(
        self, db: sqlite3.Connection, raw: Sequence[Sequence[Any]], *, blind: bool = True
    ) -> list[QueueRow]:
        """Queue rows with their tags, outbox state and flags; ``blind``: as :attr:`coder`
        may see them (not in Disagreements, which is about every coding)."""
        if not raw:
            return []
        ids = [r[0] for r in raw]
        tag_rows = db.execute(
            f"SELECT response_id, kind, code FROM tags WHERE response_id IN {placeholders(ids)}",
            ids,
        ).fetchall()
        outbox = dict(
            db.execute(
                "SELECT response_id, state FROM outbox WHERE id IN (SELECT max(id) FROM outbox "
                f"WHERE response_id IN {placeholders(ids)} GROUP BY response_id)",
                ids,
            ).fetchall()
        )
        flags = db.execute(OPEN_FLAGS_OF.format(ids=f"IN {placeholders(ids)}"), ids).fetchall()
        rows = queue_rows(raw, tag_rows, outbox, to_epoch(self.clock()), flags)
        sampled = sampled_ids(rows, self.double_share) if self.coder and blind else []
        if not sampled:
            return rows
        found = db.execute(BLIND_SQL.format(ids=placeholders(sampled)), (self.coder, *sampled))
        return blinded(rows, found.fetchall(), self.coder)

    async def queue(
        self,
        flt: QueueFilter,
        *,
        after: Keyset | None = None,
        limit: int = 50,
        direction: Direction = "older",
    ) -> list[QueueRow]:
        """A window of the queue, newest first, continuing after ``after`` (keyset).

        ``direction="older"`` returns the rows below ``after`` (newest first);
        ``direction="newer"`` returns the rows above it, still newest first.
        """

        flt = viewed(flt, self.coder, self.double_share)

        def fn(db: sqlite3.Connection) -> list[QueueRow]:
            drive = _planner.source_is_smaller(db, flt)
            sql, params = _planner.queue_sql(
                flt, after=after, limit=limit, direction=direction, source_drives=drive
            )
            rows = self._rows(db, sql, params, blind=not flt.disagreements)
            if flt.second_coding is not None:  # blind: the coder's own coding, not the tags
                ids = [r.response.id for r in rows if r.response.id is not None]
                rows = as_coded(rows, _actions.my_codings(db, ids, flt.second_coding))
            return rows if direction == "older" else rows[::-1]

        return await self._run(fn)

    async def count(self, flt: QueueFilter) -> int:
        """How many responses a filter matches.

        A filter on triage, status and source only (every queue tab) is answered from
        the kept counts (migration 0006) instead of counting its rows.
        """
        flt = viewed(flt, self.coder, self.double_share)
        sql, params = _planner.kept_count(flt) or _planner.counting(flt)
        return await self._run(lambda db: db.execute(sql, params).fetchone()[0])

    async def count_by_state(self, flt: QueueFilter) -> dict[tuple[str, str], int]:
        """How many responses a filter matches, per (triage, remote status): every queue
        tab under the filter from one pass over its rows instead of one pass per tab."""
        flt = replace(flt, triage=None, statuses=())  # the tabs are the grouping
        flt = viewed(flt, self.coder, self.double_share)
        sql, params = _planner.kept_count(flt, grouped=True) or _planner.counting(flt, grouped=True)
        rows = await self._run(lambda db: db.execute(sql, params).fetchall())
        return {(triage, status): n for triage, status, n in rows if n}

    async def position(self, flt: QueueFilter, key: Keyset) -> int:
        """How many rows of a queue lie above ``key`` (its index, newest first)."""
        sql, params = _planner.counting(viewed(flt, self.coder, self.double_share), above=key)
        return await self._run(lambda db: db.execute(sql, params).fetchone()[0])

    async def counts(self) -> Counts:
        """Counts per triage state, status, source, question and role (for tabs, dashboard).

        Read from the counts the triggers of migration 0006 keep (a few small rows), not
        counted over the responses: the same answer at any size.
        """

        def fn(db: sqlite3.Connection) -> Counts:
            return counts_from({k: db.execute(q).fetchall() for k, q in COUNTS_SQL.items()})

        return await self._run(fn)

    async def get(self, response_id: int) -> QueueRow | None:
        """One response with its thread title and tags."""
        sql = f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE r.id = ?"
        rows = await self._run(lambda db: self._rows(db, sql, (response_id,)))
        return rows[0] if rows else None

    async def get_many(self, ids: Sequence[int]) -> list[QueueRow]:
        """Several responses by id, in the order asked."""
        if not ids:
            return []
        sql = f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE r.id IN {placeholders(ids)}"
        rows = await self._run(lambda db: self._rows(db, sql, list(ids)))
        by_id = {r.response.id: r for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def get_by_external(self, source: str, external_id: str) -> QueueRow | None:
        """One response by its platform id."""
        sql = f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE s.name = ? AND r.external_id = ?"
        rows = await self._run(lambda db: self._rows(db, sql, (source, external_id)))
        return rows[0] if rows else None

    async def external_statuses(self, source: str) -> dict[str, RemoteStatus]:
        """Every response of ``source`` as {external id: remote status}, in one query.

        A connector's re-scan compares these with what the platform reports now, to send
        only what changed (``sync.known_statuses`` uses it when a store has it).
        """
        rows = await self._run(lambda db: db.execute(EXTERNAL_STATUSES_SQL, (source,)).fetchall())
        return {ext: RemoteStatus(status) for ext, status in rows}

    async def thread(self, source: str, thread_external_id: str) -> Thread | None:
        """A thread (post, topic, proposal) by its platform id."""
        row = await self._run(
            lambda db: db.execute(THREAD_SQL, (source, thread_external_id)).fetchone()
        )
        return None if row is None else thread_from_row(source, row)

    async def thread_rows(self, source: str, thread_external_id: str) -> list[QueueRow]:
        """All responses of a thread, oldest first (build the tree from parent ids)."""
        sql = (
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} "
            "WHERE s.name = ? AND r.thread_external_id = ? ORDER BY r.created_at, r.id"
        )
        return await self._run(lambda db: self._rows(db, sql, (source, thread_external_id)))

    async def tags(self, response_id: int) -> list[Tag]:
        """The tags of a response, questions first."""
        rows = await self._run(lambda db: db.execute(TAGS_SQL, (response_id,)).fetchall())
        return [tag_from_row(r) for r in rows]

    async def notes(self, response_id: int) -> list[Note]:
        """The notes on a response, oldest first."""
        rows = await self._run(lambda db: db.execute(NOTES_SQL, (response_id,)).fetchall())
        return [note_from_row(r) for r in rows]

    async def journal(
        self, response_id: int | None = None, *, limit: int = 100
    ) -> list[JournalEntry]:
        """Journal entries, newest first; of one response or of all."""
        sql, params = journal_sql(response_id, limit)
        rows = await self._run(lambda db: db.execute(sql, params).fetchall())
        return [journal_entry_from_row(r) for r in rows]

    async def changed_since(self, seen: Mapping[int, int]) -> dict[int, ChangedSince]:
        """Who changed the responses of ``seen`` since (:mod:`reactieveld.store.changes`)."""
        from reactieveld.store.changes import changed_since

        return await changed_since(
            seen, lambda sql, ids: self._run(lambda db: db.execute(sql, ids).fetchall())
        )

    async def search(
        self, query: str, flt: QueueFilter | None = None, *, limit: int = 50
    ) -> list[SearchHit]:
        """Full-text search over body, author and thread title.

        Ranked by bm25 when the query has at most ``RANK_LIMIT`` hits; above that,
        ranking every hit would cost ~1.4 us per hit, so the newest hits are returned
        instead (rank None). Either way a query stays fast.
        """
        match = fts_query(query)
        if match is None:
            return []
        flt = viewed(flt or QueueFilter(), self.coder, self.double_share)
        w = _planner.filter_where(replace(flt, text=None))

        def fn(db: sqlite3.Connection) -> list[SearchHit]:
            # Counting hits up to the limit costs ~0.05 us each; asking fts5vocab for a
            # word's document count reads its whole doclist (80 ms for "de" at 1M rows).
            hits = db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM responses_fts "
                "WHERE responses_fts MATCH ? LIMIT ?)",
                (match, _fts.RANK_LIMIT + 1),
            ).fetchone()[0]
            ranked = hits <= _fts.RANK_LIMIT
            if not ranked and _planner.filter_is_smaller(db, flt, match):
                # A common word in a small part of the memory (one small source, a
                # status): walking the word's hits to find that part's newest read 0.6 s
                # at 125k rows; walking the part and probing the index per row, 3 ms.
                probe = _planner.filter_where(replace(flt, text=None))
                probe.add(
                    "EXISTS (SELECT 1 FROM responses_fts f WHERE f.rowid = r.id "
                    "AND responses_fts MATCH ?)",
                    match,
                )
                sql = (
                    f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM}{probe.sql()} "
                    "ORDER BY r.created_at DESC, r.id DESC LIMIT ?"
                )
                rows = self._rows(db, sql, [*probe.params, limit])
                return [SearchHit(row=row, rank=None) for row in rows]
            extra = (" AND " + " AND ".join(w.clauses)) if w.clauses else ""
            order = "f.rank" if ranked else "f.rowid DESC"
            sql = (
                f"SELECT {RESPONSE_COLS}, f.rank FROM responses_fts f "
                f"CROSS JOIN responses r ON r.id = f.rowid {RESPONSE_JOINS} "
                f"WHERE responses_fts MATCH ?{extra} ORDER BY {order} LIMIT ?"
            )
            raw = db.execute(sql, [match, *w.params, limit]).fetchall()
            rows = self._decorate(db, [r[:-1] for r in raw])
            return [
                SearchHit(row=row, rank=raw_row[-1] if ranked else None)
                for row, raw_row in zip(rows, raw, strict=True)
            ]

        return await self._run(fn)

    def _author_query(self, db: sqlite3.Connection, r: Response) -> str:
        """The author index query for a response's author: its key, else its name within
        its source (both are tokens of ``responses_by_author``, migration 0007)."""
        if r.author_key:
            return author_match(r.author_key)
        return f'"{name_token(self._source_id(db, r.source), r.author_name)}"'

    async def author_count(self, row: QueueRow) -> int:
        """How many other responses the same author wrote (by author key, else by name)."""
        r = row.response

        def fn(db: sqlite3.Connection) -> int:
            sql = f"SELECT count(*) FROM ({BY_AUTHOR}) WHERE rowid != ?"
            count: int = db.execute(sql, (self._author_query(db, r), r.id)).fetchone()[0]
            return count

        return await self._run(fn)

    async def rule_flags(self, response_id: int) -> list[RuleFlag]:
        """The moderation rules' flags on a response, oldest first (issue 16)."""
        rows = await self._run(lambda db: db.execute(FLAGS_OF, (response_id,)).fetchall())
        return [flag_of(r) for r in rows]

    async def rule_tallies(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[RuleTally]:
        """Per rule, its flags made in [since, until): caught, misfired, upheld, open."""
        rows = await self._run(lambda db: db.execute(TALLY_SQL, period(since, until)).fetchall())
        return tallies_of(rows)

    async def texts(self, *, after: int = 0, limit: int = 500) -> list[tuple[int, str, str | None]]:
        """(id, body text, the thread's title where the response's author wrote it, else
        None) of stored responses by id after ``after`` (``rules test``)."""
        rows = await self._run(lambda db: db.execute(TEXTS_SQL, (after, limit)).fetchall())
        return [screened(row) for row in rows]

    async def author_history(self, row: QueueRow, *, limit: int = 200) -> list[QueueRow]:
        """Other responses by the same author (author key, else name within the source)."""
        r = row.response
        # From the author index outwards (CROSS JOIN keeps that order): an author's rows
        # are few next to the queue, sorting them is cheaper than scanning it for them.
        sql = (
            f"SELECT {RESPONSE_COLS} FROM responses_by_author a "
            f"CROSS JOIN responses r ON r.id = a.rowid {RESPONSE_JOINS} "
            "WHERE responses_by_author MATCH ? AND r.id != ? "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT ?"
        )
        return await self._run(
            lambda db: self._rows(db, sql, [self._author_query(db, r), r.id, limit])
        )

    async def author_pending(self, row: QueueRow, *, limit: int = PILE_LIMIT) -> list[QueueRow]:
        """Every response by the author of ``row`` not handled yet, ``row`` included
        (author key across sources, else name within the source): the author's pile
        that one decision settles (issue 16). Newest first."""
        r = row.response
        sql = (
            f"SELECT {RESPONSE_COLS} FROM responses_by_author a "
            f"CROSS JOIN responses r ON r.id = a.rowid {RESPONSE_JOINS} "
            "WHERE responses_by_author MATCH ? AND r.triage = 'new' "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT ?"
        )
        return await self._run(lambda db: self._rows(db, sql, [self._author_query(db, r), limit]))

    # -- moderator actions ------------------------------------------------------------
    async def enqueue(self, action: Action, *, response_id: int | None = None) -> int:
        """Queue a write-back that is not a moderator decision (e.g. a sink delivery)."""
        now = _actions.now_epoch()
        return await self._write(
            lambda db: _actions.enqueue(
                db, action, response_id=response_id, journal_id=None, now=now
            )
        )

    async def moderate(
        self,
        ids: Sequence[int],
        status: RemoteStatus,
        *,
        actor: str,
        write_back: bool = True,
        seen: Mapping[int, int] | None = None,
        reason: DecisionReason | None = None,
    ) -> ActionOutcome:
        """Set the remote status of responses (and mark them handled), in one transaction.

        Each response gets a journal entry and, when ``write_back``, an outbox row that
        carries the status the moderator saw, so a later remote change is a conflict
        rather than being overwritten.

        ``seen`` (every action has it): response id -> the version the moderator saw; when
        any differs now, nothing is done and :attr:`ActionOutcome.conflicts` lists them. A
        decision (this, :meth:`mark_handled`, :meth:`reply`) ends ``actor``'s claims on
        its rows in the same transaction.

        ``reason`` (issue 16): why, stored with every journal entry of the decision and
        carried in its write-backs' meta for a platform with a field for it. A response
        whose write-back of this decision failed or conflicted is sent again with the
        reason recorded with that decision; ``reason`` only where it had none
        (:func:`~reactieveld.store.actions.plan_resend`, :meth:`resends`).
        """
        capability = _actions.capability_for(status)
        now, batch = _actions.stamp()
        return await self._write(
            lambda db: _claims.guarded(
                db,
                seen,
                lambda: _actions.moderate(
                    db,
                    ids,
                    status,
                    capability,
                    actor=actor,
                    write_back=write_back,
                    now=now,
                    batch=batch,
                    reason=reason,
                ),
                actor=actor,
                decided=ids,
            )
        )

    async def resends(self, ids: Sequence[int], what: RemoteStatus | Capability) -> ResendPlan:
        """What a decision on ``what`` (a status; ``Capability.REPLY``: a reply) pressed
        again on ``ids`` does (:func:`~reactieveld.store.actions.plan_resends`): the
        responses it sends again (their newest write-back of it failed or conflicted),
        each with the reason recorded with the decision it retries (None: it had none),
        which the resend keeps; and those it does not, whose write-back can never succeed,
        each with why."""
        return await self._run(lambda db: _actions.resends(db, ids, what))

    async def mark_handled(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """Mark responses handled without changing their status on the platform."""
        now, batch = _actions.stamp()
        return await self._write(
            lambda db: _claims.guarded(
                db,
                seen,
                lambda: _actions.mark_handled(db, ids, actor=actor, now=now, batch=batch),
                actor=actor,
                decided=ids,
            )
        )

    async def toggle_question(
        self,
        ids: Sequence[int],
        code: str,
        *,
        actor: str,
        seen: Mapping[int, int] | None = None,
        settle: bool = False,
    ) -> ActionOutcome:
        """Toggle a planning-question tag. On several responses: if any lacks it, all get
        it; if all have it, it is removed from all (as in mutt's tagged-message commands).
        ``settle``: the tags, never a coding (the Disagreements queue)."""
        return await self._tag(
            _actions.toggle_question, ids, code, actor=actor, seen=seen, settle=settle
        )

    async def set_role(
        self,
        ids: Sequence[int],
        code: str | None,
        *,
        actor: str,
        seen: Mapping[int, int] | None = None,
        settle: bool = False,
    ) -> ActionOutcome:
        """Set the speaker's role (one per response; None clears it)."""
        return await self._tag(_actions.set_roles, ids, code, actor=actor, seen=seen, settle=settle)

    async def resolve_disagreements(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """The differences between the coders of ``ids`` resolved (see the protocol)."""

        def resolve(db: sqlite3.Connection, ids: Sequence[int], _code: None, **kw: Any) -> Any:
            return _actions.resolve_disagreements(db, ids, **kw)

        return await self._tag(resolve, ids, None, actor=actor, seen=seen)

    async def finish_coding(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """``actor``'s own coding of responses another moderator coded first is done
        (issue 14): it counts in the agreement and leaves their Second coding queue; where
        they gave nothing it is an empty coding ("no question applies"). Journalled as
        kind ``code``; undo takes it back. Responses they coded first are left alone."""

        def finish(db: sqlite3.Connection, ids: Sequence[int], _code: None, **kw: Any) -> Any:
            return _actions.finish_coding(db, ids, **kw)

        return await self._tag(finish, ids, None, actor=actor, seen=seen)

    async def _tag(
        self,
        apply: Callable[..., ActionOutcome],
        ids: Sequence[int],
        code: str | None,
        *,
        actor: str,
        seen: Mapping[int, int] | None,
        settle: bool = False,
    ) -> ActionOutcome:
        """A codebook action (a question toggled, a role set) as one journalled batch under
        this store's codebook version, in one transaction. On a response in the
        double-coding sample that another moderator coded first, it changes ``actor``'s
        own coding instead of the tags (store/codings.py); ``settle``: never a coding."""
        now, batch = _actions.stamp()
        return await self._write(
            lambda db: _claims.guarded(
                db,
                seen,
                lambda: apply(
                    db,
                    ids,
                    code,
                    actor=actor,
                    now=now,
                    batch=batch,
                    codebook_version=self.codebook_version,
                    double_share=0.0 if settle else self.double_share,
                ),
                actor=actor,
            )
        )

    async def add_note(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """Add an internal note to a response."""
        now = _actions.now_epoch()
        text = _ingest.storable(text)[0]  # e.g. a pasted byte the terminal decoded to a surrogate
        return await self._write(
            lambda db: _claims.guarded(
                db,
                seen,
                lambda: _actions.add_note(db, response_id, text, actor=actor, now=now),
                actor=actor,
            )
        )

    async def reply(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """Queue a reply to a response on its platform (journal + outbox, one transaction)."""
        now = _actions.now_epoch()
        text = _ingest.storable(text)[0]
        return await self._write(
            lambda db: _claims.guarded(
                db,
                seen,
                lambda: _actions.reply(db, response_id, text, actor=actor, now=now),
                actor=actor,
                decided=[response_id],
            )
        )

    async def undo_last(self, *, actor: str) -> ActionOutcome:
        """Undo ``actor``'s own last batch of actions that is not undone yet, in one
        transaction; nothing (an empty outcome) when there is none.

        Only the moderator's own work: the newest batch journalled under ``actor`` that is
        not an undo and not written history (:meth:`record_history`, e.g. the demo's
        fictional moderators). Another moderator's decision is theirs to take back, and
        ``z`` in a fresh demo must not reverse a year-old decision on the platform.

        Local state goes back to the journal's "before". A write-back still pending is
        cancelled; one already applied on the platform gets the reverse action queued
        (with the status we set as the one we expect to find there).

        When another moderator changed one of those responses since, nothing is undone
        (their work would be overwritten): :attr:`ActionOutcome.conflicts` lists them.
        """
        now = _actions.now_epoch()
        return await self._write(
            lambda db: _actions.undo_last(
                db, actor=actor, now=now, codebook_version=self.codebook_version
            )
        )

    # -- claims -----------------------------------------------------------------------
    async def claim(self, response_id: int, *, actor: str, minutes: float) -> Claim | None:
        """Take or renew ``actor``'s lease on a response for ``minutes`` (by :attr:`clock`);
        the other moderator's claim (nothing changed) when someone else holds an
        unexpired one. An expired claim is anyone's to take."""
        now = to_epoch(self.clock())
        until = now + max(1, round(minutes * 60))
        self._live.claimers.add(actor)  # its claims are not another's change (live.py)
        return await self._write(
            lambda db: _claims.take(db, response_id, actor=actor, now=now, until=until)
        )

    async def release(self, response_id: int | None, *, actor: str) -> None:
        """Drop ``actor``'s claim on a response; None: all of ``actor``'s (on quitting)."""
        ids = None if response_id is None else [response_id]
        self._live.claimers.add(actor)
        await self._write(lambda db: _claims.release(db, ids, actor=actor))

    # -- outbox -----------------------------------------------------------------------
    async def outbox_due(self, *, limit: int = 20, now: datetime | None = None) -> list[OutboxItem]:
        """Pending write-backs whose next attempt is due, oldest first: those no other
        worker holds, leased to this store (it sees them again until their outcome is
        recorded; another store on the file, in this process or another, does not until
        the lease runs out or the process that holds it has ended on this machine). A
        read-only store leases, and so returns, nothing."""
        if self.read_only:
            return []
        t = to_epoch(now or utcnow())
        # Leases run by the clock, whatever moment ``now`` asks about (a test's "later").
        clock = to_epoch(utcnow())
        me = self._holder()
        holders = await self._run(lambda db: _writeback.due_holders(db, t, clock))
        # A process of this machine that is gone (killed) holds its rows no longer.
        gone = [h for h in holders if h is not None and h != me and _writeback.holder_gone(h)]
        if None not in holders and me not in holders and not gone:
            return []  # nothing due, or all of it another live process's

        def take(db: sqlite3.Connection) -> list[OutboxItem]:
            if gone:
                _writeback.end_leases(db, gone)
            return _writeback.outbox_due(db, t, limit, me, clock)

        return await self._write_unless_busy(take, [])

    async def _write_unless_busy(self, fn: Callable[[sqlite3.Connection], T], busy: T) -> T:
        """:meth:`_write` for the outbox worker's own bookkeeping (taking the due rows,
        renewing a lease, a reply's mark): ``busy`` when another program writes for
        longer than the busy timeout (a sync's long round, a copy). Not an error to say:
        nothing is taken or sent now, the rows wait (still this store's) for the next
        poll, as they did while the poll was a read."""
        try:
            return await self._write(fn)
        except sqlite3.OperationalError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            return busy

    def _holder(self) -> str:
        """Who holds the outbox rows this store's ``outbox_due`` leased: this store (one
        per app window or sync process; another process on the file is another)."""
        if not self._lease_holder:
            self._lease_holder = _writeback.local_holder()
        return self._lease_holder

    async def outbox_items(
        self, *, states: Sequence[str] = (), limit: int = 100, response_id: int | None = None
    ) -> list[OutboxItem]:
        """Outbox rows, newest first, optionally of some states or of one response."""
        return await self._run(lambda db: _writeback.outbox_items(db, states, limit, response_id))

    async def outbox_done(
        self,
        item_id: int,
        *,
        remote_status: RemoteStatus | None = None,
        external_id: str | None = None,
        held: bool = False,
    ) -> bool:
        """Record that a write-back was applied (with what the platform reported); False,
        nothing changed: its outcome is recorded already, or (``held``: the outbox worker
        that took it records it) this store holds it no longer (``_writeback.HELD``)."""
        at = utcnow()
        me = self._holder() if held else None
        return await self._write(
            lambda db: _writeback.outbox_done(
                db,
                item_id,
                remote_status=remote_status,
                external_id=external_id,
                at=at,
                codebook_version=self.codebook_version,
                holder=me,
            )
        )

    async def outbox_sending(self, item_id: int, *, note: str, at: datetime) -> bool:
        """Mark a write-back as being sent since ``at`` (the note in ``last_error`` for a
        person, ``next_attempt_at``, and the source's newest round begun in
        ``awaits_round``; not an attempt), its lease renewed: if the process stops before
        the outcome is recorded, the mark says the platform may have it (see
        reactieveld.outbox). False, nothing marked: the row is no longer this store's to
        send (another worker took it when the lease ran out, or it was undone), or not
        now (the file busy past the timeout: the next poll)."""
        clock = to_epoch(utcnow())
        me = self._holder()
        return await self._write_unless_busy(
            lambda db: _writeback.outbox_sending(db, item_id, note, at, me, clock), False
        )

    async def outbox_hold(self, item_id: int) -> bool:
        """Renew this store's lease of a write-back it is about to apply (or take it when
        nobody holds it); False, nothing changed: another worker took it meanwhile, or its
        outcome is recorded (it is not applied), or the file is busy past the timeout
        (the next poll)."""
        clock = to_epoch(utcnow())
        me = self._holder()
        return await self._write_unless_busy(
            lambda db: _writeback.outbox_hold(db, item_id, me, clock), False
        )

    async def outbox_retry(
        self,
        item_id: int,
        *,
        error: str,
        next_attempt_at: datetime,
        unsure: bool = False,
        held: bool = False,
    ) -> bool:
        """Record a failed attempt that will be tried again at ``next_attempt_at``;
        ``unsure``: the platform may have taken it all the same (a reply), so it is not
        sent again before a sync round begun after now has ended well (``awaits_round``).
        False, nothing changed: it is not pending, or (``held``) no longer this store's."""
        me = self._holder() if held else None
        return await self._write(
            lambda db: _writeback.outbox_retry(db, item_id, error, next_attempt_at, unsure, me)
        )

    async def outbox_fail(
        self,
        item_id: int,
        *,
        error: str,
        conflict: bool = False,
        remote_status: RemoteStatus | None = None,
        kind: str | None = None,
        held: bool = False,
    ) -> bool:
        """Give up on a write-back: a person must look (``conflict``: the remote changed;
        ``remote_status``: to what, expected by a retry, see :data:`FAIL_SQL`; ``kind``:
        why no resend can succeed by itself, ``model_values.FAILURE_KINDS``). False,
        nothing changed: it is not pending, or (``held``) no longer this store's."""
        state = "conflict" if conflict else "failed"
        seen = remote_status.value if remote_status is not None else None
        me = self._holder() if held else None
        return await self._write(
            lambda db: _writeback.outbox_fail(db, item_id, state, error, seen, kind, me)
        )

    async def outbox_requeue(self, item_id: int) -> None:
        """Try a failed or conflicting write-back again (the moderator decided to)."""
        now = to_epoch(utcnow())
        await self._write(lambda db: _writeback.outbox_requeue(db, item_id, now))

    # -- meta -------------------------------------------------------------------------
    # -- history written with its own times (the demo's year of moderation) --------------
    async def record_history(self, source: str, work: Iterable[PastWork], *, once: str) -> int:
        """Write moderator work that happened earlier, at the times it happened, in one
        transaction: question tags, a role, the decision and a note per response, each
        journalled (in time order) under its actor. Nothing is queued for write-back: on
        the platform it happened already. ``once`` names this history in ``meta``; a second
        call with the same name writes nothing (0). Returns the responses it touched;
        unknown external ids are skipped."""
        key = f"history:{once}"

        def fn(db: sqlite3.Connection) -> int:
            if db.execute("SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone():
                return 0
            from reactieveld.store import history as h

            sid = self._source_id(db, source)
            rows = h.history_rows(db.execute(h.ROWS_SQL, (sid,)))
            roles = dict(db.execute(h.ROLES_SQL, (sid,)).fetchall())
            note_id = db.execute("SELECT coalesce(max(id), 0) FROM notes").fetchone()[0]
            plan = h.plan_history(work, once, rows, roles, note_id, self.codebook_version)
            db.executemany(f"INSERT INTO {h.JOURNAL_INTO} VALUES (?,?,?,?,?,?,?)", plan.journal)
            insert_tag = f"INSERT OR IGNORE INTO {h.TAGS_INTO} VALUES (?,?,?,?,?,?,?)"
            db.executemany(insert_tag, plan.tags)
            db.executemany(
                "DELETE FROM tags WHERE response_id = ? AND kind = 'role'",
                [(r[0],) for r in plan.roles],
            )
            db.executemany(insert_tag, plan.roles)
            db.executemany(f"INSERT INTO {h.NOTES_INTO} VALUES (?,?,?,?,?)", plan.notes)
            db.executemany(
                "UPDATE responses SET remote_status = ?, triage = 'handled' WHERE id = ?",
                plan.decisions,
            )
            db.executemany(f"INSERT INTO {h.CLAIMS_INTO} VALUES (?,?,?)", plan.claims)
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, str(plan.touched)))
            return plan.touched

        return await self._write(fn)

    async def meta(self) -> Mapping[str, Any]:
        """Schema version, file path and the codebook version tags are written with."""
        version = await self._run(lambda db: db.execute("PRAGMA user_version").fetchone()[0])
        return {
            "schema_version": version,
            "path": str(self.path),
            "codebook_version": self.codebook_version,
        }

    # -- live between moderators, and who acts (issue 13) --------------------------------
    async def whoami(self) -> str | None:
        """None: a file knows no users; the app says who acts (``[ui] moderator`` or the
        OS user)."""
        return None

    def read_only_reason(self, language: str = "en") -> str | None:
        """Why nothing can be changed (the file, its folder or disk), one line."""
        if not self.read_only:
            return None
        from reactieveld.i18n import text

        return text("ro.reason", language, path=str(self.path))

    def hear_not(self, other: object) -> None:
        """Leave what ``other`` writes out of :meth:`changes` as well: another store of
        this process on the same file (the app's sync engine's, opened apart so that its
        bulk writes never queue behind a key). Its pages and rounds are this app's own,
        told by the engine's events: heard again, they would refresh twice. What another
        program writes is still heard (store/live.py)."""
        if other is not self and isinstance(other, SqliteStore):
            self._live.hear_not(other._ledger)

    async def poll_changes(self) -> ChangeSet:
        """One look for other connections' commits (store/live.py); the first call only
        takes the position. :meth:`changes` calls it on a timer; tests call it directly."""
        return await self._run(lambda db: _live_poll(db, self._live))

    async def changes(
        self, *, interval: float = LIVE_POLL_SECONDS, ready: asyncio.Event | None = None
    ) -> AsyncIterator[ChangeSet]:
        """The responses other connections change, polled every ``interval`` seconds
        (one ``PRAGMA data_version`` while nobody else writes), each poll's ids as one set.
        Poll on the connection that writes this app's actions: its own commits never move
        its ``data_version``, and its journal rows are told apart by id."""
        await self.poll_changes()
        if ready is not None:
            ready.set()
        while True:
            await asyncio.sleep(interval)
            found = await self.poll_changes()
            if found:
                yield found

    # -- read-side: figures, search, report records (SQL in figures/search/records.py) --
    # Their modules (and store/values.py) are imported by the methods that use them, not
    # with this one: the queue's first frame needs none of them.
    async def source_names(self) -> list[str]:
        """Every source's name, sorted (before the first frame too: no figures module)."""

        def names(db: sqlite3.Connection) -> list[str]:
            return [name for (name,) in db.execute(SOURCE_NAMES_SQL)]

        return await self.read(names)

    async def dialogue_figures(self, query: FigureQuery) -> FigureCounts:
        """The dashboard's raw figures (:mod:`reactieveld.read.figures`), one read."""
        from reactieveld.store import figures as _figures

        figures = await self.read(lambda db: _figures.dialogue_figures(db, query))
        # The query asks for days in the period only: another day can only come from an
        # index that disagrees with its rows (a file damaged mid-way), never from data.
        first, last = query.start.date().isoformat(), query.end.date().isoformat()
        if any(not first <= day < last for _, day in figures.per_day):
            raise damaged_error(self.path, "an index disagrees with its rows")
        return figures

    async def codings(self, flt: QueueFilter) -> list[Coding]:
        """Every coder's coding of the double-coded responses ``flt`` matches (those with
        at least two codings), by response and then in the order they were coded."""
        sql, params = codings_sql(flt)
        return await self.read(lambda db: [coding_of(r) for r in db.execute(sql, params)])

    async def response_codings(self, response_id: int) -> list[Coding]:
        """The counted codings of one response, in the order they were coded."""
        return await self.read(
            lambda db: [coding_of(r) for r in db.execute(RESPONSE_CODINGS_SQL, (response_id,))]
        )

    async def count_by_role(self, flt: QueueFilter) -> dict[str | None, int]:
        """The responses ``flt`` matches (the same as :meth:`count`), per role by the one
        role rule (None: unknown), in one query."""
        from reactieveld.store import figures as _figures

        where = _planner.filter_where(flt)
        return await self.read(lambda db: _figures.count_by_role(db, where.sql(), where.params))

    async def newest(
        self, flt: QueueFilter, *, after: Keyset | None = None, limit: int = 100
    ) -> list[QueueRow]:
        """The responses ``flt`` matches, newest first, continuing after ``after``: ids by
        search's planner (:func:`reactieveld.store.search.newest_sql`), then the rows by
        id; a filter that planner does not handle goes to :meth:`queue`."""
        from reactieveld.store import search as _search

        flt = viewed(flt, self.coder, self.double_share)
        if _search.store_only(flt):
            return await self.queue(flt, after=after, limit=limit)
        ids = await self.read(lambda db: _search.newest_ids(db, flt, after=after, limit=limit))
        return await self.get_many(ids)

    async def count_matches(self, words: str, flt: QueueFilter, *, cap: int) -> int:
        """How many responses match ``words`` and ``flt``, counted up to ``cap``."""
        from reactieveld.store import search as _search

        match = fts_query(words)
        if match is None:
            return 0
        flt = viewed(flt, self.coder, self.double_share)
        if _search.store_only(flt):
            return min(cap, int(await self.count(replace(flt, text=words))))
        return await self.read(lambda db: _search.count_matches(db, match, flt, cap=cap))

    async def record_contexts(self, ids: Sequence[int]) -> dict[int, RecordContext]:
        """Every tag, the notes and the provenance of the responses ``ids``, one hop."""
        from reactieveld.store import records as _records

        return await self.read(lambda db: _records.record_contexts(db, ids))

    async def author_names(self) -> tuple[str, ...]:
        """Every distinct author name the memory holds (a redacted export's known names)."""
        from reactieveld.store import records as _records

        return await self.read(
            lambda db: _records.author_names(db.execute(_records.AUTHOR_NAMES_SQL))
        )

    async def decisions(
        self, flt: QueueFilter, *, after: int = 0, limit: int = 500
    ) -> list[DecisionRecord]:
        """The journal's decisions after journal id ``after``, oldest first, with their
        reasons (the statement-of-reasons log; SQL in decisions.py)."""
        from reactieveld.store import decisions as _decisions

        sql, params = _decisions.decisions_sql(flt, after=after, limit=limit)
        rows = await self.read(lambda db: db.execute(sql, params).fetchall())
        return [_decisions.decision_from_row(r) for r in rows]

    # -- memory sinks (SQL in sinks.py) ------------------------------------------------
    async def sinks_start(self, sinks: Sequence[str]) -> str:
        """A position row at the beginning for each of ``sinks`` without one, before its
        first read; returns the memory's id (part of every delivery id)."""
        from reactieveld.store import sinks as _sinks

        return await self._write(lambda db: _sinks.sinks_start(db, sinks))

    async def sink_entries(self, sink: str, *, limit: int) -> tuple[SinkPosition, list[JournalRef]]:
        """The sink's position and up to ``limit`` journal entries and ``limit`` changes
        after it (journal entries first, each oldest first)."""
        from reactieveld.store import sinks as _sinks

        return await self.read(lambda db: _sinks.sink_entries(db, sink, limit))

    async def sink_advance(
        self,
        sink: str,
        *,
        expected: SinkPosition,
        to: SinkPosition,
        response_ids: Sequence[int],
        plan: Callable[[Mapping[int, str]], Sequence[SinkDelivery]],
        at: datetime,
    ) -> int | None:
        """One transaction: the deliveries ``plan`` makes of the digests the sink holds,
        and the position moved to ``to``; None when it was no longer ``expected``."""
        from reactieveld.store import sinks as _sinks

        return await self._write(
            lambda db: _sinks.sink_advance(
                db, sink, expected=expected, to=to, response_ids=response_ids, plan=plan, at=at
            )
        )

    async def sink_prune(self) -> int:
        """Delete the changes every sink has read (all when no sink has a position), a
        bounded batch per transaction; returns how many."""
        from reactieveld.store import sinks as _sinks

        total = 0
        while True:
            n = await self._write(lambda db: _sinks.sink_prune(db, _sinks.PRUNE_BATCH))
            total += n
            if n < _sinks.PRUNE_BATCH:
                return total

    async def sink_due(self, sink: str, *, limit: int = 50) -> list[SinkDue]:
        """The sink's pending deliveries, oldest first."""
        from reactieveld.store import sinks as _sinks

        return await self.read(lambda db: _sinks.sink_due(db, sink, limit))

    async def sink_mark_done(self, delivery_id: int, *, at: datetime) -> None:
        from reactieveld.store import sinks as _sinks

        await self._write(lambda db: _sinks.sink_mark_done(db, delivery_id, at))

    async def sink_mark_failed(self, delivery_id: int, *, error: str | None) -> None:
        from reactieveld.store import sinks as _sinks

        await self._write(lambda db: _sinks.sink_mark_failed(db, delivery_id, error))

    async def sink_mark_retry(
        self, delivery_id: int, *, error: str | None, next_attempt_at: datetime
    ) -> None:
        from reactieveld.store import sinks as _sinks

        await self._write(
            lambda db: _sinks.sink_mark_retry(db, delivery_id, error, next_attempt_at)
        )

    async def sink_queue(self, sink: str) -> list[SinkQueued]:
        """The sink's whole delivery queue, oldest first."""
        from reactieveld.store import sinks as _sinks

        return await self.read(lambda db: _sinks.sink_queue(db, sink))


if TYPE_CHECKING:

    def _implements(store: SqliteStore) -> Store:
        # mypy checks here that SqliteStore implements the whole Store protocol.
        return store
