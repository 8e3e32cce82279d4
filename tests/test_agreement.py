"""Krippendorff's alpha (nominal), exact: the worked examples of Krippendorff (2011) by
hand, and random data with missing values and more than two coders against the
``krippendorff`` package (a test dependency; the program computes alpha without numpy)."""

from __future__ import annotations

import math
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.i18n import text
from reactieveld.read.agreement import (
    MIN_UNITS,
    agreement,
    agreement_figures,
    agreement_lines,
    krippendorff_alpha,
    verdict,
)
from reactieveld.store.values import Coding

N = None


def _units(*coders: list[int | None]) -> list[dict[str, int | None]]:
    names = "ABCDEFGH"
    return [dict(zip(names, values, strict=False)) for values in zip(*coders, strict=True)]


def test_nominal_four_coders_missing_values_is_0_743() -> None:
    # "Computing Krippendorff's Alpha-Reliability" (2011), C: nominal data, any number of
    # observers, missing data. Unit 12 has one value only and is not pairable.
    units = _units(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    )
    # By hand: n = 40 pairable values; n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3, so
    # sum(n_c * n_k, c != k) = 40**2 - (81 + 169 + 100 + 25 + 9) = 1216. The off-diagonal
    # coincidences: unit 2 (2,2,3,2) 6 ordered pairs / 3 = 2, unit 6 (1,2,3,4) 12 / 3 = 4,
    # unit 8 (1,1,2,1) 6 / 3 = 2: 8 in all. alpha = 1 - 39 * 8 / 1216 = 0.743.
    expected = 1 - Fraction(39 * 8, 1216)
    result = agreement(units)
    assert result.alpha == expected
    assert round(float(expected), 3) == 0.743
    assert result.units == 11
    assert result.verdict == "too_few"  # 11 units < 20


def test_binary_two_coders_is_0_095() -> None:
    # The same paper, A: binary data, two observers, no missing data.
    units = _units([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    result = agreement(units)
    # o_01 = o_10 = 4, n_0 = 14, n_1 = 6, n = 20: 1 - 19 * 4 / (14 * 6).
    assert result.alpha == 1 - Fraction(19 * 4, 14 * 6)
    assert round(float(result.alpha or 0), 3) == 0.095
    assert result.percent == Fraction(6, 10)


def test_one_category_everywhere_is_undefined() -> None:
    result = agreement(_units([1] * 25, [1] * 25, [1, N] * 12 + [1]))
    assert result.alpha is None
    assert result.verdict == "undefined"
    assert result.percent == 1
    assert result.units == 25


def test_no_pairable_unit() -> None:
    result = agreement(_units([1, N, 2], [N, 2, N]))
    assert (result.alpha, result.percent, result.units) == (None, None, 0)
    assert result.verdict == "too_few"


@pytest.mark.parametrize(("language", "said"), [("en", "too few"), ("nl", "te weinig")])
def test_a_role_with_nothing_pairable_says_too_few_with_its_n(language, said) -> None:
    """n = 0 (the role given by one coder only) is too few, as 19 is, not "undefined"."""
    codings = [
        Coding(1, "anna", frozenset({"1"}), "bewoner"),
        Coding(1, "bert", frozenset({"1"}), None),
    ]
    figures = agreement_figures(codings, ["1"])
    lines = agreement_lines(figures, {}, language, width=80)
    role = next(line for line in lines if line.startswith(text("agree.role", language)))
    assert role.split()[1:] == ["—", "—", "0", *said.split()]


def test_verdicts_at_the_boundaries() -> None:
    assert verdict(Fraction(800, 1000), MIN_UNITS) == "reliable"
    assert verdict(Fraction(799, 1000), MIN_UNITS) == "tentative"
    assert verdict(Fraction(667, 1000), MIN_UNITS) == "tentative"
    assert verdict(Fraction(666, 1000), MIN_UNITS) == "not_reliable"
    assert verdict(Fraction(1), MIN_UNITS - 1) == "too_few"
    assert verdict(None, 100) == "undefined"
    assert verdict(None, MIN_UNITS) == "undefined"
    # Too few whatever alpha: none (alpha undefined) says what 19 says.
    for units in (0, 1, MIN_UNITS - 1):
        assert verdict(None, units) == verdict(Fraction(1), units) == "too_few"


@st.composite
def _reliability_data(draw: st.DrawFn) -> list[list[int | None]]:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 30))
    categories = draw(st.integers(1, 4))
    value = st.one_of(st.none(), st.integers(0, categories - 1))
    return [draw(st.lists(value, min_size=units, max_size=units)) for _ in range(coders)]


@settings(max_examples=150, deadline=None)
@given(_reliability_data())
def test_random_data_matches_the_krippendorff_package(data: list[list[int | None]]) -> None:
    ours = krippendorff_alpha(_units(*data))
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    pairable = [c for c in zip(*data, strict=True) if sum(v is not None for v in c) >= 2]
    values = {v for c in pairable for v in c if v is not None}
    if len(values) < 2:
        assert ours is None  # one category (or none): undefined, the package cannot say
        return
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert ours is not None
    assert math.isclose(float(ours), theirs, abs_tol=1e-9)


def test_by_variable_questions_are_binary_and_the_role_nominal() -> None:
    from reactieveld.read.agreement import Coding, by_variable

    codings = [
        Coding(1, "anna", frozenset({"1"}), "bewoner"),
        Coding(1, "bert", frozenset({"1", "2"}), "bewoner"),
        Coding(2, "anna", frozenset(), "ondernemer"),
        Coding(2, "bert", frozenset({"2"}), None),
        Coding(3, "anna", frozenset({"1"}), "bewoner"),  # coded once: not pairable
    ]
    result = by_variable(codings, ["1", "2"])
    assert list(result) == ["1", "2", "role"]
    # question 1: (T,T), (F,F): full agreement; 2 pairable units.
    assert result["1"].percent == 1 and result["1"].units == 2
    assert result["1"].alpha == 1
    # question 2: (F,T), (F,T): never agree; by hand n = 4, o_FT = o_TF = 2, n_F = n_T = 2:
    # alpha = 1 - 3 * 4 / (2 * 2 * 2) = -1/2.
    assert result["2"].alpha == Fraction(-1, 2) and result["2"].percent == 0
    # role: unit 2 has one role only (bert gave none): one pairable unit, one category.
    assert result["role"].units == 1 and result["role"].verdict == "too_few"
