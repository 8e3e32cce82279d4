"""The argument parser speaks the reader's language: argparse's own lines (``usage:``, its
errors, ``-h``'s headings) in Dutch on a Dutch screen, for every subcommand and every kind
of mistake, the language decided before parsing by the one rule of every command (``--lang``,
else ``[ui] language``, else the locale); a mistake is still one line after the usage, exit 2.
Unit-level (``cli.main`` in-process), so the whole class stays cheap."""

from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

from reactieveld.cli import build_parser, main
from reactieveld.i18n import ARGPARSE_PREFIX, STRINGS, text

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


def _fixed(key: str, language: str) -> list[str]:
    """The words of ``key``'s text in ``language`` around its fields."""
    return [part.strip() for part in _FIELD.split(STRINGS[key][0 if language == "nl" else 1])]


_PARSER_KEYS = [
    key for key in STRINGS if key.startswith((ARGPARSE_PREFIX, "cli.arg.", "search.problem.status"))
]
#: What argparse says in English (and the parser's own type errors), as a Dutch reader must
#: not see it: each English phrase of those keys that no Dutch one also has ("argument").
ENGLISH = sorted(
    {
        part
        for key in _PARSER_KEYS
        for part in _fixed(key, "en")
        if len(part) > 3 and not any(part in STRINGS[k][0] for k in _PARSER_KEYS)
    }
)


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
        assert all(part in lines[-1] for part in _fixed(key, language)), lines[-1]
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


def test_the_table_has_every_message_argparse_can_give_a_reader() -> None:
    # The English of each argparse.* key is argparse's own message id (its %-fields as
    # {fields}): the parser reads argparse's messages back by it. A message a new Python
    # adds (or words it changes) fails here, not silently in English on a Dutch screen.
    source = inspect.getsource(argparse)
    ids = re.findall(r"""(?:_|ngettext)\(\s*(['"])(.+?)\1""", source)
    ids += re.findall(r"""ngettext\([^,]+,\s*(['"])(.+?)\1""", source)
    ids += [("", "show program's version number and exit")]
    said = {_FIELD.sub("{}", english) for key, (_, english) in STRINGS.items()
            if key.startswith(ARGPARSE_PREFIX)}  # fmt: skip
    # Mistakes in a program's own parser (never a reader's), and the line the parser makes
    # itself (argparse.error).
    programming = {
        ".__call__() not defined", "conflicting subparser: {}", "conflicting subparser alias: {}",
        'argument "-" with mode {}', "can't open '{}': {}",
        "cannot merge actions - two groups are named {}",
        "'required' is an invalid argument for positionals",
        "invalid option string {}: ",  # ...must start with a character {} (two lines)
        "dest= is required for options like {}", "invalid conflict_resolution value: {}",
        "conflicting option string: {}", "conflicting option strings: {}",
        "mutually exclusive arguments must be optional",
        "cannot have multiple subparser arguments", "{} is not callable", "{}: error: {}\\n",
    }  # fmt: skip
    given_ids = {re.sub(r"%(\(\w+\))?[sr]", "{}", msgid) for _, msgid in ids}
    assert given_ids - programming <= said, sorted(given_ids - programming - said)
    ours = {"{}: error: {}", "invalid int value: {}"}
    assert said - ours <= given_ids


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
