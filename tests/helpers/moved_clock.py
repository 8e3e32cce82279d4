"""Opt-in: the suite on another day. ``REACTIEVELD_TEST_CLOCK=2027-03-01T00:00:30Z`` moves
every ``datetime.now``/``utcnow``/``today`` the product and the tests read there (the clock
still ticks); ``REACTIEVELD_TEST_CLOCK_STEP=90000`` also moves it that many seconds at each
read, so a test that reads the day apart from the code under test fails as a run across
midnight would. Imported first by conftest.py; without the variable it does nothing.
(``time.time`` and the database servers' clocks stay: file times and PostgreSQL's leases.)

    REACTIEVELD_TEST_CLOCK=2028-02-29T23:59:59Z python -m pytest -n 0 tests/test_x.py
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

_MOVED_TO = os.environ.get("REACTIEVELD_TEST_CLOCK")


def _move(to: str, step: float) -> None:
    import asyncpg  # noqa: F401  (its compiled types take the real datetime first)

    real = _dt.datetime
    offset = real.fromisoformat(to.replace("Z", "+00:00")) - real.now(_dt.UTC)
    reads = [0]

    class AnyDatetime(type):
        """A real ``datetime`` is one of the moved ones (values from drivers, ...)."""

        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, real)

        def __subclasscheck__(cls, sub: type) -> bool:
            return issubclass(sub, real)

    class Moved(real, metaclass=AnyDatetime):
        __slots__ = ()

        @classmethod
        def now(cls, tz: _dt.tzinfo | None = None) -> Any:
            reads[0] += 1
            t = real.now(_dt.UTC) + offset + _dt.timedelta(seconds=step * reads[0])
            t = t.astimezone(tz) if tz is not None else t.astimezone().replace(tzinfo=None)
            return real(*t.timetuple()[:6], t.microsecond, tzinfo=t.tzinfo)

        @classmethod
        def utcnow(cls) -> Any:
            return cls.now(_dt.UTC).replace(tzinfo=None)

        @classmethod
        def today(cls) -> Any:
            return cls.now()

    Moved.__module__ = Moved.__qualname__ = Moved.__name__ = "datetime"
    _dt.datetime = Moved  # type: ignore[misc]


if _MOVED_TO:
    _move(_MOVED_TO, float(os.environ.get("REACTIEVELD_TEST_CLOCK_STEP", "0")))
