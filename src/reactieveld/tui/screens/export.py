"""Reports from the app: the export dialog (``E``, the palette) and the worker that writes.

The dialog asks what ``reactieveld export`` asks on the command line: the format (md, csv,
jsonl), the current queue and its filters or everything, whether personal data stays in
(off by default: redaction of e-mail, phone numbers, postcode + house number, names to
initials), and the output file (a dated name in the directory the app was started in,
never one that exists; a name that exists is overwritten only when the moderator says so;
a name whose extension says another format is not written, and a line says so as it is
typed; the name follows a change of format when it ends in the old format's extension).
:func:`write_export` writes it in a worker, to a temporary file that is renamed into place,
so a failed or cancelled export never leaves half a report, and notifies the path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Static
from textual.worker import Worker

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus
from reactieveld.reports.filenames import format_named, name_clash, named_for
from reactieveld.reports.formats import (
    FORMATS,
    REPORT_STATUSES,
    ExportOptions,
    describe_filters,
)
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.text import one_line
from reactieveld.tui.screens.help import DialogKeys
from reactieveld.tui.widgets.fields import OrderedInput
from reactieveld.tui.widgets.toggles import (
    CharButton,
    CharCheckbox,
    CharRadioButton,
    FieldLabel,
    mark_focused_field,
)


def report_path(now: datetime | None = None, folder: Path | None = None, fmt: str = "md") -> Path:
    """Where the app writes a report: ``reactieveld-rapport-YYYYMMDD-HHMM.<fmt>`` in the
    current directory (where the moderator started the app), or, when a file of that name
    is there already (a second report in the same minute), the first free one of
    ``reactieveld-rapport-YYYYMMDD-HHMM-2.<fmt>``, ``-3``, …: a default name never
    overwrites a report."""
    now = now or datetime.now().astimezone()
    base = (folder or Path.cwd()) / f"reactieveld-rapport-{now:%Y%m%d-%H%M}"
    path = base.with_name(f"{base.name}.{fmt}")
    n = 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}.{fmt}")
    return path


def report_statuses(flt: QueueFilter | None) -> tuple[RemoteStatus, ...]:
    """The statuses a report of the queue filter ``flt`` (None: everything) holds: the
    queue's own (the Spam or Trash tab, a status chosen in the filters), else the report's
    default ones: spam and trash are no input for policy."""
    return (flt.statuses if flt is not None else ()) or REPORT_STATUSES


def queue_options(
    flt: QueueFilter | None,
    *,
    fmt: str,
    include_personal_data: bool,
    codebook: Codebook,
    language: str,
    described: tuple[str, ...] = (),
) -> ExportOptions:
    """ExportOptions for the report of a queue filter (None: everything). A queue without
    a status (New, All) keeps the report's default statuses: spam and trash are no input
    for policy; the Spam or Trash tab exports exactly that."""
    flt = flt or QueueFilter()
    return ExportOptions(
        format=fmt,
        questions=flt.questions,
        roles=flt.roles,
        sources=flt.sources,
        statuses=report_statuses(flt),
        since=flt.since,
        until=flt.until,
        triage=flt.triage,
        untagged=flt.untagged,
        include_personal_data=include_personal_data,
        language=language,
        codebook=codebook,
        described=described
        or describe_filters(questions=flt.questions, roles=flt.roles, sources=flt.sources),
    )


@dataclass(frozen=True)
class ExportRequest:
    """What the dialog returns: the options and the file to write."""

    options: ExportOptions
    path: Path


def write_export(
    app: Any,
    store: Any,
    opts: ExportOptions,
    path: Path,
    *,
    i18n: I18n,
    done: Callable[[Path, int], Any] | None = None,
) -> Worker[None]:
    """Write the report in a worker (the store's reads interleave with the UI) and notify
    the path (``markup=False``: a path is untrusted text). ``done(path, n)`` after success."""
    from reactieveld.reports.formats import write_report_file

    async def run() -> None:
        try:
            written = await write_report_file(store, opts, path)
        except Exception as exc:
            # A store's line in the reader's language, whole (a statement that took too
            # long on PostgreSQL: what to do is at its end; cut at 200 it was lost); a
            # report of a chosen period (the dashboard's e, a filter's dates) advises a
            # shorter one, as the figures do.
            period = opts.since is not None or opts.until is not None
            said = (
                exc.said(i18n.language, period=period) if isinstance(exc, StoreError) else str(exc)
            )
            text = i18n.t("export.failed", error=one_line(said, limit=400))
            app.notify(text, severity="error", markup=False)
            return
        app.notify(written.line(path, i18n.language), markup=False)
        if done is not None:
            done(path, written.count)

    return app.run_worker(run(), group="export", exclusive=True, exit_on_error=False)  # type: ignore[no-any-return]


class PathBox(OrderedInput):
    """The file name box: its keys in the order typed with the name (:class:`OrderedInput`).
    ``enter`` exports here and now, as ``ctrl+s`` does: by Input's ``Submitted`` message
    the dialog read the name (and closed) only after the box had taken the keys typed
    behind ``enter``, meant for the queue."""

    BINDINGS = [Binding("enter", "screen.export", show=False)]


class ExportScreen(DialogKeys, ModalScreen[ExportRequest | None]):
    """The export dialog; dismisses with an :class:`ExportRequest`, or None."""

    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.go"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]
    HELP_NAME = "export"
    text_box = True  # the file name box
    #: The app-wide action that opens it: nothing here (ReactieveldApp.check_action).
    OPENED_BY = frozenset({"export_report"})

    def __init__(
        self,
        *,
        i18n: I18n,
        codebook: Codebook,
        queue: QueueFilter | None = None,
        queue_text: str = "",
        folder: Path | None = None,
        now: datetime | None = None,
    ) -> None:
        super().__init__()
        self.i18n = i18n
        self.codebook = codebook
        self.queue = queue
        self.queue_text = queue_text
        self.folder = folder
        self.now = now or datetime.now().astimezone()
        self.format = "md"
        self._default_path = str(report_path(self.now, folder, self.format))
        self._overwrite: Path | None = None  # the existing file the moderator was asked about

    def compose(self) -> ComposeResult:
        t = self.i18n.t
        with Vertical(id="export", classes="dialog"):
            yield Static(Content(t("export.title")), classes="dialog-title")
            yield FieldLabel(t("export.format"), field="export-format")
            with RadioSet(id="export-format", compact=True):
                for fmt in FORMATS:
                    yield CharRadioButton(
                        Content(t(f"export.format.{fmt}")), value=fmt == "md", id=f"fmt-{fmt}"
                    )
            yield CharCheckbox(Content(t("export.queue")), False, id="export-queue")
            yield Static(Content(one_line(self.queue_text, limit=200)), id="export-queue-text")
            # Which statuses the file will hold, said before it is written: the New queue
            # (or everything) leaves spam and trash out, so its count differs from the tab's.
            yield Static(self._statuses_text(use_queue=False), id="export-statuses")
            yield CharCheckbox(Content(t("export.personal")), False, id="export-personal")
            # Said in words too: an export with names and addresses must never look like
            # one without (the box's "[x]" alone is one character).
            yield Static("", id="export-personal-warning", markup=False, classes="-empty")
            yield FieldLabel(t("export.path"), field="export-path", id="export-path-label")
            yield PathBox(self._default_path, id="export-path", compact=True)
            yield Static("", id="export-error", markup=False, classes="-empty")
            with Horizontal(classes="dialog-buttons"):
                yield CharButton(Content(t("export.go")), id="export-go", variant="primary")
                yield CharButton(Content(t("key.cancel")), id="export-cancel")
            yield Static(Content(t("export.hint")), classes="dialog-hint")

    def key_labels(self) -> Mapping[str, str]:
        return {"export.go": "export.go", "export.cancel": "key.cancel"}

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        mark_focused_field(self, event.widget)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        button_id = event.pressed.id or "fmt-md"
        old, self.format = self.format, button_id.removeprefix("fmt-")
        # The name follows the format: the default one, and a typed one that ends in the
        # old format's extension (rapport.md as CSV: rapport.csv). A name that says
        # another format stays, and the line below it says so.
        box = self.query_one("#export-path", Input)
        if box.value == self._default_path:
            self._default_path = str(report_path(self.now, self.folder, self.format))
            box.value = self._default_path
        elif format_named(box.value.strip()) == old:
            box.value = named_for(box.value.strip(), self.format)
        self._say_clash()

    def _clash(self, name: str) -> str:
        """The line on a file name whose extension says another format, or ""."""
        other = name_clash(name, self.format)
        if other is None:
            return ""
        t = self.i18n.t
        return t(
            "export.name_clash",
            ext=Path(name).suffix.removeprefix("."),
            kind=t(f"export.kind.{self.format}"),
            want=self.format,
            other=t(f"export.kind.{other}"),
        )

    def _say_clash(self) -> None:
        # Said as the name is typed or the format chosen, before anything is written.
        if self._overwrite is None:
            name = self.query_one("#export-path", Input).value.strip()
            say_line(self.query_one("#export-error", Static), self._clash(name))

    def _statuses_text(self, *, use_queue: bool) -> Content:
        statuses = report_statuses(self.queue if use_queue else None)
        names = ", ".join(self.i18n.status(s) for s in statuses)
        return Content(self.i18n.t("export.statuses", statuses=names))

    def on_checkbox_changed(self, event: CharCheckbox.Changed) -> None:
        if event.checkbox.id == "export-queue":
            statuses = self._statuses_text(use_queue=event.value)
            self.query_one("#export-statuses", Static).update(statuses)
        if event.checkbox.id == "export-personal":
            text = self.i18n.t("export.personal_on") if event.value else ""
            say_line(self.query_one("#export-personal-warning", Static), text)

    def on_input_changed(self, event: Input.Changed) -> None:
        # Another name: an earlier "overwrite?" was about the old one.
        self._set_overwrite(None)
        self._say_clash()

    def _set_overwrite(self, path: Path | None) -> None:
        """Ask (``path``) or stop asking (None) whether to overwrite the existing file."""
        if path == self._overwrite:
            return
        self._overwrite = path
        t = self.i18n.t
        button = self.query_one("#export-go", Button)
        button.label = Content(t("export.overwrite" if path else "export.go"))
        error = self.query_one("#export-error", Static)
        say_line(error, t("export.exists") if path else "")

    def request(self) -> ExportRequest | str:
        """The request the dialog describes now, or what is wrong with it."""
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            return self.i18n.t("export.no_path")
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = (self.folder or Path.cwd()) / path
        if not path.parent.is_dir():
            return self.i18n.t("export.no_dir", path=str(path.parent))
        if path.is_dir():
            return self.i18n.t("export.is_dir", path=str(path))
        clash = self._clash(path.name)
        if clash:
            return clash
        use_queue = self.query_one("#export-queue", CharCheckbox).value
        described: tuple[str, ...] = ()
        if use_queue and self.queue_text:
            described = (one_line(self.queue_text, limit=200),)
        opts = queue_options(
            self.queue if use_queue else None,
            fmt=self.format,
            include_personal_data=self.query_one("#export-personal", CharCheckbox).value,
            codebook=self.codebook,
            language=self.i18n.language,
            described=described,
        )
        return ExportRequest(opts, path)

    def action_export(self) -> None:
        found = self.request()
        if isinstance(found, str):
            self._set_overwrite(None)
            say_line(self.query_one("#export-error", Static), found)
            return
        if found.path.exists() and found.path != self._overwrite:
            # An existing file (a report of a moment ago, another document): ask first;
            # the same key or button again overwrites it, another name asks nothing.
            self._set_overwrite(found.path)
            return
        self.dismiss(found)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self.action_export()
        else:
            self.dismiss(None)


def say_line(line: Static, text: str) -> None:
    """Show ``text`` on a message line of the dialog; an empty line takes no row (at
    80x24 every row of the dialog counts)."""
    line.update(Content(text))
    line.set_class(not text, "-empty")
