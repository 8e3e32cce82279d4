"""The queue tabs count what the moderator's filter lets through: with a filter (``f``)
each tab shows how many responses its queue holds under it (counted by a coalesced
worker on a connection of its own), live as responses arrive or are decided; cleared,
the tabs show the store-wide counts again. No sleeps: the tests wait on workers, and a
gated counter holds a count open to show that keys do not wait for it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from helpers.app import SIZE, ready, settle
from helpers.data import fill_store, sample_responses
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reactieveld.i18n import I18n, number
from reactieveld.model import RemoteStatus
from reactieveld.store.base import QueueFilter
from reactieveld.tui.messages import StoreChanged
from reactieveld.tui.queues import QUEUES, FilterChoice, queue_filter, states_filter, tab_counts
from reactieveld.tui.screens.filters import FilterScreen
from reactieveld.tui.widgets.status_line import QueueTabs

pytestmark = pytest.mark.usefixtures("tui_env")

#: The 30 sample responses: c0..c29, every 5th on hold, the rest approved, all new.
#: Question 5 goes on every 3rd (c0, c3, ..., c27): 10 rows, 2 of them on hold (c0, c15).
QUESTION_5 = {"new": 10, "hold": 2, "approved": 8, "spam": 0, "trash": 0, "all": 10}


@pytest.fixture
async def store(tui_store: Any) -> Any:
    """The sample store with question 5 on every third response."""
    rows = await tui_store.queue(QueueFilter(), limit=100)
    ids = [r.response.id for r in rows if int(r.response.external_id[1:]) % 3 == 0]
    await tui_store.toggle_question(ids, "5", actor="setup")
    return tui_store


@contextlib.asynccontextmanager
async def triage(store: Any, make_app: Any, **filter_values: object) -> AsyncIterator[Any]:
    """(app, pilot, screen) on ``store``, filtered in the dialog by ``filter_values``."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        if filter_values:
            await filter_by(app, pilot, **filter_values)
        yield app, pilot, screen


async def filter_by(app, pilot, **values: object) -> None:
    """Choose a filter in the dialog (``f``) as a moderator does, then let counts finish."""
    await pilot.press("f")
    assert isinstance(app.screen, FilterScreen)
    for name, value in values.items():
        app.screen.query_one(f"#filter-{name}").value = value
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def store_counts(store: Any, choice: FilterChoice) -> dict[str, int]:
    """What the store holds in each tab's queue under ``choice``."""
    return {name: await store.count(queue_filter(name, choice)) for name in QUEUES}


def tabs_of(screen) -> QueueTabs:
    return screen.query_one("#queue-tabs", QueueTabs)


def tabs_text(screen) -> str:
    return tabs_of(screen).render_content().plain


async def test_a_filter_counts_every_tab_under_it(store, make_app):
    async with triage(store, make_app) as (app, pilot, screen):
        assert tabs_of(screen).counts["new"] == 30
        assert "gefilterd" not in tabs_text(screen)

        await filter_by(app, pilot, question="5")

        assert dict(tabs_of(screen).counts) == QUESTION_5
        assert await store_counts(store, FilterChoice(question="5")) == QUESTION_5
        assert screen.queue.total == QUESTION_5["new"]  # the tab says what the queue holds
        text = tabs_text(screen)
        assert "[Nieuw 10]" in text and "In afwachting 2 " in text and "Alles 10 " in text
        assert text.rstrip().endswith("gefilterd")
        assert "filter: vraag 5" in screen.query_one("#status-line").render_content().plain


async def test_deciding_while_filtered_lowers_the_count(store, make_app):
    async with triage(store, make_app, question="5") as (app, pilot, screen):
        rid = screen.queue.current.response.id
        before = (await store.get(rid)).response.remote_status

        await pilot.press("s")  # spam: out of "new", into "spam"
        await settle(app, pilot)

        expected = dict(QUESTION_5, new=9, spam=1, **{before.value: QUESTION_5[before.value] - 1})
        assert dict(tabs_of(screen).counts) == expected
        assert await store_counts(store, FilterChoice(question="5")) == expected
        assert "[Nieuw 9]" in tabs_text(screen)


async def test_arrivals_while_filtered_raise_the_count(store, make_app):
    async with triage(store, make_app, untagged=True) as (app, pilot, screen):
        assert tabs_of(screen).counts["new"] == 20

        # Five responses arrive (untagged, so under the filter), as from a sync round.
        responses, threads = sample_responses(count=5, start=30)
        await fill_store(store, "blog", responses, threads)
        app.post_message(StoreChanged())
        await settle(app, pilot)

        choice = FilterChoice(untagged=True)
        assert dict(tabs_of(screen).counts) == await store_counts(store, choice)
        assert tabs_of(screen).counts["new"] == 25
        assert tabs_of(screen).counts["all"] == 25


async def test_clearing_the_filter_brings_back_the_store_wide_counts(store, make_app):
    async with triage(store, make_app, question="5") as (app, pilot, screen):
        await pilot.press("s")
        await settle(app, pilot)
        assert tabs_of(screen).counts["new"] == 9

        await pilot.press("f")
        await pilot.click("#filter-clear")
        # At once, before any recount: the store-wide counts the app read last.
        assert tabs_of(screen).counts["new"] == 29
        assert "…" not in tabs_text(screen)
        await settle(app, pilot)

        counts = await store.counts()
        assert dict(tabs_of(screen).counts) == {
            "new": counts.by_triage.get("new", 0),
            "hold": counts.by_status.get("hold", 0),
            "approved": counts.by_status.get("approved", 0),
            "spam": counts.by_status.get("spam", 0),
            "trash": counts.by_status.get("trash", 0),
            "all": counts.total,
        }
        assert dict(tabs_of(screen).counts) == {
            "new": 29,
            "hold": 6,
            "approved": 23,
            "spam": 1,
            "trash": 0,
            "all": 30,
        }
        assert "gefilterd" not in tabs_text(screen)
        assert "filter:" not in screen.query_one("#status-line").render_content().plain


class GatedCounter:
    """A counter whose counts wait to be let through: a count as slow as we like."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.calls: list[QueueFilter] = []
        self.started: asyncio.Queue[QueueFilter] = asyncio.Queue()
        self._permits = asyncio.Semaphore(0)
        self._open = False

    async def count(self, flt: QueueFilter) -> int:
        self.calls.append(flt)
        self.started.put_nowait(flt)
        if not self._open:
            await self._permits.acquire()
        return await self.store.count(flt)

    async def next_started(self) -> QueueFilter:
        return await asyncio.wait_for(self.started.get(), 10)

    def let_one_through(self) -> None:
        self._permits.release()

    def open(self) -> None:
        self._open = True
        for _ in self.calls:
            self._permits.release()


async def test_keys_do_not_wait_for_a_slow_count_and_requests_coalesce(store, make_app):
    app = make_app(store)
    counter = app.counter = GatedCounter(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("f")
        app.screen.query_one("#filter-question").value = "5"
        await pilot.press("ctrl+s")
        await counter.next_started()  # the first count is under way and hangs

        # Not counted yet under this filter: no store-wide number pretends to be.
        assert "[Nieuw …]" in tabs_text(screen)
        first = screen.queue.current.response.id
        await pilot.press("j")
        assert screen.queue.current.response.id != first
        await pilot.press("x")  # a decision stores and asks for counts, without waiting

        for _ in range(20):  # a burst of arrivals
            app.request_counts()
        busy = [w for w in app.workers if w.group == "counts" and not w.is_finished]
        assert len(busy) == 1

        counter.open()
        await settle(app, pilot)
        # The round under way, then one more for everything asked meanwhile.
        assert len(counter.calls) == 2 * len(QUEUES)
        expected = await store_counts(store, FilterChoice(question="5"))
        assert dict(tabs_of(screen).counts) == expected
        assert expected["new"] == QUESTION_5["new"] - 1


async def test_a_count_of_an_earlier_filter_is_not_shown(store, make_app):
    app = make_app(store)
    counter = app.counter = GatedCounter(store)
    question, hold = FilterChoice(question="5"), FilterChoice(status=RemoteStatus.HOLD)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await screen.set_choice(question)
        assert await counter.next_started() == queue_filter("new", question)
        await screen.set_choice(hold)
        counter.let_one_through()  # question 5's "new" count comes in late

        # The rest of question 5's round is given up for the filter now chosen...
        assert await counter.next_started() == queue_filter("new", hold)
        # ...and its late count is not shown under this filter.
        assert "[Nieuw …]" in tabs_text(screen)

        counter.open()
        await settle(app, pilot)
        expected = await store_counts(store, hold)
        assert dict(tabs_of(screen).counts) == expected
        assert expected["new"] == 6  # not question 5's 10


def test_the_filtered_tabs_fit_120_columns_in_dutch():
    tabs = QueueTabs(i18n=I18n("nl"))
    tabs.filtered = True
    tabs.counts = {"new": 12, "hold": 3, "approved": 9, "spam": 0, "trash": 0, "all": 12}
    assert tabs.render_content(120).plain.endswith("  gefilterd")
    # A million responses (the bench store's figures): the tabs themselves fill the
    # line, so the note gives way (the header line still names the filter).
    tabs.counts = {
        "new": 1_000_000,
        "hold": 220_266,
        "approved": 699_457,
        "spam": 60_106,
        "trash": 20_171,
        "all": 1_000_000,
    }
    text = tabs.render_content(120).plain
    assert "[Nieuw 1.000.000]" in text and "gefilterd" not in text
    assert cell_len(text) <= 120
    assert tabs.render_content(140).plain.endswith("gefilterd")


@pytest.mark.parametrize(
    "choice",
    [
        FilterChoice(question="5"),
        FilterChoice(question="5", status=RemoteStatus.HOLD),
        FilterChoice(untagged=True),
        FilterChoice(source="blog", status=RemoteStatus.APPROVED),
        FilterChoice(source="elders"),
        FilterChoice(role="raad"),
    ],
)
async def test_one_grouped_count_gives_every_tab(store, choice):
    """store.count_by_state + tab_counts: what counting each tab's queue gives."""
    rows = await store.queue(QueueFilter(), limit=30)
    await store.set_role([rows[0].response.id, rows[3].response.id], "raad", actor="t")
    await store.mark_handled([r.response.id for r in rows[:7]], actor="t")  # new != all
    by_state = await store.count_by_state(states_filter(choice))
    assert tab_counts(choice, by_state) == await store_counts(store, choice)


EXTRA_TABS = ("flagged", "reported", "second", "disagree")


@given(
    language=st.sampled_from(("nl", "en")),
    extra=st.lists(st.sampled_from(EXTRA_TABS), unique=True),
    counts=st.lists(st.integers(0, 9_999_999), min_size=10, max_size=10),
    width=st.integers(40, 200),
    pick=st.integers(0, 9),
)
@settings(max_examples=300, deadline=None)
def test_no_tab_is_cut_at_the_line_s_end(language, extra, counts, width, pick):
    """At 80 columns in Dutch with double coding on, the line ended "…│Tweede 0│Verschil"
    (at 60: "…│Alles 501│Regel"): the last tabs were cut by the terminal, their counts
    and the Second coding and Disagreements tabs themselves gone without a sign. Every
    tab on the line is whole, with its count; those that do not fit are "‹" before the
    current one and "›" after it."""
    i18n = I18n(language)
    tabs = QueueTabs(i18n=i18n)
    tabs.names = (*QUEUES, *[n for n in EXTRA_TABS if n in extra])
    tabs.counts = dict(zip(tabs.names, counts, strict=False))
    tabs.active = tabs.names[pick % len(tabs.names)]
    line = tabs.render_content(width).plain
    whole: dict[str, str] = {}  # a tab as drawn (long or short, current or not): its name
    for name in tabs.names:
        count = number(tabs.counts[name], language)
        for key in ("queue.short.", "queue."):
            label = f"{i18n.t(key + name)} {count}"
            whole |= {label: name, f" {label} ": name, f"[{label}]": name}
    pieces = line.split("│")
    assert all(p in whole or p in ("‹", "›") for p in pieces), pieces
    # The tabs shown are the current one and its neighbours in order, with no gap; those
    # left out before it are one "‹" first, those after it one "›" last.
    drawn = [p for p in pieces if p in whole]
    shown = [whole[p] for p in drawn]
    start = tabs.names.index(shown[0])
    assert shown == list(tabs.names[start : start + len(shown)]), pieces
    assert tabs.active in shown, pieces
    cut_after = start + len(shown) < len(tabs.names)
    assert pieces == ["‹"] * (start > 0) + drawn + ["›"] * cut_after, pieces
    current = next(p for p in pieces if p.startswith("["))
    if cell_len(f"‹│{current}│›") <= width:
        assert cell_len(line) <= width


@settings(max_examples=60, deadline=None)
@given(
    language=st.sampled_from(["nl", "en"]),
    counts=st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=6, max_size=6),
)
def test_a_tab_s_count_is_grouped_as_its_language_writes_it(language, counts):
    """The tabs grouped thousands the Dutch way in English too ("New 140.000" on a
    200,000-response memory, where search said "10,000"): each count is written as the
    interface language writes numbers."""
    tabs = QueueTabs(i18n=I18n(language))
    names = ["new", "hold", "approved", "spam", "trash", "all"]
    tabs.counts = dict(zip(names, counts, strict=True))
    text = tabs.render_content(400).plain
    for name, n in tabs.counts.items():
        label = I18n(language).t("queue." + name)
        assert f"{label} {number(n, language)}" in text, (label, n, text)
