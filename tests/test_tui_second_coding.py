"""The Second coding queue in the app (issue 14): two moderators on one memory, each
with an app. Anna codes a sampled response in her New queue; Bert finds it in his
"Tweede codering" tab, shown blind (neither the row, the tag bar, the response view nor
its journal shows Anna's question and role), codes it with the usual keys into his own
coding, and x says he is done: it leaves his queue. The response's tags stay Anna's, and
``reactieveld agreement`` counts the pair; on both backends (on PostgreSQL two login
roles). No sleeps: the tests wait on workers."""

from __future__ import annotations

import asyncio

import pytest
from helpers.app import SMALL, ready, screen_text, settle, settled
from helpers.cli import run_main
from helpers.codings import open_team
from helpers.data import fill_store, sample_responses

from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.queues import DISAGREE, SECOND
from reactieveld.tui.widgets.response_view import ResponseView
from reactieveld.tui.widgets.tag_bar import TagBar

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.fixture
async def double(tui_store):
    """The tui_store's file opened twice with every response in the double-coding sample:
    Anna's connection and Bert's."""
    anna = await SqliteStore.open(tui_store.path, double_share=1.0)
    bert = await SqliteStore.open(tui_store.path, double_share=1.0)
    yield anna, bert
    await anna.close()
    await bert.close()


def _view(app) -> str:
    return app.screen.query_one(ResponseView).render_content().plain


@pytest.fixture
async def team(store_target, request):
    """Anna's and Bert's stores on one memory of either backend (on PostgreSQL a login
    role each, which the app then acts as), filled like tui_store."""
    t = await open_team(store_target, request, share=1.0)
    responses, threads = sample_responses()
    await fill_store(t.owner, "blog", responses, threads)
    yield t
    await t.close()


async def test_second_coding_is_blind_and_kept_apart(
    team, store_target, make_app, cli_isolated
) -> None:
    anna_store, bert_store = team.anna, team.bert
    anna = make_app(anna_store, actor="anna", double_share=1.0)
    bert = make_app(bert_store, actor="bert", double_share=1.0)
    bert.live_interval = 3600.0  # he looks after Anna is done: no live poll needed
    async with anna.run_test(size=SMALL) as pa:
        sa = await ready(anna, pa)
        coded = sa.queue.current.response.id
        await pa.press("1")  # question 1
        await pa.press("w", "b")  # role: burger
        await settled(pa)
        assert (await anna_store.get(coded)).questions == ("1",)
        assert SECOND in sa.queues  # at 80 columns the tab is off the line's right end

    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)
        while sb.queue_name != SECOND:
            await pb.press("tab")
        await settled(pb)
        assert sb.queue.total == 1 and sb.queue.current.response.id == coded
        # Blind: the row, the tag bar and the view carry Bert's own (empty) coding.
        row = sb.queue.current
        assert (row.questions, row.role) == ((), None)
        assert sb.query_one(TagBar).row.questions == ()
        view = _view(bert)
        assert "Tweede codering, blind" in view
        assert "Vragen: geen" in view and "Rol: geen" in view
        assert "vraag 1 toegevoegd" not in view and "Burger" not in view
        assert "[Tweede 1]" in " ".join(screen_text(bert))  # the tab (short at 80 columns)
        # The thread and the author's history would show Anna's tags: greyed out.
        assert sb.check_action("thread", ()) is None
        await pb.press("enter")
        await settled(pb)
        assert bert.screen is sb

        await pb.press("3")  # Bert's question 3: his coding only
        await settled(pb)
        assert sb.queue.current.questions == ("3",)
        assert "Vragen: 3 " in _view(bert)
        bert_store.coder = ""  # read as a command reads it: the tags, which stay Anna's
        assert (await bert_store.get(coded)).questions == ("1",)
        bert_store.coder = "bert"
        await pb.press("x")  # done
        await settled(pb)
        assert sb.queue.total == 0
        assert any("Tweede codering klaar: 1" in str(n.message) for n in bert._notifications)

    codings = await bert_store.codings(QueueFilter())
    assert [(c.coder, c.ordinal, c.questions, c.role) for c in codings] == [
        ("anna", 1, frozenset({"1"}), "burger"),
        ("bert", 2, frozenset({"3"}), None),
    ]
    row = await bert_store.get(coded)
    assert (row.questions, row.role) == (("1",), "burger")
    journal = [(e.actor, e.kind.value) for e in await bert_store.journal(coded)]
    assert journal[::-1] == [("anna", "tag"), ("anna", "role"), ("bert", "code"), ("bert", "code")]
    # One double-coded response: question 1 and 3 disagree, the role has one value only.
    argv = ["--db", store_target, "--lang", "en", "agreement"]
    code, out, _ = await asyncio.to_thread(run_main, argv)
    assert code == 0 and "Double-coded: 1 response of the sample" in " ".join(out.split())
    # By hand: questions 1 and 3 are one unit each with the values (1, 0) from the two
    # coders: the coincidences o_01 = o_10 = 1, n = 2, n_0 = n_1 = 1, so alpha =
    # 1 - (n - 1) * (o_01 + o_10) / (n_0 * n_1 + n_1 * n_0) = 1 - 2 / 2 = 0, and the one
    # pair disagrees (0%). Every other question is (0, 0): one value only, alpha
    # undefined, 100% agreement. The role has one coder's value only: nothing pairable,
    # too few (n 0), as one response is.
    table = {
        line.split()[0]: line.split()[1:5]
        for line in out.splitlines()
        if line[:1].isdigit() or line.startswith("role ")
    }
    assert table["1"] == table["3"] == ["0.000", "0.0%", "1", "too"]
    for question in "245678":
        assert table[question] == ["—", "100.0%", "1", "too"]
    assert table["role"] == ["—", "—", "0", "too"]


async def test_without_double_share_there_is_no_second_coding_tab(tui_store, make_app) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        await settle(app, pilot)
        assert SECOND not in screen.queues
        assert "Tweede codering" not in " ".join(screen_text(app))


async def test_a_key_elsewhere_is_kept_as_the_second_coding_and_says_so(double, make_app) -> None:
    anna_store, bert_store = double
    top = (await anna_store.queue(QueueFilter(), limit=1))[0].response.id
    await anna_store.toggle_question([top], "1", actor="anna")
    bert = make_app(bert_store, actor="bert", double_share=1.0)
    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)
        assert sb.queue_name == "new" and sb.queue.current.response.id == top
        # Blind here too: the row, the tag bar and the view show Bert's own coding
        # (none yet), never Anna's question 1, nor her entry in the journal.
        assert sb.queue.current.questions == () and sb.query_one(TagBar).row.questions == ()
        assert "Vragen: geen" in _view(bert) and "vraag 1 toegevoegd" not in _view(bert)
        await pb.press("5")
        await settled(pb)
        assert sb.queue.current.questions == ("5",)  # his; the tags stay Anna's
        told = [str(n.message) for n in bert._notifications]
        assert any("Vastgelegd als uw tweede codering" in m for m in told)
    assert await bert_store.codings(QueueFilter()) == []  # his is not done: not counted
    query = "SELECT coder, questions, done_at FROM codings ORDER BY ordinal"
    codings = await bert_store._run(lambda db: db.execute(query).fetchall())
    assert codings == [("anna", '["1"]', None), ("bert", '["5"]', None)]  # not done yet


async def test_the_thread_of_a_later_coder_is_blind_too(double, make_app) -> None:
    """The thread (``enter``), read through the app's background reader, shows Bert his
    own coding of the response Anna coded first, not her question and role."""
    anna_store, bert_store = double
    top = (await anna_store.queue(QueueFilter(), limit=1))[0].response.id
    await anna_store.toggle_question([top], "4", actor="anna")
    await anna_store.set_role([top], "raad", actor="anna")
    readers = []

    async def open_reader() -> SqliteStore:  # as ``run`` opens it: no share of its own
        readers.append(await SqliteStore.open(bert_store.path))
        return readers[-1]

    bert = make_app(bert_store, actor="bert", double_share=1.0, reader_opener=open_reader)
    try:
        async with bert.run_test(size=SMALL) as pb:
            sb = await ready(bert, pb)
            await bert.open_reader()
            assert sb.queue.current.response.id == top
            await pb.press("enter")
            await settled(pb)
            assert bert.screen is not sb  # the thread
            opened = [line for line in screen_text(bert) if "▶" in line]
            assert opened and "(4)" not in opened[0] and "Raadslid" not in opened[0]
    finally:
        for reader in readers:
            await reader.close()


async def test_one_who_may_only_read_sees_the_tags_not_a_blind_coding(double, make_app) -> None:
    """Policy staff (a read-only memory) never code: the response Anna coded first shows
    them her tags, not an empty coding of their own, and they get no Second coding tab
    (Disagreements, which only shows, stays)."""
    anna_store, bert_store = double
    top = (await anna_store.queue(QueueFilter(), limit=1))[0].response.id
    await anna_store.toggle_question([top], "4", actor="anna")
    piet_store = await SqliteStore.open(bert_store.path, double_share=1.0, read_only=True)
    piet = make_app(piet_store, actor="piet", double_share=1.0)
    try:
        async with piet.run_test(size=SMALL) as pp:
            sp = await ready(piet, pp)
            assert piet.read_only and sp.queue.current.response.id == top
            assert sp.queue.current.questions == ("4",) and "Vragen: 4 " in _view(piet)
            assert SECOND not in sp.queues and DISAGREE in sp.queues
            assert "Tweede" not in " ".join(screen_text(piet))
    finally:
        await piet_store.close()


def test_the_current_tab_stays_on_a_line_too_narrow_for_every_short_name() -> None:
    from reactieveld.i18n import I18n
    from reactieveld.tui.widgets.status_line import QueueTabs

    tabs = QueueTabs(i18n=I18n("nl"))
    tabs.names = ("new", "hold", "approved", "spam", "trash", "all", "flagged", "reported", SECOND)
    tabs.counts = dict.fromkeys(tabs.names, 123_456)
    for active in tabs.names:
        tabs.active = active
        line = tabs.render_content(60).plain
        # The current tab ends on the line (the terminal cuts what runs past its end) ...
        current = f"[{I18n('nl').t('queue.short.' + active)} 123.456]"
        assert line.index(current) + len(current) <= 60
        # ... and the tabs before it give way only as far as that needs: one more would
        # not fit (nor the "│›" of the tabs after it).
        more = len("│›") if active != tabs.names[-1] else 0
        if line.startswith("‹"):
            assert len(line[: line.index("]") + 1]) + len("Alles 123.456│") + more > 60
        else:
            assert line.startswith(("Nieuw", "[Nieuw"))
    tabs.active = SECOND
    assert tabs.render_content(60).plain == "‹│Regel 123.456│Gemeld 123.456│[Tweede 123.456]"


async def test_x_reads_done_in_the_second_coding_tab(double, make_app) -> None:
    """In Second coding x says "my coding is done", not "handled": the footer and the
    help say so; back in another tab it is "Handled" again."""
    anna_store, bert_store = double
    top = (await anna_store.queue(QueueFilter(), limit=1))[0].response.id
    await anna_store.toggle_question([top], "1", actor="anna")
    bert = make_app(bert_store, "en", actor="bert", double_share=1.0)
    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)
        assert "x Handled" in screen_text(bert)[-1]
        while sb.queue_name != SECOND:
            await pb.press("tab")
        await settled(pb)
        footer = screen_text(bert)[-1]
        assert "x Done" in footer and "Handled" not in footer
        await pb.press("tab")  # Disagreements (empty here): x resolves
        await settled(pb)
        assert "Resolved" in screen_text(bert)[-1]  # greyed (✗): nothing to resolve


async def test_a_later_coder_s_filter_does_not_find_the_first_coder_s_tags(
    double, make_app
) -> None:
    """Bert filters his All queue on question 3 (f): the response Anna coded 3 first is
    not listed (his view shows no 3 on it), until he gives it 3 himself; "no question"
    lists it for him while his coding is empty."""
    from reactieveld.tui.queues import FilterChoice

    anna_store, bert_store = double
    top = (await anna_store.queue(QueueFilter(), limit=1))[0].response.id
    await anna_store.toggle_question([top], "3", actor="anna")
    bert = make_app(bert_store, actor="bert", double_share=1.0)
    bert.live_interval = 3600.0
    async with bert.run_test(size=SMALL) as pb:
        sb = await ready(bert, pb)

        async def listed(choice: FilterChoice) -> list[int | None]:
            await sb.set_choice(choice)
            await settle(bert, pb)
            rows = [sb.queue.row_at(i) for i in range(sb.queue.total)]
            return [r.response.id for r in rows if r is not None]

        assert top not in await listed(FilterChoice(question="3"))
        assert top in await listed(FilterChoice(untagged=True))
        await bert_store.toggle_question([top], "3", actor="bert")
        assert top in await listed(FilterChoice(question="3"))
        assert top not in await listed(FilterChoice(untagged=True))
