"""Moderation rules in the app (issue 16): the Flagged queue's tab and count, the rule's
name on each flagged row, the matched words marked in the response view with the rule and
its state, and a release from the Flagged queue recorded as the rule's misfire."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers.app import SIZE, SMALL, press, ready, screen_text, settle
from helpers.store import T0, page, resp
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.model import RemoteStatus, Source
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


#: The screens' now: a day after the pages, so their times show their hours.
ON = T0 + timedelta(days=1)


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
    app = make_app(store, language=language, rules=RULES, clock=lambda: ON)
    async with app.run_test(size=size) as pilot:
        screen = await ready(app, pilot)
        assert "flagged" in screen.queues
        # The tabs on their line, whole: at 80 columns the Dutch names are the short ones.
        assert tab in screen_text(app)[1]
        await press(pilot, "tab", "tab", "tab", "tab", "tab", "tab")  # new -> ... -> flagged
        assert screen.queue_name == "flagged"
        assert f"[{tab}]" in screen_text(app)[1]  # the current tab, in brackets
        assert [r.response.external_id for r in screen.queue.rows] == ["e", "c", "a"]
        assert [r.flags for r in screen.queue.rows] == [
            ("scheldwoorden", "reclame"),
            ("reclame",),
            ("scheldwoorden",),
        ]
        # The rows by their day (at 80 columns the time's short form: the day alone).
        rows = [line for line in screen_text(app) if line[4:].startswith("01-03")]
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


def _view_text(app) -> str:
    return app.screen.query_one("#response").render_content().plain


async def _in_queue(app, pilot, name: str):
    """The triage screen, ready, showing the queue ``name``."""
    screen = await ready(app, pilot)
    await screen.show_queue(name)
    await settle(app, pilot)
    return screen


async def _view_of(app, pilot, response_id: int) -> str:
    """The response view's text for ``response_id``, opened from the queue "all"."""
    await app.screen.show_queue("all")
    await settle(app, pilot)
    await app.screen.show_response(response_id)
    await settle(app, pilot)
    return _view_text(app)


async def test_the_view_marks_the_matched_words_and_names_the_rule(store, make_app):
    app = make_app(store, language="nl", rules=RULES)
    async with app.run_test(size=SIZE) as pilot:
        await _in_queue(app, pilot, "flagged")
        text = _view_text(app)  # e: both rules
        assert "[Tyfus]! en [koop nu]" in text
        assert "§ Regel: scheldwoorden (open); reclame (open)" in text
        await press(pilot, "j")
        text = _view_text(app)
        assert "[Koop  nu] bij ons" in text  # the author's two spaces, as written
        assert "§ Regel: reclame (open)" in text
        # On screen, in characters, and the matched words in their own style.
        await press(pilot, "j")
        assert any("Wat een [Kankerlijer] ben jij" in line for line in screen_text(app))
        content = app.screen.query_one("#response").render_content()
        start = content.plain.index("Kankerlijer")
        styled = [
            content.plain[s.start : s.end] for s in content.spans if "reverse" in str(s.style)
        ]
        assert "Kankerlijer" in styled
        assert content.plain[start - 1] == "[" and content.plain[start + 11] == "]"


async def test_a_response_no_rule_matches_is_shown_as_written(store, make_app):
    app = make_app(store, language="nl", rules=RULES)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        b = (await store.get_by_external("blog", "b")).response.id
        text = await _view_of(app, pilot, b)
        assert "Op vakantie in Vakankerken" in text  # inside a word: no match
        assert "[" not in text and "Regel:" not in text


async def test_releasing_a_flagged_response_is_the_rules_misfire(store, make_app):
    app = make_app(store, language="en", rules=RULES)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _in_queue(app, pilot, "flagged")
        await press(pilot, "G")  # a: held by scheldwoorden
        a = screen.queue.current.response.id
        assert screen.queue.current.response.external_id == "a"
        await press(pilot, "a")  # released
        # Out of the Flagged queue, its tab one less; in the store a misfire by the moderator.
        assert [r.response.external_id for r in screen.queue.rows] == ["e", "c"]
        assert "[Flagged 2]" in screen_text(app)[1]
        [flag] = await store.rule_flags(a)
        assert (flag.rule, flag.state, flag.resolved_by) == ("scheldwoorden", "misfire", "tester")
        assert (await store.get(a)).response.remote_status is RemoteStatus.APPROVED
        assert (await store.counts()).flagged == 2
        # The view says so where the response is still to be seen.
        assert "§ Rule: scheldwoorden (misfire)" in await _view_of(app, pilot, a)
        # Undone: the flag open again, the response back in the Flagged queue.
        await press(pilot, "z")
        assert (await store.rule_flags(a))[0].state == "open"
        assert await store.count(FLAGGED) == 3
        await settle(app, pilot)
        assert "Flagged 3" in screen_text(app)[1]


async def test_a_kept_decision_upholds_the_rule(store, make_app):
    app = make_app(store, language="nl", rules=RULES)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _in_queue(app, pilot, "flagged")
        await press(pilot, "j")  # c: flagged by reclame, still approved on the platform
        c = screen.queue.current.response.id
        await press(pilot, "s")  # spam
        [flag] = await store.rule_flags(c)
        assert (flag.state, flag.resolved_by) == ("upheld", "tester")
        assert "§ Regel: reclame (terecht)" in await _view_of(app, pilot, c)


async def test_matched_markup_stays_text(tmp_path, make_app):
    """A rule matching words inside markup-like text: shown literally, nothing runs."""
    from reactieveld.store.sqlite import SqliteStore

    rules = RuleSet((Rule.make("klik", "flag", words=("klik*",)),))
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        await store.ensure_source(Source("blog", "wordpress"))
        body = "[@click=app.quit]Klik hier[/] en [b]klikken[/b] \x1b[31m klik\x1b[0m!"
        await store.upsert_page("blog", page(resp("a", body, minutes=1)), rules=rules)
        app = make_app(store, language="nl", rules=rules)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            text = _view_text(app)
            assert "[@click=app.quit][Klik] hier[/] en [b][klikken][/b]  [klik]!" in text
            assert "§ Regel: klik (open)" in text
            await press(pilot, "j")
            assert app.is_running
    finally:
        await store.close()


# -- the marked body, generated -------------------------------------------------------------

WORDS = ("kanker", "Kankerlijer", "KÀNKER", "vakankerken", "tyfus", "koop nu", "[b]", "[/]")
GAPS = (" ", ", ", "\n", "! ", " [", "] ", "é ")


@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=12))
@settings(max_examples=150, deadline=None)
def test_marked_body_brackets_exactly_what_the_rules_match(parts):
    from textual.content import Content

    from reactieveld.rules import pieces
    from reactieveld.tui.widgets.response_view import MATCH_STYLE, marked_body

    text = "".join(word + gap for word, gap in parts)
    spans = RULES.spans(text)
    # The pieces join to the text; the matched ones are the spans.
    cut = pieces(text, spans)
    assert "".join(p for p, _ in cut) == text
    assert [p for p, m in cut if m] == [text[a:b] for a, b in spans]
    # In the view: the text with brackets around each span (nothing else changed, this
    # text has nothing to clean), each bracketed word in the match's style.
    content = Content.assemble(*marked_body(text, spans))
    expected, pos = "", 0
    for a, b in spans:
        expected += text[pos:a] + "[" + text[a:b] + "]"
        pos = b
    assert content.plain == expected + text[pos:]
    styled = [content.plain[s.start : s.end] for s in content.spans if str(s.style) == MATCH_STYLE]
    assert styled == [text[a:b] for a, b in spans]


# -- snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_flagged_queue_and_view_at_80x24(
    snap_compare, tmp_path, no_color, language, monkeypatch
):
    """The Flagged tab current, each row's rule, the view's marked word and rule line,
    without colour at the smallest terminal. Update with ``--snapshot-update`` and look."""
    import asyncio
    from datetime import UTC

    from helpers.figures import set_store_clock

    from reactieveld.tui.app import ReactieveldApp

    path = tmp_path / "m.db"

    async def build() -> None:
        store = await flagged_store(path)
        await store.close()

    # The rule's hold is journalled at the store's time of the page: a fixed one here.
    set_store_clock(monkeypatch, lambda: T0 + timedelta(hours=2))
    asyncio.run(build())
    monkeypatch.undo()
    app = ReactieveldApp(
        None,
        db_path=path,
        language=language,
        tz=UTC,
        actor="t",
        rules=RULES,
        clock=lambda: ON,
    )

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.screen.queue.loaded.wait()
        await settle(pilot.app, pilot)
        await pilot.app.screen.show_queue("flagged")
        await settle(pilot.app, pilot)
        await pilot.press("G")  # a: "Kankerlijer", held by scheldwoorden
        await settle(pilot.app, pilot)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)
