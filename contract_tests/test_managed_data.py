"""Managed data: members, accounts and transactions the partner supplies, seen in the ordinary lists."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import ALL, connect
from contract_tests.harness import MX
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only  # managed data is deprecated on MX and not enabled for every client

CHECKING = {"id": "held-chk", "name": "Held checking", "type": "CHECKING", "balance": 1520.75,
            "available_balance": 1500, "account_number": "000123456789", "routing_number": "091000019"}
CARD = {"id": "held-card", "name": "Held card", "type": "CREDIT_CARD", "balance": 310.2, "credit_limit": 2000,
        "available_credit": 1689.8, "minimum_payment": 25, "day_payment_is_due": 14}
GROCER = {"id": "t-1", "amount": "61.11", "description": "Whole Foods", "status": "POSTED", "type": "DEBIT",
          "transacted_at": "2025-12-19T13:00:00Z", "posted_at": "2025-12-20T06:00:00Z", "category": "Groceries",
          "check_number_string": "6812", "latitude": -22.90278, "longitude": -43.2075}
PAYROLL = {"amount": "2500.00", "description": "Payroll", "status": "PENDING", "type": "CREDIT",
           "transacted_at": "2025-12-31T09:00:00Z", "posted_at": "2025-12-31T09:00:00Z"}


@pytest.fixture
def freeze(mx):
    mx.freeze()


def ok(r, status: int = 200, version: str = "v20250224") -> dict:
    assert r.status_code == status, r.text
    assert_valid(r, version)
    return r.json()


class Held:
    """A user's managed member, through the managed data paths."""

    def __init__(self, mx: MX, user: str, **fields) -> None:
        self.mx, self.user = mx, user
        self.member = ok(mx.post(f"/users/{user}/managed_members",
                                 json={"member": {"institution_code": "mxbank", **fields}}), 202)["member"]
        self.base = f"/users/{user}/managed_members/{self.member['guid']}"

    def account(self, **fields) -> dict:
        return ok(self.mx.post(f"{self.base}/accounts", json={"account": fields}))["account"]

    def transaction(self, account: dict, **fields) -> dict:
        r = self.mx.post(f"{self.base}/accounts/{account['guid']}/transactions", json={"transaction": fields})
        return ok(r)["transaction"]


def guids(r) -> list[str]:
    assert r.status_code == 200, r.text
    return sorted(item["guid"] for key, items in r.json().items() if key != "pagination" for item in items)


def test_managed_crud_shows_in_user_level_lists(mx):
    user = mx.create_user()["guid"]
    held = Held(mx, user, id="held-1", name="Credit union (held)", metadata="from the core")
    member = held.member
    assert member["guid"].startswith("MBR-") and member["name"] == "Credit union (held)" and member["id"] == "held-1"
    assert member["connection_status"] == "CONNECTED" and member["is_being_aggregated"] is False
    assert member["is_managed_by_user"] is False and member["is_manual"] is False
    assert ok(mx.get(held.base))["member"] == member
    assert guids(mx.get(f"/users/{user}/members")) == [member["guid"]]
    assert guids(mx.get(f"/users/{user}/managed_members")) == [member["guid"]]

    checking, card = held.account(**CHECKING), held.account(**CARD)
    assert checking["member_guid"] == member["guid"] and checking["member_id"] == "held-1"
    assert checking["is_manual"] is False and checking["member_is_managed_by_user"] is False
    assert (checking["balance"], checking["available_balance"], checking["routing_number"]) == (1520.75, 1500, "091000019")
    assert checking["account_number"] == "6789" and checking["institution_code"] == "mxbank"
    assert (card["available_credit"], card["minimum_payment"], card["day_payment_is_due"]) == (1689.8, 25, 14)
    both = sorted([checking["guid"], card["guid"]])
    assert guids(mx.get(f"/users/{user}/accounts")) == both
    assert guids(mx.get(f"/users/{user}/members/{member['guid']}/accounts")) == both
    assert guids(mx.get(f"{held.base}/accounts")) == both

    grocer, payroll = held.transaction(checking, **GROCER), held.transaction(checking, **PAYROLL)
    assert (grocer["amount"], grocer["type"], grocer["date"], grocer["id"]) == (61.11, "DEBIT", "2025-12-19", "t-1")
    assert grocer["posted_at"] == "2025-12-20T06:00:00Z" and grocer["check_number_string"] == "6812"
    assert grocer["category"] == "Groceries" and grocer["latitude"] == -22.90278
    assert payroll["status"] == "PENDING" and payroll["is_income"] is True
    two = sorted([grocer["guid"], payroll["guid"]])
    assert guids(mx.get(f"/users/{user}/transactions", params=ALL)) == two
    assert guids(mx.get(f"/users/{user}/members/{member['guid']}/transactions", params=ALL)) == two
    assert guids(mx.get(f"/users/{user}/accounts/{checking['guid']}/transactions", params=ALL)) == two
    assert guids(mx.get(f"{held.base}/accounts/{checking['guid']}/transactions", params=ALL)) == two
    assert ok(mx.get(f"/users/{user}/transactions/{grocer['guid']}"))["transaction"] == grocer

    # Updates are the partner's: they show everywhere at once.
    txn_path = f"{held.base}/accounts/{checking['guid']}/transactions/{grocer['guid']}"
    changed = ok(mx.put(txn_path, json={"transaction": {"amount": "70.00", "description": "Whole Foods Market",
                                                      "transacted_at": "2025-12-21T10:00:00Z"}}))["transaction"]
    assert (changed["amount"], changed["description"], changed["date"]) == (70.0, "Whole Foods Market", "2025-12-21")
    assert ok(mx.get(txn_path))["transaction"] == changed
    account_path = f"{held.base}/accounts/{checking['guid']}"
    renamed = ok(mx.put(account_path, json={"account": {"name": "Everyday", "balance": 1450.75}}))["account"]
    assert (renamed["name"], renamed["balance"]) == ("Everyday", 1450.75)
    assert ok(mx.get(f"/users/{user}/accounts/{checking['guid']}"))["account"]["name"] == "Everyday"
    member = ok(mx.put(held.base, json={"member": {"name": "Renamed", "metadata": "v2"}}))["member"]
    assert (member["name"], member["metadata"], member["id"]) == ("Renamed", "v2", "held-1")

    # Deletes, from the bottom up.
    assert mx.delete(txn_path).status_code == 204
    assert_mx_error(mx.get(txn_path), 404)
    assert guids(mx.get(f"/users/{user}/transactions", params=ALL)) == [payroll["guid"]]
    assert mx.delete(f"{held.base}/accounts/{card['guid']}").status_code == 204
    assert guids(mx.get(f"/users/{user}/accounts")) == [checking["guid"]]
    assert mx.delete(held.base).status_code == 204
    assert_mx_error(mx.get(held.base), 404)
    assert mx.get(f"/users/{user}/members").json()["members"] == []
    assert mx.get(f"/users/{user}/accounts").json()["accounts"] == []
    assert mx.get(f"/users/{user}/transactions", params=ALL).json()["transactions"] == []


def test_v20111101_serves_the_same_managed_data(mx):
    user = mx.create_user()["guid"]
    v1 = mx.v1
    member = ok(v1.post(f"/users/{user}/managed_members", json={"member": {"institution_code": "mxbank"}}),
                202, "v20111101")["member"]
    base = f"/users/{user}/managed_members/{member['guid']}"
    account = ok(v1.post(f"{base}/accounts", json={"account": CHECKING}), 200, "v20111101")["account"]
    assert account["institution_guid"] == member["institution_guid"]
    txn = ok(v1.post(f"{base}/accounts/{account['guid']}/transactions", json={"transaction": GROCER}),
             200, "v20111101")["transaction"]
    listed = ok(v1.get(f"/users/{user}/transactions", params=ALL), 200, "v20111101")["transactions"]
    assert [t["guid"] for t in listed] == [txn["guid"]]
    assert ok(v1.get("/managed_institutions"), 200, "v20111101")["pagination"]["total_entries"] >= 1
    assert ok(mx.get(f"{base}/accounts/{account['guid']}"))["account"]["guid"] == account["guid"]


def test_member_is_managed_by_user_separates_manual_from_managed(mx):
    user = mx.create_user()["guid"]
    held = Held(mx, user)
    managed = held.account(**CHECKING)
    manual = ok(mx.post(f"/users/{user}/accounts", json={"account": {"name": "Cash jar", "account_type": "CASH"}}))
    manual_guid = manual["account"]["guid"]
    path = f"/users/{user}/accounts"
    assert guids(mx.get(path, params={"member_is_managed_by_user": "false"})) == [managed["guid"]]
    assert guids(mx.get(path, params={"member_is_managed_by_user": "true"})) == [manual_guid]
    member_path = f"/users/{user}/members/{held.member['guid']}/accounts"
    assert guids(mx.get(member_path, params={"member_is_managed_by_user": "false"})) == [managed["guid"]]
    assert guids(mx.get(member_path, params={"member_is_managed_by_user": "true"})) == []
    assert guids(mx.v1.get(path, params={"member_is_managed_by_user": "true"})) == [manual_guid]
    assert_mx_error(mx.get(path, params={"member_is_managed_by_user": "maybe"}), 400)


def test_managed_members_are_never_aggregated(mx):
    user = mx.create_user()["guid"]
    held = Held(mx, user)
    member_path = f"/users/{user}/members/{held.member['guid']}"
    for job in ("aggregate", "verify", "identify", "check_balance"):
        assert_mx_error(mx.post(f"{member_path}/{job}"), 400)
    assert_mx_error(mx.put(member_path, json={"member": {"credentials": []}}), 400)
    status = ok(mx.get(f"{member_path}/status"))["member"]
    assert status["connection_status"] == "CONNECTED" and status["is_being_aggregated"] is False
    assert [e["type"] for e in mx.events(kind="member")] == ["created", "connection_status"]


def test_managed_paths_refuse_other_members_and_records(mx, freeze):
    bank = connect(mx, ["transactions"])
    held = Held(mx, bank.user)
    account = held.account(**CHECKING)
    aggregated = bank.accounts()[0]
    assert_mx_error(mx.get(f"/users/{bank.user}/managed_members/{bank.member}"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/managed_members/{bank.member}/accounts"), 404)
    assert_mx_error(mx.get(f"{held.base}/accounts/{aggregated['guid']}"), 404)
    assert guids(mx.get(f"/users/{bank.user}/managed_members")) == [held.member["guid"]]
    other = mx.create_user()["guid"]
    assert_mx_error(mx.get(f"/users/{other}/managed_members/{held.member['guid']}"), 404)
    assert_mx_error(mx.get(f"{held.base}/accounts/{account['guid']}/transactions/TRN-nope"), 404)


@pytest.mark.parametrize("path, body", [
    ("", {"member": {}}),
    ("", {"member": {"institution_code": "no_such_bank"}}),
    ("", {"member": {"institution_code": "mxbank", "name": 7}}),
    ("/accounts", {"account": {"name": "No id", "type": "CHECKING", "balance": 1}}),
    ("/accounts", {"account": {"id": "x", "name": "Bad type", "type": "PIGGY_BANK", "balance": 1}}),
    ("/accounts", {"account": {"id": "x", "name": "Bad balance", "type": "CHECKING", "balance": "lots"}}),
    ("/accounts", {"account": {"id": "x", "name": "Bad day", "type": "LOAN", "balance": 1, "day_payment_is_due": 40}}),
    ("/accounts", {"account": {"id": "x", "name": "Bad date", "type": "LOAN", "balance": 1, "started_on": "soon"}}),
])
def test_bad_managed_input_is_400_and_stores_nothing(mx, path, body):
    user = mx.create_user()["guid"]
    held = Held(mx, user) if path else None
    base = held.base if held else f"/users/{user}/managed_members"
    status = 404 if body.get("member", {}).get("institution_code") == "no_such_bank" else 400
    assert_mx_error(mx.post(f"{base}{path}", json=body), status)
    assert len(mx.get(f"/users/{user}/members").json()["members"]) == (1 if held else 0)
    assert mx.get(f"/users/{user}/accounts").json()["accounts"] == []


@pytest.mark.parametrize("fields", [
    {k: v for k, v in GROCER.items() if k != "posted_at"},
    {**GROCER, "amount": "sixty"},
    {**GROCER, "status": "CLEARED"},
    {**GROCER, "type": "REFUND"},
    {**GROCER, "transacted_at": "yesterday"},
    {**GROCER, "merchant_category_code": "5411"},
])
def test_bad_managed_transactions_are_400(mx, fields):
    user = mx.create_user()["guid"]
    held = Held(mx, user)
    account = held.account(**CHECKING)
    path = f"{held.base}/accounts/{account['guid']}/transactions"
    assert_mx_error(mx.post(path, json={"transaction": fields}), 400)
    assert mx.get(path, params=ALL).json()["transactions"] == []


def test_duplicate_partner_ids_are_409(mx):
    user = mx.create_user()["guid"]
    held = Held(mx, user, id="dup")
    assert_mx_error(mx.post(f"/users/{user}/managed_members",
                            json={"member": {"institution_code": "mxbank", "id": "dup"}}), 409)
    held.account(**CHECKING)
    assert_mx_error(mx.post(f"{held.base}/accounts", json={"account": CHECKING}), 409)


def test_deleting_the_user_takes_its_managed_data(mx):
    user = mx.create_user()["guid"]
    held = Held(mx, user)
    account = held.account(**CHECKING)
    held.transaction(account, **GROCER)
    assert mx.delete(f"/users/{user}").status_code == 204
    assert_mx_error(mx.get(held.base), 404)
    again = mx.create_user()["guid"]
    assert mx.get(f"/users/{again}/transactions", params=ALL).json()["transactions"] == []
