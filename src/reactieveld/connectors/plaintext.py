"""What the moderator types is plain text; each platform gets it in a form that shows it
literally.

The reply editor is a plain text box, and the app shows comments literally: a moderator
who quotes a hostile comment (``<script>alert(1)</script>``) or writes ``a < b`` means
those characters, not markup. Platforms read a reply as markup:

* WordPress takes ``content`` as HTML; with an account that may post unfiltered HTML (an
  administrator's) a ``<script>`` would be published as a live script, and ``a < b``
  breaks the page. :func:`wordpress_html` escapes ``& < > " '`` and makes paragraphs of
  blank-line separated blocks (``<p>``) and line breaks of single newlines (``<br />``),
  as WordPress's own ``wpautop`` would for a plain text comment, so its later ``wpautop``
  on display leaves the result as it is.
* Discourse reads ``raw`` as Markdown (markdown-it, CommonMark) with HTML allowed by its
  sanitizer; Decidim (0.24 and later) renders a comment's body as Markdown (Redcarpet,
  ``filter_html``: tags are dropped, not shown) after its content parsers turned
  ``@nickname`` and ``#hashtag`` into links. :func:`markdown_literal` puts a backslash
  before every character that could start Markdown or HTML, so both render the text as
  typed; a newline stays a line break (both platforms use hard line breaks) and a blank
  line a paragraph. ``@`` is escaped for Discourse (a mention notifies the person);
  Decidim's Markdown has no escape for ``@``, and its mention parser wants a nickname
  that exists, so it is left; ``#word`` is escaped for Decidim (its hashtag parser).
"""

from __future__ import annotations

import html
import re

from reactieveld.text import KEPT_UNSAFE

# Characters that start Markdown (emphasis, code, links and images, HTML, entities,
# tables, strikethrough) anywhere in a line. CommonMark allows a backslash before any
# ASCII punctuation; Redcarpet before each of these. "(" and "!" only mean something
# after or before a "[", which is escaped, so they stay readable.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# At the start of a line (after blanks): headings, quotes, lists, rules, setext underlines.
_MD_LINE_START = re.compile(r"(?m)^([ \t]*)([-+=>#]|\d+(?=[.)]))")
# A hashtag, for Decidim's hashtag parser (it wants a blank or the start before "#").
_HASHTAG = re.compile(r"#(?=\w)")
_INDENT = re.compile(r"^[ \t]+")
# C0/C1 controls except tab and newline, and bidi overrides: never meant, never shown
# (a carriage return is a line end by then).
_CONTROL = KEPT_UNSAFE


def _lines(text: str) -> str:
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def paragraphs(text: str) -> list[list[str]]:
    """The text as paragraphs (blocks between blank lines) of lines, trailing blanks and
    blank lines at the edges gone."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in _lines(text).split("\n"):
        line = line.rstrip()
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def wordpress_html(text: str) -> str:
    """Plain text as the HTML of a WordPress comment that shows it literally:
    ``a < b`` -> ``<p>a &lt; b</p>``; blank lines -> paragraphs, newlines -> ``<br />``."""
    return "\n\n".join(
        "<p>" + "<br />\n".join(html.escape(line, quote=True) for line in block) + "</p>"
        for block in paragraphs(text)
    )


def markdown_literal(text: str, *, mentions: bool = False, hashtags: bool = False) -> str:
    """Plain text as Markdown that renders as the text itself (Discourse, Decidim).
    ``mentions`` also escapes ``@`` so that ``@name`` notifies nobody (Discourse);
    ``hashtags`` escapes ``#word`` so that it stays text (Decidim)."""
    out = []
    for block in paragraphs(text):
        lines = []
        for line in block:
            line = _MD_INLINE.sub(r"\\\1", line)
            if mentions:
                line = line.replace("@", "\\@")
            if hashtags:
                line = _HASHTAG.sub(r"\\#", line)
            # The line-start marks after the inline pass: "1." or "-" at a line's start.
            line = _MD_LINE_START.sub(_escape_line_start, line)
            # Indentation as no-break spaces: four spaces would start a code block, where
            # escapes show as backslashes.
            line = _INDENT.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), line)
            lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _escape_line_start(match: re.Match[str]) -> str:
    blanks, mark = match.group(1), match.group(2)
    if mark.isdigit():  # "1." starts an ordered list; escape the dot, keep the number
        return blanks + mark + "\\"
    return blanks + "\\" + mark
