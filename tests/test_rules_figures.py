"""The per-rule tallies of the dashboard and ``stats`` (issue 16) on both backends, and
the same figures computed a second way (tests/figures_oracle.py ``rule_tallies``): from the
raw flags and the journal, not from the flags' own state."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from figures_oracle import rule_rows_of, rule_tallies
from helpers.figures import set_store_clock
from helpers.store import T0, open_store, page, resp, sql

from reactieveld.model import RemoteStatus
from reactieveld.rules import Rule, RuleSet
from reactieveld.store.rows import to_epoch

RULES = RuleSet(
    (
        Rule.make("scheldwoorden", "hold", words=("kanker*", "tyfus*")),
        Rule.make("reclame", "flag", pattern=r"koop\s+nu"),
    )
)
#: The texts a response takes: each matches no rule, one, or both.
TEXTS = ("een gewone reactie", "kankerzooi", "koop nu hier", "tyfus, koop nu", "nog een reactie")
STATUSES = (RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM, RemoteStatus.TRASH)


class Clock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(hours=1)

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """One clock for the pages, the decisions and the rules' holds, on both backends."""
    c = Clock()
    set_store_clock(monkeypatch, c)
    return c


def _as_dict(tallies) -> dict[str, tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """(caught, misfired, upheld, undecided): the oracle's "open" is any undecided flag,
    in the Flagged queue or lapsed out of it (tests/test_rules_lapsed.py splits them)."""
    return {t.rule: (t.caught, t.misfired, t.upheld, t.open + t.lapsed) for t in tallies}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_generated_flags_and_decisions_agree(store_target, clock, seed):
    """Pages with new and edited texts, decisions (one or several rows, every status,
    handled), undos, all over time: the store's tallies in several periods equal the
    second computation, and each one adds up."""
    rng = random.Random(seed)
    store = await open_store(store_target)
    exts = [f"r{i}" for i in range(8)]
    try:
        for step in range(70):
            clock.now += timedelta(seconds=rng.choice((1, 30, 400)))
            roll = rng.random()
            if roll < 0.35 or step == 0:
                chosen = rng.sample(exts, rng.randint(1, 3))
                await store.upsert_page(
                    "blog",
                    page(*(resp(e, rng.choice(TEXTS), minutes=exts.index(e)) for e in chosen)),
                    rules=RULES,
                )
                continue
            stored = [r.response.id for r in await store.queue(_all(), limit=50)]
            if not stored:
                continue
            if roll < 0.8:
                chosen = rng.sample(stored, min(len(stored), rng.choice((1, 1, 2))))
                if rng.random() < 0.25:
                    await store.mark_handled(chosen, actor="anna")
                else:
                    await store.moderate(chosen, rng.choice(STATUSES), actor="anna")
            else:
                await store.undo_last(actor="anna")
        flags, journal = await rule_rows_of(store)
        # Every time is the test's clock's (else "after its flag" would mean nothing).
        times = [f[3] for f in flags] + [j[1] for j in journal]
        assert all(to_epoch(T0) <= t <= to_epoch(clock.now) for t in times)
        # Every settled flag names the decision that settled it (undo reopens by it).
        # (A lapsed flag, its words edited away, is no decision: it has none.)
        unnamed = (
            "SELECT id FROM rule_flags WHERE state NOT IN ('open', 'lapsed') "
            "AND resolved_journal IS NULL"
        )
        assert await sql(store, unnamed) == []
        end = clock.now + timedelta(seconds=1)
        cuts = sorted({T0, T0 + timedelta(hours=1, minutes=rng.randint(1, 200)), end})
        for since, until in zip(cuts, cuts[1:], strict=False):
            got = _as_dict(await store.rule_tallies(since, until))
            expected = rule_tallies(flags, journal, to_epoch(since), to_epoch(until))
            assert got == expected, (since, until)
        whole = _as_dict(await store.rule_tallies())
        for caught, misfired, upheld, still in whole.values():
            assert caught == misfired + upheld + still
        tallies = await store.rule_tallies()
        for t in tallies:
            assert t.caught == t.misfired + t.upheld + t.open + t.lapsed
        assert sum(t.open for t in tallies) >= (await store.counts()).flagged
        assert flags, "the generated run flagged nothing: it tests nothing"
    finally:
        await store.close()


def _all():  # type: ignore[no-untyped-def]
    from reactieveld.store.base import QueueFilter

    return QueueFilter()
