"""Which invisible characters each place that handles untrusted text drops: one home
(text.py's named sets), every code point of every set, for every caller.

A stored body (the HTML and plain-text connectors) drops controls and bidi overrides and
keeps the bidi marks (correct Arabic and Hebrew text uses them); what is printed on a line
of ours (a server's error, a search hit, a report, the TUI) drops the marks too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reactieveld import cli_read, text
from reactieveld.connectors import htmltext, http, plaintext
from reactieveld.reports.fields import inert


def _points(ranges: str) -> list[str]:
    """Every character of a character-class string of ranges ("a-c" and single ones)."""
    out: list[str] = []
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            out += [chr(c) for c in range(ord(ranges[i]), ord(ranges[i + 2]) + 1)]
            i += 3
        else:
            out.append(ranges[i])
            i += 1
    return out


CONTROLS = _points(text.C0_C1)
OVERRIDES = _points(text.BIDI_OVERRIDES)
MARKS = _points(text.BIDI_MARKS)


def test_the_sets_are_what_they_say() -> None:
    assert len(CONTROLS) == 32 - 2 + 1 + 32  # C0 but tab and newline, DEL, C1
    assert "\t" not in CONTROLS and "\n" not in CONTROLS
    assert OVERRIDES == [*"\u202a\u202b\u202c\u202d\u202e", *"\u2066\u2067\u2068\u2069"]
    assert MARKS == ["\u200e", "\u200f", "\u061c"]


def _paragraphs(value: str) -> str:
    return "\n".join(" ".join(p) for p in plaintext.paragraphs(value))


# Each caller, and whether it keeps the bidi marks.
CALLERS: dict[str, tuple[Callable[[str], str], bool]] = {
    "htmltext.html_to_text": (lambda v: htmltext.html_to_text(f"<p>{v}</p>"), True),
    "htmltext.html_to_text (paragraphs)": (
        lambda v: htmltext.html_to_text(f"<p>x</p><p>{v}</p>"),
        True,
    ),
    "htmltext.html_to_text (parser)": (
        lambda v: htmltext.html_to_text(f"<div><p>{v}</p><ul><li>x</li></ul></div>"),
        True,
    ),
    "htmltext.plain_text": (htmltext.plain_text, True),
    "plaintext.paragraphs": (_paragraphs, True),
    "http.clean_text": (http.clean_text, False),
    "cli_read search line": (cli_read._clean, False),
    "reports inert": (inert, False),
    "text.clean": (text.clean, False),
    "text.pasted_line": (text.pasted_line, False),
}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_every_control_and_override_is_dropped_and_marks_as_decided(caller: str) -> None:
    shown, keeps_marks = CALLERS[caller]
    for char in [*CONTROLS, *OVERRIDES]:
        if caller == "text.clean" and char in CONTROLS:
            # Drawn as a replacement character (text.clean says why), never as itself.
            assert char not in shown(f"ab{char}cd"), (caller, hex(ord(char)))
            continue
        out = shown(f"ab{char}cd")
        assert char not in out, (caller, hex(ord(char)))
        assert "ab" in out, (caller, hex(ord(char)), out)  # an escape may take "cd"
    for char in MARKS:
        out = shown(f"ab{char}cd")
        assert (char in out) == keeps_marks, (caller, hex(ord(char)), out)
