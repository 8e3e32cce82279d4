"""The dialogue dashboard: the figures of reactieveld.read.figures on screen, and its snapshot."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from helpers.app import app_on_memory
from helpers.clock import pin_today
from helpers.dashboard import SIZE, Host, wait_loaded
from helpers.data import load_demo
from reportdata import build
from textual.widgets import DataTable, Static

from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.dashboard import DashboardScreen, report_path
from reactieveld.tui.widgets.heading import Heading

pytestmark = pytest.mark.usefixtures("utc")


def memory(tmp_path, monkeypatch):
    async def make():
        store, _ = await build(tmp_path / "m.db", monkeypatch)
        await store.close()

    asyncio.run(make())


async def test_figures_on_screen(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert per_day_on(screen) == [
            "Responses per day per source: 2026-03-02 – 2026-03-04 (3 days, UTC)",
            "  blog   █    3",
            "  forum   ██  4",
        ]
        table = screen.query_one(DataTable)
        assert table.row_count == 9 and table.get_cell("1", "sum").plain == "3"
        assert table.get_cell("all", "sum").plain == "7"  # every response once, per role
        assert table.get_cell("all", "None").plain == "3"
        assert table.get_cell("all", "organisatie").plain == "1"  # r2, by the platform
        assert table.get_cell("2", "None").plain == "2"
        assert table.get_cell("1", "burger").plain == "1"
        assert table.get_cell("3", "sum").style == "bold red"  # a gap in the dialogue
        gaps = str(screen.query_one("#dash-gaps", Static).render())
        assert "Questions without responses: 3, 4, 5, 6, 7, 8" in gaps
        assert "Council member" in gaps and "Burger" not in gaps
        figures = str(screen.query_one("#dash-figures", Static).render())
        assert "Responses from outside the organisation answered: 2 / 5 (40%)" in figures
        assert "Median time to that answer: 4 h 0 min" in figures
        assert "Median time to moderation: 2 h 0 min (over 7 responses)" in figures
        assert "Not coded yet (no planning question): 3 (of which untriaged: 2)" in figures
        # e: a Markdown report in the current directory.
        monkeypatch.chdir(tmp_path)
        await pilot.press("e")
        await pilot.app.workers.wait_for_complete()
        reports = list(tmp_path.glob("reactieveld-rapport-*.md"))
        assert len(reports) == 1
        assert reports[0].read_text().startswith("# Responses per planning question")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)


def per_day_on(screen: DashboardScreen) -> list[str]:
    """The dashboard's per-day lines as text: the heading, then one line per source."""
    head = str(screen.query_one("#dash-per-day", Heading).render())
    return [head, *str(screen.query_one("#dash-series", Static).render()).splitlines()]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_per_day_lines_are_those_of_the_stats_command(tmp_path, monkeypatch, language):
    """One function draws them: the dashboard at 80x24 shows, line for line, what
    ``reactieveld stats`` prints for the same store and period, the period in the heading."""
    from argparse import Namespace
    from io import StringIO

    from helpers.dashboard import DAYS3

    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.read.figures import run_stats_command

    await memory_async(tmp_path, monkeypatch)
    until = DAYS3.last.isoformat()
    args = Namespace(since=None, until=until, source=None, days=len(DAYS3), lang=language)
    out = StringIO()
    ran = asyncio.to_thread(
        run_stats_command, Namespace(codebook=DEFAULT_CODEBOOK), tmp_path / "m.db", args, out=out
    )
    assert await ran == 0
    printed = out.getvalue().splitlines()
    start = next(i for i, x in enumerate(printed) if x.startswith(("Reacties per dag", "Respon")))
    block = printed[start : printed.index("", start)]
    assert block[0].endswith(": " + DAYS3.label(language))  # the period named in the heading
    assert len(block) == 3  # blog and forum
    app = Host(tmp_path / "m.db", language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        assert per_day_on(screen) == block


def test_report_path():
    from datetime import datetime
    from pathlib import Path

    when = datetime(2026, 3, 4, 9, 5)
    assert report_path(when, Path("x")) == Path("x/reactieveld-rapport-20260304-0905.md")


def test_snapshot_dashboard(snap_compare, tmp_path, monkeypatch):
    memory(tmp_path, monkeypatch)

    async def run_before(pilot) -> None:
        await wait_loaded(pilot)

    assert snap_compare(Host(tmp_path / "m.db"), run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize(("size", "language"), [((80, 24), "nl"), ((120, 40), "en")])
def test_snapshot_dashboard_small(snap_compare, tmp_path, monkeypatch, size, language):
    """80x24 and 120x40: the period and the role rule on top, the coverage table whole
    at 120 and scrolling (said under it) at 80, gaps as characters, the keys in the footer."""
    memory(tmp_path, monkeypatch)

    async def run_before(pilot) -> None:
        await wait_loaded(pilot)

    app = Host(tmp_path / "m.db", language=language)
    assert snap_compare(app, run_before=run_before, terminal_size=size)


async def test_i_shows_what_the_figures_count(tmp_path, monkeypatch):
    await memory_async(tmp_path, monkeypatch)
    app = Host(tmp_path / "m.db", language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        lines = screen_lines(app)
        assert any(
            "Period: 2026-03-02 – 2026-03-04 (3 days, UTC) · Responses: 7" in x for x in lines
        )
        assert any("Role = coded, else from the platform, else unknown" in x for x in lines)
        assert any("scroll the table sideways" in x for x in lines)  # 80: it scrolls
        assert not any("What the figures count" in x for x in lines)
        await pilot.press("i")
        await pilot.pause()
        lines = screen_lines(app)
        assert any("What the figures count" in x for x in lines)
        assert any(x.strip().startswith("- Period: calendar days in UTC") for x in lines)


async def test_app_keys_in_the_palette_and_D(tmp_path, monkeypatch):
    from reactieveld.tui.commands import ScreenCommands
    from reactieveld.tui.screens.export import ExportScreen

    # The dashboard's today, pinned: read apart from the app's, it differed across midnight.
    today = date(2026, 12, 8)
    pin_today(monkeypatch, today)
    app, _ = await app_on_memory(tmp_path, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        commands = {
            label: (keys, run) for label, keys, run in ScreenCommands(app.screen)._commands()
        }
        labels = [label for label, _, _ in ScreenCommands(app.screen)._commands()]
        assert len(labels) == len(set(labels))  # search, dashboard, export: once each
        assert commands["Dashboard: waarde van de dialoog"][0] == "D"
        assert commands["Rapport exporteren (md, csv, jsonl)"][0] == "E"
        assert commands["Zoeken"][0] == "/"
        await commands["Rapport exporteren (md, csv, jsonl)"][1]()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await app.screen.loaded.wait()
        # The app's dashboard: the last 30 days ending today (UTC), every figure in them.
        stats = app.screen.stats
        assert stats is not None and stats.period is not None
        assert stats.period.last == today and len(stats.period) == 30
        assert stats.total == 0 and stats.citizen == 0  # the memory is from March
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)


# -- the coverage table fits the screen --------------------------------------------------

LAST = {"nl": "onbekend", "en": "unknown"}
TOTAL = {"nl": "totaal", "en": "total"}


async def memory_async(tmp_path, monkeypatch) -> None:
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def coverage_header(lines: list[str], language: str) -> str:
    first = {"nl": "Vraag", "en": "Question"}[language]
    return next(line for line in lines if line.lstrip().startswith(first + " "))


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_coverage_fits_120_columns(tmp_path, monkeypatch, language):
    await memory_async(tmp_path, monkeypatch)
    app = Host(tmp_path / "m.db", language=language)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_loaded(pilot)
        table = screen.query_one(DataTable)
        assert table.max_scroll_x == 0  # nothing to scroll to: every column is on screen
        lines = screen_lines(app)
        header = coverage_header(lines, language)
        # Every role column whole, the last one too ("onbekend" was cut at 120 columns).
        words = header.split()
        assert header.rstrip().endswith(LAST[language]) and TOTAL[language] in words
        for code in ("burger", "raad", "college", "ambtenaar", "medewerker", "organisatie"):
            assert code in words
        # The question labels are cut visibly (…) and given in full under the figures.
        row = next(line for line in lines if line.lstrip().startswith("1 "))
        assert "…" in row.split("  ")[1]
        full = {"nl": "1 Welke doelen dient de dialoog?", "en": "1 Which goals does the dialogue"}
        assert any(line.strip().startswith(full[language]) for line in lines)
        # The role codes explained, each "code = label" whole on one line.
        legend = {"nl": ["raad = Raadslid"], "en": ["raad = Council member", "klant = Customer"]}
        for pair in legend[language]:
            assert any(pair in line for line in lines)


async def test_coverage_scrolls_sideways_at_80_columns(tmp_path, monkeypatch):
    await memory_async(tmp_path, monkeypatch)
    app = Host(tmp_path / "m.db", language="nl")
    app.animation_level = "none"  # each key's scroll lands at once
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        table = screen.query_one(DataTable)
        assert app.focused is table and table.max_scroll_x > 0
        assert "onbekend" not in coverage_header(screen_lines(app), "nl")
        await pilot.press("right", "right")  # a cell per arrow; end: the last column
        assert table.scroll_x == 2
        await pilot.press("end")
        assert table.scroll_x == table.max_scroll_x
        header = coverage_header(screen_lines(app), "nl")
        # The question column stays while the roles scroll under it.
        assert header.strip().startswith("Vraag") and header.rstrip().endswith("onbekend")
        # Page down scrolls the dashboard itself to the key figures below the fold.
        assert not any("Mediane tijd tot dat antwoord" in line for line in screen_lines(app))
        await pilot.press("pagedown")
        assert any("Mediane tijd tot dat antwoord: 4 u 0 min" in x for x in screen_lines(app))


async def test_coverage_follows_the_width(tmp_path, monkeypatch):
    await memory_async(tmp_path, monkeypatch)
    app = Host(tmp_path / "m.db", language="nl")
    async with app.run_test(size=(180, 40)) as pilot:
        screen = await wait_loaded(pilot)
        questions = screen.query_one("#dash-questions", Static)
        lines = screen_lines(app)
        assert any(x.strip().startswith("1 Welke doelen dient de dialoog?  ") for x in lines)
        assert not questions.display  # nothing cut: no list of the questions in full
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.pause()
        lines = screen_lines(app)
        assert any(x.strip().startswith("1 Welke doelen dient de dialoog?  ") for x in lines)
        assert any(x.strip().startswith("2 Voor welke inhoudelijke onderwerpen") for x in lines)
        assert questions.display  # question 2 is cut at 160
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert questions.display
        header = coverage_header(screen_lines(app), "nl")
        assert len(header.rstrip()) <= 118 and header.rstrip().endswith("onbekend")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_stats_command_fits_120_columns(tmp_path, monkeypatch, language):
    from argparse import Namespace

    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.read.figures import run_stats_command

    memory(tmp_path, monkeypatch)
    out = __import__("io").StringIO()
    args = Namespace(since=None, until="2026-03-04", source=None, days=3, lang=language)
    config = Namespace(codebook=DEFAULT_CODEBOOK)
    assert run_stats_command(config, tmp_path / "m.db", args, out=out) == 0
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 120
    header = next(
        x for x in lines if x.startswith("  " + {"nl": "Vraag", "en": "Question"}[language])
    )
    assert header.split()[-2:] == [LAST[language], TOTAL[language]]
    row = next(x for x in lines if x.startswith("  1 "))
    assert row.split("…")[0].strip() and row.split()[-1] == "3"  # cut with "…", total 3
    # Cut labels: the questions in full below the table, and what the role codes mean.
    full = {
        "nl": "1 Welke doelen dient de dialoog?",
        "en": "1 Which goals does the dialogue serve?",
    }
    assert "    " + full[language] in lines
    assert any(
        x.strip().startswith(
            {"nl": "Rollen: raad = Raadslid", "en": "Roles: burger = Citizen"}[language]
        )
        for x in lines
    )


async def test_the_screen_shows_the_figures_of_the_raw_rows_on_the_demo(tmp_path):
    """The dashboard on the demo, its numbers against the second computation (a Python
    pass over the SQLite file), whatever the demo's numbers are."""
    from figures_oracle import oracle, read_rows

    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.read.figures import format_duration, format_share, period_of

    path = tmp_path / "demo.db"
    store = await SqliteStore.open(path)
    await load_demo(store, count=400, seed=2)
    await store.close()
    newest = max(r.at for r in read_rows(path))
    from datetime import UTC, datetime

    period = period_of(until=datetime.fromtimestamp(newest, UTC).date())
    want = oracle(path, DEFAULT_CODEBOOK, period)

    app = Host(path, language="en", period=period)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_loaded(pilot)
        top = str(screen.query_one("#dash-period", Heading).render())
        assert f"{period.label('en')} · Responses: {want['total']}" in top
        from reactieveld.read.figures import sparkline

        head, *series = per_day_on(screen)
        assert head == f"Responses per day per source: {period.label('en')}"
        assert {line.split()[0]: line for line in series} == {
            name: f"  {name.ljust(max(map(len, want['per_day'])))}  {sparkline(v)}  {sum(v)}"  # type: ignore[arg-type]
            for name, v in want["per_day"].items()  # type: ignore[attr-defined]
        }
        table = screen.query_one(DataTable)
        assert table.get_cell("all", "sum").plain == str(want["total"])
        for role, n in want["by_role"].items():  # type: ignore[attr-defined]
            assert table.get_cell("all", str(role)).plain == str(n)
        figures = str(screen.query_one("#dash-figures", Static).render())
        share = format_share(want["answered"], want["citizen"])  # type: ignore[arg-type]
        assert f"Responses from outside the organisation answered: {share}" in figures
        median = format_duration(want["median_to_answer"], "en")  # type: ignore[arg-type]
        assert f"Median time to that answer: {median}" in figures
        gaps = str(screen.query_one("#dash-gaps", Static).render())
        from reactieveld.read.figures import role_label

        for role in DEFAULT_CODEBOOK.roles:
            named = role_label(DEFAULT_CODEBOOK, role.code, "en") in gaps.split(": ")[-1]
            assert named == (role.code in want["missing_roles"])  # type: ignore[operator]


async def test_a_failure_is_said_on_screen(tmp_path, monkeypatch):
    import reactieveld.tui.screens.dashboard as dash

    await memory_async(tmp_path, monkeypatch)

    async def broken(*args, **kw):  # type: ignore[no-untyped-def]
        raise RuntimeError("database is locked")

    monkeypatch.setattr(dash, "compute_stats", broken)
    app = Host(tmp_path / "m.db", language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        top = str(screen.query_one("#dash-period", Heading).render())
        assert top.startswith("The figures could not be computed (RuntimeError: database is")
        assert screen.stats is None
