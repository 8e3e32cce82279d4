"""Exports leak no personal data, in any field, as an attacker reads them (the README's
"Privacy"; reports/redact.py).

A generated corpus (seeded): people with a full name (diacritics, particles), an e-mail
address, a Dutch phone number, a postcode, a street address and a bank account number
(IBAN), planted in every field that can reach an export, each in the many ways people
write it (a street: ``Zonnebloemstraat 12a``, ``Laan van Zonnebloem 12``, ``lange
zonnebloemstraat 12``, ``12 Zonnebloem Street``; links hold it as a slug,
``/zonnebloemstraat-12-water``, or under ``?adres=``): the author field, the body (own name as a
signature, the replied-to author's name in a quote, another author of the thread), the
raw HTML (``mailto:``), the thread title and url, the response url (``?email=``,
``/user/anna.jansen/``), the author url and e-mail, a moderator's note, the "other" words
of a decision, the role hint, meta, and a reply in the outbox. Every format
(``md``, ``csv``, ``jsonl``, ``decisions`` as CSV and JSON Lines) is written by the real
command line; the output bytes are searched for every planted value, as written, with
its percent-encoding read, case folded and without diacritics. ``--include-personal-data``
keeps them.
"""

from __future__ import annotations

import asyncio
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from helpers.cli import run_main
from helpers.store import T0, open_store

from reactieveld.model import DecisionReason, Page, RemoteStatus, Response, Thread
from reactieveld.reports.redact import POSTCODE_WORDS

FIRST = ["Anna", "Jörg", "Zoë", "Fleur", "Daan", "Brâm", "Eva", "Sanne", "Thijs", "Noor"]
LAST = ["Jansen", "de Vries", "Bakker", "Visser", "van den Berg", "Meijer", "Mulder", "de Boer"]
UPPER = "ABCDEFGHJKLMNPRTVWXY"
WORDS = POSTCODE_WORDS | {"sa", "sd", "ss"}
DOMAINS = ["example.nl", "voorbeeld.org", "mail.example.com"]
# Street names: words found nowhere else in the corpus.
STREETS = ["Zonnebloem", "Meerdervoort", "Wilgenroos", "Goudsbloem", "Vlierbes", "Duinroos",
           "Kastanje", "Boterbloem"]  # fmt: skip
BANKS = ["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB"]


def fold(text: str) -> str:
    """Case folded, without diacritics: how an attacker's search reads text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    email: str
    phone: str  # the nine digits after the trunk 0 / +31
    postcode: str  # "1234AB"
    street: str  # the name's own word: "Zonnebloem" (Zonnebloemstraat, Laan van Zonnebloem)
    house: int
    iban: str  # "NL91ABNA0417164300"

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def slug(self) -> str:
        return ".".join(fold(self.name).split())

    def patterns(self) -> dict[str, re.Pattern[str]]:
        """What must not be found, on the folded (and unquoted) output: the name in any
        spelling (``Anna Jansen``, ``anna.jansen``, ``anna_jansen``), the e-mail address
        (its local part and domain apart, also in ``[at]`` form), the phone number's
        digits with any separators, the postcode with or without its space, the street's
        name (in any form, with or without its number), the IBAN's account digits with any
        separators."""
        words = fold(self.name).split()
        local, domain = fold(self.email).split("@")
        gap = r"[^0-9a-z]{0,4}"
        return {
            "name": re.compile(r"[\W_]*".join(map(re.escape, words))),
            "email": re.compile(
                re.escape(local)
                + r"\W{0,8}(?:at|apenstaartje)?\W{0,8}"
                + re.escape(domain.split(".")[0])
            ),  # fmt: skip
            "phone": re.compile(gap.join(self.phone)),
            "postcode": re.compile(
                re.escape(self.postcode[:4]) + r"\s*" + re.escape(fold(self.postcode[4:]))
            ),
            "address": re.compile(re.escape(fold(self.street))),
            "iban": re.compile(gap.join(self.iban[8:])),
        }


def people(rng: random.Random, n: int) -> list[Person]:
    out: list[Person] = []
    names = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(names)
    for first, last in names[:n]:
        local = rng.choice([".", "_", ""]).join(fold(f"{first} {last}").split())
        phone = rng.choice(["6", "20", "35", "294"])
        phone += "".join(rng.choice("0123456789") for _ in range(9 - len(phone)))
        # Not letters that are a common word in lower case ("1234 en"): the false negative
        # reports/redact.py accepts (POSTCODE_WORDS).
        letters = rng.choice([a + b for a in UPPER for b in UPPER if fold(a + b) not in WORDS])
        postcode = f"{rng.randint(1000, 9999)}{letters}"
        street, house = STREETS[len(out) % len(STREETS)], rng.randint(1, 1899)
        account = "".join(rng.choice("0123456789") for _ in range(10))
        iban = f"NL{rng.randint(10, 99)}{rng.choice(BANKS)}{account}"
        email = f"{local}@{rng.choice(DOMAINS)}"
        out.append(Person(first, last, email, phone, postcode, street, house, iban))
    return out


def phone_form(rng: random.Random, p: Person) -> str:
    """The person's phone number as people write it."""
    n = p.phone
    area = 1 if n[0] == "6" else 3 if n.startswith("294") else 2
    head, rest = n[:area], n[area:]
    return rng.choice(
        [
            f"0{head}-{rest}",
            f"+31 {head} {rest[:4]} {rest[4:]}",
            f"0031{n}",
            f"(0{head}) {rest[:3]} {rest[3:]}",
            f"0{head} {rest}",
            f"bel0{n}",
            f"tel:+31{n}",
        ]
    )


def email_form(rng: random.Random, p: Person) -> str:
    local, domain = p.email.split("@")
    dotted = " [dot] ".join(domain.split("."))
    return rng.choice(
        [
            p.email,
            p.email.upper(),
            f"{local} [at] {dotted}",
            f"{local} (at) {domain}",
            f"{local} apenstaartje {domain}",
            f"mailto:{p.email}",
        ]
    )


def postcode_form(rng: random.Random, p: Person) -> str:
    code = p.postcode
    return rng.choice(
        [f"{code[:4]} {code[4:]}", code, code.lower(), f"{code[:4]} {code[4:].lower()} 12"]
    )


#: A street and house number as people write them ({name}: Zonnebloem, {n}: 12).
STREET_FORMS = (
    "{name}straat {n}a", "{upper}WEG {n}", "{name}laan\n{n}-2", "Laan van {name} {n}",
    "Weg der {name} {n} hs", "lange {lower}straat {n}", "Oude {name}gracht {n}-III",
    "{n} {name} Street",
)  # fmt: skip


def street_form(rng: random.Random, p: Person) -> str:
    """The person's street and house number in one of :data:`STREET_FORMS`."""
    name = p.street
    return rng.choice(STREET_FORMS).format(
        name=name, upper=name.upper(), lower=name.lower(), n=p.house
    )


def iban_form(rng: random.Random, p: Person) -> str:
    code = p.iban
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    return rng.choice([code, grouped, code.lower(), grouped.lower()])


def url_form(rng: random.Random, p: Person, n: int) -> str:
    return rng.choice(
        [
            f"https://forum.example/t/{n}/{p.street.lower()}straat-{p.house}-water",
            f"https://forum.example/t/{n}?adres={quote(street_form(rng, p))}",
            f"https://forum.example/t/{n}?email={quote(p.email)}",
            f"https://forum.example/user/{p.slug}/comment/{n}",
            f"https://forum.example/t/{n}?naam={quote(p.name)}&tel=0{p.phone}",
            f"https://forum.example/c/{n}#reactie-van-{p.slug.replace('.', '-')}",
        ]
    )


@dataclass
class Corpus:
    persons: list[Person]
    #: Everything each person left, for the --include-personal-data check.
    ok: bool = True


async def build(target: str, seed: int) -> Corpus:
    """A memory of two threads of replies, each response by one of the people, with
    their data in every field (see the module's docstring)."""
    rng = random.Random(seed)
    persons = people(rng, 8)
    store = await open_store(target)
    try:
        threads, responses = [], []
        for t in range(2):
            starter = persons[t]
            threads.append(
                Thread(
                    "forum",
                    f"t{t}",
                    f"Vraag van {starter.name}: bel {phone_form(rng, starter)}, "
                    f"{street_form(rng, starter)}",
                    f"https://forum.example/t/{starter.slug}-{postcode_form(rng, starter)}",
                )
            )
        for i in range(12):
            t = i % 2
            author = persons[i % len(persons)]
            parent = responses[-2] if i >= 2 else None
            parent_author = persons[(i - 2) % len(persons)] if parent else None
            mate = persons[(i + 4) % len(persons)]  # another author of the same thread
            quoted = f"In reply to: {parent_author.name} — eens. " if parent_author else ""
            body = (
                f"{quoted}Mail mij op {email_form(rng, author)} of bel {phone_form(rng, author)}; "
                f"mijn adres is {street_form(rng, author)}, {postcode_form(rng, author)}; "
                f"rekening {iban_form(rng, author)}. Ook {mate.name} "
                f"({email_form(rng, mate)}) denkt mee. Groet, {author.name}"
            )
            responses.append(
                Response(
                    source="forum",
                    external_id=f"r{i}",
                    thread_external_id=f"t{t}",
                    author_name=rng.choice(
                        [author.name, f"{author.name} ({author.email})", author.name.upper()]
                    ),
                    body_text=body,
                    body_raw=f'<p>{body} <a href="mailto:{author.email}">{author.name}</a></p>',
                    body_format="html",
                    created_at=T0 + timedelta(minutes=i),
                    parent_external_id=parent.external_id if parent else None,
                    url=url_form(rng, author, i),
                    author_email=author.email,
                    author_url=f"https://forum.example/user/{author.slug}/",
                    role_hint=f"organisatie ({author.name}, {phone_form(rng, author)})",
                    meta={"user": {"name": author.name, "email": author.email}},
                )
            )
        await store.upsert_page("forum", Page(responses=responses, threads=threads))
        for i, r in enumerate(responses):
            row = await store.get_by_external("forum", r.external_id)
            assert row is not None and row.response.id is not None
            rid, author = row.response.id, persons[i % len(persons)]
            await store.toggle_question([rid], "1", actor="moderator")
            await store.add_note(
                rid,
                f"Gebeld met {author.name} op {phone_form(rng, author)}, langs "
                f"{street_form(rng, author)} geweest",
                actor="moderator",
            )
            await store.reply(rid, f"Beste {author.name}, we mailen u op {author.email}.",
                              actor="moderator")  # fmt: skip
            if i % 3 == 0:
                words = (
                    f"{author.name} zette {email_form(rng, author)}, {street_form(rng, author)}, "
                    f"{iban_form(rng, author)} en {postcode_form(rng, author)} online"
                )
                await store.moderate(
                    [rid], RemoteStatus.HOLD, actor="moderator",
                    reason=DecisionReason("other", words, "Anders"),
                )  # fmt: skip
        return Corpus(persons)
    finally:
        await store.close()


ALL_STATUSES = [a for s in RemoteStatus for a in ("--status", s.value)]
FORMATS = [
    ["--format", "md"],
    ["--format", "csv"],
    ["--format", "jsonl"],
    ["--format", "decisions", "--as", "csv"],
    ["--format", "decisions", "--as", "jsonl"],
]


def exports(target: str, tmp_path: Path, *extra: str) -> dict[str, str]:
    """Every format through ``main([...])``, to a file (what is shared), as text."""
    out = {}
    for i, fmt in enumerate(FORMATS):
        path = tmp_path / f"export-{i}"
        code, _stdout, err = run_main(
            ["export", *fmt, "--db", target, "-o", str(path), *ALL_STATUSES, *extra]
        )
        assert code == 0, err
        out[" ".join(fmt)] = path.read_bytes().decode("utf-8")
    return out


def found(corpus: Corpus, text: str) -> list[tuple[str, str, str]]:
    """Every planted value in ``text`` (as written, percent-decoded twice), folded."""
    seen = fold(text) + "\n" + fold(unquote(unquote(text)))
    return [
        (p.name, kind, m.group(0))
        for p in corpus.persons
        for kind, pattern in p.patterns().items()
        for m in [pattern.search(seen)]
        if m
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_export_holds_any_planted_personal_datum(
    seed, store_target, tmp_path, cli_isolated, utc
):
    corpus = asyncio.run(build(store_target, seed))
    outs = exports(store_target, tmp_path)
    assert all(outs.values())
    leaks = {fmt: found(corpus, text) for fmt, text in outs.items()}
    assert leaks == {fmt: [] for fmt in outs}


def test_include_personal_data_keeps_them(store_target, tmp_path, cli_isolated, utc):
    corpus = asyncio.run(build(store_target, 5))
    outs = exports(store_target, tmp_path, "--include-personal-data")
    kinds = {fmt: {kind for _name, kind, _v in found(corpus, text)} for fmt, text in outs.items()}
    report = {"name", "email", "phone", "postcode", "address", "iban"}
    assert kinds == {
        "--format md": report,
        "--format csv": report,
        "--format jsonl": report,
        # The log holds no author, only the moderator's own words for "other".
        "--format decisions --as csv": report,
        "--format decisions --as jsonl": report,
    }


TITLES = ["mevrouw", "mevr.", "dhr.", "de heer", "meneer", "mw."]


def mention(rng: random.Random, p: Person) -> str:
    """``p`` named in a sentence's middle as people do without the full name: a first or
    last name alone, with a title or initials, surname first, possessive, in capitals."""
    particle, _, surname = p.last.rpartition(" ")
    last = p.last[0].upper() + p.last[1:] if rng.random() < 0.5 else p.last
    return rng.choice(
        [
            p.first,
            p.first.upper(),
            f"{p.first}'s" if p.first[-1] in "aeoë" else f"{p.first}s",
            p.last,
            f"{p.last}s",
            f"{rng.choice(TITLES)} {last}",
            f"{rng.choice(TITLES)} {p.last.lower()}",
            f"{p.first[0]}. {p.last}",
            f"{p.first[0]}.{rng.choice('JKM')}. {p.last}",
            f"{surname}, {p.first} {particle}".strip(),
            f"{surname}, {p.first[0]}.",
        ]
    )


def name_words(corpus: Corpus, text: str) -> set[str]:
    """The words of the people's first names and surnames (not their particles) in
    ``text``, folded, possessives (Annas, Jansens) included."""
    particles = {"de", "van", "den"}
    tell = {w for p in corpus.persons for w in fold(f"{p.first} {p.last}").split()} - particles
    return {w for w in re.findall(r"[^\W\d_]+", fold(text)) if w in tell or w[:-1] in tell}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_people_named_in_a_thread_they_never_wrote_in_leave_no_name(
    seed, store_target, tmp_path, cli_isolated, utc
):
    """A third thread by someone else names every author of the first two, each in a
    form other than the full name (title, initials, surname first, first name alone,
    possessive) in its title, body, note and decision reason: the export's known names
    are every author of the memory, so none of them is left in any format."""
    corpus = asyncio.run(build(store_target, seed))
    rng = random.Random(seed)

    async def third() -> None:
        store = await open_store(store_target)
        try:
            said = [f"Volgens {mention(rng, p)} klopt het niet." for p in corpus.persons]
            title = f"Over {mention(rng, corpus.persons[0])} en {mention(rng, corpus.persons[1])}"
            thread = Thread("forum", "t2", title, "https://forum.example/t/over-het-plein")
            response = Response(
                source="forum",
                external_id="r-other",
                thread_external_id="t2",
                author_name="Lotte Dekker",
                body_text=" ".join(said),
                body_raw="<p>" + "</p><p>".join(said) + "</p>",
                body_format="html",
                created_at=T0 + timedelta(hours=2),
            )
            await store.upsert_page("forum", Page(responses=[response], threads=[thread]))
            row = await store.get_by_external("forum", "r-other")
            assert row is not None and row.response.id is not None
            rid = row.response.id
            await store.toggle_question([rid], "1", actor="moderator")
            p = corpus.persons[2]
            await store.add_note(rid, f"Gebeld met {mention(rng, p)} erover.", actor="moderator")
            await store.moderate(
                [rid], RemoteStatus.HOLD, actor="moderator",
                reason=DecisionReason("other", f"Noemt {mention(rng, p)} bij naam", "Anders"),
            )  # fmt: skip
        finally:
            await store.close()

    asyncio.run(third())
    outs = exports(store_target, tmp_path)
    assert all("Dekker" not in text for text in outs.values())  # the third thread's author
    assert {fmt: name_words(corpus, text) for fmt, text in outs.items()} == {
        fmt: set() for fmt in outs
    }
    kept = exports(store_target, tmp_path, "--include-personal-data")
    assert all(name_words(corpus, text) for text in kept.values())


RULES = """
[[rules]]
name = "cijfers"
pattern = '\\d{3}'
action = "flag"
[[rules]]
name = "domeinen"
words = ["example", "voorbeeld", "mail", "at"]
action = "flag"
[[rules]]
name = "scheldwoorden"
words = ["kanker*"]
action = "hold"
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rules_test_examples_hold_no_contact_data(seed, tmp_path, cli_isolated):
    """``reactieveld rules test`` shows redacted examples: a rule that matches inside a
    phone number or an e-mail address (its brackets would split it out of redaction's
    reach), or a match 40 characters after one (the window would cut it in half), leaves
    none of it."""
    rng = random.Random(seed)
    persons = people(rng, 6)
    db = tmp_path / "m.db"

    async def fill() -> None:
        store = await open_store(str(db))
        bodies = [
            f"{phone_form(rng, p)} en dan nog wat woorden hier, {email_form(rng, p)} en "
            f"wat een kankerlijer, {postcode_form(rng, p)} tot slot {phone_form(rng, p)}"
            for p in persons
        ]
        page = Page(
            responses=[
                Response("blog", f"r{i}", "p1", "x", body, T0 + timedelta(minutes=i))
                for i, body in enumerate(bodies)
            ]
        )
        await store.upsert_page("blog", page)
        await store.close()

    asyncio.run(fill())
    config = tmp_path / "config.toml"
    config.write_text(RULES, "utf-8")
    code, out, err = run_main(
        ["--config", str(config), "--db", str(db), "rules", "test", "--examples", "6"]
    )
    assert code == 0, err
    assert out.count("  - ") == 18  # every rule shows every response
    leaks = [hit for hit in found(Corpus(persons), out) if hit[1] != "name"]
    assert leaks == []
