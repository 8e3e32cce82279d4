"""``[team] claim_minutes``: the lease on an opened response (issue 13)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.config import MAX_CLAIM_MINUTES, ConfigError, TeamConfig, load_config


def _load(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(text, encoding="utf-8")
        return load_config(path), path


def test_default_is_five_minutes(tmp_path: Path) -> None:
    assert TeamConfig().claim_minutes == 5
    (tmp_path / "c.toml").write_text("", encoding="utf-8")
    assert load_config(tmp_path / "c.toml").team.claim_minutes == 5
    assert load_config(None).team.claim_minutes == 5


@given(st.one_of(st.integers(1, MAX_CLAIM_MINUTES), st.floats(0.01, MAX_CLAIM_MINUTES)))
def test_any_lease_in_range_is_taken(minutes: float) -> None:
    config, _ = _load(f"[team]\nclaim_minutes = {minutes!r}\n")
    assert config.team.claim_minutes == pytest.approx(minutes)


@given(
    st.one_of(
        st.integers(min_value=-(2**62), max_value=0),
        st.integers(min_value=MAX_CLAIM_MINUTES + 1, max_value=2**62),
        st.floats(max_value=0, allow_nan=False, allow_infinity=False),
        st.just('"5"'),
        st.just("true"),
        st.just("[5]"),
    )
)
def test_a_bad_lease_is_one_line_naming_the_key(value: object) -> None:
    text = f"[team]\nclaim_minutes = {value}\n"
    with pytest.raises(ConfigError) as caught:
        _load(text)
    message = str(caught.value)
    assert "\n" not in message
    assert '[team]: key "claim_minutes": expected a number of minutes greater than 0' in message
    assert ":2:" in message  # the line


def test_unknown_key_in_team(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[team]\nclaim = 5\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match='key "claim" is not known; expected one of: claim_minutes'
    ):
        load_config(path)
