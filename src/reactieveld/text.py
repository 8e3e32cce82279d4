"""One place that makes untrusted text safe to draw.

Comment bodies, author names, thread titles, URLs and server error texts come from the
internet. Markup is never parsed from them (callers wrap them in ``Content``/``Text`` or
``markup=False``); this module removes what would still garble a terminal: ANSI and OSC
escape sequences, C0/C1 control characters, bidi overrides that reorder the rest of the
line, towers of combining marks, and the emoji selector that terminals and Rich measure
differently (after a narrow character). Very long words are cut so that a 20,000-character
word costs nothing to lay out.
"""

from __future__ import annotations

import re
import sys
import textwrap
import unicodedata
from collections.abc import Sequence

from rich.cells import cell_len, split_graphemes
from rich.text import Text

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P/X/^/_ ... ST),
# other two-character ESC sequences, and their 8-bit C1 forms.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)

# The one home of which invisible characters untrusted text loses (as character-class
# ranges, for ``re``). Every place that drops them builds its pattern from these.
#: C0 controls but tab and newline, DEL, and C1 controls: a NUL, the ESC (or the 8-bit
#: CSI) that starts a terminal's escape sequence, a bell, a backspace that overwrites.
C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder
#: the display of everything that follows, e.g. "moc.live" shown as "evil.com".
BIDI_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
#: The bidi marks LRM, RLM and ALM (U+200E, U+200F, U+061C): invisible, they only set the
#: direction of the neutral characters beside them. Correct Arabic and Hebrew text uses
#: them, so text that is kept (a stored body) keeps them; what is drawn or printed on a
#: line of ours drops them (a mark beside a name or a number still moves "(3)" or ":").
BIDI_MARKS = "\u200e\u200f\u061c"
#: Unicode's line and paragraph separators: a line break that no terminal draws as one.
LINE_SEPARATORS = "\u2028\u2029"


def char_class(*sets: str) -> re.Pattern[str]:
    """One pattern matching every character of the named ``sets`` above."""
    return re.compile("[" + "".join(sets) + "]")


#: Text that is kept (a comment's body as a connector stores it): controls and overrides
#: dropped, the marks kept (see ``BIDI_MARKS``).
KEPT_UNSAFE = char_class(C0_C1, BIDI_OVERRIDES)
#: Text printed on a line of ours (a server's error, a search hit, a report's cell):
#: controls, overrides and marks dropped.
SHOWN_UNSAFE = char_class(C0_C1, BIDI_OVERRIDES, BIDI_MARKS)
_BIDI = char_class(BIDI_OVERRIDES, BIDI_MARKS)
_CONTROLS = char_class(C0_C1, LINE_SEPARATORS)
_MAX_COMBINING = 2
#: Longest run of non-space characters shown; longer words are cut with an ellipsis.
MAX_WORD = 200
_LONG_WORD = re.compile(r"\S{" + str(MAX_WORD + 1) + ",}")
_SPACES = re.compile(r"\s+")
# The emoji variation selector (U+FE0F) after a character one cell wide on its own (❤, 🗑,
# ☀, ✔, ©, a keycap's digit): Rich measures the pair as two cells, but many terminals
# (tmux 3.3, xterm, older VTE) draw it in one, so a row laid out by the one and drawn by
# the other ends a cell early and leaves a stale character at the screen's edge. Without
# the selector every terminal and Rich agree on one cell (the symbol in its text style).
# After a character wide on its own (😀) it changes nothing and stays.
_VS16 = re.compile("(.)\ufe0f+(?![\ufe0f\u200d])", re.S)


# Emoji that some terminals draw as one picture and others as their parts (measured in
# tmux 3.3a against Rich 15, which measures each grapheme as one): a skin tone after an
# emoji (👍🏽: Rich 2 cells, tmux 4), a sequence joined by ZWJ (❤️‍🔥, 🏳️‍🌈: Rich 2, tmux
# 1; 👩🏽‍⚕️: Rich 2, tmux 4; 👨‍👩‍👧: Rich 2, a terminal that does not join, xterm, 6) and
# letters joined by one (Rich 1, every terminal 2). A row laid out by Rich then ends a
# cell or more off on the screen. Without skin tones and joiners every terminal and Rich
# agree (👍, ❤🔥, 👨👩👧: what a terminal that does not join draws anyway).
_JOINED = re.compile("[\u200d\U0001f3fb-\U0001f3ff]")


def _vs16_kept(match: re.Match[str]) -> str:
    return (
        match.group(0) if unicodedata.east_asian_width(match.group(1)) in "WF" else match.group(1)
    )


def _limit_combining(text: str) -> str:
    # ASCII has no combining marks: most names, times and sources skip the per-character
    # look-up (the queue cleans every cell of every row it draws, the first frame ~150).
    if text.isascii() or not any(unicodedata.combining(c) for c in text):
        return text
    out: list[str] = []
    run = 0
    for c in text:
        if unicodedata.combining(c):
            run += 1
            if run > _MAX_COMBINING:
                continue
        else:
            run = 0
        out.append(c)
    return "".join(out)


def clean(text: str | None, *, limit: int = 20_000, joins: bool = False) -> str:
    """Untrusted multi-line text made safe to show literally (newlines and tabs kept).

    Escape sequences are removed, other controls shown as ``\N{REPLACEMENT CHARACTER}``,
    bidi controls dropped, skin tones and zero-width joiners dropped (see ``_JOINED``;
    kept with ``joins``: text that is kept or searched, not drawn, see :func:`unjoined`),
    the emoji selector U+FE0F after a narrow character dropped (see ``_VS16``), words
    longer than :data:`MAX_WORD` cut, and the whole cut at ``limit`` characters.
    """
    if not text:
        return ""
    cut = len(text) > limit
    text = text[:limit]
    text = _ESCAPES.sub("", text)
    text = _BIDI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", text)
    text = _limit_combining(text)
    if not joins:
        text = unjoined(text)
    if "\ufe0f" in text:
        text = _VS16.sub(_vs16_kept, text)
    text = _LONG_WORD.sub(lambda m: m.group(0)[:MAX_WORD] + "\N{HORIZONTAL ELLIPSIS}", text)
    return text + ("\N{HORIZONTAL ELLIPSIS}" if cut else "")


def unjoined(text: str) -> str:
    """``text`` without skin tones and zero-width joiners (``_JOINED``), as it is drawn.
    Only for what is drawn: a word joined by ZWJ is two words to the search index, one
    without it (a match's spans are found in the text with them, then dropped)."""
    return text if text.isascii() else _JOINED.sub("", text)


def one_line(text: str | None, *, limit: int = 400, joins: bool = False) -> str:
    """Untrusted text as one safe line (for the queue): whitespace collapsed, cut at
    ``limit`` characters (enough for any terminal width). ``joins``: see :func:`clean`."""
    if not text:
        return ""
    # Cut before cleaning: a row is redrawn often, a body can be huge.
    line = clean(text[: limit * 2], limit=limit * 2, joins=joins)
    return _SPACES.sub(" ", line).strip()[:limit]


def cut_whole(text: str, length: int) -> str:
    """The longest start of ``text`` of at most ``length`` characters that ends between
    two graphemes (never between a letter and its accent, an emoji and its skin tone, a
    flag's two letters)."""
    if len(text) <= length or text.isascii():
        return text[: max(0, length)]
    import regex  # Rich's split_graphemes splits a flag in two

    end = 0
    for grapheme in regex.finditer(r"\X", text):
        if grapheme.end() > length:
            break
        end = grapheme.end()
    return text[:end]


def pasted_line(text: str) -> str:
    """Text pasted into a one-line field as the line a user means: escape sequences,
    bidi controls and other control characters dropped, every run of whitespace (line
    breaks, tabs) one space, none at either end (a copied line's newline)."""
    text = _BIDI.sub("", _ESCAPES.sub("", text))
    # Whitespace first (a line separator is a control too), again once the controls
    # between spaces are gone.
    text = _SPACES.sub(" ", _CONTROLS.sub("", _SPACES.sub(" ", text))).strip()
    text = _limit_combining(text)
    return _VS16.sub(_vs16_kept, text) if "\ufe0f" in text else text


def shorten(text: str, width: int, *, words: bool = True) -> str:
    """``text`` (already safe, one line) in at most ``width`` terminal cells.

    Longer text ends in "…" so that a reader sees it goes on; it is cut after the last
    whole word that fits, or mid-word when that would leave less than half the room (one
    very long word, a URL) or when ``words`` is false (a name in a narrow column, where
    "Gemeente Blaric…" says more than "Gemeente…").
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "\N{HORIZONTAL ELLIPSIS}"[: max(width, 0)]
    room = width - 1
    end = room  # the first character left out
    if not text.isascii():  # the queue redraws rows: ASCII is one cell per character
        # Grapheme by grapheme, measured as the screen draws them: an emoji with its
        # variation selector (U+FE0F), a family joined by ZWJ, a skin tone or a flag is
        # one grapheme of two cells, not the sum of its code points' widths.
        used = 0
        for start, _, cells in split_graphemes(text)[0]:
            used += cells
            if used > room:
                end = start
                break
    head = text[:end]
    if words and not text[end].isspace():
        space = head.rfind(" ")
        if space >= room // 2:
            head = head[:space]
    # "dialoog,…" reads as if the comma were part of the text: end on the word itself.
    return head.rstrip(" ,;:-–—") + "\N{HORIZONTAL ELLIPSIS}"


def shorten_styled(text: Text, width: int) -> Text:
    """:func:`shorten` for styled text (a tree's line of time, name and words): cut
    where ``shorten`` cuts its plain text, the styles of what is kept kept, and "…"."""
    plain = text.plain
    cut = shorten(plain, width)
    if cut == plain:
        return text
    kept = cut[:-1]  # shorten keeps a start of the text and adds "…"
    out = text[: len(kept)]
    out.append("\N{HORIZONTAL ELLIPSIS}")
    return out


def preview(text: str | None, limit: int) -> str:
    """Untrusted text as one safe line of at most ``limit`` cells, ending in "…" when
    cut (a parent, a reply, a name: the reader must see that there is more)."""
    return shorten(one_line(text, limit=limit + 1), limit)


def fit_parts(
    parts: Sequence[str], width: int, *, sep: str = " · ", indent: str = "", hang: str = ""
) -> list[str]:
    """``parts`` joined by ``sep`` in lines of at most ``width`` cells that break between
    two parts, never inside one that fits a line: a heading and its period
    (``Reacties per dag per bron:`` / ``2026-11-08 – 2026-12-07 (30 dagen, UTC)``), a
    "code = label" pair. The separator's mark stays at the end of the line it closes; a
    part wider than a line is wrapped at its spaces (a word wider still, folded).
    ``indent`` starts the first line, ``hang`` the others."""
    mark = sep.rstrip()
    last = len(parts) - 1
    lines: list[str] = []
    line = indent
    for n, part in enumerate(parts):
        joined = line + (sep if n else "") + part
        # Room for the mark too, should the next part go on the next line.
        if not n or cell_len(joined + (mark if n < last else "")) <= width:
            line = joined
            continue
        # The line break separates too: the mark only where it fits.
        lines.append(line + mark if cell_len(line + mark) <= width else line)
        line = hang + part
    lines.append(line)
    out: list[str] = []
    for n, line in enumerate(lines):
        if cell_len(line) <= width:
            out.append(line)
            continue
        lead = hang if n else indent
        wrapped = textwrap.wrap(
            line[len(lead) :],
            max(width, 1),
            initial_indent=lead,
            subsequent_indent=hang,
            break_on_hyphens=False,
        )
        out.extend(wrapped or [line])
    return out


def error_line(message: str) -> str:
    """The one form of every error line of the command line (each subcommand, the sync
    service, the app's start): ``reactieveld: `` and what is wrong. The message names the
    flag, file or filter it is about; the subcommand is what the reader just typed."""
    return f"reactieveld: {message}"


#: The exit code of a command ended by Ctrl-C (128 + SIGINT), as a shell expects.
EXIT_INTERRUPTED = 130


def say_error(message: str) -> None:
    """:func:`error_line` on stderr."""
    print(error_line(message), file=sys.stderr)


def fold(text: str) -> str:
    """Lower-case and strip diacritics, as the FTS tokenizer does (for vocab look-ups),
    and as search's typed filter ``rol:`` compares a role's names
    (:func:`reactieveld.codebook.filter_names`).

    Not :func:`reactieveld.rule_text.folded`, which case-folds after it decomposes and so
    answers otherwise on 700 characters (styled capitals "𝐀", "ᴬ", "ℌ" in lower case, the
    ypogegrammeni dropped): roles' labels that load today would clash, ``rol:`` find more."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
