"""The double-coding sample: deterministic by source and external id, of the asked share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reactieveld.codebook import in_double_sample

_share = st.floats(0, 1, allow_nan=False)


@given(st.text(), st.text(), _share, _share)
def test_same_answer_everywhere_and_a_larger_share_keeps_the_smaller(
    source: str, external_id: str, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    assert in_double_sample(source, external_id, low) == in_double_sample(source, external_id, low)
    if in_double_sample(source, external_id, low):
        assert in_double_sample(source, external_id, high)


@given(st.text(), st.text())
def test_zero_is_off_and_one_is_everything(source: str, external_id: str) -> None:
    assert not in_double_sample(source, external_id, 0)
    assert in_double_sample(source, external_id, 1)


def test_the_share_is_met_within_binomial_noise() -> None:
    picked = sum(in_double_sample("forum", str(i), 0.1) for i in range(20_000))
    # mean 2,000, standard deviation about 42: four of them either way.
    assert 1_830 <= picked <= 2_170
    # the source counts: the same ids on another source give another sample
    other = {i for i in range(2_000) if in_double_sample("blog", str(i), 0.1)}
    mine = {i for i in range(2_000) if in_double_sample("forum", str(i), 0.1)}
    assert other != mine
