"""Redaction as a property: personal data in every written form, in generated surrounding
text (punctuation, glued letters, HTML), never survives in any field of any export format;
ordinary text (dates, years, amounts, times, ids) is left alone; and no CSV cell starts
with a formula character.

The surrounding text has no digits and no letters q or z; a phone number or a postcode is
made of digits (a bank account number too), and e-mail addresses here start with q (local
part) and z (domain). So
"nothing survives" is simply: no digit, no q, no z in a redacted field.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from reactieveld.model import Page, Response, Source, Thread
from reactieveld.reports.fields import CSV_COLUMNS, csv_safe, inert
from reactieveld.reports.formats import ExportOptions, write_csv, write_jsonl, write_markdown
from reactieveld.reports.redact import (
    NOT_STREETS,
    POSTCODE_WORDS,
    redact_html,
    redact_raw,
    redact_text,
)
from reactieveld.store.sqlite import SqliteStore

DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uff0d"]
SEPARATORS = st.one_of(
    st.sampled_from(["", "", " ", ".", "/", "\u00a0"]),
    st.tuples(st.sampled_from(["", " "]), st.sampled_from(DASHES), st.sampled_from(["", " "])).map(
        "".join
    ),
)


def grouped(draw, digits: str) -> str:
    """``digits`` with a generated separator (or none) in each gap."""
    out = digits[0]
    for d in digits[1:]:
        out += draw(SEPARATORS) + d
    return out


@st.composite
def phones(draw) -> str:
    kind = draw(st.sampled_from(["mobile", "area2", "area3", "intl31", "0031", "paren", "other"]))
    if kind == "other":
        country = draw(st.sampled_from(["32", "49", "44", "33", "1", "353"]))
        rest = draw(st.text("0123456789", min_size=8, max_size=10).filter(lambda t: t[0] != "0"))
        plus = draw(st.sampled_from(["+", "\uff0b", "00"]))
        return plus + country + draw(SEPARATORS) + grouped(draw, rest)
    area = {"mobile": "6", "area2": "20", "area3": "294"}.get(kind) or draw(
        st.sampled_from(["6", "20", "35", "294"])
    )
    number = area + draw(st.text("0123456789", min_size=9 - len(area), max_size=9 - len(area)))
    if kind in ("intl31", "0031"):
        prefix = "+31" if kind == "intl31" else "0031"
        zero = draw(st.sampled_from(["", "(0)", " (0) "]))
        return prefix + draw(SEPARATORS) + zero + grouped(draw, number)
    if kind == "paren":
        return f"(0{area})" + draw(st.sampled_from(["", " "])) + grouped(draw, number[len(area) :])
    # The trunk 0 is never written apart from the area code ("0 6..." is no phone number).
    return "0" + grouped(draw, number)


LETTERS = "abcdefghijklmnoprstuvwxy"  # no q, no z: those mark e-mail addresses here
AT_FORMS = ["@", "\uff20", " @ ", "[at]", " [at] ", "(at)", " (at) ", " at ", " AT ", "[AT]"]
DOT_FORMS = [".", "[dot]", " [dot] ", "(dot)", " dot ", " DOT ", "(punt)"]


@st.composite
def emails(draw) -> str:
    local = "q" + draw(st.text(LETTERS + "0123456789", min_size=1, max_size=8))
    if draw(st.booleans()):
        local += draw(st.sampled_from([".", "-", "_", "+"])) + draw(
            st.text(LETTERS, min_size=1, max_size=5)
        )
    labels = ["z" + draw(st.text(LETTERS, min_size=1, max_size=8))]
    labels += draw(st.lists(st.text(LETTERS, min_size=2, max_size=6), max_size=1))
    tld = draw(st.sampled_from(["nl", "com", "org", "eu", "amsterdam"]))
    dot = draw(st.sampled_from(DOT_FORMS))
    address = local + draw(st.sampled_from(AT_FORMS)) + dot.join([*labels, tld])
    case = draw(st.sampled_from([str, str.upper, str.title]))
    return case(address)


@st.composite
def postcodes(draw) -> str:
    digits = draw(st.integers(1000, 9999).map(str))
    letters = draw(
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).filter(
            lambda t: t not in ("SA", "SD", "SS")
        )
    )
    case = draw(st.sampled_from([str, str.lower]))
    letters = case(letters)
    # In lower case a two-letter word (en, in, op, ...) is not read as a postcode: the
    # false negative we accept to keep "in 2024 en 2025" (see reports/redact.py).
    assume(letters.isupper() or letters not in POSTCODE_WORDS)
    out = digits + draw(st.sampled_from(["", " "])) + letters
    house = draw(st.sampled_from(["", " 12", ", 5", " 12-2", " 7a", " 101 bis"[:4], " 3 - 1"]))
    # Letters that follow a postcode are kept apart by a space or punctuation.
    return out + house


UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def ibans(draw) -> str:
    """A bank account number (IBAN) as people write it: together or in groups of four,
    in upper or lower case; a bank code in letters (NL, GB) or digits (BE, DE, FR)."""
    country = draw(st.sampled_from(["NL", "GB", "BE", "DE", "FR", "LU", "NO"]))
    check = draw(st.text("0123456789", min_size=2, max_size=2))
    digits = st.text("0123456789", min_size=4, max_size=4)
    lettered = country in ("NL", "GB")
    bank = draw(st.text(UPPER, min_size=4, max_size=4) if lettered else digits)
    # The shortest: Norway's, 11 digits after the check digits; NL's ten after the bank.
    rest = draw(st.text("0123456789", min_size=10 if lettered else 7, max_size=14))
    number = country + check + bank + rest
    if draw(st.booleans()):  # as printed on a bank card
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return draw(st.sampled_from([str, str.lower]))(number)


# Street names here all hold a z (as e-mail domains do), so a street that survives is a
# leak too; the words before it (Burgemeester, Lange, Prof. dr.) and particles have none.
STREET_STEMS = ["Zon", "Zee", "Zuid", "Zwaan", "Zand", "Azalea", "Hazel", "Zilver", "Zwaluwen",
                "Zeger", "Zaan", "Zijl", "Zöller", "Zeïst", "Gravenzand", "Zé"]  # fmt: skip
STREET_ENDINGS = [
    "straat", "laan", "weg", "plein", "gracht", "kade", "dijk", "singel", "hof", "park",
    "dreef", "steeg", "pad", "markt", "plantsoen", "boulevard", "erf", "ring", "baan",
    "haven", "wal", "veld", "burg", "burgt", "allee", "straatje", "hofje",
]  # fmt: skip
STREET_PREFIXES = ["", "", "", "Van ", "Burgemeester de ", "Lange ", "Prof. dr. ",
                   "Jan van ", "'s-", "Eerste ", "Noord-", "Dokter "]  # fmt: skip
STREET_TYPES = ["Gracht", "Markt", "Plein", "Weg", "Dijk", "Kade", "Haven", "Wal", "Singel"]
# The type word first (Laan van Meerdervoort), and the particles after it.
TYPE_FIRST = ["Laan", "Weg", "Plein", "Dijk", "Kade", "Singel", "Gracht", "Markt", "Hof",
              "Boulevard", "Park", "Straat"]  # fmt: skip
NAME_PARTICLES = ["", "van ", "van de ", "der ", "van den ", "de ", "op ", "van 's-"]
# Lower-case words that belong to the name (lange zonstraat), in any case.
ADJECTIVES = ["lange", "korte", "oude", "nieuwe", "grote", "kleine", "hoge", "lage", "eerste",
              "tweede", "derde", "noorder", "zuider", "ooster", "wester"]  # fmt: skip
HOUSE_ADDITIONS = ["", "", "a", "A", "B", "-A", "-2", " bis", " hs", "-III", " rd", " II",
                   "-hs", "/3", " h", " A", "-12", " boven"]  # fmt: skip


@st.composite
def type_first_streets(draw) -> str:
    """A street whose type word comes first (Laan van Zeger Zuid-Zon 12, WEG DER ZON 3), or
    one named by a year with its number after "nr" (Plein 1813 nr 4)."""
    kind = draw(st.sampled_from(TYPE_FIRST))
    number = draw(st.integers(1, 1899))
    addition = draw(st.sampled_from(HOUSE_ADDITIONS))
    case = draw(st.sampled_from([str, str.upper]))
    if draw(st.integers(0, 3)) == 0:
        nr = draw(st.sampled_from([" nr ", " nr. ", " nummer ", " no. "]))
        return case(f"{kind} {draw(st.integers(1800, 2099))}{nr}{number}{addition}")
    names = draw(st.lists(st.sampled_from(STREET_STEMS), min_size=1, max_size=3))
    name = draw(st.sampled_from([" ", "-"])).join(names)
    particle = draw(st.sampled_from(NAME_PARTICLES))
    gap = draw(st.sampled_from([" ", "\u00a0", "\n", " nr. "]))
    return case(f"{kind} {particle}{name}{gap}{number}{addition}")


@st.composite
def adjective_streets(draw) -> str:
    """A street after lower-case words of its name (lange zonstraat 3, oude gracht 1,
    Eerste zuider zonweg 2), in any case."""
    words = " ".join(draw(st.lists(st.sampled_from(ADJECTIVES), min_size=1, max_size=2)))
    stem = draw(st.sampled_from(STREET_STEMS)) + draw(st.sampled_from(STREET_ENDINGS))
    kind = draw(st.sampled_from([stem, *STREET_TYPES]))
    number = draw(st.integers(1, 1899))
    addition = draw(st.sampled_from(HOUSE_ADDITIONS))
    case = draw(st.sampled_from([str, str.lower, str.capitalize, str.upper]))
    return case(f"{words} {kind} {number}{addition}")


@st.composite
def street_addresses(draw) -> str:
    """A Dutch street and house number as people write them: one word or several
    (Burgemeester de Zonstraat, Oude Zeegracht, Zeger Gracht), diacritics, an addition,
    any capitalisation, a line break or no space before the number; an English one (12
    Zebra Street, 221B Hazel St.)."""
    number = str(draw(st.integers(1, 1899)))  # 1900-2099 alone reads as a year
    if draw(st.integers(0, 4)) == 0:
        letter = draw(st.sampled_from(["", "", "B", "a"]))
        names = st.sampled_from(["Zebra", "Hazel", "Fitzroy", "Zion", "Ozark"])
        words = " ".join(draw(st.lists(names, min_size=1, max_size=2)))
        kind = draw(st.sampled_from(["Street", "St.", "St", "Road", "Rd", "Lane", "Avenue",
                                     "Close", "Way", "Square", "Drive", "Terrace"]))  # fmt: skip
        case = draw(st.sampled_from([str, str.upper]))
        return case(f"{number}{letter} {words} {kind}")
    stem = draw(st.sampled_from(STREET_STEMS))
    addition = draw(st.sampled_from(HOUSE_ADDITIONS))
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return draw(type_first_streets())
    if shape == 1:
        return draw(adjective_streets())
    if shape == 2:  # a street-type word after a capitalised word
        street = f"{stem} {draw(st.sampled_from(STREET_TYPES))}"
        prefix = draw(st.sampled_from(["", "Oude ", "Korte "]))
    else:
        joint = draw(st.sampled_from(["", "", "s", "e", "en"]))
        ending = draw(st.sampled_from(STREET_ENDINGS))
        if ending == "ring" and (stem + joint)[-1] in "aeiouyéë":
            joint += "n"  # Zonnenring; a vowel before "ring" is a word (vergadering)
        street = stem + joint + ending
        prefix = draw(st.sampled_from(STREET_PREFIXES))
        if prefix.endswith(("-", "'s-")):
            street = prefix + street
            prefix = ""
    gap = draw(st.sampled_from([" ", " ", "  ", "\n", " \n", "\u00a0", "", " nr. ", "-"]))
    address = f"{prefix}{street}{gap}{number}{addition}"
    # Lower case only where no word but the street's own (or ADJECTIVES, above) comes
    # before it: "burgemeester de zonstraat 3" keeps its "burgemeester" (a name opens with
    # a capital; reports/redact.py).
    alone = not prefix and not re.search(r"[\s-]", street)
    cases = [str, str.upper] + ([str.lower] if alone else [])
    return draw(st.sampled_from(cases))(address)


# A phone number written exactly like a date (dd-mm-yyyy) is read as a date: the false
# negative reports/redact.py documents.
DATE_LIKE = re.compile(
    r"[0-3]?\d[-./][01]?\d[-./](?:1[89]|2\d)\d\d|(?:1[89]|2\d)\d\d-[01]\d-[0-3]\d"
)
personal = st.one_of(
    phones().filter(lambda p: not DATE_LIKE.search(p)),
    emails(),
    postcodes(),
    ibans(),
    street_addresses(),
)

GLUE = st.sampled_from(["", " ", "bel", "tel:", "mail:", "(", "[", "«", "\n", ": ", "\u00a0"])
AFTER = st.sampled_from(["", " ", ".", ",", "!", ")", "]", "»", "\n", "; "])
WORDS = st.lists(
    st.sampled_from(
        ["Het", "plan", "is", "goed", "maar", "bel", "mail", "me", "even", "op", "of",
         "via", "graag", "groet", "Brink", "Laren", "e-mail", "tel.", "—", "&", "<", ">"]
    ),
    max_size=6,
).map(" ".join)  # fmt: skip


@st.composite
def comment(draw) -> tuple[str, str]:
    """Generated text holding one datum; returns (text, datum)."""
    datum = draw(personal)
    before, after = draw(WORDS), draw(WORDS)
    glue = draw(GLUE)
    # Glued letters before a datum that starts with a letter would be a different address.
    if datum[:1].isalpha() and glue.strip() and glue[-1].isalpha():
        glue += " "
    return f"{before} {glue}{datum}{draw(AFTER)} {after}".strip(), datum


def leaked(value: str) -> list[str]:
    """What of a datum is still there: digits, or the q/z that mark an e-mail address."""
    return re.findall(r"[\dqzQZ\uff10-\uff19]", value)


SETTINGS = settings(max_examples=400, deadline=None)


@SETTINGS
@given(comment())
@example(("bel06 \u2013 12345678 graag", "06 \u2013 12345678"))
@example(("mail ANNE\uff20EXAMPLE.NL", "ANNE\uff20EXAMPLE.NL"))
@example(("tel:0612345678", "0612345678"))
@example(("Stort op NL02RABO1234567890 graag", "NL02RABO1234567890"))
@example(("IBAN BE68 5390 0754 7034 plan", "BE68 5390 0754 7034"))
def test_text_never_keeps_personal_data(case):
    text, datum = case
    if "q" not in datum.lower() and not any(c.isdigit() for c in datum):
        return  # an @example above that is not in this test's alphabet
    out = redact_text(text)
    assert not leaked(out), (text, out)
    assert redact_text(text, "en") != text


def html_forms(text: str, datum: str) -> list[str]:
    from html import escape

    return [
        f"<p>{escape(text, quote=False)}</p>",
        f'<p>Contact: <a href="mailto:{escape(datum)}" title="{escape(datum)}">hier</a></p>',
        f"<p><b>{escape(datum, quote=False)}</b><br/>\n{escape(text, quote=False)}</p>",
        f"<p>{escape(text, quote=False).replace('@', '&#64;')}</p>",
        f"<div data-x='{escape(datum)}'>x</div>",
    ]


@SETTINGS
@given(comment())
def test_html_never_keeps_personal_data(case):
    text, datum = case
    for markup in html_forms(text, datum):
        out = redact_html(markup)
        assert not leaked(out), (markup, out)
        # The markup still parses into the redacted text.
        assert out.count("<") <= markup.count("<")


@given(comment())
@settings(max_examples=100, deadline=None)
def test_json_raw_never_keeps_personal_data(case):
    text, datum = case
    raw = json.dumps({"nl-NL": f"<p>{text}</p>", "en-GB": datum})
    assert not leaked(redact_raw(raw, "json"))


# -- what stays -------------------------------------------------------------------------


@st.composite
def ordinary(draw) -> str:
    day = draw(
        st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2035, 12, 31).date())
    )
    amount = draw(st.integers(0, 9_999_999))
    euros = f"€{amount // 100:,}".replace(",", ".") + f",{amount % 100:02d}"
    parts = [
        day.isoformat(),
        f"{day:%d-%m-%Y}",
        f"{day:%d/%m/%Y}",
        f"{day:%Y}",
        f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
        f"{draw(st.integers(0, 23)):02d}.{draw(st.integers(0, 59)):02d} uur",
        euros,
        f"{draw(st.integers(1, 9999))} mensen",
        f"Z/{draw(st.integers(10, 99))}/{draw(st.integers(100000, 999999))}",
        f"{draw(st.integers(1900, 2099))} en {draw(st.integers(1900, 2099))}",
        f"{draw(st.integers(1000, 9999))} km",
        f"{day:%d-%m-%Y} - {day:%d-%m-%Y}",
        f"artikel {draw(st.integers(1, 400))} lid {draw(st.integers(1, 9))}",
        f"#{draw(st.integers(1, 10**6))}",
    ]
    chosen = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=4))
    return " en ".join(chosen)


@settings(max_examples=400, deadline=None)
@given(ordinary())
@example("Op 2026-03-01 om 10:30 kost het €1.234,56; in 2024 en 2025 ook.")
@example("Besluit van 01-03-2026 - 05-03-2026, zaak Z/21/123456, 1500 km.")
def test_ordinary_text_is_left_alone(text):
    assert redact_text(text) == text


# Words before a number that are no street: they stay, in any case ("artikel 12", "lijn
# 12", a bus). The same word with a street ending is a street ("Lijnbaan 12").
NOT_STREET_WORDS = ["artikel", "vraag", "lijn", "bus", "tram", "fase", "stap", "punt",
                    "bijlage", "hoofdstuk", "agendapunt", "motie", "week", "ronde", "zaal",
                    "kamer", "spoor", "perron", "route", "vergadering", "opening", "regeling",
                    "lezing", "nummer", "groep", "pagina", "lid", "versie"]  # fmt: skip
COUNTED = ["keer", "meter", "minuten", "mensen", "jaar", "km", "auto's", "procent", "%"]


@st.composite
def look_alike(draw) -> tuple[str, str]:
    """(text that looks like an address but is none, a street address made of its word)."""
    word = draw(st.sampled_from(NOT_STREET_WORDS))
    n = draw(st.integers(1, 999))
    year = draw(st.integers(1900, 2099))
    kind = draw(st.sampled_from(["weg", "straat", "laan", "plein", "markt", "park", "dijk"]))
    case = draw(st.sampled_from([str, str.capitalize, str.upper]))
    counted = draw(st.sampled_from(COUNTED))
    type_word = draw(st.sampled_from(["Singel", "Kade", "Laan", "Plein", "Veld", "Baan", "Hof"]))
    adjective = draw(st.sampled_from(ADJECTIVES))
    forms = [
        f"{case(word)} {n}",
        f"{case(word)} {n} en {draw(st.integers(1, 99))}",
        f"de {kind} {n} {counted}",
        f"{case('de ' + kind)} {n} {counted}",
        f"in {year} {kind} en {case(kind)} {n} {counted}",
        f"onderweg {n} minuten, halfweg {n}",
        f"{case(draw(st.sampled_from(sorted(NOT_STREETS))))} {n}",  # dijkring 14, bouwveld 3
        f"{case('woningmarkt')} {year}",
        f"{case(word)}{kind} {year}",  # a year after a street-like word: a title
        f"{n} {kind}en verder",
        f"{n} streets, {n} Roads",
        # Look-alikes of the type word first, of the words before a name, of a year as a
        # name: a type word alone (Singel 3, a sports field's Veld 3), a year after it
        # without "nr", a name in lower case, an adjective before any other word.
        f"{case(type_word)} {n}",
        f"{case(type_word)} {year} {n}",
        f"{case(type_word)} van de Toekomst {year}, {type_word.lower()} van de toekomst {n}",
        f"{case(adjective)} {word} {n}",
        f"de {adjective} {kind} {n} {counted}",
        # English in lower case stays (reports/redact.py says why): measures before a type.
        f"a {n} {draw(st.sampled_from(['minute', 'mile', 'lane', 'way', 'busy']))} "
        f"{draw(st.sampled_from(['walk', 'drive', 'road', 'street']))}",
    ]
    chosen = draw(st.lists(st.sampled_from(forms), min_size=1, max_size=3))
    street = f"{word.capitalize()}{kind} {n}{draw(st.sampled_from(HOUSE_ADDITIONS))}"
    return ", ".join(chosen), street


@settings(max_examples=60, deadline=None)
@given(look_alike())
@example(("in 2024 straat we", "Kerkweg 14a"))
@example(("de weg 12 keer, artikel 12, vraag 3, lijn 12", "Lijnbaan 12"))
def test_address_look_alikes_stay(case):
    text, street = case
    assert redact_text(text) == text
    assert redact_text(f"{text} bij {street}") == f"{text} bij [adres]"
    assert redact_text(f"{text}\n{street}", "en") == f"{text}\n[address]"


@settings(max_examples=60, deadline=None)
@given(st.one_of(type_first_streets(), adjective_streets()), WORDS, AFTER)
@example("Laan van Meerdervoort 12", "", "")
@example("lange nieuwstraat 12", "", "")
def test_a_street_goes_whole_with_its_name(street, before, after):
    """Not only the number: the type word before the name (Laan van ...) and the
    lower-case words of the name (lange ...) go too ("lange [adres]" was the old miss)."""
    text = f"{before} bij {street}{after} {before}"
    assert redact_text(text) == f"{before} bij [adres]{after} {before}", text


# -- every field of every export -----------------------------------------------------------

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def _export(cases, *, include_personal_data: bool, tmp_path) -> dict[str, str]:
    """A fresh memory with one response per case (datum in body, body_raw, thread title,
    author name and a note), tagged with question 1; the three exports."""
    store = await SqliteStore.open(tmp_path)
    try:
        await store.ensure_source(Source("forum", "demo"))
        responses, threads = [], []
        for i, (text, datum) in enumerate(cases):
            ext = f"r{'abcdefghij'[i % 10]}{'klmnoprstu'[i // 10]}"
            threads.append(Thread("forum", f"t{ext}", f"Over {text}", "https://forum.example/t"))
            responses.append(
                Response(
                    source="forum",
                    external_id=ext,
                    thread_external_id=f"t{ext}",
                    author_name=f"Anne {datum} Vries",
                    body_text=text,
                    body_raw=html_forms(text, datum)[i % 5],
                    body_format="html",
                    created_at=T0 + timedelta(minutes=i),
                    url="https://forum.example/t",
                )
            )
        await store.upsert_page("forum", Page(responses=responses, threads=threads))
        for i, (text, _datum) in enumerate(cases):
            ext = responses[i].external_id
            row = await store.get_by_external("forum", ext)
            assert row is not None and row.response.id is not None
            await store.toggle_question([row.response.id], "1", actor="moderator")
            await store.add_note(row.response.id, f"Notitie: {text}", actor="moderator")
        opts = ExportOptions(include_personal_data=include_personal_data)
        outs = {}
        for fmt, writer in (("jsonl", write_jsonl), ("csv", write_csv), ("md", write_markdown)):
            buf = io.StringIO()
            await writer(store, opts, buf)
            outs[fmt] = buf.getvalue()
        return outs
    finally:
        await store.close()


# Fields of the exports that carry comment text (the rest are ours: ids, dates, urls).
JSON_TEXT = ("body", "body_raw", "notes", "thread", "author")
CSV_TEXT = ("thread_title", "author", "body", "notes")


def _md_text(md: str) -> str:
    # The quotes and their attribution lines, without the dates we write in them.
    lines = [line for line in md.splitlines() if line.startswith(">")]
    return re.sub(r"\d{4}-\d{2}-\d{2}", "", "\n".join(lines))


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(comment(), min_size=1, max_size=30))
def test_no_export_field_keeps_personal_data(tmp_path_factory, cases):
    path = tmp_path_factory.mktemp("m") / "m.db"
    outs = asyncio.run(_export(cases, include_personal_data=False, tmp_path=path))
    records = [json.loads(line) for line in outs["jsonl"].splitlines()]
    assert len(records) == len(cases)
    for rec in records:
        for key in JSON_TEXT:
            value = rec[key]
            if key == "notes":
                value = [n["text"] for n in value]
            if key == "thread":
                value = value["title"]
            assert not leaked(json.dumps(value, ensure_ascii=False)), (key, value)
    rows = list(csv.DictReader(io.StringIO(outs["csv"])))
    assert len(rows) == len(cases)
    for row in rows:
        for key in CSV_TEXT:
            assert not leaked(row[key]), (key, row[key])
    assert _md_text(outs["md"]).count("> —") >= len(cases)
    assert not leaked(_md_text(outs["md"]))


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(comment(), min_size=1, max_size=10))
def test_include_personal_data_redacts_nothing(tmp_path_factory, cases):
    path = tmp_path_factory.mktemp("m") / "m.db"
    outs = asyncio.run(_export(cases, include_personal_data=True, tmp_path=path))
    records = {r["body"]: r for r in map(json.loads, outs["jsonl"].splitlines())}
    for i, (text, datum) in enumerate(cases):
        rec = records[text]
        assert rec["body_raw"] == html_forms(text, datum)[i % 5]
        assert rec["author"]["name"] == f"Anne {datum} Vries"
        assert rec["thread"]["title"] == f"Over {text}"
        assert rec["notes"][0]["text"] == f"Notitie: {text}"


# -- CSV cells are never formulas ------------------------------------------------------------

FORMULA = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
hostile = st.tuples(
    st.text(" \u00a0\u3000\u200b\n", max_size=3),
    st.sampled_from(list(FORMULA)),
    st.text(max_size=20),
).map("".join)
cells = st.one_of(hostile, st.text(max_size=20))


def _starts_with_formula(cell: str) -> bool:
    stripped = re.sub(r"^[\s\u200b-\u200d\u2060\ufeff]+", "", cell)
    return any(c and c in FORMULA for c in (cell[:1], stripped[:1]))


@settings(max_examples=300, deadline=None)
@given(cells)
def test_csv_safe_cell(value):
    out = csv_safe(value)
    assert not _starts_with_formula(out)
    assert out == inert(value) or out == "'" + inert(value)


#: What must not reach a CSV file raw: C0 controls (NUL, BEL, ESC starting a terminal's
#: escape sequence), DEL, C1 controls, bidi overrides and isolates.
_CONTROLS = [chr(c) for c in (*range(0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20), 0x7F)]
_CONTROLS += [chr(c) for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
_INERT = re.compile("[" + re.escape("".join(_CONTROLS)) + "]")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=8), st.sampled_from([*_CONTROLS, "\x1b[31m", "\x1b]52;c;"])),
        max_size=8,
    ).map("".join)
)
def test_a_csv_cell_holds_no_control_character(value):
    """A comment with a NUL, a terminal escape (``\x1b[31m``, an OSC 52 that sets the
    clipboard) or a bidi override was written into the CSV as it came: ``head rapport.csv``
    in the moderator's terminal ran the escapes, a spreadsheet cut the cell at the NUL or
    showed "evil.exe" reversed. The Markdown report took them out, CSV did not. Now every
    CSV cell is :func:`inert` as Markdown's text: tabs and line breaks (as ``\n``) kept,
    the rest of what was written kept in its order."""
    out = csv_safe(value)
    assert not _INERT.search(out), repr(out)
    kept = _INERT.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    assert out in (kept, "'" + kept)


@given(st.integers(), st.floats(allow_nan=False))
def test_csv_numbers_stay_numbers(n, x):
    assert csv_safe(n) == str(n)
    assert csv_safe(x) == str(x)
    assert csv_safe(None) == ""


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(cells, cells, cells, cells), min_size=1, max_size=20))
def test_no_csv_cell_is_a_formula(tmp_path_factory, texts):
    """Titles, bodies, author names and notes, all generated: parsed back with the csv
    module, no cell starts with a formula character (with and without redaction)."""
    cases = [(f"{t}", "") for t, _, _, _ in texts]

    async def run(include: bool) -> str:
        path = tmp_path_factory.mktemp("m") / "m.db"
        store = await SqliteStore.open(path)
        try:
            await store.ensure_source(Source("forum", "demo"))
            responses, threads = [], []
            for i, (title, body, name, _note) in enumerate(texts):
                ext = f"r{i}"
                threads.append(Thread("forum", f"t{i}", title, None))
                responses.append(
                    Response("forum", ext, f"t{i}", name, body, T0 + timedelta(minutes=i))
                )
            await store.upsert_page("forum", Page(responses=responses, threads=threads))
            for i, (_t, _b, _n, note) in enumerate(texts):
                row = await store.get_by_external("forum", f"r{i}")
                assert row is not None and row.response.id is not None
                if note.strip():
                    await store.add_note(row.response.id, note, actor="moderator")
            buf = io.StringIO(newline="")
            await write_csv(store, ExportOptions(include_personal_data=include), buf)
            return buf.getvalue()
        finally:
            await store.close()

    assert cases
    for include in (False, True):
        rows = list(csv.reader(io.StringIO(asyncio.run(run(include)), newline="")))
        assert tuple(rows[0]) == CSV_COLUMNS
        assert len(rows) == len(texts) + 1
        for row in rows[1:]:
            for cell in row:
                assert not _starts_with_formula(cell), (cell, row)
