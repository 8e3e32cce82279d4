"""Personal data out of reports: e-mail addresses, phone numbers, postcodes, names.

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
* a Dutch postcode with its house number (``1234 AB 56``, ``1234ab 56-2``) or alone, in
  upper or lower case, with or without the space;
* author names become initials (``Anne de Vries`` -> ``A.d.V.``), in the author field and
  wherever the text, a note, a title, a reason or a link writes the full name of an author
  the response may name (its own, the one it replies to, another of its thread: the
  store's :class:`~reactieveld.store.values.RecordContext` ``names``), in any case, with or
  without diacritics, its words joined by spaces, dots, dashes or nothing
  (``In reply to: ANNE DE VRIES``, ``/t/anne.de.vries-...``);
* links (a response's, its thread's): the above in each part, percent decoded, plus the
  whole value of a query key that names a person (``?email=``, ``naam=``, ``tel=``) and
  the segment after a profile segment (``/user/anne/``) as ``[persoon]``; a ``mailto:``
  link keeps nothing.

False positives we accept (the safe side): a run of ten digits starting with one 0
(``0123456789``, a zero-padded number), any ``00``/``+`` followed by 7-15 digits, a
four-digit number followed by a two-letter word that is not on the stop list below
(``1990 xy``), ``word at word.tld`` in English prose, a Discourse mention with a dot
(``hi @jan.devries``). Dates (``01-03-2026``, ``2026-03-01``), years, times, amounts
(``€1.234,56``) and ids like ``Z/21/123456`` are left alone (tests/test_redact.py).

False negatives we know of: a postcode in lower case whose letters are a common two-letter
word or unit (``1234 en``, ``1234 km``: :data:`POSTCODE_WORDS`); a phone number written
exactly like a date followed by digits (``06-12-1999 12``); the trunk 0 written apart from
the area code (``0 6 1234 5678``); a name of someone who did not write in the response's
thread, a first or last name alone, a name written last name first (``Vries, Anne de``), a
one-word name shorter than four letters, a name written with HTML entities. A datum split
by an HTML tag (``06-<b>12345678</b>``) is caught: the raw body then falls back to its
redacted plain text.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from reactieveld.i18n import LANGUAGES
from reactieveld.i18n import text as ui_text
from reactieveld.rule_text import fold

#: What takes the place of each kind of personal datum (``redact.*`` in the UI text table).
_KINDS = ("email", "phone", "address", "person")


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
    """``text`` with e-mail addresses, phone numbers and postcodes (+ house numbers)
    replaced by ``[e-mail]``, ``[telefoonnummer]`` and ``[adres]`` (or English tokens)."""
    if not text:
        return text
    tokens = _tokens(language)
    # Cheap guards first: most comments hold no at sign (in any form), many no digit.
    if _EMAIL_HINT(text):
        text = EMAIL.sub(tokens["email"], text)
    if not _DIGIT(text):
        return text
    text = _between_dates(text, lambda part: _phones(part, tokens["phone"]))
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


def _html_text(piece: str, language: str) -> str:
    plain = html.unescape(piece)
    out = redact_text(plain, language)
    return piece if out == plain else html.escape(out, quote=False)


def _html_value(value: str, language: str) -> str:
    quote = value[0] if value[:1] in "\"'" else ""
    inner = value[1:-1] if quote else value
    plain = html.unescape(inner)
    plain = unquote(plain) if "%" in plain else plain  # mailto:anne%40example.nl
    out = redact_text(plain, language)
    return value if out == plain else '"' + html.escape(out, quote=True) + '"'


def _html_plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def redact_html(markup: str, language: str = "nl") -> str:
    """HTML (a body_raw) with the personal data in its text and in its attribute values
    (``href="mailto:..."``, ``title``) redacted; entities (``&#64;``) are read first. Tags
    stay. If a datum is split by a tag (``06-<b>12345678</b>``), the markup goes and the
    redacted plain text (escaped) is returned instead: the safe side."""
    if not markup:
        return markup
    out: list[str] = []
    pos = 0
    for tag in _TAG.finditer(markup):
        out.append(_html_text(markup[pos : tag.start()], language))
        out.append(_ATTRIBUTE.sub(lambda a: a[1] + _html_value(a[2], language), tag[0]))
        pos = tag.end()
    out.append(_html_text(markup[pos:], language))
    result = "".join(out)
    # Still a datum in the text a reader sees (split by a tag), or anywhere in the markup
    # (a tag the attribute pass does not understand): the redacted plain text instead.
    for check in (_html_plain(result), html.unescape(result)):
        if redact_text(check, language) != check:
            return html.escape(redact_text(_html_plain(markup), language), quote=False)
    return result


def _redact_json(value: Any, language: str) -> Any:
    if isinstance(value, str):
        return redact_html(value, language)
    if isinstance(value, list):
        return [_redact_json(v, language) for v in value]
    if isinstance(value, dict):
        return {k: _redact_json(v, language) for k, v in value.items()}
    return value


def redact_raw(raw: str, body_format: str, language: str = "nl") -> str:
    """A body as the platform sent it (``body_raw``) redacted in its own format: HTML and
    Markdown (which may hold HTML) through :func:`redact_html`, JSON (Go Vocal's locales)
    value by value, plain text through :func:`redact_text`."""
    if not raw:
        return raw
    if body_format == "json":
        try:
            data = json.loads(raw)
        except ValueError:
            return redact_html(raw, language)
        out = _redact_json(data, language)
        return raw if out == data else json.dumps(out, ensure_ascii=False)
    if body_format in ("html", "markdown"):
        return redact_html(raw, language)
    return redact_text(raw, language)


_ANY_TOKEN = re.compile(
    "|".join(re.escape(t) for lang in LANGUAGES for t in _tokens(lang).values())
)


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


@functools.lru_cache(maxsize=256)  # one set per thread; a report walks a thread's rows
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the full names ``names`` on folded text (case and diacritics
    apart), their words joined by any non-letters or none (``Anne de Vries``,
    ``anne.de.vries``, ``ANNE_DE_VRIES``)."""
    found = set()
    for name in names:
        words = [fold(w.strip("'’.-"))[0] for w in _name_words(name)]
        words = [w for w in words if w]
        # One short word is too often an ordinary word ("Jo", "Ed"): full names only.
        if len(words) >= 2 or (words and len(words[0]) >= 4):
            found.add(r"[\W_]*".join(map(re.escape, words)))
    if not found:
        return None
    alternatives = sorted(found, key=len, reverse=True)  # the longest name first
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def redact_names(text: str, names: tuple[str, ...]) -> str:
    """``text`` with each of the full ``names`` (the authors a response names: its own,
    the one it replies to, the others in its thread) replaced by its initials, however
    it is written: any case, with or without diacritics, its words joined by spaces,
    dots, dashes or nothing. A name not among ``names`` stays (no list of every name
    there is): the known false negative."""
    if not text or not names:
        return text
    pattern = _names_pattern(names)
    if pattern is None:
        return text
    folded, where = fold(text)
    out, pos = [], 0
    for m in pattern.finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if start < pos:
            continue
        words = " ".join(re.split(r"[\W_]+", text[start:end]))  # "anne.de.vries" too
        out += [text[pos:start], initials(words) or "?"]
        pos = end
    return "".join([*out, text[pos:]]) if out else text


#: Query keys and path segments before which a url holds a person: their values go whole.
_PERSONAL_KEYS = frozenset(
    "email e-mail mail name naam user username gebruiker phone tel telefoon mobile "
    "postcode zip address adres author auteur".split()
)
_PROFILE_SEGMENTS = frozenset(
    "user users u profile profiles author members member gebruiker gebruikers people".split()
)


def redact_url(url: str, names: tuple[str, ...] = (), language: str = "nl") -> str:
    """A link with the personal data in its path, query and fragment replaced (percent
    decoded first: ``?email=anne%40example.nl``): contact data, the ``names``, a whole
    query value under a personal key (``email=``, ``naam=``, ``tel=``) and the segment
    after a profile segment (``/user/anne.devries/``); user and password before the host
    go. Scheme and host stay, so the link still leads to the platform; a link that is not
    http(s) (``mailto:``) or that still holds a datum keeps only those, or nothing."""
    token = quote(_tokens(language)["person"])

    def clean(value: str, *, plus: bool = False) -> str:
        # The part as written when it holds nothing personal, else redacted and quoted.
        plain = unquote_plus(value) if plus else unquote(value)
        out = redact_names(redact_text(plain, language), names)
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


class Redactor:
    """Applies (or, with ``include_personal_data``, skips) redaction consistently.
    ``names``: the full names of the people a record names (its author, the author it
    replies to, the others in its thread), replaced by initials wherever they are
    written (:meth:`for_names` makes one for a record)."""

    def __init__(
        self,
        *,
        include_personal_data: bool = False,
        language: str = "nl",
        names: tuple[str, ...] = (),
    ) -> None:
        self.include_personal_data = include_personal_data
        self.language = language
        self.names = names

    def for_names(self, names: tuple[str | None, ...]) -> Redactor:
        """This redactor, also replacing ``names`` (None and blanks skipped)."""
        if self.include_personal_data:
            return self
        kept = tuple(sorted({n for n in names if n and n.strip()}))
        return Redactor(language=self.language, names=kept)

    def text(self, value: str | None) -> str:
        """Free text (a body, a note) with contact data and the known names removed."""
        if value is None:
            return ""
        if self.include_personal_data:
            return value
        return redact_names(redact_text(value, self.language), self.names)

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
        out = redact_raw(value, body_format, self.language)
        return redact_names(out, self.names)

    def url(self, value: str | None) -> str | None:
        """A link (a response's, a thread's) without the personal data in it
        (:func:`redact_url`); None stays None."""
        if value is None or self.include_personal_data:
            return value
        return redact_url(value, self.names, self.language)

    def name(self, value: str | None) -> str:
        """An author name, or its initials."""
        if value is None:
            return ""
        return value if self.include_personal_data else initials(value)

    def personal(self, value: str | None) -> str | None:
        """A value that is only personal data (author key, author url): kept or dropped."""
        return value if self.include_personal_data else None
