"""Webhooks: every type with MX's fields, the X-CALLBACK-PAYLOAD echo (API and widget session),
MX-Skip-Webhook, per-type URLs, Basic auth to the receiver and `fire`. Real loopback receivers."""
from __future__ import annotations

import base64
import time
from datetime import datetime, timezone

import pytest

from contract_tests import widget_support as widget
from contract_tests.journeys import answer
from contract_tests.test_conventions import assert_mx_error
from contract_tests.webhook_support import connect, deliveries, hook, receiver, run_job  # noqa: F401
from sandbox.testing.receiver import WebhookReceiver

pytestmark = pytest.mark.sandbox_only
PAYLOAD = base64.b64encode(b'{"order": 42}').decode()
MEMBER_FIELDS = {"action", "aggregated_at", "connection_status", "connection_status_id", "connection_status_message",
                 "created_at", "guid", "id", "institution_code", "institution_guid", "is_being_aggregated",
                 "revision", "type", "user_guid"}
JOB_FIELDS = {"action", "completed_at", "completed_on", "is_background", "job_guid", "member_guid",
              "transactions_created_count", "transactions_updated_count", "type", "user_guid", "user_id"}


def test_a_connection_sends_member_aggregation_and_initial_data_ready(mx, receiver):
    hook(mx, receiver.url)
    user, member = connect(mx)
    mx.advance(10)
    agg = receiver.wait_for("AGGREGATION", member["guid"])
    assert JOB_FIELDS <= set(agg)
    assert agg["action"] == "member_data_updated" and agg["is_background"] is False
    assert agg["transactions_created_count"] > 0 and agg["transactions_updated_count"] == 0
    assert agg["user_id"] == "webhooks" and agg["job_guid"].startswith("JOB-")
    assert datetime.fromtimestamp(agg["completed_at"], timezone.utc).strftime("%Y-%m-%d") == agg["completed_on"]
    ready = receiver.wait_for("initial_data_ready", member["guid"])
    assert set(ready) == {"type", "guid", "client_guid", "user_guid", "member_guid"}
    assert ready["client_guid"].startswith("CLT-") and ready["user_guid"] == user["guid"]
    last = receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    members = receiver.matching("MEMBER", member["guid"])
    assert [m["action"] for m in members] == ["CREATED", "UPDATED", "UPDATED"]
    assert [m["revision"] for m in members] == [1, 2, 3]
    assert MEMBER_FIELDS <= set(members[0])
    assert members[0]["connection_status"] == "CREATED" and members[0]["connection_status_id"] == 0
    assert last["connection_status"] == "CONNECTED" and last["successfully_aggregated_at"] == agg["completed_at"]
    assert not receiver.matching("CONNECTION_STATUS"), "CONNECTED asks nothing of the user"


def test_v20111101_clients_get_no_initial_data_ready(mx, receiver):
    hook(mx, receiver.url)
    v1 = mx.v1
    user = mx.create_user(id="v1-webhooks")
    mx.freeze()
    _, member = connect(v1, user=user)
    mx.advance(10)
    receiver.wait_for("AGGREGATION", member["guid"])
    receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    assert not receiver.matching("initial_data_ready")


@pytest.mark.parametrize("password,status", [("INVALID", "DENIED"), ("LOCKED", "LOCKED"), ("challenge", "CHALLENGED")])
def test_user_action_statuses_send_connection_status(mx, receiver, password, status):
    hook(mx, receiver.url)
    _, member = connect(mx, password)
    mx.advance(5)
    body = receiver.wait_for("CONNECTION_STATUS", member["guid"])
    assert body == {**body, "action": "CHANGED", "connection_status": status, "type": "CONNECTION_STATUS"}
    assert body["connection_status_id"] == {"DENIED": 2, "LOCKED": 5, "CHALLENGED": 3}[status]
    assert body["connection_status_message"] and body["user_guid"].startswith("USR-")


def test_mfa_rejected_and_expired_send_connection_status(mx, receiver):
    hook(mx, receiver.url, types=["CONNECTION_STATUS"])
    user, member = connect(mx, "challenge")
    mx.advance(5)
    receiver.wait_for("CONNECTION_STATUS", member["guid"], connection_status="CHALLENGED")
    assert answer(mx, user["guid"], member["guid"], "wrong").status_code == 202
    mx.advance(5)
    receiver.wait_for("CONNECTION_STATUS", member["guid"], connection_status="REJECTED")
    _, other = connect(mx, "challenge", user_id="second")
    mx.advance(3600)
    receiver.wait_for("CONNECTION_STATUS", other["guid"], connection_status="EXPIRED")


def test_premium_jobs_send_their_own_types(mx, receiver):
    hook(mx, receiver.url, types=["AGGREGATION", "BALANCE", "HISTORY", "STATEMENT", "VERIFICATION"])
    user, member = connect(mx)
    mx.advance(10)
    receiver.wait_for("AGGREGATION", member["guid"])
    for job, kind in [("check_balance", "BALANCE"), ("extend_history", "HISTORY"),
                      ("fetch_statements", "STATEMENT"), ("verify", "VERIFICATION")]:
        run_job(mx, user, member, job)
        body = receiver.wait_for(kind, member["guid"])
        assert JOB_FIELDS <= set(body) and body["action"] == "member_data_updated", body
    assert receiver.matching("HISTORY")[0]["transactions_created_count"] > 0
    assert receiver.matching("BALANCE")[0]["transactions_created_count"] == 0
    assert receiver.matching("STATEMENT")[0]["statements_created_count"] > 0


def test_background_aggregation_is_flagged(mx, receiver):
    hook(mx, receiver.url, types=["AGGREGATION"])
    _, member = connect(mx)
    mx.advance(10)
    receiver.wait_for("AGGREGATION", member["guid"], is_background=False)
    mx.advance(25 * 3600)
    body = receiver.wait_for("AGGREGATION", member["guid"], is_background=True)
    assert body["completed_at"] > receiver.matching("AGGREGATION")[0]["completed_at"]


def test_update_and_delete_send_member_webhooks(mx, receiver):
    hook(mx, receiver.url, types=["MEMBER"])
    user, member = connect(mx)
    mx.advance(10)
    receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    r = mx.put(f"/users/{user['guid']}/members/{member['guid']}", json={"member": {"metadata": "renamed"}})
    assert r.status_code == 200, r.text
    assert receiver.wait_for("MEMBER", member["guid"], metadata="renamed")["action"] == "UPDATED"
    assert mx.delete(f"/users/{user['guid']}/members/{member['guid']}").status_code == 204
    deleted = receiver.wait_for("MEMBER", member["guid"], action="DELETED")
    assert deleted["revision"] == max(b["revision"] for b in receiver.matching("MEMBER", member["guid"]))


def test_microdeposit_status_changes_send_microdeposit(mx, receiver):
    from contract_tests.test_microdeposits import GOOD

    hook(mx, receiver.url, types=["MICRODEPOSIT"])
    mx.freeze()
    user = mx.create_user()
    md = mx.post(f"/users/{user['guid']}/micro_deposits", json={"micro_deposit": GOOD}).json()["micro_deposit"]
    mx.advance(300)
    body = receiver.wait_for("MICRODEPOSIT", microdeposit_guid=md["guid"], status="DEPOSITED")
    assert body["user_guid"] == user["guid"] and body["action"] == "CHANGED"


# -- X-CALLBACK-PAYLOAD ----------------------------------------------------------------------------
def test_callback_payload_from_create_is_echoed_by_the_whole_connection(mx, receiver):
    hook(mx, receiver.url, types=["MEMBER"])
    _, member = connect(mx, headers={"X-CALLBACK-PAYLOAD": PAYLOAD})
    mx.advance(10)
    receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    assert {b.get("callback_payload") for b in receiver.matching("MEMBER", member["guid"])} == {PAYLOAD}


@pytest.mark.parametrize("job", ["aggregate", "verify"])
def test_callback_payload_from_a_job_request_is_echoed(mx, receiver, job):
    hook(mx, receiver.url, types=["MEMBER"])
    user, member = connect(mx)
    mx.advance(10)
    receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
    other = base64.b64encode(job.encode()).decode()
    run_job(mx, user, member, job, headers={"X-CALLBACK-PAYLOAD": other})
    body = receiver.wait_for("MEMBER", member["guid"], callback_payload=other, is_being_aggregated=False)
    assert body["action"] == "UPDATED"
    assert not any(b.get("callback_payload") for b in receiver.matching("MEMBER", member["guid"])[:3])


def test_callback_payload_from_widget_urls_reaches_members_the_session_creates(mx, receiver):
    hook(mx, receiver.url, types=["MEMBER"])
    mx.freeze()
    user = mx.create_user()
    r = mx.post(f"/users/{user['guid']}/widget_urls", headers={"X-CALLBACK-PAYLOAD": PAYLOAD},
                json={"widget_url": {"widget_type": "connect_widget"}})
    assert r.status_code == 200, r.text
    guid = widget.open_session(mx, r.json()["widget_url"]["url"])["widget_session"]["guid"]
    widget.act(mx, guid, action="search", query="mxbank")
    session = widget.act(mx, guid, action="select_institution", code="mxbank")["widget_session"]
    widget.act(mx, guid, action="submit_credentials", credentials=widget.credentials(session, "mxuser", "password"))
    mx.advance(10)
    member_guid = widget.read(mx, guid)["member"]["guid"]
    created = receiver.wait_for("MEMBER", member_guid, action="CREATED")
    assert created["callback_payload"] == PAYLOAD
    receiver.wait_for("MEMBER", member_guid, is_being_aggregated=False, callback_payload=PAYLOAD)


def test_oversized_callback_payload_is_400_and_creates_nothing(mx, receiver):
    hook(mx, receiver.url)
    user = mx.create_user()
    r = mx.post(f"/users/{user['guid']}/members", headers={"X-CALLBACK-PAYLOAD": "A" * 1025},
                json={"member": {"institution_code": "mxbank", "credentials": []}})
    assert_mx_error(r, 400)
    assert mx.get(f"/users/{user['guid']}/members").json()["members"] == []


# -- MX-Skip-Webhook -------------------------------------------------------------------------------
def test_skip_webhook_suppresses_what_the_request_causes(mx, receiver):
    hook(mx, receiver.url)
    _, skipped = connect(mx, headers={"MX-Skip-Webhook": "true"})
    _, sent = connect(mx, user_id="not-skipped")
    mx.advance(10)
    receiver.wait_for("AGGREGATION", sent["guid"])
    receiver.wait_for("MEMBER", sent["guid"], is_being_aggregated=False)
    assert not receiver.matching(member_guid=skipped["guid"])
    states = {d["state"] for d in deliveries(mx, member_guid=skipped["guid"])}
    assert states == {"skipped"}
    mx.advance(25 * 3600)  # the member's next (background) run is not the skipped request's
    receiver.wait_for("AGGREGATION", skipped["guid"], is_background=True)


# -- configuration ---------------------------------------------------------------------------------
def test_each_type_can_have_its_own_url(mx, receiver):
    with WebhookReceiver() as other:
        hook(mx, receiver.url, types=["MEMBER"])
        hook(mx, other.url, types=["AGGREGATION"])
        _, member = connect(mx)
        mx.advance(10)
        other.wait_for("AGGREGATION", member["guid"])
        receiver.wait_for("MEMBER", member["guid"], is_being_aggregated=False)
        assert {b["type"] for b in receiver.received} == {"MEMBER"}
        assert {b["type"] for b in other.received} == {"AGGREGATION"}
    config = mx.http.get("/_sandbox/webhooks").json()["webhooks"]
    assert config["default"] is None and set(config["types"]) == {"MEMBER", "AGGREGATION"}


def test_basic_auth_reaches_the_receiver_and_the_password_is_never_shown(mx, receiver):
    config = hook(mx, receiver.url, basic_auth={"username": "partner", "password": "s3cret"})
    assert config["default"]["basic_auth"] == {"username": "partner"}
    _, member = connect(mx)
    receiver.wait_for("MEMBER", member["guid"])
    expected = "Basic " + base64.b64encode(b"partner:s3cret").decode()
    assert {r.headers.get("Authorization") for r in receiver.requests} == {expected}
    assert "s3cret" not in mx.http.get("/_sandbox/webhooks").text


def test_server_webhook_url_is_every_tenants_default(mx_target):
    if mx_target.kind != "sandbox":
        pytest.skip("starts its own server")
    import httpx

    from contract_tests.harness import V2025, SandboxProcess

    with WebhookReceiver() as r, SandboxProcess("--webhook-url", r.url) as server:
        with httpx.Client(base_url=server.url, auth=("default-url", "k"), headers=V2025) as http:
            assert http.get("/_sandbox/webhooks").json()["webhooks"]["default"]["url"] == r.url
            user = http.post("/users", json={"user": {"id": "default-url"}}).json()["user"]
            creds = [{"guid": c["guid"], "value": v} for c, v in
                     zip(http.get("/institutions/mxbank/credentials").json()["credentials"], ["mxuser", "password"])]
            member = http.post(f"/users/{user['guid']}/members",
                               json={"member": {"institution_code": "mxbank", "credentials": creds}}).json()["member"]
            r.wait_for("MEMBER", member["guid"], action="CREATED")
            assert http.delete("/_sandbox/webhooks").status_code == 204  # this tenant opts out
            assert http.get("/_sandbox/webhooks").json()["webhooks"]["default"] is None


@pytest.mark.parametrize("body", [
    {}, {"url": "ftp://x"}, {"url": "not a url"}, {"url": 5}, {"url": "http://127.0.0.1:1/", "types": ["NOPE"]},
    {"url": "http://127.0.0.1:1/", "types": []}, {"url": "http://127.0.0.1:1/", "basic_auth": "user:pw"},
    {"url": "http://127.0.0.1:1/", "timeout_seconds": 0}, {"url": "http://127.0.0.1:1/", "colour": "red"},
])
def test_bad_configuration_is_400_and_changes_nothing(mx, body):
    if not mx.target.is_sandbox:
        pytest.skip("sandbox control API")
    before = mx.http.get("/_sandbox/webhooks").json()
    assert_mx_error(mx.http.put("/_sandbox/webhooks", json=body), 400)
    assert mx.http.get("/_sandbox/webhooks").json() == before


# -- fire ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["MEMBER", "CONNECTION_STATUS", "AGGREGATION", "STATEMENT", "initial_data_ready"])
def test_fire_sends_one_now(mx, receiver, kind):
    user, member = connect(mx)
    hook(mx, receiver.url)  # after creating: only the fired one arrives
    r = mx.http.post("/_sandbox/webhooks/fire", json={"type": kind, "member_guid": member["guid"]})
    assert r.status_code == 202, r.text
    body = receiver.wait_for(kind, member["guid"])
    assert r.json()["delivery"]["body"] == body
    time.sleep(0.2)
    assert len(receiver.received) == 1


@pytest.mark.parametrize("body,status", [
    ({"type": "NOPE", "member_guid": "MBR-x"}, 400), ({"member_guid": "MBR-x"}, 400),
    ({"type": "MEMBER"}, 400), ({"type": "MEMBER", "member_guid": "MBR-missing"}, 404),
    ({"type": "MICRODEPOSIT"}, 400),
])
def test_fire_refuses_bad_requests(mx, receiver, body, status):
    hook(mx, receiver.url)
    assert_mx_error(mx.http.post("/_sandbox/webhooks/fire", json=body), status)


def test_fire_without_a_url_is_400(mx):
    if not mx.target.is_sandbox:
        pytest.skip("sandbox control API")
    _, member = connect(mx)
    r = mx.http.post("/_sandbox/webhooks/fire", json={"type": "MEMBER", "member_guid": member["guid"]})
    assert_mx_error(r, 400)
