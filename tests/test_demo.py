"""The demo source: deterministic, Dutch, nested, with organisation replies and hostile text."""

from __future__ import annotations

from reactieveld.connectors.demo import HOSTILE, TOWNS, DemoConnector
from reactieveld.model import Action, Capability, RemoteStatus, Source
from reactieveld.reports.redact import name_index, redact_names
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore


async def _all_pages(connector: DemoConnector, cursor: str | None = None):
    return [page async for page in connector.fetch(cursor)]


async def test_same_seed_same_data_other_seed_other_data() -> None:
    a = await _all_pages(DemoConnector(count=300, seed=1))
    b = await _all_pages(DemoConnector(count=300, seed=1))
    c = await _all_pages(DemoConnector(count=300, seed=2))
    flat = [r for p in a for r in p.responses]
    assert flat == [r for p in b for r in p.responses]
    assert [r.body_text for r in flat] != [r.body_text for p in c for r in p.responses]
    assert len(flat) == 300
    assert len({r.external_id for r in flat}) == 300
    # Oldest first, so the newest response has the latest time.
    assert [r.created_at for r in flat] == sorted(r.created_at for r in flat)


async def test_pages_carry_cursor_and_threads_once() -> None:
    pages = await _all_pages(DemoConnector(count=250, seed=1))
    assert [p.next_cursor for p in pages] == ["100", "200", "250"]
    assert [p.done for p in pages] == [False, False, True]
    thread_ids = [t.external_id for p in pages for t in p.threads]
    assert len(thread_ids) == len(set(thread_ids))
    used = {r.thread_external_id for p in pages for r in p.responses}
    assert used <= set(thread_ids)
    # A second round from the stored cursor brings nothing new.
    again = await _all_pages(DemoConnector(count=250, seed=1), pages[-1].next_cursor)
    assert [len(p.responses) for p in again] == [0]


async def test_content_is_a_real_dialogue() -> None:
    rows = [r for p in await _all_pages(DemoConnector(count=500, seed=1)) for r in p.responses]
    by_id = {r.external_id: r for r in rows}
    replies = [r for r in rows if r.parent_external_id]
    assert len(replies) > 50
    # Parents exist and live in the same thread.
    for r in replies:
        parent = by_id[r.parent_external_id]
        assert parent.thread_external_id == r.thread_external_id
    roles = {r.role_hint for r in rows if r.role_hint}
    assert {"raad", "college", "ambtenaar"} <= roles
    statuses = {r.remote_status for r in rows}
    assert {RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM} <= statuses
    bodies = {r.body_text for r in rows}
    assert set(HOSTILE) <= bodies  # every hostile text appears in 500 responses
    assert any("gemeente" in b for b in bodies)
    # Citizens have an e-mail address (the store keeps only a keyed hash of it).
    assert all(r.author_email for r in rows if not r.role_hint)


async def test_millions_are_generated_page_by_page() -> None:
    connector = DemoConnector(count=3_000_000, seed=7)
    pages = connector.fetch(None)
    first = await anext(pages)
    await pages.aclose()
    assert len(first.responses) == 100
    assert first.next_cursor == "100"
    last = connector.response(2_999_999)
    assert last.external_id == "c2999999"
    assert last.created_at > first.responses[0].created_at


async def test_trickle_adds_new_responses_each_round() -> None:
    connector = DemoConnector(count=10, seed=1, trickle=3)
    first = await _all_pages(connector)
    assert sum(len(p.responses) for p in first) == 10
    second = await _all_pages(connector, first[-1].next_cursor)
    assert [r.external_id for p in second for r in p.responses] == ["c10", "c11", "c12"]
    assert second[-1].next_cursor == "13"


async def test_apply_plays_the_platform() -> None:
    connector = DemoConnector(count=1)
    result = await connector.apply(Action(Capability.SPAM, "demo", "c0"))
    assert result.remote_status is RemoteStatus.SPAM
    reply = await connector.apply(Action(Capability.REPLY, "demo", "c0", text="Dank!"))
    assert reply.external_id and reply.remote_status is RemoteStatus.APPROVED
    assert connector.capabilities == frozenset(Capability)


async def test_demo_into_the_store_roundtrip(tmp_path) -> None:
    store = await SqliteStore.open(tmp_path / "demo.db")
    try:
        await store.ensure_source(Source("demo", "demo"))
        connector = DemoConnector(count=200, seed=1)
        pages = await _all_pages(connector)
        for page in pages:
            await store.upsert_page("demo", page)
        # Addresses that nobody wrote into a text of their own.
        texts = " ".join(r.body_text for p in pages for r in p.responses)
        emails = {
            r.author_email.encode()
            for p in pages
            for r in p.responses
            if r.author_email and r.author_email not in texts
        }
        counts = await store.counts()
        assert counts.total == 200
        assert sum(counts.by_role.values()) > 0  # role hints became role tags
        hits = await store.search("gemeente")
        assert hits
        raw = (tmp_path / "demo.db").read_bytes() + (tmp_path / "demo.db-wal").read_bytes()
        assert emails and not [e for e in emails if e in raw]  # only keyed hashes are stored
        rows = await store.queue(QueueFilter(), limit=5)
        assert rows[0].response.external_id == "c199"  # newest first
    finally:
        await store.close()


async def test_the_demo_authors_leave_its_towns_in_a_redacted_report() -> None:
    """Every demo author name is a known name to a report's redaction: none of them may
    make a town of the demo a name, or its report says "Als bewoner van E." (an org
    voice signed "Raadslid Eemnes": a title and the surname Eemnes)."""
    rows = [r for p in await _all_pages(DemoConnector(count=500, seed=1)) for r in p.responses]
    index = name_index(tuple({r.author_name for r in rows}))
    for town in TOWNS:
        for sentence in (f"Als bewoner van {town} volg ik dit.", f"Ik woon in {town}, al jaren."):
            assert redact_names(sentence, index) == sentence
