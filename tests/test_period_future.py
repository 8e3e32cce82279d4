"""A period that reaches past today (``stats --until 2030-01-01``) showed figures for days
that have not happened, without a word. The one rule (read/days.py, read by figures'
periods): its figures end today and its line says so; a period wholly after today is one
line and exit 2. The same in ``stats``, the dashboard's period dialog, export's report and
``agreement``, Dutch and English."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers.cli import run_main
from helpers.clock import pin_today
from helpers.dashboard import Host, wait_loaded
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from reactieveld.i18n import text
from reactieveld.read.figures import PeriodError, period_of
from reactieveld.store.open import open_store
from reactieveld.tui.screens.period import PeriodScreen
from reactieveld.tui.widgets.heading import Heading

pytestmark = pytest.mark.usefixtures("cli_isolated")

#: The tests' today; the code under test reads it too (:func:`pinned_today`): read from the
#: clock apart, the test's day and the command's differed on a run across midnight UTC.
TODAY = date(2026, 12, 7)
NOTE = {language: text("stats.until_today", language) for language in ("nl", "en")}


@pytest.fixture(scope="module", autouse=True)
def pinned_today() -> Iterator[None]:
    """Every "today" of the code under test is :data:`TODAY` (for the module, as
    hypothesis runs each example without the function's fixtures)."""
    with pytest.MonkeyPatch.context() as mp:
        pin_today(mp, TODAY)
        yield


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(-60, 60),
    length=st.integers(1, 400),
    language=st.sampled_from(["nl", "en"]),
)
def test_a_period_ends_today_and_says_so(first: int, length: int, language: str) -> None:
    since = TODAY + timedelta(days=first)
    until = since + timedelta(days=length - 1)
    try:
        period = period_of(since=since, until=until, today=TODAY, language=language)
    except PeriodError as exc:
        assert since > TODAY  # only a period wholly after today is refused
        assert f"{since} – {until}" in str(exc) and str(TODAY) in str(exc)
        return
    assert period.first == since and period.last == min(until, TODAY)
    assert period.cut == (until > TODAY)
    assert (NOTE[language] in period.label(language)) == (until > TODAY)


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty memory (read only by these tests)."""
    path = tmp_path_factory.mktemp("future") / "m.db"

    async def make() -> None:
        store = await open_store(str(path))
        await store.close()

    asyncio.run(make())
    return path


#: How agreement's period line joins its days ("from X to Y inclusive").
to = {"nl": "tot en met", "en": "to"}

#: command -> the words before the dates.
COMMANDS = {
    "stats": ["stats"],
    "agreement": ["agreement"],
    "export": ["export", "--format", "md", "--output", "-"],
}


@settings(max_examples=6, deadline=None)
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    ahead=st.integers(1, 4000),
    language=st.sampled_from(["nl", "en"]),
)
def test_the_commands_say_the_period_ends_today(
    memory: Path, command: str, ahead: int, language: str
) -> None:
    today = TODAY
    since = today - timedelta(days=3)
    until = today + timedelta(days=ahead)
    argv = ["--lang", language, "--db", str(memory), *COMMANDS[command]]
    code, out, err = run_main([*argv, "--since", str(since), "--until", str(until)])
    assert code == 0, err
    flat = " ".join(out.split())  # agreement wraps its line
    assert NOTE[language] in flat
    assert f"{since} – {today} (" in flat or f"{since} {to[language]} {today} " in flat
    # Wholly after today: one line, exit 2, nothing printed.
    later = today + timedelta(days=ahead)
    code, out, err = run_main([*argv, "--since", str(later), "--until", str(until)])
    assert (code, out) == (2, "") and err.count("\n") == 1 and err.startswith("reactieveld: ")
    assert str(today) in err


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_dashboards_dialog_says_the_period_ends_today(
    memory: Path, language: str
) -> None:
    today = TODAY
    app = Host(memory, language=language, period=period_of(until=today))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeriodScreen)
        for box, value in (("days", ""), ("since", str(today - timedelta(days=9)))):
            dialog.query_one(f"#period-{box}", Input).value = value
        dialog.query_one("#period-until", Input).value = str(today + timedelta(days=30))
        dialog.query_one("#period-until", Input).focus()
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        await screen.loaded.wait()
        await pilot.pause()
        assert screen.stats is not None and screen.stats.period.last == today
        heading = " ".join(str(screen.query_one("#dash-period", Heading).render()).split())
        assert NOTE[language] in heading, heading
