"""The response under the cursor, in full: text, author, thread, parent, replies, tags,
notes, journal.

It draws at once from the queue row it is given and then fills in what needs the store
(author history, parent, replies, notes, journal) in an exclusive worker, so moving the
cursor never waits for those queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.cells import set_cell_size
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Static

from reactieveld.codebook import Codebook
from reactieveld.failures import error_in_language
from reactieveld.i18n import I18n
from reactieveld.keys import resend_key
from reactieveld.model import Capability, Response, TagKind, TriageState, title_by_author
from reactieveld.reasons import ReasonsConfig
from reactieveld.rules import NO_RULES, RuleSet, pieces
from reactieveld.store.base import QueueFilter, QueueRow
from reactieveld.text import clean, one_line, preview
from reactieveld.tui.claims import busy_by
from reactieveld.tui.keymap import configured_keys, keys_display
from reactieveld.tui.messages import SaysWorkerErrors, after_first_rows, deferred
from reactieveld.tui.times import format_date_time, format_hour, format_time
from reactieveld.tui.widgets.queue_list import UNDONE_STATES as UNDONE  # the view says why
from reactieveld.tui.widgets.queue_list import ViewContext

if TYPE_CHECKING:
    from reactieveld.model_values import JournalEntry, Note, OutboxItem
    from reactieveld.store.values import Coding, RuleFlag

Part = str | tuple[str, str]


@dataclass
class Details:
    """What the store adds to a queue row for the response view."""

    author_count: int | None = None
    parent: QueueRow | None = None
    replies: list[QueueRow] = field(default_factory=list)
    thread_url: str | None = None
    notes: list[Note] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)
    #: The moderation rules' flags on it, oldest first, settled ones too (issue 16).
    flags: list[RuleFlag] = field(default_factory=list)
    #: Each coder's counted coding, in the order they coded (the Disagreements view).
    codings: list[Coding] = field(default_factory=list)
    #: The newest write-back of it when that one failed or conflicts: why, and what.
    write_back: OutboxItem | None = None


#: The longest body the view shows (the rest is cut, as ``text.clean`` cuts).
BODY_LIMIT = 20_000
#: The longest thread title the view shows.
TITLE_LIMIT = 300
#: Around a word a moderation rule matched, besides its style: it reads without colour.
MATCH_OPEN, MATCH_CLOSE = "[", "]"
MATCH_STYLE = "bold reverse"


async def load_details(store: Any, row: QueueRow, *, codings: bool = False) -> Details:
    """The store's extras for one response (bounded queries only); ``codings``: each
    coder's coding of it too (the Disagreements view)."""
    r = row.response
    d = Details()
    d.author_count = await store.author_count(row)
    if r.parent_external_id:
        d.parent = await store.get_by_external(r.source, r.parent_external_id)
    if r.thread_external_id:
        thread = await store.thread(r.source, r.thread_external_id)
        d.thread_url = thread.url if thread else None
        # Replies come after their parent: the next rows of the thread hold them.
        later = await store.queue(
            QueueFilter(thread=(r.source, r.thread_external_id)),
            after=row.keyset,
            limit=300,
            direction="newer",
        )
        d.replies = [x for x in reversed(later) if x.response.parent_external_id == r.external_id]
    assert r.id is not None
    d.notes = await store.notes(r.id)
    d.journal = await store.journal(r.id, limit=20)
    d.flags = await store.rule_flags(r.id)
    if row.outbox_state in UNDONE:
        newest = await store.outbox_items(response_id=r.id, limit=1)
        d.write_back = newest[0] if newest else None
    if codings:
        d.codings = await store.response_codings(r.id)
    return d


class ResponseView(SaysWorkerErrors, VerticalScroll, can_focus=False):
    """The full response; ``show(row)`` draws it, details follow."""

    DEFAULT_CSS = """
    ResponseView { height: 1fr; padding: 0 1; }
    ResponseView > Static { width: 1fr; }
    """

    def __init__(
        self,
        store: Any,
        context: ViewContext,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.i18n, self.codebook, self.tz = context.i18n, context.codebook, context.tz
        self.actor, self.clock = context.actor, context.clock
        self.row: QueueRow | None = None
        self.details = Details()
        self.readonly_reason: str | None = None
        #: Second coding (issue 14): the row carries the moderator's own coding, and the
        #: journal leaves out the others' tags and codings (the view is blind to them).
        self.blind = False
        #: Disagreements (issue 14): each coder's coding is shown beside the tags.
        self.side_by_side = False
        #: The matched spans of the body shown: (response id, body, spans), kept while
        #: the same text is redrawn (details coming in, a claim) so it is scanned once.
        self._matched: tuple[int | None, str, list[tuple[int, int]]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(self.i18n.t("view.empty")), id="response-body", markup=False)

    def show(self, row: QueueRow | None, *, readonly_reason: str | None = None) -> None:
        """Show ``row`` now; load its details in the background."""
        same = row is not None and self.row is not None and row.response.id == self.row.response.id
        self.row = row
        self.readonly_reason = readonly_reason
        if not same:
            self.details = Details()
            self.scroll_home(animate=False, immediate=True)
        self._draw()
        if row is not None:
            self.run_worker(deferred(self._load, row), group="response-details", exclusive=True)

    async def _load(self, row: QueueRow) -> None:
        await after_first_rows(self.app)
        details = await load_details(self.store, row, codings=self.side_by_side)
        if self.row is not None and self.row.response.id == row.response.id:
            self.details = details
            self._draw()

    def page(self, direction: int) -> None:
        """Scroll a page down (1) or up (-1), one line kept for context: at 80x24 a long
        response, its tags, notes and journal are below the view, and the view never has
        the focus (the queue keeps the keys)."""
        step = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False, immediate=True)

    def _draw(self) -> None:
        try:
            body = self.query_one("#response-body", Static)
        except NoMatches:
            return  # the view left the screen (its screen closed) while a read was under way
        body.update(self.render_content())

    def render_content(self) -> Content:
        """The whole view as one literal Content (untrusted parts cleaned, never parsed)."""
        t = self.i18n.t
        row = self.row
        if row is None:
            hint = getattr(self.app, "config_hint", None)
            if hint and not self.app.source_names():  # type: ignore[attr-defined]
                # The first run: nothing configured, nothing stored. Say where to start.
                return Content(t("view.first_run", config=hint))
            return Content(t("view.empty"))
        r = row.response
        d = self.details
        lang = self.i18n.language
        parts: list[Part] = []
        add = parts.append
        add((clean(r.author_name, limit=200) or "?", "bold"))
        if r.role_hint and not row.role:
            add(f" ({preview(r.role_hint, 40)})")
        # The year always: the header has room, and a quote from it must not lose it.
        add(f"  {format_date_time(r.created_at, self.tz)}  {preview(r.source, 40)}  ")
        add((self.i18n.status(r.remote_status), "italic"))
        add(f" · {t('triage.' + r.triage.value)}")
        if r.reports:
            add(("\n" + t("view.reports", n=r.reports), "bold"))
        flagged = self._flag_states(row)
        if flagged:
            add(("\n" + t("view.rules", rules=flagged), "bold"))
        busy = busy_by(row, self.actor)
        if busy is not None:
            until = format_hour(busy.until, self.tz)  # a lease is minutes
            add(("\n" + t("claim.view", name=one_line(busy.actor, limit=60), until=until), "bold"))
        if d.author_count:
            add(("\n" + t("view.earlier", n=d.author_count), "dim"))
        add("\n")
        if self.side_by_side:  # what this queue is about: first, where 80x24 shows it
            add((t("disagree.view") + "\n", "bold"))
            add("\n".join(codings_table(self.i18n, self.codebook, d.codings, row)) + "\n")
        if row.thread_title or r.thread_external_id:
            add((t("view.thread") + ": ", "dim"))
            title = self._title(r, row.thread_title)
            if title:
                parts += title
            else:
                add(clean(row.thread_title, limit=300) or r.thread_external_id or "")
            add("\n")
        link = r.url or d.thread_url
        if link:
            add((t("view.link") + ": ", "dim"))
            add((preview(link, 300), "underline"))
            add("\n")
        if d.parent is not None:
            p = d.parent.response
            add((t("view.parent") + ": ", "dim"))
            add((preview(p.author_name, 60), "bold"))
            add(" — " + preview(p.body_text, 120) + "\n")
        add("\n")
        body = self._body(r.id, r.body_text or "")
        if any((p if isinstance(p, str) else p[0]).strip() for p in body):
            parts += body
        else:
            add((t("view.empty_body"), "dim italic"))
        add("\n\n")
        if self.blind:
            add((t("second.view") + "\n", "bold"))
        questions = [f"{c} {self.codebook.label(TagKind.QUESTION, c, lang)}" for c in row.questions]
        add((t("view.questions") + ": ", "dim"))
        add("; ".join(preview(q, 120) for q in questions) or t("view.none"))
        add("\n")
        add((t("view.role") + ": ", "dim"))
        role = self.codebook.label(TagKind.ROLE, row.role, lang) if row.role else t("view.none")
        add(preview(role, 60) + "\n")
        if row.outbox_state:
            style = "bold red" if row.outbox_state in UNDONE else "yellow"
            add((t("view.outbox") + ": ", "dim"))
            add((t(outbox_heading(row.outbox_state, self.details.write_back)), style))
            add("\n")
            parts += self._write_back(row)
        if self.readonly_reason:
            add((self.readonly_reason + "\n", "dim italic"))
        if d.replies:
            add("\n")
            add((t("view.replies", n=len(d.replies)) + "\n", "bold"))
            for reply in d.replies[:20]:
                add("  ")
                add((preview(reply.response.author_name, 40), "bold"))
                add(" — " + preview(reply.response.body_text, 100) + "\n")
        now = self.clock()
        if d.notes:
            add("\n")
            add((t("view.notes") + "\n", "bold"))
            for note in d.notes:
                when = format_time(note.created_at, self.tz, now)
                add((f"  {when} {one_line(note.actor)}: ", "dim"))
                add(clean(note.text, limit=2000) + "\n")
        blind = self.blind or row.blind  # a row of the sample this coder has yet to finish
        journal = [e for e in d.journal if not (blind and self._coding_of_another(e))]
        if journal:
            add("\n")
            add((t("view.journal") + "\n", "bold"))
            for entry in journal:
                when = format_time(entry.at, self.tz, now)
                add((f"  {when} {one_line(entry.actor)}: ", "dim"))
                add(self.journal_text(entry) + "\n")
        return Content.assemble(*parts)

    def _coding_of_another(self, entry: JournalEntry) -> bool:
        """An entry that would tell another moderator's coding (a question or role, given
        or taken back): left out of a blind view."""
        if entry.actor == self.actor:
            return False
        return any(k in side for side in (entry.before, entry.after) for k in ("question", "role"))

    def _flag_states(self, row: QueueRow) -> str:
        """The rules that flagged the response and where each stands, in words
        ("scheldwoorden (open); reclame (vals alarm)"): from the store's flags once
        loaded, until then the row's open ones."""
        latest: dict[str, str] = {}
        for flag in self.details.flags:
            latest[flag.rule] = flag.state  # oldest first: the last one stands
        if not latest:
            latest = dict.fromkeys(row.flags, "open")
        titled = self._title_only(row) if latest else set()
        where = " · " + self.i18n.t("rule.in_title")
        return "; ".join(
            f"{one_line(rule, limit=60)} ({self.i18n.t('rule.state.' + state)}"
            f"{where if rule in titled else ''})"
            for rule, state in latest.items()
        )

    def _title_only(self, row: QueueRow) -> set[str]:
        """The configured rules that match the title its author wrote and not the body
        (where the view says "in the title": the title line may be off the screen)."""
        rules: RuleSet = getattr(self.app, "rules", None) or NO_RULES
        r = row.response
        if not rules or not row.thread_title or not title_by_author(r.meta):
            return set()
        hits = rules.scan(r.body_text, title=row.thread_title).hits
        return {h.rule for h in hits if h.in_title} - {h.rule for h in hits if not h.in_title}

    def _write_back(self, row: QueueRow) -> list[Part]:
        """Why the write-back was not done (as the platform said it) and, for a reply,
        the text that was not sent: the moderator has moved on, and nothing else in the
        app says either."""
        item = self.details.write_back
        if item is None or row.outbox_state not in UNDONE:
            return []
        from reactieveld.model_values import FINAL_KINDS  # loaded after the first frame

        t = self.i18n.t
        parts: list[Part] = []
        why = error_in_language(item.last_error, self.i18n.language) if item.last_error else ""
        final = item.failure_kind in FINAL_KINDS
        again = self._resend_hint(item.action.capability, item.failure_kind)
        decision = next((e for e in self.details.journal if e.id == item.journal_id), None)
        if again and decision is not None and not final:  # sent again with it, not asked
            again += self._reason_part(decision)
        said = " — ".join(p for p in (preview(why, 300) if why else "", again) if p)
        if said:
            parts.append(("  " + said + "\n", "italic"))
        if item.action.capability is Capability.REPLY and item.action.text:
            parts.append((t("view.outbox.unsent") + ":\n", "dim"))
            parts.append(clean(item.action.text, limit=BODY_LIMIT) + "\n")
        return parts

    def _resend_hint(self, capability: Capability, kind: str | None = None) -> str:
        """How to send a failed write-back again, with the key as configured: the
        decision's key pressed again, or the reply editor's (it opens with the text not
        sent); nothing where no key makes it or the source is read-only. Where no resend
        alone can succeed (``kind``, ``model_values.FAILURE_KINDS``), what to do instead:
        something put right on the site first, then the key; or, where nothing can
        (``FINAL_KINDS``: the comment is gone), that the decision stays in the memory."""
        from reactieveld.model_values import FAILURE_KINDS, FINAL_KINDS

        if kind in FINAL_KINDS:
            return self.i18n.t(f"view.outbox.kind.{kind}")
        found = None if self.readonly_reason else resend_key(capability)
        if found is None:
            return ""
        binding_id, default = found
        keys = configured_keys(self.app, binding_id, default)
        if not keys:
            return ""
        key = keys_display(self.app, keys[:1])
        said = "view.outbox.again_reply" if capability is Capability.REPLY else "view.outbox.again"
        if kind in FAILURE_KINDS.values():  # not a kind only a newer program knows
            said = f"view.outbox.kind.{kind}"
        return self.i18n.t(said, press=key)

    def _body(self, response_id: int | None, body: str) -> list[Part]:
        """The body, cleaned, with the words the configured rules match marked (in
        brackets and reversed): each piece is cleaned apart, none is ever parsed."""
        rules: RuleSet = getattr(self.app, "rules", None) or NO_RULES
        text = body[:BODY_LIMIT]
        cut = "…" if len(body) > BODY_LIMIT else ""
        if not rules:
            return [clean(text) + cut]
        if self._matched is None or self._matched[:2] != (response_id, text):
            self._matched = (response_id, text, rules.spans(text))
        return [*marked_body(text, self._matched[2]), cut]

    def _title(self, r: Response, title: str | None) -> list[Part]:
        """The thread's title with the words the rules match marked, where the rules read
        it (the response's author wrote it: ``model.title_by_author``); else empty."""
        rules: RuleSet = getattr(self.app, "rules", None) or NO_RULES
        if not rules or not title or not title_by_author(r.meta):
            return []
        text = title[:TITLE_LIMIT]
        return [*marked_body(text, rules.spans(text)), "…" if len(title) > TITLE_LIMIT else ""]

    def _reason_part(self, entry: JournalEntry) -> str:
        """`` · reason: ...`` for a decision's entry with a reason, else empty."""
        if not entry.reason:
            return ""
        reasons = getattr(self.app, "reasons", None) or ReasonsConfig()
        why = reasons.describe(entry.reason, entry.reason_text, self.i18n.language)
        return " · " + self.i18n.t("journal.reason", reason=one_line(why, limit=240))

    def journal_text(self, entry: JournalEntry) -> str:
        """One journal entry in words."""
        t = self.i18n.t
        kind = entry.kind.value
        before, after = entry.before, entry.after
        if kind == "moderate":
            same = before.get("status") == after.get("status")
            key = "journal.moderate_same" if same else "journal.moderate"
            said = t(
                "journal.resend" if "retry" in after else key,
                status=self.i18n.status(after.get("status", "approved")),
                before=self.i18n.status(before.get("status", "approved")),
                after=self.i18n.status(after.get("status", "approved")),
            )
            return said + self._reason_part(entry)
        # A later coder's own coding (issue 14) reads as a tag, named as theirs.
        prefix = "journal.code_" if kind == "code" else "journal."
        if kind == "code" and "done" in after:
            return t("journal.code_done")
        if kind == "tag" or (kind == "code" and "question" in after):
            return t(prefix + "tag", code=one_line(str(after.get("question", ""))))
        if kind == "untag" or (kind == "code" and "question" in before):
            return t(prefix + "untag", code=one_line(str(before.get("question", ""))))
        if kind in ("role", "code"):
            code = after.get("role")
            label = (
                self.codebook.label(TagKind.ROLE, code, self.i18n.language)
                if code
                else t("view.none")
            )
            return t(prefix + "role", after=one_line(label))
        if kind == "resolve":
            questions = ", ".join(one_line(str(q)) for q in after.get("questions", ()))
            code = after.get("role")
            return t(
                "journal.resolve",
                questions=questions or t("view.none"),
                role=one_line(self.codebook.label(TagKind.ROLE, code, self.i18n.language))
                if code
                else t("view.none"),
            )
        if kind == "undo":
            return undo_said(self.i18n, undone_what(self.i18n, self.codebook, before, after))
        return t("journal." + kind)


def outbox_heading(state: str, item: OutboxItem | None) -> str:
    """The i18n key of the view's write-back heading: what stopped a write-back no
    resend alone mends (its kind, ``model_values.FAILURE_KINDS``: the comment gone, a
    status refused, a reply not accepted), else its state ("conflict: changed on the
    platform" only where nothing else is known)."""
    from reactieveld.model_values import FAILURE_KINDS  # loaded after the first frame

    kind = item.failure_kind if item is not None and state in UNDONE else None
    if kind in FAILURE_KINDS.values():  # not a kind only a newer program knows
        return f"outbox.kind.{kind}"
    return "outbox." + state


def undone_what(
    i18n: I18n, codebook: Codebook, before: Mapping[str, Any], after: Mapping[str, Any]
) -> str | None:
    """What an undo took back, in lower-case words, from the undo's own journal entry
    (``before``: what the undone action had made): ``spam``, ``question 3``... The one
    wording of the undo notice and of the journal line (``anna: undid spam``); None when
    the entry does not say."""
    t = i18n.t
    both = {**after, **before}
    if "codings" in both:  # a resolved disagreement (issue 14)
        return t("disagree.undone")
    if "status" in before:
        return i18n.status(str(before["status"]))
    if "question" in both:
        return t("undo.question", code=one_line(str(both["question"])))
    if "role" in both:
        code = before.get("role") or after.get("role")
        if not code:
            return None
        return t("undo.role", role=one_line(codebook.label(TagKind.ROLE, code, i18n.language)))
    if "note_id" in before:
        return t("journal.note")
    if "text" in before:
        return t("journal.reply")
    if before.get("triage") == "handled":
        return t("journal.handle")
    return None


def undo_said(i18n: I18n, what: str | None, n: int = 1) -> str:
    """The one wording of an undo, its notice and its journal line: ``action undone:
    approved`` (``actie ongedaan gemaakt: goedgekeurd``), ``...: question 3 (2×)`` for
    ``n`` responses, ``action undone`` when ``what`` (:func:`undone_what`) is None. One
    pattern for every action: a status, a question, a role, a note, a reply, handled, a
    resolved disagreement."""
    if not what:
        return i18n.t("undo.done")
    return i18n.t("undo.what.n", what=what, n=n) if n > 1 else i18n.t("undo.what", what=what)


#: A question's cell in the side-by-side table: given, or not.
CELL_ON, CELL_OFF = "[x]", "[ ]"
#: Under a question (or the role) the coders gave differently.
DIFFERS = "≠"
#: The width of the coders' names in the table.
NAME_WIDTH = 12


def codings_table(
    i18n: I18n, codebook: Codebook, codings: list[Coding], row: QueueRow
) -> list[str]:
    """Each coder's coding side by side, in characters (NO_COLOR, 80 columns): a line per
    coder (``[x]`` for each question given, then the role), the response's tags as they
    are now, and ``≠`` under each question and the role the coders gave differently."""
    t, lang = i18n.t, i18n.language
    codes = [q.code for q in codebook.questions]

    def name(text: str) -> str:  # in terminal cells: a wide character takes two
        return set_cell_size(one_line(text, limit=NAME_WIDTH - 1), NAME_WIDTH - 1) + " "

    def role(code: str | None) -> str:
        return preview(codebook.label(TagKind.ROLE, code, lang), 24) if code else "—"

    def line(who: str, questions: Any, role_code: str | None) -> str:
        cells = " ".join(CELL_ON if c in questions else CELL_OFF for c in codes)
        return f"{name(who)}{cells}  {role(role_code)}"

    head = name(t("disagree.question")) + " ".join(f" {c[:2]:<2}" for c in codes)
    lines = [f"{head}  {t('disagree.role')}"]
    lines += [line(c.coder, c.questions, c.role) for c in codings]
    lines.append(line(t("disagree.tags"), set(row.questions), row.role))
    differs = [len({c in x.questions for x in codings}) > 1 for c in codes]
    role_differs = len({x.role for x in codings}) > 1
    marks = " ".join(f" {DIFFERS if d else ' '} " for d in differs)
    lines.append((name("") + marks + "  " + (DIFFERS if role_differs else "")).rstrip())
    return lines


def marked_body(text: str, spans: list[tuple[int, int]]) -> list[Part]:
    """``text`` as parts of a Content with ``spans`` (what the rules match) in brackets
    and reversed; each piece cleaned apart (``text.clean``), none ever parsed."""
    out: list[Part] = []
    for piece, matched in pieces(text, spans):
        if matched:
            out += [MATCH_OPEN, (clean(piece), MATCH_STYLE), MATCH_CLOSE]
        else:
            out.append(clean(piece))
    return out


def triage_label(i18n: I18n, triage: TriageState) -> str:
    """A triage state in words."""
    return i18n.t("triage." + triage.value)
