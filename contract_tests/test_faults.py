"""Fault injection per tenant (/_sandbox/faults): what an integration's retry logic meets, seen by a
real httpx client — 429 with Retry-After, 5xx, a slow answer, a reset connection — and domain faults
(the next aggregation ends PREVENTED, the institution goes into maintenance)."""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from contract_tests.harness import V2025, new_client
from contract_tests.journeys import connected, create_member, mxbank_credentials, settled, status, wait_for
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def add(mx, **rule) -> dict:
    r = mx.http.post("/_sandbox/faults", json=rule)
    assert r.status_code == 201, r.text
    return r.json()["fault"]


class RetryAfterTransport(httpx.BaseTransport):
    """What an integration would write: retry 429/503 up to `retries` times, waiting Retry-After."""

    def __init__(self, inner: httpx.BaseTransport, retries: int = 3) -> None:
        self.inner, self.retries, self.waited = inner, retries, []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(self.retries + 1):
            response = self.inner.handle_request(request)
            if response.status_code not in (429, 503) or attempt == self.retries:
                return response
            wait = float(response.headers.get("retry-after", "0"))
            response.close()
            self.waited.append(wait)
            time.sleep(wait)
        raise AssertionError("unreachable")


def retrying_client(mx, retries: int = 3) -> tuple[httpx.Client, RetryAfterTransport]:
    """The suite's own client for the tenant, with a retrying transport around its transport."""
    transport = RetryAfterTransport(mx.http._transport, retries)
    return httpx.Client(base_url=mx.http.base_url, auth=mx.http.auth, transport=transport, timeout=30.0), transport


def test_429_with_retry_after_is_retried_by_a_real_client_until_it_succeeds(mx):
    rule = add(mx, method="GET", path="/users", status=429, retry_after=1, times=1)
    client, transport = retrying_client(mx)
    started = time.monotonic()
    r = client.get("/users", headers=V2025)
    elapsed = time.monotonic() - started
    assert r.status_code == 200 and r.json()["users"] == []
    assert transport.waited == [1.0] and elapsed >= 1.0
    calls = mx.http.get("/_sandbox/requests", params={"path": "/users"}).json()["requests"]
    assert [(c["status"], c["fault"]) for c in calls] == [(429, rule["id"]), (200, None)]


def test_429_answer_is_mx_shaped_with_retry_after(mx):
    add(mx, method="POST", path="/users", status=429, retry_after=7)
    r = mx.post("/users", json={"user": {"id": "never"}})
    assert_mx_error(r, 429)
    assert r.headers["retry-after"] == "7"
    assert r.headers["content-type"].startswith("application/vnd.mx.api.v1+json") or \
        r.headers["content-type"].startswith("application/json")
    assert mx.get("/users").json()["users"] == []  # the faulted POST never reached MX


def test_custom_body_and_a_client_that_gives_up(mx):
    add(mx, path="/users", status=503, body={"error": {"message": "Down for maintenance."}})
    client, transport = retrying_client(mx, retries=2)
    r = client.get("/users", headers=V2025)
    assert r.status_code == 503 and r.json() == {"error": {"message": "Down for maintenance."}}
    assert transport.waited == [0.0, 0.0]  # no Retry-After: retried at once, twice


def test_times_two_then_normal(mx):
    rule = add(mx, method="GET", path="/users", status=500, times=2)
    assert [mx.get("/users").status_code for _ in range(4)] == [500, 500, 200, 200]
    listed = mx.http.get(f"/_sandbox/faults/{rule['id']}").json()["fault"]
    assert (listed["hits"], listed["remaining"], listed["active"]) == (2, 0, False)
    fired = mx.events(kind="fault")
    assert [(e["type"], e["data"]["rule_id"], e["data"]["status"]) for e in fired] == [("http", rule["id"], 500)] * 2


def test_delay_is_measured_on_the_client_and_in_the_journal(mx):
    add(mx, method="GET", path="/users", delay_ms=400, times=1)
    started = time.monotonic()
    r = mx.get("/users")
    assert r.status_code == 200  # slow, then answered as usual
    assert time.monotonic() - started >= 0.4
    fast = time.monotonic()
    assert mx.get("/users").status_code == 200
    assert time.monotonic() - fast < 0.4
    first, second = mx.http.get("/_sandbox/requests").json()["requests"]
    assert first["duration_ms"] >= 400 and first["fault"] and second["duration_ms"] < 400


def test_a_delay_holds_up_neither_other_tenants_nor_the_same_tenant(mx, mx_target):
    add(mx, method="GET", path="/users", delay_ms=1500, times=1)
    slow: list[float] = []

    def delayed() -> None:
        t0 = time.monotonic()
        mx.get("/users")
        slow.append(time.monotonic() - t0)

    thread = threading.Thread(target=delayed)
    thread.start()
    time.sleep(0.2)  # the delayed call is sleeping in the server by now
    with new_client(mx_target) as other:
        t0 = time.monotonic()
        assert other.get("/users", headers=V2025).status_code == 200
        other_elapsed = time.monotonic() - t0
    t0 = time.monotonic()
    assert mx.get("/institutions/mxbank").status_code == 200
    same_elapsed = time.monotonic() - t0
    thread.join()
    assert slow[0] >= 1.5
    assert other_elapsed < 1.0 and same_elapsed < 1.0


def test_connection_reset_is_a_transport_error(mx):
    rule = add(mx, method="GET", path="/users/{user_guid}", reset_connection=True, times=1)
    user = mx.create_user()
    with pytest.raises(httpx.TransportError):
        mx.get(f"/users/{user['guid']}")
    assert mx.get(f"/users/{user['guid']}").status_code == 200  # a new connection, answered
    calls = mx.http.get("/_sandbox/requests", params={"path": "/users/{user_guid}"}).json()["requests"]
    assert [(c["status"], c["fault"]) for c in calls] == [(None, rule["id"]), (200, None)]
    assert mx.events(kind="fault")[0]["data"]["reset_connection"] is True


def test_rules_match_only_their_member(mx):
    mx.freeze()
    user = mx.create_user()
    a = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    b = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password", username="other"))
    add(mx, path="/users/{user_guid}/members/{member_guid}/status", member_guid=a["guid"], status=503)
    assert mx.get(f"/users/{user['guid']}/members/{a['guid']}/status").status_code == 503
    assert mx.get(f"/users/{user['guid']}/members/{b['guid']}/status").status_code == 200
    add(mx, method="PUT", path="^/users/[^/]+$", user_guid="USR-nobody", status=500)
    assert mx.put(f"/users/{user['guid']}", json={"user": {"metadata": "x"}}).status_code == 200


def test_faults_are_per_tenant(mx, mx_target):
    add(mx, path="/users", status=503)
    with new_client(mx_target) as other:
        assert other.get("/users", headers=V2025).status_code == 200
        assert other.get("/_sandbox/faults").json()["faults"] == []
    assert mx.get("/users").status_code == 503


def pattern(client: httpx.Client, n: int = 40) -> list[int]:
    return [client.get("/users", headers=V2025).status_code for _ in range(n)]


def test_probability_is_deterministic_under_the_seed(mx, mx_target):
    add(mx, method="GET", path="/users", status=503, probability=0.5)
    first = pattern(mx.http)
    assert {200, 503} == set(first)  # some fired, some did not
    with new_client(mx_target) as other:  # another tenant, the same rule: the same draws
        assert other.post("/_sandbox/faults", json={"method": "GET", "path": "/users", "status": 503,
                                                    "probability": 0.5}).status_code == 201
        assert pattern(other) == first
    mx.http.post("/_sandbox/reset")
    add(mx, method="GET", path="/users", status=503, probability=0.5)
    assert pattern(mx.http) == first  # after a reset too


def test_list_get_and_delete(mx):
    one = add(mx, path="/users", status=500)
    two = add(mx, path="/institutions", delay_ms=10)
    assert [f["id"] for f in mx.http.get("/_sandbox/faults").json()["faults"]] == [one["id"], two["id"]]
    assert mx.http.delete(f"/_sandbox/faults/{one['id']}").status_code == 204
    assert_mx_error(mx.http.get(f"/_sandbox/faults/{one['id']}"), 404)
    assert_mx_error(mx.http.delete(f"/_sandbox/faults/{one['id']}"), 404)
    assert mx.get("/users").status_code == 200
    assert mx.http.delete("/_sandbox/faults").status_code == 204
    assert mx.http.get("/_sandbox/faults").json()["faults"] == []


def test_control_api_is_never_faulted(mx):
    add(mx, path="^/", status=500)
    assert mx.get("/users").status_code == 500
    assert mx.http.get("/_sandbox/clock").status_code == 200
    assert mx.http.get("/_sandbox/faults").status_code == 200


BAD_RULES = [
    ({}, "path is required"),
    ({"path": "/users"}, "Give status"),
    ({"path": "users", "status": 500}, "must start with /"),
    ({"path": "^(a+)+$", "status": 500}, "nested quantifiers"),
    ({"path": "^([", "status": 500}, "not a valid regular expression"),
    ({"path": "/users", "status": 200}, "status must be from 400 to 599"),
    ({"path": "/users", "status": "429"}, "status must be an integer"),
    ({"path": "/users", "status": 429, "times": 0}, "times must be from 1"),
    ({"path": "/users", "status": 429, "times": 1, "probability": 0.5}, "not both"),
    ({"path": "/users", "status": 429, "probability": 1.5}, "probability must be from 0 to 1"),
    ({"path": "/users", "status": 429, "probability": 0}, "above 0"),
    ({"path": "/users", "status": 429, "reset_connection": True}, "no status"),
    ({"path": "/users", "retry_after": 3}, "need a status"),
    ({"path": "/users", "delay_ms": 600000}, "delay_ms must be from 0 to 60000"),
    ({"path": "/users", "method": "FETCH", "status": 500}, "method must be one of"),
    ({"path": "/users", "status": 500, "colour": "red"}, "Unknown fields"),
    ({"kind": "weather"}, "kind must be one of"),
    ({"kind": "aggregation", "connection_status": "PREVENTED"}, "member_guid or institution_code"),
    ({"kind": "aggregation", "member_guid": "MBR-nope", "connection_status": "PREVENTED"}, "not a member"),
    ({"kind": "aggregation", "institution_code": "mxbank", "connection_status": "SLEEPY"}, "connection_status must be"),
    ({"kind": "aggregation", "institution_code": "mxbank", "connection_status": "DENIED", "challenge": "text"}, "challenge goes with"),
    ({"kind": "institution_maintenance"}, "institution_code is required"),
    ({"kind": "institution_maintenance", "institution_code": "nowhere"}, "not an institution"),
    ({"kind": "institution_maintenance", "institution_code": "mxbank", "times": 1}, "no times"),
]


@pytest.mark.parametrize("rule, message", BAD_RULES, ids=[m for _, m in BAD_RULES])
def test_bad_rules_are_mx_shaped_400s_and_change_nothing(mx, rule, message):
    r = mx.http.post("/_sandbox/faults", json=rule)
    assert message in assert_mx_error(r, 400)
    assert mx.http.get("/_sandbox/faults").json()["faults"] == []


def test_rules_per_tenant_are_bounded(mx):
    limit = mx.http.get("/_sandbox/faults").json()["limit"]
    for _ in range(limit):
        add(mx, path="/nothing", status=500)
    assert "at most" in assert_mx_error(mx.http.post("/_sandbox/faults", json={"path": "/x", "status": 500}), 400)
    assert_mx_error(mx.http.post("/_sandbox/faults", content=b"[1]", headers={"content-type": "application/json"}), 400)


# -- domain faults -----------------------------------------------------------------------------------
def connected_member(mx, username: str = "mxuser") -> tuple[dict, dict]:
    mx.freeze()
    user = mx.create_user()
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password", username=username))
    wait_for(mx, user["guid"], member["guid"], connected)
    return user, member


def test_next_aggregation_of_a_member_ends_prevented_once(mx):
    user, member = connected_member(mx)
    rule = add(mx, kind="aggregation", member_guid=member["guid"], connection_status="PREVENTED")
    assert rule["times"] == 1
    assert mx.post(f"/users/{user['guid']}/members/{member['guid']}/aggregate").status_code == 202
    ended = wait_for(mx, user["guid"], member["guid"], settled)
    assert ended["connection_status"] == "PREVENTED"
    fired = mx.events(kind="fault")
    assert fired[0]["type"] == "aggregation" and fired[0]["data"]["member_guid"] == member["guid"]
    creds = mxbank_credentials(mx, "password")  # MX's way out of PREVENTED; the rule has fired out
    assert mx.put(f"/users/{user['guid']}/members/{member['guid']}", json={"member": {"credentials": creds}}).status_code == 200
    assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == "CONNECTED"


def test_aggregation_fault_by_institution_applies_to_new_members(mx):
    mx.freeze()
    user = mx.create_user()
    add(mx, kind="aggregation", institution_code="mxbank", connection_status="CHALLENGED", challenge="options", times=1)
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == "CHALLENGED"
    challenges = mx.get(f"/users/{user['guid']}/members/{member['guid']}/challenges").json()["challenges"]
    assert challenges[0]["type"] == "OPTIONS"


def test_institution_maintenance(mx):
    user, member = connected_member(mx)
    add(mx, kind="institution_maintenance", institution_code="mxbank", duration_seconds=3600)
    r = mx.post(f"/users/{user['guid']}/members",
                json={"member": {"institution_code": "mxbank", "credentials": mxbank_credentials(mx, "password", "x")}})
    assert "maintenance" in assert_mx_error(r, 400)
    assert mx.post(f"/users/{user['guid']}/members/{member['guid']}/aggregate").status_code == 202
    assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == "FAILED"
    mx.advance(3600)  # maintenance is over
    create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password", "x"))
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "FAILED"
    assert {e["type"] for e in mx.events(kind="fault")} == {"institution_maintenance"}
