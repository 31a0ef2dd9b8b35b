"""mergeAccounts (transactions follow the surviving account) and deactivateUser (investment holdings)."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import ALL, connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error
from contract_tests.test_managed_data import CHECKING, GROCER, PAYROLL, Held

pytestmark = pytest.mark.sandbox_only  # merging and billing changes are not undone on int-api


@pytest.fixture
def freeze(mx):
    mx.freeze()


def txn_guids(mx, path: str) -> set[str]:
    r = mx.get(path, params=ALL)
    assert r.status_code == 200, r.text
    return {t["guid"] for t in r.json()["transactions"]}


def merge(mx, user: str, *guids: str):
    return mx.post(f"/users/{user}/accounts/merge", json={"account": {"account_guids": list(guids)}})


def test_merge_moves_transactions_to_the_first_account(mx, freeze):
    bank = connect(mx, ["transactions"])
    held = Held(mx, bank.user)
    duplicate = held.account(**CHECKING)
    moved = {held.transaction(duplicate, **GROCER)["guid"], held.transaction(duplicate, **PAYROLL)["guid"]}
    survivor = next(a for a in bank.accounts() if a["type"] == "CHECKING")
    own = txn_guids(mx, f"/users/{bank.user}/accounts/{survivor['guid']}/transactions")
    everything = txn_guids(mx, f"/users/{bank.user}/transactions")

    r = merge(mx, bank.user, survivor["guid"], duplicate["guid"])
    assert r.status_code == 200, r.text
    assert_valid(r)
    assert r.json()["account"]["guid"] == survivor["guid"]
    assert_mx_error(mx.get(f"/users/{bank.user}/accounts/{duplicate['guid']}"), 404)
    assert duplicate["guid"] not in {a["guid"] for a in mx.get(f"/users/{bank.user}/accounts").json()["accounts"]}
    after = txn_guids(mx, f"/users/{bank.user}/accounts/{survivor['guid']}/transactions")
    assert after == own | moved
    assert txn_guids(mx, f"/users/{bank.user}/transactions") == everything
    one = mx.get(f"/users/{bank.user}/transactions/{next(iter(moved))}").json()["transaction"]
    assert (one["account_guid"], one["member_guid"]) == (survivor["guid"], bank.member)

    # Aggregation does not bring a merged-away aggregated account back.
    savings = next(a for a in bank.accounts() if a["type"] == "SAVINGS")
    assert merge(mx, bank.user, survivor["guid"], savings["guid"]).status_code == 200
    mx.advance(86400)
    bank.run("aggregate")
    assert savings["guid"] not in {a["guid"] for a in bank.accounts()}


@pytest.mark.parametrize("body", [
    {"account": {"account_guids": []}},
    {"account": {"account_guids": ["ACT-a"]}},
    {"account": {"account_guids": "ACT-a,ACT-b"}},
    {"account": {}},
    {"accounts": {"account_guids": ["ACT-a", "ACT-b"]}},
])
def test_bad_merge_requests_are_400(mx, body):
    user = mx.create_user()["guid"]
    assert_mx_error(mx.post(f"/users/{user}/accounts/merge", json=body), 400)


def test_merge_refuses_unknown_or_foreign_accounts_and_changes_nothing(mx):
    user, other = mx.create_user()["guid"], mx.create_user()["guid"]
    mine = Held(mx, user).account(**CHECKING)
    theirs = Held(mx, other).account(**CHECKING)
    assert_mx_error(merge(mx, user, mine["guid"], theirs["guid"]), 404)
    assert_mx_error(merge(mx, user, mine["guid"], mine["guid"]), 400)
    assert_mx_error(merge(mx, user, mine["guid"], "ACT-nope"), 404)
    assert mx.get(f"/users/{other}/accounts/{theirs['guid']}").status_code == 200
    assert mx.get(f"/users/{user}/accounts/{mine['guid']}").status_code == 200


def holdings_as_of(mx, user: str) -> set[str]:
    r = mx.get(f"/users/{user}/investment_holdings")
    assert r.status_code == 200, r.text
    return {h["current_price_as_of"] for h in r.json()["investment_holdings"]}


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_deactivated_user_gets_no_holdings_refresh_until_a_holdings_read(mx, freeze, version):
    bank = connect(mx, ["transactions", "investments"])
    client = mx if version == "v20250224" else mx.v1
    first = holdings_as_of(mx, bank.user)
    assert len(first) == 1

    r = client.get(f"/users/{bank.user}/investment_holdings_deactivate")
    assert r.status_code == 200, r.text
    assert_valid(r, version)
    assert r.json()["status"] == 200 and r.json()["message"]
    mx.advance(86400)
    bank.run("aggregate")  # the member still connects and aggregates; its holdings stay as they were
    assert holdings_as_of(mx, bank.user) == first  # ... and this read reactivates the user, as MX documents
    mx.advance(86400)
    bank.run("aggregate")
    refreshed = holdings_as_of(mx, bank.user)
    assert refreshed != first and len(refreshed) == 1


def test_deactivating_an_unknown_user_is_404(mx):
    assert_mx_error(mx.get("/users/USR-nope/investment_holdings_deactivate"), 404)
    assert_mx_error(mx.v1.get("/users/USR-nope/investment_holdings_deactivate"), 404)
