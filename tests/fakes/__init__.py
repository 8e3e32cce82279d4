"""Local fake servers (127.0.0.1 only) that speak the portals' own JSON shapes.

``python tests/fakes discourse|decidim|govocal [--port N]`` runs one for a manual demo.

Each portal has one ``[[sources]]`` block (with the environment variables that hold its
secrets) and one little Dutch seed, here, for the tests and the manual demo alike.
"""

import contextlib
from collections.abc import Iterator
from typing import Any


def discourse_source(forum: Any) -> tuple[str, dict[str, str]]:
    """The ``[[sources]]`` block of a running Discourse fake named forum, and its secret's
    environment variable: secrets only ever by reference, as in a real configuration."""
    return (
        f"""
[[sources]]
name = "forum"
type = "discourse"
url = "{forum.url}"
api_username = "{forum.api_username}"
api_key_env = "RV_FORUM_KEY"
""",
        {"RV_FORUM_KEY": forum.api_key},
    )


@contextlib.contextmanager
def running_forum(monkeypatch: Any) -> Iterator[Any]:
    """A Discourse fake with its fixture's posts, serving on 127.0.0.1, its key in the
    environment variable that :func:`discourse_source` names; stopped after."""
    from fakes.discourse import FakeDiscourse

    fake = FakeDiscourse()
    fake.load_fixture()
    fake.start()
    monkeypatch.setenv("RV_FORUM_KEY", fake.api_key)
    try:
        yield fake
    finally:
        fake.stop()


def decidim_source(decidim: Any) -> tuple[str, dict[str, str]]:
    """The ``[[sources]]`` block of a running Decidim fake named portaal, and its secrets'
    environment variables."""
    return (
        f"""
[[sources]]
name = "portaal"
type = "decidim"
url = "{decidim.url}"
api_key_env = "RV_DECIDIM_KEY"
api_secret_env = "RV_DECIDIM_SECRET"
""",
        {"RV_DECIDIM_KEY": decidim.api_key, "RV_DECIDIM_SECRET": decidim.api_secret},
    )


def govocal_source(govocal: Any) -> tuple[str, dict[str, str]]:
    """The ``[[sources]]`` block of a running Go Vocal fake named participatie, and its
    secrets' environment variables."""
    return (
        f"""
[[sources]]
name = "participatie"
type = "govocal"
url = "{govocal.url}"
client_id_env = "RV_GOVOCAL_ID"
client_secret_env = "RV_GOVOCAL_SECRET"
locale = "nl-NL"
""",
        {"RV_GOVOCAL_ID": govocal.client_id, "RV_GOVOCAL_SECRET": govocal.client_secret},
    )


def portal_sources(forum: Any, decidim: Any, govocal: Any) -> tuple[str, dict[str, str]]:
    """The ``[[sources]]`` blocks of a running Discourse, Decidim and Go Vocal fake
    (named forum, portaal and participatie), and the environment variables that hold
    their secrets."""
    toml, env = "", {}
    for block, secrets in (
        discourse_source(forum),
        decidim_source(decidim),
        govocal_source(govocal),
    ):
        toml += block
        env.update(secrets)
    return toml, env


def seed_discourse(forum: Any) -> dict[str, Any]:
    """The fixture's posts and a topic about parking: two posts and one awaiting review.
    Returns the first post and the queued one's id."""
    forum.load_fixture()
    topic = forum.add_topic("Parkeren in het centrum", "parkeren-centrum")
    first = forum.add_post(topic, "Er is te weinig plek voor fietsen bij de supermarkt.")
    forum.add_post(topic, "Eens! En de stoepen staan vol.", reply_to_post_number=1)
    queued = forum.queue_post(topic, "Mijn eerste bericht: kan de markt op zaterdag blijven?")
    return {"first": first, "queued": queued}


def seed_decidim(decidim: Any) -> Any:
    """A proposal with a comment and a reply, a debate with a comment; returns the id of
    the proposal's first comment."""
    space = decidim.add_space("Omgevingsvisie", "omgevingsvisie")
    proposals = decidim.add_component(space, "Proposals")
    item = decidim.add_item(proposals, "Meer groen in de Dorpsstraat")
    top = decidim.add_comment(proposals, item, "Graag bomen in plaats van parkeerplaatsen.")
    decidim.add_comment(proposals, item, "Namens de dorpsraad: eens.", author="2", parent=top)
    debates = decidim.add_component(space, "Debates")
    debate = decidim.add_item(debates, "Waar moet de skatebaan komen?")
    decidim.add_comment(debates, debate, "Bij het sportpark, niet bij de school.")
    return top


def seed_govocal(govocal: Any) -> Any:
    """An idea with a citizen's comment and an official's answer; returns the id of the
    citizen's comment."""
    project = govocal.add_project({"nl-NL": "Centrum", "en": "Centre"})
    idea = govocal.add_idea(project, {"nl-NL": "Meer bankjes op de Brink"})
    anna = govocal.add_user("Anna", "de Vries", "anna@example.org")
    ben = govocal.add_user("Ben", "Ambtenaar", "ben@example.org", roles=[{"type": "admin"}])
    comment = govocal.add_comment(
        idea, anna, {"nl-NL": "<p>Ja, graag!</p>"}, "2024-03-01T10:00:00.000Z"
    )
    govocal.add_comment(
        idea,
        ben,
        {"nl-NL": "<p>Dank, we nemen het mee.</p>"},
        "2024-03-02T09:00:00.000Z",
        parent_id=comment,
    )
    return comment
