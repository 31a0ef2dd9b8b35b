"""Spending plans: plans and monthly iterations on the virtual clock, items measured against the
iteration's transactions on the plan's accounts, plan accounts, and the member-delete cascade."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect, read_valid
from contract_tests.planning_support import FOOD, in_category, in_month, spent, top_levels
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
DAY = 86400
SPENDING_TYPES = {"CHECKING", "SAVINGS", "CREDIT_CARD"}


def _plan(mx, user: str) -> tuple[dict, str]:
    r = mx.post(f"/users/{user}/spending_plans")
    assert_valid(r)
    plan = r.json()
    return plan, f"/users/{user}/spending_plans/{plan['guid']}"


def test_plan_and_iterations_follow_the_clock(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    user = mx.create_user()["guid"]
    plan, base = _plan(mx, user)
    assert plan["current_iteration_number"] == 1 and plan["user_guid"] == user
    r = mx.get(base)
    assert_valid(r)
    assert r.json() == plan
    assert [p["guid"] for p in read_valid(mx, f"/users/{user}/spending_plans", "spending_plans")] == [plan["guid"]]
    current = mx.get(f"{base}/iterations/current")
    assert_valid(current)
    assert (current.json()["iteration_number"], current.json()["start_on"], current.json()["end_on"]) == (
        1, "2026-04-01", "2026-04-30")

    mx.advance(17 * DAY)  # 2 May
    assert mx.v1.get(base).json()["current_iteration_number"] == 2
    iterations = read_valid(mx, f"{base}/iterations", "iterations")
    assert [(i["iteration_number"], i["start_on"], i["end_on"]) for i in iterations] == [
        (1, "2026-04-01", "2026-04-30"), (2, "2026-05-01", "2026-05-31")]
    first = mx.v1.get(f"{base}/iterations/1")
    assert_valid(first, "v20111101")
    assert first.json() == iterations[0]
    assert mx.get(f"{base}/iterations/current").json() == iterations[1]
    for missing in ("3", "0", "abc"):
        assert_mx_error(mx.get(f"{base}/iterations/{missing}"), 404)

    assert_mx_error(mx.get(f"/users/{mx.create_user()['guid']}/spending_plans/{plan['guid']}"), 404)
    assert mx.delete(base).status_code == 204
    assert_mx_error(mx.get(base), 404)
    assert read_valid(mx, f"/users/{user}/spending_plans", "spending_plans") == []


def test_items_add_up_the_iterations_transactions(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    plan, base = _plan(mx, bank.user)
    items = f"{base}/iterations/current/iteration_items"
    tops = top_levels(bank)
    income = next(g for g, top in tops.items() if g == top and _name(mx, g) == "Income")
    in_plan = {a["guid"] for a in bank.accounts() if a["type"] in SPENDING_TYPES}
    april = [t for t in in_month(bank, 2026, 4) if t["account_guid"] in in_plan]

    r = mx.post(items, json={"planned_amount": 300, "top_level_category_guid": FOOD})
    assert_valid(r)
    food = r.json()
    food_txns = in_category(april, FOOD, tops)
    assert food_txns
    assert (food["item_type"], food["planned_amount"], food["top_level_category_guid"]) == (1, 300, FOOD)
    assert food["actual_amount"] == spent(food_txns)
    assert set(food["transaction_guids"]) == {t["guid"] for t in food_txns}
    pay = mx.post(items, json={"planned_amount": 5000, "top_level_category_guid": income}).json()
    assert pay["item_type"] == 3 and pay["actual_amount"] == -spent(in_category(april, income, tops)) > 0
    assert read_valid(mx, f"{items}/{food['guid']}", "guid") == food["guid"]
    assert [i["guid"] for i in read_valid(mx, items, "iteration_items")] == [food["guid"], pay["guid"]]

    updated = mx.v1.put(f"{items}/{food['guid']}", json={"planned_amount": 350, "item_type": 0})
    assert_valid(updated, "v20111101")
    assert (updated.json()["planned_amount"], updated.json()["item_type"]) == (350, "0")  # v1: a string
    assert_mx_error(mx.post(items, json={"category_guid": FOOD}), 400)
    assert_mx_error(mx.post(items, json={"planned_amount": 1, "item_type": 7}), 400)
    assert_mx_error(mx.post(items, json={"planned_amount": 1, "item_type": {}}), 400)  # not a number: 400, not 500
    assert_mx_error(mx.put(f"{items}/{food['guid']}", json={"item_type": [1]}), 400)
    assert_mx_error(mx.post(items, json={"planned_amount": 1, "category_guid": "CAT-nope"}), 400)

    mx.advance(20 * DAY)  # 5 May: a new iteration starts with copies of April's items
    bank.run("aggregate")
    may = read_valid(mx, items, "iteration_items")
    assert [(i["planned_amount"], i["item_type"]) for i in may] == [(350, 0), (5000, 3)]
    assert not {i["guid"] for i in may} & {food["guid"], pay["guid"]}
    may_food = in_category([t for t in in_month(bank, 2026, 5) if t["account_guid"] in in_plan], FOOD, tops)
    assert may[0]["actual_amount"] == spent(may_food)
    assert_mx_error(mx.get(f"{items}/{food['guid']}"), 404)  # April's item is not in the current iteration
    assert mx.delete(f"{items}/{may[0]['guid']}").status_code == 204
    assert [i["guid"] for i in read_valid(mx, items, "iteration_items")] == [may[1]["guid"]]


def _name(mx, guid: str) -> str:
    return mx.get(f"/categories/{guid}").json()["category"]["name"]


def test_plan_accounts_are_the_users_spending_accounts(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    plan, base = _plan(mx, bank.user)
    accounts = {a["guid"]: a for a in bank.accounts()}
    listed = read_valid(mx, f"{base}/spending_plan_accounts", "spending_plan_accounts")
    assert {p["account_guid"] for p in listed} == {g for g, a in accounts.items() if a["type"] in SPENDING_TYPES}
    card = next(p for p in listed if accounts[p["account_guid"]]["type"] == "CREDIT_CARD")
    r = mx.get(f"{base}/spending_plan_accounts/{card['guid']}")
    assert_valid(r)
    assert r.json() == card

    item = mx.post(f"{base}/iterations/current/iteration_items", json={"planned_amount": 1, "item_type": 2}).json()
    assert any(t["account_guid"] == card["account_guid"] for t in _by_guid(bank, item["transaction_guids"]))
    assert mx.delete(f"{base}/spending_plan_accounts/{card['guid']}").status_code == 204
    assert_mx_error(mx.get(f"{base}/spending_plan_accounts/{card['guid']}"), 404)
    left = read_valid(mx, f"{base}/spending_plan_accounts", "spending_plan_accounts")
    assert card["guid"] not in {p["guid"] for p in left} and len(left) == len(listed) - 1
    again = mx.get(f"{base}/iterations/current/iteration_items/{item['guid']}").json()
    assert not any(t["account_guid"] == card["account_guid"] for t in _by_guid(bank, again["transaction_guids"]))
    assert again["actual_amount"] < item["actual_amount"]

    assert mx.delete(bank.base).status_code == 204  # the member's accounts leave every plan
    assert read_valid(mx, f"{base}/spending_plan_accounts", "spending_plan_accounts") == []


def _by_guid(bank, guids: list[str]) -> list[dict]:
    wanted = set(guids)
    return [t for t in bank.transactions() if t["guid"] in wanted]
