"""The dashboard screen on its own: a host app on a store file, and waiting for its figures."""

from __future__ import annotations

from datetime import timedelta

from reportdata import T0
from textual.app import App

from reactieveld.read.figures import Period
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.dashboard import DashboardScreen

#: The dashboard's test terminal.
SIZE = (130, 40)
DAYS3 = Period(T0.date(), T0.date() + timedelta(days=2))  # the reportdata memory's three days


class Host(App[None]):
    """Only the dashboard over the store at ``path`` (no other screen's pixels)."""

    def __init__(self, path, language="nl", period=DAYS3):
        super().__init__()
        self.path = path
        self.language = language
        self.period = period
        self.store = None

    async def on_mount(self) -> None:
        self.store = await SqliteStore.open(self.path)
        await self.push_screen(
            DashboardScreen(self.store, language=self.language, period=self.period)
        )

    async def on_unmount(self) -> None:
        if self.store is not None:
            await self.store.close()


async def wait_loaded(pilot) -> DashboardScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await screen.loaded.wait()
    await pilot.pause()
    return screen
