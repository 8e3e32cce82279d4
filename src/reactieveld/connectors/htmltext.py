"""HTML to plain text, once, at the connector boundary.

Platforms hand us comment bodies as HTML (Discourse ``cooked``, Decidim
``formattedBody``, Go Vocal bodies, WordPress ``content.rendered``). The rest of
reactieveld only ever sees the plain text made here, so no widget is tempted to render
markup from a stranger; the original is kept as ``Response.body_raw`` for export.

Standard library only (``html.parser``): it never raises on broken markup, which is
what user content is.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from reactieveld.text import BIDI_OVERRIDES, C0_C1, KEPT_UNSAFE

# Tags after which the text continues on a new line.
_BLOCK = frozenset(
    "address article aside blockquote details dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul".split()
)
# Tags whose content is never text for a reader.
_SKIP = frozenset({"script", "style", "template", "head", "noscript", "svg"})
# C0/C1 controls except tab and newline, and bidi overrides (they once stayed here while
# plain text dropped them): the stored body keeps only what a reader should see.
_CONTROL = KEPT_UNSAFE


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "img":
            # Emoji and inline images: their alt text is what a reader would see.
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)
        elif tag in _BLOCK:
            self.parts.append("\n")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in _BLOCK and tag != "li":  # the next item starts its own line
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self.parts.append(data)


_TAG_SPLIT = re.compile(r"(<[^<>]*>)")
# One paragraph of text without tags, entities or what _CONTROL drops: what WordPress
# renders for most comments ("<p>...</p>\n"). Its text is the paragraph, spaces folded.
_ONE_P = re.compile("<p>([^<>&" + C0_C1 + BIDI_OVERRIDES + r"]*)</p>\s*")
_SIMPLE_TAG = re.compile(r"<\s*/?\s*(?:p|br)\s*/?\s*>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _one_paragraph(html: str) -> str | None:
    """The text of ``<p>...</p>`` without tags, entities or controls inside (most
    comments): the paragraph with its whitespace folded, as the steps of
    :func:`html_to_text` would make it, for a fifth of their time. None otherwise."""
    one = _ONE_P.fullmatch(html)
    return " ".join(one[1].split()) if one is not None else None


def _simple_parts(html: str) -> list[str] | None:
    """The text parts of HTML that holds only ``<p>`` and ``<br>`` tags (most comments),
    as the parser would give them; None when anything else is in it.

    A fast path: the parser costs ~30 us per comment, which a full sync of a large site
    pays on every page while the server waits."""
    one = _ONE_P.fullmatch(html)
    if one is not None:
        return [_SPACE.sub(" ", one[1])]
    parts: list[str] = []
    for i, piece in enumerate(_TAG_SPLIT.split(html)):
        if i % 2:
            if not _SIMPLE_TAG.fullmatch(piece):
                return None
            parts.append("\n")
        elif piece:
            if "<" in piece:
                return None
            parts.append(
                _SPACE.sub(" ", unescape(piece)) if "&" in piece else _SPACE.sub(" ", piece)
            )
    return parts


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: paragraphs and line breaks kept, tags dropped,
    entities decoded, control characters removed, runs of blank lines collapsed."""
    if not html:
        return ""
    text = _one_paragraph(html)
    if text is not None:
        return text
    parts = _simple_parts(html)
    if parts is None:
        parser = _Text()
        parser.feed(html)
        parser.close()
        parts = parser.parts
    if len(parts) == 1 and "\n" not in parts[0] and "\r" not in parts[0]:
        return _CONTROL.sub("", parts[0]).strip()  # one line: nothing to fold
    text = _CONTROL.sub("", "".join(parts))
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def plain_text(text: str | None) -> str:
    """Text that is already plain (markdown, a platform's ``body``), made safe the same
    way: control characters removed, line ends normalised, outer space trimmed."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
