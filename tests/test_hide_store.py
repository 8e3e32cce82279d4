"""A hide decision in the store, on both backends (issue 16): journal with its reason,
an outbox row with capability hide, and where a hidden response is counted and queued
(out of New and Reported, in All and under the status filter "hidden"; no tab of its
own); undo puts it back."""

from __future__ import annotations

import json
from dataclasses import replace

from helpers.store import open_store, page, resp, sql

from reactieveld.model import DecisionReason, RemoteStatus, TriageState
from reactieveld.store.base import QueueFilter

HIDDEN = RemoteStatus.HIDDEN


async def _ids(store, flt: QueueFilter) -> list[str]:
    return [r.response.external_id for r in await store.queue(flt)]


async def test_a_hide_is_journalled_queued_counted_and_undone(store_target):
    store = await open_store(store_target)
    try:
        await store.upsert_page(
            "forum",
            page(
                replace(resp("f1", "scheldpartij", source="forum", minutes=1), meta={"reports": 2}),
                resp("f2", "gewoon", source="forum", minutes=2),
            ),
        )
        f1 = (await store.get_by_external("forum", "f1")).response.id
        before = await store.counts()
        assert before.reported == 1 and before.by_triage.get("new") == 2

        why = DecisionReason("insult", None, "Belediging of discriminatie")
        outcome = await store.moderate([f1], HIDDEN, actor="anna", reason=why)
        assert outcome.changed == 1
        [(reason, after)] = await sql(
            store, "SELECT reason, after FROM actions WHERE kind = 'moderate'"
        )
        assert reason == "insult" and json.loads(after)["status"] == "hidden"
        [(capability, expected, meta)] = await sql(
            store, "SELECT capability, expected_status, meta FROM outbox"
        )
        assert (capability, expected) == ("hide", "approved")
        assert json.loads(meta)["reason"] == "insult"

        counts = await store.counts()
        assert counts.by_status.get("hidden") == 1
        assert counts.reported == 0 and counts.by_triage.get("new") == 1
        assert counts.total == 2
        assert await _ids(store, QueueFilter(triage=TriageState.NEW)) == ["f2"]
        assert await _ids(store, QueueFilter(reported=True, triage=TriageState.NEW)) == []
        assert "f1" in await _ids(store, QueueFilter())
        assert await _ids(store, QueueFilter(statuses=(HIDDEN,))) == ["f1"]
        assert await store.count(QueueFilter(statuses=(HIDDEN,))) == 1

        undone = await store.undo_last(actor="anna")
        assert undone.changed == 1
        row = await store.get(f1)
        assert row.response.remote_status is RemoteStatus.APPROVED
        assert row.response.triage is TriageState.NEW
        assert (await store.counts()).reported == 1
        # Not sent yet: the undo cancels the write-back instead of reversing it.
        assert await sql(store, "SELECT capability, state FROM outbox") == [("hide", "cancelled")]
    finally:
        await store.close()
