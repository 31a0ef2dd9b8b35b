"""Hardening against a hostile or careless client: unguessable browser tokens, bounded time, bounded memory.

Each test that needs the whole process to itself (RSS, SIGTERM, server-wide gauges) starts its own
sandbox; the rest use the suite's shared one on a fresh tenant.
"""
from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from contract_tests.harness import MX, V2025, SandboxProcess
from contract_tests.journeys import create_member, mxbank_credentials
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only

TEN_YEARS = 10 * 365 * 86400


def old_scheme_token(seed: int, client_id: str, kind: str, counter: int, length: int) -> str:
    """What a browser token used to be: sha256(seed|client_id|kind|counter|n), guessable offline."""
    out, n = "", 0
    while len(out) < length:
        n += 1
        out += hashlib.sha256(f"{seed}|{client_id}|{kind}|{counter}|{n}".encode()).hexdigest()
    return out[:length]


def widget_url(mx: MX, user_guid: str) -> str:
    r = mx.post(f"/users/{user_guid}/widget_urls", json={"widget_url": {"widget_type": "connect_widget"}})
    assert r.status_code == 200, r.text
    return r.json()["widget_url"]["url"]


def oauth_state(mx: MX, user_guid: str) -> str:
    r = mx.post(f"/users/{user_guid}/members", json={"member": {"institution_code": "mx_bank_oauth", "is_oauth": True}})
    assert r.status_code in (200, 202), r.text
    return parse_qs(urlsplit(r.json()["member"]["oauth_window_uri"]).query)["state"][0]


def test_browser_tokens_are_unguessable(mx):
    user = mx.create_user()
    url = widget_url(mx, user["guid"])
    token = url.rsplit("/", 1)[-1]
    state = oauth_state(mx, user["guid"])
    opened = httpx.get(url)
    assert opened.status_code == 200
    secret = re.search(r'"/md/api/sessions/([0-9a-f]+)"', opened.text).group(1)
    for real in (token, state, secret):
        assert re.fullmatch(r"[0-9a-f]{32,}", real), real  # at least 128 bits

    # Every token the old deterministic scheme could have produced, for many seeds: none is real,
    # and none opens anything.
    guesses = {
        old_scheme_token(seed, mx.client_id, kind, counter, length)
        for seed in range(200) for counter in range(1, 4)
        for kind, length in (("widget_url", 48), ("widget_session", 48), ("oauth_state", 32))
    }
    assert not guesses & {token, state, secret}
    base = mx.target.base_url
    for guess in sorted(guesses)[:30]:
        assert httpx.get(f"{base}/md/connect/{guess}").status_code == 404
        assert httpx.get(f"{base}/md/api/sessions/{guess}").status_code == 404
        assert httpx.get(f"{base}/oauth/mx_bank_oauth/authorize", params={"state": guess}).status_code == 404

    # Same seed, same tenant, same order after a reset: a deterministic scheme would repeat itself.
    assert mx.http.post("/_sandbox/reset").status_code == 204
    again = mx.create_user()
    assert widget_url(mx, again["guid"]).rsplit("/", 1)[-1] != token
    assert oauth_state(mx, again["guid"]) != state


def test_clock_moves_have_one_limit(mx):
    mx.freeze(now="2030-01-01T00:00:00Z")
    mx.create_user()
    for body in ({"now": "9999-12-31T00:00:00Z"}, {"advance_seconds": TEN_YEARS + 1},
                 {"advance_seconds": 1e308}, {"now": "2041-01-01T00:00:00Z"}):
        assert_mx_error(mx.http.post("/_sandbox/clock", json=body), 400)
    assert mx.clock()["now"] == "2030-01-01T00:00:00Z"  # refused moves change nothing
    assert mx.advance(TEN_YEARS)["now"] == "2039-12-30T00:00:00Z"


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _connect_members(server: SandboxProcess, client_id: str, count: int) -> tuple[MX, dict, list[dict]]:
    mx = MX(httpx.Client(base_url=server.url, auth=(client_id, "k"), timeout=60), None, client_id)  # type: ignore[arg-type]
    mx.freeze()
    user = mx.create_user()
    members = [create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, f"pw-{i}")) for i in range(count)]
    mx.advance(60)
    return mx, user, members


def _jump_while_polling() -> tuple[float, float, int]:
    """One fresh server: tenant A jumps ten years while tenant B polls /status every 50 ms.
    Returns B's worst latency (s), the server's RSS after the jump (MB) and A's background jobs."""
    with SandboxProcess("--clock", "frozen") as server:
        jumper, _, _ = _connect_members(server, "jumper", 3)
        poller, user, (member,) = _connect_members(server, "poller", 1)
        path = f"/users/{user['guid']}/members/{member['guid']}/status"
        latencies: list[float] = []
        stop = threading.Event()

        def poll() -> None:
            with httpx.Client(base_url=server.url, auth=("poller", "k"), headers=V2025) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    assert client.get(path).status_code == 200
                    latencies.append(time.perf_counter() - started)
                    stop.wait(0.05)

        thread = threading.Thread(target=poll)
        thread.start()
        time.sleep(0.3)
        jumped = jumper.http.post("/_sandbox/clock", json={"advance_seconds": TEN_YEARS})
        time.sleep(0.3)
        stop.set()
        thread.join()
        assert jumped.status_code == 200, jumped.text
        assert len(latencies) >= 5
        return max(latencies), _rss_mb(server.proc.pid), len(jumper.events(type="job_started"))


def test_a_maximal_clock_jump_does_not_stall_other_tenants():
    # The bound is on the server; the suite's other workers share these 2 cores, so a run that a
    # neighbour's burst (a browser, an image build) slowed is measured again, three times at most.
    worst_seen = []
    for _ in range(3):
        worst, rss, jobs = _jump_while_polling()
        assert rss < 150
        # the catch-up was bounded: 30 days of background runs per member, not 3,650
        assert 3 * 30 <= jobs <= 3 * 32, jobs
        worst_seen.append(round(worst * 1000))
        if worst < 0.25:
            return
    raise AssertionError(f"another tenant's worst /status latency during the jump, ms: {worst_seen}")


def test_sigterm_stops_the_server_within_two_seconds_during_a_jump():
    server = SandboxProcess("--clock", "frozen")
    try:
        _connect_members(server, "jumper", 40)
        answers: list[httpx.Response] = []
        thread = threading.Thread(target=lambda: answers.append(httpx.post(
            f"{server.url}/_sandbox/clock", json={"advance_seconds": TEN_YEARS}, auth=("jumper", "k"), timeout=30)))
        thread.start()
        time.sleep(0.3)
        started = time.perf_counter()
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(10)
        assert time.perf_counter() - started < 2.0
        thread.join()
        if answers[0].status_code != 200:  # the catch-up was still running: MX's shape, not a 500
            assert_mx_error(answers[0], 503)
    finally:
        server.stop()


def test_memory_is_bounded_and_visible_on_health():
    with SandboxProcess("--max-tenants", "5") as server:
        def gauges() -> dict[str, int]:
            return httpx.get(f"{server.url}/_sandbox/health").json()["gauges"]

        owner = MX(httpx.Client(base_url=server.url, auth=("owner", "k"), headers=V2025), None, "owner")  # type: ignore[arg-type]
        user = owner.create_user()
        for _ in range(3):
            widget_url(owner, user["guid"])
        assert gauges()["tokens"] == 3 and gauges()["widget_links"] == 3
        assert owner.http.post("/_sandbox/reset").status_code == 204
        assert gauges()["tokens"] == 0 and gauges()["widget_links"] == 0  # a reset forgets its tokens

        # a session keeps its last 1,000 events, however many pings arrive
        user = owner.create_user()
        page = httpx.get(widget_url(owner, user["guid"])).text
        api = re.search(r'"(/md/api/sessions/[0-9a-f]+)"', page).group(1)
        with httpx.Client(base_url=server.url) as browser:
            for _ in range(1100):
                assert browser.post(f"{api}/actions", json={"action": "ping", "since": 10**9}).status_code == 200
            assert len(browser.get(api, params={"since": 0}).json()["events"]) == 1000
        assert gauges()["widget_messages"] == 1000

        # past --max-tenants the least recently used tenant goes, with its tokens
        for n in range(6):
            assert httpx.get(f"{server.url}/users", auth=(f"t{n}", "k"), headers=V2025).status_code == 200
        assert gauges()["tenants"] == 5 and gauges()["tenants_evicted"] >= 2
        assert gauges()["tokens"] == 0  # the evicted owner's session secret went too


def test_repeat_requests_reuse_one_resolved_route_and_the_cache_is_on_health():
    """A poller's path is resolved once and kept (bounded, as /_sandbox/health shows)."""
    with SandboxProcess() as server, httpx.Client(base_url=server.url, auth=("poller", "k"), headers=V2025) as mx:
        def health() -> tuple[int, int]:
            body = mx.get("/_sandbox/health").json()
            return body["gauges"]["resolved_routes"], body["limits"]["resolved_routes"]

        before, limit = health()
        assert limit == 4096 and 1 <= before <= limit
        user = mx.post("/users", json={"user": {"id": "poll"}}).json()["user"]["guid"]
        for _ in range(20):
            assert mx.get(f"/users/{user}").json()["user"]["guid"] == user
        after, _ = health()
        assert after == before + 2  # POST /users and GET /users/{guid}: each once, however often it is polled
