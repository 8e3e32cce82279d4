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
  pairable units (none too, whatever alpha); ``undefined`` when alpha is, with enough.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from itertools import combinations
from typing import Any, Literal

from reactieveld.i18n import counted, number, text
from reactieveld.read.days import future_note, up_to_today
from reactieveld.store.values import Coding
from reactieveld.text import one_line

__all__ = [
    "Agreement",
    "AgreementFigures",
    "Coding",
    "agreement",
    "agreement_figures",
    "by_variable",
    "krippendorff_alpha",
    "render_agreement_text",
]

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
    """Krippendorff's conventions; too few pairable units first (none is too few, not
    "undefined": the verdict is the same for 0 as for 19), then an undefined alpha."""
    if units < MIN_UNITS:
        return "too_few"
    if alpha is None:
        return "undefined"
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


# -- the figures as the command and the dashboard show them -----------------------------


@dataclass(frozen=True)
class AgreementFigures:
    """The agreement of a memory's double-coded responses: per planning question of the
    codebook (in its order) and for the role, with what was counted."""

    #: (variable, its agreement): each question code, then ``"role"``.
    rows: tuple[tuple[str, Agreement], ...]
    #: responses coded by two moderators or more (the double-coded ones counted)
    responses: int
    #: every coder among them, sorted
    coders: tuple[str, ...]
    since: datetime | None = None
    until: datetime | None = None  # exclusive (the day after ``--until``)
    sources: tuple[str, ...] = ()


def agreement_figures(
    codings: Sequence[Coding],
    questions: Sequence[str],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    sources: Sequence[str] = (),
) -> AgreementFigures:
    """The figures of ``codings`` (the store's, of double-coded responses) for the
    planning questions ``questions``."""
    per = by_variable(codings, questions)
    units: dict[int, set[str]] = {}
    for c in codings:
        units.setdefault(c.response_id, set()).add(c.coder)
    return AgreementFigures(
        rows=tuple(per.items()),
        responses=sum(1 for coders in units.values() if len(coders) >= 2),
        coders=tuple(sorted({c.coder for c in codings})),
        since=since,
        until=until,
        sources=tuple(sources),
    )


def format_alpha(value: Fraction | None) -> str:
    """Alpha with three decimals (Krippendorff's habit); "—" when undefined."""
    return "—" if value is None else f"{float(value):.3f}"


def format_percent(value: Fraction | None) -> str:
    """A share as a percentage with one decimal; "—" without pairs."""
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def period_text(figures: AgreementFigures, language: str) -> str:
    """Which responses the figures cover: their arrival period (UTC) and sources."""
    first = figures.since.date().isoformat() if figures.since else None
    # ``until`` is exclusive (the next day's 00:00 UTC): the last day is the one before.
    last_day, cut = (None, False)
    if figures.until:
        # A period past today ends today, and says so (the one rule of figures' periods).
        last_day, cut = up_to_today((figures.until - timedelta(days=1)).date())
    last = last_day.isoformat() if last_day else None
    if first and last:
        period = text("agree.period.between", language, first=first, last=last)
    elif first:
        period = text("agree.period.since", language, first=first)
    elif last:
        period = text("agree.period.until", language, last=last)
    else:
        period = text("agree.period.all", language)
    if cut:
        period += f"; {future_note(language)}"
    sources = ", ".join(figures.sources) if figures.sources else text("agree.sources.all", language)
    return text("agree.period", language, period=period, sources=sources)


async def period_agreement(
    store: Any,
    questions: Sequence[str],
    since: datetime,
    until: datetime,
    *,
    sources: Sequence[str] = (),
    double_share: float = 0.0,
) -> AgreementFigures | None:
    """The agreement of the responses that arrived from ``since`` to ``until`` (from
    ``sources``; all when none), as the dashboard and ``reactieveld stats`` show it; None
    where there is no double coding (none configured and none stored): no section then."""
    from reactieveld.store.base import QueueFilter

    codings = await store.codings(QueueFilter(sources=tuple(sources), since=since, until=until))
    if not codings and not double_share:
        return None
    return agreement_figures(codings, questions, since=since, until=until, sources=sources)


def render_agreement_text(
    figures: AgreementFigures, labels: Mapping[str, str], language: str
) -> str:
    """``reactieveld agreement``'s text: a title, the responses it covers, then
    :func:`agreement_lines` and the definitions (:func:`agreement_definition`)."""
    lines = [text("agree.title", language), *textwrap.wrap(period_text(figures, language), 88)]
    lines += agreement_lines(figures, labels, language, width=88)
    if figures.responses:
        lines += ["", *agreement_definition(language, 88)]
    return "\n".join([*lines, ""])


def agreement_definition(language: str, width: int) -> list[str]:
    """What the agreement figures count, wrapped to ``width``."""
    return textwrap.wrap(text("agree.def", language, min=MIN_UNITS), max(width, 20))


def agreement_lines(
    figures: AgreementFigures, labels: Mapping[str, str], language: str, *, width: int
) -> list[str]:
    """What was counted (or that nothing was), then one line per planning question and
    the role: its code, alpha, percent agreement, n, verdict and its label (``labels``:
    a question's text, or none). The numbers come first, so that a long label only runs
    on at the end of its line."""

    def t(key: str, **values: Any) -> str:
        return text(key, language, **values)

    if not figures.responses:
        return ["", *textwrap.wrap(t("agree.none"), max(width, 20))]
    coders = ", ".join(one_line(c, limit=64) for c in figures.coders)
    said = counted("agree.counted", language, figures.responses, coders=coders)
    lines = textwrap.wrap(said, max(width, 20))
    codes = {
        key: t("agree.role") if key == "role" else one_line(key, limit=8) for key, _ in figures.rows
    }
    verdicts = {key: t("agree.verdict." + r.verdict) for key, r in figures.rows}
    w_code = max(len(t("agree.col.variable")), *(len(c) for c in codes.values()))
    w_verdict = max(len(t("agree.col.verdict")), *(len(v) for v in verdicts.values()))

    def row(code: str, alpha: str, percent: str, n: str, verdict: str, label: str) -> str:
        line = f"{code:<{w_code}}  {alpha:>7}  {percent:>7}  {n:>5}  {verdict:<{w_verdict}}"
        return (line + "  " + label).rstrip()

    label_head = t("agree.col.label") if labels else ""
    lines += [
        "",
        row(
            t("agree.col.variable"),
            t("agree.col.alpha"),
            t("agree.col.percent"),
            t("agree.col.n"),
            t("agree.col.verdict"),
            label_head,
        ),
    ]
    for key, result in figures.rows:
        lines.append(
            row(
                codes[key],
                format_alpha(result.alpha),
                format_percent(result.percent),
                number(result.units, language),
                verdicts[key],
                one_line(labels.get(key, ""), limit=200),
            )
        )
    return lines
