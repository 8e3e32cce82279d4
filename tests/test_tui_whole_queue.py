"""Issue 4's "done when": a moderator works a whole demo queue to zero with the keyboard
alone, in Dutch or English, with a planning question and a role on every response."""

from __future__ import annotations

import pytest
from helpers.app import ready, settle
from helpers.data import load_demo

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.model import RemoteStatus, TriageState
from reactieveld.store.base import QueueFilter
from reactieveld.store.open import open_store

pytestmark = pytest.mark.usefixtures("tui_env")

# Per position in the queue: the question key, the role key, the decision key.
PLAN = [("1", "b", "a"), ("3", "r", "u"), ("5", "a", "x"), ("8", "c", "s"), ("2", "g", "d")]
#: The demo queue's size: each step of the plan twice (25, five times, was 30 s a run of
#: the same keys on the same kind of rows).
COUNT = 2 * len(PLAN)
DECISION = {
    "a": RemoteStatus.APPROVED,
    "u": RemoteStatus.HOLD,
    "s": RemoteStatus.SPAM,
    "d": RemoteStatus.TRASH,
}


@pytest.fixture(
    params=[("sqlite", "nl"), ("sqlite", "en"), ("postgresql", "nl")],
    ids=["sqlite-nl", "sqlite-en", "postgresql-nl"],
)
def backend(request, tmp_path):
    """Where the memory lives and the language: both languages on SQLite, and once on a
    team's PostgreSQL database (issue 13)."""
    kind, language = request.param
    if kind == "sqlite":
        return str(tmp_path / "demo.db"), language
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.url(cluster.new_database()), language


async def test_work_the_demo_queue_to_zero_with_keys_only(backend, make_app):
    target, language = backend
    store = await open_store(target)
    try:
        await load_demo(store, count=COUNT, seed=3)
        app = make_app(store, language=language)
        roles = {r.key: r.code for r in DEFAULT_CODEBOOK.roles}
        expected: dict[int, tuple[str, str, str]] = {}
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await ready(app, pilot)
            step = 0
            while screen.queue.total:
                row = screen.queue.current
                assert row is not None and row.response.id is not None
                question, role, decision = PLAN[step % len(PLAN)]
                expected[row.response.id] = (question, roles[role], decision)
                await pilot.press(question, "w")
                await settle(app, pilot)
                await pilot.press(role)
                await settle(app, pilot)
                await pilot.press(decision)
                await settle(app, pilot)
                step += 1
                assert step <= COUNT, "the queue does not shrink"
            tabs = str(screen.query_one("#queue-tabs").render_content())
            assert ("Nieuw 0" if language == "nl" else "New 0") in tabs
        assert await store.count(QueueFilter(triage=TriageState.NEW)) == 0
        assert len(expected) == COUNT
        for rid, (question, role, decision) in expected.items():
            row = await store.get(rid)
            assert row.response.triage is TriageState.HANDLED
            assert question in row.questions
            assert row.role == role
            if decision in DECISION:
                assert row.response.remote_status is DECISION[decision]
        counts = await store.counts()
        assert counts.untagged == 0
    finally:
        await store.close()
