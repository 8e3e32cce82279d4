"""The demo source: deterministic Dutch responses on the BEL municipalities' participation.

No network. The same ``count`` and ``seed`` always give the same threads, responses,
authors and times, so snapshots and benchmarks are repeatable; ``count`` goes to
millions (responses are generated page by page, never all at once). A few responses are
hostile on purpose (Rich markup, ANSI and OSC escapes, control characters, bidi
overrides, a 20,000-character word) so every screen is tried against them.

``apply`` plays the platform: every moderation action succeeds and a reply gets a new id.
With ``trickle = N`` each later round adds N fresh responses, to watch live sync work.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from reactieveld.connectors.base import ApplyResult, ConnectorError
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
SPAN = timedelta(days=90)
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
    "Anne", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanneke", "Ingrid", "Jeroen",
    "Karin", "Lars", "Marieke", "Niels", "Olga", "Pieter", "Quirine", "Ruud", "Sanne", "Thijs",
    "Ursula", "Vincent", "Wendy", "Youssef", "Zoë", "Fatima", "Mehmet", "Renée", "Joost", "Linda",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "van Dijk", "Kok", "Çelik", "El Amrani",
)  # fmt: skip

OPENINGS = (
    "Goed dat de gemeente dit plan met ons deelt.",
    "Ik woon al twintig jaar in Laren en maak me zorgen.",
    "Als ondernemer in het centrum zie ik vooral kansen.",
    "Waarom worden de bewoners pas zo laat betrokken?",
    "Mooi initiatief, maar de planning is erg krap.",
    "Wij als buurtvereniging hebben hier al eerder over geschreven.",
    "Dank voor de informatieavond van afgelopen dinsdag.",
    "Het is mij niet duidelijk wat er met onze inbreng gebeurt.",
    "Eindelijk wordt er naar de inwoners van Eemnes geluisterd.",
    "Ik mis in dit voorstel de stem van jongeren.",
    "Blaricum verdient een betere oplossing dan dit.",
    "Namens de ouders van de basisschool wil ik iets toevoegen.",
)
MIDDLES = (
    "De verkeersdrukte op de doorgaande weg is nu al te groot voor fietsers.",
    "Er is te weinig groen over in het plan en de bomen aan de Brink moeten blijven.",
    "Betaalbare woningen voor starters en ouderen zijn hard nodig in het dorp.",
    "Het parkeren in het centrum wordt met dit ontwerp alleen maar lastiger.",
    "De inspraakavond was goed bedoeld, maar het voelde niet als een echte dialoog.",
    "Kunnen de raad en het college uitleggen welke doelen deze participatie dient?",
    "Welke expertise haalt de gemeente binnen om dit proces goed te ontwerpen?",
    "De ambtenaren reageren snel, dat waardeer ik echt.",
    "Het afval wordt nu minder vaak opgehaald en dat geeft overlast in de straat.",
    "Het zwembad is belangrijk voor verenigingen, scholen en ouderen.",
    "Laat de inwoners meedenken in de bedrijfsprocessen, niet alleen achteraf.",
    "De houding van de gemeente moet opener worden: luister eerst, besluit daarna.",
    "Zorg dat de kanalen op elkaar aansluiten: website, krant en bijeenkomsten.",
    "Ik hoop dat mijn reactie wordt meegenomen in het geheugen van de organisatie.",
)
ENDINGS = (
    "Ik hoor graag wat er met deze reactie gebeurt.",
    "Succes met de verdere uitwerking!",
    "Graag een reactie van de gemeente.",
    "Wanneer neemt de raad hierover een besluit?",
    "Ik denk graag mee in een werkgroep.",
    "Met vriendelijke groet.",
    "",
)
CONTACTS = (
    "Bel me gerust op 06-12345678.",
    "Mail mij via {email} als er vragen zijn.",
    "Mijn adres is 1251 AB 12, kom gerust langs.",
)

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
        "Raadslid Eemnes",
        "Goed punt. Ik neem dit mee naar de commissievergadering van volgende maand.",
    ),
    (
        "ambtenaar",
        "Gemeente BEL – verkeer",
        "Klopt, de verkeerstellingen bevestigen dit. We delen de cijfers binnenkort op de website.",
    ),
)

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
        """Build from a ``[[sources]] type = "demo"`` entry (count, seed, trickle)."""
        opts = dict(cfg.options)
        return cls(
            cfg.name,
            count=int(opts.get("count", 500)),
            seed=int(opts.get("seed", 1)),
            trickle=int(opts.get("trickle", 0)),
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
        start = self._time(t * THREAD_SIZE) - timedelta(hours=2)
        return Thread(
            source=self.name,
            external_id=f"t{t}",
            title=title,
            url=f"https://participatie.bel-gemeenten.example/{slug}",
            created_at=start,
        )

    def _time(self, i: int) -> datetime:
        step = SPAN / max(self.count, 1)
        return self.anchor - step * (self.count - 1 - i)

    def response(self, i: int) -> Response:
        """Response number ``i`` (0 is the oldest), the same for the same seed."""
        rng = random.Random(self.seed * 1_000_003 + i)
        t = i // THREAD_SIZE
        first_in_thread = t * THREAD_SIZE
        created = self._time(i) if i < self.count else self.anchor
        parent: str | None = None
        role_hint: str | None = None
        email: str | None = None
        roll = rng.random()
        if i > first_in_thread and roll < 0.12:
            role_hint, author, body = ORG_REPLIES[rng.randrange(len(ORG_REPLIES))]
            parent = f"c{rng.randrange(first_in_thread, i)}"
        else:
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            author = f"{first} {last}"
            email = f"{_slug(first)}.{_slug(last)}@voorbeeld.nl"
            parts = [
                OPENINGS[rng.randrange(len(OPENINGS))],
                MIDDLES[rng.randrange(len(MIDDLES))],
            ]
            if rng.random() < 0.4:
                parts.append(MIDDLES[rng.randrange(len(MIDDLES))])
            if rng.random() < 0.06:
                parts.append(CONTACTS[rng.randrange(len(CONTACTS))].format(email=email))
            parts.append(ENDINGS[rng.randrange(len(ENDINGS))])
            body = " ".join(p for p in parts if p)
            if i > first_in_thread and roll < 0.35:
                parent = f"c{rng.randrange(first_in_thread, i)}"
            # One in fifty is hostile; every 500 responses have each hostile text once.
            if i % 50 == 7:
                body = HOSTILE[(i // 50) % len(HOSTILE)]
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
        return Response(
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
            raise ConnectorError(self.name, f"bad demo cursor {cursor!r}") from exc
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
