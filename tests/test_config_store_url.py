"""``[store] url`` and ``password_env`` (issue 13): a team's memory on PostgreSQL, with the
password never in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

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
        ('url = "postgresql://h:99999/db"', "a PostgreSQL URL"),
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
