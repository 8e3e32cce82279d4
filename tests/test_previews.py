"""Cut text says that it is cut: the response view's previews (the parent, the replies)
and the queue's rows end in "…", on a word boundary where there is one, and untrusted
text in them stays literal."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from helpers.app import ready
from helpers.data import T0, fill_store
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from reactieveld.model import RemoteStatus, Response, Thread
from reactieveld.text import MAX_WORD, clean, one_line, preview, shorten
from reactieveld.tui.widgets.queue_list import QueueList
from reactieveld.tui.widgets.response_view import ResponseView

pytestmark = pytest.mark.usefixtures("tui_env")

#: A parent far longer than its preview, with markup that must stay text.
PARENT = (
    "[@click=app.quit]Klik[/] Het parkeren bij de Brink is al jaren een probleem voor de "
    "bewoners van de Eemnesserweg, vooral op zaterdag als de markt er staat en iedereen "
    "tegelijk boodschappen komt doen in het centrum van het dorp."
)
REPLY = (
    "Dank voor uw reactie. We nemen het parkeren mee in de volgende versie van het plan en "
    "komen er op de informatieavond in het dorpshuis uitgebreid op terug met de cijfers."
)


def responses() -> tuple[list[Response], list[Thread]]:
    thread = Thread("blog", "t1", "Centrumplan", url="https://example.org/t1")

    def response(ext: str, minutes: int, author: str, body: str, parent: str | None = None):
        return Response(
            source="blog",
            external_id=ext,
            thread_external_id="t1",
            parent_external_id=parent,
            author_name=author,
            body_text=body,
            created_at=T0 - timedelta(minutes=minutes),
            remote_status=RemoteStatus.APPROVED,
            url=f"https://example.org/t1#{ext}",
        )

    return [
        response("p", 30, "Anne de Vries", PARENT),
        response("r", 20, "Gemeente Blaricum – afdeling verkeer en parkeren", REPLY, "p"),
    ], [thread]


@pytest.fixture
async def store(tmp_path):
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "memory.db")
    items, threads = responses()
    await fill_store(store, "blog", items, threads)
    yield store
    await store.close()


def line_after(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.lstrip().startswith(start))


@pytest.mark.parametrize(("language", "label"), [("nl", "Antwoord op: "), ("en", "In reply to: ")])
async def test_parent_preview_ends_in_ellipsis(store, make_app, language, label):
    app = make_app(store, language=language)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app, pilot)
        assert screen.queue.current is not None
        assert screen.queue.current.response.external_id == "r"  # newest first
        view = screen.query_one(ResponseView)
        line = line_after(view.render_content().plain, label)
        shown = line.split(" — ", 1)[1]
        assert shown.endswith("…") and len(shown) <= 120
        # Cut after a whole word, the markup shown as it was written.
        kept = shown[:-1]
        assert PARENT.startswith(kept) and PARENT[len(kept)] in " ,"
        assert kept.startswith("[@click=app.quit]Klik[/] Het parkeren")
        # What the terminal shows: the view wraps the line; its end keeps the "…".
        rows = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
        assert any(row.endswith(kept.split(" ")[-1] + "…") for row in rows)
        assert app.is_running  # the [@click=app.quit] in the text did nothing


async def test_reply_preview_and_queue_row_end_in_ellipsis(store, make_app):
    app = make_app(store, language="nl")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("j")  # the parent: its reply is listed under it
        screen = await ready(app, pilot)
        view = screen.query_one(ResponseView)
        text = view.render_content().plain
        reply = line_after(text, "Gemeente Blaricum")
        author, shown = reply.strip().split(" — ", 1)
        assert author == "Gemeente Blaricum – afdeling verkeer en…"  # a name cut says so too
        assert shown.endswith("…") and REPLY.startswith(shown[:-1])
        assert REPLY[len(shown) - 1] == " "
        # The queue: the author column and the text column of each row end in "…".
        queue = screen.query_one(QueueList)
        rows = [queue.render_line(y).text for y in range(2)]
        assert all(row.rstrip().endswith("…") for row in rows)
        assert "Gemeente Blaric… " in rows[0]  # in a column: as much of the name as fits
        # The last cell of a row is not under the scrollbar: the "…" is on screen.
        screen_rows = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
        assert rows[0].rstrip() in screen_rows and rows[1].rstrip() in screen_rows
        assert all(len(row) == queue.scrollable_content_region.width for row in rows)


def test_shorten():
    assert shorten("kort genoeg", 11) == "kort genoeg"
    assert shorten("Welke doelen dient de dialoog?", 19) == "Welke doelen dient…"
    # No word boundary in the second half of the room: cut in the word.
    assert shorten("https://example.org/a/very/long/path", 20) == "https://example.org…"
    # Punctuation before the cut goes: "dialoog…", not "dialoog,…".
    assert shorten("de dialoog, en verder", 12) == "de dialoog…"
    # Terminal cells, not characters: a wide character counts twice.
    assert shorten("漢字漢字漢字", 7) == "漢字漢…"
    assert shorten("abc", 1) == "…" and shorten("abc", 0) == ""
    assert shorten("Gemeente Blaricum", 16, words=False) == "Gemeente Blaric…"
    assert preview("[b]x[/b]\n\x1b[31mrood\x1b[0m " + "woord " * 50, 20) == "[b]x[/b] rood woord…"
    assert preview(None, 10) == "" and preview("W" * (MAX_WORD * 2), 10) == "WWWWWWWWW…"


#: Pieces of names and comments whose width is not the sum of their code points': an
#: emoji with the variation selector U+FE0F (a heart, a bin), ZWJ families, skin tones,
#: flags, wide CJK, combining accents; with plain words between.
_PIECES = [
    "🗑️", "❤️", "☀️", "✔️", "👍", "👍🏽", "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "🇳🇱",
    "中文", "e\u0301", "é", "Weggegooid", " ", "de", "Anne", ",", "ß",
]  # fmt: skip


@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14),
    width=st.integers(1, 30),
    words=st.booleans(),
)
def test_shorten_fits_the_cells_the_screen_draws(pieces, width, words):
    """A name or text cut for a column never takes more cells than the column has, as
    Rich (and so Textual) measures the drawn string: a row one cell too wide pushes the
    next column over, and the terminal shows a stale character at the row's end."""
    text = "".join(pieces)
    cut = shorten(text, width, words=words)
    assert cell_len(cut) <= width, (text, width, cut)
    assert cut == text or cut.endswith("…")
    if cut != text:
        assert text.startswith(cut[:-1].rstrip(" ,;:-–—"))


#: Pieces a terminal that draws code point by code point (tmux 3.3, xterm) and Rich
#: measure alike once cleaned: the selector U+FE0F after a narrow symbol (❤, 🗑, ☀, ✔, ©,
#: a keycap's digit) and after a wide one (😀), wide CJK, combining accents, plain words.
_PER_CODE_POINT = [
    "🗑️", "❤️", "☀️", "✔️", "©️", "1️⃣", "😀️", "👍", "中文", "e\u0301", "é",
    "Weggegooid", " ", "de", ",", "\ufe0f",
]  # fmt: skip


@given(pieces=st.lists(st.sampled_from(_PER_CODE_POINT), min_size=1, max_size=14))
def test_a_cleaned_text_is_as_wide_for_rich_as_for_a_terminal_drawing_code_points(pieces):
    """Rich counts ❤️ (a narrow symbol with the emoji selector) as two cells, tmux 3.3 and
    xterm draw it in one: a queue row laid out by Rich ended a cell early on such a
    terminal and left a stale character at the screen's edge ('[link=htt……' after the
    author 'Weggegooid 🗑️'). Cleaned, the selector after a narrow symbol is gone and both
    measure the same; the text is otherwise the same."""
    text = "".join(pieces)
    shown = clean(text)
    assert cell_len(shown) == sum(cell_len(c) for c in shown), (text, shown)
    assert shown.replace("\ufe0f", "") == text.replace("\ufe0f", "")


def test_the_emoji_selector_goes_only_after_a_narrow_symbol():
    assert clean("Weggegooid 🗑️") == "Weggegooid 🗑"
    assert one_line("dank ❤️ voor  uw\nreactie") == "dank ❤ voor uw reactie"
    assert clean("😀\ufe0f") == "😀\ufe0f"  # wide already: drawn alike
    # A sequence joined by ZWJ is drawn apart (see the test below): 🏳🌈, ❤🔥.
    assert clean("🏳️\u200d🌈") == "🏳🌈" and clean("❤️\u200d🔥") == "❤🔥"


def drawn_apart(text: str) -> int:
    """The cells a terminal that draws code point by code point takes (xterm): two for a
    wide one (a skin tone too), none for a joiner, a selector, a combining mark or a tag."""
    return sum(
        0
        if unicodedata.category(c) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(c) in "WF"
        else 1
        for c in text
    )


def drawn_by_tmux(text: str) -> int:
    """The cells tmux 3.3a takes (measured with its cursor): as :func:`drawn_apart`, but
    a picture after a ZWJ joins the one before (👨‍👩‍👧 2 cells, ❤️‍🔥 1, 👩🏽‍⚕️ 4) while a
    letter does not (x‍y 2)."""
    cells = 0
    for i, c in enumerate(text):
        if i and text[i - 1] == "\u200d" and ord(c) >= 0x2190:
            continue
        cells += drawn_apart(c)
    return cells


PEOPLE = ["👨", "👩", "👧", "👦", "🧑"]
TONES = ["", "🏻", "🏽", "🏿"]
THINGS = ["⚕\ufe0f", "🚒", "💻", "🔧", "⚖\ufe0f", "🎓"]
#: Generated emoji sequences: families, professions with skin tones, flags (regional
#: pairs and the tag flag of England), keycaps, symbols with the selector, a rainbow flag,
#: letters joined by a ZWJ.
SEQUENCES = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(PEOPLE), st.sampled_from(TONES)), min_size=2, max_size=4
    ).map(lambda ps: "\u200d".join(p + t for p, t in ps)),
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(TONES), st.sampled_from(THINGS)).map(
        lambda p: f"{p[0]}{p[1]}\u200d{p[2]}"
    ),
    st.tuples(st.sampled_from("🇳🇧🇩🇪🇫🇺"), st.sampled_from("🇱🇪🇷🇸")).map("".join),
    st.just("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),
    st.sampled_from("0123456789#*").map(lambda k: k + "\ufe0f\u20e3"),
    st.sampled_from("❤☺✔©☀").map(lambda c: c + "\ufe0f"),
    st.sampled_from(["🏳\ufe0f\u200d🌈", "❤\ufe0f\u200d🔥", "👁\ufe0f\u200d🗨\ufe0f"]),
    st.sampled_from(["x\u200dy", "\u200d👩", "क्\u200dष"]),
)


@given(pieces=st.lists(st.one_of(SEQUENCES, st.sampled_from(["Anne", " ", "de", "é"])), max_size=8))
def test_emoji_sequences_are_as_wide_for_rich_as_for_every_terminal(pieces: list[str]) -> None:
    """A row is laid out by Rich's measure and drawn by the terminal: cleaned, every
    family, profession, skin tone, flag, keycap and symbol takes the same cells for
    Rich, for tmux 3.3a and for a terminal that draws code points apart; the words and
    pictures stay, in order."""
    text = "".join(pieces)
    shown = clean(text)
    assert cell_len(shown) == drawn_by_tmux(shown) == drawn_apart(shown), (text, shown)
    assert "".join(c for c in shown if drawn_apart(c)) == "".join(
        c for c in text if drawn_apart(c) and c not in "🏻🏽🏿"
    )


#: Authors and bodies of the emoji sequences above, one of each kind.
EMOJI_PEOPLE = [
    ("Fam 👨🏽\u200d👩🏽\u200d👧🏽", "Wij 👨\u200d👩\u200d👧\u200d👦 wonen hier 🇳🇱 al 20 jaar ❤️"),
    ("Dokter 👩🏽\u200d⚕️", "Zorg 🧑🏿\u200d💻 en 🏳️\u200d🌈 en 1️⃣ 2️⃣ #️⃣ en ❤️\u200d🔥 " * 3),
    (
        "Anne 👍🏽",
        "Goed plan 👍🏻👍🏿 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f ☀️",
    ),
]


async def test_queue_thread_and_view_rows_are_the_screen_s_width_on_the_terminal(
    tmp_path, make_app
):
    """Every line of the queue, the response view and the thread screen takes exactly the
    screen's width as tmux 3.3a draws it (and as a terminal drawing code points apart), at
    60, 80 and 120 columns: no row pushed over or ended early by an emoji sequence."""
    from reactieveld.store.sqlite import SqliteStore

    thread = Thread("blog", "t1", "Plan 🏳️\u200d🌈 👨\u200d👩\u200d👧", url="https://example.org/t1")
    items = [
        Response(
            source="blog",
            external_id=f"e{i}",
            thread_external_id="t1",
            parent_external_id="e0" if i else None,
            author_name=author,
            body_text=body,
            created_at=T0 - timedelta(minutes=10 * (3 - i)),
            remote_status=RemoteStatus.APPROVED,
        )
        for i, (author, body) in enumerate(EMOJI_PEOPLE)
    ]
    store = await SqliteStore.open(tmp_path / "memory.db")
    await fill_store(store, "blog", items, [thread])
    app = make_app(store, language="nl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            for screen_key in (None, "enter"):  # the queue and the view; the thread
                if screen_key:
                    await pilot.press(screen_key)
                    await pilot.pause()
                    assert type(app.screen).__name__ == "ThreadScreen"
                for width, height in ((60, 20), (80, 24), (120, 40)):
                    await pilot.resize_terminal(width, height)
                    await pilot.pause()
                    await pilot.pause()
                    lines = [s.text for s in app.screen._compositor.render_strips()]
                    drawn = {(drawn_by_tmux(line), drawn_apart(line)) for line in lines}
                    assert drawn == {(width, width)}, (screen_key, width, lines)
    finally:
        await store.close()
