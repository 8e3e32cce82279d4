"""Personal data out of reports: e-mail addresses, phone numbers, addresses, names.

Reports leave the moderator's desk (to the council, into a policy memo, onto a shared
drive), so they are redacted by default; ``--include-personal-data`` turns it off.
Redaction errs on the safe side: a number that looks like a Dutch phone number is
replaced even if it was something else. What is caught, in every written form:

* e-mail addresses, also with a fullwidth ``＠``, obfuscated as ``[at]``, ``(at)``,
  `` at ``, ``[dot]``, ``(dot)``, `` dot `` (and Dutch ``apenstaartje``/``punt``), in any
  case, with spaces around the at sign;
* Dutch phone numbers, national (``06-12345678``, ``020-1234567``, ``0294 123456``,
  ``(020) 123 45 67``: ten digits starting with one 0) and international (``+31 6 1234
  5678``, ``0031 20 1234567``, ``+31 (0)6 ...``), and any other ``+<country>`` or
  ``00<country>`` number; groups joined by any dash (``- ‐ ‑ ‒ – — ― − －``) with or
  without spaces around it, by spaces, dots or slashes; glued to a word
  (``bel06-12345678``, ``tel:0612345678``);
* bank account numbers (IBAN, any country), together or in groups of four, in any case;
* a Dutch postcode with its house number (``1234 AB 56``, ``1234ab 56-2``) or alone, in
  upper or lower case, with or without the space;
* a street with its house number (:data:`ADDRESS_NL`, :data:`ADDRESS_EN`), the whole of
  it: a word with a street ending (``Kerkweg 14a``, ``Dorpsstraat 12``, ``'s-Gravendijkwal
  12 rd``; the endings in :data:`_STREET_ENDINGS`), or such a word alone, capitalised,
  after a capitalised word (``Oude Gracht 120-III``, ``Grote Markt 1``), with the
  capitalised words, particles and titles before it (``Burgemeester de Withstraat 5 hs``,
  ``Van Goghstraat 12-2``, ``Prof. dr. Bavincklaan 7``), in any case; a street whose
  capitalised type word comes first (:data:`_TYPE_FIRST_WORDS`), then particles and
  capitalised words (``Laan van Meerdervoort 12``, ``Laan van Nieuw Oost-Indië 5``, ``Weg
  der Verenigde Naties 1``); one named by a year, with ``nr`` before its number
  (``Plein 1813 nr 4``); with the words of :data:`STREET_ADJECTIVES` before it in any
  case (``lange nieuwstraat 12``, ``oude gracht 120``); then the number
  after spaces, a line break, ``nr.``, a hyphen (a link's ``/kerkweg-14a-water``) or
  nothing (``Kerkweg14``), with its letter and
  additions (``12a``, ``12-A``, ``12 bis``, ``12-2``, ``12 hs``, ``12-III``, ``12 rd``,
  ``12/3``); in English a number, one to three capitalised words and a street type
  (``12 Baker Street``, ``221B Baker St.``). A postcode after it is a second ``[adres]``.
  What stays: a number after any other word (``artikel 12``, ``vraag 3``, ``lijn 12``,
  ``fase 2``, ``eerste artikel 12``), a street-type word alone (``Gracht 3``, ``Singel
  3``, ``Kade 7``: a sports field's ``Veld 3`` and a track's ``Baan 2`` are written so
  too) or in lower case (``de weg 12 keer``), a year after a type word without ``nr``
  (``Plein 1813 4``, ``Laan van de Toekomst 2024``), a name in lower case after a type
  word (``laan van meerdervoort 12``), a word ending in a vowel and ``ring``
  (``vergadering 12``), the words of
  :data:`NOT_STREETS` (``onderweg 12 minuten``), a number before the street word (``in
  2024 straat``), a number followed by a counted thing (``Kerkweg 12 keer``, ``Parkweg 3
  mensen``, ``12%``) and a four-digit number from 1900 to 2099 without a letter
  (``Woningmarkt 2024``, ``in 1999 Abbey Road``: a year);
* author names become initials (``Anne de Vries`` -> ``A.d.V.``), in the author field and
  wherever the text, a note, a title, a reason or a link writes a known name. An export's
  known names are every author the memory holds (``Store.author_names``, read once per
  export), so a name is caught in a thread its owner never wrote in; the rule (below,
  "Names") is measured by tests/test_redact_names.py;
* links (a response's, its thread's): the above in each part, percent decoded, plus the
  whole value of a query key that names a person (``?email=``, ``naam=``, ``tel=``) and
  the segment after a profile segment (``/user/anne/``) as ``[persoon]``; a ``mailto:``
  link keeps nothing.

Names. Every rule works on text folded for case and diacritics (``Sévérine`` is
``severine``, ``Özdemir`` is ``ozdemir``); "capitalised" is the letter as written (upper
case, ``ANNA`` too). A known name is split into its first names, its particles and its
surname (``Anne de Vries``: ``Anne``, ``de``, ``Vries``; ``Vries, Anne de`` the same; a
double surname ``de Vries-Bakker`` also by each part), and replaced by its initials

* whole, in any case, its words joined by anything on one line or by nothing (``ANNE DE
  VRIES``, ``anne.de.vries``, ``annedevries``);
* by its surname (with the particles before it: ``de Vries`` -> ``d.V.``) after a title
  of :data:`TITLES` in any case (``mevr. Jansen``, ``dhr. De Vries``, ``de heer bos``),
  after initials (``A. Jansen``, ``A.J. de Vries``), before a comma and first names or
  initials (``Vries, Anne de``, ``Jansen, A.``), or when the surname is capitalised and
  not a sentence's first word (``zei Jansen``, ``met de Groot``, ``De Vries zei``: the
  ``V``); so ``het bos``, ``een groot plein``, ``de bakker`` stay, and so does ``Bos``
  opening a sentence (a false negative: ``Jansen schreef al`` at a sentence's start). A
  sentence starts the text, a line, a block tag, or follows ``.``, ``!``, ``?`` (quotes,
  brackets, ``*`` and tags between), but not the dot of a title or an initial (``mevr.``,
  ``A.``); the particles taken along are those the surname is known with (``kwam van
  Vos`` keeps its ``van``);
* by a first name alone when it is capitalised, anywhere (``Anna schreef al``), except
  right before a subject pronoun at a sentence's start (``Ben je er?``, ``Wil je``: a
  verb);
* with a possessive: ``Anna's``, ``Jansens``, ``Kees'``.

A first name or surname alone shorter than :data:`PART_MIN` letters stays (``Jo``,
``Ed``). An author name that is one word is a first name (capitalised) or, written in
lower case or with digits, a handle (``anna88``: any case, four letters or more). A name
whose first word is in :data:`NOT_PERSONS` (``Gemeente Laren``, ``Redactie``) is no
person: only the whole name is replaced, never its parts (``Laren`` stays).
Where an author name also says where its person belongs (``Gijs van Leeuwen
(Fietsenmaker Eemnes)``, ``Bram Kok, gemeente BEL``: :func:`own_name`), the whole is
replaced, and the parts are those of the person's own name: ``Eemnes`` and ``BEL`` stay.

False positives we accept (the safe side): a capitalised word in the middle of a sentence
that equals a known surname or first name (``Het Groene Bos``, ``in Den Bosch`` when
someone is called ``Bosch``, a word in a text written in capitals: ``HET BOS``), the word
``Ben`` opening a sentence without a pronoun after it when someone is called Ben, a
capitalised word that is an author's whole one-word name (an author called ``Laren``); a run
of ten digits starting with one 0 (``0123456789``, a zero-padded number), any ``00``/``+``
followed by 7-15 digits, a four-digit number followed by a two-letter word that is not on
the stop list below (``1990 xy``), ``word at word.tld`` in English prose, a Discourse
mention with a dot (``hi @jan.devries``). Dates (``01-03-2026``, ``2026-03-01``), years,
times, amounts (``€1.234,56``) and ids like ``Z/21/123456`` are left alone
(tests/test_redact.py).

False negatives we know of: a surname alone that opens a sentence or a line, a first
name or surname shorter than three letters, a name of someone who never wrote in the
memory; a postcode in lower case whose letters are a
common two-letter word or unit (``1234 en``, ``1234 km``: :data:`POSTCODE_WORDS`); a
phone number written exactly like a date followed by digits (``06-12-1999 12``); the
trunk 0 written apart from the area code (``0 6 1234 5678``); a house number from 1900
to 2099 without a letter (read as a year); lower-case words before a street other than
:data:`STREET_ADJECTIVES` (``burgemeester de [adres]``); a street-type word alone
(``Singel 3``, above); a street named in lower case after its type word (``laan van
meerdervoort 12``); an English street in lower case (``12 baker street``): without the
capitals nothing tells a name from the measures and adjectives English puts there (``a
5 minute walk``, ``a 2 lane road``, ``3 quiet street parties``). Accepted false positives
of the type word first: a capitalised type word opening a sentence before a capitalised
word and a number (``Weg van Ajax 3-1``), and of the adjectives: ``de grote markt 12
kramen``. A datum split
by an HTML tag (``06-<b>12345678</b>``) is caught: the raw body then falls back to its
redacted plain text.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Callable, Container
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from reactieveld.i18n import LANGUAGES
from reactieveld.i18n import text as ui_text
from reactieveld.rule_text import fold, folded

#: What takes the place of each kind of personal datum (``redact.*`` in the UI text table).
_KINDS = ("email", "phone", "address", "account", "person")


@functools.cache  # constant per language; redaction runs per field of every record
def _tokens(language: str) -> dict[str, str]:
    return {kind: ui_text(f"redact.{kind}", language) for kind in _KINDS}


# -- e-mail ------------------------------------------------------------------------------
_OPEN, _CLOSE = r"[\(\[{<]", r"[\)\]}>]"
_AT_WORDS = r"(?:at|apenstaartje|apestaartje|apenstaart|apestaart)"
_AT = (
    rf"(?:[ \t]*[@\uff20\ufe6b][ \t]*"
    rf"|\s*{_OPEN}\s*{_AT_WORDS}\s*{_CLOSE}\s*"
    rf"|[ \t]+{_AT_WORDS}[ \t]+)"
)
_DOT = rf"(?:[.\uff0e]|\s*{_OPEN}\s*(?:dot|punt)\s*{_CLOSE}\s*|[ \t]+(?:dot|punt)[ \t]+)"
EMAIL = re.compile(
    rf"(?<![\w.+'-])[\w.+'-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,24}}(?![\w-])",
    re.UNICODE | re.IGNORECASE,
)

_EMAIL_HINT = re.compile(rf"[@\uff20\ufe6b]|(?i:\b{_AT_WORDS}\b)").search

# -- phone numbers -----------------------------------------------------------------------
# Every dash Unicode has that people (or their word processors) put in a phone number.
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SP = "[ \\t\u00a0\u2007\u202f]"
# Between two digits: a dash with any spaces around it, one or two spaces, a dot or a slash.
_SEP = rf"(?:{_SP}*[{_DASH}]{_SP}*|{_SP}{{1,2}}|[./])?"
_PLUS = "[+\uff0b]"
# Not after a digit or a plus; after a letter is fine (``bel06-...``, ``tel:06...``).
_START = r"(?<![\d+\uff0b])"
# +31 / 0031, an optional (0), then nine digits with single separators between them.
PHONE_NL_INTL = re.compile(
    rf"{_START}(?:{_PLUS}|00){_SEP}31{_SEP}(?:{_SP}*\(0\){_SEP})?(?:\d{_SEP}){{8}}\d(?!\d)"
)
# Another country: +CC or 00CC and 6 to 13 more digits.
PHONE_INTL = re.compile(
    rf"{_START}(?:{_PLUS}|00)[1-9]\d{{0,2}}{_SEP}(?:{_SP}*\(0\){_SEP})?(?:\d{_SEP}){{5,12}}\d(?!\d)"
)
# National: an area code (0 and 1-3 digits, maybe in parentheses), then the rest; the
# digit count (ten) is checked in code, which a regular expression cannot do cheaply.
PHONE_NL = re.compile(rf"{_START}(?:\(0\d{{1,3}}\)|0\d{{1,3}})(?:{_SEP}\d){{5,8}}(?!\d)")
# Dates (dd-mm-yyyy, d/m/yyyy, yyyy-mm-dd) are not phone numbers: phone numbers are only
# looked for between them ("01-03-2026 - 05-03-2026" has ten digits starting with 0).
# The cost: a phone number written exactly like a date and more digits ("06-12-1999 12").
_DATE = re.compile(
    r"(?<!\d)(?:[0-3]?\d[-./][01]?\d[-./](?:1[89]|2\d)\d\d|(?:1[89]|2\d)\d\d-[01]\d-[0-3]\d)(?!\d)"
)

# -- postcodes ---------------------------------------------------------------------------
# Two-letter words that follow a number in ordinary text ("in 2024 en 2025", "1500 km"):
# in lower or mixed case they are not a postcode's letters. Upper case always is (except
# SA, SD and SS, which PostNL never issues).
_STOP = (
    "en in op om te of is al na er ze we je de ik nu zo ja uw 't "
    "an at to on or as be by do go he if it me my no so up us am "
    "km cm mm dm kg mg ml cl dl ha kw pk mb gb kb st ca nr vs ct"
)
#: The lower-case two-letter words that are never a postcode's letters (a documented
#: false negative: ``1234 en`` in lower case stays).
POSTCODE_WORDS = frozenset(w for w in _STOP.split() if len(w) == 2 and w.isalpha())
_STOP_RE = "|".join(sorted(POSTCODE_WORDS))
_HOUSE = (
    rf"(?:,?{_SP}*\d{{1,5}}(?:(?:{_SP}*[{_DASH}]{_SP}*|{_SP})?"
    r"(?:[A-Za-z](?![^\W\d_])|\d{1,4}(?!\d)))?)?"
)
POSTCODE = re.compile(
    rf"(?<!\d)[1-9]\d{{3}}{_SP}?"
    rf"(?:(?!SA|SD|SS)[A-Z]{{2}}|(?![A-Z]{{2}})(?!(?i:{_STOP_RE}|sa|sd|ss)(?![^\W\d_]))[A-Za-z]{{2}})"
    rf"(?![^\W\d_]){_HOUSE}"
)

# -- bank accounts -----------------------------------------------------------------------
#: An IBAN (``NL91ABNA0417164300``, ``NL91 ABNA 0417 1643 00``, ``be68539007547034``): a
#: country's two letters, two check digits, then groups of four letters or digits written
#: together or apart, each after the first with a digit in it (so a word written after it,
#: "… 7034 plan", is no part of it), and a last group of one to three. The check digits
#: are not verified: a mistyped number is still someone's (the safe side).
IBAN = re.compile(
    rf"(?<![^\W_])[A-Za-z]{{2}}\d{{2}}{_SP}?[A-Za-z0-9]{{4}}"
    rf"(?:{_SP}?(?=[A-Za-z]{{0,3}}\d)[A-Za-z0-9]{{4}}){{1,6}}"
    rf"(?:{_SP}?(?=[A-Za-z]{{0,2}}\d)[A-Za-z0-9]{{1,3}})?(?![^\W_])"
)
#: The fewest digits an IBAN has (check digits included; Norway's has 13): fewer, and the
#: letters and digits are a code of some other kind.
_IBAN_DIGITS = 10


def _accounts(text: str, token: str) -> str:
    return IBAN.sub(lambda m: token if len(_digits(m[0])) >= _IBAN_DIGITS else m[0], text)


# -- street addresses --------------------------------------------------------------------
# A Dutch street is a word with a street ending (Kerkweg, Dorpsstraat, 's-Gravendijkwal),
# or a capitalised street-type word after a capitalised word (Oude Gracht, Grote Markt);
# then a house number. The ending follows two letters at least (Kerkweg; not weg, verf
# or hof alone), "ring" a consonant (Westring, not vergadering).
_STREET_ENDINGS = (
    "straat straatje laan laantje weg plein pleintje gracht kade dijk singel hof hofje park "
    "dreef steeg steegje pad paadje markt plantsoen boulevard erf ring baan haven wal veld "
    "burg burgt allee vaart wetering"
).split()
#: Words with a street ending that are no street ("onderweg 12 minuten").
NOT_STREETS = frozenset(
    "onderweg halfweg snelweg omweg uitweg loopbaan woningmarkt arbeidsmarkt huizenmarkt "
    "speelveld sportveld voetbalveld werkveld bouwveld gerechtshof dijkring windpark "
    "zonnepark rijbaan startbaan landingsbaan".split()
)
_LETTER = r"[^\W\d_]"
_UPPER = "A-ZÀ-ÖØ-ÞŁŒŠŸŽ"
# Capitalised words, particles and titles before a street belong to its name (Burgemeester
# de Withstraat, Van Goghstraat, Prof. dr. Bavincklaan, 's-Gravendijkwal): whatever of
# them ends right before the street word, starting with a capitalised one.
_CAPITAL = rf"(?:[{_UPPER}]{_LETTER}{{0,3}}\.|[{_UPPER}]{_LETTER}*(?![.\w]))"
_JOIN = r"(?:[ \t\u00a0]+|-)"
_STREET_PARTICLE = r"(?:de|der|den|van|von|het|['’]t|ter|ten|te|la|le|du|dr\.|prof\.|mr\.|ir\.)"
_S = r"(?:['’][sS]-)?"  # 's-Gravendijkwal
_STREET_PREFIX = re.compile(
    rf"(?:(?<![\w'’-]){_S}{_CAPITAL}(?:{_JOIN}(?:{_STREET_PARTICLE}|{_S}{_CAPITAL}))*{_JOIN})?"
    rf"{_S}\Z"
)
# A street whose type word comes first (Laan van Meerdervoort, Laan van Nieuw Oost-Indië,
# Weg der Verenigde Naties, Boulevard de Wielingen): the type word capitalised, then
# particles and capitalised words; the word before the number capitalised too.
_TYPE_FIRST_WORDS = (
    "laan weg plein dijk kade singel gracht markt hof park dreef steeg pad plantsoen "
    "boulevard allee straat wal burgwal erf"
).split()
_TYPE_WORD = "|".join(w for t in _TYPE_FIRST_WORDS for w in (t.capitalize(), t.upper()))
_NAME_PARTICLE = rf"(?:{_STREET_PARTICLE}|op|aan|bij|in|over|naar|tot|des)"
_TYPE_FIRST = re.compile(
    rf"(?<![\w'’-])(?:{_TYPE_WORD})(?:{_JOIN}(?:{_NAME_PARTICLE}|{_S}{_CAPITAL}))*{_JOIN}\Z"
)
#: Lower-case words that belong to a street's name when they come right before it
#: ("lange nieuwstraat 12", "oude gracht 120").
STREET_ADJECTIVES = frozenset(
    "lange korte oude nieuwe grote kleine hoge lage eerste tweede derde noorder zuider "
    "ooster wester".split()
)
_ADJECTIVES = re.compile(
    rf"(?<![\w'’-])(?i:{'|'.join(sorted(STREET_ADJECTIVES))})(?:[ \t\u00a0]+"
    rf"(?i:{'|'.join(sorted(STREET_ADJECTIVES))}))*[ \t\u00a0]+\Z"
)
# A house number with its letter and additions: 12, 12a, 12-A, 12 bis, 12-2, 12 hs,
# 12-III, 12 rd, 12/3.
_ADDITION = (
    rf"(?:[A-Za-z](?![^\W\d_])"
    rf"|{_SP}*[{_DASH}/]{_SP}*\d{{1,4}}(?!\d)"
    rf"|[{_DASH}/][A-Za-z]{{1,4}}(?![^\W\d_])"
    rf"|{_SP}+(?i:bis|hs|huis|bg|bgr|rd|zw|bov|boven|[IVX]{{1,4}}|[A-Z])"
    rf"(?![^\W\d_]|[{_DASH}]{_LETTER}))"  # not the e of "12 e-mail"
)
# Counted things after a number are no addresses ("onderweg 12 minuten", "Weg 12 keer").
_COUNTED = (
    r"(?![ \t\u00a0]*%|[ \t\u00a0]+(?i:keer|maal|jaar|jaren|maand|maanden|week|weken|dag|"
    r"dagen|uur|uren|minuut|minuten|seconden|km|kilometer|meter|m|cm|mm|procent|mensen|"
    r"personen|euro|auto's|woningen|huizen|bomen|stuks|x)(?![^\W\d_]))"
)
ADDRESS_NL = re.compile(
    rf"(?<![^\W_])(?P<street>{_LETTER}{{2,}})"
    rf"(?:-|{_SP}*(?:\r?\n{_SP}*)?(?:(?i:nr|no|nummer)\.?{_SP}*)?)"
    rf"(?P<number>\d{{1,5}})(?P<addition>{_ADDITION}{{0,2}})(?![^\W_]){_COUNTED}"
)
# A street named by a year (Plein 1813, Plein 1992): its house number only after "nr"
# ("Plein 1813 12" could be anything).
_AFTER_YEAR = re.compile(
    rf"{_SP}+(?i:nr|no|nummer)\.?{_SP}*\d{{1,5}}{_ADDITION}{{0,2}}(?![^\W_]){_COUNTED}"
)
# English: a number, one to three capitalised words, a street type (12 Baker Street,
# 221B Baker St., 10 Downing St).
ADDRESS_EN = re.compile(
    rf"(?<!\d)(?P<number>\d{{1,5}})(?P<addition>[A-Za-z]?)(?:{_SP}+[{_UPPER}][\w'’-]*){{1,3}}"
    rf"{_SP}+(?i:(?:street|road|avenue|lane|drive|way|close|court|place|square|terrace|"
    rf"crescent|gardens|grove|row|boulevard|mews|walk|parade)(?![^\W_])"
    rf"|(?:st|rd|ave|ln|dr|ct|pl|sq|blvd)(?![^\W_])\.?)"
)


def _year(match: re.Match[str]) -> bool:
    # "Woningmarkt 2024", "in 1999 Abbey Road": a year, not a house number.
    number = match["number"]
    return not match["addition"] and len(number) == 4 and number[:2] in ("19", "20")


def _street(word: str) -> bool:
    low = folded(word)
    if low in NOT_STREETS:
        return False
    for ending in _STREET_ENDINGS:
        if low.endswith(ending) and len(low) >= len(ending) + 2:
            if ending == "ring" and low[-5] in "aeiouy":
                continue  # vergadering, opening
            return True
    return False


def _addresses(text: str, token: str) -> str:
    out, pos = [], 0
    for m in ADDRESS_NL.finditer(text):
        word, start, end = m["street"], m.start(), m.end()
        if start < pos:
            continue  # the "nr 4" of "Plein 1813 nr 4"
        named = None  # Plein 1813 nr 4: a street named by a year, its number after "nr"
        if len(m["number"]) == 4 and not m["addition"] and folded(word) in _TYPE_FIRST_WORDS:
            named = _AFTER_YEAR.match(text, end)
        if named:
            end = named.end()
        elif _year(m):
            continue  # Woningmarkt 2024
        suffix = _street(word)
        # Only for a street: the searches run back over up to 80 characters.
        if suffix or folded(word) in _STREET_ENDINGS:
            prefix = _STREET_PREFIX.search(text, max(pos, start - 80), start)
            lead = prefix.start() if prefix else start
        elif word[0].isupper() and (first := _TYPE_FIRST.search(text, max(pos, start - 80), start)):
            lead = first.start()  # Laan van Meerdervoort 12
        else:
            continue
        adjectives = _ADJECTIVES.search(text, max(pos, lead - 40), lead)
        if adjectives:
            lead = adjectives.start()  # lange nieuwstraat 12, oude gracht 120
        elif (
            not suffix
            and not named
            and (lead == start or word[0].islower())
            and not _ADJECTIVES.search(text, max(pos, start - 40), start)  # Lange gracht 1
        ):
            # A street-type word alone (Gracht 12, Singel 3: a sports field's Veld 3 and a
            # track's Baan 2 too) or in lower case after another word (de weg 12).
            continue
        out += [text[pos:lead], token]
        pos = end
    text = "".join([*out, text[pos:]]) if out else text
    return ADDRESS_EN.sub(lambda m: m[0] if _year(m) else token, text)


_PARTICLES = frozenset(
    "de den der des het 't te ter ten van von vd v.d. in op aan bij uit la le da di du".split()
)


_DIGIT = re.compile(r"\d").search


def _digits(text: str) -> str:
    # Any script's digits (fullwidth ones too), as ASCII.
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


def _phone_nl(match: re.Match[str]) -> bool:
    digits = _digits(match.group(0))
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


def redact_text(text: str, language: str = "nl") -> str:
    """``text`` with e-mail addresses, bank account numbers (IBAN), phone numbers, streets
    with their house numbers and postcodes replaced by ``[e-mail]``, ``[rekeningnummer]``,
    ``[telefoonnummer]`` and ``[adres]`` (or English tokens)."""
    if not text:
        return text
    tokens = _tokens(language)
    # Cheap guards first: most comments hold no at sign (in any form), many no digit.
    if _EMAIL_HINT(text):
        text = EMAIL.sub(tokens["email"], text)
    if not _DIGIT(text):
        return text
    text = _accounts(text, tokens["account"])  # before its digits look like a phone number
    text = _between_dates(text, lambda part: _phones(part, tokens["phone"]))
    # After the phone numbers: a street before one ("Kerkweg 06-12345678") takes no digits.
    text = _addresses(text, tokens["address"])
    text = POSTCODE.sub(tokens["address"], text)
    return text


def _phones(text: str, token: str) -> str:
    text = PHONE_NL_INTL.sub(token, text)
    text = PHONE_INTL.sub(token, text)
    return PHONE_NL.sub(lambda m: token if _phone_nl(m) else m.group(0), text)


def _between_dates(text: str, fn: Callable[[str], str]) -> str:
    out, pos = [], 0
    for date in _DATE.finditer(text):
        out += [fn(text[pos : date.start()]), date.group(0)]
        pos = date.end()
    return "".join([*out, fn(text[pos:])])


# A tag as a browser reads one: "<" then a letter, "/", "!" or "?" ("a < b" is text).
_TAG = re.compile(r"<!--.*?-->|<[/!?]?[A-Za-z][^<>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""(=\s*)("[^"]*"|'[^']*'|[^\s"'>=`]+)""")


def _same(text: str) -> str:
    return text


def _html_text(piece: str, language: str, names: Callable[[str], str]) -> str:
    plain = html.unescape(piece)
    out = names(redact_text(plain, language))
    return piece if out == plain else html.escape(out, quote=False)


def _html_value(value: str, language: str, names: Callable[[str], str]) -> str:
    quote = value[0] if value[:1] in "\"'" else ""
    inner = value[1:-1] if quote else value
    plain = html.unescape(inner)
    plain = unquote(plain) if "%" in plain else plain  # mailto:anne%40example.nl
    out = names(redact_text(plain, language))
    return value if out == plain else '"' + html.escape(out, quote=True) + '"'


def _html_plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def redact_html(markup: str, language: str = "nl", names: Callable[[str], str] = _same) -> str:
    """HTML (a body_raw) with the personal data in its text and in its attribute values
    (``href="mailto:..."``, ``title``) redacted; entities (``&#64;``, ``&Ouml;``) are read
    first. Tags stay. If a datum is split by a tag (``06-<b>12345678</b>``), the markup
    goes and the redacted plain text (escaped) is returned instead: the safe side.
    ``names`` (what replaces the known names) runs on each piece of text and value read,
    then on the whole markup (a name around a tag: ``<b>Anna</b> Jansen``)."""
    if not markup:
        return markup
    out: list[str] = []
    pos = 0
    for tag in _TAG.finditer(markup):
        out.append(_html_text(markup[pos : tag.start()], language, names))
        out.append(_ATTRIBUTE.sub(lambda a: a[1] + _html_value(a[2], language, names), tag[0]))
        pos = tag.end()
    out.append(_html_text(markup[pos:], language, names))
    result = "".join(out)
    # Still a datum in the text a reader sees (split by a tag), or anywhere in the markup
    # (a tag the attribute pass does not understand): the redacted plain text instead.
    for check in (_html_plain(result), html.unescape(result)):
        if redact_text(check, language) != check:
            plain = names(redact_text(_html_plain(markup), language))
            return html.escape(plain, quote=False)
    return names(result)


def _redact_json(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_redact_json(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _redact_json(v, fn) for k, v in value.items()}
    return value


def redact_raw(
    raw: str, body_format: str, language: str = "nl", names: Callable[[str], str] = _same
) -> str:
    """A body as the platform sent it (``body_raw``) redacted in its own format: HTML and
    Markdown (which may hold HTML) through :func:`redact_html`, JSON (Go Vocal's locales)
    value by value (read, so ``S\\u00e9v\\u00e9rine`` is a name too), plain text through
    :func:`redact_text`; ``names`` (what replaces the known names) after each."""
    if not raw:
        return raw
    if body_format == "json":
        try:
            data = json.loads(raw)
        except ValueError:
            return redact_html(raw, language, names)
        out = _redact_json(data, lambda value: redact_html(value, language, names))
        return raw if out == data else json.dumps(out, ensure_ascii=False)
    if body_format in ("html", "markdown"):
        return redact_html(raw, language, names)
    return names(redact_text(raw, language))


_ANY_TOKEN = re.compile(
    "|".join(re.escape(t) for lang in LANGUAGES for t in _tokens(lang).values())
)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Where redaction put its tokens (``[e-mail]``, ``[telefoonnummer]``) in ``text``."""
    return [m.span() for m in _ANY_TOKEN.finditer(text)]


def _name_words(name: str) -> list[str]:
    # A name's words, contact data (and the tokens that took its place) out first.
    return re.findall(r"[^\W\d_][\w'’.-]*", _ANY_TOKEN.sub(" ", redact_text(name or "")))


def initials(name: str) -> str:
    """A name reduced to initials: ``Anne de Vries`` -> ``A.d.V.``; particles stay lower
    case. Contact data in a name goes first, so ``anne@example.nl`` gives no letters."""
    out = []
    for word in _name_words(name):
        first = word[0]
        out.append((first.lower() if word.lower() in _PARTICLES else first.upper()) + ".")
    return "".join(out)


#: Words written before a surname as a title or a form of address (folded, without their
#: dot): ``mevr. Jansen``, ``dhr. De Vries``, ``de heer bos``, ``wethouder Bakker``.
TITLES = frozenset(
    "mevrouw mevr mw mej mejuffrouw juffrouw meneer mijnheer mnr dhr heer hr mr mrs "
    "ms miss dr drs ir ing prof ds dominee pastoor wethouder burgemeester raadslid "
    "familie fam".split()
)
#: A first word of an author name that makes it an organisation or a placeholder, not a
#: person: such a name is replaced only whole (``Gemeente Laren``), never by its parts
#: (``Laren`` alone stays), and a one-word one (``Redactie``, ``Anoniem``) not at all.
NOT_PERSONS = frozenset(
    "gemeente provincie waterschap redactie moderator moderatie admin administrator "
    "beheer beheerder team stichting vereniging wijkraad dorpsraad buurtvereniging "
    "bewonerscommissie bewoner bewoners anoniem anonymous anon gast guest onbekend "
    "unknown verwijderd deleted systeem system".split()
)
#: Subject pronouns after a verb that opens a question or an inverted sentence: a
#: capitalised first name right before one at a sentence's start is that verb (``Ben je
#: er?``, ``Wil je``, ``Mag ik``), not the name.
_PRONOUNS = frozenset("je jij u ik we wij ze zij hij het jullie men er".split())
#: The words of a surname's particles (``de Vries``, ``van den Berg``, ``in 't Veld``).
_PARTICLE_TOKENS = frozenset(
    "de den der des het t te ter ten van von vd v d la le da di du in op aan bij uit".split()
)
#: The shortest first name or surname replaced alone (``Jo``, ``Ed`` stay).
PART_MIN = 3

_TOKEN = re.compile(r"[^\W_]+")
_FULL_GAP = re.compile(r"[^\n\r]*")  # a full name's words: joined by anything on one line
_SURNAME_GAP = re.compile(r"[\s\-\u2010-\u2015]*")
_TITLE_GAP = re.compile(r"[.\s*_]*")  # mevr. Jansen, mevr. **Jansen**
_COMMA_GAP = re.compile(r"\s*,\s*")
_POSSESSIVE = re.compile(r"['\u2019]s?(?![^\W_])")
# Between a sentence's end (or a line's start, a tag) and its first word.
_OPENERS = frozenset(" \t\u00a0\"'\u201c\u201e\u2018\u00ab(*[-\u2013\u2014\u2022")
_ABBREVIATION = re.compile(
    rf"(?<![^\W_])(?:[^\W\d_]|(?i:{'|'.join(sorted(TITLES, key=len, reverse=True))}))$"
)
_ENDS = frozenset(".!?\u2026\n\r")


def _tokens_of(text: str) -> list[str]:
    return _TOKEN.findall(fold(text)[0])


def _segmentations(tokens: list[str]) -> list[tuple[str, ...]]:
    # A name's tokens, and the same with neighbours written together (annedevries).
    if len(tokens) > 6:
        return [tuple(tokens)]
    out: list[tuple[str, ...]] = [(tokens[0],)]
    for token in tokens[1:]:
        out = [o for prev in out for o in ((*prev, token), (*prev[:-1], prev[-1] + token))]
    return out


#: Where an author name's affiliation begins: ``Gijs van Leeuwen (Fietsenmaker Eemnes)``.
_AFFILIATION_OPEN = re.compile(r"[(\[]")
#: A comma or a dash with spaces around it: ``Bram Kok, gemeente BEL``, ``Anna Bos – wijkraad``.
_AFFILIATION_SEP = re.compile(r",|\s[\-\u2010-\u2015|/]\s")


def own_name(name: str) -> str:
    """The person's own name in an author name that also names where they belong: what
    precedes a parenthesis (``Vincent Mulder (Hotel De Bijvanck)``), or a comma or a
    spaced dash when what follows is an organisation (``Bram Kok, gemeente BEL``) or
    what precedes is a first name and a surname (``Anna Bos, Laren``); ``Vries, Anne de``
    (surname first) is a name whole. Those words (a firm, a village) are no first name or
    surname of anyone: ``Laren``, ``Bel`` and ``Hotel`` in a text stay."""
    own = _AFFILIATION_OPEN.split(name, maxsplit=1)[0].strip()
    if not _tokens_of(own):
        return name
    parts = _AFFILIATION_SEP.split(own, maxsplit=1)
    if len(parts) == 2:
        head, tail = parts
        head_words = [w for w in head.split() if w.casefold() not in _PARTICLES]
        tail_tokens = _tokens_of(tail)
        if _tokens_of(head) and (
            len(head_words) >= 2 or (tail_tokens and tail_tokens[0] in NOT_PERSONS)
        ):
            own = head.strip()
    return own


class NameIndex:
    """The known names, to find them in text whatever form they are written in (see
    :func:`redact_names`): each full name's word sequences, the surnames (a double one
    also by its parts) and the first names, by their first folded word."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = frozenset(names)
        #: By first folded word, then by length (longest first): the word sequences.
        self.full: dict[str, dict[int, set[tuple[str, ...]]]] = {}
        self.surnames: dict[str, dict[int, set[tuple[str, ...]]]] = {}
        self.firsts: set[str] = set()
        #: The particles a surname is known with (``vries``: ``de``), taken with it.
        self.prefixes: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for name in self.names:
            self._add(name)
        for table in (self.full, self.surnames):
            for first, by_length in table.items():
                table[first] = dict(sorted(by_length.items(), reverse=True))
        #: Every folded word a known name can begin at: a scan passes any other word (and
        #: its stem without a possessive s) by without trying the rules on it.
        self.starts = frozenset(self.full) | frozenset(self.surnames) | frozenset(self.firsts)

    def _add(self, name: str) -> None:
        words = [w for w in (w.strip("'\u2019.-") for w in _name_words(name)) if w]
        tokens = _tokens_of(" ".join(words))
        if not tokens:
            return
        person = tokens[0] not in NOT_PERSONS and not any(c.isdigit() for c in "".join(tokens))
        if len(tokens) == 1:
            word = words[0] if words else ""
            if person and word[:1].isupper() and len(tokens[0]) >= PART_MIN:
                self.firsts.add(tokens[0])  # "Anna", "Jansen": capitalised only
            elif len(tokens[0]) >= 4 and tokens[0] not in NOT_PERSONS:
                self._put(self.full, (tokens[0],))  # a handle (anna88): any case
            return
        for seq in _segmentations(tokens):
            self._put(self.full, seq)
        if not person:
            return
        own = own_name(name)
        if own != name:  # its own name's forms; the affiliation's words are no name
            self._add(own)
        else:
            self._add_parts(name, words)

    @staticmethod
    def _put(table: dict[str, dict[int, set[tuple[str, ...]]]], seq: tuple[str, ...]) -> None:
        table.setdefault(seq[0], {}).setdefault(len(seq), set()).add(seq)

    def _add_parts(self, name: str, words: list[str]) -> None:
        if "," in name:  # "Vries, Anne de": the surname first
            head, _, tail = name.partition(",")
            surname = [t for t in _tokens_of(head) if t not in _PARTICLE_TOKENS]
            given = [t for t in _tokens_of(tail) if t not in _PARTICLE_TOKENS]
            prefix = tuple(t for t in _tokens_of(tail) if t in _PARTICLE_TOKENS)
        else:
            lower = [w.casefold() for w in words]
            at = next((i for i in range(1, len(words)) if lower[i] in _PARTICLES), None)
            if at is None:
                given_words, surname_words = words[:-1], words[-1:]
            else:
                given_words, surname_words = words[:at], words[at:]
            given = _tokens_of(" ".join(given_words))
            surname = _tokens_of(" ".join(surname_words))
            cut = next((i for i, t in enumerate(surname) if t not in _PARTICLE_TOKENS), 0)
            prefix, surname = tuple(surname[:cut]), surname[cut:]
        # A title or an organisation word before a name is no first name of its own
        # ("raadslid Hanneke de Wit", "Wethouder Jan Bakker"): "Raadslid" stays.
        self.firsts.update(
            t for t in given if len(t) >= PART_MIN and t not in TITLES and t not in NOT_PERSONS
        )
        if not surname:
            return
        keys = [tuple(surname), (surname[0],)]  # the first part carries the particles
        self._put(self.surnames, keys[0])
        for part in surname:
            if len(part) >= PART_MIN and part not in _PARTICLE_TOKENS:
                self._put(self.surnames, (part,))
        if prefix:
            for key in keys:
                self.prefixes.setdefault(key, set()).add(prefix)

    def redact(self, text: str) -> str:
        """``text`` with every known name found (:func:`redact_names`) as initials."""
        scan = self._scan(text)
        return scan.run() if scan else text

    def hits(self, text: str) -> list[NameHit]:
        """Where :meth:`redact` replaces a known name in ``text``, and by what."""
        scan = self._scan(text)
        return scan.hits() if scan else []

    def _scan(self, text: str) -> _Scan | None:
        if not text or not (self.full or self.surnames or self.firsts):
            return None
        # No word a known name (or its possessive) begins with: the scan would pass every
        # word by; its token positions cost more than that (half an export's redaction).
        words = _TOKEN.findall(folded(text))  # fold's positions are not needed here
        starts = self.starts
        if not any(_may_begin(w, starts) for w in words):
            return None
        return _Scan(self, text)


#: A name found: its start, the end of its words, its end (a possessive after them), and
#: the token to go on from.
Hit = tuple[int, int, int, int]


class _Scan:
    """One text's tokens (folded), walked once: at each the longest full name, else a
    surname by the rule, else a first name by the rule."""

    def __init__(self, index: NameIndex, text: str) -> None:
        self.index, self.text = index, text
        self.folded, self.where = fold(text)
        self.spans = [m.span() for m in _TOKEN.finditer(self.folded)]
        self.words = [self.folded[a:b] for a, b in self.spans]

    # -- where a token is, in the original text ------------------------------------------
    def _start(self, i: int) -> int:
        return self.where[self.spans[i][0]]

    def _end(self, i: int) -> int:
        return self.where[self.spans[i][1] - 1] + 1

    def _gap(self, i: int) -> str:
        # The original text between token i-1 and token i.
        return self.text[self._end(i - 1) : self._start(i)] if i else ""

    def _capital(self, i: int) -> bool:
        return self.text[self._start(i)].isupper()

    def _sentence_start(self, i: int) -> bool:
        # Nothing but spaces, quotes, brackets, bullets and tags between the text's or a
        # line's start or a sentence's end (. ! ?) and token i.
        k = self._start(i) - 1
        text = self.text
        while k >= 0:
            c = text[k]
            if c == ">":
                lt = text.rfind("<", 0, k)
                if lt < 0:
                    return False
                k = lt - 1
            elif c == "." and self._abbreviation(k):
                return False  # mevr. Jansen, A. Jansen: not a sentence's end
            elif c in _ENDS:
                return True
            elif c in _OPENERS:
                k -= 1
            else:
                return False
        return True

    def _abbreviation(self, k: int) -> bool:
        # The dot at k ends a title (mevr.) or an initial (A.), not a sentence (Dank u.).
        m = _ABBREVIATION.search(self.text, max(0, k - 24), k)
        return m is not None and (len(m[0]) > 1 or m[0].isupper())

    def _longest_seq(
        self, table: dict[str, dict[int, set[tuple[str, ...]]]], i: int, gap: re.Pattern[str]
    ) -> tuple[str, ...]:
        # The longest known sequence of words at token i, its words joined by ``gap``.
        for length, known in table.get(self.words[i], {}).items():
            seq = tuple(self.words[i : i + length])
            if seq in known and all(gap.fullmatch(self._gap(j)) for j in range(i + 1, i + length)):
                return seq
        return ()

    def _ends(self, i: int, nxt: int) -> Hit:
        # From token i to the token before nxt, with a possessive after it (Anna's,
        # Kees'), which the initials leave out.
        end = self._end(nxt - 1)
        m = _POSSESSIVE.match(self.text, end)
        return self._start(i), end, m.end() if m else end, nxt

    # -- the rules ---------------------------------------------------------------------------
    def _full(self, i: int) -> Hit | None:
        n = len(self._longest_seq(self.index.full, i, _FULL_GAP))
        return self._ends(i, i + n) if n else None

    def _surname(self, i: int, floor: int) -> Hit | None:
        seq = self._longest_seq(self.index.surnames, i, _SURNAME_GAP)
        word = self.words[i]
        if not seq and self._capital(i) and word.endswith("s"):
            stem = (word[:-1],)
            seq = stem if stem in self.index.surnames.get(stem[0], {}).get(1, ()) else ()
        if not seq:
            return None
        n = len(seq)  # Jansens: one
        first = i  # the particles it is known with before it (de Vries), not the floor's
        for prefix in sorted(self.index.prefixes.get(seq, ()), key=len, reverse=True):
            at = i - len(prefix)
            if (
                at >= floor
                and self.words[at:i] == list(prefix)
                and not (len(prefix[0]) == 1 and self._capital(at))  # T. Bos
                and all(_TITLE_GAP.fullmatch(self._gap(j)) for j in range(at + 1, i + 1))
            ):
                first = at
                break
        titled = (
            first - 1 >= floor
            and self.words[first - 1] in TITLES
            and _TITLE_GAP.fullmatch(self._gap(first))
        )
        lead = first  # initials before it: A. Jansen, A.J. de Vries
        while (
            lead - 1 >= floor
            and len(self.words[lead - 1]) == 1
            and self._capital(lead - 1)
            and self.text.startswith(".", self._end(lead - 1))
        ):
            lead -= 1
        after = i + n  # surname first: Jansen, A. / Vries, Anne de
        given = after
        if after < len(self.words) and _COMMA_GAP.fullmatch(self._gap(after)):
            while (
                given < len(self.words)
                and self._capital(given)
                and (
                    (len(self.words[given]) == 1 and self.text.startswith(".", self._end(given)))
                    or self.words[given] in self.index.firsts
                )
            ):
                given += 1
            for prefix in self.index.prefixes.get(seq, ()) if given > after else ():
                if self.words[given : given + len(prefix)] == list(prefix):
                    given += len(prefix)  # Vries, Anne de
                    break
        capital = self._capital(i)
        if not (
            titled
            or lead < first
            or (capital and given > after)
            or (capital and not self._sentence_start(i))
        ):
            return None
        if given > after:
            end = self._end(given - 1)
            end += self.text.startswith(".", end)
            return self._start(lead), end, end, given
        return self._ends(lead, i + n)

    def _first(self, i: int) -> Hit | None:
        word = self.words[i]
        firsts = self.index.firsts
        if not self._capital(i) or not _may_begin(word, firsts):
            return None
        nxt = i + 1
        if (
            nxt < len(self.words)
            and self.words[nxt] in _PRONOUNS
            and self._gap(nxt).strip() == ""
            and self._sentence_start(i)
        ):
            return None  # Ben je er?
        return self._ends(i, i + 1)

    def hits(self) -> list[NameHit]:
        found: list[NameHit] = []
        i, floor = 0, 0
        starts = self.index.starts
        text = self.text
        while i < len(self.words):
            word = self.words[i]
            # Most words begin no name: the rules cost 1.5 ms a response of an export
            # when tried on each (4 minutes for 184,000 responses).
            if not _may_begin(word, starts):
                i += 1
                continue
            hit = self._full(i) or self._surname(i, floor) or self._first(i)
            if hit is None:
                i += 1
                continue
            start, core, end, i = hit
            words = " ".join(re.split(r"[\W_]+", text[start:core]))  # A.J. -> A J
            short = initials(words) or "?"
            if short.endswith(".") and text.startswith(".", end) and not text.startswith("..", end):
                end += 1  # the sentence's full stop after the name: the initials' own
            found.append((start, end, short))
            floor = i
        return found

    def run(self) -> str:
        return replace_spans(self.text, self.hits())


#: A name found in a text: where it starts and ends, and the initials in its place (the
#: end past a sentence's full stop right after it, which the initials' dot then is).
NameHit = tuple[int, int, str]


def replace_spans(text: str, spans: list[NameHit]) -> str:
    """``text`` with each of ``spans`` (in order, apart) replaced by its text."""
    out, pos = [], 0
    for start, end, short in spans:
        out += [text[pos:start], short]
        pos = end
    return "".join([*out, text[pos:]]) if out else text


@functools.lru_cache(maxsize=8)  # an export's known names, and a few per-record extras
def name_index(names: tuple[str, ...]) -> NameIndex:
    """The :class:`NameIndex` of ``names`` (built once per set)."""
    return NameIndex(names)


def redact_names(text: str, names: tuple[str, ...] | NameIndex) -> str:
    """``text`` with each of the ``names`` replaced by its initials, in every form of
    the module's rule (full name in any case, surname or first name alone, with a title
    or initials, surname first, possessive)."""
    if not text or not names:
        return text
    index = names if isinstance(names, NameIndex) else name_index(names)
    return index.redact(text)


#: Query keys and path segments before which a url holds a person: their values go whole.
_PERSONAL_KEYS = frozenset(
    "email e-mail mail name naam user username gebruiker phone tel telefoon mobile "
    "postcode zip address adres author auteur".split()
)
_PROFILE_SEGMENTS = frozenset(
    "user users u profile profiles author members member gebruiker gebruikers people".split()
)


def redact_url(
    url: str, names: tuple[str, ...] | Callable[[str], str] = (), language: str = "nl"
) -> str:
    """A link with the personal data in its path, query and fragment replaced (percent
    decoded first: ``?email=anne%40example.nl``): contact data, the ``names``, a whole
    query value under a personal key (``email=``, ``naam=``, ``tel=``) and the segment
    after a profile segment (``/user/anne.devries/``); user and password before the host
    go (``names``: the names, or what replaces them in a text). Scheme and host stay, so
    the link still leads to the platform; a link that is not http(s) (``mailto:``) or
    that still holds a datum keeps only those, or nothing."""
    token = quote(_tokens(language)["person"])

    def clean(value: str, *, plus: bool = False) -> str:
        # The part as written when it holds nothing personal, else redacted and quoted.
        plain = unquote_plus(value) if plus else unquote(value)
        out = redact_text(plain, language)
        out = names(out) if callable(names) else redact_names(out, names)
        return value if out == plain else quote(out)

    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        segments = parts.path.split("/")
        path = [
            token if i and s and segments[i - 1].lower() in _PROFILE_SEGMENTS else clean(s)
            for i, s in enumerate(segments)
        ]
        query = []
        for pair in parts.query.split("&") if parts.query else []:
            key, eq, value = pair.partition("=")
            personal = unquote_plus(key).lower() in _PERSONAL_KEYS
            query.append(
                clean(key) + eq + (token if personal and value else clean(value, plus=True))
            )
        result = urlunsplit(
            (parts.scheme, host, "/".join(path), "&".join(query), clean(parts.fragment))
        )
    except ValueError:  # not a url urllib can read (a bad port, brackets)
        return ""
    readable = unquote_plus(result)
    if parts.scheme.lower() not in ("http", "https") or redact_text(readable) != readable:
        # mailto:, tel:, or a datum the parts above did not find: only where it leads.
        return f"{parts.scheme}://{host}/" if host else ""
    return result


def _may_begin(word: str, starts: Container[str]) -> bool:
    """``word`` (folded), or its stem without a possessive s, is in ``starts``."""
    return word in starts or (word.endswith("s") and word[:-1] in starts)


#: A :class:`Redactor` keeps the results of at most this many short values (see
#: ``Redactor._memo``); then it starts again.
MEMO_ENTRIES = 10_000
#: Values longer than this are not kept: bodies seldom repeat, titles and links do.
MEMO_CHARS = 1_000


class Redactor:
    """Applies (or, with ``include_personal_data``, skips) redaction consistently.
    ``names``: the names to replace by initials wherever they are written (an export's:
    every author the memory holds; :meth:`for_names` adds a record's own)."""

    def __init__(
        self,
        *,
        include_personal_data: bool = False,
        language: str = "nl",
        names: tuple[str, ...] = (),
        _indexes: tuple[NameIndex, ...] = (),
    ) -> None:
        self.include_personal_data = include_personal_data
        self.language = language
        self._indexes = _indexes or ((name_index(names),) if names else ())
        self.names = frozenset().union(*(ix.names for ix in self._indexes))
        #: What this redactor made of a value, by kind and value: an export writes the
        #: same thread title, link and piece of a link for every response of a thread
        #: (10,129 responses: 124,917 name scans of 20,689 texts, 30,387 links of 10,406).
        self._memo: dict[tuple[str, str], str] = {}

    def _kept(self, kind: str, value: str, make: Callable[[str], str]) -> str:
        # make(value), from the memo when this redactor made it before (the same answer:
        # every rule here depends on the value, the language and the names alone).
        if len(value) > MEMO_CHARS:
            return make(value)
        key = (kind, value)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_ENTRIES:
                self._memo.clear()
            found = self._memo[key] = make(value)
        return found

    def for_names(self, names: tuple[str | None, ...]) -> Redactor:
        """This redactor, also replacing ``names`` (None and blanks skipped); itself when
        it knows them all already (an export knows every author of the memory)."""
        if self.include_personal_data:
            return self
        extra = tuple(sorted({n for n in names if n and n.strip()} - self.names))
        if not extra:
            return self
        return Redactor(language=self.language, _indexes=(*self._indexes, name_index(extra)))

    def _redact_names(self, value: str) -> str:
        return self._kept("names", value, self._names_of)

    def _names_of(self, value: str) -> str:
        for index in self._indexes:
            value = index.redact(value)
        return value

    def _text_of(self, value: str) -> str:
        return self._redact_names(redact_text(value, self.language))

    def _url_of(self, value: str) -> str:
        return redact_url(value, self._redact_names, self.language)

    def text(self, value: str | None) -> str:
        """Free text (a body, a note) with contact data and the known names removed."""
        if value is None:
            return ""
        if self.include_personal_data:
            return value
        return self._kept("text", value, self._text_of)

    def contact(self, value: str) -> str:
        """``value`` with its contact data removed (:func:`redact_text`), names not yet."""
        return value if self.include_personal_data else redact_text(value, self.language)

    def name_hits(self, value: str) -> list[NameHit]:
        """Where :meth:`text` writes initials for a known name in ``value`` (contact data
        removed first: :meth:`contact`), in order and apart; none with
        ``include_personal_data``."""
        if self.include_personal_data:
            return []
        found: list[NameHit] = []
        for index in self._indexes:  # each on the value as given; the first hit wins
            found += index.hits(value)
        found.sort(key=lambda h: (h[0], -h[1]))
        apart: list[NameHit] = []
        for hit in found:
            if not apart or hit[0] >= apart[-1][1]:
                apart.append(hit)
        return apart

    def title(self, value: str | None) -> str | None:
        """A thread title (written by the public on forums and portals), redacted as text;
        None stays None."""
        return None if value is None else self.text(value)

    def raw(self, value: str | None, body_format: str) -> str:
        """A body as the platform sent it (HTML, Markdown, JSON) with contact data removed
        in the text, the attributes and the entities alike."""
        if value is None:
            return ""
        if self.include_personal_data:
            return value
        return redact_raw(value, body_format, self.language, self._redact_names)

    def url(self, value: str | None) -> str | None:
        """A link (a response's, a thread's) without the personal data in it
        (:func:`redact_url`); None stays None."""
        if value is None or self.include_personal_data:
            return value
        return self._kept("url", value, self._url_of)

    def name(self, value: str | None) -> str:
        """An author name, or its initials."""
        if value is None:
            return ""
        return value if self.include_personal_data else initials(value)

    def personal(self, value: str | None) -> str | None:
        """A value that is only personal data (author key, author url): kept or dropped."""
        return value if self.include_personal_data else None
