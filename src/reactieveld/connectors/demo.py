"""The demo source: deterministic Dutch responses on the BEL municipalities' participation.

A year of dialogue: citizens, entrepreneurs, council members, aldermen and civil servants
write about one or two of the eight planning questions (or none), a few frequent
commenters post in many threads, and the organisation answers in the threads.
:meth:`DemoConnector.plan` says what each text was written about, so
:mod:`reactieveld.demo_history` can code the older ones as a moderator would.

No network. The same ``count`` and ``seed`` always give the same threads, responses,
authors and times, so snapshots and benchmarks are repeatable; ``count`` goes to
millions (responses are generated page by page, never all at once). A few responses are
hostile on purpose (Rich markup, ANSI and OSC escapes, control characters, bidi
overrides, a 20,000-character word) so every screen is tried against them.

``apply`` plays the platform: every moderation action succeeds and a reply gets a new id.
With ``trickle = N`` each later round adds N fresh responses, to watch live sync work.
"""

from __future__ import annotations

import functools
import math
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from reactieveld.connectors.base import ApplyResult, ConnectorError
from reactieveld.i18n import stored
from reactieveld.model import (
    STATUS_FOR_CAPABILITY,
    Action,
    Capability,
    Page,
    RemoteStatus,
    Response,
    Thread,
    utcnow,
)

#: The newest generated response is this old moment; times go back from here.
ANCHOR = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SPAN = timedelta(days=365)  # a year of dialogue
#: The shape of that year, as a comment field looks: quiet for months, busy since a
#: participation round opened a few weeks ago, busiest in the last days (the backlog).
#: (share of the responses, counted from the newest; how old the oldest of them is).
#: Between two points the responses are spread evenly, so :meth:`DemoConnector.time`
#: is a few float operations for any ``count``.
SHAPE = (
    (0.0, timedelta(0)),
    (0.16, timedelta(days=4)),  # the last days: what the team has not read yet
    (0.60, timedelta(days=30)),  # the round: most of the dialogue is recent
    (1.0, SPAN),  # the quiet months before it
)
PAGE_SIZE = 100
THREAD_SIZE = 40  # responses per thread

TOPICS = (
    ("Nieuw centrumplan Laren", "centrumplan-laren"),
    ("Verkeersveiligheid op de Eemnesserweg", "verkeersveiligheid-eemnesserweg"),
    ("Woningbouw in Blaricum-Bijvanck", "woningbouw-bijvanck"),
    ("Dorpsvisie Eemnes 2040", "dorpsvisie-eemnes-2040"),
    ("Burgerparticipatie beleidsnota BEL-gemeenten", "beleidsnota-burgerparticipatie"),
    ("Omgekeerd inzamelen van afval", "omgekeerd-inzamelen"),
    ("Toekomst van zwembad De Biezem", "zwembad-de-biezem"),
    ("Speelplekken en groen in de wijk", "speelplekken-groen"),
    ("Zes lessen in burgerparticipatie", "zes-lessen-burgerparticipatie"),
    ("Consequenties van dialoog op organisatieniveau", "dialoog-op-organisatieniveau"),
)

FIRST_NAMES = (
    "Anne", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanneke", "Ingrid", "Jasmijn",
    "Karin", "Lars", "Marieke", "Niels", "Olga", "Pieter", "Quirine", "Ruud", "Sven", "Thijs",
    "Ursula", "Vincent", "Wendy", "Youssef", "Zoë", "Fatima", "Mehmet", "Renée", "Joost", "Linda",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "van Dijk", "Kok", "Çelik", "El Amrani",
)  # fmt: skip

# -- the texts -----------------------------------------------------------------------------
# A response is written by a speaker of one role about zero, one or two of the eight
# planning questions (DOMAIN.md), so that a reader can code it: an opening in the
# speaker's voice, a sentence per planning question, an ending. ``{onderwerp}`` is the
# thread's subject. The codes the text was written for are in :meth:`DemoConnector.plan`.

#: Per topic (aligned with TOPICS): how a sentence names it.
SUBJECTS = (
    "het centrumplan", "de Eemnesserweg", "de woningbouw in de Bijvanck", "de dorpsvisie",
    "de beleidsnota", "het omgekeerd inzamelen", "het zwembad", "de speelplekken",
    "burgerparticipatie", "de dialoog met inwoners",
)  # fmt: skip

#: role code -> share of the speakers who are not a frequent commenter or an org reply.
SPEAKER_ROLES = (
    ("burger", 0.66),
    ("ondernemer", 0.14),
    ("raad", 0.09),
    ("ambtenaar", 0.07),
    ("college", 0.04),
)
#: Roles that speak for the organisation (they explain rather than ask).
INSIDE = frozenset({"ambtenaar", "college"})

BUSINESSES = (
    "Bakkerij De Brink", "Fietsenmaker Eemnes", "Boekhandel Laren", "Hotel De Bijvanck",
    "Kapsalon Torenlaan", "Installatiebedrijf Gooi", "Café Het Bonte Paard",
)  # fmt: skip
TOWNS = ("Blaricum", "Eemnes", "Laren")

OPENINGS: Mapping[str, tuple[str, ...]] = {
    "burger": (
        "Ik woon al twintig jaar in Laren en maak me zorgen.",
        "Goed dat de gemeente dit plan met ons deelt.",
        "Wij als buurtvereniging hebben hier al eerder over geschreven.",
        "Dank voor de informatieavond van afgelopen dinsdag.",
        "Namens de ouders van de basisschool wil ik iets toevoegen.",
        "Als bewoner van Eemnes volg ik dit al een tijd.",
        "Eindelijk wordt er naar de inwoners geluisterd.",
        "Blaricum verdient een betere aanpak dan dit.",
        "",
    ),
    "ondernemer": (
        "Als ondernemer in het centrum zie ik vooral kansen.",
        "Namens de winkeliersvereniging van Laren het volgende.",
        "Ik heb een bedrijf aan de Eemnesserweg en merk dit elke dag.",
        "Voor ons als horeca in Blaricum is dit van groot belang.",
        "Als ondernemer denk ik graag mee, maar dan wel op tijd.",
    ),
    "raad": (
        "Als raadslid volg ik deze discussie met belangstelling.",
        "Vanuit de raad wil ik hier graag op reageren.",
        "Onze fractie heeft dit punt in de commissie al eerder aangekaart.",
        "Als volksvertegenwoordiger hoor ik veel inwoners hierover.",
    ),
    "college": (
        "Als wethouder dank ik iedereen voor de reacties tot nu toe.",
        "Namens het college van B&W een korte toelichting.",
        "Het college neemt deze reacties serieus.",
    ),
    "ambtenaar": (
        "Als projectleider bij de gemeente reageer ik graag op deze vragen.",
        "Vanuit het team participatie van de BEL-gemeenten een toelichting.",
        "Als beleidsmedewerker wil ik een paar dingen verduidelijken.",
    ),
}

#: Planning question -> (sentences of someone outside asking, of the organisation explaining).
QUESTION_TEXTS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "1": (
        (
            "Wat is eigenlijk het doel van deze participatie over {onderwerp}: draagvlak "
            "zoeken of samen beslissen?",
            "Mij is niet duidelijk welk doel deze dialoog dient; wilt u ideeën ophalen of "
            "een besluit toelichten?",
            "Laat vooraf weten wat u met deze ronde wilt bereiken, dan weten we waarvoor we "
            "meedenken.",
            "Dialoog is geen doel op zich: wat moet dit gesprek over {onderwerp} opleveren?",
        ),
        (
            "Het doel van deze ronde is om samen met inwoners de uitgangspunten voor "
            "{onderwerp} te bepalen.",
            "We willen met deze dialoog niet alleen informeren, maar ideeën ophalen die echt "
            "in het plan terechtkomen.",
            "Met deze participatie willen we het vertrouwen tussen inwoners en gemeente "
            "versterken.",
        ),
    ),
    "2": (
        (
            "Over de kleur van de bankjes mogen we meepraten, maar over de aantallen niet. "
            "Waarom ligt dat onderwerp buiten de inspraak?",
            "Juist {onderwerp} leent zich bij uitstek voor een gesprek met inwoners.",
            "Niet elk onderwerp hoeft in de inspraak; de verkeersveiligheid is een zaak voor "
            "deskundigen.",
            "Waarom mag er wel over {onderwerp} worden meegedacht en niet over de begroting?",
            "Zeg vooraf welke onderwerpen nog open liggen en welke al vastliggen.",
        ),
        (
            "De financiële kaders liggen vast, de invulling van {onderwerp} ligt nog open.",
            "Over de veiligheid beslissen we op basis van metingen; over de inrichting praten "
            "we graag met u mee.",
            "Niet elk onderwerp leent zich voor inspraak; we geven per onderwerp aan wat er "
            "nog open ligt.",
        ),
    ),
    "3": (
        (
            "Ik krijg de indruk dat het besluit over {onderwerp} al genomen is en dat dit "
            "alleen voor de bühne is.",
            "Meent de gemeente het echt, of is dit een verplicht nummer?",
            "Als de gemeente werkelijk wil luisteren, laat dan zien wat er met eerdere "
            "reacties is gebeurd.",
            "Zit de gemeente hier in om te informeren, te raadplegen of om echt samen te "
            "beslissen?",
        ),
        (
            "We zitten hier niet in om een besluit te verkopen: de keuzes zijn nog niet gemaakt.",
            "We willen oprecht weten wat u van {onderwerp} vindt, ook als dat kritisch is.",
            "Het is onze bedoeling om samen met u tot een plan te komen, niet om achteraf "
            "te informeren.",
        ),
    ),
    "4": (
        (
            "Hoe komt onze inbreng terecht in de vergunningverlening en de begroting, en "
            "niet alleen in een verslag?",
            "Mijn melding via het meldpunt is nooit bij het projectteam van {onderwerp} "
            "aangekomen.",
            "Neem de reacties van inwoners mee in de aanbesteding, niet pas als het contract "
            "getekend is.",
            "In welke stap van het werkproces, van plan tot uitvoering, hebben inwoners nog "
            "invloed?",
        ),
        (
            "Uw reacties komen in het raadsvoorstel en in de opdracht aan de aannemer.",
            "We koppelen meldingen uit het meldpunt voortaan aan dit project, zodat niets "
            "verloren gaat.",
            "In de aanbesteding nemen we een eis op over de inbreng van omwonenden.",
        ),
    ),
    "5": (
        (
            "Een inloopavond op dinsdag om half acht sluit werkende ouders uit; organiseer "
            "ook iets online.",
            "Graag een duidelijke planning: wanneer kunnen we reageren, wanneer hoort u "
            "terug en wanneer besluit de raad?",
            "Zorg dat website, krant en bijeenkomsten op elkaar aansluiten; nu lopen de "
            "kanalen door elkaar.",
            "Kunnen we in kleine groepen aan tafel in plaats van een zaal met één microfoon?",
        ),
        (
            "Na de zomer volgt een tweede ronde, ook online, waarin u op het concept kunt "
            "reageren.",
            "Naast de avond in het dorpshuis organiseren we een inloop op zaterdagochtend.",
            "Reageren kan tot het eind van de maand; daarna hoort u binnen vier weken van ons.",
        ),
    ),
    "6": (
        (
            "Wie beslist hier uiteindelijk over {onderwerp}: de raad, het college of de "
            "ambtenaren?",
            "Het is onduidelijk wie hier namens de gemeente spreekt en wie namens de bewoners.",
            "De buurtvereniging wil een vaste rol als gesprekspartner, niet alleen als toehoorder.",
            "Ondernemers, bewoners en de gemeente hebben ieder een eigen rol; benoem die in "
            "het plan.",
        ),
        (
            "De raad stelt de kaders vast, het college werkt het plan uit en inwoners "
            "denken mee in werkgroepen.",
            "Ambtenaren bereiden voor, maar het besluit over {onderwerp} ligt bij de raad.",
            "We vragen de buurtvereniging om als vaste gesprekspartner aan te schuiven.",
        ),
    ),
    "7": (
        (
            "Welke expertise haalt de gemeente binnen om {onderwerp} goed uit te werken?",
            "Betrek een verkeerskundige al bij de start, niet pas als het ontwerp klaar is.",
            "Er wonen genoeg deskundigen in het dorp: architecten, ecologen, ondernemers. "
            "Maak gebruik van die kennis.",
            "Heeft de gemeente zelf de kennis in huis om alle reacties goed te analyseren?",
        ),
        (
            "We schakelen een verkeerskundig bureau in en een onafhankelijke gespreksleider.",
            "Voor de ecologische toets vragen we de kennis van de plaatselijke natuurvereniging.",
            "We zoeken inwoners met kennis van bouwen en wonen voor de klankbordgroep.",
        ),
    ),
    "8": (
        (
            "De houding van de gemeente moet opener worden: luister eerst, besluit daarna.",
            "Ik mis een antwoord op mijn vorige bericht; een reactie binnen een week zou al "
            "veel schelen.",
            "Complimenten voor de medewerker die de tijd nam om alles rustig uit te leggen.",
            "Spreek ons aan als gelijkwaardige gesprekspartner, niet als lastige inspreker.",
        ),
        (
            "We hadden eerder moeten reageren; dat nemen we ons ter harte.",
            "We willen luisteren voordat we besluiten, en laten zien wat we met uw inbreng doen.",
            "Terecht punt: we beantwoorden voortaan iedere reactie binnen vijf werkdagen.",
        ),
    ),
}
#: Sentences about the subject itself, which answer none of the planning questions.
CONTENT_TEXTS = (
    "Het parkeren in het centrum wordt met dit ontwerp alleen maar lastiger.",
    "De bomen aan de Brink moeten blijven.",
    "Betaalbare woningen voor starters en ouderen zijn hard nodig in het dorp.",
    "Het afval wordt minder vaak opgehaald en dat geeft overlast in de straat.",
    "Het zwembad is belangrijk voor verenigingen, scholen en ouderen.",
    "De verkeersdrukte op de doorgaande weg is nu al te groot voor fietsers.",
    "Op zaterdag staat de hele straat vol met auto's van bezoekers.",
    "Kan er bij de speeltuin een bankje in de schaduw komen?",
)
ENDINGS: Mapping[str, tuple[str, ...]] = {
    "burger": (
        "Ik hoor graag wat er met deze reactie gebeurt.",
        "Graag een reactie van de gemeente.",
        "Wanneer neemt de raad hierover een besluit?",
        "Ik denk graag mee in een werkgroep.",
        "Met vriendelijke groet.",
        "",
    ),
    "ondernemer": (
        "Wij denken graag mee, bel gerust de winkel.",
        "Succes met de verdere uitwerking!",
        "Graag een reactie van de gemeente.",
        "",
    ),
    "raad": (
        "Ik neem dit mee naar de commissievergadering.",
        "Ik hoor graag meer reacties van inwoners.",
        "",
    ),
    "college": ("We komen hier in het raadsvoorstel op terug.", "U hoort binnenkort meer."),
    "ambtenaar": (
        "We houden u via deze pagina op de hoogte.",
        "Vragen kunt u ook mailen aan het team participatie.",
        "",
    ),
}

CONTACTS = (
    "Bel me gerust op 06-12345678.",
    "Mail mij via {email} als er vragen zijn.",
    "Mijn adres is 1251 AB 12, kom gerust langs.",
)

#: Frequent commenters: (first name, last name, role); they post in many threads.
REGULARS = (
    ("Hanneke", "Brouwer", "burger"),
    ("Gijs", "van Leeuwen", "ondernemer"),
    ("Renée", "Dekker", "burger"),
    ("Joost", "Mulder", "raad"),
)
REGULAR_SHARE = 0.14

# Organisation voices: (role code, author, template)
ORG_REPLIES = (
    (
        "ambtenaar",
        "Gemeente BEL – team participatie",
        "Dank voor uw reactie. We nemen uw punt mee in de verdere uitwerking en "
        "laten in het verslag zien wat we ermee hebben gedaan.",
    ),
    (
        "college",
        "Wethouder Ruimtelijke Ordening",
        "Het college herkent deze zorg. In de volgende fase organiseren we een "
        "werksessie waarin inwoners samen met ons de keuzes maken.",
    ),
    (
        "raad",
        # A person who says where she sits, as the other council members sign (_author):
        # "Raadslid Eemnes" was a title and a surname to the report's redaction, so every
        # "van Eemnes" in the demo's report came out as "van E.".
        "raadslid Esther Koster (Eemnes)",
        "Goed punt. Ik neem dit mee naar de commissievergadering van volgende maand.",
    ),
    (
        "ambtenaar",
        "Gemeente BEL – verkeer",
        "Klopt, de verkeerstellingen bevestigen dit. We delen de cijfers binnenkort op de website.",
    ),
)

#: The planning questions each organisation voice above answers (aligned with ORG_REPLIES).
ORG_REPLY_QUESTIONS = (("4",), ("3", "5"), ("6",), ("7",))

HOSTILE = (
    "[bold red]Dit is geen opmaak[/] en [@click=app.quit]dit geen knop[/]",
    "[link=http://evil.example]klik hier[/link] [/] [b]vet? [ bold]nee",
    "Kleuren: \x1b[31mrood\x1b[0m en \x1b[2Jwissen en \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
    "Stuurtekens: \x07 bel \x08 terug \x85 NEL \x9b CSI \x00 nul",
    "Omgekeerd: \u202egnidrow mo\u202c en \u2067isolaat\u2069 klaar",
    "Heel lang woord: " + "a" * 20_000,
    "Z̷̛̪a̵̗͘l̴̰̕g̷̣̈o̶̯͝ tekst en emoji 👩‍👩‍👧‍👦🏳️‍🌈",
    "   \n\t  ",
    "<script>alert('xss')</script><img src=x onerror=alert(1)>",
    ("Heel lange tekst. " * 1200).strip(),
)


QUESTION_CODES = tuple(QUESTION_TEXTS)
T = TypeVar("T")


@dataclass(frozen=True)
class DemoPlan:
    """What a demo response was written about: its planning questions and speaker role."""

    questions: tuple[str, ...]
    role: str
    organisation: bool = False  # a reply by the organisation (the platform records its role)
    regular: bool = False  # a frequent commenter
    hostile: bool = False  # one of the HOSTILE texts


_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


class DemoRandom:
    """A small seeded generator (splitmix64) for one response: ``random.Random(seed)``
    costs about 20 µs to seed, more than the rest of a response together, and the demo
    seeds one per response (so that any response can be made on its own, page by page)."""

    __slots__ = ("_state",)

    def __init__(self, *key: int) -> None:
        state = _GOLDEN
        for k in key:
            self._state = (state ^ k) & _MASK
            state = self._next()
        self._state = state

    def _next(self) -> int:
        self._state = z = (self._state + _GOLDEN) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        """A float in [0, 1)."""
        return (self._next() >> 11) * (1.0 / (1 << 53))

    def randrange(self, start: int, stop: int | None = None) -> int:
        """An int in [0, start) or [start, stop) (a 64-bit modulo's bias is far below
        anything a demo shows)."""
        if stop is None:
            start, stop = 0, start
        return start + self._next() % (stop - start)

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items, in the order drawn."""
        pool = list(items)
        for j in range(k):
            m = j + self.randrange(len(pool) - j)
            pool[j], pool[m] = pool[m], pool[j]
        return pool[:k]

    def gauss(self) -> float:
        """A standard normal draw (Box-Muller)."""
        u = 1.0 - self.random()  # (0, 1]: log(0) never happens
        return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * self.random())


def age_of(share: float) -> timedelta:
    """How long before the anchor the response ``share`` of the way from the newest
    (0) to the oldest (1) arrived: linear between the points of SHAPE, so later
    responses never come earlier."""
    for (s0, a0), (s1, a1) in zip(SHAPE, SHAPE[1:], strict=False):
        if share <= s1:
            return a0 + (a1 - a0) * ((share - s0) / (s1 - s0))
    return SPAN


def _pick_role(x: float) -> str:
    for role, share in SPEAKER_ROLES:
        if x < share:
            return role
        x -= share
    return SPEAKER_ROLES[0][0]


def _author(role: str, first: str, last: str, pick: int) -> str:
    """A name that says who is speaking, as people sign on a municipality's site."""
    name = f"{first} {last}"
    if role == "ondernemer":
        return f"{name} ({BUSINESSES[pick % len(BUSINESSES)]})"
    if role == "raad":
        return f"raadslid {name} ({TOWNS[pick % len(TOWNS)]})"
    if role == "college":
        return f"wethouder {name}"
    if role == "ambtenaar":
        return f"{name}, gemeente BEL"
    return name


def parse_anchor(value: Any) -> datetime:
    """The ``anchor`` option: a date (the newest response at 09:00 UTC that day) or a
    date and time; naive times are UTC. ValueError when it is neither."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, 9, 0)
    elif isinstance(value, str):
        text = value.strip()
        moment = datetime.fromisoformat(text)
        if len(text) == 10:
            moment = moment.replace(hour=9)
    else:
        raise ValueError(f"not a date: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=512)  # names repeat; building an address was a fifth of a response
def _slug(text: str) -> str:
    return "".join(c.lower() if c.isalnum() else "." for c in text).strip(".")


class DemoConnector:
    """A deterministic, network-free source of Dutch participation responses."""

    capabilities = frozenset(Capability)
    unsupported_reasons: Mapping[Capability, str] = {}

    def __init__(
        self,
        name: str = "demo",
        *,
        count: int = 500,
        seed: int = 1,
        trickle: int = 0,
        page_size: int = PAGE_SIZE,
        anchor: datetime = ANCHOR,
    ) -> None:
        if count < 0:
            raise ValueError("count must be >= 0")
        self.name = name
        self.count = count
        self.seed = seed
        self.trickle = trickle
        self.page_size = page_size
        self.anchor = anchor
        self.replies_sent = 0
        self.applied: list[Action] = []

    @classmethod
    def from_config(cls, cfg: Any, **_: Any) -> DemoConnector:
        """Build from a ``[[sources]] type = "demo"`` entry (count, seed, trickle, anchor)."""
        opts = dict(cfg.options)
        anchor = opts.get("anchor")
        return cls(
            cfg.name,
            count=int(opts.get("count", 500)),
            seed=int(opts.get("seed", 1)),
            trickle=int(opts.get("trickle", 0)),
            anchor=ANCHOR if anchor is None else parse_anchor(anchor),
        )

    # -- generation -------------------------------------------------------------------
    @property
    def thread_count(self) -> int:
        return max(1, -(-self.count // THREAD_SIZE))

    def thread(self, t: int) -> Thread:
        """Thread ``t``: a post on one of the BEL municipalities' participation topics."""
        title, slug = TOPICS[t % len(TOPICS)]
        part = t // len(TOPICS)
        if part:
            title = f"{title} (deel {part + 1})"
            slug = f"{slug}-{part + 1}"
        start = self.time(t * THREAD_SIZE) - timedelta(hours=2)
        return Thread(
            source=self.name,
            external_id=f"t{t}",
            title=title,
            url=f"https://participatie.bel-gemeenten.example/{slug}",
            created_at=start,
        )

    def time(self, i: int) -> datetime:
        """When response ``i`` (of the first ``count``) arrived: over SPAN, shaped by
        SHAPE (newer responses closer together); the newest at the anchor."""
        return self.anchor - age_of((self.count - 1 - i) / max(self.count, 1))

    def response(self, i: int) -> Response:
        """Response number ``i`` (0 is the oldest), the same for the same seed."""
        return self.response_and_plan(i)[0]

    def plan(self, i: int) -> DemoPlan:
        """What response ``i`` was written to be about: how a careful moderator codes it."""
        return self.response_and_plan(i)[1]

    def response_and_plan(self, i: int) -> tuple[Response, DemoPlan]:
        rng = DemoRandom(self.seed, i)
        t = i // THREAD_SIZE
        first_in_thread = t * THREAD_SIZE
        created = self.time(i) if i < self.count else self.anchor
        parent: str | None = None
        role_hint: str | None = None
        email: str | None = None
        roll = rng.random()
        hostile = i % 50 == 7
        if i > first_in_thread and roll < 0.12 and not hostile:
            # The organisation answers one of the last few responses (a day or two later).
            k = rng.randrange(len(ORG_REPLIES))
            role_hint, author, body = ORG_REPLIES[k]
            parent = f"c{max(first_in_thread, i - 1 - rng.randrange(3))}"
            plan = DemoPlan(ORG_REPLY_QUESTIONS[k], role_hint, organisation=True)
        else:
            regular = rng.random() < REGULAR_SHARE
            if regular:
                k = rng.randrange(len(REGULARS))
                first, last, role = REGULARS[k]
                author = _author(role, first, last, k)  # signs the same way every time
            else:
                first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
                last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
                role = _pick_role(rng.random())
                author = _author(role, first, last, rng.randrange(1 << 16))
            email = f"{_slug(first)}.{_slug(last)}@voorbeeld.nl"
            subject = SUBJECTS[t % len(SUBJECTS)]
            q = rng.random()
            n_questions = 0 if q < 0.15 else 1 if q < 0.78 else 2
            questions = tuple(sorted(rng.sample(QUESTION_CODES, n_questions), key=int))
            voice = 1 if role in INSIDE else 0
            parts = [OPENINGS[role][rng.randrange(len(OPENINGS[role]))]]
            if not questions or rng.random() < 0.3:
                parts.append(CONTENT_TEXTS[rng.randrange(len(CONTENT_TEXTS))])
            for code in questions:
                texts = QUESTION_TEXTS[code][voice]
                parts.append(texts[rng.randrange(len(texts))].format(onderwerp=subject))
            if role not in INSIDE and rng.random() < 0.06:
                parts.append(CONTACTS[rng.randrange(len(CONTACTS))].format(email=email))
            parts.append(ENDINGS[role][rng.randrange(len(ENDINGS[role]))])
            body = " ".join(p for p in parts if p)
            body = body[0].upper() + body[1:]
            if i > first_in_thread and roll < 0.35:
                parent = f"c{rng.randrange(first_in_thread, i)}"
            plan = DemoPlan(questions, role, regular=regular)
            # One in fifty is hostile; every 500 responses have each hostile text once.
            if hostile:
                body = HOSTILE[(i // 50) % len(HOSTILE)]
                plan = DemoPlan((), role, hostile=True)
        s = rng.random()
        status = (
            RemoteStatus.APPROVED
            if s < 0.70
            else RemoteStatus.HOLD
            if s < 0.92
            else RemoteStatus.SPAM
            if s < 0.98
            else RemoteStatus.TRASH
        )
        thread = self.thread(t) if t < self.thread_count else self.thread(t % self.thread_count)
        response = Response(
            source=self.name,
            external_id=f"c{i}",
            thread_external_id=thread.external_id,
            parent_external_id=parent,
            author_name=author,
            author_email=email,
            body_text=body,
            body_raw=body,
            body_format="text",
            created_at=created,
            remote_status=status,
            url=f"{thread.url}#reactie-{i}",
            role_hint=role_hint,
        )
        return response, plan

    def responses(self, start: int, stop: int) -> Iterator[Response]:
        """Responses ``start`` .. ``stop - 1``."""
        for i in range(start, stop):
            yield self.response(i)

    # -- the connector protocol -------------------------------------------------------
    async def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """Pages of generated responses after ``cursor`` (the next index, as text).

        After the first ``count`` responses, each round adds ``trickle`` new ones dated now.
        """
        try:
            start = int(cursor) if cursor else 0
        except ValueError as exc:
            raise ConnectorError(
                self.name, stored("conn.demo.cursor", cursor=repr(cursor))
            ) from exc
        stop = max(self.count, start + self.trickle) if start >= self.count else self.count
        if start >= stop:
            yield Page(next_cursor=str(start), done=True)
            return
        seen_threads: set[int] = set()
        for lo in range(start, stop, self.page_size):
            hi = min(lo + self.page_size, stop)
            rows = []
            for i in range(lo, hi):
                r = self.response(i)
                if i >= self.count:
                    r = _with_time(r, utcnow())
                rows.append(r)
            threads = []
            for t in sorted({int(r.thread_external_id[1:]) for r in rows if r.thread_external_id}):
                if t not in seen_threads:
                    seen_threads.add(t)
                    threads.append(self.thread(t))
            yield Page(responses=rows, threads=threads, next_cursor=str(hi), done=hi >= stop)

    async def apply(self, action: Action) -> ApplyResult:
        """Play the platform: moderation succeeds, a reply gets a new id."""
        self.applied.append(action)
        if action.capability is Capability.REPLY:
            self.replies_sent += 1
            return ApplyResult(
                remote_status=RemoteStatus.APPROVED,
                external_id=f"reply-{action.external_id}-{self.replies_sent}",
            )
        return ApplyResult(remote_status=STATUS_FOR_CAPABILITY[action.capability])

    async def aclose(self) -> None:
        """Nothing to release."""


def _with_time(r: Response, when: datetime) -> Response:
    from dataclasses import replace

    return replace(r, created_at=when)
