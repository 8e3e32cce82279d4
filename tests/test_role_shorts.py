"""Roles in the queue's narrow role column: at 80 columns it has 8 cells, and
"Ambtenaar", "Medewerker", "Ondernemer" and "Organisatie" were cut to "Ambtena…",
"Medewer…", "Onderne…", "Organis…". Each role now has a short form that fits, unique in
its codebook (a configured ``short_nl``/``short_en``, else one made of the label).
Generated codebooks (long, equal-prefix, unicode and wide-character labels) through the
one function, and drawn through the queue's own rows at 60, 80 and 100 columns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from helpers.app import cells_from
from helpers.plainqueue import PlainQueue
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, set_cell_size

from reactieveld.codebook import DEFAULT_QUESTIONS, Code, make_codebook, short_labels
from reactieveld.config import load_config
from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus, Response, TagKind
from reactieveld.store.base import QueueRow
from reactieveld.tui.widgets.queue_list import SCROLLBAR, ViewContext, visible_columns

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)

WORD = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=14)
WIDE = st.text(st.sampled_from("李小龍漢字役所員"), min_size=1, max_size=8)
PREFIX = st.sampled_from(["Medewerker", "Projectleider", "Ambtenaar van", "Ørstedgemeente"])
LABELS = st.one_of(
    st.lists(WORD, min_size=1, max_size=4).map(" ".join),  # long and short, unicode
    st.tuples(PREFIX, st.lists(WORD, max_size=2).map(" ".join)).map(" ".join),  # equal prefix
    WIDE,
    st.sampled_from(["Ambtenaar", "Medewerker", "Ondernemer", "Organisatie", "College (B&W)"]),
)


@st.composite
def role_codes(draw: st.DrawFn) -> tuple[Code, ...]:
    labels = draw(st.lists(st.tuples(LABELS, LABELS), min_size=1, max_size=12))
    shorts = draw(st.lists(st.one_of(st.none(), WORD), min_size=len(labels)))
    return tuple(
        Code(
            TagKind.ROLE,
            f"r{i}",
            "abcdefghijkl"[i],
            {"nl": nl, "en": en},
            short={"nl": short} if short else {},
        )
        for i, ((nl, en), short) in enumerate(zip(labels, shorts, strict=False))
    )


@settings(max_examples=60, deadline=None)
@given(codes=role_codes(), language=st.sampled_from(["nl", "en"]), cells=st.integers(3, 20))
def test_every_short_form_fits_and_is_unique_in_its_codebook(
    codes: tuple[Code, ...], language: str, cells: int
) -> None:
    forms = short_labels(codes, language, cells)
    assert set(forms) == {c.code for c in codes}
    assert all(form and cell_len(form) <= cells for form in forms.values()), forms
    assert len({form.casefold() for form in forms.values()}) == len(codes), forms
    labels = [" ".join(c.label(language).split()) for c in codes]
    for c, label in zip(codes, labels, strict=True):
        if cell_len(label) <= cells and labels.count(label) == 1:
            assert forms[c.code] == label  # a label that fits stays whole


@settings(max_examples=30, deadline=None)
@given(
    label=st.text(st.sampled_from("a1"), min_size=1, max_size=9),
    count=st.integers(2, 40),
    cells=st.integers(3, 8),
)
def test_many_roles_of_one_label_that_ends_in_digits_each_get_a_form(
    label: str, count: int, cells: int
) -> None:
    """Roles written alike ("a1x", "Wijk 11"), a dozen or more: the numbered forms a
    start and a number make can be alike ("a1" + "1", "a" + "11"); each role still gets
    one of its own (the queue drew nothing: StopIteration)."""
    codes = tuple(Code(TagKind.ROLE, f"r{i}", "", {"nl": label}) for i in range(count))
    forms = short_labels(codes, "nl", cells)
    assert all(form and cell_len(form) <= cells for form in forms.values()), forms
    assert len({form.casefold() for form in forms.values()}) == count, forms


def _row(role: str) -> QueueRow:
    r = Response(
        source="blog",
        external_id="c1",
        thread_external_id="t",
        author_name="Anna",
        body_text="Een reactie.",
        created_at=NOW,
        remote_status=RemoteStatus.APPROVED,
        id=1,
    )
    return QueueRow(r, None, (), role, None)


@settings(max_examples=20, deadline=None)
@given(codes=role_codes(), language=st.sampled_from(["nl", "en"]))
def test_the_queue_shows_each_role_whole_or_by_its_short_form(
    codes: tuple[Code, ...], language: str
) -> None:
    """At 60, 80 and 100 columns, where the role column shows: each role's cell is its
    whole label or its short form, never cut with "…", and no two roles read alike."""
    book = make_codebook(DEFAULT_QUESTIONS, codes)
    context = ViewContext(I18n(language), book, UTC, "me", lambda: NOW, [])
    q = PlainQueue(store=None, context=context)
    for width in (60, 80, 100):
        inner = width - SCROLLBAR
        start, cells = 0, 0
        for key, w in visible_columns(inner):
            if key == "col.role":
                cells = w - 1
                break
            start += w
        if not cells:
            assert width < 80
            continue
        shown = []
        for c in codes:
            line = "".join(s.text for s in q._render_row(_row(c.code), inner, False, False, None))
            text = set_cell_size(cells_from(line, start), cells).rstrip()
            label = " ".join(c.label(language).split())
            assert text == label or text == short_labels(codes, language, cells)[c.code]
            assert not text.endswith("…"), (width, text)
            shown.append(text.casefold())
        assert len(set(shown)) == len(codes), (width, shown)


def test_a_configured_short_form_is_used_where_it_fits(tmp_path: Path) -> None:
    """``short_nl``/``short_en`` of a role in the config: its form in a narrow column
    (one that does not fit, or is another's, gives way to a made one)."""
    path = tmp_path / "config.toml"
    path.write_text(
        "[codebook]\n"
        '[[codebook.roles]]\ncode = "mwn"\nkey = "n"\nnl = "Medewerker Noord"\n'
        'short_nl = "Mw Noord"\nshort_en = "Staff N"\n'
        '[[codebook.roles]]\ncode = "mwz"\nkey = "z"\nnl = "Medewerker Zuid"\n'
        'short_nl = "Mw Noord"\n'
        '[[codebook.roles]]\ncode = "ambtenaar"\nshort_nl = "Ambt."\n',
        encoding="utf-8",
    )
    book = load_config(path).codebook
    nl = book.short_labels(TagKind.ROLE, "nl", 8)
    assert (nl["mwn"], nl["ambtenaar"]) == ("Mw Noord", "Ambt.")
    assert nl["mwz"] not in ("Mw Noord", "Medewer…") and cell_len(nl["mwz"]) <= 8
    assert book.short_labels(TagKind.ROLE, "en", 7)["mwn"] == "Staff N"
    assert book.short_labels(TagKind.ROLE, "nl", 20)["mwn"] == "Medewerker Noord"
