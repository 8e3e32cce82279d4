"""The claims' rules a second way, as a few lines of Python, for generated sequences of
claim / release / time passing against either store (tests/test_store_claims.py and
tests/test_pg_claims.py): after every step, what the store holds live is what this says."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

ACTORS = ("anna", "bert", "carla")

#: One step: ("claim", actor, row index, minutes) | ("release", actor, row index or None)
#: | ("wait", seconds).
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("claim"), st.sampled_from(ACTORS), st.integers(0, 2), st.integers(1, 10)),
        st.tuples(st.just("release"), st.sampled_from(ACTORS), st.none() | st.integers(0, 2)),
        # Whole minutes, so that a lease's exact end (until == now) comes up often.
        st.tuples(st.just("wait"), st.integers(0, 12).map(lambda m: m * 60) | st.integers(0, 900)),
    ),
    max_size=25,
)


class Model:
    """Claims as {row index: (actor, until in seconds)}; expired ones count as absent."""

    def __init__(self) -> None:
        self.now = 0
        self.held: dict[int, tuple[str, int]] = {}

    def live(self) -> dict[int, str]:
        return {r: a for r, (a, until) in self.held.items() if until > self.now}

    def claim(self, actor: str, row: int, minutes: int) -> str | None:
        holder = self.live().get(row)
        if holder is not None and holder != actor:
            return holder
        self.held[row] = (actor, self.now + minutes * 60)
        return None

    def release(self, actor: str, row: int | None) -> None:
        for r in [r for r, (a, _) in self.held.items() if a == actor and row in (None, r)]:
            del self.held[r]


async def rows_shown(store: Any, ids: list[int]) -> dict[int, str]:
    """{response id: actor} of the claims the store's rows carry (get_many)."""
    return {r.response.id: r.claim.actor for r in await store.get_many(ids) if r.claim}


async def run_steps(
    store: Any,
    ids: list[int],
    steps: list[tuple],
    t0: datetime,
    shown: Callable[[Any, list[int]], Awaitable[dict[int, str]]] = rows_shown,
) -> None:
    """Play ``steps`` on ``store`` (its ``clock`` set here) and on the model, comparing the
    answer of every claim and the live claims ``shown`` reads after each step (by default
    from the rows, as the queue shows them)."""
    model = Model()
    store.clock = lambda: t0 + timedelta(seconds=model.now)
    for step in steps:
        if step[0] == "claim":
            _, actor, row, minutes = step
            want = model.claim(actor, row, minutes)
            got = await store.claim(ids[row], actor=actor, minutes=minutes)
            assert (got.actor if got else None) == want, step
        elif step[0] == "release":
            _, actor, row = step
            model.release(actor, row)
            await store.release(None if row is None else ids[row], actor=actor)
        else:
            model.now += step[1]
        live = {ids.index(rid): actor for rid, actor in (await shown(store, ids)).items()}
        assert live == model.live(), step
