"""Every kind of server fault, on real loopback HTTP, with two sources of which one is
faulty: the engine's loop lives on, the fault is recorded for that source as one line
without any credential, the other source syncs fully, and the faulty source recovers
once the fault is gone.

The faulty source ("blog") reaches its WordPress-shaped fake through a fault proxy
(tests/fakes/faultproxy.py); the healthy one ("site") talks to its own fake directly.
Rounds are driven by the engine's own loop; the test waits on its events (no sleeps)
and wakes the faulty source after clearing the fault.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import sqlite3
from datetime import UTC, datetime
from types import MappingProxyType

import httpx
import pytest
from fakes.faultproxy import Fault, FaultProxy
from helpers.wpsite import nosleep
from wpreal import served_fakewp

from reactieveld.cli import main
from reactieveld.config import SourceConfig, load_config
from reactieveld.connectors.http import RetryPolicy, make_client
from reactieveld.connectors.wordpress import WordPressConnector
from reactieveld.model import Source
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, SyncEvent, run_sync_command

N = 150  # two listing pages
PASSWORD = "Sup3r Secret/Pw+42"  # noqa: S105 - a test credential, checked to never show
B64 = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()


def forms():
    """Forms of the credential that must never be shown or stored."""
    return [PASSWORD, B64, B64.rstrip("="), PASSWORD.replace(" ", "%20")]


def comment_json(cid: int, text: str) -> dict:
    return {
        "id": cid,
        "post": 1,
        "parent": 0,
        "author": 0,
        "author_name": "Bewoner",
        "author_email": "b@example.org",
        "author_url": "",
        "date_gmt": "2024-01-01T10:00:00",
        "content": {"raw": text, "rendered": f"<p>{text}</p>"},
        "link": f"http://127.0.0.1/#comment-{cid}",
        "status": "approved",
        "type": "comment",
    }


JSON = {"Content-Type": "application/json; charset=UTF-8"}
PAGE = {**JSON, "X-WP-Total": "1", "X-WP-TotalPages": "1"}
FULL = json.dumps([comment_json(i, "een reactie over het fietspad") for i in range(1, 40)]).encode()

#: name -> (fault, expected words in the reason). None: a refused connection.
FAULTS = {
    "timeout": (Fault(kind="hold"), "timeout"),
    "refused": (None, "cannot connect"),
    "500": (Fault(500, b"Internal Server Error", {"Content-Type": "text/plain"}), "HTTP 500"),
    "502-html": (
        Fault(502, b"<html><body>Bad Gateway</body></html>", {"Content-Type": "text/html"}),
        "HTTP 502",
    ),
    "429": (Fault(429, b"", {"Retry-After": "3600"}), "HTTP 429"),
    "malformed": (Fault(200, b"{not json", PAGE), "malformed JSON"),
    "truncated-json": (Fault(200, FULL[: len(FULL) // 2], PAGE), "malformed JSON"),
    "cut-off": (Fault(200, FULL, PAGE, kind="truncate"), "closed the connection"),
    "html": (
        Fault(
            200,
            b"<html><h1>Error establishing a database connection</h1></html>",
            {"Content-Type": "text/html; charset=UTF-8"},
        ),
        "expected JSON but got text/html",
    ),  # fmt: skip
    "401": (
        Fault(401, b'{"code":"invalid_username","message":"Unknown username."}', JSON),
        "HTTP 401",
    ),
    "403": (
        Fault(403, b'{"code":"rest_forbidden","message":"Sorry, you are not allowed."}', JSON),
        "HTTP 403",
    ),
    "wrong-shape": (Fault(200, b'[{"no_id": 1}]', PAGE), "KeyError"),
    "wrong-shape-object": (Fault(200, b'{"comments": "none"}', PAGE), "expected a list"),
    "wrong-type": (
        Fault(200, b'[{"id": 1, "content": 7, "post": "x"}]', PAGE),
        "answer has a form reactieveld cannot read",
    ),
    # Text no UTF-8 can hold: the store keeps it repaired (U+FFFD) and counts it.
    "lone-surrogate": (
        Fault(200, json.dumps([comment_json(1, "a \ud800 b")]).encode(), PAGE),
        None,
    ),
    "invalid-utf8": (
        Fault(200, b'[{"id": 1, "content": {"rendered": "caf\xe9 \xff\xfe"}}]', PAGE),
        "malformed JSON",
    ),
    "echoed-credentials": (Fault(kind="echo_auth", headers={"Content-Type": "text/html"}), "500"),
}


@pytest.fixture(scope="module")
def sites():
    with (
        served_fakewp(N, password=PASSWORD) as blog,
        served_fakewp(N, password="other-site-pw") as site,
    ):
        yield blog, site


@pytest.fixture
def proxy(sites):
    p = FaultProxy(sites[0].base)
    p.start()
    yield p
    p.stop()


def wp_source(name, url, password, monkeypatch, *, timeout=2.0):
    var = f"TEST_FAULT_{name.upper()}_PW"
    monkeypatch.setenv(var, password)
    cfg = SourceConfig(
        name,
        "wordpress",
        3600.0,
        MappingProxyType({"url": url, "username": "admin", "password_env": var}),
    )
    client = make_client(
        name,
        auth=("admin", password),
        timeout=httpx.Timeout(timeout),
        retry=RetryPolicy(max_attempts=2),
        sleep=nosleep,
    )
    conn = WordPressConnector(name, url, username="admin", password=password, client=client)
    return cfg, conn


def stored(db, source):
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT count(*) FROM responses r JOIN sources s ON s.id = r.source_id "
            "WHERE s.name = ?",
            (source,),
        ).fetchone()[0]
    finally:
        con.close()


async def rounds(events: asyncio.Queue, *names: str) -> dict[str, list[SyncEvent]]:
    """Events until a round of each of ``names`` ended (bounded: 60 s)."""
    seen: dict[str, list[SyncEvent]] = {n: [] for n in names}
    done: set[str] = set()
    while done != set(names):
        ev = await asyncio.wait_for(events.get(), 60)
        if ev.source in seen and ev.source not in done:
            seen[ev.source].append(ev)
            if ev.kind == "round":
                done.add(ev.source)
    return seen


def assert_one_clean_line(text):
    assert text and "\n" not in text and "Traceback" not in text
    for form in forms():
        assert form not in text, form


@pytest.mark.parametrize("name", list(FAULTS))
async def test_fault_recorded_other_source_synced_then_recovery(
    name, sites, proxy, tmp_path, monkeypatch
):
    fault, expect = FAULTS[name]
    db = tmp_path / "m.db"
    store = await SqliteStore.open(db)
    timeout = 0.3 if name == "timeout" else 5.0
    blog = wp_source("blog", proxy.url, PASSWORD, monkeypatch, timeout=timeout)
    site = wp_source("site", sites[1].base, "other-site-pw", monkeypatch)
    events: asyncio.Queue[SyncEvent] = asyncio.Queue()
    engine = SyncEngine(store, [blog, site], listeners=[events])
    if fault is None:
        proxy.refuse()
    else:
        proxy.fault = fault
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    try:
        first = await rounds(events, "blog", "site")
        assert not task.done()  # the engine lives on
        errors = [e for e in first["blog"] if e.kind == "error"]
        if expect is None:
            assert not errors, first["blog"]
            assert stored(db, "blog") == 1
            assert (await store.source_state("blog")).repaired >= 1  # texts, not comments
            errors = [SyncEvent("blog", "error", error="(stored)")]
        else:
            assert len(errors) == 1 and (expect or "") in errors[0].error, first["blog"]
            assert (await store.source_state("blog")).last_error == errors[0].error
        assert_one_clean_line(str(errors[0]))
        state = await store.source_state("blog")
        if state.last_error is not None:
            assert state.next_try is not None and state.next_try > state.last_error_at
        if name == "429":  # the server's wish is the next try
            assert (state.next_try - state.last_error_at).total_seconds() >= 3599
        # The other source is untouched by it.
        assert not [e for e in first["site"] if e.kind == "error"]
        assert stored(db, "site") == N
        assert (await store.source_state("site")).last_error is None

        # The fault goes away: the next round of the faulty source catches up.
        if fault is None:
            proxy.accept()
        proxy.fault = None
        proxy.release()
        engine.wake("blog")
        again = await rounds(events, "blog")
        assert not [e for e in again["blog"] if e.kind == "error"], again
        assert (await store.source_state("blog")).last_error is None
        assert stored(db, "blog") == N
        assert not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await engine.aclose()
        await store.close()


async def test_store_write_failure_is_recorded_and_recovers(sites, proxy, tmp_path, monkeypatch):
    """A full disk (or a read-only file) during the store's write: recorded for that
    source, the other source goes on, and it recovers when the disk has room again."""
    db = tmp_path / "m.db"
    store = await SqliteStore.open(db)
    blog = wp_source("blog", proxy.url, PASSWORD, monkeypatch)
    site = wp_source("site", sites[1].base, "other-site-pw", monkeypatch)
    events: asyncio.Queue[SyncEvent] = asyncio.Queue()
    engine = SyncEngine(store, [blog, site], listeners=[events])
    real = store.upsert_page

    async def full_disk(source, page, **options):
        if source == "blog":
            raise OSError(28, "No space left on device")
        return await real(source, page, **options)

    monkeypatch.setattr(store, "upsert_page", full_disk)
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    try:
        first = await rounds(events, "blog", "site")
        [error] = [e for e in first["blog"] if e.kind == "error"]
        assert error.error == "unexpected OSError: [Errno 28] No space left on device"
        assert (await store.source_state("blog")).last_error == error.error
        assert stored(db, "site") == N and stored(db, "blog") == 0
        assert not task.done()

        monkeypatch.setattr(store, "upsert_page", real)
        engine.wake("blog")
        again = await rounds(events, "blog")
        assert not [e for e in again["blog"] if e.kind == "error"]
        assert stored(db, "blog") == N
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await engine.aclose()
        await store.close()


async def test_sqlite_full_is_recorded(sites, tmp_path, monkeypatch):
    """The store's own "database or disk is full" (max_page_count reached)."""
    db = tmp_path / "m.db"
    store = await SqliteStore.open(db)
    site = wp_source("site", sites[1].base, "other-site-pw", monkeypatch)
    engine = SyncEngine(store, [site])
    await store.ensure_source(Source("site", "wordpress"))
    pages = await store.read(lambda db: db.execute("PRAGMA page_count").fetchone()[0])
    await store.read(lambda db: db.execute(f"PRAGMA max_page_count = {pages + 1}").fetchone())
    try:
        res = await engine.sync_source("site")
        assert not res.ok and "full" in res.error and "\n" not in res.error
        await store.read(lambda db: db.execute("PRAGMA max_page_count = 1073741823").fetchone())
        res = await engine.sync_source("site")
        assert res.ok and stored(db, "site") == N
    finally:
        await engine.aclose()
        await store.close()


def write_config(tmp_path, blog_url, site_url, *, fetch_process=True):
    cfg = tmp_path / "reactieveld.toml"
    fp = "" if fetch_process else "fetch_process = false\n"
    cfg.write_text(
        "[[sources]]\n"
        'name = "blog"\ntype = "wordpress"\n'
        f'url = "{blog_url}"\nusername = "admin"\npassword_env = "TEST_FAULT_BLOG_PW"\n'
        f"{fp}"
        "[[sources]]\n"
        'name = "site"\ntype = "wordpress"\n'
        f'url = "{site_url}"\nusername = "admin"\npassword_env = "TEST_FAULT_SITE_PW"\n'
        f"{fp}"
    )
    return cfg


@pytest.mark.parametrize("fetch_process", [True, False])
def test_echoed_credentials_never_printed_nor_stored(
    sites, proxy, tmp_path, monkeypatch, fetch_process
):
    """A server that answers 500 with the request's Authorization header in its body:
    ``sync --once`` prints one line per source and exits 1; neither what it printed nor
    sources.last_error in the SQLite file holds any form of the credential."""
    monkeypatch.setenv("TEST_FAULT_BLOG_PW", PASSWORD)
    monkeypatch.setenv("TEST_FAULT_SITE_PW", "other-site-pw")
    proxy.fault = Fault(kind="echo_auth", headers={"Content-Type": "text/html"})
    cfg = write_config(tmp_path, proxy.url, sites[1].base, fetch_process=fetch_process)
    db = tmp_path / "m.db"
    out = io.StringIO()
    code = run_sync_command(load_config(cfg), db, once=True, out=out)
    printed = out.getvalue()
    assert code == 1
    assert "blog: error:" in printed and "HTTP 500" in printed
    assert f"site: {N} new, 0 updated" in printed
    assert "Traceback" not in printed
    con = sqlite3.connect(db)
    try:
        [(stored_error,)] = con.execute("SELECT last_error FROM sources WHERE name = 'blog'")
        dump = "\n".join(con.iterdump())
    finally:
        con.close()
    assert "Authorization: Basic ***" in stored_error
    for form in forms():
        assert form not in printed, form
        assert form not in stored_error, form
        assert form not in dump, form


@pytest.mark.parametrize("fetch_process", [True, False])
def test_wrong_shape_in_either_process_is_one_line(
    sites, proxy, tmp_path, monkeypatch, fetch_process
):
    """``[{"no_id": 1}]`` (a KeyError in the connector) in the fetch process or in the
    engine's own: the same one line, saying what is wrong and what to do (not Python's
    "unexpected KeyError"), exit 1, the other source synced."""
    monkeypatch.setenv("TEST_FAULT_BLOG_PW", PASSWORD)
    monkeypatch.setenv("TEST_FAULT_SITE_PW", "other-site-pw")
    proxy.fault = Fault(200, b'[{"no_id": 1}]', PAGE)
    cfg = write_config(tmp_path, proxy.url, sites[1].base, fetch_process=fetch_process)
    db = tmp_path / "m.db"
    out = io.StringIO()
    assert run_sync_command(load_config(cfg), db, once=True, out=out) == 1
    printed = out.getvalue()
    assert (
        "blog: error: the platform's answer has a form reactieveld cannot read (KeyError: 'id'); "
        "check that the source's url and type are this site's; if they are, report this line"
    ) in printed, printed
    assert f"site: {N} new, 0 updated" in printed
    assert "Traceback" not in printed
    proxy.fault = None
    out = io.StringIO()  # the backoff's next try is ahead: skipped without --now
    assert run_sync_command(load_config(cfg), db, once=True, out=out) == 0, out.getvalue()
    assert "blog: skipped, the last round failed" in out.getvalue()
    assert "use --now to try anyway" in out.getvalue()
    out = io.StringIO()
    assert run_sync_command(load_config(cfg), db, once=True, out=out, now=True) == 0
    assert f"blog: {N} new, 0 updated" in out.getvalue(), out.getvalue()


def test_sync_once_respects_a_stored_retry_after(sites, proxy, tmp_path, monkeypatch, capsys):
    """After a 429 with ``Retry-After: 3600`` the next ``sync --once`` (a cron job) sends
    the server nothing for that source and says until when; ``--now`` knocks anyway."""
    monkeypatch.setenv("TEST_FAULT_BLOG_PW", PASSWORD)
    monkeypatch.setenv("TEST_FAULT_SITE_PW", "other-site-pw")
    proxy.fault = Fault(429, b"", {"Retry-After": "3600"})
    cfg = write_config(tmp_path, proxy.url, sites[1].base, fetch_process=False)
    db = tmp_path / "m.db"
    out = io.StringIO()
    assert run_sync_command(load_config(cfg), db, once=True, out=out) == 1
    assert "HTTP 429 (retry after 3600 s)" in out.getvalue()
    con = sqlite3.connect(db)
    [(next_try,)] = con.execute("SELECT next_try FROM sources WHERE name = 'blog'")
    con.close()
    until = datetime.fromtimestamp(next_try, UTC)

    before = proxy.requests
    out = io.StringIO()
    days = {datetime.now(UTC).date()}
    assert run_sync_command(load_config(cfg), db, once=True, out=out) == 0
    days.add(datetime.now(UTC).date())
    # The hour; the date before it when the wait ends on another day than the run's (in
    # the hour before midnight UTC). A run across midnight may say either.
    said = {until.strftime("%H:%M" if until.date() == d else "%Y-%m-%d %H:%M") for d in days}
    assert proxy.requests == before  # not one request to the server that asked to wait
    assert any(
        f"blog: skipped, the server asked to wait until {when} UTC (Retry-After); "
        "use --now to try anyway" in out.getvalue()
        for when in said
    ), out.getvalue()
    assert "site: 0 new, 0 updated" in out.getvalue()  # the others still synced

    # `reactieveld sources` shows the stored reason; `sync --once --now` knocks anyway.
    capsys.readouterr()
    assert main(["--config", str(cfg), "--db", str(db), "sources"]) == 0
    listed = capsys.readouterr().out
    assert "error: GET" in listed and "HTTP 429 (retry after 3600 s)" in listed
    assert main(["--config", str(cfg), "--db", str(db), "sync", "--once", "--now"]) == 1
    assert proxy.requests > before and "skipped" not in capsys.readouterr().out
