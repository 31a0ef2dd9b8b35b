"""ACH returns (checked against issued account numbers), verifiable credentials built from the
generated data, and credit card products of reward accounts."""
from __future__ import annotations

from typing import Any

import pytest

from contract_tests.aggregated import Connected, connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error
from sandbox.core.processor.credentials import decode_claims

pytestmark = pytest.mark.sandbox_only
VC_MEDIA_TYPE = "application/vnd.mx.api.v2beta+json"


@pytest.fixture
def bank(mx) -> Connected:
    mx.freeze()
    return connect(mx, ["transactions", "account_verification", "identity_verification", "rewards"])


def numbers_by_account(bank: Connected) -> dict[str, dict[str, Any]]:
    return {n["account_guid"]: n for n in bank.mx.get(f"{bank.base}/account_numbers").json()["account_numbers"]}


def ach_body(bank: Connected, account_guid: str, **extra: Any) -> dict[str, Any]:
    return {"ach_return": {"user_guid": bank.user, "member_guid": bank.member, "account_guid": account_guid,
                           "id": extra.pop("id", "ret-1"), "return_code": extra.pop("return_code", "R01"), **extra}}


# -- ACH returns -------------------------------------------------------------------------------------
def test_ach_return_create_read_list(mx, bank):
    account, number = next(iter(numbers_by_account(bank).items()))
    body = ach_body(bank, account, account_number_last_four=number["account_number"][-4:],
                    return_account_number=number["account_number"], transaction_amount=225.84,
                    returned_at="2026-01-01T09:00:00Z", sec_code="PPD")
    r = mx.post("/ach_returns", json=body)
    assert r.status_code == 200, r.text
    assert_valid(r)
    created = r.json()["ach_return"]
    assert created["return_status"] == "SUBMITTED" and created["account_number_last_four"] == number["account_number"][-4:]
    r = mx.get(f"/ach_returns/{created['guid']}")
    assert r.status_code == 200 and r.json()["ach_return"] == created
    r = mx.get("/ach_returns", params={"return_code": "R01", "returned_at": "2026-01-01"})
    assert_valid(r)
    assert [a["guid"] for a in r.json()["ach_returns"]] == [created["guid"]]
    assert mx.get("/ach_returns", params={"return_code": "R02"}).json()["ach_returns"] == []
    assert_mx_error(mx.post("/ach_returns", json=body), 409)  # the same id twice
    assert_mx_error(mx.v1.get("/ach_returns/ACH-nope"), 404)


def test_ach_return_filters(mx, bank):
    account = next(iter(numbers_by_account(bank)))
    created = mx.post("/ach_returns", json=ach_body(bank, account)).json()["ach_return"]
    institution = created["institution_guid"]
    assert [a["guid"] for a in mx.get("/ach_returns", params={"institution_guid": institution}).json()["ach_returns"]] == [created["guid"]]
    assert mx.get("/ach_returns", params={"institution_guid": "INS-other"}).json()["ach_returns"] == []
    assert len(mx.get("/ach_returns", params={"return_status": "SUBMITTED"}).json()["ach_returns"]) == 1
    assert mx.get("/ach_returns", params={"return_status": "RESOLVED"}).json()["ach_returns"] == []
    assert mx.get("/ach_returns", params={"resolved_status_at": "2026-01-01"}).json()["ach_returns"] == []
    for name, bad in (("return_status", "LOST"), ("resolved_status_at", "soon"), ("institution_guid", "mxbank")):
        assert_mx_error(mx.get("/ach_returns", params={name: bad}), 400)


def test_ach_returns_only_for_issued_numbers(mx, bank):
    numbers = numbers_by_account(bank)
    account, number = next(iter(numbers.items()))
    wrong = "9" * len(number["account_number"])
    assert_mx_error(mx.post("/ach_returns", json=ach_body(bank, account, return_account_number=wrong)), 422)
    assert_mx_error(mx.post("/ach_returns", json=ach_body(bank, account, account_number_last_four="0000"
                                                          if number["account_number"][-4:] != "0000" else "1111")), 422)
    card = next(a["guid"] for a in bank.accounts() if a["type"] == "CREDIT_CARD")
    assert_mx_error(mx.post("/ach_returns", json=ach_body(bank, card)), 422)  # no number was ever issued
    assert_mx_error(mx.post("/ach_returns", json=ach_body(bank, "ACT-unknown")), 404)
    assert_mx_error(mx.post("/ach_returns", json=ach_body(bank, account, return_code="X99")), 400)
    assert_mx_error(mx.post("/ach_returns", json={"ach_return": {"id": "x"}}), 400)
    assert mx.get("/ach_returns").json()["ach_returns"] == []  # nothing refused was kept


# -- verifiable credentials --------------------------------------------------------------------------
def credential(mx, path: str, **params: Any) -> dict[str, Any]:
    r = mx.get(path, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(VC_MEDIA_TYPE)
    assert_valid(r)
    token = r.json()["verifiableCredential"]
    assert token.count(".") == 2
    return decode_claims(token)["vc"]


def test_accounts_credential_matches_the_accounts(mx, bank):
    vc = credential(mx, f"/vc/users/{bank.user}/members/{bank.member}/accounts")
    assert "VerifiableCredential" in vc["type"] and vc["credentialSubject"]["id"] == bank.user
    entries = [next(iter(e.values())) for e in vc["credentialSubject"]["accounts"]]
    accounts = {a["guid"]: a for a in bank.accounts()}
    assert {e["accountId"] for e in entries} == set(accounts)
    numbers = numbers_by_account(bank)
    for entry in entries:
        assert entry["currentBalance"] == accounts[entry["accountId"]]["balance"]
        if entry["accountId"] in numbers:
            assert entry["accountNumber"] == numbers[entry["accountId"]]["account_number"]


def test_identity_credential_names_the_owners(mx, bank):
    vc = credential(mx.v1, f"/vc/users/{bank.user}/members/{bank.member}/customers")
    owners = mx.get(f"{bank.base}/account_owners").json()["account_owners"]
    names = {(c["name"]["first"], c["name"]["last"]) for c in vc["credentialSubject"]["customers"]}
    assert names == {(o["first_name"], o["last_name"]) for o in owners} and names


def test_transactions_credential_honours_the_window(mx, bank):
    account = next(a for a in bank.accounts() if a["type"] == "CHECKING")
    txns = mx.get(f"/users/{bank.user}/accounts/{account['guid']}/transactions",
                  params={"records_per_page": 1000, "from_date": "2000-01-01"}).json()["transactions"]
    days = sorted({t["date"] for t in txns})
    day = days[len(days) // 2]
    vc = credential(mx, f"/vc/users/{bank.user}/accounts/{account['guid']}/transactions", startTime=day, endTime=day)
    got = {next(iter(e.values()))["transactionId"] for e in vc["credentialSubject"]["transactions"]}
    assert got and got == {t["guid"] for t in txns if t["date"] == day}
    assert_mx_error(mx.get(f"/vc/users/{bank.user}/accounts/{account['guid']}/transactions",
                           params={"startTime": "soon"}), 400)
    assert_mx_error(mx.get(f"/vc/users/{bank.user}/accounts/ACT-nope/transactions"), 404)
    assert_mx_error(mx.get(f"/vc/users/{bank.user}/accounts/{account['guid']}/transactions",
                           params={"startTime": "2024-01-01", "endTime": "2026-01-01"}), 400)  # over a year


# -- credit card products ----------------------------------------------------------------------------
def test_reward_card_has_a_product(mx, bank):
    card = next(a for a in bank.accounts() if a["type"] == "CREDIT_CARD")
    found = mx.http.get("/_sandbox/credit_card_products", params={"user_guid": bank.user, "account_guid": card["guid"]})
    [product] = found.json()["credit_card_products"]
    for api in (mx, mx.v1):
        r = api.get(f"/credit_card_products/{product['guid']}")
        assert r.status_code == 200, r.text
        assert_valid(r)
        assert r.json()["credit_card_product"]["name"] == product["name"]
    checking = next(a for a in bank.accounts() if a["type"] == "CHECKING")
    none = mx.http.get("/_sandbox/credit_card_products", params={"user_guid": bank.user, "account_guid": checking["guid"]})
    assert none.json()["credit_card_products"] == []
    assert_mx_error(mx.get("/credit_card_products/CCA-nope"), 404)
