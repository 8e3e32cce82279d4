"""The moderation rules' matcher (issue 16): whole words after case and diacritic
folding, Dutch compounds, wildcards, spans in the original text, a slow regex stopped;
and bad rules as config errors with file and line."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.config import ConfigError, load_config
from reactieveld.rules import Rule

SCHELD = Rule.make("scheldwoorden", "hold", words=("kanker*", "tyfus*", "rot op", "café"))


def found(rule: Rule, text: str) -> list[str]:
    spans = rule.find(text)
    assert spans is not None
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kankerlijer!", ["Kankerlijer"]),
        ("KANKER-lijer", ["KANKER"]),
        ("op vakantie in Vakankerken", []),  # "kanker" not at a word start
        ("wat een kânkér", ["kânkér"]),
        ("rot   op jij", ["rot   op"]),
        ("rotop", []),
        ("naar het CAFÉ", ["CAFÉ"]),
        ("naar het cafe\u0301", ["cafe\u0301"]),  # a combining accent
        ("tyfushond en kanker", ["tyfushond", "kanker"]),
        ("oorkanker", []),  # a compound ending in the word: not a word start
    ],
)
def test_dutch_words(text, expected):
    assert found(SCHELD, text) == expected


ACCENTS = "\u0300\u0301\u0302\u0308"


@given(
    st.lists(st.sampled_from([str.upper, str.lower, str.title]), min_size=1, max_size=1),
    st.text("abcdefghijklmnopqrstuvwxyz", max_size=6),
    st.sampled_from(["", *ACCENTS]),
    st.sampled_from([" ", ", ", "\n", "-", "!"]),
)
def test_generated_variants_match_at_a_word_start_only(case, tail, accent, sep):
    word = case[0]("kanker" + tail)
    word = unicodedata.normalize("NFC", word[0] + accent + word[1:])
    assert found(SCHELD, f"jij{sep}{word}{sep}dus") == [word]
    # Glued after another word's letters, it is part of that word: no match.
    assert found(SCHELD, f"va{word}") == []


FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}  # a -> ａ, . -> ．


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["kanker", "tyfus"]),
    st.text("abcdefghijklmnopqrstuvwxyz", max_size=4),
    st.sampled_from([".", "-", " ", "_", "*", "·", ". ", "/", "|", "\u203f"]),
    st.sampled_from([str.upper, str.lower, str.title]),
    st.booleans(),
    st.sampled_from(["", "!", ",", " dus"]),
)
def test_a_word_spelled_apart_is_found(word, tail, sep, case, wide, after):
    """Found on a real WordPress site (trywp): ``k.a.n.k.e.r op jou`` and ``k-a-n-k-e-r``
    passed a ``kanker*`` rule untouched, the oldest way round a word list. The letters
    apart by the same one or two characters (styled, fullwidth, any case) are the word."""
    spelled = case(sep.join(word + tail))
    if wide:
        spelled = "".join(FULLWIDTH.get(c, c) for c in spelled)
    assert found(SCHELD, f"jij {spelled}{after}") == [spelled]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["kanker", "tyfus", "cafe"]),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3),
    st.sampled_from([".", "-", " ", "_", "·", ". ", "/"]),
    st.sampled_from([str.upper, str.lower]),
    st.booleans(),
)
def test_a_word_apart_starts_where_its_letters_start(word, head, sep, case, wide):
    """Was a known gap: ``o.k.a.n.k.e.r`` was found from its ``k``, as if ``okanker``
    held the word ``kanker``, which a word pattern only finds at a word's start
    (``Vakankerken`` is not found). The letters apart begin a word, as written together."""
    spelled = case(sep.join(head + word))
    if wide:
        spelled = "".join(FULLWIDTH.get(c, c) for c in spelled)
    assert found(SCHELD, f"zie {spelled} nu") == []


WHOLE = Rule.make("kort", "flag", words=("kut", "lul", "café"))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["kut", "lul", "café"]),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6),
    st.sampled_from([".", "-", " ", "_", "·", ". ", "/"]),
    st.sampled_from([str.upper, str.lower, str.title]),
    st.booleans(),
    st.sampled_from(["", "!", ",", " dus", "."]),
)
def test_a_word_apart_ends_where_its_letters_end(word, tail, sep, case, wide, after):
    """Found on a real WordPress site (trywp2): a rule's ``rot`` flagged
    ``r.o.t.t.e.r.d.a.m`` and ``kut`` flagged ``k.u.t.e.n``: a word without ``*`` spelled
    apart was found at the start of a longer word spelled apart the same way. It is found
    alone (a dot after it too), never as the first letters of another word."""

    def spell(letters: str) -> str:
        text = case(sep.join(letters))
        return "".join(FULLWIDTH.get(c, c) for c in text) if wide else text

    longer = spell(word + tail)
    assert found(WHOLE, f"zie {longer}{after}") == []
    alone = spell(word)
    assert found(WHOLE, f"zie {alone}{after}") == [alone]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["kut", "lul", "café", "kanker"]),
    st.sampled_from(["_", "__", "\u203f", "\uff3f"]),
    st.sampled_from([("", "{c}"), ("{c}", "{c}"), ("{c}", ""), ("x{c}", ""), ("", "{c}wijf")]),
    st.sampled_from([str.upper, str.lower, str.title]),
)
def test_an_underscore_beside_a_word_hides_it_not(word, connector, around, case):
    """Found on a real WordPress site (trywp2): ``_kanker_`` (Markdown's italics),
    ``kut_wijf`` and ``my_kut`` passed the rules, as the underscore counted as a letter of
    the word, where a dash beside it did not and search's index parts words there."""
    rule = Rule.make("kort", "hold", words=("kut", "lul", "café", "kanker*"))
    before, after = (part.format(c=connector) for part in around)
    written = case(word)
    assert found(rule, f"zie {before}{written}{after} nu") == [written]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rot-op met je plan", ["Rot-op"]),  # a phrase joined by a dash
        ("ga rot – op", ["rot – op"]),
        ("rot_op", ["rot_op"]),
        ("rot\u203fop", ["rot\u203fop"]),  # any connector, as the underscore
        ("k\u203fa\u203fn\u203fk\u203fe\u203fr", ["k\u203fa\u203fn\u203fk\u203fe\u203fr"]),
        ("rot, op de plank", []),  # a comma between the words is two sentences' parts
        ("k.a-n.k.e.r", []),  # not the same separator throughout
        ("de kan ker", []),  # a word cut in two is no word spelled apart
        ("ka.n.k.e.r", []),
        ("c.a.f.e", ["c.a.f.e"]),
        ("o.p", []),  # too short to be spelled apart: "rot o.p" is no "rot op"
    ],
)
def test_phrases_with_a_dash_and_what_is_no_word_apart(text, expected):
    assert found(SCHELD, text) == expected


def test_a_slow_regex_is_stopped_and_reported():
    rule = Rule.make("traag", "flag", pattern=r"(a|aa)+$")
    t0 = time.perf_counter()
    assert rule.find("a" * 60 + "!", limit=0.05) is None
    assert time.perf_counter() - t0 < 1.0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('words = []\naction = "hold"', "expected a non-empty list of words"),
        ('pattern = "(open"\naction = "flag"', "not a valid regular expression"),
        ('words = ["x"]\npattern = "x"\naction = "flag"', 'either "words"'),
        ('action = "flag"', 'either "words"'),
        ('words = ["x"]\naction = "delete"', 'expected one of: "flag", "hold"'),
        ('words = ["*"]\naction = "flag"', "no letters"),
    ],
)
def test_bad_rules_are_config_errors_with_file_and_line(tmp_path: Path, entry, message):
    path = tmp_path / "config.toml"
    path.write_text(f'[ui]\nlanguage = "nl"\n\n[[rules]]\nname = "r"\n{entry}\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:") and message in text
    assert int(text.split(":")[1]) >= 4


def test_duplicate_rule_name(tmp_path: Path):
    path = tmp_path / "config.toml"
    rule = '[[rules]]\nname = "r"\nwords = ["x"]\naction = "flag"\n'
    path.write_text(rule + rule, "utf-8")
    with pytest.raises(ConfigError, match=r":6: .*already used by #1"):
        load_config(path)


@settings(max_examples=60, deadline=None)
@given(
    word=st.sampled_from(["kut", "lul", "rot", "kanker"]),
    gap=st.sampled_from([". ", "."]),
    # The end of a word is no form of address ("ding", "dreams", "Hadr."): was skipped.
    before=st.sampled_from(
        ["", "Mr. ", "dhr. ", "Mevr. ", "Beste ", "Zie ", "Een ding ", "Dreams ", "Hadr. "]
    ),
    after=st.sampled_from(["de Vries", "van der Berg", "Jansen", "plan", "de gemeente", ""]),
)
def test_initials_of_a_name_are_no_word_spelled_apart(word, gap, before, after):
    """A person's initials spelling a watched word (``Mr. K. U. T. de Vries``) are a name:
    capitals with full stops after a form of address or before a Dutch surname with its
    particles. The same letters in small type, or before a word that is no surname
    (``K.U.T. plan``, ``K.U.T. Jansen``: a moderator looks), are still found."""
    rule = Rule.make("r", "flag", words=(word + "*" if word == "kanker" else word,))
    initials = gap.join(word.upper()) + "."
    addressed = before.strip() in ("Mr.", "dhr.", "Mevr.")
    surname = after in ("de Vries", "van der Berg")
    text = f"{before}{initials} {after}".strip()
    assert bool(rule.find(text)) == (not (addressed or surname)), text
    assert rule.find(f"{before}{gap.join(word)}. {after}".strip())  # small type: a word
