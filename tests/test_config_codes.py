"""A codebook's codes are one value wherever they go (a user trial): a question or role
code with ";", ",", a space, a quote or a control character was taken, and made the CSV
export's ``questions`` column (codes joined by ";") and search's typed filters
(``vraag:CODE``, one word) ambiguous. Such a code is refused at its config line, with
what is allowed (exit 2 through the command line); the class is exactly what the default
codes use and a typed filter takes as one word: ASCII letters and digits, "_" and "-"
inside, at most 32. Bad codes generated of every kind of character outside it; good ones
of the class load and are found again by a typed filter. A reason's code ending in a
newline ("$" of a match took it) is refused too."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from helpers.cli import run_main
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reactieveld.codebook import DEFAULT_CODEBOOK, is_code
from reactieveld.config import ConfigError, load_config
from reactieveld.read.search import Allowed, parse_query

GOOD = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", fullmatch=True)
#: Characters outside the class: the separators of the CSV column and of typed filters,
#: quotes, "#" (a typed filter drops it), other punctuation, control characters,
#: whitespace of every kind, letters outside ASCII.
OUTSIDE = st.one_of(
    st.sampled_from(list(";,\"' #:/\\.|*()[]{}=+?!&")),
    st.characters(categories=["Cc", "Zs", "Zl", "Zp", "Cf"]),
    st.characters(categories=["L", "N", "S", "P"], min_codepoint=0x80),
)
#: A code, one character outside the class put in it somewhere.
BAD = st.builds(
    lambda good, char, at: good[: at % (len(good) + 1)] + char + good[at % (len(good) + 1) :],
    GOOD,
    OUTSIDE,
    st.integers(0, 40),
)


def _config(tmp_path: Path, kind: str, code: str) -> Path:
    path = tmp_path / "config.toml"
    written = json.dumps(code, ensure_ascii=False)  # TOML's basic string escapes too
    body = f'[ui]\nlanguage = "en"\n\n[[codebook.{kind}]]\ncode = {written}\n'
    path.write_text(body + 'key = "y"\nnl = "Iets"\n', encoding="utf-8")
    return path


@settings(max_examples=60)
@given(kind=st.sampled_from(["questions", "roles"]), code=BAD)
def test_a_code_with_a_character_outside_the_class_is_refused_at_its_line(
    tmp_path_factory, kind, code
):
    path = _config(tmp_path_factory.mktemp("c"), kind, code)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    for language in ("nl", "en"):
        line = caught.value.said(language)
        assert "\n" not in line and line.startswith(f"{path}:5: [[codebook.{kind}]] #1: ")
    assert 'key "code": expected a code of the letters a-z and A-Z, digits' in str(caught.value)


@settings(max_examples=40)
@given(code=GOOD)
def test_a_code_of_the_class_loads_and_a_typed_filter_finds_it(tmp_path_factory, code):
    # A role is typed in any case, by its code or a label: another role's own is its.
    assume(
        not any(
            code.casefold() in (r.code, *(x.casefold() for x in r.labels.values()))
            for r in DEFAULT_CODEBOOK.roles
        )
    )
    path = _config(tmp_path_factory.mktemp("c"), "questions", code)
    with path.open("a", encoding="utf-8") as config:
        config.write(f'[[codebook.roles]]\ncode = "{code}"\nkey = "i"\nnl = "Rol"\n')
    book = load_config(path, environ={}).codebook
    assert book.question(code) is not None and book.role(code) is not None
    parsed = parse_query(f"vraag:{code} rol:{code}", allowed=Allowed(book, None))
    assert not parsed.problems
    assert parsed.filter.questions == (code,) and parsed.filter.roles == (code,)


def test_the_default_codes_and_the_readmes_are_of_the_class():
    assert all(is_code(c.code) for c in (*DEFAULT_CODEBOOK.questions, *DEFAULT_CODEBOOK.roles))
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    codes = []
    for block in re.findall(r"```toml\n(.*?)```", readme, re.S):
        book = tomllib.loads(block).get("codebook", {})
        codes += [e["code"] for kind in ("questions", "roles") for e in book.get(kind, [])]
    assert codes and all(is_code(c) for c in codes), codes


def test_a_bad_code_through_the_command_line_is_exit_2(tmp_path, cli_isolated):
    path = _config(tmp_path, "roles", "jong, oud")
    code, out, err = run_main(["--config", str(path), "stats"])
    assert code == 2 and out == ""
    assert err.startswith(f'reactieveld: {path}:5: [[codebook.roles]] #1: key "code"')
    assert err.rstrip().endswith('got a string with ","')
    assert err.count("\n") == 1


def test_a_reason_code_ending_in_a_newline_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[[reasons.choices]]\ncode = "insult\\n"\nkey = "1"\nnl = "n"\nen = "e"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r':2: \[\[reasons.choices\]\] #1: key "code"'):
        load_config(path, environ={})
