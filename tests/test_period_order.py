"""One period rule for every command that takes one: a ``--since`` later than its
``--until`` is refused alike by export, search, agreement and stats (one line, exit 2,
in the reader's language), never an empty report written as if the period were quiet."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.cli import main
from reactieveld.store.open import open_store

COMMANDS = {
    "export": ["export", "--format", "csv", "-o", "{out}.csv"],
    "export-md": ["export", "--format", "md", "-o", "{out}.md"],
    "decisions": ["export", "--format", "decisions", "-o", "{out}.csv"],
    "search": ["search", "afval"],
    "agreement": ["agreement"],
    "stats": ["stats"],
}
SAID = {"en": "is after", "nl": "ligt na"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("period") / "m.db"

    async def make() -> None:
        store = await open_store(path)
        await store.close()

    asyncio.run(make())
    return str(path)


def _written(moment: datetime, as_day: bool) -> str:
    return moment.date().isoformat() if as_day else moment.isoformat(timespec="minutes")


@st.composite
def backwards(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A ``--since`` after its ``--until``: days, or date-times (stats takes days only)."""
    until = draw(
        st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1)).map(
            lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
        )
    )
    as_day = draw(st.booleans())
    gap = draw(st.integers(1, 4000)) * (timedelta(days=1) if as_day else timedelta(minutes=1))
    # A day's --until holds the whole day: a --since on it is still inside.
    since = until + gap
    return _written(since, as_day), _written(until, as_day), as_day


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    period=backwards(),
    language=st.sampled_from(["nl", "en"]),
)
def test_a_period_that_ends_before_it_begins_is_one_line_exit_2_in_every_command(
    db, tmp_path, monkeypatch, capsys, command, period, language
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    since, until, as_day = period
    if command == "stats" and not as_day:
        since, until = since[:10], until[:10]
        if since <= until:  # minutes apart on one day: no period for whole days
            return
    out = tmp_path / f"uit-{command}"
    argv = [a.format(out=out) for a in COMMANDS[command]]
    capsys.readouterr()
    code = main(["--db", db, "--lang", language, *argv, "--since", since, "--until", until])
    captured = capsys.readouterr()
    assert code == 2, (command, since, until, captured)
    assert captured.out == "" and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    assert f"--since {since} {SAID[language]} --until {until}" in captured.err
    assert not list(tmp_path.glob("uit-*"))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_one_day_or_a_span_in_order_is_taken_by_every_command(db, tmp_path, monkeypatch, command):
    """The rule refuses only periods backwards: the same day as both ends is one day."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    day = date(2026, 12, 1).isoformat()
    argv = [a.format(out=tmp_path / "uit") for a in COMMANDS[command]]
    code = main(["--db", db, *argv, "--since", day, "--until", day])
    assert code == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    period=backwards(),
    since_key=st.sampled_from(["sinds", "since", "van", "from", "SINDS"]),
    until_key=st.sampled_from(["tot", "until", "to", "Tot"]),
    flag=st.booleans(),
    language=st.sampled_from(["nl", "en"]),
)
def test_a_backwards_period_in_the_search_box_is_said_as_on_the_command_line(
    db, tmp_path, monkeypatch, capsys, period, since_key, until_key, flag, language
):
    """``sinds:X tot:Y`` (the search box's and ``search``'s words) with X after Y, or a
    ``--since`` after the query's ``tot:``: the same rule, one line, exit 2."""
    from reactieveld.read.search import Allowed, describe_problem, parse_query

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    since, until, _ = period
    query = f"afval {until_key}:{until}" + ("" if flag else f" {since_key}:{since}")
    argv = ["search", query] + (["--since", since] if flag else [])
    capsys.readouterr()
    assert main(["--db", db, "--lang", language, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured.err
    said = {"en": "the start is after the end", "nl": "het begin ligt na het einde"}
    assert said[language] in captured.err and f"{until_key}:{until}" in captured.err
    if not flag:  # the search box: the same problem on the screen
        [problem] = parse_query(query).problems
        line = describe_problem(problem, Allowed(), language)
        assert line == f"{since_key}:{since} {until_key}:{until}: " + said[language] + (
            "; swap them or give other dates"
            if language == "en"
            else "; draai ze om of kies andere datums"
        )
