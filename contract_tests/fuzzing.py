"""Sending schemathesis cases to a target as one tenant, and judging what comes back.

Imported only by the schemathesis tests, after `pytest.importorskip("schemathesis")`.
"""
from __future__ import annotations

import base64
import functools
import os
import uuid
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from contract_tests.conformance import VERSION_HEADERS, SpecOperation, check_response, fuzz_spec
from contract_tests.harness import V2025, Target, new_client
from contract_tests.spec import load_spec

VERSIONS = ("v20250224", "v20111101")
USER_PARAMS = {"user_identifier", "user_guid"}
MEMBER_PARAMS = {"member_identifier", "member_guid"}
HAND_OFF_KINDS = {"ach_return", "credit_card_product"}  # records `Caller.hand_off` makes
# Generated requests for the per-operation tests in total, shared out over operations and modes, so
# the run time stays flat as implemented_operations.yml grows (at least MIN_EXAMPLES each). Each
# run draws new cases (no example database), so CI runs add up; `MX_FUZZ_BUDGET=20000` fuzzes deeper.
BUDGET = int(os.environ.get("MX_FUZZ_BUDGET", "4000"))
MIN_EXAMPLES = 5
# Shrinking replays cases against a live server and can take minutes; opt in when debugging a failure.
PHASES = tuple(Phase) if os.environ.get("MX_FUZZ_SHRINK") else tuple(p for p in Phase if p is not Phase.shrink)


def fuzz_settings(max_examples: int, **extra: Any) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
        phases=PHASES,
        **extra,
    )


@functools.lru_cache(maxsize=None)
def load_schema(version: str) -> Any:
    return schemathesis.openapi.from_dict(fuzz_spec(version))


class Caller:
    """Sends cases to the target as one fresh tenant, over HTTP or straight into the in-process app."""

    def __init__(self, target: Target, version: str) -> None:
        if target.kind == "int-api":
            pytest.skip("schemathesis fuzzing only runs against a sandbox, never int-api")
        self.target = target
        self.version = version
        self.client_id = f"fuzz-{uuid.uuid4().hex[:16]}"
        token = base64.b64encode(f"{self.client_id}:fuzz-key".encode()).decode()
        self.headers = {**VERSION_HEADERS[version], "Authorization": f"Basic {token}"}
        self.session = requests.Session()
        self.http = new_client(target, self.client_id, "fuzz-key")
        self.sent = 0
        self._connected: dict[str, str] | None = None
        self._handed_off: dict[str, str] | None = None

    def call(self, case: Any, bearer: bool = False) -> Any:
        """Send `case` as the tenant, or (`bearer`) as a processor holding a token for a verified account."""
        self.sent += 1
        headers = {**VERSION_HEADERS[self.version], "Authorization": f"Bearer {self.hand_off()['token']}"} if bearer else self.headers
        if self.target.kind == "inprocess":
            return case.call(app=self.target.app, headers=headers)
        return case.call(base_url=self.target.base_url, session=self.session, headers=headers)

    def new_user(self) -> dict[str, Any]:
        r = self.http.post("/users", headers=V2025, json={"user": {"id": f"u-{uuid.uuid4().hex[:8]}"}})
        assert r.status_code == 200, r.text
        return r.json()["user"]

    def new_member(self, user_guid: str) -> dict[str, Any]:
        """A member at MX Bank that connects without MFA."""
        fields = self.http.get("/institutions/mxbank/credentials", headers=V2025).json()["credentials"]
        values = {"LOGIN": "mxuser", "PASSWORD": "password"}
        credentials = [{"guid": f["guid"], "value": values.get(f["field_name"], "x")} for f in fields]
        body = {"member": {"institution_code": "mxbank", "credentials": credentials}}
        r = self.http.post(f"/users/{user_guid}/members", headers=V2025, json=body)
        assert r.status_code in (200, 202), r.text
        return r.json()["member"]

    def real_ids(self, names: list[str], template: str = "") -> dict[str, str]:
        """Existing records for the path parameters `names`: `mxbank`, and a fresh user and member, or,
        when deeper records (accounts, transactions...) are named, the connected member's; under
        `/managed_members`, a managed member's."""
        kinds = {name: name.rsplit("_", 1)[0] for name in names}
        if "/managed_members/" in template:
            records = self.managed()
            return {name: records[kind] for name, kind in kinds.items() if kind in records}
        deep = any(kind not in ("user", "member", "institution") for kind in kinds.values())
        if set(kinds.values()) & HAND_OFF_KINDS:
            records = dict(self.hand_off())
        elif deep:
            records = self.connected()
        elif {"user", "member"} & set(kinds.values()):
            records = {"user": self.new_user()["guid"]}
            if "member" in kinds.values():
                records["member"] = self.new_member(records["user"])["guid"]
        else:
            records = {}
        records["institution"] = "mxbank"
        return {name: records[kind] for name, kind in kinds.items() if kind in records}

    def connected(self) -> dict[str, str]:
        """A user with an MX Bank member, aggregated, and the first of each of its records (made once)."""
        if self._connected is None:
            user = self.new_user()["guid"]
            member = self.new_member(user)["guid"]
            assert self.http.post("/_sandbox/clock", json={"advance_seconds": 3600}).status_code == 200
            records = {"user": user, "member": member}
            self._first(records, "account", f"/users/{user}/accounts")
            if "account" in records:
                self._first(records, "transaction", f"/users/{user}/accounts/{records['account']}/transactions")
            self._first(records, "holding", f"/users/{user}/holdings")
            self._first(records, "statement", f"/users/{user}/members/{member}/statements")
            records.update(self._planning(user, records.get("account")))
            self._first(records, "insight", f"/users/{user}/insights")
            self._first(records, "notification", f"/users/{user}/notifications")
            self._first(records, "repeating_transaction", f"/users/{user}/repeating_transactions")
            self._connected = records
        return self._connected

    def managed(self) -> dict[str, str]:
        """A fresh user with a managed member, one account and one transaction."""
        user = self.new_user()["guid"]
        base = f"/users/{user}/managed_members"
        member = self.http.post(base, headers=V2025, json={"member": {"institution_code": "mxbank"}}).json()["member"]["guid"]
        account = {"id": uuid.uuid4().hex[:8], "name": "Held checking", "type": "CHECKING", "balance": 10}
        account_guid = self.http.post(f"{base}/{member}/accounts", headers=V2025, json={"account": account}).json()["account"]["guid"]
        txn = {"amount": "1.00", "description": "x", "status": "POSTED", "type": "DEBIT",
               "posted_at": "2025-01-02T00:00:00Z", "transacted_at": "2025-01-01T00:00:00Z"}
        r = self.http.post(f"{base}/{member}/accounts/{account_guid}/transactions", headers=V2025, json={"transaction": txn})
        return {"user": user, "member": member, "account": account_guid, "transaction": r.json()["transaction"]["guid"]}

    def _planning(self, user: str, account: str | None) -> dict[str, str]:
        """A budget, a goal and a spending plan with an item, so planning paths reach real records."""
        records: dict[str, str] = {"iteration": "1"}
        generated = self.http.post(f"/users/{user}/budgets/generate", headers=V2025)
        if generated.status_code == 200 and generated.json()["budgets"]:
            records["budget"] = generated.json()["budgets"][0]["guid"]
        if account:
            goal = {"account_guid": account, "amount": 100000, "goal_type_name": "SAVE_AMOUNT",
                    "meta_type_name": "VACATION", "name": "fuzz"}
            r = self.http.post(f"/users/{user}/goals", headers=V2025, json={"goal": goal})
            if r.status_code == 200:
                records["goal"] = r.json()["goal"]["guid"]
        plan = self.http.post(f"/users/{user}/spending_plans", headers=V2025).json()["guid"]
        base = f"/users/{user}/spending_plans/{plan}"
        item = self.http.post(f"{base}/iterations/current/iteration_items", headers=V2025, json={"planned_amount": 100})
        records.update(spending_plan=plan, iteration_item=item.json()["guid"])
        self._first(records, "spending_plan_account", f"{base}/spending_plan_accounts")
        return records

    def hand_off(self) -> dict[str, str]:
        """The connected member verified, an ACH return on its checking account, a processor token for
        that account and MX Bank's credit card product (made once)."""
        if self._handed_off is None:
            records = dict(self.connected())
            user, member = records["user"], records["member"]
            assert self.http.post(f"/users/{user}/members/{member}/verify", headers=V2025).status_code == 200
            assert self.http.post("/_sandbox/clock", json={"advance_seconds": 3600}).status_code == 200
            number = self.http.get(f"/users/{user}/members/{member}/account_numbers", headers=V2025).json()["account_numbers"][0]
            account = number["account_guid"]
            ach = {"user_guid": user, "member_guid": member, "account_guid": account, "id": "fuzz-1", "return_code": "R01"}
            r = self.http.post("/ach_returns", headers=V2025, json={"ach_return": ach})
            assert r.status_code == 200, r.text
            records["ach_return"] = r.json()["ach_return"]["guid"]
            scope = f"user-guid:{user} member-guid:{member} account-guid:{account} read-protected"
            r = self.http.post("/authorization_code", headers=V2025, json={"authorization_code": {"scope": scope}})
            assert r.status_code == 200, r.text
            r = self.http.post("/token", params={"grant_type": "authorization_code", "code": r.json()["authorization_code"]["code"]},
                               auth=("fuzz-processor", "fuzz-key"))
            assert r.status_code == 200, r.text
            records["token"] = r.json()["access_token"]
            products = self.http.get("/_sandbox/credit_card_products").json()["credit_card_products"]
            records["credit_card_product"] = products[0]["guid"]
            self._handed_off = records
        return self._handed_off

    def _first(self, records: dict[str, str], kind: str, path: str) -> None:
        r = self.http.get(path, headers=V2025)
        found = r.json().get(f"{kind}s") if r.status_code == 200 else None
        if found:
            records[kind] = found[0]["guid"]

    def reset(self) -> None:
        assert self.http.post("/_sandbox/reset").status_code == 204

    def close(self) -> None:
        self.session.close()
        self.http.close()


def verify(op: SpecOperation, case: Any, response: Any, valid_request: bool) -> None:
    """`check_response`, failing with the request and answer spelled out."""
    __tracebackhide__ = True
    content_type = (response.headers.get("content-type") or [""])[0]
    sent = response.request.headers
    version_sent = all(sent.get(name) == value for name, value in VERSION_HEADERS[op.version].items())
    try:
        check_response(op, response.status_code, content_type, response.content, valid_request, version_sent)
    except (AssertionError, ValueError) as exc:
        request = response.request
        raise AssertionError(
            f"{op.label}: {exc}\n{request.method} {request.url}\n{dict(request.headers)}\n{request.body!r}\n"
            f"→ {response.status_code} {response.content[:500]!r}"
        ) from None


def uses_bearer(op: SpecOperation) -> bool:
    """Processor operations authenticate with a bearer token instead of the client's Basic auth."""
    operation = load_spec(op.version)["paths"][op.template][op.method.lower()]
    return any("bearerAuth" in requirement for requirement in operation.get("security") or [])


def has_negative_path(case: Any) -> bool:
    meta = case.meta
    return meta is not None and any(
        getattr(location, "value", location) == "path" and info.mode.is_negative
        for location, info in meta.components.items()
    )
