"""Goals: CRUD, progress read from the goal's account, reposition, and the member-delete cascade."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect, read_valid
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
DAY = 86400


def _goal(account: str, amount: float, name: str, kind: str = "SAVE_AMOUNT", **extra) -> dict:
    return {"goal": {"account_guid": account, "amount": amount, "goal_type_name": kind, "meta_type_name": "VACATION",
                     "name": name, **extra}}


def _accounts(bank) -> dict[str, dict]:
    return {a["type"]: a for a in bank.accounts()}


def test_goal_crud(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    goals = f"/users/{bank.user}/goals"
    savings = _accounts(bank)["SAVINGS"]
    r = mx.post(goals, json=_goal(savings["guid"], 50000, "House", targeted_to_complete_at="2027-01-01T00:00:00Z",
                                  metadata="m"))
    assert_valid(r)
    goal = r.json()["goal"]
    assert (goal["name"], goal["amount"], goal["position"], goal["track_type_name"], goal["is_complete"]) == (
        "House", 50000, 1, "SAVINGS_TRACK", False)
    assert goal["targeted_to_complete_at"] == "2027-01-01T00:00:00Z" and goal["metadata"] == "m"
    assert read_valid(mx, f"{goals}/{goal['guid']}", "goal") == goal
    assert [g["guid"] for g in read_valid(mx, goals, "goals")] == [goal["guid"]]

    updated = mx.v1.put(f"{goals}/{goal['guid']}", json={"goal": {"name": "Bigger house", "amount": 60000,
                                                                  "meta_type_name": "EMERGENCY_FUND"}})
    assert_valid(updated, "v20111101")
    assert (updated.json()["goal"]["name"], updated.json()["goal"]["amount"]) == ("Bigger house", 60000)
    assert updated.json()["goal"]["track_type_name"] == "EMERGENCY_FUND_TRACK"
    done = mx.put(f"{goals}/{goal['guid']}", json={"goal": {"is_complete": True}}).json()["goal"]
    assert done["is_complete"] is True and done["completed_at"] == mx.clock()["now"]

    assert_mx_error(mx.post(goals, json=_goal(savings["guid"], 10, "Payoff savings?", "PAYOFF")), 400)
    assert_mx_error(mx.post(goals, json=_goal("ACT-nope", 10, "Nowhere")), 400)
    assert_mx_error(mx.post(goals, json=_goal(savings["guid"], 10, "Odd", "WISH")), 400)
    assert_mx_error(mx.post(goals, json={"goal": {"account_guid": savings["guid"], "amount": 10}}), 400)
    assert_mx_error(mx.put(f"{goals}/{goal['guid']}", json={"goal": {"targeted_to_complete_at": "soon"}}), 400)
    assert_mx_error(mx.get(f"/users/{mx.create_user()['guid']}/goals/{goal['guid']}"), 404)

    assert mx.delete(f"{goals}/{goal['guid']}").status_code == 204
    assert_mx_error(mx.get(f"{goals}/{goal['guid']}"), 404)
    assert read_valid(mx, goals, "goals") == []


def test_goal_progress_is_read_from_the_account(mx):
    """A SAVE_AMOUNT goal has the account's balance saved; a PAYOFF goal has paid what the debt is
    below the goal's amount; both follow the next aggregation."""
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    goals = f"/users/{bank.user}/goals"
    accounts = _accounts(bank)
    savings, card = accounts["SAVINGS"], accounts["CREDIT_CARD"]
    save = mx.post(goals, json=_goal(savings["guid"], 1_000_000, "Save")).json()["goal"]
    payoff = mx.post(goals, json=_goal(card["guid"], card["balance"] + 500, "Card", "PAYOFF")).json()["goal"]
    assert save["current_amount"] == savings["balance"]
    assert payoff["current_amount"] == 500 and payoff["track_type_name"] == "DEBT_TRACK"
    small = mx.post(goals, json=_goal(savings["guid"], 10, "Reached")).json()["goal"]
    assert small["current_amount"] == 10 and small["is_complete"] is True

    mx.advance(20 * DAY)
    bank.run("aggregate")
    accounts = _accounts(bank)
    assert accounts["SAVINGS"]["balance"] != savings["balance"]
    again = {g["guid"]: g for g in read_valid(mx, goals, "goals")}
    assert again[save["guid"]]["current_amount"] == accounts["SAVINGS"]["balance"]
    expected = round(min(payoff["amount"], max(0, payoff["amount"] - accounts["CREDIT_CARD"]["balance"])), 2)
    assert again[payoff["guid"]]["current_amount"] == pytest.approx(expected)


def test_reposition_and_new_positions(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    goals = f"/users/{bank.user}/goals"
    savings = _accounts(bank)["SAVINGS"]["guid"]
    a, b, c = (mx.post(goals, json=_goal(savings, 1_000_000, n)).json()["goal"]["guid"] for n in "abc")
    first = mx.post(goals, json=_goal(savings, 1_000_000, "d", position=1)).json()["goal"]
    assert first["position"] == 1
    d = first["guid"]
    assert [g["guid"] for g in read_valid(mx, goals, "goals")] == [d, a, b, c]

    r = mx.put(f"{goals}/reposition", json={"goals": [{"guid": c, "position": 1}, {"guid": d, "position": 4}]})
    assert_valid(r)
    assert [(g["guid"], g["position"]) for g in r.json()["goals"]] == [(c, 1), (a, 2), (b, 3), (d, 4)]
    assert [g["guid"] for g in read_valid(mx, goals, "goals")] == [c, a, b, d]
    assert_mx_error(mx.put(f"{goals}/reposition", json={"goals": [{"guid": "GOL-nope", "position": 1}]}), 400)
    assert_mx_error(mx.put(f"{goals}/reposition", json={"goals": [{"guid": a, "position": 0}]}), 400)
    assert [g["guid"] for g in read_valid(mx, goals, "goals")] == [c, a, b, d]  # a refused move changes nothing

    assert mx.delete(f"{goals}/{a}").status_code == 204
    assert [(g["guid"], g["position"]) for g in read_valid(mx, goals, "goals")] == [(c, 1), (b, 2), (d, 3)]


def test_deleting_the_member_deletes_its_accounts_goals(mx):
    mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    goals = f"/users/{bank.user}/goals"
    manual = mx.post(f"/users/{bank.user}/accounts", json={"account": {
        "account_type": "SAVINGS", "name": "Jar", "balance": 100}}).json()["account"]["guid"]
    mx.post(goals, json=_goal(_accounts(bank)["SAVINGS"]["guid"], 1000, "Bank"))
    kept = mx.post(goals, json=_goal(manual, 1000, "Jar")).json()["goal"]
    assert mx.delete(bank.base).status_code == 204
    assert [(g["guid"], g["position"]) for g in read_valid(mx, goals, "goals")] == [(kept["guid"], 1)]
    assert mx.delete(f"/users/{bank.user}/accounts/{manual}").status_code == 204
    assert read_valid(mx, goals, "goals") == []
