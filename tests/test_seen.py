"""Never act on a response another moderator changed out of sight (issue 13): two apps on
ONE memory (a SQLite file, polled; a PostgreSQL database, notified), anna's and bram's.

A. Marked rows: bram marks two rows, anna decides one of them (it leaves bram's list), his
   key on the marks is refused (anna's decision stands), the mark on the row that left is
   removed with a line saying so, and a second press acts on what is still marked.
B. The row under the cursor: anna decides it (or takes away the tag bram's list is
   filtered on); on bram's screen it stays under his cursor, drawn with its new state
   (``×`` and anna's name in characters), the view on it; his key is refused against the
   version he saw; moving the cursor drops the row.

No sleeps: the tests wait on the apps' own messages and workers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from helpers.app import SMALL, ready, screen_text, settled, side_by_side, toasts_on_screen
from helpers.app import until as app_until
from helpers.connectors import PagePlatform
from helpers.data import sample_responses

from reactieveld.model import Page, RemoteStatus, TriageState
from reactieveld.tui.queues import FilterChoice

pytestmark = pytest.mark.usefixtures("tui_env")


#: A refusal's words before who changed the rows.
_BY_NL = "reacties intussen gewijzigd door"
_BY_EN = "changed after you saw them, by"


def notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def until(pilots: Any, condition: Any, what: str) -> None:
    """Let both apps run until ``condition()`` holds (their own messages, no sleep)."""
    await app_until(pilots, condition, what, seconds=60)
    for pilot in pilots:
        await settled(pilot)


async def change_under_bram(sa: Any, pa: Any, pb: Any, qb: Any, rid: int, key: str) -> None:
    """Anna presses ``key`` on ``rid``, the response under bram's cursor; wait until
    bram's list shows it (the row re-read with another version, or gone)."""
    seen = qb.current.version
    await put_cursor(sa, pa, rid)
    await pa.press(key)
    await settled(pa)

    def changed() -> bool:
        at = qb.index_of(rid)
        return at is None or qb.row_at(at).version != seen

    await until((pa, pb), changed, "bram's list to show anna's change")


@contextlib.asynccontextmanager
async def bram_app(
    store_b: Any, make_app: Any, language: str = "nl"
) -> AsyncIterator[tuple[Any, Any, Any]]:
    """Bram's app (Dutch unless ``language``) on his store, running and hearing the
    memory live: (app, pilot, triage screen)."""
    app_b = make_app(store_b, language=language, actor="bram")
    async with app_b.run_test(size=SMALL, notifications=True) as pb:
        sb = await ready(app_b, pb)
        await app_b.live_ready.wait()
        yield app_b, pb, sb


@contextlib.asynccontextmanager
async def bram_and_a_sync(
    store_a: Any, store_b: Any, make_app: Any, language: str = "nl"
) -> AsyncIterator[tuple[Any, Any, Any, Any, Any]]:
    """:func:`bram_app` and a sync engine of another program on anna's store, with a
    platform that gives the page the test hands it (``platform.next``): (app, pilot,
    triage screen, platform, engine)."""
    from reactieveld.config import SourceConfig
    from reactieveld.sync import SyncEngine

    platform = PagePlatform()
    engine = SyncEngine(store_a, [(SourceConfig("blog", "wordpress", 0.0), platform)], by="anna")
    try:
        async with bram_app(store_b, make_app, language) as (app_b, pb, sb):
            yield app_b, pb, sb, platform, engine
    finally:
        await engine.aclose()


def cursor_line(app: Any) -> str:
    [line] = [line for line in screen_text(app) if line.startswith("▶")]
    return line


async def put_cursor(screen: Any, pilot: Any, response_id: int) -> None:
    assert await screen.queue.jump_to_response(response_id)
    screen.queue.scroll_cursor_visible()
    await settled(pilot)
    assert screen.queue.current.response.id == response_id


async def test_a_marked_row_another_decided_is_refused_then_unmarked(moderators, make_app):
    store_a, store_b = await moderators("anna", "bram")
    app_a = make_app(store_a, language="en", actor="anna")
    app_b = make_app(store_b, language="en", actor="bram")
    async with side_by_side(app_a, app_b) as (pa, sa, pb, sb):
        qb = sb.queue
        # Bram marks the 5th and 6th rows (the 5th is on hold: "Fleur").
        await pb.press(*"jjjj", "space", "space")
        await settled(pb)
        fleur, weth = qb.row_at(4).response.id, qb.row_at(5).response.id
        assert qb.marked == {fleur, weth}
        assert (await store_a.get(fleur)).response.remote_status is RemoteStatus.HOLD
        # Anna approves Fleur: it leaves bram's New list, live.
        await put_cursor(sa, pa, fleur)
        await pa.press("a")
        await settled(pa)
        assert (await store_a.get(fleur)).response.remote_status is RemoteStatus.APPROVED
        await until((pa, pb), lambda: qb.index_of(fleur) is None, "Fleur to leave bram's list")
        assert "marked: 2" in screen_text(app_b)[0]  # he has not been told yet
        journal = await store_a.journal(limit=1000)
        weth_before = await store_a.get(weth)

        await pb.press("s")  # spam on both marks, one of them changed since he saw it
        await settled(pb)
        # Refused as a whole: anna's decision stands, nothing else stored.
        assert (await store_a.get(fleur)).response.remote_status is RemoteStatus.APPROVED
        assert await store_a.get(weth) == weth_before
        assert await store_a.journal(limit=1000) == journal
        said = notices(app_b)
        assert any(
            m.startswith("Nothing done: 1 response changed after you saw it, by anna (1)")
            for m in said
        ), said
        # The mark on the row that left his list is removed, and a line says so.
        assert any(m.startswith("1 mark removed") for m in said), said
        assert all("\n" not in m for m in said)
        assert qb.marked == {weth}
        assert "marked: 1" in screen_text(app_b)[0]

        # A second press acts on what is still marked: Wethouder alone.
        await pb.press("s")
        await settled(pb)
        assert (await store_a.get(weth)).response.remote_status is RemoteStatus.SPAM
        assert (await store_a.get(fleur)).response.remote_status is RemoteStatus.APPROVED
        new = (await store_a.journal(limit=1000))[: -len(journal)]
        assert {(e.response_id, e.actor) for e in new} == {(weth, "bram")}
        assert qb.marked == set()


@pytest.mark.usefixtures("no_color")
async def test_the_row_under_the_cursor_another_decided_stays_and_is_refused(moderators, make_app):
    """On both backends, in Dutch, without colour: Karin under bram's cursor, anna
    decides her; she stays, drawn anew; his key is refused, a second press acts on her
    as she is now."""
    store_a, store_b = await moderators("anna", "bram")
    app_a = make_app(store_a, language="nl", actor="anna")
    app_b = make_app(store_b, language="nl", actor="bram")
    async with side_by_side(app_a, app_b) as (pa, sa, pb, sb):
        qb = sb.queue
        await pb.press("j", "j")
        await settled(pb)
        karin, fleur = qb.row_at(2).response.id, qb.row_at(3).response.id
        total = qb.total
        await change_under_bram(sa, pa, pb, qb, karin, "s")
        # Karin is still under his cursor, drawn as she is now; the view stays on her.
        assert qb.current.response.id == karin
        assert qb.current.response.remote_status is RemoteStatus.SPAM
        assert sb._view.row.response.id == karin
        line = cursor_line(app_b)
        assert line.startswith("▶ ×") and " anna: spam · " in line, line
        said = notices(app_b)
        assert any(m.startswith("anna wijzigde de reactie die u open hebt (spam)") for m in said)
        assert all("\n" not in m for m in said), said
        fleur_before = await store_a.get(fleur)
        journal = await store_a.journal(limit=1000)

        await pb.press("d")  # meant for Karin as he saw her: refused
        await settled(pb)
        assert (await store_a.get(karin)).response.remote_status is RemoteStatus.SPAM
        assert await store_a.get(fleur) == fleur_before
        assert await store_a.journal(limit=1000) == journal
        refused = "Niets gedaan: 1 reactie intussen gewijzigd door anna (1)"
        assert any(m.startswith(refused) for m in notices(app_b))
        assert qb.current.response.id == karin

        # Now he has seen her as she is: a second press acts on her, and she goes.
        await pb.press("d")
        await settled(pb)
        assert (await store_a.get(karin)).response.remote_status is RemoteStatus.TRASH
        assert await store_a.get(fleur) == fleur_before
        assert qb.index_of(karin) is None
        assert qb.current.response.id == fleur
        assert qb.total == total - 1


@pytest.mark.usefixtures("no_color")
async def test_the_row_under_the_cursor_the_site_changed_names_the_source(moderators, make_app):
    """On both backends, in Dutch, without colour: bram's list is the responses on hold;
    a sync of another program (a real round: a page of the platform) finds the one under
    his cursor approved on the site. It stays, drawn as it is now, and says that the
    site changed it, naming the source, not "someone"; moving on takes the row and its
    notice away."""
    store_a, store_b = await moderators("anna", "bram")
    async with bram_and_a_sync(store_a, store_b, make_app) as (app_b, pb, sb, platform, engine):
        qb = sb.queue
        await sb.set_choice(FilterChoice(status=RemoteStatus.HOLD))
        await settled(pb)
        held = [qb.row_at(i).response for i in range(qb.total)]
        assert len(held) > 2 and all(r.remote_status is RemoteStatus.HOLD for r in held)
        target = held[1]
        await put_cursor(sb, pb, target.id)
        [fresh] = [r for r in sample_responses()[0] if r.external_id == target.external_id]
        platform.next = Page(
            responses=[replace(fresh, remote_status=RemoteStatus.APPROVED)], next_cursor="p2"
        )
        assert (await engine.sync_source("blog")).ok

        def approved_under_cursor() -> bool:
            row = qb.current
            return row is not None and row.response.remote_status is RemoteStatus.APPROVED

        await until((pb,), approved_under_cursor, "bram's list to show the site's change")
        assert qb.current.response.id == target.id
        assert (await store_b.get(target.id)).response.remote_status is RemoteStatus.APPROVED
        # At 80 columns (one source: no source column): its new status in its column,
        # then the whole words naming the source in its text, then the comment's words;
        # at 60 the shortest words, then the comment's.
        line = cursor_line(app_b)
        assert line.startswith("▶ ×"), line
        assert "goedgekeurd blog: op de site gewijzigd · " in line, line
        await pb.resize_terminal(60, 20)
        await settled(pb)
        assert "goedgekeurd op de site · " in cursor_line(app_b), cursor_line(app_b)
        await pb.resize_terminal(*SMALL)
        await settled(pb)
        said = [m for m in notices(app_b) if "op de site gewijzigd" in m]
        assert said == [
            "blog: de reactie die u open hebt is op de site gewijzigd; die staat niet meer"
            " in deze lijst en blijft tot u verder gaat"
        ], notices(app_b)
        assert "iemand" not in line and not any("iemand" in m for m in notices(app_b))
        assert any(_NOTICE_NL in t for t in toasts_on_screen(app_b))  # on screen

        # Moving on: the row goes, and its notice with it.
        await pb.press("j")
        await settled(pb)
        assert qb.index_of(target.id) is None
        assert not any("op de site gewijzigd" in m for m in notices(app_b))
        assert not any(_NOTICE_NL in t for t in toasts_on_screen(app_b))
        assert "op de site gewijzigd" not in "".join(screen_text(app_b))


#: The kept row's notice, as its toast shows it (in part: a long one is cut at 80x24).
_NOTICE_NL = "de reactie die u open hebt"
_NOTICE_EN = "changed the response you have open"


_PLACES = {"first": 0, "middle": 2, "last": -1}


@pytest.mark.parametrize("store_target", ["sqlite"], indirect=True)
@pytest.mark.parametrize("how", ["decided", "untagged"])
@pytest.mark.parametrize("place", ["first", "middle", "last", "alone"])
async def test_the_kept_row_anywhere_in_the_list_and_moving_drops_it(
    moderators, make_app, place, how
):
    """The row first, in the middle or last in bram's list, or the list's only row;
    anna decides it, or takes away the tag his list is filtered on."""
    store_a, store_b = await moderators("anna", "bram")
    new = [r.response.id for r in await store_a.queue(new_filter(), limit=100)]
    if how == "untagged":
        listed = new[:1] if place == "alone" else new[:5]
        await store_a.toggle_question(listed, "3", actor="anna")
    else:
        listed = new[:1] if place == "alone" else new
        if place == "alone":
            await store_a.mark_handled(new[1:], actor="anna")
    index = 0 if place == "alone" else _PLACES[place] % len(listed)
    target = listed[index]
    app_a = make_app(store_a, language="en", actor="anna")
    app_b = make_app(store_b, language="en", actor="bram")
    async with side_by_side(app_a, app_b, notifications=True) as (pa, sa, pb, sb):
        qb = sb.queue
        if how == "untagged":
            await sb.set_choice(FilterChoice(question="3"))
            await settled(pb)
        assert [qb.row_at(i).response.id for i in range(qb.total)] == listed
        await put_cursor(sb, pb, target)
        others = {rid: await store_a.get(rid) for rid in listed if rid != target}
        await change_under_bram(sa, pa, pb, qb, target, "s" if how == "decided" else "3")
        assert qb.current.response.id == target
        assert qb.cursor == index
        assert qb.total == len(listed)  # the kept row still counts as a line
        assert sb._view.row.response.id == target
        line = cursor_line(app_b)
        assert line.startswith("▶ ×") and "anna" in line, line
        if how == "decided":
            assert "spam" in line and qb.current.response.triage is TriageState.HANDLED
        else:
            assert "3" not in qb.current.questions
        after = await store_a.get(target)
        journal = await store_a.journal(limit=1000)

        await pb.press("d")  # refused: not on the row he saw, not on its neighbour
        await settled(pb)
        assert await store_a.get(target) == after
        assert {rid: await store_a.get(rid) for rid in others} == others
        assert await store_a.journal(limit=1000) == journal
        assert any(
            m.startswith("Nothing done: 1 response changed after you saw it, by anna (1)")
            for m in notices(app_b)
        )

        assert any(_NOTICE_EN in t for t in toasts_on_screen(app_b)), toasts_on_screen(app_b)

        # Moving the cursor drops the kept row, and its notice; nothing was stored by bram.
        await pb.press("j")
        await settled(pb)
        assert qb.index_of(target) is None
        assert not any("the response you have open" in m for m in notices(app_b))
        assert not any(_NOTICE_EN in t for t in toasts_on_screen(app_b))
        assert qb.total == len(listed) - 1
        rest = [rid for rid in listed if rid != target]
        assert [qb.row_at(i).response.id for i in range(qb.total)] == rest
        if rest:
            assert qb.current.response.id == rest[min(index, len(rest) - 1)]
            assert sb._view.row.response.id == qb.current.response.id
            assert not cursor_line(app_b).startswith("▶ ×")
        else:
            assert qb.current is None
        assert await store_a.journal(limit=1000) == journal


def new_filter():
    """The New queue's store filter."""
    from reactieveld.tui.queues import queue_filter

    return queue_filter("new", FilterChoice())


#: What each change after bram saw the row does: the platform's text, its status, or
#: anna's tag and the platform's text; and the refusal that names who (in Dutch).
_SITE_NL = "Niets gedaan: 1 reactie intussen gewijzigd door blog op de site (1); bekijk die opnieuw"
_SYNCED = {
    "text": _SITE_NL,
    "status": _SITE_NL,
    "anna+text": (
        "Niets gedaan: 1 reactie intussen gewijzigd door anna (1) en blog op de site (1);"
        " bekijk die opnieuw"
    ),
}


@pytest.mark.usefixtures("no_color")
@pytest.mark.parametrize("change", list(_SYNCED))
async def test_an_action_on_a_row_a_sync_changed_since_names_the_source(
    moderators, make_app, change
):
    """On both backends: anna tagged a held response long before; bram sees it; a real
    sync page changes its text or its status on the site (and anna tags it again, in one
    variant) before his list shows it; his key is refused, naming the source (and anna
    only when she changed it after he saw it), not anna's old entry; nothing of his is
    stored."""
    store_a, store_b = await moderators("anna", "bram")
    held = [r.response for r in await store_a.queue(new_filter(), limit=100)]
    target = next(r for r in held if r.remote_status is RemoteStatus.HOLD)
    await store_a.toggle_question([target.id], "1", actor="anna")  # before bram saw it
    async with bram_and_a_sync(store_a, store_b, make_app) as (app_b, pb, sb, platform, engine):
        qb = sb.queue
        await put_cursor(sb, pb, target.id)
        await app_b._stop_live()  # what follows reaches bram's list only by his key
        [fresh] = [r for r in sample_responses()[0] if r.external_id == target.external_id]
        if change == "status":
            fresh = replace(fresh, remote_status=RemoteStatus.APPROVED)
        else:
            text = fresh.body_text + " (aangevuld op de site)"
            fresh = replace(fresh, body_text=text, body_raw=text)
        if change == "anna+text":
            await store_a.toggle_question([target.id], "2", actor="anna")
        platform.next = Page(responses=[fresh], next_cursor="p2")
        assert (await engine.sync_source("blog")).ok
        after = await store_a.get(target.id)
        assert (after.response.body_text, after.response.remote_status) == (
            fresh.body_text,
            fresh.remote_status,
        )
        journal = await store_a.journal(limit=1000)

        await pb.press("d")  # meant for the row as he saw it: refused
        await settled(pb)
        assert await store_a.get(target.id) == after
        assert await store_a.journal(limit=1000) == journal
        said = [m for m in notices(app_b) if m.startswith("Niets gedaan")]
        assert len(said) == 1 and said[0].startswith(_SYNCED[change]), said
        assert "\n" not in said[0]
        if change != "anna+text":
            assert "anna" not in said[0]
        assert qb.current.response.id == target.id


@pytest.mark.usefixtures("no_color")
async def test_a_kept_row_names_the_moderator_whatever_refresh_brought_it(moderators, make_app):
    """On both backends: anna decides the row under bram's cursor while his app hears
    nothing live (the memory away, say); the refresh that comes when it is back (not
    another moderator's live message) still names anna and what she did, not the site."""
    from reactieveld.tui.messages import StoreChanged

    store_a, store_b = await moderators("anna", "bram")
    async with bram_app(store_b, make_app) as (app_b, pb, sb):
        qb = sb.queue
        await pb.press("j", "j")
        await settled(pb)
        target = qb.current.response
        await app_b._stop_live()
        await store_a.moderate([target.id], RemoteStatus.SPAM, actor="anna", write_back=False)
        app_b.post_message(StoreChanged())

        def spam_under_cursor() -> bool:
            return qb.current is not None and qb.current.response.remote_status is (
                RemoteStatus.SPAM
            )

        await until((pb,), spam_under_cursor, "bram's list to show anna's decision")
        assert qb.current.response.id == target.id
        line = cursor_line(app_b)
        assert line.startswith("▶ ×") and " anna: spam · " in line, line
        assert "op de site" not in line
        said = notices(app_b)
        assert any(m.startswith("anna wijzigde de reactie die u open hebt (spam)") for m in said)
        assert not any("op de site" in m for m in said), said


@pytest.mark.usefixtures("no_color")
async def test_a_kept_row_of_my_own_write_back_names_nobody(moderators, make_app):
    """On both backends: bram put a response on hold; the platform answers his
    write-back with another status (approved), which takes it out of his On hold list
    under his cursor: it is his own decision, so no one is named (not the site, not
    "someone") and no notice says it changed."""
    from reactieveld.tui.messages import StoreChanged

    store_a, store_b = await moderators("anna", "bram")
    new = [r.response for r in await store_b.queue(new_filter(), limit=100)]
    target = next(r for r in new if r.remote_status is not RemoteStatus.HOLD)
    await store_b.moderate([target.id], RemoteStatus.HOLD, actor="bram")
    [item] = await store_b.outbox_items(states=["pending"])
    async with bram_app(store_b, make_app) as (app_b, pb, sb):
        qb = sb.queue
        await pb.press("tab")  # In afwachting: on hold on the site
        await settled(pb)
        await put_cursor(sb, pb, target.id)
        await store_b.outbox_done(item.id, remote_status=RemoteStatus.APPROVED)
        app_b.post_message(StoreChanged())  # as the app's outbox worker posts it

        def approved_under_cursor() -> bool:
            row = qb.current
            return row is not None and row.response.remote_status is RemoteStatus.APPROVED

        await until((pb,), approved_under_cursor, "bram's list to show the write-back")
        assert qb.current.response.id == target.id
        line = cursor_line(app_b)
        assert line.startswith("▶ ×"), line
        for words in ("op de site", "iemand", "gewijzigd"):
            assert words not in line, line
            assert not any(words in m for m in notices(app_b)), notices(app_b)


#: Who changed each of bram's marked rows after he saw them ("blog": a sync saw the
#: platform change its text), and what his refused key then says of them.
_MARKED = {
    "one each": (
        (("anna",), ("blog",)),
        "2 {by} anna (1){and_}blog {site} (1)",
    ),
    "two moderators": (
        (("anna",), ("cees",), ("anna",)),
        "3 {by} anna (2){and_}cees (1)",
    ),
    "all three": (
        (("cees",), ("blog",), ("anna", "blog"), ("cees",)),
        "4 {by} cees (2), anna (1){and_}blog {site} (2)",
    ),
}


@pytest.mark.usefixtures("no_color")
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("case", list(_MARKED))
async def test_a_refusal_over_marked_rows_counts_them_and_names_who_changed_them(
    moderators, make_app, language, case
):
    """On both backends: bram marks rows (and one nobody changes); anna and cees (two
    more moderators' handles on the memory) and a sync of the platform change some of
    them after he saw them; his key on the marks is refused, and the one line says how
    many rows were changed and names each who changed them with how many: the
    moderators by the names the store records, the source by its name; not only the
    first row's. Nothing of his is stored."""
    store_a, store_c, store_b = await moderators("anna", "cees", "bram")
    changers, expected = _MARKED[case]
    by = {"anna": store_a, "cees": store_c}
    rows = [r.response for r in await store_a.queue(new_filter(), limit=100)]
    marked = rows[: len(changers) + 1]  # the last one nobody changes
    async with bram_and_a_sync(store_a, store_b, make_app, language) as (
        app_b,
        pb,
        sb,
        platform,
        engine,
    ):
        for response in marked:
            await put_cursor(sb, pb, response.id)
            await pb.press("space")
            await settled(pb)
        assert sb.queue.marked == {r.id for r in marked}
        await app_b._stop_live()  # what follows reaches bram's list only by his key
        fresh = {r.external_id: r for r in sample_responses()[0]}
        synced = []
        for response, who in zip(marked, changers, strict=False):
            for name in who:
                if name == "blog":
                    text = fresh[response.external_id].body_text + " (aangevuld op de site)"
                    synced.append(
                        replace(fresh[response.external_id], body_text=text, body_raw=text)
                    )
                else:
                    await by[name].toggle_question([response.id], "1", actor=name)
        if synced:
            platform.next = Page(responses=synced, next_cursor="p2")
            assert (await engine.sync_source("blog")).ok
        before = {r.id: await store_a.get(r.id) for r in marked}
        journal = await store_a.journal(limit=1000)

        await pb.press("s")  # spam on the marks as he saw them: refused as a whole
        await settled(pb)
        assert {r.id: await store_a.get(r.id) for r in marked} == before
        assert await store_a.journal(limit=1000) == journal
        lead = "Niets gedaan: " if language == "nl" else "Nothing done: "
        said = [m for m in notices(app_b) if m.startswith(lead)]
        words = {
            "by": _BY_NL if language == "nl" else "responses " + _BY_EN,
            "and_": " en " if language == "nl" else " and ",
            "site": "op de site" if language == "nl" else "on the site",
        }
        assert said == [
            lead
            + expected.format(**words)
            + ("; bekijk ze opnieuw" if language == "nl" else "; look again")
        ], said
