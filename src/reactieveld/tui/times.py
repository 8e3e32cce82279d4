"""The one rule for a time on screen (the queue, search hits, the thread, notes, the
journal, the header): local time (``tz``), day before month, and the year whenever the
hour alone would leave it in doubt.

As ``ls -l`` does: a time within the last half year (and not ahead of now by more than
:data:`AHEAD`) shows ``dd-mm HH:MM``; any other shows ``dd-mm-yyyy`` in the same 11
cells, so a column of times keeps its width. Within that window a day and month name
one date only; ``25-12`` seen on 6 December is last year's, and says so.

Where a line is narrow (the queue at 80 columns) the same rule in 5 cells
(:func:`format_time_short`): each form gives up the least exact part the next one keeps,
as ``ls`` gives up the hour for the year: ``HH:MM`` today, ``dd-mm`` in that half year,
the year before it. The full time is in the response view.

"Now" is the caller's (the app's clock, :attr:`ReactieveldApp.clock`), so a test sets it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

#: How far back a time shows its hour: half a mean Gregorian year, as ``ls -l``.
RECENT = timedelta(seconds=31_556_952 // 2)
#: How far ahead of now a time still shows its hour: a server's clock or a platform's
#: time zone off by some hours. Further ahead, the date is wrong or far off: its year shows.
AHEAD = timedelta(days=1)
#: The cells of :func:`format_time`'s text, either form.
WIDTH = 11
#: The cells of :func:`format_time_short`'s text, every form.
SHORT_WIDTH = 5


def _aware(value: datetime) -> datetime:
    # A naive time is a bug upstream (the store's rule); read it as UTC, never crash on it.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _day(local: datetime) -> str:
    # Not strftime: %Y of a year before 1000 is not four digits on every platform.
    return f"{local.day:02d}-{local.month:02d}-{local.year:04d}"


def format_time(value: datetime, tz: tzinfo | None, now: datetime) -> str:
    """``value`` in 11 cells: ``dd-mm HH:MM`` if it lies in the half year up to ``now``
    (or at most :data:`AHEAD` after it), else ``dd-mm-yyyy`` and a space."""
    value, now = _aware(value), _aware(now)
    local = value.astimezone(tz)
    if now - RECENT < value <= now + AHEAD:
        return f"{local.day:02d}-{local.month:02d} {format_hour(local, tz)}"
    return _day(local).ljust(WIDTH)


def format_time_short(value: datetime, tz: tzinfo | None, now: datetime) -> str:
    """``value`` in 5 cells: ``HH:MM`` on ``now``'s day (local), ``dd-mm`` in the half
    year of :func:`format_time`'s hour, else ``yyyy`` and a space."""
    value, now = _aware(value), _aware(now)
    local = value.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return format_hour(local, tz)
    if now - RECENT < value <= now + AHEAD:
        return f"{local.day:02d}-{local.month:02d}"
    return f"{local.year:04d}".ljust(SHORT_WIDTH)


def format_date_time(value: datetime, tz: tzinfo | None) -> str:
    """``dd-mm-yyyy HH:MM``: a time with its year always, where there is room."""
    local = _aware(value).astimezone(tz)
    return f"{_day(local)} {format_hour(local, tz)}"


def format_hour(value: datetime, tz: tzinfo | None) -> str:
    """``HH:MM``: a time that is minutes away (a claim's lease, a retry)."""
    local = _aware(value).astimezone(tz)
    return f"{local.hour:02d}:{local.minute:02d}"
