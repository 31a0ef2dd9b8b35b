"""Categories: MX's default categories with MX's guids, custom categories, and the category filters."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import ALL, connect, read_valid
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

AUTO = "CAT-7829f71c-2e8c-afa5-2f55-fa3634b89874"  # MX's "Auto & Transport"
SHOPPING = "CAT-aad51b46-d6f7-3da5-fd6e-492328b3023f"
GAS = "CAT-b6d63a19-30a7-e852-2703-bdfb4072289e"  # MX's "Gas", under Auto & Transport


@pytest.fixture
def bank(mx):
    if mx.target.is_sandbox:
        mx.freeze()
    return connect(mx, ["transactions"])


def _all_defaults(mx, path: str = "/categories/default") -> list[dict]:
    out, page = [], 1
    while True:
        r = mx.get(path, params={"page": page, "records_per_page": 100})
        assert_valid(r)
        out += r.json()["categories"]
        if page >= r.json()["pagination"]["total_pages"]:
            return out
        page += 1


@pytest.mark.parity
def test_default_categories_carry_mx_guids(mx):
    user = mx.create_user()["guid"]
    defaults = {c["guid"]: c for c in _all_defaults(mx)}
    assert defaults[AUTO]["name"] == "Auto & Transport" and defaults[AUTO]["parent_guid"] is None
    assert defaults[GAS]["name"] == "Gas" and defaults[GAS]["parent_guid"] == AUTO
    assert all(c["is_default"] for c in defaults.values())
    assert all(c["parent_guid"] in defaults for c in defaults.values() if c["parent_guid"])
    assert read_valid(mx, f"/categories/{AUTO}", "category") == defaults[AUTO]
    assert {c["guid"] for c in _all_defaults(mx, f"/users/{user}/categories/default")} == set(defaults)
    v1 = mx.v1.get(f"/categories/{GAS}")
    assert_valid(v1, "v20111101")
    assert v1.json()["category"]["parent_guid"] == AUTO
    assert_mx_error(mx.get("/categories/CAT-00000000-0000-0000-0000-000000000000"), 404)


@pytest.mark.sandbox_only
def test_transactions_carry_default_categories_and_filter_by_them(mx, bank):
    defaults = {c["guid"]: c for c in _all_defaults(mx)}
    txns = bank.transactions()
    assert txns and all(t["category_guid"] in defaults for t in txns)
    assert all(defaults[t["category_guid"]]["name"] == t["category"] for t in txns)
    expected = {t["guid"] for t in txns if t["category_guid"] == AUTO or defaults[t["category_guid"]]["parent_guid"] == AUTO}
    assert expected, "MX Bank has Auto & Transport spending (gas, ride share, the car loan)"
    for client, version in ((mx, "v20250224"), (mx.v1, "v20111101")):
        r = client.get(f"/users/{bank.user}/transactions", params={**ALL, "top_level_category_guid": AUTO})
        assert_valid(r, version)
        assert {t["guid"] for t in r.json()["transactions"]} == expected
        r = client.get(f"/users/{bank.user}/transactions", params={**ALL, "category_guid[]": [GAS]})
        assert {t["category"] for t in r.json()["transactions"]} == {"Gas"}
        unknown = client.get(f"/users/{bank.user}/transactions", params={"category_guid": "CAT-nope"})
        assert_mx_error(unknown, 400)
        sub_as_top = client.get(f"/users/{bank.user}/transactions", params={"top_level_category_guid": GAS})
        assert_mx_error(sub_as_top, 400)


@pytest.mark.sandbox_only
def test_custom_category_lifecycle_and_transaction_update(mx, bank):
    base = f"/users/{bank.user}/categories"
    r = mx.post(base, json={"category": {"name": "Online Shopping", "parent_guid": SHOPPING, "metadata": "m"}})
    assert r.status_code == 200, r.text
    assert_valid(r)
    custom = r.json()["category"]
    assert custom["is_default"] is False and custom["parent_guid"] == SHOPPING
    assert read_valid(mx, f"{base}/{custom['guid']}", "category") == custom
    listed = mx.get(base, params={"records_per_page": 1000}).json()["categories"]
    assert custom["guid"] in {c["guid"] for c in listed} and AUTO in {c["guid"] for c in listed}
    renamed = mx.put(f"{base}/{custom['guid']}", json={"category": {"name": "Web shopping"}})
    assert_valid(renamed)
    assert renamed.json()["category"]["name"] == "Web shopping"

    txn = bank.transactions()[0]
    r = mx.put(f"/users/{bank.user}/transactions/{txn['guid']}",
               json={"transaction": {"description": "Bought online", "category_guid": custom["guid"], "memo": "gift"}})
    assert_valid(r)
    updated = r.json()["transaction"]
    assert (updated["category_guid"], updated["category"], updated["top_level_category"]) == (custom["guid"], "Web shopping", "Shopping")
    assert updated["description"] == "Bought online" and updated["memo"] == "gift"
    filtered = mx.get(f"/users/{bank.user}/transactions", params={**ALL, "top_level_category_guid": SHOPPING}).json()
    assert txn["guid"] in {t["guid"] for t in filtered["transactions"]}
    by_account = mx.v1.put(f"{bank.base}/accounts/{txn['account_guid']}/transactions/{txn['guid']}",
                           json={"transaction": {"memo": "v1 memo"}})
    assert_valid(by_account, "v20111101")
    assert by_account.json()["transaction"]["memo"] == "v1 memo"

    # refusals change nothing
    assert_mx_error(mx.post(base, json={"category": {"name": "x", "parent_guid": GAS}}), 400)
    assert_mx_error(mx.put(f"{base}/{AUTO}", json={"category": {"name": "Cars"}}), 400)
    assert_mx_error(mx.put(f"/users/{bank.user}/transactions/{txn['guid']}",
                           json={"transaction": {"description": "x", "category_guid": "CAT-nope"}}), 400)
    assert_mx_error(mx.put(f"/users/{bank.user}/transactions/{txn['guid']}", json={"transaction": {"memo": "no desc"}}), 400)

    assert mx.delete(f"{base}/{custom['guid']}").status_code == 204
    assert_mx_error(mx.get(f"{base}/{custom['guid']}"), 404)
    back = read_valid(mx, f"/users/{bank.user}/transactions/{txn['guid']}", "transaction")
    assert (back["category_guid"], back["category"]) == (SHOPPING, "Shopping"), "its transactions go to the parent"
