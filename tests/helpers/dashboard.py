"""The dashboard screen on its own: a host app on a store file, and waiting for its figures."""

from __future__ import annotations

from datetime import timedelta

from reportdata import T0

from helpers.app import ScreenHost
from reactieveld.read.figures import Period
from reactieveld.tui.screens.dashboard import DashboardScreen

#: The dashboard's test terminal.
SIZE = (130, 40)
DAYS3 = Period(T0.date(), T0.date() + timedelta(days=2))  # the reportdata memory's three days


class Host(ScreenHost):
    """Only the dashboard over the store at ``path`` (no other screen's pixels)."""

    def __init__(self, path, language="nl", period=DAYS3):
        super().__init__(
            path, lambda store: DashboardScreen(store, language=language, period=period)
        )


async def wait_loaded(pilot) -> DashboardScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await screen.loaded.wait()
    await pilot.pause()
    return screen
