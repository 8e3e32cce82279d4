"""The value types of the store's read side (dashboard figures, report records, the
memory sinks' journal and deliveries, earlier moderator work) and of its writes (what a
page of a sync, a moderator's decision, a rule's flag or match did; a source's sync
state) and the tab counts (read after the first frame with rows).

They are apart from :mod:`reactieveld.store.base` because nothing before the app's first
frame uses them, and a frozen dataclass costs ~0.5 ms to create at import: the read side
imports this module, the queue does not. ``reactieveld.store.base`` still names them all
(lazily), as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reactieveld.model import RemoteStatus
    from reactieveld.model_values import DecisionReason


@dataclass(frozen=True)
class Written:
    """What one committed transaction of a store added (store/live.py's ``Ledger``):
    journal ids and response ids, each the range ``(low, high]``, and the sources whose
    bookkeeping row it moved, as (name, row before, row after). Only a store that another
    store of its process hears not makes these."""

    journal: tuple[int, int]
    responses: tuple[int, int]
    sources: tuple[tuple[str, tuple[object, ...] | None, tuple[object, ...]], ...]


@dataclass(frozen=True)
class PastWork:
    """Moderator work on one response that happened earlier, with its own time (for
    :meth:`SqliteStore.record_history`): question tags and a role at ``at``, then the
    decision (``status``; None: handled without a status change), then a note.
    ``claimed_by``: who had the response open (claimed it) at ``at``, in the claim log
    (None: no claim kept; it may be another moderator than ``actor``)."""

    external_id: str
    at: datetime
    actor: str
    status: RemoteStatus | None = None
    questions: tuple[str, ...] = ()
    role: str | None = None
    note: str | None = None
    claimed_by: str | None = None


@dataclass(frozen=True)
class FigureQuery:
    """Which responses the dialogue figures count: those that arrived in
    ``[start, end)`` (aware UTC), from ``sources`` (empty: all), excluding the remote
    statuses ``not_counted``; ``organisation_roles``: the roles that answer citizens."""

    start: datetime
    end: datetime
    sources: tuple[str, ...] = ()
    not_counted: tuple[str, ...] = ()
    organisation_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureCounts:
    """The raw dialogue figures of a :class:`FigureQuery` (see :mod:`reactieveld.read.figures`
    for their definitions; it orders and labels them)."""

    #: every source name (the whole store, sorted), to show silent ones as zero rows
    source_names: tuple[str, ...] = ()
    #: (source name, UTC day ISO "YYYY-MM-DD") -> counted responses
    per_day: Mapping[tuple[str, str], int] = field(default_factory=dict)
    coverage: Mapping[tuple[str, str | None], int] = field(default_factory=dict)
    by_role: Mapping[str | None, int] = field(default_factory=dict)
    total: int = 0
    untagged: int = 0
    untagged_new: int = 0
    moderated: int = 0
    median_to_moderation: float | None = None
    citizen: int = 0
    answered: int = 0
    median_to_answer: float | None = None
    #: moderator (the journal's actor) -> (decisions, codings) made in the period
    by_moderator: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: responses decided in the period that someone had claimed before the decision
    claimed_decided: int = 0
    #: of those, the ones decided by another moderator than the one who last claimed it
    decided_by_other: int = 0
    #: responses whose newest write-back, queued in the period, the site can never take
    #: (failed or in conflict of a final kind): decisions kept in the memory only
    memory_only: int = 0


@dataclass(frozen=True)
class RecordTag:
    """One tag of a response as a report shows it."""

    kind: str
    code: str
    codebook_version: str
    at: datetime
    actor: str


@dataclass(frozen=True)
class RecordNote:
    """One (not deleted) note of a response."""

    text: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class RecordContext:
    """What a queue row lacks for a report: every tag, the notes, where it was posted."""

    tags: tuple[RecordTag, ...] = ()
    notes: tuple[RecordNote, ...] = ()
    thread_url: str | None = None
    source_type: str | None = None
    source_url: str | None = None
    #: The authors a response may name (its own, the one it replies to, every other
    #: author of its thread): the names a redacted report replaces in its text.
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class JournalRef:
    """A journal entry as a sink sees it; with ``change``, a row of ``sink_changes`` (a
    sync's or a decision's change of a tagged response's text or status: kind "sync")."""

    id: int
    kind: str
    response_id: int | None
    change: bool = False


@dataclass(frozen=True)
class SinkPosition:
    """Where a sink stands: the last journal entry and the last ``sink_changes`` row it
    has looked at."""

    journal: int = 0
    changes: int = 0


@dataclass(frozen=True)
class SinkDelivery:
    """One delivery to enqueue: ``payload`` (JSON text) for ``response_id``, and the
    digest the sink then holds for it (empty: retracted)."""

    response_id: int
    journal_id: int | None  # None: a change a sync made (no journal entry)
    event: str
    payload: str
    digest: str


@dataclass(frozen=True)
class SinkDue:
    """A pending delivery, oldest first."""

    id: int
    payload: str
    attempts: int
    next_attempt_at: datetime


@dataclass(frozen=True)
class SinkQueued:
    """A row of a sink's delivery queue (any state)."""

    id: int
    event: str
    state: str
    attempts: int
    last_error: str | None
    response_id: int | None


@dataclass(frozen=True)
class DecisionRecord:
    """One moderator decision of the journal, for the statement-of-reasons log (issue 16):
    what was decided, why, when, by whom (a moderator, or ``rule:<name>``), where. Nothing
    of the author: neither name nor key."""

    journal_id: int
    at: datetime
    actor: str
    before: str | None  # the remote status before
    after: str | None  # the status decided
    reason: str | None
    reason_text: str | None
    undone_at: datetime | None
    source: str
    platform: str
    external_id: str
    url: str | None
    #: Never written: only for redacting the name out of the reason's words and link.
    author_name: str | None = None
    #: Its write-back's outbox state (``done``, ``pending``, ``failed``, ``conflict``,
    #: ``cancelled``); None when it queued none (nothing to change on the platform).
    write_back: str | None = None


@dataclass(frozen=True)
class Coding:
    """One coder's coding of one response: its planning questions and its role (or none).

    ``ordinal`` 1 is the first coder (whose coding is the response's tags until resolved);
    ``coded_at`` (Unix seconds) when they first coded it; ``codebook_version`` the codebook
    of their latest change."""

    response_id: int
    coder: str
    questions: frozenset[str]
    role: str | None
    ordinal: int = 1
    codebook_version: str = ""
    coded_at: int = 0


@dataclass(frozen=True)
class UpsertResult:
    """What storing one page changed."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: tuple[int, ...] = ()
    #: The stored responses whose content the page changed (not those only gone).
    changed_ids: tuple[int, ...] = ()
    #: The threads (ids on the platform; None: a response without one) of the rows the
    #: page added, changed (the thread it had and the one it has), re-keyed or found gone:
    #: an open thread not among them has nothing new to read.
    threads: tuple[str | None, ...] = ()
    #: The stored responses whose thread's title the page changed, their own content
    #: not: the rules read again a title their author wrote (store/screening.py).
    retitled_ids: tuple[int, ...] = ()
    #: Moderation rules (issue 16): the responses of the page a rule flagged now, those
    #: a rule held, and (rule name, response id) for each search stopped for its time.
    flagged: tuple[int, ...] = ()
    held: tuple[int, ...] = ()
    slow_rules: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class RuleFlag:
    """A moderation rule's flag on a response (issue 16): which rule, what it does, when,
    and whether a moderator decided since (``open``, ``misfire``: released, ``upheld``)."""

    response_id: int
    rule: str
    action: str
    flagged_at: datetime
    state: str = "open"
    resolved_by: str | None = None


@dataclass(frozen=True)
class RuleTally:
    """One rule's record over a period: responses it flagged, and of those decided since,
    how many a moderator released (misfired) or kept from view (upheld); of those not
    decided, how many are still in the Flagged queue (open) and how many an edit took
    out of it (lapsed: the rule no longer matches). caught = misfired + upheld + open +
    lapsed."""

    rule: str
    caught: int = 0
    misfired: int = 0
    upheld: int = 0
    open: int = 0
    lapsed: int = 0


@dataclass(frozen=True)
class SourceState:
    """A source's sync bookkeeping, kept in the store."""

    name: str
    type: str
    cursor: str | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_try: datetime | None = None
    #: Texts stored repaired since the source was added: code points UTF-8 cannot hold
    #: (a lone surrogate from a platform's JSON) replaced by U+FFFD.
    repaired: int = 0
    #: Who synced it last: the name the syncing process gave (``anna sync``, ``bert
    #: app``), None when it gave none.
    synced_by: str | None = None
    #: The number of the round whose end the state is (``store.begin_round`` gives each
    #: round the source's next): a higher one is a newer round, whichever process ran
    #: it. None before the source's first round ended.
    recorded_round: int | None = None
    #: The number of the newest round that ended well (None: none numbered yet): a reply
    #: that may have arrived waits for one begun after it (``OutboxItem.awaits_round``).
    success_round: int | None = None


@dataclass(frozen=True)
class ActionOutcome:
    """What one moderator action did: the journal entries written and outbox rows queued."""

    journal_ids: tuple[int, ...] = ()
    outbox_ids: tuple[int, ...] = ()
    changed: int = 0
    #: The ids whose version differed from the ``seen`` one: then the whole action was
    #: refused (nothing changed, nothing journalled or queued).
    conflicts: tuple[int, ...] = ()
    #: The responses a decision did not send again (:class:`ResendPlan`'s ``refused``):
    #: response id -> the stored error of its write-back that can never succeed.
    refused: Mapping[int, str] = field(default_factory=dict)


class ResendPlan(dict[int, "DecisionReason | None"]):
    """What a decision's key (or ``r``) pressed again on responses does with their newest
    write-back of it that failed or conflicted (store/actions.py ``plan_resend``, the one
    rule for a single response and marked ones alike): as a mapping, those it sends again,
    each with the reason recorded with the decision it retries (None: it had none);
    ``refused``, those it does not because no resend can ever succeed
    (``model_values.FINAL_KINDS``: the comment is gone from the site), each with its
    stored error (what the TUI says: "Not sent again: <error>")."""

    def __init__(
        self,
        resent: Mapping[int, DecisionReason | None] | None = None,
        refused: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(resent or {})
        self.refused: dict[int, str] = dict(refused or {})


@dataclass(frozen=True)
class Counts:
    """Counts for the queue tabs and the dashboard."""

    total: int = 0
    by_triage: Mapping[str, int] = field(default_factory=dict)
    by_status: Mapping[str, int] = field(default_factory=dict)
    by_source: Mapping[str, int] = field(default_factory=dict)
    by_question: Mapping[str, int] = field(default_factory=dict)
    by_role: Mapping[str, int] = field(default_factory=dict)
    untagged: int = 0
    outbox_pending: int = 0
    #: Write-backs a moderator can still get written back (the header's "not written
    #: back"): a response's newest one failed or in conflict, of no kind or a kind a
    #: resend, or a fix on the site and a resend, mends (not ``FINAL_KINDS``).
    outbox_conflicts: int = 0
    #: Responses not handled yet that the platform's users reported (the Reported queue).
    reported: int = 0
    #: Responses with a moderation rule's open flag (the Flagged queue, issue 16).
    flagged: int = 0


@dataclass(frozen=True)
class Match:
    """One rule's match on one stored response: the ``rule_flags`` row to add."""

    response_id: int
    rule: str
    action: str
    text_hash: int


@dataclass(frozen=True)
class ChangedSince:
    """Who changed a response after a moderator saw it (``Store.changed_since``)."""

    response_id: int
    #: The moderators whose journal entries came after, newest first, each once.
    by: tuple[str, ...] = ()
    #: The source whose platform changed the text or status since (a sync saw it).
    site: str | None = None
    #: The platform's change came after every moderator's change of ``by``.
    site_last: bool = False
    #: Neither: a write-back the platform answered with another status changed it; who
    #: made the decision written back (None: not known, e.g. stored before versions).
    written_back: str | None = None
