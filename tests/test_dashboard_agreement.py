"""The dashboard's agreement section (issue 14): the same figures as ``reactieveld
agreement`` for the dashboard's period, computed here by hand; no section where nothing
is double-coded (and double coding is off)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from helpers.dashboard import SIZE, Host, wait_loaded
from reportdata import build
from textual.widgets import Static

from reactieveld.store.sqlite import SqliteStore

pytestmark = pytest.mark.usefixtures("utc")


async def _double_code(path) -> None:
    store = await SqliteStore.open(path, double_share=1.0)
    try:
        ids = {}
        for ext in ("r1", "r3"):
            row = await store.get_by_external("blog", ext) or await store.get_by_external(
                "forum", ext
            )
            ids[ext] = row.response.id
        # The moderator's tags (r1: 1 and 2; r3: 1) become their coding as they set a role.
        await store.set_role([ids["r1"]], "burger", actor="moderator")
        await store.set_role([ids["r3"]], "raad", actor="moderator")
        for ext, role in (("r1", "burger"), ("r3", "raad")):
            await store.toggle_question([ids[ext]], "1", actor="bert")
            await store.set_role([ids[ext]], role, actor="bert")
        await store.finish_coding(list(ids.values()), actor="bert")
    finally:
        await store.close()


def _rows(text: str) -> dict[str, list[str]]:
    return {ln.split()[0]: ln.split()[1:] for ln in text.splitlines() if ln.strip()}


async def test_the_agreement_section_shows_the_figures(tmp_path, monkeypatch) -> None:
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    await _double_code(tmp_path / "m.db")
    app = Host(tmp_path / "m.db", language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.query_one("#dash-agreement").display
        text = str(screen.query_one("#dash-agreement", Static).render())
        rows = _rows(text)
        # Question 2, (moderator, bert): r1 (yes, no), r3 (no, no): n_yes = 1, n_no = 3,
        # n = 4, two disagreeing ordered pairs: 1 - 3 * 2 / (2 * 1 * 3) = 0.
        assert 1 - Fraction(3 * 2, 2 * 1 * 3) == 0
        assert rows["2"] == ["0.000", "50.0%", "2", "too", "few"]
        assert rows["1"] == ["—", "100.0%", "2", "too", "few"]  # both said yes to both
        assert rows["role"] == ["1.000", "100.0%", "2", "too", "few"]
        assert "Double-coded: 2 responses" in " ".join(text.split())
        definitions = str(screen.query_one("#dash-definitions", Static).render())
        assert "Krippendorff's alpha (nominal), computed exactly" in " ".join(definitions.split())


async def test_no_section_without_double_coding(tmp_path, monkeypatch) -> None:
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language="nl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert not screen.query_one("#dash-agreement").display
        assert not screen.query_one("#dash-agreement-head").display
