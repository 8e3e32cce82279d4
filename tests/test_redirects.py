"""A server that sends a source on to another address (3xx with a Location), over real
HTTP on 127.0.0.1 (a redirecting proxy and a second server).

httpx follows a redirect to another host without the credentials (the source then sees
401s or another site's pages), one from http to https with them after sending them in
clear, and a write-back redirected by 301/302 as a GET. reactieveld follows none of
them: the round (or the decision) ends with one line naming the source and the address
to set its url to; the other source syncs, its decision goes through, and the
redirected decision waits (it is not failed for good: the server did not act on it).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fakes.faultproxy import Fault, FaultProxy
from helpers.twosources import (
    HEALTHY,
    HEALTHY_PASSWORD,
    error_lines,
    scratch,
    stored_error,
    sync_once,
    wp_block,
)

from reactieveld.config import load_config
from reactieveld.model import RemoteStatus
from reactieveld.outbox import OutboxWorker
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine

SENT = "the server sent us to "


@pytest.mark.parametrize(
    ("status", "to"),
    [(301, "other host"), (308, "https")],
)
def test_a_redirect_to_another_origin_is_one_line(healthy_site, status, to) -> None:
    proxy = FaultProxy(healthy_site.base, where=lambda method, path: True)
    proxy.start()
    try:
        there = healthy_site.base if to == "other host" else proxy.url.replace("http:", "https:")
        proxy.fault = Fault(status, b"", {"Location": there + "/wp-json/"})
        block = wp_block("moved", proxy.url, "TEST_MOVED_PW")
        code, printed, db = sync_once(block, {"TEST_MOVED_PW": HEALTHY_PASSWORD}, healthy_site)
    finally:
        proxy.stop()
    assert "Traceback" not in printed
    assert f"site: {HEALTHY} new, 0 updated" in printed, printed
    assert code == 1, printed
    [line] = error_lines(printed, "moved")
    said = line.split(": error: ", 1)[1]
    assert f"{SENT}{there}/ (HTTP {status})" in said, said
    assert "set the source's url to that address" in said, said
    assert stored_error(db, "moved") == said


@pytest.mark.parametrize("status", [301])
def test_a_redirected_decision_waits_and_the_other_goes_through(healthy_site, status) -> None:
    proxy = FaultProxy(healthy_site.base, where=lambda method, path: method != "GET")
    proxy.start()
    tmp = scratch("rv-redirect-")
    cfg = tmp / "reactieveld.toml"
    blocks = wp_block("moved", proxy.url, "TEST_MOVED_PW") + wp_block(
        "site", healthy_site.base, "TEST_MOVED_PW"
    )
    cfg.write_text(blocks + "fetch_process = false\n", encoding="utf-8")

    async def run() -> tuple[Any, dict[str, Any]]:
        store = await SqliteStore.open(tmp / "m.db")
        engine = SyncEngine.from_config(load_config(cfg), store)
        try:
            for name in ("moved", "site"):
                assert (await engine.sync_source(name)).ok
                row = await store.get_by_external(name, str(min(healthy_site.comments)))
                assert row is not None
                now = row.response.remote_status
                to = RemoteStatus.SPAM if now is RemoteStatus.APPROVED else RemoteStatus.APPROVED
                await store.moderate([row.response.id], to, actor="t")
            proxy.fault = Fault(status, b"", {"Location": healthy_site.base + "/wp-json/"})
            result = await OutboxWorker(store, engine.connectors).run_once()
            return result, {i.action.source: i for i in await store.outbox_items()}
        finally:
            await engine.aclose()
            await store.close()

    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TEST_MOVED_PW", HEALTHY_PASSWORD)
            result, items = asyncio.run(run())
    finally:
        proxy.stop()
    assert (result.attempted, result.done, result.retry) == (2, 1, 1), result
    assert items["site"].state.value == "done"
    moved = items["moved"]
    assert moved.state.value != "failed", moved
    assert moved.last_error is not None and "\n" not in moved.last_error
    assert f"{SENT}{healthy_site.base}/ (HTTP {status})" in moved.last_error
    assert proxy.faulted == 1  # not resent in the same pass


def test_a_redirect_within_the_origin_is_followed(healthy_site) -> None:
    """An old path sent on to the site's root on the same host and port: followed, with
    the credentials (the listing of every status needs them), and the source syncs."""
    proxy = FaultProxy(healthy_site.base, where=lambda method, path: path.startswith("/old"))
    proxy.start()
    try:
        proxy.fault = Fault(301, b"", {"Location": "/"})
        block = wp_block("moved", proxy.url + "/old/", "TEST_MOVED_PW")
        code, printed, _db = sync_once(block, {"TEST_MOVED_PW": HEALTHY_PASSWORD}, healthy_site)
    finally:
        proxy.stop()
    assert code == 0, printed
    assert f"moved: {HEALTHY} new, 0 updated" in printed, printed
    assert proxy.faulted >= 1
