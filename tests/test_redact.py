"""Redaction of personal data in reports."""

from __future__ import annotations

import pytest

from reactieveld.reports.redact import Redactor, initials, redact_names, redact_text, redact_url

P = "[telefoonnummer]"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mail anne@example.nl graag", "mail [e-mail] graag"),
        ("j.de-vries+raad@gemeente.blaricum.nl.", "[e-mail]."),
        ("bel 06-12345678.", f"bel {P}."),
        ("bel 06 12345678 of 0612345678", f"bel {P} of {P}"),
        ("06 1234 5678", P),
        ("+31 6 1234 5678", P),
        ("+31612345678!", f"{P}!"),
        ("+31 (0)6 12345678", P),
        ("0031 6 12345678", P),
        ("0031 20 1234567", P),
        ("vast: 020-1234567", f"vast: {P}"),
        ("035 538 12 34", P),
        ("0294-123456", P),
        ("(020) 123 45 67", P),
        ("+32 2 123 45 67 (België)", f"{P} (België)"),
        ("1234 AB 56", "[adres]"),
        ("adres: 1251AB 12-2, Laren", "adres: [adres], Laren"),
        ("1251 AB 12a", "[adres]"),
        ("postcode 1251 AB", "postcode [adres]"),
        # The forms of issue 10 item 8.
        ("1251ab 12", "[adres]"),
        ("1251 ab", "[adres]"),
        ("bel06-12345678", f"bel{P}"),
        ("tel:0612345678", f"tel:{P}"),
        ("06 \u2013 12345678", P),
        ("06\u221212345678", P),
        ("06\uff0d12345678", P),
        ("020 - 123 4567", P),
        ("+49 30 12345678", P),
        ("anne\uff20example.nl", "[e-mail]"),
        ("anne [at] example [dot] nl", "[e-mail]"),
        ("Anne (AT) Example (DOT) NL!", "[e-mail]!"),
        ("anne at example dot nl", "[e-mail]"),
        ("anne @ example.nl", "[e-mail]"),
        # Streets with their house numbers, whole (the user trial's forms).
        (
            "bij mij voor de deur, Kerkweg 14a, staat het water",
            "bij mij voor de deur, [adres], staat het water",
        ),
        ("Dorpsstraat 12, 1251 AB Laren", "[adres], [adres] Laren"),
        ("Ik woon aan de Van Goghstraat 12-2.", "Ik woon aan de [adres]."),
        ("Burgemeester de Withstraat 5 hs", "[adres]"),
        ("Lange Nieuwstraat 3 bis", "[adres]"),
        ("Oude Gracht 120-III", "[adres]"),
        ("'s-Gravendijkwal 12 rd", "[adres]"),
        ("KERKWEG 14A of kerkweg\n14", "[adres] of [adres]"),
        ("Prof. dr. Bavincklaan 7, Westring 3", "[adres], [adres]"),
        ("Kerkstraat nr. 4 en Kerkweg14", "[adres] en [adres]"),
        ("12 Baker Street en 221B Baker St.", "[adres] en [adres]"),
        ("Kerkweg 06-12345678", f"Kerkweg {P}"),
        # The type word first, lower-case words of the name before it, a year as a name.
        ("Laan van Meerdervoort 12", "[adres]"),
        ("aan de Laan van Nieuw Oost-Indië 5a.", "aan de [adres]."),
        ("Weg der Verenigde Naties 1, Boulevard de Wielingen 3", "[adres], [adres]"),
        ("lange nieuwstraat 12 of oude gracht 120-III", "[adres] of [adres]"),
        ("Plein 1813 nr 4 en Plein 1813", "[adres] en Plein 1813"),
        ("Kerkweg 12 e-mail me", "[adres] e-mail me"),  # not "[adres]-mail"
    ],
)
def test_redacted(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 en 2025 kwamen 12345 mensen.",
        "Besluit van 01-02-2024 om 10:30 uur.",
        "Nummer 06123456789 is te lang, 061234567 te kort.",
        "Zaaknummer Z/21/123456.",
        "Het kost 1234 EUR, ongeveer.",
        "Een 1234 SS-kaart.",  # SS is never issued
        "Van 01-03-2026 - 05-03-2026 om 10:30, voor €1.234,56.",
        "In 2024 en 2025 reden we 1500 km.",
        "Op 2026-03-01.",
        # Look-alikes of an address (reports/redact.py says what stays).
        "in 2024 straat we, de weg 12 keer, artikel 12, vraag 3, lijn 12",
        "vergadering 12, onderweg 12 minuten, Woningmarkt 2024, Gracht 3",
        "3 streets, 12 Roads",
        # A street-type word alone (a sports field's Veld 3, a track's Baan 2), a year after
        # a type word without "nr", a lower-case name after a type word.
        "Singel 3, Kade 7, Veld 3, Baan 2, Plein 1813 4, Laan van de Toekomst 2024",
        "laan van meerdervoort 12, de lange weg 3 keer, een lange kade 2024",
        # English in lower case stays (reports/redact.py says why).
        "12 baker street, a 5 minute walk, a 2 lane road, 3 quiet street parties",
    ],
)
def test_left_alone(text):
    assert redact_text(text) == text


def test_english_tokens():
    assert redact_text("a@b.nl 06-12345678 1234 AB 5", "en") == (
        "[e-mail] [phone number] [address]"
    )


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Anne de Vries", "A.d.V."),
        ("Carla van den Berg", "C.v.d.B."),
        ("Zoë Çelik", "Z.Ç."),
        ("Spammer", "S."),
        ("anne@example.nl", ""),
        ("", ""),
        ("J.P. Balkenende", "J.B."),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://meldingen.example/kerkweg-14a-water-op-straat",
        "https://forum.example/t/burgemeester-de-withstraat-5-hs",
        "https://forum.example/?adres=Oude+Gracht+120-III",
    ],
)
def test_a_link_keeps_no_street_address(url):
    from urllib.parse import unquote

    out = unquote(redact_url(url)).lower()
    assert not any(c.isdigit() for c in out), out
    assert not any(w in out for w in ("kerkweg", "withstraat", "gracht")), out


def test_include_personal_data_turns_it_off():
    on = Redactor()
    off = Redactor(include_personal_data=True)
    body = "Mail anne@example.nl, bel 06-12345678, 1251 AB 12."
    assert on.text(body) == "Mail [e-mail], bel [telefoonnummer], [adres]."
    assert off.text(body) == body
    assert on.name("Anne de Vries") == "A.d.V." and off.name("Anne de Vries") == "Anne de Vries"
    assert on.personal("key") is None and off.personal("key") == "key"


def test_a_huge_word_is_linear():
    # The demo's hostile 20,000-character word once took a second per field (an e-mail
    # pattern that backtracked from every letter); 200,000 letters must stay instant.
    import time

    word = "a" * 200_000
    start = time.perf_counter()
    assert redact_text(word + " 06-12345678") == word + " [telefoonnummer]"
    assert initials(word) == "A."
    assert time.perf_counter() - start < 1.0


NAMES = ("Anne de Vries", "Zoë van den Berg (zoe@example.nl)", "Jo")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In reply to: Anne de Vries — eens", "In reply to: A.d.V. — eens"),
        ("ANNE DE VRIES schreef", "A.d.V. schreef"),
        ("groet, zoe van den berg", "groet, Z.v.d.B."),
        ("zie /u/anne.de.vries en anne_de_vries", "zie /u/A.d.V. en A.d.V."),
        ("Zoe-van-den-Berg.", "Z.v.d.B."),
        # Part of a longer word and a one-word name under three letters stay; a first
        # name or a surname alone of a known name goes (Anne; Bram's de Vries).
        (
            "Anne de Vriesland; Jo is er; Bram de Vries",
            "A. de Vriesland; Jo is er; Bram d.V.",
        ),
        ("annemarie vriesland en de vries", "annemarie vriesland en de vries"),
    ],
)
def test_names_become_initials(text, expected):
    assert redact_names(text, NAMES) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://blog.example/?p=12#comment-5", "https://blog.example/?p=12#comment-5"),
        ("https://f.example/t/1?email=anne%40example.nl&p=2", "https://f.example/t/1?email=%5Bpersoon%5D&p=2"),
        ("https://f.example/user/anne.devries/activity", "https://f.example/user/%5Bpersoon%5D/activity"),
        ("https://f.example/t/anne-de-vries-1234AB/5", "https://f.example/t/A.d.V.-%5Badres%5D/5"),
        ("https://f.example/t/5?q=bel+06+12345678", "https://f.example/t/5?q=bel%20%5Btelefoonnummer%5D"),
        ("https://anne:geheim@f.example/t/5", "https://f.example/t/5"),
        ("mailto:anne@example.nl", ""),
    ],
)  # fmt: skip
def test_links_lose_their_personal_data(url, expected):
    assert redact_url(url, NAMES) == expected
    assert Redactor(names=NAMES).url(url) == expected
    assert Redactor(include_personal_data=True, names=NAMES).url(url) == url
