"""Moderation rules applied as a page is stored (issue 16): what both backends do with
a rule's match, so that only their SQL differs.

The store runs the config's rules (:class:`reactieveld.rules.RuleSet`, pure) on the text
of every response a page adds or changes (and on its thread's title where its author
wrote that: :func:`screened`), in the page's own transaction. A match is a
row of ``rule_flags`` (one per response, rule and text: the same words fetched again
flag nothing anew). A ``hold`` rule's new flag also holds the response: a decision like
a moderator's (journal, state, outbox; store/actions.py ``plan_rule_hold``) whose actor
is ``rule:<name>``, which leaves the response waiting for a person in the Flagged queue.
A moderator's decision on a flagged response settles its open (and lapsed) flags: released
(approved) is a misfire of the rule, anything else upholds it.
A response read again (edited, or its title renamed) that a rule no longer matches at all
leaves that rule's open flags ``lapsed`` (:func:`lapsed`): shown as such, out of the
Flagged queue, a hold the rule made left as it is (a person undoes it); the text edited
back to the words it had opens the same flag again (:data:`REOPEN_LAPSED`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reactieveld.model import RemoteStatus, title_by_author
from reactieveld.rules import RuleSet
from reactieveld.store.rows import from_epoch, to_epoch

if TYPE_CHECKING:
    from reactieveld.store.values import Match, RuleFlag, RuleTally

#: The journal's actor of a rule's decision is this prefix and the rule's name.
RULE_ACTOR = "rule:"

#: Before a title, as a flag on it remembers its text: the same words in the body are
#: another text (each its own flag), an edited title another again.
TITLE_MARK = "title\x1f"

#: The columns of ``rule_flags`` a new flag fills, in this order (both backends).
FLAG_COLUMNS = "response_id, rule, action, text_hash, flagged_at"

#: The columns of a stored flag a :class:`~reactieveld.store.base.RuleFlag` is read from.
FLAG_READ = "response_id, rule, action, flagged_at, state, resolved_by"


#: A flag no moderator has decided on yet: open, or lapsed (its words edited away; out of
#: the queue, still in view). A moderator's decision on its response settles either.
UNDECIDED = "state IN ('open', 'lapsed')"

#: A decision's target column (on ``r``, the response): whether a rule's flag on it is
#: undecided (:data:`UNDECIDED`). A decision on such a response is journalled even where
#: it changes nothing (at the status already, handled already): it settles the flag, and
#: undo must find it.
HAS_OPEN_FLAG = f"EXISTS (SELECT 1 FROM rule_flags f WHERE f.response_id = r.id AND f.{UNDECIDED})"


#: Undoing a decision puts the flags it settled back as they were (parameter: its journal
#: id): open, or lapsed (``lapsed_at`` kept) where the words had been edited away.
REOPEN_FLAGS = (
    "UPDATE rule_flags SET state = CASE WHEN lapsed_at IS NULL THEN 'open' ELSE 'lapsed' END, "
    "resolved_at = lapsed_at, resolved_by = NULL, resolved_journal = NULL "
    "WHERE resolved_journal = ?"
)


#: The open flags of the responses read again, to see which have lapsed (``{ids}``: the
#: backend's "IN (...)" of the ids): (response id, rule).
OPEN_RULES_OF = (
    "SELECT response_id, rule FROM rule_flags WHERE state = 'open' AND response_id {ids}"
)

#: A flag whose rule no longer matches its response's text (parameters: now, now,
#: response id, rule): out of the queue, kept in view as "text changed".
LAPSE_FLAGS = (
    "UPDATE rule_flags SET state = 'lapsed', resolved_at = ?, lapsed_at = ? "
    "WHERE response_id = ? AND rule = ? AND state = 'open'"
)

#: A lapsed flag whose words are back (parameters: response id, rule, text hash): open
#: again, as a new flag would be.
REOPEN_LAPSED = (
    "UPDATE rule_flags SET state = 'open', resolved_at = NULL, resolved_by = NULL, "
    "lapsed_at = NULL WHERE response_id = ? AND rule = ? AND text_hash = ? AND state = 'lapsed'"
)


#: A response's flags, oldest first (parameter: the response id).
FLAGS_OF = f"SELECT {FLAG_READ} FROM rule_flags WHERE response_id = ? ORDER BY id"

#: The open flags of the responses shown (a queue's window), oldest first: (response id,
#: rule). ``{ids}``: the backend's "IN (...)" of the ids.
OPEN_FLAGS_OF = (
    "SELECT response_id, rule FROM rule_flags WHERE state = 'open' AND response_id {ids} "
    "ORDER BY id"
)

#: Per rule, its flags made in [since, until) (parameters: since, until; epoch seconds):
#: rule, caught, misfired, upheld, open, lapsed. "Caught": one per response, rule and
#: text; "open": in the Flagged queue; "lapsed": undecided, out of it (its words edited away).
TALLY_SQL = (
    "SELECT rule, count(*), "
    "sum(CASE WHEN state = 'misfire' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN state = 'upheld' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN state = 'open' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN state = 'lapsed' THEN 1 ELSE 0 END) "
    "FROM rule_flags WHERE flagged_at >= ? AND flagged_at < ? GROUP BY rule ORDER BY rule"
)

#: What the rules read of stored responses: id, body, meta and the thread's title
#: (:func:`screened` keeps the title only where the response's author wrote it).
_SCREENED = (
    "SELECT r.id, r.body_text, r.meta, t.title FROM responses r LEFT JOIN threads t "
    "ON t.source_id = r.source_id AND t.external_id = r.thread_external_id "
)

#: Stored texts by id, a page at a time (parameters: after id, limit): :func:`screened`.
TEXTS_SQL = _SCREENED + "WHERE r.id > ? ORDER BY r.id LIMIT ?"

#: The texts of the responses a page stored (``{ids}``: the backend's "IN (...)").
SCREEN_SQL = _SCREENED + "WHERE r.id {ids}"

#: The texts of a source's responses in threads a page retitled (parameters: source id,
#: then ``{exts}``'s: the thread ids).
TITLED_IN_SQL = _SCREENED + "WHERE r.source_id = ? AND r.thread_external_id {exts}"

#: The widest period a tally can ask for (epoch seconds).
ALL_TIME = (-(2**62), 2**62)


def flag_of(row: Sequence[Any]) -> RuleFlag:
    """A :data:`FLAG_READ` row as a :class:`RuleFlag`."""
    from reactieveld.store.values import RuleFlag

    rid, rule, action, at, state, by = row
    return RuleFlag(int(rid), rule, action, from_epoch(at), state, by)


def tallies_of(rows: Iterable[Sequence[Any]]) -> list[RuleTally]:
    """:data:`TALLY_SQL` rows as :class:`RuleTally` values."""
    from reactieveld.store.values import RuleTally

    return [RuleTally(r[0], *(int(n or 0) for n in r[1:])) for r in rows]


def period(since: datetime | None, until: datetime | None) -> tuple[int, int]:
    """[since, until) as the epoch seconds :data:`TALLY_SQL` takes (None: open)."""
    lo = ALL_TIME[0] if since is None else to_epoch(since)
    hi = ALL_TIME[1] if until is None else to_epoch(until)
    return int(lo or 0), int(hi or 0)


def rule_actor(rule: str) -> str:
    """The journal's actor for rule ``rule``'s decisions."""
    return f"{RULE_ACTOR}{rule}"


def screened(row: Sequence[Any]) -> tuple[int, str, str | None]:
    """A :data:`TEXTS_SQL` row as what the rules read: (id, body, title), the title
    None unless the response's author wrote it (``meta``: ``title_by_author``)."""
    rid, body, meta, title = row
    mine = bool(meta) and title_by_author(json.loads(meta) if isinstance(meta, str) else meta)
    return int(rid), body or "", (title or None) if mine else None


def text_hash(text: str | None) -> int:
    """A response's text as the flag remembers it (64 bits): the same words fetched again
    are the same text, an edit is another."""
    digest = hashlib.blake2b((text or "").encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def screen(
    rows: Iterable[tuple[int, str | None, str | None]], rules: RuleSet
) -> tuple[list[Match], list[tuple[str, int]]]:
    """The rules on (response id, text, title its author wrote or None) rows: the
    matches (one per response, rule and text: the body's, and the title's, whose flag
    remembers the title as its text, each its own), and (rule, response id) for each
    search stopped for its time (counted as no match). A rule that matched both keeps
    a flag on each, so that the body edited to other words while the title stands (or
    the title renamed while the body stands) flags nothing anew for the text it had
    already matched."""
    from reactieveld.store.values import Match  # as a page is stored (values.py says why)

    matches: list[Match] = []
    slow: list[tuple[str, int]] = []
    for rid, text, title in rows:
        scan = rules.scan(text, title=title)
        slow.extend((name, rid) for name in scan.slow)
        for hit in scan.hits:
            h = text_hash(TITLE_MARK + (title or "")) if hit.in_title else text_hash(text)
            matches.append(Match(rid, hit.rule, hit.action, h))
    return matches, slow


def lapsed(
    open_flags: Iterable[Sequence[Any]],
    read: Iterable[int],
    matches: Iterable[Match],
    slow: Iterable[tuple[str, int]],
    rules: RuleSet,
) -> list[tuple[int, str]]:
    """Of the open flags (response id, rule) of responses ``read`` again, those whose rule
    (still configured) no longer matches the response's text nor its title at all: the
    words a moderator would look for are gone. A rule stopped for its time decides
    nothing."""
    names = {r.name for r in rules.rules}
    keep = {(m.response_id, m.rule) for m in matches} | {(rid, n) for n, rid in slow}
    ids = set(read)
    return sorted(
        {
            (int(rid), rule)
            for rid, rule in open_flags
            if int(rid) in ids and rule in names and (int(rid), rule) not in keep
        }
    )


def holds_by_rule(new: Iterable[tuple[int, str, str]]) -> dict[str, list[int]]:
    """Of new flags (response id, rule, action), the responses each hold rule holds (a
    response two hold rules match is held once, by the first)."""
    out: dict[str, list[int]] = {}
    taken: set[int] = set()
    for rid, rule, action in new:
        if action == "hold" and rid not in taken:
            out.setdefault(rule, []).append(rid)
            taken.add(rid)
    return out


def settled(status: str) -> str:
    """What a moderator's decision leaving a response at ``status`` makes of its open
    flags: released (approved, visible again) is the rule's misfire; else it is upheld."""
    return "misfire" if status == RemoteStatus.APPROVED.value else "upheld"
