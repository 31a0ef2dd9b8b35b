"""Manual accounts and transactions, alongside aggregated ones."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import ALL, connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity
CAR = {"name": "Family car", "account_type": "PROPERTY", "property_type": "VEHICLE", "balance": 18250.5}


def create_account(mx, user: str, **fields) -> dict:
    r = mx.post(f"/users/{user}/accounts", json={"account": fields})
    assert r.status_code == 200, r.text
    assert_valid(r)
    return r.json()["account"]


def test_manual_account_lifecycle(mx):
    user = mx.create_user()["guid"]
    account = create_account(mx, user, **CAR)
    assert account["is_manual"] is True and account["type"] == "PROPERTY" and account["balance"] == 18250.5
    assert account["guid"].startswith("ACT-") and account["name"] == "Family car"
    assert mx.get(f"/users/{user}/accounts/{account['guid']}").json()["account"] == account
    listed = mx.get(f"/users/{user}/accounts", params={"is_manual": "true"})
    assert_valid(listed)
    assert [a["guid"] for a in listed.json()["accounts"]] == [account["guid"]]
    assert mx.get(f"/users/{user}/accounts", params={"is_manual": "false"}).json()["accounts"] == []
    v1 = mx.v1.post(f"/users/{user}/accounts", json={"account": {"name": "Cash jar", "account_type": "CASH"}})
    assert_valid(v1, "v20111101")

    # Manual accounts live under the user's manual member and may be updated field by field.
    member_path = f"/users/{user}/members/{account['member_guid']}/accounts/{account['guid']}"
    updated = mx.put(member_path, json={"account": {"name": "Old car", "balance": 15000}})
    assert updated.status_code == 200
    assert_valid(updated)
    assert updated.json()["account"]["name"] == "Old car" and updated.json()["account"]["balance"] == 15000

    assert mx.delete(f"/users/{user}/accounts/{account['guid']}").status_code == 204
    assert_mx_error(mx.get(f"/users/{user}/accounts/{account['guid']}"), 404)


@pytest.mark.parametrize("fields", [
    {"account_type": "CHECKING"},
    {"name": "No type"},
    {"name": "Bad type", "account_type": "PIGGY_BANK"},
    {"name": "Bad balance", "account_type": "CASH", "balance": "lots"},
    {"name": "Bad flag", "account_type": "CASH", "is_hidden": "yes"},
])
def test_bad_manual_accounts_are_400_and_create_nothing(mx, fields):
    user = mx.create_user()["guid"]
    assert_mx_error(mx.post(f"/users/{user}/accounts", json={"account": fields}), 400)
    assert mx.get(f"/users/{user}/accounts").json()["accounts"] == []


@pytest.mark.parametrize("raw", [b"Infinity", b"NaN", b"1e308", b"-1e400"])
def test_non_finite_amounts_are_400(mx, raw):
    user = mx.create_user()["guid"]
    body = b'{"account": {"name": "x", "account_type": "CASH", "balance": ' + raw + b"}}"
    r = mx.post(f"/users/{user}/accounts", content=body, headers={"Content-Type": "application/json"})
    assert_mx_error(r, 400)
    assert mx.get(f"/users/{user}/accounts").json()["accounts"] == []


def test_manual_transactions(mx):
    user = mx.create_user()["guid"]
    account = create_account(mx, user, name="Cash", account_type="CASH", balance=200)
    path = f"/users/{user}/accounts/{account['guid']}/transactions"
    r = mx.post(path, json={"transaction": {
        "amount": 12.5, "date": "2025-06-01", "description": "Farmers market", "type": "DEBIT", "memo": "veg"}})
    assert r.status_code == 200, r.text
    assert_valid(r)
    txn = r.json()["transaction"]
    assert txn["guid"].startswith("MAN-") and txn["is_manual"] is True and txn["amount"] == 12.5
    assert txn["account_guid"] == account["guid"] and txn["date"] == "2025-06-01" and txn["memo"] == "veg"
    listed = mx.get(path, params=ALL).json()["transactions"]
    assert [t["guid"] for t in listed] == [txn["guid"]]
    assert mx.get(f"/users/{user}/transactions/{txn['guid']}").json()["transaction"] == txn
    v1 = mx.v1.post(path, json={"transaction": {"amount": 3, "date": "2025-06-02", "description": "Tip", "type": "CREDIT"}})
    assert_valid(v1, "v20111101")

    assert mx.delete(f"/users/{user}/transactions/{txn['guid']}").status_code == 204
    assert_mx_error(mx.get(f"/users/{user}/transactions/{txn['guid']}"), 404)
    assert_mx_error(mx.delete(f"/users/{user}/transactions/{txn['guid']}"), 404)


@pytest.mark.parametrize("fields", [
    {"date": "2025-06-01", "description": "no amount", "type": "DEBIT"},
    {"amount": "12", "date": "2025-06-01", "description": "string amount", "type": "DEBIT"},
    {"amount": 12, "date": "June 1st", "description": "bad date", "type": "DEBIT"},
    {"amount": 12, "date": "2025-06-01", "description": "bad type", "type": "REFUND"},
])
def test_bad_manual_transactions_are_400(mx, fields):
    user = mx.create_user()["guid"]
    account = create_account(mx, user, name="Cash", account_type="CASH")
    path = f"/users/{user}/accounts/{account['guid']}/transactions"
    assert_mx_error(mx.post(path, json={"transaction": fields}), 400)
    assert mx.get(path, params=ALL).json()["transactions"] == []


def test_aggregated_records_are_not_manual(mx):
    if mx.target.is_sandbox:
        mx.freeze()
    bank = connect(mx, ["transactions"])
    account = bank.accounts()[0]
    txn = bank.transactions()[0]
    manual = {"amount": 1, "date": "2025-06-01", "description": "x", "type": "DEBIT"}
    assert_mx_error(mx.post(f"/users/{bank.user}/accounts/{account['guid']}/transactions",
                            json={"transaction": manual}), 400)
    assert_mx_error(mx.delete(f"/users/{bank.user}/transactions/{txn['guid']}"), 400)
    assert_mx_error(mx.delete(f"/users/{bank.user}/accounts/{account['guid']}"), 400)
    assert len(bank.accounts()) == 6 and mx.get(f"/users/{bank.user}/transactions/{txn['guid']}").status_code == 200
    cash = create_account(mx, bank.user, name="Cash", account_type="CASH")
    users_accounts = mx.get(f"/users/{bank.user}/accounts").json()["accounts"]
    assert [a["guid"] for a in users_accounts][-1] == cash["guid"] and len(users_accounts) == 7
