"""No form of a credential survives an error text (reactieveld.connectors.http.scrub).

Property tests: generated user names, passwords and tokens, embedded in generated error
bodies the way servers echo them (an Authorization header, JSON, HTML, a URL with
userinfo, a query string), in every encoding a body may carry them (plain, base64 of
``user:password`` and ``:password`` with and without padding, any case of "Basic",
percent-encoded, JSON-escaped, HTML-escaped). After scrub (and after the one-line
reason the engine stores, reactieveld.failures.failure), none of them is left.
"""

from __future__ import annotations

import base64
import html
import json
import string
from urllib.parse import quote, quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.connectors.http import scrub
from reactieveld.failures import failure

USERS = st.text(string.ascii_letters + string.digits + "._-@", min_size=1, max_size=20)
# Passwords: printable ASCII, accented letters, spaces and quotes; never '*' (the mask).
PASSWORDS = st.text(
    st.characters(
        min_codepoint=0x20, max_codepoint=0x17F, exclude_characters="*", exclude_categories=["Cc"]
    ),
    min_size=8,
    max_size=40,
).filter(lambda p: p.strip() == p and len(set(p)) > 3)
TOKENS = st.text(string.ascii_letters + string.digits + "-_.~", min_size=16, max_size=64)
FILLER = st.sampled_from(
    ["", "request failed", "Fout bij het laden.", "error 42 at line 7", "<b>Oops</b>"]
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def forms(user: str, password: str, token: str) -> list[str]:
    """Every form that must not be left."""
    pair, bare = b64(f"{user}:{password}"), b64(f":{password}")
    return [
        password,
        quote(password, safe=""),
        quote_plus(password),
        json.dumps(password)[1:-1],
        pair,
        pair.rstrip("="),
        bare,
        bare.rstrip("="),
        base64.urlsafe_b64encode(f"{user}:{password}".encode()).decode().rstrip("="),
        token,
    ]


@st.composite
def bodies(draw):
    user, password, token = draw(USERS), draw(PASSWORDS), draw(TOKENS)
    pair = b64(f"{user}:{password}")
    if draw(st.booleans()):
        pair = pair.rstrip("=")
    basic = draw(st.sampled_from(["Basic", "basic", "BASIC", "bAsIc"]))
    bare = b64(f":{password}")
    kind = draw(
        st.sampled_from(
            ["header", "json", "html", "url", "bearer", "apikey", "query", "bare", "plain"]
        )
    )
    if kind == "header":
        core = f"Authorization: {basic} {pair}"
    elif kind == "json":
        ensure_ascii = draw(st.booleans())
        core = json.dumps(
            {"headers": {"Authorization": f"{basic} {pair}"}, "password": password},
            ensure_ascii=ensure_ascii,
        )
    elif kind == "html":
        core = (
            f"<html><pre>Authorization: {basic} {pair}</pre><p>{html.escape(password)}</p></html>"
        )
    elif kind == "url":
        core = f"GET https://{quote(user)}:{quote(password, safe='')}@example.org/x?q=1 failed"
    elif kind == "bearer":
        core = f'{{"error": "invalid token", "sent": "Bearer {token}"}}'
    elif kind == "apikey":
        core = f"Api-Key: {token}\r\nApi-Username: {user}"
    elif kind == "query":
        name = draw(st.sampled_from(["access_token", "api_key", "key", "token", "client_secret"]))
        core = f"GET /api?{name}={quote_plus(password)}&page=2 -> 500"
    elif kind == "bare":
        core = f"credentials {bare} refused"
    else:
        core = f"password {password!r} is wrong"
    text = draw(FILLER) + " " + core + " " + draw(FILLER)
    return user, password, token, text


@settings(max_examples=400, deadline=None)
@given(bodies())
def test_scrub_leaves_no_form_of_a_known_credential(case):
    user, password, token, text = case
    out = scrub(text, [password, token], [user])
    for form in forms(user, password, token):
        assert form not in out, (form, out)
    line = failure(RuntimeError(text), secrets=[password, token], users=[user]).message
    for form in forms(user, password, token):
        assert form not in line, (form, line)
    assert "\n" not in line


@settings(max_examples=200, deadline=None)
@given(USERS, PASSWORDS, TOKENS, st.sampled_from(["Basic", "basic", "BASIC"]))
def test_scrub_removes_credential_shapes_it_was_not_told(user, password, token, basic):
    """Without knowing them: Basic/Bearer credentials, header echoes, userinfo."""
    pair = b64(f"{user}:{password}")
    text = (
        f"Authorization: {basic} {pair}\nX-Echo: Bearer {token}\n"
        f'{{"Api-Key": "{token}"}} see https://{quote(user)}:{quote(password, safe="")}@h/x'
    )
    out = scrub(text)
    assert pair not in out and pair.rstrip("=") not in out
    assert token not in out
    assert quote(password, safe="") not in out


def test_scrub_keeps_the_message():
    text = "GET https://example.org/wp-json/wp/v2/comments?page=2: HTTP 500: Internal error"
    assert scrub(text, ["geheim-wachtwoord"], ["admin"]) == text
    assert (
        scrub("Authorization: Basic YWRtaW46Z2VoZWltLXdhY2h0d29vcmQ=", ["x" * 10])
        == "Authorization: Basic ***"
    )
