"""The Disagreements queue in the app (issue 14, item 3), on both backends (on PostgreSQL
a login role per moderator): Anna codes a sampled response, Bert codes it differently in
his Second coding tab; Anna finds it in her "Verschillen" tab with both codings side by
side (in characters), settles the response's tags with the usual keys (her coding and
Bert's stay as they were: the agreement keeps measuring them) and x resolves it: it
leaves the queue, and the journal says who resolved it with the final tags; z reopens
it. No sleeps: the tests wait on workers."""

from __future__ import annotations

import pytest
from helpers.app import SMALL, ready, screen_text, settle, settled
from helpers.codings import open_team
from helpers.data import fill_store, sample_responses

from reactieveld.store.base import QueueFilter
from reactieveld.tui.queues import DISAGREE, SECOND
from reactieveld.tui.widgets.response_view import ResponseView

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.fixture
async def team(store_target, request):
    t = await open_team(store_target, request, share=1.0)
    responses, threads = sample_responses()
    await fill_store(t.owner, "blog", responses, threads)
    yield t
    await t.close()


def _view(app) -> str:
    return app.screen.query_one(ResponseView).render_content().plain


async def _to_tab(screen, pilot, name: str) -> None:
    while screen.queue_name != name:
        await pilot.press("tab")
    await settled(pilot)


async def test_two_codings_differ_and_anna_resolves_them(team, make_app) -> None:
    anna = make_app(team.anna, actor="anna", double_share=1.0)
    async with anna.run_test(size=SMALL) as pa:
        sa = await ready(anna, pa)
        coded = sa.queue.current.response.id
        await pa.press("1", "3")  # questions 1 and 3
        await pa.press("w", "b")  # role: burger
        await settled(pa)

    bert = make_app(team.bert, actor="bert", double_share=1.0)
    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)
        await _to_tab(sb, pb, SECOND)
        assert sb.queue.current.response.id == coded
        await pb.press("1", "2", "x")  # his coding: 1 and 2, no role; done
        await settled(pb)
        assert sb.queue.total == 0

    anna = make_app(team.anna, actor="anna", double_share=1.0)
    async with anna.run_test(size=SMALL) as pa:
        sa = await ready(anna, pa)
        await _to_tab(sa, pa, DISAGREE)
        assert sa.queue.total == 1 and sa.queue.current.response.id == coded
        await settle(anna, pa)
        view = _view(anna).splitlines()
        at = next(i for i, line in enumerate(view) if line.startswith("vraag"))
        assert view[at : at + 5] == [
            "vraag        1   2   3   4   5   6   7   8   rol",
            "anna        [x] [ ] [x] [ ] [ ] [ ] [ ] [ ]  Burger",
            "bert        [x] [x] [ ] [ ] [ ] [ ] [ ] [ ]  —",
            "labels      [x] [ ] [x] [ ] [ ] [ ] [ ] [ ]  Burger",
            "                 ≠   ≠                       ≠",
        ]
        assert "[Verschil 1]" in " ".join(screen_text(anna))
        assert "x Beslist" in screen_text(anna)[-1]  # the footer: x resolves here
        assert ("x", "Beslist", None) in sa.help_rows()
        # She settles: 2 yes, 3 no, the role stays. The tags change, not her coding.
        await pa.press("2", "3")
        await settled(pa)
        row = await team.anna.get(coded)
        assert (row.questions, row.role) == (("1", "2"), "burger")
        assert sa.queue.total == 1  # settled is not resolved
        await settle(anna, pa)
        assert "labels      [x] [x] [ ] [ ]" in _view(anna)
        await pa.press("x")  # resolved
        await settled(pa)
        assert sa.queue.total == 0
        told = [str(n.message) for n in anna._notifications]
        assert any("Verschil opgelost: 1" in m for m in told)
        assert "[Verschil 0]" in " ".join(screen_text(anna))
        # z reopens it; x again resolves it.
        await pa.press("z")
        await settled(pa)
        await sa.show_queue(DISAGREE)
        await settled(pa)
        assert sa.queue.total == 1
        await pa.press("x")
        await settled(pa)
        assert sa.queue.total == 0

    codings = await team.owner.codings(QueueFilter())
    assert [(c.coder, c.questions, c.role) for c in codings] == [
        ("anna", frozenset({"1", "3"}), "burger"),
        ("bert", frozenset({"1", "2"}), None),
    ]
    journal = [(e.actor, e.kind.value, e.after) for e in await team.owner.journal(coded)]
    assert journal[0] == ("anna", "resolve", {"questions": ["1", "2"], "role": "burger"})
    assert [(a, k) for a, k, _ in journal[1:4]] == [
        ("anna", "undo"),
        ("anna", "resolve"),
        ("anna", "untag"),
    ]


async def test_without_double_share_there_is_no_disagreements_tab(tui_store, make_app) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        await settle(app, pilot)
        assert DISAGREE not in screen.queues
        assert "Verschil" not in " ".join(screen_text(app))
