"""The widget's microdeposit path, headless: account details → microdeposit → (two minutes) → amounts.

Verification widgets fall back to microdeposits from search, for an institution without instant
verification, and when reopened with `current_microdeposit_guid`.
"""
from __future__ import annotations

import pytest

from contract_tests.test_conventions import assert_mx_error
from contract_tests.test_microdeposits import DEPOSIT_SECONDS, GOOD, amounts
from contract_tests.widget_support import act, assert_valid_anywhere, mint, names, open_session, read

pytestmark = pytest.mark.sandbox_only
VERIFY = {"data_request": {"products": ["account_verification"]}}
DETAILS = {k: GOOD[k] for k in ("routing_number", "account_number", "account_type", "first_name", "last_name", "email")}


def verification_session(mx):
    mx.freeze()
    user = mx.create_user()
    opened = open_session(mx, mint(mx, user["guid"], **VERIFY))
    return user, opened["widget_session"]["guid"]


def submitted(mx, **changes):
    user, guid = verification_session(mx)
    act(mx, guid, action="microdeposits")
    done = act(mx, guid, action="microdeposits", details={**DETAILS, **changes})
    return user, guid, done


def test_details_create_a_microdeposit_and_return_verifies_it(mx):
    user, guid, done = submitted(mx)
    assert names(done["events"]) == ["microdeposits/detailsSubmitted"]
    md_guid = done["events"][0]["metadata"]["microdeposit_guid"]
    assert done["widget_session"]["microdeposit"]["status"] == "INITIATED"
    md = mx.get(f"/users/{user['guid']}/micro_deposits/{md_guid}").json()["micro_deposit"]
    assert md["account_number"] == GOOD["account_number"] and md["status"] == "INITIATED"
    assert names(read(mx, guid)["events"]) == ["load", "stepChange:>search", "loaded",
                                               "stepChange:search>microdeposits", "microdeposits/loaded",
                                               "microdeposits/detailsSubmitted"]
    assert_valid_anywhere(read(mx, guid)["events"])

    mx.advance(DEPOSIT_SECONDS)
    back = open_session(mx, mint(mx, user["guid"], current_microdeposit_guid=md_guid, **VERIFY))
    assert back["widget_session"]["step"] == "microdeposits"
    assert back["widget_session"]["microdeposit"]["status"] == "DEPOSITED"
    assert names(back["events"]) == ["load", "stepChange:>microdeposits", "loaded", "microdeposits/loaded"]
    assert back["events"][3]["metadata"]["microdeposit_guid"] == md_guid
    again = back["widget_session"]["guid"]
    a1, a2 = amounts(mx, {"guid": md_guid})
    bad = next(x for x in (0.01, 0.02, 0.03) if x not in (a1, a2))  # never the pair, in any order
    wrong = act(mx, again, action="verify_microdeposits", amounts=[bad, a2])
    assert wrong["events"] == [] and "2 attempts left" in wrong["widget_session"]["error"]
    verified = act(mx, again, action="verify_microdeposits", amounts=[a2, a1])
    assert names(verified["events"]) == ["microdeposits/verified"]
    assert verified["events"][0]["metadata"] == {"user_guid": user["guid"], "session_guid": again,
                                                 "microdeposit_guid": md_guid}
    assert mx.get(f"/users/{user['guid']}/micro_deposits/{md_guid}").json()["micro_deposit"]["status"] == "VERIFIED"
    assert_valid_anywhere(read(mx, again)["events"])
    timeline = mx.events(kind="widget", session_guid=again)
    assert [e["type"] for e in timeline][-1] == "mx/connect/microdeposits/verified"


@pytest.mark.parametrize("routing, reason", [("222222226", "BLOCKED"), ("021000021", "IAV_PREFERRED")])
def test_blocked_routing_number_is_reported_and_the_form_stays(mx, routing, reason):
    user, guid, done = submitted(mx, routing_number=routing)
    assert names(done["events"]) == ["microdeposits/blockedRoutingNumber"]
    assert done["events"][0]["metadata"]["routing_number"] == routing
    assert done["events"][0]["metadata"]["reason"] == reason
    assert done["step"] == "microdeposits" and done["widget_session"]["microdeposit"] is None
    assert done["widget_session"]["error"]
    assert_valid_anywhere(done["events"])
    assert mx.get(f"/users/{user['guid']}/micro_deposits").json()["micro_deposits"] == []
    fixed = act(mx, guid, action="microdeposits", details=DETAILS)
    assert names(fixed["events"]) == ["microdeposits/detailsSubmitted"]


def test_bad_details_are_400_and_change_nothing(mx):
    user, guid = verification_session(mx)
    act(mx, guid, action="microdeposits")
    before = read(mx, guid)["events"]
    for details in ({**DETAILS, "routing_number": "123456789"}, {**DETAILS, "email": ""},
                    {**DETAILS, "account_type": "LOAN"}, {**DETAILS, "surprise": 1}, "nope"):
        r = mx.http.post(f"/_sandbox/widget_sessions/{guid}/actions", json={"action": "microdeposits", "details": details})
        assert_mx_error(r, 400)
    r = mx.http.post(f"/_sandbox/widget_sessions/{guid}/actions", json={"action": "verify_microdeposits", "amounts": [0.1, 0.2]})
    assert_mx_error(r, 409)  # nothing deposited yet
    assert read(mx, guid)["events"] == before
    assert mx.get(f"/users/{user['guid']}/micro_deposits").json()["micro_deposits"] == []


def test_institution_without_verification_falls_back_to_microdeposits(mx):
    user, guid = verification_session(mx)
    chosen = act(mx, guid, action="select_institution", code="synth_aspen_bank")
    assert names(chosen["events"]) == ["selectedInstitution", "stepChange:search>microdeposits", "microdeposits/loaded"]
    # an aggregation widget has no microdeposits
    other = open_session(mx, mint(mx, user["guid"]))["widget_session"]["guid"]
    r = mx.http.post(f"/_sandbox/widget_sessions/{other}/actions", json={"action": "microdeposits"})
    assert_mx_error(r, 409)


def test_current_microdeposit_guid_must_be_the_users(mx):
    user, guid, done = submitted(mx)
    md_guid = done["events"][0]["metadata"]["microdeposit_guid"]
    stranger = mx.create_user()
    r = mx.post(f"/users/{stranger['guid']}/widget_urls",
                json={"widget_url": {"widget_type": "connect_widget", "current_microdeposit_guid": md_guid, **VERIFY}})
    assert_mx_error(r, 404)
    # before the deposits arrive the step shows the microdeposit as requested, with nothing to verify
    view = open_session(mx, mint(mx, user["guid"], current_microdeposit_guid=md_guid, **VERIFY))["widget_session"]
    assert view["step"] == "microdeposits" and view["microdeposit"]["status"] in ("INITIATED", "REQUESTED")
