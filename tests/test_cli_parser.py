"""The argument parser speaks the reader's language: argparse's own lines (``usage:``, its
errors, ``-h``'s headings) in Dutch on a Dutch screen, for every subcommand and every kind
of mistake, the language decided before parsing by the one rule of every command (``--lang``,
else ``[ui] language``, else the locale); a mistake is still one line after the usage, exit 2.
Unit-level (``cli.main`` in-process), so the whole class stays cheap."""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.cli import every_parser
from helpers.lang import english_only, fixed_parts
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from reactieveld.cli import _extend, build_parser, main
from reactieveld.i18n import ARGPARSE_PREFIX, STRINGS, text
from reactieveld.text import one_line

pytestmark = pytest.mark.usefixtures("cli_isolated")

_FIELD = re.compile(r"\{\w+\}")

#: Every subcommand's parser (its prog after "reactieveld"), with words it parses without
#: complaint (so that a mistake added after them is the only one).
VALID = {
    "": [],
    "sync": ["sync"],
    "sources": ["sources"],
    "author-secret": ["author-secret"],
    "search": ["search"],
    "export": ["export", "--format", "md"],
    "stats": ["stats"],
    "agreement": ["agreement"],
    "rules": ["rules", "test"],
    "store": ["store"],  # with a mistake after it, before its required subcommand
    "store copy": ["store", "copy", "--to", "x.db"],
}

#: Each kind of mistake a subcommand can have, as a command line, with the key of what it
#: is told (the kinds any parser has are made for every one below).
SPECIFIC: list[tuple[str, str, list[str], str]] = [
    ("", "invalid_choice", ["nosuch"], "argparse.invalid_choice"),
    ("", "invalid_choice", ["--lang", "de"], "argparse.invalid_choice"),
    ("", "ambiguous", ["--d"], "argparse.ambiguous"),
    ("", "ignored", ["--demo=1"], "argparse.ignored"),
    ("sync", "ignored", ["sync", "--once=1"], "argparse.ignored"),
    ("sources", "ignored", ["sources", "--json=yes"], "argparse.ignored"),
    ("search", "ambiguous", ["search", "--s", "x"], "argparse.ambiguous"),
    ("search", "status", ["search", "--status", "nope"], "search.problem.status"),
    ("search", "not_number", ["search", "--limit", "x"], "cli.arg.not_number"),
    ("search", "positive", ["search", "--limit", "0"], "cli.arg.positive"),
    ("export", "required", ["export"], "argparse.required"),
    ("export", "invalid_choice", ["export", "--format", "pdf"], "argparse.invalid_choice"),
    ("export", "invalid_choice", [*VALID["export"], "--as", "x"], "argparse.invalid_choice"),
    ("export", "status", ["export", "--format", "md", "--status", "x"], "search.problem.status"),
    ("export", "ignored", [*VALID["export"], "--include-personal-data=1"], "argparse.ignored"),
    ("stats", "invalid_int", ["stats", "--days", "x"], "argparse.invalid_int"),
    ("rules", "required", ["rules"], "argparse.required"),
    ("rules", "invalid_choice", ["rules", "nope"], "argparse.invalid_choice"),
    ("rules", "not_number", ["rules", "test", "--examples", "x"], "cli.arg.not_number"),
    ("rules", "positive", ["rules", "test", "--examples", "-1"], "cli.arg.positive"),
    ("store", "required", ["store"], "argparse.required"),
    ("store", "invalid_choice", ["store", "nope"], "argparse.invalid_choice"),
    ("store", "unrecognized", ["store", "--bogus", *VALID["store copy"][1:]],
     "argparse.unrecognized"),
    ("store copy", "required", ["store", "copy"], "argparse.required"),
]  # fmt: skip

MISTAKES = [
    *[(sub, "unrecognized", [*words, "--bogus"], "argparse.unrecognized")
      for sub, words in VALID.items() if sub != "store"],  # "store": its own below
    *[(sub, "expected_one", [*words, "--db"], "argparse.expected_one")
      for sub, words in VALID.items()],
    *SPECIFIC,
]  # fmt: skip


_PARSER_KEYS = [
    key for key in STRINGS if key.startswith((ARGPARSE_PREFIX, "cli.arg.", "search.problem.status"))
]
#: What argparse says in English (and the parser's own type errors), as a Dutch reader must
#: not see it: each English phrase of those keys that no Dutch one also has ("argument").
ENGLISH = english_only(_PARSER_KEYS)


@pytest.fixture
def reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A function that makes ``language`` the reader's, decided ``by`` a config's ``[ui]
    language`` (the locale saying the other) or by the locale (a config without ``[ui]``)."""

    def speak(language: str, by: str) -> None:
        config = tmp_path / "config.toml"
        if by == "config":
            config.write_text(f'[ui]\nlanguage = "{language}"\n', encoding="utf-8")
            other = "en_GB.UTF-8" if language == "nl" else "nl_NL.UTF-8"
            monkeypatch.setenv("LC_ALL", other)  # the config wins over the locale
        else:
            config.write_text("", encoding="utf-8")
            monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8" if language == "nl" else "C.UTF-8")
        monkeypatch.setenv("REACTIEVELD_CONFIG", str(config))

    return speak


#: Each language, and what decides it (both ways for every case, in turn).
SPEAKERS = [("nl", "config"), ("en", "locale"), ("nl", "locale"), ("en", "config")]


def _parse(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.mark.parametrize(("sub", "kind", "argv", "key"), MISTAKES, ids=lambda v: str(v))
def test_every_mistake_of_every_subcommand_in_the_readers_language(
    sub, kind, argv, key, reader, capsys
):
    turn = MISTAKES.index((sub, kind, argv, key)) % 2 * 2
    for language, by in SPEAKERS[turn : turn + 2]:
        reader(language, by)
        code, out, err = _parse(argv, capsys)
        assert code == 2 and out == ""
        lines = err.splitlines()
        usage = text("argparse.usage", language)
        # Words no parser knows are said by the top one, which parses the command line.
        prog = f"reactieveld {'' if kind == 'unrecognized' else sub}".strip()
        # The usage (its first line, then indented lines), then exactly one line.
        assert lines[0].startswith(f"{usage}{prog} ")
        assert all(line.startswith(" ") for line in lines[1:-1])
        assert lines[-1].startswith(text("argparse.error", language, prog=prog, message=""))
        # It says what is wrong, in the language: each fixed part of the kind's text.
        assert all(part in lines[-1] for part in fixed_parts(key, language)), lines[-1]
        if language == "nl":
            assert not [phrase for phrase in ENGLISH if phrase in err], err


@pytest.mark.parametrize("sub", list(VALID))
def test_every_help_in_the_readers_language(sub, reader, capsys):
    turn = list(VALID).index(sub) % 2 * 2
    for language, by in SPEAKERS[turn : turn + 2]:
        reader(language, by)
        code, out, err = _parse([*VALID[sub], "-h"], capsys)
        assert code == 0 and err == ""
        assert out.startswith(text("argparse.usage", language) + f"reactieveld {sub}".strip())
        headings = [line for line in out.splitlines() if line.endswith(":") and line[:1] != " "]
        assert f"{text('argparse.options', language)}:" in headings
        assert text("argparse.help", language) in out
        if sub == "search":  # its words are a positional argument
            assert f"{text('argparse.positionals', language)}:" in headings
        if sub in ("", "store"):
            title = "cli.help.subcommands" if sub == "" else "cli.help.store_commands"
            assert f"{text(title, language)}:" in headings
        if language == "nl":
            english = ("usage:", "options:", "positional arguments:", "subcommands:", "show this")
            assert not [phrase for phrase in english if phrase in out], out


def _argparse_ids() -> set[str]:
    """Every message id in argparse's source: the English template of each ``_('...')``
    and both of each ``ngettext('...', '...', n)`` (read as Python reads it, so a
    template split over lines is one id)."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            asked = {"_": 1, "ngettext": 2}.get(node.func.id, 0)
            for arg in node.args[:asked]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    ids.add(arg.value)
    return ids


#: A field of an argparse template: ``%(name)r``, ``%s``.
_SPEC = re.compile(r"%(?:\(\w+\))?[a-z]")

#: argparse ids our parsers cannot give a reader, each with why (checked below): a mistake
#: in a program's own parser (Python 3.11 words those too), what only a feature we do not
#: use says, and the line our parser makes itself.
PROGRAMMING = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "conflicting option string: %s", "conflicting option strings: %s",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments", "%r is not callable",
}  # fmt: skip
FILE_TYPE = {'argument "-" with mode %r', "can't open '%(filename)s': %(error)s"}
DEFAULTS_FORMATTER = {" (default: %(default)s)"}
DEPRECATED = {
    "%(prog)s: warning: %(message)s\n", "option '%(option)s' is deprecated",
    "argument '%(argument_name)s' is deprecated", "command '%(parser_name)s' is deprecated",
}  # fmt: skip
OWN_LINE = {"%(prog)s: error: %(message)s\n"}
#: Keys whose English is an id of a newer Python's argparse only (3.14's source).
NEWER = {"argparse.version", "argparse.heading", "argparse.subcommands", "argparse.maybe_meant"}


def test_every_message_argparse_can_give_our_reader_is_in_the_table() -> None:
    # Generated from the running Python's argparse: an id a new Python adds or rewords
    # fails here (an English line on a Dutch screen otherwise).
    from reactieveld.i18n import ARGPARSE_OWN, argparse_key, argparse_text

    ids = _argparse_ids()
    assert "the following arguments are required: %s" in ids  # the reading works
    given = ids - PROGRAMMING - FILE_TYPE - DEFAULTS_FORMATTER - DEPRECATED - OWN_LINE
    missing = sorted(msgid for msgid in given if argparse_key(msgid) is None)
    assert not missing, missing
    for msgid in given:
        dutch = argparse_text(msgid, "nl")
        # argparse fills the Dutch template in as it would the id: the same fields.
        assert sorted(_SPEC.findall(dutch)) == sorted(_SPEC.findall(msgid)), (msgid, dutch)
        if any(spec[1] != "(" for spec in _SPEC.findall(msgid)):  # filled in by position
            assert _SPEC.findall(dutch) == _SPEC.findall(msgid), (msgid, dutch)
        assert argparse_text(msgid, "en") == msgid
    # Each argparse.* entry is an id (of this Python, or of a newer one): none is stale.
    shapes = {_SPEC.sub("{}", msgid) for msgid in ids}
    stale = [
        key
        for key, (_, english) in STRINGS.items()
        if key.startswith(ARGPARSE_PREFIX) and key not in ARGPARSE_OWN | NEWER
        and _FIELD.sub("{}", english) not in shapes
    ]  # fmt: skip
    assert not stale, stale

    # What the ids left out need, our parsers do not have: their own error() (the line),
    # no FileType, no formatter that adds defaults, nothing deprecated.
    _extend()
    parsers = [parser for _, parser in every_parser(build_parser("nl"))]
    assert len(parsers) == len(VALID)
    for parser in parsers:
        assert type(parser).error is not argparse.ArgumentParser.error
        assert not issubclass(parser.formatter_class, argparse.ArgumentDefaultsHelpFormatter)
        for action in parser._actions:
            assert not isinstance(action.type, argparse.FileType), action
            assert not getattr(action, "deprecated", False), action
            assert not getattr(action, "_deprecated", None), action


# -- a value is the reader's: never read as a message ------------------------------------------

_SUBCOMMANDS = [sub for sub in VALID if sub and " " not in sub]


def _not_int(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return True
    return False


#: A kind of mistake with a value in it: (the command line for a value, how the line shows
#: the value: as Python's repr or as typed, which values make that mistake).
VALUED: dict[str, tuple[Callable[[str], list[str]], Callable[[str], str], Callable[[str], bool]]]
VALUED = {
    "invalid_choice": (lambda v: [f"--lang={v}"], repr, lambda v: v not in ("nl", "en")),
    "command": (lambda v: [v], repr, lambda v: v[:1] != "-" and v not in _SUBCOMMANDS),
    "ignored": (lambda v: [f"--demo={v}"], repr, lambda v: True),
    "ambiguous": (lambda v: [f"--d={v}"], lambda v: f"--d={v}", lambda v: True),
    "unrecognized": (lambda v: ["sync", f"--zz={v}"], lambda v: f"--zz={v}", lambda v: True),
    "invalid_int": (lambda v: ["stats", f"--days={v}"], repr, _not_int),
    "not_number": (lambda v: ["search", f"--limit={v}"], str, _not_int),
}
#: What a value can hold that looks like the parser's own words or templates.
HOSTILE = st.sampled_from([
    "%(prog)s", "%(message)s", "%s", "%r", "%%", "{message}", "{prog}", "{", "}", "{}", "\n",
    "\r", "\x1b[31m", "\u2028", "invalid choice: ", " (choose from ", "'a', 'b')", "error: ",
    "argument --lang: ", "expected one argument", "ongeldige keuze", "the following arguments "
    "are required: ", "unrecognized arguments: ", " ", "x", "é",
])  # fmt: skip


@pytest.mark.parametrize("kind", list(VALUED))
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(HOSTILE | st.text(max_size=4), min_size=1, max_size=5))
@example(parts=["invalid choice: 'x' (choose from 'a')"])
@example(parts=["%(prog)s\n{message}"])
def test_a_value_is_said_as_typed_in_one_line(kind, parts, reader, capsys):
    """The line of a mistake with a hostile value is the line of the same mistake with a
    plain value, the value put in its place (one line): its words never translated or
    filled in, in both languages; exit 2."""
    argv_for, shown, makes = VALUED[kind]
    value = "".join(parts)
    assume(makes(value) and makes("qqq"))
    for language, by in SPEAKERS[:2]:
        reader(language, by)
        code, out, err = _parse(argv_for("qqq"), capsys)
        assert code == 2 and out == ""
        plain = err.splitlines()
        code, out, err = _parse(argv_for(value), capsys)
        assert code == 2 and out == ""
        lines = err.splitlines()
        assert lines[:-1] == plain[:-1]  # the same usage, then one line
        assert plain[-1].count(shown("qqq")) == 1
        assert lines[-1] == one_line(plain[-1].replace(shown("qqq"), shown(value)), limit=10**4)


def test_argparse_is_argparses_own_for_any_other_parser(capsys):
    """Our parser's language is its own: argparse's gettext is as it was once our parser
    is done, and another parser at the same time (another thread) says its English."""
    import threading

    from reactieveld.cli import _ARGPARSE_WORDS

    own = (vars(argparse)["_"], vars(argparse)["ngettext"])
    parser = build_parser("nl")
    assert parser.format_help().startswith("gebruik: ")
    with pytest.raises(SystemExit):
        parser.parse_args(["export"])
    assert (vars(argparse)["_"], vars(argparse)["ngettext"]) == own
    capsys.readouterr()

    class Theirs(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            raise LookupError(message)

    def theirs() -> str:
        other = Theirs(prog="other")
        other.add_argument("--n", required=True)
        with pytest.raises(LookupError) as exc:
            other.parse_args([])
        return other.format_usage() + str(exc.value)

    inside, done = threading.Event(), threading.Event()

    def ours() -> None:
        with _ARGPARSE_WORDS.speaking("nl"):
            inside.set()
            done.wait(10)

    worker = threading.Thread(target=ours)
    worker.start()
    try:
        assert inside.wait(10)
        said: list[str] = []
        other = threading.Thread(target=lambda: said.append(theirs()))
        other.start()
        other.join(10)
        assert said == ["usage: other [-h] --n N\nthe following arguments are required: --n"]
        assert vars(argparse)["_"] != own[0]  # ours is still working, in its own thread
    finally:
        done.set()
        worker.join(10)
    assert (vars(argparse)["_"], vars(argparse)["ngettext"]) == own


# -- the parser's language: one rule, known before parsing ---------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_lang_decides_before_the_config_and_the_locale(language, tmp_path, monkeypatch, capsys):
    other = "en" if language == "nl" else "nl"
    config = tmp_path / "c.toml"
    config.write_text(f'[ui]\nlanguage = "{other}"\n', encoding="utf-8")
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8" if other == "nl" else "C")
    for argv in (
        ["--lang", language, "--config", str(config), "export"],
        [f"--lang={language}", "export", f"--config={config}"],
        ["--la", language, "export", "--config", str(config)],
    ):
        code, _, err = _parse(argv, capsys)
        assert code == 2
        assert err.startswith(text("argparse.usage", language)), argv
        assert text("argparse.required", language, names="--format") in err
    # A config that cannot be read leaves the locale for the parser (its own error is the
    # command's, when it runs).
    config.write_text("[ui\n", encoding="utf-8")
    code, _, err = _parse(["--config", str(config), "export"], capsys)
    assert err.startswith(text("argparse.usage", other))


# -- --status says the statuses as search does, and takes each word it lists -------------------


@pytest.mark.parametrize(("language", "by"), SPEAKERS[:2])
def test_status_lists_the_searchs_words_and_takes_each_back(language, by, reader, capsys):
    from reactieveld.read.search import Allowed, FilterProblem, describe_problem

    reader(language, by)
    code, _, err = _parse(["search", "--status", "nope"], capsys)
    problem = describe_problem(FilterProblem("status", "nope", "status"), Allowed(), language)
    # The same words as the search's problem ("status:nope" there, "nope" here).
    assert err.splitlines()[-1].endswith(problem.removeprefix("status:"))
    listed = problem.split(": ", 2)[-1]
    parser = build_parser(language)
    for item in listed.split(", "):
        value, _, word = item.partition(" (")
        for typed in (value, word.removesuffix(")")):
            if typed:
                assert parser.parse_args(["search", "--status", typed]).status == [value], typed


def test_a_command_reads_its_configuration_once(tmp_path, monkeypatch, capsys):
    """The parser's language comes from the configuration, read before parsing; the
    command then uses that reading instead of reading the file a second time."""
    import reactieveld.cli as cli

    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlanguage = "nl"\n', encoding="utf-8")
    read: list[object] = []
    real = cli.load_config

    def counted(path):
        read.append(path)
        return real(path)

    monkeypatch.setattr(cli, "load_config", counted)
    argv = ["--config", str(config), "--db", str(tmp_path / "m.db"), "sources", "--json"]
    assert cli.main(argv) == 0
    assert len(read) == 1, read


@settings(max_examples=40, deadline=None)
@given(
    command=st.sampled_from([c for c in VALID if c and c != "store"]),
    flags=st.lists(
        st.sampled_from([["--demo"], ["--lang", "nl"], ["--lang", "en"]]), min_size=1, max_size=2
    ),
)
def test_demo_and_lang_are_taken_after_any_subcommand(command: str, flags: list[list[str]]) -> None:
    """`reactieveld stats --lang nl`, `reactieveld search --demo zwembad`: as --config and
    --db, --demo and --lang parse the same before the subcommand and after it (was:
    "unrecognized arguments: --lang nl", exit 2)."""
    words = [word for flag in flags for word in flag]
    _extend()
    parser = build_parser("en")
    before = vars(parser.parse_args([*words, *VALID[command]]))
    after = vars(parser.parse_args([*VALID[command], *words]))
    assert after == before
    assert after["demo"] == (["--demo"] in flags)
    assert after["lang"] == next((f[1] for f in reversed(flags) if f[0] == "--lang"), None)


def test_stats_with_lang_and_demo_after_it_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "nl", "--demo", "stats"]) == 0
    first = capsys.readouterr()
    assert main(["stats", "--lang", "nl", "--demo"]) == 0
    assert capsys.readouterr() == first
    assert first.out.startswith("Waarde van de dialoog\n")
