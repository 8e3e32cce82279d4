"""``[coding] double_share``: the share of responses coded twice, blind (issue 14)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.config import CodingConfig, ConfigError, load_config


def _load(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(text, encoding="utf-8")
        return load_config(path)


def test_default_is_off(tmp_path: Path) -> None:
    assert CodingConfig().double_share == 0
    (tmp_path / "c.toml").write_text("", encoding="utf-8")
    assert load_config(tmp_path / "c.toml").coding.double_share == 0
    assert load_config(None).coding.double_share == 0


@given(st.one_of(st.integers(0, 1), st.floats(0, 1)))
def test_any_share_from_0_to_1_is_taken(share: float) -> None:
    config = _load(f"# double coding\n[coding]\ndouble_share = {share!r}\n")
    assert config.coding.double_share == pytest.approx(share)


@given(
    st.one_of(
        st.integers(min_value=-(2**62), max_value=-1),
        st.integers(min_value=2, max_value=2**62),
        st.floats(min_value=1, exclude_min=True, allow_nan=False, allow_infinity=False),
        st.floats(max_value=0, exclude_max=True, allow_nan=False, allow_infinity=False),
        st.sampled_from(['"0.1"', "true", "[0.1]", "nan", "inf", "-inf", "{}"]),
    )
)
def test_a_bad_share_is_one_line_naming_file_line_and_key(value: object) -> None:
    text = f"# double coding\n[coding]\ndouble_share = {value}\n"
    with pytest.raises(ConfigError) as caught:
        _load(text)
    message = str(caught.value)
    assert "\n" not in message
    assert "config.toml:3:" in message  # the file and the line
    assert '[coding]: key "double_share": expected a share from 0 to 1' in message


def test_unknown_key_in_coding(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[coding]\nshare = 0.1\n", encoding="utf-8")
    known = 'key "share" is not known; expected one of: double_share'
    with pytest.raises(ConfigError, match=known):
        load_config(path)


def test_coding_must_be_a_table(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("coding = 0.1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(path)
