"""The very first start, without sources and with an empty memory: the app says where
sources are configured and how to look around on demo data, instead of an empty queue."""

from __future__ import annotations

import pytest
from helpers.app import SIZE, ready
from helpers.data import fill_store, sample_responses

from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.widgets.response_view import ResponseView

pytestmark = pytest.mark.usefixtures("tui_env")


def view_text(app) -> str:
    return app.screen.query_one(ResponseView).render_content().plain


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Nog geen bronnen ingesteld."), ("en", "No sources configured yet.")],
)
async def test_first_run_says_where_to_configure_and_how_to_try(
    tmp_path, make_app, language, expected
):
    store = await SqliteStore.open(tmp_path / "m.db")
    config = str(tmp_path / "cfg" / "reactieveld" / "config.toml")
    app = make_app(store, language=language, config_hint=config)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            text = view_text(app)
            assert expected in text
            assert config in text and "[[sources]]" in text
            assert "reactieveld --demo" in text
    finally:
        await store.close()


async def test_a_memory_with_responses_shows_the_queue_not_the_hint(tmp_path, make_app):
    store = await SqliteStore.open(tmp_path / "m.db")
    responses, threads = sample_responses(count=3)
    await fill_store(store, "blog", responses, threads)
    app = make_app(store, config_hint=str(tmp_path / "config.toml"))
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            assert "Nog geen bronnen" not in view_text(app)
            assert screen.queue.current is not None
    finally:
        await store.close()


async def test_with_sources_configured_an_empty_tab_is_just_empty(tmp_path, make_app):
    store = await SqliteStore.open(tmp_path / "m.db")
    app = make_app(store)  # run_app gives no hint when the config has sources
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            assert view_text(app) == "Geen reacties in deze wachtrij."
    finally:
        await store.close()
