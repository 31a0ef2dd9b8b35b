"""The bad-input corpus (bad_input.yml) against a live server: every case is a 4xx in MX's error shape,
and afterwards the tenant reads exactly as before, so no refused input was stored or poisoned state.

One tenant is populated once (a user, a connected MX Bank member, an OAuth member waiting for
consent, an opened widget page and a headless widget session); the corpus then runs in one test so
the invariants are checked after all of it, on top of the per-case checks.
"""
from __future__ import annotations

import base64
import json
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from contract_tests.harness import MX, V2025, SandboxProcess, Target, new_client, send_raw
from contract_tests.journeys import connected, create_member, frozen_user, mxbank_credentials, wait_for
from contract_tests.widget_support import mint, open_session

pytestmark = pytest.mark.sandbox_only
CORPUS = Path(__file__).with_name("bad_input.yml")
GENERATED = {
    **{f"<x{n}>": "x" * n for n in (256, 300, 3000, 9000, 10001, 20000)},
    "<x100k>": "x" * 100_000,
    "<x300k>": "x" * 300_000,
    "<deep1000>": "[" * 1000 + "]" * 1000,
    "<deep33>": '{"a":' * 33 + "1" + "}" * 33,
    "<q101>": "&".join(f"f{i}=1" for i in range(101)),
    "<ones10001>": ",".join(["1"] * 10_001),
    "<basic_x300>": base64.b64encode(b"x" * 300 + b":key").decode(),
    "<basic_nul>": base64.b64encode(b"a\x00b:key").decode(),
}
LISTS = [
    "/users", "/users/{user}/members", "/users/{user}/accounts", "/users/{user}/transactions",
    "/users/{user}/members/{member}/accounts", "/users/{user}/members/{member}/transactions",
    "/users/{user}/members/{member}/account_numbers", "/users/{user}/members/{member}/account_owners",
    "/users/{user}/members/{member}/statements", "/users/{user}/members/{member}/rewards",
    "/users/{user}/investment_holdings", "/users/{user}/micro_deposits", "/users/{user}/account_verifications",
    "/users/{user}/members/{member}/credentials",
    "/institutions",
]


def load_corpus() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    names = [case["name"] for case in cases]
    assert len(names) == len(set(names)), "corpus case names must be unique"
    return cases


@pytest.fixture(scope="module")
def base_url(mx_target):
    """A real socket is needed (raw parser cases): the suite's server, else one of our own."""
    if mx_target.kind in ("sandbox", "url"):
        yield mx_target.base_url
    else:
        with SandboxProcess() as server:
            yield server.url


@pytest.fixture(scope="module")
def world(base_url) -> dict[str, Any]:
    """The tenant every case aims at, with one of each thing a bad request could damage."""
    target = Target("sandbox", base_url)
    client_id = f"bad-input-{uuid.uuid4().hex[:12]}"
    http = new_client(target, client_id)
    mx = MX(http, target, client_id, dict(V2025))
    user = frozen_user(mx, id="bad-input-user")
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    wait_for(mx, user["guid"], member["guid"], connected)
    account = mx.get(f"/users/{user['guid']}/accounts").json()["accounts"][0]["guid"]
    r = mx.post(f"/users/{user['guid']}/members",
                json={"member": {"institution_code": "mx_bank_oauth", "is_oauth": True, "credentials": []}})
    assert r.status_code == 200, r.text
    oauth_member = r.json()["member"]
    state = parse_qs(urlsplit(oauth_member["oauth_window_uri"]).query)["state"][0]
    page = http.get(urlsplit(mint(mx, user["guid"])).path, auth=None)  # the path: any public_url works
    assert page.status_code == 200, page.text
    boot = json.loads(re.search(r'<script type="application/json" id="mx-boot">(.*?)</script>', page.text).group(1))
    session = open_session(mx, mint(mx, user["guid"]))["widget_session"]["guid"]
    yield {"mx": mx, "user": user["guid"], "user_id": "bad-input-user", "member": member["guid"],
           "account": account, "oauth_member": oauth_member["guid"], "state": state,
           "secret": urlsplit(boot["api"]).path, "session": session}
    http.close()


def fill(text: str, world: dict[str, Any]) -> str:
    for name in ("user_id", "user", "member", "account", "oauth_member", "state", "secret", "session"):
        text = text.replace(f"<{name}>", str(world[name]))
    for placeholder, value in GENERATED.items():
        text = text.replace(placeholder, value)
    return text


def send(mx: MX, case: dict[str, Any], world: dict[str, Any]) -> tuple[int, bytes]:
    headers = {**mx.headers, **{k: fill(v, world) for k, v in case.get("headers", {}).items()}}
    body = fill(case["body"], world).encode("utf-8") if "body" in case else None
    content_type = case.get("content_type", "application/json")
    if body is not None and content_type != "none":
        headers["Content-Type"] = content_type
    auth = httpx.USE_CLIENT_DEFAULT if case.get("auth", True) else None
    if "Authorization" in headers:
        auth = None
    try:
        r = mx.http.request(case.get("method", "GET"), fill(case["path"], world), content=body, headers=headers,
                            auth=auth)
    except httpx.TransportError as error:  # e.g. the server reset the connection instead of answering
        return 0, repr(error).encode()
    return r.status_code, r.content


def snapshot(mx: MX, world: dict[str, Any]) -> dict[str, Any]:
    """Every list the tenant answers, read in full."""
    out = {}
    for template in LISTS:
        path = template.format(**world)
        r = mx.get(path, params={"records_per_page": 1000})
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"
        out[path] = r.json()
    return out


def test_bad_input_corpus_gets_mx_errors_and_stores_nothing(base_url, world, record_property):
    mx = world["mx"]
    before = snapshot(mx, world)
    failures = []
    cases = load_corpus()
    for case in cases:
        if "raw" in case:
            status, _, content = send_raw(base_url, fill(case["raw"], world).encode("latin-1"))
        else:
            status, content = send(mx, case, world)
        try:
            message = json.loads(content)["error"]["message"]
            shaped = isinstance(message, str) and bool(message)
        except (ValueError, KeyError, TypeError):
            shaped = False
        if status != case["status"] or not shaped:
            failures.append(f"{case['name']}: got {status} {content[:160]!r}, expected {case['status']} in MX's shape")
    record_property("mx_bad_input_cases", len(cases))
    print(f"bad-input corpus: {len(cases)} cases")
    assert not failures, "\n".join(failures)

    assert snapshot(mx, world) == before  # nothing refused was stored
    assert mx.http.get("/_sandbox/events").status_code == 200
    assert mx.http.get(f"/_sandbox/widget_sessions/{world['session']}").status_code == 200
    assert mx.http.get(world["secret"], auth=None).status_code == 200
    assert mx.http.get("/_sandbox/health").status_code == 200


def test_a_valid_surrogate_pair_is_stored_and_read_back(mx):
    """Only unpaired surrogates are refused: an emoji (a pair in JSON's \\u escapes) is ordinary text."""
    r = mx.post("/users", content=b'{"user":{"metadata":"\\ud83d\\ude00 \\u00e9"}}',
                headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["metadata"] == "\U0001F600 \u00e9"
    assert mx.get("/users").json()["users"][0]["metadata"] == "\U0001F600 \u00e9"


def test_limits_admit_values_at_the_limit(mx):
    """255-character ids and 10,000-character values are accepted; one more is refused (the corpus)."""
    r = mx.post("/users", json={"user": {"id": "i" * 255, "metadata": "m" * 10_000}})
    assert r.status_code == 200, r.text
    assert mx.get(f"/users/{'i' * 255}").json()["user"]["metadata"] == "m" * 10_000
