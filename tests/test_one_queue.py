"""Issue 5, "done when": a WordPress source and the three portal sources in one config
sync into one queue, and moderation works where the platform allows it.

Everything is real except the platforms themselves where we cannot run them: the
WordPress is the real one of tools/wp-real when ``WP_URL`` is set (else the
WordPress-shaped server of tools/wp-real/fakewp.py), the portals are the fakes of
tests/fakes on 127.0.0.1. The config is a real TOML file with secrets only in
environment variables, and the sync is the real ``reactieveld sync --once`` command in
a subprocess, writing a real SQLite file. Moderation goes through the store (as the UI
does) and is written back by the next ``reactieveld sync --once`` (which runs the outbox).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fakes import portal_sources, seed_decidim, seed_discourse, seed_govocal
from fakes.decidim import FakeDecidim
from fakes.discourse import FakeDiscourse
from fakes.govocal import FakeGoVocal
from wpreal import WP, served_fakewp

from reactieveld.config import load_config
from reactieveld.model import Capability, OutboxState, RemoteStatus
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import build_connector

SECRETS = {
    "RV_BLOG_PASSWORD": None,  # filled in by the wordpress fixture
    "RV_FORUM_KEY": "forum-key-1",
    "RV_DECIDIM_KEY": "decidim-key-1",
    "RV_DECIDIM_SECRET": "decidim-secret-1",
    "RV_GOVOCAL_ID": "govocal-client-1",
    "RV_GOVOCAL_SECRET": "govocal-secret-1",
}
FAKE_WP_PASSWORD = "fake-app-pass 1234"


@pytest.fixture
def wordpress():
    """The real WordPress when the environment names one, else the local fake."""
    url, user, pw = (os.environ.get(k) for k in ("WP_URL", "WP_USER", "WP_APP_PASSWORD"))
    if url and user and pw:
        assert url.startswith(("http://127.0.0.1", "http://localhost")), "loopback only"
        try:
            httpx.get(url.rstrip("/") + "/wp-json/", timeout=5)
        except httpx.HTTPError:
            pytest.fail(f"WP_URL={url} is set but WordPress does not answer there")
        yield WP(url, user, pw, None), "real"
        return
    with served_fakewp(250, password=FAKE_WP_PASSWORD) as fake:
        yield WP(fake.base, "admin", FAKE_WP_PASSWORD, None), "fake"


@pytest.fixture
def portals():
    forum = FakeDiscourse(api_key=SECRETS["RV_FORUM_KEY"], api_username="moderator")
    decidim = FakeDecidim(
        api_key=SECRETS["RV_DECIDIM_KEY"], api_secret=SECRETS["RV_DECIDIM_SECRET"]
    )
    govocal = FakeGoVocal(
        client_id=SECRETS["RV_GOVOCAL_ID"], client_secret=SECRETS["RV_GOVOCAL_SECRET"]
    )
    with forum, decidim, govocal:
        yield forum, decidim, govocal


def seed_portals(forum: FakeDiscourse, decidim: FakeDecidim, govocal: FakeGoVocal) -> dict:
    """A little of each platform; returns the ids the test moderates."""
    forum_ids = seed_discourse(forum)
    return {
        "forum_post": forum_ids["first"]["id"],
        "queued": forum_ids["queued"],
        "decidim_top": seed_decidim(decidim),
        "gv": seed_govocal(govocal),
    }


def write_config(path: Path, wp: WP, forum, decidim, govocal) -> Path:
    portals, _ = portal_sources(forum, decidim, govocal)
    path.write_text(
        f"""
[[sources]]
name = "blog"
type = "wordpress"
url = "{wp.url}"
username = "{wp.user}"
password_env = "RV_BLOG_PASSWORD"
"""
        + portals,
        encoding="utf-8",
    )
    return path


def cli() -> list[str]:
    """The installed ``reactieveld`` console script (the real entry point)."""
    beside = Path(sys.executable).with_name("reactieveld")
    found = str(beside) if beside.exists() else shutil.which("reactieveld")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from reactieveld.cli import main; sys.exit(main())"]


def run_sync(cfg: Path, db: Path, env: dict[str, str]) -> str:
    """``reactieveld sync --once --config cfg --db db``; returns stdout, asserts exit 0."""
    proc = subprocess.run(
        [*cli(), "sync", "--once", "--config", str(cfg), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def source_lines(out: str) -> dict[str, tuple[int, int]]:
    """The per-source summary lines ``name: N new, M updated`` of ``sync --once``."""
    found = {}
    for m in re.finditer(r"^(\w+): (\d+) new, (\d+) updated$", out, re.MULTILINE):
        found[m[1]] = (int(m[2]), int(m[3]))
    return found


def forum_truth(forum: FakeDiscourse) -> int:
    """What the forum holds that a moderator sees: text posts + the pending queue."""
    posts = sum(1 for p in forum.posts.values() if not p["deleted_at"] and p["post_type"] != 3)
    queued = sum(
        1
        for rv in forum.reviewables.values()
        if rv["type"] == "ReviewableQueuedPost" and rv["status"] == 0
    )
    return posts + queued


def decidim_truth(decidim: FakeDecidim) -> int:
    return sum(1 for c in decidim.comments.values() if not c.get("hidden"))


def wp_status(wp: WP, comment_id: str) -> str:
    with wp.client() as c:
        r = c.get(f"comments/{comment_id}", params={"context": "edit", "_fields": "id,status"})
        r.raise_for_status()
        return r.json()["status"]


def wp_set_status(wp: WP, comment_id: str, status: str) -> None:
    with wp.client() as c:
        c.post(f"comments/{comment_id}", json={"status": status}).raise_for_status()


# On the real WordPress (WP_URL set) it moderates the site's comments: in the one worker
# of the wordpress group, never beside a test that compares the whole site.
@pytest.mark.wordpress
async def test_wordpress_and_three_portals_in_one_queue(
    tmp_path: Path, wordpress, portals, monkeypatch
):
    wp, kind = wordpress
    forum, decidim, govocal = portals
    ids = seed_portals(forum, decidim, govocal)
    secrets = {**SECRETS, "RV_BLOG_PASSWORD": wp.password}
    for k, v in secrets.items():
        monkeypatch.setenv(k, v)
    env = {**os.environ, **secrets}
    cfg = write_config(tmp_path / "reactieveld.toml", wp, forum, decidim, govocal)
    db = tmp_path / "memory.db"
    # Secrets live in the environment only: neither in the config nor in the store.
    text = cfg.read_text(encoding="utf-8")
    assert all(v not in text for v in secrets.values())

    # --- 1. one sync: every source into the one queue ------------------------------
    wp_truth = wp.truth()
    out = run_sync(cfg, db, env)
    lines = source_lines(out)
    expected = {
        "blog": len(wp_truth),
        "forum": forum_truth(forum),
        "portaal": decidim_truth(decidim),
        "participatie": len(govocal.comments),
    }
    assert expected["forum"] == 6 and expected["portaal"] == 3 and expected["participatie"] == 2
    assert {name: new for name, (new, _) in lines.items()} == expected, out
    assert "error" not in out

    store = await SqliteStore.open(db)
    try:
        counts = await store.counts()
        assert dict(counts.by_source) == expected
        assert counts.total == sum(expected.values())
        # The blog's statuses are WordPress's own, comment for comment.
        statuses = await store.external_statuses("blog")
        assert {k: v.value for k, v in statuses.items()} == wp_truth
    finally:
        await store.close()
    for value in secrets.values():
        assert value.encode() not in db.read_bytes()

    # --- 2. a second run adds nothing ----------------------------------------------
    out = run_sync(cfg, db, env)
    assert {name: new for name, (new, _) in source_lines(out).items()} == dict.fromkeys(
        expected, 0
    ), out

    # --- 3. what each source can do, and why not ------------------------------------
    config = load_config(cfg)
    connectors = {s.name: build_connector(s) for s in config.sources}
    try:
        caps = {name: c.capabilities for name, c in connectors.items()}
        assert caps["blog"] >= {Capability.APPROVE, Capability.HOLD, Capability.REPLY}
        assert Capability.APPROVE in caps["forum"]
        assert caps["participatie"] == frozenset()
        assert "read-only" in connectors["participatie"].unsupported_reasons[Capability.APPROVE]
        assert Capability.HIDE not in caps["portaal"]
        hide_reason = connectors["portaal"].unsupported_reasons[Capability.HIDE]
        assert "no moderation" in hide_reason
    finally:
        for c in connectors.values():
            await c.aclose()

    # --- 4. moderation through the store, written back by the next sync --------------
    held = next(i for i, s in sorted(wp_truth.items(), key=lambda x: int(x[0])) if s == "hold")
    store = await SqliteStore.open(db)
    try:
        blog_row = await store.get_by_external("blog", held)
        queued_row = await store.get_by_external("forum", f"queued-{ids['queued']}")
        gv_row = await store.get_by_external("participatie", ids["gv"])
        decidim_row = await store.get_by_external("portaal", ids["decidim_top"])
        assert blog_row and queued_row and gv_row and decidim_row
        assert queued_row.response.remote_status is RemoteStatus.HOLD
        await store.moderate([blog_row.response.id], RemoteStatus.APPROVED, actor="test")
        await store.moderate([queued_row.response.id], RemoteStatus.APPROVED, actor="test")
        await store.moderate([gv_row.response.id], RemoteStatus.TRASH, actor="test")
        await store.moderate([decidim_row.response.id], RemoteStatus.HIDDEN, actor="test")
    finally:
        await store.close()

    try:
        out = run_sync(cfg, db, env)
        assert "outbox: 2 applied, 0 to retry, 2 failed, 0 conflicts" in out, out

        # Visible on the platforms that allow it.
        assert wp_status(wp, held) == "approved"
        rv = forum.reviewables[ids["queued"]]
        assert rv["status"] == 1  # approved in Discourse's review queue...
        published = [p for p in forum.posts.values() if p["raw"].startswith("Mijn eerste")]
        assert len(published) == 1 and not published[0]["hidden"]  # ...and published

        # Refused where the platform does not allow it, with the reason, not retried.
        store = await SqliteStore.open(db)
        try:
            items = await store.outbox_items(limit=10)
            by_source = {i.action.source: i for i in items}
            assert by_source["blog"].state is OutboxState.DONE
            assert by_source["forum"].state is OutboxState.DONE
            gv = by_source["participatie"]
            assert gv.state is OutboxState.FAILED and gv.attempts <= 1
            assert "read-only" in (gv.last_error or "")
            dc = by_source["portaal"]
            assert dc.state is OutboxState.FAILED
            assert hide_reason in (dc.last_error or "")
            row = await store.get_by_external("blog", held)
            assert row and row.response.remote_status is RemoteStatus.APPROVED
        finally:
            await store.close()
        # Nothing stays due: the next run attempts nothing.
        out = run_sync(cfg, db, env)
        assert "outbox:" not in out, out
        # The published post is the same response as the queued one (tags and journal
        # stay with it), not a second copy of the same words in the queue.
        store = await SqliteStore.open(db)
        try:
            assert await store.get_by_external("forum", f"queued-{ids['queued']}") is None
            row = await store.get_by_external("forum", str(published[0]["id"]))
            assert row is not None and row.response.id == queued_row.response.id
            assert row.response.remote_status is RemoteStatus.APPROVED
            hits = await store.search("eerste bericht markt zaterdag")
            assert len(hits) == 1
        finally:
            await store.close()
    finally:
        if kind == "real":
            # Leave the shared WordPress as it was seeded.
            await asyncio.to_thread(wp_set_status, wp, held, "hold")
