"""Two moderators on ONE memory, each with an app (two ``run_test`` in one test), on a
SQLite file and on a team's PostgreSQL database (each moderator a login role there):
opening a response claims it, the other sees "bezig: Naam" on the row and in the view,
and a decision on a row the other changed after it was shown is refused, on screen and
in the store. No sleeps: time moves on the store's clock, the tests wait on workers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from helpers.app import SMALL, ready, screen_text, settle, settled, until
from helpers.store import sql
from helpers.team import header

from reactieveld.model import RemoteStatus, TriageState, utcnow
from reactieveld.store.errors import StoreUnreachable
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.messages import RowsChanged
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.fixture
async def second_store(tui_store):
    """A second connection to the same memory file: the other moderator's."""
    other = await SqliteStore.open(tui_store.path)
    yield other
    await other.close()


def current_id(screen: TriageScreen) -> int:
    row = screen.queue.current
    assert row is not None and row.response.id is not None
    return row.response.id


async def claims(store) -> set[tuple[int, str]]:
    return set(await sql(store, "SELECT response_id, actor FROM claims"))


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_two_moderators_claims_and_a_refused_decision(moderators, make_app):
    tui_store, second_store = await moderators("anna", "bert")
    anna = make_app(tui_store, actor="anna")
    bert = make_app(second_store, actor="bert")
    heard = asyncio.Event()  # Anna's app was told of another moderator's change

    def hook(message: object) -> None:
        if isinstance(message, RowsChanged):
            heard.set()

    async with anna.run_test(size=SMALL, message_hook=hook) as pa:
        sa = await ready(anna, pa)
        await anna.live_ready.wait()
        assert anna.actor == "anna"  # on PostgreSQL: the login role, named by the server
        first = current_id(sa)
        assert await claims(tui_store) == {(first, "anna")}
        # Anna's own claim is not "busy" to her.
        assert not any("bezig" in line for line in screen_text(anna))

        async with bert.run_test(size=SMALL) as pb:
            sb = await ready(bert, pb)
            # Bert acts on a view older than Anna's change (her change has not reached
            # his screen yet): his live updates (a poll on SQLite, a notification on
            # PostgreSQL, which would come at once) are cut, or there is nothing stale to
            # refuse. What the live updates show is tests/test_live.py's.
            await bert._stop_live()
            assert current_id(sb) == first
            lines = screen_text(bert)
            [row] = [line for line in lines if line.startswith("▶")]
            # On the row at 80x24, in plain characters: the pencil in the mark column,
            # the name first in the text (the response view says it in words).
            assert row.startswith("▶ •✎") and " anna · " in row
            assert any("bezig: anna heeft deze reactie open" in line for line in lines)
            assert await claims(tui_store) == {(first, "anna")}  # bert did not take it

            # Bert moves to the next row and claims it: live, Anna's row for it says so
            # before she goes there (a notification on PostgreSQL, her poll on SQLite).
            heard.clear()
            await pb.press("j")
            await settle(bert, pb)
            second = current_id(sb)
            assert await claims(tui_store) == {(first, "anna"), (second, "bert")}
            await asyncio.wait_for(heard.wait(), timeout=30)
            await settled(pa)
            assert current_id(sa) == first  # her cursor did not move
            [row] = [line for line in screen_text(anna) if " bert ·" in line]
            assert row.startswith("  •✎"), row
            # Anna moves there too and sees him in the response view.
            await pa.press("j")
            await settled(pa)
            assert current_id(sa) == second
            lines = screen_text(anna)
            assert any(line.startswith("▶ •✎") and " bert ·" in line for line in lines)
            assert any("bezig: bert heeft deze reactie open" in line for line in lines)
            # Anna's first claim ended when she moved on.
            assert await claims(tui_store) == {(second, "bert")}

            # Anna tags the row Bert has shown (version v): Bert's decision on it is refused.
            shown = sb.queue.current.version
            await pa.press("3")
            await settle(anna, pa)
            assert (await tui_store.get(second)).version != shown
            journal_before = await tui_store.journal(limit=1000)
            await pb.press("s")  # spam, on what he saw before Anna's tag
            await settled(pb)
            row = await tui_store.get(second)
            assert row.response.remote_status is RemoteStatus.APPROVED
            assert row.response.triage is TriageState.NEW
            assert await tui_store.journal(limit=1000) == journal_before
            assert await tui_store.outbox_items() == []
            [message] = [m for m in notices(bert) if "Niets gedaan" in m]
            assert message.startswith("Niets gedaan: 1 reactie intussen gewijzigd door anna (1)")
            assert "\n" not in message
            # His rows were read again: the tag shows, and now the decision goes through.
            assert sb.queue.current.response.id == second
            assert sb.queue.current.questions == ("3",)
            await pb.press("s")
            await settled(pb)
            assert (await tui_store.get(second)).response.remote_status is RemoteStatus.SPAM
            # His decision ended his claim on it.
            assert (second, "bert") not in await claims(tui_store)
        # Bert quit: none of his claims stay behind.
        assert all(actor != "bert" for _, actor in await claims(tui_store))
    assert await claims(tui_store) == set()


async def test_an_expired_claim_is_not_busy_and_is_taken_over(tui_store, second_store, make_app):
    rows = await tui_store.queue(tui_store_filter())
    top = rows[0].response.id
    clock = {"now": utcnow()}
    second_store.clock = tui_store.clock = lambda: clock["now"]
    # Anna's app died an hour ago with the top row claimed.
    await second_store.claim(top, actor="anna", minutes=5)
    clock["now"] += timedelta(hours=1)
    bert = make_app(tui_store, actor="bert")
    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)
        assert current_id(sb) == top
        assert not any("bezig" in line for line in screen_text(bert))
        assert await claims(tui_store) == {(top, "bert")}


def tui_store_filter():
    from reactieveld.store.base import QueueFilter

    return QueueFilter(triage=TriageState.NEW)


async def test_a_claim_is_renewed_while_the_response_stays_open(tui_store, make_app):
    clock = {"now": utcnow()}
    tui_store.clock = lambda: clock["now"]
    anna = make_app(tui_store, actor="anna", claim_minutes=5)
    async with anna.run_test(size=SMALL) as pa:
        sa = await ready(anna, pa)
        top = current_id(sa)
        first = (await tui_store.get(top)).claim.until
        clock["now"] += timedelta(minutes=4)
        await anna._renew_claim()  # what the timer at half the lease calls
        assert (await tui_store.get(top)).claim.until == first + timedelta(minutes=4)


@pytest.mark.parametrize("how", ["open", "renewal"])
async def test_a_claim_that_meets_the_memory_away_says_it_and_the_response_stays_open(
    tui_store, make_app, monkeypatch, how
):
    """A claim alone meets the team's memory away (the response opened, or an idle
    app's renewal): before, it was kept to itself and nothing said the outage; now the
    header's marker and the one notice say it, and the response is open all the same
    (a claim is a courtesy, not a lock). 80x24, NO_COLOR."""
    monkeypatch.setenv("NO_COLOR", "1")
    anna = make_app(tui_store, actor="anna", claim_minutes=5, language="en")
    anna.reach_retry_seconds = (3600.0, 3600.0)  # no check meanwhile: the claim's own
    calls = []

    async def away(*args, **kw):
        calls.append(args)
        raise StoreUnreachable("the memory cannot be reached (test)")

    async with anna.run_test(size=SMALL, notifications=True) as pa:
        sa = await ready(anna, pa)
        await settled(pa)
        assert "SHARED MEMORY UNREACHABLE" not in header(anna)
        monkeypatch.setattr(tui_store, "claim", away)
        if how == "open":
            await pa.press("j")
        else:
            await anna._renew_claim()  # what the timer at half the lease calls
        await until(pa, lambda: calls and anna.memory_unreachable, "the claim", seconds=10)
        await settle(anna, pa)
        assert header(anna).startswith("SHARED MEMORY UNREACHABLE"), header(anna)
        assert any("nothing is lost" in n for n in notices(anna)), notices(anna)
        assert anna.is_running and sa.queue.current is not None
        assert sa.queue.cursor == (1 if how == "open" else 0)


async def test_a_claim_left_behind_goes_from_the_screen_when_its_lease_ends(
    tui_store, second_store, make_app
):
    """Anna's app died with a response open: Bert sees her pencil and "bezig" on it until
    her lease runs out, then they go by themselves (no change, no sync to re-read the
    rows), in the row and in the response view."""
    rows = await tui_store.queue(tui_store_filter())
    top = rows[0].response.id
    clock = {"now": utcnow()}
    second_store.clock = tui_store.clock = lambda: clock["now"]
    await second_store.claim(top, actor="anna", minutes=5)
    bert = make_app(tui_store, actor="bert", clock=lambda: clock["now"])
    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)
        assert current_id(sb) == top
        assert any("bezig: anna" in line for line in screen_text(bert))
        assert any("✎" in line for line in screen_text(bert))
        clock["now"] += timedelta(minutes=5, seconds=1)
        await bert._claims_expired()  # what the app's timer calls every few seconds
        await settled(pb)
        await settle(bert, pb)
        text = screen_text(bert)
        assert not any("anna" in line or "✎" in line for line in text), text
