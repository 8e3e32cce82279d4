"""The filter dialog (``f``): source, status, question, role, untagged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus
from reactieveld.text import one_line
from reactieveld.tui.queues import FilterChoice
from reactieveld.tui.screens.help import DialogKeys
from reactieveld.tui.widgets.cursor import CursorSelect
from reactieveld.tui.widgets.toggles import CharButton, CharCheckbox, FieldLabel, mark_focused_field


class FilterScreen(DialogKeys, ModalScreen[FilterChoice | None]):
    """Dismisses with the new choice, or ``None`` when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
    ]
    HELP_NAME = "filter"
    text_box = True  # an open select takes typed letters (and ?) to find an option

    def __init__(
        self,
        *,
        i18n: I18n,
        codebook: Codebook,
        sources: Sequence[str],
        current: FilterChoice,
    ) -> None:
        super().__init__()
        self.i18n = i18n
        self.codebook = codebook
        self.sources = list(sources)
        self.current = current

    def key_labels(self) -> Mapping[str, str]:
        return {"filter.apply": "filter.apply", "filter.cancel": "key.cancel"}

    def compose(self) -> ComposeResult:
        t = self.i18n.t
        lang = self.i18n.language
        blank = Text(t("filter.any"))

        def select(id: str, options: list[tuple[str, object]], value: object) -> Select[object]:
            # Its drop-down list has a "▶" before the option enter chooses.
            return CursorSelect(
                [(Text(label), v) for label, v in options],
                prompt=blank.plain,
                value=value if value is not None else Select.NULL,
                id=id,
                compact=True,
            )

        with Vertical(id="filters", classes="dialog"):
            yield Static(Content(t("filter.title")), classes="dialog-title")
            yield FieldLabel(t("filter.source"), field="filter-source")
            yield select(
                "filter-source",
                [(one_line(s), s) for s in self.sources],
                self.current.source,
            )
            yield FieldLabel(t("filter.status"), field="filter-status")
            yield select(
                "filter-status",
                [(self.i18n.status(s), s) for s in RemoteStatus],
                self.current.status,
            )
            yield FieldLabel(t("filter.question"), field="filter-question")
            yield select(
                "filter-question",
                [(one_line(f"{q.code} {q.label(lang)}"), q.code) for q in self.codebook.questions],
                self.current.question,
            )
            yield FieldLabel(t("filter.role"), field="filter-role")
            yield select(
                "filter-role",
                [(one_line(r.label(lang)), r.code) for r in self.codebook.roles],
                self.current.role,
            )
            yield CharCheckbox(
                Content(t("filter.untagged")), self.current.untagged, id="filter-untagged"
            )
            with Horizontal(classes="dialog-buttons"):
                yield CharButton(Content(t("filter.apply")), id="filter-apply", variant="primary")
                yield CharButton(Content(t("filter.clear")), id="filter-clear")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        mark_focused_field(self, event.widget)

    def _value(self, id: str) -> object | None:
        value = self.query_one(f"#{id}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        status = self._value("filter-status")
        self.dismiss(
            FilterChoice(
                source=self._value("filter-source"),  # type: ignore[arg-type]
                status=RemoteStatus(str(status)) if status else None,
                question=self._value("filter-question"),  # type: ignore[arg-type]
                role=self._value("filter-role"),  # type: ignore[arg-type]
                untagged=self.query_one("#filter-untagged", CharCheckbox).value,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "filter-apply":
            self.action_apply()
        else:
            self.dismiss(FilterChoice())
