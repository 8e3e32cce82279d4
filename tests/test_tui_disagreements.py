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
from helpers.store import resp
from hypothesis import given, settings
from hypothesis import strategies as st

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
        told = [str(n.message) for n in anna._notifications]
        assert any("Actie ongedaan gemaakt: het oplossen van een verschil" in m for m in told), told
        await sa.show_queue(DISAGREE)
        await settled(pa)
        assert sa.queue.total == 1
        await settle(anna, pa)
        journal = _view(anna)
        assert "anna: verschil opgelost: vragen 1, 2; rol Burger" in journal
        assert "anna: actie ongedaan gemaakt: het oplossen van een verschil" in journal
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


_codings = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=40),  # a coder's name: any text, cut and cleaned
        st.frozensets(st.sampled_from([str(i) for i in range(1, 9)])),
        st.sampled_from([None, "burger", "raad", "ambtenaar"]),
    ),
    min_size=2,
    max_size=4,
)


def _cells(line: str) -> str:
    """A table line after its name column (NAME_WIDTH terminal cells)."""
    from rich.cells import cell_len

    from reactieveld.tui.widgets.response_view import NAME_WIDTH

    if not line.strip():
        return ""  # the marks' line, without a mark: cut at its end
    for at in range(len(line) + 1):
        if cell_len(line[:at]) >= NAME_WIDTH:
            assert cell_len(line[:at]) == NAME_WIDTH
            return line[at:]
    raise AssertionError(line)


@settings(max_examples=60, deadline=None)
@given(_codings, st.sampled_from(["nl", "en"]))
def test_the_side_by_side_table_marks_exactly_the_differences(codings, language) -> None:
    from rich.cells import cell_len

    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.i18n import I18n
    from reactieveld.store.base import QueueRow
    from reactieveld.store.values import Coding
    from reactieveld.tui.widgets.response_view import codings_table

    given = [Coding(1, name, qs, role, n) for n, (name, qs, role) in enumerate(codings, 1)]
    row = QueueRow(resp("1"), None, ("2",), "raad")
    lines = codings_table(I18n(language), DEFAULT_CODEBOOK, given, row)
    assert len(lines) == len(given) + 3
    assert all(cell_len(line) <= 80 and "\n" not in line for line in lines)
    assert _cells(lines[0]).startswith(" 1   2   3   4   5   6   7   8   ")
    # A line per coder, then the tags: [x] exactly for the questions given, then the role.
    for (questions, role), line in zip(
        [(c.questions, c.role) for c in given] + [(frozenset({"2"}), "raad")],
        lines[1:-1],
        strict=True,
    ):
        cells = " ".join("[x]" if q in questions else "[ ]" for q in "12345678")
        label = DEFAULT_CODEBOOK.role(role).label(language) if role else "—"
        assert _cells(line) == f"{cells}  {label}"
    # The last line: ≠ under each question (and the role) the coders gave differently.
    marks = _cells(lines[-1]).ljust(33)
    for i, q in enumerate("12345678"):
        differs = len({q in c.questions for c in given}) > 1
        assert marks[4 * i + 1] == ("≠" if differs else " ")
    assert (marks[33:] == "≠") == (len({c.role for c in given}) > 1)
