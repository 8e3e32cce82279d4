"""Names in every written form out of redacted text, ordinary words kept (the "Names"
rule of reports/redact.py), measured on a generated corpus of Dutch text.

Each line of the corpus is either a sentence with one known person planted in one form
(full name in any case, with or without diacritics, joined by dots; a first name alone;
a surname alone in the middle of a sentence; after a title or initials; surname first;
a double surname; possessive) at a sentence's start or in its middle, or an ordinary
sentence whose words equal a known surname or first name in lower case (``het bos``,
``een groot plein``, ``de bakker``). Recall: no planted line keeps a word of its
person's name. Kept: every ordinary line comes out unchanged.
"""

from __future__ import annotations

import asyncio
import html
import random
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import pytest
from helpers.store import T0, open_store, vm_steps
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reactieveld.model import Page, Response
from reactieveld.reports.redact import TITLES as TITLE_WORDS
from reactieveld.reports.redact import Redactor, redact_names

FIRSTS = ["Anna", "Sévérine", "Daan", "Fleur", "Thijs", "Jörg", "Zoë", "Bram", "Roos", "Noor"]
#: (particle, surname): many are Dutch words in lower case.
SURNAMES = [
    ("", "Bos"),
    ("", "Visser"),
    ("de", "Groot"),
    ("", "Smit"),
    ("", "Mulder"),
    ("", "Bakker"),
    ("", "Koster"),
    ("de", "Boer"),
    ("de", "Vries"),
    ("", "Jansen"),
    ("van den", "Berg"),
    ("", "Özdemir"),
    ("de", "Vries-Bakker"),
    ("", "Vos"),
    ("de", "Wit"),
]
TITLES = ["mevrouw", "mevr.", "Mevr.", "mw.", "meneer", "dhr.", "de heer", "Dhr.", "dr."]

MIDDLE = [
    "Gisteren sprak ik {name} over het plan.",
    "Volgens {name} klopt de planning niet.",
    "Het voorstel kwam van {name} en niemand anders.",
]
START = ["{name} schreef al dat het plan niet klopt.", "{name} zei het op de avond ook."]
POSSESSIVE = ["{name} fiets staat bij het gemeentehuis.", "Ik zag {name} fiets staan."]

#: Ordinary sentences with the lower-case words that equal a surname or first name.
ORDINARY = [
    "Het bos achter de school moet blijven.",
    "Er komt een groot plein met bomen.",
    "De bakker op de hoek is gesloten.",
    "Een visser zat aan de waterkant.",
    "De smit en de mulder werkten vroeger in het dorp.",
    "De koster luidt de klok van de kerk.",
    "De boer maait het land naast de wijk.",
    "Er liep een vos door de tuin.",
    "Een wit huis en een groot bos.",
    "In het voorjaar bloeit de roos in het park.",
    "We gaan naar de berg en de vries in de winkel is kapot.",
    "het bos, de bakker en de visser: dat is het dorp.",
    # A sentence's first word, capitalised: a surname alone there stays.
    "Bos en hei zijn er genoeg.",
    "Groot is het plein niet.",
    "Bakker en slager zijn weg. Visser ook.",
]


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", plain(text).casefold()))


@dataclass(frozen=True)
class Person:
    first: str
    particle: str
    surname: str

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.particle, self.surname) if p)

    @property
    def last(self) -> str:
        return f"{self.particle} {self.surname}".strip()

    def tell(self) -> set[str]:
        """The words of the name no redacted line may keep (not its particles)."""
        return words(f"{self.first} {self.surname}")

    def forms(self, rng: random.Random) -> list[tuple[str, str, bool]]:
        """(kind, form, may open a sentence) for every form of the module docstring."""
        initial = self.first[0]
        cap_last = self.last[0].upper() + self.last[1:]
        poss = self.first + (
            "'" if self.first[-1] == "s" else "'s" if self.first[-1] in "aeiouë" else "s"
        )
        out = [
            ("full", self.name, True),
            ("full upper", self.name.upper(), True),
            ("full lower", self.name.lower(), True),
            ("full plain", plain(self.name), True),
            ("full dotted", ".".join(plain(self.name).lower().split()), True),
            ("first", self.first, True),
            ("first plain", plain(self.first), True),
            ("surname", self.last, False),
            ("surname plain", plain(self.last), False),
            ("title", f"{rng.choice(TITLES)} {rng.choice([self.last, cap_last])}", True),
            ("title lower", f"{rng.choice(TITLES)} {self.last.lower()}", False),
            ("initial", f"{initial}. {self.last}", True),
            ("initials", f"{initial}.{rng.choice('JKMP')}. {self.last}", True),
            ("surname first", f"{self.surname}, {self.first} {self.particle}".strip(), True),
            ("surname first initial", f"{self.surname}, {initial}.", True),
            ("possessive first", poss, True),
            ("possessive surname", f"{self.last}s", False),
        ]
        if "-" in self.surname:
            for part in self.surname.split("-"):
                out.append(("double part", part, False))
        return out


def corpus(seed: int) -> tuple[list[Person], list[tuple[str, Person | None]]]:
    """The people (the memory's authors) and the lines: (line, planted person or None)."""
    rng = random.Random(seed)
    people = [Person(rng.choice(FIRSTS), p, s) for p, s in SURNAMES]
    lines: list[tuple[str, Person | None]] = []
    for person in people:
        for kind, form, opens in person.forms(rng):
            if kind.startswith("possessive"):
                template = rng.choice(POSSESSIVE if opens else POSSESSIVE[1:])
                lines.append((template.format(name=form), person))
                continue
            templates = MIDDLE + START if opens else MIDDLE
            for template in rng.sample(templates, 2):
                line = template.format(name=form)
                lines.append((line[0].upper() + line[1:], person))
    lines += [(line, None) for line in ORDINARY]
    rng.shuffle(lines)
    return people, lines


def measure(seed: int) -> tuple[int, int, int, int, list[str]]:
    """Planted, planted gone, ordinary, ordinary kept, and the misses (for the message)."""
    people, lines = corpus(seed)
    red = Redactor(names=tuple(p.name for p in people))
    out = red.text("\n".join(line for line, _ in lines)).split("\n")
    assert len(out) == len(lines)
    planted = gone = ordinary = kept = 0
    misses = []
    for (line, person), got in zip(lines, out, strict=True):
        if person is None:
            ordinary += 1
            kept += got == line
            if got != line:
                misses.append(f"changed: {line!r} -> {got!r}")
        else:
            planted += 1
            tell = person.tell()
            left = {w for w in words(got) if w in tell or w.removesuffix("s") in tell}
            gone += not left
            if left:
                misses.append(f"kept {sorted(left)}: {line!r} -> {got!r}")
    return planted, gone, ordinary, kept, misses


@pytest.mark.parametrize("seed", range(6))
def test_every_planted_name_goes_and_every_ordinary_word_stays(seed):
    planted, gone, ordinary, kept, misses = measure(seed)
    assert planted > 400 and ordinary == len(ORDINARY)
    assert misses == []
    assert (gone, kept) == (planted, ordinary)


NAMES = ("Anne de Vries", "Anna Jansen", "Piet Bos", "Sévérine Özdemir", "Ben Visser",
         "Gemeente Laren", "Truus de Vries-Bakker", "anna88", "Redactie")  # fmt: skip


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Anna schreef al.", "A. schreef al."),
        ("Ik sprak mevrouw Jansen en dhr. De Vries.", "Ik sprak mevrouw J. en dhr. d.V."),
        ("Vries, Anne de stuurde het.", "V.A.d. stuurde het."),
        ("Jansen, A. stuurde het.", "J.A. stuurde het."),
        ("met mevrouw de Vries-Bakker", "met mevrouw d.V.B."),
        ("A. Jansen en A.J. de Vries", "A.J. en A.J.d.V."),
        ("Anna's fiets en Jansens huis", "A. fiets en J. huis"),
        ("ANNA JANSEN en severine ozdemir", "A.J. en S.O."),
        ("Ook Özdemir en Ozdemir", "Ook Ö. en O."),
        ("groet van ANNA88", "groet van A."),
        # Kept: a surname opening a sentence, lower case, a verb before a pronoun, parts
        # of an organisation's name, a placeholder name, a name in a longer word.
        ("Bos en hei. Het bos.", "Bos en hei. Het bos."),
        ("Ben je er? Ben zei ja.", "Ben je er? B. zei ja."),
        (
            "Het kwam van Bos, en van Jansen, Anna op de markt.",
            "Het kwam van B., en van J.A. op de markt.",
        ),
        ("In Laren vergadert de redactie.", "In Laren vergadert de redactie."),
        ("de Gemeente Laren schreef", "de G.L. schreef"),
        ("Jansenisme en Bosbes", "Jansenisme en Bosbes"),
    ],
)
def test_name_forms(text, expected):
    assert redact_names(text, NAMES) == expected


def test_a_record_names_an_author_the_export_knows_or_not():
    export = Redactor(names=("Anna Jansen",))
    assert export.for_names(("Anna Jansen", None, " ")) is export
    one = export.for_names(("Piet Bos",))
    assert one.text("Anna zag Piet en mevr. Bos") == "A. zag P. en mevr. B."
    assert Redactor(include_personal_data=True, names=("Anna Jansen",)).text("Anna") == "Anna"


@pytest.mark.parametrize(
    "raw, fmt",
    [
        ('{"nl-NL": "Volgens S\\u00e9v\\u00e9rine \\u00d6zdemir en mevr. Ozdemir"}', "json"),
        ("<p>Volgens <b>S&eacute;v&eacute;rine</b> en mevr. &Ouml;zdemir</p>", "html"),
        ("Volgens *Sévérine* en mevr. **Özdemir**", "markdown"),
    ],
)
def test_a_raw_body_loses_the_names_in_its_own_format(raw, fmt):
    """JSON and HTML are read before names are looked for (their escapes and entities
    are letters), the names looked for in what was read."""
    out = Redactor(names=("Sévérine Özdemir",)).raw(raw, fmt)
    read = html.unescape(out.encode().decode("unicode_escape") if fmt == "json" else out)
    assert {"severine", "ozdemir"} & words(read) == set()


def test_many_known_names_stay_fast():
    # An export knows every author of the memory: 20,000 names, a 2,000-word text.
    rng = random.Random(7)
    names = tuple(f"{rng.choice(FIRSTS)}{i} {rng.choice(SURNAMES)[1]}{i}" for i in range(20_000))
    text = " ".join(
        rng.choice(["het", "bos", "Groot", "plein", "Anna", "wij"]) for _ in range(2000)
    )
    start = time.perf_counter()
    red = Redactor(names=names)
    for _ in range(20):
        red.text(text)
    assert time.perf_counter() - start < 5.0


def test_the_store_gives_every_author_name_of_the_memory_once(store_target, utc):
    """What an export knows: every author of every source and thread, each once, blanks
    left out, on both backends."""
    authors = ["Anna Jansen", "Zoë van den Berg", "Anna Jansen", "", "  ", "ANNA JANSEN"]

    async def run() -> tuple[str, ...]:
        store = await open_store(store_target)
        try:
            for source in ("blog", "forum"):
                page = Page(
                    responses=[
                        Response(
                            source, f"r{i}", f"t{i % 2}", name, "tekst", T0 + timedelta(minutes=i)
                        )
                        for i, name in enumerate(authors)
                    ]
                )
                await store.upsert_page(source, page)
            return await store.author_names()
        finally:
            await store.close()

    assert asyncio.run(run()) == ("ANNA JANSEN", "Anna Jansen", "Zoë van den Berg")


@pytest.mark.parametrize("title", sorted(TITLE_WORDS))
def test_a_title_before_an_author_s_name_is_no_name_of_its_own(title):
    """The demo's "raadslid Hanneke de Wit": her name goes, "Raadslid" (the codebook's
    role, a word of every council debate) stays, in any title an author writes first."""
    names = (f"{title} Hanneke de Wit", f"{title.capitalize()} Jan Bakker")
    text = f"De {title.capitalize()} sprak. Later zei {title} Hanneke iets, en Jan ook."
    out = redact_names(text, names)
    assert f"De {title.capitalize()} sprak." in out
    assert "Hanneke" not in out and "Jan " not in out


#: Where an author says they belong, as the demo's authors and commenters write it.
PLACES = ["Laren", "Eemnes", "Blaricum", "Bijvanck", "Hotel", "Bakkerij", "Brink", "Bel"]
AFFILIATIONS = [
    "{name} ({a} {b})",
    "{name} [{a}]",
    "{name} (Hotel De {b})",
    "{name}, gemeente {a}",
    "{name}, wijkraad {a}",
    "{name}, {a}",
    "{name} – {a} {b}",
]


@given(
    person=st.sampled_from(SURNAMES).flatmap(
        lambda s: st.builds(Person, st.sampled_from(FIRSTS), st.just(s[0]), st.just(s[1]))
    ),
    form=st.sampled_from(AFFILIATIONS),
    a=st.sampled_from(PLACES),
    b=st.sampled_from(PLACES),
)
@settings(max_examples=150, deadline=None)
def test_an_author_s_affiliation_is_no_name(person, form, a, b):
    """The demo's "Vincent Mulder (Hotel De Bijvanck)", "Bram Kok, gemeente BEL": the
    report said "Woningbouw in B.-B.", "Nieuw centrumplan L.", "B. G. v.L." for "Bel
    Gijs van Leeuwen", because the words of where an author belongs (a firm, a village,
    the organisation) were taken for first names and surnames. They stay in a text; the
    person's own name goes in every form."""
    author = form.format(name=person.name, a=a, b=b)
    red = Redactor(names=(author,))
    text = f"Woningbouw in {a}-{b}. Bel de {b} en {a} in Laren, zei {person.name}."
    out = red.text(text)
    assert out.startswith(f"Woningbouw in {a}-{b}. Bel de {b} en {a} in Laren, zei ")
    assert not person.tell() & words(out)
    for line in (f"Gisteren sprak ik {person.last[0].upper()}{person.last[1:]} erover.",
                 f"Volgens {person.first} klopt het niet."):  # fmt: skip
        assert not person.tell() & words(red.text(line))
    # The author field keeps no word of it whole: initials.
    assert not (person.tell() | words(f"{a} {b}")) & words(red.name(author))


def _steps_of_a_page_s_names(path, size: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """SQLite's virtual-machine steps (in thousands) for the names of a page of 500
    responses (an export's) of a thread of ``size`` responses by ``size`` authors, in a source that
    holds ``size`` more responses in other threads; and the names found for the page."""
    from reactieveld.store.records import record_contexts

    async def fill() -> None:
        store = await open_store(path)
        try:
            at = [T0 + timedelta(minutes=i) for i in range(2 * size)]
            threads = ["t0" if i < size else f"t{i}" for i in range(2 * size)]
            rows = [
                Response("blog", f"r{i}", threads[i], f"Auteur {i}", "tekst", at[i])
                for i in range(2 * size)
            ]
            await store.upsert_page("blog", Page(responses=rows))
        finally:
            await store.close()

    asyncio.run(fill())

    def names(db):  # type: ignore[no-untyped-def]
        ids = [i for (i,) in db.execute("SELECT id FROM responses ORDER BY created_at LIMIT 500")]
        return sum(len(c.names) for c in record_contexts(db, ids).values())

    return vm_steps(path, names)


def test_a_page_s_names_read_its_threads_once(tmp_path):
    """An export's page asks who its responses may name (every author of their threads):
    the query looked the threads up by source alone (every response of the source, per
    page) and then went through the whole thread for each of its authors (quadratic: 1 s
    a page of 500 in a 200,000-response memory with a thread of 3,600, most of an export's
    417 s). Twice the thread and the source is about twice the work now, not four times."""
    small, names_small = _steps_of_a_page_s_names(tmp_path / "s.db", 600)
    large, names_large = _steps_of_a_page_s_names(tmp_path / "l.db", 1200)
    assert (names_small, names_large) == (500 * 600, 500 * 1200)
    assert large < 2.6 * small, (small, large)


def test_the_rules_are_tried_only_where_a_known_name_can_begin(monkeypatch):
    """An export's text is mostly words no name begins with: the scan tried its three rules
    on every word (1.5 ms a response, 4 minutes for an export of 184,000). Only the words
    a known name (or a possessive of one) begins with are tried now; what is replaced is
    the same (the corpus tests above)."""
    from reactieveld.reports import redact

    tried: list[str] = []
    surname = redact._Scan._surname

    def counted(self, i, floor):  # type: ignore[no-untyped-def]
        tried.append(self.words[i])
        return surname(self, i, floor)

    monkeypatch.setattr(redact._Scan, "_surname", counted)
    ordinary = " ".join(["het", "plein", "wordt", "groen", "en", "wij", "blij"] * 30)
    text = f"{ordinary} Volgens Jansens buurman en Anna Jansen, de Vries en mevr. Bos: {ordinary}."
    out = Redactor(names=("Anna Jansen", "Piet de Vries", "Karel Bos")).text(text)
    assert "Jansen" not in out and "Vries" not in out and "Bos" not in out
    assert set(tried) <= {"jansens", "anna", "jansen", "de", "vries", "bos"}, set(tried)


def test_an_export_redacts_a_thread_s_title_and_link_once(monkeypatch):
    """An export redacts every response's thread title and links, the same for every
    response of a thread: 10,129 responses made 124,917 name scans of 20,689 texts and
    read 30,387 links of 10,406 (0.6 ms a response). A redactor now keeps what it made of
    a short value, and a text without a word a known name begins with is not scanned; the
    output is the same as a fresh redactor's (and the corpus tests above)."""
    from reactieveld.reports import redact

    scans: list[str] = []
    links: list[str] = []
    run, read_url = redact._Scan.run, redact.redact_url

    def scanned(self):  # type: ignore[no-untyped-def]
        scans.append(self.text)
        return run(self)

    def read(url, *args, **kw):  # type: ignore[no-untyped-def]
        links.append(url)
        return read_url(url, *args, **kw)

    monkeypatch.setattr(redact._Scan, "run", scanned)
    monkeypatch.setattr(redact, "redact_url", read)
    names = ("Anna Jansen", "Piet de Vries", "Karel Bos")
    red = Redactor(names=names)
    title = "Vraag van Anna Jansen over het plein"
    link = "https://example.org/forum/anna-jansen-over-het-plein/"
    bodies = [f"Reactie {i}: het plein wordt groen en wij zijn blij." for i in range(200)]
    got = [(red.title(title), red.url(link), red.text(body)) for body in bodies]
    assert len(set(got)) == len(bodies)
    for shown, body in zip(got, bodies, strict=True):
        fresh = Redactor(names=names)
        assert shown == (fresh.title(title), fresh.url(link), fresh.text(body))
    assert "Jansen" not in got[0][0] and "jansen" not in got[0][1]
    assert scans.count(title) == 1 + len(bodies), "the title: once here, once a fresh one"
    assert not any(body in scans for body in bodies), "no word a name begins with"
    assert links.count(link) == 1 + len(bodies)


KNOWN = tuple(" ".join(filter(None, (f, *s))) for f, s in zip(FIRSTS, SURNAMES, strict=False))
WORDS = [
    *FIRSTS,
    *(s for _, s in SURNAMES),
    "Jansens",
    "ANNA",
    "het",
    "plein",
    "’s",
    "Ééń",
    "ﬁets",
    "de",
    ".",
]


@settings(max_examples=150, deadline=None)
@example("volgens Jansens buurman")  # a possessive: the stem begins the name
@given(
    st.lists(
        st.sampled_from(WORDS) | st.text(max_size=6),
        max_size=12,
    ).map(" ".join)
)
def test_the_look_before_the_scan_changes_nothing(text):
    """The look at a text's folded words before the scan (no word a name begins with:
    the text as it is) and the folding without positions it uses answer as the scan and
    :func:`fold` do, on generated text of names, other words, accents and any letters."""
    from reactieveld.reports import redact
    from reactieveld.rule_text import fold, folded

    assert folded(text) == fold(text)[0]
    index = redact.name_index(KNOWN)
    assert index.redact(text) == (redact._Scan(index, text).run() if text else text)


_FIRSTS = ["Anne", "Jan", "Sévérine", "Kees", "Özlem"]
_SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker-Smit", "Özdemir"]


@given(
    first=st.sampled_from(_FIRSTS),
    surname=st.sampled_from(_SURNAMES),
    form=st.sampled_from(["full", "surname", "first", "title"]),
    after=st.sampled_from([".", "?", "!", ":", ";", "…", ")", '"', "”", ".)", '."', "...", ","]),
    wrap=st.sampled_from(["", "(", '"', "“"]),
)
@settings(max_examples=60, deadline=None)
def test_a_name_before_a_sentence_s_end_keeps_one_full_stop(first, surname, form, after, wrap):
    """'met Jan Jansen.' became 'met J.J..': the initials' dot and the sentence's. A known
    name at a sentence's end, before ? ! : ; … ) or a quote, in quotes or brackets, is
    its initials followed by exactly what followed it, one full stop where there was one."""
    name = f"{first} {surname}"
    written = {
        "full": name,
        "surname": surname[0].upper() + surname[1:],
        "first": first,
        "title": f"mevr. {surname}",
    }[form]
    text = f"Ik sprak met {wrap}{written}{after} Daarna niets."
    out = redact_names(text, (name,))
    assert not any(part in out for part in (first, surname.split()[-1])), out
    rest = after[1:] if after.startswith(".") and not after.startswith("..") else after
    tail = f"{rest} Daarna niets."
    assert out.endswith(tail), out
    head = out[: -len(tail)]  # ends with the initials: their dot, one
    assert head.endswith(".") and not head.endswith(".."), out
