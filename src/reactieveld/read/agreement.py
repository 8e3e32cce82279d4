"""Intercoder agreement: Krippendorff's alpha (nominal), exactly, without numpy.

The figure qualitative researchers use to show that a coding holds up (issue 14). The
data are *units* (double-coded responses) × *coders*; a coder may not have coded every
unit (a missing value). Only units with at least two values are *pairable* and count.

Definitions (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011):

* the coincidence matrix: every ordered pair of values from two different coders of one
  unit adds ``1 / (m_u - 1)`` to ``o[c][k]``, where ``m_u`` is the unit's number of values;
* ``n_c`` is the row sum of ``o`` and ``n`` the sum of all ``n_c``;
* ``alpha = 1 - (n - 1) * sum(o[c][k], c != k) / sum(n_c * n_k, c != k)``.

Computed with :class:`fractions.Fraction`, so the result is exact (no sampling, no float
drift). When every value is one category the expected disagreement is zero and alpha is
*undefined* (``None``): there is nothing to be reliable about, and the figure says so.

* **percent agreement**: of all pairs of coders on a pairable unit, the share that gave the
  same value (for two coders: the share of units where they agree).
* **verdict** (Krippendorff's conventions): ``reliable`` at alpha >= 0.800, ``tentative``
  from 0.667 up to 0.800, ``not_reliable`` below; ``too_few`` under :data:`MIN_UNITS`
  pairable units; ``undefined`` when alpha is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Literal

from reactieveld.store.values import Coding

__all__ = ["Agreement", "Coding", "agreement", "by_variable", "krippendorff_alpha"]

MIN_UNITS = 20
RELIABLE = Fraction(800, 1000)
TENTATIVE = Fraction(667, 1000)

Verdict = Literal["reliable", "tentative", "not_reliable", "too_few", "undefined"]

# One unit: the value each coder gave (coders who did not code it are left out, or None).
Unit = Mapping[str, Hashable | None]


@dataclass(frozen=True)
class Agreement:
    """The agreement of one variable: alpha (``None`` when undefined), percent, n, verdict."""

    alpha: Fraction | None
    percent: Fraction | None
    units: int
    verdict: Verdict

    @property
    def alpha_float(self) -> float | None:
        """Alpha as a float, for display (three decimals is Krippendorff's habit)."""
        return None if self.alpha is None else float(self.alpha)


def _values(unit: Unit) -> list[Hashable]:
    return [v for v in unit.values() if v is not None]


def krippendorff_alpha(units: Iterable[Unit]) -> Fraction | None:
    """Krippendorff's alpha for nominal data, exact; ``None`` when undefined.

    Undefined: fewer than two pairable values, or every pairable value the same category.
    """
    coincidence: defaultdict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for unit in units:
        values = _values(unit)
        m = len(values)
        if m < 2:
            continue
        weight = Fraction(1, m - 1)
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidence[(c, k)] += weight
    totals: defaultdict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _k), o in coincidence.items():
        totals[c] += o
    n = sum(totals.values(), Fraction(0))
    observed = sum((o for (c, k), o in coincidence.items() if c != k), Fraction(0))
    categories = list(totals)
    expected = sum((2 * totals[c] * totals[k] for c, k in combinations(categories, 2)), Fraction(0))
    if n < 2 or expected == 0:
        return None
    alpha: Fraction = 1 - (n - 1) * observed / expected
    return alpha


def percent_agreement(units: Iterable[Unit]) -> Fraction | None:
    """The share of coder pairs on pairable units that agree; ``None`` without pairs."""
    agree = pairs = 0
    for unit in units:
        for a, b in combinations(_values(unit), 2):
            pairs += 1
            agree += a == b
    return None if pairs == 0 else Fraction(agree, pairs)


def verdict(alpha: Fraction | None, units: int) -> Verdict:
    """Krippendorff's conventions; too few pairable units or an undefined alpha first."""
    if alpha is None:
        return "undefined"
    if units < MIN_UNITS:
        return "too_few"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "not_reliable"


def agreement(units: Sequence[Unit]) -> Agreement:
    """Alpha, percent agreement, the number of pairable units and the verdict."""
    pairable = [u for u in units if len(_values(u)) >= 2]
    alpha = krippendorff_alpha(pairable)
    return Agreement(
        alpha, percent_agreement(pairable), len(pairable), verdict(alpha, len(pairable))
    )


def by_variable(codings: Iterable[Coding], questions: Sequence[str]) -> dict[str, Agreement]:
    """The agreement per planning question (present or absent: binary) and for the role.

    Keys: each question code in the order given, then ``"role"``. A coder who coded a
    response gave every question a value (present or absent); a coding without a role is
    a missing value for the role.
    """
    units: dict[int, dict[str, Coding]] = {}
    for coding in codings:
        units.setdefault(coding.response_id, {})[coding.coder] = coding
    result = {
        q: agreement([{c: q in k.questions for c, k in u.items()} for u in units.values()])
        for q in questions
    }
    result["role"] = agreement([{c: k.role for c, k in u.items()} for u in units.values()])
    return result
