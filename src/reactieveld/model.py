"""The domain model: plain frozen dataclasses and enums. No I/O, no Textual.

Connectors translate a platform's JSON into these; the store keeps them; the TUI and the
exports read them back. Times are always timezone-aware UTC ``datetime`` objects.

The enums live in :mod:`reactieveld.model_kinds`, and the value types nothing before the
app's first frame makes (a source, a thread, a tag, a note, a journal entry, a reason, a
write-back and its outbox item) in :mod:`reactieveld.model_values`, created at their first
use (each frozen dataclass ~0.5 ms at import); this module names them all, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reactieveld.later import names_in
from reactieveld.model_kinds import ActionKind as ActionKind
from reactieveld.model_kinds import Capability as Capability
from reactieveld.model_kinds import OutboxState as OutboxState
from reactieveld.model_kinds import RemoteStatus as RemoteStatus
from reactieveld.model_kinds import TagKind as TagKind
from reactieveld.model_kinds import TriageState as TriageState

if TYPE_CHECKING:
    from reactieveld.model_values import Action as Action
    from reactieveld.model_values import DecisionReason as DecisionReason
    from reactieveld.model_values import JournalEntry as JournalEntry
    from reactieveld.model_values import Note as Note
    from reactieveld.model_values import OutboxItem as OutboxItem
    from reactieveld.model_values import Source as Source
    from reactieveld.model_values import Tag as Tag
    from reactieveld.model_values import Thread as Thread

_LATER_VALUES = frozenset(
    {"Action", "DecisionReason", "JournalEntry", "Note", "OutboxItem", "Source", "Tag", "Thread"}
)


__getattr__ = names_in("reactieveld.model_values", _LATER_VALUES, of=__name__)  # PEP 562


# Which remote status a capability sets, and back.
STATUS_FOR_CAPABILITY: Mapping[Capability, RemoteStatus] = {
    Capability.APPROVE: RemoteStatus.APPROVED,
    Capability.HOLD: RemoteStatus.HOLD,
    Capability.SPAM: RemoteStatus.SPAM,
    Capability.TRASH: RemoteStatus.TRASH,
    Capability.HIDE: RemoteStatus.HIDDEN,
}
CAPABILITY_FOR_STATUS: Mapping[RemoteStatus, Capability] = {
    v: k for k, v in STATUS_FOR_CAPABILITY.items()
}


def utcnow() -> datetime:
    """Now, in UTC (one place, so tests and the store agree on the clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Response:
    """One comment, post or reply, as fetched from a platform or read from the store.

    ``author_email`` only travels from a connector to the store, which turns it into
    ``author_key`` (a keyed hash) and never stores the address itself. ``id``,
    ``triage`` and ``fetched_at`` are filled by the store.
    """

    source: str
    external_id: str
    thread_external_id: str | None
    author_name: str
    body_text: str
    created_at: datetime
    remote_status: RemoteStatus = RemoteStatus.APPROVED
    parent_external_id: str | None = None
    body_raw: str = ""
    body_format: str = "text"  # text | html | markdown | json (several locales)
    updated_at: datetime | None = None
    url: str | None = None
    author_email: str | None = None
    author_key: str | None = None
    author_url: str | None = None
    role_hint: str | None = None  # a connector's guess of the role (e.g. site staff)
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # Filled by the store:
    id: int | None = None
    triage: TriageState = TriageState.NEW
    fetched_at: datetime | None = None

    @property
    def reports(self) -> int:
        """How many times the platform's users reported (flagged) it: a connector's
        ``meta["reports"]`` (a whole number; anything else is 0, as the store's derived
        ``reports`` column reads it)."""
        n = self.meta.get("reports") if isinstance(self.meta, Mapping) else None
        return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 0


@dataclass(frozen=True)
class Page:
    """One page of a connector's fetch: what it found and where to go on from."""

    responses: Sequence[Response] = ()
    threads: Sequence[Thread] = ()
    next_cursor: str | None = None
    # External ids seen to be gone (deleted or hidden) on the platform, with the status.
    gone: Mapping[str, RemoteStatus] = field(default_factory=dict, hash=False, compare=False)
    # External ids the platform replaced (old -> new), e.g. a queued post published as a
    # post: the store moves the row, with its tags and journal, to the new id.
    renamed: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    done: bool = True  # False while more pages follow in this round


#: A connector's ``Response.meta`` key, ``True`` on a response that starts its thread
#: under a title its own author wrote (a Discourse topic's first post, a new topic in the
#: review queue): the moderation rules read that title as well as the body (the thread's
#: title, stored with the thread). Absent on a comment under a title someone else wrote
#: (a WordPress post's, a Decidim proposal's or a Go Vocal idea's: their comments are the
#: responses, the proposal or idea itself is not read).
TITLE_BY_AUTHOR = "title_by_author"


def title_by_author(meta: Mapping[str, Any] | None) -> bool:
    """Whether a response's ``meta`` says its author wrote its thread's title."""
    return isinstance(meta, Mapping) and meta.get(TITLE_BY_AUTHOR) is True


#: Source types whose platform tells us how often its users reported (flagged) a response
#: (``Response.reports``): Discourse's review queue and its posts' flag counts. Decidim's
#: API, Go Vocal's and WordPress's give no reports (README, "Reported items").
REPORTING_SOURCE_TYPES = frozenset({"discourse"})


#: Participatory space types as the config names them (``spaces = [...]``) -> the Query
#: field that lists them. Only processes are in every Decidim; assemblies, conferences
#: and initiatives are modules an installation may leave out, and then asking for one
#: fails the whole query ("Field 'assemblies' doesn't exist on type 'Query'").
DECIDIM_SPACE_TYPES: Mapping[str, str] = {
    "processes": "participatoryProcesses",
    "assemblies": "assemblies",
    "conferences": "conferences",
    "initiatives": "initiatives",
}


def in_double_sample(source: str, external_id: str, share: float) -> bool:
    """Whether a response belongs to the double-coding sample of ``share`` (0..1).

    Decided by a hash of its source and external id alone, so every moderator, every
    machine and both backends agree on the sample without storing it, and a larger share
    keeps every response a smaller share picked (issue 14, ``[coding] double_share``).
    """
    if share <= 0:
        return False
    digest = hashlib.sha256(f"{source}\x1f{external_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < share * 2**64
