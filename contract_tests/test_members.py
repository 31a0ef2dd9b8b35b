"""Member endpoints: create, read, list, update, delete, credentials, partner ids, versions, bad input."""
from __future__ import annotations

import pytest

from contract_tests.journeys import answer, connected, create_member, generic_credentials, mxbank_credentials, wait_for
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity


@pytest.fixture
def user(mx):
    if mx.target.is_sandbox:
        mx.freeze()
    return mx.create_user(id="member-tests")


def test_create_read_list_delete(mx, user):
    r = mx.post(f"/users/{user['guid']}/members", json={"member": {
        "institution_code": "mxbank", "credentials": mxbank_credentials(mx, "password"), "metadata": "m1"}})
    assert r.status_code == 202
    assert_valid(r)
    member = r.json()["member"]
    assert member["guid"].startswith("MBR-") and member["connection_status"] == "CREATED"
    assert member["is_being_aggregated"] is True and member["aggregated_at"] is not None
    assert member["user_guid"] == user["guid"] and member["user_id"] == "member-tests"
    assert member["institution_code"] == "mxbank" and member["name"] == "MX Bank"
    assert member["most_recent_job_guid"].startswith("JOB-")

    path = f"/users/{user['guid']}/members/{member['guid']}"
    r = mx.get(path)
    assert_valid(r)
    assert r.json()["member"]["guid"] == member["guid"]
    r = mx.get(f"/users/{user['guid']}/members")
    assert_valid(r)
    assert [m["guid"] for m in r.json()["members"]] == [member["guid"]]
    r = mx.get(f"{path}/credentials")
    assert_valid(r)
    assert {c["field_name"] for c in r.json()["credentials"]} == {"LOGIN", "PASSWORD"}
    assert "value" not in r.json()["credentials"][0]  # secrets are never echoed

    assert mx.delete(path).status_code == 204
    assert_mx_error(mx.get(path), 404)
    assert_mx_error(mx.get(f"{path}/status"), 404)
    assert mx.get(f"/users/{user['guid']}/members").json()["members"] == []


def test_v1_shapes(mx, user):
    r = mx.v1.post(f"/users/{user['guid']}/members", json={"member": {
        "institution_code": "mxbank", "credentials": mxbank_credentials(mx, "password"), "skip_aggregation": True}})
    assert r.status_code == 200
    assert_valid(r, "v20111101")
    member = r.json()["member"]
    assert member["is_being_aggregated"] is False and member["connection_status"] == "CREATED"
    for path in ("", "/status", "/credentials"):
        r = mx.v1.get(f"/users/{user['guid']}/members/{member['guid']}{path}")
        assert r.status_code == 200
        assert_valid(r, "v20111101")


def test_partner_ids_in_v20250224_paths(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"), member={"id": "my-member"})
    r = mx.get("/users/member-tests/members/my-member")
    assert r.status_code == 200 and r.json()["member"]["guid"] == member["guid"]
    assert mx.get("/users/member-tests/members/my-member/status").status_code == 200
    assert_mx_error(mx.v1.get(f"/users/{user['guid']}/members/my-member"), 404)


def test_duplicates_conflict(mx, user):
    creds = mxbank_credentials(mx, "password")
    create_member(mx, user["guid"], "mxbank", creds, member={"id": "m-dup"})
    assert_mx_error(mx.post(f"/users/{user['guid']}/members", json={"member": {"institution_code": "mxbank", "credentials": creds}}), 409)
    other = mxbank_credentials(mx, "other-password")
    assert_mx_error(mx.post(f"/users/{user['guid']}/members", json={"member": {"institution_code": "mxbank", "credentials": other, "id": "m-dup"}}), 409)
    assert mx.get(f"/users/{user['guid']}/members").json()["pagination"]["total_entries"] == 1


def test_member_of_another_user_is_404(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    stranger = mx.create_user(id="stranger")
    assert_mx_error(mx.get(f"/users/{stranger['guid']}/members/{member['guid']}"), 404)


@pytest.mark.parametrize("body, status", [
    ({"member": {"institution_code": "mxbank"}}, 400),
    ({"member": {"credentials": []}}, 400),
    ({"member": {"institution_code": "no_such_bank", "credentials": []}}, 404),
    ({"member": {"institution_code": "mxbank", "credentials": "mxuser"}}, 400),
    ({"member": {"institution_code": "mxbank", "credentials": [{"guid": "CRD-nope", "value": "x"}]}}, 400),
    ({"member": {"institution_code": "mxbank", "credentials": [{"guid": 5, "value": None}]}}, 400),
    ({"member": {"institution_code": "mxbank", "credentials": [], "is_oauth": "yes"}}, 400),
    ({"member": {"institution_code": "mxbank", "credentials": [], "is_oauth": True}}, 400),
    ({"member": {"institution_code": "mxbank", "credentials": []}, "data_request": {"products": ["magic"]}}, 400),
    ({"member": {"institution_code": "mxbank", "credentials": []}, "data_request": "all"}, 400),
    ({"member": 7}, 400),
    ({}, 400),
])
def test_bad_create_bodies(mx, user, body, status):
    assert_mx_error(mx.post(f"/users/{user['guid']}/members", json=body), status)
    assert mx.get(f"/users/{user['guid']}/members").json()["members"] == []


def test_missing_credential_field_is_400(mx, user):
    creds = mxbank_credentials(mx, "password")[:1]
    assert_mx_error(mx.post(f"/users/{user['guid']}/members", json={"member": {"institution_code": "mxbank", "credentials": creds}}), 400)


@pytest.mark.sandbox_only
def test_maintenance_institution_refuses_new_members(mx, user):
    code = "synth_foxglove_federal_credit_union"
    r = mx.post(f"/users/{user['guid']}/members", json={"member": {"institution_code": code, "credentials": generic_credentials(mx, code)}})
    assert "maintenance" in assert_mx_error(r, 400)


def test_update_metadata_and_bad_updates(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    path = f"/users/{user['guid']}/members/{member['guid']}"
    wait_for(mx, user["guid"], member["guid"], connected)
    r = mx.put(path, json={"member": {"metadata": "new", "background_aggregation_is_disabled": True}})
    assert r.status_code == 200
    assert_valid(r)
    body = r.json()["member"]
    assert body["metadata"] == "new" and body["background_aggregation_is_disabled"] is True
    assert body["is_being_aggregated"] is False  # no new credentials, no new aggregation
    assert_mx_error(mx.put(path, json={"member": {}}), 400)
    assert_mx_error(mx.put(path, json={"member": {"use_cases": ["GAMBLING"]}}), 400)
    assert_mx_error(mx.put(path, json={"member": {"metadata": 12}}), 400)
    assert mx.get(path).json()["member"]["metadata"] == "new"


@pytest.mark.sandbox_only
def test_delete_user_removes_members(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    assert mx.delete(f"/users/{user['guid']}").status_code == 204
    assert_mx_error(mx.get(f"/users/{user['guid']}/members/{member['guid']}"), 404)
    mx.advance(3600)  # nothing scheduled for the deleted member may fire into a void
    assert mx.events(kind="member", type="deleted")[-1]["data"]["member_guid"] == member["guid"]


def test_v1_mfa_and_jobs_validate(mx, user):
    from contract_tests.journeys import settled

    v1 = mx.v1
    r = v1.post(f"/users/{user['guid']}/members", json={"member": {
        "institution_code": "mxbank", "credentials": mxbank_credentials(mx, "options")}})
    assert r.status_code == 202
    member = r.json()["member"]
    path = f"/users/{user['guid']}/members/{member['guid']}"
    wait_for(mx, user["guid"], member["guid"], settled)
    r = v1.get(f"{path}/challenges")
    assert_valid(r, "v20111101")
    answers = [{"guid": c["guid"], "value": "correct"} for c in r.json()["challenges"]]
    r = v1.put(f"{path}/resume", json={"member": {"challenges": answers}})
    assert r.status_code == 202
    assert_valid(r, "v20111101")
    wait_for(mx, user["guid"], member["guid"], connected)
    for job, code in (("aggregate", 202), ("check_balance", 202)):
        r = v1.post(f"{path}/{job}")
        assert r.status_code == code
        assert_valid(r, "v20111101")
        # every partner-started job signs in again, so MX Bank's `options` password asks again
        assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == "CHALLENGED"
        answer(mx, user["guid"], member["guid"])
        wait_for(mx, user["guid"], member["guid"], connected)
    r = v1.get(f"/users/{user['guid']}/members")
    assert_valid(r, "v20111101")
