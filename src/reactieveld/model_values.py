"""The domain model's value types that nothing before the app's first frame makes: a
source, a thread, a tag, a note, a journal entry, a decision's reason, a write-back and
its outbox item. :mod:`reactieveld.model` names them all (lazily); import them from there.

They are apart from the model because a frozen dataclass costs ~0.5 ms to create at
import, and the start of the app (the queue's first rows) needs none of these: the
responses (:class:`reactieveld.model.Response`) and the kinds are all it reads.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reactieveld.model_kinds import ActionKind, Capability, OutboxState, RemoteStatus, TagKind


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


#: The write-backs a text edited on the site since the moderator saw it stops (the one
#: rule of every connector, :func:`edit_stops`): an approval would publish words no
#: moderator read. A hold, spam or trash takes the comment out of sight, edited or not,
#: and is still right; a reply is the moderator's own words and leaves the comment as
#: it was.
EDIT_STOPS = frozenset({"approve"})


#: The write-back failures that no resend of the same write-back mends by itself: the
#: key of the connector's answer (i18n, the stored English form) -> the kind kept on the
#: outbox row (``OutboxItem.failure_kind``); the one table of every connector, read by
#: ``failures.failure_kind``. A kind says what the moderator can do instead (i18n
#: ``view.outbox.kind.<kind>``). Every other failure (a server error, a timeout, a 403 a
#: right given mends, a conflict the moderator has now seen) is sent again by its key.
FAILURE_KINDS: Mapping[str, str] = {
    # WordPress: deleted for good (a status, or a reply to it): nothing to act on.
    "conn.wp.gone": "gone",
    # WordPress refused the status (a plugin, a status it does not allow from here).
    "conn.wp.refused": "refused",
    # A reply to a comment in the trash: restored on the site, it can be answered.
    "conn.wp.reply_trashed": "trashed",
    # Comments closed on the post: reopened on the site, the reply can be sent.
    "conn.wp.closed": "closed",
    # Discourse: the review item is no longer in its queue (handled on the forum).
    "conn.dc.review_gone": "review_gone",
    # Discourse: a reply to a post still in the review queue (approve it first).
    "conn.dc.reply_queued": "queued",
    # Decidim: the reply was not accepted (comments closed, or the user may not comment).
    "conn.dd.reply_refused": "not_accepted",
}

#: The kinds whose write-back can never succeed however often it is sent: the resend key
#: does not send it again (it says why, in one line); for the other kinds the moderator
#: first puts something right on the site, then sends it again as before.
FINAL_KINDS = frozenset({"gone", "refused", "review_gone"})


def text_checked(action: Action) -> bool:
    """Whether a connector compares the text on the site with the one the moderator saw
    before it performs ``action`` (:data:`EDIT_STOPS`): a write-back queued before the
    digest was kept has none and acts as before."""
    return action.capability.value in EDIT_STOPS and action.expected_text_digest is not None


def edit_stops(action: Action, now_digest: str) -> bool:
    """Whether ``action`` must stop as a conflict because the text on the site (its
    :func:`text_digest`: ``now_digest``) is not the text the moderator saw."""
    return text_checked(action) and now_digest != action.expected_text_digest


#: A link's or an image's address in a body's markup (``href``/``src``, quoted or not).
_TARGET = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def text_digest(text: str, raw: str | None = None) -> str:
    """A digest of a response's words as a reader meets them: its plain text
    (``Response.body_text``, as the connector made it of the platform's body) and the
    addresses its links and images lead to in its markup (``raw``: ``Response.body_raw``).
    What a write-back carries of what the moderator saw, and what the connector
    recomputes from the platform's answer before it acts (:func:`edit_stops`).

    Normalised so that only a change a reader sees or follows counts: text the store
    repairs (a lone surrogate, a NUL) as it stores it, Unicode in its composed form, and
    every run of whitespace (line breaks, non-breaking spaces, indentation) as one space,
    none at the ends. A whitespace-only edit, or markup that changes no word and no
    address (``<b>``, a paragraph split), is no edit; a changed word, emoji or link
    target is."""
    targets = [next(g for g in m.groups() if g is not None) for m in _TARGET.finditer(raw or "")]
    parts = [" ".join(_fixed(part).split()) for part in (text, *targets)]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def _fixed(text: str) -> str:
    """``text`` as the store keeps it (each lone surrogate and NUL as U+FFFD), composed."""
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return unicodedata.normalize("NFC", text.replace("\x00", "\ufffd"))


@dataclass(frozen=True)
class Action:
    """A write-back for a platform: what to do to which remote response."""

    capability: Capability
    source: str
    external_id: str  # the response acted on (for a reply: the parent)
    thread_external_id: str | None = None
    text: str | None = None  # reply text
    expected_status: RemoteStatus | None = None  # what the moderator saw
    #: The :func:`text_digest` of the text the moderator saw (None: not known, e.g. a
    #: write-back queued before it was kept; see :func:`edit_stops`).
    expected_text_digest: str | None = None
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
    #: A reply that may have arrived (its POST under way when a process stopped, or
    #: answered in a way the platform may have acted on): the number of its source's
    #: newest round begun when it was marked; it is not sent again until a round with a
    #: higher number ended well (store/writeback.py ``synced_since``). None: not waiting.
    awaits_round: int | None = None
    #: Why no resend of this write-back alone can succeed (:data:`FAILURE_KINDS`: the
    #: comment is gone, comments are closed...), as recorded when it failed; None: a
    #: resend may (a server error, a conflict the moderator has seen), and every row
    #: recorded before the kind was kept (migration ``failure_kind``).
    failure_kind: str | None = None
