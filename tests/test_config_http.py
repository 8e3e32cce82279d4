"""Plain http:// to another machine is refused at config load unless ``allow_http = true``.

A WordPress application password, an API key or a webhook's personal data would cross the
network unencrypted. Loopback (127.0.0.0/8, ::1, localhost) stays allowed for tests and
local set-ups. Hosts, ports, IPv6, scheme case and userinfo are generated.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.config import ConfigError, is_loopback_host, load_config

WHY = (
    "credentials and personal data would cross the network unencrypted; "
    "use https:// or set allow_http = true"
)

labels = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
remote_names = (
    st.lists(labels, min_size=2, max_size=3)
    .map(".".join)
    .filter(lambda h: h != "localhost" and not h.endswith(".localhost"))
)
remote_v4 = (
    st.tuples(*[st.integers(0, 255)] * 4)
    .filter(lambda t: t[0] != 127)
    .map(lambda t: ".".join(map(str, t)))
)
remote_v6 = st.sampled_from(["[2001:db8::1]", "[fe80::1]", "[::ffff:10.0.0.1]", "[2a00:1450::5]"])
loop_hosts = st.one_of(
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda t: "127." + ".".join(map(str, t))
    ),
    st.sampled_from(["localhost", "LOCALHOST", "[::1]", "[::ffff:127.0.0.1]", "app.localhost"]),
)
schemes = st.sampled_from(["http", "HTTP", "Http", "hTtP"])
ports = st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}"))
userinfo = st.sampled_from(["", "user@", "user:pass@", "admin:abc%20def@"])
paths = st.sampled_from(["", "/", "/wp", "/forum/", "/hook?x=1"])
remote_hosts = st.one_of(remote_names, remote_v4, remote_v6)
#: A plain http:// URL to another machine (scheme case, userinfo, port and path varied),
#: with the host as written in it: (url, host).
plain_remote = st.tuples(schemes, userinfo, remote_hosts, ports, paths).map(
    lambda t: ("{}://{}{}{}{}".format(*t), t[2])
)

SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


def source(url: str, extra: str = "") -> str:
    return f"""\
        [[sources]]
        name = "blog"
        type = "wordpress"
        url = "{url}"  # <-
        username = "moderator"
        password_env = "WP_PASS"
        {extra}
        """


def webhook(url: str, extra: str = "") -> str:
    return f"""\
        [[sinks]]
        type = "webhook"
        url = "{url}"  # <-
        {extra}
        """


def load(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path, load_config(path)


def refused(tmp_path: Path, text: str) -> tuple[Path, int, str]:
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "# <-" in text)
    return path, line, str(caught.value)


@SETTINGS
@given(kind=st.sampled_from([source, webhook]), remote=plain_remote)
def test_plain_http_to_another_machine_is_refused(tmp_path, kind, remote):
    url, host = remote
    file, line, message = refused(tmp_path, kind(url))
    entry = '[[sources]] #1 "blog"' if kind is source else "[[sinks]] #1"
    shown = host.strip("[]").lower()
    assert message == (
        f'{file}:{line}: {entry}: key "url": plain http:// to {shown}, '
        f"which is not this machine: {WHY}"
    )
    # The userinfo (it may hold a password) is never repeated.
    assert "pass" not in message.replace("password", "")


@SETTINGS
@given(kind=st.sampled_from([source, webhook]), remote=plain_remote)
def test_allow_http_lets_it_through(tmp_path, kind, remote):
    url, _host = remote
    _, config = load(tmp_path, kind(url, "allow_http = true"))
    entries = config.sources if kind is source else config.sinks
    assert len(entries) == 1
    # allow_http is a load-time decision, not an option the connector or sink reads.
    assert "allow_http" not in entries[0].options


@SETTINGS
@given(
    kind=st.sampled_from([source, webhook]),
    scheme=st.sampled_from(["http", "HTTP", "https", "HTTPS"]),
    user=userinfo,
    host=loop_hosts,
    port=ports,
    path=paths,
)
def test_loopback_and_https_are_allowed(tmp_path, kind, scheme, user, host, port, path):
    _, config = load(tmp_path, kind(f"{scheme}://{user}{host}{port}{path}"))
    assert len(config.sources if kind is source else config.sinks) == 1


@SETTINGS
@given(host=remote_hosts, port=ports)
def test_https_to_any_host_is_allowed(tmp_path, host, port):
    _, config = load(tmp_path, source(f"https://{host}{port}"))
    assert config.sources[0].options["url"] == f"https://{host}{port}"


def test_allow_http_false_is_the_default(tmp_path):
    file, line, message = refused(
        tmp_path, webhook("http://crm.example.org/hook", "allow_http = false")
    )
    assert message.startswith(f'{file}:{line}: [[sinks]] #1: key "url": plain http://')


def test_allow_http_must_be_a_boolean(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        textwrap.dedent(source("http://blog.example.org", 'allow_http = "yes"')), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match='key "allow_http": expected true or false, got a string'):
        load_config(path)


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("localhost", True),
        ("localhost.", True),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("::2", False),
        ("localhost.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback_host(host, loopback):
    assert is_loopback_host(host) is loopback
