"""The domain model: plain frozen dataclasses and enums. No I/O, no Textual.

Connectors translate a platform's JSON into these; the store keeps them; the TUI and the
exports read them back. Times are always timezone-aware UTC ``datetime`` objects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class RemoteStatus(StrEnum):
    """The status a response has on its platform."""

    APPROVED = "approved"
    HOLD = "hold"
    SPAM = "spam"
    TRASH = "trash"
    HIDDEN = "hidden"
    DELETED = "deleted"


class TriageState(StrEnum):
    """Whether the moderator has dealt with a response in reactieveld."""

    NEW = "new"
    HANDLED = "handled"


class TagKind(StrEnum):
    """A tag codes a response by planning question or by the speaker's role."""

    QUESTION = "question"
    ROLE = "role"


class Capability(StrEnum):
    """What a platform lets us do to a response (write-back)."""

    APPROVE = "approve"
    HOLD = "hold"
    SPAM = "spam"
    TRASH = "trash"
    REPLY = "reply"
    HIDE = "hide"


class ActionKind(StrEnum):
    """What the moderator did; every kind is one journal entry."""

    MODERATE = "moderate"  # change remote status (approve/hold/spam/trash/hide)
    HANDLE = "handle"  # mark handled without a status change
    TAG = "tag"  # add a question tag
    UNTAG = "untag"  # remove a question tag
    ROLE = "role"  # set (or clear) the role tag
    NOTE = "note"  # add an internal note
    REPLY = "reply"  # answer on the platform
    UNDO = "undo"  # undo of an earlier journal entry
    #: a later coder's own coding of a double-coded response (issue 14): a question
    #: added or removed, or the role set, in the codings table, not in the tags
    CODE = "code"
    #: a difference between coders of a double-coded response settled (issue 14): the
    #: final tags in ``after``; undo reopens it
    RESOLVE = "resolve"


class OutboxState(StrEnum):
    """Where a write-back stands."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # gave up (e.g. 401/403, or the platform refused); needs a person
    CONFLICT = "conflict"  # the remote item changed meanwhile; not forced
    CANCELLED = "cancelled"  # undone before it was sent


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
class Source:
    """A configured channel (a blog, a portal, the demo)."""

    name: str
    type: str
    url: str | None = None


@dataclass(frozen=True)
class Thread:
    """What responses hang off: a blog post, a topic, a proposal, an idea."""

    source: str
    external_id: str
    title: str
    url: str | None = None
    created_at: datetime | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


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


@dataclass(frozen=True)
class Tag:
    """A code on a response; ``codebook_version`` is the codebook it was made with."""

    kind: TagKind
    code: str
    codebook_version: str = ""
    created_at: datetime | None = None
    actor: str = ""


@dataclass(frozen=True)
class Note:
    """An internal note by a moderator (never sent to the platform)."""

    id: int
    response_id: int
    text: str
    actor: str
    created_at: datetime


@dataclass(frozen=True)
class JournalEntry:
    """One line of the append-only actions journal."""

    id: int
    at: datetime
    actor: str
    kind: ActionKind
    response_id: int | None
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    undoes: int | None = None
    undone_by: int | None = None
    batch: str | None = None
    #: A decision's reason: its code (``[reasons]``) and, for "other", the moderator's
    #: own words.
    reason: str | None = None
    reason_text: str | None = None


@dataclass(frozen=True)
class DecisionReason:
    """Why a moderator decided (issue 16): a reason's ``code`` from the configured list,
    the moderator's own words for "other" (``text``), and how the platform is told
    (``label``: the reason in the moderator's language, for a platform's log field)."""

    code: str
    text: str | None = None
    label: str = ""

    def for_platform(self) -> str:
        """The reason as a platform's field gets it: the label (the code when there is
        none), with the moderator's own words after a colon."""
        head = self.label or self.code
        return f"{head}: {self.text}" if self.text else head


@dataclass(frozen=True)
class Action:
    """A write-back for a platform: what to do to which remote response."""

    capability: Capability
    source: str
    external_id: str  # the response acted on (for a reply: the parent)
    thread_external_id: str | None = None
    text: str | None = None  # reply text
    expected_status: RemoteStatus | None = None  # what the moderator saw
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class OutboxItem:
    """A queued write-back and where it stands."""

    id: int
    action: Action
    response_id: int | None
    journal_id: int | None
    state: OutboxState
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None = None
    last_error: str | None = None


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
