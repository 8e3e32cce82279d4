"""HTML to plain text: the fast path for simple comments gives what the parser gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reactieveld.connectors import htmltext
from reactieveld.connectors.htmltext import html_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"


def _parser_only(html: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as m:
        m.setattr(htmltext, "_one_paragraph", lambda _html: None)
        m.setattr(htmltext, "_simple_parts", lambda _html: None)
        return html_to_text(html)


def _recorded_bodies() -> list[str]:
    bodies = []
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("body", data)
        if isinstance(data, list):
            bodies += [
                c["content"]["rendered"]
                for c in data
                if isinstance(c, dict) and isinstance(c.get("content"), dict)
            ]
    return bodies


EDGE_CASES = [
    "<p>Goed plan.<br />\nMaar de weg &amp; het fietspad?</p>\n<p>Groet.</p>\n",
    "<p>a&nbsp;&nbsp;b &lt;c&gt; &#x27; &#39;</p>",
    "<P>x</P><BR>y",
    "<p>a < b</p>",
    "<p>x</p>\n\n\n<p>y</p>",
    "a &amp b",
    "<p>\x1b[31m rood</p>",
    "<p>&#0; &#x9b; nul</p>",
    "<p>  veel\t\truimte  </p>",
    "<p>[bold]geen opmaak[/] [@click=app.quit]x[/]</p>",
    "<p>tekst<script>alert(1)</script></p>",
    "<p>\xa0nbsp\u2028regel\u3000ideo\u200bzero\u2003em </p>\n",
    "<p>\u202eomgekeerd\u202c</p>",
    "<p></p>",
    "<p> </p>\n",
]


def test_one_paragraph_path_equals_the_parser_on_every_whitespace(monkeypatch) -> None:
    """The one-paragraph path folds whitespace with str.split; the parser with \\s."""
    import random
    import sys

    rnd = random.Random(7)
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    alphabet = [*spaces, *"abc é-.,'\"", "\u200b", "\u202e", "\ufeff"]
    for _ in range(2000):
        body = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        html = f"<p>{body}</p>" + rnd.choice(["", "\n", " \n\t"])
        assert html_to_text(html) == _parser_only(html, monkeypatch), repr(html)


def test_fast_path_equals_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = EDGE_CASES + _recorded_bodies()
    assert len(samples) > 50  # the recorded real WordPress comments are there
    fast = [s for s in samples if htmltext._simple_parts(s) is not None]
    assert len(fast) > len(samples) // 2  # most real comments take the fast path
    for html in samples:
        assert html_to_text(html) == _parser_only(html, monkeypatch), html


def test_text_is_plain_and_safe() -> None:
    assert html_to_text("<p>Goed plan.<br />\nMaar &amp; dan?</p><p>Groet</p>") == (
        "Goed plan.\nMaar & dan?\n\nGroet"
    )
    assert html_to_text("<p>tekst<script>alert(1)</script></p>") == "tekst"
    assert html_to_text("<p>\x1b[31m rood \x9b</p>") == "[31m rood"
    assert html_to_text("<p>[bold]x[/]</p>") == "[bold]x[/]"  # literal, not markup
