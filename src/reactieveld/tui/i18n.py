"""Interface text in Dutch and English. Codebook labels come from the codebook itself."""

from __future__ import annotations

from typing import Any

from reactieveld.model import RemoteStatus

#: key -> (Dutch, English)
STRINGS: dict[str, tuple[str, str]] = {
    # queues
    "queue.new": ("Nieuw", "New"),
    "queue.hold": ("In afwachting", "On hold"),
    "queue.approved": ("Goedgekeurd", "Approved"),
    "queue.spam": ("Spam", "Spam"),
    "queue.trash": ("Prullenbak", "Trash"),
    "queue.all": ("Alles", "All"),
    # statuses
    "status.approved": ("goedgekeurd", "approved"),
    "status.hold": ("wacht", "on hold"),
    "status.spam": ("spam", "spam"),
    "status.trash": ("prullenbak", "trash"),
    "status.hidden": ("verborgen", "hidden"),
    "status.deleted": ("verwijderd", "deleted"),
    "triage.new": ("nieuw", "new"),
    "triage.handled": ("afgehandeld", "handled"),
    # columns
    "col.time": ("Tijd", "Time"),
    "col.source": ("Bron", "Source"),
    "col.author": ("Auteur", "Author"),
    "col.role": ("Rol", "Role"),
    "col.questions": ("Vragen", "Question"),  # 8 cells: the column's width
    "col.status": ("Status", "Status"),
    "col.text": ("Tekst", "Text"),
    # bindings
    "key.down": ("Omlaag", "Down"),
    "key.up": ("Omhoog", "Up"),
    "key.first": ("Eerste", "First"),
    "key.last": ("Laatste", "Last"),
    "key.page_down": ("Pagina omlaag", "Page down"),
    "key.page_up": ("Pagina omhoog", "Page up"),
    "key.approve": ("Goedkeuren", "Approve"),
    "key.hold": ("Afkeuren", "Hold"),
    "key.spam": ("Spam", "Spam"),
    "key.trash": ("Prullenbak", "Trash"),
    "key.handled": ("Klaar", "Handled"),
    "key.question": ("Vraag {code}", "Question {code}"),
    "key.role": ("Rol", "Role"),
    "key.reply": ("Antwoord", "Reply"),
    "key.note": ("Notitie", "Note"),
    "key.mark": ("Markeren", "Mark"),
    "key.undo": ("Ongedaan", "Undo"),
    "key.search": ("Zoeken", "Search"),
    "key.filters": ("Filters", "Filters"),
    "key.next_queue": ("Volgende wachtrij", "Next queue"),
    "key.thread": ("Draad", "Thread"),
    "key.back": ("Terug", "Back"),
    "key.help": ("Help", "Help"),
    "key.palette": ("Opdrachten", "Commands"),
    "key.quit": ("Stoppen", "Quit"),
    "key.palette.footer": ("palet", "palette"),
    "key.palette.tip": ("Alle opdrachten, doorzoekbaar", "Every command, searchable"),
    "key.send": ("Versturen", "Send"),
    "key.save": ("Opslaan", "Save"),
    "key.cancel": ("Annuleren", "Cancel"),
    "key.settings": ("Instellingen", "Settings"),
    "key.dashboard": ("Dashboard: waarde van de dialoog", "Dashboard: value of the dialogue"),
    "key.export": (
        "Rapport exporteren (md, csv, jsonl)",
        "Export a report (md, csv, jsonl)",
    ),
    "key.author_history": (
        "Eerdere reacties van deze auteur",
        "Earlier responses by this author",
    ),
    "key.retry": ("Opnieuw versturen", "Send again"),
    # response view
    "view.empty": ("Geen reacties in deze wachtrij.", "No responses in this queue."),
    "view.first_run": (
        "Nog geen bronnen ingesteld.\n\n"
        "Zet een [[sources]]-blok (WordPress, Discourse, Decidim, Go Vocal) in\n"
        "  {config}\n"
        "en start reactieveld opnieuw; de README laat per platform zien hoe.\n\n"
        "Eerst rondkijken met voorbeeldgegevens: reactieveld --demo",
        "No sources configured yet.\n\n"
        "Add a [[sources]] block (WordPress, Discourse, Decidim, Go Vocal) to\n"
        "  {config}\n"
        "and start reactieveld again; the README shows how for each platform.\n\n"
        "To look around on demo data first: reactieveld --demo",
    ),
    "view.by": ("door", "by"),
    "view.earlier.one": (
        "1 andere reactie van deze auteur (h)",
        "1 other response by this author (h)",
    ),
    "view.earlier": (
        "{n} andere reacties van deze auteur (h)",
        "{n} other responses by this author (h)",
    ),
    "view.thread": ("Draad", "Thread"),
    "view.link": ("Link", "Link"),
    "view.parent": ("Antwoord op", "In reply to"),
    "view.replies": ("Antwoorden ({n})", "Replies ({n})"),
    "view.tags": ("Labels", "Tags"),
    "view.questions": ("Vragen", "Questions"),
    "view.role": ("Rol", "Role"),
    "view.none": ("geen", "none"),
    "view.notes": ("Notities", "Notes"),
    "view.journal": ("Logboek", "Journal"),
    "view.outbox": ("Terugschrijven", "Write-back"),
    "view.empty_body": ("(lege reactie)", "(empty response)"),
    "view.readonly": ("Niet mogelijk op {source}: {reason}", "Not possible on {source}: {reason}"),
    "journal.moderate": ("status {before} → {after}", "status {before} → {after}"),
    "journal.handle": ("afgehandeld", "handled"),
    "journal.tag": ("vraag {code} toegevoegd", "question {code} added"),
    "journal.untag": ("vraag {code} verwijderd", "question {code} removed"),
    "journal.role": ("rol {after}", "role {after}"),
    "journal.note": ("notitie", "note"),
    "journal.reply": ("antwoord", "reply"),
    "journal.undo": ("ongedaan gemaakt", "undone"),
    "outbox.pending": ("wacht op verzending", "waiting to be sent"),
    "outbox.done": ("verzonden", "sent"),
    "outbox.failed": ("mislukt", "failed"),
    "outbox.conflict": ("conflict: op het platform gewijzigd", "conflict: changed on the platform"),
    "outbox.cancelled": ("geannuleerd", "cancelled"),
    # header line
    "hdr.ok": ("ok", "ok"),
    "hdr.syncing": ("bezig", "syncing"),
    "hdr.error": ("fout", "error"),
    "hdr.retry": ("opnieuw om {time}", "retry at {time}"),
    "hdr.outbox": ("uitgaand: {n}", "outbox: {n}"),
    "hdr.conflicts": ("conflicten: {n}", "conflicts: {n}"),
    "hdr.marked": ("gemarkeerd: {n}", "marked: {n}"),
    "hdr.filter": ("filter: {text}", "filter: {text}"),
    "tabs.filtered": ("gefilterd", "filtered"),
    # a store opened read-only (store helper, issue 10)
    "ro.header": ("ALLEEN-LEZEN", "READ-ONLY"),
    "ro.reason": (
        "alleen-lezen: {path} kan niet worden beschreven (bekijken, zoeken en exporteren werken)",
        "read-only: {path} cannot be written (browsing, search and export work)",
    ),
    "hdr.no_sources": ("geen bronnen", "no sources"),
    # screens
    "help.title": ("Toetsen", "Keys"),
    "help.key": ("Toets", "Key"),
    "help.action": ("Actie", "Action"),
    "help.disabled": ("nu niet mogelijk", "not possible now"),
    "role.title": ("Rol kiezen", "Choose a role"),
    "role.clear": ("geen rol", "no role"),
    "reply.title": ("Antwoord aan {author}", "Reply to {author}"),
    "reply.hint": ("ctrl+s verstuurt · escape annuleert", "ctrl+s sends · escape cancels"),
    "note.title": ("Notitie bij reactie van {author}", "Note on the response by {author}"),
    "note.hint": ("ctrl+s slaat op · escape annuleert", "ctrl+s saves · escape cancels"),
    "filter.title": ("Filters", "Filters"),
    "filter.source": ("Bron", "Source"),
    "filter.status": ("Status", "Status"),
    "filter.question": ("Vraag", "Question"),
    "filter.role": ("Rol", "Role"),
    "filter.untagged": ("Alleen zonder vraaglabel", "Only without a question tag"),
    "filter.any": ("(alle)", "(any)"),
    "filter.apply": ("Toepassen", "Apply"),
    "filter.clear": ("Wissen", "Clear"),
    "thread.title": ("Draad: {title}", "Thread: {title}"),
    "thread.untitled": ("(zonder titel)", "(untitled)"),
    "export.title": ("Rapport exporteren", "Export a report"),
    "export.format": ("Formaat", "Format"),
    "export.format.md": ("Markdown (per planningsvraag)", "Markdown (per planning question)"),
    "export.format.csv": ("CSV", "CSV"),
    "export.format.jsonl": ("JSON Lines", "JSON Lines"),
    "export.queue": (
        "Alleen de huidige wachtrij met haar filters",
        "Only the current queue with its filters",
    ),
    "export.personal": (
        "Persoonsgegevens opnemen (namen, e-mail, telefoon, postcode)",
        "Include personal data (names, e-mail, phone, postcode)",
    ),
    "export.path": ("Bestand", "File"),
    "export.go": ("Exporteren", "Export"),
    "export.hint": (
        "ctrl+s (of enter in het bestandsvak) exporteert · escape annuleert",
        "ctrl+s (or enter in the file box) exports · escape cancels",
    ),
    "export.no_path": ("Geef een bestandsnaam", "Give a file name"),
    "export.no_dir": ("Map bestaat niet: {path}", "No such directory: {path}"),
    "export.is_dir": ("Dat is een map: {path}", "That is a directory: {path}"),
    "export.done": (
        "Rapport geschreven ({n} reacties): {path}",
        "Report written ({n} responses): {path}",
    ),
    "export.failed": ("Rapport mislukt: {error}", "Report failed: {error}"),
    "export.queue_text": ("wachtrij {queue}", "queue {queue}"),
    "settings.title": ("Instellingen", "Settings"),
    "settings.language": ("Taal", "Language"),
    # notifications
    "note.saved": ("Notitie opgeslagen", "Note saved"),
    "reply.queued": ("Antwoord staat klaar om te versturen", "Reply queued for sending"),
    "undo.done": ("Ongedaan gemaakt", "Undone"),
    "undo.what": ("Ongedaan gemaakt: {what} ({n}×)", "Undone: {what} ({n}×)"),
    "undo.nothing": ("Niets om ongedaan te maken", "Nothing to undo"),
    "search.missing": ("Zoeken is nog niet beschikbaar", "Search is not available yet"),
    "dashboard.missing": (
        "Het dashboard is nog niet beschikbaar",
        "The dashboard is not available yet",
    ),
    "acted": ("{n} reacties: {what}", "{n} responses: {what}"),
    "new_arrived": ("{n} nieuwe reacties", "{n} new responses"),
    "palette.question": ("Vraag {code}: {label}", "Question {code}: {label}"),
    "palette.role": ("Rol: {label}", "Role: {label}"),
    "palette.queue": ("Wachtrij: {label}", "Queue: {label}"),
    "palette.language": ("Taal: {label}", "Language: {label}"),
}

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


class I18n:
    """Looks up interface strings in one language; ``t("view.earlier", n=3)``."""

    def __init__(self, language: str = "nl") -> None:
        self.language = language if language in ("nl", "en") else "en"
        self._index = 0 if self.language == "nl" else 1

    def t(self, key: str, **values: Any) -> str:
        """The string for ``key``, formatted with ``values`` (the key itself if unknown)."""
        pair = STRINGS.get(key)
        text = pair[self._index] if pair else key
        return text.format(**values) if values else text

    def status(self, status: RemoteStatus | str) -> str:
        """A remote status in this language."""
        return self.t(f"status.{RemoteStatus(status).value}")
