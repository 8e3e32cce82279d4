"""The one rule for a time on screen (tui/times.py): within the last half year (and not
ahead of now by more than a day) ``dd-mm HH:MM``, any other time ``dd-mm-yyyy`` in the
same 11 cells; so a moderator (or a policy reader quoting the screen) can always tell
the year. Generated around the edges: the half year, the turn of the year, the future,
a leap day, time zones far east and west."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len

from reactieveld.tui.times import (
    format_date_time,
    format_hour,
    format_time,
    format_time_short,
)

DAY = timedelta(days=1)
ZONES: list[tzinfo] = [
    UTC,
    ZoneInfo("Europe/Amsterdam"),
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-12)),
]
nows = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
)


def shown_date(text: str, tz: tzinfo, now: datetime) -> tuple[int, int, int]:
    """The (year, month, day) a reader takes from ``text`` seen at ``now``: the year as
    written, or else the one year that puts the day within the half year up to now (a
    short form that fits two years would leave the reader in doubt: an error here)."""
    day, month = int(text[0:2]), int(text[3:5])
    if text[5] == "-":
        return int(text[6:10]), month, day
    today = now.astimezone(tz).date()
    fits = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = today.replace(year=year, month=month, day=day)
        except ValueError:  # 29-02 in a year without it
            continue
        if -timedelta(days=184) <= candidate - today <= 2 * DAY:
            fits.append(candidate)
    assert len(fits) == 1, (text, now, fits)
    return fits[0].year, month, day


@given(
    now=nows,
    ago=st.one_of(
        st.timedeltas(min_value=-3 * DAY, max_value=400 * DAY),
        # Just either side of the half year and of "now and a day".
        st.timedeltas(min_value=181 * DAY, max_value=184 * DAY),
        st.timedeltas(min_value=-DAY - timedelta(hours=1), max_value=-DAY + timedelta(hours=1)),
    ),
    tz=st.sampled_from(ZONES),
)
@example(now=datetime(2026, 12, 6, 12, 0, tzinfo=UTC), ago=timedelta(days=346), tz=UTC)
def test_a_time_says_its_year_or_leaves_no_doubt_in_11_cells(
    now: datetime, ago: timedelta, tz: tzinfo
) -> None:
    value = now - ago
    text = format_time(value, tz, now)
    assert cell_len(text) == 11, repr(text)
    local = value.astimezone(tz)
    assert shown_date(text, tz, now) == (local.year, local.month, local.day), (text, now)
    if text[5] == " ":  # the short form: day, month, and the hour
        assert text == f"{local:%d-%m %H:%M}"
        assert -DAY <= ago < timedelta(days=183)
    else:
        assert text == f"{local:%d-%m}-{local.year:04d} "
    if timedelta(0) <= ago <= timedelta(days=182):
        assert text[5] == " ", "within the half year: the hour shows"
    if ago >= timedelta(days=183) or ago < -DAY:
        assert text[5] == "-", "older than half a year, or in the future: the year shows"


@given(
    now=nows,
    ago=st.one_of(
        st.timedeltas(min_value=-3 * DAY, max_value=400 * DAY),
        st.timedeltas(min_value=-2 * DAY, max_value=2 * DAY),  # today's edges
    ),
    tz=st.sampled_from(ZONES),
)
def test_the_short_time_is_the_long_one_with_its_least_part_left_out(
    now: datetime, ago: timedelta, tz: tzinfo
) -> None:
    """The queue's 5 cells at a narrow width: the hour today, the day and month where
    the long form shows them with the hour, the year where the long form shows it."""
    value = now - ago
    short, long = format_time_short(value, tz, now), format_time(value, tz, now)
    assert cell_len(short) == 5, repr(short)
    local = value.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        assert short == long[6:] == f"{local:%H:%M}"
    elif long[5] == " ":
        assert short == long[:5]
    else:
        assert short == long[6:10] + " "


AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "value", "expected"),
    [
        # The issue: on 6 December, last Christmas and last week.
        (AT, datetime(2025, 12, 25, 9, 1, tzinfo=UTC), "25-12-2025 "),
        (AT, datetime(2026, 11, 29, 4, 3, tzinfo=UTC), "29-11 04:03"),
        # The half year: just inside, just outside.
        (AT, AT - timedelta(days=182), "07-06 12:00"),
        (AT, AT - timedelta(days=183), "06-06-2026 "),
        # The turn of the year: New Year's Eve seen on New Year's Day, and a year back.
        (
            datetime(2027, 1, 1, 0, 30, tzinfo=UTC),
            datetime(2026, 12, 31, 23, 50, tzinfo=UTC),
            "31-12 23:50",
        ),
        (
            datetime(2026, 12, 31, 23, 50, tzinfo=UTC),
            datetime(2026, 1, 1, 0, 10, tzinfo=UTC),
            "01-01-2026 ",
        ),
        # The future: a few hours ahead (a clock off), and next week.
        (AT, AT + timedelta(hours=3), "06-12 15:00"),
        (AT, AT + timedelta(days=7), "13-12-2026 "),
        # A leap day: within the half year, and a year on.
        (
            datetime(2028, 3, 10, tzinfo=UTC),
            datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
            "29-02 12:00",
        ),
        (
            datetime(2029, 3, 1, tzinfo=UTC),
            datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
            "29-02-2028 ",
        ),
    ],
)
def test_the_edges_by_name(now: datetime, value: datetime, expected: str) -> None:
    assert format_time(value, UTC, now) == expected


def test_local_time_decides_the_day_and_the_year() -> None:
    """Amsterdam's New Year: 23:30 UTC on 31 December is already 01-01 there."""
    ams = ZoneInfo("Europe/Amsterdam")
    value = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert format_time(value, ams, datetime(2026, 1, 2, tzinfo=UTC)) == "01-01 00:30"
    assert format_time(value, ams, AT) == "01-01-2026 "
    assert format_date_time(value, ams) == "01-01-2026 00:30"
    assert format_hour(value, ams) == "00:30"


@given(value=nows, now=nows)
def test_a_full_date_always_has_its_year(value: datetime, now: datetime) -> None:
    local = value.astimezone(ZONES[1])
    assert format_date_time(value, ZONES[1]) == f"{local:%d-%m}-{local.year:04d} {local:%H:%M}"


# -- on screen: the search for "bomen" on 6 December 2026 ---------------------------

ON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
#: (author, time, the queue's and the hit's text, the response view's text)
#: (author, time, in search, in the response view, in the queue at 80 columns)
SHOWN = [
    ("Oud", datetime(2025, 12, 25, 9, 1, tzinfo=UTC), "25-12-2025 ", "25-12-2025 09:01", "2025 "),
    ("Nieuw", datetime(2026, 11, 29, 4, 3, tzinfo=UTC), "29-11 04:03", "29-11-2026 04:03", "29-11"),
]


@pytest.mark.usefixtures("tui_env", "no_color")
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_last_years_response_shows_its_year_in_the_queue_the_view_and_search(
    tmp_path, make_app, language
):
    """A response from last Christmas, seen on 6 December, next to one of last week:
    the queue row and the search hit say 2025 (the other its day; the search its hour
    too), the response view says the whole date; at 80x24, in characters (NO_COLOR)."""
    from dataclasses import replace

    from helpers.app import SMALL, ready, screen_text, settled
    from helpers.store import open_store, page, resp

    from reactieveld.tui.screens.search import SearchScreen

    store = await open_store(str(tmp_path / "m.db"))
    try:
        await store.upsert_page(
            "blog",
            page(
                *(
                    replace(resp(name.lower(), "Meer bomen graag", author=name), created_at=at)
                    for name, at, _, _, _ in SHOWN
                )
            ),
        )
        app = make_app(store, language=language, clock=lambda: ON)
        async with app.run_test(size=SMALL) as pilot:
            triage = await ready(app, pilot)
            for name, _, _, full, in_queue in SHOWN:
                names = [r.response.author_name for r in triage.queue.rows]
                at = names.index(triage.queue.current.response.author_name)
                for _ in range(abs(names.index(name) - at)):
                    await pilot.press("j" if names.index(name) > at else "k")
                await settled(pilot)
                assert triage.queue.current.response.author_name == name
                lines = screen_text(app)
                row = [line for line in lines if line[4:].startswith(f"{in_queue} blog")]
                assert len(row) == 1 and name in row[0], lines
                assert any(f"{name}  {full}  blog" in line for line in lines), "\n".join(lines)
            await pilot.press("slash", *"bomen")
            await settled(pilot)
            assert isinstance(app.screen, SearchScreen) and len(app.screen.rows) == 2
            lines = screen_text(app)
            for name, _, short, _, _ in SHOWN:
                assert any(f"{short}  blog  {name}" in line for line in lines), lines
    finally:
        await store.close()
