"""The tests' clock, pinned: a test that reads "today" (or now) at one moment and the code
under test at another fails on a run that crosses midnight UTC, and dates typed as "future"
turn past. Such a test pins the moment the code reads and derives its dates from it."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

import pytest


def stopped_clock(at: datetime) -> type[datetime]:
    """A ``datetime`` whose ``now`` is always ``at`` (aware, any zone asked for)."""

    class Stopped(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:
            return at.astimezone(tz) if tz is not None else at.astimezone().replace(tzinfo=None)

    return Stopped


def pin_today(mp: pytest.MonkeyPatch, today: date) -> None:
    """Every "today" of a period (``read.days.today_utc``, the one rule that reads the
    clock for one) is ``today``: its noon UTC."""
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    mp.setattr("reactieveld.read.days.datetime", stopped_clock(noon))
