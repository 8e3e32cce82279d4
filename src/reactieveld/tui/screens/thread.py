"""The whole thread of a response as a tree (``enter`` on the queue).

The tree moves as the queue does, with the same remappable keys (``j``/``k``/``g``/``G``
and the arrows, from :func:`reactieveld.keys.key_specs`); ``enter`` opens the response
under the cursor in the queue (as search's ``enter`` does), ``space`` folds or unfolds a
branch (``left`` folds, ``right`` unfolds), ``h`` lists the other responses of its author,
``escape`` returns.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n, number
from reactieveld.keys import THREAD_ACTIONS, key_specs
from reactieveld.model import RemoteStatus, TagKind, TriageState
from reactieveld.store.base import Keyset, QueueFilter, QueueRow
from reactieveld.text import one_line, shorten, shorten_styled
from reactieveld.tui.messages import SaysWorkerErrors
from reactieveld.tui.screens.base import app_clock
from reactieveld.tui.screens.help import MOVE_KEYS, ScreenHelp, add_help_key, describe_keys
from reactieveld.tui.times import format_time
from reactieveld.tui.widgets.cursor import GUTTER, CursorTree
from reactieveld.tui.widgets.footer import KeyFooter
from reactieveld.tui.widgets.queue_list import NEW_MARK, write_back_mark

#: A thread is shown with at most this many responses: the newest, or those around the
#: response it was opened from when that one is older than them.
MAX_THREAD_ROWS = 2000

#: The thread screen's action for each of the queue's keys it shares (reactieveld.keys).
_TREE_ACTIONS = {
    "down": "tree_down",
    "up": "tree_up",
    "first": "tree_first",
    "last": "tree_last",
    "author_history": "author_history",
}


@dataclass(frozen=True)
class ThreadPart:
    """The rows of a thread the tree shows, oldest first, and how many it holds.

    ``around``: the rows are those around the response the thread was opened from, not
    the newest (that response is older than the thread's newest :data:`MAX_THREAD_ROWS`).
    """

    rows: list[QueueRow]
    size: int
    around: bool = False


async def read_thread(store: Any, row: QueueRow) -> ThreadPart:
    """The part of ``row``'s thread the tree shows: all of it, its newest
    :data:`MAX_THREAD_ROWS`, or as many around ``row`` when ``row`` is older than those
    (a response 2,500th from the top of a thread of 3,639 opened a tree without itself)."""
    r = row.response
    if not r.thread_external_id:
        return ThreadPart([row], 1)
    flt = QueueFilter(thread=(r.source, r.thread_external_id))
    cap = MAX_THREAD_ROWS
    rows = await store.queue(flt, limit=cap)
    if len(rows) < cap:
        return ThreadPart(rows[::-1], len(rows))
    size = int(await store.count(flt))
    if any(x.response.id == r.id for x in rows):
        return ThreadPart(rows[::-1], size)
    # Older than the newest cap: half the window below it, the rest above (more above
    # when it is near the thread's start; above it there are at least cap rows).
    older = await store.queue(flt, after=row.keyset, limit=(cap - 1) // 2)
    newer = await store.queue(flt, after=row.keyset, limit=cap - 1 - len(older), direction="newer")
    return ThreadPart([*older[::-1], row, *newer[::-1]], size, around=True)


def _between(key: Keyset, oldest: Keyset | None, newest: Keyset | None) -> bool:
    """Whether ``key`` lies in the part of a thread read, from ``oldest`` to ``newest``
    (None: that side is the thread's end)."""
    at = (key.created_at, key.id)
    if oldest is not None and at < (oldest.created_at, oldest.id):
        return False
    return newest is None or at <= (newest.created_at, newest.id)


class ThreadTree(CursorTree):
    """The thread's tree without Tree's own ``enter`` (select and fold), ``space``
    (fold) and ``left``/``right`` (scroll sideways: the help's "← fold" did nothing
    there): those keys go on to the screen's open and fold. A line longer than the
    screen is cut with "…" where the screen ends (cut bare there, a name or a text
    passed for whole), so the tree has nothing to scroll sideways."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for key in ("enter", "space", "left", "right"):
            self._bindings.key_to_bindings.pop(key, None)

    def room(self, node: TreeNode[Any]) -> int:
        """The cells ``node``'s label has on its line: the tree's width less the cursor's
        column and the guides of its depth (0 before the tree is laid out)."""
        depth = 0
        parent = node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        guides = (depth if self.show_root else max(depth - 1, 0)) * self.guide_depth
        width = self.scrollable_content_region.width
        return max(width - GUTTER - guides, 0) if width else 0

    def render_label(self, node: TreeNode[Any], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        room = self.room(node)
        return shorten_styled(label, room) if room else label

    def get_label_width(self, node: TreeNode[Any]) -> int:
        # The width render_label draws, without drawing it: the tree measures every line
        # at each rebuild (several as it opens), and cutting 2,000 labels took a second a
        # rebuild (a thread of 18,000 opened in 3.5 s). A cut label is at most its room.
        icon = cell_len(self.ICON_NODE) if node.allow_expand else 0
        width = icon + node._label.cell_len
        room = self.room(node)
        return (min(width, room) if room else width) + GUTTER

    def on_resize(self) -> None:
        # The labels are cut to the width: measured and drawn again for the new one.
        self._invalidate()


class ThreadScreen(ScreenHelp, SaysWorkerErrors, Screen[None]):
    """A tree of the thread's responses by parent; the current one is selected."""

    #: The tree's own keys the help names (↑ ↓ home end pgup pgdn move its cursor).
    HELP_WIDGET_KEYS = MOVE_KEYS

    BINDINGS = [
        # Ordinary bindings, run in the order the keys were typed (a priority binding
        # runs as its key arrives, before the ``j`` typed ahead of it); the tree has no
        # enter or space of its own (``ThreadTree``) that would take them first.
        Binding("enter", "open", "Open", id="thread.open"),
        Binding("space", "fold", "Fold", id="thread.fold"),
        Binding("escape,q", "back", "Back", id="thread.back"),
        Binding("left", "fold(False)", "Fold", show=False, id="thread.collapse"),
        Binding("right", "fold(True)", "Unfold", show=False, id="thread.expand"),
    ]

    def __init__(
        self,
        store: Any,
        row: QueueRow,
        *,
        i18n: I18n,
        codebook: Codebook,
        tz: tzinfo | None = None,
        part: ThreadPart | None = None,
    ) -> None:
        """``part``: the thread as :func:`read_thread` reads it (the triage screen reads
        it before it opens this screen: a read that fails then is the key's, never this
        screen's mount); None: read as it mounts."""
        super().__init__()
        self.store = store
        self.row = row
        self._part = part
        self.i18n = i18n
        self.codebook = codebook
        self.tz = tz
        self.loaded = False
        #: The tree's node of each response shown, by response id (:meth:`follow_changes`).
        self._by_id: dict[int, TreeNode[int]] = {}
        #: The same nodes by the response's id on its platform (a reply's parent).
        self._by_external: dict[str, TreeNode[int]] = {}
        #: Each response shown as last read (its place: its id on its platform, its
        #: parent's there; a sync that re-keys it or hangs it elsewhere moves it).
        self._rows: dict[int, QueueRow] = {}
        #: A change came that the tree has not read yet, and the worker reading it.
        self._again = False
        #: The responses in the tree that changed and are not read yet; None: the whole
        #: thread is read again (its shape may have changed: a sync, a change not named).
        self._changed: set[int] | None = set()
        self._follower: Worker[None] | None = None
        # The queue's movement keys, by the same ids: a [keys] remap moves both.
        shared = [
            Binding(
                spec.keys,
                _TREE_ACTIONS[spec.id],
                i18n.t(spec.label),
                show=False,
                id=spec.id,
            )
            for spec in key_specs(codebook)
            if spec.id in THREAD_ACTIONS
        ]
        for binding in Binding.make_bindings(shared):
            self._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)
        # The footer's labels in the interface language (BINDINGS can only say English).
        labels = {
            "thread.back": "key.back",
            "thread.open": "thread.open",
            "thread.fold": "thread.fold",
            "thread.collapse": "thread.fold",
            "thread.expand": "thread.fold",
        }
        describe_keys(self, labels, i18n.t)

    def compose(self) -> ComposeResult:
        title = one_line(self.row.thread_title, limit=200) or self.i18n.t("thread.untitled")
        yield Static(Content(self.i18n.t("thread.title", title=title)), id="thread-title")
        # The node under the cursor has a "▶" before it (CursorTree): which reply enter
        # opens shows in characters too (NO_COLOR), not only as a background.
        yield ThreadTree(Text(title), id="thread-tree")
        yield KeyFooter()

    async def on_mount(self) -> None:
        add_help_key(self, "thread", self.i18n)
        tree = self.query_one(Tree)
        r = self.row.response
        part = self._part if self._part is not None else await read_thread(self.store, self.row)
        self._part = None  # read again from the store from now on (follow_changes)
        self._show_title(part)
        self._add_rows(part.rows)
        tree.root.expand()
        tree.focus()
        selected = self._by_id.get(r.id) if r.id is not None else None
        if selected is not None and tree.last_line >= 0:
            # The cursor is on it now (the tree numbers its lines when asked, here by
            # last_line): keys typed behind the enter that opened the screen move from
            # it. The tree scrolls to the cursor once it is laid out, on the next refresh.
            tree.move_cursor(selected)
            self.call_after_refresh(self._show_cursor)
        self.loaded = True
        if self._again:  # a change came while the thread was read
            self._start_follower()

    def _show_title(self, part: ThreadPart) -> None:
        """The title line; with "n of m" when the tree shows only a part of the thread."""
        title = one_line(self.row.thread_title, limit=200) or self.i18n.t("thread.untitled")
        line = self.i18n.t("thread.title", title=title)
        if part.size > len(part.rows):
            language = self.i18n.language
            shown, n = number(len(part.rows), language), number(part.size, language)
            key = "thread.title_around" if part.around else "thread.title_newest"
            line = self.i18n.t(key, title=title, shown=shown, n=n)
        self.query_one("#thread-title", Static).update(Content(line))

    def _add_rows(self, rows: list[QueueRow]) -> bool:
        """Draw ``rows``: a line changed is drawn again in place, a response not yet in
        the tree added under its parent (the tree's end when its parent is not shown).
        True when a line was added (the lines below it moved down)."""
        tree = self.query_one(Tree)
        parents = self._by_external
        added = False
        for row in rows:
            x = row.response
            label = self.label(row)
            node = self._by_id.get(x.id) if x.id is not None else None
            if node is not None and x.id is not None:
                self._rows[x.id] = row
                if node.label != label:
                    node.set_label(label)
                continue
            parent = parents.get(x.parent_external_id or "", tree.root)
            if parent is not tree.root and not parent.allow_expand:
                parent.allow_expand = True
            node = parent.add(label, data=x.id, expand=True, allow_expand=False)
            parents[x.external_id] = node
            if x.id is not None:
                self._by_id[x.id] = node
                self._rows[x.id] = row
            added = True
        return added

    def _in_place(self, rows: list[QueueRow]) -> bool:
        """Whether ``rows`` fit the tree as it is drawn: each one shown is still of this
        thread, under the same id on its platform and the same parent (its line can be
        drawn again in place). A response moved to another thread, re-keyed or hung
        under another reply by a sync does not."""
        r = self.row.response
        thread = (r.source, r.thread_external_id)
        for row in rows:
            x = row.response
            was = self._rows.get(x.id) if x.id is not None else None
            if was is None:
                continue
            if (x.source, x.thread_external_id) != thread:
                return False
            if (was.response.external_id, was.response.parent_external_id) != (
                x.external_id,
                x.parent_external_id,
            ):
                return False
        return True

    # -- following what changes while the thread is open ---------------------------------
    def follow_changes(
        self,
        ids: Collection[int] | None = None,
        sources: Collection[str] | None = None,
        threads: Collection[tuple[str, str | None]] | None = None,
    ) -> None:
        """Something changed in the store while the thread is open (another moderator's
        decision, a write-back done or failed, a sync round): the thread is read again and
        its changed lines drawn again, the cursor kept on its response. ``ids``: the
        responses that changed (None: not known); ``sources``: the sources a sync stored
        (None: any); ``threads``: the threads of those sources the sync stored rows of
        (``(source, None)``: not known; a source without one stored none; None: not
        known). Nothing is read when none of ``ids`` is in the tree, or the thread's
        source is not among ``sources``, or its threads are known and this one is not
        among them (a sync that brought replies to other threads of the source); changes
        that come while a read runs are one more read after it (a burst is at most two,
        as the queue coalesces). Decisions on responses in the tree (``ids`` known, no
        ``sources``) read only those responses and draw their lines again: the tree's
        shape stays, and reading a whole thread of 2,000 lines again for each of a
        colleague's decisions cost a read and 2,000 labels on the screen's loop each
        time."""
        if self.loaded:
            if ids is not None and self._by_id.keys().isdisjoint(ids):
                return
            r = self.row.response
            if sources is not None and r.source not in sources:
                return
            if threads is not None:
                named = {thread for source, thread in threads if source == r.source}
                if None not in named and r.thread_external_id not in named:
                    return
        if ids is None or sources is not None or not self.loaded:
            self._changed = None
        elif self._changed is not None:
            self._changed.update(i for i in ids if i in self._by_id)
        self._again = True
        if self.loaded and self._follower is None:
            self._start_follower()

    def _start_follower(self) -> None:
        self._follower = self.run_worker(self._follow, group="thread-follow", exit_on_error=False)

    async def _follow(self) -> None:
        try:
            while self._again:
                self._again, changed, self._changed = False, self._changed, set()
                if changed is not None:
                    rows = await self.store.get_many(sorted(changed))
                    # All still there and where they were (one gone or moved: read them all).
                    if len(rows) == len(changed) and self._in_place(rows):
                        self._add_rows(rows)  # their lines in place, none added
                        continue
                part = await read_thread(self.store, self.row)
                self._show_title(part)
                self._redraw(part)
        finally:
            self._follower = None

    def _redraw(self, part: ThreadPart) -> None:
        """The thread as read now (``part``) drawn over the tree as it is: the cursor
        stays on its response, on the same line of the screen when lines were added
        above it. A response that left the thread (moved to another by a sync) goes
        from the tree, and one re-keyed or hung elsewhere moves: the tree is built again
        as it opens (a reply of the one that went in its place), folds kept; a cursor on
        a response that went goes to the next line (the one before it at the tree's
        end). Of a thread shown in part, a line older than the part read (pushed out by
        newer replies, not gone) stays, as it did."""
        tree = self.query_one(ThreadTree)
        rows = part.rows
        cursor = tree.cursor_node
        on_screen = tree.cursor_line - round(tree.scroll_y)
        keep = self._kept(part)
        if self._by_id.keys() <= keep and self._in_place(rows):
            if not self._add_rows(rows) or cursor is None or cursor.data is None:
                return
            target: int | None = cursor.data
        else:
            target = self._next_kept(tree, keep)
            self._rebuild(self._merged(rows, keep))
        self._cursor_back(tree, target, on_screen)

    def _kept(self, part: ThreadPart) -> set[int | None]:
        """The responses the tree keeps after ``part``: those read, and those shown that
        lie outside the part read (older than it, or newer than a part read around one)."""
        rows = part.rows
        keep = {x.response.id for x in rows}
        oldest = rows[0].keyset if rows and part.size > len(rows) else None
        newest = rows[-1].keyset if rows and part.around else None
        for rid, was in self._rows.items():
            if rid not in keep and not _between(was.keyset, oldest, newest):
                keep.add(rid)  # not read this time: stays as it was
        return keep

    def _merged(self, rows: list[QueueRow], keep: Collection[int | None]) -> list[QueueRow]:
        """``rows`` (as read now) and the shown rows in ``keep`` not among them, oldest
        first: what the tree is built again from."""
        fresh = {x.response.id: x for x in rows}
        stay = [x for rid, x in self._rows.items() if rid in keep and rid not in fresh]
        return sorted([*stay, *rows], key=lambda x: (x.keyset.created_at, x.keyset.id))

    def _cursor_back(self, tree: ThreadTree, target: int | None, on_screen: int) -> None:
        """The cursor on response ``target`` (its branch unfolded), ``on_screen`` lines
        below the tree's top as before; nothing when it is not in the tree."""
        node = self._by_id.get(target) if target is not None else None
        if node is None:
            return
        parent = node.parent
        while parent is not None:  # hung under a folded branch now: shown all the same
            parent.expand()
            parent = parent.parent
        if tree.last_line >= 0:  # the lines numbered again (new ones among them)
            tree.move_cursor(node)
            y = max(0, tree.cursor_line - on_screen)
            tree.scroll_to(y=y, animate=False, immediate=True)

    def _next_kept(self, tree: ThreadTree, keep: Collection[int | None]) -> int | None:
        """The response the cursor goes to when the tree loses responses not in
        ``keep``: its own if it stays, else the next line's that stays (a reply of the
        one that went takes its place, its parent not in the tree), else the nearest
        above."""
        cursor = tree.cursor_node
        rid: int | None = cursor.data if cursor is not None else None
        if rid is None or rid in keep:
            return rid
        line = tree.cursor_line
        for at in [*range(line + 1, tree.last_line + 1), *range(line - 1, -1, -1)]:
            node = tree.get_node_at_line(at)
            found: int | None = node.data if node is not None else None
            if found is not None and found in keep:
                return found
        return None

    def _rebuild(self, rows: list[QueueRow]) -> None:
        """The tree built again from ``rows``, the branches folded that were."""
        folded = self._folded()
        self._emptied()
        self._add_rows(rows)
        self._fold(folded)

    def _folded(self) -> set[int]:
        """The responses whose branch is folded."""
        return {
            rid for rid, node in self._by_id.items() if node.allow_expand and not node.is_expanded
        }

    def _emptied(self) -> None:
        """The tree without lines, and the screen's indexes of them empty."""
        self.query_one(ThreadTree).root.remove_children()
        self._by_id.clear()
        self._by_external.clear()
        self._rows.clear()

    def _fold(self, folded: Collection[int]) -> None:
        """The branches of ``folded`` (those still in the tree, with replies) folded."""
        for rid in folded:
            node = self._by_id.get(rid)
            if node is not None and node.allow_expand:
                node.collapse()

    def _show_cursor(self) -> None:
        """The opened response a third down the tree, with the replies before it and
        its parents above it (as mutt and lazygit show a cursor): scrolled into view it
        was the tree's top line, its context scrolled away."""
        tree = self.query_one(Tree)
        above = tree.scrollable_content_region.height // 3
        tree.scroll_to(y=max(0, tree.cursor_line - above), animate=False, immediate=True)

    def label(self, row: QueueRow) -> Text:
        """A node's label: time, author, role, first line (all literal). The time comes
        first, as in the queue: a deep branch on a narrow screen cuts the line's end (the
        tree scrolls sideways), and a long name with its role put the time there
        ("Wethouder Ruimtelijke Ordening [College (B&W)] 0" at 60 columns). Its state
        comes with the time, in characters: the queue's ``•`` before a response not yet
        handled, the queue's ``!`` or ``↻`` where its write-back failed or is on its way, and
        a status other than approved in words ("wacht · ", "spam · ")."""
        x = row.response
        text = Text()
        text.append(f"{NEW_MARK} " if x.triage == TriageState.NEW else "", "bold")
        text.append(f"{format_time(x.created_at, self.tz, app_clock(self.app)())} ", "dim")
        text.append(write_back_mark(row.outbox_state), "bold")
        if x.remote_status != RemoteStatus.APPROVED:
            text.append(f"{self.i18n.status(x.remote_status)} · ", "bold")
        # Cut with "…" (a name cut bare ran into the text: "(Installatiebedrijf Go Ik heb").
        text.append(shorten(one_line(x.author_name, limit=80), 40, words=False) or "?", "bold")
        if row.role:
            role = self.codebook.label(TagKind.ROLE, row.role, self.i18n.language)
            text.append(f" [{shorten(one_line(role, limit=60), 30, words=False)}]", "cyan")
        text.append(" ")
        current = x.id == self.row.response.id
        if current:
            # The response the thread was opened from: said in words, not only underlined.
            text.append(self.i18n.t("thread.current") + " ", "bold")
        if row.questions:
            text.append("(" + ",".join(row.questions) + ") ", "magenta")
        text.append(shorten(one_line(x.body_text, limit=320), 160))
        if current:
            text.stylize("underline")
        return text

    def action_back(self) -> None:
        self.dismiss(None)

    # -- moving, as in the queue -------------------------------------------------------
    def action_tree_down(self) -> None:
        self.query_one(Tree).action_cursor_down()

    def action_tree_up(self) -> None:
        self.query_one(Tree).action_cursor_up()

    def action_tree_first(self) -> None:
        self.query_one(Tree).action_scroll_home()

    def action_tree_last(self) -> None:
        self.query_one(Tree).action_scroll_end()

    def action_fold(self, expand: bool | None = None) -> None:
        """Fold (``False``), unfold (``True``) or toggle the branch under the cursor."""
        node = self.query_one(Tree).cursor_node
        if node is None or not node.allow_expand:
            return
        if expand is None:
            node.toggle()
        elif expand:
            node.expand()
        else:
            node.collapse()

    async def action_open(self) -> None:
        """The response under the cursor, in the queue (as search's ``enter``)."""
        from reactieveld.tui.screens.search import open_in_queue

        node = self.query_one(Tree).cursor_node
        if node is not None and node.data is not None:
            await open_in_queue(self, node.data, self.i18n)

    async def action_author_history(self) -> None:
        """The author history (as ``h`` on the triage screen) of the response under the
        tree's cursor."""
        from reactieveld.tui.screens.search import AuthorHistoryScreen

        node = self.query_one(Tree).cursor_node
        rid = node.data if node is not None else None
        if rid is None:
            return
        row = self.row if rid == self.row.response.id else await self.store.get(rid)
        if row is not None:
            self.app.push_screen(
                AuthorHistoryScreen(
                    row, store=self.store, codebook=self.codebook, i18n=self.i18n, tz=self.tz
                )
            )
