"""The whole guide, end to end, for each product: widget (or API) → status → data (step 8)."""
from __future__ import annotations

import queue
import time

import pytest

from contract_tests.guide_client import GuideClient
from sandbox.testing.receiver import WebhookReceiver

pytestmark = pytest.mark.parity

PRODUCTS = ["transactions", "transaction_history", "account_verification", "identity_verification",
            "statements", "investments", "rewards"]
WHAT = {"transactions": "transactions", "transaction_history": "transactions", "account_verification": "account_numbers",
        "identity_verification": "account_owners", "statements": "statements", "investments": "holdings",
        "rewards": "rewards"}


def guide_for(mx) -> GuideClient:
    if mx.target.is_sandbox:
        mx.freeze(now="2026-03-02T10:00:00Z")
        return GuideClient(mx.http, sleep=mx.advance)
    return GuideClient(mx.http, sleep=time.sleep)


@pytest.mark.parametrize("product", PRODUCTS)
def test_guide_journey_per_product(mx, product):
    guide = guide_for(mx)
    user = mx.create_user()["guid"]
    products = [product] if product != "transaction_history" else ["transactions", product]
    values = {"LOGIN": "mxuser", "PASSWORD": "challenge"}
    if mx.target.is_sandbox:
        member = guide.connect_in_widget(guide.widget_url(user, products), "mxbank", values)
    else:
        member = guide.connect_by_api(user, "mxbank", values, products)
    status = guide.wait_until_aggregated(user, member)
    assert status["successfully_aggregated_at"] is not None
    assert "CHALLENGED" in guide.statuses_seen and guide.statuses_seen[-1] == "CONNECTED"

    data = guide.retrieve(user, member, products)
    accounts = {a["guid"]: a for a in data["accounts"]}
    assert accounts and all(a["member_guid"] == member for a in accounts.values())
    found = data[WHAT[product]]
    assert found, f"{product} produced no {WHAT[product]}"
    for record in found:
        if "account_guid" in record and record["account_guid"] is not None:
            assert record["account_guid"] in accounts
    if product in ("account_verification", "identity_verification"):
        assert {accounts[r["account_guid"]]["type"] for r in found} <= {"CHECKING", "SAVINGS"}
    if product == "investments":
        assert {accounts[h["account_guid"]]["type"] for h in found} == {"INVESTMENT"}
    if product == "transaction_history":
        oldest = min(t["date"] for t in found)
        assert oldest < "2025-09-01"  # well beyond the default ~90 days
    if product == "transactions":
        assert all(t["member_guid"] == member for t in found)


@pytest.mark.sandbox_only
def test_guide_journey_finished_by_webhook_instead_of_polling(mx):
    if not mx.target.is_sandbox:
        pytest.skip("MX cannot reach a loopback receiver")
    guide = guide_for(mx)
    inbox: queue.Queue = queue.Queue()
    with WebhookReceiver(on_receive=inbox.put) as receiver:
        assert mx.http.put("/_sandbox/webhooks", json={"url": receiver.url, "types": ["MEMBER", "CONNECTION_STATUS"]}).status_code == 200
        user = mx.create_user()["guid"]
        member = guide.connect_in_widget(guide.widget_url(user, ["transactions"]), "mxbank",
                                         {"LOGIN": "mxuser", "PASSWORD": "challenge"})
        status = guide.wait_until_aggregated_by_webhook(user, member, inbox)
    assert status["connection_status"] == "CONNECTED" and not status["is_being_aggregated"]
    assert guide.statuses_seen[0] == "CREATED" and "CHALLENGED" in guide.statuses_seen
    assert guide.statuses_seen[-1] == "CONNECTED"
    polls = [e for e in mx.events(kind="api") if e["type"].endswith("/status")]
    assert len(polls) == 1, "the status is read once, at the end"
    assert guide.retrieve(user, member, ["transactions"])["transactions"]
