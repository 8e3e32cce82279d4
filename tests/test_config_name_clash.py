"""Two roles search's typed filter cannot tell apart are refused at their config line.

``rol:`` takes a role's code or any of its labels, whole, folded (any case, diacritics
and compatibility forms aside: ``codebook.filter_names``) and answers the first role
that has it; so "jongere" and "Jongere", or a code and another role's label ("inwoner"
labelled "Bürger" beside the default "burger"), or a short form the queue column shows
for one role that ``rol:`` takes for another, made one of the two unreachable. ``vraag:``
takes a question's code exactly as typed (case kept), so two questions never clash.
Generated both ways: a variant of a default role's name refused at its key's line in
both languages, and small random codebooks refused exactly when the filter confuses
two of their roles (every name of a loaded one names its own role)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from helpers.cli import run_main
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reactieveld.codebook import (
    DEFAULT_CODEBOOK,
    DEFAULT_QUESTIONS,
    DEFAULT_ROLES,
    Code,
    is_code,
    make_codebook,
    name_clashes,
)
from reactieveld.config import ConfigError, load_config
from reactieveld.model import TagKind
from reactieveld.read.search import Allowed, parse_query

#: (role, config key, name) of every default role's name the filter takes.
DEFAULT_NAMES = [
    (r, key, name) for r in DEFAULT_ROLES for key, name in (("code", r.code), *r.labels.items())
]


@st.composite
def variant(draw: st.DrawFn, name: str, ascii_only: bool) -> str:
    """``name`` in other cases, with accents on some letters unless ``ascii_only``."""
    out = []
    for c in name:
        c = c.upper() if draw(st.booleans()) else c.lower()
        if not ascii_only and c.isalpha() and draw(st.integers(0, 3)) == 0:
            c = unicodedata.normalize("NFC", c + draw(st.sampled_from("\u0301\u0308\u0300")))
        out.append(c)
    return "".join(out)


def _named(book_roles: tuple[Code, ...], typed: str) -> tuple[str, ...]:
    """The roles ``rol:typed`` filters on, through the search box's own parser."""
    book = make_codebook(DEFAULT_QUESTIONS, book_roles)
    parsed = parse_query(f"rol:{json.dumps(typed, ensure_ascii=False)}", allowed=Allowed(book))
    return parsed.filter.roles


@settings(max_examples=60, deadline=None)
@given(data=st.data(), target=st.sampled_from(["code", "nl", "en", "short_nl"]))
def test_a_name_another_role_has_to_the_filter_is_refused_at_its_line(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, target: str
) -> None:
    names = [n for n in DEFAULT_NAMES if is_code(n[2])] if target == "code" else DEFAULT_NAMES
    role, key, name = data.draw(st.sampled_from(names))
    value = data.draw(variant(name, ascii_only=target == "code"))
    assume(value not in {r.code for r in DEFAULT_ROLES})  # the same code: an override
    lines = {"code": f"code = {json.dumps(value)}", "nl": 'nl = "Iets anders"'}
    if target != "code":
        lines = {"code": 'code = "nieuw"', "nl": f"nl = {json.dumps(value)}"}
        if target != "nl":
            lines |= {"nl": 'nl = "Iets anders"', target: f"{target} = {json.dumps(value)}"}
    path = tmp_path_factory.mktemp("c") / "config.toml"
    extra = [lines[target]] if target not in ("code", "nl") else []
    body = "\n".join([lines["code"], 'key = "y"', lines["nl"], *extra])
    path.write_text(f'[ui]\nlanguage = "en"\n\n[[codebook.roles]]\n{body}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    line = {"code": 5, "nl": 7}.get(target, 8)
    en, nl = caught.value.said("en"), caught.value.said("nl")
    assert en.startswith(f'{path}:{line}: [[codebook.roles]] #1: key "{target}": "{value}" ')
    assert f'of role "{role.code}")' in en and "\n" not in en
    assert nl.startswith(f'{path}:{line}: [[codebook.roles]] #1: sleutel "{target}": ')
    assert f'van rol "{role.code}")' in nl
    if target != "short_nl":  # what the refusal spares: rol: names the default role
        new = Code(TagKind.ROLE, "nieuw", "y", {"nl": value})
        if target == "code":
            new = Code(TagKind.ROLE, value, "y", {"nl": "Iets anders"})
        assert _named((*DEFAULT_ROLES, new), value) == (role.code,)


NAME = st.text("aAbBáÄ", min_size=1, max_size=2)


@settings(max_examples=60, deadline=None)
@given(
    roles=st.lists(
        st.tuples(st.text("aAbB", min_size=1, max_size=2), NAME, NAME),
        min_size=2,
        max_size=3,
        unique_by=lambda r: r[0],
    )
)
def test_a_codebook_is_refused_exactly_when_the_filter_confuses_two_roles(
    tmp_path_factory: pytest.TempPathFactory, roles: list[tuple[str, str, str]]
) -> None:
    path = tmp_path_factory.mktemp("c") / "config.toml"
    body = '[ui]\nlanguage = "en"\n\n[codebook]\nmode = "replace"\n'
    for i, (code, nl, en) in enumerate(roles):
        body += f'[[codebook.roles]]\ncode = "{code}"\nkey = "{i}"\nnl = "{nl}"\nen = "{en}"\n'
    body += '[[codebook.questions]]\ncode = "1"\nkey = "1"\nnl = "Vraag"\n'
    path.write_text(body, encoding="utf-8")
    made = tuple(
        Code(TagKind.ROLE, c, str(i), {"nl": nl, "en": en}) for i, (c, nl, en) in enumerate(roles)
    )
    confused = [
        (r.code, typed)
        for r in made
        for typed in (r.code, *r.labels.values())
        if _named(made, typed) != (r.code,)
    ]
    try:
        book = load_config(path, environ={}).codebook
    except ConfigError as caught:
        assert 'key "' in str(caught) and "role filter (rol:" in caught.said("en")
        assert confused, "refused, yet rol: tells every role apart"
    else:
        assert not confused, f"loaded, yet rol: confuses {confused}"
        assert book.roles == made


def test_the_default_codebook_has_no_roles_the_filter_confuses() -> None:
    assert name_clashes(DEFAULT_CODEBOOK.roles) == []
    assert name_clashes(DEFAULT_CODEBOOK.questions) == []


def test_two_questions_apart_in_case_stay_apart(tmp_path: Path) -> None:
    # vraag: takes a code as typed: "Jongere" and "jongere" are two filters.
    path = tmp_path / "config.toml"
    body = "".join(
        f'[[codebook.questions]]\ncode = "{c}"\nkey = "{k}"\nnl = "Vraag {k}"\n'
        for c, k in (("jongere", "9"), ("Jongere", "0"))
    )
    path.write_text(body, encoding="utf-8")
    book = load_config(path, environ={}).codebook
    for code in ("jongere", "Jongere"):
        parsed = parse_query(f"vraag:{code}", allowed=Allowed(book))
        assert parsed.filter.questions == (code,) and not parsed.problems


def test_a_role_in_another_case_through_main_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[codebook.roles]]\ncode = "Burger"\nkey = "y"\nnl = "Inwoner"\n', encoding="utf-8"
    )
    code, out, err = run_main(["--config", str(path), "--lang", "en", "sources"])
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines() == [
        f'reactieveld: {path}:2: [[codebook.roles]] #1: key "code": "Burger" is to search\'s '
        'role filter (rol:, any case, accents aside) the same as "burger" (key "code" of role '
        '"burger"); give one of the two another'
    ]
