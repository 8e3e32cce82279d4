"""The domain's kinds: the enumerations of the model (:mod:`reactieveld.model` names them
all; import them from there). Apart so that :mod:`reactieveld.model_values` can use them
without importing the model, which names its classes lazily."""

from __future__ import annotations

from enum import StrEnum


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
