"""Merchants: every merchant a transaction names resolves, with its location."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect, read_valid
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def test_every_transaction_merchant_resolves(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    txns = [t for t in bank.transactions() if t["merchant_guid"]]
    assert txns, "MX Bank's card and checking spending names merchants"
    for guid in {t["merchant_guid"] for t in txns}:
        merchant = read_valid(mx, f"/merchants/{guid}", "merchant")
        assert merchant["website_url"].startswith("https://") and merchant["logo_url"].startswith("https://")
    for txn in txns[:20]:
        location = read_valid(mx, f"/merchant_locations/{txn['merchant_location_guid']}", "merchant_location")
        assert location["merchant_guid"] == txn["merchant_guid"]
    starbucks = mx.get("/merchants", params={"name": "starbucks"})
    assert_valid(starbucks)
    assert [m["name"] for m in starbucks.json()["merchants"]] == ["Starbucks"]
    v1 = mx.v1.get("/merchants")
    assert_valid(v1, "v20111101")
    assert v1.json()["pagination"]["total_entries"] >= len({t["merchant_guid"] for t in txns})
    assert_mx_error(mx.get("/merchants/MCH-nope"), 404)
    assert_mx_error(mx.get("/merchant_locations/MCL-nope"), 404)
