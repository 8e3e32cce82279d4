"""The days a period may hold: up to today (UTC), never a day still to come.

The one rule of every period's figures (``stats``, the dashboard and its period dialog,
export's report, agreement), here apart from :mod:`reactieveld.read.figures` (which reads
the periods and names this rule) because :mod:`reactieveld.read.agreement`, which figures
imports, says its period by it too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from reactieveld.i18n import text


def today_utc() -> date:
    """Today's date in UTC: the default period ends on it."""
    return datetime.now(UTC).date()


def up_to_today(last: date, today: date | None = None) -> tuple[date, bool]:
    """A period that reaches past today ends today, as no response has arrived on a day
    still to come (counted, such a day would look like a silent one), and its line says
    so (:func:`future_note`). The last day, and whether it was cut."""
    today = today or today_utc()
    return (today, True) if last > today else (last, False)


def future_note(language: str) -> str:
    """What a period's line adds when :func:`up_to_today` cut it."""
    return text("stats.until_today", language)
