"""The webhook outbox without sockets: lanes keep order, retries follow the schedule on virtual
time, results are matched to attempts, limits hold, and causes decide echo and suppression."""
from __future__ import annotations

import pytest

from sandbox.core.cause import Cause
from sandbox.core.institutions import Catalog
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings
from sandbox.core.webhooks import outbox as outbox_module
from sandbox.core.webhooks.config import Target

FIXTURES = Fixtures(Catalog.load())
TARGET = Target("http://127.0.0.1:9/hook")


def tenant() -> Tenant:
    t = Tenant("core-webhooks", FIXTURES, TenantSettings(clock_mode="frozen"))
    t.webhooks.config.put({"url": TARGET.url})
    return t


def enqueue(t: Tenant, member: str, n: int):
    return t.webhooks.outbox.enqueue("MEMBER", member, "USR-1", {"n": n}, TARGET)


def test_only_a_lanes_head_is_handed_out_and_the_next_follows_its_ack():
    t = tenant()
    first, second, other = enqueue(t, "MBR-a", 1), enqueue(t, "MBR-a", 2), enqueue(t, "MBR-b", 3)
    sends = t.webhooks.outbox.take()
    assert [s.body["n"] for s in sends] == [1, 3]
    t.webhooks.outbox.record(sends[0], 204, None, 1.0)
    assert first.state == "delivered" and [s.body["n"] for s in t.webhooks.outbox.take()] == [2]
    assert second.state == "sending" and other.state == "sending"


def test_failures_retry_on_the_schedule_then_give_up():
    t = tenant()
    delivery = enqueue(t, "MBR-a", 1)
    start = t.clock.now()
    for _ in range(len(outbox_module.RETRY_SCHEDULE) + 1):
        [send] = t.webhooks.outbox.take()
        t.webhooks.outbox.record(send, 500, None, 1.0)
        t.clock.advance(86_400)
        t.settle()
    assert delivery.state == "failed" and len(delivery.attempts) == 13
    assert [a.at - start for a in delivery.attempts][1:4] == [30, 90, 210]
    assert t.webhooks.outbox.take() == [] and len(t.webhooks.outbox) == 0


def test_stale_and_duplicate_results_are_ignored():
    t = tenant()
    enqueue(t, "MBR-a", 1)
    [send] = t.webhooks.outbox.take()
    assert t.webhooks.outbox.record(send, 204, None, 1.0) is not None
    assert t.webhooks.outbox.record(send, 500, None, 1.0) is None


def test_pending_is_bounded(monkeypatch):
    monkeypatch.setattr(outbox_module, "MAX_PENDING", 3)
    t = tenant()
    made = [enqueue(t, f"MBR-{n}", n) for n in range(5)]
    assert made[3] is None and made[4] is None and t.webhooks.outbox.dropped == 2


@pytest.mark.parametrize("skip", [False, True])
def test_a_cause_is_echoed_or_suppresses(skip):
    t = tenant()
    user = t.users.create({"id": "u"})
    fields = {"institution_code": "mxbank", "credentials": [
        {"guid": c.guid, "value": v} for c, v in zip(t.catalog.get("mxbank").credentials, ["mxuser", "password"])]}
    with t.causes.caused_by(Cause("cGF5bG9hZA==", skip, "v20250224")):
        member = t.lifecycle.create_member(user.guid, fields)
    t.clock.advance(10)
    t.settle()  # the scheduled transitions run with no request: the run's cause still applies
    found = t.webhooks.outbox.deliveries(member_guid=member.guid)
    assert {d.state for d in found} == ({"skipped"} if skip else {"sending", "queued"})
    assert {d.body.get("callback_payload") for d in found if d.type == "MEMBER"} == {"cGF5bG9hZA=="}
    assert "initial_data_ready" in {d.type for d in found}
