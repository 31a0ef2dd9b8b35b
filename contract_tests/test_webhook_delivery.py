"""Webhook delivery like MX's: retries at growing intervals on the virtual clock, 12 at most, 429
re-queues, order per member, a dead receiver never slows the API, everything on the timeline."""
from __future__ import annotations

import time

import httpx
import pytest

from contract_tests.harness import free_port
from contract_tests.test_conventions import assert_mx_error
from contract_tests.webhook_support import connect, deliveries, hook, receiver  # noqa: F401
from sandbox.core.webhooks.outbox import RETRY_SCHEDULE

pytestmark = pytest.mark.sandbox_only
DAY = 86_400


def wait_delivery(mx, guid: str, state: str, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        found = [d for d in deliveries(mx) if d["guid"] == guid]
        if found and found[0]["state"] == state:
            return found[0]
        assert time.monotonic() < deadline, f"delivery never reached {state}: {found}"
        time.sleep(0.05)


def fire(mx, member: dict, kind: str = "MEMBER") -> dict:
    r = mx.http.post("/_sandbox/webhooks/fire", json={"type": kind, "member_guid": member["guid"]})
    assert r.status_code == 202, r.text
    return r.json()["delivery"]


def settled_member(mx, password: str = "INVALID") -> dict:
    """A member whose own life is over (DENIED: no background runs), so only fired webhooks go."""
    _, member = connect(mx, password)
    mx.advance(10)
    return member


def gaps(delivery: dict) -> list[float]:
    from sandbox.core.clock import parse_instant

    times = [parse_instant(a["at"]) for a in delivery["attempts"]]
    return [b - a for a, b in zip(times, times[1:])]


def test_three_failures_then_success_is_four_attempts_at_growing_virtual_intervals(mx, receiver):
    member = settled_member(mx)
    hook(mx, receiver.url)
    receiver.fail(3, status=500)
    delivery = fire(mx, member)
    first = wait_delivery(mx, delivery["guid"], "waiting")
    assert [a["status"] for a in first["attempts"]] == [500] and first["next_attempt_at"]
    mx.advance(DAY)
    done = wait_delivery(mx, delivery["guid"], "delivered")
    assert [a["status"] for a in done["attempts"]] == [500, 500, 500, 204]
    assert [a["outcome"] for a in done["attempts"]] == ["retrying"] * 3 + ["delivered"]
    assert gaps(done) == list(RETRY_SCHEDULE[:3]) and gaps(done) == sorted(gaps(done))
    assert receiver.received == [delivery["body"]]


def test_a_dead_receiver_gets_twelve_retries_over_about_a_day_then_none(mx, receiver):
    member = settled_member(mx)
    hook(mx, receiver.url, timeout_seconds=0.1)
    receiver.hang()  # accepts the connection, never answers
    delivery = fire(mx, member)
    mx.advance(DAY)
    failed = wait_delivery(mx, delivery["guid"], "failed", timeout=30)
    assert len(failed["attempts"]) == 13  # the first attempt and 12 retries
    assert {a["error"] for a in failed["attempts"]} == {"timeout"}
    assert gaps(failed) == list(RETRY_SCHEDULE)
    assert 20 * 3600 < sum(gaps(failed)) < DAY
    mx.advance(2 * DAY)
    time.sleep(0.5)
    # nothing more went out; the receiver saw at most those 13 (under load its accept loop may not
    # have reached every connection before the sender's 0.1 s timeout closed it)
    assert len(wait_delivery(mx, delivery["guid"], "failed")["attempts"]) == 13
    assert 1 <= receiver.attempts <= 13
    timeline = mx.events(kind="webhook")
    assert len(timeline) == 13 and timeline[-1]["data"]["outcome"] == "failed"
    assert timeline[0]["type"] == "MEMBER" and timeline[0]["data"]["url"] == receiver.url


def test_a_refused_connection_is_retried(mx):
    if not mx.target.is_sandbox:
        pytest.skip("sandbox control API")
    member = settled_member(mx)
    hook(mx, f"http://127.0.0.1:{free_port()}/nobody-home")
    delivery = fire(mx, member)
    waiting = wait_delivery(mx, delivery["guid"], "waiting")
    assert waiting["attempts"][0]["error"] == "connection refused" and waiting["attempts"][0]["status"] is None


def test_429_requeues_without_using_up_retries(mx, receiver):
    member = settled_member(mx)
    hook(mx, receiver.url)
    receiver.fail(2, status=429, retry_after="5")
    delivery = fire(mx, member)
    wait_delivery(mx, delivery["guid"], "waiting")
    mx.advance(60)
    done = wait_delivery(mx, delivery["guid"], "delivered")
    assert [a["outcome"] for a in done["attempts"]] == ["requeued", "requeued", "delivered"]
    assert gaps(done) == [5, 5]


def test_order_per_member_survives_failures(mx, receiver):
    hook(mx, receiver.url)
    receiver.fail(2)
    _, member = connect(mx)
    mx.advance(10)  # CREATED, CONNECTED, AGGREGATION, initial_data_ready, finished: queued behind the first
    mx.advance(3600)
    receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    sent = [d["body"] for d in deliveries(mx, member_guid=member["guid"])]
    assert receiver.received == sent
    assert [b["revision"] for b in receiver.matching("MEMBER")] == [1, 2, 3]
    assert [b["type"] for b in receiver.received] == ["MEMBER", "MEMBER", "AGGREGATION", "initial_data_ready", "MEMBER"]


def test_a_receiver_that_never_answers_does_not_slow_the_api(mx, receiver):
    """Deliveries hang for 30 s each; API calls meanwhile answer at once (the p99 is in the benchmark)."""
    hook(mx, receiver.url, timeout_seconds=30)
    receiver.hang()
    user, member = connect(mx)
    mx.advance(10)
    receiver.wait_until(lambda r: r.attempts >= 1)
    slowest = 0.0
    for _ in range(20):
        started = time.perf_counter()
        r = mx.get(f"/users/{user['guid']}/members/{member['guid']}/status")
        slowest = max(slowest, time.perf_counter() - started)
        assert r.status_code == 200
    assert mx.advance(1)["now"]  # the control API (and the tenant's gate) is free too
    assert slowest < 2.0, f"GET /status took {slowest:.2f}s while the receiver hung"
    assert [d["state"] for d in deliveries(mx, state="sending")] == ["sending"]


def test_deleting_the_configuration_cancels_pending_deliveries(mx, receiver):
    member = settled_member(mx)
    hook(mx, receiver.url)
    receiver.fail(100)
    delivery = fire(mx, member)
    wait_delivery(mx, delivery["guid"], "waiting")
    assert mx.http.delete("/_sandbox/webhooks").status_code == 204
    assert wait_delivery(mx, delivery["guid"], "cancelled")["state"] == "cancelled"
    receiver.recover()
    mx.advance(DAY)
    time.sleep(0.3)
    assert receiver.attempts == 1 and receiver.received == []


def test_deliveries_filter_and_validate(mx, receiver):
    hook(mx, receiver.url)
    _, member = connect(mx)
    mx.advance(10)
    receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    time.sleep(0.2)
    assert {d["type"] for d in deliveries(mx, type="AGGREGATION")} == {"AGGREGATION"}
    assert len(deliveries(mx, member_guid=member["guid"])) == 5
    assert len(deliveries(mx, state="delivered", limit="2")) == 2
    assert deliveries(mx, member_guid="MBR-other") == []
    for params in ({"state": "lost"}, {"limit": "0"}, {"limit": "x"}):
        assert_mx_error(mx.http.get("/_sandbox/webhooks/deliveries", params=params), 400)


def test_reset_forgets_deliveries_and_configuration(mx, receiver):
    hook(mx, receiver.url)
    receiver.hang()
    connect(mx)
    receiver.wait_until(lambda r: r.attempts >= 1)
    assert mx.http.post("/_sandbox/reset").status_code == 204
    assert deliveries(mx) == []
    assert mx.http.get("/_sandbox/webhooks").json()["webhooks"]["default"] is None
    receiver.recover()  # the hung attempt's late answer must not crash or resurrect anything
    time.sleep(0.3)
    assert httpx.get(mx.target.base_url + "/_sandbox/health").status_code == 200
