"""Transaction rules: CRUD, and recategorising existing and later-aggregated transactions."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import ALL, connect, read_valid
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
DAY = 86400


def _category(mx, name: str) -> str:
    defaults = mx.get("/categories/default", params={"records_per_page": 100, "page": 1}).json()["categories"]
    defaults += mx.get("/categories/default", params={"records_per_page": 100, "page": 2}).json()["categories"]
    return next(c["guid"] for c in defaults if c["name"] == name)


def test_rule_crud_and_existing_transactions(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    rules = f"/users/{bank.user}/transaction_rules"
    hobbies = _category(mx, "Hobbies")
    r = mx.post(rules, json={"transaction_rule": {"match_description": "starbucks", "category_guid": hobbies,
                                                  "description": "Coffee habit"}})
    assert_valid(r)
    rule = r.json()["transaction_rule"]
    assert read_valid(mx, f"{rules}/{rule['guid']}", "transaction_rule") == rule
    assert [x["guid"] for x in read_valid(mx, rules, "transaction_rules")] == [rule["guid"]]
    coffee = [t for t in bank.transactions() if "STARBUCKS" in (t["original_description"] or "")]
    assert coffee and all((t["category_guid"], t["description"]) == (hobbies, "Coffee habit") for t in coffee)

    gym = _category(mx, "Gym")
    updated = mx.v1.put(f"{rules}/{rule['guid']}", json={"transaction_rule": {"category_guid": gym}})
    assert_valid(updated, "v20111101")
    again = [t for t in bank.transactions() if "STARBUCKS" in (t["original_description"] or "")]
    assert {t["category_guid"] for t in again} == {gym}
    assert {t["top_level_category"] for t in again} == {"Health & Fitness"}

    assert_mx_error(mx.post(rules, json={"transaction_rule": {"match_description": "x", "category_guid": "CAT-nope"}}), 400)
    assert_mx_error(mx.post(rules, json={"transaction_rule": {"category_guid": gym}}), 400)
    assert mx.delete(f"{rules}/{rule['guid']}").status_code == 204
    assert_mx_error(mx.get(f"{rules}/{rule['guid']}"), 404)


def test_rule_recategorises_the_next_aggregation(mx):
    """A rule created after the first aggregation also applies to what the next one brings."""
    mx.freeze()
    bank = connect(mx, ["transactions"])
    first = {t["guid"] for t in bank.transactions()}
    hobbies = _category(mx, "Hobbies")
    r = mx.post(f"/users/{bank.user}/transaction_rules",
                json={"transaction_rule": {"match_description": "Dutch Bros", "category_guid": hobbies}})
    assert r.status_code == 200, r.text
    mx.advance(10 * DAY)
    bank.run("aggregate")
    new = [t for t in bank.transactions() if t["guid"] not in first and t["description"] == "Dutch Bros Coffee"]
    assert new, "ten days bring new Dutch Bros purchases (about one a day)"
    assert {t["category_guid"] for t in new} == {hobbies}
    assert {t["category"] for t in new} == {"Hobbies"}
    filtered = mx.get(f"/users/{bank.user}/transactions", params={**ALL, "category_guid": hobbies}).json()["transactions"]
    assert {t["guid"] for t in new} <= {t["guid"] for t in filtered}
