"""The triage screen: queue tabs, the virtual queue, the response, the keys.

Every key is a :class:`~textual.binding.Binding` with an id (remappable in ``[keys]``);
:meth:`TriageScreen.check_action` greys out those that cannot act on the current item's
platform, and the footer tooltip and the help screen give the connector's reason.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.notifications import Notification, Notify
from textual.screen import Screen
from textual.widgets import Static

from reactieveld.keys import ROW_ACTIONS, key_specs
from reactieveld.model import Capability, OutboxState, RemoteStatus
from reactieveld.store.base import QueueFilter, QueueRow, StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.text import one_line
from reactieveld.tui.claims import ClaimKeeper
from reactieveld.tui.keymap import configured_keys, keys_display
from reactieveld.tui.messages import (
    CursorMoved,
    QueueChanged,
    SaysWorkerErrors,
    after_first_rows,
    notice,
    passed_on,
    run_binding,
    withdraw,
)
from reactieveld.tui.queues import (
    DISAGREE,
    FLAGGED,
    QUEUES,
    REPORTED,
    SECOND,
    FilterChoice,
    queue_filter,
)
from reactieveld.tui.widgets.queue_list import CHUNK, QueueList, ViewContext
from reactieveld.tui.widgets.status_line import QueueTabs, StatusLine

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from reactieveld.drafts import DraftKey
    from reactieveld.model_values import DecisionReason
    from reactieveld.store.values import ActionOutcome
    from reactieveld.tui.services import AppServices
    from reactieveld.tui.widgets.response_view import ResponseView
    from reactieveld.tui.widgets.tag_bar import TagBar

_CAPABILITY = {
    RemoteStatus.APPROVED.value: Capability.APPROVE,
    RemoteStatus.HOLD.value: Capability.HOLD,
    RemoteStatus.SPAM.value: Capability.SPAM,
    RemoteStatus.TRASH.value: Capability.TRASH,
    RemoteStatus.HIDDEN.value: Capability.HIDE,
}
#: Actions that need a response under the cursor (or marked ones).
_ROW_ACTIONS = ROW_ACTIONS

#: Actions that store something: none on a store opened read-only.
_WRITES = {"moderate", "handled", "question", "role", "reply", "note", "undo"}


class ChangedBy(NamedTuple):
    """Who changed a row after this moderator saw it (:meth:`TriageScreen._changed_since`)."""

    #: Another moderator (the newest), None when none did.
    name: str | None
    #: The source whose platform changed it (a sync saw it), None when it did not.
    source: str | None
    #: The platform's change came after every other moderator's.
    site_last: bool
    #: Only this moderator's own decision changed it (nobody else to name).
    own: bool
    #: Every other moderator who changed it, newest first (``name`` is the first).
    names: tuple[str, ...] = ()


#: What a dialog answers (its screen's result).
_Answer = TypeVar("_Answer")


class _TextWrite(Protocol):
    """The store's ``reply`` and ``add_note``: one text on one response."""

    def __call__(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> Awaitable[ActionOutcome]: ...


class TriageScreen(SaysWorkerErrors, Screen[None]):
    """The moderator's main screen."""

    AUTO_FOCUS = "QueueList"

    def __init__(
        self,
        *,
        queue_name: str = "new",
        choice: FilterChoice | None = None,
        response_id: int | None = None,
    ) -> None:
        """``queue_name``, ``choice`` and ``response_id``: where to open (the place of
        the screen this one replaces, e.g. after a language switch)."""
        super().__init__()
        app: AppServices = self.app  # type: ignore[assignment]
        self.rapp = app
        self.i18n = app.i18n
        self._view_context = ViewContext(
            self.i18n, app.codebook, app.tz, app.actor, app.clock, app.drafts
        )
        self.specs = key_specs(app.codebook)
        self._bindings = BindingsMap(
            [
                Binding(
                    s.keys,
                    s.action,
                    self.i18n.t(s.label, **dict(s.label_values)),
                    show=s.show,
                    id=s.id,
                )
                for s in self.specs
            ]
        )
        self.queue_name = queue_name
        self.choice = choice or FilterChoice()
        self._start_at = response_id
        self._allowed: tuple[bool | None, ...] = ()
        self._refused: tuple[str, float] = ("", 0.0)  # the last refused key's notice
        #: Notices due while another screen (a dialog) is on top: shown when this one is.
        self._held_notices: list[Notification] = []
        #: The kept row's notice (:meth:`_tell_kept`) and the row: it goes with the row.
        self._kept_notice: tuple[int, Notification] | None = None
        #: The last action's short notice (_notice): the next one replaces it.
        self._action_notice: Notification | None = None
        #: The response view and the tag bar, once mounted (after the first frame:
        #: :meth:`_mount_the_rest`); None before.
        self._view: ResponseView | None = None
        self._bar: TagBar | None = None
        self._mounting = False  # _mount_the_rest under way (it runs once)
        #: The app's first rows, asked of the store as this first screen is made: the
        #: store's thread reads them while Textual sets up and mounts the screen, and
        #: :meth:`on_mount` awaits them (a later screen loads as any load).
        self._first_rows: asyncio.Task[list[QueueRow]] | None = None
        #: The memory's source names, asked beside the first rows: the queue shows no
        #: source column while there is one (QueueList.show_sources), decided before the
        #: first frame (a later screen has the app's names, read after that frame).
        self._first_sources: asyncio.Task[list[str]] | None = None
        if not app.rows_shown.is_set():
            flt = queue_filter(queue_name, self.choice, app.actor)
            self._first_rows = asyncio.ensure_future(app.store.queue(flt, limit=CHUNK))
            self._first_sources = asyncio.ensure_future(app.store.source_names())

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # What the first frame shows: the header lines and the queue. The tag bar, the
        # response view and the footer follow it (:meth:`_mount_the_rest`): their modules,
        # styles and layout are not on the way to the first rows.
        app = self.rapp
        yield StatusLine(i18n=self.i18n, tz=app.tz, clock=app.clock, id="status-line")
        yield QueueTabs(i18n=self.i18n, id="queue-tabs")
        with Vertical(id="queue-pane"):
            yield Static("", id="queue-header", markup=False)
            yield QueueList(
                app.store,
                self._view_context,
                flt=queue_filter(self.queue_name, self.choice, app.actor),
                id="queue",
            )
        # Where they will be, so that the queue is as tall in the first frame as after it
        # (and draws no more rows for it than it shows then).
        # Blank: a bare Widget draws its own name ("Widget#response-place") in that frame.
        place = Static("", id="response-place")
        place.styles.height = "3fr"
        yield place

    async def _mount_the_rest(self) -> None:
        """After the first frame: the tag bar, the response view (showing the row under
        the cursor) and the footer, below the queue as before."""
        from reactieveld.tui.widgets.footer import KeyFooter
        from reactieveld.tui.widgets.response_view import ResponseView
        from reactieveld.tui.widgets.tag_bar import TagBar

        # Not attached: the app quit before the first frame's refresh (`q` at once).
        if not self.is_attached or self._view is not None or self._mounting:
            return
        self._mounting = True
        app = self.rapp
        bar = TagBar(i18n=self.i18n, codebook=app.codebook, id="tag-bar")
        # Reads through the keys' store until the background reads' one is open (below):
        # the footer and the view never wait for a connection (a team's server far away).
        view = ResponseView(app.reader, self._view_context, id="response")
        place = self.query_one("#response-place")
        with self.app.batch_update():
            await self.mount(bar, view, KeyFooter(), before=place)
            await place.remove()
        self._bar, self._view = bar, view
        self._view_mode(self.queue_name)
        row = self.queue.current
        view.show(row, readonly_reason=self.readonly_reason(row))
        bar.show(row)
        self.refresh_bindings()  # the footer shows the keys (it asks at this signal)
        # The queue is shorter now: a cursor put low in it (``response_id``) stays in view.
        self.call_after_refresh(self.queue.scroll_cursor_visible)
        # Not awaited here: this screen's messages (the keys) never wait for a connection.
        self.run_worker(self._read_through_reader(view), group="reader", exit_on_error=False)

    async def _read_through_reader(self, view: ResponseView) -> None:
        """The view reads through the background reads' store once it is open."""
        view.store = await self.rapp.open_reader()  # opened right after the first frame

    @property
    def queue(self) -> QueueList:
        return self.query_one(QueueList)

    async def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.sources = self.rapp.source_status()
        if self.choice.active:
            status.filter_text = self.choice.describe(self.i18n)
        status.redraw()
        tabs = self.query_one(QueueTabs)
        tabs.active = self.queue_name
        tabs.filtered = self.choice.active
        tabs.names = self.queues
        tabs.redraw()
        self._view_mode(self.queue_name)
        # The app's first rows: one chunk before the first frame (QueueList.load).
        asked, self._first_rows = self._first_rows, None
        names, self._first_sources = self._first_sources, None
        try:
            first: list[QueueRow] | None = None
            stored: list[str] = []
            if asked is not None and names is not None:
                # Together: a failure of one is not left unretrieved behind the other's.
                first, stored = await asyncio.gather(asked, names)
            self.queue.show_sources([*stored, *self.rapp.source_names()])
            await self.queue.load(first=not self.rapp.rows_shown.is_set(), asked=first)
            if self._start_at is not None and await self.queue.jump_to_response(self._start_at):
                self.queue.scroll_cursor_visible()
        except StoreUnreachable:
            # Made while the team's memory is away (a language switch with f2): an empty
            # list and the header's marker, not an error that ends the app; the list is
            # read again when the memory is back (StoreChanged).
            self.rapp.memory_away()
        except StoreError as exc:
            # The server said no to the first read (a table locked past the time limit, a
            # permission): its one line, not a traceback that ends the app; where a later
            # try can help, the list is read again as after an outage.
            said = one_line(exc.said(self.i18n.language), limit=300)
            self.notify(said, severity="error", markup=False)
            if getattr(exc, "retryable", False):
                self.rapp.memory_away(said=True)
        self.call_after_refresh(self.rapp.first_rows_shown)
        self.call_after_refresh(self._mount_the_rest)
        self.rapp.request_counts()

    def _view_mode(self, name: str) -> None:
        """The response view as queue ``name`` wants it: blind (Second coding), or with
        each coder's coding beside the tags (Disagreements); set again as it mounts."""
        view = self._view
        if view is None:
            return
        view.blind = name == SECOND
        view.side_by_side = name == DISAGREE

    def on_resize(self) -> None:
        self._draw_header()
        self.query_one(QueueTabs).redraw()  # the "gefilterd" note shows only where it fits
        if self._bar is not None:
            self._bar.show(self._bar.row)  # its lines follow the screen's height

    def _draw_header(self) -> None:
        from textual.content import Content

        width = self.query_one("#queue-header", Static).size.width or self.size.width
        self.query_one("#queue-header", Static).update(Content(self.queue.header_text(width)))

    # -- reacting -----------------------------------------------------------------------
    @on(CursorMoved)
    def _cursor_moved(self, event: CursorMoved) -> None:
        self._kept_gone()
        row = event.row
        if self._view is not None and self._bar is not None:  # else shown as they mount
            self._view.show(row, readonly_reason=self.readonly_reason(row))
            self._bar.show(row)
        self._claim(row)
        # The footer recomposes on refresh_bindings: only when what is allowed changed.
        allowed = tuple(
            self.check_action(*_parse(s.action)) for s in self.specs if s.action_needs_row
        )
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()

    def _claim(self, row: QueueRow | None) -> None:
        """Claim the response now shown (and so release the one before): others see
        "bezig: Naam" on it. In a worker: moving the cursor never waits for the store."""
        keeper = self.rapp.claims
        rid = row.response.id if row is not None else None
        if keeper is None or (rid is not None and keeper.held == rid):
            return
        self.run_worker(self._hold(keeper, rid), group="claim", exit_on_error=False)

    async def _hold(self, keeper: ClaimKeeper, rid: int | None) -> None:
        await after_first_rows(self.app)
        other = await keeper.open(rid)
        if other is None or not self.is_mounted:
            return  # ours (or the screen was replaced meanwhile, e.g. by f2)
        view = self._view
        shown = view.row if view is not None else None
        if view is not None and shown is not None and shown.response.id == rid:
            # Someone took it after this row was read: say so now, not at the next read.
            if shown.claim != other:
                view.show(replace(shown, claim=other), readonly_reason=view.readonly_reason)

    @on(QueueChanged)
    def _queue_changed(self, event: QueueChanged) -> None:
        self._kept_gone()
        status = self.query_one(StatusLine)
        status.marked = len(self.queue.marked)
        status.redraw()
        self._draw_header()

    @property
    def queues(self) -> tuple[str, ...]:
        """The queue tabs: Flagged after the six where moderation rules are configured,
        then Reported where a platform reports its users' flags, then Second coding and
        Disagreements where responses are double-coded (``[coding] double_share``); no
        Second coding for one who may only read (they never code)."""
        extra: tuple[str, ...] = (FLAGGED,) if self.rapp.shows_flagged() else ()
        if self.rapp.shows_reported():
            extra += (REPORTED,)
        if self.rapp.double_share > 0:
            extra += (DISAGREE,) if self.rapp.read_only else (SECOND, DISAGREE)
        return (*QUEUES, *extra)

    def _coding_counts(self) -> dict[str, int | None]:
        """The double-coding queues' counts as the app read them last."""
        return {SECOND: self.rapp.second_count, DISAGREE: self.rapp.disagree_count}

    def _filter(self, name: str) -> QueueFilter:
        """The store filter of queue tab ``name`` under the current filter choice."""
        return queue_filter(name, self.choice, self.rapp.actor)

    def _header(self) -> tuple[QueueTabs | None, StatusLine | None]:
        """The tabs and the status line, or None for one that is gone: a worker's counts
        or sources can arrive while the app quits and takes the screen's widgets down."""
        try:
            return self.query_one(QueueTabs), self.query_one(StatusLine)
        except NoMatches:
            return None, None

    def show_counts(self, counts: Any) -> None:
        """New store-wide counts from the app's counts worker: the tabs show them when no
        filter is active (else :meth:`show_tab_count` brings the filtered ones)."""
        tabs, status = self._header()
        if tabs is None or status is None:
            return
        if tabs.names != self.queues:
            tabs.names = self.queues
            tabs.redraw()
        if not self.choice.active:
            tabs.counts = _tab_counts(counts, self.queues, self._coding_counts())
            tabs.filtered = False
            tabs.redraw()
        status.outbox_pending = counts.outbox_pending
        status.outbox_conflicts = counts.outbox_conflicts
        status.redraw()

    def show_tab_count(self, choice: FilterChoice, name: str, n: int) -> None:
        """Tab ``name`` holds ``n`` responses under the filter ``choice`` (ignored when
        the moderator has chosen another filter since it was counted)."""
        tabs, _ = self._header()
        if choice != self.choice or tabs is None:
            return
        tabs.counts = {**tabs.counts, name: n}
        tabs.filtered = True
        tabs.redraw()

    def show_sources(self) -> None:
        """Per-source sync state changed."""
        _, status = self._header()
        if status is None:
            return
        status.sources = self.rapp.source_status()
        status.redraw()
        self.queue.show_sources(self.rapp.source_names())  # a second source: its column
        self._draw_header()
        self.refresh_bindings()  # the memory unreachable (or back) greys the writing keys

    async def store_changed(self, new_ids: Sequence[int] = ()) -> None:
        """Rows arrived or changed elsewhere: reload, keeping the cursor on its response
        (kept in place if the change took it out of the list: :meth:`rows_changed`)."""
        await self._reload_in_place()

    async def rows_changed(self, ids: Sequence[int]) -> None:
        """Another moderator changed responses ``ids``: the window is read again in place
        (rows may have left or joined this queue), the cursor stays on its response and
        the scroll with it, marks stay; the response under the cursor reloads its details
        (notes, journal); the tabs are recounted. When the change took the response under
        the cursor out of this list, it stays there, drawn as it is now, until the cursor
        moves, and a notice says who changed it: a key meant for it never lands on the
        next row, and a key on it is refused once (it changed after it was seen)."""
        await self._reload_in_place()

    async def _reload_in_place(self) -> None:
        """The window read again with the cursor kept on its response (a notice when the
        change took it out of this list), and the tabs recounted: what both a store change
        and another moderator's change do."""
        queue = self._live_queue()
        if queue is None:
            return
        kept = await queue.refresh_window(reanchor=True, keep=True)
        if kept is not None:
            await self._tell_kept(kept)
        self.rapp.request_counts()

    def _live_queue(self) -> QueueList | None:
        """The queue, or None when it is gone: another's change can arrive while the app
        quits and takes the screen's widgets down."""
        try:
            return self.query_one(QueueList)
        except NoMatches:
            return None

    async def _tell_kept(self, row: QueueRow, *, notice: bool = True) -> None:
        """The kept row ``row`` (out of the list, under the cursor): who changed it and
        how, first in its text ("anna: spam") and, with ``notice``, in a notice that goes
        when the row goes (:meth:`_kept_gone`). Told from what the store knows of the
        change after the version the moderator saw, whichever refresh brought it
        (:meth:`_changed_since`): another moderator's journal entry names them and what it
        made; the platform's change (a sync saw it) names the source ("blog: changed on
        the site"); the moderator's own decision (its write-back) says nothing; else
        general words ("someone: changed")."""
        from reactieveld.tui.widgets.response_view import undone_what

        rid = row.response.id
        queue = self._live_queue()
        if rid is None or queue is None or queue.kept is None or queue.kept.id != rid:
            return
        who = (await self._changed_since({rid: queue.kept.seen})).get(rid)
        labels: tuple[str, ...]
        if who is not None and who.source is not None and (who.site_last or who.name is None):
            source = one_line(who.source, limit=40)
            # Short: at 80 columns the row's source and status columns say the rest
            # ("blog ... goedgekeurd op de site").
            labels = (self.i18n.t("kept.site", source=source), self.i18n.t("kept.site_short"))
            said = self.i18n.t("kept.site_notice", source=source)
        elif who is not None and who.own:
            labels, said = (), ""  # the moderator's own decision: nobody else to name
        else:
            by = who.name if who is not None else None
            entries = await self.rapp.store.journal(rid, limit=1) if by else []
            # Their newest entry is the last one unless this moderator's came after.
            entry = entries[0] if entries and entries[0].actor == by else None
            # The entry's "after" read as an undo's "before": the words of what it made.
            what = (
                undone_what(self.i18n, self.rapp.codebook, entry.after, entry.before)
                if entry is not None
                else None
            ) or self.i18n.t("kept.changed")
            name = one_line(by, limit=40) if by else self.i18n.t("kept.someone")
            labels = (self.i18n.t("kept.row", name=name, what=what),)
            said = self.i18n.t("kept.notice", name=name, what=what)
        queue = self._live_queue()
        if queue is None:
            return
        queue.label_kept(rid, *labels)
        if notice and said:
            self._kept_gone(going=True)  # one kept row, one notice
            self._kept_notice = (rid, self._say(said, timeout=8))

    async def _changed_since(self, seen: Mapping[int, int]) -> dict[int, ChangedBy]:
        """Who changed the rows of ``seen`` (id -> the version this moderator saw) since,
        as the store knows it (:meth:`Store.changed_since`), from this moderator's side:
        another moderator (the newest), the source when the platform changed it, or this
        moderator's own decision (its own entry, or its write-back the platform answered
        with another status)."""
        me = self.rapp.actor
        out: dict[int, ChangedBy] = {}
        for rid, change in (await self.rapp.store.changed_since(seen)).items():
            others = [a for a in change.by if a != me]
            if not others and change.written_back not in (None, me):
                others = [change.written_back or ""]
            out[rid] = ChangedBy(
                name=others[0] if others else None,
                source=change.site,
                site_last=change.site_last,
                own=not (others or change.site) and bool(change.by or change.written_back),
                names=tuple(others),
            )
        return out

    async def _who_changed(self, ids: Sequence[int], seen: Mapping[int, int]) -> str | None:
        """Who changed the refused rows ``ids`` after this moderator saw them (``seen``),
        each with how many of them, in one line: the other moderators by the names the
        store records, then the sources whose platform changed them, then "someone" for
        rows nobody is known for ("anna (2), bert (1) en blog op de site (1)"); most
        rows first. None when nobody is known. An undo, which is refused on another's
        later journal entry rather than on a version seen, is told from the first row's
        last entry."""
        t = self.i18n.t
        changes = await self._changed_since({i: seen[i] for i in ids if i in seen})
        names: Counter[str] = Counter()
        sources: Counter[str] = Counter()
        for change in changes.values():
            names.update(one_line(name, limit=60) for name in dict.fromkeys(change.names))
            if change.source:
                sources[one_line(change.source, limit=40)] += 1
        someone = sum(
            1 for i in ids if not (i in changes and (changes[i].names or changes[i].source))
        )
        if not changes and ids:
            entries = await self.rapp.store.journal(ids[0], limit=1)
            if entries and entries[0].actor != self.rapp.actor:
                names[one_line(entries[0].actor, limit=60)] += len(ids)
                someone = 0
        if not (names or sources):
            return None

        def most(counts: Counter[str]) -> list[tuple[str, int]]:
            return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

        said = [f"{name} ({n})" for name, n in most(names)]
        said += [t("conflict.who_site", source=source, n=n) for source, n in most(sources)]
        if someone:
            said.append(f"{t('kept.someone')} ({someone})")
        if len(said) == 1:
            return said[0]
        return ", ".join(said[:-1]) + t("conflict.and") + said[-1]

    def _kept_gone(self, *, going: bool = False) -> None:
        """Take the kept row's notice back once the row is gone (the cursor moved on, an
        action took it), or ``going``: it is replaced."""
        if self._kept_notice is None:
            return
        rid, shown = self._kept_notice
        queue = self._live_queue()
        if not going and queue is not None and queue.rereading:
            return  # the kept row is put back at its end (a CursorMoved follows)
        kept = queue.kept if queue is not None else None
        if not going and kept is not None and kept.id == rid:
            return
        self._kept_notice = None
        if shown in self._held_notices:
            self._held_notices.remove(shown)
        else:
            withdraw(self.app, shown)

    # -- what the current item allows --------------------------------------------------
    def _capability_problem(self, rows: Sequence[QueueRow], cap: Capability) -> str | None:
        for row in rows:
            reason = self.rapp.unsupported(row.response.source, cap, row.response)
            if reason:
                return f"{row.response.source}: {reason}"
        return None

    def readonly_reason(self, row: QueueRow | None) -> str | None:
        """Why moderation keys are greyed out on this row (None when they are not)."""
        if row is None:
            return None
        reason = self.rapp.unsupported(row.response.source, Capability.APPROVE)
        if reason is None:
            return None
        return self.i18n.t("view.readonly", reason=reason)

    def action_reason(self, action: str, parameters: Sequence[object] = ()) -> str | None:
        """Why ``action`` cannot act now, or None when it can."""
        if action in _WRITES and self.rapp.read_only:
            return self.rapp.read_only_reason()
        if action in _WRITES and getattr(self.rapp, "memory_unreachable", False):
            return self.i18n.t("unreachable.keys")
        rows = self.queue.target_rows() if self.is_mounted else []
        if action in _ROW_ACTIONS and not rows:
            return self.i18n.t("view.empty")
        if action == "moderate" and parameters:
            return self._capability_problem(rows, _CAPABILITY[str(parameters[0])])
        if action == "reply":
            if len(self.queue.marked) > 1:
                return self.i18n.t("key.reply") + ": 1"
            return self._capability_problem(rows[:1], Capability.REPLY)
        if action == "undo":
            return None
        if action in _SHOW_TAGS and self.queue_name == SECOND:
            return self.i18n.t("second.blind")
        return None

    async def on_key(self, event: events.Key) -> None:
        """The screen's keys, run here one after the other, in the order they were typed.

        None of them is a priority binding: Textual runs those as the key arrives, before
        the ordinary keys typed earlier (``j s`` decided on the row before ``j``'s). A key
        that comes here after one that opened a dialog (typed before the dialog was on
        screen: a fast typist, a paste) goes on to the dialog, in order, instead of acting
        on the queue below it. A key whose action cannot act here says why."""
        if passed_on(self, event):
            return
        if self._refuse(event):
            return
        # The app's own keys (q, f2, D, E, /) too: left to the app, they ran when the key
        # had passed here, while the keys typed after them already acted on the queue
        # (``a j D j``: the second j moved the queue, not reached the dashboard).
        await run_binding(self, event)

    def _refuse(self, event: events.Key) -> bool:
        """True when ``event`` is the key of a greyed-out action, which says why.

        Textual passes the key of a greyed-out binding on unhandled; the footer's tooltip
        says why only to a mouse. A reader pressing ``a``, or ``r`` on a feed that cannot
        reply, reads the reason in a notice (the same line as the tooltip)."""
        active = self.active_bindings.get(event.key)
        if active is None or active.node is not self or active.enabled:
            return False
        reason = active.tooltip
        if not reason or reason == self.i18n.t("view.empty"):
            return False  # an empty queue: nothing to say about a key
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        last, at = self._refused
        if reason == last and now - at < _REFUSED_SECONDS:
            return True  # the same line is still on screen: keys pressed again do not pile up
        self._refused = (reason, now)
        self._say(
            self.i18n.t("key.refused", why=reason),
            severity="warning",
            timeout=_REFUSED_SECONDS,
        )
        return True

    def _say(self, text: str, **kw: Any) -> Notification:
        """A notice (literal text) from this screen: shown only while it is the screen
        on top, not over a dialog opened meanwhile; held until it is on top again."""
        if self.app.screen is self:
            return notice(self.app, text, **kw)
        held = notice(self.app, text, post=False, **kw)
        self._held_notices.append(held)
        return held

    def on_screen_resume(self) -> None:
        held, self._held_notices = self._held_notices, []
        for shown in held:
            shown.raised_at = time.time()  # its time runs from now
            self.app.post_message(Notify(shown))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _WRITES and (
            self.rapp.read_only or getattr(self.rapp, "memory_unreachable", False)
        ):
            return None  # greyed out; the footer's tooltip and the response view say why
        if action in _SHOW_TAGS and self.queue_name == SECOND:
            return None  # greyed out: they would show the first coder's tags
        if action in _ROW_ACTIONS or action == "moderate":
            try:
                return None if self.action_reason(action, parameters) else True
            except Exception:  # noqa: BLE001 - before mount: everything shows, greyed later
                return True
        return True

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # The footer's tooltip of a greyed-out key says why (the connector's reason).
        bindings = super().active_bindings
        for key, active in list(bindings.items()):
            label = self._label(active.binding.action) if active.node is self else None
            if label is not None:
                active = active._replace(binding=replace(active.binding, description=label))
                bindings[key] = active
            if active.node is self and not active.enabled:
                action, params = _parse(active.binding.action)
                reason = self.action_reason(action, params)
                if reason:
                    bindings[key] = active._replace(tooltip=reason)
        return bindings

    def _label(self, action: str) -> str | None:
        """A key's label where this queue gives it another meaning (footer and help):
        ``x`` says "my coding is done" in Second coding and resolves in Disagreements.
        None: the usual one."""
        if action == "handled" and self.queue_name in (SECOND, DISAGREE):
            return self.i18n.t("second.key" if self.queue_name == SECOND else "disagree.key")
        return None

    # -- moving -------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.queue.move(1)

    def action_cursor_up(self) -> None:
        self.queue.move(-1)

    def action_detail(self, direction: int) -> None:
        """``J``/``K``: the response view a page down or up (the queue keeps the keys)."""
        if self._view is not None:
            self._view.page(direction)

    def action_first(self) -> None:
        self.queue.first()

    def action_last(self) -> None:
        self.queue.last()

    def action_page_down(self) -> None:
        self.queue.page(1)

    def action_page_up(self) -> None:
        self.queue.page(-1)

    # -- acting -------------------------------------------------------------------------
    async def _after(self, *, batch: bool, advance: bool, acted: int | None) -> None:
        """Reload after an action; step to the next response when the acted one stays.

        Marks stay after coding (a tag or a role), so marked responses can be coded on
        several counts and then decided on together; a decision uses them up."""
        queue = self.queue
        if batch:
            if advance:
                queue.clear_marks()
            await queue.refresh_window(reanchor=True)
        else:
            await queue.refresh_window()
            current = queue.current
            if advance and current is not None and current.response.id == acted:
                queue.move(1)
        self.rapp.after_action()

    def _targets(self) -> tuple[list[int], bool, int | None]:
        ids = self.queue.target_ids()
        current = self.queue.current
        return ids, bool(self.queue.marked), current.response.id if current else None

    async def action_moderate(self, status: str) -> None:
        ids, batch, acted = self._targets()
        if not ids or self.action_reason("moderate", (status,)):
            return
        seen = self._seen()  # the rows as shown when the key was pressed
        reasons = self.rapp.reasons
        what = self.i18n.t(_DECIDED.get(status) or "queue." + RemoteStatus(status).value)

        async def decide(reason: DecisionReason | None, kept: str = "") -> None:
            outcome = await self.rapp.store.moderate(
                ids, RemoteStatus(status), actor=self.rapp.actor, seen=seen, reason=reason
            )
            if await self._conflicted(outcome):
                return
            if outcome.refused and not outcome.changed:  # none could be sent again
                self._tell_not_resent(outcome.refused)
                return
            await self._after(batch=batch, advance=True, acted=acted)
            if kept:
                said = self.i18n.t("decided.resent", what=what, n=outcome.changed, reason=kept)
                self._notice(said, timeout=_RESENT_SECONDS)
            else:
                asked = len(ids) - len(outcome.refused)
                self._tell_decided(what, outcome.changed, asked=asked)
            self._tell_not_resent(outcome.refused)

        if not reasons.asks(status):
            await decide(reasons.implied(status))
            return
        # A resend is the decision it retries, with the reason given then (the store keeps
        # it): nothing to ask when each one sent again has one. Nothing to ask either when
        # the store sends none of them (their write-backs can never succeed): it says why.
        plan = await self.rapp.store.resends(ids, RemoteStatus(status))
        if len(plan.refused) == len(ids):
            self._tell_not_resent(plan.refused)
            return
        given = [plan.get(rid) for rid in ids if rid not in plan.refused]
        if all(given):
            language = self.i18n.language
            said = {reasons.describe(r.code, r.text, language) for r in given if r}
            await decide(None, one_line("; ".join(sorted(said)), limit=240, joins=True))
            return

        async def chosen(reason: DecisionReason | None) -> None:
            if reason is not None:  # escape: nothing is decided
                await decide(reason)

        from reactieveld.tui.screens.reason import ReasonDialog

        await self.app.push_screen(  # awaited: the keys typed behind go to it (on_key)
            ReasonDialog(i18n=self.i18n, reasons=reasons, decision=what, count=len(ids)),
            self._answered(chosen),
        )

    async def action_handled(self) -> None:
        ids, batch, acted = self._targets()
        if not ids:
            return
        store = self.rapp.store
        # x says "my coding is done" in Second coding (it then counts in the agreement),
        # "resolved" in Disagreements (the tags as they are are the final ones; z
        # reopens): either leaves its queue; nothing is decided (issue 14).
        instead = {
            SECOND: (store.finish_coding, "second.done"),
            DISAGREE: (store.resolve_disagreements, "disagree.done"),
        }.get(self.queue_name)
        if instead is not None:
            act, said = instead
            outcome = await act(ids, actor=self.rapp.actor, seen=self._seen())
            if await self._conflicted(outcome):
                return
            await self._after(batch=batch, advance=True, acted=acted)
            self._notice(self.i18n.t(said, n=outcome.changed), timeout=_DECIDED_SECONDS)
            return
        outcome = await self.rapp.store.mark_handled(ids, actor=self.rapp.actor, seen=self._seen())
        if await self._conflicted(outcome):
            return
        await self._after(batch=batch, advance=True, acted=acted)
        self._tell_decided(self.i18n.t("decided.handled"), outcome.changed)

    async def _tell_if_second_coding(self, acted: int | None) -> None:
        """Outside the Second coding tab a key on a sampled response another moderator
        coded first changes only this moderator's own coding (issue 14), so the tags on
        screen do not change: say where it went, and where to code blind."""
        if acted is None or self.queue_name in (SECOND, DISAGREE) or self.rapp.double_share <= 0:
            return
        entries = await self.rapp.store.journal(acted, limit=1)
        if entries and entries[0].kind.value == "code" and entries[0].actor == self.rapp.actor:
            self._notice(self.i18n.t("second.elsewhere"), timeout=6)

    def _seen(self) -> dict[int, int]:
        """The versions of the rows an action acts on, as the moderator saw them: the
        store refuses the action when another moderator (or the sync) changed one since.
        Every marked row is checked, in the loaded window or not
        (:meth:`QueueList.seen_versions`)."""
        return self.queue.seen_versions()

    async def _conflicted(
        self, outcome: ActionOutcome, seen: Mapping[int, int] | None = None
    ) -> bool:
        """After an action: when the store refused it (rows changed since they were shown),
        say so in one line, naming who changed them (:meth:`_who_changed`), and show the
        rows as they are now. True when it was refused. ``seen``: the versions the action
        was given, when not the rows' versions on screen (an editor opened before)."""
        if not outcome.conflicts:
            return False
        n = len(outcome.conflicts)
        who = await self._who_changed(outcome.conflicts, self._seen() if seen is None else seen)
        if who:
            message = self.i18n.t("conflict.changed", n=n, who=who)
        else:
            message = self.i18n.t("conflict.someone", n=n)
        self._say(message, severity="warning", timeout=10)
        # The rows as they are now; what this shows is what a second press acts on. A
        # marked row that left this list is unmarked (said), never acted on unseen.
        kept = await self.queue.refresh_window(reanchor=True, keep=True)
        if kept is not None:
            await self._tell_kept(kept, notice=False)  # the line above said it
        dropped = await self.queue.accept_refused(outcome.conflicts)
        if dropped:
            self._say(self.i18n.t("conflict.unmarked", n=dropped), severity="warning", timeout=10)
        self.rapp.request_counts()
        return True

    def _tell_decided(self, what: str, n: int, *, asked: int | None = None) -> None:
        """What a decision did, briefly ("Goedgekeurd: 3"): the counts alone do not say
        which key was pressed, or that a row that left the list was acted on. Of the
        ``asked`` responses, those the store left alone had it already (and were handled):
        said as such, not as a bare 0."""
        same = (asked or n) - n
        if same and asked == 1:
            said = self.i18n.t("decided.unchanged", what=what)
        elif same:
            said = self.i18n.t("decided.already", what=what, n=n, same=same)
        else:
            said = self.i18n.t("decided", what=what, n=n)
        # Shown briefly: at a decision a second, toasts must not pile up over the view.
        self._notice(said, timeout=_DECIDED_SECONDS)

    def _notice(self, text: str, *, timeout: float | None = None) -> None:
        """A short notice after an action (a decision, an undo): literal text. It replaces
        the last action's: ten quick ``a`` piled ten "Goedgekeurd: 1" over the view at
        80x24, hiding the response to decide next."""
        before, self._action_notice = self._action_notice, self._say(text, timeout=timeout)
        if before is None:
            return
        if before in self._held_notices:
            self._held_notices.remove(before)
        else:
            withdraw(self.app, before)

    @property
    def _settles(self) -> bool:
        """In the Disagreements queue the codebook keys set the response's tags (the
        final ones), never a coding, whoever coded it first."""
        return self.queue_name == DISAGREE

    async def action_question(self, code: str) -> None:
        ids, batch, acted = self._targets()
        if not ids:
            return
        outcome = await self.rapp.store.toggle_question(
            ids, code, actor=self.rapp.actor, seen=self._seen(), settle=self._settles
        )
        if await self._conflicted(outcome):
            return
        await self._after(batch=batch, advance=False, acted=acted)
        await self._tell_if_second_coding(acted)

    async def action_role(self) -> None:
        ids, batch, acted = self._targets()
        if not ids:
            return
        from reactieveld.tui.screens.role_picker import RolePicker

        current = self.queue.current
        seen = self._seen()  # the rows as shown when the key was pressed

        async def chosen(code: str | None) -> None:
            if code is None:
                return
            outcome = await self.rapp.store.set_role(
                ids, code or None, actor=self.rapp.actor, seen=seen, settle=self._settles
            )
            if await self._conflicted(outcome):
                return
            await self._after(batch=batch, advance=False, acted=acted)
            await self._tell_if_second_coding(acted)

        await self.app.push_screen(  # awaited: the keys typed behind go to it (on_key)
            RolePicker(
                i18n=self.i18n,
                codebook=self.rapp.codebook,
                current=current.role if current and not batch else None,
            ),
            self._answered(chosen),
        )

    def _answered(
        self, answer: Callable[[_Answer], Awaitable[None]]
    ) -> Callable[[_Answer], Awaitable[None]]:
        """A dialog's ``answer`` that reads or writes the memory, as Textual runs it:
        after the dialog closed, outside the key's action, where the app's guard
        (``_dispatch_action``) does not reach. A StoreError is then said as a key's is
        (the team's memory away: the header and one notice; another: its line), never
        the end of the app; the answer keeps what must be kept (a reply's words)."""

        async def guarded(result: _Answer) -> None:
            try:
                await answer(result)
            except StoreError as exc:
                self.rapp.store_failed(exc)

        return guarded

    async def action_reply(self) -> None:
        if self.action_reason("reply"):
            return
        current = self.queue.current
        if current is not None and current.response.id is not None:
            # A reply to a response whose newest reply can never be written back (the
            # comment is gone from the site): the store's plan says why, no editor opens.
            plan = await self.rapp.store.resends([current.response.id], Capability.REPLY)
            if plan.refused:
                self._tell_not_resent(plan.refused)
                return
        await self._write_text("reply", self.rapp.store.reply, advance=True)

    async def action_note(self) -> None:
        await self._write_text("note", self.rapp.store.add_note, advance=False)

    async def _write_text(
        self,
        kind: Literal["reply", "note"],
        write: _TextWrite,
        *,
        advance: bool,
    ) -> None:
        """The editor for a reply or a note on the current row (its draft kept per
        response and kind); the text goes to ``write`` (the store's ``reply`` or
        ``add_note``) as the moderator who saw this version of the row, then a notice,
        then the queue moves on or not."""
        from reactieveld.tui.screens.editor import DraftKey, EditorScreen

        row = self.queue.current
        if row is None or row.response.id is None:
            return
        rid, actor = row.response.id, self.rapp.actor
        response = row.response
        key = DraftKey(kind, rid, author=response.author_name, created_at=response.created_at)
        seen = {rid: self.queue.seen_of(row)}
        done = {"reply": "reply.queued", "note": "note.saved"}[kind]

        async def save(text: str | None) -> None:
            if not text:
                return
            if editor.approved:
                await self._approve_then_reply(rid, text, seen, key)
                return
            try:
                outcome = await write(rid, text, actor=actor, seen=seen)
            except StoreError:
                self.rapp.drafts[key] = text  # kept: the words are still needed
                raise
            if await self._conflicted(outcome, seen):
                self.rapp.drafts[key] = text  # kept: the words are still needed
                return
            self._say(self.i18n.t(done))
            await self._after(batch=False, advance=advance, acted=rid)

        author = one_line(response.author_name, limit=40)
        unsent = await self._unsent_reply(row) if kind == "reply" else ""
        warning, approves = self._unseen_reply(row) if kind == "reply" else ("", False)
        hint = f"{kind}.hint.approve" if approves else f"{kind}.hint"
        self.rapp.draft_to_open(key)  # another window's, kept or changed meanwhile
        editor = EditorScreen(
            self.i18n.t(f"{kind}.title", author=author),
            self.i18n.t(hint),
            text=unsent,
            drafts=self.rapp.drafts,
            draft_key=key,
            i18n=self.i18n,
            save_label="key.send" if kind == "reply" else "key.save",
            warning=warning,
            approve_label="key.approve_send" if approves else None,
        )
        # awaited: the keys typed behind go to it (on_key)
        await self.app.push_screen(editor, self._answered(save))

    def _unseen_reply(self, row: QueueRow) -> tuple[str, bool]:
        """For the reply editor on ``row``: the line saying the site does not show the
        response (every platform shows its approved ones only: WordPress's held, spam and
        trashed comments, a forum's queued or hidden post), "" when it does; and whether
        the editor offers to approve it first (its platform can approve this one)."""
        status = row.response.remote_status
        if status is RemoteStatus.APPROVED:
            return "", False
        line = self.i18n.t("reply.unseen", status=self.i18n.status(status))
        return line, self._capability_problem([row], Capability.APPROVE) is None

    async def _approve_then_reply(
        self, rid: int, text: str, seen: Mapping[int, int], key: DraftKey
    ) -> None:
        """``ctrl+g`` in the reply editor (WordPress's "Approve and Reply"): the approval
        of the response, then the reply, as the two actions they are (journalled in that
        order, so ``z`` takes back the reply first; queued in that order, and the outbox
        sends a response's write-backs in the order made). The approval asks for its
        reason where the configuration says so. Refused (changed since it was seen) or
        not given a reason, nothing is sent and the text is kept as the draft."""
        store, actor = self.rapp.store, self.rapp.actor
        reasons = self.rapp.reasons
        approved = RemoteStatus.APPROVED

        async def decide(reason: DecisionReason | None) -> None:
            try:
                outcome = await store.moderate(
                    [rid], approved, actor=actor, seen=seen, reason=reason
                )
                if await self._conflicted(outcome, seen):
                    self.rapp.drafts[key] = text
                    return
                # The reply acts on the response as the approval left it (its version now).
                now = await store.get(rid)
                after = {rid: now.version} if now is not None else seen
                replied = await store.reply(rid, text, actor=actor, seen=after)
            except StoreError:
                self.rapp.drafts[key] = text  # kept: the words are still needed
                raise
            if await self._conflicted(replied, after):
                self.rapp.drafts[key] = text
                await self._after(batch=False, advance=False, acted=rid)
                return
            self._say(self.i18n.t("reply.approved_queued"))
            await self._after(batch=False, advance=True, acted=rid)

        if not reasons.asks(approved):
            await decide(reasons.implied(approved))
            return

        async def chosen(reason: DecisionReason | None) -> None:
            if reason is None:  # escape: nothing is decided, nothing sent
                self.rapp.drafts[key] = text
                durable = getattr(self.rapp.drafts, "durable", False)
                self._say(self.i18n.t("draft.kept.saved" if durable else "draft.kept"))
                return
            await decide(reason)

        from reactieveld.tui.screens.reason import ReasonDialog

        what = self.i18n.t("queue." + approved.value)
        await self.app.push_screen(
            ReasonDialog(i18n=self.i18n, reasons=reasons, decision=what, count=1),
            self._answered(chosen),
        )

    def _tell_not_resent(self, refused: Mapping[int, str]) -> None:
        """One line for the write-backs the store did not send again because none can ever
        succeed (its resend plan's ``refused``: response id -> stored error): "Not sent
        again: <why>", and how many more when marked ones were."""
        if not refused:
            return
        from reactieveld.failures import error_in_language

        first, *more = refused.values()
        why = error_in_language(first, self.i18n.language)
        if more:
            said = self.i18n.t("outbox.not_resent.more", error=why, more=len(more))
        else:
            said = self.i18n.t("outbox.not_resent", error=why)
        self._say(said, severity="warning", timeout=8)

    async def _unsent_reply(self, row: QueueRow) -> str:
        """The text of ``row``'s reply the platform refused or that conflicted (its
        newest write-back), which the reply editor opens with (a draft goes first): sent,
        it is queued anew as any reply; "" when there is none."""
        if row.outbox_state not in (OutboxState.FAILED.value, OutboxState.CONFLICT.value):
            return ""
        newest = await self.rapp.store.outbox_items(response_id=row.response.id, limit=1)
        item = newest[0] if newest else None
        if item is None or item.action.capability is not Capability.REPLY:
            return ""
        return item.action.text or ""

    def action_mark(self) -> None:
        self.queue.toggle_mark()

    async def action_undo(self) -> None:
        outcome = await self.rapp.store.undo_last(actor=self.rapp.actor)
        if await self._conflicted(outcome, {}):  # refused on others' entries, not versions
            return
        if not outcome.changed:
            self._notice(self.i18n.t("undo.nothing"))
            return
        entries = await self.rapp.store.journal(limit=1)
        await self.queue.refresh_window(reanchor=True)
        if entries and entries[0].response_id is not None:
            await self.queue.jump_to_response(entries[0].response_id)
            self.queue.scroll_cursor_visible()
        what = self._undone_what(entries[0].before, entries[0].after) if entries else None
        self._notice(self._undo_said(what, outcome.changed))
        self.rapp.after_action()

    def _undone_what(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
        """What an undo took back, in words (the journal line's words)."""
        from reactieveld.tui.widgets.response_view import undone_what

        return undone_what(self.i18n, self.rapp.codebook, before, after)

    def _undo_said(self, what: str | None, n: int) -> str:
        """The undo's notice, in the journal line's words."""
        from reactieveld.tui.widgets.response_view import undo_said

        return undo_said(self.i18n, what, n)

    async def action_search(self) -> None:
        await self.rapp.open_search()

    async def action_filters(self) -> None:
        from reactieveld.tui.screens.filters import FilterScreen

        sources = sorted(self.rapp.source_names())

        async def chosen(choice: FilterChoice | None) -> None:
            if choice is not None:
                await self.set_choice(choice)

        await self.app.push_screen(  # awaited: the keys typed behind go to it (on_key)
            FilterScreen(
                i18n=self.i18n, codebook=self.rapp.codebook, sources=sources, current=self.choice
            ),
            self._answered(chosen),
        )

    async def set_choice(self, choice: FilterChoice) -> None:
        """Filter the queue (and the tabs' counts) by ``choice``; an empty one clears."""
        if choice != self.choice:
            tabs = self.query_one(QueueTabs)
            tabs.filtered = choice.active
            # Another filter's counts are not this one's: "…" until counted; without a
            # filter, the store-wide counts the app read last, at once.
            last = self.rapp.last_counts
            tabs.counts = (
                _tab_counts(last, self.queues, self._coding_counts())
                if not choice.active and last is not None
                else {}
            )
            tabs.redraw()
        self.choice = choice
        self.rapp.request_counts()  # on its own connection, beside the queue's load
        status = self.query_one(StatusLine)
        status.filter_text = choice.describe(self.i18n) if choice.active else ""
        status.redraw()
        await self._reload_keeping_place(self._filter(self.queue_name))

    async def _reload_keeping_place(self, flt: QueueFilter) -> None:
        """Load the queue under a new filter: the cursor stays on its response if the
        new list has it, else it is on the list's first row; either way it is on screen
        and the response view shows it (the list starts at the top, not at the old
        scroll position, where no row of a shorter list may be)."""
        current = self.queue.current
        await self.queue.load(flt)
        self.queue.scroll_to(y=0, animate=False, immediate=True)
        if current is not None and current.response.id is not None:
            if await self.queue.jump_to_response(current.response.id):
                self.queue.scroll_cursor_visible()

    async def action_next_queue(self) -> None:
        queues = self.queues
        at = queues.index(self.queue_name) if self.queue_name in queues else -1
        index = (at + 1) % len(queues)
        await self.show_queue(queues[index])

    async def show_queue(self, name: str) -> None:
        """Switch to queue tab ``name`` (new, hold, approved, spam, trash, all,
        flagged, reported)."""
        self.queue_name = name
        tabs = self.query_one(QueueTabs)
        tabs.active = name
        tabs.redraw()
        self.queue.scroll_to(y=0, animate=False, immediate=True)
        self._view_mode(name)
        self.refresh_bindings()  # x reads "done" / "resolved" there (``_label``)
        await self.queue.load(self._filter(name))

    async def show_response(self, response_id: int) -> bool:
        """Put the cursor on a response (switching to "all" if the queue lacks it)."""
        if await self.queue.jump_to_response(response_id):
            self.queue.scroll_cursor_visible()
            return True
        await self.show_queue("all")
        found = await self.queue.jump_to_response(response_id)
        self.queue.scroll_cursor_visible()
        return found

    async def action_thread(self) -> None:
        from reactieveld.tui.screens.thread import ThreadScreen, read_thread

        row = self.queue.current
        if row is None or self.action_reason("thread"):
            return
        # Read here, in the key's action: a memory away is then the key's (the app's
        # _dispatch_action says it), not an error of the new screen's mount.
        part = await read_thread(self.rapp.reader, row)
        await self.app.push_screen(
            ThreadScreen(
                self.rapp.reader,
                row,
                i18n=self.i18n,
                codebook=self.rapp.codebook,
                tz=self.rapp.tz,
                part=part,
            )
        )

    async def action_author_history(self) -> None:
        """``h``: every other response by this author, with its tags (the search
        screen's author history); ``enter`` there jumps to one, ``escape`` returns."""
        from reactieveld.tui.screens.search import AuthorHistoryScreen

        row = self.queue.current
        if row is None or self.action_reason("author_history"):
            return
        await self.app.push_screen(
            AuthorHistoryScreen(
                row,
                store=self.rapp.reader,
                codebook=self.rapp.codebook,
                i18n=self.i18n,
                tz=self.rapp.tz,
            )
        )

    async def action_author_pile(self) -> None:
        """``P``: mark every pending response by this author (author key across sources,
        else name within the source), and say how many and from where, before anything is
        decided: the next decision (with one reason) settles the pile."""
        row = self.queue.current
        if row is None or row.response.id is None:
            return
        pile = await self.rapp.reader.author_pending(row)
        author = one_line(row.response.author_name, limit=40) or "∅"
        if not pile:
            self._notice(self.i18n.t("pile.none", author=author))
            return
        total = self.queue.mark_rows(pile)
        by_source: dict[str, int] = {}
        for r in pile:
            by_source[r.response.source] = by_source.get(r.response.source, 0) + 1
        sources = ", ".join(f"{one_line(name, limit=30)} {k}" for name, k in by_source.items())
        # The author's own count; marks made before (other authors') are said apart, as
        # the one decision settles them too.
        n = sum(by_source.values())
        said = self.i18n.t("pile.marked", n=n, author=author, sources=sources)
        if total > n:
            said += self.i18n.t("pile.marked.total", n=total)
        self._say(said, timeout=8)

    async def action_help(self) -> None:
        from reactieveld.tui.screens.help import HelpScreen

        await self.app.push_screen(HelpScreen(self.help_rows()))

    def help_rows(self) -> list[tuple[str, str, str | None]]:
        """(keys, description, reason it is greyed out) for every key, app keys included."""
        from reactieveld.tui.screens.help import app_help_rows, running_bindings

        running = running_bindings(self)
        rows = [(keys, label, reason) for keys, label, reason, _ in self.key_rows(running)]
        return rows + app_help_rows(self, running)

    def key_rows(
        self, running: Mapping[str, tuple[Any, Binding]]
    ) -> list[tuple[str, str, str | None, str]]:
        """(keys, description, reason it is greyed out, action) for every key of this
        screen's that it runs (not one a widget or priority key takes: ``running``, the
        help's :func:`~reactieveld.tui.screens.help.running_bindings`): the help lists
        them, the palette offers those not greyed out."""
        rows: list[tuple[str, str, str | None, str]] = []
        for s in self.specs:
            # Only the keys this screen runs (not one a widget or priority key takes).
            keys = [
                k
                for k in configured_keys(self.app, s.id, s.keys)
                if k not in running or running[k][0] is self
            ]
            if not keys:
                continue
            action, params = _parse(s.action)
            reason = self.action_reason(action, params) if action in _REASONED else None
            label = self._label(action) or self.i18n.t(s.label, **dict(s.label_values))
            question = self.rapp.codebook.question(str(params[0])) if action == "question" else None
            if question is not None:
                label = self.i18n.t(
                    "palette.question", code=question.code, label=question.label(self.i18n.language)
                )
            rows.append((keys_display(self.app, keys), label, reason, s.action))
        return rows


_REASONED = {"moderate", "reply", "thread", "author_history"}
#: A decision's word in its notice and its reason dialog, where it is not a queue's name
#: (no tab holds the hidden ones: they are in All, and the filter's status "hidden").
_DECIDED = {RemoteStatus.HIDDEN.value: "decided.hidden"}
#: Screens that show the tags of a response: not from the blind Second coding queue.
_SHOW_TAGS = {"thread", "author_history"}
#: How long a decision's notice ("Goedgekeurd: 1") shows.
_DECIDED_SECONDS = 2.0
#: How long the notice of a refused key stays (its reason is one line to read).
_REFUSED_SECONDS = 4.0
#: How long the notice of a decision sent again with the reason given then stays.
_RESENT_SECONDS = 4.0


def _tab_counts(
    counts: Any, names: Sequence[str], coding: Mapping[str, int | None]
) -> dict[str, int]:
    """The numbers of the tabs ``names`` from the store-wide
    :class:`~reactieveld.store.base.Counts`, and the double-coding queues' ``coding``
    (counted apart: Second coding is the moderator's own)."""
    by_status = counts.by_status
    every = {
        "new": counts.by_triage.get("new", 0),
        "hold": by_status.get("hold", 0),
        "approved": by_status.get("approved", 0),
        "spam": by_status.get("spam", 0),
        "trash": by_status.get("trash", 0),
        "all": counts.total,
        REPORTED: getattr(counts, "reported", 0),
        FLAGGED: getattr(counts, "flagged", 0),
    }
    every.update({name: n for name, n in coding.items() if n is not None})
    return {name: every[name] for name in names if name in every}


def _parse(action: str) -> tuple[str, tuple[object, ...]]:
    from textual.actions import parse

    _, name, params = parse(action)
    return name, params
