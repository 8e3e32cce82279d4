"""A source's error on screen (one the app could not even set up, a configuration
mistake; one a round stored, in English) is said again in the other language when f2
switches it, for the time it had left: not left in the language it was first said in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.app import ready, toasts_on_screen, until

from reactieveld.config import ConfigError
from reactieveld.i18n import Said, stored
from reactieveld.tui.app import source_error_text, source_start_error

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


def _start_errors(tmp_path: Path) -> dict[str, Any]:
    """A source the app cannot set up (a configuration mistake: its own words in each
    language) and one whose stored error is a known English line."""
    mistake = ConfigError(Said("config.secret.none", name="forum", setting="api_key"))
    unset = stored("conn.secret_unset", variable="BLOG_PASSWORD", setting="password_env")
    return {"forum": source_start_error(mistake), "blog": unset}


def _shown(app: Any, errors: dict[str, Any], language: str) -> set[str]:
    """The errors as their toasts show them in ``language`` (blanks collapsed)."""
    return {
        " ".join(f"{name}: {source_error_text(e, language)}".split()) for name, e in errors.items()
    }


@pytest.mark.parametrize("first", ["nl", "en"])
async def test_a_source_error_on_screen_follows_f2(
    tui_store: Any, make_app: Any, tmp_path: Path, first: str
) -> None:
    errors = _start_errors(tmp_path)
    other = "en" if first == "nl" else "nl"
    app = make_app(tui_store, language=first, source_errors=errors)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(app, pilot)
        await until(
            pilot, lambda: set(toasts_on_screen(app)) == _shown(app, errors, first), "first"
        )
        for language in (other, first):  # there and back: f2, then n or e
            await pilot.press("f2", language[0])
            await until(pilot, lambda lang=language: app.i18n.language == lang, "the switch")
            want = _shown(app, errors, language)
            await until(pilot, lambda want=want: set(toasts_on_screen(app)) == want, language)
    assert _shown(app, errors, "nl") != _shown(app, errors, "en")  # the test can tell them
