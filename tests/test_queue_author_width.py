"""The queue's columns on a wide and on the smallest screen, in the running app: at 200x50
the Role column stood whole while the Author was cut ("Wethouder Ruimtelijke Ordeni…")
beside 91 cells of text; the spare width now goes to the author. 80x24 is as it was."""

from __future__ import annotations

from helpers.app import app_with, ready, screen_text
from helpers.store import open_store, page, resp

from reactieveld.store.base import QueueFilter
from reactieveld.tui.widgets.queue_list import visible_columns

TITLE = "Wethouder Ruimtelijke Ordening"
NAME = f"{TITLE} Annemarie van den Heuvel"  # 52 letters: cut even at 200


async def test_the_author_gets_the_wide_screen_s_spare_width(tmp_path, tui_env):
    store = await open_store(str(tmp_path / "m.db"))
    try:
        await store.upsert_page(
            "blog",
            page(
                resp("a", "Over het plan.", author=TITLE, minutes=1),
                resp("b", "Nog iets.", author=NAME, minutes=2),
            ),
        )
        ids = [row.response.id for row in await store.queue(QueueFilter(), limit=10)]
        await store.set_role(ids, "college", actor="tester")
        lines = {}
        for size in ((200, 50), (80, 24)):
            app = app_with(store, "en", None)
            async with app.run_test(size=size) as pilot:
                await ready(app, pilot)
                # the queue's rows (a mark, "•": not handled), not the response view
                lines[size] = [ln for ln in screen_text(app) if ln[2:4] == "• "]
    finally:
        await store.close()
    wide, small = lines[(200, 50)], lines[(80, 24)]
    assert len(wide) == 2 and all("Mayor and aldermen" in ln for ln in wide), wide
    assert any(f"{TITLE} " in ln for ln in wide), wide  # the title whole
    cut = next(ln for ln in wide if "Annemarie" in ln)
    assert f"{NAME[:48]}…" in cut, cut  # the long name: 49 cells and air
    # 80x24: the narrow columns as before, the author cut at 11 cells.
    assert visible_columns(79) == [
        ("mark", 4), ("col.time", 6), ("col.source", 7), ("col.author", 12),
        ("col.role", 8), ("col.status", 12),
    ]  # fmt: skip
    assert len(small) == 2 and all("  Wethouder…  Mayor  " in ln for ln in small), small
