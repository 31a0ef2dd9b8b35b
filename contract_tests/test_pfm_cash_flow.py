"""The monthly cash-flow profile: income and expenses computed from the user's transactions and
budgets, and the goals contribution the user may set."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect, read_valid
from contract_tests.planning_support import FOOD, in_month, spent
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def test_profile_is_computed_from_the_three_previous_months(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    user = mx.create_user(id="cash-flow-user")["guid"]
    bank = connect(mx, ["transactions"], user=user)
    path = "/users/cash-flow-user/monthly_cash_flow_profile"  # v20250224: the partner id stands in
    profile = read_valid(mx, path, "monthly_cash_flow_profile")
    assert profile["user_guid"] == user and profile["guid"].startswith("MCF-")

    months = [in_month(bank, 2026, n) for n in (1, 2, 3)]
    income = sum(-spent([t for t in m if t["top_level_category"] == "Income"]) for m in months) / 3
    expenses = sum(spent([t for t in m if t["top_level_category"] not in ("Income", "Transfer")]) for m in months) / 3
    assert income > 0 and expenses > 0
    assert profile["budgeted_income"] == pytest.approx(income, abs=0.01)
    assert profile["budgeted_expenses"] == pytest.approx(expenses, abs=0.01)
    estimate = max(0, profile["budgeted_income"] - profile["budgeted_expenses"])
    assert profile["estimated_goals_contribution"] == pytest.approx(estimate, abs=0.01)
    assert profile["uses_estimated_goals_contribution"] is True
    assert profile["goals_contribution"] == profile["estimated_goals_contribution"]

    # With budgets, expenses are what the user budgeted.
    mx.post(f"/users/{user}/budgets", json={"budget": {"category_guid": FOOD, "parent_guid": "", "amount": 700}})
    budgeted = read_valid(mx, path, "monthly_cash_flow_profile")
    assert budgeted["budgeted_expenses"] == 700
    assert budgeted["estimated_goals_contribution"] == pytest.approx(max(0, budgeted["budgeted_income"] - 700), abs=0.01)
    assert budgeted["guid"] == profile["guid"]


def test_update_goals_contribution(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    path = f"/users/{bank.user}/monthly_cash_flow_profile"
    r = mx.put(path, json={"monthly_cash_flow_profile": {"goals_contribution": 123.45}})
    assert_valid(r)
    chosen = r.json()["monthly_cash_flow_profile"]
    assert (chosen["goals_contribution"], chosen["uses_estimated_goals_contribution"]) == (123.45, False)
    assert read_valid(mx, path, "monthly_cash_flow_profile") == chosen

    # v20111101's spec (and MX's v1 SDK) wrap the update in `institution`.
    back = mx.v1.put(path, json={"institution": {"uses_estimated_goals_contribution": True}})
    assert_valid(back, "v20111101")
    estimated = back.json()["monthly_cash_flow_profile"]
    assert estimated["uses_estimated_goals_contribution"] is True
    assert estimated["goals_contribution"] == estimated["estimated_goals_contribution"]

    for body in ({"monthly_cash_flow_profile": {"goals_contribution": "lots"}}, {"monthly_cash_flow_profile": {}},
                 {"monthly_cash_flow_profile": {"uses_estimated_goals_contribution": "yes"}}, {}):
        assert_mx_error(mx.put(path, json=body), 400)
    assert read_valid(mx, path, "monthly_cash_flow_profile") == estimated  # refused updates change nothing
    assert_mx_error(mx.get("/users/USR-nope/monthly_cash_flow_profile"), 404)
