"""MX Bank's test credentials and MFA, as MX documents them for int-api.mx.com."""
from __future__ import annotations

import pytest

from contract_tests.journeys import (answer, connected, create_member, mxbank_credentials, settled, status,
                                     wait_for)
from contract_tests.spec import assert_valid

pytestmark = pytest.mark.parity

PASSWORD_ROWS = [
    ("password", "CONNECTED"),
    ("anything-else", "CONNECTED"),
    ("challenge", "CHALLENGED"),
    ("options", "CHALLENGED"),
    ("image", "CHALLENGED"),
    ("BAD_REQUEST", "FAILED"),
    ("UNAUTHORIZED", "DENIED"),
    ("INVALID", "DENIED"),
    ("LOCKED", "LOCKED"),
    ("DISABLED", "DENIED"),
    ("SERVER_ERROR", "FAILED"),
    ("UNAVAILABLE", "FAILED"),
    ("Challenge", "CONNECTED"),  # passwords are case-sensitive
]


@pytest.fixture
def user(mx):
    if mx.target.is_sandbox:
        mx.freeze()
    return mx.create_user()


def connect(mx, user, password):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, password))
    return member, wait_for(mx, user["guid"], member["guid"], settled)


@pytest.mark.parametrize("password, expected", PASSWORD_ROWS)
def test_password_row(mx, user, password, expected):
    member, final = connect(mx, user, password)
    assert final["connection_status"] == expected
    assert final["is_being_aggregated"] is (expected == "CHALLENGED")
    r = mx.get(f"/users/{user['guid']}/members/{member['guid']}/status")
    assert_valid(r)
    if expected == "CONNECTED":
        assert final["is_authenticated"] and final["successfully_aggregated_at"]
        assert final["has_processed_accounts"] and final["has_processed_transactions"]
    else:
        assert final["successfully_aggregated_at"] is None


def test_wrong_username_is_denied(mx, user):
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password", username="someone"))
    assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == "DENIED"


CHALLENGE_TYPES = [
    ("challenge", "TEXT"),
    ("options", "OPTIONS"),
    ("image", "IMAGE_DATA"),
    ("image_options", "IMAGE_OPTIONS"),
    ("token", "TOKEN"),
]


@pytest.mark.parametrize("password, challenge_type", CHALLENGE_TYPES)
def test_mfa_answered_right_connects(mx, user, password, challenge_type):
    if not mx.target.is_sandbox and password in ("image_options", "token"):
        pytest.skip("the image_options and token passwords are sandbox additions")
    member, final = connect(mx, user, password)
    assert final["connection_status"] == "CHALLENGED"
    challenges = final["challenges"]
    assert challenges and challenges[0]["type"] == challenge_type and challenges[0]["guid"].startswith("CRD-")
    r = mx.get(f"/users/{user['guid']}/members/{member['guid']}/challenges")
    assert_valid(r)
    assert [c["guid"] for c in r.json()["challenges"]] == [c["guid"] for c in challenges]
    if challenge_type == "OPTIONS":
        assert "correct" in [o["value"] for o in challenges[0]["options"]]
    if challenge_type == "IMAGE_DATA":
        assert challenges[0]["image_data"].startswith("data:image/png;base64,")
    resumed = answer(mx, user["guid"], member["guid"])
    assert resumed.status_code == 202
    assert_valid(resumed)
    assert resumed.json()["member"]["connection_status"] == "RESUMED"
    final = wait_for(mx, user["guid"], member["guid"], connected)
    assert final["is_authenticated"] is True
    assert mx.get(f"/users/{user['guid']}/members/{member['guid']}/challenges").status_code == 204


@pytest.mark.parametrize("password", ["challenge", "options", "image"])
def test_mfa_answered_wrong_is_rejected(mx, user, password):
    member, _ = connect(mx, user, password)
    assert answer(mx, user["guid"], member["guid"], "wrong answer").status_code == 202
    final = wait_for(mx, user["guid"], member["guid"], settled)
    assert final["connection_status"] == "REJECTED" and final["is_being_aggregated"] is False


@pytest.mark.parametrize("value, expected", [("DISABLED", "DENIED"), ("SERVER_ERROR", "FAILED"), ("UNAVAILABLE", "FAILED")])
def test_error_answers_behave_like_the_password(mx, user, value, expected):
    member, _ = connect(mx, user, "challenge")
    answer(mx, user["guid"], member["guid"], value)
    assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == expected


@pytest.mark.sandbox_only
@pytest.mark.parametrize("password", ["challenge", "options", "image", "image_options", "token"])
def test_unanswered_challenge_expires(mx, user, password):
    member, challenged = connect(mx, user, password)
    stale = [{"guid": c["guid"], "value": "correct"} for c in challenged["challenges"]]
    mx.advance(299)
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "CHALLENGED"
    mx.advance(2)
    final = status(mx, user["guid"], member["guid"])
    assert final["connection_status"] == "EXPIRED" and final["is_being_aggregated"] is False
    assert mx.get(f"/users/{user['guid']}/members/{member['guid']}/challenges").status_code == 204
    r = mx.put(f"/users/{user['guid']}/members/{member['guid']}/resume", json={"member": {"challenges": stale}})
    assert r.status_code == 405  # nothing to answer any more
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "EXPIRED"


def test_three_denied_in_a_row_is_prevented(mx, user):
    member, final = connect(mx, user, "UNAUTHORIZED")
    assert final["connection_status"] == "DENIED"
    path = f"/users/{user['guid']}/members/{member['guid']}"
    for expected in ("DENIED", "PREVENTED"):
        assert mx.post(f"{path}/aggregate").status_code == 202
        assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == expected
    # fixing the credentials clears it
    r = mx.put(path, json={"member": {"credentials": mxbank_credentials(mx, "password")}})
    assert r.status_code == 200
    assert wait_for(mx, user["guid"], member["guid"], connected)["connection_status"] == "CONNECTED"


@pytest.mark.parametrize("first, second, expected", [
    ("UNAUTHORIZED", "password", "CONNECTED"),
    ("password", "LOCKED", "LOCKED"),
    ("LOCKED", "challenge", "CHALLENGED"),
])
def test_switching_scenario_by_updating_the_password(mx, user, first, second, expected):
    member, _ = connect(mx, user, first)
    r = mx.put(f"/users/{user['guid']}/members/{member['guid']}",
               json={"member": {"credentials": mxbank_credentials(mx, second)}})
    assert r.status_code == 200
    assert_valid(r)
    assert r.json()["member"]["is_being_aggregated"] is True
    assert wait_for(mx, user["guid"], member["guid"], settled)["connection_status"] == expected
