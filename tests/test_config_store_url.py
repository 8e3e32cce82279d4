"""``[store] url`` and ``password_env`` (issue 13): a team's memory on PostgreSQL, with the
password never in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from reactieveld.cli import Context
from reactieveld.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_url_and_password_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(
        tmp_path,
        '[store]\nurl = "postgresql://moderator@db.example.nl/reactieveld"\n'
        'password_env = "REACTIEVELD_DB_PASSWORD"\n',
    )
    config = load_config(path, environ={})
    assert config.store.url == "postgresql://moderator@db.example.nl/reactieveld"
    assert config.store.path is None
    monkeypatch.setenv("REACTIEVELD_DB_PASSWORD", "geheim")
    assert config.store.password() == "geheim"
    monkeypatch.delenv("REACTIEVELD_DB_PASSWORD")
    with pytest.raises(ConfigError, match="REACTIEVELD_DB_PASSWORD.*not set"):
        config.store.password()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://moderator:geheim@db.example.nl/reactieveld",
        "postgres://moderator:geheim@db.example.nl:5432/reactieveld",
        "postgresql://moderator:@db.example.nl/reactieveld",
        "postgresql://db.example.nl/reactieveld?user=moderator&password=geheim",
    ],
)
def test_a_password_in_the_file_is_refused_and_not_repeated(tmp_path: Path, url: str) -> None:
    path = write(tmp_path, f'[store]\nurl = "{url}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert "password_env" in message
    assert "geheim" not in message
    assert f"{path}:2" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('url = "mysql://x@h/db"', "a PostgreSQL URL"),
        ('url = "db.example.nl"', "a PostgreSQL URL"),
        ('url = "postgresql:///reactieveld"', "a PostgreSQL URL"),
        ('url = "postgresql://h:99999/db"', "a port from 1 to 65535"),
        ("url = 5", "a PostgreSQL URL"),
        ('url = "postgresql://m@h/db"\npath = "x.db"', "not both"),
        ('password_env = "PW"', "password_env is for url"),
        ('url = "postgresql://m@h/db"\npassword_env = "not a name"', "environment variable"),
    ],
)
def test_bad_store_keys_name_file_and_line(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, f"[store]\n{body}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def _ctx(tmp_path: Path, config_text: str, db: str | None = None, demo: bool = False) -> Context:
    return Context(str(write(tmp_path, config_text)), db, None, demo=demo)


URL = "postgresql://anna@db.example.nl/reactieveld"


def test_which_memory_a_command_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--db, then $REACTIEVELD_DB, then [store] url (with password_env), then the path."""
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)
    monkeypatch.setenv("REACTIEVELD_DB_PASSWORD", "geheim")
    team = f'[store]\nurl = "{URL}"\npassword_env = "REACTIEVELD_DB_PASSWORD"\n'
    assert _ctx(tmp_path, team).store_target() == (URL, "geheim")
    # A URL given on the command line or in the environment is kept whole (a Path would
    # fold its "//"); its password comes from PGPASSWORD or ~/.pgpass.
    other = "postgresql://bram@127.0.0.1:5433/kopie"
    assert _ctx(tmp_path, team, db=other).store_target() == (other, None)
    monkeypatch.setenv("REACTIEVELD_DB", other)
    assert _ctx(tmp_path, team).store_target() == (other, None)
    file = str(tmp_path / "eigen.db")
    assert _ctx(tmp_path, team, db=file).store_target() == (file, None)
    monkeypatch.delenv("REACTIEVELD_DB")
    alone = f'[store]\npath = "{tmp_path / "m.db"}"\n'
    assert _ctx(tmp_path, alone).store_target() == (str(tmp_path / "m.db"), None)
    # The demo keeps a store of its own, also in a team's configuration.
    target, password = _ctx(tmp_path, team, demo=True).store_target()
    assert target.endswith("demo.db") and password is None


def _url_variants() -> list[tuple[str, str]]:
    """Generated wrong ``[store] url`` values -> words the one line must hold."""
    host = "moderator@db.example.nl"
    out: list[tuple[str, str]] = []
    for scheme in ("POSTGRESQL", "Postgresql", "POSTGRES", "PostgreS"):
        out.append((f"{scheme}://{host}/rv", "lower case"))
    for scheme in ("mysql", "sqlite", "http", "postgresq", "pg"):
        out.append((f"{scheme}://{host}/rv", f'the scheme "{scheme}"'))
    for port in ("99999", "65536", "abc", "-1", "5432x", "0"):
        out.append((f"postgresql://{host}:{port}/rv", "a port from 1 to 65535"))
    for url in (f"postgresql:{host}/rv", f"postgresql:/{host}/rv", "postgres:db.example.nl"):
        out.append((url, "two slashes"))
    for url in ("db.example.nl/rv", "//db.example.nl/rv", ""):
        out.append((url, "without postgresql://"))
    for url in ("postgresql://moderator:geheim@h/rv", "postgres://m:geheim@h:5432/rv"):
        out.append((url, "password_env"))
    return out


@pytest.mark.parametrize(("url", "says"), _url_variants())
def test_each_kind_of_url_mistake_is_one_line_that_says_what_to_change(
    tmp_path: Path, url: str, says: str
) -> None:
    path = write(tmp_path, f'[store]\nurl = "{url}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert says in message, message
    assert f"{path}:2" in message and "\n" not in message
    assert "geheim" not in message


@pytest.mark.parametrize(
    "url", ["POSTGRESQL://m@h/rv", "mysql://m@h/rv", "postgresql://m@h:99999/rv"]
)
def test_a_wrong_url_on_the_command_line_is_one_line_exit_2(
    tmp_path: Path,
    url: str,
    capsys: pytest.CaptureFixture[str],
    cli_isolated: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reactieveld.cli import main

    monkeypatch.chdir(tmp_path)  # no memory file named like the URL is made

    path = write(tmp_path, '[[sources]]\nname = "d"\ntype = "demo"\n')
    assert main(["--config", str(path), "--db", url, "sources"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "--db" in err
    assert not list(tmp_path.glob("*:"))


@pytest.mark.parametrize("key", ["password_env", "author_secret_env"])
@pytest.mark.parametrize("value", [None, ""])
def test_an_env_key_naming_an_unset_variable_says_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str | None
) -> None:
    url = 'url = "postgresql://m@h/rv"\n' if key == "password_env" else ""
    path = write(tmp_path, f'# team\n[store]\n{url}{key} = "RV_UNSET_VAR"\n')
    if value is None:
        monkeypatch.delenv("RV_UNSET_VAR", raising=False)
    else:
        monkeypatch.setenv("RV_UNSET_VAR", value)
    config = load_config(path, environ={})
    read = config.store.password if key == "password_env" else config.store.author_secret
    with pytest.raises(ConfigError) as caught:
        read()
    message = str(caught.value)
    line = 4 if url else 3
    assert message.startswith(f"{path}:{line}: [store]: "), message
    assert "RV_UNSET_VAR" in message and "set it" in message and "\n" not in message
