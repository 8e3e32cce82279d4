"""A year of moderation for the demo: what two moderators did with the older responses.

The demo source (:mod:`reactieveld.connectors.demo`) only plays the platform; a fresh
memory of it would be a bare queue. This writes the history a team builds up in a year
above the connector, through :meth:`SqliteStore.record_history`: for most older responses
a decision (approve, hold, spam, trash, or handled as it was) by one of two fictional
moderators a few hours to days after the response arrived, its planning questions and
speaker role coded (as the text was written, with a little human noise), and now and then
a note. The organisation's replies in the threads come from the connector itself. The
responses of the last few days (the backlog) stay untriaged, fewer the older they get,
so the queue still has work.

Deterministic: the same ``count``, ``seed`` and ``anchor`` give the same journal, tags and
notes. Nothing happens after the anchor (the demo's "now"). No Textual here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from reactieveld.connectors.demo import QUESTION_CODES, SHAPE, DemoConnector, DemoRandom
from reactieveld.model import RemoteStatus
from reactieveld.store.values import PastWork

#: Keeps the history's draws apart from those that wrote the response.
HISTORY_STREAM = 0x4849535430
#: The claims' draws, apart again: the rest of the history stays as it was without them.
CLAIM_STREAM = 0x434C41494D

#: Of the decided responses, the share another moderator had open first (claimed) and
#: left to the one who decided: the dashboard's "claimed by one, decided by another".
HANDED_OVER = 0.07

MODERATORS = ("Sanne (communicatie)", "Jeroen (participatie)")

#: Of the responses older than the backlog, the share the team handled.
HANDLED_OLD = 0.92
#: The backlog: the responses of the last few days (SHAPE's first stretch, about a
#: sixth), handled from about half (its oldest) down to none (the newest).
RECENT_SHARE = SHAPE[1][0]

NOTES = (
    "Doorgestuurd naar het projectteam.",
    "Meenemen in het verslag voor de commissie.",
    "Telefonisch contact gehad; vraag beantwoord.",
    "Zelfde punt als eerder in deze draad.",
    "Voorbeeld voor de evaluatie van de participatieaanpak.",
    "Navragen bij team verkeer voor een inhoudelijk antwoord.",
    "Let op de toon in deze draad.",
    "Opgenomen in de lijst met vragen voor de informatieavond.",
)

# (decision, cumulative share) for ordinary responses; None: handled, status as it was.
DECISIONS: tuple[tuple[RemoteStatus | None, float], ...] = (
    (RemoteStatus.APPROVED, 0.78),
    (None, 0.86),
    (RemoteStatus.HOLD, 0.93),
    (RemoteStatus.SPAM, 0.965),
    (RemoteStatus.TRASH, 1.0),
)


def wants_history(options: Any) -> bool:
    """Whether a demo source's options ask for the history (``history``, default true)."""
    return bool(dict(options).get("history", True))


def _decision(x: float) -> RemoteStatus | None:
    for status, upto in DECISIONS:
        if x < upto:
            return status
    return RemoteStatus.APPROVED


def _delay(rng: DemoRandom) -> timedelta:
    # Log-normal: median about four hours, a long tail to days (a weekend, a holiday).
    hours = min(math.exp(math.log(4.0) + 1.1 * rng.gauss()), 24 * 12)
    return timedelta(hours=hours)


def plan_history(connector: DemoConnector) -> Iterator[PastWork]:
    """The past work on the connector's first ``count`` responses, oldest first."""
    count = connector.count
    recent_from = int(count * (1 - RECENT_SHARE))
    for i in range(count):
        rng = DemoRandom(connector.seed, i, HISTORY_STREAM)
        if i < recent_from:
            p_handled = HANDLED_OLD
        else:
            p_handled = 0.5 * (count - i) / max(count - recent_from, 1)
        if rng.random() >= p_handled:
            continue
        at = connector.time(i) + _delay(rng)
        if at > connector.anchor:
            continue  # not yet: it is still in the queue
        response, plan = connector.response_and_plan(i)
        actor = MODERATORS[0] if rng.random() < 0.6 else MODERATORS[1]
        other = MODERATORS[1] if actor == MODERATORS[0] else MODERATORS[0]
        handed_over = DemoRandom(connector.seed, i, CLAIM_STREAM).random() < HANDED_OVER
        if plan.hostile:
            status: RemoteStatus | None = (
                RemoteStatus.SPAM if rng.random() < 0.5 else RemoteStatus.TRASH
            )
        elif plan.organisation:
            status = None  # the organisation's own reply: read, left as it is
        else:
            status = _decision(rng.random())
        questions: tuple[str, ...] = ()
        role: str | None = None
        note: str | None = None
        if (status or response.remote_status) not in (RemoteStatus.SPAM, RemoteStatus.TRASH):
            if plan.questions and rng.random() < 0.9:
                questions = plan.questions
                if rng.random() < 0.06:  # a second reading saw one more question
                    questions = tuple(
                        sorted(
                            {*questions, QUESTION_CODES[rng.randrange(len(QUESTION_CODES))]},
                            key=int,
                        )
                    )
            if not plan.organisation and rng.random() < 0.88:
                role = plan.role
            if rng.random() < 0.08:  # spam and trash get no note: nothing to follow up
                note = NOTES[rng.randrange(len(NOTES))]
        yield PastWork(
            external_id=f"c{i}",
            at=at,
            actor=actor,
            status=status,
            questions=questions,
            role=role,
            note=note,
            # Whoever decided had it open first, now and then a colleague instead.
            claimed_by=other if handed_over else actor,
        )


async def write_history(store: Any, source_config: Any) -> int:
    """Write the demo source's history into ``store`` once (a no-op after that, or when
    the source says ``history = false``). Returns the responses it touched."""
    if not wants_history(source_config.options):
        return 0
    connector = DemoConnector.from_config(source_config)
    once = f"demo:{source_config.name}"
    result: int = await store.record_history(source_config.name, plan_history(connector), once=once)
    return result
