"""Moderation rules in the app (issue 16): the Flagged queue's tab and count, the rule's
name on each flagged row, the matched words marked in the response view with the rule and
its state, and a release from the Flagged queue recorded as the rule's misfire."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import SIZE, SMALL, ready, screen_text, settle
from helpers.store import page, resp

from reactieveld.model import Source
from reactieveld.rules import Rule, RuleSet
from reactieveld.store.base import QueueFilter

pytestmark = pytest.mark.usefixtures("tui_env")

RULES = RuleSet(
    (
        Rule.make("scheldwoorden", "hold", words=("kanker*", "tyfus*")),
        Rule.make("reclame", "flag", pattern=r"koop\s+nu"),
    )
)
FLAGGED = QueueFilter(flagged=True)


async def flagged_store(path: Path):
    """A memory of five responses, three of them flagged as the sync stored them."""
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(path)
    await store.ensure_source(Source("blog", "wordpress", "https://blog.example"))
    await store.upsert_page(
        "blog",
        page(
            resp("a", "Wat een Kankerlijer ben jij, echt waar", minutes=1),
            resp("b", "Op vakantie in Vakankerken", minutes=2),
            resp("c", "Koop  nu bij ons, de beste deal", minutes=3),
            resp("d", "Een gewone reactie over het plan", minutes=4),
            resp("e", "Tyfus! en koop nu", minutes=5),
        ),
        rules=RULES,
    )
    return store


@pytest.fixture
async def store(tmp_path: Path):
    s = await flagged_store(tmp_path / "m.db")
    yield s
    await s.close()


@pytest.mark.parametrize(
    ("size", "language", "tab"),
    [(SIZE, "en", "Flagged 3"), (SIZE, "nl", "Gemarkeerd 3"), (SMALL, "nl", "Regel 3")],
)
async def test_the_flagged_tab_its_count_and_the_rule_on_each_row(
    store, make_app, size, language, tab
):
    app = make_app(store, language=language, rules=RULES)
    async with app.run_test(size=size) as pilot:
        screen = await ready(app, pilot)
        assert "flagged" in screen.queues
        # The tabs on their line, whole: at 80 columns the Dutch names are the short ones.
        assert tab in screen_text(app)[1]
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # new -> ... -> flagged
        await settle(app, pilot)
        assert screen.queue_name == "flagged"
        assert f"[{tab}]" in screen_text(app)[1]  # the current tab, in brackets
        assert [r.response.external_id for r in screen.queue.rows] == ["e", "c", "a"]
        assert [r.flags for r in screen.queue.rows] == [
            ("scheldwoorden", "reclame"),
            ("reclame",),
            ("scheldwoorden",),
        ]
        rows = [line for line in screen_text(app) if " 01-03 12:0" in line[:16]]
        assert len(rows) == 3
        # Each row says which rule, in characters (at 80 columns the name may be cut).
        start = "§scheldw" if size == SMALL else "§scheldwoorden,reclame · Tyfus"
        assert start in rows[0]
        assert "§reclame" in rows[1]
        assert ("§scheldw" if size == SMALL else "§scheldwoorden · Wat") in rows[2]


async def test_no_rules_and_no_flags_no_tab(tmp_path, make_app):
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        await store.ensure_source(Source("blog", "wordpress"))
        await store.upsert_page("blog", page(resp("a", "kanker", minutes=1)))  # no rules
        app = make_app(store, language="en")
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            assert "flagged" not in screen.queues
            assert "Flagged" not in screen_text(app)[1]
    finally:
        await store.close()


async def test_flags_of_an_earlier_config_keep_their_tab(store, make_app):
    """Rules taken out of the config: the responses they flagged are still waiting."""
    app = make_app(store, language="en")  # no rules now
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert "flagged" in screen.queues
        assert "Flagged 3" in screen_text(app)[1]
