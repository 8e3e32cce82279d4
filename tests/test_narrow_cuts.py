"""The last cuts at 80 columns: a thread's line cut at the screen's edge ends in "…" (a
cut name or text must not pass for whole), and the queue leaves its source column out
while the memory holds one source (it would say on every row what the header says),
giving its cells to the text.

The cut is generated over texts through the shared helper (cheap, many examples) and
over generated threads through the thread screen at 60, 80 and 120 columns (a bare host
app, a few examples); the source column through the app on a real SQLite memory."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from helpers.app import app_with, cells_from, ready, screen_text, settled, until
from helpers.data import NOW, fill_store, sample_responses
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.widgets import Tree

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus, Response
from reactieveld.store.base import QueueRow
from reactieveld.text import shorten_styled
from reactieveld.tui.messages import SourcesSynced
from reactieveld.tui.screens.thread import ThreadPart, ThreadScreen
from reactieveld.tui.widgets.cursor import GUTTER
from reactieveld.tui.widgets.queue_list import SCROLLBAR, visible_columns
from reactieveld.tui.widgets.response_view import ResponseView

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: Words of Latin letters, spaces, accents and wide (two-cell) characters.
words = st.text(
    alphabet=st.sampled_from("abcdefghij klmnop qrstuvwxyz ABC éëü 漢字 "), min_size=0, max_size=200
)


@settings(max_examples=200, deadline=None)
@given(plain=words, cut_at=st.integers(0, 200), width=st.integers(1, 130))
def test_a_styled_cut_ends_in_an_ellipsis_keeps_its_start_and_styles(
    plain: str, cut_at: int, width: int
) -> None:
    text = Text()
    text.append(plain[:cut_at], "bold")
    text.append(plain[cut_at:], "cyan")
    cut = shorten_styled(text, width)
    assert cell_len(cut.plain) <= width
    if cell_len(plain) <= width:
        assert cut.plain == plain
        return
    assert cut.plain.endswith("…") and plain.startswith(cut.plain[:-1])
    for i in range(len(cut.plain) - 1):  # what is kept keeps its style
        kept = [s.style for s in cut.spans if s.start <= i < s.end]
        assert kept == ["bold" if i < cut_at else "cyan"], (i, cut.spans)


class ThreadHost(App[None]):
    """The thread screen alone, over rows made here (no store: the part is given)."""

    def __init__(self, rows: list[QueueRow]) -> None:
        super().__init__()
        self.clock = lambda: NOW
        self.rows = rows

    async def on_mount(self) -> None:
        part = ThreadPart(self.rows, len(self.rows))
        screen = ThreadScreen(
            None,
            self.rows[-1],
            i18n=I18n("nl"),
            codebook=DEFAULT_CODEBOOK,
            tz=UTC,
            part=part,
        )
        await self.push_screen(screen)


names = st.text(alphabet=st.sampled_from("Gemeente Blaricum Ørsted 李小龍 -"), max_size=70)


def thread_rows(people: list[tuple[str, str]]) -> list[QueueRow]:
    """A thread of one chain of replies (each deeper than the last), oldest first."""
    rows = []
    for i, (name, body) in enumerate(people):
        r = Response(
            source="blog",
            external_id=f"c{i}",
            thread_external_id="t",
            parent_external_id=f"c{i - 1}" if i else None,
            author_name=name,
            body_text=body,
            created_at=NOW - timedelta(hours=len(people) - i),
            remote_status=RemoteStatus.APPROVED,
            id=i + 1,
        )
        rows.append(
            QueueRow(r, "Een plan met een lange titel over het centrum van Laren", (), None)
        )
    return rows


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(st.tuples(names, words), min_size=3, max_size=7))
# One chain that is sure to run past 60 columns, so the "…" branch is always taken.
@example(people=[("Gemeente Blaricum " * 3, "Ørsted " * 30)] * 5)
async def test_a_thread_line_cut_at_the_screen_s_edge_ends_in_an_ellipsis(
    people: list[tuple[str, str]],
) -> None:
    app = ThreadHost(thread_rows(people))
    async with app.run_test(size=(60, 20)) as pilot:
        for width, height in ((60, 20), (80, 24), (120, 40)):
            await pilot.resize_terminal(width, height)
            await settled(pilot)
            tree = app.screen.query_one(Tree)
            assert tree.virtual_size.width <= tree.scrollable_content_region.width
            lines = screen_text(app)
            inner = tree.scrollable_content_region
            assert tree._tree_lines, width  # a tree not drawn yet would check nothing
            for y, line in enumerate(tree._tree_lines):
                node = line.node
                room = tree.room(node)  # type: ignore[attr-defined]
                assert 0 < room <= inner.width - GUTTER
                whole = Tree.render_label(tree, node, Style(), Style()).plain
                start = inner.x + inner.width - room
                shown = cells_from(lines[inner.y + y], start).rstrip()
                if cell_len(whole) <= room:
                    assert shown == whole.rstrip(), (width, shown, whole)
                else:
                    assert shown.endswith("…"), (width, shown, whole)
                    assert whole.startswith(shown[:-1]), (width, shown, whole)
                    assert cell_len(shown) <= room


def header_of(app: Any) -> str:
    return next(line for line in screen_text(app) if "Auteur" in line)


async def columns_at(app: Any, pilot: Any, width: int, height: int) -> tuple[bool, int]:
    """Whether the header at ``width`` has the source's title, and the text's cells."""
    await pilot.resize_terminal(width, height)
    await settled(pilot)
    header = header_of(app)
    start = cell_len(header[: header.index("Tekst")])
    return "Bron" in header.split(), width - start


async def test_one_source_gives_its_column_to_the_text_until_a_second_comes(tui_store):
    """One source ("blog"): no source column at 80 and at 120, the text has its cells;
    the response view still names it. A second source stored: the column comes (and
    stays), at both widths; a memory of two sources shows it from the start."""
    app = app_with(tui_store, "nl", None)
    with_source = {
        w: w - SCROLLBAR - sum(c for _, c in visible_columns(w - SCROLLBAR)) for w in (80, 120)
    }
    source_cells = {w: dict(visible_columns(w - SCROLLBAR))["col.source"] for w in (80, 120)}
    async with app.run_test(size=(80, 24)) as pilot:
        triage = await ready(app, pilot)
        await settled(pilot)
        assert not triage.queue.source_column
        for width, height in ((80, 24), (120, 40)):
            shown, cells = await columns_at(app, pilot, width, height)
            assert not shown
            assert cells == with_source[width] + source_cells[width] + SCROLLBAR
            view = triage.query_one(ResponseView).region
            seen = screen_text(app)[view.y : view.bottom]
            assert any(" blog " in line for line in seen), seen  # the view names it
        forum, threads = sample_responses("forum", count=3)
        await fill_store(tui_store, "forum", forum, threads)
        app.post_message(SourcesSynced(("forum",)))
        await until(pilot, lambda: triage.queue.source_column, "the source column")
        for width, height in ((120, 40), (80, 24)):
            shown, cells = await columns_at(app, pilot, width, height)
            assert shown and cells == with_source[width] + SCROLLBAR

    app = app_with(tui_store, "nl", None)
    async with app.run_test(size=(80, 24)) as pilot:
        triage = await ready(app, pilot)
        assert triage.queue.source_column
        shown, cells = await columns_at(app, pilot, 80, 24)
        assert shown and cells == with_source[80] + SCROLLBAR
