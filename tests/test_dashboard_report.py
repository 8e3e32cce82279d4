"""The dashboard's ``e`` writes the report of what the dashboard shows: the same period and
the same responses, the figures both give equal (the count of responses, per question,
per question and role), in both languages, on the lived-in demo; and ``reactieveld
stats`` prints, for the same period, what the dashboard shows. The figures are also
computed a second way: SQL through the store's test helper, and the raw rows' oracle."""

from __future__ import annotations

import argparse
import asyncio
import io
import random
from datetime import timedelta

import pytest
from helpers.app import record_notices
from helpers.dashboard import (
    Host,
    demo_db,
    from_the_store,
    report_figures,
    screen_figures,
    wait_loaded,
)
from textual.widgets import DataTable, Static

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.connectors.demo import ANCHOR
from reactieveld.i18n import text as ui_text
from reactieveld.read.figures import Period, period_of, run_stats_command
from reactieveld.reports.formats import Written, report_period
from reactieveld.tui.screens.dashboard import DashboardScreen
from reactieveld.tui.widgets.heading import Heading

pytestmark = pytest.mark.usefixtures("utc")

__all__ = ["demo_db"]  # the demo store, a module fixture (helpers.dashboard)
LANGUAGES = ("nl", "en")


def periods() -> list[Period]:
    """The first run's 30 days, the whole year and more, and periods drawn at random over
    the demo's year (a day, weeks, months; some ending before the anchor)."""
    end = ANCHOR.date()
    rng = random.Random(20261207)
    drawn = [
        period_of(until=end - timedelta(days=rng.randrange(0, 300)), days=rng.choice(days))
        for days in ((1, 2), (7, 14, 21), (45, 60, 90))
    ]
    return [period_of(today=end), period_of(until=end, days=400), *drawn]


PERIODS = periods()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.first}+{len(p)}d")
async def test_e_writes_the_report_of_the_period_on_screen(
    demo_db, tmp_path, monkeypatch, period, language
):
    """Screen, file and store agree: the report names the dashboard's period, counts its
    responses, and gives per question and per role the coverage table's numbers; the
    notice counts the report's responses and quotes of that period."""
    monkeypatch.chdir(tmp_path)
    want = await from_the_store(demo_db, period)
    app = Host(demo_db, language=language, period=period)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        said = record_notices(app)  # type: ignore[arg-type]
        shown = screen_figures(screen)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
    [path] = tmp_path.glob("reactieveld-rapport-*.md")
    written = report_figures(path.read_text(encoding="utf-8"), language)

    assert shown["period"] == period.label(language)
    assert written["period"] == shown["period"]
    assert shown["total"] == written["total"] == want["total"]
    assert shown["questions"] == written["questions"] == want["questions"]
    assert shown["coverage"] == written["coverage"] == want["coverage"]
    quotes = sum(want["questions"].values())  # type: ignore[attr-defined]
    quoted = sum(1 for n in want["questions"].values() if n)  # type: ignore[attr-defined]
    written = Written(want["with_question"], quotes=quotes, questions=quoted)  # type: ignore[arg-type]
    assert said == [written.line(path, language)]


async def test_e_reports_the_period_shown_not_one_computed_again(demo_db, tmp_path, monkeypatch):
    """A dashboard of "the last N days": the report is of the days on screen, even when
    the days it would compute now are others (midnight passed since the figures)."""
    monkeypatch.chdir(tmp_path)
    app = Host(demo_db, language="en", period=None)
    app.make = lambda store: DashboardScreen(store, language="en", until=ANCHOR.date(), days=7)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        shown = screen_figures(screen)
        screen.until = ANCHOR.date() + timedelta(days=1)  # what a refresh would compute now
        await pilot.press("e")
        await app.workers.wait_for_complete()
    [path] = tmp_path.glob("reactieveld-rapport-*.md")
    written = report_figures(path.read_text(encoding="utf-8"), "en")
    assert (
        written["period"] == shown["period"] == period_of(until=ANCHOR.date(), days=7).label("en")
    )
    assert written["total"] == shown["total"]
    # The filters say how to write the same report on the command line.
    first = (ANCHOR.date() - timedelta(days=6)).isoformat()
    assert f"- Filters: `--since {first}`, `--until {ANCHOR.date()}`" in path.read_text()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("period", PERIODS[:3], ids=lambda p: f"{p.first}+{len(p)}d")
async def test_stats_prints_what_the_dashboard_shows(demo_db, period, language):
    """``reactieveld stats --since --until`` of the dashboard's period: its top line, its
    coverage table's numbers, its gaps and key figures are those on screen."""
    args = argparse.Namespace(
        since=period.first.isoformat(),
        until=period.last.isoformat(),
        days=None,
        source=None,
        lang=language,
    )
    out = io.StringIO()
    config = argparse.Namespace(codebook=DEFAULT_CODEBOOK)
    assert await asyncio.to_thread(run_stats_command, config, demo_db, args, out=out) == 0
    printed = out.getvalue().splitlines()
    app = Host(demo_db, language=language, period=period)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        top = str(screen.query_one("#dash-period", Heading).render())
        figures = str(screen.query_one("#dash-figures", Static).render()).splitlines()
        gaps = str(screen.query_one("#dash-gaps", Static).render()).splitlines()
        table = screen.query_one(DataTable)
        stats = screen.stats
        assert stats is not None
        rows = {
            key: [table.get_cell(key, str(r)).plain for r in stats.roles]
            + [table.get_cell(key, "sum").plain]
            for key in (*stats.questions, "all")
        }
    assert printed[2] == top
    for line in [*figures, *gaps]:
        assert line in printed
    width = len(stats.roles) + 1
    all_word = ui_text("stats.all", language)
    coverage = printed[printed.index(ui_text("stats.coverage", language)) :]
    for key, cells in rows.items():
        start = f"  {all_word}" if key == "all" else f"  {key} "
        [line] = [x for x in coverage if x.startswith(start)]
        assert line.split()[-width:] == cells


@pytest.mark.parametrize(
    ("since", "until", "nl", "en"),
    [
        (None, None, "alles (elke reactie in het geheugen)", "all (every response in the memory)"),
        ("2026-03-01", "2026-03-31", "2026-03-01 – 2026-03-31 (31 dagen, UTC)", None),
        ("2026-03-04", "2026-03-04", "2026-03-04 – 2026-03-04 (1 dag, UTC)", None),
        ("2026-03-01", None, "2026-03-01 – … (UTC)", None),
        (None, "2026-03-31", "… – 2026-03-31 (UTC)", None),
        ("2026-03-01T10:30", "2026-03-02", "2026-03-01 10:30 – 2026-03-02 (UTC)", None),
    ],
)
def test_the_report_names_its_period_as_the_dashboard(since, until, nl, en):
    """``--since``/``--until`` dates are whole UTC days, named as the dashboard names
    them; a bound within a day with its time; a missing one as "…"; none: the memory."""
    from reactieveld.read.figures import parse_date

    lo = parse_date(since) if since else None
    hi = parse_date(until, end=True) if until else None
    assert report_period(lo, hi, "nl") == nl
    assert report_period(lo, hi, "en") == (en or nl.replace("dagen", "days").replace("dag", "day"))
