"""The queues (tabs) and the filter choice, as store filters. Kept free of widgets so
the first frame does not wait for the filter dialog's imports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus, TriageState
from reactieveld.store.base import QueueFilter

#: The queue tabs in order: new (untriaged), hold, approved, spam, trash, all.
QUEUES: tuple[str, ...] = ("new", "hold", "approved", "spam", "trash", "all")
#: The queue of responses the platform's users reported, not handled yet (issue 16): a
#: tab after these where a platform reports flags (``AppServices.shows_reported``).
REPORTED = "reported"
#: The queue of responses a moderation rule flagged that no moderator decided yet (issue
#: 16): a tab after the six where rules are configured (``AppServices.shows_flagged``).
FLAGGED = "flagged"
#: The Second coding queue (issue 14): the double-coding sample's responses another
#: moderator coded first, for this one to code blind; a tab where ``[coding]
#: double_share`` is set (``AppServices.double_share``).
SECOND = "second"
#: The Disagreements queue (issue 14, item 3): double-coded responses whose coders differ
#: and that no moderator resolved yet; a tab after Second coding where double coding is on.
DISAGREE = "disagree"


@dataclass(frozen=True)
class FilterChoice:
    """What the moderator chose; ``None`` means any."""

    source: str | None = None
    status: RemoteStatus | None = None
    question: str | None = None
    role: str | None = None
    untagged: bool = False

    @property
    def active(self) -> bool:
        return any((self.source, self.status, self.question, self.role, self.untagged))

    def describe(self, i18n: I18n) -> str:
        """A short text for the header line."""
        parts = []
        if self.source:
            parts.append(self.source)
        if self.status:
            parts.append(i18n.status(self.status))
        if self.question:
            parts.append(f"{i18n.t('filter.question').lower()} {self.question}")
        if self.role:
            parts.append(self.role)
        if self.untagged:
            parts.append(i18n.t("filter.untagged").lower())
        return ", ".join(parts)


def queue_filter(queue: str, choice: FilterChoice, actor: str = "") -> QueueFilter:
    """The store filter of a queue tab combined with the filter dialog's choice;
    ``actor``: whose Second coding queue :data:`SECOND` is."""
    triage = TriageState.NEW if queue in ("new", REPORTED) else None
    statuses: tuple[RemoteStatus, ...] = ()
    if queue in ("hold", "approved", "spam", "trash"):
        statuses = (RemoteStatus(queue),)
    elif choice.status is not None:
        statuses = (choice.status,)
    return QueueFilter(
        triage=triage,
        statuses=statuses,
        sources=(choice.source,) if choice.source else (),
        questions=(choice.question,) if choice.question else (),
        roles=(choice.role,) if choice.role else (),
        untagged=choice.untagged,
        reported=queue == REPORTED,
        flagged=queue == FLAGGED,
        second_coding=actor if queue == SECOND else None,
        disagreements=queue == DISAGREE,
    )


def tab_counts(choice: FilterChoice, by_state: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """Every tab's count under ``choice``, from the counts per (triage, remote status)
    of the choice's filter without its status (``store.count_by_state``): what
    ``store.count(queue_filter(tab, choice))`` gives, tab by tab, from one query."""
    wanted = choice.status.value if choice.status is not None else None

    def total(triage: str | None = None, status: str | None = None) -> int:
        return sum(
            n
            for (tr, st), n in by_state.items()
            if (triage is None or tr == triage) and (status is None or st == status)
        )

    counts = {name: total(status=name) for name in ("hold", "approved", "spam", "trash")}
    counts["new"] = total(TriageState.NEW.value, wanted)
    counts["all"] = total(status=wanted)
    return {name: counts[name] for name in QUEUES}


def states_filter(choice: FilterChoice) -> QueueFilter:
    """The filter :func:`tab_counts` wants counted per state: the choice, any status."""
    return queue_filter("all", replace(choice, status=None))
