"""Local fake servers (127.0.0.1 only) that speak the portals' own JSON shapes.

``python tests/fakes discourse|decidim|govocal [--port N]`` runs one for a manual demo.
"""

from typing import Any


def portal_sources(forum: Any, decidim: Any, govocal: Any) -> tuple[str, dict[str, str]]:
    """The ``[[sources]]`` blocks of a running Discourse, Decidim and Go Vocal fake
    (named forum, portaal and participatie), and the environment variables that hold
    their secrets: secrets only ever by reference, as in a real configuration."""
    env = {
        "RV_FORUM_KEY": forum.api_key,
        "RV_DECIDIM_KEY": decidim.api_key,
        "RV_DECIDIM_SECRET": decidim.api_secret,
        "RV_GOVOCAL_ID": govocal.client_id,
        "RV_GOVOCAL_SECRET": govocal.client_secret,
    }
    toml = f"""
[[sources]]
name = "forum"
type = "discourse"
url = "{forum.url}"
api_username = "{forum.api_username}"
api_key_env = "RV_FORUM_KEY"

[[sources]]
name = "portaal"
type = "decidim"
url = "{decidim.url}"
api_key_env = "RV_DECIDIM_KEY"
api_secret_env = "RV_DECIDIM_SECRET"

[[sources]]
name = "participatie"
type = "govocal"
url = "{govocal.url}"
client_id_env = "RV_GOVOCAL_ID"
client_secret_env = "RV_GOVOCAL_SECRET"
locale = "nl-NL"
"""
    return toml, env
