"""The dashboard's period (``p``): the dialog reads since, until and days by the rule of
``reactieveld stats`` (one function, the same one-line errors); the chosen period is the
heading's, every figure's (those ``stats --since --until`` prints for the same store)
and ``e``'s report's; a bad date says so and keeps the period on screen."""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
from contextlib import redirect_stderr
from datetime import date, timedelta

import pytest
from helpers.clock import pin_today
from helpers.dashboard import (
    Host,
    demo_db,
    from_the_store,
    report_figures,
    screen_figures,
    wait_loaded,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.widgets import Input, Static

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.connectors.demo import ANCHOR
from reactieveld.i18n import I18n
from reactieveld.read.figures import (
    PeriodError,
    period_from_text,
    period_of,
    run_stats_command,
)
from reactieveld.tui.screens.period import PRESETS, PeriodScreen, PresetSet, field_names
from reactieveld.tui.widgets.heading import Heading
from reactieveld.tui.widgets.toggles import CharRadioButton, FieldLabel

pytestmark = pytest.mark.usefixtures("utc")
__all__ = ["demo_db"]  # the demo store, a module fixture of the report tests

#: The tests' today, pinned (:func:`pinned_today`): read from the clock when the module was
#: collected, a run that crossed midnight compared the dialog's day before it with stats'
#: day after it (5 failures in one CI), and the typed dates below become past ones in time.
TODAY = date(2026, 12, 8)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every "today" of the code under test is :data:`TODAY`."""
    pin_today(monkeypatch, TODAY)


SINCES = ("", "2026-11-01", " 2026-10-02 ", "2026-12-25", "2026-13-01", "1-11-2026")
UNTILS = ("", "2026-11-10", "2026-10-01", "gisteren")
DAYS = ("", "1", "7", "0", "-3", "abc")


def _stats_says(since: str, until: str, days: str, language: str) -> str:
    """What ``reactieveld stats`` with these options prints on stderr (exit 2), "" when
    it accepts them: its one line without the command's name."""
    args = argparse.Namespace(
        since=since or None, until=until or None, days=int(days) if days else None, lang=language
    )
    err = io.StringIO()
    config = argparse.Namespace(codebook=DEFAULT_CODEBOOK)
    with redirect_stderr(err):
        code = asyncio.run(_stats_check(config, args))
    return err.getvalue().strip().removeprefix("reactieveld: ") if code == 2 else ""


async def _stats_check(config: argparse.Namespace, args: argparse.Namespace) -> int:
    # The period check of stats runs before it opens the store: a missing one is fine.
    from reactieveld.read.figures import _stats_main

    try:
        return await _stats_main(config, "/nonexistent/memory.db", args, io.StringIO())
    except Exception:  # past the period: the store (not there) is not this test's
        return 0


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_dialogs_rule_is_the_rule_of_stats(language: str) -> None:
    """Every combination of typed since, until and days: the dialog's reading is
    ``period_of``'s, and it refuses with the line ``reactieveld stats`` prints."""
    for since, until, days in itertools.product(SINCES, UNTILS, DAYS):
        try:
            period, n = period_from_text(since, until, days, today=TODAY, language=language)
        except PeriodError as exc:
            said = str(exc)
            assert "\n" not in said
            if days == "abc":  # stats' argparse refuses it first; the dialog says so too
                whole = {"nl": "geen geheel getal", "en": "not a whole number"}[language]
                assert said == f"--days 'abc': {whole}"
            else:
                assert said == _stats_says(since.strip(), until, days, language)
            continue
        assert n == (int(days) if days else None)
        assert period == period_of(
            since=since.strip() or None,
            until=until or None,
            days=n,
            today=TODAY,
            language=language,
        )


async def _choose(
    pilot, since: str, until: str, days: str | None, *, days_first: str = ""
) -> PeriodScreen:
    """``p``, the three boxes typed (``days`` None: left as it was; ``days_first``: the
    days box holds that before the dates are typed, as the dialog fills it for the
    default period, the last 30 days), ``enter``."""
    await pilot.press("p")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, PeriodScreen)
    edits = (("days", days_first or None), ("since", since), ("until", until), ("days", days))
    for box, value in edits:
        if value is not None:
            dialog.query_one(f"#period-{box}", Input).value = value
            await pilot.pause()
    dialog.query_one("#period-until", Input).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return dialog


@pytest.mark.parametrize(("language", "size"), [("nl", (60, 20)), ("en", (80, 24))])
async def test_p_chooses_the_period_of_the_figures_and_the_report(
    demo_db, tmp_path, monkeypatch, language, size
):
    monkeypatch.chdir(tmp_path)
    first, last = ANCHOR.date() - timedelta(days=140), ANCHOR.date() - timedelta(days=50)
    chosen = period_of(since=first, until=last)
    want = await from_the_store(demo_db, chosen)
    args = argparse.Namespace(
        since=first.isoformat(), until=last.isoformat(), days=None, source=None, lang=language
    )
    out = io.StringIO()
    config = argparse.Namespace(codebook=DEFAULT_CODEBOOK)
    assert await asyncio.to_thread(run_stats_command, config, demo_db, args, out=out) == 0
    printed = out.getvalue().splitlines()
    bad = await asyncio.to_thread(_stats_says, "2026-02-30", "", "", language)
    assert bad.startswith("--since '2026-02-30': ")

    app = Host(demo_db, language=language, period=period_of(until=ANCHOR.date()))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        before = screen_figures(screen)
        # A bad date: the one line of stats, in the dialog; escape keeps the old period.
        dialog = await _choose(pilot, "2026-02-30", "", "")
        assert app.screen is dialog
        error = dialog.query_one("#period-error", Static)
        said = str(error.render())
        assert said == _in_the_dialogs_names(bad, dialog)
        # Whole at 60x20 too (the dialogs' short layout): the error and the buttons.
        await pilot.resize_terminal(*size)
        await pilot.pause()
        for shown in (error, dialog.query_one("#period-go"), dialog.query_one("#preset-365")):
            assert shown.region.bottom <= size[1] - 1 and shown.region.right <= size[0]
        await pilot.resize_terminal(80, 24)  # the heading's one line, as screen_figures reads it
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen_figures(screen) == before

        # The period typed: the heading, the figures (those of stats for it), the report.
        # Two dates typed over the days the dialog filled in: the days box empties (at
        # most two of the three, as stats reads them), no error.
        await _choose(pilot, first.isoformat(), last.isoformat(), None, days_first="30")
        assert app.screen is screen
        await screen.loaded.wait()
        await pilot.pause()
        shown = screen_figures(screen)
        top = str(screen.query_one("#dash-period", Heading).render())
        figures = str(screen.query_one("#dash-figures", Static).render()).splitlines()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()

        # A quick choice: its (•) follows the boxes; enter on one applies it.
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeriodScreen)
        assert dialog.query_one("#preset-custom", CharRadioButton).value  # the typed one
        presets = dialog.query_one(PresetSet)
        for _ in range(len(PRESETS) + 1):
            if presets._nodes[presets._selected or 0].id == "preset-90":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        await screen.loaded.wait()
        assert screen.stats is not None and screen.stats.period == period_of(days=90)
        assert screen_figures(screen)["period"] == period_of(days=90).label(language)
    assert shown["period"] == chosen.label(language)
    assert shown["total"] == want["total"] != before["total"]
    assert shown["questions"] == want["questions"]
    assert shown["coverage"] == want["coverage"]
    assert printed[2] == top
    for line in figures:
        assert line in printed
    [path] = tmp_path.glob("reactieveld-rapport-*.md")
    written = report_figures(path.read_text(encoding="utf-8"), language)
    assert written["period"] == chosen.label(language)
    assert written["total"] == want["total"]
    assert f"`--since {first}`, `--until {last}`" in path.read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None)
@given(
    since=st.one_of(st.none(), st.dates()),
    until=st.one_of(st.none(), st.dates()),
    days=st.one_of(st.none(), st.integers(min_value=-5, max_value=10**12)),
    language=st.sampled_from(["nl", "en"]),
)
def test_any_period_is_days_or_one_line(since, until, days, language):
    """Whatever is typed in the dialog or given to ``stats`` (dates near year 1 or 9999,
    a number of days past the calendar): a period whose first and last moments exist, or
    a PeriodError with its one line, never another exception (``stats --days 99999999``
    ended in Python's OverflowError)."""
    try:
        period = period_of(since=since, until=until, days=days, today=TODAY, language=language)
    except PeriodError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert period.start <= period.end
    typed = period_from_text(
        since.isoformat() if since else "",
        until.isoformat() if until else "",
        str(days) if days is not None else "",
        today=TODAY,
        language=language,
    )
    assert typed[0] == period


# -- the errors name the dialog's fields, stats' its flags --------------------------------

#: Characters of a typed date that is none: "--since" cannot be spelt from them.
NOT_DATES = st.text(alphabet="0123456789-/ .x", min_size=1, max_size=12).filter(
    lambda v: bool(v.strip()) and not _is_date(v)
)
DATES = st.dates()


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _maybe(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), values)


def _iso(day: date) -> str:
    return day.isoformat()


#: Every kind of error, the parts its line names, and the boxes (since, until, days)
#: that make it, generated. The days typed are what ``stats --days`` takes (a whole
#: number) but for "days_int", which its argparse refuses before the rule.
KINDS: dict[str, tuple[tuple[str, ...], st.SearchStrategy[tuple[str, str, str]]]] = {
    "date_since": (
        ("since",),
        st.tuples(NOT_DATES, _maybe(DATES.map(_iso)), st.just("")),
    ),
    "date_until": (
        ("until",),
        st.tuples(_maybe(DATES.map(_iso)), NOT_DATES, _maybe(st.integers(1, 400).map(str))),
    ),
    "days": (
        ("days",),
        st.tuples(_maybe(DATES.map(_iso)), _maybe(NOT_DATES), st.integers(-(10**6), 0).map(str)),
    ),
    "three": (
        ("since", "until", "days"),
        st.tuples(DATES.map(_iso), DATES.map(_iso), st.integers(1, 10**6).map(str)),
    ),
    "range": (
        (),
        st.integers(0, 500).flatmap(
            lambda k: st.tuples(
                st.just(""),
                st.just(_iso(date(1, 1, 1) + timedelta(days=k))),
                st.integers(k + 2, 10**7).map(str),
            )
        ),
    ),
    "future": (
        ("since",),
        st.dates(min_value=TODAY + timedelta(days=1)).map(lambda d: (_iso(d), "", "")),
    ),
    "order": (
        ("since", "until"),
        st.tuples(DATES, DATES)
        .filter(lambda pair: pair[0] > pair[1])
        .map(lambda pair: (_iso(pair[0]), _iso(pair[1]), "")),
    ),
    "days_int": (
        ("days",),
        st.tuples(
            _maybe(DATES.map(_iso)),
            st.just(""),
            st.text(alphabet="0123456789.,x -", min_size=1, max_size=8).filter(
                lambda v: bool(v.strip()) and not v.strip().lstrip("-").isdigit()
            ),
        ),
    ),
}
FLAGS = {"since": "--since", "until": "--until", "days": "--days"}


def _field_names(language: str) -> dict[str, str]:
    """The dialog's fields as it shows them (the labels' names before " ("), quoted."""
    i18n = I18n(language)
    shown = {part: i18n.t(f"period.{part}", field=i18n.t(f"period.field.{part}")) for part in FLAGS}
    return {part: f'"{label.split(" (")[0]}"' for part, label in shown.items()}


def _in_the_dialogs_names(line: str, dialog: PeriodScreen) -> str:
    """``stats``' line with each flag named as the dialog's label on screen names it."""
    names = {
        label.field.removeprefix("period-"): f'"{label.text.split(" (")[0]}"'
        for label in dialog.query(FieldLabel)
        if label.field != "period-presets"
    }
    for part, flag in FLAGS.items():
        line = line.replace(flag, names[part])
    return line


@settings(max_examples=300, deadline=None)
@given(data=st.data(), kind=st.sampled_from(sorted(KINDS)), language=st.sampled_from(["nl", "en"]))
def test_each_error_names_the_dialogs_fields_there_and_the_flags_in_stats(data, kind, language):
    """The dialog shared stats' rule and so its words: a bad date in "Vanaf" said
    "--since '2026-13-01': geen datum", naming a flag the dialog has not. Every kind of
    error, in both languages: in the dialog the line names its fields as their labels
    show them ("Vanaf", "Dagen"), never a flag; ``stats`` prints the same line with its
    flags (the one rule, two namings)."""
    parts, boxes = KINDS[kind]
    since, until, days = data.draw(boxes)
    names = _field_names(language)
    with pytest.raises(PeriodError) as dialog:
        period_from_text(
            since, until, days, today=TODAY, language=language, names=field_names(I18n(language))
        )
    said = str(dialog.value)
    assert "\n" not in said
    for part in FLAGS:
        assert FLAGS[part] not in said
        assert (names[part] in said) == (part in parts), (part, said)
    if kind == "days_int":  # stats' argparse refuses it; the rule's own line names the flag
        with pytest.raises(PeriodError) as flags:
            period_from_text(since, until, days, today=TODAY, language=language)
        printed = str(flags.value)
    else:
        printed = _stats_says(since.strip(), until.strip(), days, language)
    for part in FLAGS:
        assert (FLAGS[part] in printed) == (part in parts), (part, printed)
    for part in FLAGS:
        printed = printed.replace(FLAGS[part], names[part])
    assert said == printed


#: One of each kind of error, typed in the dialog's boxes (since, until, days). Not
#: "three": a third box typed empties one of the others (the dialog keeps at most two).
ON_SCREEN: dict[str, tuple[str, str, str]] = {
    "date_since": ("2026-13-01", "", ""),
    "date_until": ("", "gisteren", "7"),
    "days": ("", "", "0"),
    "range": ("", "0001-01-05", "30"),
    "future": ((TODAY + timedelta(days=3)).isoformat(), "", ""),
    "order": ("2026-12-25", "2026-11-10", ""),
    "days_int": ("", "", "abc"),
}


def test_the_screens_examples_are_one_of_each_kind():
    assert set(ON_SCREEN) == set(KINDS) - {"three"}


class DialogHost(App[None]):
    """The period dialog alone, in ``language``, today being :data:`TODAY`."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def on_mount(self) -> None:
        self.push_screen(PeriodScreen(i18n=I18n(self.language), shown=None, today=TODAY))


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_dialog_shows_each_error_with_its_fields_at_80x24(language: str) -> None:
    """On screen, at 80x24: each kind of error typed in the boxes (one example each, the
    generated ones are above) is the line of ``stats`` with its flags named as the
    labels above the boxes name their fields, whole on the dialog's error line."""
    app = DialogHost(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeriodScreen)
        for kind, (since, until, days) in ON_SCREEN.items():
            for part, value in (("since", since), ("until", until), ("days", days)):
                dialog.query_one(f"#period-{part}", Input).value = value
            await pilot.pause()
            assert dialog.boxes() == (since, until, days), kind
            dialog.query_one("#period-until", Input).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog, kind
            error = dialog.query_one("#period-error", Static)
            said = str(error.render())
            if kind == "days_int":
                with pytest.raises(PeriodError) as flags:
                    period_from_text(since, until, days, today=TODAY, language=language)
                printed = str(flags.value)
            else:
                stats = (since.strip(), until.strip(), days, language)
                printed = await asyncio.to_thread(_stats_says, *stats)
            assert said == _in_the_dialogs_names(printed, dialog), kind
            assert not any(flag in said for flag in FLAGS.values())
            assert error.region.right <= 80 and error.region.bottom <= 23


async def test_an_error_stays_when_enter_follows_the_typing_at_once() -> None:
    """In tmux, "2026-13-01" and enter sent in one burst showed no error: the boxes'
    change messages of the keys before enter came after it and emptied the error line.
    A box's value changed and applied before its change message is handled: the error
    stays; a box changed afterwards empties it."""
    app = DialogHost("nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeriodScreen)
        error = dialog.query_one("#period-error", Static)
        since = dialog.query_one("#period-since", Input)
        since.value = "2026-13-01"  # its Input.Changed is still to come
        dialog.action_apply()
        await pilot.pause()
        assert str(error.render()).startswith("\"Vanaf\" '2026-13-01': ")
        since.value = "2026-12-01"
        await pilot.pause()
        assert str(error.render()) == ""


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_whole_dialog_stays_on_an_80x24_screen_with_an_error(
    demo_db, tmp_path, language
) -> None:
    """In the app (its stylesheets), at 80x24: the dialog with an error said does not
    scroll, so the period shown now, the quick choices' label, the boxes, the error, the
    buttons and the hint are all on screen. (Its tall buttons and their blank lines
    pushed the period shown and the label off its top: only a scroll bar said so.)"""
    from helpers.app import app_on_file, screen_text, settled

    path = tmp_path / "demo.db"
    path.write_bytes(demo_db.read_bytes())
    app = app_on_file(path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("D")
        await wait_loaded(pilot)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeriodScreen)
        dialog.query_one("#period-days", Input).value = "abc"
        dialog.query_one("#period-days", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        lines = screen_text(app)
        for widget in dialog.query_one("#period").query("*"):
            if widget.display and widget.id != "period-presets" and not widget.has_class("-empty"):
                region = widget.region
                assert region.height and region.y >= 0 and region.bottom <= 23, widget
        shown = "\n".join(lines)
        t = I18n(language).t
        assert dialog.shown is not None
        assert t("period.now", period=dialog.shown.label(language)) in shown
        assert t("period.presets") in shown
        assert str(dialog.query_one("#period-error", Static).render()) in shown


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_an_empty_date_box_shows_the_form_its_label_names(language: str) -> None:
    """The date boxes' placeholder said "YYYY-MM-DD" on a Dutch dialog whose labels say
    "JJJJ-MM-DD": each empty box now shows the form its own label names, in the
    dialog's language."""
    app = DialogHost(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeriodScreen)
        labels = {label.field: label.text for label in dialog.query(FieldLabel)}
        for part in ("since", "until"):
            box = dialog.query_one(f"#period-{part}", Input)
            assert box.placeholder, part
            assert f"({box.placeholder}," in labels[f"period-{part}"], part
