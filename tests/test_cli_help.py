"""``-h`` in the reader's language: what every command and option is for (its help, the
descriptions, the metavars that are words), not only argparse's own headings. The strings
are read from the parser's own actions, built once in each language, so a new option or
subcommand whose help is not in the one table (or one without a help) fails here; and
``-h`` at 80 columns shows each of them whole (argparse wraps, nothing is cut); the
README's synopsis of the command line says what the English ``-h`` shows. Unit-level
(``cli.main`` and ``build_parser`` in-process)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from helpers.cli import every_parser

from reactieveld.cli import _extend, build_parser, main

pytestmark = pytest.mark.usefixtures("cli_isolated")

#: Metavars that are the same word in Dutch and English (a number, a code, a status value
#: as typed). Any other metavar must be said in the reader's language.
SAME_IN_BOTH = {"N", "CODE", "STATUS"}


def _metavar(formatter: argparse.HelpFormatter, action: argparse.Action) -> str | None:
    """The word ``-h`` shows for an action's value (its metavar, else what argparse makes
    of its dest); None for a flag and for a list of choices (the choices are the contract)."""
    if action.nargs == 0 or (action.metavar is None and action.choices is not None):
        return None
    if action.option_strings:
        default = formatter._get_default_metavar_for_optional(action)
    else:
        default = formatter._get_default_metavar_for_positional(action)
    shown = formatter._metavar_formatter(action, default)(1)[0]
    return None if shown.startswith("{") else shown


def _shown(parser: argparse.ArgumentParser) -> list[tuple[str, str, str | None]]:
    """(what, kind, text) for each of the parser's own strings its ``-h`` shows: its
    description and epilog, each action's help and metavar, and the help of each
    subcommand it lists. In a fixed order, so two languages' lists pair up."""
    formatter = parser._get_formatter()
    said: list[tuple[str, str, str | None]] = [
        ("description", "text", parser.description),
        ("epilog", "text", parser.epilog),
    ]
    for action in parser._actions:
        what = action.option_strings[0] if action.option_strings else str(action.dest)
        if not isinstance(action, argparse._SubParsersAction):  # its title is a heading
            said.append((what, "help", formatter._get_help_string(action)))
        said.append((what, "metavar", _metavar(formatter, action)))
        for choice in getattr(action, "_choices_actions", []):
            said.append((f"{what} {choice.dest}", "help", formatter._get_help_string(choice)))
    return said


@pytest.fixture(scope="module")
def parsers() -> dict[str, dict[tuple[str, ...], argparse.ArgumentParser]]:
    _extend()
    return {language: dict(every_parser(build_parser(language))) for language in ("nl", "en")}


def _squeezed(value: str) -> str:
    # argparse wraps at spaces and after hyphens ("XDG-" / "configuratiemap").
    return "".join(value.split())


def _holds(out: str, value: str) -> bool:
    """Whether ``-h``'s output shows ``value`` (a word as a word: COMMAND is not in
    COMMANDO; a text however argparse wrapped it)."""
    if value.split() == [value]:
        return re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", out) is not None
    return _squeezed(value) in _squeezed(out)


def _help(words: list[str], language: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["--lang", language, *words, "-h"])
    out, err = capsys.readouterr()
    assert exc.value.code == 0 and err == ""
    return out


def test_every_string_of_every_parser_is_said_in_each_language(parsers) -> None:
    # Generated from the parsers' own actions: an option added with an English help (the
    # same in both), without a help, or with an English word as its metavar, fails here.
    assert parsers["nl"].keys() == parsers["en"].keys()
    assert len(parsers["nl"]) >= 11  # the scan finds every subcommand (store copy too)
    for path, nl_parser in parsers["nl"].items():
        nl, en = _shown(nl_parser), _shown(parsers["en"][path])
        assert [(what, kind) for what, kind, _ in nl] == [(what, kind) for what, kind, _ in en]
        for (what, kind, dutch), (_, _, english) in zip(nl, en, strict=True):
            where = f"reactieveld {' '.join(path)}: {what} {kind}".replace("  ", " ")
            if kind == "help":
                assert dutch and english, f"{where}: no help"
            if dutch is None or english is None:
                assert dutch == english, where
                continue
            if not (kind == "metavar" and english in SAME_IN_BOTH):
                assert dutch != english, f"{where}: the same in Dutch and English: {english!r}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_help_says_its_own_language_whole_at_80_columns(
    language, parsers, monkeypatch, capsys
) -> None:
    other = "en" if language == "nl" else "nl"
    monkeypatch.setenv("COLUMNS", "80")
    theirs = {
        value
        for parser in parsers[other].values()
        for _, _, value in _shown(parser)
        if value and value not in SAME_IN_BOTH
    }
    for path, parser in parsers[language].items():
        out = _help(list(path), language, capsys)
        # Each of its strings whole (argparse wraps at 78; a long word may stand alone).
        ours = [value for _, _, value in _shown(parser) if value]
        assert [value for value in ours if not _holds(out, value)] == [], path
        assert max(len(line) for line in out.splitlines()) <= 80, path
        # None of the other language's.
        assert [value for value in theirs if _holds(out, value)] == [], path


# -- the README's synopsis says what -h shows -----------------------------------------------

#: An option in the synopsis, with its value as written: a metavar (``DATE``, ``URL|PATH``)
#: or the choices (``md|csv|jsonl``).
_OPTION = re.compile(r"(--[a-z][\w-]*)(?: ([A-Z][A-Z|]*|[a-z]+(?:\|[a-z]+)+)\b)?")


def _synopsis() -> list[str]:
    """The command lines of the README's "Command line" block (a line that goes on
    indented joined to its command)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("\n## Command line\n", 1)[1].split("```\n", 2)[1]
    lines: list[str] = []
    for line in block.splitlines():
        if line.startswith("reactieveld"):
            lines.append(line)
        elif line.strip():
            lines[-1] += " " + line.strip()
    return lines


def test_the_readmes_synopsis_says_what_the_english_help_shows(parsers) -> None:
    english = parsers["en"]
    lines = _synopsis()
    assert len(lines) >= 10
    for line in lines:
        words, path = line.split()[1:], ()
        while words and (*path, words[0]) in english:
            path = (*path, words.pop(0))
        parser = english[path]
        formatter = parser._get_formatter()
        actions = {o: a for a in parser._actions for o in a.option_strings}
        for option, value in _OPTION.findall(line):
            assert option in actions, f"{line}: {option} is not an option of {path}"
            action = actions[option]
            if not value:
                assert action.nargs == 0, f"{line}: {option} takes a value"
            elif action.choices is not None:
                assert value.split("|") == list(action.choices), f"{line}: {option}"
            else:
                assert value == _metavar(formatter, action), f"{line}: {option}"
        for positional in re.findall(r'"([A-Z]+)"', line):
            assert positional in [a.metavar for a in parser._actions if not a.option_strings]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("command", ["search", "export", "agreement"])
def test_the_time_filters_help_says_a_date_time_is_taken_and_its_example_is(
    command: str, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--since``/``--until`` take a full date-time too (read.figures.parse_date): ``-h``
    says so with an example, and that example is one the commands take."""
    from reactieveld.read.figures import parse_date

    out = _squeezed(_help([command], language, capsys))
    examples = re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d", out)
    assert examples, out
    for example in examples:
        parse_date(example)  # a ValueError would make the help's example wrong
    zone = "tenzijereenzonebijstaat" if language == "nl" else "unlessitnamesazone"
    assert zone in out and "UTC" in out


def test_the_readme_says_the_time_filters_take_a_date_time_and_its_examples_are_taken() -> None:
    from reactieveld.read.figures import parse_date

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    said = re.findall(r"`(?:sinds:|--since |--until |tot:)(\d{4}-\d\d-\d\dT[^`]+)`", readme)
    assert len(said) >= 2, "the README shows no date-time for sinds:/--since/--until"
    for example in said:
        parse_date(example)
