"""The dashboard's period dialog (``p``): since, until and days as ``reactieveld stats``
takes them (the one rule, :func:`reactieveld.read.figures.period_from_text`, its errors in
one line naming the dialog's fields, where ``stats`` names its flags), prefilled with the
period on screen, and quick choices of the last 7, 30, 90 or 365 days up to today
(``(•)`` before the chosen one)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from reactieveld.i18n import I18n
from reactieveld.read.figures import Period, PeriodError, PeriodNames, period_from_text
from reactieveld.tui.screens.export import say_line
from reactieveld.tui.screens.help import DialogKeys
from reactieveld.tui.widgets.fields import OrderedInput
from reactieveld.tui.widgets.toggles import (
    CharButton,
    CharRadioButton,
    FieldLabel,
    mark_focused_field,
)

#: The quick choices: the last n days, up to today.
PRESETS: tuple[int, ...] = (7, 30, 90, 365)
#: The characters a box takes: a date (YYYY-MM-DD) and a number of days, with room to
#: spare. The error line repeats what was typed, and it has the rows of the hint it
#: hides (a longer one scrolled the dialog).
DATE_CHARS, DAYS_CHARS = 12, 8


@dataclass(frozen=True)
class PeriodChoice:
    """The period chosen, as its parts (a number of days up to today stays that, and
    moves on past midnight as the dashboard's default does), and the period they give
    now."""

    since: date | None
    until: date | None
    days: int | None
    period: Period


def field_names(i18n: I18n) -> PeriodNames:
    """The dialog's three fields as its errors name them: their labels' names, quoted
    (``"Vanaf"``), where ``stats`` says ``--since``."""
    t = i18n.t
    return PeriodNames(
        t("period.field.named", field=t("period.field.since")),
        t("period.field.named", field=t("period.field.until")),
        t("period.field.named", field=t("period.field.days")),
    )


class PeriodBox(OrderedInput):
    """A box of the dialog: ``enter`` applies (its keys in the order typed). Shown in the
    footer: the dialog's own ``enter`` is hidden under the focused field's."""

    BINDINGS = [Binding("enter", "screen.apply", "Apply", id="period.apply")]


class PresetSet(RadioSet):
    """The quick choices: ``enter`` takes the one under ``▸`` and applies it (a radio
    set's ``enter`` only chose; ``space`` still does)."""

    BINDINGS = [Binding("enter", "choose", "Apply", id="period.apply")]

    def action_choose(self) -> None:
        if self._selected is not None:
            button = self._nodes[self._selected]
            assert isinstance(button, RadioButton)
            screen = self.screen
            assert isinstance(screen, PeriodScreen)
            screen.take_preset(button.id)
            if not button.value:
                button.value = True
            screen.action_apply()


class PeriodScreen(DialogKeys, ModalScreen[PeriodChoice | None]):
    """Dismisses with the :class:`PeriodChoice`, or None when cancelled."""

    BINDINGS = [
        Binding("enter", "apply", "Apply", id="period.apply"),
        Binding("escape", "cancel", "Cancel", id="period.cancel"),
    ]
    HELP_NAME = "period"
    text_box = True  # the date boxes

    def __init__(
        self,
        *,
        i18n: I18n,
        shown: Period | None,
        since: date | None = None,
        until: date | None = None,
        days: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.i18n = i18n
        self.shown = shown
        self.today = today
        if since is None and until is None and days is None and shown is not None:
            # The default: the last 30 days up to today, one of the quick choices.
            days = len(shown)
        #: The boxes that the error line speaks of (None: it says nothing).
        self.wrong: tuple[str, str, str] | None = None
        self.values = (
            since.isoformat() if since else "",
            until.isoformat() if until else "",
            str(days) if days is not None else "",
        )

    def key_labels(self) -> Mapping[str, str]:
        return {"period.apply": "period.apply", "period.cancel": "key.cancel"}

    def compose(self) -> ComposeResult:
        t = self.i18n.t
        lang = self.i18n.language
        since, until, days = self.values
        preset = _preset(since, until, days)
        with Vertical(id="period", classes="dialog"):
            yield Static(Content(t("period.title")), classes="dialog-title")
            if self.shown is not None:
                now = t("period.now", period=self.shown.label(lang))
                yield Static(Content(now), id="period-now")
            yield FieldLabel(t("period.presets"), field="period-presets")
            with PresetSet(id="period-presets", compact=True):
                for n in PRESETS:
                    yield CharRadioButton(
                        Content(t("period.preset", n=n)), value=preset == n, id=f"preset-{n}"
                    )
                yield CharRadioButton(
                    Content(t("period.custom")), value=preset is None, id="preset-custom"
                )
            for end, value in (("since", since), ("until", until)):
                field = t(f"period.field.{end}")
                yield FieldLabel(t(f"period.{end}", field=field), field=f"period-{end}")
                yield PeriodBox(
                    value,
                    placeholder=t("period.date_form"),
                    id=f"period-{end}",
                    compact=True,
                    max_length=DATE_CHARS,
                )
            yield FieldLabel(t("period.days", field=t("period.field.days")), field="period-days")
            yield PeriodBox(days, id="period-days", compact=True, max_length=DAYS_CHARS)
            yield Static("", id="period-error", markup=False, classes="-empty")
            with Horizontal(classes="dialog-buttons"):
                yield CharButton(Content(t("period.apply")), id="period-go", variant="primary")
                yield CharButton(Content(t("key.cancel")), id="period-cancel")
            yield Static(Content(period_hint(self.i18n)), classes="dialog-hint", id="period-hint")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        mark_focused_field(self, event.widget)
        # The hint says what enter does there, as the footer does (on Cancel: cancel).
        hint = period_hint(self.i18n, cancel=event.widget.id == "period-cancel")
        self.query_one("#period-hint", Static).update(Content(hint))

    def boxes(self) -> tuple[str, str, str]:
        """What the three boxes say now."""
        return (
            self.query_one("#period-since", Input).value,
            self.query_one("#period-until", Input).value,
            self.query_one("#period-days", Input).value,
        )

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.take_preset(event.pressed.id)

    def take_preset(self, button_id: str | None) -> None:
        """The quick choice of ``button_id`` in the boxes (none for "own period")."""
        chosen = (button_id or "").removeprefix("preset-")
        if chosen.isdigit():  # a quick choice fills the boxes; "own period" keeps them
            self.query_one("#period-since", Input).value = ""
            self.query_one("#period-until", Input).value = ""
            self.query_one("#period-days", Input).value = chosen

    def on_input_changed(self, event: Input.Changed) -> None:
        # At most two of the three, as `stats` reads them: the box typed in wins, and the
        # one it leaves over is emptied where all can see it (two dates typed over the
        # quick choice's days empty the days; days typed beside two dates empty "since").
        since, until, days = self.boxes()
        if event.value.strip() and since.strip() and until.strip() and days.strip():
            spare = "#period-since" if event.input.id == "period-days" else "#period-days"
            self.query_one(spare, Input).value = ""
        # The quick choice the boxes now say, or "own period": (•) follows the typing.
        n = _preset(*self.boxes())
        button = self.query_one(f"#preset-{n if n is not None else 'custom'}", CharRadioButton)
        if not button.value:
            button.value = True
        if self.boxes() != self.wrong:
            # What the error was about is changed. (Not on the late change messages of
            # keys typed before an enter in one burst: they cleared the error it showed.)
            self.wrong = None
            self.say("")

    def choice(self) -> PeriodChoice | str:
        """The period the boxes say, or the one line of what is wrong with it."""
        since, until, days = self.boxes()
        try:
            period, n = period_from_text(
                since,
                until,
                days,
                today=self.today,
                language=self.i18n.language,
                names=field_names(self.i18n),
            )
        except PeriodError as exc:
            return str(exc)
        first = period.first if since.strip() else None
        # The day typed, not the period's last: one cut at today (read.days) stays cut,
        # and says so, on each refresh.
        last = date.fromisoformat(until.strip()) if until.strip() else None
        return PeriodChoice(first, last, n, period)

    def say(self, error: str) -> None:
        """Show ``error`` on the error line ("" empties it) in place of the hint, whose
        keys the footer says too (the error's lines scrolled the dialog at 60x20 and
        80x24)."""
        say_line(self.query_one("#period-error", Static), error)
        self.query_one("#period").set_class(bool(error), "-error")

    def action_apply(self) -> None:
        found = self.choice()
        if isinstance(found, str):
            self.wrong = self.boxes()
            self.say(found)
            return
        self.dismiss(found)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "period-go":
            self.action_apply()
        else:
            self.dismiss(None)


def period_hint(i18n: I18n, *, cancel: bool = False) -> str:
    """The dialog's hint line, with what enter does where the focus is: apply, or on
    the Cancel button cancel (it said "enter: apply" there, and enter cancelled)."""
    enter = i18n.t("period.hint.cancel" if cancel else "period.hint.apply")
    return i18n.t("period.hint", enter=enter)


def _preset(since: str, until: str, days: str) -> int | None:
    """The quick choice that ``since``, ``until`` and ``days`` are, or None."""
    if since.strip() or until.strip():
        return None
    raw = days.strip()
    return int(raw) if raw.isdigit() and int(raw) in PRESETS else None
