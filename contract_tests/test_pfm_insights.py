"""Insights derived from the user's data: every record an insight names exists, the lists by account
and transaction agree with the user's list, updates stick, and deletes take insights with them."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
SUBLISTS = ("accounts", "categories", "merchants", "scheduled_payments", "transactions")


def _all(mx, path: str, key: str, client=None) -> list[dict]:
    r = (client or mx).get(path, params={"records_per_page": 1000})
    assert_valid(r, "v20111101" if client is not None and client is not mx else None)
    return r.json()[key]


def _insights(mx, user: str) -> list[dict]:
    return _all(mx, f"/users/{user}/insights", "insights")


def test_insights_point_at_the_users_own_records(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    user = bank.user
    insights = _insights(mx, user)
    templates = {i["template"] for i in insights}
    assert {"LargePurchase", "UpcomingSubscription", "UpcomingBill", "PaycheckDeposit", "MonthlyCategoryTotal"} <= templates
    assert [i["created_at"] for i in insights] == sorted((i["created_at"] for i in insights), reverse=True)
    transactions = {t["guid"]: t for t in bank.transactions()}
    accounts = {a["guid"] for a in bank.accounts()}
    for insight in insights:
        base = f"/users/{user}/insights/{insight['guid']}"
        r = mx.get(base)
        assert_valid(r)
        assert r.json()["insight"] == insight
        named = {key: _all(mx, f"{base}/{key}", key) for key in SUBLISTS}
        for key in SUBLISTS:
            assert insight[f"has_associated_{key}"] == bool(named[key]), (insight["template"], key)
        assert {t["guid"] for t in named["transactions"]} <= set(transactions)
        assert {a["guid"] for a in named["accounts"]} <= accounts
        for txn in named["transactions"]:
            assert txn == transactions[txn["guid"]]
            by_txn = _all(mx, f"/users/{user}/transactions/{txn['guid']}/insights", "insights")
            assert insight["guid"] in {i["guid"] for i in by_txn}
        for account in named["accounts"]:
            by_account = _all(mx, f"/users/{user}/accounts/{account['guid']}/insights", "insights")
            assert insight["guid"] in {i["guid"] for i in by_account}
    large = [i for i in insights if i["template"] == "LargePurchase"]
    for insight in large:
        (txn,) = _all(mx, f"/users/{user}/insights/{insight['guid']}/transactions", "transactions")
        assert txn["type"] == "DEBIT" and f"${txn['amount']:,.2f}" in insight["description"]
    # the month's top category: its transactions are all of that category, and it spent the most
    (monthly,) = [i for i in insights if i["template"] == "MonthlyCategoryTotal"]
    (category,) = _all(mx, f"/users/{user}/insights/{monthly['guid']}/categories", "categories")
    txns = _all(mx, f"/users/{user}/insights/{monthly['guid']}/transactions", "transactions")
    assert txns and {transactions[t["guid"]]["top_level_category"] for t in txns} == {category["name"]}
    assert f"${sum(round(t['amount'] * 100) for t in txns) / 100:,.2f}" in monthly["description"]


def test_update_insight_in_both_versions(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    first = _insights(mx, bank.user)[0]
    path = f"/users/{bank.user}/insights/{first['guid']}"
    assert (first["has_been_displayed"], first["is_dismissed"]) == (False, False)
    mx.advance(60)
    r = mx.put(path, json={"insight": {"has_been_displayed": True}})
    assert_valid(r)
    assert r.json()["has_been_displayed"] is True and r.json()["is_dismissed"] is False
    assert r.json()["updated_at"] > first["updated_at"]
    r = mx.v1.put(path, json={"insight": {"is_dismissed": True}})
    assert_valid(r, "v20111101")
    again = mx.get(path).json()["insight"]
    assert (again["has_been_displayed"], again["is_dismissed"]) == (True, True)
    assert _insights(mx, bank.user)[0] == again  # a later derivation keeps what the user set
    for bad in ({"insight": {}}, {"insight": {"is_dismissed": "yes"}}, {}, {"insight": []}):
        assert_mx_error(mx.put(path, json=bad), 400)
    assert mx.get(path).json()["insight"] == again
    assert_mx_error(mx.get(f"/users/{bank.user}/insights/BET-nope"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/insights/BET-nope/transactions"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/accounts/ACT-nope/insights"), 404)
    other = mx.create_user()["guid"]
    assert_mx_error(mx.get(f"/users/{other}/insights/{first['guid']}"), 404)
    assert mx.get(f"/users/{other}/insights").json()["insights"] == []


def test_same_data_same_insights(mx):
    mx.freeze()
    one = connect(mx, ["transactions"])
    first = [(i["guid"], i["description"]) for i in _insights(mx, one.user)]
    assert first == [(i["guid"], i["description"]) for i in _insights(mx.v1, one.user)]
    assert mx.post("/_sandbox/reset").status_code == 204
    mx.freeze()
    two = connect(mx, ["transactions"])
    assert two.user == one.user
    assert [(i["guid"], i["description"]) for i in _insights(mx, two.user)] == first


def test_deleting_the_member_or_the_user_removes_its_insights(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    insights = _insights(mx, bank.user)
    assert insights
    assert mx.delete(bank.base).status_code == 204
    assert _insights(mx, bank.user) == []
    for insight in insights:
        assert_mx_error(mx.get(f"/users/{bank.user}/insights/{insight['guid']}"), 404)
    again = connect(mx, ["transactions"], user=bank.user, password="another")
    assert _insights(mx, again.user)
    assert mx.delete(f"/users/{again.user}").status_code == 204
    assert_mx_error(mx.get(f"/users/{again.user}/insights"), 404)
