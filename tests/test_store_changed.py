"""Who changed a response after a moderator saw it (issue 13), as the store tells it
(``Store.changed_since``), on both backends: another moderator's journal entry, the
platform's change a sync stored, both in either order, the moderator's own write-back
that the platform answered with another status, and nothing.

Each case is a list of steps after bram saw the row; the store's answer is compared
whole."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from helpers.data import sample_responses
from helpers.store import page

from reactieveld.model import RemoteStatus
from reactieveld.store.base import QueueFilter
from reactieveld.store.values import ChangedSince

SPAM, HOLD, TRASH = RemoteStatus.SPAM, RemoteStatus.HOLD, RemoteStatus.TRASH


async def anna_decides(s: Any, rid: int, fresh: Any) -> None:
    await s["anna"].moderate([rid], SPAM, actor="anna", write_back=False)


async def anna_tags(s: Any, rid: int, fresh: Any) -> None:
    await s["anna"].toggle_question([rid], "4", actor="anna")


async def site_status(s: Any, rid: int, fresh: Any) -> None:
    await s["anna"].upsert_page("blog", page(replace(fresh, remote_status=TRASH)))


async def site_text(s: Any, rid: int, fresh: Any) -> None:
    text = fresh.body_text + " (aangevuld)"
    await s["anna"].upsert_page("blog", page(replace(fresh, body_text=text, body_raw=text)))


async def site_same(s: Any, rid: int, fresh: Any) -> None:
    await s["anna"].upsert_page("blog", page(fresh))  # fetched again, unchanged


async def written_back_as_trash(s: Any, rid: int, fresh: Any) -> None:
    [item] = await s["bram"].outbox_items(states=["pending"])
    await s["bram"].outbox_done(item.id, remote_status=TRASH)


#: The steps after bram saw the row (after his own hold decision, in "own"), and what
#: the store says of them.
CASES = {
    "anna": ([anna_decides], {"by": ("anna",)}),
    "anna twice": ([anna_tags, anna_decides], {"by": ("anna",)}),
    "site status": ([site_status], {"site": "blog", "site_last": True}),
    "site text": ([site_text], {"site": "blog", "site_last": True}),
    "anna then site": (
        [anna_tags, site_text],
        {"by": ("anna",), "site": "blog", "site_last": True},
    ),
    "site then anna": ([site_status, anna_tags], {"by": ("anna",), "site": "blog"}),
    "own write-back": ([written_back_as_trash], {"written_back": "bram"}),
    "refetch": ([site_same], None),
    "nothing": ([], None),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_who_changed_a_row_since_it_was_seen(moderators, case):
    anna, bram = await moderators("anna", "bram")
    stores = {"anna": anna, "bram": bram}
    rows = [r.response for r in await bram.queue(QueueFilter(), limit=100)]
    target = next(r for r in rows if r.remote_status is not HOLD)
    [fresh] = [r for r in sample_responses()[0] if r.external_id == target.external_id]
    # An older entry of anna's, before bram saw it: never named for what came after.
    await anna.toggle_question([target.id], "1", actor="anna")
    if case == "own write-back":
        await bram.moderate([target.id], HOLD, actor="bram")
        fresh = replace(fresh, remote_status=HOLD)
    seen = {target.id: (await bram.get(target.id)).version}
    steps, said = CASES[case]
    for step in steps:
        await step(stores, target.id, fresh)
    expected = {} if said is None else {target.id: ChangedSince(target.id, **said)}
    assert await bram.changed_since(seen) == expected
    assert await anna.changed_since(seen) == expected  # the same from every connection
