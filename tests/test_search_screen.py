"""The search screen: typing searches, highlights are spans, a hit opens in the queue,
an author's history; filters alone list newest first, a filter value that names nothing
is explained in the screen, more than 100 hits say how many; and its snapshot."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, timedelta

import pytest
from helpers.app import ScreenHost, app_on_memory, settled
from reportdata import T0, build
from textual.widgets import Input, OptionList

from reactieveld.model import Page, Response, Source
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.search import AuthorHistoryScreen, SearchScreen

pytestmark = pytest.mark.usefixtures("utc")

SIZE = (120, 30)


def memory(tmp_path, monkeypatch):
    async def make():
        store, ids = await build(tmp_path / "m.db", monkeypatch)
        await store.close()
        return ids

    return asyncio.run(make())


class Host(ScreenHost):
    """A bare app that shows only the search screen (no other screen's pixels)."""

    def __init__(self, path, language="nl", query=""):
        super().__init__(
            path,
            lambda store: SearchScreen(store, language=language, tz=UTC, query=query),
            # A week after the memory began (it spans three days): its times show hours.
            clock=lambda: T0 + timedelta(days=7),
        )


async def test_typing_searches_and_highlights_safely(tmp_path, monkeypatch):
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"parkeren")
        await settled(pilot)
        assert {r.response.external_id for r in screen.rows} == {"r1", "r2", "r6"}
        results = screen.query_one(OptionList)
        prompt = results.get_option_at_index(0).prompt
        body_line = prompt.plain.split("\n")[2]
        marked = [prompt.plain[s.start : s.end] for s in prompt.spans if s.style == "bold reverse"]
        assert marked and all(m.lower() == "parkeren" for m in marked)
        assert "parkeren" in body_line.lower()
        # Who, thread, snippet: each one line cut with "…" at any width, never a snippet
        # wrapped onto more lines below none of its indent (the list draws a prompt as
        # its styles say, whatever the rich Text's no_wrap).
        for i in range(results.option_count):
            visual = results._get_visual(results.get_option_at_index(i))
            assert {visual.get_height(results.styles, w) for w in (30, 58, 78)} == {3}
        # Filters in the box.
        screen.query_one(Input).value = "parkeren bron:forum"
        await settled(pilot)
        assert [r.response.external_id for r in screen.rows] == ["r6"]
        assert "bron:forum" in status_of(screen)
        # A bad one is reported, not raised, and not silently left out.
        screen.query_one(Input).value = "parkeren bron:forum sinds:gisteren"
        await settled(pilot)
        assert screen.rows == [] and results.option_count == 0
        assert status_of(screen).startswith("Niet begrepen: sinds:gisteren")
        assert problem_of(screen) == (
            "sinds:gisteren: geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of een "
            "tijdstip, bijvoorbeeld 2026-03-01T14:30"
        )
        # Markup in a comment is shown literally.
        screen.query_one(Input).value = "horloges"
        await settled(pilot)
        assert "[bold]nu[/]" in results.get_option_at_index(0).prompt.plain
        # h: the author's other responses (by author key: the same e-mail address).
        screen.query_one(Input).value = "Vries"
        await settled(pilot)
        await pilot.press("enter")  # to the list
        assert isinstance(app.focused, OptionList)
        await pilot.press("h")
        await settled(pilot)
        history = app.screen
        assert isinstance(history, AuthorHistoryScreen)
        assert history.row.response.id == ids["r1"] and history.rows == []
        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is screen and [r.response.id for r in screen.rows] == [ids["r1"]]
        await pilot.press("escape")
        await settled(pilot)
        assert not isinstance(app.screen, SearchScreen)


@contextlib.asynccontextmanager
async def opened(tmp_path, monkeypatch, language="nl", query=""):
    """The search screen on the fixed memory of ``tests.reportdata``, settled:
    ``(app, pilot, screen)``."""
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language=language, query=query)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        yield app, pilot, app.screen


def status_of(screen) -> str:
    return str(screen.query_one("#search-status").render())


def problem_of(screen) -> str:
    """The problem text as shown ("" when the problem line is hidden)."""
    widget = screen.query_one("#search-problem")
    return str(widget.render()) if widget.display else ""


@pytest.mark.parametrize(
    ("language", "one", "order"),
    [
        ("nl", "1 treffer", "nieuwste eerst (zonder zoekwoord gesorteerd op datum)"),
        ("en", "1 hit", "newest first (no search word: sorted by date)"),
    ],
)
async def test_filters_alone_list_newest_first(tmp_path, monkeypatch, language, one, order):
    async with opened(tmp_path, monkeypatch, language) as (app, pilot, screen):
        await pilot.press(*"vraag:1")
        await settled(pilot)
        assert [r.response.external_id for r in screen.rows] == ["r6", "r4", "r3", "r1"]
        four = "4 treffers" if language == "nl" else "4 hits"
        # Typed in Dutch, named in the screen's language.
        q1, burger = (
            ("vraag:1", "rol:burger") if language == "nl" else ("question:1", "role:burger")
        )
        assert status_of(screen) == f"{four} · {order} · {q1}"
        await pilot.press(*" rol:burger")
        await settled(pilot)
        assert [r.response.external_id for r in screen.rows] == ["r3"]
        assert status_of(screen) == f"{one} · {order} · {q1} {burger}"
        assert problem_of(screen) == ""
        await pilot.press("enter")  # to the list, as with words
        assert isinstance(app.focused, OptionList)


UNKNOWN = {
    "nl": [
        ("vraag:9", "vraag:9: die planningsvraag staat niet in het codeboek; vragen: 1 Welke"),
        ("rol:burgemeester", "rol:burgemeester: die rol staat niet in het codeboek; rollen: "
         "burger (Burger), raad (Raadslid)"),
        ("status:foo", "status:foo: geen status; statussen: approved (goedgekeurd)"),
        ("bron:nosuchsource", "bron:nosuchsource: die bron staat niet in het geheugen; "
         "bronnen: blog, forum"),
        ("sinds:gisteren", "sinds:gisteren: geen datum; schrijf JJJJ-MM-DD"),
        # The typed value is shown as typed, never read as markup.
        ("bron:[link=x]y", "bron:[link=x]y: die bron staat niet in het geheugen"),
    ],
    "en": [
        ("vraag:9", "vraag:9: no such planning question in the codebook; questions: 1 Which"),
        ("rol:burgemeester", "rol:burgemeester: no such role in the codebook; roles: "
         "burger (Citizen), raad (Council member)"),
        ("status:foo", "status:foo: not a status; statuses: approved, hold (on hold)"),
        ("bron:nosuchsource", "bron:nosuchsource: no such source in the memory; "
         "sources: blog, forum"),
        ("sinds:gisteren", "sinds:gisteren: not a date; write YYYY-MM-DD"),
        ("bron:[b]x[/b]", "bron:[b]x[/b]: no such source in the memory"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_unknown_filter_values_are_explained_in_the_screen(tmp_path, monkeypatch, language):
    async with opened(tmp_path, monkeypatch, language) as (app, pilot, screen):
        box = screen.query_one(Input)
        for typed, expected in UNKNOWN[language]:
            box.value = f"parkeren {typed}"
            await settled(pilot)
            assert app.screen is screen and screen.rows == [], typed
            assert box.value == f"parkeren {typed}"  # the query is kept
            assert problem_of(screen).startswith(expected), problem_of(screen)
            assert status_of(screen).startswith(("Niet begrepen: ", "Not understood: "))
            assert typed in status_of(screen)
        # Typed key by key, then fixed: the hits come back and the problem line goes.
        box.value = ""
        await pilot.press(*"parkeren vraag:9")
        await settled(pilot)
        assert screen.rows == [] and problem_of(screen).startswith("vraag:9: ")
        await pilot.press("backspace", "1")
        await settled(pilot)
        assert {r.response.external_id for r in screen.rows} == {"r1", "r6"}
        assert problem_of(screen) == ""


async def many(path, n: int) -> None:
    """A memory of ``n`` responses in source ``veel``, all saying "stoep"."""
    store = await SqliteStore.open(path)
    await store.ensure_source(Source("veel", "demo"))
    responses = [
        Response("veel", f"v{i}", "t", f"A{i}", f"De stoep nummer {i}", T0 + timedelta(minutes=i))
        for i in range(n)
    ]
    await store.upsert_page("veel", Page(responses=responses))
    await store.close()


@pytest.mark.parametrize(
    ("language", "query", "status"),
    [
        ("nl", "stoep", "100 van 1.234 getoond; verfijn je zoekvraag"),
        ("en", "stoep", "100 of 1,234 shown; refine your search"),
        ("nl", "bron:veel", "100 van 1.234 getoond; verfijn je zoekvraag · nieuwste eerst"),
        ("en", "bron:veel sinds:2026-03-02", "100 of 1,234 shown; refine your search · newest"),
        ("en", "stoep 1233", "1 hit"),
    ],
)
async def test_more_than_100_hits_say_how_many(tmp_path, language, query, status):
    await many(tmp_path / "m.db", 1234)
    app = Host(tmp_path / "m.db", language=language, query=query)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = app.screen
        assert status_of(screen).startswith(status), status_of(screen)
        if "1,234" in status or "1.234" in status:
            assert len(screen.rows) == 100
        if query.startswith("bron:"):
            assert screen.rows[0].response.external_id == "v1233"  # newest first


def test_snapshot_search_screen(snap_compare, tmp_path, monkeypatch):
    memory(tmp_path, monkeypatch)

    async def run_before(pilot) -> None:
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)

    app = Host(tmp_path / "m.db", query="centrumplan")
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def test_slash_in_the_app_opens_search_and_enter_jumps_to_the_hit(tmp_path, monkeypatch):
    from reactieveld.tui.screens.triage import TriageScreen

    app, ids = await app_on_memory(tmp_path, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await triage.queue.loaded.wait()
        await pilot.press("slash")
        await settled(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"zwembad", "enter")
        await settled(pilot)
        # r5 r6 r7 r8 (title "Zwembad De Biezem"); r5 says it too, so it ranks first.
        assert app.screen.rows[0].response.id == ids["r5"]
        expected = app.screen.rows[1].response.id
        await pilot.press("down", "enter")  # the second hit
        await settled(pilot)
        assert app.screen is triage and triage.queue.current.response.id == expected
        # Search from another screen than the queue: the dashboard.
        await pilot.press("D")
        await pilot.pause()
        from reactieveld.tui.screens.dashboard import DashboardScreen

        assert isinstance(app.screen, DashboardScreen)
        await app.screen.loaded.wait()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize(("language", "one"), [("nl", "1 treffer ·"), ("en", "1 hit ·")])
async def test_one_hit_is_singular(tmp_path, monkeypatch, language, one):
    query = "parkeren bron:forum"
    async with opened(tmp_path, monkeypatch, language, query) as (app, pilot, screen):
        assert [r.response.external_id for r in screen.rows] == ["r6"]
        status = str(screen.query_one("#search-status").render())
        assert status.startswith(one), status


#: Each filter as typed, in spellings the box takes (both languages' keys, a status in
#: either language's word, a tab's label), and how the status line writes it in each
#: language (as the rows do: "on hold", quoted so that it can be typed back).
FILTER_SPELLINGS = [
    (["bron:blog", "source:blog"], {"nl": "bron:blog", "en": "source:blog"}),
    (["vraag:1", "question:1", "q:1"], {"nl": "vraag:1", "en": "question:1"}),
    (["rol:burger", "role:burger"], {"nl": "rol:burger", "en": "role:burger"}),
    (
        ["status:hold", "status:On-hold", "status:Wacht", "status:afwachting", "status:wacht"],
        {"nl": "status:wacht", "en": 'status:"on hold"'},
    ),
    (
        ["status:approved", "status:OK", "status:Goed", "status:goedgekeurd"],
        {"nl": "status:goedgekeurd", "en": "status:approved"},
    ),
    (
        ["status:trash", "status:Prul", "status:prullenbak"],
        {"nl": "status:prullenbak", "en": "status:trash"},
    ),
    (["status:spam"], {"nl": "status:spam", "en": "status:spam"}),
    (
        ["sinds:2026-03-01", "since:2026-03-01", "van:2026-03-01", "from:2026-03-01"],
        {"nl": "sinds:2026-03-01", "en": "since:2026-03-01"},
    ),
    (
        ["tot:2026-03-31", "until:2026-03-31", "to:2026-03-31"],
        {"nl": "tot:2026-03-31", "en": "until:2026-03-31"},
    ),
]
#: The keys of the other language, as a status line must not write them.
FOREIGN_KEYS = {
    "nl": ("source:", "question:", "role:", "since:", "until:", "hold", "approved", "trash"),
    "en": ("bron:", "vraag:", "rol:", "sinds:", "tot:", "wacht", "goedgekeurd", "prullenbak"),
}


def _status_on_screen(app, screen) -> str:
    """The status line's characters as the 80-column screen shows them (all its rows)."""
    from helpers.app import screen_text

    region = screen.query_one("#search-status").region
    lines = screen_text(app)[region.y : region.y + region.height]
    return " ".join(line[region.x : region.x + region.width].strip() for line in lines)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_status_line_names_the_filters_in_the_ui_language_whole(
    tmp_path, monkeypatch, language
):
    """At 80x24, every filter typed (in any spelling) is named on the status line in the
    interface's language, and all of them stay readable when they need a second line: in
    the English screen no ``vraag:3``/``sinds:`` and no filter cut off at the edge."""
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = app.screen
        box = screen.query_one(Input)
        queries = [typed for spellings, _ in FILTER_SPELLINGS for typed in spellings]
        # Every filter at once (one spelling each, the other language's keys among them).
        queries.append(" ".join(sp[-1] for sp, _ in FILTER_SPELLINGS if sp != ["status:spam"]))
        for typed in queries:
            box.value = typed
            await settled(pilot)
            shown = _status_on_screen(app, screen)
            wanted = [
                s[language]
                for spellings, s in FILTER_SPELLINGS
                if any(t in typed.split() for t in spellings)
            ]
            assert wanted, typed
            for word in wanted:
                assert word in shown, (typed, shown)
            for foreign in FOREIGN_KEYS[language]:
                assert foreign not in shown, (typed, shown)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("typed", ["status:On-hold", 'status:"In afwachting"', "status:on hold"])
async def test_a_tab_label_is_a_status_and_the_status_line_types_back(
    tmp_path, monkeypatch, language, typed
):
    """At 80x24 the On hold tab's words find the held responses (no problem line), and
    the status line's words for that filter, typed back in the box, find the same ones."""
    import re

    async with opened(tmp_path, monkeypatch, language, "status:hold") as (app, pilot, screen):
        held = [r.response.external_id for r in screen.rows]
        assert held
        box = screen.query_one(Input)
        box.value = typed
        await settled(pilot)
        assert [r.response.external_id for r in screen.rows] == held, typed
        shown = _status_on_screen(app, screen)
        said = re.search(r'status:("[^"]+"|\S+)', shown)
        assert said, shown
        box.value = said.group(0)
        await settled(pilot)
        assert [r.response.external_id for r in screen.rows] == held, said.group(0)


async def test_enter_at_once_after_the_typing_goes_to_the_hits(tmp_path, monkeypatch):
    """In tmux, "parkeren" and enter sent in one burst left the cursor in the box: enter
    came before the search's hits, and with none yet it did nothing. The hits take the
    focus when they come now, so enter goes to them as after a pause."""
    memory, _ = await build(tmp_path / "m.db", monkeypatch)
    await memory.close()
    async with Host(tmp_path / "m.db").run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen) and not screen.rows
        box = screen.query_one(Input)
        box.value = "parkeren"  # its search is still to come
        await box.action_submit()
        await settled(pilot)
        assert screen.rows and screen.focused is screen.query_one(OptionList)
