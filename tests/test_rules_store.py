"""Moderation rules applied as a page is stored (issue 16), on both backends: the flags
and the rule's hold (journal, state, outbox), a page fetched again, an edit, a
moderator's release (misfire) and undo, the Flagged queue and the per-rule tallies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.store import open_store, page, resp, sql

from reactieveld.model import ActionKind, RemoteStatus, TriageState, utcnow
from reactieveld.rules import Rule, RuleSet
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore

A, HOLD, TRASH = RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.TRASH

RULES = RuleSet(
    (
        Rule.make("scheldwoorden", "hold", words=("kanker*", "tyfus*")),
        Rule.make("reclame", "flag", pattern=r"koop\s+nu|https?://\S+\.shop\b"),
    )
)
FLAGGED = QueueFilter(flagged=True)


def who(store, actor: str) -> str:
    """The moderator's name in the journal: as given on SQLite, the role on PostgreSQL."""
    return actor if isinstance(store, SqliteStore) else store.role


@pytest.fixture
async def store(store_target):
    s = await open_store(store_target)
    yield s
    await s.close()


async def ids_of(store, *exts: str) -> list[int]:
    return [(await store.get_by_external("blog", e)).response.id for e in exts]


async def flags(store) -> list[tuple]:
    return await sql(
        store,
        "SELECT r.external_id, f.rule, f.action, f.state FROM rule_flags f "
        "JOIN responses r ON r.id = f.response_id ORDER BY r.external_id, f.rule",
    )


async def test_rules_flag_and_hold_in_the_pages_transaction(store):
    up = await store.upsert_page(
        "blog",
        page(
            resp("a", "Wat een kankerlijer ben jij", minutes=1),
            resp("b", "Op vakantie in Vakankerken", minutes=2),  # not at a word start
            resp("c", "Koop nu bij https://spul.shop vandaag", minutes=3),
            resp("d", "Een gewone reactie", minutes=4),
            resp("e", "Tyfus! en koop  nu", minutes=5, status=HOLD),
        ),
        rules=RULES,
    )
    a, b, c, d, e = await ids_of(store, *"abcde")
    assert sorted(up.flagged) == sorted([a, c, e])
    assert sorted(up.held) == sorted([a, e])
    assert await flags(store) == [
        ("a", "scheldwoorden", "hold", "open"),
        ("c", "reclame", "flag", "open"),
        ("e", "reclame", "flag", "open"),
        ("e", "scheldwoorden", "hold", "open"),
    ]
    # The hold: the state, a journal entry as a moderator's (actor rule:<name>), the
    # triage kept (a person has yet to look), and a write-back of the hold.
    row = await store.get(a)
    assert row.response.remote_status is HOLD
    assert row.response.triage is TriageState.NEW
    [entry] = await store.journal(a)
    assert (entry.actor, entry.kind) == ("rule:scheldwoorden", ActionKind.MODERATE)
    assert entry.before == {"status": "approved", "triage": "new"}
    assert entry.after == {"status": "hold", "triage": "new"}
    outbox = await sql(store, "SELECT response_id, capability, state FROM outbox")
    assert outbox == [(a, "hold", "pending")]  # e was on hold already: nothing to send
    assert await store.journal(e) == []
    # The Flagged queue: every response with an open flag, its count alike.
    shown = [r.response.external_id for r in await store.queue(FLAGGED)]
    assert shown == ["e", "c", "a"]
    assert await store.count(FLAGGED) == 3
    assert (await store.counts()).flagged == 3  # the tab's store-wide count
    # Each row names the rules whose flags are open, in the order they flagged.
    assert [r.flags for r in await store.queue(FLAGGED)] == [
        ("scheldwoorden", "reclame"),
        ("reclame",),
        ("scheldwoorden",),
    ]
    assert (await store.get(b)).flags == ()
    # A flag names its rule.
    [flag] = await store.rule_flags(c)
    assert (flag.rule, flag.action, flag.state) == ("reclame", "flag", "open")
    assert await store.rule_flags(b) == [] and await store.rule_flags(d) == []


async def test_a_page_again_an_edit_and_a_status_change(store):
    first = page(resp("a", "kanker op", minutes=1), resp("b", "prima", minutes=2))
    await store.upsert_page("blog", first, rules=RULES)
    (a,) = await ids_of(store, "a")
    again = await store.upsert_page("blog", first, rules=RULES)
    assert again.flagged == () and again.held == ()
    # The platform reports the hold we sent: a status change, the same words.
    status = await store.upsert_page(
        "blog", page(resp("a", "kanker op", minutes=1, status=HOLD)), rules=RULES
    )
    assert status.flagged == ()
    assert len(await flags(store)) == 1
    # The author edits, still with the word: flagged anew (another text).
    edit = await store.upsert_page(
        "blog", page(resp("a", "KANKER, echt", minutes=1, status=HOLD)), rules=RULES
    )
    assert edit.flagged == (a,)
    # b edited into a match: flagged and held as it is stored.
    (b,) = await ids_of(store, "b")
    later = await store.upsert_page("blog", page(resp("b", "tyfushond", minutes=2)), rules=RULES)
    assert later.flagged == (b,) and later.held == (b,)
    assert (await store.get(b)).response.remote_status is HOLD


async def test_no_rules_no_flags(store):
    up = await store.upsert_page("blog", page(resp("a", "kanker", minutes=1)))
    assert up.flagged == () and await flags(store) == []
    assert await store.count(FLAGGED) == 0


async def test_hold_without_write_back(store):
    await store.upsert_page(
        "blog", page(resp("a", "kanker", minutes=1)), rules=RULES, hold_write_back=False
    )
    (a,) = await ids_of(store, "a")
    assert (await store.get(a)).response.remote_status is HOLD
    assert await sql(store, "SELECT count(*) FROM outbox") == [(0,)]


async def test_release_is_a_misfire_and_undo_opens_the_flag(store):
    await store.upsert_page(
        "blog",
        page(
            resp("a", "kankerzooi", minutes=1),
            resp("b", "tyfus", minutes=2),
            resp("c", "koop nu", minutes=3),
        ),
        rules=RULES,
    )
    a, b, c = await ids_of(store, *"abc")
    # Released: approved again (written back), the flag a misfire.
    out = await store.moderate([a], A, actor="anna")
    assert out.changed == 1
    assert (await store.rule_flags(a))[0].state == "misfire"
    assert (await store.rule_flags(a))[0].resolved_by == who(store, "anna")
    assert await store.count(FLAGGED) == 2
    # Undone: on hold again, the flag open again.
    await store.undo_last(actor="anna")
    assert (await store.get(a)).response.remote_status is HOLD
    assert (await store.rule_flags(a))[0].state == "open"
    # Kept from view (trash, or hold by the moderator): upheld.
    await store.moderate([b], TRASH, actor="anna")
    await store.moderate([a], HOLD, actor="anna")
    # A flag on a visible response marked handled as it is: a release, so a misfire.
    await store.mark_handled([c], actor="anna")
    assert [(e, s) for e, _, _, s in await flags(store)] == [
        ("a", "upheld"),
        ("b", "upheld"),
        ("c", "misfire"),
    ]
    assert await store.count(FLAGGED) == 0
    assert (await store.counts()).flagged == 0
    assert (await store.get(a)).flags == ()  # decided: no open flag to show
    tallies = {t.rule: t for t in await store.rule_tallies()}
    assert (tallies["scheldwoorden"].caught, tallies["scheldwoorden"].misfired) == (2, 0)
    assert tallies["scheldwoorden"].upheld == 2
    assert (tallies["reclame"].caught, tallies["reclame"].misfired) == (1, 1)
    # The period: flags made before it are not counted.
    assert await store.rule_tallies(since=utcnow() + timedelta(hours=1)) == []


async def test_a_rules_hold_is_undone_as_a_persons(store):
    """The rule's journal entry is a decision like a person's: undone by its actor, the
    write-back not yet sent is cancelled and the status comes back."""
    if not isinstance(store, SqliteStore):
        pytest.skip("PostgreSQL undoes the connection's own role's work only (session_user)")
    await store.upsert_page("blog", page(resp("a", "kanker", minutes=1)), rules=RULES)
    (a,) = await ids_of(store, "a")
    await store.undo_last(actor="rule:scheldwoorden")
    assert (await store.get(a)).response.remote_status is A
    assert await sql(store, "SELECT state FROM outbox") == [("cancelled",)]


async def test_a_slow_rule_is_reported_and_the_page_stored(store):
    slow = RuleSet((Rule.make("traag", "hold", pattern=r"(a|aa)+$"),), limit=0.02)
    up = await store.upsert_page(
        "blog",
        page(resp("a", "a" * 40 + "!", minutes=1), resp("b", "aaa", minutes=2)),
        rules=slow,
    )
    a, b = await ids_of(store, "a", "b")
    assert up.new == 2
    assert up.slow_rules == (("traag", a),)
    assert up.flagged == (b,)


async def test_texts_pages_by_id(store):
    await store.upsert_page(
        "blog", page(*(resp(str(i), f"tekst {i}", minutes=i) for i in range(5)))
    )
    first = await store.texts(limit=3)
    rest = await store.texts(after=first[-1][0], limit=3)
    assert [t for _, t, _ in first + rest] == [f"tekst {i}" for i in range(5)]
    assert {title for _, _, title in first + rest} == {None}  # no author's own title


async def test_a_decision_that_changes_nothing_still_settles_and_is_journalled(store):
    """Handled and approved, then edited into a match (flagged anew): approving it again
    changes no state, yet settles the flag, so it is a journal entry that undo finds."""
    await store.upsert_page("blog", page(resp("c", "gewoon", minutes=1)), rules=RULES)
    (c,) = await ids_of(store, "c")
    await store.moderate([c], A, actor="anna")  # handled, approved
    await store.upsert_page("blog", page(resp("c", "koop nu", minutes=1)), rules=RULES)
    assert [f.state for f in await store.rule_flags(c)] == ["open"]
    out = await store.moderate([c], A, actor="anna")
    assert out.changed == 1 and len(out.journal_ids) == 1
    [flag] = await store.rule_flags(c)
    assert flag.state == "misfire"
    [(journal_id,)] = await sql(store, "SELECT resolved_journal FROM rule_flags")
    assert journal_id == out.journal_ids[0]
    assert await sql(store, "SELECT count(*) FROM outbox") == [(0,)]  # nothing to send
    await store.undo_last(actor="anna")
    assert [f.state for f in await store.rule_flags(c)] == ["open"]
    await store.mark_handled([c], actor="anna")  # handled already: journalled all the same
    assert [f.state for f in await store.rule_flags(c)] == ["misfire"]
    assert await sql(store, "SELECT resolved_journal IS NOT NULL FROM rule_flags") in (
        [(1,)],
        [(True,)],
    )
