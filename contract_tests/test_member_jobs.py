"""Aggregation jobs: success codes, same-type 202, other-type 409, unsupported 400, throttle, background."""
from __future__ import annotations

import pytest

from contract_tests.journeys import (connected, create_member, generic_credentials, mxbank_credentials, settled,
                                     status, wait_for)
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity

JOB_CODES = {
    "aggregate": 202, "check_balance": 202, "identify": 202, "verify": 200,
    "extend_history": 202, "fetch_statements": 202, "fetch_rewards": 200,
}
PLAIN = "synth_aspen_bank"  # transactions only, throttled like an ordinary institution


@pytest.fixture
def user(mx):
    if mx.target.is_sandbox:
        mx.freeze()
    return mx.create_user()


def connected_member(mx, user, code="mxbank"):
    creds = mxbank_credentials(mx, "password") if code == "mxbank" else generic_credentials(mx, code)
    member = create_member(mx, user["guid"], code, creds)
    wait_for(mx, user["guid"], member["guid"], connected)
    return member, f"/users/{user['guid']}/members/{member['guid']}"


@pytest.mark.parametrize("job, code", JOB_CODES.items())
def test_each_job_endpoint(mx, user, job, code):
    member, path = connected_member(mx, user)
    before = status(mx, user["guid"], member["guid"])
    r = mx.post(f"{path}/{job}")
    assert r.status_code == code
    assert_valid(r)
    started = r.json()["member"]
    assert started["is_being_aggregated"] is True
    assert started["most_recent_job_guid"] != member["most_recent_job_guid"]
    final = wait_for(mx, user["guid"], member["guid"], connected)
    assert final["successfully_aggregated_at"] >= before["successfully_aggregated_at"]
    if job == "verify":
        assert final["has_processed_account_numbers"] is True


def test_same_type_while_running_is_202_with_nothing_new(mx, user):
    member, path = connected_member(mx, user)
    first = mx.post(f"{path}/aggregate").json()["member"]
    again = mx.post(f"{path}/aggregate")
    assert again.status_code == 202
    assert again.json()["member"]["most_recent_job_guid"] == first["most_recent_job_guid"]


def test_other_type_while_running_is_409(mx, user):
    member, path = connected_member(mx, user)
    mx.post(f"{path}/aggregate")
    assert_mx_error(mx.post(f"{path}/verify"), 409)
    wait_for(mx, user["guid"], member["guid"], connected)
    assert mx.post(f"{path}/verify").status_code == 200


@pytest.mark.sandbox_only
@pytest.mark.parametrize("job", ["identify", "verify", "extend_history", "fetch_statements", "fetch_rewards"])
def test_premium_job_unsupported_by_institution_is_400(mx, user, job):
    member, path = connected_member(mx, user, PLAIN)
    message = assert_mx_error(mx.post(f"{path}/{job}"), 400)
    assert "does not support" in message
    assert status(mx, user["guid"], member["guid"])["is_being_aggregated"] is False


@pytest.mark.sandbox_only
def test_three_hour_throttle_for_ordinary_institutions(mx, user):
    member, path = connected_member(mx, user, PLAIN)
    job = member["most_recent_job_guid"]
    r = mx.post(f"{path}/aggregate")
    assert r.status_code == 202
    assert r.json()["member"]["is_being_aggregated"] is False  # throttled: nothing started
    assert r.json()["member"]["most_recent_job_guid"] == job
    mx.advance(3 * 3600)
    r = mx.post(f"{path}/aggregate")
    assert r.json()["member"]["is_being_aggregated"] is True
    assert r.json()["member"]["most_recent_job_guid"] != job


def test_mxbank_is_never_throttled(mx, user):
    member, path = connected_member(mx, user)
    r = mx.post(f"{path}/aggregate")
    assert r.status_code == 202 and r.json()["member"]["is_being_aggregated"] is True


@pytest.mark.sandbox_only
def test_extend_history_does_not_start_the_throttle(mx, user):
    code = "synth_ironwood_bank"  # transactions, transaction_history, identity_verification
    member, path = connected_member(mx, user, code)
    mx.advance(3 * 3600)
    assert mx.post(f"{path}/extend_history").status_code == 202
    wait_for(mx, user["guid"], member["guid"], connected)
    assert mx.post(f"{path}/aggregate").json()["member"]["is_being_aggregated"] is True


def test_resume_when_not_challenged_is_405(mx, user):
    member, path = connected_member(mx, user)
    r = mx.put(f"{path}/resume", json={"member": {"challenges": [{"guid": "CRD-x", "value": "correct"}]}})
    assert_mx_error(r, 405)
    assert mx.get(f"{path}/challenges").status_code == 204


def test_resume_with_bad_bodies(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "challenge"))
    wait_for(mx, user["guid"], member["guid"], settled)
    path = f"/users/{user['guid']}/members/{member['guid']}"
    for body in ({"member": {"challenges": "correct"}}, {"member": {"challenges": [{"guid": "CRD-unknown", "value": "x"}]}},
                 {"member": {"challenges": []}}, {"member": {}}):
        assert_mx_error(mx.put(f"{path}/resume", json=body), 400)
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "CHALLENGED"


@pytest.mark.sandbox_only
def test_requested_products_run_as_follow_up_jobs(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "challenge"),
                           data_request={"products": ["transactions", "account_verification", "identity_verification"]})
    wait_for(mx, user["guid"], member["guid"], settled)
    from contract_tests.journeys import answer

    answer(mx, user["guid"], member["guid"])
    final = wait_for(mx, user["guid"], member["guid"], connected)
    assert final["has_processed_account_numbers"] is True  # identify, a follow-up, keeps what verify did
    jobs = [e["data"]["job_type"] for e in mx.events(kind="member", type="job_completed", member_guid=member["guid"])]
    assert jobs == ["aggregate", "verify", "identify"]
    assert len(mx.events(kind="member", type="aggregation_finished", member_guid=member["guid"])) == 1
    assert len(mx.events(kind="member", type="connection_status", member_guid=member["guid"])) == 4  # one MFA only


@pytest.mark.sandbox_only
def test_background_aggregation_runs_daily(mx, user):
    member, path = connected_member(mx, user, PLAIN)
    mx.advance(24 * 3600 + 1)
    started = mx.events(kind="member", type="job_started", member_guid=member["guid"])
    assert started[-1]["data"]["is_background"] is True
    assert status(mx, user["guid"], member["guid"])["is_being_aggregated"] is True
    wait_for(mx, user["guid"], member["guid"], connected)


@pytest.mark.sandbox_only
def test_background_aggregation_respects_opt_out(mx, user):
    member, path = connected_member(mx, user, PLAIN)
    mx.put(path, json={"member": {"background_aggregation_is_disabled": True}})
    mx.advance(3 * 24 * 3600)
    assert [e["data"]["is_background"] for e in mx.events(kind="member", type="job_started", member_guid=member["guid"])] == [False]


@pytest.mark.sandbox_only
def test_force_status_simulates_later_life(mx, user):
    member, path = connected_member(mx, user)
    mx.advance(2 * 86400 - 100)
    r = mx.http.put(f"/_sandbox/members/{member['guid']}", json={"connection_status": "DEGRADED"})
    assert r.status_code == 200 and r.json()["member"]["connection_status"] == "DEGRADED"
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "DEGRADED"
    r = mx.http.put(f"/_sandbox/members/{member['guid']}", json={"connection_status": "DISCONNECTED", "is_being_aggregated": True})
    assert r.json()["member"]["is_being_aggregated"] is True
    transitions = mx.events(kind="member", type="connection_status", member_guid=member["guid"])
    assert [(e["data"]["old"], e["data"]["new"], e["data"]["forced"]) for e in transitions[-2:]] == [
        ("CONNECTED", "DEGRADED", True), ("DEGRADED", "DISCONNECTED", True)]
    for bad in ({"connection_status": "HAPPY"}, {}, {"connection_status": "CHALLENGED", "challenge": "riddle"},
                {"connection_status": "DENIED", "is_being_aggregated": "no"}):
        assert_mx_error(mx.http.put(f"/_sandbox/members/{member['guid']}", json=bad), 400)
    assert_mx_error(mx.http.put("/_sandbox/members/MBR-unknown", json={"connection_status": "DENIED"}), 404)
    # a forced challenge can be answered like a real one
    mx.http.put(f"/_sandbox/members/{member['guid']}", json={"connection_status": "CHALLENGED", "challenge": "options"})
    from contract_tests.journeys import answer

    assert answer(mx, user["guid"], member["guid"]).status_code == 202
    assert wait_for(mx, user["guid"], member["guid"], connected)["connection_status"] == "CONNECTED"
