"""The thread opens with the response it was opened from a third down the tree, its
parents and the replies before it above it (as mutt and lazygit place a cursor): it was
scrolled to the tree's top line, its context out of sight. Generated threads (a few to
thousands of responses, any shape) through the thread screen on a bare host app at
60x20 and 80x24."""

from __future__ import annotations

import pytest
from helpers.app import settled
from helpers.thread_host import OpenedHost, thread
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.widgets import Tree

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(1, 300),
    seed=st.integers(0, 2**16),
    at=st.floats(0, 1),
    screen=st.sampled_from([(60, 20), (80, 24)]),
)
@example(size=3000, seed=1, at=0.5, screen=(60, 20))  # thousands, opened in the middle
@example(size=300, seed=2, at=1.0, screen=(80, 24))  # the newest: near the tree's end
@example(size=25, seed=0, at=1.0, screen=(60, 20))  # placed before the last line of layout
async def test_the_opened_response_shows_with_what_comes_before_it(
    size: int, seed: int, at: float, screen: tuple[int, int]
) -> None:
    """The opened response is in view, about a third of the tree's height above it (or
    all the lines before it, when fewer); lower only where the tree ends below it."""
    opened = min(int(at * size), size - 1)
    app = OpenedHost(thread(size, seed), opened)
    async with app.run_test(size=screen) as pilot:
        await settled(pilot)
        tree = app.screen.query_one(Tree)
        height = tree.scrollable_content_region.height
        line, top = tree.cursor_line, tree.scroll_offset.y
        assert tree.cursor_node is not None and tree.cursor_node.data == opened + 1
        assert top <= line < top + height, (line, top, height)
        above = line - top
        # A third of the height the tree had when it was placed: the height it has once
        # everything is laid out may be a line or two less (a scrollbar, the footer), so
        # the test asks for what the moderator needs: the context above it (at least a
        # quarter of the height, or all the lines before it), the response in the upper
        # half (lower only where the tree ends below it).
        at_end = top == tree.max_scroll_y
        assert above >= min(line, height // 4), (line, top, height, at_end)
        assert above <= max(height // 2, min(line, height // 3)) or at_end, (line, top, height)
