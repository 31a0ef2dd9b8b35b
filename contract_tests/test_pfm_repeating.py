"""Repeating transactions match the transactions they were found in; enhance categorises posted
descriptions with the default categories and the merchant directory, deterministically."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from contract_tests.aggregated import connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
GAPS = {"EVERY_WEEK": {7}, "EVERY_OTHER_WEEK": {14}, "EVERY_MONTH": {28, 29, 30, 31}}


def test_repeating_transactions_match_actual_transactions(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    r = mx.get(f"/users/{bank.user}/repeating_transactions")
    assert_valid(r)
    found = r.json()["repeating_transactions"]
    by_name = {s["description"]: s for s in found}
    assert by_name["MX Technologies Payroll"]["recurrence_type"] == "EVERY_OTHER_WEEK"
    assert by_name["MX Technologies Payroll"]["repeating_transaction_type"] == "INCOME"
    assert by_name["Netflix"]["repeating_transaction_type"] == "SUBSCRIPTION"
    assert by_name["Netflix"]["recurrence_type"] == "EVERY_MONTH"
    assert by_name["Rocky Mountain Power"]["repeating_transaction_type"] == "BILL"
    assert "Starbucks" not in by_name  # random purchases are not a series
    transactions = bank.transactions()
    for series in found:
        same = sorted((t for t in transactions if t["account_guid"] == series["account_guid"]
                       and t["description"] == series["description"] and t["type"] == series["transaction_type"]),
                      key=lambda t: t["date"])
        assert len(same) >= 3, series["description"]
        last = same[-1]
        assert (last["date"], last["amount"], last["merchant_guid"]) == (
            series["last_posted_date"], series["amount"], series.get("merchant_guid"))
        days = [date.fromisoformat(t["date"]) for t in same]
        assert {(b - a).days for a, b in zip(days, days[1:])} <= GAPS[series["recurrence_type"]]
        predicted = date.fromisoformat(series["predicted_occurs_on"])
        assert (predicted - days[-1]).days in GAPS[series["recurrence_type"]]
        one = mx.v1.get(f"/users/{bank.user}/repeating_transactions/{series['guid']}")
        assert_valid(one, "v20111101")
        assert one.json()["repeating_transactions"] == [series]
    assert_mx_error(mx.get(f"/users/{bank.user}/repeating_transactions/RPT-nope"), 404)
    assert mx.get(f"/users/{mx.create_user()['guid']}/repeating_transactions").json()["repeating_transactions"] == []


def test_a_new_aggregation_moves_the_series_on(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    before = {s["guid"]: s for s in mx.get(f"/users/{bank.user}/repeating_transactions").json()["repeating_transactions"]}
    mx.advance(35 * 86400)
    bank.run("aggregate")
    after = {s["guid"]: s for s in mx.get(f"/users/{bank.user}/repeating_transactions").json()["repeating_transactions"]}
    assert set(before) <= set(after)
    netflix = next(g for g, s in before.items() if s["description"] == "Netflix")
    assert after[netflix]["last_posted_date"] == before[netflix]["predicted_occurs_on"]
    assert date.fromisoformat(after[netflix]["last_posted_date"]) - date.fromisoformat(before[netflix]["last_posted_date"]) >= timedelta(28)


def test_enhance_categorises_descriptions(mx):
    body = {"transactions": [
        {"id": "t1", "description": "STARBUCKS STORE 55555", "type": "DEBIT", "amount": 4.5},
        {"id": "t2", "description": "NETFLIX.COM 866-579", "type": "DEBIT", "amount": 15.49, "memo": "plan"},
        {"id": "t3", "description": "ACME ROCKET SUPPLY", "type": "DEBIT", "merchant_category_code": 5411},
        {"id": "t4", "description": "SOMETHING UNKNOWN", "type": "CREDIT"},
        {"id": "t5", "description": "zzz"},
    ]}
    r = mx.post("/transactions/enhance", json=body)
    assert_valid(r)
    out = {t["id"]: t for t in r.json()["transactions"]}
    assert [t["id"] for t in r.json()["transactions"]] == ["t1", "t2", "t3", "t4", "t5"]
    coffee = out["t1"]
    assert (coffee["description"], coffee["category"], coffee["is_expense"]) == ("Starbucks", "Coffee Shops", True)
    merchant = mx.get(f"/merchants/{coffee['merchant_guid']}")
    assert merchant.status_code == 200 and merchant.json()["merchant"]["name"] == "Starbucks"
    category = mx.get(f"/categories/{coffee['category_guid']}").json()["category"]
    assert category["name"] == "Coffee Shops" and category["parent_guid"] == coffee["top_level_category_guid"]
    assert (out["t2"]["category"], out["t2"]["is_subscription"], out["t2"]["memo"]) == ("Movies & DVDs", True, "plan")
    assert (out["t3"]["category"], out["t3"]["merchant_guid"]) == ("Groceries", None)
    assert out["t4"]["category"] == "Income" and out["t5"]["category"] == "Uncategorized"
    assert out["t1"]["original_description"] == "STARBUCKS STORE 55555"
    assert mx.post("/transactions/enhance", json=body).json() == r.json()
    v1 = mx.v1.post("/transactions/enhance", json=body)
    assert_valid(v1, "v20111101")
    assert [t["category_guid"] for t in v1.json()["transactions"]] == [out[i]["category_guid"] for i in out]

    for bad in ({}, {"transactions": []}, {"transactions": [{"id": "x"}]}, {"transactions": [{"description": "x"}]},
                {"transactions": [{"id": "x", "description": "y", "type": "SIDEWAYS"}]},
                {"transactions": [{"id": "x", "description": "y", "amount": "1"}]},
                {"transactions": [{"id": str(i), "description": "y"} for i in range(101)]}):
        assert_mx_error(mx.post("/transactions/enhance", json=bad), 400)
