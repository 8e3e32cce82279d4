"""The one table of interface text, Dutch and English, and its one lookup (:func:`text`).

Every layer uses it (the TUI, the CLI, the figures, the reports, the redaction tokens),
so it lives below all of them: plain values, no I/O, no Textual. Keys are namespaced by
area (``search.problem.*``, ``report.md.*``, ``palette.*``, ``redact.*``...). Codebook
labels are not here: they belong to the (versioned) codebook itself."""

from __future__ import annotations

import functools
import re
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
    "queue.reported": ("Gemeld", "Reported"),
    "queue.second": ("Tweede codering", "Second coding"),
    "queue.disagree": ("Verschillen", "Disagreements"),
    "queue.flagged": ("Gemarkeerd", "Flagged"),
    # the tabs' short names, where the long ones do not fit the line (80 columns)
    "queue.short.new": ("Nieuw", "New"),
    "queue.short.hold": ("Wacht", "Hold"),
    "queue.short.approved": ("Goed", "OK"),
    "queue.short.spam": ("Spam", "Spam"),
    "queue.short.trash": ("Prul", "Trash"),
    "queue.short.all": ("Alles", "All"),
    "queue.short.reported": ("Gemeld", "Reported"),
    "queue.short.flagged": ("Regel", "Flagged"),
    "queue.short.second": ("Tweede", "Second"),
    "queue.short.disagree": ("Verschil", "Differ"),
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
    "key.hold": ("Wacht", "Hold"),
    "key.spam": ("Spam", "Spam"),
    "key.trash": ("Prullenbak", "Trash"),
    "key.hide": ("Verbergen", "Hide"),
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
    "key.approve_send": ("Goedkeuren en versturen", "Approve and send"),
    "key.save": ("Opslaan", "Save"),
    "key.cancel": ("Annuleren", "Cancel"),
    # the dialogs' own footers (tui/screens/help.py DialogKeys)
    "key.keep_or_discard": ("Bewaren of weggooien", "Keep or discard"),
    "key.keep_draft": ("Bewaren", "Keep"),
    "key.reason": ("Reden", "Reason"),
    "key.pick_role": ("Kiezen", "Choose"),  # the role picker's role keys
    "key.no_role": ("Geen rol", "No role"),
    "key.next_field": ("Volgende veld", "Next field"),
    "key.previous_field": ("Vorige veld", "Previous field"),
    "dash.key.scroll": ("De pagina scrollen", "Scroll the page"),
    "dash.key.sideways": ("De tabel opzij scrollen", "Scroll the table sideways"),
    "dash.key.ends": ("Naar het begin / einde", "To the start / end"),
    "key.copy": ("Geselecteerde tekst kopiëren", "Copy the selected text"),
    "key.close_menu": ("Lijst sluiten", "Close the list"),
    "key.confirm": ("Bevestigen", "Confirm"),
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
    "view.outbox.unsent": ("Niet verstuurd antwoord", "Reply not sent"),
    "view.outbox.again": (
        "druk nogmaals op {press} om opnieuw te versturen",
        "press {press} again to send it again",
    ),
    "view.outbox.again_reply": (
        "druk op {press} om het antwoord opnieuw te versturen (de tekst staat klaar)",
        "press {press} to send the reply again (its text is filled in)",
    ),
    # A write-back no resend alone can succeed (model_values.FAILURE_KINDS), after why:
    # what to do instead. The final kinds (FINAL_KINDS) take no key: none sends them.
    "view.outbox.kind.gone": (
        "opnieuw versturen kan niet slagen: de beslissing blijft alleen in het geheugen",
        "sending it again cannot succeed: the decision stays in the memory only",
    ),
    "view.outbox.kind.refused": (
        "opnieuw versturen kan niet slagen: stel de status zelf in op de site",
        "sending it again cannot succeed: set the status on the site itself",
    ),
    "view.outbox.kind.review_gone": (
        "opnieuw versturen kan niet slagen: het forum heeft het al afgehandeld; de volgende "
        "synchronisatie laat zien hoe het er nu voor staat",
        "sending it again cannot succeed: the forum has handled it already; the next sync "
        "shows where it stands",
    ),
    "view.outbox.kind.trashed": (
        "haal de reactie op de site uit de prullenbak en druk dan op {press} (de tekst "
        "staat klaar)",
        "restore the comment from the trash on the site, then press {press} (its text is "
        "filled in)",
    ),
    "view.outbox.kind.closed": (
        "zet de reacties bij het bericht op de site weer open en druk dan op {press} (de "
        "tekst staat klaar)",
        "reopen comments on the post on the site, then press {press} (its text is filled in)",
    ),
    "view.outbox.kind.queued": (
        "keur het bericht eerst goed en druk dan op {press} (de tekst staat klaar)",
        "approve the post first, then press {press} (its text is filled in)",
    ),
    "view.outbox.kind.not_accepted": (
        "open het item op de site voor reacties (of geef de API-gebruiker het recht) en "
        "druk dan op {press} (de tekst staat klaar)",
        "open the item for comments on the site (or give the API user the right), then "
        "press {press} (its text is filled in)",
    ),
    # The resend key on a write-back that can never succeed (FINAL_KINDS): nothing sent.
    "outbox.not_resent": ("Niet opnieuw verstuurd: {error}", "Not sent again: {error}"),
    "outbox.not_resent.more": (
        "Niet opnieuw verstuurd: {error} (en {more} andere die niet kunnen slagen)",
        "Not sent again: {error} (and {more} more that cannot succeed)",
    ),
    "view.empty_body": ("(lege reactie)", "(empty response)"),
    # the source is named once, in the view's first line
    "view.readonly": ("Niet mogelijk: {reason}", "Not possible: {reason}"),
    "journal.moderate": ("status {before} → {after}", "status {before} → {after}"),
    "journal.resend": ("{status} opnieuw verstuurd", "{status} sent again"),
    # A decision equal to the status the response had (an approval of one published
    # already, from New): nothing to write back, the response handled.
    "journal.moderate_same": (
        "{status} (was het al): afgehandeld",
        "{status} (so already): handled",
    ),
    "journal.handle": ("afgehandeld", "handled"),
    "journal.tag": ("vraag {code} toegevoegd", "question {code} added"),
    "journal.untag": ("vraag {code} verwijderd", "question {code} removed"),
    "journal.role": ("rol {after}", "role {after}"),
    "journal.note": ("notitie", "note"),
    "journal.reply": ("antwoord", "reply"),
    "undo.question": ("vraag {code}", "question {code}"),
    "undo.role": ("rol {role}", "role {role}"),
    # a later coder's own coding of a double-coded response (issue 14)
    "journal.code_tag": (
        "tweede codering: vraag {code} toegevoegd",
        "second coding: question {code} added",
    ),
    "journal.code_untag": (
        "tweede codering: vraag {code} verwijderd",
        "second coding: question {code} removed",
    ),
    "journal.code_role": ("tweede codering: rol {after}", "second coding: role {after}"),
    "journal.code_done": ("tweede codering klaar", "second coding done"),
    "second.view": (
        "Tweede codering, blind: hieronder uw eigen codering, niet die van de eerste "
        "codeur. 1–8 en w coderen, x = klaar (telt dan mee in reactieveld agreement).",
        "Second coding, blind: below is your own coding, not the first coder's. 1–8 and "
        "w code, x = done (it then counts in reactieveld agreement).",
    ),
    "second.done": ("Tweede codering klaar: {n}", "Second coding done: {n}"),
    # resolving the coders' disagreements (issue 14, item 3)
    "journal.resolve": (
        "verschil opgelost: vragen {questions}; rol {role}",
        "disagreement resolved: questions {questions}; role {role}",
    ),
    "disagree.view": (
        "Verschillen: de coderingen naast elkaar. 1–8 en w zetten de labels van de "
        "reactie, x = opgelost (de labels zijn dan de definitieve; z maakt ongedaan).",
        "Disagreements: the codings side by side. 1–8 and w set the response's tags, "
        "x = resolved (its tags are then the final ones; z undoes).",
    ),
    "disagree.question": ("vraag", "question"),
    "disagree.tags": ("labels", "tags"),
    "disagree.role": ("rol", "role"),
    "second.key": ("Klaar", "Done"),  # x in Second coding: my coding is done
    "disagree.key": ("Beslist", "Resolved"),  # nl: 7 letters, whole in the 80-column footer
    "disagree.done": ("Verschil opgelost: {n}", "Disagreement resolved: {n}"),
    "disagree.undone": ("het oplossen van een verschil", "resolving a disagreement"),
    "second.elsewhere": (
        "Vastgelegd als uw tweede codering (een ander codeerde deze reactie eerst; de labels "
        "blijven de hare). Blind coderen en klaar melden: tab Tweede codering.",
        "Kept as your second coding (another moderator coded this response first; the tags "
        "stay theirs). To code blind and say you are done: the Second coding tab.",
    ),
    "second.blind": (
        "Niet in Tweede codering: dat zou de labels van de eerste codeur tonen",
        "Not in Second coding: it would show the first coder's tags",
    ),
    "journal.reason": ("reden: {reason}", "reason: {reason}"),
    # reasons for decisions (issue 16; the Digital Services Act's statement of reasons)
    "reason.illegal": ("Illegale inhoud", "Illegal content"),
    "reason.personal_data": ("Persoonsgegevens van een ander", "Someone else's personal data"),
    "reason.insult": ("Belediging of discriminatie", "Insult or discrimination"),
    "reason.threat": ("Bedreiging", "Threat"),
    "reason.spam": ("Spam of reclame", "Spam or advertising"),
    "reason.off_topic": ("Niet ter zake", "Off-topic"),
    "reason.duplicate": ("Dubbel geplaatst", "Duplicate"),
    "reason.other": ("Anders", "Other"),
    # ``{what}``: the decision as its tab says it (In afwachting): a heading, so first
    "reasons.title": (
        "{what}: kies een reden ({n} reacties)",
        "{what}: choose a reason ({n} responses)",
    ),
    "reasons.title.one": (
        "{what}: kies een reden (1 reactie)",
        "{what}: choose a reason (1 response)",
    ),
    "reasons.hint": (
        "Eén toets kiest de reden · Esc: annuleren, er wordt niets besloten",
        "One key chooses the reason · Esc: cancel, nothing is decided",
    ),
    "reasons.other_prompt": ("Korte toelichting", "A short explanation"),
    "reasons.other_hint": (
        "Typ de toelichting · Enter: bevestigen · Esc: annuleren",
        "Type the explanation · Enter: confirm · Esc: cancel",
    ),
    "reasons.other_empty": (
        "Nog geen toelichting: {reason} vraagt om je eigen woorden. Typ ze en druk op"
        " Enter · Esc: annuleren",
        "No explanation yet: {reason} asks for your own words. Type them and press"
        " Enter · Esc: cancel",
    ),
    "rules.cli.none": (
        "geen [[rules]] ingesteld; zie de README (Moderation rules)",
        "no [[rules]] configured; see the README (Moderation rules)",
    ),
    "rules.cli.line": (
        "{name} ({action}): {n} van {total} opgeslagen reacties",
        "{name} ({action}): {n} of {total} stored responses",
    ),
    "rules.cli.slow": ("; {n}× gestopt op de tijdslimiet", "; stopped for time on {n}"),
    "rules.cli.titles": (
        "; {n} alleen in de titel (door de schrijver zelf gegeven)",
        "; {n} in the title alone (its author's own)",
    ),
    "rules.cli.title": ("titel: {example}", "title: {example}"),
    # the lines of `reactieveld sync` and `sync --once` (sync.py, sinks.py, cli.py)
    "sync.round": (
        "{source}: {new} nieuw, {updated} bijgewerkt",
        "{source}: {new} new, {updated} updated",
    ),
    "sync.round.failed": (" (fout, zie hierboven)", " (error, see above)"),
    "sync.error": ("{source}: fout: {error}", "{source}: error: {error}"),
    "sync.retrying": ("; opnieuw om {at}", "; retrying at {at}"),
    "store.unreachable": (
        "het geheugen is niet bereikbaar",
        "the memory cannot be reached",
    ),
    "sync.elsewhere": (
        "{source}: wordt door een ander proces gesynchroniseerd; overgeslagen",
        "{source}: synced by another process; skipped",
    ),
    "sync.wait.retry_after": (
        "{source}: overgeslagen, de server vroeg te wachten tot {when} (Retry-After); "
        "gebruik --now om het toch te proberen",
        "{source}: skipped, the server asked to wait until {when} (Retry-After); "
        "use --now to try anyway",
    ),
    "sync.wait.backoff": (
        "{source}: overgeslagen, de laatste ronde mislukte, de volgende poging is om {when} "
        "(backoff); gebruik --now om het toch te proberen",
        "{source}: skipped, the last round failed, the next try is at {when} (backoff); "
        "use --now to try anyway",
    ),
    "sync.outbox": (
        "uitgaand: {done} toegepast, {retry} later opnieuw, {failed} mislukt, "
        "{conflicts} conflicten",
        "outbox: {done} applied, {retry} to retry, {failed} failed, {conflicts} conflicts",
    ),
    # the outbox worker's line per write-back not done (outbox.py; a running sync's lines)
    "outbox.line.retry": (
        "{source}: terugschrijven mislukt, later opnieuw",
        "{source}: write-back retry",
    ),
    "outbox.line.failed": ("{source}: terugschrijven mislukt", "{source}: write-back failed"),
    "outbox.line.conflict": (
        "{source}: terugschrijven niet gedaan: op het platform gewijzigd (conflict)",
        "{source}: write-back conflict",
    ),
    # a write-back stopped by what its kind names (model_values.FAILURE_KINDS: the comment
    # gone from the site, a review item handled already): no change on the platform
    "outbox.line.not_done": (
        "{source}: terugschrijven niet gedaan",
        "{source}: write-back not done",
    ),
    "outbox.line.unreadable": ("uitgaand: {error}", "outbox: {error}"),
    "sync.sinks.error": ("sinks: fout: {error}", "sinks: error: {error}"),
    "sinks.run": (
        "sinks: {delivered} afgeleverd, {retry} wachten op een nieuwe poging, {failed} geweigerd",
        "sinks: {delivered} delivered, {retry} waiting to retry, {failed} refused",
    ),
    "sinks.waits": ("{sink}: aflevering wacht ({why})", "{sink}: delivery waits ({why})"),
    "sinks.refused": ("{sink}: aflevering geweigerd ({why})", "{sink}: delivery refused ({why})"),
    "sync.running": (
        "{n} bronnen synchroniseren; Ctrl-C stopt",
        "syncing {n} sources; Ctrl-C stops",
    ),
    "cli.demo.not_demo": (
        "--demo: {store} is het geheugen van {sources}, geen demo; de demo zou er een "
        "verzonnen jaar (reacties en besluiten) voorgoed aan toevoegen: geef --db een nieuw "
        "bestand, of laat --db weg",
        "--demo: {store} is the memory of {sources}, not a demo; the demo would add a "
        "fictional year (responses and decisions) to it for good: give --db a new file, or "
        "leave out --db",
    ),
    "sync.running.one": ("1 bron synchroniseren; Ctrl-C stopt", "syncing 1 source; Ctrl-C stops"),
    "sync.stopped.once": (
        "gestopt voor de ronde klaar was (Ctrl-C of SIGTERM): wat al opgeslagen is blijft, "
        "de rest wordt de volgende keer opgehaald",
        "stopped before the round ended (Ctrl-C or SIGTERM): what was stored stays, the "
        "rest is fetched next time",
    ),
    "sync.stopped.interrupt": (
        "sync gestopt (Ctrl-C); de outbox en de sinks gaan verder bij de volgende start",
        "sync stopped (Ctrl-C); the outbox and sinks resume at the next start",
    ),
    "sync.failed": ("fout: {error}", "error: {error}"),
    "sync.no_sources": (
        "geen [[sources]] ingesteld ({where}); zie de README",
        "no [[sources]] configured ({where}); see the README",
    ),
    "sync.no_config": ("geen configuratiebestand", "no configuration file"),
    "sync.read_only.role": (
        "{store}: {reason}; sync moet schrijven: gebruik de rol van een moderator",
        "{store}: {reason}; sync must write: use a moderator's role",
    ),
    "sync.read_only.file": (
        "{path} is alleen-lezen, en sync moet erin schrijven: maak het schrijfbaar, of "
        "kopieer het naar elders en gebruik --db",
        "{path} is read-only, and sync must write to it: make it writable, or copy it "
        "elsewhere and use --db",
    ),
    "sync.rules.flagged": (
        "{source}: {flagged} gemarkeerd door regels, {held} vastgehouden",
        "{source}: {flagged} flagged by rules, {held} held",
    ),
    "sync.rules.slow": (
        '{source}: regel "{rule}" duurde bij reactie {id} langer dan de tijdslimiet en is '
        "daar overgeslagen; maak het patroon eenvoudiger",
        '{source}: rule "{rule}" took longer than its time limit on response {id} and was '
        "skipped for it; simplify its pattern",
    ),
    # the other commands' own lines (cli.py, cli_read.py, cli_store.py)
    "cli.no_store": ("geen geheugen gevonden op {where}", "no memory store at {where}"),
    # A --db (or REACTIEVELD_DB, {flag}) that names no memory: said before anything is made.
    "cli.db.empty": (
        "{flag} is leeg: geef het bestand van het geheugen (bijv. {example}) of een "
        "postgresql://-URL, of laat {flag} weg voor het standaardgeheugen",
        "{flag} is empty: give the memory store's file (e.g. {example}) or a postgresql:// "
        "URL, or leave {flag} out for the default store",
    ),
    "cli.db.scheme": (
        "{flag}: een {scheme}:-URL neemt reactieveld niet; geef het pad van een SQLite-bestand "
        "(bijv. {example}) of een postgresql://-URL",
        "{flag}: reactieveld does not take a {scheme}: URL; give a SQLite file's path "
        "(e.g. {example}) or a postgresql:// URL",
    ),
    "cli.db.nul": (
        "{flag}: een pad kan geen NUL-teken bevatten; geef het bestand van het geheugen "
        "(bijv. {example})",
        "{flag}: a path cannot hold a NUL character; give the memory store's file (e.g. {example})",
    ),
    "cli.no_dir": ("{path}: die map bestaat niet", "{path}: directory does not exist"),
    "cli.is_dir": (
        "{path}: is een map; geef een bestandsnaam, bijv. {example}",
        "{path}: is a directory; give a file name, e.g. {example}",
    ),
    "cli.cannot_write": (
        "{path}: het rapport kan niet worden geschreven ({reason}); kies een ander bestand",
        "{path}: cannot write the report ({reason}); choose another file",
    ),
    "cli.question": (
        "--question {code}: geen planningsvraag (codeboek: {codes})",
        "--question {code}: not a planning question (codebook: {codes})",
    ),
    "cli.role": (
        "--role {code}: geen rol (codeboek: {codes})",
        "--role {code}: not a role (codebook: {codes})",
    ),
    "cli.as_decisions": ("--as hoort bij --format decisions", "--as is for --format decisions"),
    "cli.arg.not_number": ("{value}: geen getal", "{value}: not a number"),
    "cli.arg.positive": (
        "{value}: geef een getal van 1 of meer",
        "{value}: give a number of 1 or more",
    ),
    # The command line's help (-h): what each command and option is for, in the reader's
    # language (cli.py, cli_read.py, cli_store.py build the parser knowing it). Option,
    # command and config key names stay as they are: they are the contract. Metavars are
    # words of their own (cli.meta.*); a help that names one says the same word.
    "cli.help.description": (
        "Modereer, label en bewaar de reacties op de lopende discussies van een organisatie. "
        "Zonder subcommando: open de app.",
        "Moderate, tag and remember an organisation's live comment threads. "
        "Without a subcommand: open the app.",
    ),
    "cli.help.subcommands": ("subcommando's", "subcommands"),
    "cli.help.store_commands": ("subcommando's van store", "store commands"),
    "cli.meta.command": ("COMMANDO", "COMMAND"),
    "cli.meta.store_command": ("STORE_COMMANDO", "STORE_COMMAND"),
    "cli.meta.path": ("PAD", "PATH"),
    "cli.meta.db": ("PAD|URL", "PATH|URL"),
    "cli.meta.target": ("URL|PAD", "URL|PATH"),
    "cli.meta.file": ("BESTAND", "FILE"),
    "cli.meta.name": ("NAAM", "NAME"),
    "cli.meta.date": ("DATUM", "DATE"),
    "cli.meta.query": ("ZOEKOPDRACHT", "QUERY"),
    "cli.help.config": (
        "configuratiebestand (standaard: $REACTIEVELD_CONFIG, anders reactieveld/config.toml "
        "in de XDG-configuratiemap)",
        "configuration file (default: $REACTIEVELD_CONFIG, else the XDG config dir's "
        "reactieveld/config.toml)",
    ),
    "cli.help.db": (
        "het geheugen: een SQLite-bestand, of de postgresql://rol@host/db van een team (het "
        "wachtwoord uit [store] password_env, PGPASSWORD of ~/.pgpass; nooit hier); "
        "standaard: $REACTIEVELD_DB, anders [store] url of path, anders "
        "reactieveld/memory.db in de XDG-datamap",
        "memory store: a SQLite file, or a team's postgresql://role@host/db (its password "
        "from [store] password_env, PGPASSWORD or ~/.pgpass; never here); default: "
        "$REACTIEVELD_DB, else [store] url or path, else the XDG data dir's "
        "reactieveld/memory.db",
    ),
    "cli.help.demo": (
        "open de app met ingebouwde demogegevens (in een eigen geheugen, of in --db)",
        "open the app on built-in demo data (a store of its own, or --db)",
    ),
    "cli.help.lang": (
        "taal van de interface (standaard: [ui] language, anders die van het systeem)",
        "interface language (default: [ui] language, else the locale)",
    ),
    "cli.help.sync": (
        "haal alle ingestelde bronnen op (en verstuur wat klaarstaat om terug te schrijven)",
        "fetch every configured source (and apply the outbox)",
    ),
    "cli.help.sync.once": (
        "één ronde, daarna stoppen (voor cron)",
        "one round, then exit (for cron)",
    ),
    "cli.help.sync.now": (
        "met --once: ook de bronnen waarvan de server vroeg te wachten (Retry-After)",
        "with --once: also the sources the server asked to wait (Retry-After)",
    ),
    "cli.help.sources": (
        "toon de ingestelde bronnen en hoe hun synchronisatie ervoor staat",
        "list the configured sources and their sync state",
    ),
    "cli.help.sources.json": (
        "één JSON-object per bron en regel, voor scripts: name, type, url, last_success "
        "(ISO-8601 in UTC, of null), last_error (zoals opgeslagen, in het Engels), repaired, "
        "synced_by, syncing_elsewhere",
        "one JSON object per source and line, for scripts: name, type, url, last_success "
        "(ISO-8601 UTC or null), last_error (as stored, English), repaired, synced_by, "
        "syncing_elsewhere",
    ),
    "cli.help.author_secret": (
        "toon de sleutel van de auteurssleutels die dit geheugen bewaart, om die naar de "
        "omgeving te verplaatsen",
        "print the key of the author keys this memory keeps, to move it to the environment",
    ),
    "cli.help.author_secret.description": (
        "De auteurssleutels (die de reacties van één persoon aan elkaar koppelen zonder zijn "
        "e-mailadres te bewaren) zijn HMAC's met een geheime sleutel. Een geheugen dat zonder "
        "[store] author_secret_env is gemaakt, bewaart die sleutel in een eigen bestand. Dit "
        "commando toont hem, zodat hij in een omgevingsvariabele kan worden gezet met de naam "
        "uit author_secret_env; de volgende start met die variabele haalt hem uit het bestand.",
        "The author keys (which link a person's responses without keeping their e-mail "
        "address) are HMACs with a secret key. A memory made without [store] "
        "author_secret_env keeps that key in its own file. This prints it, so that it can "
        "be put in an environment variable named by author_secret_env; the next start "
        "with that variable set removes it from the file.",
    ),
    "cli.help.search": (
        "zoek in de volledige tekst van het geheugen",
        "full-text search of the memory",
    ),
    "cli.help.search.query": (
        'woorden (ze moeten allemaal voorkomen; "woord*" is het begin van een woord) en/of '
        "filters zoals bron:blog vraag:1 rol:burger (alleen filters: nieuwste eerst)",
        'words (all must occur; "word*" is a prefix) and/or filters like source:blog '
        "question:1 role:burger (alone: newest first)",
    ),
    "cli.help.search.limit": ("hoogstens zoveel treffers (20)", "at most this many hits (20)"),
    "cli.help.question": (
        "alleen reacties met deze planningsvraag (herhaalbaar)",
        "only responses tagged with this planning question (repeatable)",
    ),
    "cli.help.role": (
        "alleen reacties van deze rol (herhaalbaar)",
        "only responses of this role (repeatable)",
    ),
    "cli.help.source": (
        "alleen reacties uit deze bron (herhaalbaar)",
        "only responses from this source (repeatable)",
    ),
    "cli.help.status": (
        "alleen reacties met deze status (herhaalbaar; {statuses}, of een woord dat de "
        "interface ervoor toont)",
        "only responses with this status (repeatable; {statuses}, or a word the interface "
        "shows for it)",
    ),
    # search's, export's and agreement's: a day or a date-time (read.figures.parse_date).
    "cli.help.since": (
        "binnengekomen op of na DATUM: een dag (JJJJ-MM-DD, vanaf 00:00 UTC) of een tijdstip "
        "(2026-03-01T14:30, in UTC tenzij er een zone bij staat, zoals +01:00)",
        "arrived on or after DATE: a day (YYYY-MM-DD, from 00:00 UTC) or a date-time "
        "(2026-03-01T14:30, in UTC unless it names a zone, such as +01:00)",
    ),
    "cli.help.until": (
        "binnengekomen op of vóór DATUM: een dag (tot en met die dag, UTC) of een tijdstip "
        "(tot dat moment); niet vóór --since",
        "arrived on or before DATE: a day (up to and including it, UTC) or a date-time (up "
        "to that moment); not before --since",
    ),
    "cli.help.export": (
        "een rapport: Markdown per planningsvraag, CSV of JSONL; of het logboek van de "
        "motiveringen van beslissingen (--format decisions)",
        "a report: Markdown per planning question, CSV or JSONL; or the statement-of-reasons "
        "log (--format decisions)",
    ),
    "cli.help.export.format": (
        "md: een hoofdstuk per planningsvraag; csv, jsonl: één rij per reactie; decisions: "
        "het logboek van de motiveringen",
        "md: a section per planning question; csv, jsonl: one row per response; decisions: "
        "the statement-of-reasons log",
    ),
    "cli.help.export.output": (
        "schrijf naar BESTAND (standaard, en bij -: stdout)",
        "write to FILE (default, and with -: stdout)",
    ),
    "cli.help.export.as": (
        "bij --format decisions: CSV of JSON Lines (standaard: naar de extensie van "
        "--output; CSV op stdout)",
        "--format decisions: CSV or JSON Lines (default: by --output's extension; CSV on stdout)",
    ),
    "cli.help.export.personal": (
        "laat namen, e-mailadressen, telefoonnummers, adressen, postcodes en rekeningnummers staan",
        "keep names, e-mail addresses, phone numbers, street addresses, postcodes and bank "
        "account numbers",
    ),
    "cli.help.stats": (
        "de cijfers over de dialoog, zoals op het dashboard",
        "the dialogue figures of the dashboard",
    ),
    "cli.help.stats.since": (
        "eerste dag van de periode (JJJJ-MM-DD, UTC)",
        "first day of the period (YYYY-MM-DD, UTC)",
    ),
    "cli.help.stats.until": (
        "laatste dag van de periode (standaard: vandaag)",
        "last day of the period (default: today)",
    ),
    "cli.help.stats.days": (
        "lengte van de periode in dagen, 1 of meer (30; hoogstens twee van --since, "
        "--until, --days)",
        "length of the period in days, 1 or more (30; at most two of --since, --until, --days)",
    ),
    "cli.help.agreement": (
        "overeenstemming tussen codeurs over de dubbel gecodeerde reacties (Krippendorffs "
        "alfa per planningsvraag en voor de rol)",
        "intercoder agreement of the double-coded responses (Krippendorff's alpha per "
        "planning question and for the role)",
    ),
    "cli.help.rules": (
        "probeer de [[rules]] uit de configuratie op de opgeslagen reacties",
        "try the [[rules]] of the config on the stored responses",
    ),
    "cli.help.rules.action": (
        "test: hoeveel opgeslagen reacties elke regel treft",
        "test: how many stored responses each matches",
    ),
    "cli.help.rules.examples": ("voorbeelden per regel (3)", "examples per rule (3)"),
    "cli.help.store": (
        "beheer het geheugen zelf (store copy)",
        "manage the memory itself (store copy)",
    ),
    "cli.help.store.copy": (
        "kopieer het geheugen naar een leeg SQLite-bestand of een lege PostgreSQL-database",
        "copy the memory into an empty SQLite file or PostgreSQL database",
    ),
    "cli.help.store.copy.description": (
        "Kopieer het geheugen (--db, anders [store] url of path) naar een LEEG doel: "
        "reacties, discussies, bronnen met hun cursors, labels, notities, het journaal (met "
        "de nummers, zodat ongedaan maken en de posities van de sinks kloppen), wat klaarstaat "
        "om terug te schrijven, de tabellen van de sinks en het auteursgeheim. Daarna worden "
        "de rijen aan beide kanten per tabel geteld en getoond. Het wachtwoord van een "
        "PostgreSQL-doel komt uit PGPASSWORD of ~/.pgpass, nooit van de opdrachtregel. "
        "Afsluitcode 0: gekopieerd en gelijk geteld; 2: een verkeerd doel (niet leeg, een "
        "wachtwoord in de URL, onbereikbaar).",
        "Copy the memory (--db, else [store] url or path) into an EMPTY target: responses, "
        "threads, sources with their cursors, tags, notes, the journal (with its ids, so "
        "undo and the sinks' positions stay right), the outbox, the sinks' tables and the "
        "author secret. Then the rows are counted table by table on both sides and "
        "printed. A PostgreSQL target's password comes from PGPASSWORD or ~/.pgpass, never "
        "from the command line. Exit 0: copied and counted equal; 2: a bad target (not "
        "empty, a password in the URL, unreachable).",
    ),
    "cli.help.store.copy.to": (
        "het lege doel: postgresql://rol@host/database, of een nieuw SQLite-bestand",
        "the empty target: postgresql://role@host/database, or a new SQLite file",
    ),
    # The argument parser's own words (Python's argparse, whose messages are English): the
    # English of each is one of argparse's message ids, its %-fields as {fields} in the
    # same order (argparse asks its gettext for the id before it fills the fields in;
    # cli.py answers with argparse_text). tests/test_cli_parser.py holds the table to
    # argparse's source: an id a Python adds or rewords fails there. Some ids are only a
    # newer Python's (the version's help, the heading, "subcommands", "maybe you meant").
    "argparse.usage": ("gebruik: ", "usage: "),
    "argparse.positionals": ("argumenten", "positional arguments"),
    "argparse.options": ("opties", "options"),
    "argparse.subcommands": ("subcommando's", "subcommands"),
    "argparse.heading": ("{heading}:", "{heading}:"),
    "argparse.help": ("toon deze hulp en stop", "show this help message and exit"),
    "argparse.version": ("toon het versienummer en stop", "show program's version number and exit"),
    "argparse.argument": (
        "argument {argument_name}: {message}",
        "argument {argument_name}: {message}",
    ),
    "argparse.unrecognized": ("onbekende argumenten: {args}", "unrecognized arguments: {args}"),
    "argparse.required": (
        "deze argumenten ontbreken: {names}",
        "the following arguments are required: {names}",
    ),
    "argparse.one_required": (
        "een van de argumenten {names} is nodig",
        "one of the arguments {names} is required",
    ),
    "argparse.not_allowed": (
        "niet samen met argument {other}",
        "not allowed with argument {other}",
    ),
    "argparse.ignored": (
        "deze optie neemt geen waarde (gegeven: {value})",
        "ignored explicit argument {value}",
    ),
    "argparse.expected_one": ("verwacht één waarde", "expected one argument"),
    "argparse.expected_at_most_one": (
        "verwacht hoogstens één waarde",
        "expected at most one argument",
    ),
    "argparse.expected_at_least_one": (
        "verwacht minstens één waarde",
        "expected at least one argument",
    ),
    "argparse.expected.one": ("verwacht {n} waarde", "expected {n} argument"),
    "argparse.expected": ("verwacht {n} waarden", "expected {n} arguments"),
    "argparse.ambiguous": (
        "dubbelzinnige optie: {option} kan {matches} zijn",
        "ambiguous option: {option} could match {matches}",
    ),
    "argparse.unexpected": ("onverwachte optie: {option}", "unexpected option string: {option}"),
    "argparse.invalid_value": (
        "ongeldige waarde ({type}): {value}",
        "invalid {type} value: {value}",
    ),
    "argparse.invalid_choice": (
        "ongeldige keuze: {value} (kies uit {choices})",
        "invalid choice: {value} (choose from {choices})",
    ),
    "argparse.maybe_meant": (
        "ongeldige keuze: {value}, bedoel je {closest}? (kies uit {choices})",
        "invalid choice: {value}, maybe you meant {closest}? (choose from {choices})",
    ),
    "argparse.unknown_parser": (
        "onbekend subcommando {parser_name} (keuzes: {choices})",
        "unknown parser {parser_name} (choices: {choices})",
    ),
    # Not argparse's ids (ARGPARSE_OWN): the line cli.py's parser ends a mistake with, and
    # what it says of a whole number (type=int) that is none (English: argparse's words).
    "argparse.error": ("{prog}: fout: {message}", "{prog}: error: {message}"),
    "argparse.invalid_int": ("geen geheel getal: {value}", "invalid int value: {value}"),
    "search.cli.empty": (
        "geef een woord of een filter (bijv. parkeren, vraag:1, bron:NAAM)",
        "give a word or a filter (e.g. parkeren, vraag:1, bron:NAME)",
    ),
    "search.cli.shown": ("{n} van {total} treffers getoond", "{n} of {total} hits shown"),
    "search.cli.shown_capped": (
        "{n} van meer dan {total} treffers getoond",
        "{n} of more than {total} hits shown",
    ),
    "search.cli.by_date": (
        "nieuwste eerst (geen zoekwoorden: op datum)",
        "newest first (no search words: sorted by date)",
    ),
    "search.cli.best": ("beste eerst", "best first"),
    "search.cli.refine": (
        "; verfijn de zoekvraag of verhoog --limit ({limit})",
        "; refine the search or raise --limit ({limit})",
    ),
    "secret.pg.none": (
        "{where} bewaart geen auteurgeheim: het komt uit de omgeving ([store] author_secret_env)",
        "{where} keeps no author secret: it comes from the environment ([store] author_secret_env)",
    ),
    "secret.pg.kept": (
        "Het staat in de teamdatabase {where} (tabel meta, die lezers niet kunnen lezen). "
        "Om het daar weg te halen: zet het in een omgevingsvariabele van elke moderator en "
        "van de sync, en noem die variabele in [store] author_secret_env.",
        "It is kept in the team database {where} (table meta, which readers cannot read). "
        "To move it out: put it in an environment variable of every moderator's and the "
        "sync's, and name that variable in [store] author_secret_env.",
    ),
    "secret.file.none": (
        "{where} bewaart geen auteurgeheim ({key_file} bestaat niet): het komt uit de "
        "omgeving ([store] author_secret_env), of dat sleutelbestand is verloren en moet uit "
        "een back-up terug",
        "{where} keeps no author secret ({key_file} does not exist): it comes from the "
        "environment ([store] author_secret_env), or that key file was lost and must be "
        "restored from a backup",
    ),
    "secret.file.kept": (
        "Het staat in {key_file} (modus 0600). Om het uit dat bestand te halen: zet het in "
        "een omgevingsvariabele, noem die variabele in [store] author_secret_env (bijv. "
        '"REACTIEVELD_AUTHOR_SECRET") en start reactieveld één keer; het sleutelbestand '
        "wordt dan verwijderd en het geheugen houdt alleen een controlewaarde.",
        "It is kept in {key_file} (mode 0600). To move it out of that file: put it in an "
        "environment variable, name that variable in [store] author_secret_env (e.g. "
        '"REACTIEVELD_AUTHOR_SECRET"), and start reactieveld once; the key file is then '
        "removed and the memory keeps only a check value.",
    ),
    "copy.col.table": ("tabel", "table"),
    "copy.col.source": ("bron", "source"),
    "copy.col.copied": ("gekopieerd", "copied"),
    "copy.repaired": (
        "{n} teksten bevatten een NUL-teken, dat de tekst van PostgreSQL niet kan bevatten: "
        "gekopieerd met U+FFFD op die plek",
        "{n} texts held a NUL character, which PostgreSQL's text cannot hold: copied with "
        "U+FFFD in its place",
    ),
    "copy.done": (
        "gekopieerd naar {target}: elke tabel heeft evenveel rijen ({n} rijen)",
        "copied into {target}: every table's count equal ({n} rows)",
    ),
    "copy.password_in_url": (
        "{flag}: de URL bevat een wachtwoord; laat het weg en zet het in PGPASSWORD of "
        "~/.pgpass (een opdrachtregel is zichtbaar voor elke gebruiker van deze machine)",
        "{flag}: the URL holds a password; leave it out and put it in PGPASSWORD or "
        "~/.pgpass (a command line is visible to every user of this machine)",
    ),
    # the lines of `reactieveld sources` (cli.py cmd_sources; --json is for scripts)
    "sources.none": ("geen bronnen ingesteld", "no sources configured"),
    "sources.last_sync": ("laatst gesynchroniseerd: {when} UTC", "last sync: {when} UTC"),
    "sources.never": ("nog nooit gesynchroniseerd", "never synced"),
    "sources.error": ("fout: {error}", "error: {error}"),
    "sources.repaired": ("{n} teksten hersteld", "{n} texts repaired"),
    "sources.synced_by": ("gesynchroniseerd door {name}", "synced by {name}"),
    "sources.elsewhere": (
        "gesynchroniseerd door een ander proces",
        "synced by another process",
    ),
    "view.rules": ("§ Regel: {rules}", "§ Rule: {rules}"),
    "rule.state.open": ("open", "open"),
    "rule.in_title": ("in de titel", "in the title"),
    "rule.state.misfire": ("misfire", "misfire"),
    "rule.state.upheld": ("terecht", "upheld"),
    "rule.state.lapsed": (
        "open · tekst gewijzigd, regel past niet meer",
        "open · text changed, the rule no longer matches",
    ),
    "view.reports": (
        "⚑ {n}× gemeld door gebruikers van het platform",
        "⚑ reported {n}× by the platform's users",
    ),
    # the author's whole pile (issue 16)
    "key.author_pile": (
        "Alles van deze auteur markeren (openstaand)",
        "Mark all pending by this author",
    ),
    "pile.marked": (
        "✱ {n} openstaande reacties van {author} gemarkeerd ({sources}): één beslissing "
        "regelt ze allemaal",
        "✱ {n} pending responses by {author} marked ({sources}): one decision settles them all",
    ),
    "pile.marked.one": (
        "✱ 1 openstaande reactie van {author} gemarkeerd ({sources})",
        "✱ 1 pending response by {author} marked ({sources})",
    ),
    "pile.marked.total": (" · {n} gemarkeerd in totaal", " · {n} marked in all"),
    "pile.none": (
        "Geen openstaande reacties van {author}",
        "No pending responses by {author}",
    ),
    "outbox.pending": ("wacht op verzending", "waiting to be sent"),
    "outbox.done": ("verzonden", "sent"),
    "outbox.failed": ("mislukt", "failed"),
    "outbox.conflict": ("conflict: op het platform gewijzigd", "conflict: changed on the platform"),
    "outbox.cancelled": ("geannuleerd", "cancelled"),
    # The heading of a write-back no resend alone mends, by its kind
    # (model_values.FAILURE_KINDS): what stopped it, not "conflict" where nothing changed.
    "outbox.kind.gone": (
        "niet gedaan: de reactie bestaat niet meer op de site",
        "not done: the comment no longer exists on the site",
    ),
    "outbox.kind.refused": (
        "niet gedaan: de site weigert deze status",
        "not done: the site refuses this status",
    ),
    "outbox.kind.review_gone": (
        "niet gedaan: al afgehandeld op het forum",
        "not done: handled on the forum already",
    ),
    "outbox.kind.trashed": (
        "niet gedaan: de reactie ligt in de prullenbak op de site",
        "not done: the comment is in the trash on the site",
    ),
    "outbox.kind.closed": (
        "niet gedaan: reacties gesloten bij het bericht",
        "not done: comments closed on the post",
    ),
    "outbox.kind.queued": (
        "niet gedaan: het bericht wacht nog op goedkeuring",
        "not done: the post still waits for approval",
    ),
    "outbox.kind.not_accepted": (
        "niet gedaan: de site nam het antwoord niet aan",
        "not done: the site did not accept the reply",
    ),
    # header line
    "hdr.ok": ("ok", "ok"),
    # a source's state not yet read (before the app's first check): a mark, no claim
    "hdr.not_read": ("…", "…"),
    "hdr.syncing": ("bezig", "syncing"),
    "hdr.error": ("fout", "error"),
    "hdr.retry": ("opnieuw om {time}", "retry at {time}"),
    # Another process (the team's sync service, a colleague's app) holds the source's
    # lock: its state is the one that process stored, not an error here (issue 13).
    "hdr.elsewhere": ("wordt elders gesynchroniseerd", "synced elsewhere"),
    "hdr.synced_by": ("gesynchroniseerd door {name}", "synced by {name}"),
    "hdr.last": ("laatst {time}", "last {time}"),
    "hdr.never": ("nog nooit", "never yet"),
    # A source the store holds that this app does not sync, no process named for it.
    "hdr.never_synced": ("nog nooit gesynchroniseerd", "never synced"),
    "hdr.outbox": ("uitgaand: {n}", "outbox: {n}"),
    # Write-backs that conflicted or that the platform refused ("!" on their rows) and
    # that can still be written back: not those that never can (model_values.FINAL_KINDS).
    "hdr.conflicts": ("niet teruggeschreven: {n}", "not written back: {n}"),
    "hdr.marked": ("gemarkeerd: {n}", "marked: {n}"),
    "hdr.filter": ("filter: {text}", "filter: {text}"),
    "tabs.filtered": ("gefilterd", "filtered"),
    # a store opened read-only (store helper, issue 10)
    "ro.header": ("ALLEEN-LEZEN", "READ-ONLY"),
    "hdr.unreachable": ("GEDEELD GEHEUGEN ONBEREIKBAAR", "SHARED MEMORY UNREACHABLE"),
    "hdr.unknown": ("onbekend", "unknown"),
    "unreachable.keys": (
        "het gedeelde geheugen is niet bereikbaar: er wordt niets opgeslagen en niets gaat "
        "verloren; probeer het opnieuw als de kop het niet meer meldt",
        "the shared memory cannot be reached: nothing is stored and nothing is lost; try "
        "again when the header no longer says so",
    ),
    "ro.reason": (
        "alleen-lezen: {path} kan niet worden beschreven (bekijken, zoeken en exporteren werken)",
        "read-only: {path} cannot be written (browsing, search and export work)",
    ),
    # A team database on which this login may only read (issue 13, PostgreSQL).
    "conn.store.ro_reader": (
        "alleen-lezen: rol {role} is een lezer ({group}): zoeken, rapporten en dashboard",
        "read-only: role {role} is a reader ({group}): search, reports and dashboard only",
    ),
    "conn.store.ro_asked": (
        "alleen-lezen geopend (bekijken, zoeken en exporteren werken)",
        "opened read-only (browsing, search and export work)",
    ),
    "hdr.no_sources": ("geen bronnen", "no sources"),
    # screens
    "help.title": ("Toetsen", "Keys"),
    "help.key": ("Toets", "Key"),
    "help.action": ("Actie", "Action"),
    "help.disabled": ("nu niet mogelijk", "not possible now"),
    "help.close": ("Sluiten", "Close"),
    "help.page": ("Bladeren", "Page"),
    "help.line": ("Regel", "Line"),
    "help.more": ("▼ meer: pgdn", "▼ more: pgdn"),
    "role.title": ("Rol kiezen", "Choose a role"),
    "role.clear": ("geen rol", "no role"),
    "reply.title": ("Antwoord aan {author}", "Reply to {author}"),
    "reply.hint": (
        "ctrl+s verstuurt · escape: concept bewaren of weggooien",
        "ctrl+s sends · escape: keep or discard as a draft",
    ),
    # A reply to a response the site does not show (WordPress shows approved comments
    # only): the site publishes the reply under a comment its readers cannot see. The
    # editor says so under its title and offers WordPress's "Approve and Reply".
    "reply.unseen": (
        "Deze reactie ({status}) is niet zichtbaar op de site: uw antwoord verschijnt "
        "onder een reactie die lezers niet zien.",
        "This response ({status}) is not shown on the site: your reply appears under a "
        "response readers cannot see.",
    ),
    "reply.hint.approve": (
        "ctrl+s verstuurt · ctrl+g keurt goed en verstuurt · escape: concept bewaren of weggooien",
        "ctrl+s sends · ctrl+g approves and sends · escape: keep or discard as a draft",
    ),
    "reply.approved_queued": (
        "Goedgekeurd; antwoord staat klaar om te versturen",
        "Approved; reply queued for sending",
    ),
    "note.title": ("Notitie bij reactie van {author}", "Note on the response by {author}"),
    "note.hint": (
        "ctrl+s slaat op · escape: concept bewaren of weggooien",
        "ctrl+s saves · escape: keep or discard as a draft",
    ),
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
    "thread.title_newest": (
        "Draad: {title} (de nieuwste {shown} van {n})",
        "Thread: {title} (the newest {shown} of {n})",
    ),
    "thread.title_around": (
        "Draad: {title} ({shown} van {n}, rond deze reactie)",
        "Thread: {title} ({shown} of {n}, around this response)",
    ),
    "thread.untitled": ("(zonder titel)", "(untitled)"),
    # The thread tree's node of the response the thread was opened from.
    "thread.current": ("(geopend)", "(opened)"),
    "export.title": ("Rapport exporteren", "Export a report"),
    "export.format": ("Formaat", "Format"),
    "export.format.md": ("Markdown (per planningsvraag)", "Markdown (per planning question)"),
    "export.format.csv": ("CSV", "CSV"),
    "export.format.jsonl": ("JSON Lines", "JSON Lines"),
    # A format by its name alone (the line on a file name that says another format).
    "export.kind.md": ("Markdown", "Markdown"),
    "export.kind.csv": ("CSV", "CSV"),
    "export.kind.jsonl": ("JSON Lines", "JSON Lines"),
    "export.name_clash": (
        "Een .{ext}-naam bij {kind}: neem .{want} of kies {other}",
        "A .{ext} name for {kind}: use .{want} or choose {other}",
    ),
    "cli.name_clash": (
        "{path}: een .{ext}-naam voor {kind}; noem het {fixed} of geef {flag}",
        "{path}: a .{ext} name for {kind}; name it {fixed} or give {flag}",
    ),
    "cli.name_clash.name": (
        "{path}: een .{ext}-naam voor {kind}; noem het {fixed}",
        "{path}: a .{ext} name for {kind}; name it {fixed}",
    ),
    "export.queue": (
        "Alleen de huidige wachtrij met haar filters",
        "Only the current queue with its filters",
    ),
    "export.personal": (
        "Persoonsgegevens opnemen (namen, e-mail, telefoon, adres, IBAN)",
        "Include personal data (names, e-mail, phone, address, IBAN)",
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
    # what a report holds (reports.formats.Written): the dialog's notice and export's last
    # line, the one wording (a bracket around {what} nested the Markdown count's bracket)
    "export.written": ("{what} geschreven naar {path}", "{what} written to {path}"),
    "export.count.md": (
        "{responses} met een planningsvraag ({quotes} onder {questions})",
        "{responses} with a planning question ({quotes} under {questions})",
    ),
    "export.n.responses": ("{n} reacties", "{n} responses"),
    "export.n.responses.one": ("1 reactie", "1 response"),
    "export.n.quotes": ("{n} citaten", "{n} quotes"),
    "export.n.quotes.one": ("1 citaat", "1 quote"),
    "export.n.questions": ("{n} vragen", "{n} questions"),
    "export.n.questions.one": ("1 vraag", "1 question"),
    "export.n.decisions": ("{n} beslissingen", "{n} decisions"),
    "export.n.decisions.one": ("1 beslissing", "1 decision"),
    "export.failed": ("Rapport mislukt: {error}", "Report failed: {error}"),
    "export.queue_text": ("wachtrij {queue}", "queue {queue}"),
    "export.statuses": ("Alleen met status: {statuses}", "Only with status: {statuses}"),
    "settings.title": ("Instellingen", "Settings"),
    "settings.language": ("Taal", "Language"),
    # notifications
    "note.saved": ("Notitie opgeslagen", "Note saved"),
    "reply.queued": ("Antwoord staat klaar om te versturen", "Reply queued for sending"),
    # Every undo, in its notice and its journal line, says one way what it took back
    # (tui.widgets.response_view.undo_said: "action undone: approved"); a notice starts
    # with a capital ("Action undone: question 3"), the journal line does not.
    "undo.done": ("actie ongedaan gemaakt", "action undone"),
    "undo.what": ("actie ongedaan gemaakt: {what}", "action undone: {what}"),
    "undo.what.n": ("actie ongedaan gemaakt: {what} ({n}×)", "action undone: {what} ({n}×)"),
    "undo.nothing": ("niets om ongedaan te maken", "nothing to undo"),
    "search.missing": ("Zoeken is nog niet beschikbaar", "Search is not available yet"),
    "dashboard.missing": (
        "Het dashboard is nog niet beschikbaar",
        "The dashboard is not available yet",
    ),
    "acted": ("{n} reacties: {what}", "{n} responses: {what}"),
    "acted.one": ("1 reactie: {what}", "1 response: {what}"),
    "new_arrived": ("{n} nieuwe reacties", "{n} new responses"),
    "new_arrived.one": ("1 nieuwe reactie", "1 new response"),
    "palette.question": ("Vraag {code}: {label}", "Question {code}: {label}"),
    "palette.role": ("Rol: {label}", "Role: {label}"),
    "palette.queue": ("Wachtrij: {label}", "Queue: {label}"),
    "palette.language": ("Taal: {label}", "Language: {label}"),
    # -- the moderator's work and place (issue 11, section 3) --------------------------
    "draft.title": ("Nog niet verstuurd of opgeslagen", "Not sent or saved yet"),
    "draft.keep": (
        "Bewaren als concept voor deze sessie (tot je stopt; komt terug als je deze "
        "reactie weer opent)",
        "Keep as a draft for this session (until you quit; it comes back when you open "
        "this response again)",
    ),
    "draft.discard": ("Weggooien", "Discard"),
    "draft.edit": ("Verder schrijven", "Back to editing"),
    "draft.kept": ("Concept bewaard voor deze sessie", "Draft kept for this session"),
    # where the app keeps its drafts in a file (reactieveld.drafts): beyond the session
    "draft.keep.saved": (
        "Bewaren als concept (komt terug als je deze reactie weer opent, ook na opnieuw starten)",
        "Keep as a draft (it comes back when you open this response again, also after a restart)",
    ),
    "draft.kept.saved": (
        "Concept bewaard (ook na opnieuw starten)",
        "Draft kept (also after a restart)",
    ),
    "live.stopped": (
        "live bijwerken is gestopt ({error}); start de app opnieuw om het weer aan te zetten",
        "live updates stopped ({error}); start the app again to have them back",
    ),
    "drafts.not_saved": (
        "Concepten niet bewaard in {path}: {reason}; ze blijven tot je stopt.",
        "Drafts not kept in {path}: {reason}; they last until you quit.",
    ),
    "drafts.bad": (
        "Concepten niet geladen uit {path}: {what}. Het bestand heet nu {moved} (de tekst "
        "staat er nog in); nieuwe concepten worden weer bewaard.",
        "Drafts not loaded from {path}: {what}. The file is now {moved} (its text is still "
        "in it); new drafts are kept again.",
    ),
    "drafts.bad.stuck": (
        "Concepten niet geladen uit {path}: {what}; het kon niet opzij worden gezet, dus "
        "concepten blijven deze sessie alleen tot je stopt. Verplaats of herstel het.",
        "Drafts not loaded from {path}: {what}; it could not be moved aside, so drafts "
        "last only until you quit this session. Move or repair it.",
    ),
    "drafts.what.json": ("geen leesbare JSON (afgebroken?)", "not readable JSON (cut off?)"),
    "drafts.what.format": (
        "geen conceptenbestand van reactieveld",
        "not a reactieveld drafts file",
    ),
    "drafts.what.entry": (
        "concept {n} is onvolledig of onjuist",
        "draft {n} is incomplete or wrong",
    ),
    "drafts.what.not_file": ("geen gewoon bestand", "not a regular file"),
    "drafts.what.owner": ("van een andere gebruiker", "owned by another user"),
    "drafts.what.others": (
        "leesbaar of schrijfbaar voor anderen (rechten {mode}, moet 0600 zijn)",
        "readable or writable by others (mode {mode}, should be 0600)",
    ),
    "drafts.what.large": ("te groot voor een conceptenbestand", "too large for a drafts file"),
    "drafts.what.unreadable": ("niet te lezen: {reason}", "cannot be read: {reason}"),
    "drafts.busy": (
        "Concepten niet bewaard in {path}: het bestand bleef {seconds} s bezet (een ander "
        "venster?) of de schijf is traag.",
        "Drafts not kept in {path}: the file stayed busy for {seconds} s (another window?) "
        "or the disk is slow.",
    ),
    "drafts.changed_elsewhere": (
        "Een ander venster heeft dit concept intussen veranderd; bewaar je wat je typt, dan "
        "vervangt dat het.",
        "Another window changed this draft meanwhile; keeping what you type replaces it.",
    ),
    "drafts.gone": (
        "{n} concepten horen bij reacties die er niet meer zijn ({authors}): bewaard in {path}",
        "{n} drafts belong to responses that are gone ({authors}): kept in {path}",
    ),
    "drafts.gone.one": (
        "1 concept hoort bij een reactie die er niet meer is ({authors}): bewaard in {path}",
        "1 draft belongs to a response that is gone ({authors}): kept in {path}",
    ),
    "quit.kept": (
        "{n} concepten bewaard; ze komen terug bij de volgende start.",
        "{n} drafts kept; they come back at the next start.",
    ),
    "quit.kept.one": (
        "1 concept bewaard; het komt terug bij de volgende start.",
        "1 draft kept; it comes back at the next start.",
    ),
    "quit.how.kept": (
        "Stoppen doe je met {keys}; je {n} concepten worden bewaard.",
        "To quit, press {keys}; your {n} drafts are kept.",
    ),
    "quit.how.kept.one": (
        "Stoppen doe je met {keys}; je concept wordt bewaard.",
        "To quit, press {keys}; your draft is kept.",
    ),
    "draft.discarded": ("Concept weggegooid", "Draft discarded"),
    # quitting with drafts that cannot be kept (no drafts file): it asks first
    "quit.title": ("Stoppen: {n} concepten gaan verloren", "Quit: {n} drafts will be lost"),
    "quit.title.one": ("Stoppen: 1 concept gaat verloren", "Quit: 1 draft will be lost"),
    "quit.draft.reply": ("Antwoord", "Reply"),
    "quit.draft.note": ("Notitie", "Note"),
    "quit.more": ("… en {n} meer", "… and {n} more"),
    "quit.more.one": ("… en 1 meer", "… and 1 more"),
    "quit.anyway": (
        "Toch stoppen (de concepten gaan verloren)",
        "Quit anyway (the drafts are lost)",
    ),
    "quit.anyway.one": (
        "Toch stoppen (het concept gaat verloren)",
        "Quit anyway (the draft is lost)",
    ),
    "quit.back": ("Terug (de concepten blijven)", "Back (the drafts stay)"),
    "quit.back.one": ("Terug (het concept blijft)", "Back (the draft stays)"),
    "key.quit_anyway": ("Toch stoppen", "Quit anyway"),
    # ctrl+c, which does not quit (it copies in a text box): how to quit instead
    "quit.how.title": ("Stoppen?", "Quit?"),
    "quit.how": ("Stoppen doe je met {keys}.", "To quit, press {keys}."),
    "quit.how.drafts": (
        "Stoppen doe je met {keys}; eerst wordt gevraagd wat er met je {n} concepten moet.",
        "To quit, press {keys}; you are asked about your {n} drafts first.",
    ),
    "quit.how.drafts.one": (
        "Stoppen doe je met {keys}; eerst wordt gevraagd wat er met je concept moet.",
        "To quit, press {keys}; you are asked about your draft first.",
    ),
    "decided": ("{what}: {n}", "{what}: {n}"),
    # A decision on responses of which some (or all) had it already and were handled:
    # nothing changed on those, nothing journalled or written back.
    "decided.already": (
        "{what}: {n}; was het al: {same} (niets veranderd)",
        "{what}: {n}; so already: {same} (nothing changed)",
    ),
    "decided.unchanged": (
        "{what}: was het al, niets veranderd",
        "{what}: so already, nothing changed",
    ),
    "decided.handled": ("Afgehandeld", "Handled"),
    "decided.hidden": ("Verborgen", "Hidden"),
    # a decision sent again keeps the reason it was given (no dialog): which one
    "decided.resent": (
        "{what}: {n} opnieuw verstuurd, met de reden van toen: {reason}",
        "{what}: {n} sent again, with the reason given then: {reason}",
    ),
    # a greyed-out decision key pressed anyway: the platform's reason (issue 16)
    "key.refused": ("Niet gedaan: {why}", "Not done: {why}"),
    "settings.kept": (
        "Wordt bewaard voor de volgende start (--lang of [ui] language in de "
        "configuratie gaat voor).",
        "Kept for the next start (--lang and [ui] language in the configuration come first).",
    ),
    "settings.session": (
        "Alleen voor deze sessie: bij het starten bepaalt {by} de taal.",
        "For this session only: at start {by} sets the language.",
    ),
    "settings.only_now": ("Alleen voor deze sessie.", "For this session only."),
    "settings.not_kept": (
        "Taal niet bewaard in {path}: {reason}",
        "Language not kept in {path}: {reason}",
    ),
    "thread.open": ("Openen in de wachtrij", "Open in the queue"),
    "thread.fold": ("In-/uitklappen", "Fold/unfold"),
    # Readable without colour, usable at 80x24 (issue 11): markers, scroll keys, footer.
    "export.personal_on": (
        "Let op: met persoonsgegevens (namen, e-mail, telefoon, adressen, IBAN's).",
        "Warning: with personal data (names, e-mail, phone, addresses, IBANs).",
    ),
    "export.exists": (
        "Let op: dit bestand bestaat al; nogmaals Overschrijven vervangt het.",
        "Warning: this file exists already; Overwrite again replaces it.",
    ),
    "export.overwrite": ("Overschrijven", "Overwrite"),
    "key.detail_down": ("Reactie verder lezen", "Scroll the response down"),
    "key.detail_up": ("Reactie terug lezen", "Scroll the response up"),
    # the dialogue figures (reactieveld.read.figures, the dashboard, ``reactieveld stats``):
    # a label per figure, and beside it (".def") what it counts.
    "stats.title": ("Waarde van de dialoog", "Value of the dialogue"),
    "stats.range": ("Periode", "Period"),
    "stats.range.def": (
        "kalenderdagen in UTC (00:00 tot 24:00); elk cijfer telt alleen reacties die in de "
        "periode binnenkwamen",
        "calendar days in UTC (00:00 to 24:00); every figure counts only responses that "
        "arrived in the period",
    ),
    "stats.days": ("{n} dagen, UTC", "{n} days, UTC"),
    "stats.days.one": ("1 dag, UTC", "1 day, UTC"),
    "stats.total": ("Reacties", "Responses"),
    "stats.total.def": (
        "binnengekomen in de periode, zonder spam, prullenbak en verwijderde reacties",
        "arrived in the period, without spam, trash and deleted responses",
    ),
    "stats.per_day": ("Reacties per dag per bron", "Responses per day per source"),
    "stats.per_day.def": (
        "dezelfde reacties per UTC-dag en bron; de bronnen tellen op tot Reacties",
        "the same responses per UTC day and source; the sources add up to Responses",
    ),
    "stats.coverage": ("Dekking: planningsvraag × rol", "Coverage: planning question × role"),
    "stats.coverage.def": (
        "reacties per planningsvraag en rol (een reactie met twee vragen telt in beide "
        "rijen); de rij 'alle reacties' telt elke reactie één keer, ook zonder vraag",
        "responses per planning question and role (one with two questions counts in both "
        "rows); the row 'all responses' counts every response once, with or without a question",
    ),
    "stats.role.def": (
        "de rol van een reactie: het gecodeerde rollabel, anders de rol die het platform "
        "(of de demo) meegaf, anders onbekend",
        "a response's role: its coded role tag, else the role the platform (or the demo) "
        "recorded, else unknown",
    ),
    "stats.role.short": (
        "Rol = gecodeerd, anders van het platform, anders onbekend",
        "Role = coded, else from the platform, else unknown",
    ),
    "stats.role": ("Rol", "Role"),
    "stats.gaps": ("Gaten", "Gaps"),
    "stats.per_char": ("1 teken = {n} dagen", "1 character = {n} days"),
    "stats.per_char.one": ("1 teken = 1 dag", "1 character = 1 day"),
    "stats.no_role": ("onbekend", "unknown"),
    "stats.all": ("alle reacties", "all responses"),
    "stats.sum": ("totaal", "total"),
    "stats.zero": ("· = 0", "· = 0"),
    "stats.missing_q": ("Vragen zonder reacties", "Questions without responses"),
    "stats.missing_r": ("Rollen die niet meepraten", "Roles not taking part"),
    "stats.gaps.def": (
        "geen enkele reactie in de periode met die vraag, of met die rol (zie Rol)",
        "not one response in the period with that question, or with that role (see Role)",
    ),
    "stats.backlog": (
        "Nog niet gecodeerd (geen planningsvraag)",
        "Not coded yet (no planning question)",
    ),
    "stats.backlog.def": (
        "reacties in de periode zonder planningsvraag; 'nog niet behandeld': triage nieuw",
        "responses in the period without a planning question; 'untriaged': triage new",
    ),
    "stats.of_which_new": ("waarvan nog niet behandeld", "of which untriaged"),
    "stats.moderation": ("Mediane tijd tot moderatie", "Median time to moderation"),
    "stats.moderation.def": (
        "per reactie in de periode (elke status) de eerste regel in het logboek min de "
        "aankomst; de mediaan over de reacties met zo'n regel",
        "per response in the period (any status) its first journal entry minus its "
        "arrival; the median over the responses with one",
    ),
    "stats.over": ("over", "over"),
    "stats.responses": ("reacties", "responses"),
    "stats.answered": (
        "Reacties van buiten de organisatie met antwoord",
        "Responses from outside the organisation answered",
    ),
    "stats.answered.def": (
        "van buiten = de rol (zie Rol) is geen organisatierol ({org}) of is onbekend; "
        "met antwoord = later in dezelfde draad een getelde reactie met een organisatierol "
        "(ook na de periode)",
        "from outside = the role (see Role) is not an organisation role ({org}) or is "
        "unknown; answered = a later counted response with an organisation role in the "
        "same thread (after the period too)",
    ),
    "stats.answer_time": ("Mediane tijd tot dat antwoord", "Median time to that answer"),
    "stats.answer_time.def": (
        "van aankomst tot het eerste zulke antwoord, de mediaan over de beantwoorde reacties",
        "from arrival to the first such answer, the median over the answered responses",
    ),
    "stats.team": (
        "Per moderator (besluiten / coderingen)",
        "Per moderator (decisions / codings)",
    ),
    "stats.team.def": (
        "regels in het logboek met een tijd in de periode, per moderator (wie ze schreef); "
        "besluiten = status gezet of afgehandeld (ook door een antwoord), "
        "coderingen = vraag aan of uit, rol gezet; "
        "wat later ongedaan is gemaakt en het ongedaan maken zelf tellen niet",
        "journal entries made in the period, per moderator (who wrote them); decisions = "
        "a status set or marked handled (a reply marks it handled), codings = a question on "
        "or off, a role set; "
        "what was undone later and the undo itself do not count",
    ),
    "stats.handover": (
        "Geclaimd door de een, besloten door een ander",
        "Claimed by one moderator, decided by another",
    ),
    "stats.handover.def": (
        "de reacties met een besluit in de periode (elke reactie één keer, naar haar "
        "laatste besluit daar dat niet ongedaan is gemaakt; een besluit over gemarkeerde "
        "reacties telt per reactie) die iemand vóór of in de seconde van dat besluit had "
        "geclaimd (geopend); daarvan het deel dat besloten is door een andere moderator "
        "dan wie de reactie het laatst claimde",
        "the responses decided in the period (each once, by its last decision there that "
        "was not undone; a decision on marked responses counts per response) that someone "
        "had claimed (opened) before or in that decision's second; of those, the share "
        "decided by another moderator than the one who claimed it last",
    ),
    "stats.memory_only": (
        "Besluiten alleen in het geheugen (de site kan ze niet aannemen)",
        "Decisions kept in the memory only (the site cannot take them)",
    ),
    "stats.memory_only.def": (
        "reacties waarvan het nieuwste terugschrijven (een status of een antwoord), in de "
        "periode verstuurd (de tijd van het besluit), mislukte op een manier die opnieuw "
        "versturen nooit verhelpt (de reactie bestaat niet meer op de site, de site weigert "
        "de status, al afgehandeld op het forum); elke reactie één keer; ze tellen niet mee "
        'in "niet teruggeschreven" bovenaan, dat alleen telt wat nog teruggeschreven kan '
        "worden",
        "responses whose newest write-back (a status or a reply), queued in the period (the "
        "decision's time), failed in a way no resend ever mends (the comment no longer "
        "exists on the site, the site refuses the status, handled on the forum already); "
        'each response once; they are not in "not written back" at the top, which counts '
        "only what can still be written back",
    ),
    "stats.rules": (
        "Regels (gevangen / misfire / terecht / open / vervallen)",
        "Rules (caught / misfired / upheld / open / lapsed)",
    ),
    "stats.rules.def": (
        "per regel uit [[rules]]: gevangen = reacties die de regel markeerde met een tijd in "
        "de periode (een bewerkte tekst die weer past telt opnieuw); misfire = daarvan door "
        "een moderator vrijgegeven (goedgekeurd, of afgehandeld terwijl zichtbaar); terecht = "
        "daarvan uit het zicht gehouden (in afwachting, spam, prullenbak, verborgen); open = "
        "nog in de wachtrij Gemarkeerd; vervallen = niet beslist, maar uit die wachtrij omdat "
        "een bewerking de woorden wegnam (de regel past niet meer); het percentage is "
        "misfire / (misfire + terecht)",
        "per rule of [[rules]]: caught = responses the rule flagged at a time in the period "
        "(an edited text that matches again counts again); misfired = of those, released by "
        "a moderator (approved, or marked handled while visible); upheld = of those, kept "
        "from view (on hold, spam, trash, hidden); open = still in the Flagged queue; "
        "lapsed = not decided, but out of that queue as an edit took the words away (the "
        "rule no longer matches); the percentage is misfired / (misfired + upheld)",
    ),
    "stats.none": ("—", "—"),
    "stats.question": ("Vraag", "Question"),
    "stats.questions": ("Vragen", "Questions"),
    "stats.roles": ("Rollen", "Roles"),
    "stats.definitions": ("Wat de cijfers tellen", "What the figures count"),
    "stats.figures": ("Kerncijfers", "Key figures"),
    "stats.loading": ("Bezig met rekenen…", "Computing…"),
    "stats.scroll": (
        "← → schuift de tabel opzij (home/end: begin/eind)",
        "← → scroll the table sideways (home/end: start/end)",
    ),
    "stats.more": ("i: wat de cijfers tellen", "i: what the figures count"),
    "stats.key.refresh": ("Vernieuwen", "Refresh"),
    "stats.key.export": ("Rapport", "Report"),
    "stats.key.back": ("Terug", "Back"),
    "stats.key.definitions": ("Definities", "Definitions"),
    "stats.key.period": ("Periode", "Period"),
    # A period's errors name its three parts by {since}, {until} and {days}: stats' flags
    # (--since), the dashboard dialog's fields ("Vanaf"): read.figures.PeriodNames.
    "stats.err.days": ("{days} moet minstens 1 zijn", "{days} must be at least 1"),
    "stats.err.range": (
        "die periode valt buiten de kalender (jaar 1 tot en met 9999): kies minder dagen of "
        "andere datums",
        "that period runs off the calendar (years 1 to 9999): give fewer days or other dates",
    ),
    "stats.err.order": (
        "{since} {first} ligt na {until} {last}",
        "{since} {first} is after {until} {last}",
    ),
    "stats.err.future": (
        "{since} {first} ligt na vandaag ({today})",
        "{since} {first} is after today ({today})",
    ),
    "stats.err.all_future": (
        "de periode {period} ligt helemaal na vandaag ({today}): er is nog niets binnengekomen",
        "the period {period} lies wholly after today ({today}): nothing has arrived in it yet",
    ),
    "stats.until_today": (
        "tot vandaag: de rest van de periode ligt in de toekomst",
        "until today: the rest of the period lies in the future",
    ),
    "stats.err.three": (
        "geef hoogstens twee van {since}, {until} en {days}",
        "give at most two of {since}, {until} and {days}",
    ),
    "stats.failed": (
        "De cijfers konden niet worden berekend ({error}); r probeert opnieuw",
        "The figures could not be computed ({error}); r tries again",
    ),
    "stats.err.source": (
        "geen bron in het geheugen (bronnen: {sources})",
        "no such source in the memory (sources: {sources})",
    ),
    "stats.err.days_int": (
        "{days} {value}: geen geheel getal",
        "{days} {value}: not a whole number",
    ),
    "period.title": ("Periode van het dashboard", "Period of the dashboard"),
    "period.now": ("Nu: {period}", "Now: {period}"),
    "period.presets": ("Snel kiezen", "Quick choice"),
    "period.preset": ("laatste {n} dagen, tot en met vandaag", "last {n} days, up to today"),
    "period.preset.one": ("vandaag", "today"),
    "period.custom": ("eigen periode (hieronder)", "own period (below)"),
    # The dialog's fields: their names, as the labels show them and the errors name them.
    "period.field.since": ("Vanaf", "Since"),
    "period.field.until": ("Tot en met", "Until"),
    "period.field.days": ("Dagen", "Days"),
    "period.field.named": ('"{field}"', '"{field}"'),
    "period.since": ("{field} (JJJJ-MM-DD, --since)", "{field} (YYYY-MM-DD, --since)"),
    "period.until": ("{field} (JJJJ-MM-DD, --until)", "{field} (YYYY-MM-DD, --until)"),
    "period.days": ("{field} (--days)", "{field} (--days)"),
    # An empty date box's placeholder: the form its label names, in the dialog's language.
    "period.date_form": ("JJJJ-MM-DD", "YYYY-MM-DD"),
    "period.apply": ("Toepassen", "Apply"),
    # {enter}: what enter does where the focus is (period.hint.apply, on Cancel .cancel).
    "period.hint": (
        "Hoogstens twee van de drie, als bij reactieveld stats. enter: {enter} · escape: annuleren",
        "At most two of the three, as for reactieveld stats. enter: {enter} · escape: cancel",
    ),
    "period.hint.apply": ("toepassen", "apply"),
    "period.hint.cancel": ("annuleren", "cancel"),
    "stats.err.date": (
        "{flag} {value}: geen datum (verwacht JJJJ-MM-DD)",
        "{flag} {value}: not a date (expected YYYY-MM-DD)",
    ),
    # intercoder agreement (issue 14: ``reactieveld agreement``, the dashboard)
    "agree.title": (
        "Overeenstemming tussen codeurs (Krippendorffs alfa, nominaal)",
        "Intercoder agreement (Krippendorff's alpha, nominal)",
    ),
    "agree.period": (
        "Reacties: {period} · bronnen: {sources}",
        "Responses: {period} · sources: {sources}",
    ),
    "agree.period.all": ("alle, ongeacht de datum", "all, whatever their date"),
    "agree.period.between": (
        "binnengekomen van {first} tot en met {last} (UTC)",
        "arrived from {first} to {last} inclusive (UTC)",
    ),
    "agree.period.since": (
        "binnengekomen vanaf {first} (UTC)",
        "arrived on or after {first} (UTC)",
    ),
    "agree.period.until": (
        "binnengekomen tot en met {last} (UTC)",
        "arrived up to {last} inclusive (UTC)",
    ),
    "agree.sources.all": ("alle", "all"),
    "agree.counted": (
        "Dubbel gecodeerd: {n} reacties uit de steekproef, spam, prullenbak en verwijderde "
        "meegeteld, elk door twee of meer moderatoren blind gecodeerd (codeurs: {coders})",
        "Double-coded: {n} responses of the sample, spam, trash and deleted ones included, "
        "each coded blind by two moderators or more (coders: {coders})",
    ),
    "agree.counted.one": (
        "Dubbel gecodeerd: 1 reactie uit de steekproef, spam, prullenbak en verwijderde "
        "meegeteld, door twee of meer moderatoren blind gecodeerd (codeurs: {coders})",
        "Double-coded: 1 response of the sample, spam, trash and deleted ones included, "
        "coded blind by two moderators or more (coders: {coders})",
    ),
    "agree.none": (
        "Geen dubbel gecodeerde reacties in deze selectie (de periode, de bronnen). Dubbel "
        "coderen vraagt [coding] double_share (bijvoorbeeld 0.1) en een tweede moderator die "
        "de steekproef codeert in Tweede codering (README: Dubbel coderen).",
        "No double-coded responses in this selection (the period, the sources). Double "
        "coding needs [coding] double_share (for instance 0.1) and a second moderator who "
        "codes the sample in Second coding (README: Double coding).",
    ),
    "agree.col.variable": ("vraag", "question"),
    "agree.col.label": ("planningsvraag", "planning question"),
    "agree.col.alpha": ("alfa", "alpha"),
    "agree.col.percent": ("eens", "agree"),
    "agree.col.n": ("n", "n"),
    "agree.col.verdict": ("oordeel", "verdict"),
    "agree.role": ("rol", "role"),
    "agree.verdict.reliable": ("betrouwbaar", "reliable"),
    "agree.verdict.tentative": ("voorlopig", "tentative"),
    "agree.verdict.not_reliable": ("niet betrouwbaar", "not reliable"),
    "agree.verdict.too_few": ("te weinig", "too few"),
    "agree.verdict.undefined": ("onbepaald", "undefined"),
    "agree.def": (
        "Overeenstemming telt elke dubbel gecodeerde reactie, ook spam, prullenbak en "
        "verwijderde (anders dan Reacties): ze meet het coderen, niet de dialoog. "
        "Per planningsvraag: komt de vraag in de reactie voor of niet (één waarde per "
        "codeur per reactie); rol: de gegeven rol (geen rol gegeven telt als ontbrekend). "
        "alfa: Krippendorffs alfa (nominaal), exact berekend; eens: het deel van de paren "
        "codeurs dat hetzelfde gaf; n: reacties met waarden van twee codeurs of meer. "
        "Oordeel: betrouwbaar bij alfa ≥ 0,800, voorlopig van 0,667 tot 0,800, niet "
        "betrouwbaar daaronder, te weinig bij minder dan {min} reacties; onbepaald (alfa —) "
        "als bij genoeg reacties alle codeurs overal dezelfde waarde gaven: dan valt er "
        "niets te meten.",
        "Agreement counts every double-coded response, spam, trash and deleted ones "
        "included (unlike Responses): it measures the coding, not the dialogue. "
        "Per planning question: whether the question occurs in the response or not (one "
        "value per coder per response); role: the role given (no role given counts as "
        "missing). alpha: Krippendorff's alpha (nominal), computed exactly; agree: the "
        "share of pairs of coders that gave the same value; n: responses with values from "
        "two coders or more. Verdict: reliable at alpha >= 0.800, tentative from 0.667 to "
        "0.800, not reliable below, too few under {min} responses; undefined (alpha —) "
        "when, with enough responses, every coder gave the same value everywhere: there is "
        "nothing to measure.",
    ),
    # The hour's unit in a duration (``2 d 3 u`` / ``2 d 3 h``).
    "stats.hour": ("u", "h"),
    # the command palette (help texts are markup to the palette: no square brackets)
    "palette.search": ("Zoek een opdracht…", "Search for commands…"),
    "palette.theme": ("Thema", "Theme"),
    "palette.theme.help": (
        "Een ander kleurenschema voor deze sessie (blijvend: theme in de configuratie)",
        "Another colour scheme for this session (to keep it: theme in the configuration)",
    ),
    "palette.themes": ("Zoek een thema…", "Search for themes…"),
    "palette.screenshot": ("Schermafdruk", "Screenshot"),
    "palette.screenshot.help": (
        "Het scherm als SVG-bestand in de huidige map",
        "The screen as an SVG file in the current directory",
    ),
    "palette.screenshot.saved": ("Schermafdruk opgeslagen: {path}", "Screenshot saved: {path}"),
    "palette.screenshot.failed": (
        "Schermafdruk niet opgeslagen: {error}",
        "Screenshot not saved: {error}",
    ),
    # the search screen and the author's history
    "search.title": ("Zoeken in het geheugen", "Search the memory"),
    # The box's placeholder is one line, cut where the box ends (at 60 columns the filter
    # words lost "tot:"): it stays short, the words are in the hint, which wraps.
    "search.placeholder": ("woorden, woord*, filters", "words, word*, filters"),
    "search.hint": (
        "Typ om te zoeken: woorden, woord* · bron: vraag: rol: status: sinds: tot: · "
        "enter: naar de lijst · enter op een treffer: openen · "
        "h: eerdere reacties van de auteur",
        "Type to search: words, word* · source: question: role: status: since: until: · "
        "enter: to the list · enter on a hit: open · h: earlier responses by the author",
    ),
    "search.hits": ("{n} treffers", "{n} hits"),
    "search.hits.one": ("1 treffer", "1 hit"),
    "search.hits_max": ("{n}+ treffers", "{n}+ hits"),
    "search.shown": (
        "{n} van {total} getoond; verfijn je zoekvraag",
        "{n} of {total} shown; refine your search",
    ),
    "search.shown_capped": (
        "{n} van meer dan {total} getoond; verfijn je zoekvraag",
        "{n} of more than {total} shown; refine your search",
    ),
    "search.newest": ("nieuwste eerst (veelvoorkomend woord)", "newest first (a common word)"),
    "search.by_date": (
        "nieuwste eerst (zonder zoekwoord gesorteerd op datum)",
        "newest first (no search word: sorted by date)",
    ),
    "search.none": ("Geen treffers", "No hits"),
    # a filter's key as the status line names it (each one the search box takes)
    "search.filter.sources": ("bron", "source"),
    "search.filter.questions": ("vraag", "question"),
    "search.filter.roles": ("rol", "role"),
    "search.filter.statuses": ("status", "status"),
    "search.filter.since": ("sinds", "since"),
    "search.filter.until": ("tot", "until"),
    "search.problem": ("Niet begrepen: {what}", "Not understood: {what}"),
    "search.history": ("Eerdere reacties van {author}: {n}", "Earlier responses by {author}: {n}"),
    "search.history_newest": (
        "Eerdere reacties van {author}: de nieuwste {shown} van {n}",
        "Earlier responses by {author}: the newest {shown} of {n}",
    ),
    # An author with nothing else: the count in words (it read "...: 0" over an empty box).
    "search.history_none": (
        "Eerdere reacties van {author}: geen; er staat niets anders van deze auteur in het "
        "geheugen",
        "Earlier responses by {author}: none; the memory holds nothing else by this author",
    ),
    "search.history_none_hint": (
        "niets om te openen · escape: terug",
        "nothing to open · escape: back",
    ),
    "search.history_loading": (
        "Eerdere reacties van {author}…",
        "Earlier responses by {author}…",
    ),
    "search.history_hint": (
        "enter: openen in de wachtrij · escape: terug",
        "enter: open in the queue · escape: back",
    ),
    "search.not_found": (
        "Deze reactie staat niet (meer) in de wachtrij",
        "Not in the queue (any more)",
    ),
    "search.key.open": ("Openen", "Open"),
    "search.key.history": ("Auteur", "Author"),
    "search.key.back": ("Terug", "Back"),
    "search.key.input": ("Zoekvak", "Search box"),
    # a filter that names nothing (search screen and export); ``{what}``: as typed
    "search.problem.question": (
        "{what}: die planningsvraag staat niet in het codeboek; vragen: {allowed}",
        "{what}: no such planning question in the codebook; questions: {allowed}",
    ),
    "search.problem.role": (
        "{what}: die rol staat niet in het codeboek; rollen: {allowed}",
        "{what}: no such role in the codebook; roles: {allowed}",
    ),
    "search.problem.status": (
        "{what}: geen status; statussen: {allowed}",
        "{what}: not a status; statuses: {allowed}",
    ),
    "search.problem.source": (
        "{what}: die bron staat niet in het geheugen; bronnen: {allowed}",
        "{what}: no such source in the memory; sources: {allowed}",
    ),
    "search.problem.exclude": (
        "{what}: een woord weglaten met - kan niet (elk woord moet voorkomen); zoek zonder "
        "het woord, of schrijf het zonder -",
        "{what}: no search leaves a word out with - (every word must occur); search "
        "without the word, or write it without the -",
    ),
    "search.problem.dash_first": (
        "{what}: een zoekvraag die met - begint heeft -- ervoor nodig: reactieveld search "
        "-- {what} (aanhalingstekens helpen niet: de shell haalt ze weg)",
        "{what}: a search that starts with - needs -- before it: reactieveld search -- "
        "{what} (quotes do not help: the shell takes them away)",
    ),
    "search.problem.range": (
        "{what}: die dag valt buiten de kalender (jaar 1 tot en met 9999); kies een andere",
        "{what}: that day runs off the calendar (years 1 to 9999); give another",
    ),
    "search.problem.date": (
        "{what}: geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of een tijdstip, "
        "bijvoorbeeld 2026-03-01T14:30",
        "{what}: not a date; write YYYY-MM-DD, e.g. 2026-03-01, or a date-time, e.g. "
        "2026-03-01T14:30",
    ),
    "search.problem.order": (
        "{what}: het begin ligt na het einde; draai ze om of kies andere datums",
        "{what}: the start is after the end; swap them or give other dates",
    ),
    "search.problem.no_sources": ("(nog geen)", "(none yet)"),
    # a filter typed without its value (``vraag:``, ``sinds: ``); ``{what}``: the key as
    # typed with its colon, ``{example}``: the key with a value it takes
    "search.problem.empty.question": (
        "{what} zonder waarde; typ het nummer of de code van een planningsvraag, "
        "bijvoorbeeld {example}; vragen: {allowed}",
        "{what} without a value; type a planning question's number or code, e.g. "
        "{example}; questions: {allowed}",
    ),
    "search.problem.empty.role": (
        "{what} zonder waarde; typ een rol, bijvoorbeeld {example}; rollen: {allowed}",
        "{what} without a value; type a role, e.g. {example}; roles: {allowed}",
    ),
    "search.problem.empty.status": (
        "{what} zonder waarde; typ een status, bijvoorbeeld {example}; statussen: {allowed}",
        "{what} without a value; type a status, e.g. {example}; statuses: {allowed}",
    ),
    "search.problem.empty.source": (
        "{what} zonder waarde; typ de naam van een bron; bronnen: {allowed}",
        "{what} without a value; type a source's name; sources: {allowed}",
    ),
    "search.problem.empty.date": (
        "{what} zonder waarde; typ een datum JJJJ-MM-DD, bijvoorbeeld {example}",
        "{what} without a value; type a date YYYY-MM-DD, e.g. {example}",
    ),
    # the Markdown report
    "report.md.title": ("Reacties per planningsvraag", "Responses per planning question"),
    "report.md.made": ("Gemaakt op", "Made on"),
    "report.md.codebook": ("Codeboek", "Codebook"),
    "report.md.filters": ("Filters", "Filters"),
    "report.md.none": ("geen", "none"),
    "report.md.status": ("Status", "Status"),
    "report.md.personal": ("Persoonsgegevens", "Personal data"),
    "report.md.redacted": (
        "verwijderd (e-mail, telefoon, adres, postcode, rekeningnummer; namen als initialen)",
        "removed (e-mail, phone, address, postcode, bank account; names as initials)",
    ),
    "report.md.included": (
        "opgenomen (--include-personal-data)",
        "included (--include-personal-data)",
    ),
    "report.md.responses": ("reacties", "responses"),
    "report.md.response": ("reactie", "response"),
    "report.md.no_responses": ("Geen reacties bij deze vraag.", "No responses for this question."),
    "report.md.per_role": ("Per rol", "Per role"),
    "report.md.role_filter": (
        "--role kiest op het gecodeerde rollabel",
        "--role selects by the coded role tag",
    ),
    "report.md.question": ("Vraag", "Question"),
    "report.md.period.all": (
        "alles (elke reactie in het geheugen)",
        "all (every response in the memory)",
    ),
    "report.md.total.def": (
        "binnengekomen in de periode, met de status en de filters hierboven",
        "arrived in the period, with the status and the filters above",
    ),
    "report.md.per_question": (
        "Per vraag: de reacties met die planningsvraag, per rol (een reactie met twee "
        "vragen staat onder beide), zoals de dekking op het dashboard",
        "Per question: the responses with that planning question, per role (one with two "
        "questions stands under both), as the dashboard's coverage",
    ),
    "report.md.agreement": (
        "Overeenstemming tussen codeurs (Krippendorffs alfa over {n} dubbel gecodeerde "
        "reacties; zie reactieveld agreement)",
        "Intercoder agreement (Krippendorff's alpha over {n} double-coded responses; see "
        "reactieveld agreement)",
    ),
    "report.md.agreement.one": (
        "Overeenstemming tussen codeurs (Krippendorffs alfa over 1 dubbel gecodeerde "
        "reactie; zie reactieveld agreement)",
        "Intercoder agreement (Krippendorff's alpha over 1 double-coded response; see "
        "reactieveld agreement)",
    ),
    "report.md.agreement.item": ("{what} {alpha} ({verdict})", "{what} {alpha} ({verdict})"),
    "report.md.untagged": (
        "reacties zonder planningsvraag vallen buiten dit rapport.",
        "responses without a planning question are not in this report.",
    ),
    "report.md.versions": ("Tags gemaakt met codeboekversies", "Tags made with codebook versions"),
    "report.md.versions.one": (
        "Tags gemaakt met codeboekversie",
        "Tags made with codebook version",
    ),
    # The report's statuses (English: the status's own value, as the filters write it).
    "report.md.status.approved": ("goedgekeurd", "approved"),
    "report.md.status.hold": ("in afwachting", "hold"),
    "report.md.status.spam": ("spam", "spam"),
    "report.md.status.trash": ("prullenbak", "trash"),
    "report.md.status.hidden": ("verborgen", "hidden"),
    "report.md.status.deleted": ("verwijderd", "deleted"),
    # claims and conflicts (several moderators on one memory)
    "claim.busy": ("bezig: {name}", "busy: {name}"),
    # a queue row whose response has a reply or note kept as a draft (first in its text)
    "row.draft": ("concept", "draft"),
    "claim.view": (
        "bezig: {name} heeft deze reactie open (tot {until})",
        "busy: {name} has this response open (until {until})",
    ),
    # A refused action: how many rows were changed after the moderator saw them, and
    # who changed them, each with how many ({who}: "anna (1), bert (2) en blog op de
    # site (1)", from conflict.who_site, kept.someone and conflict.and).
    "conflict.changed": (
        "Niets gedaan: {n} reacties intussen gewijzigd door {who}; bekijk ze opnieuw",
        "Nothing done: {n} responses changed after you saw them, by {who}; look again",
    ),
    "conflict.changed.one": (
        "Niets gedaan: 1 reactie intussen gewijzigd door {who}; bekijk die opnieuw",
        "Nothing done: 1 response changed after you saw it, by {who}; look again",
    ),
    "conflict.someone": (
        "Niets gedaan: {n} reacties gewijzigd nadat u ze zag; bekijk ze opnieuw",
        "Nothing done: {n} responses changed after you saw them; look again",
    ),
    "conflict.someone.one": (
        "Niets gedaan: 1 reactie gewijzigd nadat u die zag; bekijk die opnieuw",
        "Nothing done: 1 response changed after you saw it; look again",
    ),
    # ... changed by the platform itself (a sync saw it; no moderator's journal entry)
    "conflict.who_site": ("{source} op de site ({n})", "{source} on the site ({n})"),
    # the last two of the list of who changed them
    "conflict.and": (" en ", " and "),
    # after a refused action: marked rows that left this list lose their mark
    "conflict.unmarked": (
        "{n} markeringen weggehaald: die reacties staan niet meer in deze lijst",
        "{n} marks removed: those responses are no longer in this list",
    ),
    "conflict.unmarked.one": (
        "1 markering weggehaald: die reactie staat niet meer in deze lijst",
        "1 mark removed: that response is no longer in this list",
    ),
    # the response under the cursor left the list by another's change: kept in place
    "kept.notice": (
        "{name} wijzigde de reactie die u open hebt ({what}); die staat niet meer in deze"
        " lijst en blijft tot u verder gaat",
        "{name} changed the response you have open ({what}); it is no longer in this list"
        " and stays until you move on",
    ),
    "kept.row": ("{name}: {what}", "{name}: {what}"),
    "kept.someone": ("iemand", "someone"),
    "kept.changed": ("gewijzigd", "changed"),
    # ... by the platform itself (a sync saw it; no moderator's journal entry): the source
    "kept.site": ("{source}: op de site gewijzigd", "{source}: changed on the site"),
    "kept.site_short": ("op de site", "on the site"),
    "kept.site_notice": (
        "{source}: de reactie die u open hebt is op de site gewijzigd; die staat niet meer"
        " in deze lijst en blijft tot u verder gaat",
        "{source}: the response you have open was changed on the site; it is no longer in"
        " this list and stays until you move on",
    ),
    # what redaction puts in place of personal data
    "redact.email": ("[e-mail]", "[e-mail]"),
    "redact.phone": ("[telefoonnummer]", "[phone number]"),
    "redact.address": ("[adres]", "[address]"),
    "redact.account": ("[rekeningnummer]", "[account number]"),
    # A value of a link that is only personal data (``?email=...``, ``/user/anne/``).
    "redact.person": ("[persoon]", "[person]"),
    # A platform's errors (connectors/): made and stored in English (stable for scripts and
    # for the other processes that read the memory), shown in the reader's language by
    # in_language, which reads a stored text back through these templates. {error},
    # {hint} and {reason} hold another such text; the other fields (a URL, a server's
    # words, numbers) are kept as they are.
    "conn.in": ("{where}: {error}", "{where}: {error}"),
    # A team's PostgreSQL server away (store/pg/base.py), read back in the sync's lines.
    "conn.pg.unreachable": (
        "de server is niet bereikbaar ({reason}): draait hij, en klopt [store] url?",
        "cannot reach the server ({reason}): is it running, and is [store] url right?",
    ),
    "conn.pg.lost": (
        "de verbinding met de server is verbroken ({reason}); probeer het opnieuw als de "
        "server terug is",
        "the connection to the server was lost ({reason}); try again when the server is back",
    ),
    # --- the configuration's mistakes (config.py, store/urls.py) and the lines that say
    # them: a ConfigError holds a Said of these (i18n.Said) and is shown in the reader's
    # language (ConfigError.said); str() is the English, which scripts may match. Fields
    # named {expected} and {got} hold another config.expect.*/config.type.* text.
    "config.in": ("{where}: {said}", "{where}: {said}"),
    "config.file.absent": ("het configuratiebestand bestaat niet", "config file does not exist"),
    "config.file.absent_named": (
        "het configuratiebestand bestaat niet (genoemd door {origin})",
        "config file does not exist (named by {origin})",
    ),
    "config.file.dir_named": (
        "het configuratiebestand is een map (genoemd door {origin})",
        "config file is a directory (named by {origin})",
    ),
    "config.xdg.relative": (
        "{name}={value} is geen absoluut pad en is genegeerd (zoals de XDG-specificatie "
        "zegt); gebruikt: {used}",
        "{name}={value} is not an absolute path and was ignored (as the XDG spec says); "
        "used: {used}",
    ),
    "config.file.default_dir": (
        "het configuratiebestand is een map (op de standaardplek); maak er een bestand van, "
        "of verwijder de map om met de standaardinstellingen te werken",
        "config file is a directory (the default place); make it a file, or remove it to "
        "run on the defaults",
    ),
    "config.file.default_link": (
        "het configuratiebestand is een link naar niets (op de standaardplek); maak er een "
        "bestand van, of verwijder de link om met de standaardinstellingen te werken",
        "config file is a link to nothing (the default place); make it a file, or remove "
        "it to run on the defaults",
    ),
    "config.file.not_utf8": (
        "geen UTF-8-tekst ({reason}); sla het op als UTF-8 (in de editor: Opslaan als, codering "
        "UTF-8)",
        "not UTF-8 text ({reason}); save it as UTF-8 (in the editor: Save as, encoding UTF-8)",
    ),
    "config.file.unreadable": (
        "kan het configuratiebestand niet lezen: {reason}",
        "cannot read the config file: {reason}",
    ),
    # {message}: tomllib's own words, quoted, then what to do in the reader's language.
    # Its words are said in the reader's language where the table has them (config.toml.
    # says.*: each English text is tomllib's own, word for word; CPython's
    # Lib/tomllib/_parser.py, suffixed_err); a form it does not know stays as tomllib said.
    "config.toml": (
        'TOML-syntaxfout: "{message}"; verbeter het bestand',
        'TOML syntax error: "{message}"; fix the file',
    ),
    "config.toml.says.statement": ("ongeldige regel", "Invalid statement"),
    "config.toml.says.newline": (
        "verwacht een nieuwe regel of het eind van het bestand na een regel",
        "Expected newline or end of document after a statement",
    ),
    "config.toml.says.overwrite": ("kan een waarde niet overschrijven", "Cannot overwrite a value"),
    "config.toml.says.table_end": (
        "verwacht ']' aan het eind van een tabelkop",
        "Expected ']' at the end of a table declaration",
    ),
    "config.toml.says.array_end": (
        "verwacht ']]' aan het eind van een arraykop",
        "Expected ']]' at the end of an array declaration",
    ),
    "config.toml.says.equals": (
        "verwacht '=' na een sleutel in een sleutel-waardepaar",
        "Expected '=' after a key in a key/value pair",
    ),
    "config.toml.says.key_start": (
        "ongeldig eerste teken van een deel van een sleutel",
        "Invalid initial character for a key part",
    ),
    "config.toml.says.array_open": ("array niet afgesloten", "Unclosed array"),
    "config.toml.says.inline_open": ("inline-tabel niet afgesloten", "Unclosed inline table"),
    "config.toml.says.backslash": (
        "'\\' zonder escape in een tekst",
        "Unescaped '\\' in a string",
    ),
    "config.toml.says.hex": ("ongeldige hexadecimale waarde", "Invalid hex value"),
    "config.toml.says.scalar": (
        "escape-teken is geen Unicode-scalarwaarde",
        "Escaped character is not a Unicode scalar value",
    ),
    "config.toml.says.string_open": ("tekst niet afgesloten", "Unterminated string"),
    "config.toml.says.date": ("ongeldige datum of datum-tijd", "Invalid date or datetime"),
    "config.toml.says.value": ("ongeldige waarde", "Invalid value"),
    "config.toml.says.expected": ("verwacht {expected}", "Expected {expected}"),
    "config.toml.says.found": (
        "ongeldig teken {char} gevonden",
        "Found invalid character {char}",
    ),
    "config.toml.says.twice": (
        "kan {key} niet twee keer declareren",
        "Cannot declare {key} twice",
    ),
    "config.toml.says.immutable": (
        "kan de onveranderlijke naamruimte {key} niet wijzigen",
        "Cannot mutate immutable namespace {key}",
    ),
    "config.toml.says.redefine": (
        "kan naamruimte {key} niet opnieuw definiëren",
        "Cannot redefine namespace {key}",
    ),
    "config.toml.says.duplicate": (
        "dubbele sleutel {key} in een inline-tabel",
        "Duplicate inline table key {key}",
    ),
    "config.toml.says.illegal": ("ongeldig teken {char}", "Illegal character {char}"),
    "config.toml.column": (
        'TOML-syntaxfout: "{message}" (kolom {column}); verbeter het bestand op die regel',
        'TOML syntax error: "{message}" (column {column}); fix the file at that line',
    ),
    "config.toml.end": (
        'TOML-syntaxfout: "{message}" (aan het eind van het bestand); maak het bestand af '
        "(sluit wat open staat)",
        'TOML syntax error: "{message}" (at the end of the file); finish the file (close '
        "what is left open)",
    ),
    "config.env.unset": (
        "{where}: omgevingsvariabele {variable} ({setting}) is niet gezet of leeg",
        "{where}: environment variable {variable} ({setting}) is not set or empty",
    ),
    "config.env.unset.store": (
        "{where}: omgevingsvariabele {variable} ({setting}) is niet gezet of leeg: zet hem "
        "voordat je reactieveld start",
        "{where}: environment variable {variable} ({setting}) is not set or empty: set it "
        "before starting reactieveld",
    ),
    "config.env.unset.store_password": (
        "{where}: omgevingsvariabele {variable} ({setting}) is niet gezet of leeg: zet hem "
        "voordat je reactieveld start (of haal password_env weg: dan PGPASSWORD of ~/.pgpass)",
        "{where}: environment variable {variable} ({setting}) is not set or empty: set it "
        "before starting reactieveld (or remove password_env: then PGPASSWORD or ~/.pgpass)",
    ),
    "config.sink.webhook": ("webhook-koppeling {url}", "webhook sink {url}"),
    "config.secret.none": (
        'bron "{name}": er is geen {setting}_env ingesteld',
        'source "{name}": no {setting}_env is configured',
    ),
    "config.plain_http": (
        'sleutel "url": onversleuteld http:// naar {host}, dat niet deze computer is: '
        "inloggegevens en persoonsgegevens zouden onversleuteld over het netwerk gaan; "
        "gebruik https:// of zet allow_http = true",
        'key "url": plain http:// to {host}, which is not this machine: credentials and '
        "personal data would cross the network unencrypted; use https:// or set "
        "allow_http = true",
    ),
    "config.the_file": ("het bestand", "the file"),
    "config.not_table": (
        "{what} moet een tabel zijn, niet {got}",
        "{what} must be a table, not {got}",
    ),
    "config.not_tables": (
        '"{name}" moet een lijst van tabellen zijn ([[{name}]]), niet {got}',
        '"{name}" must be an array of tables ([[{name}]]), not {got}',
    ),
    "config.missing": (
        'sleutel "{setting}" ontbreekt; verwacht: {expected}',
        'key "{setting}" is missing; expected {expected}',
    ),
    "config.wrong": (
        'sleutel "{setting}": verwacht {expected}, maar kreeg {got}',
        'key "{setting}": expected {expected}, got {got}',
    ),
    "config.unknown": (
        'sleutel "{setting}" is onbekend; verwacht een van: {keys}',
        'key "{setting}" is not known; expected one of: {keys}',
    ),
    "config.secret_key": (
        'sleutel "{setting}" lijkt een geheim, en dat staat nooit in de configuratie; zet het in '
        "een omgevingsvariabele en noem die variabele met {hint}{also}",
        'key "{setting}" looks like a secret, which is never written in the config; put it in '
        "an environment variable and name that variable with {hint}{also}",
    ),
    "config.secret_key.env": ('{setting}_env = "NAAM"', '{setting}_env = "NAME"'),
    "config.secret_key.any": ("een *_env-sleutel", "a *_env key"),
    "config.secret_key.allowed": (" (hier toegestaan: {keys})", " (allowed here: {keys})"),
    "config.needs": (
        'sleutel "{given}" heeft ook "{missing}" nodig',
        'key "{given}" needs "{missing}" as well',
    ),
    "config.name_used.source": (
        'bronnaam "{name}" wordt al gebruikt door #{number}',
        'source name "{name}" is already used by #{number}',
    ),
    "config.name_used.rule": (
        'regelnaam "{name}" wordt al gebruikt door #{number}',
        'rule name "{name}" is already used by #{number}',
    ),
    "config.keys.action": (
        '"{action}" is geen naam van een actie',
        '"{action}" is not an action name',
    ),
    "config.keys.binding": (
        'sleutel "{action}": verwacht een niet-lege tekst met toetsnamen (zoals "A" of '
        '"ctrl+a,A"), maar kreeg {got}',
        'key "{action}": expected a non-empty string of key names (like "A" or '
        '"ctrl+a,A"), got {got}',
    ),
    "config.codebook.replace.questions": (
        'sleutel "mode": "replace" zonder [[codebook.questions]] laat geen vragen over om '
        'te coderen; voeg ze toe, of geef mode = "extend" om de standaardvragen te houden',
        'key "mode": "replace" without [[codebook.questions]] leaves no questions to code; '
        'add them, or give mode = "extend" to keep the default ones',
    ),
    "config.codebook.replace.roles": (
        'sleutel "mode": "replace" zonder [[codebook.roles]] laat geen rollen over om te '
        'coderen; voeg ze toe, of geef mode = "extend" om de standaardrollen te houden',
        'key "mode": "replace" without [[codebook.roles]] leaves no roles to code; add '
        'them, or give mode = "extend" to keep the default ones',
    ),
    "config.codebook.version": (
        'versie "{version}" hoort bij het standaardcodeboek; geef dit codeboek een eigen '
        "versie (of laat hem weg)",
        'version "{version}" belongs to the default codebook; give this codebook a version '
        "of its own (or leave it out)",
    ),
    "config.code.defined": ('code "{code}" bestaat al', 'code "{code}" is already defined'),
    "config.code.key_used.question": (
        'toets "{setting}" wordt al gebruikt door vraag "{other}"',
        'key "{setting}" is already used by question "{other}"',
    ),
    # a role's key is read by the role picker as the one character a key press types
    "config.code.role_key": (
        'sleutel "key": verwacht één teken (de rolkiezer leest één toetsaanslag, zoals '
        '"j" of "J"), maar kreeg "{setting}"',
        'key "key": expected one character (the role picker reads one key press, like "j" '
        'or "J"), got "{setting}"',
    ),
    "config.code.key_used.role": (
        'toets "{setting}" wordt al gebruikt door rol "{other}"',
        'key "{setting}" is already used by role "{other}"',
    ),
    "config.code.name_clash": (
        'sleutel "{key}": "{value}" is voor het rolfilter van zoeken (rol:, hoofdletters en '
        'accenten tellen niet) hetzelfde als "{other_value}" (sleutel "{other_key}" van rol '
        '"{other}"); geef een van beide een andere',
        'key "{key}": "{value}" is to search\'s role filter (rol:, any case, accents aside) '
        'the same as "{other_value}" (key "{other_key}" of role "{other}"); give one of the '
        "two another",
    ),
    "config.store.both": (
        "zet path (een SQLite-bestand) of url (PostgreSQL), niet allebei",
        "set path (a SQLite file) or url (PostgreSQL), not both",
    ),
    "config.store.password_env": (
        "password_env hoort bij url (PostgreSQL)",
        "password_env is for url (PostgreSQL)",
    ),
    "config.reasons.empty": (
        "choices is leeg; geef minstens één reden",
        "choices is empty; give at least one reason",
    ),
    "config.reasons.many": (
        "{count} keuzes; hoogstens {most} (elk een eigen toets, op één scherm)",
        "{count} choices; at most {most} (one key each, on one screen)",
    ),
    "config.reasons.used": (
        '{field} "{value}" wordt al gebruikt door "{other}"; geef elke reden een eigen {field}',
        '{field} "{value}" is already used by "{other}"; give each reason its own',
    ),
    "config.url": (
        "{flag}: verwacht {expected}, maar kreeg {got}",
        "{flag}: expected {expected}, got {got}",
    ),
    # what a value was (config.type.*) and what a key expected (config.expect.*)
    "config.type.bool": ("een booleaanse waarde", "a boolean"),
    "config.type.int": ("een geheel getal", "an integer"),
    "config.type.float": ("een kommagetal", "a float"),
    "config.type.str": ("een tekst", "a string"),
    "config.type.list": ("een lijst", "an array"),
    "config.type.dict": ("een tabel", "a table"),
    "config.type.date": ("een datum/tijd", "a date/time"),
    "config.got.empty_text": ("een lege tekst", "an empty string"),
    "config.got.empty_list": ("een lege lijst", "an empty list"),
    "config.got.bad_word": (
        "een lijst met een leeg woord of een woord dat geen tekst is",
        "a list with an empty or non-string word",
    ),
    "config.got.twice": ("een beslissing twee keer", "a decision twice"),
    "config.got.url_no_scheme": (
        "een waarde zonder http:// of https://",
        "a value without http:// or https://",
    ),
    "config.got.url_space": ("een host met een spatie", "a host with a space"),
    "config.expect.value": ("een waarde", "a value"),
    "config.expect.text": ("een niet-lege tekst", "a non-empty string"),
    "config.expect.env_name": (
        'de naam van een omgevingsvariabele, zoals "WP_APP_PASSWORD"',
        'the name of an environment variable, like "WP_APP_PASSWORD"',
    ),
    # {schemes}: "http(s)", a name not a plural (test_i18n_plurals)
    "config.expect.http_url": (
        'een {schemes}-URL, zoals "https://example.org"',
        'an {schemes} URL, like "https://example.org"',
    ),
    "config.expect.spaces": (
        "een lijst van soorten ruimtes, een of meer van: {types}",
        "a list of space types, some of: {types}",
    ),
    "config.expect.seconds": (
        "een aantal seconden groter dan 0",
        "a number of seconds greater than 0",
    ),
    "config.expect.seconds_or_never": (
        "een aantal seconden, 0 voor nooit",
        "a number of seconds, 0 for never",
    ),
    "config.expect.count": ("een geheel getal van 0 of meer", "an integer of 0 or more"),
    "config.expect.boolean": ("true of false", "true or false"),
    "config.expect.date": (
        "een datum zoals 2026-12-04 (of een datum en tijd)",
        "a date like 2026-12-04 (or a date and time)",
    ),
    "config.expect.moderator": (
        'een naam van 1 tot {most} afdrukbare tekens, zoals "anna"',
        'a name of 1 to {most} printable characters, like "anna"',
    ),
    "config.expect.choice": ("een van: {options}", "one of: {options}"),
    "config.expect.words": (
        'een niet-lege lijst van woorden, zoals ["kanker*", "tyfus*"]',
        'a non-empty list of words, like ["kanker*", "tyfus*"]',
    ),
    "config.expect.regex": (
        "een reguliere expressie (een tekst)",
        "a regular expression (a string)",
    ),
    "config.expect.tables": (
        "een lijst van tabellen ([[{name}]])",
        "an array of tables ([[{name}]])",
    ),
    "config.expect.claim": (
        "een aantal minuten groter dan 0, hoogstens {most}",
        "a number of minutes greater than 0, at most {most}",
    ),
    "config.expect.share": (
        "een aandeel van 0 tot 1, zoals 0.1 (0: uit)",
        "a share from 0 to 1, like 0.1 (0: off)",
    ),
    "config.expect.ask_for": (
        "een lijst van beslissingen, elk een van: {options} (of [] om bij geen enkele te vragen)",
        "an array of decisions, each one of: {options} (or [] to ask for none)",
    ),
    "config.expect.ask_for_once": (
        "een lijst van beslissingen, elk een van: {options} (of [] om bij geen enkele te "
        "vragen), elk één keer",
        "an array of decisions, each one of: {options} (or [] to ask for none), each once",
    ),
    "config.expect.code": (
        'een code van de letters a-z en A-Z, cijfers, "_" en "-" (hoogstens 32), zoals'
        ' "burger" of "1"',
        'a code of the letters a-z and A-Z, digits, "_" and "-" (at most 32), like "burger" or "1"',
    ),
    "config.got.code_char": ("een tekst met {char}", "a string with {char}"),
    "config.got.code_start": ("een tekst die begint met {char}", "a string starting with {char}"),
    "config.got.code_long": ("een tekst van {n} tekens", "a string of {n} characters"),
    "config.expect.reason_code": (
        'een code van kleine letters, cijfers en "_" (hoogstens 32), zoals "insult"',
        'a code of lower-case letters, digits and "_" (at most 32), like "insult"',
    ),
    "config.expect.reason_key": (
        'één letter of cijfer, zoals "1" of "b"',
        'one letter or digit, like "1" or "b"',
    ),
    "config.expect.reason_label": (
        "één afdrukbare regel van hoogstens 60 tekens",
        "one printable line of at most 60 characters",
    ),
    # a PostgreSQL URL (store/urls.py check_postgres_url): its expected and got
    "config.url.expect": (
        'een PostgreSQL-URL zoals "postgresql://moderator@db.example.nl/reactieveld"',
        'a PostgreSQL URL like "postgresql://moderator@db.example.nl/reactieveld"',
    ),
    "config.url.expect.scheme": (
        'een PostgreSQL-URL zoals "postgresql://moderator@db.example.nl/reactieveld" (het '
        "schema postgresql://; het teamgeheugen van reactieveld is PostgreSQL)",
        'a PostgreSQL URL like "postgresql://moderator@db.example.nl/reactieveld" (the '
        "scheme postgresql://; reactieveld's team memory is PostgreSQL)",
    ),
    "config.url.expect.host": (
        'een PostgreSQL-URL zoals "postgresql://moderator@db.example.nl/reactieveld" (met '
        "de hostnaam van de server)",
        'a PostgreSQL URL like "postgresql://moderator@db.example.nl/reactieveld" (with '
        "the server's host name)",
    ),
    "config.url.expect.lower": (
        'het schema in kleine letters: "{scheme}://..."',
        'the scheme in lower case: "{scheme}://..."',
    ),
    "config.url.expect.slashes": (
        '"{scheme}://" (twee schuine strepen) voor de host',
        '"{scheme}://" (two slashes) before the host',
    ),
    "config.url.expect.port": (
        "een poort van 1 tot 65535 na de host (of geen: 5432)",
        "a port from 1 to 65535 after the host (or none: 5432)",
    ),
    "config.url.expect.no_password": (
        "een URL zonder wachtwoord (noem de variabele die het bevat in password_env)",
        "a URL without a password (name the variable that holds it in password_env)",
    ),
    "config.url.got.no_scheme": (
        "een waarde zonder postgresql://",
        "a value without postgresql://",
    ),
    "config.url.got.scheme": ('het schema "{scheme}"', 'the scheme "{scheme}"'),
    "config.url.got.no_slashes": ('"{scheme}:" zonder', '"{scheme}:" without them'),
    "config.url.got.port": ('de poort "{port}"', 'the port "{port}"'),
    "config.url.got.password": ("een URL met een wachtwoord", "a URL with a password"),
    "config.url.got.no_host": ("een URL zonder host", "a URL without a host"),
    "config.url.got.else": ("iets anders", "something else"),
    # the same [keys] check for a config made otherwise (tui/app.py check_keys)
    "config.keys.problem": ("[keys]: {problem}", "[keys]: {problem}"),
    # a [keys] table's problem (keys.keymap_problem); {does}: a config.keys.does.* text
    "config.keys.unknown": (
        "{actions} is geen actie; verwacht een van: {expected}",
        "{actions} is not an action; expected one of: {expected}",
    ),
    "config.keys.name": (
        'toets "{key}" van "{action}" is geen toetsnaam die Textual kent; schrijf een teken '
        '("a", "A", "?") of een naam zoals "ctrl+a", "f5", "pagedown", "escape", "slash"',
        'key "{key}" of "{action}" is not a key name Textual knows; write a character '
        '("a", "A", "?") or a name such as "ctrl+a", "f5", "pagedown", "escape", "slash"',
    ),
    "config.keys.fixed": (
        'toets "{key}" van "{action}" is {does}, en die toets ligt vast; kies een andere toets',
        'key "{key}" of "{action}" is {does}, which cannot be remapped; choose another key',
    ),
    "config.keys.both": (
        'toets "{key}" is aan zowel "{kept}" als "{blamed}" gegeven',
        'key "{key}" is given to both "{kept}" and "{blamed}"',
    ),
    "config.keys.taken": (
        'toets "{key}" van "{action}" is al de toets van "{other}"; geef "{other}" ook een '
        "andere toets, of kies een andere",
        'key "{key}" of "{action}" is already the key of "{other}"; remap "{other}" too, or '
        "choose another key",
    ),
    "config.keys.shared": (
        'toets "{key}" is de toets van zowel "{other}" als "{action}"',
        'key "{key}" is the key of both "{other}" and "{action}"',
    ),
    "config.keys.does.palette": ("het opdrachtenpalet", "the command palette"),
    "config.keys.does.back_cancel": ("terug / annuleren", "back / cancel"),
    "config.keys.does.quit": ("stoppen (Textual)", "quit (Textual)"),
    "config.keys.does.copy": ("kopiëren (Textual)", "copy (Textual)"),
    "config.keys.does.dashboard_back": ("terug (dashboard)", "back (dashboard)"),
    "config.keys.does.refresh": ("verversen (dashboard)", "refresh (dashboard)"),
    "config.keys.does.report": ("het rapport (dashboard)", "the report (dashboard)"),
    "config.keys.does.definitions": ("de definities (dashboard)", "the definitions (dashboard)"),
    "config.keys.does.thread_back": ("terug (draadscherm)", "back (thread screen)"),
    "config.keys.does.open": (
        "de reactie openen (draadscherm)",
        "open the response (thread screen)",
    ),
    "config.keys.does.fold": ("inklappen (draadscherm)", "fold (thread screen)"),
    "config.keys.does.unfold": ("uitklappen (draadscherm)", "unfold (thread screen)"),
    # a [[rules]] entry that does not compile (rule_text.RuleError); {problem}: the regex
    # module's own words
    "config.rule.no_letters": (
        '"{word}" heeft geen letters om te zoeken (een woord is meer dan "*")',
        '"{word}" has no letters to match (a word is more than "*")',
    ),
    "config.rule.action": (
        'onbekende actie "{action}"; verwacht "flag" of "hold"',
        'unknown action "{action}"; expected "flag" or "hold"',
    ),
    "config.rule.either": (
        'geef óf "words" (een lijst van woorden) óf "pattern" (één reguliere expressie)',
        'give either "words" (a list of words) or "pattern" (one regex)',
    ),
    "config.rule.empty": ("het patroon is leeg", "the pattern is empty"),
    "config.rule.folded": (
        "het patroon heeft een letter met een accent of een hoofdletter; een patroon ziet de "
        "tekst gevouwen (kleine letters, é als e): schrijf het zo",
        "the pattern has a letter with a diacritic or a capital; a pattern sees the text "
        "folded (lower case, é as e): write it that way",
    ),
    "config.rule.regex": (
        "geen geldige reguliere expressie: {problem}",
        "not a valid regular expression: {problem}",
    ),
    # export --format decisions to a file whose name says neither (reports/decisions.py)
    "cli.decisions.form": (
        "--output {output}: aan de naam is niet te zien of het CSV of JSON Lines wordt; "
        "laat hem eindigen op .csv of .jsonl, of geef --as csv|jsonl",
        "--output {output}: cannot tell CSV from JSON Lines by its name; end it in .csv or "
        ".jsonl, or give --as csv|jsonl",
    ),
    # a --db/REACTIEVELD_DB naming a folder (cli._target): cli.is_dir after the flag
    "cli.db.is_dir": (
        "{flag} {path}: is een map; geef een bestandsnaam, bijv. {example}",
        "{flag} {path}: is a directory; give a file name, e.g. {example}",
    ),
    # An explicit memory path (--db, REACTIEVELD_DB, [store] path, store copy --to) in a
    # folder that is not there (cli.check_new_memory): a typo is not made into a memory.
    "cli.db.no_folder": (
        "{flag} {path}: de map {folder} bestaat niet; maak hem eerst (mkdir -p {folder}) "
        "of controleer het pad",
        "{flag} {path}: the folder {folder} does not exist; make it first (mkdir -p "
        "{folder}) or check the path",
    ),
    "cli.db.not_folder": (
        "{flag} {path}: {file} is een bestand, geen map; controleer het pad",
        "{flag} {path}: {file} is a file, not a folder; check the path",
    ),
    # Said once on stderr before a memory with responses is updated for this version (a
    # big one's migrations take a while, the search index again; store/schema.py
    # migration_notice).
    "cli.db.updating": (
        "het geheugen {where} wordt bijgewerkt voor deze versie ({n} reacties; dit kan een "
        "minuut duren)",
        "updating the memory {where} for this version ({n} responses; this may take a minute)",
    ),
    "cli.db.updating.one": (
        "het geheugen {where} wordt bijgewerkt voor deze versie (1 reactie)",
        "updating the memory {where} for this version (1 response)",
    ),
    # Said once on stderr when a command made a new memory at an explicit path.
    "cli.db.new_memory": (
        "nieuw geheugen op {path} ({flag}); was dat een tikfout, verwijder het dan",
        "new memory at {path} ({flag}); if that was a typo, remove it",
    ),
    # --- end of the configuration's mistakes
    # The memory store's errors (store/errors.py, store/files.py, store/schema.py,
    # store/pg/*): a StoreError is made in English from these, and every line that shows
    # one reads it back in its reader's language (StoreError.said). {path}/{where}: the
    # file or the URL; {said}: SQLite's or the server's own words, kept as they are.
    "conn.store.not_ours": (
        "{path} is geen geheugen van reactieveld (geen SQLite-database, of versleuteld): "
        "kies een andere --db, of zet het bestand terug uit een back-up",
        "{path} is not a reactieveld memory store (not an SQLite database, or encrypted): "
        "choose another --db, or restore the file from a backup",
    ),
    "conn.store.damaged": (
        "{path} is beschadigd ({reason}): zet het terug uit een back-up, of red wat er "
        'over is met: sqlite3 {path} ".recover" | sqlite3 recovered.db',
        "{path} is damaged ({reason}): restore it from a backup, or save what is left "
        'with: sqlite3 {path} ".recover" | sqlite3 recovered.db',
    ),
    "conn.store.tables_changed": (
        "de tabellen zijn niet zoals reactieveld ze maakte: {said}",
        "its tables are not as reactieveld made them: {said}",
    ),
    "conn.store.disk_full": (
        "de schijf met {path} is vol (of het bestand is zo groot als het mag worden): "
        "maak ruimte vrij en probeer het opnieuw; niets van de laatste wijziging is bewaard",
        "the disk holding {path} is full (or the file reached its size limit): free disk "
        "space and try again; nothing of the last change was stored",
    ),
    "conn.store.read_only_file": (
        "{path} kan niet worden beschreven (een alleen-lezen bestand, map of schijf): maak "
        "het beschrijfbaar, of kopieer het elders heen en gebruik --db",
        "{path} cannot be written (a read-only file, folder or disk): make it writable, or "
        "copy it elsewhere and use --db",
    ),
    "conn.store.cannot_open": (
        "kan {path} niet openen (het systeem zei: {said}): controleer of het bestand en "
        "zijn map bestaan en gelezen en beschreven mogen worden, of kies een andere --db",
        "cannot open {path} (the system said: {said}): check that it and its folder exist "
        "and may be read and written, or choose another --db",
    ),
    "conn.store.io": (
        "kan {path} niet lezen of beschrijven (schijffout: {said}): controleer de schijf, "
        "en zet het bestand terug uit een back-up als het blijft",
        "cannot read or write {path} (disk I/O error: {said}): check the disk, then restore "
        "the file from a backup if it persists",
    ),
    "conn.store.no_memory": (
        "geen werkgeheugen meer bij het gebruik van {path}: sluit andere programma's en "
        "probeer het opnieuw",
        "out of memory while using {path}: close other programs and try again",
    ),
    "conn.store.foreign_file": (
        "{path} is een database van een ander programma ({whose}), geen geheugen van "
        "reactieveld; er is niets in veranderd: kies een andere --db",
        "{path} is a database of another program ({whose}), not a reactieveld memory "
        "store; nothing in it was changed: choose another --db",
    ),
    "conn.store.wal": (
        "het geheugen kon niet naar WAL overschakelen (journaalmodus {said})",
        "the memory store could not switch to WAL (journal mode {said})",
    ),
    "conn.store.too_new": (
        "{path} heeft schemaversie {n}, nieuwer dan dit programma kent ({latest}): werk "
        "reactieveld bij (of kies een andere --db)",
        "{path} has schema version {n}, newer than this program knows ({latest}): upgrade "
        "reactieveld (or choose another --db)",
    ),
    "conn.store.migration_failed": (
        "{path}: migratie {name} mislukte ({said}); er is niets van toegepast: meld dit, en "
        "gebruik intussen de vorige versie van reactieveld",
        "{path}: migration {name} failed ({said}); nothing of it was applied: report this, "
        "and keep using the previous version of reactieveld meanwhile",
    ),
    "conn.store.folder": (
        "{path} is een map, geen geheugenbestand: kies een bestand met --db (bijv. {example})",
        "{path} is a folder, not a memory store file: choose a file with --db (e.g. {example})",
    ),
    "conn.store.none_at": (
        "er is geen geheugen op {path}: controleer --db",
        "there is no memory store at {path}: check --db",
    ),
    "conn.store.cannot_create": (
        "kan het geheugen {path} niet maken (het systeem zei: {said}); kies een andere "
        "--db, of maak schijfruimte vrij",
        "cannot create the memory store {path} (the system said: {said}); choose another "
        "--db, or free disk space",
    ),
    "conn.store.empty_file": (
        "{path} is leeg (0 bytes), geen geheugen: was het er een, zet het dan terug uit een "
        "back-up; voor een nieuw geheugen: verwijder het lege bestand",
        "{path} is empty (0 bytes), not a memory store: if it was one, restore it from a "
        "backup; to start a new memory, remove the empty file",
    ),
    "conn.store.pg_ssl_required": (
        "{where}: de server eist SSL ({said}): zet sslmode=require in [store] url",
        "{where}: the server requires SSL ({said}): set sslmode=require in [store] url",
    ),
    "conn.store.pg_login": (
        "{where}: de server weigerde de aanmelding ({said}): controleer de rol, en het "
        "wachtwoord in de variabele die [store] password_env noemt (of PGPASSWORD, "
        "~/.pgpass)",
        "{where}: the server refused the login ({said}): check the role, and the password "
        "in the variable named by [store] password_env (or PGPASSWORD, ~/.pgpass)",
    ),
    "conn.store.pg_no_database": (
        "{where}: {said}: maak de database eerst (createdb), of verbeter [store] url",
        "{where}: {said}: create it first (createdb), or correct [store] url",
    ),
    "conn.store.pg_no_ssl": (
        "{where}: de server aanvaardt geen SSL ({said}): zet sslmode=disable of "
        "sslmode=prefer in [store] url, of zet SSL aan op de server",
        "{where}: the server does not accept SSL ({said}): set sslmode=disable or "
        "sslmode=prefer in [store] url, or turn SSL on at the server",
    ),
    "conn.store.pg_timeout": (
        "{where}: geen antwoord van de server op tijd: draait hij, en is hij bereikbaar?",
        "{where}: no answer from the server in time: is it running and reachable?",
    ),
    "conn.store.pg_refused": (
        "{where}: de server weigerde de verbinding ({said})",
        "{where}: the server refused the connection ({said})",
    ),
    "conn.store.pg_cannot_connect": (
        "{where}: kan niet met het geheugen verbinden ({said})",
        "{where}: cannot connect to the memory ({said})",
    ),
    "conn.store.pg_may_not_change": (
        "{where}: rol {role} mag het geheugen niet veranderen ({said}); een lezer zoekt, "
        "maakt rapporten en ziet het dashboard: vraag het een moderator",
        "{where}: role {role} may not change the memory ({said}); a reader searches, "
        "reports and sees the dashboard: ask a moderator",
    ),
    "conn.store.pg_unchangeable": (
        "{where}: {reason}: er kan niets worden veranderd",
        "{where}: {reason}: nothing can be changed",
    ),
    "conn.store.pg_too_new": (
        "{where} heeft schemaversie {n}, nieuwer dan dit programma kent ({latest}): werk "
        "reactieveld bij op deze computer",
        "{where} has schema version {n}, newer than this program knows ({latest}): upgrade "
        "reactieveld on this machine",
    ),
    "conn.store.pg_foreign": (
        "{where} bevat tabellen van een ander programma ({shown}), geen geheugen van "
        "reactieveld; er is niets in veranderd: geef reactieveld een eigen database "
        "(createdb), of controleer [store] url",
        "{where} holds tables of another program ({shown}), not a reactieveld memory; "
        "nothing in it was changed: give reactieveld a database of its own (createdb), or "
        "check [store] url",
    ),
    "conn.store.pg_migration_rights": (
        "{where}: migratie {name} vraagt meer rechten dan rol {role} heeft ({said}): start "
        "reactieveld een keer als eigenaar van de database (met CREATEROLE, of met de rollen "
        "reactieveld_moderator en reactieveld_reader vooraf gemaakt)",
        "{where}: migration {name} needs more rights than role {role} has ({said}): start "
        "reactieveld once as the database's owner (with CREATEROLE, or with the roles "
        "reactieveld_moderator and reactieveld_reader made first)",
    ),
    "conn.store.pg_query": (
        "{where}: de vraag aan de server mislukte ({said})",
        "{where}: the query failed ({said})",
    ),
    "conn.store.pg_too_long": (
        "{where}: de vraag duurde te lang en de server brak haar af ({said}); er is niets "
        "veranderd: {hint}",
        "{where}: the question took too long and the server stopped it ({said}); nothing "
        "was changed: {hint}",
    ),
    "conn.store.pg_no_answer": (
        "{where}: geen antwoord van de server binnen {limit} s; er is niets veranderd: {hint}",
        "{where}: no answer from the server within {limit} s; nothing was changed: {hint}",
    ),
    # What to do about a question that took too long (the keys above end with it): where
    # a period is chosen (the figures screen, `stats`) a shorter one; elsewhere there is
    # none to choose (StoreError.said, store/base.py: the one rule).
    "conn.store.hint.again": (
        "probeer het opnieuw; gebeurt het steeds, dan is de server van het geheugen overbelast",
        "try again; if it keeps happening, the memory's server is overloaded",
    ),
    "conn.store.hint.period": (
        "kies bij een geheugen van deze omvang een kortere periode of minder bronnen (en "
        "laat de beheerder de server nakijken als elke vraag zo lang duurt)",
        "on a memory this big choose a shorter period or fewer sources (and have the admin "
        "check the server if every question takes this long)",
    ),
    # The advice a "took too long" line was stored with before the two above (lines kept
    # from then, a decision's error, a source's last error): read back, never made.
    "conn.store.hint.period_before": (
        "kies bij een geheugen van deze omvang een kortere periode of minder bronnen",
        "on a memory this big choose a shorter period or fewer sources",
    ),
    "conn.store.pg_locked": (
        "{where}: een ander programma houdt vast wat hiervoor nodig is ({said}); er is niets "
        "veranderd: probeer het over een ogenblik opnieuw",
        "{where}: another program holds what this needs ({said}); nothing was changed: try "
        "again in a moment",
    ),
    "conn.store.pg_conflict": (
        "{where}: de server brak deze wijziging af omdat een andere tegelijk kwam ({said}); "
        "er is niets veranderd: probeer het opnieuw",
        "{where}: the server stopped this change as another came at the same time ({said}); "
        "nothing was changed: try again",
    ),
    "conn.store.pg_disk_full": (
        "{where}: de schijf van de server is vol ({said}); er is niets veranderd: laat de "
        "beheerder ruimte maken",
        "{where}: the server's disk is full ({said}); nothing was changed: have the admin "
        "free space",
    ),
    "conn.store.pg_too_many": (
        "{where}: de server neemt geen verbindingen meer aan ({said}): sluit andere "
        "programma's op dit geheugen, of laat de beheerder de grens verhogen",
        "{where}: the server takes no more connections ({said}): close other programs on "
        "this memory, or have the admin raise the limit",
    ),
    "conn.store.pg_resources": (
        "{where}: de server komt middelen tekort ({said}); er is niets veranderd: {hint}",
        "{where}: the server is short of resources ({said}); nothing was changed: {hint}",
    ),
    "conn.store.pg_may_not_read": (
        "{where}: rol {role} mag het geheugen niet lezen ({said}): vraag de eigenaar van de "
        "database de rol in {group} op te nemen",
        "{where}: role {role} may not read the memory ({said}): ask the database's owner to "
        "make the role a member of {group}",
    ),
    "conn.store.unknown_source": ("onbekende bron {name}", "unknown source {name}"),
    "conn.store.no_response": ("geen reactie met id {id}", "no response with id {id}"),
    "conn.store.not_settable": (
        "{state} is geen status die een moderator kan zetten",
        "{state} is not a status a moderator can set",
    ),
    "conn.store.secret_not_kept": (
        "{where}: het auteursgeheim uit de omgeving is niet het geheim dat dit geheugen "
        "bewaart; `reactieveld author-secret` toont het bewaarde",
        "{where}: the author secret from the environment is not the one this memory keeps; "
        "`reactieveld author-secret` shows the kept one",
    ),
    "conn.store.secret_not_made": (
        "{where}: het auteursgeheim uit de omgeving is niet het geheim waarmee dit geheugen "
        "is gemaakt (de auteurssleutels zouden niet meer kloppen)",
        "{where}: the author secret from the environment is not the one this memory was "
        "made with (its author keys would no longer match)",
    ),
    "conn.store.pg_no_secret": (
        "{where}: het auteursgeheim staat niet in de database en niet in de omgeving: zet "
        "de variabele die [store] author_secret_env noemt op dat geheim",
        "{where}: its author secret is neither kept in the database nor in the environment: "
        "set the variable named by [store] author_secret_env to it",
    ),
    "conn.store.no_secret": (
        "{path}: het auteursgeheim staat niet in {key_file} en niet in de omgeving: zet dat "
        "sleutelbestand terug uit een back-up, of zet de variabele die [store] "
        "author_secret_env noemt",
        "{path}: its author secret is neither in {key_file} nor in the environment: restore "
        "that key file from a backup, or set the variable named by [store] author_secret_env",
    ),
    "conn.store.note_ids": (
        "{where}: notitienummers werden intussen genomen; probeer het opnieuw",
        "{where}: note ids were taken meanwhile; try again",
    ),
    "conn.store.copy_read_refused": (
        "{where}: rol {role} mag niet het hele geheugen lezen ({said}); store copy vraagt een "
        "moderator of de eigenaar van de database",
        "{where}: role {role} may not read the whole memory ({said}); store copy needs a "
        "moderator or the database's owner",
    ),
    "conn.store.copy_into_read_only": (
        "{where}: {reason}: er kan niets in worden gekopieerd",
        "{where}: {reason}: nothing can be copied into it",
    ),
    "conn.store.copy_needs_owner": (
        "{where}: store copy vraagt de eigenaar van de database (rol {role} is het niet: "
        "{said}); voer het uit als de eigenaar, bijv. --to postgresql://EIGENAAR@host/database",
        "{where}: store copy needs the database's owner (role {role} is not: {said}); run it "
        "as the owner, e.g. --to postgresql://OWNER@host/database",
    ),
    # store copy onto the memory it copies, or into a SQLite file open read-only
    "conn.store.copy_same": (
        "{where} is het geheugen dat wordt gekopieerd: kies een ander doel",
        "{where} is the memory being copied: choose another target",
    ),
    "conn.store.copy_open_read_only": (
        "{where} is alleen-lezen geopend: er kan niets in worden gekopieerd",
        "{where} is open read-only: nothing can be copied into it",
    ),
    "conn.store.pg_too_old": (
        "{where} heeft een ouder schema dan dit programma nodig heeft ({latest}): start "
        "reactieveld een keer als moderator of als eigenaar van de database om het bij te "
        "werken",
        "{where} has an older schema than this program needs ({latest}): start reactieveld "
        "once as a moderator or the database's owner to upgrade it",
    ),
    "conn.attempts.one": ("{error} (na 1 poging)", "{error} (after 1 attempt)"),
    # the fetch process (fetchproc.py) that ended under a round; {words}: its last lines
    "conn.proc.died": (
        "het ophaalproces stopte onverwacht (afsluitcode {code})",
        "the fetch process stopped unexpectedly (exit code {code})",
    ),
    "conn.proc.died.words": (
        "het ophaalproces stopte onverwacht (afsluitcode {code}): {words}",
        "the fetch process stopped unexpectedly (exit code {code}): {words}",
    ),
    "conn.proc.gave_up": (
        "{error} (het kon twee keer niet starten: vanaf nu wordt in dit proces opgehaald)",
        "{error} (it could not start twice: fetching in this process from now on)",
    ),
    "conn.attempts": ("{error} (na {n} pogingen)", "{error} (after {n} attempts)"),
    "conn.retry_after": ("{error} (opnieuw na {seconds} s)", "{error} (retry after {seconds} s)"),
    "conn.hint.connect": (
        "staat de site aan, en klopt de url van de bron in de configuratie?",
        "is the site up, and is the source's url in the configuration right?",
    ),
    "conn.connect_timeout": (
        "verbinden duurde te lang: {hint}",
        "connection timed out: {hint}",
    ),
    "conn.cannot_connect": (
        "kan geen verbinding maken ({error}): {hint}",
        "cannot connect ({error}): {hint}",
    ),
    "conn.refused": ("geweigerd", "refused"),
    "conn.unknown_host": ("naam van de site onbekend", "the site's name is not known"),
    "conn.read_timeout": (
        "geen antwoord op tijd (leestime-out)",
        "no answer in time (read timeout)",
    ),
    "conn.timeout": ("tijd verstreken", "timed out"),
    "conn.closed": (
        "de server verbrak de verbinding midden in het antwoord",
        "the server closed the connection mid-answer",
    ),
    # a reply answered with a success that names no new comment (base.ReplyUnconfirmed)
    "conn.reply_no_id": (
        "het platform antwoordde met succes, maar noemt geen nieuwe reactie",
        "the platform answered with a success that names no new comment",
    ),
    # a reply's error when the platform may have taken it all the same (outbox.UNSURE)
    "conn.reply_unsure": (
        "{error} (het platform heeft haar misschien toch: de volgende synchronisatie laat het"
        " zien)",
        "{error} (the platform may have taken it: the next sync shows whether it did)",
    ),
    # a write-back's request held back past the moment it had to leave by (base.TooLateToSend)
    "conn.too_late": (
        "niet verstuurd: het verzoek kon niet op tijd weg (het programma stond stil of"
        " wachtte te lang), en een ander programma kan het intussen overgenomen hebben",
        "not sent: the request could not leave in time (the program stood still or waited"
        " too long), and another program may have taken it over meanwhile",
    ),
    "conn.redirected": (
        "de server stuurde ons door naar {target} (HTTP {status}), een ander adres dan dat"
        " van de bron, en reactieveld volgt niet: zet de url van de bron op dat adres",
        "the server sent us to {target} (HTTP {status}), another address than the"
        " source's, and reactieveld does not follow: set the source's url to that address",
    ),
    "conn.too_big": (
        "het antwoord is groter dan {mb} MB en is niet gelezen; een pagina is nooit zo groot:"
        " klopt de url van de bron?",
        "the answer is larger than {mb} MB and was not read; no page is that large:"
        " is the source's url right?",
    ),
    "conn.not_json": (
        "JSON verwacht maar {ctype} gekregen (HTTP {status}; is dit de juiste URL?)",
        "expected JSON but got {ctype} (HTTP {status}; is this the right URL?)",
    ),
    "conn.bad_json": (
        "onleesbare JSON in een antwoord met HTTP {status} ({detail}; {size} bytes)",
        "malformed JSON in HTTP {status} response ({detail}; {size} bytes)",
    ),
    "conn.http.401": (
        "{detail} (controleer de gebruikersnaam en het wachtwoord of de API-sleutel)",
        "{detail} (check the username and password/API key)",
    ),
    "conn.http.403": (
        "{detail} (het account heeft hier mogelijk de rechten niet voor)",
        "{detail} (the account may lack the rights for this)",
    ),
    "conn.no_field": ("geen {field} in het antwoord", "no {field} in the answer"),
    "conn.unexpected": ("onverwacht antwoord", "unexpected answer"),
    "conn.unreadable": (
        "het antwoord van het platform heeft een vorm die reactieveld niet kan lezen "
        "({error}); controleer of url en type van de bron bij deze site horen; zo ja, meld "
        "deze regel",
        "the platform's answer has a form reactieveld cannot read ({error}); check that the "
        "source's url and type are this site's; if they are, report this line",
    ),
    "conn.same_page": (
        "de server gaf een pagina die hij al gegeven had ({count} items opnieuw): zijn "
        "paginering komt niet verder (een cache of proxy die de paginaparameter negeert?); "
        "controleer de url van de bron",
        "the server gave a page it had given before ({count} items again): its paging does "
        "not advance (a cache or proxy that ignores the page parameter?); check the source's "
        "url",
    ),
    "conn.not_supported": ("niet mogelijk", "not supported"),
    "conn.edited": (
        "reactie {id} is op de site bewerkt nadat u die zag; open die opnieuw om de nieuwe "
        "tekst te zien",
        "comment {id} was edited on the site after you saw it; open it again to see the new text",
    ),
    "conn.secret_unset": (
        "omgevingsvariabele {variable} ({setting}) is niet gezet of leeg: zet die en start de "
        "sync opnieuw",
        "environment variable {variable} ({setting}) is not set or empty: set it and start "
        "the sync again",
    ),
    "conn.unknown_type": (
        'onbekend brontype "{type}" (bekend: {known})',
        'unknown source type "{type}" (known: {known})',
    ),
    "conn.demo.cursor": ("onbruikbare demo-cursor {cursor}", "bad demo cursor {cursor}"),
    "conn.wp.no_api": (
        "geen WordPress REST API gevonden op {url} (geprobeerd: de Link-header, /wp-json/ en "
        "?rest_route=/)",
        "no WordPress REST API found at {url} (tried the Link header, /wp-json/ and ?rest_route=/)",
    ),
    "conn.wp.not_a_list": (
        "een lijst reacties verwacht, {kind} gekregen",
        "expected a list of comments, got {kind}",
    ),
    "conn.wp.out_of_order": (
        "de pagina's van de lijst kwamen in de verkeerde volgorde",
        "listing pages out of order",
    ),
    "conn.wp.no_hidden": (
        "WordPress kent geen status verborgen; zet de reactie in de wacht",
        "WordPress has no hidden status; hold the comment instead",
    ),
    "conn.wp.read_only": (
        "geen username/password_env ingesteld: deze WordPress-bron is alleen-lezen",
        "no username/password_env configured: this WordPress source is read-only",
    ),
    "conn.wp.changed": (
        "reactie {id} heeft op de site de status {now}, niet {expected} zoals toen ze werd "
        "gemodereerd",
        "comment {id} is {now} on the site, not {expected} as when it was moderated",
    ),
    "conn.wp.refused": (
        "reactie {id}: WordPress weigerde de status {want} in te stellen (ze heeft {now})",
        "comment {id}: WordPress refused to set {want} (it is {now})",
    ),
    "conn.wp.gone": (
        "reactie {id} bestaat niet meer op de site",
        "comment {id} no longer exists on the site",
    ),
    "conn.wp.reply_trashed": (
        "reactie {id} ligt op de site in de prullenbak: het antwoord is niet geplaatst",
        "comment {id} is in the trash on the site: the reply was not posted",
    ),
    "conn.wp.no_post": (
        "antwoord op {id}: geen bericht-id bekend",
        "reply to {id}: no post id known",
    ),
    "conn.wp.closed": (
        "kan niet antwoorden: reacties zijn gesloten bij bericht {post}",
        "cannot reply: comments are closed on post {post}",
    ),
    "conn.feed.read_only": (
        'een reactiefeed is alleen-lezen; stel type = "wordpress" in om te modereren',
        'a comment feed is read-only; configure type = "wordpress" to moderate',
    ),
    "conn.feed.invalid": (
        "de reactiefeed is geen geldige RSS ({detail})",
        "the comment feed is not valid RSS ({detail})",
    ),
    "conn.feed.not_rss2": ("de reactiefeed is geen RSS 2", "the comment feed is not RSS 2"),
    "conn.dc.no_hold": (
        "Discourse kent geen 'in de wacht' voor een gepubliceerd bericht; nieuwe berichten "
        "die goedkeuring nodig hebben komen al vastgehouden binnen in de beoordelingswachtrij",
        "Discourse has no 'on hold' for a published post; new posts needing approval arrive "
        "already held in its review queue",
    ),
    "conn.dc.no_spam": (
        "Discourse behandelt spam via meldingen en de beoordelingswachtrij; gebruik de "
        "prullenbak (weigeren/verwijderen) of meld het bericht als spam in Discourse",
        "Discourse handles spam through flags and its review queue; use trash "
        "(reject/delete) or flag the post as spam in Discourse",
    ),
    "conn.dc.queued_only": (
        "een bericht in de wachtrij is nog niet gepubliceerd: keur het goed of wijs het af "
        "(prullenbak)",
        "a queued post is not published yet: approve it or reject it (trash)",
    ),
    "conn.dc.flagged_only": (
        "Discourse verbergt een bericht via meldingen: alleen een gemeld bericht in de "
        "beoordelingswachtrij kan hiervandaan verborgen worden; meld dit bericht op het forum, "
        "of gooi het in de prullenbak",
        "Discourse hides a post through flags: only a flagged post in the review queue can be "
        "hidden from here; flag this one on the forum, or trash it",
    ),
    "conn.dc.review_changed": (
        "beoordelingsitem {id} is op het forum gewijzigd nadat u het zag (door een andere "
        "moderator?); laad opnieuw en beslis nog eens",
        "review item {id} was changed on the forum since you saw it (by another moderator?); "
        "reload and decide again",
    ),
    "conn.dc.review_gone": (
        "beoordelingsitem {id} staat niet meer in de beoordelingswachtrij",
        "review item {id} is no longer in the review queue",
    ),
    "conn.dc.reply_queued": (
        "kan niet antwoorden op een bericht dat nog in de beoordelingswachtrij staat",
        "cannot reply to a post that is still in the review queue",
    ),
    "conn.dc.no_topic": ("bericht {id}: onderwerp onbekend", "post {id}: topic unknown"),
    "conn.dd.no_moderation": (
        "de API van Decidim kent geen moderatie; verberg of keur goed in het beheer van "
        "Decidim (Moderaties)",
        "Decidim's API has no moderation; hide or approve in Decidim's admin (Moderations)",
    ),
    "conn.dd.no_user": (
        "antwoorden vraagt een API-gebruiker van Decidim: stel api_key_env en api_secret_env "
        "in voor deze bron",
        "replying needs a Decidim API user: set api_key_env and api_secret_env for this source",
    ),
    "conn.dd.unknown_space": (
        'onbekend ruimtetype "{space}"; verwacht een van: {known}',
        'unknown space type "{space}"; expected one of: {known}',
    ),
    "conn.dd.key_refused": (
        "de API-sleutel of het geheim werd niet geaccepteerd (controleer "
        "api_key_env/api_secret_env)",
        "the API key or secret was not accepted (check api_key_env/api_secret_env)",
    ),
    "conn.dd.no_token": (
        "geen token in de Authorization-header",
        "no token in the Authorization header",
    ),
    "conn.dd.space_missing.one": (
        "ruimtetype {names} is ingesteld (spaces) maar deze Decidim heeft het niet (de API "
        "kent geen {fields}); haal het uit spaces, of laat spaces weg om elk type te lezen "
        "dat er is",
        "space type {names} is configured (spaces) but this Decidim does not have it (its "
        "API has no {fields}); remove it from spaces, or leave spaces out to read every type "
        "it has",
    ),
    "conn.dd.space_missing": (
        "ruimtetypes {names} zijn ingesteld (spaces) maar deze Decidim heeft ze niet (de API "
        "kent geen {fields}); haal ze uit spaces, of laat spaces weg om elk type te lezen "
        "dat er is",
        "space types {names} are configured (spaces) but this Decidim does not have them "
        "(its API has no {fields}); remove them from spaces, or leave spaces out to read "
        "every type it has",
    ),
    "conn.dd.no_spaces": (
        "de API van deze Decidim noemt geen participatieve ruimtes (processen, assemblies, "
        "conferenties, initiatieven); is de url die van een Decidim?",
        "this Decidim's API lists no participatory spaces (processes, assemblies, "
        "conferences, initiatives); is the url that of a Decidim?",
    ),
    "conn.dd.reply_refused": (
        "Decidim accepteerde het antwoord niet (reacties zijn bij dit item misschien "
        "gesloten, of de API-gebruiker mag hier niet reageren)",
        "Decidim did not accept the reply (comments may be closed on this item, or the API "
        "user may not comment here)",
    ),
    "conn.gv.read_only": (
        "de publieke API van Go Vocal is alleen-lezen: modereer reacties in de back office "
        "van Go Vocal",
        "Go Vocal's public API is read-only: moderate comments in the Go Vocal back office",
    ),
    "conn.gv.key_refused": (
        "de client-id of het client-geheim werd niet geaccepteerd (controleer "
        "client_id_env/client_secret_env en of de Public API aan staat onder Admin > Tools)",
        "the client id or secret was not accepted (check client_id_env/client_secret_env "
        "and that the Public API is enabled under Admin > Tools)",
    ),
}

#: The interface languages, in the order of each entry of :data:`STRINGS`.
LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def text(key: str, language: str = "nl", /, **values: Any) -> str:
    """The string for ``key`` in ``language`` (nl, else en), formatted with ``values``
    (the key itself if unknown). The one lookup of interface text. A count ``n`` of 1
    takes the key's singular form ``key.one`` where the table has one (both languages
    say 1 in the singular and 0, 2, ... in the plural). ``key`` and ``language`` are
    positional only: a text may have a field named ``key`` (a [keys] mistake's)."""
    if type(values.get("n")) is int and values["n"] == 1 and f"{key}.one" in STRINGS:
        key = f"{key}.one"  # the singular, where the table has one (1 reactie, 2 reacties)
    pair = STRINGS.get(key)
    value = pair[0 if language == "nl" else 1] if pair else key
    return value.format(**values) if values else value


_FIRST_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?(?=[\s,(]|$)")


@functools.cache
def _first_words() -> frozenset[str]:
    """The words the table's texts start with (a status, an action, "niets", "undid"...)."""
    starts = (_FIRST_WORD.match(value) for pair in STRINGS.values() for value in pair)
    return frozenset(m.group(0).lower() for m in starts if m)


#: The fields that hold a name someone gave (a source, a moderator, a rule, a sink, a
#: path, a store, a flag, a value): a text starting with one starts with that name.
_NAMED_FIELDS = frozenset({"source", "name", "path", "sink", "store", "flag", "value", "prog"})


#: A field in a text of the table: ``{name}``, ``{n:,}``.
_TEMPLATE_FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def template_pattern(template: str) -> re.Pattern[str]:
    """A text of the table as a pattern of what it makes: its literal text as written,
    each field any text (a group of its name; a field twice the same text both times)."""
    parts = _TEMPLATE_FIELD.split(template)
    out: list[str] = []
    seen: set[str] = set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        else:
            out.append(f"(?P={part})" if part in seen else f"(?P<{part}>.*?)")
            seen.add(part)
    return re.compile("".join(out), re.DOTALL)


#: A text of the table as :func:`capital_first` reads it: its literal pieces, its pattern,
#: and whether it starts with a name someone gave.
_Shape = tuple[tuple[str, ...], re.Pattern[str], bool]


@functools.cache
def _shapes() -> tuple[_Shape, ...]:
    """The table's texts as patterns (:func:`template_pattern`): its literal pieces, the
    pattern, and whether it starts with a name someone gave (else with its own word)."""
    shapes = {}
    for pair in STRINGS.values():
        for value in pair:
            # Literal text and field names in turn: ["", "source", " op de site (", "n", ")"].
            parts = _TEMPLATE_FIELD.split(value)
            pieces = tuple(lit for lit in parts[0::2] if lit)
            named = not parts[0] and len(parts) > 1 and parts[1] in _NAMED_FIELDS
            # Only with words of its own: "{name}: {what}" would fit any line with a colon.
            worded = any(re.search(r"[^\W\d_]", piece) for piece in pieces)
            if worded and (named or parts[0][:1].islower()):
                shape = template_pattern(value)
                shapes[shape.pattern] = (pieces, shape, named)
    return tuple(shapes.values())


@functools.cache
def _shapes_by_first_word() -> dict[str | None, tuple[_Shape, ...]]:
    """:func:`_shapes` by the first word (:data:`_FIRST_WORD`) of every message they fit:
    a text that starts with its own word up to a space, comma or bracket, or that is only
    literal text, fits only messages that start with that word (and one whose start is
    no such word fits only messages without a first word: never tried). Under None the
    shapes a message with any first word can fit (a name first, a field inside the first
    word): a message is tried against its word's shapes and these, not the whole table."""
    index: dict[str | None, list[_Shape]] = {None: []}
    for pieces, shape, named in _shapes():
        # The word is read up to the first separator: no field's text can change it.
        end = None if named else re.search(r"[\s,(]", pieces[0])
        if named or (shape.groups and not end):
            index[None].append((pieces, shape, named))
            continue
        word = _FIRST_WORD.match(pieces[0][: end.end()] if end else pieces[0])
        if word:
            index.setdefault(word.group(0), []).append((pieces, shape, named))
    return {word: tuple(shapes) for word, shapes in index.items()}


def capital_first(message: str) -> str:
    """``message`` as a notice starts: with a capital ("prullenbak ongedaan gemaakt" ->
    "Prullenbak ongedaan gemaakt"), when its first word is one of the table's. A first
    word that is a name is left as written: a moderator ("anna wijzigde..."), a source
    ("blog: ...", "discourse op de site"), a rule, a path, a flag, a number. A message
    that fits a text of the table is read as the text it fits with the most of its own
    words (the most literal characters): one that starts with a name keeps it, one of
    the table's words too."""
    first = _FIRST_WORD.match(message)
    if not (message[:1].islower() and first and first.group(0).lower() in _first_words()):
        return message
    shapes = _shapes_by_first_word()
    fits = [
        (sum(map(len, pieces)), named)
        for pieces, shape, named in (*shapes.get(first.group(0), ()), *shapes[None])
        if all(piece in message for piece in pieces) and shape.fullmatch(message)
    ]
    if fits and max(fits)[1]:
        return message
    return message[0].upper() + message[1:]


def number(n: int, language: str) -> str:
    """A whole number with thousands grouped as the language writes it: 12.345 / 12,345."""
    return f"{n:,}".replace(",", "." if language == "nl" else ",")


def counted(key: str, language: str, /, n: int, **values: Any) -> str:
    """:func:`text` of ``key`` with the count ``n`` grouped as the language writes
    numbers (``55.538 reacties``, ``55,538 responses``), in the singular for 1."""
    if n == 1 and f"{key}.one" in STRINGS:
        key = f"{key}.one"
    return text(key, language, n=number(n, language), **values)


#: The keys whose English text is stored (a platform's error, see connectors/) and read
#: back by :func:`in_language`.
STORED_PREFIX = "conn."
#: The fields of a stored template that hold another stored text (read back in turn).
_NESTED = frozenset({"error", "hint", "reason"})
#: The fields that are whole numbers (read back as digits only: fewer ways to misread).
_NUMBERS = frozenset({"n", "status", "seconds", "size"})
#: The fields that hold a response's status, stored as :func:`stored_status` makes it and
#: read back in the reader's words (a platform's own word, as older texts have it, too).
_STATUSES = frozenset({"now", "expected", "want"})
_FIELD = re.compile(r"\{(\w+)\}")


def stored_status(status: RemoteStatus | str) -> str:
    """A response's status as a stored text holds it (its English word, see
    :data:`_STATUSES`)."""
    return text(f"status.{RemoteStatus(status).value}", "en")


def _status_in_language(value: str, language: str) -> str:
    """A status field of a stored text in ``language``: the English word or the status's
    value (texts stored before the word) read back; any other word as it is."""
    for status in RemoteStatus:
        if value in (status.value, stored_status(status)):
            return text(f"status.{status.value}", language)
    return value


def stored(key: str, **values: Any) -> str:
    """The English text of ``key``: the form a platform's error is made and stored in (one
    text for scripts and for the other processes that read the memory, whatever their
    language); :func:`in_language` shows it in a reader's language."""
    return text(key, "en", **values)


#: The advice a store's "took too long" line is stored with: there is no period to choose
#: in a sync's line or the outbox's notice (:func:`for_a_period` for where there is).
AGAIN_HINT = stored("conn.store.hint.again")


#: The keys of the argument parser's own words: each one's English is an argparse message
#: id (:func:`argparse_text`), but for :data:`ARGPARSE_OWN`.
ARGPARSE_PREFIX = "argparse."
#: The ``argparse.*`` keys that are no argparse id: cli.py's parser says them itself.
ARGPARSE_OWN = frozenset({"argparse.error", "argparse.invalid_int"})
#: A field of a printf-style template (argparse's ids): ``%(name)r``, ``%s``, ``%%``.
_PERCENT = re.compile(r"%(?:\((\w+)\))?([#0 +-]*\d*(?:\.\d+)?[a-z%])")


def _id_shape(template: str, fields: re.Pattern[str]) -> str:
    """A template with each of its ``fields`` as ``{}`` (``%%`` as ``%``): an argparse id
    and its table entry's English have the same shape."""
    return fields.sub(lambda m: "%" if m.group(0) == "%%" else "{}", template)


@functools.cache
def _argparse_keys() -> dict[str, str]:
    """The ``argparse.*`` keys by the shape of their English (:func:`_id_shape`)."""
    return {
        _id_shape(english, _FIELD): key
        for key, (_, english) in STRINGS.items()
        if key.startswith(ARGPARSE_PREFIX) and key not in ARGPARSE_OWN
    }


def argparse_key(message_id: str) -> str | None:
    """The key of argparse's message ``message_id`` (its English template, as argparse
    asks its gettext for it), None for a text that is none of the table's ids."""
    return _argparse_keys().get(_id_shape(message_id, _PERCENT))


def argparse_text(message_id: str, language: str) -> str:
    """argparse's message ``message_id`` in ``language``, as gettext would translate it:
    a template that argparse fills in, with each field of the id as the id has it (its
    name and conversion, ``%(value)r``), in the table's words. Any other text (an English
    reader's, one the table has no id of, a value) is returned as it is, so a value is
    never read as a message."""
    key = argparse_key(message_id) if language == "nl" else None
    if key is None:
        return message_id
    dutch, english = STRINGS[key]
    fields = [m.group(0) for m in _PERCENT.finditer(message_id) if m.group(0) != "%%"]
    as_in_id = dict(zip(_FIELD.findall(english), fields, strict=True))
    return _FIELD.sub(lambda m: as_in_id[m.group(1)], dutch.replace("%", "%%"))


@functools.cache
def _stored_templates() -> tuple[tuple[str, str, str, re.Pattern[str]], ...]:
    """(key, the template's fixed text before its first field and after its last, the
    English template as a pattern with one group per field) of the keys that start with
    :data:`STORED_PREFIX`, the templates with the most fixed text first: the most
    specific reading of a text wins."""
    found = []
    for key, (_, english) in STRINGS.items():
        if not key.startswith(STORED_PREFIX):
            continue
        parts = _FIELD.split(english)
        seen: set[str] = set()
        pattern = ""
        for i, part in enumerate(parts):
            if i % 2 == 0:
                pattern += re.escape(part)
            elif part in seen:
                pattern += f"(?P={part})"
            else:
                seen.add(part)
                pattern += f"(?P<{part}>{'[0-9]+' if part in _NUMBERS else '.*?'})"
        fixed = sum(len(p) for p in parts[::2])
        head, tail = parts[0], parts[-1]
        found.append((fixed, key, head, tail, re.compile(pattern, re.DOTALL)))
    found.sort(key=lambda f: -f[0])
    return tuple((key, head, tail, pattern) for _, key, head, tail, pattern in found)


#: How deep stored texts are read inside each other: the deepest the connectors make is 4
#: (attempts, request, cannot connect, hint); a server's text with many ": " in it
#: would otherwise be read once per colon.
_DEPTH = 8


def _read_stored(message: str) -> tuple[str, dict[str, str]] | None:
    """(key, its fields) of the template a stored English text was made from, the most
    specific one; None for any other text."""
    for key, head, tail, pattern in _stored_templates():
        # A text that does not start and end as the template does is not its: asked
        # first, as the pattern's lazy fields would try each split of a long text (a
        # server's words full of ": ") before failing, in time the square of its length.
        if not (message.startswith(head) and message.endswith(tail)):
            continue
        found = pattern.fullmatch(message)
        if found is not None:
            return key, found.groupdict()
    return None


def stored_key(message: str) -> str | None:
    """The key of the template a stored text (a source's or a decision's error) was made
    from, the most specific one; None for any other text (a server's own message)."""
    read = _read_stored(message)
    return None if read is None else read[0]


def for_a_period(message: str) -> str:
    """A stored text that advises :data:`AGAIN_HINT` (a question that took the server too
    long) with the advice where a period is chosen instead (``conn.store.hint.period``):
    the one rule of which advice fits where (the store cannot know where it is said);
    any other text as it is."""
    read = _read_stored(message)
    if read is None or read[1].get("hint") != AGAIN_HINT:
        return message
    key, found = read
    return stored(key, **{**found, "hint": stored("conn.store.hint.period")})


def in_language(message: str, language: str, _depth: int = 0) -> str:
    """A stored English text made from this table's templates (a platform's error) in
    ``language``, its fields (a URL, a server's words, numbers) kept as they are; any other
    text (an older stored error, a server's own message) as it is."""
    if language != "nl" or _depth > _DEPTH:
        return message
    read = _read_stored(message)
    if read is None:
        return message
    key, found = read
    values = {
        name: in_language(value, language, _depth + 1)
        if name in _NESTED
        else _status_in_language(value, language)
        if name in _STATUSES
        else value
        for name, value in found.items()
    }
    return text(key, language, **values)


class Said:
    """A text of the table not yet in a language: ``key`` and its fields, any of which may
    be a Said in turn (what a config key expected, inside the line that says it). Made
    where a mistake is found, put in the reader's language where it is shown (``str``:
    English, the words scripts match)."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        self.values = values

    def text(self, language: str) -> str:
        """This text in ``language``, its Said fields in the same language."""
        values = {
            name: value.text(language) if isinstance(value, Said) else value
            for name, value in self.values.items()
        }
        return text(self.key, language, **values)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Said({self.key!r}, **{self.values!r})"


class I18n:
    """Interface text in one language; ``t("view.earlier", n=3)`` (see :func:`text`)."""

    def __init__(self, language: str = "nl") -> None:
        self.language = language if language in LANGUAGES else "en"

    def t(self, key: str, **values: Any) -> str:
        """The string for ``key``, formatted with ``values`` (the key itself if unknown)."""
        return text(key, self.language, **values)

    def status(self, status: RemoteStatus | str) -> str:
        """A remote status in this language."""
        return self.t(f"status.{RemoteStatus(status).value}")
