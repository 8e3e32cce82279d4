"""Every undo reads as one sentence pattern, in its notice and its journal line: "Undone:
approved" / "Actie ongedaan gemaakt: goedgekeurd" (English said "Undid approved", Dutch
"Goedgekeurd ongedaan gemaakt"), for every kind of action, Dutch and English."""

from __future__ import annotations

import re

import pytest
from helpers.app import press, ready, settle
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.i18n import I18n, capital_first
from reactieveld.model import RemoteStatus
from reactieveld.tui.widgets.response_view import ResponseView, undo_said, undone_what

pytestmark = pytest.mark.usefixtures("tui_env")

LEAD = {"nl": "actie ongedaan gemaakt", "en": "action undone"}

#: What an undo's journal entry holds (before, after), one of each kind of action.
KINDS = st.one_of(
    st.sampled_from(list(RemoteStatus)).map(lambda s: ({"status": s.value}, {})),
    st.sampled_from([q.code for q in DEFAULT_CODEBOOK.questions]).map(
        lambda q: ({"question": q}, {})
    ),
    st.sampled_from([r.code for r in DEFAULT_CODEBOOK.roles]).map(lambda r: ({"role": r}, {})),
    st.just(({"note_id": 1}, {})),
    st.just(({"text": "Dank u"}, {})),
    st.just(({"triage": "handled"}, {})),
    st.just(({"codings": []}, {})),
    st.just(({}, {})),  # an entry that does not say what
)


@settings(max_examples=60, deadline=None)
@given(kind=KINDS, n=st.integers(1, 50), language=st.sampled_from(["nl", "en"]))
def test_every_undo_is_said_in_one_pattern(
    kind: tuple[dict[str, object], dict[str, object]], n: int, language: str
) -> None:
    i18n = I18n(language)
    what = undone_what(i18n, DEFAULT_CODEBOOK, *kind)
    said = undo_said(i18n, what, n)
    assert said.startswith(LEAD[language]), said
    assert capital_first(said) == said[0].upper() + said[1:]  # as a notice
    if what:
        assert said[len(LEAD[language]) :].startswith(f": {what}")
        assert ("×)" in said) == (n > 1)
    else:
        assert said == LEAD[language]
    assert not re.search(r"\bundid\b", said)


@pytest.mark.parametrize(
    ("language", "notice", "line"),
    [
        (
            "nl",
            "Actie ongedaan gemaakt: goedgekeurd",
            "tester: actie ongedaan gemaakt: goedgekeurd",
        ),
        ("en", "Action undone: approved", "tester: action undone: approved"),
    ],
)
async def test_a_then_z_says_the_approval_is_undone(
    tui_store, make_app, language: str, notice: str, line: str
) -> None:
    app = make_app(tui_store, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app, pilot)
        for _ in range(30):  # a response not approved yet
            if screen.queue.current.response.remote_status is not RemoteStatus.APPROVED:
                break
            await press(pilot, "down")
        row = screen.queue.current.response
        before = row.remote_status
        assert before is not RemoteStatus.APPROVED
        await press(pilot, "a")
        assert (await tui_store.get(row.id)).response.remote_status is RemoteStatus.APPROVED
        await press(pilot, "z")
        await settle(app, pilot)
        assert [n.message for n in app._notifications][-1] == notice
        assert (await tui_store.get(row.id)).response.remote_status is before
        journal = screen.query_one(ResponseView).render_content().plain
        assert any(x.strip().endswith(line) for x in journal.splitlines()), journal
