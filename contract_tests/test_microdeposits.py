"""Microdeposits: create → INITIATED → REQUESTED → DEPOSITED on the virtual clock → verify; limits and
validation as MX's integration environment documents them."""
from __future__ import annotations

import pytest

from contract_tests.journeys import frozen_user
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

GOOD = {
    "account_number": "333312345", "routing_number": "091000019", "account_type": "CHECKING",
    "account_name": "Everyday checking", "email": "dave@example.com", "first_name": "Dave", "last_name": "Smith",
}
DEPOSIT_SECONDS = 120  # INITIATED → REQUESTED → DEPOSITED, "about two minutes"


@pytest.fixture
def user(mx):
    return frozen_user(mx, id="md-tests")


def client_for(mx, version):
    return mx if version == "v20250224" else mx.v1


def create(mx, user, **changes):
    r = mx.post(f"/users/{user['guid']}/micro_deposits", json={"micro_deposit": {**GOOD, **changes}})
    assert r.status_code == 200, r.text
    assert_valid(r)
    return r.json()["micro_deposit"]


def read(mx, user, md):
    r = mx.get(f"/users/{user['guid']}/micro_deposits/{md['guid']}")
    assert r.status_code == 200, r.text
    assert_valid(r)
    return r.json()["micro_deposit"]


def amounts(mx, md):
    r = mx.http.get(f"/_sandbox/micro_deposits/{md['guid']}")
    assert r.status_code == 200, r.text
    secret = r.json()["micro_deposit"]
    return secret["deposit_amount_1"], secret["deposit_amount_2"]


def verify(mx, md, a1, a2):
    return mx.put(f"/micro_deposits/{md['guid']}/verify",
                  json={"micro_deposit": {"deposit_amount_1": a1, "deposit_amount_2": a2}})


def deposited(mx, user, **changes):
    md = create(mx, user, **changes)
    mx.advance(DEPOSIT_SECONDS)
    return md


@pytest.mark.sandbox_only
@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_happy_path_on_the_virtual_clock(mx, user, version):
    client = client_for(mx, version)
    md = create(client, user)
    assert md["status"] == "INITIATED" and md["guid"].startswith("MIC-")
    assert md["account_number"] == "333312345" and md["routing_number"] == "091000019"
    assert md["institution_code"] == "mxbank" and md["institution_name"] == "MX Bank"
    assert md["verified_at"] is None

    mx.advance(10)
    assert read(client, user, md)["status"] == "REQUESTED"
    mx.advance(DEPOSIT_SECONDS - 11)
    assert read(client, user, md)["status"] == "REQUESTED"
    mx.advance(1)
    assert read(client, user, md)["status"] == "DEPOSITED"

    a1, a2 = amounts(mx, md)
    assert a1 != a2 and 0 < a1 < 1 and 0 < a2 < 1
    r = verify(client, md, a2, a1)  # either order
    assert r.status_code == 200
    assert_valid(r)
    done = r.json()["micro_deposit"]
    assert done["status"] == "VERIFIED" and done["verified_at"] == mx.clock()["now"]

    listed = client.get(f"/users/{user['guid']}/micro_deposits")
    assert_valid(listed)
    assert [(m["guid"], m["status"]) for m in listed.json()["micro_deposits"]] == [(md["guid"], "VERIFIED")]
    verifications = client.get(f"/users/{user['guid']}/account_verifications")
    assert verifications.status_code == 200
    assert_valid(verifications)
    assert [m["guid"] for m in verifications.json()["micro_deposit"]] == [md["guid"]]

    statuses = [e["data"]["new"] for e in mx.events(kind="microdeposit", type="status")]
    assert statuses == ["REQUESTED", "DEPOSITED", "VERIFIED"]


@pytest.mark.sandbox_only
def test_three_wrong_tries_prevent_it(mx, user):
    md = deposited(mx, user)
    a1, a2 = amounts(mx, md)
    wrong = (round(a1 + 0.5, 2), a2)
    first = verify(mx, md, *wrong)
    assert first.status_code == 200
    assert_valid(first)
    assert first.json()["micro_deposit"]["status"] == "DEPOSITED"
    assert "2 attempts left" in first.json()["micro_deposit"]["error_message"]
    assert verify(mx, md, *wrong).json()["micro_deposit"]["status"] == "DEPOSITED"
    third = verify(mx, md, *wrong).json()["micro_deposit"]
    assert third["status"] == "PREVENTED" and third["verified_at"] is None
    assert_mx_error(verify(mx, md, a1, a2), 400)  # too late, even with the right amounts
    assert read(mx, user, md)["status"] == "PREVENTED"


@pytest.mark.sandbox_only
def test_verifying_before_the_deposits_arrive_costs_nothing(mx, user):
    md = create(mx, user)
    a1, a2 = amounts(mx, md)
    assert_mx_error(verify(mx, md, a1, a2), 400)
    mx.advance(DEPOSIT_SECONDS)
    assert verify(mx, md, a1, a2).json()["micro_deposit"]["status"] == "VERIFIED"
    assert_mx_error(verify(mx, md, a1, a2), 400)  # already verified


@pytest.mark.sandbox_only
@pytest.mark.parametrize("body", [
    {}, {"deposit_amount_1": 0.1}, {"deposit_amount_1": "0.10", "deposit_amount_2": 0.2},
    {"deposit_amount_1": True, "deposit_amount_2": 0.2}, {"deposit_amount_1": -1, "deposit_amount_2": 0.2},
])
def test_malformed_verify_is_400_and_not_an_attempt(mx, user, body):
    md = deposited(mx, user)
    assert_mx_error(mx.put(f"/micro_deposits/{md['guid']}/verify", json={"micro_deposit": body}), 400)
    assert mx.http.get(f"/_sandbox/micro_deposits/{md['guid']}").json()["micro_deposit"]["attempts_left"] == 3


@pytest.mark.parity
@pytest.mark.parametrize("routing", ["222222226", "021000021", "123456789", "091000018", "09100001", "0910000190",
                                     "09100001a", "991000019"])
def test_bad_routing_numbers_are_rejected(mx, user, routing):
    r = mx.post(f"/users/{user['guid']}/micro_deposits", json={"micro_deposit": {**GOOD, "routing_number": routing}})
    assert "routing" in assert_mx_error(r, 400).lower()
    assert mx.get(f"/users/{user['guid']}/micro_deposits").json()["micro_deposits"] == []


@pytest.mark.parity
@pytest.mark.parametrize("changes", [
    {"first_name": "D#ve"}, {"last_name": "Sm_th"}, {"first_name": "A" * 51}, {"last_name": "R2D2"},
    {"first_name": ""}, {"email": "not-an-email"}, {"email": "dave@example"}, {"email": "a b@example.com"},
    {"account_number": "1" * 18}, {"account_number": "12ab"}, {"account_number": ""}, {"account_number": 333312345},
    {"account_type": "CREDIT_CARD"}, {"account_name": "x" * 51}, {"routing_number": None},
])
def test_bad_fields_are_rejected(mx, user, changes):
    r = mx.post(f"/users/{user['guid']}/micro_deposits", json={"micro_deposit": {**GOOD, **changes}})
    assert_mx_error(r, 400)
    assert mx.get(f"/users/{user['guid']}/micro_deposits").json()["micro_deposits"] == []


@pytest.mark.sandbox_only
def test_names_with_spaces_hyphens_and_accents_are_fine(mx, user):
    md = create(mx, user, first_name="Mary-Jo Ann", last_name="O'Brien Núñez")
    assert md["first_name"] == "Mary-Jo Ann"


@pytest.mark.sandbox_only
def test_at_most_three_accounts_per_email(mx, user):
    for number in ("333300001", "333300002", "333300003"):
        create(mx, user, account_number=number)
    fourth = mx.post(f"/users/{user['guid']}/micro_deposits",
                     json={"micro_deposit": {**GOOD, "account_number": "333300004", "email": "DAVE@example.com"}})
    assert "email" in assert_mx_error(fourth, 400)
    create(mx, user, account_number="333300001")  # another try for a known account is not a new account
    create(mx, user, account_number="333300004", email="someone-else@example.com")
    assert len(mx.get(f"/users/{user['guid']}/micro_deposits").json()["micro_deposits"]) == 5


@pytest.mark.sandbox_only
def test_accounts_without_the_3333_prefix_bounce(mx, user):
    md = deposited(mx, user, account_number="12345678")
    errored = read(mx, user, md)
    assert errored["status"] == "ERRORED" and errored["error_message"]
    assert_mx_error(verify(mx, md, *amounts(mx, md)), 400)


@pytest.mark.sandbox_only
@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_preinitiate_with_name_and_email_only(mx, user, version):
    client = client_for(mx, version)
    md = create(client, user, account_number=None, routing_number=None, account_type=None, account_name=None)
    assert md["status"] == "PREINITIATED" and "account_number" not in md
    mx.advance(DEPOSIT_SECONDS)
    assert read(client, user, md)["status"] == "PREINITIATED"  # waits for the widget to add an account
    r = client.post(f"/users/{user['guid']}/micro_deposits", json={"micro_deposit": {"email": "x@example.com"}})
    assert_mx_error(r, 400)


@pytest.mark.sandbox_only
def test_delete_and_not_found(mx, user):
    md = create(mx, user)
    other = mx.create_user(id="someone-else")
    assert_mx_error(mx.get(f"/users/{other['guid']}/micro_deposits/{md['guid']}"), 404)
    assert_mx_error(mx.delete(f"/users/{other['guid']}/micro_deposits/{md['guid']}"), 404)
    assert_mx_error(mx.get(f"/users/md-tests/micro_deposits/{md['guid']}"), 404)  # guids only, not partner ids
    assert mx.delete(f"/users/{user['guid']}/micro_deposits/{md['guid']}").status_code == 204
    assert_mx_error(mx.get(f"/users/{user['guid']}/micro_deposits/{md['guid']}"), 404)
    assert_mx_error(verify(mx, md, 0.1, 0.2), 404)
    mx.advance(DEPOSIT_SECONDS)  # its timeline died with it
    assert mx.events(kind="microdeposit", type="status") == []


@pytest.mark.sandbox_only
def test_unverified_microdeposits_are_dropped_after_21_days(mx, user):
    md = deposited(mx, user)
    mx.advance(21 * 86400)
    assert_mx_error(mx.get(f"/users/{user['guid']}/micro_deposits/{md['guid']}"), 404)


@pytest.mark.sandbox_only
def test_amounts_repeat_for_the_same_seed_and_order(mx, user):
    md = create(mx, user)
    first = amounts(mx, md)
    assert mx.http.post("/_sandbox/reset").status_code == 204
    mx.freeze()
    again = create(mx, mx.create_user(id="md-tests"))
    assert again["guid"] == md["guid"] and amounts(mx, again) == first


@pytest.mark.sandbox_only
def test_deleting_the_user_deletes_its_microdeposits(mx, user):
    md = create(mx, user)
    assert mx.delete(f"/users/{user['guid']}").status_code == 204
    assert_mx_error(mx.http.get(f"/_sandbox/micro_deposits/{md['guid']}"), 404)


def test_a_catalog_banks_routing_number_names_that_bank(mx, user):
    """The routing number an aggregated account carries names its institution in a microdeposit."""
    from contract_tests.aggregated import connect

    bank = connect(mx, ["transactions", "account_verification"], code="synth_birchwood_financial_texas")
    numbers = mx.get(f"{bank.base}/account_numbers").json()["account_numbers"]
    md = create(mx, user, routing_number=numbers[0]["routing_number"])
    assert (md["institution_code"], md["institution_name"]) == ("synth_birchwood_financial_texas", "Birchwood Financial of Texas")
    assert create(mx, user, routing_number="091000019", account_number="33330002")["institution_name"] == "MX Bank"
