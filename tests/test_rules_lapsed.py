"""A rule's flag on a text edited clean (h/rules3): the response read again matches the
rule no more, so its open flag lapses: out of the Flagged queue and its count, shown in
the view as "open · text changed, the rule no longer matches"; a hold the rule made is
left on the site (a person undoes it); the same words back open the same flag again,
other words flag anew."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers.app import response_shown, screen_text
from helpers.connectors import round_
from helpers.store import open_store, page, resp, sql
from helpers.wpsite import Site
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.model import TITLE_BY_AUTHOR, Thread
from reactieveld.rules import Rule, RuleSet
from reactieveld.store.base import QueueFilter

RULES = RuleSet(
    (
        Rule.make("scheldwoorden", "hold", words=("kanker*",)),
        Rule.make("reclame", "flag", pattern=r"koop\s+nu"),
    )
)
DIRTY = "Wat een kankerlijer ben jij"
CLEAN = "Wat een aardige buurman ben jij"
FLAGGED = QueueFilter(flagged=True)


@pytest.fixture
async def store(store_target):
    s = await open_store(store_target)
    yield s
    await s.close()


async def states(store) -> list[tuple]:
    return await sql(
        store,
        "SELECT r.external_id, f.rule, f.state FROM rule_flags f "
        "JOIN responses r ON r.id = f.response_id ORDER BY f.id",
    )


async def _sync(site: Site, store) -> None:
    _, conn = site.source(attempts=1)
    try:
        pages, _ = await round_(conn, None)
    finally:
        await conn.aclose()
    for p in pages:
        await store.upsert_page("blog", p, rules=RULES)


def _edit(site: Site, cid: int, text: str) -> None:
    site.fake.comments[cid]["content"] = {"raw": text, "rendered": f"<p>{text}</p>\n"}


async def test_a_comment_edited_clean_on_the_site_lapses_its_flag(store):
    site = Site(n=12)
    for cid in site.fake.comments:
        _edit(site, cid, f"Reactie {cid} over het plan")
    site.fake.comments[5]["status"] = "approved"
    _edit(site, 5, DIRTY)
    await _sync(site, store)
    assert await states(store) == [("5", "scheldwoorden", "open")]
    assert await store.count(FLAGGED) == 1
    assert site.fake.comments[5]["status"] == "approved"  # the write-back is queued
    _edit(site, 5, CLEAN)
    await _sync(site, store)
    assert await states(store) == [("5", "scheldwoorden", "lapsed")]
    assert await store.count(FLAGGED) == 0
    row = await store.get_by_external("blog", "5")
    assert row.response.remote_status.value == "hold"  # the rule's hold is not undone
    _edit(site, 5, DIRTY)  # the same words back: the same flag open again
    await _sync(site, store)
    assert await states(store) == [("5", "scheldwoorden", "open")]
    assert await store.count(FLAGGED) == 1
    _edit(site, 5, CLEAN)
    await _sync(site, store)
    _edit(site, 5, "Koop nu, kankerpillen!")  # other words: flagged anew, by both rules
    await _sync(site, store)
    assert await states(store) == [
        ("5", "scheldwoorden", "lapsed"),
        ("5", "scheldwoorden", "open"),
        ("5", "reclame", "open"),
    ]
    assert await store.count(FLAGGED) == 1


async def test_a_first_post_s_title_renamed_clean_lapses_its_flags(store):
    def post(body: str) -> object:
        return dataclasses.replace(
            resp("f1", body, source="forum", thread="9", minutes=1), meta={TITLE_BY_AUTHOR: True}
        )

    reply = resp("f2", "Koop nu hier", source="forum", thread="9", minutes=2)
    dirty = Thread("forum", "9", "Koop nu: k.a.n.k.e.r pillen")
    clean = Thread("forum", "9", "Een vraag over het plan")
    await store.upsert_page("forum", page(post("Hallo"), reply, threads=(dirty,)), rules=RULES)
    assert {(e, s) for e, _, s in await states(store)} == {("f1", "open"), ("f2", "open")}
    # Renamed alone (the posts not fetched again): the title's flags lapse, the reply's
    # own (its body) stays.
    await store.upsert_page("forum", page(threads=(clean,)), rules=RULES)
    assert await states(store) == [
        ("f1", "scheldwoorden", "lapsed"),
        ("f1", "reclame", "lapsed"),
        ("f2", "reclame", "open"),
    ]
    assert await store.count(FLAGGED) == 1
    await store.upsert_page("forum", page(threads=(dirty,)), rules=RULES)
    assert [s for _, _, s in await states(store)] == ["open"] * 3
    # The body still matching keeps the rule's flag on the title open while the title
    # is renamed clean: the rule still matches the response.
    await store.upsert_page("forum", page(post("Koop nu!"), threads=(clean,)), rules=RULES)
    assert await states(store) == [
        ("f1", "scheldwoorden", "lapsed"),
        ("f1", "reclame", "open"),
        ("f2", "reclame", "open"),
        ("f1", "reclame", "open"),
    ]


TEXTS = {
    "clean": CLEAN,
    "hate": DIRTY,
    "hate2": "Kanker op",
    "ad": "Koop nu",
    "both": "koop nu kanker",
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(sorted(TEXTS)), min_size=1, max_size=6))
def test_flags_open_exactly_for_the_rules_the_text_matches(tmp_path_factory, edits):
    """Any sequence of edits: after each, the response is in the Flagged queue exactly
    when its text matches a rule, and each rule has an open flag exactly when it matches;
    ``stats``' tallies say open and lapsed apart, as a replay of the edits counts them
    (a flag per rule and text: new or lapsed and matching, open; open and not, lapsed)."""
    import asyncio

    async def go() -> None:
        store = await open_store(str(tmp_path_factory.mktemp("lapse") / "m.db"))
        replay: dict[tuple[str, str], str] = {}  # (rule, text): "open" or "lapsed"
        try:
            for name in edits:
                text = TEXTS[name]
                await store.upsert_page(
                    "blog", page(resp("c1", text, minutes=len(text))), rules=RULES
                )
                matching = {h.rule for h in RULES.scan(text).hits}
                for rule, words in list(replay):
                    if rule not in matching and replay[rule, words] == "open":
                        replay[rule, words] = "lapsed"
                for rule in matching:
                    replay[rule, text] = "open"
                opened = {r for _, r, s in await states(store) if s == "open"}
                assert opened == matching, (edits, text)
                assert await store.count(FLAGGED) == (1 if matching else 0)
                expected = {
                    rule: (
                        sum(1 for r, _ in replay if r == rule),
                        sum(1 for (r, _), s in replay.items() if r == rule and s == "open"),
                        sum(1 for (r, _), s in replay.items() if r == rule and s == "lapsed"),
                    )
                    for rule, _ in replay
                }
                got = {t.rule: (t.caught, t.open, t.lapsed) for t in await store.rule_tallies()}
                assert got == expected, (edits, text)
        finally:
            await store.close()

    asyncio.run(go())


@pytest.mark.usefixtures("tui_env")
async def test_the_view_says_the_text_changed(tmp_path: Path, make_app, monkeypatch):
    from reactieveld.store.sqlite import SqliteStore

    monkeypatch.setenv("NO_COLOR", "1")  # every state in characters
    store = await open_store(str(tmp_path / "m.db"))
    await store.upsert_page("blog", page(resp("c1", DIRTY)), rules=RULES)
    await store.upsert_page("blog", page(resp("c1", CLEAN, minutes=1)), rules=RULES)
    rid = (await store.get_by_external("blog", "c1")).response.id
    await store.close()
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        for lang, line, tab in (
            (
                "en",
                "§ Rule: scheldwoorden (open · text changed, the rule no longer matches)",
                "│ Flagged 0",
            ),
            (
                "nl",
                "§ Regel: scheldwoorden (open · tekst gewijzigd, regel past niet meer)",
                "│Regel 0",
            ),
        ):
            app = make_app(store, language=lang, rules=RULES)
            async with app.run_test(size=(80, 24)) as pilot:
                text = await response_shown(app, pilot, rid)
                assert line in text, text
                shown = screen_text(app)  # at 80x24, whole on its line; the tab counts 0
                assert any(row.strip() == line for row in shown), shown
                assert any(tab in row for row in shown), shown
    finally:
        await store.close()


def test_rules_test_counts_the_text_as_it_is_now(tmp_path: Path):
    """`rules test` reads the stored text: a comment edited clean is no match there
    either, as its flag lapsed; the same words back count again."""
    import asyncio

    from helpers.cli import run_main

    db, config = tmp_path / "m.db", tmp_path / "config.toml"
    config.write_text('[[rules]]\nname = "hate"\nwords = ["kanker*"]\naction = "hold"\n', "utf-8")

    async def store_text(text: str, minutes: int) -> list[tuple]:
        store = await open_store(str(db))
        try:
            await store.upsert_page("blog", page(resp("c1", text, minutes=minutes)), rules=RULES)
            return [s for _, _, s in await states(store)]
        finally:
            await store.close()

    def said() -> str:
        code, out, err = run_main(
            [
                "--lang",
                "en",
                "--config",
                str(config),
                "--db",
                str(db),
                "rules",
                "test",
            ]
        )
        assert code == 0, err
        return out.splitlines()[0]

    assert asyncio.run(store_text(DIRTY, 0)) == ["open"]
    assert said() == "hate (hold): 1 of 1 stored responses"
    assert asyncio.run(store_text(CLEAN, 1)) == ["lapsed"]
    assert said() == "hate (hold): 0 of 1 stored responses"
    assert asyncio.run(store_text(DIRTY, 2)) == ["open"]


async def test_undoing_a_decision_puts_a_lapsed_flag_back_lapsed(store):
    """A decision settles a lapsed flag as an open one; undone, the flag is back as it
    was: lapsed (out of the Flagged queue), not open. An open flag comes back open."""
    from reactieveld.model import RemoteStatus

    await store.upsert_page(
        "blog", page(resp("a", DIRTY, minutes=1), resp("b", DIRTY, minutes=2)), rules=RULES
    )
    await store.upsert_page("blog", page(resp("a", CLEAN, minutes=1)), rules=RULES)
    assert await states(store) == [("a", "scheldwoorden", "lapsed"), ("b", "scheldwoorden", "open")]
    a = (await store.get_by_external("blog", "a")).response.id
    b = (await store.get_by_external("blog", "b")).response.id
    for rid in (a, b):
        await store.moderate([rid], RemoteStatus.APPROVED, actor="anna")
    assert [s for _, _, s in await states(store)] == ["misfire", "misfire"]
    await store.undo_last(actor="anna")
    await store.undo_last(actor="anna")
    assert await states(store) == [("a", "scheldwoorden", "lapsed"), ("b", "scheldwoorden", "open")]
    assert await store.count(FLAGGED) == 1
    # The words back open the flag again; edited away again it lapses anew.
    await store.upsert_page("blog", page(resp("a", DIRTY, minutes=1)), rules=RULES)
    assert (await states(store))[0] == ("a", "scheldwoorden", "open")
