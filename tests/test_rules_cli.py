"""``reactieveld rules test`` (issue 16): per rule the stored responses it matches, with
redacted examples; nothing flagged. No rules, or a bad rule: one line, exit 2."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from helpers.cli import run_main
from helpers.generated import store_examples
from helpers.store import open_store, page, resp
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.cli_read import MATCH_SHOWN
from reactieveld.store.base import QueueFilter

RULE = '[[rules]]\nname = "scheldwoorden"\nwords = ["kanker*"]\naction = "hold"\n'


async def _fill(db: Path) -> None:
    store = await open_store(str(db))
    await store.upsert_page(
        "blog",
        page(
            resp("a", "Wat een kankerlijer, bel 06-12345678", minutes=1),
            resp("b", "Vakankerken is mooi", minutes=2),
            resp("c", "KANKER", minutes=3),
        ),
    )
    await store.close()


async def _flagged(db: Path) -> int:
    store = await open_store(str(db))
    try:
        return await store.count(QueueFilter(flagged=True))
    finally:
        await store.close()


def test_rules_test_counts_and_redacts(tmp_path: Path):
    db = tmp_path / "m.db"
    asyncio.run(_fill(db))
    config = tmp_path / "config.toml"
    config.write_text(RULE, "utf-8")
    args = ["--config", str(config), "--db", str(db), "rules", "test"]
    code, out, err = run_main(["--lang", "en", *args])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "scheldwoorden (hold): 2 of 3 stored responses"
    assert "[kankerlijer]" in lines[1] and "06-12345678" not in out
    assert lines[2] == "  - [KANKER]"
    code, out, err = run_main(["--lang", "nl", *args])  # the line in the interface's language
    assert code == 0, err
    assert out.splitlines()[0] == "scheldwoorden (hold): 2 van 3 opgeslagen reacties"
    assert asyncio.run(_flagged(db)) == 0


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "words, body, expected",
    [
        # Matched only inside an e-mail address (redacted): the text's start, no "[]".
        ('["gijs"]', "Namens de vereniging: gijs@example.org", "  - Namens de vereniging: {email}"),
        # The word in redaction's token too ("[e-mail]"): only the text's own is marked.
        ('["mail*"]', "Mail mij via anna@example.org", "  - [Mail] mij via {email}"),
        ('["tel*", "nummer*"]', "Tel 06-12345678 graag", "  - [Tel] {phone} graag"),
    ],
)
def test_an_example_marks_only_the_text_s_own_words(
    tmp_path: Path, language, words, body, expected
):
    """The demo's "rules test" printed "[]Namens de winkeliersvereniging…" (the match was
    in an address redaction took out) and "[Mail] mij via [e-[mail]]" (the rule matched
    redaction's own token)."""
    from reactieveld.i18n import text

    out = _test_one(tmp_path, body, f"words = {words}", language)
    tokens = {"email": text("redact.email", language), "phone": text("redact.phone", language)}
    assert out.splitlines()[1] == expected.format(**tokens)


def _test_one(tmp: Path, body: str, rule: str, language: str) -> str:
    """What ``rules test`` prints on a memory of one response ``body`` with one rule "r"
    (``rule``: its words or pattern line)."""
    db = tmp / "m.db"

    async def fill() -> None:
        store = await open_store(str(db))
        await store.upsert_page("blog", page(resp("a", body, minutes=1)))
        await store.close()

    asyncio.run(fill())
    config = tmp / "config.toml"
    config.write_text(f'[[rules]]\nname = "r"\n{rule}\naction = "flag"\n', "utf-8")
    code, out, err = run_main(
        ["--lang", language, "--config", str(config), "--db", str(db), "rules", "test"]
    )
    assert code == 0, err
    return out


def test_an_example_names_no_author(tmp_path: Path):
    """'redacted examples' (README) kept every name: 'Beste [Gijs] van Leeuwen, bel ons op
    [phone number]'. An example is redacted as a report is: the names of the memory's
    authors, in any thread, become initials."""
    db = tmp_path / "m.db"

    async def fill() -> None:
        store = await open_store(str(db))
        await store.upsert_page(
            "blog",
            page(
                resp("a", "Over het parkeren.", author="Gijs van Leeuwen", minutes=1),
                resp("b", "Beste Gijs van Leeuwen, het parkeren volgt.", author="Gemeente"),
                resp("c", "Mevr. Jansen en Anna zeggen: parkeren!", thread="p2", minutes=2),
                resp("d", "Iets anders", author="Anna Jansen", thread="p3", minutes=3),
            ),
        )
        await store.close()

    asyncio.run(fill())
    config = tmp_path / "config.toml"
    config.write_text(RULE.replace('["kanker*"]', '["parkeren", "gijs"]'), "utf-8")
    code, out, err = run_main(["--lang", "en", "--config", str(config), "--db", str(db),
                               "rules", "test"])  # fmt: skip
    assert code == 0, err
    examples = [ln for ln in out.splitlines() if ln.startswith("  - ")]
    assert len(examples) == 3
    for word in ("Gijs", "Leeuwen", "Jansen", "Anna"):
        assert word not in out, out
    # "gijs" matched in the name: the name is redacted whole, in the brackets.
    assert "Beste [G.v.L.], het [parkeren] volgt." in out


_SHOUTED = ["Koop", "Nu", "Win", "Gratis", "Actie", "Bestel", "Snel"]


@given(
    words=st.lists(st.sampled_from(_SHOUTED), min_size=1, max_size=3, unique=True),
    case=st.sampled_from([str.upper, str.lower, str.capitalize]),
    markup=st.sampled_from([("[bold]", "[/bold]"), ("<b>", "</b>"), ("", ""), ("**", "**")]),
)
@settings(max_examples=25, deadline=None)
def test_an_example_marks_words_an_author_is_named_by(tmp_path_factory, words, case, markup):
    """An author "Win Nu" and a rule on "koop nu": the example of "[bold]KOOP NU[/bold]"
    read "KOOP N." with nothing marked (names were redacted before the rule matched).
    The matched words are marked as written, whatever author they name; the names of
    the memory outside the match are still initials."""
    tmp = tmp_path_factory.mktemp("r")
    db = tmp / "m.db"
    said = " ".join(case(w) for w in words)
    body = f"{markup[0]}{said}{markup[1]} zegt Anna Jansen hier"

    async def fill() -> None:
        store = await open_store(str(db))
        author = " ".join(words)  # the author is named by the matched words
        await store.upsert_page(
            "blog",
            page(
                resp("a", body, author=author, minutes=1),
                resp("b", "Iets anders", author="Anna Jansen", thread="p2", minutes=2),
            ),
        )
        await store.close()

    asyncio.run(fill())
    config = tmp / "config.toml"
    rule_words = ", ".join(f'"{w.lower()}"' for w in words)
    config.write_text(f'[[rules]]\nname = "r"\nwords = [{rule_words}]\naction = "flag"\n', "utf-8")
    code, out, err = run_main(["--lang", "nl", "--config", str(config), "--db", str(db),
                               "rules", "test"])  # fmt: skip
    assert code == 0, err
    (example,) = [ln for ln in out.splitlines() if ln.startswith("  - ")]
    for word in said.split():
        assert f"[{word}]" in example, example
    assert "Anna" not in example and "Jansen" not in example and "A.J." in example, example


def test_rules_test_without_rules_or_with_a_bad_one(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("", "utf-8")
    code, _, err = run_main(
        ["--lang", "en", "--config", str(config), "--db", str(tmp_path / "m.db"), "rules", "test"]
    )
    assert code == 2 and "no [[rules]]" in err
    config.write_text(RULE.replace('words = ["kanker*"]', 'pattern = "(x"'), "utf-8")
    code, _, err = run_main(["--config", str(config), "rules", "test"])
    assert code == 2 and f"{config}:3:" in err and "regular expression" in err


def test_sync_says_what_the_rules_did_in_the_interface_language(tmp_path: Path):
    """``sync --once`` over a demo source with a rule that matches every text: one line
    with how many were flagged and held, in the language asked for."""
    import re

    config = tmp_path / "config.toml"
    config.write_text(
        '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 20\n\n'
        '[[rules]]\nname = "alles"\npattern = "\\\\w"\naction = "flag"\n',
        "utf-8",
    )
    code, out, err = run_main(
        ["--config", str(config), "--db", str(tmp_path / "nl.db"), "--lang", "nl"]
        + ["sync", "--once"]
    )
    assert code == 0, err
    said = [line for line in out.splitlines() if "gemarkeerd door regels" in line]
    assert len(said) == 1
    assert re.search(r"demo: \d+ gemarkeerd door regels, 0 vastgehouden", said[0])
    flagged = int(re.search(r"demo: (\d+) gemarkeerd", said[0]).group(1))
    assert flagged == asyncio.run(_flagged(tmp_path / "nl.db")) > 0
    code, out, err = run_main(
        ["--config", str(config), "--db", str(tmp_path / "en.db"), "--lang", "en"]
        + ["sync", "--once"]
    )
    assert code == 0, err
    assert re.search(r"demo: \d+ flagged by rules, 0 held", out)


#: How an example line may grow at most: "  - ", "…", 40 characters before the match,
#: the match shown (MATCH_SHOWN) in brackets, 40 after, "…".
_EXAMPLE_MOST = 4 + 1 + 40 + 2 + MATCH_SHOWN + 40 + 1


@store_examples(12)
@given(
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë", min_size=MATCH_SHOWN + 1, max_size=6000),
    before=st.text(alphabet="abc .,", max_size=120),
    rule=st.sampled_from(['words = ["kanker*"]', "pattern = '.*'", "pattern = 'kanker\\w+'"]),
)
def test_a_long_match_is_shown_cut_in_its_example(
    tmp_path_factory: pytest.TempPathFactory, word: str, before: str, rule: str
) -> None:
    """The demo's "Heel lang woord: aaaa…" matched by a pattern (or ``.*`` on any long
    text) printed its example as one line of 5,000 characters: the match was shown
    whole, only the text around it was cut. Now a match longer than MATCH_SHOWN shows
    its start and "…"; the line stays short, whatever the match's length."""
    body = f"{before} kanker{word} einde"
    out = _test_one(tmp_path_factory.mktemp("rules"), body, rule, "en")
    example = out.splitlines()[1]
    assert len(example) <= _EXAMPLE_MOST, example
    assert "[" in example and "…]" in example, example
