"""``reactieveld agreement`` (issue 14): two moderators double-code a few responses on
each backend; the command prints, per planning question and for the role, the alpha,
the percent agreement and n computed by hand here, with the period it covers; the
export's filters select; nothing double-coded is one clear line; bad flags exit 2."""

from __future__ import annotations

import asyncio
import re
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from helpers.cli import run_main
from helpers.codings import open_team
from helpers.store import T0, open_store, page, resp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import RemoteStatus

# Four responses of blog, coded by anna and by bert (None: no role given).
ANNA = {"1": ({"1"}, "burger"), "2": ({"1"}, "burger"), "3": (set(), "raad"), "4": (set(), None)}
BERT = {"1": ({"1"}, "burger"), "2": (set(), "raad"), "3": (set(), "raad"), "4": (set(), "burger")}


async def _code(store: Any, rid: int, coder: str, questions: set[str], role: str | None) -> None:
    for q in sorted(questions):
        await store.toggle_question([rid], q, actor=coder)
    if role:
        await store.set_role([rid], role, actor=coder)
    if not questions and not role:
        # Coded as "nothing applies": on and off again leaves an empty coding.
        await store.toggle_question([rid], "8", actor=coder)
        await store.toggle_question([rid], "8", actor=coder)
    # A later coder's coding counts once done (x in the Second coding queue); the first
    # coder's is their tags (nothing to finish: the store leaves it).
    await store.finish_coding([rid], actor=coder)


async def _fill(target: str, request: pytest.FixtureRequest) -> None:
    team = await open_team(target, request, share=1.0)
    try:
        await team.owner.upsert_page("blog", page(*(resp(e, minutes=int(e)) for e in ANNA)))
        await team.owner.upsert_page("forum", page(resp("f", source="forum", minutes=90)))
        for coder, coding in (("anna", ANNA), ("bert", BERT)):
            for ext, (questions, role) in coding.items():
                row = await team.owner.get_by_external("blog", ext)
                await _code(team.of(coder), row.response.id, coder, questions, role)
        # forum's one response: coded by anna only (not double-coded).
        row = await team.owner.get_by_external("forum", "f")
        await _code(team.anna, row.response.id, "anna", {"2"}, None)
    finally:
        await team.close()


def _line(out: str, start: str) -> list[str]:
    found = [ln for ln in out.splitlines() if ln.startswith(start)]
    assert len(found) == 1, (start, out)
    return re.split(r"\s{2,}", found[0].strip())


async def test_the_figures_are_the_ones_computed_by_hand(
    store_target: str, request: pytest.FixtureRequest, cli_isolated: None
) -> None:
    await _fill(store_target, request)
    code, out, err = await asyncio.to_thread(run_main, ["--db", store_target, "--lang", "en",
                                                        "agreement"])  # fmt: skip
    assert (code, err) == (0, ""), err

    # Question 1, values (anna, bert) per response: (1,1) (1,0) (0,0) (0,0). Coincidences:
    # o_11 = 2, o_10 = o_01 = 1, o_00 = 4; n_1 = 3, n_0 = 5, n = 8.
    # alpha = 1 - (n - 1) * (o_10 + o_01) / (2 * n_1 * n_0) = 1 - 7 * 2 / 30 = 8/15.
    q1 = 1 - Fraction(7 * 2, 2 * 3 * 5)
    assert _line(out, "1 ") == [
        "1", f"{float(q1):.3f}", "75.0%", "4", "too few", "Which goals does the dialogue serve?"
    ]  # fmt: skip
    # Role: response 4 has bert's only (anna gave none): 3 pairable, (b,b) (b,r) (r,r):
    # n_b = n_r = 3, n = 6, two disagreeing ordered pairs: 1 - 5 * 2 / (2 * 3 * 3) = 4/9.
    role = 1 - Fraction(5 * 2, 2 * 3 * 3)
    assert _line(out, "role ") == ["role", f"{float(role):.3f}", "66.7%", "3", "too few"]
    # Question 2 is forum's only (coded once); nobody gave question 3 on blog: alpha
    # undefined, and 4 responses are too few to say more (as none would be).
    assert _line(out, "3 ") == [
        "3", "—", "100.0%", "4", "too few",
        "With what intention does the organisation take part?",
    ]  # fmt: skip
    flat = " ".join(out.split())
    assert "Double-coded: 4 responses" in flat and "(coders: anna, bert)" in flat
    assert "Responses: all, whatever their date · sources: all" in out
    assert "reliable at alpha >= 0.800" in flat

    # The export's filters: the forum is never double-coded; a period without blog's.
    code, out, _ = await asyncio.to_thread(
        run_main, ["--db", store_target, "--lang", "nl", "agreement", "--source", "forum"]
    )
    assert code == 0
    assert "Geen dubbel gecodeerde reacties in deze selectie" in out
    # Not told to set what is set (blog's are double-coded): the selection is named.
    flat = " ".join(out.split())
    assert "Zet [coding] double_share" not in flat
    assert "(de periode, de bronnen)" in flat
    assert "bronnen: forum" in out
    day = T0.date().isoformat()
    code, out, _ = await asyncio.to_thread(
        run_main,
        ["--db", store_target, "--lang", "en", "agreement", "--since", day, "--until", day],
    )
    assert code == 0
    assert f"arrived from {day} to {day} inclusive (UTC)" in out
    assert "Double-coded: 4 responses" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--since", "gisteren"],
            "reactieveld: --since 'gisteren': not a date; write YYYY-MM-DD, e.g. 2026-03-01, "
            "or a date-time, e.g. 2026-03-01T14:30",
        ),
        (["--source", "blgo"], "reactieveld: --source blgo: no such source in the memory"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(
    tmp_path: Path, cli_isolated: None, argv: list[str], message: str
) -> None:
    db = tmp_path / "m.db"
    asyncio.run(_empty(db))
    code, out, err = run_main(["--db", str(db), "--lang", "en", "agreement", *argv])
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


async def _empty(db: Path) -> None:
    store = await open_store(db)
    await store.close()


# Random double codings of question 1 by up to three coders (None: that coder did not
# code the response), against the ``krippendorff`` package.
_units = st.lists(
    st.tuples(*(st.sampled_from([None, False, True]) for _ in range(3))), min_size=1, max_size=8
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_units)
def test_random_codings_match_the_krippendorff_package(
    units: list[tuple[bool | None, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.db"
        asyncio.run(_random_fill(db, units))
        code, out, err = run_main(["--db", str(db), "--lang", "en", "agreement"])
    assert code == 0, err
    double = [u for u in units if sum(v is not None for v in u) >= 2]
    if not double:
        assert "No double-coded responses" in out
        return
    data = np.array([[np.nan if u[c] is None else float(u[c]) for u in double] for c in range(3)])
    values = {v for u in double for v in u if v is not None}
    shown = _line(out, "1 ")
    assert shown[3] == str(len(double))
    if len(values) < 2:
        assert shown[1] == "—"
    else:
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert abs(float(shown[1]) - expected) <= 0.0005 + 1e-9


async def _random_fill(db: Path, units: list[tuple[bool | None, ...]]) -> None:
    store = await open_store(db, double_share=1.0)
    try:
        await store.upsert_page("blog", page(*(resp(str(i), minutes=i) for i in range(len(units)))))
        for i, unit in enumerate(units):
            rid = (await store.get_by_external("blog", str(i))).response.id
            # The first coder who coded it first (their tags), then the others.
            for coder, value in sorted(enumerate(unit), key=lambda cv: cv[1] is None):
                if value is None:
                    continue
                name = "abc"[coder]
                await _code(store, rid, name, {"1"} if value else set(), None)
    finally:
        await store.close()


async def test_the_markdown_report_names_the_agreement_of_its_questions(
    store_target: str, request: pytest.FixtureRequest, cli_isolated: None
) -> None:
    await _fill(store_target, request)
    argv = ["--db", store_target, "--lang", "en", "export", "--format", "md", "--question", "1"]
    code, out, _ = await asyncio.to_thread(run_main, argv)
    assert code == 0
    header = out.split("\n## ", 1)[0]
    # The figures of the test above: question 1 (8/15) and the role (4/9), only these.
    assert (
        "- Intercoder agreement (Krippendorff's alpha over 4 double-coded responses; see "
        "reactieveld agreement): Question 1 0.533 (too few); role 0.444 (too few)\n"
    ) in header
    # The forum has nothing double-coded: no line at all.
    code, out, _ = await asyncio.to_thread(run_main, [*argv, "--source", "forum"])
    assert code == 0 and "agreement" not in out.split("\n## ", 1)[0]


async def test_stats_prints_the_agreement_the_dashboard_shows(
    store_target: str, request: pytest.FixtureRequest, cli_isolated: None
) -> None:
    """``reactieveld stats`` is said to print the dashboard's figures, but left out the
    intercoder agreement the dashboard shows for its period: the same lines as
    ``reactieveld agreement`` gives for those days (and sources), its definition with the
    others; none where nothing is double-coded."""
    await _fill(store_target, request)
    days = ["--since", "2024-03-01", "--until", "2024-03-01"]
    for language in ("en", "nl"):
        for sources in ([], ["--source", "blog"], ["--source", "forum"]):
            base = ["--db", store_target, "--lang", language]
            code, stats, err = await asyncio.to_thread(run_main, [*base, "stats", *days, *sources])
            assert (code, err) == (0, ""), err
            code, agreement, err = await asyncio.to_thread(
                run_main, [*base, "agreement", *days, *sources]
            )
            assert (code, err) == (0, ""), err
            rows = [ln.rsplit("  ", 1)[0].rstrip() for ln in agreement.splitlines()]
            table = [r for r in rows if re.match(r"^(\d+|role|rol)\s{2,}", r)]
            if sources == ["--source", "forum"]:  # one coder there: nothing double-coded
                assert not table
                continue
            assert len(table) == 9
            for row in table:
                assert row in stats, (row, stats)
            title = "Intercoder agreement" if language == "en" else "Overeenstemming"
            assert title in stats


async def test_the_agreement_counts_spam_and_says_so_where_responses_do_not(
    store_target: str, request: pytest.FixtureRequest, cli_isolated: None
) -> None:
    """Agreement is about what was coded: a double-coded response marked spam still counts
    (n and alpha computed a second way, by the krippendorff package over ANNA and BERT);
    the dashboard's Responses leave it out. Both texts say what they count, nl and en."""
    await _fill(store_target, request)
    store = await open_store(store_target)
    try:
        await store.upsert_page("blog", page(resp("2", minutes=2, status=RemoteStatus.SPAM)))
    finally:
        await store.close()
    units = [
        [float("1" in ANNA[e][0]) for e in sorted(ANNA)],
        [float("1" in BERT[e][0]) for e in sorted(BERT)],
    ]
    alpha = krippendorff.alpha(reliability_data=np.array(units), level_of_measurement="nominal")
    said = {
        "en": ("spam, trash and deleted ones included", "without spam, trash and deleted"),
        "nl": ("spam, prullenbak en verwijderde meegeteld", "zonder spam, prullenbak en"),
    }
    days = ["--since", "2024-03-01", "--until", "2024-03-01"]
    for language, (included, left_out) in said.items():
        base = ["--db", store_target, "--lang", language]
        code, out, err = await asyncio.to_thread(run_main, [*base, "agreement"])
        assert (code, err) == (0, ""), err
        shown = _line(out, "1 ")
        assert shown[1].replace(",", ".") == f"{alpha:.3f}" and shown[3] == "4", out
        flat = " ".join(out.split())
        unlike = "(unlike Responses)" if language == "en" else "(anders dan Reacties)"
        assert included in flat and unlike in flat, out
        code, stats, err = await asyncio.to_thread(run_main, [*base, "stats", *days])
        assert (code, err) == (0, ""), err
        flat = " ".join(stats.split())
        # blog's 4 and forum's 1, blog's 2 spam: Responses 4; the agreement's n still 4.
        assert f"{'Responses' if language == 'en' else 'Reacties'}: 4" in flat, stats
        assert included in flat and left_out in flat, stats
