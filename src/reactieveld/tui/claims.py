"""The app's claim: the response the moderator has open, leased in the store so that other
moderators see "bezig: Naam" on it (store ``claim``/``release``, issue 13).

One response at a time: opening another releases the previous one, a decision ends it
in the store's own transaction, quitting releases all, and the lease is renewed while
the response stays open. Requests are served one at a time and only the newest counts,
so holding ``j`` down costs a write for the row it stops on, not one per row passed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from reactieveld.store.base import Claim, QueueRow, StoreError
from reactieveld.store.errors import StoreUnreachable


def busy_by(row: QueueRow | None, actor: str | None) -> Claim | None:
    """The claim another moderator holds on ``row`` (one's own is not "busy")."""
    if row is None or row.claim is None or row.claim.actor == actor:
        return None
    return row.claim


#: How often the app looks whether a claim it shows has run out (seconds): a claim left
#: behind (a crashed app) ends with its lease, and no word from the store says so.
EXPIRY_CHECK_SECONDS = 5.0


def expired_claims(rows: Iterable[QueueRow | None], actor: str | None, now: datetime) -> list[int]:
    """The responses among ``rows`` shown as "busy" whose claim has run out by ``now``."""
    out: list[int] = []
    for row in rows:
        busy = busy_by(row, actor)
        if busy is not None and busy.until <= now and row is not None and row.response.id:
            out.append(row.response.id)
    return out


class ClaimKeeper:
    """Holds the moderator's claim on the open response."""

    def __init__(
        self,
        store: Any,
        *,
        actor: str,
        minutes: float,
        away: Callable[[StoreUnreachable], None] | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self.minutes = minutes
        #: Told when a claim meets the team's memory away (the app's ``store_failed``:
        #: the header's marker), the open going on all the same.
        self.away = away
        #: The response this app holds a claim on (None: none).
        self.held: int | None = None
        self._wanted: int | None = None
        self._lock = asyncio.Lock()

    async def open(self, response_id: int | None) -> Claim | None:
        """Claim ``response_id`` (None: nothing open) and release the previous one.
        Returns the other moderator's claim when someone else has it open."""
        self._wanted = response_id
        async with self._lock:
            if self._wanted != response_id:
                return None  # a newer request came in meanwhile: it decides
            try:
                if self.held is not None and self.held != response_id:
                    await self.store.release(self.held, actor=self.actor)
                    self.held = None
                if response_id is None:
                    return None
                other: Claim | None = await self.store.claim(
                    response_id, actor=self.actor, minutes=self.minutes
                )
            except StoreError as exc:
                # A claim is a courtesy to the others, never a reason to stop working
                # (a busy or read-only file): the version check still guards decisions.
                # The memory away is said all the same (the renewal of an idle app's
                # claim may be the first to meet it): the others no longer see the
                # response taken, and nothing the moderator decides is stored now.
                if isinstance(exc, StoreUnreachable) and self.away is not None:
                    self.away(exc)
                return None
            self.held = None if other is not None else response_id
            return other

    async def renew(self) -> None:
        """Extend the lease on the open response (the app's timer, at half the lease)."""
        held = self.held
        if held is not None:
            await self.open(held)

    async def release_all(self) -> None:
        """Drop every claim of this moderator (quitting)."""
        self._wanted = None
        async with self._lock:
            self.held = None
            try:
                await self.store.release(None, actor=self.actor)
            except StoreError:
                pass  # the leases end by themselves
