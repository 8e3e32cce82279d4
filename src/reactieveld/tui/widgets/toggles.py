"""Checkboxes and radio buttons whose state shows in characters, not only in colour.

Textual draws ``▐X▌`` for a checkbox and ``▐●▌`` for a radio button, on and off alike: only
the colour of the inner character changes, which a colour-blind moderator, a monochrome
terminal or ``NO_COLOR`` cannot see (and an export with personal data must never look
like one without). These draw ``[x]``/``[ ]`` and ``(•)``/``( )``, and drop the tall
border so that a dialog fits an 80x24 terminal; the one the keys act on has a ``▸``
before it (the highlighted label alone is colour again). So has the focused button
(:class:`CharButton`) and a field's label (:class:`FieldLabel`).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content, ContentText
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button, Checkbox, RadioButton, Static

CHECK_ON, CHECK_OFF = "[x]", "[ ]"
RADIO_ON, RADIO_OFF = "(•)", "( )"

_CSS = """
{name} {{
    border: none;
    padding: 0;
    /* A label wider than the dialog wraps (at 60 columns "Include personal data (names,
       e-mail, phone, postcode)" lost its end): never cut what a switch includes. */
    height: auto;
    max-width: 100%;
    &:focus {{ border: none; }}
    & > .toggle--button {{ background: transparent; }}
    &.-on > .toggle--button {{ background: transparent; text-style: bold; }}
}}
"""


FOCUS_MARK = "▸"


class _CharToggle:
    """The part both share: the button as plain characters for the current value."""

    ON: str
    OFF: str
    value: bool

    def _keys_here(self) -> bool:
        return bool(self.has_focus)  # type: ignore[attr-defined]

    def _lines(self, width: int) -> list[Content]:
        """The button, then the label wrapped beside it in ``width`` cells (Textual's
        toggles are one line, cut: these go on under the label, not under the button)."""
        button = self._button
        style = self.get_visual_style("toggle--label")  # type: ignore[attr-defined]
        label = self._label.pad(1, 1).stylize_before(style)  # type: ignore[attr-defined]
        hang = button.cell_length
        lines = label.wrap(max(width - hang, 1)) or [Content("")]
        return [button + lines[0], *(Content(" " * hang) + line for line in lines[1:])]

    def render(self) -> Content:
        # Before the first layout (no width yet) one line, as Textual draws it.
        width: int = self.content_region.width or 1000  # type: ignore[attr-defined]
        return Content("\n").join(self._lines(width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")  # type: ignore[attr-defined]
        lead = FOCUS_MARK if self._keys_here() else " "
        return Content.assemble(lead, (self.ON if self.value else self.OFF, style))


class CharCheckbox(_CharToggle, Checkbox):
    """A checkbox drawn ``[x]`` (on) or ``[ ]`` (off)."""

    ON, OFF = CHECK_ON, CHECK_OFF
    DEFAULT_CSS = _CSS.format(name="CharCheckbox")


class CharRadioButton(_CharToggle, RadioButton):
    """A radio button drawn ``(•)`` (chosen) or ``( )``."""

    ON, OFF = RADIO_ON, RADIO_OFF
    DEFAULT_CSS = _CSS.format(name="CharRadioButton")

    def _keys_here(self) -> bool:
        # In a RadioSet the set has the focus and highlights one button ("-selected").
        parent = self.parent
        return self.has_class("-selected") and bool(getattr(parent, "has_focus", False))


class CharButton(Button):
    """A button with ``▸`` before its label while it has the focus (which button enter
    presses shows in characters, not only as the focused button's colour); the two cells
    are blank otherwise, so the label does not move.

    Its ``enter`` is in the footer as ``⏎`` and its label: Textual's button binds it
    unshown, which hid the dialog's own (the period dialog's "⏎ Apply" left the footer
    while its Apply button had the focus, and nothing said what enter did)."""

    def __init__(self, label: ContentText | None = None, *args: Any, **kw: Any) -> None:
        super().__init__(label, *args, **kw)
        self._bind_enter()

    def watch_label(self) -> None:
        self._bind_enter()
        if self.is_attached:
            self.refresh_bindings()

    def _bind_enter(self) -> None:
        assert isinstance(self.label, Content)
        self._bindings.key_to_bindings["enter"] = [
            Binding("enter", "press", self.label.plain, id="button.press")
        ]

    def render(self) -> RenderResult:
        label = self.label if isinstance(self.label, Content) else Content(str(self.label))
        lead = FOCUS_MARK + " " if self.has_focus else "  "
        return Content.assemble(lead, label)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # Room for the mark: a long label ("Overschrijven") is never cut by it.
        return super().get_content_width(container, viewport) + 2

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()


class FieldLabel(Static):
    """A dialog field's label that reads ``▸`` while its field (``field``, an id) has the
    focus: which field the keys reach shows in characters too, not only as a colour."""

    def __init__(self, text: str, *, field: str, id: str | None = None) -> None:
        super().__init__(Content("  " + text), id=id, markup=False)
        self.text = text
        self.field = field

    def mark(self, focused: Widget | None) -> None:
        """Draw the ``▸`` when ``focused`` is this label's field or inside it (a select's
        open drop-down list)."""
        here = focused is not None and any(
            node.id == self.field for node in focused.ancestors_with_self
        )
        lead = FOCUS_MARK + " " if here else "  "
        self.update(Content(lead + self.text))


def mark_focused_field(screen: Widget, focused: Widget | None) -> None:
    """Point every :class:`FieldLabel` of ``screen`` at the focused field (or none)."""
    for label in screen.query(FieldLabel):
        label.mark(focused)
