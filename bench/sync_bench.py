"""Sync benchmark: full sync through reactieveld against its limits, measured in one run.

    python bench/sync_bench.py                   # local WordPress-shaped server, 100,000
    python bench/sync_bench.py --comments 20000  # smaller
    python bench/sync_bench.py --real            # also the real WordPress (5,000 comments,
                                                 # a second wp-real instance on port 8090)

Local server (tools/wp-real/fakewp.py, a subprocess on 127.0.0.1):
  fetch-only  the same pages fetched with bare httpx and parsed (json)
  store-only  the same rows ingested with SqliteStore.upsert_page (disk + FTS)
  full sync   SyncEngine.sync_source into a fresh store, the connector fetching in a
              child process (reactieveld.fetchproc) as `reactieveld sync` and the app
              do; also in one process, to show what the child buys (--variants: one
              process without prefetch, and with one listing request in flight)
Each is run --repeat times (default 3), interleaved; the medians are reported.
Real WordPress: full sync vs fetch-only (the server is the limit there).
Target: full <= 1.25 x max(fetch-only, store-only). Also: requests of an idle poll.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from types import MappingProxyType

import httpx

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reactieveld.config import SourceConfig  # noqa: E402
from reactieveld.connectors.wordpress import (  # noqa: E402
    COMMENT_FIELDS,
    PER_PAGE,
    WordPressConnector,
    comment_to_response,
)
from reactieveld.model import Page, Source  # noqa: E402
from reactieveld.store.sqlite import SqliteStore  # noqa: E402
from reactieveld.sync import SyncEngine  # noqa: E402


async def fetch_only(url: str, auth: tuple[str, str]) -> tuple[float, list[list[dict]]]:
    """Bare httpx: the connector's listing requests, json-parsed, nothing else."""
    pages: list[list[dict]] = []
    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, auth=auth, timeout=60) as c:
        offset = 0
        while True:
            r = await c.get(
                "/wp-json/wp/v2/comments",
                params={
                    "status": "any",
                    "per_page": PER_PAGE,
                    "context": "edit",
                    "orderby": "id",
                    "order": "asc",
                    "offset": offset,
                    "_fields": COMMENT_FIELDS,
                },
            )
            r.raise_for_status()
            batch = r.json()
            pages.append(batch)
            offset += len(batch)
            if len(batch) < PER_PAGE:
                break
    return time.perf_counter() - t0, pages


async def store_only(pages: list[list[dict]], db: pathlib.Path) -> float:
    """SqliteStore ingest of the same rows (translated beforehand, not timed)."""
    translated = [[comment_to_response("blog", c) for c in p] for p in pages]
    store = await SqliteStore.open(db)
    await store.ensure_source(Source("blog", "wordpress"))
    t0 = time.perf_counter()
    for i, rs in enumerate(translated):
        await store.upsert_page("blog", Page(responses=rs, next_cursor=str(i)))
    dt = time.perf_counter() - t0
    await store.close()
    return dt


async def full_sync(
    url: str,
    auth: tuple[str, str],
    db: pathlib.Path,
    *,
    prefetch: bool,
    inflight: int = 2,
    process: bool = False,
):
    """SyncEngine.sync_source into a fresh store; ``process``: the connector fetches in
    the child process (reactieveld.fetchproc), as `reactieveld sync` and the app do.
    The child's start is inside the time."""
    store = await SqliteStore.open(db)
    os.environ["BENCH_WP_PASSWORD"] = auth[1]  # a secret travels by environment only
    opts = {"url": url, "username": auth[0], "password_env": "BENCH_WP_PASSWORD"}
    cfg = SourceConfig("blog", "wordpress", 30.0, MappingProxyType(opts))
    conn = WordPressConnector("blog", url, username=auth[0], password=auth[1], inflight=inflight)
    engine = SyncEngine(store, [(cfg, conn)], prefetch=prefetch, fetch_process=process)
    t0 = time.perf_counter()
    res = await engine.sync_source("blog")
    dt = time.perf_counter() - t0
    assert res.ok, res.error
    # The idle poll: counted on this process's connector (the API root found first,
    # as any round after the first has it).
    await conn.api_root()
    inline = SyncEngine(store, [(cfg, conn)])
    before = conn.client.requests_sent
    idle = await inline.sync_source("blog")
    idle_requests = conn.client.requests_sent - before
    assert idle.ok and idle.new == 0
    await engine.aclose()
    await store.close()
    return dt, res.new, idle_requests


async def measure(
    label: str,
    url: str,
    auth: tuple[str, str],
    tmp: pathlib.Path,
    with_store: bool,
    repeat: int,
    variants: bool,
) -> None:
    """Each of fetch-only, store-only and full sync ``repeat`` times, interleaved (so a
    burst of load elsewhere hits all three); the ratio is taken per round and its
    median is the figure."""
    fetch_ts, store_ts, full_ts, inline_ts, ratios = [], [], [], [], []
    for i in range(repeat):
        fetch_t, pages = await fetch_only(url, auth)
        store_t = await store_only(pages, tmp / f"{label}-store{i}.db") if with_store else 0.0
        full_t, new, idle = await full_sync(
            url, auth, tmp / f"{label}-full{i}.db", prefetch=True, process=True
        )
        inline_t, _, _ = await full_sync(url, auth, tmp / f"{label}-inline{i}.db", prefetch=True)
        fetch_ts.append(fetch_t)
        store_ts.append(store_t)
        full_ts.append(full_t)
        inline_ts.append(inline_t)
        ratios.append(full_t / max(fetch_t, store_t))
    n = sum(len(p) for p in pages)
    per = 1e3 / len(pages)
    med = statistics.median
    fetch_t, store_t, full_t, inline_t = map(med, (fetch_ts, store_ts, full_ts, inline_ts))
    limit = max(fetch_t, store_t)
    print(f"\n== {label}: {n} comments, {len(pages)} pages; median of {repeat} rounds")
    print(f"fetch-only (bare httpx + json)     {fetch_t:7.2f} s  {fetch_t * per:6.1f} ms/page")
    if with_store:
        print(f"store-only (upsert_page + FTS)     {store_t:7.2f} s  {store_t * per:6.1f} ms/page")
    print(f"full sync (fetch process)          {full_t:7.2f} s  stored {new}")
    print(
        f"full sync (one process)            {inline_t:7.2f} s  "
        f"({inline_t / limit:.2f} x; connector and store share one interpreter)"
    )
    if variants:
        seq_t, _, _ = await full_sync(url, auth, tmp / f"{label}-seq.db", prefetch=False)
        one_t, _, _ = await full_sync(url, auth, tmp / f"{label}-one.db", prefetch=True, inflight=1)
        print(f"full sync (one process, no prefetch) {seq_t:5.2f} s")
        print(
            f"full sync (one process, 1 request in flight) {one_t:5.2f} s  "
            f"({one_t / limit:.2f} x; like fetch-only, one request at a time)"
        )
    ratio = med(ratios)
    verdict = "OK" if ratio <= 1.25 else "OVER TARGET"
    spread = f"rounds {min(ratios):.2f}-{max(ratios):.2f}"
    print(
        "per round (store-only / full, s):  "
        + "  ".join(f"{st:.2f}/{fu:.2f}" for st, fu in zip(store_ts, full_ts, strict=True))
    )
    print(f"full / slower-of-limits            {ratio:7.2f} x  ({spread}; target <= 1.25: ", end="")
    print(f"{verdict})")
    print(f"idle poll                          {idle} request(s)")


# fakewp.py answers with two writes (headers, then body). Without TCP_NODELAY the
# body's last segment waits for the client's delayed ACK: ~15 ms idle per request on
# loopback, which is Nagle, not a server limit (web servers in front of WordPress set
# TCP_NODELAY). The benchmark turns Nagle off; --server-nagle shows the old setup.
_SERVE = (
    "import runpy, socketserver, sys\n"
    "socketserver.StreamRequestHandler.disable_nagle_algorithm = sys.argv.pop(1) == 'nodelay'\n"
    "sys.argv[0] = sys.argv[1]; del sys.argv[1]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def start_fake(comments: int, *, nagle: bool = False) -> tuple[subprocess.Popen, str]:
    p = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SERVE,
            "nagle" if nagle else "nodelay",
            str(ROOT / "tools" / "wp-real" / "fakewp.py"),
            "--comments",
            str(comments),
            "--port",
            "0",
            "--user",
            "admin",
            "--password",
            "bench",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None
    line = p.stdout.readline().strip()
    assert line.startswith("WP_URL="), line
    return p, line.split("=", 1)[1]


def start_real(comments: int, port: int) -> dict[str, str]:
    out = subprocess.run(
        [str(ROOT / "tools" / "wp-real" / "start.sh"), "--port", str(port), str(comments)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--comments", type=int, default=100_000)
    ap.add_argument("--real", action="store_true", help="also the real WordPress (5,000)")
    ap.add_argument("--real-comments", type=int, default=5000)
    ap.add_argument("--real-port", type=int, default=8090)
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the median is reported")
    ap.add_argument(
        "--variants",
        action="store_true",
        help="also one process without prefetch, and with one request in flight",
    )
    ap.add_argument(
        "--server-nagle",
        action="store_true",
        help="local server with Nagle on (as before: ~15 ms of delayed-ACK wait per page)",
    )
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        proc, url = start_fake(a.comments, nagle=a.server_nagle)
        try:
            label = "local WordPress-shaped server" + (" (Nagle on)" if a.server_nagle else "")
            await measure(label, url, ("admin", "bench"), tmp, True, a.repeat, a.variants)
        finally:
            proc.terminate()
            proc.wait()
        if a.real:
            env = start_real(a.real_comments, a.real_port)
            await measure(
                "real WordPress 6.1 (php -S, 4 workers)",
                env["WP_URL"],
                (env["WP_USER"], env["WP_APP_PASSWORD"]),
                tmp,
                True,
                a.repeat,
                a.variants,
            )
    print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    asyncio.run(main())
