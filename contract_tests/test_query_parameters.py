"""No query parameter is silently ignored: for every operation the sandbox implements (both versions),
each query parameter MX's spec declares either changes the answer, or is refused with a 400.

A few act after the answer (the OAuth window's redirect options, v20111101 aggregate's include
flags); those are listed in ACTS_ELSEWHERE with the test that covers them, and a bad value must
still be a 400, so they are read. A parameter a new spec adds fails here until it is classified.
"""
from __future__ import annotations

from typing import Any

import pytest

from contract_tests.aggregated import connect
from contract_tests.conformance import implemented
from contract_tests.harness import MX
from contract_tests.journeys import create_member, mxbank_credentials, settled, wait_for
from contract_tests.spec import load_spec

pytestmark = pytest.mark.sandbox_only
NOW = "2026-04-01T12:00:00Z"

# name → (value, companions sent with it and left out of the baseline); the answer must differ.
CHANGES: dict[str, tuple[str, dict[str, str]]] = {
    "page": ("2", {}),  # `pagination.current_page` follows it, even past the end
    "records_per_page": ("10", {}),
    "name": ("cedar", {}),
    "iso_country_code": ("CA", {}),
    "supported_products": ("investments", {}),
    "supports_account_identification": ("true", {}),
    "supports_account_statement": ("true", {}),
    "supports_account_verification": ("true", {}),
    "supports_transaction_history": ("true", {}),
    "id": ("walker-id", {}),
    "email": ("walker@example.com", {}),
    "is_disabled": ("true", {}),
    "is_manual": ("true", {}),
    "member_is_managed_by_user": ("true", {}),
    "use_case": ("MONEY_MOVEMENT", {}),  # the world's members are PFM only
    "from_date": ("2026-03-25", {}),
    "to_date": ("2026-03-01", {}),
    "from_created_at": ("2030-01-01", {}),
    "to_created_at": ("2000-01-01", {}),
    "from_updated_at": ("2000-01-01", {"to_updated_at": "2000-01-02"}),  # MX wants the pair
    "to_updated_at": ("2000-01-02", {"from_updated_at": "2000-01-01"}),
    "from_timestamp": ("4102444800", {}),  # 2100-01-01
    "to_timestamp": ("1", {}),
    "category_guid": ("{category}", {}),
    "category_guid[]": ("{category}", {}),
    "top_level_category_guid": ("{top_level_category}", {}),
    "top_level_category_guid[]": ("{top_level_category}", {}),
    "startTime": ("2026-03-25", {}),  # verifiable credentials: the transactions in the credential
    "endTime": ("2026-03-01", {}),
}
REFUSED = {"includes": "merchants"}  # transaction enhancements are not produced (README, Known differences)
# Reads of one record whose spec declares `page`/`records_per_page`: nothing to page, so refused.
ONE_RECORD_READS = {"readSpendingPlanUser", "readCurrentSpendingPlanIteration", "readSpendingPlanIteration",
                    "readSpendingPlanAccount", "readSpendingPlanIterationItem"}
# name → (a value that must be refused with 400, where the accepted values' effect is tested)
ACTS_ELSEWHERE = {
    "client_redirect_url": ("javascript:alert(1)", "test_oauth.py: where the consent page sends the user"),
    "referral_source": ("FAX", "test_oauth.py: APP redirects to the app, BROWSER to the completion page"),
    "ui_message_webview_url_scheme": ("java script", "test_oauth.py: the scheme of the app redirect"),
    "skip_aggregation": ("maybe", "test_oauth.py: authorising does not aggregate"),
    "enable_app2app": ("maybe", "MX: it only changes Chase's flow; validated, no effect elsewhere"),
    "include_holdings": ("maybe", "test_data_products.py: holdings are not refreshed"),
    "include_transactions": ("maybe", "test_data_products.py: the aggregation skips transactions"),
    "content": ("", "test_pfm_notifications.py: v20111101 posts a notification's text in the query"),
    "subject": ("", "test_pfm_notifications.py: v20111101 posts a notification's subject in the query"),
    # ACH return filters: the world has no verified account, so no returns to filter
    "institution_guid": ("mxbank", "test_ach_vc_cards.py: test_ach_return_filters"),
    "returned_at": ("yesterday", "test_ach_vc_cards.py: test_ach_return_create_read_list"),
    "resolved_status_at": ("yesterday", "test_ach_vc_cards.py: test_ach_return_filters"),
    "return_code": ("X99", "test_ach_vc_cards.py: test_ach_return_create_read_list"),
    "return_status": ("LOST", "test_ach_vc_cards.py: test_ach_return_filters"),
}


def _query_operations(version: str) -> list[tuple[str, str, str, list[str]]]:
    """(operationId, method, template, query parameter names) for each implemented operation with any."""
    spec = load_spec(version)
    shared = spec["components"]["parameters"]
    out = []
    for template, operations in spec["paths"].items():
        for method, op in operations.items():
            if not isinstance(op, dict) or op.get("operationId") not in implemented(version):
                continue
            params = [shared[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p for p in op.get("parameters", [])]
            names = [p["name"] for p in params if p["in"] == "query"]
            if names:
                out.append((op["operationId"], method.upper(), template, names))
    return out


def _world(mx: MX) -> dict[str, str]:
    """Users, a PFM member with data, a manual account, a tag on transactions across the window,
    an OAuth member: enough that each filter has something to filter."""
    mx.freeze(now=NOW)
    mx.create_user(id="walker-id", email="walker@example.com")
    bank = connect(mx, ["transactions"])
    user = bank.user
    assert mx.put(f"{bank.base}", json={"member": {"use_cases": ["PFM"]}}).status_code == 200
    wait_for(mx, user, bank.member, settled)
    mx.post(f"/users/{user}/accounts", json={"account": {"account_type": "SAVINGS", "name": "Jar", "balance": 1}})
    oauth = create_member(mx, user, "mx_bank_oauth", [], member={"is_oauth": True})
    challenged = create_member(mx, user, "mxbank", mxbank_credentials(mx, "challenge"))
    wait_for(mx, user, challenged["guid"], settled)
    txns = bank.transactions()
    tag = mx.post(f"/users/{user}/tags", json={"tag": {"name": "walk"}}).json()["tag"]["guid"]
    for txn in txns[::40]:
        r = mx.post(f"/users/{user}/taggings", json={"tagging": {"tag_guid": tag, "transaction_guid": txn["guid"]}})
        assert r.status_code == 200, r.text
    category = txns[0]["category_guid"]
    parent = mx.get(f"/categories/{category}").json()["category"].get("parent_guid")
    account = next(a for a in bank.accounts() if a["type"] == "CHECKING")["guid"]
    insight = mx.get(f"/users/{user}/insights").json()["insights"][0]["guid"]
    for n in range(12):  # more than a page of 10, so records_per_page shows on notifications
        mx.post(f"/users/{user}/notifications", json={"notification": {"subject": f"n{n}", "content": "walk"}})
    checking_txn = next(t for t in txns if t["account_guid"] == account)["guid"]
    held = _managed(mx, user)
    plan = mx.post(f"/users/{user}/spending_plans").json()["guid"]
    item = mx.post(f"/users/{user}/spending_plans/{plan}/iterations/current/iteration_items",
                   json={"planned_amount": 10}).json()["guid"]
    plan_account = mx.get(f"/users/{user}/spending_plans/{plan}/spending_plan_accounts").json()
    goal = {"account_guid": account, "amount": 10_000_000, "goal_type_name": "SAVE_AMOUNT",
            "meta_type_name": "VACATION", "name": "walk"}
    assert mx.post(f"/users/{user}/goals", json={"goal": goal}).status_code == 200
    return {**held,
        "spending_plan": plan, "iteration_item": item,
        "spending_plan_account": plan_account["spending_plan_accounts"][0]["guid"],
        "user": user, "member": bank.member, "oauth_member": oauth["guid"], "challenged": challenged["guid"],
        "account": account,
        "transaction": checking_txn, "tag": tag, "institution_code": "mxbank",
        "category": category, "top_level_category": parent or category, "insight": insight,
    }


def _managed(mx: MX, user: str) -> dict[str, str]:
    """A managed member with one account and two transactions in March."""
    base = f"/users/{user}/managed_members"
    member = mx.post(base, json={"member": {"institution_code": "mxbank"}}).json()["member"]["guid"]
    account = {"id": "held", "name": "Held", "type": "CHECKING", "balance": 1}
    account_guid = mx.post(f"{base}/{member}/accounts", json={"account": account}).json()["account"]["guid"]
    for day in ("2026-03-10", "2026-03-28"):
        txn = {"amount": "1.00", "description": "x", "status": "POSTED", "type": "DEBIT",
               "transacted_at": f"{day}T12:00:00Z", "posted_at": f"{day}T12:00:00Z"}
        r = mx.post(f"{base}/{member}/accounts/{account_guid}/transactions", json={"transaction": txn})
        assert r.status_code == 200, r.text
    return {"managed_member": member, "managed_account": account_guid}


def _path(template: str, world: dict[str, str], operation_id: str) -> str:
    member = {"requestOAuthWindowURI": world["oauth_member"],
              "listMemberChallenges": world["challenged"]}.get(operation_id, world["member"])
    held = "/managed_members/" in template
    member = world["managed_member"] if held else member
    values = {"user": world["user"], "member": member, "account": world["managed_account" if held else "account"],
              "transaction": world["transaction"], "tag": world["tag"], "institution": world["institution_code"],
              "spending_plan": world["spending_plan"], "iteration_item": world["iteration_item"],
              "spending_plan_account": world["spending_plan_account"], "insight": world["insight"]}
    out = template.replace("{iteration_number}", "1")
    for name, value in values.items():
        for suffix in ("guid", "identifier", "code"):
            out = out.replace(f"{{{name}_{suffix}}}", value)
    assert "{" not in out, f"no value for a path parameter of {template}"
    return out


def _call(client: MX, method: str, path: str, params: dict[str, str]) -> Any:
    return client.request(method, path, params=params)


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_every_query_parameter_filters_or_is_refused(mx, version):
    world = _world(mx)
    client = mx if version == "v20250224" else mx.v1
    failures: list[str] = []
    for operation_id, method, template, names in _query_operations(version):
        path = _path(template, world, operation_id)
        for name in names:
            label = f"{version} {operation_id} ?{name}"
            if operation_id in ONE_RECORD_READS and name in ("page", "records_per_page"):
                r = _call(client, method, path, {name: "2"})
                if r.status_code != 400:
                    failures.append(f"{label}: expected 400 (one record), got {r.status_code}")
            elif name in REFUSED:
                r = _call(client, method, path, {name: REFUSED[name]})
                if r.status_code != 400:
                    failures.append(f"{label}: expected 400, got {r.status_code}")
            elif name in ACTS_ELSEWHERE:
                r = _call(client, method, path, {name: ACTS_ELSEWHERE[name][0]})
                if r.status_code != 400:
                    failures.append(f"{label}: a bad value gave {r.status_code}, so it may not be read")
            elif name in CHANGES:
                value, companions = CHANGES[name]
                baseline = _call(client, method, path, {})
                probe = _call(client, method, path, {name: value.format(**world), **companions})
                if baseline.status_code != 200 or probe.status_code != 200:
                    failures.append(f"{label}: {baseline.status_code} then {probe.status_code} {probe.text[:200]}")
                elif probe.json() == baseline.json():
                    failures.append(f"{label}: the answer did not change")
            else:
                failures.append(f"{label}: not classified in {__name__}")
    assert not failures, "\n".join(failures)


def test_boolean_query_parameters_take_rails_values_in_any_case(mx):
    """MX's servers cast booleans the Rails way; the official SDK sends `True`/`False`."""
    mx.create_user(id="enabled-user")
    for value, expected in (("True", 0), ("FALSE", 1), ("t", 0), ("F", 1), ("1", 0), ("0", 1), ("on", 0), ("Off", 1)):
        for client in (mx, mx.v1):
            r = client.get("/users", params={"is_disabled": value})
            assert r.status_code == 200, (value, r.text)
            assert r.json()["pagination"]["total_entries"] == expected, value
    for bad in ("yes", "no", "2", " true", "tru"):
        assert mx.get("/users", params={"is_disabled": bad}).status_code == 400, bad
        assert mx.v1.get("/institutions", params={"supports_account_verification": bad}).status_code == 400, bad
