"""Memory-store benchmark: SqliteStore against its limits, measured in one run.

    python bench/store_bench.py                 # 1,000,000 responses (a few minutes)
    python bench/store_bench.py --quick         # 50,000, a smoke run
    python bench/store_bench.py --rows 200000 --db /tmp/s.db   # keep the store file
    python bench/store_bench.py --db /tmp/s.db --reuse         # queries only, same file
    python bench/store_bench.py --rows 100000 --backend postgresql   # both, side by side
    python bench/store_bench.py --backend postgresql --url postgresql://me@host/db
    python bench/store_bench.py --backend postgresql --db /tmp/s.db --pg-dir /tmp/pgb
    python bench/store_bench.py --backend postgresql --db /tmp/s.db --pg-dir /tmp/pgb --reuse

``--backend postgresql`` stores the same rows in PostgreSQL too (a throwaway cluster from
tests/helpers/pg.py, or ``--url``: an empty database), prepares the same queues in SQL,
runs ANALYZE, and measures the same queue pages, words and counts; a summary puts
the two side by side (queue page p50/p99 over every filter's pages, single-word search
p99 over every word, ``counts()`` p50/p99, the Reported and Flagged tabs' counts p99).
``--explain`` prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of a few queue pages.
``--pg-dir DIR`` keeps the throwaway cluster in DIR (the
database ``bench``), so that ``--reuse`` measures the queries again without ingesting.

Rows: the demo source (``DemoConnector``: Dutch participation comments, threads,
organisation replies, hostile texts), one page in ten stored as a second source. The
demo's vocabulary is a few hundred words, so every body also gets a tail of 0-12 words
drawn Zipf-wise from 50,000 pseudo-Dutch words: that gives words at every frequency,
from ten rows to half of them, which the search targets are about.

(a) ingest: ``SqliteStore.upsert_page`` in pages of 100 vs. the limit: stdlib
    ``sqlite3.executemany`` of the same rows (precomputed) into the same schema, FTS and
    role tags included, in one transaction.
(b) "next 50 untriaged, newest first" keyset pages, without and with filters, through
    ``SqliteStore.queue`` vs. the bare SELECT of the same query.
(c) ``SqliteStore.search`` top 50 for words from ten rows to every row vs. the bare FTS5
    query (``MATCH ... ORDER BY rank LIMIT 50``).
(d) file size per 100,000 responses (and the limit's file).
(e) counts: ``counts()`` (the tabs' and the dashboard's figures, Reported and Flagged
    among them) and ``count()`` of the Reported and Flagged tabs' filters.

Before the queries the rows are made into queues: 30 % handled, question tags of three
densities, platform reports on 0.2 % of the rows (``meta.reports``) and rule flags on
0.5 % (two in three of them still open).

Targets (issue 2): ingest >= 0.5x the limit; queue p50 <= 2 ms, p99 <= 10 ms; search
p50 <= 20 ms, p99 <= 50 ms for any single word.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import pathlib
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reactieveld.connectors.demo import DemoConnector  # noqa: E402
from reactieveld.model import Page, Response, Source, Thread, TriageState  # noqa: E402
from reactieveld.store import fts as store_fts  # noqa: E402
from reactieveld.store import planner as store_planner  # noqa: E402
from reactieveld.store.base import Keyset, QueueFilter  # noqa: E402
from reactieveld.store.ingest import content_hash, json_text  # noqa: E402
from reactieveld.store.rows import from_epoch, to_epoch  # noqa: E402
from reactieveld.store.schema import migrate  # noqa: E402
from reactieveld.store.sqlite import SqliteStore  # noqa: E402

PAGE = 100
SECOND_SOURCE_EVERY = 10  # one page in ten goes to the second source

# -- rows -------------------------------------------------------------------------------
ONSETS = "b d g h k l m n p r s t v w z st sch kr gr br pl sl sp tr vr zw bl dr fl".split()
VOWELS = "a e i o u aa ee oo ie oe ui ij ei eu ou".split()
CODAS = ["", "n", "r", "l", "k", "t", "s", "m", "ng", "rd", "nd", "st", "cht"]
SUFFIXES = ["", "en", "ing", "heid", "lijk", "te", "er", "baar"]


def pseudo_dutch(n: int, seed: int) -> list[str]:
    """``n`` distinct pronounceable Dutch-looking words."""
    rng = random.Random(seed)
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < n:
        syl = [rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
               for _ in range(rng.choice((2, 2, 3)))]  # fmt: skip
        w = "".join(syl) + rng.choice(SUFFIXES)
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


class Corpus:
    """Demo rows with a Zipf tail; knows how many rows hold each tail word."""

    def __init__(self, rows: int, seed: int, vocab: int = 50_000) -> None:
        self.rows = rows
        self.demo = DemoConnector("demo", count=rows, seed=seed)
        self.words = pseudo_dutch(vocab, seed)
        self.cum = list(itertools.accumulate(1.0 / r for r in range(1, vocab + 1)))
        self.doc_counts: Counter[str] = Counter()
        self.rng = random.Random(seed + 1)

    def source_of_page(self, page_no: int) -> str:
        return "forum" if page_no % SECOND_SOURCE_EVERY == SECOND_SOURCE_EVERY - 1 else "demo"

    def pages(self) -> list[Page]:
        """Every page of 100, each naming the threads it is the first to mention."""
        pages = []
        seen: set[tuple[str, str]] = set()
        total = self.cum[-1]
        for page_no, lo in enumerate(range(0, self.rows, PAGE)):
            source = self.source_of_page(page_no)
            rows: list[Response] = []
            threads: list[Thread] = []
            for i in range(lo, min(lo + PAGE, self.rows)):
                r = self.demo.response(i)
                k = self.rng.randint(0, 12)
                tail = [
                    self.words[bisect.bisect_left(self.cum, self.rng.random() * total)]
                    for _ in range(k)
                ]
                self.doc_counts.update(set(tail))
                body = r.body_text + (" " + " ".join(tail) + "." if tail else "")
                r = replace(r, source=source, body_text=body, body_raw=body)
                rows.append(r)
                assert r.thread_external_id is not None
                if (source, r.thread_external_id) not in seen:
                    seen.add((source, r.thread_external_id))
                    t = self.demo.thread(int(r.thread_external_id[1:]))
                    threads.append(replace(t, source=source))
            pages.append(Page(responses=rows, threads=threads, next_cursor=str(lo + PAGE)))
        return pages


# -- helpers ----------------------------------------------------------------------------
def pct(samples: Sequence[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def fmt_ms(samples: Sequence[float]) -> str:
    return f"p50 {pct(samples, 50):7.3f} ms  p99 {pct(samples, 99):7.3f} ms"


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    t0 = time.perf_counter()
    await fn()
    return (time.perf_counter() - t0) * 1000


def sizes(path: pathlib.Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


# -- (a) ingest -------------------------------------------------------------------------
SECRET = bytes(32)


def limit_tuples(pages: list[Page]) -> tuple[list, list, list, list]:
    """The rows exactly as the store writes them, precomputed (the limit does no work)."""
    keyer = SqliteStore.__new__(SqliteStore)
    keyer._author_secret = SECRET
    sid = {"demo": 1, "forum": 2}
    responses, fts, tags, threads = [], [], [], []
    titles: dict[tuple[str, str], str] = {}
    rid = 0
    for p in pages:
        for t in p.threads:
            titles[(t.source, t.external_id)] = t.title
            threads.append(
                (sid[t.source], t.external_id, t.title, t.url, to_epoch(t.created_at), None)
            )
        for r in p.responses:
            rid += 1
            key = keyer.author_key(r.author_email)
            responses.append(
                (rid, sid[r.source], r.external_id, r.thread_external_id,
                 r.parent_external_id, r.author_name, key, r.author_url, r.body_text,
                 r.body_raw, r.body_format, r.url, to_epoch(r.created_at), to_epoch(r.updated_at),
                 0, r.remote_status.value, r.triage.value, r.role_hint, json_text(r.meta),
                 content_hash(r, key))
            )  # fmt: skip
            title = titles.get((r.source, r.thread_external_id or ""), "")
            fts.append((rid, r.body_text, r.author_name, title))
            if r.role_hint:
                tags.append((rid, r.role_hint, "default-1", 0, to_epoch(r.created_at)))
    return responses, fts, tags, threads


def ingest_limit(path: pathlib.Path, pages: list[Page]) -> float:
    """Seconds for executemany of every row in one transaction (same schema, pragmas)."""
    responses, fts, tags, threads = limit_tuples(pages)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "temp_store=MEMORY", "cache_size=-65536"):  # fmt: skip
        db.execute(f"PRAGMA {pragma}")
    migrate(db)
    db.execute(
        "INSERT INTO sources (id, name, type) VALUES (1, 'demo', 'demo'), (2, 'forum', 'demo')"
    )
    t0 = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO threads (source_id, external_id, title, url, created_at, meta) "
        "VALUES (?,?,?,?,?,?)",
        threads,
    )
    db.executemany(
        "INSERT INTO responses (id, source_id, external_id, thread_external_id, "
        "parent_external_id, author_name, author_key, author_url, body_text, body_raw, "
        "body_format, url, created_at, updated_at, fetched_at, remote_status, triage, "
        "role_hint, meta, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        responses,
    )
    db.executemany("INSERT INTO responses_fts (rowid, body, author, title) VALUES (?,?,?,?)", fts)
    db.executemany(
        "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, actor, "
        "response_created) VALUES (?, 'role', ?, ?, ?, 'connector', ?)",
        tags,
    )
    db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


async def timed_upserts(store: Any, pages: list[Page]) -> float:
    """Seconds spent inside ``upsert_page`` for every page, the sources registered first
    (either backend)."""
    await store.ensure_source(Source("demo", "demo"))
    await store.ensure_source(Source("forum", "demo"))
    spent = 0.0
    for p in pages:
        t0 = time.perf_counter()
        await store.upsert_page(p.responses[0].source, p)
        spent += time.perf_counter() - t0
    return spent


async def ingest_store(path: pathlib.Path, pages: list[Page]) -> float:
    """Seconds spent inside ``upsert_page`` for every page."""
    store = await SqliteStore.open(path)
    spent = await timed_upserts(store, pages)
    await store.close()
    return spent


# -- (b) queues -------------------------------------------------------------------------
def prepare_queues(path: pathlib.Path) -> None:
    """Make the queues interesting: 30 % handled, question tags of three densities."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("UPDATE responses SET triage = 'handled' WHERE id % 10 < 3")
    # Spread over handled and new rows alike (id * 7919 scatters the residues).
    for code, every in (("3", 50), ("5", 1000), ("7", 20_000)):  # 2 %, 0.1 %, 0.005 %
        db.execute(
            "INSERT OR IGNORE INTO tags (response_id, kind, code, codebook_version, "
            "created_at, actor, response_created) SELECT id, 'question', ?, 'default-1', 0, "
            "'bench', created_at FROM responses WHERE (id * 7919) % ? = 1",
            (code, every),
        )
    db.execute(
        "UPDATE responses SET meta = json_set(coalesce(meta, '{}'), '$.reports', 2) "
        f"WHERE {REPORTED_ROWS}"
    )
    db.execute(FLAGS_INTO + " ON CONFLICT DO NOTHING")
    db.execute("COMMIT")
    db.close()


#: The rows platform users reported (0.2 %) and those a moderation rule flagged (0.5 %;
#: ``id % 3 = 0`` of them decided already), as both backends' SQL.
REPORTED_ROWS = "(id * 104729) % 500 = 11"
FLAGS_INTO = (
    "INSERT INTO rule_flags (response_id, rule, action, text_hash, flagged_at, state) "
    "SELECT id, 'bench', 'flag', 0, created_at, CASE WHEN id % 3 = 0 THEN 'upheld' "
    "ELSE 'open' END FROM responses WHERE (id * 7907) % 200 = 13"
)

QUEUES: list[tuple[str, QueueFilter]] = [
    ("untriaged", QueueFilter(triage=TriageState.NEW)),
    ("untriaged, source forum (10 %)", QueueFilter(triage=TriageState.NEW, sources=("forum",))),
    ("untriaged, question 3 (2 %)", QueueFilter(triage=TriageState.NEW, questions=("3",))),
    ("untriaged, question 5 (0.1 %)", QueueFilter(triage=TriageState.NEW, questions=("5",))),
    ("untriaged, question 7 (0.005 %)", QueueFilter(triage=TriageState.NEW, questions=("7",))),
    ("untriaged, question 3 or 5", QueueFilter(triage=TriageState.NEW, questions=("3", "5"))),
    ("all, question 3", QueueFilter(questions=("3",))),
    ("untriaged, untagged", QueueFilter(triage=TriageState.NEW, untagged=True)),
    ("all, role raad", QueueFilter(roles=("raad",))),
    ("Reported tab (new, reported)", QueueFilter(triage=TriageState.NEW, reported=True)),
    ("Flagged tab (open rule flag)", QueueFilter(flagged=True)),
]
#: The tabs that are not kept counts: counted over their rows (``store.count``).
COUNTED_TABS = [(n, f) for n, f in QUEUES if f.reported or f.flagged]


async def walk_down(store: Any, flt: QueueFilter, walk: int) -> list[Keyset | None]:
    """The keysets of a walk down the queue from the top, up to ``walk`` pages of 50 (the
    first of both backends' queue benches, before the jumps to random places)."""
    keys: list[Keyset | None] = [None]
    rows = await store.queue(flt, limit=50)
    for _ in range(walk - 1):
        if len(rows) < 50:
            break
        keys.append(rows[-1].keyset)
        rows = await store.queue(flt, after=rows[-1].keyset, limit=50)
    return keys


async def bench_queues(store: SqliteStore, raw: sqlite3.Connection, walk: int) -> list[str]:
    lines = []
    for name, flt in QUEUES:
        # A walk down from the top, then jumps to random places (a scrollbar drag).
        keys = await walk_down(store, flt, walk)
        ids = [r[0] for r in raw.execute("SELECT id FROM responses ORDER BY random() LIMIT ?",
                                         (walk,))]  # fmt: skip
        for i in ids:
            (c,) = raw.execute("SELECT created_at FROM responses WHERE id = ?", (i,)).fetchone()
            keys.append(Keyset(from_epoch(c), i))  # type: ignore[arg-type]
        api = []
        for k in keys:
            api.append(await timed(lambda k=k, flt=flt: store.queue(flt, after=k, limit=50)))
        bare = []
        for k in keys:
            # The store's own SELECT, without turning rows into objects: the floor.
            sql, params = store_planner.queue_sql(flt, after=k, limit=50)
            t0 = time.perf_counter()
            raw.execute(sql, params).fetchall()
            bare.append((time.perf_counter() - t0) * 1000)
        ratio = pct(api, 50) / max(pct(bare, 50), 1e-6)
        SUMMARY.setdefault(("sqlite", "queue"), []).extend(api)
        lines.append(
            f"  {name:34s} {fmt_ms(api)}   bare SQL p50 {pct(bare, 50):7.3f} ms  "
            f"(x{ratio:4.1f})  [{len(keys)} pages]"
        )
    return lines


# -- (c) search -------------------------------------------------------------------------
def pick_words(corpus: Corpus, raw: sqlite3.Connection, rows: int) -> list[tuple[str, list]]:
    """Groups of words by how many rows hold them: ten rows ... every row."""
    targets = [10, 100, 1_000, 5_000, 10_000, 20_000, 50_000, 200_000]
    targets = [t * rows // 1_000_000 or 1 for t in targets]
    # The most a ranked query has to rank, and just past it (answered newest first).
    limit = store_fts.RANK_LIMIT
    targets = sorted({*targets, limit * 9 // 10, limit * 11 // 10})
    by_count = sorted((c, w) for w, c in corpus.doc_counts.items())
    groups = []
    for target in targets:
        i = bisect.bisect_left(by_count, (target, ""))
        near = [(c, w) for c, w in by_count[max(0, i - 5) : i + 5] if c > 0]
        groups.append((f"tail words in ~{target:,} rows", [w for _, w in near]))
    groups.append(("demo words: gemeente, de, en, het, zwembad, verkeer",
                   ["gemeente", "de", "en", "het", "zwembad", "verkeer"]))  # fmt: skip
    out = []
    for label, words in groups:
        counted = []
        for w in words:
            row = raw.execute("SELECT doc FROM responses_vocab WHERE term = ?", (w,)).fetchone()
            counted.append((w, row[0] if row else 0))
        out.append((label, counted))
    return out


async def bench_search(
    store: SqliteStore, raw: sqlite3.Connection, groups: list[tuple[str, list]], reps: int
) -> list[str]:
    lines = []
    for label, words in groups:
        api, bare, ranked = [], [], 0
        for w, _ in words:
            await store.search(w)  # warm
            for _ in range(reps):
                api.append(await timed(lambda w=w: store.search(w, limit=50)))
            hits = await store.search(w, limit=1)
            ranked += bool(hits and hits[0].rank is not None)
            for _ in range(reps):
                t0 = time.perf_counter()
                raw.execute(
                    "SELECT rowid FROM responses_fts WHERE responses_fts MATCH ? "
                    "ORDER BY rank LIMIT 50",
                    (f'"{w}"',),
                ).fetchall()
                bare.append((time.perf_counter() - t0) * 1000)
        docs = [c for _, c in words]
        SUMMARY.setdefault(("sqlite", "search"), []).extend(api)
        lines.append(
            f"  {label:52s} rows {min(docs):>7,}-{max(docs):<7,} {fmt_ms(api)}  "
            f"ranked {ranked}/{len(words)}  bare ranked FTS p50 {pct(bare, 50):8.3f} ms"
        )
    return lines


# -- PostgreSQL (--backend postgresql) --------------------------------------------------
#: Samples per (backend, figure) for the side-by-side summary.
SUMMARY: dict[tuple[str, str], list[float]] = {}


async def bench_counts(store: Any, backend: str, reps: int = 50) -> list[str]:
    """``counts()`` (the dashboard's and the tabs' figures) and ``count()`` of the
    Reported and Flagged tabs, each timed ``reps`` times."""
    c = await store.counts()
    samples = [await timed(store.counts) for _ in range(reps)]
    SUMMARY[(backend, "counts")] = samples
    lines = [
        f"  counts() {fmt_ms(samples)}   total {c.total:,}, new "
        f"{c.by_triage.get('new', 0):,}, reported {c.reported:,}, flagged {c.flagged:,}"
    ]
    for name, flt in COUNTED_TABS:
        n = await store.count(flt)
        tab = [await timed(lambda flt=flt: store.count(flt)) for _ in range(reps)]
        SUMMARY.setdefault((backend, "tabs"), []).extend(tab)
        lines.append(f"  count({name}) {fmt_ms(tab)}   = {n:,}")
    return lines


async def prepare_queues_pg(store: Any) -> None:
    """:func:`prepare_queues` in PostgreSQL's SQL: the same rows handled and tagged."""

    async def fn(conn: Any) -> None:
        # timeout: at 1M rows this outlasts the pool's 60 s command timeout.
        await conn.execute(
            "UPDATE responses SET triage = 'handled' WHERE id % 10 < 3", timeout=3600
        )
        for code, every in (("3", 50), ("5", 1000), ("7", 20_000)):
            await conn.execute(
                "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, "
                "actor, response_created) SELECT id, 'question', $1, 'default-1', 0, 'bench', "
                "created_at FROM responses WHERE (id * 7919) % $2 = 1 ON CONFLICT DO NOTHING",
                code,
                every,
                timeout=3600,
            )
        await conn.execute(
            "UPDATE responses SET meta = jsonb_set(coalesce(meta, '{}')::jsonb, "
            f"'{{reports}}', '2')::text WHERE {REPORTED_ROWS}",
            timeout=3600,
        )
        await conn.execute(FLAGS_INTO + " ON CONFLICT DO NOTHING", timeout=3600)

    await store._write(fn)
    await store._read(lambda conn: conn.execute("VACUUM ANALYZE", timeout=3600))


async def bench_queues_pg(store: Any, walk: int, explain: bool) -> list[str]:
    from reactieveld.store.pg.base import dollar

    lines = []
    ids = await store._read(
        lambda c: c.fetch("SELECT id, created_at FROM responses ORDER BY random() LIMIT $1", walk)
    )
    for name, flt in QUEUES:
        keys = await walk_down(store, flt, walk)
        keys += [Keyset(from_epoch(c), i) for i, c in ids]
        api = [await timed(lambda k=k, flt=flt: store.queue(flt, after=k, limit=50)) for k in keys]
        SUMMARY.setdefault(("postgresql", "queue"), []).extend(api)
        lines.append(f"  {name:34s} {fmt_ms(api)}  [{len(keys)} pages]")
        if explain:
            for k in (keys[0], keys[len(keys) // 2]):
                sql, params = store_planner.queue_sql(
                    flt, after=k, limit=50, dialect=store_planner.POSTGRES
                )
                plan = await store._read(
                    lambda c, sql=sql, params=params: c.fetch(
                        "EXPLAIN (ANALYZE, BUFFERS) " + dollar(sql), *params
                    )
                )
                lines += ["      " + r[0] for r in plan]
    return lines


async def bench_search_pg(store: Any, groups: list[tuple[str, list]], reps: int) -> list[str]:
    lines = []
    for label, words in groups:
        api, ranked = [], 0
        for w, _ in words:
            await store.search(w)  # warm
            for _ in range(reps):
                api.append(await timed(lambda w=w: store.search(w, limit=50)))
            hits = await store.search(w, limit=1)
            ranked += bool(hits and hits[0].rank is not None)
        SUMMARY.setdefault(("postgresql", "search"), []).extend(api)
        lines.append(f"  {label:52s} {fmt_ms(api)}  ranked {ranked}/{len(words)}")
    return lines


async def run_postgres(args: argparse.Namespace, pages: list[Page], groups: list) -> None:
    """The same rows, queues and words on PostgreSQL."""
    from reactieveld.store.pg.store import PostgresStore

    cluster = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(ROOT / "tests"))
        from helpers.pg import Cluster, pg_bin

        found = pg_bin()
        if found is None:
            print("postgresql: no PostgreSQL binaries found (/usr/lib/postgresql/*/bin)")
            return
        kept = pathlib.Path(args.pg_dir) if args.pg_dir else None
        cluster = Cluster(found, kept)
        cluster.start()
        if args.reuse:
            url = cluster.url("bench")
        else:
            if kept is not None:
                cluster.psql("DROP DATABASE IF EXISTS bench")
            url = cluster.url(cluster.new_database(name="bench" if kept else None))
    try:
        store = await PostgresStore.open(url, max_size=2)
        try:
            version = await store._read(lambda c: c.fetchval("SHOW server_version"))
            print(f"postgresql {version}")
            if not args.reuse:
                spent = await timed_upserts(store, pages)
                rate = len(pages) * PAGE / spent
                lite = SUMMARY.get(("sqlite", "ingest"))
                than = f" = {rate / lite[0]:.2f}x SqliteStore's in this run" if lite else ""
                print(f"(a) ingest: PostgresStore.upsert_page {rate:,.0f} rows/s{than}")
                await prepare_queues_pg(store)
            print("(b) queue on PostgreSQL: next 50 newest first")
            for line in await bench_queues_pg(store, args.walk, args.explain):
                print(line)
            print("(c) search on PostgreSQL: top 50")
            for line in await bench_search_pg(store, groups, args.reps):
                print(line)
            print("(e) counts on PostgreSQL")
            for line in await bench_counts(store, "postgresql"):
                print(line)
        finally:
            await store.close()
    finally:
        if cluster is not None:
            cluster.stop()


def print_summary(rows: int) -> None:
    print(
        f"summary at {rows:,} responses (ms)      queue p50  queue p99  search p99  "
        "counts p50  counts p99  tabs p99"
    )
    for backend in ("sqlite", "postgresql"):
        q = SUMMARY.get((backend, "queue"))
        w = SUMMARY.get((backend, "search"))
        c = SUMMARY.get((backend, "counts"))
        t = SUMMARY.get((backend, "tabs"))
        if not (q and w and c and t):
            continue
        print(
            f"  {backend:34s} {pct(q, 50):9.3f}  {pct(q, 99):9.3f}  {pct(w, 99):10.3f}"
            f"  {pct(c, 50):10.3f}  {pct(c, 99):10.3f}  {pct(t, 99):8.3f}"
        )
    print("  targets at 1M: queue p50 <= 2, p99 <= 10; single-word search p99 <= 50")


# -- main -------------------------------------------------------------------------------
async def main(args: argparse.Namespace) -> None:
    rows = args.rows
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="store-bench-"))
    store_path = pathlib.Path(args.db) if args.db else workdir / "store.db"
    print(f"store bench: {rows:,} responses, sqlite {sqlite3.sqlite_version}, "
          f"RANK_LIMIT {store_fts.RANK_LIMIT:,}")  # fmt: skip

    t0 = time.perf_counter()
    corpus = Corpus(rows, args.seed)
    pages = corpus.pages()
    print(f"generated in {time.perf_counter() - t0:.1f} s")

    if not args.reuse:
        for p in (store_path, store_path.with_name(store_path.name + "-wal")):
            p.unlink(missing_ok=True)
        limit_path = workdir / "limit.db"
        limit_s = ingest_limit(limit_path, pages)
        limit_size = sizes(limit_path)
        limit_path.unlink()
        store_s = await ingest_store(store_path, pages)
        SUMMARY[("sqlite", "ingest")] = [rows / store_s]
        size = sizes(store_path)
        print("(a) ingest")
        print(f"  limit: executemany, one transaction   {rows / limit_s:10,.0f} rows/s")
        print(f"  SqliteStore.upsert_page, pages of 100 {rows / store_s:10,.0f} rows/s"
              f"   = {limit_s / store_s:.2f}x the limit (target >= 0.5x)")  # fmt: skip
        print("(d) file size")
        print(
            f"  store {size / 2**20:8.1f} MiB = {size / rows * 1e5 / 2**20:6.1f} MiB per 100k "
            f"responses (limit's file: {limit_size / rows * 1e5 / 2**20:.1f} MiB per 100k)"
        )
        prepare_queues(store_path)
    pg_pages = pages if args.backend == "postgresql" else []
    del pages

    store = await SqliteStore.open(store_path)
    raw = sqlite3.connect(store_path)
    try:
        print("(b) queue: next 50 newest first (target p50 <= 2 ms, p99 <= 10 ms)")
        for line in await bench_queues(store, raw, args.walk):
            print(line)
        print("(c) search: top 50 (target p50 <= 20 ms, p99 <= 50 ms)")
        groups = pick_words(corpus, raw, rows)
        for line in await bench_search(store, raw, groups, args.reps):
            print(line)
        print("(e) counts")
        for line in await bench_counts(store, "sqlite"):
            print(line)
    finally:
        raw.close()
        await store.close()
    if args.backend == "postgresql":
        await run_postgres(args, pg_pages, groups)
    print_summary(rows)
    if not args.db:
        for p in workdir.iterdir():
            p.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="50,000 rows, fewer samples")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", help="keep the store at this path (default: a temp dir)")
    ap.add_argument("--reuse", action="store_true", help="measure queries on --db only")
    ap.add_argument("--walk", type=int, default=200, help="queue pages per filter")
    ap.add_argument("--reps", type=int, default=10, help="repetitions per search word")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                    help="postgresql: the same figures on PostgreSQL, side by side")  # fmt: skip
    ap.add_argument("--url", help="PostgreSQL: an empty database (default: a throwaway cluster)")
    ap.add_argument("--explain", action="store_true", help="EXPLAIN a few PostgreSQL pages")
    ap.add_argument("--pg-dir", help="keep the throwaway PostgreSQL cluster in this folder")
    a = ap.parse_args()
    if a.quick:
        a.rows, a.walk, a.reps = 50_000, 50, 5
    if a.reuse and not a.db:
        ap.error("--reuse needs --db")
    if a.reuse and a.backend == "postgresql" and not (a.pg_dir or a.url):
        ap.error("--reuse on postgresql needs --pg-dir (or --url)")
    asyncio.run(main(a))
