"""text.clean drops skin tones and zero-width joiners from what is drawn only: a search
hit still marks the word the index found in a text a ZWJ joins, and the moderator's
own words of a reason are stored as typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers.app import SIZE, ready, settle
from helpers.store import sql
from hypothesis import given
from hypothesis import strategies as st
from textual import events

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus, Response
from reactieveld.reasons import ReasonsConfig
from reactieveld.store.base import QueueRow
from reactieveld.tui.screens.reason import OwnWords, ReasonDialog
from reactieveld.tui.screens.search import hit_prompt

ZWJ = "\u200d"
TONES = "\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"
words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéëï"), min_size=2, max_size=8)


def _row(body: str) -> QueueRow:
    response = Response(
        source="blog",
        external_id="c1",
        thread_external_id="t1",
        parent_external_id=None,
        author_name="Anna",
        author_email=None,
        body_text=body,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        remote_status=RemoteStatus.APPROVED,
        url=None,
    )
    return QueueRow(response, "Plan", (), None)


@given(words, words, st.text(" ,.!", min_size=1, max_size=3), st.booleans())
def test_a_search_hit_marks_the_word_a_joiner_parts_as_the_index_found_it(
    first: str, second: str, between: str, ask_second: bool
) -> None:
    """The index (FTS5's unicode61) finds 'zorg' in 'zorg‍verlener':
    the hit's line marks it, and draws no joiner."""
    body = f"Over {first}{ZWJ}{second}{between}dat is het."
    asked = second if ask_second else first
    prompt = hit_prompt(
        _row(body),
        asked,
        codebook=DEFAULT_CODEBOOK,
        i18n=I18n("nl"),
        tz=UTC,
        now=datetime(2026, 12, 7, tzinfo=UTC),
    )
    line = prompt.plain.split("\n")[2]
    assert ZWJ not in line
    assert f"{first}{second}" in line
    marked = [prompt.plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)]
    assert asked in marked


@pytest.mark.usefixtures("tui_env")
async def test_the_moderators_own_words_of_a_reason_are_kept_as_typed(tui_store, make_app):
    """Skin tones and joiners in the 'other' reason's words reach the store (the
    journal, what is sent) as pasted; only its drawing drops them."""
    said = [f"dubbel 👍{TONES[1]} account", f"👩{TONES[3]}{ZWJ}⚕ en x{ZWJ}y", f"🏳️{ZWJ}🌈 kloon"]
    app = make_app(tui_store, reasons=ReasonsConfig())
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        for text in said:
            await pilot.press("d")
            assert isinstance(app.screen, ReasonDialog)
            await pilot.press("8")  # other: asks the words
            field = app.screen.query_one(OwnWords)
            field.post_message(events.Paste(text))
            await pilot.pause()
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.screen is screen
    stored = await sql(
        tui_store, "SELECT reason_text FROM actions WHERE kind = 'moderate' ORDER BY id"
    )
    assert [row[0] for row in stored] == said
