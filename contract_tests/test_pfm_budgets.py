"""Budgets: CRUD, subcategory budgets, auto-generation, and spending computed from the transactions."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect, read_valid
from contract_tests.planning_support import FOOD, in_category, in_month, spent, top_levels
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
DAY = 86400
RESTAURANTS = "CAT-3ceb0d4c-3f8a-ca01-6670-2ff7f1db192a"  # Food & Dining › Restaurants


def test_budget_crud_and_subcategory_budgets(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    budgets = f"/users/{bank.user}/budgets"
    r = mx.post(budgets, json={"budget": {"category_guid": FOOD, "parent_guid": "", "amount": 500, "metadata": "m"}})
    assert_valid(r)
    food = r.json()["budget"]
    assert (food["name"], food["amount"], food["metadata"], food["parent_guid"], food["revision"]) == (
        "Food & Dining", 500, "m", None, 1)
    assert read_valid(mx, f"{budgets}/{food['guid']}", "budget") == food
    assert [b["guid"] for b in read_valid(mx, budgets, "budgets")] == [food["guid"]]

    updated = mx.v1.put(f"{budgets}/{food['guid']}", json={"budget": {"amount": 650}})
    assert_valid(updated, "v20111101")
    assert (updated.json()["budget"]["amount"], updated.json()["budget"]["revision"]) == (650, 2)

    sub = mx.post(budgets, json={"budget": {"category_guid": RESTAURANTS, "parent_guid": food["guid"], "amount": 100}})
    assert_valid(sub)
    assert sub.json()["budget"]["parent_guid"] == food["guid"] and sub.json()["budget"]["name"] == "Restaurants"

    assert_mx_error(mx.post(budgets, json={"budget": {"category_guid": FOOD, "parent_guid": ""}}), 409)
    assert_mx_error(mx.post(budgets, json={"budget": {"category_guid": "CAT-nope", "parent_guid": ""}}), 400)
    assert_mx_error(mx.put(f"{budgets}/{food['guid']}", json={"budget": {"amount": "lots"}}), 400)
    assert_mx_error(mx.get(f"/users/{mx.create_user()['guid']}/budgets/{food['guid']}"), 404)  # another user's

    assert mx.delete(f"{budgets}/{food['guid']}").status_code == 204
    assert_mx_error(mx.get(f"{budgets}/{food['guid']}"), 404)
    assert_mx_error(mx.get(f"{budgets}/{sub.json()['budget']['guid']}"), 404)  # went with its parent
    assert read_valid(mx, budgets, "budgets") == []


def test_budget_spending_is_the_sum_of_this_months_transactions(mx):
    """transaction_total is the category's DEBITs minus CREDITs this calendar month; it follows
    new aggregations and recategorised transactions."""
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    budgets = f"/users/{bank.user}/budgets"
    food = mx.post(budgets, json={"budget": {"category_guid": FOOD, "parent_guid": "", "amount": 200}}).json()["budget"]
    tops = top_levels(bank)
    april = in_category(in_month(bank, 2026, 4), FOOD, tops)
    assert april, "MX Bank's profile buys food every few days"
    assert food["transaction_total"] == spent(april)
    assert food["percent_spent"] == pytest.approx(spent(april) / 200 * 100, abs=0.01)
    assert food["is_exceeded"] == (spent(april) > 200)
    assert food["projected_spending"] >= food["transaction_total"]

    mx.advance(10 * DAY)
    bank.run("aggregate")
    later = in_category(in_month(bank, 2026, 4), FOOD, tops)
    assert len(later) > len(april)
    again = read_valid(mx, f"{budgets}/{food['guid']}", "budget")
    assert again["transaction_total"] == spent(later)

    moved = next(t for t in later if t["type"] == "DEBIT")
    gifts = "CAT-8edf9663-623e-4735-490e-31288f0a70b0"  # Gifts & Donations
    r = mx.put(f"/users/{bank.user}/transactions/{moved['guid']}",
               json={"transaction": {"description": moved["description"], "category_guid": gifts}})
    assert r.status_code == 200, r.text
    after = read_valid(mx, f"{budgets}/{food['guid']}", "budget")
    assert after["transaction_total"] == round(again["transaction_total"] - moved["amount"], 2)


def test_auto_generated_budgets_follow_the_two_previous_months(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    budgets = f"/users/{bank.user}/budgets"
    kept = mx.post(budgets, json={"budget": {"category_guid": FOOD, "parent_guid": "", "amount": 1}}).json()["budget"]
    r = mx.post(f"{budgets}/generate")
    assert_valid(r)
    generated = r.json()["budgets"]
    assert generated
    february, march = in_month(bank, 2026, 2), in_month(bank, 2026, 3)
    tops = top_levels(bank)
    names = {tops[t["category_guid"]]: t["top_level_category"] for t in february + march}
    expected = {guid for guid, name in names.items() if name not in ("Income", "Transfer")
                and in_category(february, guid, tops) and in_category(march, guid, tops)
                and spent(in_category(february + march, guid, tops)) > 0}  # e.g. not Investments' dividends
    assert {b["category_guid"] for b in generated} == expected
    for budget in generated:
        if budget["guid"] == kept["guid"]:
            assert budget["amount"] == 1 and budget["revision"] == 1  # an existing budget is returned unchanged
            continue
        guid = budget["category_guid"]
        average = (spent(in_category(february, guid, tops)) + spent(in_category(march, guid, tops))) / 2
        assert abs(budget["amount"] - average) <= 0.5, (budget["name"], budget["amount"], average)
    listed = read_valid(mx, budgets, "budgets", records_per_page=100)
    assert {b["guid"] for b in listed} == {b["guid"] for b in generated}

    empty = mx.create_user()["guid"]
    assert_mx_error(mx.v1.post(f"/users/{empty}/budgets/generate"), 422)
    assert read_valid(mx, f"/users/{empty}/budgets", "budgets") == []


def test_a_split_counts_once_in_its_childrens_categories(mx):
    """Splitting a food purchase moves the part given another category out of the food budget; the
    parent and its children are never both counted."""
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    budgets = f"/users/{bank.user}/budgets"
    food = mx.post(budgets, json={"budget": {"category_guid": FOOD, "parent_guid": "", "amount": 200}}).json()["budget"]
    gifts = "CAT-8edf9663-623e-4735-490e-31288f0a70b0"  # Gifts & Donations
    parent = max((t for t in in_category(in_month(bank, 2026, 4), FOOD, top_levels(bank)) if t["type"] == "DEBIT"),
                 key=lambda t: t["amount"])
    r = mx.post(f"/users/{bank.user}/transactions/{parent['guid']}/split",
                json={"transactions": {"amount": 1.25, "category_guid": gifts}})
    assert r.status_code == 200, r.text
    after = read_valid(mx, f"{budgets}/{food['guid']}", "budget")
    assert after["transaction_total"] == round(food["transaction_total"] - 1.25, 2)
    assert mx.delete(f"/users/{bank.user}/transactions/{parent['guid']}/split").status_code == 204
    assert read_valid(mx, f"{budgets}/{food['guid']}", "budget")["transaction_total"] == food["transaction_total"]
