"""Processor tokens: the client hands a processor one verified account, and nothing more.

Journey: the widget connects MX Bank, the member is verified, the client requests an authorization
code for the checking account, the processor exchanges it for a token and reads the account number
and balance; the savings account (not in the scope) is refused; the token is revoked and refused.
"""
from __future__ import annotations

import pytest

from contract_tests.aggregated import Connected, connect
from contract_tests.guide_client import GuideClient
from contract_tests.harness import V1
from contract_tests.journeys import connected, wait_for
from contract_tests.processor_support import exchange, hand_off, processor_get, request_code
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def deposit_accounts(mx, user: str, member: str) -> dict[str, dict]:
    accounts = mx.get(f"/users/{user}/members/{member}/accounts").json()["accounts"]
    return {a["type"]: a for a in accounts if a["type"] in ("CHECKING", "SAVINGS")}


@pytest.fixture
def verified(mx) -> Connected:
    mx.freeze()
    bank = connect(mx, ["transactions", "account_verification", "identity_verification"])
    assert mx.get(f"{bank.base}/account_numbers").json()["account_numbers"]
    return bank


def test_processor_journey_from_the_widget(mx):
    mx.freeze(now="2026-03-02T10:00:00Z")
    guide = GuideClient(mx.http, sleep=mx.advance)
    user = mx.create_user()["guid"]
    # 1. the widget connects MX Bank
    url = guide.widget_url(user, ["transactions"])
    member = guide.connect_in_widget(url, "mxbank", {"LOGIN": "mxuser", "PASSWORD": "password"})
    guide.wait_until_aggregated(user, member)
    accounts = deposit_accounts(mx, user, member)
    checking, savings = accounts["CHECKING"]["guid"], accounts["SAVINGS"]["guid"]
    # an unverified member gets no code
    assert_mx_error(request_code(mx, user, member, checking), 422)
    # 2. verify
    assert mx.post(f"/users/{user}/members/{member}/verify").status_code == 200
    wait_for(mx, user, member, connected)
    numbers = {n["account_guid"]: n for n in mx.get(f"/users/{user}/members/{member}/account_numbers").json()["account_numbers"]}
    # 3. authorization code for the checking account only
    r = request_code(mx, user, member, checking)
    assert r.status_code == 200, r.text
    assert_valid(r)
    code = r.json()["authorization_code"]["code"]
    # 4. the processor exchanges it for a token, once
    r = exchange(mx, code)
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    assert r.json()["token_type"] == "Bearer" and f"account-guid:{checking}" in r.json()["scope"]
    assert_mx_error(exchange(mx, code), 400)
    # 5. account number and balance, read with the token
    r = processor_get(mx, "/account/account_numbers", token)
    assert r.status_code == 200, r.text
    assert_valid(r)
    [number] = r.json()["account_numbers"]
    assert number["account_guid"] == checking
    assert str(number["account_number"]) == numbers[checking]["account_number"].lstrip("0")
    assert str(number["routing_number"]) == numbers[checking]["routing_number"].lstrip("0")
    r = processor_get(mx, "/payment_account", token)
    assert r.status_code == 200, r.text
    assert_valid(r)
    assert r.json()["payment_account"]["balance"] == accounts["CHECKING"]["balance"]
    # 6. the savings account is not covered
    assert_mx_error(processor_get(mx, "/payment_account", token, account_guid=savings), 403)
    assert_mx_error(processor_get(mx, "/account/account_numbers", token, account_guid=savings), 403)
    # 7. the client lists and revokes the token; the processor is refused from then on
    listed = mx.get("/tokens", params={"account_guid": checking}).json()["tokens"]
    assert [(t["access_token"], t["active"]) for t in listed] == [(token, True)]
    assert mx.delete(f"/tokens/{token}").status_code == 204
    assert_mx_error(processor_get(mx, "/payment_account", token), 401)
    assert mx.get("/tokens", params={"account_guid": checking}).json()["tokens"][0]["active"] is False


def test_reads_need_a_bearer_token(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    token = hand_off(mx, verified.user, verified.member, checking)
    assert_mx_error(mx.get("/payment_account"), 401)  # the client's Basic auth is not a token
    assert_mx_error(processor_get(mx, "/payment_account", "not-a-token"), 401)
    assert_mx_error(processor_get(mx, "/payment_account", token[:-1]), 401)
    assert processor_get(mx, "/payment_account", token, headers=V1).headers["content-type"].startswith(
        "application/vnd.mx.api.v1+json")


def test_owner_info_and_balance_check(mx, verified):
    accounts = deposit_accounts(mx, verified.user, verified.member)
    token = hand_off(mx, verified.user, verified.member, accounts["CHECKING"]["guid"], accounts["SAVINGS"]["guid"])
    r = processor_get(mx, "/account/transactions", token)  # MX's path for getAccountOwnerInfo
    assert r.status_code == 200, r.text
    assert_valid(r)
    owners = r.json()["account_owners"]
    assert {o["account_guid"] for o in owners} == {accounts["CHECKING"]["guid"], accounts["SAVINGS"]["guid"]}
    r = processor_get(mx, "/account/check_balance", token, method="POST")
    assert r.status_code == 200, r.text
    assert r.json()["member"]["guid"] == verified.member and r.json()["member"]["is_being_aggregated"] is True


def test_tokens_expire_after_sixty_days(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    token = hand_off(mx, verified.user, verified.member, checking)
    mx.advance(59 * 86400)
    assert processor_get(mx, "/payment_account", token).status_code == 200
    mx.advance(2 * 86400)
    assert "expired" in assert_mx_error(processor_get(mx, "/payment_account", token), 401)


def test_codes_are_one_time_and_expire(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    code = request_code(mx, verified.user, verified.member, checking).json()["authorization_code"]["code"]
    mx.advance(3600)
    assert_mx_error(exchange(mx, code), 400)
    assert_mx_error(exchange(mx, "0" * 48), 400)
    r = mx.http.post("/token", params={"grant_type": "authorization_code", "code": code}, auth=None)
    assert_mx_error(r, 401)  # the processor must authenticate


@pytest.mark.parametrize("scope, status", [
    ("", 400),
    ("user-guid:USR-x member-guid:MBR-x read-protected", 400),  # no account
    ("user-guid:USR-x member-guid:MBR-x account-guid:ACT-x write-everything", 400),
    ("user-guid:USR-nope member-guid:MBR-nope account-guid:ACT-nope", 404),
])
def test_bad_scopes_are_refused(mx, scope, status):
    assert_mx_error(mx.post("/authorization_code", json={"authorization_code": {"scope": scope}}), status)


def test_a_scope_cannot_borrow_another_members_account(mx, verified):
    other = connect(mx, ["account_verification"], user=verified.user, password="other-password")
    foreign = deposit_accounts(mx, other.user, other.member)["CHECKING"]["guid"]
    assert_mx_error(request_code(mx, verified.user, verified.member, foreign), 404)


def test_deleting_the_member_kills_its_tokens_and_codes(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    token = hand_off(mx, verified.user, verified.member, checking)
    code = request_code(mx, verified.user, verified.member, checking).json()["authorization_code"]["code"]
    assert mx.delete(verified.base).status_code == 204
    assert_mx_error(processor_get(mx, "/payment_account", token), 401)
    assert_mx_error(exchange(mx, code), 400)
    assert mx.get("/tokens").json()["tokens"] == []


def test_deleting_the_user_kills_its_tokens(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    token = hand_off(mx, verified.user, verified.member, checking)
    assert mx.delete(f"/users/{verified.user}").status_code == 204
    assert_mx_error(processor_get(mx, "/account/account_numbers", token), 401)


def test_v1_deprecated_code_request(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    body = {"payment_processor_authorization_code": {"user_guid": verified.user, "member_guid": verified.member,
                                                     "account_guid": checking}}
    r = mx.v1.post("/payment_processor_authorization_code", json=body)
    assert r.status_code == 200, r.text
    assert_valid(r, "v20111101")
    code = r.json()["payment_processor_authorization_code"]["authorization_code"]
    r = exchange(mx, code, path="/payment_processor_token")
    assert r.status_code == 200, r.text
    assert processor_get(mx, "/payment_account", r.json()["access_token"], headers=V1).status_code == 200


def test_tokens_are_secrets_not_seeded(mx, verified):
    checking = deposit_accounts(mx, verified.user, verified.member)["CHECKING"]["guid"]
    first = hand_off(mx, verified.user, verified.member, checking)
    second = hand_off(mx, verified.user, verified.member, checking)
    assert first != second and len(first) >= 40
    assert len(mx.get("/tokens", params={"member_guid": verified.member}).json()["tokens"]) == 2
