"""Crash cases: a ``reactieveld sync --once`` process SIGKILLed at a random point, then run
again; what was lost, duplicated or applied twice is counted against the platform.

Shared by tests/test_sync_crash.py (a few seeded runs in CI) and tools/crash_suite.py
(20 of each, a table). The platform is the WordPress-shaped local server of
tools/wp-real/fakewp.py on 127.0.0.1, which can hold an exact request: the case waits
for that request (a threading.Event, no sleeps), kills the process while the request
is held, and lets the server go on.

* ``sync`` case: killed at the k-th comment listing of a full sync (k random).
* ``write-back`` case: the memory holds moderation decisions and replies in the outbox;
  killed at one of their POSTs (the seed picks, all in turn), either before the server
  acts on it (the request is then dropped) or after it acted and before the answer
  reaches reactieveld (the worst moment: the platform did it, the outbox does not know).

Counts (:class:`Outcome`), after the re-run and one more run:

* ``lost``: comments at the server missing in the memory or with another status; outbox
  rows not done; a decision not visible at the server; a reply missing there.
* ``duplicated``: rows in the memory beyond the server's comments (or index entries
  beyond rows); replies stored in "New" although they are the organisation's own.
* ``applied_twice``: status changes at the server beyond one per decision; reply POSTs
  beyond one per reply (also those the server refused as duplicates).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wpreal import served_fakewp

from reactieveld.connectors.htmltext import html_to_text
from reactieveld.model import RemoteStatus

CHILD = (
    "import sys\n"
    "from reactieveld.config import load_config\n"
    "from reactieveld.sync import run_sync_command\n"
    "sys.exit(run_sync_command(load_config(sys.argv[1]), sys.argv[2], once=True))\n"
)
PASSWORD = "app-pass-1"  # noqa: S105 - the fake's test credential
DECISIONS = (RemoteStatus.APPROVED, RemoteStatus.SPAM, RemoteStatus.TRASH, RemoteStatus.HOLD)
WP_NAME = {"approved": "approved", "spam": "spam", "trash": "trash", "hold": "hold"}


@dataclass
class Outcome:
    """What one case counted (see the module docstring)."""

    kind: str
    seed: int
    point: str
    lost: int = 0
    duplicated: int = 0
    applied_twice: int = 0

    @property
    def clean(self) -> bool:
        return self.lost == self.duplicated == self.applied_twice == 0


def sync_files(tmp: Path, base: str) -> tuple[Path, Path]:
    """A config with one WordPress source at ``base``, and where its store goes."""
    cfg = tmp / "reactieveld.toml"
    cfg.write_text(
        '[[sources]]\nname = "blog"\ntype = "wordpress"\n'
        f'url = "{base}"\nusername = "admin"\npassword_env = "TEST_WP_APP_PASSWORD"\n'
    )
    return cfg, tmp / "memory.db"


def start_sync(cfg: Path, db: Path) -> subprocess.Popen[str]:
    """``sync --once`` started in its own process (so it can be SIGKILLed)."""
    env = {**os.environ, "TEST_WP_APP_PASSWORD": PASSWORD}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(cfg), str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_sync(cfg: Path, db: Path) -> str:
    """``sync --once`` in its own process to the end; its stdout, asserting exit 0."""
    p = start_sync(cfg, db)
    out, err = p.communicate(timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"sync exited {p.returncode}: {out}{err}")
    return out


def _kill_at(wp: Any, cfg: Path, db: Path, when: Any, *, after: bool) -> None:
    """Run sync until the server sees a request for which ``when`` is true; SIGKILL it
    while that request is held, then release. ``after``: the server acts on the request
    (its answer is lost); else the request is dropped unhandled (the server never acted)."""
    reached, release = threading.Event(), threading.Event()

    def hook(method: str, path: str, q: dict[str, str]) -> None:
        if not reached.is_set() and when(method, path, q):
            reached.set()
            release.wait(60)
            if not after:
                raise ConnectionAbortedError("dropped: the client was killed before")

    if after:
        wp.after_hook = hook
    else:
        wp.hook = hook
    child = start_sync(cfg, db)
    try:
        if not reached.wait(120):
            child.kill()
            out, err = child.communicate(timeout=30)
            raise AssertionError(f"the sync never reached the kill point: {out}{err}")
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        # The fetch process ends with the pipe of the sync it served.
        child.communicate(timeout=30)
    finally:
        wp.hook = wp.after_hook = None
        release.set()


def memory_rows(db: Path) -> tuple[dict[str, str], int, int]:
    """({external id: status} of source blog, responses, index entries) in the file."""
    con = sqlite3.connect(db)
    try:
        rows = dict(
            con.execute(
                "SELECT r.external_id, r.remote_status FROM responses r "
                "JOIN sources s ON s.id = r.source_id WHERE s.name = 'blog'"
            ).fetchall()
        )
        n = con.execute("SELECT count(*) FROM responses").fetchone()[0]
        fts = con.execute("SELECT count(*) FROM responses_fts").fetchone()[0]
        return rows, n, fts
    finally:
        con.close()


def _compare(out: Outcome, wp: Any, db: Path) -> None:
    truth = wp.by_status()
    rows, n, fts = memory_rows(db)
    out.lost += sum(1 for ext, status in truth.items() if rows.get(ext) != status)
    out.duplicated += max(0, n - len(truth)) + max(0, fts - n)


def sync_case(seed: int, tmp: Path, *, comments: int = 2000) -> Outcome:
    """SIGKILL at a random comment listing of a full sync; re-run; compare."""
    rng = random.Random(seed)
    pages = (comments + 99) // 100
    k = rng.randint(1, pages)
    after = rng.random() < 0.5
    out = Outcome("sync", seed, f"listing {k}/{pages} {'after' if after else 'before'}")
    with served_fakewp(comments, password=PASSWORD) as wp:
        cfg, db = sync_files(tmp, wp.base)
        seen = {"n": 0}

        def nth_listing(method: str, path: str, q: dict[str, str]) -> bool:
            if method == "GET" and path.endswith("/comments"):
                seen["n"] += 1
                return seen["n"] == k
            return False

        _kill_at(wp, cfg, db, nth_listing, after=after)
        run_sync(cfg, db)
        _compare(out, wp, db)
        again = run_sync(cfg, db)
        if "blog: 0 new, 0 updated" not in again:
            out.duplicated += 1  # a third run still found something to store
    return out


async def _decide(db: Path, wp: Any, rng: random.Random) -> tuple[dict[int, str], dict[int, str]]:
    """Moderation decisions and replies queued in the memory's outbox:
    ({comment id: status wanted}, {comment id: reply text})."""
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(db)
    try:
        ids = sorted(wp.comments)
        rng.shuffle(ids)
        decided: dict[int, str] = {}
        for cid in ids:
            if len(decided) == 4:
                break
            now = wp.comments[cid]["status"]
            want = rng.choice([s for s in DECISIONS if WP_NAME[s.value] != now])
            row = await store.get_by_external("blog", str(cid))
            await store.moderate([row.response.id], want, actor="crash")
            decided[cid] = WP_NAME[want.value]
        replies: dict[int, str] = {}
        open_posts = [c for c in ids if c not in decided and wp.comments[c]["post"] < len(wp.posts)]
        for cid in open_posts[:2]:
            text = f"Bedankt, we nemen dit mee (antwoord {seed_word(rng)})."
            row = await store.get_by_external("blog", str(cid))
            await store.reply(row.response.id, text, actor="crash")
            replies[cid] = text
        return decided, replies
    finally:
        await store.close()


def seed_word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))


def writeback_case(
    seed: int, tmp: Path, *, comments: int = 300, point: tuple[int, bool] | None = None
) -> Outcome:
    """SIGKILL at a random write-back POST (before or after the server acted); re-run;
    compare the server and the memory with what was decided. ``point`` = (k, after)
    chooses the POST instead (the four decisions come first, then the two replies)."""
    rng = random.Random(seed)
    with served_fakewp(comments, password=PASSWORD) as wp:
        cfg, db = sync_files(tmp, wp.base)
        run_sync(cfg, db)
        decided, replies = asyncio.run(_decide(db, wp, rng))
        posts = len(decided) + len(replies)
        # Seeds walk every POST at both moments (12 seeds cover all), so 20 runs never
        # miss "a reply the server created, its answer lost"; the rest is random.
        k, after = (seed % (2 * posts)) // 2 + 1, seed % 2 == 1
        if point is not None:
            k, after = point
        out = Outcome("write-back", seed, f"POST {k}/{posts} {'after' if after else 'before'}")
        changes_before = wp.status_changes
        reply_posts: list[str] = []
        seen = {"n": 0}
        lock = threading.Lock()
        original = wp.handle

        def counting(method: str, path: str, q: dict[str, str], body: Any, auth: Any) -> Any:
            if method == "POST" and path.rstrip("/").endswith("/comments"):
                with lock:
                    # Replies go as escaped HTML paragraphs (connectors/plaintext.py).
                    reply_posts.append(html_to_text(str((body or {}).get("content"))))
            return original(method, path, q, body, auth)

        wp.handle = counting

        def nth_post(method: str, path: str, q: dict[str, str]) -> bool:
            if method == "POST":
                seen["n"] += 1
                return seen["n"] == k
            return False

        _kill_at(wp, cfg, db, nth_post, after=after)
        run_sync(cfg, db)
        run_sync(cfg, db)
        wp.handle = original

        # The server: every decision visible, each status changed once, each reply once.
        for cid, status in decided.items():
            if wp.comments[cid]["status"] != status:
                out.lost += 1
        out.applied_twice += max(0, wp.status_changes - changes_before - len(decided))
        for cid, text in replies.items():
            copies = [
                c
                for c in wp.comments.values()
                if c["parent"] == cid and html_to_text(c["content"]["raw"]) == text
            ]
            if not copies:
                out.lost += 1
            out.applied_twice += max(0, len(copies) - 1)
            out.applied_twice += max(0, reply_posts.count(text) - 1)
        # The memory: equal to the server, every outbox row done, our replies handled.
        _compare(out, wp, db)
        con = sqlite3.connect(db)
        try:
            out.lost += con.execute("SELECT count(*) FROM outbox WHERE state != 'done'").fetchone()[
                0
            ]
            for text in replies.values():
                out.duplicated += con.execute(
                    "SELECT count(*) FROM responses WHERE body_text = ? AND triage = 'new'",
                    (text,),
                ).fetchone()[0]
        finally:
            con.close()
    return out
