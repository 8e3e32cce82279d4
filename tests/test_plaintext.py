"""A reply is plain text on every platform: generated text with HTML, entities, Markdown,
links and mentions comes out, after the platform's own rendering, as the text typed.

WordPress: the HTML we send is parsed back (tags, text). Discourse and Decidim: the
Markdown we send is rendered by markdown-it (CommonMark, what Discourse uses) and must
hold only paragraphs and the text itself. The real WordPress check is in
tests/test_wordpress_real.py.
"""

from __future__ import annotations

import html
import string
from html.parser import HTMLParser

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reactieveld.connectors.plaintext import markdown_literal, paragraphs, wordpress_html

PIECES = [
    "<script>alert(1)</script>",
    "a < b",
    "&amp;",
    "&lt;",
    "&#64;",
    "**vet**",
    "_schuin_",
    "[x](javascript:alert(1))",
    "![img](http://x/y.png)",
    "<http://x>",
    "@anne",
    "#tag",
    "`code`",
    "```",
    "~~weg~~",
    "| a | b |",
    "1. ",
    "2) ",
    "- ",
    "+ ",
    "* ",
    "> ",
    "# ",
    "===",
    "---",
    "    ",
    "\t",
    "\n",
    "\n\n",
    "\\",
    "[quote]x[/quote]",
    "<!-- c -->",
    "é",
    "—",
]
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(string.ascii_letters + string.punctuation + " ")),
    max_size=12,
).map("".join)

CASES = [
    "<script>alert(1)</script>\n\na < b & c",
    "Zie [dit](javascript:alert(1)) en **dat**, @anne #tag",
    "1. eerst\n2. dan\n\n- punt\n    ingesprongen",
]


class _Reader(HTMLParser):
    """Tags and text of rendered HTML; paragraph ends as blank lines. A line break is the
    newline after <br /> (WordPress) or the soft break (markdown-it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "p":
            self.text.append("\n\n")

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append("!--")


def read(markup: str) -> tuple[set[str], list[list[str]]]:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    text = "".join(reader.text)
    blocks = [b for b in text.split("\n\n") if b.strip("\n")]
    return set(reader.tags), [[line.strip() for line in b.strip("\n").split("\n")] for b in blocks]


def expected(text: str) -> list[list[str]]:
    return [[line.strip() for line in block] for block in paragraphs(text)]


@settings(max_examples=500, deadline=None)
@given(texts)
@example(CASES[0])
@example(CASES[1])
@example(CASES[2])
def test_wordpress_html_shows_the_text(text):
    markup = wordpress_html(text)
    tags, blocks = read(markup)
    assert tags <= {"p", "br"}
    assert blocks == expected(text)
    assert markup.count("<br />") == sum(len(b) - 1 for b in expected(text))
    assert "<script" not in markup


# markdown-it renders a soft line break as "\n" (Discourse renders it as <br>).
MD = MarkdownIt("commonmark")


def _md_read(markup: str) -> tuple[set[str], list[list[str]]]:
    tags, blocks = read(markup)
    # No-break spaces keep indentation (four spaces would be a code block).
    return tags, [[line.replace("\u00a0", " ").strip() for line in b] for b in blocks]


@settings(max_examples=500, deadline=None)
@given(texts, st.booleans(), st.booleans())
@example(CASES[0], True, False)
@example(CASES[1], True, True)
@example(CASES[2], False, True)
def test_markdown_literal_renders_as_the_text(text, mentions, hashtags):
    source = markdown_literal(text, mentions=mentions, hashtags=hashtags)
    tags, blocks = _md_read(MD.render(source))
    assert tags <= {"p", "br"}, source
    assert blocks == expected(text), source
    if mentions:
        assert all(c == "\\" for c in [source[i - 1] for i, ch in enumerate(source) if ch == "@"])


def test_the_three_cases_read_well():
    assert wordpress_html(CASES[0]) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n\n<p>a &lt; b &amp; c</p>"
    )
    assert markdown_literal(CASES[1], mentions=True) == (
        "Zie \\[dit\\](javascript:alert(1)) en \\*\\*dat\\*\\*, \\@anne #tag"
    )
    assert markdown_literal(CASES[1], hashtags=True) == (
        "Zie \\[dit\\](javascript:alert(1)) en \\*\\*dat\\*\\*, @anne \\#tag"
    )
    assert markdown_literal(CASES[2]) == (
        "1\\. eerst\n2\\. dan\n\n\\- punt\n\u00a0\u00a0\u00a0\u00a0ingesprongen"
    )
    assert html.unescape("&lt;") == "<"  # the reader above relies on it
