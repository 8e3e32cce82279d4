"""The connector protocol every platform implements.

A connector knows one platform's API and nothing else: no database, no UI. The sync
engine calls :meth:`Connector.fetch` with the cursor it stored last time and stores each
page together with that page's ``next_cursor`` in one transaction; the outbox worker
calls :meth:`Connector.apply` for the actions in :attr:`Connector.capabilities`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from reactieveld.i18n import stored
from reactieveld.model import Action, Capability, Page, RemoteStatus, Response


def utc_time(value: Any) -> datetime | None:
    """A platform's ISO 8601 time as an aware UTC datetime (one without an offset, like
    WordPress's ``date_gmt``, is taken as UTC); None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d.astimezone(UTC) if d.tzinfo else d.replace(tzinfo=UTC)


def error_at(where: str, error: str) -> str:
    """``{where}: {error}``: an error with the request or the action it is about (``GET
    /wp-json/``, ``approve``), in the stored English form (i18n ``conn.in``; every part
    is read back in the reader's language where it is shown)."""
    return stored("conn.in", where=where, error=error)


class PageGuard:
    """A paging loop's guard against a server whose next page does not advance (a
    ``next`` that leads back, a page or offset parameter a cache ignores): without it the
    round would fetch the same page for ever. :meth:`check` each page's keys (its ids,
    or the cursor it hands on); a page of which every key was seen before in this loop
    ends the round with a :class:`ConnectorError` that says so. An empty page passes
    (the loops end on one themselves)."""

    def __init__(self, source: str, where: str) -> None:
        self.source = source
        self.where = where
        self.seen: set[object] = set()

    def check(self, keys: Iterable[object]) -> None:
        """Raise when ``keys`` (one page's) holds nothing this loop had not seen."""
        page = set(keys)
        if page and page <= self.seen:
            raise ConnectorError(
                self.source,
                error_at(self.where, stored("conn.same_page", count=len(page))),
                retryable=True,
            )
        self.seen |= page


class ConnectorError(Exception):
    """A platform could not be read or written; the message says which source and why.

    ``retryable`` tells the sync engine and the outbox whether trying again later can help
    (network trouble, 5xx, 429) or not (bad credentials, a refused action).
    """

    def __init__(self, source: str, message: str, *, retryable: bool = True) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
        self.retryable = retryable


#: The moment (``time.time()``: the wall clock, which runs on while the process is stopped
#: or the machine sleeps) by which a write-back's request must have left, or None (no
#: limit): set by the outbox worker while it applies a row it holds (a request sent later
#: could arrive after its lease ran out and another program took the row over and sent
#: it). Every request of a ``SourceClient`` (http.py) asks, each attempt anew.
SEND_BY: ContextVar[float | None] = ContextVar("reactieveld_send_by", default=None)


class TooLateToSend(ConnectorError):
    """A write-back's request not sent: the moment it had to leave by (:data:`SEND_BY`)
    has passed (the process was stopped, the machine slept, the waits for a free
    connection or a server's ``Retry-After`` ran long). Nothing of it left; the outbox
    worker records it as a retry only on a row still its own (``held=True``), a reply as
    one the platform may have (an earlier request of it may have arrived)."""

    def __init__(self, source: str) -> None:
        super().__init__(source, stored("conn.too_late"), retryable=True)


def may_send(source: str, now: float) -> None:
    """Raise :class:`TooLateToSend` when a request of ``source`` may no longer leave at
    ``now`` (``time.time()``): its :data:`SEND_BY` has passed."""
    by = SEND_BY.get()
    if by is not None and now > by:
        raise TooLateToSend(source)


#: What a connector's reading of an answer of a form it did not foresee raises (a list
#: for an object, a null, a number as text, nesting deeper than Python recurses).
UNFORESEEN = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    ArithmeticError,
    RecursionError,
)


class UnreadableAnswer(ConnectorError):
    """A platform's answer of a form the connector cannot read: the connector's own
    exception (its ``__cause__``, kept for whoever debugs) said as what it means for the
    user, and what to do."""

    def __init__(self, source: str, exc: BaseException) -> None:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        super().__init__(source, stored("conn.unreadable", error=detail), retryable=True)


def new_comment_id(value: Any) -> str | None:
    """The id of the comment a reply made, as a platform's answer names it: a whole
    number above 0 (not a truth value) or text of digits; None for anything else (a
    null, an empty text, a list, a fraction), which names no comment."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and value.strip("0"):
        return value
    return None


class ReplyUnconfirmed(ConnectorError):
    """A reply's POST answered with a success that names no comment made (no id, an id
    of another kind, a body of another shape): the platform may have taken the reply.
    Retryable, with no HTTP status: the outbox marks it :data:`~reactieveld.outbox.UNSURE`
    and waits for a sync round (which finds the platform's copy, if any) before it sends
    the reply again; refusing it would have the moderator send it a second time."""

    def __init__(self, source: str, where: str) -> None:
        super().__init__(source, error_at(where, stored("conn.reply_no_id")), retryable=True)


# The fields of what a connector hands the store that must be text (or None, the second).
_TEXT = {
    "response": (
        ("external_id", "author_name", "body_text", "body_raw", "body_format"),
        (
            "thread_external_id",
            "parent_external_id",
            "url",
            "author_email",
            "author_key",
            "author_url",
            "role_hint",
        ),
    ),
    "thread": (("external_id", "title"), ("url",)),
}


def _check_text(kind: str, item: Any) -> None:
    must, may = _TEXT[kind]
    for name in (*must, *may):
        value = getattr(item, name)
        if not isinstance(value, str) and not (value is None and name not in must):
            raise TypeError(
                f"{kind} {str(item.external_id)[:40]}: {name} is {type(value).__name__}, not text"
            )


def checked(page: Page) -> Page:
    """``page`` when every text field of its responses and threads holds text: a value of
    another kind (a number for an e-mail address, a list for a name), taken over from
    the platform's answer as it was, raises TypeError here instead of in the store."""
    for response in page.responses:
        _check_text("response", response)
        if not isinstance(response.created_at, datetime):
            raise TypeError(f"response {str(response.external_id)[:40]}: created_at is no time")
    for thread in page.threads:
        _check_text("thread", thread)
    return page


async def read_pages(connector: Connector, cursor: str | None) -> AsyncIterator[Page]:
    """``connector.fetch(cursor)``, every page :func:`checked`, an answer it cannot read
    ending it as :class:`UnreadableAnswer`: the one way the sync engine and the fetch
    process read a source."""
    try:
        async for page in connector.fetch(cursor):
            yield checked(page)
    except UNFORESEEN as exc:
        raise UnreadableAnswer(connector.name, exc) from exc


async def apply_action(connector: Connector, action: Action) -> ApplyResult:
    """``connector.apply(action)``, an answer it cannot read raised as
    :class:`UnreadableAnswer`: the one way the outbox writes back."""
    try:
        return await connector.apply(action)
    except UNFORESEEN as exc:
        raise UnreadableAnswer(connector.name, exc) from exc


class ActionConflict(ConnectorError):
    """The remote item changed since the moderator saw it; the action was not forced.

    ``response``: the item as the platform has it now, when the connector read it (a text
    edited on the site): the outbox stores it, so the conflict shows the new words."""

    def __init__(
        self,
        source: str,
        message: str,
        *,
        remote_status: RemoteStatus | None = None,
        response: Response | None = None,
    ):
        super().__init__(source, message, retryable=False)
        self.remote_status = remote_status
        self.response = response


@dataclass(frozen=True)
class ApplyResult:
    """What the platform did with an action.

    ``external_id`` is the id of a newly created item (a reply), ``remote_status`` the
    status the item has now, as the platform reported it.
    """

    remote_status: RemoteStatus | None = None
    external_id: str | None = None


@runtime_checkable
class Connector(Protocol):
    """What the sync engine and the outbox need of a platform."""

    name: str
    #: The actions this platform accepts, with the reason for those it does not.
    capabilities: frozenset[Capability]
    unsupported_reasons: Mapping[Capability, str]

    def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """Yield pages of responses and threads after ``cursor``.

        Each page carries the cursor to store with it, so that a crash between pages
        repeats at most one page. The last page of a round has ``done=True``.
        """
        ...

    async def apply(self, action: Action) -> ApplyResult:
        """Perform one write-back action; raise ConnectorError or ActionConflict."""
        ...

    async def aclose(self) -> None:
        """Release network resources."""
        ...
