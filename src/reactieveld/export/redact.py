"""Personal data out of reports: e-mail addresses, phone numbers, postcodes, names.

Reports leave the moderator's desk (to the council, into a policy memo, onto a shared
drive), so they are redacted by default; ``--include-personal-data`` turns it off.
Redaction errs on the safe side: a number that looks like a Dutch phone number is
replaced even if it was something else. Patterns:

* e-mail addresses;
* Dutch phone numbers, national (``06-12345678``, ``020-1234567``, ``0294 123456``,
  ``(020) 123 45 67``: ten digits starting with one 0) and international (``+31 6 1234
  5678``, ``0031 20 1234567``, ``+31 (0)6 ...``), and any other ``+<country>`` number;
* a Dutch postcode with its house number (``1234 AB 56``, ``1234AB 56-2``) or alone;
* author names become initials (``Anne de Vries`` -> ``A.d.V.``).
"""

from __future__ import annotations

import re

_TOKENS = {
    "nl": {"email": "[e-mail]", "phone": "[telefoonnummer]", "address": "[adres]"},
    "en": {"email": "[e-mail]", "phone": "[phone number]", "address": "[address]"},
}

EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

_SEP = r"[ \u00a0.\-/]?"
# +31 / 0031, an optional (0), then nine digits with single separators between them.
PHONE_NL_INTL = re.compile(rf"(?<![\w+])(?:\+|00)31{_SEP}(?:\(0\){_SEP})?(?:\d{_SEP}){{8}}\d(?!\d)")
# Another country: +CC and 6 to 13 more digits.
PHONE_INTL = re.compile(
    rf"(?<![\w+])\+[1-9]\d{{0,2}}{_SEP}(?:\(0\){_SEP})?(?:\d{_SEP}){{5,12}}\d(?!\d)"
)
# National: an area code (0 and 1-3 digits, maybe in parentheses), then the rest; the
# digit count (ten) is checked in code, which a regular expression cannot do cheaply.
PHONE_NL = re.compile(rf"(?<![\w+])(?:\(0\d{{1,3}}\)|0\d{{1,3}})(?:{_SEP}\d){{5,8}}(?!\d)")

# 1234 AB (not SA/SD/SS, which PostNL never issues), then maybe a house number + addition.
POSTCODE = re.compile(
    r"(?<![\w])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\w])"
    r"(?:,? ?\d{1,5}(?:(?: ?- ?| )?(?:[A-Za-z](?![\w])|\d{1,4}(?!\d)))?)?"
)

_PARTICLES = frozenset(
    "de den der des het 't te ter ten van von vd v.d. in op aan bij uit la le da di du".split()
)


_DIGIT = re.compile(r"\d").search


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phone_nl(match: re.Match[str]) -> bool:
    digits = _digits(match.group(0))
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


def redact_text(text: str, language: str = "nl") -> str:
    """``text`` with e-mail addresses, phone numbers and postcodes (+ house numbers)
    replaced by ``[e-mail]``, ``[telefoonnummer]`` and ``[adres]`` (or English tokens)."""
    if not text:
        return text
    tokens = _TOKENS.get(language, _TOKENS["en"])
    # Cheap guards first: most comments hold no "@" and many no digit at all.
    if "@" in text:
        text = EMAIL.sub(tokens["email"], text)
    if not _DIGIT(text):
        return text
    if "+" in text or "00" in text:
        text = PHONE_NL_INTL.sub(tokens["phone"], text)
        text = PHONE_INTL.sub(tokens["phone"], text)
    if "0" in text:
        text = PHONE_NL.sub(lambda m: tokens["phone"] if _phone_nl(m) else m.group(0), text)
    text = POSTCODE.sub(tokens["address"], text)
    return text


def initials(name: str) -> str:
    """A name reduced to initials: ``Anne de Vries`` -> ``A.d.V.``; particles stay lower
    case. Contact data in a name goes first, so ``anne@example.nl`` gives no letters."""
    name = EMAIL.sub(" ", name or "")
    name = PHONE_NL_INTL.sub(" ", name)
    name = PHONE_INTL.sub(" ", name)
    out = []
    for word in re.findall(r"[^\W\d_][\w'’.-]*", name, re.UNICODE):
        first = word[0]
        out.append((first.lower() if word.lower() in _PARTICLES else first.upper()) + ".")
    return "".join(out)


class Redactor:
    """Applies (or, with ``include_personal_data``, skips) redaction consistently."""

    def __init__(self, *, include_personal_data: bool = False, language: str = "nl") -> None:
        self.include_personal_data = include_personal_data
        self.language = language

    def text(self, value: str | None) -> str:
        """Free text (a body, a note) with contact data removed."""
        if value is None:
            return ""
        return value if self.include_personal_data else redact_text(value, self.language)

    def name(self, value: str | None) -> str:
        """An author name, or its initials."""
        if value is None:
            return ""
        return value if self.include_personal_data else initials(value)

    def personal(self, value: str | None) -> str | None:
        """A value that is only personal data (author key, author url): kept or dropped."""
        return value if self.include_personal_data else None
