"""One documented timestamp format (README, "Known differences from MX"): every `*_at` is
`YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), every `*_on` and transaction `date` is `YYYY-MM-DD`.
MX's own samples mix `Z`, `+00:00`, `-06:00` and milliseconds; the sandbox picks one."""
from __future__ import annotations

import re
from typing import Any, Iterator

import pytest

from contract_tests.aggregated import connect

pytestmark = pytest.mark.sandbox_only
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRODUCTS = ["transactions", "account_verification", "identity_verification", "statements", "investments", "rewards"]


def dated_fields(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith(("_at", "_on")) or key in ("date", "now"):
                yield f"{path}.{key}", key, value
            yield from dated_fields(value, f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from dated_fields(item, f"{path}[]")


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_every_timestamp_has_one_format(mx, version):
    mx.freeze(now="2026-04-01T12:00:00Z")
    bank = connect(mx, PRODUCTS)
    for job in ("verify", "identify", "fetch_statements", "fetch_rewards"):
        bank.run(job)
    client = mx if version == "v20250224" else mx.v1
    user = bank.user
    md = client.post(f"/users/{user}/micro_deposits", json={"micro_deposit": {
        "account_number": "33331234", "routing_number": "091000019", "account_type": "CHECKING",
        "email": "a@example.com", "first_name": "A", "last_name": "B"}}).json()["micro_deposit"]
    paths = ["/institutions/mxbank", "/users", f"/users/{user}", f"/users/{user}/members", bank.base,
             f"{bank.base}/status", f"/users/{user}/accounts", f"/users/{user}/transactions",
             f"{bank.base}/statements", f"/users/{user}/investment_holdings", f"{bank.base}/rewards",
             f"/users/{user}/micro_deposits/{md['guid']}", f"/users/{user}/micro_deposits", "/_sandbox/clock"]
    seen = set()
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text)
        for where, key, value in dated_fields(r.json(), path):
            if value is None:
                continue
            pattern = INSTANT if key.endswith("_at") or key == "now" else DAY
            assert isinstance(value, str) and pattern.match(value), (where, value)
            seen.add(key)
    assert {"created_at", "updated_at", "posted_at", "transacted_at", "date", "aggregated_at", "now"} <= seen
