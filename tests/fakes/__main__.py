"""Run one fake portal with a little Dutch demo data, for a manual demo.

    python tests/fakes discourse [--port 8081]
    python tests/fakes decidim   [--port 8082]
    python tests/fakes govocal   [--port 8083]

Binds 127.0.0.1 only. Prints the config block (and the environment variables) to use;
Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fakes.decidim import FakeDecidim  # noqa: E402
from fakes.discourse import FakeDiscourse  # noqa: E402
from fakes.govocal import FakeGoVocal  # noqa: E402


def _discourse(port: int) -> tuple[object, str]:
    fake = FakeDiscourse()
    fake.load_fixture()
    topic = fake.add_topic("Parkeren in het centrum", "parkeren-centrum")
    post = fake.add_post(topic, "Er is te weinig plek voor fietsen bij de supermarkt.")
    fake.add_post(topic, "Eens! En de stoepen staan vol.", reply_to_post_number=1)
    fake.queue_post(topic, "Mijn eerste bericht: kan de markt op zaterdag blijven?")
    fake.flag_post(post["id"])
    url = fake.start(port)
    return fake, (
        f'[[sources]]\nname = "forum"\ntype = "discourse"\nurl = "{url}"\n'
        f'api_username = "{fake.api_username}"\napi_key_env = "FORUM_API_KEY"\n\n'
        f"export FORUM_API_KEY={fake.api_key}"
    )


def _decidim(port: int) -> tuple[object, str]:
    fake = FakeDecidim()
    space = fake.add_space("Omgevingsvisie Eemnes", "omgevingsvisie")
    comp = fake.add_component(space, "Proposals")
    item = fake.add_item(comp, "Meer groen in de Dorpsstraat")
    top = fake.add_comment(comp, item, "Graag bomen in plaats van parkeerplaatsen.")
    fake.add_comment(comp, item, "Namens de dorpsraad: eens.", author="2", parent=top)
    debates = fake.add_component(space, "Debates")
    debate = fake.add_item(debates, "Waar moet de skatebaan komen?")
    fake.add_comment(debates, debate, "Bij het sportpark, niet bij de school.")
    url = fake.start(port)
    return fake, (
        f'[[sources]]\nname = "portaal"\ntype = "decidim"\nurl = "{url}"\n'
        'api_key_env = "DECIDIM_KEY"\napi_secret_env = "DECIDIM_SECRET"\n\n'
        f"export DECIDIM_KEY={fake.api_key} DECIDIM_SECRET={fake.api_secret}"
    )


def _govocal(port: int) -> tuple[object, str]:
    fake = FakeGoVocal()
    project = fake.add_project({"nl-NL": "Centrum Laren", "en": "Laren centre"})
    idea = fake.add_idea(project, {"nl-NL": "Meer bankjes op de Brink"})
    anna = fake.add_user("Anna", "de Vries", "anna@example.org")
    ben = fake.add_user("Ben", "Ambtenaar", "ben@example.org", roles=[{"type": "admin"}])
    first = fake.add_comment(idea, anna, {"nl-NL": "<p>Ja, graag!</p>"}, "2024-03-01T10:00:00Z")
    fake.add_comment(
        idea,
        ben,
        {"nl-NL": "<p>Dank, we nemen het mee.</p>"},
        "2024-03-02T09:00:00Z",
        parent_id=first,
    )
    url = fake.start(port)
    return fake, (
        f'[[sources]]\nname = "participatie"\ntype = "govocal"\nurl = "{url}"\n'
        'client_id_env = "GOVOCAL_ID"\nclient_secret_env = "GOVOCAL_SECRET"\n'
        'locale = "nl-NL"\n\n'
        f"export GOVOCAL_ID={fake.client_id} GOVOCAL_SECRET={fake.client_secret}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python tests/fakes")
    parser.add_argument("kind", choices=("discourse", "decidim", "govocal"))
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    fake, hint = {"discourse": _discourse, "decidim": _decidim, "govocal": _govocal}[args.kind](
        args.port
    )
    print(hint, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
