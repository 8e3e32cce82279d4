"""What the app's own screens share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from reactieveld.codebook import DEFAULT_CODEBOOK, Codebook
from reactieveld.i18n import I18n
from reactieveld.model import utcnow


def app_clock(app: Any) -> Callable[[], datetime]:
    """The app's clock, that the times on screen are shown against (tui/times.py); a
    bare host app (tests) has none: the wall clock."""
    clock = getattr(app, "clock", None)
    return clock if callable(clock) else utcnow


class FromApp:
    """What a screen was not given comes from the app (``SearchScreen()`` from the app;
    the tests give a store, a language and a time zone to a bare host app)."""

    _store: Any
    _codebook: Codebook | None
    _i18n: I18n | None
    _tz: tzinfo | None
    app: Any

    def given(
        self,
        store: Any,
        codebook: Codebook | None,
        i18n: I18n | None,
        tz: tzinfo | None,
        language: str | None = None,
    ) -> None:
        """Keep what the screen was given (None: ask the app when needed); a ``language``
        without an ``i18n`` stands for the interface text in that language."""
        self._store = store
        self._codebook = codebook
        self._i18n = i18n or (I18n(language) if language else None)
        self._tz = tz

    @property
    def store(self) -> Any:
        return self._store or getattr(self.app, "reader", None) or self.app.store

    @property
    def codebook(self) -> Codebook:
        found = self._codebook or getattr(self.app, "codebook", None)
        return found if isinstance(found, Codebook) else DEFAULT_CODEBOOK

    @property
    def i18n(self) -> I18n:
        return self._i18n or getattr(self.app, "i18n", None) or I18n("nl")

    @property
    def tz(self) -> tzinfo | None:
        return self._tz if self._tz is not None else getattr(self.app, "tz", None)

    @property
    def clock(self) -> Callable[[], datetime]:
        return app_clock(self.app)

    @property
    def language(self) -> str:
        return self.i18n.language
