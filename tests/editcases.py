"""The edits a comment gets on the site between a sync and a write-back, for the tests
of test_edit_seen.py (the WordPress-shaped fake) and test_wordpress_real.py (the real
one): the comment's raw HTML before (:data:`BASE`) and after each kind of edit."""

from __future__ import annotations

#: A comment's raw HTML as the moderator saw it: words, an emoji and a link.
BASE = 'Goed plan \U0001f44d zie <a href="https://example.org/uitleg">de uitleg</a> hier'

#: Each kind of edit and whether it counts (model_values.text_digest): whitespace and
#: markup that changes no word and no address do not; a word, an emoji, a link target do.
EDITS = {
    "whitespace": False,
    "markup": False,
    "word": True,
    "emoji": True,
    "link": True,
}

_EDITED = {
    "whitespace": (
        '  Goed  plan\n\U0001f44d\tzie <a href="https://example.org/uitleg">de \n uitleg</a>'
        "   hier \n"
    ),
    "markup": (
        '<strong>Goed plan</strong> \U0001f44d zie <a href="https://example.org/uitleg">'
        "<em>de uitleg</em></a> hier"
    ),
    "word": 'Slecht plan \U0001f44d zie <a href="https://example.org/uitleg">de uitleg</a> hier',
    "emoji": 'Goed plan \U0001f44e zie <a href="https://example.org/uitleg">de uitleg</a> hier',
    "link": 'Goed plan \U0001f44d zie <a href="https://evil.example/koop">de uitleg</a> hier',
}


def edited_raw(kind: str) -> str:
    """:data:`BASE` after an edit of ``kind`` (one of :data:`EDITS`)."""
    return _EDITED[kind]
